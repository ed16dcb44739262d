"""What an operator meets running the one-shot commands by hand or from cron: real
processes (``python -m mud``) on real SQLite files in tmp_path, a real terminal (a
pseudo-terminal) where a password is asked."""

from __future__ import annotations

import asyncio
import os
import pty
import select
import stat
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from mudclient import TelnetPlayer, login_new, make_config, running_server
from test_cli import ROOT, mud

from mud.core.clock import SystemClock
from mud.store.db import Store


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
