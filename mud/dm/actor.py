"""The Dungeon Master actor: the only producer of narration.

``mud.app`` builds one ``DmActor`` and runs ``run()`` in its task group; the hub calls
``submit``/``cancel_actor``/``tokens``/``status_lines`` (the ``DungeonMaster`` port) and
receives every message through the ``NarrationSink``.

Flow of one request: ``submit`` queues it (``RequestQueue``); the dispatcher starts a
worker when its actor and room are free and fewer than ``max_concurrent`` workers run;
the worker tries the cache, books the budget, builds the prompt, streams the provider
chain's text (sanitised, capped) to the sink, settles the budget, and writes usage,
budget state, the narration, the room history and a replay record to the store in one
batch.

Invariants:
- Every submitted request is answered exactly once through the sink: one
  ``NarrationStart``, then ``NarrationChunk``s (maybe a ``Thinking`` first), then one
  ``NarrationEnd``; or a single ``NarrationRejected``. Exceptions: requests coalesced or
  merged into another get nothing of their own (the other's narration covers them), and
  ``cancel_actor`` drops the leaving actor's waiting requests.
- When the offline narrator tells a narration that names players in their own words
  (one player's own deed heard by others, a fight's round: ``OfflineNarrator.mirror``),
  every chunk also says what each of them reads (``NarrationChunk.views``), whole
  sentences as soon as the room's are sent; what their telling does not cover (a cut,
  an ellipsis) is sent to them as the room read it before the end, so no one misses
  anything.
- One room's narrations never interleave (the queue allows one batch per room in
  flight); one batch per actor is in flight; at most ``max_concurrent`` model workers
  run (offline answers to timed-out requests are not counted: they need no provider).
- Chunk text passed ``mud.render.sanitize.StreamCleaner``; a narration is at most
  ``max_chars`` characters.
- Money is booked before a model is called and settled after (see ``mud.dm.budget``);
  a request over a limit runs offline only.
- No API key is ever handled here, so none can reach a record or a log.
- Every await has a deadline: sink posts (``post_timeout``), store calls
  (``store_timeout``), one narration (``turn_timeout``); the dispatcher's own waits are
  bounded by the next queue deadline or an idle tick. ``CancelledError`` is re-raised.
"""

from __future__ import annotations

import asyncio
import json
import logging
import re
from collections import deque
from collections.abc import AsyncGenerator, AsyncIterator, Awaitable, Callable, Coroutine, Sequence
from typing import Any, Protocol, TypeVar, runtime_checkable

from attrs import asdict, define, evolve, field

from mud.core.clock import Clock
from mud.core.narration import (
    DmMessage,
    DmNotice,
    NarrationChunk,
    NarrationEnd,
    NarrationRejected,
    NarrationRequest,
    NarrationStart,
    Thinking,
    TokenReport,
    npc_name,
)
from mud.core.ops import (
    AppendHistory,
    LogNarration,
    PutBudget,
    PutSummary,
    RecordDmCall,
    RecordUsage,
    TrimHistory,
    WriteOp,
)
from mud.core.ports import DmStore, NarrationSink
from mud.core.records import HistoryEntry
from mud.dm.budget import BUDGET_KEY, Budget, Charge, OverLimit, Reservation
from mud.dm.cache import CachedNarration, TtlCache, cache_key
from mud.dm.chain import ChainDone, ChainEvent, ChainFailure, ChainText, ChainUsage, ProviderHealth
from mud.dm.prompts import (
    PROMPT_VERSION,
    build_prompt,
    deeds_of,
    extractive_summary,
    prefix_prompt,
    turn_message,
    turns_in,
)
from mud.dm.providers.base import Prompt, Provider, Usage, estimate_tokens
from mud.dm.providers.offline import Mirror, Mirrors, thinking_line
from mud.dm.queue import Batch, RequestQueue
from mud.dm.settings import DmSettings
from mud.render.sanitize import StreamCleaner, clean

log = logging.getLogger(__name__)

T = TypeVar("T")

IDLE_TICK = 30.0  # the dispatcher re-checks at least this often even when idle
REPLY_BACKLOG = 1024  # rejections waiting for the dispatcher to post them
CACHE_PROVIDER = "cache"
THOUGHTS_KEPT = 1024  # rooms whose last "considers" line is remembered (not to repeat it)

MSG_QUEUE_FULL = (
    "The Dungeon Master has too much to narrate at once; what you did still happened, "
    "but it goes unnarrated."
)
MSG_TIMED_OUT = "The Dungeon Master could not get to that in time; what happened stands as shown."


class ChainLike(Protocol):
    """What the actor needs of ``mud.dm.chain.ProviderChain``."""

    def narrate(
        self,
        prompt: Prompt,
        request: NarrationRequest,
        *,
        admit: Callable[[Provider], bool] = ...,
        offline_only: bool = False,
        max_sentences: int = 4,
    ) -> AsyncIterator[ChainEvent]: ...

    def health(self) -> Sequence[ProviderHealth]: ...

    @property
    def degraded(self) -> bool: ...


@runtime_checkable
class SupportsMirror(Protocol):
    """A chain whose offline narrator tells how the players a narration names read it
    in their own words (``mud.dm.chain.ProviderChain`` does)."""

    def mirror(self, request: NarrationRequest) -> Mirrors: ...


@runtime_checkable
class SupportsPrewarm(Protocol):
    """A chain that can have its primary (local) provider read a prompt prefix ahead
    of the next narration (``mud.dm.chain.ProviderChain`` does)."""

    async def prewarm(self, prompt: Prompt) -> bool: ...


@define
class _PromptReads:
    """How much of its prompts a provider's server read anew (the rest was cached)."""

    calls: int = 0
    sent: int = 0
    read: int = 0
    last_sent: int = 0
    last_read: int = 0

    def add(self, usage: Usage) -> None:
        assert usage.prompt_read is not None
        self.calls += 1
        self.sent += usage.prompt_tokens
        self.read += usage.prompt_read
        self.last_sent, self.last_read = usage.prompt_tokens, usage.prompt_read

    def line(self, provider: str) -> str:
        cached = 1 - self.read / self.sent if self.sent else 0.0
        return (
            f"DM prompt tokens read by {provider}: last call {self.last_read} of "
            f"{self.last_sent}; {self.read} of {self.sent} over {self.calls} calls "
            f"({cached:.0%} from its prefix cache)"
        )


@define
class _Run:
    """Mutable state of one narration, owned by its worker."""

    batch: Batch
    started: float
    offline_reason: str | None = None
    cache: str = "off"  # off | hit | miss
    reservation: Reservation | None = None
    prompt: Prompt | None = None
    text: list[str] = field(factory=list)
    chunks: list[tuple[float, str]] = field(factory=list)
    by_provider: dict[str, list[str]] = field(factory=dict)
    usages: list[tuple[str, str, Usage]] = field(factory=list)
    failures: list[ChainFailure] = field(factory=list)
    done: ChainDone | None = None
    truncated: bool = False
    timed_out: bool = False
    thinking: bool = False
    posted_start: bool = False
    posted_end: bool = False
    text_at_admit: int = 0
    admits: int = 0
    listeners: set[str] = field(factory=set)  # who can still hear it (empty = unknown)
    consumer: asyncio.Future[None] | None = None  # the task reading the chain
    abandoned: bool = False  # cancelled: nobody is left to hear it
    first_text: float | None = None  # seconds from the start to the chain's first text
    # The offline narrator's telling as each player it names reads it ("You ..."):
    # by name, its (room's sentence, theirs) pairs, how many of them were sent, and the
    # text sent. ``mirrored``: the narrator was asked (once, before any text went out).
    mirrored: bool = False
    twins: dict[str, Mirror] = field(factory=dict)
    own_told: dict[str, int] = field(factory=dict)
    own: dict[str, list[str]] = field(factory=dict)
    turn: str | None = None  # the prompt's turn message: the room's history entry for it
    # A model's answer to a talk is the NPC's words: shown as theirs ('Bessa Thorn adds,
    # "..."'), the quotation closed at the end. ``spoken``: decided at its first words.
    spoken: bool = False
    quoted: bool = False
    held: str = ""  # its first words, until it is clear whether the model quoted anyone
    unquoted: bool = False  # the quotation was closed before the narrator's ending

    @property
    def sent(self) -> str:
        return "".join(self.text)


class DmActor:
    """The DM actor. Satisfies ``mud.core.ports.DungeonMaster``.

    ``sleep`` is used for every clock-based wait (queue deadlines, the Thinking delay)
    so tests can drive time with a fake clock; production passes ``asyncio.sleep``.
    """

    def __init__(
        self,
        settings: DmSettings,
        chain: ChainLike,
        sink: NarrationSink,
        store: DmStore,
        clock: Clock,
        *,
        sleep: Callable[[float], Awaitable[None]] = asyncio.sleep,
    ) -> None:
        self._s = settings
        self._chain = chain
        self._sink = sink
        self._store = store
        self._clock = clock
        self._sleep = sleep
        self._queue = RequestQueue(settings)
        self._budget = Budget(settings, clock)
        self._cache: TtlCache[CachedNarration] = TtlCache(
            clock, ttl=settings.cache_ttl, size=settings.cache_size
        )
        self._wake = asyncio.Event()
        self._replies: deque[DmMessage] = deque()
        self._tg: asyncio.TaskGroup | None = None
        self._workers: set[asyncio.Task[None]] = set()
        self._fallbacks: set[asyncio.Task[None]] = set()
        self._exchanges: dict[str, int] = {}
        self._offline_counts: dict[str, int] = {}
        self._cut = 0
        self._lost_posts = 0
        self._abandoned = 0
        self._flights: dict[int, _Run] = {}  # request id -> narration in flight
        # Per provider, over the calls whose server said how much of the prompt it read
        # anew (llama.cpp's timings.prompt_n, OpenAI's cached_tokens): calls, prompt
        # tokens sent, tokens read anew, and the last call's sent and read.
        self._prompt_reads: dict[str, _PromptReads] = {}
        self._thought: dict[str, str] = {}  # room -> its last "considers" line
        self._prewarms: set[asyncio.Task[bool]] = set()  # prefix-cache warm-ups running

    # ---- the DungeonMaster port -----------------------------------------------------

    def submit(self, request: NarrationRequest) -> None:
        """Queue ``request`` (never blocks). A request that does not fit, or one evicted
        by a more urgent one, is answered with NarrationRejected."""
        res = self._queue.offer(request, self._clock.monotonic())
        if res.status == "rejected":
            self._reject(request, MSG_QUEUE_FULL)
        for evicted in res.evicted:
            self._reject(evicted, MSG_QUEUE_FULL)
        self._wake.set()

    def cancel_actor(self, actor: str) -> None:
        """The actor left the game: drop their waiting requests, and stop any narration
        in flight that nobody is left to hear (its provider stream is closed at once)."""
        self._queue.cancel_actor(actor)
        for run in list(self._flights.values()):
            if actor in run.listeners:
                run.listeners.discard(actor)
                if not run.listeners:
                    self._abandon(run, f"{actor} was its last listener")
        self._wake.set()

    def cancel_room(self, room_id: str) -> None:
        """Nobody is left in ``room_id`` (called by the hub when its last player walks
        out or disconnects): stop the narrations in flight there."""
        for run in list(self._flights.values()):
            if run.batch.request.room.room_id == room_id:
                self._abandon(run, "the room is empty")

    def _abandon(self, run: _Run, why: str) -> None:
        if run.abandoned:
            return
        run.abandoned = True
        self._abandoned += 1
        log.info("DM narration %d cancelled: %s", run.batch.request.request_id, why)
        if run.consumer is not None:
            run.consumer.cancel()

    def tokens(self, actor: str) -> TokenReport:
        """The actor's usage today and the server's daily spend and budget."""
        return self._budget.report(actor)

    def status_lines(self) -> list[str]:
        """Queue, cache, provider health, degraded mode and budget, for ``dm status``."""
        s = self._s
        q = self._queue.stats()
        c = self._cache.stats()
        lines = [
            f"DM queue: high {q.depth[0]}/{s.high_size}, medium {q.depth[1]}/{s.medium_size}, "
            f"low {q.depth[2]}/{s.low_size} (total {sum(q.depth)}/{s.total_size}); "
            f"in flight {len(self._workers)}/{s.max_concurrent}",
            "DM waits (high/medium/low): mean "
            + "/".join(f"{w:.1f}" for w in q.waits_mean)
            + " s, max "
            + "/".join(f"{w:.1f}" for w in q.waits_max)
            + " s",
            f"DM requests: served {q.served}, timeouts {q.timeouts}, coalesced {q.coalesced}, "
            f"merged {q.merged}, rejected {q.rejected}, evicted {q.evicted}, "
            f"cancelled {q.cancelled}, cut at length {self._cut}, "
            f"abandoned mid-stream {self._abandoned}",
            "DM wait by player: "
            + (
                ", ".join(
                    f"{a} {w:.1f} s" + (" (waiting)" if waiting else "")
                    for a, w, waiting in self._queue.actor_waits(self._clock.monotonic())[:20]
                )
                or "none"
            ),
            "DM offline-only: "
            + (", ".join(f"{k} {v}" for k, v in sorted(self._offline_counts.items())) or "none"),
            f"DM cache: {c.size}/{s.cache_size} entries, hits {c.hits}, misses {c.misses}, "
            f"evictions {c.evictions}, expired {c.expired}",
        ]
        for h in self._chain.health():
            lines.append(
                f"DM provider {h.name} ({h.model}): {h.state}"
                + (f" for {h.cooldown_remaining:.0f} s" if h.state == "cooling" else "")
                + f", {h.consecutive_failures} consecutive failures, "
                f"failure rate {h.failure_rate:.0%}, {h.successes} ok / {h.failures} failed"
            )
        for provider, reads in sorted(self._prompt_reads.items()):
            lines.append(reads.line(provider))
        lines.append(f"DM degraded mode: {'yes' if self._chain.degraded else 'no'}")
        spent = self._budget.spent_today
        limit = s.daily_budget_usd
        pct = f" ({spent / limit:.0%})" if limit > 0 else ""
        lines.append(
            f"DM budget: ${spent:.4f} spent today of ${limit:.2f}{pct}, "
            f"${self._budget.reserved:.4f} reserved"
        )
        if self._lost_posts:
            lines.append(f"DM messages lost (hub inbox stuck): {self._lost_posts}")
        return lines

    def gauges(self) -> dict[str, float]:
        """Numbers for ``mud.metrics``: queue depth per priority, requests in flight,
        the primary provider's name (as ``primary:<name>`` = 1), spend today and the
        daily budget in dollars (0: none), and per provider whose server reports it the
        prompt tokens sent and read anew since start (``prompt_sent:<name>``,
        ``prompt_read:<name>``; the difference came from the server's prefix cache)."""
        q = self._queue.stats()
        health = self._chain.health()
        primary = health[0].name if health else "offline"
        return {
            "queue_high": float(q.depth[0]),
            "queue_medium": float(q.depth[1]),
            "queue_low": float(q.depth[2]),
            "in_flight": float(len(self._workers)),
            f"primary:{primary}": 1.0,
            "spent_today_usd": float(self._budget.spent_today),
            "budget_usd": float(self._s.daily_budget_usd),
            **{f"prompt_sent:{p}": float(r.sent) for p, r in self._prompt_reads.items()},
            **{f"prompt_read:{p}": float(r.read) for p, r in self._prompt_reads.items()},
        }

    # ---- life cycle -----------------------------------------------------------------

    async def load_state(self) -> None:
        """Restore budget state saved before a restart. Call once before ``run``.

        Raises what the store raises (StoreError, TimeoutError); an unreadable saved
        state is logged and ignored (the day starts afresh).
        """
        async with asyncio.timeout(self._s.store_timeout):
            raw = await self._store.get_budget(BUDGET_KEY)
        if raw is None:
            return
        try:
            self._budget.restore(json.loads(raw))
        except ValueError:
            log.warning("DM budget state unreadable; starting the day afresh", exc_info=True)

    async def run(self) -> None:
        """Dispatch until cancelled. Workers live in this method's TaskGroup, so they
        are cancelled with it. Re-raises CancelledError."""
        async with asyncio.TaskGroup() as tg:
            self._tg = tg
            try:
                await self._dispatch()
            finally:
                self._tg = None

    async def _dispatch(self) -> None:
        while True:
            self._wake.clear()
            now = self._clock.monotonic()
            expired = self._queue.expire(now)
            for batch in expired.offline:
                self._start(batch, self._fallbacks)
            for request in expired.rejected:
                self._reject(request, MSG_TIMED_OUT)
            while len(self._workers) < self._s.max_concurrent:
                taken = self._queue.take(now)
                if taken is None:
                    break
                self._start(taken, self._workers)
            held: list[DmMessage] = []
            while self._replies:
                reply = self._replies.popleft()
                if isinstance(reply, NarrationRejected) and self._narrating(reply.room_id):
                    # Said now, it would land in the middle of the room's narration
                    # ("...it's not a story about the / The Dungeon Master could not get
                    # to that in time / game, but..."): it waits for that one's end.
                    held.append(reply)
                    continue
                await self._post(reply)
            self._replies.extend(held)
            if self._wake.is_set():
                continue
            deadline = self._queue.next_deadline()
            delay = IDLE_TICK if deadline is None else max(0.0, deadline - now)
            await self._wait_wake(min(delay, IDLE_TICK))

    def _narrating(self, room_id: str) -> bool:
        """Is a narration streaming to ``room_id`` (started, not ended)?"""
        return any(
            run.posted_start and not run.posted_end and run.batch.request.room.room_id == room_id
            for run in self._flights.values()
        )

    async def _wait_wake(self, delay: float) -> None:
        """Wait until woken or ``delay`` clock seconds pass (whichever is first)."""
        waiter = asyncio.ensure_future(self._wake.wait())
        sleeper = asyncio.ensure_future(self._sleep(delay))
        try:
            await asyncio.wait({waiter, sleeper}, return_when=asyncio.FIRST_COMPLETED)
        finally:
            waiter.cancel()
            sleeper.cancel()
            await asyncio.gather(waiter, sleeper, return_exceptions=True)

    def _start(self, batch: Batch, pool: set[asyncio.Task[None]]) -> None:
        if self._tg is None:  # not running: cannot happen from the dispatcher
            self._queue.done(batch)
            return
        task = self._tg.create_task(self._worker(batch))
        pool.add(task)

        def finished(t: asyncio.Task[None]) -> None:
            pool.discard(t)
            self._wake.set()

        task.add_done_callback(finished)

    def _reject(self, request: NarrationRequest, message: str) -> None:
        if len(self._replies) >= REPLY_BACKLOG:
            log.error("DM rejection backlog full; request %d unanswered", request.request_id)
            return
        self._replies.append(
            NarrationRejected(request.request_id, request.room.room_id, request.actor, message)
        )
        self._wake.set()

    async def _post(self, message: DmMessage) -> None:
        try:
            async with asyncio.timeout(self._s.post_timeout):
                await self._sink.post_dm(message)
        except TimeoutError:
            self._lost_posts += 1
            log.error("DM could not hand a %s to the hub in time", type(message).__name__)

    async def _store_call(self, what: str, call: Coroutine[Any, Any, T], default: T) -> T:
        try:
            async with asyncio.timeout(self._s.store_timeout):
                return await call
        except asyncio.CancelledError:
            raise
        except Exception:
            log.warning("DM store %s failed", what, exc_info=True)
            return default

    # ---- one narration --------------------------------------------------------------

    async def _worker(self, batch: Batch) -> None:
        """Narrate one batch. Never raises (except CancelledError): a bug here must not
        take the other rooms' narrations down with it."""
        run = _Run(batch, self._clock.monotonic())
        if batch.request.audience:
            run.listeners = set(batch.request.audience) | set(batch.actors)
        self._flights[batch.request.request_id] = run
        try:
            if batch.offline:
                run.offline_reason = "queue timeout"
            if await self._try_cache(run):
                return
            if batch.offline or not self._chain.health():
                # Only the offline narrator will answer and it reads no prompt: skip
                # fetching and cleaning the room's history for it.
                history: list[HistoryEntry] = []
                summary: str | None = None
            else:
                history, summary = await self._context(batch.request)
            window = self._history_window(batch.request.room.room_id)
            run.prompt = build_prompt(
                batch.request,
                history=history,
                summary=summary,
                max_tokens=self._s.max_tokens,
                members=batch.members,
                repeats=batch.repeats,
                temperature=self._s.temperature,
                exchanges=window,
                text_cap=self._s.player_text_cap,
            )
            run.turn = self._turn(batch, history, window)
            notices = self._book(run)
            for notice in notices:
                await self._post(notice)
            await self._post_start(run)
            await self._stream(run)
            await self._finish(run, history, summary)
        except asyncio.CancelledError:
            raise
        except Exception:
            log.exception("DM narration %d failed", batch.request.request_id)
            if run.reservation is not None and not run.reservation.settled:
                self._budget.settle(run.reservation, run.usages)
            await self._post_start(run)
            await self._post_end(run, ChainDone("error", stitched=False, degraded=True))
        finally:
            self._flights.pop(batch.request.request_id, None)
            self._queue.done(batch)
            self._wake.set()

    async def _post_start(self, run: _Run) -> None:
        if not run.posted_start:
            run.posted_start = True
            req = run.batch.request
            await self._post(
                NarrationStart(req.request_id, req.room.room_id, req.actor, req.kind, req.audience)
            )

    async def _post_end(self, run: _Run, done: ChainDone) -> None:
        if not run.posted_end:
            run.posted_end = True
            req = run.batch.request
            await self._post(
                NarrationEnd(
                    req.request_id, req.room.room_id, done.provider, done.stitched, done.degraded
                )
            )

    async def _try_cache(self, run: _Run) -> bool:
        """Replay a cached narration; True when it did."""
        req = run.batch.request
        label = self._primary()
        if not req.cacheable or run.offline_reason or label is None or len(run.batch.members) > 1:
            return False
        key = cache_key(label, PROMPT_VERSION, req)
        hearers = _hearers(run)
        # Not replayed to anyone who has heard it: walking back into a room in the same
        # state replayed its scene word for word to the same players (bench/
        # dm_quality.py counted them as repeated sentences); a fresh one is asked for.
        hit = self._cache.get(key, lambda cached: not cached.heard & hearers)
        if hit is None:
            run.cache = "miss"
            return False
        run.cache = "hit"
        self._cache.update(key, evolve(hit, heard=hit.heard | hearers))
        await self._post_start(run)
        for piece in _word_groups(hit.text):
            run.text.append(piece)
            run.chunks.append((self._clock.monotonic() - run.started, piece))
            await self._post(NarrationChunk(req.request_id, req.room.room_id, piece))
        run.done = ChainDone(CACHE_PROVIDER, stitched=False, degraded=False)
        await self._post_end(run, run.done)
        history, summary = await self._context(req)
        await self._finish(run, history, summary)
        return True

    def _turn(self, batch: Batch, history: Sequence[HistoryEntry], window: int) -> str:
        """The turn message of ``batch``'s prompt (``build_prompt`` makes the same from
        the same history): kept as the room's history entry, the next prompt in the room
        starts with this one's, so a prefix cache reads only the next turn."""
        return turn_message(
            batch.request,
            history=turns_in(history, window),
            members=batch.members,
            repeats=batch.repeats,
            text_cap=self._s.player_text_cap,
        )

    async def _context(self, request: NarrationRequest) -> tuple[list[HistoryEntry], str | None]:
        room = request.room.room_id
        empty: list[HistoryEntry] = []
        history = await self._store_call(
            "history read", self._store.history(room, 2 * self._s.history_exchanges), empty
        )
        summary = await self._store_call("summary read", self._store.summary(room), None)
        return history, summary

    def _book(self, run: _Run) -> list[DmNotice]:
        """Decide offline-only and book the budget. Returns notices to send first."""
        if run.offline_reason is not None or run.prompt is None:
            return []
        req = run.batch.request
        res = self._budget.reserve(
            req.actor, run.prompt.approx_tokens(), self._s.max_tokens, self._models()
        )
        if isinstance(res, OverLimit):
            run.offline_reason = f"budget ({res.cap})"
            return list(res.notices)
        if not self._budget.allow_call(req.actor, req.room.room_id):
            self._budget.settle(res, [])
            run.offline_reason = "rate limit"
            return []
        run.reservation = res
        return []

    def _count_offline(self, reason: str) -> None:
        """Count a narration (or its continuation) the offline narrator told, and why,
        for ``dm status``."""
        self._offline_counts[reason] = self._offline_counts.get(reason, 0) + 1

    def _admit(self, run: _Run) -> Callable[[Provider], bool]:
        """The chain's gate before each paid attempt: the provider's rate limit, and a
        fresh budget booking when text already went out (a continuation)."""

        def admit(provider: Provider) -> bool:
            if provider.offline:
                return True
            if run.reservation is None or run.prompt is None:
                return False
            if not self._budget.admit_provider(provider.name):
                self._count_offline("provider rate limit")
                return False
            sent = len(run.sent)
            if run.admits > 0 and sent > run.text_at_admit:
                extra = run.prompt.approx_tokens() + estimate_tokens(run.sent)
                if not self._budget.extend(
                    run.reservation, extra, self._s.max_tokens, [provider.model]
                ):
                    self._count_offline("budget (continuation)")
                    return False
            run.admits += 1
            run.text_at_admit = sent
            return True

        return admit

    async def _stream(self, run: _Run) -> None:
        assert run.prompt is not None
        cleaner = StreamCleaner()
        thinker = asyncio.ensure_future(self._think_later(run))
        offline_only = run.offline_reason is not None
        if offline_only:
            assert run.offline_reason is not None
            self._count_offline(run.offline_reason)
        # The chain is read in a child task so that a narration nobody is left to hear
        # can be stopped (``_abandon``) without cancelling this worker, which still
        # settles the budget and writes the record.
        consumer = asyncio.ensure_future(self._consume(run, cleaner, thinker, offline_only))
        run.consumer = consumer
        if run.abandoned:
            consumer.cancel()
        try:
            await asyncio.wait({consumer})
        except asyncio.CancelledError:
            consumer.cancel()
            await asyncio.gather(consumer, return_exceptions=True)
            raise
        finally:
            run.consumer = None
            thinker.cancel()
            await asyncio.gather(thinker, return_exceptions=True)
        if not consumer.cancelled():
            consumer.result()  # re-raise a bug
        if run.abandoned:
            if run.done is None:
                run.done = ChainDone("cancelled", stitched=False, degraded=False)
            self._estimate_missing_usage(run)
            return
        if run.held.strip() and not run.truncated:
            # The answer ended (or its time did) while its first words were held.
            await self._speaker(run, "", None, final=True)
            await self._emit(run, cleaner.feed(run.held), None)
        run.held = ""
        if not run.truncated:
            await self._emit(run, cleaner.flush(), None)
        if run.quoted:
            if not _ENDED.search(run.sent):
                await self._emit(run, "…", None)  # cut off mid-sentence, inside the quote
                run.truncated = True
            await self._emit(run, '"', None)
        if run.done is not None and run.done.cut:
            run.truncated = True  # ended at the token limit (the chain marked it)
        if run.sent.strip() and not _ENDED.search(run.sent):
            # Stopped mid-sentence (the turn deadline, a model that stopped without a
            # sentence end): mark it as cut off rather than leave the room with half a
            # word.
            await self._emit(run, "…", None)
            run.truncated = True
        if run.truncated:
            self._cut += 1
        if not run.sent.strip() and not offline_only:
            # Nothing usable arrived (a turn timeout): let the offline narrator answer.
            await self._offline_rescue(run, cleaner)
        self._estimate_missing_usage(run)

    async def _consume(
        self,
        run: _Run,
        cleaner: StreamCleaner,
        thinker: asyncio.Future[None],
        offline_only: bool,
    ) -> None:
        """Read the chain's events into ``run`` and post the text (until the turn deadline)."""
        req = run.batch.request
        assert run.prompt is not None
        try:
            async with asyncio.timeout(self._s.turn_timeout):
                events = self._chain.narrate(
                    run.prompt,
                    req,
                    admit=self._admit(run),
                    offline_only=offline_only,
                    max_sentences=self._sentences_for(req),
                )
                try:
                    async for event in events:
                        if isinstance(event, ChainText):
                            if run.first_text is None:
                                run.first_text = self._clock.monotonic() - run.started
                            run.by_provider.setdefault(event.provider, []).append(event.text)
                            self._twin_for(run)
                            text = event.text
                            if run.quoted and event.provider == self._s.offline_provider:
                                # Stitched after the model failed mid-answer: the
                                # narrator's ending is not the speaker's words.
                                await self._unquote(run, cleaner, thinker)
                                run.unquoted = True
                            if run.unquoted:
                                # Its ellipsis for a sentence cut off went inside the quote.
                                text = text.lstrip(" …")
                                if not text:
                                    continue
                                text, run.unquoted = " " + text, False
                            if not run.spoken:
                                run.held += text
                                if not run.held.strip():
                                    continue
                                if not await self._speaker(run, event.provider, thinker):
                                    continue
                                text, run.held = run.held, ""
                            await self._emit(run, cleaner.feed(text), thinker)
                            if run.truncated:
                                break  # closing the stream stops the provider call
                        elif isinstance(event, ChainUsage):
                            run.usages.append((event.provider, event.model, event.usage))
                        elif isinstance(event, ChainFailure):
                            run.failures.append(event)
                        elif isinstance(event, ChainDone):
                            run.done = event
                finally:
                    await _close(events)
        except TimeoutError:
            run.timed_out = True
            log.warning("DM narration %d ran past its turn deadline", req.request_id)

    def _history_window(self, room: str) -> int:
        """How many past engine outcomes go into the prompt: those since the room's last
        summary refresh, so the history only grows between refreshes and a prefix cache
        keeps it (after a restart, when that is unknown, the configured maximum)."""
        every = self._s.summary_every
        n = self._exchanges.get(room)
        if n is None:
            return min(self._s.history_exchanges, every)
        return min(self._s.history_exchanges, n % every)

    def _sentences_for(self, request: NarrationRequest) -> int:
        """The most sentences a narration of ``request`` may have (the pack's setting;
        a direct answer or an NPC's reply is kept shorter)."""
        most = self._s.max_sentences
        return min(most, 3) if request.kind in ("talk", "ask") else most

    async def _offline_rescue(self, run: _Run, cleaner: StreamCleaner) -> None:
        assert run.prompt is not None
        try:
            async with asyncio.timeout(self._s.post_timeout):
                events = self._chain.narrate(
                    run.prompt,
                    run.batch.request,
                    offline_only=True,
                    max_sentences=self._sentences_for(run.batch.request),
                )
                try:
                    async for event in events:
                        if isinstance(event, ChainText):
                            run.by_provider.setdefault(event.provider, []).append(event.text)
                            self._twin_for(run)
                            await self._emit(run, cleaner.feed(event.text), None)
                        elif isinstance(event, ChainUsage):
                            run.usages.append((event.provider, event.model, event.usage))
                        elif isinstance(event, ChainDone):
                            run.done = ChainDone(event.provider, stitched=False, degraded=True)
                finally:
                    await _close(events)
            await self._emit(run, cleaner.flush(), None)
        except TimeoutError:
            log.error("DM offline rescue of %d timed out", run.batch.request.request_id)

    async def _speaker(
        self,
        run: _Run,
        provider: str,
        thinker: asyncio.Future[None] | None,
        *,
        final: bool = False,
    ) -> bool:
        """Decide how the first words of an answer (``run.held``, from ``provider``)
        are shown; returns False while that cannot be told yet (hold more). For a
        model's answer to a talk: who says them, and the quotation opened ('Bessa Thorn
        adds, "'; "says" when nothing of theirs was shown first). Played: a model's
        answer read as a paragraph of speech with no speaker after Bessa's own line
        ("That's a very special night."). Not when the words open with a quotation mark
        or the speaker's name, or quote anyone before the first sentence is over and
        the next begun (a model that narrates anyway: 'She leans in. "She went out at
        night."', which read inside a quotation of its own), nor for the offline
        narrator, whose talk is how the NPC carries themself, not speech. ``final``:
        the answer ended while held (a one-sentence answer is speech)."""
        req = run.batch.request
        speaker = npc_name(req)
        words = run.held.lstrip()
        if not speaker or provider == self._s.offline_provider:
            run.spoken = True
            return True
        if words[:1] in _QUOTE_MARKS or words.startswith(speaker.split()[0]):
            run.spoken = True
            return True
        quotes = _QUOTES_IN.search(words) is not None
        if not (quotes or final or _NEXT_SENTENCE.search(words) or len(words) >= _HOLD_MOST):
            return False
        run.spoken = True
        if quotes:
            return True
        run.quoted = True
        verb = "adds" if req.shown else "says"
        await self._emit(run, f'{speaker} {verb}, "', thinker)
        return True

    async def _unquote(
        self, run: _Run, cleaner: StreamCleaner, thinker: asyncio.Future[None] | None
    ) -> None:
        """Close the speaker's quotation before text that is not theirs (the offline
        narrator's ending after a model failed mid-answer): cut off mid-sentence, it
        ends with "…"."""
        await self._emit(run, cleaner.flush(), thinker)
        if not _ENDED.search(run.sent):
            await self._emit(run, "…", thinker)
        await self._emit(run, '"', thinker)
        run.quoted = False

    async def _emit(self, run: _Run, text: str, thinker: asyncio.Future[None] | None) -> None:
        """Post cleaned ``text`` as a chunk, cut to the length cap."""
        if not text:
            return
        room = run.batch.request.room.room_id
        left = self._s.max_chars - len(run.sent)
        if len(text) > left:
            text = _cut(text, left)
            run.truncated = True
        if not text:
            return
        if thinker is not None:
            thinker.cancel()
        run.text.append(text)
        run.chunks.append((round(self._clock.monotonic() - run.started, 4), text))
        views = tuple((name, self._own_due(run, name)) for name in run.twins)
        await self._post(NarrationChunk(run.batch.request.request_id, room, text, views))

    def _twin_for(self, run: _Run) -> None:
        """Called as each piece of text arrives: while everything so far came from the
        offline narrator and nothing has been sent, ask it (``SupportsMirror``) how the
        players it names read it, so they read "You ..." where the others read their
        names. Not for a merged narration of several actors."""
        if run.mirrored or run.text or not isinstance(self._chain, SupportsMirror):
            return
        if set(run.by_provider) != {self._s.offline_provider}:
            return
        run.mirrored = True
        req = run.batch.request
        if run.batch.actors in ((), (req.actor,)):
            run.twins = dict(self._chain.mirror(req))

    def _own_due(self, run: _Run, name: str, *, final: bool = False) -> str:
        """What player ``name`` is now due: their telling's sentences whose room
        sentences have all been sent, not sent to them yet. ``final``: the narration is
        over, and whatever was sent beyond their telling (a cut, an ending it does not
        have) is added as the room read it, so they miss nothing."""
        twin = run.twins[name]
        sent = " ".join(run.sent.split())
        told = done = run.own_told.get(name, 0)
        prefix = " ".join(room for room, _ in twin[:told])
        while done < len(twin):
            longer = f"{prefix} {twin[done][0]}".lstrip()
            if not sent.startswith(longer):
                break
            prefix = longer
            done += 1
        run.own_told[name] = done
        pieces = [own for _, own in twin[told:done]]
        if final and sent[len(prefix) :].strip():
            pieces.append(sent[len(prefix) :].strip())
        own = run.own.setdefault(name, [])
        text = _cut(clean(" ".join(pieces)), self._s.max_chars - len("".join(own)))
        if text and own:
            text = " " + text
        if text:
            own.append(text)
        return text

    async def _think_later(self, run: _Run) -> None:
        await self._sleep(self._s.thinking_after)
        if not run.text:
            run.thinking = True
            req = run.batch.request
            room = req.room.room_id
            text = thinking_line(req, avoid=self._thought.pop(room, ""))
            self._thought[room] = text
            if len(self._thought) > THOUGHTS_KEPT:
                del self._thought[next(iter(self._thought))]
            await self._post(Thinking(req.request_id, room, text))

    def _estimate_missing_usage(self, run: _Run) -> None:
        """Providers that sent text but no usage (we stopped early): estimate it."""
        reported = {p for p, _, _ in run.usages}
        models = {h.name: h.model for h in self._chain.health()}
        for provider, pieces in run.by_provider.items():
            if provider in reported:
                continue
            prompt_tokens = (
                0
                if provider == self._s.offline_provider
                else (run.prompt.approx_tokens() if run.prompt else 0)
            )
            usage = Usage(prompt_tokens, estimate_tokens("".join(pieces)), estimated=True)
            run.usages.append((provider, models.get(provider, "unknown"), usage))

    async def _finish(
        self,
        run: _Run,
        history: Sequence[HistoryEntry],
        summary: str | None,
    ) -> None:
        """End the narration, settle the budget, write everything, send alerts."""
        req = run.batch.request
        room = req.room.room_id
        done = run.done or ChainDone("unknown", stitched=False, degraded=True)
        degraded = done.degraded or run.timed_out
        if run.twins and not run.posted_end:
            rests = tuple((name, self._own_due(run, name, final=True)) for name in run.twins)
            if any(text for _, text in rests):
                await self._post(NarrationChunk(req.request_id, room, "", rests))
        await self._post_end(run, ChainDone(done.provider, done.stitched, degraded))
        if run.reservation is not None:
            settled = self._budget.settle(run.reservation, run.usages, room=room, kind=req.kind)
        else:
            settled = self._budget.charge(req.actor, room, req.kind, run.usages)
        for provider, _model, usage in run.usages:
            if usage.prompt_read is not None and not usage.estimated:
                self._prompt_reads.setdefault(provider, _PromptReads()).add(usage)
        text = run.sent
        wall = self._clock.wall()
        refreshed: str | None = None  # the room's new summary, when this made one
        ops: list[WriteOp] = [
            RecordUsage(
                wall,
                req.actor,
                room,
                c.provider,
                c.model,
                req.kind,
                c.prompt_tokens,
                c.completion_tokens,
                c.estimated,
                c.cost_usd,
                c.prompt_read,
            )
            for c in settled.charges
        ]
        if settled.charges or run.reservation is not None:
            ops.append(PutBudget(BUDGET_KEY, json.dumps(self._budget.snapshot()), wall))
        ops.append(
            LogNarration(
                wall,
                req.request_id,
                room,
                req.actor,
                req.kind,
                done.provider,
                done.stitched,
                degraded,
                text,
            )
        )
        if text.strip():
            user = run.turn
            if user is None:  # a cached narration: no prompt was built
                user = self._turn(run.batch, history, self._history_window(room))
            ops.append(AppendHistory(room, wall, "user", user))
            ops.append(AppendHistory(room, wall, "assistant", text))
            ops.append(TrimHistory(room, self._s.history_keep))
            n = self._exchanges[room] = self._exchanges.get(room, 0) + 1
            if n % self._s.summary_every == 0:
                # Made after the narration went out (never between an action and its
                # narration), from the engine outcomes since the last refresh: the
                # model's prose is not fed back.
                outcomes = [
                    HistoryEntry(h.ts, h.role, deeds_of(h.content))
                    for h in history
                    if h.role != "assistant"
                ]
                since = (
                    outcomes[-(self._s.summary_every - 1) :] if self._s.summary_every > 1 else []
                )
                recent = [*since, HistoryEntry(wall, "user", deeds_of(user))]
                new_summary = extractive_summary(
                    summary, recent, self._s.summary_chars, role="user"
                )
                ops.append(PutSummary(room, new_summary, wall))
                refreshed = new_summary
        ops.append(RecordDmCall(wall, req.request_id, self._record(run, settled.charges, done)))
        await self._store_call("write", self._store.apply(ops), None)
        if refreshed is not None:
            self._prewarm(req, refreshed)
        self._maybe_cache(run, done, degraded)
        for notice in settled.notices:
            await self._post(notice)

    def _prewarm(self, request: NarrationRequest, summary: str) -> None:
        """The room's summary was just refreshed (after its narration went out): have a
        local model read the new prefix (system, room, summary) now, in the background,
        rather than on the room's next action (a few hundred tokens: seconds on a small
        CPU). The task belongs to ``run``'s task group; the chain decides whether the
        primary provider wants it."""
        chain = self._chain
        if self._tg is None or not isinstance(chain, SupportsPrewarm):
            return
        prefix = prefix_prompt(
            build_prompt(
                request,
                history=[],
                summary=summary,
                max_tokens=1,
                exchanges=0,
                text_cap=self._s.player_text_cap,
            )
        )
        if prefix is None:
            return
        task = self._tg.create_task(_quietly(chain.prewarm(prefix)))
        self._prewarms.add(task)
        task.add_done_callback(self._prewarms.discard)

    def _maybe_cache(self, run: _Run, done: ChainDone, degraded: bool) -> None:
        req = run.batch.request
        label = self._primary()
        if (
            run.cache == "miss"
            and label is not None
            and done.provider == label
            and not (done.stitched or degraded or run.truncated or run.offline_reason)
            and run.sent.strip()
        ):
            self._cache.put(
                cache_key(label, PROMPT_VERSION, req),
                CachedNarration(run.sent, done.provider, heard=_hearers(run)),
            )

    def _record(self, run: _Run, charges: Sequence[Charge], done: ChainDone) -> str:
        """The replay record of one DM call (JSON). Holds no secrets: nothing here ever
        sees an API key."""
        batch = run.batch
        prompt = run.prompt
        record: dict[str, Any] = {
            "request": asdict(batch.request),
            "members": [m.request_id for m in batch.members],
            "repeats": batch.repeats,
            "waited": round(batch.waited, 4),
            # Where the time to the first words went: the queue wait (``waited``), then
            # from the worker's start to the chain's first (filtered) text and to the
            # first chunk handed to the hub.
            "timing": {
                "first_text": None if run.first_text is None else round(run.first_text, 4),
                "first_chunk": run.chunks[0][0] if run.chunks else None,
            },
            "params": {
                "models": self._models(),
                "max_tokens": prompt.max_tokens if prompt else self._s.max_tokens,
                "temperature": prompt.temperature if prompt else self._s.temperature,
                "prompt_version": PROMPT_VERSION,
            },
            "messages": [asdict(m) for m in prompt.messages] if prompt else [],
            "offline_reason": run.offline_reason,
            "cache": run.cache,
            "providers": list(run.by_provider) or ([done.provider] if run.cache == "hit" else []),
            "chunks": [[t, c] for t, c in run.chunks],
            "usage": [asdict(c) for c in charges],
            "prompt_read": [
                [p, u.prompt_tokens, u.prompt_read]
                for p, _m, u in run.usages
                if u.prompt_read is not None
            ],
            "failures": [asdict(f) for f in run.failures],
            "provider": done.provider,
            "stitched": done.stitched,
            "degraded": done.degraded or run.timed_out,
            "truncated": run.truncated,
            "thinking": run.thinking,
            "text": run.sent,
        }
        return json.dumps(record, ensure_ascii=False)

    def _models(self) -> list[str]:
        return [h.model for h in self._chain.health() if h.name != self._s.offline_provider]

    def _primary(self) -> str | None:
        for h in self._chain.health():
            if h.name != self._s.offline_provider:
                return h.name
        return None


async def _quietly(call: Awaitable[bool]) -> bool:
    """``call``'s result, or False when it raised: a warm-up is an optimisation, and a
    task of the actor's group that raised would stop the whole group."""
    try:
        return await call
    except asyncio.CancelledError:
        raise
    except Exception:
        log.exception("DM prefix warm-up failed")
        return False


async def _close(events: AsyncIterator[ChainEvent]) -> None:
    """Close a chain stream we stop reading (an async generator has ``aclose``)."""
    if isinstance(events, AsyncGenerator):
        await events.aclose()


_WORDS = re.compile(r"\s*\S+\s*")
#: Marks a model's answer may open its own quotation with.
_QUOTE_MARKS = "\"'“‘«"
_ENDED = re.compile(r"[.!?…][\"'”’»)]*\s*$")
# Double quotation marks anywhere in a held answer (not the apostrophe of "She's"):
# the model quoted someone, so its answer is narration, shown as it came.
_QUOTES_IN = re.compile(r"[\"“”«»„「」]")
# A sentence ended and the next one begun: a held talk answer can be told by then.
_NEXT_SENTENCE = re.compile(r"[.!?…][\"'”’»)]*\s+\S")
_HOLD_MOST = 240
"""The most characters of a talk answer held before it is shown (no sentence end)."""


def _hearers(run: _Run) -> frozenset[str]:
    """Who hears ``run``'s narration (case folded): its request's audience and actors."""
    req = run.batch.request
    names = (*req.audience, *run.batch.actors, *([req.actor] if req.actor else []))
    return frozenset(name.casefold() for name in names)


def _word_groups(text: str, size: int = 5) -> list[str]:
    """``text`` in groups of ``size`` words, whitespace kept (cache replay chunks)."""
    words = _WORDS.findall(text)
    return ["".join(words[i : i + size]) for i in range(0, len(words), size)]


def _cut(text: str, limit: int) -> str:
    """At most ``limit`` characters of ``text``, cut at a word boundary with an ellipsis."""
    if limit <= 0:
        return ""
    if len(text) <= limit:
        return text
    head = text[: limit - 1]
    space = head.rfind(" ")
    if space > limit // 2:
        head = head[:space]
    return head.rstrip() + "…"
