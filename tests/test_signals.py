"""Signals and crashes of a real ``mud serve`` process, as a supervisor sees them."""

from __future__ import annotations

import asyncio
import re
import signal
import sys
from pathlib import Path

import pytest
from mudclient import TelnetPlayer, login_new, plain
from mudproc import ROOT, ServerProcess, mud_env
from test_admin import amud

SERVE = ("--host", "127.0.0.1", "--telnet-port", "0", "--ssh-port", "0")

# Test-only crash injection, in the test's own launcher (nothing in the product): the
# named actor's run() fails when the process gets SIGUSR1; then mud.cli runs as usual.
CRASHING = """
import asyncio, signal, sys
from mud.dm.actor import DmActor
from mud.hub import Hub
from mud.cli import main

victim = {"hub": Hub, "dm": DmActor}[sys.argv[1]]
original = victim.run

async def run(self):
    inner = asyncio.ensure_future(original(self))
    crash = asyncio.Event()
    asyncio.get_running_loop().add_signal_handler(signal.SIGUSR1, crash.set)
    trigger = asyncio.ensure_future(crash.wait())
    await asyncio.wait({inner, trigger}, return_when=asyncio.FIRST_COMPLETED)
    inner.cancel()
    trigger.cancel()
    raise RuntimeError("injected crash")

victim.run = run
sys.exit(main(["serve", *sys.argv[2:]]))
"""


def server_db(tmp_path: Path) -> Path:
    return tmp_path / "state" / "mud.db"


def serve(tmp_path: Path, *extra: str) -> ServerProcess:
    state = ("--state-dir", str(tmp_path / "state"))
    return ServerProcess.module(*SERVE, *state, *extra, env=mud_env(), cwd=tmp_path)


async def test_sighup_reloads_without_dropping_anyone_and_tells_them(tmp_path: Path) -> None:
    cfg = tmp_path / "mud.yaml"
    cfg.write_text("log_level: INFO\nlimits: {admin_refresh: 0.2}\n")
    server = await serve(tmp_path, "--config", str(cfg)).start()
    try:
        alice = await TelnetPlayer.connect(server.telnet_port)
        await login_new(alice, "Alice")
        code, _, err = await amud("admin", "grant", "alice", "--db", str(server_db(tmp_path)))
        assert code == 0, err
        await alice.expect("You are now an admin")
        # A reloadable change (the log level) and one that needs a restart (limits).
        cfg.write_text("log_level: WARNING\nlimits: {idle_close: 600}\n")
        server.send_signal(signal.SIGHUP)
        await alice.expect("The world is being reloaded; you stay connected.")
        await alice.expect("The world has been reloaded.")
        alice.send("look")
        await alice.expect("Exits:")
        # A broken configuration on the next SIGHUP is refused whole: the admins read
        # why, nothing is reloaded and nobody else is told (played by an operator: the
        # log said both ok=False and ok=True, and every player read "reloaded").
        cfg.write_text("limits: {idle_close: soon}\n")
        server.send_signal(signal.SIGHUP)
        await alice.expect("The configuration was not reloaded; the running one is kept:")
        await alice.expect("config.limits.idle_close: expected a number of seconds, got 'soon'")
        alice.send("say still here")
        await alice.expect("still here")
        assert plain(alice.seen).count("The world has been reloaded.") == 1
    finally:
        code = await server.stop()
    assert code == 0, server.output()
    text = "\n".join(server.stderr)
    assert "event=config_reload ok=True applied=log_level" in text
    assert "needs_restart=limits" in text
    assert "config.limits.idle_close: expected a number of seconds, got 'soon'" in text
    assert "event=config_reload ok=False problems=1" in text
    assert text.count("event=config_reload ok=True") == 1
    assert 'event=reload_done ok=False by=signal error="configuration refused:' in text


async def test_a_terminal_hanging_up_stops_the_server_and_a_sighup_beside_it_reloads(
    tmp_path: Path,
) -> None:
    # Played by a builder: `tmux kill-session` hung up the server's terminal, and the
    # SIGHUP reloaded the world; the server went on listening with no terminal.
    server = await serve(tmp_path).start(terminal=True)
    try:
        alice = await TelnetPlayer.connect(server.telnet_port)
        await login_new(alice, "Alice")
        server.send_signal(signal.SIGHUP)  # `kill -HUP`, the terminal still there
        await alice.expect("The world has been reloaded.")
        server.hang_up()
        await alice.expect(r"going down \(signal SIGHUP \(its terminal closed\)\)")
        code = await server.wait()
    finally:
        await server.kill()
    assert code == 0, server.output()
    assert 'reason="signal SIGHUP (its terminal closed)"' in "\n".join(server.stderr)


async def test_a_server_whose_output_is_gone_still_stops_cleanly(tmp_path: Path) -> None:
    # Played by an operator: `mud serve ... | tee log` stopped with Ctrl-C (and a closed
    # terminal the same): the shutdown line's print raised, with a traceback, exit 1, and
    # the players were never told.
    server = await serve(tmp_path).start()
    try:
        alice = await TelnetPlayer.connect(server.telnet_port)
        await login_new(alice, "Alice")
        server.close_stdout()
        server.send_signal(signal.SIGTERM)
        await alice.expect(r"going down \(signal SIGTERM\)\. Your progress is saved\.")
        code = await server.wait()
    finally:
        await server.kill()
    assert code == 0, server.output()
    assert "Traceback" not in server.output()


@pytest.mark.parametrize("sig", [signal.SIGTERM, signal.SIGINT])
async def test_sigterm_and_sigint_stop_cleanly_with_status_0(
    tmp_path: Path, sig: signal.Signals
) -> None:
    server = await serve(tmp_path).start()
    try:
        alice = await TelnetPlayer.connect(server.telnet_port)
        await login_new(alice, "Alice")
        server.send_signal(sig)
        await alice.expect(f"going down \\(signal {sig.name}\\)")
        code = await server.wait()
    finally:
        await server.kill()
    assert code == 0, server.output()
    assert f'event=shutdown reason="signal {sig.name}"' in "\n".join(server.stderr)


@pytest.mark.parametrize(("actor", "told"), [("hub", "game"), ("dm", "Dungeon Master")])
async def test_a_crashed_actor_tells_players_and_exits_non_zero(
    tmp_path: Path, actor: str, told: str
) -> None:
    server = ServerProcess(
        [sys.executable, "-c", CRASHING, actor, *SERVE, "--state-dir", str(tmp_path / "s")],
        env={"PYTHONPATH": str(ROOT), **mud_env()},
        cwd=tmp_path,
    )
    await server.start()
    try:
        alice = await TelnetPlayer.connect(server.telnet_port)
        await login_new(alice, "Alice")
        server.send_signal(signal.SIGUSR1)
        notice = await alice.expect(r"Your progress\s+is saved")
        code = await server.wait()
    finally:
        await server.kill()
    wrapped = told.replace(" ", r"\s+")
    assert re.search(rf"going\s+down\s+\(internal\s+error\s+in\s+the\s+{wrapped}\)", notice)
    assert code == 3, server.output()
    text = "\n".join(server.stderr)
    assert "level=critical" in text and f"event=crash actor={actor}" in text
    assert f"mud: the {told} actor failed" in text


async def test_a_second_server_on_the_same_world_is_refused(tmp_path: Path) -> None:
    # Played by an operator: two `mud serve` on one state folder both ran; the same
    # lantern was picked up in both, and one's shutdown save undid the other's move.
    first = await serve(tmp_path).start()
    try:
        second = serve(tmp_path)
        with pytest.raises(AssertionError, match="did not start"):
            await second.start()
        assert await second.wait() == 1
        assert "is in use by another process" in second.output()
    finally:
        assert await first.stop() == 0


async def test_a_database_that_takes_no_writes_is_refused_at_start(tmp_path: Path) -> None:
    # Played by an operator: a backup restored as root into the service user's folder
    # started, told systemd it was ready, and answered every action "That did not
    # happen ... (the server may be out of disk space)". Here the file is made immutable
    # (root writes through any mode bits; `chattr +i` stops even root).
    import shutil
    import subprocess

    first = await serve(tmp_path).start()
    try:
        alice = await TelnetPlayer.connect(first.telnet_port)
        await login_new(alice, "Alice")
    finally:
        assert await first.stop() == 0
    db = tmp_path / "state" / "mud.db"
    chattr = shutil.which("chattr")
    made = (
        await asyncio.to_thread(subprocess.run, [chattr, "+i", str(db)], check=False)
        if chattr
        else None
    )
    if chattr is None or made is None or made.returncode:
        pytest.skip("chattr +i is not available here")
    try:
        server = serve(tmp_path)
        with pytest.raises(AssertionError, match="did not start"):
            await server.start()
        assert await server.wait() == 1
        assert "does not take writes" in server.output(), server.output()
    finally:
        await asyncio.to_thread(subprocess.run, [chattr, "-i", str(db)], check=False)


async def test_a_refused_pack_reload_logs_why_in_full(tmp_path: Path) -> None:
    # Played by an operator: a SIGHUP with a broken pack logged, at INFO, only
    # 'error="1 problem in content packs:"'; what the problem was reached no log.
    import shutil

    pack = tmp_path / "packs" / "hollowmere"
    shutil.copytree(ROOT / "content" / "hollowmere", pack)
    server = await serve(tmp_path, "--content", str(pack)).start()
    try:
        alice = await TelnetPlayer.connect(server.telnet_port)
        await login_new(alice, "Alice")
        rooms = pack / "rooms.yaml"
        rooms.write_text(rooms.read_text() + "\nthis: [is not closed\n")
        server.send_signal(signal.SIGHUP)
        await alice.expect("The world stays as it was.")
    finally:
        assert await server.stop() == 0
    refused = [line for line in server.stderr if "event=reload_done" in line]
    assert len(refused) == 1 and "level=warning" in refused[0], refused
    assert "rooms.yaml:" in refused[0], refused
