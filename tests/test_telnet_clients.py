"""Real telnet clients against the telnet door: telnetlib3 (GMCP), inetutils telnet under
tmux, TinTin++ headless, and an MSSP crawler against the whole server.

The external programs are optional: their tests skip cleanly when they are missing
(``apt-get install inetutils-telnet tintin++ tmux``). Each client first meets the door
alone, with a small scripted "hub" (``EchoSink``) so the assertions can see exactly what
the door reported (TermInfo) and what the client displayed.
"""

from __future__ import annotations

import asyncio
import contextlib
import os
import re
import shutil
from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

import pytest
import telnetlib3
from mudclient import TelnetPlayer, login_new, make_config, running_server

from mud.core.events import Connected, LineIn
from mud.core.outputs import Doc
from mud.net.session import ConnIds
from mud.net.telnet import TelnetDoor, TelnetSettings

TMUX = shutil.which("tmux")
TELNET = shutil.which("telnet") or shutil.which("inetutils-telnet")
TINTIN = shutil.which("tt++") or shutil.which("/usr/games/tt++")
TRUE_COLOUR = 16_777_216
WELCOME = "“Welcome” — to the echo… ┌──┐ café"


class EchoSink:
    """A scripted hub: greets, echoes each line, and sends Room.Info as if walking."""

    def __init__(self) -> None:
        self.sessions: dict[int, Any] = {}
        self.connected: asyncio.Queue[Connected] = asyncio.Queue(maxsize=100)
        self.lines: asyncio.Queue[str] = asyncio.Queue(maxsize=100)
        self.room = 1

    def attach(self, session: Any) -> None:
        self.sessions[session.conn] = session

    async def post(self, event: object) -> None:
        if isinstance(event, Connected):
            session = self.sessions[event.conn]
            session.send(Doc.text(WELCOME))
            session.data("Room.Info", {"num": self.room, "name": "Hall", "exits": {"n": 2}})
            session.prompt("echo>")
            await self.connected.put(event)
        elif isinstance(event, LineIn):
            session = self.sessions[event.conn]
            self.room += 1
            session.send(Doc.text(f"You said: {event.text}"))
            session.data("Room.Info", {"num": self.room, "name": f"Room {self.room}"})
            session.prompt("echo>")
            await self.lines.put(event.text)


@contextlib.asynccontextmanager
async def echo_door() -> AsyncIterator[tuple[TelnetDoor, EchoSink]]:
    sink = EchoSink()
    door = TelnetDoor(
        TelnetSettings(host="127.0.0.1", port=0, connect_maxwait=1.0), sink, ConnIds()
    )
    await door.start()
    try:
        yield door, sink
    finally:
        door.stop_accepting()
        await door.close(2.0)


async def wait_until(check: Any, deadline: float, what: str) -> None:
    async with asyncio.timeout(deadline):
        while not check():
            await asyncio.sleep(0.05)  # polling an external program's screen


# -- telnetlib3 (a GMCP-capable client library) ----------------------------------------


async def test_telnetlib3_client_subscribes_and_follows_room_info() -> None:
    async with echo_door() as (door, sink):
        reader, writer = await telnetlib3.open_connection(
            "127.0.0.1", door.port, term="xterm-256color", connect_maxwait=1.0
        )
        event = await asyncio.wait_for(sink.connected.get(), 5)
        assert event.term.term == "xterm-256color"
        gmcp = writer.ctx.gmcp_data
        # The client sends Core.Hello and Core.Supports.Set once the server offers GMCP;
        # Room.Info flows as soon as it is subscribed.
        writer.write("north\r\n")
        await asyncio.wait_for(sink.lines.get(), 5)
        await wait_until(lambda: gmcp.get("Room.Info", {}).get("num") == 2, 5, "Room.Info")
        writer.write("south\r\n")
        await wait_until(lambda: gmcp["Room.Info"].get("num") == 3, 5, "Room.Info 3")
        assert gmcp["Room.Info"]["name"] == "Room 3"
        text = ""
        async with asyncio.timeout(5):
            while "You said: south" not in text:
                text += await reader.read(4096)
        writer.close()


# -- the whole server ------------------------------------------------------------------


async def test_room_info_follows_a_player_walking_the_real_world(tmp_path: Path) -> None:
    async with running_server(make_config(tmp_path)) as srv:
        alice = await TelnetPlayer.connect(srv.telnet_port)
        await login_new(alice, "Alice")
        gmcp = alice.writer.ctx.gmcp_data
        await wait_until(lambda: "Room.Info" in gmcp, 5, "Room.Info at login")
        first = dict(gmcp["Room.Info"])
        assert {"num", "name", "exits"} <= first.keys()
        direction = next(iter(first["exits"]))
        alice.send(direction)
        await alice.expect("Exits:")
        await wait_until(lambda: gmcp["Room.Info"].get("num") != first["num"], 5, "a new room")
        assert gmcp["Room.Info"]["num"] == first["exits"][direction]
        await wait_until(lambda: "Char.Vitals" in gmcp, 5, "Char.Vitals")
        assert {"hp", "maxhp"} <= gmcp["Char.Vitals"].keys()
        await alice.close()


async def test_mssp_crawler_against_the_whole_server(tmp_path: Path) -> None:
    async with running_server(make_config(tmp_path)) as srv:
        reader, writer = await asyncio.open_connection("127.0.0.1", srv.telnet_port)
        writer.write(b"\xff\xfd\x46")  # IAC DO MSSP, before anything else
        data = b""
        async with asyncio.timeout(5):
            while not re.search(rb"\xff\xfaF(.*?)\xff\xf0", data, re.S):
                chunk = await reader.read(4096)
                assert chunk, "closed before MSSP"
                data += chunk
        match = re.search(rb"\xff\xfaF(.*?)\xff\xf0", data, re.S)
        assert match is not None
        names = [part.split(b"\x02")[0] for part in match.group(1).split(b"\x01")[1:]]
        for name in (b"NAME", b"PLAYERS", b"UPTIME"):
            assert name in names
        writer.close()


# -- inetutils telnet, under tmux ------------------------------------------------------


@pytest.mark.skipif(not (TMUX and TELNET), reason="needs tmux and inetutils telnet")
async def test_inetutils_telnet_under_tmux() -> None:
    assert TMUX and TELNET
    socket_name = f"mud-telnet-test-{os.getpid()}"

    async def tmux(*args: str) -> str:
        proc = await asyncio.create_subprocess_exec(
            TMUX, "-L", socket_name, *args,
            stdout=asyncio.subprocess.PIPE, stderr=asyncio.subprocess.DEVNULL,
        )  # fmt: skip
        out, _ = await proc.communicate()
        return out.decode("utf-8", "replace")

    async def screen_shows(pattern: str) -> str:
        async with asyncio.timeout(10):
            while not re.search(pattern, screen := await tmux("capture-pane", "-p", "-t", "t")):
                await asyncio.sleep(0.05)  # polling another program's screen
        return screen

    async with echo_door() as (door, sink):
        try:
            await tmux("new-session", "-d", "-s", "t", "-x", "100", "-y", "30",
                       f"env TERM=xterm-256color {TELNET} 127.0.0.1 {door.port}")  # fmt: skip
            event = await asyncio.wait_for(sink.connected.get(), 10)
            # TTYPE "XTERM-256COLOR" (inetutils sends upper case), NAWS from the tmux
            # pane, no CHARSET support: UTF-8.
            term = event.term
            assert (term.term, term.colours, term.charset) == ("xterm-256color", 256, "utf-8")
            assert term.width == 100 and term.width_known
            screen = await screen_shows("echo>")
            assert WELCOME in screen
            await tmux("send-keys", "-t", "t", "hello café", "Enter")
            assert await asyncio.wait_for(sink.lines.get(), 10) == "hello café"
            # The answer starts at column 0, not after the echoed input.
            await screen_shows(r"(?m)^You said: hello café$")
            # Pasted UTF-8 whose bytes look like ^] or ^\\ with the 8th bit stripped
            # (”: E2 80 9D, 本: E6 9C AC) arrives whole: the server asked DO BINARY.
            await tmux("send-keys", "-t", "t", "-l", "say “quotes” 日本")
            await tmux("send-keys", "-t", "t", "Enter")
            assert await asyncio.wait_for(sink.lines.get(), 10) == "say “quotes” 日本"
            await screen_shows(r"(?m)^You said: say “quotes” 日本$")
        finally:
            await tmux("kill-server")


# -- TinTin++, headless ----------------------------------------------------------------

TINTIN_SCRIPT = r"""
#config {debug telnet} on
#event {IAC WILL GMCP} {#send {\xFF\xFD\xC9\};#send {\xFF\xFA\xC9Core.Hello {"client":"TinTin++","version":"2"}\xFF\xF0\};#send {\xFF\xFA\xC9Core.Supports.Set ["Room 1"]\xFF\xF0\}}
#event {IAC SB GMCP Room.Info IAC SE} {#showme GMCPROOM %1}
#action {Welcome} {#send hello}
#action {You said: hello} {#end}
"""  # noqa: E501


@pytest.mark.skipif(not TINTIN, reason="needs TinTin++ (tt++)")
async def test_tintin_headless(tmp_path: Path) -> None:
    assert TINTIN
    script = tmp_path / "mud.tin"
    script.write_text(TINTIN_SCRIPT.lstrip())
    async with echo_door() as (door, sink):
        proc = await asyncio.create_subprocess_exec(
            TINTIN, "-G", "-H", "-e", f"#read {script}; #session mud 127.0.0.1 {door.port}",
            stdin=asyncio.subprocess.DEVNULL,
            stdout=asyncio.subprocess.PIPE,
            stderr=asyncio.subprocess.STDOUT,
        )  # fmt: skip
        try:
            async with asyncio.timeout(15):
                out_bytes, _ = await proc.communicate()
        finally:
            if proc.returncode is None:
                proc.kill()
                await proc.wait()
        out = out_bytes.decode("utf-8", "replace")
        event = sink.connected.get_nowait()
        # MTTS: TinTin++ announces ANSI, UTF-8, 256 colours and truecolor.
        assert (event.term.term, event.term.colours) == ("tintin++", TRUE_COLOUR)
        assert event.term.charset == "utf-8" and event.term.width_known
        assert sink.lines.get_nowait() == "hello"
        assert "SENT IAC SB CHARSET ACCEPTED UTF-8" in out
        assert "MCCP2 INITIALIZED" in out
        assert "RCVD IAC EOR" in out
        assert "RCVD IAC SB MSSP VAR NAME" in out
        assert WELCOME in out
        assert 'GMCPROOM Room.Info {"num":1,"name":"Hall","exits":{"n":2}}' in out
        assert 'GMCPROOM Room.Info {"num":2,"name":"Room 2"}' in out
