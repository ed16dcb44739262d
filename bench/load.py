"""Load benchmark for the mud server: many telnet players over loopback.

Usage (from the repository root)::

    python bench/load.py --players 1000 --room-size 500 --duration 60

It starts ``python -m mud serve`` as a separate process on 127.0.0.1 (ephemeral ports,
a fresh database and host keys in a temporary folder, caps raised for a load test),
then, from this one asyncio process:

1. samples the server's RSS while it is empty;
2. ramps up ``--players`` raw-socket telnet clients in batches of ``--batch``; each
   creates a new character through the in-game login. Everyone starts in the start
   room; every player beyond the first ``--room-size`` walks out of it at once (south,
   up or down, in turn), so the start room ends up holding exactly ``--room-size``;
3. steady state for ``--duration`` seconds: every player except the speaker sends a
   command every ``--interval`` seconds (``look``; players outside the big room say
   something with probability ``--say-ratio``) and measures the round trip from the
   send to the prompt that follows the answer. Meanwhile the speaker (player 0, in the
   big room) says a unique token every ``--say-interval`` seconds and every other
   player in the room records when it arrives. Server CPU is measured over this window
   and RSS sampled every second;
4. stops the server with SIGTERM (timing its orderly shutdown), closes the clients,
   prints a compact report and writes JSON to bench/results/.

Invariants: only 127.0.0.1 is ever contacted; every loop is bounded by a count or a
deadline; the server process is always terminated (SIGKILL after a deadline) even when
the benchmark fails. The client does no per-byte Python work: one ``data_received``
callback per read doing ``bytes.find``. Client and server share the machine's cores, so
client CPU is reported next to server CPU.

With ``--profile`` the steady window is also sampled with ``py-spy record`` (it must be
installed) and the hottest server frames are added to the report; sampling perturbs
the latencies, so profile in a separate run from the one you quote.

With ``--baseline`` the same players, rooms, looks and says are first run against
``bench/bare.py``, a bare asyncio server that broadcasts each say to its room with one
write per listener, and the report puts the game's look and say-to-the-last figures
next to the bare server's. ``--baseline-no-say`` also runs the baseline used until
2026-11-30 (every player in one room, no say), reported on its own line.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import json
import os
import platform
import random
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any, BinaryIO

from attrs import frozen

if __package__ in (None, ""):
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from websockets.client import ClientProtocol
from websockets.frames import Frame, Opcode
from websockets.typing import Subprotocol
from websockets.uri import parse_uri

from bench.common import (
    GA,
    HOST,
    ROOT,
    BenchError,
    MudProcess,
    SplitProcess,
    clean_env,
    parse_port,
    peaceful_paths,
    player_name,
    read_cpu_seconds,
    read_rss_kib,
    say_token,
    server_config_yaml,
    summarize_ms,
    telnet_refusals,
    to_letters,
    top_frames,
)
from mud.config import DEFAULT_CONTENT
from mud.world.loader import PackError, load_packs

RESULTS = ROOT / "bench" / "results"
PASSWORD = "bench-pass-1"
EXITS = b"Exits:"
TARGET_MS = 50.0
TARGET_KIB_PER_PLAYER = 64.0

now = time.perf_counter


def login_steps(name: str, calling: str | None) -> list[tuple[str | None, tuple[bytes, ...]]]:
    """Creating a character: each line to send (None: just wait) and the patterns its
    answer ends with. Shared by every benchmark that logs players in."""
    steps: list[tuple[str | None, tuple[bytes, ...]]] = [
        (None, (b"What is your name?",)),
        (name, (b"(yes/no)",)),
        ("yes", (b"Password:",)),
        (PASSWORD, (b"Repeat the password:",)),
    ]
    if calling:
        steps += [(PASSWORD, (b"Your class:",)), (calling, (EXITS, GA))]
    else:
        steps += [(PASSWORD, (EXITS, GA))]
    return steps


# -- the client ---------------------------------------------------------------------------


class Client(asyncio.Protocol):
    """One raw telnet connection.

    Output is matched with ``bytes.find`` against a sequence of patterns armed before the
    command is sent; the waiter resolves with the ``perf_counter`` time of the read that
    completed the match. Independently, a say ``token`` can be armed: the first read that
    contains it calls ``on_heard`` with the time of that read.
    """

    def __init__(self, idx: int, on_heard: Callable[[Client, float], None]) -> None:
        self.idx = idx
        self.name = player_name(idx)
        self.on_heard = on_heard
        self.transport: asyncio.Transport | None = None
        self.buf = bytearray()
        self.pos = 0
        self.patterns: tuple[bytes, ...] = ()
        self.stage = 0
        self.waiter: asyncio.Future[float] | None = None
        self.keep = True  # keep unmatched output until login is over (nothing is armed early)
        self.token: bytes | None = None
        self.tail = b""
        self.lost = False
        self.in_big_room = True

    # asyncio.Protocol ---------------------------------------------------------------

    def connection_made(self, transport: asyncio.BaseTransport) -> None:
        assert isinstance(transport, asyncio.Transport)
        self.transport = transport

    def data_received(self, data: bytes) -> None:
        t = now()
        if b"\xff" in data:
            reply = telnet_refusals(data)
            if reply and self.transport is not None:
                self.transport.write(reply)
        token = self.token
        if token is not None:
            hay = self.tail + data if self.tail else data
            if token in hay:
                self.token = None
                self.tail = b""
                self.on_heard(self, t)
            else:
                self.tail = hay[-(len(token) - 1) :]
        if self.waiter is None:
            if self.keep:
                self.buf += data
            return
        self.buf += data
        self._match(t)

    def connection_lost(self, exc: Exception | None) -> None:
        self.lost = True
        if self.waiter is not None and not self.waiter.done():
            self.waiter.set_exception(ConnectionError("connection closed by the server"))
        self.waiter = None

    # matching -----------------------------------------------------------------------

    def _match(self, t: float) -> None:
        while self.stage < len(self.patterns):
            pattern = self.patterns[self.stage]
            i = self.buf.find(pattern, self.pos)
            if i < 0:
                self.pos = max(self.pos, len(self.buf) - len(pattern) + 1)
                return
            self.pos = i + len(pattern)
            self.stage += 1
        waiter, self.waiter = self.waiter, None
        if waiter is not None and not waiter.done():
            waiter.set_result(t)

    def arm(self, *patterns: bytes, fresh: bool = True) -> asyncio.Future[float]:
        """Wait for ``patterns`` in order. ``fresh`` discards output received so far;
        otherwise the search resumes after the previous match."""
        if fresh:
            self.buf.clear()
            self.pos = 0
        else:
            del self.buf[: self.pos]
            self.pos = 0
        self.patterns = patterns
        self.stage = 0
        waiter = self.waiter = asyncio.get_running_loop().create_future()
        if self.lost:
            waiter.set_exception(ConnectionError("connection already closed"))
        elif self.buf:
            self._match(now())  # may resolve it at once (and clear self.waiter)
        return waiter

    async def wait(self, waiter: asyncio.Future[float], limit: float) -> float:
        """The time the armed patterns completed, waiting at most ``limit`` seconds.
        Raises TimeoutError or ConnectionError."""
        try:
            async with asyncio.timeout(limit):
                return await waiter
        finally:
            if self.waiter is waiter:
                self.waiter = None

    def send(self, line: str) -> float:
        """Send one line; returns the time just before the write."""
        t = now()
        if self.transport is not None and not self.lost:
            self.transport.write(line.encode() + b"\r\n")
        return t

    def close(self) -> None:
        if self.transport is not None:
            self.transport.close()


class WebClient(Client):
    """One browser-protocol player: a ``json.mudstandards.org`` WebSocket, driven with
    the ``websockets`` library's sans-I/O client under a raw asyncio protocol, like the
    telnet ``Client``. Each BINARY frame ends one turn of the server's output (the way web
    clients take a frame as a prompt boundary), so it is matched as if it ended in GA."""

    def __init__(self, idx: int, on_heard: Callable[[Client, float], None], port: int) -> None:
        super().__init__(idx, on_heard)
        self.ws = ClientProtocol(
            parse_uri(f"ws://{HOST}:{port}/ws"),
            subprotocols=[Subprotocol("json.mudstandards.org")],
            max_size=None,
        )

    def connection_made(self, transport: asyncio.BaseTransport) -> None:
        super().connection_made(transport)
        self.ws.send_request(self.ws.connect())
        self._flush()

    def data_received(self, data: bytes) -> None:
        self.ws.receive_data(data)
        for event in self.ws.events_received():
            if isinstance(event, Frame) and event.opcode is Opcode.BINARY:
                super().data_received(bytes(event.data) + GA)
        self._flush()

    def _flush(self) -> None:
        if self.transport is None:
            return
        for chunk in self.ws.data_to_send():
            if chunk:
                self.transport.write(chunk)

    def send(self, line: str) -> float:
        t = now()
        if self.transport is not None and not self.lost:
            self.ws.send_binary(line.encode() + b"\r\n")
            self._flush()
        return t


# -- the server process -----------------------------------------------------------------


def make_server(workdir: Path, log: BinaryIO, content: list[str] | None) -> MudProcess:
    """The server under load: the load-test config, a clean environment, optional packs."""
    return MudProcess(workdir, server_config_yaml(), clean_env({}), log, content or [])


class BareProcess(MudProcess):
    """bench/bare.py (a bare asyncio echo server) in place of the mud server, for
    ``--baseline``: same interface, started and stopped the same way."""

    async def start(self, deadline: float = 60.0) -> int:
        """Spawn the bare server and wait (bounded) for its port. Raises BenchError."""
        self.proc = await asyncio.create_subprocess_exec(
            sys.executable,
            str(ROOT / "bench" / "bare.py"),
            cwd=str(ROOT),
            env=self.env,
            stdin=subprocess.DEVNULL,
            stdout=subprocess.PIPE,
            stderr=self.log,
        )
        assert self.proc.stdout is not None
        try:
            async with asyncio.timeout(deadline):
                while not self.port:
                    line = await self.proc.stdout.readline()
                    if not line:
                        raise BenchError("the bare server exited before listening")
                    self.port = parse_port(line) or 0
        except TimeoutError as exc:
            await self.stop()
            raise BenchError(f"the bare server did not listen within {deadline} s") from exc
        return self.port


async def run_baseline(
    args: argparse.Namespace, world: WorldFacts, log: BinaryIO, *, say: bool = True
) -> dict[str, Any]:
    """The same players, rooms, ``look`` schedule and says against bench/bare.py, which
    broadcasts each say to its room with one write per listener (``say``, the default:
    the same load as the game). With ``say=False`` the old baseline: every player in one
    "room" and no say at all (what ``--baseline`` measured until 2026-11-30). Returns the
    look and say figures, the server CPU and the wall time."""
    room_size = args.room_size if say else args.players
    bare_args = argparse.Namespace(**{**vars(args), "room_size": room_size, "no_say": not say})
    with tempfile.TemporaryDirectory(prefix="mud-bare-") as tmp:
        server = BareProcess(Path(tmp), "", clean_env({}), log)
        bench = Bench(bare_args, server, world)
        try:
            await server.start()
            await bench.ramp()
            steady = await bench.steady()
        finally:
            await server.stop()
            for client in bench.clients:
                client.close()
    return {
        "with_say": say,
        "players": len(bench.clients),
        "look_ms": summarize_ms(bench.samples["look"]),
        "say_ms": summarize_ms(bench.samples["say"]),
        "room_say_last_ms": summarize_ms(bench.say_last),
        "room_says": len(bench.say_rtt),
        "missed_deliveries": bench.say_missing,
        "timeouts": bench.timeouts["look"] + bench.timeouts["say"],
        "skipped_slots": bench.skipped_slots,
        "server_cpu_pct": steady["server_cpu_pct"],
        "client_cpu_pct": steady["client_cpu_pct"],
    }


async def settled_rss(pid: int, *, deadline: float = 5.0, step: float = 0.25) -> int:
    """RSS (KiB) once two consecutive samples agree within 64 KiB, or at the deadline."""
    last = read_rss_kib(pid)
    end = now() + deadline
    while now() < end:
        await asyncio.sleep(step)
        cur = read_rss_kib(pid)
        if abs(cur - last) <= 64:
            return cur
        last = cur
    return last


# -- phases -----------------------------------------------------------------------------


class Bench:
    """One benchmark run: the clients, the measurements, and the phases that fill them."""

    def __init__(self, args: argparse.Namespace, server: MudProcess, world: WorldFacts) -> None:
        """``world.paths`` are the walks that take a player out of the start room (at
        least one when ``room_size < players``); players beyond the big room use them in
        turn. ``world.calling`` is the class new characters choose (None: no choice)."""
        self.args = args
        self.server = server
        self.paths = world.paths
        self.calling = world.calling
        self.rng = random.Random(args.seed)
        self.clients: list[Client] = []
        self.login_times: list[float] = []
        self.login_failures: list[str] = []
        self.samples: dict[str, list[float]] = {"look": [], "say": [], "look_web": []}
        self.timeouts: dict[str, int] = {"look": 0, "say": 0}
        self.lost_during_steady = 0
        self.skipped_slots = 0
        # room say
        self._round_t0 = 0.0
        self._round_times: dict[int, float] = {}
        self._round_left = 0
        self._round_done: asyncio.Future[None] | None = None
        self.say_last: list[float] = []
        self.say_rtt: list[float] = []
        self.say_missing = 0
        self.per_listener: dict[int, list[float]] = {}
        self.all_deliveries: list[float] = []
        self.rss_series: list[tuple[float, int]] = []

    def is_web(self, idx: int) -> bool:
        """Players 1, 3, 5, … up to ``--web-players`` of them use the browser door, so
        both doors share the big room and the small ones."""
        return idx % 2 == 1 and idx // 2 < self.args.web_players

    def on_heard(self, client: Client, t: float) -> None:
        self._round_times[client.idx] = t - self._round_t0
        self._round_left -= 1
        done = self._round_done
        if self._round_left <= 0 and done is not None and not done.done():
            done.set_result(None)

    # ramp -----------------------------------------------------------------------------

    async def login(self, idx: int) -> Client | None:
        a = self.args
        loop = asyncio.get_running_loop()
        t0 = now()
        try:
            async with asyncio.timeout(a.login_timeout):
                if self.is_web(idx):
                    web_port = self.server.web_port
                    _, client = await loop.create_connection(
                        lambda: WebClient(idx, self.on_heard, web_port), HOST, web_port
                    )
                else:
                    _, client = await loop.create_connection(
                        lambda: Client(idx, self.on_heard), HOST, self.server.port
                    )
                steps = login_steps(client.name, self.calling)
                for line, patterns in steps:
                    waiter = client.arm(*patterns, fresh=False)
                    if line is not None:
                        client.send(line)
                    await client.wait(waiter, a.login_timeout)
                self.login_times.append(now() - t0)
                if idx >= a.room_size:
                    client.in_big_room = False
                    for step in self.paths[(idx - a.room_size) % len(self.paths)]:
                        waiter = client.arm(EXITS, GA)
                        client.send(step)
                        await client.wait(waiter, a.login_timeout)
                client.keep = False
                client.buf.clear()
                client.pos = 0
                return client
        except (TimeoutError, OSError, ConnectionError) as exc:
            self.login_failures.append(f"{player_name(idx)}: {type(exc).__name__} {exc}")
            return None

    async def ramp(self) -> float:
        a = self.args
        t0 = now()
        for start in range(0, a.players, a.batch):
            batch = range(start, min(start + a.batch, a.players))
            results = await asyncio.gather(*(self.login(i) for i in batch))
            self.clients.extend(c for c in results if c is not None)
            if len(self.login_failures) > max(10, a.players // 20):
                raise BenchError(
                    f"{len(self.login_failures)} logins failed; first: {self.login_failures[0]}"
                )
            if a.verbose:
                print(f"  ramp: {len(self.clients)}/{a.players} logged in", flush=True)
        return now() - t0

    # steady state ---------------------------------------------------------------------

    async def player_loop(self, client: Client, t_start: float, t_end: float) -> None:
        a = self.args
        interval = a.interval
        next_t = t_start + self.rng.uniform(0, interval)
        seq = 0
        while next_t < t_end and not client.lost:
            await asyncio.sleep(max(0.0, next_t - now()))
            if not client.in_big_room and self.rng.random() < a.say_ratio:
                kind = "say"
                word = f"w{client.name}{to_letters(seq, 1)}"
                waiter = client.arm(word.encode(), GA)
                line = f"say {word}"
            else:
                kind = "look"
                waiter = client.arm(EXITS, GA)
                line = "look"
            seq += 1
            t0 = client.send(line)
            try:
                t1 = await client.wait(waiter, a.timeout)
            except TimeoutError:
                # A late answer would be credited to the next command: this client stops.
                self.timeouts[kind] += 1
                return
            except ConnectionError:
                self.lost_during_steady += 1
                return
            self.samples[kind].append(t1 - t0)
            if kind == "look" and isinstance(client, WebClient):
                self.samples["look_web"].append(t1 - t0)
            next_t += interval
            late = now() - next_t
            if late > 0:
                missed = int(late // interval) + 1
                self.skipped_slots += missed
                next_t += missed * interval

    async def speaker_loop(
        self, speaker: Client, listeners: list[Client], t_start: float, t_end: float
    ) -> None:
        a = self.args
        loop = asyncio.get_running_loop()
        next_t = t_start + a.say_interval / 2
        k = 0
        while next_t < t_end and not speaker.lost:
            await asyncio.sleep(max(0.0, next_t - now()))
            token = say_token(k).encode()
            k += 1
            live = [c for c in listeners if not c.lost]
            for c in live:
                c.token = token
                c.tail = b""
            self._round_times = {}
            self._round_left = len(live)
            self._round_done = loop.create_future()
            if not live:
                self._round_done.set_result(None)
            waiter = speaker.arm(token, GA)
            self._round_t0 = speaker.send(f"say {token.decode()}")
            try:
                async with asyncio.timeout(a.timeout):
                    await self._round_done
            except TimeoutError:
                pass
            try:
                self.say_rtt.append(await speaker.wait(waiter, a.timeout) - self._round_t0)
            except (TimeoutError, ConnectionError):
                self.timeouts["say"] += 1
                return
            for c in live:
                c.token = None
            times = self._round_times
            self.say_missing += len(live) - len(times)
            if times and len(times) == len(live):
                self.say_last.append(max(times.values()))
            for idx, dt in times.items():
                self.per_listener.setdefault(idx, []).append(dt)
                self.all_deliveries.append(dt)
            next_t += a.say_interval
            if next_t < now():
                next_t = now()

    async def monitor(self, t_end: float) -> None:
        pid = self.server.pid
        while now() < t_end:
            with contextlib.suppress(OSError):
                self.rss_series.append((round(now(), 3), read_rss_kib(pid)))
            await asyncio.sleep(1.0)

    async def steady(self) -> dict[str, Any]:
        a = self.args
        pid = self.server.pid
        big = [c for c in self.clients if c.in_big_room]
        speaker = big[0] if big and not getattr(a, "no_say", False) else None
        listeners = big[1:]
        players = [c for c in self.clients if c is not speaker]
        pids: dict[str, int] = getattr(self.server, "pids", {"server": pid})
        # In split mode the gateway and the game are sampled each (NATS is not Python).
        profile_tasks: dict[str, asyncio.Task[str]] = {}
        if a.profile:
            for name, p in pids.items():
                if name != "nats":
                    tag = a.stamp if len(pids) == 1 else f"{a.stamp}-{name}"
                    profile_tasks[name] = asyncio.create_task(run_py_spy(p, a.duration, tag))
        t_start = now()
        t_end = t_start + a.duration
        by0 = {name: read_cpu_seconds(p) for name, p in pids.items()}
        # Socket sends and receives and event-loop wakeups, counted by the kernel.
        syscall_tasks = (
            {name: asyncio.create_task(count_syscalls(p, a.duration)) for name, p in pids.items()}
            if a.syscalls
            else {}
        )
        counts = getattr(self.server, "nats_counts", None)
        bus0 = await counts() if counts is not None else {}
        cpu0, tc0 = read_cpu_seconds(pid), os.times()
        tasks = [self.player_loop(c, t_start, t_end) for c in players]
        if speaker is not None:
            tasks.append(self.speaker_loop(speaker, listeners, t_start, t_end))
        tasks.append(self.monitor(t_end))
        await asyncio.gather(*tasks)
        wall = now() - t_start
        cpu1, tc1 = read_cpu_seconds(pid), os.times()
        by_process = {
            name: round(100 * (read_cpu_seconds(p) - by0[name]) / wall, 1)
            for name, p in pids.items()
        }
        bus1 = await counts() if counts is not None else {}
        result: dict[str, Any] = {
            "wall_s": round(wall, 2),
            # In split mode: the sum over the gateway, the game and NATS.
            "server_cpu_pct": round(sum(by_process.values()), 1)
            if len(pids) > 1
            else round(100 * (cpu1 - cpu0) / wall, 1),
            "cpu_by_process_pct": by_process,
            "client_cpu_pct": round(
                100 * ((tc1.user - tc0.user) + (tc1.system - tc0.system)) / wall, 1
            ),
            "listeners": len(listeners),
        }
        if syscall_tasks:
            result["syscalls_per_s"] = {}
            for name, task in syscall_tasks.items():
                try:
                    async with asyncio.timeout(30):
                        counts = await task
                    result["syscalls_per_s"][name] = {
                        k: round(v / a.duration) for k, v in counts.items()
                    }
                except (TimeoutError, OSError, ValueError) as exc:
                    result["syscalls_error"] = str(exc)
        if bus0 and bus1:
            # Messages and bytes per second into NATS (what the gateway and game publish).
            result["bus_per_s"] = {
                "msgs": round((bus1["in_msgs"] - bus0["in_msgs"]) / wall),
                "kib": round((bus1["in_bytes"] - bus0["in_bytes"]) / wall / 1024),
            }
            for who in ("gateway", "game"):
                key = f"{who}_msgs"
                if key in bus0 and key in bus1:
                    result["bus_per_s"][key] = round((bus1[key] - bus0[key]) / wall)
        for name, task in profile_tasks.items():
            key = "profile_file" if name in ("server", "gateway") else f"profile_file_{name}"
            try:
                async with asyncio.timeout(60):
                    result[key] = await task
            except (TimeoutError, OSError, BenchError) as exc:
                result["profile_error"] = str(exc)
        return result


_SYSCALLS = {
    "send": "syscalls:sys_enter_sendto",
    "recv": "syscalls:sys_enter_recvfrom",
    "wait": "syscalls:sys_enter_epoll_wait",
    "all": "raw_syscalls:sys_enter",
}


async def count_syscalls(pid: int, duration: float) -> dict[str, int]:
    """System calls ``pid`` makes in the next ``duration`` seconds, counted by the kernel
    (``perf stat`` on tracepoints; root or a permissive perf_event_paranoid): socket
    sends (``send``: asyncio's writes), receives, event-loop waits (``wait``: one per
    loop turn) and ``all``. Counts, so contention does not distort them."""
    proc = await asyncio.create_subprocess_exec(
        "perf",
        "stat",
        "-x",
        ",",
        "-e",
        ",".join(_SYSCALLS.values()),
        "-p",
        str(pid),
        "--",
        "sleep",
        str(duration),
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
    )
    _, err = await proc.communicate()
    counts: dict[str, int] = {}
    for line in err.decode(errors="replace").splitlines():
        fields = line.split(",")
        if len(fields) > 2 and fields[0].isdigit():
            for key, event in _SYSCALLS.items():
                if fields[2] == event:
                    counts[key] = int(fields[0])
    if not counts:
        raise ValueError(f"perf stat counted nothing: {err[-200:]!r}")
    return counts


async def run_py_spy(pid: int, duration: float, stamp: str) -> str:
    """Record the server with py-spy for ``duration`` seconds; returns the raw profile path."""
    out = RESULTS / f"profile-{stamp}.txt"
    # The one installed beside this interpreter (a venv run without activating it),
    # else whatever PATH has.
    beside = Path(sys.executable).parent / "py-spy"
    proc = await asyncio.create_subprocess_exec(
        str(beside) if beside.exists() else "py-spy",
        "record",
        "--pid",
        str(pid),
        "--duration",
        str(max(1, int(duration) - 2)),
        "--rate",
        "100",
        "--nonblocking",
        "--format",
        "raw",
        "--output",
        str(out),
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
    )
    try:
        async with asyncio.timeout(duration + 30):
            _, err = await proc.communicate()
    except TimeoutError:
        proc.kill()
        await proc.wait()
        raise
    if proc.returncode != 0:
        raise BenchError(f"py-spy failed: {err.decode(errors='replace').strip()[:300]}")
    return str(out)


# -- report -----------------------------------------------------------------------------


def verdict(ok: bool) -> str:
    return "PASS" if ok else "FAIL"


def build_report(
    args: argparse.Namespace,
    bench: Bench,
    *,
    ramp_s: float,
    steady: dict[str, Any],
    rss_empty: int,
    rss_after_ramp: int,
    rss_full: int,
    shutdown_s: float | None,
) -> dict[str, Any]:
    n = len(bench.clients)
    per_listener_p99 = sorted(
        summarize_ms(v)["p99"] for v in bench.per_listener.values() if len(v) > 0
    )
    look = summarize_ms(bench.samples["look"])
    say_last = summarize_ms(bench.say_last)
    per_player_kib = (rss_full - rss_empty) / n if n else 0.0
    ramp_kib = (rss_after_ramp - rss_empty) / n if n else 0.0
    connected = n - bench.lost_during_steady
    targets: dict[str, dict[str, Any]] = {
        "players_look_p99_ms": {
            "target": f"{args.players} players, look p99 < {TARGET_MS:g} ms",
            "players": connected,
            "measured": look.get("p99"),
        },
        "room_say_last_p99_ms": {"target": TARGET_MS, "measured": say_last.get("p99")},
        "kib_per_player": {"target": TARGET_KIB_PER_PLAYER, "measured": round(per_player_kib, 1)},
    }
    targets["players_look_p99_ms"]["pass"] = (
        connected >= args.players
        and sum(bench.timeouts.values()) == 0
        and bool(look.get("n"))
        and look["p99"] < TARGET_MS
    )
    targets["room_say_last_p99_ms"]["pass"] = (
        bool(say_last.get("n")) and say_last["p99"] < TARGET_MS and bench.say_missing == 0
    )
    targets["kib_per_player"]["pass"] = n > 0 and per_player_kib < TARGET_KIB_PER_PLAYER
    rev = git_revision()
    return {
        "when": args.stamp,
        "command": " ".join([Path(sys.executable).name, *sys.argv]),
        "machine": {
            "cpus": os.cpu_count(),
            "python": platform.python_version(),
            "platform": platform.platform(),
            "note": "client and server run on the same machine and share its cores",
        },
        "revision": rev,
        "params": {
            k: v for k, v in vars(args).items() if k not in ("stamp", "verbose", "json_out")
        },
        "ramp": {
            "seconds": round(ramp_s, 2),
            "logged_in": n,
            "per_second": round(n / ramp_s, 1) if ramp_s > 0 else None,
            "login_ms": summarize_ms(bench.login_times),
            "failures": len(bench.login_failures),
            "first_failures": bench.login_failures[:5],
        },
        "steady": {
            **steady,
            "commands": len(bench.samples["look"]) + len(bench.samples["say"]),
            "look_ms": look,
            "web_players": args.web_players,
            "look_web_ms": summarize_ms(bench.samples["look_web"]),
            "say_ms": summarize_ms(bench.samples["say"]),
            "timeouts": bench.timeouts,
            "lost_connections": bench.lost_during_steady,
            "skipped_slots": bench.skipped_slots,
        },
        "room_say": {
            "room_size": args.room_size,
            "says": len(bench.say_rtt),
            "last_receiver_ms": say_last,
            "speaker_round_trip_ms": summarize_ms(bench.say_rtt),
            "all_deliveries_ms": summarize_ms(bench.all_deliveries),
            "per_listener_p99_ms": {
                "listeners": len(per_listener_p99),
                "median": per_listener_p99[len(per_listener_p99) // 2]
                if per_listener_p99
                else None,
                "max": per_listener_p99[-1] if per_listener_p99 else None,
            },
            "missed_deliveries": bench.say_missing,
        },
        "memory": {
            "rss_empty_kib": rss_empty,
            "rss_after_ramp_kib": rss_after_ramp,
            "rss_full_kib": rss_full,
            "rss_peak_kib": max([rss_full, rss_after_ramp] + [r for _, r in bench.rss_series]),
            "kib_per_player": round(per_player_kib, 1),
            "kib_per_player_after_ramp": round(ramp_kib, 1),
        },
        "shutdown_s": round(shutdown_s, 2) if shutdown_s is not None else None,
        "targets": targets,
    }


def git_revision() -> str | None:
    try:
        out = subprocess.run(
            ["git", "-C", str(ROOT), "rev-parse", "--short", "HEAD"],
            capture_output=True,
            text=True,
            timeout=5,
            check=False,
        )
    except (OSError, subprocess.TimeoutExpired):
        return None
    return out.stdout.strip() or None


def fmt_stats(s: dict[str, Any]) -> str:
    if not s.get("n"):
        return "no samples"
    return (
        f"n={s['n']} p50 {s['p50']:.1f} p95 {s['p95']:.1f} p99 {s['p99']:.1f} max {s['max']:.1f} ms"
    )


def print_report(r: dict[str, Any], path: Path, profile: dict[str, Any] | None) -> None:
    p, ramp, st, rs, mem, tg = (
        r["params"],
        r["ramp"],
        r["steady"],
        r["room_say"],
        r["memory"],
        r["targets"],
    )
    print()
    print(
        f"mud load benchmark {r['when']}  players={p['players']} big room={p['room_size']} "
        f"(others spread over {p['rooms'] - 1} rooms) "
        f"duration={p['duration']}s interval={p['interval']}s  "
        f"({r['machine']['cpus']} cores shared by client and server)"
    )
    print(
        f"ramp     {ramp['logged_in']}/{p['players']} logged in in {ramp['seconds']} s "
        f"({ramp['per_second']}/s); login {fmt_stats(ramp['login_ms'])}; "
        f"failures {ramp['failures']}"
    )
    print(
        f"steady   {st['commands']} commands in {st['wall_s']} s; timeouts {st['timeouts']}; "
        f"lost {st['lost_connections']}; skipped slots {st['skipped_slots']}"
    )
    print(f"  look   {fmt_stats(st['look_ms'])}")
    if st.get("web_players"):
        print(f"  look (the {st['web_players']} web players)  {fmt_stats(st['look_web_ms'])}")
    print(f"  say    {fmt_stats(st['say_ms'])}  (rooms other than the big one)")
    print(
        f"room say {rs['says']} says to {rs['room_size'] - 1} listeners; "
        f"missed deliveries {rs['missed_deliveries']}"
    )
    print(f"  last receiver   {fmt_stats(rs['last_receiver_ms'])}")
    print(f"  all deliveries  {fmt_stats(rs['all_deliveries_ms'])}")
    plp = rs["per_listener_p99_ms"]
    print(f"  per-listener p99: median {plp['median']} ms, worst {plp['max']} ms")
    print(f"  speaker round trip {fmt_stats(rs['speaker_round_trip_ms'])}")
    print(
        f"memory   RSS empty {mem['rss_empty_kib'] / 1024:.1f} MiB, after ramp "
        f"{mem['rss_after_ramp_kib'] / 1024:.1f} MiB, full load {mem['rss_full_kib'] / 1024:.1f} "
        f"MiB (peak {mem['rss_peak_kib'] / 1024:.1f}) -> {mem['kib_per_player']} KiB/player "
        f"({mem['kib_per_player_after_ramp']} after the ramp)"
    )
    print(
        f"cpu      server {st['server_cpu_pct']}% of one core, client {st['client_cpu_pct']}% "
        f"(steady window)"
    )
    if len(st.get("cpu_by_process_pct", {})) > 1:
        parts = ", ".join(f"{n} {v}%" for n, v in st["cpu_by_process_pct"].items())
        kib = ", ".join(f"{n} {v}" for n, v in r["kib_per_player_by_process"].items())
        print(f"split    cpu by process: {parts}; KiB/player after the ramp: {kib}")
        if "bus_per_s" in st:
            bus = st["bus_per_s"]
            by = ""
            if "gateway_msgs" in bus and "game_msgs" in bus:
                by = f" (gateway {bus['gateway_msgs']}/s, game {bus['game_msgs']}/s)"
            print(
                f"bus      published {bus['msgs']} messages/s, {bus['kib']} KiB/s (NATS /varz){by}"
            )
    if "syscalls_per_s" in st:
        for name, c in st["syscalls_per_s"].items():
            print(
                f"syscalls {name}: {c.get('send')} sends, {c.get('recv')} receives, "
                f"{c.get('wait')} loop waits, {c.get('all')} in all per second (perf)"
            )
    print(f"shutdown {r['shutdown_s']} s (SIGTERM to exit)")
    if "baseline" in r:
        b = r["baseline"]
        print(
            f"baseline bare asyncio server, same players, looks and says (one write per "
            f"listener): server cpu {b['server_cpu_pct']}%, missed deliveries "
            f"{b['missed_deliveries']}, timeouts {b['timeouts']}"
        )
        print(f"  look          mud  {fmt_stats(r['steady']['look_ms'])}")
        print(f"                bare {fmt_stats(b['look_ms'])}")
        print(f"  say to last   mud  {fmt_stats(r['room_say']['last_receiver_ms'])}")
        print(f"                bare {fmt_stats(b['room_say_last_ms'])}")
        print(
            f"  p99 mud / bare: look {b.get('look_p99_ratio', 'n/a')} (target <= 2), "
            f"say to the last {b.get('say_last_p99_ratio', 'n/a')}"
        )
    if "baseline_no_say" in r:
        b = r["baseline_no_say"]
        print(
            f"old baseline (bare, all in one room, no say): look {fmt_stats(b['look_ms'])}; "
            f"server cpu {b['server_cpu_pct']}%; mud look p99 / this p99 = "
            f"{b.get('look_p99_ratio', 'n/a')}"
        )
    print("targets")
    for key, label, unit in (
        (
            "players_look_p99_ms",
            f"{tg['players_look_p99_ms']['players']}/{p['players']} players, look p99 < 50 ms",
            "ms",
        ),
        ("room_say_last_p99_ms", f"say to room of {p['room_size']} p99 < 50 ms", "ms"),
        ("kib_per_player", "memory < 64 KiB/player", "KiB"),
    ):
        measured = tg[key]["measured"]
        shown = f"{measured:.1f} {unit}" if isinstance(measured, int | float) else "n/a"
        print(f"  {label:<36} measured {shown:>10}   {verdict(tg[key]['pass'])}")
    if profile:
        print(
            f"server hot spots (py-spy: % of {profile['busy_samples']} busy samples, "
            f"{profile['idle_samples']} idle left out; self = leaf frame)"
        )
        for frame, pct in profile["self_functions"][:12]:
            print(f"  self {pct:5.1f}%  {frame}")
        for frame, pct in profile["inclusive"][:15]:
            print(f"  incl {pct:5.1f}%  {frame}")
    print(f"json     {path}")


# -- main -------------------------------------------------------------------------------


def parse_args(argv: list[str] | None = None) -> argparse.Namespace:
    p = argparse.ArgumentParser(description="Load benchmark for the mud server (loopback only).")
    p.add_argument("--players", type=int, default=1000, help="concurrent players (default 1000)")
    p.add_argument(
        "--room-size", type=int, default=500, help="players kept in the start room (default 500)"
    )
    p.add_argument("--duration", type=float, default=60.0, help="steady-state seconds (60)")
    p.add_argument("--interval", type=float, default=2.0, help="seconds between commands (2)")
    p.add_argument(
        "--say-ratio",
        type=float,
        default=0.1,
        help="share of commands that are say, for players outside the big room (0.1)",
    )
    p.add_argument(
        "--say-interval", type=float, default=0.5, help="seconds between says to the big room"
    )
    p.add_argument("--batch", type=int, default=50, help="logins in flight at once (50)")
    p.add_argument("--timeout", type=float, default=10.0, help="deadline for one answer (10 s)")
    p.add_argument("--login-timeout", type=float, default=60.0, help="deadline per login step")
    p.add_argument("--seed", type=int, default=1, help="seed for the client's schedule")
    p.add_argument("--profile", action="store_true", help="py-spy the server in the steady window")
    p.add_argument(
        "--syscalls",
        action="store_true",
        help="count each server process's socket sends and receives and event-loop waits "
        "in the steady window (perf stat; needs perf and root)",
    )
    p.add_argument(
        "--content",
        action="append",
        metavar="DIR",
        help="content pack folder for the server (default: the server's own default)",
    )
    p.add_argument("--verbose", action="store_true", help="print ramp progress")
    p.add_argument(
        "--split",
        action="store_true",
        help="split mode: NATS + mud game + one mud gateway in place of mud serve",
    )
    p.add_argument(
        "--baseline",
        action="store_true",
        help="first run the same players, looks and says against a bare asyncio server "
        "that broadcasts each say to its room (bench/bare.py)",
    )
    p.add_argument(
        "--baseline-no-say",
        action="store_true",
        help="also run the old baseline: every player in one room of the bare server and "
        "no say (the baseline until 2026-11-30)",
    )
    p.add_argument(
        "--web-players",
        type=int,
        default=0,
        help="how many players use the browser door's WebSocket instead of telnet (0)",
    )
    args = p.parse_args(argv)
    if not 0 <= args.web_players <= args.players // 2:
        p.error("--web-players is at most half of --players (they alternate with telnet)")
    if args.players < 1 or not 1 <= args.room_size <= args.players:
        p.error("need players >= 1 and 1 <= room-size <= players")
    if args.duration <= 0 or args.interval <= 0 or args.say_interval <= 0 or args.batch < 1:
        p.error("durations, intervals and batch must be positive")
    args.stamp = time.strftime("%Y%m%d-%H%M%S")
    return args


async def run(args: argparse.Namespace, server: MudProcess, world: WorldFacts) -> dict[str, Any]:
    """Run every phase against ``server``; returns the report (without the profile)."""
    baseline = baseline_no_say = None
    if args.baseline:
        baseline = await run_baseline(args, world, server.log)
        print(
            f"baseline (bare asyncio server, same says): look {fmt_stats(baseline['look_ms'])}"
            f"; say to the last {fmt_stats(baseline['room_say_last_ms'])}",
            flush=True,
        )
    if args.baseline_no_say:
        baseline_no_say = await run_baseline(args, world, server.log, say=False)
        print(
            f"baseline without say (old): look {fmt_stats(baseline_no_say['look_ms'])}",
            flush=True,
        )
    bench = Bench(args, server, world)
    try:
        port = await server.start()
        print(f"server pid {server.pid} listening on {HOST}:{port}", flush=True)
        rss_empty = await settled_rss(server.pid)
        pids: dict[str, int] = getattr(server, "pids", {"server": server.pid})
        empty_by = {name: read_rss_kib(p) for name, p in pids.items()}
        ramp_s = await bench.ramp()
        rss_after_ramp = await settled_rss(server.pid)
        ramped_by = {name: await settled_rss(p) for name, p in pids.items()}
        print(
            f"ramp done: {len(bench.clients)} players in {ramp_s:.1f} s; steady state "
            f"for {args.duration:.0f} s",
            flush=True,
        )
        steady = await bench.steady()
        rss_full = read_rss_kib(server.pid)
    finally:
        shutdown_s = await server.stop()
        for client in bench.clients:
            client.close()
    report = build_report(
        args,
        bench,
        ramp_s=ramp_s,
        steady=steady,
        rss_empty=rss_empty,
        rss_after_ramp=rss_after_ramp,
        rss_full=rss_full,
        shutdown_s=shutdown_s,
    )
    report["server_stdout"] = server.lines
    players = max(1, len(bench.clients))
    report["kib_per_player_by_process"] = {
        name: round((ramped_by[name] - empty_by[name]) / players, 1) for name in ramped_by
    }
    look = report["steady"]["look_ms"]
    say_last = report["room_say"]["last_receiver_ms"]
    for key, base in (("baseline", baseline), ("baseline_no_say", baseline_no_say)):
        if base is None:
            continue
        report[key] = base
        if base["look_ms"].get("p99") and look.get("p99"):
            base["look_p99_ratio"] = round(look["p99"] / base["look_ms"]["p99"], 2)
        if base["room_say_last_ms"].get("p99") and say_last.get("p99"):
            base["say_last_p99_ratio"] = round(say_last["p99"] / base["room_say_last_ms"]["p99"], 2)
    return report


@frozen
class WorldFacts:
    """What the client needs to know about the server's content."""

    paths: list[tuple[str, ...]]
    calling: str | None


def world_facts(content: list[str] | None) -> WorldFacts:
    """Read the server's content with its own loader: walks from the start room to the
    other peaceful rooms, and the first character class (new characters must choose one
    when the packs define any). Raises PackError."""
    dirs = [Path(d) for d in content] if content else [Path(DEFAULT_CONTENT)]
    templates = load_packs(dirs)
    classes = list(templates.classes)
    calling = classes[0].split(":", 1)[-1] if classes else None
    return WorldFacts(peaceful_paths(templates), calling)


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    try:
        world = world_facts(args.content)
    except PackError as exc:
        print(f"bench: content pack errors: {exc}", file=sys.stderr)
        return 1
    paths = world.paths
    if args.room_size < args.players and not paths:
        print(
            "bench: the start room has no peaceful neighbours to send players to", file=sys.stderr
        )
        return 1
    args.rooms = len(paths) + 1
    RESULTS.mkdir(parents=True, exist_ok=True)
    log_path = RESULTS / f"server-{args.stamp}.log"
    try:
        with (
            tempfile.TemporaryDirectory(prefix="mud-bench-") as tmp,
            log_path.open("wb") as log,
        ):
            report = asyncio.run(
                run(
                    args,
                    (SplitProcess if args.split else MudProcess)(
                        Path(tmp), server_config_yaml(), clean_env({}), log, args.content or []
                    ),
                    world,
                )
            )
    except BenchError as exc:
        print(f"bench: {exc}", file=sys.stderr)
        return 1
    profile = None
    profile_file = report["steady"].get("profile_file")
    if profile_file:
        profile = top_frames(
            Path(profile_file).read_text(encoding="utf-8"),
            skip=("(mud/__main__.py", "(mud/cli.py", "(mud/app.py"),
        )
        report["profile"] = profile
    game_profile = report["steady"].get("profile_file_game")
    if game_profile:
        report["profile_game"] = top_frames(
            Path(game_profile).read_text(encoding="utf-8"),
            skip=("(mud/__main__.py", "(mud/cli.py", "(mud/app.py"),
        )
    report["server_log"] = str(log_path)
    path = RESULTS / f"load-{args.stamp}-{args.players}p.json"
    path.write_text(json.dumps(report, indent=2) + "\n", encoding="utf-8")
    print_report(report, path, profile)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
