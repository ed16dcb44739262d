"""The Provider protocol and the value types shared by every provider and the chain.

Invariants:
- A ``Prompt`` always keeps its system messages and its final message; ``shrunk`` only
  drops older conversational turns.
- A provider's ``stream`` yields text deltas, at most one ``Finish`` after them and at
  most one ``Usage``, which, when present, is the last item. It raises only
  ``ProviderError`` (and ``CancelledError``).
- ``str(ProviderError)`` never contains an API key: providers build the message from
  status, code and a scrubbed detail.
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from typing import Literal, Protocol, runtime_checkable

from attrs import frozen

from mud.core.narration import NarrationRequest

Role = Literal["system", "user", "assistant"]
ErrorCategory = Literal["retryable", "fatal", "context_length"]


def estimate_tokens(text: str) -> int:
    """A cheap token estimate (about four characters per token, at least 1 for non-empty text)."""
    if not text:
        return 0
    return max(1, (len(text) + 3) // 4)


@frozen
class ChatMessage:
    """One chat message in OpenAI's shape."""

    role: Role
    content: str


@frozen
class Prompt:
    """What a provider is asked: messages plus sampling limits.

    ``prompt_version`` identifies the prompt builder's template revision (for caching and
    records); providers ignore it.
    """

    messages: tuple[ChatMessage, ...]
    max_tokens: int = 220
    temperature: float = 0.8
    prompt_version: str = "1"

    def shrunk(self) -> Prompt:
        """A copy with about half of the droppable messages removed, oldest first.

        Droppable messages are the non-system ones before the final message. Used by the
        chain to retry once after a context-length error. Returns ``self``'s equal when
        nothing can be dropped.
        """
        if not self.messages:
            return self
        *head, last = self.messages
        droppable = [i for i, m in enumerate(head) if m.role != "system"]
        if not droppable:
            return self
        # Drop the older half (rounded up) so a single history message is also dropped.
        n_drop = (len(droppable) + 1) // 2
        dropped = set(droppable[:n_drop])
        kept = tuple(m for i, m in enumerate(head) if i not in dropped)
        return Prompt(
            messages=(*kept, last),
            max_tokens=self.max_tokens,
            temperature=self.temperature,
            prompt_version=self.prompt_version,
        )

    def approx_tokens(self) -> int:
        """Estimated prompt tokens: chars/4 over the content of every message."""
        return estimate_tokens("".join(m.content for m in self.messages))


@frozen
class Usage:
    """Tokens used by one call. ``estimated`` is True when we counted, not the provider.

    ``prompt_read`` is how many of the prompt tokens the server actually read (llama.cpp's
    ``timings.prompt_n``; OpenAI's ``prompt_tokens`` less its ``cached_tokens``): the
    rest came from its prefix cache. None when the server did not say.
    """

    prompt_tokens: int
    completion_tokens: int
    estimated: bool
    prompt_read: int | None = None


@frozen
class Finish:
    """Why a provider's stream ended, when it said so (``"stop"``, ``"length"``, ...).

    Yielded after the last text delta and before ``Usage``. ``"length"`` means the answer
    hit ``max_tokens``: the chain then ends the narration at its last full sentence.
    """

    reason: str


@frozen
class Timeouts:
    """Deadlines (seconds) for one provider call.

    ``connect``: establishing the connection; ``first_token``: from the request to the
    first text delta; ``chunk_gap``: the longest silence between chunks; ``total``: the
    whole call.
    """

    connect: float = 3.0
    first_token: float = 8.0
    chunk_gap: float = 5.0
    total: float = 30.0


class ProviderError(Exception):
    """A provider call failed.

    ``category`` tells the chain what to do: ``retryable`` (back off and retry, then fail
    over), ``fatal`` (fail over at once), ``context_length`` (retry once with a shrunk
    prompt). ``status`` is the HTTP status when there was one, ``retry_after`` the
    server's requested delay in seconds, ``code`` the API error code. The message must
    never contain an API key.
    """

    def __init__(
        self,
        message: str,
        *,
        category: ErrorCategory,
        status: int | None = None,
        retry_after: float | None = None,
        code: str | None = None,
    ) -> None:
        super().__init__(message)
        self.category: ErrorCategory = category
        self.status = status
        self.retry_after = retry_after
        self.code = code

    def __repr__(self) -> str:
        return (
            f"ProviderError({str(self)!r}, category={self.category!r}, "
            f"status={self.status!r}, retry_after={self.retry_after!r}, code={self.code!r})"
        )


class Provider(Protocol):
    """A source of narration text. Called only by ``mud.dm.chain.ProviderChain``.

    ``name`` is a configurable label ("openai", "local", "offline"), ``model`` the model
    id, ``offline`` True only for the offline narrator.
    """

    name: str
    model: str
    offline: bool

    def stream(
        self, prompt: Prompt, request: NarrationRequest
    ) -> AsyncIterator[str | Finish | Usage]:
        """Yield text deltas, then at most one ``Finish`` and at most one ``Usage`` (last).

        Raises ``ProviderError`` on any failure (including timeouts); the caller closing
        the iterator early releases the underlying connection.
        """
        ...


@runtime_checkable
class SupportsAclose(Protocol):
    """A provider that holds connections. ``ProviderChain.aclose`` calls ``aclose`` on
    every provider that has one (it is not part of ``Provider`` so that scripted test
    providers need not define it)."""

    async def aclose(self) -> None: ...


@runtime_checkable
class SupportsProbe(Protocol):
    """A provider the chain can probe in the background while its breaker is open.

    ``probe`` asks the server a cheap question and returns True when it answered; it
    must not raise (except ``CancelledError``) and must finish within a few seconds.
    """

    async def probe(self) -> bool: ...


@runtime_checkable
class SupportsPrewarm(Protocol):
    """A provider whose server keeps a prefix cache worth filling ahead of a request (a
    local model). ``prewarm`` has it read ``prompt`` (answering one token, thrown away)
    when it is idle, returns whether it did, never raises (except ``CancelledError``)
    and finishes within its own deadline."""

    async def prewarm(self, prompt: Prompt) -> bool: ...
