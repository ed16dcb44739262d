"""The bundled campaign: Hollowmere and the Saltmarsh Ferry load (together and apart), the
campaign has what a new player needs, the quest chain can be played from the start to the
boss, and every number maps onto the engine's rules (dice parse, combatants build)."""

from __future__ import annotations

from collections import deque
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from mud.core.rng import SeededRng
from mud.engine import combat, rules
from mud.engine.commands import ALIASES, Ctx, dispatch
from mud.engine.dice import DiceError, max_total, min_total, parse, roll
from mud.engine.effects import CharUpdate, Tell, ToRoom
from mud.engine.parser import parse as parse_line
from mud.engine.state import Character, World
from mud.render.doc import render
from mud.render.profile import RenderProfile
from mud.world.loader import check_packs, load_packs
from mud.world.model import CONDITION_NAMES, SKILLS, TRIGGER_KINDS, Templates

CONTENT = Path(__file__).resolve().parent.parent / "content"
HOLLOWMERE = CONTENT / "hollowmere"
FERRY = CONTENT / "saltmarsh_ferry"
PLAIN = RenderProfile(colours=0, width=200, screenreader=False, charset="utf-8")


def engine_dice_check(text: str) -> str | None:
    """What the app passes to the loader: the engine's own parser."""
    try:
        parse(text)
    except DiceError as exc:
        return str(exc)
    return None


@pytest.fixture(scope="module")
def world() -> Templates:
    return load_packs([HOLLOWMERE], dice_check=engine_dice_check)


@pytest.fixture(scope="module")
def both() -> Templates:
    return load_packs([HOLLOWMERE, FERRY], dice_check=engine_dice_check)


# --------------------------------------------------------------------------- loading


def test_bundled_packs_check_clean_alone_and_together() -> None:
    assert check_packs([HOLLOWMERE], dice_check=engine_dice_check) == []
    assert check_packs([HOLLOWMERE, FERRY], dice_check=engine_dice_check) == []
    assert check_packs([FERRY, HOLLOWMERE], dice_check=engine_dice_check) == []
    # The fallback dice check agrees on the bundled packs.
    assert check_packs([HOLLOWMERE, FERRY]) == []


def test_the_ferry_alone_loads_the_pack_it_requires(both: Templates) -> None:
    assert check_packs([FERRY]) == []
    alone = load_packs([FERRY], dice_check=engine_dice_check)
    assert list(alone.packs) == ["hollowmere", "saltmarsh_ferry"]
    assert alone.rooms == both.rooms and alone.start == both.start


def test_the_ferry_without_hollowmere_names_the_pack_it_needs(tmp_path: Path) -> None:
    lonely = tmp_path / "saltmarsh_ferry"
    lonely.mkdir()
    for source in FERRY.iterdir():
        (lonely / source.name).write_bytes(source.read_bytes())
    found = [str(i).replace(f"{tmp_path}/", "") for i in check_packs([lonely])]
    line = (FERRY / "pack.yaml").read_text().splitlines().index("requires: [hollowmere]") + 1
    assert found[0] == (
        f"saltmarsh_ferry/pack.yaml:{line}: pack 'saltmarsh_ferry' requires pack 'hollowmere',"
        f" which was not found (looked in {tmp_path})"
    )
    assert found[1:] == [
        "saltmarsh_ferry/rooms.yaml:11: room 'ferry_stage': exit 'west' ->"
        " 'hollowmere:eel_landing': no such room (pack 'hollowmere' is not loaded)"
    ]


def test_the_ferry_link_is_applied_only_when_both_are_loaded(
    world: Templates, both: Templates
) -> None:
    assert world.rooms["hollowmere:eel_landing"].exit("east") is None
    east = both.rooms["hollowmere:eel_landing"].exit("east")
    assert east is not None and east.to == "saltmarsh_ferry:ferry_stage"
    back = both.rooms["saltmarsh_ferry:ferry_stage"].exit("west")
    assert back is not None and back.to == "hollowmere:eel_landing"
    # Hollowmere is the world's start in either order: the ferry requires it, so it is
    # loaded first.
    assert both.start == "hollowmere:common_room"
    assert load_packs([FERRY, HOLLOWMERE]).start == "hollowmere:common_room"
    ferry_rooms = {r for r in both.rooms if r.startswith("saltmarsh_ferry:")}
    assert 3 <= len(ferry_rooms) <= 4
    # Apart from the link, the two packs' rooms are the same objects' worth of data.
    for room_id, room in world.rooms.items():
        if room_id != "hollowmere:eel_landing":
            assert both.rooms[room_id] == room


# --------------------------------------------------------------------------- content


def test_campaign_counts(world: Templates) -> None:
    assert len(world.rooms) >= 20
    assert len(world.npcs) >= 6
    assert len(world.classes) >= 3
    assert 3 <= len(world.quests) <= 5
    friendly = [n for n in world.npcs.values() if not n.hostile]
    hostile = [n for n in world.npcs.values() if n.hostile]
    assert len(friendly) >= 2 and len(hostile) >= 2
    # Tobin Wick's lamp shop, and Bessa's stew and ale in the tavern (she buys nothing).
    shops = {n.id: n.shop for n in world.npcs.values() if n.shop is not None}
    assert sorted(shops) == ["hollowmere:bessa", "hollowmere:tobin"]
    assert "hollowmere:healing_potion" in shops["hollowmere:tobin"].sells
    assert shops["hollowmere:bessa"].sells == (
        "hollowmere:eel_stew",
        "hollowmere:eel_pie",
        "hollowmere:marsh_ale",
    )
    assert shops["hollowmere:bessa"].buy_rate == 0
    bosses = [n for n in world.npcs.values() if n.boss]
    assert len(bosses) == 1 and bosses[0].aggressive
    assert world.rooms[world.start].safe
    assert world.rules.down == "carry" and world.rules.safe_room == world.start


def test_item_kinds_cover_the_brief(world: Templates) -> None:
    by_kind: dict[str, set[str]] = {}
    for item in world.items.values():
        by_kind.setdefault(item.kind, set()).add(item.id.partition(":")[2])
    assert {"dagger", "shortsword", "longsword", "fishing_spear"} <= by_kind["weapon"]
    assert {"leather_armour", "chain_shirt"} <= by_kind["armour"]
    assert by_kind["shield"] == {"shield"}
    assert world.items["hollowmere:leather_armour"].armour_class == 11
    assert world.items["hollowmere:chain_shirt"].armour_class == 13
    assert world.items["hollowmere:shield"].ac_bonus == 2
    potion = world.items["hollowmere:healing_potion"].effect
    assert potion is not None and potion.heal == "2d4+2"
    assert {"rusty_key", "drowned_key"} <= by_kind["key"]
    assert any(i.effect and i.effect.condition for i in world.items.values())


def test_secrets_are_found_by_checks(world: Templates) -> None:
    features = [f for room in world.rooms.values() for f in room.features.values()]
    exit_reveals = [f for f in features if f.reveals and f.reveals.exit]
    item_reveals = [f for f in features if f.reveals and f.reveals.item]
    assert len(exit_reveals) >= 2 and len(item_reveals) >= 2
    assert world.feature("hollowmere:common_room:hearthstone") in item_reveals
    assert world.feature("hollowmere:sunken_shrine:altar") in exit_reveals
    for feature in [*exit_reveals, *item_reveals]:
        assert feature.check is not None and feature.success, feature.id
    # Every hidden exit has a feature that reveals it, so no secret is unfindable.
    for room in world.rooms.values():
        for exit_ in room.exits:
            if exit_.hidden:
                assert any(
                    f.reveals is not None and f.reveals.exit == exit_.direction
                    for f in room.features.values()
                ), (room.id, exit_.direction)
    for feature in features:
        if feature.check is not None and feature.check.skill is not None:
            assert SKILLS[feature.check.skill] == feature.check.ability


def test_foes_are_beatable_at_low_level(world: Templates) -> None:
    for npc in world.npcs.values():
        if not npc.hostile:
            continue
        assert npc.stats is not None
        if npc.boss:
            # A boss must be beaten in one fight (wounds heal when a fight ends without
            # a kill): hard for one, fair for a party (content/README.md, Balance).
            assert 13 <= npc.stats.ac <= 14 and 28 <= npc.stats.hp <= 45
            assert max_total(npc.stats.damage) <= 13
            others = [n.stats.hp for n in world.npcs.values() if n.stats and not n.boss]
            assert npc.stats.hp >= 2 * max(others)
        else:
            assert 12 <= npc.stats.ac <= 13 and 7 <= npc.stats.hp <= 16, npc.id
            assert max_total(npc.stats.damage) <= 8, npc.id
        assert npc.stats.xp > 0
        assert not world.rooms[npc.room].safe or not npc.aggressive


# --------------------------------------------------------------------------- the quest chain


def _quest_order(world: Templates) -> list[str]:
    """The quests in chain order; asserts they form one chain (each needs the previous)."""
    roots = [q.id for q in world.quests.values() if not q.requires]
    assert len(roots) == 1
    order = [roots[0]]
    while True:
        after = [q.id for q in world.quests.values() if order[-1] in q.requires]
        if not after:
            break
        assert len(after) == 1
        order.append(after[0])
    assert set(order) == set(world.quests)
    return order


def _kind_of(world: Templates, kind: str) -> set[str]:
    match kind:
        case "room":
            return set(world.rooms)
        case "item":
            return set(world.items)
        case "npc":
            return set(world.npcs)
        case _:
            return {f.id for room in world.rooms.values() for f in room.features.values()}


def test_every_quest_trigger_resolves_to_its_kind(world: Templates) -> None:
    for quest in world.quests.values():
        assert quest.steps
        for step in quest.steps:
            kind = TRIGGER_KINDS[step.trigger.kind]
            assert step.trigger.target in _kind_of(world, kind), (quest.id, step.id)
        assert all(r in world.quests for r in quest.requires)


def _explore(world: Templates) -> tuple[set[str], set[str], set[str], set[str]]:
    """A patient player from the start: walk everywhere reachable, pick up everything,
    buy everything, succeed at every check, defeat every foe, until nothing new happens.
    Returns (rooms reached, items held, features checked, NPCs defeated)."""
    rooms, items, checked, defeated = {world.start}, set[str](), set[str](), set[str]()
    revealed: set[tuple[str, str]] = set()
    changed = True
    while changed:
        changed = False
        queue = deque(rooms)
        while queue:
            room = world.rooms[queue.popleft()]
            for exit_ in room.exits:
                if exit_.hidden and (room.id, exit_.direction) not in revealed:
                    continue
                if exit_.locked_by and exit_.locked_by not in items:
                    continue
                if exit_.to not in rooms:
                    rooms.add(exit_.to)
                    queue.append(exit_.to)
        before = (len(items), len(checked), len(defeated))
        for room_id in rooms:
            room = world.rooms[room_id]
            items |= set(room.items)
            for feature in room.features.values():
                if feature.check is None:
                    continue
                checked.add(feature.id)
                if feature.reveals is not None and feature.reveals.item:
                    items.add(feature.reveals.item)
                found = feature.reveals.exit if feature.reveals is not None else None
                if found and (room_id, found) not in revealed:
                    revealed.add((room_id, found))
                    changed = True
        for npc in world.npcs.values():
            if npc.room not in rooms:
                continue
            if npc.shop is not None:
                items |= set(npc.shop.sells)
            if npc.hostile:
                defeated.add(npc.id)
                items |= {*npc.carries, *npc.drops}
        changed = changed or before != (len(items), len(checked), len(defeated))
    return rooms, items, checked, defeated


def test_quest_chain_can_be_played_to_the_boss(world: Templates) -> None:
    order = _quest_order(world)
    rooms, items, checked, defeated = _explore(world)
    assert rooms == set(world.rooms)
    done = {"room": rooms, "item": items, "feature": checked, "npc": defeated}
    for quest_id in order:
        for step in world.quests[quest_id].steps:
            if step.trigger.kind == "escort":
                # Brought home: found where they stand, taken where their escort goes.
                npc = world.npcs[step.trigger.target]
                assert npc.escort is not None and {npc.room, npc.escort.to} <= rooms, step
                continue
            assert step.trigger.target in done[TRIGGER_KINDS[step.trigger.kind]], step
    boss = next(n for n in world.npcs.values() if n.boss)

    def targets(quest_id: str) -> set[tuple[str, str]]:
        return {(s.trigger.kind, s.trigger.target) for s in world.quests[quest_id].steps}

    beaten = next(q for q in order if ("defeat", boss.id) in targets(q))
    assert ("enter", boss.room) in targets(beaten)
    # After the boss, the story ends by bringing home the one it was all for.
    assert [kind for q in order[order.index(beaten) + 1 :] for kind, _ in targets(q)] == ["escort"]
    # The boss waits behind a locked door whose key a lesser foe carries.
    door = [e for r in world.rooms.values() for e in r.exits if e.to == boss.room and e.locked_by]
    assert door and any(door[0].locked_by in n.carries for n in world.npcs.values() if n.hostile)


# --------------------------------------------------------------------------- engine mapping


def _dice_strings(world: Templates) -> list[str]:
    out = [i.damage for i in world.items.values() if i.damage]
    out += [i.effect.heal for i in world.items.values() if i.effect and i.effect.heal]
    out += [n.stats.damage for n in world.npcs.values() if n.stats]
    return out


def test_conditions_match_the_engine() -> None:
    assert set(CONDITION_NAMES) == combat.CONDITIONS


@settings(max_examples=60, deadline=None)
@given(seed=st.integers(0, 2**32 - 1))
def test_every_bundled_dice_string_parses_and_rolls_in_range(seed: int, both: Templates) -> None:
    strings = _dice_strings(both)
    assert len(strings) >= 10
    rng = SeededRng(seed)
    for text in strings:
        expr = parse(text)
        assert min_total(expr) >= 1, text  # a hit or a heal always does something
        result = roll(expr, rng)
        assert min_total(expr) <= result.total <= max_total(expr)


def test_npcs_and_classes_build_engine_values(world: Templates) -> None:
    for npc in world.npcs.values():
        if npc.stats is None:
            continue
        fighter = combat.Combatant(
            id=npc.id,
            name=npc.name,
            side="enemies",
            hp=npc.stats.hp,
            max_hp=npc.stats.hp,
            ac=npc.stats.ac,
            attack_bonus=npc.stats.attack_bonus,
            damage=npc.stats.damage,
            dex_mod=npc.stats.dex_mod,
        )
        assert not fighter.is_down
    for cls in world.classes.values():
        stats = rules.Stats.from_mapping(cls.abilities)
        assert stats.mod(rules.Ability(cls.attack_ability.upper())) >= 2
        assert rules.first_level_hp(cls.hit_die, stats.con) >= cls.hit_die
        assert cls.start_items and all(i in world.items for i in cls.start_items)
        weapons = [world.items[i] for i in cls.start_items if world.items[i].kind == "weapon"]
        assert weapons, cls.id


def test_the_ferry_bell_rings_as_its_board_asks(both: Templates) -> None:
    # Played at the ferry stage, whose board reads "RING AND WAIT": "ring the bell" was
    # "You try to ring the bell." and a narration of nothing.
    world = World(both)
    pell = Character(key="pell", name="Pell", room="saltmarsh_ferry:ferry_stage", cls="x")
    world.place(pell)
    line = parse_line("ring the bell", ALIASES)
    effects = dispatch(world, pell, line, Ctx(now=0.0, rng=SeededRng(1)))
    told = [render(e.doc, PLAIN) for e in effects if isinstance(e, Tell) and e.who == "pell"]
    assert told[0].startswith("You haul on the knotted rope, and the bell's note goes out"), told


def test_gannet_asked_for_the_crossing_answers_it_and_her_name_is_no_place(
    both: Templates,
) -> None:
    # Played: "hello gannet. can you take us across?" was "Gannet's Ferry? East from
    # here." (her own name naming a room), and "how much for the crossing?" "I don't know
    # about that."
    world = World(both)
    world.seed_rooms()
    world.seed_npcs()
    pell = Character(key="pell", name="Pell", room="saltmarsh_ferry:ferry_deck", cls="x")
    world.place(pell)

    def gannet(text: str) -> list[str]:
        effects = dispatch(world, pell, parse_line(text, ALIASES), Ctx(now=0.0))
        told = [render(e.doc, PLAIN).strip() for e in effects if isinstance(e, ToRoom)]
        for effect in effects:
            if isinstance(effect, CharUpdate):
                pell.revealed = list(effect.revealed or pell.revealed)
        return [line for line in told if line.startswith("Gannet says")]

    said = gannet("hello gannet. can you take us across?")
    assert said[0] == 'Gannet says, "Crossing, or just come to look at the water?"'
    assert "costs nothing" in said[1] and "Gannet's Ferry?" not in " ".join(said), said
    assert gannet("we want to cross") == [
        'Gannet says, "Then step aboard. East off the end of the stage, and mind the gap."'
    ]
    said = gannet("gannet, tell me about the tollhouse")
    assert said == [
        'Gannet says, "The tollhouse up the salt bank keeps a ledger of every crossing for a'
        ' hundred years."'
    ], said
    assert gannet("gannet, what of the weather?") == ['Gannet says, "Couldn\'t say. Ask the tide."']
    # A room named by other words is still the way there.
    assert gannet("gannet, where is the tollhouse?") == [
        'Gannet says, "The Tollhouse? East from here, then north."'
    ]


def test_the_dry_crypt_has_dry_colour(world: Templates) -> None:
    # Played in the Crypt of the Lamp-Keepers ("dry as a cupboard"): the narration
    # said "There is the slow drip of water", the town's colour.
    crypt = world.rooms["hollowmere:chapel_crypt"]
    sounds, smells, sights = world.packs["hollowmere"].colour(crypt.area)
    said = " ".join((*sounds, *smells, *sights))
    assert "drip" not in said and "damp" not in said and "beeswax" in said, said
