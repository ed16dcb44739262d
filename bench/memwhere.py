"""Where the server's memory per connection goes: tracemalloc snapshots of a real server.

Usage (from the repository root)::

    python bench/memwhere.py --players 300 --idle 300
    python bench/memwhere.py --players 1000 --room-size 500 --idle 0 --halves --steady 30

Starts ``python -m mud serve`` (the load-test config) with bench/memdrift.py's
``sitecustomize``: tracemalloc on (``--frames``; 0 turns it off, for RSS figures as
bench/load.py sees them), and on SIGUSR1 a reading of what the process holds (RSS before
and after a full collection, glibc's heaps per arena and their free bytes, pymalloc's
arenas, smaps) and a tracemalloc snapshot. Readings are taken empty, after ``--idle`` raw
connections that never log in (and never negotiate), after ``--players`` logged-in
players (bench/load.py's login), with ``--halves`` also half-way through the ramp (every
other block of each room's players, so both halves are alike), and after ``--steady``
seconds of bench/load.py's steady window (looks and says). Prints each reading, and the
largest tracemalloc differences per source line per connection; with ``--halves``, what
the first half cost that the second did not (what a ramp adds once, whatever the number
of players) next to the second half's cost (what each player adds). ``--hash-n 16384``
logs in with a real server's password-hash cost (the load config's 16 hides what the
hash threads keep).
tracemalloc slows the server down several times and counts only Python allocations (not
the kernel's socket buffers or the allocator's slack), so use it to rank causes, and
bench/load.py or bench/storm.py for the figures.
"""

from __future__ import annotations

import argparse
import asyncio
import sys
import tempfile
import tracemalloc
from pathlib import Path
from typing import Any

if __package__ in (None, ""):
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.common import HOST, ROOT, MudProcess, clean_env
from bench.load import Bench, parse_args, world_facts
from bench.memdrift import SITE, line, reading
from bench.storm import Probe, storm_config

AREAS = (
    "telnetlib3",
    "asyncssh",
    "asyncio",
    "mud/net",
    "mud/hub",
    "mud/render",
    "mud/engine",
    "mud/world",
    "mud/dm",
    "mud/store",
    "mud/",
)


def area(filename: str) -> str:
    """The library or part of mud a source file belongs to (for the per-area totals)."""
    for name in AREAS:
        if f"/{name}" in filename:
            return name.rstrip("/")
    return "other (stdlib, json, attrs...)"


def where(frame: tracemalloc.Frame) -> str:
    name = frame.filename.replace(str(ROOT) + "/", "").split("site-packages/")[-1]
    return f"{name}:{frame.lineno}"


def show(title: str, before: tracemalloc.Snapshot, after: tracemalloc.Snapshot, n: int) -> None:
    stats = after.compare_to(before, "lineno")
    total = sum(s.size_diff for s in stats)
    print(
        f"\n== {title}: {total / 1024 / max(1, n):.1f} KiB Python heap per connection "
        f"({total / 1048576:.1f} MiB in all) =="
    )
    areas: dict[str, int] = {}
    for s in stats:
        areas[area(s.traceback[0].filename)] = (
            areas.get(area(s.traceback[0].filename), 0) + s.size_diff
        )
    for name, size in sorted(areas.items(), key=lambda kv: -kv[1]):
        print(f"  {size / 1024 / max(1, n):6.1f} KiB/conn  {name}")
    for s in sorted(stats, key=lambda s: -s.size_diff)[:25]:
        per, objs = s.size_diff / max(1, n), s.count_diff / max(1, n)
        print(f"{per:9.0f} B/conn {objs:6.1f} obj  {where(s.traceback[0])}")
    if after.traceback_limit > 1:
        print("  the same, by call stack (innermost first):")
        for s in sorted(after.compare_to(before, "traceback"), key=lambda s: -s.size_diff)[:15]:
            per, objs = s.size_diff / max(1, n), s.count_diff / max(1, n)
            stack = " <- ".join(where(f) for f in s.traceback[:4])
            print(f"{per:9.0f} B/conn {objs:6.1f} obj  {stack}")


def show_once(
    s0: tracemalloc.Snapshot, s1: tracemalloc.Snapshot, s2: tracemalloc.Snapshot, n: int
) -> None:
    """Per source line, what the first ``n`` players cost (s0 to s1) beyond what the next
    ``n`` cost (s1 to s2): the part of a ramp that is paid once."""
    first = {st.traceback: st for st in s1.compare_to(s0, "lineno")}
    second = {st.traceback: st for st in s2.compare_to(s1, "lineno")}
    rows = []
    for key in first.keys() | second.keys():
        a = first[key].size_diff if key in first else 0
        b = second[key].size_diff if key in second else 0
        rows.append((a - b, a, b, key))
    once = sum(r[0] for r in rows)
    print(
        f"\n== paid once by the ramp (first half minus second half): {once / 1048576:.2f} MiB "
        "of Python heap =="
    )
    print("   once KiB  first half  second half  where")
    for extra, a, b, key in sorted(rows, key=lambda r: -abs(r[0]))[:25]:
        print(f"{extra / 1024:10.1f} {a / 1024:11.1f} {b / 1024:12.1f}  {where(key[0])}")


def heaps(info: dict[str, Any]) -> str:
    """glibc's arenas in one line: main heap, then the threads' (size/free, MiB)."""
    parts = [f"{size / 1024:.1f}/{free / 1024:.1f}" for _, size, free in info.get("heaps", [])]
    names = ",".join(info.get("names", []))
    return (
        f"threads {info.get('threads', '-')} ({names}), glibc arenas (MiB size/free) "
        + " ".join(parts)
    )


def per_player(label: str, info: dict[str, Any], before: dict[str, Any], n: int) -> str:
    """One reading's growth since ``before``, per player: RSS as the process held it and
    after a full collection, pymalloc's blocks in use and arenas, glibc's use and slack."""

    def d(key: str, scale: float = 1.0) -> float:
        return (info.get(key, 0) - before.get(key, 0)) / scale / max(1, n)

    return (
        f"  {label:<7} rss {d('rss_raw_kib'):5.1f} KiB (after gc {d('rss_kib'):5.1f}); "
        f"pymalloc in use {d('bytes_in_allocated_blocks', 1024):5.1f} KiB, arenas "
        f"{d('arenas_allocated_current') * max(1, n):+.0f} MiB; glibc in use "
        f"{d('in_use_kib'):5.1f}, free {d('free_kib'):5.1f} KiB; SQLite {d('sqlite_kib'):4.1f} KiB"
    )


async def ramp_range(bench: Bench, indices: list[int], batch: int) -> None:
    """Log in the players ``indices`` (bench/load.py's login), ``batch`` at a time."""
    for start in range(0, len(indices), batch):
        chunk = indices[start : start + batch]
        results = await asyncio.gather(*(bench.login(i) for i in chunk))
        bench.clients.extend(c for c in results if c is not None)
    if bench.login_failures:
        print(f"{len(bench.login_failures)} logins failed; first: {bench.login_failures[0]}")


async def main(argv: list[str]) -> None:
    p = argparse.ArgumentParser()
    p.add_argument("--players", type=int, default=300)
    p.add_argument("--room-size", type=int, default=0, help="players in the big room (all)")
    p.add_argument("--idle", type=int, default=300)
    p.add_argument("--halves", action="store_true", help="a reading half-way through the ramp")
    p.add_argument("--steady", type=float, default=0.0, help="seconds of steady play (0: none)")
    p.add_argument("--frames", type=int, default=1, help="tracemalloc frames (0: off)")
    p.add_argument("--trim", action="store_true", help="glibc's malloc_trim before each reading")
    p.add_argument("--env", action="append", default=[], help="KEY=VALUE for the server")
    p.add_argument(
        "--hash-n", type=int, default=16, help="scrypt cost (16; a real server's is 16384)"
    )
    ns = p.parse_args(argv)
    room = ns.room_size or ns.players
    with tempfile.TemporaryDirectory(prefix="mud-memwhere-") as tmp:
        site = Path(tmp) / "site"
        site.mkdir()
        (site / "sitecustomize.py").write_text(SITE)
        out = str(Path(tmp) / "snap")
        extra = {"PYTHONPATH": f"{site}:{ROOT}", "MEMDRIFT_OUT": out}
        if ns.frames:
            extra["MEMDRIFT_TRACE"] = str(ns.frames)
        if ns.trim:
            extra["MEMDRIFT_TRIM"] = "1"
        extra.update(dict(kv.split("=", 1) for kv in ns.env))
        env = clean_env(extra)
        taken: list[tuple[str, dict[str, Any]]] = []

        async def take(label: str) -> tracemalloc.Snapshot | None:
            info = await reading(server.pid, out, len(taken))
            taken.append((label, info))
            print(line(label[:10], info), flush=True)
            print(
                f"{'':10} rss raw {info['rss_raw_kib'] / 1024:.1f} MiB, after gc "
                f"{info['rss_collected_kib'] / 1024:.1f}; SQLite "
                f"{info.get('sqlite_kib', 0) / 1024:.1f} MiB; {heaps(info)}",
                flush=True,
            )
            path = f"{out}.{len(taken) - 1}.trace"
            return tracemalloc.Snapshot.load(path) if ns.frames else None

        with (Path(tmp) / "server.log").open("wb") as log:
            config = storm_config(0.2).replace("  hash_n: 16\n", f"  hash_n: {ns.hash_n}\n")
            server = MudProcess(Path(tmp), config, env, log)
            await server.start()
            try:
                await asyncio.sleep(1)
                s0 = await take("empty")
                if ns.idle:
                    loop = asyncio.get_running_loop()
                    idle = []
                    for _ in range(ns.idle):
                        _, probe = await loop.create_connection(
                            lambda: Probe(0.0), HOST, server.port
                        )
                        idle.append(probe)
                    await asyncio.wait_for(asyncio.gather(*(p.greeted for p in idle)), 120)
                    await asyncio.sleep(1)
                    s1 = await take("idle")
                    if s0 and s1:
                        show("idle (not logged in)", s0, s1, ns.idle)
                    r0, r1 = taken[0][1]["rss_kib"], taken[1][1]["rss_kib"]
                    print(f"RSS {(r1 - r0) / ns.idle:.1f} KiB per idle connection")
                    for probe in idle:
                        assert probe.transport is not None
                        probe.transport.abort()
                    await asyncio.sleep(2)
                    s0 = await take("closed")
                base = len(taken) - 1
                args = parse_args(
                    ["--players", str(ns.players), "--room-size", str(room)]
                    + ["--duration", str(ns.steady or 1)]
                )
                bench = Bench(args, server, world_facts(None))
                order = list(range(ns.players))
                half, sh = 0, None
                if ns.halves:
                    # Half of each room's players first, so both halves are alike.
                    order.sort(key=lambda i: (i % room) >= room // 2)
                    half = sum(1 for i in order if (i % room) < room // 2)
                    await ramp_range(bench, order[:half], args.batch)
                    await asyncio.sleep(2)
                    sh = await take("half")
                    await ramp_range(bench, order[half:], args.batch)
                else:
                    await ramp_range(bench, order, args.batch)
                await asyncio.sleep(2)
                s3 = await take("ramped")
                n = max(1, len(bench.clients))
                if s0 and s3:
                    show("logged-in players", s0, s3, n)
                if ns.halves and s0 and sh and s3:
                    show_once(s0, sh, s3, half)
                if ns.steady:
                    await bench.steady()
                    s4 = await take("steady")
                    if s3 and s4:
                        show(f"{ns.steady:.0f} s of steady play", s3, s4, n)
                print("\nper player, from the reading before the ramp:")
                for label, info in taken[base + 1 :]:
                    print(per_player(label, info, taken[base][1], half if label == "half" else n))
                for c in bench.clients:
                    c.close()
            finally:
                await server.stop()


if __name__ == "__main__":
    asyncio.run(main(sys.argv[1:]))
