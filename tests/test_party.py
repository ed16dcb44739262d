"""Parties (mud.engine.party): pure tests of shares, follow and group, moving together,
shared finds and fights, through tests/enginerig.py."""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from mud.core.narration import actors
from mud.core.ops import DeleteParty, PutParty
from mud.engine import fight, party
from mud.engine.effects import (
    AskNarration,
    CharUpdate,
    Gain,
    Move,
    PartyUpdate,
    QuestEvents,
    SpawnItem,
    Then,
)
from mud.engine.state import Character, World
from mud.hub import narration
from tests.call import call
from tests.enginerig import EngineRig, ScriptedRng
from tests.hubrig import make_rig

H = "hollowmere:"


@given(st.integers(0, 10_000), st.integers(1, 8), st.integers(0, 50))
def test_a_split_loses_nothing_and_shares_differ_by_at_most_one(
    total: int, count: int, turn: int
) -> None:
    got, nxt = party.shares(total, count, turn)
    assert len(got) == count
    assert sum(got) == total
    assert max(got) - min(got) <= 1
    assert 0 <= nxt < count


@given(st.lists(st.integers(0, 200), min_size=1, max_size=30), st.integers(1, 6))
def test_odd_points_go_round_so_running_totals_stay_within_one(
    totals: list[int], count: int
) -> None:
    running = [0] * count
    turn = 0
    for total in totals:
        got, turn = party.shares(total, count, turn)
        running = [a + b for a, b in zip(running, got, strict=True)]
        # Whoever was short last time is first in line now: never more than one apart.
        assert max(running) - min(running) <= 1
    assert sum(running) == sum(totals)


def _grouping(effect: object) -> bool:
    """Whether ``effect`` changes who follows or groups with whom, or who offered or
    asked what: a ``PartyUpdate`` other than the record of a question asked aloud
    (``World.questions``), which any question to a player makes."""
    return isinstance(effect, PartyUpdate) and effect.table != "questions"


def test_the_wardens_five_gold_between_two_is_three_and_two_then_two_and_three() -> None:
    rig = EngineRig()
    rig.player("alice", "drowned_stair")
    rig.player("bob", "drowned_stair")
    first = party.split_spoils(rig.world, ["alice", "bob"], 0, 5, (H + "drowned_warden",))
    gains = [e for e in first if isinstance(e, Gain)]
    assert [(g.who, g.gold) for g in gains] == [("alice", 3), ("bob", 2)]
    assert all(g.defeated == (H + "drowned_warden",) for g in gains)
    rig.apply(first)
    again = [
        e for e in party.split_spoils(rig.world, ["alice", "bob"], 0, 5, ()) if isinstance(e, Gain)
    ]
    assert [(g.who, g.gold) for g in again] == [("alice", 2), ("bob", 3)]


def _grouped(rig: EngineRig, room: str = "common_room") -> None:
    rig.player("alice", room)
    rig.player("bob", room)
    rig.apply(rig.run("alice", "group invite bob"))
    assert rig.world.invites == {"bob": "alice"}
    rig.apply(rig.run("bob", "group accept"))


def test_invite_accept_list_and_leave() -> None:
    rig = EngineRig()
    _grouped(rig)
    assert party.members(rig.world, "bob") == ["alice", "bob"]
    assert rig.world.following == {"bob": "alice"}
    rig.world.chars["bob"].hp = 3
    listed = "\n".join(rig.seen("alice", rig.run("alice", "group")))
    bob = rig.world.chars["bob"]
    assert "Alice (leader)" in listed and f"3/{bob.max_hp}" in listed
    assert rig.seen("bob", rig.run("bob", "group invite alice")) == [
        "Only the leader, Alice, can invite."
    ]
    rig.apply(rig.run("bob", "group leave"))
    assert rig.world.groups == {} and rig.world.following == {}


def test_inviting_a_member_again_says_whose_group_they_are_in() -> None:
    rig = EngineRig()
    _grouped(rig)
    # Played: back after logging out, the leader asked again and read "Bob is already in
    # a group.", as if someone else had him.
    assert rig.seen("alice", rig.run("alice", "group bob")) == ["Bob is already in your group."]
    rig.player("cara", "common_room")
    rig.player("dov", "common_room")
    rig.apply(rig.run("cara", "group invite dov"))
    rig.apply(rig.run("dov", "group accept"))
    assert rig.seen("alice", rig.run("alice", "group invite dov")) == ["Dov is already in a group."]


def test_an_invitation_to_one_elsewhere_says_they_are_not_here() -> None:
    # Played: Wren told a new player by tell to come to the shrine, and "group invite
    # osric" read "You see no 'osric' here.", as if there were no Osric.
    rig = EngineRig()
    rig.player("wren", "sunken_shrine")
    rig.player("osric", "common_room")
    assert rig.seen("wren", rig.run("wren", "group invite osric")) == [
        "Osric is not here: a group is joined face to face. When you meet, 'group invite osric'."
    ]
    assert rig.seen("wren", rig.run("wren", "group invite nobody")) == ["You see no 'nobody' here."]


def test_accept_without_an_invitation_is_refused() -> None:
    rig = EngineRig()
    rig.player("bob", "common_room")
    assert rig.seen("bob", rig.run("bob", "group accept")) == ["No one has invited you to a group."]


def test_invite_and_accept_typed_without_group_are_the_group_command() -> None:
    # A new player types "invite ione" and "accept": both went to the Dungeon Master as
    # free actions ("You try to invite ione.") and no group was made.
    rig = EngineRig()
    rig.player("rook", "common_room")
    rig.player("ione", "common_room")
    rig.apply(rig.run("rook", "invite ione to my group"))
    assert rig.world.invites == {"ione": "rook"}
    rig.apply(rig.run("ione", "accept rook's invitation"))
    assert party.members(rig.world, "ione") == ["rook", "ione"]
    assert rig.world.following == {"ione": "rook"}


def _led(room: str, leader: str, member: str, *, kit: bool = False) -> EngineRig:
    """``leader`` leading ``member`` (who accepted an invitation) in ``room``."""
    rig = EngineRig()
    for key in (leader, member):
        rig.player(key, room, kit=kit)
    call(rig.world, leader, f"invite {member}")
    call(rig.world, member, "accept")
    return rig


def _wren_leads_hale(room: str, *others: str) -> EngineRig:
    """Wren leading Hale in ``room`` (both kitted), and ``others`` there, of no group."""
    rig = EngineRig()
    for key in ("wren", "hale", *others):
        rig.player(key, room, kit=True)
    call(rig.world, "wren", "invite hale")
    call(rig.world, "hale", "accept")
    return rig


def test_a_reply_and_an_invitation_is_said_and_the_invitation_made_or_refused() -> None:
    # Played: Hale, a member, answered "sure. invite pim" to his leader's "can pim join
    # us?", and all of it was said.
    rig = _wren_leads_hale("lamp_shop", "pim")
    seen = call(rig.world, "hale", "sure. invite pim").lines("hale")
    assert seen == ["You say, 'sure.'", "Only the leader, Wren, can invite."], seen
    seen = call(rig.world, "wren", "ok! invite pim").lines("wren")
    assert seen == ["You say, 'ok!'", "You invite Pim to your group."], seen
    assert rig.world.invites == {"pim": "wren"}


def test_follow_someone_who_just_left_goes_after_them() -> None:
    # Played: "follow wynn" just after "Wynn leaves up." answered "Wynn is not here:
    # follow someone beside you.".
    from call import call

    rig = EngineRig()
    rig.player("pike", "guest_room")
    rig.player("wynn", "guest_room")
    call(rig.world, "wynn", "west")
    out = call(rig.world, "pike", "follow wynn")
    assert out.lines("pike")[0] == "Wynn went west: you go after them."
    assert rig.world.chars["pike"].room == rig.world.chars["wynn"].room
    assert rig.world.following == {"pike": "wynn"}
    call(rig.world, "wynn", "down")
    assert rig.world.chars["pike"].room == rig.world.chars["wynn"].room
    # Someone who left by no way one can take (carried off, or not from here) is not.
    rig.player("ione", "market_lane")
    assert rig.seen("ione", rig.run("ione", "follow wynn")) == [
        "Wynn is not here: follow someone beside you."
    ]


def test_join_someone_without_an_invitation_asks_their_leader() -> None:
    # Played: Pike's "join wynn" was a deed the DM narrated, and Wynn never knew.
    rig = EngineRig()
    for key in ("pike", "wynn", "rook"):
        rig.player(key, "common_room")
    effects = rig.run("pike", "join wynn")
    assert rig.seen("pike", effects) == ["You ask Wynn to let you join the group."]
    assert rig.seen("wynn", effects) == [
        "Pike asks to join your group. Say yes, or type 'invite Pike'."
    ]
    # Only the asking is kept (for Wynn's yes), and there is nothing to narrate.
    assert [e for e in effects if _grouping(e)] == [PartyUpdate("asks", "wynn", "pike")]
    assert not any(isinstance(e, AskNarration) for e in effects)
    rig.apply(rig.run("wynn", "invite pike"))
    rig.apply(rig.run("pike", "join wynn"))
    assert party.members(rig.world, "wynn") == ["wynn", "pike"]
    # In a group, the leader is asked; from a group, one must leave it first.
    effects = rig.run("rook", "join pike")
    assert rig.seen("wynn", effects) == [
        "Rook asks to join your group. Say yes, or type 'invite Rook'."
    ]
    assert rig.seen("pike", rig.run("pike", "join rook")) == [
        "You are already in a group; 'group leave' first."
    ]


def test_a_group_is_made_by_words_said_asking_to_team_up_and_saying_yes() -> None:
    # Played: "hi fenwick, want to join up?" and "sure, let's team up" were said, and no
    # group came of them.
    rig = EngineRig()
    rig.player("juniper", "common_room")
    rig.player("fenwick", "common_room")
    effects = rig.run("juniper", "hi fenwick, want to join up?")
    rig.apply(effects)
    assert rig.seen("juniper", effects) == [
        "You say, 'hi fenwick, want to join up?'",
        "You invite Fenwick to your group.",
    ]
    assert rig.seen("fenwick", effects)[-1] == (
        "Juniper invites you to join the group. Type 'group accept', or say yes."
    )
    effects = rig.run("fenwick", "sure, let's team up")
    rig.apply(effects)
    assert rig.seen("fenwick", effects) == [
        "You say, 'sure, let's team up'",
        "You join Juniper's group and follow Juniper.",
    ]
    assert party.members(rig.world, "fenwick") == ["juniper", "fenwick"]
    # Grouped, the same words only say.
    assert len(rig.seen("juniper", rig.run("juniper", "let's stick together"))) == 1


@pytest.mark.parametrize(
    ("ask", "yes"),
    [
        ("want to team up, fenwick?", "yes!"),
        ("say shall we travel together?", "ok"),
        ("fenwick, join me", "aye, count me in"),
        ("come with me, fenwick", "say gladly"),
        # Played: said, and "sure, lead the way" made no group.
        ("yeah. heard she vanished. want to look around together?", "sure, lead the way"),
        ("shall we search together?", "sure"),
        # Played: said, and "sure, lead on" made no group.
        ("fenwick, want to come look at her room with me?", "sure, lead on"),
        ("wanna head down to the cellar with us?", "aye"),
        # Played: asked, then "lead the way, thief", and no group was made.
        ("fenwick, want to come with?", "lead the way, juniper"),
        ("wanna come along?", "after you"),
        # Played: asked, then "deal. you lead, big man", and no group was made.
        ("fenwick, coin splits fine two ways. partners?", "deal. you lead, big man"),
        # Played: a deed, "You try to want to team up? two heads and all that."
        ("want to team up? two heads and all that", "sure"),
        # Played: a deed, "You try to want to team up Marla? split the reward."
        ("want to team up fenwick? split the reward", "sure, deal"),
        ("want to team up? split the coin", "sure"),
        # Played (round 52): asked of the innkeeper, who spoke of the cartographer.
        (
            "nice to meet you fenwick, I'm juniper. want to look for this cartographer"
            " lady together?",
            "yes",
        ),
        ("fenwick, wanna search for her together?", "sure"),
        # Played (round 57, Lanternfall): said, and "Gladly, friend." made no group.
        ("hey fenwick! wanna go find pell together?", '"Gladly, friend. Two lights are better."'),
        # Played (round 56): asked, and "sure" made no group; typed as a command, the
        # usage line.
        ("fenwick, group with me? we check the cell first", "sure"),
        ("group with me?", "sure"),
        ("party up with us?", "ok"),
        # Played (round 56, Lanternfall): asked of the host, who knew of the novice.
        (
            "name's juniper. I keep the road. I'm going after the missing cartographer."
            " come with me?",
            "Fenwick. sure, better than freezing alone",
        ),
        # Played (round 56): posed, "Ivo here. sure, lead on.", and no group came of it.
        ("fenwick, group with me?", "Fenwick here. sure, lead on"),
    ],
)
def test_the_one_asked_or_the_only_other_here_is_invited_and_a_yes_accepts(
    ask: str, yes: str
) -> None:
    rig = EngineRig()
    rig.player("juniper", "common_room")
    rig.player("fenwick", "common_room")
    rig.apply(rig.run("juniper", ask))
    assert rig.world.invites == {"fenwick": "juniper"}, ask
    rig.apply(rig.run("fenwick", yes))
    assert party.members(rig.world, "fenwick") == ["juniper", "fenwick"], (ask, yes)


@pytest.mark.parametrize(
    ("ask", "yes"),
    [
        # Played (round 57): a tell beside her, and her "sure!!" aloud, made no group.
        ("tell fenwick hey, want to group up? I'm a rogue", "sure!! how do i do that"),
        ("whisper fenwick want to team up?", "reply sure"),
        ("tell fenwick want to team up?", "whisper juniper aye, count me in"),
    ],
)
def test_a_tell_or_whisper_beside_the_one_told_groups_as_words_said_do(ask: str, yes: str) -> None:
    rig = EngineRig()
    rig.player("juniper", "common_room")
    rig.player("fenwick", "common_room")
    effects = rig.run("juniper", ask)
    rig.apply(effects)
    assert rig.world.invites == {"fenwick": "juniper"}, rig.seen("juniper", effects)
    rig.apply(rig.run("fenwick", yes))
    assert party.members(rig.world, "fenwick") == ["juniper", "fenwick"], (ask, yes)


@pytest.mark.parametrize(
    "line",
    [
        # Found in review: each invited the other player.
        "help me piece this together",
        "can you help me put the map together?",
        "i can't find the words, we were drinking together last night",
    ],
)
def test_words_of_together_that_ask_no_one_along_invite_no_one(line: str) -> None:
    rig = EngineRig()
    rig.player("juniper", "common_room")
    rig.player("fenwick", "common_room")
    rig.apply(rig.run("juniper", line))
    assert rig.world.invites == {}, line


def test_a_tell_to_one_elsewhere_invites_no_one() -> None:
    # A group is joined face to face: told from afar, the words are only told.
    rig = EngineRig()
    rig.player("juniper", "common_room")
    rig.player("fenwick", "crossroads")
    effects = rig.run("juniper", "tell fenwick want to team up?")
    rig.apply(effects)
    assert rig.seen("juniper", effects) == ["You tell Fenwick, 'want to team up?'"]
    assert rig.world.invites == {}


def test_an_invitation_after_another_asked_the_innkeeper_is_the_other_players() -> None:
    # Played (round 51): Oswin asked Bessa of the cartographer; Kessa's "cool. wanna
    # group up priest?" just after was asked of Bessa ("Don't know about that, love."),
    # and no one was invited.
    rig = EngineRig()
    rig.player("kessa", "common_room")
    rig.player("oswin", "common_room")
    heard = ("Then we seek the same soul. Bessa, what can you tell us of the cartographer?",)
    effects = rig.run("kessa", "cool. want to group up priest?", overheard=heard)
    assert rig.seen("kessa", effects)[0] == "You say, 'cool. want to group up priest?'"
    rig.apply(effects)
    assert rig.world.invites == {"oswin": "kessa"}
    # Her question of the innkeeper after another's is hers still.
    effects = rig.run("kessa", "cool. where did she go?", overheard=heard)
    assert rig.seen("kessa", effects)[0].startswith("You ask Bessa Thorn, "), rig.seen(
        "kessa", effects
    )


def test_asking_to_join_the_players_here_at_once_asks_their_leader() -> None:
    # Played (round 48): a newcomer's "you two look like you've had a night of it. mind
    # if I join you next time?" to the two who had brought Edda home was only said, and
    # the leader's "sure, glad of the company" made no group.
    rig = _led("common_room", "ilse", "maro")
    rig.player("kael", "common_room")
    line = "you two look like you've had a night of it. mind if I join you next time?"
    out = call(rig.world, "kael", line)
    assert out.lines("ilse")[-1] == "Kael asks to join your group. Say yes, or type 'invite Kael'."
    call(rig.world, "ilse", "sure, glad of the company")
    assert party.members(rig.world, "kael") == ["ilse", "maro", "kael"]
    # Played (round 52): "mind if i tag along? i'm ilse" beside two just grouped was
    # only said; with no "you two" it asks their leader all the same.
    rig = _led("common_room", "brannoc", "wren")
    rig.player("ilse", "common_room")
    out = call(rig.world, "ilse", "mind if i tag along? i'm ilse")
    assert out.lines("brannoc")[-1] == (
        "Ilse asks to join your group. Say yes, or type 'invite Ilse'."
    )
    call(rig.world, "brannoc", "sure thing ilse")
    assert party.members(rig.world, "ilse") == ["brannoc", "wren", "ilse"]
    # Two here of no one group: no one is asked.
    rig = EngineRig()
    for key in ("ilse", "maro", "kael"):
        rig.player(key, "common_room")
    out = call(rig.world, "kael", "mind if I join you two?")
    assert not any("asks to join" in line for line in out.lines("ilse"))


def test_words_of_teaming_up_do_nothing_they_should_not() -> None:
    rig = EngineRig()
    for key in ("juniper", "fenwick", "rook"):
        rig.player(key, "common_room")
    # With two others here and no name, no one is invited; said to Bessa, it is hers.
    for line in ("want to team up?", "bessa, want to join up?", "say hi bessa, join us?"):
        effects = rig.run("juniper", line)
        assert not any(_grouping(e) for e in effects), line
    # A yes with no invitation, or to someone else, accepts nothing.
    rig.apply(rig.run("juniper", "want to team up, fenwick?"))
    for line in ("yes", "rook, sure", "yes, bessa"):
        effects = rig.run("rook" if line == "yes" else "fenwick", line)
        assert not any(_grouping(e) for e in effects), line
    # "Can I join you?" asks the one asked; they agree by inviting, or by saying yes.
    effects = rig.run("rook", "can I join you, fenwick?")
    assert rig.seen("fenwick", effects)[-1] == (
        "Rook asks to join your group. Say yes, or type 'invite Rook'."
    )
    with_rook = EngineRig()
    for key in ("rook", "fenwick"):
        with_rook.player(key, "common_room")
    with_rook.apply(with_rook.run("rook", "want some company?"))
    assert with_rook.world.join_asks == {"fenwick": "rook"}
    with_rook.world.join_asks.clear()
    with_rook.apply(with_rook.run("rook", "can I join you, fenwick?"))
    assert with_rook.world.join_asks == {"fenwick": "rook"}
    # Not kept: a restart forgets who asked (the invitation would be kept).
    assert not [op for op in with_rook.world.party_ops(0.0) if op.table == "asks"]
    effects = with_rook.run("fenwick", "sure, why not")
    with_rook.apply(effects)
    assert with_rook.seen("rook", effects)[-1] == "You join Fenwick's group and follow Fenwick."
    assert party.members(with_rook.world, "rook") == ["fenwick", "rook"]
    assert with_rook.world.join_asks == {}
    # Asked again, an invitation standing is not made twice; in a group led by another,
    # its leader is asked.
    assert not any(_grouping(e) for e in rig.run("juniper", "fenwick, want to join up?"))
    rig.apply(rig.run("fenwick", "yes"))
    effects = rig.run("rook", "want to team up, fenwick?")
    assert rig.seen("juniper", effects) == [
        "Rook asks Fenwick, 'Want to team up?'",
        "Rook asks to join your group. Say yes, or type 'invite Rook'.",
    ]
    assert [e for e in effects if _grouping(e)] == [PartyUpdate("asks", "juniper", "rook")]


def test_a_members_words_invite_a_newcomer_into_the_group_of_the_leader_beside_them() -> None:
    # Played (round 49): Wren, in Grimbold's group, to Tam just come in: "hi tam!! yes
    # that was us! do you want to come with us? I have to bring the saint's lantern to
    # sister aldith", and no group came of Tam's "sure".
    rig = EngineRig()
    for key in ("grim", "wren", "tam"):
        rig.player(key, "common_room")
    rig.apply(rig.run("grim", "group invite wren"))
    rig.apply(rig.run("wren", "group accept"))
    for line in (
        "hi tam!! yes that was us! do you want to come with us? I have to go to the chapel",
        "do you want to come with us?",  # the one here not of the group
        "tam, do you want to come with us?",  # said to them (played: no invitation)
        # Words after the question (played, round 55: "ya. u wanna come? we got the key"
        # was said, and "sure, count me in" made no group).
        "ya. u wanna come? we got the key",
    ):
        effects = rig.run("wren", line)
        assert rig.seen("tam", effects)[-1] == (
            "Wren invites you to join Grim's group. Type 'group accept', or say yes."
        ), line
        assert rig.seen("grim", effects)[-1] == "Wren invites Tam to join your group."
        assert PartyUpdate("invite", "tam", "grim") in effects
    rig.apply(effects)
    rig.apply(rig.run("tam", "sure!"))
    assert sorted(party.members(rig.world, "grim")) == ["grim", "tam", "wren"]
    # With the leader gone elsewhere, a member's words invite no one.
    rig = EngineRig()
    for key in ("grim", "wren", "tam"):
        rig.player(key, "common_room")
    rig.apply(rig.run("grim", "group invite wren"))
    rig.apply(rig.run("wren", "group accept"))
    rig.world.move("grim", "hollowmere:crossroads")
    assert not any(_grouping(e) for e in rig.run("wren", "tam, want to come with us?"))


@pytest.mark.parametrize(
    "line",
    [
        "lead the way, juniper",
        "after you",
        "you lead, juniper",
        "lead on",
        # Played: a deed (test_first_words keeps it said).
        "ready. lead the way",
    ],
)
def test_the_lead_given_unasked_follows_and_asks_to_join(line: str) -> None:
    # Played: "lead the way, lamp-keeper" to one about to go upstairs was said, and she
    # went up alone.
    rig = EngineRig()
    rig.player("juniper", "common_room")
    rig.player("fenwick", "common_room")
    effects = rig.run("fenwick", line)
    rig.apply(effects)
    assert rig.seen("fenwick", effects)[1:] == [
        "You now follow Juniper.",
        "You ask Juniper to let you join the group.",
    ]
    assert rig.seen("juniper", effects)[1:] == [
        "Fenwick now follows you.",
        "Fenwick asks to join your group. Say yes, or type 'invite Fenwick'.",
    ]
    assert rig.world.following == {"fenwick": "juniper"}
    rig.apply(rig.run("juniper", "sure"))
    assert party.members(rig.world, "fenwick") == ["juniper", "fenwick"]


def test_the_lead_given_does_nothing_it_should_not() -> None:
    rig = EngineRig()
    for key in ("juniper", "fenwick", "rook"):
        rig.player(key, "common_room")
    # Two others here and no name; a question; words that say not to.
    for line in ("lead the way", "you lead, juniper?", "don't lead on, juniper"):
        effects = rig.run("fenwick", line)
        assert not any(_grouping(e) for e in effects), line
    # One who follows the speaker is not asked to lead them.
    rig.world.following["juniper"] = "fenwick"
    assert not any(_grouping(e) for e in rig.run("fenwick", "after you, juniper")), line


def test_invite_and_accept_that_fit_no_group_stay_free_actions() -> None:
    rig = EngineRig()
    rig.player("rook", "common_room")
    rig.player("ione", "common_room")
    # No one here is called "the stranger"; no one has invited Rook; accepting the
    # bread is not accepting Rook's invitation. ("join" alone is told how to join:
    # test_join_alone_asks_the_one_group_here_or_says_how.)
    for who, line in (("rook", "invite the stranger in"), ("rook", "accept")):
        effects = rig.run(who, line)
        assert any(isinstance(e, AskNarration) for e in effects), line
        assert not any(_grouping(e) for e in effects), line
    rig.player("wren", "market_lane")
    assert rig.seen("rook", rig.run("rook", "invite wren")) == [
        "Wren is not here: invite someone beside you."
    ]
    assert rig.seen("rook", rig.run("rook", "invite")) == [
        "Usage: invite <player> (someone beside you), or group invite"
    ]
    rig.apply(rig.run("rook", "invite ione"))
    effects = rig.run("ione", "accept the bread from bessa")
    assert not any(_grouping(e) for e in effects)
    assert rig.world.groups == {}
    rig.apply(rig.run("ione", "join"))
    assert party.members(rig.world, "rook") == ["rook", "ione"]


def test_group_with_a_name_invites_them_or_accepts_their_invitation() -> None:
    # Maren and Tobin met in the Crossroads and typed "group tobin" and "group maren",
    # as in many MUDs: both were told the usage and no group was made.
    rig = EngineRig()
    rig.player("maren", "crossroads")
    rig.player("tobin", "crossroads")
    rig.apply(rig.run("maren", "group tobin"))
    assert rig.world.invites == {"tobin": "maren"}
    rig.apply(rig.run("tobin", "group maren"))
    assert party.members(rig.world, "tobin") == ["maren", "tobin"]
    assert rig.world.following == {"tobin": "maren"}
    rig.player("wren", "market_lane")
    assert rig.seen("maren", rig.run("maren", "group wren")) == [
        "Wren is not here: group with someone beside you."
    ]
    usage = (
        "Usage: group [list | invite <player> | accept | leave | say <message> | "
        "leader <player> | kick <player>], or group <player>"
    )
    assert rig.seen("maren", rig.run("maren", "group the heron")) == [usage]
    # Tobin is here: words after his name that name no one are not "not here".
    assert rig.seen("maren", rig.run("maren", "group tobin please")) == [usage]


def test_group_members_following_the_leader_move_together() -> None:
    rig = EngineRig()
    _grouped(rig)
    rig.player("carol", "common_room")
    rig.apply(rig.run("carol", "follow bob"))  # follows a follower
    effects = rig.run("alice", "up")
    moves = [(e.who, e.to) for e in effects if isinstance(e, Move)]
    assert moves == [("alice", H + "loft_landing"), ("bob", H + "loft_landing"),
                     ("carol", H + "loft_landing")]  # fmt: skip
    seen = rig.seen("bob", effects)
    assert seen[0] == "You follow Alice up." and seen[1].startswith("Upstairs Landing")
    # Each follower's view names those who went in ahead of them, not only those who
    # were there before the walk; the leader's names none of the group.
    assert "Alice is here." in seen[1]
    assert "Alice and Bob are here." in rig.seen("carol", effects)[1]
    leader = rig.seen("alice", effects)
    assert not any("Bob" in line for line in leader if line.startswith("Upstairs Landing"))
    # The one followed is told so in person, not as the room reads it ("Bob arrives,
    # following Alice."); those walking after a walker read no "Bob leaves up.".
    assert [line for line in leader if "Bob" in line] == ["Bob follows you."], leader
    assert "Bob follows you." not in rig.seen("carol", effects)
    assert "Carol follows you." in rig.seen("bob", effects)
    assert not any("leaves" in line for line in rig.seen("carol", effects))
    rig.apply(rig.run("bob", "follow"))
    assert "bob" not in rig.world.following
    assert [e.who for e in rig.run("alice", "up") if isinstance(e, Move)] == ["alice"]


def test_a_group_walking_into_an_empty_room_gets_one_scene_once_all_are_in() -> None:
    """The scene of a room no one is in is asked for once the whole group has arrived,
    so it is written for all of them (third person), not to the leader alone ("You look
    about ...", which the followers then read as theirs); one walking alone still gets
    it as it arrives."""
    from call import call

    rig = EngineRig()
    _grouped(rig)
    out = call(rig.world, "alice", "up")
    kinds = [type(e).__name__ for e in out.effects]
    scenes = [e for e in out.of(AskNarration) if e.kind == "scene"]
    assert len(scenes) == 1 and scenes[0].who == "alice"
    assert scenes[0].text == "Alice and Bob enter Upstairs Landing"
    assert scenes[0].party == ("bob",)  # narrated of them both: "Alice and Bob pause ..."
    last_move = max(i for i, k in enumerate(kinds) if k == "Move")
    assert out.effects.index(scenes[0]) > last_move
    # Asked after both moves: the hub's request then names both as its audience.
    assert sorted(rig.world.occupants[H + "loft_landing"]) == ["alice", "bob"]
    asked = narration.request(
        rig.world, 1, "alice", H + "loft_landing", "scene", scenes[0].text,
        scenes[0].outcome, scenes[0].priority, created=0.0, party=scenes[0].party,
    )  # fmt: skip
    assert (asked.actor, asked.party, actors(asked)) == ("Alice", ("Bob",), "Alice and Bob")

    alone = EngineRig()
    alone.player("carol", "common_room")
    solo = call(alone.world, "carol", "up")
    assert [e.text for e in solo.of(AskNarration) if e.kind == "scene"] == [
        "Carol enters Upstairs Landing"
    ]


def test_a_scene_is_set_on_a_first_visit_not_on_every_pass_through() -> None:
    """Played: every pass through the tavern's rooms was narrated again ("You and Sorrel
    find a place to stand and take stock of the Common Room."), filler after the first."""
    from call import call

    def scenes(out: object) -> list[str]:
        return [e.text for e in out.of(AskNarration) if e.kind == "scene"]  # type: ignore[attr-defined]

    rig = EngineRig()
    rig.player("carol", "common_room")
    assert scenes(call(rig.world, "carol", "up")) == ["Carol enters Upstairs Landing"]
    assert rig.world.chars["carol"].visited == [H + "loft_landing"]
    assert scenes(call(rig.world, "carol", "down")) == [
        "Carol enters The Drowned Lantern, Common Room"
    ]
    assert scenes(call(rig.world, "carol", "up")) == []  # been here
    assert scenes(call(rig.world, "carol", "down")) == []
    # Remembered across a save and a login.
    saved = rig.world.character_json(rig.world.chars["carol"])
    back = rig.world.restore_character("carol", saved, name="Carol", is_admin=False)
    assert back.visited == [H + "loft_landing", H + "common_room"]

    # A group gets its scene where one of them is new, and none where all have been.
    rig = EngineRig()
    _grouped(rig)
    rig.world.chars["alice"].visited = [H + "loft_landing"]
    rig.world.chars["bob"].visited = [H + "loft_landing"]
    assert scenes(call(rig.world, "alice", "up")) == []
    assert scenes(call(rig.world, "alice", "down")) == [
        "Alice and Bob enter The Drowned Lantern, Common Room"
    ]
    rig.world.chars["bob"].visited = [H + "common_room"]
    assert scenes(call(rig.world, "alice", "up")) == ["Alice and Bob enter Upstairs Landing"]
    assert H + "loft_landing" in rig.world.chars["bob"].visited


def test_following_in_a_circle_is_refused() -> None:
    rig = EngineRig()
    rig.player("alice", "common_room")
    rig.player("bob", "common_room")
    rig.apply(rig.run("alice", "follow bob"))
    assert rig.seen("bob", rig.run("bob", "follow alice")) == ["Alice is already following you."]


def test_following_whom_one_already_follows_says_so_and_tells_no_one_else() -> None:
    # Played: "group accept" had Pell following Maren already; "follow maren" after it
    # read "You now follow Maren." and Maren "Pell now follows you.".
    rig = EngineRig()
    _grouped(rig)
    assert rig.world.following["bob"] == "alice"
    effects = rig.run("bob", "follow alice")
    assert rig.seen("bob", effects) == ["You are already following Alice."]
    assert rig.seen("alice", effects) == []
    assert not [e for e in effects if _grouping(e)]


def test_a_find_counts_for_group_members_present() -> None:
    rig = EngineRig()
    _grouped(rig)
    rig.player("dave", "common_room")  # here, but not in the group
    # Bob searches the hearth and succeeds (a natural 20).
    effects = rig.run("bob", "search the hearth", dice=[20])
    credited = {e.who for e in effects if isinstance(e, QuestEvents)}
    assert credited == {"alice", "bob"}
    # Picking up what was found counts for Alice as well.
    packet = rig.world.new_item(H + "oilcloth_packet")
    rig.world.floor.setdefault(H + "common_room", []).append(packet)
    held = [e for e in rig.run("bob", "get packet") if isinstance(e, QuestEvents)]
    assert [(e.who, e.events) for e in held] == [("alice", (("hold", H + "oilcloth_packet"),))]


def test_a_copy_for_each_item_taken_counts_for_group_members_present() -> None:
    # The scrap of map is one copy per player: Rook's taking his moved his quest on and
    # left Ione, beside him in his group, still told to take it.
    rig = EngineRig()
    _grouped(rig, "guest_room")
    rig.player("dave", "guest_room")  # here, but not in the group
    effects = rig.run("bob", "get scrap")
    credited = [(e.who, e.events) for e in effects if isinstance(e, QuestEvents)]
    assert credited == [("alice", (("hold", H + "map_scrap"),))]
    rig.apply(effects)
    # A second take is refused and counts for no one.
    again = rig.run("bob", "get scrap")
    assert not any(isinstance(e, QuestEvents) for e in again)


def test_a_fight_brings_in_the_group_and_shares_the_kill() -> None:
    rig = EngineRig()
    _grouped(rig, "smugglers_tunnel")
    started, _ = fight.begin(
        rig.world, H + "smugglers_tunnel", ScriptedRng([20, 15, 1]), now=0.0, turn_time=20.0,
        target=None,
    )  # fmt: skip
    assert started is not None
    assert started.has("p:alice") and started.has("p:bob")
    rat = rig.world.templates.npcs[H + "bog_rat"]
    assert rat.stats is not None
    over = fight._finish(rig.world, _all_enemies_down(rig.world, started))
    gains = {e.who: e for e in over if isinstance(e, Gain)}
    assert set(gains) == {"alice", "bob"}
    assert sum(g.xp for g in gains.values()) == rat.stats.xp
    assert sum(g.gold for g in gains.values()) == rat.gold
    assert sorted(g.xp for g in gains.values()) == [
        rat.stats.xp // 2,
        rat.stats.xp - rat.stats.xp // 2,
    ]
    assert any(_grouping(e) and e.table == "turn" for e in over)


def _all_enemies_down(world: World, started: fight.Fight) -> fight.Fight:
    """``started`` with every foe felled the way a killing blow fells it."""
    from attrs import evolve

    for foe in started.standing("enemies"):
        started = started.put(evolve(foe, hp=0))
        started, _ = fight._npc_falls(world, started, started.get(foe.id), 0.0)
    return started


def test_leaving_the_world_leaves_the_party() -> None:
    rig = EngineRig()
    _grouped(rig)
    rig.world.remove("alice")
    assert rig.world.groups == {} and rig.world.following == {} and rig.world.invites == {}


def test_party_changes_become_writes_and_a_restart_reads_them_back() -> None:
    rig = EngineRig()
    _grouped(rig)
    rows = rig.world.party_rows()
    ops = rig.world.party_ops(1.0)
    assert [(o.table, o.key, o.value) for o in ops if isinstance(o, PutParty)] == rows
    assert rig.world.party_ops(2.0) == []  # nothing changed since
    fresh = EngineRig()
    fresh.world.restore_party(rows)
    assert fresh.world.groups == rig.world.groups
    assert fresh.world.following == rig.world.following
    # Leaving the world ends the group: each entry it held is deleted from the store.
    rig.world.remove("alice")
    gone = rig.world.party_ops(3.0)
    assert gone and all(isinstance(o, DeleteParty) for o in gone)
    assert {(o.table, o.key) for o in gone} == {(t, k) for t, k, _ in rows}


def test_restoring_a_party_drops_what_does_not_hold_together() -> None:
    rig = EngineRig()
    rig.world.restore_party(
        [
            ("group", "bob", '"alice"'),  # no leader's own entry: dropped
            ("group", "carol", '"carol"'),  # a leader with no one else: dropped
            ("following", "dan", '"dan"'),  # following oneself: dropped
            ("following", "erin", "7"),  # not a key: dropped
            ("turn", "a+b", '"x"'),  # not a number: dropped
            ("turn", "c+d", "1"),
            ("invite", "bob", '"alice"'),
            ("group", "fay", "{not json"),
            ("friends", "gil", '"alice"'),  # no such table
        ]
    )
    assert rig.world.groups == {} and rig.world.following == {}
    assert rig.world.turns == {"c+d": 1} and rig.world.invites == {"bob": "alice"}
    assert rig.world.dirty_party == set()


def test_a_member_still_choosing_a_class_is_not_present_until_it_arrives() -> None:
    # A character loaded but waiting to enter (World.place(..., waiting=True)) is in
    # nobody's room: not listed, not sharing a fight's spoils, not moved in with others.
    rig = EngineRig()
    alice = rig.player("alice", "common_room")
    bob = Character(key="bob", name="Bob", room=alice.room)
    rig.world.place(bob, waiting=True)
    rig.world.groups.update({"alice": "alice", "bob": "alice"})
    assert "bob" in rig.world.chars and rig.world.waiting == {"bob"}
    assert "bob" not in rig.world.occupants[alice.room]
    assert party.present(rig.world, "alice") == []
    rig.world.following["bob"] = "alice"
    assert party.followers(rig.world, "alice") == []
    del rig.world.following["bob"]
    rig.world.move("bob", H + "crossroads")
    assert "bob" not in rig.world.occupants.get(H + "crossroads", [])
    rig.world.move("bob", alice.room)
    rig.world.arrive("bob")
    assert rig.world.occupants[alice.room] == ["alice", "bob"] and not rig.world.waiting
    assert [c.key for c in party.present(rig.world, "alice")] == ["bob"]
    rig.world.remove("bob")
    rig.world.place(bob, waiting=True)
    rig.world.remove("bob")
    assert not rig.world.waiting and "bob" not in rig.world.occupants[alice.room]


def test_following_outside_a_group_says_how_to_share_the_finds() -> None:
    # Played: Fenna followed Rook through the whole campaign, beside him at every find,
    # and her quests never moved past the first step; nothing said following is not a
    # group.
    rig = EngineRig()
    rig.player("rook", "common_room")
    rig.player("fenna", "common_room")
    rig.player("dave", "common_room")
    effects = rig.run("fenna", "follow rook")
    assert rig.seen("fenna", effects) == [
        "You now follow Rook.",
        "Following is not sharing: for Rook's quest finds to count for you too, join "
        "their group ('group invite' from them, then 'group accept').",
    ]
    assert rig.seen("rook", effects) == [
        "Fenna now follows you.",
        "To share your quest finds with Fenna, type 'group invite fenna'.",
    ]
    assert rig.seen("dave", effects) == []
    # In the group already, or following a member who cannot invite: no such line.
    rig2 = EngineRig()
    _grouped(rig2)
    rig2.player("dave", "common_room")
    rig2.apply(rig2.run("bob", "follow"))
    assert rig2.seen("bob", rig2.run("bob", "follow alice")) == ["You now follow Alice."]
    assert rig2.seen("dave", rig2.run("dave", "follow bob")) == ["You now follow Bob."]


def test_lets_go_a_way_said_walks_it_and_the_group_follows() -> None:
    rig = EngineRig()
    for key in ("corwin", "fenna"):
        rig.player(key, "crossroads")
    rig.apply(rig.run("corwin", "invite fenna"))
    rig.apply(rig.run("fenna", "group accept"))
    # Played: "alright, let's head south" was said, and the group stood where it was.
    out = call(rig.world, "corwin", "alright, let's head south")
    assert out.lines("fenna")[0] == "Corwin says, 'alright, let's head south'"
    assert [rig.world.chars[k].room for k in ("corwin", "fenna")] == [H + "causeway"] * 2
    call(rig.world, "corwin", "let's go back to the crossroads then")
    assert [rig.world.chars[k].room for k in ("corwin", "fenna")] == [H + "crossroads"] * 2
    # The walk alone, not what is said after it (tried: "let's go up and look at her
    # room" walked up, then "You see no 'her room' here.").
    out = call(rig.world, "corwin", "let's go north and find bessa")
    assert rig.world.chars["corwin"].room == H + "common_room"
    assert not any("You see no" in line for line in out.lines("corwin")), out.lines("corwin")
    call(rig.world, "corwin", "let's go south")
    # A follower's "let's go" is said: the walk is the leader's (and the leader's yes
    # walks it: since round 51, "let's go" after it). No way named is only said; a way
    # that cannot be walked from here says why, to the speaker (played: "let's go down"
    # in Edda's room was said, and nothing more).
    for key, line in (
        ("corwin", "let's go"),
        ("corwin", "let's go home"),
        ("fenna", "let's go east"),
    ):
        assert call(rig.world, key, line).lines(key) == [f"You say, '{line}'"], line
        assert rig.world.chars[key].room == H + "crossroads", line
    call(rig.world, "corwin", "let's go")
    assert [rig.world.chars[k].room for k in ("corwin", "fenna")] == [H + "market_lane"] * 2
    call(rig.world, "corwin", "west")
    out = call(rig.world, "corwin", "let's go up")
    assert out.lines("corwin") == ["You say, 'let's go up'", "You cannot go up from here."]
    assert out.lines("fenna") == ["Corwin says, 'let's go up'"]
    assert rig.world.chars["corwin"].room == H + "crossroads"
    # "back to <place>" too, said after a reply or alone (played: "ok. back to the
    # tavern cellar" was said, and the group stood in the mill loft; "back to the
    # tavern" alone was a deed).
    out = call(rig.world, "corwin", "ok. back to the tavern")
    assert out.lines("fenna")[0] == "Corwin says, 'ok. back to the tavern'"
    assert [rig.world.chars[k].room for k in ("corwin", "fenna")] == [H + "common_room"] * 2
    call(rig.world, "corwin", "back to the crossroads")
    assert [rig.world.chars[k].room for k in ("corwin", "fenna")] == [H + "crossroads"] * 2
    # And "on to <place>" (played: "nice work. on to the shrine" was said, and the group
    # stood on the eel-catchers' landing).
    call(rig.world, "corwin", "nice work. on to the chapel")
    assert [rig.world.chars[k].room for k in ("corwin", "fenna")] == [H + "chapel"] * 2
    call(rig.world, "corwin", "onward to the crossroads")
    assert [rig.world.chars[k].room for k in ("corwin", "fenna")] == [H + "crossroads"] * 2
    call(rig.world, "corwin", "go on to the chapel")
    assert [rig.world.chars[k].room for k in ("corwin", "fenna")] == [H + "chapel"] * 2
    # "<way> we go" (played: "ready? down we go" at the drowned stair was said, and no
    # one went down); "off we go" names no way and is said.
    out = call(rig.world, "corwin", "ready? east we go")
    assert out.lines("fenna")[0] == "Corwin says, 'ready? east we go'"
    assert [rig.world.chars[k].room for k in ("corwin", "fenna")] == [H + "crossroads"] * 2
    call(rig.world, "corwin", "west we go")
    assert [rig.world.chars[k].room for k in ("corwin", "fenna")] == [H + "chapel"] * 2
    # "in we go" where there is no way in, and the words name one way (played on the
    # landing: "east one, I think. in we go" was "You cannot go in from here.").
    call(rig.world, "corwin", "east one, I think. in we go")
    assert [rig.world.chars[k].room for k in ("corwin", "fenna")] == [H + "crossroads"] * 2
    call(rig.world, "corwin", "west we go")
    assert call(rig.world, "corwin", "off we go").lines("corwin") == ["You say, 'off we go'"]
    # "<way> i go" too (played by a new player: "ok! up i go" was said, and no one went).
    call(rig.world, "corwin", "ok! east i go")
    assert [rig.world.chars[k].room for k in ("corwin", "fenna")] == [H + "crossroads"] * 2
    # And after a word with no mark, chat's way (played, round 51: "ok down we go" at the
    # drowned stair's top was said).
    call(rig.world, "corwin", "ok west we go")
    assert [rig.world.chars[k].room for k in ("corwin", "fenna")] == [H + "chapel"] * 2
    call(rig.world, "corwin", "east we go")
    # "back we go", the way they came (played, round 46: "ugh. back we go. come on").
    call(rig.world, "corwin", "ugh. back we go. come on")
    assert [rig.world.chars[k].room for k in ("corwin", "fenna")] == [H + "chapel"] * 2
    call(rig.world, "corwin", "east")
    # "let's try <place>" (played: "the lamp-keepers might know about lights. let's try
    # the chapel" was said, and the group stood in the tavern); what names no place is
    # only said.
    call(rig.world, "corwin", "back to the crossroads")
    call(rig.world, "corwin", "the lamp-keepers might know. let's try the chapel")
    assert [rig.world.chars[k].room for k in ("corwin", "fenna")] == [H + "chapel"] * 2
    for line in ("let's see what she knows", "let's try the door"):
        assert call(rig.world, "corwin", line).lines("corwin") == [f"You say, '{line}'"]
    assert rig.world.chars["corwin"].room == H + "chapel"
    # "now we go to <place>", "lets hit <place>", "now we go hit <place>", "let's go see
    # <place>" (played, round 56: said, and the group stood where it was).
    for line, room in (
        ("now we go to the crossroads", "crossroads"),
        ("lets hit the chapel", "chapel"),
        ("now we go hit the crossroads. I want better armour before any wolves", "crossroads"),
        ("let's go see the chapel", "chapel"),
    ):
        call(rig.world, "corwin", line)
        assert [rig.world.chars[k].room for k in ("corwin", "fenna")] == [H + room] * 2, line
    # "then back to <place>", "now back to <place>" (played in a new pack: "You act: then
    # back to the hospice", and no one went).
    for line, room in (
        ("then back to the crossroads", "crossroads"),
        ("now back to the chapel", "chapel"),
    ):
        assert call(rig.world, "corwin", line).lines("corwin")[0] == f"You say, '{line}'"
        assert [rig.world.chars[k].room for k in ("corwin", "fenna")] == [H + room] * 2, line
    # A way and where it goes, a sentence of its own among others (played in Lanternfall:
    # "ha. alright, south to the cairn road then. stay behind me" was said).
    call(rig.world, "corwin", "ha. alright, east to the crossroads then. stay behind me")
    assert [rig.world.chars[k].room for k in ("corwin", "fenna")] == [H + "crossroads"] * 2
    call(rig.world, "corwin", "west")
    # Asked, it walks no one (found in review: "so we go to the mill and then what?"
    # walked); "so back to ..." walks, as "then back to ..." does.
    line = "so we go to the crossroads and then what?"
    assert call(rig.world, "corwin", line).lines("corwin") == [f"You say, '{line}'"]
    assert rig.world.chars["corwin"].room == H + "chapel"
    rig.world.questions.clear()  # Fenna's next words answer no one
    call(rig.world, "corwin", "so back to the crossroads")
    assert [rig.world.chars[k].room for k in ("corwin", "fenna")] == [H + "crossroads"] * 2
    call(rig.world, "corwin", "west")
    for line in ("let's go see if she knows", "now we wait"):
        assert call(rig.world, "corwin", line).lines("corwin") == [f"You say, '{line}'"]
    assert rig.world.chars["corwin"].room == H + "chapel"
    # A way alone, a sentence of its own (played: "upstairs first. follow me" was said,
    # and the group stood in the tavern); "down it is" too. A way inside words is words.
    call(rig.world, "corwin", "east first. follow me")
    assert [rig.world.chars[k].room for k in ("corwin", "fenna")] == [H + "crossroads"] * 2
    out = call(rig.world, "corwin", "west it is")
    assert out.lines("corwin")[0] == "You say, 'west it is'"
    assert [rig.world.chars[k].room for k in ("corwin", "fenna")] == [H + "chapel"] * 2
    for line in ("so you went east? strange", "where did she go? east."):
        assert call(rig.world, "corwin", line).lines("corwin") == [f"You say, '{line}'"]
    assert rig.world.chars["corwin"].room == H + "chapel"
    # "back down to <place>" (played in Edda's room: "good thinking. back down to the
    # common room" was said, and the group stood there).
    call(rig.world, "corwin", "good thinking. back down to the crossroads")
    assert [rig.world.chars[k].room for k in ("corwin", "fenna")] == [H + "crossroads"] * 2
    # "to <place>", a sentence of its own beside a word that sets off or a call
    # (played: "right. to the mill. stay close, dov" was said, and no one went); a toast
    # or words that only hold "to" are words.
    call(rig.world, "corwin", "right. to the chapel. stay close, fenna")
    assert [rig.world.chars[k].room for k in ("corwin", "fenna")] == [H + "chapel"] * 2
    for line in ("I went to the crossroads", "here's to the crossroads!", "to the crossroads!"):
        assert call(rig.world, "corwin", f"say {line}").lines("corwin") == [f"You say, '{line}'"]
    assert rig.world.chars["corwin"].room == H + "chapel"
    # A way inside words, beside a call along, is walked (played after the Lamplighter:
    # "we did it! edda must be north. come on" was said, and no one went).
    call(rig.world, "corwin", "east")
    assert [rig.world.chars[k].room for k in ("corwin", "fenna")] == [H + "crossroads"] * 2
    call(rig.world, "corwin", "we did it! it must be west. come on")
    assert [rig.world.chars[k].room for k in ("corwin", "fenna")] == [H + "chapel"] * 2
    # Words that only hold "back to" are words.
    line = "I'm going back to bed"
    assert call(rig.world, "corwin", line).lines("corwin") == [f"You say, '{line}'"]
    # A way said on its own, then "let's" and what to do there (played: "right.
    # upstairs, let's see her room" was said, and no one went up).
    out = call(rig.world, "corwin", "right. east, let's see what's there")
    assert out.lines("fenna")[0] == "Corwin says, 'right. east, let's see what's there'"
    assert [rig.world.chars[k].room for k in ("corwin", "fenna")] == [H + "crossroads"] * 2
    line = "the west road, let's hope"
    assert call(rig.world, "corwin", f"say {line}").lines("corwin") == [f"You say, '{line}'"]
    assert rig.world.chars["corwin"].room == H + "crossroads"
    # "back <way>", then words, or "back <way> we go" (played: "right. back down, and
    # this time we stick together" was said, and no one went down).
    for line, room in (
        ("back west, and this time we stick together", "chapel"),
        ("right. back east, and quick", "crossroads"),
        ("back west we go", "chapel"),
        ("back east we go", "crossroads"),
    ):
        out = call(rig.world, "corwin", line)
        assert out.lines("fenna")[0] == f"Corwin says, '{line}'", line
        assert [rig.world.chars[k].room for k in ("corwin", "fenna")] == [H + room] * 2, line
    # A way on its own, then how one goes (played after the rat: "well fought. south,
    # following the little lanterns" was said, and no one went); "west, I reckon" is
    # an opinion.
    out = call(rig.world, "corwin", "well fought. west, following the road")
    assert out.lines("fenna")[0] == "Corwin says, 'well fought. west, following the road'"
    assert [rig.world.chars[k].room for k in ("corwin", "fenna")] == [H + "chapel"] * 2
    call(rig.world, "corwin", "east, I reckon")
    assert rig.world.chars["corwin"].room == H + "chapel"
    # Typed as a walk, how one goes is no second thing done (played: "You try to
    # following the little lanterns.").
    out = call(rig.world, "corwin", "east, following the road")
    assert not any("You try to" in line for line in out.lines("corwin")), out.lines("corwin")
    assert rig.world.chars["corwin"].room == H + "crossroads"
    call(rig.world, "corwin", "west")
    call(rig.world, "corwin", "east")
    # A place decided on, a sentence of its own (played: "the mill, then. east along the
    # market lane" was a deed, "You act: ..."); a follower's is said, and no walk.
    line = "the crossroads, then."
    assert call(rig.world, "fenna", line).lines("fenna") == [f"You say, '{line}'"]
    assert rig.world.chars["fenna"].room == H + "crossroads"
    out = call(rig.world, "corwin", "the chapel, then. west along the road")
    assert out.lines("fenna")[0] == "Corwin says, 'the chapel, then. west along the road'"
    assert [rig.world.chars[k].room for k in ("corwin", "fenna")] == [H + "chapel"] * 2
    # With the way typed after it, one walk (played: "the shrine, then. south" walked
    # there, then "You are there already.").
    out = call(rig.world, "corwin", "the crossroads, then. east")
    assert "You are there already." not in out.lines("corwin"), out.lines("corwin")
    assert [rig.world.chars[k].room for k in ("corwin", "fenna")] == [H + "crossroads"] * 2
    # Without its "the", or with "it is" (played, round 48: "old mill then. east along
    # the market lane" was "You try to old mill then."); words that name no place, or
    # a thing done, are not a place decided on.
    for line, room in (
        ("chapel then. west along the road", "chapel"),
        ("crossroads it is", "crossroads"),
    ):
        out = call(rig.world, "corwin", line)
        assert out.lines("fenna")[0] == f"Corwin says, '{line}'", line
        assert [rig.world.chars[k].room for k in ("corwin", "fenna")] == [H + room] * 2, line
    assert call(rig.world, "corwin", "ok then").lines("corwin") == ["You say, 'ok then'"]
    assert "You say" not in call(rig.world, "corwin", "open the door then").lines("corwin")[0]
    assert rig.world.chars["corwin"].room == H + "crossroads"
    call(rig.world, "corwin", "west")


def test_a_look_proposed_at_a_place_elsewhere_walks_the_group_there() -> None:
    # Played (round 46): "let's check her room upstairs", just after Bessa spoke of her
    # lodger, was said, and the group stood in the tavern.
    rig = _led("common_room", "quill", "marla")
    both = ("quill", "marla")
    # A way named: walked.
    out = call(rig.world, "quill", "let's check upstairs")
    assert out.lines("marla")[0] == "Quill says, 'let's check upstairs'"
    assert [rig.world.chars[k].room for k in both] == [H + "loft_landing"] * 2
    call(rig.world, "quill", "down")
    # A place by its name: walked to.
    call(rig.world, "quill", "let's search the cellar")
    assert [rig.world.chars[k].room for k in both] == [H + "cellar"] * 2
    call(rig.world, "quill", "up")
    # "her room", no one spoken of: the way the words name, else nothing.
    call(rig.world, "quill", "let's check her room upstairs")
    assert [rig.world.chars[k].room for k in both] == [H + "loft_landing"] * 2
    call(rig.world, "quill", "down")
    # A way and then "her room" (tried on a fresh world: "You try to upstairs then. her
    # room."): the way, and the words said.
    out = call(rig.world, "quill", "upstairs then. her room")
    assert out.lines("marla")[-1] == "Quill says, 'her room'", out.lines("marla")
    assert [rig.world.chars[k].room for k in both] == [H + "loft_landing"] * 2
    call(rig.world, "quill", "down")
    for line in ("let's check out her room", "let's look around"):
        call(rig.world, "quill", line)
        assert [rig.world.chars[k].room for k in both] == [H + "common_room"] * 2, line
    assert call(rig.world, "quill", "go to her room").lines("quill") == [
        "You do not know the way to 'her room'. Try 'where is her room?'."
    ]
    assert call(rig.world, "quill", "let's have a look at her room").lines("quill") == [
        "You see no 'her room' here."
    ]
    # A thing here is looked at where it is, not walked to.
    assert "You check the hearth." in call(rig.world, "quill", "let's check the hearth").lines(
        "quill"
    )
    assert rig.world.chars["quill"].room == H + "common_room"
    # Bessa speaks of her lodger: "her room" is Edda's, however it is proposed.
    call(rig.world, "quill", "bessa, what's this about a missing cartographer?")
    for line in (
        "let's check her room upstairs",
        "let's check out her room",
        "let's go to her room",
        "go to her room",
        # Played (round 47): "You see no 'her room' here."
        "let's have a look at her room",
        "have a look in her room",
        # Played (round 48): "You try to upstair then. her room."
        "upstairs then. her room",
        "up. her room",
    ):
        out = call(rig.world, "quill", line)
        assert "You set off for the Cartographer's Room." in out.lines("quill"), line
        assert [rig.world.chars[k].room for k in both] == [H + "guest_room"] * 2, line
        call(rig.world, "quill", "go to the common room")
        assert rig.world.chars["quill"].room == H + "common_room"


def test_a_look_proposed_at_a_thing_elsewhere_walks_there_and_does_it() -> None:
    # Played (round 48) in Edda's room, the map scrap read ("search the hearth in the
    # common room"): "the hearth downstairs?", then "yeah. let's check it", was said, and
    # no one went.
    rig = _led("guest_room", "ilse", "maro")
    for key in ("ilse", "maro"):
        rig.world.chars[key].visited = [H + "common_room", H + "loft_landing", H + "guest_room"]
    out = call(rig.world, "ilse", "let's check the hearth")
    assert "You set off for the Drowned Lantern, Common Room." in out.lines("ilse")
    assert "You search the loose hearthstone." in out.lines("ilse")
    assert [rig.world.chars[k].room for k in ("ilse", "maro")] == [H + "common_room"] * 2
    # "it": the thing the line before named.
    call(rig.world, "ilse", "go to edda's room")
    out = call(rig.world, "ilse", "yeah. let's check it", recent=["the hearth downstairs?"])
    assert "You search the loose hearthstone." in out.lines("ilse")
    assert rig.world.chars["maro"].room == H + "common_room"
    # Nothing named before: words.
    call(rig.world, "ilse", "go to edda's room")
    out = call(rig.world, "ilse", "yeah. let's check it", recent=["ok"])
    assert out.lines("ilse") == ["You say, 'yeah. let's check it'"]
    assert rig.world.chars["ilse"].room == H + "guest_room"


async def test_a_look_at_it_proposed_is_at_what_another_just_named(tmp_path: Path) -> None:
    async with make_rig(tmp_path) as rig:
        ilse = await rig.create("Ilse")
        maro = await rig.create("Maro", peer="10.0.0.2")
        for line in ("up", "east"):
            for player in (ilse, maro):
                await rig.line(player, line)
                await player.expect("Exits:")
        await rig.line(ilse, "no idea. notes somewhere warm... the hearth downstairs?")
        await maro.expect("Ilse says")
        await rig.line(maro, "yeah. let's check it")
        await maro.expect("You search the loose hearthstone.")


def test_her_room_is_the_room_of_one_spoken_of_by_another_word_for_her() -> None:
    # Played (round 47): all Vesna had heard of Edda was "my lodger" (her locket, the
    # reward), and "come on rook, let's have a look at her room" was only said.
    rig = _led("common_room", "vesna", "rook")
    call(rig.world, "vesna", "bessa, what about the locket?")
    out = call(rig.world, "vesna", "come on rook, let's have a look at her room")
    assert "You set off for the Cartographer's Room." in out.lines("vesna")
    assert [rig.world.chars[k].room for k in ("vesna", "rook")] == [H + "guest_room"] * 2


def _down_the_trapdoor() -> EngineRig:
    """Rook leads Vesna down the open trapdoor into the tunnel, its rat dead."""
    rig = _led("cellar", "rook", "vesna")
    down = rig.world.room(H + "cellar").exit("down")
    assert down is not None and down.door is not None
    rig.world.set_door(down.door.id, False, False)
    rig.world.npcs["hollowmere:bog_rat"].alive = False
    call(rig.world, "rook", "down")
    assert rig.world.chars["vesna"].room == H + "smugglers_tunnel"
    return rig


def test_onward_and_the_lanterns_followed_are_the_way_on() -> None:
    # Played (round 47) in the tunnel, the rat dead: "nice swing. onward, follow the
    # little lanterns" was "You try to nice swing. ...", and no one went; "follow the
    # lanterns" was "You try to follow the lanterns.".
    both = ("rook", "vesna")
    for line in (
        "nice swing. onward, follow the little lanterns",
        "onward",
        "on we go!",
        "follow the lanterns",
    ):
        rig = _down_the_trapdoor()
        out = call(rig.world, "rook", line)
        assert [rig.world.chars[k].room for k in both] == [H + "eel_landing"] * 2, line
        if line.startswith("nice"):
            assert out.lines("vesna")[0] == "Rook says, 'nice swing.'"
    # Words of going on are said, and walked (played, round 52, in the tunnel: "alright
    # lets keep moving" was said, and no one went); after a restart, which forgets the
    # way they came, the way on is the one to a place they have not been.
    for forget in (False, True):
        rig = _down_the_trapdoor()
        if forget:
            rig.world.last_way.clear()
            rig.world.chars["rook"].visited = [H + "cellar", H + "smugglers_tunnel"]
        out = call(rig.world, "rook", "alright lets keep moving")
        assert out.lines("vesna")[0] == "Rook says, 'alright lets keep moving'", out.lines("vesna")
        assert [rig.world.chars[k].room for k in both] == [H + "eel_landing"] * 2, forget
    # A follower's "onward" is words to the one leading.
    rig = _down_the_trapdoor()
    assert call(rig.world, "vesna", "onward").lines("rook") == ["Vesna says, 'onward'"]
    assert rig.world.chars["vesna"].room == H + "smugglers_tunnel"
    # With two ways on, "onward" names none: said.
    rig = EngineRig()
    rig.player("rook", "crossroads")
    assert call(rig.world, "rook", "onward").lines("rook") == ["You say, 'onward'"]


def test_a_way_then_where_it_goes_is_walked_and_a_command_asked_is_said() -> None:
    # Played (round 47) on the reed path: "grab that spear too? nah. south to the
    # shrine" was "You see no 'spear too? nah' here.", and "south to the shrine" alone
    # "You try to south to the shrine.".
    both = ("vesna", "rook")
    for line in ("grab that spear too? nah. south to the shrine", "south to the shrine"):
        rig = _led("reed_path", "vesna", "rook")
        out = call(rig.world, "vesna", line)
        assert [rig.world.chars[k].room for k in both] == [H + "sunken_shrine"] * 2, line
        if "?" in line:
            assert out.lines("rook")[:2] == [
                "Vesna says, 'grab that spear too?'",
                "Vesna says, 'nah.'",
            ], out.lines("rook")
            assert not any(i for i in rig.world.chars["vesna"].inventory), "nothing taken"
    # A follower's is words to the one leading.
    rig = _led("reed_path", "vesna", "rook")
    out = call(rig.world, "rook", "south to the shrine")
    assert out.lines("vesna") == ["Rook says, 'south to the shrine'"], out.lines("vesna")
    assert rig.world.chars["rook"].room == H + "reed_path"


def test_a_thing_scooped_up_is_taken_and_tucked_in_ones_own_belt() -> None:
    # Played (round 47): "*scoops up the potion and tucks it in her belt*" was "You try
    # to scoop up the potion and tuck it in her belt."
    rig = EngineRig()
    rig.player("vesna", "reed_path")
    rig.player("rook", "reed_path")
    out = call(rig.world, "vesna", "*scoops up the spear and tucks it in her belt*")
    assert out.lines("vesna")[:2] == [
        "You pick up a fishing spear.",
        "You try to tuck the spear in your belt.",
    ], out.lines("vesna")


def test_wait_here_from_the_one_followed_leaves_the_followers_behind() -> None:
    rig = EngineRig()
    rig.player("ivo", "smugglers_tunnel", "hollowmere:rogue", kit=True)
    rig.player("nell", "smugglers_tunnel", kit=True)
    rig.world.npcs["hollowmere:bog_rat"].alive = False
    rig.apply(rig.run("ivo", "invite nell"))
    rig.apply(rig.run("nell", "group accept"))
    assert rig.world.following == {"nell": "ivo"}
    # Played: "wait here. I'll sneak ahead and take a look", and Nell walked in after
    # Ivo, into the eel-catcher's ambush.
    effects = rig.run("ivo", "wait here. I'll sneak ahead and take a look")
    assert rig.seen("nell", effects)[-1] == (
        "You stay where you are, and Ivo goes on without you. ('follow ivo' to follow again.)"
    )
    assert rig.seen("ivo", effects)[-1] == "Nell will wait here, and no longer follows you."
    rig.apply(effects)
    assert rig.world.following == {}
    assert party.members(rig.world, "nell") == ["ivo", "nell"]  # still a group
    # Said with a walk after it, the wait comes first (played, round 46: "wait here
    # marla, i'll sneak up and have a look", and Marla followed the sneak up the ladder).
    for line in ("wait here nell, i'll sneak up", "wait here. i'll sneak up"):
        mill = EngineRig()
        mill.player("ivo", "old_mill", "hollowmere:rogue", kit=True)
        mill.player("nell", "old_mill", kit=True)
        call(mill.world, "ivo", "invite nell")
        call(mill.world, "nell", "accept")
        out = call(mill.world, "ivo", line, dice=[15])
        assert out.lines("ivo")[1] == "Nell will wait here, and no longer follows you.", line
        assert mill.world.chars["ivo"].room == H + "mill_loft", line
        assert mill.world.chars["nell"].room == H + "old_mill", line
        assert "You follow Ivo up." not in out.lines("nell"), line
    # Called along by name after words, with the place after a comma (played: "got it.
    # come on marla, to the cellar" said "to the cellar" to her, and she stayed).
    call(mill.world, "nell", "up")
    assert mill.world.following == {}
    out = call(mill.world, "ivo", "got it. come on nell, to the cellar")
    assert out.lines("nell")[0] == "Ivo steps out of the shadows."  # he had sneaked up
    assert out.lines("nell")[1:4] == [
        "Ivo says, 'got it.'",
        "Ivo says to you, 'come on, to the cellar'",
        "You follow Ivo again.",
    ]
    assert [mill.world.chars[k].room for k in ("ivo", "nell")] == [H + "cellar"] * 2
    # "come on" has them follow again ("come on, let's go south" too: then the walk).
    # Played: "all clear. come on" was a deed, "You try to all clear. come on.".
    for line in ("come on!", "come on, let's go south", "all clear. come on"):
        effects = rig.run("ivo", line)
        assert "You follow Ivo again." in rig.seen("nell", effects), line
        rig.apply(effects)
        assert rig.world.following == {"nell": "ivo"}, line
        rig.apply(rig.run("ivo", "stay here"))
        assert rig.world.following == {}, line
    # Words going on after "this way" are about something else.
    rig.apply(rig.run("ivo", "this way is flooded"))
    assert rig.world.following == {}
    # Said by one who is followed by no one, it is only said; a member's "come on" does
    # not have the leader follow them.
    effects = rig.run("nell", "stay put")
    assert rig.seen("nell", effects) == ["You say, 'stay put'"]
    rig.apply(rig.run("ivo", "wait here"))
    rig.apply(rig.run("nell", "come on"))
    assert rig.world.following == {}


def test_a_newcomers_next_step_is_theirs_and_they_are_told_how_to_catch_up() -> None:
    # Played (round 57, Lanternfall): Tess, just joined to Pip and Sorrel two quests on,
    # asked "what do we do next?", and both read her first step as the group's.
    rig = EngineRig(pack="lanternfall")
    rig.player("pip", "hostel_hall", "lanternfall:climber")
    rig.player("sorrel", "hostel_hall", "lanternfall:lantern_monk")
    rig.player("tess", "hostel_hall", "lanternfall:warden")
    on = {"lanternfall:dark_lanterns": -1, "lanternfall:the_high_stair": -1}
    for key in ("pip", "sorrel"):
        rig.world.chars[key].quests = {**on, "lanternfall:the_unlit_abbot": 0}
    for key in ("sorrel", "tess"):
        call(rig.world, "pip", f"group invite {key}")
        call(rig.world, key, "group accept")
    out = call(rig.world, "tess", "what do we do next?")
    told = out.lines("tess")
    assert told[1].startswith("Next: The Dark Lanterns: "), told
    assert told[2].startswith("(Pip is further along the story than you: 'catch up'"), told
    assert out.lines("pip") == [] and out.lines("sorrel") == []
    # Where the story stands the same, it is the table's, as before.
    out = call(rig.world, "sorrel", "what do we do next?")
    assert out.lines("pip")[1].startswith("Next: The Unlit Abbot: "), out.lines("pip")
    assert out.lines("tess") == []


def test_a_question_to_the_dm_beside_ones_group_is_heard_by_the_group() -> None:
    # Played: Bram's "the mill first?" and the way there were his alone; Siv, his
    # group's leader beside him, never heard either.
    rig = EngineRig()
    for key in ("siv", "bram", "ada"):
        rig.player(key, "common_room")
    call(rig.world, "siv", "group invite bram")
    call(rig.world, "bram", "group accept")
    way = (
        "Answer: The Old Mill lies south from here, then east twice. ('go to the Old Mill'"
        " walks there.)"
    )
    out = call(rig.world, "bram", "ask where is the old mill?")
    assert out.lines("bram") == ["You ask the DM: where is the old mill?", way]
    assert out.lines("siv") == ["Bram asks the DM: where is the old mill?", way]
    assert out.lines("ada") == []  # not of the group
    out = call(rig.world, "bram", "what now?")
    assert out.lines("siv")[0] == "Bram asks the DM: what now?"
    assert out.lines("siv")[1].startswith("Next: The Missing Cartographer: ")
    # What is the asker's own is not: their purse, their hurts before the next step.
    assert call(rig.world, "bram", "how much gold do I have?").lines("siv") == []
    bram = rig.world.chars["bram"]
    bram.hp = 1
    out = call(rig.world, "bram", "what now?")
    assert out.lines("bram")[1].startswith(f"Next: You have 1 of {bram.max_hp} HP")
    assert out.lines("siv") == []
    # Nor is anything asked beside a companion who is elsewhere.
    bram.hp = bram.max_hp
    rig.world.move("siv", "hollowmere:crossroads")
    assert call(rig.world, "bram", "ask where is the old mill?").lines("siv") == []


def _siv_leads_bram(room: str) -> EngineRig:
    """Siv the Lamp-Keeper leading Bram the rogue in ``room``, Ada there, of no group."""
    rig = EngineRig()
    rig.player("bram", room, "hollowmere:rogue", kit=True)
    rig.player("siv", room, "hollowmere:cleric", kit=True)
    rig.player("ada", room, kit=True)
    call(rig.world, "siv", "group invite bram")
    call(rig.world, "bram", "group accept")
    return rig


def test_a_short_rest_is_the_groups_beside_the_one_who_calls_it() -> None:
    # Played: to Bram's "rest before we go in?", Siv's "good idea. short rest" was "You
    # are already at full strength.", and Bram, hurt, rested not at all.
    rig = _siv_leads_bram("drowned_stair")
    bram = rig.world.chars["bram"]
    bram.hp = 3
    out = call(rig.world, "siv", "good idea. short rest", dice=[5])
    assert out.lines("siv") == ["You say, 'good idea.'", "You keep watch while Bram rests."]
    assert out.lines("bram")[1:] == [
        "Siv calls a short rest.",
        f"You catch your breath and bind your wounds: +6 HP (9/{bram.max_hp}).",
    ], out.lines("bram")
    assert out.lines("ada")[1:] == ["Bram takes a short rest."]
    assert bram.hp == 9 and bram.hit_dice == 0
    # Both hurt: both rest, on one call.
    bram.hp, bram.hit_dice = 3, 1
    siv = rig.world.chars["siv"]
    siv.hp = 2
    out = call(rig.world, "siv", "rest", dice=[5, 5])
    assert (siv.hp, bram.hp) == (2 + 5 + 1, 9), out.lines("siv")
    assert out.lines("ada") == ["Siv and Bram take a short rest."]
    # No one of the group hurt, or no group: as before.
    siv.hp, bram.hp = siv.max_hp, bram.max_hp
    assert call(rig.world, "siv", "rest").lines("siv") == ["You are already at full strength."]
    ada = rig.world.chars["ada"]
    ada.hp, bram.hp = 1, 1
    out = call(rig.world, "ada", "rest", dice=[5])
    assert out.lines("ada")[0].startswith("You catch your breath and bind your wounds:")
    # Not of her group, Bram rests not; he sees her rest (played: one's rest was unseen).
    assert out.lines("bram") == ["Ada takes a short rest."] and bram.hp == 1


def test_through_a_door_is_the_way_it_stands_in() -> None:
    # Played at the iron door: "alright. through the door" was said, and the group stood
    # before it; tried: "go through the trapdoor" was "'through the trapdoor' is not a
    # direction", "through the trapdoor" a deed.
    rig = EngineRig()
    for key in ("siv", "bram"):
        rig.player(key, "cellar", kit=True)
    call(rig.world, "siv", "group invite bram")
    call(rig.world, "bram", "group accept")
    for line in ("go through the trapdoor", "through the trapdoor"):
        assert call(rig.world, "siv", line).lines("siv") == [
            "The trapdoor is closed. It is locked."
        ], line
    trapdoor = rig.world.room(H + "cellar").exit("down")
    assert trapdoor is not None and trapdoor.door is not None
    rig.world.set_door(trapdoor.door.id, True, False)  # shut, unlocked
    rig.world.npcs[H + "bog_rat"].alive = False  # no fight on the way
    out = call(rig.world, "siv", "alright. through the trapdoor")
    assert [rig.world.chars[k].room for k in ("siv", "bram")] == [H + "smugglers_tunnel"] * 2
    # Opened on the way, it reads open in the view of both (played: "You open the iron
    # door.", then "Exits: north up (iron door, closed)").
    for key in ("siv", "bram"):
        assert "Exits: south up (trapdoor, open)" in out.text(key), out.text(key)
    out = call(rig.world, "siv", "go in through the trapdoor")
    assert rig.world.chars["siv"].room == H + "cellar", out.lines("siv")
    # Through what is no door is words, or a deed, as before.
    assert call(rig.world, "bram", "through thick and thin").of(AskNarration)
    out = call(rig.world, "siv", "we'll get through this")
    assert out.lines("siv") == ["You say, 'we'll get through this'"]
    assert rig.world.chars["siv"].room == H + "cellar"


def test_a_night_s_sleep_is_the_groups_beside_the_one_who_turns_in() -> None:
    # Played: after the Lamplighter, Siv's "bessa, can we get a room for the night?" put
    # Siv to bed, and Bram, beside her at 1 HP, stayed up.
    rig = _siv_leads_bram("common_room")
    for line in ("bessa, can we get a room for the night?", "sleep"):
        for key in ("bram", "siv", "ada"):
            rig.world.chars[key].hp = 1
        out = call(rig.world, "siv", line)
        assert "Siv calls it a night, and so do you." in out.lines("bram"), line
        assert rig.world.chars["bram"].hp == rig.world.chars["bram"].max_hp, line
        assert rig.world.chars["siv"].hp == rig.world.chars["siv"].max_hp, line
        assert rig.world.chars["ada"].hp == 1, line  # not of the group


@pytest.mark.parametrize(
    ("asked", "yes"),
    [
        # Played at the eel landing: asked of the DM, and answered with the lights.
        ("short rest before the marsh?", "good idea"),
        # Played: Bram's "rest before we go in?" had Bram rest (at full strength).
        ("rest before we go in?", "sure"),
        ("should we rest first?", "aye"),
    ],
)
def test_a_rest_proposed_is_asked_of_the_others_and_a_yes_calls_it(asked: str, yes: str) -> None:
    rig = _hurt_beside()
    out = call(rig.world, "maren", asked)
    assert out.lines("dov") == [f"Maren asks you, '{asked[0].upper()}{asked[1:]}'"]
    out = call(rig.world, "dov", yes, dice=[5])
    assert out.lines("dov")[0] == f"You say to Maren, '{yes}'"
    assert out.lines("maren")[1].startswith("You catch your breath"), out.lines("maren")
    assert rig.world.chars["maren"].hp > 4


def test_a_rest_asked_with_words_after_it_is_asked_and_a_yes_calls_it() -> None:
    # Played at the shrine: "nice!! before we go down, quick rest? i'm at 8" was said,
    # and the other's "good idea" rested no one.
    rig = _hurt_beside()
    out = call(rig.world, "maren", "nice!! before we go down, quick rest? i'm at 4")
    assert out.lines("dov")[0].startswith("Maren asks you, 'Nice!! Before we go down, quick")
    out = call(rig.world, "dov", "good idea", dice=[5])
    assert out.lines("maren")[1].startswith("You catch your breath"), out.lines("maren")
    # A question of the rest of something proposes none: a yes after it rests no one.
    rig = _hurt_beside()
    call(rig.world, "maren", "the rest is easy? no idea")
    out = call(rig.world, "dov", "sure", dice=[5])
    assert not any("breath" in line for line in out.lines("maren")), out.lines("maren")
    assert rig.world.chars["maren"].hp == 4


def test_a_nod_to_a_rest_or_a_walk_proposed_takes_it() -> None:
    # Played (round 50) at the shrine: Jax's "nice find. short rest first?", and Mara's
    # "Mara nods and sits on the edge of the wall." rested no one (and sat her "on the
    # of wall").
    rig = _hurt_beside()
    call(rig.world, "maren", "nice find. short rest first?")
    out = call(rig.world, "dov", "Dov nods and sits on the edge of the landing.", dice=[5])
    seen = out.lines("dov")
    assert seen[0] == "You nod.", seen
    assert "You sit down on the landing." in seen, seen
    healed = out.lines("maren")
    assert any(line.startswith("You catch your breath") for line in healed), healed
    assert rig.world.chars["maren"].hp > 4
    # A walk proposed, nodded to: walked.
    rig = _hurt_beside()
    call(rig.world, "maren", "want to team up?")
    call(rig.world, "dov", "sure")
    call(rig.world, "maren", "west along the reed path?")
    call(rig.world, "dov", "*nods*")
    assert rig.world.chars["maren"].room == rig.world.chars["dov"].room
    assert rig.world.chars["maren"].room == "hollowmere:reed_path"
    # No proposal waiting: only a nod.
    assert call(rig.world, "dov", "*nods*").lines("dov") == ["You nod."]
    # With a manner too (played: "*nods wearily*" to "sleep it off again?" slept no one).
    rig = _hurt_beside()
    call(rig.world, "maren", "short rest first?")
    call(rig.world, "dov", "*nods wearily*", dice=[5])
    assert rig.world.chars["maren"].hp > 4
    # Played (round 50) by the iron door: "rest first? ur hurt" was said in two parts,
    # and "*nods, sinking down against the wall*" read "You nod." and "You try to
    # sinking down against the wall.".
    rig = _hurt_beside()
    out = call(rig.world, "maren", "rest first? you're hurt")
    assert out.lines("dov") == ["Maren asks you, 'Rest first? You're hurt.'"], out.lines("dov")
    out = call(rig.world, "dov", "*nods, sinking down against the landing*", dice=[5])
    assert out.lines("dov")[0] == "Dov nods, sinking down against the landing.", out.lines("dov")
    assert rig.world.chars["maren"].hp > 4


def _hurt_beside() -> EngineRig:
    """Maren, a Lamp-Keeper down to 4 HP, and Dov beside her at the eel landing."""
    rig = EngineRig()
    rig.player("maren", "eel_landing", "hollowmere:cleric", kit=True)
    rig.player("dov", "eel_landing", kit=True)
    rig.apply([CharUpdate("maren", hp=4)])
    return rig


@pytest.mark.parametrize("proposed", ["let's rest", "yeah. let's rest a bit", "we should rest"])
def test_a_rest_proposed_in_words_is_said_and_a_yes_calls_it(proposed: str) -> None:
    # Played at the Drowned Stair (round 41): Hollis asked "want a hand?", Corra said
    # "yeah. let's take a short rest" and Hollis "sure": said, and no one rested.
    rig = _hurt_beside()
    out = call(rig.world, "maren", proposed)
    assert out.lines("dov") == [f"Maren says, '{proposed}'"]
    out = call(rig.world, "dov", "sure", dice=[5])
    assert out.lines("dov")[0] == "You say to Maren, 'sure'"
    assert out.lines("maren")[1].startswith("You catch your breath"), out.lines("maren")
    assert rig.world.chars["maren"].hp > 4


def test_a_rest_proposed_and_refused_or_alone_is_no_rest() -> None:
    rig = EngineRig()
    rig.player("maren", "eel_landing", "hollowmere:cleric", kit=True)
    rig.apply([CharUpdate("maren", hp=4)])
    # Alone, it is the DM's to answer, as before.
    assert (
        call(rig.world, "maren", "time for a breather?")
        .lines("maren")[0]
        .startswith("You ask the DM")
    )
    rig.player("dov", "eel_landing", kit=True)
    call(rig.world, "maren", "camp here for the night?")
    out = call(rig.world, "dov", "no, let's push on")
    assert out.lines("dov") == ["You say to Maren, 'no, let's push on'"]
    assert rig.world.chars["maren"].hp == 4


def test_a_sentence_about_a_thing_beside_a_call_along_names_no_place() -> None:
    # Played in Edda's room: "the warm stone must be the hearth downstairs. come on"
    # walked the group out to the Heron Stones (by "stone") and into a corpse-light. A
    # sentence with a verb is no place; the way the words name is walked.
    for line in (
        "the warm stone must be the hearth downstairs. come on",
        "the hearth downstairs. come on",  # a thing there is no place to walk to
    ):
        rig = EngineRig()
        rig.player("sorrel", "guest_room", "hollowmere:cleric", kit=True)
        rig.player("dunn", "guest_room", kit=True)
        rig.apply(rig.run("sorrel", "invite dunn"))
        rig.apply(rig.run("dunn", "group accept"))
        out = call(rig.world, "sorrel", line)
        assert out.lines("sorrel")[1] == "You set off down to the Drowned Lantern, Common Room."
        assert [rig.world.chars[k].room for k in ("sorrel", "dunn")] == [H + "common_room"] * 2
    # A place named whole still is one: "right, the old mill then. come on".
    call(rig.world, "sorrel", "right, the old mill then. come on")
    assert [rig.world.chars[k].room for k in ("sorrel", "dunn")] == [H + "old_mill"] * 2
    # After a word of yes too (played, round 46: "yeah, the hearth. come on" was said).
    call(rig.world, "sorrel", "yeah, to the crossroads. come on")
    assert [rig.world.chars[k].room for k in ("sorrel", "dunn")] == [H + "crossroads"] * 2
    call(rig.world, "sorrel", "yeah, the hearth. come on")
    assert [rig.world.chars[k].room for k in ("sorrel", "dunn")] == [H + "common_room"] * 2


def test_a_place_of_a_word_or_two_with_no_the_beside_a_call_along_is_walked() -> None:
    # Played (round 51): Kessa, leading Oswin in Edda's room, the map just read ("Search
    # the hearth in the common room"): "hearth. lets go" was said, and no one went.
    rig = _led("guest_room", "kessa", "oswin", kit=True)
    for key in ("kessa", "oswin"):
        rig.world.chars[key].visited = [H + "common_room", H + "loft_landing", H + "guest_room"]
    out = call(rig.world, "kessa", "hearth. lets go")
    assert out.lines("kessa")[:2] == [
        "You say, 'hearth. lets go'",
        "You set off for the Drowned Lantern, Common Room.",
    ]
    assert [rig.world.chars[k].room for k in ("kessa", "oswin")] == [H + "common_room"] * 2
    # A reply, or words that name no place, before the call are only said.
    for line in ("ok. lets go", "nice. come on", "sure! come on"):
        assert call(rig.world, "kessa", line).lines("kessa") == [f"You say, '{line}'"], line
    assert rig.world.chars["kessa"].room == H + "common_room"
    # The place in any sentence of the line (played: "ty bessa. ok eel landing. lets go"
    # was said, and no one went).
    call(rig.world, "kessa", "ty bessa. ok eel landing. lets go")
    assert [rig.world.chars[k].room for k in ("kessa", "oswin")] == [H + "eel_landing"] * 2
    # Two words before the place, and the call to all of them (played, round 52: "ok so
    # the old mill. lets go guys" was said, and "guys" looked for as a place).
    rig = _led("common_room", "kessa", "oswin", kit=True)
    for line, place in (
        ("ok so the old mill. lets go guys", "old_mill"),
        ("alright then, the tavern. come on everyone", "common_room"),
    ):
        call(rig.world, "kessa", line)
        assert [rig.world.chars[k].room for k in ("kessa", "oswin")] == [H + place] * 2, line
    assert call(rig.world, "kessa", "lets go guys").lines("kessa") == ["You say, 'let's go guys'"]
    # The place and when, then the call after a comma (played, round 52, after a fight
    # on the eel landing: "nice one ilse! reed path next, come on" was said to her, and
    # no one went).
    rig = _led("eel_landing", "kessa", "oswin")
    rig.world.npcs[H + "drowned_eelcatcher"].alive = False
    out = call(rig.world, "kessa", "nice one oswin! reed path next, come on")
    assert out.lines("oswin")[0] == "Kessa says to you, 'nice one! reed path next, come on'"
    assert [rig.world.chars[k].room for k in ("kessa", "oswin")] == [H + "reed_path"] * 2
    # Guessed, with a question mark (played, round 52, in Edda's room: "warm stone?
    # hearth? lets go sable" was said, and no one went).
    rig.world.chars["kessa"].visited.append(H + "common_room")
    rig.world.move("kessa", H + "guest_room")
    rig.world.move("oswin", H + "guest_room")
    call(rig.world, "kessa", "warm stone? hearth? lets go oswin")
    assert [rig.world.chars[k].room for k in ("kessa", "oswin")] == [H + "common_room"] * 2
    rig.world.move("kessa", H + "reed_path")
    rig.world.move("oswin", H + "reed_path")
    # Alone on its line too (played: "You try to reed path next, come on.").
    call(rig.world, "kessa", "eel landing next, come on")
    assert [rig.world.chars[k].room for k in ("kessa", "oswin")] == [H + "eel_landing"] * 2


def test_who_leads_asked_beside_ones_group_is_the_groups_question() -> None:
    # Played (round 51): Oswin, following Kessa in the tavern, "The old mill, then. Will
    # you lead, or shall I?": asked of Bessa, who told the way to the mill.
    rig = _led("common_room", "kessa", "oswin", kit=True)
    for line in ("The old mill, then. Will you lead, or shall I?", "shall I lead?"):
        out = call(rig.world, "oswin", line)
        assert out.lines("oswin") == [f"You say, '{line}'"], out.lines("oswin")
    # Out of a group it is asked as ever: of the innkeeper, who knows the mill.
    rig = EngineRig()
    rig.player("oswin", "common_room", kit=True)
    out = call(rig.world, "oswin", "The old mill, then. Will you lead, or shall I?")
    assert out.lines("oswin")[0].startswith("You ask Bessa Thorn, "), out.lines("oswin")


def test_keep_close_calls_along_as_stay_close_does() -> None:
    # Played (round 51): Oswin, leading Kessa, "To the old mill. Keep close." was said,
    # and no one walked.
    for call_along in ("Keep close.", "stick close", "keep together!"):
        rig = EngineRig()
        for key in ("oswin", "kessa"):
            rig.player(key, "common_room", kit=True)
        call(rig.world, "oswin", "invite kessa")
        call(rig.world, "kessa", "group accept")
        call(rig.world, "oswin", f"To the old mill. {call_along}")
        rooms = [rig.world.chars[k].room for k in ("oswin", "kessa")]
        assert rooms == [H + "old_mill"] * 2, call_along


def test_a_walk_a_follower_says_is_put_to_the_leader_whose_yes_walks_it() -> None:
    # Played (round 51): Kessa, following Oswin in the mill loft, the key taken: "k got
    # key. back to the tavern cellar" was said, and Oswin's "Aye, the cellar. Lead on."
    # handed her the lead and walked no one.
    rig = EngineRig()
    for key in ("kessa", "oswin"):
        rig.player(key, "mill_loft", kit=True)
        rig.world.chars[key].visited = [H + "common_room", H + "cellar"]
    call(rig.world, "oswin", "invite kessa")
    call(rig.world, "kessa", "group accept")
    out = call(rig.world, "kessa", "k got key. back to the tavern cellar")
    assert rig.world.chars["kessa"].room == H + "mill_loft", out.lines("kessa")
    call(rig.world, "oswin", "Aye, the cellar. Lead on.")
    assert party.members(rig.world, "oswin")[0] == "kessa"
    assert [rig.world.chars[k].room for k in ("kessa", "oswin")] == [H + "cellar"] * 2
    # Words that name no walk put nothing to the leader.
    call(rig.world, "oswin", "good work. what now?")
    assert "kessa" not in rig.world.questions or "walk:" not in rig.world.questions["kessa"]


def test_a_walk_to_a_place_unlocks_on_the_way_a_door_whose_key_the_walker_carries() -> None:
    # Played (round 51): Kessa, the rusty key in her pack, "ok eel landing. lets go" from
    # the tavern stopped in the cellar: "The trapdoor is locked. You have the rusty key:
    # 'unlock trapdoor'." (A step alone still asks for the key to be turned.)
    rig = _led("common_room", "kessa", "oswin", kit=True)
    for key in ("kessa", "oswin"):
        rig.world.chars[key].visited = [H + "common_room", H + "cellar", H + "eel_landing"]
    rig.world.npcs[H + "bog_rat"].alive = False
    rig.apply([SpawnItem(H + "rusty_key", "char:kessa")])
    seen = call(rig.world, "kessa", "go to the eel landing").lines("kessa")
    assert "You unlock the trapdoor with the rusty key." in seen, seen
    assert [rig.world.chars[k].room for k in ("kessa", "oswin")] == [H + "eel_landing"] * 2
    # A place of three words named, the iron door on the way (played: "hall of lanterns.
    # lets go" was said, and no one went).
    rig2 = _led("drowned_stair", "kessa", "oswin", kit=True)
    rig2.world.npcs[H + "drowned_warden"].alive = False
    rig2.apply([SpawnItem(H + "drowned_key", "char:kessa")])
    seen = call(rig2.world, "kessa", "hall of lanterns. lets go").lines("kessa")
    assert "You unlock the iron door with the drowned iron key." in seen, seen
    assert [rig2.world.chars[k].room for k in ("kessa", "oswin")] == [H + "lantern_hall"] * 2
    # Without the key, the way round is walked (the cellar's door is no way for them).
    rig = EngineRig()
    rig.player("oswin", "common_room", kit=True)
    rig.world.chars["oswin"].visited = [H + "common_room", H + "cellar", H + "eel_landing"]
    seen = call(rig.world, "oswin", "go to the eel landing").lines("oswin")
    assert not any("unlock" in line for line in seen), seen
    assert rig.world.chars["oswin"].room == H + "eel_landing"


def test_a_member_who_will_go_first_takes_the_lead_and_the_group_follows() -> None:
    # Played (round 46): "nice. i'll go first, i've got the armour" in the cellar, and
    # Marla went down the trapdoor alone, into the bog rat, her group left above.
    rig = EngineRig()
    for key in ("quill", "marla", "tansy"):
        rig.player(key, "common_room", kit=True)
    call(rig.world, "quill", "invite marla")
    call(rig.world, "marla", "accept")
    call(rig.world, "quill", "invite tansy")
    call(rig.world, "tansy", "accept")
    call(rig.world, "quill", "down")
    rig.world.npcs[H + "bog_rat"].alive = False
    rig.apply([SpawnItem(H + "rusty_key", "char:quill")])
    call(rig.world, "quill", "unlock trapdoor")
    out = call(rig.world, "marla", "nice. i'll go first, i've got the armour")
    assert out.lines("marla")[:3] == [
        "You say, 'nice.'",
        "You say, 'i've got the armour'",
        "You take the lead: the group follows you.",
    ]
    for key in ("quill", "tansy"):
        assert "Marla takes the lead; you follow Marla now." in out.lines(key), key
    rooms = [rig.world.chars[k].room for k in ("marla", "quill", "tansy")]
    assert rooms == [H + "smugglers_tunnel"] * 3
    assert party.leader_of(rig.world, "quill") == "marla"
    # The leader's own "I'll go first" walks the group as before.
    out = call(rig.world, "marla", "i'll go first")
    assert [rig.world.chars[k].room for k in ("marla", "quill", "tansy")] == [H + "eel_landing"] * 3


def test_a_member_s_call_along_with_a_walk_takes_the_lead_in_a_group_of_two() -> None:
    rig = EngineRig()
    rig.player("maren", "eel_landing", "hollowmere:cleric", kit=True)
    rig.player("dov", "eel_landing", kit=True)
    rig.apply(rig.run("dov", "invite maren"))
    rig.apply(rig.run("maren", "group accept"))
    # Played: Dov led; Maren's "thank you. right, the reed path. follow me" was said,
    # and neither walked.
    out = call(rig.world, "maren", "thank you. right, the reed path. follow me")
    assert out.lines("maren")[1] == "You take the lead: the group follows you."
    assert out.lines("dov")[1] == "Maren takes the lead; you follow Maren now."
    assert party.members(rig.world, "dov")[0] == "maren"
    assert [rig.world.chars[k].room for k in ("maren", "dov")] == [H + "reed_path"] * 2
    # A call along that names no walk takes nothing; in a group of three, nor does one
    # that names one (the leader hands it on).
    call(rig.world, "dov", "come on")
    assert party.members(rig.world, "dov")[0] == "maren"
    # Typed with a call after it, the walk is said and taken as the group's (played:
    # "to the lamp shop then. come on" walked Maren off alone).
    call(rig.world, "maren", "group leader dov")
    call(rig.world, "maren", "group leader dov")
    # "stay close" calls along as "come on" does (played: "ready? back to the eel
    # landing. stay close" was said, and no one walked).
    call(rig.world, "maren", "ready? back to the causeway. stay close")
    assert party.members(rig.world, "dov")[0] == "maren"
    assert [rig.world.chars[k].room for k in ("maren", "dov")] == [H + "causeway"] * 2
    call(rig.world, "maren", "group leader dov")
    call(rig.world, "maren", "to the reed path then. come on")
    assert party.members(rig.world, "dov")[0] == "maren"
    assert [rig.world.chars[k].room for k in ("maren", "dov")] == [H + "reed_path"] * 2
    rig.player("ivo", "reed_path", kit=True)
    rig.apply(rig.run("maren", "invite ivo"))
    rig.apply(rig.run("ivo", "group accept"))
    call(rig.world, "ivo", "right, the causeway. follow me")
    assert party.members(rig.world, "ivo")[0] == "maren"
    assert rig.world.chars["ivo"].room == H + "reed_path"


def _mira_follows_dov() -> EngineRig:
    rig = EngineRig()
    rig.player("dov", "common_room", kit=True)
    rig.player("mira", "common_room", "hollowmere:cleric", kit=True)
    rig.apply(rig.run("dov", "invite mira"))
    rig.apply(rig.run("mira", "group accept"))
    return rig


@pytest.mark.parametrize(
    "line",
    [
        "ok, to the old mill! follow me dov",
        "to the mill. follow me, dov",
        "follow me to the old mill",
    ],
)
def test_a_member_s_follow_me_with_a_place_takes_the_group_there(line: str) -> None:
    # Played: Mira's "ok, to the old mill! follow me dov" said "ok", walked her to the
    # mill alone, and read "You try to follow you dov." there; Dov heard none of it.
    rig = _mira_follows_dov()
    out = call(rig.world, "mira", line)
    assert "You take the lead: the group follows you." in out.lines("mira")
    assert party.members(rig.world, "dov")[0] == "mira"
    assert [rig.world.chars[k].room for k in ("mira", "dov")] == [H + "old_mill"] * 2
    assert not any("try to" in seen for seen in out.lines("mira"))


@pytest.mark.parametrize("line", ["follow me, dov", "follow me dov", "dov follow me", "follow me"])
def test_follow_me_is_said_and_a_member_who_says_it_leads(line: str) -> None:
    # Played: "follow me dov" was "You try to follow you dov.", and "follow me, dov"
    # said the words and then had the speaker follow Dov.
    rig = _mira_follows_dov()
    out = call(rig.world, "mira", line)
    assert out.lines("mira")[0] in ("You say to Dov, 'follow me'", f"You say, '{line}'")
    assert out.lines("mira")[1] == "You take the lead: the group follows you."
    assert rig.world.following.get("dov") == "mira"
    assert rig.world.following.get("mira") is None
    # Outside a group the words are said, and the one asked told how to follow.
    rig = EngineRig()
    rig.player("wren", "common_room", kit=True)
    rig.player("dov", "common_room", kit=True)
    out = call(rig.world, "wren", line)
    assert out.lines("dov")[-1] == "('follow wren' walks after Wren wherever they go.)"
    assert "wren" not in rig.world.following and "dov" not in rig.world.following
    assert rig.world.chars["wren"].room == H + "common_room"


def test_a_rest_proposed_beside_more_is_the_group_s_to_answer() -> None:
    rig = EngineRig()
    rig.player("maren", "eel_landing", "hollowmere:cleric", kit=True)
    rig.player("dov", "eel_landing", kit=True)
    rig.player("ivo", "eel_landing", kit=True)
    rig.apply(rig.run("maren", "invite dov"))
    rig.apply(rig.run("dov", "group accept"))
    rig.apply([CharUpdate("maren", hp=4)])
    assert call(rig.world, "maren", "rest here?").lines("ivo") == ["Maren says, 'rest here?'"]
    # One not of her group agrees: no rest; one of it does: she calls it.
    call(rig.world, "ivo", "sure")
    assert rig.world.chars["maren"].hp == 4
    out = call(rig.world, "dov", "aye", dice=[5])
    assert out.lines("maren")[-1].startswith("You catch your breath"), out.lines("maren")


def test_a_question_put_after_an_invitation_takes_the_yes_that_follows() -> None:
    # Played by a griefer: "group invite vic", then "vic, do you want some stew?", and
    # her "yes please, I'm starving" joined his group; he walked her into the marsh's
    # fight and fled it. A yes answers the last question; 'group accept' still joins.
    rig = EngineRig()
    rig.player("mal", "common_room")
    rig.player("vic", "common_room")
    call(rig.world, "mal", "group invite vic")
    assert rig.world.invites == {"vic": "mal"}
    call(rig.world, "mal", "say vic, do you want some stew?")
    assert rig.world.overtaken == {"vic": "1"}
    said = call(rig.world, "vic", "say yes please, I'm starving")
    assert "vic" not in rig.world.groups
    assert said.lines("mal") == ["Vic says to you, 'yes please, I'm starving'"]
    assert not any("group" in line for line in said.lines("vic"))
    # Invited again, her yes is the invitation's once more.
    call(rig.world, "mal", "group invite vic")
    assert rig.world.overtaken == {}
    call(rig.world, "vic", "sure, let's team up")
    assert party.members(rig.world, "vic") == ["mal", "vic"]


def test_an_overtaken_invitation_is_still_taken_by_group_accept() -> None:
    rig = EngineRig()
    rig.player("mal", "common_room")
    rig.player("vic", "common_room")
    call(rig.world, "mal", "group invite vic")
    call(rig.world, "mal", "say vic, are you hungry?")
    call(rig.world, "vic", "yes")
    assert "vic" not in rig.world.groups
    call(rig.world, "vic", "group accept")
    assert party.members(rig.world, "vic") == ["mal", "vic"]


def test_an_invitation_put_as_a_question_is_taken_by_the_yes_to_it() -> None:
    rig = EngineRig()
    rig.player("mal", "common_room")
    rig.player("vic", "common_room")
    call(rig.world, "mal", "hi vic, want to join up?")
    assert rig.world.invites == {"vic": "mal"} and rig.world.overtaken == {}
    call(rig.world, "vic", "yes")
    assert party.members(rig.world, "vic") == ["mal", "vic"]


def test_a_walk_named_and_then_asked_whether_all_are_ready_is_only_asked() -> None:
    # Played in Tobin's shop: "right, back to the shrine. everyone ready?" was answered
    # by Tobin ("Everyone is buying lamps ..."), a fact that shared "everyone" with it.
    rig = _wren_leads_hale("lamp_shop")
    out = call(rig.world, "wren", "right, back to the shrine. everyone ready?")
    assert out.lines("hale") == ["Wren says, 'right, back to the shrine. everyone ready?'"]
    assert rig.world.chars["wren"].room == "hollowmere:lamp_shop"
    # Said as it is decided, the group walks.
    call(rig.world, "wren", "ok, back to the shrine")
    assert rig.world.chars["hale"].room == rig.world.chars["wren"].room != "hollowmere:lamp_shop"


def test_a_walk_a_fight_stopped_goes_on_at_the_leaders_lets_go() -> None:
    # Played: the group's walk to the shrine stopped on the reed path for the
    # eel-catcher, and the leader's "all good pim? let's go" after it was only said.
    rig = _wren_leads_hale("crossroads")
    world = rig.world
    world.npcs["hollowmere:drowned_eelcatcher"].room = "hollowmere:reed_path"
    seen = call(world, "wren", "go to the sunken shrine", wall=100.0).lines("wren")
    assert seen[-1] == "The fight stops your walk to the Sunken Shrine.", seen
    # While the fight goes on, or once it is long over, the words are only words.
    assert call(world, "wren", "let's go", wall=110.0).lines("wren")[0] == "You say, 'let's go'"
    world.fights.clear()
    world.npcs["hollowmere:drowned_eelcatcher"].alive = False
    seen = call(world, "wren", "all good hale? let's go", wall=150.0).lines("hale")
    assert seen[:2] == ["Wren says, 'all good hale? let's go'", "You follow Wren south."], seen
    assert world.chars["hale"].room == world.chars["wren"].room == "hollowmere:sunken_shrine"
    assert world.walks == {}
    # Long after, it is forgotten.
    world.walks["wren"] = "hollowmere:sunken_shrine|100|hollowmere:drowned_stair"
    assert call(world, "wren", "let's go", wall=900.0).lines("wren") == ["You say, 'let's go'"]


def test_a_newcomer_asked_along_by_name_with_no_comma_and_her_yes_joins() -> None:
    # Played at the inn, Edda home by the fire: Sorrel's "we are! sorrel, lamp-keeper.
    # want to join us tansy?" went to Edda, talked with before ("No bearing on that"),
    # and Tansy's "yes please!" answered Edda's greeting, not the invitation.
    rig = EngineRig()
    for key in ("sorrel", "dunn", "tansy"):
        rig.player(key, "common_room", kit=True)
    rig.world.npcs[H + "edda_venn"].room = H + "common_room"
    call(rig.world, "sorrel", "edda, let's get you home")
    call(rig.world, "tansy", "hi! are you two the ones who brought edda back?")
    out = call(rig.world, "sorrel", "we are! sorrel, lamp-keeper. want to join us tansy?")
    assert out.lines("tansy") == [
        "Sorrel says, 'we are! sorrel, lamp-keeper.'",
        "Sorrel asks you, 'Want to join us?'",
        "Sorrel invites you to join the group. Type 'group accept', or say yes.",
    ]
    out = call(rig.world, "tansy", "yes please!")
    assert out.lines("sorrel") == ["Tansy says to you, 'yes please!'", "Tansy joins the group."]
    # A name after a verb is of them, to no one: "have you met tansy?" asks the room.
    out = call(rig.world, "dunn", "have you met tansy?")
    assert not any(line.startswith("Dunn asks you") for line in out.lines("tansy"))
    # Tried: "are you coming tansy?" was asked of Edda ("No bearing on that"). How one
    # is or goes takes no one after it: the name calls.
    for asked, shown in [
        ("are you coming tansy?", "Are you coming?"),
        ("you coming tansy?", "You coming?"),
        ("all done tansy?", "All done?"),
        ("you hurt tansy?", "You hurt?"),
    ]:
        out = call(rig.world, "dunn", asked)
        assert out.lines("tansy")[0] == f"Dunn asks you, '{shown}'", (asked, out.lines("tansy"))


@pytest.mark.parametrize(
    ("asked", "yes"),
    [
        # Played (round 46) in the tunnel: asked of the DM, who told where the hooded
        # lantern lay; then "lead on" walked no one.
        ("thanks. follow the lanterns south?", "lead on"),
        ("shall we head south?", "sure"),
        ("south?", "yeah"),
        ("go south?", "after you"),
        # Played (round 48) at the eel landing: the group walked west at once, before
        # anyone answered (a walk "keep" set off on, in a later sentence); alone, "west
        # along the reed path?" walked no one on a yes.
        ("keep it, I've got one. south along the tunnel?", "sure"),
        ("south along the tunnel?", "sure"),
    ],
)
def test_a_walk_asked_of_ones_group_is_walked_on_their_yes(asked: str, yes: str) -> None:
    rig = EngineRig()
    for key in ("quill", "marla"):
        rig.player(key, "smugglers_tunnel", kit=True)
    rig.world.npcs[H + "drowned_eelcatcher"].alive = False
    call(rig.world, "quill", "invite marla")
    call(rig.world, "marla", "accept")
    out = call(rig.world, "quill", asked)
    assert out.lines("marla") == [f"Quill says, '{asked}'"], asked
    assert rig.world.chars["quill"].room == H + "smugglers_tunnel"
    out = call(rig.world, "marla", yes)
    assert out.lines("marla")[0] == f"You say to Quill, '{yes}'"
    assert [rig.world.chars[k].room for k in ("quill", "marla")] == [H + "eel_landing"] * 2


@pytest.mark.parametrize(("yes", "leads"), [("sure", "quill"), ("sure, lead on", "marla")])
def test_a_walk_asked_by_one_who_follows_is_walked_on_the_leaders_yes(yes: str, leads: str) -> None:
    # Played (round 48) in the mill loft: Maro's "we have the key. back to the tavern
    # cellar?", and Ilse's "sure, lead on" handed him the lead and walked no one.
    rig = _led("smugglers_tunnel", "quill", "marla", kit=True)
    rig.world.npcs[H + "drowned_eelcatcher"].alive = False
    out = call(rig.world, "marla", "the lanterns go on. south?")
    assert out.lines("quill") == ["Marla says, 'the lanterns go on. south?'"]
    assert rig.world.chars["marla"].room == H + "smugglers_tunnel"
    out = call(rig.world, "quill", yes)
    assert out.lines("quill")[0] == f"You say to Marla, '{yes}'"
    assert [rig.world.chars[k].room for k in ("quill", "marla")] == [H + "eel_landing"] * 2
    assert party.leader_of(rig.world, "marla") == leads


def test_a_walk_asked_of_ones_leader_by_name_is_walked_on_their_yes() -> None:
    # Played (round 49) at the crossroads: Wren's "grimbold, can we go west to the
    # chapel?" was asked of him, and his "sure" walked no one.
    rig = _led("crossroads", "quill", "marla", kit=True)
    out = call(rig.world, "marla", "quill, can we go west to the chapel?")
    assert out.lines("quill") == ["Marla asks you, 'Can we go west to the chapel?'"]
    out = call(rig.world, "quill", "sure")
    assert out.lines("quill")[0] == "You say to Marla, 'sure'"
    assert [rig.world.chars[k].room for k in ("quill", "marla")] == [H + "chapel"] * 2
    # Asked to be taken somewhere (played: "grimbold, can you take me to edda's room?",
    # and his "sure" walked no one).
    rig = _led("crossroads", "quill", "marla", kit=True)
    call(rig.world, "marla", "quill, can you take me to the chapel?")
    call(rig.world, "quill", "sure")
    assert [rig.world.chars[k].room for k in ("quill", "marla")] == [H + "chapel"] * 2
    # To a thing of a room the asker has stood in: to that room (played: "grimbold, can
    # you take me to the hearth?", and "sure thing" walked no one).
    rig.world.chars["marla"].visited.append(H + "common_room")
    call(rig.world, "marla", "quill, can you take me to the hearth?")
    call(rig.world, "quill", "sure thing")
    assert [rig.world.chars[k].room for k in ("quill", "marla")] == [H + "common_room"] * 2


def test_what_lies_a_way_is_no_walk_asked_and_alone_a_way_asked_is_walked() -> None:
    rig = _led("smugglers_tunnel", "quill", "marla", kit=True)
    call(rig.world, "quill", "what's south?")
    call(rig.world, "marla", "sure")
    assert rig.world.chars["quill"].room == H + "smugglers_tunnel"
    # No one to ask: "go south?" typed is the walk.
    rig.player("wren", "cellar", kit=True)
    call(rig.world, "wren", "go up?")
    assert rig.world.chars["wren"].room == H + "common_room"


def test_ready_asked_after_a_way_named_walks_it_on_their_ready() -> None:
    # Played (round 46) at the eel landing: "the reed path's west. shrine's out there
    # somewhere. ready?", then "ready", and no one walked.
    for asked, there in (
        ("the reed path's west. shrine's out there somewhere. ready?", "reed_path"),
        ("right, back to the crossroads. everyone ready?", "crossroads"),
    ):
        rig = EngineRig()
        for key in ("quill", "marla"):
            rig.player(key, "eel_landing", kit=True)
        rig.world.npcs[H + "drowned_eelcatcher"].alive = False
        call(rig.world, "quill", "invite marla")
        call(rig.world, "marla", "accept")
        call(rig.world, "quill", asked)
        assert rig.world.chars["quill"].room == H + "eel_landing", asked
        call(rig.world, "marla", "ready")
        assert [rig.world.chars[k].room for k in ("quill", "marla")] == [H + there] * 2, asked
    # "ready?" alone asks, and walks nothing.
    call(rig.world, "quill", "everyone ready?")
    call(rig.world, "marla", "ready")
    assert rig.world.chars["quill"].room == H + "crossroads"
    # Words naming no way before it: the one way on (played at the iron door just
    # unlocked: "careful. whatever's in there lights the lamps. ready?", and "ready"
    # walked no one).
    rig = _led("common_room", "quill", "marla", kit=True)
    rig.world.npcs[H + "bog_rat"].alive = False
    rig.world.npcs[H + "drowned_eelcatcher"].alive = False
    rig.apply([SpawnItem(H + "rusty_key", "char:quill")])
    call(rig.world, "quill", "down")
    call(rig.world, "quill", "unlock trapdoor")
    call(rig.world, "quill", "down")
    assert rig.world.chars["marla"].room == H + "smugglers_tunnel"
    # Asked of someone of the world by name, it is theirs: no walk is marked.
    rig.world.npcs[H + "bessa"].room = H + "smugglers_tunnel"
    out = call(rig.world, "quill", "bessa, are you ready?")
    assert out.lines("quill")[0] == "You ask Bessa Thorn, 'Are you ready?'"
    assert "marla" not in rig.world.questions
    rig.world.npcs[H + "bessa"].room = H + "common_room"
    call(rig.world, "quill", "careful. whatever's down here bites. ready?")
    call(rig.world, "marla", "ready")
    assert [rig.world.chars[k].room for k in ("quill", "marla")] == [H + "eel_landing"] * 2


def test_a_number_of_the_sheet_cried_is_said_and_asked_is_answered() -> None:
    # Played (round 46): "ha, level 2! nice work quill" told Marla her own level,
    # privately, and "nice work quill" was lost; "hp?" was "Unknown command".
    rig = EngineRig()
    for key in ("quill", "marla"):
        rig.player(key, "eel_landing", kit=True)
    out = call(rig.world, "marla", "level 2! nice work quill")
    assert out.lines("quill") == ["Marla says, 'level 2! nice work quill'"]
    assert out.lines("marla") == ["You say, 'level 2! nice work quill'"]
    assert call(rig.world, "marla", "hp?").lines("marla")[0].startswith("You have 12 of 12 HP.")
    assert call(rig.world, "marla", "level").lines("marla")[0].startswith("You are a level 1")


def test_a_walk_to_someone_of_the_world_goes_where_they_are() -> None:
    # Played (round 46): "right. let's see tobin about potions" in the tavern was said,
    # and no one went; "go to tobin" did not know the way.
    rig = _led("common_room", "quill", "marla", kit=True)
    call(rig.world, "quill", "go to the old mill")
    call(rig.world, "quill", "go to the common room")
    out = call(rig.world, "quill", "right. let's see tobin about potions")
    assert "You set off for Wick's Lamps and Sundries." in out.lines("quill")
    assert [rig.world.chars[k].room for k in ("quill", "marla")] == [H + "lamp_shop"] * 2
    call(rig.world, "quill", "go to bessa")
    assert rig.world.chars["quill"].room == H + "common_room"
    # Crake attacks no one on sight; a way not known is not walked.
    call(rig.world, "quill", "go to crake")
    assert rig.world.chars["quill"].room == H + "mill_loft"
    rig.player("ann", "common_room", kit=True)
    assert call(rig.world, "ann", "go to edda").lines("ann") == [
        "You do not know the way to 'edda'. Try 'where is edda?'."
    ]


def test_a_call_along_pointing_at_the_way_on_walks_it() -> None:
    # Played (round 46) in the Lamplighter's hall: "we did it. edda must be through
    # there. come on" was said, and no one went.
    rig = _led("common_room", "quill", "marla", kit=True)
    rig.world.npcs[H + "bog_rat"].alive = False
    rig.apply([SpawnItem(H + "rusty_key", "char:quill")])
    call(rig.world, "quill", "down")
    call(rig.world, "quill", "unlock trapdoor")
    call(rig.world, "quill", "we did it. the tunnel must be through there. come on")
    assert [rig.world.chars[k].room for k in ("quill", "marla")] == [H + "smugglers_tunnel"] * 2
    # Pointing nowhere, "come on" walks no one.
    call(rig.world, "quill", "come on")
    assert rig.world.chars["quill"].room == H + "smugglers_tunnel"


def test_a_yes_to_one_who_invited_and_walked_on_goes_after_them_and_joins() -> None:
    # Played (round 53): "Then let's see her room. Will you come, Tova?" walked Oriane
    # up and east, and Tova's "yes, I'll come" was said to the room she had left.
    rig = EngineRig()
    rig.player("ann", "common_room")
    rig.player("bob", "common_room")
    asked = rig.run("ann", "let's go up. Will you come, Bob?")
    assert "Ann invites you to join the group. Type 'group accept', or say yes." in rig.seen(
        "bob", asked
    )
    rig.apply(asked)
    rig.apply(rig.run("ann", "up"))
    effects = rig.run("bob", "yes, I'll come")
    assert "Ann went up: you go after them." in rig.seen("bob", effects)
    assert [e.line for e in effects if isinstance(e, Then)] == ["up and group accept"]
    # Walked on further, the way there; too far, it is only said.
    rig.apply(rig.run("ann", "east"))
    effects = rig.run("bob", "yes, I'll come")
    assert "Ann went on ahead: you go after them." in rig.seen("bob", effects)
    assert [e.line for e in effects if isinstance(e, Then)] == [
        "go to hollowmere:guest_room",
        "group accept",
    ]
    rig.world.move("ann", "hollowmere:sunken_shrine")
    effects = rig.run("bob", "yes, I'll come")
    assert [e for e in effects if isinstance(e, Then)] == []
    assert rig.seen("bob", effects) == ["You say, 'yes, I'll come'"]


def test_a_walk_named_by_one_who_follows_their_leader_here_is_put_to_the_leader() -> None:
    # Played (round 53): Tova led, and Oriane's "back to the tavern cellar then. lead
    # on, Tova." walked Oriane off alone, and nothing of it was said.
    for line, way in (
        ("back to the tavern cellar then. lead on, Tova.", "back to the tavern cellar"),
        ("to the chapel then", "to the chapel"),
        ("onward to the shrine", "to the shrine"),
    ):
        rig = _led("mill_loft", "tova", "oriane", kit=True)
        effects = rig.run("oriane", line)
        assert not [e for e in effects if isinstance(e, (Move, Then))], line
        assert rig.seen("tova", effects)[0].startswith("Oriane says"), line
        asked = [e for e in effects if isinstance(e, PartyUpdate) and e.key == "tova"]
        assert asked == [PartyUpdate("questions", "tova", f"oriane|0|walk:{way}")], line
        # The leader's yes walks the group there.
        rig.apply(effects)
        out = call(rig.world, "tova", "sure")
        assert "You set off for" in out.text("tova"), (line, out.text("tova"))
    # Alone, it is walked, as before.
    rig = EngineRig()
    rig.player("oriane", "mill_loft", kit=True)
    assert any(isinstance(e, Move) for e in rig.run("oriane", "back to the tavern cellar"))


def test_can_i_join_said_beside_a_group_asks_its_leader() -> None:
    # Played (round 53) by a newcomer walking in on a group: "hi guys! can i join?" was
    # said, and no one was asked.
    for line in ("hi guys! can i join?", "can I join your group?", "mind if I come along?"):
        rig = _led("smugglers_tunnel", "tova", "oriane", kit=True)
        rig.player("juno", "smugglers_tunnel", kit=True)
        out = call(rig.world, "juno", line)
        assert "You ask Tova to let you join the group." in out.lines("juno"), line
        assert "Juno asks to join your group. Say yes, or type 'invite Juno'." in out.lines(
            "tova"
        ), line
        assert "You join Tova's group and follow Tova." not in out.lines("juno")
        joined = call(rig.world, "tova", "sure")
        assert "You join Tova's group and follow Tova." in joined.lines("juno"), line


def test_a_walk_after_asking_if_everyone_is_ready_waits_for_a_yes() -> None:
    # Played (round 53): "everyone ready? back to the shrine, and down the stair." walked
    # the leader off before anyone answered.
    rig = _led("crossroads", "tova", "oriane", kit=True)
    out = call(rig.world, "tova", "everyone ready? back to the chapel.")
    assert out.lines("oriane") == ["Tova says, 'everyone ready? back to the chapel.'"]
    assert rig.world.chars["tova"].room == "hollowmere:crossroads"
    out = call(rig.world, "oriane", "ready")
    assert "You follow Tova west." in out.lines("oriane")
    assert rig.world.chars["tova"].room == rig.world.chars["oriane"].room == "hollowmere:chapel"


def test_will_you_come_up_and_look_is_one_question_and_an_invitation() -> None:
    # Played in the final smoke test (round 53): 'Brin leans on the bar and glances at
    # Corra. "Will you come up and look, Corra?"' read "You say Will you come up." and
    # "You ask Corra, 'Look?'", and "sure" made no group.
    for line in (
        'Brin leans on the bar and glances at Corra. "Will you come up and look, Corra?"',
        "will you come up and look, corra?",
    ):
        rig = EngineRig()
        rig.player("brin", "common_room", kit=True)
        rig.player("corra", "common_room", kit=True)
        out = call(rig.world, "brin", line)
        assert "You ask Corra, 'Will you come up and look?'" in out.lines("brin"), line
        assert "You invite Corra to your group." in out.lines("brin"), line
        joined = call(rig.world, "corra", "sure")
        assert "You join Brin's group and follow Brin." in joined.lines("corra"), line
    # A posture and then a deed are still two ("crouch by the trapdoor and ...": the
    # crouch shown, the rest done next).
    rig = EngineRig()
    rig.player("brin", "cellar", kit=True)
    effects = rig.run("brin", "crouch low and search the barrels")
    assert rig.seen("brin", effects)[0] == "You crouch low."


def test_group_and_a_mark_alone_invites_no_one() -> None:
    # Found in review (round 56): "group ?" invited the one other player here.
    rig = EngineRig()
    rig.player("ann", "common_room")
    rig.player("bob", "common_room")
    seen = rig.seen("ann", rig.run("ann", "group ?"))
    assert seen[0].startswith("Usage: group"), seen


@pytest.mark.parametrize(
    "line",
    [
        # Played (Lanternfall, round 62): Tobiah alone was invited, and Ash heard nothing.
        "invite tobiah and ash",
        "group invite tobiah, ash",
        "invite tobiah & ash",
        "invite everyone",
        "group invite all of you",
        # Found in review: Tobiah alone invited, and no one.
        "invite tobiah and ash to my group",
        "group invite tobiah and ash to my group",
    ],
)
def test_an_invitation_to_several_here_invites_each(line: str) -> None:
    rig = EngineRig()
    for key in ("wren", "tobiah", "ash"):
        rig.player(key, "common_room")
    effects = rig.run("wren", line)
    rig.apply(effects)
    assert rig.world.invites == {"tobiah": "wren", "ash": "wren"}, rig.seen("wren", effects)
    assert rig.seen("wren", effects) == [
        "You invite Tobiah to your group.",
        "You invite Ash to your group.",
    ]
    assert rig.seen("ash", effects) == [
        "Wren invites you to join the group. Type 'group accept', or say yes."
    ]
    rig.apply(rig.run("tobiah", "accept"))
    rig.apply(rig.run("ash", "join"))
    assert party.members(rig.world, "wren") == ["wren", "tobiah", "ash"]


def test_a_list_with_a_name_of_no_one_here_invites_no_one_of_it() -> None:
    rig = EngineRig()
    for key in ("wren", "tobiah"):
        rig.player(key, "common_room")
    seen = rig.seen("wren", rig.run("wren", "group invite zed and cy"))
    assert seen == ["You see no 'zed and cy' here."], seen
    # Those here of a list are invited, and the one not here is told.
    effects = rig.run("wren", "invite tobiah, zed")
    assert rig.seen("wren", effects) == [
        "You invite Tobiah to your group.",
        "You see no 'zed' here.",
    ]
    assert rig.world.invites == {}
    rig.player("ash", "common_room")
    call(rig.world, "wren", "invite ash")
    call(rig.world, "ash", "accept")
    # Everyone here already of one's group: no one is left to ask.
    call(rig.world, "wren", "invite tobiah")
    call(rig.world, "tobiah", "accept")
    assert call(rig.world, "wren", "invite everyone").lines("wren") == [
        "There is no one here to invite."
    ]


def test_asking_those_here_together_invites_each_and_each_yes_accepts() -> None:
    # Played (Lanternfall): "hey you two, ... want to go find this Pell kid together?"
    # to two newcomers, and Tobiah's "Aye." made no group.
    rig = EngineRig()
    for key in ("wren", "tobiah", "ash"):
        rig.player(key, "common_room")
    call(rig.world, "wren", "say hey you two, want to go find this Pell kid together?")
    assert rig.world.invites == {"tobiah": "wren", "ash": "wren"}
    call(rig.world, "tobiah", "say Aye. The brother seems worried.")
    call(rig.world, "ash", "sure")
    assert party.members(rig.world, "wren") == ["wren", "tobiah", "ash"]


def test_join_alone_asks_the_one_group_here_or_says_how() -> None:
    # Played: Ash, whose invitation had gone astray, typed "join": "You try to join."
    rig = EngineRig()
    rig.player("ash", "common_room")
    assert call(rig.world, "ash", "join").lines("ash") == [
        "No one has invited you to a group. ('invite <player>' asks someone beside you to"
        " join yours.)"
    ]
    _grouped_here = ("wren", "tobiah")
    for key in _grouped_here:
        rig.player(key, "common_room")
    call(rig.world, "wren", "invite tobiah")
    call(rig.world, "tobiah", "accept")
    out = call(rig.world, "ash", "join")
    assert out.lines("ash") == ["You ask Wren to let you join the group."]
    assert out.lines("wren") == ["Ash asks to join your group. Say yes, or type 'invite Ash'."]


def test_asking_to_come_along_too_asks_the_leader_and_a_yes_takes_them_in() -> None:
    # Played (Lanternfall): "Wren, mind if I come along too?" beside Wren's group, and
    # her "of course! the more the merrier" made no group.
    rig = _wren_leads_hale("lamp_shop", "ash")
    out = call(rig.world, "ash", "Wren, mind if I come along too?")
    assert out.lines("wren")[-1] == "Ash asks to join your group. Say yes, or type 'invite Ash'."
    call(rig.world, "wren", "of course! the more the merrier")
    assert party.members(rig.world, "wren") == ["wren", "hale", "ash"]


def test_an_invitation_with_words_after_the_name_is_of_that_one_alone() -> None:
    # Found in review: "invite ash, please" invited Ash, and said "You see no 'please'
    # here."; a member's "invite everyone" said "Only the leader ..." once for each here.
    for line in ("invite ash, please", "invite ash, lets go", "invite ash and go"):
        rig = EngineRig()
        for key in ("wren", "tobiah", "ash"):
            rig.player(key, "common_room")
        assert call(rig.world, "wren", line).lines("wren") == ["You invite Ash to your group."], (
            line
        )
    rig = EngineRig()
    for key in ("wren", "tobiah", "ash", "cy"):
        rig.player(key, "common_room")
    call(rig.world, "wren", "invite tobiah")
    call(rig.world, "tobiah", "accept")
    assert call(rig.world, "tobiah", "invite everyone").lines("tobiah") == [
        "Only the leader, Wren, can invite."
    ]


@pytest.mark.parametrize(
    "line",
    [
        # Found in review: each invited both others here.
        "I don't want to travel together with you guys",
        "you two should search for Pell together, I'll wait here",
        "everyone should stick together out there",
        "are you guys a party? do you travel together?",
    ],
)
def test_words_to_all_here_that_ask_no_one_along_invite_no_one(line: str) -> None:
    rig = EngineRig()
    for key in ("wren", "tobiah", "ash"):
        rig.player(key, "common_room")
    call(rig.world, "wren", line)
    assert rig.world.invites == {}, line


def test_a_way_put_to_the_group_toward_a_place_it_does_not_lead_to_walks_to_the_place() -> None:
    # Played (round 63): "welcome. we're headed south through the tunnel. everyone
    # ready?" in the tavern, whose south is the crossroads and whose tunnel lies below:
    # "ready!" walked the group to the crossroads.
    rig = EngineRig()
    seen = ("common_room", "cellar", "smugglers_tunnel", "crossroads")
    for key, cls in (("mira", "hollowmere:rogue"), ("jonah", "hollowmere:cleric")):
        char = rig.player(key, "common_room", cls, kit=True)
        char.visited = [f"hollowmere:{r}" for r in seen]
    call(rig.world, "mira", "invite jonah")
    call(rig.world, "jonah", "group accept")
    door = rig.world.room("hollowmere:cellar").exit("down")
    assert door is not None and door.door is not None
    rig.world.set_door(door.door.id, False, False)
    call(rig.world, "mira", "welcome. we're headed south through the tunnel. everyone ready?")
    out = call(rig.world, "jonah", "ready!")
    assert "You set off for the Smugglers' Tunnel." in out.text("mira"), out.text("mira")
    assert {rig.world.chars[k].room for k in ("mira", "jonah")} == {"hollowmere:smugglers_tunnel"}
    # A way that leads to the place named is the way, as before.
    rig2 = EngineRig()
    for key in ("mira", "jonah"):
        rig2.player(key, "common_room", kit=True)
    call(rig2.world, "mira", "invite jonah")
    call(rig2.world, "jonah", "group accept")
    call(rig2.world, "mira", "south to the crossroads. everyone ready?")
    call(rig2.world, "jonah", "ready!")
    assert rig2.world.chars["mira"].room == "hollowmere:crossroads"


def test_one_sought_whose_way_is_unknown_and_a_place_first_walks_to_the_place() -> None:
    # Played (round 63, Lanternfall): "ok lets go find pell. his cell first" in the
    # chandlery was said, and no one went.
    rig = EngineRig(pack="lanternfall")
    rig.player("pip", "chandlery", "lanternfall:lantern_monk", kit=True)
    rig.player("ode", "chandlery", "lanternfall:warden", kit=True)
    call(rig.world, "pip", "invite ode")
    call(rig.world, "ode", "group accept")
    out = call(rig.world, "pip", "ok lets go find pell. his cell first")
    assert out.lines("pip")[0] == "You say, 'ok lets go find pell. his cell first'", out.lines(
        "pip"
    )
    assert {rig.world.chars[k].room for k in ("pip", "ode")} == {"lanternfall:novice_cell"}
    # "then", as before, and "first" alone: the place decided on.
    rig.world.move("pip", "lanternfall:chandlery")
    rig.world.move("ode", "lanternfall:chandlery")
    call(rig.world, "pip", "ok. the chapel first")
    assert rig.world.chars["pip"].room == "lanternfall:lamp_chapel"


def test_a_place_alone_beside_any_call_along_walks_the_group_there() -> None:
    # Played (round 63, Lanternfall): "alright, cairn road. stay close ode" in Pell's
    # cell was said, and no one went ("stay close" no word of walking).
    rig = EngineRig(pack="lanternfall")
    seen = ["lanternfall:" + r for r in ("hostel_hall", "pass_square", "novice_cell")]
    for key, cls in (("pip", "lanternfall:lantern_monk"), ("ode", "lanternfall:warden")):
        rig.player(key, "novice_cell", cls, kit=True).visited = list(seen)
    call(rig.world, "pip", "invite ode")
    call(rig.world, "ode", "group accept")
    out = call(rig.world, "pip", "alright, cairn road. stay close ode")
    assert "You set off for the Cairn Road." in out.text("pip"), out.text("pip")
    assert {rig.world.chars[k].room for k in ("pip", "ode")} == {"lanternfall:cairn_road"}
    # A call along with no place alone is only said.
    out = call(rig.world, "pip", "careful now. stay close ode")
    assert rig.world.chars["pip"].room == "lanternfall:cairn_road", out.text("pip")


@pytest.mark.parametrize(
    "line",
    [
        # Found in review: each walked the group to the place named.
        "we should ask bessa about the mill first",
        "dont go to the cellar first",
        "we should search the cellar first",
        "shrine scares me. stay close",
        "old mill? no way. stay close",
        "creepy old mill. stay close",
        "mill stinks. stay close jonah",
    ],
)
def test_a_place_in_words_that_decide_no_walk_walks_no_one(line: str) -> None:
    rig = EngineRig()
    seen = ["common_room", "cellar", "crossroads", "market_lane", "old_mill"]
    seen += ["sunken_causeway", "reed_path", "sunken_shrine"]
    for key in ("mira", "jonah"):
        rig.player(key, "crossroads", kit=True).visited = [f"hollowmere:{r}" for r in seen]
    call(rig.world, "mira", "invite jonah")
    call(rig.world, "jonah", "group accept")
    call(rig.world, "mira", line)
    assert rig.world.chars["mira"].room == "hollowmere:crossroads", line
