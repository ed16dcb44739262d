"""Test harness: a real server on loopback and real clients (telnetlib3, asyncssh).

``running_server`` starts ``mud.app.run_server`` in-process on port 0 with a database
file in a temporary folder. ``TelnetPlayer`` and ``SshPlayer`` wrap the real client
libraries and wait for expected text with a deadline (never a fixed sleep).
"""

from __future__ import annotations

import asyncio
import codecs
import contextlib
import io
import json
import re
from collections.abc import AsyncIterator, Sequence
from pathlib import Path
from typing import Any

import asyncssh
import telnetlib3
import websockets

from mud.app import ServerHandle, run_server
from mud.config import Config

ANSI = re.compile(r"\x1b\[[0-9;?]*[A-Za-z]")


def plain(text: str) -> str:
    """Text with ANSI escapes removed (telnet control bytes are already gone)."""
    return ANSI.sub("", text)


PROMPT = re.compile(r"^(?:\d+/\d+ HP )?> ?", re.MULTILINE)


def without_prompts(text: str) -> str:
    """``text`` without the prompts at the start of its lines (the default ``12/12 HP >``
    or the plain ``>``): a terminal shows what follows a prompt on the next line, after the
    player's own typing, but a test reads the bytes as they came."""
    return PROMPT.sub("", text)


def sentences_read(region: str, closing: str) -> list[str]:
    """The whole sentences a player read in ``region`` of their screen (the bytes as
    they came: escapes and prompts left out, lines joined), up to the line matching the
    regex ``closing`` (left out too): a narration, then a line said to end the wait."""
    text = re.sub(r"\s+", " ", without_prompts(plain(region)))
    text = re.sub(f"{closing}$", "", text).strip()
    return [s.strip() for s in re.findall(r"[^.!?…]+[.!?…]", text) if s.strip()]


def make_config(tmp_path: Path, *, llm: Any = None, **overrides: Any) -> Config:
    """A loopback test configuration; ``llm`` (a running ``FakeOpenAI``) puts the OpenAI
    provider first, talking to it, with the offline narrator behind."""
    limits = {
        "hash_n": 16,
        "max_per_ip": 200,
        "new_per_ip": 10_000,
        "connect_burst": 10_000,
        "tick": 0.2,
    }
    limits.update(overrides.pop("limits", {}))
    base: dict[str, Any] = {
        "host": "127.0.0.1",
        "telnet_port": 0,
        "ssh_port": 0,
        "web_port": 0,
        "db": str(tmp_path / "mud.db"),
        "host_keys": str(tmp_path / "host_keys"),
        "providers": ("offline",),
        "seed": 7,
        "limits": limits,
        "telnet": {"connect_maxwait": 0.5},
    }
    if llm is not None:
        base.update(
            providers=("openai", "offline"),
            openai_api_key="sk-test-not-a-real-key",
            openai_base_url=llm.base_url,
            openai_model=llm.model,
        )
    base.update(overrides)
    return Config(**base)


@contextlib.asynccontextmanager
async def running_server(config: Config) -> AsyncIterator[ServerHandle]:
    """Run the server until the block ends; then shut it down like SIGTERM would."""
    ready: asyncio.Future[ServerHandle] = asyncio.get_running_loop().create_future()
    out = io.StringIO()
    task = asyncio.create_task(run_server(config, out=out, ready=ready.set_result))
    done, _ = await asyncio.wait({task, ready}, timeout=30, return_when=asyncio.FIRST_COMPLETED)
    if task in done:
        task.result()  # raises the startup error
        raise AssertionError("server stopped before it was ready")
    if ready not in done:
        task.cancel()
        raise AssertionError("server did not start within 30 s")
    handle = ready.result()
    try:
        yield handle
    finally:
        handle.stop("test finished")
        try:
            await asyncio.wait_for(task, 20)
        except TimeoutError:
            task.cancel()
            raise


class Player:
    """Shared expect logic for both kinds of client."""

    def __init__(self) -> None:
        self.buffer = ""
        self.seen = ""

    async def _read(self) -> str:  # pragma: no cover - overridden
        raise NotImplementedError

    async def expect(self, pattern: str, timeout: float = 10.0) -> str:
        """Wait until ``pattern`` (a regex) appears in the output after what was consumed.

        Returns the text up to and including the match, and consumes it.
        """
        regex = re.compile(pattern)
        try:
            async with asyncio.timeout(timeout):
                while True:
                    text = plain(self.buffer)
                    match = regex.search(text)
                    if match:
                        self.buffer = text[match.end() :]
                        return text[: match.end()]
                    chunk = await self._read()
                    if not chunk:
                        raise EOFError(f"connection closed waiting for {pattern!r}; got {text!r}")
                    self.buffer += chunk
                    self.seen += chunk
        except TimeoutError:
            tail = plain(self.buffer)[-1500:]
            raise AssertionError(f"timed out waiting for {pattern!r}; unread:\n{tail}") from None

    async def closed(self, timeout: float = 10.0) -> str:
        """Read until EOF; returns everything read."""
        async with asyncio.timeout(timeout):
            while True:
                chunk = await self._read()
                if not chunk:
                    return plain(self.buffer)
                self.buffer += chunk


class TelnetPlayer(Player):
    def __init__(self, reader: Any, writer: Any) -> None:
        super().__init__()
        self.reader = reader
        self.writer = writer

    @classmethod
    async def connect(
        cls, port: int, *, term: str = "xterm-256color", cols: int = 80, source: str = ""
    ) -> TelnetPlayer:
        """A telnet player on ``port``; ``source`` is the loopback address it connects
        from (``127.0.0.2``: another address to the server), the system's by default."""
        reader, writer = await telnetlib3.open_connection(
            "127.0.0.1",
            port,
            local_addr=(source, 0) if source else None,
            term=term,
            cols=cols,
            rows=24,
            connect_minwait=0.05,
            connect_maxwait=1.0,
        )
        return cls(reader, writer)

    async def _read(self) -> str:
        data: str = await self.reader.read(65536)
        return data

    def send(self, line: str) -> None:
        self.writer.write(line + "\r\n")

    async def close(self) -> None:
        self.writer.close()


class SshPlayer(Player):
    def __init__(self, conn: Any, process: Any, pty: bool) -> None:
        super().__init__()
        self.conn = conn
        self.process = process
        self.pty = pty

    @classmethod
    async def connect(
        cls,
        port: int,
        username: str = "play",
        *,
        password: str | None = None,
        client_keys: Any = (),
        term: str | None = "xterm-256color",
        size: tuple[int, int] = (80, 24),
    ) -> SshPlayer:
        conn = await asyncssh.connect(
            "127.0.0.1",
            port,
            username=username,
            password=password,
            client_keys=list(client_keys) if client_keys else None,
            known_hosts=None,
            agent_path=None,
            preferred_auth="publickey,password"
            if password or client_keys
            else "none,publickey,password",
        )
        process = await conn.create_process(term_type=term, term_size=size if term else None)
        return cls(conn, process, term is not None)

    async def _read(self) -> str:
        data: str = await self.process.stdout.read(65536)
        return data

    def send(self, line: str) -> None:
        self.process.stdin.write(line + ("\r" if self.pty else "\n"))

    async def close(self) -> None:
        self.conn.close()
        with contextlib.suppress(Exception):
            await self.conn.wait_closed()


class WebPlayer(Player):
    """A ``json.mudstandards.org`` WebSocket client, as the bundled page speaks it.

    BINARY frames are game text; TEXT frames (GMCP, echo) are kept in ``envelopes``."""

    def __init__(self, ws: Any) -> None:
        super().__init__()
        self.ws = ws
        self.envelopes: list[dict[str, str]] = []
        self._decoder = codecs.getincrementaldecoder("utf-8")("replace")
        self._sending: asyncio.Task[None] | None = None

    @classmethod
    async def connect(
        cls,
        port: int,
        *,
        subprotocols: tuple[str, ...] = ("json.mudstandards.org",),
        origin: str | None = None,
        supports: tuple[str, ...] = ("Char 1", "Room 1", "Comm 1"),
    ) -> WebPlayer:
        ws = await websockets.connect(
            f"ws://127.0.0.1:{port}/ws",
            subprotocols=[websockets.Subprotocol(p) for p in subprotocols],
            origin=websockets.Origin(origin) if origin else None,
            open_timeout=10,
        )
        player = cls(ws)
        if supports:
            await player.envelope("gmcp", "Core.Supports.Set", json.dumps(list(supports)))
        return player

    async def envelope(self, proto: str, ident: str, data: str) -> None:
        await self.ws.send(json.dumps({"proto": proto, "id": ident, "data": data}))

    async def _read(self) -> str:
        while True:
            try:
                message = await self.ws.recv()
            except websockets.ConnectionClosed:
                return ""
            if isinstance(message, str):
                self.envelopes.append(json.loads(message))
                continue
            return str(self._decoder.decode(message))

    def send(self, line: str) -> None:
        # Like the other players' send, this does not wait; lines still go out in order.
        previous = self._sending

        async def write() -> None:
            if previous is not None:
                await previous
            await self.ws.send((line + "\r\n").encode())

        self._sending = asyncio.get_running_loop().create_task(write())

    def gmcp(self, package: str) -> list[Any]:
        """Payloads of the GMCP messages received so far for ``package``."""
        return [
            json.loads(e["data"])
            for e in self.envelopes
            if e.get("proto") == "gmcp" and e.get("id") == package
        ]

    async def close(self) -> None:
        await self.ws.close()


async def http_get(port: int, path: str, deadline: float = 10.0) -> tuple[bytes, bytes]:
    """GET ``path`` from 127.0.0.1:``port`` over a raw socket; (head, body)."""
    reader, writer = await asyncio.open_connection("127.0.0.1", port)
    writer.write(f"GET {path} HTTP/1.1\r\nHost: localhost\r\n\r\n".encode())
    answer = await asyncio.wait_for(reader.read(), deadline)
    writer.close()
    head, _, body = answer.partition(b"\r\n\r\n")
    return head, body


async def first_to_see(players: Sequence[Player], pattern: str) -> tuple[Player, str]:
    """The player whose output shows ``pattern`` first, and what matched (the others'
    waits are cancelled; what they had read stays unread)."""
    tasks = {asyncio.create_task(p.expect(pattern, timeout=15)): p for p in players}
    done, pending = await asyncio.wait(tasks, return_when=asyncio.FIRST_COMPLETED)
    for task in pending:
        task.cancel()
    await asyncio.gather(*pending, return_exceptions=True)
    task = done.pop()
    return tasks[task], task.result()


async def login_new(
    player: Player, name: str, password: str = "secret-pass", cls: str = "fighter"
) -> None:
    """Create a character through the in-game login (choosing ``cls`` when the packs
    define classes) and wait for the room view."""
    await player.expect("What is your name")
    player.send(name)
    await player.expect(r"Create \w+\? \(yes/no\)")
    player.send("yes")
    await player.expect("Password:")
    player.send(password)
    await player.expect("Repeat the password:")
    player.send(password)
    seen = await player.expect("Exits:|Your class:")
    if seen.endswith("Your class:"):
        player.send(cls)
        await player.expect("Exits:")


async def alice_and_bob(port: int) -> tuple[TelnetPlayer, TelnetPlayer]:
    """Two new characters, Alice and then Bob, logged in over telnet on ``port`` and
    standing in the start room; returns once Alice has seen Bob step into view."""
    alice = await TelnetPlayer.connect(port)
    await login_new(alice, "Alice")
    bob = await TelnetPlayer.connect(port)
    await login_new(bob, "Bob")
    await alice.expect("Bob steps into view")
    return alice, bob


async def telnet_and_ssh(
    telnet_port: int, ssh_port: int, first: str = "Ann", second: str = "Bob"
) -> tuple[TelnetPlayer, SshPlayer]:
    """Two new characters standing in the start room: ``first`` over telnet, then
    ``second`` over SSH; returns once ``first`` has seen ``second`` step into view."""
    one = await TelnetPlayer.connect(telnet_port)
    await login_new(one, first)
    two = await SshPlayer.connect(ssh_port)
    await login_new(two, second)
    await one.expect(f"{second} steps into view")
    return one, two


async def login_existing(player: Player, name: str, password: str = "secret-pass") -> None:
    await player.expect("What is your name")
    player.send(name)
    await player.expect("Password:")
    player.send(password)
    await player.expect("Exits:")


SERVER_SCRIPT = """
import asyncio, sys
from mud.app import run_server
from mud.config import Config
cfg = Config(host="127.0.0.1", telnet_port=0, ssh_port=0, web_port=None,
             db=sys.argv[1], host_keys=sys.argv[2], providers=("offline",), seed=7,
             limits={"hash_n": 16, "tick": 0.2, "admin_refresh": 0.2})
def ready(h):
    print(f"PORT {h.telnet_port}", flush=True)
asyncio.run(run_server(cfg, ready=ready))
"""


@contextlib.asynccontextmanager
async def server_process(db: Path, host_keys: Path) -> AsyncIterator[int]:
    """Run the real server in a child process (so a test can ``kill -9`` it); yields its
    telnet port. The process is killed with SIGKILL when the block ends."""
    import signal
    import sys

    proc = await asyncio.create_subprocess_exec(
        sys.executable,
        "-c",
        SERVER_SCRIPT,
        str(db),
        str(host_keys),
        stdout=asyncio.subprocess.PIPE,
        stderr=asyncio.subprocess.DEVNULL,
    )
    assert proc.stdout is not None
    try:
        async with asyncio.timeout(30):
            while True:
                line = (await proc.stdout.readline()).decode()
                if not line:
                    raise AssertionError("the server process exited before listening")
                if line.startswith("PORT "):
                    break
        yield int(line.split()[1])
    finally:
        if proc.returncode is None:
            proc.send_signal(signal.SIGKILL)
        await proc.wait()
