"""A group talks, hands the lead on and puts a member out: ``gtell`` (``gt``, ``gsay``,
``group say``), ``group leader``, the lead handed over by words said aloud, and ``group
kick`` (mud.engine.party, through tests/enginerig.py); the group channel's GMCP package
reaches only the group (the hub, tests/hubrig.py); and over real telnet and SSH, a group
talks across rooms and the one handed the lead is followed (tests/mudclient.py)."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest
from hubrig import Rig
from mudclient import make_config, running_server, telnet_and_ssh
from test_gmcp_state import channel, sync

from mud.engine import party
from mud.engine.effects import LogChat
from tests.enginerig import EngineRig


def _group_of_three(rig: EngineRig) -> None:
    """Ann leads Bob and Cal, all three in the common room."""
    for key in ("ann", "bob", "cal"):
        rig.player(key, "common_room")
    for key in ("bob", "cal"):
        rig.apply(rig.run("ann", f"group invite {key}"))
        rig.apply(rig.run(key, "group accept"))
    assert party.members(rig.world, "ann") == ["ann", "bob", "cal"]


def test_come_with_me_asked_of_ones_group_is_theirs() -> None:
    # Played (round 52), Edda home: Wren's "I'll take the lantern to Sister Aldith. Come
    # with me?" was asked of the DM ("No answer to that comes yet"), and Brannoc's "sure"
    # went to Edda.
    rig = EngineRig()
    _group_of_three(rig)
    for line in ("I'll take the lantern to Sister Aldith. Come with me?", "come along?"):
        effects = rig.run("cal", line)
        assert rig.seen("ann", effects) == [f"Cal says, '{line}'"], line


@pytest.mark.parametrize(
    "line",
    [
        "gtell ready when you are",
        "gt ready when you are",
        "gsay ready when you are",
        "group say ready when you are",
        "party tell ready when you are",
    ],
)
def test_the_group_hears_its_talk_wherever_it_is_and_no_one_else_does(line: str) -> None:
    rig = EngineRig()
    _group_of_three(rig)
    rig.world.move("cal", "hollowmere:crossroads")  # away from the others
    rig.player("dan", "common_room")  # beside the speaker, not in the group
    effects = rig.run("bob", line)
    said = "'ready when you are'"
    assert rig.seen("bob", effects) == [f"You tell the group, {said}"]
    assert rig.seen("ann", effects) == [f"Bob tells the group, {said}"]
    assert rig.seen("cal", effects) == [f"Bob tells the group, {said}"]
    assert rig.seen("dan", effects) == []
    logged = [e for e in effects if isinstance(e, LogChat)]
    room = "hollowmere:common_room"
    assert logged == [LogChat("group", room, "Bob", "Ann", "ready when you are")]


def test_group_talk_without_a_group_or_words_is_refused_and_markup_is_shown_as_typed() -> None:
    rig = EngineRig()
    rig.player("ann", "common_room")
    assert rig.seen("ann", rig.run("ann", "gt hello?")) == [
        "You are not in a group: 'tell <player>' talks to one player."
    ]
    rig2 = EngineRig()
    _group_of_three(rig2)
    assert rig2.seen("ann", rig2.run("ann", "gt   ")) == [
        "Usage: gtell <message> (or: group say <message>)"
    ]
    effects = rig2.run("ann", "gt {bad}red{/}")
    assert rig2.seen("cal", effects) == ["Ann tells the group, '{bad}red{/}'"]


def test_alone_in_the_game_the_speaker_is_told_no_one_heard() -> None:
    rig = EngineRig()
    _group_of_three(rig)
    for key in ("bob", "cal"):
        del rig.world.chars[key]  # out of the game; the group outlives it
    assert rig.seen("ann", rig.run("ann", "gt anyone?")) == [
        "You tell the group, 'anyone?' (no one else of it is in the game to hear it)"
    ]


def test_the_leader_hands_the_lead_on_and_everyone_follows_the_new_leader() -> None:
    rig = EngineRig()
    _group_of_three(rig)
    rig.player("dan", "common_room")
    rig.apply(rig.run("ann", "invite dan"))  # an invitation of Ann's, still open
    effects = rig.run("ann", "group leader bob")
    assert rig.seen("ann", effects) == ["You hand the lead to Bob, and follow Bob now."]
    assert rig.seen("bob", effects) == ["Ann hands you the lead: the group follows you."]
    assert rig.seen("cal", effects) == ["Ann hands the lead to Bob; you follow Bob now."]
    rig.apply(effects)
    world = rig.world
    assert party.members(world, "cal") == ["bob", "ann", "cal"]
    assert world.following == {"ann": "bob", "cal": "bob"}
    assert world.invites == {"dan": "bob"}  # Dan's yes now joins Bob's group
    rig.apply(rig.run("dan", "group accept"))
    assert party.members(world, "dan") == ["bob", "ann", "cal", "dan"]
    # Walking, the new leader takes everyone along.
    moved = rig.run("bob", "south")
    rig.apply(moved)
    assert {world.chars[k].room for k in ("ann", "bob", "cal", "dan")} == {"hollowmere:crossroads"}


def test_only_the_leader_hands_on_the_lead_and_only_to_a_member() -> None:
    rig = EngineRig()
    _group_of_three(rig)
    rig.player("dan", "common_room")
    assert rig.seen("bob", rig.run("bob", "group leader cal")) == [
        "Only the leader, Ann, can do that."
    ]
    assert rig.seen("ann", rig.run("ann", "group leader dan")) == [
        "No one in your group is called 'dan'."
    ]
    assert rig.seen("ann", rig.run("ann", "group leader ann")) == [
        "That is you: 'group leave' leaves the group."
    ]
    assert rig.seen("ann", rig.run("ann", "group leader")) == ["Usage: group leader <player>"]


@pytest.mark.parametrize(
    "line",
    [
        "bob, you take the lead",
        "you lead, bob",
        "lead the way, bob",
        "say to bob you're in charge now",
        "take the lead, bob",
        "sure, you lead, bob",
        # Played: said to the room, then to him, and the lead stayed.
        "you've got the key. lead the way, bob",
        # Played: said, and the leader stayed as the rogue went down alone.
        "after you, bob. I'll be right behind",
        "you first, bob",
    ],
)
def test_the_lead_is_handed_on_by_words_said_to_a_member(line: str) -> None:
    rig = EngineRig()
    _group_of_three(rig)
    effects = rig.run("ann", line)
    assert "Ann hands you the lead: the group follows you." in rig.seen("bob", effects)
    rig.apply(effects)
    assert party.members(rig.world, "ann")[0] == "bob"


@pytest.mark.parametrize(
    "who, line",
    [
        ("ann", "don't take the lead, bob"),
        ("ann", "bob, will you take the lead?"),
        ("ann", "you take the lead"),  # two members here: which one?
        ("bob", "cal, you take the lead"),  # not the leader's to give
        ("ann", "the lead is heavy, bob"),
    ],
)
def test_words_that_do_not_hand_on_the_lead(who: str, line: str) -> None:
    rig = EngineRig()
    _group_of_three(rig)
    rig.apply(rig.run(who, line))
    assert party.members(rig.world, "ann") == ["ann", "bob", "cal"]


def test_words_to_the_only_member_here_hand_them_the_lead() -> None:
    rig = EngineRig()
    _group_of_three(rig)
    rig.world.move("cal", "hollowmere:crossroads")
    rig.apply(rig.run("ann", "you take the lead"))
    assert party.members(rig.world, "cal")[0] == "bob"


def test_the_leader_puts_a_member_out_and_the_last_two_end_the_group() -> None:
    rig = EngineRig()
    _group_of_three(rig)
    effects = rig.run("ann", "group kick cal")
    assert rig.seen("cal", effects) == ["Ann puts you out of the group."]
    assert rig.seen("bob", effects) == ["Ann puts Cal out of the group."]
    rig.apply(effects)
    assert party.members(rig.world, "ann") == ["ann", "bob"]
    assert "cal" not in rig.world.following
    assert rig.seen("bob", rig.run("bob", "group kick ann")) == [
        "Only the leader, Ann, can do that."
    ]
    effects = rig.run("ann", "group kick bob")
    assert rig.seen("ann", effects) == ["You put Bob out; the group is disbanded."]
    rig.apply(effects)
    assert rig.world.groups == {} and rig.world.following == {}


async def test_the_group_channel_package_goes_to_the_group_only(rig: Rig) -> None:
    alice = await rig.create("Alice")
    bob = await rig.create("Bob")
    carol = await rig.create("Carol")
    await rig.line(alice, "group invite bob")
    await bob.expect("invites you")
    await rig.line(bob, "group accept")
    await alice.expect("Bob joins the group.")
    for session in (alice, bob, carol):
        await sync(rig, session)
        session.packages.clear()
    await rig.line(bob, "gt the cellar next?")
    await alice.expect("Bob tells the group, 'the cellar next\\?'")
    for session in (alice, bob, carol):
        await sync(rig, session)
    package = (
        "Comm.Channel.Text",
        {"channel": "group", "talker": "Bob", "text": "the cellar next?"},
    )
    for session in (alice, bob):
        assert channel(session) == [package]
    assert channel(carol) == []
    assert "cellar next" not in carol.text


async def test_over_telnet_and_ssh_a_group_talks_across_rooms_and_follows_its_new_leader(
    tmp_path: Path,
) -> None:
    config = make_config(tmp_path)
    async with running_server(config) as srv:
        ann, bob = await telnet_and_ssh(srv.telnet_port, srv.ssh_port)
        ann.send("invite bob")
        await bob.expect("Ann invites you to join the group")
        bob.send("sure")
        await ann.expect("Bob joins the group.")
        bob.send("follow")  # Bob stops following and walks off alone
        await bob.expect("You stop following Ann.")
        bob.send("south")
        await bob.expect("Crossroads[\\s\\S]*?Exits:")
        ann.send("gt where are you?")
        await ann.expect("You tell the group, 'where are you\\?'")
        await bob.expect("Ann tells the group, 'where are you\\?'")
        bob.send("north")
        await ann.expect("Bob arrives")
        ann.send("bob, you take the lead")
        await bob.expect("Ann hands you the lead: the group follows you.")
        await ann.expect("You hand the lead to Bob, and follow Bob now.")
        bob.send("south")
        await ann.expect("You follow Bob south.")
        await ann.expect("Crossroads[\\s\\S]*?Exits:")
        await ann.close()
        await bob.close()
    with sqlite3.connect(tmp_path / "mud.db") as conn:
        rows = conn.execute("SELECT kind, speaker, target, text FROM chat_log").fetchall()
    assert ("group", "Ann", "Ann", "where are you?") in rows


def test_a_leader_who_followed_the_one_joining_stops_following_them() -> None:
    rig = EngineRig()
    rig.player("ann", "common_room")
    rig.player("bob", "common_room")
    rig.apply(rig.run("ann", "follow bob"))
    rig.apply(rig.run("ann", "group invite bob"))
    rig.apply(rig.run("bob", "group accept"))
    assert rig.world.following == {"bob": "ann"}


def test_a_group_mate_called_by_name_from_another_room_is_shouted_to() -> None:
    # Played (round 63): Jonah, gone ahead into a fight with a drowned eel-catcher,
    # typed "mira help!! theres a zombie thing": "You are in a fight: ...", and out of
    # a fight it was "You try to mira help!! ...".
    from call import call
    from enginerig import EngineRig

    rig = EngineRig()
    rig.player("jonah", "smugglers_tunnel", "hollowmere:cleric", kit=True)
    rig.player("mira", "smugglers_tunnel", "hollowmere:rogue", kit=True)
    rig.player("bob", "smugglers_tunnel", kit=True)
    call(rig.world, "mira", "invite jonah")
    call(rig.world, "jonah", "group accept")
    call(rig.world, "jonah", "south")
    assert rig.world.fights.get("hollowmere:eel_landing") is not None
    for line in ("mira help!! theres a zombie thing", "MIRA!", "mira you there?"):
        out = call(rig.world, "jonah", line)
        assert out.lines("jonah") == [
            f"You shout, '{line}'",
            "Mira is not here: in the Smugglers' Tunnel.",
        ], out.lines("jonah")
        assert out.lines("mira") == [f"You hear Jonah shout from the south, '{line}'"]
    # Not one outside the group (Bob), nor one here.
    out = call(rig.world, "jonah", "bob help")
    assert not any("shout" in s for s in out.lines("jonah")), out.lines("jonah")


def test_a_mates_name_that_is_a_word_is_no_call_and_a_call_tells_where_they_are() -> None:
    # Found in review: with a mate called Will one room away, "will you be ok?" was
    # shouted; and "mira, where are you?" lost the line saying where she is.
    from call import call
    from enginerig import EngineRig

    rig = EngineRig()
    rig.player("jonah", "common_room", "hollowmere:cleric", kit=True)
    rig.player("will", "common_room", kit=True)
    rig.player("mira", "common_room", "hollowmere:rogue", kit=True)
    call(rig.world, "jonah", "invite will and mira")
    call(rig.world, "will", "group accept")
    call(rig.world, "mira", "group accept")
    rig.world.move("will", "hollowmere:cellar")
    rig.world.move("mira", "hollowmere:cellar")
    for line in ("will you be ok?", "will you come down here?"):
        seen = call(rig.world, "jonah", line).lines("jonah")
        assert not any("shout" in s for s in seen), (line, seen)
    out = call(rig.world, "jonah", "mira, where are you?")
    assert out.lines("jonah") == [
        "You shout, 'mira, where are you?'",
        "Mira is not here: in the Lantern Cellar.",
    ], out.lines("jonah")
    assert out.lines("mira") == ["You hear Jonah shout from above, 'mira, where are you?'"]
