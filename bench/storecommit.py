"""Group-commit latency of the two stores: SQLite (WAL) and PostgreSQL, side by side.

Usage (from the repository root)::

    python bench/storecommit.py --writers 1 20 200 --duration 5
    python bench/storecommit.py --pg postgresql://mud@127.0.0.1:5432/mud   # your server

Each of ``--writers`` concurrent writers loops: ``apply([PutCharacter(...)])`` (a ~2 KB
JSON character, the write that gates a player's output) and, when it returns (the
batch is committed), the next one, for ``--duration`` seconds. Reported per store and
writer count: the latency of ``apply`` (p50/p99/max, ms: what a player's output waits
for), acknowledged writes per second, and batches per commit (how much group commit
gathers). The SQLite store is a fresh file in a temporary folder (WAL,
``synchronous=NORMAL``: no fsync per commit). Without ``--pg`` a throwaway PostgreSQL
cluster is started from Debian's ``postgresql`` package with its defaults for
durability (fsync on, ``synchronous_commit=on``: every commit waits for a WAL flush),
as ``nobody`` when run as root, on 127.0.0.1 and a free port, and removed afterwards.

Invariants: only 127.0.0.1 (or the ``--pg`` server) is contacted; every wait has a
deadline; the cluster is always stopped. Output: a table on stdout and JSON in
bench/results/.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

if __package__ in (None, ""):
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "tests"))

from bench.common import ROOT, summarize_ms
from mud.core.clock import SystemClock
from mud.core.ops import CreateAccount, PutCharacter
from mud.store import SqlStore, open_store, redact

RESULTS = ROOT / "bench" / "results"
STATE = json.dumps(
    {"room": "crossroads", "hp": 20, "inventory": ["lantern"] * 40, "pad": "x" * 1500}
)


async def measure(store: SqlStore, writers: int, duration: float) -> dict[str, Any]:
    """Run ``writers`` loops of acknowledged character writes for ``duration`` s."""
    names = [f"w{i}" for i in range(writers)]
    missing = [n for n in names if await store.get_account(n) is None]
    if missing:
        await store.apply([CreateAccount(n, n, "scrypt$x", False, 1.0) for n in missing])
    latencies: list[float] = []
    commits_before = store.stats.commits
    deadline = time.perf_counter() + duration

    async def writer(name: str) -> None:
        while time.perf_counter() < deadline:
            started = time.perf_counter()
            await store.apply([PutCharacter(name, STATE, time.time())])
            latencies.append(time.perf_counter() - started)

    started = time.perf_counter()
    async with asyncio.timeout(duration + 60):
        await asyncio.gather(*(writer(n) for n in names))
    elapsed = time.perf_counter() - started
    commits = store.stats.commits - commits_before
    return {
        "writers": writers,
        "apply_ms": summarize_ms(latencies),
        "writes_per_s": round(len(latencies) / elapsed, 1),
        "commits": commits,
        "batches_per_commit": round(len(latencies) / max(commits, 1), 1),
    }


async def run(args: argparse.Namespace) -> dict[str, Any]:
    results: dict[str, Any] = {"duration_s": args.duration, "stores": {}}
    cluster = None
    url = args.pg
    with tempfile.TemporaryDirectory(prefix="mud-bench-") as folder:
        try:
            if url is None:
                from pgcluster import PgCluster, find_bindir

                bindir = find_bindir()
                if bindir is None:
                    raise SystemExit("PostgreSQL is not installed; pass --pg URL")
                cluster = PgCluster.start(bindir, fsync=True)
                url = cluster.admin_url
            for label, db in (
                ("sqlite (WAL, synchronous=NORMAL)", str(Path(folder) / "bench.db")),
                ("postgresql (fsync on, synchronous_commit=on)", url),
            ):
                store = await open_store(db, clock=SystemClock())
                try:
                    rows = [await measure(store, n, args.duration) for n in args.writers]
                finally:
                    await store.close()
                results["stores"][label] = {"db": redact(db), "runs": rows}
        finally:
            if cluster is not None:
                cluster.stop()
    return results


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--writers", type=int, nargs="+", default=[1, 20, 200])
    parser.add_argument("--duration", type=float, default=5.0)
    parser.add_argument("--pg", help="an existing PostgreSQL database URL (its tables are made)")
    args = parser.parse_args()
    results = asyncio.run(run(args))
    print(
        f"{'store':<46} {'writers':>7} {'p50 ms':>8} {'p99 ms':>8} {'max ms':>8}"
        f" {'writes/s':>9} {'per commit':>10}"
    )
    for label, data in results["stores"].items():
        for r in data["runs"]:
            ms = r["apply_ms"]
            print(
                f"{label:<46} {r['writers']:>7} {ms['p50']:>8.2f} {ms['p99']:>8.2f}"
                f" {ms['max']:>8.2f} {r['writes_per_s']:>9.1f} {r['batches_per_commit']:>10.1f}"
            )
    RESULTS.mkdir(exist_ok=True)
    out = RESULTS / f"storecommit-{time.strftime('%Y%m%d-%H%M%S')}.json"
    out.write_text(json.dumps(results, indent=2))
    print(f"results: {out.relative_to(ROOT)}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
