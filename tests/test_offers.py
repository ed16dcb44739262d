"""A thing offered in words and taken with a yes: "want my potion?", then "yes please"
(mud.engine.commands, through tests/enginerig.py), and over real telnet and SSH."""

from __future__ import annotations

from pathlib import Path

import pytest
from mudclient import make_config, running_server, telnet_and_ssh

from mud.engine.effects import SpawnItem
from tests.call import call
from tests.enginerig import EngineRig


def _two(room: str = "crossroads") -> EngineRig:
    rig = EngineRig()
    rig.player("bob", room, kit=True)  # a fighter's kit: longsword, chain shirt, potion
    rig.player("ann", room, kit=True)
    return rig


def _carries(rig: EngineRig, key: str, name: str) -> int:
    chars = rig.world.chars[key]
    return sum(1 for i in chars.inventory if rig.world.item_template(i).name == name)


POTION = "potion of healing"


@pytest.mark.parametrize(
    "offer",
    [
        "want the potion?",
        "ann, want my potion?",
        "do you want my potion, ann?",
        "anyone need a potion?",
        "would you like my potion?",
        "here. want the potion?",
    ],
)
@pytest.mark.parametrize("yes", ["yes please", "sure, thank you", "thanks!", "thanks", "aye"])
def test_a_thing_offered_is_taken_with_a_yes(offer: str, yes: str) -> None:
    rig = _two()
    offered = rig.run("bob", offer)
    assert "Bob offers you a potion of healing: say yes to take it." in rig.seen("ann", offered)
    assert not any(line.startswith("You ask the DM") for line in rig.seen("bob", offered))
    rig.apply(offered)
    taken = rig.run("ann", yes)
    assert "Bob gives you the potion of healing." in rig.seen("ann", taken)
    rig.apply(taken)
    assert (_carries(rig, "bob", POTION), _carries(rig, "ann", POTION)) == (0, 2)
    assert rig.world.offers == {}


def test_it_offered_is_what_was_just_taken() -> None:
    # Played (round 48) at the eel landing: "*scoops up the potion* want it? you're the
    # one taking hits" was said, and no potion was offered.
    for lines in (
        ["*scoops up the potion* want it? you're the one taking hits"],
        ["get potion", "want it?"],
    ):
        rig = EngineRig()
        rig.player("bob", "crossroads")
        rig.player("ann", "crossroads")
        rig.apply([SpawnItem("hollowmere:healing_potion", "room:hollowmere:crossroads")])
        for line in lines:
            out = call(rig.world, "bob", line, recent=lines[: lines.index(line)])
        assert "Bob offers you a potion of healing: say yes to take it." in out.lines("ann")
        taken = call(rig.world, "ann", "yes please")
        assert "Bob gives you the potion of healing." in taken.lines("ann"), lines
    # Nothing named before: no offer.
    rig = _two()
    out = call(rig.world, "bob", "want it?", recent=["hello"])
    assert not any("offers you" in line for line in out.lines("ann"))


@pytest.mark.parametrize(
    "no",
    [
        "no thanks",
        "nah, keep it",
        "keep it, you'll need it",
        # Tried: "thanks, I'm good" to a stew offered, and the stew was handed over.
        "thanks, I'm good",
        "thanks, I've got one",
    ],
)
def test_a_no_ends_the_offer(no: str) -> None:
    rig = _two()
    rig.apply(rig.run("bob", "want my potion?"))
    rig.apply(rig.run("ann", no))
    assert rig.world.offers == {}
    rig.apply(rig.run("ann", "yes"))
    assert _carries(rig, "bob", POTION) == 1


def test_the_thing_gone_or_its_giver_gone_gives_nothing() -> None:
    rig = _two()
    rig.apply(rig.run("bob", "want my potion?"))
    rig.apply(rig.run("bob", "drop potion"))
    taken = rig.run("ann", "yes please")
    # Said to Bob, whose question it answers ("want ...?" beside only her), and nothing
    # given.
    assert rig.seen("ann", taken) == ["You say to Bob, 'yes please'"]
    rig.apply(taken)
    assert rig.world.offers == {}
    rig.apply(rig.run("bob", "get potion"))
    rig.apply(rig.run("bob", "want my potion?"))
    rig.world.move("bob", "hollowmere:common_room")
    rig.apply(rig.run("ann", "yes please"))
    assert _carries(rig, "bob", POTION) == 1 and rig.world.offers == {}


def test_leaving_the_game_takes_ones_offers_away() -> None:
    rig = _two()
    rig.apply(rig.run("bob", "want my potion?"))
    rig.world.leave_party("bob")
    assert rig.world.offers == {}


@pytest.mark.parametrize(
    "line",
    [
        "want the ale?",  # not carried
        "want to go south?",  # no thing
        "do you like the rain?",
    ],
)
def test_lines_that_offer_nothing_carried_make_no_offer(line: str) -> None:
    rig = _two()
    rig.apply(rig.run("bob", line))
    assert rig.world.offers == {}


def test_an_offer_back_and_a_crowd_with_no_name() -> None:
    rig = _two()
    rig.apply(rig.run("bob", "want my potion?"))
    rig.apply(rig.run("ann", "yes"))
    rig.apply(rig.run("ann", "want the potion back?"))
    assert rig.world.offers == {"bob": rig.world.offers["bob"]}
    rig.player("cal", "crossroads")
    rig.apply(rig.run("bob", "no, keep it"))
    rig.apply(rig.run("ann", "want my potion?"))  # two others here: to whom?
    assert rig.world.offers == {}


async def test_over_telnet_and_ssh_a_potion_offered_is_taken(tmp_path: Path) -> None:
    async with running_server(make_config(tmp_path)) as srv:
        bob, ann = await telnet_and_ssh(srv.telnet_port, srv.ssh_port, "Bob", "Ann")
        bob.send("ann, you look pale. want my potion?")
        await ann.expect("Bob offers you a potion of healing: say yes to take it.")
        ann.send("yes please")
        await ann.expect("Bob gives you the potion of healing.")
        await bob.expect("You give the potion of healing to Ann.")
        ann.send("inventory")
        await ann.expect(r"potion of healing \(2\)")
        await bob.close()
        await ann.close()


def _invited_and_offered(rig: EngineRig) -> None:
    """Bob invites Ann into a group and offers her his potion: two answers wait."""
    rig.apply(rig.run("bob", "group invite ann"))
    rig.apply(rig.run("bob", "want my potion?"))
    assert rig.world.invites == {"ann": "bob"} and "ann" in rig.world.offers


def test_one_yes_to_an_invitation_and_a_thing_offered_takes_neither() -> None:
    # Played by a griefer: Mara's one "yes" took a stalker's dagger and joined his group,
    # and he walked her into the marsh.
    rig = _two()
    _invited_and_offered(rig)
    answered = rig.run("ann", "yes")
    assert (
        "Yes to which? Bob invited you into a group, and Bob offers you a potion of healing:"
        " say 'yes, I'll join' or 'yes, the potion' (both wait for your answer)."
    ) in rig.seen("ann", answered)
    rig.apply(answered)
    assert "ann" not in rig.world.groups and _carries(rig, "ann", POTION) == 1
    assert rig.world.invites == {"ann": "bob"} and "ann" in rig.world.offers


def test_a_yes_naming_the_thing_takes_it_and_the_invitation_still_waits() -> None:
    rig = _two()
    _invited_and_offered(rig)
    rig.apply(rig.run("ann", "yes please, the potion"))
    assert _carries(rig, "ann", POTION) == 2 and "ann" not in rig.world.groups
    assert rig.world.invites == {"ann": "bob"}
    rig.apply(rig.run("ann", "sure, I'll join"))
    assert rig.world.groups.get("ann") == "bob"


def test_a_yes_naming_the_group_joins_and_the_offer_still_waits() -> None:
    rig = _two()
    _invited_and_offered(rig)
    rig.apply(rig.run("ann", "yes, I'll join you"))
    assert rig.world.groups.get("ann") == "bob" and _carries(rig, "ann", POTION) == 1
    assert "ann" in rig.world.offers
