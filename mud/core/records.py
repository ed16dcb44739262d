"""Read records: the frozen values the store's read methods return.

They live in ``mud.core`` so that the hub, the DM and the CLI can use them without
importing the store layer. This module imports only attrs and the stdlib.

Invariants: every record is a frozen attrs value; JSON payloads stay JSON text (the
caller decodes what it needs); timestamps are wall-clock seconds; booleans stored as
SQLite integers are returned as ``bool``.
"""

from __future__ import annotations

from attrs import frozen


@frozen
class Account:
    """One account row. ``pw_hash`` is an scrypt hash, never a password."""

    name: str
    name_key: str
    pw_hash: str
    is_admin: bool
    created: float


@frozen
class SshKey:
    """One public key attached to an account."""

    name_key: str
    fingerprint: str
    key_text: str
    added: float


@frozen
class ChatLine:
    """One logged chat line."""

    ts: float
    room: str
    kind: str
    speaker: str
    target: str | None
    text: str


@frozen
class HistoryEntry:
    """One DM conversation turn of a room. ``role`` is 'user' or 'assistant'."""

    ts: float
    role: str
    content: str


@frozen
class UsageRow:
    """One token-usage row; ``day`` ('YYYY-MM-DD') and ``hour`` are UTC."""

    ts: float
    day: str
    hour: int
    actor: str | None
    room: str
    provider: str
    model: str
    kind: str
    prompt_tokens: int
    completion_tokens: int
    estimated: bool
    cost_usd: float
    calls: int = 1  # more than 1 for rows summed by retention (``usage_rollup``)
    # Of ``prompt_tokens``, how many the model server read anew; the rest came from its
    # prefix cache. The store gives every row one (the whole prompt where the provider
    # did not say); None, from elsewhere, means the same: read whole.
    prompt_read: int | None = None


@frozen
class UsageTotals:
    """Sums over a set of usage rows; ``calls`` is the row count."""

    prompt_tokens: int
    completion_tokens: int
    cost_usd: float
    calls: int


@frozen
class DmCallRecord:
    """One replay recording of a DM call; ``record`` is JSON text."""

    id: int
    ts: float
    request_id: int
    record: str


@frozen
class RollRecord:
    """One engine dice roll; ``dice`` is JSON text."""

    ts: float
    seq: int
    reason: str
    expr: str
    dice: str
    total: int


@frozen
class EventRecord:
    """One hub input event for replay; ``data`` is JSON text."""

    ts: float
    seq: int
    kind: str
    data: str


@frozen
class NarrationRecord:
    """One finished narration."""

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
class Ban:
    """An active ban: ``kind`` 'name' (a name_key) or 'addr' (an IP address or CIDR
    network); ``expires`` is wall-clock seconds, or None for a ban until lifted."""

    kind: str
    value: str
    reason: str
    by: str
    created: float
    expires: float | None


@frozen
class AuditEntry:
    """One admin action from the audit log."""

    ts: float
    actor: str
    action: str
    target: str
    detail: str
