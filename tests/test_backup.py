"""``mud backup`` and ``mud restore`` as real processes against a real, running server."""

from __future__ import annotations

import asyncio
import contextlib
import sqlite3
from pathlib import Path

from mudclient import TelnetPlayer, login_existing, login_new, make_config, running_server
from test_admin import amud


async def _chatter(player: TelnetPlayer, n: int, stop: asyncio.Event) -> int:
    """Say numbered lines until stopped; each is acknowledged only once committed."""
    said = 0
    while not stop.is_set():
        player.send(f"say line {n}-{said}")
        await player.expect(f"You say, 'line {n}-{said}'")
        said += 1
    return said


async def test_backup_of_a_live_database_under_load_is_consistent_and_complete(
    tmp_path: Path,
) -> None:
    config = make_config(tmp_path, limits={"flood_rate": 1000.0, "flood_burst": 1000.0})
    dest = tmp_path / "backup.db"
    async with running_server(config) as srv:
        players = []
        for i in range(4):
            p = await TelnetPlayer.connect(srv.telnet_port)
            await login_new(p, f"Walker{'abcd'[i]}")
            players.append(p)
        # Every account whose creation was acknowledged before the backup began.
        existing = {f"walker{c}" for c in "abcd"}
        stop = asyncio.Event()
        load = [asyncio.create_task(_chatter(p, i, stop)) for i, p in enumerate(players)]

        async def newcomers() -> None:
            # Accounts keep being created while the backup runs.
            for i in range(3):
                p = await TelnetPlayer.connect(srv.telnet_port)
                await login_new(p, f"Late{'xyz'[i]}")
                await p.close()

        joining = asyncio.create_task(newcomers())
        await asyncio.sleep(0.3)  # let the load get going before the copy starts
        code, out, err = await amud("backup", str(dest), "--db", config.db)
        stop.set()
        said = await asyncio.gather(*load)
        await joining
        assert code == 0, err
        assert sum(said) > 0
        assert "integrity_check ok" in out
        assert "accounts" in out and "chat_log" in out and "bytes" in out
        # The live database is in WAL mode: a plain file copy now would miss data
        # that the backup, taken through SQLite, has.
        for p in players:
            await p.close()
        again = await amud("backup", str(dest), "--db", config.db)
        assert again[0] == 1 and "already exists" in again[2]

    assert not Path(f"{dest}-wal").exists()  # the copy stands alone
    with sqlite3.connect(f"file:{dest}?mode=ro", uri=True) as copy:
        assert copy.execute("PRAGMA integrity_check").fetchone() == ("ok",)
        names = {r[0] for r in copy.execute("SELECT name_key FROM accounts")}
        chat = copy.execute("SELECT COUNT(*) FROM chat_log").fetchone()[0]
    assert existing <= names
    assert chat > 0


async def test_restore_refuses_a_running_server_then_brings_the_backup_back(
    tmp_path: Path,
) -> None:
    config = make_config(tmp_path)
    dest = tmp_path / "saved.db"
    async with running_server(config) as srv:
        p = await TelnetPlayer.connect(srv.telnet_port)
        await login_new(p, "Keeper")
        code, _, err = await amud("backup", str(dest), "--db", config.db)
        assert code == 0, err
        q = await TelnetPlayer.connect(srv.telnet_port)
        await login_new(q, "Afterthought")  # only in the live database
        await q.close()
        busy = await amud("restore", str(dest), "--db", config.db)
        assert busy[0] == 1 and "in use" in busy[2]
        await p.close()
    broken = tmp_path / "broken.db"
    broken.write_bytes(b"not a database at all" * 100)
    bad = await amud("restore", str(broken), "--db", config.db)
    assert bad[0] == 1
    code, out, err = await amud("restore", str(dest), "--db", config.db)
    assert code == 0, err
    assert "integrity_check ok" in out
    async with running_server(config) as srv:
        p = await TelnetPlayer.connect(srv.telnet_port)
        await login_existing(p, "Keeper")
        await p.close()
        q = await TelnetPlayer.connect(srv.telnet_port)
        await q.expect("What is your name")
        q.send("Afterthought")
        await q.expect(r"Create Afterthought\? \(yes/no\)")  # gone with the restore
        with contextlib.suppress(Exception):
            await q.close()
