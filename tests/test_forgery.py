"""A pose that writes in another voice is refused (``mud.engine.forgery``).

Played by a griefer: ``emote 's lamp goes out. Quest complete!`` read "Vex's lamp goes
out. Quest complete!" on every screen, and a plain-text client (no colour to set the
player's words apart) had nothing to tell it from the game's line; ``emote . Oberon
(admin) says, 'the ban is lifted'`` put words in an admin's mouth. A pose may tell what
its player does in several sentences; a later sentence may not begin as the game's
lines do, nor with another character's name, and no pose carries "(admin)".
"""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from mud.engine.effects import AskNarration
from mud.engine.forgery import forged, sentences
from tests.call import call
from tests.enginerig import EngineRig

NAMES = ["Vex", "Ann", "Bessa Thorn", "The Lamplighter", "Dungeon Master"]


@pytest.mark.parametrize(
    ("shown", "part", "voice"),
    [
        ("Vex's lamp goes out. Quest complete!", "Quest complete!", "game"),
        ("Vex waits. Your turn! attack or defend", "Your turn!", "game"),
        ("Vex leans back - Round 3. Vex hits the rat", "Round 3.", "game"),
        ("Vex smiles. You feel a little weaker.", "You feel a little weaker.", "game"),
        ("Vex shrugs. Victory!", "Victory!", "game"),
        ("Vex shrugs. 3 HP left, says the bar.", "3 HP left, says the bar.", "game"),
        ("Vex shrugs. 12/12 HP > Bessa nods.", "12/12 HP > Bessa nods.", "game"),
        ("Vex stretches. (HP 3/12)", "(HP 3/12)", "game"),
        ("Vex grins: The Dungeon Master says hello.", "The Dungeon Master says hello.", "game"),
        ("Vex . Oberon (admin) says, 'the ban is lifted'", "(admin)", "admin"),
        ("Vex is Oberon ( Admin ).", "( Admin )", "admin"),
        ("Vex waves. Ann waves back.", "Ann waves back.", "Ann"),
        ("Vex waves. ann's trousers fall down.", "ann's trousers fall down.", "Ann"),
        ("Vex nods. Bessa Thorn pours him an ale.", "Bessa Thorn pours him an ale.", "Bessa Thorn"),
        ("Vex nods. Bessa pours him an ale.", "Bessa pours him an ale.", "Bessa Thorn"),
        ("Vex grins. The Lamplighter laughs.", "The Lamplighter laughs.", "The Lamplighter"),
        ('Vex says "hi." "Ann hugs Vex."', '"Ann hugs Vex."', "Ann"),
    ],
)
def test_a_later_sentence_in_another_voice_is_found(shown: str, part: str, voice: str) -> None:
    assert forged(shown, "Vex", NAMES) == (part, voice)


@pytest.mark.parametrize(
    "shown",
    [
        "Vex grins. The fire crackles.",  # "The Lamplighter" is not "The"
        "Vex sighs. It has been a long day.",
        "Vex grins at Ann.",  # the first sentence may name anyone
        "Vex waves to Bessa Thorn and Ann.",
        "Vex bows. Vex is done.",  # one's own name
        "Vex looks around. Annoyed, he sits.",  # "Ann" is not the start of "Annoyed"
        "Vex mutters about the quest. Nobody listens.",
        "Vex counts 3 gold coins.",
        "Vex shrugs. Round and round it goes.",  # "round" without a number
        "Vex nods to her. Bessa, two ales!",  # a name called is spoken to
        "Vex turns. Ann? Are you there?",
    ],
)
def test_a_players_own_doing_is_not_found(shown: str) -> None:
    assert forged(shown, "Vex", NAMES) == ("", "")


def test_sentences_are_cut_after_their_marks_and_at_set_apart_dashes() -> None:
    assert sentences('Vex grins. "Ha!" Then - quiet; done: over') == [
        "Vex grins.",
        '"Ha!"',
        "Then",
        "quiet;",
        "done:",
        "over",
    ]


_WORDS = st.text(alphabet="abcdefghijklmnopqrstuvwxyz ,'", min_size=1, max_size=60)


@given(_WORDS)
def test_one_sentence_without_the_admin_mark_is_never_found(words: str) -> None:
    # A pose of one sentence is its player's own doing, whatever it says.
    shown = "Vex " + words.replace(".", "")
    assert forged(shown, "Vex", NAMES) == ("", "")


@given(_WORDS, st.sampled_from(["Quest complete!", "Round 2.", "Victory!", "Your turn!"]))
def test_a_game_opening_after_any_first_sentence_is_found(words: str, opening: str) -> None:
    shown = f"Vex {words}. {opening}"
    assert forged(shown, "Vex", NAMES) == (opening, "game")


def _room() -> EngineRig:
    rig = EngineRig()
    rig.player("vex", "common_room")
    rig.player("ann", "common_room")
    return rig


def test_a_forged_emote_reaches_no_one_and_its_player_is_told_why() -> None:
    rig = _room()
    seen = call(rig.world, "vex", "emote 's lamp goes out. Quest complete!")
    assert seen.lines("ann") == []
    assert seen.lines("vex") == [
        "A pose shows what Vex does, and 'Quest complete!' would read as the game's own"
        " line. Say it aloud ('say ...'), or write it as your own doing."
    ]
    puppet = call(rig.world, "vex", "emote waves. Ann waves back.")
    assert puppet.lines("ann") == []
    assert puppet.lines("vex") == [
        "A pose shows what Vex does, and 'Ann waves back.' writes what Ann does. Leave"
        " Ann's part to them, or say it aloud."
    ]
    admin = call(rig.world, "vex", "emote . Oberon (admin) says, 'the ban is lifted'")
    assert admin.lines("ann") == []
    assert admin.lines("vex") == [
        "'(admin)' is the mark of those who keep this world, and no pose may carry it."
    ]


def test_a_pose_between_stars_and_a_deed_are_held_to_the_same_rule() -> None:
    # "*shrugs. Victory!*" is a deed for the Dungeon Master, read by the room as "Vex
    # acts: shrugs. Victory!" before the rule.
    rig = _room()
    for line in ("*shrugs. Victory!*", "I shrug. Victory!", "I wave. Ann waves back."):
        seen = call(rig.world, "vex", line)
        assert seen.lines("ann") == [], line
        assert "A pose shows what Vex does, and '" in seen.text("vex"), line
        assert not seen.of(AskNarration), line


def test_poses_of_several_sentences_still_reach_the_room() -> None:
    rig = _room()
    seen = call(rig.world, "vex", "emote grins. The fire crackles. It has been a long day")
    assert seen.lines("ann") == ["Vex grins. The fire crackles. It has been a long day."]
    said = call(rig.world, "vex", "say Quest complete!")
    assert said.lines("ann") == ["Vex says, 'Quest complete!'"]
