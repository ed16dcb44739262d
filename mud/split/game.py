"""The game's end of the bus: connections held by gateways, as the hub sees them.

``GameLink`` stands between the bus and an unchanged ``Hub``. For every connection a
gateway holds it attaches a ``RemotePort`` (a ``SessionPort`` that turns each call back
into its output value), posts the gateway's events into the hub's inbox in the order
they came, and sends each gateway one output batch per hub turn (several turns' worth
when the hub is busier than the bus). Built and owned by ``mud.app.serve_game``.

The contract with gateways (``mud.split.gateway`` holds the other half):

- A gateway is *attached* after its ``attach`` request; its events before that are
  dropped (it does not send any: it waits for the answer). The request lists every
  connection it holds; the game connects those it does not know (``restored``, with the
  account each was playing as ``preauth``), and answers with the epoch of this game run
  and, for each connection, the last line the store says was applied to its character
  (``MarkLine``). Each listed connection carries its terminal and whether its client
  wants GMCP (``m``), which the hub learns again as a ``GmcpChanged`` after the
  ``Connected`` (or, for a connection it has, when a change was lost on the way).
  A second attach from the same gateway run (it does one after its link to NATS
  broke, when messages may have been lost either way) resynchronises the connections
  the game already has: the request says the last line the gateway sent on each
  (``s``), the answer the last one the game took (``took``), and a line in between
  that still arrives afterwards is dropped (the gateway has answered it).
  Connections it lists that the game does not know are connected; those it no longer
  lists are disconnected.
- A gateway silent for ``GATEWAY_DEADLINE`` seconds is lost: every connection it held is
  disconnected in the hub, as a dropped connection is (characters go link-dead). A new
  run of the gateway (another incarnation) replaces the old at once.
- The heartbeat (every ``BEAT`` seconds) carries the epoch, the number of players in the
  world, and which gateway runs are attached: a gateway not on the list attaches again.
- Shutting down for a restart, the game sends ``going`` in a last heartbeat, so gateways
  tell their players at once instead of after a missed heartbeat.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections import deque
from collections.abc import Awaitable, Callable
from typing import Protocol

from attrs import define, field

from mud.core.events import (
    AdapterEvent,
    Connected,
    Disconnected,
    GmcpChanged,
    LineIn,
    Resized,
    TermInfo,
)
from mud.core.outputs import Doc
from mud.core.ports import SessionPort
from mud.logs import log_event, watch_task
from mud.split import wire
from mud.split.bus import Bus, BusError

log = logging.getLogger("mud.split.game")

#: Seconds between heartbeats, each way.
BEAT = 1.0
#: A gateway silent this long is lost (its connections are dropped in the hub).
GATEWAY_DEADLINE = 4.0
#: Output messages kept per gateway to send again after a break (bytes). A break of
#: the bus loses only what the NATS server held: a few milliseconds of output.
RING_BYTES = 4 * 1024 * 1024


class RemotePort:
    """A connection a gateway holds (``SessionPort``): every call goes into that
    gateway's next output message (``wire.Outbound``) as it comes, grouped with the
    same value to other connections; no output value is made. Never blocks."""

    __slots__ = ("_gid", "_link", "_term", "conn", "gmcp", "last_seq")

    def __init__(self, conn: int, term: TermInfo, link: GameLink) -> None:
        self.conn = conn
        self._gid = wire.gateway_of(conn)
        self._term = term
        self._link = link
        # The last line number taken into the hub, or settled by an attach: a line at
        # or below it that arrives later is late (the gateway has answered it) and dropped.
        self.last_seq = 0
        self.gmcp = False  # the last GmcpChanged the hub was given for it

    @property
    def term(self) -> TermInfo:
        return self._term

    def update_term(self, term: TermInfo) -> None:
        self._term = term

    def send(self, doc: Doc) -> None:
        self._link.outbound(self._gid).send(self.conn, doc)

    def stream(self, stream_id: int, text: str, *, style: str = "narr") -> None:
        self._link.outbound(self._gid).stream(self.conn, stream_id, text)

    def end_stream(self, stream_id: int) -> None:
        self._link.outbound(self._gid).end_stream(self.conn, stream_id)

    def prompt(self, markup: str) -> None:
        self._link.outbound(self._gid).prompt(self.conn, markup)

    def set_echo(self, echo: bool) -> None:
        self._link.outbound(self._gid).echo(self.conn, echo)

    def data(self, package: str, payload: object) -> None:
        self._link.outbound(self._gid).data(self.conn, package, payload)

    def set_prefs(
        self, *, colour: bool | None, screenreader: bool | None, width: int | None
    ) -> None:
        self._link.outbound(self._gid).prefs(self.conn, colour, screenreader, width)

    def bound(self, account: str) -> None:
        self._link.outbound(self._gid).bound(self.conn, account)

    def ack(self, seq: int) -> None:
        self._link.outbound(self._gid).ack(self.conn, seq)

    def close(self, farewell: Doc | None = None) -> None:
        self._link.outbound(self._gid).close(self.conn, farewell)
        self._link.closed(self.conn)


class HubSide(Protocol):
    """What the link needs of the hub (``mud.hub.Hub`` satisfies it)."""

    def attach(self, session: SessionPort) -> None: ...

    async def post(self, event: AdapterEvent) -> None: ...

    @property
    def online_count(self) -> int: ...

    def who_rows(self) -> list[tuple[str, float, bool]]: ...


@define
class _Gateway:
    incarnation: int
    seen: float
    stream: int  # numbers this attachment's output messages (``wire.frame``)
    conns: set[int] = field(factory=set)
    sent: int = 0  # the number of the last output message sent to it
    # The last messages sent, kept (up to ``RING_BYTES``) to be sent again on request.
    ring: deque[tuple[int, bytes]] = field(factory=deque)
    ring_bytes: int = 0

    def keep(self, number: int, data: bytes) -> None:
        self.ring.append((number, data))
        self.ring_bytes += len(data)
        while self.ring_bytes > RING_BYTES and len(self.ring) > 1:
            self.ring_bytes -= len(self.ring.popleft()[1])


Marks = Callable[[], Awaitable[dict[str, tuple[int, int]]]]
Auth = Callable[[dict[str, object]], Awaitable[bool]]


class GameLink:
    """The game's side of the bus. ``start`` subscribes and starts the heartbeat and
    the batch sender; ``close`` stops them (the runner calls it after the hub's final
    save). ``marks`` reads, from the store, each account's last applied line
    (``{account: (conn, seq)}``); ``auth`` answers an SSH login check."""

    def __init__(
        self,
        bus: Bus,
        hub: HubSide,
        *,
        world: str,
        epoch: str,
        marks: Marks,
        auth: Auth,
        now: Callable[[], float],
    ) -> None:
        self._bus = bus
        self._hub = hub
        self._world = world
        self.epoch = epoch
        self._marks = marks
        self._auth = auth
        self._now = now
        self._gateways: dict[int, _Gateway] = {}
        self._ports: dict[int, RemotePort] = {}
        self._pending: dict[int, wire.Outbound] = {}
        self._wake = asyncio.Event()
        self._tasks: list[asyncio.Task[None]] = []
        self._inbound: asyncio.Lock = asyncio.Lock()
        self._streams = 0

    # -- output (hub -> gateways) -------------------------------------------------------

    def outbound(self, gid: int) -> wire.Outbound:
        """The next output message to gateway ``gid`` (``RemotePort`` adds to it); the
        sender is woken when one is begun."""
        out = self._pending.get(gid)
        if out is None:
            out = self._pending[gid] = wire.Outbound()
            self._wake.set()
        return out

    def closed(self, conn: int) -> None:
        """The hub closed ``conn``: its port is done."""
        self._ports.pop(conn, None)

    async def _sender(self) -> None:
        # Everything the hub delivered since the last wake goes in one batch per gateway:
        # a quiet game sends one per hub turn, a busy one fewer and larger.
        while True:
            await self._wake.wait()
            self._wake.clear()
            await self._send_pending()

    async def _send_pending(self) -> None:
        pending, self._pending = self._pending, {}
        for gid, outbound in pending.items():
            gw = self._gateways.get(gid)
            try:
                # Room for the envelope NATS adds and the frame is kept out of the limit.
                limit = self._bus.max_payload - 1024
                for data in outbound.encode_within(self.epoch, limit):
                    if gw is None:  # lost: it attaches again, and takes nothing before
                        break
                    gw.sent += 1
                    framed = wire.frame(self.epoch, gw.stream, gw.sent, data)
                    gw.keep(gw.sent, framed)
                    await self._bus.publish(wire.outputs_subject(self._world, gid), framed)
            except (BusError, wire.WireError) as exc:
                log_event(log, "batch_lost", level=logging.WARNING, gateway=gid, error=str(exc))

    # -- input (gateways -> hub) --------------------------------------------------------

    async def _on_events(self, data: bytes) -> None:
        batch = wire.decode_events(data)
        gw = self._gateways.get(batch.gid)
        if gw is None or gw.incarnation != batch.incarnation:
            return  # not attached (yet, or any more): it attaches again, then sends
        gw.seen = self._now()
        async with self._inbound:
            for event in batch.events:
                await self._take(gw, event)

    async def _take(self, gw: _Gateway, event: AdapterEvent) -> None:
        match event:
            case Connected(conn=conn, term=term):
                port = RemotePort(conn, term, self)
                self._ports[conn] = port
                gw.conns.add(conn)
                self._hub.attach(port)
            case Resized(conn=conn, term=term):
                port_ = self._ports.get(conn)
                if port_ is not None:
                    port_.update_term(term)
            case GmcpChanged(conn=conn, on=on):
                port_ = self._ports.get(conn)
                if port_ is not None:
                    port_.gmcp = on
            case Disconnected(conn=conn):
                gw.conns.discard(conn)
                self._ports.pop(conn, None)
            case LineIn(conn=conn, seq=seq) if seq:
                port_ = self._ports.get(conn)
                if port_ is not None:
                    if seq <= port_.last_seq:
                        log_event(log, "late_line", conn=conn, seq=seq)
                        return
                    port_.last_seq = seq
            case LineIn():
                pass
        # Waits while the hub's inbox is full: NATS holds the rest for this subscriber
        # (bounded; the gateway's cap on unacknowledged lines keeps it far below).
        await self._hub.post(event)

    async def _on_gateway_beat(self, data: bytes) -> None:
        body = wire.decode(data)
        gw = self._gateways.get(int(body["g"]))
        if gw is not None and gw.incarnation == int(body["i"]):
            gw.seen = self._now()

    async def _on_attach(self, data: bytes) -> bytes:
        body = wire.decode(data)
        gid, incarnation = int(body["g"]), int(body["i"])
        async with self._inbound:
            gw = self._gateways.get(gid)
            if gw is not None and gw.incarnation != incarnation:
                await self._lose(gid, "gateway restarted")
                gw = None
            if gw is None:
                self._streams += 1
                gw = self._gateways[gid] = _Gateway(incarnation, self._now(), self._streams)
                log_event(log, "gateway_attached", gateway=gid, incarnation=incarnation)
            gw.seen = self._now()
            # Connections that ended while the gateway thought this game away: their
            # Disconnected was never sent, so the gateway's list is the truth.
            listed = {int(raw["c"]) for raw in body["conns"]}
            for conn in sorted(gw.conns - listed):
                gw.conns.discard(conn)
                self._ports.pop(conn, None)
                await self._hub.post(Disconnected(conn, reason="closed while away"))
            fresh: list[int] = []
            took: dict[str, int] = {}
            for raw in body["conns"]:
                conn = int(raw["c"])
                sent = int(raw.get("s", 0))
                known = self._ports.get(conn) if conn in gw.conns else None
                if known is not None:
                    # A link that broke may have lost lines either way: the gateway
                    # settles those up to ``sent`` from ``took``, and any of them still
                    # on its way here is dropped when it comes.
                    took[str(conn)] = known.last_seq
                    known.last_seq = max(known.last_seq, sent)
                    term = wire.term_from_wire(raw["t"])
                    if term != known.term:  # a Resized lost on the way
                        await self._take(gw, Resized(conn, term))
                    gmcp = bool(raw.get("m", False))
                    if gmcp != known.gmcp:  # a GmcpChanged lost on the way
                        await self._take(gw, GmcpChanged(conn, gmcp))
                    continue
                if conn in gw.conns:
                    continue
                account = raw.get("a") or None
                door = str(raw["d"])
                event = wire.event_from_wire(
                    ["C", conn, door, str(raw["p"]), raw["t"], account, True]
                )
                await self._take(gw, event)
                if raw.get("m"):
                    await self._take(gw, GmcpChanged(conn, True))
                fresh.append(conn)
                port = self._ports.get(conn)
                if port is not None:
                    port.last_seq = sent  # the gateway answers every line up to it
        marks = await self._marks()
        answer: dict[str, int] = {}
        held = {int(raw["c"]): str(raw.get("a") or "") for raw in body["conns"]}
        for conn, account in held.items():
            mark = marks.get(account)
            if mark is not None and mark[0] == conn:
                answer[str(conn)] = mark[1]
        return wire.encode({"ep": self.epoch, "marks": answer, "fresh": fresh, "took": took})

    async def _on_resend(self, data: bytes) -> bytes:
        """A gateway missed output messages from ``from`` on: publish again those still
        kept, in order, and answer the first one it will get (later than ``from``
        when the rest are gone) and the last one sent."""
        body = wire.decode(data)
        gid, start = int(body["g"]), int(body["from"])
        gw = self._gateways.get(gid)
        if gw is None or gw.incarnation != int(body["i"]) or gw.stream != int(body["s"]):
            return wire.encode({"first": 0, "last": 0, "attached": False})
        again = [(n, framed) for n, framed in gw.ring if n >= start]
        first = again[0][0] if again else gw.sent + 1
        log_event(
            log,
            "resend",
            level=logging.WARNING,
            gateway=gid,
            start=start,
            messages=len(again),
            gone=max(0, first - start),
        )
        subject = wire.outputs_subject(self._world, gid)
        for _n, framed in again:
            await self._bus.publish(subject, framed)
        return wire.encode({"first": first, "last": gw.sent, "attached": True})

    async def _on_who(self, data: bytes) -> bytes:
        """Who is in the world: [name, seconds idle, link-dead] for each character."""
        rows = [[name, round(idle, 1), dead] for name, idle, dead in self._hub.who_rows()]
        return wire.encode({"ep": self.epoch, "players": rows})

    async def _on_auth(self, data: bytes) -> bytes:
        body = wire.decode(data)
        return wire.encode({"ok": await self._auth(body)})

    async def _lose(self, gid: int, reason: str) -> None:
        gw = self._gateways.pop(gid, None)
        if gw is None:
            return
        log_event(
            log, "gateway_lost", level=logging.WARNING, gateway=gid, conns=len(gw.conns), why=reason
        )
        for conn in sorted(gw.conns):
            self._ports.pop(conn, None)
            await self._hub.post(Disconnected(conn, reason=reason))

    # -- heartbeat ----------------------------------------------------------------------

    def _beat(self, *, going: bool = False) -> bytes:
        return wire.encode(
            {
                "ep": self.epoch,
                "online": self._hub.online_count,
                "gws": {str(g): gw.incarnation for g, gw in self._gateways.items()},
                "going": going,
            }
        )

    async def _heartbeat(self) -> None:
        while True:
            with contextlib.suppress(BusError):
                await self._bus.publish(wire.game_beat_subject(self._world), self._beat())
            now = self._now()
            for gid, gw in list(self._gateways.items()):
                if now - gw.seen > GATEWAY_DEADLINE:
                    async with self._inbound:
                        await self._lose(gid, "gateway lost")
            await asyncio.sleep(BEAT)

    # -- lifecycle ----------------------------------------------------------------------

    async def start(self) -> None:
        """Subscribe to the gateways' subjects and start the heartbeat and sender."""
        w = self._world
        await self._bus.subscribe(wire.events_subject(w), self._on_events)
        await self._bus.subscribe(wire.gateway_beat_subject(w), self._on_gateway_beat)
        await self._bus.serve(wire.attach_subject(w), self._on_attach)
        await self._bus.serve(wire.auth_subject(w), self._on_auth)
        await self._bus.serve(wire.resend_subject(w), self._on_resend)
        await self._bus.serve(wire.who_subject(w), self._on_who)
        # The server has the subscriptions before anyone is told this end is up.
        with contextlib.suppress(BusError):
            await self._bus.flush()
        loop = asyncio.get_running_loop()
        self._tasks = [
            loop.create_task(self._sender(), name="game-link-sender"),
            loop.create_task(self._heartbeat(), name="game-link-beat"),
        ]
        for task in self._tasks:
            watch_task(log, task)

    async def close(self, *, going: bool) -> None:
        """Send what the hub delivered last, then (``going``: a restart or stop, not a
        crash) tell the gateways at once; stop the tasks. Never raises."""
        for task in self._tasks:
            task.cancel()
        await asyncio.gather(*self._tasks, return_exceptions=True)
        with contextlib.suppress(TimeoutError):
            async with asyncio.timeout(2):
                await self._send_pending()
        if going:
            with contextlib.suppress(BusError):
                await self._bus.publish(wire.game_beat_subject(self._world), self._beat(going=True))
        with contextlib.suppress(BusError):
            await self._bus.flush()
