"""A real OpenAI-compatible HTTP server on 127.0.0.1 for tests, with faults on demand.

Pure asyncio: ``asyncio.start_server`` plus a minimal HTTP/1.1 parser (keep-alive,
Content-Length request bodies, chunked responses). Serves

- ``POST /v1/chat/completions``: streaming (Server-Sent Events, ``data: {chunk}\\n\\n`` ...
  a usage chunk when ``stream_options.include_usage``, then ``data: [DONE]``) or plain JSON;
- ``GET /v1/models``;
- with ``key``, a 401 ``invalid_api_key`` to any request bearing another key;
- ``GET /props`` (llama.cpp's server properties) when ``n_ctx`` is set, else 404.

``prefix_cache`` imitates a server that keeps the previous prompt cached: each prompt's
tokens (its messages' characters / 4) split into those shared with the previous prompt
(cached) and the rest (read). ``"llama"`` reports them as llama.cpp does, ``timings``
(``prompt_n`` read, ``cache_n`` cached, ``predicted_n``) on the last chunk;
``"openai"`` as ``usage.prompt_tokens_details.cached_tokens``. ``reads`` lists the
tokens read per chat request.

Every chat request body is recorded in ``requests`` (parsed JSON). What each chat request
gets is decided by the next scripted ``Fault`` (``script``), else by ``default``.

Usage::

    async with FakeOpenAI() as srv:
        srv.script(Fault("http_429", retry_after=2))
        client = AsyncOpenAI(base_url=srv.base_url, api_key="k")

Closing cancels every connection handler and waits for it, so no task outlives the
server.
"""

from __future__ import annotations

import asyncio
import json
from collections import deque
from types import TracebackType
from typing import Any, Literal

from attrs import field, frozen

FaultKind = Literal[
    "text",  # normal answer made of ``tokens``
    "hang",  # accept the request and never answer
    "slow_first",  # send headers, then wait ``delay`` before the first token
    "drip",  # one token every ``interval`` seconds
    "http_429",  # rate limited, with Retry-After (``retry_after``) / retry-after-ms
    "http_500",
    "http_400",
    "http_401",
    "http_404",
    "quota",  # 429 with code insufficient_quota
    "context_length",  # 400 with code context_length_exceeded
    "cut",  # send ``after`` tokens, then drop the connection mid-stream
    "stream_error",  # send ``after`` tokens, then an error event inside the stream
    "malformed",  # send ``after`` tokens, then a data line that is not JSON
    "escapes",  # a normal answer whose text is full of terminal escape sequences
    "no_finish",  # send ``after`` tokens, then end the body cleanly with no finish reason
    "length",  # a normal answer whose finish reason is "length" (hit max_tokens)
]

DEFAULT_TOKENS: tuple[str, ...] = ("The ", "torch ", "gutters; ", "shadows ", "lean ", "closer.")
ESCAPE_TOKENS: tuple[str, ...] = (
    "\x1b[2J\x1b[H",
    "The wall ",
    "\x1b]0;pwned\x07",
    "\x1b[31mbleeds\x1b[0m ",
    "\u202e",
    "red.\x07\r\n",
)
_HANG_LIMIT = 60.0  # even a hanging answer ends eventually (the server closes it first)


class _Closing(Exception):
    """The server is shutting down; the handler ends quietly."""


@frozen
class Fault:
    """What the server does with one chat request (see ``FaultKind``)."""

    kind: FaultKind = "text"
    tokens: tuple[str, ...] = DEFAULT_TOKENS
    delay: float = 0.0
    interval: float = 0.0
    retry_after: float | None = None
    retry_after_ms: float | None = None
    after: int = 2
    message: str = ""


@frozen
class Recorded:
    """One request as received: method, path, lower-cased headers and parsed JSON body."""

    method: str
    path: str
    headers: dict[str, str] = field(eq=False)
    body: Any = field(eq=False)


def _error_body(message: str, type_: str, code: str | None) -> bytes:
    return json.dumps(
        {"error": {"message": message, "type": type_, "param": None, "code": code}}
    ).encode()


class FakeOpenAI:
    """The server. ``base_url`` is valid between ``__aenter__`` and ``__aexit__``."""

    def __init__(
        self,
        *,
        model: str = "fake-model",
        default: Fault | None = None,
        n_ctx: int | None = None,
        port: int = 0,
        prefix_cache: Literal["none", "llama", "openai"] = "none",
        key: str | None = None,
    ) -> None:
        self.model = model
        # With ``key``, every request bearing another key is refused 401 invalid_api_key,
        # the model list too, as the real API refuses a revoked key.
        self.key = key
        self._want_port = port  # 0 = any free port; a fixed one lets a test restart it
        self.n_ctx = n_ctx
        self.prefix_cache = prefix_cache
        self.reads: list[int] = []  # prompt tokens read anew per chat request (prefix_cache)
        self._last_prompt = ""
        self.default = default or Fault()
        self.requests: list[Any] = []  # chat request bodies, in arrival order
        self.log: list[Recorded] = []  # every request
        self._script: deque[Fault] = deque()
        self._server: asyncio.Server | None = None
        self._handlers: set[asyncio.Task[None]] = set()
        self._writers: set[asyncio.StreamWriter] = set()
        self._changed = asyncio.Condition()
        self._closing = asyncio.Event()
        self._counter = 0
        self.port = 0
        self.hangups = 0  # streams the client closed while the server was still answering

    @property
    def base_url(self) -> str:
        return f"http://127.0.0.1:{self.port}/v1"

    def script(self, *faults: Fault) -> None:
        """Queue faults for the next chat requests, in order (then ``default`` applies)."""
        self._script.extend(faults)

    async def wait_requests(self, n: int, *, within: float = 5.0) -> None:
        """Wait until at least ``n`` chat requests have arrived; TimeoutError after ``within`` s."""
        async with asyncio.timeout(within), self._changed:
            await self._changed.wait_for(lambda: len(self.requests) >= n)

    async def wait_hangups(self, n: int, *, within: float = 5.0) -> None:
        """Wait until the client has closed ``n`` streams early; TimeoutError after ``within``."""
        async with asyncio.timeout(within), self._changed:
            await self._changed.wait_for(lambda: self.hangups >= n)

    async def __aenter__(self) -> FakeOpenAI:
        self._server = await asyncio.start_server(self._handle, "127.0.0.1", self._want_port)
        self.port = self._server.sockets[0].getsockname()[1]
        return self

    async def __aexit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        await self.aclose()

    async def aclose(self) -> None:
        """Stop listening, drop every connection and wait for every handler to finish."""
        # Handlers are not cancelled (a cancelled stream handler makes asyncio log noise):
        # pauses wake on ``_closing`` and reads fail once the transports are aborted.
        self._closing.set()
        if self._server is not None:
            self._server.close()
        for writer in list(self._writers):
            writer.transport.abort()
        if self._handlers:
            async with asyncio.timeout(5.0):
                await asyncio.gather(*self._handlers, return_exceptions=True)
        if self._server is not None:
            await self._server.wait_closed()
            self._server = None

    async def _pause(self, seconds: float) -> None:
        """Sleep ``seconds``; raise ``_Closing`` at once if the server is closing."""
        try:
            async with asyncio.timeout(seconds):
                await self._closing.wait()
        except TimeoutError:
            return
        raise _Closing

    async def _pause_watching(self, seconds: float, reader: asyncio.StreamReader) -> None:
        """Pause like ``_pause``, but notice at once when the client closes the connection
        (counted in ``hangups``; raises ConnectionError)."""
        eof = asyncio.ensure_future(reader.read(1))
        pause = asyncio.ensure_future(self._pause(seconds))
        try:
            await asyncio.wait({eof, pause}, return_when=asyncio.FIRST_COMPLETED)
        finally:
            for t in (eof, pause):
                t.cancel()
            results = await asyncio.gather(eof, pause, return_exceptions=True)
        if eof.done() and not eof.cancelled() and results[0] == b"":
            async with self._changed:
                self.hangups += 1
                self._changed.notify_all()
            raise ConnectionError("client closed the stream")
        if isinstance(results[1], _Closing):
            raise _Closing

    # -- connection handling -------------------------------------------------------------

    async def _handle(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        task = asyncio.current_task()
        assert task is not None
        self._handlers.add(task)
        self._writers.add(writer)
        try:
            while await self._one_request(reader, writer):
                pass
        except (ConnectionError, asyncio.IncompleteReadError, asyncio.LimitOverrunError, _Closing):
            pass
        finally:
            self._handlers.discard(task)
            self._writers.discard(writer)
            writer.transport.abort()

    async def _one_request(
        self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter
    ) -> bool:
        """Serve one request; False when the connection should end."""
        try:
            head = await reader.readuntil(b"\r\n\r\n")
        except asyncio.IncompleteReadError:
            return False
        lines = head.decode("latin-1").split("\r\n")
        method, path, _version = lines[0].split(" ", 2)
        headers: dict[str, str] = {}
        for line in lines[1:]:
            if ":" in line:
                key, value = line.split(":", 1)
                headers[key.strip().lower()] = value.strip()
        length = int(headers.get("content-length", "0"))
        raw = await reader.readexactly(length) if length else b""
        body: Any = None
        if raw:
            try:
                body = json.loads(raw)
            except ValueError:
                body = raw.decode("utf-8", "replace")
        self.log.append(Recorded(method, path, headers, body))
        bearer = headers.get("authorization", "").removeprefix("Bearer ").strip()
        if self.key is not None and bearer != self.key:
            refused = _error_body(
                "Incorrect API key provided", "invalid_request_error", "invalid_api_key"
            )
            await self._send_json(writer, 401, refused)
            return True
        if method == "GET" and path.rstrip("/") == "/v1/models":
            payload = {
                "object": "list",
                "data": [{"id": self.model, "object": "model", "created": 0, "owned_by": "fake"}],
            }
            await self._send_json(writer, 200, json.dumps(payload).encode())
            return True
        if method == "GET" and path == "/props" and self.n_ctx is not None:
            props = {"default_generation_settings": {"n_ctx": self.n_ctx}, "total_slots": 1}
            await self._send_json(writer, 200, json.dumps(props).encode())
            return True
        if method == "POST" and path.rstrip("/") == "/v1/chat/completions":
            async with self._changed:
                self.requests.append(body)
                self._changed.notify_all()
            fault = self._script.popleft() if self._script else self.default
            auth = headers.get("authorization", "")
            key = auth.removeprefix("Bearer ").strip()
            return await self._chat(
                reader, writer, body if isinstance(body, dict) else {}, fault, key
            )
        await self._send_json(writer, 404, _error_body("no such route", "invalid_request", None))
        return True

    async def _send_json(
        self,
        writer: asyncio.StreamWriter,
        status: int,
        data: bytes,
        extra: dict[str, str] | None = None,
    ) -> None:
        reasons = {200: "OK", 400: "Bad Request", 401: "Unauthorized", 404: "Not Found"}
        reasons |= {429: "Too Many Requests", 500: "Internal Server Error"}
        head = [
            f"HTTP/1.1 {status} {reasons.get(status, 'Status')}",
            "content-type: application/json",
            f"content-length: {len(data)}",
            "connection: keep-alive",
        ]
        head += [f"{k}: {v}" for k, v in (extra or {}).items()]
        writer.write(("\r\n".join(head) + "\r\n\r\n").encode() + data)
        await writer.drain()

    # -- chat completions ----------------------------------------------------------------

    async def _chat(
        self,
        reader: asyncio.StreamReader,
        writer: asyncio.StreamWriter,
        body: dict[str, Any],
        fault: Fault,
        key: str,
    ) -> bool:
        kind = fault.kind
        if kind == "hang":
            await self._pause(_HANG_LIMIT)
            return False
        errors: dict[str, tuple[int, str, str, str | None]] = {
            "http_429": (429, "Rate limit reached; slow down.", "requests", "rate_limit_exceeded"),
            "http_500": (500, "The server had an error.", "server_error", None),
            "http_400": (400, "Invalid value for 'messages'.", "invalid_request_error", None),
            "http_401": (
                401,
                # Echo the whole key back (worse than the real API) to test scrubbing.
                f"Incorrect API key provided: {key}. You can find your API key at the dashboard.",
                "invalid_request_error",
                "invalid_api_key",
            ),
            "http_404": (
                404,
                "The model does not exist.",
                "invalid_request_error",
                "model_not_found",
            ),
            "quota": (
                429,
                "You exceeded your current quota.",
                "insufficient_quota",
                "insufficient_quota",
            ),
            "context_length": (
                400,
                "This model's maximum context length is 8192 tokens.",
                "invalid_request_error",
                "context_length_exceeded",
            ),
        }
        if kind in errors:
            status, message, type_, code = errors[kind]
            extra: dict[str, str] = {}
            if fault.retry_after is not None:
                extra["retry-after"] = f"{fault.retry_after:g}"
            if fault.retry_after_ms is not None:
                extra["retry-after-ms"] = f"{fault.retry_after_ms:g}"
            await self._send_json(
                writer, status, _error_body(fault.message or message, type_, code), extra
            )
            return True
        tokens = ESCAPE_TOKENS if kind == "escapes" else fault.tokens
        if not body.get("stream"):
            return await self._plain(writer, body, tokens)
        return await self._stream(reader, writer, body, fault, tokens)

    @staticmethod
    def _prompt_text(body: dict[str, Any]) -> str:
        messages = body.get("messages") or []
        return "".join(
            f"<{m.get('role')}>{m.get('content', '')}" for m in messages if isinstance(m, dict)
        )

    def _cache(self, body: dict[str, Any]) -> tuple[int, int]:
        """(tokens read, tokens cached) for this prompt against the previous one."""
        text = self._prompt_text(body)
        shared = 0
        for a, b in zip(self._last_prompt, text, strict=False):
            if a != b:
                break
            shared += 1
        self._last_prompt = text
        total = max(1, len(text) // 4)
        cached = min(total - 1, shared // 4)
        self.reads.append(total - cached)
        return total - cached, cached

    def _usage(
        self, body: dict[str, Any], tokens: tuple[str, ...], cache: tuple[int, int] | None = None
    ) -> dict[str, Any]:
        messages = body.get("messages") or []
        chars = sum(len(str(m.get("content", ""))) for m in messages if isinstance(m, dict))
        prompt = max(1, chars // 4)
        usage: dict[str, Any] = {
            "prompt_tokens": prompt,
            "completion_tokens": len(tokens),
            "total_tokens": prompt + len(tokens),
        }
        if cache is not None:
            read, cached = cache
            usage["prompt_tokens"] = read + cached
            usage["total_tokens"] = read + cached + len(tokens)
            if self.prefix_cache == "openai":
                usage["prompt_tokens_details"] = {"cached_tokens": cached}
        return usage

    async def _plain(
        self, writer: asyncio.StreamWriter, body: dict[str, Any], tokens: tuple[str, ...]
    ) -> bool:
        self._counter += 1
        payload = {
            "id": f"chatcmpl-fake-{self._counter}",
            "object": "chat.completion",
            "created": 1_700_000_000,
            "model": self.model,
            "choices": [
                {
                    "index": 0,
                    "message": {"role": "assistant", "content": "".join(tokens)},
                    "logprobs": None,
                    "finish_reason": "stop",
                }
            ],
            "usage": self._usage(body, tokens),
        }
        await self._send_json(writer, 200, json.dumps(payload).encode())
        return True

    def _chunk(
        self, ident: str, delta: dict[str, Any], finish: str | None, usage_slot: bool
    ) -> dict[str, Any]:
        chunk: dict[str, Any] = {
            "id": ident,
            "object": "chat.completion.chunk",
            "created": 1_700_000_000,
            "model": self.model,
            "system_fingerprint": None,
            "choices": [{"index": 0, "delta": delta, "logprobs": None, "finish_reason": finish}],
        }
        if usage_slot:
            chunk["usage"] = None
        return chunk

    async def _stream(
        self,
        reader: asyncio.StreamReader,
        writer: asyncio.StreamWriter,
        body: dict[str, Any],
        fault: Fault,
        tokens: tuple[str, ...],
    ) -> bool:
        self._counter += 1
        ident = f"chatcmpl-fake-{self._counter}"
        cache = self._cache(body) if self.prefix_cache != "none" else None
        options = body.get("stream_options") or {}
        include_usage = bool(options.get("include_usage"))
        head = (
            "HTTP/1.1 200 OK\r\n"
            "content-type: text/event-stream; charset=utf-8\r\n"
            "transfer-encoding: chunked\r\n"
            "cache-control: no-cache\r\n"
            "connection: keep-alive\r\n\r\n"
        )
        writer.write(head.encode())
        await writer.drain()

        async def send(data: str) -> None:
            raw = data.encode()
            writer.write(f"{len(raw):x}\r\n".encode() + raw + b"\r\n")
            await writer.drain()

        async def event(obj: dict[str, Any]) -> None:
            await send(f"data: {json.dumps(obj)}\n\n")

        if fault.kind == "slow_first":
            await self._pause_watching(fault.delay, reader)
        await event(self._chunk(ident, {"role": "assistant", "content": ""}, None, include_usage))
        partial = ("cut", "stream_error", "malformed", "no_finish")
        limit = fault.after if fault.kind in partial else len(tokens)
        for i, token in enumerate(tokens[:limit]):
            if fault.kind == "drip" and i > 0:
                await self._pause_watching(fault.interval, reader)
            await event(self._chunk(ident, {"content": token}, None, include_usage))
        if fault.kind == "cut":
            # Drop the connection with the chunked body unfinished.
            writer.transport.abort()
            return False
        if fault.kind == "stream_error":
            await event(
                {
                    "error": {
                        "message": "The model overloaded mid-stream.",
                        "type": "server_error",
                        "param": None,
                        "code": "overloaded",
                    }
                }
            )
            await send("")  # terminating chunk (zero length)
            return True
        if fault.kind == "malformed":
            await send('data: {"id": "broken", "choices": [\n\n')
            await send("")
            return True
        if fault.kind == "no_finish":
            # Like a local server that gives up: a well-formed end, but no finish reason.
            await send("")
            return True
        finish = "length" if fault.kind == "length" else "stop"
        last = self._chunk(ident, {}, finish, include_usage)
        if cache is not None and self.prefix_cache == "llama":
            last["timings"] = {
                "prompt_n": cache[0],
                "cache_n": cache[1],
                "predicted_n": len(tokens),
                "prompt_ms": 1.0,
            }
        await event(last)
        if include_usage:
            usage_chunk = self._chunk(ident, {}, None, False)
            usage_chunk["choices"] = []
            usage_chunk["usage"] = self._usage(body, tokens, cache)
            await event(usage_chunk)
        await send("data: [DONE]\n\n")
        await send("")
        return True


__all__ = ["DEFAULT_TOKENS", "ESCAPE_TOKENS", "FakeOpenAI", "Fault", "Recorded"]
