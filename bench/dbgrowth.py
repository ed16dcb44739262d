"""Database growth per player-hour of play, and what retention bounds it to.

Usage (from the repository root)::

    python bench/dbgrowth.py --players 10 --duration 120

It starts ``python -m mud serve`` (``bench.common.MudProcess``: 127.0.0.1, ephemeral
ports, a fresh database in a temporary folder, the offline narrator), logs in
``--players`` raw telnet clients (``bench.load.Client``) and has each play for
``--duration`` seconds, one command every ``--interval`` seconds in turn: ``look``,
``say``, an action for the Dungeon Master (``do ...``: a narration, a DM call record
and a usage row), ``emote``, and a walk to a neighbouring peaceful room and back.

The database's used bytes (``(page_count - freelist_count) * page_size``, read through
SQLite on the live WAL database) and each table's bytes (``dbstat``) are taken when
everyone has logged in and again at the end; the difference divided by the
player-hours played is the growth per player-hour. Then the server is stopped and the
retention pruner runs on the file with a clock moved past every retention period, to
show what pruning deletes and that usage totals survive. Finally it prints, for a
server with ``--concurrent`` players online around the clock, the size the play logs
reach without retention (per year, unbounded) and with the default periods (bounded).

Invariants: only 127.0.0.1 is contacted; every wait has a deadline; the server is
always stopped. Output: a report on stdout and JSON in bench/results/.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import json
import sqlite3
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

if __package__ in (None, ""):
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.common import HOST, ROOT, BenchError, MudProcess, clean_env, server_config_yaml
from bench.load import EXITS, GA, Client, login_steps, world_facts
from mud.core.clock import FakeClock
from mud.retention import DAY, TABLES, Pruner, RetentionSettings
from mud.store.db import Store

RESULTS = ROOT / "bench" / "results"
PLAY_LOGS = sorted(TABLES.values())
"""The tables that grow with play without bound (dm_history is trimmed per room)."""


def used_bytes(db: Path) -> tuple[int, dict[str, int], dict[str, int]]:
    """(used bytes, bytes per table with its indexes, rows per table), read through
    SQLite so that the live WAL's content counts."""
    with contextlib.closing(sqlite3.connect(f"file:{db}?mode=ro", uri=True, timeout=30)) as c:
        page = c.execute("PRAGMA page_size").fetchone()[0]
        pages = c.execute("PRAGMA page_count").fetchone()[0]
        free = c.execute("PRAGMA freelist_count").fetchone()[0]
        owner = {
            name: (tbl or name)
            for name, tbl in c.execute("SELECT name, tbl_name FROM sqlite_master")
        }
        per_table: dict[str, int] = {}
        for name, size in c.execute("SELECT name, SUM(pgsize) FROM dbstat GROUP BY name"):
            table = owner.get(name, name)
            per_table[table] = per_table.get(table, 0) + int(size)
        rows = {
            t: c.execute(f'SELECT COUNT(*) FROM "{t}"').fetchone()[0]
            for (t,) in c.execute("SELECT name FROM sqlite_master WHERE type = 'table'")
        }
    return (pages - free) * page, per_table, rows


async def login(port: int, idx: int, calling: str | None) -> Client:
    loop = asyncio.get_running_loop()
    async with asyncio.timeout(60):
        _, client = await loop.create_connection(lambda: Client(idx, lambda c, t: None), HOST, port)
        steps = login_steps(client.name, calling)
        for line, patterns in steps:
            waiter = client.arm(*patterns, fresh=False)
            if line is not None:
                client.send(line)
            await client.wait(waiter, 60)
    client.keep = False
    return client


async def play(client: Client, t_end: float, interval: float, walk: tuple[str, ...]) -> int:
    """One player's commands until ``t_end``; returns how many were answered."""
    back = {"north": "south", "south": "north", "east": "west", "west": "east", "up": "down"}
    back |= {v: k for k, v in back.items()}
    script: list[tuple[str, tuple[bytes, ...]]] = [
        ("look", (EXITS, GA)),
        (f"say the {client.name} bench says hello", (b"You say", GA)),
        ("do I study the room for anything unusual", (b"You try to study", GA)),
        ("emote stretches", (b"stretches", GA)),
    ]
    if walk:
        script.append((walk[0], (EXITS, GA)))
        script.append((back.get(walk[0], walk[0]), (EXITS, GA)))
    done = 0
    i = client.idx  # players start at different points of the script
    while time.monotonic() < t_end and not client.lost:
        line, patterns = script[i % len(script)]
        i += 1
        waiter = client.arm(*patterns)
        client.send(line)
        with contextlib.suppress(TimeoutError, ConnectionError):
            await client.wait(waiter, 30)
            done += 1
        await asyncio.sleep(interval)
    return done


async def prune_after(db: Path, days: float) -> dict[str, Any]:
    """Run the pruner on the stopped server's file ``days`` later; returns what went
    and the usage totals before and after."""
    clock = FakeClock(wall_start=time.time() + days * DAY)
    store = await Store.open(db, clock=clock)
    try:
        before = await store.usage_totals()
        pruned = await Pruner(store, RetentionSettings(), clock).prune_once()
        after = await store.usage_totals()
    finally:
        await store.close()
    return {
        "pruned_rows": pruned,
        "usage_before": [before.prompt_tokens, before.completion_tokens, before.calls],
        "usage_after": [after.prompt_tokens, after.completion_tokens, after.calls],
    }


async def run(args: argparse.Namespace, server: MudProcess) -> dict[str, Any]:
    world = world_facts(None)
    walk = world.paths[0] if world.paths else ()
    port = await server.start()
    clients: list[Client] = []
    try:
        for i in range(args.players):
            clients.append(await login(port, i, world.calling))
        await asyncio.sleep(2.0)  # let the logins' writes settle
        size0, tables0, rows0 = used_bytes(server.db)
        t0 = time.monotonic()
        answered = await asyncio.gather(
            *(play(c, t0 + args.duration, args.interval, walk[:1]) for c in clients)
        )
        await asyncio.sleep(2.0)  # the last narrations and the log batch commit
        played = time.monotonic() - t0
        size1, tables1, rows1 = used_bytes(server.db)
    finally:
        for c in clients:
            c.close()
        await server.stop()
    player_hours = args.players * played / 3600.0
    growth = {
        t: (tables1.get(t, 0) - tables0.get(t, 0)) / player_hours
        for t in sorted(set(tables1) | set(tables0))
    }
    rows = {t: (rows1.get(t, 0) - rows0.get(t, 0)) / player_hours for t in sorted(rows1)}
    settings = RetentionSettings()
    period = {table: float(getattr(settings, key)) for key, table in TABLES.items()}
    hours_per_year = 24 * 365
    unbounded = sum(growth.get(t, 0.0) for t in PLAY_LOGS) * args.concurrent * hours_per_year
    bounded = (
        sum(growth.get(t, 0.0) * args.concurrent * 24 * period[t] for t in period)
        + growth.get("dm_history", 0.0) * args.concurrent * hours_per_year
    )
    pruning = await prune_after(server.db, max(period.values()) + 1)
    return {
        "players": args.players,
        "seconds": round(played, 1),
        "player_hours": round(player_hours, 4),
        "commands_answered": sum(answered),
        "used_bytes_start": size0,
        "used_bytes_end": size1,
        "bytes_per_player_hour": round((size1 - size0) / player_hours),
        "table_bytes_per_player_hour": {t: round(v) for t, v in growth.items() if v},
        "table_rows_per_player_hour": {t: round(v, 1) for t, v in rows.items() if v},
        "concurrent": args.concurrent,
        "play_logs_bytes_per_year_without_retention": round(unbounded),
        "play_logs_bytes_with_default_retention": round(bounded),
        "retention_days": period,
        **pruning,
    }


def print_report(r: dict[str, Any], path: Path) -> None:
    mib = 1024 * 1024
    print(
        f"{r['players']} players for {r['seconds']} s = {r['player_hours']} player-hours, "
        f"{r['commands_answered']} commands answered"
    )
    print(
        f"database used bytes {r['used_bytes_start']:,} -> {r['used_bytes_end']:,}: "
        f"{r['bytes_per_player_hour']:,} bytes per player-hour "
        f"({r['bytes_per_player_hour'] / mib:.2f} MiB)"
    )
    print("per table (bytes and rows per player-hour, indexes included):")
    rows = r["table_rows_per_player_hour"]
    for table, b in sorted(r["table_bytes_per_player_hour"].items(), key=lambda kv: -kv[1]):
        print(f"  {table:<14} {b:>12,} B  {rows.get(table, 0):>10,.1f} rows")
    print(
        f"{r['concurrent']} players online around the clock: play logs grow "
        f"{r['play_logs_bytes_per_year_without_retention'] / mib:,.0f} MiB a year without "
        f"retention; with the default periods they level off near "
        f"{r['play_logs_bytes_with_default_retention'] / mib:,.0f} MiB"
    )
    print(
        f"pruning {max(r['retention_days'].values()) + 1:.0f} days later deleted "
        f"{r['pruned_rows']}; usage (prompt, completion, calls) before {r['usage_before']}, "
        f"after {r['usage_after']}"
    )
    print(f"JSON: {path}")


def parse_args(argv: list[str] | None) -> argparse.Namespace:
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("--players", type=int, default=10)
    p.add_argument("--duration", type=float, default=120.0, help="seconds of play")
    p.add_argument("--interval", type=float, default=2.0, help="seconds between commands")
    p.add_argument(
        "--concurrent", type=int, default=20, help="players online for the yearly projection"
    )
    return p.parse_args(argv)


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    RESULTS.mkdir(parents=True, exist_ok=True)
    stamp = time.strftime("%Y%m%d-%H%M%S")
    try:
        with (
            tempfile.TemporaryDirectory(prefix="mud-dbgrowth-") as tmp,
            (RESULTS / f"server-dbgrowth-{stamp}.log").open("wb") as log,
        ):
            server = MudProcess(Path(tmp), server_config_yaml(), clean_env({}), log)
            report = asyncio.run(run(args, server))
    except BenchError as exc:
        print(f"bench: {exc}", file=sys.stderr)
        return 1
    path = RESULTS / f"dbgrowth-{stamp}.json"
    path.write_text(json.dumps(report, indent=2) + "\n", encoding="utf-8")
    print_report(report, path)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
