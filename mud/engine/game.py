"""The rules in play: sheets, checks, equipment, items, shops, rest, quests, talk, fights.

Command handlers here follow ``mud.engine.commands``: ``(world, actor, intent, ctx) ->
list[Effect]``, pure, with the world's RNG in ``ctx.rng``. Every roll they make is
returned as a ``Rolled`` effect (the roll log), every state change as an effect the hub
applies. The DM is asked to narrate outcomes the code has already decided.
"""

from __future__ import annotations

import math
import re
from collections.abc import Collection, Iterable, Mapping, Sequence

from attrs import evolve, frozen

from mud.core.markup import esc, styled, tag
from mud.core.narration import PERSONA_KNOWS, PERSONA_SAYS, Outcome, Priority
from mud.core.outputs import Block, Doc, Para, Table, Title
from mud.core.rng import Rng
from mud.engine import (
    dice,
    doors,
    escort,
    fight,
    forgery,
    haggle,
    lore,
    party,
    phrasing,
    presence,
    resets,
    search,
    sheet,
    stealth,
)
from mud.engine.context import Ctx
from mud.engine.effects import (
    Arrived,
    AskNarration,
    CharUpdate,
    DestroyItem,
    Effect,
    LogChat,
    NpcArrived,
    PartyUpdate,
    QuestEvents,
    SetFight,
    SpawnItem,
    Tell,
    Then,
    ToRoom,
    Transfer,
    UseFeature,
)
from mud.engine.parser import Intent
from mud.engine.phrasing import third_person
from mud.engine.rules import (
    DEFAULT_CHECKS,
    DEFAULT_SKILLS,
    Ability,
    check,
    classify_action,
    inflections,
    long_rest,
    short_rest,
)
from mud.engine.sheet import (
    SLOTS,
    armour_class,
    attack_bonus,
    benefit,
    damage_dice,
    hit_die,
    mod,
    rolled,
    score,
    xp_thresholds,
)
from mud.engine.state import Character, World
from mud.engine.views import list_words
from mud.render.grammar import (
    capitalise,
    definite,
    indefinite,
    is_proper,
    lead_verb,
    plural,
    singular,
    start,
)
from mud.world.model import (
    Feature,
    FeatureAction,
    ItemTemplate,
    NpcTemplate,
    QuestTemplate,
    prefixes_in_order,
)

TURN_TIME = 20.0
#: In a room of at most this many characters, everyone keeps what an NPC told one of
#: them (``talk_to``); in a bigger one, the asker and their group.
KEPT_BY = 8


_err = phrasing.refuse


def _say(who: str, markup: str) -> list[Effect]:
    return [Tell(who, Doc.text(markup))]


def _name(char: Character) -> str:
    return styled("person", char.name)


def _needs_sheet(actor: Character) -> list[Effect] | None:
    if not actor.cls:
        return _err(actor.key, "You have not chosen a class yet.")
    return None


# -- the sheet ------------------------------------------------------------------------


def cmd_score(world: World, actor: Character, intent: Intent, ctx: Ctx) -> list[Effect]:
    """score   (also: sheet)

    Your character sheet: abilities, hit points, armour, level and experience, gold.
    `gold`, `hp` and `level` (or `xp`, `exp`, `tnl`) say that one number.
    """
    if (bad := _needs_sheet(actor)) is not None:
        return bad
    cls = world.templates.classes[actor.cls]
    thresholds = xp_thresholds(world)
    nxt = thresholds[actor.level] if actor.level < len(thresholds) else None
    # Played: "gold" printed the whole sheet to find one number in it; the sheet's
    # one-number words answer with that number (a MUD's "gold", "hp", "level").
    typed = intent.raw.split()[0].lower() if intent.raw.split() else ""
    if typed in SHEET_NUMBERS:
        return _say(actor.key, _sheet_number(world, actor, typed, nxt))
    rows: list[tuple[str, ...]] = [
        tuple(
            f"{a.upper()} {score(actor, a):>2} ({mod(actor, a):+d})" for a in ("str", "dex", "con")
        ),
        tuple(
            f"{a.upper()} {score(actor, a):>2} ({mod(actor, a):+d})" for a in ("int", "wis", "cha")
        ),
    ]
    hp_style = "good" if actor.hp * 2 > actor.max_hp else "bad"
    conditions = ", ".join(f"{n} ({r})" for n, r in actor.conditions) or "none"
    lines = [
        f"Level {actor.level} {esc(cls.name)}   XP {actor.xp}" + (f" / {nxt}" if nxt else ""),
        f"HP {styled(hp_style, f'{actor.hp}/{actor.max_hp}')}   AC {armour_class(world, actor)}   "
        f"Attack {attack_bonus(world, actor):+d}   Damage {damage_dice(world, actor)}",
        f"Gold {styled('gold', str(actor.gold))}   "
        f"Hit dice {actor.hit_dice}d{hit_die(world, actor)}   "
        f"Conditions: {conditions}",
    ]
    return [
        Tell(
            actor.key,
            Doc(
                (
                    Title(styled("title", f"{actor.name} the {cls.name}")),
                    Table(tuple(rows)),
                    *(Para(x) for x in lines),
                )
            ),
        )
    ]


#: The sheet's words that ask for one number of it, answered by ``_sheet_number`` (and,
#: asked with a question mark, "hp?", by ``commands``).
SHEET_NUMBERS = frozenset({"gold", "hp", "health", "xp", "level", "exp", "tnl"})


def _sheet_number(world: World, actor: Character, word: str, nxt: int | None) -> str:
    """The line answering ``word`` (one of ``SHEET_NUMBERS``) from ``actor``'s sheet,
    with a pointer to the whole sheet; for ``cmd_score``. Pure."""
    if word == "gold":
        said = f"You have {styled('gold', str(actor.gold))} gold."
    elif word in ("hp", "health"):
        hp_style = "good" if actor.hp * 2 > actor.max_hp else "bad"
        said = f"You have {styled(hp_style, str(actor.hp))} of {actor.max_hp} HP."
    else:
        cls = world.templates.classes[actor.cls]
        more = f", {nxt - actor.xp} more for level {actor.level + 1}" if nxt else ""
        said = f"You are a level {actor.level} {esc(cls.name)}: {actor.xp} XP{more}."
    return f"{said} ('score' shows all of your sheet.)"


def cmd_equipment(world: World, actor: Character, intent: Intent, ctx: Ctx) -> list[Effect]:
    """equipment   (also: eq)

    What you wield and wear.
    """
    rows = []
    for slot in SLOTS:
        item = actor.equipment.get(slot)
        name = world.item_template(item).name if item and item in world.items else "-"
        rows.append((slot, tag("item", esc(name)) if item else "-"))
    return [Tell(actor.key, Doc((Table(tuple(rows), header=("Slot", "Item")),)))]


def _slot_for(world: World, item: str) -> str | None:
    kind = world.item_template(item).kind
    return {"weapon": "weapon", "armour": "armour", "shield": "shield"}.get(kind)


def cmd_wield(world: World, actor: Character, intent: Intent, ctx: Ctx) -> list[Effect]:
    """wield <weapon>

    Take a weapon in hand (replacing the one you held).
    """
    return _equip(world, actor, intent.args, ("weapon",), "wield")


def cmd_wear(world: World, actor: Character, intent: Intent, ctx: Ctx) -> list[Effect]:
    """wear <armour or shield>

    Put on armour or take up a shield.
    """
    return _equip(world, actor, intent.args, ("armour", "shield"), "wear")


def cmd_equip(world: World, actor: Character, intent: Intent, ctx: Ctx) -> list[Effect]:
    """equip <weapon, armour or shield>

    Wield a weapon, or wear armour or a shield: whichever the thing is.
    """
    found = search.find(search.carried(world, actor), intent.args, search.CARRIED)
    if found.thing is not None and _slot_for(world, found.thing.ref) == "weapon":
        return cmd_wield(world, actor, intent, ctx)
    return _equip(world, actor, intent.args, ("armour", "shield", "weapon"), "equip")


def _equip(
    world: World, actor: Character, words: str, slots: Sequence[str], verb: str
) -> list[Effect]:
    if not words.strip():
        return _err(actor.key, f"{verb.capitalize()} what?")
    if words.strip().lower() in _ALL:
        return _equip_all(world, actor, slots, verb)
    found = search.find(search.carried(world, actor), words, search.CARRIED)
    if found.thing is None:
        return _err(actor.key, found.error)
    item = found.thing.ref
    slot = _slot_for(world, item)
    if slot is None or slot not in slots:
        return _err(actor.key, f"You cannot {verb} {definite(world.item_template(item).name)}.")
    if actor.equipment.get(slot) == item:
        # Played: "wield my sword" with it in hand told the room it was taken up again.
        held = "wielding" if slot == "weapon" else "wearing"
        name = definite(world.item_template(item).name)
        return _err(actor.key, f"You are already {held} {name}.")
    equipment = dict(actor.equipment)
    equipment[slot] = item
    return [
        CharUpdate(actor.key, equipment=equipment),
        *phrasing.act(
            actor,
            f"{{actor}} {{v:{'wear' if verb == 'equip' else verb}}} {{item}}.",
            item=phrasing.item_the(world.item_template(item).name),
        ),
    ]


#: "wear all", "remove everything": what other MUDs take them for.
_ALL = frozenset({"all", "everything", "all of it"})


def _equip_all(world: World, actor: Character, slots: Sequence[str], verb: str) -> list[Effect]:
    """ "wear all" or "equip all" (``verb``; ``slots`` those it may fill): the first thing
    carried for each of those slots that is empty, put on at once, a weapon wielded.
    Played by a MUD veteran: "wear all" read "You are not carrying 'all'."."""
    equipment = dict(actor.equipment)
    put: dict[str, list[str]] = {}
    for item in actor.inventory:
        slot = _slot_for(world, item) if item in world.items else None
        if slot is not None and slot in slots and not equipment.get(slot):
            equipment[slot] = item
            name = phrasing.item_the(world.item_template(item).name)
            put.setdefault("wield" if slot == "weapon" else "wear", []).append(name)
    if not put:
        return _err(
            actor.key, f"You have nothing more to {verb}: 'equipment' shows what you have on."
        )
    effects: list[Effect] = [CharUpdate(actor.key, equipment=equipment)]
    for how, names in put.items():
        effects += phrasing.act(actor, f"{{actor}} {{v:{how}}} {{item}}.", item=list_words(names))
    return effects


def quest_item(world: World, template: str) -> bool:
    """True for an item kept for quests, which shops will not buy: one every player
    takes a copy of (``unique: per_player``) or one a quest step asks to be held."""
    tmpl = world.templates.items.get(template)
    if tmpl is not None and tmpl.per_player:
        return True
    return any(
        step.trigger.kind == "hold" and step.trigger.target == template
        for quest in world.templates.quests.values()
        for step in quest.steps
    )


def in_use(world: World, actor: Character, item: str) -> str:
    """Why ``actor`` cannot part with ``item`` (sell, drop or give it): "" when it is
    neither wielded nor worn. Parting with equipment is refused rather than confirmed:
    one 'remove' first is cheap, and a weapon sold by a typo is gone."""
    slot = next((s for s, i in actor.equipment.items() if i == item), None)
    if slot is None:
        return ""
    verb = "wielding" if slot == "weapon" else "wearing"
    name = definite(world.item_template(item).name)
    return f"You are {verb} {name}. Remove it first ('remove {name.removeprefix('the ')}')."


def cmd_remove(world: World, actor: Character, intent: Intent, ctx: Ctx) -> list[Effect]:
    """remove <item>

    Stop wielding or wearing something (it stays in your pack).
    """
    words = intent.args.strip()
    if not words:
        return _err(actor.key, "Remove what?")
    if words.lower() in _ALL:
        if not actor.equipment:
            return _err(actor.key, "You are wielding and wearing nothing.")
        things = [
            phrasing.item_the(world.item_template(i).name)
            for i in actor.equipment.values()
            if i in world.items
        ]
        return [
            CharUpdate(actor.key, equipment={}),
            *phrasing.act(actor, "{actor} {v:remove} {item}.", room=False, item=list_words(things)),
        ]
    found = search.find(search.worn(world, actor), words, search.WORN)
    if found.thing is None:
        return _err(actor.key, found.error)
    item = found.thing.ref
    equipment = {s: i for s, i in actor.equipment.items() if i != item}
    return [
        CharUpdate(actor.key, equipment=equipment),
        *phrasing.act(
            actor,
            "{actor} {v:remove} {item}.",
            room=False,
            item=phrasing.item_the(world.item_template(item).name),
        ),
    ]


# -- consumables -----------------------------------------------------------------------


@frozen
class Used:
    """What using an item did: the effects, a line for the fight log ("" when nothing
    was used) and the user's hit points and conditions afterwards."""

    effects: list[Effect]
    line: str = ""
    hp: int = 0
    conditions: tuple[tuple[str, int], ...] = ()
    item: str = ""  # the name of what was used, for the fight's own record of the turn


#: The particle of drinking before the thing drunk: "gulp down the potion".
_HAD_DOWN = re.compile(r"^\s*(?:down|back)\s+(?=\S)", re.I)
#: How a thing is drunk or eaten, after it: "down", "down in one", "in one go", "quickly".
_HOW_HAD = re.compile(
    r"(?:\s+(?:down|back|up|in\s+one(?:\s+(?:go|gulp|swallow|draught))?|all\s+at\s+once"
    r"|quickly|fast|greedily|slowly|gratefully))+\s*[.!]*$",
    re.I,
)


def one_drink(world: World, actor: Character) -> str:
    """The name of the one kind of healing draught ``actor`` carries, "" for none or
    more than one kind. Called by ``use_item`` and by ``commands`` for a drink handed
    in words."""
    kinds = {
        world.items[i].template
        for i in actor.inventory
        if i in world.items
        and (t := world.item_template(i)).kind == "consumable"
        and t.effect is not None
        and t.effect.heal
    }
    return world.templates.items[kinds.pop()].name if len(kinds) == 1 else ""


def use_item(world: World, actor: Character, words: str, rng: Rng, *, eating: str = "") -> Used:
    """Drink or use a consumable. A healing one is kept by someone unhurt ("keep it for
    when you need it"), unless ``eating`` ("eat" or "drink", the word typed) says they
    have it for its own sake and it is worth 1 gold or less: a bowl of stew or a mug of
    ale ordered at the bar is had at full health, and a potion kept."""
    words = _HOW_HAD.sub("", words)  # "drink it down in one" (played: not carrying it)
    words = _HAD_DOWN.sub("", words)  # "gulp down the potion", "knock back an ale"
    if not words.strip():
        # "quaff" alone, just handed a potion (played: "Use what?"): the thing handed,
        # or the one kind of thing to use carried.
        kinds = {
            world.items[i].template: i
            for i in actor.inventory
            if world.item_template(i).kind == "consumable" and world.item_template(i).effect
        }
        handed = world.handed.get(actor.key, "")
        healing = one_drink(world, actor) if len(kinds) > 1 and actor.hp < actor.max_hp else ""
        if healing:
            # "quaff" at 3 HP with a potion and holy water (played: "Use what?", the
            # turn running out): the one that heals.
            kinds = {t: i for t, i in kinds.items() if world.templates.items[t].name == healing}
        one = handed if handed in kinds.values() else next(iter(kinds.values()), "")
        if not one or (len(kinds) > 1 and one != handed):
            names = list_words([definite(world.item_template(i).name) for i in kinds.values()])
            return Used(_err(actor.key, f"Use what? You carry {names}." if kinds else "Use what?"))
        words = world.item_template(one).name
    found = search.find(search.carried(world, actor), words, search.CARRIED)
    if found.thing is None:
        # Played in Market Lane: "eat the pie", with an eel pie lying there, was "You
        # are not carrying 'the pie'."
        there = search.find(search.floor(world, actor.room), words).thing
        if there is not None and world.item_template(there.ref).carry:
            name = world.item_template(there.ref).name
            first = words.split()[-1] if words.split() else "it"
            if eating and actor.room not in world.fights:
                # "eat samphire" on the salt bank, a bunch lying there (played: "pick it
                # up first"): taken up and eaten, out of a fight (in one, taking it up is
                # no turn's deed).
                return Used([Then(actor.key, f"get {first}"), Then(actor.key, f"{eating} {first}")])
            return Used(
                _err(
                    actor.key, f"{start(definite(name))} is here: pick it up first ('get {first}')."
                )
            )
        return Used(_err(actor.key, found.error))
    item = found.thing.ref
    tmpl = world.item_template(item)
    effect = tmpl.effect
    if tmpl.kind != "consumable" or effect is None:
        return Used(_err(actor.key, f"You cannot use {definite(tmpl.name)} like that."))
    if effect.heal and not effect.condition and actor.hp >= actor.max_hp:
        if eating and tmpl.value <= 1:
            # Played: "order eel stew", then "eat stew" answered "You are already at
            # full health (9/9 HP); keep the bowl of eel stew for when you need it."
            # So did "drink ale" of the tavern's ale, where a potion is rightly kept.
            had = phrasing.act(
                actor, f"{{actor}} {{v:{eating}}} {{item}}.", item=esc(definite(tmpl.name))
            )
            return Used([DestroyItem(item), *had, *_taste(actor, tmpl)])
        return Used(
            _err(
                actor.key,
                f"You are already at full health ({actor.hp}/{actor.max_hp} HP); "
                f"keep {definite(tmpl.name)} for when you need it.",
            )
        )
    gain = benefit(actor, effect, rng, reason=f"{actor.name} heals")
    hp, conditions = gain.hp, gain.conditions
    effects: list[Effect] = [DestroyItem(item), *gain.rolls]
    effects.append(CharUpdate(actor.key, hp=hp, conditions=conditions, down=False))
    done = gain.told() or "nothing happens"
    line = f"{actor.name} uses {indefinite(tmpl.name)}, and {done}."
    verb = eating or "use"  # "You eat a bowl of eel stew, and heal 3", not "use"
    effects += phrasing.act(
        actor,
        f"{{actor}} {{v:{verb}}} {{item}}, and {{result}}.",
        style="roll",
        item=esc(indefinite(tmpl.name)),
        result=esc(done),
        for_actor=f"{{actor}} {{v:{verb}}} {{item}}, and " + esc(gain.told(you=True) or done) + ".",
    )
    effects += _taste(actor, tmpl)
    if effect.heal:
        effects.append(
            Tell(
                actor.key,
                Doc.text(tag("good", esc(f"You have {hp}/{actor.max_hp} HP."))),
            )
        )
    return Used(effects, line, hp, tuple(conditions), item=tmpl.name)


def _taste(actor: Character, tmpl: ItemTemplate) -> list[Effect]:
    """The builder's ``taste`` of what ``actor`` just had, to them alone (none unwritten).
    Played: "eat the stew" read only "You eat the bowl of eel stew.", for Bessa's stew."""
    return [lore.feature_line(actor.key, tmpl.taste)] if tmpl.taste else []


def cmd_drink(world: World, actor: Character, intent: Intent, ctx: Ctx) -> list[Effect]:
    """drink <potion>   (also: use, quaff, cast, eat, sip)

    Drink a potion, eat or use a consumable or invoke a charm or holy water ('cast holy
    water'). Unhurt, you keep a potion for later, but food and ale are had anyway.
    In a fight it takes your turn.
    """
    if (bad := _needs_sheet(actor)) is not None:
        return bad
    rng = ctx.rng
    current = world.fights.get(actor.room)
    given = _GIVEN_ON.fullmatch(intent.args.strip()) if not actor.down else None
    if given is not None:
        # "use potion on ilse", "use my potion on her": given them to drink.
        to = drinker(world, actor, given.group("who"))
        found = search.find(search.carried(world, actor), given.group("what"), search.CARRIED)
        if to is not None and found.thing is not None:
            return give_to_drink(world, actor, to, found.thing.ref, ctx)
    if actor.down:
        # Played: Quill, fallen to the Lamplighter, tried a potion and read "Wait for
        # your turn.", a turn that never came.
        return _err(
            actor.key, "You are down, senseless: you can do nothing until someone heals you."
        )
    if current is not None and current.has(f"p:{actor.key}"):
        if current.order.current != f"p:{actor.key}":
            return _err(actor.key, "Wait for your turn.")
        # "quaff potion" on one's turn is drunk, as out of a fight (played: "You use a
        # potion of healing").
        word = intent.raw.split(maxsplit=1)[0].lower() if intent.raw.strip() else ""
        had = "eat" if word in _EAT_WORDS else "drink" if word in _DRINK_WORDS else ""
        # Unhurt, nothing is had for its own sake in a fight (found in review: an ale
        # drunk at full health took no turn): kept, as before.
        had = had if actor.hp < actor.max_hp else ""
        used = use_item(world, actor, intent.args, rng, eating=had)
        if not used.line:
            return used.effects
        # The fight keeps its own copy of the fighter: heal that one too, or the next
        # blow would land on the hit points from before the potion.
        _nxt, more = fight.act(
            world,
            current.with_vitals(f"p:{actor.key}", used.hp, used.conditions),
            actor.key,
            had or "use",
            used.item,
            rng,
            now=ctx.now,
            turn_time=TURN_TIME,
        )
        return used.effects + more
    word = intent.raw.split(maxsplit=1)[0].lower() if intent.raw.strip() else ""
    eating = "eat" if word in _EAT_WORDS else "drink" if word in _DRINK_WORDS else ""
    what = intent.args.strip()
    if (
        word == "use"
        and not search.find(search.carried(world, actor), what).ok
        and item_action(world, actor, intent.raw) is not None
    ):
        # "use the spyglass" at the watchtower (played: "You are not carrying
        # 'spyglass'."): what its builder wrote it is for.
        return action(world, actor, intent.raw.strip(), ctx)
    if eating and what.lower().startswith("from "):
        # "drink from the barrel": a deed unless it names something carried ("drink from
        # my flask"). Played: "You are not carrying 'from the barrel'."
        what = what[5:].strip()
        if not search.find(search.carried(world, actor), what).ok:
            return action(world, actor, intent.raw.strip(), ctx)
    if eating == "eat" and what.lower().startswith(("at ", "on ")):
        what = what[3:].strip()  # "nibbles at the pie", "chews on the bread"
    return use_item(world, actor, what, rng, eating=eating).effects


#: A thing used on someone: "potion on ilse", "my potion on her", "the potion for maro".
_GIVEN_ON = re.compile(r"(?P<what>.+?)\s+(?:on|to|for)\s+(?P<who>[\w'-]+(?:'s)?)", re.I)


def drinker(world: World, actor: Character, words: str) -> Character | None:
    """The player beside ``actor`` whom ``words`` name (a name, "her", "him", "them":
    the one other player here who is down, else ``actor`` when the word is theirs by
    their pronouns, else the only other player here), to give a drink to; None for
    none, or more than one it might be."""
    bare = re.sub(r"'s$", "", words.strip().lower())
    others = [c for c in world.people_in(actor.room) if c.key != actor.key]
    if bare in ("her", "his", "him", "them", "their", "ally", "friend"):
        down = [c for c in others if c.down]
        own = presence.PRONOUN_FORMS.get(presence.pronouns(actor) or "they", ())
        if not down and bare in own:
            return actor  # "*raises the potion to her lips*", by one who is "she"
        pool = down or others
        return pool[0] if len(pool) == 1 else None
    found = search.find(search.people(world, actor.room, besides=actor.key), bare)
    return world.chars[found.thing.ref] if found.thing is not None else None


def give_to_drink(
    world: World, actor: Character, target: Character, item: str, ctx: Ctx
) -> list[Effect]:
    """``actor`` gives ``target``, beside them, the consumable ``item`` (an instance they
    carry) to drink: its effect is ``target``'s, and one who had fallen is up again,
    their death saves over. In a fight it is ``actor``'s turn (their turn, not
    ``target``'s: one down can drink nothing by themselves). Called by ``drink <item>
    on <player>``, ``give <item> to <player>`` for one who is down, and the words and
    poses that say so. Played at the Warden: Ilse fell, and Maro's "*tips a healing
    potion between her lips*" was "You are in a fight: ...", his potions no help."""
    tmpl = world.item_template(item)
    effect = tmpl.effect
    if tmpl.kind != "consumable" or effect is None:
        return _err(actor.key, f"You cannot give {definite(tmpl.name)} to drink.")
    if effect.heal and not effect.condition and target.hp >= target.max_hp:
        return _err(
            actor.key,
            f"{target.name} is unhurt ({target.hp}/{target.max_hp} HP); "
            f"keep {definite(tmpl.name)} for when it is needed.",
        )
    current = world.fights.get(actor.room)
    fighting = current is not None and current.has(f"p:{actor.key}")
    if current is not None and fighting and current.order.current != f"p:{actor.key}":
        return _err(actor.key, "Wait for your turn.")
    tid = f"p:{target.key}"
    if current is not None and current.has(tid) and current.dead(tid):
        return _err(actor.key, f"It is too late for {target.name}.")
    gain = benefit(target, effect, ctx.rng, reason=f"{actor.name} gives {target.name} a drink")
    hp, conditions = gain.hp, gain.conditions
    done = gain.told() or "nothing happens"
    effects: list[Effect] = [
        DestroyItem(item),
        *gain.rolls,
        CharUpdate(target.key, hp=hp, conditions=conditions, down=False),
        *phrasing.act(
            actor,
            "{actor} {v:give} {target} {item} to drink, and " + esc(f"{target.name} {done}."),
            target=target,
            style="roll",
            item=esc(indefinite(tmpl.name)),
            for_target="{actor} {v:give} {target} {item} to drink, and "
            + esc(f"you {gain.told(you=True) or done}."),
        ),
    ]
    if effect.heal:
        effects.append(
            Tell(target.key, Doc.text(tag("good", esc(f"You have {hp}/{target.max_hp} HP."))))
        )
    if current is None or not current.has(tid):
        return effects
    healed = current.raised(tid, hp, conditions)
    if not fighting:
        return [*effects, SetFight(actor.room, healed)]
    _nxt, more = fight.act(
        world,
        healed,
        actor.key,
        "use",
        f"{tmpl.name} for {target.name}",
        ctx.rng,
        now=ctx.now,
        turn_time=TURN_TIME,
    )
    return effects + more


#: Words for drinking something: "drink", "quaff", "sip", "gulp", "swig".
_DRINK_WORDS = frozenset({"drink", "quaff", "sip", "gulp", "swig"})
#: Words for eating something: "eat", and as a pose says it, "*munches the pie*".
_EAT_WORDS = frozenset({"eat", "munch", "nibble", "chew", "devour", "gobble"})


# -- shops ----------------------------------------------------------------------------


def wares_here(world: World, room: str) -> list[search.Thing]:
    """What the shopkeeper in ``room`` sells, as search candidates ([] with none)."""
    keeper = _shopkeeper(world, room)
    return _for_sale(world, keeper) if keeper is not None and keeper.shop is not None else []


def _shopkeeper(world: World, room: str) -> NpcTemplate | None:
    return haggle.shopkeeper_in(world, room)


def order(
    world: World, actor: Character, words: str, ctx: Ctx, *, sold_only: bool = False
) -> list[Effect] | None:
    """A line "order <words>" (not a command) read as ``buy`` when a shopkeeper is here
    and ``words`` name something they sell ("order some eel stew" from Bessa) or are a
    thing's name alone ("order a pony": the shop's "does not sell" line, where a deed
    was narrated as if it were served); None otherwise ("order the guards to stand
    down" stays a deed for the Dungeon Master). ``sold_only``: None unless ``words``
    name something the shopkeeper sells ("I'll have the stew" is an order; "I want
    revenge" is not). Called by ``commands.dispatch``. Pure."""
    keeper = _shopkeeper(world, actor.room)
    words = _PLEASE.sub("", words)
    if keeper is None or keeper.shop is None or not words.strip():
        return None
    if (stood := _ROUND.fullmatch(words.strip())) is not None:
        return _round(world, actor, stood.group("what") or "")  # "order a round"
    treat = _FOR_SOMEONE.fullmatch(words.strip())
    if treat is not None:
        # "order an ale for Tansy": bought, then given (played: a deed, and no ale).
        whom = search.find(search.people(world, actor.room, besides=actor.key), treat.group(2))
        if whom.thing is not None:
            bought = order(world, actor, treat.group(1), ctx)
            if bought is None or phrasing.refused(bought, actor.key):
                return bought
            what = re.sub(r"^\d{1,3}\s+", "", treat.group(1).strip())
            return [*bought, Then(actor.key, f"give {what} to {whom.thing.name}")]
    many = counted(words)
    what = many[1] if many is not None else words  # "order 2 stews", "two pies"
    wares = _for_sale(world, keeper)
    sold = any(search.find(wares, w).thing is not None for w in (what, singular(what)))
    if not sold and (sold_only or not _A_THING.fullmatch(what.strip())):
        return None
    return cmd_buy(world, actor, Intent("buy", words.strip(), f"buy {words.strip()}"), ctx)


#: "an ale for Tansy": a thing, and the player it is bought for.
_FOR_SOMEONE = re.compile(r"(.+?)\s+for\s+(.+)", re.I)


def _bought_for(world: World, actor: Character, words: str, ctx: Ctx) -> list[Effect] | None:
    """``buy`` for another player here, as ``order`` does it (bought, then given): "buy
    ann a drink", "buy an ale for ann"; None when ``words`` name no player here that
    way. Played: "buy ann a drink" was "Bessa Thorn does not sell 'ann a drink'."."""
    stood = _ROUND.fullmatch(words)
    if stood is not None:
        return _round(world, actor, stood.group("what") or "")
    people = search.people(world, actor.room, besides=actor.key)
    first, _, rest = words.partition(" ")
    # The whole name, not its start: "buy an ale" is no ale for Ann.
    whom = next((p for p in people if p.name.lower() == first.lower()), None)
    if whom is not None and rest.strip():
        return order(world, actor, f"{rest.strip()} for {whom.name}", ctx)
    treat = _FOR_SOMEONE.fullmatch(words)
    if treat is not None and search.find(people, treat.group(2)).thing is not None:
        return order(world, actor, words, ctx)
    return None


#: "a round", "a round of ales for everyone", "another round for the house".
_ROUND = re.compile(
    r"(?:a|another|one\s+more)?\s*round(?:\s+of\s+(?P<what>.+?))?(?:\s+(?:for|on)\s+"
    r"(?:every(?:one|body)(?:\s+here)?|all|the\s+house|the\s+room|us(?:\s+all)?|all\s+of\s+us"
    r"|the\s+table|me))?[\s.!]*",
    re.I,
)


def _round(world: World, actor: Character, what: str) -> list[Effect]:
    """A round bought for everyone here, the buyer too: one of the shop's ``round``
    ware (or of ``what``, a ware it sells: "a round of pies") for each player in the
    room, paid at once; refused when the buyer cannot pay for all, or when more are
    here than ``MAX_BUY``. Played: "buy a round for everyone" was "Bessa Thorn does not
    sell 'round for everyone'."."""
    keeper = _shopkeeper(world, actor.room)
    assert keeper is not None and keeper.shop is not None  # ``cmd_buy`` asked
    if what:
        sold = _not_sold(keeper)
        found = search.find(search.wares(world, keeper.shop.sells), what, sold)
        if found.thing is None:
            found = search.find(search.wares(world, keeper.shop.sells), singular(what), sold)
        if found.thing is None:
            return _err(actor.key, found.error)
        ware = found.thing.ref
    elif keeper.shop.round:
        ware = keeper.shop.round
    else:
        return _err(
            actor.key,
            f"{start(definite(keeper.name))} stands no rounds; name what it is to be "
            "('buy a round of <something sold here>').",
        )
    here = world.people_in(actor.room)
    if len(here) > MAX_BUY:
        return _err(actor.key, f"There are {len(here)} here: too many for one round.")
    tmpl = world.templates.items[ware]
    # "a round of marsh ale", not "of mugs of marsh ale"; "of eel pies".
    drink = tmpl.name.split(" of ", 1)[1] if " of " in tmpl.name else plural(tmpl.name)
    price = tmpl.value * len(here)
    if actor.gold < price:
        return _err(
            actor.key,
            f"A round for the {len(here)} here costs {price} gold; you have {actor.gold}.",
        )
    return [
        CharUpdate(actor.key, gold=actor.gold - price),
        *phrasing.act(
            actor,
            "{actor} {v:buy} a round of {item} for everyone here{price}.",
            private={"price": f" for {styled('gold', str(price))} gold"},
            item=tag("item", esc(drink)),
        ),
        *(SpawnItem(ware, f"char:{char.key}") for char in here),
    ]


#: Words that are a thing's name alone, as ordered at a counter: "a pony", "some
#: mulled wine", "the fish" (at most three words, none of them "to", "for" or "with").
_A_THING = re.compile(
    r"(?:(?:a|an|the|some|one|another)\s+)?"
    r"(?!.*\b(?:to|for|with|that|from)\b)[a-z'-]+(?:\s+[a-z'-]+){0,2}",
    re.I,
)
#: "please" at the end of an order is manners, not the thing ordered.
_PLEASE = re.compile(
    r"[,\s]*\b(?:(?:if\s+you\s+)?please|if\s+you(?:'d|\s+would|\s+will)\s+be\s+so\s+kind)\b[.!]*$",
    re.I,
)


def _for_sale(world: World, keeper: NpcTemplate) -> list[search.Thing]:
    """What ``keeper`` sells, as search candidates: its wares, then what players sold it."""
    assert keeper.shop is not None
    return search.wares(world, keeper.shop.sells) + search.items(world, _second_hand(world, keeper))


def _second_hand(world: World, keeper: NpcTemplate) -> list[str]:
    """What was sold to ``keeper`` and is for sale again, one instance per template that
    the keeper does not make new, in the order it was sold."""
    assert keeper.shop is not None
    out: list[str] = []
    seen = set(keeper.shop.sells)
    for item in world.stock.get(keeper.id, []):
        template = world.items[item].template if item in world.items else ""
        if template and template not in seen:
            seen.add(template)
            out.append(item)
    return out


def cmd_list(world: World, actor: Character, intent: Intent, ctx: Ctx) -> list[Effect]:
    """list

    See what the shopkeeper here sells, and for how much (what players sold them too).
    """
    keeper = _shopkeeper(world, actor.room)
    if keeper is None or keeper.shop is None:
        return _err(actor.key, "There is no one selling anything here.")
    if (refused := haggle.grudge(world, actor, keeper)) is not None:
        return refused
    rows = tuple(
        (
            tag("item", esc(world.templates.items[t].name)),
            f"{world.templates.items[t].value} gold",
        )
        for t in keeper.shop.sells
    ) + tuple(
        (
            tag("item", esc(world.item_template(i).name)),
            f"{world.item_template(i).value} gold (second-hand)",
        )
        for i in _second_hand(world, keeper)
    )
    return [
        Tell(
            actor.key,
            Doc(
                (
                    Para(f"{tag('npc', esc(keeper.name))} has for sale:"),
                    Table(rows, header=("Item", "Price")),
                )
            ),
        )
    ]


def cmd_buy(world: World, actor: Character, intent: Intent, ctx: Ctx) -> list[Effect]:
    """buy [number] <item>

    Buy something from the shopkeeper here ('order some stew' works too, in the tavern),
    or several of what they make ('buy 3 potions').
    """
    keeper = _shopkeeper(world, actor.room)
    if keeper is None or keeper.shop is None:
        return _err(actor.key, "There is no one selling anything here.")
    if (refused := haggle.grudge(world, actor, keeper)) is not None:
        return refused
    words = intent.args.strip()
    if not words:
        return _err(actor.key, "Buy what? Type 'list' to see what is for sale.")
    treated = _bought_for(world, actor, words, ctx)
    if treated is not None:
        return treated
    count = 1
    many = counted(words)
    if many is not None:
        count, words = many
        if not 1 <= count <= MAX_BUY:
            return _err(actor.key, f"Buy between 1 and {MAX_BUY} at a time.")
    elif re.match(r"\s*(?:[-\u2212]\s*\d|\d+[.,]\d|\d{4,}|[\u00bc-\u00be])", words):
        # "buy 99999999999 stew", "buy -2 stew", "buy 2.5 stew" (played: "Bessa Thorn
        # does not sell '-2 stew'.").
        return _err(actor.key, f"Buy between 1 and {MAX_BUY} at a time.")
    sold = _not_sold(keeper)
    wares = _for_sale(world, keeper)
    found = search.find(wares, words, sold)
    if found.thing is None and count > 1:
        found = search.find(wares, singular(words), sold)  # "3 potions"
    if found.thing is None:
        return _err(actor.key, found.error)
    handover: list[Effect]
    if found.thing.kind == "item":
        if count > 1:
            return _err(actor.key, f"{start(definite(keeper.name))} has only the one of those.")
        used = found.thing.ref
        tmpl = world.item_template(used)
        handover = [Transfer(used, f"shop:{keeper.id}", f"char:{actor.key}")]
    else:
        tmpl = world.templates.items[found.thing.ref]
        handover = [SpawnItem(found.thing.ref, f"char:{actor.key}") for _ in range(count)]
    full = tmpl.value * count
    # A bargain won by haggling (``haggle``) comes off the next thing bought from them:
    # one of them (the review found 20 draughts all bought at a fifth off).
    off = haggle.discount(world, actor, keeper.id, tmpl.value, ctx.wall)
    price = full - off
    if actor.gold < price:
        what = start(indefinite(tmpl.name)) if count == 1 else f"{count} {plural(tmpl.name)}"
        cost = "costs" if count == 1 else "cost"
        return _err(actor.key, f"{what} {cost} {price} gold; you have {actor.gold}.")
    named = (
        f"{count} {tag('item', esc(plural(tmpl.name)))}"
        if count > 1
        else phrasing.item_a(tmpl.name)
    )
    return [
        CharUpdate(actor.key, gold=actor.gold - price),
        # The price is the buyer's business: the room sees the purchase.
        *phrasing.act(
            actor,
            "{actor} {v:buy} {item}{price}.",
            private={
                "price": f" for {styled('gold', str(price))} gold"
                + (f" (haggled down from {full})" if off else "")
            },
            item=named,
        ),
        *([haggle.spent(actor, keeper.id, ctx.wall)] if off else []),
        # Handed over after the lines above, so a quest step it completes reads after them.
        *handover,
        # For another's "one for me too" (``commands``).
        PartyUpdate("bought", actor.room, f"{actor.key}|{count}|{ctx.wall:.0f}|{tmpl.name}"),
    ]


def _not_sold(keeper: NpcTemplate) -> str:
    """``search.SOLD`` for ``keeper``, as ``search.find`` fills it: "Bessa Thorn does not
    sell '{what}'. Type 'list'." (a brace in the name is no slot)."""
    return search.SOLD.format(seller=start(definite(keeper.name)).replace("{", "("), what="{what}")


#: The most of one thing bought at once ("buy 5 potions").
MAX_BUY = 20
_COUNT = re.compile(r"(\d{1,3}|[a-z]+)\s+(.+)", re.I)
_NUMBER_WORDS = "zero one two three four five six seven eight nine ten eleven twelve"
#: Counts said in words at a counter: "two pies", "one ale".
_NUMBERS = {word: n for n, word in enumerate(_NUMBER_WORDS.split())}


def counted(words: str) -> tuple[int, str] | None:
    """(count, the rest) for words that open with a count, in digits or a word ("3
    potions", "two pies", "one ale"); None otherwise."""
    many = _COUNT.fullmatch(words.strip())
    if many is None:
        return None
    head = many.group(1).lower()
    if head.isdigit():
        return int(head), many.group(2)
    count = _NUMBERS.get(head)
    return (count, many.group(2)) if count is not None else None


def cmd_sell(world: World, actor: Character, intent: Intent, ctx: Ctx) -> list[Effect]:
    """sell <item>

    Sell something you carry to the shopkeeper here; they sell it on at full price.
    What you wield or wear must be removed first; quest items are not bought.
    """
    sale = _sale(world, actor, intent.args, "Sell")
    if isinstance(sale, list):
        return sale
    keeper, item, tmpl, price = sale
    return [
        Transfer(item, f"char:{actor.key}", f"shop:{keeper.id}"),
        CharUpdate(actor.key, gold=actor.gold + price),
        *phrasing.act(
            actor,
            "{actor} {v:sell} {item} for {gold} gold.",
            room=False,
            item=phrasing.item_the(tmpl.name),
            gold=styled("gold", str(price)),
        ),
    ]


def cmd_value(world: World, actor: Character, intent: Intent, ctx: Ctx) -> list[Effect]:
    """value <item>

    What the shopkeeper here would pay for something you carry, without selling it.
    """
    sale = _sale(world, actor, intent.args, "Value")
    if isinstance(sale, list):
        return sale
    keeper, _item, tmpl, price = sale
    said = f"{start(definite(keeper.name))} would give you {price} gold for {definite(tmpl.name)}."
    return [Tell(actor.key, Doc.text(esc(said)))]


def _sale(
    world: World, actor: Character, words: str, verb: str
) -> tuple[NpcTemplate, str, ItemTemplate, int] | list[Effect]:
    """(the shopkeeper here, the item of ``words`` the actor carries, its template, what
    the keeper pays) for ``sell`` and ``value``; or the refusal, as effects: no one
    buying here, a grudge, nothing named ("<verb> what?"), nothing carried by that name,
    an item in use, a quest item, or one worth nothing to the keeper."""
    keeper = _shopkeeper(world, actor.room)
    if keeper is None or keeper.shop is None:
        return _err(actor.key, "There is no one buying anything here.")
    if (refused := haggle.grudge(world, actor, keeper)) is not None:
        return refused
    if not words.strip():
        return _err(actor.key, f"{verb} what?")
    found = search.find(search.carried(world, actor), words, search.CARRIED)
    if found.thing is None:
        return _err(actor.key, found.error)
    item = found.thing.ref
    if verb == "Sell" and (busy := in_use(world, actor, item)):
        return _err(actor.key, busy)  # a sword in hand is valued all the same
    tmpl = world.item_template(item)
    if quest_item(world, tmpl.id):
        # A per-player copy sold could be taken again and sold again: gold from nothing.
        return _err(
            actor.key, f"{start(definite(tmpl.name))} is a quest item; no shop will buy it."
        )
    price = int(tmpl.value * keeper.shop.buy_rate)
    if price <= 0:
        return _err(
            actor.key,
            f"{start(definite(keeper.name))} will not pay anything for {definite(tmpl.name)}.",
        )
    return keeper, item, tmpl, price


# -- rest -------------------------------------------------------------------------------


def cmd_rest(world: World, actor: Character, intent: Intent, ctx: Ctx) -> list[Effect]:
    """rest [long]   (also: sleep, which is the long rest)

    A short rest spends one hit die to recover hit points ('bandage my wounds' does the
    same). A long rest (only somewhere safe, such as the tavern) restores all hit
    points, half your hit dice and the uses of your calling's powers.
    """
    if (bad := _needs_sheet(actor)) is not None:
        return bad
    if actor.room in world.fights:
        return _err(actor.key, "You cannot rest in the middle of a fight!")
    rng = ctx.rng
    # "sleep" (the alias) is the long rest: it was "You are already at full strength."
    slept_word = intent.raw.strip().lower().split()[:1] == ["sleep"]
    if slept_word or intent.args.strip().lower() in ("long", "sleep"):
        if not world.room(actor.room).safe:
            return _err(actor.key, f"It is not safe to sleep here. {_shelter(world)}")
        return _slept_together(world, actor)
    # The short rest is the group's: those of it beside the actor who are hurt and have a
    # hit die left rest too (played: Siv's "good idea. short rest" to Bram's "rest before
    # we go in?" was "You are already at full strength.", and Bram rested not at all).
    mates = [
        c for c in party.present(world, actor.key) if c.hp < c.max_hp and c.hit_dice > 0 and c.cls
    ]
    if actor.hp >= actor.max_hp and not mates:
        return _say(actor.key, "You are already at full strength.")
    if actor.hit_dice <= 0 and actor.hp < actor.max_hp and not mates:
        return _err(
            actor.key, "You have no hit dice left; a long rest somewhere safe will restore them."
        )
    resting = [actor] if actor.hp < actor.max_hp and actor.hit_dice > 0 else []
    effects: list[Effect] = []
    for char in resting:
        effects += _short_rest(world, char, rng)
    for char in mates:
        called = Tell(char.key, Doc.text(f"{actor.name} calls a short rest."))
        effects += [called, *_short_rest(world, char, rng)]
    if not resting:
        # Full, or with no hit die left: they keep watch while the others rest.
        names = list_words([c.name for c in mates])
        verb = "rests" if len(mates) == 1 else "rest"
        effects.append(Tell(actor.key, Doc.text(f"You keep watch while {names} {verb}.")))
    if mates or resting:
        # Alone too: the others here see it (played: Dov's yes to Maren's rest, and he
        # read nothing of it).
        names = list_words([c.name for c in [*resting, *mates]])
        verb = "takes" if len(resting) + len(mates) == 1 else "take"
        others = (actor.key, *(c.key for c in mates))
        line = Doc.text(f"{names} {verb} a short rest.")
        effects.append(ToRoom(actor.room, line, exclude=others))
    return effects


def _short_rest(world: World, char: Character, rng: Rng) -> list[Effect]:
    """``char``'s short rest (one hit die spent on hit points), for ``cmd_rest``: the
    roll, the update and what they read. ``char`` is hurt and has a hit die left."""
    result = short_rest(
        rng,
        hp=char.hp,
        max_hp=char.max_hp,
        hit_die=hit_die(world, char),
        hit_dice_left=char.hit_dice,
        con_score=score(char, "con"),
        spend=1,
    )
    effects: list[Effect] = [rolled(r, f"{char.name} short rest") for r in result.rolls]
    effects += [
        CharUpdate(char.key, hp=result.hp, hit_dice=result.hit_dice_left),
        Tell(
            char.key,
            Doc.text(
                "You catch your breath and bind your wounds: "
                f"+{result.healed} HP ({result.hp}/{char.max_hp})."
            ),
        ),
    ]
    return effects


def _slept_together(
    world: World, actor: Character, seen: str = "sleeps by the fire"
) -> list[Effect]:
    """``actor``'s long rest (``_slept``) and that of each of their group beside them,
    who read that the actor called it a night first. Played: Siv's "bessa, can we get a
    room for the night?" put Siv to bed, and Bram, beside her at 1 HP, stayed up."""
    effects = _slept(actor, seen)
    for mate in party.present(world, actor.key):
        if mate.cls:
            called = Tell(mate.key, Doc.text(f"{_name(actor)} calls it a night, and so do you."))
            effects += [called, *_slept(mate, seen)]
    return effects


def shelter_room(world: World) -> str | None:
    """The room where one may sleep, by the world's own rooms: the rules' ``safe_room``,
    else the first room built ``safe``; None when none is. Pure."""
    safe = world.templates.rules.safe_room
    if safe is None or not world.templates.rooms[safe].safe:
        safe = next((r.id for r in world.templates.rooms.values() if r.safe), None)
    return safe


def shelter_house(world: World) -> str | None:
    """The shelter where one may sleep (``shelter_room``), named as a sentence names the
    house, not its room ("the Drowned Lantern" of "The Drowned Lantern, Common Room");
    None in a world with none. Pure."""
    safe = shelter_room(world)
    if safe is None:
        return None
    return lore.the_place(world.templates.rooms[safe].name.split(", ")[0])


def _shelter(world: World) -> str:
    """Where one may sleep, by the world's own rooms (``shelter_house``; it said "like
    the tavern" in a pack without one)."""
    house = shelter_house(world)
    if house is None:
        return "Nowhere here is safe enough for that."
    return f"Find shelter, like {house}."


def _slept(actor: Character, seen: str = "sleeps by the fire") -> list[Effect]:
    """``actor``'s long rest, somewhere safe: all hit points, half the hit dice, the
    powers' uses, and the room sees them sleep ("<name> ``seen``."). For ``rest long``
    and a room for the night asked of one who has one (``talk_to``)."""
    slept = long_rest(max_hp=actor.max_hp, hit_dice_left=actor.hit_dice, hit_dice_max=actor.level)
    return [
        CharUpdate(
            actor.key,
            hp=slept.hp,
            hit_dice=slept.hit_dice_left,
            conditions=[],
            powers_used={},
        ),
        Tell(
            actor.key,
            Doc.text(
                styled("good", f"You sleep deeply and wake restored: {slept.hp}/{actor.max_hp} HP.")
            ),
        ),
        ToRoom(actor.room, Doc.text(f"{_name(actor)} {seen}."), exclude=(actor.key,)),
    ]


# -- checks and the DM ----------------------------------------------------------------


#: Words that name no particular thing in a room ("search around here carefully").
_ANYWHERE_TEXT = """i the a an room here around about area place everywhere it all carefully
closely quickly slowly thoroughly again over through for something this and then them
they to"""
_ANYWHERE = frozenset(_ANYWHERE_TEXT.split())
#: Words that make an action about the actor's own things.
_OWN = frozenset({"my", "mine", "myself"})
#: The rules' phrases (``DEFAULT_CHECKS``) that pick a lock: a door's lock is picked at
#: its own difficulty (``doors.cmd_pick``).
_PICKING = frozenset({"pick lock", "lockpick"})
#: Persuading a shopkeeper over a price is haggling ("I persuade greeb to lower the
#: price": found in review, a CHA roll that bought nothing and could be rolled again).
_PERSUADING = frozenset({"persuade", "convince"})
_PRICE_WORDS = re.compile(r"\b(?:price|cheaper|discount|lower|less|bargain|deal)\b", re.I)


#: Verbs of deeds that look into nothing, whatever they name: "warm my hands at the
#: hearth" rolled the hearthstone's search and found its hidden packet.
_IDLE_TEXT = """warm heat thaw pray sing hum whistle chant dance wait linger toast weep cry sob
breathe relax stretch yawn think ponder write draw sketch thank greet hug smile laugh"""
_IDLE = frozenset(_IDLE_TEXT.split())
#: Verbs of putting oneself or a thing somewhere: a feature they name is where, not
#: what is tried ("*sets her pack down by the hearth*": played, the hearthstone's
#: search rolled and its hidden packet found), unless the line says a verb of its check
#: too ("sit by the hearth and pry at the stone").
_PLACING = frozenset(
    """set put place lay drop leave sit stand settle rest prop stack dump stow hang park
    perch plonk plop""".split()  # noqa: SIM905
)


def named_in(low: str, names: Sequence[str]) -> bool:
    """Whether lower-cased ``low`` says one of ``names`` as whole words (a plural too):
    the alias "ice" is not in "hospice" (played in a new pack: "then back to the
    hospice" by the frozen waterfall searched it, and found its hidden way). Pure."""
    return any(
        re.search(rf"(?<![a-z']){re.escape(n.lower())}(?:'s|s|es)?(?![a-z'])", low) for n in names
    )


def _feature_for(world: World, actor: Character, text: str, verb: str | None) -> Feature | None:
    room = world.room(actor.room)
    low = text.lower()
    words = set(re.findall(r"[a-z']+", low))
    usable = [
        f
        for f in room.features.values()
        if f.check is not None and not (f.once and feature_used(world, actor, f))
    ]
    for f in usable:
        if named_in(low, (f.name, *f.aliases)):
            return f
    # By its verb alone, unless the text names something else the room shows: "search"
    # or "search the room" may find the hidden thing; "search the bar" (a word of the
    # room's description) must not find the hearthstone.
    verbs = {v for f in usable if f.check is not None for v in with_synonyms(f.check.verbs)}
    named = words - verbs - _ANYWHERE - set((verb or "").split())
    told = world.room_text(room.id, actor.key) if named else ""
    shown = set(re.findall(r"[a-z']+", told.lower()))
    shown.update(_OWN)  # "search my pack" is about the actor's things, not the room's
    # A thing of the world done something to, here or not, is something else too:
    # "lift the mug" (played as "*raises the mug* cheers!", with no mug) found the
    # hearthstone's hidden packet. What is looked for may be the find ("search for her
    # notes"), so only the words before "for" count.
    handled = set(re.findall(r"[a-z']+", low.split(" for ", 1)[0])) & named
    things = handled & world.templates.item_words
    for f in room.features.values():
        if named and f not in usable:
            shown.update(_words_of(f))
    for f in usable:
        assert f.check is not None
        doing = with_synonyms(f.check.verbs)
        if not ((verb and verb in doing) or words & doing):
            continue
        if (named - _words_of(f)) & shown or things - _words_of(f):
            continue  # it names something else here, or a thing of the world
        return f
    return None


def _checks_said(world: World, actor: Character, text: str) -> bool:
    """Whether ``text`` says a verb of a check of a feature in ``actor``'s room ("pry"
    at the hearthstone), or one of its words for it. Pure."""
    words = set(re.findall(r"[a-z']+", text.lower()))
    return any(
        f.check is not None and words & with_synonyms(f.check.verbs)
        for f in world.room(actor.room).features.values()
    )


def _checked_by(world: World, actor: Character, verb: str) -> bool:
    """Whether ``verb`` is a check verb of a feature in ``actor``'s room. Pure."""
    return any(
        f.check is not None and verb in with_synonyms(f.check.verbs)
        for f in world.room(actor.room).features.values()
    )


def feature_checked(world: World, actor: Character, text: str, verb: str) -> bool:
    """Whether ``text``, opening with ``verb``, is a try at a feature here whose check
    the builder gave that verb (by the rule of ``action``): "pray" or "pray to the
    saint" at the crypt's reliquary. Called by ``commands`` before a social of the same
    word. Pure."""
    return _feature_for(world, actor, text, verb.lower()) is not None


def checked_feature_named(world: World, actor: Character, words: str, verb: str) -> bool:
    """Whether ``words`` name a feature of ``actor``'s room, found or not, whose check
    the builder gave ``verb`` ("study" the papers in Edda's room: an investigation, not
    a look). Called by ``commands`` before a close look. Pure."""
    found = search.find(search.features(world, actor.room), words.strip()).thing
    if found is None:
        return False
    check = next(
        (f.check for f in world.room(actor.room).features.values() if f.id == found.ref), None
    )
    return check is not None and verb.lower() in with_synonyms(check.verbs)


#: Words that end what "my" names: "my hands *at* the fire", "my bell *of* brass".
_OWNED_ENDS = frozenset(
    ["at", "to", "on", "in", "into", "onto", "by", "with", "of", "the", "a", "an", "and"]
    + ["from", "over", "near", "beside", "against", "for"]
)


def _owned_words(words: Sequence[str]) -> set[str]:
    """The words that "my" (``_OWN``) names in ``words``, up to a word of ``_OWNED_ENDS``:
    {"own", "little", "bell"} of "ring my own little bell of brass". Pure."""
    owned: set[str] = set()
    naming = False
    for word in words:
        if word in _OWN:
            naming = True
        elif naming and word in _OWNED_ENDS:
            naming = False
        elif naming:
            owned.add(word)
    return owned


def feature_action(world: World, actor: Character, text: str) -> FeatureAction | None:
    """The builder's action (``FeatureAction``) of a feature in ``actor``'s room that
    ``text`` does: one of its verbs among the words, and the feature named ("ring the
    great bell", "pull the rope") or nothing else said ("ring"). None when no action
    fits, when the words are about the actor's own things ("ring my bell"), or when
    they name the feature only by a word that a thing here or carried has too. Pure."""
    acted = _feature_acted(world, actor, text)
    return acted[1] if acted is not None else None


def _feature_acted(
    world: World, actor: Character, text: str
) -> tuple[Feature, FeatureAction] | None:
    """The feature and its action that ``text`` does (``feature_action``), or None."""
    words = re.findall(r"[a-z']+", text.lower())
    # What follows "my" is the actor's own ("ring my bell" is no bell of the room's);
    # the rest may still name a feature: "warm my hands at the fire" (played in a new
    # pack: "You try to warm your hands at the fire.", the hearth's own words unsaid).
    mine = _owned_words(words)
    if _OWN & set(words) and not mine:
        return None
    # A word of the name of a thing here or in the pack names that thing, not the
    # feature: "light the lantern" with a hooded lantern here is about the lantern. An
    # alias does not: in the chapel "relight the lamp" (its unlit lamp) missed the lamp
    # because the hooded lantern in the player's pack answers to "lamp" too.
    things = [*search.floor(world, actor.room), *search.carried(world, actor)]
    # Whole words: a Lamp-Keeper's "lamp-keeper's mace" is no lamp (played: "I'll relight
    # that lamp in the front row" missed the chapel's unlit lamp).
    shared = set(re.findall(r"[a-z'-]+", " ".join(t.name.lower() for t in things)))
    for feature in world.room(actor.room).features.values():
        if mine & _words_of(feature):
            continue  # "ring my bell": one's own bell
        verbs = _verb_forms([v for a in feature.actions for v in a.verbs])
        named = not mine and not (set(words) - verbs - _ANYWHERE)
        named = named or bool(set(words) & _words_of(feature) - shared - {"the"} - mine)
        for act in _as_told(actor, feature.actions):
            if named and set(words) & _verb_forms(act.verbs):
                return feature, act
    return None


def _lasting_done(world: World, feature: Feature, act: FeatureAction) -> FeatureAction | None:
    """The action of ``feature`` that lasts (``FeatureAction.lasts``) when it is done and
    lasts still, and ``act`` does the same (a verb in common): whoever does it again
    reads its ``again`` (the first lantern, lit, is not lit twice, and one who could
    not have lit it is not told the wick will not take). None otherwise. Pure."""
    if world.lasting_key(feature.id) not in world.features_used:
        return None
    lasting = next((a for a in feature.actions if a.lasts), None)
    if lasting is None or not set(with_synonyms(act.verbs)) & set(with_synonyms(lasting.verbs)):
        return None
    return lasting


def _as_told(actor: Character, actions: Sequence[FeatureAction]) -> list[FeatureAction]:
    """The ``actions`` open to ``actor``, those of a quest they have finished
    (``FeatureAction.after``) first: in the chapel, Edda's lamp takes the light for one
    who brought her home, and stays wet for everyone else."""
    done = [a for a in actions if a.after and actor.quests.get(a.after, 0) == -1]
    return [*done, *(a for a in actions if not a.after)]


def item_action(world: World, actor: Character, text: str) -> FeatureAction | None:
    """The builder's action (``ItemTemplate.actions``) of an item ``actor`` carries or
    that lies here which ``text`` does: one of its verbs among the words, and the item
    named by a word of its name or aliases ("light the lantern", "open the locket"); a
    line opening with "use" does its first action. What is carried is looked at first.
    None when no action fits. Pure."""
    words = set(re.findall(r"[a-z']+", text.lower()))
    for thing in [*search.carried(world, actor), *search.floor(world, actor.room)]:
        tmpl = world.templates.items[world.items[thing.ref].template]
        if not tmpl.actions:
            continue
        if not words & (_words_of(tmpl) - _NAME_FILLER):
            continue
        told = _as_told(actor, tmpl.actions)
        # Not a word of its own name: "raise the hooded lantern high" hoods nothing
        # (played, round 60: "You drop the hood over the lantern").
        doing = words - _words_of(tmpl)
        for act in told:
            if doing & _verb_forms(act.verbs):
                return act
        if text.lower().split()[:1] == ["use"] and told:
            return told[0]  # "use the spyglass": what it is for, its first action
    return None


_NAME_FILLER = frozenset({"the", "a", "an", "of", "s"})


def name_words(tmpl: ItemTemplate) -> set[str]:
    """The words naming an item, its name's and aliases', less filler ("the", "of"): what
    ``item_action`` reads a line for. Pure."""
    return _words_of(tmpl) - _NAME_FILLER


def _verb_forms(verbs: Sequence[str]) -> set[str]:
    """The words that do one of a builder's ``verbs``: each verb (and the words that
    mean the same, ``with_synonyms``) with its regular inflections, and each of those
    after "re" ("light", "lights", "lighting", "relight"). Played in the chapel:
    "relight the lamp" missed the builder's "light"."""
    forms = {form for verb in with_synonyms(verbs) for form in inflections(verb)}
    return forms | {"re" + form for form in forms}


#: Words players use for a builder's verb, by verb: "press the lantern" where the
#: builder wrote "push" (played at the sunken shrine: a deed, and nothing happened).
VERB_SYNONYMS: Mapping[str, tuple[str, ...]] = {
    "push": ("press", "shove"),
    "press": ("push",),
    "turn": ("twist", "rotate"),
    "twist": ("turn", "rotate"),
    "pull": ("tug", "yank", "haul"),
    "lift": ("raise",),
    "raise": ("lift",),
    "move": ("shift",),
    "light": ("kindle",),
    "ring": ("toll",),
    "toll": ("ring",),
    "climb": ("scale",),
    # "check the altar" (played: rolled, but as a whole line's deed, so "the altar.
    # edda's map had a stair going down. check the altar" was all a deed).
    "search": ("check", "inspect", "probe")
    # "*leafs through the papers*", "*rifles through the papers*" in Edda's room (played:
    # "You try to leaf through the papers.", and the clue they hold never rolled for).
    + ("rifle", "riffle", "rummage", "ransack", "sift", "comb", "leaf", "thumb", "flip"),
    "examine": ("check", "inspect", "study"),
    "read": ("peruse", "skim", "pore"),
    "study": ("peruse", "pore", "scrutinise", "scrutinize"),
}


def with_synonyms(verbs: Iterable[str]) -> frozenset[str]:
    """A builder's ``verbs`` and the words players use for them (``VERB_SYNONYMS``),
    lower case. Pure."""
    out = {verb.lower() for verb in verbs}
    return frozenset(out.union(*(VERB_SYNONYMS.get(verb, ()) for verb in out)))


def _elsewhere(world: World, actor: Character, text: str) -> str | None:
    """The name of a feature of another room that ``text`` does that feature's own
    deed to ("lift the hearthstone", "search the altar": a verb of its check, or of
    one of its actions, and its name or an alias of five letters or more), when nothing
    here answers to those words (this room's description, its features, the things lying
    here or carried, the people here). None otherwise: "move the barrel south" away
    from the cellar's barrels, or "lay the map on the table", is a deed of its own. Pure."""
    words = _singulars(text)
    room = world.room(actor.room)
    here: set[str] | None = None  # read only when a feature elsewhere is named
    searched, sought = _SOUGHT.split(text, maxsplit=1) if _SOUGHT.search(text) else (text, "")
    told = world.room_text(room.id, actor.key)
    if sought and {w for w in _singulars(searched) if len(w) > 3} & _singulars(told):
        # "search the window for tracks" in Edda's room (played: "You see no footprints
        # here.", the marsh path's): what is searched is here, whatever is sought.
        return None
    for other in world.templates.rooms.values():
        if other.id == room.id:
            continue
        for f in other.features.values():
            verbs = _verb_forms([v for a in f.actions for v in a.verbs])
            if f.check is not None:
                verbs |= _verb_forms(list(with_synonyms(f.check.verbs)))
            if not words & verbs:
                continue
            for name in (f.name, *f.aliases):
                named = _singulars(name)
                if len(name) < 5 or not named or not named <= words:
                    continue
                if here is None:
                    texts = [
                        told,
                        *(n for g in room.features.values() for n in (g.name, *g.aliases)),
                    ]
                    things = (*search.floor(world, actor.room), *search.carried(world, actor))
                    texts += [t.name for t in (*things, *search.npcs(world, actor.room))]
                    here = _singulars(" ".join(texts))
                if not named & here:
                    return f.name or name
    return None


#: What a search looks for, after what it searches: "search the window for tracks".
_SOUGHT = re.compile(r"\s+for\s+", re.I)


def _singulars(text: str) -> set[str]:
    """The words of ``text``, lower case, each in the singular ("lanterns": "lantern")."""
    return {singular(w) for w in re.findall(r"[a-z']+", text.lower())}


def _words_of(thing: Feature | ItemTemplate) -> set[str]:
    """The words of a feature's or an item's name and aliases, lower case."""
    return set(re.findall(r"[a-z']+", " ".join((thing.name, *thing.aliases)).lower()))


def _found_already(world: World, actor: Character, text: str) -> Feature | None:
    """The used-up ``once`` feature of the room that ``text`` names, if any (and no
    feature still to be found is named or meant): by its name or an alias, or by words
    of them alone beside its check's verbs ("search the crack" for the long crack, as
    before it was found; played: after the find, "search the crack" rolled the room's
    WIS check and told nothing, and a later party never saw the way it had shown)."""
    low = text.lower()
    used = [
        f
        for f in world.room(actor.room).features.values()
        if f.check is not None and f.once and feature_used(world, actor, f)
    ]
    for f in used:
        if named_in(low, (f.name, *f.aliases)):
            return f
    words = set(re.findall(r"[a-z']+", low)) - _ANYWHERE
    for f in used:
        assert f.check is not None
        named = words - with_synonyms(f.check.verbs)
        if named and named <= _words_of(f):
            return f
    return None


#: First words after which "tries to ..." would not be English: the text is quoted.
_NOT_VERBS_TEXT = """a an the my your his her its our their this that these those to and but or
if when while then so i i'm im it he she they we you"""
_NOT_VERBS = frozenset(_NOT_VERBS_TEXT.split())
#: Words that show an action's object is already phrased ("the hearth", "under it",
#: "my pack", "every shelf"): no article is put in front of it.
_NOT_BARE_TEXT = """at in on under over into onto through behind around beside between near
for with from up down out off about along across against every each all some any me myself
him them us everything anything something nothing"""
_NOT_BARE = _NOT_VERBS | frozenset(_NOT_BARE_TEXT.split())
#: The first words of the check table's phrases: verbs the room can conjugate.
_CHECK_VERBS = frozenset(phrase.split()[0] for phrase in DEFAULT_CHECKS)


def is_action_word(world: World, actor: Character, word: str) -> bool:
    """True when ``word`` starts something the rules know how to try: a verb of the
    default checks ("listen", "search") or of a feature here. ``commands.dispatch``
    asks before it offers a command for a typo: "listen" was "Did you mean 'list'?"."""
    low = word.lower()
    if low in _CHECK_VERBS or _checked_by(world, actor, low):
        return True
    features = world.room(actor.room).features.values()
    return any(low in _verb_forms(a.verbs) for f in features for a in f.actions)


#: The actor's own words as the actor reads them back.
_YOURS = {"my": "your", "me": "you", "myself": "yourself", "mine": "yours"}


def _theirs(actor: Character | None) -> dict[str, str]:
    """The actor's own words as the room says them, by the pronouns their player chose
    ("my cloak": "her cloak"; "their" for none chosen)."""
    chosen = presence.pronouns(actor) if actor is not None else ""
    _, them, their, theirs, themself = presence.PRONOUN_FORMS[chosen or "they"]
    return {"my": their, "me": them, "myself": themself, "mine": theirs}


def own_words(text: str, *, by_actor: bool, actor: Character | None = None) -> str:
    """``text``, words of ``actor``'s own, with "my", "me", "myself" and "mine" as the
    actor reads them back ("your") or as the room does ("her", "their": by the
    ``actor``'s pronouns), as ``seen_acting`` reads them. Pure."""
    pronouns = _YOURS if by_actor else _theirs(actor)
    if by_actor:
        # "with everything he has" of one's own blow (played: "You try to hack at the
        # warden with everything he has, and miss.").
        text = _ALL_ONE_HAS.sub(_all_you_have, text)
    return " ".join(pronouns.get(w.lower(), w) for w in text.split())


#: All one has, said of oneself in the third person: "everything he has", "all she's
#: got", "whatever they can".
_ALL_ONE_HAS = re.compile(
    r"\b(everything|all|whatever)\s+(?:he|she|they)\s*('s\s+got|'ve\s+got|has|have|can)\b", re.I
)


def _all_you_have(match: re.Match[str]) -> str:
    """``_ALL_ONE_HAS``'s words as the actor reads them: "everything you have"."""
    verb = match.group(2).lower()
    said = {"has": " have", "'s got": "'ve got"}.get(verb, verb if verb[0] == "'" else f" {verb}")
    return f"{match.group(1)} you{said}"


#: Words after which a player's name is a thing ("smell the rose" beside a player Rose).
_NOT_BEFORE_A_NAME = frozenset({"the", "a", "an", "this", "that", "some"})


def _as_name(word: str, known: Mapping[str, object]) -> tuple[str, bool]:
    """``word`` as a lower-cased name to look up in ``known``, and whether it was said
    as theirs: "Maren's," and "marens" (a possessive typed without its apostrophe,
    when "marens" names no one itself) are "maren", theirs. Played by a griefer: "steal
    maras potion" was no deed done to Mara, and rolled a critical success she read."""
    bare = word.rstrip(".,!?;:").lower()
    if bare.endswith("'s"):
        return bare[:-2], True
    if bare.endswith("s") and bare not in known and bare[:-1] in known:
        return bare[:-1], True
    return bare, False


def _name_at(words: Sequence[str], i: int, names: Mapping[str, str]) -> str | None:
    """The key of the player that ``words[i]`` names ("maren", "Maren's," ...) among
    ``names`` (lower-cased name -> key), or None."""
    bare = _as_name(words[i], names)[0]
    if i > 0 and words[i - 1].lower() in _NOT_BEFORE_A_NAME:
        return None
    return names.get(bare)


def _named_here(world: World, actor: Character, text: str) -> dict[str, str]:
    """The players beside ``actor`` that a deed's ``text`` names, by lower-cased name
    ("greet maren" -> {"maren": "maren"}: name -> character key). Each word is looked
    up (a character's key is its name in lower case), so a crowd of a thousand costs
    nothing. Pure."""
    beside: dict[str, str] = {}
    for word in text.split():
        bare = _as_name(word, world.chars)[0]
        char = world.chars.get(bare)
        if (
            char is not None
            and char.key != actor.key
            and char.room == actor.room
            and char.key not in world.waiting
        ):
            beside[bare] = char.key
    if not beside:
        return {}
    words = text.split()
    found = (_name_at(words, i, beside) for i in range(len(words)))
    return {world.chars[key].name.lower(): key for key in found if key is not None}


def _npc_names_here(world: World, room: str) -> dict[str, str]:
    """The capitalised words of the proper names of the NPCs in ``room``, by their
    lower case ("bessa" -> "Bessa", "thorn" -> "Thorn"). Pure."""
    out: dict[str, str] = {}
    for npc in world.npcs_in(room):
        name = world.templates.npcs[npc.id].name
        if is_proper(name):
            out.update((w.lower(), w) for w in name.split() if w[:1].isupper() and w.isalpha())
    return out


def _name_words(words: list[str], named: Mapping[str, str], viewer: str | None) -> list[str]:
    """``words`` with each name of a player in ``named`` written as that player's name
    ("maren" -> "Maren"), or as "you" ("your" for "maren's") for the ``viewer``."""
    out = []
    for i, word in enumerate(words):
        key = _name_at(words, i, named)
        bare = word.rstrip(".,!?;:")
        tail = word[len(bare) :]
        name, theirs = _as_name(word, named)
        if theirs and i == len(words) - 1 and not bare.lower().endswith("'s"):
            theirs = False  # "hug maras": a slip for the name, nothing of hers follows
        if key is None:
            out.append(word)
        elif key == viewer:
            out.append(("your" if theirs else "you") + tail)
        else:
            out.append(name[:1].upper() + name[1:] + ("'s" if theirs else "") + tail)
    return out


def seen_acting(
    world: World,
    actor: Character,
    text: str,
    *,
    by_actor: bool = False,
    viewer: str | None = None,
) -> str:
    """What the others in the room read (markup) when ``actor`` tries a free-text
    action: "Tobin searches the hearthstone." when it starts (after an optional "I")
    with a verb the checks know, "Tobin tries to whistle a tune." for another word that
    can begin an action, and "Tobin acts: ..." when it cannot be read as one. The
    actor's "my" and "me" become "their" and "them", and a thing named bare gets its
    article ("search hearth": "Tobin searches the hearth."). ``by_actor``: the same sentence
    as the actor reads it back ("You search the hearthstone.", "You try to whistle a
    tune.", "You act: ...", "my" as "your"; "their" is "her" or "his" for one who
    chose so, ``presence.pronouns``). A player beside the actor that the words
    name is named as such ("Tobin tries to greet Maren."), and is "you" to the
    ``viewer`` who is that player ("Tobin tries to greet you.")."""
    subject = "You" if by_actor else _name(actor)
    acts = styled("dim", "act:" if by_actor else "acts:")
    words = text.strip().rstrip(".!").split()
    if len(words) > 1 and words[0].lower() == "i":
        words = words[1:]
    if len(words) > 2 and words[0].lower() in _TRYING and words[1].lower() == "to":
        # "I try to read the notices": played, "You try to try to read the notices."
        words = words[2:]
    if not words:
        return f"{subject} {acts} {esc(text)}"
    first = words[0].lower()
    pronouns = _YOURS if by_actor else _theirs(actor)
    rest = [pronouns.get(w.lower(), w) for w in words[1:]]
    named = _named_here(world, actor, text)
    if named:
        rest = _name_words(rest, named, viewer)
    proper = _npc_names_here(world, actor.room)
    if proper:
        # "thank bessa" reads back "You try to thank Bessa.", as her name is written.
        rest = [proper.get(w.lower(), w) if w.isalpha() else w for w in rest]
    if _names_a_common_thing(world, actor, words[1:]):
        rest = ["the", *rest]  # "search hearth" reads back "You search the hearth."
    verbs = set(_CHECK_VERBS)
    for f in world.room(actor.room).features.values():
        if f.check is not None:
            verbs.update(with_synonyms(f.check.verbs))
    if first in verbs and not named:
        # Done to a player, a deed is only tried: it is theirs to say how it lands.
        verb = first if by_actor else third_person(first)
        return f"{subject} {esc(' '.join([verb, *rest]))}."
    if first in _TRYING and rest:
        # "tries the door" (played as a pose: "Pell tries to tries the door."; typed:
        # "You try to try the door."): the trying is the deed.
        verb = "try" if first.startswith("tr") else "attempt"
        return f"{subject} {verb if by_actor else third_person(verb)} {esc(' '.join(rest))}."
    if first.isalpha() and first not in _NOT_VERBS:
        tries = "try" if by_actor else "tries"
        return f"{subject} {tries} to {esc(' '.join([first, *rest]))}."
    return f"{subject} {acts} {esc(text)}"


#: Words a deed may open with that say it is tried: "try to", "attempt to".
_TRYING = frozenset({"try", "tries", "attempt", "attempts"})


def _names_a_common_thing(world: World, actor: Character, words: Sequence[str]) -> bool:
    """True when ``words`` (what follows an action's verb) are bare words, with no
    article, possessive or preposition, that name an item, feature or door around
    ``actor`` ("hearth", "map"): the read-back then puts "the" in front. A person, an
    NPC or an exit is named as typed ("greet Bessa", "climb up")."""
    if not words or len(words) > 4 or not all(w.isalpha() for w in words):
        return False
    if words[0].lower() in _NOT_BARE:
        return False
    found = search.find(search.around(world, actor), " ".join(words))
    # An exit is a direction ("climb up"), a person or an NPC a name ("greet Bessa").
    return found.thing is not None and found.thing.kind not in ("npc", "player", "exit")


#: Words of a foe's body, or of the one foe, in a blow told in one's own words: "on its
#: skull", "at his throat".
_FOE_WORDS = re.compile(
    # ... or what one calls a foe: "brings the mace down on the wretched creature"
    # (played: a pose, and no blow).
    r"\b(?:it|its|him|his|her|them|their|creature|beast|brute|thing|wretch|monster|vermin"
    r"|foe|enemy|fiend|villain|varmint)\b",
    re.I,
)


#: Words for any weapon, carried or not: "my blade", "cold steel".
_ANY_WEAPON = frozenset({"blade", "steel", "weapon", "fist", "fists"})


#: A weapon swung, naming no one: "brings the mace down", "swings his sword", "lashes
#: out with the dagger".
_WEAPON_SWUNG = re.compile(
    r"\b(?:brings?|bringing)\b.*\bdown\s*[.!]*$|\blash(?:es)?\s+out\b"
    r"|\bswing(?:s|ing)?\s+(?:(?:my|his|her|their|the|a|an)\s+)?(?P<swung>[\w\s-]+?)\s*[.!]*$",
    re.I,
)


#: What is held, brought down or driven into one: "brings it down on", "drives it into".
_IT_STRUCK = re.compile(
    r"\b(?:brings?|bringing|slams?|smashes|smash|drives?|driving|plunges?|thrusts?|swings?)"
    r"\s+it\s+(?:down\s+)?(?:on|upon|onto|into|at|through|against)\b",
    re.I,
)


def _weapon_words(world: World, actor: Character) -> set[str]:
    """The words that name a weapon ``actor`` carries ("mace", "lantern"), and any
    weapon's ("blade", "steel")."""
    held: set[str] = set(_ANY_WEAPON)
    for item in actor.inventory:
        if item in world.items and _slot_for(world, item) == "weapon":
            tmpl = world.item_template(item)
            held |= set(re.findall(r"[a-z]+", " ".join((tmpl.name, *tmpl.aliases)).lower()))
    return held - {"a", "an", "the", "of"}


def weapon_named(world: World, actor: Character, text: str) -> bool:
    """Whether ``text`` names a weapon ``actor`` carries, or any weapon ("the blade").
    Pure."""
    return bool(set(re.findall(r"[a-z]+", text.lower())) & _weapon_words(world, actor))


#: How the fight stands, asked in a word ("turn", "round"): out of one, no deed
#: (``commands._dispatch``).
STANDING_ALONE = re.compile(r"\s*(?:turn|round|combat|fight\s+status)\s*\??\s*", re.I)
#: "def": 'defend' as other MUDs shorten it, in a fight.
_DEFEND_SHORTHAND = re.compile(r"^\s*(?:def|dfnd|defend)\s*[.!]*$", re.I)
#: "a", "att", "atk", alone or before a foe: 'attack' as other MUDs shorten it, in a
#: fight (out of one, ``commands._dispatch`` takes them before one here named whole).
_FIGHT_SHORTHAND = re.compile(r"^\s*(?:a|att|atk)(?:\s+(.+?))?\s*[.!]*$", re.I)


def blow_in_words(world: World, actor: Character, text: str) -> bool:
    """Whether ``text``, a deed typed by ``actor`` on their turn in the room's fight,
    tells of a blow: it names a weapon they carry ("bring the mace down on its skull",
    "drives the dagger into its back"; or "blade", "steel") and a foe, by name or as
    "it", "its", "him"; never off their turn or out of a fight. Called by ``action``
    and ``commands`` for a pose. Pure."""
    current = world.fights.get(actor.room)
    if current is None or current.order.current != f"p:{actor.key}":
        return False
    held = _weapon_words(world, actor)
    if not weapon_named(world, actor, text):
        # "He brings it down on the drowned thing.", "it" the mace the line before
        # raised (played on his turn: a pose, and no blow): what is held, brought down
        # or driven into a foe.
        return _IT_STRUCK.search(text) is not None and (
            fight.names_a_foe(world, current, text)
            or _FOE_WORDS.search(_IT_STRUCK.sub("", text)) is not None
        )
    swung = _WEAPON_SWUNG.search(text)
    weapon = swung.group("swung") if swung is not None else None
    # Swinging, the weapon and nothing more ("swing my sword around" is no blow), a
    # compound by its head ("the lantern-mace" is a mace).
    if swung is not None and (
        weapon is None or {w.split("-")[-1] for w in weapon.lower().split()} <= held
    ):
        # "*brings the mace down*", "swings her sword": a blow at whom 'attack' alone
        # strikes (played on the Lamp-Keeper's turn at the Lamplighter: refused).
        return True
    return _FOE_WORDS.search(text) is not None or fight.names_a_foe(world, current, text)


def voices(world: World) -> list[str]:
    """The names a pose or deed may not write for (``forgery.forged``): the players in the
    game, the world's people, and the Dungeon Master's."""
    names = [c.name for c in world.chars.values()]
    names += [npc.name for npc in world.templates.npcs.values()]
    return [*names, "Dungeon Master", "Narrator"]


def action(world: World, actor: Character, text: str, ctx: Ctx) -> list[Effect]:
    """A free-text action: the engine decides whether it calls for a check (a feature of
    the room, or the default table), rolls it, applies what it reveals, and asks the DM
    to narrate the decided outcome. Naming a feature whose secret is already found (by
    anyone, for a shared one) rolls nothing: the player is told so, and the narration
    knows it. A fighter in the room's fight is told what a fight allows instead: a free
    action there would neither take a turn nor fit the narration ("nothing moves")."""
    current = world.fights.get(actor.room)
    if current is not None and current.has(f"p:{actor.key}"):
        if _DEFEND_SHORTHAND.match(text):
            # "def" on one's turn (played against a bog rat: "You are in a fight: ...");
            # out of a fight it is chat's "definitely".
            return cmd_defend(world, actor, Intent("defend", "", text), ctx)
        short = _FIGHT_SHORTHAND.match(text) if not text.rstrip().endswith("?") else None
        if short is not None and (
            short.group(1) is None or fight.names_a_foe(world, current, short.group(1))
        ):
            # "a" on one's turn, as other MUDs take it (played by one come to fight:
            # "You are in a fight: attack, ...").
            return cmd_attack(world, actor, Intent("attack", short.group(1) or "", text), ctx)
        if blow_in_words(world, actor, text):
            # "bring the mace down on its skull" on one's turn (played, between stars:
            # a pose, and no blow struck): at the foe named, or the first standing.
            aimed = text if fight.names_a_foe(world, current, text) else ""
            return cmd_attack(world, actor, Intent("attack", aimed, text), ctx)
        said = fight.turn_choices_markup(world, actor.key)
        if fight.STANDING_ASKED.search(text):
            # "turn", "whose turn is it": how the fight stands, and what a turn may do.
            stands = esc(fight.standing(world, current, actor.key, ctx.now))
            return [Tell(actor.key, Doc.text(f"{stands} On a turn: {said}."))]
        # The same choices as the turn's line, powers included (played: a Lamp-Keeper's
        # "attaque" was told "attack, defend, flee <direction>, or use <item>", where
        # "Your turn!" had offered heal and bless too).
        return [
            Tell(
                actor.key,
                Doc.text(
                    tag(
                        "error",
                        f"You are in a fight: {said}. (say, emote and look still work;"
                        " 'turn' tells how the fight stands.)",
                    )
                ),
            )
        ]
    part, voice = forgery.forged(f"{actor.name} {text}", actor.name, voices(world))
    if part:
        # "I shrug. Victory!" read "Vex acts: shrug. Victory!" on every screen (played by
        # a griefer, as an emote): held to the rule poses are (``commands._posed``).
        return _err(actor.key, forgery.why(actor.name, part, voice))
    rng = ctx.rng
    trying = Tell(actor.key, Doc.text(seen_acting(world, actor, text, by_actor=True)))
    # A player the deed names reads it as done to them ("Tamsin tries to greet you.").
    named = sorted(set(_named_here(world, actor, text).values()))
    watched_by: list[Effect] = [
        Tell(key, Doc.text(seen_acting(world, actor, text, viewer=key))) for key in named
    ]
    watched_by.append(
        ToRoom(
            actor.room,
            Doc.text(seen_acting(world, actor, text)),
            exclude=(actor.key, *named),
        )
    )
    effects: list[Effect] = []
    outcome = Outcome("none", 1)
    shown: list[str] = []
    on_feature = _feature_acted(world, actor, text)
    acted = on_feature[1] if on_feature else item_action(world, actor, text)
    lasting = _lasting_done(world, *on_feature) if on_feature else None
    if lasting is not None:
        # Done already, and it lasts (played: Wren lit the first lantern, and Sable,
        # beside him, read its frozen wick smoking and the square's "dark lantern post").
        told, lines = _builder_words(actor, lasting.again, "")
        effects += [*told, *watched_by]
        shown += lines
        outcome = Outcome("none", 1, (lines[0],))
    elif acted is not None:
        # The builder wrote what this does ("ring the bell"): no roll, and their words in
        # place of "You try to ring the bell." (and of "Rook tries to ..." when they
        # wrote the onlookers' line too).
        told, lines = _builder_words(actor, acted.you, acted.seen)
        effects += told if acted.seen else [*told, *watched_by]
        shown += lines
        outcome = Outcome("none", 1, (lines[0],))
        if acted.lasts and on_feature is not None:
            effects.append(UseFeature(world.lasting_key(on_feature[0].id)))
    else:
        effects += [trying, *watched_by]
    if acted is None and named:
        # Played by a griefer: "i push mara into the fire" rolled a STR check, a success
        # Mara read ("Vex pushes you into the fire.") and the DM narrated. The engine
        # rolls nothing against a player: whether it lands is theirs to answer.
        them = " and ".join(world.chars[key].name for key in named)
        outcome = Outcome(
            "none",
            1,
            (
                f"{them} {'is another player' if len(named) == 1 else 'are other players'}:"
                " tell only the attempt, not how it lands, which is theirs to say.",
            ),
        )
    elif acted is None and actor.cls:
        classified = classify_action(text)
        verb = classified[2] if classified else None
        picked = doors.door_named_in(world, actor, text) if verb in _PICKING else None
        if picked is not None and not isinstance(picked, str):
            # "I kneel at the postern gate and work my picks into the lock." (played in
            # Lanternfall: the rules' DEX check against 14, narrated "it works", and the
            # gate stayed locked): the lock of the door named is picked, at its own
            # difficulty, as 'pick gate' does.
            return doors.cmd_pick(world, actor, Intent("pick", picked[1].name, text), ctx)
        if (verb == "haggle" or (verb in _PERSUADING and _PRICE_WORDS.search(text))) and (
            haggle.keeper_here(world, actor) is not None
        ):
            # "I try to talk the price down, haggling": the haggle the engine keeps, not
            # a roll whose success buys nothing (played: "It is a small victory.", and
            # the coat cost what it cost).
            return haggle.cmd_haggle(world, actor, Intent("haggle", "", text), ctx)
        # An idle deed ("warm my hands at the hearth") tries no feature, found or not;
        # unless its verb is one the builder gave a feature here ("pray" at the crypt's
        # reliquary: played, "You pray to the saint." and nothing tried).
        lead = lead_verb(text)
        placing = lead in _PLACING and not _checks_said(world, actor, text)
        idle = (lead in _IDLE or placing) and not _checked_by(world, actor, lead)
        elsewhere = None if idle else _elsewhere(world, actor, text)
        if elsewhere is not None:
            # "lift the hearthstone" in Edda's room: played, a STR check "and it gives",
            # the hearthstone being in the common room below; "search the altar" there
            # searched her papers.
            return _err(actor.key, f"You see no {elsewhere} here.")
        feature = None if idle else _feature_for(world, actor, text, verb)
        done = _found_already(world, actor, text) if feature is None and not idle else None
        ability: Ability | None = None
        dc = 0
        skill: str | None = None
        if done is not None:
            # Not a roll on the generic table against another DC: nothing is left to find.
            taken = done.reveals is not None and bool(done.reveals.item)
            if done.success and not taken:
                # What it shows is still there to see (the tally on the sacks, the labels
                # on the lanterns, the way behind the altar): the builder's words, or a
                # newcomer would never read the clue someone else found first.
                told, lines = _builder_words(actor, done.success, done.seen)
                effects += told
                shown += lines
                # Their own find (or their group's), read again, is no discovery: it was
                # narrated as "You have found what others walked past."
                again = f"check:{done.id}" in actor.deeds
                outcome = Outcome("review" if again else "discovery", 1, (lines[0],))
            else:
                found = f"What {definite(done.name)} hid has already been found."
                effects.append(Tell(actor.key, Doc.text(esc(found))))
                outcome = Outcome("none", 1, (found,))
            # Someone else's find of a shared secret is not this player's: a quest step
            # that asks for it is met by coming to see it (nothing is left to roll for),
            # and the group members beside them see it with them.
            effects += _find_counts(world, actor, done)
            way = _way_already_found(world, actor, done)
            if way:
                # A way shown now is news: "all is as it was" after it read as a denial.
                assert done.reveals is not None
                way_facts = (*outcome.facts, f"A way {done.reveals.exit} is revealed.")
                outcome = Outcome("discovery", 1, way_facts)
            effects += way
        elif feature is not None and feature.check is not None:
            ability, dc = Ability(feature.check.ability.upper()), feature.check.dc
            skill = feature.check.skill
        elif classified is not None:
            ability, dc = classified[0], classified[1]
            skill = DEFAULT_SKILLS.get(classified[2])
        if ability is not None:
            result = check(
                rng,
                ability_score=score(actor, ability.value.lower()),
                dc=dc,
                # The class's proficiency, as content/README promises for a feature's
                # skill; it was never added, so a rogue searched like anyone else.
                bonus=sheet.check_bonus(world, actor, skill, ability.value.lower()),
                reason=f"{actor.name}: {text[:60]}",
                ability=ability,
            )
            effects.append(rolled(result.roll, f"{actor.name} {ability.value} check"))
            effects.append(
                ToRoom(actor.room, Doc.text(tag("roll", esc(f"{actor.name}: {result.line()}"))))
            )
            facts = [result.line()]
            kind = result.outcome_kind
            # The builder's own words for this outcome come first, as a line of their own
            # for whoever tried (written to "you"); the narration that follows, which
            # the whole room hears, only adds colour.
            said = ""
            if feature is not None:
                said = feature.success if result.success else feature.failure
            if feature is not None and said:
                # The onlookers' words only for a find: a clue found is the group's too.
                seen = feature.seen if result.success else ""
                told, lines = _builder_words(actor, said, seen)
                effects += told
                shown += lines
                # Until every prompt reads ``shown``, the facts carry the text too.
                facts.append(lines[0])
            if feature is not None and result.success:
                effects += _reveal(world, actor, feature)
                # A clue read or noticed (the builder's words for an INT or WIS check) is
                # a find too: played, Ilse's search of Edda's papers turned up the pressed
                # page and was narrated "Ilse does it steadily, and it works.".
                noticed = bool(said) and ability in (Ability.INT, Ability.WIS)
                kind = "discovery" if feature.reveals is not None or noticed else kind
            if skill in _SEEKING or (skill is None and ability is Ability.WIS):
                # A search of the room finds whoever hides in it, roll against roll.
                hiders, finding = stealth.found_by(world, actor, result.total, actor.room)
                effects += finding
                facts += [f"{actor.name} finds {c.name} hiding." for c in hiders]
                if feature is None and result.success and not hiders:
                    # Played: "I run my fingers along the mantel looking for a hidden
                    # catch", a success, was narrated "you get it done. It is a small
                    # victory.", and a model may invent the catch: nothing is there,
                    # and the narration is told so.
                    kind = "nothing"
                    facts.append("There is nothing out of the ordinary there to find.")
            outcome = Outcome(kind, 2 if result.critical or result.fumble else 1, tuple(facts))
    # Someone of the world it is done to ("flirt with bessa", "I bow to the priest"):
    # how they carry themselves now answers it (played: "You do what needs doing, and
    # nothing more.", and Bessa not in it).
    npc = npc_done_to(world, actor, text) if outcome.kind == "none" else None
    manner = escort.manner(world, npc) if npc is not None else ()
    effects.append(
        AskNarration(
            actor.key,
            actor.room,
            "action",
            text,
            outcome,
            Priority.MEDIUM,
            shown=tuple(shown),
            npc_manner=manner,
        )
    )
    return effects


#: A question of the room of the one asked: "can I see your room?", "where's your room?".
_YOUR_ROOM = re.compile(r"\byour\s+(?:room|chamber|lodging|quarters)\b", re.I)


def _own_room_way(world: World, actor: Character, npc: NpcTemplate, said: str) -> str:
    """The way to ``npc``'s own room ("My room? Up from here, then east.") when ``said``
    asks of "your room" and a room of the world is called theirs (an alias "<their first
    name>'s room", as Hollowmere's Cartographer's Room is "edda's room"); "" otherwise,
    or from inside it. Pure."""
    if _YOUR_ROOM.search(said) is None:
        return ""
    first = npc.name.split()[0].lower()
    for room_id, room in world.templates.rooms.items():
        if f"{first}'s room" not in (a.lower() for a in room.aliases):
            continue
        if room_id == actor.room:
            return "My room? You're standing in it."
        way = lore.said_route(lore.route_to(world, actor, room_id))
        return f"My room? {capitalise(way)}." if way else ""
    return ""


def npc_done_to(world: World, actor: Character, text: str) -> str | None:
    """The id of the one of the world beside ``actor`` whose whole name or alias a
    deed's ``text`` says ("flirt with bessa", "bow to Bessa Thorn"), or None. Called
    for a deed's narration and by the dispatcher (a pose at them is a deed). Pure."""
    npcs = search.npcs(world, actor.room)
    if not npcs:
        return None
    words = re.findall(r"[a-z][a-z'-]*", text.lower())
    for size in (3, 2, 1):
        for i in range(len(words) - size + 1):
            span = " ".join(words[i : i + size]).removesuffix("'s")
            for thing in npcs:
                if search.score(thing, span) == 2:
                    return thing.ref
    return None


_SEEKING = frozenset({"perception", "investigation"})
"""Skills whose checks find hidden characters (``stealth.found_by``)."""


def _builder_words(actor: Character, you: str, seen: str) -> tuple[list[Effect], list[str]]:
    """The builder's words for ``actor``'s deed: ``you`` to the doer, word for word, and
    ``seen`` (when written) to the others in the room. Returns (the effects, the lines
    as the narration is shown them: the doer's first)."""
    effects = [lore.feature_line(actor.key, you)]
    lines = [lore.plain(you)]
    if seen:
        line = lore.seen_text(actor, seen)
        effects.append(ToRoom(actor.room, Doc.text(esc(line)), exclude=(actor.key,)))
        lines.append(line)
    return effects, lines


def _reward_text(xp: int, gold: int, items: Sequence[str] = ()) -> str:
    """`` (+250 XP)``, `` (+100 XP, +5 gold, an oatcake)``: what a reward gives, the
    ``items`` by name (markup: the names escaped; nothing for nothing). The items were
    put in the pack without a word (played: a quest's oatcake found later by chance)."""
    parts = [f"+{xp} XP"] * (xp > 0) + [f"+{gold} gold"] * (gold > 0)
    parts += [esc(indefinite(name)) for name in items]
    return f" ({', '.join(parts)})" if parts else ""


def feature_used(world: World, actor: Character, feature: Feature) -> bool:
    """A ``once`` feature is used up for everyone (shared) or per character (not shared)."""
    if feature.shared:
        return feature.id in world.features_used
    return f"used:{feature.id}" in actor.revealed


def _reveal(world: World, actor: Character, feature: Feature) -> list[Effect]:
    effects: list[Effect] = []
    additions: dict[str, list[str]] = {}
    if feature.once:
        if feature.shared:
            effects.append(UseFeature(feature.id))
        else:
            additions.setdefault(actor.key, []).append(f"used:{feature.id}")
    reveals = feature.reveals
    if reveals is not None and reveals.exit:
        found = f"{actor.room}:{reveals.exit}"
        who = list(world.people_in(actor.room)) if feature.shared else [actor]
        for char in who:
            if found not in char.revealed:
                additions.setdefault(char.key, []).append(found)
                effects.append(_way_revealed(char.key, reveals.exit))
    for key, adds in additions.items():
        char = world.chars[key]
        # One update per character, so two additions in one action cannot overwrite each other.
        effects.append(CharUpdate(key, revealed=[*char.revealed, *adds]))
    if reveals is not None and reveals.item:
        # One found and left lying is the one this finder uncovers too: a feature each
        # player searches for themselves made a packet per finder, and the tavern's
        # floor read "an oilcloth packet (2)", then (3), for every new player.
        if not resets.beyond_placed(world, actor.room)[reveals.item]:
            effects.append(SpawnItem(reveals.item, f"room:{actor.room}"))
        name = world.templates.items[reveals.item].name
        found = start(indefinite(name))
        effects.append(ToRoom(actor.room, Doc.text(tag("good", f"{esc(found)} is uncovered!"))))
    return effects + _find_counts(world, actor, feature)


def _way_already_found(world: World, actor: Character, feature: Feature) -> list[Effect]:
    """The way a shared ``feature`` revealed when someone else found it, shown to
    ``actor`` and the group members beside them who do not know it yet (hidden exits
    are known per character: a party arriving after the altar was found saw "Exits:
    north", was told the altar's secret was found, and could not go down)."""
    reveals = feature.reveals
    if not feature.shared or reveals is None or not reveals.exit:
        return []
    found = f"{actor.room}:{reveals.exit}"
    effects: list[Effect] = []
    for char in [actor, *party.present(world, actor.key)]:
        if found not in char.revealed:
            effects.append(CharUpdate(char.key, revealed=[*char.revealed, found]))
            effects.append(_way_revealed(char.key, reveals.exit))
    return effects


def _way_revealed(who: str, direction: str) -> Tell:
    """Tell ``who`` that a hidden way ``direction`` is now theirs to take."""
    return Tell(who, Doc.text(styled("good", f"A way {direction} is revealed!")))


def _find_counts(world: World, actor: Character, feature: Feature) -> list[Effect]:
    """The find of ``feature`` counts for ``actor`` and for the group members who saw
    it made: a ``check`` quest step is met by one's own find, or the group's."""
    return [
        QuestEvents(char.key, (("check", feature.id),))
        for char in [actor, *party.present(world, actor.key)]
    ]


def cmd_talk(world: World, actor: Character, intent: Intent, ctx: Ctx) -> list[Effect]:
    """talk <someone> <what you say>

    Speak with someone here; the Dungeon Master answers in an NPC's voice. To another
    player it is said aloud, to them ('talk to maren shall we go?').
    """
    words = intent.args.strip()
    if not words:
        return _err(actor.key, "Usage: talk <someone> <what you say>")
    # "talk to Bessa Thorn, hello" as well as "talk bessa hello".
    found, said = search.find_leading(search.npcs(world, actor.room), words)
    if found.thing is None:
        # Played: "talk to maren", with Maren beside them, said "You see no 'maren' here."
        player, said = search.find_leading(
            search.people(world, actor.room, besides=actor.key), words
        )
        if player.thing is not None:
            return say_to(world, actor, world.chars[player.thing.ref], said or "Hello.")
        return _err(actor.key, away_from(world, words) or found.error)
    about = _ABOUT.match(said)
    if about is not None:
        # "talk to bessa about edda": played, "You say to Bessa Thorn, 'about edda'".
        topic = about.group(1).strip(" ?.!")
        return talk_to(world, actor, found.thing.ref, topic, how="about")
    return talk_to(world, actor, found.thing.ref, said)


#: "about edda", "about the lights?": a topic, as 'ask <someone> about' has it.
_ABOUT = re.compile(r"^about\s+(.+)$", re.IGNORECASE)


_SHOW_TO = re.compile(r"^(.+?)\s+to\s+(.+)$", re.I)


def cmd_show(world: World, actor: Character, intent: Intent, ctx: Ctx) -> list[Effect]:
    """show <someone> <item>   or   show <item> to <someone>

    Hold up something you carry for someone here to see: a player beside you reads
    what it is; someone of the world tells what they know of it.
    """
    words = intent.args.strip()
    if not words:
        return _err(actor.key, "Usage: show <item> to <someone>")
    people = [
        *search.npcs(world, actor.room),
        *search.people(world, actor.room, besides=actor.key),
    ]
    to = _SHOW_TO.match(words)
    if to is not None and search.find(people, to.group(2)).thing is not None:
        what, whom = to.group(1), to.group(2)
        person = search.find(people, whom)
    else:
        person, what = search.find_leading(people, words)
    if person.thing is None:
        if search.find(search.carried(world, actor), words).thing is not None:
            return _err(actor.key, "Show it to whom? Try 'show <item> to <someone>'.")
        return _err(actor.key, person.error)
    if not what.strip():
        return _err(actor.key, "Show them what?")
    item = search.find(search.carried(world, actor), what.strip(), search.CARRIED)
    if item.thing is None:
        return _err(actor.key, item.error)
    tmpl = world.item_template(item.thing.ref)
    if person.thing.kind == "npc":
        # What they know of it, by its name: Crake of the rusty key, the unknown line else.
        said = " ".join((tmpl.name, *tmpl.aliases))
        shown = definite(tmpl.name)
        topic = lore.conversation_topic(ctx.recent)
        return talk_to(world, actor, person.thing.ref, said, how="show", topic=topic, shown=shown)
    target = world.chars[person.thing.ref]
    held = tag("item", esc(indefinite(tmpl.name)))
    effects = phrasing.act(actor, "{actor} {v:show} {target} {item}.", target=target, item=held)
    about = f"{capitalise(indefinite(tmpl.name))}: {lore.plain(tmpl.description)}"
    effects.append(Tell(target.key, Doc.text(esc(about))))
    return effects


#: Words before a name that are no part of it ("talk to the smuggler").
_NOT_OF_A_NAME = frozenset({"a", "an", "the", "to", "with"})


def away_from(world: World, words: str) -> str:
    """The line for ``words`` that open with the proper name of an NPC of the world
    who is not where the player is: "Sister Aldith is not here." (she wanders; "ask
    aldith about the lamp" was asked of the DM, "talk to aldith" was "You see no
    'aldith' here."); "" for any other words. Called by ``talk`` and ``ask`` after the
    room's own NPCs are looked for. Pure."""
    found, rest = search.find_leading(proper_npcs(world), words)
    if found.thing is None:
        return ""
    named = words.split()[: len(words.split()) - len(rest.split())]
    if len(named) == 1 and named[0].lower() in ("a", "an", "the"):
        return ""  # "a bell?": "a" is no start of "Aldith" (played at the shrine)
    said = [w.strip(",:?!.").lower() for w in named if w.lower() not in _NOT_OF_A_NAME]
    if search.score(found.thing, " ".join(said)) != 2 and not prefixes_in_order(
        said, found.thing.name.lower().split()
    ):
        # Begun, a proper name is theirs ("sister": Sister Aldith); an alias of more words
        # is named whole: "the old mill's east?" is no call to Crake, "the old man"
        # (tried: "Crake is not here.").
        return ""
    return f"{found.thing.name} is not here."


def handed_to(world: World, actor: Character, npc_ref: str, item: str) -> list[Effect] | None:
    """``actor`` gives ``item`` (carried) to the NPC ``npc_ref`` here, who takes it when
    its template is one they accept (``NpcTemplate.accepts``): the item leaves the world
    with them, they say their ``says`` line to the room, and the DM narrates after it.
    None when they do not want it. Called by ``give``. Pure."""
    tmpl = world.templates.npcs[world.npcs[npc_ref].id]
    held = world.item_template(item)
    wanted = next((a for a in tmpl.accepts if a.item == held.id), None)
    if wanted is None:
        return None
    words = lore.plain(wanted.says)
    npc = tag("npc", esc(definite(tmpl.name)))
    effects: list[Effect] = [
        *phrasing.act(
            actor, "{actor} {v:give} {item} to {npc}.", npc=npc, item=phrasing.item_the(held.name)
        ),
        DestroyItem(item),
        lore.says(actor.room, tmpl.name, words),
        AskNarration(
            actor.key,
            actor.room,
            "talk",
            f"gives {held.name} to {tmpl.name}",
            Outcome("dialogue", 1, (f"{tmpl.name} takes {held.name} from {actor.name}: {words}",)),
            Priority.MEDIUM,
            npc_persona=_persona(world, tmpl, actor),
            shown=(words,),
            npc_manner=escort.manner(world, tmpl.id),
        ),
    ]
    return effects


def tipped(world: World, actor: Character, npc_ref: str, amount: int) -> list[Effect] | None:
    """``actor`` gives ``amount`` gold (which they have) to the NPC ``npc_ref`` here, who
    keeps it when they take tips (``NpcTemplate.tips``) and says their ``tips`` line to
    the room. None when they take no gold. Called by ``give`` and ``tip``. Pure.
    Played: "tip bessa" was a deed, and "give bessa 1 gold" "Bessa Thorn does not want
    your gold." from a landlady who had just sold them stew."""
    tmpl = world.templates.npcs[world.npcs[npc_ref].id]
    if not tmpl.tips:
        return None
    npc = tag("npc", esc(definite(tmpl.name)))
    return [
        CharUpdate(actor.key, gold=actor.gold - amount),
        *phrasing.act(actor, "{actor} {v:give} {npc} {amount} gold.", npc=npc, amount=str(amount)),
        lore.says(actor.room, tmpl.name, lore.plain(tmpl.tips)),
    ]


def _persona(world: World, tmpl: NpcTemplate, char: Character) -> str:
    """What a narrator speaking as ``tmpl`` to ``char`` is told of them: name, persona,
    what they say of themself and what they know that they would tell ``char`` now
    (``lore.facts``; ``AskNarration.npc_persona``)."""
    persona = f"{tmpl.name}: {tmpl.persona}".strip()
    if tmpl.intro:
        persona += f"{PERSONA_SAYS}{lore.plain(tmpl.intro)}"
    known = [fact for fact in lore.facts(tmpl, char, lore.present_with(world, tmpl.id)) if fact]
    if known:
        persona += PERSONA_KNOWS + " ".join(known)
    return persona


def proper_npcs(world: World, besides: Collection[str] = ()) -> list[search.Thing]:
    """The NPCs of the world known by a proper name ("Sister Aldith", not "bog rat"),
    one each, as things to find by name, but for the ids in ``besides``. Pure."""
    return [
        search.Thing("npc", key, npc.name, tuple(npc.aliases))
        for key, npc in world.templates.npcs.items()
        if key not in besides and is_proper(npc.name)
    ]


#: How ``say_to`` tells what was said to a player (``how``), as ``phrasing`` templates.
_SAY_TO = {
    "say": "{actor} {v:say} to {target}, '{said}'",
    "ask": "{actor} {v:ask} {target} {said}.",  # ask Maren where she is going
    "quote": "{actor} {v:ask} {target}, '{said}'",  # ask Maren, are you coming?
}


def say_to(
    world: World, actor: Character, target: Character, said: str, *, how: str = "say"
) -> list[Effect]:
    """``actor`` says ``said`` aloud to ``target``, a player beside them, or asks them
    (``how``, as in ``talk_to``): "You say to Maren, '...'", "Tamsin says to you,
    '...'", "Tamsin asks Maren, '...'"; logged as a say. Called by ``talk`` and
    ``ask``. Raises KeyError for another ``how``."""
    return [
        *phrasing.act(actor, _SAY_TO[how], target=target, said=styled("say", said)),
        LogChat("say", actor.room, actor.name, target.name, said),
    ]


#: How ``talk_to`` tells what was said (``how``), as ``phrasing`` templates.
_TALK = {
    "say": "{actor} {v:say} to {npc}, '{said}'",
    "room": "{actor} {v:say}, '{said}'",  # hello everyone! what's going on?
    "about": "{actor} {v:ask} {npc} about {said}.",  # ask Bessa about the cartographer
    "ask": "{actor} {v:ask} {npc} {said}.",  # ask Bessa where Edda went
    "quote": "{actor} {v:ask} {npc}, '{said}'",  # ask Bessa, have you seen her?
    "show": "{actor} {v:show} {npc} {said}.",  # show bessa the locket
}


#: A request put with 'ask', which asks nothing one knows: "to wait here", "for help".
_REQUEST = re.compile(r"^\W*(?:to\s|for\s+(?:help|a\s+hand|aid)\b)", re.I)


#: How many of the hub's wander turns (``reactions.wander``) an NPC spoken to stays put
#: for: with the default ``wander_every`` of 30 s, a minute or more after the last word.
ENGAGED_TURNS = 2


def talk_line(
    actor: Character, npc_name: str, said: str, *, how: str = "say", shown: str = ""
) -> list[Effect]:
    """The line that tells the room ``actor`` spoke to the NPC called ``npc_name``, as
    ``how`` says it (``_TALK``): "You ask Bessa Thorn, 'What's good here?'"; ``shown``,
    the name of a thing held up to them, in place of ``said``. Called by ``talk_to`` and
    by ``commands`` for a question a shopkeeper answers with their wares. Raises
    KeyError for another ``how``."""
    words = tag("item", esc(shown)) if shown else tag("say", esc(said))
    return phrasing.act(actor, _TALK[how], npc=tag("npc", esc(definite(npc_name))), said=words)


def _unheard(world: World, tmpl: NpcTemplate, actor: Character) -> bool:
    """Whether ``tmpl`` knows something it would tell ``actor`` that they have not heard
    from it. Pure."""
    heard = lore.heard_facts(tmpl, actor)
    told = lore.facts(tmpl, actor, lore.present_with(world, tmpl.id))
    return any(fact and i not in heard for i, fact in enumerate(told))


def talk_to(
    world: World,
    actor: Character,
    npc_ref: str,
    said: str,
    *,
    how: str = "say",
    topic: str = "",
    shown: str = "",
    asked: str = "",
) -> list[Effect]:
    """``actor`` says ``said`` to the NPC ``npc_ref`` (one in its room), or asks them
    (``how``: "about" a topic, "ask" a question put in the player's words, "quote" a
    question asked straight out; see ``_TALK``): the NPC answers in the builder's words
    (``lore.npc_reply``; ``topic`` is what the asker's last questions were about, for
    "where did she go?"), then the DM in its voice. ``shown``: the name of a thing held
    up to them (``how`` "show"), told in place of ``said``; ``asked``, when given, the
    part of ``said`` put to them, which they answer ("who are you?" of "hello tamsin.
    who are you, bessa?"). Called by ``talk``, ``ask``,
    ``show``, ``tell`` and ``say`` to someone here by name, and a question asked aloud.
    Raises KeyError for another ``how``."""
    npc = world.npcs[npc_ref]
    tmpl = world.templates.npcs[npc.id]
    if tmpl.greeting and not escort.at_home(world, npc.id):
        # Brought away from home: the greeting (and the replies to its question) were
        # written for there ("You came for me?" in the tavern, once she is found); who
        # they are greets instead.
        tmpl = evolve(tmpl, greeting=tmpl.intro, replies={})
    # "talk to bessa" once met (played: her greeting again, stew and all, just after
    # she had greeted the newcomer): the next thing they know, as "any news?" asks it.
    news = (
        not said.strip()
        and not shown
        and f"met:{npc.id}" in actor.revealed
        and _unheard(world, tmpl, actor)
    )
    said = said.strip() or "Hello."
    if news:
        effects = talk_line(actor, tmpl.name, "what news there is", how="ask")
    else:
        effects = talk_line(actor, tmpl.name, said, how=how, shown=shown)
    along = escort.asked(world, actor, npc.id, asked.strip() or said)
    if along is not None:
        # "edda, let's get you home": played, the narrator told of it and Edda stayed.
        return effects + along
    if tmpl.shop is not None and how != "about" and haggle.asked_down(asked.strip() or said):
        # 'Surely a coat for a pilgrim of the lanterns can come down a little?' (played,
        # round 57: answered "The mail coat? Right here; have a look at it."): the
        # haggle the engine keeps, after the words.
        return [*effects, Then(actor.key, "haggle")]
    # The NPC answers in the builder's words (greeting, knows fact, or "don't know")
    # before the Dungeon Master adds colour.
    answering = "any news?" if news else asked.strip() or said
    place = lore.place_line(world, actor, answering, tmpl)
    present = lore.present_with(world, npc.id)
    # A threat one of them cannot name, another may (``lore.npc_reply``).
    elsewhere = lore.threat_asked(answering) and (
        lore.who_knows(world, actor, lore.with_threat_words(answering), besides=npc.id) is not None
    )
    replies, lines, told = lore.npc_reply(
        tmpl,
        actor,
        answering,
        topic,
        place,
        present=present,
        people=lore.alias_words(world),
        threat_elsewhere=elsewhere,
        # Asked: a topic, a question, one reported ("if the boots are waterproof") or a
        # thing asked for ("for rope"); not a request to do ("ask bessa for help", "ask
        # tobin to wait here": found in review, both "Don't know about that").
        asked=news or how in ("about", "quote") or (how == "ask" and not _REQUEST.match(said)),
    )
    effects += replies
    unknown = lore.plain(tmpl.unknown or lore.DEFAULT_UNKNOWN)
    shop = lore.shop_answer(world, actor, answering) if lines[-1:] == [unknown] else None
    if shop is not None and not shop.startswith(f"{tmpl.name},"):
        # Where to buy a thing another sells: they say who (played, alone with Bessa:
        # "i want to buy a better sword. where can i get one?" was "Don't know about
        # that, love. Have some stew.", where the DM names Tobin).
        effects[-1] = lore.says(actor.room, tmpl.name, shop)
        lines[-1] = shop
    elif lines and lines[-1] == unknown and (mine := _own_room_way(world, actor, tmpl, answering)):
        # "should i go look at your room?" asked of Edda (played: "No bearing on that,
        # I'm afraid."): the way to their own room, as they would tell it.
        effects[-1] = lore.says(actor.room, tmpl.name, mine)
        lines[-1] = mine
    elif lines and lines[-1] == unknown:
        # Not known to them, known to another: they send the asker on (played: "what
        # do you know about crake?" to Bessa got her "Don't know" and nothing more,
        # with Tobin on the market lane talking of him).
        about = lore.asked_about(lore.with_threat_words(answering), topic)
        other = lore.who_knows(world, actor, about, besides=npc.id)
        if other is not None:
            lines.append(other)
            effects.append(lore.says(actor.room, tmpl.name, other))
    resting = actor.cls and world.room(actor.room).safe and actor.room not in world.fights
    if resting and lore.asks_for_lodging(tmpl, answering):
        # The room they give is the night's sleep ('sleep' is the long rest). Played:
        # the room read "Tansy sleeps by the fire." as she was given a bed.
        offered = f"takes the bed {esc(definite(tmpl.name))} offers, and sleeps"
        effects += _slept_together(world, actor, offered)
    met = f"met:{npc.id}"
    # Everyone here heard the greeting (it is said to the room): none of them is greeted
    # again when they speak to this NPC next. Who heard the answer keeps it (the
    # journal; not told it again first: played, a bystander's follow-up was answered
    # with what had just been said): everyone here in a room of at most ``KEPT_BY``,
    # else the asker and their group, so a question in a crowded tavern is not a change
    # (and a database write) for each of a thousand characters.
    greeted = bool(tmpl.greeting) and bool(lines) and lines[0] == lore.plain(tmpl.greeting)
    heard = [lore.told_mark(npc.id, tmpl.knows[i]) for i in told]
    if lines and lines[0] in {lore.plain(t) for t in tmpl.replies.values()}:
        heard.append(lore.replied_mark(npc.id))  # answered once, for all who heard it
    here = world.people_in(actor.room)
    if len(here) <= KEPT_BY:
        group = {c.key for c in here}
    else:
        group = {actor.key, *(c.key for c in party.present(world, actor.key))}
    hearers = here if greeted else [world.chars[k] for k in group]
    for char in [actor, *(c for c in hearers if c.key != actor.key)]:
        marks = [met] if greeted or char.key == actor.key else []
        if char.key == actor.key or char.key in group:
            marks += heard
        new = [m for m in dict.fromkeys(marks) if m not in char.revealed]
        if new:
            effects.append(CharUpdate(char.key, revealed=[*char.revealed, *new]))
    if tmpl.wander:
        # Spoken to, they stay to talk (played: Sister Aldith wandered off as the
        # second player put his question to her).
        effects.append(PartyUpdate("engaged", npc.id, ENGAGED_TURNS))
    facts = [f"{tmpl.name} answers {actor.name}: {line}" for line in lines]
    effects.append(
        AskNarration(
            actor.key,
            actor.room,
            "talk",
            "What news is there?" if news else said,
            Outcome("dialogue", 1, tuple(facts) or (f"{actor.name} speaks to {tmpl.name}.",)),
            Priority.MEDIUM,
            npc_persona=_persona(world, tmpl, actor),
            shown=tuple(lines),
            npc_manner=escort.manner(world, npc.id),
        )
    )
    return effects


# -- quests ------------------------------------------------------------------------------


def quest_events(
    world: World, char: Character, events: Sequence[tuple[str, str]]
) -> tuple[list[Effect], dict[str, int], int, int, list[str]]:
    """Advance ``char``'s quests for ``events`` (``("enter", room)``, ``("hold", item
    template)``, ``("defeat", npc)``, ``("check", room:feature)``).

    Returns (effects, new quest map, xp earned, gold earned, item templates earned).
    A quest is open once every quest it requires is done; its steps complete in order,
    and a step whose condition already holds (you already carry the item, you are
    already in the room, you defeated the NPC, found the feature or held the item before:
    ``deeds``) completes at once. In an open quest, a later step happening now (or the
    room of a later ``enter`` step stood in) completes it and every step before it. A
    step to bring someone home is met, too, by standing with them where they were
    brought already by others (``_home_already``); their story's later texts tell it so
    (``World.quest_text``), but not to the guide who brings them now (``escort`` among
    ``events``).
    """
    quests = dict(char.quests)
    held = {world.items[i].template for i in char.inventory if i in world.items}
    effects: list[Effect] = []
    xp = gold = 0
    items: list[str] = []
    happened = set(events)
    # Brought home by this very turn's walk: the story told is the guide's own, not a
    # latecomer's "home already" (``World.quest_text``).
    arriving = frozenset(target for kind, target in happened if kind == "escort")
    told_at: dict[str, int] = {}  # quest -> where in ``effects`` its step was told
    stale: set[int] = set()
    changed = True
    for _ in range(16):  # bounded: each pass completes at least one step or stops
        if not changed:
            break
        changed = False
        for quest in world.templates.quests.values():
            step = quests.get(quest.id, 0)
            if step < 0 or step >= len(quest.steps):
                continue
            if any(quests.get(r, 0) != -1 for r in quest.requires):
                if quest.id in quests or not _done_out_of_order(quest, char, happened):
                    continue
                # Every step of it a deed done, one of them now: the story caught up
                # (played: a party that had never opened The Lamplighter beat him and
                # walked Edda home, and Homecoming never came).
                step = len(quest.steps) - 1
            trig = quest.steps[step].trigger
            hit = (trig.kind, trig.target) in happened or (
                (trig.kind == "hold" and trig.target in held)
                # Done before the quest opened (the Warden killed before the locket was
                # picked up): a past defeat or find counts, or the quest could never end.
                or f"{trig.kind}:{trig.target}" in char.deeds
                or (trig.kind == "enter" and trig.target == char.room)
                or (trig.kind == "check" and _check_done(char, trig.target))
                or (trig.kind == "escort" and _home_already(world, char, trig.target))
            )
            if not hit and quest.id in quests:
                # A later step done first counts those before it as done: a party that
                # forced the cellar trapdoor and walked the tunnel needs no key from the
                # mill (played: the quest still sent them to the mill loft for it).
                ahead = [
                    later
                    for later in range(step + 1, len(quest.steps))
                    if (quest.steps[later].trigger.kind, quest.steps[later].trigger.target)
                    in happened
                    or (
                        quest.steps[later].trigger.kind == "enter"
                        and quest.steps[later].trigger.target == char.room
                    )
                ]
                if ahead:
                    step, hit = ahead[-1], True
            if not hit:
                continue
            changed = True
            if step == 0 and quest.id not in quests:
                effects += _new_quest(world, char.key, quest, arriving)
            if step + 1 >= len(quest.steps):
                quests[quest.id] = -1
                reward = quest.reward
                xp += reward.xp
                gold += reward.gold
                items += list(reward.items)
                effects.append(
                    Tell(
                        char.key,
                        Doc.text(
                            tag("good", f"Quest complete: {esc(quest.name)}!")
                            + _reward_text(
                                reward.xp,
                                reward.gold,
                                [
                                    world.templates.items[i].name
                                    for i in reward.items
                                    if i in world.templates.items
                                ],
                            )
                        ),
                    )
                )
                # The builder's ending, word for word, for the one who finished it; the
                # narration hears it too, so it tells that ending and not another.
                told_end = world.quest_ending(quest, char.key, arriving)
                ending = tuple(line for line in (lore.plain(told_end),) if line)
                effects += [Tell(char.key, Doc.text(esc(line))) for line in ending]
                facts = (f"{char.name} has done all {quest.name} asked.", *ending)
                # The last of the world's quests done, the tale is told: the narration
                # ends it (played: Homecoming, the campaign's last, closed on "The way
                # on is a little clearer now.").
                told = all(quests.get(q, 0) == -1 for q in world.templates.quests)
                if told:
                    facts = (*facts, "That was the last of it: the tale is told to its end.")
                effects.append(
                    AskNarration(
                        char.key,
                        char.room,
                        "milestone",
                        f"{char.name} completes {quest.name}",
                        Outcome("milestone", 2, facts, ended="story" if told else ""),
                        Priority.MEDIUM,
                        shown=(f"Quest complete: {quest.name}!", *ending),
                        together=f"complete {quest.name}",
                    )
                )
                # The story goes on at once: the quests this one opens are told now,
                # with their first step, not when that step happens to be done (a
                # player finishing The Missing Cartographer heard nothing of what next).
                for opened in world.templates.quests.values():
                    if opened.id in quests or quest.id not in opened.requires:
                        continue
                    if all(quests.get(r, 0) == -1 for r in opened.requires):
                        quests[opened.id] = 0
                        effects += _new_quest(world, char.key, opened, arriving)
                        told_at[opened.id] = len(effects)
                        effects.append(_next_step(world, char.key, opened, 0, arriving))
            else:
                quests[quest.id] = step + 1
                if quest.id in told_at:
                    # Done as it was told, in this same turn: only the step that stands
                    # is told (played: "Defeat the Drowned Warden ...", the Warden dead
                    # already, then at once "Unlock the iron door ...").
                    stale.add(told_at[quest.id])
                told_at[quest.id] = len(effects)
                effects.append(_next_step(world, char.key, quest, step + 1, arriving))
    effects = [e for i, e in enumerate(effects) if i not in stale]
    return effects, quests, xp, gold, items


#: Quest steps a deed meets, remembered in ``Character.deeds`` ("escort:<npc>").
_DEED_STEPS = frozenset({"defeat", "check", "escort", "hold"})


def _done_out_of_order(
    quest: QuestTemplate, char: Character, happened: set[tuple[str, str]]
) -> bool:
    """Whether every step of ``quest``, not yet open for ``char``, is a deed ``char`` has
    done (``deeds``, or ``happened`` now), one of them now: such a quest is done when
    its last deed is, whatever the story's order. A quest with a step of a room to
    enter waits for its turn."""
    steps = [(s.trigger.kind, s.trigger.target) for s in quest.steps]
    if not steps or any(kind not in _DEED_STEPS for kind, _ in steps):
        return False
    done = {step for step in steps if step in happened or f"{step[0]}:{step[1]}" in char.deeds}
    return len(done) == len(set(steps)) and any(step in happened for step in steps)


def _new_quest(
    world: World, who: str, quest: QuestTemplate, arriving: Collection[str]
) -> list[Effect]:
    """Tell ``who`` that ``quest`` begins ("New quest: <name>") and what it is about, as
    they read it now (``World.quest_text``; ``arriving``: NPCs brought home this turn)."""
    effects: list[Effect] = [Tell(who, Doc.text(tag("title", f"New quest: {esc(quest.name)}")))]
    if about := lore.plain(world.quest_text(quest, who, arriving)):
        effects.append(Tell(who, Doc.text(esc(about))))
    return effects


def _next_step(
    world: World, who: str, quest: QuestTemplate, step: int, arriving: Collection[str]
) -> Tell:
    """Tell ``who`` what ``quest`` asks now: its step ``step`` ("Quest '<name>': ..."), as
    they read it now (``World.step_text``; ``arriving`` as ``_new_quest`` has it)."""
    text = world.step_text(quest.steps[step], who, arriving)
    return Tell(who, Doc.text(tag("good", f"Quest '{esc(quest.name)}': ") + esc(text)))


def _home_already(world: World, char: Character, npc_id: str) -> bool:
    """Whether the NPC ``npc_id``, whom a step asks ``char`` to bring home, stands alive
    where their escort brings them (``Escort.to``: another party brought them) and
    ``char`` stands there with them: what the step asked is so. Played (round 62): a
    newcomer who reached the top of the ice stair after Pell was home was asked to bring
    him home, and could not until the High Stair reset."""
    npc = world.npcs.get(npc_id)
    tmpl = world.templates.npcs.get(npc_id)
    escort = tmpl.escort if tmpl is not None else None
    return (
        npc is not None and npc.alive and escort is not None and npc.room == escort.to == char.room
    )


def _check_done(char: Character, feature_id: str) -> bool:
    """A check step is met by ``char``'s own find of a ``shared: false`` feature (their
    deeds, which ``quest_events`` reads first, hold their finds and their group's). Another
    party's find of a shared feature does not count: a newcomer whose step asks for it
    goes and searches it (``action`` then counts it without a roll), or the story's clue
    would be skipped (found playing: Wren finished *The Missing Cartographer* by taking
    the map, because Ione had lifted the hearthstone an hour before)."""
    return f"used:{feature_id}" in char.revealed


def left_off(world: World, actor: Character, wall: float) -> Doc | None:
    """Where ``actor``, logging in again, left their quests: for each begun and not
    done, its name and its next step as the quest log tells it (``lore.step_text``, at
    wall time ``wall``), or None when none is under way. Called by the hub after the
    room's view on a login that is not a character's first, and on taking a character
    back (a dropped link, another connection). Played, round 59: Pell, back after
    quitting, saw the room and nothing of the hearth the quest had sent him to. Pure."""
    told = [
        Para(
            f"{styled('system', 'Where you left off:')} {tag('item', esc(quest.name))}. "
            + esc(lore.step_text(world, quest.steps[step], wall, actor))
        )
        for quest in world.templates.quests.values()
        if 0 <= (step := actor.quests.get(quest.id, -1)) < len(quest.steps)
    ]
    return Doc(tuple(told)) if told else None


def cmd_quests(world: World, actor: Character, intent: Intent, ctx: Ctx) -> list[Effect]:
    """quests   (also: journal, recap)

    Your quests: what is done and what to do next, and which way it lies when it is
    somewhere else; then what the people of the world have told you.
    """
    rows = []
    for quest in world.templates.quests.values():
        step = actor.quests.get(quest.id, 0)
        if step == -1:
            rows.append((tag("good", esc(quest.name)), "done"))
        elif all(actor.quests.get(r, 0) == -1 for r in quest.requires):
            hint = (
                lore.step_text(world, quest.steps[step], ctx.wall, actor)
                if step < len(quest.steps)
                else ""
            )
            if quest.id not in actor.quests:
                # Open to them but not begun: it is announced as new when it begins
                # (played: "New quest: The Missing Cartographer" for the quest the log
                # had shown since the first night).
                hint = f"Not begun yet. {hint}".strip()
            rows.append((tag("item", esc(quest.name)), esc(hint)))
    told = tuple(
        (
            tag("npc", esc(name)),
            esc(fact) + (tag("dim", esc(f" (told before you finished {past})")) if past else ""),
        )
        for name, fact, past in lore.heard_when(world, actor)
    )
    if not rows and not told:
        return _say(actor.key, "You have no quests yet. Talk to people; explore.")
    blocks: list[Block] = []
    if rows:
        blocks.append(Table(tuple(rows), header=("Quest", "Next")))
    else:
        blocks.append(Para("You have no quests yet."))
    if told:
        # Played: what Bessa said of Edda scrolled away, and the question was asked again.
        blocks.append(Table(told, header=("Heard from", "What they told you")))
    return [Tell(actor.key, Doc(tuple(blocks)))]


# -- fights -----------------------------------------------------------------------------


#: How a blow is struck, closing its words: "hard", "again", "with all my might"; or
#: all of them ("attack again").
HOW_HARD = re.compile(
    # "slashes low" (played at the Lamplighter, round 47: a pose, and no blow).
    r"(?:(?:^|\s+)(?:hard|harder|again|now|quick|quickly|fast|low|lower|high|wildly|fiercely"
    r"|once\s+more|as\s+hard\s+as\s+i\s+can"
    r"|with\s+all\s+(?:my|i'?ve\s+got)(?:\s+(?:might|strength))?))+\W*$",
    re.I,
)


#: Where on a foe a blow lands, after whom: "punch it in the face", "hit him on the head"
#: (a part of a body: "bring the mace down on the warden" names the foe).
BODY_PART = (
    r"(?:eyes?|throat|neck|head|face|nose|heart|legs?|knees?|arms?|belly|gut|side|back"
    r"|chest|ribs|jaw|hands?|feet|foot|skull|spine|shoulders?"
    # Or where its guard is thin: "stab it in the gap" (played at the Warden: refused).
    r"|gap|gaps|joints?|seams?|chink|weak\s+spot|armou?r|helm|visor)"
)
#: What a blow is struck with, after the foe or alone: "smash crake with my mace", "with
#: the spear", "using my sword" (``cmd_attack``, and ``commands`` for blows in words).
WITH_WHAT = re.compile(r"(?:^|\s+)(?:with|using)\s+\S.*$", re.I)
WHERE_IT_LANDS = re.compile(
    rf"\s+(?:in|on|across)\s+(?:the|its|his|her|their)\s+{BODY_PART}\s*[.!]*$", re.I
)


def cmd_attack(world: World, actor: Character, intent: Intent, ctx: Ctx) -> list[Effect]:
    """attack <foe>   (also: kill, k)

    Attack someone here. Starts a fight (everyone rolls initiative) or, in a fight,
    attacks on your turn: d20 + your attack bonus against their armour class.
    """
    if (bad := _needs_sheet(actor)) is not None:
        return bad
    if actor.down or actor.hp <= 0:
        return _err(actor.key, "You are in no state to fight.")
    held = actor.equipment.get("weapon", "")
    manner = blow_manner(
        actor, intent.raw, weapon=world.item_template(held).name if held in world.items else ""
    )
    # "hit it hard", "attack the rat again" (played: "You see no 'it hard' here.");
    # "charge with the spear", "attack it with my sword" (played: refused in a fight).
    args = WITH_WHAT.sub("", HOW_HARD.sub("", WHERE_IT_LANDS.sub("", intent.args)))
    # A cry's marks name no one: "kill it!!" (played: "You see no 'it!!' here."). A
    # question is no blow: 'commands' says it ("kill it?", asked of a companion).
    intent = evolve(intent, args=args.strip().rstrip("!.").strip() or args)
    rng = ctx.rng
    now = ctx.now
    current = world.fights.get(actor.room)
    if current is None:
        if not intent.args.strip():
            return _err(actor.key, "Attack whom? Name someone here.")
        meant = _foe_meant(world, actor, intent.args)
        if meant.lower() in ALL_FOES:
            return _err(actor.key, "There is no foe here to fight.")
        found = search.find(search.npcs(world, actor.room), meant)
        if found.thing is None:
            return _err(actor.key, _a_player(world, actor, intent.args) or found.error)
        npc = world.npcs[found.thing.ref]
        if world.templates.npcs[npc.id].stats is None:
            return _err(
                actor.key, f"{world.templates.npcs[npc.id].name} is not someone you can fight."
            )
        if world.room(actor.room).safe:
            return _err(actor.key, "Not here: this is a place of peace.")
        started, effects = fight.begin(
            world,
            actor.room,
            rng,
            now=now,
            turn_time=TURN_TIME,
            target=npc.id,
            quiet=actor.key,
            unseen=actor.key if actor.hidden else "",
            started_by=actor.key,
        )
        if started is None:
            return (
                effects + [SetFight(actor.room, None)]
                if effects
                else _err(actor.key, "There is no one to fight.")
            )
        if started.order.current == f"p:{actor.key}":
            return effects + _blow(world, started, actor, intent.args, manner, ctx)
        return effects
    if not current.has(f"p:{actor.key}"):
        joined, effects = fight.join(world, current, actor.key, rng, unseen=bool(actor.hidden))
        return effects + [SetFight(actor.room, joined)]
    return _blow(world, current, actor, intent.args, manner, ctx)


#: Words for the foe that name no one ("kill it!!").
#: Words for the foe here that name no one ("kill it!!", "is he dangerous?"): read by
#: ``_foe_meant`` and by ``commands`` (a blow closing a line, a danger asked).
FOE_PRONOUNS = frozenset(
    {"it", "he", "she", "they", "him", "her", "them", "that", "this", "that thing", "the thing"}
)


#: Every foe here, as "attack" is told it: "kill all", "attack them all".
ALL_FOES = frozenset(
    {"all", "everything", "them all", "all of them", "the lot", "everyone", "everybody"}
)


def _foe_meant(world: World, actor: Character, words: str) -> str:
    """Whom ``words`` after 'attack' name, for the search of those here: the one foe
    here (hostile, with stats) for "it", "him" and the like, its name; ``words``
    otherwise. Played (round 57): "kill it!!" beside the bog rat, after a
    restart had ended the fight, read "You see no 'it!!' here." Pure."""
    meant = words.strip()
    if meant.lower() not in FOE_PRONOUNS and meant.lower() not in ALL_FOES:
        return meant
    foes = [
        tmpl
        for npc in world.npcs_in(actor.room)
        if (tmpl := world.templates.npcs[npc.id]).hostile and tmpl.stats is not None
    ]
    if meant.lower() in ALL_FOES:
        # "kill all" (tried as one come to fight: "You see no 'all' here."): the fight
        # with every foe here begins at the first of them.
        return foes[0].name if foes else meant
    return foes[0].name if len(foes) == 1 else meant


def _blow(
    world: World,
    fighting: fight.Fight,
    actor: Character,
    at: str,
    manner: tuple[str, str, str] | tuple[()],
    ctx: Ctx,
) -> list[Effect]:
    """``actor``'s attack at ``at`` on their turn in ``fighting`` (``fight.act``), told
    in their words when they gave some (``manner``). Called by ``cmd_attack``."""
    _nxt, effects = fight.act(
        world,
        fighting,
        actor.key,
        "attack",
        at,
        ctx.rng,
        now=ctx.now,
        turn_time=TURN_TIME,
        manner=manner,
    )
    return effects


#: The longest blow in a player's own words told back by the narrator.
_MANNER_MAX = 80
#: A second deed of a blow told in words: "and" and a verb of a fight's moves (a noun
#: may follow "and" too: "my sword and shield").
_FIGHT_MOVES = frozenset(
    """drive bring plunge sink bury ram thrust hack stab cut slash kick punch smash bash
    strike hit jab swing sweep whirl spin duck dodge roll step leap lunge feint twist
    raise lift aim slam shove charge follow finish pull drag push hurl throw club crush
    chop slice skewer impale stomp tackle bite grab catch circle dart sidestep weave rush
    press advance wheel draw edge dash splash fling toss pour smear flick uncork
    open hold crack whack smack thump clout batter pummel beat clobber wallop gouge pierce
    bludgeon cleave hew""".split()  # noqa: SIM905
)
# "and", "then", ", then": "melt into the shadows, then slip behind it" (played: "Cole
# melts into the shadows, then slip behind it").
_AND_VERB = re.compile(r"(?: and| then|,\s*then|, and)\s+([a-z]+)\b", re.I)
#: Ways of moving about a foe, told as a blow's manner: "slip behind it", "melt away".
_MOVES_ABOUT = frozenset({"slip", "melt", "slide", "creep", "sneak", "crouch", "drop", "roll"})
#: The attack command's own words ('attack', its aliases, and "fight"): no manner.
_ATTACK_WORDS = frozenset({"attack", "kill", "k", "hit", "fight", "backstab", "a", "att", "atk"})


def blow_manner(
    actor: Character, line: str, *, weapon: str = ""
) -> tuple[str, str, str] | tuple[()]:
    """A blow ``line`` put in the player's own words, in the first person as the parser
    makes a pose ("swing my sword at the eel-catcher's head" of "*swings his sword at
    the eel-catcher's head*"), as ``actor`` reads it after "You", as the room reads it
    after their name, and as the room reads it after "tries to" (``Beat.manner``); ()
    for a line that is the command ('attack rat', 'kill it'), too long, or has words
    the narrator's templates cannot carry. ``weapon``, the name of the one wielded, is
    what "it" brought down is ("bring it down on the Lamplighter", the mace raised in
    the pose before: played, "You try to bring it down on the Lamplighter, and miss.").
    Called by ``attack``. Pure."""
    if line.isupper():
        # "CHOP IT" (played: "You try to chop IT, and miss."): shouted, told plainly.
        line = line.lower()
    if weapon:
        line = _IT_STRUCK.sub(lambda m: m.group(0).replace(" it ", f" my {weapon} ", 1), line)
    words = line.strip().strip("*").strip().rstrip(".!").split()
    if len(words) < 2 or len(" ".join(words)) > _MANNER_MAX:
        return ()
    if words[0].lower() in _ATTACK_WORDS:
        return ()
    text = " ".join(words)
    if not re.fullmatch(r"[A-Za-z][A-Za-z' ,-]*", text):
        return ()  # braces, quotes, marks: not carried into the story's words
    verb, rest = words[0].lower(), " ".join(words[1:])
    yours = f"{verb} {own_words(rest, by_actor=True)}"
    seen = own_words(rest, by_actor=False, actor=actor)
    # "raise my sword and drive it at its chest": each deed's verb agrees (played: "Dov
    # raises their sword and drive it at the warden's chest").
    agreed = _AND_VERB.sub(
        lambda m: (
            f"{m.group(0)[: m.start(1) - m.start(0)]}{phrasing.third_person(m.group(1))}"
            if m.group(1).lower() in _FIGHT_MOVES | _MOVES_ABOUT
            else m.group(0)
        ),
        # A space before: "roar and bring the axe down" (played, round 63: "Ode roars
        # and bring the ice axe down"), the "and" its words' first.
        f" {seen}",
    )[1:]
    return (yours, f"{phrasing.third_person(verb)} {agreed}", f"{verb} {seen}")


def hit_chance(attack_bonus: int, ac: int) -> float:
    """The chance that d20 + ``attack_bonus`` reaches ``ac``, as the fight rules roll it:
    a natural 20 always hits and a natural 1 always misses."""
    faces = sum(1 for face in range(2, 20) if face + attack_bonus >= ac) + 1
    return faces / 20


#: The middle of a dice expression's range (``dice.average``), as ``consider`` reads it.
average = dice.average


def _a_player(world: World, actor: Character, words: str) -> str:
    """Why ``words`` cannot be fought when they name a player beside ``actor`` ("kill
    tamsin" said "You see no 'tamsin' here." with Tamsin in the room); "" otherwise."""
    found = search.find(search.people(world, actor.room, besides=actor.key), words).thing
    if found is None:
        return ""
    return f"{found.name} is a fellow traveller: players do not fight one another here."


def cmd_consider(world: World, actor: Character, intent: Intent, ctx: Ctx) -> list[Effect]:
    """consider <npc>   (also: con, diagnose, diag)

    How dangerous someone here would be to fight, from the rules' own numbers: how often
    and how hard each of you hits, and how many rounds each would need.
    """
    if (bad := _needs_sheet(actor)) is not None:
        return bad
    words = intent.args.strip()
    if words.lower().rstrip(".!?") in ("me", "self", "myself"):
        # "diagnose me", as other MUDs have it (found in review: "You see no 'me' here.").
        return _say(actor.key, _sheet_number(world, actor, "hp", None))
    if not words:
        # "diag" alone: the one foe here, or the first standing in the fight (found in
        # review: "Consider whom?" in the middle of a fight with one foe).
        words = _foe_meant(world, actor, "it")
        current = world.fights.get(actor.room)
        standing = current.standing("enemies") if current is not None else []
        if standing:
            words = standing[0].name
        if words == "it":
            return _err(actor.key, "Consider whom? Name someone here.")
    found = search.find(search.npcs(world, actor.room), words)
    if found.thing is None:
        return _err(actor.key, _a_player(world, actor, intent.args) or found.error)
    npc = world.npcs[found.thing.ref]
    tmpl = world.templates.npcs[npc.id]
    name = start(definite(tmpl.name))
    if tmpl.stats is None:
        return _say(actor.key, esc(f"{name} is not someone you could fight."))
    stats = tmpl.stats
    mine = hit_chance(attack_bonus(world, actor), stats.ac)
    my_blow = average(damage_dice(world, actor))
    theirs = hit_chance(stats.attack_bonus, armour_class(world, actor))
    their_blow = average(stats.damage)
    # Expected rounds: hit points over the expected damage a round (at least one).
    need = max(1, math.ceil(npc.hp / max(0.01, mine * my_blow)))
    last = max(1, math.ceil(max(1, actor.hp) / max(0.01, theirs * their_blow)))
    ratio = need / last
    # With one's group here the fight is the group's (played, round 57: "can we take
    # it?" of the Unlit Abbot beside two companions was told "a deadly fight: walk away"
    # from the asker's blows alone): all their blows a round, and all their hit points
    # against its one blow a round.
    # A person is named ("You hit Crake ..."); a beast or a thing is "it".
    them, they = (tmpl.name, tmpl.name) if is_proper(tmpl.name) else ("it", "It")
    mates = [c for c in party.present(world, actor.key) if c.cls and not c.down]
    together = ""
    if mates:
        side = [actor, *mates]
        dealt = sum(
            hit_chance(attack_bonus(world, c), stats.ac) * average(damage_dice(world, c))
            for c in side
        )
        taken = sum(
            hit_chance(stats.attack_bonus, armour_class(world, c)) * their_blow for c in side
        ) / len(side)
        group_need = max(1, math.ceil(npc.hp / max(0.01, dealt)))
        group_last = max(1, math.ceil(sum(max(1, c.hp) for c in side) / max(0.01, taken)))
        ratio = group_need / group_last
        together = (
            f"Together, the {_COUNTED.get(len(side), str(len(side)))} of you: about"
            f" {group_need} round{'s' if group_need != 1 else ''} to win; about"
            f" {group_last} for {them} to fell you all."
        )
    verdict = (
        "an easy fight"
        if ratio <= 0.34
        else "a fair fight, in your favour"
        if ratio <= 0.8
        else "a close fight"
        if ratio <= 1.25
        else "a dangerous fight"
        if ratio <= 2.5
        else "a deadly fight: walk away"
    )
    lines = [
        f"{name}: {verdict}.",
        f"You hit {them} {round(mine * 100)}% of the time for about {my_blow:g} "
        f"({them} has {npc.hp} HP): about {need} round{'s' if need != 1 else ''} to win.",
        f"{they} hits you {round(theirs * 100)}% of the time for about {their_blow:g} "
        f"(you have {actor.hp} HP): about {last} round{'s' if last != 1 else ''} to fell you.",
    ]
    if together:
        lines.append(together)
    style = "good" if ratio <= 0.8 else "warn" if ratio <= 1.25 else "bad"
    return [
        Tell(
            actor.key,
            Doc((Para(tag(style, esc(lines[0]))), *(Para(esc(line)) for line in lines[1:]))),
        )
    ]


#: How many of a side, in words: "the three of you".
_COUNTED = {2: "two", 3: "three", 4: "four", 5: "five", 6: "six"}


def carried_openly(world: World, char: Character) -> str:
    """What ``char`` wields and wears, as a sentence ("Bob wields a shortsword and
    wears a leather jerkin."), or "" when nothing."""
    parts = []
    for slot, verb in (("weapon", "wields"), ("armour", "wears"), ("shield", "carries")):
        item = char.equipment.get(slot)
        if item is not None and item in world.items:
            parts.append(f"{verb} {indefinite(world.item_template(item).name)}")
    if not parts:
        return ""
    listed = ", ".join(parts[:-1]) + (" and " if len(parts) > 1 else "") + parts[-1]
    return f"{char.name} {listed}."


#: The longest line said, or passed on to the DM as a deed (``commands`` uses it too).
MAX_SAY = 500


def cmd_defend(world: World, actor: Character, intent: Intent, ctx: Ctx) -> list[Effect]:
    """defend   (also: parry, block, dodge)

    In a fight: spend your turn guarding (+2 AC until your next turn). Out of one,
    'block the door' and the like are actions for the Dungeon Master.
    """
    current = world.fights.get(actor.room)
    if current is None or not current.has(f"p:{actor.key}"):
        if intent.args.strip():
            return action(world, actor, intent.raw.strip()[:MAX_SAY], ctx)
        return _err(actor.key, "You are not in a fight.")
    rng = ctx.rng
    _nxt, effects = fight.act(
        world, current, actor.key, "defend", "", rng, now=ctx.now, turn_time=TURN_TIME
    )
    return effects


def cmd_flee(world: World, actor: Character, intent: Intent, ctx: Ctx) -> list[Effect]:
    """flee [direction]

    In a fight: try to escape (d20 + DEX against 10). On your turn only.
    """
    current = world.fights.get(actor.room)
    if current is None or not current.has(f"p:{actor.key}"):
        return _err(actor.key, "You are not in a fight.")
    rng = ctx.rng
    _nxt, effects = fight.act(
        world, current, actor.key, "flee", intent.args, rng, now=ctx.now, turn_time=TURN_TIME
    )
    return effects


def aggression(world: World, key: str, room: str, ctx: Ctx) -> list[Effect]:
    """Hostile, aggressive NPCs attack a player who walks in (or join the fight there).
    One who sneaks in unseen is attacked only by an NPC that sees them
    (``stealth.seen_by_npc``), and joins no fight."""
    char = world.chars.get(key)
    if char is None or not char.cls or char.down or world.room(room).safe:
        return []
    current = world.fights.get(room)
    if current is not None:
        if char.hidden:
            return []
        joined, joining = fight.join(world, current, key, ctx.rng)
        return joining + [SetFight(room, joined)]
    angry = [
        n
        for n in world.npcs_in(room)
        if world.templates.npcs[n.id].aggressive
        and world.templates.npcs[n.id].stats
        and stealth.seen_by_npc(world, n.id, char)
    ]
    if angry and char.hidden:
        # Found: in plain sight first, then arrived again, so the fight takes them in.
        return [*stealth.spotted(world, angry[0].id, [char]), Arrived(key, room)]
    return attacks(world, angry[0].id, room, ctx) if angry else []


def welcome(world: World, key: str, room: str) -> list[Effect]:
    """The first word of the people of ``room`` to a character who walks in (or logs in)
    having never met them: the first NPC there with a ``greeting``, not a foe, who sees
    them (``stealth.seen_by_npc``), says it to them and to each of their group there who
    has not met them (once each: the Arrived of the next of the group finds them met;
    the others in the room are not told it again as a crowd gathers), and those have
    met them (``met:<npc>``: ``talk`` does not greet again). [] in a fight, for a
    character still choosing a class, and when all are met. Called by the engine's
    follow-up to ``Arrived`` (``reactions``) when no foe attacks. Played: two new
    players stood beside the innkeeper, and she said nothing until spoken to by name."""
    char = world.chars.get(key)
    if char is None or not char.cls or char.down or room in world.fights:
        return []
    for npc in world.npcs_in(room):
        tmpl = world.templates.npcs[npc.id]
        met = f"met:{npc.id}"
        if not tmpl.greeting or tmpl.hostile or met in char.revealed:
            continue
        if not escort.at_home(world, npc.id):
            continue  # Edda's "You came for me?" is for the bell chamber, not the tavern
        if not stealth.seen_by_npc(world, npc.id, char):
            continue
        effects: list[Effect] = []
        words = lore.plain(tmpl.greeting)
        # The one who walked in and their group there: the others in the room saw them
        # come, and a crowd's scan per arrival would cost a busy tavern dear.
        for other in (char, *party.present(world, key)):
            if other.cls and met not in other.revealed:
                effects.append(lore.says_to(other.key, tmpl.name, words))
                effects.append(CharUpdate(other.key, revealed=[*other.revealed, met]))
        return effects
    return []


def attacks(world: World, npc_id: str, room: str, ctx: Ctx, *, caught: str = "") -> list[Effect]:
    """NPC ``npc_id`` attacks in ``room``: "The bog rat attacks!" and the fight it
    begins; [] when none can begin there. ``caught``: the key of a hidden player it has
    just caught (a thief's hand in its purse), who is in the fight though the world
    still has them hidden."""
    foe = start(definite(world.templates.npcs[npc_id].name))
    effects: list[Effect] = [ToRoom(room, Doc.text(tag("bad", f"{esc(foe)} attacks!")))]
    started, more = fight.begin(
        world, room, ctx.rng, now=ctx.now, turn_time=TURN_TIME, target=npc_id, caught=caught
    )
    return effects + more if started is not None or more else []


def npc_aggression(world: World, npc_id: str, room: str, ctx: Ctx) -> list[Effect]:
    """An aggressive NPC that has wandered into ``room`` attacks the players there: a
    fight begins if one of them is awake (not link-dead, not still logging in), has a
    class and is standing, and the room is not safe and has no fight already. Played:
    the drowned eel-catcher wandered in beside two players at the landing and stood
    there. Called by ``reactions.follow_ups`` for its ``NpcArrived``."""
    tmpl = world.templates.npcs.get(npc_id)
    npc = world.npcs.get(npc_id)
    if (
        tmpl is None
        or npc is None
        or not npc.alive
        or npc.room != room
        or not (tmpl.aggressive and tmpl.stats)
        or world.room(room).safe
        or room in world.fights
    ):
        return []
    awake = [c for c in world.people_in(room) if stealth.awake(world, c)]
    seen = [c for c in awake if stealth.seen_by_npc(world, npc_id, c)]
    found = [c for c in seen if c.hidden]
    if found:
        # Those it finds are in plain sight first, and then it attacks (arrived again).
        return [*stealth.spotted(world, npc_id, found), NpcArrived(npc_id, room)]
    return attacks(world, npc_id, room, ctx) if seen else []


def fight_timeouts_in(world: World, room: str, now: float, rng: Rng) -> list[Effect]:
    """The player whose turn deadline passed in ``room`` defends automatically (called
    on the hub's tick, one room at a time so each is its own recorded event)."""
    effects: list[Effect] = []
    current = world.fights.get(room)
    if (
        current is not None
        and current.deadline
        and now >= current.deadline
        and current.order.current.startswith("p:")
    ):
        key = current.order.current.split(":", 1)[1]
        effects.append(Tell(key, Doc.text(styled("warn", "Too slow! You defend."))))
        _nxt, more = fight.timeout(world, current, rng, now=now, turn_time=TURN_TIME)
        effects += more
    return effects


__all__ = [
    "TURN_TIME",
    "action",
    "aggression",
    "fight_timeouts_in",
    "npc_aggression",
    "one_drink",
    "quest_events",
    "talk_to",
    "use_item",
    "voices",
]
