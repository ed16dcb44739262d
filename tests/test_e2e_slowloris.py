"""Slow hostile connections are cut off within seconds, not at the login deadline, and a
person at a real client is not (issue 15). Real sockets and real clients against the
real server; the deadlines are shortened from their defaults (20 s for a line typed
before login, 10 s for an SSH session to open) to keep the tests quick."""

from __future__ import annotations

import asyncio
import logging
from pathlib import Path

import asyncssh
import pytest
import websockets
from mudclient import (
    SshPlayer,
    TelnetPlayer,
    WebPlayer,
    login_new,
    make_config,
    running_server,
)

from mud.config import Config, SshSection, TelnetSection, WebSection

FAST = 2.0  # the shortened deadline, seconds


def _fast_config(tmp_path: Path) -> Config:
    return make_config(
        tmp_path,
        telnet={"connect_maxwait": 0.5, "login_line_deadline": FAST},
        ssh={"login_line_deadline": FAST, "session_timeout": FAST},
        web={"login_line_deadline": FAST},
    )


def _cut_reasons(caplog: pytest.LogCaptureFixture) -> list[str]:
    return [
        r.mud_fields["reason"]
        for r in caplog.records
        if getattr(r, "mud_event", "") == "conn_cut_off"
    ]


def test_the_defaults_cut_off_within_seconds_and_leave_people_time() -> None:
    # Well inside the 120 s login deadline, and well beyond typing a name or password.
    for section in (TelnetSection(), SshSection(), WebSection()):
        assert 10.0 <= section.login_line_deadline <= 30.0
    assert SshSection().session_timeout <= 10.0
    assert SshSection().login_timeout <= 30.0


async def _drip_until_closed(
    writer: asyncio.StreamWriter, reader: asyncio.StreamReader, head: bytes, deadline: float
) -> float:
    """Send ``head``, then one byte every 0.3 s, never a line end, until the server
    closes the connection; returns how long that took (fails after ``deadline``)."""
    loop = asyncio.get_running_loop()
    start = loop.time()
    writer.write(head)
    async with asyncio.timeout(deadline):
        while True:
            try:
                writer.write(b"a")
                await writer.drain()
                async with asyncio.timeout(0.3):
                    while await reader.read(65536):
                        pass
                    return loop.time() - start  # EOF: closed by the server
            except TimeoutError:
                continue
            except (ConnectionResetError, BrokenPipeError):
                return loop.time() - start


@pytest.mark.parametrize(
    "head", [b"", bytes((255, 250, 201))], ids=["unfinished-line", "unfinished-subneg"]
)
async def test_a_telnet_slowloris_is_cut_off_at_the_line_deadline(
    tmp_path: Path, caplog: pytest.LogCaptureFixture, head: bytes
) -> None:
    caplog.set_level(logging.INFO, logger="mud.net")
    async with running_server(_fast_config(tmp_path)) as srv:
        reader, writer = await asyncio.open_connection("127.0.0.1", srv.telnet_port)
        took = await _drip_until_closed(writer, reader, head, deadline=15)
        writer.close()
        assert took < 15
        assert "slow_line" in _cut_reasons(caplog)


async def test_a_person_typing_key_by_key_after_a_long_pause_is_not_cut_off(
    tmp_path: Path,
) -> None:
    async with running_server(_fast_config(tmp_path)) as srv:
        player = await TelnetPlayer.connect(srv.telnet_port)
        await player.expect("What is your name")
        await asyncio.sleep(FAST + 1.5)  # thinking: longer than the line deadline
        for key in "Slowpoke\r\n":  # then typed one key at a time (character mode)
            player.writer.write(key)
            await asyncio.sleep(0.1)
        await player.expect(r"Create \w+\? \(yes/no\)")
        player.send("yes")
        await player.expect("Password:")
        for key in "secret-pass\r\n":
            player.writer.write(key)
            await asyncio.sleep(0.1)
        await player.expect("Repeat the password:")
        player.send("secret-pass")
        await player.expect("Exits:|Your class:")
        await player.close()


async def test_a_player_in_the_game_may_take_long_over_a_line(tmp_path: Path) -> None:
    async with running_server(_fast_config(tmp_path)) as srv:
        player = await TelnetPlayer.connect(srv.telnet_port)
        await login_new(player, "Ponder")
        player.writer.write("say slo")
        await asyncio.sleep(FAST + 2.0)
        player.writer.write("wly\r\n")
        await player.expect("You say, 'slowly'")
        ssh = await SshPlayer.connect(srv.ssh_port, "play")
        await login_new(ssh, "Musing")
        ssh.process.stdin.write("say mus")
        await asyncio.sleep(FAST + 2.0)
        ssh.send("ing")
        await ssh.expect("You say, 'musing'")
        await ssh.close()
        await player.close()


@pytest.mark.parametrize("term", ["xterm", None], ids=["pty", "no-pty"])
async def test_an_ssh_slowloris_is_cut_off_at_the_line_deadline(
    tmp_path: Path, caplog: pytest.LogCaptureFixture, term: str | None
) -> None:
    caplog.set_level(logging.INFO, logger="mud.net")
    async with running_server(_fast_config(tmp_path)) as srv:
        player = await SshPlayer.connect(srv.ssh_port, "play", term=term)
        await player.expect("What is your name")
        async with asyncio.timeout(15):
            while not player.process.stdin.is_closing():
                try:
                    player.process.stdin.write("a")
                except (asyncssh.Error, OSError):
                    break
                await asyncio.sleep(0.3)
            await player.conn.wait_closed()
        assert "slow_line" in _cut_reasons(caplog)


async def test_an_ssh_connection_that_never_opens_a_session_is_cut_off_in_seconds(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.INFO, logger="mud.net")
    # The login deadline stays at its default (120 s): the session rule is what acts.
    async with running_server(_fast_config(tmp_path)) as srv:
        loop = asyncio.get_running_loop()
        start = loop.time()
        conn = await asyncssh.connect(
            "127.0.0.1", srv.ssh_port, username="play", known_hosts=None, agent_path=None
        )
        async with asyncio.timeout(15):
            await conn.wait_closed()
        assert loop.time() - start < 15
        assert "no_session" in _cut_reasons(caplog)


async def test_a_web_slowloris_is_cut_off_at_the_line_deadline(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.INFO, logger="mud.net")
    async with running_server(_fast_config(tmp_path)) as srv:
        player = await WebPlayer.connect(srv.web_port)
        await player.expect("What is your name")
        async with asyncio.timeout(15):
            try:
                while True:
                    await player.ws.send(b"a")
                    await asyncio.sleep(0.3)
            except websockets.ConnectionClosed:
                pass
        assert "slow_line" in _cut_reasons(caplog)
