"""The rules of checks, told to a player: ``help checks`` and the DM's answers to "what's
the rule for searching?" (``mud.engine.rulings``), held to the numbers the engine rolls."""

from __future__ import annotations

import re

import pytest
from hypothesis import given
from hypothesis import strategies as st

from mud.engine import rulings
from mud.engine.effects import Rolled
from mud.engine.rules import DEFAULT_CHECKS, DEFAULT_SKILLS
from tests.call import call
from tests.enginerig import EngineRig

CLASSES = ("hollowmere:fighter", "hollowmere:rogue", "hollowmere:cleric")


def _asked(rig: EngineRig, key: str, line: str) -> list[str]:
    return call(rig.world, key, line).lines(key)


def _fighter_and_cleric(room: str) -> EngineRig:
    """Dov the Fighter and Mira the Lamp-Keeper in ``room`` of Hollowmere."""
    rig = EngineRig()
    rig.player("dov", room, "hollowmere:fighter")
    rig.player("mira", room, "hollowmere:cleric")
    return rig


def test_a_rules_question_is_answered_with_the_askers_own_numbers() -> None:
    # Played (round 56): a fighter's "whats the rule for searching? do I add my wis?" was
    # answered with the next step of the quest.
    rig = EngineRig()
    rig.player("dov", "common_room", "hollowmere:fighter")
    seen = _asked(rig, "dov", "whats the rule for searching? do I add my wis?")
    assert seen[0] == "You ask the DM: what's the rule for searching? do I add my wis?", seen
    assert seen[1].startswith(
        "Answer: Yes: searching is a WIS check (Perception): d20 + your WIS modifier (+0)"
        " against how hard it is (you are not trained in Perception, which would add 2)."
    ), seen
    assert "natural 20 always succeeds" in seen[1]
    seen = _asked(rig, "dov", "how does climbing work?")
    assert seen[1].startswith(
        "Answer: Climbing is a STR check (Athletics): d20 + your STR modifier (+3) + 2 for"
        " your training in Athletics, against how hard it is."
    ), seen
    assert _asked(rig, "dov", "do I add my dex to climbing?")[1].startswith("Answer: No: climb")
    seen = _asked(rig, "dov", "do I add my wis?")
    assert seen[1].startswith("Answer: Your WIS modifier (+0) is added to checks of searching,")
    assert "eavesdropping" in seen[1]
    # A rogue hears their own training.
    rig.player("wren", "common_room", "hollowmere:rogue")
    seen = _asked(rig, "wren", "what do I roll to pick a lock?")
    assert "DEX check (Sleight of Hand)" in seen[1] and "+ 2 for your training" in seen[1], seen
    # A deed no check rolls is no rules answer: the question is the DM's as before.
    assert (
        rulings.check_asked(rig.world, rig.world.chars["dov"], "what's the rule for talking?")
        is None
    )
    assert rulings.check_asked(rig.world, rig.world.chars["dov"], "where is the mill?") is None


@pytest.mark.parametrize("cls", CLASSES)
@pytest.mark.parametrize(
    ("deed", "phrase"),
    [("climb the wall", "climb"), ("sneak past", "sneak"), ("listen at the door", "listen")],
)
def test_what_the_dm_says_is_added_is_what_the_engine_rolls(
    cls: str, deed: str, phrase: str
) -> None:
    rig = EngineRig()
    char = rig.player("pat", "crossroads", cls)
    effects = rig.run("pat", deed, [10])
    rolls = [e for e in effects if isinstance(e, Rolled) and "check" in e.reason]
    assert len(rolls) == 1, effects
    rolled = int(rolls[0].expr.removeprefix("1d20") or 0)
    told = rulings.check_line(rig.world, char, phrase)
    found = re.search(r"modifier \(([+-]\d+)\)(?: \+ (\d+) for your training)?", told)
    assert found is not None, told
    assert int(found.group(1)) + int(found.group(2) or 0) == rolled, (told, rolls[0].expr)


def test_help_checks_lists_every_deed_and_the_readers_training() -> None:
    rig = EngineRig()
    rig.player("wren", "common_room", "hollowmere:rogue")
    for topic in ("checks", "search", "rules"):
        seen = "\n".join(_asked(rig, "wren", f"help {topic}"))
        for phrase in DEFAULT_CHECKS:
            assert phrase in seen, (topic, phrase)
        assert "WIS (Perception): search, look for" in seen
        assert "You (Rogue) are trained in DEX, INT, Stealth, Sleight of Hand, Perception" in seen
    assert "Rules: checks" in "\n".join(_asked(rig, "wren", "help"))
    assert set(DEFAULT_SKILLS) <= set(DEFAULT_CHECKS)


@given(st.text(max_size=60))
def test_a_ruling_names_a_deed_that_a_check_rolls_or_nothing(question: str) -> None:
    rig = _RIG
    told = rulings.check_asked(rig.world, rig.world.chars["dov"], question)
    assert told is None or " check" in told or "is added to checks of" in told


_RIG = EngineRig()
_RIG.player("dov", "common_room", "hollowmere:fighter")


def test_how_a_blow_is_rolled_is_told_with_the_askers_bonus() -> None:
    # Played (round 56): "do I get advantage if mira flanks it?" on a fighter's turn was
    # said aloud, and nothing answered it.
    rig = _fighter_and_cleric("common_room")
    seen = _asked(rig, "dov", "do I get advantage if mira flanks it?")
    assert seen[0] == "You ask the DM: do I get advantage if mira flanks it?", seen
    assert seen[1].startswith(
        "Answer: Flanking is no rule here. An attack rolls d20 + your attack bonus (+5)"
    ), seen
    assert "with advantage (two d20s, the higher counts) striking from hiding" in seen[1]
    seen = _asked(rig, "mira", "how does combat work?")
    assert seen[1].startswith("Answer: An attack rolls d20 + your attack bonus (+"), seen
    # Words of advantage that ask nothing are not a question of the rules.
    assert rulings.attack_asked(rig.world, rig.world.chars["dov"], "take advantage of it") is None


def test_whether_one_may_rest_here_is_told_with_the_way_to_shelter() -> None:
    # Played (round 56, a new pack): "can we long rest here?" after a hard fight in the ice
    # caves was asked of the other player, and nothing answered it.
    rig = _fighter_and_cleric("crossroads")
    seen = _asked(rig, "dov", "can we long rest here?")
    assert seen[0] == "You ask the DM: can we long rest here?", seen
    assert seen[1].startswith(
        "Answer: Not a long rest: it is not safe to sleep here. Shelter is the Drowned"
        " Lantern, Common Room, north from here;"
    ), seen
    assert "A short rest ('rest') works anywhere out of a fight" in seen[1]
    rig.world.move("mira", "hollowmere:loft_landing")
    seen = _asked(rig, "mira", "is it safe to sleep here?")
    assert seen[1].startswith("Answer: Yes: it is safe to sleep here ('rest long'"), seen
    seen = _asked(rig, "mira", "where can we sleep?")
    assert seen[1].startswith("Answer: Here: it is safe to sleep here"), seen
    assert rulings.rest_asked(rig.world, rig.world.chars["dov"], "we rest here.") is None
    # Beside one who lets beds, a bed asked for is theirs to give (the review found
    # "can we sleep here?" taken from the innkeeper), and in a fight there is no rest.
    innkeeper = rig.world.chars["mira"]
    rig.world.move("mira", "hollowmere:common_room")
    assert rulings.rest_asked(rig.world, innkeeper, "can we sleep here?") is None
    seen = call(rig.world, "mira", "can I sleep here tonight?").lines("mira")
    assert any("Bessa Thorn" in line for line in seen), seen


def test_rules_words_in_other_questions_ask_no_rule() -> None:
    # Found in review (round 56): these were answered with the rules of blows or checks.
    rig = _RIG
    dov = rig.world.chars["dov"]
    for line in (
        "do you think we have the advantage here?",
        "what's the advantage of going north?",
        "is sneaking wise or foolish?",
        "is searching contested or not?",
    ):
        assert rulings.attack_asked(rig.world, dov, line) is None, line
        assert rulings.check_asked(rig.world, dov, line) is None, line
    told = rulings.check_asked(rig.world, dov, "what do I roll to lie to the guard?")
    assert told is not None and told.startswith("Lying to someone is a CHA check"), told
    assert rulings.attack_asked(rig.world, dov, "can we flank it?") is not None
