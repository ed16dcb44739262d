"""Operator commands run on the server's own machine: ``mud admin``, ``backup``, ``restore``.

Called by ``mud.cli``; each function takes a database path, prints what it did and
returns the process exit status (0 done, 1 refused or failed, with the reason on
stderr). They work whether or not the server is running: the Store opens a second
writer connection on the WAL database and SQLite's busy timeout serialises it with the
server's writer. The running server sees the change without a restart: accounts are
read at each login, and admin flags and bans of players online are re-read every
``limits.admin_refresh`` seconds.

Nobody becomes an admin over the network: ``mud admin create`` (or ``grant`` on an
existing player) is the only way. ``mud admin bans`` / ``unban`` list and lift bans, the
way back in for an admin who banned their own address. Passwords are asked on the
terminal (``getpass``) or read from ``MUD_ADMIN_PASSWORD`` for automation; they are never
printed or logged. Every change is written to the audit log (actor ``cli:<os user>``) and
logged (shown at DEBUG: the one-shot commands are quiet at INFO, see ``mud.cli``).
"""

from __future__ import annotations

import asyncio
import getpass
import ipaddress
import logging
import os
import sys
from collections.abc import Callable, Mapping
from datetime import UTC, datetime
from pathlib import Path
from typing import TextIO

from mud.core.clock import SystemClock
from mud.core.ops import (
    CreateAccount,
    LiftBan,
    LogAudit,
    SetAdmin,
    SetPassword,
    StoreError,
    WriteOp,
)
from mud.core.records import Ban
from mud.engine import accounts
from mud.engine import admin as rules
from mud.hub.admin import describe_report
from mud.logs import log_event
from mud.store import SCHEMA_VERSION, SqlStore, backend_of, open_existing_store, sqlite_path
from mud.store.db import BackupReport, backup_database, restore_database

log = logging.getLogger("mud.admin")

PASSWORD_ENV = "MUD_ADMIN_PASSWORD"


class AdminError(RuntimeError):
    """The command is refused; the message says why (printed as ``mud: <message>``)."""


def require_database(db: str) -> None:
    """Refuse a database file that does not exist (a typo must not create an empty one),
    and a PostgreSQL URL (``backup`` and ``restore`` copy a SQLite file).

    Raises AdminError with a hint.
    """
    if backend_of(db) == "postgresql":
        raise AdminError(
            "backup and restore copy a SQLite file; for PostgreSQL use pg_dump and"
            " pg_restore (see the README)"
        )
    if not Path(sqlite_path(db)).is_file():
        raise AdminError(f"{db}: no such file (check --db; only `mud serve` creates a database)")


def require_database_kind(db: str) -> None:
    """Refuse a PostgreSQL URL for a command that copies SQLite files."""
    if backend_of(db) == "postgresql":
        require_database(db)


def _operator() -> str:
    try:
        return f"cli:{getpass.getuser()}"
    except (KeyError, OSError):
        return "cli:unknown"


def read_password(
    name: str,
    environ: Mapping[str, str],
    *,
    ask: Callable[[str], str] = getpass.getpass,
    interactive: bool | None = None,
) -> str:
    """The new password for ``name``: from ``MUD_ADMIN_PASSWORD``, else asked twice on
    the terminal. Called by ``admin_command`` (create, reset-password). Raises
    AdminError if it is unacceptable, the two differ, or there is no terminal to ask on.

    An unacceptable password is refused as soon as it is typed, before it is asked
    again: typing a too-short password twice only to be told it was too short was the
    operator's complaint.
    """
    secret = environ.get(PASSWORD_ENV)
    if secret is not None:
        _check_password(secret, name)
        return secret
    if not (sys.stdin.isatty() if interactive is None else interactive):
        raise AdminError(f"no terminal to ask the password on: set {PASSWORD_ENV}")
    secret = ask(f"Password for {name}: ")
    _check_password(secret, name)
    if ask("Repeat the password: ") != secret:
        raise AdminError("the passwords do not match; nothing changed")
    return secret


def _check_password(secret: str, name: str) -> None:
    problem = accounts.password_problem(secret, name)
    if problem:
        raise AdminError(problem)


async def _open(db: str) -> SqlStore:
    # Never creates or migrates: a missing file or another schema version is refused.
    try:
        return await open_existing_store(db, clock=SystemClock(), writable=True)
    except StoreError as exc:
        raise AdminError(str(exc)) from exc


def _audit(action: str, target: str, detail: str = "") -> LogAudit:
    actor = _operator()
    log_event(log, "admin_action", actor=actor, action=action, target=target, detail=detail)
    return LogAudit(SystemClock().wall(), actor, action, target, detail)


async def _apply(store: SqlStore, ops: list[WriteOp]) -> None:
    try:
        await store.apply(ops)
    except StoreError as exc:
        raise AdminError(str(exc)) from exc


def _ban_line(ban: Ban) -> str:
    """One line of ``mud admin bans``: target, until when, by whom, why."""
    until = "until lifted" if ban.expires is None else f"until {utc_minute(ban.expires)} UTC"
    return f"{ban.kind:<4}  {ban.value:<20} {until:<26} by {ban.by:<16} {ban.reason}"


def utc_minute(ts: float) -> str:
    """'YYYY-MM-DD HH:MM' in UTC."""
    return datetime.fromtimestamp(int(ts), tz=UTC).strftime("%Y-%m-%d %H:%M")


def _inside(value: str, ban: Ban) -> bool:
    """Whether the address or network ``value`` lies within the address ban ``ban``
    (an operator unbanning 127.0.0.1 while 127.0.0.0/8 is banned is told so)."""
    if ban.kind != "addr":
        return False
    try:
        return ipaddress.ip_network(value).subnet_of(ipaddress.ip_network(ban.value))  # type: ignore[arg-type]
    except (TypeError, ValueError):  # another IP version, or not a network
        return False


async def _unban(store: SqlStore, target: str, refresh: float, out: TextIO) -> int:
    """``mud admin unban NAME|ADDRESS|CIDR``: lift the ban in force on exactly that
    target, audited as the in-game ``unban`` is. Raises AdminError when the target is
    neither a name nor an address, or is not banned (naming a wider ban it falls in)."""
    try:
        kind, value = rules.ban_target(target)
    except ValueError as exc:
        raise AdminError(str(exc)) from exc
    label = value if kind == "addr" else value.capitalize()
    wall = SystemClock().wall()
    bans = await store.active_bans(wall)
    if not any(b.kind == kind and b.value == value for b in bans):
        wider = [b.value for b in bans if kind == "addr" and _inside(value, b)]
        hint = f"; it is within the ban on {wider[0]} (mud admin unban {wider[0]})" if wider else ""
        raise AdminError(f"{label} is not banned{hint}")
    await _apply(store, [LiftBan(kind, value, wall), _audit("unban", f"{kind}:{value}")])
    print(
        f"Lifted the ban on {label}. A running server lets it in within {refresh:g} seconds"
        " (limits.admin_refresh).",
        file=out,
    )
    return 0


async def admin_command(
    db: str,
    action: str,
    name: str | None,
    *,
    hash_cost: accounts.HashCost,
    refresh: float = 10.0,
    environ: Mapping[str, str] | None = None,
    out: TextIO = sys.stdout,
) -> int:
    """Run ``mud admin ACTION [NAME]``: create, grant, revoke, reset-password, list, audit,
    reports, bans, unban. Called by ``mud.cli``; ``refresh`` is the server's
    ``limits.admin_refresh`` (said to the operator who lifts a ban).

    Works on SQLite and PostgreSQL alike, through the store's ops and reads. A running
    server learns of a change by re-reading admin flags and bans every
    ``limits.admin_refresh`` seconds. Raises AdminError for a refused command (no
    database, no such account, bad name or password, nothing banned to lift).
    """
    env = os.environ if environ is None else environ
    store = await _open(db)
    try:
        if action == "list":
            rows = await store.list_accounts()
            admins = [a for a in rows if a.is_admin]
            for a in admins:
                created = datetime.fromtimestamp(int(a.created), tz=UTC).strftime("%Y-%m-%d")
                print(f"{a.name:<16} admin (account created {created})", file=out)
            print(f"{len(admins)} admin(s) among {len(rows)} account(s).", file=out)
            return 0
        if action == "audit":
            for e in await store.audit_log(limit=200):
                when = datetime.fromtimestamp(int(e.ts), tz=UTC).strftime("%Y-%m-%d %H:%M:%S")
                line = f"{when}  {e.actor:<16} {e.action:<16} {e.target or '-':<24} {e.detail}"
                print(line.rstrip(), file=out)
            return 0
        if action == "reports":
            reports = await store.player_reports(limit=200)
            for r in reports:
                print(describe_report(r), file=out)
            print(f"{len(reports)} report(s) from players.", file=out)
            return 0
        if action == "bans":
            bans = await store.active_bans(SystemClock().wall())
            for ban in bans:
                print(_ban_line(ban).rstrip(), file=out)
            print(f"{len(bans)} ban(s) in force.", file=out)
            return 0
        if not name:
            what = "NAME, ADDRESS or NETWORK" if action == "unban" else "NAME"
            raise AdminError(f"'mud admin {action}' needs a {what}")
        if action == "unban":
            return await _unban(store, name, refresh, out)
        if action == "create":
            valid, problem = accounts.validate_name(name)
            if valid is None:
                raise AdminError(problem)
            if await store.get_account(valid.lower()) is not None:
                raise AdminError(
                    f"there is already an account called {valid}; use 'mud admin grant {valid}'"
                )
            secret = read_password(valid, env)
            pw_hash = await asyncio.to_thread(accounts.hash_password, secret, hash_cost)
            key = valid.lower()
            await _apply(
                store,
                [
                    CreateAccount(valid, key, pw_hash, True, SystemClock().wall()),
                    _audit("create_admin", key),
                ],
            )
            print(f"{valid} is created and is an admin.", file=out)
            return 0
        account = await store.get_account(name.lower())
        if account is None:
            raise AdminError(f"no account called '{name}' in {db}")
        if action in ("grant", "revoke"):
            grant = action == "grant"
            await _apply(
                store, [SetAdmin(account.name_key, grant), _audit(action, account.name_key)]
            )
            print(f"{account.name} is {'now' if grant else 'no longer'} an admin.", file=out)
            return 0
        if action == "reset-password":
            secret = read_password(account.name, env)
            pw_hash = await asyncio.to_thread(accounts.hash_password, secret, hash_cost)
            await _apply(
                store,
                [
                    SetPassword(account.name_key, pw_hash),
                    _audit("reset_password", account.name_key),
                ],
            )
            print(f"{account.name}'s password is changed (it applies at the next login).", file=out)
            return 0
        raise AdminError(f"unknown admin action '{action}'")
    finally:
        await store.close()


def _print_report(verb: str, report: BackupReport, out: TextIO) -> None:
    print(
        f"{verb} {report.path}: {report.size:,} bytes, integrity_check {report.integrity}", file=out
    )
    width = max((len(t) for t in report.counts), default=0)
    for table, count in report.counts.items():
        print(f"  {table:<{width}}  {count:>10,} rows", file=out)


async def backup_command(db: str, dest: str, *, out: TextIO = sys.stdout) -> int:
    """``mud backup DEST``: a consistent copy of the (possibly live) database.

    Returns 1 if the copy fails its integrity check. Raises AdminError when the
    database is missing or the copy cannot be made.
    """
    require_database(db)
    try:
        report = await backup_database(sqlite_path(db), dest)
    except StoreError as exc:
        raise AdminError(str(exc)) from exc
    _print_report("backup", report, out)
    log_event(log, "backup", db=db, dest=dest, bytes=report.size, integrity=report.integrity)
    return 0 if report.integrity == "ok" else 1


async def restore_command(db: str, source: str, *, out: TextIO = sys.stdout) -> int:
    """``mud restore SRC``: replace the database with a backup (server stopped).

    Prints what was restored, where the replaced database was kept, whom the file was
    given to (root only) and whether ``mud serve`` will upgrade its schema. Raises
    AdminError when the backup is missing, unsound, not a mud database or of a newer
    schema, the folder is missing, the database is in use or belongs to another user
    (see ``mud.store.db.restore_database``); the database is then untouched.
    """
    require_database_kind(db)
    try:
        report = await restore_database(source, sqlite_path(db))
    except StoreError as exc:
        raise AdminError(str(exc)) from exc
    _print_report("restored", report, out)
    if report.owner:
        print(f"The restored database belongs to {report.owner}, as the one it replaced.", file=out)
    if report.version < SCHEMA_VERSION:
        print(
            f"It has schema version {report.version}; `mud serve` upgrades it to"
            f" {SCHEMA_VERSION} when it starts.",
            file=out,
        )
    if report.kept is not None:
        print(
            f"The database it replaced is kept as {report.kept} (delete it once the"
            " restored world is right).",
            file=out,
        )
    log_event(log, "restore", db=db, source=source, bytes=report.size, kept=str(report.kept or ""))
    return 0 if report.integrity == "ok" else 1
