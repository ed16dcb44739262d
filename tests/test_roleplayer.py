"""A roleplayer's lines, as played in round 60: Marigold on telnet and Tobias on SSH in the
Drowned Lantern, writing poses with how they were as they did things, remarks with a
question tagged on, and words after a look."""

from __future__ import annotations

import pytest

from mud.engine import party, search
from mud.engine.effects import AskNarration, CharUpdate, FightEvent, NpcUpdate, Then
from mud.engine.parser import tagged
from tests.call import call
from tests.enginerig import EngineRig


def _two_in_the_tavern() -> EngineRig:
    """Mira (a Lamp-Keeper) and Dov (a fighter, in mail) in the common room, Bessa at the bar."""
    rig = EngineRig()
    rig.player("mira", "common_room", "hollowmere:cleric", kit=True)
    rig.player("dov", "common_room", "hollowmere:fighter", kit=True)
    return rig


@pytest.mark.parametrize(
    ("line", "shown"),
    [
        # Played: "You nod." and "You try to water dripping from his mail.", narrated as
        # a deed ("You do what needs doing, and nothing more.").
        ("*nods, water dripping from his mail*", "Dov nods, water dripping from his mail."),
        (
            ':nods, water dripping from his mail. "Dreadful."',
            "Dov nods, water dripping from his mail.",
        ),
        ("*shrugs, eyes on the fire*", "Dov shrugs, eyes on the fire."),
        # Played: "You nod to Tobias." and "You say, 'rain still dripping from my hood'".
        (
            "*nods to Mira, rain still dripping from his hood*",
            "Dov nods to Mira, rain still dripping from his hood.",
        ),
        ("*grins, eyes narrowing*", "Dov grins, eyes narrowing."),
        ("*nods, jaw set*", "Dov nods, jaw set."),
        ("emote sets down his mug, eyes on the door.", "Dov sets down his mug, eyes on the door."),
    ],
)
def test_how_one_is_after_a_comma_is_the_pose_not_a_second_deed(line: str, shown: str) -> None:
    rig = _two_in_the_tavern()
    out = call(rig.world, "dov", line)
    assert out.lines("dov")[0] == shown, out.lines("dov")
    assert out.lines("mira")[0] == shown.replace("to Mira", "to you"), out.lines("mira")
    assert not [a for a in out.of(AskNarration) if a.kind == "action"]
    assert not any("try to" in seen for seen in out.lines("dov"))


def test_a_posture_with_how_one_is_is_taken_and_shown_whole() -> None:
    # Played: "You sit down by the fire." and "You try to hands outstretched to the
    # warmth.".
    rig = _two_in_the_tavern()
    out = call(rig.world, "mira", "*sits by the fire, hands outstretched to the warmth*")
    assert out.lines("dov") == ["Mira sits by the fire, hands outstretched to the warmth."]
    assert rig.world.chars["mira"].pose.startswith("sitting"), rig.world.chars["mira"].pose
    out = call(rig.world, "dov", "*leans on the bar, water dripping from his cloak*")
    assert out.lines("mira") == ["Dov leans on the bar, water dripping from his cloak."]
    assert rig.world.chars["dov"].pose == "leaning on the bar"


def test_a_deed_with_how_one_is_after_it_is_still_done() -> None:
    rig = _two_in_the_tavern()
    out = call(rig.world, "mira", "*searches the hearth, eyes narrowed*", dice=[15])
    assert "An oilcloth packet is uncovered!" in out.lines("mira"), out.lines("mira")


@pytest.mark.parametrize(
    ("text", "is_tagged"),
    [
        ("Evening. Dreadful night to be on the causeway, isn't it?", True),
        ("cold in here, eh?", True),
        ("Lovely stew, don't you think?", True),
        ("you're the innkeeper, aren't you?", True),
        ("where is edda, do you know?", False),
        ("isn't it cold?", False),
        ("won't you come in?", False),
    ],
)
def test_a_question_tagged_on_a_remark_is_told_apart(text: str, is_tagged: bool) -> None:
    assert tagged(text) is is_tagged


@pytest.mark.parametrize(
    "line",
    [
        # Played: asked of the innkeeper, who told of the lights on the marsh.
        "say Evening. Dreadful night to be on the causeway, isn't it?",
        # Tried: asked of the DM, "Bessa Thorn, here, might know more of that."
        "dreadful night, isn't it?",
        ':smiles. "Dreadful night, isn\'t it?"',
    ],
)
def test_a_remark_with_a_question_tagged_on_is_said_to_the_room(line: str) -> None:
    rig = _two_in_the_tavern()
    out = call(rig.world, "mira", line)
    heard = out.lines("dov")
    assert any(seen.startswith("Mira says, '") and "isn't it?" in seen for seen in heard), heard
    assert not any("Bessa Thorn says" in seen for seen in heard), heard
    assert not any("ask the DM" in seen for seen in out.lines("mira")), out.lines("mira")


def test_alone_with_the_innkeeper_a_tagged_remark_is_still_hers() -> None:
    rig = EngineRig()
    rig.player("mira", "common_room", "hollowmere:cleric", kit=True)
    out = call(rig.world, "mira", "you're the innkeeper, aren't you?")
    assert out.lines("mira")[0] == "You ask Bessa Thorn, 'You're the innkeeper, aren't you?'"


def test_a_question_of_why_one_is_here_in_prose_is_the_other_players() -> None:
    # Played: ':glances toward the stairs. "You here about the cartographer too?"' just
    # after Tobias had said who he was, asked of the innkeeper.
    rig = _two_in_the_tavern()
    out = call(
        rig.world, "mira", ':glances toward the stairs. "You here about the cartographer too?"'
    )
    assert out.lines("dov") == [
        "Mira glances toward the stairs.",
        "Mira asks you, 'You here about the cartographer too?'",
    ], out.lines("dov")


@pytest.mark.parametrize(
    "line",
    ["*looks Mira over* A lamp-keeper. Handy, in the dark.", "a lamp-keeper. handy, in the dark."],
)
def test_a_calling_named_and_words_of_it_are_said(line: str) -> None:
    # Played: "You act: A lamp-keeper. Handy, in the dark.", narrated as a deed.
    rig = _two_in_the_tavern()
    out = call(rig.world, "dov", line)
    said = [seen for seen in out.lines("mira") if seen.startswith("Dov says, '")]
    assert said and said[0].lower() == "dov says, 'a lamp-keeper. handy, in the dark.'", out.lines(
        "mira"
    )
    assert not [a for a in out.of(AskNarration) if a.kind == "action"]


def test_a_thing_named_then_a_deed_is_still_said_then_done() -> None:
    rig = _two_in_the_tavern()
    out = call(rig.world, "mira", "an old lantern. take it")
    assert out.lines("mira")[0] == "You say, 'an old lantern.'", out.lines("mira")
    assert any("hooded lantern" in seen for seen in out.lines("mira")[1:]), out.lines("mira")


def test_walk_with_me_asked_is_an_invitation_and_lead_on_joins() -> None:
    # Played: "Tobias, walk with me? Two lamps are better than one." then "*grins* Lead
    # on." made no group, and she went upstairs alone.
    rig = _two_in_the_tavern()
    call(rig.world, "mira", "Dov, walk with me? Two lamps are better than one.")
    out = call(rig.world, "dov", "*grins* Lead on.")
    assert "You join Mira's group and follow Mira." in out.lines("dov"), out.lines("dov")
    call(rig.world, "mira", "up")
    assert rig.world.chars["dov"].room == rig.world.chars["mira"].room == "hollowmere:loft_landing"
    # Told, not asked, it is no invitation: a walk with someone to somewhere.
    assert not party.teaming("walk with me to the door")


@pytest.mark.parametrize(
    "line", ["*climbs the creaking stairs*", "*lifts her lantern and climbs the stairs*"]
)
def test_a_pose_that_climbs_the_stairs_goes_up(line: str) -> None:
    # Played: "*lifts his lantern and climbs the stairs*" read "You lift your lantern and
    # climb the stairs.", a STR check, and no one went up; "the creaking stairs" was a
    # pose alone.
    rig = _two_in_the_tavern()
    out = call(rig.world, "mira", line)
    assert rig.world.chars["mira"].room == "hollowmere:loft_landing", out.lines("mira")
    assert not any("check" in seen for seen in out.lines("dov")), out.lines("dov")
    if "lantern" in line:
        assert out.lines("dov")[0] == "Mira lifts her lantern.", out.lines("dov")


def test_an_emote_of_a_climb_shows_it_and_says_how_to_climb() -> None:
    # Played: ":lifts her lantern-mace and climbs the creaking stairs." was shown, she
    # stayed below, and her "east" read "You cannot go east from here.".
    rig = _two_in_the_tavern()
    out = call(rig.world, "mira", ":lifts her lantern-mace and climbs the creaking stairs.")
    assert out.lines("dov") == ["Mira lifts her lantern-mace and climbs the creaking stairs."]
    assert out.lines("mira")[-1] == (
        "(An emote only shows. To climb, type 'up', or pose it between stars: "
        "'*climbs the creaking stairs*'.)"
    )
    assert rig.world.chars["mira"].room == "hollowmere:common_room"
    # An emote of no way here says nothing more.
    assert call(rig.world, "mira", ":climbs onto the bar.").lines("mira") == [
        "Mira climbs onto the bar."
    ]


def test_an_emote_of_taking_a_thing_says_it_only_shows() -> None:
    # Played: ":picks up the scrap of map and turns it toward the window light." was
    # shown, and the map lay where it was.
    rig = _two_in_the_tavern()
    out = call(rig.world, "mira", ":picks up the hooded lantern and looks it over.")
    assert out.lines("dov") == ["Mira picks up the hooded lantern and looks it over."]
    assert out.lines("mira")[-1] == (
        "(An emote only shows. To do it, pose it between stars: "
        "'*picks up the hooded lantern and looks it over*'.)"
    )
    held = [t.name for t in search.carried(rig.world, rig.world.chars["mira"])]
    assert "hooded lantern" not in held, held
    out = call(rig.world, "mira", "*picks up the hooded lantern and looks it over*")
    held = [t.name for t in search.carried(rig.world, rig.world.chars["mira"])]
    assert "hooded lantern" in held, out.lines("mira")


@pytest.mark.parametrize(
    "line",
    [
        "*leafs through the papers, frowning*",
        "*rifles through the papers*",
        "thumb through the surveys",
        "pore over the papers",
    ],
)
def test_going_through_the_papers_in_ones_own_words_rolls_their_check(line: str) -> None:
    # Played: "*moves to the table and leafs through the papers, frowning*" was a pose,
    # and the clue the papers hold was never rolled for.
    rig = EngineRig()
    rig.player("mira", "guest_room", "hollowmere:cleric", kit=True)
    out = call(rig.world, "mira", line, dice=[14])
    assert "Mira: INT check 14 vs DC 10: success by 4" in out.lines("mira"), out.lines("mira")
    assert any("notes under the warm stone" in seen for seen in out.lines("mira"))


@pytest.mark.parametrize(
    "line", ["let me have a look.", ':sets a hand on her shoulder. "Let me have a look."']
)
def test_a_go_asked_after_anothers_try_tries_the_deed_not_her_manner(line: str) -> None:
    # Played: Tobias's ':sets a hand on her shoulder. "Let me have a look."' after
    # Marigold leafed through the papers was only said; typed alone, it read "You leaf
    # through the papers, frowning.", her frown his.
    rig = EngineRig()
    rig.player("mira", "guest_room", "hollowmere:cleric", kit=True)
    rig.player("dov", "guest_room", "hollowmere:fighter", kit=True)
    call(rig.world, "mira", "*leafs through the papers, frowning*", dice=[3])
    out = call(rig.world, "dov", line, dice=[15])
    assert "You leaf through the papers." in out.lines("dov"), out.lines("dov")
    assert "Dov: INT check 15 vs DC 10: success by 5" in out.lines("dov"), out.lines("dov")


def test_told_of_the_notes_found_the_innkeeper_no_longer_says_where_they_were() -> None:
    # Played: 'Bessa, we found her notes.' just after the hearthstone was lifted read
    # 'Edda kept her notes "somewhere warm, where the damp can't get them".'.
    rig = _two_in_the_tavern()
    before = call(rig.world, "mira", "bessa, where did edda keep her notes?")
    assert "somewhere warm" in "\n".join(before.lines("mira")), before.lines("mira")
    rig.apply([CharUpdate("mira", quests={"hollowmere:missing_cartographer": -1})])
    out = call(rig.world, "mira", ':turns to the bar. "Bessa, we found her notes."')
    said = "\n".join(out.lines("mira"))
    assert "somewhere warm" not in said, said
    assert "Under my own hearthstone?" in said, said


def _in_the_loft() -> EngineRig:
    """Mira and Dov in the mill loft, with Crake, wary of them, by the shutter."""
    rig = EngineRig()
    rig.player("mira", "mill_loft", "hollowmere:cleric", kit=True)
    rig.player("dov", "mill_loft", "hollowmere:fighter", kit=True)
    return rig


@pytest.mark.parametrize(
    "line",
    [
        "easy, friend. we are not here for you. only the key.",
        ':lowers her mace a little. "Easy, friend. We are not here for you. Only the key."',
    ],
)
def test_words_to_calm_the_wary_one_here_are_said_to_him(line: str) -> None:
    # Played in Crake's loft: ":lowers her mace a little. "Easy, friend. ..."" read "You
    # try to lower your mace a little.", narrated as a deed, and the words were said to
    # the room; Crake said nothing.
    rig = _in_the_loft()
    out = call(rig.world, "mira", line)
    seen = out.lines("dov")
    assert any(s.startswith("Mira says to Crake, '") for s in seen), seen
    assert any("It's not my key, and it's not yours" in s for s in seen), seen
    assert not any("tries to" in s for s in seen), seen
    assert not [a for a in out.of(AskNarration) if a.kind == "action"]
    # With no one wary here, such words are the room's.
    rig = _two_in_the_tavern()
    out = call(rig.world, "mira", "easy, friend. we are not here for you.")
    assert out.lines("dov") == ["Mira says, 'easy, friend. we are not here for you.'"]


@pytest.mark.parametrize(
    ("line", "shown"),
    [
        ("*raises his shield*", "Dov raises his shield."),
        ("*tightens his grip on his shield*", "Dov tightens his grip on his shield."),
        ("*lowers his shield a little*", "Dov lowers his shield a little."),
        # Played: "You try to raise your lantern-mace high.", her own name for her mace.
        ("*raises her lantern-mace high*", "Mira raises her lantern-mace high."),
    ],
)
def test_a_gesture_with_ones_own_gear_is_a_pose(line: str, shown: str) -> None:
    rig = _in_the_loft()
    who, other = ("mira", "dov") if shown.startswith("Mira") else ("dov", "mira")
    out = call(rig.world, who, line)
    assert out.lines(other) == [shown], out.lines(other)
    assert not out.of(AskNarration)


@pytest.mark.parametrize(
    ("line", "posed"),
    [
        ("*eyes Crake warily, then scoops up the rusty key*", "Dov eyes Crake warily."),
        ("*nods to Crake, then picks up the key*", "Dov nods to Crake."),
        ("*glances at Crake and picks up the key*", "Dov glances at Crake."),
    ],
)
def test_a_look_or_a_nod_and_then_a_deed_is_posed_and_done(line: str, posed: str) -> None:
    # Played: "*eyes Crake warily, then scoops up the rusty key*" was a pose, and the key
    # lay where it was; tried: "*nods to Crake, then picks up the key*" read "You say,
    # 'then pick up the key'".
    rig = _in_the_loft()
    out = call(rig.world, "dov", line)
    assert out.lines("mira")[0] == posed, out.lines("mira")
    held = [t.name for t in search.carried(rig.world, rig.world.chars["dov"])]
    assert "rusty key" in held, out.lines("dov")
    assert not any("You say" in seen for seen in out.lines("dov")), out.lines("dov")


@pytest.mark.parametrize(
    "line", ["*nods and smiles*", "*glances at Crake and shrugs*", "*looks Crake up and down*"]
)
def test_a_look_and_a_gesture_stay_one_pose(line: str) -> None:
    rig = _in_the_loft()
    out = call(rig.world, "dov", line)
    assert out.lines("mira")[0] == f"Dov {line.strip('*')}.", out.lines("mira")
    assert not out.of(Then)


def test_thank_you_thanks_whoever_it_would_be_with_no_one_named() -> None:
    # Played in Crake's loft: "*nods to Crake* Thank you." read "You see no 'you' here.".
    rig = _in_the_loft()
    assert call(rig.world, "mira", "thank you.").lines("mira") == ["You give thanks."]
    said = "crake, is the key yours?"
    call(rig.world, "mira", said)
    for line in ("thank you.", "thank you so much!", "*nods to Crake* Thank you."):
        out = call(rig.world, "mira", line, recent=[said])
        assert "You thank Crake." in out.lines("mira"), (line, out.lines("mira"))
        assert "Mira thanks Crake." in out.lines("dov"), (line, out.lines("dov"))


@pytest.mark.parametrize(
    "line", ["drop down", "*drops down into the dark*", "drop through the trapdoor"]
)
def test_a_drop_of_oneself_is_the_way_down(line: str) -> None:
    # Played: "*hauls the trapdoor open and drops down into the dark*" opened it, then
    # read "You are not carrying 'down into the dark'.".
    rig = EngineRig()
    rig.player("mira", "cellar", "hollowmere:cleric", kit=True)
    rig.player("dov", "cellar", "hollowmere:fighter", kit=True)
    call(rig.world, "dov", "force the trapdoor", dice=[20])
    out = call(rig.world, "dov", line)
    assert rig.world.chars["dov"].room == "hollowmere:smugglers_tunnel", out.lines("dov")
    # A drop of oneself to no way out is a pose, and walks no one (found in review:
    # "*drops into a crouch*" walked down to the cellar).
    for pose in ("*drops into a crouch*", "drop down behind the barrels"):
        out = call(rig.world, "mira", pose)
        assert rig.world.chars["mira"].room == "hollowmere:cellar", (pose, out.lines("mira"))
        assert out.lines("mira")[0].startswith("Mira drops "), out.lines("mira")


def test_a_way_then_and_the_way_told_walks_and_says_it() -> None:
    # Played: "*wipes his blade on his sleeve* South, then. Follow the little lanterns."
    # walked the group, then read "You act: then. Follow the little lanterns.".
    rig = EngineRig()
    rig.player("mira", "smugglers_tunnel", "hollowmere:cleric", kit=True)
    rig.player("dov", "smugglers_tunnel", "hollowmere:fighter", kit=True)
    for npc in rig.world.npcs.values():
        if npc.room in ("hollowmere:eel_landing", "hollowmere:smugglers_tunnel"):
            npc.alive = False  # the landing quiet, as it was when played, the rat dead
    call(rig.world, "dov", "group invite mira")
    call(rig.world, "mira", "group accept")
    out = call(
        rig.world, "dov", "*wipes his blade on his sleeve* South, then. Follow the little lanterns."
    )
    assert rig.world.chars["mira"].room == rig.world.chars["dov"].room == "hollowmere:eel_landing"
    # Said to those beside him before he goes, as words to those here are.
    assert out.lines("dov")[1] == "You say, 'Follow the little lanterns.'", out.lines("dov")
    assert "Dov says, 'Follow the little lanterns.'" in out.lines("mira"), out.lines("mira")
    assert not any("act:" in seen or "try to" in seen for seen in out.lines("dov"))
    # A deed after the word of when is done where the walk ends.
    rig = EngineRig()
    rig.player("dov", "smugglers_tunnel", "hollowmere:fighter", kit=True)
    for npc in rig.world.npcs.values():
        if npc.room == "hollowmere:eel_landing":
            npc.alive = False
    out = call(rig.world, "dov", "south, then. search the huts", dice=[15])
    assert rig.world.chars["dov"].room == "hollowmere:eel_landing"
    assert "You search the huts." in out.lines("dov"), out.lines("dov")


def test_an_emote_of_a_blow_on_ones_turn_says_it_only_shows() -> None:
    # Played at the reed path: ":swings her lantern-mace at the drowned thing, crying the
    # saint's name." on her turn was shown, and the turn ran out.
    rig = EngineRig()
    rig.player("mira", "eel_landing", "hollowmere:cleric", kit=True)
    rig.player("dov", "reed_path", "hollowmere:fighter", kit=True)
    call(rig.world, "dov", "east", dice=[1, 20, 1])
    call(rig.world, "dov", "defend")
    line = ":swings her lantern-mace at the drowned thing, crying the saint's name."
    out = call(rig.world, "mira", line)
    assert out.lines("mira")[-1] == (
        "(An emote only shows. To do it, pose it between stars: "
        "'*swings her lantern-mace at the drowned thing, crying the saint's name*'.)"
    ), out.lines("mira")
    assert not out.of(FightEvent)


@pytest.mark.parametrize(
    "line", ["*nods to Bessa, then sits by the fire*", "nod to bessa and sit by the fire"]
)
def test_a_social_and_then_a_thing_done_does_it(line: str) -> None:
    # Played in the hospice: "*nods to Anselm, then sits by the fire*" read "You say,
    # 'then sit by the fire'".
    rig = _two_in_the_tavern()
    out = call(rig.world, "mira", line)
    assert out.lines("dov")[:2] == ["Mira nods to Bessa Thorn.", "Mira sits down by the fire."]
    assert rig.world.chars["mira"].pose.startswith("sitting"), rig.world.chars["mira"].pose


@pytest.mark.parametrize(
    "line", ['"Any word of the cartographer?"', "say any word of the cartographer?"]
)
def test_a_question_said_with_no_other_player_to_hear_is_asked_of_who_knows(line: str) -> None:
    # Played in the hospice: '"Any word of the novice?"' was said to the room, and
    # Brother Anselm by the fire said nothing.
    rig = EngineRig()
    rig.player("mira", "common_room", "hollowmere:cleric", kit=True)
    out = call(rig.world, "mira", line)
    assert out.lines("mira")[0] == "You ask Bessa Thorn, 'Any word of the cartographer?'", (
        out.lines("mira")
    )
    assert any("Edda Venn, a cartographer" in seen for seen in out.lines("mira"))
    # Beside another player, said is said: they may answer it.
    rig.player("dov", "common_room", "hollowmere:fighter", kit=True)
    out = call(rig.world, "mira", line)
    assert [seen.lower() for seen in out.lines("dov")] == [
        "mira says, 'any word of the cartographer?'"
    ]


@pytest.mark.parametrize(
    ("room", "line", "done"),
    [
        # Found in review: swallowed as "how one is", and the first deed lost.
        ("mill_loft", "get the key, head over to the ladder", "You pick up a rusty key."),
        ("mill_loft", "take the key, quickly pocketing it", "You pick up a rusty key."),
        ("common_room", "order an ale, head to the fire", "You buy a mug of marsh ale for 1 gold."),
        (
            "common_room",
            "*nods, hands over the potion to Mira*",
            "You give the potion of healing to Mira.",
        ),
    ],
)
def test_a_second_deed_after_a_comma_is_no_way_one_is(room: str, line: str, done: str) -> None:
    rig = EngineRig()
    rig.player("mira", room, "hollowmere:cleric", kit=True)
    rig.player("dov", room, "hollowmere:fighter", kit=True)
    rig.apply([CharUpdate("dov", gold=5)])
    out = call(rig.world, "dov", line)
    assert done in out.lines("dov"), out.lines("dov")


def test_a_call_to_follow_after_a_way_is_said_before_the_walk() -> None:
    # Found in review: "South, then. Follow me." walked, then said "Follow me." to no one.
    rig = EngineRig()
    rig.player("mira", "causeway", "hollowmere:cleric", kit=True)
    rig.player("dov", "causeway", "hollowmere:fighter", kit=True)
    out = call(rig.world, "mira", "South, then. Follow me.")
    assert out.lines("dov")[0] == "Mira says, 'South, then. Follow me.'", out.lines("dov")
    assert rig.world.chars["mira"].room == "hollowmere:reed_path"


@pytest.mark.parametrize(
    "line",
    [
        # Found in review: each said to the room, and the innkeeper silent.
        "Edda lodged upstairs, didn't she?",
        "so the cartographer lodged upstairs, didn't she?",
    ],
)
def test_a_tagged_question_of_someone_of_the_world_is_asked(line: str) -> None:
    rig = _two_in_the_tavern()
    out = call(rig.world, "dov", line)
    assert out.lines("mira")[0].startswith("Dov asks Bessa Thorn, '"), out.lines("mira")


def test_a_tagged_question_in_a_talk_is_the_talks_and_a_phones_apostrophe_is_one() -> None:
    rig = _two_in_the_tavern()
    asked = "bessa, where did edda go?"
    call(rig.world, "mira", asked)
    out = call(rig.world, "mira", "Strange business, isn't it?", recent=[asked])
    assert out.lines("mira")[0] == "You ask Bessa Thorn, 'Strange business, isn't it?'"
    assert tagged("Dreadful night, isn\u2019t it?")
    out = call(rig.world, "dov", "Dreadful night, isn\u2019t it?")
    assert out.lines("mira") == ["Dov says, 'Dreadful night, isn\u2019t it?'"]


def test_thank_you_all_is_everyones_and_a_name_is_named_whole() -> None:
    rig = _in_the_loft()
    asked = "crake, is the key yours?"
    call(rig.world, "mira", asked)
    out = call(rig.world, "mira", "thank you both", recent=[asked])
    assert out.lines("mira") == ["You give thanks."]
    # "the old sacks" names no "old man" (found in review: Crake thanked).
    out = call(rig.world, "mira", "thank you", recent=["look at the old sacks"])
    assert out.lines("mira") == ["You give thanks."]


@pytest.mark.parametrize("line", ["easy, everyone. no sudden moves", "Easy does it"])
def test_calming_words_to_ones_own_company_are_the_rooms(line: str) -> None:
    rig = _in_the_loft()
    out = call(rig.world, "mira", line)
    assert out.lines("dov") == [f"Mira says, '{line}'"], out.lines("dov")


def test_the_cellar_steps_are_not_climbed_up() -> None:
    # Found in review: "*climbs the cellar steps*" walked up to the landing.
    rig = _two_in_the_tavern()
    call(rig.world, "mira", "*climbs the cellar steps*")
    assert rig.world.chars["mira"].room != "hollowmere:loft_landing"


@pytest.mark.parametrize(
    "line",
    [
        "*nods to Crake and Mira, then picks up the key*",
        "*looks at Crake and the key, then takes it*",
    ],
)
def test_a_look_at_two_and_then_a_deed_does_it(line: str) -> None:
    rig = _in_the_loft()
    out = call(rig.world, "dov", line)
    held = [t.name for t in search.carried(rig.world, rig.world.chars["dov"])]
    assert "rusty key" in held, out.lines("dov")


def test_how_one_does_a_command_that_would_not_take_it_is_the_commands() -> None:
    # Played on the reed path: "*picks up the potion and drinks it, grimacing*" drank it,
    # then read "You try to grimacing.", narrated as a deed.
    rig = EngineRig()
    rig.player("mira", "reed_path", "hollowmere:cleric", kit=True)
    rig.apply([CharUpdate("mira", hp=3)])
    rig.world.spawn_item("hollowmere:healing_potion", "room:hollowmere:reed_path")
    out = call(rig.world, "mira", "*picks up the potion and drinks it, grimacing*", dice=[2, 2])
    assert any(seen.startswith("You drink a potion of healing") for seen in out.lines("mira"))
    assert not any("grimacing" in seen for seen in out.lines("mira")), out.lines("mira")
    assert not [a for a in out.of(AskNarration) if a.kind == "action"]


def test_rising_as_one_does_something_stands_and_shows_it_whole() -> None:
    # Played on the bench by the fire: "*rises, buckling on her mace*" read "You act:
    # rises, buckling on her mace", narrated as a deed, and she stayed seated.
    rig = _two_in_the_tavern()
    call(rig.world, "mira", "sit by the fire")
    out = call(rig.world, "mira", "*rises, buckling on her mace*")
    assert out.lines("dov") == ["Mira rises, buckling on her mace."], out.lines("dov")
    assert not rig.world.chars["mira"].pose.startswith("sitting"), rig.world.chars["mira"].pose
    out = call(rig.world, "mira", "*sits by the fire, sighing*")
    assert out.lines("dov") == ["Mira sits by the fire, sighing."]
    assert rig.world.chars["mira"].pose.startswith("sitting")


@pytest.mark.parametrize("line", ["*goes down the steps first*", "go down first"])
def test_a_member_who_goes_down_first_leads_the_group_down(line: str) -> None:
    # Played at the sunken shrine: Tobias's "*draws his sword and goes down the steps
    # first*" took him down alone, and he met the Drowned Warden without Marigold.
    rig = EngineRig()
    rig.player("mira", "sunken_shrine", "hollowmere:cleric", kit=True)
    rig.player("dov", "sunken_shrine", "hollowmere:fighter", kit=True)
    call(rig.world, "mira", "group invite dov")
    call(rig.world, "dov", "group accept")
    call(rig.world, "mira", "turn the lantern", dice=[20])
    out = call(rig.world, "dov", line)
    assert "Dov takes the lead; you follow Dov now." in out.lines("mira"), out.lines("mira")
    assert rig.world.chars["mira"].room == rig.world.chars["dov"].room == "hollowmere:drowned_stair"
    # Alone, "first" is no part of the way.
    rig = EngineRig()
    rig.player("dov", "common_room", "hollowmere:fighter", kit=True)
    call(rig.world, "dov", "go up first")
    assert rig.world.chars["dov"].room == "hollowmere:loft_landing"


@pytest.mark.parametrize(
    "line", ['"Ysolde, bless his blade!"', "Ysolde,  bless  his  sword arm!", "Ysolde, bless her!"]
)
def test_a_prayer_for_him_blesses_the_one_other_player_here(line: str) -> None:
    # Played at the Drowned Warden: Marigold's '"Ysolde, bless his blade!"' on her turn
    # read "You see no 'his blade' here.", and Tobias fought unblessed.
    rig = _two_in_the_tavern()
    out = call(rig.world, "mira", line)
    assert "You use Lamp-Blessing on Dov: Dov is blessed for 3 rounds" in out.lines("mira"), (
        out.lines("mira")
    )


def _on_the_stair() -> EngineRig:
    """Mira and Dov on the Drowned Stair, its Warden beaten, the locket on the heap."""
    rig = EngineRig()
    rig.player("mira", "drowned_stair", "hollowmere:cleric", kit=True)
    rig.player("dov", "drowned_stair", "hollowmere:fighter", kit=True)
    for npc in rig.world.npcs.values():
        if npc.room == "hollowmere:drowned_stair":
            npc.alive = False
    return rig


@pytest.mark.parametrize(
    "line",
    [
        "*kneels among the left-behind things and lifts the tarnished locket, turning it"
        " over in her palm*",
        "lift the locket",
    ],
)
def test_a_thing_lying_here_lifted_is_taken_up(line: str) -> None:
    # Played on the Drowned Stair: a STR check, failed, and the locket left lying.
    rig = _on_the_stair()
    out = call(rig.world, "mira", line, dice=[3])
    held = [t.name for t in search.carried(rig.world, rig.world.chars["mira"])]
    assert "tarnished locket" in held, out.lines("mira")
    assert not any("STR check" in seen for seen in out.lines("mira")), out.lines("mira")


def test_raising_the_hooded_lantern_takes_it_and_hoods_nothing() -> None:
    # Tried: "raise the hooded lantern high" read "You drop the hood over the lantern",
    # the verb "hood" found in its own name.
    rig = _two_in_the_tavern()
    out = call(rig.world, "mira", "raise the hooded lantern high")
    assert out.lines("mira") == ["You pick up a hooded lantern."], out.lines("mira")


def test_a_guess_of_whose_a_thing_is_is_put_to_the_others() -> None:
    # Played: "*picks up the drowned iron key* Edda's?" was asked of the DM, who told where
    # Edda kept her notes.
    rig = _on_the_stair()
    out = call(rig.world, "dov", "*picks up the tarnished locket* Edda's?")
    assert out.lines("mira") == ["Dov picks up a tarnished locket.", "Dov says, 'Edda's?'"], (
        out.lines("mira")
    )


def test_a_rest_proposed_before_more_words_is_called_by_a_yes() -> None:
    # Played on the Drowned Stair: ':sits on the bottom step. "We rest before that door.
    # I am not walking in there like this."', and Tobias's "*nods* Aye." rested no one.
    rig = _on_the_stair()
    rig.apply([CharUpdate("mira", hp=4), CharUpdate("dov", hp=5)])
    call(rig.world, "mira", "group invite dov")
    call(rig.world, "dov", "group accept")
    line = (
        ':sits on the bottom step. "We rest before that door. I am not walking in there like this."'
    )
    call(rig.world, "mira", line)
    call(rig.world, "dov", "*nods* Aye.", dice=[4, 4])
    assert rig.world.chars["mira"].hp > 4 and rig.world.chars["dov"].hp > 5


@pytest.mark.parametrize(
    ("line", "shown"),
    [
        (':offers Edda his arm. "Forty paces, you said."', "Dov offers Edda his arm."),
        ("*offers Mira his hand*", "Dov offers you his hand."),
    ],
)
def test_a_gesture_made_to_someone_with_ones_own_body_is_a_pose(line: str, shown: str) -> None:
    # Played in the Bell Chamber: ':offers Edda his arm. "Forty paces, you said. ..."'
    # read "You try to offer Edda your arm.", narrated as a deed.
    rig = EngineRig()
    rig.player("mira", "bell_chamber", "hollowmere:cleric", kit=True)
    rig.player("dov", "bell_chamber", "hollowmere:fighter", kit=True)
    out = call(rig.world, "dov", line)
    assert out.lines("mira")[0] == shown, out.lines("mira")
    assert not [a for a in out.of(AskNarration) if a.kind == "action"]


@pytest.mark.parametrize(
    "line", ["*holds up her mace* Home, then. Follow the light.", "Home, then.", "home"]
)
def test_home_said_by_one_bringing_edda_walks_her_home(line: str) -> None:
    # Played in the Bell Chamber, Edda going with Marigold: "*holds the saint's lantern
    # high* Home, then. Follow the light." read "You act: Home, then. Follow the light.".
    rig = EngineRig()
    rig.player("mira", "bell_chamber", "hollowmere:cleric", kit=True)
    rig.player("dov", "bell_chamber", "hollowmere:fighter", kit=True)
    rig.apply(
        [CharUpdate("mira", quests={"hollowmere:the_lamplighter": -1, "hollowmere:homecoming": 0})]
    )
    call(rig.world, "mira", "escort edda")
    assert "hollowmere:edda_venn" in rig.world.escorts
    out = call(rig.world, "mira", line)
    assert rig.world.chars["mira"].room != "hollowmere:bell_chamber", out.lines("mira")
    assert not any("act:" in seen or "try to" in seen for seen in out.lines("mira"))
    if "light" in line:
        said = out.lines("mira").index("You say, 'Home, then. Follow the light.'")
        assert said < next(
            i for i, seen in enumerate(out.lines("mira")) if "Hall of Lanterns" in seen
        )


def test_home_said_by_one_who_follows_is_put_to_the_leader() -> None:
    # Played: Tobias led; Marigold's "Home, then. Follow the light." walked her and Edda
    # off alone, and Tobias stood in the Bell Chamber.
    rig = EngineRig()
    rig.player("mira", "bell_chamber", "hollowmere:cleric", kit=True)
    rig.player("dov", "bell_chamber", "hollowmere:fighter", kit=True)
    rig.apply(
        [CharUpdate("mira", quests={"hollowmere:the_lamplighter": -1, "hollowmere:homecoming": 0})]
    )
    for npc in rig.world.npcs.values():
        if npc.room == "hollowmere:lantern_hall":
            npc.alive = False
    call(rig.world, "dov", "group invite mira")
    call(rig.world, "mira", "group accept")
    call(rig.world, "mira", "escort edda")
    out = call(rig.world, "mira", "Home, then. Follow the light.")
    assert out.lines("dov") == ["Mira says, 'Home, then. Follow the light.'"], out.lines("dov")
    assert rig.world.chars["mira"].room == "hollowmere:bell_chamber"
    call(rig.world, "dov", "aye")
    assert rig.world.chars["mira"].room == rig.world.chars["dov"].room != "hollowmere:bell_chamber"
    assert rig.world.npcs["hollowmere:edda_venn"].room == rig.world.chars["mira"].room


def test_the_quest_log_says_where_the_one_to_bring_home_was_left() -> None:
    # Played: Marigold fell on the reed path bringing Edda home and woke in the tavern;
    # nothing told her where Edda was.
    rig = EngineRig()
    rig.player("mira", "common_room", "hollowmere:cleric", kit=True)
    rig.apply(
        [CharUpdate("mira", quests={"hollowmere:the_lamplighter": -1, "hollowmere:homecoming": 0})]
    )
    rig.apply([NpcUpdate("hollowmere:edda_venn", room="hollowmere:reed_path")])
    out = call(rig.world, "mira", "what now?")
    assert out.lines("mira")[-1].endswith(
        "(Edda Venn is on the Reed-Marsh Path: the way lies south three times from here.)"
    ), out.lines("mira")


@pytest.mark.parametrize(
    ("room", "line", "found"),
    [
        # Found in review: a pose only, the packet and the stair's clue lost.
        (
            "common_room",
            "*kneels by the hearth, searching the stones*",
            "An oilcloth packet is uncovered!",
        ),
        ("sunken_shrine", "*kneels before the altar, praying to the saint*", "the bell answers"),
    ],
)
def test_a_posture_while_doing_what_the_rules_try_still_does_it(
    room: str, line: str, found: str
) -> None:
    rig = EngineRig()
    rig.player("mira", room, "hollowmere:cleric", kit=True)
    rig.player("dov", room, "hollowmere:fighter", kit=True)
    out = call(rig.world, "mira", line, dice=[15])
    assert any(found in seen for seen in out.lines("mira")), out.lines("mira")
    assert not any("try to searching" in seen for seen in out.lines("mira")), out.lines("mira")


@pytest.mark.parametrize(
    ("room", "line"), [("common_room", "raise my hood"), ("chapel_crypt", "raise my mace high")]
)
def test_ones_own_thing_raised_takes_nothing_lying_here(room: str, line: str) -> None:
    # Found in review: "raise my hood" took the hooded lantern; "raise my mace high" the
    # mace lying in the crypt.
    rig = EngineRig()
    rig.player("mira", room, "hollowmere:cleric", kit=True)
    before = len(rig.world.chars["mira"].inventory)
    out = call(rig.world, "mira", line)
    assert len(rig.world.chars["mira"].inventory) == before, out.lines("mira")


@pytest.mark.parametrize(
    "line",
    [
        "We should rest. But not here, it's too open.",
        "We rest when Edda is home. Not before.",
        "We camp at the shrine tonight. South, come on.",
    ],
)
def test_a_rest_put_off_is_no_rest_proposed(line: str) -> None:
    rig = EngineRig()
    rig.player("mira", "crossroads", "hollowmere:cleric", kit=True)
    rig.player("dov", "crossroads", "hollowmere:fighter", kit=True)
    rig.apply([CharUpdate("mira", hp=3)])
    call(rig.world, "mira", line)
    call(rig.world, "dov", "agreed", dice=[4, 4])
    assert rig.world.chars["mira"].hp == 3


def test_a_guess_of_whose_in_a_talk_is_put_to_the_one_talked_with() -> None:
    rig = _two_in_the_tavern()
    asked = "ask bessa about the lantern"
    call(rig.world, "mira", asked)
    out = call(rig.world, "mira", "yours?", recent=[asked])
    assert out.lines("mira")[0] == "You ask Bessa Thorn, 'Yours?'", out.lines("mira")


def test_home_with_the_one_brought_left_behind_says_where_they_are() -> None:
    # Found in review: "Home, then." walked home, Edda left on the reed path.
    rig = EngineRig()
    rig.player("mira", "bell_chamber", "hollowmere:cleric", kit=True)
    rig.apply(
        [CharUpdate("mira", quests={"hollowmere:the_lamplighter": -1, "hollowmere:homecoming": 0})]
    )
    call(rig.world, "mira", "escort edda")
    rig.apply([NpcUpdate("hollowmere:edda_venn", room="hollowmere:reed_path")])
    out = call(rig.world, "mira", "Home, then.")
    assert out.lines("mira") == ["Edda Venn is not with you: Edda Venn is on the Reed-Marsh Path."]
    assert rig.world.chars["mira"].room == "hollowmere:bell_chamber"


@pytest.mark.parametrize("line", ["I'll go up first", "*goes up the stairs first, sword drawn*"])
def test_going_up_first_in_ones_own_words_leads(line: str) -> None:
    rig = _two_in_the_tavern()
    call(rig.world, "mira", "group invite dov")
    call(rig.world, "dov", "group accept")
    out = call(rig.world, "dov", line)
    assert "Dov takes the lead; you follow Dov now." in out.lines("mira"), out.lines("mira")
    assert rig.world.chars["mira"].room == "hollowmere:loft_landing"


def test_going_down_first_to_a_locked_door_takes_no_lead() -> None:
    rig = EngineRig()
    rig.player("mira", "cellar", "hollowmere:cleric", kit=True)
    rig.player("dov", "cellar", "hollowmere:fighter", kit=True)
    call(rig.world, "mira", "group invite dov")
    call(rig.world, "dov", "group accept")
    out = call(rig.world, "dov", "go down first")
    assert not any("takes the lead" in seen for seen in out.lines("mira")), out.lines("mira")
    assert rig.world.groups.get("dov") == "mira"


@pytest.mark.parametrize(
    "line", ["walk with me?", "Dov. Walk with me?", "Thank you. Dov. Walk with me?"]
)
def test_walk_with_me_alone_or_after_ones_name_invites(line: str) -> None:
    # Played after the last commit of the round: Brannoc's "*nods to Isolde* Thank you.
    # Brannoc. Walk with me?" was asked of the DM ("Bessa Thorn, here, might know more of
    # that."); tried: "walk with me?" read "'with me' is not a direction.".
    rig = _two_in_the_tavern()
    out = call(rig.world, "dov", line)
    assert "You invite Mira to your group." in out.lines("dov"), out.lines("dov")


@pytest.mark.parametrize(
    "line",
    [
        "head to the chapel",
        "head over to the chapel",
        "make my way to the chapel",
        "hurry to the chapel",
        "kneel, head to the chapel",
    ],
)
def test_setting_off_to_a_place_in_ones_own_words_walks_there(line: str) -> None:
    # Found closing the round: "kneel, head to the chapel" knelt and read "You try to head
    # to the chapel.", and "head to the chapel" alone was a deed.
    rig = EngineRig()
    rig.player("dov", "crossroads", "hollowmere:fighter", kit=True)
    out = call(rig.world, "dov", line)
    assert rig.world.chars["dov"].room == "hollowmere:chapel", out.lines("dov")
