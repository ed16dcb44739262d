"""The ``mud`` command line: serve, check, config, admin, backup, restore, usage, replay,
migrate.

Exit codes: 0 success (and a clean shutdown on SIGTERM/SIGINT), 1 a problem the message
explains (bad content, startup failure), 2 a usage error (argparse) or an invalid
configuration (one line per problem on stderr, before anything listens), 3 the server
stopped because its game actor or Dungeon Master actor crashed (so a supervisor's
``Restart=on-failure`` restarts it).
"""

from __future__ import annotations

import argparse
import asyncio
import os
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING, TextIO

from mud.config import (
    FLAG_KEYS,
    Config,
    ConfigError,
    Limits,
    describe,
    load_config,
    missing_packs,
    reference,
)
from mud.logs import configure_logging

EXIT_CONFIG = 2
EXIT_CRASH = 3

if TYPE_CHECKING:
    from mud.store import SqlStore

_DB_HELP = (
    "the database: a SQLite file (or sqlite:///path), or a PostgreSQL URL"
    " postgresql://user[:password]@host[:port]/dbname (default STATE_DIR/mud.db)"
)


def _serve_flags(parser: argparse.ArgumentParser) -> None:
    # Values stay text here: the config schema converts and checks them, so a bad flag
    # is reported like a bad file or environment value (config.<key>: ...).
    parser.add_argument("--host", help="address to listen on (default 0.0.0.0)")
    parser.add_argument("--telnet-port", help="telnet port (default 4000; 0 picks a free one)")
    parser.add_argument("--ssh-port", help="SSH port (default 2222; 0 picks a free one)")
    parser.add_argument(
        "--web-port", help="browser door port (default 4080; 0 picks a free one; off: none)"
    )
    parser.add_argument("--no-web", action="store_true", help="do not serve the browser door")
    parser.add_argument("--state-dir", metavar="DIR", help="folder for the database and host keys")
    parser.add_argument("--db", help=_DB_HELP)
    parser.add_argument(
        "--content", action="append", metavar="DIR", help="content pack folder (repeatable)"
    )
    parser.add_argument("--config", metavar="FILE", help="TOML or YAML config file")
    parser.add_argument(
        "--host-keys", metavar="DIR", help="SSH host key folder (default STATE_DIR/host_keys)"
    )


def _store_flags(parser: argparse.ArgumentParser) -> None:
    """The flags that find the database, as ``serve`` takes them: a builder's
    ``mud admin create --state-dir st`` was "unrecognized arguments"."""
    parser.add_argument("--state-dir", metavar="DIR", help="folder for the database and host keys")
    parser.add_argument("--db", help=_DB_HELP)
    parser.add_argument("--config", metavar="FILE", help="TOML or YAML config file")


def _split_flags(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--nats",
        default=os.environ.get("MUD_NATS_URL", "nats://127.0.0.1:4222"),
        metavar="URL",
        help="the NATS server (default $MUD_NATS_URL or nats://127.0.0.1:4222)",
    )
    parser.add_argument(
        "--world",
        default="mud",
        help="the world's name: the first token of every NATS subject (default mud)",
    )


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="mud", description="A multi-user text world with an AI Dungeon Master."
    )
    sub = parser.add_subparsers(dest="command", required=True)
    serve = sub.add_parser(
        "serve", help="start the server: the world and its telnet, SSH and browser doors"
    )
    _serve_flags(serve)
    game = sub.add_parser(
        "game", help="split mode: run the world (hub, Dungeon Master, store) behind gateways"
    )
    _serve_flags(game)
    _split_flags(game)
    gateway = sub.add_parser(
        "gateway", help="split mode: run the doors (telnet, SSH, web) for a game over NATS"
    )
    _serve_flags(gateway)
    _split_flags(gateway)
    gateway.add_argument(
        "--id",
        type=int,
        default=1,
        metavar="N",
        help="this gateway's number, 1-511, distinct for each gateway (default 1)",
    )
    check = sub.add_parser("check", help="validate content packs")
    check.add_argument("dirs", nargs="+", metavar="DIR")
    cfg = sub.add_parser(
        "config", help="print the effective configuration and its sources (secrets redacted)"
    )
    _serve_flags(cfg)
    cfg.add_argument("--json", action="store_true", help="the values as JSON")
    cfg.add_argument(
        "--check", metavar="FILE", help="validate FILE alone (no environment) and exit"
    )
    cfg.add_argument(
        "--reference", action="store_true", help="print the settings reference (Markdown)"
    )
    admin = sub.add_parser(
        "admin",
        help="make and manage admins (on the server's machine; works while it runs)",
        description="create: a new admin account (password from the terminal or "
        "MUD_ADMIN_PASSWORD); grant/revoke: admin rights of an account; reset-password; "
        "list: the admins; audit: the last 200 admin actions; reports: the last 200 "
        "reports players sent ('bug', 'typo', 'idea', 'report <player>' in the game); "
        "bans: the bans in force; unban NAME|ADDRESS|NETWORK: lift one (a running "
        "server lets it in within limits.admin_refresh seconds).",
    )
    admin.add_argument(
        "action",
        choices=[
            "create",
            "grant",
            "revoke",
            "reset-password",
            "list",
            "audit",
            "reports",
            "bans",
            "unban",
        ],
    )
    admin.add_argument(
        "name", nargs="?", help="an account name; for unban, a name, an address or a network"
    )
    _store_flags(admin)
    backup = sub.add_parser(
        "backup", help="copy the database consistently (safe while the server runs)"
    )
    backup.add_argument("dest", help="the new backup file (must not exist)")
    _store_flags(backup)
    restore = sub.add_parser("restore", help="replace the database with a backup (server stopped)")
    restore.add_argument("source", help="a file made by 'mud backup'")
    _store_flags(restore)
    usage = sub.add_parser("usage", help="token usage and cost report")
    usage.add_argument("--json", action="store_true", help="JSON instead of a table")
    _store_flags(usage)
    migrate = sub.add_parser(
        "migrate",
        help="copy a whole world from one database to another (server stopped)",
        description="Copies every table (accounts, characters, SSH keys, world state, "
        "logs, usage, bans, audit...) from --from into the empty database --to, "
        "creating its schema. Either may be a SQLite file (sqlite:///path or a path) or "
        "a PostgreSQL URL (postgresql://user@host:port/dbname).",
    )
    migrate.add_argument("--from", dest="source", required=True, metavar="DB")
    migrate.add_argument("--to", dest="dest", required=True, metavar="DB")
    replay = sub.add_parser("replay", help="re-run a recorded session and verify it")
    replay.add_argument("source", help="a database file or an exported recording")
    replay.add_argument(
        "--content",
        action="append",
        metavar="DIR",
        help="the pack folders the session was recorded with (default: those it names)",
    )
    return parser


def _flags(args: argparse.Namespace) -> dict[str, object]:
    flags: dict[str, object] = {k: getattr(args, k, None) for k in FLAG_KEYS}
    if getattr(args, "no_web", False):
        flags["web_port"] = "off"
    return flags


def _config_problems(exc: ConfigError) -> int:
    for problem in exc.problems:
        print(problem, file=sys.stderr)
    print(
        f"mud: {len(exc.problems)} configuration problem{'s' if len(exc.problems) != 1 else ''};"
        " nothing was started",
        file=sys.stderr,
    )
    return EXIT_CONFIG


def main(argv: Sequence[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    if args.command == "config" and (args.reference or args.check):
        if args.reference:
            print(reference())
            return 0
        try:
            checked = load_config({"config": args.check}, {})
        except ConfigError as exc:
            return _config_problems(exc)
        if missing := missing_packs(checked):
            # Played by an operator: "OK" for packs the server then could not find.
            return _config_problems(ConfigError(missing))
        print(f"OK: {args.check}")
        return 0
    flags = _flags(args)
    try:
        config = load_config(flags)
    except ConfigError as exc:
        return _config_problems(exc)
    configure_logging(
        tool_log_level(args.command, config.log_level),
        libraries=config.log_libraries,
        chat=config.log_chat,
    )
    if args.command == "check":
        return _check(args.dirs)
    if args.command == "config":
        print(config.redacted() if args.json else describe(config))
        return 0
    if args.command in SERVER_COMMANDS:
        return _run(args, config, flags)
    if args.command in ("admin", "backup", "restore"):
        return _operate(args, config)
    if args.command == "usage":
        return asyncio.run(_usage(config.db, args.json))
    if args.command == "migrate":
        return asyncio.run(migrate_command(args.source, args.dest))
    if args.command == "replay":
        from mud.replay import replay_main

        return replay_main(args.source, args.content)
    return 2


SERVER_COMMANDS = ("serve", "game", "gateway")


def tool_log_level(command: str, level: str) -> str:
    """The log level a ``mud COMMAND`` process runs at, given ``log_level``.

    Called by ``main`` before anything logs. The servers log at ``level``. A one-shot
    command (admin, backup, restore, usage, migrate, replay...) prints its result on
    stdout; its INFO lines ("store mud.db closed") were noise on an operator's terminal
    and in cron mail, so at the default INFO it shows warnings and errors only. A level
    asked for explicitly other than INFO (DEBUG to see what it does, ERROR) is kept.
    """
    if command in SERVER_COMMANDS or level.upper() != "INFO":
        return level
    return "WARNING"


def _run(args: argparse.Namespace, config: Config, flags: dict[str, object]) -> int:
    """``mud serve`` (everything in one process), or one half of a split deployment:
    ``mud game`` (the world) or ``mud gateway`` (the doors). Returns the exit status."""
    from mud.app import ServerCrashed, SplitAt, StartupError, run_gateway, run_server

    def reload() -> Config:
        return load_config(flags)

    at = None if args.command == "serve" else SplitAt(nats=args.nats, world=args.world)
    try:
        if at is None or args.command == "game":
            asyncio.run(run_server(config, reload_config=reload, split=at))
        else:
            asyncio.run(run_gateway(config, at, gid=args.id))
    except StartupError as exc:
        print(f"mud: {exc}", file=sys.stderr)
        return 1
    except ServerCrashed as exc:
        print(f"mud: {exc}", file=sys.stderr)
        return EXIT_CRASH
    except KeyboardInterrupt:  # Ctrl-C before the signal handlers were installed
        return 0
    return 0


def _check(dirs: Sequence[str]) -> int:
    from mud.config import PACK_SEARCH
    from mud.engine.dice import notation_problem
    from mud.world.loader import PackError, load_packs

    try:
        templates = load_packs(
            [Path(d) for d in dirs],
            dice_check=notation_problem,
            search=[Path(p) for p in PACK_SEARCH],
            for_play=True,
        )
    except PackError as exc:
        for issue in exc.listing:
            print(issue)
        sys.stdout.flush()
        count = len(exc.issues)
        print(f"{count} problem{'s' if count != 1 else ''} found.", file=sys.stderr)
        return 1
    given = {Path(d).resolve() for d in dirs}
    required = [
        f"{pack.id} ({pack.path})"
        for pack in templates.packs.values()
        if Path(pack.path).resolve() not in given
    ]
    extra = f" with the packs they require: {', '.join(required)}" if required else ""
    for warning in templates.warnings:
        print(warning)
    print(f"OK: {', '.join(dirs)}{extra}")
    return 0


def _operate(args: argparse.Namespace, config: Config) -> int:
    from mud.admin import AdminError, admin_command, backup_command, restore_command
    from mud.engine.accounts import HashCost

    try:
        if args.command == "backup":
            return asyncio.run(backup_command(config.db, args.dest))
        if args.command == "restore":
            return asyncio.run(restore_command(config.db, args.source))
        cost = HashCost()
        if "hash_n" in config.limits:
            cost = HashCost(n=int(config.limits["hash_n"]))
        refresh = float(config.limits.get("admin_refresh", Limits().admin_refresh))
        return asyncio.run(
            admin_command(config.db, args.action, args.name, hash_cost=cost, refresh=refresh)
        )
    except AdminError as exc:
        print(f"mud: {exc}", file=sys.stderr)
        return 1


async def open_existing_db(db: str, *, writable: bool = False) -> SqlStore | None:
    """Open the database of a command that reads state (usage, replay, admin commands),
    or print why not to stderr and return None (the command then exits 1).

    Never creates or migrates it: a missing file, a file that is not a mud database or
    one of another schema version is refused. Read-only unless ``writable``.
    """
    from mud.core.clock import SystemClock
    from mud.core.ops import StoreError
    from mud.store import open_existing_store

    try:
        return await open_existing_store(db, clock=SystemClock(), writable=writable)
    except StoreError as exc:
        print(f"mud: {exc}", file=sys.stderr)
        return None


async def _usage(db: str, as_json: bool) -> int:
    from mud.dm.report import usage_report

    store = await open_existing_db(db)
    if store is None:
        return 1
    try:
        rows = await store.usage_rows()
        print(usage_report(rows, fmt="json" if as_json else "table"))
        return 0
    finally:
        await store.close()


async def migrate_command(source: str, dest: str, *, out: TextIO = sys.stdout) -> int:
    """``mud migrate --from SRC --to DST``: copy a world into an empty database.

    Prints the rows copied per table. Returns 0, or 1 with the reason on stderr (the
    source is missing, in use or of another schema version; the destination is not
    empty or unreachable; a copy failed).
    """
    from mud.core.clock import SystemClock
    from mud.core.ops import StoreError
    from mud.store import backend_of, open_existing_store, open_store, redact, sqlite_path
    from mud.store.db import database_in_use
    from mud.store.transfer import copy_world

    if source == dest:
        print("mud: --from and --to are the same database", file=sys.stderr)
        return 1
    clock = SystemClock()
    try:
        if backend_of(source) == "sqlite":
            path = sqlite_path(source)
            if await asyncio.to_thread(Path(path).is_file) and await database_in_use(path):
                raise StoreError(f"{path} is in use (is the server running?); stop it first")
        src = await open_existing_store(source, clock=clock)
        try:
            dst = await open_store(dest, clock=clock)
            try:
                copied = await copy_world(src, dst)
            finally:
                await dst.close()
        finally:
            await src.close()
    except StoreError as exc:
        print(f"mud: {exc}", file=sys.stderr)
        return 1
    width = max(len(t) for t in copied)
    print(f"migrated {redact(source)} -> {redact(dest)}", file=out)
    for table, n in copied.items():
        print(f"  {table:<{width}}  {n:>10,} rows", file=out)
    print(f"  {'total':<{width}}  {sum(copied.values()):>10,} rows", file=out)
    return 0
