"""What new players type in their first minutes, answered as they meant it: the engine
over the bundled Hollowmere world (``EngineRig``). Each case was typed by a new player
and answered badly before (the old answer is in the comment beside it)."""

from __future__ import annotations

import pytest
from call import Called, call, carry_out, rules_ctx, turn_at_the_eelcatcher
from enginerig import EngineRig, narration_asks
from hypothesis import given
from hypothesis import strategies as st

from mud.engine import commands, game, parser
from mud.engine.commands import ALIASES
from mud.engine.context import Ctx
from mud.engine.effects import (
    AskNarration,
    CharUpdate,
    LogChat,
    Move,
    NpcUpdate,
    SetDoor,
    SpawnItem,
    Then,
)
from mud.engine.parser import (
    GREETINGS,
    REPLY_WORDS,
    Intent,
    direction_of,
    is_reply,
    is_spoken,
    named_way,
    parse,
)

H = "hollowmere:"


def _said_aloud(rig: EngineRig, line: str) -> None:
    """Maren's ``line`` is said, as she and Tamsin read it, and nothing is narrated."""
    effects = rig.run("maren", line)
    assert rig.seen("maren", effects) == [f"You say, '{line}'"], line
    assert rig.seen("tamsin", effects) == [f"Maren says, '{line}'"], line
    assert narration_asks(effects) == [], line


def _called_to_follow(rig: EngineRig, line: str) -> None:
    """Maren's ``line`` is said, and Tamsin, in no group with her, told how to follow."""
    effects = rig.run("maren", line)
    assert rig.seen("maren", effects) == [f"You say, '{line}'"]
    assert rig.seen("tamsin", effects) == [
        f"Maren says, '{line}'",
        "('follow maren' walks after Maren wherever they go.)",
    ]
    assert narration_asks(effects) == []


def _two() -> EngineRig:
    rig = EngineRig()
    rig.player("maren", "common_room", kit=True)
    rig.player("tamsin", "common_room", kit=True)
    return rig


def test_a_greeting_is_said_aloud() -> None:
    rig = _two()
    # "hi": "Unknown command 'hi'. Did you mean 'attack'?"; "hello everyone": "You try
    # to hello everyone."
    # "good evening, all": tried, "You try to good evening, all."
    for line in ("hi", "hello everyone", "Hey, Tamsin!", "good evening, all", "good morning"):
        effects = rig.run("maren", line)
        assert rig.seen("maren", effects) == [f"You say, '{line}'"]
        assert rig.seen("tamsin", effects) == [f"Maren says, '{line}'"]
        assert any(isinstance(e, LogChat) for e in effects)


@given(st.sampled_from(sorted(GREETINGS)), st.text(alphabet="abc ,!", max_size=20))
def test_every_greeting_opens_a_say(greeting: str, rest: str) -> None:
    line = f"{greeting.title()} {rest}".strip()
    intent = parse(line, ALIASES)
    assert (intent.verb, intent.args) == ("say", line)


def test_a_reply_is_said_aloud_and_an_emote_verb_is_its_social() -> None:
    rig = _two()
    # "sure", Bram's answer to "want to team up?": "You try to sure." and a narrated deed.
    for line in ("sure", "ok, thanks!", "No way.", "yes please", "why not?", "lol"):
        _said_aloud(rig, line)
    # Typed as MUD players type emotes: "nods" was "You try to nods.".
    for line, told in (
        ("nods", "You nod."),
        ("thanks tamsin", "You thank Tamsin."),
        ("thanks Tamsin!", "You thank Tamsin."),
        ("wave goodbye!", "You wave goodbye."),
        ("smiles warmly", "You smile warmly."),
        ("cheers", "You cheer."),
    ):
        assert rig.seen("maren", rig.run("maren", line)) == [told], line
    # A reply word and then a deed of one's own is the reply said and the deed done
    # (tried: "sure, I pry at the altar" read "You act: sure, I pry at the altar").
    out = call(rig.world, "maren", "sure, I pry at the loose stone")
    assert out.lines("maren")[:2] == ["You say, 'sure'", "You pry at the loose stone."]
    assert [a.kind for a in out.of(AskNarration)] == ["action"]
    # What one thinks, or does not, is said whole; so is a reply before what one will
    # do (tried: "ok I'll wait" read "You try to ok I'll wait.").
    for line in (
        "no, I don't think so",
        "yes, I think so",
        "I can't swim",
        "ok I'll wait",
        # Played: "You act: then let's have a look before anyone else does".
        "then let's have a look before anyone else does",
        # Played (round 63, Lanternfall): "You try to first lets grab supplies. ...".
        "first lets grab supplies",
        "first, let's grab supplies",
        # Played: asked of the DM, and told the way to the mill.
        "why go all the way to the mill? I can pick that trapdoor lock",
        "why wait? we go now",
        # Played: "You try to under the water, I think. ...", and the altar searched.
        "under the water, I think. the altar's worn smooth. someone's been touching it a lot",
        # Played after a healing: "You say, 'thanks.'", then "You try to owe you one."
        "thanks. I owe you one",
        "I promise I'll pay you back",
        # Noticed last round: asked of the DM as what to do next.
        "now we wait",
        # Played: "You act: the warm stone. this hearthstone's loose".
        "the warm stone. this hearthstone's loose",
        # Played: "You say to Dov, 'Maren.'", "You try to keep the lamps at the chapel".
        "I keep the lamps at the chapel, or I did",
        "I used to fish the reeds out past the shrine",
        "I sell eels for a living",
        # Played: "You try to three nights. we should take a look at her room."
        "three nights. we should take a look at her room",
        # Tried on the landing: "You try to bessa said edda lodged up here."
        "bessa said edda lodged up here",
        "the sister told us to bring a light",
        # Played away from the counter: "You try to one for you too."
        "one for me too",
        "same for me",
        "the papers. they're all crossed out",
        # Chat's reply words with no comma after them (tried: "You try to no I don't
        # think so.", "You try to ok I want revenge.", "You try to yeah the mill.").
        "no I don't think so",
        "ok I want revenge",
        "yeah the mill",
        # A wish or a judgement (tried: "You act: ...").
        "a drink wouldn't hurt",
        "that'd be a good idea",
    ):
        assert call(rig.world, "maren", line).lines("maren") == [f"You say, '{line}'"], line


def test_words_to_the_others_are_said_and_a_first_person_deed_is_done() -> None:
    rig = _two()
    # Played with Bram and Ilse, beaten back from the Drowned Warden: both lines were
    # "You act: ..." and a narration of nothing happening.
    for line in (
        "that warden is too strong",
        "agreed. let's rest",
        "we should go back for the potion",
        "I think the bell is a warning",
        "maybe later",
        "me neither. help",
        "me too!",
        # Played: "You try to no idea. maybe the saint? ...", to a friend's question.
        "no idea. maybe the saint? let's check the hearth",
        "Not sure.",
        "I don't know, honestly",
        # Played: asked of the DM, who told the next quest step ("how long" is no question
        # said after not knowing).
        "no idea how long that takes. go ahead",
        "who knows what's down there",
        # Played: "nothing more here. let's go back to the tavern" was a deed.
        "nothing more here",
        "everyone stay back",
        "something is moving in the water",
        # Played: "good thinking. let's go down to the common room" was a deed.
        "good thinking. we should look downstairs",
        "fair enough",
        # Played: "the mill then. let's go to the old mill" was a deed.
        "the mill then. let's not wait",
        # Played: a deed ("got it?" asks, and is a reply word).
        "got it? good. back to the tavern cellar then",
        # Chat's own words and farewells (tried: "You try to brb.", "You see no 'care'
        # here.").
        # Played: both deeds.
        "ready? the landing is through the tunnel",
        # Played: a deed ("You go about it without hurry.").
        "whoa. someone left in a hurry",
        # Played (round 48) after the rat: "Ilse acts: ow. that rat bit deep".
        "ow. that rat bit deep",
        "ouch",
        # Played (round 49), handed a pie: "You try to aww thanks.".
        "aww thanks!",
        "awww that's sweet",
        "yum",
        # Played in the crypt: "You try to ooh a mace. mind if i take it? ...".
        "ooh a mace. mind if i take it? i'm the cleric",
        "wow look at that",
        # Played in the Hall of Lanterns, the Lamplighter fallen: "You try to barely.",
        # "You try to thank for the help.", and "who takes the lantern?" asked of the DM,
        # who described the lantern.
        "barely.",
        "mind if i take the mace?",
        "thanks for the help",
        "sorry about that",
        "who takes the lantern?",
        "who's going first?",
        # Asked of the party (played on the Drowned Stair: asked of the DM, who described
        # the iron door).
        "everyone ready? the door's open",
        "all set?",
        # How things are (played at the Heron Stones: a deed that searched the cairn).
        "some of these stones have names on them",
        "the door is locked",
        "all of us should rest",
        # Things, plural or someone's, and how they are (played: "notes are somewhere
        # warm. ..." was the news board; tried: "You try to new from the marsh is bad.").
        "news from the marsh is bad",
        "edda's notes are somewhere warm",
        "lights are moving out there",
        # Leave given (played: "'ahead' is not a direction.").
        "go ahead",
        "go for it",
        # Who does what (played, round 50: "i tank, u stab" read "You act: i tank, you
        # stab" and was narrated as a deed; "me tank, you stab": "Maren tank, you stab.").
        "i tank, you stab",
        "me tank and you heal",
        # A guess, hedged at its end (played, round 50: "ya. key unlocks door prob" was
        # "You act: ...", narrated as a deed).
        "ya. key unlocks door probably",
        "the key opens it maybe",
        "brb",
        "back",
        "wb",
        "idk",
        "ok see you soon",
        "see you later",
        "take care",
        "gtg, goodnight all",
        # After a fight won (played, round 51: "gg wp oswin. ty for the heals" was a
        # deed, "You go about it carefully.").
        "gg wp",
        "gg wp. ty for the heals",
    ):
        _said_aloud(rig, line)
    # Words, then who does what: all said, and the invitation made (played, round 50:
    # "ya. wanna team up? i tank, u stab" was "You act: ...", narrated as a deed).
    out = rig.run("maren", "ya. wanna team up? i tank, u stab")
    assert rig.seen("tamsin", out)[:2] == [
        "Maren says, 'ya. want to team up? i tank, you stab'",
        "Maren invites you to join the group. Type 'group accept', or say yes.",
    ], rig.seen("tamsin", out)
    assert narration_asks(out) == []
    # A call to follow is said, and the one it asks told how (``test_party``).
    _called_to_follow(rig, "ok, follow me")
    # "me" with an action is still the emote (played: "me neither" read "Maren neither.").
    assert rig.seen("tamsin", rig.run("maren", "me waves happily")) == ["Maren waves happily."]
    # A reply and then a command is the reply said, then the command done (played: "yes.
    # open it" was all said, and the door stayed shut).
    rig.player("wyn", "guest_room", kit=True)
    out = call(rig.world, "wyn", "ok, get the map")
    seen = out.lines("wyn")
    assert seen[:2] == ["You say, 'ok'", "You pick up a scrap of map."], seen
    # So is a reply and then a deed the rules roll (played: "yes. search the hearth",
    # all said).
    rig.player("ivo", "common_room", kit=True)
    seen = call(rig.world, "ivo", "yes. search the hearth").lines("ivo")
    assert seen[:2] == ["You say, 'yes.'", "You search the hearth."], seen
    # With no comma after the reply, as chat types it (tried: "You try to ok search
    # the altar.").
    rig.player("oda", "sunken_shrine", kit=True)
    seen = call(rig.world, "oda", "ok search the altar").lines("oda")
    assert seen[:2] == ["You say, 'ok'", "You search the altar."], seen
    # Two things done after the reply are both done (played: "yes, get the map and read
    # it" was all said).
    rig.player("ada", "guest_room", kit=True)
    seen = call(rig.world, "ada", "yes, get the map and read it").lines("ada")
    assert seen[:2] == ["You say, 'yes'", "You pick up a scrap of map."], seen
    assert "A torn corner of a careful survey" in "\n".join(seen), seen  # and read
    # Words and then a thing done: the words said, then the thing done (played: "the
    # altar. edda's map had a stair going down. check the altar" was all a deed, "You
    # act: ..."); sentences that are each a deed stay one deed.
    rig.player("pell", "sunken_shrine", kit=True)
    line = "the altar. edda's map had a stair going down. check the altar"
    seen = call(rig.world, "pell", line).lines("pell")
    assert seen[:2] == [
        "You say, 'the altar. edda's map had a stair going down.'",
        "You check the altar.",
    ], seen
    assert seen[2].startswith("Pell: INT check"), seen
    # "It" in the thing done is what the words before named (played at the fallen
    # Warden: "You act: the key on its chain. take it").
    rig.world.spawn_item("hollowmere:drowned_key", f"room:{rig.world.chars['pell'].room}")
    seen = call(rig.world, "pell", "the key on its chain. take it").lines("pell")
    assert seen == ["You say, 'the key on its chain.'", "You pick up a drowned iron key."], seen
    # Named with whose it is (played: "the saint's altar... let me pray at it, i'm one of
    # her lamp-keepers" was "You see no 'it' here.").
    line = "the saint's altar. let me pray at it, i'm one of her lamp-keepers"
    seen = call(rig.world, "pell", line).lines("pell")
    assert seen[0] == "You say, 'the saint's altar.'", seen
    assert seen[1].startswith("You bow your head to the saint."), seen
    assert seen[-1] == "You say, 'i'm one of her lamp-keepers'", seen
    # Deeds in the first person, each its own sentence, are each done as a pose of
    # "Pell wades in. Pell searches the altar." is: the wading shown, the altar searched
    # (it was one deed tried, "You try to wade in. I search the altar.", and no search).
    seen = call(rig.world, "pell", "I wade in. I search the altar").lines("pell")
    assert seen[:2] == ["Pell wades in.", "You search the altar."], seen
    assert seen[2].startswith("Pell: INT check"), seen
    # "let me" before a thing done is the thing done (played: "You try to let you try.
    # search the hearth.").
    for line in (
        "let me try. search the hearth",
        "let me search the hearth",
        # Played at the Sunken Shrine: "let me look closer. I examine the carving" was
        # all said, and nothing examined.
        "let me look closer. I search the hearth",
        "let me take a closer look. search the hearth",
    ):
        assert call(rig.world, "ivo", line).lines("ivo")[0] == "You search the hearth.", line
    assert call(rig.world, "ivo", "let me look closer").lines("ivo") == [
        "You say, 'let me look closer'"
    ]
    assert call(rig.world, "ivo", "let me get the lantern").lines("ivo") == [
        "You pick up a hooded lantern."
    ]
    # So is "I'll" (played: "I'll check the hearth" was said, and nothing searched);
    # what would not be done, or is an order, is as before.
    for line, done in (
        ("I'll check the hearth", "You check the hearth."),
        ("ok, I'll search the hearth", "You search the hearth."),
        ("I will take the lantern", "You pick up a hooded lantern."),
        ("I'll go up first", "Upstairs Landing"),
    ):
        fresh = EngineRig()
        fresh.player("ivo", "common_room", kit=True)
        assert done in call(fresh.world, "ivo", line).lines("ivo")[0], line
    for line in ("I'll keep watch", "I'll go first", "I'll get us some stew"):
        assert call(rig.world, "ivo", line).lines("ivo") == [f"You say, '{line}'"], line
    assert call(rig.world, "ivo", "I'll have the stew").lines("ivo") == [
        "You buy a bowl of eel stew for 1 gold."
    ]
    # "I'll go first" where one way goes on is that way, after words too (played in the
    # mill, walked into from the lane: "someone's been up that ladder. I'll go first"
    # was "You act: ..."); words, then what one will do that is no command, are said;
    # a deed, then words, is done and then said.
    mill = EngineRig()
    mill.player("ivo", "market_lane", kit=True)
    mill.player("pell", "market_lane", kit=True)
    for key in ("ivo", "pell"):
        call(mill.world, key, "east")
    seen = call(mill.world, "ivo", "someone's been up that ladder. I'll go first").lines("ivo")
    assert seen[0] == "You say, 'someone's been up that ladder.'", seen
    assert seen[1].startswith("The Mill Loft"), seen
    assert call(mill.world, "pell", "I'll go first").lines("pell")[0].startswith("The Mill Loft")
    # "let me go first" as "I'll go first"; quietly, it is a sneak (played in the mill:
    # "someone's been up there. let me go first, quietly" was "You act: ...").
    for key in ("ivo", "pell"):
        for way in ("down", "west", "east"):  # walked into from the lane again
            call(mill.world, key, way)
    seen = call(mill.world, "ivo", "someone's been up there. let me go first, quietly").lines("ivo")
    assert seen[0] == "You say, 'someone's been up there.'", seen
    assert seen[1].startswith("Stealth: DEX check"), seen
    assert mill.world.chars["ivo"].room == "hollowmere:mill_loft"
    assert call(mill.world, "pell", "let me go first").lines("pell")[0].startswith("The Mill Loft")
    line = "born here. I'll get us some stew"
    assert call(rig.world, "ivo", line).lines("ivo") == [f"You say, '{line}'"]
    seen = call(rig.world, "ivo", "search the hearth. I'll keep watch", dice=[5]).lines("ivo")
    assert seen[0] == "You search the hearth." and seen[-1] == "You say, 'I'll keep watch'", seen
    # The line is tried to know it is a deed done, on dice of its own: the deed rolls
    # the die the line was dealt, not the one after it (a fumble was a success).
    for die, told in ((1, "fumble (natural 1)"), (20, "critical success (natural 20)")):
        fresh = EngineRig()
        fresh.player("ivo", "common_room", kit=True)
        seen = call(fresh.world, "ivo", "let me search the hearth", dice=[die]).text("ivo")
        assert told in seen, (die, seen)
    # "let me" before what would not be done, or a call to whoever holds the way, is
    # said (played: "let me in" read "You try to let you in."; "let me out" walked out).
    for line in (
        "let me in!",
        "let me out",
        "let me think",
        "let me help you",
        "let us through",
        # A cry for help is no help command (tried: "You act: help! help!", and "There
        # is no help on 'me!'.").
        "help! help!",
        "help me!",
    ):
        assert call(rig.world, "ivo", line).lines("ivo") == [f"You say, '{line}'"], line
    assert rig.world.chars["ivo"].room == "hollowmere:common_room"
    # Words after the reply that would not be done are said with it.
    for line in ("sure, go ahead", "ok, get going", "sure, stand back"):
        assert call(rig.world, "wyn", line).lines("wyn") == [f"You say, '{line}'"], line
    for line in ("I pry at the hearthstone", "sure, I pry at the hearthstone", "kick the door"):
        asks = call(rig.world, "maren", line).of(AskNarration)
        assert [a.kind for a in asks] == ["action"], line


@given(st.lists(st.sampled_from(sorted(REPLY_WORDS)), min_size=1, max_size=4))
def test_any_line_of_reply_words_is_a_reply(words: list[str]) -> None:
    assert is_reply(", ".join(words).capitalize() + "!")
    assert not is_reply(" ".join([*words, "stone"]))


@pytest.mark.parametrize(
    "line",
    ["sure thing", "Okay then!", "yes, no problem", "count me in", "Sounds good.", "Let's go!"],
)
def test_a_reply_going_on_with_a_word_or_two_is_said(line: str) -> None:
    # Played: Pim's "sure thing" to "want to team up?" was a deed, and no group came of it.
    assert is_reply(line)
    rig = _two()
    rig.apply(rig.run("maren", "invite tamsin"))
    seen = rig.seen("tamsin", rig.run("tamsin", line))
    assert seen[0] == f"You say, '{line}'" and seen[1].startswith("You join Maren's group")


def test_yes_to_teaming_up_then_asking_how_is_all_said_to_the_one_who_asked() -> None:
    # Played: Mira's "sure! how do we do that" to "want to team up?" said "sure!", then
    # asked the DM, who told her to type 'do <action>'.
    rig = _two()
    rig.apply(rig.run("maren", "want to team up, tamsin?"))
    seen = rig.seen("tamsin", rig.run("tamsin", "sure! how do we do that"))
    assert seen == [
        "You say to Maren, 'sure! how do we do that'",
        "You join Maren's group and follow Maren.",
    ]
    # How to use 'do' is still answered when it is asked.
    seen = rig.seen("maren", rig.run("maren", "how do i do something?"))
    assert seen[1].startswith("Answer: Type 'do <action>'.")


def test_so_before_a_question_of_the_place_in_a_group_asks_it_of_the_dm() -> None:
    # Played: Dov's "so what's the deal with this place", just teamed up with Mira, was
    # said to her (a thought put to the group, for its first word was "so"), and no one
    # answered.
    rig = _two()
    rig.apply(rig.run("maren", "want to team up, tamsin?"))
    rig.apply(rig.run("tamsin", "sure!"))
    seen = rig.seen("maren", rig.run("maren", "so what's the deal with this place"))
    assert seen[0] == "You ask the DM: so what's the deal with this place?"
    assert seen[1].startswith("Next: The Missing Cartographer: ")
    # A thought with "so" before it is still the group's.
    seen = rig.seen("maren", rig.run("maren", "so, maybe under the water?"))
    assert seen == ["You say, 'so, maybe under the water?'"]


@pytest.mark.parametrize("line", ["creepy", "weird.", "spooky!", "odd"])
def test_a_word_of_how_a_thing_strikes_one_is_said(line: str) -> None:
    # Played at the shrine's bell: "creepy" was "Unknown command 'creepy'. Did you
    # mean 'hide'?".
    _said_aloud(_two(), line)


@pytest.mark.parametrize("line", ["then", "thing", "sure thing the door", "too bad"])
def test_the_words_a_reply_goes_on_with_are_no_reply_alone(line: str) -> None:
    assert not is_reply(line)


def test_looking_around_at_oneself_and_asking_where_one_is() -> None:
    rig = _two()
    # "look around": "You see no 'around' here."; "where am i": "You try to where am i."
    for line in ("look around", "look about", "where am i", "Where am I?"):
        seen = rig.seen("maren", rig.run("maren", line))
        assert seen[0].startswith("The Drowned Lantern, Common Room"), line
    # By the room's own name (played, round 59: "look around the cellar" read "You see no
    # 'around the cellar' here."); a thing of the room so named is still looked at.
    rig.world.move("maren", "hollowmere:cellar")
    for line in ("look around the cellar", "look about the lantern cellar"):
        assert rig.seen("maren", rig.run("maren", line))[0].startswith("The Lantern Cellar"), line
    assert rig.seen("maren", rig.run("maren", "look around the barrels"))[0].startswith("Barrels")
    rig.world.move("maren", "hollowmere:common_room")
    # By a name the world gives it too (found in review: "around the tavern").
    seen = rig.seen("maren", rig.run("maren", "look around the tavern"))
    assert seen[0].startswith("The Drowned Lantern, Common Room"), seen
    # "look at me": "You see no 'me' here."
    assert rig.seen("maren", rig.run("maren", "look at me")) == [
        "You look yourself over. Travel-worn, but still standing. "
        "('describe <words>' sets what others see.)"
    ]
    # "how do i get to the mill": "You try to how do i get to the mill."
    effects = rig.run("maren", "how do i get to the mill")
    assert rig.seen("maren", effects)[0] == "You ask the DM: how do i get to the mill"
    assert [a.kind for a in narration_asks(effects)] == ["ask"]


def test_upstairs_is_up_and_commands_and_journal_are_known() -> None:
    rig = _two()
    assert (direction_of("upstairs"), direction_of("Downstairs"), direction_of("up")) == (
        "up",
        "down",
        "up",
    )
    # "go upstairs": "'upstairs' is not a direction."; "upstairs": "You try to upstairs."
    # "upstairs then" (played, round 48): "You try to upstair then."
    for line in (
        "go upstairs",
        "upstairs",
        "upstairs then",
        "up, then",
        "upstairs first",
        "up now, quick!",
    ):
        rig2 = _two()
        assert rig2.seen("maren", rig2.run("maren", line))[0].startswith("Upstairs Landing"), line
    # A way and a word of when is no more than the way: "up then, the landing" is not.
    assert parse("up then", ALIASES) == Intent("go", "up", "up then")
    assert parse("up then, the landing", ALIASES).verb != "go"
    assert rig.seen("maren", rig.run("maren", "commands"))[0].startswith("Commands")
    assert rig.seen("maren", rig.run("maren", "journal"))[0].startswith("Quest")


def test_gold_is_given_to_a_player_beside_you() -> None:
    rig = _two()
    maren, tamsin = rig.world.chars["maren"], rig.world.chars["tamsin"]
    maren.gold, tamsin.gold = 7, 10
    # "give 1 gold to tamsin": "You are not carrying '1 gold'."
    effects = rig.run("maren", "give 3 gold coins to tamsin")
    assert rig.seen("maren", effects) == ["You give Tamsin 3 gold."]
    assert rig.seen("tamsin", effects) == ["Maren gives you 3 gold."]
    assert CharUpdate("maren", gold=4) in effects and CharUpdate("tamsin", gold=13) in effects
    rig.apply(effects)
    # "give tamsin 2 gold": "You are not carrying 'tamsin'."
    rig.apply(rig.run("maren", "give tamsin 2 gold"))
    assert (maren.gold, tamsin.gold) == (2, 15)
    assert rig.seen("maren", rig.run("maren", "give 5 gold to tamsin")) == ["You have only 2 gold."]
    assert rig.seen("maren", rig.run("maren", "give 0 gold to tamsin")) == [
        "Give how much? 'give 5 gold to <player>'."
    ]
    # "give 1 gold to bessa", Bessa behind her bar: "You see no 'bessa' here." She
    # takes it as a tip (npcs.yaml 'tips'), and so the other way round: "give bessa 1
    # gold" was "You are not carrying 'bessa'.".
    for line in ("give 1 gold to bessa", "give bessa 1 gold"):
        effects = rig.run("maren", line)
        assert rig.seen("maren", effects)[0] == "You give Bessa Thorn 1 gold.", line
        assert CharUpdate("maren", gold=1) in effects
    assert (maren.gold, tamsin.gold) == (2, 15)
    refused = "Bessa Thorn does not want the potion of healing."
    assert rig.seen("maren", rig.run("maren", "give bessa the potion")) == [refused]
    # Items still go either way round.
    effects = rig.run("maren", "give tamsin potion")
    assert rig.seen("tamsin", effects) == ["Maren gives you the potion of healing."]


@pytest.mark.parametrize(
    ("line", "paid"),
    [
        ("thanks crake. here's a coin for your trouble", 1),
        ("crake, here's a coin for your trouble", 1),
        ("here's a coin for your trouble, crake", 1),
        ("give crake a coin", 1),
        ("give crake two coins", 2),
        ("crake, have two gold coins", 2),
    ],
)
def test_coins_handed_over_in_words_are_gold_given(line: str, paid: int) -> None:
    # Played in the mill loft: "thanks crake. here's a coin for your trouble" was said
    # and the coin stayed in the purse; "give crake a coin" was "You are not carrying
    # 'coin'.".
    rig = EngineRig()
    rig.player("wren", "mill_loft", kit=True)
    rig.player("dov", "mill_loft", kit=True)
    gold = rig.world.chars["wren"].gold
    out = call(rig.world, "wren", line)
    assert f"You give Crake {paid} gold." in out.lines("wren"), out.lines("wren")
    assert rig.world.chars["wren"].gold == gold - paid
    assert any("sexton of the shrine" in seen for seen in out.lines("dov"))


def test_a_coin_for_a_ware_buys_it_and_one_for_a_player_is_theirs() -> None:
    rig = EngineRig()
    rig.player("wren", "common_room", kit=True)
    rig.player("dov", "common_room", kit=True)
    gold = rig.world.chars["wren"].gold
    out = call(rig.world, "wren", "bessa, here's a coin for a pint")
    assert out.lines("wren") == ["You buy a mug of marsh ale for 1 gold."]
    out = call(rig.world, "wren", "here's a coin, dov")
    assert out.lines("dov")[-1] == "Wren gives you 1 gold."
    assert rig.world.chars["wren"].gold == gold - 2
    assert rig.world.chars["dov"].gold == gold + 1
    # Words of coins that hand nothing over are only said.
    out = call(rig.world, "wren", "say a coin for your thoughts, dov")
    assert out.lines("wren") == ["You say to Dov, 'a coin for your thoughts'"]
    assert rig.world.chars["wren"].gold == gold - 2


def test_a_tip_is_gold_for_someone_s_trouble() -> None:
    # Played: "tip bessa" was a deed ("You try to tip Bessa."), and her gold refused.
    rig = _two()
    maren, tamsin = rig.world.chars["maren"], rig.world.chars["tamsin"]
    maren.gold, tamsin.gold = 5, 0
    effects = rig.run("maren", "tip bessa")
    assert rig.seen("maren", effects) == [
        "You give Bessa Thorn 1 gold.",
        "Bessa Thorn says, \"That's kind, love. It goes in the jar for the roof, and the"
        ' roof thanks you."',
    ]
    assert rig.seen("tamsin", effects)[0] == "Maren gives Bessa Thorn 1 gold."
    assert CharUpdate("maren", gold=4) in effects and not narration_asks(effects)
    rig.apply(effects)
    effects = rig.run("maren", "tip the landlady 3 gold coins")
    assert CharUpdate("maren", gold=1) in effects
    rig.apply(effects)
    assert rig.seen("maren", rig.run("maren", "tip bessa 2")) == ["You have only 1 gold."]
    # A player beside you takes a tip as gold given.
    effects = rig.run("maren", "tip 1 gold to tamsin")
    assert rig.seen("tamsin", effects) == ["Maren gives you 1 gold."]
    rig.apply(effects)
    assert (maren.gold, tamsin.gold) == (0, 1)
    assert rig.seen("tamsin", rig.run("tamsin", "tip")) == [
        "Tip whom? 'tip bessa' gives her 1 gold, 'tip bessa 3' gives 3."
    ]
    # Someone away is not here; someone whose builder wrote no tips line refuses it.
    assert rig.seen("tamsin", rig.run("tamsin", "tip edda")) == ["Edda Venn is not here."]
    rig.player("oren", "bell_chamber", kit=True)
    rig.world.chars["oren"].gold = 3
    assert rig.seen("oren", rig.run("oren", "tip edda")) == ["Edda Venn does not want your gold."]
    # Words that name no one are a deed, as before 'tip' was a command.
    effects = rig.run("oren", "tip the bucket over")
    assert narration_asks(effects) and rig.world.chars["oren"].gold == 3


def test_calls_to_the_party_are_said_aloud() -> None:
    # Played: "keep up with me" read back "You try to keep up with you.", "look out!"
    # "You see no 'out!' here.", "follow me" "You are not following anyone.".
    rig = _two()
    for line in (
        "keep up with me",
        "wait for me",
        "over here",
        "Stay close.",
        "careful, it's slippery",
        "look out!",
        "get back!",
        # Played: a deed, a DEX check made and nothing done.
        "wait here. I'll sneak ahead and take a look",
        "stay put",
        # Played, to the smuggler in the mill loft: "You try to easy there. ...".
        "easy there. we're not here for trouble",
        "steady now",
        "calm down, friend",
        # Played (round 54) on the salt bank: "You see no 'off' here."
        "show off",
        "get lost",
        "give up",
        "give it a rest",
        "look alive",
        # Played (round 54) on the salt bank, skipping stones: "You act: 4 skips! beat that".
        "4 skips! beat that",
        "your turn",
        "top that!",
    ):
        _said_aloud(rig, line)
    # "Follow me" is said, and the one asked told how to (played: "You are not
    # following anyone."; then Dov, new, stayed where he was).
    _called_to_follow(rig, "follow me")
    # The commands these words open are still the commands.
    assert rig.seen("maren", rig.run("maren", "look out")) == [
        "The way out leads toward the Crossroads."
    ]
    assert rig.seen("maren", rig.run("maren", "follow tamsin"))[0] == "You now follow Tamsin."
    assert "You say" not in rig.seen("maren", rig.run("maren", "get back my sword"))[0]
    # "keeps up", "overhear" and the like are not calls.
    for line in ("overhear the men at the bar", "keep the lantern lit", "relax by the fire"):
        assert narration_asks(rig.run("maren", line)), line


def test_a_night_s_sleep_in_players_words_is_the_long_rest() -> None:
    # Played in the tavern: "go to bed" was "You do not know the way to 'bed'.", and
    # "rent a room" a deed ("You try to rent a room.") that restored nothing.
    for line in ("go to bed", "rent a room", "Rent a room for the night, please.", "turn in"):
        rig = _two()
        rig.world.chars["maren"].hp = 3
        effects = rig.run("maren", line)
        assert rig.seen("maren", effects)[0].startswith("You sleep deeply and wake restored"), line
        assert not narration_asks(effects), line
    # Out on the road it is not safe, as 'sleep' is not; other rooms and rentals are not sleep.
    rig = EngineRig()
    rig.player("p", "crossroads", kit=True)
    assert rig.seen("p", rig.run("p", "go to bed")) == [
        "It is not safe to sleep here. Find shelter, like the Drowned Lantern."
    ]
    rig = _two()
    for line in ("rent a boat", "go to the bedroom", "take a room key"):
        assert "sleep" not in " ".join(rig.seen("maren", rig.run("maren", line))), line
    # A rest named as the rules name it (played: "aye. a short rest" to "rest first?" was
    # said; "short rest" was "You try to short rest.").
    for line, first in (
        ("short rest", "You catch your breath"),
        ("aye. a short rest", "You say, 'aye.'"),
        ("a long rest", "You sleep deeply and wake restored"),
    ):
        rig = _two()
        rig.world.chars["maren"].hp = 3
        seen = call(rig.world, "maren", line).lines("maren")
        assert seen[0].startswith(first), (line, seen)
        assert rig.world.chars["maren"].hp > 3, (line, seen)


def test_the_words_of_other_muds_for_the_sheet_gear_and_saving() -> None:
    rig = _two()
    # "stats", "hp", "gold": "You try to stats." and so on.
    for line in ("stats", "status", "score", "worth"):
        assert rig.seen("maren", rig.run("maren", line))[0].startswith("Maren the Fighter"), line
    # Played: "gold" printed the whole sheet; the words for one number of it say that one.
    maren = rig.world.chars["maren"]
    maren.gold, maren.hp, maren.xp = 17, 4, 120
    sheet = "('score' shows all of your sheet.)"
    for line, said in (
        ("gold", "You have 17 gold."),
        ("hp", f"You have 4 of {maren.max_hp} HP."),
        ("health", f"You have 4 of {maren.max_hp} HP."),
        ("xp", "You are a level 1 Fighter: 120 XP, 180 more for level 2."),
        ("level", "You are a level 1 Fighter: 120 XP, 180 more for level 2."),
    ):
        assert rig.seen("maren", rig.run("maren", line)) == [f"{said} {sheet}"], line
    # "unwield longsword", "equip longsword": "You try to unwield the longsword."
    effects = rig.run("maren", "unwield longsword")
    assert rig.seen("maren", effects) == ["You remove the longsword."]
    rig.apply(effects)
    assert rig.seen("maren", rig.run("maren", "equip longsword")) == ["You wield the longsword."]
    rig.apply(rig.run("maren", "remove chain shirt"))
    assert rig.seen("maren", rig.run("maren", "equip chain shirt")) == ["You wear the chain shirt."]
    # "save": "You try to save."
    assert "saved as you play" in rig.seen("maren", rig.run("maren", "save"))[0]


def test_a_player_beside_you_is_no_foe() -> None:
    # "kill tamsin", Tamsin beside her: "You see no 'tamsin' here."
    rig = EngineRig()
    rig.player("maren", "market_lane", kit=True)
    rig.player("tamsin", "market_lane", kit=True)
    for line in ("kill tamsin", "consider tamsin"):
        assert rig.seen("maren", rig.run("maren", line)) == [
            "Tamsin is a fellow traveller: players do not fight one another here."
        ], line
    assert rig.seen("maren", rig.run("maren", "attack nobody")) == ["You see no 'nobody' here."]
    # Chat's "k" before a player's name and a comma is "ok" said to them (tried by a
    # veteran: "k pell, follow me" read that players do not fight one another).
    out = call(rig.world, "maren", "k tamsin, follow me")
    assert out.lines("tamsin")[0] == "Maren says to you, 'follow me'", out.lines("tamsin")
    # And a "u" of its own after it is the way up, not "you".
    lane = EngineRig()
    lane.player("maren", "common_room", kit=True)
    lane.player("tamsin", "common_room", kit=True)
    out = call(lane.world, "maren", "k tamsin, follow me. u")
    assert out.lines("tamsin")[0] == "Maren says to you, 'follow me.'", out.lines("tamsin")
    assert lane.world.chars["maren"].room == "hollowmere:loft_landing"
    assert rig.seen("maren", rig.run("maren", "k tamsin")) == [
        "Tamsin is a fellow traveller: players do not fight one another here."
    ]
    # Chat's "k" before words that name nothing here is "ok" too, shown as typed
    # (played, round 51: "k got key. back to the tavern cellar" was "You see no 'got
    # key' here.").
    mill = EngineRig()
    for key in ("maren", "tamsin"):
        mill.player(key, "mill_loft", kit=True)
        mill.world.chars[key].visited = ["hollowmere:common_room", "hollowmere:cellar"]
    call(mill.world, "maren", "invite tamsin")
    call(mill.world, "tamsin", "group accept")
    out = call(mill.world, "maren", "k got key. back to the tavern cellar")
    assert out.lines("tamsin")[0] == "Maren says, 'k got key. back to the tavern cellar'"
    assert [mill.world.chars[k].room for k in ("maren", "tamsin")] == ["hollowmere:cellar"] * 2
    # A foe named is struck at, or not here, told so: "k rat" is no chat.
    assert mill.seen("maren", mill.run("maren", "k rat")) == ["You see no 'rat' here."]
    # An invitation so made is taken by a yes of its own (played, round 51: "k wanna
    # team up?", then "Gladly." was "You try to gladly.").
    inn = EngineRig()
    for key in ("hale", "sable"):
        inn.player(key, "common_room", kit=True)
    call(inn.world, "sable", "k want to team up?")
    assert call(inn.world, "hale", "Gladly.").lines("hale")[-1] == (
        "You join Sable's group and follow Sable."
    )
    # "k" alone is "ok" when an answer waits on its speaker (played, round 52: "k" to
    # an invitation read "Attack whom? Name someone here."); with none, still an attack.
    inn.player("ilse", "common_room", kit=True)
    call(inn.world, "sable", "ilse, want to join us?")
    out = call(inn.world, "ilse", "k")
    assert out.lines("sable") == ["Ilse says to you, 'k'", "Ilse joins the group."], out.lines(
        "sable"
    )
    assert inn.seen("ilse", inn.run("ilse", "k")) == ["Attack whom? Name someone here."]


def test_several_of_a_ware_are_bought_at_once() -> None:
    # "buy 2 potions": "Tobin Wick does not sell '2 potions'."
    rig = EngineRig()
    maren = rig.player("maren", "lamp_shop", kit=True)
    rig.player("tamsin", "lamp_shop")
    maren.gold = 35
    held = len(maren.inventory)
    effects = rig.run("maren", "buy 2 potions")
    assert rig.seen("maren", effects) == ["You buy 2 potions of healing for 20 gold."]
    assert rig.seen("tamsin", effects) == ["Maren buys 2 potions of healing."]
    rig.apply(effects)
    assert (maren.gold, len(maren.inventory)) == (15, held + 2)
    assert rig.seen("maren", rig.run("maren", "buy 3 potions of healing")) == [
        "3 potions of healing cost 30 gold; you have 15."
    ]
    assert rig.seen("maren", rig.run("maren", "buy 0 potions")) == [
        "Buy between 1 and 20 at a time."
    ]
    # "order 2 stews" at Bessa's is bought too, not a deed.
    rig.player("ivo", "common_room").gold = 5
    effects = rig.run("ivo", "order 2 stews")
    assert rig.seen("ivo", effects) == ["You buy 2 bowls of eel stew for 2 gold."]


def test_plural_makes_the_head_word_many() -> None:
    from mud.render.grammar import plural

    cases = {
        "potion of healing": "potions of healing",
        "bowl of eel stew": "bowls of eel stew",
        "eel pie": "eel pies",
        "a hooded lantern": "hooded lanterns",
        "box": "boxes",
        "berry": "berries",
        "day": "days",
    }
    assert {name: plural(name) for name in cases} == cases
    from mud.render.grammar import singular

    for one, many in cases.items():
        assert singular(many) == one.removeprefix("a "), many


def test_block_and_dodge_defend_in_a_fight_and_are_deeds_out_of_one() -> None:

    # "block" in a fight: "Unknown command 'block'. Did you mean 'lock'?"
    rig = EngineRig()
    rig.player("maren", "smugglers_tunnel", kit=True)
    out = call(rig.world, "maren", "attack rat", dice=[15, 10, 12, 3, 4, 10, 10])
    assert "FIGHT!" in out.text("maren")
    for line in ("block", "dodge"):
        told = call(rig.world, "maren", line, dice=[10] * 6).text("maren")
        assert "Did you mean" not in told and "Unknown command" not in told, (line, told)
    calm = EngineRig()
    calm.player("tamsin", "common_room", kit=True)
    effects = calm.run("tamsin", "block the door with a chair")
    assert calm.seen("tamsin", effects)[0] == "You try to block the door with a chair."
    assert narration_asks(effects)
    assert calm.seen("tamsin", calm.run("tamsin", "dodge")) == ["You are not in a fight."]


def test_climbing_a_way_up_walks_it_and_listening_is_no_typo() -> None:

    # At the foot of the watchtower "climb the tower" rolled "STR check 15 vs DC 12:
    # success" and left the climber standing there.
    for room, line, arrives in (
        ("watchtower_foot", "climb the tower", "The Watchtower"),
        ("old_mill", "climb the ladder", "The Mill Loft"),
        ("common_room", "climb the stairs", "Upstairs Landing"),
        ("watchtower_top", "descend", "Foot of the Watchtower"),
        ("eel_landing", "climb down the shaft", "Smugglers' Tunnel"),
        # Played (round 51): Oswin's "Oswin climbs the ladder after her." rolled a STR
        # check, failed, and left him below Kessa.
        ("old_mill", "P climbs the ladder after her.", "The Mill Loft"),
        ("old_mill", "climb the ladder behind kessa", "The Mill Loft"),
        # Played (round 54): '"Follow me." Pell heads for the stairs.' was a pose, and
        # no one went up; "make for the stairs" and "run upstairs" were deeds tried.
        ("common_room", "make for the stairs", "Upstairs Landing"),
        ("common_room", "head for the stairs", "Upstairs Landing"),
        ("common_room", "run upstairs", "Upstairs Landing"),
        ("common_room", "*heads for the stairs*", "Upstairs Landing"),
        ("common_room", "*climbs the stairs*", "Upstairs Landing"),
        ("old_mill", "*climbs the ladder after her*", "The Mill Loft"),
        ("common_room", "P heads for the stairs.", "Upstairs Landing"),
        # Played (round 54): a STR check, failed, at the foot of the ladder.
        ("old_mill", "*climbs the ladder, sword drawn*", "The Mill Loft"),
        ("old_mill", "climb the ladder with my lamp held high", "The Mill Loft"),
    ):
        rig = EngineRig()
        rig.player("p", room, kit=True)
        out = call(rig.world, "p", line)
        assert out.text("p").startswith(arrives), (line, out.text("p"))
        assert "STR check" not in out.text("p"), line  # walked, not rolled for
    # Climbing anything else is still a STR check for the DM.
    rig = EngineRig()
    rig.player("p", "crossroads", kit=True)
    out = call(rig.world, "p", "climb the gibbet")
    assert "STR check" in out.text("p") and rig.world.chars["p"].room.endswith("crossroads")
    out = call(rig.world, "p", "climb the gibbet, carefully")
    assert "STR check" in out.text("p") and rig.world.chars["p"].room.endswith("crossroads")
    # Heading to a thing here is no walk.
    out = call(rig.world, "p", "*heads to the gibbet*")
    assert rig.world.chars["p"].room.endswith("crossroads"), out.text("p")
    # "listen": "Unknown command 'listen'. Did you mean 'list'?" It is a WIS check.
    assert "WIS check" in call(rig.world, "p", "listen").text("p")
    assert "Did you mean 'list'?" in call(rig.world, "p", "lisst").text("p")


def test_a_walk_said_in_a_player_s_words_walks() -> None:
    # "head south" was "You try to head south.", and the quest's own "follow the little
    # scratched lanterns south" a deed narrated where the player stood.
    for line in (
        "head south",
        "follow the lanterns south",
        "follow the little scratched lanterns south",
        "press on south",
        "make our way south",
    ):
        rig = EngineRig()
        rig.player("p", "smugglers_tunnel", kit=True)
        rig.player("q", "smugglers_tunnel", kit=True)
        out = call(rig.world, "p", line)
        assert out.text("p").startswith("The Eel-Catchers' Landing"), (line, out.text("p"))
        assert rig.world.chars["p"].room.endswith("eel_landing"), line
        assert "P leaves south." in out.text("q"), (line, out.text("q"))
    # A place named by a part of its hyphenated name (played: "go to the landing", then
    # tried: "You do not know the way to 'eel landing'.").
    rig = EngineRig()
    rig.player("p", "smugglers_tunnel", kit=True)
    assert (
        call(rig.world, "p", "go to the eel landing")
        .text("p")
        .startswith("You set off for the Eel-Catchers' Landing.")
    )
    # Out where there is no way out, it says so; words that name no way, or two, are
    # still deeds (moving a thing is not walking).
    rig = EngineRig()
    rig.player("p", "smugglers_tunnel", kit=True)
    assert call(rig.world, "p", "head out").text("p") == "You cannot go out from here."
    for line in (
        "follow the tunnel",
        "move the barrel south",
        "keep going south and east",
    ):
        assert narration_asks(rig.run("p", line)), line
        assert rig.world.chars["p"].room.endswith("smugglers_tunnel"), line
    # Calls to the others ("hurry up", "keep up with me") are said, not walks up.
    for line in ("hurry up", "keep up with me", "hurry up, then"):
        assert rig.seen("p", rig.run("p", line)) == [f"You say, '{line}'"], line
        assert rig.world.chars["p"].room.endswith("smugglers_tunnel"), line
    # Beside another, where there is a way up, too (played, round 53: "keep up, tova" in
    # the common room was said, and the speaker walked up the stairs).
    rig.player("oriane", "common_room", kit=True)
    rig.player("tova", "common_room", kit=True)
    for line in ("keep up, tova", "keep up", "hurry up, tova", "wait up!"):
        effects = rig.run("oriane", line)
        assert not [e for e in effects if isinstance(e, Then)], line
    # No way south from the landing: the place named is where they meant to go.
    rig.player("r", "eel_landing", kit=True)
    out = call(rig.world, "r", "follow the reed path south")
    assert out.text("r").startswith("You set off for the Reed-Marsh Path."), out.text("r")
    assert rig.world.chars["r"].room.endswith("reed_path")
    # A player is still followed.
    rig.player("q", "smugglers_tunnel", kit=True)
    assert "You now follow Q." in call(rig.world, "p", "follow q").text("p")
    assert named_way("the lanterns south") == "south"
    assert named_way("on in") is None and named_way("s") is None
    assert named_way("back upstairs") == "up"


def test_praise_and_a_name_with_no_comma_before_a_question_asks_them() -> None:
    # Played at the Drowned Stair (round 41): "ugh. my head. nice work hollis. grab the
    # key?" was asked of the DM, who told the key's description, and Hollis heard none.
    rig = EngineRig()
    rig.player("corra", "drowned_stair", kit=True)
    rig.player("hollis", "drowned_stair", kit=True)
    effects = rig.run("corra", "ugh. my head. nice work hollis. grab the key?")
    assert rig.seen("hollis", effects) == [
        "Corra says, 'ugh. my head.'",
        "Corra asks you, 'Nice work. Grab the key?'",
    ]
    effects = rig.run("corra", "well fought hollis. you ok?")
    assert rig.seen("hollis", effects) == ["Corra asks you, 'Well fought. You ok?'"]
    # A name that is no call ("i saw hollis."), or a line that asks nothing, is as it was.
    effects = rig.run("corra", "i saw hollis. what now?")
    assert rig.seen("hollis", effects) == ["Corra says, 'i saw hollis.'"]
    effects = rig.run("corra", "good job hollis! let's go down")
    assert rig.seen("hollis", effects) == ["Corra says, 'good job hollis! let's go down'"]
    # A name after a question whose "what" its verb takes calls them (played, round 52,
    # at the watchtower: "what do u see ilse?" was asked of the DM); one asked about is
    # not called.
    effects = rig.run("corra", "what do you see hollis?")
    assert rig.seen("hollis", effects) == ["Corra asks you, 'What do you see?'"]
    effects = rig.run("corra", "what do you think of hollis?")
    assert not any(seen.startswith("Corra asks you") for seen in rig.seen("hollis", effects))


def test_a_question_after_nice_to_meet_you_and_a_name_asks_them() -> None:
    # Played (round 52): Brannoc's "nice to meet u wren, im brannoc. wanna look for this
    # cartographer lady together?" was asked of Bessa, who spoke of the cartographer.
    rig = EngineRig()
    rig.player("brannoc", "common_room", kit=True)
    rig.player("wren", "common_room", "hollowmere:cleric", kit=True)
    rig.player("ilse", "common_room", kit=True)
    effects = rig.run("brannoc", "nice to meet you wren. where are you from?")
    assert rig.seen("wren", effects) == [
        "Brannoc asks you, 'Nice to meet you. Where are you from?'"
    ]
    effects = rig.run("brannoc", "pleased to meet you wren, I'm Brannoc. you a healer?")
    assert rig.seen("wren", effects) == [
        "Brannoc asks you, 'Pleased to meet you, I'm Brannoc. You a healer?'"
    ]
    # Met and named, but a statement: said to the room, as before.
    effects = rig.run("brannoc", "nice to meet you wren. let's go up")
    assert rig.seen("ilse", effects)[0] == "Brannoc says, 'nice to meet you wren. let's go up'"


def test_a_greeting_to_the_player_of_a_calling_names_no_one_away() -> None:
    # Played (round 41): "hey there, lamp-keeper. you here about the lights too?" to the
    # Lamp-Keeper beside the speaker told him "Sister Aldith is not here." (an alias of
    # hers). Said to the room; with no Lamp-Keeper here it is Sister Aldith's still.
    rig = EngineRig()
    rig.player("brannoc", "common_room", kit=True)
    rig.player("sefa", "common_room", "hollowmere:cleric", kit=True)
    for line in (
        "hey there, lamp-keeper. you here about the lights too?",
        "hello lamp-keeper",
        "hey lamp-keeper, you coming?",
    ):
        effects = rig.run("brannoc", line)
        assert rig.seen("brannoc", effects) == [f"You say, '{line}'"], line
        assert rig.seen("sefa", effects) == [f"Brannoc says, '{line}'"], line
    rig.player("wyn", "mill_loft", kit=True)
    assert rig.seen("wyn", rig.run("wyn", "hello lamp-keeper")) == [
        "You say, 'hello lamp-keeper'",
        "Sister Aldith is not here.",
    ]
    # Nor the speaker's own calling, nor one said of someone with an article (played
    # at the Sunken Shrine: "welcome aboard! i'm talis, the lamp-keeper" was a deed
    # and told her "Sister Aldith is not here.").
    for line in ("welcome aboard! i'm sefa, the lamp-keeper", "i'm after edda, the cartographer"):
        assert rig.seen("sefa", rig.run("sefa", line)) == [f"You say, '{line}'"], line


@pytest.mark.parametrize("line", ["grab the key dov", "grab the key, dov", "get the key, dov"])
def test_a_command_with_a_player_s_name_last_is_said_to_them(line: str) -> None:
    # Played in the mill loft: "grab the key mira" was "You see no 'key mira' here.";
    # "get the key, dov" took the key and then read "You cannot take Dov.".
    rig = EngineRig()
    rig.player("wren", "mill_loft", kit=True)
    rig.player("dov", "mill_loft", kit=True)
    out = call(rig.world, "wren", line)
    said = line.rsplit(" ", 1)[0].rstrip(",")
    assert out.lines("wren") == [f"You say to Dov, '{said}'"]
    assert out.lines("dov") == [f"Wren says to you, '{said}'"]
    carried = [rig.world.items[i].template for i in rig.world.chars["wren"].inventory]
    assert "hollowmere:rusty_key" not in carried


def test_a_line_to_a_player_by_name_is_said_to_them_and_who_they_are_is_known() -> None:
    rig = _two()
    rig.player("wyn", "mill_loft", kit=True)
    # "Tamsin, follow me": played, a deed ("You act: tamsin, follow me").
    # So is "say tamsin, ..." (played: "say odile, wait for me" was said to the room).
    for line, said in (
        ("Tamsin, follow me", "follow me"),
        ("wait here, tamsin", "wait here"),
        ("say tamsin, wait for me", "wait for me"),
        # Played: "You ask Corwin stay close. I'll go first." ("first" is no question).
        ("stay close, tamsin. I'll go first", "stay close. I'll go first"),
        # A name called out before "!" (tried: "corwin! over here" was a deed).
        ("tamsin! over here", "over here"),
        # A word before the name (played: "alright pell, want to come up with me?" was
        # asked of the innkeeper).
        ("alright tamsin, wait here", "wait here"),
        # One that carries meaning is kept (played: "sorry hollis, dozed off" said only
        # "dozed off").
        ("sorry tamsin, dozed off", "sorry, dozed off"),
        ("no tamsin, wait", "no, wait"),
        # With the mark after the name its own (played, round 62: "thanks ash! you're
        # too kind" was said "thanks, you're too kind").
        ("say thanks tamsin! you're too kind", "thanks! you're too kind"),
        # Praise with the name and no comma (played: "You try to nice one Dov.").
        ("nice one tamsin", "nice one"),
        ("good job tamsin!", "good job!"),
        # And more after it (played: "nice find mira! down we go" was a deed).
        ("nice find tamsin! over here", "nice find! over here"),
        # A name, no comma, then a call (played: "You try to dov follow you.").
        ("tamsin wait here", "wait here"),
        # Words to "you" with the name last and no comma (played: said to the room).
        ("you take the lantern tamsin", "you take the lantern"),
        # The closing mark stays with the words (played, round 53: "Stay close, Tova."
        # was said "Stay close").
        ("Stay close, Tamsin.", "Stay close."),
        ("wait for me, tamsin!", "wait for me!"),
    ):
        effects = rig.run("maren", line)
        assert rig.seen("maren", effects) == [f"You say to Tamsin, '{said}'"], line
        hint = ["('follow maren' walks after Maren wherever they go.)"] if "follow" in said else []
        assert rig.seen("tamsin", effects) == [f"Maren says to you, '{said}'", *hint], line
    # By her calling (played: "after you, lamp-keeper" to the Lamp-Keeper beside the
    # speaker was told "Sister Aldith is not here."); the lead given, Maren follows her
    # and asks to join her (``test_party``).
    effects = rig.run("maren", "after you, fighter")
    assert rig.seen("maren", effects)[0] == "You say to Tamsin, 'after you'"
    assert rig.seen("tamsin", effects)[:2] == [
        "Maren says to you, 'after you'",
        "Maren now follows you.",
    ]
    # A question is asked of them, as before, "say" or not; a greeting with a name is
    # said to all.
    assert rig.seen("maren", rig.run("maren", "say tamsin, I'm hurt. can you wait?")) == [
        "You ask Tamsin, 'I'm hurt. Can you wait?'"
    ]
    assert rig.seen("maren", rig.run("maren", "tamsin, are you hurt?")) == [
        "You ask Tamsin, 'Are you hurt?'"
    ]
    assert rig.seen("maren", rig.run("maren", "alright tamsin, want to come up with me?")) == [
        "You ask Tamsin, 'Want to come up with me?'",
        "You invite Tamsin to your group.",
    ]
    # What comes before the sentence that names them is said to the room first (tried:
    # "thanks." of "thanks. tamsin, what now?" was lost).
    for line, first, then in (
        ("ok. so tamsin, wait here", "You say, 'ok.'", "You say to Tamsin, 'wait here'"),
        ("thanks. tamsin, what now?", "You say, 'thanks.'", "You ask Tamsin, 'What now?'"),
        ("say yes. tamsin, follow me", "You say, 'yes.'", "You say to Tamsin, 'follow me'"),
    ):
        effects = rig.run("maren", line)
        assert rig.seen("maren", effects) == [first, then], line
        assert rig.seen("tamsin", effects)[0] == first.replace("You say", "Maren says"), line
    # Played: "corwin! are you alright?" over a friend gone down was asked of the DM.
    assert rig.seen("maren", rig.run("maren", "tamsin! are you alright?")) == [
        "You ask Tamsin, 'Are you alright?'"
    ]
    # So is a question with their name at its end: played, "want to team up, oren?" was
    # asked of the DM, and Oren heard nothing.
    # (And it invites her: see tests/test_party.py for a group made by words.)
    effects = rig.run("maren", "want to team up, Tamsin?")
    assert rig.seen("maren", effects)[0] == "You ask Tamsin, 'Want to team up?'"
    assert rig.seen("tamsin", effects)[0] == "Maren asks you, 'Want to team up?'"
    # A name closing a sentence before the last: played, "what does the note mean,
    # juniper? the warm stone?" was asked of the DM, and Juniper heard nothing.
    effects = rig.run("maren", "what does the note mean, tamsin? the warm stone?")
    asked = "What does the note mean? The warm stone?"
    assert rig.seen("maren", effects) == [f"You ask Tamsin, '{asked}'"]
    assert rig.seen("tamsin", effects) == [f"Maren asks you, '{asked}'"]
    assert rig.seen("maren", rig.run("maren", "hi tamsin")) == ["You say, 'hi tamsin'"]
    # "who is tamsin?" beside her: played, "You consider the road ahead.".
    for line, answer in (
        ("who is tamsin?", "Answer: Tamsin: a Fighter of level 1, here beside you."),
        ("who's wyn", "Answer: Wyn: a Fighter of level 1, out in the world."),
    ):
        seen = rig.seen("maren", rig.run("maren", line))
        assert seen[1] == answer, (line, seen)


def test_taking_what_is_here_but_no_item_says_why() -> None:
    # At the crossroads "take the paper lantern" (hung from the gibbet) and "take
    # signpost" were "You see no 'paper lantern' here." with both in plain sight.
    rig = EngineRig()
    rig.player("maren", "crossroads", kit=True)
    rig.player("tamsin", "crossroads")
    cases = {
        "take the paper lantern": "You cannot take the paper lantern.",
        "get signpost": "You cannot take the signpost.",
        "take tamsin": "You cannot take Tamsin.",
        "get the roads": "You cannot take the roads.",
        "take longsword": "You already have the longsword.",
        "take the dragon": "You see no 'dragon' here.",
    }
    for line, told in cases.items():
        assert rig.seen("maren", rig.run("maren", line)) == [told], line
    # What a feature's own text speaks of is there too: the wax on the causeway's
    # candles; the altar's reed charm has the builder's words for it (played: "take the
    # reed charm" was "You see no 'reed charm' here.").
    rig.world.move("maren", "hollowmere:causeway")
    assert rig.seen("maren", rig.run("maren", "take the wax")) == ["You cannot take the wax."]
    rig.world.move("maren", "hollowmere:sunken_shrine")
    seen = rig.seen("maren", rig.run("maren", "take the reed charm"))
    assert seen == [
        "You leave it where it is. Someone walked out across the drowned walls to put it"
        " there, and it was not meant for you."
    ]


def test_getting_what_another_here_holds_says_who_has_it() -> None:
    # Played (round 57): "get key", Nell having just taken the Warden's key, read "You
    # cannot take the iron door." (its "keyhole" begins "key").
    rig = EngineRig()
    rig.player("bram", "drowned_stair", kit=True)
    rig.player("nell", "drowned_stair", "hollowmere:rogue", kit=True)
    rig.apply([SpawnItem(H + "drowned_key", "char:nell")])
    # A stranger's pack is theirs (the review: "get potion" named the one in another's
    # pack); what they wield is in plain sight.
    assert call(rig.world, "bram", "get key").lines("bram") == ["You see no 'key' here."]
    assert call(rig.world, "bram", "get shortsword").lines("bram") == [
        "You see no 'shortsword' here. Nell has the shortsword."
    ]
    call(rig.world, "bram", "group nell")
    call(rig.world, "nell", "group accept")
    assert call(rig.world, "bram", "get key").lines("bram") == [
        "You see no 'key' here. Nell has the drowned iron key."
    ]
    assert call(rig.world, "bram", "take door").lines("bram") == ["You cannot take the iron door."]
    # One hidden from him is no one he could name.
    call(rig.world, "nell", "group leave")
    rig.world.chars["nell"].hidden = 15
    assert call(rig.world, "bram", "get shortsword").lines("bram") == [
        "You see no 'shortsword' here."
    ]


@pytest.mark.parametrize(
    ("line", "told"),
    [
        ("get some broth", "'buy broth'"),
        ("take the broth", "'buy broth'"),
        ("get a bowl of broth", "'buy bowl of broth'"),
    ],
)
def test_getting_what_a_shopkeeper_here_sells_says_how_to_buy_it(line: str, told: str) -> None:
    # Played (round 57, Lanternfall): "sit on a bench and get some broth" beside the
    # hospitaller who sells it read "You cannot take Brother Anselm." ("broth" begins
    # "brother").
    rig = EngineRig(pack="lanternfall")
    rig.player("pip", "hostel_hall", "lanternfall:climber")
    assert rig.seen("pip", rig.run("pip", line)) == [
        f"Brother Anselm sells a bowl of barley broth (1 gold): {told} buys it."
    ]
    assert rig.seen("pip", rig.run("pip", "get brother")) == ["You cannot take Brother Anselm."]


@pytest.mark.parametrize(
    "line",
    [
        # Played (round 57): the letter read off the floor, and the quest to take it stood.
        "Sorrel kneels by the pallet and unfolds the letter with careful fingers.",
        "read the letter",
        "unfold letter",
        # Found in review: read where it lay.
        "unfold the letter and read it to pip",
    ],
)
def test_writing_lying_here_is_picked_up_to_be_read(line: str) -> None:
    rig = EngineRig(pack="lanternfall")
    rig.player("sorrel", "novice_cell", "lanternfall:lantern_monk")
    rig.player("pip", "novice_cell", "lanternfall:climber")
    seen = call(rig.world, "sorrel", line).lines("sorrel")
    assert "You pick up a folded letter." in seen, seen
    assert seen[-1].startswith('"Brother, the lanterns on the high stair'), seen
    sorrel = rig.world.chars["sorrel"]
    assert [rig.world.items[i].template for i in sorrel.inventory] == ["lanternfall:pell_letter"]
    assert sorrel.quests["lanternfall:dark_lanterns"] == 2  # taken and read: the key next
    # Held, it is read in hand, and nothing more is taken.
    seen = call(rig.world, "sorrel", "read letter").lines("sorrel")
    assert seen[0].startswith('"Brother,') and len(sorrel.inventory) == 1, seen


def test_a_seat_a_look_and_a_break_taken_and_other_takings_are_deeds() -> None:
    # Played in the tavern: "take a seat by the fire" was "You cannot take the a seat by
    # the fire.", "take a look around" "You see no 'look around' here.", "take a break"
    # "You see no 'break' here.", "take a deep breath" "You see no 'deep breath' here."
    # and "grab the lantern" a deed that picked nothing up.
    rig = _two()
    seen = {
        "take a seat by the fire": ["You sit down by the fire."],
        "have a seat": ["You sit down."],
        "let's take a seat at the bar": ["You sit down at the bar."],
        "take a closer look at the packet": rig.seen("maren", rig.run("maren", "look packet")),
        "have a look around": rig.seen("maren", rig.run("maren", "look")),
        "take a break": ["You are already at full strength."],
        "grab the lantern": ["You pick up a hooded lantern."],
    }
    for line, told in seen.items():
        rig = _two()
        effects = rig.run("maren", line)
        assert rig.seen("maren", effects) == told, line
        assert not narration_asks(effects), line
    rig = _two()
    rig.world.chars["maren"].hp = 3
    assert rig.seen("maren", rig.run("maren", "take a breather"))[0].startswith(
        "You catch your breath"
    )
    # Something no item of the world is called, taken as players say it, is a deed for
    # the DM; a thing that could be here, or a slip of the fingers, is still not here.
    for line in ("take a deep breath", "take my leave", "grab bessa's arm", "take a swig"):
        assert narration_asks(rig.run("maren", line)), line
    for line, told in {
        # The slip asked after (round 55: a newcomer's "get lantren" was only refused).
        "get lantren": "You see no 'lantren' here. Did you mean the hooded lantern?",
        "take a longsword": "You already have the longsword.",
        "take a spyglass": "You see no 'spyglass' here.",
        "take a stool by the fire": "You sit down by the fire.",
    }.items():
        assert rig.seen("maren", rig.run("maren", line)) == [told], line


def test_it_is_what_a_line_before_named_that_is_still_here_or_the_one_door() -> None:
    # Played in the cellar: Corwin's "take a look around", then "open it" once Maren had
    # unlocked the trapdoor, was "You try to open a look around.".
    rig = EngineRig()
    rig.player("corwin", "cellar", kit=True)
    down = rig.world.room(rig.world.chars["corwin"].room).exit("down")
    assert down is not None and down.door is not None
    rig.apply([SetDoor(down.door.id, closed=True, locked=False)])
    for before in ("take a look around", "take a deep breath", "look"):
        effects = rig.run("corwin", "open it", recent=[before])
        assert rig.seen("corwin", effects) == ["You open the trapdoor."], before
    # A thing named before, still here, is what "it" means.
    effects = rig.run("corwin", "open it", recent=["look at the barrels"])
    assert "trapdoor" not in " ".join(rig.seen("corwin", effects))


def test_a_door_the_text_speaks_of_where_no_way_has_one_is_a_deed() -> None:
    # Played at the foot of the watchtower, whose door "hangs open on one hinge": "close
    # the door" was "There is no door here.".
    rig = EngineRig()
    rig.player("wren", "watchtower_foot", kit=True)
    assert narration_asks(rig.run("wren", "close the door"))
    assert rig.seen("wren", rig.run("wren", "open the gate")) == ["There is no door here."]
    # Where a way has a door, the door words are the door's.
    rig.player("oren", "cellar", kit=True)
    assert rig.seen("oren", rig.run("oren", "open the door")) == ["The trapdoor is locked."]


def test_a_look_through_or_under_a_thing_is_a_deed_and_in_the_pack_the_inventory() -> None:
    # Played on the watchtower: "look through the spyglass" was "You see no 'through the
    # spyglass' here.".
    rig = EngineRig()
    rig.player("wren", "watchtower_top", kit=True)
    seen = rig.seen("wren", rig.run("wren", "look through the spyglass"))
    assert seen[0].startswith("You put your eye to the cold brass"), seen  # the builder's
    # "use" it too (played: "You are not carrying 'spyglass'.").
    seen = rig.seen("wren", rig.run("wren", "use the spyglass"))
    assert seen[0].startswith("You put your eye to the cold brass"), seen
    assert narration_asks(rig.run("wren", "look over the battlements"))
    assert rig.seen("wren", rig.run("wren", "look in my pack"))[0].startswith("You are carrying")
    # At it is still the thing itself; a way is still the way.
    assert rig.seen("wren", rig.run("wren", "look at the spyglass"))[0].startswith("Brass spyglass")
    assert rig.seen("wren", rig.run("wren", "look through the heron")) == [
        "You see no 'heron' here."
    ]


def test_asking_or_talking_to_someone_who_is_elsewhere_says_so() -> None:
    # Sister Aldith wanders: "ask aldith about the lamp that went out" after she had
    # gone was "You ask the DM: aldith about ..." and "talk to aldith" "You see no
    # 'aldith' here."
    rig = EngineRig()
    rig.player("maren", "crossroads", kit=True)
    assert not rig.world.npcs_in("hollowmere:crossroads")
    for line, told in {
        "ask aldith about the lamp that went out": "Sister Aldith is not here.",
        "talk to aldith": "Sister Aldith is not here.",
        "ask bessa where edda went": "Bessa Thorn is not here.",
    }.items():
        effects = rig.run("maren", line)
        assert rig.seen("maren", effects) == [told], line
        assert not narration_asks(effects), line
    # A question about them is still the DM's.
    effects = rig.run("maren", "ask about aldith")
    assert rig.seen("maren", effects) == ["You ask the DM: about aldith"]
    assert narration_asks(effects)


def test_eating_what_lies_on_the_floor_takes_it_up_and_eats_it() -> None:
    # Played in Market Lane, an eel pie lying there: "eat the pie" was "You are not
    # carrying 'the pie'."; then (round 52, on the salt bank) "eat samphire" was told to
    # pick it up first: taken up and eaten.
    rig = EngineRig()
    maren = rig.player("maren", "market_lane", kit=True)
    seen = call(rig.world, "maren", "eat the pie").lines("maren")
    assert seen[0] == "You pick up an eel pie.", seen
    assert seen[1].startswith("You eat"), seen
    assert not any(rig.world.items[i].template == "hollowmere:eel_pie" for i in maren.inventory)
    # In a fight, taking it up is no turn's deed: told to pick it up first.
    fight = turn_at_the_eelcatcher("oswin", "kessa")
    fight.world.spawn_item("hollowmere:eel_pie", "room:hollowmere:reed_path")
    assert fight.seen("oswin", fight.run("oswin", "eat the pie")) == [
        "The eel pie is here: pick it up first ('get pie')."
    ]
    # What is nowhere is named without its article.
    assert rig.seen("maren", rig.run("maren", "eat the cake")) == ["You are not carrying 'cake'."]


def test_warming_ones_hands_at_the_hearth_searches_nothing() -> None:
    # Played: "warm my hands at the hearth" rolled "WIS check 16 vs DC 10: success" on
    # the hearthstone (it answers to "hearth") and uncovered its hidden packet.
    rig = _two()
    # Played (round 53): "*sets her pack down by the hearth*" rolled it too, and found
    # the packet. Put somewhere, a feature is where, unless its check is said too.
    for line in (
        "warm my hands at the hearth",
        "I quietly hum by the hearthstone",
        "*sets her pack down by the hearth*",
        "put my pack by the hearthstone",
    ):
        effects = rig.run("maren", line, dice=[20])
        seen = rig.seen("maren", effects)
        assert not any("check" in s or "packet" in s for s in seen), (line, seen)
        assert narration_asks(effects), line
    effects = rig.run("maren", "set my pack down by the hearth and pry at the stone", dice=[20])
    assert any("WIS check" in s for s in rig.seen("maren", effects))
    # Searching it still searches it, and once its secret is found, warming one's
    # hands there is not told "What the loose hearthstone hid has already been found."
    effects = rig.run("maren", "search the hearthstone", dice=[20])
    assert any("WIS check" in s for s in rig.seen("maren", effects))
    rig.apply(effects)
    effects = rig.run("maren", "warm my hands at the hearth")
    assert rig.seen("maren", effects) == ["You try to warm your hands at the hearth."]


def test_go_a_direction_to_somewhere_walks_that_way() -> None:
    rig = EngineRig()
    rig.player("pike", "loft_landing", kit=True)
    # Played: "'down to the common room' is not a direction."
    for line, room in (
        ("go down to the common room", "The Drowned Lantern, Common Room"),
        ("go down the stairs", "The Drowned Lantern, Common Room"),
        ("go east into edda's room", "The Cartographer's Room"),
    ):
        assert rig.seen("pike", rig.run("pike", line))[0].startswith(room), line
    # From a room with no way down, the place named is where they meant to go.
    rig.player("wynn", "guest_room", kit=True)
    seen = rig.seen("wynn", rig.run("wynn", "go down to the common room"))
    assert seen[0] == "You set off for the Drowned Lantern, Common Room.", seen
    assert rig.seen("pike", rig.run("pike", "go sideways to the moon"))[0].startswith(
        "'sideways to the moon' is not a direction."
    )
    # Named where one stands, the walk is there already (played in round 55: "head
    # back down to the common room", in it, went down to the cellar).
    rig.player("sela", "common_room", kit=True)
    for line in ("head back down to the common room", "go down to the common room"):
        seen = rig.seen("sela", rig.run("sela", line))
        assert seen == ["You are in the Drowned Lantern, Common Room already."], (line, seen)


def test_leave_walks_out_or_asks_which_way() -> None:
    rig = _two()
    rig.player("bob", "smugglers_tunnel", kit=True)
    # "leave" was "Unknown command 'leave'. Did you mean 'score'?".
    for line in ("leave", "leave the tavern", "Leave the room."):
        seen = rig.seen("maren", rig.run("maren", line))
        assert seen[0].startswith("The Crossroads"), (line, seen)
    assert rig.seen("bob", rig.run("bob", "leave")) == [
        "Which way? The ways on from here: south, up."
    ]
    # Leaving something behind is not leaving the room.
    assert narration_asks(rig.run("maren", "leave the lantern on the bar"))


def test_a_foe_dead_here_is_said_to_be_dead_and_its_body_has_nothing_more() -> None:
    rig = EngineRig()
    rig.player("bob", "smugglers_tunnel", kit=True)
    rig.player("ione", "mill_loft", kit=True)
    for npc in ("bog_rat", "crake"):
        carry_out(rig.world, [NpcUpdate(f"hollowmere:{npc}", alive=False, hp=0)], rules_ctx())
    # Played: "attack the rat" beside the water it had just died in: "You see no 'rat'
    # here."; "loot the rat" a deed narrated over nothing; "stab the rat" a deed too.
    for line in (
        "attack the rat",
        "look at the rat",
        "kill rat",
        "stab the rat",
        "hit the rat",
        # Played just after the Warden fell: "You see no 'it' here."
        "hit it with my sword",
        "stab it",
        # Played (round 52) just after the Warden fell: "You try to finish it.".
        "finish it!",
    ):
        assert rig.seen("bob", rig.run("bob", line)) == ["The bog rat is dead."], line
    # One with a name of their own is beaten (played: "Crake is dead." after he slumped
    # against the shutter, "done with fighting").
    assert rig.seen("ione", rig.run("ione", "attack crake")) == ["Crake is beaten."]
    for line in ("loot the rat", "search the body", "search its corpse"):
        assert rig.seen("bob", rig.run("bob", line)) == [
            "There is nothing worth taking on the bog rat."
        ], line
    (told,) = rig.seen("ione", rig.run("ione", "loot crake"))
    assert told.startswith("Nothing more is to be had from Crake: what was carried fell"), told
    assert "Lying here: a rusty key" in told
    # Taken from as other MUDs loot (played over the eel-catcher: "You see no 'all
    # corpse' here."): "get corpse" tells what it left, "get all corpse" takes it up.
    (told,) = rig.seen("ione", rig.run("ione", "get corpse"))
    assert told.startswith("Nothing more is to be had from Crake: what was carried fell"), told
    for line in ("get all corpse", "get all from the body", "take everything off crake's corpse"):
        seen = rig.seen("ione", rig.run("ione", line))
        assert seen[0] == "You pick up a rusty key.", (line, seen)
    # What a foe drops is told too (found in review: "nothing worth taking on the
    # corpse-light", its bead of wisp-glass at one's feet).
    stones = EngineRig()
    stones.player("mira", "heron_stones", kit=True)
    for _ in range(6):
        call(stones.world, "mira", "attack corpse-light", dice=[20, 8, 8, 8, 8, 1, 1])
        if H + "heron_stones" not in stones.world.fights:
            break
    (told,) = call(stones.world, "mira", "get corpse").lines("mira")
    assert told == (
        "Nothing more is to be had from the corpse-light: what it left lies where it fell."
        " Lying here: a bead of wisp-glass."
    ), told
    seen = call(stones.world, "mira", "get all from the corpse-light's body").lines("mira")
    assert seen == ["You pick up a bead of wisp-glass."], seen
    # Nothing dead here: searching a body is still a deed, and a name still not found.
    assert rig.seen("bob", rig.run("bob", "attack the heron")) == ["You see no 'heron' here."]
    assert narration_asks(_two().run("maren", "search the body"))
    two = _two()
    assert two.seen("maren", two.run("maren", "get all corpse")) == [
        "You see no 'all corpse' here."
    ]


def test_a_line_typed_in_the_third_person_as_an_emote_is_done() -> None:
    rig = _two()
    # Played: "You try to fenwick opens the trapdoor and peers down.", and the trapdoor
    # stayed shut.
    for line, seen in (
        ("maren buys some stew and eats it", "You buy a bowl of eel stew for 1 gold."),
        ("Maren sits by the fire", "You sit down by the fire."),
        ("maren nods", "You nod."),
        # What would only be tried, nothing rolled, is a pose as between stars (this
        # read "You try to peer up the chimney." until Pell's "Pell shakes the rain off
        # his cloak and nods to the other stranger." was played as an attempt, round 54).
        ("maren peers up the chimney", "Maren peers up the chimney."),
        (
            "Maren shakes the rain off his cloak and nods to the other stranger.",
            "Maren shakes the rain off his cloak and nods to the other stranger.",
        ),
        ("Maren runs his fingers over the bar", "You try to run your fingers over the bar."),
        # One's own thing and then "it" is that thing, no thing here (played, round 57:
        # "Sorrel lowers her hood and shakes the snow from it." read "Sorrel tries to
        # lower their hood ..."); an "it" of its own is still a thing here.
        (
            "Maren lowers her hood and shakes the snow from it.",
            "Maren lowers her hood and shakes the snow from it.",
        ),
        ("Maren shakes the snow from it.", "You try to shake the snow from it."),
        ("opens the trapdoor", "There is no door here."),  # the command's own word
        # Tried: "You try to peers down.", "You try to shakes out his cloak."
        ("peers down", "You try to peer down."),
        ("shakes out his cloak", "You try to shake out your cloak."),
        ("buys an ale", "You buy a mug of marsh ale for 1 gold."),
    ):
        effects = rig.run("maren", line)
        rig.apply(effects)
        assert rig.seen("maren", effects)[0] == seen, line
    # Another's name, or a word that only ends in "s", is as before: a deed as typed.
    assert rig.seen("maren", rig.run("maren", "tamsin opens the door")) == [
        "You try to tamsin opens the door."
    ]
    assert narration_asks(rig.run("maren", "focus on the lights"))
    assert narration_asks(rig.run("maren", "press the stone"))


def test_a_thing_of_the_world_then_it_is_no_pose() -> None:
    # Found in review: "i raise my mug to bob and drink it" gave the ale to Bob ("Bob is
    # unhurt ..."), and "I thank her and eat it" posed, the stew uneaten.
    rig = _two()
    rig.world.chars["maren"].gold = 20
    call(rig.world, "maren", "buy ale")
    seen = call(rig.world, "maren", "i raise my mug to tamsin and drink it").lines("maren")
    assert seen[0] == "You try to raise your mug to Tamsin and drink it.", seen
    call(rig.world, "maren", "buy stew")
    seen = call(rig.world, "maren", "I thank her and eat it").lines("maren")
    assert seen[0] == "You try to thank her and eat it.", seen


@pytest.mark.parametrize(
    ("said", "plain"),
    [
        ("opens", "open"),
        ("watches", "watch"),
        ("pushes", "push"),
        ("tries", "try"),
        ("goes", "go"),
        ("lies", "lie"),
        ("kisses", "kiss"),
        ("hides", "hide"),
        ("gazes", "gaze"),  # tried: "You try to gaz out the window."
        ("buzzes", "buzz"),
        ("fixes", "fix"),
        ("press", None),
        ("focus", None),
        ("is", None),
        ("nod", None),
    ],
)
def test_the_plain_form_of_a_verb_in_the_third_person(said: str, plain: str | None) -> None:
    assert commands._plain_verb(said) == plain


def test_what_lies_here_is_answered_and_everything_is_all() -> None:
    rig = EngineRig()
    rig.player("maren", "market_lane")
    # Played: after the Drowned Warden fell, "what did the warden drop?" was "You weigh
    # what is known so far.", and "take everything" "You see no 'everything' here.".
    lying = (
        "Answer: Lying here: a handful of copper coins and an eel pie. ('get all' takes it all.)"
    )
    for line in ("what did the warden drop?", "what's on the ground?", "any loot?"):
        assert rig.seen("maren", rig.run("maren", line))[1] == lying, line
    for line in ("take everything", "get it all", "grab all of it"):
        seen = rig.seen("maren", rig.run("maren", line))
        assert seen == ["You pick up a handful of copper coins.", "You pick up an eel pie."], line
    rig.apply(rig.run("maren", "take everything"))
    assert rig.seen("maren", rig.run("maren", "what did it leave?"))[1] == (
        "Answer: Nothing lies here to take."
    )
    effects = rig.run("maren", "drop everything")
    assert "You drop an eel pie." in rig.seen("maren", effects)
    rig.apply(effects)
    # Other questions are not about the floor.
    for line in ("what did bessa say?", "what did you leave behind?", "where is the pie?"):
        seen = rig.seen("maren", rig.run("maren", line))
        assert not any("Lying here" in s for s in seen), (line, seen)


def test_a_question_of_you_or_we_beside_a_companion_is_said_to_them() -> None:
    rig = _two()  # Maren and Tamsin, with Bessa, in the common room
    # Played: "yes. wren went up already. want to join us?" was asked of the DM, and
    # "are you ready?" beside a companion was put to the innkeeper.
    for line in (
        "are you ready?",
        "shall we go?",
        "yes. wren went up already. want to join us?",
        # Played: asked of the DM ("want" opens the last sentence, not the line).
        "same. want to team up?",
    ):
        effects = rig.run("maren", line)
        assert rig.seen("maren", effects)[0] == f"You say, '{line}'", line
        assert rig.seen("tamsin", effects)[0] == f"Maren says, '{line}'", line
    # What the DM or the one of the world answers is theirs still.
    for line, first in (
        ("what should we do?", "You ask the DM: what should we do?"),
        ("where is the mill?", "You ask the DM: where is the mill?"),
        ("who are you?", "You ask Bessa Thorn, 'Who are you?'"),
        ("do you have a room for the night?", "You ask Bessa Thorn, 'Do you have a room"),
    ):
        assert rig.seen("maren", rig.run("maren", line))[0].startswith(first), line
    # Also just after another asked Bessa something (played: "yes. shall we go
    # together?" was put to her, "Don't know about that, love.").
    overheard = Ctx(now=0.0, overheard=("bessa, have you seen the cartographer?",))
    line = "yes. shall we go together?"
    maren = rig.world.chars["maren"]
    assert commands._partner(rig.world, maren, overheard.overheard)
    effects = commands.dispatch(rig.world, maren, parse(line, ALIASES), overheard)
    assert rig.seen("maren", effects)[0] == f"You say, '{line}'"
    # Nor to the one who knows of its words (played: "we should get back to the cellar.
    # you ready?", just after asking Crake of the one below, was put to Crake).
    mill = EngineRig()
    mill.player("pell", "mill_loft")
    mill.player("oren", "mill_loft")
    line = "we should get back to the cellar. you ready?"
    asked = Ctx(now=0.0, recent=("crake, who is the one below?",))
    effects = commands.dispatch(mill.world, mill.world.chars["pell"], parse(line, ALIASES), asked)
    assert mill.seen("oren", effects) == [f"Pell says, '{line}'"]
    # A reply before a question for the DM is said to the others first (played: "thanks!
    # so, what now?" to a companion who had handed over a stew: the thanks was unheard).
    effects = commands.dispatch(rig.world, maren, parse("thanks! so, what now?", ALIASES), Ctx(0.0))
    assert rig.seen("tamsin", effects) == ["Maren says, 'thanks!'"]
    assert rig.seen("maren", effects)[1] == "You ask the DM: so, what now?"
    # A word tagged on asking them to agree is said with the rest (tried: "right?" was
    # asked of the DM); a name called alone after a question asks it of them (played,
    # round 48: "everyone ok? edda?" was said to the room).
    for line in ("that was close. right?", "we did it! eh?"):
        effects = commands.dispatch(rig.world, maren, parse(line, ALIASES), Ctx(0.0))
        assert rig.seen("tamsin", effects) == [f"Maren says, '{line}'"], line
    effects = commands.dispatch(rig.world, maren, parse("you ok? tamsin?", ALIASES), Ctx(0.0))
    assert rig.seen("tamsin", effects)[0] == "Maren asks you, 'You ok?'"
    # So are words to the others of a sentence of their own (played: "we did it. now
    # where is edda?", the Lamplighter fallen, was all the DM's); "so, what now?" is one
    # question.
    for line, said, asked in (
        ("we did it. what now?", "we did it.", "what now?"),
        ("that was close! what next?", "that was close!", "what next?"),
        # After a reply too (played at the eel landing: "we did it! what now?" asked,
        # and nothing answered it).
        ("nice, we did it! what now?", "nice, we did it!", "what now?"),
        ("ok. that was close. what next?", "ok. that was close.", "what next?"),
        # Cried out (played at the eel landing: all of it asked, and the DM told the
        # asker's XP).
        (
            "+150 xp! i could get used to this. what now?",
            "+150 xp! i could get used to this.",
            "what now?",
        ),
        ("wow! what now?", "wow!", "what now?"),
    ):
        effects = commands.dispatch(rig.world, maren, parse(line, ALIASES), Ctx(0.0))
        assert rig.seen("tamsin", effects) == [f"Maren says, '{said}'"], line
        assert rig.seen("maren", effects)[1] == f"You ask the DM: {asked}", line
    effects = commands.dispatch(rig.world, maren, parse("so, what now?", ALIASES), Ctx(0.0))
    assert rig.seen("maren", effects)[0] == "You ask the DM: so, what now?"
    # Of one's group, purse or fellow players, the DM answers still (played: "who's
    # leading?" just after a companion asked Bessa something was put to her).
    for line in ("who's leading?", "how much gold do I have?", "who else is playing?"):
        effects = commands.dispatch(rig.world, maren, parse(line, ALIASES), overheard)
        assert rig.seen("maren", effects)[0] == f"You ask the DM: {line}", line
    # A thought put to one's group that asks no who or what of the DM, and that nothing
    # known answers, is said to them (played: "the map showed a stair going down. maybe
    # under the water?" was sent to the innkeeper, four rooms away); what the DM answers
    # is still the DM's, and without a group the thought is the DM's as before.
    shrine = EngineRig()
    for key in ("maren", "tamsin"):
        shrine.player(key, "sunken_shrine", kit=True)
    thought = "the map showed a stair going down. maybe under the water?"
    effects = shrine.run("maren", thought)
    assert shrine.seen("maren", effects)[0] == f"You ask the DM: {thought}"
    assert shrine.seen("tamsin", effects) == []
    shrine.apply(shrine.run("maren", "invite tamsin"))
    shrine.apply(shrine.run("tamsin", "group accept"))
    for line in (thought, "should we search the altar?"):
        assert shrine.seen("tamsin", shrine.run("maren", line)) == [f"Maren says, '{line}'"]
    seen = shrine.seen("maren", shrine.run("maren", "what is the altar?"))
    assert seen[1].startswith("The altar: The carved saint's lantern is hollow"), seen
    # "how are you ...?" with no one of the world here is for the companion (tried:
    # "how are you holding up?" at the drowned shrine was asked of the DM).
    effects = shrine.run("maren", "how are you holding up?")
    assert shrine.seen("tamsin", effects) == ["Maren says, 'how are you holding up?'"]
    # Alone with Bessa, "are you ready?" is hers, as before.
    alone = EngineRig()
    alone.player("maren", "common_room")
    seen = alone.seen("maren", alone.run("maren", "are you ready?"))
    assert seen[0] == "You ask Bessa Thorn, 'Are you ready?'", seen


def test_in_the_chapel_a_prayer_a_taper_and_what_this_place_is() -> None:
    rig = EngineRig()
    rig.player("maren", "chapel")
    # Played: Sister Aldith says "take a taper from the box"; "take a taper" was "You
    # cannot take the box of tapers.", "light a candle" and "pray" were deeds, and "what
    # is this place?" the DM's "You turn the question over.".
    for line in ("take a taper", "light a candle"):
        seen = rig.seen("maren", rig.run("maren", line))
        assert seen[0].startswith("You take a taper from the box, light it"), (line, seen)
    assert rig.seen("maren", rig.run("maren", "pray")) == ["You bow your head and pray."]
    rig.player("tamsin", "chapel")
    assert rig.seen("maren", rig.run("maren", "toast tamsin")) == ["You raise your cup to Tamsin."]
    seen = rig.seen("maren", rig.run("maren", "what is this place?"))
    assert seen[0].startswith("Chapel of Saint Ysolde"), seen
    # The unlit lamp is no taper: taking it is refused as before.
    assert rig.seen("maren", rig.run("maren", "take the lamp")) == [
        "You cannot take the unlit lamp."
    ]


def test_going_back_is_the_way_one_came() -> None:
    rig = EngineRig()
    rig.player("maren", "old_mill")

    def walk(line: str) -> str:
        effects = rig.run("maren", line)
        rig.apply(effects)
        return rig.seen("maren", effects)[0]

    # Played in the crypt: "go back up" was "'back up' is not a direction.", and "head
    # back" a deed.
    for line in ("go back", "head back", "turn back", "go back the way we came", "walk back"):
        assert walk("up").startswith("The Mill Loft"), line
        assert walk(line).startswith("The Old Mill"), line
    assert walk("up").startswith("The Mill Loft")
    assert walk("go back down the ladder").startswith("The Old Mill")
    assert walk("go back up").startswith("The Mill Loft")
    assert walk("head back to the old mill") == "You set off for the Old Mill."
    # Words that are no way back stay what they were.
    assert walk("turn back the page") == "You try to turn back the page."
    fresh = EngineRig()
    fresh.player("maren", "old_mill")
    assert fresh.seen("maren", fresh.run("maren", "go back")) == [
        "Go back where? Name a direction, or a place."
    ]


def test_the_way_one_came_is_known_again_after_a_restart() -> None:
    rig = EngineRig()
    rig.player("maren", "market_lane")
    call(rig.world, "maren", "east")
    # Played after a restart in the mill: "someone's been up that ladder. I'll go first"
    # was only said (the way in from the lane was forgotten, so two ways went on).
    saved = rig.world.character_json(rig.world.chars["maren"])
    rig.world.remove("maren")
    char = rig.world.restore_character("maren", saved, name="Maren", is_admin=False)
    rig.world.place(char)
    assert call(rig.world, "maren", "I'll go first").lines("maren")[0].startswith("The Mill Loft")
    assert call(rig.world, "maren", "go back").lines("maren")[0].startswith("The Old Mill")
    # Carried or placed, not walked, there is no way back.
    rig.world.move("maren", "hollowmere:chapel")
    assert "came" not in rig.world.chars["maren"].extra


def test_back_a_way_walks_and_downstairs_from_a_room_off_a_landing_is_the_floor_below() -> None:
    rig = EngineRig()
    rig.player("maren", "guest_room")
    rig.player("tamsin", "loft_landing")
    # Played in Edda's room: "back downstairs" a deed; "down it is" and "go down" were
    # "You cannot go down from here." (its one way is west, to the landing, whose stair
    # goes down).
    for line in ("back downstairs", "go down", "downstairs"):
        effects = rig.run("maren", line)
        seen = rig.seen("maren", effects)
        assert seen[0] == "You set off down to the Drowned Lantern, Common Room.", line
        assert [e.to for e in effects if isinstance(e, Move)] == ["hollowmere:loft_landing"]
        assert [e for e in effects if isinstance(e, Then)] == [
            Then("maren", "go to hollowmere:common_room")
        ], line
    assert rig.seen("maren", rig.run("maren", "go up")) == ["You cannot go up from here."]
    # From the landing, "back down to the common room" walks; "back up" is a step back,
    # not a way ("back up, it's a trap"); a room of more ways than one has no floor a
    # room away.
    effects = rig.run("tamsin", "back down to the common room")
    assert [e.to for e in effects if isinstance(e, Move)] == ["hollowmere:common_room"]
    assert rig.seen("tamsin", rig.run("tamsin", "back up")) == ["You try to back up."]
    rig.player("wyn", "crossroads")
    assert rig.seen("wyn", rig.run("wyn", "go down")) == ["You cannot go down from here."]
    # "to <place>" typed alone walks there (tried: "You act: to the mill then"); a toast
    # is said.
    assert rig.seen("wyn", rig.run("wyn", "to the mill then"))[0] == "You set off for the Old Mill."
    for line in ("to the saint!", "to absent friends"):
        assert rig.seen("wyn", rig.run("wyn", line)) == [f"You say, '{line}'"], line
    # Words, then a walk back to a place (played, round 50, after a lost fight: "round
    # 2. back to the hall of lanterns" was "You try to round 2. ...").
    out = call(rig.world, "wyn", "round 2. back to the old mill")
    assert out.lines("wyn")[:2] == ["You say, 'round 2.'", "You set off for the Old Mill."]
    assert rig.world.chars["wyn"].room == "hollowmere:old_mill"


@pytest.mark.parametrize(
    "line",
    [
        "back down to the common room. search the hearth",
        "back downstairs. search the hearth",
        "back down to the common room, then search the hearth",
        "back down to the common room and then search the hearth",
    ],
)
def test_a_walk_in_ones_own_words_then_a_deed_does_both(line: str) -> None:
    # Played: "back down to the common room. search the hearth" walked and dropped the
    # search; "back downstairs. search the hearth" searched the landing ("You see no
    # loose hearthstone here."); with ", then" the whole line was said, then walked.
    rig = EngineRig()
    tamsin = rig.player("tamsin", "loft_landing", kit=True)
    rig.player("maren", "common_room")
    got = call(rig.world, "tamsin", line, [15])
    assert tamsin.room == "hollowmere:common_room", got.lines("tamsin")
    assert "You search the hearth." in got.lines("tamsin"), got.lines("tamsin")
    assert got.lines("maren")[:2] == ["Tamsin arrives.", "Tamsin searches the hearth."]
    assert not any(seen.startswith("You say") for seen in got.lines("tamsin"))


def test_a_walk_then_words_or_a_walk_nowhere_is_not_parted_as_a_deed() -> None:
    rig = EngineRig()
    tamsin = rig.player("tamsin", "loft_landing", kit=True)
    # Words after the way are said and walked, as before: no deed in them.
    got = call(rig.world, "tamsin", "back down, and this time we stick together")
    assert got.lines("tamsin")[0] == "You say, 'back down, and this time we stick together'"
    assert tamsin.room == "hollowmere:common_room"
    # A way there is none of walks nowhere, so the deed after it is not run where one
    # stands as if one had walked.
    tamsin.room = "hollowmere:watchtower_top"
    got = call(rig.world, "tamsin", "back north. search the hearth")
    assert tamsin.room == "hollowmere:watchtower_top"
    assert "You search the hearth." not in got.lines("tamsin"), got.lines("tamsin")


def test_looking_a_way_there_is_none_and_what_can_be_seen_from_here() -> None:
    rig = EngineRig()
    rig.player("maren", "watchtower_top")
    # Played on the watchtower, whose one way is down: "look north" was "You see no
    # 'north' here.", "what can I see from here?" the DM's narration alone, and "look
    # down" "The way down leads toward Foot of the Watchtower.".
    assert rig.seen("maren", rig.run("maren", "look north")) == ["There is no way north from here."]
    seen = rig.seen("maren", rig.run("maren", "what can I see from here?"))
    assert seen[0].startswith("The Watchtower"), seen
    assert rig.seen("maren", rig.run("maren", "look down")) == [
        "The way down leads toward the Foot of the Watchtower."
    ]


def test_how_a_door_stands_is_told_and_drinking_from_a_thing_is_a_deed() -> None:
    rig = EngineRig()
    rig.player("maren", "cellar", cls="hollowmere:cleric", kit=True)
    # Played in the cellar: "is the trapdoor locked?" was "Bessa Thorn might know more of
    # that", and "drink from the barrel" "You are not carrying 'from the barrel'.".
    for line in ("is the trapdoor locked?", "is the door still shut?"):
        seen = rig.seen("maren", rig.run("maren", line))
        assert seen[1] == "Answer: The trapdoor is closed and locked.", (line, seen)
    effects = rig.run("maren", "drink from the barrel")
    assert rig.seen("maren", effects)[0] == "You try to drink from the barrel."
    assert narration_asks(effects)
    # From something carried, it is drunk.
    seen = rig.seen("maren", rig.run("maren", "drink from my flask"))
    assert seen[0].startswith("You drink a flask of lamp-blessed water"), seen


def test_where_a_way_leads_is_told() -> None:
    rig = EngineRig()
    rig.player("maren", "cellar")
    # Played at the eel landing: "where does the hatch go?" was answered with the next
    # step of the quest.
    for line in ("where does the trapdoor lead?", "where does the hatch go?", "where does up go?"):
        seen = rig.seen("maren", rig.run("maren", line))
        assert seen[1].startswith("Answer: The way "), (line, seen)
    assert rig.seen("maren", rig.run("maren", "where does the trapdoor lead?"))[1] == (
        "Answer: The way down leads toward the Smugglers' Tunnel."
    )
    # The one door here, pointed at (played: "is that where the smugglers went?" was
    # answered with where Crake, a smuggler, was); not a place asked the way to.
    for line in ("is that where the smugglers went?", "is this the way they took?"):
        assert rig.seen("maren", rig.run("maren", line))[1] == (
            "Answer: The way down leads toward the Smugglers' Tunnel."
        ), line
    seen = rig.seen("maren", rig.run("maren", "is this the way to the mill?"))
    assert seen[1].startswith("Answer: The Old Mill lies up from here"), seen
    # "Where do we go?" is still what to do next, where a way's name begins "we" too
    # (played at the eel landing: "where do we go from here?" was "The way west leads
    # toward the Reed-Marsh Path.").
    assert rig.seen("maren", rig.run("maren", "where do we go?"))[1].startswith("Next: ")
    rig.world.move("maren", "hollowmere:eel_landing")
    for line in ("where do we go from here?", "where do I go now?"):
        assert rig.seen("maren", rig.run("maren", line))[1].startswith("Next: "), line
    assert rig.seen("maren", rig.run("maren", "where does west go?"))[1] == (
        "Answer: The way west leads toward the Reed-Marsh Path."
    )


def _first_in_the_rats_fight() -> EngineRig:
    """Nell and Bram walk down into the tunnel; the bog rat attacks, and Nell's turn is
    first."""
    rig = EngineRig()
    for key in ("nell", "bram"):
        rig.player(key, "cellar", kit=True)
    call(rig.world, "nell", "group bram")
    call(rig.world, "bram", "group accept")
    rig.apply([SetDoor(H + "cellar:down", closed=False, locked=False)])
    call(rig.world, "nell", "down", dice=[20, 1, 1])
    fight = rig.world.fights[H + "smugglers_tunnel"]
    assert fight.order.current == "p:nell"
    return rig


@pytest.mark.parametrize(
    ("line", "said"),
    [
        # Played (round 57) by a newcomer in her first fight: all said, and her turn ran
        # out.
        ("omg what do i do, hit it!!", "omg what do i do"),
        ("ok, kill it", "ok"),
        ("ugh. attack!", "ugh."),
    ],
)
def test_words_and_then_a_blow_on_ones_turn_are_said_and_struck(line: str, said: str) -> None:
    rig = _first_in_the_rats_fight()
    told = call(rig.world, "nell", line, dice=[15, 4]).lines("nell")
    assert told[0] == f"You say, '{said}'", told
    assert told[1].startswith("Nell attacks the bog rat: d20 15"), told


@pytest.mark.parametrize("line", ["kill it!!", "attack it", "hit the rat!"])
def test_the_one_foe_here_is_it_and_a_cry_s_marks_name_no_one(line: str) -> None:
    # Played (round 57): beside the bog rat, a restart having ended the fight, "kill
    # it!!" read "You see no 'it!!' here."
    rig = EngineRig()
    rig.player("nell", "smugglers_tunnel", kit=True)
    told = call(rig.world, "nell", line, dice=[20, 1, 15, 4]).lines("nell")
    assert told[0].startswith("== FIGHT!"), told
    assert told[1].startswith("Nell attacks the bog rat: d20 15"), told
    # With no foe here, "it" is no one.
    rig.player("bram", "common_room", kit=True)
    assert call(rig.world, "bram", "kill it!!").lines("bram") == ["You see no 'it' here."]


@pytest.mark.parametrize("line", ["kill it?", "attack him?"])
def test_a_blow_asked_is_said_and_starts_no_fight(line: str) -> None:
    # Found in review: "kill it?" asked of a companion beside the eel-catcher started the
    # fight, and drew them in.
    rig = EngineRig()
    rig.player("nell", "smugglers_tunnel", kit=True)
    rig.player("bram", "smugglers_tunnel", kit=True)
    assert call(rig.world, "nell", line).lines("nell") == [f"You say, '{line}'"]
    assert H + "smugglers_tunnel" not in rig.world.fights


@pytest.mark.parametrize(
    "line",
    ["whoa thats big. how strong is it?", "can we take it?", "how tough is the rat?"],
)
def test_how_dangerous_a_foe_here_is_asked_is_what_consider_tells(line: str) -> None:
    # Played (round 57) at the Drowned Warden, her turn: asked of the DM, and nothing
    # answered.
    rig = _first_in_the_rats_fight()
    seen = call(rig.world, "nell", line).lines("nell")
    asked = next(i for i, t in enumerate(seen) if t.startswith("You ask the DM: "))
    assert seen[asked + 1].startswith("The bog rat: a"), seen
    assert "rounds to win" in seen[asked + 1], seen
    # Not of one who is no foe, nor of one not here.
    rig.world.move("nell", H + "common_room")
    assert not any(
        "rounds to win" in t for t in call(rig.world, "nell", "how strong is it?").lines("nell")
    )


def test_a_blow_asked_of_another_is_only_said() -> None:
    rig = _first_in_the_rats_fight()
    for line in ("bram help me, attack it", "oh no, run", "so what now, attack it?"):
        told = call(rig.world, "nell", line).lines("nell")
        assert not any(t.startswith("Nell attacks") for t in told), (line, told)


@pytest.mark.parametrize(
    "line",
    [
        # Played (round 57), back after a while: "That is not known to you yet".
        "where was i? what was i doing",
        "what was i doing?",
        "where were we",
        "remind me what we're doing",
    ],
)
def test_one_back_after_a_while_asking_where_they_were_is_told_the_way_on(line: str) -> None:
    rig = EngineRig()
    rig.player("bram", "reed_path", kit=True)
    seen = rig.seen("bram", rig.run("bram", line))
    assert seen[0].startswith("You ask the DM: "), seen
    assert seen[1].startswith("Next: The Missing Cartographer: Go up to Edda's room"), seen


@pytest.mark.parametrize(
    "line", ["what are we doing tonight bob", "what were we supposed to bring bob"]
)
def test_what_we_are_doing_said_to_a_companion_is_theirs(line: str) -> None:
    # Found in review: asked of the DM, who told the quest step.
    rig = EngineRig()
    rig.player("bram", "reed_path", kit=True)
    rig.player("bob", "reed_path", kit=True)
    seen = rig.seen("bram", rig.run("bram", line))
    assert not any(t.startswith("Next:") for t in seen), seen


def test_running_from_a_fight_as_players_type_it_is_fleeing() -> None:
    # Played in the Hall of Lanterns: "run away" and "run!" in the fight were "You
    # are in a fight: attack, defend, flee <direction>, ...".
    for line, way in (
        ("run away", "north"),
        ("retreat north", "north"),
        ("run!", "north"),
        ("get out of here", "north"),
    ):
        rig = EngineRig()
        rig.player("bob", "lantern_hall", cls="hollowmere:cleric", kit=True)
        rig.player("ann", "lantern_hall", kit=True)
        call(rig.world, "ann", "attack the lamplighter")  # his first blow fells Bob
        told = call(rig.world, "ann", line).lines("ann")
        assert told[0].startswith(f"Ann flees {way}: d20"), (line, told)
    # Words, then running in a sentence of its own: said, then fled (played: "we can't
    # win this. run!" was all said). Telling another to run, or more than a way after
    # it, is only said.
    for line, said, fled in (
        ("we can't win this. run!", "we can't win this.", "Ann flees north: d20"),
        ("too strong! run for it!", "too strong!", "Ann flees north: d20"),
        ("no. run north!", "no.", "Ann flees north: d20"),
        ("bob, run!", "", ""),
        ("we can't win. run to the door", "", ""),
    ):
        rig = EngineRig()
        rig.player("bob", "lantern_hall", cls="hollowmere:cleric", kit=True)
        rig.player("ann", "lantern_hall", kit=True)
        call(rig.world, "ann", "attack the lamplighter")
        told = call(rig.world, "ann", line).lines("ann")
        if fled:
            assert told[0] == f"You say, '{said}'" and told[1].startswith(fled), (line, told)
        else:
            assert not any(t.startswith("Ann flees") for t in told), (line, told)
    # Out of a fight they are what they were: a deed; "get out of here" is the way out.
    rig = EngineRig()
    rig.player("maren", "common_room")
    assert narration_asks(rig.run("maren", "run away"))
    assert rig.seen("maren", rig.run("maren", "get out of here"))[0].startswith("The Crossroads")


def test_look_at_this_to_a_friend_shows_them_what_was_just_taken() -> None:
    rig = EngineRig()
    rig.player("fenna", "guest_room", kit=True)
    rig.player("corwin", "guest_room", kit=True)
    call(rig.world, "fenna", "take the map")
    fenna = rig.world.chars["fenna"]

    def after(line: str, before: str) -> Called:
        ctx = Ctx(now=0.0, rng=rules_ctx().rng, recent=(before,))
        effects = commands.dispatch(rig.world, fenna, parse(line, ALIASES), ctx)
        return carry_out(rig.world, effects, ctx)

    # Played: "corwin, look at this. a stair going down into the water" just after
    # "take the map" was said, and Corwin read only the words; tried, "look at this!" was "You
    # see no 'this!' here."
    for line, said in (
        ("corwin, look at this. a stair going down", "You say to Corwin, 'look at this. a"),
        ("look at this!", "You say, 'look at this!'"),
        ("check this out", "You say, 'check this out'"),
    ):
        out = after(line, "take the map")
        assert out.lines("fenna")[0].startswith(said), (line, out.lines("fenna"))
        assert out.lines("fenna")[-1] == "You show Corwin a scrap of map.", line
        assert "A torn corner of a careful survey" in out.text("corwin"), line
    # With nothing taken just before, the words alone; "this map" is the map.
    assert after("look at this!", "look").lines("corwin") == ["Fenna says, 'look at this!'"]
    assert "A torn corner" in call(rig.world, "fenna", "look at this map").text("fenna")


def test_words_to_a_player_gone_elsewhere_are_said_and_the_speaker_told() -> None:
    rig = EngineRig()
    rig.player("fenna", "smugglers_tunnel", kit=True)
    rig.player("corwin", "cellar", kit=True)
    # Played: Fenna had gone down the trapdoor; "fenna? hold on, I'm coming" was a deed.
    for line in ("fenna? hold on, I'm coming", "fenna, wait for me!"):
        assert call(rig.world, "corwin", line).lines("corwin") == [
            f"You say, '{line}'",
            "Fenna is not here. ('tell Fenna <words>' reaches them wherever they are.)",
        ], line
    # Of one's group, where they are (played: "mira, where are you? you ok?" read only
    # how to send a tell).
    rig.world.move("fenna", "hollowmere:cellar")
    call(rig.world, "corwin", "invite fenna")
    call(rig.world, "fenna", "group accept")
    rig.world.move("fenna", "hollowmere:reed_path")
    assert call(rig.world, "corwin", "fenna, where are you? you ok?").lines("corwin") == [
        "You say, 'fenna, where are you? you ok?'",
        "Fenna is not here: on the Reed-Marsh Path. ('gtell <words>' reaches your group, 'tell"
        " Fenna <words>' them alone.)",
    ]


def test_let_me_try_after_another_s_roll_tries_the_same() -> None:
    rig = _two()  # Maren and Tamsin, with Bessa, in the common room
    # Played: Bram's search of the hearth failed, and Ilse's "let me try" was only said.
    first = call(rig.world, "maren", "search the hearth", dice=[2])
    assert "failure" in first.text("maren"), first.text("maren")
    for key, line in (
        ("tamsin", "let me try"),
        ("maren", "my turn!"),
        ("tamsin", "ok, I'll try too"),
        # Played: said, after another's reading of Edda's papers failed.
        ("maren", "let me have a look at those"),
        ("tamsin", "let me see"),
        # Played: "fine, I'll try", after "nothing. you have a go", was only said.
        ("maren", "fine, I'll try"),
        ("tamsin", "sure, let me try"),
        # Played at the shrine: said, and the lantern not turned.
        ("maren", "let me try, she's my saint after all"),
        ("tamsin", "my turn, you had yours"),
        # Played (round 49): said, and nothing tried.
        ("maren", "let me try! she's my saint after all"),
        ("tamsin", "my turn. I'm good at this"),
        ("maren", "ooh let me try!"),
        ("tamsin", "oh, my turn"),
    ):
        out = call(rig.world, key, line, dice=[2])
        assert out.lines(key)[:2] == [f"You say, '{line}'", "You search the hearth."], line
    # Not one's own deed again, nor with nothing tried here: only said; one's own "again"
    # tries it once more, after words too (played: "it rocked. there's something under
    # it. let me try again" was "You act: ...", and nothing searched).
    assert call(rig.world, "tamsin", "let me try").lines("tamsin") == ["You say, 'let me try'"]
    for line in (
        "let me try again",
        "it rocked. there's something under it. let me try again",
        # Played (round 46): "You try to one more go."
        "one more go",
        "another try",
    ):
        out = call(rig.world, "tamsin", line, dice=[2])
        assert out.lines("tamsin")[:2] == [f"You say, '{line}'", "You search the hearth."]
    out = call(rig.world, "maren", "it rocked. my turn", dice=[2])
    assert out.lines("maren")[:2] == ["You say, 'it rocked. my turn'", "You search the hearth."]
    # With a deed after it, the deed is the go, one roll.
    out = call(rig.world, "tamsin", "one more go. *searches the hearth again, slower*", dice=[2])
    assert out.lines("tamsin")[:2] == [
        "You say, 'one more go.'",
        "You search the hearth again, slower.",
    ]
    assert sum("check" in s for s in out.lines("tamsin")) == 1
    # A turn asked for, then one's own deed: the deed is the turn, one roll (played: "so
    # much for that. my turn. *runs his fingers along the hearthstones*" searched as
    # the one before had, then again, two rolls).
    for line in (
        "so much for that. my turn. *runs her fingers along the hearthstones*",
        "my turn. search the hearth",
    ):
        out = call(rig.world, "tamsin", line, dice=[2, 2])
        seen = out.lines("tamsin")
        assert seen[0].startswith("You say, '") and "my turn" in seen[0], seen
        assert sum("WIS check" in s or "INT check" in s for s in seen) == 1, seen
    # A pose the rules roll nothing for is shown, and the go is the deed tried (played,
    # round 49: "let me try! *kneels and runs her hands over the lantern*" by the altar
    # another had searched was a pose and a deed narrated, nothing rolled).
    out = call(rig.world, "maren", "let me try! *rolls up her sleeves*", dice=[2])
    assert out.lines("tamsin")[:3] == [
        "Maren says, 'let me try!'",
        "Maren rolls up her sleeves.",
        "Maren searches the hearth.",
    ], out.lines("tamsin")
    assert sum("check" in s for s in out.lines("maren")) == 1
    rig.world.move("tamsin", "hollowmere:crossroads")
    assert call(rig.world, "tamsin", "my turn").lines("tamsin") == ["You say, 'my turn'"]


def test_let_me_try_tries_the_deed_rolled_not_the_whole_line_it_was_in() -> None:
    rig = _two()  # Maren and Tamsin, with Bessa, in the common room
    # Noticed: the line was repeated whole, so Tamsin's "let me try" after Maren's
    # "search the hearth and take the packet" would take the packet too.
    call(rig.world, "maren", "search the hearth and then sit by the fire", dice=[2])
    out = call(rig.world, "tamsin", "let me try", dice=[2])
    assert out.lines("tamsin")[:2] == ["You say, 'let me try'", "You search the hearth."]
    assert not rig.world.chars["tamsin"].pose, out.text("tamsin")  # nor sat down
    assert rig.world.chars["maren"].pose  # Maren did both


def test_let_me_try_after_a_lock_picked_or_forced_tries_it_too() -> None:
    rig = EngineRig()
    rig.player("mira", "cellar", "hollowmere:rogue", kit=True)
    rig.player("hale", "cellar", "hollowmere:fighter", kit=True)
    # Played: Mira's pick of the trapdoor failed, and Hale's "let me try" was only said.
    assert "failure" in call(rig.world, "mira", "pick the lock", dice=[3]).text("mira")
    assert call(rig.world, "hale", "let me try").lines("hale") == [
        "You say, 'let me try'",
        "You do not know how to pick locks. The trapdoor might give to force: 'force trapdoor'.",
    ]
    assert "failure" in call(rig.world, "hale", "force the trapdoor", dice=[2]).text("hale")
    seen = call(rig.world, "mira", "my turn", dice=[20]).lines("mira")
    assert seen[0] == "You say, 'my turn'" and "STR check 20" in seen[1], seen
    down = rig.world.room("hollowmere:cellar").exit("down")
    assert down is not None and down.door is not None
    assert not rig.world.door(down.door).locked


def test_what_a_thing_says_asked_aloud_is_read() -> None:
    rig = EngineRig()
    rig.player("oren", "common_room", "hollowmere:cleric", kit=True)
    rig.player("pell", "common_room", kit=True)
    assert "is uncovered" in call(rig.world, "oren", "search the hearth", dice=[18]).text("oren")
    # Played: Pell's "nice find. what does it say?" beside the packet Oren had just
    # uncovered was the DM's "You weigh what is known so far.", and Oren never heard it.
    out = call(rig.world, "pell", "nice find. what does it say?")
    assert out.lines("pell")[0] == "You say, 'nice find.'", out.lines("pell")
    assert out.lines("pell")[1].startswith("Oilcloth packet\nEdda Venn's notes"), out.lines("pell")
    assert out.lines("oren") == ["Pell says, 'nice find.'"]
    assert not narration_asks(out.effects)
    # In a group, the question and what the thing says are the table's (played: "wow!
    # what's in the packet?" beside the finder, who heard only "wow!"); not the room's.
    rig.player("quill", "common_room")
    call(rig.world, "oren", "group invite pell")
    call(rig.world, "pell", "group accept")
    out = call(rig.world, "pell", "wow! what's in the packet?")
    assert out.lines("oren")[:2] == ["Pell says, 'wow!'", "Pell asks the DM: what's in the packet?"]
    assert out.lines("oren")[2] == out.lines("pell")[1], out.lines("oren")
    assert out.lines("pell")[1].startswith("Oilcloth packet\nEdda Venn's notes")
    assert out.lines("quill") == ["Pell says, 'wow!'"]
    for line in ("what do the notes say?", "so what's written on the packet?"):
        assert "Edda Venn's notes" in call(rig.world, "oren", line).text("oren"), line
    # "it" is what one's lines before named, or was handed, before a find lying here.
    call(rig.world, "oren", "take the packet")
    rig.world.move("oren", "hollowmere:guest_room")
    call(rig.world, "oren", "take the map")
    oren = rig.world.chars["oren"]
    ctx = Ctx(now=0.0, rng=rules_ctx().rng, recent=("look at the map",))
    effects = commands.dispatch(rig.world, oren, parse("what does it say?", ALIASES), ctx)
    seen = carry_out(rig.world, effects, ctx)
    assert seen.lines("oren")[0].startswith("Scrap of map\nA torn corner"), seen.lines("oren")
    # Played: Nell took her copy of the map, and Ivo's "what's it show?" was the DM's
    # "You think it through": the one kind of thing lying here (his own copy).
    rig.player("ivo", "guest_room")
    for line in ("what's it show?", "what's on it?"):
        seen = call(rig.world, "ivo", line).lines("ivo")
        assert seen[0].startswith("Scrap of map\nA torn corner"), (line, seen)
    # What another has just handed over.
    call(rig.world, "oren", "give the packet to ivo")
    seen = call(rig.world, "ivo", "what does it say?").lines("ivo")
    assert seen[0].startswith("Oilcloth packet\nEdda Venn's notes"), seen
    # Of nothing at hand, or of what is not an item, it stays the DM's.
    for line in ("what does it say?", "what does the painting say?", "what did bessa say?"):
        assert narration_asks(call(rig.world, "pell", line).effects), line


def test_a_thing_taken_from_where_it_is_is_that_thing() -> None:
    rig = EngineRig()
    rig.player("pell", "drowned_stair", kit=True)
    rig.apply([SpawnItem("hollowmere:drowned_key", "room:hollowmere:drowned_stair")])
    # Played: the Warden fallen, "get the key off its chain" was "You see no 'key off its
    # chain' here." with the drowned iron key lying there.
    seen = call(rig.world, "pell", "get the key off its chain").lines("pell")
    assert seen[0] == "You pick up a drowned iron key.", seen
    seen = call(rig.world, "pell", "take the locket from the heap").lines("pell")
    assert seen[0] == "You pick up a tarnished locket.", seen
    # Where it is names nothing lying here: as before.
    seen = call(rig.world, "pell", "take the rope from the wall").lines("pell")
    assert seen == ["You see no 'rope from the wall' here."], seen


@pytest.mark.parametrize(
    "line",
    [
        # Played in the cellar, the smugglers' key in hand: said, a deed, refused.
        "let's see if this key fits",
        "try the key",
        "use the key",
        "see if the key fits the trapdoor",
        # And as players put it besides.
        "let me try the key",
        "put the rusty key in the lock",
        "turn the key",
        "the key in the lock",
        "ok. try the key",
        "fit the key to the lock",
        # Played: one deed for the DM, and the lock stayed shut.
        "*crouches by the trapdoor and fits the key to the lock*",
        "kneel by the trapdoor and slip the key into the lock",
        # Played (round 47): "You try to work the rusty key into the lock."
        "*kneels and works the rusty key into the lock*",
        # Played: said, and the trapdoor stayed locked.
        "i've got the key, let me try it",
        # After "so" too (played, round 53: "im a rogue so let me search the altar" was
        # all said).
        "i've got the key so let me try it",
        "got the key, so i'll try it",
        "let me try it",
        "try it",
    ],
)
def test_a_key_tried_in_words_unlocks_the_door_it_fits(line: str) -> None:
    rig = EngineRig()
    rig.player("dov", "cellar")
    rig.player("maren", "cellar")
    rig.world.spawn_item("hollowmere:rusty_key", "char:dov")
    out = call(rig.world, "dov", line)
    assert "You unlock the trapdoor with the rusty key." in out.lines("dov"), out.lines("dov")
    assert "Dov unlocks the trapdoor." in out.lines("maren")
    if " by the trapdoor and " in line:
        # The posture first, as the room sees it.
        assert out.lines("maren")[0].startswith("Dov "), out.lines("maren")
        assert out.lines("maren")[0].endswith("s by the trapdoor."), out.lines("maren")
    down = rig.world.room("hollowmere:cellar").exit("down")
    assert down is not None and down.door is not None
    assert not rig.world.door(down.door).locked
    # The key turned after it is the unlocking, no second deed (played, round 46:
    # "*fits the drowned key to the iron door and turns it*" read "You try to turn it.").
    assert not narration_asks(out.effects)


def test_a_key_fitted_and_turned_is_one_unlocking() -> None:
    for line in (
        "*fits the rusty key to the trapdoor and turns it*",
        "fit the key to the lock and turn it slowly",
    ):
        rig = EngineRig()
        rig.player("dov", "cellar")
        rig.player("maren", "cellar")
        rig.world.spawn_item("hollowmere:rusty_key", "char:dov")
        out = call(rig.world, "dov", line)
        assert out.lines("maren")[-1] == "Dov unlocks the trapdoor.", line
        assert not narration_asks(out.effects), line
    # Something else done after it is done.
    rig.world.spawn_item("hollowmere:rusty_key", "char:maren")
    call(rig.world, "dov", "lock trapdoor")
    out = call(rig.world, "maren", "fit the key to the lock and open it")
    assert out.lines("maren")[-1] == "You open the trapdoor.", out.lines("maren")


def test_try_it_with_a_key_that_fits_nothing_here_is_no_key_tried() -> None:
    # "try it" is the key only where it fits: in the tavern it may be the stew.
    rig = EngineRig()
    rig.player("dov", "common_room")
    rig.world.spawn_item("hollowmere:rusty_key", "char:dov")
    seen = call(rig.world, "dov", "that stew smells good, let me try it").lines("dov")
    assert not any("key" in line for line in seen), seen


def test_a_key_tried_where_it_fits_nothing_or_words_of_a_key_say_so() -> None:
    rig = EngineRig()
    rig.player("dov", "cellar")
    rig.world.spawn_item("hollowmere:rusty_key", "char:dov")
    # Words about a key are said; no key carried, the line is as before.
    assert call(rig.world, "dov", "I had a key like this once").lines("dov") == [
        "You say, 'I had a key like this once'"
    ]
    rig.player("maren", "cellar")
    assert call(rig.world, "maren", "try the key").lines("maren") != [
        "You unlock the trapdoor with the rusty key."
    ]
    call(rig.world, "dov", "unlock trapdoor")
    assert call(rig.world, "dov", "try the key").lines("dov") == [
        "The rusty key fits the trapdoor, which is not locked."
    ]
    rig.world.move("dov", "hollowmere:common_room")
    assert call(rig.world, "dov", "use the key").lines("dov") == [
        "The rusty key fits no lock here."
    ]


def test_a_deed_proposed_with_let_s_is_said_and_done() -> None:
    rig = EngineRig()
    rig.player("dov", "cellar")
    rig.player("maren", "cellar")
    rig.world.spawn_item("hollowmere:rusty_key", "char:dov")
    # Played: "let's unlock the trapdoor" was said, and it stayed locked.
    out = call(rig.world, "dov", "let's unlock the trapdoor")
    assert out.lines("dov") == [
        "You say, 'let's unlock the trapdoor'",
        "You unlock the trapdoor with the rusty key.",
    ]
    assert out.lines("maren") == [
        "Dov says, 'let's unlock the trapdoor'",
        "Dov unlocks the trapdoor.",
    ]
    # What proposes nothing done is words, and so is a deed the rules roll at nothing
    # here (played in the common room: "deal. let's check her room first" searched, and
    # found the hearth's packet); a follower's proposal is the leader's call.
    for line in (
        "let's see what she knows",
        "let's not",
        "let's hope it holds",
        "let's check her room first",
    ):
        assert call(rig.world, "dov", line).lines("dov") == [f"You say, '{line}'"], line
    rig.world.following["maren"] = "dov"
    assert call(rig.world, "maren", "let's close the trapdoor").lines("maren") == [
        "You say, 'let's close the trapdoor'"
    ]
    rig.world.following.clear()
    assert call(rig.world, "maren", "ok. let's open it").lines("maren")[-1] == (
        "You open the trapdoor."
    )


def test_a_key_tried_with_let_s_is_said_and_tried_once() -> None:
    rig = EngineRig()
    rig.player("dov", "cellar")
    rig.world.spawn_item("hollowmere:rusty_key", "char:dov")
    # Played: the words were lost; then they were said and the key tried twice.
    assert call(rig.world, "dov", "let's see if this key fits").lines("dov") == [
        "You say, 'let's see if this key fits'",
        "You unlock the trapdoor with the rusty key.",
    ]


def test_a_call_then_a_command_is_called_then_done() -> None:
    rig = EngineRig()
    rig.player("maren", "smugglers_tunnel", "hollowmere:cleric", kit=True)
    rig.player("dov", "smugglers_tunnel", kit=True)
    # Played in the bog rat's fight: "You see no 'it off me' here."
    seen = call(rig.world, "maren", "get it off me! hit the rat", dice=[15]).lines("dov")
    assert seen[0] == "Maren says, 'get it off me!'", seen
    assert any(line.startswith("Maren attacks the bog rat") for line in seen), seen
    # A call, then words, is all said.
    line = "look out! it's behind you"
    assert call(rig.world, "maren", line).lines("maren") == [f"You say, '{line}'"]


def test_a_battle_cry_on_one_s_turn_strikes_and_how_hard_names_no_foe() -> None:
    rig = EngineRig()
    rig.player("maren", "smugglers_tunnel", "hollowmere:cleric", kit=True)
    rig.player("dov", "smugglers_tunnel", kit=True)
    # Played on Dov's turn against the bog rat: "die, vermin!" was "You are in a fight:
    # attack, defend, ...".
    call(rig.world, "dov", "attack rat", dice=[20, 1, 1, 1, 1, 1])
    fighting = rig.world.fights["hollowmere:smugglers_tunnel"]
    assert fighting.order.current == "p:maren"
    out = call(rig.world, "dov", "die, vermin!")  # not his turn: a cry
    assert out.lines("dov") == ["You say, 'die, vermin!'"]
    seen = call(rig.world, "maren", "for the saint!", dice=[15, 3]).lines("maren")
    assert seen[0] == "You say, 'for the saint!'"
    assert seen[1].startswith("Maren attacks the bog rat"), seen
    # How hard a blow is struck is no part of whom it is struck at (played against the
    # eel-catcher: "hit it hard" was "You see no 'it hard' here.").
    seen = call(rig.world, "dov", "hit it hard", dice=[15, 3]).lines("dov")
    assert seen[0].startswith("Dov attacks the bog rat"), seen
    # Out of a fight, said.
    rig.player("wyn", "common_room")
    assert call(rig.world, "wyn", "have at you!").lines("wyn") == ["You say, 'have at you!'"]


def test_words_to_a_player_by_name_then_a_deed_are_said_then_done() -> None:
    rig = EngineRig()
    rig.player("maren", "common_room", "hollowmere:cleric", kit=True)
    rig.player("dov", "common_room", kit=True)
    rig.apply([CharUpdate("dov", hp=2)])
    # Played over the fallen Dov: "You say to Dov, 'hold on! heal him'", and no healing.
    seen = call(rig.world, "maren", "hold on, dov! heal him", dice=[5]).lines("dov")
    assert seen[0] == "Maren says to you, 'hold on!'", seen
    assert seen[1].startswith("Maren uses Ysolde's Light on you"), seen
    # Words that do nothing more are said whole, as before.
    assert call(rig.world, "maren", "dov, stay close. it's dark").lines("maren") == [
        "You say to Dov, 'stay close. it's dark'"
    ]


def test_a_ware_asked_for_at_a_counter_is_bought() -> None:
    rig = EngineRig()
    rig.player("maren", "lamp_shop", "hollowmere:cleric", kit=True)
    rig.world.chars["maren"].gold = 120
    # Played at Tobin's counter: "You try to two potions please."
    for line, bought in (
        ("two potions please", "You buy 2 potions of healing for 20 gold."),
        ("a lantern, please", "You buy a hooded lantern for 4 gold."),
        ("potions please", "You buy a potion of healing for 10 gold."),
    ):
        assert call(rig.world, "maren", line).lines("maren") == [bought], line
    # After words (played at Bessa's bar: "stew first then. one bowl please" was a deed).
    rig.player("pim", "common_room", "hollowmere:rogue", kit=True)
    assert call(rig.world, "pim", "stew first then. one bowl please").lines("pim") == [
        "You say, 'stew first then.'",
        "You buy a bowl of eel stew for 1 gold.",
    ]
    # A count alone, just after the price of one ware was asked (played: "how much for
    # healing potions?", then "two please" was "You try to two please.").
    for line in ("two please", "i'll take two", "2"):
        seen = call(rig.world, "maren", line, recent=("how much for healing potions?",))
        assert seen.lines("maren") == ["You buy 2 potions of healing for 20 gold."], line
    # What another here just bought, asked for (tried: "one for me too" was said, and
    # nothing bought); as many for "the same"; not long after.
    rig.player("hob", "lamp_shop", kit=True)
    rig.world.chars["hob"].gold = 50
    call(rig.world, "maren", "buy 2 lanterns", wall=1000.0)
    seen = call(rig.world, "hob", "one for me too", wall=1010.0).lines("hob")
    assert seen == ["You buy a hooded lantern for 4 gold."], seen
    seen = call(rig.world, "maren", "i'll have the same", wall=1020.0).lines("maren")
    assert seen == ["You buy a hooded lantern for 4 gold."], seen  # one, as Hob did
    seen = call(rig.world, "hob", "same for me", wall=1400.0).lines("hob")
    assert seen == ["You say, 'same for me'"], seen
    # With the shopkeeper's name, before or after, or as players put it (played, round
    # 46: "one for me too please tobin" was said, and nothing bought).
    for n, line in enumerate(
        ("one for me too please tobin", "tobin, one for me too", "i'll take one too", "me too")
    ):
        rig.world.chars["maren"].gold = rig.world.chars["hob"].gold = 50
        call(rig.world, "maren", "buy a lantern", wall=2000.0 + 100 * n)
        seen = call(rig.world, "hob", line, wall=2010.0 + 100 * n).lines("hob")
        assert seen == ["You buy a hooded lantern for 4 gold."], (line, seen)
    # Of no one ware named before, it is asked which (played: "two please" after "what
    # do you sell?" was "You try to two please.").
    gold = rig.world.chars["maren"].gold
    seen = call(rig.world, "maren", "two please", recent=("what do you sell?",)).lines("maren")
    assert seen[0].startswith("Two of what? Here you may buy potions of healing, flasks of"), seen
    assert " ".join(seen[0].split()).endswith("as in 'two potions of healing please'."), seen
    assert rig.world.chars["maren"].gold == gold
    seen = call(rig.world, "maren", "one please", recent=("what do you sell?",)).lines("maren")
    assert " ".join(seen[0].split()).endswith("as in 'one potion of healing please'."), seen
    # A bare number, or words said with 'say', ask for nothing (the typeahead test's
    # "say one" at Bessa's bar read "One of what? ...").
    for line in ("two", "say one", "42!"):
        seen = call(rig.world, "maren", line, recent=("what do you sell?",)).lines("maren")
        assert not seen[0].startswith(("Two of", "One of", "42 of")), (line, seen)
    # Words with no ware, or no shop, are not bought.
    assert not call(rig.world, "maren", "two of us").lines("maren")[0].startswith("You buy")
    rig.world.move("maren", "hollowmere:crossroads")
    assert (
        not call(rig.world, "maren", "two potions please").lines("maren")[0].startswith("You buy")
    )
    seen = call(rig.world, "maren", "two please").lines("maren")
    assert not seen[0].startswith(("You buy", "Two of what")), seen


def test_haste_before_a_command_and_a_cry_at_a_foe_then_a_blow() -> None:
    rig = EngineRig()
    rig.player("maren", "smugglers_tunnel", "hollowmere:cleric", kit=True)
    rig.player("dov", "smugglers_tunnel", kit=True)
    call(rig.world, "dov", "attack rat", dice=[20, 1, 1, 1, 1, 1])
    rig.apply([CharUpdate("maren", hp=3)])
    # Played against the eel-catcher: "quick, drink a potion" was "You are in a fight:
    # attack, ...", and "get away from her! attack" was "You cannot take the away."
    seen = call(rig.world, "maren", "quick, drink a potion", dice=[3]).lines("maren")
    assert seen[0].startswith("You drink a potion of healing"), seen
    seen = call(rig.world, "dov", "get away from her! attack", dice=[15, 3]).lines("dov")
    assert seen[0] == "You say, 'get away from her!'", seen
    assert seen[1].startswith("Dov attacks the bog rat"), seen
    # "now," before words keeps them whole.
    assert "now, where were we" in call(rig.world, "dov", "now, where were we").text("dov")


def test_it_is_the_one_key_carried_and_whether_it_fits_is_answered() -> None:
    rig = EngineRig()
    rig.player("dov", "drowned_stair", kit=True)
    rig.world.spawn_item("hollowmere:drowned_key", "char:dov")
    # Played on the drowned stair, the Warden's key just taken: "let's see if it fits the
    # iron door" was said, and "does it fit?" the DM's with nothing said ("do it fit?").
    assert call(rig.world, "dov", "does it fit?").lines("dov") == [
        "You ask the DM: does it fit?",
        "Answer: The drowned iron key fits the iron door: 'unlock iron door'.",
    ]
    assert call(rig.world, "dov", "let's see if it fits the iron door").lines("dov") == [
        "You say, 'let's see if it fits the iron door'",
        "You unlock the iron door with the drowned iron key.",
    ]
    assert call(rig.world, "dov", "does the key fit?").lines("dov")[1] == (
        "Answer: The drowned iron key fits the iron door, which is not locked."
    )
    # Two keys carried: "it" is the one that fits a lock here (played: the smugglers'
    # key still in the pack, the words were said and the door stayed locked).
    both = EngineRig()
    both.player("dov", "drowned_stair", kit=True)
    for key in ("hollowmere:rusty_key", "hollowmere:drowned_key"):
        both.world.spawn_item(key, "char:dov")
    assert call(both.world, "dov", "let's see if it fits the iron door").lines("dov")[1] == (
        "You unlock the iron door with the drowned iron key."
    )
    # And "the key" of the two (played, round 52: "fit the key to the iron door and
    # push it open" was a STR check).
    call(both.world, "dov", "lock iron door")
    assert call(both.world, "dov", "fit the key to the iron door and push it open").lines(
        "dov"
    ) == ["You unlock the iron door with the drowned iron key.", "You open the iron door."]
    both.world.move("dov", "hollowmere:common_room")
    # With no door here, "try it" is a deed (it read "You try to try it." until round 54).
    assert call(both.world, "dov", "try it").lines("dov") == ["You try it."]


def test_what_one_did_or_how_a_thing_seems_is_said_with_its_subject_left_out() -> None:
    rig = _two()
    for line in (
        # Played: "You try to came down the causeway. you with the chapel? ..."
        "came down the causeway. you with the chapel? that's a lamp on your mace",
        "walked all day. my feet are done",
        # Played in Edda's room: "You try to left through the window. ..."
        "left through the window. so that's how she got out",
        "I told you",
        "found it!",
        # Tried: "You see no 'like rain' here.", "You try to works for you."
        "looks like rain",
        "sounds like trouble",
        "seems quiet tonight",
        "works for me",
        # Tried: "You try to need a drink."
        "need a drink",
        "guess so",
        "hope she's alright",
        # Played: "You try to sharp eyes. aye, I keep the saint's lamps. ..."
        "sharp eyes. aye, I keep the saint's lamps. or I did, till they went out",
        # Played (round 56, Lanternfall): a deed, and a DEX check rolled for a gate two
        # rooms away.
        "forget the key. I can pick that gate lock",
    ):
        _said_aloud(rig, line)
    assert not is_spoken("search the desk. I can't find anything")
    # Plain verbs that look like a past form are still done.
    assert not is_spoken("proceed north")
    assert not is_spoken("shed the wet cloak")
    assert not is_spoken("read the notes")
    assert not is_spoken("press the stone, it is loose")
    assert not is_spoken("focus on the bell, it is humming")
    assert not is_spoken("opens the trapdoor, which is heavy")  # a deed in the third person
    assert rig.seen("maren", rig.run("maren", "need"))[0] != "You say, 'need'"


def test_a_thing_and_how_it_is_with_its_is_clipped_is_said() -> None:
    rig = _two()
    # Played: "You act: the fire's good" and a narration of nothing done.
    for line in ("the fire's good", "this stew's really good", "the rat's dead!"):
        _said_aloud(rig, line)
    assert is_spoken("your door's stuck. let's go")
    # Played (round 47) at the shrine: "the saint... *kneels at the altar and runs his
    # hands over the carved lantern*" was "You act: the saint...", and the altar searched
    # twice. A thing named, trailing off, is said.
    assert is_spoken("the saint...")
    assert not is_spoken("search the altar...")
    shrine = EngineRig()
    shrine.player("rook", "sunken_shrine")
    line = "the saint... *kneels at the altar and runs his hands over the carved lantern*"
    seen = call(shrine.world, "rook", line, dice=[5]).lines("rook")
    assert seen[:2] == ["You say, 'the saint...'", "You kneel at the altar."], seen
    assert sum("check" in s for s in seen) == 1, seen
    # A deed that names someone's thing stays a deed.
    assert not is_spoken("open the fire's grate")
    assert not is_spoken("the rat's tail, grab it")


def test_praise_then_a_door_opened_and_words() -> None:
    # Played in the cellar, the trapdoor just unlocked: "nicely done. open it up and
    # let's see" was a deed, "You try to nicely done. ...".
    rig = EngineRig()
    rig.player("dov", "cellar")
    rig.player("maren", "cellar")
    rig.world.spawn_item("hollowmere:rusty_key", "char:dov")
    call(rig.world, "dov", "unlock trapdoor")
    out = call(rig.world, "maren", "nicely done. open it up and let's see")
    assert out.lines("dov") == [
        "Maren says, 'nicely done.'",
        "Maren opens the trapdoor.",
        "Maren says, 'let's see'",
    ]
    call(rig.world, "maren", "close it")
    assert call(rig.world, "dov", "open it wide").lines("dov") == ["You open the trapdoor."]
    _said_aloud(_two(), "nice")


def test_a_key_tried_and_then_the_door_pushed_open() -> None:
    # Played at the iron door, the Warden fallen: "*fits the drowned key to the iron door
    # and pushes it open*" unlocked it, and the rest was lost.
    for line in (
        "*fits the drowned key to the iron door and pushes it open*",
        "fit the key to the lock, then open it",
    ):
        rig = EngineRig()
        rig.player("isolde", "drowned_stair", "hollowmere:rogue", kit=True)
        rig.player("brin", "drowned_stair")
        rig.world.npcs["hollowmere:drowned_warden"].alive = False
        rig.world.spawn_item("hollowmere:drowned_key", "char:isolde")
        out = call(rig.world, "isolde", line)
        assert out.lines("brin") == ["Isolde unlocks the iron door.", "Isolde opens the iron door."]
    # A door pushed open is opened.
    call(rig.world, "isolde", "close the iron door")
    assert call(rig.world, "isolde", "push it open").lines("isolde") == ["You open the iron door."]


def test_slipping_through_a_door_goes_through_it() -> None:
    # Played at the open iron door: "*grips her dagger and slips through the door*" was
    # one deed ("You try to grip your dagger and slip through the door."), and no one
    # went through.
    for line, seen in (
        ("*grips her dagger and slips through the door*", "Isolde grips their dagger."),
        ("slip through the iron door", "Isolde leaves down."),
        ("duck through the door", "Isolde leaves down."),
    ):
        rig = EngineRig()
        rig.player("isolde", "drowned_stair", "hollowmere:rogue", kit=True)
        rig.player("brin", "drowned_stair")
        rig.world.npcs["hollowmere:drowned_warden"].alive = False
        rig.world.set_door("hollowmere:drowned_stair:down", closed=False, locked=False)
        out = call(rig.world, "isolde", line)
        assert out.lines("brin")[0] == seen, (line, out.lines("brin"))
        assert rig.world.chars["isolde"].room == "hollowmere:lantern_hall", line


def test_a_bare_reply_word_is_parted_from_what_follows() -> None:
    assert parser.bare_reply("ok open the door") == ("ok", "open the door")
    assert parser.bare_reply("No I don't think so") == ("No", "I don't think so")
    # Parted elsewhere at its comma, all a reply, alone, or no reply word at all.
    for line in ("ok, open the door", "ok thanks", "sure thing", "okay", "open the door", "ok "):
        assert parser.bare_reply(line) is None, line


def _maren_s_turn_at_the_eel() -> EngineRig:
    """Maren (a Lamp-Keeper) and Dov at the eel landing, Dov's blow begun the fight with
    the drowned eel-catcher, and it is Maren's turn."""
    rig = EngineRig()
    rig.player("maren", "eel_landing", "hollowmere:cleric", kit=True)
    rig.player("dov", "eel_landing", kit=True)
    call(rig.world, "dov", "attack eel", dice=[20, 1, 1, 1, 1, 1])
    assert rig.world.fights["hollowmere:eel_landing"].order.current == "p:maren"
    return rig


def test_a_command_said_in_the_first_person_is_done() -> None:
    # Tried: "I open the trapdoor" read "You try to open the trapdoor." and a narration,
    # the door shut as it was; in a fight, "I stab it" and "I go for its throat" (played
    # on a rogue's turn against the eel-catcher) read "You are in a fight: ...".
    rig = EngineRig()
    rig.player("maren", "cellar", "hollowmere:cleric", kit=True)
    rig.player("dov", "cellar", kit=True)
    assert call(rig.world, "dov", "I open the trapdoor").lines("dov") == ["The trapdoor is locked."]
    rig.world.chars["dov"].inventory.append(rig.world.new_item("hollowmere:rusty_key"))
    seen = call(rig.world, "dov", "I unlock the trapdoor").lines("dov")
    assert seen == ["You unlock the trapdoor with the rusty key."], seen
    call(rig.world, "dov", "I go up")
    assert rig.world.chars["dov"].room == "hollowmere:common_room"
    # Still a deed for the DM: a deed the rules roll, what names nothing here, words.
    out = call(rig.world, "maren", "I open the window")
    assert out.lines("maren")[0] == "You try to open the window.", out.lines("maren")
    assert call(rig.world, "maren", "I think so").lines("maren") == ["You say, 'I think so'"]
    assert call(rig.world, "maren", "I say we rest").lines("maren")[0].startswith("You try to")
    # In a fight, on one's turn: a blow, by a strike's verb or by going for the foe.
    # Played (round 50) at the Lamplighter: "Mara lunges for the hand holding the
    # lantern." was "You are in a fight: ...".
    for line in (
        "I stab it",
        "go for its throat",
        "I go for the catcher's eyes",
        "Maren lunges for the hand holding the spear.",
        "*leaps for its throat*",
    ):
        fighting = _maren_s_turn_at_the_eel()
        seen = call(fighting.world, "maren", line, dice=[15, 3]).lines("maren")
        assert seen[0].startswith("Maren attacks the drowned eel-catcher"), (line, seen)
        # The dice the blow rolls are the line's own: the trial of it drew none of them.
        assert "d20 15+" in seen[0], seen
    # Over the foe fallen, that it is dead (tried: "I stab it" narrated as a deed).
    call(fighting.world, "dov", "attack eel", dice=[20, 8, 8])
    assert call(fighting.world, "maren", "I stab it").lines("maren") == [
        "The drowned eel-catcher is dead."
    ]
    # Out of a fight, going for something is no blow.
    seen = call(rig.world, "maren", "go for a walk").lines("maren")
    assert "is not a direction" in seen[0], seen


def test_again_runs_the_line_before_once_more() -> None:
    # Played on the rogue's turn against the eel-catcher, after a stab that missed:
    # "again" read "You are in a fight: ...". "!" is a MUD's own repeat.
    # "try again" too (played in Lanternfall after a failed feel along the boards: "You
    # try again." and a narration of nothing).
    for line in ("again", "again!", "once more", "try again", "try that again"):
        rig = _maren_s_turn_at_the_eel()
        before = ["I stab it", "again"]
        seen = call(rig.world, "maren", line, dice=[2], recent=before).lines("maren")
        assert seen[0].startswith("Maren attacks the drowned eel-catcher"), (line, seen)
    # In a fight, "again" after a line that was no blow is a blow (played at the
    # Lamplighter: "again" unlocked the iron door the rogue had come through).
    rig = _maren_s_turn_at_the_eel()
    seen = call(rig.world, "maren", "again", dice=[2], recent=["open the door"]).lines("maren")
    assert seen[0].startswith("Maren attacks the drowned eel-catcher"), seen
    # The fight won, "again" after "again"s is that the foe is dead (played: the
    # Lamplighter down, "again" looked round the hall, the line before the fight).
    call(rig.world, "dov", "attack eel", dice=[20, 8, 8])
    assert "hollowmere:eel_landing" not in rig.world.fights
    seen = call(rig.world, "maren", "again", recent=["look", "again", "again"]).lines("maren")
    assert seen == ["The drowned eel-catcher is dead."], seen
    # Words are not said twice, nor a question asked again; "!" runs whatever it was.
    rig.player("wyn", "common_room")
    for said in ("hello", "what now?"):
        seen = call(rig.world, "wyn", "again", recent=[said]).lines("wyn")
        assert seen == ["Again what? ('!' runs the line you typed before again.)"], seen
    # (Alone with Bessa, the greeting is hers to answer: round 46.)
    seen = call(rig.world, "wyn", "!", recent=["hello", "!"]).lines("wyn")
    assert seen[0] == "You say, 'hello'" and seen[1].startswith("Bessa Thorn says, "), seen
    assert call(rig.world, "wyn", "again").lines("wyn")[0].startswith("Again what?")
    # Out of a fight, "try again" is an ask for a go, as "let me try again" is: the roll
    # here last tried, one's own or another's, never one's own line before (found in
    # review: after "give pell 2 gold", it gave the gold again).
    call(rig.world, "wyn", "search the hearth", dice=[2])
    seen = call(rig.world, "wyn", "try again", dice=[15], recent=["search the hearth"])
    assert "An oilcloth packet is uncovered!" in seen.text("wyn"), seen.text("wyn")
    rig = _two()
    call(rig.world, "maren", "give tamsin 2 gold")
    call(rig.world, "tamsin", "search the hearth", dice=[1])
    seen = call(rig.world, "maren", "try again!", dice=[15], recent=["give tamsin 2 gold"])
    assert seen.lines("maren")[:2] == ["You say, 'try again!'", "You search the hearth."], seen
    assert "give" not in seen.text("maren")


def test_talk_an_order_and_a_close_look_in_the_first_person_are_done() -> None:
    # Played: "I ask Bessa what she remembers of the night Edda vanished" was a deed the
    # rules rolled ("INT check 2 vs DC 12: failure"), as were "I talk to bessa" and "I
    # order a bowl of eel stew"; "study the lantern" was "You study the lantern." and a
    # narration of nothing.
    rig = EngineRig()
    bob = rig.player("bob", "common_room", kit=True)
    rig.player("alice", "common_room")
    asked = call(rig.world, "bob", "I ask Bessa what she remembers of the night Edda vanished")
    assert asked.lines("bob")[0] == (
        "You ask Bessa Thorn what she remembers of the night Edda vanished."
    )
    assert asked.lines("bob")[1].startswith("Bessa Thorn says, ")
    assert not any("check" in line for line in asked.lines("bob"))
    talked = call(rig.world, "bob", "I talk to bessa")
    assert talked.lines("bob")[0] == "You ask Bessa Thorn what news there is."
    gold = bob.gold
    assert call(rig.world, "bob", "I order a bowl of eel stew").lines("bob") == [
        "You buy a bowl of eel stew for 1 gold."
    ]
    assert bob.gold == gold - 1
    for line in ("study the lantern", "I inspect the lantern", "scrutinise the lantern"):
        seen = call(rig.world, "bob", line).lines("bob")
        assert seen[0].startswith("Hooded lantern\nA tin lantern"), (line, seen)
    # What names nothing here stays a deed, and words to no one here too.
    assert call(rig.world, "bob", "study the stars").lines("bob")[0] == "You study the stars."
    assert narration_asks(rig.run("bob", "I order the guards to stand down"))
    assert narration_asks(rig.run("bob", "I ask around about edda"))


def test_a_close_look_at_the_rooms_words_shows_them_and_a_checked_study_rolls() -> None:
    # Played (round 51) as Oswin in Edda's room: "Oswin kneels by the window and studies
    # the line of mud." read "You study the line of mud." and "You do what needs doing,
    # and nothing more."; and "study the papers", a check the builder gave 'study',
    # showed their description and rolled nothing.
    rig = EngineRig()
    rig.player("bob", "guest_room", kit=True)
    rig.player("alice", "guest_room")
    # (The line of mud is a feature of its own since round 52; the candle ends are the
    # room's words alone.)
    seen = call(rig.world, "bob", "study the candle ends").lines("bob")
    assert len(seen) == 1 and "a saucer of burnt-out candle ends" in seen[0], seen
    out = call(rig.world, "bob", "Bob kneels by the window and studies the line of mud.")
    assert out.lines("bob")[0] == "You kneel by the window."
    assert out.lines("bob")[1].startswith("Marsh mud, dried pale,"), out.lines("bob")
    out = call(rig.world, "bob", "study the papers", dice=[15])
    assert out.lines("bob")[:2] == [
        "You study the papers.",
        "Bob: INT check 15 vs DC 10: success by 5",
    ], out.lines("bob")
    assert "notes under the warm stone" in out.lines("bob")[2]


def test_a_thing_turned_to_the_light_is_looked_at_and_seen_done() -> None:
    # Played (round 53): "Oriane picks up the scrap of map and turns it to the light."
    # read "You try to turn the scrap of map to the light.", narrated "You go about it
    # steadily.", and the map's words were never shown.
    rig = EngineRig()
    rig.player("bob", "guest_room", kit=True)
    rig.player("alice", "guest_room")
    rig.world.spawn_item("hollowmere:map_scrap", "char:bob")
    for line, seen in (
        ("turn the map to the light", "Bob turns the scrap of map to the light."),
        ("I hold the map up to the window", "Bob holds the scrap of map up to the window."),
        ("*turns the map over in his hands*", "Bob turns the scrap of map over in their hands."),
    ):
        out = call(rig.world, "bob", line)
        assert out.lines("bob")[0].startswith("Scrap of map\nA torn corner"), (line, out)
        assert out.lines("alice") == [seen], line
    # Nothing of that name here: a deed, as before.
    assert narration_asks(rig.run("bob", "turn the lantern to the light"))


@pytest.mark.parametrize(
    ("line", "asked"),
    [
        ("ask the DM: where is edda?", "where is edda?"),
        ("ask dm, where is edda?", "where is edda?"),
        ("ask the dungeon master what lies north?", "what lies north?"),
        ("ask the narrator - who is crake?", "who is crake?"),
        ("ask dmitri where he went", "dmitri where he went"),  # a name, not the DM
    ],
)
def test_the_dm_named_in_a_question_to_the_dm_is_not_asked_again(line: str, asked: str) -> None:
    # Played by a griefer (and by new players): "You ask the DM: the DM: where is edda?".
    rig = EngineRig()
    rig.player("ann", "common_room")
    assert rig.seen("ann", rig.run("ann", line))[0] == f"You ask the DM: {asked}"


def test_back_to_the_room_one_is_in_is_there_already_whatever_way_is_named() -> None:
    # Noticed: "back down to the common room" typed in the common room walked down to
    # the cellar, the way named winning over the place.
    rig = EngineRig()
    rig.player("tamsin", "common_room", kit=True)
    assert rig.seen("tamsin", rig.run("tamsin", "back down to the common room")) == [
        "You are there already."
    ]
    assert rig.world.chars["tamsin"].room == "hollowmere:common_room"
    rig.player("ann", "cellar", kit=True)
    walked = rig.run("ann", "back up to the common room")
    assert rig.seen("ann", walked)[0].startswith("The Drowned Lantern, Common Room")


def test_words_whispered_in_prose_are_a_whisper_to_the_player() -> None:
    # Played by a griefer: 'emote whispers to Ann, "Mara is the thief"' read "Vex says
    # to Ann, 'Mara is the thief'" on every screen, Mara's too.
    rig = EngineRig()
    for key in ("mara", "vex", "ann"):
        rig.player(key, "common_room", kit=True)
    called = call(rig.world, "vex", 'emote whispers to Ann, "Mara is the thief"', [10])
    assert called.lines("ann") == ["Vex whispers to you, 'Mara is the thief'"]
    assert called.lines("mara") == ["Vex whispers something to Ann."]
    assert called.lines("vex") == ["You whisper to Ann, 'Mara is the thief'"]
    # To someone of the world, a pose as written and the words said (an order bought).
    called = call(rig.world, "vex", 'emote whispers to Bessa, "two ales"', [10])
    assert called.lines("ann") == ["Vex whispers to Bessa.", "Vex buys 2 mugs of marsh ale."]
    # And 'whisper to ann ...' as players type it.
    called = call(rig.world, "vex", "whisper to ann meet me upstairs", [10])
    assert called.lines("ann") == ["Vex whispers to you, 'meet me upstairs'"]


def test_i_tell_someone_here_something_is_said_to_them() -> None:
    # Played: "I tell ann that mara owes me gold" was a deed, "Vex tries to tell Ann
    # that mara owes them gold."
    rig = EngineRig()
    for key in ("vex", "ann"):
        rig.player(key, "common_room", kit=True)
    called = call(rig.world, "vex", "I tell ann that the cellar is clear", [10])
    assert called.lines("ann")[0] == "Vex says to you, 'the cellar is clear'"
    called = call(rig.world, "vex", "I tell bessa we found the locket", [10])
    assert called.lines("ann")[0] == "Vex says to Bessa Thorn, 'we found the locket'"
    # "a" is no one's name: a joke told is a deed.
    called = call(rig.world, "vex", "I tell a joke", [10])
    assert called.lines("ann")[0] == "Vex tries to tell a joke."


def test_a_reply_then_a_walk_and_a_deed_does_both_where_the_walk_ends() -> None:
    # Played: "ok. back down to the common room, then search the hearth" was said, the
    # group walked down, and no one searched.
    rig = EngineRig()
    rig.player("tess", "guest_room", kit=True)
    rig.player("pip", "guest_room", kit=True)
    rig.world.following["pip"] = "tess"
    called = call(
        rig.world, "tess", "ok. back down to the common room, then search the hearth", [15]
    )
    assert called.lines("pip")[0] == "Tess says, 'ok.'"
    assert "Tess searches the hearth." in called.lines("pip")
    assert rig.world.chars["tess"].room == rig.world.chars["pip"].room == "hollowmere:common_room"


def test_how_a_thing_is_done_before_its_verb_does_not_hide_the_command() -> None:
    # Played by a party of three: "I quietly pocket the rusty key" was "You try to
    # quietly pocket the rusty key.", narrated as done, and the key stayed on the floor.
    rig = EngineRig()
    rig.player("borin", "mill_loft", kit=True)
    called = call(rig.world, "borin", "I quietly pocket the rusty key", [10])
    assert called.lines("borin")[0] == "You pick up a rusty key."
    carried = [rig.world.items[i].template for i in rig.world.chars["borin"].inventory]
    assert "hollowmere:rusty_key" in carried


def test_a_blow_struck_in_a_player_s_own_words_keeps_them_for_the_narrator() -> None:
    # Played: "*swings his sword at the eel-catcher's head*" was narrated "You wound the
    # drowned eel-catcher."; the words are kept with the blow (``Beat.manner``).
    rig = EngineRig()
    rig.player("wren", "smugglers_tunnel", kit=True)
    rig.player("dov", "smugglers_tunnel", kit=True)
    call(rig.world, "wren", "attack rat", dice=[20, 1, 1, 1, 1, 1])
    out = call(rig.world, "dov", "*swings his sword at the rat*", dice=[15, 3])
    beats = [b for ask in out.of(AskNarration) for b in ask.outcome.beats]
    mine = [b for b in beats if b.actor == "Dov"]
    assert [b.manner for b in mine] == [
        (
            "swing your sword at the rat",
            "swings their sword at the rat",
            "swing their sword at the rat",
        )
    ], beats
    # The command itself carries no words of its own.
    assert game.blow_manner(rig.world.chars["dov"], "attack the rat") == ()
    assert game.blow_manner(rig.world.chars["dov"], "kill it") == ()
    assert game.blow_manner(rig.world.chars["dov"], "stab the {rat}") == ()
    # Nor do its other words (played: "backstab rat" was told "You backstab rat, and that
    # blow is the last.").
    for line in ("backstab rat", "a rat", "atk it"):
        assert game.blow_manner(rig.world.chars["dov"], line) == (), line
    # Each deed's verb agrees as the room reads it (played: "Dov raises their sword and
    # drive it at the warden's chest"); a thing after "and" is no deed.
    told = game.blow_manner(rig.world.chars["dov"], "raise my sword and drive it home")
    assert told[1:] == (
        "raises their sword and drives it home",
        "raise their sword and drive it home",
    )
    told = game.blow_manner(rig.world.chars["dov"], "swing my sword and shield at it")
    assert told[1] == "swings their sword and shield at it"
    # Played (round 50): "Mara draws her shortsword and circle left" to the others.
    told = game.blow_manner(rig.world.chars["dov"], "draw my shortsword and circle left")
    assert told[1] == "draws their shortsword and circles left"
    # Played (round 51) at the Warden: "Oswin uncorks the blessed water and dash it across
    # the Warden's helm".
    told = game.blow_manner(rig.world.chars["dov"], "uncork the water and dash it at its helm")
    assert told[1] == "uncorks the water and dashes it at its helm"
    # After "then" too (played, round 55, at the Lamplighter: "Cole melts into the
    # shadows, then slip behind it and drives the dagger into its back").
    # Played (round 63) at the grey wolf: "Pip raises their staff and crack the wolf
    # across the muzzle"; and "CHOP IT" was "You try to chop IT".
    told = game.blow_manner(rig.world.chars["dov"], "raise my staff and crack it on the muzzle")
    assert told[1] == "raises their staff and cracks it on the muzzle"
    assert game.blow_manner(rig.world.chars["dov"], "CHOP IT") == ("chop it", "chops it", "chop it")
    # The second deed straight after the first's verb (played: "Ode roars and bring the
    # ice axe down on the abbot's hood").
    told = game.blow_manner(rig.world.chars["dov"], "roar and bring the ice axe down on it")
    assert told[1] == "roars and brings the ice axe down on it"
    # A weapon after "and" is no deed (found in review: "shield and hammers").
    told = game.blow_manner(rig.world.chars["dov"], "charge with shield and hammer")
    assert told[1] == "charges with shield and hammer"
    line = "melt into the shadows, then slip behind it and drive the dagger into its back"
    told = game.blow_manner(rig.world.chars["dov"], line)
    assert told[1] == (
        "melts into the shadows, then slips behind it and drives the dagger into its back"
    )
    # All one has, said of oneself, is read back as one's own (played, round 52: "You try
    # to hack at the warden with everything he has, and miss.").
    told = game.blow_manner(rig.world.chars["dov"], "hack at the rat with everything he has")
    assert told[0] == "hack at the rat with everything you have"
    told = game.blow_manner(rig.world.chars["dov"], "swing with all she's got")
    assert told[0] == "swing with all you've got"
    # "It" brought down is the weapon wielded (played, round 52: 'Wren raises her
    # lantern-mace. "Saint Ysolde, guide my hand!" She brings it down on the
    # Lamplighter.' was told "You try to bring it down on the Lamplighter, and miss.").
    told = game.blow_manner(
        rig.world.chars["dov"], "bring it down on the rat", weapon="lamp-keeper's mace"
    )
    assert told[:2] == (
        "bring your lamp-keeper's mace down on the rat",
        "brings their lamp-keeper's mace down on the rat",
    )
    fought = turn_at_the_eelcatcher("oswin", "kessa")
    line = 'Oswin raises his mace. "Saint Ysolde!" He brings it down on the drowned thing.'
    effects = [
        *call(fought.world, "oswin", line, dice=[15, 1, 1, 1]).effects,
        *call(fought.world, "kessa", "defend", dice=[5, 5]).effects,
    ]
    told = [b.manner for a in narration_asks(effects) for b in a.outcome.beats if b.manner]
    assert told and told[0][0] == "bring your lamp-keeper's mace down on the drowned thing", told


@pytest.mark.parametrize("line", ["wow. what was that about?", "what just happened?"])
def test_what_was_that_about_beside_others_is_theirs_to_answer(line: str) -> None:
    # Played by a newcomer as his group gave the saint's lantern to Sister Aldith: "what
    # was that about?" was the DM's "Nothing you have seen or heard yet answers that.".
    rig = EngineRig()
    rig.player("pim", "chapel", kit=True)
    rig.player("dov", "chapel", kit=True)
    out = call(rig.world, "pim", line)
    assert out.lines("pim") == [f"You say, '{line}'"]
    assert out.lines("dov") == [f"Pim says, '{line}'"]
    # Alone, the DM is asked.
    rig = EngineRig()
    rig.player("pim", "chapel", kit=True)
    assert call(rig.world, "pim", line).lines("pim")[-1].startswith("You ask the DM: ")


def test_a_thing_lifted_from_the_floor_by_its_own_action_is_taken_up() -> None:
    # Played (round 52) in the Hall of Lanterns, the Lamplighter fallen: "Wren kneels and
    # lifts Ysolde's lantern from the floor, reverent." showed the lantern's own words for
    # lifting it, and it stayed on the floor.
    rig = EngineRig()
    wren = rig.player("wren", "lantern_hall", kit=True)
    rig.player("bran", "lantern_hall", kit=True)
    rig.world.npcs["hollowmere:lamplighter"].alive = False
    rig.world.spawn_item("hollowmere:saint_lantern", "room:hollowmere:lantern_hall")
    out = call(
        rig.world, "wren", "Wren kneels and lifts Ysolde's lantern from the floor, reverent."
    )
    assert out.lines("bran")[:3] == [
        "Wren kneels.",
        "Wren picks up Ysolde's lantern.",
        "Wren holds up Ysolde's lantern, and its green light leans toward home.",
    ], out.lines("bran")
    assert any(rig.world.items[i].template == "hollowmere:saint_lantern" for i in wren.inventory)
    # Carried, it is lifted as before, and nothing more is taken.
    held = len(wren.inventory)
    assert (
        call(rig.world, "wren", "lift the lantern")
        .lines("wren")[0]
        .startswith("You hold the saint's lantern up")
    )
    assert len(wren.inventory) == held


def test_trying_a_thing_reads_as_trying_it() -> None:
    # Played (round 54): "Pell tries the door." read "Pell tries to tries the door." as
    # a pose; typed, "try the door" read "You try to try the door.".
    for line in ("try the door", "*tries the door*", "Maren tries the door."):
        rig = _two()
        out = call(rig.world, "maren", line)
        assert (out.lines("maren")[0], out.lines("tamsin")[0]) == (
            "You try the door.",
            "Maren tries the door.",
        ), line


def test_a_word_of_when_before_lets_says_it_and_does_it() -> None:
    # Found in review: "first let's search the hearth" was only said.
    rig = EngineRig()
    rig.player("mira", "common_room", "hollowmere:rogue")
    seen = call(rig.world, "mira", "first let's search the hearth", dice=[15]).lines("mira")
    assert seen[:2] == ["You say, 'first let's search the hearth'", "You search the hearth."], seen
