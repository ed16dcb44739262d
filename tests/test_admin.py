"""Administration over the real server: admins made on the server's machine with
``mud admin`` (a real process) while the server runs, bans enforced at connect and at
login, the audit log. Clients are real telnet clients on loopback."""

from __future__ import annotations

import asyncio
import logging
import sqlite3
import sys
from pathlib import Path

import asyncssh
import pytest
from mudclient import (
    SshPlayer,
    TelnetPlayer,
    login_existing,
    login_new,
    make_config,
    running_server,
)

ROOT = Path(__file__).resolve().parent.parent


async def amud(*args: str, env: dict[str, str] | None = None) -> tuple[int, str, str]:
    """Run ``python -m mud ARGS`` as a real process without blocking the event loop
    (the server under test runs in this loop)."""
    base = {"PATH": "/usr/bin:/bin", "PYTHONPATH": str(ROOT)}
    proc = await asyncio.create_subprocess_exec(
        sys.executable,
        "-m",
        "mud",
        *args,
        stdout=asyncio.subprocess.PIPE,
        stderr=asyncio.subprocess.PIPE,
        env={**base, **(env or {})},
        cwd=ROOT,
    )
    out, err = await asyncio.wait_for(proc.communicate(), 60)
    assert proc.returncode is not None
    return proc.returncode, out.decode(), err.decode()


async def login_first_time(player: TelnetPlayer, name: str, password: str) -> None:
    """Log in to an account made by ``mud admin create`` (it has no character yet)."""
    await player.expect("What is your name")
    player.send(name)
    await player.expect("Password:")
    player.send(password)
    seen = await player.expect("Exits:|Your class:")
    if seen.endswith("Your class:"):
        player.send("fighter")
        await player.expect("Exits:")


def audit_rows(db: str) -> list[tuple[str, str, str, str]]:
    with sqlite3.connect(db) as conn:
        rows = conn.execute("SELECT actor, action, target, detail FROM audit_log ORDER BY id")
        return [tuple(r) for r in rows]


async def test_first_network_account_is_a_player_and_mud_admin_works_on_a_running_server(
    tmp_path: Path,
) -> None:
    config = make_config(tmp_path, limits={"admin_refresh": 0.2})
    missing = await amud("admin", "list", "--db", str(tmp_path / "typo.db"))
    assert missing[0] == 1 and "no such file" in missing[2]
    assert not (tmp_path / "typo.db").exists()
    async with running_server(config) as srv:
        alice = await TelnetPlayer.connect(srv.telnet_port)
        await login_new(alice, "Alice")  # the very first account on a new database
        assert "admin" not in alice.seen.lower()
        alice.send("shutdown")
        await alice.expect("Only admins may do that")
        assert not srv.hub.shutdown_requested.is_set()

        env = {"MUD_ADMIN_PASSWORD": "root-password"}
        code, out, err = await amud("admin", "create", "Warden", "--db", config.db, env=env)
        assert code == 0, err
        assert "Warden is created and is an admin" in out
        assert "root-password" not in out + err
        again = await amud("admin", "create", "Warden", "--db", config.db, env=env)
        assert again[0] == 1 and "already an account" in again[2]
        weak = await amud(
            "admin", "create", "Weak", "--db", config.db, env={"MUD_ADMIN_PASSWORD": "x"}
        )
        assert weak[0] == 1 and "at least" in weak[2]
        no_tty = await amud("admin", "create", "Quiet", "--db", config.db)
        assert no_tty[0] == 1 and "MUD_ADMIN_PASSWORD" in no_tty[2]

        # The new admin logs in on the running server, no restart, and is one.
        root = await TelnetPlayer.connect(srv.telnet_port)
        await login_first_time(root, "Warden", "root-password")
        root.send("announce the marsh is rising")
        await alice.expect(r"\[Announcement\] the marsh is rising")

        # Granting a player who is online reaches them within admin_refresh.
        code, out, err = await amud("admin", "grant", "alice", "--db", config.db)
        assert code == 0 and "Alice is now an admin" in out, err
        await alice.expect("You are now an admin")
        alice.send("who")
        await alice.expect(r"Address[\s\S]*telnet 127\.0\.0\.1")
        code, out, _ = await amud("admin", "list", "--db", config.db)
        assert code == 0 and "Alice" in out and "Warden" in out and "2 admin(s)" in out
        # The state folder finds the same database, as for serve (a builder's `mud admin
        # create --state-dir st` was "unrecognized arguments").
        state = str(Path(config.db).parent)
        code, again, err = await amud("admin", "list", "--state-dir", state)
        assert (code, again) == (0, out), err
        code, out, _ = await amud("admin", "revoke", "alice", "--db", config.db)
        assert code == 0
        await alice.expect("You are no longer an admin")

        code, out, err = await amud(
            "admin",
            "reset-password",
            "alice",
            "--db",
            config.db,
            env={"MUD_ADMIN_PASSWORD": "brand-new-pass"},
        )
        assert code == 0, err
        await alice.close()
        back = await TelnetPlayer.connect(srv.telnet_port)
        await login_existing(back, "Alice", "brand-new-pass")
        await back.close()
        await root.close()
    code, out, _ = await amud("admin", "audit", "--db", config.db)
    assert code == 0 and "create_admin" in out and "announce" in out
    actions = [
        (actor.split(":")[0], action, target) for actor, action, target, _ in audit_rows(config.db)
    ]
    assert ("cli", "create_admin", "warden") in actions
    assert ("cli", "grant", "alice") in actions
    assert ("cli", "revoke", "alice") in actions
    assert ("cli", "reset_password", "alice") in actions
    assert ("warden", "announce", "") in actions


async def test_a_banned_address_is_refused_at_connect_and_the_ban_is_audited(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    config = make_config(tmp_path)
    async with running_server(config) as srv:
        env = {"MUD_ADMIN_PASSWORD": "root-password"}
        code, _, err = await amud("admin", "create", "Warden", "--db", config.db, env=env)
        assert code == 0, err
        root = await TelnetPlayer.connect(srv.telnet_port)
        await login_first_time(root, "Warden", "root-password")
        bob = await TelnetPlayer.connect(srv.telnet_port)
        await login_new(bob, "Bob")

        root.send("ban 127.0.0.1 1h testing the door")
        await root.expect(r"Banned 127\.0\.0\.1/32 for 1 hour: testing the door")
        # Bob, a player on that address, is put out; the admin who banned stays.
        rest = await bob.closed()
        assert "You have been banned" in rest and "testing the door" in rest

        refused = await TelnetPlayer.connect(srv.telnet_port)
        text = await refused.closed()
        assert "Your address is banned until" in text and "testing the door" in text
        assert "What is your name" not in text

        # Over SSH the password is asked before the game sees the address: a banned
        # address is refused there, with the right password, and no hash is spent.
        with caplog.at_level(logging.INFO, logger="mud"):
            with pytest.raises(asyncssh.PermissionDenied):
                await SshPlayer.connect(srv.ssh_port, "Warden", password="root-password")
        assert any(
            getattr(r, "mud_event", "") == "login_refused"
            and getattr(r, "mud_fields", {}).get("reason") == "banned"
            for r in caplog.records
        )

        root.send("ban")
        await root.expect(r"addr\s+127\.0\.0\.1/32\s+(59 minutes|1 hour) left")
        root.send("unban 127.0.0.1")
        await root.expect(r"Lifted the ban on 127\.0\.0\.1/32")

        # A name ban: refused at login, from any address.
        root.send("ban bob perm cheating")
        await root.expect("Banned Bob until lifted: cheating")
        again = await TelnetPlayer.connect(srv.telnet_port)
        await again.expect("What is your name")
        again.send("Bob")
        text = await again.closed()
        assert "Bob is banned: cheating" in text
        await root.close()

    # The name ban is kept in the database: a restarted server still refuses Bob.
    async with running_server(config) as srv:
        later = await TelnetPlayer.connect(srv.telnet_port)
        await later.expect("What is your name")
        later.send("bob")
        assert "Bob is banned: cheating" in await later.closed()

    rows = audit_rows(config.db)
    assert ("warden", "ban", "addr:127.0.0.1/32", "for 1 hour: testing the door") in rows
    assert ("warden", "unban", "addr:127.0.0.1/32", "") in rows
    assert ("warden", "ban", "name:bob", "until lifted: cheating") in rows


async def test_a_session_with_admin_verbs_replays_identically(tmp_path: Path) -> None:
    from mud.replay import load_events, replay

    config = make_config(tmp_path, limits={"admin_refresh": 0.2})
    async with running_server(config) as srv:
        env = {"MUD_ADMIN_PASSWORD": "root-password"}
        code, _, err = await amud("admin", "create", "Warden", "--db", config.db, env=env)
        assert code == 0, err
        warden = await TelnetPlayer.connect(srv.telnet_port)
        await login_first_time(warden, "Warden", "root-password")
        alice = await TelnetPlayer.connect(srv.telnet_port)
        await login_new(alice, "Alice")
        bob = await TelnetPlayer.connect(srv.telnet_port)
        await login_new(bob, "Bob")
        warden.send("who")
        await warden.expect(r"telnet 127\.0\.0\.1")
        warden.send("shutdown 10")
        await alice.expect("goes down in 10 minutes")
        warden.send("shutdown cancel")
        await alice.expect("shutdown is cancelled")
        warden.send("ban 127.0.0.1 5m address test")
        assert "You have been banned" in await bob.closed()
        await alice.closed()
        warden.send("unban 127.0.0.1")
        await warden.expect("Lifted the ban")
        warden.send("unban 10.1.1.1")
        await warden.expect("is not banned")
        code, _, err = await amud("admin", "revoke", "warden", "--db", config.db)
        assert code == 0, err
        await warden.expect("You are no longer an admin")
        warden.send("who")
        await warden.expect(r"1 player in the world")
        await warden.close()
    events = await load_events(config.db)
    assert {"admins", "line"} <= {e.kind for e in events}
    result = await replay(events)
    assert result.ok, result.first
