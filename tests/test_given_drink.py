"""A drink given to another player (``game.give_to_drink``): a potion one carries, given
to a friend who has fallen in a fight, or who is hurt, in a command, in words or in a
pose. Played at the Warden: Ilse fell, and Maro's "ilse! *tips a healing potion between
her lips*" was "You are in a fight: ...": there was no way to help her with a potion.
"""

from __future__ import annotations

import pytest
from attrs import evolve

from mud.engine.effects import CharUpdate
from tests.call import call
from tests.enginerig import EngineRig

H = "hollowmere:"
STAIR = H + "drowned_stair"
POTION = "potion of healing"


def _fallen() -> EngineRig:
    """Maro (a rogue) and Ilse (a fighter), both kitted, fight the Warden; Ilse is down
    and it is Maro's turn."""
    rig = EngineRig()
    rig.player("maro", "drowned_stair", H + "rogue", kit=True)
    rig.player("ilse", "drowned_stair", kit=True)
    call(rig.world, "ilse", "attack warden", dice=[1, 1, 1, 20, 20, 20])
    rig.world.fights[STAIR] = rig.world.fights[STAIR].with_vitals("p:ilse", 0, ())
    rig.apply([CharUpdate("ilse", hp=0, down=True)])
    assert rig.world.fights[STAIR].order.current == "p:maro"
    return rig


def _potions(rig: EngineRig, key: str) -> int:
    char = rig.world.chars[key]
    return sum(rig.world.item_template(i).name == POTION for i in char.inventory)


@pytest.mark.parametrize(
    "line",
    [
        "ilse! *tips a healing potion between her lips*",
        "*presses the bottle to ilse's lips*",
        "pour the potion down her throat",
        # Played (round 57, Lanternfall): a pose ("Pip pours their healing draught down
        # Sorrel's throat."), and she stayed down.
        "i pour my potion down ilse's throat",
        "Maro pours his potion down Ilse's throat.",
        "feed ilse a potion",
        "use potion on ilse",
        "drink my potion for ilse",
        "give potion to ilse",
    ],
)
def test_a_potion_given_to_one_who_fell_raises_them_and_takes_the_turn(line: str) -> None:
    rig = _fallen()
    out = call(rig.world, "maro", line, dice=[3, 4])
    assert "You give Ilse a potion of healing to drink, and Ilse heals 9" in "\n".join(
        out.lines("maro")
    ), out.lines("maro")
    assert "Maro gives you a potion of healing to drink, and you heal 9" in "\n".join(
        out.lines("ilse")
    )
    ilse = rig.world.chars["ilse"]
    assert (ilse.hp, ilse.down) == (9, False)
    assert _potions(rig, "maro") == 0
    # The fight's own copy of her is up too, and the turn is no longer Maro's.
    now = rig.world.fights.get(STAIR)
    assert now is not None and now.get("p:ilse").hp == 9
    assert now.order.current != "p:maro"


def test_a_drink_given_out_of_turn_or_to_one_unhurt_is_refused() -> None:
    rig = _fallen()
    now = rig.world.fights[STAIR]
    rig.world.fights[STAIR] = evolve(now, order=evolve(now.order, index=2))  # the Warden's
    out = call(rig.world, "maro", "feed ilse a potion")
    assert out.lines("maro") == ["Wait for your turn."]
    assert rig.world.chars["ilse"].down
    # Out of a fight: the hurt are given it, the unhurt keep it for later.
    rig = EngineRig()
    rig.player("maro", "crossroads", kit=True)
    rig.player("ilse", "crossroads", kit=True)
    out = call(rig.world, "maro", "use potion on ilse")
    assert out.lines("maro") == [
        "Ilse is unhurt (12/12 HP); keep the potion of healing for when it is needed."
    ]
    rig.apply([CharUpdate("ilse", hp=4)])
    out = call(rig.world, "maro", "use potion on ilse", dice=[1, 1])
    assert rig.world.chars["ilse"].hp == 8
    assert _potions(rig, "maro") == 0


def test_a_potion_raised_to_ones_own_lips_is_drunk_and_one_given_to_one_standing_is_given() -> None:
    rig = EngineRig()
    rig.player("maro", "crossroads", kit=True)
    rig.player("ilse", "crossroads", kit=True)
    call(rig.world, "maro", "pronouns she")
    rig.apply([CharUpdate("maro", hp=3), CharUpdate("ilse", hp=3)])
    out = call(rig.world, "maro", "*raises the potion to her lips*", dice=[1, 1])
    assert rig.world.chars["maro"].hp == 7 and rig.world.chars["ilse"].hp == 3, out.lines("maro")
    # A friend on her feet is handed it, to drink when she will.
    rig.player("wren", "crossroads", kit=True)
    out = call(rig.world, "wren", "give potion to ilse")
    assert out.lines("wren") == ["You give the potion of healing to Ilse."]
    assert _potions(rig, "ilse") == 2
