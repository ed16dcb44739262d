"""A paced OpenAI-compatible streaming server for the DM fan-out benchmark (127.0.0.1 only).

``PacedSSE`` answers ``POST /v1/chat/completions`` with Server-Sent Events the way the
official SDK expects them (a role chunk, content chunks, a finish chunk, a usage chunk
when ``stream_options.include_usage`` asks for one, ``data: [DONE]``), over HTTP/1.1
keep-alive with chunked bodies.

A request whose *last* message contains ``marker`` is a measured one: it is answered
with ``tokens_per_answer`` distinct tokens (``w<n> ``, ``n`` counting up over the whole
run) sent every ``interval`` seconds on an absolute schedule, and the ``now()`` time right
after each token's bytes were handed to the socket is recorded in a ``PacedAnswer``.
Every other request (the opening narrations of logins) gets ``quick_text`` at once, as
does one whose ``max_tokens`` is below ``tokens_per_answer`` (a prefix warm-up), cut to
``max_tokens`` pieces as a real server would.

Invariants: listens on 127.0.0.1 only; every read and every pause is bounded (a
connection idle for ``idle_timeout`` is dropped, a pause ends when the server closes);
``aclose`` aborts every connection and waits (bounded) for every handler, so no task
outlives the server.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import time
from collections.abc import Callable
from typing import Any

from attrs import define, field

HOST = "127.0.0.1"
QUICK_TEXT = ("The ", "lamps ", "steady ", "as ", "you ", "arrive.")


@define
class PacedAnswer:
    """One measured answer, filled in while it streams (owned by its handler).

    ``token_ids[i]`` was sent at ``sent[i]``; ``done`` is the time the closing
    ``[DONE]`` event was written (None while streaming or if the client went away).
    """

    marker_text: str
    started: float
    token_ids: list[int] = field(factory=list)
    sent: list[float] = field(factory=list)
    done: float | None = None

    @property
    def tokens(self) -> list[str]:
        """The exact text pieces sent, in order."""
        return [token_text(i) for i in self.token_ids]


def token_text(n: int) -> str:
    """The text of token number ``n`` (a word of its own, ending in a space)."""
    return f"w{n} "


class PacedSSE:
    """The server. ``base_url`` is valid between ``start`` and ``aclose``.

    ``now`` is the benchmark's clock (the same one the telnet clients stamp arrivals
    with), so send and arrival times are comparable.
    """

    def __init__(
        self,
        *,
        marker: str,
        tokens_per_answer: int,
        interval: float,
        now: Callable[[], float] = time.perf_counter,
        model: str = "bench-model",
        quick_text: tuple[str, ...] = QUICK_TEXT,
        idle_timeout: float = 300.0,
    ) -> None:
        if tokens_per_answer < 1 or interval < 0:
            raise ValueError("need tokens_per_answer >= 1 and interval >= 0")
        self.marker = marker
        self.tokens_per_answer = tokens_per_answer
        self.interval = interval
        self.model = model
        self.quick_text = quick_text
        self.idle_timeout = idle_timeout
        self._now = now
        self.requests = 0  # every chat request, measured or not
        self.quick = 0  # quick answers finished
        self.answers: list[PacedAnswer] = []
        self._next_token = 0
        self._server: asyncio.Server | None = None
        self._handlers: set[asyncio.Task[None]] = set()
        self._writers: set[asyncio.StreamWriter] = set()
        self._closing = asyncio.Event()
        self._changed = asyncio.Event()
        self.port = 0

    @property
    def base_url(self) -> str:
        return f"http://{HOST}:{self.port}/v1"

    async def start(self) -> None:
        self._server = await asyncio.start_server(self._handle, HOST, 0)
        self.port = self._server.sockets[0].getsockname()[1]

    async def aclose(self) -> None:
        """Stop listening, drop every connection, wait (5 s at most) for the handlers."""
        self._closing.set()
        if self._server is not None:
            self._server.close()
        for writer in list(self._writers):
            writer.transport.abort()
        if self._handlers:
            with contextlib.suppress(TimeoutError):
                async with asyncio.timeout(5.0):
                    await asyncio.gather(*self._handlers, return_exceptions=True)
        if self._server is not None:
            await self._server.wait_closed()
            self._server = None

    async def wait_for(self, predicate: Callable[[], bool], within: float) -> bool:
        """Wait until ``predicate()`` holds after a request or answer changes state;
        False if ``within`` seconds pass first."""
        try:
            async with asyncio.timeout(within):
                while not predicate():
                    self._changed.clear()
                    await self._changed.wait()
        except TimeoutError:
            return predicate()
        return True

    # -- HTTP -------------------------------------------------------------------------

    async def _handle(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        task = asyncio.current_task()
        assert task is not None
        self._handlers.add(task)
        self._writers.add(writer)
        try:
            while not self._closing.is_set():
                async with asyncio.timeout(self.idle_timeout):
                    more = await self._one(reader, writer)
                if not more:
                    break
        except (ConnectionError, TimeoutError, asyncio.IncompleteReadError, ValueError):
            pass
        finally:
            self._handlers.discard(task)
            self._writers.discard(writer)
            writer.transport.abort()

    async def _one(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> bool:
        try:
            head = await reader.readuntil(b"\r\n\r\n")
        except asyncio.IncompleteReadError:
            return False
        lines = head.decode("latin-1").split("\r\n")
        method, path, _ = lines[0].split(" ", 2)
        headers = {
            k.strip().lower(): v.strip() for k, _, v in (x.partition(":") for x in lines[1:]) if k
        }
        length = int(headers.get("content-length", "0"))
        raw = await reader.readexactly(length) if length else b""
        if method != "POST" or path.rstrip("/") != "/v1/chat/completions":
            body = b'{"error": {"message": "no such route", "type": "invalid_request"}}'
            writer.write(
                b"HTTP/1.1 404 Not Found\r\ncontent-type: application/json\r\n"
                + f"content-length: {len(body)}\r\n\r\n".encode()
                + body
            )
            await writer.drain()
            return True
        request: dict[str, Any] = json.loads(raw) if raw else {}
        self.requests += 1
        self._changed.set()
        messages = request.get("messages") or [{}]
        last = str(messages[-1].get("content", "")) if isinstance(messages[-1], dict) else ""
        include_usage = bool((request.get("stream_options") or {}).get("include_usage"))
        limit = request.get("max_tokens") or request.get("max_completion_tokens")
        await self._stream(writer, last, include_usage, limit if isinstance(limit, int) else None)
        return True

    async def _pause_until(self, when: float) -> None:
        delay = when - self._now()
        if delay <= 0:
            return
        try:
            async with asyncio.timeout(delay):
                await self._closing.wait()
        except TimeoutError:
            return
        raise ConnectionError("server closing")

    async def _stream(
        self, writer: asyncio.StreamWriter, last: str, include_usage: bool, limit: int | None
    ) -> None:
        writer.write(
            b"HTTP/1.1 200 OK\r\ncontent-type: text/event-stream; charset=utf-8\r\n"
            b"transfer-encoding: chunked\r\ncache-control: no-cache\r\n"
            b"connection: keep-alive\r\n\r\n"
        )
        ident = f"chatcmpl-bench-{self.requests}"

        def event(delta: dict[str, Any], finish: str | None = None) -> bytes:
            chunk: dict[str, Any] = {
                "id": ident,
                "object": "chat.completion.chunk",
                "created": 1_700_000_000,
                "model": self.model,
                "choices": [{"index": 0, "delta": delta, "finish_reason": finish}],
            }
            return _frame(f"data: {json.dumps(chunk)}\n\n")

        writer.write(event({"role": "assistant", "content": ""}))
        # A server stops at the request's max_tokens: a one-token prefix warm-up whose
        # prompt holds the marker is answered at once, not paced (and not measured).
        measured = self.marker in last and (limit is None or limit >= self.tokens_per_answer)
        if measured:
            answer = PacedAnswer(last, self._now())
            self.answers.append(answer)
            first = self._next_token
            self._next_token += self.tokens_per_answer
            t0 = self._now()
            for i in range(self.tokens_per_answer):
                await self._pause_until(t0 + i * self.interval)
                writer.write(event({"content": token_text(first + i)}))
                answer.sent.append(self._now())
                answer.token_ids.append(first + i)
                await writer.drain()
            pieces = self.tokens_per_answer
        else:
            quick = self.quick_text[:limit] if limit is not None else self.quick_text
            for piece in quick:
                writer.write(event({"content": piece}))
            pieces = len(quick)
        writer.write(event({}, "stop"))
        if include_usage:
            usage = {
                "prompt_tokens": 100,
                "completion_tokens": pieces,
                "total_tokens": 100 + pieces,
            }
            tail = {"id": ident, "object": "chat.completion.chunk", "created": 1_700_000_000}
            tail |= {"model": self.model, "choices": [], "usage": usage}
            writer.write(_frame(f"data: {json.dumps(tail)}\n\n"))
        writer.write(_frame("data: [DONE]\n\n") + b"0\r\n\r\n")
        if measured:
            answer.done = self._now()
        else:
            self.quick += 1
        self._changed.set()
        await writer.drain()


def _frame(text: str) -> bytes:
    """One HTTP/1.1 chunk holding ``text``."""
    raw = text.encode()
    return f"{len(raw):x}\r\n".encode() + raw + b"\r\n"
