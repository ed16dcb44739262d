"""Server configuration: flags, then environment, then the config file, then defaults.

``load_config`` merges the four sources into one frozen ``Config``. The config file is
TOML (``.toml``) or YAML (anything else) with the same keys as the environment
variables, in lower case, plus sections for the finer settings:

- ``limits``: ``mud.hub.HubSettings`` fields (caps, throttles, idle times, hashing cost
  as ``hash_n``), ``telnet``: connect_maxwait and buffer sizes,
- ``dm``: ``mud.dm.settings.DmSettings`` fields (queue limits, budgets, ``pricing``),
- ``timeouts``: provider timeouts (``connect``, ``first_token``, ``chunk_gap``, ``total``),
- ``retention``: ``mud.retention.RetentionSettings`` fields (days to keep each play log),
- ``metrics``: ``port`` (0 or absent: off) and ``host`` (default 127.0.0.1) of the
  Prometheus ``/metrics`` and ``/healthz`` endpoint.

Secrets (``OPENAI_API_KEY``, ``MUD_LOCAL_API_KEY``) are read from the environment only;
a config file that contains one is refused, so keys never sit in files. ``redacted``
renders the effective configuration for ``mud config`` without them.
"""

from __future__ import annotations

import json
import os
import tomllib
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

from attrs import asdict, field, frozen

from mud.world.loader import parse_yaml_mapping


def _default_content() -> str:
    # An editable install (the README's way) finds the bundled pack beside the package;
    # otherwise fall back to ./content/hollowmere in the working directory.
    beside = Path(__file__).resolve().parent.parent / "content" / "hollowmere"
    return str(beside if beside.is_dir() else Path("content") / "hollowmere")


DEFAULT_CONTENT = _default_content()
# Where a pack's ``requires`` are looked for when they are not beside it: the folder of
# bundled packs, so an add-on kept anywhere can require hollowmere.
PACK_SEARCH: tuple[str, ...] = (str(Path(DEFAULT_CONTENT).parent),)

ENV = {
    "host": "MUD_HOST",
    "telnet_port": "MUD_TELNET_PORT",
    "ssh_port": "MUD_SSH_PORT",
    "web_port": "MUD_WEB_PORT",
    "db": "MUD_DB",
    "content": "MUD_CONTENT",
    "config": "MUD_CONFIG",
    "host_keys": "MUD_HOST_KEYS",
    "providers": "MUD_PROVIDERS",
    "openai_model": "MUD_OPENAI_MODEL",
    "openai_base_url": "MUD_OPENAI_BASE_URL",
    "local_base_url": "MUD_LOCAL_BASE_URL",
    "local_model": "MUD_LOCAL_MODEL",
    "seed": "MUD_SEED",
    "player_token_limit": "MUD_PLAYER_TOKEN_LIMIT",
    "daily_budget_usd": "MUD_DAILY_BUDGET_USD",
    "log_level": "MUD_LOG_LEVEL",
}
SECRET_ENV = {"openai_api_key": "OPENAI_API_KEY", "local_api_key": "MUD_LOCAL_API_KEY"}
SECTIONS = ("limits", "telnet", "dm", "timeouts", "mssp", "web", "retention", "metrics")


class ConfigError(ValueError):
    """A configuration value is malformed; the message names the source and the key."""


@frozen
class Config:
    """The effective configuration of one server run."""

    host: str = "0.0.0.0"
    telnet_port: int = 4000
    ssh_port: int = 2222
    web_port: int | None = 4080
    db: str = "mud.db"
    content: tuple[str, ...] = (DEFAULT_CONTENT,)
    host_keys: str = "host_keys"
    config: str = ""
    providers: tuple[str, ...] = ("openai", "local", "offline")
    openai_model: str = "gpt-4o-mini"
    openai_base_url: str = "https://api.openai.com/v1"
    local_base_url: str = ""
    local_model: str = ""
    seed: int | None = None
    player_token_limit: int | None = None
    daily_budget_usd: float | None = None
    log_level: str = "INFO"
    limits: Mapping[str, Any] = field(factory=dict)
    telnet: Mapping[str, Any] = field(factory=dict)
    dm: Mapping[str, Any] = field(factory=dict)
    timeouts: Mapping[str, Any] = field(factory=dict)
    mssp: Mapping[str, Any] = field(factory=dict)
    web: Mapping[str, Any] = field(factory=dict)
    retention: Mapping[str, Any] = field(factory=dict)
    metrics: Mapping[str, Any] = field(factory=dict)
    openai_api_key: str = field(default="", repr=False)
    local_api_key: str = field(default="", repr=False)

    def redacted(self) -> str:
        """The configuration as JSON with secrets replaced by "<set>" or "<unset>"."""
        data = asdict(self)
        for key in SECRET_ENV:
            data[key] = "<set>" if data[key] else "<unset>"
        return json.dumps(data, indent=2, sort_keys=True, default=str)


_INT = {"telnet_port", "ssh_port", "web_port", "seed", "player_token_limit"}
_FLOAT = {"daily_budget_usd"}
_LIST = {"content", "providers"}


def _coerce(key: str, value: Any, source: str) -> Any:
    try:
        if key == "web_port" and (value is None or str(value).lower() in ("off", "null", "none")):
            return None  # the browser door is turned off
        if key in _INT:
            if isinstance(value, bool):
                raise ValueError("not a number")
            number = int(value)
            if key.endswith("_port") and not 0 <= number <= 65535:
                raise ValueError("ports are 0 to 65535")
            return number
        if key in _FLOAT:
            return float(value)
        if key in _LIST:
            if isinstance(value, str):
                sep = ":" if key == "content" else ","
                return tuple(p.strip() for p in value.split(sep) if p.strip())
            if isinstance(value, Sequence):
                return tuple(str(v) for v in value)
            raise ValueError("expected a list")
        if key in SECTIONS:
            if not isinstance(value, Mapping):
                raise ValueError("expected a mapping")
            return dict(value)
        return str(value)
    except (TypeError, ValueError) as exc:
        raise ConfigError(f"{source}: {key}: {exc}") from exc


def read_config_file(path: str) -> dict[str, Any]:
    """Parse a TOML or YAML config file. Raises ConfigError naming the file."""
    try:
        text = Path(path).read_text(encoding="utf-8")
    except OSError as exc:
        raise ConfigError(f"{path}: cannot read config file: {exc.strerror}") from exc
    if path.endswith(".toml"):
        try:
            data: dict[str, Any] = tomllib.loads(text)
        except tomllib.TOMLDecodeError as exc:
            raise ConfigError(f"{path}: {exc}") from exc
    else:
        try:
            data = dict(parse_yaml_mapping(text, path))
        except ValueError as exc:
            raise ConfigError(str(exc)) from exc
    known = set(ENV) | set(SECTIONS)
    for key in data:
        if key in SECRET_ENV:
            raise ConfigError(
                f"{path}: {key}: secrets are read from the environment only ({SECRET_ENV[key]})"
            )
        if key not in known:
            raise ConfigError(f"{path}: unknown setting '{key}'")
    return {k: _coerce(k, v, path) for k, v in data.items()}


def load_config(flags: Mapping[str, Any], environ: Mapping[str, str] | None = None) -> Config:
    """Merge flags (non-None values) > environment > config file > defaults.

    Raises ConfigError for malformed values or an unreadable config file.
    """
    env = os.environ if environ is None else environ
    from_env = {
        k: _coerce(k, env[name], f"environment {name}") for k, name in ENV.items() if env.get(name)
    }
    from_flags = {
        k: _coerce(k, v, f"--{k.replace('_', '-')}") for k, v in flags.items() if v is not None
    }
    path = from_flags.get("config") or from_env.get("config") or ""
    from_file = read_config_file(path) if path else {}
    merged: dict[str, Any] = {**from_file, **from_env, **from_flags}
    if path:
        merged["config"] = path
    for key, name in SECRET_ENV.items():
        merged[key] = env.get(name, "")
    return Config(**merged)
