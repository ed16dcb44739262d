"""Taking up a group's story (mud.engine.story): one who joins a group further along
the world's quests is told so, and 'catch up' sets their quests where the leader (or a
member named) stands, with none of the rewards. Through tests/call.py on the bundled
campaign."""

from __future__ import annotations

from call import call

from mud.engine import story
from tests.enginerig import EngineRig

H = "hollowmere:"
AT_THE_SHRINE = {H + "missing_cartographer": -1, H + "under_the_town": -1, H + "sunken_shrine": 1}


def _party_at_the_shrine() -> EngineRig:
    """Wren (leading) and Hale at the sunken shrine, two quests done and the third at
    its second step; Pim, new, beside them, in no group."""
    rig = EngineRig()
    for key in ("wren", "hale", "pim"):
        rig.player(key, "sunken_shrine", kit=True)
    for key in ("wren", "hale"):
        rig.world.chars[key].quests = dict(AT_THE_SHRINE)
    call(rig.world, "wren", "invite hale")
    call(rig.world, "hale", "accept")
    return rig


def test_one_who_joins_a_group_further_along_is_told_how_to_catch_up() -> None:
    # Played: Pim joined Wren's group at the shrine, and his journal sent him up to
    # Edda's room, the campaign his alone to play from its start.
    rig = _party_at_the_shrine()
    world = rig.world
    assert set(story.ahead(world, world.chars["pim"], world.chars["wren"])) == set(AT_THE_SHRINE)
    call(world, "wren", "invite pim")
    seen = call(world, "pim", "yes").lines("pim")
    assert seen[-1] == (
        "(Wren is further along the story than you: 'catch up' takes it up where Wren"
        " stands, without the rewards of what was done before you came.)"
    ), seen
    pim = world.chars["pim"]
    xp, gold = pim.xp, pim.gold
    out = call(world, "pim", "catch up")
    assert " ".join(out.text("pim").split()) == (
        "You take up Wren's story: The Missing Cartographer and Under the Town done; The"
        " Sunken Shrine: The saint's altar is worn smooth by hands. Search it for the way"
        " down. (What was done before you came gives you nothing.)"
    ), out.lines("pim")
    assert out.lines("hale") == ["Pim takes up the story with the group."]
    assert pim.quests == AT_THE_SHRINE
    assert (pim.xp, pim.gold) == (xp, gold)  # no rewards
    # Caught up, there is nothing more to take up; what is shared from now on is his.
    assert call(world, "pim", "catch up").lines("pim") == [
        "Wren is no further along the story than you."
    ]


def test_catching_up_with_a_member_named_and_who_cannot() -> None:
    rig = _party_at_the_shrine()
    world = rig.world
    assert call(world, "pim", "catch up").lines("pim") == [
        "Catch up with whom? You are in no group: join one first."
    ]
    call(world, "wren", "invite pim")
    call(world, "pim", "group accept")
    # A member further on than the leader may be the one caught up with.
    world.chars["hale"].quests = {**AT_THE_SHRINE, H + "sunken_shrine": -1}
    call(world, "pim", "catch up with hale")
    assert world.chars["pim"].quests[H + "sunken_shrine"] == -1
    assert call(world, "pim", "catchup with tobin").lines("pim") == [
        "No one called 'tobin' is in your group."
    ]
    # The leader behind a member takes it up from the one furthest along (played,
    # round 63: Mira led past the landing her story still asked for, and her 'catch up'
    # was "You lead the group: the story is where you stand.", Jonah further on).
    led = call(world, "wren", "catch up").lines("wren")
    assert led[0].startswith("You take up Hale's story: "), led
    assert world.chars["wren"].quests[H + "sunken_shrine"] == -1
    assert call(world, "wren", "catch up").lines("wren") == [
        "You lead the group, and no one in it is further along the story than you."
    ]
    # A quest of one's own further on than the leader's stays where it is.
    world.chars["wren"].quests = dict(AT_THE_SHRINE)
    mine = {**AT_THE_SHRINE, H + "sunken_shrine": -1}
    world.chars["pim"].quests = dict(mine)
    assert call(world, "pim", "catch up").lines("pim") == [
        "Wren is no further along the story than you."
    ]
    assert world.chars["pim"].quests == mine
    # Words that only open with "catch" are no catching up.
    seen = call(world, "pim", "catch the falling lantern").lines("pim")
    assert not any("story" in line for line in seen), seen


def test_a_story_played_to_its_end_is_not_taken_up() -> None:
    # Played: Tansy, new, joined Sorrel's group after it had brought Edda home, and was
    # offered 'catch up', which would have finished the campaign for her unplayed.
    rig = _party_at_the_shrine()
    world = rig.world
    every = {quest: -1 for quest in world.templates.quests}
    world.chars["wren"].quests = dict(every)
    assert story.told_to_the_end(world, world.chars["wren"])
    assert not story.told_to_the_end(world, world.chars["hale"])
    call(world, "wren", "invite pim")
    seen = call(world, "pim", "yes").lines("pim")
    assert seen[-1] == (
        "(Wren has played the whole story; yours is still before you ('journal'), and the"
        " group can play it with you.)"
    ), seen
    assert call(world, "pim", "catch up").lines("pim") == [
        "Wren has played the whole story: there is nothing left in it to take up. Yours is"
        " still before you ('journal'); the group can play it with you."
    ]
    assert world.chars["pim"].quests == {}
    # A member still on the way may be caught up with.
    call(world, "pim", "catch up with hale")
    assert world.chars["pim"].quests == AT_THE_SHRINE


def test_the_leader_catches_up_with_the_member_furthest_along_who_has_not_played_it_all() -> None:
    # Found in review: the leader's 'catch up' picked the member who had played the whole
    # story, and was refused, a member still in it beside.
    rig = _party_at_the_shrine()
    world = rig.world
    call(world, "wren", "invite pim")
    call(world, "pim", "group accept")
    world.chars["wren"].quests = {}
    world.chars["hale"].quests = {quest: -1 for quest in world.templates.quests}
    world.chars["pim"].quests = dict(AT_THE_SHRINE)
    led = call(world, "wren", "catch up").lines("wren")
    assert led[0].startswith("You take up Pim's story: "), led
    assert world.chars["wren"].quests == AT_THE_SHRINE
