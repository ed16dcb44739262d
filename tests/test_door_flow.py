"""Input flow control at every door, over real sockets with real clients.

When a connection's input waits for the hub, its door stops reading that socket and
resumes when the hub has taken the lines: a burst bigger than the door's queue is held
back by TCP (or the SSH window), never dropped by the door, and other players keep
playing. The hub's flood rule stays the one place that disconnects for flooding, so the
tests raise it out of the way."""

from __future__ import annotations

import asyncio
from pathlib import Path
from typing import Any

import pytest
from mudclient import (
    SshPlayer,
    TelnetPlayer,
    WebPlayer,
    login_new,
    make_config,
    running_server,
)

from mud.core.events import Connected, Disconnected, LineIn
from mud.net.session import ConnIds, Session
from mud.net.ssh import SshDoor, SshSettings
from mud.net.web import WebDoor, WebSettings

NO_FLOOD = {"flood_burst": 5000, "flood_rate": 1000.0}


async def test_a_web_burst_bigger_than_the_queue_in_one_frame_is_held_back_not_dropped(
    tmp_path: Path,
) -> None:
    async with running_server(make_config(tmp_path, limits=NO_FLOOD)) as srv:
        other = await TelnetPlayer.connect(srv.telnet_port)
        await login_new(other, "Other")
        burst = await WebPlayer.connect(srv.web_port)
        await login_new(burst, "Bursty")
        # 300 lines in one WebSocket message: more than the door's queue of 64 at once.
        await burst.ws.send("".join(f"say burst {i}\r\n" for i in range(300)).encode())
        await burst.expect("You say, 'burst 299'", timeout=60)
        other.send("say unbothered")
        await other.expect("You say, 'unbothered'")
        burst.send("say still here")
        await burst.expect("You say, 'still here'")
        await burst.close()
        await other.close()


@pytest.mark.parametrize("term", ["xterm", None], ids=["pty", "no-pty"])
async def test_an_ssh_burst_bigger_than_the_queue_is_held_back_not_dropped(
    tmp_path: Path, term: str | None
) -> None:
    async with running_server(make_config(tmp_path, limits=NO_FLOOD)) as srv:
        other = await TelnetPlayer.connect(srv.telnet_port)
        await login_new(other, "Other")
        burst = await SshPlayer.connect(srv.ssh_port, "play", term=term)
        await login_new(burst, "Bursty")
        end = "\r" if term else "\n"
        # 500 lines in one write: far more than the 32 the door queues before pausing.
        burst.process.stdin.write("".join(f"say burst {i}{end}" for i in range(500)))
        other.send("say unbothered")
        await other.expect("You say, 'unbothered'", timeout=30)
        await burst.expect("You say, 'burst 499'", timeout=120)
        burst.send("say still here")
        await burst.expect("You say, 'still here'")
        await burst.close()
        await other.close()


class GatedHub:
    """Stands in for the hub: takes no input line until ``gate`` opens (a hub whose
    inbox is full), records every event it took and the sessions it was given."""

    def __init__(self) -> None:
        self.gate = asyncio.Event()
        self.events: list[object] = []
        self.sessions: dict[int, Session] = {}
        self.lines: asyncio.Queue[str] = asyncio.Queue()

    def attach(self, session: Any) -> None:
        self.sessions[session.conn] = session

    async def post(self, event: object) -> None:
        if isinstance(event, LineIn):
            await self.gate.wait()
            self.lines.put_nowait(event.text)
        self.events.append(event)

    async def take_lines(self, count: int, deadline: float = 30.0) -> list[str]:
        async with asyncio.timeout(deadline):
            return [await self.lines.get() for _ in range(count)]


async def _until_logged(caplog: pytest.LogCaptureFixture, text: str) -> None:
    async with asyncio.timeout(15):
        while text not in caplog.text:
            await asyncio.sleep(0.05)  # the door's own log line says it is waiting


async def test_a_web_client_waits_for_a_slow_hub_and_loses_nothing(
    caplog: pytest.LogCaptureFixture,
) -> None:
    hub = GatedHub()
    door = WebDoor(WebSettings(host="127.0.0.1", port=0, post_deadline=0.2), hub, ConnIds())
    port = await door.start()
    try:
        player = await WebPlayer.connect(port, supports=())
        async with asyncio.timeout(10):
            while not any(isinstance(e, Connected) for e in hub.events):
                await asyncio.sleep(0.02)
        # Frames of 30 lines each, 300 lines in all, while the hub takes nothing.
        for start in range(0, 300, 30):
            await player.ws.send(
                "".join(f"line {i}\r\n" for i in range(start, start + 30)).encode()
            )
        await _until_logged(caplog, "has not taken input")
        hub.gate.set()
        assert await hub.take_lines(300) == [f"line {i}" for i in range(300)]
        assert not any(isinstance(e, Disconnected) for e in hub.events)
        # Reading resumed: the connection still carries new input.
        await player.ws.send(b"after\r\n")
        assert await hub.take_lines(1) == ["after"]
        await player.close()
    finally:
        door.stop_accepting()
        await door.close(2.0)


async def test_an_ssh_client_waits_for_a_slow_hub_and_loses_nothing(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    hub = GatedHub()
    settings = SshSettings(
        host="127.0.0.1", port=0, host_keys=str(tmp_path / "keys"), post_deadline=0.2
    )
    door = SshDoor(settings, hub, ConnIds(), _NoAccounts())
    port = await door.start()
    try:
        player = await SshPlayer.connect(port, "play", term=None)
        # 400 lines at once: far more than the 32 the door queues before it stops reading.
        player.process.stdin.write("".join(f"line {i}\n" for i in range(400)))
        await _until_logged(caplog, "has not taken input")
        hub.gate.set()
        assert await hub.take_lines(400) == [f"line {i}" for i in range(400)]
        assert not any(isinstance(e, Disconnected) for e in hub.events)
        player.send("after")
        assert await hub.take_lines(1) == ["after"]
        await player.close()
    finally:
        door.stop_accepting()
        await door.close(2.0)


async def test_a_telnet_burst_bigger_than_the_buffers_is_held_back_not_dropped(
    tmp_path: Path,
) -> None:
    async with running_server(make_config(tmp_path, limits=NO_FLOOD)) as srv:
        other = await TelnetPlayer.connect(srv.telnet_port)
        await login_new(other, "Other")
        burst = await TelnetPlayer.connect(srv.telnet_port)
        await login_new(burst, "Bursty")
        burst.writer.write("".join(f"say burst {i}\r\n" for i in range(3000)))
        other.send("say unbothered")
        await other.expect("You say, 'unbothered'", timeout=30)
        await burst.expect("You say, 'burst 2999'", timeout=120)
        burst.send("say still here")
        await burst.expect("You say, 'still here'")
        await burst.close()
        await other.close()


class _NoAccounts:
    async def check_password(self, name: str, password: str, peer: str) -> bool:
        return False

    async def check_key(self, name: str, fingerprint: str) -> bool:
        return False
