"""Typing ahead through the real doors: one write carrying a whole login, as pastes,
scripts and the auto-login of Mudlet and TinTin++ send it (telnetlib3 and asyncssh
clients against the real server; issue 8, "Input typed ahead is thrown away")."""

from __future__ import annotations

import asyncio
import shutil
from pathlib import Path

import asyncssh
import pytest
from mudclient import SshPlayer, TelnetPlayer, make_config, plain, running_server

CREATE = "Name\r\nyes\r\npassword\r\npassword\r\nfighter\r\nsay hi\r\nquit\r\n"


async def test_telnet_one_write_creates_says_and_quits(tmp_path: Path) -> None:
    async with running_server(make_config(tmp_path)) as server:
        player = await TelnetPlayer.connect(server.telnet_port)
        player.writer.write(CREATE)
        await player.expect("You are Name the")
        await player.expect("You say, 'hi'")
        out = await player.closed()
        assert "Farewell" in out
        assert "password\r\n" not in player.seen  # the server never echoes it back


async def _ssh_piped(port: int, text: str) -> str:
    """Like ``printf text | ssh -T -p port play@host``: no PTY, one write, then EOF."""
    async with asyncssh.connect(
        "127.0.0.1",
        port,
        username="play",
        known_hosts=None,
        agent_path=None,
        preferred_auth="none",
    ) as conn:
        process = await conn.create_process(term_type=None)
        process.stdin.write(text)
        process.stdin.write_eof()
        async with asyncio.timeout(20):
            out: str = await process.stdout.read()
        return plain(out)


async def test_ssh_piped_without_pty_creates_says_and_quits(tmp_path: Path) -> None:
    async with running_server(make_config(tmp_path)) as server:
        out = await _ssh_piped(server.ssh_port, CREATE.replace("\r\n", "\n"))
        assert "You are Name the" in out
        assert "You say, 'hi'" in out
        assert "Farewell" in out


async def test_ssh_piped_input_ending_without_quit_is_still_answered(tmp_path: Path) -> None:
    """EOF right after the input: every line is answered, then the session ends."""
    async with running_server(make_config(tmp_path)) as server:
        await _ssh_piped(server.ssh_port, CREATE.replace("\r\n", "\n"))
        out = await _ssh_piped(server.ssh_port, "Name\npassword\nsay back again\n")
        assert "You say, 'back again'" in out


async def test_auto_login_in_one_write_like_mudlet_and_tintin(tmp_path: Path) -> None:
    async with running_server(make_config(tmp_path)) as server:
        first = await TelnetPlayer.connect(server.telnet_port)
        first.writer.write(CREATE)
        await first.closed()
        # An auto-login script sends name and password the moment the socket opens,
        # before any prompt; then the player's first command.
        player = await TelnetPlayer.connect(server.telnet_port)
        player.writer.write("name\r\npassword\r\nlook\r\nsay ready\r\n")
        await player.expect("Exits:")
        await player.expect("You say, 'ready'")
        await player.close()


async def test_lines_typed_during_a_take_over_are_kept(tmp_path: Path) -> None:
    async with running_server(make_config(tmp_path)) as server:
        first = await TelnetPlayer.connect(server.telnet_port)
        first.writer.write(CREATE.replace("quit\r\n", ""))
        await first.expect("You say, 'hi'")
        watcher = await SshPlayer.connect(server.ssh_port, term=None)
        watcher.process.stdin.write("Watcher\nyes\npassword\npassword\n2\n")
        await watcher.expect("Exits:")
        # A second connection logs in as Name with everything in one write: the old
        # connection is taken over, and every line after the password still runs.
        second = await TelnetPlayer.connect(server.telnet_port)
        second.writer.write("Name\r\npassword\r\nsay one\r\nsay two\r\nsay three\r\n")
        await second.expect("take over your character")
        for word in ("one", "two", "three"):
            await second.expect(f"You say, '{word}'")
            await watcher.expect(f"Name says, '{word}'")
        await first.expect("taken over")
        await second.close()
        await watcher.close()


async def test_a_typed_ahead_session_replays_identically(tmp_path: Path) -> None:
    """Lines handled when a busy login answers are recorded as their own events, in
    the order they ran, so ``mud replay`` reproduces the session."""
    from mud.replay import load_events, replay

    config = make_config(tmp_path)
    async with running_server(config) as server:
        first = await TelnetPlayer.connect(server.telnet_port)
        first.writer.write(CREATE.replace("quit\r\n", ""))
        await first.expect("You say, 'hi'")
        second = await TelnetPlayer.connect(server.telnet_port)
        second.writer.write("Name\r\npassword\r\nsay taken\r\nroll 4d6kh3\r\nquit\r\n")
        await second.expect("You say, 'taken'")
        await second.closed()
        await _ssh_piped(server.ssh_port, "Other\nyes\npassword\npassword\n3\nsay piped\n")
    events = await load_events(config.db)
    assert [e for e in events if e.kind == "line"], "no line events recorded"
    result = await replay(events)
    assert result.ok, result.first


TINTIN = shutil.which("tt++") or shutil.which("/usr/games/tt++")


@pytest.mark.skipif(not TINTIN, reason="needs TinTin++ (tt++)")
async def test_tintin_auto_login_sends_name_and_password_at_once(tmp_path: Path) -> None:
    """TinTin++'s usual auto-login: #send the name and the password straight after
    #session, without waiting for any prompt."""
    assert TINTIN
    script = tmp_path / "auto.tin"
    async with running_server(make_config(tmp_path)) as server:
        first = await TelnetPlayer.connect(server.telnet_port)
        first.writer.write(CREATE)
        await first.closed()
        script.write_text(
            # TinTin++ runs an action before it shows the line: mark it, then leave.
            "#action {You say, 'from tintin'} {#showme SAW-THE-SAY;#end}\n"
            f"#session mud 127.0.0.1 {server.telnet_port}\n"
            "#send Name\n#send password\n#send say from tintin\n"
        )
        proc = await asyncio.create_subprocess_exec(
            TINTIN, "-G", "-H", "-e", f"#read {script}",
            # An open stdin: at end of input TinTin++ would quit at once.
            stdin=asyncio.subprocess.PIPE,
            stdout=asyncio.subprocess.PIPE,
            stderr=asyncio.subprocess.STDOUT,
        )  # fmt: skip
        assert proc.stdout is not None
        try:
            async with asyncio.timeout(20):
                out_bytes = await proc.stdout.read()  # until #end closes it
        finally:
            if proc.returncode is None:
                proc.kill()
            await proc.wait()
        out = plain(out_bytes.decode("utf-8", "replace"))
        assert "Exits:" in out
        assert "SAW-THE-SAY" in out, out[-3000:]
