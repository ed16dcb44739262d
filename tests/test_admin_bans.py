"""``mud admin bans`` and ``mud admin unban``: the way out of a ban from the server's own
machine. Real processes on a real SQLite file and a real PostgreSQL schema; the running
server case with real telnet clients on loopback."""

from __future__ import annotations

import asyncio
import contextlib
import time
from pathlib import Path

from mudclient import TelnetPlayer, make_config, running_server
from storetarget import StoreTarget
from test_admin import amud, audit_rows, login_first_time

from mud.core.clock import FakeClock
from mud.core.ops import AddBan


async def test_bans_are_listed_and_lifted_on_both_backends(target: StoreTarget) -> None:
    store = await target.open(clock=FakeClock())
    wall = time.time()
    await store.apply(
        [
            AddBan("name", "bob", "cheating at dice", "warden", wall, None),
            AddBan("addr", "10.0.0.0/8", "a flood", "warden", wall, wall + 7200),
            AddBan("addr", "192.0.2.7/32", "long gone", "warden", wall - 90, wall - 60),
        ]
    )
    await store.close()

    code, out, err = await amud("admin", "bans", "--db", target.db)
    assert code == 0, err
    lines = out.splitlines()
    assert any(
        line.split()[:2] == ["name", "bob"] and "until lifted" in line and "by warden" in line
        for line in lines
    ), out
    assert any("10.0.0.0/8" in line and " UTC " in line and "a flood" in line for line in lines), (
        out
    )
    assert "192.0.2.7" not in out  # expired: not in force
    assert "2 ban(s) in force." in out

    code, out, err = await amud("admin", "unban", "Bob", "--db", target.db)
    assert code == 0, err
    assert "Lifted the ban on Bob" in out
    again = await amud("admin", "unban", "bob", "--db", target.db)
    assert again[0] == 1 and "Bob is not banned" in again[2]
    inside = await amud("admin", "unban", "10.1.2.3", "--db", target.db)
    assert inside[0] == 1 and "within the ban on 10.0.0.0/8" in inside[2]
    nonsense = await amud("admin", "unban", "no such thing!", "--db", target.db)
    assert nonsense[0] == 1 and "neither a player name nor an IP address" in nonsense[2]

    rows = await target.query("SELECT kind, value FROM bans WHERE lifted IS NULL ORDER BY id")
    assert rows == [("addr", "10.0.0.0/8"), ("addr", "192.0.2.7/32")]
    audit = await target.query("SELECT actor, action, target FROM audit_log")
    assert [(a.split(":")[0], x, t) for a, x, t in audit] == [("cli", "unban", "name:bob")]
    code, out, _ = await amud("admin", "audit", "--db", target.db)
    assert code == 0 and "unban" in out and "name:bob" in out


async def _reaches_login(port: int) -> bool:
    """Whether a new connection from 127.0.0.1 is let in (asked its name)."""
    player = await TelnetPlayer.connect(port)
    try:
        seen = await player.expect("What is your name|banned")
        return seen.endswith("What is your name")
    finally:
        with contextlib.suppress(Exception):
            await player.close()


async def test_an_admin_who_banned_their_own_address_gets_back_in_with_mud_admin_unban(
    tmp_path: Path,
) -> None:
    config = make_config(tmp_path, limits={"admin_refresh": 0.2})
    async with running_server(config) as srv:
        env = {"MUD_ADMIN_PASSWORD": "root-password"}
        code, _, err = await amud("admin", "create", "Warden", "--db", config.db, env=env)
        assert code == 0, err
        warden = await TelnetPlayer.connect(srv.telnet_port)
        await login_first_time(warden, "Warden", "root-password")
        warden.send("ban 127.0.0.0/8 perm testing")
        await warden.expect(r"Banned 127\.0\.0\.0/8 until lifted: testing")
        await warden.close()  # ... and is locked out
        await asyncio.sleep(0.5)  # a refresh or two: the ban is read back from the database
        assert not await _reaches_login(srv.telnet_port)

        code, out, err = await amud("admin", "bans", "--db", config.db)
        assert code == 0, err
        assert "127.0.0.0/8" in out and "until lifted" in out and "by warden" in out
        assert "testing" in out

        code, out, err = await amud("admin", "unban", "127.0.0.0/8", "--db", config.db)
        assert code == 0, err
        assert "Lifted the ban on 127.0.0.0/8" in out
        deadline = time.monotonic() + 10
        while not await _reaches_login(srv.telnet_port):
            assert time.monotonic() < deadline, "the running server kept the lifted ban"
            await asyncio.sleep(0.2)
        back = await TelnetPlayer.connect(srv.telnet_port)
        await login_first_time(back, "Warden", "root-password")
        await back.close()
        code, out, _ = await amud("admin", "bans", "--db", config.db)
        assert code == 0 and "0 ban(s) in force." in out

    actions = [
        (actor.split(":")[0], action, tgt) for actor, action, tgt, _ in audit_rows(config.db)
    ]
    assert ("warden", "ban", "addr:127.0.0.0/8") in actions
    assert ("cli", "unban", "addr:127.0.0.0/8") in actions
