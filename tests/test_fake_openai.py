"""The fake OpenAI server itself: wire format, recording, faults and clean shutdown."""

from __future__ import annotations

import asyncio
import json
from typing import Any

import openai
from fake_openai import DEFAULT_TOKENS, FakeOpenAI, Fault


async def raw_request(
    port: int, method: str, path: str, body: dict[str, Any] | None = None
) -> tuple[str, bytes, bool]:
    """One HTTP/1.1 request over a fresh socket: (head, de-chunked body, complete).

    ``complete`` is False when the server dropped the connection before the body ended.
    """
    reader, writer = await asyncio.open_connection("127.0.0.1", port)
    data = json.dumps(body).encode() if body is not None else b""
    head = (
        f"{method} {path} HTTP/1.1\r\nHost: 127.0.0.1\r\ncontent-type: application/json\r\n"
        f"content-length: {len(data)}\r\nauthorization: Bearer sk-raw\r\n\r\n"
    )
    writer.write(head.encode() + data)
    await writer.drain()
    raw_head = ""
    out = b""
    complete = False
    try:
        async with asyncio.timeout(3):
            raw_head = (await reader.readuntil(b"\r\n\r\n")).decode()
            lower = raw_head.lower()
            if "transfer-encoding: chunked" in lower:
                while True:
                    size = int((await reader.readuntil(b"\r\n")).strip(), 16)
                    if size == 0:
                        await reader.readexactly(2)
                        complete = True
                        break
                    out += (await reader.readexactly(size + 2))[:-2]
            else:
                length = int(lower.split("content-length:")[1].split("\r\n")[0])
                out = await reader.readexactly(length)
                complete = True
    except asyncio.IncompleteReadError as exc:
        out += exc.partial
    finally:
        writer.close()
        await writer.wait_closed()
    return raw_head, out, complete


async def test_sse_wire_format_with_usage() -> None:
    async with FakeOpenAI(model="m1") as srv:
        raw = await raw_request(
            srv.port,
            "POST",
            "/v1/chat/completions",
            {
                "model": "m1",
                "messages": [{"role": "user", "content": "hello there"}],
                "stream": True,
                "stream_options": {"include_usage": True},
            },
        )
    head, body, complete = raw
    assert complete
    assert head.startswith("HTTP/1.1 200")
    assert "text/event-stream" in head
    events = body.decode().split("\n\n")
    assert events[-1] == ""
    assert all(e.startswith("data: ") for e in events[:-1])
    payloads = [e.removeprefix("data: ") for e in events[:-1]]
    assert payloads[-1] == "[DONE]"
    chunks = [json.loads(p) for p in payloads[:-1]]
    assert all(c["object"] == "chat.completion.chunk" and c["model"] == "m1" for c in chunks)
    assert chunks[0]["choices"][0]["delta"]["role"] == "assistant"
    text = "".join(c["choices"][0]["delta"].get("content") or "" for c in chunks if c["choices"])
    assert text == "".join(DEFAULT_TOKENS)
    assert chunks[-2]["choices"][0]["finish_reason"] == "stop"
    assert chunks[-1]["choices"] == []
    assert chunks[-1]["usage"]["completion_tokens"] == len(DEFAULT_TOKENS)
    assert srv.requests[0]["messages"][0]["content"] == "hello there"


async def test_no_usage_chunk_unless_asked() -> None:
    async with FakeOpenAI() as srv:
        raw = await raw_request(
            srv.port, "POST", "/v1/chat/completions", {"messages": [], "stream": True}
        )
    _, body, _ = raw
    chunks = [json.loads(e[6:]) for e in body.decode().split("\n\n") if e and e != "data: [DONE]"]
    assert all("usage" not in c for c in chunks)


async def test_sdk_non_streaming_and_models() -> None:
    async with FakeOpenAI(model="m2") as srv:
        client = openai.AsyncOpenAI(base_url=srv.base_url, api_key="sk-x", max_retries=0)
        try:
            models = await client.models.list()
            completion = await client.chat.completions.create(
                model="m2", messages=[{"role": "user", "content": "hi"}]
            )
        finally:
            await client.close()
    assert [m.id for m in models.data] == ["m2"]
    assert completion.choices[0].message.content == "".join(DEFAULT_TOKENS)
    assert completion.usage is not None and completion.usage.completion_tokens == 6
    assert [(r.method, r.path) for r in srv.log] == [
        ("GET", "/v1/models"),
        ("POST", "/v1/chat/completions"),
    ]


async def test_script_then_default() -> None:
    async with FakeOpenAI(default=Fault("http_500")) as srv:
        srv.script(Fault("text", tokens=("ok",)))
        client = openai.AsyncOpenAI(base_url=srv.base_url, api_key="sk-x", max_retries=0)
        try:
            first = await client.chat.completions.create(model="m", messages=[])
            try:
                await client.chat.completions.create(model="m", messages=[])
            except openai.InternalServerError as exc:
                second_status = exc.status_code
        finally:
            await client.close()
    assert first.choices[0].message.content == "ok"
    assert second_status == 500
    assert len(srv.requests) == 2


async def test_error_bodies_and_headers() -> None:
    async with FakeOpenAI() as srv:
        srv.script(Fault("http_429", retry_after=4), Fault("quota"), Fault("context_length"))
        raws = [
            await raw_request(srv.port, "POST", "/v1/chat/completions", {"messages": []})
            for _ in range(3)
        ]
        missing = await raw_request(srv.port, "GET", "/v1/nothing")
    heads = [r[0] for r in raws]
    bodies = [json.loads(r[1]) for r in raws]
    assert heads[0].startswith("HTTP/1.1 429") and "retry-after: 4" in heads[0]
    assert bodies[1]["error"]["code"] == "insufficient_quota"
    assert heads[2].startswith("HTTP/1.1 400")
    assert bodies[2]["error"]["code"] == "context_length_exceeded"
    assert missing[0].startswith("HTTP/1.1 404")


async def test_closes_cleanly_with_a_hanging_request() -> None:
    srv = FakeOpenAI(default=Fault("hang"))
    await srv.__aenter__()
    reader, writer = await asyncio.open_connection("127.0.0.1", srv.port)
    body = b'{"messages": [], "stream": true}'
    writer.write(
        b"POST /v1/chat/completions HTTP/1.1\r\nhost: x\r\ncontent-length: "
        + str(len(body)).encode()
        + b"\r\n\r\n"
        + body
    )
    await writer.drain()
    await srv.wait_requests(1)
    loop = asyncio.get_running_loop()
    start = loop.time()
    await srv.aclose()
    assert loop.time() - start < 1.0  # the hanging handler ended at once
    async with asyncio.timeout(2):
        assert await reader.read() == b""  # the connection was dropped, no answer
    writer.close()
    others = [t for t in asyncio.all_tasks() if t is not asyncio.current_task()]
    assert others == []


async def test_cut_mid_stream_drops_the_connection() -> None:
    async with FakeOpenAI(default=Fault("cut", after=1)) as srv:
        raw = await raw_request(
            srv.port, "POST", "/v1/chat/completions", {"messages": [], "stream": True}
        )
    _, body, complete = raw
    assert not complete
    assert b"[DONE]" not in body
    assert b'"content": "The "' in body
