"""``assist <player>`` (and ``help <player>`` in their fight): fighting beside another
player, joining their fight or attacking on one's turn (mud.engine.commands, through
tests/enginerig.py)."""

from __future__ import annotations

from mud.engine.effects import SetFight
from tests.enginerig import EngineRig


def _bob_fights_crake() -> EngineRig:
    rig = EngineRig()
    rig.player("bob", "mill_loft", kit=True)
    rig.apply(rig.run("bob", "attack crake", dice=[1, 1, 1, 1]))
    assert rig.world.fights.get("hollowmere:mill_loft") is not None
    rig.player("ann", "mill_loft", kit=True)  # comes up the ladder once it has begun
    return rig


def test_assist_joins_the_fight_of_the_one_named() -> None:
    rig = _bob_fights_crake()
    effects = rig.run("ann", "assist bob")
    joined = [e.fight for e in effects if isinstance(e, SetFight)]
    assert joined and joined[-1] is not None and joined[-1].has("p:ann")


def test_help_with_a_fighters_name_is_assist_and_help_alone_is_still_help() -> None:
    rig = _bob_fights_crake()
    helped = [e.fight for e in rig.run("ann", "help bob") if isinstance(e, SetFight)]
    assert helped and helped[-1] is not None and helped[-1].has("p:ann")
    assert rig.seen("ann", rig.run("ann", "help"))[0].startswith("Commands")
    # "help me" and "help please" are the list too (were "There is no help on 'me'.").
    for line in ("help me", "help please"):
        assert rig.seen("ann", rig.run("ann", line))[0].startswith("Commands"), line


def test_on_ones_turn_assist_attacks_the_foe() -> None:
    rig = EngineRig()
    rig.player("ann", "mill_loft", kit=True)
    rig.player("bob", "mill_loft", kit=True)
    # Grouped: a fight Bob starts with Crake (who attacks no one by himself) is his and
    # his group's; a stranger beside him would stay out of it.
    rig.apply(rig.run("bob", "group invite ann"))
    rig.apply(rig.run("ann", "group accept"))
    # Initiative (rolled Ann, Bob, Crake): Ann 20, Bob 3, Crake 2: Ann's turn first.
    rig.apply(rig.run("bob", "attack crake", dice=[19, 2, 1]))
    assert rig.world.fights["hollowmere:mill_loft"].order.current == "p:ann"
    seen = rig.seen("ann", rig.run("ann", "assist bob", dice=[15, 8]))
    assert seen[0].startswith("Ann attacks Crake: d20 15+5=20 vs AC 12 HIT")


def test_assist_where_there_is_no_fight_or_no_one_named() -> None:
    rig = EngineRig()
    rig.player("ann", "mill_loft", kit=True)
    rig.player("bob", "mill_loft", kit=True)
    assert rig.seen("ann", rig.run("ann", "assist bob")) == ["Bob is not in a fight here."]
    assert rig.seen("ann", rig.run("ann", "assist")) == [
        "Assist whom? Name a player here who is fighting."
    ]
    assert rig.seen("ann", rig.run("ann", "assist the old woman"))[0] == (
        "You try to assist the old woman."
    )
    assert rig.seen("ann", rig.run("ann", "help bob")) == [
        "There is no help on 'bob'. Type 'help' for a list."
    ]
