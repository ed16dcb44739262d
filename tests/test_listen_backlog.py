"""Every door listens with the configured backlog (``telnet.backlog``, ``ssh.backlog``,
``web.backlog``), not asyncio's 100.

How it is observed: while the server's event loop is busy (here: the test holds it), the
kernel completes connections up to the listen queue's size and drops the SYNs of the
rest, whose clients would only retry a second later. So a burst of raw connections
against a busy server shows exactly how many the queue holds.
"""

from __future__ import annotations

import select
import socket
from pathlib import Path

import pytest
from mudclient import make_config, running_server

from mud.config import ConfigError, SshSection, TelnetSection, WebSection, load_config

BURST = 250


def completed_handshakes(port: int, n: int) -> int:
    """Open ``n`` non-blocking connections to ``port`` without yielding to the event
    loop, then count those whose handshake completed within a second. Closes them all."""
    socks = []
    try:
        for _ in range(n):
            s = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
            s.setblocking(False)
            s.connect_ex(("127.0.0.1", port))
            socks.append(s)
        pending = set(socks)
        done = 0
        for _ in range(10):  # bounded: at most 10 rounds of 0.1 s
            _, writable, _ = select.select([], list(pending), [], 0.1)
            for s in writable:
                pending.discard(s)
                if s.getsockopt(socket.SOL_SOCKET, socket.SO_ERROR) == 0:
                    done += 1
            if not pending:
                break
        return done
    finally:
        for s in socks:
            s.close()


async def test_every_door_queues_a_burst_of_250_by_default(tmp_path: Path) -> None:
    config = make_config(tmp_path)
    async with running_server(config) as handle:
        for door, port in (
            ("telnet", handle.telnet_port),
            ("ssh", handle.ssh_port),
            ("web", handle.web_port),
        ):
            # Holding the loop: nothing is accepted while the burst arrives. With
            # asyncio's backlog of 100 only 101 of the 250 would complete.
            assert completed_handshakes(port, BURST) == BURST, door


async def test_a_small_backlog_is_honoured(tmp_path: Path) -> None:
    config = make_config(tmp_path, telnet={"connect_maxwait": 0.5, "backlog": 20})
    async with running_server(config) as handle:
        # Linux queues backlog + 1 completed connections.
        assert completed_handshakes(handle.telnet_port, 60) == 21


def test_backlog_is_checked() -> None:
    with pytest.raises(ConfigError) as caught:
        load_config({}, {"MUD_TELNET__BACKLOG": "0", "MUD_SSH__BACKLOG": "70000"})
    assert len(caught.value.problems) == 2
    sections = (TelnetSection(), SshSection(), WebSection())
    assert [section.backlog for section in sections] == [4096] * 3
