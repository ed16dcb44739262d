"""Server configuration: one schema, four sources, checked before anything listens.

``load_config`` (called by ``mud.cli``) merges, per setting, flags > environment > the
config file > defaults into one frozen ``Config``, and validates the result against the
schema (``Schema`` and its sections below, structured with cattrs). Every problem is
collected, not just the first: ``ConfigError.problems`` holds one line per problem, each
naming its path (``config.limits.idle_close: expected a number of seconds, got 'soon'``)
and where the value came from. ``mud.cli`` prints them and exits with status 2.

Sources:
- the config file (``--config`` / ``MUD_CONFIG``): TOML (``*.toml``) or YAML, the top-level
  keys of ``Schema`` in lower case and one mapping per section;
- the environment: ``MUD_<KEY>`` for a top-level key (``MUD_TELNET_PORT``) and
  ``MUD_<SECTION>__<KEY>`` for a section's key (``MUD_LIMITS__IDLE_CLOSE=900``); the
  strings are converted to the schema's types (``true``/``false`` for switches, commas
  between list items, ``:`` between content folders);
- flags from ``mud serve`` / ``mud config``.

Secrets (``OPENAI_API_KEY``, ``MUD_LOCAL_API_KEY``) are read from the environment only;
a config file that contains one is refused. No error message ever shows a value that
looks like a secret (``looks_secret``), whatever key it was put under.

Defaults for the database and the SSH host keys: in a checkout of this project (the
working directory holds ``pyproject.toml`` and ``mud/__init__.py``) they are ``./mud.db``
and ``./host_keys`` as before; anywhere else they live in the state directory
(``state_dir``: ``$MUD_STATE_DIR``, else ``$XDG_STATE_HOME/mud``, else
``~/.local/state/mud``). The bundled content packs ship inside the package
(``mud.content``, mapped from the top-level ``content/`` folder by pyproject.toml).
"""

from __future__ import annotations

import importlib.util
import json
import math
import os
import re
import tomllib
from collections.abc import Iterator, Mapping, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any, get_args, get_origin

import attrs
import cattrs
from attrs import evolve, field, fields, frozen
from cattrs.errors import (
    BaseValidationError,
    ClassValidationError,
    ForbiddenExtraKeysError,
    IterableValidationError,
)

from mud.dm.settings import DmSettings
from mud.world.loader import parse_yaml_mapping

# -- where things are by default -------------------------------------------------------


def bundled_content_root() -> Path:
    """The folder holding the bundled packs (``hollowmere``, ``saltmarsh_ferry``).

    In a checkout (editable install or ``PYTHONPATH``) that is ``content/`` beside the
    package; in an installed wheel it is the package data ``mud/content``.
    """
    beside = Path(__file__).resolve().parent.parent / "content"
    if (beside / "hollowmere").is_dir():
        return beside
    spec = importlib.util.find_spec("mud.content")
    if spec is not None and spec.submodule_search_locations:
        for location in spec.submodule_search_locations:
            if (Path(location) / "hollowmere").is_dir():
                return Path(location)
    return Path("content")


DEFAULT_CONTENT = str(bundled_content_root() / "hollowmere")
# Where a pack's ``requires`` are looked for when they are not beside it: the folder of
# bundled packs, so an add-on kept anywhere can require hollowmere.
PACK_SEARCH: tuple[str, ...] = (str(Path(DEFAULT_CONTENT).parent),)


def is_checkout(directory: Path) -> bool:
    """True if ``directory`` is a checkout of this project (the README's way to run)."""
    return (directory / "pyproject.toml").is_file() and (
        directory / "mud" / "__init__.py"
    ).is_file()


def default_state_dir(environ: Mapping[str, str], cwd: Path | None = None) -> str:
    """Where the database and host keys go unless configured (see the module docstring)."""
    if is_checkout(cwd or Path.cwd()):
        return "."
    if environ.get("XDG_STATE_HOME"):
        return str(Path(environ["XDG_STATE_HOME"]) / "mud")
    return str(Path(environ.get("HOME") or Path.home()) / ".local" / "state" / "mud")


# -- secrets -----------------------------------------------------------------------------

SECRET_ENV = {"openai_api_key": "OPENAI_API_KEY", "local_api_key": "MUD_LOCAL_API_KEY"}
_SECRET_NAME = re.compile(r"(api_?key|secret|passw(or)?d|credential|bearer)", re.IGNORECASE)
_SECRET_PREFIX = re.compile(
    r"^\s*(sk-|sk_|pk_|rk_|ghp_|gho_|github_pat_|xox[abposr]-|AKIA|Bearer\s)"
)
_TOKENISH = re.compile(r"^[A-Za-z0-9_\-+/=.]{20,}$")
_URL_USERINFO = re.compile(r"^[a-z][a-z0-9+.-]*://[^/@\s]+@", re.IGNORECASE)


def looks_secret(value: object, name: str = "") -> bool:
    """True if ``value`` (under the key ``name``) might be a credential.

    Errs on the side of hiding: any text under a key named like a secret, anything with a
    known token prefix, a long run of token characters with letters and digits and no
    path separator, or a URL with a user/password part.
    """
    if not isinstance(value, str):
        return False
    if name and _SECRET_NAME.search(name) and value:
        return True
    if _SECRET_PREFIX.search(value) or _URL_USERINFO.search(value):
        return True
    text = value.strip()
    return (
        bool(_TOKENISH.match(text))
        and "/" not in text
        and any(c.isdigit() for c in text)
        and any(c.isalpha() for c in text)
    )


_WORD = re.compile(r"[^\s'\"(),\[\]{}]+")


def scrub(text: str) -> str:
    """``text`` with every word that looks like a secret replaced by ``<redacted>``."""
    return _WORD.sub(lambda m: "<redacted>" if looks_secret(m.group()) else m.group(), text)


def shown(value: object, name: str = "") -> str:
    """``value`` as it may appear in a message: quoted, shortened, or hidden if secret."""
    if looks_secret(value, name):
        return "a value that looks like a secret (not shown)"
    if isinstance(value, Mapping):
        return "a mapping"
    if isinstance(value, list | tuple):
        return "a list"
    text = repr(value)
    return text if len(text) <= 60 else text[:57] + "..."


# -- the schema ------------------------------------------------------------------------


def _opt(
    default: Any,
    help: str,
    *,
    unit: str = "",
    lo: float | None = None,
    hi: float | None = None,
    above: float | None = None,
    choices: Sequence[str] = (),
    reload: bool = False,
) -> Any:
    """An attrs field with its documentation and limits (``above``: strictly greater)."""
    meta = {
        "help": help,
        "unit": unit,
        "lo": lo,
        "hi": hi,
        "above": above,
        "choices": tuple(choices),
        "reload": reload,
    }
    if isinstance(default, list | dict):
        factory = default.copy
        return field(factory=factory, metadata=meta)
    return field(default=default, metadata=meta)


@frozen
class Limits:
    """The hub's protections and timings (``mud.hub.HubSettings``)."""

    max_per_ip: int = _opt(10, "concurrent connections from one address, any door, any state", lo=1)
    max_per_net: int = _opt(
        0,
        "concurrent connections from one network (IPv4 /24, IPv6 /48); 0: 4 x max_per_ip",
        lo=0,
    )
    max_connections: int = _opt(
        1000, "concurrent connections in all (lowered to fit the open-file limit)", lo=1
    )
    evict_after: float = _opt(
        10.0,
        "at max_connections, age after which one not logged in makes room for a new one",
        unit="seconds",
        lo=0,
    )
    connect_rate: float = _opt(2.0, "new connections a second from one address", above=0)
    connect_burst: float = _opt(20.0, "new connections from one address in a burst", lo=1)
    new_per_ip: int = _opt(10, "new characters one address may make in an hour", lo=1)
    login_deadline: float = _opt(120.0, "time to finish logging in", unit="seconds", above=0)
    idle_warn: float = _opt(1500.0, "idle time before a warning", unit="seconds", above=0)
    idle_close: float = _opt(1800.0, "idle time before disconnection", unit="seconds", above=0)
    linkdead_grace: float = _opt(
        120.0, "how long a dropped player's character stays", unit="seconds", lo=0
    )
    throttle_limit: int = _opt(
        5, "password attempts per address per throttle_window, telnet and SSH together", lo=1
    )
    throttle_window: float = _opt(60.0, "window of the login throttle", unit="seconds", above=0)
    throttle_account_limit: int = _opt(
        20,
        "failed password attempts per account per throttle_window, any address; an"
        " address that has logged into the account (in the last 90 days) is not held to it",
        lo=1,
    )
    hash_n: int = _opt(16384, "scrypt cost N (a power of two; lower only for tests)", lo=2)
    flood_rate: float = _opt(10.0, "lines per second a connection may sustain", above=0)
    flood_burst: float = _opt(40.0, "lines a connection may send in a burst", above=0)
    max_line: int = _opt(2000, "longest input line accepted, in characters", lo=1)
    max_ahead: int = _opt(64, "lines that may wait while a login is busy", lo=1)
    inbox_size: int = _opt(8192, "messages the game actor may have waiting", lo=1)
    tick: float = _opt(1.0, "the game clock's tick", unit="seconds", above=0)
    commit_retries: int = _opt(3, "retries of a failed database commit", lo=0)
    log_batch: int = _opt(64, "event-log rows written per commit", lo=1)
    broadcast_slice: int = _opt(
        256, "receivers of a broadcast handed their output per turn of the event loop", lo=1
    )
    prompt_hold: float = _opt(
        5.0,
        "longest a fighter's 'Your turn!' waits for the round's narration to end (0: never)",
        unit="seconds",
        lo=0,
    )
    wander_every: float = _opt(
        30.0,
        "how often wandering NPCs may move (each with its pack's wander_chance)",
        unit="seconds",
        above=0,
    )
    ambience_every: float = _opt(
        30.0,
        "how often a room with players in it may show a line of its ambience or an NPC's"
        " emote (each with its pack's ambience_chance)",
        unit="seconds",
        above=0,
    )
    admin_refresh: float = _opt(
        10.0,
        "how often admin flags and bans are re-read from the database",
        unit="seconds",
        above=0,
    )


# Settings every door has, with one default and one description (telnet, SSH, web).


def _door_max_buffer() -> Any:
    return _opt(16384, "bytes of an unfinished input line before a drop", lo=256)


def _door_max_outbox() -> Any:
    return _opt(262144, "bytes queued for a slow client before a drop", lo=1024)


def _door_post_deadline() -> Any:
    return _opt(10.0, "wait for the game to take an event", unit="seconds", above=0)


def _door_input_rate() -> Any:
    return _opt(32768.0, "bytes a second a client may send (over budget: cut off)", above=0)


def _door_input_burst() -> Any:
    return _opt(131072, "bytes a client may send in a burst", lo=1024)


def _door_backlog() -> Any:
    return _opt(
        4096, "connections the kernel queues before the server accepts them", lo=1, hi=65535
    )


def _door_login_line_deadline() -> Any:
    return _opt(
        20.0,
        "before login, time from the first byte of a line to its end (over: cut off)",
        unit="seconds",
        above=0,
    )


def _door_stall_backlog() -> Any:
    return _opt(
        65536, "bytes of output a client has not taken before the stall rule applies", lo=1024
    )


def _door_stall_deadline() -> Any:
    return _opt(
        5.0,
        "a client over stall_backlog that takes nothing for this long is cut off",
        unit="seconds",
        above=0,
    )


@frozen
class TelnetSection:
    """The telnet door (``mud.net.telnet.TelnetSettings``)."""

    connect_maxwait: float = _opt(
        1.0, "negotiation wait before the greeting", unit="seconds", lo=0, hi=30
    )
    max_buffer: int = _door_max_buffer()
    max_outbox: int = _door_max_outbox()
    post_deadline: float = _door_post_deadline()
    compression: bool = _opt(True, "offer MCCP2 output compression")
    ttype_max: int = _opt(4, "terminal-type requests per connection", lo=1, hi=16)
    max_subneg: int = _opt(8192, "largest subnegotiation (GMCP) accepted, bytes", lo=64)
    sndbuf: int = _opt(65536, "kernel send buffer per connection, bytes (0: kernel default)", lo=0)
    input_rate: float = _door_input_rate()
    input_burst: int = _door_input_burst()
    backlog: int = _door_backlog()
    login_line_deadline: float = _door_login_line_deadline()
    stall_backlog: int = _door_stall_backlog()
    stall_deadline: float = _door_stall_deadline()


@frozen
class SshSection:
    """The SSH door (``mud.net.ssh.SshSettings``)."""

    max_buffer: int = _door_max_buffer()
    max_outbox: int = _door_max_outbox()
    post_deadline: float = _door_post_deadline()
    login_timeout: float = _opt(
        30.0, "time to finish SSH authentication, from the connection", unit="seconds", above=0
    )
    session_timeout: float = _opt(
        10.0, "time to open the game session once authenticated", unit="seconds", above=0
    )
    input_rate: float = _door_input_rate()
    input_burst: int = _door_input_burst()
    inbox_high: int = _opt(32, "queued input lines at which reading pauses", lo=2)
    inbox_low: int = _opt(8, "queued input lines at which reading resumes", lo=0)
    backlog: int = _door_backlog()
    login_line_deadline: float = _door_login_line_deadline()
    stall_backlog: int = _door_stall_backlog()
    stall_deadline: float = _door_stall_deadline()


@frozen
class WebSection:
    """The browser door (``mud.net.web.WebSettings``)."""

    origins: tuple[str, ...] = _opt((), "extra page origins allowed to open the WebSocket")
    trusted_proxies: tuple[str, ...] = _opt(
        (), "addresses whose X-Forwarded-For is believed (a reverse proxy)"
    )
    max_frame: int = _opt(16384, "largest incoming WebSocket message, bytes", lo=128)
    max_buffer: int = _door_max_buffer()
    max_outbox: int = _door_max_outbox()
    handshake_timeout: float = _opt(
        10.0, "time to finish the HTTP handshake", unit="seconds", above=0
    )
    post_deadline: float = _door_post_deadline()
    max_http_request: int = _opt(16384, "largest HTTP request head, bytes", lo=1024)
    input_rate: float = _door_input_rate()
    input_burst: int = _door_input_burst()
    backlog: int = _door_backlog()
    login_line_deadline: float = _door_login_line_deadline()
    stall_backlog: int = _door_stall_backlog()
    stall_deadline: float = _door_stall_deadline()
    who: bool = _opt(True, "serve who is in the world at /who (JSON, for a web site)")


@frozen
class RetentionSection:
    """How long the play logs are kept (``mud.retention.RetentionSettings``)."""

    event_log_days: float = _opt(30.0, "replay event log kept (0: forever)", unit="days", lo=0)
    rolls_days: float = _opt(30.0, "dice rolls kept (0: forever)", unit="days", lo=0)
    chat_log_days: float = _opt(90.0, "chat log kept (0: forever)", unit="days", lo=0)
    narration_log_days: float = _opt(30.0, "narrations kept (0: forever)", unit="days", lo=0)
    dm_calls_days: float = _opt(30.0, "DM call recordings kept (0: forever)", unit="days", lo=0)
    usage_days: float = _opt(
        90.0, "token usage rows kept, then summed per hour (0: forever)", unit="days", lo=0
    )
    interval: float = _opt(3600.0, "time between pruning passes", unit="seconds", above=0)
    batch: int = _opt(500, "rows deleted per transaction", lo=1)
    pause: float = _opt(0.05, "pause between two batches", unit="seconds", lo=0)


@frozen
class MetricsSection:
    """The admin endpoint: Prometheus ``/metrics`` and ``/healthz`` (``mud.metrics``)."""

    port: int | None = _opt(None, "metrics port (unset: off; 0 picks a free one)", lo=0, hi=65535)
    host: str = _opt("127.0.0.1", "address of the metrics port")


@frozen
class TimeoutsSection:
    """Deadlines of one provider call (``mud.dm.providers.base.Timeouts``)."""

    connect: float = _opt(3.0, "establishing the connection", unit="seconds", above=0)
    first_token: float = _opt(8.0, "request to first text", unit="seconds", above=0)
    chunk_gap: float = _opt(5.0, "longest silence between chunks", unit="seconds", above=0)
    total: float = _opt(30.0, "the whole call", unit="seconds", above=0)


_DM_HELP: Mapping[str, tuple[str, str]] = {
    # name: (unit, help). The dm section is DmSettings itself; its validators apply.
    "high_size": ("", "high-priority requests that may wait"),
    "high_timeout": ("seconds", "how long a high-priority request may wait"),
    "medium_size": ("", "medium-priority requests that may wait"),
    "medium_timeout": ("seconds", "how long a medium-priority request may wait"),
    "low_size": ("", "low-priority requests that may wait"),
    "low_timeout": ("seconds", "how long a low-priority request may wait"),
    "total_size": ("", "requests that may wait, all priorities"),
    "dedupe_window": ("seconds", "the same repeated action within it is coalesced"),
    "merge_max": ("", "simultaneous actions of one room merged into one narration"),
    "merge_window": ("seconds", "how close together merged actions must be"),
    "max_concurrent": ("", "narrations in flight at once"),
    "thinking_after": ("seconds", "delay before the room is told the DM is at work"),
    "max_chars": ("", "longest narration, in characters"),
    "max_tokens": ("", "longest narration, in model tokens"),
    "max_sentences": ("", "most sentences in a narration (the pack's 2-4)"),
    "grounding": ("", "show a model's answer only once it is about the scene, else fail over"),
    "vet": ("", "whose answers are shown a fit sentence at a time: off, local (tier) or all"),
    "local_context_tokens": ("", "the local model's context (0: ask llama.cpp, else 2048)"),
    "temperature": ("", "sampling temperature"),
    "turn_timeout": ("seconds", "a whole narration, all providers"),
    "post_timeout": ("seconds", "posting one message into the game"),
    "store_timeout": ("seconds", "one database call"),
    "provider_rpm": ("", "provider requests per minute"),
    "actor_per_min": ("", "narrations per player per minute"),
    "room_per_min": ("", "narrations per room per minute"),
    "actor_token_limit": ("", "tokens per player per day (or MUD_PLAYER_TOKEN_LIMIT)"),
    "daily_budget_usd": ("US dollars", "server cost cap per day (or MUD_DAILY_BUDGET_USD)"),
    "actor_daily_usd": ("US dollars", "cost cap per player per day"),
    "alert_thresholds": ("", "fractions of the budget at which admins are alerted"),
    "pricing": ("", "model: [input, output] US dollars per million tokens"),
    "offline_provider": ("", "the offline narrator's label"),
    "cache_ttl": ("seconds", "how long a cached scene stays valid"),
    "cache_size": ("", "scenes kept in the cache"),
    "history_exchanges": ("", "exchanges of history in a prompt"),
    "history_keep": ("", "exchanges of history kept per room"),
    "summary_every": ("", "exchanges between history summaries"),
    "summary_chars": ("", "longest history summary, in characters"),
    "player_text_cap": ("", "characters of a player's text put into a prompt"),
}

# The dm section is structured into a plain mirror of DmSettings (same names, types and
# defaults, no converters or validators), so that cattrs reports each bad value with its
# path; DmSettings' own validators and converters then run field by field (_validate).
if TYPE_CHECKING:
    DmSection = DmSettings
else:
    DmSection = attrs.make_class(
        "DmSection",
        {
            a.name: field(default=a.default, type=a.type)
            for a in fields(attrs.resolve_types(DmSettings))
        },
        frozen=True,
    )
_DM_ATTRS = {a.name: a for a in fields(DmSettings)}

_PROVIDERS = ("openai", "local", "offline")
_LEVELS = ("DEBUG", "INFO", "WARNING", "ERROR", "CRITICAL")


@frozen
class Schema:
    """The whole configuration, typed and complete (defaults filled in)."""

    host: str = _opt("0.0.0.0", "address the doors listen on")
    telnet_port: int = _opt(4000, "telnet port (0 picks a free one)", lo=0, hi=65535)
    ssh_port: int = _opt(2222, "SSH port (0 picks a free one)", lo=0, hi=65535)
    web_port: int | None = _opt(
        4080, "browser door port (0 picks a free one; off turns the door off)", lo=0, hi=65535
    )
    state_dir: str = _opt("", "folder for the database and host keys")
    db: str = _opt("", "database: a SQLite file (or sqlite:///path) or a postgresql:// URL")
    host_keys: str = _opt("", "SSH host key folder")
    content: tuple[str, ...] = _opt(
        (DEFAULT_CONTENT,),
        "content pack folders (`:` between them in the environment)",
        reload=True,
    )
    config: str = _opt("", "the config file (flag or environment only)")
    providers: tuple[str, ...] = _opt(
        _PROVIDERS, "Dungeon Master providers, in order", choices=_PROVIDERS
    )
    openai_model: str = _opt("gpt-4o-mini", "OpenAI model")
    openai_base_url: str = _opt("https://api.openai.com/v1", "OpenAI API address")
    local_base_url: str = _opt("", "OpenAI-compatible local server address")
    local_model: str = _opt("", "local model name")
    seed: int | None = _opt(None, "world random seed (unset: random)")
    player_token_limit: int | None = _opt(
        None, "tokens per player per day (overrides dm.actor_token_limit)", lo=1
    )
    daily_budget_usd: float | None = _opt(
        None, "cost cap per day (overrides dm.daily_budget_usd)", unit="US dollars", lo=0
    )
    log_level: str = _opt("INFO", "log level", choices=_LEVELS, reload=True)
    log_libraries: str = _opt(
        "WARNING", "log level of asyncssh, telnetlib3 and the like", choices=_LEVELS, reload=True
    )
    log_chat: bool = _opt(False, "write chat lines to the log (logger mud.chat)", reload=True)
    limits: Limits = field(factory=Limits, metadata={"help": "protections and timings"})
    telnet: TelnetSection = field(factory=TelnetSection, metadata={"help": "the telnet door"})
    ssh: SshSection = field(factory=SshSection, metadata={"help": "the SSH door"})
    web: WebSection = field(factory=WebSection, metadata={"help": "the browser door"})
    dm: DmSection = field(factory=DmSection, metadata={"help": "the Dungeon Master"})
    timeouts: TimeoutsSection = field(
        factory=TimeoutsSection, metadata={"help": "provider call deadlines"}
    )
    mssp: Mapping[str, str] = field(
        factory=dict, metadata={"help": "extra MSSP variables for MUD crawlers", "reload": True}
    )
    retention: RetentionSection = field(
        factory=RetentionSection, metadata={"help": "how long the play logs are kept"}
    )
    metrics: MetricsSection = field(
        factory=MetricsSection, metadata={"help": "the metrics and health endpoint"}
    )


for _cls in (
    Limits,
    TelnetSection,
    SshSection,
    WebSection,
    TimeoutsSection,
    RetentionSection,
    MetricsSection,
    Schema,
):
    attrs.resolve_types(_cls)  # real types, not strings, for cattrs and the messages

SECTIONS = ("limits", "telnet", "ssh", "web", "dm", "timeouts", "mssp", "retention", "metrics")
_SECTION_TYPES: Mapping[str, type] = {
    "limits": Limits,
    "telnet": TelnetSection,
    "ssh": SshSection,
    "web": WebSection,
    "dm": DmSection,
    "timeouts": TimeoutsSection,
    "retention": RetentionSection,
    "metrics": MetricsSection,
}
# Top-level keys the environment sets (MUD_<KEY>); "config" is the file itself.
ENV = {a.name: f"MUD_{a.name.upper()}" for a in fields(Schema) if a.name not in SECTIONS}
_LIST_SEP = {"content": ":", "providers": ","}
FLAG_KEYS = (
    "host",
    "telnet_port",
    "ssh_port",
    "web_port",
    "db",
    "content",
    "config",
    "host_keys",
    "state_dir",
)


# -- the effective configuration --------------------------------------------------------


@frozen
class Config:
    """The effective configuration of one server run (what ``mud.app`` reads).

    Sections hold only the keys that were set, converted to their types; the rest take
    the defaults of the settings classes they feed. Tests build one directly.
    """

    host: str = "0.0.0.0"
    telnet_port: int = 4000
    ssh_port: int = 2222
    web_port: int | None = 4080
    db: str = "mud.db"
    content: tuple[str, ...] = (DEFAULT_CONTENT,)
    host_keys: str = "host_keys"
    config: str = ""
    state_dir: str = "."
    providers: tuple[str, ...] = _PROVIDERS
    openai_model: str = "gpt-4o-mini"
    openai_base_url: str = "https://api.openai.com/v1"
    local_base_url: str = ""
    local_model: str = ""
    seed: int | None = None
    player_token_limit: int | None = None
    daily_budget_usd: float | None = None
    log_level: str = "INFO"
    log_libraries: str = "WARNING"
    log_chat: bool = False
    limits: Mapping[str, Any] = field(factory=dict)
    telnet: Mapping[str, Any] = field(factory=dict)
    ssh: Mapping[str, Any] = field(factory=dict)
    web: Mapping[str, Any] = field(factory=dict)
    dm: Mapping[str, Any] = field(factory=dict)
    timeouts: Mapping[str, Any] = field(factory=dict)
    mssp: Mapping[str, Any] = field(factory=dict)
    retention: Mapping[str, Any] = field(factory=dict)
    metrics: Mapping[str, Any] = field(factory=dict)
    openai_api_key: str = field(default="", repr=False)
    local_api_key: str = field(default="", repr=False)
    # "path" -> "default" | "file <path>" | "env <NAME>" | "flag --x"; for ``mud config``.
    sources: Mapping[str, str] = field(factory=dict, eq=False, repr=False)

    def redacted(self) -> str:
        """The configuration as JSON with secrets replaced by "<set>" or "<unset>"."""
        data = attrs.asdict(self, filter=lambda a, _v: a.name != "sources")
        for key in SECRET_ENV:
            data[key] = "<set>" if data[key] else "<unset>"
        return json.dumps(_redact_tree(data), indent=2, sort_keys=True, default=str)


def _redact_tree(value: Any, name: str = "") -> Any:
    if isinstance(value, Mapping):
        return {k: _redact_tree(v, str(k)) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_redact_tree(v, name) for v in value]
    if name in SECRET_ENV:
        return value
    return "<redacted>" if looks_secret(value, name) else value


class ConfigError(ValueError):
    """The configuration is invalid. ``problems``: one line per problem, each naming the
    setting's path and where the value came from, never showing a secret."""

    def __init__(self, problems: Sequence[str]) -> None:
        # A last safety net (a parser's message may quote a key or a value): any word that
        # looks like a secret is replaced before the message exists.
        clean = [scrub(problem) for problem in problems]
        super().__init__("\n".join(clean))
        self.problems = clean


# -- structuring (cattrs) ---------------------------------------------------------------

_TRUE = {"true", "yes", "on", "1"}
_FALSE = {"false", "no", "off", "0"}


def _to_int(value: Any, _t: Any) -> int:
    if isinstance(value, bool):
        raise TypeError("a switch is not a number")
    if isinstance(value, int):
        return value
    if isinstance(value, float) and value.is_integer():
        return int(value)
    if isinstance(value, str):
        return int(value.strip().replace("_", ""))
    raise TypeError("not a whole number")


def _to_float(value: Any, _t: Any) -> float:
    if isinstance(value, bool):
        raise TypeError("a switch is not a number")
    number = float(value.strip()) if isinstance(value, str) else value
    if not isinstance(number, int | float) or not math.isfinite(number):
        raise TypeError("not a finite number")
    return float(number)


def _to_bool(value: Any, _t: Any) -> bool:
    if isinstance(value, bool):
        return value
    if isinstance(value, str) and value.strip().lower() in _TRUE | _FALSE:
        return value.strip().lower() in _TRUE
    raise TypeError("not true or false")


def _to_str(value: Any, _t: Any) -> str:
    if isinstance(value, bool) or not isinstance(value, str | int | float):
        raise TypeError("not text")
    return str(value)


def _converter() -> cattrs.Converter:
    conv = cattrs.Converter(forbid_extra_keys=True, detailed_validation=True)
    conv.register_structure_hook(int, _to_int)
    conv.register_structure_hook(float, _to_float)
    conv.register_structure_hook(bool, _to_bool)
    conv.register_structure_hook(str, _to_str)
    return conv


def _is_tuple(kind: Any) -> bool:
    return bool(get_origin(kind) is tuple)


def _strict_lists(conv: cattrs.Converter) -> cattrs.Converter:
    """Lists must be lists: cattrs alone would turn a mapping into a tuple of its keys."""
    items = _converter()

    def structure_list(value: Any, kind: Any) -> Any:
        if isinstance(value, str):  # "a, b" is the list [a, b], as in the environment
            value = [part.strip() for part in value.split(",") if part.strip()]
        if isinstance(value, bytes | Mapping) or not isinstance(value, list | tuple):
            raise TypeError("not a list")
        return items.structure(value, kind)

    conv.register_structure_hook_func(_is_tuple, structure_list)
    return conv


_CONVERTER = _strict_lists(_converter())


def _attr_at(path: Sequence[str | int]) -> attrs.Attribute[Any] | None:
    """The schema attribute at ``path`` (a section key or a top-level key), if any."""
    cls: Any = Schema
    found: attrs.Attribute[Any] | None = None
    for part in path:
        if not (isinstance(part, str) and attrs.has(cls)):
            break
        match = [a for a in fields(cls) if a.name == part]
        if not match:
            return None
        found = match[0]
        cls = found.type if isinstance(found.type, type) else _SECTION_TYPES.get(part)
    return found


def _inner_type(kind: Any, depth: int) -> Any:
    """The type ``depth`` levels inside a list or mapping type (values, not keys)."""
    for _ in range(depth):
        args = get_args(kind)
        if not args:
            return kind
        kind = args[0] if get_origin(kind) is tuple else args[-1]
    return kind


def _expected(attr: attrs.Attribute[Any] | None, section: str = "", inner: int = 0) -> str:
    if attr is None:
        return "expected a different kind of value"
    if inner:  # an item inside a list or mapping (dm.pricing, dm.alert_thresholds)
        kind = _inner_type(attr.type, inner)
        if get_origin(kind) is tuple:
            return "expected a list"
        return "expected a number" if kind in (int, float) else "expected text"
    kind = attr.type
    unit = attr.metadata.get("unit") or (_DM_HELP.get(attr.name, ("", ""))[0] if section else "")
    name = attr.name
    if name in SECTIONS and not section:
        return "expected a section (a mapping of settings)"
    if get_origin(kind) is tuple:
        return "expected a list"
    text = str(kind)
    if "Mapping" in text:
        return "expected a mapping"
    if "bool" in text:
        return "expected true or false"
    if "float" in text:
        return f"expected a number of {unit}" if unit else "expected a number"
    if "int" in text:
        if name.endswith("_port"):
            return "expected a port number (0 to 65535)"
        return "expected a whole number"
    return "expected text"


def _lookup(raw: Mapping[str, Any], path: Sequence[str | int]) -> tuple[bool, Any]:
    node: Any = raw
    for part in path:
        in_list = isinstance(node, list | tuple) and isinstance(part, int) and part < len(node)
        if not (in_list or (isinstance(node, Mapping) and part in node)):
            return False, None
        node = node[part]
    return True, node


def _walk_errors(
    exc: BaseException, path: list[str | int]
) -> Iterator[tuple[list[str | int], str | None]]:
    """(path, None) for a value of the wrong type; (path, "unknown") for an extra key."""
    if isinstance(exc, ForbiddenExtraKeysError):
        for key in sorted(exc.extra_fields):
            yield [*path, key], "unknown"
    elif isinstance(exc, ClassValidationError | IterableValidationError):
        with_notes, without = exc.group_exceptions()
        for sub, note in with_notes:
            step = getattr(note, "name", None)
            if step is None:
                step = getattr(note, "index", None)
            yield from _walk_errors(sub, [*path, step] if step is not None else path)
        for sub in without:
            yield from _walk_errors(sub, path)
    else:
        yield path, None


def _dotted(path: Sequence[str | int]) -> str:
    parts = ["config"]
    for part in path:
        text = str(part)
        parts.append("<a key that looks like a secret>" if looks_secret(text) else text)
    return ".".join(parts)


def _range_problem(attr: attrs.Attribute[Any], value: Any) -> str | None:
    meta = attr.metadata
    values = value if isinstance(value, tuple) else (value,)
    for item in values:
        if item is None:
            continue
        if meta.get("choices") and str(item).upper() not in {c.upper() for c in meta["choices"]}:
            return f"expected one of {', '.join(meta['choices'])}, got {shown(item)}"
        if not isinstance(item, int | float):
            continue
        lo, hi, above = meta.get("lo"), meta.get("hi"), meta.get("above")
        if lo is not None and item < lo:
            return f"must be at least {lo:g}, got {item!r}"
        if hi is not None and item > hi:
            return f"must be at most {hi:g}, got {item!r}"
        if above is not None and item <= above:
            return f"must be more than {above:g}, got {item!r}"
    return None


def _validate(obj: Any, path: list[str | int]) -> Iterator[tuple[list[str | int], str]]:
    """Run each field's limits and attrs validators on its own (so every problem is
    reported with its path), recursing into sections."""
    for attr in fields(type(obj)):
        value = getattr(obj, attr.name)
        here = [*path, attr.name]
        if attrs.has(type(value)):
            yield from _validate(value, here)
            continue
        problem = _range_problem(attr, value)
        original = _DM_ATTRS[attr.name] if isinstance(obj, DmSection) else attr
        if problem is None and (original.validator or original.converter) is not None:
            try:
                if callable(original.converter):
                    value = original.converter(value)
                if original.validator is not None:
                    original.validator(obj, original, value)
            except (TypeError, ValueError) as exc:
                # attrs' messages start with the quoted field name; the path says it.
                problem = re.sub(rf"^'{attr.name}'\s*", "", str(exc)) or "invalid value"
        if problem is not None:
            yield here, problem
    if isinstance(obj, Limits) and obj.hash_n & (obj.hash_n - 1):
        yield [*path, "hash_n"], f"must be a power of two, got {obj.hash_n}"


def check_schema(
    raw: Mapping[str, Any], sources: Mapping[str, str]
) -> tuple[Schema | None, list[str]]:
    """Structure ``raw`` (nested, defaults not filled) into a ``Schema``.

    Returns the typed configuration and no problems, or None and one line per problem.
    """
    problems: list[str] = []

    def origin(path: Sequence[str | int]) -> str:
        for depth in range(len(path), 0, -1):
            key = ".".join(str(p) for p in path[:depth])
            if key in sources:
                return f" (from {sources[key]})"
        return ""

    with attrs.validators.disabled():
        try:
            schema: Schema | None = _CONVERTER.structure(dict(raw), Schema)
        except BaseValidationError as exc:
            schema = None
            for path, kind in _walk_errors(exc, []):
                if kind == "unknown":
                    problems.append(f"{_dotted(path)}: unknown setting{origin(path)}")
                    continue
                found, value = _lookup(raw, path)
                names = [p for p in path if isinstance(p, str)]
                attr = _attr_at(names)
                section = names[0] if len(names) > 1 and names[0] in SECTIONS else ""
                got = f", got {shown(value, str(path[-1]) if path else '')}" if found else ""
                inner = max(0, len(path) - (2 if section else 1))
                problems.append(
                    f"{_dotted(path)}: {_expected(attr, section, inner)}{got}{origin(path)}"
                )
    if schema is not None:
        for path, problem in _validate(schema, []):
            problems.append(f"{_dotted(path)}: {problem}{origin(path)}")
    return (schema if not problems else None), problems


# -- the sources ------------------------------------------------------------------------


def read_config_file(path: str) -> dict[str, Any]:
    """Parse a TOML or YAML config file into a mapping. Raises ConfigError naming the file
    (never echoing its content: the parsers' messages give a line, not the text)."""
    try:
        text = Path(path).read_text(encoding="utf-8")
    except OSError as exc:
        raise ConfigError([f"{path}: cannot read config file: {exc.strerror}"]) from exc
    if path.endswith(".toml"):
        try:
            return tomllib.loads(text)
        except tomllib.TOMLDecodeError as exc:
            raise ConfigError([f"{path}: {exc}"]) from exc
    try:
        return dict(parse_yaml_mapping(text, path))
    except ValueError as exc:
        raise ConfigError([str(exc)]) from exc


_OFF = ("off", "none", "null", "false", "no")


def _split(key: str, value: Any) -> Any:
    """A value from any source shaped for the schema: list strings split, ``web_port``'s
    off switch made None (the browser door is turned off)."""
    if key == "web_port" and (value is False or str(value).strip().lower() in _OFF):
        return None
    if key in _LIST_SEP and isinstance(value, str):
        return tuple(p.strip() for p in value.split(_LIST_SEP[key]) if p.strip())
    return value


def _env_value(section: str, key: str, text: str) -> Any:
    """An environment string shaped for the schema: lists split at commas, mappings as
    JSON; scalars are converted by the structure hooks."""
    attr = _attr_at([section, key])
    kind = str(attr.type) if attr is not None else ""
    if attr is not None and get_origin(attr.type) is tuple:
        return [part.strip() for part in text.split(",") if part.strip()]
    if "Mapping" in kind:
        try:
            return json.loads(text)
        except ValueError:
            return text
    return text


def _layer_env(environ: Mapping[str, str]) -> tuple[dict[str, Any], dict[str, str], list[str]]:
    raw: dict[str, Any] = {}
    sources: dict[str, str] = {}
    problems: list[str] = []
    for key, name in ENV.items():
        if environ.get(name):
            raw[key] = _split(key, environ[name])
            sources[key] = f"environment {name}"
    for name, value in environ.items():
        head, sep, key = name.partition("__")
        if not sep or not head.startswith("MUD_") or not value:
            continue
        section = head[4:].lower()
        if section not in SECTIONS:
            problems.append(f"config.{section}: unknown section (from environment {name})")
            continue
        key = key if section == "mssp" else key.lower()
        raw.setdefault(section, {})[key] = _env_value(section, key, value)
        sources[f"{section}.{key}"] = f"environment {name}"
    return raw, sources, problems


def _merge(into: dict[str, Any], layer: Mapping[str, Any]) -> None:
    for key, value in layer.items():
        if key in SECTIONS and isinstance(value, Mapping) and isinstance(into.get(key), Mapping):
            into[key] = {**into[key], **value}
        else:
            into[key] = value


def _file_sources(data: Mapping[str, Any], label: str) -> dict[str, str]:
    out: dict[str, str] = {}
    for key, value in data.items():
        out[key] = label
        if key in SECTIONS and isinstance(value, Mapping):
            for sub in value:
                out[f"{key}.{sub}"] = label
    return out


def load_config(
    flags: Mapping[str, Any],
    environ: Mapping[str, str] | None = None,
    *,
    cwd: Path | None = None,
) -> Config:
    """Merge flags (non-None values) > environment > config file > defaults, per setting,
    and validate the whole against the schema. Called by ``mud.cli`` before anything
    starts. Raises ConfigError with every problem found."""
    env = os.environ if environ is None else environ
    problems: list[str] = []
    from_env, env_sources, env_problems = _layer_env(env)
    problems += env_problems
    from_flags: dict[str, Any] = {}
    flag_sources: dict[str, str] = {}
    for key, value in flags.items():
        if value is None:
            continue
        if key == "content" and isinstance(value, list | tuple):
            value = tuple(str(v) for v in value)
        from_flags[key] = _split(key, value)
        flag_sources[key] = f"flag --{key.replace('_', '-')}"
    path = str(from_flags.get("config") or from_env.get("config") or "")
    from_file: dict[str, Any] = {}
    if path:
        data = read_config_file(path)
        for key in list(data):
            if key in SECRET_ENV:
                problems.append(
                    f"config.{key}: secrets are read from the environment only"
                    f" ({SECRET_ENV[key]}), not from {path}"
                )
                del data[key]
            elif key == "config":
                problems.append(f"config.config: unknown setting (from file {path})")
                del data[key]
        from_file = {k: _split(k, v) for k, v in data.items()}
        if isinstance(from_file.get("content"), list | tuple):
            # Relative to the file's own folder when the pack is there: played by an
            # operator, the README's example config named content/... folders that
            # only a checkout has, and from /var/lib/mud the server found none.
            base = Path(path).resolve().parent
            from_file["content"] = tuple(
                str(base / c) if not Path(c).is_absolute() and (base / c).is_dir() else c
                for c in from_file["content"]
            )
    raw: dict[str, Any] = {}
    sources: dict[str, str] = {}
    for layer, layer_sources in (
        (from_file, _file_sources(from_file, f"file {path}")),
        (from_env, env_sources),
        (from_flags, flag_sources),
    ):
        _merge(raw, layer)
        sources.update(layer_sources)
    schema, schema_problems = check_schema(raw, sources)
    problems += schema_problems
    if problems or schema is None:
        raise ConfigError(problems)
    config = _effective(schema, raw, sources, env, cwd)
    return evolve(config, content=tuple(pack_folder(c) for c in config.content))


def pack_folder(entry: str) -> str:
    """The folder a ``content`` entry names: the entry itself when it is a folder (or
    anything but a bare name), else the bundled pack of that name (``hollowmere``,
    ``saltmarsh_ferry``: an installed copy has them only inside the package). An entry
    that is neither is returned as it is, for the pack loader to report."""
    path = Path(entry)
    if path.is_dir() or len(path.parts) != 1:
        return entry
    bundled = bundled_content_root() / entry
    return str(bundled) if bundled.is_dir() else entry


def missing_packs(config: Config) -> list[str]:
    """The configured ``content`` entries that are no folder, one problem line each
    (``mud config --check``: the server would exit 1 at start on them)."""
    return [
        f"config.content: no pack folder {c!r} (a path, relative to the config file or"
        " the working directory, or the name of a bundled pack)"
        for c in config.content
        if not Path(c).is_dir()
    ]


def _effective(
    schema: Schema,
    raw: Mapping[str, Any],
    sources: Mapping[str, str],
    env: Mapping[str, str],
    cwd: Path | None,
) -> Config:
    top: dict[str, Any] = {}
    for attr in fields(Schema):
        if attr.name in SECTIONS:
            section = getattr(schema, attr.name)
            keys = raw.get(attr.name) or {}
            if attr.name == "mssp":
                top[attr.name] = dict(section)
            else:
                top[attr.name] = {k: getattr(section, k) for k in keys}
        elif attr.name in raw:
            top[attr.name] = getattr(schema, attr.name)
    state_dir = top.get("state_dir") or env.get("MUD_STATE_DIR") or default_state_dir(env, cwd)
    all_sources = dict(sources)
    if "state_dir" not in top:
        all_sources["state_dir"] = "default"
    top["state_dir"] = state_dir
    for key, name in (("db", "mud.db"), ("host_keys", "host_keys")):
        if not top.get(key):
            top[key] = name if state_dir == "." else str(Path(state_dir) / name)
            all_sources[key] = "default (state_dir)"
    for key, level in (("log_level", "INFO"), ("log_libraries", "WARNING")):
        top[key] = str(top.get(key, level)).upper()
    for key, name in SECRET_ENV.items():
        top[key] = env.get(name, "")
        if top[key]:
            all_sources[key] = f"environment {name}"
    return Config(**top, sources=all_sources)


# -- reporting --------------------------------------------------------------------------


def _leaves(config: Config) -> Iterator[tuple[str, Any, str]]:
    """(path, value, source) for every setting, defaults included, secrets redacted."""
    schema = Schema()
    for attr in fields(Schema):
        name = attr.name
        if name in SECTIONS:
            current = getattr(config, name)
            if name == "mssp":
                for key, value in sorted(current.items()):
                    path = f"mssp.{key}"
                    yield path, value, config.sources.get(path, "default")
                continue
            section = getattr(schema, name)
            for sub in fields(type(section)):
                path = f"{name}.{sub.name}"
                value = current.get(sub.name, getattr(section, sub.name))
                yield path, value, config.sources.get(path, "default")
        else:
            value = getattr(config, name)
            yield name, value, config.sources.get(name, "default")
    for key in SECRET_ENV:
        value = "<set>" if getattr(config, key) else "<unset>"
        yield key, value, config.sources.get(key, f"environment {SECRET_ENV[key]} only")


def _render(value: Any, name: str = "") -> str:
    if isinstance(value, str) and value in ("<set>", "<unset>"):
        return value
    if looks_secret(value, name):
        return "<redacted>"
    if isinstance(value, Mapping):
        value = {k: list(v) if isinstance(v, tuple) else v for k, v in value.items()}
    if isinstance(value, tuple):
        value = list(value)
    return json.dumps(value, default=str)


def describe(config: Config) -> str:
    """``mud config``: one line per setting, ``path = value  # source``, secrets redacted."""
    rows = [(path, _render(v, path.rsplit(".", 1)[-1]), src) for path, v, src in _leaves(config)]
    width = min(max(len(p) + len(v) for p, v, _ in rows) + 4, 60)
    return "\n".join(f"{f'{p} = {v}':<{width - 1}} # {s}" for p, v, s in rows)


def _type_name(attr: attrs.Attribute[Any], unit: str) -> str:
    text = str(attr.type).replace("typing.", "")
    if "Mapping" in text:
        return "mapping"
    if "tuple" in text:
        return "list"
    base = "number" if "float" in text else "integer" if "int" in text else "text"
    if "bool" in text:
        base = "true/false"
    if unit:
        base += f" ({unit})"
    return base + (" or unset" if "None" in text else "")


def reference() -> str:
    """The Markdown reference of every setting, generated from the schema (the README
    embeds it between ``config-reference`` markers; a test keeps them equal)."""
    lines = [
        "| Setting | Environment | Type | Default | Meaning |",
        "|---|---|---|---|---|",
    ]
    schema = Schema()

    special = {
        "content": "`content/hollowmere` (bundled)",
        "state_dir": "`.` in a checkout, else `$XDG_STATE_HOME/mud`",
        "db": "`STATE_DIR/mud.db`",
        "host_keys": "`STATE_DIR/host_keys`",
    }

    def default_text(name: str, value: Any) -> str:
        if name in special:
            return special[name]
        if value in ("", None, ()):
            return ""
        return f"`{_render(value)}`"

    for attr in fields(Schema):
        if attr.name in SECTIONS:
            continue
        limits = _limits_text(attr)
        lines.append(
            f"| `{attr.name}` | `{ENV[attr.name]}` | {_type_name(attr, attr.metadata['unit'])} "
            f"| {default_text(attr.name, getattr(schema, attr.name))} "
            f"| {attr.metadata['help']}{limits} |"
        )
    for key, name in SECRET_ENV.items():
        what = "OpenAI API key" if key == "openai_api_key" else "local server's API key"
        lines.append(f"| | `{name}` | text | | {what} (environment only, never in a file) |")
    for section in SECTIONS:
        if section == "mssp":
            lines.append(
                "| `mssp.<NAME>` | `MUD_MSSP__<NAME>` | text | | "
                "extra MSSP variables for MUD crawlers |"
            )
            continue
        obj = getattr(schema, section)
        for attr in fields(type(obj)):
            unit, help_text = attr.metadata.get("unit", ""), attr.metadata.get("help", "")
            if section == "dm":
                unit, help_text = _DM_HELP[attr.name]
            default = getattr(obj, attr.name)
            if attr.name == "pricing":
                default_cell = "gpt-4o-mini, gpt-4o, gpt-4.1-mini, gpt-4.1-nano"
            else:
                default_cell = default_text(attr.name, default)
            env_name = f"MUD_{section.upper()}__{attr.name.upper()}"
            lines.append(
                f"| `{section}.{attr.name}` | `{env_name}` | {_type_name(attr, unit)} "
                f"| {default_cell} | {help_text}{_limits_text(attr)} |"
            )
    return "\n".join(lines)


def _limits_text(attr: attrs.Attribute[Any]) -> str:
    meta = attr.metadata
    bits = []
    if meta.get("choices"):
        bits.append("one of " + ", ".join(meta["choices"]))
    if meta.get("lo") is not None:
        bits.append(f"≥ {meta['lo']:g}")
    if meta.get("above") is not None:
        bits.append(f"> {meta['above']:g}")
    if meta.get("hi") is not None:
        bits.append(f"≤ {meta['hi']:g}")
    if meta.get("reload"):
        bits.append("reloaded on SIGHUP")
    return f" ({'; '.join(bits)})" if bits else ""


def reloadable(old: Config, new: Config) -> tuple[list[str], list[str]]:
    """The settings that differ between ``old`` and ``new``: (applied on reload, needing a
    restart). Called by ``mud.app`` on SIGHUP."""
    applied: list[str] = []
    restart: list[str] = []
    live = {a.name for a in fields(Schema) if a.metadata.get("reload")}
    for attr in fields(Config):
        if attr.name in ("sources", *SECRET_ENV):
            continue
        if getattr(old, attr.name) != getattr(new, attr.name):
            (applied if attr.name in live else restart).append(attr.name)
    return applied, restart


__all__ = [
    "DEFAULT_CONTENT",
    "ENV",
    "SECRET_ENV",
    "SECTIONS",
    "Config",
    "ConfigError",
    "Schema",
    "check_schema",
    "describe",
    "load_config",
    "looks_secret",
    "reference",
    "reloadable",
]
