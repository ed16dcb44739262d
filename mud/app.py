"""The composition root: the only module that knows the concrete classes.

``run_server`` builds everything from a ``Config`` (packs, store, world, hub, the DM
and its provider chain, both doors), prints one line per listener, runs until SIGINT,
SIGTERM or an admin ``shutdown``, and then shuts down in order: stop accepting, tell
every player, save, close sessions, stop the DM, close the database. Each step has a
deadline, so a client that does not read cannot hold the process up.

Signals: SIGTERM and SIGINT shut down cleanly (``run_server`` returns). SIGHUP re-reads
the configuration (through the ``reload_config`` callable ``mud.cli`` passes), applies
its reloadable parts (content folders, MSSP table, log levels) and reloads the packs as
the admin ``reload`` does; players stay connected and are told. A SIGHUP that comes
because the terminal the server was started in hung up (it had one, ``/dev/tty`` no
longer opens, and SIGHUP was not ignored by ``nohup``) shuts down cleanly instead. A crash
of the game actor (hub) or the DM actor tells every player, saves what it can and raises
``ServerCrashed`` (``mud serve`` exits with status 3, so ``Restart=on-failure`` works).
"""

from __future__ import annotations

import asyncio
import contextlib
import gc
import io
import json
import logging
import os
import resource
import secrets
import signal
import sys
from collections.abc import Callable, Mapping
from functools import partial
from pathlib import Path
from typing import Any, TextIO

from attrs import define, evolve, fields, frozen

from mud.config import PACK_SEARCH, Config, ConfigError, reloadable
from mud.core.clock import Clock, SystemClock
from mud.core.ops import StoreError, TouchHealth
from mud.core.ports import EventSink
from mud.core.rng import SeededRng
from mud.dm.actor import DmActor
from mud.dm.chain import ProviderChain
from mud.dm.providers.base import Provider, Timeouts
from mud.dm.providers.offline import OfflineNarrator
from mud.dm.report import usage_report
from mud.dm.settings import DmSettings
from mud.engine import accounts
from mud.engine.dice import notation_problem
from mud.engine.state import World
from mud.hub import Hub, HubSettings
from mud.logs import configure_logging, log_event
from mud.metrics import GatewayMetricsServer, MetricsServer
from mud.net.admission import Admission
from mud.net.reclaim import Reclaimer, tune_malloc
from mud.net.session import ConnIds
from mud.net.ssh import Authenticator, HostKeyError, SshDoor, SshSettings, parse_public_key
from mud.net.telnet import TelnetDoor, TelnetSettings
from mud.net.telopt import MsspTable, mssp_variables
from mud.net.web import WebDoor, WebSettings, WhoSource
from mud.render.banner import BANNER
from mud.retention import Pruner, RetentionSettings
from mud.sdnotify import Notifier
from mud.split import wire
from mud.split.bus import Bus, BusError
from mud.split.game import GameLink
from mud.split.gateway import GatewayLink, RemoteAuth
from mud.store import SqlStore, backend_of, open_store, redact, sqlite_path
from mud.store.db import database_in_use
from mud.world.loader import PackError, load_packs
from mud.world.model import Templates

log = logging.getLogger("mud")


class StartupError(RuntimeError):
    """Startup cannot continue; the message says why and what to do."""


class ServerCrashed(RuntimeError):
    """The game actor or the DM actor failed; players were told and the server stopped."""


@frozen
class ServerHandle:
    """Given to ``run_server``'s ``ready`` callback: the bound ports and a way to stop.

    Tests and benchmarks use it; ``stop`` does what SIGTERM does.
    """

    telnet_port: int
    ssh_port: int
    hub: Hub
    web_port: int = 0
    metrics_port: int = 0

    def stop(self, reason: str = "stopped") -> None:
        self.hub.request_shutdown(reason)


_SPARE_FILES = 64
"""Descriptors kept back from the connection cap for the database, logs and listeners."""


def connection_cap(configured: int) -> int:
    """The global connection cap: ``configured``, lowered so that the open connections
    can never use up the process's file descriptors (the database, logs and listeners
    need some too). First raises the process's soft open-file limit towards what
    ``configured`` needs, as far as the hard limit allows (distributions often start
    services at a soft 1,024 under a hard limit many times that)."""
    try:
        soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    except (OSError, ValueError):  # pragma: no cover - no limit to read
        return configured
    if soft == resource.RLIM_INFINITY:
        return configured
    wanted = configured + _SPARE_FILES
    if soft < wanted:
        target = wanted if hard == resource.RLIM_INFINITY else min(wanted, hard)
        with contextlib.suppress(OSError, ValueError):
            resource.setrlimit(resource.RLIMIT_NOFILE, (target, hard))
            soft = target
    return max(1, min(configured, soft - _SPARE_FILES))


def hub_settings(config: Config, *, narration: bool) -> HubSettings:
    """HubSettings from the ``limits`` section (``hash_n`` sets the scrypt cost)."""
    limits = dict(config.limits)
    cost = accounts.HashCost()
    if "hash_n" in limits:
        cost = evolve(cost, n=int(limits.pop("hash_n")))
    known = {a.name for a in fields(HubSettings)}
    unknown = sorted(set(limits) - known)
    if unknown:
        raise StartupError(f"unknown setting(s) in limits: {', '.join(unknown)}")
    return HubSettings(**limits, hash_cost=cost, narration=narration, banner=BANNER.lines)


def dm_settings(config: Config) -> DmSettings:
    data = dict(config.dm)
    if config.player_token_limit is not None:
        data["actor_token_limit"] = config.player_token_limit
    if config.daily_budget_usd is not None:
        data["daily_budget_usd"] = config.daily_budget_usd
    try:
        return DmSettings.from_mapping(data)
    except (TypeError, ValueError) as exc:
        raise StartupError(f"dm settings: {exc}") from exc


def retention_settings(config: Config) -> RetentionSettings:
    """RetentionSettings from the ``retention`` section. Raises StartupError."""
    try:
        return RetentionSettings.from_mapping(config.retention)
    except ValueError as exc:
        raise StartupError(str(exc)) from exc


def metrics_address(config: Config) -> tuple[str, int] | None:
    """(host, port) of the metrics endpoint, or None when it is off (the default).
    Raises StartupError for a malformed ``metrics`` section."""
    section = dict(config.metrics)
    unknown = sorted(set(section) - {"host", "port"})
    if unknown:
        raise StartupError(f"unknown setting(s) in metrics: {', '.join(unknown)}")
    try:
        port = int(section.get("port", 0) or 0)
    except (TypeError, ValueError):
        raise StartupError(
            f"metrics.port: expected a port number, got {section['port']!r}"
        ) from None
    if not 0 <= port <= 65535:
        raise StartupError(f"metrics.port: ports are 0 to 65535, got {port}")
    if "port" not in section or section["port"] in (None, ""):
        return None
    return str(section.get("host", "127.0.0.1")), port


def build_providers(
    config: Config, out: TextIO, settings: DmSettings | None = None
) -> list[Provider]:
    """The online providers in the configured order (the offline narrator is separate).

    OpenAI needs ``OPENAI_API_KEY`` in the environment; the local provider needs a base
    URL and a model. Missing ones are skipped with one line saying so.
    """
    from mud.dm.providers.openai import OpenAIProvider

    timeouts = Timeouts(**{k: float(v) for k, v in config.timeouts.items()})
    providers: list[Provider] = []
    for name in config.providers:
        if name == "openai":
            if config.openai_api_key:
                providers.append(
                    OpenAIProvider(
                        "openai",
                        base_url=config.openai_base_url,
                        api_key=config.openai_api_key,
                        model=config.openai_model,
                        timeouts=timeouts,
                    )
                )
        elif name == "local":
            if config.local_base_url and config.local_model:
                providers.append(
                    OpenAIProvider(
                        "local",
                        base_url=config.local_base_url,
                        api_key=config.local_api_key or None,
                        model=config.local_model,
                        timeouts=timeouts,
                        context_tokens=(
                            settings.local_context_tokens or None if settings else None
                        ),
                    )
                )
        elif name != "offline":
            raise StartupError(
                f"unknown provider '{name}' in providers (use openai, local, offline)"
            )
    if not providers:
        print(
            "dm: no OpenAI key and no local model configured: the offline narrator tells the story",
            file=out,
        )
    else:
        print(
            "dm: providers "
            + " -> ".join(f"{p.name}({p.model})" for p in providers)
            + " -> offline",
            file=out,
        )
    return providers


class _SshAuth:
    """SSH account checks against the store.

    Password attempts go through the hub's ``LoginGate`` (one budget per address and per
    account for both doors; the gate is plain shared state, never awaited on, so the
    hub's single-actor rule is kept). A refused attempt and an unknown account are
    answered after the gate's typical hash time, like a wrong password.
    """

    def __init__(
        self,
        store: SqlStore,
        gate: accounts.LoginGate,
        clock: Clock,
        banned: Callable[[str], bool] = lambda _addr: False,
    ) -> None:
        self._store = store
        self._clock = clock
        self._gate = gate
        self._banned = banned

    async def check_password(self, name: str, password: str, peer: str) -> bool:
        gate = self._gate
        if self._banned(peer):
            # Refused like a wrong password, without a hash: the hub refuses the
            # address at connect for the other doors; SSH asks for a password first.
            log_event(log, "login_refused", addr=peer, name=name, door="ssh", reason="banned")
            await asyncio.sleep(gate.hash_time)
            return False
        if not gate.begin(peer, name, self._clock.monotonic()) and not await self._owner(
            peer, name
        ):
            log_event(
                log, "login_throttled", level=logging.WARNING, addr=peer, name=name, door="ssh"
            )
            await asyncio.sleep(gate.hash_time)
            return False
        ok = False
        try:
            async with asyncio.timeout(10):
                account = await self._store.get_account(name.lower())
            if account is None:
                log_event(
                    log,
                    "login_failed",
                    level=logging.WARNING,
                    addr=peer,
                    name=name,
                    door="ssh",
                    reason="no account",
                )
                await asyncio.sleep(gate.hash_time)
            else:
                started = self._clock.monotonic()
                ok = await asyncio.to_thread(accounts.verify_password, password, account.pw_hash)
                gate.note_hash_time(self._clock.monotonic() - started)
                if not ok:
                    log_event(
                        log,
                        "login_failed",
                        level=logging.WARNING,
                        addr=peer,
                        name=account.name,
                        door="ssh",
                    )
        finally:
            gate.end(peer, name, ok, self._clock.monotonic())
        return ok

    async def _owner(self, peer: str, name: str) -> bool:
        """After the gate refused an attempt: whether it goes ahead after all, because
        only the account's budget was spent and ``peer`` is one of the addresses the
        store kept for it (the hub learns them at a lookup; an SSH password comes before
        any). Begins the attempt when it does."""
        gate = self._gate
        if not gate.allowed(peer, self._clock.monotonic()):
            return False
        try:
            async with asyncio.timeout(10):
                seen = await self._store.get_world(f"seen:{name.lower()}")
        except (TimeoutError, StoreError):
            return False
        gate.remember(name, accounts.known_addresses(seen, self._clock.wall()))
        return gate.begin(peer, name, self._clock.monotonic())

    async def check_key(self, name: str, fingerprint: str) -> bool:
        async with asyncio.timeout(10):
            keys = await self._store.list_ssh_keys(name.lower())
        return any(k.fingerprint == fingerprint for k in keys)


def _parse_key(text: str) -> tuple[str, str, str]:
    info = parse_public_key(text)
    return info.fingerprint, info.text, info.comment


def web_door(
    config: Config,
    hub: EventSink,
    ids: ConnIds,
    telnet: TelnetDoor,
    admission: Admission | None = None,
    who: WhoSource | None = None,
) -> WebDoor | None:
    """The browser door from ``web_port`` and the ``web`` section, or None when off.

    Raises StartupError for a malformed ``web`` section."""
    if config.web_port is None:
        return None
    options = dict(config.web)
    for key in ("origins", "trusted_proxies"):
        if key in options:
            value = options[key]
            options[key] = tuple(str(v) for v in ([value] if isinstance(value, str) else value))
    try:
        settings = WebSettings(host=config.host, port=config.web_port, **options)
    except TypeError as exc:
        raise StartupError(f"web settings: {exc}") from exc
    return WebDoor(
        settings, hub, ids, stream_protocol=telnet.stream_protocol, admission=admission, who=who
    )


def load_templates(config: Config) -> Templates:
    """Load the configured packs (and the packs they require). Raises PackError listing
    every problem."""
    return load_packs(
        [Path(p) for p in config.content],
        dice_check=notation_problem,
        search=[Path(p) for p in PACK_SEARCH],
        for_play=True,
    )


def _prepare_state_dir(config: Config) -> None:
    """Create the state directory (mode 0700) unless it is the working directory."""
    if config.state_dir in ("", "."):
        return
    try:
        Path(config.state_dir).mkdir(parents=True, exist_ok=True, mode=0o700)
    except OSError as exc:
        raise StartupError(
            f"cannot create the state directory {config.state_dir}: {exc.strerror}"
        ) from exc


def _state_line(config: Config) -> str:
    """The startup line saying where the state is (absolute paths, for operators)."""
    if backend_of(config.db) == "postgresql":
        where = redact(config.db)
    else:
        where = str(Path(sqlite_path(config.db)).resolve())
    return f"state: database {where}, host keys {Path(config.host_keys).resolve()}"


async def run_server(
    config: Config,
    *,
    out: TextIO = sys.stdout,
    ready: Callable[[ServerHandle], None] | None = None,
    clock: Clock | None = None,
    reload_config: Callable[[], Config] | None = None,
    split: SplitAt | None = None,
) -> str:
    """Run the server until shutdown. Returns the shutdown reason.

    Raises StartupError if it cannot start, ServerCrashed if an actor failed.
    ``reload_config`` re-reads the configuration on SIGHUP (raising ConfigError).
    ``split``: run as the game of a split deployment (``mud game``): no doors; the
    gateways reach the hub over NATS (``mud.split``).
    """
    clock = clock or SystemClock()
    _prepare_state_dir(config)
    try:
        templates = load_templates(config)
    except PackError as exc:
        raise StartupError(
            "content pack errors:\n" + "\n".join(str(i) for i in exc.issues)
        ) from exc
    await _refuse_a_database_in_use(config.db)
    try:
        store = await open_store(config.db, clock=clock)
    except StoreError as exc:
        raise StartupError(str(exc)) from exc
    try:
        try:
            # A world that cannot be saved must not open: played by an operator, a
            # backup restored as root into the service user's folder started, told
            # systemd it was ready, and answered every action "That did not happen".
            await store.apply([TouchHealth(clock.wall())])
        except StoreError as exc:
            raise StartupError(
                f"the database {redact(config.db)} does not take writes ({exc}); check its"
                " owner and permissions (and those of its folder) for the user running mud"
            ) from exc
        return await _serve(config, templates, store, clock, out, ready, reload_config, split)
    finally:
        await store.close()


async def _refuse_a_database_in_use(db: str) -> None:
    """Raise StartupError when the SQLite database ``db`` is open in another process (a
    second ``mud serve`` on the same world). Played by an operator: two servers ran on
    one file, the same lantern was picked up in both, and one's shutdown save undid a
    move the other had acknowledged. PostgreSQL is left to the operator (one game per
    database, as the README says)."""
    if backend_of(db) != "sqlite":
        return
    path = Path(sqlite_path(db))
    try:
        if await asyncio.to_thread(path.is_file) and await database_in_use(path):
            raise StartupError(
                f"the database {path} is in use by another process (another mud serve on"
                " this world, or a tool holding it open?); stop it first, or give this"
                " server its own --state-dir"
            )
    except StoreError as exc:
        raise StartupError(str(exc)) from exc


def _calm_collector() -> None:
    """The long-lived objects loaded at start (templates, caches) would otherwise be
    re-scanned by every full collection, and the many short-lived ones a busy server
    makes would start one often: both show up as latency spikes for everyone. Also fixes
    glibc's thresholds, so a password hash's 16 MiB go back when freed (``tune_malloc``)."""
    tune_malloc()
    gc.collect()
    gc.freeze()
    gc.set_threshold(50_000, 20, 20)


@frozen
class SplitAt:
    """Where a split-mode process meets the others: the NATS server's URL and the
    world's name (the first token of every subject)."""

    nats: str
    world: str = "mud"


async def _line_marks(store: SqlStore) -> dict[str, tuple[int, int]]:
    """Each account's last applied line (``MarkLine``), as {account: (conn, seq)}."""
    marks: dict[str, tuple[int, int]] = {}
    for key, value in (await store.load_world()).items():
        if key.startswith("line:"):
            with contextlib.suppress(ValueError, TypeError):
                conn, seq = json.loads(value)
                marks[key[5:]] = (int(conn), int(seq))
    return marks


async def _remote_auth(auth: _SshAuth, body: dict[str, object]) -> bool:
    """A gateway's SSH login check, answered by the game (which has the store and the
    shared password throttle)."""
    name, peer = str(body.get("name", "")), str(body.get("peer", ""))
    if body.get("op") == "password":
        return await auth.check_password(name, str(body.get("password", "")), peer)
    if body.get("op") == "key":
        return await auth.check_key(name, str(body.get("fingerprint", "")))
    return False


@define
class _Doors:
    """The telnet, SSH and (optional) web doors of one process, built by
    ``_make_doors``; started, stopped and closed together."""

    telnet: TelnetDoor
    ssh: SshDoor
    web: WebDoor | None
    reclaimer: Reclaimer
    admission: Admission

    async def start(self) -> tuple[int, int, int]:
        """Listen; returns (telnet, ssh, web) ports (web 0 when off). Raises
        StartupError (a bad host key or a port that cannot be bound)."""
        try:
            # The telnet door names the SSH and web ports in its answer to web browsers.
            ssh_port = await self.ssh.start()
            self.telnet.ssh_port = ssh_port
            web_port = await self.web.start() if self.web is not None else 0
            self.telnet.web_port = web_port
            telnet_port = await self.telnet.start()
        except HostKeyError as exc:
            self.ssh.stop_accepting()
            raise StartupError(str(exc)) from exc
        except OSError as exc:
            self.stop_accepting()
            raise StartupError(f"cannot listen: {exc.strerror or exc}") from exc
        return telnet_port, ssh_port, web_port

    def stop_accepting(self) -> None:
        self.telnet.stop_accepting()
        self.ssh.stop_accepting()
        if self.web is not None:
            self.web.stop_accepting()

    async def close(self) -> None:
        closing = [self.telnet.close(), self.ssh.close()]
        if self.web is not None:
            closing.append(self.web.close())
        await asyncio.gather(*closing, return_exceptions=True)
        self.reclaimer.stop()

    def print_listening(self, config: Config, out: TextIO) -> None:
        print(f"telnet: listening on {config.host}:{self.telnet.port}", file=out)
        print(
            f"ssh: listening on {config.host}:{self.ssh.port} (host key {self.ssh.fingerprint})",
            file=out,
        )
        if self.web is not None:
            port = self.web.port
            print(f"web: listening on {config.host}:{port} (http://<host>:{port}/)", file=out)


def _make_doors(
    config: Config,
    templates: Templates,
    sink: EventSink,
    ids: ConnIds,
    auth: Authenticator,
    limits: HubSettings,
    *,
    players: Callable[[], int],
    packs: Callable[[], Templates],
    mssp_extra: Callable[[], Mapping[str, Any]],
    who: WhoSource,
    clock: Clock,
) -> _Doors:
    """The doors of one process, posting to ``sink`` (the hub in one process, the
    gateway's link in split mode). ``players`` and ``packs`` are read live for MSSP;
    ``who`` answers the browser door's ``/who``."""
    tel_settings = TelnetSettings(host=config.host, port=config.telnet_port, **dict(config.telnet))
    started = int(clock.wall())
    start_pack = templates.packs.get(templates.rooms[templates.start].pack)

    def mssp() -> MsspTable:
        # Read live at each crawler request: the player count and the packs now loaded.
        return mssp_variables(
            players=players(),
            started=started,
            port=telnet.port,
            config={"NAME": start_pack.name if start_pack else "mud", **mssp_extra()},
            packs=[p.mssp for p in packs().packs.values()],
            compression=tel_settings.compression,
        )

    # Memory that ended connections leave behind goes back (mud.net.reclaim).
    reclaimer = Reclaimer()
    admission = Admission(
        limits.max_per_ip,
        connection_cap(limits.max_connections),
        rate=limits.connect_rate,
        burst=limits.connect_burst,
        max_per_net=limits.max_per_net,
        evict_after=limits.evict_after,
        on_end=reclaimer.ended,
    )
    telnet = TelnetDoor(tel_settings, sink, ids, mssp=mssp, clock=clock, admission=admission)
    ssh = SshDoor(
        SshSettings(
            host=config.host,
            port=config.ssh_port,
            host_keys=config.host_keys,
            session_deadline=limits.login_deadline,
            **dict(config.ssh),
        ),
        sink,
        ids,
        auth,
        admission=admission,
    )
    web = web_door(config, sink, ids, telnet, admission, who)
    return _Doors(telnet, ssh, web, reclaimer, admission)


async def _who_now(hub: Hub) -> list[tuple[str, float, bool]] | None:
    """The browser door's who-list in one process: read from the hub directly."""
    return hub.who_rows()


async def _serve(
    config: Config,
    templates: Templates,
    store: SqlStore,
    clock: Clock,
    out: TextIO,
    ready: Callable[[ServerHandle], None] | None,
    reload_config: Callable[[], Config] | None = None,
    split: SplitAt | None = None,
) -> str:
    world_rng = SeededRng(config.seed)
    # Backoff jitter must not draw from the world's generator: that would make the
    # engine's rolls depend on network timing and break replay.
    jitter_rng = SeededRng(None if config.seed is None else config.seed + 1)
    settings = dm_settings(config)
    providers = build_providers(config, out, settings)
    pruner = Pruner(store, retention_settings(config), clock)
    metrics_at = metrics_address(config)
    offline = OfflineNarrator(seed=config.seed or 0)
    chain = ProviderChain(
        providers,
        offline,
        clock=clock,
        sleep=asyncio.sleep,
        jitter=jitter_rng.random,
        grounding=settings.grounding,
        vet=settings.vet,
    )
    world = World(templates)
    current = [config]  # replaced on SIGHUP; the reloadable parts are read through it
    hub: Hub
    dm_ref: list[DmActor] = []

    async def report(fmt: str) -> str:
        rows = await store.usage_rows()
        return usage_report(rows, fmt="json" if fmt == "json" else "table")

    hub = Hub(
        world,
        store,
        clock,
        hub_settings(config, narration=True),
        reload_packs=lambda: load_templates(current[0]),
        parse_key=_parse_key,
        usage_report=report,
        rng=world_rng,
    )
    hub.content_dirs = tuple(config.content)
    hub.seed = config.seed
    dm = DmActor(settings, chain, hub, store, clock)
    dm_ref.append(dm)
    hub.set_dm(dm)
    await dm.load_state()
    await hub.start()

    ssh_auth = _SshAuth(store, hub.gate, clock, hub.address_banned)
    doors: _Doors | None = None
    link: GameLink | None = None
    bus: Bus | None = None
    if split is None:
        doors = _make_doors(
            config,
            templates,
            hub,
            ConnIds(),
            ssh_auth,
            hub.settings,
            players=lambda: hub.online_count,
            packs=lambda: hub.world.templates,
            mssp_extra=lambda: current[0].mssp,
            who=partial(_who_now, hub),
            clock=clock,
        )
    else:
        try:
            bus = await Bus.connect(split.nats, f"mud-game-{split.world}")
        except BusError as exc:
            raise StartupError(str(exc)) from exc
        link = GameLink(
            bus,
            hub,
            world=split.world,
            epoch=f"{int(clock.wall())}-{os.getpid()}-{secrets.token_hex(4)}",
            marks=partial(_line_marks, store),
            auth=partial(_remote_auth, ssh_auth),
            now=clock.monotonic,
        )
        await link.start()
    metrics: MetricsServer | None = None
    if metrics_at is not None:
        metrics = MetricsServer(
            metrics_at[0],
            metrics_at[1],
            hub=hub,
            store=store,
            dm=dm,
            clock=clock,
            retention=lambda: pruner.pruned,
            refused=(lambda: doors.admission.refused_by) if doors is not None else dict,
            tick=hub.settings.tick,
        )
    metrics_port = 0
    telnet_port, ssh_port, web_port = await doors.start() if doors is not None else (0, 0, 0)
    try:
        if metrics is not None:
            metrics_port = await metrics.start()
    except OSError as exc:
        if doors is not None:
            doors.stop_accepting()
        raise StartupError(f"cannot listen: {exc.strerror or exc}") from exc
    _calm_collector()
    # The signals are ours before anyone is told the server is up (the listening lines,
    # READY=1): a SIGTERM just after them killed the process without a word to anyone.
    loop = asyncio.get_running_loop()
    reloads: set[asyncio.Task[None]] = set()
    # Run in a terminal, a SIGHUP may be the terminal hanging up, not a reload: played,
    # a builder's `tmux kill-session` left the server reloading itself, listening with no
    # terminal, until it was found and killed by its pid. ``nohup`` asks for the opposite.
    hangs_up = _has_terminal() and signal.getsignal(signal.SIGHUP) is not signal.SIG_IGN

    def on_sighup() -> None:
        if hangs_up and not _has_terminal():
            hub.request_shutdown("signal SIGHUP (its terminal closed)")
            return
        if reloads:  # one reload at a time; a second SIGHUP meanwhile is redundant
            return
        task = loop.create_task(_reload(current, reload_config, hub), name="sighup")
        reloads.add(task)
        task.add_done_callback(reloads.discard)

    handlers: dict[int, Callable[[], None]] = {
        signal.SIGINT: partial(hub.request_shutdown, "signal SIGINT"),
        signal.SIGTERM: partial(hub.request_shutdown, "signal SIGTERM"),
        signal.SIGHUP: on_sighup,
    }
    for sig, handler in handlers.items():
        with contextlib.suppress(NotImplementedError, RuntimeError):
            loop.add_signal_handler(sig, handler)
    if doors is not None:
        doors.print_listening(config, out)
    if split is not None:
        print(f"game: world {split.world!r} on NATS at {redact(split.nats)}", file=out)
    print(
        f"world: {len(templates.rooms)} rooms from {', '.join(templates.packs)}; "
        f"database {redact(config.db)}",
        file=out,
    )
    print(_state_line(config), file=out)
    if metrics is not None and metrics_at is not None:
        print(f"metrics: http://{metrics_at[0]}:{metrics_port}/metrics and /healthz", file=out)
    out.flush()
    notifier = Notifier.from_env(os.environ, clock.monotonic)
    if notifier is not None:
        hub.on_tick = notifier.ping
        notifier.notify("READY=1")
    if ready is not None:
        ready(
            ServerHandle(telnet_port, ssh_port, hub, web_port=web_port, metrics_port=metrics_port)
        )

    hub_task = loop.create_task(hub.run(), name="hub")
    dm_task = loop.create_task(dm.run(), name="dm")
    # Off the hub's hot path: its own task, small transactions through the store queue.
    prune_task = loop.create_task(pruner.run(), name="retention")
    waiter = loop.create_task(hub.shutdown_requested.wait())
    crashed = ""
    try:
        done, _ = await asyncio.wait(
            {hub_task, dm_task, waiter}, return_when=asyncio.FIRST_COMPLETED
        )
        for task in (hub_task, dm_task):
            if task in done and waiter not in done:
                # The actors run until cancelled: ending any other way is a crash.
                error = None if task.cancelled() else task.exception()
                crashed = "game" if task is hub_task else "Dungeon Master"
                log_event(
                    log, "crash", level=logging.CRITICAL, actor=task.get_name(), error=repr(error)
                )
                if error is not None:
                    log.critical("%s actor failed", task.get_name(), exc_info=error)
                break
    finally:
        for sig in handlers:
            with contextlib.suppress(NotImplementedError, RuntimeError):
                loop.remove_signal_handler(sig)
        for task in list(reloads):
            task.cancel()
        await asyncio.gather(*reloads, return_exceptions=True)
        if crashed:
            reason = f"internal error in the {crashed}"
        else:
            reason = hub.shutdown_reason or "server stopping"
        log_event(log, "shutdown", reason=reason)
        _farewell(out, f"shutting down: {reason}")
        if notifier is not None:
            notifier.notify("STOPPING=1")
            notifier.close()
        if metrics is not None:
            await metrics.close()
        if doors is not None:
            doors.stop_accepting()
        for pending in (waiter, hub_task, dm_task, prune_task):
            pending.cancel()
        await asyncio.gather(waiter, hub_task, dm_task, prune_task, return_exceptions=True)
        # A split-mode game that stops (not one that crashed) leaves its players with
        # the gateways, told to wait for the next game.
        await hub.shutdown(reason, hold=link is not None and not crashed)
        if doors is not None:
            await doors.close()
        if link is not None:
            await link.close(going=not crashed)
        if bus is not None:
            await bus.close()
        await chain.aclose()
    if crashed:
        raise ServerCrashed(f"the {crashed} actor failed; see the log")
    return reason


def _farewell(out: TextIO, line: str) -> None:
    """Print the shutdown ``line`` on ``out`` if it is still there. Played by an
    operator: with the terminal closed (the window shut, ``tmux kill-session``) or the
    pipe gone (``| tee`` and Ctrl-C), the print raised OSError before the players were
    told and everything saved; the server exited 1 with a traceback."""
    try:
        print(line, file=out, flush=True)
    except (OSError, ValueError):
        # The log line before says the same, wherever the log goes. What could not be
        # written would fail again when the interpreter flushes at exit (status 120):
        # the dead descriptor is pointed at /dev/null instead.
        with contextlib.suppress(OSError, ValueError, io.UnsupportedOperation):
            devnull = os.open(os.devnull, os.O_WRONLY)
            try:
                os.dup2(devnull, out.fileno())
            finally:
                os.close(devnull)


def _has_terminal() -> bool:
    """Whether this process has a controlling terminal now (``/dev/tty`` opens): after
    the terminal hangs up it no longer does."""
    try:
        fd = os.open("/dev/tty", os.O_RDONLY | os.O_NOCTTY)
    except OSError:
        return False
    os.close(fd)
    return True


async def _reload(
    current: list[Config], reload_config: Callable[[], Config] | None, hub: Hub
) -> None:
    """SIGHUP: re-read the configuration, apply its reloadable parts, reload the packs.
    An invalid configuration is logged line by line and the running one kept."""
    if reload_config is not None:
        try:
            new = await asyncio.to_thread(reload_config)
        except ConfigError as exc:
            # Refused whole: nothing of it applies and the packs are not reloaded either
            # (played by an operator: "ok=False", then "ok=True applied=nothing", and
            # every player read "The world has been reloaded", the admins nothing).
            for problem in exc.problems:
                log.error("%s", problem)
            log_event(
                log, "config_reload", level=logging.ERROR, ok=False, problems=len(exc.problems)
            )
            hub.request_reload("signal SIGHUP", refused="\n".join(exc.problems))
            return
        applied, restart = reloadable(current[0], new)
        if restart:
            log_event(log, "config_reload", level=logging.WARNING, needs_restart=",".join(restart))
        current[0] = evolve(current[0], **{k: getattr(new, k) for k in applied})
        # Logged before a new log level applies, so the line is written either way.
        log_event(log, "config_reload", ok=True, applied=",".join(applied) or "nothing")
        if {"log_level", "log_libraries"} & set(applied):
            configure_logging(
                current[0].log_level,
                libraries=current[0].log_libraries,
                chat=current[0].log_chat,
            )
    hub.request_reload("signal SIGHUP")


def _sockets(doors: _Doors) -> int:
    """Open sockets on a process's doors (for a gateway's metrics)."""
    return doors.admission.total


#: How long a starting gateway waits for a game before it opens its doors anyway.
GATEWAY_FIRST_ATTACH = 10.0


@frozen
class GatewayHandle:
    """Given to ``run_gateway``'s ``ready`` callback: the bound ports and a way to stop."""

    telnet_port: int
    ssh_port: int
    link: GatewayLink
    stopping: asyncio.Event
    web_port: int = 0
    metrics_port: int = 0

    def stop(self) -> None:
        self.stopping.set()


async def run_gateway(
    config: Config,
    split: SplitAt,
    *,
    gid: int,
    out: TextIO = sys.stdout,
    ready: Callable[[GatewayHandle], None] | None = None,
    clock: Clock | None = None,
) -> str:
    """Run a gateway (``mud gateway``): the doors, their sessions and rendering, with
    the game reached over NATS. Runs until SIGINT/SIGTERM (or ``GatewayHandle.stop``);
    returns the reason. Raises StartupError if it cannot start."""
    clock = clock or SystemClock()
    _prepare_state_dir(config)
    try:
        templates = load_templates(config)  # for MSSP's pack names only
    except PackError as exc:
        raise StartupError(
            "content pack errors:\n" + "\n".join(str(i) for i in exc.issues)
        ) from exc
    try:
        incarnation = secrets.randbits(wire.INCARNATION_BITS)
        ids = ConnIds(wire.conn_base(gid, incarnation))
    except ValueError as exc:
        raise StartupError(str(exc)) from exc
    metrics_at = metrics_address(config)  # a malformed section stops us before NATS
    try:
        bus = await Bus.connect(split.nats, f"mud-gateway-{split.world}-{gid}")
    except BusError as exc:
        raise StartupError(str(exc)) from exc
    link = GatewayLink(
        bus, world=split.world, gid=gid, incarnation=incarnation, now=clock.monotonic
    )
    stopping = asyncio.Event()
    reason = ["stopped"]
    doors: _Doors | None = None
    metrics: GatewayMetricsServer | None = None
    loop = asyncio.get_running_loop()

    def stop(why: str) -> None:
        reason[0] = why
        stopping.set()

    handlers: dict[int, Callable[[], None]] = {
        signal.SIGINT: partial(stop, "signal SIGINT"),
        signal.SIGTERM: partial(stop, "signal SIGTERM"),
    }
    try:
        await link.start()
        # Players who come before the first game answers are told to wait; a gateway
        # started with its game lets them straight in.
        with contextlib.suppress(TimeoutError):
            async with asyncio.timeout(GATEWAY_FIRST_ATTACH):
                await link.attached.wait()
        doors = _make_doors(
            config,
            templates,
            link,
            ids,
            RemoteAuth(bus, split.world),
            hub_settings(config, narration=True),
            players=lambda: link.online,
            packs=lambda: templates,
            mssp_extra=lambda: config.mssp,
            who=link.who,
            clock=clock,
        )
        telnet_port, ssh_port, web_port = await doors.start()
        metrics_port = 0
        if metrics_at is not None:
            metrics = GatewayMetricsServer(
                metrics_at[0], metrics_at[1], link=link, sockets=partial(_sockets, doors)
            )
            try:
                metrics_port = await metrics.start()
            except OSError as exc:
                raise StartupError(f"cannot listen: {exc.strerror or exc}") from exc
        _calm_collector()
        doors.print_listening(config, out)
        print(f"gateway {gid}: world {split.world!r} on NATS at {redact(split.nats)}", file=out)
        if metrics_at is not None:
            print(f"metrics: http://{metrics_at[0]}:{metrics_port}/metrics and /healthz", file=out)
        out.flush()
        for sig, handler in handlers.items():
            with contextlib.suppress(NotImplementedError, RuntimeError):
                loop.add_signal_handler(sig, handler)
        if ready is not None:
            ready(
                GatewayHandle(
                    telnet_port,
                    ssh_port,
                    link,
                    stopping,
                    web_port=web_port,
                    metrics_port=metrics_port,
                )
            )
        await stopping.wait()
    finally:
        for sig in handlers:
            with contextlib.suppress(NotImplementedError, RuntimeError):
                loop.remove_signal_handler(sig)
        log_event(log, "shutdown", reason=reason[0])
        _farewell(out, f"shutting down: {reason[0]}")
        if metrics is not None:
            await metrics.close()
        if doors is not None:
            doors.stop_accepting()
            # The game keeps the characters (link-dead) as after any dropped connection.
            link.farewell("This gateway is going down. Connect again to carry on.")
            await doors.close()
        await link.close()
        await bus.close()
    return reason[0]
