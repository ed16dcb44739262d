"""Effects: what a command handler asks the hub to do.

Handlers are pure: they read the world and return a list of these frozen values; the
hub (the only mutator) carries them out in order. ``who`` fields are character keys
(lower-case names). Docs are rendered per viewer by each session.
"""

from __future__ import annotations

from typing import Any

from attrs import field, frozen

from mud.core.narration import Outcome, Priority
from mud.core.outputs import Doc


@frozen
class Tell:
    """Send ``doc`` to one character (if connected)."""

    who: str
    doc: Doc


@frozen
class TurnPrompt(Tell):
    """The prompt for ``who``'s turn in the fight in ``room`` ("Your turn! ..."), the
    turn that ends at ``deadline``: a ``Tell`` that the hub shows after the narration of
    the round just asked for there, so a fighter reads what happened before being asked
    to act (waiting at most ``mud.hub.actor.HubSettings.prompt_hold``)."""

    room: str = ""
    deadline: float = 0.0


@frozen
class ToRoom:
    """Send ``doc`` to everyone in ``room`` except the characters in ``exclude``."""

    room: str
    doc: Doc
    exclude: tuple[str, ...] = ()


@frozen
class ToAll:
    """Send ``doc`` to every playing character (ooc, announcements), but those in
    ``exclude`` (players ignoring the one who spoke)."""

    doc: Doc
    admins_only: bool = False
    exclude: tuple[str, ...] = ()


@frozen
class Move:
    """Move a character to ``to``. ``leave``/``arrive`` are shown to the rooms (others).

    ``then_arrived``: the engine's follow-ups end with ``Arrived`` (hostile NPCs react).
    A group's walk sets it False on every move and sends the ``Arrived`` effects itself
    once everyone is in, so the whole group meets an ambush together.
    ``unseen_by``: keys in either room who read neither line (a sneaking walker's,
    ``mud.engine.stealth.walk``)."""

    who: str
    to: str
    leave: Doc
    arrive: Doc
    then_arrived: bool = True
    unseen_by: tuple[str, ...] = ()


@frozen
class Transfer:
    """Move an item instance. Locations are ``room:<room id>`` or ``char:<key>``."""

    item: str
    src: str
    dst: str


@frozen
class LogChat:
    """Record a line of chat in the chat log. ``heard``: ``commands.dispatch`` has
    already acted on the words (an invitation, a walk, a coin handed), so a command
    that runs a line through it and returns its effects (a line of prose's words) is
    not acted on again; not part of equality, nor kept."""

    kind: str
    room: str
    speaker: str
    target: str | None
    text: str
    heard: bool = field(default=False, eq=False)


@frozen
class SetPrefs:
    """Change a character's display preferences (None leaves one unchanged). ``prompt``
    is a prompt template (``mud.engine.views.prompt_text``; "" restores the default);
    ``wimpy`` the hit points at which they flee on their turn (0: never;
    ``mud.engine.customs.wimpy``); ``brief`` whether a room walked into again is shown
    without its description (``mud.engine.views.describe_room``)."""

    who: str
    colour: bool | None = None
    screenreader: bool | None = None
    width: int | None = None
    prompt: str | None = None
    wimpy: int | None = None
    brief: bool | None = None


@frozen
class Quit:
    """The character leaves the game (saved, then disconnected)."""

    who: str
    farewell: Doc


@frozen
class AdminAction:
    """An admin command the hub carries out: ``kick`` (arg: name), ``shutdown`` (arg:
    seconds of countdown, or "cancel") or ``reload``. ``detail`` is the admin's reason."""

    action: str
    arg: str = ""
    by: str = ""
    detail: str = ""


@frozen
class SetBan:
    """Ban (or, with ``lift``, unban) a name (``kind`` 'name', ``value`` a name_key) or
    an address (``kind`` 'addr', ``value`` a network). ``seconds`` None: until lifted."""

    kind: str
    value: str
    seconds: float | None
    reason: str
    by: str
    lift: bool = False


@frozen
class Audit:
    """Record an admin action in the audit log (and the server log)."""

    by: str
    action: str
    target: str = ""
    detail: str = ""


@frozen
class StartFlow:
    """Begin an interactive input flow for the character (``password``, ``keys_add``)."""

    who: str
    flow: str
    arg: str = ""


@frozen
class RemoveKey:
    who: str
    fingerprint: str


@frozen
class ListKeys:
    who: str


@frozen
class AskNarration:
    """Ask the Dungeon Master to narrate; the engine has already decided ``outcome``."""

    who: str | None
    room: str
    kind: str
    text: str
    outcome: Outcome
    priority: Priority
    cacheable: bool = False
    npc_persona: str = ""
    shown: tuple[str, ...] = ()  # builder texts already shown verbatim (NarrationRequest.shown)
    # Keys of the characters acting together with ``who`` (a group walking in): the
    # narration is of all of them (NarrationRequest.party).
    party: tuple[str, ...] = ()
    # What the asker does, said of many ("complete The Missing Cartographer"): asks in
    # one room with the same ``together`` among the effects of one deed are one
    # narration of all their askers (``reactions.together``), so a group finishing a
    # quest at once reads it once. "": always a narration of its own.
    together: str = ""
    # For kind "talk": the NPC's emotes (NarrationRequest.npc_manner).
    npc_manner: tuple[str, ...] = ()
    # Keys of characters who read it whole when it ends, wherever they are then, if they
    # are not in ``room``: the fallen of a lost fight, carried out before it is told.
    readers: tuple[str, ...] = ()


@frozen
class Query:
    """A command that needs the hub's own data (tokens, dm status, usage)."""

    who: str
    what: str
    arg: str = ""


@frozen
class CharUpdate:
    """Set sheet fields on a character; a field left None is unchanged.

    Typed fields, one per sheet field the rules may set (``changed()`` names the ones
    set); the hub applies them through ``World.update_char``.
    """

    who: str
    cls: str | None = None
    level: int | None = None
    xp: int | None = None
    hp: int | None = None
    max_hp: int | None = None
    abilities: dict[str, int] | None = None
    gold: int | None = None
    equipment: dict[str, str] | None = None
    conditions: list[tuple[str, int]] | None = None
    quests: dict[str, int] | None = None
    revealed: list[str] | None = None
    hit_dice: int | None = None
    down: bool | None = None
    saves: tuple[int, int] | None = None
    add_deeds: tuple[str, ...] | None = None
    visited: list[str] | None = None
    powers_used: dict[str, int] | None = None

    def changed(self) -> frozenset[str]:
        """The names of the fields this update sets."""
        return frozenset(name for name in SHEET_UPDATE_FIELDS if getattr(self, name) is not None)


#: The sheet fields a ``CharUpdate`` may set, in the order ``World.update_char`` sets them.
SHEET_UPDATE_FIELDS = (
    "cls", "level", "xp", "hp", "max_hp", "abilities", "gold", "equipment", "conditions",
    "quests", "revealed", "hit_dice", "down", "saves", "add_deeds", "visited", "powers_used",
)  # fmt: skip


@frozen
class NpcUpdate:
    """Set fields on a live NPC; a field left None is unchanged (``World.update_npc``)."""

    npc: str
    hp: int | None = None
    alive: bool | None = None
    room: str | None = None
    respawn_at: float | None = None
    wary: bool | None = None
    emptied: bool | None = None
    grudges: tuple[str, ...] | None = None


@frozen
class Rolled:
    """A roll the engine made, for the roll log (and replay)."""

    reason: str
    expr: str
    dice: str
    total: int


@frozen
class SpawnItem:
    """Create an item instance from a template at ``dst`` (``room:<id>`` or ``char:<key>``).
    ``claim``: the keys of the players it is kept for (what a foe they felled left)
    until the monotonic time ``claim_until`` (``World.claims``)."""

    template: str
    dst: str
    equip: str = ""  # slot to equip it in (character destinations only)
    claim: tuple[str, ...] = ()
    claim_until: float = 0.0


@frozen
class DestroyItem:
    """Remove an item instance from the world (a potion drunk, a thing sold)."""

    item: str


@frozen
class SetFight:
    """Replace (or end, with None) the fight in a room."""

    room: str
    fight: Any


@frozen
class FightEvent:
    """A new event begins in the fight in ``room`` (an action, a join, a new fight).

    Narration asked for the room's earlier fight events and not yet shown is now late:
    the hub drops it rather than show it after this event's lines.
    """

    room: str


@frozen
class UseFeature:
    """Mark a room feature as used up (``once`` features)."""

    key: str


@frozen
class SetDoor:
    """Set the state of door ``door`` (its id: one door, seen from both sides)."""

    door: str
    closed: bool
    locked: bool


@frozen
class ForgetFeatures:
    """A reset: these shared ``once`` features (ids) may be found again."""

    keys: tuple[str, ...]


@frozen
class NoticeStrays:
    """A scheduled reset found these items (``(item id, room id)``) lying where no
    builder put them, and these NPCs (``(npc id, room id)``) brought away and left
    where a player stands beside them: the next scheduled reset tidies the items still
    lying there and takes home the NPCs still there, watched or not
    (``mud.engine.resets``)."""

    items: tuple[tuple[str, str], ...]
    npcs: tuple[tuple[str, str], ...] = ()


@frozen
class Gain:
    """Experience and gold earned: the engine's follow-up rules
    (``mud.engine.reactions``) turn it into a sheet update, the "+N XP" line (unless
    ``announce`` is false: a quest reward's "Quest complete" line already says it),
    level-ups, and quest progress for the ``defeated`` NPC ids."""

    who: str
    xp: int = 0
    gold: int = 0
    defeated: tuple[str, ...] = ()
    announce: bool = True


@frozen
class QuestEvents:
    """Things that happened to a character that quests may be waiting for:
    ``(kind, target)`` pairs such as ``("check", "pack:room:feature")``."""

    who: str
    events: tuple[tuple[str, str], ...]


@frozen
class Arrived:
    """A character has just walked into ``room`` (after its ``Move``, its quests and its
    scene): the engine's follow-up rules let hostile NPCs there react. The hub changes
    nothing for it."""

    who: str
    room: str


@frozen
class NpcArrived:
    """NPC ``npc`` has just wandered into ``room`` (after its ``NpcUpdate``): the
    engine's follow-up rules let it attack the players there if it is aggressive
    (``game.npc_aggression``). The hub changes nothing for it."""

    npc: str
    room: str


@frozen
class Then:
    """The rest of what ``who`` typed, ``line``, to run as a line of its own once the
    effects before this one are carried out: "get the key and unlock the door" is "get
    the key", then "unlock the door" with the key in hand. The engine's follow-up rules
    run it (``reactions.follow_ups``); the hub changes nothing for it. ``before``: the
    part done before it, as a line of the actor's own, for what "it" in ``line`` means
    ("*scoops up the potion* want it?": "scoop up the potion"; ``Ctx.recent``)."""

    who: str
    line: str
    before: str = field(default="", eq=False)  # context, not what is run


@frozen
class PartyUpdate:
    """Set (``value``) or clear (None) one entry of the world's party tables:
    ``following`` (follower -> leader), ``group`` (member -> leader), ``invite``
    (invitee -> leader), ``turn`` (a set of sharers -> whose turn the next odd coin is)
    or ``asks`` (leader -> who asked to join them); not persisted: ``offers`` (player
    -> "giver|item" offered in words), ``escorts`` (NPC -> the player bringing them),
    ``questions`` (player -> the player who last asked them aloud) and ``engaged``
    (NPC -> the wander turns it stays put for, having been spoken to)."""

    table: str
    key: str
    value: str | int | None


@frozen
class SetPose:
    """``who`` now sits, kneels or lies as ``pose`` says ("sitting by the fire"), or
    stands ("") (``mud.engine.poses``; ``World.set_pose``); ``beside`` is the key of the
    player the pose names ("sitting with Rowan"), "" for none."""

    who: str
    pose: str
    beside: str = ""


@frozen
class SetHidden:
    """``who`` is now hidden behind a stealth roll of ``score`` (``mud.engine.stealth``),
    or in plain sight again (0) (``World.set_hidden``)."""

    who: str
    score: int


@frozen
class SetAway:
    """``who`` is away from the keyboard with ``message``, or back ("")
    (``World.set_away``; never saved)."""

    who: str
    message: str


@frozen
class SetMissed:
    """What was said to ``who`` while they were away from the keyboard, to read when
    they are back (``lines``, plain text, oldest first; () once read; never saved)."""

    who: str
    lines: tuple[str, ...]


@frozen
class SetIgnoring:
    """``who`` ignores the players whose keys are ``keys`` (saved in ``Character.extra``;
    ``World.set_ignoring``)."""

    who: str
    keys: tuple[str, ...]


@frozen
class SetDescription:
    """``who``'s description, read by those who look at them ("" for none; saved in
    ``Character.extra``)."""

    who: str
    text: str


@frozen
class SetMuted:
    """``who`` is muted by the admin ``by`` until the wall time ``until`` (None: until
    lifted) for ``reason``; ``lift``: the mute is lifted (saved in ``Character.extra``;
    ``World.set_muted``, ``presence.muted``)."""

    who: str
    until: float | None
    by: str
    reason: str
    lift: bool = False


@frozen
class SetPronouns:
    """``who``'s pronouns: "she", "he", "they", or "" for none said (saved in
    ``Character.extra``; ``World.set_pronouns``)."""

    who: str
    pronouns: str


@frozen
class SetQuiet:
    """The channels ``who`` has turned off ("ooc"; saved in ``Character.extra``;
    ``World.set_quiet``)."""

    who: str
    channels: tuple[str, ...]


@frozen
class ChooseClass:
    """Ask the character to choose a class (interactive)."""

    who: str


Effect = (
    Tell
    | ToRoom
    | ToAll
    | Move
    | Transfer
    | LogChat
    | SetPrefs
    | Quit
    | AdminAction
    | SetBan
    | Audit
    | StartFlow
    | RemoveKey
    | ListKeys
    | AskNarration
    | Query
    | CharUpdate
    | NpcUpdate
    | Rolled
    | SpawnItem
    | DestroyItem
    | SetFight
    | FightEvent
    | PartyUpdate
    | SetPose
    | SetHidden
    | SetAway
    | SetMissed
    | SetDescription
    | SetPronouns
    | SetQuiet
    | SetMuted
    | SetIgnoring
    | UseFeature
    | ChooseClass
    | Gain
    | QuestEvents
    | Arrived
    | NpcArrived
    | Then
    | SetDoor
    | ForgetFeatures
    | NoticeStrays
)
