"""Byte-level tests of the telnet door's negotiation, over real loopback sockets.

The door runs alone (no hub): a recording sink stands in for the hub, and the tests
drive the ``Session`` it is given. The client is a raw asyncio socket that parses what
the server sends and answers with hand-made IAC sequences, so every byte on the wire
is visible.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import logging
import zlib
from collections.abc import AsyncIterator, Callable, Iterable
from contextlib import asynccontextmanager
from typing import Any

import pytest

from mud.core.events import Connected, Disconnected, LineIn, Resized
from mud.core.outputs import Doc
from mud.net.session import ConnIds, Session
from mud.net.telnet import TelnetDoor, TelnetSettings

IAC, DONT, DO, WONT, WILL, SB, GA, EOR_CMD, SE = 255, 254, 253, 252, 251, 250, 249, 239, 240
BINARY, ECHO, SGA, TTYPE, NAWS, CHARSET, EOR, NEW_ENVIRON = 0, 1, 3, 24, 31, 42, 25, 39
GMCP, MSSP, MCCP2, MCCP3, MSDP, MXP = 201, 70, 86, 87, 69, 91
TRUE_COLOUR = 16_777_216
NAMES = {WILL: "WILL", WONT: "WONT", DO: "DO", DONT: "DONT"}


def cmd(verb: int, opt: int) -> bytes:
    return bytes((IAC, verb, opt))


def sb(opt: int, body: bytes) -> bytes:
    return bytes((IAC, SB, opt)) + body.replace(b"\xff", b"\xff\xff") + bytes((IAC, SE))


def gmcp(package: str, data: object = None) -> bytes:
    body = package.encode()
    if data is not None:
        body += b" " + json.dumps(data).encode()
    return sb(GMCP, body)


class Sink:
    """Stands in for the hub: records events and the sessions it is given."""

    def __init__(self) -> None:
        self.events: asyncio.Queue[object] = asyncio.Queue(maxsize=1000)
        self.sessions: dict[int, Session] = {}

    def attach(self, session: Any) -> None:
        self.sessions[session.conn] = session

    async def post(self, event: object) -> None:
        await self.events.put(event)

    async def next(self, kind: type, deadline: float = 5.0) -> Any:
        async with asyncio.timeout(deadline):
            while True:
                event = await self.events.get()
                if isinstance(event, kind):
                    return event


@asynccontextmanager
async def door(
    mssp: Callable[[], Any] | None = None, **settings: Any
) -> AsyncIterator[tuple[TelnetDoor, Sink]]:
    sink = Sink()
    base: dict[str, Any] = {"host": "127.0.0.1", "port": 0, "connect_maxwait": 0.5}
    base.update(settings)
    the_door = TelnetDoor(TelnetSettings(**base), sink, ConnIds(), mssp=mssp)
    await the_door.start()
    try:
        yield the_door, sink
    finally:
        the_door.stop_accepting()
        await the_door.close(2.0)


class Raw:
    """A scripted telnet client on a raw socket.

    It parses the server's bytes into ``tokens`` (("WILL", opt), ("SB", opt, body),
    ("CMD", byte, text_length_at_that_point)) and in-band ``text``, inflating after MCCP2
    starts. It answers negotiation by its knobs: options in ``do`` are accepted when
    the server offers WILL, options in ``will`` when it asks DO; everything else refused.
    With ``mirror`` it answers each command with the very same command instead.
    """

    def __init__(
        self,
        *,
        do: Iterable[int] = (),
        will: Iterable[int] = (),
        ttypes: Iterable[str] = (),
        naws: tuple[int, int] | None = None,
        charset: str | None = "",
        mirror: bool = False,
        answer: bool = True,
    ) -> None:
        self.do = set(do)
        self.will = set(will)
        self.ttypes = list(ttypes)
        if self.ttypes:
            self.will.add(TTYPE)
        self.naws = naws
        if naws:
            self.will.add(NAWS)
        # "" = no CHARSET support; None = supports it and rejects; a name = accepts it
        self.charset = charset
        if charset != "":
            self.will.add(CHARSET)
        self.mirror = mirror
        self.answer = answer
        self.tokens: list[tuple[Any, ...]] = []
        self.text = bytearray()
        self.raw_bytes = 0
        self.ttype_requests = 0
        self.charset_requests: list[bytes] = []
        self._answered: set[tuple[int, int]] = set()
        self._pending = b""
        self._inflate: Any = None
        self._changed = asyncio.Event()
        self.eof = False
        self._task: asyncio.Task[None]
        self.reader: asyncio.StreamReader
        self.writer: asyncio.StreamWriter

    async def connect(self, port: int) -> Raw:
        self.reader, self.writer = await asyncio.open_connection("127.0.0.1", port)
        self._task = asyncio.create_task(self._run())
        return self

    def send(self, data: bytes) -> None:
        self.writer.write(data)

    async def close(self) -> None:
        self.writer.close()
        self._task.cancel()
        with contextlib.suppress(asyncio.CancelledError, ConnectionError, OSError):
            await self._task
        with contextlib.suppress(ConnectionError, OSError):
            await self.writer.wait_closed()

    # -- receiving ---------------------------------------------------------------------

    async def _run(self) -> None:
        # Reads all the time, like a real client: negotiation is answered as it arrives.
        try:
            while data := await self.reader.read(65536):
                self.raw_bytes += len(data)
                self._feed(data)
                self._changed.set()
        except (ConnectionError, OSError):
            pass
        finally:
            self.eof = True
            self._changed.set()

    async def until(self, check: Callable[[], bool], deadline: float = 5.0) -> None:
        """Wait until ``check()`` holds; TimeoutError after ``deadline``, EOFError at EOF."""
        async with asyncio.timeout(deadline):
            while not check():
                if self.eof:
                    raise EOFError(f"closed; tokens {self.tokens!r}, text {bytes(self.text)!r}")
                self._changed.clear()
                await self._changed.wait()

    async def until_text(self, needle: bytes, deadline: float = 5.0) -> None:
        await self.until(lambda: needle in self.text, deadline)

    async def quiet(self, seconds: float) -> bool:
        """True when nothing at all arrives for ``seconds``."""
        self._changed.clear()
        try:
            async with asyncio.timeout(seconds):
                await self._changed.wait()
        except TimeoutError:
            return True
        return False

    def sbs(self, opt: int) -> list[bytes]:
        return [t[2] for t in self.tokens if t[0] == "SB" and t[1] == opt]

    def got(self, verb: str, opt: int) -> bool:
        return (verb, opt) in self.tokens

    def _feed(self, data: bytes) -> None:
        if self._inflate is not None:
            data = self._inflate.decompress(data)
        data = self._pending + data
        self._pending = b""
        i, n = 0, len(data)
        while i < n:
            byte = data[i]
            if byte != IAC:
                self.text.append(byte)
                i += 1
                continue
            if i + 1 >= n:
                self._pending = data[i:]
                return
            verb = data[i + 1]
            if verb == IAC:
                self.text.append(IAC)
                i += 2
            elif verb in NAMES:
                if i + 2 >= n:
                    self._pending = data[i:]
                    return
                self._on_command(verb, data[i + 2])
                i += 3
            elif verb == SB:
                end = _find_se(data, i + 2)
                if end < 0:
                    self._pending = data[i:]
                    return
                opt = data[i + 2]
                body = data[i + 3 : end].replace(b"\xff\xff", b"\xff")
                self.tokens.append(("SB", opt, body))
                i = end + 2
                self._on_sb(opt, body)
                if opt == MCCP2 and MCCP2 in self.do:
                    self._inflate = zlib.decompressobj()
                    rest = data[i:]
                    if rest:
                        self._feed(rest)
                    return
            else:
                self.tokens.append(("CMD", verb, len(self.text)))
                i += 2

    def _reply(self, data: bytes) -> None:
        if self.answer and not self.writer.is_closing():
            self.writer.write(data)

    def _on_command(self, verb: int, opt: int) -> None:
        self.tokens.append((NAMES[verb], opt))
        if self.mirror:
            self._reply(cmd(verb, opt))
            return
        if verb in (DONT, WONT) or (verb, opt) in self._answered:
            return
        self._answered.add((verb, opt))
        if verb == WILL:
            self._reply(cmd(DO if opt in self.do else DONT, opt))
        elif verb == DO:
            self._reply(cmd(WILL if opt in self.will else WONT, opt))
            if opt == NAWS and self.naws:
                self._reply(
                    sb(NAWS, self.naws[0].to_bytes(2, "big") + self.naws[1].to_bytes(2, "big"))
                )

    def _on_sb(self, opt: int, body: bytes) -> None:
        if self.mirror:
            self._reply(sb(opt, body))
            return
        if opt == TTYPE and body[:1] == b"\x01" and self.ttypes:
            self.ttype_requests += 1
            name = self.ttypes[min(self.ttype_requests, len(self.ttypes)) - 1]
            self._reply(sb(TTYPE, b"\x00" + name.encode()))
        elif opt == CHARSET and body[:1] == b"\x01":
            self.charset_requests.append(body)
            if self.charset is None:
                self._reply(sb(CHARSET, b"\x03"))
            else:
                self._reply(sb(CHARSET, b"\x02" + self.charset.encode()))


def _find_se(data: bytes, start: int) -> int:
    i = start
    while True:
        i = data.find(b"\xff", i)
        if i < 0 or i + 1 >= len(data):
            return -1
        if data[i + 1] == SE:
            return i
        i += 2


async def connected(sink: Sink, deadline: float = 5.0) -> tuple[Connected, Session]:
    event: Connected = await sink.next(Connected, deadline)
    return event, sink.sessions[event.conn]


# -- connection start ------------------------------------------------------------------


async def test_a_client_that_negotiates_nothing_gets_the_greeting_within_a_second() -> None:
    async with door(connect_maxwait=1.0) as (_door, sink):
        client = await Raw(answer=False).connect(_door.port)
        loop = asyncio.get_running_loop()
        started = loop.time()
        event, session = await connected(sink, deadline=3.0)
        assert loop.time() - started < 1.8  # connect_maxwait plus slack for a busy machine
        session.send(Doc.text("Welcome, traveller."))
        await client.until_text(b"Welcome, traveller.")
        # Only the opening DO TTYPE was sent: no advanced offers to a silent client.
        assert [t for t in client.tokens if t[0] != "SB"] == [("DO", TTYPE)]
        assert event.term.width == 80 and not event.term.width_known
        assert event.term.charset == "utf-8"
        client.send(b"look\r\n")
        assert (await sink.next(LineIn)).text == "look"
        await client.close()


async def test_offers_after_the_client_answers() -> None:
    async with door() as (_door, sink):
        client = await Raw(ttypes=["xterm"]).connect(_door.port)
        await connected(sink)
        await client.until(lambda: client.got("WILL", MSSP))
        for verb, opt in [("WILL", EOR), ("WILL", GMCP), ("WILL", MSSP), ("WILL", MCCP2),
                          ("DO", NAWS), ("DO", CHARSET)]:  # fmt: skip
            assert client.got(verb, opt), (verb, opt)
        for opt in (MCCP3, MSDP, MXP, BINARY):
            assert not client.got("WILL", opt)
        assert not client.got("WILL", ECHO)  # line mode: the client keeps echoing
        await client.close()


async def test_a_client_that_answers_late_is_still_offered_everything() -> None:
    async with door(connect_maxwait=0.2) as (_door, sink):
        client = await Raw(answer=False).connect(_door.port)
        await connected(sink)  # the server stopped waiting for negotiation
        client.send(cmd(WILL, TTYPE))
        await client.until(lambda: client.got("WILL", GMCP) and client.got("WILL", EOR))
        assert client.got("DO", CHARSET)
        await client.close()


# -- TTYPE / MTTS ----------------------------------------------------------------------


async def test_mtts_sets_colours_and_screen_reader() -> None:
    flags = 1 | 4 | 8 | 64 | 256  # ANSI, UTF-8, 256 colours, screen reader, truecolor
    async with door() as (_door, sink):
        client = await Raw(ttypes=["MUDLET", "XTERM-256COLOR", f"MTTS {flags}"]).connect(_door.port)
        event, _session = await connected(sink)
        term = event.term
        assert (term.term, term.colours, term.screenreader) == ("mudlet", TRUE_COLOUR, True)
        assert term.charset == "utf-8"
        assert client.ttype_requests == 3
        await client.close()


async def test_mtts_without_ansi_means_no_colour_and_without_utf8_means_ascii() -> None:
    async with door() as (_door, sink):
        client = await Raw(ttypes=["OLDCLIENT", "VT100", "MTTS 2"]).connect(_door.port)
        event, session = await connected(sink)
        assert (event.term.colours, event.term.charset) == (0, "ascii")
        session.send(Doc.text("“Hi” — you…"))
        await client.until_text(b'"Hi" -- you...')
        await client.close()


async def test_uppercase_terminal_names_and_repeat_ends_the_cycle() -> None:
    async with door() as (_door, sink):
        client = await Raw(ttypes=["XTERM-256COLOR"]).connect(_door.port)
        event, _session = await connected(sink)
        assert (event.term.term, event.term.colours) == ("xterm-256color", 256)
        assert client.ttype_requests == 2  # the answer, then the repeat that ends the cycle
        await client.close()


async def test_ttype_requests_are_capped() -> None:
    names = [f"TERM{i}" for i in range(20)]
    async with door(ttype_max=4) as (_door, sink):
        client = await Raw(ttypes=names).connect(_door.port)
        await connected(sink)
        client.send(b"ping\r\n")
        await sink.next(LineIn)
        assert client.ttype_requests == 4
        await client.close()


# -- CHARSET ---------------------------------------------------------------------------


async def test_charset_offers_utf8_first_and_accepts_it() -> None:
    async with door() as (_door, sink):
        client = await Raw(ttypes=["x"], charset="UTF-8").connect(_door.port)
        event, session = await connected(sink)
        assert client.charset_requests == [b"\x01 UTF-8 ISO-8859-1 US-ASCII"]
        assert event.term.charset == "utf-8"
        session.send(Doc.text("“café” ┌─┐"))
        await client.until_text("“café” ┌─┐".encode())
        await client.close()


async def test_charset_rejected_degrades_to_ascii() -> None:
    async with door() as (_door, sink):
        client = await Raw(ttypes=["x"], charset=None).connect(_door.port)
        event, session = await connected(sink)
        assert event.term.charset == "ascii"
        session.send(Doc.text("“quoted” — dash… ┌─┐ café"))
        await client.until_text(b"\r\n")
        line = bytes(client.text)
        assert line.isascii(), line
        assert b'"quoted" -- dash... +-+ caf' in line
        await client.close()


async def test_latin1_output_input_and_iac_doubling() -> None:
    async with door() as (_door, sink):
        client = await Raw(ttypes=["x"], charset="iso-8859-1").connect(_door.port)
        event, session = await connected(sink)
        assert event.term.charset == "latin-1"
        mark = client.raw_bytes
        session.send(Doc.text("ÿ café"))
        await client.until_text("ÿ café".encode("latin-1"))
        assert client.raw_bytes - mark >= len("ÿ café\r\n") + 1  # the 0xFF went out doubled
        client.send(b"say \xff\xff caf\xe9\r\n")
        assert (await sink.next(LineIn)).text == "say ÿ café"
        await client.close()


async def test_utf8_input_is_decoded_and_a_bad_byte_is_replaced() -> None:
    async with door() as (_door, sink):
        client = await Raw(ttypes=["x"], charset="UTF-8").connect(_door.port)
        await connected(sink)
        client.send("say naïve\r\n".encode() + b"say \xff\xffx\r\n")
        assert (await sink.next(LineIn)).text == "say naïve"
        assert (await sink.next(LineIn)).text == "say \ufffdx"
        await client.close()


async def test_charsets_off_the_allow_list_are_never_used() -> None:
    async with door() as (_door, sink):
        client = await Raw(ttypes=["x"], charset="KOI8-R").connect(_door.port)
        event, _session = await connected(sink)
        assert event.term.charset == "ascii"
        # A client-initiated REQUEST: the first allowed name is picked ...
        client.send(sb(CHARSET, b"\x01;KOI8-R;EUC-JP;utf-8"))
        await client.until(lambda: b"\x02utf-8" in client.sbs(CHARSET))
        resized: Resized = await sink.next(Resized)
        assert resized.term.charset == "utf-8"
        # ... and one with nothing allowed is rejected.
        client.send(sb(CHARSET, b"\x01 KOI8-R CP437"))
        await client.until(lambda: b"\x03" in client.sbs(CHARSET))
        assert (await sink.next(Resized)).term.charset == "ascii"
        await client.close()


# -- NAWS ------------------------------------------------------------------------------


async def test_naws_width_and_resize() -> None:
    async with door() as (_door, sink):
        client = await Raw(ttypes=["x"], naws=(120, 40)).connect(_door.port)
        event, session = await connected(sink)
        assert (event.term.width, event.term.height, event.term.width_known) == (120, 40, True)
        client.send(sb(NAWS, bytes((0, 100, 0, 30))))
        resized: Resized = await sink.next(Resized)
        assert (resized.term.width, resized.term.height) == (100, 30)
        assert session.profile.width == 100
        client.send(sb(NAWS, bytes((0, 0, 0, 0))))  # "unknown": falls back to 80
        assert (await sink.next(Resized)).term.width == 80
        await client.close()


async def test_binary_is_asked_for_input_and_latin1_ff_survives_both_ways() -> None:
    async with door() as (_door, sink):
        client = await Raw(ttypes=["x"], will={BINARY}, charset="ISO-8859-1").connect(_door.port)
        await connected(sink)
        assert ("DO", BINARY) in client.tokens
        assert ("WILL", BINARY) not in client.tokens  # inetutils garbles its echo then
        client.send(b"caf\xe9 \xff\xff!\r\n")  # IAC doubled by a binary client
        assert (await sink.next(LineIn)).text == "café ÿ!"
        await client.close()


async def test_a_one_by_one_naws_window_is_clamped_to_what_width_accepts() -> None:
    async with door() as (_door, sink):
        client = await Raw(ttypes=["x"], naws=(1, 1)).connect(_door.port)
        event, session = await connected(sink)
        assert (event.term.width, event.term.height) == (20, 2)
        assert session.profile.width == 20
        client.send(sb(NAWS, bytes((0x27, 0x10, 0, 30))))  # 10000 columns
        assert (await sink.next(Resized)).term.width == 500
        await client.close()


# -- prompts ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("do", "suffix"),
    [({EOR}, ("CMD", EOR_CMD)), (set(), ("CMD", GA)), ({SGA}, None)],
    ids=["eor", "ga", "sga"],
)
async def test_prompt_ends_with_eor_ga_or_nothing(do: set[int], suffix: Any) -> None:
    async with door() as (_door, sink):
        client = Raw(ttypes=["x"], do=do)
        await client.connect(_door.port)
        if SGA in do:  # the client suppresses go-ahead itself
            client.send(cmd(DO, SGA))
        _event, session = await connected(sink)
        if SGA in do:
            await client.until(lambda: client.got("WILL", SGA))
        session.prompt("HP 10 >")
        session.send(Doc.text("after"))
        await client.until_text(b"after")
        end = bytes(client.text).index(b"HP 10 > ") + len(b"HP 10 > ")
        marks = [t[:2] for t in client.tokens if t[0] == "CMD" and t[2] == end]
        assert marks == ([suffix] if suffix else [])
        await client.close()


# -- GMCP ------------------------------------------------------------------------------


async def test_no_gmcp_without_do_gmcp() -> None:
    async with door() as (_door, sink):
        client = await Raw(ttypes=["x"]).connect(_door.port)  # refuses GMCP
        _event, session = await connected(sink)
        client.send(gmcp("Core.Supports.Set", ["Room 1", "Char 1"]))
        client.send(b"sync\r\n")
        await sink.next(LineIn)
        session.data("Room.Info", {"num": 1, "name": "Hall"})
        session.send(Doc.text("marker"))
        await client.until_text(b"marker")
        assert client.sbs(GMCP) == []
        await client.close()


async def test_gmcp_subscriptions_decide_what_is_sent() -> None:
    async with door() as (_door, sink):
        client = await Raw(ttypes=["x"], do={GMCP}).connect(_door.port)
        _event, session = await connected(sink)
        client.send(gmcp("Core.Hello", {"client": "RawTest", "version": "1"}))
        client.send(gmcp("Core.Supports.Set", ["Char 1", "room.info 1"]))
        client.send(b"sync\r\n")
        await sink.next(LineIn)
        room = {"num": 7, "name": "Drowned Lantern — café", "exits": {"n": 8}}
        session.data("Room.Info", room)
        session.data("Room.Map", {"ignored": True})
        session.data("Char.Vitals", {"hp": 9, "maxhp": 10})
        session.data("Comm.Channel.Text", {"channel": "narration", "text": "no"})
        session.send(Doc.text("marker1"))
        await client.until_text(b"marker1")
        got = [body.split(b" ", 1) for body in client.sbs(GMCP)]
        assert [p for p, _ in got] == [b"Room.Info", b"Char.Vitals"]
        assert json.loads(got[0][1]) == room
        assert json.loads(got[1][1]) == {"hp": 9, "maxhp": 10}

        client.send(gmcp("Core.Supports.Add", ["Comm 1"]))
        client.send(gmcp("Core.Supports.Remove", ["Char"]))
        client.send(b"sync\r\n")
        await sink.next(LineIn)
        session.data("Char.Vitals", {"hp": 1})
        session.data("Comm.Channel.Text", {"channel": "narration", "talker": "DM", "text": "hi"})
        session.send(Doc.text("marker2"))
        await client.until_text(b"marker2")
        assert [b.split(b" ", 1)[0] for b in client.sbs(GMCP)][2:] == [b"Comm.Channel.Text"]
        await client.close()


async def test_gmcp_core_ping_is_answered() -> None:
    async with door() as (_door, sink):
        client = await Raw(ttypes=["x"], do={GMCP}).connect(_door.port)
        await connected(sink)
        client.send(gmcp("Core.Ping", 42))
        await client.until(lambda: b"Core.Ping" in client.sbs(GMCP))
        await client.close()


async def test_bad_gmcp_is_ignored_and_logged_once(caplog: pytest.LogCaptureFixture) -> None:
    caplog.set_level(logging.INFO, logger="mud.net.telnet")
    async with door() as (_door, sink):
        client = await Raw(ttypes=["x"], do={GMCP}).connect(_door.port)
        _event, session = await connected(sink)
        client.send(sb(GMCP, b'Core.Supports.Set ["Room 1"'))  # bad JSON
        client.send(sb(GMCP, b'Core.Hello {"client": "\xc3\x28"}'))  # not UTF-8
        client.send(sb(GMCP, b"Core.Supports.Set " + json.dumps(["x" * 9000]).encode()))
        client.send(sb(GMCP, b'Core.Supports.Set {"Room": 1}'))  # not a list
        client.send(sb(GMCP, b"!!! {}"))  # not a package name
        client.send(gmcp("Core.Supports.Set", ["Room 1"]))
        client.send(b"still here\r\n")
        assert (await sink.next(LineIn)).text == "still here"
        session.data("Room.Info", {"num": 1})
        await client.until(lambda: len(client.sbs(GMCP)) == 1)
        complaints = [r for r in caplog.records if "malformed GMCP" in r.getMessage()]
        assert len(complaints) == 1
        await client.close()


async def test_iac_inside_a_client_gmcp_payload_keeps_the_framing() -> None:
    async with door() as (_door, sink):
        client = await Raw(ttypes=["x"], do={GMCP}).connect(_door.port)
        await connected(sink)
        # 0xFF inside the payload goes out doubled; the message is not UTF-8 so it is
        # ignored, but the Core.Ping right behind it must still be seen as a message.
        client.send(sb(GMCP, b'Core.Hello {"client": "A\xffB"}') + gmcp("Core.Ping"))
        client.send(b"after\r\n")
        assert (await sink.next(LineIn)).text == "after"
        await client.until(lambda: b"Core.Ping" in client.sbs(GMCP))
        await client.close()


# -- unknown and refused options -------------------------------------------------------


async def test_unknown_subnegotiations_and_client_compression_are_ignored() -> None:
    async with door() as (_door, sink):
        client = await Raw(ttypes=["x"]).connect(_door.port)
        await connected(sink)
        client.send(sb(99, b"whatever \xff bytes"))
        client.send(sb(MSDP, b"\x01LIST\x02COMMANDS"))
        client.send(cmd(WILL, MCCP3) + cmd(DO, MCCP3) + cmd(WILL, MCCP2) + cmd(DO, MSDP))
        client.send(sb(MCCP3, b""))  # "compression starts now": must not be believed
        client.send(b"plain text after\r\n")
        assert (await sink.next(LineIn)).text == "plain text after"
        await client.until(lambda: client.got("WONT", MSDP))
        assert client.got("DONT", MCCP3) and client.got("WONT", MCCP3)
        assert client.got("DONT", MCCP2)
        await client.close()


async def test_a_mirror_image_client_does_not_cause_a_negotiation_loop() -> None:
    async with door() as (_door, sink):
        client = await Raw(mirror=True).connect(_door.port)
        _event, session = await connected(sink)
        # Let the exchange settle (a quiet quarter second, within a deadline) ...
        async with asyncio.timeout(5):
            while not await client.quiet(0.25):
                pass
        # ... then nothing more may arrive for a whole second.
        quiet_from = client.raw_bytes
        assert await client.quiet(1.0)
        assert client.raw_bytes == quiet_from
        assert client.raw_bytes < 2000
        session.send(Doc.text("still talking"))
        await client.until_text(b"still talking")
        await client.close()


# -- MSSP ------------------------------------------------------------------------------


def parse_mssp(body: bytes) -> dict[str, list[str]]:
    table: dict[str, list[str]] = {}
    for part in body.split(b"\x01")[1:]:
        name, *values = part.split(b"\x02")
        table[name.decode()] = [v.decode() for v in values]
    return table


async def test_mssp_answers_a_crawler() -> None:
    async with door() as (_door, _sink):
        crawler = await Raw(answer=False).connect(_door.port)
        crawler.send(cmd(DO, MSSP))
        await crawler.until(lambda: bool(crawler.sbs(MSSP)))
        table = parse_mssp(crawler.sbs(MSSP)[0])
        for key in ("NAME", "PLAYERS", "UPTIME", "CODEBASE", "CONTACT", "HOSTNAME", "PORT",
                    "CRAWL DELAY", "LANGUAGE", "GENRE", "GAMEPLAY", "STATUS"):  # fmt: skip
            assert key in table, key
        assert table["PORT"] == [str(_door.port)]
        assert int(table["UPTIME"][0]) > 1_600_000_000
        assert crawler.got("WILL", MSSP)
        await crawler.close()


async def test_mssp_uses_the_hook_and_counts_players() -> None:
    calls: list[int] = []

    def hook() -> dict[str, Any]:
        calls.append(1)
        return {"NAME": "Hollowmere", "PLAYERS": "3", "UPTIME": "1700000000",
                "GENRE": ["Fantasy", "Horror"]}  # fmt: skip

    async with door(mssp=hook) as (_door, _sink):
        crawler = await Raw(answer=False).connect(_door.port)
        crawler.send(cmd(DO, MSSP) + cmd(DO, MSSP))  # asked twice: answered once
        await crawler.until(lambda: bool(crawler.sbs(MSSP)))
        table = parse_mssp(crawler.sbs(MSSP)[0])
        assert table["NAME"] == ["Hollowmere"]
        assert table["GENRE"] == ["Fantasy", "Horror"]
        assert calls == [1]
        await crawler.close()


# -- MCCP2 -----------------------------------------------------------------------------


async def test_mccp2_compresses_output_when_the_client_asks() -> None:
    async with door() as (_door, sink):
        client = await Raw(ttypes=["x"], do={MCCP2}).connect(_door.port)
        _event, session = await connected(sink)
        await client.until(lambda: bool(client.sbs(MCCP2)))
        text = "The marsh breathes out a long grey sigh. " * 50
        mark = client.raw_bytes
        session.send(Doc.text(text))
        session.send(Doc.text("the end"))
        await client.until_text(b"the end")
        assert text.split()[0].encode() in client.text
        assert client.raw_bytes - mark < len(text) // 4
        client.send(b"uncompressed input\r\n")
        assert (await sink.next(LineIn)).text == "uncompressed input"
        client.send(b"quit\r\n")
        await sink.next(LineIn)
        session.close(Doc.text("bye"))
        await client.until_text(b"bye")
        await client.close()
        assert (await sink.next(Disconnected)).conn == session.conn


async def test_mccp2_is_neither_offered_nor_accepted_when_turned_off() -> None:
    async with door(compression=False) as (_door, sink):
        client = await Raw(ttypes=["x"], do={MCCP2}).connect(_door.port)
        _event, session = await connected(sink)
        client.send(cmd(DO, MCCP2))
        await client.until(lambda: client.got("WONT", MCCP2))
        assert not client.got("WILL", MCCP2)
        session.send(Doc.text("plain"))
        await client.until_text(b"plain")
        assert client.sbs(MCCP2) == []
        await client.close()


# -- input flow control ----------------------------------------------------------------


class GatedSink(Sink):
    """A hub that stops taking input until ``gate`` opens."""

    def __init__(self) -> None:
        super().__init__()
        self.gate = asyncio.Event()

    async def post(self, event: object) -> None:
        if isinstance(event, LineIn):
            await self.gate.wait()
        await super().post(event)


async def test_a_slow_hub_holds_input_back_instead_of_dropping_the_client(
    caplog: pytest.LogCaptureFixture,
) -> None:
    sink = GatedSink()
    the_door = TelnetDoor(
        TelnetSettings(host="127.0.0.1", port=0, connect_maxwait=0.5, post_deadline=0.2),
        sink,
        ConnIds(),
    )
    await the_door.start()
    try:
        client = await Raw(ttypes=["x"]).connect(the_door.port)
        await connected(sink)
        client.send(b"".join(b"line %d\r\n" % i for i in range(50)))
        async with asyncio.timeout(10):
            while "has not taken input" not in caplog.text:
                await asyncio.sleep(0.05)  # waiting for the door's own log line
        sink.gate.set()
        texts = [(await sink.next(LineIn)).text for _ in range(50)]
        assert texts == [f"line {i}" for i in range(50)]
        assert all(not isinstance(e, Disconnected) for e in sink.events._queue)  # type: ignore[attr-defined]
        await client.close()
    finally:
        the_door.stop_accepting()
        await the_door.close(2.0)


# -- memory per connection (issue 16) ------------------------------------------------------


def _own_attributes(obj: object) -> int:
    """How many attributes ``obj`` keeps in its instance dictionary (0 without one)."""
    return len(getattr(obj, "__dict__", {}))


@pytest.mark.parametrize(
    "client",
    [
        pytest.param(lambda: Raw(answer=False), id="negotiates-nothing"),
        pytest.param(
            lambda: Raw(
                ttypes=["xterm-256color", "MTTS 2825"],
                naws=(100, 40),
                charset="UTF-8",
                do={EOR, GMCP, MCCP2, MSSP, SGA},
            ),
            id="negotiates-everything",
        ),
    ],
)
async def test_per_connection_objects_keep_their_instance_dictionaries_small(
    client: Callable[[], Raw],
) -> None:
    # CPython shares one set of dictionary keys among a class's instances for up to 30
    # attribute names; past that each instance has its own dictionary (1.6 KiB for the
    # 32-52 attributes the session, telnetlib3's writer and its protocol had), paid by
    # every connection. Measured after a whole connection's negotiation and a line each
    # way, so attributes telnetlib3 sets late count too.
    async with door() as (_door, sink):
        raw = await client().connect(_door.port)
        _event, session = await connected(sink)
        session.send(Doc.text("hello there"))
        await raw.until_text(b"hello there")
        raw.send(b"look\r\n")
        assert (await sink.next(LineIn)).text == "look"
        writer = session._link._writer  # type: ignore[attr-defined]
        sizes = {
            "session": _own_attributes(session),
            "writer": _own_attributes(writer),
            "protocol": _own_attributes(writer.protocol),
        }
        assert all(n <= 30 for n in sizes.values()), sizes
        # telnetlib3's three option tables (dict subclasses) need no dictionary at all.
        tables = {
            name: _own_attributes(getattr(writer, name))
            for name in ("pending_option", "local_option", "remote_option")
        }
        assert tables == dict.fromkeys(tables, 0)
        if raw.do:
            assert writer.local_option.enabled(bytes((EOR,)))  # the copies are the tables
        session.close(Doc.text("bye"))
        await raw.until_text(b"bye")
        await raw.close()
