"""Where the server's memory per connection goes: tracemalloc snapshots of a real server.

Usage (from the repository root)::

    python bench/memwhere.py --players 300 --idle 300

Starts ``python -m mud serve`` (the load-test config) with tracemalloc on (a
``sitecustomize`` in a temporary folder starts it and writes a snapshot on SIGUSR1),
then takes a snapshot empty, after ``--idle`` raw connections that never log in (and
never negotiate), and after ``--players`` logged-in players (bench/load.py's login).
Prints the largest differences per source line, divided by the number of connections,
and the RSS per connection. tracemalloc slows the server down several times and counts
only Python allocations (not the kernel's socket buffers or the allocator's slack), so
use it to rank causes, and bench/load.py or bench/storm.py for the figures.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import signal
import sys
import tempfile
import tracemalloc
from pathlib import Path

if __package__ in (None, ""):
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.common import HOST, ROOT, MudProcess, clean_env, read_rss_kib
from bench.load import Bench, parse_args, world_facts
from bench.storm import Probe, storm_config

SITE = """\
import os, signal, tracemalloc
tracemalloc.start(int(os.environ.get("MEMWHERE_FRAMES", "1")))

def _dump(signum, frame):
    import gc
    gc.collect()
    path = os.environ["MEMWHERE_OUT"] + f".{os.getpid()}.{_dump.n}"
    _dump.n += 1
    tracemalloc.take_snapshot().dump(path + ".tmp")
    os.rename(path + ".tmp", path)

_dump.n = 0
signal.signal(signal.SIGUSR1, _dump)
"""


async def snapshot(pid: int, out: str, n: int) -> tracemalloc.Snapshot:
    os.kill(pid, signal.SIGUSR1)
    path = f"{out}.{pid}.{n}"
    async with asyncio.timeout(120):
        while not os.path.exists(path):  # noqa: ASYNC110, ASYNC240 - the server writes it
            await asyncio.sleep(0.2)
    return tracemalloc.Snapshot.load(path)


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


def show(title: str, before: tracemalloc.Snapshot, after: tracemalloc.Snapshot, n: int) -> None:
    stats = after.compare_to(before, "lineno")
    total = sum(s.size_diff for s in stats)
    print(f"\n== {title}: {total / 1024 / max(1, n):.1f} KiB Python heap per connection ==")
    areas: dict[str, int] = {}
    for s in stats:
        areas[area(s.traceback[0].filename)] = (
            areas.get(area(s.traceback[0].filename), 0) + s.size_diff
        )
    for name, size in sorted(areas.items(), key=lambda kv: -kv[1]):
        print(f"  {size / 1024 / max(1, n):6.1f} KiB/conn  {name}")
    for s in sorted(stats, key=lambda s: -s.size_diff)[:25]:
        frame = s.traceback[0]
        name = frame.filename.replace(str(ROOT) + "/", "").split("site-packages/")[-1]
        per, objs = s.size_diff / max(1, n), s.count_diff / max(1, n)
        print(f"{per:9.0f} B/conn {objs:6.1f} obj  {name}:{frame.lineno}")


async def main(argv: list[str]) -> None:
    p = argparse.ArgumentParser()
    p.add_argument("--players", type=int, default=300)
    p.add_argument("--idle", type=int, default=300)
    ns = p.parse_args(argv)
    with tempfile.TemporaryDirectory(prefix="mud-memwhere-") as tmp:
        site = Path(tmp) / "site"
        site.mkdir()
        (site / "sitecustomize.py").write_text(SITE)
        out = str(Path(tmp) / "snap")
        env = clean_env({"PYTHONPATH": f"{site}:{ROOT}", "MEMWHERE_OUT": out})
        with (Path(tmp) / "server.log").open("wb") as log:
            server = MudProcess(Path(tmp), storm_config(0.2), env, log)
            await server.start()
            try:
                await asyncio.sleep(1)
                s0 = await snapshot(server.pid, out, 0)
                r0 = read_rss_kib(server.pid)
                loop = asyncio.get_running_loop()
                idle = []
                for _ in range(ns.idle):
                    _, probe = await loop.create_connection(lambda: Probe(0.0), HOST, server.port)
                    idle.append(probe)
                await asyncio.wait_for(asyncio.gather(*(p.greeted for p in idle)), 120)
                await asyncio.sleep(1)
                s1 = await snapshot(server.pid, out, 1)
                r1 = read_rss_kib(server.pid)
                show("idle (not logged in)", s0, s1, ns.idle)
                print(f"RSS {(r1 - r0) / ns.idle:.1f} KiB per idle connection")
                for probe in idle:
                    assert probe.transport is not None
                    probe.transport.abort()
                await asyncio.sleep(2)
                s2 = await snapshot(server.pid, out, 2)
                r2 = read_rss_kib(server.pid)
                args = parse_args(["--players", str(ns.players), "--room-size", str(ns.players)])
                bench = Bench(args, server, world_facts(None))
                await bench.ramp()
                await asyncio.sleep(2)
                s3 = await snapshot(server.pid, out, 3)
                r3 = read_rss_kib(server.pid)
                show("logged-in players", s2, s3, len(bench.clients))
                print(f"RSS {(r3 - r2) / max(1, len(bench.clients)):.1f} KiB per player")
                for c in bench.clients:
                    c.close()
            finally:
                await server.stop()


if __name__ == "__main__":
    asyncio.run(main(sys.argv[1:]))
