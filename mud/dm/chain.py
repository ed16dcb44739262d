"""The provider chain: retries, failover, circuit breakers and the offline fallback.

The DM actor calls ``ProviderChain.narrate`` once per narration and forwards what it
yields. The chain tries the configured providers in order and always produces a
narration: when every provider fails, the offline narrator answers.

Invariants:
- ``narrate`` yields exactly one ``ChainDone``, last (unless the consumer stops early).
- Text once yielded is never taken back. After a failure mid-stream the chain makes one
  continuation attempt on the next available provider, then the offline narrator's
  ``close_scene`` finishes the text; ``stitched`` is True whenever more than one
  provider contributed text.
- Every failed attempt yields one ``ChainFailure``; every attempt that produced text
  yields one ``ChainUsage`` (provider-reported, else estimated).
- Backoff sleeps never extend past the turn's latency budget (measured on ``clock``);
  when the budget is spent, the chain goes straight to the offline narrator.
- Breaker state is per chain instance (no globals) and changes only in this module. A
  breaker in the "probing" state lets exactly one request through.
- A provider that can be probed (``SupportsProbe``) is never probed with a player's
  request: when its breaker opens, a background task owned by the chain probes it,
  first after ``probe_interval`` seconds and then twice as long after each failed
  probe up to ``probe_most``, and closes the breaker as soon as it answers (one failure
  then re-opens it). ``aclose`` cancels these tasks.
- A request that timed out is never sent again unchanged: the retry gets a shorter
  prompt (older history dropped), or the chain moves on to the next tier.
- Every provider failure, breaker opening and recovery is logged (no keys: messages
  come from ``ProviderError``, which is scrubbed).
- A model's fresh answer is shown only once its words are about the scene
  (``mud.dm.grounding``); one that is not is dropped unseen and the next tier answers
  (``ChainFailure`` with code ``off_topic``; the breaker does not count it).
- Where it is vetted (``vet``: the ``local`` tier by default), a model's fresh answer is
  shown a whole sentence at a time, each found fit first (``mud.dm.vetting``): the
  first unfit sentence ends the answer there, and an answer whose first sentence is
  unfit is dropped unseen and the next tier answers (code ``unfit``; not a breaker
  failure either). The vetted text is the attempt's own filtered text (the
  ``NarrationFilter`` run twice leaves it as it was), so a label the filter strips
  never makes a sentence unfit.
"""

from __future__ import annotations

import asyncio
import functools
import logging
from collections import deque
from collections.abc import AsyncGenerator, AsyncIterator, Awaitable, Callable, Sequence
from contextlib import aclosing
from typing import Literal

from attrs import frozen

from mud.core.clock import Clock
from mud.core.narration import NarrationRequest
from mud.dm.grounding import Grounding, Verdict
from mud.dm.providers.base import (
    ChatMessage,
    Finish,
    Prompt,
    Provider,
    ProviderError,
    SupportsAclose,
    SupportsPrewarm,
    SupportsProbe,
    Usage,
    estimate_tokens,
)
from mud.dm.providers.offline import Mirrors, OfflineNarrator, chunk_words
from mud.dm.textfilter import NarrationFilter
from mud.dm.vetting import Vetting
from mud.logs import log_event
from mud.render.sanitize import StreamCleaner

CONTINUE_INSTRUCTION = (
    "Your previous reply was cut off. Continue it seamlessly from exactly where it stops, "
    "even mid-word or mid-sentence. Do not repeat anything already written and do not "
    "comment on the interruption; output only the continuation."
)
log = logging.getLogger(__name__)

#: ``ProviderError.code`` of an answer the grounding gate found not about the scene.
OFF_TOPIC = "off_topic"
#: ``ProviderError.code`` of an answer whose first sentence vetting found unfit.
UNFIT = "unfit"
#: Answers dropped unseen though their provider is up: no breaker failure, usage as sent.
_UNSHOWN = frozenset({OFF_TOPIC, UNFIT})

_MIN_SAMPLES = 5  # the failure-rate rule needs at least this many samples in the window
_MIN_CONTINUATION_TOKENS = 40


@frozen
class ChainText:
    """A piece of narration text from ``provider`` (not yet sanitised)."""

    text: str
    provider: str


@frozen
class ChainUsage:
    """Tokens used by one attempt that produced text."""

    provider: str
    model: str
    usage: Usage


@frozen
class ChainFailure:
    """One failed attempt, for logs and the call record. ``detail`` never holds a key."""

    provider: str
    category: str
    detail: str
    status: int | None


@frozen
class ChainDone:
    """The narration is complete. ``provider`` is who finished it; ``cut`` is True when
    the answer hit the token limit and was ended at its last full sentence."""

    provider: str
    stitched: bool
    degraded: bool
    cut: bool = False


ChainEvent = ChainText | ChainUsage | ChainFailure | ChainDone


@frozen
class _Limit:
    """Internal: the provider stopped at its token limit (``Finish("length")``)."""

    provider: str


@frozen
class HealthConfig:
    """Circuit-breaker settings: open after ``failure_threshold`` consecutive failures, or
    when the failure rate over the last ``window`` attempts exceeds ``max_failure_rate``
    (with at least five samples); stay open for ``cooldown`` seconds."""

    failure_threshold: int = 3
    window: int = 20
    max_failure_rate: float = 0.5
    cooldown: float = 30.0
    probe_interval: float = 1.0  # first background probe period while open (probe-able)
    # Each failed probe doubles the period, up to this: a revoked key or a server gone
    # for the night was probed every second for as long as it lasted (86,400 requests
    # and log lines a day, played by an operator).
    probe_most: float = 60.0


@frozen
class ProviderHealth:
    """A provider's breaker, for ``dm status``."""

    name: str
    model: str
    state: Literal["ok", "cooling", "probing"]
    consecutive_failures: int
    failure_rate: float
    cooldown_remaining: float
    successes: int
    failures: int


def next_probe(interval: float, most: float) -> float:
    """The background probe's period after one more failed probe: doubled, at most
    ``most`` (and never below ``interval`` when ``most`` is smaller). Pure."""
    return max(interval, min(interval * 2, most))


class _Breaker:
    """Mutable health of one provider; owned by one ProviderChain."""

    def __init__(self, config: HealthConfig) -> None:
        self.config = config
        self.recent: deque[bool] = deque(maxlen=max(1, config.window))  # True = failure
        self.consecutive = 0
        self.successes = 0
        self.failures = 0
        self.open_until: float | None = None  # None = closed
        self.probing = False
        self.background = False  # a background task probes; players never do

    def rate(self) -> float:
        return sum(self.recent) / len(self.recent) if self.recent else 0.0

    def state(self, now: float) -> Literal["ok", "cooling", "probing"]:
        if self.probing:
            return "probing"
        return "ok" if self.open_until is None else "cooling"

    def remaining(self, now: float) -> float:
        return 0.0 if self.open_until is None else max(0.0, self.open_until - now)

    def available(self, now: float) -> bool:
        """May a new request use this provider now? (A cooled-down breaker allows one probe,
        unless a background task does the probing.)"""
        if self.probing:
            return False
        if self.background:
            return self.open_until is None
        return self.open_until is None or now >= self.open_until

    def acquire(self, now: float) -> bool:
        """Take the provider for one request; True when this request is the probe."""
        if self.background:
            return False
        if self.open_until is not None and now >= self.open_until:
            self.probing = True
            return True
        return False

    def release_probe(self) -> None:
        """A probe ended without a verdict (cancelled, refused): let another request probe."""
        self.probing = False

    def success(self) -> None:
        self.successes += 1
        self.consecutive = 0
        self.recent.append(False)
        if self.probing or self.open_until is not None:
            # Closing after a probe: start with a clean slate so old failures in the
            # window do not re-open the breaker at once.
            self.recent.clear()
        self.probing = False
        self.open_until = None

    def failure(self, now: float) -> bool:
        """Count a failure; True when this failure opened the breaker."""
        self.failures += 1
        self.consecutive += 1
        self.recent.append(True)
        too_many = self.consecutive >= self.config.failure_threshold
        too_often = len(self.recent) >= _MIN_SAMPLES and self.rate() > self.config.max_failure_rate
        was_closed = self.open_until is None
        if self.probing or too_many or too_often:
            self.open_until = now + self.config.cooldown
        self.probing = False
        return was_closed and self.open_until is not None

    def recovered(self) -> None:
        """A background probe got an answer: close, but one failure re-opens it."""
        self.open_until = None
        self.probing = False
        self.background = False
        self.recent.clear()
        self.consecutive = max(0, self.config.failure_threshold - 1)


def _always(provider: Provider) -> bool:
    return True


def continuation_prompt(prompt: Prompt, sent: str) -> Prompt:
    """``prompt`` extended to continue ``sent`` (the text already shown to players)."""
    messages = (
        *prompt.messages,
        ChatMessage("assistant", sent),
        ChatMessage("user", CONTINUE_INSTRUCTION),
    )
    budget = max(_MIN_CONTINUATION_TOKENS, prompt.max_tokens - estimate_tokens(sent))
    return Prompt(
        messages=messages,
        max_tokens=budget,
        temperature=prompt.temperature,
        prompt_version=prompt.prompt_version,
    )


async def _close(iterator: AsyncIterator[str | Finish | Usage]) -> None:
    if isinstance(iterator, AsyncGenerator):
        await iterator.aclose()


class _Attempt:
    """The outcome of streaming one provider once (filled in while it runs)."""

    def __init__(self) -> None:
        self.text: list[str] = []
        self.usage: Usage | None = None
        self.error: ProviderError | None = None
        self.limit = False

    @property
    def sent(self) -> str:
        return "".join(self.text)


class ProviderChain:
    """Tries providers in order with retries, breakers and an offline fallback.

    Created by ``mud.app``; ``narrate`` is called by the DM actor. ``sleep`` and
    ``jitter`` are injected (tests record sleeps instead of waiting; the app passes
    ``asyncio.sleep`` and the seeded RNG's ``random``). ``turn_budget`` is the latency
    budget in seconds for one narration, measured on ``clock``. ``grounding``: hold a
    model's fresh answer until it is about the scene (``mud.dm.grounding``; the app
    passes ``DmSettings.grounding``, on unless the operator turns it off). ``vet``: which
    providers' fresh answers are shown a fit sentence at a time (``mud.dm.vetting``):
    ``local`` (the provider named ``local``: the chain's tier for a model the operator
    serves, small ones included), ``all`` or ``off``.
    """

    def __init__(
        self,
        providers: Sequence[Provider],
        offline: OfflineNarrator,
        *,
        clock: Clock,
        sleep: Callable[[float], Awaitable[None]],
        jitter: Callable[[], float],
        health: HealthConfig = HealthConfig(),
        turn_budget: float = 20.0,
        base_backoff: float = 0.5,
        max_attempts_per_provider: int = 3,
        grounding: bool = False,
        vet: str = "off",
    ) -> None:
        self._providers = list(providers)
        self._grounding = grounding
        self._vet = vet
        self._offline = offline
        self._clock = clock
        self._sleep = sleep
        self._jitter = jitter
        self._health_config = health
        self._breakers = [_Breaker(health) for _ in self._providers]
        self._turn_budget = turn_budget
        self._base_backoff = base_backoff
        self._max_attempts = max(1, max_attempts_per_provider)
        self._probes: dict[int, asyncio.Task[None]] = {}

    # -- public API ------------------------------------------------------------------------

    def health(self) -> list[ProviderHealth]:
        """The breaker of every configured provider, in chain order."""
        now = self._clock.monotonic()
        return [
            ProviderHealth(
                name=p.name,
                model=p.model,
                state=b.state(now),
                consecutive_failures=b.consecutive,
                failure_rate=b.rate(),
                cooldown_remaining=b.remaining(now),
                successes=b.successes,
                failures=b.failures,
            )
            for p, b in zip(self._providers, self._breakers, strict=True)
        ]

    @property
    def degraded(self) -> bool:
        """True when no model provider can take a new request now: every non-offline
        provider is cooling (or has its single probe in flight), or none is configured."""
        now = self._clock.monotonic()
        live = [b for p, b in zip(self._providers, self._breakers, strict=True) if not p.offline]
        return not any(b.available(now) for b in live)

    async def aclose(self) -> None:
        """Stop the background probes and close every provider that holds connections."""
        probes = list(self._probes.values())
        self._probes.clear()
        for task in probes:
            task.cancel()
        await asyncio.gather(*probes, return_exceptions=True)
        for provider in self._providers:
            if isinstance(provider, SupportsAclose):
                await provider.aclose()

    async def prewarm(self, prompt: Prompt) -> bool:
        """Have the provider the next narration would go to read ``prompt`` (a prefix:
        ``max_tokens`` 1) into its prefix cache, when it supports that
        (``SupportsPrewarm``: a local model) and its breaker is closed. Called by the DM
        actor in the background after a room's summary changed. Returns whether it was
        read; never raises (except ``CancelledError``) and never counts as a success or
        failure of the provider."""
        now = self._clock.monotonic()
        for provider, breaker in zip(self._providers, self._breakers, strict=True):
            if provider.offline or not breaker.available(now):
                continue
            if not isinstance(provider, SupportsPrewarm):
                return False
            try:
                return await provider.prewarm(prompt)
            except Exception:  # a warm-up is an optimisation: a bug must not spread
                log.exception("DM provider %s: prewarm raised", provider.name)
                return False
        return False

    def mirror(self, request: NarrationRequest) -> Mirrors:
        """The offline narrator's telling of ``request`` as the players it names read it,
        beside the room's (``OfflineNarrator.mirror``): for the DM actor, once the
        offline narrator answered ``request``."""
        return self._offline.mirror(request)

    async def narrate(
        self,
        prompt: Prompt,
        request: NarrationRequest,
        *,
        admit: Callable[[Provider], bool] = _always,
        offline_only: bool = False,
        max_sentences: int = 4,
    ) -> AsyncGenerator[ChainEvent, None]:
        """Narrate ``request``: ChainText pieces, ChainUsage/ChainFailure records, one ChainDone.

        ``admit`` is asked before every attempt (each is a paid request) and may refuse a
        provider (rate limit, budget); it must not block. ``offline_only`` skips the
        model providers (the offline narrator answers, not degraded). Never raises except
        ``CancelledError``; the consumer should close the generator if it stops early
        (``contextlib.aclosing``) so an in-flight provider stream is closed.

        Every tier's text (offline included) is sanitised and passed through one
        ``NarrationFilter``: labels, role markers and meta-talk never come out, at most
        ``max_sentences`` sentences do (the provider stream is closed once they have),
        and an answer stopped at the token limit ends at its last full sentence
        (``ChainDone.cut``).
        """
        cleaner = StreamCleaner()
        # Hold an unfinished sentence once the answer nears the token limit (about four
        # characters a token, a sentence's worth of margin).
        soft = max(80, (prompt.max_tokens - 48) * 4)
        flt = NarrationFilter(max_sentences=max_sentences, soft_chars=soft)
        limit = False
        last = self._offline.name
        contributors: set[str] = set()
        failures = 0
        async with aclosing(
            self._narrate_raw(prompt, request, admit=admit, offline_only=offline_only)
        ) as events:
            async for event in events:
                if isinstance(event, ChainText):
                    last = event.provider
                    contributors.add(event.provider)
                    text = flt.feed(cleaner.feed(event.text))
                    if text:
                        yield ChainText(text, event.provider)
                    if flt.full:
                        # Enough said: stop the provider now (closing the stream).
                        break
                elif isinstance(event, _Limit):
                    limit = True
                elif isinstance(event, ChainDone):
                    tail = flt.feed(cleaner.flush()) + flt.flush(cut=limit)
                    if tail:
                        yield ChainText(tail, event.provider)
                    yield ChainDone(event.provider, event.stitched, event.degraded, flt.cut)
                    return
                else:
                    if isinstance(event, ChainFailure):
                        failures += 1
                    yield event
        # Stopped at the sentence limit (the inner generator is closed by now).
        degraded = failures > 0 and last == self._offline.name
        yield ChainDone(last, stitched=len(contributors) > 1, degraded=degraded)

    async def _narrate_raw(
        self,
        prompt: Prompt,
        request: NarrationRequest,
        *,
        admit: Callable[[Provider], bool] = _always,
        offline_only: bool = False,
    ) -> AsyncGenerator[ChainEvent | _Limit, None]:
        """``narrate`` without the text filter (raw provider text)."""
        deadline = self._clock.monotonic() + self._turn_budget
        # Did provider trouble (a failure, an open breaker, none configured) force offline?
        failed = not self._providers and not offline_only
        if not offline_only:
            index = 0
            while index < len(self._providers):
                if self._clock.monotonic() >= deadline:
                    failed = True
                    break
                provider = self._providers[index]
                breaker = self._breakers[index]
                if not breaker.available(self._clock.monotonic()):
                    failed = True
                    index += 1
                    continue
                attempt = _Attempt()
                async with aclosing(
                    self._try_provider(index, prompt, request, admit, deadline, attempt)
                ) as events:
                    async for event in events:
                        yield event
                if attempt.error is None and attempt.text:
                    yield ChainDone(provider=provider.name, stitched=False, degraded=False)
                    return
                if attempt.text:
                    # Failed mid-stream: the text is out, so finish it rather than restart.
                    async with aclosing(
                        self._finish_stitched(index, prompt, request, admit, deadline, attempt.sent)
                    ) as events:
                        async for event in events:
                            yield event
                    return
                if attempt.error is not None:
                    failed = True
                    log_event(
                        log,
                        "dm_failover",
                        level=logging.WARNING,
                        provider=provider.name,
                        error=attempt.error.category,
                        status=attempt.error.status,
                    )
                index += 1
        async with aclosing(self._offline_answer(prompt, request)) as events:
            async for event in events:
                yield event
        yield ChainDone(provider=self._offline.name, stitched=False, degraded=failed)

    # -- internals -------------------------------------------------------------------------

    async def _try_provider(
        self,
        index: int,
        prompt: Prompt,
        request: NarrationRequest,
        admit: Callable[[Provider], bool],
        deadline: float,
        result: _Attempt,
    ) -> AsyncGenerator[ChainEvent | _Limit, None]:
        """Attempts on one provider with retries. On return ``result`` says how it went:
        text and no error (done), text and an error (failed mid-stream), or no text."""
        provider = self._providers[index]
        breaker = self._breakers[index]
        current = prompt
        shrunk = False
        attempt_no = 0
        while True:
            now = self._clock.monotonic()
            if not breaker.available(now) or not admit(provider):
                return
            attempt_no += 1
            result.error = None
            events_of = self._stream_once(index, current, request, result, gate=True)
            async with aclosing(events_of) as events:
                async for event in events:
                    yield event
            error = result.error
            if error is None:
                return  # success (an empty answer is reported as an error)
            if result.text:
                return  # mid-stream failure: the caller stitches
            if error.category == "fatal":
                return
            if error.category == "context_length":
                if shrunk:
                    return
                smaller = current.shrunk()
                if smaller == current:
                    return
                current, shrunk = smaller, True
                continue  # a shrink retry does not count as a backoff attempt
            if attempt_no >= self._max_attempts:
                return
            if not breaker.available(self._clock.monotonic()):
                return  # the failure opened the breaker (or a probe failed): no point waiting
            if (error.code or "").startswith("timeout"):
                if not getattr(provider, "retry_timeouts", True):
                    # A local model's one slot is still reading the prompt we gave up
                    # on: a retry would only wait behind it. Fail over at once.
                    return
                # The same prompt would time out again: retry only with a shorter one.
                smaller = current.shrunk()
                if smaller == current:
                    return
                current = smaller
            delay = self._backoff(attempt_no, error.retry_after)
            remaining = deadline - self._clock.monotonic()
            if delay >= remaining:
                return  # waiting would spend the whole turn: fail over instead
            await self._sleep(delay)

    def _backoff(self, attempt_no: int, retry_after: float | None) -> float:
        """Exponential backoff with jitter in [half, full) of the step, at least ``retry_after``."""
        step = self._base_backoff * 2.0 ** (attempt_no - 1)
        delay = step * (0.5 + 0.5 * min(max(self._jitter(), 0.0), 1.0))
        return max(delay, retry_after or 0.0)

    async def _stream_once(
        self,
        index: int,
        prompt: Prompt,
        request: NarrationRequest,
        result: _Attempt,
        *,
        gate: bool = False,
    ) -> AsyncGenerator[ChainEvent | _Limit, None]:
        """One attempt: forward text, record usage and breaker outcome, yield one ChainFailure
        on error. Appends to ``result.text`` (earlier text of the same attempt object is
        kept: callers use a fresh ``_Attempt`` when text must not be merged).

        With ``gate`` (a fresh answer, not a continuation) the text is held until its
        words show it is about the scene (``grounding.Grounding``); an answer that is
        not (``OFF_TOPIC``) is dropped unseen and fails as ``fatal``/``off_topic``, so
        the chain moves on to the next tier. The provider is up, so its breaker counts
        it as a success. A vetted provider's fresh answer (``vet``) is filtered here and
        let out a fit sentence at a time (``vetting.Vetting``); its first unfit sentence
        ends it (the stream is closed), and one unfit from its first sentence fails as
        ``fatal``/``unfit`` in the same way."""
        provider = self._providers[index]
        breaker = self._breakers[index]
        probe = breaker.acquire(self._clock.monotonic())
        before = len(result.text)
        iterator = provider.stream(prompt, request)
        settled = False
        vetted = gate and self._vets(provider)
        # Where answers are vetted, a short one naming nothing of the scene is off topic.
        grounding = (
            Grounding(request, short_passes=not vetted) if gate and self._grounding else None
        )
        held: list[str] = []  # text received while the gate is still undecided
        received: list[str] = []  # every piece of text, shown or not (paid for)
        vetting = Vetting(request) if vetted else None
        # A vetted answer is judged as it will read: cleaned and filtered first.
        cleaner = StreamCleaner() if vetting is not None else None
        flt = NarrationFilter() if vetting is not None else None

        def grounded(piece: str) -> str:
            """``piece`` through the grounding gate: what may be shown now."""
            nonlocal grounding
            if grounding is None or not (held or piece.strip()):
                return piece
            held.append(piece)
            if grounding.feed(piece) is not Verdict.GROUNDED:
                return ""
            grounding = None
            out = "".join(held)
            held.clear()
            return out

        def off_topic() -> bool:
            return grounding is not None and grounding.verdict is Verdict.OFF_TOPIC

        try:
            try:
                async for item in iterator:
                    if isinstance(item, Usage):
                        result.usage = item
                    elif isinstance(item, Finish):
                        result.limit = item.reason == "length"
                    elif item:
                        received.append(item)
                        if vetting is not None:
                            assert flt is not None and cleaner is not None
                            item = vetting.feed(flt.feed(cleaner.feed(item)))
                        item = grounded(item) if item else ""
                        if off_topic():
                            break
                        if item:
                            result.text.append(item)
                            yield ChainText(item, provider.name)
                        if vetting is not None and vetting.stopped:
                            break
                else:
                    if vetting is not None:
                        assert flt is not None and cleaner is not None
                        rest = flt.feed(cleaner.flush()) + flt.flush(cut=result.limit)
                        item = grounded(vetting.feed(rest) + vetting.finish())
                        if item:
                            result.text.append(item)
                            yield ChainText(item, provider.name)
                if grounding is not None and result.error is None:
                    if held and grounding.finish() is Verdict.GROUNDED:
                        item = "".join(held)
                        held.clear()
                        result.text.append(item)
                        yield ChainText(item, provider.name)
                    elif held:
                        result.error = ProviderError(
                            "fatal: the answer is not about the scene",
                            category="fatal",
                            code=OFF_TOPIC,
                        )
                if vetting is not None and vetting.stopped and result.error is None:
                    self._unfit(provider, vetting, shown=len(result.text) > before)
                    if len(result.text) == before:
                        result.error = ProviderError(
                            f"fatal: the answer's first sentence is unfit ({vetting.reason})",
                            category="fatal",
                            code=UNFIT,
                        )
            except ProviderError as exc:
                result.error = exc
            except Exception as exc:  # a provider bug must not break the game
                result.error = ProviderError(
                    f"retryable: provider raised {type(exc).__name__}",
                    category="retryable",
                    code="unexpected",
                )
            finally:
                await _close(iterator)
            produced = "".join(result.text[before:])
            spent = "".join(received)
            now = self._clock.monotonic()
            if result.error is None and not spent.strip():
                result.error = ProviderError(
                    "retryable: empty completion", category="retryable", code="empty"
                )
            if result.error is not None and result.error.code in _UNSHOWN:
                # Up and answering, only not fit to show: no breaker failure.
                if result.error.code == OFF_TOPIC:
                    log_event(
                        log,
                        "dm_off_topic",
                        level=logging.WARNING,
                        provider=provider.name,
                        model=provider.model,
                        chars=len(spent),
                        opening=" ".join(spent.split()[:12]),
                    )
                breaker.success()
                settled = True
            elif result.error is None:
                if breaker.open_until is not None or breaker.probing:
                    log_event(log, "breaker_close", provider=provider.name, by="request")
                breaker.success()
                settled = True
            else:
                log_event(
                    log,
                    "dm_provider_failure",
                    level=logging.WARNING,
                    provider=provider.name,
                    model=provider.model,
                    chars=len(produced),
                    error=str(result.error),
                )
                if result.error.category != "context_length":
                    if breaker.failure(now):
                        self._opened(index)
                    settled = True
            if result.error is not None:
                err = result.error
                yield ChainFailure(provider.name, err.category, str(err), err.status)
            elif result.limit:
                yield _Limit(provider.name)
            if spent:
                usage = result.usage
                if usage is None or (
                    result.error is not None and result.error.code not in _UNSHOWN
                ):
                    usage = Usage(prompt.approx_tokens(), estimate_tokens(spent), True)
                yield ChainUsage(provider.name, provider.model, usage)
            result.usage = None
        finally:
            if probe and not settled:
                breaker.release_probe()

    def _vets(self, provider: Provider) -> bool:
        """Are ``provider``'s fresh answers vetted a sentence at a time (``vet``)?"""
        if self._vet == "all":
            return True
        return self._vet == "local" and provider.name == "local"

    @staticmethod
    def _unfit(provider: Provider, vetting: Vetting, *, shown: bool) -> None:
        """Log a vetted answer ended at an unfit sentence: ``dm_unfit``, with the rule and
        the sentence's first twelve words (the model's, as ``dm_off_topic`` logs them;
        they may echo the player's); a warning when nothing of it was shown (the next
        tier answers)."""
        log_event(
            log,
            "dm_unfit",
            level=logging.INFO if shown else logging.WARNING,
            provider=provider.name,
            model=provider.model,
            rule=vetting.reason,
            shown_sentences=vetting.sentences,
            opening=" ".join(vetting.rejected.split()[:12]),
        )

    def _opened(self, index: int) -> None:
        """The breaker of provider ``index`` just opened: log it and, when the provider
        can be probed, start the background probe (players' requests never probe it)."""
        provider = self._providers[index]
        breaker = self._breakers[index]
        if isinstance(provider, SupportsProbe):
            breaker.background = True
            log_event(
                log,
                "breaker_open",
                level=logging.WARNING,
                provider=provider.name,
                probe_every_s=self._health_config.probe_interval,
            )
            if index not in self._probes:
                task = asyncio.get_running_loop().create_task(
                    self._probe_loop(index, provider), name=f"dm-probe-{provider.name}"
                )
                self._probes[index] = task
                task.add_done_callback(functools.partial(self._probe_done, index))
        else:
            log_event(
                log,
                "breaker_open",
                level=logging.WARNING,
                provider=provider.name,
                cooldown_s=self._health_config.cooldown,
            )

    def _probe_done(self, index: int, task: asyncio.Task[None]) -> None:
        if self._probes.get(index) is task:
            del self._probes[index]

    async def _probe_loop(self, index: int, provider: SupportsProbe) -> None:
        """Probe until the provider answers, then close its breaker. Owned by the chain."""
        breaker = self._breakers[index]
        name = self._providers[index].name
        interval = max(0.01, self._health_config.probe_interval)
        while breaker.open_until is not None:
            await asyncio.sleep(interval)
            interval = next_probe(interval, self._health_config.probe_most)
            try:
                ok = await provider.probe()
            except Exception:  # a probe bug must not kill the task silently
                log.exception("DM provider %s: probe raised", name)
                ok = False
            if ok:
                breaker.recovered()
                log_event(log, "breaker_close", provider=name, by="probe")
                return

    async def _finish_stitched(
        self,
        failed_index: int,
        prompt: Prompt,
        request: NarrationRequest,
        admit: Callable[[Provider], bool],
        deadline: float,
        sent: str,
    ) -> AsyncGenerator[ChainEvent | _Limit, None]:
        """After a mid-stream failure: one continuation attempt on the next available
        provider, then the offline narrator's ``close_scene`` if that fails too."""
        for index in range(failed_index + 1, len(self._providers)):
            if self._clock.monotonic() >= deadline:
                break
            provider = self._providers[index]
            if not self._breakers[index].available(self._clock.monotonic()):
                continue
            if not admit(provider):
                continue
            attempt = _Attempt()
            follow_on = continuation_prompt(prompt, sent)
            async with aclosing(self._stream_once(index, follow_on, request, attempt)) as events:
                async for event in events:
                    yield event
            sent += attempt.sent
            if attempt.error is None:
                yield ChainDone(provider=provider.name, stitched=True, degraded=False)
                return
            break  # one continuation attempt only
        ending = self._offline.close_scene(request, sent)
        for piece in chunk_words(ending):
            yield ChainText(piece, self._offline.name)
        yield ChainDone(provider=self._offline.name, stitched=True, degraded=True)

    async def _offline_answer(
        self, prompt: Prompt, request: NarrationRequest
    ) -> AsyncGenerator[ChainEvent, None]:
        async for item in self._offline.stream(prompt, request):
            if isinstance(item, Usage):
                yield ChainUsage(self._offline.name, self._offline.model, item)
            elif isinstance(item, str):
                yield ChainText(item, self._offline.name)
