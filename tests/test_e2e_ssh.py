"""The SSH door over loopback with asyncssh's real client."""

from __future__ import annotations

import os
import stat
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

from mud.app import StartupError


async def test_guest_login_then_key_registration_then_key_login(tmp_path: Path) -> None:
    key = asyncssh.generate_private_key("ssh-ed25519")
    public = key.export_public_key("openssh").decode().strip()
    async with running_server(make_config(tmp_path)) as srv:
        guest = await SshPlayer.connect(srv.ssh_port, "play")
        await login_new(guest, "Alice")
        guest.send(f"keys add {public}")
        await guest.expect("added")
        guest.send("keys")
        await guest.expect(key.get_fingerprint("sha256").replace("+", r"\+"))
        guest.send("quit")
        await guest.expect("Farewell")
        await guest.close()

        keyed = await SshPlayer.connect(srv.ssh_port, "alice", client_keys=[key])
        await keyed.expect("Exits:")  # straight in: no name, no password
        assert "What is your name" not in keyed.seen
        await keyed.close()


async def test_password_fallback_and_wrong_password(tmp_path: Path) -> None:
    async with running_server(make_config(tmp_path)) as srv:
        telnet = await TelnetPlayer.connect(srv.telnet_port)
        await login_new(telnet, "Bob", "hunter-two")
        telnet.send("quit")
        await telnet.closed()
        with pytest.raises(asyncssh.PermissionDenied):
            await SshPlayer.connect(srv.ssh_port, "bob", password="not-it")
        player = await SshPlayer.connect(srv.ssh_port, "bob", password="hunter-two")
        await player.expect("Exits:")
        await player.close()


async def test_exec_sftp_and_forwarding_are_refused(tmp_path: Path) -> None:
    async with running_server(make_config(tmp_path)) as srv:
        async with asyncssh.connect(
            "127.0.0.1", srv.ssh_port, username="play", known_hosts=None, agent_path=None
        ) as conn:
            with pytest.raises(asyncssh.ChannelOpenError):
                await conn.run("cat /etc/passwd", check=False, timeout=5)
            with pytest.raises((asyncssh.ChannelOpenError, asyncssh.SFTPError)):
                await conn.start_sftp_client()
            with pytest.raises(asyncssh.ChannelOpenError):
                await conn.open_connection("127.0.0.1", srv.telnet_port)


async def test_no_pty_plays_in_plain_text(tmp_path: Path) -> None:
    async with running_server(make_config(tmp_path)) as srv:
        player = await SshPlayer.connect(srv.ssh_port, "play", term=None)
        await login_new(player, "Cara")
        player.send("look")
        await player.expect("Exits:")
        assert "\x1b[" not in player.seen
        await player.close()


async def test_host_key_is_created_once_private_and_reused(tmp_path: Path) -> None:
    config = make_config(tmp_path)
    key_file = Path(config.host_keys) / "ssh_host_ed25519_key"
    fingerprints = []
    for _ in range(2):
        async with running_server(config) as srv:
            async with asyncssh.connect(
                "127.0.0.1", srv.ssh_port, username="play", known_hosts=None, agent_path=None
            ) as conn:
                fingerprints.append(conn.get_server_host_key().get_fingerprint("sha256"))
    assert fingerprints[0] == fingerprints[1]
    assert stat.S_IMODE(os.stat(key_file).st_mode) == 0o600


async def test_corrupt_host_key_stops_startup_with_a_clear_message(tmp_path: Path) -> None:
    config = make_config(tmp_path)
    folder = Path(config.host_keys)
    folder.mkdir()
    (folder / "ssh_host_ed25519_key").write_text("this is not a key\n")
    with pytest.raises(StartupError, match="corrupt"):
        async with running_server(config):
            pass
    assert (
        folder / "ssh_host_ed25519_key"
    ).read_text() == "this is not a key\n"  # never overwritten


async def test_ssh_and_telnet_players_share_a_room(tmp_path: Path) -> None:
    async with running_server(make_config(tmp_path)) as srv:
        tel = await TelnetPlayer.connect(srv.telnet_port)
        await login_new(tel, "Dora")
        ssh = await SshPlayer.connect(srv.ssh_port, "play")
        await login_new(ssh, "Eli")
        await tel.expect("Eli steps into view")
        ssh.send("say hello from ssh")
        await tel.expect("Eli says, 'hello from ssh'")
        tel.send("say and hello from telnet")
        await ssh.expect("Dora says, 'and hello from telnet'")
        await ssh.close()
        await tel.close()


async def test_takeover_across_doors(tmp_path: Path) -> None:
    async with running_server(make_config(tmp_path)) as srv:
        first = await TelnetPlayer.connect(srv.telnet_port)
        await login_new(first, "Finn")
        second = await SshPlayer.connect(srv.ssh_port, "play")
        await login_existing(second, "Finn")
        await first.expect("taken over")
        await first.closed()
        second.send("look")
        await second.expect("Exits:")
        await second.close()


async def test_pty_terminal_type_decides_the_colour_depth(tmp_path: Path) -> None:
    async with running_server(make_config(tmp_path)) as srv:
        rich = await SshPlayer.connect(srv.ssh_port, "play", term="xterm-256color")
        await rich.expect("What is your name")
        assert "\x1b[0;1;38;5;" in rich.seen or "\x1b[0;38;5;" in rich.seen  # 256-colour palette
        await rich.close()
        basic = await SshPlayer.connect(srv.ssh_port, "play", term="linux")
        await basic.expect("What is your name")
        assert "\x1b[" in basic.seen and "38;5;" not in basic.seen  # 16 colours
        await basic.close()
        dumb = await SshPlayer.connect(srv.ssh_port, "play", term="dumb")
        await dumb.expect("What is your name")
        assert "\x1b[" not in dumb.seen  # plain text
        await dumb.close()


async def test_window_change_rewraps_output(tmp_path: Path) -> None:
    async with running_server(make_config(tmp_path)) as srv:
        player = await SshPlayer.connect(srv.ssh_port, "play", term="vt100", size=(100, 30))
        await login_new(player, "Gwen")
        player.send("look")
        wide = await player.expect(r"Exits:")
        assert max(len(line) for line in wide.splitlines()) > 60
        player.process.change_terminal_size(40, 30)
        player.send("look")
        narrow = await player.expect(r"Exits:")
        body = [line for line in narrow.splitlines() if line.strip() and "look" not in line]
        assert body and max(len(line) for line in body) <= 40
        await player.close()
