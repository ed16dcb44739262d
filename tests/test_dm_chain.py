"""ProviderChain: failover, retries, breakers, stitching and the offline fallback.

Pure chain logic uses scripted providers, a FakeClock and a recording ``sleep`` (which
advances the clock instead of waiting). One test runs real OpenAIProviders against the
fake OpenAI server.
"""

from __future__ import annotations

import asyncio
import itertools
import re
from collections.abc import AsyncIterator, Callable
from contextlib import aclosing

import pytest
from attrs import frozen
from fake_openai import FakeOpenAI, Fault

from mud.core.clock import FakeClock, SystemClock
from mud.core.narration import NarrationRequest, Outcome, Priority, RoomSnapshot
from mud.dm.chain import (
    CONTINUE_INSTRUCTION,
    ChainDone,
    ChainEvent,
    ChainFailure,
    ChainText,
    ChainUsage,
    HealthConfig,
    ProviderChain,
    next_probe,
)
from mud.dm.providers.base import (
    ChatMessage,
    Finish,
    Prompt,
    Provider,
    ProviderError,
    Timeouts,
    Usage,
)
from mud.dm.providers.offline import OfflineNarrator
from mud.dm.providers.openai import OpenAIProvider

REQUEST = NarrationRequest(
    request_id=7,
    kind="action",
    room=RoomSnapshot(
        "crypt:nave",
        "The Drowned Nave",
        "Water laps at broken pews.",
        exits=("north",),
        occupants=("Alice", "Brakka"),
        items=("a tarnished bell",),
        vocabulary=("brine", "rot"),
    ),
    actor="Alice",
    text="ring the bell",
    outcome=Outcome("success", 2, ("STR check 15 vs DC 10: success",)),
    priority=Priority.MEDIUM,
    created=0.0,
    audience=("Alice", "Brakka"),
    seed=11,
)
PROMPT = Prompt(
    (
        ChatMessage("system", "You are the DM."),
        ChatMessage("user", "earlier 1"),
        ChatMessage("assistant", "earlier 2"),
        ChatMessage("user", "earlier 3"),
        ChatMessage("assistant", "earlier 4"),
        ChatMessage("user", "Alice rings the bell."),
    ),
    max_tokens=200,
)


def err(
    category: str, status: int | None = None, retry_after: float | None = None
) -> ProviderError:
    return ProviderError(
        f"{category} test error",
        category=category,  # type: ignore[arg-type]
        status=status,
        retry_after=retry_after,
    )


@frozen
class Step:
    """What a scripted provider does on one call: yield ``texts``, then raise ``error``."""

    texts: tuple[str, ...] = ()
    error: BaseException | None = None
    usage: Usage | None = None
    cost: float = 0.0  # seconds of (fake) time the call takes
    hold: asyncio.Event | None = None  # wait for this before answering
    finish: str | None = None  # why the answer ended ("length": out of tokens)


OK = Step(("The bell ", "tolls."), usage=Usage(30, 4, False))


class Scripted:
    """A Provider whose calls follow a script; records prompts and closes."""

    offline = False

    def __init__(self, name: str, clock: FakeClock, *steps: Step, default: Step = OK) -> None:
        self.name = name
        self.model = f"{name}-model"
        self.clock = clock
        self.steps = list(steps)
        self.default = default
        self.prompts: list[Prompt] = []
        self.closed_streams = 0
        self.started = asyncio.Event()

    @property
    def calls(self) -> int:
        return len(self.prompts)

    async def stream(
        self, prompt: Prompt, request: NarrationRequest
    ) -> AsyncIterator[str | Usage | Finish]:
        self.prompts.append(prompt)
        step = self.steps.pop(0) if self.steps else self.default
        self.started.set()
        try:
            if step.hold is not None:
                async with asyncio.timeout(5):
                    await step.hold.wait()
            self.clock.advance(step.cost)
            for text in step.texts:
                yield text
            if step.error is not None:
                raise step.error
            if step.finish is not None:
                yield Finish(step.finish)
            if step.usage is not None:
                yield step.usage
        finally:
            self.closed_streams += 1


class Harness:
    def __init__(self) -> None:
        self.clock = FakeClock()
        self.sleeps: list[float] = []
        self.jitter_value = 0.0

    async def sleep(self, seconds: float) -> None:
        self.sleeps.append(seconds)
        self.clock.advance(seconds)

    def chain(self, *providers: Provider, **kwargs: object) -> ProviderChain:
        return ProviderChain(
            providers,
            OfflineNarrator(seed=1),
            clock=self.clock,
            sleep=self.sleep,
            jitter=lambda: self.jitter_value,
            **kwargs,  # type: ignore[arg-type]
        )


async def run(
    chain: ProviderChain,
    prompt: Prompt = PROMPT,
    *,
    admit: Callable[[Provider], bool] | None = None,
    offline_only: bool = False,
) -> list[ChainEvent]:
    kwargs: dict[str, object] = {"offline_only": offline_only}
    if admit is not None:
        kwargs["admit"] = admit
    async with aclosing(chain.narrate(prompt, REQUEST, **kwargs)) as events:  # type: ignore[arg-type]
        out = [e async for e in events]
    dones = [e for e in out if isinstance(e, ChainDone)]
    assert len(dones) == 1 and out[-1] is dones[0], "exactly one ChainDone, last"
    return out


def text_of(events: list[ChainEvent]) -> str:
    return "".join(e.text for e in events if isinstance(e, ChainText))


def done(events: list[ChainEvent]) -> ChainDone:
    last = events[-1]
    assert isinstance(last, ChainDone)
    return last


def failures(events: list[ChainEvent]) -> list[ChainFailure]:
    return [e for e in events if isinstance(e, ChainFailure)]


async def test_first_provider_answers() -> None:
    h = Harness()
    a, b = Scripted("a", h.clock), Scripted("b", h.clock)
    events = await run(h.chain(a, b))
    assert text_of(events) == "The bell tolls."
    assert done(events) == ChainDone("a", stitched=False, degraded=False)
    assert ChainUsage("a", "a-model", Usage(30, 4, False)) in events
    assert (a.calls, b.calls) == (1, 0)
    assert h.sleeps == []


async def test_fatal_fails_over_at_once_in_order() -> None:
    h = Harness()
    a = Scripted("a", h.clock, Step(error=err("fatal", 401)))
    b = Scripted("b", h.clock, Step(error=err("fatal", 404)))
    c = Scripted("c", h.clock)
    events = await run(h.chain(a, b, c))
    assert [(f.provider, f.status) for f in failures(events)] == [("a", 401), ("b", 404)]
    assert (a.calls, b.calls, c.calls) == (1, 1, 1)
    assert h.sleeps == []
    assert done(events).provider == "c"
    assert not done(events).degraded


async def test_retryable_backs_off_exponentially_with_jitter() -> None:
    h = Harness()
    h.jitter_value = 0.5
    a = Scripted("a", h.clock, Step(error=err("retryable", 500)), Step(error=err("retryable", 503)))
    events = await run(h.chain(a, base_backoff=0.5))
    assert a.calls == 3
    # step * (0.5 + 0.5 * jitter): 0.5 * 0.75, then 1.0 * 0.75
    assert h.sleeps == [pytest.approx(0.375), pytest.approx(0.75)]
    assert len(failures(events)) == 2
    assert done(events).provider == "a"


async def test_retry_after_is_honoured() -> None:
    h = Harness()
    a = Scripted("a", h.clock, Step(error=err("retryable", 429, retry_after=3.0)))
    events = await run(h.chain(a))
    assert h.sleeps == [3.0]
    assert done(events).provider == "a"


async def test_retry_after_beyond_turn_budget_fails_over_without_sleeping() -> None:
    h = Harness()
    a = Scripted("a", h.clock, Step(error=err("retryable", 429, retry_after=60.0)))
    b = Scripted("b", h.clock)
    events = await run(h.chain(a, b, turn_budget=20.0))
    assert h.sleeps == []
    assert (a.calls, b.calls) == (1, 1)
    assert done(events).provider == "b"


async def test_backoff_never_sleeps_past_the_remaining_budget() -> None:
    h = Harness()
    # Each failed call burns 4.5 s of a 10 s budget: after the second call 0.5 s remain,
    # and the second backoff (1.0 s with zero jitter) no longer fits.
    a = Scripted("a", h.clock, default=Step(error=err("retryable", 500), cost=4.5))
    events = await run(h.chain(a, turn_budget=10.0, base_backoff=1.0))
    assert h.sleeps == [0.5]
    assert a.calls == 2
    assert sum(h.sleeps) + 4.5 * a.calls <= 10.0
    assert done(events) == ChainDone("offline", stitched=False, degraded=True)


async def test_budget_spent_goes_offline_without_trying_more_providers() -> None:
    h = Harness()
    a = Scripted("a", h.clock, Step(error=err("fatal", 400), cost=25.0))
    b = Scripted("b", h.clock)
    events = await run(h.chain(a, b, turn_budget=20.0))
    assert b.calls == 0
    assert done(events) == ChainDone("offline", stitched=False, degraded=True)
    assert "Alice" in text_of(events)


async def test_max_attempts_then_next_provider() -> None:
    h = Harness()
    a = Scripted("a", h.clock, default=Step(error=err("retryable", 500)))
    b = Scripted("b", h.clock)
    events = await run(h.chain(a, b, max_attempts_per_provider=3))
    assert (a.calls, b.calls) == (3, 1)
    assert len(h.sleeps) == 2
    assert done(events).provider == "b"


async def test_context_length_shrinks_once() -> None:
    h = Harness()
    a = Scripted("a", h.clock, Step(error=err("context_length", 400)))
    events = await run(h.chain(a))
    assert a.calls == 2
    assert a.prompts[1] == PROMPT.shrunk()
    assert len(a.prompts[1].messages) < len(PROMPT.messages)
    assert h.sleeps == []
    assert done(events).provider == "a"


async def test_context_length_twice_fails_over_with_the_original_prompt() -> None:
    h = Harness()
    a = Scripted("a", h.clock, default=Step(error=err("context_length", 400)))
    b = Scripted("b", h.clock)
    events = await run(h.chain(a, b))
    assert a.calls == 2
    assert b.prompts == [PROMPT]
    assert [f.category for f in failures(events)] == ["context_length", "context_length"]
    # A prompt that is too long says nothing about the provider's health.
    assert h.chain(a).health()[0].failures == 0
    assert done(events).provider == "b"


async def test_breaker_opens_cools_probes_and_closes() -> None:
    h = Harness()
    a = Scripted("a", h.clock, *[Step(error=err("fatal", 500))] * 3)
    b = Scripted("b", h.clock)
    chain = h.chain(a, b, health=HealthConfig(failure_threshold=3, cooldown=30.0))
    for _ in range(3):
        await run(chain)
    health = chain.health()[0]
    assert health.state == "cooling"
    assert health.consecutive_failures == 3
    assert health.cooldown_remaining == pytest.approx(30.0)
    assert not chain.degraded  # b is still fine

    events = await run(chain)  # a is skipped while cooling
    assert a.calls == 3 and done(events).provider == "b"

    h.clock.advance(31.0)
    assert chain.health()[0].cooldown_remaining == 0.0
    events = await run(chain)  # the probe succeeds (a's script is now OK)
    assert a.calls == 4 and done(events).provider == "a"
    health = chain.health()[0]
    assert health.state == "ok"
    assert health.consecutive_failures == 0
    assert (health.successes, health.failures) == (1, 3)


async def test_failed_probe_reopens_the_breaker() -> None:
    h = Harness()
    a = Scripted("a", h.clock, default=Step(error=err("retryable", 500)))
    b = Scripted("b", h.clock)
    chain = h.chain(a, b, max_attempts_per_provider=3)
    await run(chain)  # three retryable failures open the breaker
    assert chain.health()[0].state == "cooling" and a.calls == 3
    h.clock.advance(30.0)
    await run(chain)
    assert a.calls == 4  # exactly one probe attempt, no retries on a failed probe
    health = chain.health()[0]
    assert health.state == "cooling"
    assert health.cooldown_remaining == pytest.approx(30.0)


async def test_only_one_request_probes_at_a_time() -> None:
    h = Harness()
    gate = asyncio.Event()
    a = Scripted("a", h.clock, *[Step(error=err("fatal", 500))] * 3, Step(OK.texts, hold=gate))
    b = Scripted("b", h.clock)
    chain = h.chain(a, b)
    for _ in range(3):
        await run(chain)
    h.clock.advance(31.0)
    a.started.clear()
    probe = asyncio.create_task(run(chain))
    async with asyncio.timeout(2):
        await a.started.wait()
    assert chain.health()[0].state == "probing"
    other = await run(chain)  # concurrent request skips the provider being probed
    assert done(other).provider == "b"
    assert a.calls == 4
    gate.set()
    async with asyncio.timeout(2):
        probed = await probe
    assert done(probed).provider == "a"
    assert chain.health()[0].state == "ok"


async def test_failure_rate_opens_the_breaker() -> None:
    h = Harness()
    bad, good = Step(error=err("retryable", 500)), OK
    a = Scripted("a", h.clock, bad, good, bad, good, bad)
    chain = h.chain(a, max_attempts_per_provider=1, health=HealthConfig(window=10))
    for _ in range(4):
        await run(chain)
    assert chain.health()[0].state == "ok"  # 2 of 4 failed: not yet 5 samples
    await run(chain)
    health = chain.health()[0]
    assert health.failure_rate == pytest.approx(0.6)
    assert health.consecutive_failures == 1
    assert health.state == "cooling"
    assert chain.degraded


async def test_mid_stream_failure_continues_on_next_provider() -> None:
    h = Harness()
    a = Scripted("a", h.clock, Step(("The bell ", "swings and "), error=err("retryable")))
    b = Scripted("b", h.clock, Step(("tolls once.",), usage=Usage(50, 3, False)))
    events = await run(h.chain(a, b))
    assert text_of(events) == "The bell swings and tolls once."
    assert done(events) == ChainDone("b", stitched=True, degraded=False)
    cont = b.prompts[0]
    assert cont.messages[: len(PROMPT.messages)] == PROMPT.messages
    assert cont.messages[-2] == ChatMessage("assistant", "The bell swings and ")
    assert cont.messages[-1] == ChatMessage("user", CONTINUE_INSTRUCTION)
    assert cont.max_tokens < PROMPT.max_tokens
    usages = [e for e in events if isinstance(e, ChainUsage)]
    assert [u.provider for u in usages] == ["a", "b"]
    assert usages[0].usage.estimated and usages[0].usage.completion_tokens > 0
    assert a.calls == 1  # no retry once text is out


async def test_mid_stream_failure_twice_is_closed_by_the_offline_narrator() -> None:
    h = Harness()
    a = Scripted("a", h.clock, Step(("The bell swings",), error=err("retryable")))
    b = Scripted("b", h.clock, Step((" wide and",), error=err("retryable")))
    c = Scripted("c", h.clock)
    events = await run(h.chain(a, b, c))
    text = text_of(events)
    assert text.startswith("The bell swings wide and")
    assert len(text) > len("The bell swings wide and") + 10
    assert done(events) == ChainDone("offline", stitched=True, degraded=True)
    assert c.calls == 0  # only one continuation attempt
    assert {e.provider for e in events if isinstance(e, ChainText)} == {"a", "b", "offline"}


async def test_mid_stream_failure_on_last_provider_is_closed_offline() -> None:
    h = Harness()
    a = Scripted("a", h.clock, Step(("The bell swings.",), error=err("retryable")))
    events = await run(h.chain(a))
    assert text_of(events).startswith("The bell swings. ")
    assert done(events).stitched and done(events).provider == "offline"


async def test_everything_fails_offline_answers_degraded() -> None:
    h = Harness()
    a = Scripted("a", h.clock, default=Step(error=err("fatal", 401)))
    b = Scripted("b", h.clock, default=Step(error=err("retryable", 500)))
    events = await run(h.chain(a, b))
    assert done(events) == ChainDone("offline", stitched=False, degraded=True)
    assert len(failures(events)) == 1 + 3
    assert "Alice" in text_of(events)
    assert any(isinstance(e, ChainUsage) and e.provider == "offline" for e in events)


async def test_offline_only_is_not_degraded() -> None:
    h = Harness()
    a = Scripted("a", h.clock)
    events = await run(h.chain(a), offline_only=True)
    assert a.calls == 0
    assert done(events) == ChainDone("offline", stitched=False, degraded=False)
    assert text_of(events) == OfflineNarrator(seed=1).compose(REQUEST)


async def test_no_providers_is_degraded() -> None:
    h = Harness()
    chain = h.chain()
    assert chain.degraded
    assert chain.health() == []
    events = await run(chain)
    assert done(events).degraded
    events = await run(chain, offline_only=True)
    assert not done(events).degraded


async def test_admit_refusal_skips_without_failure() -> None:
    h = Harness()
    a, b = Scripted("a", h.clock), Scripted("b", h.clock)
    events = await run(h.chain(a, b), admit=lambda p: p.name != "a")
    assert (a.calls, b.calls) == (0, 1)
    assert failures(events) == []
    assert done(events).provider == "b"
    events = await run(h.chain(a, b), admit=lambda p: False)
    assert done(events) == ChainDone("offline", stitched=False, degraded=False)


async def test_usage_is_estimated_when_provider_reports_none() -> None:
    h = Harness()
    a = Scripted("a", h.clock, Step(("A long answer of some words.",)))
    events = await run(h.chain(a))
    (usage,) = [e for e in events if isinstance(e, ChainUsage)]
    assert usage.usage.estimated
    assert usage.usage.prompt_tokens == PROMPT.approx_tokens()
    assert usage.usage.completion_tokens == 7


async def test_unexpected_exception_and_empty_answer_fail_over() -> None:
    h = Harness()
    a = Scripted("a", h.clock, Step(error=RuntimeError("bug")))
    b = Scripted("b", h.clock, default=Step(("   ",)))
    c = Scripted("c", h.clock)
    events = await run(h.chain(a, b, c, max_attempts_per_provider=1))
    cats = [(f.provider, f.category) for f in failures(events)]
    assert cats[0] == ("a", "retryable")
    # b yielded only whitespace: that is a failure after "text", so it is stitched.
    assert ("b", "retryable") in cats
    assert done(events).stitched


async def test_closing_early_closes_the_provider_stream() -> None:
    h = Harness()
    a = Scripted("a", h.clock, Step(("one ", "two ", "three")))
    chain = h.chain(a)
    async with aclosing(chain.narrate(PROMPT, REQUEST)) as events:
        first = await anext(events)
        assert first == ChainText("one ", "a")
    assert a.closed_streams == 1


async def test_chain_with_real_providers_stitches_over_http() -> None:
    async with FakeOpenAI() as srv:
        srv.script(
            Fault("cut", tokens=("The bell ", "swings ", "wide."), after=2),
            Fault("text", tokens=("wide, ", "and tolls.")),
        )
        timeouts = Timeouts(connect=1.0, first_token=1.0, chunk_gap=1.0, total=3.0)
        first = OpenAIProvider(
            "openai", base_url=srv.base_url, api_key="sk-x", model="big", timeouts=timeouts
        )
        second = OpenAIProvider(
            "local", base_url=srv.base_url, api_key=None, model="small", timeouts=timeouts
        )
        h = Harness()
        chain = h.chain(first, second)
        try:
            events = await run(chain)
        finally:
            await chain.aclose()
        assert text_of(events) == "The bell swings wide, and tolls."
        assert done(events) == ChainDone("local", stitched=True, degraded=False)
        assert [f.provider for f in failures(events)] == ["openai"]
        continuation = srv.requests[1]
        assert continuation["model"] == "small"
        assert {"role": "assistant", "content": "The bell swings "} in continuation["messages"]
        assert continuation["messages"][-1]["content"] == CONTINUE_INSTRUCTION


# -- the text filter in the chain (issue 10) --------------------------------------------


async def test_labels_are_removed_from_every_provider() -> None:
    h = Harness()
    a = Scripted(
        "a",
        h.clock,
        Step(("Narrator: In 2-4 ", "sentences: The bell ", "tolls (untrusted, in-char", "acter).")),
    )
    events = await run(h.chain(a))
    assert text_of(events) == "The bell tolls."


async def test_offline_text_goes_through_the_filter_too() -> None:
    class LabelledOffline(OfflineNarrator):
        async def stream(
            self, prompt: Prompt, request: NarrationRequest
        ) -> AsyncIterator[str | Usage]:
            for piece in ("Alice attempts: ring the bell.\n", "Actor: Alice\n", "It rings."):
                yield piece

    h = Harness()
    chain = ProviderChain(
        [], LabelledOffline(seed=1), clock=h.clock, sleep=h.sleep, jitter=lambda: 0.0
    )
    events = await run(chain)
    assert text_of(events) == "ring the bell. It rings."


async def test_sentence_limit_closes_the_provider_stream() -> None:
    h = Harness()
    a = Scripted("a", h.clock, Step(("One. ", "Two. ", "Three. ", "Four. ", "Five. ", "Six.")))
    chain = h.chain(a)
    async with aclosing(chain.narrate(PROMPT, REQUEST, max_sentences=2)) as stream:
        events = [e async for e in stream]
    assert text_of(events) == "One. Two."
    assert done(events) == ChainDone("a", stitched=False, degraded=False)
    assert a.closed_streams == 1


async def test_token_limit_ends_at_the_last_full_sentence_over_http() -> None:
    first = "The rain falls on the old causeway, and the reeds bend low under the weight of it. "
    tail = "The lamplighter raises her lantern and the light spreads across the water and"
    async with FakeOpenAI() as srv:
        srv.script(Fault("length", tokens=(first, *re.findall(r"\S+\s*", tail))))
        timeouts = Timeouts(connect=1.0, first_token=2.0, chunk_gap=2.0, total=5.0)
        provider = OpenAIProvider(
            "local", base_url=srv.base_url, api_key=None, model="m", timeouts=timeouts
        )
        chain = Harness().chain(provider)
        short = Prompt(PROMPT.messages, max_tokens=60)  # a new sentence after 80 chars waits
        try:
            events = await run(chain, short)
        finally:
            await chain.aclose()
    assert text_of(events) == first.strip()
    assert done(events).cut


async def test_stream_without_finish_reason_is_finished_by_the_next_tier() -> None:
    # issue 15 item 6: a local server that ends the stream cleanly but without a finish
    # reason left half a sentence; now the next tier finishes it (stitching).
    async with FakeOpenAI() as srv:
        srv.script(
            Fault("no_finish", tokens=("The bell ", "swings ", "wide."), after=2),
            Fault("text", tokens=("wide, ", "and tolls.")),
        )
        timeouts = Timeouts(connect=1.0, first_token=2.0, chunk_gap=2.0, total=5.0)
        first = OpenAIProvider(
            "local", base_url=srv.base_url, api_key=None, model="small", timeouts=timeouts
        )
        second = OpenAIProvider(
            "openai", base_url=srv.base_url, api_key="sk-x", model="big", timeouts=timeouts
        )
        chain = Harness().chain(first, second)
        try:
            events = await run(chain)
        finally:
            await chain.aclose()
    assert text_of(events) == "The bell swings wide, and tolls."
    assert done(events) == ChainDone("openai", stitched=True, degraded=False)
    assert [(f.provider, f.category) for f in failures(events)] == [("local", "retryable")]


# -- deadlines, retries, recovery and logs (issue 10) ------------------------------------


async def test_timed_out_prompt_is_retried_only_shorter() -> None:
    h = Harness()
    timeout = ProviderError(
        "retryable: first_token deadline passed", category="retryable", code="timeout_first_token"
    )
    a = Scripted("a", h.clock, Step(error=timeout), Step(error=timeout), Step(error=timeout))
    b = Scripted("b", h.clock)
    events = await run(h.chain(a, b, max_attempts_per_provider=3))
    assert done(events).provider == "b"
    sizes = [len(p.messages) for p in a.prompts]
    # Never the same prompt twice: each retry is shorter, and once nothing more can be
    # dropped the chain moves on instead of resending it.
    assert sizes == sorted(set(sizes), reverse=True)
    assert all(x != y for x, y in itertools.pairwise(a.prompts))
    assert a.prompts[-1].messages[-1] == PROMPT.messages[-1]


async def test_unshrinkable_timed_out_prompt_goes_to_the_next_tier() -> None:
    h = Harness()
    timeout = ProviderError("retryable: t", category="retryable", code="timeout_first_token")
    a = Scripted("a", h.clock, default=Step(error=timeout))
    b = Scripted("b", h.clock)
    bare = Prompt((ChatMessage("system", "DM"), ChatMessage("user", "Turn.")), max_tokens=50)
    events = await run(h.chain(a, b, max_attempts_per_provider=3), bare)
    assert a.calls == 1 and done(events).provider == "b"


def events(caplog: pytest.LogCaptureFixture) -> list[tuple[str, dict[str, object]]]:
    """The operator events logged (``mud.logs.log_event``), in order."""
    return [(r.mud_event, r.mud_fields) for r in caplog.records if hasattr(r, "mud_event")]


async def test_failures_and_breaker_changes_are_logged(caplog: pytest.LogCaptureFixture) -> None:
    h = Harness()
    a = Scripted("a", h.clock, *[Step(error=err("fatal", 500))] * 3)
    chain = h.chain(a, health=HealthConfig(failure_threshold=3, cooldown=30.0))
    with caplog.at_level("INFO", logger="mud.dm.chain"):
        for _ in range(3):
            await run(chain)
        h.clock.advance(31.0)
        await run(chain)
    logged = events(caplog)
    failed = [f for e, f in logged if e == "dm_provider_failure"]
    assert len(failed) == 3
    assert all(f["provider"] == "a" and "fatal test error" in str(f["error"]) for f in failed)
    assert ("breaker_open", {"provider": "a", "cooldown_s": 30.0}) in logged
    assert ("breaker_close", {"provider": "a", "by": "request"}) in logged


def _probed(provider: OpenAIProvider, health: HealthConfig) -> ProviderChain:
    """A chain of ``provider`` and the offline narrator on the real clock, whose
    background probe runs by ``health``."""
    return ProviderChain(
        [provider],
        OfflineNarrator(seed=1),
        clock=SystemClock(),
        sleep=asyncio.sleep,
        jitter=lambda: 0.0,
        base_backoff=0.01,
        health=health,
    )


async def test_breaker_recovers_in_the_background_when_the_server_returns(
    caplog: pytest.LogCaptureFixture,
) -> None:
    # The server goes away: requests fail, the breaker opens, and players' requests go
    # to the offline narrator without touching it. When it comes back on the same port,
    # the background probe notices within a few probe periods and closes the breaker.
    srv = FakeOpenAI()
    await srv.__aenter__()
    port = srv.port
    await srv.aclose()
    timeouts = Timeouts(connect=0.5, first_token=1.0, chunk_gap=1.0, total=2.0)
    provider = OpenAIProvider(
        "local", base_url=f"http://127.0.0.1:{port}/v1", api_key=None, model="m", timeouts=timeouts
    )
    chain = _probed(
        provider, HealthConfig(failure_threshold=3, cooldown=300.0, probe_interval=0.05)
    )
    try:
        with caplog.at_level("INFO", logger="mud.dm.chain"):
            events = await run(chain)
            assert done(events).provider == "offline" and done(events).degraded
            assert chain.health()[0].state == "cooling"
            events = await run(chain)  # no player request reaches the provider now
            assert done(events).provider == "offline"
            async with FakeOpenAI(port=port) as back:
                async with asyncio.timeout(5):
                    while chain.health()[0].state != "ok":
                        await asyncio.sleep(0.02)  # polling the breaker, bounded above
                # Recovered by the probe (the model list: a completion would spoil a
                # local server's prefix cache), not by a player.
                assert back.requests == []
                assert ("GET", "/v1/models") in [(r.method, r.path) for r in back.log]
                events = await run(chain)
                assert done(events).provider == "local"
                assert len(back.requests) == 1
        logged = [(r.mud_event, r.mud_fields) for r in caplog.records if hasattr(r, "mud_event")]
        assert ("breaker_open", {"provider": "local", "probe_every_s": 0.05}) in logged
        assert ("breaker_close", {"provider": "local", "by": "probe"}) in logged
    finally:
        await chain.aclose()


async def test_first_token_deadline_follows_the_measured_baseline() -> None:
    async with FakeOpenAI(default=Fault("slow_first", delay=0.2)) as srv:
        timeouts = Timeouts(connect=1.0, first_token=8.0, chunk_gap=2.0, total=30.0)
        p = OpenAIProvider(
            "local", base_url=srv.base_url, api_key=None, model="m", timeouts=timeouts
        )
        try:
            assert p.first_token_deadline() == 8.0  # nothing measured yet: as configured
            for _ in range(2):
                async for _item in p.stream(PROMPT, REQUEST):
                    pass
            baseline = p.first_token_baseline
            assert baseline is not None and baseline >= 0.2
            assert p.first_token_deadline() == pytest.approx(max(2.0, 3 * baseline + 1.0))
            assert p.first_token_deadline() < 8.0
        finally:
            await p.aclose()


async def test_a_local_model_that_timed_out_is_not_asked_again_for_that_turn() -> None:
    # Its one slot is still reading the prompt we gave up on: a retry would wait behind
    # it and time out too. The turn goes to the next tier at once.
    async with FakeOpenAI(default=Fault("slow_first", delay=2.0)) as srv:
        timeouts = Timeouts(connect=1.0, first_token=0.3, chunk_gap=1.0, total=5.0)
        provider = OpenAIProvider(
            "local", base_url=srv.base_url, api_key=None, model="m", timeouts=timeouts
        )
        chain = ProviderChain(
            [provider],
            OfflineNarrator(seed=1),
            clock=SystemClock(),
            sleep=asyncio.sleep,
            jitter=lambda: 0.0,
            base_backoff=0.01,
        )
        try:
            events = await run(chain)
            assert done(events).provider == "offline"
            assert len(srv.requests) == 1
        finally:
            await chain.aclose()


def test_the_background_probe_backs_off_to_its_most() -> None:
    delays = [0.5]
    for _ in range(10):
        delays.append(next_probe(delays[-1], 30.0))
    assert delays == [0.5, 1.0, 2.0, 4.0, 8.0, 16.0, 30.0, 30.0, 30.0, 30.0, 30.0]
    assert next_probe(5.0, 1.0) == 5.0  # a smaller most never shortens it


async def test_a_provider_refusing_its_key_is_probed_less_and_less_often() -> None:
    # Played by an operator with a revoked key: the breaker opened, and the provider was
    # probed every second for as long as the server ran, each probe a log line.
    async with FakeOpenAI(key="sk-the-real-one") as srv:
        provider = OpenAIProvider(
            "openai",
            base_url=srv.base_url,
            api_key="sk-revoked",
            model="m",
            timeouts=Timeouts(connect=0.5, first_token=1.0, chunk_gap=1.0, total=2.0),
        )
        chain = _probed(
            provider,
            HealthConfig(failure_threshold=1, cooldown=300.0, probe_interval=0.02, probe_most=0.16),
        )
        try:
            events = await run(chain)
            assert done(events).provider == "offline"
            await asyncio.sleep(1.0)
            probes = [r for r in srv.log if (r.method, r.path) == ("GET", "/v1/models")]
            # Every 0.02 s would be about 50; doubling to 0.16 s makes it about 9.
            assert 3 <= len(probes) <= 12, len(probes)
        finally:
            await chain.aclose()
