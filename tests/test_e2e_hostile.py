"""Hostile clients against the real server over real sockets (issue: one socket must
never stall the world). Each test attacks the doors the way the audit did."""

from __future__ import annotations

import asyncio
import contextlib
import gc
import logging
import re
import socket
from pathlib import Path

import asyncssh
import pytest
from mudclient import SshPlayer, TelnetPlayer, login_new, make_config, running_server

IAC, SB, SE, GMCP = 255, 250, 240, 201


async def _all_it_says(port: int) -> bytes:
    """Connect to ``port`` and read until the server closes (10 s at most)."""
    reader, writer = await asyncio.open_connection("127.0.0.1", port)
    data = b""
    async with asyncio.timeout(10):
        while chunk := await reader.read(4096):
            data += chunk
    writer.close()
    return data


async def _stream_until_cut_off(port: int, head: bytes, body: bytes, limit: int) -> int:
    """Send ``head`` then ``body`` over and over until the server cuts the connection;
    returns the bytes sent. Fails if ``limit`` bytes were accepted without a cut."""
    reader, writer = await asyncio.open_connection("127.0.0.1", port)
    sent = 0
    try:
        writer.write(head)
        async with asyncio.timeout(60):
            while sent < limit:
                writer.write(body)
                sent += len(body)
                await writer.drain()
                if reader.at_eof():
                    break
                # Let the server's answer (or its reset) come in.
                with contextlib.suppress(TimeoutError):
                    async with asyncio.timeout(0.001):
                        await reader.read(65536)
    except (ConnectionResetError, BrokenPipeError, ConnectionAbortedError):
        return sent
    finally:
        writer.close()
    if sent >= limit:
        raise AssertionError(f"{sent} bytes accepted and the connection is still open")
    return sent


async def test_endless_subnegotiation_is_cut_off_and_players_keep_playing(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.INFO, logger="mud.net")
    async with running_server(make_config(tmp_path)) as srv:
        alice = await TelnetPlayer.connect(srv.telnet_port)
        await login_new(alice, "Alice")
        sent = await _stream_until_cut_off(
            srv.telnet_port, bytes((IAC, SB, GMCP)), b"x" * 65536, limit=8 << 20
        )
        assert sent < 8 << 20
        # Logged as an operator event with the address (fail2ban can act on it).
        cuts = [r for r in caplog.records if getattr(r, "mud_event", "") == "conn_cut_off"]
        assert cuts and cuts[0].mud_fields["addr"] == "127.0.0.1"
        alice.send("say still here")
        await alice.expect("You say, 'still here'")
        await alice.close()


async def test_nul_separated_bytes_meet_the_line_cap(tmp_path: Path) -> None:
    async with running_server(make_config(tmp_path)) as srv:
        alice = await TelnetPlayer.connect(srv.telnet_port)
        await login_new(alice, "Alice")
        sent = await _stream_until_cut_off(
            srv.telnet_port, b"", (b"A" * 1000 + b"\x00") * 16, limit=8 << 20
        )
        assert sent < 8 << 20
        alice.send("say still here")
        await alice.expect("You say, 'still here'")
        await alice.close()


async def test_a_nul_inside_a_line_is_removed_and_never_splits_it(tmp_path: Path) -> None:
    async with running_server(make_config(tmp_path)) as srv:
        alice = await TelnetPlayer.connect(srv.telnet_port)
        await login_new(alice, "Alice")
        alice.send("say before-nul\x00after-nul")
        await alice.expect("You say, 'before-nulafter-nul'")
        await alice.close()


async def test_http_on_the_telnet_port_gets_a_hint_and_is_closed(tmp_path: Path) -> None:
    async with running_server(make_config(tmp_path)) as srv:
        reader, writer = await asyncio.open_connection("127.0.0.1", srv.telnet_port)
        writer.write(b"GET / HTTP/1.1\r\nHost: 127.0.0.1\r\nUser-Agent: test\r\n\r\n")
        data = b""
        async with asyncio.timeout(10):
            while chunk := await reader.read(4096):
                data += chunk
        writer.close()
        text = data.decode("latin-1")
        assert "HTTP/1.0 400" in text
        assert "telnet MUD" in text
        assert f"telnet 127.0.0.1 {srv.telnet_port}" in text
        assert f"ssh -p {srv.ssh_port} play@127.0.0.1" in text
        assert "What is your name" not in text


async def test_ssh_connections_without_a_session_count_toward_the_caps(tmp_path: Path) -> None:
    config = make_config(tmp_path, limits={"max_per_ip": 3})
    async with running_server(config) as srv:
        silent = []
        for _ in range(3):
            silent.append(
                await asyncssh.connect(
                    "127.0.0.1", srv.ssh_port, username="play", known_hosts=None, agent_path=None
                )
            )
        # A fourth connection from the same address, through either door, is refused.
        reader, writer = await asyncio.open_connection("127.0.0.1", srv.telnet_port)
        data = b""
        async with asyncio.timeout(10):
            while chunk := await reader.read(4096):
                data += chunk
        writer.close()
        assert b"Too many connections" in data
        with pytest.raises((asyncssh.Error, OSError)):
            async with asyncio.timeout(10):
                extra = await asyncssh.connect(
                    "127.0.0.1", srv.ssh_port, username="play", known_hosts=None, agent_path=None
                )
                # Refused after the handshake started: opening anything fails.
                await extra.create_process(term_type="xterm")
        for conn in silent:
            conn.close()
        for conn in silent:
            await conn.wait_closed()
        # Their slots come back once they are gone.
        async with asyncio.timeout(10):
            while True:
                player = await TelnetPlayer.connect(srv.telnet_port)
                first = await player.expect("What is your name|Too many", timeout=10)
                if "What is your name" in first:
                    break
                await player.close()
                await asyncio.sleep(0.05)
        await player.close()


async def test_ssh_connection_that_opens_no_session_is_closed_at_the_deadline(
    tmp_path: Path,
) -> None:
    config = make_config(tmp_path, limits={"login_deadline": 1.0})
    async with running_server(config) as srv:
        conn = await asyncssh.connect(
            "127.0.0.1", srv.ssh_port, username="play", known_hosts=None, agent_path=None
        )
        async with asyncio.timeout(15):
            await conn.wait_closed()


async def test_a_silent_telnet_socket_counts_from_the_first_moment(tmp_path: Path) -> None:
    # connect_maxwait is long: the silent sockets have not reached the game yet.
    config = make_config(tmp_path, limits={"max_per_ip": 2}, telnet={"connect_maxwait": 30.0})
    async with running_server(config) as srv:
        held = [socket.create_connection(("127.0.0.1", srv.telnet_port)) for _ in range(2)]
        try:
            assert b"Too many connections" in await _all_it_says(srv.telnet_port)
        finally:
            for sock in held:
                sock.close()


async def test_connections_refused_at_the_cap_leave_nothing_behind(tmp_path: Path) -> None:
    # The soak found RSS growing with every refusal: telnetlib3 kept each refused
    # connection's protocol in its client list for the life of the server.
    from mud.net.telnet import _Protocol

    config = make_config(tmp_path, limits={"max_per_ip": 2}, telnet={"connect_maxwait": 30.0})
    async with running_server(config) as srv:
        held = [socket.create_connection(("127.0.0.1", srv.telnet_port)) for _ in range(2)]
        try:
            for _ in range(60):
                reader, writer = await asyncio.open_connection("127.0.0.1", srv.telnet_port)
                async with asyncio.timeout(10):
                    while await reader.read(4096):
                        pass
                writer.close()
            await asyncio.sleep(0.2)
            gc.collect()
            alive = sum(isinstance(o, _Protocol) for o in gc.get_objects())
            assert alive <= 5, f"{alive} telnet protocols alive after 60 refusals"
        finally:
            for sock in held:
                sock.close()


async def test_connections_that_were_greeted_and_closed_leave_nothing_behind(
    tmp_path: Path,
) -> None:
    # After an attack the server's memory stayed 11 MiB up: telnetlib3 queues every
    # negotiated connection for a wait_for_client() the door never calls (up to 1,000),
    # which kept the last thousand connections' protocols, writers and sessions alive.
    from mud.net.telnet import _Protocol

    config = make_config(tmp_path, telnet={"connect_maxwait": 0.2})
    async with running_server(config) as srv:
        for _ in range(40):
            reader, writer = await asyncio.open_connection("127.0.0.1", srv.telnet_port)
            async with asyncio.timeout(10):
                data = b""
                while b"What is your name?" not in data:
                    data += await reader.read(4096)
            writer.close()
        await asyncio.sleep(0.5)
        gc.collect()
        alive = sum(isinstance(o, _Protocol) for o in gc.get_objects())
        assert alive <= 5, f"{alive} telnet protocols alive after 40 closed connections"


async def test_a_dropped_slow_reader_is_reset_not_closed_gracefully(tmp_path: Path) -> None:
    config = make_config(
        tmp_path,
        telnet={
            "connect_maxwait": 0.5,
            "max_outbox": 32 * 1024,
            "sndbuf": 8192,
            "input_burst": 1 << 20,
        },
        limits={"flood_burst": 5000},
    )
    async with running_server(config) as srv:
        alice = await TelnetPlayer.connect(srv.telnet_port)
        await login_new(alice, "Alice")
        reader, writer = await _raw_player(srv.telnet_port, "Sloth")
        writer.transport.pause_reading()  # type: ignore[attr-defined]
        await alice.expect("Sloth steps into view")
        for i in range(300):
            alice.send(f"say filler line {i} " + "x" * 450)
        await alice.expect("filler line 299", timeout=60)
        alice.send("who")
        await alice.expect(r"Name[\s\S]*?>", timeout=10)
        # The server cut the sloth off: what it had not read is gone, and the socket was
        # reset (an abort), not closed gracefully behind megabytes of buffered text.
        writer.transport.resume_reading()  # type: ignore[attr-defined]
        with pytest.raises(ConnectionResetError):
            async with asyncio.timeout(20):
                while await reader.read(65536):
                    pass
        writer.close()
        await alice.close()


async def test_ssh_input_is_flow_controlled_not_dropped(tmp_path: Path) -> None:
    config = make_config(tmp_path, limits={"flood_burst": 5000, "flood_rate": 1000.0})
    async with running_server(config) as srv:
        player = await SshPlayer.connect(srv.ssh_port, "play", term=None)
        await login_new(player, "Flo")
        player.process.stdin.write("".join(f"say burst {i}\n" for i in range(400)))
        await player.expect("You say, 'burst 399'", timeout=60)
        await player.close()


async def test_a_burst_of_ssh_window_resizes_keeps_the_session(tmp_path: Path) -> None:
    async with running_server(make_config(tmp_path)) as srv:
        player = await SshPlayer.connect(srv.ssh_port, "play", term="vt100", size=(100, 30))
        await login_new(player, "Rhea")
        for i in range(100):
            player.process.change_terminal_size(60 + i % 40, 30)
        player.process.change_terminal_size(45, 30)
        player.send("say resized")
        await player.expect("You say, 'resized'")
        player.send("look")
        narrow = await player.expect(r"Exits:")
        body = [line for line in narrow.splitlines() if line.strip() and "look" not in line]
        assert body and max(len(line) for line in body) <= 45
        player.send("say still here")
        await player.expect("You say, 'still here'")
        await player.close()


async def test_a_one_column_ssh_window_is_clamped_to_twenty(tmp_path: Path) -> None:
    async with running_server(make_config(tmp_path)) as srv:
        player = await SshPlayer.connect(srv.ssh_port, "play", term="vt100", size=(80, 24))
        await login_new(player, "Tiny")
        player.process.change_terminal_size(1, 1)
        player.send("say one two three four five six seven")
        said = await player.expect(r"seven'")
        # Wrapped at 2 columns, no line would hold two words.
        assert any(len(line.strip()) >= 15 for line in said.splitlines())
        await player.close()


async def test_silent_web_sockets_count_toward_the_caps_of_every_door(tmp_path: Path) -> None:
    config = make_config(tmp_path, limits={"max_per_ip": 2})
    async with running_server(config) as srv:
        held = [socket.create_connection(("127.0.0.1", srv.web_port)) for _ in range(2)]
        try:
            reader, writer = await asyncio.open_connection("127.0.0.1", srv.telnet_port)
            data = b""
            async with asyncio.timeout(10):
                while chunk := await reader.read(4096):
                    data += chunk
            writer.close()
            assert b"Too many connections" in data
            reader, writer = await asyncio.open_connection("127.0.0.1", srv.web_port)
            writer.write(b"GET / HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n")
            data = b""
            async with asyncio.timeout(10):
                while chunk := await reader.read(4096):
                    data += chunk
            writer.close()
            assert data.startswith(b"HTTP/1.1 503")
        finally:
            for sock in held:
                sock.close()


async def test_http_hint_names_the_browser_door_when_there_is_one(tmp_path: Path) -> None:
    async with running_server(make_config(tmp_path)) as srv:
        reader, writer = await asyncio.open_connection("127.0.0.1", srv.telnet_port)
        writer.write(b"GET /favicon.ico HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n")
        data = b""
        async with asyncio.timeout(10):
            while chunk := await reader.read(4096):
                data += chunk
        writer.close()
        assert f"http://127.0.0.1:{srv.web_port}/".encode() in data


async def test_an_ssh_client_that_stops_reading_is_cut_off(tmp_path: Path) -> None:
    config = make_config(
        tmp_path,
        telnet={"connect_maxwait": 0.5, "input_burst": 4 << 20},
        limits={"flood_burst": 5000, "flood_rate": 1000.0},
    )
    async with running_server(config) as srv:
        alice = await TelnetPlayer.connect(srv.telnet_port)
        await login_new(alice, "Alice")
        conn = await asyncssh.connect(
            "127.0.0.1",
            srv.ssh_port,
            username="play",
            known_hosts=None,
            agent_path=None,
            window=8192,  # a small SSH window: the server's output backs up at once
        )
        sloth = SshPlayer(conn, await conn.create_process(term_type="vt100"), pty=True)
        await login_new(sloth, "Sloth")
        await alice.expect("Sloth steps into view")
        sloth.process.stdout.channel.pause_reading()
        for i in range(1000):
            alice.send(f"say filler line {i} " + "x" * 450)
        await alice.expect("filler line 999", timeout=60)
        async with asyncio.timeout(30):
            await conn.wait_closed()
        alice.send("say still here")
        await alice.expect("You say, 'still here'")
        await alice.close()


async def _raw_player(
    port: int, name: str, rcvbuf: int = 4096
) -> tuple[asyncio.StreamReader, asyncio.StreamWriter]:
    """A raw telnet socket (every option left unanswered) logged in as a new ``name``;
    a small receive buffer keeps the client's kernel from soaking up output."""
    sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, rcvbuf)
    sock.connect(("127.0.0.1", port))
    sock.setblocking(False)
    reader, writer = await asyncio.open_connection(sock=sock)
    steps = (
        ("What is your name?", name),
        ("(yes/no)", "yes"),
        ("Password:", "secret-pass"),
        ("Repeat", "secret-pass"),
        ("Your class:", "fighter"),
        ("Exits:", ""),
    )
    for wait, line in steps:
        async with asyncio.timeout(10):
            data = b""
            while wait.encode() not in data:
                data += await reader.read(4096)
        if line:
            writer.write(line.encode() + b"\r\n")
    return reader, writer


async def _link_dead(player: TelnetPlayer, name: str, deadline: float) -> bool:
    """Whether ``who`` shows ``name`` link-dead (or gone) within ``deadline`` seconds."""
    async with asyncio.timeout(deadline):
        while True:
            player.send("who")
            who = await player.expect(r"Name[\s\S]*?>", timeout=10)
            row = next((line for line in who.splitlines() if name in line), "")
            if not row or "link-dead" in row:
                return True
            await asyncio.sleep(0.5)


async def test_a_client_that_reads_nothing_is_cut_once_its_backlog_passes_the_bound(
    tmp_path: Path,
) -> None:
    # About 130 KB of chat reaches a client that reads nothing: with the kernel's
    # default buffers that all fits in the client's receive buffer, our send buffer and
    # the transport's, so the outbox never fills and nothing waits on a drain. The
    # backlog is twice stall_backlog (64 KiB): it must be cut within stall_deadline.
    config = make_config(
        tmp_path,
        telnet={"connect_maxwait": 0.5, "input_burst": 1 << 20, "stall_deadline": 1.0},
        limits={"flood_burst": 5000, "flood_rate": 1000.0},
    )
    async with running_server(config) as srv:
        alice = await TelnetPlayer.connect(srv.telnet_port)
        await login_new(alice, "Alice")
        reader, writer = await _raw_player(srv.telnet_port, "Sloth")
        writer.transport.pause_reading()  # type: ignore[attr-defined]
        await alice.expect("Sloth steps into view")
        for i in range(260):
            alice.send(f"say filler line {i} " + "x" * 450)
        await alice.expect("filler line 259", timeout=60)
        assert await _link_dead(alice, "Sloth", deadline=30)
        # Cut off with a reset: what it had not read is gone.
        writer.transport.resume_reading()  # type: ignore[attr-defined]
        with pytest.raises(ConnectionResetError):
            async with asyncio.timeout(20):
                while await reader.read(65536):
                    pass
        writer.close()
        alice.send("say still here")
        await alice.expect("You say, 'still here'")
        await alice.close()


async def test_a_slow_but_steady_reader_is_never_cut(tmp_path: Path) -> None:
    # The same burst to a client on a slow line that reads 1 KB every 40 ms (about a
    # 256 kbit/s link): its backlog stays over stall_backlog for seconds and the outbox
    # waits on drains longer than stall_deadline, but it takes bytes all the time.
    config = make_config(
        tmp_path,
        telnet={
            "connect_maxwait": 0.5,
            "input_burst": 1 << 20,
            "sndbuf": 8192,
            "stall_deadline": 1.0,
        },
        limits={"flood_burst": 5000, "flood_rate": 1000.0},
    )
    async with running_server(config) as srv:
        alice = await TelnetPlayer.connect(srv.telnet_port)
        await login_new(alice, "Alice")
        reader, writer = await _raw_player(srv.telnet_port, "Snail")
        await alice.expect("Snail steps into view")
        got = bytearray()

        async def read_slowly() -> None:
            while b"filler line 259" not in got:
                chunk = await reader.read(1024)
                if not chunk:
                    raise AssertionError("the slow reader was cut off")
                got.extend(chunk)
                await asyncio.sleep(0.04)

        reading = asyncio.create_task(read_slowly())
        for i in range(260):
            alice.send(f"say filler line {i} " + "x" * 450)
        await alice.expect("filler line 259", timeout=60)
        async with asyncio.timeout(60):
            await reading
        said = {int(n) for n in re.findall(rb"filler line (\d+)", bytes(got))}
        assert said == set(range(260))  # every line, none dropped
        writer.write(b"say made it\r\n")
        async with asyncio.timeout(10):
            while b"made it" not in got[-400:]:
                got.extend(await reader.read(4096))
        writer.close()
        await alice.close()


async def test_at_the_connection_cap_silent_sockets_make_room_for_a_player(
    tmp_path: Path,
) -> None:
    # Played by a griefer: 1,000 silent sockets from many addresses held the global cap
    # for the login deadline, and every player after them was told "Too many
    # connections from your address". Now the oldest silent one makes room.
    config = make_config(
        tmp_path,
        limits={"max_connections": 4, "evict_after": 0.3},
        telnet={"connect_maxwait": 30.0},
    )
    async with running_server(config) as srv:
        alice = await TelnetPlayer.connect(srv.telnet_port)
        await login_new(alice, "Alice")
        held = [socket.create_connection(("127.0.0.1", srv.telnet_port)) for _ in range(3)]
        try:
            # Full, and the silent ones too young: refused, and told the server is full.
            data = await _all_it_says(srv.telnet_port)
            assert b"The server is full. Try again in a minute." in data
            await asyncio.sleep(0.5)
            bob = await TelnetPlayer.connect(srv.telnet_port)
            await login_new(bob, "Bob")
            first = held[0]
            first.settimeout(10)
            told = b""
            while chunk := first.recv(4096):
                told += chunk
            assert b"The server is full, and this connection had not logged in." in told
            # The player who was in keeps playing, and sees the newcomer.
            alice.send("look")
            await alice.expect("Bob")
            bob.send("say hello")
            await alice.expect("Bob says, 'hello'")
        finally:
            for sock in held:
                sock.close()
        await alice.close()
        await bob.close()


async def test_a_silent_socket_on_any_door_makes_room_for_an_ssh_player(tmp_path: Path) -> None:
    config = make_config(tmp_path, limits={"max_connections": 3, "evict_after": 0.3})
    async with running_server(config) as srv:
        alice = await TelnetPlayer.connect(srv.telnet_port)
        await login_new(alice, "Alice")
        held = [
            socket.create_connection(("127.0.0.1", srv.ssh_port)),
            socket.create_connection(("127.0.0.1", srv.web_port)),
        ]
        try:
            await asyncio.sleep(0.5)
            bob = await SshPlayer.connect(srv.ssh_port)
            await login_new(bob, "Bob")
            bob.send("say hello")
            await alice.expect("Bob says, 'hello'")
            # The older of the two silent sockets (the SSH one) made room: it is reset,
            # as an SSH connection refused before its handshake is.
            held[0].settimeout(10)
            with pytest.raises(ConnectionResetError):
                while held[0].recv(4096):
                    pass
        finally:
            for sock in held:
                sock.close()
        await alice.close()
        await bob.close()


async def test_a_burst_of_lines_is_cut_off_once_and_players_keep_playing(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    # Played by a griefer: 60 KB of one-letter lines at once, again every second; each
    # of 8,000 lines in the game's inbox logged "flooding" (22 MB of log in 20 s), and
    # a player's look took half a second.
    caplog.set_level(logging.INFO, logger="mud.hub")
    async with running_server(make_config(tmp_path)) as srv:
        alice = await TelnetPlayer.connect(srv.telnet_port)
        await login_new(alice, "Alice")
        for _ in range(3):
            reader, writer = await asyncio.open_connection("127.0.0.1", srv.telnet_port)
            writer.write(b"a\r\n" * 20000)
            data = b""
            with contextlib.suppress(ConnectionError):
                async with asyncio.timeout(10):
                    while chunk := await reader.read(65536):
                        data += chunk
            writer.close()
            assert b"You are sending too fast. Goodbye." in data
        flooding = [r for r in caplog.records if "flooding" in r.getMessage()]
        assert len(flooding) == 3
        alice.send("say still here")
        await alice.expect("You say, 'still here'")
        await alice.close()
