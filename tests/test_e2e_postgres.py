"""The whole server on PostgreSQL: ``mud serve --db postgresql://...`` as a real process,
a telnet player, ``kill -9``, a restart, and the world as the player last saw it
acknowledged."""

from __future__ import annotations

import asyncio
import contextlib
import os
import re
import signal
import sys
from collections.abc import AsyncIterator
from pathlib import Path

from mudclient import TelnetPlayer, login_existing, login_new
from pgcluster import PgCluster
from storetarget import PgTarget
from test_admin import amud

from mud.core.clock import FakeClock
from mud.store import open_store

_ROOT = Path(__file__).resolve().parents[1]
_CONFIG = """
providers = ["offline"]
seed = 7
[limits]
hash_n = 16
tick = 0.2
"""


@contextlib.asynccontextmanager
async def mud_serve(db: str, tmp_path: Path) -> AsyncIterator[int]:
    """``python -m mud serve --db DB`` on free loopback ports; yields the telnet port.
    Killed with SIGKILL when the block ends (no clean shutdown, no final commit)."""
    config = tmp_path / "mud.toml"
    config.write_text(_CONFIG)
    proc = await asyncio.create_subprocess_exec(
        sys.executable,
        "-m",
        "mud",
        "serve",
        "--db",
        db,
        "--host",
        "127.0.0.1",
        "--telnet-port",
        "0",
        "--ssh-port",
        "0",
        "--no-web",
        "--host-keys",
        str(tmp_path / "host_keys"),
        "--config",
        str(config),
        stdout=asyncio.subprocess.PIPE,
        stderr=asyncio.subprocess.PIPE,
        env={**os.environ, "PYTHONPATH": str(_ROOT)},
        cwd=tmp_path,
    )
    assert proc.stdout is not None and proc.stderr is not None
    seen: list[str] = []
    try:
        async with asyncio.timeout(30):
            while True:
                line = (await proc.stdout.readline()).decode()
                if not line:
                    err = (await proc.stderr.read()).decode()
                    raise AssertionError(f"mud serve exited: {''.join(seen)}{err}")
                seen.append(line)
                found = re.match(r"telnet: listening on 127\.0\.0\.1:(\d+)", line)
                if found:
                    port = int(found.group(1))
                if line.startswith("state: database"):
                    # the URL is shown without its password
                    assert "postgresql://" in line and "secret" not in line
                    break
        yield port
    finally:
        if proc.returncode is None:
            proc.send_signal(signal.SIGKILL)
        await proc.wait()
        assert proc.returncode == -signal.SIGKILL


async def test_serve_on_postgresql_survives_kill_9_and_finds_the_world_again(
    tmp_path: Path, pg_cluster: PgCluster
) -> None:
    url = await pg_cluster.new_url()
    # The test cluster trusts loopback, so a password in the URL is accepted and
    # ignored: it lets the test check that no screen or log line shows it.
    served = url.replace("postgresql://mud@", "postgresql://mud:secret@")
    assert served != url
    async with mud_serve(served, tmp_path) as port:
        alice = await TelnetPlayer.connect(port)
        await login_new(alice, "Alice")
        alice.send("get all")
        picked = re.findall(
            r"You pick up (?:an? |the )?([^.\r\n]+)\.", await alice.expect("You pick up[^\n]*")
        )
        assert picked
        alice.send("south")
        await alice.expect("Exits:")
        alice.send("say written before the crash")
        await alice.expect("You say, 'written before the crash'")
        # A later acknowledged state change means every write before it is committed.
        alice.send("width 100")
        await alice.expect("Width set to 100 columns.")
        await alice.close()
    # killed with SIGKILL: nothing was flushed on the way out
    async with mud_serve(served, tmp_path) as port:
        again = await TelnetPlayer.connect(port)
        await login_existing(again, "Alice")
        assert "crossroads" in again.seen.lower()
        again.send("inventory")
        held = await again.expect(r"You are carrying:[\s\S]*?>")
        assert picked[0] in held
        await again.close()
    said = await PgTarget(pg_cluster, url).query("SELECT text FROM chat_log")
    assert ("written before the crash",) in said
    accounts = await PgTarget(pg_cluster, url).query("SELECT name FROM accounts")
    assert accounts == [("Alice",)]
    # The recording in PostgreSQL replays identically, kill and all.
    code, out, err = await amud("replay", served)
    assert code == 0, out + err


async def test_admin_and_usage_commands_take_a_postgresql_url(pg_cluster: PgCluster) -> None:
    url = await pg_cluster.new_url()
    code, _, err = await amud("admin", "list", "--db", url)
    assert code == 1 and "not a mud database" in err  # never created by a tool
    store = await open_store(url, clock=FakeClock())
    await store.close()
    code, out, err = await amud(
        "admin", "create", "Marguerite", "--db", url, env={"MUD_ADMIN_PASSWORD": "a-long-secret-9"}
    )
    assert code == 0, err
    code, out, err = await amud("admin", "list", "--db", url)
    assert code == 0 and "marguerite" in out.lower(), err
    code, out, err = await amud("usage", "--db", url)
    assert code == 0, err
    code, _, err = await amud("backup", str(Path("/nonexistent/x.db")), "--db", url)
    assert code == 1 and "pg_dump" in err
