"""Character sheets: what a character's class, abilities and equipment add up to. Pure.

Derived numbers (armour class, attack bonus, damage dice) are computed from the
sheet and the equipped items' templates every time they are needed, never stored, so
they cannot drift from what the character actually wears.
"""

from __future__ import annotations

from attrs import evolve, frozen

from mud.core.rng import Rng
from mud.engine import dice
from mud.engine.combat import Combatant, Condition
from mud.engine.effects import CharUpdate, Effect, Rolled, SetFight, SpawnItem
from mud.engine.rules import (
    XP_THRESHOLDS,
    first_level_hp,
    level_for_xp,
    level_up_hp,
    modifier,
    proficiency,
)
from mud.engine.state import Character, NpcState, World
from mud.render.grammar import definite
from mud.world.model import ClassPower, ItemEffect, ItemTemplate

ABILITIES = ("str", "dex", "con", "int", "wis", "cha")
SLOTS = ("weapon", "armour", "shield")
UNARMED = "1d2"


def score(char: Character, ability: str) -> int:
    return int(char.abilities.get(ability.lower(), 10))


def mod(char: Character, ability: str) -> int:
    return modifier(score(char, ability))


def hit_die(world: World, char: Character) -> int:
    tmpl = world.templates.classes.get(char.cls)
    return tmpl.hit_die if tmpl else 8


def armour_class(world: World, char: Character) -> int:
    """Armour sets the base (else the class's unarmoured AC); DEX adds (at most +2 in
    armour); a shield and magic bonuses add on top."""
    cls = world.templates.classes.get(char.cls)
    base = cls.armour_class if cls else 10
    dex = mod(char, "dex")
    armour = _equipped(world, char, "armour")
    if armour is not None and armour.armour_class:
        base, dex = armour.armour_class, min(dex, 2)
    bonus = sum(t.ac_bonus for t in (_equipped(world, char, s) for s in SLOTS) if t is not None)
    return max(1, base + dex + bonus)


def attack_ability(world: World, char: Character) -> str:
    cls = world.templates.classes.get(char.cls)
    ability = cls.attack_ability if cls else "str"
    weapon = _equipped(world, char, "weapon")
    # A finesse-style choice: use the better of STR and DEX with light weapons (d4/d6).
    if weapon is not None and _light(weapon.damage):
        return "dex" if mod(char, "dex") > mod(char, "str") else "str"
    return ability


def _light(damage: str | None) -> bool:
    """A light weapon: its damage starts with a single d4 or d6 (read with the dice
    parser, so ``d6``, ``1d6+1`` and ``1d6-1`` all count, and a bad value none)."""
    if not damage:
        return False
    try:
        terms = dice.parse(damage).terms
    except dice.DiceError:
        return False
    return bool(terms) and terms[0].count == 1 and terms[0].sides in (4, 6) and terms[0].sign > 0


def trained(world: World, char: Character, *names: str | None) -> bool:
    """True when ``char``'s class is proficient in one of ``names`` (skills such as
    ``stealth`` or abilities such as ``dex``, as packs write them; None is skipped)."""
    cls = world.templates.classes.get(char.cls) if char.cls else None
    return cls is not None and any(n is not None and n in cls.proficient for n in names)


def check_bonus(world: World, char: Character, *names: str | None) -> int:
    """What ``char`` adds to a check besides the ability modifier: the proficiency
    bonus for their level (``proficiency_of``) when their class is proficient in one of
    ``names`` (``trained``), else 0."""
    return proficiency_of(char) if trained(world, char, *names) else 0


def proficiency_of(char: Character) -> int:
    """``char``'s proficiency bonus, for their level held to 1..20."""
    return proficiency(max(1, min(char.level, 20)))


def attack_bonus(world: World, char: Character) -> int:
    return mod(char, attack_ability(world, char)) + proficiency(max(1, min(char.level, 20)))


def damage_dice(world: World, char: Character) -> str:
    weapon = _equipped(world, char, "weapon")
    base = weapon.damage if weapon is not None and weapon.damage else UNARMED
    bonus = mod(char, attack_ability(world, char))
    return f"{base}{bonus:+d}" if bonus else base


def _equipped(world: World, char: Character, slot: str) -> ItemTemplate | None:
    item = char.equipment.get(slot)
    if item is None or item not in world.items:
        return None
    return world.templates.items.get(world.items[item].template)


def player_combatant(world: World, char: Character) -> Combatant:
    max_hp = max(1, char.max_hp)
    return Combatant(
        id=f"p:{char.key}",
        name=char.name,
        side="players",
        hp=max(0, min(char.hp, max_hp)),
        max_hp=max_hp,
        ac=armour_class(world, char),
        attack_bonus=attack_bonus(world, char),
        damage=damage_dice(world, char),
        dex_mod=mod(char, "dex"),
        conditions=tuple(Condition(n, r) for n, r in char.conditions if r > 0),
    )


def npc_combatant(world: World, npc: NpcState) -> Combatant:
    tmpl = world.templates.npcs[npc.id]
    stats = tmpl.stats
    max_hp = stats.hp if stats else 1
    return Combatant(
        id=f"n:{npc.id}",
        name=definite(tmpl.name),  # "the corpse-light attacks Alice", not "corpse-light"
        side="enemies",
        hp=max(0, min(npc.hp, max_hp)),
        max_hp=max_hp,
        ac=stats.ac if stats else 10,
        attack_bonus=stats.attack_bonus if stats else 0,
        damage=stats.damage if stats else "1d2",
        dex_mod=stats.dex_mod if stats else 0,
        conditions=tuple(Condition(n, r) for n, r in npc.conditions if r > 0),
    )


def new_sheet(world: World, char: Character, cls_id: str) -> list[Effect]:
    """Effects that give a fresh character the class's abilities, hit points, gold and
    starting kit (weapons and armour equipped)."""
    cls = world.templates.classes[cls_id]
    abilities = {a: int(cls.abilities.get(a, 10)) for a in ABILITIES}
    hp = first_level_hp(cls.hit_die, abilities["con"])
    effects: list[Effect] = [
        CharUpdate(
            char.key,
            cls=cls_id,
            abilities=abilities,
            level=1,
            xp=0,
            max_hp=hp,
            hp=hp,
            gold=cls.start_gold,
            hit_dice=1,
            down=False,
        )
    ]
    taken: set[str] = set()
    for template in cls.start_items:
        tmpl = world.templates.items.get(template)
        slot = ""
        if tmpl is not None:
            slot = {"weapon": "weapon", "armour": "armour", "shield": "shield"}.get(tmpl.kind, "")
        if slot in taken:
            slot = ""
        taken.add(slot)
        effects.append(SpawnItem(template, f"char:{char.key}", equip=slot))
    return effects


def xp_thresholds(world: World) -> tuple[int, ...]:
    return world.templates.rules.xp_thresholds or XP_THRESHOLDS


def level_ups(world: World, char: Character, xp: int, rng: Rng) -> tuple[list[Effect], list[str]]:
    """Effects and messages for reaching the level that ``xp`` gives (possibly several)."""
    target = level_for_xp(xp, xp_thresholds(world))
    effects: list[Effect] = []
    lines: list[str] = []
    level, max_hp, hp = char.level, char.max_hp, char.hp
    while level < target:
        level += 1
        gain = level_up_hp(rng, hit_die=hit_die(world, char), con_score=score(char, "con"))
        if gain.roll is not None:  # None when the fixed average was taken: nothing rolled
            effects.append(rolled(gain.roll, f"{char.name} level {level} hit points"))
        max_hp += gain.amount
        hp += gain.amount
        lines.append(
            f"You reach level {level}! Your maximum hit points rise by {gain.amount} to {max_hp}."
        )
    if effects:
        effects.append(CharUpdate(char.key, level=level, max_hp=max_hp, hp=hp, hit_dice=level))
        effects += _fighting_fitter(world, char, max_hp, hp - char.hp)
    return effects, lines


def _fighting_fitter(world: World, char: Character, max_hp: int, gain: int) -> list[Effect]:
    """The fight ``char`` is in, with their fighter's hit points raised by ``gain`` to a
    maximum of ``max_hp`` as their sheet's were ([] out of a fight). Played: Orrin
    reached level 2 mid-fight (Tamsin picked up the locket a quest wanted) and the
    Warden's next blow left him "3/9 HP", dealt from the fight's old figures: the level's
    hit points were lost. A fighter who is down stays down."""
    current = world.fights.get(char.room)
    cid = f"p:{char.key}"
    if current is None or not current.has(cid):
        return []
    me: Combatant = current.get(cid)
    hp = me.hp if me.is_down else min(max_hp, me.hp + gain)
    return [SetFight(char.room, current.put(evolve(me, max_hp=max_hp, hp=hp)))]


def powers_of(world: World, char: Character) -> tuple[ClassPower, ...]:
    """The powers of ``char``'s class (none before a class is chosen)."""
    cls = world.templates.classes.get(char.cls)
    return cls.powers if cls is not None else ()


def uses_left(char: Character, power: ClassPower) -> int:
    """How many uses of ``power`` ``char`` has left before a long rest."""
    return max(0, power.uses - char.powers_used.get(power.id, 0))


@frozen
class Benefit:
    """What an ``ItemEffect`` does for a character (``benefit``): the roll's log entry,
    their hit points and conditions after it, and what it did, said of them ("heals 6
    (2d4+2: [3, 1] +2 = 6)", "is blessed for 3 rounds")."""

    rolls: tuple[Rolled, ...]
    hp: int
    conditions: list[tuple[str, int]]
    parts: tuple[str, ...]

    def told(self, *, you: bool = False) -> str:
        """What it did as a clause for after the one it was done to: "heals 6 (...) and
        is blessed for 2 rounds", or to them (``you``) "heal 6 (...) and are blessed
        ..."; "" when it did nothing."""
        if not you:
            return " and ".join(self.parts)
        return " and ".join(
            "heal " + p[6:]
            if p.startswith("heals ")
            else "are " + p[3:]
            if p.startswith("is ")
            else p
            for p in self.parts
        )


def benefit(
    target: Character,
    effect: ItemEffect,
    rng: Rng,
    *,
    reason: str,
    bonus: int = 0,
    least: int | None = None,
) -> Benefit:
    """``effect`` (a consumable's or a class power's) on ``target``: ``heal`` dice plus
    ``bonus`` hit points (at least ``least`` when given), up to their maximum, and a
    ``condition`` for its rounds, replacing one of that name. Rolls are logged under
    ``reason``. Called by ``game.use_item`` and ``powers.use``. Pure."""
    rolls: list[Rolled] = []
    parts: list[str] = []
    hp = target.hp
    if effect.heal:
        expr = effect.heal + (f"{bonus:+d}" if bonus else "")
        result = dice.roll(expr, rng, reason=reason)
        rolls.append(rolled(result))
        gained = result.total if least is None else max(least, result.total)
        hp = min(target.max_hp, target.hp + gained)
        # Why the hit points gained are not the roll's total (played: "You use a potion
        # of healing, and heal 8 (2d4+2: [3, 4] +2 = 9)" at 1 of 9 HP).
        why = ", at least " + str(least) if gained > result.total else ""
        why += ", to full health" if hp - target.hp < gained else ""
        parts.append(f"heals {hp - target.hp} ({result.line()}{why})")
    conditions = list(target.conditions)
    if effect.condition:
        conditions = [c for c in conditions if c[0] != effect.condition]
        conditions.append((effect.condition, effect.rounds))
        parts.append(f"is {effect.condition} for {effect.rounds} rounds")
    return Benefit(tuple(rolls), hp, conditions, tuple(parts))


def rolled(result: dice.RollResult, reason: str = "") -> Rolled:
    """The roll-log effect for a roll."""
    return Rolled(reason or result.reason, result.expr, result.dice_json(), result.total)
