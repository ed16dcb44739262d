"""Where the server's memory goes after a streaming attack, and whether it comes back.

Usage (from the repository root)::

    python bench/memdrift.py                      # 3 rounds of 9 subneg + 9 nul sockets
    python bench/memdrift.py --tracemalloc 1      # + the live Python allocations' diff

Starts the server the way ``bench/abuse.py`` does (default caps) with a
``sitecustomize`` that, on SIGUSR1, writes what the process holds: RSS, glibc's
``mallinfo2`` (heap in use and free), pymalloc's arenas (``sys._debugmallocstats``), the
``[heap]`` and anonymous mappings of ``/proc/self/smaps`` and, with ``--tracemalloc``, a
tracemalloc snapshot. Then ``--rounds`` times: nine endless-subnegotiation and nine
NUL-separated sockets from 127.0.0.2 for ``--seconds`` each (bench/abuse.py's attacks),
a pause, and a reading. Prints one line per reading and, with ``--tracemalloc``, the
source lines whose live allocations grew most between the first and the last reading.
Contacts 127.0.0.1/127.0.0.2 only; every wait has a deadline; the server is stopped.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import json
import os
import signal
import sys
import tempfile
import tracemalloc
from collections.abc import Awaitable, Callable
from pathlib import Path
from typing import Any

if __package__ in (None, ""):
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.abuse import Names, Tally, _raw_attack, nonreader_attack, server_config, stream
from bench.common import ROOT, MudProcess, clean_env
from bench.load import world_facts

SITE = """\
import os, signal, sys, json, gc, ctypes
if os.environ.get("MEMDRIFT_TRACE"):
    import tracemalloc
    tracemalloc.start(int(os.environ["MEMDRIFT_TRACE"]))

if os.environ.get("MEMDRIFT_GC_DEFAULT"):
    gc.set_threshold = lambda *a: None

def _mallinfo():
    try:
        libc = ctypes.CDLL("libc.so.6")
    except OSError:
        return {}
    class M(ctypes.Structure):
        _fields_ = [(n, ctypes.c_size_t) for n in (
            "arena", "ordblks", "smblks", "hblks", "hblkhd", "usmblks", "fsmblks",
            "uordblks", "fordblks", "keepcost")]
    f = libc.mallinfo2
    f.restype = M
    m = f()
    return {"heap_kib": m.arena // 1024, "mmap_kib": m.hblkhd // 1024,
            "in_use_kib": m.uordblks // 1024, "free_kib": m.fordblks // 1024}

def _smaps():
    heap = anon = 0
    name = ""
    with open("/proc/self/smaps") as f:
        for line in f:
            parts = line.split()
            if "-" in parts[0] and len(parts) >= 5:
                name = parts[5] if len(parts) > 5 else ""
            elif parts[0] == "Rss:":
                if name == "[heap]":
                    heap += int(parts[1])
                elif name == "":
                    anon += int(parts[1])
    return {"smaps_heap_kib": heap, "smaps_anon_kib": anon}

def _arenas():
    r, w = os.pipe()
    saved = os.dup(2)
    os.dup2(w, 2)
    try:
        sys._debugmallocstats()
    finally:
        os.dup2(saved, 2)
        os.close(saved)
        os.close(w)
    text = os.read(r, 1 << 20).decode(errors="replace")
    os.close(r)
    out = {}
    for line in text.splitlines():
        for key in ("arenas allocated current", "bytes in allocated blocks",
                    "bytes in available blocks"):
            if line.startswith("# " + key):
                out[key.replace(" ", "_")] = int(line.split("=")[-1].replace(",", ""))
    return out

def _heaps():
    # glibc's malloc_info: one <heap> per arena (the main one and one per thread that
    # ever allocated), with its size and its free bytes.
    import re, tempfile
    try:
        libc = ctypes.CDLL("libc.so.6")
        libc.fopen.restype = ctypes.c_void_p
        libc.fopen.argtypes = [ctypes.c_char_p, ctypes.c_char_p]
        libc.malloc_info.argtypes = [ctypes.c_int, ctypes.c_void_p]
        libc.fclose.argtypes = [ctypes.c_void_p]
    except (OSError, AttributeError):
        return {}
    with tempfile.NamedTemporaryFile(suffix=".xml") as tmp:
        fh = libc.fopen(tmp.name.encode(), b"w")
        libc.malloc_info(0, fh)
        libc.fclose(fh)
        text = open(tmp.name).read()
    heaps = []
    for nr, body in re.findall(r'<heap nr="(\\d+)">(.*?)</heap>', text, re.S):
        size = re.search(r'<system type="current" size="(\\d+)"', body)
        free = re.findall(r'<total type="(?:fast|rest)" count="\\d+" size="(\\d+)"', body)
        heaps.append([int(nr), int(size.group(1)) // 1024 if size else 0,
                      sum(int(f) for f in free) // 1024])
    import threading
    names = sorted(t.name.split("(")[0].rstrip() for t in threading.enumerate())
    return {"heaps": heaps, "threads": len(os.listdir("/proc/self/task")), "names": names}

def _rollup():
    out = {}
    with open("/proc/self/smaps_rollup") as f:
        for line in f:
            parts = line.split()
            if parts[0] in ("Rss:", "Anonymous:", "Private_Dirty:", "Shared_Clean:"):
                out["rollup_" + parts[0][:-1].lower() + "_kib"] = int(parts[1])
    return out

def _sqlite():
    # SQLite's own allocator statistics (every connection in the process): the page
    # caches live there, outside Python's and tracemalloc's sight.
    lib = None
    with open("/proc/self/maps") as f:
        for line in f:
            if "libsqlite3" in line:
                lib = line.split()[-1]
                break
    try:
        so = ctypes.CDLL(lib) if lib else ctypes.CDLL(None)
        used = so.sqlite3_memory_used
    except (OSError, AttributeError):
        return {}
    used.restype = ctypes.c_int64
    high = so.sqlite3_memory_highwater
    high.restype = ctypes.c_int64
    high.argtypes = [ctypes.c_int]
    return {"sqlite_kib": used() // 1024, "sqlite_peak_kib": high(0) // 1024}

def _rss():
    with open("/proc/self/status") as f:
        for line in f:
            if line.startswith("VmRSS:"):
                return int(line.split()[1])
    return 0

def _dump(signum, frame):
    # RSS as the process held it, after a full collection, and (MEMDRIFT_TRIM) after
    # glibc's trim as well: what is garbage, and what is free memory glibc kept.
    raw = _rss()
    gc.collect()
    collected = _rss()
    if os.environ.get("MEMDRIFT_TRIM"):
        ctypes.CDLL("libc.so.6").malloc_trim(0)
    path = os.environ["MEMDRIFT_OUT"] + f".{_dump.n}"
    _dump.n += 1
    info = {"rss_kib": _rss(), "rss_raw_kib": raw, "rss_collected_kib": collected,
            **_mallinfo(), **_smaps(), **_arenas(), **_heaps(), **_rollup(), **_sqlite()}
    if os.environ.get("MEMDRIFT_TRACE"):
        import tracemalloc
        tracemalloc.take_snapshot().dump(path + ".trace")
        info["tracemalloc_kib"] = tracemalloc.get_tracemalloc_memory() // 1024
    with open(path + ".tmp", "w") as f:
        json.dump(info, f)
    os.rename(path + ".tmp", path)

_dump.n = 0
signal.signal(signal.SIGUSR1, _dump)
"""


async def reading(pid: int, out: str, n: int) -> dict[str, Any]:
    os.kill(pid, signal.SIGUSR1)
    path = f"{out}.{n}"
    async with asyncio.timeout(120):
        while not os.path.exists(path):  # noqa: ASYNC110, ASYNC240 - the server writes it
            await asyncio.sleep(0.2)
    info: dict[str, Any] = json.loads(Path(path).read_text())  # noqa: ASYNC240 - tiny
    return info


def line(label: str, info: dict[str, Any]) -> str:
    arenas = info.get("arenas_allocated_current", "-")
    used = info.get("bytes_in_allocated_blocks", 0) // 1024
    return (
        f"{label:<10} rss {info['rss_kib'] / 1024:6.1f} MiB  [heap] "
        f"{info['smaps_heap_kib'] / 1024:5.1f}  anon {info['smaps_anon_kib'] / 1024:5.1f}  "
        f"glibc in use {info.get('in_use_kib', 0) / 1024:5.1f} free "
        f"{info.get('free_kib', 0) / 1024:5.1f} mmap {info.get('mmap_kib', 0) / 1024:4.1f}  "
        f"pymalloc arenas {arenas} ({used / 1024:.1f} MiB used)"
    )


async def attack_round(
    port: int, seconds: float, mid: Callable[[], Awaitable[None]] | None = None
) -> None:
    stop = asyncio.Event()
    tally = Tally()
    tasks = [
        asyncio.create_task(_raw_attack(tally, port, stop, stream(b"\xff\xfa\xc9", b"x" * 65536)))
        for _ in range(9)
    ]
    await asyncio.sleep(seconds / 2)
    if mid is not None:
        await mid()
    await asyncio.sleep(seconds / 2)
    stop.set()
    with contextlib.suppress(TimeoutError):
        async with asyncio.timeout(15):
            await asyncio.gather(*tasks, return_exceptions=True)
    stop = asyncio.Event()
    body = (b"A" * 1000 + b"\0") * 64
    tasks = [
        asyncio.create_task(_raw_attack(tally, port, stop, stream(b"", body))) for _ in range(9)
    ]
    await asyncio.sleep(seconds)
    stop.set()
    with contextlib.suppress(TimeoutError):
        async with asyncio.timeout(15):
            await asyncio.gather(*tasks, return_exceptions=True)


def diff(title: str, first: tracemalloc.Snapshot, last: tracemalloc.Snapshot) -> None:
    stats = last.compare_to(first, "traceback")
    total = sum(s.size_diff for s in stats)
    print(f"\nlive Python allocations {title}: {total / 1024:+.1f} KiB")
    for s in sorted(stats, key=lambda s: -s.size_diff)[:20]:
        where = " <- ".join(
            f"{f.filename.split('site-packages/')[-1].replace(str(ROOT) + '/', '')}:{f.lineno}"
            for f in s.traceback[:3]
        )
        print(f"{s.size_diff / 1024:+8.1f} KiB {s.count_diff:+6d}  {where}")


async def nonreader_round(port: int, seconds: float, names: Names) -> None:
    """Two clients that log in as new characters and never read (bench/abuse.py's
    nonreader), reconnecting whenever they are cut off."""
    stop = asyncio.Event()
    tally = Tally()
    calling = world_facts(None).calling
    tasks = [
        asyncio.create_task(nonreader_attack(tally, port, stop, names, calling)) for _ in range(2)
    ]
    await asyncio.sleep(seconds)
    stop.set()
    with contextlib.suppress(TimeoutError):
        async with asyncio.timeout(15):
            await asyncio.gather(*tasks, return_exceptions=True)
    print(f"  nonreaders: {tally.connects} connects, {len(tally.cut)} cut", flush=True)


async def main(argv: list[str]) -> None:
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("--rounds", type=int, default=3)
    p.add_argument("--seconds", type=float, default=10.0)
    p.add_argument("--pause", type=float, default=5.0, help="after each round, seconds")
    p.add_argument("--tracemalloc", type=int, default=0, help="frames to keep (0: off)")
    p.add_argument("--diff-from", type=int, default=0, help="reading to diff against")
    p.add_argument("--attack", choices=("stream", "nonreader"), default="stream")
    p.add_argument("--mid", action="store_true", help="a reading in the middle of round 1")
    p.add_argument("--env", action="append", default=[], help="KEY=VALUE for the server")
    ns = p.parse_args(argv)
    with tempfile.TemporaryDirectory(prefix="mud-memdrift-") as tmp:
        site = Path(tmp) / "site"
        site.mkdir()
        (site / "sitecustomize.py").write_text(SITE)
        out = str(Path(tmp) / "reading")
        extra = {"PYTHONPATH": f"{site}:{ROOT}", "MEMDRIFT_OUT": out}
        if ns.tracemalloc:
            extra["MEMDRIFT_TRACE"] = str(ns.tracemalloc)
        extra.update(dict(kv.split("=", 1) for kv in ns.env))
        with (Path(tmp) / "server.log").open("wb") as log:
            server = MudProcess(Path(tmp), server_config(), clean_env(extra), log)
            await server.start()
            try:
                await asyncio.sleep(3)
                readings = [await reading(server.pid, out, 0)]
                print(line("start", readings[0]), flush=True)
                n = 0

                async def mid() -> None:
                    nonlocal n
                    n += 1
                    readings.append(await reading(server.pid, out, n))
                    print(line("mid", readings[-1]), flush=True)

                names = Names(1000)
                for r in range(ns.rounds):
                    if ns.attack == "nonreader":
                        await nonreader_round(server.port, ns.seconds, names)
                    else:
                        await attack_round(
                            server.port, ns.seconds, mid if ns.mid and r == 0 else None
                        )
                    await asyncio.sleep(ns.pause)
                    n += 1
                    readings.append(await reading(server.pid, out, n))
                    print(line(f"round {r + 1}", readings[-1]), flush=True)
                if ns.tracemalloc:
                    first = tracemalloc.Snapshot.load(f"{out}.{ns.diff_from}.trace")
                    if ns.mid:
                        mid_snap = tracemalloc.Snapshot.load(f"{out}.1.trace")
                        diff("during the attack", first, mid_snap)
                    diff("after", first, tracemalloc.Snapshot.load(f"{out}.{n}.trace"))
            finally:
                await server.stop()


if __name__ == "__main__":
    asyncio.run(main(sys.argv[1:]))
