"""The per-connection session shared by both doors.

A ``Session`` is what the hub holds for each client (it satisfies
``mud.core.ports.SessionPort``). It renders ``Doc`` values for its own terminal
(colour depth, width, screen reader, charset), streams narration word by word (whole
lines in screen-reader mode), and writes bytes through a door-specific ``Link``.

Invariants:
- Output order is the order of calls. What is written in one turn of the event loop is
  joined and written once, at the end of that turn (behind a large fan-out, a few
  callbacks later: the sessions are flushed in slices so other work runs between).
  Bytes go straight to the transport while its buffer is below the high-water mark and
  nothing is queued; otherwise they wait in a bounded outbox that one writer task
  drains. When the outbox would exceed its limit, the client is not keeping up: it is
  cut off (aborted), and the room never waits for it.
- A client whose backlog (outbox, transport buffer and, on Linux, what the kernel holds
  unacknowledged) is over ``stall_backlog`` and that takes nothing of it for
  ``stall_deadline`` seconds is cut off too. Progress is bytes taken (acknowledged by
  the client's TCP stack where the kernel tells, else taken off the transport), never
  elapsed time: a slow but steady reader is never cut by this rule.
- ``close`` is idempotent and never blocks the caller; the final flush has a deadline.
- A streamed narration line left open (words still coming) is ended before any other
  output, so nothing is glued onto it; the stream continues on a fresh line.
- The session never decides anything about the game: it only renders and writes.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import re
import socket
import struct
import weakref
from collections import deque
from collections.abc import Callable, Sequence
from functools import lru_cache
from typing import Any, Generic, Protocol, TypeVar

from attrs import evolve

from mud.core.events import GmcpChanged, LineIn, Resized, TermInfo
from mud.core.markup import esc, tag
from mud.core.outputs import Doc, Para
from mud.net.flag import Flag
from mud.render.doc import encode, render
from mud.render.profile import RenderProfile
from mud.render.sanitize import strip_escapes
from mud.render.stream import LineAssembler, WordWrapper

from .sendq import SendQueue

log = logging.getLogger(__name__)


class Link(Protocol):
    """The door-specific byte pipe under a Session (telnet or SSH channel)."""

    def escape(self, data: bytes) -> bytes:
        """Escape protocol bytes in text (telnet doubles IAC); SSH returns data as is.
        Only byte 0xFF can need escaping: the session calls this only for data holding
        one (UTF-8 text never does)."""

    def write(self, data: bytes) -> None:
        """Write already-escaped bytes to the client."""

    def buffered(self) -> int:
        """Bytes written but not yet taken by the kernel/peer."""

    async def drain(self) -> None:
        """Wait until the transport buffer is below its low-water mark."""

    def set_echo(self, echo: bool) -> None:
        """Local echo on/off (password entry)."""

    def prompt_suffix(self) -> bytes:
        """Raw bytes that mark the end of a prompt (telnet GA/EOR), or b""."""

    def data(self, package: str, payload: object) -> bytes:
        """Raw bytes carrying structured data (telnet GMCP), or b"" when the client
        did not ask for ``package``."""

    def close(self) -> None:
        """Close the transport gracefully (what is buffered is still sent). Idempotent."""

    def abort(self) -> None:
        """Cut the connection at once: nothing buffered is sent, the peer gets a reset and
        the descriptor is freed now. Used for clients that stopped reading. Idempotent."""


async def finish_tasks(tasks: set[asyncio.Task[None]], deadline: float) -> None:
    """Wait up to ``deadline`` seconds for a door's connection tasks, then cancel the rest
    and give them a second to unwind. Called by each door's ``close``."""
    pending = set(tasks)
    if not pending:
        return
    _done, pending = await asyncio.wait(pending, timeout=deadline)
    for task in pending:
        task.cancel()
    if pending:
        await asyncio.wait(pending, timeout=1.0)


class ConnIds:
    """Allocates connection ids, unique for one server run. Owned by ``mud.app``.
    ``base``: the number before the first (a split-mode gateway's own range)."""

    def __init__(self, base: int = 0) -> None:
        self._next = base

    def allocate(self) -> int:
        self._next += 1
        return self._next


@lru_cache(maxsize=256)
def _shared(profile: RenderProfile) -> RenderProfile:
    """The one instance of each distinct profile. Every session's profile is one of a
    handful of values; sharing the instance lets the rendering memos below match their
    keys by identity instead of comparing field by field, once per receiver of every
    broadcast (issue 16: a fifth of a session's cost per output)."""
    return profile


#: What a narration's line broken by other output goes on after (``Session.stream``).
_RESUMED = "\u2026 "
_RESUMED_ASCII = "... "


@lru_cache(maxsize=1024)
def _render_bytes(doc: Doc, profile: RenderProfile) -> bytes:
    # One broadcast reaches many sessions sharing a profile: render and encode once.
    return encode(render(doc, profile), profile.charset)


@lru_cache(maxsize=256)
def _styled_line(line: str, style: str, profile: RenderProfile) -> bytes:
    return _render_bytes(Doc((Para(tag(style, esc(line))),)), profile)


@lru_cache(maxsize=1024)
def _prompt_bytes(markup: str, profile: RenderProfile) -> bytes:
    # Most players' prompts are alike (a room of 1,000 answering one say): render once.
    text = render(Doc((Para(markup),)), profile)
    # A prompt stays on the input line: drop the CRLF the paragraph renderer adds.
    if text.endswith("\r\n"):
        text = text[:-2]
    return encode(text + " ", profile.charset)


_MARK = "\ue000"  # a private-use character: never in sanitised narration


@lru_cache(maxsize=64)
def _style_codes(style: str, profile: RenderProfile) -> tuple[str, str]:
    """The escape codes that open and close ``style`` inline (no line end). Rendered as
    for UTF-8 whatever the client's character set, which changes no code: for an ASCII
    or Latin-1 client the marker itself was "?", and every streamed run of narration
    began with a "?" of its own."""
    text = render(Doc((Para(tag(style, _MARK)),)), evolve(profile, charset="utf-8"))
    if text.endswith("\r\n"):
        text = text[:-2]
    head, _, tail = text.partition(_MARK)
    return head, tail


@lru_cache(maxsize=256)
def _styled_words(pieces: tuple[str, ...], style: str, profile: RenderProfile) -> bytes:
    """Word-stream pieces (text, or "\n" for a line break) as bytes: each text run
    wrapped in the style's own codes, so an escape sequence is never split. Memoised:
    every viewer of a narration with the same profile gets the same pieces for a chunk
    (issue 16: encode once per profile, not once per viewer)."""
    head, tail = _style_codes(style, profile)
    out = "".join("\r\n" if p == "\n" else f"{head}{p}{tail}" for p in pieces)
    return encode(out, profile.charset)


FLUSH_SLICE = 512
"""Sessions flushed per callback. A say to a room of 1,000 writes 1,000 sockets (a
``send`` each, 20-30 us): done in one callback it held the event loop for 30-40 ms and
every ``look`` arriving meanwhile waited for all of it (issue 16, the look's p99 at
2,000 players). In slices the reads, the hub and other callbacks run between slices,
and a command waits for about one slice. Each yield also lets the hub take a turn
before the rest of the fan-out, so small slices delay the say's last receiver: at
2,000 players (``bench/load.py --players 2000 --room-size 1000``, 2026-11-30, one
run each) 64 gave look p99 27 ms and say-to-last p99 86 ms, 256 gave 27-34 and 56-74,
512 gave 34-36 and 46-54, and no slicing 39-41 and 49-58."""


class _TurnFlush:
    """The sessions written to in the event loop's recent turns, flushed by one scheduled
    callback (one callback per turn, not one per session: a narration chunk to a room of
    50 made 50 handles per chunk; issue 16) in slices of at most ``FLUSH_SLICE``.

    Sessions written since the last slice (``fresh``, usually the few a command
    answered) go before the rest of a large fan-out (``backlog``): a look's answer waits
    for one slice, not for the say to 1,000 written just before it. Order per connection
    is kept because a session is in ``fresh`` or ``backlog`` at most once (its
    ``_flush_scheduled`` flag) and each flush writes all it holds, in order; a session
    written again while waiting only adds to what it will write."""

    __slots__ = ("backlog", "fresh", "scheduled")

    def __init__(self) -> None:
        self.fresh: list[Session] = []
        self.backlog: list[Session] = []
        self.scheduled = False

    def add(self, session: Session, loop: asyncio.AbstractEventLoop) -> None:
        # The loop is passed in, not kept: ``_turns`` is keyed weakly by it.
        self.fresh.append(session)
        if not self.scheduled:
            self.scheduled = True
            loop.call_soon(self.run)

    def run(self) -> None:
        if self.fresh:
            self.backlog = self.fresh + self.backlog if self.backlog else self.fresh
            self.fresh = []
        batch = self.backlog[:FLUSH_SLICE]
        del self.backlog[:FLUSH_SLICE]
        if self.backlog:
            asyncio.get_running_loop().call_soon(self.run)  # the rest after the callbacks now ready
        else:
            self.scheduled = False
        # Everything is made ready first, then the sockets are written back to back.
        # With the reader on the same host (the benchmarks' clients, a reverse proxy),
        # a ``send`` that comes after other work finds it gone idle and pays for waking
        # it again: 6-8 us a send back to back, about 21 us with 20 us of other work
        # between (a loopback micro-benchmark). In ``bench/dm.py fanout`` a chunk's 50
        # writes took 0.37-0.40 ms instead of 0.45 (p50; issue 16).
        ready: list[tuple[Session, bytes]] = []
        for session in batch:
            try:
                data = session._take()
            except Exception:
                # One session's broken link must not keep the others' output waiting
                # (each had its own callback before; asyncio logged and went on).
                log.exception("conn %d: flush failed", session.conn)
                continue
            if data:
                ready.append((session, data))
        written: list[tuple[Session, int]] = []
        for session, data in ready:
            try:
                session._link.write(data)
            except Exception:
                log.exception("conn %d: flush failed", session.conn)
                continue
            written.append((session, len(data)))
        for session, size in written:
            try:
                session._wrote(size)
            except Exception:
                log.exception("conn %d: flush failed", session.conn)


_turns: weakref.WeakKeyDictionary[asyncio.AbstractEventLoop, _TurnFlush] = (
    weakref.WeakKeyDictionary()
)


def _end_of_turn(session: Session) -> None:
    """Flush ``session`` at the end of this turn of the running loop (or, behind a large
    fan-out, a few slices later; see ``_TurnFlush``)."""
    loop = asyncio.get_running_loop()
    turn = _turns.get(loop)
    if turn is None:
        turn = _turns[loop] = _TurnFlush()
    turn.add(session, loop)


class _Stall:
    """A session's stall watch, while its backlog is over the bound: when the client last
    took bytes, the count it had taken then, and the timer of the next look."""

    __slots__ = ("since", "taken", "timer")

    def __init__(self, since: float, taken: int) -> None:
        self.since = since
        self.taken = taken
        self.timer: asyncio.TimerHandle | None = None


class Session:
    """One client connection, as the hub sees it (``SessionPort``).

    Created by a door adapter with its ``Link``; ``start`` must be called from the
    running loop before output is sent. ``max_outbox`` bounds the bytes waiting for a
    slow client; ``high_water`` is the transport buffer size above which writes queue.
    A client whose backlog is over ``stall_backlog`` bytes and that takes nothing of it
    for ``stall_deadline`` seconds is cut off (aborted) even before its outbox is full.
    The backlog counts the outbox, the link's buffer and, given ``sendq`` (the door's
    TCP socket, ``SendQueue.of``), the bytes the kernel holds unacknowledged: without
    it a client that stopped reading hides 100-200 KiB in kernel buffers before the
    outbox sees pressure, and was cut 30-55 s after it stopped instead of seconds after
    its backlog passed the bound. Progress is the client's TCP acknowledgements (with
    ``sendq``) or bytes the link handed on: never the time a drain took.
    """

    # One per connection, with more attributes than CPython shares dictionary keys for
    # (30): slots instead of a 1.6 KiB dictionary each (issue 16).
    __slots__ = (
        "_close_deadline",
        "_closed",
        "_closing",
        "_closing_seen",
        "_col",
        "_colour",
        "_flush_scheduled",
        "_high_water",
        "_lined",
        "_link",
        "_max_outbox",
        "_outbox",
        "_pending",
        "_pending_size",
        "_playing",
        "_profile",
        "_prompt_pending",
        "_queued",
        "_resume",
        "_screenreader",
        "_sendq",
        "_stall",
        "_stall_backlog",
        "_stall_deadline",
        "_started",
        "_streams",
        "_term",
        "_unchecked",
        "_wake",
        "_width",
        "_writer",
        "_written",
        "account",
        "conn",
    )

    def __init__(
        self,
        conn: int,
        link: Link,
        term: TermInfo,
        *,
        max_outbox: int = 256 * 1024,
        high_water: int = 64 * 1024,
        close_deadline: float = 2.0,
        stall_deadline: float = 5.0,
        stall_backlog: int = 64 * 1024,
        sendq: SendQueue | None = None,
    ) -> None:
        self.conn = conn
        self._link = link
        self._term = term
        self._colour: bool | None = None
        self._screenreader: bool | None = None
        self._width = 0
        self._profile = _shared(RenderProfile.from_term(term))
        # Lists and Flags, not a deque and asyncio.Events: each of those allocates a
        # 64-slot block per connection although most are never used (issue 16).
        self._outbox: list[bytes] = []
        self._queued = 0
        self._max_outbox = max_outbox
        self._high_water = high_water
        self._close_deadline = close_deadline
        self._stall_deadline = stall_deadline
        self._stall_backlog = stall_backlog
        self._sendq = sendq
        self._written = 0  # bytes handed to the link, ever
        self._unchecked = 0  # bytes handed to the link since the backlog was last measured
        self._stall: _Stall | None = None  # the watch, only while the backlog is over
        self._wake = Flag()
        self._writer: asyncio.Task[None] | None = None
        self._started = False
        self._streams: dict[int, tuple[LineAssembler | WordWrapper, str]] = {}
        self._col = 0  # cursor column of an open streamed line (0: at a line start)
        # A streamed line was broken by other output: the narration goes on after a mark.
        self._resume = False
        self._closing = False
        self._closing_seen = Flag()
        self._closed = Flag()
        self._pending: list[bytes] = []
        self._pending_size = 0
        self._flush_scheduled = False
        self._prompt_pending = False
        self._lined = True  # the client sent a line since the last prompt
        self._playing = False
        self.account = ""

    # -- lifecycle -------------------------------------------------------------------

    def start(self) -> None:
        """Allow output. Called once, from the running loop, by the adapter that owns
        this session. The writer task is started only while output waits in the outbox
        or the session closes (``_kick``): most clients take every write at once, and a
        task per connection costs about 1 KiB."""
        self._started = True

    def _kick(self) -> None:
        # Wake the writer task, starting it if it is not running.
        self._wake.set()
        if self._writer is None and self._started:
            self._writer = asyncio.get_running_loop().create_task(
                self._write_loop(), name=f"session-{self.conn}-writer"
            )

    @property
    def closed(self) -> Flag:
        """Set when the session has finished closing (the adapter waits on it)."""
        return self._closed

    @property
    def closing(self) -> bool:
        return self._closing

    async def wait_closing(self, deadline: float) -> None:
        """Wait until ``close`` was called (by the hub) or the link gave up, at most
        ``deadline`` seconds. Used by a door that reported EOF or a lost client and lets
        the hub answer what was typed before that."""
        if self._closing:
            return
        with contextlib.suppress(TimeoutError):
            async with asyncio.timeout(deadline):
                await self._closing_seen.wait()

    async def stop(self) -> None:
        """Cancel the writer task. Called by the adapter in its ``finally``."""
        if self._stall is not None:
            if self._stall.timer is not None:
                self._stall.timer.cancel()
            self._stall = None
        if self._writer is not None:
            self._writer.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._writer
        self._closed.set()

    # -- SessionPort -----------------------------------------------------------------

    @property
    def term(self) -> TermInfo:
        return self._term

    @property
    def profile(self) -> RenderProfile:
        return self._profile

    def update_term(self, term: TermInfo) -> None:
        """The adapter learned something new (resize, TTYPE): re-derive the profile."""
        self._term = term
        self._reprofile()

    @property
    def playing(self) -> bool:
        """Whether the hub has bound a character to this connection (logged in). The hub
        applies the character's preferences (``set_prefs``) the moment it binds one, and
        never before: the doors' rules for connections not yet logged in end there."""
        return self._playing

    def set_prefs(
        self, *, colour: bool | None, screenreader: bool | None, width: int | None
    ) -> None:
        self._playing = True
        if colour is not None:
            self._colour = colour
        if screenreader is not None:
            self._screenreader = screenreader
        if width is not None:
            self._width = width
        self._reprofile()

    def _reprofile(self) -> None:
        self._profile = _shared(
            RenderProfile.from_term(
                self._term, colour=self._colour, screenreader=self._screenreader, width=self._width
            )
        )
        for assembler, _style in self._streams.values():
            assembler.set_width(self._profile.width)

    def send(self, doc: Doc) -> None:
        self._break_stream_line()
        data = _render_bytes(doc, self._profile)
        if self._prompt_pending:
            # What _break_prompt writes, in the same piece: one _write per receiver of
            # a broadcast instead of two.
            self._prompt_pending = False
            data = b"\r\n" + data
        self._write(data)

    def stream(self, stream_id: int, text: str, *, style: str = "narr") -> None:
        """Show streamed narration: word by word at this client's width (whole lines
        in screen-reader mode, decided when the stream opens)."""
        entry = self._streams.get(stream_id)
        if entry is None:
            width = self._profile.width
            maker = LineAssembler if self._profile.screenreader else WordWrapper
            entry = (maker(width), style)
            self._streams[stream_id] = entry
        self._stream_out(entry, text, end=False)

    def end_stream(self, stream_id: int) -> None:
        entry = self._streams.pop(stream_id, None)
        if entry is None:
            return
        if not self._streams:
            self._streams = {}  # an empty literal holds no table; the emptied dict does
        self._stream_out(entry, "", end=True)

    def _stream_out(
        self, entry: tuple[LineAssembler | WordWrapper, str], text: str, *, end: bool
    ) -> None:
        worker, style = entry
        if isinstance(worker, WordWrapper):
            pieces: Sequence[str]
            # Going on after a line broken by other output: after a mark, so the words
            # read as the narration's and not as part of the line between (played: "...
            # the crack of the propped / Mallory arrives. / shutter.", and a griefer's
            # words could be spliced into a sentence of the DM's).
            mark = (_RESUMED if self._profile.charset == "utf-8" else _RESUMED_ASCII) * (
                self._resume and self._col == 0 and (not end or worker.pending)
            )
            if end and not self._streams:
                self._resume = False  # nothing more to go on with
            start = len(mark) or self._col
            if end:
                pieces, col = worker.flush(start)
            else:
                pieces, col = worker.advance(text, start)
            if pieces and mark:
                first = pieces[0]
                if first.startswith(" "):
                    # The mark ends in the space between words.
                    pieces = (first[1:], *pieces[1:]) if len(first) > 1 else pieces[1:]
                    col -= 0 if "\n" in pieces else 1
                pieces = (mark, *pieces)
                self._resume = False
            elif mark:
                col = 0  # nothing written: the mark waits for the first whole word
            if pieces:
                if self._col == 0:
                    self._break_prompt()
                self._write(_styled_words(tuple(pieces), style, self._profile))
            self._col = col
            return
        lines = worker.flush() if end else worker.feed(text)
        if lines:
            self._break_stream_line()
            self._break_prompt()
            self._write(b"".join(_styled_line(line, style, self._profile) for line in lines))

    def _break_stream_line(self) -> None:
        # Other output while a streamed line is open: end that line first.
        if self._col > 0:
            self._col = 0
            self._write(b"\r\n")
            self._resume = bool(self._streams)

    def prompt(self, markup: str) -> None:
        if self._playing and self._profile.screenreader and not self._lined:
            # In screen-reader mode a prompt answers the player's own line only: after
            # every line from elsewhere (a say, a walk, a fight's blow) speech read "12
            # of 12 HP" again (the blind player's finding; sighted players keep it,
            # as MUDs do).
            return
        self._lined = False
        self._break_stream_line()
        self._write(_prompt_bytes(markup, self._profile), suffix=self._link.prompt_suffix())
        self._prompt_pending = True

    def bound(self, account: str) -> None:
        """The hub bound a character: remembered for the door's logs (``account``)."""
        self.account = account

    def ack(self, seq: int) -> None:
        """Acknowledgements of numbered lines concern the split-mode gateway, which reads
        them from the game's output before they reach a session: nothing to do here."""

    def note_input(self) -> None:
        """The client sent a line: its cursor is at the start of a fresh line again.

        Called by the adapter, so that the next output is not preceded by a line break
        meant for a prompt the player has already answered.
        """
        self._prompt_pending = False
        self._lined = True

    def data(self, package: str, payload: object) -> None:
        if self._closing:
            return
        raw = self._link.data(package, payload)
        if raw:
            self._write(b"", suffix=raw)

    def set_echo(self, echo: bool) -> None:
        if not self._closing:
            self._link.set_echo(echo)

    def close(self, farewell: Doc | None = None) -> None:
        if self._closing:
            return
        if farewell is not None:
            self.send(farewell)
        self._flush()
        self._closing = True
        self._closing_seen.set()
        self._kick()

    # -- internals -------------------------------------------------------------------

    def _break_prompt(self) -> None:
        # Output arriving after a prompt starts on a fresh line, so nothing is glued
        # onto the half line the player may be typing.
        if self._prompt_pending:
            self._prompt_pending = False
            self._write(b"\r\n")

    def _write(self, data: bytes, *, suffix: bytes = b"") -> None:
        if self._closing or not (data or suffix):
            return
        if b"\xff" in data:  # never in UTF-8 text: the link's escape call skipped
            data = self._link.escape(data)
        chunk = data + suffix
        self._pending.append(chunk)
        self._pending_size += len(chunk)
        if self._pending_size > self._max_outbox:
            self._flush()  # a runaway burst meets the outbox limit at once
        elif not self._flush_scheduled:
            # Everything written in this turn of the event loop (a line of text, then
            # the prompt after it) goes out in one write: half the system calls.
            self._flush_scheduled = True
            _end_of_turn(self)

    def _flush(self) -> None:
        data = self._take()
        if data:
            self._link.write(data)
            self._wrote(len(data))

    def _take(self) -> bytes:
        """What this turn wrote, joined, when it may go straight to the link (returned
        for the caller to write, then to report with ``_wrote``); otherwise b"": nothing
        pending, or it went to the outbox (or overflowed it) here."""
        self._flush_scheduled = False
        if not self._pending or self._closing:
            self._pending.clear()
            self._pending_size = 0
            return b""
        data = b"".join(self._pending)
        self._pending.clear()
        self._pending_size = 0
        if not self._outbox and self._link.buffered() < self._high_water:
            return data
        self._queue(data)
        return b""

    def _wrote(self, size: int) -> None:
        """``size`` bytes that ``_take`` returned went to the link."""
        self._written += size
        self._count_unchecked(size)

    def _queue(self, data: bytes) -> None:
        if self._queued + len(data) > self._max_outbox:
            log.info(
                "conn %d: outbox overflow (%d bytes queued); dropping", self.conn, self._queued
            )
            self._drop()
            return
        self._outbox.append(data)
        self._queued += len(data)
        self._kick()
        if self._stall is None:
            self._watch_backlog()  # the transport is full: the backlog may be over the bound

    def _drop(self) -> None:
        """Cut the client off now: what waits for it is discarded and the link aborted."""
        self._outbox.clear()
        self._queued = 0
        self._closing = True
        self._closing_seen.set()
        self._link.abort()
        self._kick()

    # -- the stall rule -----------------------------------------------------------------

    def _count_unchecked(self, size: int) -> None:
        # Measuring the backlog costs two system calls: done once per few KiB written
        # (and every second while it is over the bound), never per write.
        self._unchecked += size
        if self._stall is None and self._unchecked >= max(1024, self._stall_backlog // 4):
            self._watch_backlog()

    def _backlog(self) -> int:
        """Bytes written for this client that it has not taken yet, as far as we see."""
        kernel = self._sendq.unacked() if self._sendq is not None else None
        return self._queued + self._link.buffered() + (kernel or 0)

    def _taken(self) -> int:
        """A count that grows whenever the client takes bytes: its TCP stack's
        acknowledgements where the kernel tells, else the bytes the link handed on."""
        if self._sendq is not None:
            acked = self._sendq.acked()
            if acked is not None:
                return acked
        return self._written - self._link.buffered()

    def _watch_backlog(self) -> None:
        """Measure the backlog; while it is over ``stall_backlog``, measure again every
        ``stall_deadline / 4`` seconds (at most a second) and cut the client off once it
        took nothing for ``stall_deadline``. Runs on the loop (a timer), never blocks."""
        stall = self._stall
        self._unchecked = 0
        if self._closing or self._backlog() <= self._stall_backlog:
            self._stall = None
            return
        loop = asyncio.get_running_loop()
        now = loop.time()
        taken = self._taken()
        if stall is None:
            stall = self._stall = _Stall(now, taken)
        elif taken != stall.taken:
            stall.since, stall.taken = now, taken
        elif now - stall.since >= self._stall_deadline:
            log.info(
                "conn %d: took nothing of its %d-byte backlog for %.0f s; dropping",
                self.conn,
                self._backlog(),
                now - stall.since,
            )
            self._stall = None
            self._drop()
            return
        stall.timer = loop.call_later(min(1.0, self._stall_deadline / 4), self._watch_backlog)

    async def _write_loop(self) -> None:
        while True:
            await self._wake.wait()
            self._wake.clear()
            while self._outbox:
                taken = self._taken()
                try:
                    async with asyncio.timeout(
                        self._close_deadline if self._closing else self._stall_deadline
                    ):
                        await self._link.drain()
                except TimeoutError:
                    if not self._closing and self._taken() != taken:
                        continue  # slow but reading: it took some, so wait on
                    log.info("conn %d: not reading; dropping", self.conn)
                    self._outbox.clear()
                    self._queued = 0
                    self._link.abort()
                    return
                except (ConnectionError, OSError):
                    log.info("conn %d: not reading; dropping", self.conn)
                    self._outbox.clear()
                    self._queued = 0
                    self._link.abort()
                    return
                if not self._outbox:
                    break  # dropped while waiting
                data = b"".join(self._outbox)
                self._outbox.clear()
                self._queued = 0
                self._link.write(data)
                self._written += len(data)
            if self._closing:
                try:
                    async with asyncio.timeout(self._close_deadline):
                        await self._link.drain()
                except (TimeoutError, ConnectionError, OSError):
                    # A farewell the client will not read must not hold its socket open.
                    self._link.abort()
                    return
                self._link.close()
                return
            # Everything queued went out: the task ends (the next queued write starts
            # another), so a connection that keeps up owns no writer task.
            self._writer = None
            return


_LINE_END = re.compile(r"\r\n?|\n")
# Control characters never reach the hub: C0 (tab becomes a space), DEL and C1. They
# are removed, never treated as line ends (a NUL inside a line must not split it).
_CONTROLS: dict[int, str | None] = {c: None for c in (*range(0x00, 0x20), 0x7F, *range(0x80, 0xA0))}
_CONTROLS[0x09] = " "


def strip_controls(line: str) -> str:
    """``line`` without escape sequences, whole, and without control characters (a tab
    becomes a space). Pure. Removing the ESC alone left the rest of a sequence on
    everyone's screen (played: a say of "ESC[2J ESC[31m..." read "'[2J[31mHAHA ...'")."""
    return strip_escapes(line).translate(_CONTROLS)


class InputSink(Protocol):
    """Where a door posts a player's input (the hub's ``EventSink.post``)."""

    async def post(self, event: LineIn | Resized | GmcpChanged) -> None: ...


async def post_input(
    sink: InputSink, event: LineIn | Resized | GmcpChanged, session: Session, deadline: float
) -> bool:
    """Post one line of input (or a resize, or a GMCP change), waiting as long as the
    hub needs while ``session`` is open.

    This is the doors' input flow control: while this waits, the door reads nothing
    more from the client's socket (telnet: its reader stops and telnetlib3 pauses the
    transport; SSH and web: the connection's ``InputQueue`` pauses reading once it is
    full), so the client is held back by TCP or SSH windows instead of being cut off.
    Each wait has a deadline of ``deadline`` seconds; a hub that takes longer is logged
    (once) and waited for again. Returns False when the session closed first (the event
    is then dropped).
    """
    warned = False
    while not session.closing:
        try:
            async with asyncio.timeout(deadline):
                await sink.post(event)
            return True
        except TimeoutError:
            if not warned:
                warned = True
                log.warning(
                    "conn %d: the hub has not taken input for %.0f s; still waiting",
                    event.conn,
                    deadline,
                )
    return False


class LineSplitter:
    """Splits decoded input into lines, for both doors.

    Lines end with CR LF, CR NUL, bare LF or bare CR (each counts once). Control
    characters inside a line (NUL included) are removed from it, never used to split
    it. ``feed`` returns the complete lines; it raises ``OverflowError`` when a partial
    line grows beyond ``max_buffer`` characters, counting the removed ones (a client
    sending garbage, not a player typing). The work per call is a few C-level string
    operations over the chunk, never a Python loop per character.
    """

    def __init__(self, max_buffer: int) -> None:
        self._buf: list[str] = []
        self._size = 0
        self._last_cr = False
        self._max = max_buffer

    @property
    def pending(self) -> bool:
        """Whether an unfinished line (control characters included) is waiting."""
        return bool(self._buf)

    def feed(self, chunk: str) -> list[str]:
        if not chunk:
            return []
        if self._last_cr and chunk[0] in "\n\x00":
            chunk = chunk[1:]  # the second half of a CR LF / CR NUL split across chunks
        self._last_cr = chunk.endswith("\r")
        parts = _LINE_END.split(chunk)
        rest = parts.pop()
        lines: list[str] = []
        if parts:
            self._buf.append(parts[0])
            parts[0] = "".join(self._buf)
            self._buf.clear()
            self._size = 0
            # A CR NUL line end leaves the NUL at the start of the next line: removed here.
            lines = [strip_controls(part) for part in parts]
        if rest:
            self._buf.append(rest)
            self._size += len(rest)
            if self._size > self._max:
                raise OverflowError(f"input line over {self._max} characters")
        return lines


_T = TypeVar("_T")


def reset_abort(transport: Any) -> None:
    """Cut a connection now: the peer gets a TCP reset (SO_LINGER 0, so the kernel drops
    what is still buffered for it) and the descriptor is freed. ``transport`` is anything
    with asyncio's ``get_extra_info("socket")`` and ``abort()`` (a transport, an asyncssh
    connection); None does nothing. Idempotent. Used by every door to cut off a client
    that broke a rule."""
    if transport is None:
        return
    sock = transport.get_extra_info("socket")
    if sock is not None:
        with contextlib.suppress(OSError):
            sock.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
    transport.abort()


class InputQueue(Generic[_T]):
    """What a door has read from one connection and not yet posted to the hub (SSH, web).

    The door's input flow control: ``put`` never drops and never raises; once more than
    ``high`` items wait, ``pause`` is called (the door stops reading the socket, so TCP
    or the SSH window holds the client back), and ``resume`` once ``next`` has brought
    them down to ``low``. What can wait beyond ``high`` is what the reads already under
    way deliver, which the door's byte budget bounds. ``coalesce(old, new)`` (optional)
    returns True when ``new`` replaces the last waiting item ``old`` (a window resize:
    only the latest size matters). ``end`` marks the end of input: ``next`` returns the
    items still waiting, then None. Used only from the event loop.
    """

    def __init__(
        self,
        high: int,
        low: int,
        pause: Callable[[], None],
        resume: Callable[[], None],
        *,
        coalesce: Callable[[_T, _T], bool] | None = None,
    ) -> None:
        if not 0 <= low < high:
            raise ValueError("InputQueue needs 0 <= low < high")
        self._items: deque[_T] = deque()
        self._high = high
        self._low = low
        self._pause = pause
        self._resume = resume
        self._coalesce = coalesce
        self._paused = False
        self._ended = False
        self._wake = asyncio.Event()

    def __len__(self) -> int:
        return len(self._items)

    @property
    def paused(self) -> bool:
        """Whether the door was told to stop reading (and not yet to resume)."""
        return self._paused

    @property
    def ended(self) -> bool:
        return self._ended

    def put(self, item: _T) -> None:
        """Queue ``item`` (ignored after ``end``); pause the door above ``high``."""
        if self._ended:
            return
        items = self._items
        if items and self._coalesce is not None and self._coalesce(items[-1], item):
            items[-1] = item
        else:
            items.append(item)
        self._wake.set()
        if not self._paused and len(items) > self._high:
            self._paused = True
            self._pause()

    def end(self) -> None:
        """No more input: ``next`` drains what waits, then returns None. Idempotent."""
        self._ended = True
        self._wake.set()

    def clear(self) -> None:
        """Forget what waits (the connection is being cut off)."""
        self._items.clear()

    def discard(self) -> None:
        """The input has no reader any more (the session ended): forget what waits, take
        nothing more, and let the door read again if it was paused (a closing handshake
        still has to be read). Idempotent."""
        self._items.clear()
        self.end()
        if self._paused:
            self._paused = False
            self._resume()

    async def next(self) -> _T | None:
        """The oldest waiting item (waiting for one), or None once ended and empty."""
        while not self._items:
            if self._ended:
                return None
            self._wake.clear()
            await self._wake.wait()
        item = self._items.popleft()
        if self._paused and len(self._items) <= self._low and not self._ended:
            self._paused = False
            self._resume()
        return item


class SlowInput:
    """The doors' rule against a slowloris: before login, input a client has started (an
    unfinished line, or for telnet an unfinished subnegotiation) must be finished within
    ``deadline`` seconds of its first byte, or ``cut`` is called (once).

    A person is never hurried by it: the clock starts at the first byte of the unfinished
    input, not at the connection, so someone may think at the prompt as long as the
    login deadline allows; a line-mode client sends a line at once, and a client in
    character mode (a password typed key by key, an SSH terminal) finishes a name or a
    password well within the default. It ends once the session is in play
    (``Session.playing``): a player may type a long line slowly.

    The door calls ``mark(kind, open, now)`` after each read with whether input of
    ``kind`` is unfinished, ``attach`` once its session exists, and ``stop`` when the
    connection ends. Checked once a second on the running loop, only while something
    is unfinished and the session is not in play. Every wait therefore has a deadline.
    """

    _EVERY = 1.0

    def __init__(self, deadline: float, cut: Callable[[], None]) -> None:
        self._deadline = deadline
        self._cut = cut
        self._since: dict[str, float] = {}
        self._session: Session | None = None
        self._timer: asyncio.TimerHandle | None = None
        self._done = False

    def attach(self, session: Session) -> None:
        self._session = session

    def _playing(self) -> bool:
        return self._session is not None and self._session.playing

    def mark(self, kind: str, unfinished: bool, now: float) -> None:
        """Input of ``kind`` is (still) unfinished, or not, at monotonic time ``now``."""
        if self._done:
            return
        if not unfinished:
            self._since.pop(kind, None)
            return
        if kind in self._since or self._playing():
            return
        self._since[kind] = now
        if self._timer is None:
            self._timer = asyncio.get_running_loop().call_later(self._EVERY, self._check)

    def _check(self) -> None:
        self._timer = None
        if self._done or not self._since:
            return
        if self._playing():
            self._since.clear()
            return
        loop = asyncio.get_running_loop()
        if loop.time() - min(self._since.values()) >= self._deadline:
            self.stop()
            self._cut()
            return
        self._timer = loop.call_later(self._EVERY, self._check)

    def stop(self) -> None:
        """The connection ended (or was cut): no more checks. Idempotent."""
        self._done = True
        self._since.clear()
        if self._timer is not None:
            self._timer.cancel()
            self._timer = None
