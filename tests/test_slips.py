"""Chat's shorthand and slips of the keys (``parser.unslipped``), read as the words
meant in a line that is no command. Played by a new player who types fast: "wat is
thsi place" read "You try to wat is thsi place." and a narration of nothing."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from mud.engine.commands import ALIASES
from mud.engine.parser import Intent, parse, unslipped
from tests.call import call
from tests.enginerig import EngineRig


@pytest.mark.parametrize(
    ("typed", "meant"),
    [
        ("wat is thsi place", "what is this place"),
        ("Wher is teh cartographer?", "Where is the cartographer?"),
        ("r u ok", "are you ok"),
        ("im ready, lets go", "I'm ready, lets go"),  # "lets" is a word of its own there
        ("lets go up", "let's go up"),
        ("thx bessa", "thanks bessa"),
        ("i dunno, u tell me", "i don't know, you tell me"),
        ("its wont to rain", "its wont to rain"),  # words of their own stay
        ("u-turn", "u-turn"),
    ],
)
def test_slips_are_read_as_the_words_meant(typed: str, meant: str) -> None:
    assert unslipped(typed) == meant


@given(st.text(alphabet=st.sampled_from("urtehwaslpzimn '?.,-"), max_size=30))
def test_reading_a_line_twice_changes_nothing_more(text: str) -> None:
    once = unslipped(text)
    assert unslipped(once) == once


def test_a_command_is_never_read_again() -> None:
    # "u" is up; a command's words are its own ("say r u ok" says what was typed).
    assert parse("u", ALIASES).verb == "go"
    assert parse("say r u ok", ALIASES).args == "r u ok"
    assert parse("atack the rat", ALIASES).verb == "attack"
    # Played on the fighter's turn: "kil teh rat" read "You are in a fight: ...".
    assert parse("kil teh rat", ALIASES).raw == "kill the rat"
    assert parse("opne the trapdoor", ALIASES).verb == "open"
    # Played: "unlcok trapdoor and opne it" read "You unlcok trapdoor." first.
    assert parse("unlcok trapdoor and opne it", ALIASES).raw == "unlock trapdoor and open it"


def _two() -> EngineRig:
    rig = EngineRig()
    rig.player("hob", "common_room", kit=True)
    rig.player("tamsin", "common_room", kit=True)
    return rig


def test_a_question_typed_fast_is_answered() -> None:
    rig = _two()
    seen = call(rig.world, "hob", "wat is thsi place").lines("hob")
    assert seen[0].startswith("The Drowned Lantern, Common Room\n")
    seen = call(rig.world, "hob", "wher is teh cartographer?").lines("hob")
    assert seen[0] == "You ask Bessa Thorn, 'Where is the cartographer?'"
    # Tried: "You try to are you ok." A question of "you" needs no mark.
    seen = call(rig.world, "hob", "r u ok").lines("hob")
    assert seen[0] == "You ask Bessa Thorn, 'Are you ok?'"


@pytest.mark.parametrize(
    "typed", ["ok so what now", "so what now", "ok so wat now", "well, where do we go"]
)
def test_a_question_opened_with_little_words_needs_no_mark(typed: str) -> None:
    # Played: "ok so wat now" was said to the room, and nothing answered it.
    rig = _two()
    seen = call(rig.world, "hob", typed).lines("hob")
    assert seen[0].startswith("You ask the DM: ") and seen[0].endswith("?"), seen
    assert seen[1].startswith("Next: The Missing Cartographer"), seen


def test_little_words_before_words_that_ask_nothing_are_said() -> None:
    assert parse("so. what now", ALIASES).args == "so. what now"
    assert parse("ok so we wait", ALIASES).args == "ok so we wait"


def test_which_typed_fast_asks_which() -> None:
    # Played: "wich door is eddas" read "You try to wich door is eddas.".
    rig = _two()
    call(rig.world, "hob", "up")
    seen = call(rig.world, "hob", "wich door is eddas").lines("hob")
    assert seen == [
        "You ask the DM: which door is eddas",
        "Answer: The Cartographer's Room lies east from here. ('go to the Cartographer's Room'"
        " walks there.)",
    ]


def test_the_article_slipped_in_a_commands_words_is_the_article() -> None:
    # Played: "grab teh map" read "You see no 'teh map' here.".
    assert parse("grab teh map", ALIASES).args == "the map"
    # Words said or written are the player's own.
    assert parse("say teh map is here", ALIASES).args == "teh map is here"
    assert parse("describe teh tallest", ALIASES).args == "teh tallest"
    assert unslipped("I feel ill") == "I feel ill"


def test_how_a_command_is_done_closing_it_is_no_part_of_its_words() -> None:
    # Played (round 49): "*picks it up carefully*" by the saint's lantern was a deed
    # narrated and the lantern left lying; "*picks up the key carefully*" was "You see
    # no 'key carefully' here.".
    assert parse("pick the key up carefully", ALIASES).args == "the key up"
    assert parse("get the key, gently", ALIASES).args == "the key"
    assert parse("open the door slowly", ALIASES).args == "the door"
    # Said or written words are the player's own; one word alone is what it names.
    assert parse("say carefully", ALIASES).args == "carefully"
    assert parse("say go slowly", ALIASES).args == "go slowly"
    assert parse("get carefully", ALIASES).args == "carefully"
    # Gone without a sound, a way is a sneak.
    assert parse("go down quietly", ALIASES) == Intent("hide", "down", "go down quietly")
    assert parse("go north, on tiptoe", ALIASES).verb == "hide"
    assert parse("go north quickly", ALIASES) == Intent("go", "north", "go north quickly")
    rig = EngineRig()
    rig.player("hob", "mill_loft")
    assert call(rig.world, "hob", "*picks up the key carefully*").lines("hob")[0] == (
        "You pick up a rusty key."
    )
