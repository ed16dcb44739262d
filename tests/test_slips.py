"""Chat's shorthand and slips of the keys (``parser.unslipped``), read as the words
meant in a line that is no command. Played by a new player who types fast: "wat is
thsi place" read "You try to wat is thsi place." and a narration of nothing."""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from mud.engine.commands import ALIASES, _one_wanted
from mud.engine.parser import Intent, as_typed, parse, unslipped
from tests.call import call
from tests.enginerig import EngineRig
from tests.hubrig import make_rig


@pytest.mark.parametrize(
    ("typed", "meant"),
    [
        ("wat is thsi place", "what is this place"),
        ("Wher is teh cartographer?", "Where is the cartographer?"),
        ("r u ok", "are you ok"),
        ("im ready, lets go", "I'm ready, lets go"),  # "lets" is a word of its own there
        ("lets go up", "let's go up"),
        ("thx bessa", "thanks bessa"),
        ("key unlocks door prob", "key unlocks door probably"),
        # A "u" that is a sentence of its own is the way up (tried: "k pell, follow me.
        # u" read the way up as "you", and all of it was said).
        ("follow me. u", "follow me. u"),
        ("u ok?", "you ok?"),
        ("i dunno, u tell me", "i don't know, you tell me"),
        ("its wont to rain", "its wont to rain"),  # words of their own stay
        ("u-turn", "u-turn"),
        # "y" alone is a yes (played, round 52: "y" to an invitation was "You try to
        # y."); in a sentence, it stays as typed.
        ("y", "yes"),
        ("Y!", "Yes!"),
        ("y not", "y not"),
    ],
)
def test_slips_are_read_as_the_words_meant(typed: str, meant: str) -> None:
    assert unslipped(typed) == meant


@given(st.text(alphabet=st.sampled_from("urtehwaslpzimn '?.,-"), max_size=30))
def test_reading_a_line_twice_changes_nothing_more(text: str) -> None:
    once = unslipped(text)
    assert unslipped(once) == once


def test_a_command_is_never_read_again() -> None:
    # "u" is up; words said are read through their slips, and shown as typed.
    assert parse("u", ALIASES).verb == "go"
    # Words said are read through their slips, for who answers them, and shown as typed
    # (``as_typed``; the hub's test below); words written or told are the player's own.
    assert parse("say r u ok", ALIASES).args == "are you ok"
    assert parse("tell hob r u ok", ALIASES).args == "hob r u ok"
    assert parse("atack the rat", ALIASES).verb == "attack"
    # Played on the fighter's turn: "kil teh rat" read "You are in a fight: ...".
    assert parse("kil teh rat", ALIASES).raw == "kill the rat"
    assert parse("opne the trapdoor", ALIASES).verb == "open"
    # Played: "unlcok trapdoor and opne it" read "You unlcok trapdoor." first.
    assert parse("unlcok trapdoor and opne it", ALIASES).raw == "unlock trapdoor and open it"


def _two() -> EngineRig:
    rig = EngineRig()
    rig.player("hob", "common_room", kit=True)
    rig.player("tamsin", "common_room", kit=True)
    return rig


def test_a_question_typed_fast_is_answered() -> None:
    rig = _two()
    seen = call(rig.world, "hob", "wat is thsi place").lines("hob")
    assert seen[0].startswith("The Drowned Lantern, Common Room\n")
    seen = call(rig.world, "hob", "wher is teh cartographer?").lines("hob")
    assert seen[0] == "You ask Bessa Thorn, 'Where is the cartographer?'"
    # Tried: "You try to are you ok." A question of "you" needs no mark.
    seen = call(rig.world, "hob", "r u ok").lines("hob")
    assert seen[0] == "You ask Bessa Thorn, 'Are you ok?'"


@pytest.mark.parametrize(
    "typed", ["ok so what now", "so what now", "ok so wat now", "well, where do we go"]
)
def test_a_question_opened_with_little_words_needs_no_mark(typed: str) -> None:
    # Played: "ok so wat now" was said to the room, and nothing answered it.
    rig = _two()
    seen = call(rig.world, "hob", typed).lines("hob")
    assert seen[0].startswith("You ask the DM: ") and seen[0].endswith("?"), seen
    assert seen[1].startswith("Next: The Missing Cartographer"), seen


def test_little_words_before_words_that_ask_nothing_are_said() -> None:
    assert parse("ok so we wait", ALIASES).args == "ok so we wait"
    # A question of "you" is for the one spoken to, as typed (found in review: asked of
    # the DM or the innkeeper).
    for typed in ("welcome! when did you get here", "haha. where are you from"):
        assert parse(typed, ALIASES).args == typed
    assert parse("wow. where she went is a mystery", ALIASES).args == (
        "wow. where she went is a mystery"
    )


@pytest.mark.parametrize(
    "typed", ["cool!! where do we start", "so. what now", "ok! what should we do"]
)
def test_a_question_closing_a_line_after_a_sentence_of_its_own_needs_no_mark(typed: str) -> None:
    # Played (round 57, Lanternfall): "cool!! where do we start" was all said to the
    # room, where "where do we start" alone is asked.
    rig = _two()
    seen = call(rig.world, "hob", typed).lines("hob")
    asked = next(i for i, line in enumerate(seen) if line.startswith("You ask the DM: "))
    assert seen[asked].endswith("?"), seen
    assert seen[asked + 1].startswith("Next: The Missing Cartographer"), seen


def test_which_typed_fast_asks_which() -> None:
    # Played: "wich door is eddas" read "You try to wich door is eddas.".
    rig = _two()
    call(rig.world, "hob", "up")
    seen = call(rig.world, "hob", "wich door is eddas").lines("hob")
    assert seen == [
        "You ask the DM: which door is eddas",
        "Answer: The Cartographer's Room lies east from here. ('go to the Cartographer's Room'"
        " walks there.)",
    ]


def test_the_article_slipped_in_a_commands_words_is_the_article() -> None:
    # Played: "grab teh map" read "You see no 'teh map' here.".
    assert parse("grab teh map", ALIASES).args == "the map"
    # Words written are the player's own; words said are read, and shown as typed.
    assert parse("say teh map is here", ALIASES).args == "the map is here"
    assert parse("describe teh tallest", ALIASES).args == "teh tallest"
    assert unslipped("I feel ill") == "I feel ill"


def test_how_a_command_is_done_closing_it_is_no_part_of_its_words() -> None:
    # Played (round 49): "*picks it up carefully*" by the saint's lantern was a deed
    # narrated and the lantern left lying; "*picks up the key carefully*" was "You see
    # no 'key carefully' here.".
    assert parse("pick the key up carefully", ALIASES).args == "the key up"
    assert parse("get the key, gently", ALIASES).args == "the key"
    assert parse("open the door slowly", ALIASES).args == "the door"
    # Said or written words are the player's own; one word alone is what it names.
    assert parse("say carefully", ALIASES).args == "carefully"
    assert parse("say go slowly", ALIASES).args == "go slowly"
    assert parse("get carefully", ALIASES).args == "carefully"
    # Gone without a sound, a way is a sneak.
    assert parse("go down quietly", ALIASES) == Intent("hide", "down", "go down quietly")
    assert parse("go north, on tiptoe", ALIASES).verb == "hide"
    assert parse("go north quickly", ALIASES) == Intent("go", "north", "go north quickly")
    rig = EngineRig()
    rig.player("hob", "mill_loft")
    assert call(rig.world, "hob", "*picks up the key carefully*").lines("hob")[0] == (
        "You pick up a rusty key."
    )


@pytest.mark.parametrize(
    ("words", "typed", "shown"),
    [
        # Played (round 49): Grimbold's "wanna group up?" read "Want to group up?".
        ("Want to group up?", "wanna group up?", "Wanna group up?"),
        ("drink your potion", "drink ur potion", "drink ur potion"),
        # A stretch of the line: the rest was asked of the DM.
        ("hi! I'm new here.", "hi! im new here. wat do i do?", "hi! im new here."),
        ("what do i do?", "hi! im new here. wat do i do?", "wat do i do?"),
        # Closed by the game with another mark, or opened with a capital.
        ("you take it.", "u take it,", "u take it."),
        ("What's up", "'wats up", "Wats up"),
        ("Let's go", "'lets go", "Lets go"),
        # Typed with a capital, it stays as typed.
        ("What is this", "Wat is this", "Wat is this"),
        # Not a stretch of the line (an answer to it), or no slip in it: as it is.
        ("What brings you here?", "wat is this place", "What brings you here?"),
        ("hello there", "hello there", "hello there"),
        ("you and u", "say you and u", "you and u"),
    ],
)
def test_words_said_are_shown_as_typed(words: str, typed: str, shown: str) -> None:
    assert as_typed(words, typed) == shown


@given(
    st.lists(
        st.sampled_from(["u", "ur", "wanna", "im", "thx", "what", "you", "lets", "go", "the"]),
        min_size=1,
        max_size=8,
    ),
    st.sampled_from(["", "?", "!", "."]),
)
def test_a_line_read_through_its_slips_is_shown_as_it_was_typed(
    words: list[str], mark: str
) -> None:
    typed = " ".join(words) + mark
    assert as_typed(unslipped(typed), typed) == typed


async def test_a_players_words_are_shown_and_kept_as_typed_and_read_as_meant(
    tmp_path: Path,
) -> None:
    # Played (round 49): "wanna group up?" was said "Want to group up?", and "drink ur
    # potion" "drink your potion": words put in a player's mouth. Tried: "hey bessa,
    # wats good here?" was answered as if of her healing, not with her bill of fare.
    async with make_rig(tmp_path) as rig:
        grim = await rig.create("Grim")
        wren = await rig.create("Wren", peer="10.0.0.2")
        await rig.line(grim, "hi wren! wanna group up?")
        await grim.expect("You say, 'hi wren! wanna group up\\?'")
        await wren.expect("Grim says, 'hi wren! wanna group up\\?'")
        await wren.expect("Grim invites you to join the group")
        await rig.line(wren, "yes pls! im new here")
        await grim.expect("Wren says to you, 'yes pls! im new here'")
        await grim.expect("Wren joins the group")
        await rig.line(wren, "hey bessa, wats good here?")
        await grim.expect("Wren asks Bessa Thorn, 'Wats good here\\?'")
        await wren.expect("bowl of eel stew")
        await rig.line(grim, "say r u ok?")
        await wren.expect("Grim asks you, 'R u ok\\?'")
        await rig.logged()
        assert rig.store is not None
        said = [line.text for line in await rig.store.recent_chat(10)]
        assert "hi wren! wanna group up?" in said, said
        assert "R u ok?" in said, said
        assert not any("want to" in line or "are you" in line for line in said), said


def test_one_asked_after_is_the_thing_wanted_before_it() -> None:
    # Played (round 52): "i want to buy a better sword. where can i get one?" asked the
    # DM "where can i get one?"; only a question of where or from whom is read so.
    assert _one_wanted("i want to buy a better sword. where can i get one?") == (
        "i want to buy a better sword. where can i get a better sword?"
    )
    assert _one_wanted("i need a potion. who sells some?") == "i need a potion. who sells a potion?"
    for line in ("we need a plan. which one?", "where can i get one?", "i want a sword. one?"):
        assert _one_wanted(line) == line


@pytest.mark.parametrize(
    ("typed", "verb", "args"),
    [
        # Played (round 55) by a newcomer: "You try to lok at Bessa.", narrated.
        ("lok at bessa", "look", "at bessa"),
        ("exmaine the map", "examine", "the map"),
        ("drnik potion", "drink", "potion"),
        ("folow fen", "follow", "fen"),
        ("weild the sword", "wield", "the sword"),
        ("lookk around", "look", "around"),
        # Played (round 59) by a child at the keys: "You try to tlak to Bessa.".
        ("tlak to bessa", "talk", "to bessa"),
        ("hagle with tobin", "haggle", "with tobin"),
        # "tak" stays a slip of "take", the likelier.
        ("tak the lantern", "get", "the lantern"),
    ],
)
def test_a_slip_of_the_keys_in_a_verb_players_type_most_is_the_verb(
    typed: str, verb: str, args: str
) -> None:
    intent = parse(typed, ALIASES)
    assert (intent.verb, intent.args, intent.raw) == (verb, args, typed)


def test_a_slip_alone_is_still_asked_about_and_a_word_of_its_own_is_no_slip() -> None:
    assert parse("lok", ALIASES).suggestion == "look"
    # "war", "seal", "sand": words, not slips of "wear", "steal", "stand".
    # "tal" is a name ("tal come here", found in review), not a slip of "talk".
    for line in ("war is coming", "seal the letter", "sand the board", "tal come here"):
        assert parse(line, ALIASES).verb == "", line


def test_no_slip_is_a_command_a_reply_or_a_way() -> None:
    from mud.engine.parser import GREETINGS, REPLY_WORDS, VERB_SLIPS, direction_of

    for slip, verb in VERB_SLIPS.items():
        assert slip[0] == verb[0] and abs(len(slip) - len(verb)) <= 1, slip
        if slip in ALIASES or slip in GREETINGS or slip in REPLY_WORDS or direction_of(slip):
            # Never read as the verb: the word's own meaning wins.
            assert parse(f"{slip} the rat", ALIASES).verb != verb or ALIASES.get(slip) == verb


@pytest.mark.parametrize(
    ("typed", "meant"),
    [
        # Played (round 55) after Homecoming: "You try to wooo we did it.", narrated.
        ("wooo we did it!!", "woo we did it!!"),
        ("yaaay", "yay"),
        ("ohhh no", "oh no"),
        ("heyyy bessa", "hey bessa"),
        ("soooo what now", "so what now"),
        ("goood job", "good job"),
        # A word of its own with three of a letter is no chat drawn out.
        ("brrr it's cold", "brrr it's cold"),
    ],
)
def test_chat_drawn_out_is_read_as_said_short(typed: str, meant: str) -> None:
    assert unslipped(typed) == meant
    # And shown as typed.
    assert as_typed(meant, typed) == typed


def test_say_and_emote_slipped_are_said_and_posed_and_a_lone_slip_is_shown_as_typed() -> None:
    # Played (round 62): "sya hello" and "emtoe waves" were deeds for the DM ("You try
    # to sya hello."), and "quets" was asked about as "Unknown command 'quet'".
    rig = EngineRig(pack="lanternfall")
    rig.player("sable", "hostel_hall", "lanternfall:climber")
    rig.player("ash", "hostel_hall", "lanternfall:warden")
    out = call(rig.world, "sable", "sya hello")
    assert out.lines("sable") == ["You say, 'hello'"] and out.lines("ash") == [
        "Sable says, 'hello'"
    ]
    out = call(rig.world, "sable", "emtoe waves")
    assert out.lines("ash") == ["Sable waves."], out.lines("ash")
    assert call(rig.world, "sable", "quets").lines("sable") == [
        "Unknown command 'quets'. Did you mean 'quests'?"
    ]
    # A lone verb in the third person is still the actor's own ("nods": a nod).
    assert call(rig.world, "sable", "nods").lines("ash") == ["Sable nods."]
