"""Messages between the hub and the Dungeon Master actor.

The hub builds a ``NarrationRequest`` (the engine has already decided the outcome) and
submits it to the DM. The DM answers through a ``NarrationSink`` with, per request,
exactly one ``NarrationStart``, zero or more ``NarrationChunk`` and exactly one
``NarrationEnd`` (or a single ``NarrationRejected`` if it never started). Chunk text is
already sanitised (``mud.render.sanitize``): plain text, no markup, no control bytes.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from enum import IntEnum

from attrs import field, frozen


class Priority(IntEnum):
    """Lower value is served first."""

    HIGH = 0  # combat rounds, direct questions to the DM
    MEDIUM = 1  # player actions, NPC talk
    LOW = 2  # ambient colour, scene openings


@frozen
class RoomSnapshot:
    """What the DM may know about a room at the moment of the request (all plain text)."""

    room_id: str
    name: str
    description: str
    exits: tuple[str, ...] = ()
    occupants: tuple[str, ...] = ()  # the names of the players present
    items: tuple[str, ...] = ()  # item names lying here
    pack_name: str = ""
    persona: str = ""  # the pack's DM persona
    tone: str = ""  # the pack's tone
    vocabulary: tuple[str, ...] = ()  # evocative words from the pack/room for the offline narrator
    features: tuple[str, ...] = ()  # names of the room's features (the builder's own nouns)
    # The pack's stock of colour (pack.yaml ``narration:``): sound and smell noun phrases,
    # and short clauses for sights, true anywhere in the pack.
    sounds: tuple[str, ...] = ()
    smells: tuple[str, ...] = ()
    sights: tuple[str, ...] = ()
    # The room's own lines of ambience (rooms.yaml ``ambience``: whole sentences by its
    # builder), but those the players there were shown lately.
    ambience: tuple[str, ...] = ()
    # The pronouns of the players here who chose them ("Tamsin she/her"), for a model.
    pronouns: tuple[str, ...] = ()
    # The names of the world's people here (NPCs, living; played 2026-12-07: a model
    # told of the Common Room with "Present: Yuki" alone wrote "You look at each
    # other ... you can't see the other person there", Bessa Thorn behind the bar
    # unknown to it).
    npcs: tuple[str, ...] = ()


@frozen
class Beat:
    """One combatant's deed in a fight, exactly as the engine's dice decided it.

    ``action`` is one of ``hit``, ``miss``, ``defend``, ``flee`` (broke away), ``stuck``
    (tried to flee and failed), ``use`` (used ``target``, an item; ``drink`` and ``eat``
    when the player drank or ate it), ``power`` (called on
    ``target``, a class power and whom it was for: "Ysolde's Light for Alice"), ``save``
    (a death save: ``ok`` says whether it succeeded, ``felled`` that it was the third
    failure and the actor is out of the fight). ``damage`` is the hit points lost by
    ``target`` (0 for a miss); ``critical`` marks a critical hit; ``felled`` says the
    target went down with this blow; ``hurt`` that it is at a third of its hit points or
    less, ``grave`` at a sixth or its last hit point (one more blow fells it).
    ``unseen`` marks an attack out of hiding (``mud.engine.stealth``). ``manner``: for a
    blow a player struck in their own words ("*swings his sword at the eel-catcher's
    head*"), those words as the striker reads them after "You", as the others read them
    after the striker's name, and as the others read them after "tries to" (("swing
    your sword at its head", "swings his sword at its head", "swing his sword at its
    head")); () otherwise. Names are as the players see them ("the Lamplighter",
    "Alice").
    """

    actor: str
    action: str
    target: str = ""
    damage: int = 0
    critical: bool = False
    felled: bool = False
    hurt: bool = False
    grave: bool = False
    ok: bool = False
    unseen: bool = False
    manner: tuple[str, ...] = ()


@frozen
class Outcome:
    """What the engine decided. The DM narrates this and may not change it.

    ``kind`` is one of: ``none`` (free action, nothing rolled), ``success``, ``failure``,
    ``critical`` (critical success), ``fumble`` (critical failure), ``hit``, ``miss``,
    ``discovery``, ``review`` (a clue the actor found before, looked at again: no roll),
    ``nothing`` (a search, look or listen that succeeded where nothing is there to find:
    the narration says so and invents no find),
    ``dialogue``, ``enter``, ``milestone``, ``power`` (a class power called on; its facts
    say what it did), ``round`` (a combat round summary).
    ``severity`` is 0..3 (trivial .. dramatic). ``facts`` are short engine statements
    ("Brakka hits the goblin for 7 damage", "DEX check 14 vs DC 12: success by 2").

    For fights (``round``): ``beats`` are the deeds since the last narration, in order,
    one per combatant action (only those who acted appear), and ``ended`` is
    ``victory`` or ``defeat`` when this exchange ended the fight ("" while it goes on).
    For a ``milestone``, ``ended`` is ``story`` when it finished the last of the world's
    quests: the tale is told to its end, and the narration closes it.
    A narrator must not add deeds, change a hit to a miss, or call a won fight open.
    """

    kind: str = "none"
    severity: int = 1
    facts: tuple[str, ...] = ()
    beats: tuple[Beat, ...] = ()
    ended: str = ""


@frozen
class NarrationRequest:
    """One thing for the DM to narrate.

    ``kind`` says what sort of call it is (for budgets, reports and templates):
    ``action``, ``ask``, ``enter``, ``scene``, ``talk``, ``combat``, ``ambient``,
    ``milestone``. ``actor`` is the character name (None for world-driven requests).
    ``text`` is the player's own words, untrusted, already length-capped and cleaned.
    ``cacheable`` is True only when the request involves no randomness and describes
    state that the cache key captures (``state_key``).
    """

    request_id: int
    kind: str
    room: RoomSnapshot
    actor: str | None
    text: str
    outcome: Outcome
    priority: Priority
    created: float  # monotonic seconds, from the hub's clock
    audience: tuple[str, ...] = ()  # who is in the room (names), for "write for everyone"
    cacheable: bool = False
    state_key: str = ""
    # For kind == "talk": who the DM speaks as and what they know, "Name: persona ..."
    # (``mud.engine.game._persona``; ``npc_name`` reads the name back).
    npc_persona: str = ""
    seed: int = 0  # engine-provided seed for deterministic offline prose
    # Builder texts (a feature's success/failure, an NPC's greeting or knows fact, a
    # quest step) that the engine has ALREADY shown to the room verbatim for this event,
    # in order. Narrators add colour around them; they must not repeat or replace them.
    shown: tuple[str, ...] = ()
    # The names of the others acting together with ``actor`` (a group walking into a
    # room): the narration is of them all ("Ann and Bob pause on the threshold").
    party: tuple[str, ...] = ()
    # For kind == "talk": what the NPC spoken to does now and then, in the builder's
    # words (its ``emotes``): how it carries itself as it answers.
    npc_manner: tuple[str, ...] = ()


def npc_name(request: NarrationRequest) -> str:
    """The name of the one a ``talk`` request's model speaks as ("Bessa Thorn"), from its
    ``npc_persona`` ("Bessa Thorn: ..."); "" for any other request. Pure."""
    if request.kind != "talk":
        return ""
    name, colon, _ = request.npc_persona.partition(": ")
    return name.strip() if colon and 0 < len(name) <= 60 else ""


#: What opens, in a talk's ``npc_persona``, the NPC's own words of themself and what they
#: know (``mud.engine.game._persona`` writes them; ``npc_character`` reads them back).
PERSONA_SAYS = " Says of themself: "
PERSONA_KNOWS = " Knows: "


def npc_character(request: NarrationRequest) -> str:
    """The builder's description of the one a ``talk`` request's model speaks as
    ("Shifty, frightened and sly; swears he is just a fisherman; ..."): its
    ``npc_persona`` after the name, before their own words and what they know; "" for
    any other request. Pure."""
    if not npc_name(request):
        return ""
    character = request.npc_persona.partition(": ")[2]
    for mark in (PERSONA_SAYS.strip(), PERSONA_KNOWS.strip()):
        character = character.partition(mark)[0]
    return character.strip()


def actors(request: NarrationRequest) -> str | None:
    """Who acts in ``request``, as a narration names them: the actor ("Ann"), with its
    party ("Ann and Bob", "Ann, Bob and Cid"), or None for the world's own. Pure."""
    if request.actor is None:
        return None
    names = [request.actor, *(n for n in request.party if n != request.actor)]
    return names[0] if len(names) == 1 else ", ".join(names[:-1]) + " and " + names[-1]


def addressee(actor: str | None, audience: Sequence[str]) -> str | None:
    """The player a narration is written to in the second person ("You step ..."):
    ``actor`` when the audience it was asked for is the actor alone (names compared
    casefolded), else None (written for everyone there, in the third person). Pure;
    the offline narrator writes by it, and the hub streams such a narration to that
    player only, so one who walks in while it streams never reads another's "you"."""
    name = (actor or "").strip()
    if not name:
        return None
    return name if tuple(a.casefold() for a in audience) == (name.casefold(),) else None


@frozen
class NarrationStart:
    """A narration begins. ``audience``: the names it was asked for (a merged batch's
    union; empty from a DM that does not say), from which ``addressee`` tells whether
    it is written to its actor alone."""

    request_id: int
    room_id: str
    actor: str | None
    kind: str
    audience: tuple[str, ...] = ()


def _pairs(pairs: Iterable[Iterable[str]]) -> tuple[tuple[str, str], ...]:
    """``pairs`` as a tuple of (name, text) (a recording reads them back as lists)."""
    out: list[tuple[str, str]] = []
    for pair in pairs:
        name, text = pair
        out.append((name, text))
    return tuple(out)


@frozen
class NarrationChunk:
    """A piece of a narration: ``text`` for everyone in the room. ``views``: for the
    players who read the narration in their own words ("You file it away." where the
    others read "Maren files it away."), (name, what they read instead of ``text``):
    often "" while a sentence is under way, whole sentences when they are done. A
    narration names the same players in every chunk; everyone else reads ``text``."""

    request_id: int
    room_id: str
    text: str
    views: tuple[tuple[str, str], ...] = field(default=(), converter=_pairs)


@frozen
class NarrationEnd:
    """The narration is over. ``provider`` names who finished it; ``stitched`` is True
    when more than one provider contributed (failure mid-stream)."""

    request_id: int
    room_id: str
    provider: str
    stitched: bool = False
    degraded: bool = False


@frozen
class NarrationRejected:
    """The request will not be narrated; ``message`` is shown to the actor (plain text)."""

    request_id: int
    room_id: str
    actor: str | None
    message: str


@frozen
class DmNotice:
    """Something admins (or one player) should hear: budget alerts, degraded mode.

    ``to`` is a character name, or None for every admin online.
    """

    text: str
    to: str | None = None
    admins_only: bool = True


@frozen
class Thinking:
    """The first line is slow: show the room an in-fiction sign that the DM is at work.

    ``text`` is that sign in the pack's voice (plain text, one line, built by the DM from
    the pack's ``narration:`` colour); empty from an older sender, when the receiver
    uses its own line.
    """

    request_id: int
    room_id: str
    text: str = ""


DmMessage = NarrationStart | NarrationChunk | NarrationEnd | NarrationRejected | DmNotice | Thinking


@frozen
class TokenReport:
    """A player's usage today (UTC) and the caps that apply, for the ``tokens`` command.

    ``used``/``limit``: the player's narration tokens today and their daily allowance;
    ``cost_usd``/``cost_limit_usd``: the player's spend today and their daily share;
    ``daily_cost_usd``/``daily_limit_usd``: the whole server's spend and budget today.
    A limit of 0 means none applies.
    """

    used: int
    limit: int
    cost_usd: float = field(default=0.0)
    daily_cost_usd: float = field(default=0.0)
    daily_limit_usd: float = field(default=0.0)
    cost_limit_usd: float = field(default=0.0)

    def lines(self) -> list[str]:
        """The ``tokens`` answer, plain text (the caller escapes it)."""
        left = max(0, self.limit - self.used)
        lines = [
            f"Dungeon Master tokens used today: {self.used:,} of your daily "
            f"{self.limit:,} ({left:,} left).",
        ]
        if self.cost_limit_usd:
            lines.append(
                f"Your narration spend today: ${self.cost_usd:.4f} of your "
                f"${self.cost_limit_usd:.2f} daily share."
            )
        if self.daily_limit_usd:
            lines.append(
                f"The server's narration spend today: ${self.daily_cost_usd:.4f} of "
                f"${self.daily_limit_usd:.2f}."
            )
        over = (
            left == 0
            or (self.cost_limit_usd and self.cost_usd >= self.cost_limit_usd)
            or (self.daily_limit_usd and self.daily_cost_usd >= self.daily_limit_usd)
        )
        if over:
            lines.append(
                "You have reached a limit: the offline narrator tells your story until "
                "midnight UTC."
            )
        else:
            lines.append("Allowances start afresh at midnight UTC.")
        return lines
