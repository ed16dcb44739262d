"""Write operations: the values the hub, the DM and the CLI hand to ``StorePort.apply``.

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
"""

from __future__ import annotations

from attrs import frozen


class StoreError(RuntimeError):
    """Raised by ``StorePort`` implementations: a failed transaction, a refused or
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

    name: str
    name_key: str
    pw_hash: str
    is_admin: bool
    created: float


@frozen
class SetPassword:
    """Replace an account's scrypt password hash (no-op if the account is missing)."""

    name_key: str
    pw_hash: str


@frozen
class SetAdmin:
    """Grant or revoke admin rights (no-op if the account is missing)."""

    name_key: str
    is_admin: bool


@frozen
class PutCharacter:
    """Insert or replace a character's JSON state. The account must exist."""

    name_key: str
    state: str
    updated: float


@frozen
class AddSshKey:
    """Attach a public key to an account (replaces the same fingerprint)."""

    name_key: str
    fingerprint: str
    key_text: str
    added: float


@frozen
class RemoveSshKey:
    """Detach a public key from an account (no-op if absent)."""

    name_key: str
    fingerprint: str


@frozen
class PutWorld:
    """Insert or replace one world-state entry (JSON text)."""

    key: str
    value: str
    updated: float


@frozen
class DeleteWorld:
    """Remove one world-state entry (no-op if absent)."""

    key: str


@frozen
class LogChat:
    """Append a chat line. ``kind`` is say/emote/tell/ooc/announce."""

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

    room: str
    ts: float
    role: str
    content: str


@frozen
class TrimHistory:
    """Keep only the newest ``keep`` history entries of ``room`` (``keep`` >= 0)."""

    room: str
    keep: int


@frozen
class PutSummary:
    """Insert or replace a room's rolling DM summary."""

    room: str
    text: str
    updated: float


@frozen
class RecordUsage:
    """Append one token-usage row. The store derives ``day`` ('YYYY-MM-DD') and
    ``hour`` (0-23) from ``ts`` in UTC."""

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


@frozen
class PutBudget:
    """Insert or replace one budget bookkeeping entry (JSON text)."""

    key: str
    value: str
    updated: float


@frozen
class RecordDmCall:
    """Append a replay recording of one DM call (``record`` is JSON text;
    ``request_id`` is ``NarrationRequest.request_id``)."""

    ts: float
    request_id: int
    record: str


@frozen
class LogRoll:
    """Append one engine dice roll (``dice`` is JSON text, e.g. "[3, 5]")."""

    ts: float
    seq: int
    reason: str
    expr: str
    dice: str
    total: int


@frozen
class LogEvent:
    """Append one hub input event for replay (``data`` is JSON text)."""

    ts: float
    seq: int
    kind: str
    data: str


@frozen
class AddBan:
    """Ban a name (``kind`` 'name', ``value`` a name_key) or an address (``kind``
    'addr', ``value`` an IP address or CIDR network). ``expires`` None: until lifted."""

    kind: str
    value: str
    reason: str
    by: str
    created: float
    expires: float | None


@frozen
class LiftBan:
    """Lift every active ban of ``kind``/``value`` (no-op if there is none)."""

    kind: str
    value: str
    lifted: float


@frozen
class LogAudit:
    """Append one admin action to the audit log (never a password or a hash)."""

    ts: float
    actor: str
    action: str
    target: str
    detail: str


@frozen
class PruneLog:
    """Delete rows of a play log (``table`` one of ``mud.store.db.PRUNABLE``) with
    ``id <= max_id`` and ``ts < before``: one bounded batch of retention pruning."""

    table: str
    max_id: int
    before: float


@frozen
class RollupUsage:
    """Add token_usage rows with ``id <= max_id`` and ``ts < before`` into the hourly
    ``usage_rollup`` totals. Always paired with the ``PruneLog`` of the same rows, in
    the same batch, so a row is counted exactly once."""

    max_id: int
    before: float


@frozen
class TouchHealth:
    """Rewrite the health row: a write that proves the database accepts writes."""

    ts: float


WriteOp = (
    CreateAccount
    | SetPassword
    | SetAdmin
    | PutCharacter
    | AddSshKey
    | RemoveSshKey
    | PutWorld
    | DeleteWorld
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
"""The closed union of every write operation ``StorePort.apply`` accepts."""
