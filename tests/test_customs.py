"""What players of other MUDs type (``mud.engine.customs``), as a veteran played it.

Played over TinTin++ by a DikuMUD veteran: "wimpy 5" read "You try to wimpy 5." (and the
room read "Varn tries to wimpy 5."), "sac corpse", "practice", "channels" ("You try to
channel."), "news" ("You try to new.") and "chat hi" were deeds for the Dungeon Master.
Each is now the game's own command or a line, for the player alone, saying what is done
here instead.
"""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from mud.engine import customs, fight
from mud.engine.doors import blocked
from mud.engine.effects import Move, NpcUpdate, SetDoor, SetPrefs, Tell
from mud.render.doc import render
from tests.call import call
from tests.enginerig import PLAIN, EngineRig, ScriptedRng

H = "hollowmere:"
TUNNEL = H + "smugglers_tunnel"


def _two(room: str = "common_room") -> EngineRig:
    rig = EngineRig()
    rig.player("bob", room, kit=True)
    rig.player("alice", room, kit=True)
    return rig


def test_other_muds_commands_are_answered_to_the_player_alone() -> None:
    rig = _two()
    for line, said in (
        ("practice", "No one trains you here"),
        ("prac", "XP 0 of 300 for level 2"),
        ("train", "No one trains you here"),
        ("sac corpse", "Nothing here takes offerings"),
        ("junk lantern", "'drop <item>'"),
        ("rent", "No rent here"),
        ("offer", "No rent here"),
        ("bank", "your gold (10) stays in your purse"),
        ("autoloot", "yours as soon as it falls"),
        ("autoexit", "Exits are always shown"),
        ("cr", "carried somewhere safe"),
        ("alias n north", "your client does"),
        ("title the Brave", "'describe <words>'"),
        ("news", "There is no news board"),
        ("motd", "There is no news board"),
        ("compact", "Nothing to compact"),
        ("time", "keeps no clock"),
        ("weather", "keeps no clock"),
        # Played by a MUD veteran: each was "You try to ...", a deed the room read.
        ("recall", "There is no recall: you walk where you go, and 'go to the Drowned Lantern"),
        ("loot corpse", "Foes leave no bodies to search"),
        ("loot", "('get all' takes it)"),
        ("mail juno see you tonight", "There is no mail: 'tell <player> <words>'"),
        ("board", "There is no mail"),
    ):
        out = call(rig.world, "bob", line)
        assert said in out.text("bob"), (line, out.text("bob"))
        assert "try to" not in out.text("bob"), line
        assert out.lines("alice") == [], (line, out.lines("alice"))


def test_their_english_verbs_written_as_deeds_stay_deeds() -> None:
    rig = _two()
    for line in (
        "train with bessa at the bar",
        "offer bessa a coin for her trouble",
        "recall what bessa said of the lights",
        "board the ferry",
        "loot the cellar for anything useful",
        # Played: "notes are somewhere warm. the hearth downstairs. come on" was the
        # news board.
        "notes are somewhere warm. the hearth, I bet",
        "news from the marsh is bad",
    ):
        out = call(rig.world, "bob", line)
        assert "No one trains" not in out.text("bob")
        assert "No rent" not in out.text("bob")
        assert out.lines("alice"), line  # a deed, seen by the room


def test_wear_all_remove_all_and_finger_as_other_muds_have_them() -> None:
    # Played by a MUD veteran: "wear all" read "You are not carrying 'all'.", "remove
    # all" "You are not wielding or wearing 'all'.", "finger alice" "You try to finger
    # alice.".
    rig = _two()
    bob = rig.world.chars["bob"]
    kit = dict(bob.equipment)
    assert call(rig.world, "bob", "remove all").lines("bob") == [
        "You remove the longsword and the chain shirt."
    ]
    assert bob.equipment == {}
    assert call(rig.world, "bob", "remove all").lines("bob") == [
        "You are wielding and wearing nothing."
    ]
    out = call(rig.world, "bob", "wear all")
    assert out.lines("bob") == ["You wear the chain shirt."]
    assert out.lines("alice") == ["Bob wears the chain shirt."]
    out = call(rig.world, "bob", "equip everything")
    assert out.lines("bob") == ["You wield the longsword."]
    assert bob.equipment == kit
    assert call(rig.world, "bob", "wear all").lines("bob") == [
        "You have nothing more to wear: 'equipment' shows what you have on."
    ]
    for line in ("finger alice", "whois alice", "who alice"):
        assert call(rig.world, "bob", line).lines("bob") == [
            "Alice: a Fighter of level 1, here beside you."
        ], line
    assert "players in the world" in call(rig.world, "bob", "finger").text("bob")
    assert "try to finger" in call(rig.world, "bob", "finger the lantern").text("bob")


def test_chat_and_gossip_are_the_ooc_channel_but_chatting_with_someone_is_not() -> None:
    rig = _two()
    out = call(rig.world, "bob", "chat anyone up for the crypt?")
    assert out.lines("alice") == ["[OOC] Bob: anyone up for the crypt?"]
    out = call(rig.world, "bob", "gossip hi all", now=10.0)  # ooc's pace: one in 3 s
    assert out.lines("alice") == ["[OOC] Bob: hi all"]
    out = call(rig.world, "bob", "chat with bessa", now=20.0)
    assert not any("[OOC]" in line for line in out.lines("alice"))
    # As CircleMUD's players type it (played 2026-12-07: "You try to gos hi all.").
    out = call(rig.world, "bob", "gos hi all", now=30.0)
    assert out.lines("alice") == ["[OOC] Bob: hi all"]


def test_ooc_keeps_a_pace_and_a_player_may_turn_it_off() -> None:
    # Played by a griefer: a login, 60 ooc lines in one write, a reconnect, over and
    # over, put 280 lines on every player's screen in 20 s, and ooc had no off switch.
    rig = _two()
    assert call(rig.world, "bob", "ooc one", now=1.0).lines("alice") == ["[OOC] Bob: one"]
    held = call(rig.world, "bob", "ooc two", now=2.5)
    assert held.lines("alice") == []
    assert held.lines("bob") == [
        "Every player reads ooc, so it takes one line every 3 seconds: wait 2 more. ('say'"
        " and 'tell' are not held back.)"
    ]
    assert call(rig.world, "bob", "ooc three", now=4.0).lines("alice") == ["[OOC] Bob: three"]
    assert call(rig.world, "alice", "channels ooc off").lines("alice") == [
        "You turn ooc off: you no longer read it ('channels ooc on' to hear it)."
    ]
    assert customs.quiet(rig.world.chars["alice"]) == ("ooc",)
    assert call(rig.world, "bob", "ooc four", now=8.0).lines("alice") == []
    assert "off for you" in call(rig.world, "alice", "channels").text("alice")
    assert call(rig.world, "alice", "ooc hello", now=9.0).lines("alice") == [
        "You have turned ooc off: 'channels ooc on' to talk on it."
    ]
    assert call(rig.world, "alice", "channels ooc off").lines("alice") == [
        "ooc is already off for you."
    ]
    call(rig.world, "alice", "channels ooc on")
    assert call(rig.world, "bob", "ooc five", now=12.0).lines("alice") == ["[OOC] Bob: five"]
    assert call(rig.world, "alice", "channels say off").lines("alice") == [
        "Usage: channels ooc off, or channels ooc on"
    ]


@given(st.text(max_size=40))
def test_chatted_takes_only_the_words_after_the_channel_word(line: str) -> None:
    words = customs.chatted(line)
    if words is not None:
        assert line.strip().split()[0].lower() in ("chat", "gossip", "newbie")
        assert words and words in line
        assert not line.strip().startswith(words)


def test_channels_socials_and_settings_list_what_there_is() -> None:
    rig = _two()
    channels = call(rig.world, "bob", "channels").text("bob")
    for channel in ("say <words>", "tell <player> <words>", "ooc <words>", "gtell <words>"):
        assert channel in channels
    socials = call(rig.world, "bob", "socials").text("bob")
    assert "bow (at someone)" in socials and "blush," in socials
    rig.world.chars["bob"].extra["wimpy"] = 4
    settings = call(rig.world, "bob", "config")
    text = settings.text("bob")
    assert "wimpy" in text and " 4 " in text
    assert "screen reader" in text and "colour" in text
    assert settings.lines("alice") == []


def test_wimpy_is_set_shown_capped_at_half_and_turned_off() -> None:
    rig = _two()
    out = call(rig.world, "bob", "wimpy")
    assert "Wimpy is off" in out.text("bob")
    out = call(rig.world, "bob", "wimpy 5")
    assert [e for e in out.effects if isinstance(e, SetPrefs)] == [SetPrefs("bob", wimpy=5)]
    assert customs.wimpy(rig.world.chars["bob"]) == 5
    assert "Wimpy is 5" in call(rig.world, "bob", "wimpy").text("bob")
    out = call(rig.world, "bob", "wimpy 7")  # Bob has 12 HP at most: 6 is the most
    assert "at most half your hit points: 6" in out.text("bob")
    assert customs.wimpy(rig.world.chars["bob"]) == 5
    assert "Usage" in call(rig.world, "bob", "wimpy lots").text("bob")
    call(rig.world, "bob", "wimpy off")
    assert customs.wimpy(rig.world.chars["bob"]) == 0
    assert "wimpy" not in rig.world.chars["bob"].extra


def _wounded_in_the_tunnel(hp: int, wimpy: int) -> EngineRig:
    rig = EngineRig()
    rig.player("alice", "smugglers_tunnel", kit=True)
    alice = rig.world.chars["alice"]
    alice.hp = hp
    alice.extra = {**alice.extra, "wimpy": wimpy, "came": H + "cellar"}
    # She came down through the trapdoor, so it is open (the first open way is south).
    up = rig.world.room(TUNNEL).exit("up")
    assert up is not None and up.door is not None
    rig.apply([SetDoor(up.door.id, closed=False, locked=False)])
    assert blocked(rig.world, up) is None
    return rig


def test_wimpy_flees_the_way_one_came_when_the_turn_comes() -> None:
    # Alice, 3 HP with wimpy 4, walked down from the cellar: her turn comes (she wins
    # initiative, 20 to 1) and she flees up at once, d20 15 +1 against 10, not waiting
    # for a command (played: players away from the keyboard lost the rat, defending).
    rig = _wounded_in_the_tunnel(hp=3, wimpy=4)
    over, effects = fight.begin(
        rig.world, TUNNEL, ScriptedRng([20, 1, 15]), now=0.0, turn_time=20.0, target=None
    )
    assert over is None  # she was the only one fighting
    moves = [e for e in effects if isinstance(e, Move) and e.who == "alice"]
    assert [m.to for m in moves] == [H + "cellar"]
    told = [
        render(e.doc, PLAIN).strip() for e in effects if isinstance(e, Tell) and e.who == "alice"
    ]
    assert "Down to 3 HP, you try to get away (wimpy 4)." in told


def test_wimpy_that_fails_to_flee_leaves_the_turn_to_the_player() -> None:
    rig = _wounded_in_the_tunnel(hp=3, wimpy=4)
    started, _ = fight.begin(
        rig.world, TUNNEL, ScriptedRng([20, 1, 2]), now=0.0, turn_time=20.0, target=None
    )
    assert started is not None
    assert started.order.current == "p:alice" and started.deadline == 20.0
    assert "p:alice" not in started.fled


def test_no_wimpy_above_the_players_hit_points_and_none_unset() -> None:
    for hp, wimpy in ((5, 4), (3, 0)):
        rig = _wounded_in_the_tunnel(hp=hp, wimpy=wimpy)
        started, effects = fight.begin(
            rig.world, TUNNEL, ScriptedRng([20, 1]), now=0.0, turn_time=20.0, target=None
        )
        assert started is not None and started.order.current == "p:alice"
        assert not [e for e in effects if isinstance(e, Move)]


def test_enter_alone_is_the_way_in() -> None:
    # Played in the cellar: "enter" read "You try to enter." for the room to watch.
    rig = _two("cellar")
    out = call(rig.world, "bob", "enter")
    assert out.text("bob") == "You cannot go in from here."
    assert out.lines("alice") == []
    rig = _two("crossroads")
    call(rig.world, "bob", "enter")
    assert rig.world.chars["bob"].room == H + "common_room"


def test_scan_shows_who_is_along_each_open_way() -> None:
    rig = _two("reed_path")
    out = call(rig.world, "bob", "scan")
    assert out.lines("bob") == [
        "North, on the Sunken Causeway: no one.\n"
        "South, in the Sunken Shrine: no one.\n"
        "East, on the Eel-Catchers' Landing: a drowned eel-catcher.\n"
        "West, in the Heron Stones: a corpse-light."
    ]
    assert out.lines("alice") == []  # no roll, nothing for the room to see
    assert call(rig.world, "bob", "scan e").text("bob") == (
        "East, on the Eel-Catchers' Landing: a drowned eel-catcher."
    )
    assert call(rig.world, "bob", "scan up").text("bob") == "There is no way up from here."
    # Other words are a deed, with the room's perception check.
    out = call(rig.world, "bob", "scan the reeds for movement")
    assert "Bob scans the reeds for movement." in out.lines("alice")


def test_scan_sees_no_one_hidden_and_not_past_a_shut_door() -> None:
    rig = _two("cellar")
    rig.player("cara", "common_room", kit=True)
    rig.world.chars["cara"].hidden = 15
    out = call(rig.world, "bob", "scan")
    assert out.lines("bob") == [
        "Up, in the Drowned Lantern, Common Room: Bessa Thorn.\n"
        "Down: the trapdoor is shut; you cannot see past it."
    ]
    rig.world.chars["cara"].hidden = 0
    assert "Bessa Thorn and Cara." in call(rig.world, "bob", "scan up").text("bob")


def test_value_says_what_the_shopkeeper_would_pay_without_selling() -> None:
    # Played: "value potion" read "You try to value the potion." for the room.
    rig = _two("lamp_shop")
    before = list(rig.world.chars["bob"].inventory)
    out = call(rig.world, "bob", "value longsword")
    assert out.text("bob") == "Tobin Wick would give you 7 gold for the longsword."
    assert out.lines("alice") == []
    assert rig.world.chars["bob"].inventory == before and rig.world.chars["bob"].gold == 10
    assert call(rig.world, "bob", "value").text("bob") == "Value what?"
    rig = _two("crossroads")
    out = call(rig.world, "bob", "value longsword")
    assert out.text("bob") == "There is no one buying anything here."


def test_brief_leaves_out_the_description_of_a_room_walked_into_again() -> None:
    rig = _two("crossroads")
    market = rig.world.room(H + "market_lane").description[:40]  # as wrapped, its start
    out = call(rig.world, "bob", "brief")
    assert "Brief mode is on" in out.text("bob") and out.lines("alice") == []
    first = call(rig.world, "bob", "e").text("bob")
    assert market in first  # never stood here: described
    call(rig.world, "bob", "w")
    again = call(rig.world, "bob", "e").text("bob")
    assert again.startswith("Market Lane") and "Exits:" in again
    assert market not in again
    assert market in call(rig.world, "bob", "look").text("bob")  # a look shows it all
    assert "Brief mode is off" in call(rig.world, "bob", "brief off").text("bob")
    call(rig.world, "bob", "w")
    assert market in call(rig.world, "bob", "e").text("bob")
    assert "Usage" in call(rig.world, "bob", "brief maybe").text("bob")


def test_wimpy_does_not_flee_back_into_the_fight_one_fled() -> None:
    # Played: Varn fled the corpse-light east to the reed path, where the wandering
    # eel-catcher attacked; wimpy took him west, the way he came, back into the
    # corpse-light's fight. A quiet way is taken first.
    rig = EngineRig()
    rig.player("varn", "reed_path", kit=True)
    rig.player("grusk", "heron_stones", kit=True)
    varn = rig.world.chars["varn"]
    varn.hp = 5
    varn.extra = {**varn.extra, "wimpy": 6, "came": H + "heron_stones"}
    stones, _ = fight.begin(
        rig.world, H + "heron_stones", ScriptedRng([1, 20]), now=0.0, turn_time=20.0, target=None
    )
    assert stones is not None
    rig.world.fights[H + "heron_stones"] = stones
    # The eel-catcher has wandered onto the path (its route is the landing and the path).
    rig.world.npcs[H + "drowned_eelcatcher"].room = H + "reed_path"
    _over, effects = fight.begin(
        rig.world, H + "reed_path", ScriptedRng([20, 1, 15]), now=0.0, turn_time=20.0, target=None
    )
    moves = [e.to for e in effects if isinstance(e, Move) and e.who == "varn"]
    assert moves and moves[0] not in (H + "heron_stones", H + "eel_landing"), moves


def test_no_door_is_shut_on_a_fight() -> None:
    # Played by a griefer: the trapdoor closed and locked over a player fighting the
    # bog rat below ("flee up": "There is no open way to flee that way.").
    rig = _two("cellar")
    down = rig.world.room(H + "cellar").exit("down")
    assert down is not None and down.door is not None
    rig.apply([SetDoor(down.door.id, closed=False, locked=False)])
    rig.player("vicky", "smugglers_tunnel", kit=True)
    started, _ = fight.begin(
        rig.world, TUNNEL, ScriptedRng([20, 1]), now=0.0, turn_time=20.0, target=None
    )
    assert started is not None
    rig.world.fights[TUNNEL] = started
    out = call(rig.world, "bob", "close trapdoor")
    assert out.text("bob") == (
        "Not while a fight goes on beyond: those fighting could not get out through the trapdoor."
    )
    assert blocked(rig.world, down) is None
    del rig.world.fights[TUNNEL]
    call(rig.world, "bob", "close trapdoor")
    assert blocked(rig.world, down) is not None


def test_scan_counts_a_crowd_instead_of_naming_it() -> None:
    rig = _two("cellar")
    for i in range(30):
        rig.player(f"p{chr(97 + i // 26)}{chr(97 + i % 26)}", "common_room")
    text = call(rig.world, "bob", "scan up").text("bob")
    assert text.endswith("Pai, Paj, Pak and 19 more."), text  # Bessa and eleven of 30
    assert "Pal" not in text


def test_a_fight_one_starts_with_a_foe_that_attacks_no_one_is_theirs_and_their_groups() -> None:
    # Played by a griefer: he attacked Crake beside a stranger ("== FIGHT! Initiative:
    # Lantern 22, Crake 16, Vicky 10"), fled at once, and left her in his fight.
    rig = _two("mill_loft")
    call(rig.world, "bob", "attack crake", fallback=1)  # every die a 1: no one falls
    fought = rig.world.fights[H + "mill_loft"]
    assert fought.has("p:bob") and not fought.has("p:alice")
    call(rig.world, "alice", "assist bob", fallback=1)  # she may join, if she will
    assert rig.world.fights[H + "mill_loft"].has("p:alice")
    # In a group, the group fights together, as before.
    rig = _two("mill_loft")
    call(rig.world, "bob", "group invite alice")
    call(rig.world, "alice", "group accept")
    call(rig.world, "bob", "attack crake", fallback=1)
    fought = rig.world.fights[H + "mill_loft"]
    assert fought.has("p:bob") and fought.has("p:alice")
    # A foe that attacks whoever it finds (the bog rat) fights everyone here.
    rig = _two("smugglers_tunnel")
    call(rig.world, "bob", "attack rat", fallback=1)
    fought = rig.world.fights[TUNNEL]
    assert fought.has("p:bob") and fought.has("p:alice")


def test_a_bare_flee_runs_the_way_one_came_not_the_first_way_listed() -> None:
    # Played: two came down the Drowned Stair (the Warden slain) into the Hall of
    # Lanterns, and "flee" from the Lamplighter took the first way listed, north, past
    # him into the Bell Chamber.
    rig = EngineRig()
    rig.player("lysa", "lantern_hall", "hollowmere:cleric", kit=True)
    rig.world.update_npc(NpcUpdate(H + "drowned_warden", alive=False))
    hall = rig.world.room(H + "lantern_hall")
    up = hall.exit("up")
    assert up is not None and up.door is not None and hall.exits[0].direction == "north"
    rig.apply([SetDoor(up.door.id, closed=False, locked=False)])
    rig.world.last_way["lysa"] = (H + "drowned_stair", "down")
    over, effects = fight.begin(
        rig.world, hall.id, ScriptedRng([20, 1]), now=0.0, turn_time=20.0, target=None
    )
    assert over is not None
    rig.apply(effects)
    fled = call(rig.world, "lysa", "flee", dice=[15])
    moves = [e for e in fled.effects if isinstance(e, Move) and e.who == "lysa"]
    assert [m.to for m in moves] == [H + "drowned_stair"]
    # With the Warden standing on the stair, the way to a room without a foe comes first.
    rig.world.update_npc(NpcUpdate(H + "drowned_warden", alive=True))
    assert fight._escape_way(rig.world, over, rig.world.chars["lysa"]) == "north"


def test_r_replies_to_a_tell_waiting_and_is_chat_s_are_otherwise() -> None:
    # Played by a veteran: "r on my way", just told "you ok?", read "You try to are on
    # your way." for the room.
    rig = EngineRig()
    rig.player("mira", "common_room", kit=True)
    rig.player("dov", "market_lane", kit=True)
    assert rig.seen("mira", rig.run("mira", "r")) == [
        "Unknown command 'r'. 'help' lists the commands."
    ]
    rig.apply(rig.run("dov", "tell mira you ok?"))
    assert rig.seen("mira", rig.run("mira", "r")) == ["Usage: reply <message> (to Dov)"]
    effects = rig.run("mira", "r on my way")
    assert rig.seen("mira", effects) == ["You tell Dov, 'on my way'"]
    assert rig.seen("dov", effects) == ["Mira tells you, 'on my way'"]
    rig.apply(effects)
    # Answered, "r u ok?" is chat's "are you ok?" again, asked here.
    seen = rig.seen("mira", rig.run("mira", "r u ok?"))
    assert seen[0] == "You ask Bessa Thorn, 'Are you ok?'", seen
    # So it is once she has said anything of her own since the tell, or when her words
    # are to one here by name (found in review: "r u ready, ann?", long after Dov's tell
    # was answered aloud, went to Dov).
    rig.player("ann", "common_room", kit=True)
    rig.apply(rig.run("dov", "tell mira still there?"))
    seen = rig.seen("mira", rig.run("mira", "r u ready, ann?"))
    assert seen[0] == "You ask Ann, 'Are you ready?'", seen
    rig.apply(rig.run("mira", "say yes, I'm here"))
    seen = rig.seen("mira", rig.run("mira", "r u ok?"))
    assert seen[0] == "You ask Bessa Thorn, 'Are you ok?'", seen


def test_a_letter_alone_is_no_deed_and_a_alone_is_attack() -> None:
    # Played after the Lamplighter fell: "a", typed on as in the fight, read "You act:
    # a", narrated to the room each time; "z" was "You try to z.".
    rig = _two()
    for letter in ("z", "j", "b.", "Q!"):
        effects = rig.run("bob", letter)
        seen = rig.seen("bob", effects)
        assert seen == [
            f"Unknown command '{letter.rstrip('.!').lower()}'. 'help' lists the commands."
        ], seen
        assert not rig.seen("alice", effects)
    for line in ("a", "att", "atk!"):
        assert rig.seen("bob", rig.run("bob", line)) == ["Attack whom? Name someone here."]
    # Before one here, out of a fight too (played: "You act: a dov").
    assert rig.seen("bob", rig.run("bob", "a alice")) == [
        "Alice is a fellow traveller: players do not fight one another here."
    ]
    assert rig.seen("bob", rig.run("bob", "atk bessa")) == [
        "Bessa Thorn is not someone you can fight."
    ]
    assert rig.seen("bob", rig.run("bob", "a moment")) == ["You act: a moment"]
    # Only one here named whole, and no cry or question (found in review: "a m", "a
    # man?" and "a smuggler!" started a fight with Crake in his loft).
    for line in ("a m", "a smuggler!", "a fish", "a crake?"):
        loft = EngineRig()
        loft.player("bob", "mill_loft", kit=True)
        assert not loft.seen("bob", loft.run("bob", line))[0].startswith("== FIGHT!"), line
    loft = EngineRig()
    loft.player("bob", "mill_loft", kit=True)
    assert loft.seen("bob", loft.run("bob", "a crake."))[0].startswith("== FIGHT!")
    tunnel = EngineRig()
    tunnel.player("bob", "smugglers_tunnel", kit=True)
    assert tunnel.seen("bob", tunnel.run("bob", "a rat"))[0].startswith("== FIGHT!")
    # The letters that are commands stay so.
    assert rig.seen("bob", rig.run("bob", "x")) == ["Examine what?"]
    assert rig.seen("bob", rig.run("bob", "i"))[0].startswith("You are carrying")


def test_a_speedwalk_walks_a_step_at_a_time_and_stops_where_a_step_cannot_be_taken() -> None:
    # Played by a veteran in the tavern: "2s" was "You act: 2s", narrated.
    rig = EngineRig()
    rig.player("bob", "common_room", kit=True)
    out = call(rig.world, "bob", "2s")
    assert rig.world.chars["bob"].room == H + "causeway", out.lines("bob")
    call(rig.world, "bob", "n")
    # A wall stops it where it stands; 'run' before letters is one too.
    out = call(rig.world, "bob", "run sen")
    assert rig.world.chars["bob"].room == H + "causeway"
    assert out.lines("bob")[-1] == "You cannot go east from here.", out.lines("bob")
    # Words of those letters are no walk, nor a count past the most one walk takes, nor
    # chat (found in review: "4u" climbed the stairs, "10s" and "run dude" walked, "3 s"
    # at the bar no longer bought three stews).
    assert call(rig.world, "bob", "used").lines("bob")[0].startswith("Unknown command 'used'")
    for line in ("4u", "10s", "run dude", "run used", "2 d", "ns2"):
        call(rig.world, "bob", line)
        assert rig.world.chars["bob"].room == H + "causeway", line
    assert call(rig.world, "bob", "20n20e").lines("bob") == [
        "A speedwalk takes at most 30 steps; 'go to <place>' walks anywhere you have been."
    ]
    assert rig.world.chars["bob"].room == H + "causeway"
    # A walk into an ambush stops there, and flees nowhere (played: "run sw" into the
    # eel-catcher went on as "run w", a flight, "Wait for your turn").
    rig = EngineRig()
    rig.player("bob", "reed_path", kit=True)
    out = call(rig.world, "bob", "run en", dice=[20, 1, 1, 1, 1, 1])
    assert rig.world.chars["bob"].room == H + "eel_landing", out.lines("bob")
    assert rig.world.fights.get(H + "eel_landing") is not None
    assert out.lines("bob")[-1] == "The fight stops your walk.", out.lines("bob")
    # In a fight, 'run' and a way flees, as it did.
    rig = EngineRig()
    rig.player("bob", "smugglers_tunnel", kit=True)
    call(rig.world, "bob", "attack rat", dice=[1, 1, 1, 1, 1, 1])
    seen = call(rig.world, "bob", "run u", dice=[20, 1]).lines("bob")
    assert seen[0].startswith("Bob flees"), seen


def test_experience_and_a_foe_s_state_asked_as_other_muds_ask_them() -> None:
    # Played by one come to fight: "exp" was "Unknown command 'exp'. Did you mean
    # 'score'?", "tnl" a deed, "diagnose rat" a deed.
    rig = EngineRig()
    rig.player("bob", "smugglers_tunnel", kit=True)
    level = (
        "You are a level 1 Fighter: 0 XP, 300 more for level 2. ('score' shows all of your sheet.)"
    )
    for line in ("exp", "tnl", "exp?", "xp"):
        assert rig.seen("bob", rig.run("bob", line)) == [level], line
    for line in ("diagnose rat", "diag rat", "diag"):
        seen = rig.seen("bob", rig.run("bob", line))
        assert seen[0].startswith("The bog rat: "), (line, seen)
        assert "(it has 7 HP)" in seen[0], seen
    # Alone in a fight, the foe standing; of oneself, one's hit points (found in review:
    # "Consider whom?" and "You see no 'me' here.").
    call(rig.world, "bob", "attack rat", dice=[1, 20, 1, 1])
    assert call(rig.world, "bob", "diag").lines("bob")[0].startswith("The bog rat: ")
    (told,) = call(rig.world, "bob", "diagnose me").lines("bob")
    assert told.startswith("You have ") and " HP. ('score'" in told, told
    assert call(_two().world, "bob", "diag").lines("bob") == ["Consider whom? Name someone here."]


def test_kill_all_fights_every_foe_here_and_says_so_where_there_is_none() -> None:
    # Played by one come to fight, beside the bog rat: "kill all" was "You see no 'all'
    # here."
    for line in ("kill all", "attack them all", "k everything"):
        rig = EngineRig()
        rig.player("bob", "smugglers_tunnel", kit=True)
        seen = call(rig.world, "bob", line, dice=[20, 1, 8, 8, 1, 1]).lines("bob")
        assert seen[0].startswith("== FIGHT!"), (line, seen)
        assert any(s.startswith("Bob attacks the bog rat") for s in seen), (line, seen)
    rig = _two()
    assert call(rig.world, "bob", "kill all").lines("bob") == ["There is no foe here to fight."]
