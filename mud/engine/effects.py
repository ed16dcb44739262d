"""Effects: what a command handler asks the hub to do.

Handlers are pure: they read the world and return a list of these frozen values; the
hub (the only mutator) carries them out in order. ``who`` fields are character keys
(lower-case names). Docs are rendered per viewer by each session.
"""

from __future__ import annotations

from attrs import frozen

from mud.core.narration import Outcome, Priority
from mud.core.outputs import Doc


@frozen
class Tell:
    """Send ``doc`` to one character (if connected)."""

    who: str
    doc: Doc


@frozen
class ToRoom:
    """Send ``doc`` to everyone in ``room`` except the characters in ``exclude``."""

    room: str
    doc: Doc
    exclude: tuple[str, ...] = ()


@frozen
class ToAll:
    """Send ``doc`` to every playing character (ooc, announcements)."""

    doc: Doc
    admins_only: bool = False


@frozen
class Move:
    """Move a character to ``to``. ``leave``/``arrive`` are shown to the rooms (others)."""

    who: str
    to: str
    leave: Doc
    arrive: Doc


@frozen
class Transfer:
    """Move an item instance. Locations are ``room:<room id>`` or ``char:<key>``."""

    item: str
    src: str
    dst: str


@frozen
class LogChat:
    """Record a line of chat in the chat log."""

    kind: str
    room: str
    speaker: str
    target: str | None
    text: str


@frozen
class SetPrefs:
    """Change a character's display preferences (None leaves one unchanged)."""

    who: str
    colour: bool | None = None
    screenreader: bool | None = None
    width: int | None = None


@frozen
class Quit:
    """The character leaves the game (saved, then disconnected)."""

    who: str
    farewell: Doc


@frozen
class AdminAction:
    """An admin command the hub carries out: ``kick``, ``shutdown`` or ``reload``."""

    action: str
    arg: str = ""
    by: str = ""


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


@frozen
class Query:
    """A command that needs the hub's own data (tokens, dm status, usage)."""

    who: str
    what: str
    arg: str = ""


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
    | StartFlow
    | RemoveKey
    | ListKeys
    | AskNarration
    | Query
)
