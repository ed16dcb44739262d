"""The metrics and health endpoint over real HTTP on loopback, against the real server,
and the systemd watchdog over a real Unix datagram socket."""

from __future__ import annotations

import asyncio
import contextlib
import os
import socket
import sqlite3
from pathlib import Path

import pytest
from fake_openai import FakeOpenAI, Fault
from mudclient import SshPlayer, TelnetPlayer, login_new, make_config, running_server
from prometheus_client.parser import text_string_to_metric_families

from mud.core.clock import FakeClock
from mud.core.ops import WriteOp
from mud.core.records import UsageTotals
from mud.core.stats import HubStats, StoreStats
from mud.metrics import MetricsServer
from mud.sdnotify import Notifier


async def http_get(port: int, path: str, host: str = "127.0.0.1") -> tuple[int, str]:
    """A plain HTTP/1.0 GET over a real socket: (status, body)."""
    reader, writer = await asyncio.open_connection(host, port)
    try:
        writer.write(f"GET {path} HTTP/1.0\r\nHost: {host}\r\n\r\n".encode())
        await writer.drain()
        async with asyncio.timeout(20):
            raw = await reader.read()
    finally:
        writer.close()
    head, _, body = raw.decode().partition("\r\n\r\n")
    return int(head.split()[1]), body


def samples(text: str) -> dict[tuple[str, tuple[tuple[str, str], ...]], float]:
    """Every sample of a Prometheus text page: (name, sorted labels) -> value."""
    out = {}
    for family in text_string_to_metric_families(text):
        for s in family.samples:
            out[(s.name, tuple(sorted(s.labels.items())))] = s.value
    return out


async def test_metrics_move_while_players_play(tmp_path: Path) -> None:
    config = make_config(tmp_path, metrics={"port": 0})
    async with running_server(config) as srv:
        assert srv.metrics_port > 0
        status, body = await http_get(srv.metrics_port, "/metrics")
        assert status == 200
        before = samples(body)
        assert before[("mud_players_online", (("door", "telnet"),))] == 0
        assert ("mud_dm_queue_depth", (("priority", "high"),)) in before
        assert ("mud_hub_inbox_depth", ()) in before
        assert ("mud_store_queue_depth", ()) in before
        assert ("mud_dm_tokens_today", (("kind", "prompt"),)) in before
        assert ("mud_dm_cost_today_usd", ()) in before

        tel = await TelnetPlayer.connect(srv.telnet_port)
        await login_new(tel, "Ann")
        ssh = await SshPlayer.connect(srv.ssh_port, "play")
        await login_new(ssh, "Bob")
        for i in range(5):
            tel.send("look")
            await tel.expect("Exits:")
            ssh.send(f"say hello {i}")
            await ssh.expect(f"You say, 'hello {i}'")
        tel.send("do I search the hearth")
        await tel.expect(r"You search the hearth")
        status, body = await http_get(srv.metrics_port, "/metrics")
        assert status == 200
        after = samples(body)
        assert after[("mud_players_online", (("door", "telnet"),))] == 1
        assert after[("mud_players_online", (("door", "ssh"),))] == 1
        assert after[("mud_connections_open", ())] == 2
        assert after[("mud_connections_total", ())] >= 2
        assert after[("mud_commands_total", ())] - before[("mud_commands_total", ())] >= 11
        assert after[("mud_command_seconds_count", ())] >= 11
        assert after[("mud_command_seconds_bucket", (("le", "+Inf"),))] >= 11
        assert (
            after[("mud_store_commit_seconds_count", ())]
            > before[("mud_store_commit_seconds_count", ())]
        )
        for _ in range(100):  # the offline narrator answers the action in a moment
            after = samples((await http_get(srv.metrics_port, "/metrics"))[1])
            if after.get(("mud_dm_narrations_total", (("provider", "offline"),)), 0) > 0:
                break
            await asyncio.sleep(0.05)
        assert after[("mud_dm_narrations_total", (("provider", "offline"),))] > 0
        assert after[("mud_dm_failovers_total", ())] == 0  # offline is the whole chain here

        assert (await http_get(srv.metrics_port, "/nope"))[0] == 404
        # Bound to 127.0.0.1 only: another loopback address does not answer.
        with pytest.raises(OSError):
            await http_get(srv.metrics_port, "/metrics", host="127.0.0.2")
        await tel.close()
        await ssh.close()


async def test_healthz_is_503_while_the_database_takes_no_writes(tmp_path: Path) -> None:
    config = make_config(tmp_path, metrics={"port": 0})
    async with running_server(config) as srv:
        for _ in range(100):  # the first tick comes within one tick period
            status, body = await http_get(srv.metrics_port, "/healthz")
            if status == 200:
                break
            await asyncio.sleep(0.05)
        assert (status, body) == (200, "ok\n")
        # Another process holds the database's write lock: the server cannot write.
        locker = sqlite3.connect(config.db, isolation_level=None, timeout=10)
        try:
            locker.execute("BEGIN EXCLUSIVE")
            status, body = await http_get(srv.metrics_port, "/healthz")
            assert status == 503
            assert "database did not take a write" in body
        finally:
            locker.execute("ROLLBACK")
            locker.close()
        for _ in range(200):
            status, body = await http_get(srv.metrics_port, "/healthz")
            if status == 200:
                break
            await asyncio.sleep(0.05)
        assert (status, body) == (200, "ok\n")


class _Hub:
    def __init__(self) -> None:
        self.stats = HubStats()

    def online_by_door(self) -> dict[str, int]:
        return {}

    @property
    def connection_count(self) -> int:
        return 0

    @property
    def inbox_depth(self) -> int:
        return 0


class _Store:
    def __init__(self) -> None:
        self.stats = StoreStats()
        self.writes: list[WriteOp] = []

    @property
    def queue_depth(self) -> int:
        return 0

    async def apply(self, ops: list[WriteOp]) -> None:
        self.writes.extend(ops)

    async def usage_totals(
        self, *, day: str | None = None, actor: str | None = None
    ) -> UsageTotals:
        return UsageTotals(0, 0, 0.0, 0)


async def test_healthz_is_503_when_the_game_actor_stops_turning() -> None:
    clock = FakeClock()
    hub, store = _Hub(), _Store()
    server = MetricsServer("127.0.0.1", 0, hub=hub, store=store, dm=None, clock=clock, tick=1.0)
    port = await server.start()
    try:
        status, body = await http_get(port, "/healthz")
        assert status == 503 and "not ticked yet" in body
        hub.stats.last_tick = clock.monotonic()
        assert await http_get(port, "/healthz") == (200, "ok\n")
        assert len(store.writes) == 1  # the write probe
        clock.advance(6.0)
        status, body = await http_get(port, "/healthz")
        assert status == 503 and "last ticked 6.0 s ago" in body
    finally:
        await server.close()


def _datagrams(sock: socket.socket) -> list[str]:
    out = []
    with contextlib.suppress(BlockingIOError):
        while True:
            out.append(sock.recv(4096).decode())
    return out


async def test_the_hub_tick_pings_the_systemd_watchdog(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = tmp_path / "notify.sock"
    sock = socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM)
    sock.bind(str(path))
    sock.setblocking(False)
    monkeypatch.setenv("NOTIFY_SOCKET", str(path))
    monkeypatch.setenv("WATCHDOG_USEC", "600000")  # 0.6 s: a ping every 0.2 s at most
    monkeypatch.setenv("WATCHDOG_PID", str(os.getpid()))
    got: list[str] = []
    try:
        async with running_server(make_config(tmp_path)):
            for _ in range(200):
                got += _datagrams(sock)
                if got.count("WATCHDOG=1") >= 3:
                    break
                await asyncio.sleep(0.05)
        got += _datagrams(sock)
    finally:
        sock.close()
    assert got[0] == "READY=1"
    assert got.count("WATCHDOG=1") >= 3
    assert got[-1] == "STOPPING=1"


def test_no_notify_socket_means_no_notifier_and_abstract_addresses_work() -> None:
    assert Notifier.from_env({}, FakeClock().monotonic) is None
    name = f"mud-test-{os.getpid()}"
    sock = socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM)
    sock.bind("\0" + name)
    sock.setblocking(False)
    clock = FakeClock()
    try:
        notifier = Notifier.from_env(
            {"NOTIFY_SOCKET": "@" + name, "WATCHDOG_USEC": "3000000"}, clock.monotonic
        )
        assert notifier is not None and notifier.watchdog_interval == 3.0
        notifier.ping()
        notifier.ping()  # too soon: not sent
        clock.advance(1.01)
        notifier.ping()
        assert _datagrams(sock) == ["WATCHDOG=1", "WATCHDOG=1"]
        other_pid = Notifier.from_env(
            {"NOTIFY_SOCKET": "@" + name, "WATCHDOG_USEC": "3000000", "WATCHDOG_PID": "1"},
            clock.monotonic,
        )
        assert other_pid is not None and other_pid.watchdog_interval is None
        notifier.close()
        other_pid.close()
    finally:
        sock.close()


async def test_prompt_tokens_read_by_a_local_model_are_exported(tmp_path: Path) -> None:
    # A local server that reports llama.cpp's timings (prompt_n read, cache_n cached):
    # the scrape shows how much of the prompts it read, against what was sent.
    tokens = ("Sparks ", "drift ", "up ", "the ", "flue.")
    async with FakeOpenAI(default=Fault("text", tokens=tokens), prefix_cache="llama") as fake:
        config = make_config(
            tmp_path,
            metrics={"port": 0},
            providers=("local", "offline"),
            local_base_url=fake.base_url,
            local_model="fake-model",
        )
        async with running_server(config) as srv:
            tel = await TelnetPlayer.connect(srv.telnet_port)
            await login_new(tel, "Ann")
            for line in ("I search the hearth", "I poke the ashes"):
                tel.send(line)
                await tel.expect(r"flue\.", timeout=15)
            key_read = ("mud_dm_prompt_tokens_total", (("part", "read"), ("provider", "local")))
            key_sent = ("mud_dm_prompt_tokens_total", (("part", "sent"), ("provider", "local")))
            got: dict[tuple[str, tuple[tuple[str, str], ...]], float] = {}
            for _ in range(100):
                got = samples((await http_get(srv.metrics_port, "/metrics"))[1])
                if got.get(key_read, 0) >= sum(fake.reads) > 0:
                    break
                await asyncio.sleep(0.05)
            assert got[key_read] == sum(fake.reads)
            assert got[key_sent] > got[key_read]  # the later prompts were partly cached
            await tel.close()


async def test_connections_refused_at_the_doors_caps_are_counted(tmp_path: Path) -> None:
    # Played by an operator: 30 connections from one address, 20 refused "Too many
    # connections from your address", and mud_connections_refused_total{reason="per_ip"}
    # stayed 0.
    config = make_config(tmp_path, metrics={"port": 0}, limits={"max_per_ip": 3, "hash_n": 16})
    async with running_server(config) as srv:
        held = [await asyncio.open_connection("127.0.0.1", srv.telnet_port) for _ in range(3)]
        refused = 0
        for _ in range(4):
            reader, writer = await asyncio.open_connection("127.0.0.1", srv.telnet_port)
            async with asyncio.timeout(10):
                said = await reader.read()
            refused += b"Too many connections" in said
            writer.close()
        assert refused == 4
        got = samples((await http_get(srv.metrics_port, "/metrics"))[1])
        assert got[("mud_connections_refused_total", (("reason", "per_ip"),))] == 4
        for _, writer in held:
            writer.close()
