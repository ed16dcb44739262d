"""The gateway's end of the bus: the doors' event sink when the game is elsewhere.

``GatewayLink`` is the ``EventSink`` the telnet, SSH and web doors post to in a
``mud gateway`` process. It holds what the game must not lose when it restarts: every
connection's door, address, terminal, GMCP state and the account it plays, and each
line typed and not yet acknowledged. Built and owned by ``mud.app.serve_gateway``.

How a player's line is kept safe:

- The gateway numbers each connection's lines (``LineIn.seq``) and keeps those the game
  has not acknowledged. The game acknowledges a line (``Ack``) in the output of that
  line, released after its writes are committed, and records the last applied line of a
  character (``MarkLine``) in the same commit as those writes.
- While the game is away (no heartbeat for ``GAME_DEADLINE`` seconds, or its last
  heartbeat said ``going``), nothing is sent: players are told once that the world is
  being restored, and each line typed meanwhile is answered at once ("... was not
  done; type it again"). Nothing is queued to be applied later, so nothing typed during
  an outage is ever applied twice or late.
- When a game is back (a new epoch), the gateway attaches every connection it holds;
  the game answers with the last applied line of each. Lines sent before the outage and
  not acknowledged are then answered one by one: applied (the store has them) or not
  done (type it again). A gateway never sends a line twice.
- When the link to NATS breaks and comes back while the game stays up, lines and
  output in the NATS server at that moment are lost. The gateway attaches again at once
  and the game answers, per connection, the last line it took: later ones are answered
  "not done" and dropped by the game if they still arrive; those up to it wait for
  their Acks. The hub acknowledges every line it takes, in order, so an Ack for a line
  while earlier ones still wait means those were lost on the way: "not done".
- Output messages are numbered (``wire.frame``) and applied once, in order. A gap (or
  a break of the link, which may have lost the last ones) makes the gateway ask the
  game to send them again from the first missing one; the game keeps its last
  ``RING_BYTES`` of output per gateway for that. Messages after a gap wait (at most
  ``HOLD_MAX``); what the game no longer has is given up, and the players are told
  that something was not shown to them.

Flow control: at most ``MAX_UNACKED`` lines are in flight from one gateway; beyond that
``post`` waits (the doors' own deadline applies), which is what the hub's bounded inbox
does for the doors in one process.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections import deque
from collections.abc import Callable
from typing import cast

from attrs import define, field

from mud.core.events import (
    AdapterEvent,
    Connected,
    Disconnected,
    Door,
    GmcpChanged,
    LineIn,
    Resized,
    TermInfo,
)
from mud.core.markup import esc, styled
from mud.core.outputs import Doc
from mud.core.ports import SessionPort
from mud.core.stats import GatewayStats
from mud.hub.outputs import Ack, Bound, Close, Data, Output, Prompt, Send, StreamText, deliver
from mud.logs import log_event, watch_task
from mud.split import wire
from mud.split.bus import Bus, BusError
from mud.split.wire import Fanout

log = logging.getLogger("mud.split.gateway")

#: Seconds between this gateway's heartbeats.
BEAT = 1.0
#: A game silent this long is taken as away (players are told; lines are answered).
GAME_DEADLINE = 3.0
#: Lines sent to the game and not yet acknowledged, across the gateway, before ``post``
#: waits for acknowledgements.
MAX_UNACKED = 4096
#: Outputs applied from one batch before the gateway lets its doors run. A yield also
#: lets the sessions' flush run, which writes each session what it holds so far: with
#: 512, a say to a room of 1,000 (its text, GMCP and prompt, three items of 1,000)
#: yielded between the text and the prompt and cost every receiver two socket writes
#: instead of one. A room's whole broadcast fits in one slice; a busy game's much
#: larger batch is still cut.
SLICE = 4096
#: How long an attach request waits for the game's answer.
ATTACH_DEADLINE = 10.0
#: Output messages held back while an earlier one is asked for again; past this the
#: missing ones are given up (and the players told).
HOLD_MAX = 1024
#: How long a request for missed output messages waits for the game's answer.
RESEND_DEADLINE = 5.0
#: How long a who-list request waits for the game's answer.
WHO_DEADLINE = 2.0

_AWAY = (
    "The world is being restored after a fault. Stay connected: nothing you saw "
    "happen is lost, and you will be back where you were in a moment."
)
#: To a player the game's own "The world is restarting ..." did not reach (one who
#: connected after it): a planned restart, not a fault.
_RESTARTING = (
    "The world is restarting. Stay connected: your progress is saved, and you will be back "
    "where you were in a moment."
)
_BACK = "The world is back."
_GAP = (
    "The link to the world broke for a moment and some of what happened was not shown "
    "to you. Type look to see where you are."
)
_STARTING = "The world is starting; you will be let in in a moment."


def _note(text: str, style: str = "system") -> Doc:
    return Doc.text(styled(style, text))


@define
class _Held:
    """One connection as the gateway keeps it for the game."""

    door: Door
    peer: str
    term: TermInfo
    account: str = ""
    gmcp: bool = False  # the client wants GMCP (its door's last GmcpChanged)
    next_seq: int = 1
    unacked: deque[tuple[int, str]] = field(factory=deque)
    told_away: bool = False


class RemoteAuth:
    """SSH login checks for the SSH door of a gateway (``mud.net.ssh.Authenticator``),
    answered by the game over the bus. No answer within the deadline is a refusal."""

    def __init__(self, bus: Bus, world: str, deadline: float = 15.0) -> None:
        self._bus = bus
        self._world = world
        self._deadline = deadline

    async def _ask(self, body: dict[str, object]) -> bool:
        try:
            raw = await self._bus.request(
                wire.auth_subject(self._world), wire.encode(body), deadline=self._deadline
            )
        except BusError as exc:
            log_event(log, "auth_unanswered", level=logging.WARNING, error=str(exc))
            return False
        return bool(wire.decode(raw).get("ok"))

    async def check_password(self, name: str, password: str, peer: str) -> bool:
        return await self._ask({"op": "password", "name": name, "password": password, "peer": peer})

    async def check_key(self, name: str, fingerprint: str) -> bool:
        return await self._ask({"op": "key", "name": name, "fingerprint": fingerprint})


class GatewayLink:
    """The doors' ``EventSink`` in a gateway process, and the receiver of the game's
    output batches. ``start`` subscribes and starts the heartbeat, watchdog and event
    sender; ``close`` stops them."""

    def __init__(
        self,
        bus: Bus,
        *,
        world: str,
        gid: int,
        incarnation: int,
        now: Callable[[], float],
    ) -> None:
        self._bus = bus
        self._world = world
        self.gid = gid
        self.incarnation = incarnation
        self._now = now
        self._sessions: dict[int, SessionPort] = {}
        self._held: dict[int, _Held] = {}
        self._out: list[AdapterEvent] = []
        self._wake = asyncio.Event()
        self._room = asyncio.Event()  # set when lines in flight drop below the cap
        self._unacked = 0
        self._settled = 0  # lines acknowledged by the batch being applied
        self.epoch = ""  # of the game this gateway is attached to ("" while away)
        self.online = 0  # players in the world, from the game's heartbeat (for MSSP)
        self._last_beat = -1e9
        self._attaching: asyncio.Task[None] | None = None
        self._tasks: list[asyncio.Task[None]] = []
        self.attached = asyncio.Event()  # set while attached to a live game
        self._ever_attached = False
        self._planned = False  # the game away was stopped on purpose (its "going" beat)
        # Breaks of the link to NATS, and the last one an attach has resynchronised.
        self._breaks = 0
        self._synced = 0
        # Output messages of this game's current stream to this gateway (``wire.frame``):
        # the next one to apply, those that came before a missing one, and the request
        # for the missing ones.
        self._stream_epoch = ""
        self._stream = 0
        self._expect = 1
        self._early: dict[int, bytes] = {}
        self._asking: asyncio.Task[None] | None = None
        self._applying = asyncio.Lock()
        self.stats = GatewayStats()

    # -- EventSink ----------------------------------------------------------------------

    def attach(self, session: SessionPort) -> None:
        self._sessions[session.conn] = session

    async def post(self, event: AdapterEvent) -> None:
        """Take one event from a door: send it to the game, or (while it is away) keep
        what the game must learn at attach and answer lines at once. Waits while
        ``MAX_UNACKED`` lines are in flight (bounded by the door's deadline)."""
        match event:
            case Connected(conn=conn, door=door, peer=peer, term=term):
                self._held[conn] = _Held(door, peer, term)
                if not self.attached.is_set():
                    self._tell_away(conn)
                    return  # attaching lists it; the game connects it then
            case Resized(conn=conn, term=term):
                held = self._held.get(conn)
                if held is not None:
                    held.term = term
                if not self.attached.is_set():
                    return
            case GmcpChanged(conn=conn, on=on):
                held = self._held.get(conn)
                if held is not None:
                    held.gmcp = on
                if not self.attached.is_set():
                    return  # the attach tells the game
            case Disconnected(conn=conn):
                self._sessions.pop(conn, None)
                gone = self._held.pop(conn, None)
                if gone is not None:
                    self._settle(len(gone.unacked))
                if not self.attached.is_set():
                    return
            case LineIn(conn=conn, text=text):
                held = self._held.get(conn)
                if held is None:
                    return
                if not self.attached.is_set():
                    self._answer(conn, text, applied=False)
                    return
                while self._unacked >= MAX_UNACKED and self.attached.is_set():
                    self._room.clear()
                    await self._room.wait()
                if not self.attached.is_set():  # the game went away while we waited
                    self._answer(conn, text, applied=False)
                    return
                seq = held.next_seq
                held.next_seq += 1
                held.unacked.append((seq, text))
                self._unacked += 1
                self.stats.lines_sent += 1
                event = LineIn(conn, text, seq)
        self._out.append(event)
        self._wake.set()

    def _settle(self, count: int) -> None:
        if count:
            self._unacked -= count
            self._room.set()

    # -- to the game --------------------------------------------------------------------

    async def _sender(self) -> None:
        # One batch per wake: what every door posted since the last one, in order.
        while True:
            await self._wake.wait()
            self._wake.clear()
            events, self._out = self._out, []
            if not events:
                continue
            batch = wire.EventBatch(self.gid, self.incarnation, tuple(events))
            try:
                for data in wire.encode_events_within(batch, self._bus.max_payload - 1024):
                    await self._bus.publish(wire.events_subject(self._world), data)
            except (BusError, wire.WireError) as exc:
                # Lines in it stay unacknowledged: answered when a game attaches again.
                log_event(log, "events_lost", level=logging.WARNING, n=len(events), error=str(exc))

    # -- from the game ------------------------------------------------------------------

    async def _on_outputs(self, data: bytes) -> None:
        # Every message once and in order: a gap is held and asked for again.
        epoch, stream, number, body = wire.unframe(data)
        if epoch != self.epoch:
            return  # from a game run this gateway has left
        async with self._applying:
            if epoch != self._stream_epoch or stream > self._stream:
                self._stream_epoch, self._stream, self._expect = epoch, stream, 1
                self._early.clear()
            elif stream < self._stream:
                return  # from an attachment the game has replaced
            if number < self._expect:
                return  # sent again, and applied already
            self._early[number] = body
            if number > self._expect:
                if len(self._early) > HOLD_MAX:
                    self._give_up(min(self._early))
                else:
                    self._ask_again()
            await self._apply_in_order()

    async def _apply_in_order(self) -> None:
        while (body := self._early.pop(self._expect, None)) is not None:
            self._expect += 1
            self.stats.output_messages += 1
            await self._apply(body)
            # What one message gave the sessions is written before the next is applied,
            # as one process flushes after each turn of its hub: nats-py hands queued
            # messages over without yielding, so a look's answer in one message waited
            # for the say slices behind it to be applied too (issue 14; 2 ms off the
            # look's p99 at 2,000 players, bench/README.md "Round 9").
            await asyncio.sleep(0)

    def _give_up(self, first: int) -> None:
        """The messages before ``first`` are gone: carry on from there, and tell the
        players something was not shown."""
        if first <= self._expect:
            return
        log_event(
            log,
            "output_lost",
            level=logging.WARNING,
            start=self._expect,
            messages=first - self._expect,
        )
        self.stats.output_lost += first - self._expect
        self._expect = first
        for port in self._sessions.values():
            port.send(_note(_GAP, "warn"))
        # Their Acks may have been in what was lost: the lines in flight cannot be told
        # done or not any more.
        settled = 0
        for conn, held in self._held.items():
            while held.unacked:
                _seq, text = held.unacked.popleft()
                settled += 1
                self._answer(conn, text, applied=None)
        self._settle(settled)

    def _ask_again(self) -> None:
        if self._asking is None or self._asking.done():
            self._asking = asyncio.get_running_loop().create_task(
                self._resend(), name="gateway-resend"
            )

    async def _resend(self) -> None:
        """Ask the game for the output messages from the next one expected on (after
        a gap, or a break of the link that may have lost the last ones)."""
        epoch, stream, start = self._stream_epoch, self._stream, self._expect
        self.stats.resend_requests += 1
        body = {"g": self.gid, "i": self.incarnation, "s": stream, "from": start}
        loop = asyncio.get_running_loop()
        until = loop.time() + RESEND_DEADLINE
        while True:
            # Just after a break the game may not have subscribed again yet: ask again
            # (briefly) rather than wait for the next gap to show.
            try:
                raw = await self._bus.request(
                    wire.resend_subject(self._world),
                    wire.encode(body),
                    deadline=max(0.1, until - loop.time()),
                )
                break
            except BusError as exc:
                if loop.time() + 0.25 >= until:
                    log_event(log, "resend_unanswered", level=logging.WARNING, error=str(exc))
                    return  # the next gap, break or attach asks again
                await asyncio.sleep(0.25)
        answer = wire.decode(raw)
        if not answer.get("attached"):
            return
        async with self._applying:
            # What is still kept is on its way again; what is not is given up.
            if (self._stream_epoch, self._stream) == (epoch, stream):
                self._give_up(int(answer["first"]))
                await self._apply_in_order()

    async def _apply(self, data: bytes) -> None:
        batch = wire.decode_outputs(data)
        if batch.epoch != self.epoch:
            return  # from a game run this gateway is no longer attached to
        self._settled = 0
        done = 0
        sessions = self._sessions
        for item in batch.items:
            if type(item) is Fanout:
                # One value to many (a say to a room): one object, rendered once per
                # terminal profile by the sessions' shared cache. The kinds a room's
                # broadcast is made of (text, prompt, GMCP, narration) go to their
                # sessions in one tight loop each (no type test or match per receiver).
                out = item.out
                t = type(out)
                if t is Send:
                    doc = cast(Send, out).doc
                    for conn in item.conns:
                        port = sessions.get(conn)
                        if port is not None:
                            port.send(doc)
                elif t is Prompt:
                    markup = cast(Prompt, out).markup
                    for conn in item.conns:
                        port = sessions.get(conn)
                        if port is not None:
                            port.prompt(markup)
                elif t is Data:
                    package, payload = cast(Data, out).package, cast(Data, out).payload
                    for conn in item.conns:
                        port = sessions.get(conn)
                        if port is not None:
                            port.data(package, payload)
                elif t is StreamText:
                    stream_id, text = cast(StreamText, out).stream_id, cast(StreamText, out).text
                    for conn in item.conns:
                        port = sessions.get(conn)
                        if port is not None:
                            port.stream(stream_id, text)
                else:
                    for conn in item.conns:
                        self._apply_output(conn, out)
                done += len(item.conns)
            else:
                out = cast(Output, item)
                self._apply_output(out.conn, out)
                done += 1
            if done >= SLICE:
                # A large batch (a busy game's many turns) in slices: the doors keep
                # reading and writing meanwhile.
                done = 0
                await asyncio.sleep(0)
        self._settle(self._settled)

    def _apply_output(self, conn: int, out: Output) -> None:
        """One output of a batch for ``conn`` (``out.conn`` may be another connection of
        the same fan-out): acknowledgements settle lines, the rest goes to the session."""
        t = type(out)
        if t is Ack:
            held = self._held.get(conn)
            if held is not None:
                # The hub acknowledges every line it takes, in order: a line still
                # waiting before this one was lost on its way to the game.
                ack = cast(Ack, out).seq
                while held.unacked and held.unacked[0][0] <= ack:
                    seq, text = held.unacked.popleft()
                    self._settled += 1
                    if seq < ack:
                        self._answer(conn, text, applied=False, lost=True)
            return
        if t is Bound:
            held = self._held.get(conn)
            if held is not None:
                held.account = cast(Bound, out).account
        port = self._sessions.get(conn)
        if port is None:
            return
        if t is Send:
            port.send(cast(Send, out).doc)
            return
        deliver(port, out)
        if t is Close:
            self._sessions.pop(conn, None)

    async def _on_game_beat(self, data: bytes) -> None:
        body = wire.decode(data)
        epoch = str(body["ep"])
        self.online = self.stats.world_players = int(body.get("online", 0))
        if body.get("going"):
            if epoch == self.epoch:
                self._away("the game is restarting", planned=True)
            return
        self._last_beat = self._now()
        mine = body.get("gws", {}).get(str(self.gid)) == self.incarnation
        if epoch == self.epoch and mine and self.attached.is_set() and self._synced == self._breaks:
            return
        self._start_attach(epoch)

    def _start_attach(self, epoch: str) -> None:
        if self._attaching is None or self._attaching.done():
            self._attaching = asyncio.get_running_loop().create_task(
                self._attach(epoch), name="gateway-attach"
            )

    def _link_broke(self) -> None:
        """The bus is back after a break (``Bus.on_reconnect``): attach again now, to
        settle what the break may have lost, rather than at the next heartbeat."""
        self._breaks += 1
        log_event(log, "link_rejoined", level=logging.WARNING, conns=len(self._held))
        if self.epoch:
            self._ask_again()
            self._start_attach(self.epoch)

    async def _attach(self, epoch: str) -> None:
        """Hand every held connection to the game of ``epoch`` and settle the lines it
        never acknowledged."""
        breaks = self._breaks
        sent = {conn: h.next_seq - 1 for conn, h in self._held.items()}
        conns = [
            {
                "c": conn,
                "d": h.door,
                "p": h.peer,
                "t": wire.term_to_wire(h.term),
                "a": h.account,
                "s": sent[conn],
                # Whether the client wants GMCP: listed only when it does (most don't).
                **({"m": True} if h.gmcp else {}),
            }
            for conn, h in self._held.items()
        ]
        body = {"g": self.gid, "i": self.incarnation, "conns": conns}
        # This game's output is taken from now on: what it says to the connections it
        # takes over can arrive before its answer to this request.
        previous, self.epoch = self.epoch, epoch
        try:
            raw = await self._bus.request(
                wire.attach_subject(self._world), wire.encode(body), deadline=ATTACH_DEADLINE
            )
        except BusError as exc:
            log_event(log, "attach_failed", level=logging.WARNING, error=str(exc))
            return  # the next heartbeat tries again
        answer = wire.decode(raw)
        new_game = str(answer["ep"]) != previous
        marks: dict[str, int] = {str(k): int(v) for k, v in answer.get("marks", {}).items()}
        fresh = {int(c) for c in answer.get("fresh", [])}
        took: dict[str, int] = {str(k): int(v) for k, v in answer.get("took", {}).items()}
        self._synced = breaks
        self.epoch = str(answer["ep"])
        self._last_beat = self._now()
        self.attached.set()
        self.stats.attaches += 1
        was_attached, self._ever_attached = self._ever_attached, True
        log_event(
            log, "attached", epoch=self.epoch, conns=len(conns), fresh=len(fresh), new=new_game
        )
        settled = 0
        for conn, held in self._held.items():
            # A connection the game already had keeps its lines in flight; one it took
            # anew (a new game, or one that had given this gateway up) never saw them.
            if conn in fresh or new_game:
                applied_to = marks.get(str(conn), 0)
                while held.unacked:
                    seq, text = held.unacked.popleft()
                    settled += 1
                    self._answer(conn, text, applied=seq <= applied_to)
            elif str(conn) in took and conn in sent:
                # The same game: lines sent before this request and after the last it
                # took never reached it (it drops them if they still come). Those up to
                # ``took`` stay in flight: their Acks come (output is sent again if
                # lost), and settle any lost before them.
                taken = took[str(conn)]
                keep: deque[tuple[int, str]] = deque()
                while held.unacked and held.unacked[0][0] <= sent[conn]:
                    seq, text = held.unacked.popleft()
                    if seq <= taken:
                        keep.append((seq, text))
                        continue
                    settled += 1
                    self._answer(conn, text, applied=False, lost=True)
                held.unacked.extendleft(reversed(keep))
            # A game that came back before this gateway missed it still restarted: the
            # player is told either way.
            if held.told_away or (new_game and was_attached):
                held.told_away = False
                port = self._sessions.get(conn)
                if port is not None:
                    port.send(_note(_BACK, "good"))
        self._settle(settled)

    def _away(self, why: str, *, planned: bool = False) -> None:
        """The game is away: every held player is told once. ``planned``: it stopped on
        purpose and said so itself ("The world is restarting ... stay connected"), so the
        players it told are not told again, and none is told of a fault (the operator's
        finding: a deploy read "restarting", then "restored after a fault")."""
        if not self.attached.is_set():
            return
        self.attached.clear()
        self._planned = planned
        self.stats.game_away += 1
        log_event(
            log,
            "game_away",
            level=logging.INFO if planned else logging.WARNING,
            why=why,
            conns=len(self._held),
        )
        for conn, held in self._held.items():
            if planned and held.account:
                held.told_away = True  # told by the game itself, in the world
                continue
            self._tell_away(conn)
        # Lines waiting for room in flight are answered now, not when a game is back.
        self._room.set()

    def _tell_away(self, conn: int) -> None:
        held = self._held.get(conn)
        port = self._sessions.get(conn)
        if held is None or port is None or held.told_away:
            return
        held.told_away = True
        text = _STARTING if not self._ever_attached else _RESTARTING if self._planned else _AWAY
        port.send(_note(text, "warn"))

    def _answer(self, conn: int, text: str, *, applied: bool | None, lost: bool = False) -> None:
        """Tell the player what became of a line: done, not done (``lost``: on its way
        to a game that stayed up), or (``None``) not known any more (its answer was in
        output that could not be sent again)."""
        if applied:
            self.stats.lines_done_before += 1
        elif applied is not None:
            self.stats.lines_not_done += 1
        port = self._sessions.get(conn)
        if port is None:
            return
        shown = esc(text if len(text) <= 60 else text[:57] + "...")
        if applied is None:
            port.send(_note(f'"{shown}" may or may not have been done: look to see.', "warn"))
        elif applied:
            port.send(_note(f'"{shown}" was done before the world paused.'))
        elif lost:
            port.send(
                _note(
                    f'"{shown}" was not done: the link to the world broke. Type it again.', "warn"
                )
            )
        else:
            port.send(
                _note(
                    f'The world is being restored: "{shown}" was not done. Type it again.', "warn"
                )
            )

    # -- heartbeat and watchdog -----------------------------------------------------------

    async def _heartbeat(self) -> None:
        while True:
            body = {"g": self.gid, "i": self.incarnation, "n": len(self._held)}
            with contextlib.suppress(BusError):
                await self._bus.publish(wire.gateway_beat_subject(self._world), wire.encode(body))
            if self.attached.is_set() and self._now() - self._last_beat > GAME_DEADLINE:
                self._away("no heartbeat from the game")
            await asyncio.sleep(BEAT / 2)

    # -- lifecycle ----------------------------------------------------------------------

    async def start(self) -> None:
        """Subscribe to this gateway's output subject and the game's heartbeat."""
        w = self._world
        await self._bus.subscribe(wire.outputs_subject(w, self.gid), self._on_outputs)
        await self._bus.subscribe(wire.game_beat_subject(w), self._on_game_beat)
        self._bus.on_reconnect(self._link_broke)
        # The server has the subscriptions before anyone is told this end is up.
        with contextlib.suppress(BusError):
            await self._bus.flush()
        loop = asyncio.get_running_loop()
        self._tasks = [
            loop.create_task(self._sender(), name="gateway-sender"),
            loop.create_task(self._heartbeat(), name="gateway-beat"),
        ]
        for task in self._tasks:
            watch_task(log, task)

    @property
    def game_attached(self) -> bool:
        return self.attached.is_set()

    @property
    def lines_in_flight(self) -> int:
        """Lines sent to the game and not yet acknowledged."""
        return self._unacked

    @property
    def bus_reconnects(self) -> int:
        return self._bus.reconnects

    def held_by_door(self) -> dict[str, int]:
        """Connections this gateway holds, per door."""
        out: dict[str, int] = {}
        for held in self._held.values():
            out[held.door] = out.get(held.door, 0) + 1
        return out

    async def who(self) -> list[tuple[str, float, bool]] | None:
        """Who is in the world, asked of the game: (name, seconds idle, link-dead) for
        each character; None while no game answers within ``WHO_DEADLINE``."""
        if not self.attached.is_set():
            return None
        try:
            raw = await self._bus.request(
                wire.who_subject(self._world), b"{}", deadline=WHO_DEADLINE
            )
            rows = wire.decode(raw)["players"]
            return [(str(n), float(i), bool(d)) for n, i, d in rows]
        except (BusError, wire.WireError, KeyError, TypeError, ValueError) as exc:
            log_event(log, "who_unanswered", level=logging.WARNING, error=str(exc))
            return None

    def farewell(self, text: str) -> None:
        """Close every connection with ``text`` (the gateway is stopping)."""
        for port in list(self._sessions.values()):
            port.close(_note(text, "warn"))

    async def close(self) -> None:
        """Stop the link's tasks (the doors are closed by the runner). Never raises."""
        tasks = list(self._tasks)
        tasks += [t for t in (self._attaching, self._asking) if t is not None]
        for task in tasks:
            task.cancel()
        await asyncio.gather(*tasks, return_exceptions=True)
