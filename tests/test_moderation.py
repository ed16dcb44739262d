"""Moderation the griefer's report found thin: a banned player's lines left out of the
room's recent talk, a player's ``report`` of another, an admin's ``mute``, and admins
marked where players look for them (the hub on a real database file, fake sessions)."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from hubrig import FakeSession, Rig, make_rig
from mudclient import TelnetPlayer, login_new, make_config, running_server, telnet_and_ssh
from test_admin import amud

from mud.engine.effects import AskNarration, Rolled
from tests.call import call
from tests.enginerig import EngineRig


async def _admin_and_two(rig: Rig) -> tuple[FakeSession, FakeSession, FakeSession]:
    """The admin Oberon, and Mara and Vex from two other addresses, in the common room."""
    oberon = await rig.create_admin("Oberon")
    mara = await rig.create("Mara", peer="10.0.0.2")
    vex = await rig.create("Vex", peer="10.0.0.3")
    return oberon, mara, vex


async def _audited(rig: Rig) -> list[tuple[str, str | None]]:
    """(action, target) of each admin action recorded, once the writes are in."""
    assert rig.store is not None
    await rig.logged()
    return [(e.action, e.target) for e in await rig.store.audit_log()]


async def _sees(session: FakeSession, text: str) -> None:
    """Wait for ``text`` as written, wherever the screen's width broke its lines."""
    await session.expect(r"\s+".join(re.escape(word) for word in text.split()))


async def test_what_a_banned_player_said_is_not_read_back_to_those_who_log_in(
    rig: Rig,
) -> None:
    # Played by a griefer: his emote forging "Quest complete: ..." was shown under
    # "Recently said here:" to each who logged in for an hour after he was banned. (Such
    # an emote is now refused as a forgery, test_forgery; his words said aloud are not.)
    oberon, mara, vex = await _admin_and_two(rig)
    await rig.line(vex, "say Quest complete! Type your password to claim it.")
    await _sees(mara, "Quest complete!")
    await rig.line(mara, "say the stew smells good")
    await _sees(vex, "the stew smells good")
    await rig.line(mara, "quit")
    await mara.wait_closed()
    await rig.line(oberon, "ban vex forging the game's lines")
    await _sees(oberon, "Banned Vex")
    back = await rig.login("Mara", peer="10.0.0.2")
    await _sees(back, "Recently said here:")
    await _sees(back, "You say, 'the stew smells good'")
    assert "Quest complete" not in back.text


async def test_a_player_reports_another_to_the_admins_alone(rig: Rig) -> None:
    # Played by a griefer's mark: "report vex" told the room her hit points while he
    # asked for her password.
    oberon, mara, vex = await _admin_and_two(rig)
    await rig.line(mara, "report vex asked for my password, said he was an admin")
    await _sees(
        mara,
        "Thank you: your report about Vex is kept for those who run this world, and an"
        " admin in the game has read it. 'ignore vex' stops you hearing them meanwhile.",
    )
    await _sees(
        oberon,
        "[report] Mara reports Vex in The Drowned Lantern, Common Room: asked for my"
        " password, said he was an admin",
    )
    await rig.line(mara, "report")  # alone: how she fares, to the room, as before
    await vex.expect(r"Mara reports: 12/12 HP\.")
    await rig.line(mara, "report nobody at all")
    await _sees(mara, "No player called 'nobody' is here in the game to report.")
    await rig.line(mara, "report vex")
    await _sees(mara, "Usage: report Vex <what they did>")
    assert "asked for my password" not in vex.text
    await rig.logged()
    assert rig.store is not None
    (kept,) = await rig.store.player_reports(10)
    assert (kept.kind, kept.speaker, kept.target) == ("report", "Mara", "Vex")
    assert kept.text == "asked for my password, said he was an admin"
    # An admin reads them in the game too (played, round 53: an admin's "reports" read
    # "You report: 12/12 HP.", the reports on the server's disk alone); a player's
    # "reports" is their own report of how they fare, as before.
    await rig.line(oberon, "reports")
    await _sees(oberon, "The last 1 report(s) from players:")
    await _sees(oberon, "report Mara")
    await _sees(oberon, "about Vex: asked for my password, said he was an admin")
    await rig.line(mara, "reports")
    await vex.expect(r"Mara reports: 12/12 HP\.")
    # Nor is it among a player's commands.
    await rig.line(mara, "help")
    await _sees(mara, "Type 'help <command>' for details.")
    assert re.search(r"\breport\s+rest\b", mara.text), mara.text


async def test_an_admin_mutes_a_player_until_it_runs_out(tmp_path: Path) -> None:
    # Played by a griefer: the admin's "mute vex" was a deed, narrated "Oberon tries to
    # mute you.", and nothing kept his forged lines from the room.
    # Idle for longer than the mute without being sent away.
    async with make_rig(tmp_path, idle_warn=9000.0, idle_close=9999.0) as rig:
        await _mute_runs_out(rig)


async def _mute_runs_out(rig: Rig) -> None:
    oberon, mara, vex = await _admin_and_two(rig)
    await rig.line(mara, "mute vex")
    await _sees(mara, "Only admins can mute a player. 'ignore <player>' stops you hearing one")
    await rig.line(oberon, "mute vex 30m forging the game's lines")
    await _sees(
        oberon, "Muted Vex for 30 minutes: forging the game's lines. ('unmute vex' lifts it.)"
    )
    await _sees(vex, "An admin has muted you for 30 minutes: forging the game's lines.")
    refused = "You are muted for 30 minutes more: forging the game's lines. Your words reach"
    for line in (
        "say Quest complete!",
        "emote Wrong password.",
        "wave",
        "tell mara give me your password",
        "ooc anyone?",
        "shout hello",
        "describe Admin of this world",
        "I polish the bar and whistle",
        "where is edda?",
    ):
        await rig.line(vex, line)
        await _sees(vex, refused)
    # Play goes on: looking, and a deed the rules roll.
    await rig.line(vex, "look")
    await _sees(vex, "Exits:")
    await rig.line(vex, "search the hearth")
    await _sees(mara, "Vex searches the hearth.")
    await mara.expect(r"Vex: WIS check \d+ vs DC")
    await rig.line(oberon, "mute")
    await _sees(oberon, "Muted: Vex for 30 minutes more: forging the game's lines.")
    # Kept over logging out and in.
    await rig.line(vex, "quit")
    await vex.wait_closed()
    vex = await rig.login("Vex", peer="10.0.0.3")
    await _sees(vex, "Exits:")
    await rig.line(vex, "say am I still muted?")
    await _sees(vex, "You are muted for 30 minutes more")
    rig.clock.advance(1801)
    await rig.line(vex, "say I can speak")
    await _sees(mara, "Vex says, 'I can speak'")
    assert not any(
        said in mara.text for said in ("Quest complete", "Wrong password", "give me your")
    )


async def test_an_admin_lifts_a_mute(rig: Rig) -> None:
    oberon, mara, vex = await _admin_and_two(rig)
    await rig.line(oberon, "mute vex spamming")
    await _sees(oberon, "Muted Vex until lifted: spamming.")
    await rig.line(vex, "say hi")
    await _sees(vex, "You are muted until an admin lifts it: spamming.")
    await rig.line(oberon, "unmute vex")
    await _sees(oberon, "Vex may speak again.")
    await _sees(vex, "An admin has lifted your mute: speak freely.")
    await rig.line(vex, "say thanks")
    await _sees(mara, "Vex says, 'thanks'")
    await rig.line(oberon, "unmute vex")
    await _sees(oberon, "Vex is not muted.")
    await rig.line(oberon, "mute oberon")
    await _sees(oberon, "You cannot mute yourself.")
    # (Looked for among the saved characters since round 53: one not in the game may be
    # muted too.)
    await rig.line(oberon, "mute nobody")
    await _sees(oberon, "No player called 'nobody' has played here.")
    assert await _audited(rig) == [("mute", "vex"), ("unmute", "vex")]


async def test_the_admins_are_marked_where_players_look_for_them(rig: Rig) -> None:
    await rig.create_admin("Oberon")
    mara = await rig.create("Mara", peer="10.0.0.2")
    await rig.line(mara, "who")
    await mara.expect(r"Oberon \(admin\)")
    await rig.line(mara, "who is oberon?")
    await _sees(mara, "They keep this world: an admin.")
    assert "Mara (admin)" not in mara.text


@pytest.mark.parametrize("line", ["i push mara into the fire", "shove Mara down the stairs"])
def test_a_deed_done_to_a_player_rolls_nothing_against_them(line: str) -> None:
    # Played by a griefer: "i push mara into the fire" rolled a STR check whose success
    # Mara read ("Vex pushes you into the fire.") and the DM narrated as done.
    rig = EngineRig()
    rig.player("mara", "common_room")
    rig.player("vex", "common_room")
    effects = rig.run("vex", line)
    assert not any(isinstance(e, Rolled) for e in effects)
    (seen,) = rig.seen("mara", effects)
    assert seen.startswith("Vex tries to ") and " you " in f"{seen} "
    (ask,) = [e for e in effects if isinstance(e, AskNarration)]
    assert ask.outcome.kind == "none"
    assert "Mara is another player: tell only the attempt" in ask.outcome.facts[0]
    # A deed of the room is rolled as ever.
    assert any(isinstance(e, Rolled) for e in rig.run("vex", "search the hearth"))


def test_a_report_with_no_admin_in_the_game_says_it_is_read_later() -> None:
    rig = EngineRig()
    rig.player("mara", "common_room")
    rig.player("vex", "common_room")
    assert rig.seen("mara", rig.run("mara", "report vex threatened me")) == [
        "Thank you: your report about Vex is kept for those who run this world, who will"
        " read it (no admin is in the game now). 'ignore vex' stops you hearing them"
        " meanwhile."
    ]


async def test_over_telnet_and_ssh_a_report_reaches_the_admin_who_mutes(tmp_path: Path) -> None:
    config = make_config(tmp_path, limits={"admin_refresh": 0.2})
    async with running_server(config) as srv:
        mara, vex = await telnet_and_ssh(srv.telnet_port, srv.ssh_port, "Mara", "Vex")
        oberon = await TelnetPlayer.connect(srv.telnet_port)
        await login_new(oberon, "Oberon")
        code, _, err = await amud("admin", "grant", "oberon", "--db", config.db)
        assert code == 0, err
        await oberon.expect("You are now an admin")
        vex.send("emote Quest complete! Type your password to claim the reward.")
        await mara.expect("Quest complete!")
        mara.send("report vex pretends to be the game")
        await mara.expect("your report about Vex is kept")
        await oberon.expect(r"\[report\] Mara reports Vex in [^:]+: pretends to be\s+the game")
        oberon.send("mute vex 10m impersonating the game")
        await oberon.expect(r"Muted Vex for 10 minutes: impersonating the game\.")
        await vex.expect("An admin has muted you for 10 minutes")
        vex.send("say type your password here")
        await vex.expect("You are muted for")
        mara.send("who")
        await mara.expect(r"Oberon \(admin\)")
        assert "type your password here" not in mara.seen
        for player in (mara, vex, oberon):
            await player.close()
    code, out, err = await amud("admin", "reports", "--db", config.db)
    assert code == 0, err
    assert re.search(r"report +Mara .*about Vex: pretends to be the game", out)
    code, out, err = await amud("admin", "audit", "--db", config.db)
    assert code == 0, err
    assert re.search(r"oberon +mute +vex +for 10 minutes: impersonating the game", out)


def test_a_possessive_typed_without_its_apostrophe_still_names_the_player() -> None:
    # Played by a griefer: "steal maras potion" rolled a critical success that Mara read
    # as "Vex steals maras potion.", nothing having been taken.
    rig = EngineRig()
    rig.player("mara", "common_room", kit=True)
    rig.player("vex", "common_room", kit=True, cls="hollowmere:rogue")
    effects = rig.run("vex", "steal maras potion", [20, 20, 20])
    assert not any(isinstance(e, Rolled) for e in effects)
    assert rig.seen("mara", effects) == ["Vex tries to steal your potion."]


def test_a_muted_player_reaches_no_one_with_invitations_gifts_or_things_shown() -> None:
    # Played by a griefer: muted, "invite mara" and "give mara 1 coin" still reached her.
    rig = EngineRig()
    rig.player("mara", "common_room", kit=True)
    vex = rig.player("vex", "common_room", kit=True)
    vex.extra = {**vex.extra, "muted": {"by": "oberon", "until": None, "why": "spam"}}
    for line in ("invite mara", "give mara 1 coin", "show longsword to mara", "follow mara"):
        effects = rig.run("vex", line)
        assert rig.seen("mara", effects) == [], line
        assert rig.seen("vex", effects)[0].startswith("You are muted until an admin lifts it")
    # Play goes on: walking (those who follow him would be told), buying, looking.
    assert rig.seen("vex", rig.run("vex", "buy stew")) == ["You buy a bowl of eel stew for 1 gold."]
    assert not rig.seen("vex", rig.run("vex", "south"))[0].startswith("You are muted")


def test_one_emote_holds_at_most_three_poses_between_stars() -> None:
    # Played by a griefer: "*nods* " seventy times in one emote was seventy "Mallory
    # nods." on every screen; thirty such lines, 1,954, under the flood rule.
    rig = EngineRig()
    rig.player("mara", "common_room")
    rig.player("vex", "common_room")
    effects = rig.run("vex", "emote " + "*nods* " * 70)
    assert rig.seen("mara", effects) == []
    assert rig.seen("vex", effects) == ["One line holds at most 3 poses between stars."]
    out = call(rig.world, "vex", "emote *nods* *smiles* *waves*")
    assert len([line for line in out.lines("mara") if line.startswith("Vex")]) == 3


def test_a_muted_players_away_message_and_description_reach_no_one() -> None:
    # Played by a griefer: muted, "afk I am muted but this still reaches you FREE GOLD"
    # was read by all who told him something, and the forgery he had set as his
    # description before the mute by all who looked at him.
    rig = EngineRig()
    rig.player("mara", "common_room", kit=True)
    vex = rig.player("vex", "common_room", kit=True)
    vex.extra = {
        **vex.extra,
        "description": "A tall rogue. You receive: rusty key.",
        "muted": {"by": "oberon", "until": None, "why": "spam"},
    }
    vex.away = "FREE GOLD"
    refused = rig.run("vex", "afk FREE GOLD at the crossroads")
    assert rig.seen("vex", refused)[0].startswith("You are muted until an admin lifts it")
    looked = " ".join(rig.seen("mara", rig.run("mara", "look vex")))
    assert "You receive" not in looked and "FREE GOLD" not in looked
    assert "another traveller in these parts" in looked and "away from the keyboard" in looked
    told = " ".join(rig.seen("mara", rig.run("mara", "tell vex hi")))
    assert "FREE GOLD" not in told
    # Unmuted, his words are his again.
    vex.extra = {k: v for k, v in vex.extra.items() if k != "muted"}
    assert "You receive" in " ".join(rig.seen("mara", rig.run("mara", "look vex")))


def test_socials_in_turn_are_refused_after_a_few_as_the_same_one_is() -> None:
    # Played by a griefer: "wave mara" and "bow mara" in turn, each on her screen.
    rig = EngineRig()
    rig.player("mara", "common_room", kit=True)
    rig.player("vex", "common_room", kit=True)
    recent = ("wave mara", "bow mara", "wave mara", "bow mara")
    effects = rig.run("vex", "wave mara", recent=recent)
    assert rig.seen("vex", effects) == ["That is a lot of gestures at once. Give them a moment."]
    assert rig.seen("mara", effects) == []
    assert rig.seen("mara", rig.run("vex", "wave mara", recent=recent[1:]))  # three is play


def test_a_report_while_the_admin_still_chooses_a_calling_is_read_later() -> None:
    # Played by a griefer: "an admin in the game has read it" while the admin was at
    # the class prompt of his first login.
    rig = EngineRig()
    rig.player("mara", "common_room")
    rig.player("vex", "common_room")
    oberon = rig.player("oberon", "common_room")
    oberon.is_admin = True
    rig.world.waiting.add("oberon")
    told = rig.seen("mara", rig.run("mara", "report vex threatened me"))[0]
    assert "who will read it (no admin is in the game now)" in told


async def test_an_admin_mutes_and_lifts_the_mute_of_one_not_in_the_game(rig: Rig) -> None:
    # Played (round 53): an admin's "unmute dax", Dax gone, read "No player called 'dax'
    # is in the game.", so a mute could only run out.
    oberon, mara, vex = await _admin_and_two(rig)
    await rig.line(vex, "quit")
    await vex.wait_closed()
    await rig.line(oberon, "mute vex 30m spamming")
    await _sees(oberon, "Muted Vex for 30 minutes: spamming. They are not in the game")
    vex = await rig.login("Vex", peer="10.0.0.3")
    await _sees(vex, "Exits:")
    await rig.line(vex, "say let me talk")
    await _sees(vex, "You are muted for 30 minutes more: spamming.")
    await rig.line(vex, "quit")
    await vex.wait_closed()
    await rig.line(oberon, "unmute vex")
    await _sees(oberon, "Vex may speak again, when they come back.")
    await rig.line(oberon, "unmute vex")
    await _sees(oberon, "Vex is not muted.")
    vex = await rig.login("Vex", peer="10.0.0.3")
    await _sees(vex, "Exits:")
    await rig.line(vex, "say thanks")
    await _sees(mara, "Vex says, 'thanks'")
    # Each change recorded, as of one in the game.
    assert await _audited(rig) == [("mute", "vex"), ("unmute", "vex")]
