"""Write operations: the values the hub, the DM and the CLI hand to the store's ``apply``.

They live in ``mud.core`` because ``mud.hub``, ``mud.dm`` and ``mud.store`` are sibling
layers that may not import each other. This module imports only attrs and the stdlib.

Invariants:
- Every op is a frozen attrs value whose fields are JSON-friendly (str, int, float,
  bool, None). JSON payloads (character state, world values, records) are passed as
  already-encoded ``str``; the store never re-encodes them.
- ``name_key`` is always the lowercased account name; producers compute it.
- Timestamps (``ts``, ``created``, ``updated``, ``added``) are wall-clock seconds
  (``Clock.wall()``).
- ``WriteOp`` is the closed union of every op; the store dispatches on it exhaustively.
- Every op class declares ``gates_output``: whether the hub must hold the output of the
  message that wrote it until the write is committed. State a player must see committed
  (accounts, keys, characters with their items, gold, HP and position, the world's
  floors, NPCs, doors, parties and generator) gates; logs and bookkeeping (chat,
  narration, DM history and usage, rolls, the replay log) do not: they are committed in
  order with, or soon after, the state changes around them, and a crash may lose the
  last second of them.
"""

from __future__ import annotations

from typing import ClassVar

from attrs import frozen


class StoreError(RuntimeError):
    """Raised by the store: a failed transaction, a refused or
    unreadable database, or a write that could not be queued within its deadline.

    Defined here (not in ``mud.store``) so that the hub, the DM and the CLI can catch it
    without importing the store layer.
    """


class StoreConflict(StoreError):
    """A write violated a constraint: a duplicate account, a character or key for an
    account that does not exist, a value outside its allowed set. Only the batch that
    contained the op fails; the message names the op type and the constraint."""


@frozen
class CreateAccount:
    """Insert a new account. Fails the batch if ``name_key`` already exists."""

    gates_output: ClassVar[bool] = True

    name: str
    name_key: str
    pw_hash: str
    is_admin: bool
    created: float


@frozen
class SetPassword:
    """Replace an account's scrypt password hash (no-op if the account is missing)."""

    gates_output: ClassVar[bool] = True

    name_key: str
    pw_hash: str


@frozen
class SetAdmin:
    """Grant or revoke admin rights (no-op if the account is missing)."""

    gates_output: ClassVar[bool] = True

    name_key: str
    is_admin: bool


@frozen
class PutCharacter:
    """Insert or replace a character's JSON state. The account must exist."""

    gates_output: ClassVar[bool] = True

    name_key: str
    state: str
    updated: float


@frozen
class AddSshKey:
    """Attach a public key to an account (replaces the same fingerprint)."""

    gates_output: ClassVar[bool] = True

    name_key: str
    fingerprint: str
    key_text: str
    added: float


@frozen
class RemoveSshKey:
    """Detach a public key from an account (no-op if absent)."""

    gates_output: ClassVar[bool] = True

    name_key: str
    fingerprint: str


@frozen
class PutWorld:
    """Insert or replace one world-state entry (JSON text)."""

    gates_output: ClassVar[bool] = True

    key: str
    value: str
    updated: float


@frozen
class DeleteWorld:
    """Remove one world-state entry (no-op if absent)."""

    gates_output: ClassVar[bool] = True

    key: str


@frozen
class PutParty:
    """Insert or replace one entry of the party tables (``mud.engine.party``): ``table``
    is ``following`` (follower -> the one followed), ``group`` (member -> leader),
    ``invite`` (invitee -> leader) or ``turn`` (a set of sharers -> whose turn the next
    odd coin is); ``value`` is JSON."""

    gates_output: ClassVar[bool] = True

    table: str
    key: str
    value: str
    updated: float


@frozen
class DeleteParty:
    """Remove one entry of the party tables (no-op if absent)."""

    gates_output: ClassVar[bool] = True

    table: str
    key: str


@frozen
class MarkLine:
    """Record that line ``seq`` of connection ``conn`` was applied to character ``key``
    (split mode: a restarted game tells the gateway which of its unacknowledged lines
    were applied). Stored as the world-state entry ``line:<key>``. It does not hold
    output back: a line whose output went out is known applied by the gateway anyway,
    and it commits with the line's own writes, which are the ones that must agree."""

    gates_output: ClassVar[bool] = False

    key: str
    conn: int
    seq: int
    updated: float


@frozen
class LogChat:
    """Append a chat line. ``kind`` is say/emote/tell/ooc/announce."""

    gates_output: ClassVar[bool] = False

    ts: float
    room: str
    kind: str
    speaker: str
    target: str | None
    text: str


@frozen
class LogNarration:
    """Append a finished narration. ``request_id`` is ``NarrationRequest.request_id``;
    ``actor`` is None for world-driven narration; ``stitched``/``degraded`` come from
    ``NarrationEnd``."""

    gates_output: ClassVar[bool] = False

    ts: float
    request_id: int
    room: str
    actor: str | None
    kind: str
    provider: str
    stitched: bool
    degraded: bool
    text: str


@frozen
class AppendHistory:
    """Append one DM conversation turn for a room. ``role`` is 'user' or 'assistant'."""

    gates_output: ClassVar[bool] = False

    room: str
    ts: float
    role: str
    content: str


@frozen
class TrimHistory:
    """Keep only the newest ``keep`` history entries of ``room`` (``keep`` >= 0)."""

    gates_output: ClassVar[bool] = False

    room: str
    keep: int


@frozen
class PutSummary:
    """Insert or replace a room's rolling DM summary."""

    gates_output: ClassVar[bool] = False

    room: str
    text: str
    updated: float


@frozen
class RecordUsage:
    """Append one token-usage row. The store derives ``day`` ('YYYY-MM-DD') and
    ``hour`` (0-23) from ``ts`` in UTC."""

    gates_output: ClassVar[bool] = False

    ts: float
    actor: str | None
    room: str
    provider: str
    model: str
    kind: str
    prompt_tokens: int
    completion_tokens: int
    estimated: bool
    cost_usd: float
    # Of ``prompt_tokens``, how many the server read anew (the rest came from its prefix
    # cache); None when the provider did not say.
    prompt_read: int | None = None


@frozen
class PutBudget:
    """Insert or replace one budget bookkeeping entry (JSON text)."""

    gates_output: ClassVar[bool] = False

    key: str
    value: str
    updated: float


@frozen
class RecordDmCall:
    """Append a replay recording of one DM call (``record`` is JSON text;
    ``request_id`` is ``NarrationRequest.request_id``)."""

    gates_output: ClassVar[bool] = False

    ts: float
    request_id: int
    record: str


@frozen
class LogRoll:
    """Append one engine dice roll (``dice`` is JSON text, e.g. "[3, 5]")."""

    gates_output: ClassVar[bool] = False

    ts: float
    seq: int
    reason: str
    expr: str
    dice: str
    total: int


@frozen
class LogEvent:
    """Append one hub input event for replay (``data`` is JSON text)."""

    gates_output: ClassVar[bool] = False

    ts: float
    seq: int
    kind: str
    data: str


@frozen
class AddBan:
    """Ban a name (``kind`` 'name', ``value`` a name_key) or an address (``kind``
    'addr', ``value`` an IP address or CIDR network). ``expires`` None: until lifted."""

    gates_output: ClassVar[bool] = True

    kind: str
    value: str
    reason: str
    by: str
    created: float
    expires: float | None


@frozen
class LiftBan:
    """Lift every active ban of ``kind``/``value`` (no-op if there is none)."""

    gates_output: ClassVar[bool] = True

    kind: str
    value: str
    lifted: float


@frozen
class LogAudit:
    """Append one admin action to the audit log (never a password or a hash)."""

    gates_output: ClassVar[bool] = True  # an admin action is acknowledged once it is on record

    ts: float
    actor: str
    action: str
    target: str
    detail: str


@frozen
class PruneLog:
    """Delete rows of a play log (``table`` one of ``mud.store.db.PRUNABLE``) with
    ``id <= max_id`` and ``ts < before``: one bounded batch of retention pruning."""

    gates_output: ClassVar[bool] = False

    table: str
    max_id: int
    before: float


@frozen
class RollupUsage:
    """Add token_usage rows with ``id <= max_id`` and ``ts < before`` into the hourly
    ``usage_rollup`` totals. Always paired with the ``PruneLog`` of the same rows, in
    the same batch, so a row is counted exactly once."""

    gates_output: ClassVar[bool] = False

    max_id: int
    before: float


@frozen
class TouchHealth:
    """Rewrite the health row: a write that proves the database accepts writes."""

    gates_output: ClassVar[bool] = False

    ts: float


WriteOp = (
    CreateAccount
    | SetPassword
    | SetAdmin
    | PutCharacter
    | AddSshKey
    | RemoveSshKey
    | PutWorld
    | MarkLine
    | DeleteWorld
    | PutParty
    | DeleteParty
    | LogChat
    | LogNarration
    | AppendHistory
    | TrimHistory
    | PutSummary
    | RecordUsage
    | PutBudget
    | RecordDmCall
    | LogRoll
    | LogEvent
    | AddBan
    | LiftBan
    | LogAudit
    | PruneLog
    | RollupUsage
    | TouchHealth
)
"""The closed union of every write operation the store's ``apply`` accepts."""
