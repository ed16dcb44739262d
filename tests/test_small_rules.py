"""Issue 11's small rules, through the hub (tests/hubrig.py) or one command against the
engine (tests/enginerig.py): room views after flee and waking, directions suggested like
commands, the prompt. (Equipment you cannot sell or drop by accident, a shop that sells
on what it bought, potions, quest lines after their cause and rewards once are in
test_call_rules.py, through ``call()``.)"""

from __future__ import annotations

from hubrig import Rig, walk

from mud.core.outputs import Doc
from mud.engine import fight, game, views
from mud.engine.commands import ALIASES
from mud.engine.effects import Move, Rolled, Tell, UseFeature
from mud.engine.parser import parse
from mud.engine.state import Character
from mud.render.doc import render
from tests.call import call
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


async def test_quest_items_are_not_sold_so_a_per_player_copy_cannot_farm_gold(rig: Rig) -> None:
    """Found playing issue 11: take your own copy of Edda's locket on the drowned stair,
    sell it to Tobin for 6 gold, take another copy, sell it again, and so on."""
    alice = await rig.create("Alice")
    world = rig.hub.world
    char = world.chars["alice"]
    # Alice took her copy of the locket on the stair (a per-player quest item).
    locket = world.new_item(H + "venn_locket")
    char.inventory.append(locket)
    await walk(rig, alice, "alice", H + "lamp_shop")
    gold = char.gold
    await rig.line(alice, "sell locket")
    await alice.expect(r"The tarnished locket is a quest item; no shop will buy it\.")
    assert locket in char.inventory and char.gold == gold
    assert not world.stock.get(H + "tobin")
    # What a quest asks to be held is kept too, and ordinary things still sell.
    char.inventory.append(world.new_item(H + "map_scrap"))
    await rig.line(alice, "sell map")
    await alice.expect(r"The scrap of map is a quest item")
    char.inventory.append(world.new_item(H + "prayer_bead"))
    await rig.line(alice, "sell bead")
    await alice.expect("You sell the prayer bead for 1 gold")
    assert char.gold == gold + 1


def test_searching_a_secret_already_found_rolls_nothing() -> None:
    """Found playing issue 11 in two: Bob finds what the hearthstone hides; Alice then
    searches it too and rolled against the generic 'search' DC 12 (not the feature's 10),
    'succeeding' at nothing."""
    rig = EngineRig()
    rig.player("alice", "common_room")
    rig.player("bob", "common_room")
    found = rig.run("bob", "search hearthstone", dice=[20])
    assert any(isinstance(e, UseFeature) for e in found)
    rig.world.features_used.add(H + "common_room:hearthstone")
    effects = rig.run("alice", "search hearthstone", dice=[20])
    assert not [e for e in effects if isinstance(e, Rolled)]
    seen = rig.seen("alice", effects)
    assert "What the loose hearthstone hid has already been found." in seen
    assert not any("DC" in line for line in seen)
    # Elsewhere in the room the generic table still applies.
    assert [e for e in rig.run("alice", "search the bar", dice=[20]) if isinstance(e, Rolled)]


def test_a_reward_line_names_only_what_the_reward_gives() -> None:
    """Found playing issue 11: 'Quest complete: The Sunken Shrine! (+250 XP, +0 gold)'."""
    rig = EngineRig()
    alice = rig.player("alice", "drowned_stair")
    done = {H + "missing_cartographer": -1, H + "under_the_town": -1}
    alice.quests = {**done, H + "sunken_shrine": 3}
    effects, quests, xp, gold, _items = game.quest_events(
        rig.world, alice, [("hold", H + "venn_locket")]
    )
    assert quests[H + "sunken_shrine"] == -1 and (xp, gold) == (250, 0)
    assert (
        "Quest complete: The Sunken Shrine! (+250 XP, a flask of lamp-blessed water)"
        in rig.seen("alice", effects)
    )


def test_a_step_done_as_it_is_told_is_not_told_before_the_step_that_stands() -> None:
    # Played (round 49): the locket picked up after the Warden fell opened The
    # Lamplighter with "Defeat the Drowned Warden and take the key ...", done already,
    # and at once "Unlock the iron door ...".
    rig = EngineRig()
    alice = rig.player("alice", "drowned_stair")
    done = {H + "missing_cartographer": -1, H + "under_the_town": -1}
    alice.quests = {**done, H + "sunken_shrine": 3}
    alice.deeds.append(f"defeat:{H}drowned_warden")
    effects, quests, *_ = game.quest_events(rig.world, alice, [("hold", H + "venn_locket")])
    steps = [s for s in rig.seen("alice", effects) if s.startswith("Quest 'The Lamplighter'")]
    assert steps == [
        "Quest 'The Lamplighter': Unlock the iron door and go through into the Hall of Lanterns."
    ], rig.seen("alice", effects)
    assert quests[H + "the_lamplighter"] == 1


def test_a_potion_line_shows_its_dice_once_without_the_roll_reason() -> None:
    """Found playing issue 11: 'heals 4 (2d4+2: [1, 1] +2 = 4 (Alice heals))'."""
    rig = EngineRig()
    alice = rig.player("alice", "common_room", kit=True)
    alice.hp = 2
    seen = rig.seen("alice", rig.run("alice", "drink potion", dice=[1, 1]))
    assert "You drink a potion of healing, and heal 4 (2d4+2: [1, 1] +2 = 4)." in seen
    # More than was lacking: what was gained, and why it is not the roll (played: "heal 8
    # (2d4+2: [3, 4] +2 = 9)" at 1 of 9 HP).
    alice.hp = alice.max_hp - 8
    seen = rig.seen("alice", rig.run("alice", "drink potion", dice=[3, 4]))
    assert "and heal 8 (2d4+2: [3, 4] +2 = 9, to full health)." in "\n".join(seen), seen


def test_the_warden_is_named_with_its_article() -> None:
    rig = EngineRig()
    rig.player("alice", "drowned_stair")
    view = "\n".join(rig.seen("alice", rig.run("alice", "look")))
    assert "The Drowned Warden is here." in view


def test_the_hubs_memoised_prompt_follows_every_field_the_prompt_reads() -> None:
    # Issue 16: the hub memoises prompt markup (a say to 1,000 prompts 1,000 players);
    # a change to any field the template can show must give a fresh prompt.
    from mud.hub.actor import PromptMemo

    memo = PromptMemo()
    rig = EngineRig()
    alice = rig.player("alice", "common_room")
    alice.extra["prompt"] = "%h/%H %x %g %l"
    plain = "{prompt}>{/}"
    seen = {memo.markup(alice, plain)}
    for field_name in ("hp", "max_hp", "xp", "gold", "level"):
        setattr(alice, field_name, getattr(alice, field_name) + 7)
        markup = memo.markup(alice, plain)
        assert markup == views.prompt_markup(alice, plain)
        assert markup not in seen
        seen.add(markup)
    alice.extra["prompt"] = "%g gold >"
    assert memo.markup(alice, plain) == views.prompt_markup(alice, plain)
    assert memo.markup(alice, "{prompt}]{/}") == views.prompt_markup(alice, "{prompt}]{/}")
    assert memo.markup(Character("x", "X", "r"), plain) == plain
    for gold in range(memo.MAX + 10):  # past the bound: emptied, still right
        alice.gold = gold
        assert memo.markup(alice, plain) == f"{{prompt}}{gold} gold >{{/}}"
    assert len(memo) <= memo.MAX


def test_an_amount_that_is_no_whole_number_is_refused_as_such() -> None:
    # Played by an exploit hunter: "tip bessa -3" gave her 3 gold, "tip bessa 1e9" read
    # "Bessa Thorn is not here." with her behind the bar, "buy -2 stew" "Bessa Thorn does
    # not sell '-2 stew'.", "give -5 gold to alice" "You are not carrying '-5 gold'.",
    # and "split -10" was a deed for the room. No gold moves for any of them.
    rig = EngineRig()
    bob = rig.player("bob", "common_room", kit=True)
    alice = rig.player("alice", "common_room")
    cases = {
        "give -5 gold to alice": "Give a whole number of gold, 1 or more:",
        "give 2.5 gold to alice": "Give a whole number of gold, 1 or more:",
        "give 99999999999 gold to alice": "Give a whole number of gold, 1 or more:",
        "tip bessa -3": "A tip is a whole number of gold, 1 or more: 'tip bessa 3'.",
        "tip bessa 1e9": "A tip is a whole number of gold, 1 or more: 'tip bessa 3'.",
        "buy -2 stew": "Buy between 1 and 20 at a time.",
        "buy 2.5 stew": "Buy between 1 and 20 at a time.",
        "buy 99999999999 stew": "Buy between 1 and 20 at a time.",
        "split -10": "Split how much? A whole number of gold: 'split 10'.",
    }
    for line, said in cases.items():
        before = (bob.gold, alice.gold, len(bob.inventory))
        out = call(rig.world, "bob", line)
        assert out.lines("bob")[0].startswith(said), (line, out.lines("bob"))
        assert out.lines("alice") == [], line
        assert (bob.gold, alice.gold, len(bob.inventory)) == before, line
    # Whole amounts still go through, and words with numbers in them stay what they were.
    assert call(rig.world, "bob", "tip bessa 3").lines("bob")[0] == "You give Bessa Thorn 3 gold."
    assert call(rig.world, "bob", "buy 2 stew").lines("bob")[0].startswith("You buy 2 bowls")
    assert call(rig.world, "bob", "say I owe her -5 gold").lines("bob") == [
        "You say, 'I owe her -5 gold'"
    ]
