"""Class powers (``mud.engine.powers``): a Lamp-Keeper heals and blesses, a fighter finds
a second wind. Played at the Eel-Catchers' Landing: the rogue fell to 2 HP and "heal
brisa" from the Lamp-Keeper beside her was a deed that healed nothing ("You take a
moment over it, unhurried.")."""

from __future__ import annotations

from pathlib import Path
from types import MappingProxyType

import pytest
from attrs import evolve
from call import call, turn_at_the_eelcatcher
from enginerig import PLAIN, EngineRig, ScriptedRng, narration_asks

from mud.core.narration import Beat
from mud.engine import fight, powers
from mud.engine.combat import TurnOrder
from mud.engine.effects import CharUpdate, Rolled, SetFight, SpawnItem, Then, TurnPrompt
from mud.engine.fight import Fight
from mud.render.doc import render
from mud.world.loader import PackError, load_packs

H = "hollowmere:"


def _party(room: str = "common_room") -> EngineRig:
    rig = EngineRig()
    rig.player("corvin", room, cls="hollowmere:cleric", kit=True)
    rig.player("brisa", room, cls="hollowmere:rogue", kit=True)
    rig.player("wren", room, kit=True)
    return rig


def test_a_lamp_keeper_heals_a_companion_and_everyone_reads_it() -> None:
    rig = _party()
    rig.apply([CharUpdate("brisa", hp=2)])
    effects = rig.run("corvin", "heal brisa", dice=[5])
    # 1d8 + WIS modifier (16: +3): 8, of which 7 fit under Brisa's 9.
    assert rig.seen("corvin", effects) == [
        "You use Ysolde's Light on Brisa: Brisa heals 7 (1d8+3: [5] +3 = 8, to full health)",
        "Ysolde's Light: 1 of 2 uses left.",
    ]
    assert rig.seen("brisa", effects) == [
        "Corvin uses Ysolde's Light on you: you heal 7 (1d8+3: [5] +3 = 8, to full health)",
        "You have 9/9 HP.",
    ]
    assert rig.seen("wren", effects) == [
        "Corvin uses Ysolde's Light on Brisa: Brisa heals 7 (1d8+3: [5] +3 = 8, to full health)"
    ]
    assert [e.expr for e in effects if isinstance(e, Rolled)] == ["1d8+3"]
    (asked,) = narration_asks(effects)
    assert asked.outcome.kind == "power"
    assert asked.outcome.facts == (
        "Corvin uses Ysolde's Light on Brisa: heals 7 (1d8+3: [5] +3 = 8, to full health).",
    )
    rig.apply(effects)
    assert rig.world.chars["brisa"].hp == 9
    assert rig.world.chars["corvin"].powers_used == {"ysoldes_light": 1}


def test_what_cannot_be_done_costs_no_use() -> None:
    rig = _party()
    for line, told in {
        "heal": "You are unhurt (9/9 HP).",
        "heal brisa": "Brisa is unhurt (9/9 HP).",
        "mend tamsin": "You see no 'tamsin' here.",
    }.items():
        effects = rig.run("corvin", line, dice=[5])
        assert rig.seen("corvin", effects) == [told], line
        assert not [e for e in effects if isinstance(e, CharUpdate)], line
    # Second Wind is the fighter's own.
    rig.apply([CharUpdate("wren", hp=3)])
    assert rig.seen("wren", rig.run("wren", "second wind brisa")) == [
        "Second Wind is for yourself alone."
    ]
    effects = rig.run("wren", "second wind", dice=[4])
    assert rig.seen("wren", effects)[0] == "You use Second Wind, and heal 6 (1d10+2: [4] +2 = 6)."
    rig.apply(effects)
    rig.apply([CharUpdate("wren", hp=3)])
    assert rig.seen("wren", rig.run("wren", "second wind")) == [
        "You have no uses of Second Wind left. A long rest restores them."
    ]
    # A rogue has no such power: the words are a deed for the DM.
    assert rig.seen("brisa", rig.run("brisa", "heal wren"))[0] == "You try to heal Wren."
    # Her own is for herself, and the rest of the line is only how she says it.
    effects = rig.run("brisa", "aim at the rat")
    # Played: "You use Steady Aim: is blessed for 2 rounds".
    assert rig.seen("brisa", effects)[0] == "You use Steady Aim, and are blessed for 2 rounds."
    assert rig.seen("wren", effects)[0] == "Brisa uses Steady Aim, and is blessed for 2 rounds."
    assert rig.seen("brisa", rig.run("brisa", "steady aim wren")) == [
        "Steady Aim is for yourself alone."
    ]
    # A calling with no powers says so.
    plain = EngineRig()
    templates = plain.world.templates
    classes = dict(templates.classes)
    classes["hollowmere:rogue"] = evolve(classes["hollowmere:rogue"], powers=())
    plain.world.templates = evolve(templates, classes=MappingProxyType(classes))
    plain.player("ash", "common_room", cls="hollowmere:rogue")
    assert plain.seen("ash", plain.run("ash", "powers")) == ["Rogues have no powers to call on."]


def test_a_long_rest_gives_the_uses_back_and_they_are_saved() -> None:
    rig = _party()
    rig.apply([CharUpdate("corvin", powers_used={"ysoldes_light": 2, "blessing": 1})])
    char = rig.world.chars["corvin"]
    back = rig.world.restore_character(
        "corvin", rig.world.character_json(char), name="Corvin", is_admin=False
    )
    assert back.powers_used == {"ysoldes_light": 2, "blessing": 1}
    assert "0/2" in rig.seen("corvin", rig.run("corvin", "powers"))[0]
    rig.apply(rig.run("corvin", "rest long"))
    assert rig.world.chars["corvin"].powers_used == {}
    assert "2/2" in rig.seen("corvin", rig.run("corvin", "spells"))[0]


def test_a_blessing_is_a_condition_on_whom_it_names() -> None:
    rig = _party()
    effects = rig.run("corvin", "bless wren")
    assert rig.seen("wren", effects)[0] == (
        "Corvin uses Lamp-Blessing on you: you are blessed for 3 rounds"
    )
    rig.apply(effects)
    assert ("blessed", 3) in rig.world.chars["wren"].conditions
    # Played in the bog rat's fight: "bless us, saint ysolde" was "You see no 'us, saint
    # ysolde' here.". One at a time, and words after a comma are to whom it is said.
    assert rig.seen("corvin", rig.run("corvin", "bless us, saint ysolde")) == [
        "Lamp-Blessing is for one at a time: 'bless me', or 'bless <name>'."
    ]
    fresh = _party()
    effects = fresh.run("corvin", "bless me, saint ysolde")
    assert (
        fresh.seen("corvin", effects)[0] == "You use Lamp-Blessing, and are blessed for 3 rounds."
    )
    # Played at the shrine, before the stair: "ready when you are. bless you first" was a
    # deed ("You try to ready when you are. ...").
    two = EngineRig()
    two.player("brin", "sunken_shrine", "hollowmere:cleric", kit=True)
    two.player("isolde", "sunken_shrine", "hollowmere:rogue", kit=True)
    out = call(two.world, "brin", "ready when you are. bless you first")
    assert out.lines("isolde") == [
        "Brin says, 'ready when you are.'",
        "Brin uses Lamp-Blessing on you: you are blessed for 3 rounds",
    ]


def _brisa_down(saves: tuple[int, int]) -> tuple[EngineRig, Fight]:
    """The party in a fight with the bog rat, Brisa down with death-save tally
    ``saves`` (successes, failures), and Corvin's turn; the fight as set."""
    rig = _party("smugglers_tunnel")
    out = call(rig.world, "corvin", "attack rat", dice=[15, 10, 12, 3, 4, 10, 10])
    assert "FIGHT!" in out.text("corvin")
    room = "hollowmere:smugglers_tunnel"
    current = rig.world.fights[room]
    order = current.order.order
    current = evolve(
        current.put(evolve(current.get("p:brisa"), hp=0)),
        saves=(("p:brisa", *saves),),
        order=TurnOrder(order, order.index("p:corvin"), current.order.round),
    )
    rig.world.set_fight(room, current)
    rig.apply([CharUpdate("brisa", hp=0, down=True)])
    return rig, current


def test_in_a_fight_healing_takes_the_turn_and_brings_back_the_fallen() -> None:
    # Brisa is down and dying, and it is Corvin's turn.
    rig, _ = _brisa_down((0, 2))
    # "heal" is no power of a rogue's.
    assert powers.power_named(rig.world, rig.world.chars["brisa"], "heal") is None
    effects = rig.run("corvin", "heal brisa", dice=[2, 10, 10, 10, 10, 10, 10])
    assert "Corvin uses Ysolde's Light on Brisa: Brisa heals 5" in rig.seen("wren", effects)[0]
    after = next(e.fight for e in effects if isinstance(e, SetFight))
    # Up again in the fight's own copy, her death saves over, and Corvin's turn spent.
    assert after.get("p:brisa").hp == 5
    assert not [s for s in after.saves if s[0] == "p:brisa"]
    assert after.order.current != "p:corvin"
    assert Beat("Corvin", "power", target="Ysolde's Light for Brisa") in after.beats
    rig.apply(effects)
    assert rig.world.chars["brisa"].down is False
    assert rig.world.chars["corvin"].powers_used == {"ysoldes_light": 1}
    # Out of turn, a power waits like any other action.
    assert rig.seen("corvin", rig.run("corvin", "bless wren")) == ["Wait for your turn."]


def test_a_fighter_past_saving_cannot_be_healed() -> None:
    rig, _ = _brisa_down((0, 3))
    effects = rig.run("corvin", "heal brisa")
    assert rig.seen("corvin", effects) == ["It is too late for Brisa."]


def test_a_builders_powers_are_checked(tmp_path: Path) -> None:
    pack = tmp_path / "p"
    pack.mkdir()
    (pack / "pack.yaml").write_text("id: p\nname: P\nstart: hall\n")
    (pack / "rooms.yaml").write_text("hall:\n  name: Hall\n  description: A hall.\n")
    (pack / "classes.yaml").write_text(
        "monk:\n"
        "  name: Monk\n"
        "  description: Quiet.\n"
        "  hit_die: d8\n"
        "  abilities: {str: 10, dex: 10, con: 10, int: 10, wis: 10, cha: 10}\n"
        "  powers:\n"
        "    calm:\n"
        "      name: Calm\n"
        "      verbs: [calm]\n"
        "      effect: {heal: 1d4}\n"
        "      ability: wisdom\n"
        "      reach: everyone\n"
        "    still:\n"
        "      name: Still\n"
        "      verbs: [calm]\n"
        "      effect: {condition: blessed, rounds: 2}\n"
        "    empty:\n"
        "      name: Empty\n"
    )
    try:
        load_packs([pack])
    except PackError as exc:
        text = str(exc)
    else:
        raise AssertionError("bad powers loaded")
    assert "classes.yaml" in text
    assert "'ability': 'wisdom' is not an ability" in text
    assert "'reach'" in text
    assert "verb 'calm' is already power 'calm''s" in text
    assert "a power needs 'verbs'" in text and "a power needs an 'effect'" in text


def _choices(rig: EngineRig, key: str, spent: str = "") -> str:
    """The choices of ``key``'s "Your turn!", as they read them."""
    text = render(fight.turn_doc(rig.world, key, 20.0, spent=spent), PLAIN).strip()
    assert text.startswith("Your turn! ") and text.endswith(" (20 s)."), text
    return text.removeprefix("Your turn! ").removesuffix(" (20 s).")


def test_a_fighters_turn_names_the_powers_left_to_them() -> None:
    rig = _party()
    assert _choices(rig, "corvin") == "attack, defend, flee <direction>, use <item>, heal, or bless"
    assert _choices(rig, "brisa").endswith("use <item>, or steady aim")
    rig.apply([CharUpdate("brisa", powers_used={"steady_aim": 2})])
    assert _choices(rig, "brisa") == "attack, defend, flee <direction>, or use <item>"
    rig.apply([CharUpdate("corvin", powers_used={"blessing": 1})])
    assert _choices(rig, "corvin").endswith("use <item>, or heal")
    # A use being spent, not yet on the sheet: its last is not offered.
    assert _choices(rig, "wren").endswith("or second wind")
    assert _choices(rig, "wren", spent="second_wind").endswith("or use <item>")


def test_the_turn_after_a_powers_last_use_does_not_offer_it() -> None:
    # Played: "Second Wind: 0 of 1 uses left.", then "Your turn! ... or second wind".
    rig = EngineRig()
    rig.player("wren", "smugglers_tunnel", kit=True)
    rig.apply([CharUpdate("wren", hp=3)])
    started, _ = fight.begin(
        rig.world,
        H + "smugglers_tunnel",
        ScriptedRng([20, 1]),
        now=0.0,
        turn_time=20.0,
        target=None,
    )
    assert started is not None and started.order.current == "p:wren"
    rig.world.fights[H + "smugglers_tunnel"] = started
    effects = rig.run("wren", "second wind", dice=[4, 1])
    prompts = [e for e in effects if isinstance(e, TurnPrompt) and e.who == "wren"]
    assert prompts, effects
    text = render(prompts[-1].doc, PLAIN)
    assert "second wind" not in text and text.startswith("Your turn!"), text


def test_a_senseless_companion_is_healed_back_into_the_fight() -> None:
    # Hollowmere carries the fallen home ("down: carry"): they roll no saves and are
    # skipped, their tally settled as stable. Healing brings them back in.
    rig, current = _brisa_down((3, 0))
    assert "p:brisa" in current.skip()
    effects = rig.run("corvin", "heal brisa", dice=[6, 10, 10, 10, 10, 10, 10])
    after = next(e.fight for e in effects if isinstance(e, SetFight))
    assert after.get("p:brisa").hp == 9
    assert "p:brisa" not in after.skip()


def test_healing_a_fighter_from_outside_the_fight_heals_the_fights_copy() -> None:
    rig = _party("smugglers_tunnel")
    call(rig.world, "brisa", "attack rat", dice=[15, 10, 12, 3, 4, 10, 10])
    room = "hollowmere:smugglers_tunnel"
    before = rig.world.fights[room]
    rig.world.set_fight(room, before.put(evolve(before.get("p:brisa"), hp=3)))
    rig.apply([CharUpdate("brisa", hp=3)])
    rig.player("ash", "smugglers_tunnel", cls="hollowmere:cleric", kit=True)
    assert not rig.world.fights[room].has("p:ash")
    effects = rig.run("ash", "heal brisa", dice=[4])
    (after,) = [e.fight for e in effects if isinstance(e, SetFight)]
    assert after.get("p:brisa").hp == 9  # 3 + 1d8 (4) + 3
    assert after.order == before.order  # no one's turn was taken


def test_a_reply_then_a_power_says_the_reply_and_uses_the_power() -> None:
    rig = _party()
    rig.apply([CharUpdate("brisa", hp=2)])
    # Played: Pell asked "oren, can you patch me up?", and Oren's "sure. heal pell" was
    # said to him, and healed nothing.
    rig.apply(rig.run("brisa", "corvin, can you patch me up?"))
    out = call(rig.world, "corvin", "sure. heal brisa", dice=[5])
    assert out.lines("corvin")[:2] == [
        "You say to Brisa, 'sure.'",
        "You use Ysolde's Light on Brisa: Brisa heals 7 (1d8+3: [5] +3 = 8, to full health)",
    ], out.lines("corvin")
    assert rig.world.chars["brisa"].hp == 9
    assert rig.world.chars["corvin"].powers_used == {"ysoldes_light": 1}


def test_let_me_heal_you_heals_the_one_other_player_here() -> None:
    # Played: Siv's "you look awful. let me heal you" to Bram, at 1 HP after the bog
    # rat, was said and healed nothing.
    rig = EngineRig()
    rig.player("siv", "tunnel", cls="hollowmere:cleric", kit=True)
    rig.player("bram", "tunnel", cls="hollowmere:rogue", kit=True)
    heals = "You use Ysolde's Light on Bram: Bram heals 8 (1d8+3: [5] +3 = 8)"
    for line, said in (
        ("you look awful. let me heal you", ["You say, 'you look awful.'"]),
        ("let me patch you up", []),
        ("patch up bram", []),
        ("heal you", []),
        # Played over a fallen companion: "You see no 'him' here."
        ("heal him!", []),
        # Played at the eel landing: "You hold still. let you heal you."
        ("hold still. let me heal you", ["You say, 'hold still.'"]),
        # Played in the tavern, the rogue carried back from the rat: said.
        ("you look half dead. here, let me tend that bite", ["You say, 'you look half dead.'"]),
        ("here, let me see to your arm", []),
        ("bandage that cut", []),
    ):
        rig.apply([CharUpdate("bram", hp=1)])
        rig.world.chars["siv"].powers_used = {}  # a long rest's worth of uses
        out = call(rig.world, "siv", line, dice=[5])
        assert out.lines("siv")[: len(said) + 1] == [*said, heals], (line, out.lines("siv"))
        assert rig.world.chars["bram"].hp == 9
    # Beside two others, "you" is no one in particular: which of them is asked.
    rig.player("wren", "tunnel", kit=True)
    rig.apply([CharUpdate("bram", hp=1)])
    assert call(rig.world, "siv", "heal you").lines("siv") == ["Which of them? ('heal <name>')"]
    assert rig.world.chars["bram"].hp == 1


@pytest.mark.parametrize(
    ("line", "seen"),
    [
        # Played in the Warden's fight: "Sorrel bless me.", a pose.
        ("*bless me*", "You use Lamp-Blessing, and are blessed for 3 rounds."),
        ("*blesses brisa*", "You use Lamp-Blessing on Brisa: Brisa is blessed for 3 rounds"),
    ],
)
def test_a_power_posed_between_stars_is_used(line: str, seen: str) -> None:
    rig = _party()
    assert rig.seen("corvin", rig.run("corvin", line))[0] == seen
    # Spent, it says so, and poses nothing.
    rig.world.chars["corvin"].powers_used = {"blessing": 1}
    out = rig.run("corvin", line)
    assert rig.seen("corvin", out) == [
        "You have no uses of Lamp-Blessing left. A long rest restores them."
    ]
    assert rig.seen("brisa", out) == []


@pytest.mark.parametrize(
    "line",
    [
        "lay hands on brisa",
        # Played in prose beside the wounded companion: a deed, and no one healed.
        "lays a glowing hand on her wounds",
        "lay both hands upon brisa",
        # Played (round 48), after the rat: "You see no 'ilse's arm' here.".
        "*lays a glowing hand on brisa's arm*",
    ],
)
def test_a_hand_laid_on_the_hurt_is_the_healing(line: str) -> None:
    rig = EngineRig()
    rig.player("corvin", "common_room", cls="hollowmere:cleric", kit=True)
    rig.player("brisa", "common_room", cls="hollowmere:rogue", kit=True)
    rig.apply([CharUpdate("brisa", hp=2)])
    seen = rig.seen("corvin", rig.run("corvin", line, dice=[5]))
    assert seen[0].startswith("You use Ysolde's Light on Brisa: Brisa heals 7"), seen
    # Lying down is still lying down.
    assert rig.seen("corvin", rig.run("corvin", "lay down")) == ["You lie down."]


def test_a_hand_pressed_to_ones_own_wound_heals_oneself_and_tells_no_their() -> None:
    # Played (round 51): Oswin, a Lamp-Keeper at 3 of 9 HP on his turn against the
    # eel-catcher, Kessa unhurt beside him: "Oswin presses a hand to his wound and
    # whispers a prayer to Saint Ysolde." was "You are in a fight: ..."; healed, he was
    # told the room read "their" for him, where it read nothing of the kind.
    rig = EngineRig()
    rig.player("oswin", "eel_landing", cls="hollowmere:cleric", kit=True)
    rig.player("kessa", "eel_landing", cls="hollowmere:rogue", kit=True)
    rig.apply([CharUpdate("oswin", hp=3)])
    line = "Oswin presses a hand to his wound and whispers a prayer to Saint Ysolde."
    effects = rig.run("oswin", line, dice=[5])
    seen = rig.seen("oswin", effects)
    assert seen[0].startswith("You use Ysolde's Light, and heal 6"), seen
    assert not any("reads 'their'" in s for s in seen), seen
    rig.apply(effects)
    assert rig.world.chars["oswin"].hp == 9
    # Kessa hurt too: "his wound" may be hers to him, and is (as before).
    rig.apply([CharUpdate("oswin", hp=3), CharUpdate("kessa", hp=2)])
    seen = rig.seen("oswin", rig.run("oswin", "*presses a hand to her wound*", dice=[5]))
    assert seen[0].startswith("You use Ysolde's Light on Kessa"), seen
    # "my wound" is one's own, whoever else is hurt.
    seen = rig.seen("oswin", rig.run("oswin", "patch up my arm", dice=[5]))
    assert seen[0].startswith("You use Ysolde's Light, and heal"), seen


def test_kneeling_beside_someone_then_a_healing_hand_on_his_wounds_heals_them() -> None:
    # Played (round 55), two men beside the Lamp-Keeper after the rat: "I kneel beside
    # Cole and lay a glowing hand on his wounds." read "Which of them? ('heal <name>')".
    for line in (
        "I kneel beside Cole and lay a glowing hand on his wounds.",
        "kneel beside cole and lay a hand on his wounds",
    ):
        rig = EngineRig()
        rig.player("ashe", "smugglers_tunnel", "hollowmere:cleric", kit=True)
        rig.player("fen", "smugglers_tunnel", kit=True)
        rig.player("cole", "smugglers_tunnel", "hollowmere:rogue", kit=True)
        rig.world.chars["cole"].hp = 4
        seen = call(rig.world, "ashe", line).lines("ashe")
        assert seen[0] == "You kneel beside Cole.", seen
        assert seen[1].startswith("You use Ysolde's Light on Cole"), seen
        assert rig.world.chars["cole"].hp > 4


def test_a_self_powers_phrase_is_found_in_its_other_forms() -> None:
    # Played (round 56, Lanternfall): "I drop into a crouch, finding my footing on the
    # ice" on a climber's turn was a pose, Steady Aim (whose verb is "find my footing")
    # unused.
    rig = EngineRig(pack="lanternfall")
    kit = rig.player("kit", "pass_square", "lanternfall:climber")
    for line in (
        "I drop into a crouch, finding my footing on the ice",
        "*finds her footing and waits*",
        "looks for an opening",
    ):
        found = powers.named_within(rig.world, kit, line)
        assert found is not None and found.name == "Steady Aim", line
    assert powers.named_within(rig.world, kit, "find the path") is None


def _sorrel_and_pip() -> EngineRig:
    """A Lantern Monk, Sorrel, and a climber, Pip, in Lanternfall's square."""
    rig = EngineRig(pack="lanternfall")
    rig.player("sorrel", "pass_square", "lanternfall:lantern_monk")
    rig.player("pip", "pass_square", "lanternfall:climber")
    return rig


@pytest.mark.parametrize(
    "line",
    [
        # Played (round 57, Lanternfall): a pose on her turn, and no one blessed.
        "Sorrel raises her little flame and blesses Pip.",
        "*raises her little flame and blesses pip*",
        "I raise my little flame and bless Pip.",
    ],
)
def test_a_pose_closing_on_a_power_used_on_someone_here_uses_it(line: str) -> None:
    rig = _sorrel_and_pip()
    seen = call(rig.world, "sorrel", line).lines("sorrel")
    # The pose shown ("Sorrel raises her little flame."; "You raise your little flame."
    # in the first person), then the power used.
    assert seen[0].endswith("little flame.") and "bless" not in seen[0], seen
    assert seen[1] == "You use Kindle the Heart on Pip: Pip is blessed for 3 rounds", seen
    assert ("blessed", 3) in rig.world.chars["pip"].conditions


def test_a_pose_closing_on_a_power_at_no_one_here_is_only_a_pose() -> None:
    rig = _sorrel_and_pip()
    seen = call(rig.world, "sorrel", "Sorrel raises her little flame and blesses the air.")
    assert seen.lines("sorrel") == ["Sorrel raises her little flame and blesses the air."]


@pytest.mark.parametrize(
    "line",
    [
        # Played (round 57, Lanternfall), in the healing's own words, on her turn: the
        # kneel done, and the rest refused as no command of the fight.
        "Sorrel kneels beside Pip and cups her little flame against his wound.",
        "*cups her little flame against pip's wound*",
        "Sorrel cups her flame to Pip's cut.",
    ],
)
def test_a_flame_cupped_against_a_wound_in_ones_own_words_heals(line: str) -> None:
    rig = _sorrel_and_pip()
    rig.world.chars["pip"].hp = 3
    seen = call(rig.world, "sorrel", line, dice=[6]).lines("sorrel")
    assert any(s.startswith("You use Lantern's Warmth on Pip") for s in seen), seen
    assert rig.world.chars["pip"].hp > 3


def test_ones_own_wound_in_a_pose_is_ones_own() -> None:
    # Played (round 57, Lanternfall), on her turn: "Sorrel cups her little flame against
    # her own wound." read "You see no 'her own wound' here."
    rig = _sorrel_and_pip()
    sorrel = rig.world.chars["sorrel"]
    rig.world.chars["pip"].hp = 3  # another hurt beside her: still her own wound
    sorrel.hp = 4
    for line in (
        "Sorrel cups her little flame against her own wound.",
        "heal herself",
    ):
        sorrel.hp = 4
        seen = call(rig.world, "sorrel", line, dice=[6]).lines("sorrel")
        assert seen[0].startswith("You use Lantern's Warmth, and heal"), (line, seen)
        assert sorrel.hp > 4


@pytest.mark.parametrize(
    "line",
    [
        # Found in review: each healed Pip and spent a use.
        "*cups her hands to pip's ear*",
        "Sorrel holds her light to Pip's face.",
        "Sorrel holds her light over Pip's map.",
        "Sorrel cups her hands to Pip's ear and whispers.",
    ],
)
def test_hands_or_a_light_held_to_no_hurt_heal_no_one(line: str) -> None:
    rig = _sorrel_and_pip()
    sorrel = rig.world.chars["sorrel"]
    rig.world.chars["pip"].hp = 3
    seen = call(rig.world, "sorrel", line).lines("sorrel")
    assert not any("Lantern's Warmth" in t for t in seen), seen
    assert rig.world.chars["pip"].hp == 3 and not sorrel.powers_used


def test_a_power_cast_as_other_muds_cast_spells_is_used() -> None:
    # Played 2026-12-07 by a veteran of other MUDs: "c bless" read "You try to c bless.",
    # and "cast bless on dov" "You are not carrying 'bless on dov'.".
    for line, told in (
        ("c bless", "You use Lamp-Blessing, and are blessed for 3 rounds."),
        ("cast bless on dov", "You use Lamp-Blessing on Dov: Dov is blessed for 3 rounds"),
        ("use bless on dov", "You use Lamp-Blessing on Dov: Dov is blessed for 3 rounds"),
        ("invoke bless dov", "You use Lamp-Blessing on Dov: Dov is blessed for 3 rounds"),
    ):
        rig = EngineRig()
        rig.player("mira", "common_room", cls="hollowmere:cleric", kit=True)
        rig.player("dov", "common_room", kit=True)
        assert call(rig.world, "mira", line).lines("mira")[0] == told, line
    # A thing carried by its name is still the thing's: "use blessed water", and "use
    # heal potion" (found in review: read as the power).
    rig = EngineRig()
    rig.player("mira", "common_room", cls="hollowmere:cleric", kit=True)
    seen = call(rig.world, "mira", "use blessed water").lines("mira")
    assert not any("Lamp-Blessing" in line for line in seen), seen
    rig.apply([SpawnItem("hollowmere:healing_potion", "char:mira")])
    rig.world.chars["mira"].hp = 2
    seen = call(rig.world, "mira", "use heal potion", dice=[4, 4]).lines("mira")
    assert seen[0].startswith("You use a potion of healing, and heal"), seen


def test_a_power_and_then_a_blow_in_one_line_uses_the_power_and_the_blow_waits() -> None:
    # Played 2026-12-07 on a rogue's turn at the eel-catcher: "steady aim then stab it"
    # posed "You steady aim." and struck, the power unused; a fighter's "second wind then
    # attack" read "You second wind.", a Lamp-Keeper's "bless me then attack" "You bless
    # you.".
    for cls, line, used, rest in (
        ("hollowmere:rogue", "steady aim then stab it", "Steady Aim", "stab it"),
        ("hollowmere:fighter", "second wind then attack", "Second Wind", "attack"),
        ("hollowmere:cleric", "bless me then attack", "Lamp-Blessing", "attack"),
    ):
        rig = turn_at_the_eelcatcher("wren", "ada", cls)
        rig.world.chars["wren"].hp = 3  # a second wind for the hurt
        seen = call(rig.world, "wren", line, dice=[3] * 12).lines("wren")
        assert seen[0].startswith(f"You use {used}"), (line, seen)
        assert f"(Using it takes your turn: '{rest}' on your next.)" in seen, (line, seen)
        assert not any(s.startswith("Wren attacks") for s in seen), (line, seen)
    # Out of a fight, the power and then the rest.
    rig = EngineRig()
    rig.player("mira", "common_room", cls="hollowmere:cleric", kit=True)
    rig.player("dov", "common_room", kit=True)
    seen = call(rig.world, "mira", "bless dov and wave to bessa").lines("mira")
    assert seen[0] == "You use Lamp-Blessing on Dov: Dov is blessed for 3 rounds", seen
    assert seen[-1] == "You wave to Bessa Thorn.", seen
    # A second one named is the same power on them (found in review: "Unknown command
    # 'rook'"); a climber's prose out of a fight spends nothing.
    rig = EngineRig()
    rig.player("mira", "common_room", cls="hollowmere:cleric", kit=True)
    rig.player("dov", "common_room", kit=True)
    rig.player("rook", "common_room", kit=True)
    out = call(rig.world, "mira", "bless dov and rook")
    assert any(isinstance(e, Then) and e.line == "bless rook" for e in out.effects), out.effects
    climber = EngineRig(pack="lanternfall")
    climber.player("kes", "pass_square", cls="lanternfall:climber", kit=True)
    climber.player("ivo", "pass_square", cls="lanternfall:warden", kit=True)
    seen = call(climber.world, "kes", "find my footing and climb").lines("kes")
    assert not any("Steady Aim" in s for s in seen), seen


def test_a_question_of_a_power_is_answered_and_spends_no_use() -> None:
    # Played (round 62, Lanternfall): "what does steady aim do?" used Steady Aim, and
    # "how do i use my powers?" was told how to drink a potion.
    rig = EngineRig(pack="lanternfall")
    rig.player("sable", "hostel_hall", "lanternfall:climber", kit=True)
    sable = rig.world.chars["sable"]
    for line in (
        "what does steady aim do?",
        "how does steady aim work?",
        "what is steady aim?",
        # Found in review: each used Steady Aim.
        "how long does steady aim last?",
        "is steady aim any good?",
        "when should i use steady aim?",
    ):
        out = call(rig.world, "sable", line).lines("sable")
        assert out[1].startswith("Answer: Steady Aim: A breath held"), (line, out)
        assert sable.conditions == [] and "Steady Aim" not in " ".join(out[2:]), (line, out)
    for line in (
        "how do i use my powers?",
        "what are my powers?",
        "how many uses of steady aim do i have left?",
    ):
        out = call(rig.world, "sable", line).lines("sable")
        assert out[1] == (
            "Answer: Your powers: Steady Aim ('steady aim', 2 of 2 left). Type one to use it;"
            " 'powers' tells what each does."
        ), (line, out)
    # Of ability scores, or of having them back, no list (found in review).
    for line in ("what does my ability score mean?", "how do i get my powers back?"):
        seen = call(rig.world, "sable", line).lines("sable")
        assert not any("Your powers" in s for s in seen), (line, seen)
    assert sable.conditions == []
    # Typed, it is used.
    assert call(rig.world, "sable", "steady aim").lines("sable")[0].startswith("You use Steady")
    out = call(rig.world, "sable", "whats my ac").lines("sable")
    assert (
        out[1] == "Answer: Your armour class is 13: a foe's attack must roll 13 or more to hit you."
    )
    # Armour to sell is the shop's (found in review: the armour class).
    rig.player("pip", "chandlery", "lanternfall:climber", kit=True)
    out = call(rig.world, "pip", "can i sell my armor here?").lines("pip")
    assert "armour class" not in " ".join(out), out


def test_uses_left_and_what_one_wields_are_answered_from_the_sheet() -> None:
    # Played (round 62): "how many heals do i have left?" was told the next quest step,
    # and "what is my weapon?" was asked of the DM, who said nothing of it.
    rig = EngineRig(pack="lanternfall")
    rig.player("tobiah", "hostel_hall", "lanternfall:lantern_monk", kit=True)
    rig.player("pell", "hostel_hall", "lanternfall:lantern_monk")
    seen = call(rig.world, "tobiah", "how many heals do i have left?").lines("tobiah")
    assert seen[1] == (
        "Answer: Your powers: Lantern's Warmth ('heal', 2 of 2 left); Kindle the Heart"
        " ('bless', 1 of 1 left). Type one to use it; 'powers' tells what each does."
    ), seen
    for line in ("what is my weapon?", "what am i wearing?"):
        seen = call(rig.world, "tobiah", line).lines("tobiah")
        assert seen[1] == (
            "Answer: You wield the iron-shod staff and wear the fur-lined jerkin."
            " ('equipment' shows it.)"
        ), (line, seen)
    seen = call(rig.world, "pell", "what am i wearing?").lines("pell")
    assert seen[1] == "Answer: You wield and wear nothing. ('wield <weapon>', 'wear <armour>'.)"
