"""The message bus between gateways and the game: NATS, through nats-py.

The one module that imports ``nats`` (the rule: one module per third-party library).
It gives ``mud.split.gateway`` and ``mud.split.game`` five things: publish, subscribe,
request/reply, serve a request subject, and a log line for every disconnect and
reconnect. Delivery is NATS core's: at most once, in order per publisher connection;
what the split does about a message lost while a process is away is written in
``mud.split.gateway`` (numbered, acknowledged lines) and docs/architecture.md.

While the link to the NATS server is down, nats-py keeps reconnecting for ever and
holds what is published in a bounded buffer (``PENDING_BYTES``), sent after it is back;
past that bound ``publish`` raises ``BusError``, and the caller treats the message as
lost (a gateway answers the line that was not sent).
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Awaitable, Callable

import nats
import nats.errors
from nats.aio.client import Client
from nats.aio.msg import Msg

from mud.logs import log_event

log = logging.getLogger("mud.split.bus")

#: What a process buffers for the bus while the NATS server is away (bytes).
PENDING_BYTES = 8 * 1024 * 1024
#: Messages a subscription may queue before NATS calls the subscriber slow and drops.
PENDING_MSGS = 100_000


class BusError(RuntimeError):
    """The bus could not take or answer a message (not connected, buffer full, no
    responder, or no answer within the deadline)."""


Handler = Callable[[bytes], Awaitable[None]]
Responder = Callable[[bytes], Awaitable[bytes]]
#: Told that the link to NATS came back after a break (messages may have been lost).
Rejoined = Callable[[], None]


class Bus:
    """One connection to NATS. Built by ``Bus.connect``; owned by the process's runner,
    which calls ``close`` at the end. Subscriptions run their handler one message at a
    time, in order (nats-py's per-subscription task)."""

    def __init__(self, client: Client, name: str) -> None:
        self._nc = client
        self._name = name
        self._rejoined: list[Rejoined] = []
        self.reconnects = 0  # times the link came back after a break

    def on_reconnect(self, callback: Rejoined) -> None:
        """Call ``callback()`` each time the link to NATS is back after a break. What
        was in the NATS server when it broke (either way) may be lost: the callers
        resynchronise (``GatewayLink``)."""
        self._rejoined.append(callback)

    def _reconnected(self) -> None:
        self.reconnects += 1
        for callback in self._rejoined:
            try:
                callback()
            except Exception:  # one listener's fault must not keep the others uninformed
                log.exception("bus: reconnect listener failed")

    @classmethod
    async def connect(cls, url: str, name: str, *, deadline: float = 30.0) -> Bus:
        """Connect to the NATS server at ``url`` (``nats://host:port``), retrying for up
        to ``deadline`` seconds (the server may be starting too). Raises ``BusError``."""

        async def disconnected() -> None:
            log_event(log, "bus_disconnected", level=logging.WARNING, name=name)

        holder: list[Bus] = []

        async def reconnected() -> None:
            log_event(log, "bus_reconnected", name=name)
            if holder:
                holder[0]._reconnected()

        async def error(exc: Exception) -> None:
            log_event(log, "bus_error", level=logging.WARNING, name=name, error=repr(exc))

        loop = asyncio.get_running_loop()
        until = loop.time() + deadline
        while True:
            try:
                client = await nats.connect(
                    servers=[url],
                    name=name,
                    connect_timeout=2,
                    reconnect_time_wait=0.25,
                    max_reconnect_attempts=-1,
                    ping_interval=5,
                    max_outstanding_pings=2,
                    pending_size=PENDING_BYTES,
                    disconnected_cb=disconnected,
                    reconnected_cb=reconnected,
                    error_cb=error,
                )
                break
            except (OSError, nats.errors.Error, TimeoutError) as exc:
                if loop.time() >= until:
                    raise BusError(f"cannot reach NATS at {url}: {exc}") from exc
                await asyncio.sleep(0.25)
        bus = cls(client, name)
        holder.append(bus)
        log_event(log, "bus_connected", name=name, url=url)
        return bus

    @property
    def max_payload(self) -> int:
        """The largest message the NATS server takes (bytes; 1 MiB by default)."""
        return int(self._nc.max_payload or 1024 * 1024)

    async def publish(self, subject: str, data: bytes) -> None:
        """Send ``data`` on ``subject`` (buffered while reconnecting). Raises BusError."""
        try:
            await self._nc.publish(subject, data)
        except Exception as exc:
            # nats-py's own errors and OSError, and also what its internals raise while
            # a connection is being replaced (an assertion, an AttributeError): a
            # caller's loop must not die of one (it would stop without a word).
            raise BusError(f"publish on {subject}: {exc!r}") from exc

    async def subscribe(self, subject: str, handler: Handler) -> None:
        """Call ``handler(data)`` for every message on ``subject``, one at a time. A
        handler that raises is logged; the next message is still delivered."""

        async def deliver(msg: Msg) -> None:
            try:
                await handler(msg.data)
            except Exception:
                log.exception("bus: handler for %s failed", subject)

        await self._nc.subscribe(
            subject,
            cb=deliver,
            pending_msgs_limit=PENDING_MSGS,
            pending_bytes_limit=PENDING_BYTES * 8,
        )

    async def serve(self, subject: str, responder: Responder) -> None:
        """Answer requests on ``subject`` with ``responder(data)``; one that raises
        sends no answer (the requester's deadline passes)."""

        async def answer(msg: Msg) -> None:
            try:
                reply = await responder(msg.data)
            except Exception:
                log.exception("bus: responder for %s failed", subject)
                return
            await msg.respond(reply)

        await self._nc.subscribe(subject, cb=answer, pending_msgs_limit=PENDING_MSGS)

    async def request(self, subject: str, data: bytes, *, deadline: float) -> bytes:
        """Send a request and wait up to ``deadline`` seconds for the answer.
        Raises BusError when nobody answers in time."""
        try:
            msg = await self._nc.request(subject, data, timeout=deadline)
        except (nats.errors.Error, OSError, TimeoutError) as exc:
            raise BusError(f"request on {subject}: {exc!r}") from exc
        return bytes(msg.data)

    async def flush(self, deadline: int = 2) -> None:
        """Wait until the server has everything published so far. Raises BusError."""
        try:
            await self._nc.flush(timeout=deadline)
        except (nats.errors.Error, OSError, TimeoutError) as exc:
            raise BusError(f"flush: {exc!r}") from exc

    async def close(self) -> None:
        """Send what is buffered (bounded) and disconnect. Idempotent; never raises."""
        try:
            async with asyncio.timeout(3):
                await self._nc.drain()
        except Exception:  # closing must not fail the shutdown that called it
            await self._nc.close()
