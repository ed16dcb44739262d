"""An aggressive foe that wanders into a room attacks the players it finds there
(``reactions.wander``'s ``NpcArrived``, ``game.npc_aggression``). Played: the drowned
eel-catcher wandered onto the landing beside two players and stood there."""

from __future__ import annotations

from call import carry_out, rules_ctx
from enginerig import EngineRig

from mud.engine import reactions
from mud.engine.effects import NpcArrived, SetFight

H = "hollowmere:"
LANDING, PATH = H + "eel_landing", H + "reed_path"
EEL = H + "drowned_eelcatcher"


class Strolls:
    """An Rng under which every wanderer strolls on; every other draw is the lowest."""

    def randint(self, a: int, b: int) -> int:
        return a

    def __init__(self) -> None:
        self.chances = 0  # how many chances were drawn

    def random(self) -> float:
        self.chances += 1
        return 0.0

    def choice_index(self, n: int) -> int:
        return 0


def _eel_on_the_path(rig: EngineRig) -> None:
    rig.world.npcs[EEL].room = PATH
    for other in rig.world.npcs.values():  # no one else strolls in these tests
        if other.id != EEL:
            other.alive = False


def test_a_foe_wandering_in_on_players_attacks_them() -> None:
    rig = EngineRig()
    _eel_on_the_path(rig)
    rig.player("maren", "eel_landing")
    rig.player("pell", "eel_landing", cls="hollowmere:rogue")
    effects = reactions.wander(rig.world, strolls := Strolls())
    assert strolls.chances == 1 and NpcArrived(EEL, LANDING) in effects
    out = carry_out(rig.world, effects, rules_ctx(now=100.0))
    assert rig.world.npcs[EEL].room == LANDING
    for who in ("maren", "pell"):
        text = out.text(who)
        assert "The drowned eel-catcher wanders in." in text
        assert "The drowned eel-catcher attacks!" in text
        assert "== FIGHT! Initiative:" in text
    fight = rig.world.fights[LANDING]
    ids = {c.id for c in fight.fighters}
    assert {"p:maren", "p:pell", "n:" + EEL} <= ids


def test_a_foe_wandering_in_on_no_one_awake_waits() -> None:
    rig = EngineRig()
    _eel_on_the_path(rig)
    rig.player("maren", "eel_landing")
    rig.world.linkdead = frozenset({"maren"})
    rig.player("pell", "eel_landing")
    rig.world.waiting.add("pell")  # still choosing a class, unseen
    out = carry_out(rig.world, reactions.wander(rig.world, Strolls()), rules_ctx())
    assert rig.world.npcs[EEL].room == LANDING
    assert LANDING not in rig.world.fights
    assert not out.of(SetFight)


def test_a_foe_does_not_wander_into_a_fight() -> None:
    rig = EngineRig()
    _eel_on_the_path(rig)
    rig.world.fights[LANDING] = object()
    effects = reactions.wander(rig.world, strolls := Strolls())
    assert strolls.chances == 1 and effects == []
    assert rig.world.npcs[EEL].room == PATH


def test_a_friendly_wanderer_walks_in_on_players_and_nothing_starts() -> None:
    rig = EngineRig()
    rig.player("maren", "crossroads")
    for other in rig.world.npcs.values():
        if other.id != H + "aldith":
            other.alive = False
    out = carry_out(rig.world, reactions.wander(rig.world, Strolls()), rules_ctx())
    assert "Sister Aldith wanders in." in out.text("maren")
    assert H + "crossroads" not in rig.world.fights and not out.of(SetFight)
