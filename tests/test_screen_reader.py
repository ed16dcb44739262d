"""Playing with a screen reader: what a blind player found over TinTin++ (telnet, MTTS
screen-reader flag) beside a sighted friend over SSH, and what a sighted player keeps.

Fight turns long enough for speech to reach "Your turn!", a warning before a turn runs
out; the rest of the findings follow in this file."""

from __future__ import annotations

import asyncio
import shutil
from collections.abc import Sequence
from pathlib import Path

import pytest
from attrs import evolve
from enginerig import PLAIN, EngineRig, ScriptedRng
from hubrig import CONTENT, FakeSession, Rig, make_rig
from mudclient import make_config, plain, running_server, telnet_and_ssh

from mud.core.events import TermInfo
from mud.core.markup import spoken
from mud.core.outputs import Doc
from mud.engine import fight
from mud.engine.combat import TurnOrder
from mud.engine.effects import Effect, Tell, ToRoom, TurnPrompt
from mud.engine.fight import Fight
from mud.engine.sheet import npc_combatant, player_combatant
from mud.render.ansi import sgr, strip_sgr
from mud.render.doc import render
from mud.render.profile import RenderProfile
from mud.world.loader import load_packs

H = "hollowmere:"
ARENA = Path(__file__).resolve().parent / "packs" / "arena"
READER = TermInfo(term="TINTIN++", screenreader=True)


# -- the turn timer ---------------------------------------------------------------------


def _first_turn(rig: EngineRig, now: float = 100.0) -> TurnPrompt:
    started, effects = fight.begin(
        rig.world, H + "smugglers_tunnel", ScriptedRng([20, 1]), now=now, turn_time=20.0,
        target=None,
    )  # fmt: skip
    assert started is not None
    prompts = [e for e in effects if isinstance(e, TurnPrompt)]
    assert len(prompts) == 1, effects
    assert started.deadline == prompts[0].deadline
    return prompts[0]


def test_a_screen_reader_has_three_times_the_turn_time() -> None:
    # Played: the 20 seconds ran out before speech reached "Your turn!".
    rig = EngineRig()
    rig.player("ash", "smugglers_tunnel", kit=True).reader = True  # the client's MTTS flag
    prompt = _first_turn(rig)
    assert prompt.who == "ash" and prompt.deadline == 160.0
    assert render(prompt.doc, PLAIN).rstrip().endswith("(60 s).")


def test_screen_reader_mode_chosen_in_game_counts_and_a_sighted_turn_is_as_it_was() -> None:
    rig = EngineRig()
    rig.player("ash", "smugglers_tunnel", kit=True).screenreader = True
    assert _first_turn(rig).deadline == 160.0
    sighted = EngineRig()
    sighted.player("sam", "smugglers_tunnel", kit=True)
    prompt = _first_turn(sighted)
    assert prompt.deadline == 120.0
    assert render(prompt.doc, PLAIN).rstrip().endswith("(20 s).")
    # "screenreader off" beats the client's flag.
    off = EngineRig()
    char = off.player("ash", "smugglers_tunnel", kit=True)
    char.reader, char.screenreader = True, False
    assert _first_turn(off).deadline == 120.0


async def _in_the_pit(rig: Rig, who: str, *, term: TermInfo | None = None) -> FakeSession:
    """``who`` (a gladiator) in the Brute's pit, in a fight with a Brute that cannot hit,
    their turn first with the usual 20 seconds."""
    s = await rig.create(who, cls="gladiator", term=term)
    await rig.line(s, "north")
    await s.expect("Exits:")
    world = rig.hub.world
    key = who.lower()
    foe = evolve(npc_combatant(world, world.npcs["arena:brute"]), damage="1d2", attack_bonus=-20)
    world.fights["arena:pit"] = Fight(
        "arena:pit",
        (player_combatant(world, world.chars[key]), foe),
        TurnOrder((f"p:{key}", foe.id)),
        deadline=rig.clock.monotonic() + 20.0,
    )
    return s


async def test_a_player_is_warned_before_the_turn_runs_out(tmp_path: Path) -> None:
    async with make_rig(tmp_path, content=ARENA) as rig:
        ann = await _in_the_pit(rig, "Ann")
        rig.clock.advance(14.0)
        await rig.line(ann, "score")  # a round trip: the tick has seen 14 s pass
        await ann.expect("Gladiator")
        assert "left on your turn" not in ann.text
        rig.clock.advance(1.5)
        await ann.expect(
            r"5 seconds left on your turn: attack, defend, flee <direction>, or use <item>\."
            r"\sIf you do nothing, you\sdefend\."
        )
        rig.clock.advance(1.0)
        await rig.line(ann, "score")
        await ann.expect("Gladiator")
        assert ann.text.count("left on your turn") == 1  # once a turn
        rig.clock.advance(5.0)
        await ann.expect("Too slow! You defend.")
        await ann.expect(r"Your turn! .* \(20 s\)\.")
        rig.clock.advance(16.0)
        await ann.expect("4 seconds left on your turn")  # the next turn is warned too


async def test_a_client_announcing_a_screen_reader_gets_the_longer_turn(tmp_path: Path) -> None:
    async with make_rig(tmp_path, content=ARENA) as rig:
        ash = await _in_the_pit(rig, "Ash", term=READER)
        assert rig.hub.world.chars["ash"].reader
        rig.clock.advance(21.0)
        await ash.expect("Too slow! You defend.")
        await ash.expect(r"Your turn! .* \(60 s\)\.")
        current = rig.hub.world.fights["arena:pit"]
        assert current.deadline == rig.clock.monotonic() + 60.0
        rig.clock.advance(50.0)
        await rig.line(ash, "score")
        await ash.expect("Gladiator")
        assert "left on your turn" not in ash.text[ash.text.index("(60 s)") :]
        rig.clock.advance(5.5)
        await ash.expect("5 seconds left on your turn")


# -- marks read aloud ---------------------------------------------------------------------

SPEECH = RenderProfile(colours=0, width=200, screenreader=True, charset="utf-8")


def _lines(effects: Sequence[Effect], profile: RenderProfile) -> list[str]:
    """Every line of the room's and the players' output in ``effects`` (one player
    fights here), rendered for ``profile``."""
    docs = [e.doc for e in effects if isinstance(e, Tell | ToRoom)]
    return [line for d in docs for line in render(d, profile).split("\r\n") if line]


def _ash_against_the_rat(rig: EngineRig) -> tuple[Fight, list[Effect]]:
    """Ash, alone in the tunnel, in the bog rat's fight, first to act (initiative d20 20
    against 1): the fight and what beginning it said."""
    rig.player("ash", "smugglers_tunnel", kit=True)
    started, effects = fight.begin(
        rig.world, H + "smugglers_tunnel", ScriptedRng([20, 1]), now=0.0, turn_time=20.0,
        target=None,
    )  # fmt: skip
    assert started is not None
    return started, effects


def test_a_fights_marks_and_placeholders_are_words_to_a_screen_reader() -> None:
    # Played: "== FIGHT!" and "== Victory!" were read "equals equals", and "flee
    # <direction>" "flee less than direction greater than".
    rig = EngineRig()
    started, effects = _ash_against_the_rat(rig)
    # Ash fells the rat with a critical hit (d20 20; 2d8 8+8, +3).
    over, more = fight.act(
        rig.world, started, "ash", "attack", "rat", ScriptedRng([20, 8, 8]), now=0.0,
        turn_time=20.0,
    )  # fmt: skip
    assert over is None
    heard = _lines([*effects, *more], SPEECH)
    assert heard[0].startswith("FIGHT! Initiative: Ash 21, the bog rat"), heard
    assert "Your turn! attack, defend, flee and a direction, use and an item, or second wind" in (
        "\n".join(heard)
    )
    assert "Victory! The fight is over." in heard
    assert not [line for line in heard if "==" in line or "<" in line or "{" in line], heard
    # A sighted player reads what they did.
    seen = _lines([*effects, *more], PLAIN)
    assert seen[0].startswith("== FIGHT! Initiative: Ash 21, the bog rat"), seen
    assert "Your turn! attack, defend, flee <direction>, use <item>, or second wind" in (
        "\n".join(seen)
    )
    assert "== Victory! The fight is over." in seen
    assert not [line for line in seen if "and a direction" in line or "{" in line], seen


def _read_by(key: str, effects: Sequence[Effect], profile: RenderProfile) -> list[str]:
    """The lines ``key`` reads of ``effects`` (their own and their room's, everyone
    standing in one room), rendered for ``profile``."""
    docs = [
        e.doc
        for e in effects
        if (isinstance(e, Tell) and e.who == key)
        or (isinstance(e, ToRoom) and key not in e.exclude)
    ]
    return [line for d in docs for line in render(d, profile).split("\r\n") if line]


def test_a_blow_is_read_aloud_outcome_first_and_shown_as_the_compact_line() -> None:
    # Played by a blind player: "Ash attacks the bog rat: d20 8+4=12 vs AC 13 MISS" was
    # read numbers first, the miss last, and their own name for them. Speech hears
    # whether the blow landed first, and "you" for the one listening.
    rig = EngineRig()
    started, _ = _ash_against_the_rat(rig)
    # d20 15 (+5 = 20 vs AC 12) hits for 1d8 2 (+3) = 5; the rat's bite (d20 19) lands.
    after, effects = fight.act(
        rig.world, started, "ash", "attack", "rat", ScriptedRng([15, 2, 19, 1]), now=0.0,
        turn_time=20.0,
    )  # fmt: skip
    assert after is not None
    heard = _read_by("ash", effects, SPEECH)
    hit = "You hit the bog rat for 5 damage: the bog rat has 2 of 7 HP left."
    assert f"{hit} Roll 15 plus 5, 20, against armour 12." in heard, heard
    bitten = [line for line in heard if line.startswith("The bog rat hits you for ")]
    assert bitten and "you have " in bitten[0] and " HP left. Roll 19 plus " in bitten[0], heard
    assert not [line for line in heard if "d20" in line or "vs AC" in line], heard
    # One watching hears the fighters' names (the room's line, which Ash does not read).
    room = next(e for e in effects if isinstance(e, ToRoom) and "ash" in e.exclude)
    watching = render(room.doc, SPEECH)
    assert watching.startswith("Ash hits the bog rat for 5 damage: the bog rat has 2 of 7"), (
        watching
    )
    # A screen shows Ash the compact line, once, as it shows the room.
    seen = _read_by("ash", effects, PLAIN)
    line = "Ash attacks the bog rat: d20 15+5=20 vs AC 12 HIT 5 dmg (the bog rat 2/7 HP)"
    assert seen.count(line) == 1 and render(room.doc, PLAIN).startswith(line), seen
    assert not [line for line in seen if "Roll " in line or "against armour" in line], seen
    # The felling blow, a critical hit.
    over, more = fight.act(
        rig.world, after, "ash", "attack", "rat", ScriptedRng([20, 8, 8]), now=0.0,
        turn_time=20.0,
    )  # fmt: skip
    assert over is None
    assert (
        "You land a critical hit on the bog rat for 19 damage: the bog rat is down. Roll 20"
        " plus 5, 25, against armour 12." in _read_by("ash", more, SPEECH)
    )


def test_the_turn_warning_and_a_free_action_in_a_fight_speak_plain_words() -> None:
    rig = EngineRig()
    rig.player("ash", "smugglers_tunnel", kit=True)
    warning = render(fight.turn_warning(rig.world, "ash", 5.0), SPEECH)
    assert warning.startswith("5 seconds left on your turn: attack, defend, flee and a direction")
    started, _ = fight.begin(
        rig.world, H + "smugglers_tunnel", ScriptedRng([20, 1]), now=0.0, turn_time=20.0,
        target=None,
    )  # fmt: skip
    assert started is not None
    rig.world.fights[H + "smugglers_tunnel"] = started
    effects = rig.run("ash", "juggle my boots", dice=[10])
    heard = _lines(effects, SPEECH)
    assert any(
        line.startswith("You are in a fight: attack, defend, flee and a direction")
        for line in heard
    ), heard
    assert any("flee <direction>" in line for line in _lines(effects, PLAIN))


def test_spoken_markup_reads_one_way_on_a_screen_and_another_aloud() -> None:
    doc = Doc.text("{roll}" + spoken("== ", "") + "FIGHT! " + spoken("<x>", "an x") + "{/}")
    for colours in (0, 16, 256):
        shown = strip_sgr(render(doc, RenderProfile(colours=colours, width=80)))
        assert shown == "== FIGHT! <x>\r\n", (colours, shown)
    assert render(doc, SPEECH) == "FIGHT! an x\r\n"
    coloured = render(doc, RenderProfile(colours=16, width=80))
    assert coloured.startswith(sgr(("roll",), 16) + "== FIGHT!")  # no style of its own


# -- no wrapping in screen-reader mode ------------------------------------------------------

TINTIN = shutil.which("tt++") or shutil.which("/usr/games/tt++")
#: TinTin++ with its screen-reader flag on (MTTS), as the blind player played: it makes a
#: character, looks, and leaves.
READER_SCRIPT = r"""
#config {screen reader} on
#config {debug telnet} on
#config {wordwrap} off
#action {^What is your name} {#send Ash}
#action {Create Ash?} {#send yes}
#action {Password:} {#send secret-pass}
#action {Repeat the password:} {#send secret-pass}
#action {Your class:} {#send fighter}
#action {^Exits:} {#send quit}
#event {SESSION DISCONNECTED} {#end}
"""


@pytest.mark.skipif(not TINTIN, reason="needs TinTin++ (tt++)")
async def test_tintin_with_its_screen_reader_flag_reads_whole_paragraphs(tmp_path: Path) -> None:
    # Played: "(the drowned eel-catcher 3/11" / "HP)", and room text broken mid-sentence
    # at the client's 80 columns, each piece spoken as a line of its own.
    assert TINTIN
    script = tmp_path / "reader.tin"
    script.write_text(READER_SCRIPT.lstrip())
    room = load_packs([CONTENT]).rooms[H + "common_room"].description
    assert len(room) > 300  # far wider than any client's screen
    async with running_server(make_config(tmp_path)) as srv:
        proc = await asyncio.create_subprocess_exec(
            TINTIN, "-G", "-H", "-e", f"#read {script}; #session mud 127.0.0.1 {srv.telnet_port}",
            stdin=asyncio.subprocess.DEVNULL,
            stdout=asyncio.subprocess.PIPE,
            stderr=asyncio.subprocess.STDOUT,
        )  # fmt: skip
        try:
            async with asyncio.timeout(30):
                out_bytes, _ = await proc.communicate()
        finally:
            if proc.returncode is None:
                proc.kill()
                await proc.wait()
    out = plain(out_bytes.decode("utf-8", "replace"))
    assert "MTTS" in out or "SCREEN" in out.upper(), out[-3000:]
    lines = [line.strip() for line in out.splitlines()]
    assert room in lines, out[-3000:]  # the whole paragraph, one line
    assert "┌" not in out and "Exits:" in out
    # Its client announced the mode: no hint how to switch it on (the sighted get one).
    assert "Using a screen reader?" not in out and "Welcome to mud." in out


# -- settings and the prompt ------------------------------------------------------------------


async def test_settings_tell_the_screen_reader_mode_the_client_turned_on(rig: Rig) -> None:
    # Played: with TinTin++'s flag on the game read linear text, but 'settings' said
    # "screen reader: off", and 'screenreader off' then turned it off unannounced.
    ash = await rig.create("Ash", term=READER)
    await rig.line(ash, "settings")
    await ash.expect(r"screen reader +on \(from your client\) +screenreader on\|off")
    await rig.line(ash, "screenreader off")
    await ash.expect(
        "Screen reader mode is now off. Your client asks for it: 'screenreader on' turns it"
    )
    assert ash.prefs["screenreader"] is False
    await rig.line(ash, "settings")
    await ash.expect(r"screen reader +off \(your client asks for it\)")
    await rig.line(ash, "screenreader on")
    await ash.expect(r"Screen reader mode is on \(your client asked for it already")
    assert ash.prefs["screenreader"] is True
    await rig.line(ash, "settings")
    await ash.expect(r"screen reader +on +screenreader")
    sam = await rig.create("Sam", peer="10.0.0.2")
    await rig.line(sam, "settings")
    await sam.expect(r"screen reader +off +screenreader on\|off")


async def test_sr_in_the_game_switches_the_mode_over(rig: Rig) -> None:
    # Played: the first screen says "Type sr at the name prompt"; typed in the game, it
    # read "You try to sr." and a narration, and "screenreader" alone a usage line.
    sam = await rig.create("Sam")
    await rig.line(sam, "sr")
    await sam.expect(r"Screen reader mode is now on\. \('sr' again turns it off\.\)")
    assert sam.prefs["screenreader"] is True
    await rig.line(sam, "screenreader")
    await sam.expect(r"Screen reader mode is now off\. \('screenreader' again turns it on\.\)")
    assert sam.prefs["screenreader"] is False
    assert "try to sr" not in sam.text
    # With the client's flag on, alone it turns off what the client asked for, and says so.
    ash = await rig.create("Ash", term=READER, peer="10.0.0.2")
    await rig.line(ash, "sr")
    await ash.expect("Screen reader mode is now off. Your client asks for it: 'screenreader on'")
    assert ash.prefs["screenreader"] is False


async def test_prompt_off_hides_the_prompt_and_prompt_on_brings_it_back(rig: Rig) -> None:
    # Played: 'prompt off' read "Prompt set: off", then "off " after every line.
    ash = await rig.create("Ash")
    await rig.line(ash, "prompt off")
    await ash.expect("Prompt off: none is shown. 'prompt on' brings it back.")
    mark = len(ash.text)
    await rig.line(ash, "look")
    await ash.expect("Exits:")
    await rig.line(ash, "prompt")
    await ash.expect("Your prompt is off. 'prompt on' brings it back.")
    await rig.line(ash, "settings")
    await ash.expect(r"prompt +off +prompt <template>\|off\|on")
    hidden = ash.text[mark:]
    assert "HP >" not in hidden and "off \n" not in hidden and not hidden.endswith("off "), hidden
    await rig.line(ash, "prompt on")
    await ash.expect(r"Prompt set: \d+/\d+ HP >")
    await ash.expect(r"\d+/\d+ HP > $")  # the prompt itself, after the line


# -- finding the mode ----------------------------------------------------------------------


async def test_the_first_screen_says_how_to_switch_screen_reader_mode_on(rig: Rig) -> None:
    # Played: the art and boxes were read out first, and nothing said the mode existed
    # until the README, 6,450 words in.
    ash = await rig.connect()
    first = ash.text.splitlines()
    assert first[0].strip() == "Using a screen reader? Type sr at the name prompt.", first[:3]
    await rig.line(ash, "sr")
    await ash.expect("Screen reader mode is on: plain text, no art, boxes or colour")
    assert ash.prefs["screenreader"] is True
    await rig.line(ash, "Ash")
    await ash.expect(r"\(yes/no\)")
    await rig.line(ash, "yes")
    await ash.expect("Password:")
    await rig.line(ash, "secret-pass")
    await ash.expect("Repeat")
    await rig.line(ash, "secret-pass")
    await ash.expect("Your class:")
    await rig.line(ash, "fighter")
    await ash.expect("Exits:")
    # The character keeps it as its own setting, and fights give it the longer turn.
    assert rig.hub.world.chars["ash"].screenreader is True
    await rig.line(ash, "settings")
    await ash.expect(r"screen reader +on +screenreader on\|off")


async def test_in_screen_reader_mode_a_prompt_answers_ones_own_lines_only(tmp_path: Path) -> None:
    # The blind player's finding: "12/12 HP >" was read out again after every line from
    # elsewhere (a say, someone walking in). Over real telnet and SSH: Ann, in
    # screen-reader mode, reads Bob's words with no prompt after them, and a prompt
    # after her own command; Bob, on a screen, keeps the prompt after every line.
    async with running_server(make_config(tmp_path)) as srv:
        ann, bob = await telnet_and_ssh(srv.telnet_port, srv.ssh_port)
        ann.send("sr")
        await ann.expect(r"Screen reader mode is now on\.[^\n]*\n[\s\S]*?HP >")
        bob.send("say first")
        bob.send("say second")
        heard = await ann.expect("Bob says, 'second'")
        assert "Bob says, 'first'" in heard
        await asyncio.sleep(0.3)  # anything more that was coming has come
        ann.send("score")
        answered = await ann.expect(r"Ann the [\s\S]*?HP >")
        assert "HP >" not in heard + answered[: answered.rindex("HP >")], heard + answered
        ann.send("say hello")
        await bob.expect(r"Ann says, 'hello'\s*\n?\d+/\d+ HP >")
        await ann.close()
        await bob.close()
