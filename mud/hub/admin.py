"""The hub's admin services as plain state: bans in force with their journal, the
shutdown countdown and the admin-refresh timer.

One job: keep what the hub knows about bans and scheduled shutdowns, and decide from the
clock values the hub passes in. Pure: no asyncio, no store, no sessions, no clock of its
own. The hub (``mud.hub.actor``) reads the store in the background, tells the players,
writes the ops and the audit rows; these objects only answer questions:

- ``BanList``: is this name or address banned at ``wall``, with what terms; make or lift
  a ban in memory (the hub writes the matching ops); merge a fresh read of the database
  with this hub's own recent changes (``merge_read``: a read that began before a change
  was committed must not undo it); forget changes whose commit failed (``undo``).
- ``ShutdownClock``: a scheduled shutdown, and on each tick whether to warn or to go.
- ``RefreshTimer``: when the admin flags and bans are due to be re-read, one read at a time.
"""

from __future__ import annotations

from collections.abc import Collection, Iterable
from datetime import UTC, datetime

from attrs import evolve, frozen

from mud.core.ops import AddBan, LiftBan, WriteOp
from mud.core.records import Ban, ChatLine
from mud.engine import admin as rules


def utc(ts: float) -> str:
    """'YYYY-MM-DD HH:MM' in UTC, for ban expiry notices."""
    return datetime.fromtimestamp(int(ts), tz=UTC).strftime("%Y-%m-%d %H:%M")


def ban_terms(ban: Ban) -> str:
    """' until 2026-12-01 09:00 UTC: spamming' (plain text, for the refused)."""
    until = ""
    if ban.expires is not None:
        until = f" until {utc(ban.expires)} UTC"
    return f"{until}: {ban.reason}"


@frozen
class BanChange:
    """A ban (or, with ``ban`` None, a lift) this hub made, until a read shows it.
    ``at``: the wall time it was made (the ``created``/``lifted`` of its write op)."""

    ban: Ban | None
    kind: str
    value: str
    reads_left: int = 5
    at: float = 0.0


def _compose(read: Iterable[Ban], journal: Iterable[BanChange]) -> list[Ban]:
    """The bans read from the database with ``journal``'s changes applied in order."""
    bans = list(read)
    for change in journal:
        bans = [b for b in bans if not (b.kind == change.kind and b.value == change.value)]
        if change.ban is not None:
            bans.append(change.ban)
    return bans


class BanList:
    """The bans in force as this hub knows them: the last read of the database with
    this hub's own changes since (the journal) on top; always ``bans == last read +
    journal``. The list is replaced whole on every change, so a reader on the event loop
    (the SSH door's check) sees one or the other."""

    __slots__ = ("bans", "journal", "read")

    def __init__(self, bans: Iterable[Ban] = ()) -> None:
        self.read: list[Ban] = list(bans)
        self.journal: list[BanChange] = []
        self.bans: list[Ban] = list(self.read)

    def banned(self, kind: str, value: str, wall: float) -> Ban | None:
        """The ban in force at ``wall`` on a name_key (kind 'name') or an address ('addr')."""
        for ban in self.bans:
            if ban.kind != kind or (ban.expires is not None and ban.expires <= wall):
                continue
            if kind == "name" and ban.value == value.lower():
                return ban
            if kind == "addr" and rules.address_matches(value, ban.value):
                return ban
        return None

    def has(self, kind: str, value: str) -> bool:
        """Whether a ban (expired or not) on exactly this target is held here."""
        return any(b.kind == kind and b.value == value for b in self.bans)

    def put(self, ban: Ban) -> None:
        """Put ``ban`` in force, replacing any earlier ban on the same target."""
        self._change(BanChange(ban, ban.kind, ban.value, at=ban.created))

    def lift(self, kind: str, value: str, at: float) -> None:
        """Lift the ban on a target (made at wall time ``at``)."""
        self._change(BanChange(None, kind, value, at=at))

    def _change(self, change: BanChange) -> None:
        self.journal.append(change)
        self.bans = _compose(self.bans, (change,))

    def merge_read(self, bans: Iterable[Ban]) -> None:
        """Take bans read from the database, with this hub's own recent changes put back
        on top: a read may have started before those were committed, and must not undo
        them. A change leaves the journal once a read shows it (or after a few reads, in
        case someone else changed that ban meanwhile)."""
        self.read = list(bans)
        seen_so_far = list(self.read)
        keep: list[BanChange] = []
        for change in self.journal:
            same = [b for b in seen_so_far if b.kind == change.kind and b.value == change.value]
            if change.ban is None:
                seen = not same
            else:
                seen = any(b.created == change.ban.created for b in same)
            seen_so_far = _compose(seen_so_far, (change,))
            if not seen and change.reads_left > 1:
                keep.append(evolve(change, reads_left=change.reads_left - 1))
        self.journal = keep
        self.bans = seen_so_far

    def undo(self, ops: Iterable[WriteOp]) -> bool:
        """The commit carrying ``ops`` failed, so the ban changes they wrote never
        happened: they leave the journal and the bans in force are recomputed from the
        last read and the changes that remain (a later read must not bring them back
        either). Returns True when a change was dropped."""
        failed: set[tuple[str, str, float, bool]] = set()
        for op in ops:
            match op:
                case AddBan():
                    failed.add((op.kind, op.value, op.created, True))
                case LiftBan():
                    failed.add((op.kind, op.value, op.lifted, False))
                case _:
                    pass
        keep = [c for c in self.journal if (c.kind, c.value, c.at, c.ban is not None) not in failed]
        if len(keep) == len(self.journal):
            return False
        self.journal = keep
        self.bans = _compose(self.read, keep)
        return True


class ShutdownClock:
    """A scheduled shutdown: its monotonic deadline, who asked, the warnings given."""

    __slots__ = ("at", "by", "warned")

    def __init__(self) -> None:
        self.at: float | None = None
        self.by = ""
        self.warned: set[float] = set()

    @property
    def scheduled(self) -> bool:
        return self.at is not None

    def schedule(self, now: float, seconds: float, by: str) -> None:
        """Go down ``seconds`` after ``now`` (``seconds`` > 0); the caller gives the first
        warning itself."""
        self.at = now + seconds
        self.by = by
        # Warnings for thresholds at or above the countdown would repeat the first notice.
        self.warned = {t for t in rules.SHUTDOWN_WARNINGS if t >= seconds}

    def cancel(self) -> bool:
        """Cancel the countdown; False when none was scheduled."""
        if self.at is None:
            return False
        self.at = None
        return True

    def tick(self, now: float) -> float | None:
        """Seconds left when a warning is due now; 0.0 when it is time to go down (the
        countdown is then over); None otherwise."""
        if self.at is None:
            return None
        remaining = self.at - now
        if remaining <= 0:
            self.at = None
            return 0.0
        due = [t for t in rules.SHUTDOWN_WARNINGS if t >= remaining and t not in self.warned]
        if not due:
            return None
        self.warned.update(due)
        return remaining


class RefreshTimer:
    """When admin flags and bans are next re-read (every ``every`` seconds), one at a time."""

    __slots__ = ("at", "every", "running")

    def __init__(self, every: float) -> None:
        self.every = every
        self.at: float | None = None
        self.running = False

    def due(self, now: float) -> bool:
        """True when a refresh should start now (the first tick starts one); the next one
        is then scheduled ``every`` seconds on. A refresh still running is not doubled:
        the caller checks ``begin``."""
        if self.at is None or now >= self.at:
            self.at = now + self.every
            return True
        return False

    def begin(self) -> bool:
        """Mark a read started; False when one is already running."""
        if self.running:
            return False
        self.running = True
        return True

    def done(self) -> None:
        """The read came back (or failed)."""
        self.running = False


def ban_span(seconds: float | None) -> str:
    """How long a new ban lasts, as the admin and the audit log are told: 'until lifted',
    'for 2 hours'."""
    return "until lifted" if seconds is None else f"for {rules.describe_duration(seconds)}"


def put_out_by_ban(
    kind: str,
    value: str,
    *,
    char: str | None,
    name: str,
    peer: str,
    hit_chars: Collection[str],
    replaying: bool,
) -> bool:
    """Whether a new ban puts out a connection (one not already closing).

    A name ban hits the connection bound to that character or logging in as that name.
    An address ban hits a player in the world only if listed in ``hit_chars`` (the
    non-admin characters playing from the network, decided once and recorded, since a
    replay has no addresses), and a connection still logging in if its address is in
    the network (never during a replay: it has no such connections)."""
    if kind == "name":
        return char == value or name.lower() == value
    if char is not None:
        return char in hit_chars
    return not replaying and rules.address_matches(peer, value)


def describe_ban(ban: Ban, wall: float) -> str:
    """One line of the ``bans`` list: '  addr 10.0.0.0/8  2 days left  by ann: spam'."""
    lasts = (
        "until lifted"
        if ban.expires is None
        else f"{rules.describe_remaining(ban.expires - wall)} left"
    )
    return f"  {ban.kind} {ban.value}  {lasts}  by {ban.by}: {ban.reason}"


def describe_report(report: ChatLine) -> str:
    """One line of a list of players' reports, as ``mud admin reports`` and the in-game
    ``reports`` show it: '2026-12-06 23:25:23  report Juno  hollowmere:common_room
    about Dax: keeps threatening me'."""
    when = datetime.fromtimestamp(int(report.ts), tz=UTC).strftime("%Y-%m-%d %H:%M:%S")
    about = f"about {report.target}: " if report.target else ""
    line = f"{when}  {report.kind:<6} {report.speaker:<16} {report.room:<32} {about}{report.text}"
    return line.rstrip()


__all__ = [
    "BanChange",
    "BanList",
    "RefreshTimer",
    "ShutdownClock",
    "ban_span",
    "ban_terms",
    "describe_ban",
    "describe_report",
    "put_out_by_ban",
    "utc",
]
