"""The command line, run as a real process: check, config, admin, usage, replay."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

from mudclient import SshPlayer, TelnetPlayer, login_new, make_config, running_server

ROOT = Path(__file__).resolve().parent.parent


def mud(
    *args: str, env: dict[str, str] | None = None, cwd: Path = ROOT
) -> subprocess.CompletedProcess[str]:
    base = {"PATH": "/usr/bin:/bin", "PYTHONPATH": str(ROOT)}
    return subprocess.run(
        [sys.executable, "-m", "mud", *args],
        capture_output=True,
        text=True,
        timeout=60,
        env={**base, **(env or {})},
        cwd=cwd,
    )


def test_check_passes_the_bundled_packs_and_lists_every_error(tmp_path: Path) -> None:
    ok = mud("check", "content/hollowmere", "content/saltmarsh_ferry")
    assert ok.returncode == 0, ok.stdout + ok.stderr
    bad = tmp_path / "bad"
    bad.mkdir()
    (bad / "pack.yaml").write_text(
        "id: bad\nname: Bad\nversion: '1'\ndescription: x\nstart: nowhere\n"
    )
    (bad / "rooms.yaml").write_text(
        "hall:\n  name: Hall\n  description: A hall.\n  exits:\n    north: void\n  colour: red\n"
    )
    result = mud("check", str(bad))
    assert result.returncode == 1
    lines = [line for line in result.stdout.splitlines() if line.strip()]
    assert len(lines) >= 3  # the start room, the exit and the unknown key, each reported
    assert all(line.startswith(str(bad)) and line.split(":")[1].strip().isdigit() for line in lines)


def test_config_precedence_and_secret_redaction(tmp_path: Path) -> None:
    cfg = tmp_path / "mud.toml"
    cfg.write_text('telnet_port = 4100\nssh_port = 2300\ndb = "from-file.db"\n')
    result = mud(
        "config",
        "--json",
        "--ssh-port",
        "2400",
        env={
            "MUD_CONFIG": str(cfg),
            "MUD_TELNET_PORT": "4200",
            "OPENAI_API_KEY": "sk-secret-value",
        },
    )
    assert result.returncode == 0, result.stderr
    data = json.loads(result.stdout)
    assert data["ssh_port"] == 2400  # flag beats everything
    assert data["telnet_port"] == 4200  # environment beats the file
    assert data["db"] == "from-file.db"  # the file beats the default
    assert data["openai_api_key"] == "<set>"
    assert "sk-secret-value" not in result.stdout + result.stderr


def test_a_config_file_holding_a_key_is_refused(tmp_path: Path) -> None:
    cfg = tmp_path / "mud.yaml"
    cfg.write_text("openai_api_key: sk-nope\n")
    result = mud("config", "--config", str(cfg))
    assert result.returncode == 2  # a configuration error (issue 12): exit status 2
    assert "environment only" in result.stderr and "sk-nope" not in result.stderr


async def test_admin_grant_usage_and_replay_on_a_real_database(tmp_path: Path) -> None:
    config = make_config(tmp_path)
    async with running_server(config) as srv:
        first = await TelnetPlayer.connect(srv.telnet_port)
        await login_new(first, "Alice")
        second = await TelnetPlayer.connect(srv.telnet_port)
        await login_new(second, "Bob")
        second.send("I listen to the rain")
        await second.expect("You listen.")
        await first.close()
        await second.close()
    granted = mud("admin", "grant", "bob", "--db", config.db)
    assert granted.returncode == 0 and "Bob is now an admin" in granted.stdout
    missing = mud("admin", "grant", "nobody", "--db", config.db)
    assert missing.returncode == 1 and "no account" in missing.stderr
    usage = mud("usage", "--json", "--db", config.db)
    assert usage.returncode == 0, usage.stderr
    rows = json.loads(usage.stdout)
    assert rows  # offline narrations are counted too (at no cost)
    replayed = mud("replay", config.db)
    assert replayed.returncode == 0, replayed.stdout + replayed.stderr
    assert "replay OK" in replayed.stdout


async def test_shutdown_tells_players_and_saves(tmp_path: Path) -> None:
    config = make_config(tmp_path)
    async with running_server(config) as srv:
        alice = await TelnetPlayer.connect(srv.telnet_port)
        await login_new(alice, "Alice")
        alice.send("south")
        await alice.expect("Crossroads")
        bob = await SshPlayer.connect(srv.ssh_port, "play")
        await login_new(bob, "Bob")
        srv.stop("maintenance")
        await alice.expect("going down \\(maintenance\\)")
        await bob.expect("going down \\(maintenance\\)")
        await alice.closed()
    import sqlite3

    with sqlite3.connect(config.db) as conn:
        state = conn.execute("SELECT state FROM characters WHERE name_key='alice'").fetchone()[0]
    assert json.loads(state)["room"].endswith("crossroads")


def test_the_server_starts_without_a_warning_from_its_ssh_library() -> None:
    # Every `mud serve` opened with five "CryptographyDeprecationWarning: DSA is
    # deprecated" warnings and their source lines (asyncssh under cryptography 51): the
    # first thing an operator read. Imported with every warning an error, it loads.
    done = subprocess.run(
        [sys.executable, "-W", "error", "-c", "import mud.net.ssh"],
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert done.returncode == 0, done.stderr[-2000:]
    assert "Warning" not in done.stderr, done.stderr[-2000:]
