"""What an operator meets running the one-shot commands by hand or from cron: real
processes (``python -m mud``) on real SQLite files in tmp_path, a real terminal (a
pseudo-terminal) where a password is asked."""

from __future__ import annotations

import asyncio
import hashlib
import os
import pty
import re
import select
import sqlite3
import stat
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from mudclient import TelnetPlayer, login_new, make_config, running_server
from test_cli import ROOT, mud

from mud.core.clock import SystemClock
from mud.core.ops import StoreError
from mud.store.db import Store
from mud.store.schema import MIGRATIONS, SCHEMA_VERSION


def make_db(path: Path) -> None:
    """A real, empty mud database at ``path``, as ``mud serve`` leaves it."""

    async def make() -> None:
        store = await Store.open(path, clock=SystemClock())
        await store.close()

    asyncio.run(make())


def on_a_terminal(args: list[str], answers: list[str], *, timeout: float = 30.0) -> str:
    """Run ``python -m mud ARGS`` with a pseudo-terminal as its controlling terminal
    (``getpass`` reads from /dev/tty), type each of ``answers`` when a prompt ending in
    ': ' appears, and return everything it wrote once it exits."""
    pid, fd = pty.fork()
    if pid == 0:  # the child: become mud
        env = {"PATH": "/usr/bin:/bin", "PYTHONPATH": str(ROOT)}
        os.chdir(ROOT)
        os.execve(sys.executable, [sys.executable, "-m", "mud", *args], env)
    seen = b""
    pending = list(answers)
    deadline = time.monotonic() + timeout
    try:
        while time.monotonic() < deadline:
            ready, _, _ = select.select([fd], [], [], 0.2)
            if not ready:
                continue
            try:
                chunk = os.read(fd, 4096)
            except OSError:  # EIO: the child closed the terminal
                break
            if not chunk:
                break
            seen += chunk
            if pending and seen.rstrip(b" ").endswith(b":"):
                os.write(fd, pending.pop(0).encode() + b"\r")
    finally:
        os.close(fd)
        os.waitpid(pid, 0)
    return seen.decode(errors="replace")


def test_a_too_short_password_is_refused_before_it_is_asked_again(tmp_path: Path) -> None:
    db = tmp_path / "mud.db"
    make_db(db)
    text = on_a_terminal(["admin", "create", "Warden", "--db", str(db)], ["abc", "abc"])
    assert "Password for Warden:" in text
    assert "at least 6 characters" in text
    assert "Repeat the password" not in text  # not asked twice for a password refused once
    # A good one is still asked twice, and works.
    text = on_a_terminal(
        ["admin", "create", "Warden", "--db", str(db)], ["long-enough-1", "long-enough-1"]
    )
    assert "Repeat the password" in text and "Warden is created and is an admin" in text


def test_one_shot_commands_print_no_info_lines_unless_asked(tmp_path: Path) -> None:
    db = tmp_path / "mud.db"
    make_db(db)
    env = {"MUD_ADMIN_PASSWORD": "long-enough-1"}
    for argv in (
        ["admin", "create", "Warden", "--db", str(db)],
        ["admin", "list", "--db", str(db)],
        ["backup", str(tmp_path / "copy.db"), "--db", str(db)],
        ["usage", "--db", str(db)],
    ):
        result = mud(*argv, env=env)
        assert result.returncode == 0, result.stderr
        assert result.stderr == "", (argv, result.stderr)  # no "store mud.db closed"
    # Asked for, the detail is there.
    result = mud("admin", "list", "--db", str(db), env={"MUD_LOG_LEVEL": "DEBUG"})
    assert result.returncode == 0 and "level=info" in result.stderr
    # A refusal is still said.
    result = mud("admin", "list", "--db", str(tmp_path / "typo.db"))
    assert result.returncode == 1 and "no such file" in result.stderr


def test_servers_keep_their_log_level_and_tools_show_warnings() -> None:
    from mud.cli import tool_log_level

    assert tool_log_level("serve", "INFO") == "INFO"
    assert tool_log_level("game", "INFO") == "INFO"
    assert tool_log_level("backup", "INFO") == "WARNING"
    assert tool_log_level("admin", "info") == "WARNING"
    assert tool_log_level("restore", "DEBUG") == "DEBUG"
    assert tool_log_level("usage", "ERROR") == "ERROR"


def mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


@pytest.fixture
def shell_umask() -> Iterator[None]:
    """The umask of a login shell or a cron job: new files 0644 unless told otherwise."""
    before = os.umask(0o022)
    try:
        yield
    finally:
        os.umask(before)


@pytest.mark.usefixtures("shell_umask")
async def test_the_database_mud_serve_creates_is_its_owners_alone(tmp_path: Path) -> None:
    state = tmp_path / "state"
    state.mkdir(mode=0o755)
    config = make_config(state)
    async with running_server(config) as srv:
        player = await TelnetPlayer.connect(srv.telnet_port)
        await login_new(player, "Alice")  # a password hash is in the file now
        await player.close()
        db = Path(config.db)
        assert mode(db) == 0o600
        # SQLite gives its companions the database's mode.
        assert mode(Path(f"{db}-wal")) == 0o600
        assert mode(Path(f"{db}-shm")) == 0o600


@pytest.mark.usefixtures("shell_umask")
async def test_an_existing_database_keeps_the_mode_its_operator_gave_it(tmp_path: Path) -> None:
    db = tmp_path / "mud.db"
    db.touch(mode=0o640)  # the operator's own file, group-readable on purpose
    db.chmod(0o640)
    store = await Store.open(db, clock=SystemClock())
    await store.close()
    assert mode(db) == 0o640


@pytest.mark.usefixtures("shell_umask")
def test_a_backup_is_written_for_its_owner_alone_and_a_missing_folder_is_named(
    tmp_path: Path,
) -> None:
    db = tmp_path / "mud.db"
    make_db(db)
    copy = tmp_path / "copy.db"
    result = mud("backup", str(copy), "--db", str(db))
    assert result.returncode == 0, result.stderr
    assert mode(copy) == 0o600
    nowhere = tmp_path / "no-such-folder" / "copy.db"
    result = mud("backup", str(nowhere), "--db", str(db))
    assert result.returncode == 1
    assert f"no folder {nowhere.parent}" in result.stderr
    assert "unable to open database file" not in result.stderr
    assert not nowhere.parent.exists()


def add_account(db: Path, name: str) -> None:
    """Put an account in ``db`` directly, as a player's creation would."""
    with sqlite3.connect(db) as conn:
        conn.execute(
            "INSERT INTO accounts(name_key, name, pw_hash, is_admin, created)"
            " VALUES (?, ?, 'scrypt$not-a-real-hash', 0, 0)",
            (name.lower(), name),
        )
    conn.close()


def accounts_in(db: Path) -> set[str]:
    with sqlite3.connect(f"file:{db}?mode=ro", uri=True) as conn:
        names = {str(r[0]) for r in conn.execute("SELECT name FROM accounts")}
    conn.close()
    return names


def digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def test_restore_refuses_a_file_that_is_not_a_mud_database_and_changes_nothing(
    tmp_path: Path,
) -> None:
    db = tmp_path / "mud.db"
    make_db(db)
    add_account(db, "Alice")
    before = digest(db)
    other = tmp_path / "other.db"
    with sqlite3.connect(other) as conn:  # the operator's report, word for word
        conn.execute("create table foo(x)")
    conn.close()
    result = mud("restore", str(other), "--db", str(db))
    assert result.returncode == 1
    assert f"{other} is not a mud database" in result.stderr
    assert "nothing was changed" in result.stderr
    assert sorted(p.name for p in tmp_path.iterdir()) == ["mud.db", "other.db"]
    assert digest(db) == before and accounts_in(db) == {"Alice"}
    # A mud database with one of its tables gone is no whole world either.
    torn = tmp_path / "torn.db"
    assert mud("backup", str(torn), "--db", str(db)).returncode == 0
    with sqlite3.connect(torn) as conn:
        conn.execute("DROP TABLE characters")
    conn.close()
    result = mud("restore", str(torn), "--db", str(db))
    assert result.returncode == 1 and "without the table characters" in result.stderr
    assert digest(db) == before


def test_restore_refuses_a_newer_schema_and_takes_an_older_one_for_serve_to_upgrade(
    tmp_path: Path,
) -> None:
    db = tmp_path / "mud.db"
    make_db(db)
    newer = tmp_path / "newer.db"
    assert mud("backup", str(newer), "--db", str(db)).returncode == 0
    with sqlite3.connect(newer) as conn:
        conn.execute(f"PRAGMA user_version = {SCHEMA_VERSION + 1}")
    conn.close()
    result = mud("restore", str(newer), "--db", str(db))
    assert result.returncode == 1
    assert f"schema version {SCHEMA_VERSION + 1}, newer than this mud" in result.stderr
    assert "upgrade mud" in result.stderr

    # A backup made by the previous mud: its schema, its data.
    older = tmp_path / "older.db"
    with sqlite3.connect(older) as conn:
        for migration in MIGRATIONS[: SCHEMA_VERSION - 1]:
            for statement in migration:
                conn.execute(statement)
        conn.execute(f"PRAGMA user_version = {SCHEMA_VERSION - 1}")
    conn.close()
    add_account(older, "Elder")
    result = mud("restore", str(older), "--db", str(db))
    assert result.returncode == 0, result.stderr
    assert f"`mud serve` upgrades it to {SCHEMA_VERSION}" in result.stdout

    async def serve_opens() -> int:  # what `mud serve` does first
        store = await Store.open(db, clock=SystemClock())
        await store.close()
        with sqlite3.connect(db) as conn:
            return int(conn.execute("PRAGMA user_version").fetchone()[0])

    assert asyncio.run(serve_opens()) == SCHEMA_VERSION
    assert accounts_in(db) == {"Elder"}


@pytest.mark.usefixtures("shell_umask")
def test_restore_keeps_the_database_it_replaces_and_writes_a_private_file(
    tmp_path: Path,
) -> None:
    db = tmp_path / "mud.db"
    make_db(db)
    add_account(db, "Alice")
    saved = tmp_path / "saved.db"
    assert mud("backup", str(saved), "--db", str(db)).returncode == 0
    add_account(db, "Latecomer")  # only in the database about to be replaced
    db.chmod(0o644)  # as an older mud left it
    result = mud("restore", str(saved), "--db", str(db))
    assert result.returncode == 0, result.stderr
    assert accounts_in(db) == {"Alice"}
    assert mode(db) == 0o600
    kept = [p for p in tmp_path.iterdir() if p.name.startswith("mud.db.before-restore-")]
    assert len(kept) == 1, list(tmp_path.iterdir())
    assert re.fullmatch(r"mud\.db\.before-restore-\d{8}T\d{6}Z", kept[0].name)
    assert f"kept as {kept[0]}" in result.stdout
    assert accounts_in(kept[0]) == {"Alice", "Latecomer"}
    assert mode(kept[0]) == 0o644  # as it was: moved aside, not rewritten
    # A second restore within the same second keeps the first one's copy too.
    assert mud("restore", str(saved), "--db", str(db)).returncode == 0
    kept_names = r"mud\.db\.before-restore-\d{8}T\d{6}Z(-\d+)?"
    assert len([p for p in tmp_path.iterdir() if re.fullmatch(kept_names, p.name)]) == 2
    assert not [p for p in tmp_path.iterdir() if ".restoring-" in p.name]


def test_restore_names_a_missing_folder_and_replaces_a_damaged_database(
    tmp_path: Path,
) -> None:
    db = tmp_path / "mud.db"
    make_db(db)
    add_account(db, "Alice")
    saved = tmp_path / "saved.db"
    assert mud("backup", str(saved), "--db", str(db)).returncode == 0
    nowhere = tmp_path / "no-such-folder" / "mud.db"
    result = mud("restore", str(saved), "--db", str(nowhere))
    assert result.returncode == 1
    assert f"no folder {nowhere.parent}" in result.stderr
    assert "unable to open database file" not in result.stderr
    assert not nowhere.parent.exists()
    # The very case a restore is for: the database is damaged beyond SQLite's reading.
    db.write_bytes(b"the disk ate it" * 1000)
    result = mud("restore", str(saved), "--db", str(db))
    assert result.returncode == 0, result.stderr
    assert accounts_in(db) == {"Alice"}


SERVICE_UID = 54_321  # a user no one is: the service account of the test


@pytest.mark.skipif(os.geteuid() != 0, reason="giving a file away needs root")
def test_root_restoring_into_a_service_users_folder_gives_it_the_file(tmp_path: Path) -> None:
    state = tmp_path / "state"
    state.mkdir()
    os.chown(state, SERVICE_UID, SERVICE_UID)
    saved = tmp_path / "saved.db"
    make_db(tmp_path / "made.db")
    add_account(tmp_path / "made.db", "Alice")
    assert mud("backup", str(saved), "--db", str(tmp_path / "made.db")).returncode == 0
    db = state / "mud.db"
    # No database there yet: the folder's owner gets it.
    result = mud("restore", str(saved), "--db", str(db))
    assert result.returncode == 0, result.stderr
    st = db.stat()
    assert (st.st_uid, st.st_gid, mode(db)) == (SERVICE_UID, SERVICE_UID, 0o600)
    assert f"belongs to {SERVICE_UID}" in result.stdout
    # Replacing the service user's database: the new one is theirs too.
    os.chown(db, SERVICE_UID, 4_242)
    result = mud("restore", str(saved), "--db", str(db))
    assert result.returncode == 0, result.stderr
    st = db.stat()
    assert (st.st_uid, st.st_gid, mode(db)) == (SERVICE_UID, 4_242, 0o600)
    assert not [p for p in state.iterdir() if p.name.startswith("mud.db-")]  # no -wal/-shm


def test_who_a_restored_database_is_given_to() -> None:
    from mud.store.db import Owner, restore_owner

    service, folder = Owner(999, 998), Owner(0, 0)
    assert restore_owner(999, folder, service) is None  # the service user restores
    assert restore_owner(0, folder, service) == service  # root: to the database's owner
    assert restore_owner(0, service, None) == service  # no database: the folder's owner
    assert restore_owner(0, folder, None) is None  # root's own folder
    with pytest.raises(StoreError, match=r"run the restore as .*sudo -u"):
        restore_owner(1000, folder, service)  # another user cannot give it away
