"""Rules through ``call()`` (tests/call.py): one command line, scripted dice, what each
viewer sees. No hub, no database, no loop waiting for a lucky d20: each test says which
die falls."""

from __future__ import annotations

import re

import pytest
from call import Called, call, carry_out, rules_ctx
from enginerig import EngineRig, narration_asks

from mud.core.narration import Priority
from mud.engine import escort, game
from mud.engine.effects import (
    Arrived,
    AskNarration,
    CharUpdate,
    Gain,
    NpcUpdate,
    QuestEvents,
    Rolled,
    SetFight,
    SpawnItem,
)
from mud.engine.state import Character

H = "hollowmere:"


def _floor(rig: EngineRig, room: str) -> list[str]:
    return [rig.world.items[i].template for i in rig.world.items_in_room(H + room)]


def test_search_reveals_a_secret_item_and_advances_the_quest() -> None:
    rig = EngineRig()
    rig.player("alice", "common_room", kit=True)
    rig.player("bob", "common_room", kit=True)
    out = call(rig.world, "alice", "I search the hearthstone", dice=[15])
    assert "WIS check 15 vs DC 10: success" in out.text("alice")
    assert "is uncovered" in out.text("alice")
    assert "is uncovered" in out.text("bob")  # the room sees the find
    world = rig.world
    assert H + "common_room:hearthstone" in world.features_used
    assert H + "oilcloth_packet" in _floor(rig, "common_room")
    # The find is a deed the quests remember, whether or not the quest is open yet.
    assert f"check:{H}common_room:hearthstone" in world.chars["alice"].deeds
    # Used up: searching again is just an action, with no second find.
    again = call(world, "alice", "I search the hearthstone", dice=[20])
    assert "You search the hearthstone." in again.lines("alice")
    assert "is uncovered" not in again.text("alice")
    assert _floor(rig, "common_room").count(H + "oilcloth_packet") == 1


def test_a_search_finds_the_hidden_thing_only_where_it_looks() -> None:
    rig = EngineRig()
    rig.player("alice", "common_room", kit=True)
    # The bar is in the room's description: searching it is not searching the hearth.
    bar = call(rig.world, "alice", "search the bar", dice=[20])
    assert "DC 10" not in bar.text("alice") and "is uncovered" not in bar.text("alice")
    assert H + "common_room:hearthstone" not in rig.world.features_used
    # Nor is searching one's own pack.
    pack = call(rig.world, "alice", "I carefully search my pack", dice=[20])
    assert "DC 10" not in pack.text("alice") and "is uncovered" not in pack.text("alice")
    # Nor is doing a thing to a thing of the world that is not here (played as
    # "*raises the mug* cheers!", with no mug: the hearthstone's packet was found).
    for line in ("lift the mug", "*raises the mug*"):
        mug = call(rig.world, "alice", line, dice=[20])
        assert "DC 10" not in mug.text("alice") and "is uncovered" not in mug.text("alice")
    # What is looked for may be the find itself.
    notes = call(rig.world, "alice", "search for her notes", dice=[2])
    assert "WIS check 2 vs DC 10: failure" in notes.text("alice"), notes.text("alice")
    # A search of the whole room, however it is put, may find it.
    room = call(rig.world, "alice", "search around the room carefully", dice=[15])
    assert "WIS check 15 vs DC 10: success" in room.text("alice")
    assert "is uncovered" in room.text("alice")


def test_a_failed_search_finds_nothing_and_may_be_tried_again() -> None:
    rig = EngineRig()
    rig.player("alice", "common_room", kit=True)
    out = call(rig.world, "alice", "I search the hearthstone", dice=[2])
    assert "WIS check 2 vs DC 10: failure" in out.text("alice")
    assert "is uncovered" not in out.text("alice")
    assert H + "oilcloth_packet" not in _floor(rig, "common_room")
    assert "is uncovered" in call(rig.world, "alice", "I search the hearthstone", [15]).text(
        "alice"
    )


def test_hidden_exit_works_only_once_found() -> None:
    rig = EngineRig()
    rig.player("alice", "chapel", kit=True)
    assert "You cannot go down" in call(rig.world, "alice", "down").text("alice")
    found = call(rig.world, "alice", "I search the flagstones", dice=[20])
    assert "A way down is revealed" in found.text("alice")
    assert "down" in call(rig.world, "alice", "exits").text("alice")
    went = call(rig.world, "alice", "down")
    assert "Exits:" in went.text("alice")
    assert rig.world.chars["alice"].room != H + "chapel"


def test_finding_a_secret_completes_a_check_step_of_a_quest() -> None:
    rig = EngineRig()
    char = rig.player("alice", "common_room", kit=True)
    char.quests[H + "missing_cartographer"] = 2  # the last step: find what the hearth hides
    xp, gold = char.xp, char.gold
    out = call(rig.world, "alice", "I search the hearthstone", dice=[20])
    lines = out.lines("alice")
    # The quest it opens is told at once, with its first step (it used to wait, unheard
    # of, until the player happened on the mill's loft).
    assert lines[-5].startswith("Quest complete: The Missing Cartographer")
    # The builder's ending, word for word, and the narration hears it too.
    assert lines[-4].startswith("Edda did not wander off.")
    (milestone,) = [a for a in out.of(AskNarration) if a.kind == "milestone"]
    ending = " ".join(lines[-4].split())  # as read: wrapped to the screen
    assert ending in milestone.shown and ending in milestone.outcome.facts
    assert lines[-3] == "New quest: Under the Town"
    assert lines[-2].startswith("Edda's notes say the smugglers know the way under the town")
    assert lines[-1].startswith("Quest 'Under the Town': Find the smugglers' hideout")
    assert char.quests[H + "missing_cartographer"] == -1
    assert char.quests[H + "under_the_town"] == 0
    # The reward is paid by the follow-up rules, once, without a second "+N XP" line.
    assert char.xp == xp + 100 and char.gold == gold + 5
    assert not any(line.startswith("+") for line in lines)
    assert out.of(Gain) == [Gain("alice", 100, 5, announce=False)]


def test_a_quest_opened_where_its_first_step_is_met_is_told_once() -> None:
    """Finishing a quest opens the next at once; when its first step already holds
    (Alice stands in the mill's loft), it is done on the spot and "New quest" is said
    once, then the step after."""
    rig = EngineRig()
    alice = rig.player("alice", "mill_loft", kit=True)
    alice.quests = {H + "missing_cartographer": 2}
    effects, quests, xp, _gold, _items = game.quest_events(
        rig.world, alice, [("check", H + "common_room:hearthstone")]
    )
    text = carry_out(rig.world, effects, rules_ctx()).text("alice")
    assert text.count("New quest: Under the Town") == 1
    assert "Quest 'Under the Town': Unlock the trapdoor in the tavern cellar" in text
    assert quests[H + "under_the_town"] == 1 and xp == 100


def test_walking_into_a_quest_room_starts_the_quest() -> None:
    rig = EngineRig()
    char = rig.player("alice", "loft_landing", kit=True)
    out = call(rig.world, "alice", "east")
    assert char.room == H + "guest_room", out.text("alice")
    assert char.quests.get(H + "missing_cartographer") == 1
    assert "Cartographer" in out.text("alice")
    # The move's follow-ups, in the order the hub carries them out: the quest, the
    # scene of a room no one was in, then whoever there reacts to the newcomer.
    kinds = [type(e) for e in out.effects]
    assert kinds.index(QuestEvents) < kinds.index(AskNarration) < kinds.index(Arrived)
    scene = out.of(AskNarration)[0]
    assert scene.kind == "scene" and scene.priority is Priority.LOW and scene.cacheable


def test_a_room_someone_is_in_sets_no_new_scene() -> None:
    rig = EngineRig()
    rig.player("alice", "loft_landing", kit=True)
    rig.player("bob", "guest_room", kit=True)
    out = call(rig.world, "alice", "east")
    assert not [
        e for e in out.of(AskNarration) if isinstance(e, AskNarration) and e.kind == "scene"
    ]
    assert "Alice" in out.text("bob")  # Bob sees her arrive


def test_an_aggressive_npc_attacks_who_walks_in() -> None:
    rig = EngineRig()
    rig.player("alice", "eel_landing", kit=True)
    out = call(rig.world, "alice", "down")
    assert rig.world.chars["alice"].room == H + "smugglers_tunnel"
    assert "The bog rat attacks!" in out.text("alice"), out.text("alice")
    assert H + "smugglers_tunnel" in rig.world.fights
    assert out.of(SetFight)


def test_a_defeat_pays_xp_levels_up_and_counts_for_quests() -> None:
    rig = EngineRig()
    char = rig.player("alice", "common_room", kit=True)
    char.xp = 290
    max_hp = char.max_hp
    gained = carry_out(
        rig.world, [Gain("alice", xp=25, gold=3, defeated=(H + "bog_rat",))], rules_ctx([7])
    )
    assert char.xp == 315 and char.level == 2 and char.hit_dice == 2
    assert char.max_hp > max_hp
    lines = gained.lines("alice")
    assert lines[0] == "+25 XP, +3 gold"
    assert lines[1] == (
        f"You reach level 2! Your maximum hit points rise by {char.max_hp - max_hp}"
        f" to {char.max_hp}."
    )
    assert f"defeat:{H}bog_rat" in char.deeds


def test_a_quest_reward_is_not_announced_twice() -> None:
    rig = EngineRig()
    char = rig.player("alice", "common_room", kit=True)
    out = carry_out(rig.world, [Gain("alice", xp=10, announce=False)], rules_ctx())
    assert char.xp == 10 and out.lines("alice") == []
    assert [type(e) for e in out.effects] == [Gain, CharUpdate]


def test_a_dead_npc_gets_its_respawn_time_from_the_event() -> None:
    rig = EngineRig()
    npc_id = H + "bog_rat"
    out = carry_out(rig.world, [NpcUpdate(npc_id, alive=False, hp=0)], rules_ctx(wall=500.0))
    npc = rig.world.npcs[npc_id]
    assert not npc.alive and npc.hp == 0
    assert npc.respawn_at == 500.0 + 300  # the template's respawn: 300
    assert out.effects[1] == NpcUpdate(npc_id, respawn_at=800.0)


def test_an_item_reaching_a_pack_counts_for_hold_quests() -> None:
    rig = EngineRig()
    char = rig.player("alice", "common_room", kit=True)
    before = len(char.inventory)
    out = carry_out(rig.world, [SpawnItem(H + "oilcloth_packet", "char:alice")], rules_ctx())
    assert len(char.inventory) == before + 1
    assert QuestEvents("alice", (("hold", H + "oilcloth_packet"),)) in out.effects


# -- moved from the hub tests (test_game.py, test_small_rules.py): the same assertions,
# -- one command at a time, without a hub, a database or a walk across the map.


def _go(rig: EngineRig, who: str, room: str) -> None:
    """Put ``who`` in ``room`` (a local id) as if they had walked there."""
    rig.world.move(who, H + room)


def _seen(out: Called, who: str, pattern: str) -> str:
    """The first match of ``pattern`` in what ``who`` read; fails when there is none."""
    found = re.search(pattern, out.text(who))
    assert found is not None, (pattern, out.text(who))
    return found.group(0)


def test_shop_buy_and_sell() -> None:
    rig = EngineRig()
    char = rig.player("alice", "lamp_shop", kit=True)
    _seen(call(rig.world, "alice", "list"), "alice", r"potion of healing\s+10 gold")
    gold = char.gold
    _seen(call(rig.world, "alice", "buy dagger"), "alice", "You buy a dagger for 2 gold")
    assert char.gold == gold - 2
    _seen(call(rig.world, "alice", "sell dagger"), "alice", "You sell the dagger for 1 gold")
    assert char.gold == gold - 1
    _seen(call(rig.world, "alice", "buy shortsword and a pony"), "alice", "does not sell")


def test_bessas_stew_is_for_sale_and_for_eating() -> None:
    # Bessa's greeting promises stew ("you'll have the stew first"); a new player typed
    # "order some eel stew" and was narrated "You do what needs doing, and nothing more."
    rig = EngineRig()
    char = rig.player("alice", "common_room", kit=True)
    _seen(call(rig.world, "alice", "list"), "alice", r"bowl of eel stew\s+1 gold")
    gold = char.gold
    out = call(rig.world, "alice", "order some eel stew")
    _seen(out, "alice", "You buy a bowl of eel stew for 1 gold")
    assert char.gold == gold - 1
    char.hp = 2
    eaten = call(rig.world, "alice", "eat the stew", dice=[3])
    _seen(eaten, "alice", r"and heal 3 \(1d4")
    assert char.hp == 5
    # She keeps a tavern, not a pawnshop.
    _seen(call(rig.world, "alice", "buy pie"), "alice", "You buy an eel pie")
    _seen(call(rig.world, "alice", "sell pie"), "alice", "Bessa Thorn will not pay anything")
    # An order that is not for a thing is a deed; a thing not sold gets the shop's
    # answer (played: "order an ale" was narrated as if it were served, and none was).
    for line in ("order the guards to stand down", "order everyone to be quiet"):
        out = call(rig.world, "alice", line)
        assert any(isinstance(e, AskNarration) for e in out.effects), line
        assert "You buy" not in out.text("alice")
    # A round is bought, one for everyone here (tests/test_two_deeds.py has the rest).
    _seen(call(rig.world, "alice", "order a round for everyone"), "alice", "You buy a round")
    refused = call(rig.world, "alice", "order a pony please")
    assert refused.text("alice") == "Bessa Thorn does not sell 'pony'. Type 'list'."
    assert not refused.of(AskNarration)


def test_potion_heals_and_rest_needs_a_safe_place() -> None:
    rig = EngineRig()
    char = rig.player("alice", "common_room", kit=True)
    char.hp = 2  # wounded (set directly: the fixture, not the game, hurt her)
    drunk = call(rig.world, "alice", "drink healing potion", dice=[2, 3])
    _seen(drunk, "alice", r"and heal \d+ \(2d4\+2: ")
    assert 6 <= char.hp <= char.max_hp
    assert char.hp == 9  # 2 + (2 + 3 + 2)
    _go(rig, "alice", "crossroads")
    _seen(call(rig.world, "alice", "rest long"), "alice", "not safe to sleep here")
    char.hp = 1
    _seen(call(rig.world, "alice", "rest", dice=[5]), "alice", r"\+\d+ HP")
    assert char.hp > 1 and char.hit_dice == 0


def test_quest_starts_and_advances_as_you_explore() -> None:
    rig = EngineRig()
    rig.player("alice", "loft_landing", kit=True)
    entered = call(rig.world, "alice", "east")
    _seen(entered, "alice", "Missing Cartographer|missing_cartographer|Cartographer")
    assert rig.world.chars["alice"].quests.get(H + "missing_cartographer") == 1
    _seen(call(rig.world, "alice", "quests"), "alice", r"Quest\s+Next")


def test_talk_speaks_to_an_npc() -> None:
    rig = EngineRig()
    rig.player("alice", "common_room", kit=True)
    talked = call(rig.world, "alice", "talk bessa what happened to the cartographer?")
    _seen(talked, "alice", "You say to Bessa")
    _seen(call(rig.world, "alice", "talk nobody hello"), "alice", "no 'nobody' here")
    # As a new player types it: "to", the whole name and a comma.
    talked = call(rig.world, "alice", "talk to Bessa Thorn, where did he go?")
    _seen(talked, "alice", "You say to Bessa Thorn, 'where did he go\\?'")


def test_dropping_what_you_wield_needs_a_remove_and_unequips_it() -> None:
    rig = EngineRig()
    char = rig.player("alice", "common_room", kit=True)
    sword = char.equipment["weapon"]
    # Issue 11: dropping a wielded weapon is refused until it is removed.
    refused = call(rig.world, "alice", "drop longsword")
    _seen(refused, "alice", "You are wielding the longsword. Remove it first")
    assert char.equipment["weapon"] == sword
    _seen(call(rig.world, "alice", "remove longsword"), "alice", "You remove")
    _seen(call(rig.world, "alice", "drop longsword"), "alice", "You drop a longsword")
    assert "weapon" not in char.equipment
    assert sword in rig.world.items_in_room(char.room)


def test_wielding_or_wearing_what_is_already_on_says_so() -> None:
    # Played: "wield my sword", sword in hand, answered "You wield the longsword." and
    # the room was told it again.
    rig = EngineRig()
    rig.player("alice", "common_room", kit=True)
    rig.player("bob", "common_room", kit=True)
    again = call(rig.world, "alice", "wield my sword")
    assert again.text("alice") == "You are already wielding the longsword."
    assert again.text("bob") == ""
    _seen(call(rig.world, "alice", "wear chain shirt"), "alice", "already wearing the chain")


def test_selling_what_you_wield_is_refused_and_the_shop_sells_it_back() -> None:
    rig = EngineRig()
    char = rig.player("alice", "lamp_shop", kit=True)
    bob = rig.player("bob", "lamp_shop", kit=True)
    sword = char.equipment["weapon"]
    gold = char.gold
    refused = call(rig.world, "alice", "sell longsword")
    _seen(refused, "alice", r"You are wielding the longsword\. Remove it first")
    assert char.equipment["weapon"] == sword and sword in char.inventory and char.gold == gold
    _seen(call(rig.world, "alice", "remove longsword"), "alice", "You remove")
    _seen(call(rig.world, "alice", "sell longsword"), "alice", "You sell the longsword for")
    assert sword not in char.inventory
    _seen(call(rig.world, "bob", "list"), "bob", r"longsword\s+15 gold \(second-hand\)")
    bob.gold = 20
    _seen(call(rig.world, "bob", "buy longsword"), "bob", "You buy a longsword for 15 gold")
    assert sword in bob.inventory and bob.gold == 5
    listed = _seen(call(rig.world, "bob", "list"), "bob", r"has for sale:[\s\S]*?lantern[^\n]*")
    assert "second-hand" not in listed


def test_dropping_what_you_wear_is_refused_and_drop_all_keeps_it_on() -> None:
    rig = EngineRig()
    char = rig.player("alice", "common_room", kit=True)
    worn = set(char.equipment.values())
    refused = call(rig.world, "alice", "drop chain shirt")
    _seen(refused, "alice", r"You are wearing the chain shirt\. Remove it first")
    _seen(call(rig.world, "alice", "drop all"), "alice", "You drop")
    assert set(char.inventory) == worn


def test_inventory_counts_loose_things_of_one_name_on_one_line() -> None:
    # Played: "potion of healing" twice, two lines apart, in one pack.
    rig = EngineRig()
    char = rig.player("alice", "common_room", kit=True)
    sword = char.equipment["weapon"]
    assert rig.world.spawn_item(rig.world.items[sword].template, "char:alice") is not None
    for _ in range(2):
        assert rig.world.spawn_item(H + "healing_potion", "char:alice") is not None
    text = _seen(call(rig.world, "alice", "inventory"), "alice", r"You are carrying:[\s\S]*")
    lines = [ln.strip() for ln in text.splitlines()[1:]]
    held = sum(1 for i in char.inventory if rig.world.items[i].template == H + "healing_potion")
    assert held >= 3  # the kit's and the two above
    assert lines.count(f"potion of healing ({held})") == 1
    assert not any(ln == "potion of healing" for ln in lines)
    # What is wielded keeps its own line; a spare of the same name is listed apart.
    assert "longsword (wielded)" in lines and "longsword" in lines


def test_a_healing_potion_at_full_hp_is_refused_and_after_healing_the_hp_shows() -> None:
    rig = EngineRig()
    char = rig.player("alice", "common_room", kit=True)
    potions = len(char.inventory)
    full = call(rig.world, "alice", "drink healing potion")
    _seen(full, "alice", rf"already at full health \({char.max_hp}/{char.max_hp} HP\)")
    assert len(char.inventory) == potions
    char.hp = 2
    line = _seen(
        call(rig.world, "alice", "drink healing potion"), "alice", r"You have \d+/\d+ HP\."
    )
    assert line == f"You have {char.hp}/{char.max_hp} HP." and char.hp > 2


def _stew_ordered() -> tuple[EngineRig, Character]:
    """Alice (kit, 5 gold) has ordered Bessa's eel stew; Bob is beside her."""
    rig = EngineRig()
    char = rig.player("alice", "common_room", kit=True)
    rig.player("bob", "common_room")
    char.gold = 5
    call(rig.world, "alice", "order eel stew")
    return rig, char


def test_stew_ordered_at_the_bar_is_eaten_at_full_health_and_a_potion_kept() -> None:
    # Played: "order eel stew", then "eat stew" answered "You are already at full
    # health (9/9 HP); keep the bowl of eel stew for when you need it."
    rig, char = _stew_ordered()
    stews = [i for i in char.inventory if rig.world.items[i].template == H + "eel_stew"]
    assert len(stews) == 1
    eaten = call(rig.world, "alice", "eat stew")
    assert _seen(eaten, "alice", r"You eat .*") == "You eat the bowl of eel stew."
    assert _seen(eaten, "bob", r"Alice eats .*") == "Alice eats the bowl of eel stew."
    assert stews[0] not in char.inventory and char.hp == char.max_hp
    # A potion drunk, used or even eaten by someone unhurt is still kept for later.
    for line in ("drink potion", "use potion", "eat potion"):
        _seen(call(rig.world, "alice", line), "alice", "already at full health")
    # The tavern's ale is drunk for its own sake: "drink ale" at full health answered
    # "keep the mug of marsh ale for when you need it".
    for line in ("order an ale, please", "order a mug of ale"):
        _seen(call(rig.world, "alice", line), "alice", "You buy a mug of marsh ale for 1 gold")
    drunk = call(rig.world, "alice", "drink ale")
    assert _seen(drunk, "bob", r"Alice drinks .*") == "Alice drinks the mug of marsh ale."
    _seen(call(rig.world, "alice", "sip my ale"), "alice", "You drink the mug of marsh ale.")
    assert not [i for i in char.inventory if rig.world.items[i].template == H + "marsh_ale"]


def test_what_is_eaten_or_drunk_tastes_of_what_the_builder_wrote() -> None:
    # Played: "eat the stew" read only "You eat the bowl of eel stew.", Bessa's stew and
    # all; items.yaml 'taste' is told to the one who has it, and to no one else.
    rig, char = _stew_ordered()
    eaten = call(rig.world, "alice", "eat stew")
    text = _seen(eaten, "alice", r"You eat the bowl of eel stew\.\s+The stew is scalding[^.]*\.")
    assert "thick with pepper" in text
    assert "pepper" not in eaten.text("bob") and "Alice eats" in eaten.text("bob")
    # Wounded, the stew is eaten (not "used"), heals, and tastes the same.
    call(rig.world, "alice", "order eel stew")
    char.hp = 2
    eaten = call(rig.world, "alice", "eat the stew", dice=[3])
    _seen(eaten, "alice", r"You eat a bowl of eel stew, and heal 3 \(1d4[\s\S]*scalding")
    assert char.hp == 5
    char.hp = 2
    drunk = call(rig.world, "alice", "drink potion", dice=[2, 3])
    _seen(drunk, "alice", r"You drink a potion of healing, and heal 7[\s\S]*mint and old copper")
    assert "copper" not in drunk.text("bob")


def test_quest_lines_come_after_the_action_that_caused_them() -> None:
    rig = EngineRig()
    rig.player("alice", "loft_landing", kit=True)
    _seen(call(rig.world, "alice", "east"), "alice", "Take the scrap of map")
    text = _seen(call(rig.world, "alice", "get map"), "alice", r"You pick up[\s\S]*?somewhere warm")
    assert text.startswith("You pick up a scrap of map")


def test_a_quest_reward_is_printed_once() -> None:
    rig = EngineRig()
    char = rig.player("alice", "common_room", kit=True)
    # The last step (the hearth found) was done already, before the map was taken.
    char.quests = {H + "missing_cartographer": 2}
    char.deeds = [f"check:{H}common_room:hearthstone"]
    got = call(rig.world, "alice", "get lantern")
    _seen(got, "alice", r"Quest complete: The Missing Cartographer!")
    _seen(call(rig.world, "alice", "score"), "alice", "Alice the Fighter")
    assert got.text("alice").count("+100 XP") == 1
    assert char.xp == 100


def test_another_partys_find_is_not_a_newcomers_quest_step_until_they_go_and_see() -> None:
    """Found playing round 10: Wren, new, took the scrap of map and finished *The
    Missing Cartographer* at once, because Ione had lifted the hearthstone an hour before;
    the step that sends a player to Edda's notes was skipped. Another party's find is
    met by searching the spot, which rolls nothing (the secret is gone) and counts for
    the searcher and the group members beside them, not for a stranger in the room."""
    rig = EngineRig()
    world = rig.world
    rig.player("ione", "common_room", kit=True)
    rig.player("wren", "common_room", kit=True)
    rig.player("tamsin", "common_room", kit=True)
    rig.player("rook", "common_room", kit=True)
    call(world, "wren", "group invite tamsin")
    call(world, "tamsin", "group accept")
    call(world, "ione", "search the hearthstone", dice=[15])
    assert H + "common_room:hearthstone" in world.features_used
    quest = H + "missing_cartographer"
    for who in ("wren", "tamsin", "rook"):
        world.chars[who].quests = {quest: 1}  # Edda's room seen; the map next
        _go(rig, who, "guest_room")
    got = call(world, "wren", "get map")
    assert "Quest complete" not in got.text("wren")
    assert world.chars["wren"].quests[quest] == 2
    _seen(got, "wren", "Search the hearth in the common room")
    call(world, "tamsin", "get map")
    call(world, "rook", "get map")
    for who in ("wren", "tamsin", "rook"):
        _go(rig, who, "common_room")
    searched = call(world, "wren", "search the hearth", dice=[1])
    assert "check" not in searched.text("wren")  # no roll: nothing is left to find
    _seen(searched, "wren", "What the loose hearthstone hid has already been found.")
    for who in ("wren", "tamsin"):
        _seen(searched, who, r"Quest complete: The Missing Cartographer!")
        assert world.chars[who].quests[quest] == -1
    # Rook, in the room but in no group with Wren, still has to look for himself.
    assert "Quest complete" not in searched.text("rook")
    assert world.chars["rook"].quests[quest] == 2
    again = call(world, "rook", "search hearthstone")
    _seen(again, "rook", r"Quest complete: The Missing Cartographer!")


def _ione_then_moss_and_finch(where: str, near: str, search: str) -> EngineRig:
    """Ione, in ``where``, finds its secret (``search``, a natural 20); Moss and Finch,
    a group, wait in ``near`` to come after her."""
    rig = EngineRig()
    rig.player("ione", where, kit=True)
    rig.player("moss", near, kit=True)
    rig.player("finch", near, kit=True)
    call(rig.world, "ione", search, dice=[20])
    call(rig.world, "moss", "group invite finch")
    call(rig.world, "finch", "group accept")
    return rig


def test_a_way_found_before_is_shown_to_a_later_party_that_searches_for_it() -> None:
    """Found playing round 11: Moss and Finch reached the sunken shrine after another
    party had found the way down behind the altar. They saw "Exits: north", searching
    the altar said its secret was found already, and "down" said "You cannot go down
    from here": the campaign stopped until the marsh reset."""
    rig = _ione_then_moss_and_finch("sunken_shrine", "reed_path", "search the altar")
    world = rig.world
    call(world, "ione", "down")
    assert world.chars["ione"].room == H + "drowned_stair"
    # Moss and Finch, a group, arrive later: the way is hidden from them.
    call(world, "moss", "south")
    assert world.chars["moss"].room == world.chars["finch"].room == H + "sunken_shrine"
    assert "down" not in call(world, "moss", "look").text("moss").split("Exits:")[1]
    assert "cannot go down" in call(world, "moss", "down").text("moss")
    searched = call(world, "moss", "search the altar", dice=[1])
    assert "check" not in searched.text("moss")  # nothing is rolled
    for who in ("moss", "finch"):
        _seen(searched, who, "A way down is revealed!")
    # What the altar shows is still there: the builder's words, not "already found".
    _seen(searched, "moss", "Behind the altar the duckweed parts")
    assert "already been found" not in searched.text("moss")
    # The narration hears of the way, not only that nothing was left to find.
    (asked,) = searched.of(AskNarration)
    assert asked.outcome.kind == "discovery" and "A way down is revealed." in asked.outcome.facts
    # Searching again tells them nothing new.
    assert "revealed" not in call(world, "finch", "search the altar").text("finch")
    call(world, "moss", "down")
    assert world.chars["moss"].room == world.chars["finch"].room == H + "drowned_stair"


def test_a_clue_someone_else_found_is_still_there_to_read() -> None:
    """Found playing round 11: Finch read the labels on the lanterns after another
    party had and was told "What the lanterns hid has already been found.": the clue a
    feature shows (no item to take) was lost to everyone after the first finder. A later
    searcher reads the builder's words, with no roll, and their group sees it."""
    rig = _ione_then_moss_and_finch("mill_loft", "old_mill", "search the sacks")
    world = rig.world
    assert H + "mill_loft:sacks" in world.features_used
    call(world, "moss", "up")
    read = call(world, "moss", "search the sacks", dice=[1])
    assert "check" not in read.text("moss")  # nothing is rolled
    _seen(read, "moss", "The tally is of deliveries, not sales")
    _seen(read, "finch", "Moss reads the tally on the sacks aloud")
    assert "already been found" not in read.text("moss")
    (asked,) = read.of(AskNarration)
    assert asked.outcome.kind == "discovery"
    assert any("deliveries, not sales" in fact for fact in asked.outcome.facts)
    # Read again by Moss, or by Finch who saw it with him, it is no find: the narration
    # had said "Moss has found what others walked past." on every reading.
    for who in ("moss", "finch"):
        again = call(world, who, "search the sacks", dice=[1])
        _seen(again, who, "The tally is of deliveries, not sales")
        (asked,) = again.of(AskNarration)
        assert asked.outcome.kind == "review", who
    # What was taken stays taken: the hearthstone's packet is not found twice.
    rig.player("rook", "common_room", kit=True)
    world.features_used.add(H + "common_room:hearthstone")
    again = call(world, "rook", "search the hearthstone")
    _seen(again, "rook", "What the loose hearthstone hid has already been found.")


def test_a_clue_read_by_its_first_finder_is_narrated_as_a_find() -> None:
    """Played round 19: Ilse's search of Edda's papers turned up the pressed page (an
    investigation check, the builder's words, nothing revealed) and was narrated "Ilse
    does it steadily, and it works." A clue noticed or read is a discovery; strength or
    agility is a plain success."""
    rig, other = EngineRig(), EngineRig()
    for each in (rig, other):
        each.player("ilse", "guest_room", kit=True)
    found = call(rig.world, "ilse", "search the papers", dice=[15])
    _seen(found, "ilse", "the word YSOLDE")
    (asked,) = found.of(AskNarration)
    assert asked.outcome.kind == "discovery"
    missed = call(other.world, "ilse", "search the papers", dice=[2])
    assert missed.of(AskNarration)[0].outcome.kind == "failure"


def test_a_quest_foe_that_is_dead_says_when_it_comes_back() -> None:
    """Found playing round 11: Moss and Finch reached the Hall of Lanterns with *The
    Lamplighter* at "Defeat the Drowned Warden", which another party had killed: no
    Warden anywhere, and nothing said it would return (when the area beneath the mere
    resets, once no one is there)."""
    rig = EngineRig()
    world = rig.world
    moss = rig.player("moss", "drowned_stair", kit=True)
    done = ("missing_cartographer", "under_the_town", "sunken_shrine")
    moss.quests = {H + q: -1 for q in done}
    warden = H + "drowned_warden"
    carry_out(world, [NpcUpdate(warden, alive=False, hp=0)], rules_ctx(wall=1000.0))
    told = " ".join(call(world, "moss", "quests", wall=1000.0).text("moss").split())
    assert "Defeat the Drowned Warden" in told
    assert "The Drowned Warden is gone for now: it returns when Beneath the Mere resets" in told
    assert "every 30 minutes once no one is there" in told
    asked = " ".join(
        call(world, "moss", "ask what should I do now?", wall=1000.0).text("moss").split()
    )
    assert "The Drowned Warden is gone for now" in asked
    # A foe with a respawn time: when, in minutes.
    carry_out(world, [NpcUpdate(warden, respawn_at=1400.0)], rules_ctx(wall=1000.0))
    told = " ".join(call(world, "moss", "quests", wall=1000.0).text("moss").split())
    assert "The Drowned Warden is gone for now: back in about 7 minutes." in told
    # Alive again: the step alone.
    carry_out(world, [NpcUpdate(warden, alive=True, hp=20)], rules_ctx(wall=1000.0))
    assert "gone for now" not in call(world, "moss", "quests", wall=1000.0).text("moss")


def test_an_ambush_meets_the_whole_group_at_once() -> None:
    # The leader used to walk in alone: the bog rat attacked her, rolled initiative
    # with her only, and Bob "joined the fight" after it had begun.
    rig = EngineRig()
    rig.player("alice", "eel_landing", kit=True)
    rig.player("bob", "eel_landing", kit=True)
    call(rig.world, "alice", "group invite bob")
    call(rig.world, "bob", "group accept")
    out = call(rig.world, "alice", "down")
    room = H + "smugglers_tunnel"
    assert rig.world.chars["alice"].room == room and rig.world.chars["bob"].room == room
    fight = rig.world.fights[room]
    assert fight.has("p:alice") and fight.has("p:bob")
    for who in ("alice", "bob"):
        text = out.text(who)
        assert "The bog rat attacks!" in text, text
        initiative = next(line for line in out.lines(who) if "Initiative:" in line)
        assert "Alice" in initiative and "Bob" in initiative, initiative
        assert "joins the fight" not in text, text
    # Bob's arrival is seen before the attack, not after it.
    alice = out.text("alice")
    assert alice.index("Bob follows you.") < alice.index("The bog rat attacks!")


def test_walking_alone_still_meets_the_ambush() -> None:
    rig = EngineRig()
    rig.player("alice", "eel_landing", kit=True)
    out = call(rig.world, "alice", "down")
    assert [type(e) for e in out.effects].count(Arrived) == 1
    assert H + "smugglers_tunnel" in rig.world.fights


def test_a_builders_verb_is_met_in_its_other_forms() -> None:
    # Played in the chapel: "relight the lamp" (one lamp has gone out, the room says)
    # was a deed for the DM ("You do what needs doing ..."): the builder wrote "light".
    rig = EngineRig()
    rig.player("alice", "chapel", kit=True)
    rig.player("bob", "chapel")
    for line in ("relight the lamp", "light the lamp", "lighting the unlit lamp"):
        out = call(rig.world, "alice", line)
        _seen(out, "alice", r"You strike a light and hold it to the wick\.")
        _seen(out, "bob", r"Alice holds a light to the wick of Edda's lamp\.")
        assert not [e for e in out.effects if type(e).__name__ == "Rolled"], line
    # Another verb is still a deed, and a light for one's own pipe is not the lamp's.
    for line in ("polish the lamp", "relight my pipe"):
        out = call(rig.world, "alice", line)
        assert "strike a light" not in out.text("alice"), line
    # Played again with the tavern's hooded lantern in the pack (it answers to "lamp"
    # too): "relight the lamp" was a deed, "You set to it without fuss."
    rig.apply([SpawnItem("hollowmere:hooded_lantern", "char:alice")])
    out = call(rig.world, "alice", "relight the lamp")
    _seen(out, "alice", r"You strike a light and hold it to the wick\.")
    # A Lamp-Keeper's "lamp-keeper's mace" is no lamp either, and "I'll" before the deed
    # is the deed (played: "I'll relight that lamp in the front row" was said).
    keeper = EngineRig()
    keeper.player("siv", "chapel", cls="hollowmere:cleric", kit=True)
    keeper.player("bob", "chapel")
    out = call(keeper.world, "siv", "I'll relight that lamp in the front row")
    _seen(out, "siv", r"You strike a light and hold it to the wick\.")
    _seen(out, "bob", r"Siv holds a light to the wick of Edda's lamp\.")
    # For one who brought Edda home, her lamp takes the light (its action 'after'
    # Homecoming); for anyone else it stays wet (played: lit by Pip, just back from
    # bringing her home: "It hisses, wet through, and will not take.").
    keeper.world.chars["siv"].quests = {"hollowmere:homecoming": -1}
    out = call(keeper.world, "siv", "light the lamp")
    # (Not "since you last saw it": played by one who came into the story late, and
    # had never seen it.)
    _seen(out, "siv", r"The wick has dried at last, and it\s+takes at once")
    _seen(out, "bob", r"Siv holds a light to the wick of Edda's lamp, and this time it takes\.")
    assert "will not take" in call(keeper.world, "bob", "light the lamp").text("bob")


def test_a_builders_verb_is_met_in_the_words_players_use_for_it() -> None:
    # Played at the sunken shrine (the altar's verbs: search, examine, turn, push):
    # "press the lantern" was a deed, "You set to it without fuss.", and nothing moved.
    for line in ("press the lantern", "twist the stone lantern", "shove the altar"):
        rig = EngineRig()
        rig.player("alice", "sunken_shrine", kit=True)
        rig.player("bob", "sunken_shrine")
        out = call(rig.world, "alice", line, dice=[15])
        _seen(out, "alice", r"INT check 15 vs DC 12: success")
        _seen(out, "alice", r"You turn the stone lantern in its socket")
        _seen(out, "bob", r"Alice turns the stone lantern in its socket")
    # An action's verb too: the chapel lamp's "light" is met by "kindle".
    rig = EngineRig()
    rig.player("alice", "chapel", kit=True)
    _seen(call(rig.world, "alice", "kindle the lamp"), "alice", r"You strike a light")
    # Said of something else the room shows, it is still a deed.
    rig = EngineRig()
    rig.player("alice", "sunken_shrine", kit=True)
    out = call(rig.world, "alice", "press the water", dice=[15])
    assert not [e for e in out.effects if type(e).__name__ == "Rolled"]
    assert game.with_synonyms(["Push", "turn"]) >= {"push", "press", "shove", "turn", "twist"}
    # "check the altar" (played: the whole line "the altar. ... check the altar" a deed).
    assert game.with_synonyms(["search"]) == {"search", "check", "inspect", "probe"} | {
        # Going through papers or a heap (played, round 60: "*leafs through the papers*"
        # in Edda's room was a deed, the clue never rolled for).
        *("rifle", "riffle", "rummage", "ransack", "sift", "comb", "leaf", "thumb", "flip"),
    }
    assert game.with_synonyms(["knock"]) == {"knock"}


def test_an_item_s_action_is_done_in_the_builder_s_words() -> None:
    # Played in the tavern: "light the lantern", the hooded lantern in hand, was "You try
    # to light the lantern." and a narration of nothing.
    rig = EngineRig()
    rig.player("alice", "common_room", kit=True)
    rig.player("bob", "common_room")
    rig.apply([SpawnItem("hollowmere:hooded_lantern", "char:alice")])
    for line in ("light the lantern", "unhood my lamp", "lighting the hooded lantern"):
        out = call(rig.world, "alice", line)
        _seen(out, "alice", r"^You thumb the hood of the lantern open\.")
        _seen(out, "bob", r"Alice thumbs open the hood of a tin lantern")
        assert "try to" not in out.text("alice"), line
        (ask,) = narration_asks(out.effects)
        assert ask.shown and ask.shown[0].startswith("You thumb the hood"), line
    _seen(call(rig.world, "alice", "snuff the lantern"), "alice", r"^You drop the hood")
    # A word of its own that is another command's is its action first: "open the
    # locket" opens it, where "open" of an item with no such action reads it.
    rig.apply([SpawnItem("hollowmere:venn_locket", "char:alice")])
    _seen(call(rig.world, "alice", "open the locket"), "alice", r"^The catch gives")
    _seen(call(rig.world, "alice", "open the lantern"), "alice", r"^Hooded lantern")
    # Without the item named, or with another verb, it is not the action.
    assert "thumb the hood" not in call(rig.world, "alice", "light a fire").text("alice")
    assert "thumb the hood" not in call(rig.world, "alice", "polish the lantern").text("alice")


def test_tending_your_own_wounds_is_the_short_rest() -> None:
    # Played at the eel-catchers' landing at 2 of 9 HP: "bandage my wounds" was a deed,
    # narrated ("You see to it with steady hands.") and healing nothing.
    rig = EngineRig()
    char = rig.player("alice", "eel_landing", kit=True)
    for line in ("bandage my wounds", "bind up my cuts", "patch myself up", "tend to my injuries"):
        char.hp, char.hit_dice = 3, 1
        out = call(rig.world, "alice", line, dice=[6])
        _seen(out, "alice", "You catch your breath and bind your wounds")
        assert char.hp > 3 and char.hit_dice == 0, line
        assert not out.of(AskNarration), line
    # Someone else's wounds, or a wound described, are still deeds for the DM.
    for line in ("bandage bob", "clean the wound on his arm"):
        assert call(rig.world, "alice", line).of(AskNarration), line
    # A Lamp-Keeper's too, though "tend" and "dress" are also their healing's words.
    keeper = rig.player("brin", "eel_landing", "hollowmere:cleric", kit=True)
    for line in ("tend my wounds", "dress my wounds", "tend to my injuries"):
        keeper.hp, keeper.hit_dice, keeper.powers_used = 3, 1, {}
        _seen(call(rig.world, "brin", line, dice=[6]), "brin", "You catch your breath")
        assert keeper.powers_used == {}, line


def test_a_rest_called_for_in_words_is_taken_by_the_group() -> None:
    # Played at the reed path, both hurt after the eel-catcher: "we did it. barely. I
    # need to catch my breath" and "aye, short rest. then the shrine" were said, and no
    # one rested.
    for line in (
        "we did it. barely. I need to catch my breath",
        "aye, short rest. then the shrine",
        "let me catch my breath",
        # Wished for (tried: "You act: a short rest would be nice").
        "a short rest would be nice",
        "we could use a short rest",
    ):
        rig = EngineRig()
        brin = rig.player("brin", "eel_landing", "hollowmere:cleric", kit=True)
        isolde = rig.player("isolde", "eel_landing", "hollowmere:rogue", kit=True)
        call(rig.world, "brin", "invite isolde")
        call(rig.world, "isolde", "group accept")
        brin.hp, isolde.hp = 3, 2
        out = call(rig.world, "brin", line, dice=[5, 5])
        assert out.lines("isolde")[0] == f"Brin says, '{line}'", line
        assert brin.hp > 3 and isolde.hp > 2, line
    # Asked, it is the others' to answer; words of a rest that call for none are words.
    rig = EngineRig()
    brin = rig.player("brin", "eel_landing", "hollowmere:cleric", kit=True)
    rig.player("isolde", "eel_landing", "hollowmere:rogue", kit=True)
    for line in ("short rest?", "say no time for a short rest"):
        brin.hp = 3
        call(rig.world, "brin", line)
        assert brin.hp == 3, line


def test_a_later_step_done_first_counts_the_steps_before_it() -> None:
    # Played: Hale forced the cellar trapdoor and both walked the tunnel to the landing;
    # "what should we do next?" still sent them to the mill loft for the smugglers' key.
    rig = EngineRig()
    hale = rig.player("hale", "cellar", kit=True)
    hale.quests = {H + "missing_cartographer": -1, H + "under_the_town": 0}
    rig.world.npcs[H + "bog_rat"].alive = False
    rig.world.set_door(H + "cellar:down", closed=False, locked=False)
    seen = call(rig.world, "hale", "down").text("hale")
    assert (
        "Quest 'Under the Town': Follow the little scratched lanterns south to wherever the"
        " tunnel comes out." in seen.replace("\n", " ")
    ), seen
    assert hale.quests[H + "under_the_town"] == 2
    seen = call(rig.world, "hale", "south").text("hale")
    assert "Quest complete: Under the Town!" in seen
    # A quest not yet open is not begun by its later step: its first is the story's way in.
    fresh = rig.player("ione", "common_room", kit=True)
    call(rig.world, "ione", "search the hearth", dice=[20])
    assert H + "missing_cartographer" not in fresh.quests


def test_a_deed_at_a_thing_of_another_room_is_told_it_is_not_here() -> None:
    # Played in Edda's room, the hearthstone being in the common room below: "lift the
    # hearthstone" was a STR check, "and it gives"; "search the altar" (the shrine's)
    # searched her papers and found their clue.
    rig = EngineRig()
    rig.player("alice", "guest_room", kit=True)
    rig.player("bob", "guest_room")
    for line, told in (
        ("lift the hearthstone", "You see no loose hearthstone here."),
        ("search the hearth", "You see no loose hearthstone here."),
        ("search the altar", "You see no altar here."),
    ):
        out = call(rig.world, "alice", line, dice=[20])
        assert out.lines("alice") == [told], (line, out.lines("alice"))
        assert not out.of(Rolled) and not out.lines("bob"), line
    # What is here is still searched, and a deed no feature elsewhere is for is the DM's.
    out = call(rig.world, "alice", "search the papers", dice=[20])
    _seen(out, "alice", r"Pressed into the page below the torn one")
    assert narration_asks(call(rig.world, "alice", "kick the bed").effects)
    # What is searched is here, whatever is sought there (played, round 52: "search the
    # window for tracks" read "You see no footprints here.", those of the marsh path).
    out = call(rig.world, "alice", "search the window for tracks", dice=[20])
    assert out.lines("alice")[0] == "You search the window for tracks.", out.lines("alice")
    assert out.of(Rolled)


def test_a_look_for_a_thing_in_plain_sight_shows_it() -> None:
    # Played (round 52): "look for tracks" in Edda's room, where a line of dried mud runs
    # from the window to the door, rolled a search, and the narration found nothing.
    rig = EngineRig()
    rig.player("alice", "guest_room", kit=True)
    for line in ("look for tracks", "look around for the line of mud"):
        out = call(rig.world, "alice", line, dice=[1])
        assert out.lines("alice")[0].startswith("Marsh mud, dried pale,"), (
            line,
            out.lines("alice"),
        )
        assert not out.of(Rolled), line
    # A thing a check hides is searched for still: the marsh path's footprints.
    rig.player("bob", "reed_path", kit=True)
    out = call(rig.world, "bob", "look for tracks", dice=[20])
    assert out.of(Rolled) and "Beside the small boots walk other prints" in out.text("bob")


def test_a_socials_word_that_is_a_features_check_here_tries_the_feature() -> None:
    # Played in the Crypt of the Lamp-Keepers, whose reliquary's check is "pray":
    # "I kneel and pray to the saint" knelt and read "You pray to the saint.", and the
    # reliquary was never tried ("pray" is a social, and an idle deed).
    for line in ("I kneel and pray to the saint", "pray", "pray at the reliquary"):
        rig = EngineRig()
        rig.player("pip", "chapel_crypt", "hollowmere:cleric", kit=True)
        out = call(rig.world, "pip", line, dice=[15])
        assert any(s.startswith("Pip: INT check 17 vs DC 11") for s in out.lines("pip")), line
        assert "A flask of lamp-blessed water is uncovered!" in out.lines("pip"), line
        # Found, the word is the social again.
        assert call(rig.world, "pip", "pray").lines("pip") == ["You bow your head and pray."]
    # Where no feature's check is "pray", it is the social as ever.
    rig = EngineRig()
    rig.player("bo", "chapel", kit=True)
    assert call(rig.world, "bo", "pray").lines("bo") == ["You bow your head and pray."]


def test_a_search_where_nothing_is_hidden_is_told_there_is_nothing() -> None:
    # Played: a search of the mantel, a success, was narrated as a thing done ("you get
    # it done. It is a small victory.") and a model may invent a find. The engine says
    # nothing is there; a feature's secret is still a find, and a failure a failure.
    rig = EngineRig()
    rig.player("alice", "common_room", kit=True)
    for line in ("search the bar", "I run my fingers along the mantel looking for a catch"):
        (asked,) = call(rig.world, "alice", line, [15]).of(AskNarration)
        assert asked.outcome.kind == "nothing", (line, asked.outcome)
        assert "There is nothing out of the ordinary there to find." in asked.outcome.facts
    (asked,) = call(rig.world, "alice", "search the bar", [2]).of(AskNarration)
    assert asked.outcome.kind == "failure"
    (asked,) = call(rig.world, "alice", "look around for anything hidden", [15]).of(AskNarration)
    assert asked.outcome.kind == "discovery"  # the hearthstone: a search of the room finds it
    assert asked.text == "search for anything hidden"


@pytest.mark.parametrize(
    "line",
    [
        "I look around the common room for anything odd",
        "look about the room for a hidden catch",
        "look around here for anything hidden",
    ],
)
def test_a_look_about_a_place_for_something_is_a_search(line: str) -> None:
    # Played: "I look around the common room for anything odd" rolled nothing and was
    # narrated "Your eyes move slowly, taking it all in.", the hearthstone unfound.
    rig = EngineRig()
    rig.player("alice", "common_room", kit=True)
    (asked,) = call(rig.world, "alice", line, [15]).of(AskNarration)
    assert asked.outcome.kind == "discovery", (line, asked.outcome)
    assert asked.text.startswith("search for ")


def test_a_deed_done_to_someone_of_the_world_carries_their_ways_to_the_narration() -> None:
    rig = EngineRig()
    rig.player("alice", "common_room", kit=True)
    bessa = rig.world.templates.npcs["hollowmere:bessa"]
    for line in ("I flirt with bessa", "I tip my hat to Bessa Thorn", "I admire bessa's apron"):
        (asked,) = call(rig.world, "alice", line, [15]).of(AskNarration)
        assert asked.outcome.kind == "none" and asked.npc_manner, line
        assert asked.npc_manner == escort.manner(rig.world, bessa.id), line
    (asked,) = call(rig.world, "alice", "I whistle a tune", [15]).of(AskNarration)
    assert asked.npc_manner == ()


def test_a_deed_typed_as_tried_reads_back_tried_once() -> None:
    # Played: "You try to try to read the old notices pinned by the door."
    rig = EngineRig()
    rig.player("alice", "common_room", kit=True)
    rig.player("bob", "common_room", kit=True)
    effects = rig.run("alice", "I try to whistle a tune", [15])
    assert rig.seen("alice", effects)[0] == "You try to whistle a tune."
    assert rig.seen("bob", effects)[0] == "Alice tries to whistle a tune."


def test_ones_breath_caught_is_the_short_rest_and_not_said() -> None:
    # Played (round 59) on the eel landing after a fight: "sit on an upturned boat and
    # catch my breath" said "catch my breath" aloud and then rested; "I catch my breath"
    # said it too, "catch our breath" was a deed, "i take a long rest" a deed.
    for line in ("catch my breath", "I catch my breath.", "catch our breath here"):
        rig = EngineRig()
        brin = rig.player("brin", "eel_landing", "hollowmere:cleric", kit=True)
        rig.player("isolde", "eel_landing", "hollowmere:rogue", kit=True)
        brin.hp = 3
        out = call(rig.world, "brin", line, dice=[5])
        assert brin.hp > 3, line
        assert not any("says" in seen for seen in out.lines("isolde")), (line, out.lines("isolde"))
        assert not out.of(AskNarration), line
    # Said to the others, with when: said, and rested (found in review: "let me catch my
    # breath first" rested unsaid, "i need to catch my breath for a bit" was said only).
    for line in ("let me catch my breath first", "i need to catch my breath for a bit"):
        rig = EngineRig()
        brin = rig.player("brin", "eel_landing", "hollowmere:cleric", kit=True)
        rig.player("isolde", "eel_landing", "hollowmere:rogue", kit=True)
        brin.hp = 3
        out = call(rig.world, "brin", line, dice=[5])
        assert out.lines("isolde")[0] == f"Brin says, '{line}'", line
        assert brin.hp > 3, line
    # Said, rested, then the deed after it (found in review: "let me catch my breath,
    # then search the hearth" read "You let you catch your breath.", and no one rested).
    rig = EngineRig()
    brin = rig.player("brin", "common_room", "hollowmere:cleric", kit=True)
    rig.player("isolde", "common_room", "hollowmere:rogue", kit=True)
    brin.hp = 3
    out = call(rig.world, "brin", "let me catch my breath, then search the hearth", dice=[5, 15])
    assert out.lines("isolde")[0] == "Brin says, 'let me catch my breath'", out.lines("isolde")
    assert brin.hp > 3 and "An oilcloth packet is uncovered!" in out.text("brin"), out.text("brin")
    # A deed let do, then a rest wished for: the deed is done (found in review: all said).
    rig = EngineRig()
    rig.player("brin", "common_room", "hollowmere:cleric", kit=True)
    out = call(rig.world, "brin", "let me check the hearth. a short rest would be nice", dice=[15])
    assert "An oilcloth packet is uncovered!" in out.text("brin"), out.text("brin")
    rig = EngineRig()
    rig.player("brin", "common_room", "hollowmere:cleric", kit=True)
    for line in ("i take a long rest", "take a long rest"):
        out = call(rig.world, "brin", line)
        assert not out.of(AskNarration), line
        assert "You try to" not in out.text("brin"), (line, out.text("brin"))
