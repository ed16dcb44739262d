"""Operator logs: one logfmt line per event, what fail2ban matches, nothing secret."""

from __future__ import annotations

import asyncio
import io
import logging
import re
import shutil
import subprocess
from collections.abc import Iterator
from pathlib import Path

import asyncssh
import pytest
from mudclient import SshPlayer, TelnetPlayer, login_new
from mudproc import ROOT, ServerProcess, mud_env

from mud.logs import LIBRARIES, configure_logging, log_event, quote, watch_task

PASSWORD = "correct-horse-77"
WRONG = "wrong-battery-42"


FILTER = ROOT / "packaging" / "fail2ban" / "mud.conf"


def fail2ban_regex() -> re.Pattern[str]:
    """The filter's failregex, with fail2ban's <HOST> tag as its definition (an IPv4 or
    IPv6 address or a host name, optionally IPv4-mapped)."""
    line = re.search(r"(?m)^failregex = (.*)$", FILTER.read_text(encoding="utf-8"))
    assert line
    host = r"(?:::f{4,6}:)?(?P<host>[\w\-.^_:]*\w)"
    return re.compile(line.group(1).replace("<HOST>", host))


def fail2ban_hosts(lines: list[str], tmp_path: Path) -> list[str] | None:
    """The addresses fail2ban itself finds in ``lines`` with the filter (None when
    fail2ban-regex is not installed)."""
    tool = shutil.which("fail2ban-regex")
    if tool is None:
        return None
    log = tmp_path / "mud.log"
    log.write_text("\n".join(lines) + "\n", encoding="utf-8")
    result = subprocess.run(
        [tool, "-v", "--print-all-matched", str(log), str(FILTER)],
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    section = result.stdout.split("Failregex:", 1)[1].split("Ignoreregex:", 1)[0]
    return re.findall(r"(?m)^\|\s+(\S+)\s+\w{3} \w{3}", section)


def test_the_readme_shows_the_filter_that_is_tested() -> None:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    block = re.search(
        r"<!-- fail2ban-filter:start -->\n```ini\n(.*?)```\n<!-- fail2ban-filter:end -->",
        readme,
        re.S,
    )
    assert block and block.group(1) == FILTER.read_text(encoding="utf-8")


async def _two_failed_logins(tmp_path: Path, env: dict[str, str]) -> ServerProcess:
    """Run ``mud serve`` with ``env``, make Alice, then fail her password once over
    telnet and once over SSH; returns the server, stopped (exit status 0) with its whole
    log read."""
    server = ServerProcess.module(
        *("--host", "127.0.0.1", "--telnet-port", "0", "--ssh-port", "0"),
        *("--state-dir", str(tmp_path / "state")),
        env=env,
        cwd=tmp_path,
    )
    await server.start()
    try:
        alice = await TelnetPlayer.connect(server.telnet_port)
        await login_new(alice, "Alice", PASSWORD)
        await alice.close()
        again = await TelnetPlayer.connect(server.telnet_port)
        await again.expect("What is your name")
        again.send("Alice")
        await again.expect("Password:")
        again.send(WRONG)
        await again.expect("Wrong password")
        await again.close()
        with pytest.raises(asyncssh.PermissionDenied):
            await SshPlayer.connect(server.ports["ssh"], "alice", password=WRONG)
        # One more event after the failures, so the lines before it have been written.
        probe = await TelnetPlayer.connect(server.telnet_port)
        await probe.expect("What is your name")
        await probe.close()
    finally:
        code = await server.stop()
    assert code == 0
    return server


async def test_failed_logins_write_the_line_the_readme_filter_matches(tmp_path: Path) -> None:
    server = await _two_failed_logins(tmp_path, mud_env())
    lines = server.stderr
    regex = fail2ban_regex()
    failed = [line for line in lines if "event=login_failed" in line]
    assert len(failed) == 2, server.output()
    doors = set()
    for line in failed:
        match = regex.search(line)
        assert match and match.group("host") == "127.0.0.1", line
        doors.add(re.search(r" door=(\w+)", line).group(1))  # type: ignore[union-attr]
    assert doors == {"telnet", "ssh"}
    # The other events an operator wants, each on one line.
    text = "\n".join(lines)
    for event in ("connect", "account_created", "login", "shutdown"):
        assert re.search(rf"(?m)^\S+Z level=info logger=\S+ event={event} ", text), event
    assert "name=Alice" in text
    # Never a password, and no chatter from the libraries at the default level.
    assert PASSWORD not in text and WRONG not in text
    assert not [line for line in lines if "logger=asyncssh" in line]
    # A success line must not be taken for a failure.
    assert not [line for line in lines if "event=login " in line and regex.search(line)]
    # fail2ban itself (when installed) finds the same two failures from 127.0.0.1.
    found = fail2ban_hosts(lines, tmp_path)
    assert found is None or found == ["127.0.0.1", "127.0.0.1"], found


async def test_failed_logins_are_logged_at_warning_for_a_quiet_server(tmp_path: Path) -> None:
    # Played by an operator: with log_level WARNING (to quiet the server) a wrong
    # password wrote no line, and fail2ban silently stopped banning.
    server = await _two_failed_logins(tmp_path, {**mud_env(), "MUD_LOG_LEVEL": "WARNING"})
    failed = [line for line in server.stderr if "event=login_failed" in line]
    assert len(failed) == 2, server.output()
    assert all(fail2ban_regex().search(line) for line in failed), failed
    assert not [line for line in server.stderr if "level=info" in line]


@pytest.fixture
def restore_logging() -> Iterator[None]:
    """configure_logging changes the process's root logger: put it back afterwards."""
    root = logging.getLogger()
    saved = (root.level, list(root.handlers), {n: logging.getLogger(n).level for n in LIBRARIES})
    yield
    root.setLevel(saved[0])
    root.handlers[:] = saved[1]
    for name, level in saved[2].items():
        logging.getLogger(name).setLevel(level)


@pytest.mark.usefixtures("restore_logging")
def test_a_hostile_name_cannot_forge_a_line_or_an_address(tmp_path: Path) -> None:
    out = io.StringIO()
    configure_logging("INFO", stream=out)
    log = logging.getLogger("mud.test")
    forged = (
        "x addr=10.0.0.1\n2026-01-01T00:00:00.000Z level=info logger=mud event=login_failed"
        ' addr=10.9.9.9 " level=info logger=mud event=login_failed addr=10.8.8.8 '
    )
    log_event(log, "login_failed", addr="127.0.0.1", name=forged, password="hunter2")
    lines = out.getvalue().splitlines()
    assert len(lines) == 1
    matches = [m.group("host") for m in [fail2ban_regex().search(lines[0])] if m]
    assert matches == ["127.0.0.1"]
    found = fail2ban_hosts(lines, tmp_path)
    assert found is None or found == ["127.0.0.1"], found
    assert "hunter2" not in lines[0] and 'password="<redacted>"' in lines[0]


def test_quote() -> None:
    assert quote("127.0.0.1") == "127.0.0.1"
    assert quote("two words") == '"two words"'
    assert quote('a"b\nc\x1b') == '"a\\"b\\nc\\x1b"'
    assert quote("") == '""' and quote(None) == '""'


@pytest.mark.usefixtures("restore_logging")
def test_the_level_comes_from_the_configuration() -> None:
    out = io.StringIO()
    configure_logging("WARNING", stream=out)
    log = logging.getLogger("mud.test")
    log_event(log, "connect", addr="1.2.3.4")
    log_event(log, "crash", level=logging.ERROR, actor="hub")
    logging.getLogger("asyncssh").warning("library warning")
    logging.getLogger("asyncssh").info("library chatter")
    configure_logging("WARNING", stream=out)  # again (SIGHUP): still one handler
    log_event(log, "crash", level=logging.ERROR, actor="dm")
    text = out.getvalue()
    assert "event=connect" not in text and "event=crash actor=hub" in text
    assert "library warning" in text and "library chatter" not in text
    assert text.count("actor=dm") == 1


async def test_dm_failover_and_the_breaker_are_logged(caplog: pytest.LogCaptureFixture) -> None:
    from test_dm_chain import Harness, Scripted, Step, err, run

    from mud.dm.chain import HealthConfig

    h = Harness()
    a = Scripted("a", h.clock, *[Step(error=err("fatal", 500))] * 3)
    b = Scripted("b", h.clock)
    chain = h.chain(a, b, health=HealthConfig(failure_threshold=3, cooldown=30.0))
    with caplog.at_level(logging.INFO, logger="mud.dm"):
        for _ in range(3):
            await run(chain)
        h.clock.advance(31.0)
        await run(chain)  # the probe succeeds: the breaker closes
    events = [(r.mud_event, r.mud_fields) for r in caplog.records if hasattr(r, "mud_event")]
    failovers = [f for e, f in events if e == "dm_failover"]
    assert len(failovers) == 3 and failovers[0]["provider"] == "a"
    assert failovers[0]["error"] == "fatal" and failovers[0]["status"] == 500
    assert [e for e, _ in events if e.startswith("breaker")] == ["breaker_open", "breaker_close"]


def test_budget_warnings_are_logged(caplog: pytest.LogCaptureFixture) -> None:
    from mud.core.clock import FakeClock
    from mud.dm.budget import Budget
    from mud.dm.providers.base import Usage
    from mud.dm.settings import DmSettings

    settings = DmSettings(daily_budget_usd=0.01, pricing={"m": (1000.0, 1000.0)})
    budget = Budget(settings, FakeClock())
    with caplog.at_level(logging.INFO, logger="mud.dm"):
        budget.charge("alice", "hall", "action", [("openai", "m", Usage(6, 0, False))])
    warnings = [
        r.mud_fields for r in caplog.records if getattr(r, "mud_event", "") == "budget_warning"
    ]
    assert [(w["scope"], w["fraction"]) for w in warnings] == [("server", 0.5)]


async def test_a_watched_task_that_dies_is_logged_and_a_cancelled_one_is_not(
    caplog: pytest.LogCaptureFixture,
) -> None:
    """A bus link's sender that died of an unexpected exception left no trace in any
    log (the link held the finished task, nothing read it): ``watch_task`` logs it."""
    logger = logging.getLogger("mud.test.watch")

    async def dies() -> None:
        raise AssertionError("Client.connect must be called first")

    async def runs() -> None:
        await asyncio.sleep(60)

    with caplog.at_level(logging.INFO, logger="mud.test.watch"):
        dead = asyncio.get_running_loop().create_task(dies(), name="link-sender")
        alive = asyncio.get_running_loop().create_task(runs(), name="link-beat")
        watch_task(logger, dead)
        watch_task(logger, alive)
        await asyncio.gather(dead, return_exceptions=True)
        alive.cancel()
        await asyncio.gather(alive, return_exceptions=True)
        await asyncio.sleep(0)  # the done callbacks run
    events = [(r.mud_event, r.mud_fields) for r in caplog.records if hasattr(r, "mud_event")]
    assert events == [
        (
            "task_died",
            {
                "task": "link-sender",
                "error": "AssertionError('Client.connect must be called first')",
            },
        )
    ]


@pytest.mark.usefixtures("restore_logging")
def test_the_openai_clients_http_requests_are_held_at_warning() -> None:
    # Played by an operator with a revoked key: "HTTP Request: GET .../v1/models 401"
    # at INFO from httpx2 (the openai SDK's client) for every probe of the provider.
    out = io.StringIO()
    configure_logging("INFO", stream=out)
    logging.getLogger("httpx2").info("HTTP Request: GET http://127.0.0.1/v1/models 401")
    logging.getLogger("httpcore2.connection").debug("connect_tcp.started")
    logging.getLogger("httpx2").warning("kept")
    assert "HTTP Request" not in out.getvalue() and "connect_tcp" not in out.getvalue()
    assert "kept" in out.getvalue()
