"""OpenAIProvider against the fake OpenAI server over a real loopback socket (real SDK)."""

from __future__ import annotations

import asyncio
import email.utils
from collections.abc import AsyncIterator

import pytest
from fake_openai import FakeOpenAI, Fault, Recorded
from hypothesis import given
from hypothesis import strategies as st

from mud.core.clock import FakeClock
from mud.core.narration import NarrationRequest, Outcome, Priority, RoomSnapshot
from mud.dm.providers.base import (
    ChatMessage,
    Finish,
    Prompt,
    ProviderError,
    Timeouts,
    Usage,
    estimate_tokens,
)
from mud.dm.providers.openai import OpenAIProvider, parse_retry_after

KEY = "sk-test-THISISASECRETKEY0123456789abcdef"
FAST = Timeouts(connect=1.0, first_token=0.4, chunk_gap=0.3, total=2.0)

REQUEST = NarrationRequest(
    request_id=1,
    kind="action",
    room=RoomSnapshot("crypt:hall", "The Hall", "A cold hall."),
    actor="Alice",
    text="search the altar",
    outcome=Outcome("success", 1, ("WIS check 14 vs DC 12: success",)),
    priority=Priority.MEDIUM,
    created=0.0,
)
PROMPT = Prompt(
    (ChatMessage("system", "You are the DM."), ChatMessage("user", "Alice searches.")),
    max_tokens=50,
    temperature=0.5,
)


@pytest.fixture
async def server() -> AsyncIterator[FakeOpenAI]:
    async with FakeOpenAI(model="fake-model") as srv:
        yield srv


@pytest.fixture
async def provider(server: FakeOpenAI) -> AsyncIterator[OpenAIProvider]:
    p = OpenAIProvider(
        "openai", base_url=server.base_url, api_key=KEY, model="fake-model", timeouts=FAST
    )
    yield p
    await p.aclose()


def chat_posts(server: FakeOpenAI) -> list[Recorded]:
    """The chat requests the server received (the provider also reads ``/props``)."""
    return [r for r in server.log if r.method == "POST"]


async def collect(p: OpenAIProvider) -> tuple[list[str], list[Usage]]:
    texts, usages, finishes = await collect_all(p)
    assert finishes == [Finish("stop")]
    return texts, usages


async def collect_all(p: OpenAIProvider) -> tuple[list[str], list[Usage], list[Finish]]:
    """Text, usage and finish items; checks their order (text, Finish, Usage)."""
    texts: list[str] = []
    usages: list[Usage] = []
    finishes: list[Finish] = []
    async for item in p.stream(PROMPT, REQUEST):
        if isinstance(item, Usage):
            usages.append(item)
        elif isinstance(item, Finish):
            assert not usages, "usage must come last"
            finishes.append(item)
        else:
            assert not usages and not finishes, "text must come first"
            texts.append(item)
    return texts, usages, finishes


async def failure(p: OpenAIProvider) -> tuple[ProviderError, list[str]]:
    texts: list[str] = []
    with pytest.raises(ProviderError) as info:
        async for item in p.stream(PROMPT, REQUEST):
            if isinstance(item, str):
                texts.append(item)
    return info.value, texts


async def test_streams_text_and_usage(server: FakeOpenAI, provider: OpenAIProvider) -> None:
    server.script(Fault("text", tokens=("Dust ", "falls ", "softly.")))
    texts, usages = await collect(provider)
    assert texts == ["Dust ", "falls ", "softly."]
    assert len(usages) == 1
    assert usages[0].completion_tokens == 3 and not usages[0].estimated
    assert usages[0].prompt_tokens > 0
    body = server.requests[0]
    assert body["model"] == "fake-model"
    assert body["stream"] is True
    assert body["stream_options"] == {"include_usage": True}
    assert body["max_tokens"] == 50
    assert body["temperature"] == 0.5
    assert body["messages"] == [
        {"role": "system", "content": "You are the DM."},
        {"role": "user", "content": "Alice searches."},
    ]
    # The key travels only in the Authorization header.
    assert chat_posts(server)[0].headers["authorization"] == f"Bearer {KEY}"


async def test_local_server_without_key_uses_placeholder(server: FakeOpenAI) -> None:
    p = OpenAIProvider("local", base_url=server.base_url, api_key=None, model="m", timeouts=FAST)
    try:
        texts, _ = await collect(p)
    finally:
        await p.aclose()
    assert "".join(texts) == "The torch gutters; shadows lean closer."
    assert chat_posts(server)[0].headers["authorization"] == "Bearer not-needed"
    assert "sk-" not in repr(p)


@pytest.mark.parametrize(
    ("fault", "category", "status", "code"),
    [
        (Fault("http_500"), "retryable", 500, None),
        (Fault("http_400"), "fatal", 400, None),
        (Fault("http_401"), "fatal", 401, "invalid_api_key"),
        (Fault("http_404"), "fatal", 404, "model_not_found"),
        (Fault("quota"), "fatal", 429, "insufficient_quota"),
        (Fault("context_length"), "context_length", 400, "context_length_exceeded"),
        (Fault("http_429"), "retryable", 429, "rate_limit_exceeded"),
    ],
)
async def test_http_errors_are_classified(
    server: FakeOpenAI,
    provider: OpenAIProvider,
    fault: Fault,
    category: str,
    status: int,
    code: str | None,
) -> None:
    server.script(fault)
    err, texts = await failure(provider)
    assert texts == []
    assert err.category == category
    assert err.status == status
    if code is not None:
        assert err.code == code
    assert KEY not in str(err) and KEY not in repr(err)


async def test_unauthorised_message_is_scrubbed(
    server: FakeOpenAI, provider: OpenAIProvider
) -> None:
    server.script(Fault("http_401"))
    err, _ = await failure(provider)
    # The fake server echoes the whole key in its message; none of it may survive.
    assert "Incorrect API key" in str(err)
    assert KEY not in str(err)
    assert "THISISASECRETKEY" not in str(err)


async def test_retry_after_headers(server: FakeOpenAI, provider: OpenAIProvider) -> None:
    server.script(Fault("http_429", retry_after=7), Fault("http_429", retry_after_ms=1500))
    first, _ = await failure(provider)
    second, _ = await failure(provider)
    assert first.retry_after == 7.0
    assert second.retry_after == 1.5


@pytest.mark.parametrize("kind", ["cut", "stream_error", "malformed"])
async def test_mid_stream_faults_are_retryable(
    server: FakeOpenAI, provider: OpenAIProvider, kind: str
) -> None:
    server.script(Fault(kind, after=2))  # type: ignore[arg-type]
    err, texts = await failure(provider)
    assert err.category == "retryable"
    assert texts == ["The ", "torch "]  # what arrived before the fault was passed on


async def test_escape_sequences_pass_through_unchanged(
    server: FakeOpenAI, provider: OpenAIProvider
) -> None:
    # Sanitising is the DM actor's job; the provider must not lose or alter text.
    server.script(Fault("escapes"))
    texts, _ = await collect(provider)
    assert "\x1b[31m" in "".join(texts)


async def test_first_token_timeout_on_silent_server(server: FakeOpenAI) -> None:
    p = OpenAIProvider(
        "openai",
        base_url=server.base_url,
        api_key=KEY,
        model="m",
        timeouts=Timeouts(connect=1.0, first_token=0.2, chunk_gap=1.0, total=3.0),
    )
    server.script(Fault("hang"))
    loop = asyncio.get_running_loop()
    start = loop.time()
    try:
        err, _ = await failure(p)
    finally:
        await p.aclose()
    assert err.category == "retryable" and err.code == "timeout_first_token"
    assert loop.time() - start < 1.5


async def test_first_token_timeout_after_headers(server: FakeOpenAI) -> None:
    p = OpenAIProvider(
        "openai",
        base_url=server.base_url,
        api_key=KEY,
        model="m",
        timeouts=Timeouts(connect=1.0, first_token=0.2, chunk_gap=1.0, total=3.0),
    )
    server.script(Fault("slow_first", delay=2.0))
    try:
        err, texts = await failure(p)
    finally:
        await p.aclose()
    assert err.code == "timeout_first_token" and texts == []


async def test_chunk_gap_timeout(server: FakeOpenAI) -> None:
    p = OpenAIProvider(
        "openai",
        base_url=server.base_url,
        api_key=KEY,
        model="m",
        timeouts=Timeouts(connect=1.0, first_token=1.0, chunk_gap=0.2, total=3.0),
    )
    server.script(Fault("drip", interval=1.0))
    try:
        err, texts = await failure(p)
    finally:
        await p.aclose()
    assert err.code == "timeout_chunk_gap"
    assert texts == ["The "]


async def test_total_timeout(server: FakeOpenAI) -> None:
    # Each gap is within chunk_gap, but the whole answer takes longer than total.
    p = OpenAIProvider(
        "openai",
        base_url=server.base_url,
        api_key=KEY,
        model="m",
        timeouts=Timeouts(connect=1.0, first_token=1.0, chunk_gap=0.5, total=0.5),
        local=False,  # a remote API (the fake server is on loopback)
    )
    server.script(Fault("drip", interval=0.15, tokens=tuple(f"w{i} " for i in range(20))))
    try:
        err, texts = await failure(p)
    finally:
        await p.aclose()
    assert err.code == "timeout_total"
    assert 1 <= len(texts) < 20


async def test_a_local_model_still_producing_is_not_cut_at_the_total_deadline(
    server: FakeOpenAI,
) -> None:
    # A small model on a loaded CPU can take longer than ``total`` for a whole answer;
    # while words keep coming (each gap within chunk_gap) the answer is let finish.
    p = OpenAIProvider(
        "local",
        base_url=server.base_url,
        api_key=None,
        model="m",
        timeouts=Timeouts(connect=1.0, first_token=1.0, chunk_gap=0.5, total=0.5),
    )
    words = tuple(f"w{i} " for i in range(8))
    server.script(Fault("drip", interval=0.12, tokens=words))
    try:
        texts, _usages = await collect(p)
    finally:
        await p.aclose()
    assert "".join(texts) == "".join(words)


async def test_connection_refused_is_retryable() -> None:
    async with FakeOpenAI() as srv:
        url = srv.base_url
    # The server is closed: nothing listens on that port any more.
    p = OpenAIProvider("openai", base_url=url, api_key=KEY, model="m", timeouts=FAST)
    try:
        err, _ = await failure(p)
    finally:
        await p.aclose()
    assert err.category == "retryable"


async def test_consumer_closing_early_releases_the_stream(
    server: FakeOpenAI, provider: OpenAIProvider
) -> None:
    server.script(Fault("drip", interval=0.05), Fault("text", tokens=("again",)))
    stream = provider.stream(PROMPT, REQUEST)
    first = await anext(stream)
    assert first == "The "
    await stream.aclose()  # type: ignore[attr-defined]
    texts, _ = await collect(provider)
    assert texts == ["again"]


async def test_closed_provider_refuses(provider: OpenAIProvider) -> None:
    await provider.aclose()
    err, _ = await failure(provider)
    assert err.category == "fatal"


def test_parse_retry_after_forms() -> None:
    assert parse_retry_after({"retry-after": "3"}, 0.0) == 3.0
    assert parse_retry_after({"retry-after-ms": "250"}, 0.0) == 0.25
    assert parse_retry_after({"retry-after-ms": "250", "retry-after": "9"}, 0.0) == 0.25
    assert parse_retry_after({}, 0.0) is None
    assert parse_retry_after({"retry-after": "soon"}, 0.0) is None
    clock = FakeClock()
    date = email.utils.formatdate(clock.wall() + 12, usegmt=True)
    assert parse_retry_after({"retry-after": date}, clock.wall()) == pytest.approx(12, abs=1)
    assert parse_retry_after({"retry-after": "-4"}, 0.0) == 0.0


def test_prompt_shrunk_keeps_system_and_last() -> None:
    msgs = (
        ChatMessage("system", "sys"),
        *(ChatMessage("user" if i % 2 else "assistant", f"turn {i}") for i in range(8)),
        ChatMessage("user", "now"),
    )
    prompt = Prompt(msgs, max_tokens=99)
    small = prompt.shrunk()
    assert small.messages[0] == msgs[0]
    assert small.messages[-1] == msgs[-1]
    assert len(small.messages) == 2 + 4
    assert small.messages[1:-1] == msgs[5:9]  # the newest half of the history survives
    assert small.max_tokens == 99
    assert Prompt((ChatMessage("system", "s"), ChatMessage("user", "u"))).shrunk().messages == (
        ChatMessage("system", "s"),
        ChatMessage("user", "u"),
    )


@given(
    st.lists(
        st.tuples(st.sampled_from(["system", "user", "assistant"]), st.text(max_size=30)),
        min_size=1,
        max_size=12,
    )
)
def test_prompt_shrunk_properties(raw: list[tuple[str, str]]) -> None:
    msgs = tuple(ChatMessage(r, c) for r, c in raw)  # type: ignore[arg-type]
    prompt = Prompt(msgs)
    small = prompt.shrunk()
    assert small.messages[-1] == msgs[-1]
    assert [m for m in small.messages if m.role == "system"] == [
        m for m in msgs[:-1] if m.role == "system"
    ] + ([msgs[-1]] if msgs[-1].role == "system" else [])
    droppable = sum(1 for m in msgs[:-1] if m.role != "system")
    assert len(msgs) - len(small.messages) == (droppable + 1) // 2
    assert small.approx_tokens() <= prompt.approx_tokens()


def test_estimate_tokens() -> None:
    assert estimate_tokens("") == 0
    assert estimate_tokens("abc") == 1
    assert estimate_tokens("a" * 400) == 100
    assert Prompt((ChatMessage("user", "a" * 40),)).approx_tokens() == 10


async def test_stream_without_finish_reason_is_a_failure(
    server: FakeOpenAI, provider: OpenAIProvider
) -> None:
    # A local server that closes the stream early (body ended well, no finish reason,
    # no [DONE]) must not be taken as a complete answer.
    server.script(Fault("no_finish", after=2))
    error, texts = await failure(provider)
    assert texts == ["The ", "torch "]
    assert error.category == "retryable" and error.code == "incomplete"


async def test_token_limit_is_reported_as_finish_length(
    server: FakeOpenAI, provider: OpenAIProvider
) -> None:
    server.script(Fault("length", tokens=("The ", "rain ", "falls ", "and")))
    texts, usages, finishes = await collect_all(provider)
    assert "".join(texts) == "The rain falls and"
    assert finishes == [Finish("length")]
    assert len(usages) == 1


async def test_prompt_budget_from_llama_props_trims_history() -> None:
    # llama.cpp reports its context at /props; the prompt is trimmed to fit it with room
    # for the answer (oldest history first; system, summary and turn kept).
    history = tuple(ChatMessage("user", f"Earlier: outcome {i} " + "x" * 400) for i in range(12))
    prompt = Prompt(
        (ChatMessage("system", "You are the DM."), *history, ChatMessage("user", "The turn.")),
        max_tokens=200,
    )
    assert prompt.approx_tokens() > 1200
    async with FakeOpenAI(n_ctx=1024) as srv:
        p = OpenAIProvider("local", base_url=srv.base_url, api_key=None, model="m", timeouts=FAST)
        try:
            assert await p.context_tokens() == 1024
            async for _ in p.stream(prompt, REQUEST):
                pass
        finally:
            await p.aclose()
        sent = srv.requests[0]["messages"]
    assert sent[0]["content"] == "You are the DM." and sent[-1]["content"] == "The turn."
    assert 1 < len(sent) < len(prompt.messages)
    assert sum(len(m["content"]) for m in sent) // 4 <= 1024 - 200
    # The newest history is what is kept.
    assert sent[-2]["content"].startswith("Earlier: outcome 11")


async def test_context_size_is_not_read_from_a_remote_server() -> None:
    p = OpenAIProvider(
        "openai", base_url="https://api.example.invalid/v1", api_key="k", model="m", timeouts=FAST
    )
    try:
        assert await p.context_tokens() is None
    finally:
        await p.aclose()


async def test_first_token_timeouts_lengthen_the_next_deadline(server: FakeOpenAI) -> None:
    # A model slower than configured (a small CPU under load) is not failed forever:
    # each first-token timeout in a row doubles the next wait, up to the total deadline.
    # Wide margins (0.5 s and 0.25 s), so a loaded machine does not flip the result.
    timeouts = Timeouts(connect=1.0, first_token=0.3, chunk_gap=1.0, total=1.5)
    p = OpenAIProvider(
        "local", base_url=server.base_url, api_key=None, model="m", timeouts=timeouts
    )
    try:
        server.script(Fault("slow_first", delay=0.8), Fault("slow_first", delay=0.35))
        assert p.first_token_deadline() == pytest.approx(0.3)
        error, _ = await failure(p)
        assert error.code == "timeout_first_token"
        assert p.first_token_deadline() == pytest.approx(0.6)
        texts, _ = await collect(p)  # 0.35 s to the first token fits the doubled 0.6
        assert "".join(texts) == "The torch gutters; shadows lean closer."
        baseline = p.first_token_baseline
        assert baseline is not None
        assert p.first_token_deadline() == pytest.approx(min(1.5, max(2.0, 3 * baseline + 1.0)))
    finally:
        await p.aclose()


async def test_local_probe_leaves_the_prefix_cache_alone(server: FakeOpenAI) -> None:
    # A completion as a probe would make a local server read another prompt and lose the
    # one it had cached (the room's whole history); the probe asks for the model list.
    p = OpenAIProvider("local", base_url=server.base_url, api_key=None, model="m", timeouts=FAST)
    try:
        assert await p.probe()
        assert server.requests == []  # no chat completion
        assert [(r.method, r.path) for r in server.log] == [("GET", "/v1/models")]
    finally:
        await p.aclose()


async def test_local_deadline_scales_with_what_the_server_must_read() -> None:
    # A local model reads about what is new since the prompt it read last; a turn in a
    # new room (a long new read) gets longer than the usual turn, measured in seconds per
    # new token.
    async with FakeOpenAI(default=Fault("slow_first", delay=0.3)) as srv:
        timeouts = Timeouts(connect=1.0, first_token=8.0, chunk_gap=2.0, total=30.0)
        p = OpenAIProvider(
            "local", base_url=srv.base_url, api_key=None, model="m", timeouts=timeouts
        )
        try:
            room = ChatMessage("user", "Room: the Hall. " + "Cold stone. " * 40)
            first = Prompt((PROMPT.messages[0], room, PROMPT.messages[1]), max_tokens=50)
            assert p.new_tokens(first) > 100  # nothing cached yet
            async for _item in p.stream(first, REQUEST):
                pass
            rate = p.read_rate
            assert rate is not None and rate > 0
            turn = Prompt((*first.messages, ChatMessage("user", "Bob waits.")), max_tokens=50)
            assert p.new_tokens(turn) < 10  # only the new turn
            elsewhere = ChatMessage("user", "Room: the Crypt. " + "Dry bones. " * 80)
            moved = Prompt((PROMPT.messages[0], elsewhere, PROMPT.messages[1]), max_tokens=50)
            assert p.new_tokens(moved) > 200
            assert p.first_token_deadline(p.new_tokens(moved)) > p.first_token_deadline(
                p.new_tokens(turn)
            )
            assert p.first_token_deadline(p.new_tokens(moved)) == pytest.approx(
                min(30.0, max(2.0, 3 * p.new_tokens(moved) * rate + 1.0))
            )
        finally:
            await p.aclose()


async def test_local_model_gets_one_request_at_a_time() -> None:
    # Its one slot serves one request at a time: a second narration waits for the slot
    # in the game, not inside the server with its first-token clock running.
    async with FakeOpenAI(default=Fault("drip", interval=0.1)) as srv:
        timeouts = Timeouts(connect=1.0, first_token=5.0, chunk_gap=2.0, total=10.0)
        p = OpenAIProvider(
            "local", base_url=srv.base_url, api_key=None, model="m", timeouts=timeouts
        )
        in_server: list[int] = []

        async def one() -> str:
            out = []
            async for item in p.stream(PROMPT, REQUEST):
                in_server.append(len(srv.requests))
                if isinstance(item, str):
                    out.append(item)
            return "".join(out)

        try:
            a, b = await asyncio.gather(one(), one())
        finally:
            await p.aclose()
        assert a == b == "The torch gutters; shadows lean closer."
        # While the first streamed, the second had not been sent.
        assert in_server[: len(in_server) // 2] == [1] * (len(in_server) // 2)


# -- how much of the prompt the server read anew (issue 10) --------------------------------


@pytest.mark.parametrize("flavour", ["llama", "openai"])
async def test_prompt_tokens_read_anew_are_reported(flavour: str) -> None:
    # llama.cpp says it in ``timings.prompt_n`` on its last chunk, OpenAI in
    # ``usage.prompt_tokens_details.cached_tokens``: the second prompt shares the first
    # one's start, so only its new end is read.
    async with FakeOpenAI(prefix_cache=flavour) as srv:  # type: ignore[arg-type]
        p = OpenAIProvider("local", base_url=srv.base_url, api_key=None, model="m", timeouts=FAST)
        try:
            longer = Prompt((*PROMPT.messages, ChatMessage("user", "Bob waits by the door.")))
            usages: list[Usage] = []
            for prompt in (PROMPT, longer):
                async for item in p.stream(prompt, REQUEST):
                    if isinstance(item, Usage):
                        usages.append(item)
        finally:
            await p.aclose()
    assert [u.prompt_read for u in usages] == srv.reads
    first, second = usages
    assert first.prompt_read == first.prompt_tokens  # nothing cached yet
    assert second.prompt_read is not None and 0 < second.prompt_read < second.prompt_tokens
    assert second.prompt_tokens - second.prompt_read >= first.prompt_tokens - 1


async def test_prompt_read_is_unknown_when_the_server_does_not_say(
    server: FakeOpenAI, provider: OpenAIProvider
) -> None:
    _texts, usages = await collect(provider)
    assert usages[0].prompt_read is None


async def test_a_prefix_warmed_up_after_a_summary_is_not_read_again() -> None:
    # After a room's summary changes, the chain has the local server read the new
    # prefix (system, room, summary) while nobody waits; the room's next turn then reads
    # only itself. Without the warm-up that turn would read the summary too.
    async with FakeOpenAI(prefix_cache="llama") as srv:
        p = OpenAIProvider("local", base_url=srv.base_url, api_key=None, model="m", timeouts=FAST)
        try:
            system, room = PROMPT.messages[0], ChatMessage("user", "Room: the Hall. Cold.")
            summary = ChatMessage("user", "Story so far: " + "Bob lit the lamp. " * 30)
            turn = ChatMessage("user", "Bob (action, success, severity 1 of 3): «wait»")
            prefix = Prompt((system, room, summary), max_tokens=1, temperature=0.0)
            assert await p.prewarm(prefix)
            body = srv.requests[-1]
            assert body["max_tokens"] == 1
            assert [m["content"] for m in body["messages"]] == [m.content for m in prefix.messages]
            full = Prompt((system, room, summary, turn), max_tokens=50)
            assert p.new_tokens(full) < 20  # the provider knows the prefix is cached
            async for _item in p.stream(full, REQUEST):
                pass
            assert srv.reads[-1] < 20 < srv.reads[-2]  # only the turn was read
        finally:
            await p.aclose()


async def test_no_prefix_warm_up_for_a_remote_api_or_a_busy_local_model() -> None:
    async with FakeOpenAI(default=Fault("drip", interval=0.1)) as srv:
        remote = OpenAIProvider(
            "openai", base_url=srv.base_url, api_key=KEY, model="m", timeouts=FAST, local=False
        )
        local = OpenAIProvider(
            "local",
            base_url=srv.base_url,
            api_key=None,
            model="m",
            timeouts=Timeouts(connect=1.0, first_token=5.0, chunk_gap=2.0, total=10.0),
        )
        try:
            assert not await remote.prewarm(PROMPT)
            assert srv.requests == []
            # A narration holds the local model's one slot: the warm-up is skipped, not
            # queued behind (or ahead of) it.
            stream = local.stream(PROMPT, REQUEST)
            assert isinstance(await anext(stream), str)
            assert not await local.prewarm(PROMPT)
            assert len(srv.requests) == 1
            async for _item in stream:
                pass
        finally:
            await remote.aclose()
            await local.aclose()
