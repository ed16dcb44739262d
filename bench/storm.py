"""Connection-capacity benchmark: a reconnect storm and many connections held at once.

Usage (from the repository root)::

    python bench/storm.py storm --clients 1000          # 1,000 connect at the same moment
    python bench/storm.py hold --clients 10000          # 10,000 held open at once
    python bench/storm.py storm --quick                 # 200 clients, ~10 s
    python bench/storm.py hold --quick                  # 1,000 clients, ~15 s

Each run starts ``python -m mud serve`` on 127.0.0.1 (ephemeral ports, a fresh database
in a temporary folder, the load-test config of ``bench/common.py`` with the caps raised
so that one address may open every connection) and then:

- ``storm``: opens ``--clients`` raw TCP connections at the same moment (one
  ``create_connection`` each, all started in the same event-loop turn). No client
  answers the telnet negotiation, so the server greets each one after its
  ``connect_maxwait`` (the server's default unless ``--maxwait``). The *greeting time*
  is from just before the connect call to the read that contains the login prompt.
  A client not greeted within ``--deadline`` is counted as missed.
- ``hold``: opens ``--clients`` connections in waves of ``--wave`` (each wave at once),
  waits until every one is greeted, then samples the server's RSS and keeps them all
  open for ``--hold`` seconds, checking that none was closed. Reports RSS empty and full
  and KiB per connection.

Both raise this process's open-file limit to the hard limit (the server inherits it).
``--repeat N`` runs the whole thing N times with a fresh server and reports the median.
Only 127.0.0.1 is contacted; every wait has a deadline; the server is always stopped.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import resource
import statistics
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

if __package__ in (None, ""):
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.common import (
    HOST,
    ROOT,
    BenchError,
    MudProcess,
    clean_env,
    read_rss_kib,
    server_config_yaml,
    summarize_ms,
)

RESULTS = ROOT / "bench" / "results"
GREETING = b"What is your name?"
now = time.perf_counter


def raise_nofile() -> int:
    """Raise the soft open-file limit to the hard one (the server inherits it)."""
    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    if soft < hard:
        resource.setrlimit(resource.RLIMIT_NOFILE, (hard, hard))
    return hard


def storm_config(maxwait: float | None) -> str:
    """The load-test config with every connection cap raised for one address: all the
    clients come from 127.0.0.1, where real players would come from many addresses."""
    text = server_config_yaml()
    text = text.replace("  max_per_ip: 5000\n", "  max_per_ip: 30000\n  connect_rate: 100000\n")
    if maxwait is None:
        drop = ("telnet:", "  connect_maxwait:")
        text = "\n".join(ln for ln in text.splitlines() if not ln.startswith(drop)) + "\n"
    else:
        text = text.replace("  connect_maxwait: 0.2\n", f"  connect_maxwait: {maxwait}\n")
    return text


class Probe(asyncio.Protocol):
    """One silent client: never answers negotiation, records when the prompt arrives."""

    def __init__(self, t0: float) -> None:
        self.t0 = t0
        self.buf = bytearray()
        self.greeted: asyncio.Future[float] = asyncio.get_running_loop().create_future()
        self.transport: asyncio.Transport | None = None
        self.closed = False

    def connection_made(self, transport: asyncio.BaseTransport) -> None:
        assert isinstance(transport, asyncio.Transport)
        self.transport = transport

    def data_received(self, data: bytes) -> None:
        if self.greeted.done():
            return
        self.buf += data
        if GREETING in self.buf:
            self.greeted.set_result(now() - self.t0)
            self.buf = bytearray()

    def connection_lost(self, exc: Exception | None) -> None:
        self.closed = True
        if not self.greeted.done():
            self.greeted.set_exception(ConnectionError("closed before the greeting"))


async def one(port: int, deadline: float) -> tuple[Probe | None, float | None, str | None]:
    loop = asyncio.get_running_loop()
    t0 = now()
    try:
        async with asyncio.timeout(deadline):
            _, probe = await loop.create_connection(lambda: Probe(t0), HOST, port)
            took = await probe.greeted
            return probe, took, None
    except (TimeoutError, OSError, ConnectionError) as exc:
        return None, None, type(exc).__name__


async def run_once(args: argparse.Namespace, stamp: str, i: int) -> dict[str, Any]:
    RESULTS.mkdir(parents=True, exist_ok=True)
    log_path = RESULTS / f"server-storm-{stamp}-{i}.log"
    with tempfile.TemporaryDirectory(prefix="mud-storm-") as tmp, log_path.open("wb") as log:
        server = MudProcess(Path(tmp), storm_config(args.maxwait), clean_env({}), log)
        await server.start()
        try:
            await asyncio.sleep(1.0)
            rss_empty = read_rss_kib(server.pid)
            probes: list[Probe] = []
            times: list[float] = []
            errors: dict[str, int] = {}
            t_start = now()
            wave = args.clients if args.mode == "storm" else args.wave
            for start in range(0, args.clients, wave):
                n = min(wave, args.clients - start)
                results = await asyncio.gather(*(one(server.port, args.deadline) for _ in range(n)))
                for probe, took, err in results:
                    if probe is not None and took is not None:
                        probes.append(probe)
                        times.append(took)
                    else:
                        errors[err or "?"] = errors.get(err or "?", 0) + 1
            opened_in = now() - t_start
            await asyncio.sleep(1.0)
            rss_full = read_rss_kib(server.pid)
            still_open = 0
            if args.mode == "hold":
                await asyncio.sleep(args.hold)
                still_open = sum(1 for p in probes if not p.closed)
                rss_full = max(rss_full, read_rss_kib(server.pid))
            for p in probes:
                if p.transport is not None:
                    p.transport.abort()
            await asyncio.sleep(0.5)
        finally:
            await server.stop()
    greeted = len(times)
    return {
        "greeted": greeted,
        "missed": args.clients - greeted,
        "errors": errors,
        "greeting_ms": summarize_ms(times),
        "opened_in_s": round(opened_in, 2),
        "still_open_after_hold": still_open if args.mode == "hold" else None,
        "rss_empty_mib": round(rss_empty / 1024, 1),
        "rss_full_mib": round(rss_full / 1024, 1),
        "kib_per_conn": round((rss_full - rss_empty) / max(1, greeted), 1),
        "load_avg": os.getloadavg(),
    }


def parse_args(argv: list[str] | None = None) -> argparse.Namespace:
    p = argparse.ArgumentParser(description="Reconnect storm and held connections (loopback).")
    p.add_argument("mode", choices=("storm", "hold"))
    p.add_argument("--clients", type=int, default=0, help="connections (1000 storm, 10000 hold)")
    p.add_argument("--wave", type=int, default=1000, help="hold: connections opened at once")
    p.add_argument("--hold", type=float, default=5.0, help="hold: seconds to keep them open")
    p.add_argument("--deadline", type=float, default=30.0, help="wait for one greeting (s)")
    p.add_argument("--maxwait", type=float, default=None, help="telnet.connect_maxwait to set")
    p.add_argument("--repeat", type=int, default=1, help="fresh-server runs; medians reported")
    p.add_argument("--quick", action="store_true", help="200 (storm) or 1,000 (hold) clients")
    args = p.parse_args(argv)
    if not args.clients:
        if args.mode == "storm":
            args.clients = 200 if args.quick else 1000
        else:
            args.clients = 1000 if args.quick else 10000
    return args


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    hard = raise_nofile()
    if hard < args.clients + 100:
        print(f"bench: open-file hard limit {hard} < {args.clients} clients", file=sys.stderr)
        return 1
    stamp = time.strftime("%Y%m%d-%H%M%S")
    runs = []
    try:
        for i in range(args.repeat):
            r = asyncio.run(run_once(args, stamp, i))
            runs.append(r)
            g = r["greeting_ms"]
            print(
                f"run {i + 1}: greeted {r['greeted']}/{args.clients} (errors {r['errors']}); "
                f"greeting p50 {g.get('p50')} ms, p99 {g.get('p99')} ms, max {g.get('max')} ms; "
                f"RSS {r['rss_empty_mib']} -> {r['rss_full_mib']} MiB "
                f"({r['kib_per_conn']} KiB/conn); load {r['load_avg'][0]:.2f}"
                + (f"; open after hold {r['still_open_after_hold']}" if args.mode == "hold" else "")
            )
    except BenchError as exc:
        print(f"bench: {exc}", file=sys.stderr)
        return 1

    def med(key: str, sub: str | None = None) -> float:
        vals = [(r[key][sub] if sub else r[key]) for r in runs if (not sub or sub in r[key])]
        return statistics.median(vals) if vals else float("nan")

    summary = {
        "mode": args.mode,
        "clients": args.clients,
        "repeat": args.repeat,
        "median_greeted": med("greeted"),
        "median_p50_ms": med("greeting_ms", "p50"),
        "median_p99_ms": med("greeting_ms", "p99"),
        "median_max_ms": med("greeting_ms", "max"),
        "median_rss_full_mib": med("rss_full_mib"),
        "median_kib_per_conn": med("kib_per_conn"),
        "runs": runs,
    }
    print(
        f"median of {args.repeat}: greeted {summary['median_greeted']}/{args.clients}, "
        f"p50 {summary['median_p50_ms']} ms, p99 {summary['median_p99_ms']} ms, "
        f"max {summary['median_max_ms']} ms, RSS {summary['median_rss_full_mib']} MiB, "
        f"{summary['median_kib_per_conn']} KiB/conn"
    )
    path = RESULTS / f"storm-{stamp}-{args.mode}-{args.clients}.json"
    path.write_text(json.dumps(summary, indent=2) + "\n", encoding="utf-8")
    print(f"written {path.relative_to(ROOT)}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
