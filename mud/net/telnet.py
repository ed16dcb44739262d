"""The telnet door. The only module that imports telnetlib3.

It turns a telnet connection into events for the hub (``Connected``, ``LineIn``,
``Resized``, ``GmcpChanged``, ``Disconnected``) and writes what the session renders.

Negotiation policy (what the server offers, and what it agrees to):
- Line mode: the client edits lines locally; echo is only taken over while a password
  is typed. DO BINARY is asked (the client then sends 8-bit bytes as they are: inetutils
  telnet otherwise takes some UTF-8 bytes for its escape or quit character); WILL
  BINARY is not offered (inetutils telnet garbles its local echo when the server side
  is binary) but granted to a client that asks. Text is 8-bit both ways regardless
  (``force_binary``).
- TTYPE (RFC 1091) is cycled until the client repeats itself, at most
  ``TelnetSettings.ttype_max`` requests; an ``MTTS <n>`` answer sets colours and the
  screen-reader flag. NAWS gives the width (80 columns until a client sends it).
- CHARSET (RFC 2066): the server asks for UTF-8, then Latin-1, then US-ASCII, and
  accepts only those three, whoever asks. Output and input decoding follow the result
  (``mud.net.telopt.decide_charset``).
- WILL EOR (RFC 885): prompts end with IAC EOR once the client said DO EOR, else with
  IAC GA unless the client suppressed go-ahead (DO SGA).
- WILL GMCP (201): ``Core.Hello``, ``Core.Supports.Set/Add/Remove`` and ``Core.Ping``
  are handled; the hub's packages go only to clients that agreed and subscribed. The
  hub is told (``GmcpChanged``) when a client has both agreed and subscribed to
  something, and when it no longer has, so it builds no packages for the others.
- WILL MSSP (70): on DO MSSP the server status table is sent once.
- WILL MCCP2 (86) unless ``TelnetSettings.compression`` is off: server-to-client
  compression by telnetlib3. Compression *from* the client (MCCP3, or a client's WILL
  MCCP2) is always refused, and a client's unsolicited MCCP3 subnegotiation ignored.
- Every other MUD option (MSDP, MXP, MSP, ZMP, ATCP, Aardwolf) is refused, and
  subnegotiations for options we did not agree to are dropped, as is any
  subnegotiation over ``TelnetSettings.max_subneg`` bytes (memory stays bounded).
  Malformed GMCP is ignored and logged once per connection; nothing a client sends in
  a subnegotiation ends its session.

A client that negotiates nothing (``nc``) gets the greeting after ``connect_maxwait``.
Input is split into lines here; a line that grows beyond ``max_buffer`` without an end
is garbage and the client is dropped; control bytes inside a line are removed.

Hostile clients (before telnetlib3 parses a byte, in ``_Protocol.data_received``):
- Admission: every socket takes a slot of the shared ``Admission`` (per-address and
  global caps) when it is accepted and holds it until the socket is really closed; a
  socket over a cap gets one line and is closed.
- Byte budget: ``input_rate`` bytes a second, ``input_burst`` at once, whatever the bytes
  are (endless subnegotiations, NULs, no line ends); a client over it is aborted (TCP
  reset) and logged. Received bytes are parsed at most ``_FEED_CHUNK`` per loop turn.
- A first line that is an HTTP request is answered with a short plain-text hint (how
  to connect with telnet or SSH) and the connection closed.
- Dropping a client aborts its transport: nothing more is sent, its descriptor is freed
  at once; a graceful close that the peer does not complete within ``GONE_DEADLINE`` is
  aborted too.
- NAWS sizes are clamped to the range the ``width`` command accepts.

Everything else (too-long lines, floods, idle, login deadlines) is the hub's decision.
"""

from __future__ import annotations

import asyncio
import collections
import contextlib
import logging
import re
import socket
from collections.abc import Callable, Iterator
from functools import lru_cache
from typing import Any, ClassVar

import telnetlib3
from attrs import evolve, frozen
from telnetlib3 import slc
from telnetlib3.telopt import (
    AARDWOLF,
    ATCP,
    BINARY,
    CHARSET,
    DO,
    ECHO,
    EOR,
    GMCP,
    IAC,
    MCCP2_COMPRESS,
    MCCP3_COMPRESS,
    MSDP,
    MSP,
    MSSP,
    MXP,
    NAWS,
    NEW_ENVIRON,
    SB,
    SE,
    SGA,
    TSPEED,
    TTYPE,
    WILL,
    WONT,
    XDISPLOC,
    ZMP,
)

from mud.core.clock import Clock, SystemClock
from mud.core.events import Connected, Disconnected, GmcpChanged, LineIn, Resized, TermInfo
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
from mud.net.flag import Flag
from mud.net.sendq import SendQueue
from mud.net.session import (
    ConnIds,
    LineSplitter,
    Session,
    SlowInput,
    finish_tasks,
    post_input,
    reset_abort,
)
from mud.net.telopt import (
    CHARSET_ACCEPTED,
    CHARSET_OFFER,
    CHARSET_REJECTED,
    CHARSET_REQUEST,
    EOR_CMD,
    GA,
    MAX_GMCP,
    GmcpError,
    GmcpHello,
    MsspTable,
    Mtts,
    SubnegBound,
    allowed_charset,
    apply_supports,
    choose_charset,
    decide_charset,
    gmcp_frame,
    mssp_frame,
    mssp_variables,
    parse_charset_request,
    parse_gmcp,
    parse_mtts,
    subscribed,
)
from mud.net.terminal import term_from_ttypes

log = logging.getLogger(__name__)

MsspSource = Callable[[], MsspTable]
"""Returns the MSSP table (``mud.net.telopt.mssp_variables`` builds one). Called in
the event loop each time a client asks; must be quick and must not block."""

_PROMPT_EOR = bytes((255, EOR_CMD))
_PROMPT_GA = bytes((255, GA))
# Subnegotiations handed to telnetlib3's own parsers; everything else is ours or dropped.
_PASS_SB = frozenset({NAWS, TTYPE, NEW_ENVIRON, TSPEED, XDISPLOC})
# MUD options we never perform, and options a client must never enable towards us
# (above all compression of what it sends: we never decompress client input).
_REFUSE_DO = frozenset({MCCP3_COMPRESS, MSDP, MSP, MXP, ZMP, AARDWOLF, ATCP})
_REFUSE_WILL = frozenset(
    {MCCP2_COMPRESS, MCCP3_COMPRESS, GMCP, MSSP, MSDP, MSP, MXP, ZMP, AARDWOLF, ATCP}
)


@frozen
class TelnetSettings:
    """Knobs for the telnet door (from the server configuration's ``telnet`` section).

    ``compression`` allows MCCP2 (server to client) for clients that ask; ``ttype_max``
    caps the TTYPE requests per connection; ``max_subneg`` is the largest
    subnegotiation (GMCP message included) accepted from a client, in bytes.
    ``sndbuf`` fixes the kernel's send buffer per connection (0 keeps the kernel's
    default, which on Linux grows to several MiB): a fixed size bounds kernel memory
    per player and lets a stalled client fill its outbox, and be dropped, sooner. The
    default, 64 KiB (Linux doubles it), is far more than a text game needs in flight.
    ``input_rate`` and ``input_burst`` are the byte budget of one connection's input
    (bytes a second, and at once); a client over it is cut off.
    ``login_line_deadline``: before login, a line (or a subnegotiation) must be
    finished within this many seconds of its first byte, or the client is cut off (a
    slowloris; see ``SlowInput``).
    ``stall_backlog`` and ``stall_deadline``: a client with more than ``stall_backlog``
    bytes of output not taken (kernel included) that takes none of it for
    ``stall_deadline`` seconds is cut off (``Session``).
    ``backlog`` is the listen queue: connections the kernel completes and holds until
    the server accepts them (asyncio's default of 100 drops the rest of a reconnect
    storm's SYNs, and those clients retry only after 1, 3, 7... seconds; the kernel
    caps it at ``net.core.somaxconn``).
    """

    host: str = "0.0.0.0"
    port: int = 4000
    connect_maxwait: float = 1.0
    max_buffer: int = 16 * 1024
    max_outbox: int = 256 * 1024
    post_deadline: float = 10.0
    compression: bool = True
    ttype_max: int = 4
    max_subneg: int = MAX_GMCP
    sndbuf: int = 64 * 1024
    input_rate: float = 32 * 1024.0
    input_burst: int = 128 * 1024
    backlog: int = 4096
    login_line_deadline: float = 20.0
    stall_backlog: int = 64 * 1024
    stall_deadline: float = 5.0


_FEED_CHUNK = 4096
"""At most this many received bytes are parsed in one turn of the event loop; the rest
waits for the next turn, so one client's burst cannot hold the loop."""
#: Lines of one read posted to the game before the door lets it take a turn.
_LINES_PER_TURN = 32

_READ_SIZE = 16 * 1024

GONE_DEADLINE = 10.0
"""A closed connection whose peer does not take the last bytes is aborted after this
many seconds: until then it still counts toward the connection caps."""

_HTTP_REQUEST = re.compile(
    rb"(GET|HEAD|POST|PUT|DELETE|OPTIONS|PATCH|CONNECT|TRACE) \S+ HTTP/\d(\.\d)?\r?\n"
)
_HTTP_METHODS: tuple[bytes, ...] = tuple(
    m + b" " for m in (b"GET", b"HEAD", b"POST", b"PUT", b"DELETE", b"OPTIONS", b"PATCH")
) + (b"CONNECT ", b"TRACE ")


@frozen
class _Policy:
    """What every connection of one door shares (read-only)."""

    settings: TelnetSettings
    mssp: MsspSource
    admission: Admission | None = None
    ports: Callable[[], tuple[int, int]] | None = None
    """The SSH and web ports (0 when off), named in the answer to a web browser."""


class _Reaper(asyncio.Protocol):
    """Takes over a transport telnetlib3 has let go of, to learn when it is really gone."""

    def __init__(self, ticket: Ticket) -> None:
        self._ticket = ticket

    def connection_lost(self, exc: Exception | None) -> None:
        self._ticket.release()


def _release_when_gone(transport: Any, ticket: Ticket) -> None:
    """Release ``ticket`` once ``transport``'s socket is closed; abort the transport if
    that takes more than ``GONE_DEADLINE`` seconds (a peer that stopped reading)."""
    if transport is None:
        ticket.release()
        return
    with contextlib.suppress(Exception):
        transport.set_protocol(_Reaper(ticket))
    sock = transport.get_extra_info("socket")
    loop = asyncio.get_running_loop()
    deadline = loop.time() + GONE_DEADLINE

    def check() -> None:
        if ticket.released:
            return
        if sock is None or sock.fileno() == -1:
            ticket.release()
        elif loop.time() >= deadline:
            log.info("telnet: %s did not take its last bytes; aborting", ticket.peer)
            reset_abort(transport)
            loop.call_later(0.5, check)
        else:
            loop.call_later(0.5, check)

    loop.call_soon(check)


# Shared starting values: each frozenset() and GmcpHello() would be an object per
# connection (issue 16).
_NO_SUBS: frozenset[str] = frozenset()
_NO_HELLO = GmcpHello()


class _ConnState:
    """Per-connection results of negotiation that telnetlib3 does not keep for us.

    Written only by the connection's protocol and writer (in the event loop); read by
    its ``TelnetLink``.
    """

    __slots__ = (
        "charset_accepted",
        "charset_rejected",
        "complained",
        "gmcp_subs",
        "gmcp_told",
        "hello",
        "mtts",
        "on_change",
        "sb_oversize",
        "ttypes",
    )

    def __init__(self) -> None:
        self.charset_accepted: str | None = None
        self.charset_rejected = False
        self.mtts: Mtts | None = None
        self.ttypes: tuple[str, ...] = ()
        self.gmcp_subs: frozenset[str] = _NO_SUBS
        self.gmcp_told = False  # what the hub was last told (GmcpChanged); off at first
        self.hello = _NO_HELLO
        self.complained = False
        self.sb_oversize = False
        self.on_change: Callable[[], None] | None = None

    @property
    def charset(self) -> str:
        return decide_charset(
            accepted=self.charset_accepted, rejected=self.charset_rejected, mtts=self.mtts
        )

    def changed(self) -> None:
        if self.on_change is not None:
            self.on_change()


_NONE: frozenset[bytes] = frozenset()


class _Forget:
    """A set that keeps nothing: telnetlib3 records the options it refused (and why) in
    three sets per connection for its fingerprinting tools, which this door never uses
    and never reads. One shared instance stands in for them."""

    __slots__ = ()

    def add(self, item: object) -> None:
        return None

    def __contains__(self, item: object) -> bool:
        return False

    def __iter__(self) -> Iterator[bytes]:
        return iter(())

    def __len__(self) -> int:
        return 0


_FORGET = _Forget()


class _Option(telnetlib3.stream_writer.Option):
    """telnetlib3's table of one side's option states, its three attributes in slots: a
    dict subclass keeps them in an instance dictionary of its own, 336 bytes for each of
    the writer's three tables (issue 16)."""

    __slots__ = ("_on_change", "log", "name")

    @classmethod
    def of(cls, table: Any) -> _Option:
        """A copy of telnetlib3's ``table`` (names, callback and states)."""
        copy = cls(table.name, table.log, on_change=table._on_change)
        dict.update(copy, table)
        return copy


_SLC_DEFAULTS: Any = telnetlib3.TelnetWriterUnicode.default_slc_tab
# One SLC table for every connection (telnetlib3 makes 25 objects for each). Read only:
# this door never negotiates LINEMODE, the one way the table is written.
_SLCTAB: dict[bytes, Any] = slc.generate_slctab(_SLC_DEFAULTS)


@lru_cache(maxsize=64)
def _intern_spec(spec: tuple[tuple[bytes, int, str], ...]) -> dict[bytes, tuple[int, str]]:
    return {key: (which, name) for key, which, name in spec}


class _Callbacks:
    """A telnetlib3 callback table (command or option byte -> callable) that binds its
    methods when one is looked up, for one connection.

    telnetlib3's writer fills five dicts per connection with a bound method per telnet
    command, SLC function and option (about 50 objects, 5 KiB). Apart from the objects
    they are bound to, the tables are the same for every connection, so the names are
    kept once (``spec``: key -> (index into ``targets``, attribute name), interned) and a
    connection holds only its targets (its writer and protocol) and the entries set
    after ``compact`` (``own``). Supports what telnetlib3 does with the dicts: ``in``,
    ``[]``, ``get``, assignment, ``clear``. Called only from the event loop.
    """

    __slots__ = ("_own", "_spec", "_targets")

    def __init__(
        self, spec: dict[bytes, tuple[int, str]], targets: tuple[Any, ...], own: dict[bytes, Any]
    ) -> None:
        self._spec = spec
        self._targets = targets
        self._own: dict[bytes, Any] | None = own or None

    @classmethod
    def compact(cls, table: dict[bytes, Any], targets: tuple[Any, ...]) -> _Callbacks:
        """The same table as ``table``: entries that are methods of one of ``targets``,
        found again by name, become shared names; anything else is kept as it is."""
        spec: list[tuple[bytes, int, str]] = []
        own: dict[bytes, Any] = {}
        for key, func in table.items():
            owner = getattr(func, "__self__", None)
            name = getattr(func, "__name__", "")
            which = next((i for i, t in enumerate(targets) if t is owner), -1)
            if which >= 0 and getattr(targets[which], name, None) == func:
                spec.append((key, which, name))
            else:
                own[key] = func
        return cls(_intern_spec(tuple(spec)), targets, own)

    def __getitem__(self, key: bytes) -> Any:
        own = self._own
        if own is not None and key in own:
            return own[key]
        which, name = self._spec[key]
        return getattr(self._targets[which], name)

    def __setitem__(self, key: bytes, func: Any) -> None:
        if self._own is None:
            self._own = {}
        self._own[key] = func

    def __contains__(self, key: object) -> bool:
        own = self._own
        return key in self._spec or (own is not None and key in own)

    def get(self, key: bytes, default: Any = None) -> Any:
        try:
            return self[key]
        except KeyError:
            return default

    def clear(self) -> None:
        """Forget every entry (telnetlib3 does so on close, to break reference cycles)."""
        self._spec = {}
        self._targets = ()
        self._own = None


# The instance attributes telnetlib3's writer and server protocol set in their
# constructors (none has a class-level default), kept in slots of our subclasses instead
# of the instance dictionaries (issue 16). CPython shares one set of dictionary keys
# among a class's instances for up to 30 attribute names; past that every instance gets a
# dictionary of its own, 1.6 KiB for their 48 and 41 names. A slot of a subclass takes
# the assignment in telnetlib3's own ``__init__`` (8 bytes each), so the dictionaries keep
# only the few attributes set later (those with class-level defaults), under the limit.
# tests/test_telnetlib3_pin.py checks every name against the installed telnetlib3.
WRITER_SLOTS = (
    "fn_encoding",
    "encoding_errors",
    "_transport",
    "_protocol",
    "_reader",
    "_closed_fut",
    "_server",
    "log",
    "_waiters",
    "pending_option",
    "local_option",
    "remote_option",
    "environ_encoding",
    "always_will",
    "always_do",
    "always_wont",
    "always_dont",
    "passive_do",
    "will_callbacks",
    "_encoding_explicit",
    "ctx",
    "rejected_will",
    "rejected_do",
    "directional_refusals",
    "environ_send_raw",
    "_environ_batches",
    "compression",
    "_mccp2_activated",
    "_compressed_remainder",
    "mccp2_active",
    "mccp3_active",
    "_in_loop_detection",
    "_sb_buffer",
    "_sb_overflow",
    "_slc_buffer",
    "slctab",
    "_linemode",
    "_forwardmask",
    "_slc_sent",
    "_connection_closed",
    "_iac_callback",
    "_slc_callback",
    "_ext_callback",
    "_ext_send_callback",
    "_ext_offer_callback",
)
SERVER_SLOTS = (
    "_loop",
    "_paused",
    "_drain_waiters",
    "_connection_lost",
    "default_encoding",
    "_encoding_errors",
    "force_binary",
    "never_send_ga",
    "line_mode",
    "_extra",
    "_reader_factory",
    "_reader_factory_encoding",
    "_writer_factory",
    "_writer_factory_encoding",
    "_waiter_connected",
    "_tasks",
    "shell",
    "reader",
    "writer",
    "connect_maxwait",
    "_limit",
    "_environ_requested",
    "_echo_negotiated",
    "_mccp2_compressor",
    "_mccp2_pending",
    "_compression",
    "_mccp2_enabled",
    "_mccp2_orig_write",
    "waiter_encoding",
    "_ttype_count",
    "_timer",
)


class _Writer(telnetlib3.TelnetWriterUnicode):
    """telnetlib3's writer plus our subnegotiation policy (GMCP, CHARSET, MSSP, limits)."""

    __slots__ = (*WRITER_SLOTS, "_policy", "_sb_limit", "_state")

    _policy: _Policy
    _state: _ConnState

    def setup(self, policy: _Policy, state: _ConnState) -> None:
        """Called once by the protocol right after the writer is created."""
        self._policy = policy
        self._state = state
        self._sb_limit = policy.settings.max_subneg + 1  # the buffer holds the option too
        # Only ever read by telnetlib3's server side: shared, like the sets in _compact.
        self.always_wont = _REFUSE_DO  # type: ignore[assignment]
        self.always_dont = _REFUSE_WILL  # type: ignore[assignment]
        self._compact()

    def _compact(self) -> None:
        # telnetlib3 builds, for every connection, containers that are the same for all
        # of them or stay empty in this door; they cost about 11 KiB a connection (issue
        # 16). Shared read-only values replace the ones only ever read here (no option
        # ever enables LINEMODE, whose SLC negotiation alone would write the SLC table:
        # its subnegotiations are dropped in handle_subnegotiation), lists replace the
        # deques (an empty deque allocates a 64-slot block), and the callback dicts
        # become tables that bind their methods when called (_Callbacks).
        if self.default_slc_tab is _SLC_DEFAULTS:
            self.slctab = _SLCTAB
        self.always_will = self.always_do = self.passive_do = _NONE  # type: ignore[assignment]
        self.rejected_will = self.rejected_do = _FORGET  # type: ignore[assignment]
        self.directional_refusals = _FORGET  # type: ignore[assignment]
        self._sb_buffer = []  # type: ignore[assignment]
        self._slc_buffer = []  # type: ignore[assignment]
        self.pending_option = _Option.of(self.pending_option)
        self.local_option = _Option.of(self.local_option)
        self.remote_option = _Option.of(self.remote_option)
        targets = (self, self._protocol)
        for attr in (
            "_iac_callback",
            "_slc_callback",
            "_ext_callback",
            "_ext_send_callback",
            "_ext_offer_callback",
        ):
            setattr(self, attr, _Callbacks.compact(getattr(self, attr), targets))

    def feed_byte(self, byte: bytes) -> bool:
        inband = bool(super().feed_byte(byte))
        buf = self._sb_buffer
        if len(buf) > self._sb_limit and self.cmd_received == SB:
            # Keep only the option byte: the message is dropped at IAC SE, and a client
            # cannot make us hold more than the limit.
            option = buf[0]
            buf.clear()
            buf.append(option)
            self._state.sb_oversize = True
        return inband

    def handle_do(self, opt: bytes) -> bool:
        was_enabled = self.local_option.enabled(opt)
        agreed = bool(super().handle_do(opt))
        if opt == MSSP and agreed and not was_enabled:
            self._send_mssp()
        elif opt == GMCP and agreed and not was_enabled:
            self._state.changed()  # reported once telnetlib3 has recorded the DO
        return agreed

    def handle_dont(self, opt: bytes) -> None:
        super().handle_dont(opt)
        if opt == GMCP:
            self._state.changed()

    def handle_subnegotiation(self, buf: Any) -> None:
        if not buf:
            return
        option = buf[0]
        if self._state.sb_oversize:
            self._state.sb_oversize = False
            self.pending_option[SB + option] = False
            if option == GMCP:
                self._complain(f"GMCP message over {self._policy.settings.max_subneg} bytes")
            else:
                log.debug("%s: oversized subnegotiation for option %r dropped", self, option)
            return
        if option in _PASS_SB:
            # telnetlib3's parsers pop from the left; our buffer is a list (see _compact).
            super().handle_subnegotiation(collections.deque(buf))
            return
        body = b"".join(list(buf)[1:])
        if option == GMCP:
            self._on_gmcp(body)
        elif option == CHARSET:
            self.pending_option[SB + CHARSET] = False
            self._on_charset(body)
        else:
            log.debug("%s: subnegotiation for option %r ignored", self, option)

    # -- GMCP ----------------------------------------------------------------------------

    def _on_gmcp(self, body: bytes) -> None:
        if not self.local_option.enabled(GMCP):
            log.debug("%s: GMCP before DO GMCP ignored", self)
            return
        try:
            package, data = parse_gmcp(body, self._policy.settings.max_subneg)
            key = package.lower()
            if key == "core.hello":
                self._state.hello = GmcpHello.from_data(data)
            elif key.startswith("core.supports."):
                verb = key.rsplit(".", 1)[1]
                before = self._state.gmcp_subs
                self._state.gmcp_subs = apply_supports(before, verb, data)
                if bool(before) != bool(self._state.gmcp_subs):
                    self._state.changed()
            elif key == "core.ping":
                self.send_iac(gmcp_frame("Core.Ping"))
            else:
                log.debug("%s: GMCP %s ignored", self, package)
        except GmcpError as exc:
            self._complain(str(exc))

    def _complain(self, reason: str) -> None:
        # Once per connection: a broken client would otherwise fill the log.
        if not self._state.complained:
            self._state.complained = True
            log.info("%s: ignoring malformed GMCP (%s); further ones are not logged", self, reason)

    # -- CHARSET (RFC 2066) --------------------------------------------------------------

    def _on_charset(self, body: bytes) -> None:
        if not body:
            return
        kind, rest = body[0], body[1:]
        state = self._state
        if kind == CHARSET_REQUEST:
            if not (self.local_option.enabled(CHARSET) or self.remote_option.enabled(CHARSET)):
                log.debug("%s: CHARSET REQUEST before agreement ignored", self)
                return
            choice = choose_charset(parse_charset_request(rest))
            if choice is None:
                self.send_iac(IAC + SB + CHARSET + bytes((CHARSET_REJECTED,)) + IAC + SE)
                state.charset_accepted, state.charset_rejected = None, True
            else:
                chosen = choice[0].encode("ascii", "replace")
                self.send_iac(IAC + SB + CHARSET + bytes((CHARSET_ACCEPTED,)) + chosen + IAC + SE)
                state.charset_accepted, state.charset_rejected = choice[1], False
        elif kind == CHARSET_ACCEPTED:
            name = rest.decode("ascii", "replace")
            codec = allowed_charset(name)
            if codec is None:
                # A client may only pick from what we offered; anything else is treated
                # as a refusal, so the text degrades rather than arriving as mojibake.
                log.info("%s: client accepted a charset we did not offer: %r", self, name[:40])
                state.charset_accepted, state.charset_rejected = None, True
            else:
                state.charset_accepted, state.charset_rejected = codec, False
        elif kind == CHARSET_REJECTED:
            state.charset_accepted, state.charset_rejected = None, True
        else:
            log.debug("%s: CHARSET subcommand %d ignored", self, kind)
            return
        state.changed()

    # -- MSSP ----------------------------------------------------------------------------

    def _send_mssp(self) -> None:
        try:
            table = self._policy.mssp()
        except Exception:  # the hook is the lead's code; a crawler must not break us
            log.exception("MSSP table could not be built")
            return
        self.send_iac(mssp_frame(table))


def _protocol_class(policy: _Policy) -> type[_Protocol]:
    """A protocol class bound to one door's policy (telnetlib3 wants a class)."""

    class _DoorProtocol(_Protocol):
        _policy = policy
        TTYPE_LOOPMAX = max(1, policy.settings.ttype_max - 1)

    return _DoorProtocol


class _Protocol(telnetlib3.TelnetServer):
    """telnetlib3's server protocol with our writer, offers and change notifications."""

    __slots__ = (
        *SERVER_SLOTS,
        "_backlog",
        "_bound",
        "_budget",
        "_feeding",
        "_peer",
        "_refused",
        "_sniff",
        "_spoke",
        "_ticket",
        "session",
        "slow",
        "state",
    )

    _policy: ClassVar[_Policy]

    def __init__(self, **kwargs: Any) -> None:
        self.state = _ConnState()
        self._ticket: Ticket | None = None
        self._refused = False
        self._spoke = False
        # The game session, once ``_shell`` made it: whether it plays decides whether
        # admission may make room from this connection.
        self.session: Session | None = None
        self._peer = "?"
        self._budget: ByteBudget | None = None
        self._backlog = bytearray()
        self._feeding = False
        self._sniff: bytearray | None = bytearray()
        self._bound: SubnegBound | None = None
        self.slow = SlowInput(self._policy.settings.login_line_deadline, self._too_slow)
        kwargs["writer_factory_encoding"] = _Writer
        super().__init__(**kwargs)
        # asyncio's FlowControlMixin keeps its drain waiters in a deque (a 64-slot block
        # for every connection); only the session's writer ever waits, and a list does
        # all the mixin does with it (append, remove, iterate).
        if not getattr(self, "_drain_waiters", True):
            self._drain_waiters: list[asyncio.Future[None]] = []

    def connection_made(self, transport: Any) -> None:
        peer = transport.get_extra_info("peername") or ("?", 0)
        self._peer = str(peer[0])
        admission = self._policy.admission
        if admission is not None:
            # Counted from the first moment, before a byte is parsed: silent sockets too.
            now = asyncio.get_running_loop().time()
            self._ticket = admission.admit(self._peer, "telnet", now)
            if self._ticket is None:
                self._refused = True
                # telnetlib3's Server keeps every protocol it made in a list and prunes
                # only the ones marked closing; a refused connection never reaches its
                # connection_lost, so mark it here or the list grows with every refusal.
                self._closing = True
                transport.write(REFUSALS[admission.refusal].encode() + b"\r\n")
                transport.close()
                return
            self._ticket.watch(self._standing, self._evict)
        # asyncio reads up to 256 KiB per call; smaller reads bound both the work per
        # loop turn and the size of each buffer a flood makes the allocator hold on to.
        with contextlib.suppress(AttributeError):
            transport.max_size = _READ_SIZE
        super().connection_made(transport)
        self.mud_writer.setup(self._policy, self.state)
        settings = self._policy.settings
        loop = asyncio.get_running_loop()
        self._budget = ByteBudget(settings.input_rate, settings.input_burst, loop.time())

    def connection_lost(self, exc: Exception | None) -> None:
        if self._refused:
            return
        transport = self._transport
        self.slow.stop()
        super().connection_lost(exc)
        self._backlog.clear()
        if self._ticket is not None:
            ticket, self._ticket = self._ticket, None
            _release_when_gone(transport, ticket)

    def eof_received(self) -> None:
        if not self._refused:
            super().eof_received()

    def cut_off(self, why: str) -> None:
        """Abort this connection at once (over its input budget, garbage). Logged."""
        transport = self._transport
        if transport is None or self._refused:
            return
        log_event(
            log, "conn_cut_off", level=logging.WARNING, door="telnet", addr=self._peer, reason=why
        )
        self._backlog.clear()
        self.slow.stop()
        reset_abort(transport)

    def _too_slow(self) -> None:
        self.cut_off("slow_line")

    def _standing(self) -> int:
        """How this connection stands, for admission making room (``Ticket.watch``)."""
        if self.session is not None and self.session.playing:
            return PLAYING
        return SPOKEN if self._spoke else SILENT

    def _evict(self) -> None:
        """Admission made room from this connection (never one playing): say so, close."""
        transport = self._transport
        if transport is None or self._refused:
            return
        self._backlog.clear()
        self.slow.stop()
        transport.write(EVICTED.encode() + b"\r\n")
        transport.close()

    @property
    def mud_writer(self) -> _Writer:
        """The connection's writer (always ours: see ``__init__``)."""
        writer = self.writer
        assert isinstance(writer, _Writer)
        return writer

    def data_received(self, data: bytes) -> None:
        # Runs before telnetlib3 sees a byte: the budget, the HTTP check and the pacing
        # hold whatever the bytes are (endless subnegotiations, NULs, no line ends).
        if self._refused or self._transport is None or self._budget is None:
            return
        self._spoke = True
        loop = asyncio.get_running_loop()
        if not self._budget.spend(len(data), loop.time()):
            self.cut_off("input_budget")
            return
        if self._sniff is not None and self._sniff_http(data):
            return
        if self._bound is None:
            self._bound = SubnegBound(self._policy.settings.max_subneg + 8)
        self._backlog += self._bound.feed(data)
        self.slow.mark("subneg", self._bound.unfinished, loop.time())
        if not self._feeding:
            self._feed_step()

    def _feed_step(self) -> None:
        if self._transport is None or not self._backlog:
            self._feeding = False
            return
        if self.session is not None and self.session.closing:
            # The game has closed the connection (a flood: played by a griefer, 60 KB
            # of one-letter lines at once): what it sent after is not parsed at all.
            self._backlog.clear()
            self._feeding = False
            return
        chunk = bytes(self._backlog[:_FEED_CHUNK])
        del self._backlog[:_FEED_CHUNK]
        self._feeding = bool(self._backlog)
        if self._feeding:
            asyncio.get_running_loop().call_soon(self._feed_step)
        self._feed(chunk)

    def _sniff_http(self, data: bytes) -> bool:
        """True when the connection's first line is an HTTP request: it is answered with
        a hint and closed. Stops looking after the first line (or a telnet command)."""
        sniff = self._sniff
        assert sniff is not None
        if not sniff and data[:1] == b"\xff":
            self._sniff = None  # a telnet client: its first bytes are negotiation
            return False
        sniff += data[:2048]
        if not any(m.startswith(bytes(sniff[: len(m)])) for m in _HTTP_METHODS):
            self._sniff = None
            return False
        if b"\n" not in sniff and len(sniff) < 2048:
            return False
        self._sniff = None
        if not _HTTP_REQUEST.match(bytes(sniff)):
            return False
        self._answer_http()
        return True

    def _answer_http(self) -> None:
        transport = self._transport
        if transport is None:
            return
        host = str((transport.get_extra_info("sockname") or ("localhost",))[0])
        if ":" in host:
            host = f"[{host}]"
        port = (transport.get_extra_info("sockname") or ("", 0))[1]
        lines = [
            "This is a telnet MUD, not a web server.",
            f"Connect with:  telnet {host} {port}",
        ]
        ssh_port, web_port = self._policy.ports() if self._policy.ports else (0, 0)
        if ssh_port:
            lines.append(f"          or:  ssh -p {ssh_port} play@{host}")
        if web_port:
            lines.append(f"  or play in a browser: http://{host}:{web_port}/")
        body = ("\r\n".join(lines) + "\r\n").encode("ascii", "replace")
        head = (
            "HTTP/1.0 400 Bad Request\r\n"
            "Content-Type: text/plain; charset=us-ascii\r\n"
            f"Content-Length: {len(body)}\r\n"
            "Connection: close\r\n\r\n"
        ).encode("ascii")
        log_event(log, "http_on_telnet", addr=self._peer)
        self._backlog.clear()
        transport.write(head + body)
        transport.close()

    def _feed(self, data: bytes) -> None:
        super().data_received(data)
        # telnetlib3 only starts the advanced offers while it waits for the client; a
        # client whose first answer comes after connect_maxwait (a slow link) would
        # never be offered GMCP, EOR or CHARSET. Start them whenever it first answers.
        if (
            not self._advanced
            and self._waiter_connected.done()
            and self.writer is not None
            and self.negotiation_should_advance()
        ):
            self._advanced = True
            asyncio.get_running_loop().call_soon(self.begin_advanced_negotiation)

    def begin_advanced_negotiation(self) -> None:
        # Replaces telnetlib3's offers: no WILL SGA/ECHO (line mode), no MCCP3 (we never
        # take compressed input) and no WILL BINARY: inetutils telnet answers that by
        # turning its terminal's output processing off, after which its local echo of
        # Enter leaves the cursor mid-line (it shows our 8-bit output fine without it).
        # DO BINARY, though, is needed: until the client sends in binary, inetutils
        # telnet compares each typed byte with its 8th bit stripped against its escape
        # and special characters, so the UTF-8 byte 0x9D of a pasted "”" becomes ^]
        # (its telnet> prompt) and the 0x9C of "本" becomes ^\ (quit: IAC BRK).
        # A client may still ask DO BINARY itself for our direction.
        writer = self.mud_writer
        writer.iac(DO, BINARY)
        writer.iac(DO, NAWS)
        writer.iac(DO, CHARSET)
        if self._policy.settings.compression:
            writer.iac(WILL, MCCP2_COMPRESS)
        writer.iac(WILL, EOR)
        writer.iac(WILL, GMCP)
        writer.iac(WILL, MSSP)

    def _check_encoding(self) -> bool:
        # telnetlib3 would also ask DO BINARY once it sent WILL BINARY; we do neither
        # (see begin_advanced_negotiation). Input is decoded 8-bit regardless
        # (force_binary), so only the CHARSET request part is kept.
        writer = self.mud_writer
        if (
            writer.remote_option.enabled(CHARSET)
            and writer.local_option.enabled(CHARSET)
            and (SB + CHARSET) not in writer.pending_option
        ):
            writer.request_charset()
        return True

    def encoding(self, outgoing: bool | None = None, incoming: bool | None = None) -> str:
        """The codec for this client, both directions: only ever an allowed one."""
        if not (outgoing or incoming):
            raise TypeError("encoding needs outgoing or incoming")
        return self.state.charset

    def on_request_charset(self) -> list[str]:
        return list(CHARSET_OFFER)

    def on_charset(self, charset: str) -> None:
        # CHARSET subnegotiations are handled by _Writer; never trust this path.
        return None

    def on_naws(self, rows: int, cols: int) -> None:
        super().on_naws(rows, cols)
        self.state.changed()

    def on_ttype(self, ttype: str) -> None:
        super().on_ttype(ttype)
        ttypes: list[str] = []
        for i in range(1, self.TTYPE_LOOPMAX + 3):
            value = self.get_extra_info(f"ttype{i}")
            if value is None:
                break
            ttypes.append(str(value)[:64])
        self.state.ttypes = tuple(ttypes)
        self.state.mtts = parse_mtts(ttypes)
        self.state.changed()

    def on_environ(self, mapping: dict[str, str]) -> None:
        super().on_environ(mapping)
        self.state.changed()

    def gmcp_on(self) -> bool:
        """Whether the client wants GMCP packages now: it agreed to GMCP and subscribed
        to at least one (the same test ``TelnetLink.data`` starts with)."""
        return bool(self.state.gmcp_subs) and self.mud_writer.local_option.enabled(GMCP)

    def term(self) -> TermInfo:
        """What we know of the client's terminal now."""
        state = self.state
        ttypes = state.ttypes
        if not ttypes:
            env_term = self.get_extra_info("TERM")
            ttypes = (str(env_term)[:64],) if env_term else ()
        cols = _int(self.get_extra_info("cols"))
        rows = _int(self.get_extra_info("rows"))
        return term_from_ttypes(
            ttypes,
            width=cols,
            height=rows,
            width_known=bool(self.mud_writer.remote_option.enabled(NAWS)),
            charset=state.charset,
            colorterm=str(self.get_extra_info("COLORTERM") or "")[:32],
        )

    def end_compression(self) -> None:
        """Finish the MCCP2 stream (if any) so the client sees a clean end."""
        if getattr(self, "_mccp2_compressor", None) is not None:
            with contextlib.suppress(Exception):
                self._mccp2_end()


def relisten(listener: Any, backlog: int) -> None:
    """Set the listen queue of an already listening socket to ``backlog``.

    telnetlib3's ``create_server`` takes no backlog and asyncio listens with 100; calling
    ``listen`` again on the same socket (through a duplicate descriptor, which asyncio's
    socket wrapper allows) resizes the queue. Raises OSError."""
    dup: socket.socket = listener.dup()
    try:
        dup.listen(backlog)
    finally:
        dup.close()


def _int(value: object) -> int:
    try:
        return int(value)  # type: ignore[call-overload, no-any-return]
    except (TypeError, ValueError):
        return 0


class TelnetLink:
    """A ``Link`` over a telnetlib3 writer, for one connection's ``Session``."""

    def __init__(self, writer: Any, state: _ConnState | None = None) -> None:
        self._writer = writer
        self._state = state if state is not None else _ConnState()

    def escape(self, data: bytes) -> bytes:
        return data.replace(b"\xff", b"\xff\xff") if b"\xff" in data else data

    def write(self, data: bytes) -> None:
        # Bytes are escaped by the session already. This is telnetlib3's private
        # ``_write(data, escape_iac=False)`` without its type check, trace-log test and
        # byte count, once per receiver of every broadcast (issue 16): its MCCP2 starts
        # by wrapping the transport's own ``write``, so the wrapper is called here too.
        writer = self._writer
        transport = writer._transport
        if transport is not None and not transport.is_closing() and not writer.connection_closed:
            transport.write(data)

    def buffered(self) -> int:
        transport = self._writer.transport
        if transport is None or transport.is_closing():
            return 0
        return int(transport.get_write_buffer_size())

    async def drain(self) -> None:
        await self._writer.drain()

    def set_echo(self, echo: bool) -> None:
        # WILL ECHO means "the server echoes", so the client stops echoing: used to hide
        # a password as it is typed; WONT ECHO gives local echo back. The toggle is
        # deliberate, so a WILL still unanswered from the last password must not make
        # telnetlib3 swallow this one (it skips requests it thinks are pending).
        if not echo:
            self._writer.pending_option[WILL + ECHO] = False
        self._writer.iac(WONT if echo else WILL, ECHO)

    def prompt_suffix(self) -> bytes:
        """IAC EOR where the client agreed to EOR, else IAC GA unless it sent DO SGA."""
        options = self._writer.local_option
        if options.enabled(EOR):
            return _PROMPT_EOR
        if options.enabled(SGA):
            return b""
        return _PROMPT_GA

    def data(self, package: str, payload: object) -> bytes:
        """The GMCP message for ``package``, or b"" unless the client agreed to GMCP and
        subscribed to the package (or a module above it). Never raises."""
        subs = self._state.gmcp_subs
        if not subs or not subscribed(subs, package):
            return b""
        if not self._writer.local_option.enabled(GMCP):
            return b""
        try:
            return gmcp_frame(package, payload)
        except (TypeError, ValueError):
            log.warning("GMCP %s payload is not JSON-serialisable; not sent", package)
            return b""

    def close(self) -> None:
        protocol = getattr(self._writer, "protocol", None)
        if isinstance(protocol, _Protocol):
            protocol.end_compression()
        with contextlib.suppress(Exception):
            self._writer.close()

    def abort(self) -> None:
        transport = getattr(self._writer, "transport", None)
        with contextlib.suppress(Exception):
            reset_abort(transport)
        with contextlib.suppress(Exception):
            self._writer.close()


class TelnetDoor:
    """Accepts telnet clients and runs one reader loop per connection.

    Owned by ``mud.app``: ``start`` binds the listener and returns the bound port;
    ``stop_accepting`` closes the listener; ``close`` waits for connections to end.
    ``mssp`` builds the table sent to MSSP crawlers; by default it reports the number of
    telnet connections and the start time of this door (``telopt.mssp_variables``).
    """

    def __init__(
        self,
        settings: TelnetSettings,
        sink: EventSink,
        ids: ConnIds,
        *,
        mssp: MsspSource | None = None,
        clock: Clock | None = None,
        admission: Admission | None = None,
        ssh_port: int = 0,
    ) -> None:
        self._settings = settings
        self._admission = admission
        self.ssh_port = ssh_port
        self._sink = sink
        self._ids = ids
        self._server: Any = None
        self._tasks: set[asyncio.Task[None]] = set()
        self._started = int((clock or SystemClock()).wall())
        self._mssp = mssp if mssp is not None else self._default_mssp
        self.web_port = 0
        policy = _Policy(
            settings=settings, mssp=self._mssp, admission=admission, ports=self._other_ports
        )
        self._protocol_class = _protocol_class(policy)
        # A telnet stream inside a WebSocket already holds the web door's admission slot.
        self._stream_class = _protocol_class(evolve(policy, admission=None))
        self.port = 0

    @property
    def connections(self) -> int:
        """Telnet connections that reached the game (negotiation finished)."""
        return len(self._tasks)

    def _default_mssp(self) -> MsspTable:
        return mssp_variables(
            players=self.connections,
            started=self._started,
            port=self.port,
            compression=self._settings.compression,
        )

    async def start(self) -> int:
        """Bind and listen. Returns the bound port (useful with port 0). Raises OSError."""
        self._server = await telnetlib3.create_server(
            host=self._settings.host,
            port=self._settings.port,
            protocol_factory=self._protocol_class,
            **self._protocol_options(),
        )
        # telnetlib3's Server queues every negotiated connection for wait_for_client(),
        # which a shell-driven server never calls: its queue (up to 1,000) kept the last
        # thousand connections' protocols, writers and sessions alive long after they
        # closed (about 10 MiB after a minute of hostile reconnects, and never given
        # back). A queue of one holds at most the latest.
        if isinstance(getattr(self._server, "_new_client", None), asyncio.Queue):
            self._server._new_client = asyncio.Queue(maxsize=1)
        sockets = self._server.sockets or []
        for listener in sockets:
            relisten(listener, self._settings.backlog)
        self.port = int(sockets[0].getsockname()[1]) if sockets else self._settings.port
        return self.port

    def _protocol_options(self) -> dict[str, Any]:
        return {
            "shell": self._shell,
            "encoding": "utf8",
            "encoding_errors": "replace",
            "force_binary": True,
            "line_mode": True,
            "connect_maxwait": self._settings.connect_maxwait,
            "compression": self._settings.compression,
            "cols": 80,
            "rows": 24,
            "timeout": 0,
        }

    def stream_protocol(self) -> asyncio.Protocol:
        """A telnet server protocol for a telnet stream that arrives by another route
        (the browser door's ``telnet.mudstandards.org`` WebSocket): the caller gives it
        a transport with ``connection_made`` and feeds it with ``data_received``. The
        connection is then a telnet connection like any other."""
        return self._stream_class(**self._protocol_options())

    def _other_ports(self) -> tuple[int, int]:
        return self.ssh_port, self.web_port

    def stop_accepting(self) -> None:
        """Close the listening socket only. telnetlib3's ``Server.close`` would also cut
        every client at once, before the hub can tell them the server is going down, so
        the asyncio server it wraps is closed instead; ``close`` drops any stragglers."""
        if self._server is not None:
            listener = getattr(self._server, "_server", None)
            if listener is not None:
                listener.close()
            else:  # pragma: no cover - a telnetlib3 without the wrapped server
                self._server.close()

    async def _shell(self, reader: Any, writer: Any) -> None:
        task = asyncio.current_task()
        if task is not None:
            self._tasks.add(task)
            task.add_done_callback(self._tasks.discard)
        conn = self._ids.allocate()
        peer = writer.get_extra_info("peername") or ("?", 0)
        protocol = writer.protocol
        if not isinstance(protocol, _Protocol):  # pragma: no cover - wired in start()
            writer.close()
            return
        sock = writer.get_extra_info("socket")
        if self._settings.sndbuf and sock is not None:
            with contextlib.suppress(OSError):
                sock.setsockopt(socket.SOL_SOCKET, socket.SO_SNDBUF, self._settings.sndbuf)
        link = TelnetLink(writer, protocol.state)
        session = Session(
            conn,
            link,
            protocol.term(),
            max_outbox=self._settings.max_outbox,
            stall_backlog=self._settings.stall_backlog,
            stall_deadline=self._settings.stall_deadline,
            sendq=SendQueue.of(sock),
        )
        session.start()
        protocol.session = session
        loop = asyncio.get_running_loop()
        changed = Flag()
        watcher: asyncio.Task[None] | None = None
        live = False  # Connected is posted: changes are reported from now on

        def on_change() -> None:
            # A task only while a change is being reported: a watcher task per
            # connection, waiting on an Event, cost about 2 KiB (issue 16).
            nonlocal watcher
            changed.set()
            if live and (watcher is None or watcher.done()):
                watcher = loop.create_task(self._watch_term(conn, protocol, session, changed))

        protocol.state.on_change = on_change
        protocol.slow.attach(session)
        reason = "closed"
        try:
            self._sink.attach(session)
            await self._post(
                Connected(conn=conn, door="telnet", peer=str(peer[0]), term=session.term)
            )
            live = True
            # GMCP agreed and subscribed before this shell began set no flag (nothing
            # listened yet): it is reported now, after the Connected.
            if changed.is_set() or protocol.gmcp_on():
                on_change()
            reason = await self._read_lines(conn, reader, session, protocol.slow)
        except (ConnectionError, OSError, TimeoutError) as exc:
            reason = f"error: {exc.__class__.__name__}"
        finally:
            protocol.state.on_change = None
            if watcher is not None:
                watcher.cancel()
                with contextlib.suppress(asyncio.CancelledError):
                    await watcher
            if reason != "eof":
                session.close()
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(asyncio.shield(self._post_final(conn, reason)), 5.0)
            # After EOF (a script that half-closes) the hub answers every line sent
            # before it, then closes the session itself.
            await session.wait_closing(self._settings.post_deadline)
            session.close()
            await session.stop()
            link.close()

    async def _post(self, event: Connected | LineIn | Resized | GmcpChanged) -> None:
        async with asyncio.timeout(self._settings.post_deadline):
            await self._sink.post(event)

    async def _post_final(self, conn: int, reason: str) -> None:
        await self._sink.post(Disconnected(conn=conn, reason=reason))

    async def _watch_term(
        self, conn: int, protocol: _Protocol, session: Session, changed: Flag
    ) -> None:
        """Report what changed in the terminal (a ``Resized``) and whether the client
        wants GMCP (a ``GmcpChanged``) until no change is left unreported. Started by
        the connection's change callback in ``_shell``, on the loop turn after the
        change, so a burst of negotiation is reported once."""
        state = protocol.state
        while changed.is_set():
            changed.clear()
            term = protocol.term()
            if term != session.term:
                session.update_term(term)
                await self._post(Resized(conn=conn, term=term))
            on = protocol.gmcp_on()
            if on != state.gmcp_told:
                state.gmcp_told = on
                await self._post(GmcpChanged(conn=conn, on=on))

    async def _read_lines(self, conn: int, reader: Any, session: Session, slow: SlowInput) -> str:
        splitter = LineSplitter(self._settings.max_buffer)
        loop = asyncio.get_running_loop()
        while not session.closing:
            chunk: str = await reader.read(4096)
            if not chunk:
                return "eof"
            try:
                lines = splitter.feed(chunk)
            except OverflowError as exc:
                log.info("conn %d: %s; dropping", conn, exc)
                return "garbage"
            slow.mark("line", splitter.pending, loop.time())
            for n, line in enumerate(lines, 1):
                if session.closing:
                    break
                session.note_input()
                await post_input(
                    self._sink, LineIn(conn=conn, text=line), session, self._settings.post_deadline
                )
                if n % _LINES_PER_TURN == 0:
                    # Let the game take its turn: a flood it closes is then not posted
                    # line after line into its inbox (played by a griefer: 60 KB of
                    # one-letter lines, 8,000 of them in the inbox before the close).
                    await asyncio.sleep(0)
        return "closed by server"

    async def close(self, deadline: float = 3.0) -> None:
        """Wait (bounded) for connection tasks to finish, then cancel the rest."""
        if self._server is not None:
            self._server.close()
            with contextlib.suppress(Exception):
                async with asyncio.timeout(deadline):
                    await self._server.wait_closed()
        await finish_tasks(self._tasks, deadline)
