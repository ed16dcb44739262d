"""An OpenAI-compatible chat provider (OpenAI itself or a local server) via the official SDK.

This is the only module that imports ``openai``.

Invariants:
- The SDK never retries (``max_retries=0``): retrying and failing over is the chain's job.
- Our own deadlines (first token, gap between chunks, total) are enforced with
  ``asyncio.timeout_at`` around each read of the stream, never around a ``yield``, so a
  slow consumer is never mistaken for a slow provider. On any exit the HTTP response is
  closed.
- Every failure leaves this module as a ``ProviderError`` whose message is built from the
  status, the error code and a detail scrubbed of the API key (and anything that looks
  like one). The key itself is held only by the SDK client.
"""

from __future__ import annotations

import asyncio
import email.utils
import ipaddress
import json
import logging
import re
from collections.abc import AsyncGenerator, AsyncIterator
from contextlib import aclosing
from typing import Any
from urllib.parse import urlsplit

import openai
from openai.types.chat import ChatCompletionChunk, ChatCompletionMessageParam

from mud.core.clock import Clock, SystemClock
from mud.core.narration import NarrationRequest
from mud.dm.prompts import fit_prompt
from mud.dm.providers.base import (
    ChatMessage,
    ErrorCategory,
    Finish,
    Prompt,
    ProviderError,
    Timeouts,
    Usage,
)

#: Placeholder key for servers that need none (the SDK insists on some key).
NO_KEY = "not-needed"

# Anything shaped like a secret key: OpenAI-style prefixes and long opaque tokens.
_KEYLIKE = re.compile(r"(sk-|key-|Bearer\s+)[A-Za-z0-9_\-*.]{3,}|[A-Za-z0-9_\-]{40,}")
_CONTEXT = re.compile(r"context[_ ]length|maximum context|context window|too many tokens", re.I)
_DETAIL_MAX = 200
_CLOSE_DEADLINE = 2.0
_PROPS_DEADLINE = 1.0
#: llama.cpp's default context (both its own server and llama-cpp-python's).
LLAMA_DEFAULT_CONTEXT = 2048
_PROBE_DEADLINE = 2.0
# First-token deadline once a baseline is measured: a few times the usual wait, at least
# _FIRST_TOKEN_FLOOR seconds, never more than the configured ``first_token``... unless
# the model is that slow when healthy: then the baseline wins (up to ``total``).
_FIRST_TOKEN_FACTOR = 3.0
_FIRST_TOKEN_SLACK = 1.0
_FIRST_TOKEN_FLOOR = 2.0
_BASELINE_WEIGHT = 0.3  # exponential moving average of healthy first-token times
# A local server's reading speed is measured only on calls with at least this many new
# prompt tokens (fewer say more about the server's fixed overhead than its speed).
_RATE_MIN_TOKENS = 24
_ANSWER_MARGIN = 32  # tokens kept free beyond max_tokens (template overhead, estimate error)

log = logging.getLogger(__name__)


def is_loopback(base_url: str) -> bool:
    """True when ``base_url`` points at this machine (127.0.0.0/8, ::1 or localhost)."""
    host = urlsplit(base_url).hostname or ""
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


async def read_context_size(base_url: str) -> int | None:
    """The context size llama.cpp's server reports at ``/props`` (loopback only).

    ``base_url`` is the OpenAI base (``http://127.0.0.1:8008/v1``); ``/props`` is read at
    the server's root. Returns None for a server that is not on loopback, has no
    ``/props``, or does not answer within a second. Never raises.
    """
    parts = urlsplit(base_url)
    if parts.scheme != "http" or not is_loopback(base_url) or parts.hostname is None:
        return None
    port = parts.port or 80
    try:
        async with asyncio.timeout(_PROPS_DEADLINE):
            reader, writer = await asyncio.open_connection(parts.hostname, port)
            try:
                writer.write(
                    f"GET /props HTTP/1.1\r\nhost: {parts.hostname}\r\n"
                    "connection: close\r\n\r\n".encode()
                )
                await writer.drain()
                raw = await reader.read(256 * 1024)
            finally:
                writer.close()
    except (OSError, TimeoutError):
        return None
    head, _, body = raw.partition(b"\r\n\r\n")
    if b" 200 " not in head.split(b"\r\n", 1)[0]:
        return None
    try:
        data = json.loads(body)
    except ValueError:
        return None
    if not isinstance(data, dict):
        return None
    settings = data.get("default_generation_settings")
    for source in (settings if isinstance(settings, dict) else {}, data):
        n_ctx = source.get("n_ctx")
        if isinstance(n_ctx, int) and n_ctx > 0:
            return n_ctx
    return None


def _scrub(text: str, api_key: str | None) -> str:
    """``text`` without the key, key-like tokens or control characters, cut to log size."""
    if api_key and api_key != NO_KEY:
        text = text.replace(api_key, "[key]")
    text = _KEYLIKE.sub("[redacted]", text)
    text = "".join(ch if ch.isprintable() else " " for ch in text)
    return text[:_DETAIL_MAX]


def parse_retry_after(headers: Any, now_wall: float) -> float | None:
    """Seconds to wait according to ``retry-after-ms`` or ``retry-after`` (seconds or HTTP date).

    ``headers`` is any mapping with ``get``; ``now_wall`` is the wall clock in epoch seconds
    (for HTTP dates). Returns None when absent or unparseable; never negative.
    """
    if headers is None:
        return None
    raw_ms = headers.get("retry-after-ms")
    if raw_ms is not None:
        try:
            return max(0.0, float(raw_ms) / 1000.0)
        except ValueError:
            pass
    raw = headers.get("retry-after")
    if raw is None:
        return None
    try:
        return max(0.0, float(raw))
    except ValueError:
        pass
    try:
        when = email.utils.parsedate_to_datetime(raw)
    except (TypeError, ValueError, IndexError):
        return None
    return max(0.0, when.timestamp() - now_wall)


def _body_field(body: object, key: str) -> str | None:
    if isinstance(body, dict):
        value = body.get(key)
        if value is not None:
            return str(value)
    return None


def classify(exc: BaseException, *, api_key: str | None, now_wall: float) -> ProviderError:
    """Map an exception raised by the SDK (or by decoding its stream) to a ``ProviderError``.

    Called by ``OpenAIProvider.stream``; public so the rules can be tested directly.
    Context-length errors win over everything; ``insufficient_quota`` is fatal even on a
    429; 408/409/429/5xx, connection errors, timeouts, error events inside the stream and
    malformed stream data are retryable; other 4xx are fatal.
    """
    if isinstance(exc, ProviderError):
        return exc
    category: ErrorCategory
    status: int | None = None
    retry_after: float | None = None
    code: str | None = None
    detail = type(exc).__name__
    if isinstance(exc, openai.APIError):
        body = exc.body
        code = exc.code or _body_field(body, "type")
        message = exc.message
        if isinstance(body, dict) and isinstance(body.get("message"), str):
            message = body["message"]
        detail = message
        if isinstance(exc, openai.APIStatusError):
            status = exc.status_code
            retry_after = parse_retry_after(exc.response.headers, now_wall)
        error_type = _body_field(body, "type")
        codes = {code, error_type}
        if "context_length_exceeded" in codes or _CONTEXT.search(message or ""):
            category = "context_length"
        elif "insufficient_quota" in codes:
            category = "fatal"
        elif isinstance(exc, openai.APIConnectionError):  # includes APITimeoutError
            category = "retryable"
            code = code or ("timeout" if isinstance(exc, openai.APITimeoutError) else "connection")
        elif status is None:
            # An error event inside the stream, or a response that failed validation.
            category = "retryable"
            code = code or "stream_error"
        elif status in (408, 409, 429) or status >= 500:
            category = "retryable"
        else:
            category = "fatal"
    elif isinstance(exc, ValueError):  # json.JSONDecodeError and pydantic validation errors
        category, code = "retryable", "malformed"
    elif isinstance(exc, (OSError, EOFError)):
        category, code = "retryable", "connection"
    else:
        category, code = "retryable", "unexpected"
    head = f"{category}: status={status} code={code}"
    return ProviderError(
        f"{head}: {_scrub(detail, api_key)}",
        category=category,
        status=status,
        retry_after=retry_after,
        code=code,
    )


def _int(value: object) -> int | None:
    return value if isinstance(value, int) and not isinstance(value, bool) and value >= 0 else None


def prompt_read_of(chunk: ChatCompletionChunk) -> tuple[int | None, int | None]:
    """What a stream chunk says about the prompt: (tokens the server read anew, tokens
    it took from its cache), each None when the chunk does not say.

    llama.cpp's server puts ``timings`` (``prompt_n`` read, ``cache_n`` reused) on its
    last chunk; OpenAI reports ``usage.prompt_tokens_details.cached_tokens``. Public so
    the parsing can be tested directly; never raises.
    """
    extra = chunk.model_extra or {}
    timings = extra.get("timings")
    if isinstance(timings, dict):
        read = _int(timings.get("prompt_n"))
        if read is not None:
            return read, _int(timings.get("cache_n"))
    usage = chunk.usage
    details = getattr(usage, "prompt_tokens_details", None) if usage is not None else None
    cached = _int(getattr(details, "cached_tokens", None)) if details is not None else None
    if usage is not None and cached is not None:
        return max(0, usage.prompt_tokens - cached), cached
    return None, None


def _prompt_text(prompt: Prompt) -> str:
    """The prompt as a server's chat template lays it out, near enough to find how much
    two prompts share at their start."""
    return "".join(f"<{m.role}>{m.content}" for m in prompt.messages)


def _message_param(message: ChatMessage) -> ChatCompletionMessageParam:
    if message.role == "system":
        return {"role": "system", "content": message.content}
    if message.role == "assistant":
        return {"role": "assistant", "content": message.content}
    return {"role": "user", "content": message.content}


class OpenAIProvider:
    """A ``Provider`` talking to an OpenAI-compatible ``/chat/completions`` endpoint.

    Created by ``mud.app``; used only by the provider chain. ``api_key`` None means the
    server needs none (a local model). ``clock`` is used only to turn an HTTP-date
    Retry-After into seconds. ``local`` (default: the server is on loopback) marks a
    local model: one request at a time, deadlines scaled to what it must read, no retry
    after a timeout, and no total deadline once it is producing. Call ``aclose`` at
    shutdown.
    """

    offline = False

    def __init__(
        self,
        name: str,
        *,
        base_url: str,
        api_key: str | None,
        model: str,
        timeouts: Timeouts,
        clock: Clock | None = None,
        context_tokens: int | None = None,
        local: bool | None = None,
    ) -> None:
        self.name = name
        self.model = model
        self.timeouts = timeouts
        self._base_url = base_url
        self._baseline: float | None = None  # healthy seconds to the first token (EWMA)
        self._slow = 0  # first-token timeouts in a row (each doubles the next deadline)
        # A server on loopback is a local model: one slot (it serves one request at a
        # time, so we send it one at a time) and a prefix cache holding the prompt it read
        # last, so what it must read anew is what follows the part shared with our last
        # prompt. Its reading speed (seconds per new token, EWMA) scales the deadline.
        self.local = is_loopback(base_url) if local is None else local
        self.retry_timeouts = not self.local
        self._slot = asyncio.Semaphore(1) if self.local else None
        self._last_text = ""
        self._read_rate: float | None = None
        self._context = context_tokens
        self._context_known = context_tokens is not None
        self._key = api_key
        self._clock: Clock = clock or SystemClock()
        # The first-token deadline adapts to the model (see first_token_deadline), so
        # the SDK's read timeout is only a backstop at the total deadline.
        read = max(timeouts.total, timeouts.chunk_gap)
        self._client = openai.AsyncOpenAI(
            api_key=api_key or NO_KEY,
            base_url=base_url,
            max_retries=0,
            # A backstop only: our own asyncio deadlines normally fire first.
            timeout=openai.Timeout(
                timeouts.total, connect=timeouts.connect, read=read, pool=timeouts.connect
            ),
        )
        self._closed = False

    def __repr__(self) -> str:
        # Never show the key.
        return f"OpenAIProvider(name={self.name!r}, model={self.model!r})"

    async def context_tokens(self) -> int | None:
        """The model's context size in tokens: as configured, else read once from
        llama.cpp's ``/props`` (loopback servers only), else llama.cpp's default of 2,048
        for a loopback server; None (no limit known) for a remote API."""
        if not self._context_known:
            self._context_known = True
            found = await read_context_size(self._base_url)
            if found is None and is_loopback(self._base_url):
                found = LLAMA_DEFAULT_CONTEXT
            self._context = found
            if found is not None:
                log.info(
                    "DM provider %s: prompt budget from a context of %d tokens", self.name, found
                )
        return self._context

    async def fit(self, prompt: Prompt) -> Prompt:
        """``prompt`` trimmed (oldest history first) so that it and its answer fit the
        model's context; unchanged when no context size is known."""
        context = await self.context_tokens()
        if context is None:
            return prompt
        return fit_prompt(prompt, max(1, context - prompt.max_tokens - _ANSWER_MARGIN))

    @property
    def first_token_baseline(self) -> float | None:
        """The measured healthy time to the first token (seconds), None before any."""
        return self._baseline

    @property
    def read_rate(self) -> float | None:
        """A local server's measured seconds per new prompt token, None before any."""
        return self._read_rate

    def first_token_deadline(self, new_tokens: int | None = None) -> float:
        """Seconds allowed to the first token: the configured ``first_token`` until a
        baseline is measured, then ``3 x expected + 1`` (at least 2 s, at most ``total``),
        so a slow local model is not failed for being itself and a fast API fails over
        fast when it stalls. ``expected`` is the baseline, or for a local server whose
        reading speed is measured, ``new_tokens`` (what it must read beyond its cached
        prefix) times that speed, when that is longer: a turn in a new room, or after a
        summary refresh, is given the time its longer read takes. Each first-token
        timeout in a row doubles it (up to 8x)."""
        expected = self._baseline
        if new_tokens is not None and self._read_rate is not None:
            expected = max(expected or 0.0, new_tokens * self._read_rate)
        if expected is None:
            base = self.timeouts.first_token
        else:
            scaled = _FIRST_TOKEN_FACTOR * expected + _FIRST_TOKEN_SLACK
            base = max(_FIRST_TOKEN_FLOOR, scaled)
        # A model slower than expected (a small CPU under load) must get a chance to
        # show its real speed: each first-token timeout in a row doubles the next wait.
        boost = float(2 ** min(self._slow, 3))
        return min(self.timeouts.total, base * boost)

    def _measured(self, seconds: float, new_tokens: int | None = None) -> None:
        self._slow = 0
        w = _BASELINE_WEIGHT
        if new_tokens is not None and new_tokens >= _RATE_MIN_TOKENS:
            rate = seconds / new_tokens
            old = self._read_rate
            self._read_rate = rate if old is None else (1 - w) * old + w * rate
            if self._baseline is not None and new_tokens * rate > 2 * self._baseline:
                # A long read (a new room) says little about the usual wait: the
                # baseline is for the common case, the rate covers the long ones.
                return
        if self._baseline is None:
            self._baseline = seconds
        else:
            self._baseline = (1 - w) * self._baseline + w * seconds

    def new_tokens(self, prompt: Prompt) -> int:
        """About how many tokens of ``prompt`` a local server must read anew: those after
        the part it shares with the last prompt sent (the server's prefix cache holds
        that one), four characters a token."""
        text = _prompt_text(prompt)
        last = self._last_text
        shared = 0
        limit = min(len(text), len(last))
        while shared < limit and text[shared] == last[shared]:
            shared += 1
        return max(1, (len(text) - shared + 3) // 4)

    async def probe(self) -> bool:
        """Is the server answering? The chain's background probe while the breaker is
        open: one ``GET /models`` within two seconds. Never a completion: on a local
        server that would throw away the prefix cache (the prompt it read last), and
        llama-cpp-python answers ``/models`` only when its one slot is free, which is
        what a recovered local model means. Never raises."""
        if self._closed:
            return False
        try:
            async with asyncio.timeout(_PROBE_DEADLINE):
                await self._client.models.list()
        except (TimeoutError, openai.OpenAIError, OSError, ValueError):
            return False
        return True

    async def prewarm(self, prompt: Prompt) -> bool:
        """Have a local server read ``prompt`` into its prefix cache now, if its slot is
        free (never queued behind, or ahead of, a narration): a streamed one-token
        completion whose answer is thrown away. Called by the chain after a room's summary
        changed, so the room's next turn reads only itself. Returns whether the server
        read it; False at once for a remote API or a busy slot. Never raises (except
        ``CancelledError``); bounded by the first-token deadline for what it must read."""
        if self._slot is None or self._closed:
            return False
        prompt = await self.fit(prompt)
        if self._slot.locked():
            return False
        async with self._slot:
            new = self.new_tokens(prompt)
            self._last_text = _prompt_text(prompt)
            log.debug(
                "DM provider %s: call prewarm sent (slot wait 0.000 s, about %d new prompt tokens)",
                self.name,
                new,
            )
            try:
                async with asyncio.timeout(self.first_token_deadline(new)):
                    response = await self._client.chat.completions.create(
                        model=self.model,
                        messages=[_message_param(m) for m in prompt.messages],
                        max_tokens=1,
                        temperature=0.0,
                        stream=True,
                    )
                    try:
                        async for _chunk in response:
                            pass
                    finally:
                        await self._close_response(response)
            except (TimeoutError, openai.OpenAIError, OSError, ValueError) as exc:
                self._last_text = ""  # what the server holds now is unknown
                log.info("DM provider %s: prefix warm-up failed: %s", self.name, type(exc).__name__)
                return False
        return True

    def _error(self, exc: BaseException) -> ProviderError:
        return classify(exc, api_key=self._key, now_wall=self._clock.wall())

    def _timeout(self, which: str) -> ProviderError:
        return ProviderError(
            f"retryable: {which} deadline passed", category="retryable", code=f"timeout_{which}"
        )

    async def stream(
        self, prompt: Prompt, request: NarrationRequest
    ) -> AsyncIterator[str | Finish | Usage]:
        """Stream the completion of ``prompt``: text deltas, then ``Finish`` with the
        server's finish reason, then the server's Usage if it sent one.

        ``request`` only names the call in DEBUG lines (the prompt carries everything). Raises
        ``ProviderError`` on HTTP errors, error events, malformed data, a stream that ends
        without a finish reason (``code`` ``incomplete``: a server that closed the
        connection early; the text so far is not a whole answer) and on the first-token,
        chunk-gap and total deadlines (``code`` ``timeout_first_token``,
        ``timeout_chunk_gap``, ``timeout_total``), and for a local server whose one slot
        stays taken by another narration past the first-token deadline
        (``timeout_busy``).
        """
        if self._closed:
            raise ProviderError("fatal: provider closed", category="fatal", code="closed")
        prompt = await self.fit(prompt)
        call = str(request.request_id)
        if self._slot is None:
            async with aclosing(self._stream(prompt, None, call=call)) as items:
                async for item in items:
                    yield item
            return
        # One request at a time to a local model's single slot: a second one would only
        # wait inside the server with its first-token clock running. The wait for the
        # slot is bounded by the first-token deadline too.
        loop = asyncio.get_running_loop()
        start = loop.time()
        try:
            async with asyncio.timeout(self.first_token_deadline(self.new_tokens(prompt))):
                await self._slot.acquire()
        except TimeoutError:
            raise ProviderError(
                "retryable: the local model was busy with another narration",
                category="retryable",
                code="timeout_busy",
            ) from None
        try:
            new = self.new_tokens(prompt)
            self._last_text = _prompt_text(prompt)
            waited = loop.time() - start
            async with aclosing(self._stream(prompt, new, waited, call=call)) as items:
                async for item in items:
                    yield item
        finally:
            self._slot.release()

    async def _stream(
        self, prompt: Prompt, new_tokens: int | None, waited: float = 0.0, *, call: str = ""
    ) -> AsyncGenerator[str | Finish | Usage, None]:
        """One call's stream (``stream`` without the slot); ``new_tokens`` is the local
        server's estimated read (None: not a local server), ``waited`` the seconds
        already spent waiting for the slot (taken off the first-token deadline), ``call``
        the request's id for DEBUG lines."""
        loop = asyncio.get_running_loop()
        start = loop.time()
        total_at = start + self.timeouts.total
        next_at = start + self.first_token_deadline(new_tokens) - waited
        which = "first_token"

        def deadline() -> tuple[float, str]:
            if self.local and which == "chunk_gap":
                # A local model that is producing is not cut off for being slow (a
                # loaded CPU can take a minute for a whole answer): the gap between
                # chunks bounds its silences, max_tokens its length, and the DM's turn
                # deadline the narration.
                return next_at, which
            return (next_at, which) if next_at < total_at else (total_at, "total")

        when, label = deadline()
        log.debug(
            "DM provider %s: call %s sent (slot wait %.3f s, about %s new prompt tokens)",
            self.name,
            call,
            waited,
            new_tokens,
        )
        try:
            async with asyncio.timeout_at(when):
                response = await self._client.chat.completions.create(
                    model=self.model,
                    messages=[_message_param(m) for m in prompt.messages],
                    max_tokens=prompt.max_tokens,
                    temperature=prompt.temperature,
                    stream=True,
                    stream_options={"include_usage": True},
                )
        except TimeoutError:
            if label == "first_token":
                self._slow += 1
            raise self._timeout(label) from None
        except openai.OpenAIError as exc:
            raise self._error(exc) from None
        except (ValueError, OSError) as exc:
            raise self._error(exc) from None

        usage: Usage | None = None
        finish: str | None = None
        read: int | None = None  # prompt tokens the server read anew (not cached)
        cached: int | None = None
        generated = 0
        try:
            while True:
                when, label = deadline()
                try:
                    async with asyncio.timeout_at(when):
                        chunk: ChatCompletionChunk = await anext(response)
                except StopAsyncIteration:
                    break
                except TimeoutError:
                    if label == "first_token":
                        self._slow += 1
                    raise self._timeout(label) from None
                except (openai.OpenAIError, ValueError, OSError) as exc:
                    raise self._error(exc) from None
                if chunk.usage is not None:
                    usage = Usage(
                        prompt_tokens=chunk.usage.prompt_tokens,
                        completion_tokens=chunk.usage.completion_tokens,
                        estimated=False,
                    )
                found, found_cached = prompt_read_of(chunk)
                if found is not None:
                    read, cached = found, found_cached
                for choice in chunk.choices:
                    if choice.finish_reason:
                        finish = choice.finish_reason
                text = "".join(
                    c.delta.content for c in chunk.choices if c.delta and c.delta.content
                )
                if text and which == "first_token":
                    self._measured(loop.time() - start, new_tokens)
                    # Where a local model's first-token time goes (bench/dm_quality.py).
                    log.debug(
                        "DM provider %s: call %s first token after %.3f s",
                        self.name,
                        call,
                        loop.time() - start + waited,
                    )
                if text:
                    # The first-token deadline covers role-only and empty chunks too: a
                    # server can send headers promptly and then stall before any text.
                    which = "chunk_gap"
                if which == "chunk_gap":
                    next_at = loop.time() + self.timeouts.chunk_gap
                if text:
                    generated += 1
                    yield text
        finally:
            await self._close_response(response)
        if finish is None:
            raise ProviderError(
                "retryable: the stream ended without a finish reason",
                category="retryable",
                code="incomplete",
            )
        yield Finish(finish)
        if usage is None and read is not None:
            # llama.cpp without a usage chunk: its timings count the prompt (read plus
            # reused) and the answer's tokens, one text delta each.
            usage = Usage(read + (cached or 0), generated, estimated=False)
        if usage is not None:
            if read is not None:
                usage = Usage(usage.prompt_tokens, usage.completion_tokens, False, read)
            yield usage

    async def _close_response(self, response: openai.AsyncStream[ChatCompletionChunk]) -> None:
        # Closing must not hang on a dead peer.
        try:
            async with asyncio.timeout(_CLOSE_DEADLINE):
                await response.close()
        except (TimeoutError, openai.OpenAIError, OSError, ValueError):
            pass

    async def aclose(self) -> None:
        """Close the SDK client and its connection pool. Idempotent."""
        if not self._closed:
            self._closed = True
            await self._client.close()


__all__ = [
    "LLAMA_DEFAULT_CONTEXT",
    "NO_KEY",
    "OpenAIProvider",
    "classify",
    "is_loopback",
    "parse_retry_after",
    "prompt_read_of",
    "read_context_size",
]
