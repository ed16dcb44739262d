"""The configuration schema: every mistake stops startup with status 2 before anything
listens, one line per problem naming its path; ``mud config`` shows where each value
came from; secrets never appear in a message."""

from __future__ import annotations

import contextlib
import re
import socket
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
from attrs import fields

from mud.config import (
    SECTIONS,
    Config,
    ConfigError,
    DmSection,
    Limits,
    Schema,
    SshSection,
    TelnetSection,
    TimeoutsSection,
    WebSection,
    load_config,
    looks_secret,
    reference,
)
from mud.dm.providers.base import Timeouts
from mud.dm.settings import DmSettings
from mud.hub import HubSettings
from mud.net.ssh import SshSettings
from mud.net.telnet import TelnetSettings
from mud.net.web import WebSettings

ROOT = Path(__file__).resolve().parent.parent
SECRET = "sk-proj-Zq81vTqLmWc3XkQ0aPz7Rr2Yb5Nd4Hs6Jt9Uf"


def mud(
    *args: str, env: dict[str, str] | None = None, cwd: Path = ROOT
) -> subprocess.CompletedProcess[str]:
    base = {
        "PATH": "/usr/bin:/bin",
        "PYTHONPATH": str(ROOT),
        "HOME": str(cwd),
        "MUD_WEB_PORT": "off",
    }
    return subprocess.run(
        [sys.executable, "-m", "mud", *args],
        capture_output=True,
        text=True,
        timeout=60,
        env={**base, **(env or {})},
        cwd=cwd,
    )


@contextlib.contextmanager
def occupied_port() -> Iterator[int]:
    """A port held open by this test: if the server got as far as listening, it would
    fail with "cannot listen" (status 1) instead of the configuration error."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        sock.listen()
        yield int(sock.getsockname()[1])


def serve_with(
    tmp_path: Path, *extra: str, env: dict[str, str] | None = None
) -> tuple[subprocess.CompletedProcess[str], subprocess.CompletedProcess[str]]:
    """Run ``mud serve`` with the mistake, then without it, on a port already taken."""
    with occupied_port() as port:
        common = ["serve", "--host", "127.0.0.1", "--telnet-port", str(port), "--ssh-port", "0"]
        state = ["--db", str(tmp_path / "m.db"), "--host-keys", str(tmp_path / "keys")]
        bad = mud(*common, *state, *extra, env=env, cwd=tmp_path)
        good = mud(*common, *state, cwd=tmp_path)
    return bad, good


def assert_refused_before_listening(
    bad: subprocess.CompletedProcess[str],
    good: subprocess.CompletedProcess[str],
    tmp_path: Path,
    expected: str,
) -> None:
    assert bad.returncode == 2, bad.stdout + bad.stderr
    assert re.search(expected, bad.stderr), bad.stderr
    assert "Traceback" not in bad.stderr and "listening" not in bad.stdout
    # The same command without the mistake gets as far as the (taken) port: so the
    # configuration was checked before anything was opened.
    assert good.returncode == 1 and "cannot listen" in good.stderr, good.stderr


def test_an_unknown_key_in_a_section_stops_startup(tmp_path: Path) -> None:
    cfg = tmp_path / "mud.yaml"
    cfg.write_text("limits:\n  idle_clse: 300\n")
    bad, good = serve_with(tmp_path, "--config", str(cfg))
    assert_refused_before_listening(
        bad,
        good,
        tmp_path,
        r"(?m)^config\.limits\.idle_clse: unknown setting \(from file .*mud\.yaml\)$",
    )


def test_a_wrong_type_in_the_file_stops_startup_with_one_line_per_problem(tmp_path: Path) -> None:
    cfg = tmp_path / "mud.yaml"
    cfg.write_text("limits: {idle_close: soon}\ntelnet: {connect_maxwait: soon}\n")
    bad, good = serve_with(tmp_path, "--config", str(cfg))
    assert_refused_before_listening(
        bad,
        good,
        tmp_path,
        r"(?m)^config\.limits\.idle_close: expected a number of seconds, got 'soon'",
    )
    assert re.search(
        r"(?m)^config\.telnet\.connect_maxwait: expected a number of seconds, got 'soon'",
        bad.stderr,
    )
    assert "2 configuration problems" in bad.stderr


def test_an_out_of_range_flag_stops_startup(tmp_path: Path) -> None:
    with occupied_port() as port:
        bad = mud("serve", "--telnet-port", str(port), "--ssh-port", "70000", cwd=tmp_path)
    assert bad.returncode == 2
    assert re.search(
        r"(?m)^config\.ssh_port: must be at most 65535, got 70000 \(from flag --ssh-port\)$",
        bad.stderr,
    )
    assert not (tmp_path / "mud.db").exists() and "listening" not in bad.stdout


def test_a_bad_environment_value_stops_startup(tmp_path: Path) -> None:
    bad, good = serve_with(tmp_path, env={"MUD_LIMITS__MAX_PER_IP": "lots", "MUD_SEED": "x"})
    assert_refused_before_listening(
        bad,
        good,
        tmp_path,
        r"(?m)^config\.limits\.max_per_ip: expected a whole number, got 'lots' "
        r"\(from environment MUD_LIMITS__MAX_PER_IP\)$",
    )
    assert "config.seed: expected a whole number, got 'x'" in bad.stderr


def test_an_unknown_key_from_the_environment_is_named_with_its_variable() -> None:
    with pytest.raises(ConfigError) as caught:
        load_config({}, {"MUD_LIMITS__IDLE_CLOSED": "5", "MUD_LIMIT__IDLE_CLOSE": "5"})
    assert sorted(caught.value.problems) == [
        "config.limit: unknown section (from environment MUD_LIMIT__IDLE_CLOSE)",
        "config.limits.idle_closed: unknown setting (from environment MUD_LIMITS__IDLE_CLOSED)",
    ]


def test_a_list_must_be_a_list() -> None:
    with pytest.raises(ConfigError) as caught:
        load_config({}, {"MUD_DM__ALERT_THRESHOLDS": "0.5,x", "MUD_DM__PRICING": '{"m": 3}'})
    assert sorted(p.split(" (from")[0] for p in caught.value.problems) == [
        "config.dm.alert_thresholds.1: expected a number, got 'x'",
        "config.dm.pricing.m: expected a list, got 3",
    ]


def test_environment_strings_are_converted_to_the_schema_types() -> None:
    config = load_config(
        {},
        {
            "MUD_LIMITS__IDLE_CLOSE": "900",
            "MUD_TELNET__COMPRESSION": "off",
            "MUD_TELNET_PORT": "4100",
            "MUD_DM__ALERT_THRESHOLDS": "0.25, 0.75",
            "MUD_DM__PRICING": '{"my-model": [1, 2]}',
            "MUD_PROVIDERS": "local,offline",
            "MUD_CONTENT": "a:b",
        },
    )
    assert config.limits == {"idle_close": 900.0}
    assert config.telnet == {"compression": False}
    assert config.telnet_port == 4100
    assert config.dm == {"alert_thresholds": (0.25, 0.75), "pricing": {"my-model": (1.0, 2.0)}}
    assert config.providers == ("local", "offline") and config.content == ("a", "b")
    assert config.sources["limits.idle_close"] == "environment MUD_LIMITS__IDLE_CLOSE"


def test_every_problem_is_reported_at_once_with_its_path(tmp_path: Path) -> None:
    cfg = tmp_path / "mud.toml"
    cfg.write_text(
        'providers = ["openai", "gpt"]\nlog_level = "chatty"\n'
        "[limits]\nhash_n = 1000\nmax_per_ip = 0\n"
        "[dm]\nhigh_size = -1\nalert_thresholds = [0.9, 0.1]\n"
        "[dm.pricing]\nx = [1, -2]\n"
        "[telnet]\ncompression = 'maybe'\n"
        "[mssp]\nCODEBASE = 'mud'\n"
    )
    with pytest.raises(ConfigError) as caught:
        load_config({"config": str(cfg)}, {})
    paths = [line.split(":")[0] for line in caught.value.problems]
    assert paths == ["config.telnet.compression"]
    # Type errors are reported first; fix them and the range checks follow, all at once.
    cfg.write_text(cfg.read_text().replace("compression = 'maybe'", "compression = false"))
    with pytest.raises(ConfigError) as caught:
        load_config({"config": str(cfg)}, {})
    paths = {line.split(":")[0] for line in caught.value.problems}
    assert paths == {
        "config.providers",
        "config.log_level",
        "config.limits.hash_n",
        "config.limits.max_per_ip",
        "config.dm.high_size",
        "config.dm.alert_thresholds",
        "config.dm.pricing",
    }


def test_a_secret_in_the_wrong_place_is_never_echoed(tmp_path: Path) -> None:
    """Issue 15 item 14: an API key placed under timeouts: crashed with the key on screen."""
    cfg = tmp_path / "mud.yaml"
    cfg.write_text(
        f"timeouts:\n  total: {SECRET}\n  {SECRET}: 3\nopenai_model: 7\n"
        f"limits: {{idle_close: {SECRET}}}\nlocal_api_key: {SECRET}\n"
    )
    result = mud("serve", "--config", str(cfg), env={"MUD_TELNET__SNDBUF": SECRET}, cwd=tmp_path)
    assert result.returncode == 2
    assert SECRET not in result.stdout + result.stderr
    assert SECRET[:12] not in result.stderr
    assert (
        "config.timeouts.total: expected a number of seconds, "
        "got a value that looks like a secret (not shown)" in result.stderr
    )
    assert "config.local_api_key: secrets are read from the environment only" in result.stderr
    assert "config.telnet.sndbuf: expected a whole number" in result.stderr
    checked = mud("config", "--check", str(cfg), cwd=tmp_path)
    assert checked.returncode == 2 and SECRET not in checked.stdout + checked.stderr


def test_a_parser_message_quoting_a_secret_is_scrubbed(tmp_path: Path) -> None:
    cfg = tmp_path / "mud.yaml"
    cfg.write_text(f"timeouts:\n  {SECRET}: 1\n  {SECRET}: 2\n")  # a duplicate key
    with pytest.raises(ConfigError) as caught:
        load_config({"config": str(cfg)}, {})
    assert caught.value.problems == [f"{cfg}:3: duplicate key '<redacted>' (first at line 2)"]


def test_looks_secret() -> None:
    assert looks_secret(SECRET) and looks_secret("ghp_abc") and looks_secret("x", "api_key")
    assert looks_secret("http://user:pw@host/v1")
    assert looks_secret("AbCdEf0123456789xyzWQ12")
    for harmless in ("soon", "content/hollowmere", "127.0.0.1", "gpt-4o-mini", "30", ""):
        assert not looks_secret(harmless), harmless


def test_config_check_validates_a_file_without_starting(tmp_path: Path) -> None:
    good = tmp_path / "good.yaml"
    good.write_text("telnet_port: 4100\nlimits: {idle_close: 600, idle_warn: 500}\n")
    result = mud("config", "--check", str(good), cwd=tmp_path)
    assert result.returncode == 0 and f"OK: {good}" in result.stdout
    bad = tmp_path / "bad.yaml"
    bad.write_text("telnet_port: many\n")
    result = mud("config", "--check", str(bad), cwd=tmp_path)
    assert result.returncode == 2
    assert result.stderr.startswith("config.telnet_port: expected a port number")
    assert set(tmp_path.iterdir()) == {good, bad}  # nothing was started or created


def test_mud_config_shows_each_value_with_its_source_and_hides_secrets(tmp_path: Path) -> None:
    cfg = tmp_path / "mud.yaml"
    cfg.write_text("telnet_port: 4100\nlimits: {idle_close: 600}\n")
    result = mud(
        "config",
        "--config",
        str(cfg),
        "--ssh-port",
        "2300",
        env={
            "MUD_LIMITS__IDLE_WARN": "500",
            "OPENAI_API_KEY": SECRET,
            "MUD_LOCAL_BASE_URL": "http://me:hunter2@127.0.0.1:8008/v1",
        },
        cwd=tmp_path,
    )
    assert result.returncode == 0, result.stderr
    lines = {line.split(" = ")[0]: line for line in result.stdout.splitlines()}
    assert lines["telnet_port"].endswith(f"# file {cfg}") and " 4100 " in lines["telnet_port"]
    assert lines["ssh_port"].endswith("# flag --ssh-port")
    assert lines["limits.idle_close"].endswith(f"# file {cfg}")
    assert lines["limits.idle_warn"].endswith("# environment MUD_LIMITS__IDLE_WARN")
    assert "500.0" in lines["limits.idle_warn"]
    assert lines["limits.flood_rate"].endswith("# default")
    assert "<set>" in lines["openai_api_key"]
    assert "<redacted>" in lines["local_base_url"]
    assert SECRET not in result.stdout and "hunter2" not in result.stdout
    # Every setting of the schema is listed.
    for attr in fields(Schema):
        if attr.name in SECTIONS and attr.name != "mssp":
            for sub in fields(attr.type):
                assert f"{attr.name}.{sub.name}" in lines
        elif attr.name != "mssp":
            assert attr.name in lines


def test_the_default_state_directory_outside_a_checkout(tmp_path: Path) -> None:
    env = {"XDG_STATE_HOME": str(tmp_path / "xdg")}
    outside = load_config({}, env, cwd=tmp_path)
    assert outside.db == str(tmp_path / "xdg" / "mud" / "mud.db")
    assert outside.host_keys == str(tmp_path / "xdg" / "mud" / "host_keys")
    no_xdg = load_config({}, {"HOME": str(tmp_path)}, cwd=tmp_path)
    assert no_xdg.db == str(tmp_path / ".local" / "state" / "mud" / "mud.db")
    chosen = load_config({"state_dir": str(tmp_path / "s")}, env, cwd=tmp_path)
    assert chosen.db == str(tmp_path / "s" / "mud.db")
    explicit = load_config({"db": "x.db"}, {"MUD_STATE_DIR": str(tmp_path / "s")}, cwd=tmp_path)
    assert explicit.db == "x.db" and explicit.host_keys == str(tmp_path / "s" / "host_keys")
    # In a checkout (the README's two commands) nothing changes: ./mud.db, ./host_keys.
    checkout = load_config({}, env, cwd=ROOT)
    assert (checkout.db, checkout.host_keys) == ("mud.db", "host_keys")


def test_the_readme_reference_is_generated_from_the_schema() -> None:
    text = (ROOT / "README.md").read_text(encoding="utf-8")
    match = re.search(
        r"<!-- config-reference:start -->\n(.*?)\n<!-- config-reference:end -->", text, re.S
    )
    assert match, "README.md lacks the config-reference markers"
    assert match.group(1) == reference(), (
        "README.md's configuration reference is stale: paste `mud config --reference`"
    )


@pytest.mark.parametrize(
    ("section", "target", "skip"),
    [
        (Limits, HubSettings, {"hash_cost", "narration", "record", "banner", "prompt"}),
        (TelnetSection, TelnetSettings, {"host", "port"}),
        (SshSection, SshSettings, {"host", "port", "host_keys", "session_deadline"}),
        (WebSection, WebSettings, {"host", "port"}),
        (TimeoutsSection, Timeouts, set()),
        (DmSection, DmSettings, set()),
    ],
)
def test_each_section_matches_the_settings_it_feeds(
    section: type, target: type, skip: set[str]
) -> None:
    """A setting added to a settings class must be added to the schema (mud/config.py),
    with the same default; and the schema has nothing the class would refuse."""
    ours = {a.name: a.default for a in fields(section)}
    theirs = {a.name: a.default for a in fields(target) if a.name not in skip}
    if section is Limits:
        theirs["hash_n"] = HubSettings().hash_cost.n
    assert set(ours) == set(theirs)
    for name, default in theirs.items():
        if hasattr(default, "factory"):
            continue
        assert ours[name] == default, name


def test_a_config_built_from_the_schema_runs_the_settings_classes() -> None:
    from mud.app import dm_settings, hub_settings

    config = load_config(
        {},
        {"MUD_LIMITS__IDLE_CLOSE": "900", "MUD_DM__HIGH_SIZE": "7", "MUD_LIMITS__HASH_N": "64"},
    )
    assert hub_settings(config, narration=True).idle_close == 900.0
    assert hub_settings(config, narration=True).hash_cost.n == 64
    assert dm_settings(config).high_size == 7
    assert isinstance(Config(), Config)


def test_content_is_found_beside_the_config_file_or_among_the_bundled_packs(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Played by an operator: the README's example config named content/hollowmere and
    # content/saltmarsh_ferry; run from /var/lib/mud (the unit's working directory) the
    # server found neither and exited 1, while `mud config --check` had said OK.
    etc = tmp_path / "etc"
    (etc / "packs" / "mine").mkdir(parents=True)
    cfg = etc / "mud.yaml"
    cfg.write_text("content: [packs/mine, hollowmere, saltmarsh_ferry]\n")
    elsewhere = tmp_path / "var"
    elsewhere.mkdir()
    monkeypatch.chdir(elsewhere)
    config = load_config({"config": str(cfg)}, {})
    mine, hollowmere, ferry = (Path(c) for c in config.content)
    assert mine == etc / "packs" / "mine"
    assert (hollowmere / "pack.yaml").is_file() and hollowmere.name == "hollowmere"
    assert ferry.is_dir() and ferry.name == "saltmarsh_ferry"
    # A folder of that name where the server runs is still that folder.
    (elsewhere / "hollowmere").mkdir()
    assert load_config({"content": ["hollowmere"]}, {}).content == ("hollowmere",)


def test_config_check_names_a_pack_folder_that_is_not_there(tmp_path: Path) -> None:
    cfg = tmp_path / "mud.yaml"
    cfg.write_text("content: [content/hollowmere, nowhere/pack]\n")
    elsewhere = tmp_path / "var"
    elsewhere.mkdir()
    done = mud("config", "--check", str(cfg), cwd=elsewhere)
    assert done.returncode == 2, done.stdout + done.stderr
    assert "config.content: no pack folder 'content/hollowmere'" in done.stderr
    assert "no pack folder 'nowhere/pack'" in done.stderr
    cfg.write_text("content: [hollowmere]\n")
    assert mud("config", "--check", str(cfg), cwd=elsewhere).returncode == 0
