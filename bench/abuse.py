"""Abuse benchmark: one player's round trip while hostile sockets attack the doors.

Usage (from the repository root)::

    python bench/abuse.py --seconds 10          # every phase 10 s (about 2.5 minutes)
    python bench/abuse.py --seconds 30          # the run to quote
    python bench/abuse.py --soak-minutes 30     # 200 players + 10 hostile sockets

It starts ``python -m mud serve`` as a separate process on 127.0.0.1 (ephemeral ports, a
fresh database in a temporary folder, offline narrator, the default connection caps:
10 per address) and, from this one asyncio process:

1. logs in one *measured player* (from 127.0.0.1) and walks it to a quiet room; it
   sends ``exits`` every ``--interval`` seconds and times the round trip to the prompt
   that ends the answer (IAC GA);
2. phase ``alone``: the player by itself, for ``--seconds``;
3. for each attack and for 1 and then 9 hostile sockets at once, all from another
   loopback address (127.0.0.2, so the per-address cap applies to them and not to the
   player), a phase of ``--seconds`` while they attack, reconnecting whenever the
   server cuts them off:
   - ``subneg``: ``IAC SB GMCP`` and then endless bytes as fast as the socket takes them;
   - ``nul``: ``A`` x 1000 + NUL, repeated, never a line end;
   - ``lines``: 60 KB of one-letter lines at once, then a second's pause, and again
     (under the door's byte budget, so the hub's flood rule is what cuts it off);
   - ``slowloris``: one byte a second, never a line end;
   - ``nonreader``: logs in, then never reads again while a chatty player fills the
     room with long ``say`` lines;
   - ``ssh``: SSH connections (user ``play``) that open no session, reconnecting when
     cut off; in the 9-socket phase the client first keeps opening more until one is
     refused (the cap);
4. reports per phase the player's p50/p99/max and the number of stalls over 100 ms,
   server CPU (share of one core) and RSS (before, peak, after settling), and per attack
   how many connections were made, refused, cut off by the server (and how fast) or
   still open at the end of the phase.

``--soak-minutes M`` runs the soak instead: ``--soak-players`` (200) players each sending
``exits`` every 2 s while 10 hostile sockets (two of each attack) keep reconnecting;
RSS and open descriptors are sampled every 10 s; every player's p99 is reported.

Invariants: only 127.0.0.1 and 127.0.0.2 are contacted; every loop is bounded by a
deadline; the server is always terminated. Client and server share the machine's cores.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import json
import os
import random
import socket
import sys
import tempfile
import time
from collections.abc import Awaitable, Callable
from pathlib import Path
from typing import Any

if __package__ in (None, ""):
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

import asyncssh

from bench.common import (
    GA,
    HOST,
    ROOT,
    BenchError,
    MudProcess,
    clean_env,
    read_cpu_seconds,
    read_rss_kib,
    summarize_ms,
)
from bench.load import EXITS, Client, WorldFacts, login_steps, settled_rss, world_facts

RESULTS = ROOT / "bench" / "results"
HOSTILE = "127.0.0.2"
ATTACKS = ("subneg", "nul", "lines", "slowloris", "nonreader", "ssh")
#: The ``lines`` attack's body: 60 KB of one-letter lines (played by a griefer: 8,000 of
#: them reached the hub's inbox before the cut-off, each logged, and a player's look
#: took half a second).
LINE_FLOOD = b"a\r\n" * 20000
STALL_S = 0.100
now = time.perf_counter


def server_config(*, max_per_ip: int = 10, connect_burst: int = 20) -> str:
    """Default caps and deadlines (what a public server runs), offline DM, cheap hashes.
    The soak raises the per-address cap and connection burst so that its players, all
    from 127.0.0.1, can log in."""
    return (
        "# Written by bench/abuse.py.\n"
        "providers: [offline]\n"
        "seed: 7\n"
        "limits:\n"
        f"  max_per_ip: {max_per_ip}\n"
        "  new_per_ip: 100000\n"
        f"  connect_burst: {connect_burst}\n"
        "  hash_n: 16\n"
        "  throttle_limit: 100000\n"
        "telnet:\n"
        "  connect_maxwait: 0.2\n"
    )


def ssh_port(server: MudProcess) -> int:
    for line in server.lines:
        if line.startswith("ssh: listening on"):
            return int(line.split(" (")[0].rsplit(":", 1)[1])
    raise BenchError("the server printed no SSH port")


# -- players -------------------------------------------------------------------------------


class Names:
    """Fresh character names: every login creates a new character."""

    def __init__(self, start: int) -> None:
        self.next = start

    def take(self) -> int:
        self.next += 1
        return self.next


async def login(
    port: int, idx: int, calling: str | None, *, local: str = HOST, rcvbuf: int = 0
) -> Client:
    """A new character through the in-game login, over a raw socket. Raises
    TimeoutError or ConnectionError/OSError."""
    loop = asyncio.get_running_loop()
    sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    if rcvbuf:
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, rcvbuf)
    sock.bind((local, 0))
    sock.setblocking(False)
    await loop.sock_connect(sock, (HOST, port))
    _, client = await loop.create_connection(lambda: Client(idx, lambda c, t: None), sock=sock)
    steps = login_steps(client.name, calling)
    async with asyncio.timeout(60):
        for line, patterns in steps:
            waiter = client.arm(*patterns, fresh=False)
            if line is not None:
                client.send(line)
            await client.wait(waiter, 60)
    client.keep = False
    client.buf.clear()
    client.pos = 0
    return client


async def walk(client: Client, path: tuple[str, ...]) -> None:
    for step in path:
        waiter = client.arm(EXITS, GA)
        client.send(step)
        await client.wait(waiter, 30)


async def measure(client: Client, seconds: float, interval: float) -> tuple[list[float], int]:
    """Round trips of ``exits`` for ``seconds``; returns them and the number of timeouts."""
    rtts: list[float] = []
    timeouts = 0
    end = now() + seconds
    while now() < end:
        waiter = client.arm(GA)
        t0 = client.send("exits")
        try:
            rtts.append(await client.wait(waiter, 30) - t0)
        except TimeoutError:
            timeouts += 1
        await asyncio.sleep(max(0.0, interval - (now() - t0)))
    return rtts, timeouts


# -- hostile sockets -------------------------------------------------------------------------


class Tally:
    """What happened to one attack's connections during a phase."""

    def __init__(self) -> None:
        self.connects = 0
        self.refused = 0
        self.cut: list[float] = []
        self.open_at_end = 0
        self.errors = 0
        self.sent = 0

    def report(self) -> dict[str, Any]:
        cut = sorted(self.cut)
        return {
            "connects": self.connects,
            "refused_at_cap": self.refused,
            "cut_off": len(cut),
            "cut_after_s_median": round(cut[len(cut) // 2], 2) if cut else None,
            "cut_after_s_max": round(cut[-1], 2) if cut else None,
            "open_at_end": self.open_at_end,
            "connect_errors": self.errors,
            "mib_sent": round(self.sent / 2**20, 1),
        }


async def _drain(reader: asyncio.StreamReader, head: bytearray) -> None:
    """Read everything the server sends (the attacker reads; only ``nonreader`` does not)."""
    with contextlib.suppress(ConnectionError, OSError):
        while chunk := await reader.read(65536):
            if len(head) < 4096:
                head += chunk[:4096]


async def _raw_attack(
    tally: Tally,
    port: int,
    stop: asyncio.Event,
    send: Callable[[asyncio.StreamWriter], Awaitable[int]],
) -> None:
    while not stop.is_set():
        try:
            reader, writer = await asyncio.open_connection(HOST, port, local_addr=(HOSTILE, 0))
        except OSError:
            tally.errors += 1
            await asyncio.sleep(0.2)
            continue
        tally.connects += 1
        t0 = now()
        head = bytearray()
        drain = asyncio.create_task(_drain(reader, head))
        try:
            while not stop.is_set() and not drain.done():
                tally.sent += await send(writer)
        except (ConnectionError, OSError):
            pass
        if stop.is_set() and not drain.done():
            tally.open_at_end += 1
        elif b"Too many connections" in head:
            tally.refused += 1
            await asyncio.sleep(0.2)  # over the cap: try again shortly, like a real flood
        else:
            tally.cut.append(now() - t0)
        writer.close()
        drain.cancel()
        with contextlib.suppress(asyncio.CancelledError):
            await drain


def stream(head: bytes, body: bytes) -> Callable[[asyncio.StreamWriter], Awaitable[int]]:
    started: set[int] = set()

    async def send(writer: asyncio.StreamWriter) -> int:
        n = 0
        if id(writer) not in started:
            started.add(id(writer))
            writer.write(head)
            n += len(head)
        writer.write(body)
        await writer.drain()
        await asyncio.sleep(0)  # let the drain task see a reset
        return n + len(body)

    return send


async def line_burst(writer: asyncio.StreamWriter) -> int:
    """``LINE_FLOOD`` at once (under the door's byte budget: the lines reach the hub),
    then a second's pause, as the griefer's script did."""
    writer.write(LINE_FLOOD)
    await writer.drain()
    await asyncio.sleep(1.0)
    return len(LINE_FLOOD)


async def slow_byte(writer: asyncio.StreamWriter) -> int:
    writer.write(b"a")
    await writer.drain()
    await asyncio.sleep(1.0)
    return 1


async def nonreader_attack(
    tally: Tally, port: int, stop: asyncio.Event, names: Names, calling: str | None
) -> None:
    while not stop.is_set():
        t0 = now()
        try:
            client = await login(port, names.take(), calling, local=HOSTILE, rcvbuf=4096)
        except (TimeoutError, ConnectionError, OSError):
            tally.errors += 1
            await asyncio.sleep(0.5)
            continue
        tally.connects += 1
        assert client.transport is not None
        client.transport.pause_reading()
        t0 = now()
        while not stop.is_set() and not client.lost:
            client.send("look")
            tally.sent += 6
            await asyncio.sleep(0.25)
        if client.lost:
            tally.cut.append(now() - t0)
        else:
            tally.open_at_end += 1
            client.close()


async def chatter(client: Client, stop: asyncio.Event) -> None:
    """A legitimate, very talkative player: the room the non-readers are in is busy."""
    line = "say " + "chatter " * 240
    while not stop.is_set() and not client.lost:
        client.send(line)
        await asyncio.sleep(0.11)  # just under the flood limit (10 lines a second)


async def ssh_attack(
    tally: Tally, port: int, stop: asyncio.Event, probe_cap: bool, cap: int
) -> None:
    conns: list[Any] = []

    async def one() -> bool:
        try:
            async with asyncio.timeout(10):
                conn = await asyncssh.connect(
                    HOST,
                    port,
                    username="play",
                    known_hosts=None,
                    agent_path=None,
                    local_addr=(HOSTILE, 0),
                )
                # The server refuses over the cap by aborting right after accepting.
                await asyncio.sleep(0.2)
        except (OSError, asyncssh.Error, TimeoutError):
            tally.refused += 1
            return False
        tally.connects += 1
        conns.append((now(), conn))
        return True

    await one()
    if probe_cap:
        for _ in range(cap + 2):
            if not await one():
                break
    while not stop.is_set():
        for entry in list(conns):
            t0, conn = entry
            if conn.is_closed():
                tally.cut.append(now() - t0)
                conns.remove(entry)
                if not stop.is_set():
                    await one()  # like the raw attacks: reconnect once cut off
        if not conns and not stop.is_set():
            await one()  # refused at a cap: keep trying, like the raw attacks
        await asyncio.sleep(0.25)
    for _t0, conn in conns:
        tally.open_at_end += 1
        conn.close()


# -- phases ---------------------------------------------------------------------------------


class Abuse:
    def __init__(self, args: argparse.Namespace, server: MudProcess, world: WorldFacts) -> None:
        self.args = args
        self.server = server
        self.world = world
        self.names = Names(100)
        self.ssh_port = 0

    async def settle(self) -> int:
        return await settled_rss(self.server.pid, deadline=8.0)

    async def phase(
        self, name: str, attack: str | None, count: int, player: Client
    ) -> dict[str, Any]:
        a = self.args
        stop = asyncio.Event()
        tally = Tally()
        tasks: list[asyncio.Task[Any]] = []
        port = self.server.port
        extra: Client | None = None
        rss_before = await self.settle()
        if attack == "nonreader":
            extra = await login(port, self.names.take(), self.world.calling)
            extra.keep = False
            tasks.append(asyncio.create_task(chatter(extra, stop)))
        for i in range(count):
            if attack == "subneg":
                coro = _raw_attack(tally, port, stop, stream(b"\xff\xfa\xc9", b"x" * 65536))
            elif attack == "nul":
                coro = _raw_attack(tally, port, stop, stream(b"", (b"A" * 1000 + b"\0") * 64))
            elif attack == "lines":
                coro = _raw_attack(tally, port, stop, line_burst)
            elif attack == "slowloris":
                coro = _raw_attack(tally, port, stop, slow_byte)
            elif attack == "nonreader":
                coro = nonreader_attack(tally, port, stop, self.names, self.world.calling)
            elif attack == "ssh":
                coro = ssh_attack(tally, self.ssh_port, stop, count > 1 and i == 0, 10)
            else:
                raise ValueError(attack)
            tasks.append(asyncio.create_task(coro))
        peak = rss_before
        cpu0, t0 = read_cpu_seconds(self.server.pid), now()
        sampler_stop = asyncio.Event()

        async def sample() -> None:
            nonlocal peak
            while not sampler_stop.is_set():
                with contextlib.suppress(OSError):
                    peak = max(peak, read_rss_kib(self.server.pid))
                await asyncio.sleep(0.25)

        sampler = asyncio.create_task(sample())
        rtts, timeouts = await measure(player, a.seconds, a.interval)
        cpu = (read_cpu_seconds(self.server.pid) - cpu0) / (now() - t0)
        stop.set()
        with contextlib.suppress(TimeoutError):
            async with asyncio.timeout(15):
                await asyncio.gather(*tasks, return_exceptions=True)
        for task in tasks:
            task.cancel()
        sampler_stop.set()
        await sampler
        if extra is not None:
            extra.close()
        await asyncio.sleep(1.0)
        rss_after = await self.settle()
        stats = summarize_ms(rtts)
        result: dict[str, Any] = {
            "phase": name,
            "player_ms": stats,
            "stalls_over_100ms": sum(1 for r in rtts if r > STALL_S),
            "player_timeouts": timeouts,
            "server_cpu_core_share": round(cpu, 3),
            "rss_kib": {"before": rss_before, "peak": peak, "after": rss_after},
        }
        if attack is not None:
            result["hostile"] = tally.report()
        return result

    async def run(self) -> dict[str, Any]:
        a = self.args
        await self.server.start()
        async with asyncio.timeout(10):
            while True:
                with contextlib.suppress(BenchError):
                    self.ssh_port = ssh_port(self.server)
                    break
                await asyncio.sleep(0.05)
        player = await login(self.server.port, 0, self.world.calling)
        if self.world.paths:
            await walk(player, self.world.paths[0])
        phases = [await self.phase("alone", None, 0, player)]
        attacks = a.attacks.split(",") if a.attacks else list(ATTACKS)
        for attack in attacks:
            for count in (1, 9):
                phases.append(await self.phase(f"{attack} x{count}", attack, count, player))
                print(fmt_phase(phases[-1]), flush=True)
        player.close()
        return {"phases": phases}


def fmt_phase(p: dict[str, Any]) -> str:
    s = p["player_ms"]
    rss = p["rss_kib"]
    text = (
        f"{p['phase']:<14} p50 {s.get('p50', '-'):>8} p99 {s.get('p99', '-'):>8} "
        f"max {s.get('max', '-'):>8} ms  stalls>100ms {p['stalls_over_100ms']:>3}  "
        f"cpu {p['server_cpu_core_share'] * 100:5.1f}%  rss {rss['before'] // 1024}"
        f"->{rss['peak'] // 1024}->{rss['after'] // 1024} MiB"
    )
    h = p.get("hostile")
    if h:
        text += (
            f"\n{'':14} hostile: {h['connects']} connects, {h['refused_at_cap']} refused, "
            f"{h['cut_off']} cut off (median {h['cut_after_s_median']} s, max "
            f"{h['cut_after_s_max']} s), {h['open_at_end']} open at end, "
            f"{h['mib_sent']} MiB sent"
        )
    return text


# -- soak -----------------------------------------------------------------------------------


def open_fds(pid: int) -> int:
    return len(os.listdir(f"/proc/{pid}/fd"))


async def soak(args: argparse.Namespace, server: MudProcess, world: WorldFacts) -> dict[str, Any]:
    await server.start()
    async with asyncio.timeout(10):
        while True:
            with contextlib.suppress(BenchError):
                port_ssh = ssh_port(server)
                break
            await asyncio.sleep(0.05)
    port = server.port
    players: list[Client] = []
    failures: list[str] = []
    for batch in range(0, args.soak_players, 25):
        results = await asyncio.gather(
            *(
                login(port, i, world.calling)
                for i in range(batch, min(batch + 25, args.soak_players))
            ),
            return_exceptions=True,
        )
        for r in results:
            if isinstance(r, Client):
                players.append(r)
            else:
                failures.append(f"login: {type(r).__name__} {r}")
    stop = asyncio.Event()
    names = Names(100_000)
    tallies = {attack: Tally() for attack in ATTACKS}
    hostile: list[asyncio.Task[Any]] = []
    for attack in ATTACKS:
        for _ in range(2):
            tally = tallies[attack]
            if attack == "subneg":
                coro = _raw_attack(tally, port, stop, stream(b"\xff\xfa\xc9", b"x" * 65536))
            elif attack == "nul":
                coro = _raw_attack(tally, port, stop, stream(b"", (b"A" * 1000 + b"\0") * 64))
            elif attack == "lines":
                coro = _raw_attack(tally, port, stop, line_burst)
            elif attack == "slowloris":
                coro = _raw_attack(tally, port, stop, slow_byte)
            elif attack == "nonreader":
                coro = nonreader_attack(tally, port, stop, names, world.calling)
            else:
                coro = ssh_attack(tally, port_ssh, stop, False, 10)
            hostile.append(asyncio.create_task(coro))
    seconds = args.soak_minutes * 60.0
    rng = random.Random(7)

    async def play(client: Client) -> tuple[list[float], int]:
        await asyncio.sleep(rng.uniform(0, 2.0))
        return await measure(client, seconds, 2.0)

    samples: list[dict[str, Any]] = []

    async def sampler() -> None:
        t0 = now()
        while not stop.is_set():
            with contextlib.suppress(OSError):
                samples.append(
                    {
                        "t": round(now() - t0),
                        "rss_kib": read_rss_kib(server.pid),
                        "fds": open_fds(server.pid),
                    }
                )
            with contextlib.suppress(TimeoutError):
                async with asyncio.timeout(10):
                    await stop.wait()

    sampling = asyncio.create_task(sampler())
    cpu0, t0 = read_cpu_seconds(server.pid), now()
    results = await asyncio.gather(*(play(c) for c in players))
    cpu = (read_cpu_seconds(server.pid) - cpu0) / (now() - t0)
    stop.set()
    with contextlib.suppress(TimeoutError):
        async with asyncio.timeout(15):
            await asyncio.gather(*hostile, sampling, return_exceptions=True)
    p99s = sorted(summarize_ms(r)["p99"] for r, _ in results if r)
    lost = sum(1 for c in players if c.lost)
    for c in players:
        c.close()
    return {
        "players": len(players),
        "login_failures": failures[:10],
        "players_disconnected": lost,
        "timeouts": sum(t for _, t in results),
        "per_player_p99_ms": p99s,
        "p99_of_p99_ms": p99s[int(len(p99s) * 0.99) - 1] if p99s else None,
        "server_cpu_core_share": round(cpu, 3),
        "samples": samples,
        "hostile": {attack: t.report() for attack, t in tallies.items()},
    }


# -- main -----------------------------------------------------------------------------------


def parse_args(argv: list[str] | None = None) -> argparse.Namespace:
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("--seconds", type=float, default=30.0, help="length of each phase")
    p.add_argument("--interval", type=float, default=0.2, help="seconds between commands")
    p.add_argument("--attacks", default="", help=f"comma list (default all: {','.join(ATTACKS)})")
    p.add_argument("--soak-minutes", type=float, default=0.0, help="run the soak instead")
    p.add_argument("--soak-players", type=int, default=200)
    p.add_argument("--content", action="append", help="content pack folder (repeatable)")
    args = p.parse_args(argv)
    args.stamp = time.strftime("%Y%m%d-%H%M%S")
    return args


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    world = world_facts(args.content)
    RESULTS.mkdir(parents=True, exist_ok=True)
    log_path = RESULTS / f"abuse-server-{args.stamp}.log"
    with tempfile.TemporaryDirectory(prefix="mud-abuse-") as tmp, log_path.open("wb") as log:
        config = (
            server_config(max_per_ip=args.soak_players + 20, connect_burst=args.soak_players + 50)
            if args.soak_minutes
            else server_config()
        )
        server = MudProcess(Path(tmp), config, clean_env({}), log, args.content or [])

        async def go() -> dict[str, Any]:
            try:
                if args.soak_minutes:
                    return await soak(args, server, world)
                return await Abuse(args, server, world).run()
            finally:
                await server.stop()

        try:
            report = asyncio.run(go())
        except BenchError as exc:
            print(f"abuse: {exc}", file=sys.stderr)
            return 1
    report["args"] = {k: v for k, v in vars(args).items() if k != "content"}
    report["server_log"] = str(log_path)
    kind = "soak" if args.soak_minutes else "abuse"
    path = RESULTS / f"{kind}-{args.stamp}.json"
    path.write_text(json.dumps(report, indent=2) + "\n", encoding="utf-8")
    if args.soak_minutes:
        s = report["samples"]
        print(
            f"soak: {report['players']} players, {report['players_disconnected']} disconnected, "
            f"{report['timeouts']} timeouts; p99 of per-player p99 {report['p99_of_p99_ms']} ms; "
            f"rss {s[0]['rss_kib'] // 1024}->{s[-1]['rss_kib'] // 1024} MiB, "
            f"fds {s[0]['fds']}->{s[-1]['fds']}"
            if s
            else "soak: no samples"
        )
    else:
        print(fmt_phase(report["phases"][0]))
    print(f"full figures: {path}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
