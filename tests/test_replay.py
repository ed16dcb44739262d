"""Record a real session over telnet, replay it from the database, then tamper with it."""

from __future__ import annotations

import json
import sqlite3
from pathlib import Path

from fake_openai import FakeOpenAI, Fault
from mudclient import TelnetPlayer, login_existing, login_new, make_config, running_server

from mud.replay import export_events, load_events, replay


async def _record(tmp_path: Path) -> str:
    async with FakeOpenAI(
        default=Fault("text", tokens=("Mist ", "curls ", "over ", "the ", "water."))
    ) as fake:
        config = make_config(tmp_path, llm=fake)
        async with running_server(config) as srv:
            alice = await TelnetPlayer.connect(srv.telnet_port)
            await login_new(alice, "Alice")
            bob = await TelnetPlayer.connect(srv.telnet_port)
            await login_new(bob, "Bob")
            alice.send("say the lights are out again")
            await bob.expect("the lights are out again")
            alice.send("get all")
            await alice.expect("You pick up")
            bob.send("I peer into the rain")
            await bob.expect(r"Mist\s+curls\s+over\s+the\s+water\.")
            bob.send("roll 3d6 for luck")
            await alice.expect(r"Bob rolls for luck: 3d6")
            bob.send("search the hearthstone")
            await bob.expect(r"check \d+ vs DC")
            bob.send("south")
            await alice.expect("Bob leaves south")
            alice.send("quit")
            await alice.closed()
            await bob.close()
        # A second run on the same database: the recording spans a restart.
        async with running_server(config) as srv:
            alice = await TelnetPlayer.connect(srv.telnet_port)
            await login_existing(alice, "Alice")
            alice.send("roll 2d20kh1 again")
            await alice.expect(r"You roll for again: 2d20kh1")
            alice.send("inventory")
            await alice.expect("You are carrying")
            await alice.close()
    return config.db


async def test_recorded_session_replays_identically(tmp_path: Path) -> None:
    db = await _record(tmp_path)
    events = await load_events(db)
    kinds = {e.kind for e in events}
    assert {"start", "enter", "line", "dm"} <= kinds
    assert sum(1 for e in events if e.kind == "start") == 2
    result = await replay(events)
    assert result.ok, result.first
    assert result.events == len(events)
    # The JSON export replays the same way.
    export = tmp_path / "session.json"
    export.write_text(export_events(events))
    again = await replay(await load_events(str(export)))
    assert again.ok, again.first


async def test_tampered_recording_reports_the_first_difference(tmp_path: Path) -> None:
    db = await _record(tmp_path)
    with sqlite3.connect(db) as conn:
        rows = conn.execute(
            "SELECT id, seq, data FROM event_log WHERE kind='line' ORDER BY seq"
        ).fetchall()
        target = next(r for r in rows if "lights are out" in r[2])
        data = json.loads(target[2])
        data["text"] = "say the lights are ON again"
        conn.execute("UPDATE event_log SET data=? WHERE id=?", (json.dumps(data), target[0]))
    result = await replay(await load_events(db))
    assert not result.ok
    assert f"event {target[1]} (line" in result.first
    assert "lights are ON again" in result.first


async def test_a_different_random_state_shows_up_at_the_first_roll(tmp_path: Path) -> None:
    db = await _record(tmp_path)
    events = await load_events(db)
    starts = [e for e in events if e.kind == "start"]
    tampered = []
    for event in events:
        if event is starts[1]:
            state = list(event.data["rng"])
            internal = list(state[1])
            internal[0] = (internal[0] + 1) % 2**32  # one word of the generator's state
            state[1] = internal
            event = type(event)(event.seq, event.kind, {**event.data, "rng": state}, event.ts)
        tampered.append(event)
    result = await replay(tampered)
    assert not result.ok
    assert "roll 2d20kh1 again" in result.first  # the first event that drew from it
