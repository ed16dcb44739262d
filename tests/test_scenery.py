"""Looking at what a room's text speaks of, and following what is not a person: the
engine over the bundled Hollowmere world (``EngineRig``) and ``views.scenery`` alone.

Played: in the Smugglers' Tunnel, whose text says "someone has drawn a little lantern",
"look at the scratched lanterns" answered "You see no 'the scratched lanterns' here.",
and "follow the lanterns with my fingers" answered "You see no 'the lanterns with my
fingers' here." (the follow command, looking for a player of that name).
"""

from __future__ import annotations

import re

from call import call
from enginerig import EngineRig, narration_asks
from hypothesis import given
from hypothesis import strategies as st

from mud.engine.views import scenery

TUNNEL = (
    "You stoop through a tunnel of dripping brick that runs south under the town, just"
    " high enough for a bent back and a heavy sack. The water at your ankles is very cold"
    " and very still. Scratched into the brick at intervals, someone has drawn a little"
    " lantern, always pointing the way you are going."
)
LANTERNS = (
    "Scratched into the brick at intervals, someone has drawn a little lantern, always"
    " pointing the way you are going."
)


def test_the_sentence_about_the_thing_is_found_by_its_noun_in_either_number() -> None:
    assert scenery(TUNNEL, "the scratched lanterns") == LANTERNS
    assert scenery(TUNNEL, "lantern") == LANTERNS
    assert scenery(TUNNEL, "at the water") == (
        "The water at your ankles is very cold and very still."
    )
    # Two sentences speak of brick: the one with more of the words wins, else the first.
    assert scenery(TUNNEL, "the scratched brick") == LANTERNS
    assert scenery(TUNNEL, "bricks") is not None and scenery(TUNNEL, "bricks") != LANTERNS
    # Little words name nothing, and what the text does not mention is not there.
    for words in ("it", "the", "at them", "a dragon", "", "up"):
        assert scenery(TUNNEL, words) is None, words


@given(st.text(alphabet="abcdefghij .", max_size=80), st.text(max_size=30))
def test_scenery_only_ever_quotes_a_sentence_of_the_text(description: str, words: str) -> None:
    seen = scenery(description, words)
    if seen is not None:
        assert seen in " ".join(description.split())
        assert seen.strip() == seen and seen


def _rig_in_tunnel() -> EngineRig:
    rig = EngineRig()
    rig.player("wren", "smugglers_tunnel")
    return rig


def test_looking_at_what_the_room_speaks_of_quotes_the_builder() -> None:
    rig = _rig_in_tunnel()
    for line in ("look at the scratched lanterns", "examine lantern", "look water"):
        seen = rig.seen("wren", rig.run("wren", line))
        assert len(seen) == 1 and "You see no" not in seen[0], line
    assert rig.seen("wren", rig.run("wren", "look at the scratched lanterns")) == [LANTERNS]
    # A thing that is really here still answers as itself, and nothing is made up.
    assert "rat" in rig.seen("wren", rig.run("wren", "look at the rat"))[0].lower()
    assert rig.seen("wren", rig.run("wren", "look at the dragon")) == ["You see no 'dragon' here."]


def test_following_what_is_not_a_person_is_a_deed_for_the_dungeon_master() -> None:
    rig = _rig_in_tunnel()
    effects = rig.run("wren", "follow the lanterns with my fingers")
    assert narration_asks(effects), effects
    assert rig.seen("wren", effects)[0] == "You try to follow the lanterns with your fingers."
    # Names still mean people: an NPC here, a player elsewhere, no one at all.
    assert rig.seen("wren", rig.run("wren", "follow rat")) == [
        "You can follow only another player, not the bog rat."
    ]
    rig.player("ivo", "common_room")
    assert rig.seen("ivo", rig.run("ivo", "follow bessa")) == [
        "You can follow only another player, not Bessa Thorn."
    ]
    rig.player("sorrel", "common_room")
    assert rig.seen("wren", rig.run("wren", "follow sorrel")) == [
        "Sorrel is not here: follow someone beside you."
    ]
    rig.player("ione", "smugglers_tunnel")
    assert re.match(r"You now follow Ione", rig.seen("wren", rig.run("wren", "follow ione"))[0])


def test_a_word_the_room_speaks_of_whole_is_not_a_name_begun() -> None:
    # Played by a veteran: "exa bar" in the tavern showed Bessa Thorn, whose alias
    # "barkeep" begins with "bar"; the tavern's text speaks of the bar.
    rig = EngineRig()
    rig.player("bob", "common_room", kit=True)
    for line in ("exa bar", "look at the bar"):
        seen = call(rig.world, "bob", line).text("bob")
        assert seen.startswith("Above the bar, in a net of green glass floats"), seen
    for line in ("x bes", "x barkeep", "look at bessa"):
        assert "The landlady of the Drowned Lantern" in call(rig.world, "bob", line).text("bob")


def test_a_thing_named_by_the_doing_of_it_finds_the_sentence_that_does_it() -> None:
    # Played (round 55) in the smugglers' tunnel: "look at the scratches" was "You see
    # no 'scratches' here.", its words "Scratched into the brick ...".
    text = (
        "You stoop through a tunnel of dripping brick. Scratched into the brick at intervals,"
        " someone has drawn a little lantern. The carved door stands open."
    )
    assert scenery(text, "the scratches").startswith("Scratched into the brick")
    assert scenery(text, "carvings") == "The carved door stands open."
    assert scenery(text, "the bells") is None


def test_what_a_thing_the_room_describes_is_is_answered_in_its_words() -> None:
    # Played (round 55): "what are these scratches on the wall?" in the tunnel was the
    # DM's "That is not known to you yet, though a closer look ... may tell.".
    rig = EngineRig()
    rig.player("fen", "smugglers_tunnel", kit=True)
    seen = rig.seen("fen", rig.run("fen", "what are these scratches on the wall?"))
    assert seen[1] == (
        "The scratches on the wall: Scratched into the brick at intervals, someone has drawn a"
        " little lantern, always pointing the way you are going."
    ), seen
