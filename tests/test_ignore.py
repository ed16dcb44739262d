"""Ignoring a player (mud.engine.presence): their words and gestures (says, emotes,
socials, tells, whispers, shouts, group talk, ooc, words to someone of the world and
the narration of them) no longer reach the one ignoring them; kept over a restart.
Pure through tests/enginerig.py, the narration request builder (mud.hub.narration),
and over real telnet and SSH against the real server (tests/mudclient.py)."""

from __future__ import annotations

from pathlib import Path

import pytest
from hubrig import Rig
from mudclient import (
    TelnetPlayer,
    login_existing,
    make_config,
    running_server,
    telnet_and_ssh,
)
from test_gmcp_state import channel, sync

from mud.core.narration import Outcome, Priority
from mud.engine.effects import Tell, ToAll
from mud.engine.state import ignoring
from mud.hub import narration
from tests.enginerig import EngineRig

SELF = "No one called 'ann' is playing."


def _three() -> EngineRig:
    rig = EngineRig()
    for key in ("ann", "bob", "cal"):
        rig.player(key, "common_room", kit=True)
    rig.apply(rig.run("ann", "ignore bob"))
    return rig


def test_what_one_ignored_says_and_does_to_be_heard_does_not_reach_them() -> None:
    rig = _three()
    assert ignoring(rig.world.chars["ann"]) == ("bob",)
    assert rig.world.ignored_by == {"bob": {"ann"}}
    for line, cal_reads in (
        ("say the stew is cold", "Bob says, 'the stew is cold'"),
        ("emote yawns", "Bob yawns."),
        ("smile", "Bob smiles."),
        ("smile at ann", "Bob smiles at Ann."),
        ("shout hello?", "Bob shouts, 'hello?'"),
    ):
        effects = rig.run("bob", line)
        assert rig.seen("ann", effects) == [], line
        assert cal_reads in rig.seen("cal", effects), line
    ooc = [e for e in rig.run("bob", "ooc anyone about?") if isinstance(e, ToAll)]
    assert ooc and all("ann" in e.exclude for e in ooc)
    # Words to someone of the world, and the answer, are not hers to read either.
    talk = rig.run("bob", "bessa, any news?")
    assert rig.seen("ann", talk) == [] and rig.seen("cal", talk)


def test_a_tell_to_one_who_ignores_you_is_not_delivered_and_you_are_told() -> None:
    rig = _three()
    effects = rig.run("bob", "tell ann are you there?")
    assert rig.seen("bob", effects) == ["Ann is not listening to you."]
    assert not [e for e in effects if isinstance(e, Tell) and e.who == "ann"]
    assert rig.seen("ann", rig.run("bob", "whisper ann psst")) == []


def test_group_talk_skips_the_member_who_ignores_the_speaker() -> None:
    rig = _three()
    for key in ("bob", "cal"):
        rig.apply(rig.run("ann", f"invite {key}"))
        rig.apply(rig.run(key, "accept"))
    effects = rig.run("bob", "gt the cellar next?")
    assert rig.seen("ann", effects) == []
    assert rig.seen("cal", effects) == ["Bob tells the group, 'the cellar next?'"]


def test_ignore_lists_unignore_hears_again_and_the_index_follows() -> None:
    rig = _three()
    assert rig.seen("ann", rig.run("ann", "ignore")) == [
        "You ignore: Bob. 'unignore <player>' hears one again."
    ]
    assert rig.seen("ann", rig.run("ann", "ignore ann")) == [SELF]
    effects = rig.run("ann", "unignore bob")
    assert rig.seen("ann", effects) == ["You hear Bob again."]
    rig.apply(effects)
    assert rig.world.ignored_by == {} and ignoring(rig.world.chars["ann"]) == ()
    assert rig.seen("ann", rig.run("bob", "say welcome back")) == ["Bob says, 'welcome back'"]
    # Ignored again, then saved: leaving the world takes the ignoring out of the index,
    # and coming back (from the saved state) puts it in again.
    rig.apply(rig.run("ann", "ignore bob"))
    saved = rig.world.character_json(rig.world.chars["ann"])
    rig.world.remove("ann")
    assert rig.world.ignored_by == {}
    back = rig.world.restore_character("ann", saved, name="Ann", is_admin=False)
    rig.world.place(back)
    assert rig.world.ignored_by == {"bob": {"ann"}}


def test_an_admin_ignoring_a_player_still_reads_their_reports() -> None:
    rig = EngineRig()
    rig.player("keeper", "common_room").is_admin = True
    rig.player("bob", "common_room")
    rig.apply(rig.run("keeper", "ignore bob"))
    (shown,) = [e for e in rig.run("bob", "bug the stew is cold") if isinstance(e, ToAll)]
    assert shown.admins_only and "keeper" not in shown.exclude


def test_an_admin_cannot_be_ignored_and_no_one_is_told() -> None:
    rig = EngineRig()
    rig.player("ann", "common_room")
    rig.player("keeper", "common_room").is_admin = True
    assert rig.seen("ann", rig.run("ann", "ignore keeper")) == [
        "Keeper keeps this world: you cannot ignore them."
    ]
    rig.player("bob", "common_room")
    effects = rig.run("ann", "ignore bob")
    assert rig.seen("bob", effects) == [] and rig.seen("keeper", effects) == []


def test_the_narration_of_words_to_someone_of_the_world_leaves_the_ignorer_out() -> None:
    rig = _three()
    world = rig.world

    def audience(kind: str) -> tuple[str, ...]:
        asked = narration.request(
            world, 1, "bob", "hollowmere:common_room", kind, "Bob asks Bessa",
            Outcome("dialogue", 1), Priority.MEDIUM, created=0.0,
        )  # fmt: skip
        return asked.audience

    assert set(audience("talk")) == {"Bob", "Cal"}
    # A deed in Bob's own words too: played by a griefer, "do spit on vicky and call her
    # ..." was read by the one ignoring him, word for word (a deed had been the world's).
    assert set(audience("action")) == {"Bob", "Cal"}
    assert set(audience("fight")) == {"Ann", "Bob", "Cal"}  # the engine's own events


def test_deeds_and_rolls_in_ones_own_words_do_not_reach_who_ignores_them() -> None:
    # Played by a griefer, ignored: "do spit on vicky ..." ("Shithead tries to spit on
    # you ..."), "*licks vicky*" and "roll 1d20 vicky sucks" all reached her.
    rig = _three()
    for line in ("do spit on ann and call her names", "*licks ann*", "roll 1d20 ann sucks"):
        effects = rig.run("bob", line)
        assert rig.seen("ann", effects) == [], line
        assert rig.seen("cal", effects), line  # the others still see it
        rig.apply(effects)


def test_one_ignored_cannot_follow_invite_show_give_or_tip_the_one_ignoring() -> None:
    rig = _three()
    for line in (
        "follow ann",
        "group invite ann",
        "invite ann",
        "show ann potion",
        "give potion to ann",
        "tip ann 1",
    ):
        effects = rig.run("bob", line)
        assert rig.seen("ann", effects) == [], line
        assert rig.seen("bob", effects) == ["Ann wants none of that from you."], line
        rig.apply(effects)
    assert "bob" not in rig.world.following and "ann" not in rig.world.invites
    effects = rig.run("bob", "follow cal")  # another is no one's business of Ann's
    assert rig.seen("bob", effects)[0] == "You now follow Cal."


def _pair() -> EngineRig:
    """Ann and Bob in the tavern, neither ignoring the other yet."""
    rig = EngineRig()
    for key in ("ann", "bob"):
        rig.player(key, "common_room", kit=True)
    return rig


def test_ignoring_ends_what_they_set_going_with_you() -> None:
    rig = _pair()
    rig.apply(rig.run("bob", "follow ann"))
    rig.apply(rig.run("bob", "group invite ann"))
    rig.apply(rig.run("bob", "ann, are you new here?"))
    assert rig.world.following.get("bob") == "ann" and rig.world.invites.get("ann") == "bob"
    assert rig.world.questions.get("ann", "").startswith("bob|")
    effects = rig.run("ann", "ignore bob")
    assert "You stop following Ann." in rig.seen("bob", effects)
    rig.apply(effects)
    assert "bob" not in rig.world.following and "ann" not in rig.world.invites
    assert "ann" not in rig.world.questions
    # Her next words are hers to aim: played, "say hello rawvic, want to explore?"
    # went to the one she ignored, as an answer to his question.
    effects = rig.run("ann", "sure")
    assert "group" not in " ".join(rig.seen("ann", effects)).lower()
    # And a question from one ignored sets nothing waiting on her answer.
    rig.apply(rig.run("bob", "ann, want to explore?"))
    assert "ann" not in rig.world.questions


async def test_no_channel_package_of_ones_words_reaches_who_ignores_them(rig: Rig) -> None:
    alice = await rig.create("Alice")
    bob = await rig.create("Bob")
    carol = await rig.create("Carol")
    await rig.line(alice, "ignore bob")
    await alice.expect("You ignore Bob")
    for session in (alice, carol):
        await sync(rig, session)
        session.packages.clear()
    await rig.line(bob, "say the cellar next?")
    await carol.expect("Bob says")
    for session in (alice, bob, carol):
        await sync(rig, session)
    said = ("Comm.Channel.Text", {"channel": "say", "talker": "Bob", "text": "the cellar next?"})
    assert channel(carol) == [said]
    assert channel(alice) == []
    assert "cellar next" not in alice.text


async def test_one_ignored_coming_and_going_is_not_told_to_who_ignores_them(rig: Rig) -> None:
    # Played by a griefer: a login loop put "Altaa steps into view." and "Altaa leaves
    # the game." on his ignorer's screen 41 times in 20 s, 'ignore' or not.
    alice = await rig.create("Alice")
    carol = await rig.create("Carol", peer="10.0.0.3")
    altaa = await rig.create("Altaa", peer="10.0.0.2")
    await rig.line(alice, "ignore altaa")
    await alice.expect("You ignore Altaa")
    for _ in range(2):
        await rig.line(altaa, "quit")
        await altaa.wait_closed()
        await carol.expect("Altaa leaves the game.")
        altaa = await rig.login("Altaa", peer="10.0.0.2")
        await carol.expect("Altaa steps into view.")
    await rig.line(alice, "say still quiet here")
    await carol.expect("Alice says, 'still quiet here'")
    assert "Altaa" not in alice.text.split("You ignore Altaa")[-1]
    # Nor where the ignorer is, out of the room: 'where' and 'scan' leave her out.
    await rig.line(alice, "south")
    await alice.expect("Exits:")
    await rig.line(altaa, "where")
    await altaa.expect("Players near you")
    await rig.line(altaa, "scan")
    await altaa.expect(r"(?s)South.*\n")
    assert "Alice" not in altaa.text.split("Players near you")[-1]
    await rig.line(carol, "where")
    await carol.expect("Alice")


async def test_an_address_makes_only_so_many_new_characters_an_hour(tmp_path: Path) -> None:
    # Played by a griefer: seven new characters in a few seconds from one address, each
    # greeting the start room, made ignoring him a game of whack-a-mole.
    from hubrig import make_rig

    async with make_rig(tmp_path, new_per_ip=2) as rig:
        await rig.create("Altaa", peer="10.0.0.9")
        await rig.create("Altbb", peer="10.0.0.9")
        s = await rig.connect(peer="10.0.0.9")
        await rig.line(s, "Altcc")
        await s.expect(
            r"Your address has made 2 new characters in the last hour\. Log in to one of"
            r" them, or make another in\s+60 minutes\."
        )
        await s.expect("What is your name")
        await rig.line(s, "Altaa")  # its own characters still log in
        await s.expect("Password:")
        other = await rig.connect(peer="10.0.0.8")
        await rig.line(other, "Altcc")
        await other.expect(r"Create Altcc\? \(yes/no\)")
        rig.clock.advance(3601.0)
        await rig.line(s, "quit")
        again = await rig.connect(peer="10.0.0.9")
        await rig.line(again, "Altdd")
        await again.expect(r"Create Altdd\? \(yes/no\)")


async def test_over_telnet_and_ssh_one_ignored_is_not_heard_even_after_a_restart(
    tmp_path: Path,
) -> None:
    config = make_config(tmp_path)
    async with running_server(config) as srv:
        ann, bob = await telnet_and_ssh(srv.telnet_port, srv.ssh_port)
        ann.send("ignore bob")
        await ann.expect("You ignore Bob: you no longer hear them.")
        bob.send("say can anyone hear me?")
        await bob.expect("You say, 'can anyone hear me")
        bob.send("tell ann hello?")
        await bob.expect("Ann is not listening to you.")
        ann.send("look")
        await ann.expect("Exits:")
        assert "can anyone hear me" not in ann.seen and "hello?" not in ann.seen
        await ann.close()
        await bob.close()
    async with running_server(config) as srv:
        ann = await TelnetPlayer.connect(srv.telnet_port)
        await login_existing(ann, "Ann")
        ann.send("ignore")
        await ann.expect("You ignore: Bob.")
        # Nor in the room's recent talk read on logging in (played by a griefer: the
        # one ignored was read back for an hour), where Bob, logging in, reads it.
        assert "can anyone hear me" not in ann.seen
        bob = await TelnetPlayer.connect(srv.telnet_port)
        await login_existing(bob, "Bob")
        await bob.expect("Recently said here:")
        await bob.expect("You say, 'can anyone hear me")
        await bob.close()
        await ann.close()


def test_the_same_words_a_third_time_running_and_a_flood_of_reports_are_refused() -> None:
    # Played by a griefer: "say same spam" 150 times at eight a second, all delivered;
    # 250 bug reports, each shown to every admin at once.
    rig = _three()
    said = ("say same spam", "look", "say same spam")
    effects = rig.run("bob", "say same spam", recent=said)
    assert rig.seen("bob", effects) == ["You have just said that. Say something new."]
    assert rig.seen("cal", effects) == []
    effects = rig.run("bob", "say same spam", recent=("say same spam", "look"))
    assert rig.seen("cal", effects) == ["Bob says, 'same spam'"]  # twice is talk
    # Marks and capitals make no new words (played, round 53: "shout LOL NOOBS!!" passed
    # after "shout LOL NOOBS" twice).
    effects = rig.run("bob", "shout LOL NOOBS!!", recent=("shout LOL NOOBS",) * 2)
    assert rig.seen("bob", effects) == ["You have just said that. Say something new."]
    # A deed tried again is no flood.
    effects = rig.run("bob", "search the hearth", recent=("search the hearth",) * 3)
    assert "You have just said that" not in " ".join(rig.seen("bob", effects))
    reports = ("bug junk 1", "typo junk 2", "look", "idea junk 3")
    effects = rig.run("bob", "bug junk 4", recent=reports)
    assert rig.seen("bob", effects) == [
        "You have sent 3 reports just now, and each is kept. Play on a while before the next."
    ]
    effects = rig.run("bob", "bug a real one", recent=reports[1:])
    assert rig.seen("bob", effects)[0].startswith("Thank you: your bug report is kept")


@pytest.mark.parametrize(
    "line", ["poke cal", "wave", "group invite cal", "show longsword to cal", "follow cal"]
)
def test_a_social_or_a_command_aimed_at_another_floods_as_talk_does(line: str) -> None:
    # Played by a griefer: "poke mara", "group invite mara" and "show dagger to mara"
    # thirty times each, each one to her screen.
    rig = _three()
    effects = rig.run("bob", line, recent=(line, "look", line))
    assert rig.seen("bob", effects) == ["You have just done that twice. Do something else first."]
    assert rig.seen("cal", effects) == []
    assert rig.seen("cal", rig.run("bob", line, recent=(line, "look")))  # twice is play
    # A deed tried again is no flood, nor a look, nor a look at one's group.
    for looked in ("look", "group list", "group"):
        again = rig.run("bob", looked, recent=(looked,) * 3)
        assert "twice" not in " ".join(rig.seen("bob", again)), looked


def test_a_leader_ignored_may_still_put_the_ignorer_out_of_the_group() -> None:
    rig = _pair()
    rig.apply(rig.run("bob", "group invite ann"))
    rig.apply(rig.run("ann", "group accept"))
    rig.apply(rig.run("ann", "ignore bob"))
    effects = rig.run("bob", "group kick ann")
    assert "wants none of that" not in " ".join(rig.seen("bob", effects))
