"""The admin HTTP endpoint: Prometheus ``/metrics`` and ``/healthz``.

The only module that imports prometheus_client. ``mud.app`` starts a ``MetricsServer``
when the config's ``metrics`` section sets a ``port`` (it listens on ``metrics.host``,
127.0.0.1 by default: the endpoint is for the operator's machine and its scraper, not
for players), and closes it on shutdown.

Nothing here is on the game's hot path: the hub and the store only bump plain counters
(``mud.core.stats``); a scrape reads them, plus a few gauges and one store read for the
day's token totals, and renders them in the Prometheus text format.

``/healthz`` answers 200 only while the game actor is turning (it handled a tick within
``stale_after`` seconds) and the database takes a write (a ``TouchHealth`` commit within
``write_timeout``); otherwise 503 with the reason. Every request has a deadline.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import Callable, Iterator, Mapping
from datetime import UTC, datetime
from typing import Protocol

from prometheus_client import CollectorRegistry, generate_latest
from prometheus_client.core import CounterMetricFamily, GaugeMetricFamily, HistogramMetricFamily
from prometheus_client.registry import Collector

from mud.core.clock import Clock
from mud.core.ops import StoreError, TouchHealth, WriteOp
from mud.core.records import UsageTotals
from mud.core.stats import GatewayStats, Histogram, HubStats, StoreStats
from mud.logs import log_event

log = logging.getLogger("mud.metrics")

PROM_CONTENT_TYPE = "text/plain; version=0.0.4; charset=utf-8"


class HubView(Protocol):
    """What metrics read from ``mud.hub.Hub``."""

    stats: HubStats

    def online_by_door(self) -> dict[str, int]: ...

    @property
    def connection_count(self) -> int: ...

    @property
    def inbox_depth(self) -> int: ...


class StoreView(Protocol):
    """What metrics read from (and write to, for health) ``mud.store.db.Store``."""

    stats: StoreStats

    @property
    def queue_depth(self) -> int: ...

    async def apply(self, ops: list[WriteOp]) -> None: ...

    async def usage_totals(
        self, *, day: str | None = None, actor: str | None = None
    ) -> UsageTotals: ...


class DmView(Protocol):
    """What metrics read from ``mud.dm.actor.DmActor``."""

    def gauges(self) -> dict[str, float]: ...


def _histogram(name: str, doc: str, h: Histogram) -> HistogramMetricFamily:
    buckets = [("+Inf" if b == float("inf") else repr(b), float(n)) for b, n in h.cumulative()]
    return HistogramMetricFamily(name, doc, buckets=buckets, sum_value=h.total)


class _Snapshot(Collector):
    """A collector over the values read for one scrape."""

    def __init__(
        self,
        hub: HubView,
        store: StoreView,
        dm: DmView | None,
        tokens: UsageTotals,
        retention: Mapping[str, int],
        refused: Mapping[str, int],
    ) -> None:
        self._hub, self._store, self._dm = hub, store, dm
        self._tokens = tokens
        self._retention = retention
        self._refused = refused

    def collect(self) -> Iterator[GaugeMetricFamily | CounterMetricFamily | HistogramMetricFamily]:
        hub, stats = self._hub, self._hub.stats
        online = GaugeMetricFamily("mud_players_online", "Players in the world", labels=["door"])
        by_door = {"telnet": 0, "ssh": 0, **hub.online_by_door()}
        for door, n in sorted(by_door.items()):
            online.add_metric([door], n)
        yield online
        yield GaugeMetricFamily(
            "mud_connections_open", "Open connections, logged in or not", value=hub.connection_count
        )
        yield CounterMetricFamily(
            "mud_connections", "Connections accepted", value=stats.connections
        )
        refused = CounterMetricFamily(
            "mud_connections_refused", "Connections refused at connect", labels=["reason"]
        )
        doors = self._refused
        for reason in sorted({"banned", "per_ip", "stopping", *stats.refused, *doors}):
            refused.add_metric([reason], stats.refused.get(reason, 0) + doors.get(reason, 0))
        yield refused
        yield CounterMetricFamily("mud_commands", "Player commands handled", value=stats.commands)
        yield _histogram(
            "mud_command_seconds", "Time the hub took to handle a command", stats.command_seconds
        )
        yield GaugeMetricFamily(
            "mud_hub_inbox_depth", "Messages waiting for the game actor", value=hub.inbox_depth
        )
        yield GaugeMetricFamily(
            "mud_hub_loop_lag_seconds", "How late the last tick woke up", value=stats.loop_lag
        )
        st = self._store.stats
        yield _histogram(
            "mud_store_commit_seconds", "Duration of one group commit", st.commit_seconds
        )
        yield CounterMetricFamily(
            "mud_store_failed_commits", "Transactions that failed", value=st.failed_commits
        )
        yield GaugeMetricFamily(
            "mud_store_queue_depth",
            "Write batches waiting for the writer",
            value=self._store.queue_depth,
        )
        gauges = self._dm.gauges() if self._dm is not None else {}
        depth = GaugeMetricFamily(
            "mud_dm_queue_depth", "Narration requests waiting", labels=["priority"]
        )
        for prio in ("high", "medium", "low"):
            depth.add_metric([prio], gauges.get(f"queue_{prio}", 0.0))
        yield depth
        yield GaugeMetricFamily(
            "mud_dm_in_flight", "Narrations being generated", value=gauges.get("in_flight", 0.0)
        )
        narrations = CounterMetricFamily(
            "mud_dm_narrations", "Narrations delivered, by provider", labels=["provider"]
        )
        for provider, n in sorted(stats.narrations.items()):
            narrations.add_metric([provider], n)
        yield narrations
        primary = next((k.split(":", 1)[1] for k in gauges if k.startswith("primary:")), "")
        failovers = sum(n for p, n in stats.narrations.items() if primary and p != primary)
        yield CounterMetricFamily(
            "mud_dm_failovers",
            "Narrations delivered by a provider other than the first in the chain",
            value=failovers,
        )
        reads = CounterMetricFamily(
            "mud_dm_prompt_tokens",
            "Prompt tokens sent to a provider, and those its server read anew (the rest came"
            " from its prefix cache), for servers that report it",
            labels=["provider", "part"],
        )
        for key, value in sorted(gauges.items()):
            part, _, provider = key.partition(":")
            if part in ("prompt_sent", "prompt_read") and provider:
                reads.add_metric([provider, part.removeprefix("prompt_")], value)
        yield reads
        tokens = GaugeMetricFamily(
            "mud_dm_tokens_today", "Tokens used today (UTC)", labels=["kind"]
        )
        tokens.add_metric(["prompt"], self._tokens.prompt_tokens)
        tokens.add_metric(["completion"], self._tokens.completion_tokens)
        yield tokens
        yield GaugeMetricFamily(
            "mud_dm_cost_today_usd", "Spend today (UTC) in dollars", value=self._tokens.cost_usd
        )
        yield GaugeMetricFamily(
            "mud_dm_budget_usd",
            "Daily budget in dollars (0: none)",
            value=gauges.get("budget_usd", 0.0),
        )
        pruned = CounterMetricFamily(
            "mud_retention_pruned_rows", "Rows deleted by retention", labels=["table"]
        )
        for table, n in sorted(self._retention.items()):
            pruned.add_metric([table], n)
        yield pruned


class GatewayView(Protocol):
    """What metrics read from ``mud.split.gateway.GatewayLink`` (a split-mode gateway)."""

    stats: GatewayStats
    epoch: str

    @property
    def game_attached(self) -> bool: ...

    @property
    def lines_in_flight(self) -> int: ...

    @property
    def bus_reconnects(self) -> int: ...

    def held_by_door(self) -> dict[str, int]: ...


class _GatewaySnapshot(Collector):
    """A gateway's values for one scrape."""

    def __init__(self, link: GatewayView, sockets: int) -> None:
        self._link = link
        self._sockets = sockets

    def collect(self) -> Iterator[GaugeMetricFamily | CounterMetricFamily]:
        link, stats = self._link, self._link.stats
        held = GaugeMetricFamily(
            "mud_gateway_connections", "Connections this gateway holds", labels=["door"]
        )
        for door, n in sorted({"telnet": 0, "ssh": 0, **link.held_by_door()}.items()):
            held.add_metric([door], n)
        yield held
        yield GaugeMetricFamily(
            "mud_gateway_sockets_open",
            "Open sockets on this gateway's doors, logged in or not",
            value=self._sockets,
        )
        yield GaugeMetricFamily(
            "mud_gateway_game_attached",
            "1 while attached to a live game",
            value=1 if link.game_attached else 0,
        )
        yield GaugeMetricFamily(
            "mud_players_online_world",
            "Players in the whole world, from the game's heartbeat",
            value=stats.world_players,
        )
        yield GaugeMetricFamily(
            "mud_gateway_lines_in_flight",
            "Lines sent to the game and not yet acknowledged",
            value=link.lines_in_flight,
        )
        for name, doc, value in (
            ("lines_sent", "Lines sent to the game", stats.lines_sent),
            (
                "lines_not_done",
                "Lines answered 'not done' (game away, or lost)",
                stats.lines_not_done,
            ),
            ("lines_done_before", "Lines a new game showed applied", stats.lines_done_before),
            ("output_messages", "Output messages applied", stats.output_messages),
            ("output_resend_requests", "Requests for missed output", stats.resend_requests),
            ("output_lost", "Output messages the game no longer had", stats.output_lost),
            ("attaches", "Attach requests answered by a game", stats.attaches),
            ("game_away", "Times the game was taken as away", stats.game_away),
            ("bus_reconnects", "Reconnections to NATS", link.bus_reconnects),
        ):
            yield CounterMetricFamily(f"mud_gateway_{name}", doc, value=value)


class _Endpoint:
    """A small HTTP/1.0 server for ``GET /metrics`` and ``GET /healthz``; subclasses
    say what a scrape reads (``render_metrics``) and what health means (``health``).

    ``start`` binds and returns the port; ``close`` stops it (idempotent). Requests are
    read with a deadline and answered once; anything else gets 404/405.
    """

    def __init__(self, host: str, port: int) -> None:
        self._host, self._port = host, port
        self._server: asyncio.Server | None = None

    async def render_metrics(self) -> bytes:
        raise NotImplementedError

    async def health(self) -> tuple[bool, str]:
        raise NotImplementedError

    async def start(self) -> int:
        """Listen; returns the bound port. Raises OSError if it cannot."""
        self._server = await asyncio.start_server(self._serve, self._host, self._port)
        port: int = self._server.sockets[0].getsockname()[1]
        return port

    async def close(self) -> None:
        if self._server is not None:
            self._server.close()
            with contextlib.suppress(TimeoutError):
                async with asyncio.timeout(2.0):
                    await self._server.wait_closed()
            self._server = None

    async def _serve(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        try:
            async with asyncio.timeout(10.0):
                request = await reader.readline()
                while (await reader.readline()) not in (b"\r\n", b"\n", b""):
                    pass  # headers: nothing we need
                parts = request.decode("latin-1").split()
                method, path = (
                    (parts[0], parts[1].split("?", 1)[0]) if len(parts) >= 2 else ("", "")
                )
                if method not in ("GET", "HEAD"):
                    status, ctype, body = "405 Method Not Allowed", "text/plain", b"GET only\n"
                elif path == "/metrics":
                    status, ctype, body = "200 OK", PROM_CONTENT_TYPE, await self.render_metrics()
                elif path == "/healthz":
                    ok, reason = await self.health()
                    status = "200 OK" if ok else "503 Service Unavailable"
                    ctype, body = "text/plain; charset=utf-8", (reason + "\n").encode()
                    if not ok:
                        log_event(log, "health_failed", level=logging.WARNING, reason=reason)
                else:
                    status, ctype, body = (
                        "404 Not Found",
                        "text/plain",
                        b"try /metrics or /healthz\n",
                    )
                head = (
                    f"HTTP/1.0 {status}\r\nContent-Type: {ctype}\r\n"
                    f"Content-Length: {len(body)}\r\nConnection: close\r\n\r\n"
                )
                writer.write(head.encode("latin-1") + (b"" if method == "HEAD" else body))
                await writer.drain()
        except (TimeoutError, ConnectionError, UnicodeDecodeError):
            pass
        finally:
            writer.close()
            with contextlib.suppress(Exception):
                await writer.wait_closed()


class MetricsServer(_Endpoint):
    """The game's endpoint (``mud serve``, ``mud game``): the hub, the store, the DM.
    ``/healthz`` is healthy while the game actor turns and the database takes a write."""

    def __init__(
        self,
        host: str,
        port: int,
        *,
        hub: HubView,
        store: StoreView,
        dm: DmView | None,
        clock: Clock,
        retention: Callable[[], Mapping[str, int]] = dict,
        refused: Callable[[], Mapping[str, int]] = dict,
        tick: float = 1.0,
        write_timeout: float = 2.0,
    ) -> None:
        super().__init__(host, port)
        self._hub, self._store, self._dm = hub, store, dm
        self._clock = clock
        self._retention = retention
        self._refused = refused  # the doors' own refusals (caps, rate), by reason
        self.stale_after = max(5.0, 5 * tick)
        self._write_timeout = write_timeout

    async def render_metrics(self) -> bytes:
        """The Prometheus text for one scrape."""
        today = datetime.fromtimestamp(int(self._clock.wall()), tz=UTC).strftime("%Y-%m-%d")
        try:
            async with asyncio.timeout(self._write_timeout):
                tokens = await self._store.usage_totals(day=today)
        except (StoreError, TimeoutError):
            tokens = UsageTotals(0, 0, 0.0, 0)
        registry = CollectorRegistry(auto_describe=False)
        registry.register(
            _Snapshot(
                self._hub,
                self._store,
                self._dm,
                tokens,
                dict(self._retention()),
                dict(self._refused()),
            )
        )
        return generate_latest(registry)

    async def health(self) -> tuple[bool, str]:
        """(healthy, reason): the game actor turns and the database takes a write."""
        last = self._hub.stats.last_tick
        if last is None:
            return False, "the game actor has not ticked yet"
        age = self._clock.monotonic() - last
        if age > self.stale_after:
            return False, f"the game actor last ticked {age:.1f} s ago"
        try:
            async with asyncio.timeout(self._write_timeout):
                await self._store.apply([TouchHealth(self._clock.wall())])
        except TimeoutError:
            return False, f"the database did not take a write within {self._write_timeout:g} s"
        except StoreError as exc:
            return False, f"the database does not take writes: {exc}"
        return True, "ok"


class GatewayMetricsServer(_Endpoint):
    """A split-mode gateway's endpoint (``mud gateway``). ``/healthz`` is healthy while
    the gateway is attached to a live game: a load balancer then sends new players to
    gateways that can let them in. ``sockets`` reads the doors' open sockets."""

    def __init__(
        self, host: str, port: int, *, link: GatewayView, sockets: Callable[[], int]
    ) -> None:
        super().__init__(host, port)
        self._link = link
        self._sockets = sockets

    async def render_metrics(self) -> bytes:
        registry = CollectorRegistry(auto_describe=False)
        registry.register(_GatewaySnapshot(self._link, self._sockets()))
        return generate_latest(registry)

    async def health(self) -> tuple[bool, str]:
        if self._link.game_attached:
            return True, f"ok: attached to game {self._link.epoch}"
        return False, "no game attached: the world is starting or being restored"
