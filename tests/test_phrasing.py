"""mud.engine.phrasing: one template, the right line for each viewer, articles in front of
item names; and every item action phrased through it (via ``call()``)."""

from __future__ import annotations

import re

import pytest
from call import call
from enginerig import EngineRig
from hypothesis import given
from hypothesis import strategies as st

from mud.core.outputs import Doc
from mud.engine import phrasing
from mud.engine.effects import Tell, ToRoom
from mud.engine.phrasing import act, item_a, item_the, phrase, third_person
from mud.engine.state import Character

H = "hollowmere:"


@pytest.mark.parametrize(
    ("verb", "said"),
    [
        ("pick up", "picks up"),
        ("drop", "drops"),
        ("carry", "carries"),
        ("reach", "reaches"),
        ("wash", "washes"),
        ("buy", "buys"),
        ("have", "has"),
        ("be", "is"),
        ("go", "goes"),
        ("use", "uses"),
    ],
)
def test_third_person(verb: str, said: str) -> None:
    assert third_person(verb) == said


def _people() -> tuple[Character, Character]:
    return Character("alice", "Alice", "r"), Character("bob", "Bob", "r")


def test_each_viewer_reads_their_own_line() -> None:
    alice, bob = _people()
    template = "{actor} {v:give} {item} to {target}."
    item = item_the("scrap of map")
    assert phrase(template, alice, "alice", target=bob, item=item) == (
        "You give {item}the scrap of map{/} to {person}Bob{/}."
    )
    assert phrase(template, alice, "bob", target=bob, item=item) == (
        "{person}Alice{/} gives {item}the scrap of map{/} to you."
    )
    assert phrase(template, alice, None, target=bob, item=item) == (
        "{person}Alice{/} gives {item}the scrap of map{/} to {person}Bob{/}."
    )


def test_act_tells_the_actor_the_target_and_the_room_in_order() -> None:
    alice, bob = _people()
    effects = act(
        alice,
        "{actor} {v:give} {item} to {target}.",
        target=bob,
        for_target="{actor} {v:give} {target} {item}.",
        item=item_a("potion of healing"),
    )
    assert [type(e) for e in effects] == [Tell, Tell, ToRoom]
    assert effects[1] == Tell(
        "bob", Doc.text("{person}Alice{/} gives you {item}a potion of healing{/}.")
    )
    assert isinstance(effects[2], ToRoom) and effects[2].exclude == ("alice", "bob")
    alone = act(alice, "{actor} {v:sit}.", room=False, style="roll")
    assert alone == [Tell("alice", Doc.text("{roll}You sit.{/}"))]


def test_private_words_and_the_actors_own_sentence() -> None:
    alice, _bob = _people()
    bought = act(
        alice, "{actor} {v:buy} {item}{price}.", private={"price": " for 2 gold"}, item="x"
    )
    assert [e.doc for e in bought if isinstance(e, Tell | ToRoom)] == [
        Doc.text("You buy x for 2 gold."),
        Doc.text("{person}Alice{/} buys x."),
    ]
    picked = act(
        alice, "{actor} {v:pick} the lock of {door}.", for_actor="The lock gives.", door="d"
    )
    assert [e.doc for e in picked if isinstance(e, Tell | ToRoom)] == [
        Doc.text("The lock gives."),
        Doc.text("{person}Alice{/} picks the lock of d."),
    ]


def test_articles_come_from_the_grammar() -> None:
    assert item_a("eel-trap") == "{item}an eel-trap{/}"
    assert item_a("a rusty key") == "{item}a rusty key{/}"
    assert item_the("a rusty key") == "{item}the rusty key{/}"
    assert item_the("Bessa's ledger") == "{item}Bessa's ledger{/}"  # a proper name: as written


@given(st.text(min_size=1, max_size=20))
def test_a_name_is_substituted_never_parsed(name: str) -> None:
    alice = Character("alice", name, "r")
    line = phrase("{actor} {v:wave}.", alice, None)
    assert line.endswith(" waves.")
    assert phrase("{actor} {v:wave}.", alice, "alice") == "You wave."


# -- every item action, through call() -----------------------------------------------


@pytest.fixture
def shop() -> EngineRig:
    rig = EngineRig()
    rig.player("alice", "lamp_shop", kit=True)
    rig.player("bob", "lamp_shop", kit=True)
    return rig


@pytest.mark.parametrize(
    ("line", "alice", "room"),
    [
        (
            "buy potion",
            "You buy a potion of healing for 10 gold.",
            "Alice buys a potion of healing.",
        ),
        ("wield longsword", "You wield the longsword.", "Alice wields the longsword."),
        ("wear chain", "You wear the chain shirt.", "Alice wears the chain shirt."),
        ("remove chain", "You remove the chain shirt.", None),
        ("drop potion", "You drop a potion of healing.", "Alice drops a potion of healing."),
    ],
)
def test_item_actions_have_articles(
    shop: EngineRig, line: str, alice: str, room: str | None
) -> None:
    if line != "buy potion":
        call(shop.world, "alice", "buy potion")
    verb, _, what = line.partition(" ")
    if verb in ("wield", "wear"):
        call(shop.world, "alice", f"remove {what}")  # the kit has it on already
    out = call(shop.world, "alice", line)
    assert out.lines("alice") == [alice]
    assert out.lines("bob") == ([room] if room else [])


def test_get_give_sell_and_drink_have_articles(shop: EngineRig) -> None:
    world = shop.world
    world.chars["alice"].hp = 1
    world.chars["alice"].gold = 100
    call(world, "alice", "buy potion")
    call(world, "alice", "drop potion")
    got = call(world, "alice", "get potion")
    assert got.lines("alice") == ["You pick up a potion of healing."]
    assert got.lines("bob") == ["Alice picks up a potion of healing."]
    given_ = call(world, "alice", "give potion to bob")
    # One of the two she carries (the kit's and the one bought): "a" one.
    assert given_.lines("alice") == ["You give a potion of healing to Bob."]
    assert given_.lines("bob") == ["Alice gives you a potion of healing."]
    # The only one is "the" one.
    given_ = call(world, "alice", "give potion to bob")
    assert given_.lines("alice") == ["You give the potion of healing to Bob."]
    call(world, "alice", "buy dagger")
    sold = call(world, "alice", "sell dagger")
    assert sold.lines("alice") == ["You sell the dagger for 1 gold."], sold.seen
    call(world, "alice", "buy potion")
    drunk = call(world, "alice", "drink potion", dice=[3, 4])
    # Told with the word typed ("drink"), not "use".
    assert drunk.lines("alice")[0].startswith("You drink a potion of healing, and heal 9 (2d4+2")
    assert drunk.lines("bob") == [
        drunk.lines("alice")[0]
        .replace("You drink", "Alice drinks", 1)
        .replace("and heal", "and heals")
    ]


def test_npcs_and_refusals_name_things_with_articles() -> None:
    rig = EngineRig()
    world = rig.world
    alice = rig.player("alice", "eel_landing", kit=True)
    rig.player("bob", "eel_landing", kit=True)
    alice.gold = 0
    # The drowned eel-catcher (not a proper name) is "the" eel-catcher in a sentence.
    eelcatcher = world.templates.npcs[H + "drowned_eelcatcher"].name
    talked = call(world, "alice", "talk eel-catcher hello")
    assert talked.lines("alice") == [f"You say to the {eelcatcher}, 'hello'"], talked.seen
    assert talked.lines("bob")[0] == f"Alice says to the {eelcatcher}, 'hello'"
    worn = call(world, "alice", "wield chain")
    assert worn.lines("alice") == ["You cannot wield the chain shirt."]
    alice.room = H + "lamp_shop"
    world.occupants[H + "eel_landing"].remove("alice")
    world.occupants.setdefault(H + "lamp_shop", []).append("alice")
    poor = call(world, "alice", "buy potion")
    assert poor.lines("alice") == ["A potion of healing costs 10 gold; you have 0."]


def test_talk_between_players_is_phrased_for_each_of_them() -> None:
    rig = EngineRig()
    for key in ("alice", "bob", "carol"):
        rig.player(key, "common_room")
    said = call(rig.world, "alice", "say hello")
    assert said.lines("alice") == ["You say, 'hello'"]
    assert said.lines("bob") == said.lines("carol") == ["Alice says, 'hello'"]
    told = call(rig.world, "alice", "tell bob psst")
    assert told.lines("alice") == ["You tell Bob, 'psst'"]
    assert told.lines("bob") == ["Alice tells you, 'psst'"] and told.lines("carol") == []
    whispered = call(rig.world, "alice", "whisper bob the key")
    assert whispered.lines("alice") == ["You whisper to Bob, 'the key'"]
    assert whispered.lines("bob") == ["Alice whispers to you, 'the key'"]
    assert whispered.lines("carol") == ["Alice whispers something to Bob."]
    followed = call(rig.world, "carol", "follow alice")
    assert followed.lines("carol")[0] == "You now follow Alice."
    assert followed.lines("alice")[0] == "Carol now follows you."
    assert followed.lines("bob") == []


_SHE = ("she", "her", "her", "hers", "herself")
_THEY = ("they", "them", "their", "theirs", "themself")


@pytest.mark.parametrize(
    ("line", "told"),
    [
        # Played (round 55): "I shake the rain from my cloak and take a seat near the
        # fire." read "Ashe tries to shake the rain from their cloak and take a seat".
        (
            'I shake the rain from my cloak and take a seat near the fire. "Evening," I say.',
            'Ashe shakes the rain from her cloak and takes a seat near the fire. "Evening," Ashe'
            " says.",
        ),
        ("I nod to Fen.", "Ashe nods to Fen."),
        ("I wave.", "Ashe waves."),
        ("i look around", "Ashe looks around"),
        ("I stand and wait.", "Ashe stands and waits."),
        ("I lean back and slowly close my eyes.", "Ashe leans back and slowly closes her eyes."),
        ("I turn to Bessa and then raise my cup.", "Ashe turns to Bessa and then raises her cup."),
        ("I catch myself on the rail.", "Ashe catches herself on the rail."),
        # Numbers kept (tried: "try 3" read "try.").
        ("I press my ear to the wall, try 3", "Ashe presses her ear to the wall, try 3"),
        # Not a verb after "and": a thing held with another.
        ("I grab my sword and shield.", "Ashe grabs her sword and shield."),
        ("I hand Fen the map and the key.", "Ashe hands Fen the map and the key."),
        # Another subject's sentence is theirs: its verbs stay as typed.
        (
            "I watch the door. The fire crackles and pops.",
            "Ashe watches the door. The fire crackles and pops.",
        ),
        # Words in quotation marks are theirs as typed.
        ('I grin. "I go first, my friend."', 'Ashe grins. "I go first, my friend."'),
    ],
)
def test_a_deed_in_the_first_person_is_told_with_the_name_and_the_verbs_agreeing(
    line: str, told: str
) -> None:
    assert phrasing.told_by_name(line, "Ashe", _SHE) == told


def test_one_who_chose_no_pronouns_is_told_of_as_their_own() -> None:
    assert phrasing.told_by_name("I tug my hood down.", "Fen", _THEY) == "Fen tugs their hood down."
    # "and" before a verb the commands know, with nothing after it.
    verbs = frozenset({"hide"})
    assert phrasing.told_by_name("I duck and hide", "Fen", _THEY, verbs) == "Fen ducks and hides"


@pytest.mark.parametrize(
    "line",
    [
        "I'm tired.",  # a state, not a deed
        "I am here.",
        "I can't see a thing",
        "I'll go first",
        "I don't know",
        "the fire crackles",  # no "I"
        '"I go first," she says.',  # "I" only in the words said
    ],
)
def test_a_line_that_is_no_first_person_deed_is_not_told(line: str) -> None:
    assert phrasing.told_by_name(line, "Ashe", _SHE) is None


@given(st.text(alphabet=st.sampled_from(' iI"myaendot.,'), max_size=40))
def test_telling_never_changes_the_words_in_quotation_marks(line: str) -> None:
    told = phrasing.told_by_name(line, "Ashe", _SHE)
    if told is None:
        return
    assert re.findall(r'"[^"]*"', told) == re.findall(r'"[^"]*"', line)
