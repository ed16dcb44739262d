"""The browser door: HTTP for the client page and WebSocket for play. The only module
that imports ``websockets``.

One listener serves ``GET /`` (the bundled page, ``mud/net/webclient/index.html``) and
upgrades ``GET /ws`` to a WebSocket. It uses the ``websockets`` library's sans-I/O
protocol under a plain ``asyncio.Protocol``, so writes are synchronous like the other
doors' (the ``Session`` writes from the hub's turn without awaiting), the transport's
buffer size is known, and a slow reader can be aborted at once.

Subprotocols (the mudstandards.org WebSocket proposal), negotiated with the
``Sec-WebSocket-Protocol`` header; a client offering none of them gets HTTP 400:

- ``json.mudstandards.org`` (the bundled page): BINARY frames carry UTF-8 text with ANSI
  colour, both ways (input is split into lines at CR/LF). TEXT frames carry JSON
  envelopes ``{"proto": ..., "id": ..., "data": ...}``: ``proto: "gmcp"`` with the
  package in ``id`` and its JSON in ``data`` (both ways: ``Core.Supports.Set`` from
  the client subscribes, ``Room.Info``/``Char.Vitals``/``Comm.Channel.Text`` from the
  server; the hub is told, ``GmcpChanged``, when a client first subscribes to
  something, and builds packages only for those that have); ``proto: "telnet_31",
  id: "NAWS"`` with the base64 NAWS payload (width, height as two big-endian 16-bit
  numbers) from the client; ``proto: "mud", id:
  "echo"``, data ``"off"``/``"on"`` from the server while a password is typed.
- ``telnet.mudstandards.org``: BINARY frames carry the whole telnet byte stream, handed
  to the telnet door's own protocol (``stream_factory``), so TTYPE, NAWS, GMCP, MSSP,
  CHARSET and the rest work exactly as over TCP.

Protections: an Origin check (same host as the page, or the ``origins`` allow-list; a
missing Origin, as from non-browser clients, is allowed), frame size limit
(``max_frame``), a handshake deadline, line and buffer limits, invalid UTF-8 closed with
1007, and ``X-Forwarded-For`` honoured only from ``trusted_proxies``. Flooding, idle and
login deadlines are the hub's, as for the other doors. TLS belongs to a reverse proxy.
"""

from __future__ import annotations

import asyncio
import base64
import binascii
import contextlib
import json
import logging
from collections.abc import Awaitable, Callable
from importlib import resources
from typing import Any

from attrs import evolve, frozen
from websockets.datastructures import Headers
from websockets.frames import CloseCode, Frame, Opcode
from websockets.http11 import Request, Response
from websockets.protocol import State
from websockets.server import ServerProtocol
from websockets.typing import Subprotocol

from mud.core.events import Connected, Disconnected, GmcpChanged, LineIn, Resized, TermInfo
from mud.core.markup import styled
from mud.core.outputs import Doc
from mud.core.ports import EventSink
from mud.logs import log_event
from mud.net.admission import (
    EVICTED,
    PLAYING,
    REFUSALS,
    SILENT,
    SPOKEN,
    Admission,
    ByteBudget,
    Ticket,
)
from mud.net.sendq import SendQueue
from mud.net.session import (
    ConnIds,
    InputQueue,
    LineSplitter,
    Session,
    SlowInput,
    finish_tasks,
    post_input,
    reset_abort,
)

log = logging.getLogger(__name__)

JSON_PROTOCOL = Subprotocol("json.mudstandards.org")
TELNET_PROTOCOL = Subprotocol("telnet.mudstandards.org")
SUBPROTOCOLS = (JSON_PROTOCOL, TELNET_PROTOCOL)

StreamFactory = Callable[[], asyncio.Protocol]
"""Makes a telnet server protocol for one ``telnet.mudstandards.org`` connection
(``TelnetDoor.stream_protocol``); the web door feeds it the stream's bytes."""


@frozen
class WebSettings:
    """Knobs for the browser door (the configuration's ``web`` section).

    ``origins`` lists extra page origins allowed to open the WebSocket (the page's own
    host is always allowed); ``trusted_proxies`` lists the addresses whose
    ``X-Forwarded-For`` is believed. ``max_frame`` bounds one incoming message, in bytes.
    ``login_line_deadline``: before login, a line must be finished within this many
    seconds of its first byte, or the client is cut off (a slowloris; ``SlowInput``).
    ``stall_backlog``, ``stall_deadline``: a client with more than ``stall_backlog``
    bytes of output not taken that takes none of it for ``stall_deadline`` seconds is
    cut off (``Session``). ``who``: serve the who-list at ``/who`` (JSON).
    """

    host: str = "0.0.0.0"
    port: int = 4080
    origins: tuple[str, ...] = ()
    trusted_proxies: tuple[str, ...] = ()
    max_frame: int = 16 * 1024
    max_buffer: int = 16 * 1024
    max_outbox: int = 256 * 1024
    handshake_timeout: float = 10.0
    post_deadline: float = 10.0
    max_http_request: int = 16 * 1024
    input_rate: float = 32 * 1024.0
    input_burst: int = 128 * 1024
    backlog: int = 4096
    login_line_deadline: float = 20.0
    stall_backlog: int = 64 * 1024
    stall_deadline: float = 5.0
    who: bool = True


_INPUT_HIGH = 64
_INPUT_LOW = 16
_CLOSE_DEADLINE = 5.0
"""Seconds a client has to answer the server's closing frame before it is cut off."""


#: What a ``json.mudstandards.org`` connection's input queue holds for the hub.
_Input = LineIn | Resized | GmcpChanged


def _both_resized(old: _Input, new: _Input) -> bool:
    # Window sizes are not input: a resize still waiting is replaced by the newer one.
    return isinstance(old, Resized) and isinstance(new, Resized)


#: Who is in the world: (name, seconds idle, link-dead) for each character, or None
#: when the game does not answer (split mode, while it is away).
WhoSource = Callable[[], Awaitable[list[tuple[str, float, bool]] | None]]
#: How long ``/who`` waits for the game, and how long one answer is served again.
WHO_DEADLINE = 3.0
WHO_FRESH = 1.0


def who_json(rows: list[tuple[str, float, bool]]) -> bytes:
    """The ``/who`` document: ``{"count": n, "players": [{"name", "idle" (whole
    seconds), "linkdead"}]}``, ASCII-only JSON (names are escaped, never raw)."""
    players = [{"name": name, "idle": int(idle), "linkdead": dead} for name, idle, dead in rows]
    return json.dumps({"count": len(players), "players": players}).encode("ascii")


def page_bytes() -> bytes:
    """The bundled client page (shipped as package data). Raises OSError if missing."""
    return resources.files("mud.net").joinpath("webclient/index.html").read_bytes()


def naws_size(data: str) -> tuple[int, int] | None:
    """(width, height) from a base64 NAWS payload, or None if it is not one."""
    try:
        raw = base64.b64decode(data, validate=True)
    except (binascii.Error, ValueError):
        return None
    if len(raw) != 4:
        return None
    return int.from_bytes(raw[:2], "big"), int.from_bytes(raw[2:], "big")


def envelope(proto: str, ident: str, data: str) -> str:
    """One ``json.mudstandards.org`` TEXT frame."""
    return json.dumps({"proto": proto, "id": ident, "data": data}, separators=(",", ":"))


def client_address(peer: str, headers: Headers, trusted: tuple[str, ...]) -> str:
    """The player's address: the last ``X-Forwarded-For`` hop added by a trusted proxy,
    else the socket's peer. Never trusts the header from anyone else."""
    if peer not in trusted:
        return peer
    hops = [h.strip() for v in headers.get_all("X-Forwarded-For") for h in v.split(",")]
    hops = [h for h in hops if h]
    # Walk back through proxies we trust; the first untrusted hop is the client.
    while hops and hops[-1] in trusted:
        hops.pop()
    return hops[-1][:64] if hops else peer


class WebLink:
    """A ``Link`` over one ``json.mudstandards.org`` WebSocket.

    Game text is sent in BINARY frames; structured data and echo changes in TEXT
    frames, written at once (like telnet's IAC sequences, they bypass the text batching).
    """

    def __init__(self, conn: _WebConnection) -> None:
        self._conn = conn
        self.subscriptions: frozenset[str] = frozenset()

    def escape(self, data: bytes) -> bytes:
        return data

    def write(self, data: bytes) -> None:
        if data:
            self._conn.send_binary(data)

    def buffered(self) -> int:
        return self._conn.buffered()

    async def drain(self) -> None:
        await self._conn.drained()

    def set_echo(self, echo: bool) -> None:
        self._conn.send_text(envelope("mud", "echo", "on" if echo else "off"))

    def prompt_suffix(self) -> bytes:
        return b""

    def data(self, package: str, payload: object) -> bytes:
        if not _subscribed(self.subscriptions, package):
            return b""
        try:
            text = json.dumps(payload, separators=(",", ":"))
        except (TypeError, ValueError):
            log.warning("GMCP %s payload is not JSON-serialisable; not sent", package)
            return b""
        self._conn.send_text(envelope("gmcp", package, text))
        return b""

    def close(self) -> None:
        self._conn.close_ws(CloseCode.NORMAL_CLOSURE, "goodbye")

    def abort(self) -> None:
        self._conn.abort()


def _subscribed(subs: frozenset[str], package: str) -> bool:
    parts = package.split(".")
    return any(".".join(parts[:i]) in subs for i in range(1, len(parts) + 1))


def _supports(data: str) -> frozenset[str]:
    """Module names from a ``Core.Supports.Set`` payload (``["Char 1", "Room 1"]``)."""
    try:
        items = json.loads(data)
    except ValueError:
        return frozenset()
    if not isinstance(items, list):
        return frozenset()
    return frozenset(str(i).split()[0] for i in items[:64] if isinstance(i, str) and i.strip())


class _StreamTransport(asyncio.Transport):
    """What the telnet protocol sees under ``telnet.mudstandards.org``: writes become
    BINARY frames, and the TCP transport's buffer and flow control show through."""

    def __init__(self, conn: _WebConnection, peer: str) -> None:
        super().__init__()
        self._conn = conn
        self._peer = peer
        self._closing = False

    def write(self, data: bytes | bytearray | memoryview) -> None:
        if not self._closing and data:
            self._conn.send_binary(bytes(data))

    def get_extra_info(self, name: str, default: Any = None) -> Any:
        if name == "peername":
            return (self._peer, 0)
        if name in ("socket", "ssl_object"):
            return default
        return self._conn.tcp_info(name, default)

    def is_closing(self) -> bool:
        return self._closing or self._conn.is_closing()

    def close(self) -> None:
        if not self._closing:
            self._closing = True
            self._conn.close_ws(CloseCode.NORMAL_CLOSURE, "goodbye")

    def abort(self) -> None:
        self._closing = True
        self._conn.abort()

    def get_write_buffer_size(self) -> int:
        return self._conn.buffered()

    def get_write_buffer_limits(self) -> tuple[int, int]:
        return self._conn.write_limits()

    def set_write_buffer_limits(self, high: int | None = None, low: int | None = None) -> None:
        self._conn.set_write_limits(high, low)

    def pause_reading(self) -> None:
        self._conn.pause_reading()

    def resume_reading(self) -> None:
        self._conn.resume_reading()

    def is_reading(self) -> bool:
        return self._conn.is_reading()

    def can_write_eof(self) -> bool:
        return False


class _WebConnection(asyncio.Protocol):
    """One TCP connection to the web port: an HTTP request, then maybe a WebSocket."""

    def __init__(self, door: WebDoor) -> None:
        self._door = door
        self._settings = door.settings
        self._ws = ServerProtocol(
            origins=None,
            subprotocols=list(door.subprotocols),
            max_size=self._settings.max_frame,
            logger=log,
        )
        self._transport: asyncio.Transport | None = None
        self._peer = "?"
        self._deadline: asyncio.TimerHandle | None = None
        self._request_bytes = 0
        self._upgraded = False
        self._stream: asyncio.Protocol | None = None
        self._task: asyncio.Task[None] | None = None
        # Input flow control: above ``_INPUT_HIGH`` waiting events this socket is no
        # longer read (TCP holds the client back) until the hub has taken them.
        self._input: InputQueue[_Input] = InputQueue(
            _INPUT_HIGH, _INPUT_LOW, self.pause_reading, self.resume_reading, coalesce=_both_resized
        )
        self._drain_waiters: list[asyncio.Future[None]] = []
        self._writing_paused = False
        self._session: Session | None = None
        self._link: WebLink | None = None
        self._splitter = LineSplitter(self._settings.max_buffer)
        # 16 colours: the page maps them onto its light or dark palette, where fixed RGB
        # values chosen for a dark terminal would be unreadable on a light page.
        self._term = TermInfo(term="web", colours=16, width=80, width_known=False)
        self._ticket: Ticket | None = None
        self._budget: ByteBudget | None = None
        self._slow = SlowInput(self._settings.login_line_deadline, self._too_slow)
        self.conn = 0

    # -- asyncio.Protocol --------------------------------------------------------------

    def connection_made(self, transport: asyncio.BaseTransport) -> None:
        assert isinstance(transport, asyncio.Transport)
        self._transport = transport
        peer = transport.get_extra_info("peername")
        self._peer = str(peer[0]) if peer else "?"
        self._door.opened(self)
        loop = asyncio.get_running_loop()
        self._deadline = loop.call_later(self._settings.handshake_timeout, self._handshake_expired)
        settings = self._settings
        self._budget = ByteBudget(settings.input_rate, settings.input_burst, loop.time())
        # Counted toward the connection caps from the accept, like the other doors; a
        # trusted proxy's connections are counted by the address it forwards for, once
        # its request says who that is (``_on_request``).
        if self._peer not in self._settings.trusted_proxies:
            self._take_slot(self._peer)

    def _take_slot(self, address: str) -> bool:
        """Take an admission slot for ``address``; False (and a 503 sent) if refused."""
        admission = self._door.admission
        if admission is None or self._ticket is not None:
            return True
        self._ticket = admission.admit(address, "web", asyncio.get_running_loop().time())
        if self._ticket is None:
            self._reject_raw(503, REFUSALS[admission.refusal] + "\n")
            return False
        self._ticket.watch(self._standing, self._evict)
        return True

    def _standing(self) -> int:
        """How this connection stands, for admission making room (``Ticket.watch``): it
        has spoken once a byte of its request came."""
        if self._session is not None and self._session.playing:
            return PLAYING
        return SPOKEN if self._request_bytes or self._upgraded else SILENT

    def _evict(self) -> None:
        """Admission made room from this connection (never one playing): close it, with
        a word to its player once the page is connected."""
        if self._session is not None:
            self._session.close(Doc.text(styled("error", EVICTED)))
        elif self._upgraded:
            self.close_ws(1013, "server full")
        else:
            self._reject_raw(503, EVICTED + "\n")

    def connection_lost(self, exc: Exception | None) -> None:
        self._slow.stop()
        if self._ticket is not None:
            self._ticket.release()
            self._ticket = None
        self._door.closed(self)
        if self._deadline is not None:
            self._deadline.cancel()
        for waiter in self._drain_waiters:
            if not waiter.done():
                waiter.set_result(None)
        self._drain_waiters.clear()
        if self._stream is not None:
            stream, self._stream = self._stream, None
            with contextlib.suppress(Exception):
                stream.connection_lost(exc)
        self._put(None)

    def pause_writing(self) -> None:
        self._writing_paused = True

    def resume_writing(self) -> None:
        self._writing_paused = False
        for waiter in self._drain_waiters:
            if not waiter.done():
                waiter.set_result(None)
        self._drain_waiters.clear()

    def data_received(self, data: bytes) -> None:
        # The byte budget holds whatever the frames are (ignored envelopes, pings, junk).
        budget = self._budget
        if budget is not None and not budget.spend(len(data), asyncio.get_running_loop().time()):
            log.warning("web: cut off %s: input over its byte budget", self._peer)
            self.abort()
            return
        if not self._upgraded:
            self._request_bytes += len(data)
            if self._request_bytes > self._settings.max_http_request:
                self._reject_raw(431, "Request header fields too large\n")
                return
        self._ws.receive_data(data)
        self._pump()

    def eof_received(self) -> bool | None:
        self._ws.receive_eof()
        self._pump()
        return None

    # -- the WebSocket -----------------------------------------------------------------

    def _pump(self) -> None:
        for event in self._ws.events_received():
            if isinstance(event, Request):
                self._on_request(event)
            elif isinstance(event, Frame):
                self._on_frame(event)
        self._flush()
        if self._ws.state is State.CLOSED and self._transport is not None:
            self._transport.close()

    def _flush(self) -> None:
        transport = self._transport
        if transport is None or transport.is_closing():
            self._ws.data_to_send()
            return
        for chunk in self._ws.data_to_send():
            if chunk:
                transport.write(chunk)
            else:
                transport.close()  # the protocol asks for the end of the TCP stream
                return

    def _on_request(self, request: Request) -> None:
        path = request.path.split("?", 1)[0]
        address = client_address(self._peer, request.headers, self._settings.trusted_proxies)
        if not self._take_slot(address):
            return
        if "upgrade" not in request.headers.get("Connection", "").lower():
            self._serve_http(path)
            return
        if path != "/ws":
            self._send_response(self._ws.reject(404, "No WebSocket here; use /ws.\n"))
            return
        problem = self._origin_problem(request.headers)
        if problem:
            log.info("web: refused %s: %s", address, problem)
            self._send_response(self._ws.reject(403, f"Forbidden: {problem}.\n"))
            return
        response = self._ws.accept(request)
        self._ws.send_response(response)
        if response.status_code != 101:
            log.info("web: handshake refused for %s: %s", address, response.reason_phrase)
            self._flush()
            if self._transport is not None:
                self._transport.close()
            return
        self._upgraded = True
        if self._deadline is not None:
            self._deadline.cancel()
            self._deadline = None
        self._peer = address
        if self._ws.subprotocol == TELNET_PROTOCOL:
            self._stream = self._door.stream_protocol()
            self._stream.connection_made(_StreamTransport(self, address))
        else:
            self._task = asyncio.get_running_loop().create_task(
                self._door.run_session(self), name="web-session"
            )

    def _origin_problem(self, headers: Headers) -> str:
        origin = headers.get("Origin")
        if origin is None:
            return ""  # not a browser: nothing to forge
        host = headers.get("Host", "")
        if origin in (f"http://{host}", f"https://{host}") or origin in self._settings.origins:
            return ""
        return f"origin {origin[:80]!r} is not allowed"

    def _serve_http(self, path: str) -> None:
        if path == "/who" and self._door.who is not None:
            task = asyncio.get_running_loop().create_task(self._serve_who(), name="web-who")
            self._door.own(task)
            return
        if path in ("/", "/index.html"):
            try:
                body = self._door.page()
            except OSError:
                self._send_response(self._ws.reject(500, "The client page is missing.\n"))
                return
            headers = Headers(
                [
                    ("Content-Type", "text/html; charset=utf-8"),
                    ("Content-Length", str(len(body))),
                    ("Cache-Control", "no-cache"),
                    ("X-Content-Type-Options", "nosniff"),
                    (
                        "Content-Security-Policy",
                        "default-src 'self'; script-src 'unsafe-inline'; "
                        "style-src 'unsafe-inline'; connect-src 'self' ws: wss:",
                    ),
                    ("Connection", "close"),
                ]
            )
            self._send_response(Response(200, "OK", headers, body))
            return
        self._send_response(self._ws.reject(404, "Not found.\n"))

    async def _serve_who(self) -> None:
        body = await self._door.who_page()
        if self._transport is None or self._transport.is_closing():
            return
        if body is None:
            self._send_response(
                self._ws.reject(503, "The world is not answering; try again in a moment.\n")
            )
            return
        headers = Headers(
            [
                ("Content-Type", "application/json"),
                ("Content-Length", str(len(body))),
                ("Cache-Control", "no-cache"),
                # A public list, meant to be shown on the game's own web site.
                ("Access-Control-Allow-Origin", "*"),
                ("X-Content-Type-Options", "nosniff"),
                ("Connection", "close"),
            ]
        )
        self._send_response(Response(200, "OK", headers, body))

    def _send_response(self, response: Response) -> None:
        self._ws.send_response(response)
        self._flush()
        if self._transport is not None:
            self._transport.close()

    def _reject_raw(self, status: int, text: str) -> None:
        if self._transport is None:
            return
        body = text.encode()
        head = (
            f"HTTP/1.1 {status} Error\r\nContent-Length: {len(body)}\r\nConnection: close\r\n\r\n"
        )
        self._transport.write(head.encode() + body)
        self._transport.close()

    def _handshake_expired(self) -> None:
        self._deadline = None
        if not self._upgraded and self._transport is not None:
            log.info("web: %s did not finish its request in time; closed", self._peer)
            self._transport.abort()

    def _on_frame(self, frame: Frame) -> None:
        data = bytes(frame.data)
        if frame.opcode is Opcode.BINARY:
            if self._stream is not None:
                self._stream.data_received(data)
            else:
                self._on_text_input(data)
        elif frame.opcode is Opcode.TEXT and self._stream is None:
            self._on_envelope(data)
        elif frame.opcode is Opcode.CLOSE:
            if self._stream is not None:
                stream, self._stream = self._stream, None
                with contextlib.suppress(Exception):
                    stream.connection_lost(None)
            self._put(None)

    def _on_text_input(self, data: bytes) -> None:
        try:
            text = data.decode("utf-8")
        except UnicodeDecodeError:
            self.close_ws(CloseCode.INVALID_DATA, "input is not UTF-8")
            return
        try:
            lines = self._splitter.feed(text)
        except OverflowError:
            self.close_ws(CloseCode.MESSAGE_TOO_BIG, "line too long")
            return
        for line in lines:
            self._put(LineIn(conn=self.conn, text=line))
        self._slow.mark("line", self._splitter.pending, asyncio.get_running_loop().time())

    def _too_slow(self) -> None:
        log_event(
            log,
            "conn_cut_off",
            level=logging.WARNING,
            door="web",
            addr=self._peer,
            reason="slow_line",
        )
        self.abort()

    def _on_envelope(self, data: bytes) -> None:
        try:
            message = json.loads(data)
            proto, ident, payload = message["proto"], message.get("id", ""), message["data"]
        except (ValueError, KeyError, TypeError):
            log.info("web: conn %d sent a malformed envelope; ignored", self.conn)
            return
        if not isinstance(payload, str) or not isinstance(ident, str):
            return
        if proto == "gmcp" and ident in ("Core.Supports.Set", "Core.Supports.Add"):
            if self._link is not None:
                before = self._link.subscriptions
                subs = _supports(payload)
                if ident == "Core.Supports.Add":
                    subs = before | subs
                self._link.subscriptions = subs
                if bool(subs) != bool(before):
                    # The hub builds GMCP packages only for connections that want some.
                    self._put(GmcpChanged(conn=self.conn, on=bool(subs)))
        elif proto == "telnet_31" and ident == "NAWS":
            size = naws_size(payload)
            if size is not None:
                width, height = size
                self._term = evolve(self._term, width=width, height=height, width_known=True)
                if self._session is not None:
                    self._session.update_term(self._term)
                    self._put(Resized(conn=self.conn, term=self._term))

    def _put(self, item: _Input | None) -> None:
        if item is None:
            self._input.end()  # what waits is still posted, then the end
        else:
            self._input.put(item)

    async def next_event(self) -> _Input | None:
        """The next event for the hub, or None at the end of input. Never raises."""
        return await self._input.next()

    # -- output (used by WebLink and _StreamTransport) ---------------------------------

    def send_binary(self, data: bytes) -> None:
        if self._ws.state is State.OPEN:
            self._ws.send_binary(data)
            self._flush()

    def send_text(self, text: str) -> None:
        if self._ws.state is State.OPEN:
            self._ws.send_text(text.encode("utf-8"))
            self._flush()

    def close_ws(self, code: int, reason: str) -> None:
        # Nothing more goes to the hub; reading resumes so the client's closing frame
        # can arrive, and a client that never sends it is cut off.
        self._input.discard()
        if self._ws.state is State.OPEN:
            self._ws.send_close(code, reason)
            self._flush()
            asyncio.get_running_loop().call_later(_CLOSE_DEADLINE, self._close_expired)
        elif self._transport is not None and self._ws.state is not State.CLOSING:
            self._transport.close()

    def _close_expired(self) -> None:
        if self._transport is not None and not self._transport.is_closing():
            self.abort()

    def abort(self) -> None:
        """Cut the TCP connection now (a reset: nothing buffered is sent)."""
        reset_abort(self._transport)

    def is_closing(self) -> bool:
        return self._transport is None or self._transport.is_closing()

    def buffered(self) -> int:
        if self._transport is None or self._transport.is_closing():
            return 0
        return self._transport.get_write_buffer_size()

    async def drained(self) -> None:
        if not self._writing_paused or self.is_closing():
            return
        waiter = asyncio.get_running_loop().create_future()
        self._drain_waiters.append(waiter)
        await waiter

    def tcp_info(self, name: str, default: Any = None) -> Any:
        if self._transport is None:
            return default
        return self._transport.get_extra_info(name, default)

    def write_limits(self) -> tuple[int, int]:
        return self._transport.get_write_buffer_limits() if self._transport else (0, 0)

    def set_write_limits(self, high: int | None, low: int | None) -> None:
        if self._transport is not None:
            self._transport.set_write_buffer_limits(high, low)

    def pause_reading(self) -> None:
        if self._transport is not None and not self._transport.is_closing():
            self._transport.pause_reading()

    def resume_reading(self) -> None:
        if self._transport is not None and not self._transport.is_closing():
            self._transport.resume_reading()

    def is_reading(self) -> bool:
        return self._transport is not None and self._transport.is_reading()

    # -- the game session (json.mudstandards.org) --------------------------------------

    def make_session(self, conn: int) -> Session:
        self.conn = conn
        self._link = WebLink(self)
        self._session = Session(
            conn,
            self._link,
            self._term,
            max_outbox=self._settings.max_outbox,
            stall_backlog=self._settings.stall_backlog,
            stall_deadline=self._settings.stall_deadline,
            sendq=SendQueue.of(self.tcp_info("socket")),
        )
        self._slow.attach(self._session)
        return self._session

    @property
    def peer(self) -> str:
        return self._peer

    @property
    def term(self) -> TermInfo:
        return self._term


class WebDoor:
    """Accepts browsers and WebSocket clients on one port. Owned by ``mud.app``.

    ``start`` binds and returns the bound port; ``stop_accepting`` closes the listener;
    ``close`` ends the remaining connections within a deadline. ``stream_protocol``
    makes the telnet protocol used for ``telnet.mudstandards.org`` connections; without
    it that subprotocol is not offered.
    ``admission`` (shared with the other doors) counts every TCP connection toward
    the per-address and global caps from the moment it is accepted until it closes.
    """

    def __init__(
        self,
        settings: WebSettings,
        sink: EventSink,
        ids: ConnIds,
        *,
        stream_protocol: StreamFactory | None = None,
        page: Callable[[], bytes] = page_bytes,
        admission: Admission | None = None,
        who: WhoSource | None = None,
    ) -> None:
        self.settings = settings
        self.admission = admission
        self.who = who if settings.who else None
        self._who_cache: tuple[float, bytes] | None = None
        self._who_asking: asyncio.Future[bytes | None] | None = None
        self._sink = sink
        self._ids = ids
        self._stream_factory = stream_protocol
        self.page = page
        self.subprotocols: tuple[Subprotocol, ...] = (
            SUBPROTOCOLS if stream_protocol is not None else (JSON_PROTOCOL,)
        )
        self._server: asyncio.Server | None = None
        self._connections: set[_WebConnection] = set()
        self._tasks: set[asyncio.Task[None]] = set()
        self.port = 0

    @property
    def connections(self) -> int:
        """Open TCP connections to the web port, in any state."""
        return len(self._connections)

    async def start(self) -> int:
        """Bind and listen. Returns the bound port. Raises OSError."""
        loop = asyncio.get_running_loop()
        self._server = await loop.create_server(
            lambda: _WebConnection(self),
            self.settings.host,
            self.settings.port,
            backlog=self.settings.backlog,
        )
        sockets = list(self._server.sockets or ())
        self.port = int(sockets[0].getsockname()[1]) if sockets else self.settings.port
        return self.port

    def stop_accepting(self) -> None:
        if self._server is not None:
            self._server.close()

    def opened(self, conn: _WebConnection) -> None:
        self._connections.add(conn)

    def closed(self, conn: _WebConnection) -> None:
        self._connections.discard(conn)

    def own(self, task: asyncio.Task[None]) -> None:
        """Keep ``task`` until it ends; ``close`` waits for it (bounded)."""
        self._tasks.add(task)
        task.add_done_callback(self._tasks.discard)

    async def who_page(self) -> bytes | None:
        """The ``/who`` document, or None when the game does not answer in time. One
        answer serves every request for ``WHO_FRESH`` seconds, and requests that come
        while the game is being asked share that one question, so a flood of them
        costs the game one who-list a second."""
        assert self.who is not None
        loop = asyncio.get_running_loop()
        if self._who_cache is not None and loop.time() - self._who_cache[0] < WHO_FRESH:
            return self._who_cache[1]
        if self._who_asking is None:
            # Owned by the door: ``close`` cancels it (it ends within WHO_DEADLINE anyway).
            self._who_asking = loop.create_task(self._ask_who(), name="web-who-ask")
        return await asyncio.shield(self._who_asking)

    async def _ask_who(self) -> bytes | None:
        assert self.who is not None
        try:
            async with asyncio.timeout(WHO_DEADLINE):
                rows = await self.who()
        except TimeoutError:
            rows = None
        finally:
            self._who_asking = None
        if rows is None:
            return None
        body = who_json(rows)
        self._who_cache = (asyncio.get_running_loop().time(), body)
        return body

    def stream_protocol(self) -> asyncio.Protocol:
        if self._stream_factory is None:
            raise RuntimeError("telnet.mudstandards.org is not available")
        return self._stream_factory()

    async def run_session(self, ws: _WebConnection) -> None:
        """Post one ``json.mudstandards.org`` player's events until the socket ends."""
        task = asyncio.current_task()
        if task is not None:
            self._tasks.add(task)
            task.add_done_callback(self._tasks.discard)
        conn = self._ids.allocate()
        session = ws.make_session(conn)
        session.start()
        reason = "closed"
        try:
            self._sink.attach(session)
            await self._post(Connected(conn=conn, door="web", peer=ws.peer, term=ws.term))
            while not session.closing:
                event = await ws.next_event()
                if event is None:
                    reason = "eof"
                    break
                if isinstance(event, LineIn):
                    session.note_input()
                # Waits as long as the hub needs: meanwhile this socket is not read.
                await post_input(self._sink, event, session, self.settings.post_deadline)
        except (ConnectionError, OSError, TimeoutError) as exc:
            reason = f"error: {exc.__class__.__name__}"
        finally:
            session.close()
            with contextlib.suppress(TimeoutError):
                async with asyncio.timeout(5.0):
                    await asyncio.shield(self._sink.post(Disconnected(conn=conn, reason=reason)))
            await session.stop()
            ws.close_ws(CloseCode.GOING_AWAY, "session ended")

    async def _post(self, event: Connected | LineIn | Resized) -> None:
        async with asyncio.timeout(self.settings.post_deadline):
            await self._sink.post(event)

    async def close(self, deadline: float = 3.0) -> None:
        """Close every connection (bounded) and wait for the session tasks."""
        if self._who_asking is not None:
            self._who_asking.cancel()
        for conn in list(self._connections):
            conn.close_ws(CloseCode.GOING_AWAY, "server stopping")
        await finish_tasks(self._tasks, deadline)
        for conn in list(self._connections):
            conn.abort()
        if self._server is not None:
            with contextlib.suppress(Exception):
                async with asyncio.timeout(deadline):
                    await self._server.wait_closed()


__all__ = [
    "JSON_PROTOCOL",
    "SUBPROTOCOLS",
    "TELNET_PROTOCOL",
    "WebDoor",
    "WebSettings",
    "client_address",
    "envelope",
    "naws_size",
    "page_bytes",
]
