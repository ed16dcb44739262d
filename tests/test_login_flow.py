"""The login and creation flow, prompt by prompt: quit everywhere, the class choice,
and lines typed ahead while the hub is busy (hub with fake sessions; the same flows are
driven over real sockets in test_e2e_typeahead.py)."""

from __future__ import annotations

import logging
import re

import pytest
from hubrig import FakeSession, Rig
from hypothesis import given
from hypothesis import strategies as st

from mud.core.events import Disconnected, LineIn
from mud.engine.accounts import class_advice, class_asked_about, match_class
from mud.hub.login import ClassChoice


async def _to_prompt(rig: Rig, prompt: str) -> FakeSession:
    """A connection standing at ``prompt`` of the flow (an account "Known" exists)."""
    if prompt in ("pw_old", "pw_new", "pw_new2"):
        s = await rig.create("Changer")
        await rig.line(s, "password")
        await s.expect("Current password:")
        if prompt != "pw_old":
            await rig.line(s, "secret-pass")
            await s.expect("New password:")
        if prompt == "pw_new2":
            await rig.line(s, "another-pass")
            await s.expect("Repeat the new password:")
        return s
    if prompt == "password":
        first = await rig.create("Known")
        await rig.line(first, "quit")
        await first.wait_closed()
        s = await rig.connect()
        await rig.line(s, "Known")
        await s.expect("Password:")
        return s
    s = await rig.connect()
    if prompt == "name":
        return s
    await rig.line(s, "Newbie")
    await s.expect(r"\(yes/no\)")
    if prompt == "confirm":
        return s
    await rig.line(s, "yes")
    await s.expect("Password:")
    if prompt == "new_password":
        return s
    await rig.line(s, "secret-pass")
    await s.expect("Repeat the password:")
    if prompt == "new_password2":
        return s
    await rig.line(s, "secret-pass")
    await s.expect("Your class:")
    return s


@pytest.mark.parametrize(
    "prompt", ["name", "confirm", "password", "new_password", "new_password2", "class"]
)
@pytest.mark.parametrize("word", ["quit", "QUIT", " Quit "])
async def test_quit_leaves_at_every_login_prompt(rig: Rig, prompt: str, word: str) -> None:
    s = await _to_prompt(rig, prompt)
    await rig.line(s, word)
    await s.expect("Farewell")
    await s.wait_closed()
    assert s.echo is True  # a password prompt must not leave the terminal silent
    assert "Please" not in s.text[s.consumed :]


async def test_quit_at_class_prompt_saves_and_asks_again(rig: Rig) -> None:
    s = await _to_prompt(rig, "class")
    await rig.line(s, "quit")
    await s.wait_closed()
    assert "newbie" not in rig.hub.world.chars
    again = await rig.login("Newbie")
    await again.expect("Your class:")
    await rig.line(again, "2")
    await again.expect("You are Newbie the")
    # Played: a character whose class was chosen in a later session stepped in without
    # the welcome and the campaign's opening, which every other new character reads.
    await again.expect("Welcome to the world.")
    templates = rig.hub.world.templates
    opening = templates.packs[templates.rooms[templates.start].pack].opening
    assert opening
    await again.expect(re.escape(" ".join(opening[0].split()[:3])))


async def test_a_new_character_reads_the_opening_that_suits_who_is_in_the_start_room(
    rig: Rig,
) -> None:
    # Played: a newcomer read "the cartographer never came back" with Edda home by the
    # fire. With her there, the pack's other opening; without, the first.
    before = await rig.create("Alice")
    # The opening is read before the room (``create`` waits for its exits).
    assert re.search(r"never\s+came\s+back", before.text)
    world = rig.hub.world
    world.npcs["hollowmere:edda_venn"].room = world.templates.start
    after = await rig.create("Bob")
    assert re.search(r"bends\s+over\s+a\s+map", after.text)
    assert not re.search(r"never\s+came", after.text)


async def test_a_character_choosing_its_class_is_not_in_the_room_yet(rig: Rig) -> None:
    # Found with two players: the one at the class prompt heard the room's talk
    # scroll over the class list, and the other saw them listed in the room before
    # they "stepped into view".
    alice = await rig.create("Alice")
    newbie = await _to_prompt(rig, "class")
    await rig.line(alice, "say is anyone there")
    await alice.expect("You say")
    await rig.line(alice, "look")
    await alice.expect("Exits:")
    start = alice.consumed
    await rig.line(alice, "say done looking")  # everything of the look comes before it
    await alice.expect("You say, 'done looking'")
    assert "Newbie" not in alice.text[start : alice.consumed]
    assert "is anyone there" not in newbie.text
    assert "newbie" not in rig.hub.world.occupants.get(rig.hub.world.chars["alice"].room, [])
    # A dropped connection at the class prompt leaves unseen (nobody saw it come).
    await rig.hub.post(Disconnected(conn=newbie.conn))
    await rig.line(alice, "say still here")
    await alice.expect("You say, 'still here'")
    assert "Newbie" not in alice.text
    assert "newbie" not in rig.hub.world.chars
    newbie = await rig.login("Newbie")
    await newbie.expect("Your class:")
    await rig.line(newbie, "1")
    await newbie.expect("You are Newbie the")
    await newbie.expect("Exits:")
    await alice.expect("Newbie steps into view")
    await rig.line(alice, "look")
    await alice.expect("Newbie (is|are) here|and Newbie")
    await rig.line(alice, "say welcome")
    await newbie.expect("Alice says, 'welcome'")


@pytest.mark.parametrize("prompt", ["pw_old", "pw_new", "pw_new2"])
async def test_quit_cancels_the_password_change(rig: Rig, prompt: str) -> None:
    s = await _to_prompt(rig, prompt)
    await rig.line(s, "quit")
    await s.expect("Password change cancelled; your password is unchanged.")
    assert s.echo is True
    await rig.line(s, "look")
    await s.expect("Exits:")
    assert not s.closed
    await rig.line(s, "quit")
    await s.wait_closed()
    again = await rig.login("Changer", "secret-pass")
    await again.expect("Exits:")


CLASSES = [
    ("hollowmere:fighter", "Sellsword"),
    ("hollowmere:rogue", "Marsh Runner"),
    ("hollowmere:cleric", "Lamp-Keeper"),
    ("hollowmere:ranger", "Warden"),
]


@pytest.mark.parametrize(
    ("typed", "expected"),
    [
        ("1", "hollowmere:fighter"),
        ("3", "hollowmere:cleric"),
        (" 4 ", "hollowmere:ranger"),
        ("fighter", "hollowmere:fighter"),
        ("FIGHTER", "hollowmere:fighter"),
        ("f", "hollowmere:fighter"),
        ("cle", "hollowmere:cleric"),
        ("sellsword", "hollowmere:fighter"),
        ("marsh runner", "hollowmere:rogue"),
        ("marsh   RUNNER", "hollowmere:rogue"),
        ("lamp", "hollowmere:cleric"),
        ("w", "hollowmere:ranger"),
        # Played: a new player answered in a sentence and was told there is no such class.
        ("I'd like to be a lamp-keeper please", "hollowmere:cleric"),
        ("a marsh-runner!", "hollowmere:rogue"),
        ("the fighter, I think", "hollowmere:fighter"),
        ("3.", "hollowmere:cleric"),
        ("#1", "hollowmere:fighter"),
        # A later word of the name (played in Lanternfall: "monk" of "Lantern Monk" was
        # "There is no such class.").
        ("keeper", "hollowmere:cleric"),
        ("runner", "hollowmere:rogue"),
    ],
)
def test_class_by_number_name_or_unique_prefix(typed: str, expected: str) -> None:
    assert match_class(CLASSES, typed) == (expected, "")


@pytest.mark.parametrize(
    ("typed", "why"),
    [
        ("", "number or the name"),
        ("0", "from 1 to 4"),
        ("5", "from 1 to 4"),
        ("r", "could be any of: rogue, ranger"),
        ("wizard", "no such class"),
        ("I'd be a wizard", "no such class"),
        ("a fighter or a rogue", "more than one: fighter, rogue"),
        ("7.", "from 1 to 4"),
        # Played: a slip of the keys was told there is no such class, and nothing more.
        ("figter", "no class 'figter'. Did you mean fighter?"),
        ("warden's", "Did you mean warden?"),
    ],
)
def test_class_choice_refusals_say_why(typed: str, why: str) -> None:
    choice, problem = match_class(CLASSES, typed)
    assert choice is None
    assert why in problem


async def test_class_list_shows_numbers_and_takes_one(rig: Rig) -> None:
    s = await _to_prompt(rig, "class")
    listing = s.text
    classes = list(rig.hub.world.templates.classes.values())
    for number, cls in enumerate(classes, start=1):
        # By its name (and its short name after it where that is another word: round 53).
        assert any(
            line.split()[:2] == [str(number), cls.name] for line in listing.splitlines() if line
        ), f"{number} {cls.name} not listed:\n{listing}"
    await rig.line(s, "9")
    await s.expect(f"from 1 to {len(classes)}")
    await s.expect("Your class:")
    await rig.line(s, str(len(classes)))
    await s.expect(f"You are Newbie the {classes[-1].name}")


async def test_a_yes_to_did_you_mean_takes_the_class(rig: Rig) -> None:
    # Played: "roge" -> "There is no class 'roge'. Did you mean rogue?", and "yes" ->
    # "There is no such class. Type its number or its name from the list."
    s = await _to_prompt(rig, "class")
    rogue = rig.hub.world.templates.classes["hollowmere:rogue"]
    await rig.line(s, "roge")
    await s.expect("There is no class 'roge'. Did you mean rogue?")
    await rig.line(s, "no")
    await s.expect("Then type its number or its name from the list.")
    await rig.line(s, "yes")  # asked about nothing now
    await s.expect("There is no such class")
    await rig.line(s, "roge")
    await s.expect("Did you mean rogue?")
    await rig.line(s, "Yes!")
    await s.expect(f"You are Newbie the {rogue.name}")


async def test_asking_which_class_to_choose_is_advised_and_a_yes_takes_it(rig: Rig) -> None:
    # Played (round 52) by a newcomer: "idk which one is easiest?" was "There is no such
    # class."
    s = await _to_prompt(rig, "class")
    await rig.line(s, "idk which one is easiest?")
    await s.expect(r"New to it\? The Fighter \(1\) is the most forgiving start")
    await s.expect("Your class:")
    await rig.line(s, "ok")
    await s.expect("You are Newbie the Fighter")


async def test_asking_which_class_can_heal_is_answered_with_the_healer(rig: Rig) -> None:
    # Played (round 53) by a screen-reader player: "which one can heal people?" was
    # answered "Any of them will do. New to it? The Fighter (1) ...".
    s = await _to_prompt(rig, "class")
    await rig.line(s, "which one can heal people?")
    await s.expect(r"The Lamp-Keeper \(3\): Ysolde's Light\. A hand on the hurt")
    await rig.line(s, "yes")
    await s.expect("You are Newbie the Lamp-Keeper")


def _calling(
    cid: str,
    name: str,
    die: int,
    about: str = "",
    gifts: tuple[tuple[str, str, tuple[str, ...]], ...] = (),
    proficient: tuple[str, ...] = (),
    strength: int = 10,
    dexterity: int = 10,
) -> ClassChoice:
    scores = (("str", strength), ("dex", dexterity))
    return ClassChoice(f"p:{cid}", name, die, about, gifts, proficient, scores)


def test_class_advice_offers_the_sturdiest_and_only_when_asked() -> None:
    choices = [_calling("rogue", "Rogue", 8), _calling("fighter", "Fighter", 10)]
    choices.append(_calling("brute", "Brute", 10))
    advice, offered = class_advice(choices, "which is best for a beginner?")
    assert offered == "p:fighter" and advice.startswith("Any of them will do.")
    assert "The Fighter (2) is the most forgiving start" in advice
    assert class_advice(choices, "wizard") == ("", "")
    assert class_advice([], "which?") == ("", "")
    # Asked for a gift none of them names: said so, and the sturdiest offered still.
    advice, offered = class_advice(choices, "which one can fly?")
    assert offered == "p:fighter" and advice.startswith("I can't tell that from the list.")


def test_class_advice_names_the_one_whose_gifts_the_question_asks_for() -> None:
    mend = ("Mend", "Heals a friend beside you.", ("heal", "mend"))
    wind = ("Second Wind", "Heals you a little.", ("second wind",))
    choices = [
        _calling("fighter", "Fighter", 10, "You hit hard.", (wind,), strength=16),
        _calling("rogue", "Rogue", 8, "Quick and quiet.", (), ("stealth",), dexterity=13),
        _calling("cleric", "Cleric", 8, "Keeper of lamps.", (mend,), dexterity=16),
    ]
    # A power's own verbs weigh more than a word of another's description.
    assert class_advice(choices, "which one can heal people?") == (
        "The Cleric (3): Mend. Heals a friend beside you. Type its number or its name,"
        " or 'yes' for it.",
        "p:cleric",
    )
    # Players' words for a gift: "sneaky" is stealth, "hits hardest" is hitting hard.
    assert class_advice(choices, "which is sneaky?")[1] == "p:rogue"
    assert class_advice(choices, "which hits hardest")[1] == "p:fighter"
    # The best score: asked for by its word, answered with it.
    advice, offered = class_advice(choices, "which one is quickest?")
    assert offered == "p:cleric" and "the best Dexterity of them (16)." in advice
    assert class_advice(choices, "which is toughest?")[1] == "p:fighter"


def test_the_class_asked_about_is_the_one_a_yes_takes() -> None:
    assert class_asked_about(CLASSES, "figter") == "fighter"
    assert class_asked_about(CLASSES, "fighter") == ""
    assert class_asked_about(CLASSES, "wizard") == ""


# -- typing ahead ------------------------------------------------------------------------


async def _burst(rig: Rig, s: FakeSession, *lines: str) -> None:
    """Post every line at once, as one write from a client would arrive."""
    for text in lines:
        await rig.hub.post(LineIn(conn=s.conn, text=text))


async def test_creation_typed_ahead_in_one_burst(rig: Rig) -> None:
    s = await rig.connect()
    await _burst(rig, s, "Ahead", "yes", "secret-pass", "secret-pass", "fighter", "say hi", "quit")
    await s.expect("You say, 'hi'")
    await s.expect("Farewell")
    await s.wait_closed()
    assert "secret-pass" not in s.text


async def test_login_typed_ahead_then_disconnect_still_runs_every_line(rig: Rig) -> None:
    first = await rig.create("Early")
    await rig.line(first, "quit")
    await first.wait_closed()
    s = await rig.connect()
    await _burst(rig, s, "Early", "secret-pass", "say still here")
    await rig.hub.post(Disconnected(conn=s.conn, reason="eof"))
    await s.expect("You say, 'still here'")
    await s.wait_closed()
    watcher = await rig.create("Watcher")
    await rig.line(watcher, "look")
    await watcher.expect("Early")  # link-dead in the room, as after any lost connection


async def test_typed_ahead_secret_is_not_taken_for_a_command(rig: Rig) -> None:
    """A password typed ahead of its prompt is read by the password prompt: it is not
    said aloud, not refused as a command, and not recorded for replay."""
    other = await rig.create("Listener")
    s = await rig.connect()
    await _burst(
        rig, s, "Speaker", "yes", "hunter2-pass", "hunter2-pass", "1", "look", "say done", "quit"
    )
    await s.expect("You say, 'done'")
    # Quitting is a state change: its farewell is shown only after everything recorded
    # before it (the replay log included) is committed.
    await s.expect("Farewell")
    await other.expect("Speaker")
    assert "hunter2" not in s.text
    assert "hunter2" not in other.text
    assert "not a command" not in s.text.lower()
    events = await rig.hub._store.events(0)  # type: ignore[attr-defined]
    assert any('"say done"' in e.data for e in events), events[-3:]
    assert not any("hunter2" in e.data for e in events)


async def test_too_much_typed_ahead_is_refused_clearly(tmp_path) -> None:  # type: ignore[no-untyped-def]
    from hubrig import make_rig

    async with make_rig(tmp_path, max_ahead=3) as rig:
        s = await rig.connect()
        await _burst(rig, s, "Flooder", "yes", "secret-pass", "secret-pass", "1", "look")
        await s.expect("More than 3 lines arrived while the server was busy")
        await s.wait_closed()


async def test_password_change_typed_ahead_in_one_burst(rig: Rig) -> None:
    s = await rig.create("Changer")
    await _burst(rig, s, "password", "secret-pass", "newer-pass", "newer-pass", "say changed")
    await s.expect("Your password has been changed.")
    await s.expect("You say, 'changed'")
    assert "newer-pass" not in s.text
    await rig.line(s, "quit")
    await s.wait_closed()
    again = await rig.login("Changer", "newer-pass")
    await again.expect("Exits:")


async def test_typed_ahead_secret_never_reaches_the_log(
    rig: Rig, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.DEBUG)
    s = await rig.connect()
    await _burst(rig, s, "Quiet", "yes", "zebra-secret", "zebra-secret", "1", "say done", "quit")
    await s.expect("Farewell")
    again = await rig.connect()
    await _burst(rig, again, "Quiet", "zebra-wrong", "Quiet", "zebra-secret", "quit")
    await again.expect("Wrong password")
    await again.expect("Farewell")
    assert "zebra" not in caplog.text
    assert "zebra" not in s.text + again.text


_WORD = st.text(alphabet="abcdefghij", min_size=1, max_size=6)


@given(st.lists(st.tuples(_WORD, _WORD), min_size=1, max_size=6, unique_by=lambda p: p[0]))
def test_every_listed_class_is_reachable_by_its_number(pairs: list[tuple[str, str]]) -> None:
    choices = [(f"pack:{cid}", name) for cid, name in pairs]
    for number, (cid, _name) in enumerate(choices, start=1):
        assert match_class(choices, str(number)) == (cid, "")
        picked, problem = match_class(choices, cid.split(":", 1)[1])
        # An id is unique; it is refused only when it is also another class's name.
        assert picked == cid or "could be any of" in problem
