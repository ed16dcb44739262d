"""The telnet door. The only module that imports telnetlib3.

It turns a telnet connection into events for the hub (``Connected``, ``LineIn``,
``Resized``, ``Disconnected``) and writes what the session renders. Negotiation policy:
line mode (the client edits lines locally; we never take over echo except while a
password is typed), UTF-8 with ``force_binary`` so clients that never negotiate BINARY
still get UTF-8, undecodable input replaced rather than fatal, compression off, TTYPE
and NAWS read at connect and re-read whenever the client sends them again.

A client that negotiates nothing (``nc``) gets the greeting after ``connect_maxwait``.
Input is split into lines here; a line that grows beyond ``max_buffer`` without an end
is garbage and the client is dropped. Everything else (too-long lines, floods, idle,
login deadlines) is the hub's decision.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import Callable
from typing import Any

import telnetlib3
from attrs import evolve, frozen
from telnetlib3.telopt import ECHO, GA, IAC, SGA, WILL, WONT

from mud.core.events import Connected, Disconnected, LineIn, Resized, TermInfo
from mud.core.ports import EventSink
from mud.net.session import ConnIds, LineSplitter, Session
from mud.net.terminal import term_info

log = logging.getLogger(__name__)


@frozen
class TelnetSettings:
    """Knobs for the telnet door (from the server configuration)."""

    host: str = "0.0.0.0"
    port: int = 4000
    connect_maxwait: float = 1.0
    max_buffer: int = 16 * 1024
    max_outbox: int = 256 * 1024
    post_deadline: float = 10.0


class _Protocol(telnetlib3.TelnetServer):
    """telnetlib3's server protocol, with a hook so renegotiated NAWS/TTYPE reach us."""

    on_change: Callable[[], None] | None = None

    def on_naws(self, rows: int, cols: int) -> None:
        super().on_naws(rows, cols)
        if self.on_change is not None:
            self.on_change()

    def on_ttype(self, ttype: str) -> None:
        super().on_ttype(ttype)
        if self.on_change is not None:
            self.on_change()


class TelnetLink:
    """A ``Link`` over a telnetlib3 writer."""

    def __init__(self, writer: Any) -> None:
        self._writer = writer

    def escape(self, data: bytes) -> bytes:
        return data.replace(b"\xff", b"\xff\xff") if b"\xff" in data else data

    def write(self, data: bytes) -> None:
        # Bytes are escaped by the session already; telnetlib3's private _write with
        # escape_iac=False is the one call that writes raw bytes through its MCCP hook.
        if not self._writer.is_closing():
            self._writer._write(data, escape_iac=False)

    def buffered(self) -> int:
        transport = self._writer.transport
        if transport is None or transport.is_closing():
            return 0
        return int(transport.get_write_buffer_size())

    async def drain(self) -> None:
        await self._writer.drain()

    def set_echo(self, echo: bool) -> None:
        # WILL ECHO means "the server echoes", so the client stops echoing: used to hide
        # a password as it is typed; WONT ECHO gives local echo back.
        self._writer.iac(WONT if echo else WILL, ECHO)

    def prompt_suffix(self) -> bytes:
        if self._writer.local_option.enabled(SGA):
            return b""
        return IAC + GA

    def data(self, package: str, payload: object) -> bytes:
        return b""  # GMCP is not negotiated yet

    def close(self) -> None:
        with contextlib.suppress(Exception):
            self._writer.close()


def _term_from_writer(writer: Any, base: TermInfo | None) -> TermInfo:
    cols = writer.get_extra_info("cols") or 80
    rows = writer.get_extra_info("rows") or 24
    term_name = writer.get_extra_info("TERM") or writer.get_extra_info("term") or "unknown"
    info = term_info(str(term_name))
    known = bool(writer.remote_option.enabled(telnetlib3.telopt.NAWS))
    info = evolve(info, width=int(cols), height=int(rows), width_known=known)
    if base is not None and base.charset != info.charset:
        info = evolve(info, charset=base.charset)
    return info


class TelnetDoor:
    """Accepts telnet clients and runs one reader loop per connection.

    Owned by ``mud.app``: ``start`` binds the listener and returns the bound port;
    ``stop_accepting`` closes the listener; ``close`` waits for connections to end.
    """

    def __init__(self, settings: TelnetSettings, sink: EventSink, ids: ConnIds) -> None:
        self._settings = settings
        self._sink = sink
        self._ids = ids
        self._server: Any = None
        self._tasks: set[asyncio.Task[None]] = set()
        self.port = 0

    async def start(self) -> int:
        """Bind and listen. Returns the bound port (useful with port 0). Raises OSError."""
        self._server = await telnetlib3.create_server(
            host=self._settings.host,
            port=self._settings.port,
            protocol_factory=_Protocol,
            shell=self._shell,
            encoding="utf8",
            encoding_errors="replace",
            force_binary=True,
            line_mode=True,
            connect_maxwait=self._settings.connect_maxwait,
            compression=False,
            timeout=0,
        )
        sockets = self._server.sockets or []
        self.port = int(sockets[0].getsockname()[1]) if sockets else self._settings.port
        return self.port

    def stop_accepting(self) -> None:
        if self._server is not None:
            self._server.close()

    async def _shell(self, reader: Any, writer: Any) -> None:
        task = asyncio.current_task()
        if task is not None:
            self._tasks.add(task)
            task.add_done_callback(self._tasks.discard)
        conn = self._ids.allocate()
        peer = writer.get_extra_info("peername") or ("?", 0)
        link = TelnetLink(writer)
        session = Session(
            conn, link, _term_from_writer(writer, None), max_outbox=self._settings.max_outbox
        )
        session.start()
        protocol = writer.protocol
        loop = asyncio.get_running_loop()
        changed = asyncio.Event()

        def on_change() -> None:
            loop.call_soon(changed.set)

        if isinstance(protocol, _Protocol):
            protocol.on_change = on_change
        reason = "closed"
        watcher: asyncio.Task[None] | None = None
        try:
            self._sink.attach(session)
            await self._post(
                Connected(conn=conn, door="telnet", peer=str(peer[0]), term=session.term)
            )
            watcher = loop.create_task(self._watch_term(conn, writer, session, changed))
            reason = await self._read_lines(conn, reader, session)
        except (ConnectionError, OSError, TimeoutError) as exc:
            reason = f"error: {exc.__class__.__name__}"
        finally:
            if isinstance(protocol, _Protocol):
                protocol.on_change = None
            if watcher is not None:
                watcher.cancel()
                with contextlib.suppress(asyncio.CancelledError):
                    await watcher
            session.close()
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(asyncio.shield(self._post_final(conn, reason)), 5.0)
            await session.stop()
            link.close()

    async def _post(self, event: Connected | LineIn | Resized) -> None:
        async with asyncio.timeout(self._settings.post_deadline):
            await self._sink.post(event)

    async def _post_final(self, conn: int, reason: str) -> None:
        await self._sink.post(Disconnected(conn=conn, reason=reason))

    async def _watch_term(
        self, conn: int, writer: Any, session: Session, changed: asyncio.Event
    ) -> None:
        while True:
            await changed.wait()
            changed.clear()
            term = _term_from_writer(writer, session.term)
            if term != session.term:
                session.update_term(term)
                await self._post(Resized(conn=conn, term=term))

    async def _read_lines(self, conn: int, reader: Any, session: Session) -> str:
        splitter = LineSplitter(self._settings.max_buffer)
        while not session.closing:
            chunk: str = await reader.read(4096)
            if not chunk:
                return "eof"
            try:
                lines = splitter.feed(chunk)
            except OverflowError as exc:
                log.info("conn %d: %s; dropping", conn, exc)
                return "garbage"
            for line in lines:
                session.note_input()
                await self._post(LineIn(conn=conn, text=line))
        return "closed by server"

    async def close(self, deadline: float = 3.0) -> None:
        """Wait (bounded) for connection tasks to finish, then cancel the rest."""
        if self._server is not None:
            with contextlib.suppress(Exception):
                async with asyncio.timeout(deadline):
                    await self._server.wait_closed()
        tasks = list(self._tasks)
        if tasks:
            _done, pending = await asyncio.wait(tasks, timeout=deadline)
            for task in pending:
                task.cancel()
            if pending:
                await asyncio.wait(pending, timeout=1.0)
