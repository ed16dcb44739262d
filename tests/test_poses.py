"""Sitting, kneeling, lying down and standing (``mud.engine.poses``), over the bundled
Hollowmere world. Played in the Drowned Lantern: "sit by the fire" was a deed ("You try
to sit by the fire." and "You go about it carefully. Nothing moves near the fire.") and
no one ever saw the player sitting."""

from __future__ import annotations

import re

from call import call
from enginerig import PLAIN, EngineRig, narration_asks
from hypothesis import given, settings
from hypothesis import strategies as st

from mud.engine import poses, search
from mud.engine.effects import CharUpdate
from mud.engine.views import CROWD_NAMES, describe_room
from mud.render.doc import render

ROOM = "hollowmere:common_room"


def _two() -> EngineRig:
    rig = EngineRig()
    rig.player("maren", "common_room", kit=True)
    rig.player("tamsin", "common_room", kit=True)
    return rig


def _view(rig: EngineRig, viewer: str, room: str = ROOM) -> str:
    return render(describe_room(rig.world, room, viewer), PLAIN)


def test_sitting_by_the_fire_is_seen_by_everyone_who_looks() -> None:
    rig = _two()
    effects = rig.run("maren", "sit by the fire")
    assert rig.seen("maren", effects) == ["You sit down by the fire."]
    assert rig.seen("tamsin", effects) == ["Maren sits down by the fire."]
    assert not narration_asks(effects)  # a pose is no deed for the DM
    rig.apply(effects)
    assert "Bessa Thorn is here. Maren is sitting by the fire." in _view(rig, "tamsin")
    mine = _view(rig, "maren")
    assert "You are sitting by the fire." in mine and "Maren is" not in mine
    # Again is no news.
    assert rig.seen("maren", rig.run("maren", "sit down by the fire")) == [
        "You are already sitting by the fire."
    ]


def test_each_pose_and_standing_up_again() -> None:
    rig = _two()
    cases = {
        "sit": ("You sit down.", "Maren sits down.", "sitting"),
        "kneel before the hearthstone": (
            "You kneel before the loose hearthstone.",
            "Maren kneels before the loose hearthstone.",
            "kneeling before the loose hearthstone",
        ),
        "lie down on the floor": (
            "You lie down on the floor.",
            "Maren lies down on the floor.",
            "lying on the floor",
        ),
        "lay down": ("You lie down.", "Maren lies down.", "lying"),
        "sit with tamsin": ("You sit down with Tamsin.", "Maren sits down with you.", ""),
        "sit in front of the bar": (
            "You sit down in front of the bar.",
            "Maren sits down in front of the bar.",
            "sitting in front of the bar",
        ),
        "stand by the door": ("You stand by the door.", "Maren stands by the door.", ""),
    }
    for line, (mine, theirs, pose) in cases.items():
        effects = rig.run("maren", line)
        assert rig.seen("maren", effects) == [mine], line
        # Tamsin reads a pose beside her as beside her ("with you").
        assert rig.seen("tamsin", effects) == [theirs], line
        rig.apply(effects)
        if pose:
            assert rig.world.chars["maren"].pose == pose
    for up in ("stand", "stand up", "get up", "rise"):
        rig.apply(rig.run("maren", "sit"))
        effects = rig.run("maren", up)
        assert rig.seen("maren", effects) == ["You get to your feet."], up
        assert rig.seen("tamsin", effects) == ["Maren gets up."], up
        rig.apply(effects)
        assert rig.world.chars["maren"].pose == ""
    assert rig.seen("maren", rig.run("maren", "stand")) == ["You are already standing."]


def test_a_pose_says_only_the_builders_words_or_the_floor() -> None:
    rig = _two()
    # "warm" is not a word of the room: the others read "the fire".
    effects = rig.run("maren", "sit down by the warm fire")
    assert rig.seen("tamsin", effects) == ["Maren sits down by the fire."]
    # The hearthstone answers to "hearth", but the room's own word is what was meant.
    effects = rig.run("maren", "sit by the hearth")
    assert rig.seen("tamsin", effects) == ["Maren sits down by the hearth."]
    assert rig.seen("maren", rig.run("maren", "sit on the throne")) == ["You see no 'throne' here."]
    # The ground is underfoot everywhere, described or not.
    rig.player("wren", "reed_path", kit=True)
    effects = rig.run("wren", "sit on the ground")
    assert rig.seen("wren", effects) == ["You sit down on the ground."]


_WORD = st.sampled_from(
    [
        "the",
        "fire",
        "bar",
        "warm",
        "stinking",
        "idiot",
        "hearth",
        "floor",
        "beams",
        "lantern",
        "cursed",
        "42",
        "<b>",
        "bessa",
        ";",
    ]
)


_RIG = _two()


@settings(max_examples=150, deadline=None)
@given(st.sampled_from(["by", "on", "at", "near", "in front of"]), st.lists(_WORD, max_size=5))
def test_a_pose_shown_to_others_is_made_of_the_rooms_words(place: str, words: list[str]) -> None:
    rig = _RIG
    rig.world.chars["maren"].pose = ""
    rig.apply(rig.run("maren", f"sit {place} {' '.join(words)}"))
    pose = rig.world.chars["maren"].pose
    if not pose:
        return
    allowed = set(re.findall(r"[a-z]+", rig.world.room(ROOM).description.lower()))
    things = search.around(rig.world, rig.world.chars["maren"])
    allowed |= {w for t in things for w in re.findall(r"[a-z]+", t.name.lower())}
    allowed |= {"sitting", "the", "floor", "ground", *place.split()}
    assert set(re.findall(r"[a-z0-9]+|[^a-z0-9\s]", pose.lower())) <= allowed, pose


def test_lines_that_are_no_pose_are_deeds() -> None:
    rig = _two()
    for line, told in {
        "sit the child down": "You try to sit the child down.",
        "lay the map on the table": "You try to lay the map on the table.",
    }.items():
        effects = rig.run("maren", line)
        assert rig.seen("maren", effects)[0] == told, line
        assert narration_asks(effects), line
    effects = rig.run("maren", "lie to bessa")
    assert rig.seen("maren", effects)[0] == "You lie to Bessa."  # a CHA check


def test_leaning_on_something_here_is_a_pose_and_any_other_way_of_leaning_shown() -> None:
    # Played by a roleplayer: "leans on the bar" was "You try to lean on the bar.".
    rig = _two()
    effects = rig.run("maren", "lean on the bar")
    assert rig.seen("maren", effects) == ["You lean on the bar."]
    assert rig.seen("tamsin", effects) == ["Maren leans on the bar."]
    rig.apply(effects)
    assert "Maren is leaning on the bar." in _view(rig, "tamsin")
    rig.apply(rig.run("maren", "stand"))
    # "close" is a word of the room's description: no place for all that. A way of
    # leaning, or a lean on what is not here, is shown as typed, not held and not
    # narrated as an attempt (played: "*leans back in his chair*" read "You try to lean
    # back in your chair.", "lean back" was a deed told with "You go about it").
    for line, shown in (
        ("lean in close", "Maren leans in close."),
        ("lean back", "Maren leans back."),
        ("lean on my staff", "Maren leans on their staff."),
        ("lean back, watching the door", "Maren leans back, watching the door."),
    ):
        effects = rig.run("maren", line)
        assert not narration_asks(effects), line
        assert rig.seen("tamsin", effects) == [shown], line
        assert rig.world.chars["maren"].pose == "", line
    # "lean" alone says nothing of how: the DM's to tell.
    assert narration_asks(rig.run("maren", "lean"))


def test_walking_away_fighting_or_falling_ends_a_pose() -> None:
    rig = _two()
    rig.apply(rig.run("maren", "sit by the fire"))
    rig.apply(rig.run("maren", "up"))
    assert rig.world.chars["maren"].room == "hollowmere:loft_landing"
    assert rig.world.chars["maren"].pose == ""
    rig.apply(rig.run("maren", "down"))
    assert "Maren is" not in _view(rig, "tamsin")

    rig.apply(rig.run("tamsin", "sit"))
    rig.apply([CharUpdate("tamsin", down=True)])
    assert rig.world.chars["tamsin"].pose == ""

    fighter = EngineRig()
    fighter.player("maren", "smugglers_tunnel", kit=True)
    fighter.apply(fighter.run("maren", "kneel"))
    assert fighter.world.chars["maren"].pose == "kneeling"
    out = call(fighter.world, "maren", "attack rat", dice=[15, 10, 12, 3, 4, 10, 10])
    assert "FIGHT!" in out.text("maren")
    assert fighter.world.chars["maren"].pose == ""
    assert "hollowmere:smugglers_tunnel" in fighter.world.fights
    told = fighter.seen("maren", fighter.run("maren", "sit"))
    assert told == ["Not in the middle of a fight!"]


def test_a_pose_is_not_saved() -> None:
    rig = _two()
    rig.apply(rig.run("maren", "sit by the fire"))
    char = rig.world.chars["maren"]
    saved = rig.world.character_json(char)
    assert "sitting" not in saved
    back = rig.world.restore_character("maren", saved, name="Maren", is_admin=False)
    assert back.pose == ""


def test_a_crowd_of_sitters_is_counted_not_listed() -> None:
    rig = EngineRig()
    rig.player("viewer", "common_room")
    for i in range(CROWD_NAMES + 8):
        key = f"p{chr(97 + i)}"
        rig.player(key, "common_room")
        rig.apply(rig.run(key, "sit on the floor"))
    view = _view(rig, "viewer")
    sitting = view.count("is sitting on the floor.")
    assert 0 < sitting < CROWD_NAMES  # Bessa is one of the names shown
    assert re.search(r"\d+ others are here\.", view)


def test_sleep_is_the_long_rest_even_at_full_strength() -> None:
    rig = _two()
    # "sleep" in the tavern: "You are already at full strength."
    effects = rig.run("maren", "sleep")
    assert rig.seen("maren", effects)[0].startswith("You sleep deeply and wake restored")
    assert rig.seen("tamsin", effects) == ["Maren sleeps by the fire."]


def test_a_pose_beside_someone_who_has_gone_is_the_posture_alone() -> None:
    # Played: "You are sitting with Rowan." after Rowan had walked out.
    rig = _two()
    rig.player("wren", "common_room")
    rig.apply(rig.run("maren", "sit with tamsin"))
    assert "Maren is sitting with Tamsin." in _view(rig, "wren")
    assert "Maren is sitting with you." in _view(rig, "tamsin")
    rig.apply(rig.run("tamsin", "up"))
    assert "You are sitting." in _view(rig, "maren")
    assert "Maren is sitting." in _view(rig, "wren")
    # Tamsin's view of the room she walks back into, built before she is in it.
    assert "Maren is sitting with you." in _view(rig, "tamsin")
    rig.apply(rig.run("tamsin", "down"))
    assert "You are sitting with Tamsin." in _view(rig, "maren")


def test_a_pose_and_a_deed_after_it_are_both_done() -> None:
    # Played in the Drowned Lantern: "sit by the fire and warm my hands" answered "You
    # see no 'fire and warm my hands' here." and neither was done.
    rig = _two()
    world = rig.world
    out = call(world, "maren", "sit by the fire and warm my hands")
    assert out.lines("maren") == ["You sit down by the fire.", "You try to warm your hands."]
    assert out.lines("tamsin") == [
        "Maren sits down by the fire.",
        "Maren tries to warm their hands.",
    ]
    (ask,) = narration_asks(out.effects)
    assert ask.text == "warm my hands"
    assert "Maren is sitting by the fire." in _view(rig, "tamsin")
    # Already sitting there: the deed alone. A command after the pose is that command.
    said = call(world, "maren", "sit down by the fire, then say the fire is good")
    assert said.lines("maren") == ["You say, 'the fire is good'"]
    drunk = call(world, "maren", "stand up and drink my potion").lines("maren")
    assert drunk[0] == "You get to your feet." and "potion of healing" in drunk[1], drunk
    assert call(world, "maren", "kneel and pray").lines("maren") == [
        "You kneel.",
        "You bow your head and pray.",  # the pack's 'pray' social
    ]


def test_a_pose_at_a_place_not_here_is_refused_and_the_rest_not_done() -> None:
    rig = _two()
    effects = rig.run("maren", "sit on the throne and weep")
    assert rig.seen("maren", effects) == ["You see no 'throne' here."]
    assert not narration_asks(effects)
    # Words after "and" that name someone here are still the pose's place.
    world, maren = rig.world, rig.world.chars["maren"]
    assert poses.clauses(world, maren, "with tamsin and bessa") == ("with tamsin and bessa", "")
    assert poses.clauses(world, maren, "by the fire; then sleep") == ("by the fire", "sleep")
    assert poses.clauses(world, maren, "by the fire and") == ("by the fire and", "")


def test_how_a_pose_is_taken_is_no_place_and_sitting_up_is_not_sitting_down() -> None:
    # Played after a fight: "*sits up slowly*" was "You try to sit up slowly.", a deed;
    # "*sits up*" read "Maren sits down."; "*gets up slowly*" was "You cannot take the up
    # slowly."; "*stands up, wincing*" stood and then tried "to wincing".
    rig = _two()
    rig.apply(rig.run("maren", "lie down"))
    for line, theirs, pose in (
        ("*sits up slowly*", "Maren sits up.", "sitting"),
        ("*gets up slowly*", "Maren gets up.", ""),
        # How one does it is shown with it (round 60: "*rises, buckling on her mace*").
        ("*lies down, groaning*", "Maren lies down, groaning.", "lying"),
        ("*sits up*", "Maren sits up.", "sitting"),
        ("*stands up, wincing*", "Maren stands up, wincing.", ""),
        (
            "*sits down carefully by the fire*",
            "Maren sits down by the fire.",
            "sitting by the fire",
        ),
    ):
        effects = rig.run("maren", line)
        assert rig.seen("tamsin", effects) == [theirs], (line, rig.seen("tamsin", effects))
        assert not narration_asks(effects), line
        rig.apply(effects)
        assert rig.world.chars["maren"].pose == pose, line
    # A deed after a pose is still done after it; "get up the ladder" is no standing.
    effects = rig.run("maren", "*kneels slowly and prays*")
    assert rig.seen("tamsin", effects)[0] == "Maren kneels."
    assert rig.seen("maren", rig.run("maren", "get up the ladder")) == [
        "You see no 'up the ladder' here."
    ]


def test_getting_up_in_words_or_in_a_pose_stands_and_a_part_of_a_thing_is_at_it() -> None:
    # Played (round 50), carried back to the inn after a lost fight: "Mara groans and
    # pushes herself up from the floor." was a STR check to push ("You strain at it, and
    # it does not move."). Tried: "*staggers to her feet*" was shown, and she stayed
    # sitting. And at the shrine: "sits on the edge of the wall" read "You sit down on
    # the of wall.".
    rig = EngineRig()
    rig.player("mara", "common_room")
    rig.player("jax", "common_room")
    for line in (
        "Mara groans and pushes herself up from the floor.",
        "push myself up",
        "*staggers to her feet*",
        "gets to his feet",
    ):
        call(rig.world, "mara", "sit")
        assert rig.world.chars["mara"].pose, line
        out = call(rig.world, "mara", line)
        assert not rig.world.chars["mara"].pose, (line, out.lines("jax"))
        assert not narration_asks(out.effects), line
    # Picking up a thing is still picking it up.
    assert call(rig.world, "mara", "pick up the lantern").lines("mara") == [
        "You pick up a hooded lantern."
    ]
    shrine = EngineRig()
    shrine.player("mara", "sunken_shrine")
    seen = call(shrine.world, "mara", "sit on the edge of the wall").lines("mara")
    assert seen == ["You sit down on the wall."], seen


def test_sinking_into_a_seat_sits_where_the_line_says() -> None:
    # Played (round 50), Edda home: 'Mara sinks into a chair by the fire and lets out a
    # long breath. "Never again."' was a pose, and she stood as before.
    rig = EngineRig()
    rig.player("mara", "common_room")
    rig.player("jax", "common_room")
    line = 'Mara sinks into a chair by the fire and lets out a long breath. "Never again."'
    seen = call(rig.world, "mara", line).lines("jax")
    assert seen == [
        "Mara sinks into a chair by the fire and lets out a long breath.",
        "Mara says, 'Never again.'",
    ], seen
    assert rig.world.chars["mara"].pose == "sitting by the fire"
    call(rig.world, "mara", "stand")
    call(rig.world, "mara", "*drops onto a stool at the bar*")
    assert rig.world.chars["mara"].pose == "sitting at the bar"
    # "lets" opening a line done, not proposed, is no "let's".
    assert call(rig.world, "mara", "*lets out a breath*").lines("jax") == [
        "Mara lets out a breath."
    ]


def test_a_pose_already_held_in_the_rest_of_a_line_is_nothing_to_tell() -> None:
    # Played (round 53): "Oriane drains her cup and rises." read "You drain your cup."
    # and then "You are already standing.".
    rig = _two()
    for line in ('Maren drains her cup and rises. "Shall we?"', "look around and stand up"):
        seen = call(rig.world, "maren", line).lines("maren")
        assert "You are already standing." not in seen, (line, seen)
        assert seen, line
    # Typed alone, it is still told.
    assert call(rig.world, "maren", "*rises*").lines("maren") == ["You are already standing."]


def test_a_pose_takes_a_thing_named_with_no_place_word_as_other_muds_do() -> None:
    # Played (round 54) by a MUD veteran on the ferry: "sit bench" was "You try to sit
    # bench.", a deed for the Dungeon Master.
    rig = _two()
    for line, mine, theirs in (
        ("sit floor", "You sit down on the floor.", "Maren sits down on the floor."),
        ("lean bar", "You lean on the bar.", "Maren leans on the bar."),
        ("sit tamsin", "You sit down beside Tamsin.", "Maren sits down beside you."),
        # Played (round 54): "Rook tries to sit down across from you."
        (
            "sit down across from tamsin",
            "You sit down across from Tamsin.",
            "Maren sits down across from you.",
        ),
        ("sit opposite tamsin", "You sit down opposite Tamsin.", "Maren sits down opposite you."),
    ):
        out = call(rig.world, "maren", line)
        assert (out.lines("maren")[0], out.lines("tamsin")[0]) == (mine, theirs), line
    # Words that name nothing here are no pose, as before.
    assert narration_asks(call(rig.world, "maren", "sit the child down").effects)


def test_a_look_after_a_pose_or_at_the_rooms_scenery_is_a_pose() -> None:
    # Played (round 54) on the ferry: "Pell leans on the rail and watches the mist thin."
    # read "You try to watch the mist thin.", narrated as a deed.
    rig = _two()
    out = call(rig.world, "maren", "lean on the bar and watch the door")
    assert out.lines("tamsin") == ["Maren leans on the bar.", "Maren watches the door."]
    assert not narration_asks(out.effects)
    out = call(rig.world, "maren", "*stares at the fire*")
    assert out.lines("tamsin") == ["Maren stares at the fire."]
    assert not narration_asks(out.effects)
    # A look at a thing here still shows it to the one looking.
    out = call(rig.world, "maren", "*eyes the hooded lantern*")
    assert out.lines("tamsin")[0] == "Maren eyes the hooded lantern."
    assert len(out.lines("maren")) > 1


def test_a_place_named_with_where_it_stands_is_shown_whole() -> None:
    # Played (Lanternfall, round 62): "I stretch out on a bench by the fire and close my
    # eyes for a moment" read "You try to stretch out on a bench by the fire.", and "lie
    # on a bench by the fire" read "You lie down on the bench fire.".
    rig = EngineRig(pack="lanternfall")
    rig.player("wren", "hostel_hall", "lanternfall:climber")
    rig.player("ash", "hostel_hall", "lanternfall:warden")
    for line, seen in (
        ("lie on a bench by the fire", "You lie down on the bench by the fire."),
        ("sit on the bench near the hearth", "You sit down on the bench near the hearth."),
        ("sit on the floor next to ash", "You sit down on the floor next to Ash."),
        ("stretch out on the floor", "You lie down on the floor."),
        ("curl up by the fire", "You lie down by the fire."),
        # A thing not here is not sat on by what stands beside it (tried: "You sit
        # down on the fire.").
        ("sit on a throne by the fire", "You see no 'throne by the fire' here."),
    ):
        out = call(rig.world, "wren", line)
        assert out.lines("wren") == [seen], (line, out.lines("wren"))
        call(rig.world, "wren", "stand")
    out = call(rig.world, "wren", "I stretch out on a bench by the fire and close my eyes")
    assert out.lines("wren")[0] == "You lie down on the bench by the fire.", out.lines("wren")
    assert out.lines("ash")[0] == "Wren lies down on the bench by the fire."
    assert rig.world.chars["wren"].pose == "lying on the bench by the fire"
    # A place not here, or a time, leaves it a deed (found in review: "You see no 'ball'
    # here.").
    for line in ("curl up in a ball", "stretch out before the climb"):
        assert call(rig.world, "ash", line).lines("ash")[0].startswith("You try to"), line
    # Stretching is still stretching, and "stretch out your hand" no lying down.
    assert call(rig.world, "ash", "stretch").lines("ash") == ["You stretch until your back cracks."]
    assert "lie" not in " ".join(call(rig.world, "ash", "stretch out your hand").lines("ash"))


def test_a_gesture_after_and_leaves_the_pose_a_pose() -> None:
    # Played (round 63): "*shakes the rain off her cloak and nods to the two by the
    # fire*" read "Kestrel tries to shake the rain off their cloak and nod to the two by
    # the fire.", a deed, the fire of the nod's words taken for a thing handled.
    rig = EngineRig()
    rig.player("kestrel", "common_room")
    rig.player("jonah", "common_room", "hollowmere:cleric")
    line = "*shakes the rain off her cloak and nods to the two by the fire*"
    out = call(rig.world, "kestrel", line)
    assert out.lines("jonah") == [
        "Kestrel shakes the rain off her cloak and nods to the two by the fire."
    ], out.lines("jonah")
    assert not narration_asks(out.effects)
    # What the first part does is still done: the hearth searched, the lantern taken.
    out = call(rig.world, "kestrel", "*searches the hearth and smiles*", dice=[15])
    assert "An oilcloth packet is uncovered!" in out.text("jonah"), out.text("jonah")
    assert out.lines("jonah")[-1] == "Kestrel smiles."
    call(rig.world, "kestrel", "*lifts the hooded lantern and grins*")
    assert any(
        rig.world.items[i].template == "hollowmere:hooded_lantern"
        for i in rig.world.chars["kestrel"].inventory
    )
