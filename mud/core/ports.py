"""Protocols: how the layers talk without knowing each other's classes.

Only ``mud.app`` knows the concrete classes that satisfy these. Each Protocol says who
calls it and when.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Protocol

from mud.core.events import AdapterEvent, TermInfo
from mud.core.narration import DmMessage, NarrationRequest, TokenReport
from mud.core.ops import WriteOp
from mud.core.outputs import Doc
from mud.core.records import (
    Account,
    Ban,
    ChatLine,
    HistoryEntry,
    SshKey,
)


class EventSink(Protocol):
    """The hub's inbox, as the adapters see it.

    Adapters call ``attach`` with a new session before posting its ``Connected``, then
    ``post`` for every event; ``post`` waits (bounded by the hub's inbox) and raises
    ``TimeoutError`` if the hub cannot accept within its deadline.
    """

    def attach(self, session: SessionPort) -> None: ...

    async def post(self, event: AdapterEvent) -> None: ...


class SessionPort(Protocol):
    """One connected client, as the hub sees it. Implemented in ``mud.net.session``.

    Every method is synchronous and never blocks: output is rendered for this client
    and appended to its bounded outbox, written by the session's own writer task. A
    session whose outbox overflows closes itself; the adapter then posts Disconnected.
    """

    conn: int

    @property
    def term(self) -> TermInfo: ...

    def send(self, doc: Doc) -> None:
        """Render ``doc`` for this client and queue it."""

    def stream(self, stream_id: int, text: str, *, style: str = "narr") -> None:
        """Append streamed text to a line-assembled stream (narration). Complete lines,
        wrapped at this client's width, are written as soon as they are complete."""

    def end_stream(self, stream_id: int) -> None:
        """Flush the partial last line of a stream (if any) and forget it."""

    def prompt(self, markup: str) -> None:
        """Show a prompt (not newline-terminated; telnet adds GA/EOR where agreed)."""

    def set_echo(self, echo: bool) -> None:
        """Turn the client's local echo on or off (off while a password is typed)."""

    def data(self, package: str, payload: object) -> None:
        """Structured out-of-band data for clients that want it (telnet GMCP packages
        such as ``Room.Info``, ``Char.Vitals``, ``Comm.Channel.Text``). ``payload`` is
        JSON-serialisable. The hub calls it only for connections whose door said the
        client wants GMCP (``GmcpChanged``); a session still drops, silently, a package
        its client did not subscribe to."""

    def set_prefs(
        self, *, colour: bool | None, screenreader: bool | None, width: int | None
    ) -> None:
        """Player overrides: colour on/off, screen reader on/off, fixed width (0 = auto)."""

    def bound(self, account: str) -> None:
        """The hub bound a character to this connection: it plays ``account`` now."""

    def ack(self, seq: int) -> None:
        """The hub has taken (and committed the writes of) line ``seq``; split mode only,
        where ``LineIn.seq`` is set: one process ignores it."""

    def close(self, farewell: Doc | None = None) -> None:
        """Write ``farewell`` (if any), flush what the client will take within a short
        deadline, then close the transport. Idempotent."""


class DungeonMaster(Protocol):
    """The DM actor, as the hub sees it. Implemented in ``mud.dm.actor``."""

    def submit(self, request: NarrationRequest) -> None:
        """Queue a request. Never blocks; a request that cannot be queued is answered
        with NarrationRejected or an offline narration through the sink."""

    def cancel_actor(self, actor: str) -> None:
        """The actor left the game: drop their queued requests and stop a narration in
        flight that nobody else can hear."""

    def cancel_room(self, room_id: str) -> None:
        """No player is left in the room: stop its narrations in flight."""

    def tokens(self, actor: str) -> TokenReport:
        """The actor's usage and limits, for the ``tokens`` command."""

    def status_lines(self) -> list[str]:
        """Plain text lines for the admin ``dm status`` command."""


class NarrationSink(Protocol):
    """Where the DM sends its messages (the hub's inbox). Awaits when the inbox is full."""

    async def post_dm(self, message: DmMessage) -> None: ...


class HubStore(Protocol):
    """Persistence as the hub sees it (``mud.hub``): its writes and the reads of login,
    start-up and resume. Implemented by ``mud.store.SqlStore`` (SQLite or PostgreSQL).

    ``apply`` commits a batch of write operations (``mud.core.ops``) in one transaction and
    returns once they are durable; it raises ``StoreError`` (a subclass of RuntimeError) on
    failure or when the writer cannot accept the batch within its deadline. Reads return
    records from ``mud.core.records`` or JSON text, and raise ``StoreError`` likewise.
    """

    async def apply(self, ops: Sequence[WriteOp]) -> None: ...

    async def get_account(self, name_key: str) -> Account | None: ...

    async def list_admins(self) -> list[str]: ...

    async def active_bans(self, now: float) -> list[Ban]: ...

    async def get_character(self, name_key: str) -> str | None: ...

    async def list_ssh_keys(self, name_key: str) -> list[SshKey]: ...

    async def load_world(self) -> dict[str, str]: ...

    async def get_world(self, key: str) -> str | None: ...

    async def load_party(self) -> list[tuple[str, str, str]]: ...

    async def recent_chat(self, limit: int, room: str | None = None) -> list[ChatLine]: ...

    async def player_reports(self, limit: int) -> list[ChatLine]: ...


class DmStore(Protocol):
    """Persistence as the DM actor (``mud.dm.actor``) sees it: its log and usage writes
    (``apply``, as ``HubStore.apply``), a room's history and summary for prompts, and the
    budget state it resumes from. Implemented by ``mud.store.SqlStore``."""

    async def apply(self, ops: Sequence[WriteOp]) -> None: ...

    async def history(self, room: str, limit: int) -> list[HistoryEntry]: ...

    async def summary(self, room: str) -> str | None: ...

    async def get_budget(self, key: str) -> str | None: ...
