"""Pure helpers for the telnet MUD options: MTTS, CHARSET, GMCP and MSSP.

Nothing here touches a socket; ``mud.net.telnet`` calls these with the bytes and strings
telnetlib3 hands it. Everything is a plain function over values so it can be tested
without a connection.

Invariants:
- A charset name coming from a client is only ever turned into one of ``utf-8``,
  ``latin-1`` or ``ascii`` (``ALLOWED_CHARSETS``), or rejected; no other codec is looked up.
- ``frame_sb`` is the one place a subnegotiation is framed: every 0xFF byte of the body is
  doubled, so a payload can never end the subnegotiation early.
- GMCP subscriptions are bounded (``MAX_SUBSCRIPTIONS`` names of at most ``MAX_NAME``
  characters) whatever a client sends.
"""

from __future__ import annotations

import enum
import json
import re
from collections.abc import Iterable, Mapping, Sequence
from functools import lru_cache

from attrs import frozen

IAC = 255
SB = 250
SE = 240
GA = 249
EOR_CMD = 239  # IAC EOR, the end-of-record mark (RFC 885)
OPT_EOR = 25
OPT_GMCP = 201
OPT_MSSP = 70
OPT_MCCP2 = 86
OPT_MCCP3 = 87
MSSP_VAR = 1
MSSP_VAL = 2
CHARSET_REQUEST = 1
CHARSET_ACCEPTED = 2
CHARSET_REJECTED = 3

MAX_GMCP = 8 * 1024
MAX_SUBSCRIPTIONS = 64
MAX_NAME = 64


# -- MTTS ------------------------------------------------------------------------------


class Mtts(enum.IntFlag):
    """The MUD Terminal Type Standard bits a client announces as TTYPE ``MTTS <n>``."""

    ANSI = 1
    VT100 = 2
    UTF8 = 4
    COLOURS_256 = 8
    MOUSE = 16
    OSC_COLOUR = 32
    SCREEN_READER = 64
    PROXY = 128
    TRUECOLOR = 256
    MNES = 512
    MSLP = 1024
    SSL = 2048


_MTTS_RE = re.compile(r"\s*mtts\s+(\d{1,9})\s*", re.IGNORECASE)


def parse_mtts(ttypes: Iterable[str]) -> Mtts | None:
    """The MTTS flags among a client's TTYPE answers (``"MTTS 137"``, any case), or None.

    Unknown high bits are dropped; the first MTTS entry wins.
    """
    for entry in ttypes:
        match = _MTTS_RE.fullmatch(entry)
        if match:
            return Mtts(int(match.group(1)) & 0xFFF)
    return None


def mtts_colours(flags: Mtts) -> int:
    """Colour depth a client announces through MTTS: 0, 16, 256 or 16_777_216."""
    if flags & Mtts.TRUECOLOR:
        return 16_777_216
    if flags & Mtts.COLOURS_256:
        return 256
    if flags & Mtts.ANSI:
        return 16
    return 0


# -- CHARSET (RFC 2066) ----------------------------------------------------------------

ALLOWED_CHARSETS: Mapping[str, str] = {
    "utf-8": "utf-8",
    "utf8": "utf-8",
    "iso-8859-1": "latin-1",
    "iso8859-1": "latin-1",
    "iso_8859-1": "latin-1",
    "latin-1": "latin-1",
    "latin1": "latin-1",
    "l1": "latin-1",
    "us-ascii": "ascii",
    "ascii": "ascii",
}
"""Charset names a client may name (lower case) and the codec each one maps to."""

CHARSET_OFFER: tuple[str, ...] = ("UTF-8", "ISO-8859-1", "US-ASCII")
"""What the server offers in its CHARSET REQUEST, best first."""


def allowed_charset(name: str) -> str | None:
    """``utf-8``/``latin-1``/``ascii`` for an allowed charset name (any case), else None."""
    return ALLOWED_CHARSETS.get(name.strip().lower())


def parse_charset_request(body: bytes) -> list[str]:
    """The charset names in a client's ``REQUEST`` body (after the REQUEST byte).

    RFC 2066: an optional ``[TTABLE]`` marker and version byte, then a separator octet
    and names separated by it. Names that are not ASCII are returned replaced.
    """
    if body.startswith(b"[TTABLE]"):
        body = body[9:]
    if len(body) < 2:
        return []
    sep, rest = body[:1], body[1:]
    return [name.decode("ascii", "replace") for name in rest.split(sep) if name]


def choose_charset(offers: Sequence[str]) -> tuple[str, str] | None:
    """The first offer we accept, as ``(name as offered, codec)``, or None to reject."""
    for name in offers:
        codec = allowed_charset(name)
        if codec is not None:
            return name, codec
    return None


def decide_charset(*, accepted: str | None, rejected: bool, mtts: Mtts | None) -> str:
    """The output and input encoding for a client.

    A charset agreed through CHARSET wins. A client that rejected every charset we
    offered gets ``ascii`` (NVT ASCII is every telnet client's baseline). Otherwise a
    client announcing MTTS without the UTF-8 bit gets ``ascii`` too (text degrades
    instead of arriving as mojibake), and everyone else gets ``utf-8``.
    """
    if accepted is not None:
        return accepted
    if rejected:
        return "ascii"
    if mtts is not None and not mtts & Mtts.UTF8:
        return "ascii"
    return "utf-8"


# -- framing ---------------------------------------------------------------------------


def frame_sb(option: int, body: bytes) -> bytes:
    """``IAC SB option body IAC SE`` with every IAC (0xFF) in ``body`` doubled."""
    if b"\xff" in body:
        body = body.replace(b"\xff", b"\xff\xff")
    return bytes((IAC, SB, option)) + body + bytes((IAC, SE))


# -- bounding subnegotiations ----------------------------------------------------------

_T_DATA, _T_IAC, _T_NEG, _T_SB, _T_SB_IAC = range(5)


class SubnegBound:
    """Cuts every subnegotiation in a client's byte stream to at most ``limit`` bytes.

    Fed the raw stream chunk by chunk (``feed``), it returns the same stream except
    that the body of a subnegotiation (``IAC SB`` ... ``IAC SE``, the option byte
    included, an escaped ``IAC IAC`` counting as one byte) stops after ``limit`` bytes;
    the ``IAC SE`` that ends it is kept, so the framing survives and the receiver sees an
    oversized message it can drop. A telnet parser that works one byte at a time in
    Python (telnetlib3's) then never spends more than ``limit`` steps per message, and
    this costs one ``bytes.find`` per IAC. Everything outside subnegotiations passes
    unchanged. An IAC that ends a chunk inside a subnegotiation is held back until the
    next chunk says what it is.
    """

    def __init__(self, limit: int) -> None:
        self._limit = limit
        self._tstate = _T_DATA
        self._sb_len = 0
        self._carry = b""

    @property
    def unfinished(self) -> bool:
        """Whether the stream so far ends inside a telnet command (a subnegotiation
        not yet closed by ``IAC SE``, or an ``IAC`` still waiting for its command)."""
        return self._tstate != _T_DATA or bool(self._carry)

    def feed(self, data: bytes) -> bytes:
        """The next chunk of the stream, with subnegotiation bodies cut to the limit."""
        if self._carry:
            data, self._carry = self._carry + data, b""
        state = self._tstate
        if state == _T_DATA and b"\xff" not in data:
            return data
        limit = self._limit
        out = bytearray()
        start = i = 0
        n = len(data)
        while i < n:
            if state == _T_DATA:
                j = data.find(255, i)
                if j < 0:
                    break
                i, state = j + 1, _T_IAC
            elif state == _T_IAC:
                b = data[i]
                i += 1
                if b == 250:  # SB
                    state, self._sb_len = _T_SB, 0
                else:
                    state = _T_NEG if 251 <= b <= 254 else _T_DATA
            elif state == _T_NEG:
                i, state = i + 1, _T_DATA
            elif state == _T_SB:
                j = data.find(255, i)
                end = n if j < 0 else j
                room = limit - self._sb_len
                self._sb_len += end - i
                if self._sb_len > limit:
                    out += data[start : i + max(0, room)]
                    start = end
                if j < 0:
                    i = n
                    break
                i, state = j + 1, _T_SB_IAC
            else:  # _T_SB_IAC
                b = data[i]
                i += 1
                if b == 240:  # SE
                    state = _T_DATA
                else:
                    state = _T_SB
                    self._sb_len += 1
                    if self._sb_len > limit:
                        out += data[start : i - 2]
                        start = i
        if state == _T_SB_IAC:
            # The chunk ends right after an IAC inside a subnegotiation: whether it is
            # passed on depends on the byte after it, so it waits for the next chunk.
            out += data[start : n - 1]
            self._carry = b"\xff"
            state = _T_SB
        else:
            out += data[start:]
        self._tstate = state
        return bytes(out)


# -- GMCP ------------------------------------------------------------------------------


class GmcpError(ValueError):
    """A GMCP message from a client is malformed or too big."""


_PACKAGE_RE = re.compile(r"[A-Za-z][A-Za-z0-9_-]*(?:\.[A-Za-z0-9_-]+)*")


def gmcp_body(package: str, payload: object = None) -> bytes:
    """``Package.Name <json>`` as UTF-8 (just the name when ``payload`` is None).

    Raises ``TypeError``/``ValueError`` when ``payload`` is not JSON-serialisable.
    """
    if payload is None:
        return package.encode("utf-8")
    text = json.dumps(payload, separators=(",", ":"), ensure_ascii=False, allow_nan=False)
    return package.encode("utf-8") + b" " + text.encode("utf-8", "surrogatepass")


def gmcp_frame(package: str, payload: object = None) -> bytes:
    """A complete GMCP subnegotiation (IAC escaped) for ``package`` and ``payload``."""
    return frame_sb(OPT_GMCP, gmcp_body(package, payload))


def parse_gmcp(body: bytes, limit: int = MAX_GMCP) -> tuple[str, object]:
    """Split a client's GMCP body (already IAC-unescaped) into package and JSON data.

    Returns ``(package, data)`` with data None when absent. Raises ``GmcpError`` when the
    body is over ``limit`` bytes, not UTF-8, the package name is not a dotted name, or
    the data is not JSON.
    """
    if len(body) > limit:
        raise GmcpError(f"message of {len(body)} bytes (limit {limit})")
    try:
        text = body.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise GmcpError("not UTF-8") from exc
    package, _, rest = text.strip().partition(" ")
    if not _PACKAGE_RE.fullmatch(package) or len(package) > MAX_NAME:
        raise GmcpError(f"bad package name {package[:40]!r}")
    rest = rest.strip()
    if not rest:
        return package, None
    try:
        return package, json.loads(rest)
    except (ValueError, RecursionError) as exc:
        raise GmcpError(f"{package}: bad JSON") from exc


def apply_supports(current: frozenset[str], verb: str, data: object) -> frozenset[str]:
    """The subscription set after ``Core.Supports.<verb>`` (Set, Add or Remove).

    ``data`` must be a list of strings like ``"Char 1"`` or ``"Char.Vitals 1"``; names
    are kept in lower case (GMCP names are case-insensitive). Entries that are not a
    dotted name are skipped. Raises ``GmcpError`` when ``data`` is not a list or the verb
    is unknown. The result never holds more than ``MAX_SUBSCRIPTIONS`` names.
    """
    if not isinstance(data, list):
        raise GmcpError(f"Core.Supports.{verb}: expected a list")
    names: list[str] = []
    for entry in data:
        if not isinstance(entry, str):
            continue
        name = entry.strip().split(" ", 1)[0]
        if len(name) <= MAX_NAME and _PACKAGE_RE.fullmatch(name):
            names.append(name.lower())
    lowered = verb.lower()
    if lowered == "set":
        result = frozenset(names[:MAX_SUBSCRIPTIONS])
    elif lowered == "add":
        result = current | frozenset(names)
        if len(result) > MAX_SUBSCRIPTIONS:
            result = current
    elif lowered == "remove":
        result = current - frozenset(names)
    else:
        raise GmcpError(f"unknown Core.Supports.{verb}")
    return result


@lru_cache(maxsize=512)
def _prefixes(package: str) -> tuple[str, ...]:
    parts = package.lower().split(".")
    return tuple(".".join(parts[: i + 1]) for i in range(len(parts)))


def subscribed(subscriptions: frozenset[str], package: str) -> bool:
    """Whether a client subscribed to ``package``: to it, or to a module it is under.

    ``{"char"}`` covers ``Char.Vitals`` and ``Char.Items.List``; ``{"char.vitals"}``
    covers ``Char.Vitals`` only (and anything below it), not ``Char.Status``.
    """
    if not subscriptions:
        return False
    return any(prefix in subscriptions for prefix in _prefixes(package))


@frozen
class GmcpHello:
    """What a client said about itself in ``Core.Hello``."""

    client: str = ""
    version: str = ""

    @staticmethod
    def from_data(data: object) -> GmcpHello:
        """Build from the Core.Hello payload; raises ``GmcpError`` if it is not an object."""
        if not isinstance(data, dict):
            raise GmcpError("Core.Hello: expected an object")
        return GmcpHello(client=_short(data.get("client")), version=_short(data.get("version")))


def _short(value: object) -> str:
    return str(value)[:MAX_NAME] if isinstance(value, str | int | float) else ""


# -- MSSP ------------------------------------------------------------------------------

MsspValue = str | Sequence[str]
MsspTable = Mapping[str, MsspValue]

_MSSP_FORBIDDEN = str.maketrans("", "", "\x00\x01\x02\xff")


def _mssp_text(value: object) -> bytes:
    return str(value).translate(_MSSP_FORBIDDEN).encode("utf-8")


def mssp_body(variables: MsspTable) -> bytes:
    """The MSSP body: ``MSSP_VAR name MSSP_VAL value`` for each variable.

    A sequence value becomes several ``MSSP_VAL``s. Bytes 0, 1, 2 and 0xFF are removed
    from names and values so none can break the framing.
    """
    out = bytearray()
    for name, value in variables.items():
        out.append(MSSP_VAR)
        out += _mssp_text(name)
        values = [value] if isinstance(value, str) else list(value)
        for item in values or [""]:
            out.append(MSSP_VAL)
            out += _mssp_text(item)
    return bytes(out)


def mssp_frame(variables: MsspTable) -> bytes:
    """A complete MSSP subnegotiation for ``variables``."""
    return frame_sb(OPT_MSSP, mssp_body(variables))


MSSP_DEFAULTS: Mapping[str, str] = {
    "NAME": "mud",
    "CODEBASE": "mud 0.1.0",
    "CONTACT": "",
    "HOSTNAME": "",
    "CRAWL DELAY": "-1",
    "LANGUAGE": "English",
    "GENRE": "Fantasy",
    "GAMEPLAY": "Adventure",
    "STATUS": "Alpha",
    "FAMILY": "Custom",
    "ANSI": "1",
    "UTF-8": "1",
    "VT100": "0",
    "XTERM 256 COLORS": "1",
    "XTERM TRUE COLORS": "1",
    "GMCP": "1",
    "MSSP": "1",
    "MCCP": "1",
    "MSDP": "0",
    "MSP": "0",
    "MXP": "0",
    "PUEBLO": "0",
    "SSL": "0",
}
"""Values used when neither the packs nor the configuration say otherwise."""


def mssp_variables(
    *,
    players: int,
    started: int,
    port: int,
    config: Mapping[str, object] | None = None,
    packs: Iterable[Mapping[str, str]] = (),
    compression: bool = True,
) -> dict[str, MsspValue]:
    """The MSSP table a crawler is sent.

    Precedence, lowest first: ``MSSP_DEFAULTS``, each pack's own ``mssp`` mapping, the
    operator's ``config`` (the ``mssp`` section), then the live values: ``PLAYERS``,
    ``UPTIME`` (``started``, the Unix time the server started) and ``PORT`` (unless
    configured). Names are upper-cased. Config values may be lists.
    """
    table: dict[str, MsspValue] = dict(MSSP_DEFAULTS)
    table["MCCP"] = "1" if compression else "0"
    for pack in packs:
        for key, value in pack.items():
            table[str(key).upper()] = str(value)
    for key, setting in (config or {}).items():
        if isinstance(setting, list | tuple):
            table[str(key).upper()] = [str(v) for v in setting]
        elif isinstance(setting, bool):
            table[str(key).upper()] = "1" if setting else "0"
        else:
            table[str(key).upper()] = str(setting)
    table["PLAYERS"] = str(max(0, players))
    table["UPTIME"] = str(started)
    table.setdefault("PORT", str(port))
    if table["PORT"] in ("", "0"):
        table["PORT"] = str(port)
    return table
