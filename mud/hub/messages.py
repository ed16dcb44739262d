"""The messages the hub's inbox carries.

The hub's inbox takes exactly ``HubMessage``: events from the doors (``AdapterEvent``),
narration from the DM actor (``DmMessage``) and the messages below, which the hub's own
background jobs and timers post to it (a job never touches the world: it reports back
with one of these, and the hub applies it in turn). Every value is frozen.
"""

from __future__ import annotations

from attrs import frozen

from mud.core.events import AdapterEvent
from mud.core.narration import DmMessage
from mud.core.outputs import Doc
from mud.core.records import Account, Ban
from mud.world.model import Templates


@frozen
class AccountLooked:
    conn: int
    name: str
    account: Account | None
    # For a name no account has: the admins' names (a new one may not imitate them).
    admins: tuple[str, ...] = ()
    # For an account: the addresses its owner logged in from (``seen:<key>``, JSON).
    seen: str = ""


@frozen
class Verified:
    conn: int
    account: Account
    ok: bool
    # Set for a password attempt that LoginGate.begin let through (it must be ended,
    # even when the connection is gone), or that it refused (answered after a delay).
    peer: str = ""
    counted: bool = False
    throttled: bool = False
    seconds: float = -1.0
    purpose: str = "login"  # or "pw": the current password, in the change flow
    seen: str = ""  # a preauthorised login's: as AccountLooked.seen


@frozen
class Hashed:
    conn: int
    purpose: str  # "create" | "password"
    name: str
    pw_hash: str


@frozen
class NameTaken:
    conn: int


@frozen
class CharLoaded:
    """A character's saved state, read at login. ``resumed``: it came from the store,
    saved by an earlier run of the server; ``recent``: the last say/emote lines of its
    room then, oldest first, as (kind, speaker, target, text); target "" for a line said
    to no one in particular."""

    conn: int
    account: Account
    state: str | None
    resumed: bool = False
    recent: tuple[tuple[str, str, str, str], ...] = ()


@frozen
class Committed:
    error: str | None
    gated: bool = True


@frozen
class NotCreated:
    """An account could not be written (the store is failing)."""

    conn: int


@frozen
class JobResult:
    conn: int
    text: str
    error: bool = False
    doc: Doc | None = None  # shown as it is instead of ``text`` (a job's own document)


@frozen
class Reloaded:
    templates: Templates | None
    error: str
    by: str


@frozen
class Tick:
    pass


@frozen
class Refreshed:
    admins: frozenset[str]
    bans: tuple[Ban, ...]
    ok: bool = True


@frozen
class Shutdown:
    reason: str


@frozen
class ReloadRequested:
    reason: str
    # Set when the operator's configuration was refused: nothing is reloaded, and the
    # admins in the game read why (the players are not told of a reload that never was).
    refused: str = ""


#: What a background job or timer of the hub posts back to it.
InternalMessage = (
    AccountLooked
    | Verified
    | Hashed
    | NameTaken
    | CharLoaded
    | Committed
    | NotCreated
    | JobResult
    | Reloaded
    | Tick
    | Refreshed
    | Shutdown
    | ReloadRequested
)


#: Everything the hub's inbox takes (a closed union: ``Hub._handle`` matches each).
HubMessage = AdapterEvent | DmMessage | InternalMessage
