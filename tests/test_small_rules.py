"""Issue 11's small rules, through the hub (tests/hubrig.py) or one command against the
engine (tests/enginerig.py): room views after flee and waking, directions suggested like
commands, the prompt. (Equipment you cannot sell or drop by accident, a shop that sells
on what it bought, potions, quest lines after their cause and rewards once are in
test_call_rules.py, through ``call()``.)"""

from __future__ import annotations

from hubrig import Rig

from mud.core.outputs import Doc
from mud.engine import fight, views
from mud.engine.commands import ALIASES
from mud.engine.effects import Move, Tell
from mud.engine.parser import parse
from mud.engine.state import Character
from mud.render.doc import render
from tests.enginerig import PLAIN, EngineRig, ScriptedRng

H = "hollowmere:"


def test_a_mistyped_direction_gets_a_suggestion() -> None:
    rig = EngineRig()
    rig.player("alice", "common_room")
    assert rig.seen("alice", rig.run("alice", "nroth")) == [
        "Unknown command 'nroth'. Did you mean 'north'?"
    ]
    assert parse("soutth", ALIASES).suggestion == "south"


def _views(effects: list[object], key: str) -> list[str]:
    return [
        render(e.doc, PLAIN).replace("\r\n", "\n")
        for e in effects
        if isinstance(e, Tell) and e.who == key and "Exits:" in render(e.doc, PLAIN)
    ]


def test_fleeing_shows_the_room_you_fled_to() -> None:
    rig = EngineRig()
    rig.player("alice", "smugglers_tunnel")
    started, _ = fight.begin(
        rig.world,
        H + "smugglers_tunnel",
        ScriptedRng([20, 1]),
        now=0.0,
        turn_time=20.0,
        target=None,
    )
    assert started is not None
    me = started.get("p:alice")
    _after, effects = fight._flee(rig.world, started, me, "", ScriptedRng([20]))
    moves = [e for e in effects if isinstance(e, Move)]
    assert len(moves) == 1
    views = _views(effects, "alice")
    assert len(views) == 1 and views[0].startswith(rig.world.room(moves[0].to).name)


def test_waking_after_a_fall_shows_the_room() -> None:
    rig = EngineRig()
    rig.player("alice", "smugglers_tunnel")
    started, _ = fight.begin(
        rig.world,
        H + "smugglers_tunnel",
        ScriptedRng([20, 1]),
        now=0.0,
        turn_time=20.0,
        target=None,
    )
    assert started is not None
    effects = fight._carry_out(rig.world, "alice", started)
    safe = rig.world.templates.rules.safe_room or rig.world.templates.start
    views = _views(effects, "alice")
    assert len(views) == 1 and views[0].startswith(rig.world.room(safe).name)


async def test_the_prompt_shows_hp_and_can_be_set(rig: Rig) -> None:
    alice = await rig.create("Alice")
    char = rig.hub.world.chars["alice"]
    await rig.line(alice, "look")
    await alice.expect(rf"Exits:[\s\S]*?\n{char.hp}/{char.max_hp} HP > ")
    char.hp = 3
    await rig.line(alice, "look")
    await alice.expect(rf"Exits:[\s\S]*?\n3/{char.max_hp} HP > ")
    await rig.line(alice, "prompt [%h hp, %g gold, 100%%]")
    await alice.expect(rf"Prompt set: \[3 hp, {char.gold} gold, 100%\]")
    await alice.expect(rf"\[3 hp, {char.gold} gold, 100%\] ")
    assert char.extra["prompt"] == "[%h hp, %g gold, 100%%]"
    await rig.line(alice, "prompt")
    await alice.expect(r"Your prompt is '\[%h hp, %g gold, 100%%\]'")
    await rig.line(alice, "prompt default")
    await alice.expect(rf"Prompt set: 3/{char.max_hp} HP >")
    await alice.expect(rf"\n3/{char.max_hp} HP > ")


def test_a_prompt_template_is_text_not_markup() -> None:
    rig = EngineRig()
    alice = rig.player("alice", "common_room")
    alice.extra["prompt"] = "{bold}%h{/} %q"
    markup = views.prompt_markup(alice, "{prompt}>{/}")
    rendered = render(Doc.text(markup), PLAIN).strip()
    assert rendered == f"{{bold}}{alice.hp}{{/}} %q"
    assert views.prompt_markup(Character("x", "X", "r"), "{prompt}>{/}") == "{prompt}>{/}"
