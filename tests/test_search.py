"""The one search rule (mud.engine.search): pure unit and hypothesis tests, and the
commands that use it, run through tests/enginerig.py."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from mud.engine import game, search
from mud.engine.effects import Transfer
from mud.engine.search import Thing, find, split_ordinal
from tests.enginerig import EngineRig

RAT = Thing("npc", "bog_rat", "bog rat", ("rat",))
KING = Thing("npc", "rat_king", "rat king")
KEY = Thing("item", "i1", "rusty key")
KEY2 = Thing("item", "i2", "rusty key")
DROWNED = Thing("item", "i3", "drowned key", ("iron key",))


def test_word_of_a_name_or_alias_and_prefixes_match() -> None:
    assert find([DROWNED], "drowned").thing == DROWNED
    assert find([DROWNED], "key").thing == DROWNED
    assert find([DROWNED], "dro k").thing == DROWNED
    assert find([DROWNED], "iron").thing == DROWNED
    assert find([DROWNED], "THE Drowned Key").thing == DROWNED
    assert not find([DROWNED], "key drowned").ok  # words in order
    assert not find([DROWNED], "brass").ok


def test_a_name_cried_out_is_the_name() -> None:
    # Played in a fight at 3 HP: "quick, drink the potion!" was "You are not carrying
    # 'potion!'.".
    assert find([KEY], "the rusty key!").thing == KEY
    assert find([KEY], "key?!").thing == KEY
    assert find([KEY], "key.").thing == KEY
    assert find([KEY], "key!").thing == KEY
    assert not find([KEY], "!").ok


def test_an_article_alone_is_no_one_away() -> None:
    # Played at the shrine: "a bell?" was "Sister Aldith is not here." ("a" the start
    # of "aldith").
    rig = EngineRig()
    assert game.away_from(rig.world, "a bell?") == ""
    assert game.away_from(rig.world, "the bell?") == ""
    assert game.away_from(rig.world, "aldith, the bell?") == "Sister Aldith is not here."


def test_a_hyphenated_name_is_found_by_its_parts() -> None:
    # Played: "I'd like the blessed water" in Tobin's shop, of "flask of lamp-blessed
    # water", was "You say, ...".
    water = Thing("ware", "water", "flask of lamp-blessed water", ("holy water",))
    catcher = Thing("npc", "catcher", "drowned eel-catcher")
    assert find([water], "blessed water").thing == water
    assert find([catcher], "eel catcher").thing == catcher
    assert find([catcher], "eel-catcher").thing == catcher
    assert not find([catcher], "catcher eel").ok  # the parts in order


@given(st.lists(st.text("abcdefgh", min_size=1, max_size=5), min_size=2, max_size=4))
def test_the_parts_of_a_hyphenated_word_find_it(parts: list[str]) -> None:
    thing = Thing("item", "x", "-".join(parts))
    assert search.score(thing, " ".join(parts)) >= 1


def test_two_different_things_ask_which_one() -> None:
    found = find([RAT, KING], "ra")
    assert found.thing is None
    assert found.error == (
        "Which one do you mean: the bog rat or the rat king? Say '2.ra' for the second."
    )


def test_an_exact_name_or_alias_beats_a_prefix() -> None:
    # "rat" is an alias of the bog rat, and only a word of "rat king".
    assert find([KING, RAT], "rat").thing == RAT


def test_several_of_the_same_thing_are_not_ambiguous() -> None:
    assert find([KEY, KEY2], "key").thing == KEY


def test_things_of_one_name_are_not_ambiguous_the_first_in_scope_wins() -> None:
    # Played at the Drowned Stair: a feature "iron door" written for the exit's iron
    # door, and "look door" asked "the iron door or the iron door?".
    feature = Thing("feature", "door", "iron door", ("iron", "keyhole"))
    door = Thing("door", "hollowmere:iron_door", "iron door", ("iron",))
    assert find([feature, door], "door").thing == feature
    assert find([door, feature], "iron door").thing == door
    assert find([feature, door], "2.door").thing == door


def test_looking_at_the_iron_door_below_the_stair_shows_it() -> None:
    rig = EngineRig()
    rig.player("maren", "drowned_stair")
    for line in ("look door", "examine iron door"):
        (seen,) = rig.seen("maren", rig.run("maren", line))
        assert seen.startswith("Iron, set in no wall at all"), seen


def test_ordinals_count_in_scope_order() -> None:
    assert find([KEY, DROWNED, KEY2], "2.key").thing == DROWNED
    assert find([KEY, DROWNED, KEY2], "3.key").thing == KEY2
    assert find([RAT, KING], "2.rat").thing == KING
    missing = find([KEY], "2.key")
    assert missing.thing is None and missing.error == "You see no '2.key' here."


def test_not_found_lines_come_from_the_scope() -> None:
    assert find([], "lamp").error == "You see no 'lamp' here."
    assert find([], "lamp", search.CARRIED).error == "You are not carrying 'lamp'."
    assert find([KEY], "  ").error == "You see no 'that' here."


def test_split_ordinal() -> None:
    assert split_ordinal("2.rat") == (2, "rat")
    assert split_ordinal("0.rat") == (1, "rat")
    assert split_ordinal("the  Rusty   KEY") == (0, "rusty key")
    assert split_ordinal("a.b") == (0, "a.b")


_word = st.text(alphabet="abcdefgh", min_size=1, max_size=6)
_names = st.lists(st.lists(_word, min_size=1, max_size=3).map(" ".join), min_size=1, max_size=6)


@given(_names, st.data())
def test_every_thing_is_found_by_its_full_name_or_an_ordinal(
    names: list[str], data: st.DataObject
) -> None:
    things = [Thing("item", f"i{n}", name) for n, name in enumerate(names)]
    pick = data.draw(st.integers(0, len(things) - 1))
    wanted = things[pick]
    found = find(things, wanted.name)
    # By full name: that thing, or one of the same name, or a "which one?" naming it.
    if found.thing is not None:
        assert found.thing.name == wanted.name or search.score(found.thing, wanted.name) == 2
    else:
        assert "Which one" in found.error
    # The ordinal among everything its first word matches always reaches it.
    word = wanted.name.split()[0]
    hits = [t for t in things if search.score(t, word)]
    nth = hits.index(wanted) + 1
    assert find(things, f"{nth}.{word}").thing == wanted


@given(_names, _word)
def test_find_answers_a_candidate_that_matches_or_a_reason(names: list[str], word: str) -> None:
    things = [Thing("item", f"i{n}", name) for n, name in enumerate(names)]
    found = find(things, word)
    if found.thing is not None:
        assert found.thing in things and search.score(found.thing, word) > 0
        assert found.error == ""
    else:
        assert found.error
        assert any(search.score(t, word) for t in things) == ("Which one" in found.error)


BESSA = Thing("npc", "bessa", "Bessa Thorn")
FISHER = Thing("npc", "fisher", "old fisher")


def test_find_leading_takes_the_longest_name_and_leaves_the_rest() -> None:
    lead = search.find_leading
    assert lead([BESSA], "bessa hello there") == (search.Found(BESSA), "hello there")
    assert lead([BESSA], "to Bessa Thorn where is he?") == (search.Found(BESSA), "where is he?")
    assert lead([BESSA], "with bessa") == (search.Found(BESSA), "")
    assert lead([BESSA], "Bessa, hello") == (search.Found(BESSA), "hello")
    assert lead([BESSA], "bessa thorn: the lights") == (search.Found(BESSA), "the lights")
    # A comma in what is said does not end the name.
    assert lead([BESSA], "bessa hello, friend") == (search.Found(BESSA), "hello, friend")
    # "the" may open the name; "to" alone is a name to look for, not a filler.
    assert lead([FISHER], "to the old fisher hi") == (search.Found(FISHER), "hi")
    assert lead([BESSA], "to")[0].error == "You see no 'to' here."
    assert lead([BESSA], "nobody, hello")[0].error == "You see no 'nobody' here."
    assert lead([RAT, KING], "ra hi")[0].error.startswith("Which one")


@given(_names, st.data(), st.lists(_word, max_size=4).map(" ".join))
def test_find_leading_finds_a_full_name_followed_by_anything(
    names: list[str], data: st.DataObject, rest: str
) -> None:
    things = [Thing("npc", f"n{n}", name) for n, name in enumerate(names)]
    wanted = things[data.draw(st.integers(0, len(things) - 1))]
    found, after = search.find_leading(things, f"to {wanted.name}, {rest}")
    if found.thing is not None:
        # That thing (or one of the same name) and exactly the words after the comma.
        assert search.score(found.thing, wanted.name) == 2 and after == rest
    else:
        assert "Which one" in found.error


# -- through the commands -------------------------------------------------------------


def test_look_finds_every_feature_a_room_describes() -> None:
    rig = EngineRig()
    rig.player("alice", "guest_room")
    seen = rig.seen("alice", rig.run("alice", "look papers"))
    assert seen and seen[0].startswith("Surveys of the marsh")
    rig.player("bob", "common_room")
    for line in ("look hearthstone", "examine hearth", "l at the loose hearthstone"):
        seen = rig.seen("bob", rig.run("bob", line))
        assert seen and seen[0].startswith("One of the broad hearthstones"), (line, seen)


def test_look_at_an_exit_by_shorthand_and_an_npc_by_a_word() -> None:
    rig = EngineRig()
    rig.player("alice", "common_room")
    assert "Bessa" in rig.seen("alice", rig.run("alice", "look thorn"))[0]
    north_or_up = rig.seen("alice", rig.run("alice", "look u"))
    assert north_or_up and "You see no" not in north_or_up[0]


def test_get_and_drop_use_ordinals_and_the_same_messages() -> None:
    rig = EngineRig()
    alice = rig.player("alice", "lamp_shop")
    first, second = rig.world.new_item("hollowmere:dagger"), rig.world.new_item("hollowmere:dagger")
    rig.world.floor.setdefault(alice.room, []).extend([first, second])
    moves = [e for e in rig.run("alice", "get 2.dagger") if isinstance(e, Transfer)]
    assert [m.item for m in moves] == [second]
    assert rig.seen("alice", rig.run("alice", "drop wand")) == ["You are not carrying 'wand'."]
    assert rig.seen("alice", rig.run("alice", "get wand")) == ["You see no 'wand' here."]


def test_tell_and_attack_ask_which_one() -> None:
    rig = EngineRig()
    rig.player("alice", "common_room")
    rig.player("alina", "common_room")
    rig.player("bob", "common_room")
    assert rig.seen("bob", rig.run("bob", "tell ali hi")) == [
        "Which one do you mean: Alice or Alina? Say '2.ali' for the second."
    ]
    assert "Alina" in rig.seen("bob", rig.run("bob", "tell 2.ali hi"))[0]


def test_doors_are_found_by_the_same_rule() -> None:
    rig = EngineRig()
    rig.player("alice", "cellar")
    assert rig.seen("alice", rig.run("alice", "open trap")) == ["The trapdoor is locked."]
    assert rig.seen("alice", rig.run("alice", "unlock door")) == [
        "You need the rusty key for the trapdoor."
    ]
    looked = rig.seen("alice", rig.run("alice", "look trapd"))
    assert looked and looked[0].endswith("The trapdoor is closed and locked.")
    assert rig.seen("alice", rig.run("alice", "close 2.door")) == [
        "You see no door called '2.door' here."
    ]


def test_words_after_with_or_using_say_how_when_the_whole_names_nothing() -> None:
    # Played in the smugglers' tunnel: "hit the rat with my mace" answered "You see no
    # 'rat with my mace' here."
    assert find([KEY, RAT], "the rat with my mace").thing == RAT
    assert find([KEY, RAT], "2.key using both hands").error == "You see no '2.key' here."
    assert find([RAT], "wolf with my mace").error == "You see no 'wolf' here."
    # A name that holds "with" is still found whole, and the whole is tried first.
    scarred = Thing("npc", "man", "man with the scar")
    assert find([RAT, scarred], "man with the scar").thing == scarred
    assert find([RAT, scarred], "man with a knife").thing == scarred
    # "with" at an end names nothing after it: the words are looked for as they are.
    assert find([RAT], "rat with").error == "You see no 'rat with' here."
    assert find([RAT, KING], "ra with care").error.startswith("Which one do you mean")


def test_attacking_with_a_weapon_named_attacks_the_foe() -> None:
    rig = EngineRig()
    rig.player("maren", "smugglers_tunnel")
    seen = rig.seen("maren", rig.run("maren", "hit the bog rat with my sword"))
    assert any(line.startswith("Maren attacks the bog rat: d20") for line in seen), seen


ROOM = "hollowmere:common_room"


def test_people_a_leading_word_could_name_are_those_its_first_word_starts() -> None:
    # A question in a crowd scored each of 1,000 players against its first words (4-16
    # ms a line): only the players whose one-word name the first word could name are
    # listed, as ``find_leading`` reads it (past "to", an article, an ordinal).
    rig = EngineRig()
    for key in ("maren", "tamsin", "tarra", "oren"):
        rig.player(key, "common_room")

    def named(text: str) -> list[str]:
        found = search.people(rig.world, ROOM, besides="maren", leading=text)
        return [t.ref for t in found]

    assert named("tam, where is it?") == ["tamsin"]
    assert named("ta where is it?") == ["tamsin", "tarra"]
    assert named("to Oren: hello") == ["oren"]
    assert named("2.tarra hello") == ["tarra"]
    assert named("where is the mill?") == []
    assert [t.ref for t in search.people(rig.world, ROOM, besides="maren")] == [
        "tamsin",
        "tarra",
        "oren",
    ]


def test_one_without_the_key_is_told_who_beside_them_has_it() -> None:
    # Played: "You need the drowned iron key for the iron door." while the companion
    # beside her had picked it up from the Warden.
    rig = EngineRig()
    rig.player("tess", "cellar", kit=True)
    assert rig.seen("tess", rig.run("tess", "unlock trapdoor")) == [
        "You need the rusty key for the trapdoor."
    ]
    # Lying here (played, round 48: the Warden's key where it fell, and only "You need
    # the drowned iron key for the iron door.").
    dropped = rig.world.spawn_item("hollowmere:rusty_key", "room:hollowmere:cellar")
    assert dropped is not None
    assert rig.seen("tess", rig.run("tess", "unlock trapdoor")) == [
        "You need the rusty key for the trapdoor. It lies here: 'get key'."
    ]
    rig.world.destroy_item(dropped)
    rig.player("pip", "cellar", kit=True)
    rig.player("cal", "common_room", kit=True)  # not beside her: not named
    for holder in ("pip", "cal"):
        assert rig.world.spawn_item("hollowmere:rusty_key", f"char:{holder}") is not None
    assert rig.seen("tess", rig.run("tess", "unlock trapdoor")) == [
        "You need the rusty key for the trapdoor. Pip has it here."
    ]
    # Walking into it says so too.
    assert rig.seen("tess", rig.run("tess", "down")) == [
        "The trapdoor is locked. Pip has the rusty key."
    ]


def test_one_without_the_key_is_told_where_they_left_it_lying() -> None:
    # Played (round 59, Lanternfall): the postern key uncovered under Pell's floorboard
    # and not taken; at the gate, "You need the postern key for the postern gate." and
    # "The postern gate is closed. It is locked.", and no word of where it was.
    rig = EngineRig()
    tess = rig.player("tess", "cellar", kit=True)
    tess.visited = ["hollowmere:mill_loft", "hollowmere:cellar"]
    assert rig.seen("tess", rig.run("tess", "unlock trapdoor")) == [
        "You need the rusty key for the trapdoor. It lies in the Mill Loft: 'go to the Mill Loft'."
    ]
    told = "The trapdoor is locked. The rusty key lies in the Mill Loft: 'go to the Mill Loft'."
    assert rig.seen("tess", rig.run("tess", "down")) == [told]
    assert rig.seen("tess", rig.run("tess", "open trapdoor")) == [told]


def test_a_thing_named_with_whose_it_is_is_found_when_the_whole_names_nothing() -> None:
    # Played at the shrine: "the saint's altar. let me pray at it" was "You see no 'it'
    # here." (no thing is called "saint's altar").
    altar = Thing("feature", "f:altar", "altar")
    saint = Thing("feature", "f:lantern", "saint's lantern", ("lantern",))
    assert find([altar], "the saint's altar").thing == altar
    assert find([altar], "crake's altar").thing == altar
    # A name that holds the owner still wins as a whole ...
    assert find([altar, saint], "the saint's lantern").thing == saint
    # ... and an owner before nothing here, or before a part of a name, is not found
    # ("grab bessa's arm" is no "armour").
    assert find([altar], "the saint's bell").thing is None
    assert find([altar], "the saint's alt").thing is None
    # A word with "is" clipped owns nothing (played, round 49: "where's sister aldith?"
    # found Sister Aldith by "sister", and was "Sister Aldith is not here.").
    for words in ("where's altar", "what's altar", "there's altar", "it's altar"):
        assert find([altar], words).thing is None, words


@given(st.text(alphabet="abcdefg' ", max_size=20))
def test_words_without_their_owner_are_never_empty(words: str) -> None:
    owned = search.unowned(words)
    assert owned.strip() or owned == words
    assert "'s" in words or "s'" in words or owned == words


def test_a_slip_of_the_keys_in_a_name_is_asked_after_and_never_taken() -> None:
    # Played (round 55) by a newcomer: "look bssa", "get lantren" were only "You see no
    # 'bssa' here.", and nothing said what was meant.
    bessa = Thing("npc", "bessa", "Bessa Thorn", ("bessa", "innkeeper"))
    lantern = Thing("item", "i9", "hooded lantern", ("lantern",))
    for typed, told in (
        ("bssa", "You see no 'bssa' here. Did you mean Bessa Thorn?"),
        ("the lantren", "You see no 'lantren' here. Did you mean the hooded lantern?"),
        ("hooded lantenr", "You see no 'hooded lantenr' here. Did you mean the hooded lantern?"),
        ("lanttern", "You see no 'lanttern' here. Did you mean the hooded lantern?"),
        ("drowend", "You see no 'drowend' here. Did you mean the drowned key?"),
    ):
        found = find([bessa, lantern, RAT, DROWNED], typed)
        assert found.thing is None and found.error == told, typed
    # Two things a slip away, a short word, another first letter, a second that is not
    # there, or more than one slip: nothing to ask after.
    for pool, typed in (
        ([KEY, Thing("item", "i4", "rusty kettle")], "rusty kez"),
        ([RAT], "rta"),
        ([lantern], "mantern"),
        ([lantern], "2.lantern"),
        ([lantern], "lnatren"),
    ):
        found = find(pool, typed)
        assert found.thing is None and "Did you mean" not in found.error, typed


@given(st.text("abcdefghij", min_size=4, max_size=8), st.integers(1, 6), st.sampled_from("xyz"))
def test_one_letter_left_out_or_wrong_is_one_slip_and_the_word_itself_none(
    word: str, at: int, letter: str
) -> None:
    at = min(at, len(word) - 1)
    assert search._one_slip(word[:at] + word[at + 1 :], word)
    assert search._one_slip(word[:at] + letter + word[at + 1 :], word) == (word[at] != letter)
    assert not search._one_slip(word, word)
