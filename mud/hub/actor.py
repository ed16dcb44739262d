"""The hub: the single game actor. The only mutator of the world, the only sender of output.

Adapters post events into the hub's bounded inbox; the DM actor posts narration there
too; the hub's own background jobs (password hashing, store reads) post their results
there. The hub handles one message at a time, without awaiting anything, so no world
state is ever shared or locked.

Invariants:
- ``World`` is touched only inside ``_handle`` (one message at a time).
- Output follows durability: the output of a message that changed state (wrote an op
  whose type declares ``gates_output``: characters, floors, NPCs, accounts) is held until
  its writes are committed (group commit: one transaction for everything waiting), so
  an action a player has seen acknowledged is on disk even if the process is killed the
  next instant. Order is kept per connection: once a connection has output waiting, its
  later output waits behind it. A message whose only writes are logs (its replay-log
  entry, chat lines, dice rolls: a look, a who, a say) answers at once any connection
  that has nothing waiting; such entries are committed in batches (with the next state
  change, on the next tick, or every ``log_batch``), so a crash can lose at most a
  second of logs and chat and never a state change.
- A write that cannot be committed is never acknowledged. When a state commit fails
  (after retries; one attempt while the store is known to be failing), the hub undoes
  it and everything built on it since: characters, floors, NPCs and the generator go
  back to their last committed state (``_saved``, kept from every successful commit),
  the held output of those messages is dropped (hang-ups still happen), and whoever
  typed each of them is told it did not happen. The log and the admins hear once that
  the store is failing and once that it works again. This design (undo, then try each
  new action normally) was chosen over refusing all state changes until a probe
  succeeds: it needs no separate mode or probe, it keeps the world equal to the disk at
  every moment, and play resumes by itself with the first commit that succeeds. Talk
  goes on meanwhile, since chat does not wait for the disk.
- Every background job is a task in ``self._jobs`` (owned here, cancelled on stop) and
  reports back by posting a message; none of them touches the world.
- A character is either bound to exactly one live connection, link-dead (in the world,
  no connection, until ``linkdead_grace`` expires) or not in the world.
"""

from __future__ import annotations

import asyncio
import json
import logging
import math
import os
import secrets
from collections import deque
from collections.abc import Awaitable, Callable, Mapping, Sequence
from typing import Any

from attrs import asdict, evolve, field, frozen

from mud.core.clock import Clock
from mud.core.events import (
    AdapterEvent,
    Connected,
    Disconnected,
    GmcpChanged,
    LineIn,
    Resized,
)
from mud.core.markup import esc, spoken, styled, tag
from mud.core.narration import (
    DmMessage,
    DmNotice,
    NarrationChunk,
    NarrationEnd,
    NarrationRejected,
    NarrationStart,
    Outcome,
    Priority,
    RoomSnapshot,
    Thinking,
    TokenReport,
    addressee,
)
from mud.core.ops import (
    AddBan,
    AddSshKey,
    CreateAccount,
    DeleteParty,
    DeleteWorld,
    LiftBan,
    LogAudit,
    LogRoll,
    MarkLine,
    PutCharacter,
    PutParty,
    PutWorld,
    RemoveSshKey,
    SetPassword,
    StoreConflict,
    StoreError,
    WriteOp,
)
from mud.core.ops import (
    LogChat as LogChatOp,
)
from mud.core.outputs import Art, Doc, Para
from mud.core.ports import DungeonMaster, HubStore, SessionPort
from mud.core.records import Account, Ban, ChatLine
from mud.core.rng import SeededRng
from mud.core.stats import HubStats
from mud.engine import (
    accounts,
    admin,
    away,
    fight,
    game,
    haggle,
    lore,
    party,
    phrasing,
    reactions,
    resets,
    sheet,
    stealth,
    views,
)
from mud.engine.commands import ALIASES, Ctx, describe_room, dispatch, earshot
from mud.engine.context import RECENT
from mud.engine.effects import (
    AdminAction,
    Arrived,
    AskNarration,
    Audit,
    ChooseClass,
    Effect,
    FightEvent,
    Gain,
    ListKeys,
    LogChat,
    Move,
    NpcArrived,
    Query,
    QuestEvents,
    Quit,
    RemoveKey,
    Rolled,
    SetBan,
    SetPrefs,
    StartFlow,
    Tell,
    Then,
    ToAll,
    ToRoom,
    TurnPrompt,
)
from mud.engine.parser import parse, unslipped
from mud.engine.presence import REPORT_KINDS
from mud.engine.state import Character, World, ignoring, quiet
from mud.engine.trace import Trace, op_repr
from mud.hub import gmcp, hashline, login, narration
from mud.hub.admin import (
    BanList,
    RefreshTimer,
    ShutdownClock,
    ban_span,
    ban_terms,
    describe_ban,
    describe_report,
    put_out_by_ban,
)
from mud.hub.apply import Applied, apply_to_world
from mud.hub.connections import (
    Activity,
    AddressCount,
    Flood,
    FloodBucket,
    IdleClose,
    IdleWarn,
    LinkDead,
)
from mud.hub.gmcp import room_number
from mud.hub.guard import PasswordEcho, looks_like_password
from mud.hub.login import Stage
from mud.hub.messages import (
    AccountLooked,
    CharLoaded,
    Committed,
    Hashed,
    HubMessage,
    JobResult,
    NameTaken,
    NotCreated,
    Refreshed,
    Reloaded,
    ReloadRequested,
    Shutdown,
    Tick,
    Verified,
)
from mud.hub.outbox import Outbox, Release, Settled
from mud.hub.outputs import (
    Ack,
    Bound,
    Close,
    Data,
    DataAll,
    Echo,
    EndStream,
    Outgoing,
    Output,
    Prefs,
    Prompt,
    Send,
    SendAll,
    StreamAll,
    deliver,
)
from mud.hub.recorder import Recorder, TraceSummary
from mud.hub.spread import Spread
from mud.logs import log_event
from mud.render.grammar import definite, in_place, strip_article
from mud.render.sanitize import clean
from mud.world.model import Templates

# Named for the package, not this module: operators filter on logger=mud.hub (fail2ban, README).
log = logging.getLogger("mud.hub")
# Chat lines, at DEBUG, only when asked for (``MUD_LOG_CHAT=1``; see ``mud.cli.setup_logging``).
chat_log = logging.getLogger("mud.chat")


_READER_HINT = "Using a screen reader? Type sr at the name prompt."

_UNDONE = Doc.text(
    styled(
        "error",
        "That did not happen: the world could not be saved just now (the server cannot "
        "write its database; its log says why), so nothing changed. Try again in a little "
        "while.",
    )
)


#: How many of a room's ambient lines, shown or told lately, the narrator is told of.
AMBIENT_MEMORY = 3
#: Seconds before a room's ambience shows again a line it showed or a narration told.
AMBIENT_QUIET = 600.0

#: Messages the hub handles in a row before it lets the other tasks run.
YIELD_EVERY = 32


class PromptMemo:
    """``views.prompt_markup``, memoised on what it reads. A say to a room of 1,000
    prompts 1,000 players whose prompts are mostly alike; filling the template char by
    char for each, with the rest of the prompts, was a fifth of the hub's time at 2,000
    players (py-spy, issue 16). Owned by one ``Hub``; bounded (emptied when full)."""

    MAX = 4096

    def __init__(self) -> None:
        self._memo: dict[tuple[str, str, str, int, int, int, int, int], str] = {}

    def __len__(self) -> int:
        return len(self._memo)

    def markup(self, char: Character, plain: str) -> str:
        """The prompt markup for ``char`` with the server's ``plain`` prompt."""
        template = str(char.extra.get("prompt") or "")
        key = (plain, char.cls, template, char.hp, char.max_hp, char.xp, char.gold, char.level)
        markup = self._memo.get(key)
        if markup is None:
            if len(self._memo) >= self.MAX:
                self._memo.clear()
            markup = self._memo[key] = views.prompt_markup(char, plain)
        return markup


#: How many lines of a room's recent talk a player logging back in is shown.
RECENT_CHAT = 6
#: How many of the newest reports players sent an admin's ``reports`` shows.
REPORTS_SHOWN = 20
#: How old (seconds) talk may be and still be "recently said here": played, a pair
#: back in the tavern after the whole campaign read what they said before they set out.
#: Ten minutes, the talk still going on: played by a griefer, an alt that had quit in the
#: common room logged in within the hour and read a secret said there after it left.
RECENT_CHAT_AGE = 600.0
#: Seconds a line said to the people of a room is a bystander's conversation too.
OVERHEARD = 120.0
#: Commands whose words are not said aloud in the room: no bystander overhears them.
_NOT_ALOUD = frozenset({"tell", "whisper", "gtell", "group", "ooc"})
#: The window over which an address's new characters are counted (``Hub._crowded``),
#: in seconds, and how many addresses are remembered at most.
_NEW_WINDOW = 3600.0
_MADE_FROM_MAX = 4096
#: How long a character cut off for flooding is kept out, the first time and at most
#: (``Hub._benched``), in seconds.
_BENCH_FIRST = 60.0
_BENCH_MAX = 900.0
#: Told to a player whose line met a bug in the server (the bug is logged).
_WENT_WRONG = "Something went wrong in the world's workings, and that was not done. It is logged."


def _saved_room(state: str | None) -> str:
    """The room id in a saved character state ("" if none or unreadable)."""
    if not state:
        return ""
    try:
        data = json.loads(state)
    except ValueError:
        return ""
    room = data.get("room") if isinstance(data, dict) else None
    return room if isinstance(room, str) else ""


def _letters(name: str) -> str:
    """``name``'s letters alone, casefolded ("Bessa Thorn" -> "bessathorn"). Pure."""
    return "".join(ch for ch in name.casefold() if ch.isalpha())


def _resuming(room_name: str) -> Doc:
    """The notice for a player back after a restart: the world was restored, and where
    ("you are on the Reed-Marsh Path": played, "you are in Reed-Marsh Path").
    Also read by players a gateway held connected through a game restart, who were
    never away (so it does not say they were)."""
    return Doc.text(
        styled(
            "system",
            f"Resuming. The world was restored from its last save; "
            f"you are {in_place(room_name)}, where you left off.",
        )
    )


def _recent_talk(lines: Sequence[tuple[str, str, str, str]], viewer: str) -> Doc:
    """The room's recent talk from the chat log, (kind, speaker, target, text) each, as
    ``viewer`` (the name of the one logging in) reads it: their own says are "You say",
    a say to them is "to you" (played: "Brannoc, hurry up" came back to Brannoc as
    "Ysolt says, 'hurry up'"). Stored text is cleaned again and escaped: the log is
    read back, not trusted."""
    paras = [Para(styled("dim", "Recently said here:"))]
    me = viewer.casefold()
    for kind, speaker, target, text in lines:
        who = styled("person", clean(speaker))
        if kind == "emote":
            # "'s eyes narrow" joins the name as it did when posed ("Ash's eyes narrow.").
            between = "" if text.startswith(("'s ", ", ")) else " "
            # In the pose's own style, as when posed: its wrapped lines go on indented.
            paras.append(Para(f"{who}{between}{styled('emote', clean(text))}"))
            continue
        says = "You say" if speaker.casefold() == me else f"{who} says"
        if target:
            to = "you" if target.casefold() == me else styled("person", clean(target))
            says = f"{says} to {to}"
            if text.rstrip().endswith("?"):
                # A question put to someone reads as it did when asked: "Harl asks
                # you, 'Want to team up?'" (played: "Harl says to you, ...").
                asks = "You ask" if speaker.casefold() == me else f"{who} asks"
                says = f"{asks} {to}"
        paras.append(Para(f"{says}, '{styled('say', clean(text))}'"))
    return Doc(tuple(paras))


def _talk_line(line: Sequence[object]) -> tuple[str, str, str, str]:
    """A recent line as an event log holds it: (kind, speaker, target, text), or, from
    an event log written before lines kept who they were said to, (kind, speaker,
    text). Called by the replay of an "enter" event."""
    if len(line) == 3:
        kind, speaker, text = line
        return (str(kind), str(speaker), "", str(text))
    kind, speaker, target, text = line
    return (str(kind), str(speaker), str(target), str(text))


@frozen
class HubSettings:
    """Limits and timings. Defaults protect a public server; load tests raise them."""

    inbox_size: int = 8192
    max_line: int = 2000
    max_per_ip: int = 10
    # The doors' admission reads these two (``mud.net.admission``); kept here so the
    # settings mirror the schema's limits.
    max_per_net: int = 0
    max_connections: int = 1000
    evict_after: float = 10.0
    connect_rate: float = 2.0
    connect_burst: float = 20.0
    # New characters one address may make in an hour (``Hub._crowded``).
    new_per_ip: int = 10
    login_deadline: float = 120.0
    idle_warn: float = 25 * 60.0
    idle_close: float = 30 * 60.0
    linkdead_grace: float = 120.0
    throttle_limit: int = 5
    throttle_window: float = 60.0
    # Failed password attempts per account per window, from any address (both doors
    # share one accounts.LoginGate; throttle_limit is per address).
    throttle_account_limit: int = 20
    hash_cost: accounts.HashCost = field(factory=accounts.HashCost)
    flood_rate: float = 10.0
    flood_burst: float = 40.0
    # Lines that may wait while the login flow is busy (a lookup, a hash, a load);
    # one more and the client is told so and disconnected.
    max_ahead: int = 64
    tick: float = 1.0
    commit_retries: int = 3
    log_batch: int = 64
    # Receivers of a broadcast handed their output in one turn of the event loop; the
    # rest get theirs a slice per turn (mud.hub.spread; issue 16).
    broadcast_slice: int = 256
    # The longest a fighter's "Your turn!" waits for the narration of the round just
    # asked for (``TurnPrompt``); their turn is lengthened by the wait. 0: never held.
    prompt_hold: float = 5.0
    wander_every: float = 30.0
    # How often each room with players in it may show a line of its ambience or an
    # NPC's emote (with the pack's ``rules.ambience_chance``; ``reactions.ambience``).
    ambience_every: float = 30.0
    narration: bool = True
    record: bool = True
    banner: tuple[str, ...] = ()
    prompt: str = "{prompt}>{/}"
    # How often the admin flags of players online and the bans are re-read from the
    # database, so ``mud admin grant`` and bans made elsewhere apply without a restart.
    admin_refresh: float = 10.0


def login_gate(settings: HubSettings) -> accounts.LoginGate:
    """The password-attempt gate for these limits (one per server, shared by the doors)."""
    return accounts.LoginGate(
        settings.throttle_limit,
        settings.throttle_window,
        account_limit=settings.throttle_account_limit,
    )


class _Conn:
    """Per-connection state the hub keeps: its login flow (``login.LoginFlow``), its
    activity times and flood bucket (``connections``), the character it is bound to."""

    __slots__ = (
        "activity",
        "char",
        "door",
        "dropped",
        "echo",
        "flood",
        "flow",
        "gone",
        "id",
        "peer",
        "reader",
        "recent",
        "restored",
        "seen",
        "session",
    )

    def __init__(
        self,
        cid: int,
        session: SessionPort,
        door: str,
        peer: str,
        now: float,
        *,
        max_line: int = 2000,
        max_ahead: int = 64,
    ) -> None:
        self.id = cid
        self.session = session
        self.door = door
        self.peer = peer
        self.flow = login.LoginFlow(max_line=max_line, max_ahead=max_ahead)
        self.char: str | None = None
        # Split mode: a connection a gateway held through a game restart (its player
        # comes back quietly: nobody is told they "step into view" again).
        self.restored = False
        self.activity = Activity(now)
        self.flood = FloodBucket(now)
        # Closed for flooding: the lines it sent before the door learned so are dropped
        # unread (played by a griefer: each of 8,000 lines queued behind the first logged
        # "flooding" and closed the connection again, 22 MB of log in 20 s, and the
        # players' look took half a second).
        self.dropped = False
        # The door's reason, once it reported the connection gone while lines still
        # waited here: the disconnect is handled after they are (see Hub._drain).
        self.gone: str | None = None
        # The addresses the account being logged into was used from (``known_addresses``).
        self.seen: dict[str, float] = {}
        # The lines its player typed last, for the next one's ``Ctx.recent``.
        self.recent: tuple[str, ...] = ()
        # What recognises its player's password in a line typed in play (``guard``);
        # None until a password was typed at the game's prompt.
        self.echo: PasswordEcho | None = None
        # Whether its client announces a screen reader, as a replay's recording says;
        # None: ask the session (``Hub._client_reader``).
        self.reader: bool | None = None

    @property
    def name(self) -> str:
        """The name this connection logs in (or is logged in) as."""
        return self.flow.name

    @name.setter
    def name(self, name: str) -> None:
        self.flow.name = name

    @property
    def account(self) -> Account | None:
        return self.flow.account

    @property
    def connected_at(self) -> float:
        return self.activity.connected_at

    @property
    def last_input(self) -> float:
        return self.activity.last_input


class Hub:
    """The game actor. Satisfies ``EventSink`` (for adapters) and ``NarrationSink`` (for the DM).

    Constructed by ``mud.app`` with the loaded world, the store, the DM and callables for
    the things only the composition root knows (re-reading packs, parsing SSH keys,
    producing usage reports). ``run`` processes messages until ``stop``.
    """

    def __init__(
        self,
        world: World,
        store: HubStore,
        clock: Clock,
        settings: HubSettings,
        *,
        dm: DungeonMaster | None = None,
        reload_packs: Callable[[], Templates] | None = None,
        parse_key: Callable[[str], tuple[str, str, str]] | None = None,
        usage_report: Callable[[str], Awaitable[str]] | None = None,
        rng: SeededRng | None = None,
        gate: accounts.LoginGate | None = None,
    ) -> None:
        self.world = world
        self.rng = rng or SeededRng(0)
        # ``rng.draws`` when its state was last written: every draw moves the generator,
        # whoever drew (a roll, a stroll, the ambience, a trial that was dropped).
        self._rng_written = self.rng.draws
        self._roll_seq = 0
        self._wander_at: float | None = None
        self._ambience_at: float | None = None
        # Each room's ambient lines shown or told lately (``reactions.ambience`` shows
        # others while it has them).
        self._ambience_recent: dict[str, deque[str]] = {}
        # When each of a room's ambient lines was last shown or told (wall time), for
        # ``AMBIENT_QUIET``: at most its pool's lines, a room.
        self._ambience_when: dict[str, dict[str, float]] = {}
        # room -> the last lines players there spoke to its people with (key, line, when),
        # for a bystander's follow-up ("where did she go?" after another's question).
        self._talk_here: dict[str, deque[tuple[str, str, float]]] = {}
        # room -> the last words a player said there (key, words, when), for words said
        # back to them ("went out?" just after "... till they went out").
        self._said_last: dict[str, tuple[str, str, float]] = {}
        self._reset_due: dict[str, float] = {}  # area key -> wall time of its next reset
        self._store = store
        self._clock = clock
        self.settings = settings
        self._dm = dm
        self._reload_packs = reload_packs
        self._parse_key = parse_key
        self._usage_report = usage_report
        self._inbox: asyncio.Queue[HubMessage] = asyncio.Queue(maxsize=settings.inbox_size)
        self._sessions: dict[int, SessionPort] = {}
        self._conns: dict[int, _Conn] = {}
        self._conn_of: dict[str, int] = {}  # character key -> conn id
        # Connections whose client wants GMCP (their door's last GmcpChanged was on):
        # the only ones GMCP Data is built for. Most clients never turn it on, and a
        # say to a room would otherwise make a Data value per listener for the door
        # to drop (issue 16).
        self._gmcp_conns: set[int] = set()
        self._linkdead = LinkDead(settings.linkdead_grace)
        # What was said and emoted in a link-dead character's room since its connection
        # dropped, (kind, speaker, target, text): shown when it reconnects.
        self._missed_talk: dict[str, list[tuple[str, str, str, str]]] = {}
        # How each link-dead character stood when its link dropped (``away.told``).
        self._away: dict[str, away.Away] = {}
        world.linkdead = self._linkdead  # a look names who is link-dead
        # Characters who left during this run -> their final saved state (see _begin_play).
        self._departed: dict[str, str] = {}
        # Characters that left the world in this run (names only): coming back, they
        # are not told the world was restored from its save.
        self._left: set[str] = set()
        # The reports players sent since the server started (``_list_reports``).
        self._reports_made: deque[ChatLine] = deque(maxlen=REPORTS_SHOWN)
        self._per_ip = AddressCount(settings.max_per_ip)
        # Shared with the SSH door's password check when mud.app passes one in.
        self.gate = gate or login_gate(settings)
        self._ban_list = BanList()
        self._refresher = RefreshTimer(settings.admin_refresh)
        self._countdown = ShutdownClock()  # a shutdown scheduled by an admin
        self.stats = HubStats()
        # Called on every tick the hub handles (mud.app pings the systemd watchdog).
        self.on_tick: Callable[[], None] | None = None
        self._creating: set[str] = set()
        # An address -> when it made new characters, the last hour's (``_crowded``).
        self._made_from: dict[str, list[float]] = {}
        # Password hashes a few at a time, known addresses first (``mud.hub.hashline``).
        self._hash_line = hashline.HashLine(max(1, os.cpu_count() or 1))
        # A character cut off for flooding -> (kept out until, strikes) (``_benched``).
        self._bench: dict[str, tuple[float, int]] = {}
        # The key of every connection's PasswordEcho: drawn here, kept nowhere else.
        self._echo_key = secrets.token_bytes(32)
        self._jobs: set[asyncio.Task[Any]] = set()
        # Output pipeline (see the module docstring and mud.hub.outbox): output values
        # and write ops in order per connection, held until the commits they need.
        self._outbox = Outbox(log_batch=settings.log_batch)
        self._prompt_memo = PromptMemo()
        # The rest of broadcasts too large to hand over in one turn (mud.hub.spread),
        # and the callback that hands over the next slice (None: none is scheduled).
        self._spread = Spread(settings.broadcast_slice)
        self._spread_next: asyncio.Handle | None = None
        # Every session attached and not yet closed by a delivered Close: where _deliver
        # finds a connection's port (held output may outlive its entry in _sessions).
        self._ports: dict[int, SessionPort] = {}
        self._origin: int | None = None  # the connection whose input the message is
        # What the origin gets if the message's writes are undone (default: _UNDONE).
        self._origin_undo: Output | None = None
        # Split mode: the mark of the numbered line being handled (written only if the
        # line changes state, in the same commit as that change).
        self._line_mark: MarkLine | None = None
        # The last committed state of every character and world entry ("char:<key>",
        # "world:<key>" -> JSON): what an uncommitted change is undone to.
        self._saved: dict[str, str] = {}
        self._store_error: str | None = None  # set while commits fail
        self._dirty_chars: set[str] = set()
        # Narration requests and streams in progress, in step with the dice.
        self._narr = narration.Narrations()
        # Fighters' "Your turn!" waiting for the round's narration (``TurnPrompt``), and
        # the first request id asked during the effects being carried out (``_apply``).
        self._held = narration.HeldPrompts()
        self._asks_from = 1
        # The turn deadline each fight's player was last warned of (``_warn_turns``).
        self._turn_warned: dict[str, float] = {}
        # The event being recorded for replay (see mud.hub.recorder).
        self._rec = Recorder()
        self._replaying = False
        self.content_dirs: tuple[str, ...] = ()
        self.seed: int | None = None
        self.shutdown_requested = asyncio.Event()
        self.shutdown_reason = ""
        self._stopping = False

    @property
    def _bans(self) -> list[Ban]:
        """The bans in force (``start`` sets them from the store)."""
        return self._ban_list.bans

    @_bans.setter
    def _bans(self, bans: list[Ban]) -> None:
        self._ban_list = BanList(bans)

    def set_dm(self, dm: DungeonMaster) -> None:
        """Wire the DM actor (it needs the hub as its sink, so it is built after the hub)."""
        self._dm = dm

    # -- ports -------------------------------------------------------------------------

    def attach(self, session: SessionPort) -> None:
        """EventSink: a new session exists (its Connected event follows)."""
        self._sessions[session.conn] = session
        self._ports[session.conn] = session

    async def post(self, event: AdapterEvent) -> None:
        """EventSink: enqueue an adapter event (waits while the inbox is full)."""
        await self._inbox.put(event)

    async def post_dm(self, message: DmMessage) -> None:
        """NarrationSink: enqueue a message from the DM actor."""
        await self._inbox.put(message)

    def _post_nowait(self, message: HubMessage) -> None:
        try:
            self._inbox.put_nowait(message)
        except asyncio.QueueFull:
            # Internal results must not be lost; park them on a task that waits for room.
            self._spawn(self._inbox.put(message))

    @property
    def online_count(self) -> int:
        return sum(1 for c in self._conns.values() if c.char is not None)

    def who_rows(self) -> list[tuple[str, float, bool]]:
        """Everyone in the world now, as the ``who`` command lists them: (name, seconds
        since their last line, link-dead), in the world's order. A read of the hub's
        state with no effect on it; called by the ``who`` command and by outside
        readers (the browser door's ``/who``, a gateway's who request in split mode)."""
        now = self._clock.monotonic()
        rows: list[tuple[str, float, bool]] = []
        for key, char in self.world.chars.items():
            conn = self._conn_of.get(key)
            state = self._conns.get(conn) if conn is not None else None
            idle = now - state.last_input if state is not None else 0.0
            rows.append((char.name, idle, state is None))
        return rows

    def online_by_door(self) -> dict[str, int]:
        """Players in the world per door ('telnet', 'ssh'), for metrics."""
        out: dict[str, int] = {}
        for c in self._conns.values():
            if c.char is not None:
                out[c.door] = out.get(c.door, 0) + 1
        return out

    @property
    def connection_count(self) -> int:
        """Open connections, logged in or not."""
        return len(self._conns)

    @property
    def inbox_depth(self) -> int:
        """Messages waiting in the hub's inbox."""
        return self._inbox.qsize()

    # -- lifecycle ----------------------------------------------------------------------

    async def start(self) -> None:
        """Load persisted world state and account count. Call before ``run``."""
        saved = await self._store.load_world()
        self.world.restore_rooms(saved)
        self.world.restore_npcs(saved)
        self.world.restore_doors(saved)
        self.world.restore_party(await self._store.load_party())
        if "rng" in saved:
            try:
                self.rng.set_state(json.loads(saved["rng"]))
            except ValueError:
                log.warning("hub: saved RNG state unreadable; continuing from the seed")
        self._roll_seq = int(self._clock.wall() * 1_000_000)
        self._bans = await self._store.active_bans(self._clock.wall())
        self._remember_world()
        # Event numbers grow across runs: each run starts above any earlier one.
        self._seq = int(self._clock.wall() * 1_000_000)
        self._begin_event(
            "start",
            {
                "content": list(self.content_dirs),
                "seed": self.seed,
                "rng": self.rng.get_state(),
                "seq": self._seq,
                "roll_seq": self._roll_seq,
                "packs": _pack_digests(self.world.templates),
                # The one setting that changes what events produce (DM requests or not).
                "narration": self.settings.narration,
            },
        )
        self._forget_stale_haggles()
        self._save_rooms()
        self._end_of_message()

    async def run(self) -> None:
        """Process messages until cancelled. Owns its background jobs and the ticker."""
        ticker = asyncio.get_running_loop().create_task(self._ticker(), name="hub-ticker")
        handled = 0
        try:
            while True:
                message = await self._inbox.get()
                try:
                    self._handle(message)
                except Exception:  # a bug in one handler must not take the world down
                    log.exception("hub: error handling %s", type(message).__name__)
                    self._apologise(message)
                self._end_of_message()
                handled += 1
                if handled % YIELD_EVERY == 0:
                    # A full inbox never suspends ``get``: without this the hub would
                    # run a whole burst before anyone else (a gateway's sender, the
                    # doors' writers) saw a byte of its output.
                    await asyncio.sleep(0)
        finally:
            ticker.cancel()
            if self._spread_next is not None:
                self._spread_next.cancel()
                self._spread_next = None
            for job in list(self._jobs):
                job.cancel()
            await asyncio.gather(ticker, *self._jobs, return_exceptions=True)

    def _apologise(self, message: object) -> None:
        """Tell the player whose line a bug stopped that it was not done. Called by
        ``run`` after a handler raised. Played: a Lamp-Keeper's "heal myself" met a bug
        and the line vanished without a word, so he typed it again and again."""
        if not isinstance(message, LineIn):
            return
        try:
            self._send(message.conn, Doc.text(styled("error", _WENT_WRONG)))
        except Exception:  # the world is already in trouble: never raise from here
            log.exception("hub: could not tell conn %d of the error", message.conn)

    async def _ticker(self) -> None:
        while True:
            before = self._clock.monotonic()
            await asyncio.sleep(self.settings.tick)
            # How late the loop woke us: a busy or blocked event loop shows here.
            self.stats.loop_lag = max(0.0, self._clock.monotonic() - before - self.settings.tick)
            await self._inbox.put(Tick())

    def request_reload(self, reason: str, *, refused: str = "") -> None:
        """Reload the content packs as the admin ``reload`` does, telling every player
        before and after (``mud.app`` calls it on SIGHUP). Nobody is disconnected. With
        ``refused`` (the operator's new configuration was invalid: its problems, one a
        line) nothing is reloaded and the admins in the game read why."""
        self._post_nowait(ReloadRequested(reason, refused))

    def request_shutdown(self, reason: str) -> None:
        """Ask the hub to shut down (from a signal handler or the admin command)."""
        self._post_nowait(Shutdown(reason))

    async def shutdown(self, reason: str, deadline: float = 3.0, *, hold: bool = False) -> None:
        """Tell every player, save everything, close every session. Called by ``mud.app``
        after the run task is cancelled (so nothing else touches the world). ``hold``
        (a split-mode game stopping): the gateways keep the connections for the next
        game, so players are told to wait, and nothing is closed."""
        self._stopping = True
        if hold:
            notice = Doc.text(
                tag(
                    "system",
                    f"The world is restarting ({esc(reason)}). Your progress is saved; "
                    "stay connected.",
                )
            )
        else:
            notice = Doc.text(
                tag("system", f"The server is going down ({esc(reason)}). Your progress is saved.")
            )
        ops: list[WriteOp] = []
        now = self._clock.wall()
        for key, char in self.world.chars.items():
            ops.append(PutCharacter(key, self.world.character_json(char), now))
        ops += self._room_ops()
        self._outbox.write(ops)
        pending, held = self._outbox.shutdown()
        try:
            async with asyncio.timeout(deadline):
                if pending:
                    await self._store.apply(list(pending))
        except (TimeoutError, StoreError) as exc:
            log.error("hub: final save failed: %s", exc)
        if hold:
            self._release(Release(held + tuple(Send(conn, notice) for conn in self._sessions)))
            self._flush_spread()
            return
        closing = tuple(Close(conn, notice) for conn in self._sessions)
        self._release(Release(held + closing))
        self._flush_spread()

    # -- plumbing -----------------------------------------------------------------------

    def _spawn(self, coro: Awaitable[Any]) -> None:
        task = asyncio.ensure_future(coro)
        self._jobs.add(task)
        task.add_done_callback(self._job_done)

    def _job_done(self, task: asyncio.Task[Any]) -> None:
        self._jobs.discard(task)
        if not task.cancelled() and task.exception() is not None:
            log.error("hub job failed", exc_info=task.exception())

    def _write(self, *ops: WriteOp) -> None:
        """Queue write ops for the next commit; whether they hold this message's output
        back is declared by each op type (``gates_output``)."""
        self._outbox.write(ops)
        if self._trace is not None:
            for op in ops:
                self._trace.op(op)

    def _send(self, conn: int, doc: Doc) -> None:
        """Send ``doc`` to connection ``conn`` (if it is open) and prompt it after."""
        if conn in self._sessions:
            self._outbox.send(Send(conn, doc))
            trace = self._rec.trace
            if trace is not None:
                trace.doc(self._trace_name(conn), doc)

    def _emit(self, out: Outgoing, *, always: bool = False) -> None:
        """Queue one output value in this message's output, in order. ``always``: it goes
        out even if the message's writes are undone (hanging up)."""
        self._outbox.emit(out, always=always)

    @property
    def _msg_prompt(self) -> set[int]:
        """Connections this message prompts (a live set: callers ``add`` to it)."""
        return self._outbox.message_prompts

    def _release(self, release: Release) -> None:
        """Send what ``release`` lets go out: all of it now, or, when it holds a
        broadcast to more than ``broadcast_slice`` receivers or output is still owed
        to someone, what ``mud.hub.spread`` says goes now (the rest a slice per turn
        of the event loop, order per connection kept)."""
        spread = self._spread
        if not spread.splits(release):
            self._deliver(release)
            return
        for part in spread.admit(release):
            self._deliver(part)
        if spread.waiting and self._spread_next is None:
            self._spread_next = asyncio.get_running_loop().call_soon(self._next_slice)

    def _next_slice(self) -> None:
        """Hand over the next slice of a broadcast (scheduled by ``_release``)."""
        self._spread_next = None
        part = self._spread.next_slice()
        if part is not None:
            self._deliver(part)
        if self._spread.waiting:
            self._spread_next = asyncio.get_running_loop().call_soon(self._next_slice)

    def _flush_spread(self) -> None:
        """Hand over everything a spread broadcast still owes, now (stopping)."""
        if self._spread_next is not None:
            self._spread_next.cancel()
            self._spread_next = None
        for part in self._spread.drain():
            self._deliver(part)

    def _deliver(self, release: Release) -> None:
        """The one place output values become ``SessionPort`` calls: ``release.outputs``
        in order, then a prompt for each of ``release.prompts`` still playing (its text
        made now, from the character as it is now)."""
        ports = self._ports
        get = ports.get
        for out in release.outputs:
            # A broadcast is one value for many ports.
            if isinstance(out, SendAll):
                doc = out.doc
                for conn in out.conns:
                    port = get(conn)
                    if port is not None:  # None: closed already, it takes nothing more
                        port.send(doc)
                continue
            if isinstance(out, StreamAll):  # every narration chunk, to its viewers
                stream_id, text = out.stream_id, out.text
                for conn in out.conns:
                    port = get(conn)
                    if port is not None:
                        port.stream(stream_id, text)
                continue
            if isinstance(out, DataAll):  # a chat line, to each GMCP client hearing it
                package, payload = out.package, out.payload
                for conn in out.conns:
                    port = get(conn)
                    if port is not None:
                        port.data(package, payload)
                continue
            port = get(out.conn)
            if port is None:
                continue
            deliver(port, out)
            if type(out) is Close and out.conn not in self._sessions:
                del ports[out.conn]  # the hub is done with it
        if not release.prompts:
            return
        # Then the prompts, made now from each character as it is now. A say to a room
        # of 1,000 prompts 1,000: each port is called here, without a Prompt value each.
        plain = self.settings.prompt
        chars = self.world.chars
        prompts = self._prompt_memo
        for conn in release.prompts:
            state = self._conns.get(conn)
            if state is None or state.char is None or state.flow.stage is not Stage.PLAYING:
                continue
            port = ports.get(conn)
            if port is not None:
                char = chars.get(state.char)
                markup = prompts.markup(char, plain) if char is not None else plain
                if markup:  # "": the player hid their prompt ('prompt off')
                    port.prompt(markup)

    def _trace_name(self, conn: int) -> str:
        """Who a recorded output went to: the character, or for a connection not yet
        bound to one, the name it is logging in as (connection numbers are the network
        layer's and differ in a replay)."""
        state = self._conns.get(conn)
        if state is not None and state.char:
            return state.char
        if state is not None and state.name:
            return f"({state.name.lower()})"
        return f"#{conn}"

    # -- recording ----------------------------------------------------------------------

    @property
    def _trace(self) -> Trace | None:
        """The trace of the event being recorded (None: none is)."""
        return self._rec.trace

    @property
    def _seq(self) -> int:
        """The number of the last recorded event (grows across runs)."""
        return self._rec.seq

    @_seq.setter
    def _seq(self, value: int) -> None:
        self._rec.seq = value

    @property
    def last_trace(self) -> TraceSummary:
        """(digest, entries, sample) of the last event recorded (``mud.replay`` reads it)."""
        return self._rec.last_trace

    def _begin_event(self, kind: str, data: dict[str, Any]) -> None:
        """Start recording what the current message does (for ``mud replay``)."""
        if not self.settings.record:
            return
        self._end_event()  # several events in one message (a tick)
        self._rec.begin(kind, data, self._clock.wall())

    def _end_event(self) -> None:
        """Close the event being recorded (if any) before output that belongs to none."""
        if self._rec.open:
            self._flush_dirty()
            self._finish_event()

    def _event_time(self) -> float:
        """The wall time of the event being handled (the clock's when none is recorded)."""
        return self._rec.time(self._clock.wall())

    def _outside(self, what: str, live: Callable[[], Any]) -> Any:
        """A value the current event takes from outside the world (the DM's live
        statistics, how long a connection has been idle, what the SSH library makes of a
        key): see ``Recorder.outside``. ``live()`` must return a JSON value. Raises
        ValueError during a replay that has diverged from its recording."""
        return self._rec.outside(what, live)

    def _finish_event(self) -> None:
        op = self._rec.finish()
        if op is not None:
            self._outbox.write([op])

    def _send_char(self, key: str, doc: Doc) -> None:
        conn = self._conn_of.get(key)
        if conn is not None:
            self._send(conn, doc)

    def _data(self, key: str, package: str, payload: object) -> None:
        """GMCP data for the character ``key``'s connection (nothing if link-dead or
        its client does not want GMCP)."""
        conn = self._conn_of.get(key)
        if conn is not None and conn in self._gmcp_conns:
            self._emit(Data(conn, package, payload))

    def _wants_gmcp(self, key: str) -> bool:
        """Whether character ``key`` is played by a client that wants GMCP: the
        packages below are not even built for the others."""
        return self._conn_of.get(key) in self._gmcp_conns

    def _room_info(self, key: str) -> None:
        """Send character ``key`` GMCP ``Room.Info`` for where it is now."""
        if self._wants_gmcp(key):
            self._gmcp(key, gmcp.room_info(self.world, key))

    def _char_items(self, key: str) -> None:
        """Send character ``key`` GMCP ``Char.Items.List`` for what it carries now."""
        if self._wants_gmcp(key):
            self._gmcp(key, gmcp.char_items(self.world, key))

    def _settings(self, key: str) -> None:
        """Send character ``key`` GMCP ``Char.Settings``: whether it plays in
        screen-reader mode, so a client's own switch shows the game's setting (the
        browser player's finding: the page's button said "off" after a reload while the
        game read to them linearly)."""
        if self._wants_gmcp(key):
            self._gmcp(key, gmcp.char_settings(self.world, key))

    def _gmcp(self, key: str, package: gmcp.Package | None) -> None:
        if package is not None:
            self._data(key, *package)

    def _flush_dirty(self) -> None:
        now = self._clock.wall()
        for npc_id in sorted(self.world.dirty_npcs):
            if npc_id in self.world.npcs:
                self._write(PutWorld(f"npc:{npc_id}", self.world.npc_json(npc_id), now))
        self.world.dirty_npcs.clear()
        for door_id in sorted(self.world.dirty_doors):
            self._write(PutWorld(f"door:{door_id}", self.world.door_json(door_id), now))
        self.world.dirty_doors.clear()
        self._write(*self.world.party_ops(now))
        if self.rng.draws != self._rng_written:
            self._rng_written = self.rng.draws
            self._write(PutWorld("rng", json.dumps(self.rng.get_state()), now))
        for key in sorted(self._dirty_chars):
            char = self.world.chars.get(key)
            if char is not None:
                self._write(PutCharacter(key, self.world.character_json(char), self._clock.wall()))
        self._dirty_chars.clear()
        if self.world.dirty_rooms:
            self._write(*self._room_ops())

    def _end_of_message(self) -> None:
        """Close the message: flush what it changed into write ops, record it, and let
        the outbox say what goes out now; start a commit if one is due."""
        self._flush_dirty()
        mark, self._line_mark = self._line_mark, None
        if mark is not None and self._outbox.message_gated:
            # Only a line that changed state needs its mark in the same commit: one
            # that changed nothing has nothing to apply twice (and costs no write).
            self._write(mark)
        self._finish_event()
        origin, self._origin = self._origin, None
        undo, self._origin_undo = self._origin_undo, None
        notice: Output | None = None
        if origin is not None and origin in self._sessions:
            notice = Send(origin, _UNDONE) if undo is None else undo
        self._release(self._outbox.end_message(notice))
        self._maybe_commit()

    def _maybe_commit(self, *, flush_log: bool = False) -> None:
        """Start the next commit if one is due. Replay-log entries alone wait for the
        next state change, the next tick or a full batch: nobody waits on them, and one
        transaction for many of them is far cheaper than one each."""
        commit = self._outbox.due(flush_log=flush_log)
        if commit is None:
            return
        # While the store is failing, one attempt: the player is waiting to hear.
        attempts = 1 if self._store_error is not None else self.settings.commit_retries + 1
        # Batches of logs alone may overlap a gated one: the store keeps the order.
        self._spawn(self._commit(list(commit.ops), gated=commit.gated, attempts=attempts))

    def _room_ops(self) -> list[WriteOp]:
        now = self._clock.wall()
        ops: list[WriteOp] = [
            PutWorld(f"floor:{room}", self.world.room_items_json(room), now)
            for room in sorted(self.world.dirty_rooms)
        ]
        ops.append(PutWorld("next_item", json.dumps(self.world.next_item), now))
        self.world.dirty_rooms.clear()
        return ops

    def _save_rooms(self) -> None:
        if self.world.dirty_rooms:
            self._write(*self._room_ops())

    async def _commit(self, ops: list[WriteOp], *, gated: bool, attempts: int) -> None:
        """Commit a batch, trying a failing store up to ``attempts`` times; always report
        back, so held output is never stuck behind a commit that will not come."""
        error: str | None = None
        try:
            for attempt in range(attempts):
                try:
                    await self._store.apply(ops)
                    error = None
                    break
                except StoreError as exc:
                    error = str(exc)
                    if attempt + 1 < attempts:
                        await asyncio.sleep(0.1 * 2**attempt)
        except Exception as exc:  # a bug in the store must not freeze every player's output
            error = f"{type(exc).__name__}: {exc}"
            log.exception("hub: commit crashed")
        finally:
            # Never awaits: this also runs while the task is being cancelled.
            self._post_nowait(Committed(error, gated))

    # -- dispatch -----------------------------------------------------------------------

    def _handle(self, message: HubMessage) -> None:
        match message:
            case LineIn():
                self._on_line(message)
            case Connected():
                self._on_connected(message)
            case Disconnected():
                self._on_disconnected(message)
            case Resized():
                # The session re-wraps itself; only a screen reader announced (or given
                # up) after login changes the world: the player's fight turns.
                self._on_resized(message)
            case GmcpChanged():
                self._on_gmcp(message)
            case (
                NarrationStart()
                | NarrationChunk()
                | NarrationEnd()
                | NarrationRejected()
                | DmNotice()
                | Thinking()
            ):
                self._on_dm(message)
            case Committed():
                self._on_committed(message)
            case AccountLooked():
                self._on_account(message)
                self._drain(message.conn)
            case Verified():
                self._on_verified(message)
                self._drain(message.conn)
            case Hashed():
                self._on_hashed(message)
                self._drain(message.conn)
            case CharLoaded():
                self._on_char_loaded(message)
                self._drain(message.conn)
            case NotCreated():
                self._on_not_created(message)
                self._drain(message.conn)
            case JobResult():
                state = self._conns.get(message.conn)
                if state is not None and message.doc is not None:
                    self._send(message.conn, message.doc)
                elif state is not None:
                    style = "error" if message.error else "system"
                    self._send(message.conn, Doc.text(styled(style, message.text)))
            case NameTaken():
                self._on_name_taken(message)
                self._drain(message.conn)
            case Reloaded():
                self._on_reloaded(message)
            case Tick():
                self._on_tick()
            case Refreshed():
                self._on_refreshed(message)
            case ReloadRequested(refused=refused) if refused:
                log_event(
                    log,
                    "reload_done",
                    level=logging.WARNING,
                    ok=False,
                    by="signal",
                    error=f"configuration refused: {refused}",
                )
                self._tell_admins(
                    "The configuration was not reloaded; the running one is kept:\n" + refused
                )
            case ReloadRequested():
                log_event(log, "reload", by=message.reason)
                notice = "The world is being reloaded; you stay connected."
                self._apply([ToAll(Doc.text(styled("system", notice)))])
                self._admin("reload", "", "")
            case Shutdown():
                self.shutdown_reason = message.reason
                self.shutdown_requested.set()
            case _:
                log.warning("hub: unknown message %r", type(message).__name__)

    def _on_committed(self, message: Committed) -> None:
        if message.error is not None:
            self._store_failing(message.error)
        elif self._store_error is not None:
            self._store_error = None
            log.warning("hub: the store saves again; state changes are accepted")
            self._tell_admins("[admin] Saving works again; play goes on normally.")
        if not message.gated:
            return
        settled = self._outbox.settle(ok=message.error is None)
        if message.error is not None:
            self._undo(settled)
        else:
            self._remember(settled.committed)
            for release in settled.releases:
                self._release(release)
        self._maybe_commit()

    def _store_failing(self, error: str) -> None:
        """A commit failed after its attempts: the store cannot write (a full disk, a
        lost file). The log and the admins hear of it once, until writes work again."""
        if self._store_error is None:
            log.error(
                "hub: the store cannot save (%s); changes to the world are undone and "
                "players told, until a write succeeds",
                error,
            )
            self._tell_admins(
                f"[admin] Saving failed ({error}). Actions that change the world are "
                "undone and their players told, until the store can write again."
            )
        self._store_error = error

    def _tell_admins(self, text: str) -> None:
        self._apply([ToAll(Doc.text(styled("error", text)), admins_only=True)])

    def _undo(self, settled: Settled) -> None:
        """A gated commit failed: nothing of it, nor of what was built on it since (the
        open epoch), was acknowledged. Put the world back to its last committed state,
        then send what the outbox releases for an undone outcome (hang-ups, the notices
        telling each player who acted that it did not happen, output that only waited
        for its turn)."""
        undone = settled.undone
        log.warning(
            "hub: undid %d uncommitted writes; %d players told their action did not happen",
            sum(1 for op in undone if op.gates_output),
            settled.told,
        )
        self._revert(undone)
        for release in settled.releases:
            self._release(release)

    def _remember(self, ops: Sequence[WriteOp]) -> None:
        """Record committed state: what a later failed commit is undone to."""
        for op in ops:
            match op:
                case PutCharacter():
                    key = op.name_key
                    if key not in self.world.chars and self._departed.get(key) == op.state:
                        # Gone from the world and now in the store, which a re-login
                        # reads: nothing of the character is kept here (before, one
                        # entry per character ever played stayed until a restart).
                        del self._departed[key]
                        self._saved.pop("char:" + key, None)
                    else:
                        self._saved["char:" + key] = op.state
                case PutWorld():
                    self._saved["world:" + op.key] = op.value
                case DeleteWorld():
                    self._saved.pop("world:" + op.key, None)
                case PutParty():
                    self._saved[f"party:{op.table}:{op.key}"] = op.value
                case DeleteParty():
                    self._saved.pop(f"party:{op.table}:{op.key}", None)
                case _:
                    pass

    def _remember_world(self) -> None:
        """The world as loaded counts as committed (it is what the store holds, or the
        packs' fresh state that a restart would rebuild)."""
        world = self.world
        for room_id in world.templates.rooms:
            self._saved["world:floor:" + room_id] = world.room_items_json(room_id)
        for npc_id in world.npcs:
            self._saved["world:npc:" + npc_id] = world.npc_json(npc_id)
        self._saved["world:rng"] = json.dumps(self.rng.get_state())
        self._saved["world:features_used"] = json.dumps(sorted(world.features_used))
        for door_id in world.doors:
            self._saved["world:door:" + door_id] = world.door_json(door_id)
        for table, key, value in world.party_rows():
            self._saved[f"party:{table}:{key}"] = value

    def _revert(self, ops: Sequence[WriteOp]) -> None:
        """Put whatever ``ops`` would have written back to its last committed state."""
        self._ban_list.undo(ops)  # bans made in memory follow their failed commit back
        chars: dict[str, str] = {}
        floors: dict[str, str] = {}
        npcs: dict[str, str] = {}
        for op in ops:
            match op:
                case PutCharacter():
                    saved = self._saved.get("char:" + op.name_key)
                    if op.name_key in self._departed:
                        # Gone from the world: a re-login must find the committed state.
                        if saved is None:
                            self._departed.pop(op.name_key)
                        else:
                            self._departed[op.name_key] = saved
                    elif saved is not None:
                        chars[op.name_key] = saved
                case PutWorld() | DeleteWorld():
                    saved = self._saved.get("world:" + op.key)
                    if op.key.startswith("door:"):
                        # Never committed means never changed: as the builder wrote it.
                        self.world.revert_door(op.key[5:], saved)
                        continue
                    if saved is None:
                        continue
                    if op.key.startswith("floor:"):
                        floors[op.key[6:]] = saved
                    elif op.key.startswith("npc:"):
                        npcs[op.key[4:]] = saved
                    elif op.key == "rng":
                        self.rng.set_state(json.loads(saved))
                    elif op.key == "features_used":
                        self.world.features_used = set(json.loads(saved))
                case PutParty() | DeleteParty():
                    saved = self._saved.get(f"party:{op.table}:{op.key}")
                    self.world.revert_party(op.table, op.key, saved)
                case _:
                    pass
        rooms = {k: self.world.chars[k].room for k in chars if k in self.world.chars}
        self.world.revert(chars, floors, npcs)
        self.world.dirty_rooms.clear()
        self.world.dirty_npcs.clear()
        for key in rooms:
            # The client's gauges and maps follow the world back.
            self._vitals(key)
            self._status(key)
            self._char_items(key)
            if self.world.chars[key].room != rooms[key]:
                self._room_info(key)

    # -- connections and login ----------------------------------------------------------

    def _on_connected(self, event: Connected) -> None:
        session = self._sessions.get(event.conn)
        if session is None:
            return
        now = self._clock.monotonic()
        refusal = self._per_ip.check(event.peer, stopping=self._stopping)
        if refusal is not None:
            reason = refusal.value
            self.stats.refused[reason] = self.stats.refused.get(reason, 0) + 1
            self._emit(Close(event.conn, Doc.text(styled("error", refusal.text))))
            self._sessions.pop(event.conn, None)
            log_event(log, "connect_refused", conn=event.conn, addr=event.peer, reason=refusal.text)
            return
        ban = self._banned("addr", event.peer)
        if ban is not None:
            why = f"Your address is banned{ban_terms(ban)}."
            self.stats.refused["banned"] = self.stats.refused.get("banned", 0) + 1
            self._emit(Close(event.conn, Doc.text(styled("error", why))))
            self._sessions.pop(event.conn, None)
            log_event(log, "connect_refused", conn=event.conn, addr=event.peer, reason="banned")
            return
        log_event(log, "connect", conn=event.conn, door=event.door, addr=event.peer)
        self._per_ip.admit(event.peer)
        self.stats.connections += 1
        s = self.settings
        state = _Conn(
            event.conn,
            session,
            event.door,
            event.peer,
            now,
            max_line=s.max_line,
            max_ahead=s.max_ahead,
        )
        self._conns[event.conn] = state
        state.restored = event.restored
        if not event.restored:
            # First, what a screen reader's user needs to know (played: the art and
            # boxes were read out, and nothing said the mode existed); already in it
            # (the client's MTTS flag), they hear the banner's words alone.
            hint = Para(spoken(esc(_READER_HINT), ""))
            if self.settings.banner:
                banner = Art(self.settings.banner, alt="Welcome to mud.")
                self._send(event.conn, Doc((hint, banner)))
            else:
                self._send(event.conn, Doc((hint,)))
        if event.preauth:
            state.flow.busy()
            self._spawn(self._lookup(event.conn, event.preauth, preauth=True))
            return
        self._steps(state, state.flow.greet())

    def _on_resized(self, event: Resized) -> None:
        """A bound player's client announced a screen reader, or stopped announcing
        one (MTTS can arrive after the login): their character learns it, recorded as
        an event of its own so a replay gives the same turn times."""
        state = self._conns.get(event.conn)
        if state is None or state.char is None:
            return
        char = self.world.chars.get(state.char)
        on = event.term.screenreader
        if char is None or char.reader == on:
            return
        self._begin_event("reader", {"who": char.key, "on": on})
        char.reader = on

    def _steps(self, state: _Conn, steps: Sequence[login.Step]) -> None:
        """Carry out, in order, what the connection's login flow decided (``login.py``):
        the one place a flow's steps become output values, writes and background jobs."""
        for step in steps:
            match step:
                case login.Send(doc=doc):
                    self._send(state.id, doc)
                case login.NewLine():
                    self._emit(Send(state.id, Doc.text("")))
                case login.Prompt(text=text):
                    self._emit(Prompt(state.id, text))
                case login.Echo(on=on):
                    self._emit(Echo(state.id, on))
                case login.ReaderMode(on=on):
                    self._emit(Prefs(state.id, colour=None, screenreader=on, width=None))
                case login.LookUp(name=name):
                    if not self._refuse_banned_name(state, name):
                        self._spawn(self._lookup(state.id, name))
                case login.Verify(secret=secret):
                    account = state.flow.account
                    assert account is not None
                    state.echo = PasswordEcho(secret, self._echo_key)
                    if not self.gate.begin(state.peer, account.name_key, self._clock.monotonic()):
                        log_event(
                            log,
                            "login_throttled",
                            level=logging.WARNING,
                            addr=state.peer,
                            name=state.name,
                        )
                        # Refused unhashed, but answered no sooner than a hash would be.
                        self._spawn(self._refuse(state.id, account, state.peer))
                    else:
                        self._spawn(self._verify(state.id, account, secret, peer=state.peer))
                case login.CheckCurrent(secret=secret):
                    account = state.flow.account
                    assert account is not None
                    if not self.gate.begin(state.peer, account.name_key, self._clock.monotonic()):
                        self._steps(state, state.flow.too_many_attempts())
                    else:
                        self._spawn(
                            self._verify(
                                state.id, account, secret, purpose="pw_change", peer=state.peer
                            )
                        )
                case login.Create(name=name, secret=secret):
                    key = name.lower()
                    if key in self._creating:
                        self._steps(state, state.flow.name_busy())
                    else:
                        self._creating.add(key)
                        state.echo = PasswordEcho(secret, self._echo_key)
                        self._spawn(self._hash(state.id, "create", name, secret))
                case login.ChangePassword(secret=secret):
                    state.echo = PasswordEcho(secret, self._echo_key)
                    self._spawn(self._hash(state.id, "password", state.name, secret))
                case login.SavePassword(name_key=name_key, pw_hash=pw_hash):
                    self._write(SetPassword(name_key, pw_hash))
                case login.Command(text=text):
                    self._on_command(state, text)
                case login.ChooseClass(cls=cls):
                    if state.char is not None:
                        self._choose_class(state, state.char, cls)
                case login.HangUp(farewell=farewell):
                    self._hang_up(state, farewell)

    def _on_gmcp(self, event: GmcpChanged) -> None:
        """The client of ``event.conn`` turned GMCP on or off. On, while it plays: it
        is sent what a client with GMCP on from the start was sent at login and has
        missed since (the current room, vitals, status and inventory)."""
        conn = event.conn
        state = self._conns.get(conn)
        if state is None or not event.on:
            self._gmcp_conns.discard(conn)
            return
        if conn in self._gmcp_conns:
            return
        self._gmcp_conns.add(conn)
        key = state.char
        if key is None or self._conn_of.get(key) != conn or key not in self.world.chars:
            return
        self._status(key)
        self._room_info(key)
        self._char_items(key)
        self._vitals(key)

    def _on_disconnected(self, event: Disconnected) -> None:
        """The door says the client is gone (or sent EOF). Lines it sent before that and
        still waiting here are handled first, as if the server had been instant; the
        disconnect follows in ``_drain``. The hub closes the session either way, so a
        door that keeps it open after EOF can still deliver the answers."""
        state = self._conns.get(event.conn)
        if state is not None and state.flow.waiting:
            state.gone = event.reason
            return
        self._disconnect(event.conn)

    def _disconnect(self, conn: int) -> None:
        self._gmcp_conns.discard(conn)
        session = self._sessions.pop(conn, None)
        if session is not None:
            self._emit(Close(conn, None), always=True)
        state = self._conns.pop(conn, None)
        if state is None:
            return
        self._per_ip.release(state.peer)
        key = state.char
        if key is None or self._conn_of.get(key) != conn:
            return  # not playing, or already taken over by another connection
        del self._conn_of[key]
        char = self.world.chars.get(key)
        if char is None:
            return
        if state.flow.stage is Stage.QUIT or key in self.world.waiting:
            # Still choosing a class, it never stepped into the room: it leaves as it
            # would by quitting (kept in the store, asked again next time), unseen.
            self._leave_world(key, announce=False)
            return
        self._begin_event("linkdead", {"who": key})
        self._linkdead.start(key, self._clock.monotonic())
        self._away[key] = away.snapshot(self.world, char)
        self._dirty_chars.add(key)
        self._room_say(
            char.room,
            Doc.text(
                f"{styled('person', char.name)} "
                f"{styled('dim', 'goes still, lost in thought (link-dead).')}"
            ),
            exclude=(key, *self._unwatching(char)),
        )

    def _unwatching(self, char: Character) -> tuple[str, ...]:
        """Those in ``char``'s room not told of their coming, going, going still or
        stirring: who cannot see them (hidden: ``stealth.unseeing``), and who ignores
        them (played by a griefer: a login loop put "Altaa steps into view." and
        "Altaa leaves the game." on his ignorer's screen 19 times in 20 s)."""
        ignorers = self.world.ignored_by.get(char.key)
        unseeing = stealth.unseeing(self.world, char)
        return (*unseeing, *ignorers) if ignorers else tuple(unseeing)

    def _leave_world(self, key: str, *, announce: bool) -> None:
        char = self.world.chars.get(key)
        if char is None:
            return
        seen = key not in self.world.waiting  # by the room it leaves
        self._end_streams_for(key, char.room)
        current = self.world.fights.get(char.room)
        if current is not None:
            remaining, effects = fight.leave(
                self.world, current, key, self.rng, now=self._clock.monotonic()
            )
            if remaining is not None:
                self.world.fights[char.room] = remaining
            self._apply(effects)
        saved = self.world.character_json(char)
        self._write(PutCharacter(key, saved, self._clock.wall()))
        # Split mode's last applied line (MarkLine) only matters while a gateway holds
        # the connection that typed it: gone with the character, not kept for ever.
        self._write(DeleteWorld(f"line:{key}"))
        # A quick re-login must not read the store before this save is committed.
        self._departed[key] = saved
        self._left.add(key)
        self._dirty_chars.discard(key)
        unseeing = self._unwatching(char)
        group = party.members(self.world, key)
        self.world.remove(key)
        self._linkdead.pop(key)
        self._missed_talk.pop(key, None)
        self._away.pop(key, None)
        # The group they leave is told (played: a leader's quit ended the group and the
        # member read only "Wren leaves the game"; 'group' said later it was gone).
        rest = [m for m in group if m != key]
        left_in = party.members(self.world, rest[0]) if rest else []
        for other in group:
            if other == key or other not in self.world.chars:
                continue
            over = "; the group is disbanded" if not left_in else ""
            text = styled("person", char.name) + esc(f" has left the game and your group{over}.")
            self._send_char(other, Doc.text(tag("system", text)))
        if self._dm is not None:
            self._dm.cancel_actor(char.name)
        if announce and seen:
            self._room_say(
                char.room,
                Doc.text(f"{styled('person', char.name)} fades from the world."),
                exclude=unseeing,
            )

    def _on_line(self, event: LineIn) -> None:
        state = self._conns.get(event.conn)
        if state is None:
            return
        self._origin = event.conn
        if event.seq:
            # Split mode: the gateway learns the line was taken (with its output, after
            # its writes commit), and a restarted game can tell it was applied.
            self._emit(Ack(event.conn, event.seq), always=True)
            if state.char is not None:
                self._line_mark = MarkLine(state.char, event.conn, event.seq, self._clock.wall())
        if state.dropped:
            return
        now = self._clock.monotonic()
        state.activity.touch(now)
        verdict = state.flood.hit(now, self.settings.flood_rate, self.settings.flood_burst)
        if verdict is Flood.DROP:
            state.dropped = True
            log.info("conn %d: flooding; dropping", event.conn)
            # Only a character logged in on this connection: a name typed at the prompt
            # may be anyone's, and flooding there must not keep its owner out.
            wait = self._benched(state.char or "", now)
            said = "You are sending too fast. Goodbye."
            if wait:
                said += f" This character may come back in {wait} seconds."
            self._emit(Close(event.conn, Doc.text(styled("error", said))))
            return
        if verdict is Flood.WARN:
            self._send(
                event.conn,
                Doc.text(
                    styled("warn", "You are typing faster than the world can follow. Slow down.")
                ),
            )
            return
        if verdict is Flood.IGNORE:
            return
        if state.flow.holding:
            # Typed ahead (an auto-login, a paste, a script): it waits its turn.
            steps = state.flow.receive(event.text)
            if steps:
                log.info("conn %d: too much typed ahead; dropping", event.conn)
            self._steps(state, steps)
            return
        self._take_line(state, event.text)

    def _drain(self, conn: int) -> None:
        """Handle the lines that waited while ``conn`` was busy, in order, until it is
        busy again; then a disconnect that waited behind them. Called after every
        message that can end a busy state."""
        state = self._conns.get(conn)
        while state is not None:
            raw = state.flow.pop_ahead()
            if raw is None:
                break
            self._take_line(state, raw)
            state = self._conns.get(conn)
        if state is None:
            return
        if state.flow.stage is Stage.QUIT:
            state.flow.ahead.clear()
        if state.gone is not None and state.flow.stage is not Stage.BUSY and not state.flow.ahead:
            self._disconnect(conn)

    def _take_line(self, state: _Conn, raw: str) -> None:
        """Handle one input line in the connection's current stage (never busy)."""
        if state.flow.stage is Stage.CLASS and (
            state.char is None or state.char not in self.world.chars
        ):
            return
        self._steps(state, state.flow.take(raw))

    async def _lookup(self, conn: int, name: str, *, preauth: bool = False) -> None:
        account = await self._store.get_account(name.lower())
        seen = ""
        if account is not None:
            try:
                seen = await self._store.get_world(f"seen:{account.name_key}") or ""
            except StoreError as exc:  # the login goes on; only the owner's pass is lost
                log.warning("hub: could not read the addresses %s used: %s", account.name, exc)
        if preauth and account is not None:
            await self._inbox.put(Verified(conn, account, True, seen=seen))
            return
        admins: tuple[str, ...] = ()
        if account is None:
            try:
                admins = tuple(await self._store.list_admins())
            except StoreError as exc:
                log.warning("hub: could not read the admins' names: %s", exc)
        await self._inbox.put(AccountLooked(conn, name, account, admins, seen=seen))

    def _learn_seen(self, state: _Conn, account: Account, seen: str) -> None:
        """The addresses ``account`` was logged into from, as the store kept them, are
        known to the gate (their attempts skip the account's budget) and kept with the
        connection for ``_bind``."""
        state.seen = accounts.known_addresses(seen, self._clock.wall())
        self.gate.remember(account.name_key, state.seen)

    def _flowing(self, conn: int) -> _Conn | None:
        """The state of ``conn`` while its login may go on; None once it is gone or the
        hub has closed it. Called by the handlers of what a login's background work
        brings back (an account looked up, a password checked, a character loaded):
        found in play, a name looked up while "Login timed out" was said came back to a
        password prompt, and the closed connection took over the character."""
        state = self._conns.get(conn)
        if state is None or state.dropped:
            return None
        return state

    def _on_account(self, message: AccountLooked) -> None:
        state = self._flowing(message.conn)
        if state is None:
            return
        if message.account is not None:
            self._learn_seen(state, message.account, message.seen)
        npc = self._npc_called(message.name) if message.account is None else ""
        keeper = accounts.imitates(message.name, message.admins) if message.account is None else ""
        crowded = self._crowded(state.peer) if message.account is None else ""
        benched = self._bench_left(message.name.lower())
        if benched:
            self._steps(state, state.flow.benched(message.name, benched))
            return
        self._steps(
            state,
            state.flow.account_found(
                message.name, message.account, npc=npc, keeper=keeper, crowded=crowded
            ),
        )

    def _benched(self, key: str, now: float) -> int:
        """Keep the character ``key`` ("" for none yet), just cut off for flooding, out
        of the game for a while: a minute, doubling with each cut off within the hour
        after, up to a quarter of an hour. Returns the seconds (0 for no character).
        Played by a griefer: log in, 60 ooc lines in one write, cut off, and again at
        once, seven times in 20 s."""
        if not key:
            return 0
        if len(self._bench) >= _MADE_FROM_MAX:
            self._bench = {k: v for k, v in self._bench.items() if v[0] + _NEW_WINDOW > now}
        until, strikes = self._bench.get(key, (0.0, 0))
        strikes = strikes + 1 if until + _NEW_WINDOW > now else 1
        wait = min(_BENCH_MAX, _BENCH_FIRST * 2 ** (strikes - 1))
        self._bench[key] = (now + wait, strikes)
        log_event(log, "flood_benched", name=key, seconds=int(wait))
        return int(wait)

    def _bench_left(self, key: str) -> int:
        """Seconds the character ``key`` is still kept out for flooding (``_benched``)."""
        until, _ = self._bench.get(key, (0.0, 0))
        return max(0, math.ceil(until - self._clock.monotonic()))

    def _crowded(self, peer: str) -> str:
        """Why ``peer`` may make no new character now ("" when it may): it has made
        ``new_per_ip`` in the last hour. Played by a griefer: seven new characters in a
        few seconds from one address, each greeting the start room, made ignoring him
        a game of whack-a-mole."""
        now = self._clock.monotonic()
        made = [t for t in self._made_from.get(peer, ()) if now - t < _NEW_WINDOW]
        if made:
            self._made_from[peer] = made
        else:
            self._made_from.pop(peer, None)
        if len(made) < self.settings.new_per_ip:
            return ""
        wait = max(1, math.ceil((_NEW_WINDOW - (now - made[0])) / 60))
        return (
            f"Your address has made {len(made)} new characters in the last hour. Log in to"
            f" one of them, or make another in {wait} minute{'s' if wait != 1 else ''}."
        )

    def _npc_called(self, name: str) -> str:
        """Who among the world's NPCs, or what among its things, goes by ``name`` (their
        name, its last word for a thing, or an alias, any case), as a sentence names
        them ("Crake", "the bog rat", "the hooded lantern"); "" for nothing. Played by a
        griefer: a player called Lantern made "look lantern" ask "Which one do you mean:
        the hooded lantern or Lantern?"."""
        wanted = name.casefold()
        for npc in self.world.templates.npcs.values():
            names = (strip_article(npc.name), *npc.aliases)
            # Letters alone too: "Bessathorn" (tried by a griefer) read "Bessathorn says,
            # ..." beside "Bessa Thorn says, ...".
            if any(n.casefold() == wanted or _letters(n) == wanted for n in names):
                return definite(npc.name)
        for item in self.world.templates.items.values():
            names = (strip_article(item.name), item.name.split()[-1], *item.aliases)
            if any(n.casefold() == wanted for n in names):
                return definite(item.name)
        return ""

    async def _verify(
        self, conn: int, account: Account, secret: str, *, peer: str, purpose: str = "login"
    ) -> None:
        """Check a password the gate let through; the answer ends the gate's attempt."""
        known = self.gate.known(peer, account.name_key)
        async with self._hash_line.slot(hashline.KNOWN if known else hashline.OTHER):
            started = self._clock.monotonic()
            ok = await asyncio.to_thread(accounts.verify_password, secret, account.pw_hash)
            seconds = self._clock.monotonic() - started
        if purpose == "pw_change":
            await self._inbox.put(
                Verified(conn, account, ok, peer, counted=True, seconds=seconds, purpose="pw")
            )
            return
        await self._inbox.put(Verified(conn, account, ok, peer, counted=True, seconds=seconds))

    async def _refuse(self, conn: int, account: Account, peer: str) -> None:
        await asyncio.sleep(self.gate.hash_time)
        await self._inbox.put(Verified(conn, account, False, peer, throttled=True))

    async def _hash(self, conn: int, purpose: str, name: str, secret: str) -> None:
        # A password changed in play is a known player's; a new account is anyone's.
        priority = hashline.KNOWN if purpose == "password" else hashline.OTHER
        async with self._hash_line.slot(priority):
            pw_hash = await asyncio.to_thread(
                accounts.hash_password, secret, self.settings.hash_cost
            )
        await self._inbox.put(Hashed(conn, purpose, name, pw_hash))

    def _on_verified(self, message: Verified) -> None:
        now = self._clock.monotonic()
        if message.counted:
            self.gate.end(message.peer, message.account.name_key, message.ok, now)
            self.gate.note_hash_time(message.seconds)
        state = self._flowing(message.conn)
        if state is None:
            return
        if message.seen:
            self._learn_seen(state, message.account, message.seen)
        if message.purpose == "pw":
            self._origin = message.conn
            self._steps(state, state.flow.current_checked(message.ok))
            return
        if message.throttled:  # logged as login_throttled when it was refused
            wait = int(self.gate.retry_after(state.peer, now, message.account.name)) + 1
            after = f"{wait} second{'s' if wait != 1 else ''}"
            self._hang_up(
                state,
                Doc.text(styled("error", f"Too many failed logins. Try again in {after}.")),
            )
            return
        event, name = ("login" if message.ok else "login_failed"), message.account.name
        # addr first: the fail2ban filter in the README anchors on "event=login_failed addr=".
        # A failure at WARNING: raising the log level to quiet the server must not blind
        # fail2ban (played by an operator: with log_level WARNING nothing was logged).
        level = logging.INFO if message.ok else logging.WARNING
        log_event(
            log, event, level=level, addr=state.peer, name=name, door=state.door, conn=state.id
        )
        if not message.ok:
            state.echo = None
            self._steps(state, state.flow.wrong_password())
            return
        if self._refuse_banned_name(state, message.account.name):
            return
        state.flow.account = message.account
        self._begin_play(state, message.account)

    def _on_hashed(self, message: Hashed) -> None:
        state = self._conns.get(message.conn)
        self._origin = message.conn
        if message.purpose == "create":
            key = message.name.lower()
            self._creating.discard(key)
            if state is None:
                return
            # Nobody becomes an admin over the network: admins are made with
            # ``mud admin create`` / ``grant`` on the server's own machine.
            log_event(log, "account_created", name=message.name, addr=state.peer, admin=False)
            if len(self._made_from) >= _MADE_FROM_MAX:
                self._made_from.clear()  # bounded: an address spray forgets, not grows
            self._made_from.setdefault(state.peer, []).append(self._clock.monotonic())
            account = Account(message.name, key, message.pw_hash, False, self._clock.wall())
            self._spawn(self._create(state.id, account))
            return
        if state is None or state.dropped:
            return
        if message.purpose == "password":
            self._steps(state, state.flow.password_hashed(message.pw_hash))

    async def _create(self, conn: int, account: Account) -> None:
        try:
            await self._store.apply(
                [
                    CreateAccount(
                        account.name,
                        account.name_key,
                        account.pw_hash,
                        account.is_admin,
                        account.created,
                    )
                ]
            )
        except StoreConflict:
            await self._inbox.put(NameTaken(conn))
            return
        except StoreError as exc:
            log.error("hub: an account could not be created: %s", exc)
            await self._inbox.put(NotCreated(conn))
            return
        await self._inbox.put(Verified(conn, account, True))

    def _on_name_taken(self, message: NameTaken) -> None:
        state = self._flowing(message.conn)
        if state is None:
            return
        self._steps(state, state.flow.name_taken())

    def _on_not_created(self, message: NotCreated) -> None:
        state = self._flowing(message.conn)
        if state is None:
            return
        self._steps(state, state.flow.not_created())

    def _begin_play(self, state: _Conn, account: Account) -> None:
        key = account.name_key
        state.name = account.name
        if key in self.world.chars:
            self._resume(state, account)
            return
        recent = self._departed.pop(key, None)
        if recent is not None:
            self._on_char_loaded(CharLoaded(state.id, account, recent))
            return
        state.flow.busy()
        self._spawn(self._load_char(state.id, account))

    async def _load_char(self, conn: int, account: Account) -> None:
        text = await self._store.get_character(account.name_key)
        recent: tuple[tuple[str, str, str, str], ...] = ()
        room = _saved_room(text)
        if room:
            # Tells and ooc are logged under the speaker's room too: only the room's talk.
            lines = await self._store.recent_chat(RECENT_CHAT * 4, room)
            since = self._clock.wall() - RECENT_CHAT_AGE
            talk = [
                (c.kind, c.speaker, c.target or "", c.text)
                for c in lines
                if c.kind in ("say", "emote") and c.ts >= since
            ]
            recent = tuple(talk[-RECENT_CHAT:])
        await self._inbox.put(
            CharLoaded(conn, account, text, resumed=text is not None, recent=recent)
        )

    def _on_char_loaded(self, message: CharLoaded) -> None:
        state = self._flowing(message.conn)
        if state is None:
            return
        account = message.account
        if account.name_key in self.world.chars:  # logged in elsewhere meanwhile
            self._resume(state, account)
            return
        data: dict[str, Any] = {
            "who": account.name_key,
            "name": account.name,
            "admin": account.is_admin,
            "state": message.state,
        }
        if message.resumed:
            # Not what a player banned since said (played by a griefer: his forged "Quest
            # complete" lines were shown to each who logged in for an hour after his ban).
            unbanned = self._unbanned(message.recent)
            message = evolve(message, recent=tuple(unbanned))
            data.update(resumed=True, recent=[list(line) for line in unbanned])
        if state.restored:
            data["restored"] = True
        if self._client_reader(state):
            data["reader"] = True  # a screen reader's longer fight turns replay alike
        chosen = state.flow.chosen_reader
        if chosen is not None:
            data["chosen_reader"] = chosen
        self._begin_event("enter", data)
        char = self.world.restore_character(
            account.name_key, message.state, name=account.name, is_admin=account.is_admin
        )
        if chosen is not None and char.screenreader != chosen:
            # Switched at the name prompt: the character keeps it, as "screenreader on"
            # typed in the game would.
            char.screenreader = chosen
            self._dirty_chars.add(char.key)
        # A new character choosing its class is not in the room yet: nobody sees it
        # there and it hears nothing of the room until it steps into view.
        self.world.place(char, waiting=bool(self.world.templates.classes and not char.cls))
        self._origin = message.conn
        # Entering could not be saved: say so and hang up (the character goes link-dead
        # as after any dropped connection); a later login tries again.
        self._origin_undo = Close(
            state.id,
            Doc.text(
                styled(
                    "error",
                    "Entering the world could not be saved just now (the server may be out "
                    "of disk space). Please try again in a little while.",
                )
            ),
        )
        # What the store holds (nothing yet, for a new character: the fresh one).
        self._saved.setdefault(
            "char:" + char.key,
            message.state if message.state is not None else self.world.character_json(char),
        )
        self._bind(state, char)
        first = message.state is None
        if first or self.world.character_json(char) != message.state:
            # Only a change is saved: a returning player whose state is as stored enters
            # without waiting for the disk (and can, while it is full).
            self._dirty_chars.add(char.key)
        if first:
            state.flow.first = True
        if self.world.templates.classes and not char.cls:
            # Never yet in the world (a class comes before the first step in), even when
            # the class is chosen in a later session than the name: greeted on arriving.
            state.flow.first = True
            self._ask_class(state)
            return
        back = message.resumed and char.key not in self._left
        if back:
            self._send(state.id, _resuming(self.world.room(char.room).name))
        # Not what those one ignores said (played by a griefer: "Recently said here:"
        # brought back the insults of the one ignored, an hour long).
        deaf = set(ignoring(char))
        heard = [line for line in message.recent if line[1].casefold() not in deaf]
        recent = _recent_talk(heard, char.name) if heard else None
        self._arrive(state, char, recent, back=back)

    def _arrive(
        self, state: _Conn, char: Character, recent: Doc | None = None, *, back: bool = False
    ) -> None:
        """The character appears in the room (after login, or after choosing a class);
        ``recent``, the room's recent talk, is shown after its view and before what
        arriving sets off (played: logging into a fight, "Recently said here:" came
        after "Your turn!" and pushed it off the screen). ``back``: a player in the
        world when the server last stopped, logging in again: the room reads "Ilse is
        back." (played: after a restart, each read the others "step into view", as if
        strangers had walked in)."""
        first = state.flow.greet_first()
        if first:
            self._send(state.id, Doc.text(styled("good", "Welcome to the world.")))
            opening = self._opening(char.room)
            if opening:
                self._send(state.id, Doc.text(tag("narr", esc(opening))))
        if not state.restored:
            came = "is back" if back else "steps into view"
            self._room_say(
                char.room,
                Doc.text(f"{styled('person', char.name)} {came}."),
                exclude=(char.key, *self._unwatching(char)),
            )
        self._send(state.id, describe_room(self.world, char.room, char.key))
        if recent is not None:
            self._send(state.id, recent)
        if not first and not state.restored:
            # A login again: where the quests stand (after a game restart one never left).
            told = game.left_off(self.world, char, self._event_time())
            if told is not None:
                self._send(state.id, told)
        self._vitals(char.key)
        self._status(char.key)
        # Appearing is arriving: quests, the DM's word, then the engine's reactions. A
        # player back after a game restart never left, as the room saw it: no narration;
        # nor does one who logs back in where they have stood before (as a walk back
        # into a room is not narrated again: "Corvin finds a place to stand and takes
        # stock of the Common Room." followed every login to the tavern).
        narrate: list[Effect] = []
        if not state.restored and char.room not in char.visited:
            narrate.append(
                AskNarration(
                    char.key,
                    char.room,
                    "enter",
                    f"{char.name} arrives",
                    Outcome("enter", 1),
                    Priority.LOW,
                )
            )
        # One back after a restart never left, and is not set upon as one walking in
        # (played: the bog rat, back by its respawn time while the server was down,
        # attacked each of the three as they logged in again, mid-sentence).
        arrived = [] if back or state.restored else [Arrived(char.key, char.room)]
        self._apply(
            [
                QuestEvents(char.key, (("enter", char.room),)),
                *reactions.visit(self.world, char.key, char.room),
                *narrate,
                *arrived,
            ]
        )

    def _opening(self, room: str) -> str:
        """The start pack's opening text, shown to a new character once, in ``room``:
        the one that suits who of the world is there (``lore.opening``)."""
        templates = self.world.templates
        pack = templates.packs.get(templates.rooms[templates.start].pack)
        present = frozenset(npc.id for npc in self.world.npcs_in(room))
        return lore.opening(pack, present) if pack else ""

    def _ask_class(self, state: _Conn) -> None:
        classes = [
            login.ClassChoice(
                c.id,
                c.name,
                c.hit_die,
                c.description,
                tuple((p.name, p.description, p.verbs) for p in c.powers),
                c.proficient,
                tuple(c.abilities.items()),
            )
            for c in self.world.templates.classes.values()
        ]
        self._steps(state, state.flow.ask_class(classes))

    def _choose_class(self, state: _Conn, key: str, choice: str) -> None:
        self._begin_event("choose", {"who": key, "cls": choice})
        char = self.world.chars[key]
        self._apply(sheet.new_sheet(self.world, char, choice))
        self.world.arrive(key)
        state.flow.play()
        cls = self.world.templates.classes[choice]
        self._send(
            state.id, Doc.text(tag("good", f"You are {esc(char.name)} the {esc(cls.name)}."))
        )
        self._arrive(state, char)

    def _resume(self, state: _Conn, account: Account) -> None:
        key = account.name_key
        data: dict[str, Any] = {"who": key, "takeover": key in self._conn_of}
        if self._client_reader(state):
            data["reader"] = True
        self._begin_event("resume", data)
        char = self.world.chars[key]
        old = self._conn_of.get(key)
        if old is not None and old != state.id:
            log_event(log, "takeover", name=account.name, addr=state.peer, door=state.door)
            old_state = self._conns.get(old)
            if old_state is not None:
                self._hang_up(
                    old_state,
                    Doc.text(
                        styled("warn", "Your character has been taken over by a new connection.")
                    ),
                )
            self._send(
                state.id,
                Doc.text(
                    styled("system", "You take over your character from your other connection.")
                ),
            )
        else:
            moved = key in self._away and self._away[key].room != char.room
            # Not "where you left off" for one carried home meanwhile (``away.told``).
            said = "Reconnected." if moved else "Reconnected. You are where you left off."
            self._send(state.id, Doc.text(styled("system", said)))
            self._room_say(
                char.room,
                Doc.text(f"{styled('person', char.name)} stirs and looks around."),
                exclude=(key, *self._unwatching(char)),
            )
        self._linkdead.pop(key)
        before = self._away.pop(key, None)
        char.is_admin = account.is_admin
        self._bind(state, char)
        # Only a link-dead character has talk kept for it (``_keep_missed``).
        missed = self._unbanned(self._missed_talk.pop(key, []))
        if self.world.templates.classes and not char.cls:
            self._ask_class(state)
            return
        self._send(state.id, describe_room(self.world, char.room, key))
        if missed:
            # Back from link-dead: what was said in the room meanwhile, after its view
            # as a login shows the recent talk. Played: a question put to a player while
            # their link was down never reached them, and their next words were taken
            # for its answer.
            self._send(state.id, _recent_talk(missed, char.name))
        meanwhile = away.told(self.world, char, before) if before is not None else None
        if meanwhile is not None:
            # Played: back from a link dropped mid-fight, nothing said the fight was
            # won, nor what it earned.
            self._send(state.id, meanwhile)
        # Back from a dropped link, as from a login: where the quests stand (found in
        # review: only a login said it).
        told = game.left_off(self.world, char, self._event_time())
        if told is not None:
            self._send(state.id, told)
        self._vitals(key)
        self._status(key)

    def _unbanned(
        self, lines: Sequence[tuple[str, str, str, str]]
    ) -> list[tuple[str, str, str, str]]:
        """``lines`` of talk, (kind, speaker, target, text) each, without those whose
        speaker is banned now."""
        return [line for line in lines if self._banned("name", line[1]) is None]

    def _client_reader(self, state: _Conn) -> bool:
        """Whether the client of ``state`` announces a screen reader (MTTS), or, in a
        replay, whether the recording says it did."""
        if state.reader is not None:
            return state.reader
        return state.session.term.screenreader

    def _bind(self, state: _Conn, char: Character) -> None:
        state.char = char.key
        # Kept across restarts, so the owner's usual address passes a lockout others
        # caused (``accounts.known_addresses``); written only when it changed. Not
        # traced: where a login comes from is the network's, not the world's, and a
        # replay (whose connections have no address) neither compares nor writes it.
        wall = self._clock.wall()
        entry = accounts.note_address(state.seen, state.peer, wall)
        if entry is not None and not self._replaying:
            self._outbox.write((PutWorld(f"seen:{char.key}", entry, wall),))
        char.reader = self._client_reader(state)
        state.flow.play()
        self._conn_of[char.key] = state.id
        self._emit(Bound(state.id, char.key))
        self._emit(
            Prefs(state.id, colour=char.colour, screenreader=char.screenreader, width=char.width)
        )
        self._data(char.key, "Char.Status", {"name": char.name, "level": 1})
        self._room_info(char.key)
        self._char_items(char.key)
        self._settings(char.key)

    # -- playing --------------------------------------------------------------------------

    def _ctx(
        self,
        verb: str = "",
        *,
        admin_view: bool = False,
        recent: tuple[str, ...] = (),
        overheard: tuple[str, ...] = (),
        said_last: tuple[str, str] = ("", ""),
    ) -> Ctx:
        """The handler context. The who-list and help topics cost O(players) and
        O(packs) to build, so they are only built for the commands that read them;
        players' addresses only for an admin's (``admin_view``) who. ``recent`` are the
        player's lines before this one, ``overheard`` the others' conversation lines in
        their room (``_overheard``), ``said_last`` the last words said there by another
        (``Ctx.said_last``)."""
        now = self._clock.monotonic()
        online: list[tuple[str, float, bool]] = []
        if verb == "who":

            def who() -> list[list[Any]]:
                return [list(row) for row in self.who_rows()]

            # Idle times come from when lines arrived, which a replay does not know.
            online = [(str(n), float(i), bool(d)) for n, i, d in self._outside("who", who)]
        addresses: dict[str, str] = {}
        if verb == "who" and admin_view:

            def addrs() -> dict[str, str]:
                out: dict[str, str] = {}
                for key, conn in self._conn_of.items():
                    state = self._conns.get(conn)
                    if state is not None:
                        out[key] = f"{state.door} {state.peer}"
                return out

            # A replay has no network addresses: they are recorded with the event.
            addresses = {str(k): str(v) for k, v in dict(self._outside("addrs", addrs)).items()}
        topics: dict[str, str] = {}
        if verb == "help":
            for pack in self.world.templates.packs.values():
                topics.update(pack.help)
        return Ctx(
            now=now,
            wall=self._event_time(),
            rng=self.rng,
            online=tuple(online),
            help_topics=topics,
            narration=self.settings.narration,
            addresses=addresses,
            recent=recent,
            overheard=overheard,
            said_last=said_last,
        )

    def _overheard(self, key: str, room: str, now: float) -> tuple[str, ...]:
        """The lines others spoke to the people of ``room`` in the last ``OVERHEARD``
        seconds, oldest first (``Ctx.overheard``)."""
        talk = self._talk_here.get(room)
        if not talk:
            return ()
        return tuple(line for who, line, at in talk if who != key and now - at <= OVERHEARD)

    def _on_command(self, state: _Conn, text: str) -> None:
        if not text:
            self._msg_prompt.add(state.id)
            return
        key = state.char
        assert key is not None
        char = self.world.chars[key]
        intent_head = text.split(maxsplit=1)[0].lower()
        # "password hunter2" ignores its argument; keep a typed secret out of the log.
        recorded = "password" if ALIASES.get(intent_head) == "password" else text
        intent = parse(text, ALIASES)
        if recorded != "password":
            if state.echo is not None and state.echo.said_in(text):
                self._withhold(state, "yours")
                return
            if not intent.verb and looks_like_password(text):
                self._withhold(state, "looks")
                return
        self._begin_event("line", {"who": key, "text": recorded})
        started = self._clock.monotonic()
        room = char.room
        overheard = self._overheard(key, room, started)
        said = self._said_last.get(room)
        said_last = (
            (said[0], said[1])
            if said and said[0] != key and started - said[2] <= OVERHEARD
            else ("", "")
        )
        ctx = self._ctx(
            intent.verb,
            admin_view=char.is_admin,
            recent=state.recent,
            overheard=overheard,
            said_last=said_last,
        )
        state.recent = (*state.recent[1 - RECENT :], recorded)
        if intent.verb not in _NOT_ALOUD and lore.conversation_topic((recorded,)):
            # Aloud only: a private tell's words are no bystander's conversation.
            talk = self._talk_here.get(room)
            if talk is None:
                talk = self._talk_here[room] = deque(maxlen=RECENT)
            talk.append((key, recorded, started))
        effects = dispatch(self.world, char, intent, ctx)
        said_most = game.MAX_SAY
        if len(intent.args.strip()) > said_most and any(isinstance(e, LogChat) for e in effects):
            # Words are kept to MAX_SAY characters; the speaker is told (played: a pasted
            # 663-character say reached the room cut mid-word, and nobody knew).
            cut = f"Only the first {said_most} characters of that were said."
            effects = [*effects, Tell(key, Doc.text(styled("warn", cut)))]
        # What the line says aloud is shown as typed, though read through its slips
        # ("wanna group up?" read as "want to", said as typed).
        self._apply(effects, typed=text if unslipped(text) != text else "")
        self.stats.commands += 1
        self.stats.command_seconds.observe(self._clock.monotonic() - started)

    def _withhold(self, state: _Conn, why: str) -> None:
        """A line its player typed in play was their password (``why`` "yours") or
        looked like one ("looks") (``mud.hub.guard``): it goes nowhere (not said,
        narrated, remembered as talk, or recorded: the replay log keeps only that a
        line was withheld) and the player is told so."""
        key = state.char
        assert key is not None
        self._begin_event("withheld", {"who": key, "why": why})
        self.stats.commands += 1
        what = "That was your password" if why == "yours" else "That looks like a password"
        text = (
            f"{what}, so it went nowhere: nobody saw it, and it was neither kept nor sent"
            " to the Dungeon Master. Nobody here will ever ask you for your password, not"
            " even an admin; if someone did, 'report <name> <what happened>' tells the"
            " admins."
        )
        self._apply([Tell(key, Doc.text(styled("warn", text)))])

    def _rules_ctx(self) -> Ctx:
        """The context the engine's follow-up rules get: the dice, the monotonic time and
        the wall time of the event being handled (a respawn time is counted from it)."""
        return Ctx(now=self._clock.monotonic(), wall=self._event_time(), rng=self.rng)

    def _apply(self, effects: Sequence[Effect], *, typed: str = "") -> None:
        """Carry out ``effects`` in order. After each, the engine's follow-up rules
        (``mud.engine.reactions.follow_ups``) say what it causes, and those effects are
        carried out next, before the rest (depth first). Asks for a scene and asks marked
        ``together`` are held to the end and asked as ``reactions.settle`` says (scenes
        first, one narration per room and mark). ``typed``, a player's line the engine
        read through its slips, has the words it says aloud shown as typed, in the
        follow-ups too (``phrasing.in_their_keys``)."""
        ctx: Ctx | None = None
        pending = list(reversed(effects))
        held: list[AskNarration] = []
        outer, self._asks_from = self._asks_from, self._narr.next_id
        try:
            while pending:
                effect = pending.pop()
                if typed:
                    effect = phrasing.in_their_keys(effect, typed)
                if isinstance(effect, AskNarration) and (effect.together or effect.kind == "scene"):
                    held.append(effect)
                    continue
                self._apply_one(effect)
                if ctx is None:
                    ctx = self._rules_ctx()
                more = reactions.follow_ups(self.world, effect, ctx)
                if more:
                    pending.extend(reversed(more))
            if held:
                for ask in reactions.settle(self.world, held):
                    self._apply_one(ask)
        finally:
            self._asks_from = outer

    def _apply_one(self, effect: Effect) -> None:
        """Carry out one effect: its world change (``mud.hub.apply``), then what is shown,
        saved, written or asked for because of it. No game rule is decided here."""
        match effect:
            case Move(who, to, leave, arrive, unseen_by=unseen_by):
                old = self.world.chars[who].room
                self._end_streams_for(who, old)
                self._room_say(old, leave, exclude=(who, *unseen_by))
                self._applied(apply_to_world(self.world, effect))
                self._room_say(to, arrive, exclude=(who, *unseen_by))
                self._room_info(who)
                return
            case SetPrefs(who, colour, screenreader, width, _prompt):
                self._applied(apply_to_world(self.world, effect))
                pref_conn = self._conn_of.get(who)
                if pref_conn is not None:
                    self._emit(Prefs(pref_conn, colour, screenreader, width))
                if screenreader is not None:
                    self._settings(who)
                return
            case Rolled(reason, expr, dice_json, total):
                self._roll_seq += 1
                self._write(
                    LogRoll(self._clock.wall(), self._roll_seq, reason, expr, dice_json, total)
                )
                return
        applied = apply_to_world(self.world, effect)
        if applied is not None:
            self._applied(applied)
            return
        match effect:
            case TurnPrompt(who, doc, room, deadline):
                self._turn_prompt(who, doc, room, deadline)
            case Tell(who, doc):
                self._send_char(who, doc)
            case ToRoom(room, doc, exclude):
                self._room_say(room, doc, exclude=exclude)
            case ToAll(doc, admins_only, exclude):
                conns = self._everyone(admins_only=admins_only)
                if exclude:
                    # Those ignoring the speaker (``mud.engine.presence``).
                    unheard = {self._conn_of.get(key) for key in exclude}
                    conns = [conn for conn in conns if conn not in unheard]
                self._send_all(conns, doc)
            case LogChat(kind, room, speaker, target, text):
                wall = self._clock.wall()
                self._write(LogChatOp(wall, room, kind, speaker, target, text))
                if kind in REPORT_KINDS:
                    # Kept here too: the log reaches the disk at the next commit, and
                    # an admin's ``reports`` just after is to read it already.
                    self._reports_made.append(ChatLine(wall, room, kind, speaker, target, text))
                if kind in ("say", "emote") and len(self._linkdead):
                    self._keep_missed(kind, room, speaker, target or "", text)
                if kind == "say" and speaker.lower() in self.world.chars:
                    self._said_last[room] = (speaker.lower(), text, self._clock.monotonic())
                chat_log.debug("%s %s %s->%s: %r", kind, room, speaker, target, text)
                self._channel(kind, room, speaker, target, text)
            case Quit(who, farewell):
                quit_conn = self._conn_of.get(who)
                self._leave_world(who, announce=False)
                if quit_conn is not None:
                    self._hang_up(self._conns[quit_conn], farewell)
            case AdminAction(action, arg, by, detail):
                self._admin(action, arg, by, detail)
            case SetBan():
                self._set_ban(effect)
            case Audit(by, action, target, detail):
                self._audit(by, action, target, detail)
            case StartFlow(who, flow, arg):
                self._start_flow(who, flow, arg)
            case RemoveKey(who, fingerprint):
                self._write(RemoveSshKey(who, fingerprint))
                self._send_char(
                    who, Doc.text(f"Removed key {esc(fingerprint)} (if it was registered).")
                )
            case ListKeys(who):
                self._spawn_for(who, self._list_keys(who))
            case AskNarration():
                self._narrate(
                    effect.who,
                    effect.room,
                    effect.kind,
                    effect.text,
                    effect.outcome,
                    effect.priority,
                    cacheable=effect.cacheable,
                    npc_persona=effect.npc_persona,
                    shown=effect.shown,
                    party=effect.party,
                    npc_manner=effect.npc_manner,
                    readers=effect.readers,
                )
            case Query(who, what, arg):
                self._query(who, what, arg)
            case FightEvent(room):
                self._fight_event(room)
            case ChooseClass(who):
                class_conn = self._conn_of.get(who)
                if class_conn is not None:
                    self._ask_class(self._conns[class_conn])
            case Gain() | QuestEvents() | Arrived() | NpcArrived() | Then():
                pass  # events for the engine's follow-up rules: nothing to carry out

    def _turn_prompt(self, who: str, doc: Doc, room: str, deadline: float) -> None:
        """A fighter's "Your turn!": shown now, or, when the narration of the round that
        just ended was asked for in these effects, held until it ends (``_release_prompts``) so
        the fighter reads what happened before being asked to act. Played: the prompt
        came first and the round's story after it, under the player's typing."""
        rid = self._narr.asked_in(room, self._asks_from)
        if rid is None or self.settings.prompt_hold <= 0:
            self._send_char(who, doc)
            return
        self._held.hold(
            rid, narration.HeldPrompt(who, doc, room, self._clock.monotonic(), deadline)
        )

    def _release_prompts(self, rid: int) -> None:
        """Show the turn prompts held for narration ``rid`` (it ended, was refused or cut
        off, or they waited ``prompt_hold``) whose turn is still on, each turn made as
        much longer as its prompt waited."""
        now = self._clock.monotonic()
        for held in self._held.take(rid):
            if not fight.waits_for(self.world, held.room, held.who, held.deadline):
                continue  # the turn is over (taken, timed out, the fight ended)
            self._apply(
                fight.extend_turn(self.world, held.room, held.who, held.deadline, now - held.since)
            )
            self._send_char(held.who, held.doc)

    def _applied(self, applied: Applied | None) -> None:
        """Save and show what a world change (``mud.hub.apply``) changed."""
        if applied is None:
            return
        self._dirty_chars.update(applied.chars)
        for key in applied.packs:
            self._char_items(key)
        for key in applied.vitals:
            self._vitals(key)
        for key in applied.status:
            self._status(key)
        for key in applied.ways:
            self._room_info(key)
        if applied.features:
            self._write(
                PutWorld(
                    "features_used",
                    json.dumps(sorted(self.world.features_used)),
                    self._clock.wall(),
                )
            )

    def _vitals(self, who: str) -> None:
        if not self._wants_gmcp(who):
            return
        char = self.world.chars[who]
        self._data(who, "Char.Vitals", {"hp": char.hp, "maxhp": char.max_hp, "down": char.down})

    def _status(self, who: str) -> None:
        if not self._wants_gmcp(who):
            return
        char = self.world.chars[who]
        cls = self.world.templates.classes.get(char.cls)
        self._data(
            who,
            "Char.Status",
            {
                "name": char.name,
                "class": cls.name if cls else "",
                "level": char.level,
                "experience": char.xp,
                "gold": char.gold,
            },
        )

    def _channel(self, kind: str, room: str, speaker: str, target: str | None, text: str) -> None:
        gmcp_on = self._gmcp_conns
        if not gmcp_on:
            return  # nobody wants GMCP: no listener is even looked at
        payload = {"channel": kind, "talker": speaker, "text": text}
        occupants = self.world.occupants
        if kind in ("say", "emote"):
            hearers: Sequence[str] = list(occupants.get(room, ()))
        elif kind == "shout":
            rooms = [room, *(near for near, _ in earshot(self.world, room))]
            hearers = [key for r in rooms for key in occupants.get(r, ())]
        elif kind == "tell":
            hearers = [speaker.lower()] + ([target.lower()] if target else [])
        elif kind == "group":
            hearers = party.members(self.world, speaker.lower())
        elif kind == "ooc":
            chars = self.world.chars
            hearers = [k for k in self._conn_of if k not in chars or "ooc" not in quiet(chars[k])]
        elif kind == "announce":
            hearers = list(self._conn_of)
        else:
            return  # not talk on a channel (a player's report to the operators)
        conn_of = self._conn_of
        deaf = self.world.ignored_by.get(speaker.lower(), ())  # ``mud.engine.presence``
        conns = tuple(
            conn
            for key in hearers
            if (conn := conn_of.get(key)) is not None and conn in gmcp_on and key not in deaf
        )
        if conns:
            self._emit(DataAll(conns, "Comm.Channel.Text", payload))

    def _spawn_for(self, who: str, coro: Awaitable[str]) -> None:
        conn = self._conn_of.get(who)
        if conn is None:
            return

        async def job() -> None:
            try:
                text = await coro
                await self._inbox.put(JobResult(conn, text))
            except (StoreError, ValueError) as exc:
                await self._inbox.put(JobResult(conn, str(exc), True))

        self._spawn(job())

    def _keep_missed(self, kind: str, room: str, speaker: str, target: str, text: str) -> None:
        """Keep a say or emote in ``room`` for the link-dead characters standing there
        (not from one they ignore; the last ``RECENT_CHAT`` each), to show when they
        are back (``_resume``)."""
        for key in self._linkdead:
            char = self.world.chars.get(key)
            if char is None or char.room != room or speaker.casefold() in ignoring(char):
                continue
            kept = self._missed_talk.setdefault(key, [])
            kept.append((kind, speaker, target, text))
            del kept[:-RECENT_CHAT]

    async def _list_keys(self, who: str) -> str:
        keys = await self._store.list_ssh_keys(who)
        if not keys:
            return "You have no SSH keys. Add one with: keys add <contents of your .pub file>"
        return "Your SSH keys:\n" + "\n".join(
            f"  {k.fingerprint}  {k.key_text[:24]}..." for k in keys
        )

    def _start_flow(self, who: str, flow: str, arg: str) -> None:
        conn = self._conn_of.get(who)
        if conn is None:
            return
        state = self._conns[conn]
        if flow == "password":
            self._steps(state, state.flow.change_password())
        elif flow == "keys_add":
            if self._parse_key is None:
                self._send(conn, Doc.text(styled("error", "SSH is not enabled on this server.")))
                return
            parse_key = self._parse_key

            def parse() -> dict[str, Any]:
                try:
                    return {"key": list(parse_key(arg))}
                except ValueError as exc:
                    return {"error": str(exc)}

            parsed = self._outside("parse_key", parse)
            if "error" in parsed:
                self._send(
                    conn,
                    Doc.text(tag("error", f"That key could not be read: {esc(parsed['error'])}")),
                )
                return
            fingerprint, text, _comment = (str(v) for v in parsed["key"])
            self._write(AddSshKey(who, fingerprint, text, self._clock.wall()))
            self._send(
                conn,
                Doc.text(
                    styled(
                        "good",
                        f"Key {esc(fingerprint)} added. You can now log in with: "
                        f"ssh {esc(state.name)}@this-host",
                    )
                ),
            )

    def _admin(self, action: str, arg: str, by: str, detail: str = "") -> None:
        if action == "kick":
            target = arg.lower()
            conn = self._conn_of.get(target)
            if conn is None:
                if target in self.world.chars:
                    self._audit(by, "kick", target, detail)
                    self._leave_world(target, announce=True)
                    self._send_char(by, Doc.text(f"{esc(arg)} was link-dead and has been removed."))
                else:
                    self._send_char(
                        by, Doc.text(tag("error", f"No one called '{esc(arg)}' is playing."))
                    )
                return
            self._audit(by, "kick", target, detail)
            log_event(log, "kick", name=target, by=by)
            self._leave_world(target, announce=True)
            why = f" ({detail})" if detail else ""
            self._hang_up(
                self._conns[conn],
                Doc.text(styled("error", f"You have been kicked by an admin{why}.")),
            )
            self._send_char(by, Doc.text(f"Kicked {esc(arg)}."))
        elif action == "mute":
            self._mute_away(arg, by, detail)
        elif action == "shutdown":
            self._schedule_shutdown(arg, by)
        elif action == "reload":
            if self._reload_packs is None:
                self._send_char(by, Doc.text(styled("error", "Reloading is not available.")))
                return
            self._audit(by or "signal", "reload", "", "")
            self._send_char(by, Doc.text("Reloading content packs..."))
            if self._replaying:
                return  # what the reload did is an event of its own in the recording
            reload_packs = self._reload_packs

            async def job() -> None:
                try:
                    templates = await asyncio.to_thread(reload_packs)
                except Exception as exc:  # the loader reports every problem; keep the old world
                    await self._inbox.put(Reloaded(None, str(exc), by))
                    return
                await self._inbox.put(Reloaded(templates, "", by))

            self._spawn(job())

    def _list_bans(self, who: str) -> None:
        """The bans in force, read from the database in the background (they may have
        been made elsewhere); the answer comes back as a job result, like ``usage``."""
        store, wall = self._store, self._clock.wall()

        async def report() -> str:
            bans = await store.active_bans(wall)
            if not bans:
                return "No bans are in force."
            lines = ["Bans in force:", *(describe_ban(b, wall) for b in bans)]
            return esc("\n".join(lines))

        self._spawn_for(who, report())

    def _mute_away(self, key: str, by: str, detail: str) -> None:
        """``mute``/``unmute`` (``detail``: "lift", or the mute as JSON: until, why,
        span) of the player ``key``, who is not in the game: their saved character is
        read, changed and written in the background, and the admin ``by`` told how it
        went (as a job result, like ``bans``). Refused for an account that is not there,
        has no character, or is an admin's; and, in the moment between the read and the
        write, for one who came in meanwhile (told to do it again, now in the game)."""
        lift = detail == "lift"
        mute: dict[str, Any] = {} if lift else json.loads(detail)
        span, why = str(mute.pop("span", "")), str(mute.get("why", ""))
        if not lift:
            mute = {"by": by, **mute}
        if self._replaying:
            return  # the store's change and its answer are the recording's own
        store, wall, chars = self._store, self._clock.wall(), self.world.chars
        action, said = ("unmute", "") if lift else ("mute", f"{span}: {why}")

        async def changed() -> str:
            account = await store.get_account(key)
            text = await store.get_character(key) if account is not None else None
            if account is None or text is None:
                return esc(f"No player called '{key}' has played here.")
            if account.is_admin and not lift:
                return esc(f"{account.name} keeps this world too: you cannot mute them.")
            saved = json.loads(text)
            extra = dict(saved.get("extra") or {})
            if lift and "muted" not in extra:
                return esc(f"{account.name} is not muted.")
            if key in chars:
                return esc(f"{account.name} came in just now: '{'un' if lift else ''}mute' again.")
            if lift:
                extra.pop("muted")
            else:
                extra["muted"] = mute
            saved["extra"] = extra
            # Recorded with the change, in one transaction, as ``_audit`` records.
            audit = LogAudit(wall, by, action, key, said)
            await store.apply([PutCharacter(key, json.dumps(saved), wall), audit])
            log_event(log, "admin_action", actor=by, action=action, target=key, detail=said)
            if lift:
                return esc(f"{account.name} may speak again, when they come back.")
            return esc(
                f"Muted {account.name} {span}: {why}. They are not in the game: it holds"
                f" from when they come back. ('unmute {key}' lifts it.)"
            )

        self._spawn_for(by, changed())

    def _list_reports(self, who: str) -> None:
        """The last ``REPORTS_SHOWN`` reports players sent, read from the database in the
        background (as ``mud admin reports`` reads them), oldest first; the answer comes
        back as a job result, like ``bans``. Played: an admin's "reports" in the game
        read "You report: 12/12 HP.", and the reports were on the server's disk alone."""
        store, made = self._store, list(self._reports_made)

        async def listed() -> str:
            kept = await store.player_reports(limit=REPORTS_SHOWN)
            # Those made since the server started and not yet committed, once each.
            seen = {(round(r.ts, 3), r.speaker, r.text) for r in kept}
            fresh = [r for r in made if (round(r.ts, 3), r.speaker, r.text) not in seen]
            reports = sorted([*kept, *fresh], key=lambda r: r.ts)[-REPORTS_SHOWN:]
            if not reports:
                return "No reports from players."
            lines = [
                f"The last {len(reports)} report(s) from players:",
                *(describe_report(r) for r in reports),
            ]
            return esc("\n".join(lines))

        self._spawn_for(who, listed())

    def _schedule_shutdown(self, arg: str, by: str) -> None:
        """``shutdown`` now (arg "0.0"), after a countdown (arg: seconds) or ``cancel``."""
        if arg == "cancel":
            if not self._countdown.cancel():
                self._send_char(by, Doc.text("No shutdown is scheduled."))
                return
            self._audit(by, "shutdown_cancel", "", "")
            self._apply([ToAll(Doc.text(styled("system", "The scheduled shutdown is cancelled.")))])
            return
        seconds = float(arg or 0.0)
        self._audit(by, "shutdown", "", f"in {admin.describe_duration(seconds)}" if seconds else "")
        if seconds <= 0:
            self.request_shutdown(f"shutdown by {by}")
            return
        self._countdown.schedule(self._clock.monotonic(), seconds, by)
        self._warn_shutdown(seconds)

    def _warn_shutdown(self, remaining: float) -> None:
        when = admin.describe_remaining(max(1.0, round(remaining)))
        self._apply(
            [
                ToAll(
                    Doc.text(
                        styled(
                            "warn",
                            f"[Shutdown] The server goes down in {when}. "
                            "Your progress is saved when it does.",
                        )
                    )
                )
            ]
        )

    def _shutdown_countdown(self, now: float) -> None:
        remaining = self._countdown.tick(now)
        if remaining is None:
            return
        if remaining <= 0:
            self.request_shutdown(f"shutdown by {self._countdown.by}")
            return
        self._warn_shutdown(remaining)

    # -- bans and audit -----------------------------------------------------------------

    def address_banned(self, address: str) -> bool:
        """True when a ban in force covers ``address``. Read-only, for the SSH door's
        password check (``mud.app``), so a banned address is refused before any hash is
        spent; called from the event loop, it reads the list the hub replaces whole."""
        return self._banned("addr", address) is not None

    def _banned(self, kind: str, value: str) -> Ban | None:
        """The ban in force on a name_key (kind 'name') or an address ('addr'), if any."""
        return self._ban_list.banned(kind, value, self._clock.wall())

    def _refuse_banned_name(self, state: _Conn, name: str) -> bool:
        ban = self._banned("name", name)
        if ban is None:
            return False
        log_event(log, "login_refused", name=name, addr=state.peer, reason="banned")
        why = f"{name} is banned{ban_terms(ban)}."
        self._hang_up(state, Doc.text(styled("error", why)))
        return True

    def _audit(self, by: str, action: str, target: str, detail: str) -> None:
        """Record an admin action: a row in the audit log and a line in the server log."""
        self._write(LogAudit(self._clock.wall(), by, action, target, detail))
        log_event(log, "admin_action", actor=by, action=action, target=target, detail=detail)

    def _set_ban(self, effect: SetBan) -> None:
        wall = self._clock.wall()
        by = effect.by
        label = effect.value if effect.kind == "addr" else effect.value.capitalize()
        if effect.lift:
            present = self._ban_list.has(effect.kind, effect.value)
            # Bans made before the replayed run are not in a replay's memory.
            if not self._outside("unban", lambda: present):
                self._send_char(by, Doc.text(f"{esc(label)} is not banned."))
                return
            self._ban_list.lift(effect.kind, effect.value, wall)
            self._write(LiftBan(effect.kind, effect.value, wall))
            self._audit(by, "unban", f"{effect.kind}:{effect.value}", "")
            self._send_char(by, Doc.text(styled("good", f"Lifted the ban on {label}.")))
            return
        expires = None if effect.seconds is None else wall + effect.seconds
        ban = Ban(effect.kind, effect.value, effect.reason, by, wall, expires)
        self._ban_list.put(ban)
        # One ban in force per target: the new one replaces any earlier one.
        self._write(
            LiftBan(effect.kind, effect.value, wall),
            AddBan(effect.kind, effect.value, effect.reason, by, wall, expires),
        )
        span = ban_span(effect.seconds)
        self._audit(by, "ban", f"{effect.kind}:{effect.value}", f"{span}: {effect.reason}")
        self._send_char(by, Doc.text(styled("good", f"Banned {label} {span}: {effect.reason}.")))
        why = f"You have been banned{ban_terms(ban)}."
        hit_chars: set[str] = set()
        if effect.kind == "addr":

            def addr_hits() -> list[str]:
                hits = []
                for state in self._conns.values():
                    char = self.world.chars.get(state.char) if state.char is not None else None
                    # An admin playing from the address keeps their session.
                    if (
                        char is not None
                        and not char.is_admin
                        and state.flow.stage is not Stage.QUIT
                        and admin.address_matches(state.peer, effect.value)
                    ):
                        hits.append(char.key)
                return sorted(hits)

            # A replay has no addresses: it puts out the characters recorded here.
            hit_chars = {str(k) for k in self._outside("ban_hits", addr_hits)}
        for state in list(self._conns.values()):
            if state.flow.stage is Stage.QUIT or not put_out_by_ban(
                effect.kind,
                effect.value,
                char=state.char,
                name=state.name,
                peer=state.peer,
                hit_chars=hit_chars,
                replaying=self._replaying,
            ):
                continue
            if state.char is not None and self._conn_of.get(state.char) == state.id:
                self._leave_world(state.char, announce=True)
            self._hang_up(state, Doc.text(styled("error", why)))
        if effect.kind == "name" and effect.value in self.world.chars:
            self._leave_world(effect.value, announce=True)  # link-dead

    def _refresh(self) -> None:
        """Re-read admin flags and bans in the background (tick, every admin_refresh)."""
        if not self._refresher.begin():
            return
        store, wall = self._store, self._clock.wall()

        async def job() -> None:
            try:
                admins = frozenset(await store.list_admins())
                bans = tuple(await store.active_bans(wall))
            except StoreError as exc:
                log.warning("hub: could not re-read admins and bans: %s", exc)
                self._post_nowait(Refreshed(frozenset(), (), ok=False))
                return
            self._post_nowait(Refreshed(admins, bans))

        self._spawn(job())

    def _on_refreshed(self, message: Refreshed) -> None:
        self._refresher.done()
        if not message.ok:
            return
        self._ban_list.merge_read(message.bans)
        changed = {
            key: key in message.admins
            for key, char in self.world.chars.items()
            if char.is_admin != (key in message.admins)
        }
        if changed:
            self._begin_event("admins", {"changed": changed})
            self._set_admins(changed)

    def _set_admins(self, changed: dict[str, bool]) -> None:
        for key, is_admin in sorted(changed.items()):
            char = self.world.chars.get(key)
            if char is None:
                continue
            char.is_admin = is_admin
            text = "You are now an admin." if is_admin else "You are no longer an admin."
            self._send_char(key, Doc.text(styled("system", text)))

    def _on_reloaded(self, message: Reloaded) -> None:
        """A reload's end, by an admin (``message.by``) or the operator (SIGHUP, no
        ``by``). Played by a builder: the admin's reload told the other players nothing
        while their rooms changed under them, the operator's told everyone "Reload
        refused." with no reason and the admins in the game no more, and a player whose
        room was taken out stood in the start room without a word. Now, either way: on
        success everyone is told the world was reloaded (the admin who asked, its size),
        and anyone whose room is gone where they are now and why; on refusal the admins
        in the game read why, the log has it, and the players the operator's notice
        warned read that nothing changed."""
        # The whole reason, not its first line ("1 problem in content packs:" was all
        # an operator's journal held); the quoting keeps it on one line.
        log_event(
            log,
            "reload_done",
            level=logging.INFO if message.templates is not None else logging.WARNING,
            ok=message.templates is not None,
            by=message.by or "signal",
            error=message.error.strip(),
        )
        if message.templates is None:
            refused = Doc.text(
                styled("error", "Reload refused; the running world is unchanged:\n")
                + esc(message.error)
            )
            self._send_char(message.by, refused)
            self._apply([ToAll(refused, admins_only=True, exclude=(message.by,))])
            if not message.by:  # the operator's reload was announced to everyone
                stays = Doc.text(styled("system", "The world stays as it was."))
                self._apply([ToAll(stays)])
            return
        templates = message.templates
        self._begin_event(
            "reload",
            {"rooms": len(templates.rooms), "by": message.by, "packs": _pack_digests(templates)},
        )
        gone = sorted(k for k, c in self.world.chars.items() if c.room not in templates.rooms)
        self._dirty_chars |= self.world.apply_templates(templates)
        done = Doc.text(styled("system", "The world has been reloaded."))
        self._apply([ToAll(done, exclude=(message.by,))])
        self._send_char(
            message.by,
            Doc.text(
                styled(
                    "good", f"Reloaded: {len(templates.rooms)} rooms, {len(templates.items)} items."
                )
            ),
        )
        for key in gone:
            char = self.world.chars[key]
            moved = "The place where you stood is no longer part of the world; you find yourself"
            self._send_char(key, Doc.text(styled("system", f"{moved} elsewhere.")))
            self._send_char(key, describe_room(self.world, char.room, key))

    def _query(self, who: str, what: str, arg: str) -> None:
        char = self.world.chars[who]
        if what == "bans":
            self._list_bans(who)
            return
        if what == "reports":
            self._list_reports(who)
            return
        if self._dm is None:
            self._send_char(who, Doc.text("The Dungeon Master is not running on this server."))
            return
        if what == "tokens":
            dm = self._dm
            # The DM's live accounting: recorded, so a replay shows the same numbers.
            report = TokenReport(**self._outside("tokens", lambda: asdict(dm.tokens(char.name))))
            self._send_char(who, Doc(tuple(Para(esc(line)) for line in report.lines())))
        elif what == "dm_status":
            dm = self._dm
            lines = self._outside("dm_status", lambda: list(dm.status_lines()))
            self._send_char(who, Doc(tuple(Para(esc(str(line))) for line in lines)))
        elif what == "usage":
            make_report = self._usage_report
            if make_report is None:
                self._send_char(who, Doc.text("Usage reports are not available."))
                return
            self._spawn_for(who, make_report("json" if arg == "json" else "table"))

    # -- rooms and narration --------------------------------------------------------------

    def _room_say(self, room: str, doc: Doc, *, exclude: tuple[str, ...] = ()) -> None:
        """``doc`` to everyone in ``room`` but ``exclude``, each then prompted: one
        ``SendAll`` for the room, not a ``Send`` per receiver (issue 16). An empty
        ``doc`` is no line at all (a flight's leave: its roll line told the room)."""
        if not doc.blocks:
            return
        conn_of = self._conn_of
        self._send_all(
            [
                conn
                for key in self.world.occupants.get(room, ())
                if key not in exclude and (conn := conn_of.get(key)) is not None
            ],
            doc,
        )

    def _everyone(self, *, admins_only: bool) -> list[int]:
        """The connections of every character in the world (only admins': ``admins_only``)."""
        chars = self.world.chars
        return [
            conn for key, conn in self._conn_of.items() if not admins_only or chars[key].is_admin
        ]

    def _send_all(self, conns: list[int], doc: Doc) -> None:
        """``_send(conn, doc)`` for each of ``conns`` (in order), as one ``SendAll``."""
        sessions = self._sessions
        live = tuple(conn for conn in conns if conn in sessions)
        if not live:
            return
        self._outbox.send_all(SendAll(live, doc))
        trace = self._rec.trace
        if trace is not None:
            trace.docs([self._trace_name(conn) for conn in live], doc)

    def _snapshot(self, room_id: str) -> RoomSnapshot:
        return narration.snapshot(self.world, room_id)

    def _narrate(
        self,
        who: str | None,
        room: str,
        kind: str,
        text: str,
        outcome: Outcome,
        priority: Priority,
        *,
        cacheable: bool = False,
        npc_persona: str = "",
        shown: tuple[str, ...] = (),
        party: tuple[str, ...] = (),
        npc_manner: tuple[str, ...] = (),
        readers: tuple[str, ...] = (),
    ) -> None:
        """Ask the DM to narrate in ``room`` (nothing without a DM or with narration
        off); the request is traced for replay. ``readers``: characters who read it whole
        when it ends, wherever they are then (``AskNarration.readers``)."""
        if self._dm is None or not self.settings.narration:
            return
        rid = self._narr.ask(room)
        self._narr.follow(rid, readers)
        request = narration.request(
            self.world,
            rid,
            who,
            room,
            kind,
            text,
            outcome,
            priority,
            created=self._clock.monotonic(),
            cacheable=cacheable,
            npc_persona=npc_persona,
            shown=shown,
            party=party,
            npc_manner=npc_manner,
            heard=self._ambience_recent.get(room, ()),
        )
        if self._trace is not None:
            self._trace.add("ask", who or "", op_repr(evolve(request, created=0.0)))
        self._dm.submit(request)

    def _fight_event(self, room: str) -> None:
        """A new fight event begins in ``room``: narration asked for there before it is
        late (see ``Narrations.fight_event``); what is streaming is ended on every screen
        there now, so no room reads a round's narration after a later round's dice."""
        for rid in self._narr.fight_event(room):
            for conn in self._room_conns(room):
                self._emit(EndStream(conn, rid))
        # The fight goes on before its last round was told: whoever's turn it still is
        # reads their prompt now, before what happens next.
        for rid in self._held.in_room(room):
            self._release_prompts(rid)

    def _is_late(self, request_id: int) -> bool:
        """True for a narration overtaken by a later fight event in its room."""
        return self._narr.is_late(request_id)

    def _end_streams_for(self, key: str, room: str) -> None:
        """Character ``key`` leaves ``room``: end the room's streams on its screen, and
        stop them if nobody is left to hear."""
        conn = self._conn_of.get(key)
        live = self._narr.streams_in(room)
        if conn is not None:
            for rid in live:
                self._emit(EndStream(conn, rid))
        if self._dm is not None and live:
            # A narration nobody is left to hear is stopped (its provider call closed);
            # one its readers elsewhere read when it ends goes on while one is connected.
            listeners = [
                k for k in self.world.occupants.get(room, ()) if k != key and k in self._conn_of
            ]
            followers = [k for k in self._narr.followed_from(room) if k in self._conn_of]
            if not listeners and not followers:
                self._dm.cancel_room(room)

    def _told_elsewhere(self, readers: Sequence[str], told: str, own: Mapping[str, str]) -> None:
        """A narration just ended, whole, to each of its ``readers`` (character keys:
        its followers who did not read all of it streamed in its room,
        ``Narrations.unwatched``), in their own words when it has them (``own``), as one
        block, so it never runs word by word into a narration of where they are (found
        in review: two streams on one screen interleaved; one who walked back in read
        only its end)."""
        for key in readers:
            conn = self._conn_of.get(key)
            text = own.get(key) or told
            if conn is None or not text.strip():
                continue
            self._send(conn, Doc.text(tag("narr", esc(" ".join(text.split())))))

    def _room_conns(self, room: str) -> list[int]:
        return [
            c for k in self.world.occupants.get(room, ()) if (c := self._conn_of.get(k)) is not None
        ]

    def _narration_conns(self, rid: int, room: str) -> list[int]:
        """Who reads narration ``rid`` in ``room`` now: everyone there, or, for one
        written to a single character ("You ..."), that character if it is there."""
        to = self._narr.written_to(rid)
        if to is None:
            return self._room_conns(room)
        conn = self._conn_of.get(to)
        return [conn] if conn is not None and to in self.world.occupants.get(room, ()) else []

    def _own_conns(self, viewers: list[int], own: Mapping[str, str]) -> dict[int, str]:
        """Of ``viewers``, the connections of the characters in ``own`` (by key, what
        they read of a narration in their own words), with what each reads."""
        conns = ((self._conn_of.get(key), text) for key, text in own.items())
        return {conn: text for conn, text in conns if conn is not None and conn in viewers}

    def _stream_to(self, rid: int, conns: list[int], text: str) -> None:
        """A piece ``text`` of narration ``rid`` to ``conns`` (nothing for no text)."""
        if not conns or not text:
            return
        self._emit(StreamAll(tuple(conns), rid, text))
        trace = self._trace
        if trace is not None:
            traced = f"{rid}:{text}"  # once per chunk, not once per viewer
            for conn in conns:
                trace.add("stream", self._conns[conn].char or "", traced)

    def _on_dm(self, message: DmMessage) -> None:
        self._begin_event("dm", {"type": type(message).__name__, "msg": asdict(message)})
        match message:
            case NarrationStart(request_id, _room, _actor, _kind) if self._is_late(request_id):
                pass  # overtaken by a later fight event: never shown (see _fight_event)
            case NarrationEnd(request_id) | NarrationRejected(request_id) if self._narr.settle_late(
                request_id
            ):
                self._release_prompts(request_id)
            case Thinking(request_id) if self._is_late(request_id):
                pass
            case NarrationStart(request_id, room_id, actor, _kind, audience):
                to = addressee(actor, audience)
                self._narr.start(request_id, room_id, to.lower() if to is not None else None)
            case NarrationChunk(request_id, room_id, text, views):
                own = {name.lower(): piece for name, piece in views}
                if not self._narr.chunk(request_id, text, own):
                    return
                viewers = self._narration_conns(request_id, room_id)
                if self._narr.followers(request_id):  # not a cost of every chunk
                    self._narr.watched(request_id, [self._conns[c].char or "" for c in viewers])
                # Those it names read it in their own words, the others in the room's:
                # "You file it away." and "Maren files it away."
                theirs = self._own_conns(viewers, own) if own else {}
                others = [c for c in viewers if c not in theirs] if theirs else viewers
                self._stream_to(request_id, others, text)
                for conn, piece in theirs.items():
                    self._stream_to(request_id, [conn], piece)
            case NarrationEnd(request_id, room_id, provider, _stitched, _degraded):
                narrations = self.stats.narrations
                narrations[provider] = narrations.get(provider, 0) + 1
                viewers = self._narration_conns(request_id, room_id)
                own = self._narr.own_of(request_id)
                theirs = self._own_conns(viewers, own)
                readers = self._narr.unwatched(request_id)
                told = self._narr.end(request_id)
                self._told_elsewhere(readers, told, own)
                # A line of the room's or an NPC's that the narrator told (its colour,
                # or the manner of an NPC who answered) is not the room's next ambience.
                for line in reactions.ambient_pool(self.world, room_id):
                    if line in told:
                        self._ambient_heard(room_id, line, self._clock.wall())
                package, payload = gmcp.channel_text("narration", "Dungeon Master", told)
                gmcp_on = self._gmcp_conns
                for conn in viewers:
                    self._emit(EndStream(conn, request_id))
                    if conn in gmcp_on and conn in theirs:
                        mine = gmcp.channel_text("narration", "Dungeon Master", theirs[conn])
                        self._emit(Data(conn, *mine))
                    elif conn in gmcp_on:
                        self._emit(Data(conn, package, payload))
                    self._outbox.prompt(conn)
                self._release_prompts(request_id)
            case NarrationRejected(rid, _room, actor, text):
                self._narr.rejected(rid)
                self._release_prompts(rid)
                if actor is not None:
                    self._send_char(actor.lower(), Doc.text(tag("warn", esc(text))))
            case Thinking(_rid, room_id, text):
                # The DM words the line in the pack's voice; the fallback is for a DM
                # that sends none.
                line = text or "The lamplight gutters as the Dungeon Master considers..."
                self._room_say(room_id, Doc.text(styled("dim", line)))
            case DmNotice(text, to, admins_only):
                doc = Doc.text(styled("dm", "[DM] ") + esc(text))
                if to is not None:
                    self._send_char(to.lower(), doc)
                else:
                    self._send_all(self._everyone(admins_only=admins_only), doc)

    # -- time -----------------------------------------------------------------------------

    def _on_tick(self) -> None:
        self._maybe_commit(flush_log=True)
        now = self._clock.monotonic()
        self.stats.last_tick = now
        if self.on_tick is not None:
            self.on_tick()
        if self._refresher.due(now):
            self._refresh()
        self._shutdown_countdown(now)
        for rid in self._held.overdue(now, self.settings.prompt_hold):
            self._begin_event("prompt", {"rid": rid})
            self._release_prompts(rid)
        for room, current in list(self.world.fights.items()):
            if current.deadline and now >= current.deadline:
                self._begin_event("fight_timeout", {"room": room})
                self._apply(game.fight_timeouts_in(self.world, room, now, self.rng))
        wall = self._clock.wall()
        for npc_id in reactions.respawns_due(self.world, wall):
            self._respawn(npc_id)
        if self._wander_at is None:
            self._wander_at = now + self.settings.wander_every
        elif now >= self._wander_at:
            self._wander_at = now + self.settings.wander_every
            if any(t.wander for t in self.world.templates.npcs.values()):
                self._begin_event("wander", {})
                self._wander()
        if self._ambience_at is None:
            self._ambience_at = now + self.settings.ambience_every
        elif now >= self._ambience_at:
            self._ambience_at = now + self.settings.ambience_every
            if self._conn_of:  # someone is playing: an empty world records no event
                self._begin_event("ambience", {})
                self._ambience()
        due, self._reset_due = resets.due_areas(self.world, self._reset_due, wall)
        for area in due:
            self._reset(area)
        for key in self._linkdead.expired(now):
            self._expire(key)
        # What follows (login time-outs, idle warnings) is no event of its own: it must
        # not be counted into the outcome of the last event of this tick.
        self._end_event()
        self._warn_turns(now)
        self._check_connections(now)

    def _warn_turns(self, now: float) -> None:
        """Warn the player whose fight turn runs out within ``fight.TURN_WARNING``
        seconds, once a turn (played: a blind player's turn ran out with no word while
        speech was still reading). A turn whose "Your turn!" is still held for the
        round's narration is not warned of: its time starts when that is read. No event
        of its own, as the idle warnings: nothing in the world changes."""
        fights = self.world.fights
        if self._turn_warned:
            self._turn_warned = {r: d for r, d in self._turn_warned.items() if r in fights}
        for room, current in fights.items():
            deadline = current.deadline
            if (
                not deadline
                or now >= deadline
                or deadline - now > fight.TURN_WARNING
                or self._turn_warned.get(room) == deadline
                or not current.order.current.startswith("p:")
            ):
                continue
            self._turn_warned[room] = deadline
            who = current.order.current.split(":", 1)[1]
            if not self._held.holds(who):
                self._send_char(who, fight.turn_warning(self.world, who, deadline - now))

    def _check_connections(self, now: float) -> None:
        """The tick's connection hygiene: hang up logins past their deadline, warn and
        then disconnect idle players (admins never idle out)."""
        s = self.settings
        for state in list(self._conns.values()):
            if state.char is None:
                if state.flow.stage is not Stage.QUIT and state.activity.login_expired(
                    now, s.login_deadline
                ):
                    self._hang_up(state, Doc.text(styled("error", "Login timed out. Goodbye.")))
                continue
            char = self.world.chars.get(state.char)
            if char is None or char.is_admin:
                continue
            verdict = state.activity.idle(now, s.idle_warn, s.idle_close)
            if isinstance(verdict, IdleClose):
                self._idle_out(state)
            elif isinstance(verdict, IdleWarn):
                self._end_event()  # not part of someone's idle-out just before
                minutes = verdict.minutes
                self._send(
                    state.id,
                    Doc.text(
                        styled(
                            "warn",
                            "You have been idle a while. You will be disconnected in about "
                            f"{minutes} minute{'s' if minutes != 1 else ''} unless you do "
                            "something.",
                        )
                    ),
                )

    def _expire(self, key: str) -> None:
        self._begin_event("expire", {"who": key})
        self._leave_world(key, announce=True)

    def _idle_out(self, state: _Conn) -> None:
        key = state.char
        if key is None:
            return
        self._begin_event("idle", {"who": key})
        self._leave_world(key, announce=True)
        self._hang_up(
            state,
            Doc.text(
                styled("warn", "You have been idle too long. Your progress is saved. Goodbye.")
            ),
        )

    def _hang_up(self, state: _Conn, farewell: Doc) -> None:
        """Unbind a connection from its character (if any) and close it with a message.
        Its Disconnected then finds nothing to do: the character is gone or elsewhere."""
        if state.char is not None and self._conn_of.get(state.char) == state.id:
            del self._conn_of[state.char]
        state.char = None
        state.flow.hang_up()
        # Lines it sent before its door learned of the close are not read: after a login
        # timed out, a name typed a moment too late logged the connection in again.
        state.dropped = True
        self._emit(Close(state.id, farewell), always=True)
        if state.gone is not None:  # its Disconnected already came and waited
            self._disconnect(state.id)

    def _respawn(self, npc_id: str) -> None:
        """NPC ``npc_id`` comes back (``mud.engine.reactions.respawn``), its own event."""
        if npc_id not in self.world.templates.npcs or npc_id not in self.world.npcs:
            return
        self._begin_event("respawn", {"npc": npc_id})
        self._apply(reactions.respawn(self.world, npc_id))

    def _reset(self, area: str) -> None:
        """A scheduled reset of ``area`` (see ``mud.engine.resets``), its own event."""
        self._begin_event("reset", {"area": area})
        self._apply(resets.reset_area(self.world, area, scheduled=True))

    def _wander(self) -> None:
        """Friendly NPCs stroll on their routes (``mud.engine.reactions.wander``)."""
        self._apply(reactions.wander(self.world, self.rng))

    def _ambience(self) -> None:
        """Rooms with players in them now and then show a line of their own or an NPC's
        emote (``mud.engine.reactions.ambience``), never in the middle of a narration."""
        busy = set(self._narr.streams.values())
        now = self._event_time()
        lately = {
            room: tuple(line for line, when in heard.items() if now - when < AMBIENT_QUIET)
            for room, heard in self._ambience_when.items()
        }
        effects, shown = reactions.ambience(self.world, self.rng, lately, busy)
        for room, line in shown.items():
            self._ambient_heard(room, line, now)
        self._apply(effects)

    def _ambient_heard(self, room: str, line: str, when: float) -> None:
        """``line`` of ``room``'s ambience pool was shown or told there at wall time
        ``when``: the narrator is told of it, and the ambience does not show it again
        for ``AMBIENT_QUIET`` seconds."""
        recent = self._ambience_recent.get(room)
        if recent is None:
            recent = self._ambience_recent[room] = deque(maxlen=AMBIENT_MEMORY)
        recent.append(line)
        self._ambience_when.setdefault(room, {})[line] = when

    # -- replay ---------------------------------------------------------------------------

    def replay(
        self, kind: str, data: dict[str, Any], session: SessionPort
    ) -> tuple[str, int, list[str]]:
        """Re-apply one recorded event (used by ``mud.replay``, never by a live server).

        ``session`` is a fresh session for events that bring a character in. Returns
        the trace of what the event produced: (digest, entries, sample).
        Raises KeyError or ValueError when the event names a character or message that
        the replayed world does not have (the recording and the replay have diverged).
        """
        self._replaying = True
        self._rec.replaying(data.get("outside") or [])
        try:
            self._replay(kind, data, session)
        finally:
            leftover = self._rec.leftover()
        if leftover:
            raise ValueError(f"the recorded answers {leftover!r} were not asked for")
        return self.last_trace

    def _replay(self, kind: str, data: dict[str, Any], session: SessionPort) -> None:
        who = str(data.get("who", ""))
        if kind == "start":
            # A restart keeps the parties (the store has them), though its players leave.
            parties = self.world.party_rows()
            escorts = dict(self.world.escorts)  # kept in the NPCs' rows, as the store has
            for key in list(self.world.chars):
                self.world.remove(key)
            self.world.restore_party(parties)
            self.world.escorts.update(escorts)
            self.world.dirty_party.clear()
            self._conns.clear()
            self._conn_of.clear()
            self._gmcp_conns.clear()
            self._linkdead.clear()
            self._away.clear()
            self._narr.reset()
            self._held.clear()
            self._departed.clear()
            self._left.clear()
            self.world.forget_unkept()
            self.restart_from(data)
            self._begin_event(
                "start",
                {
                    k: data.get(k)
                    for k in ("content", "seed", "rng", "seq", "roll_seq", "packs", "narration")
                },
            )
            self._forget_stale_haggles()
            self._save_rooms()
        elif kind in ("enter", "resume"):
            self.attach(session)
            state = _Conn(session.conn, session, "replay", "replay", self._clock.monotonic())
            state.restored = bool(data.get("restored"))
            state.reader = bool(data.get("reader"))
            chosen = data.get("chosen_reader")
            state.flow.chosen_reader = None if chosen is None else bool(chosen)
            self._conns[session.conn] = state
            if kind == "enter":
                account = Account(str(data["name"]), who, "", bool(data["admin"]), 0.0)
                state.name = account.name
                recent = tuple(_talk_line(line) for line in data.get("recent", []))
                loaded = CharLoaded(
                    session.conn,
                    account,
                    data.get("state"),
                    resumed=bool(data.get("resumed")),
                    recent=recent,
                )
                self._on_char_loaded(loaded)
            else:
                char = self.world.chars[who]
                state.name = char.name
                self._resume(state, Account(char.name, who, "", char.is_admin, 0.0))
        elif kind == "line":
            self._on_command(self._conns[self._conn_of[who]], str(data["text"]))
        elif kind == "withheld":
            self._withhold(self._conns[self._conn_of[who]], str(data["why"]))
        elif kind == "reader":
            self._begin_event("reader", {"who": who, "on": bool(data["on"])})
            self.world.chars[who].reader = bool(data["on"])
        elif kind == "admins":
            changed = {str(k): bool(v) for k, v in dict(data["changed"]).items()}
            self._begin_event("admins", {"changed": changed})
            self._set_admins(changed)
        elif kind == "linkdead":
            self._handle(Disconnected(conn=self._conn_of[who]))
        elif kind == "expire":
            self._expire(who)
        elif kind == "idle":
            self._idle_out(self._conns[self._conn_of[who]])
        elif kind == "dm":
            self._handle(_dm_message(str(data["type"]), data["msg"]))
        elif kind == "choose":
            self._choose_class(self._conns[self._conn_of[who]], who, str(data["cls"]))
        elif kind == "fight_timeout":
            room = str(data["room"])
            self._begin_event("fight_timeout", {"room": room})
            self._apply(game.fight_timeouts_in(self.world, room, float("inf"), self.rng))
        elif kind == "prompt":
            rid = int(data["rid"])
            self._begin_event("prompt", {"rid": rid})
            self._release_prompts(rid)
        elif kind == "respawn":
            self._respawn(str(data["npc"]))
        elif kind == "reset":
            self._reset(str(data["area"]))
        elif kind == "wander":
            self._begin_event("wander", {})
            self._wander()
        elif kind == "ambience":
            self._begin_event("ambience", {})
            self._ambience()
        elif kind == "reload":
            if self._reload_packs is None:
                raise ValueError("cannot replay a reload without the packs")
            self._handle(Reloaded(self._reload_packs(), "", str(data.get("by", ""))))
        else:
            raise ValueError(f"unknown event kind {kind!r}")
        self._end_of_message()

    def _forget_stale_haggles(self) -> None:
        """At a start (live or replayed), forget the haggles kept in the store that no
        longer hold at the event's time (``haggle.stale``); the deletes are written, and
        recorded, with the start."""
        for key in haggle.stale(self.world, self._event_time()):
            self.world.set_party(haggle.TABLE, key, None)

    def restart_from(self, data: dict[str, Any]) -> None:
        """Take the generator state and numbering a recorded server start had (replay)."""
        if data.get("rng"):
            self.rng.set_state(data["rng"])
        self._seq = int(data.get("seq") or self._seq)
        self._roll_seq = int(data.get("roll_seq") or self._roll_seq)

    def drain(self) -> None:
        """Handle internal messages waiting in the inbox (replay runs without ``run``)."""
        while not self._inbox.empty():
            self._handle(self._inbox.get_nowait())
            self._end_of_message()


_DM_TYPES: dict[str, type[Any]] = {
    cls.__name__: cls
    for cls in (NarrationStart, NarrationChunk, NarrationEnd, NarrationRejected, DmNotice, Thinking)
}


def _pack_digests(templates: Templates) -> dict[str, str]:
    """Pack id -> digest of its files: recorded at a start and a reload, so a replay can
    tell whether it loaded the same content."""
    return {pack_id: pack.digest for pack_id, pack in templates.packs.items()}


def _dm_message(name: str, fields: Any) -> DmMessage:
    """Rebuild a recorded DM message. Raises ValueError for an unknown type."""
    cls = _DM_TYPES.get(name)
    if cls is None or not isinstance(fields, dict):
        raise ValueError(f"unknown DM message {name!r}")
    message: DmMessage = cls(**fields)
    return message


__all__ = ["Hub", "HubSettings", "room_number"]
