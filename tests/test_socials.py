"""Socials from a pack's socials.yaml: the loader's checks (as ``mud check`` reports
them) and the per-viewer lines, one command at a time (tests/enginerig.py)."""

from __future__ import annotations

from pathlib import Path

from test_world_loader import issues_of, write_pack

from mud.engine.effects import Then, ToRoom
from mud.world.loader import load_packs
from tests.call import call
from tests.enginerig import EngineRig, narration_asks

HUG = """\
hug:
  you: You hug yourself.
  room: "{actor} hugs themself."
  you_target: You hug {target}.
  target: "{actor} hugs you."
  room_target: "{actor} hugs {target}."
"""


def _alice_and_bob(room: str = "common_room") -> EngineRig:
    """Alice and Bob, side by side in ``room``."""
    rig = EngineRig()
    rig.player("alice", room)
    rig.player("bob", room)
    return rig


def _read_by_both(rig: EngineRig, *cases: tuple[str, str, str]) -> None:
    """Each (line Alice types, what she reads, what Bob reads) is a social read so by
    both, with no narration asked for."""
    for line, alice, bob in cases:
        effects = rig.run("alice", line)
        assert rig.seen("alice", effects) == [alice], line
        assert rig.seen("bob", effects) == [bob], line
        assert not narration_asks(effects), line


def test_a_pack_defines_socials(tmp_path: Path) -> None:
    folder = write_pack(tmp_path)
    (folder / "socials.yaml").write_text(HUG, encoding="utf-8")
    assert issues_of(folder) == []
    social = load_packs([folder]).social("HUG")
    assert social is not None and social.id == "tavern:hug" and social.target == "{actor} hugs you."


def test_a_social_with_half_a_target_or_a_stray_name_is_reported(tmp_path: Path) -> None:
    folder = write_pack(tmp_path)
    broken = HUG.replace('  target: "{actor} hugs you."\n', "").replace(
        "You hug yourself.", "You hug {someone}."
    )
    (folder / "socials.yaml").write_text(broken, encoding="utf-8")
    assert issues_of(folder) == [
        "tavern/socials.yaml:1: social 'hug': a social with a target needs all three lines;"
        " missing target",
        "tavern/socials.yaml:2: social 'hug': '{someone}' is not a name here"
        " (use {actor} or {target})",
    ]


def test_each_viewer_reads_their_own_line() -> None:
    rig = EngineRig()
    for key in ("alice", "bob", "carol"):
        rig.player(key, "common_room")
    effects = rig.run("alice", "smile bo")
    assert rig.seen("alice", effects) == ["You smile at Bob."]
    assert rig.seen("bob", effects) == ["Alice smiles at you."]
    assert rig.seen("carol", effects) == ["Alice smiles at Bob."]
    alone = rig.run("bob", "nod")
    assert rig.seen("bob", alone) == ["You nod."]
    assert rig.seen("alice", alone) == ["Bob nods."]


def test_a_social_at_an_npc_and_the_usual_search_messages() -> None:
    rig = _alice_and_bob()
    effects = rig.run("alice", "bow bessa")
    assert rig.seen("alice", effects) == ["You bow to Bessa Thorn."]
    assert rig.seen("bob", effects) == ["Alice bows to Bessa Thorn."]
    assert rig.seen("alice", rig.run("alice", "wave ghost")) == ["You see no 'ghost' here."]
    # As a new player types it (played: "You see no 'at tamsin' here.").
    assert rig.seen("bob", rig.run("alice", "smile at bob")) == ["Alice smiles at you."]
    assert rig.seen("alice", rig.run("alice", "bow to Bessa Thorn")) == ["You bow to Bessa Thorn."]
    assert rig.seen("alice", rig.run("alice", "wave at")) == ["You see no 'at' here."]
    assert rig.seen("alice", rig.run("alice", "shrug bob")) == [
        "You cannot shrug at someone; just 'shrug'."
    ]


def test_a_word_that_is_not_a_social_still_goes_to_the_dungeon_master() -> None:
    rig = EngineRig()
    rig.player("alice", "common_room")
    effects = rig.run("alice", "whistle a tune")
    assert not [e for e in effects if isinstance(e, ToRoom) and "whistles" in str(e.doc)]
    assert rig.seen("alice", effects)[0] == "You try to whistle a tune."


def test_the_room_reads_a_free_action_as_a_sentence() -> None:
    rig = _alice_and_bob()

    def room_line(text: str) -> str:
        return rig.seen("bob", rig.run("alice", text))[0]

    # A verb the checks know is said in the third person, "my" as "their".
    assert room_line("search my pack") == "Alice searches their pack."
    assert room_line("I listen at the door.") == "Alice listens at the door."
    # Another word that can begin an action: an attempt.
    assert room_line("whistle a tune") == "Alice tries to whistle a tune."
    assert room_line("carefully lift the rug") == "Alice tries to carefully lift the rug."
    # What cannot be read as an action is quoted as it was typed.
    assert room_line("the door, I kick it") == "Alice acts: the door, I kick it"
    assert room_line("42!") == "Alice acts: 42!"


def test_the_actor_reads_its_free_action_back_as_a_sentence() -> None:
    # It read "You: search my pack" while the room read "Alice searches their pack.".
    rig = EngineRig()
    rig.player("alice", "common_room")

    def own_line(text: str) -> str:
        return rig.seen("alice", rig.run("alice", text))[0]

    assert own_line("I search my pack") == "You search your pack."
    assert own_line("listen at the door.") == "You listen at the door."
    assert own_line("whistle a tune") == "You try to whistle a tune."
    assert own_line("the door, I kick it") == "You act: the door, I kick it"


def test_a_thing_named_bare_is_read_back_with_its_article() -> None:
    # Played: "search hearth" read back "You search hearth." and "read map" "You read map.".
    rig = _alice_and_bob()

    def lines(text: str) -> tuple[str, str]:
        effects = rig.run("alice", text)
        return rig.seen("alice", effects)[0], rig.seen("bob", effects)[0]

    assert lines("search hearth") == ("You search the hearth.", "Alice searches the hearth.")
    assert lines("polish lantern") == (
        "You try to polish the lantern.",
        "Alice tries to polish the lantern.",
    )
    # Already phrased, a name, a direction, or nothing here by that name: as typed.
    assert lines("search the hearth")[1] == "Alice searches the hearth."
    assert lines("search under hearth")[1] == "Alice searches under hearth."
    assert lines("beckon Bessa")[1] == "Alice tries to beckon Bessa."
    # (A direction with no way out that way: "climb up" here takes the stairs now.)
    assert lines("climb north")[1] == "Alice climbs north."
    assert lines("search pockets")[1] == "Alice searches pockets."
    walked = rig.run("alice", "climb up")
    assert "Move" in [type(e).__name__ for e in walked]


def test_help_lists_the_socials() -> None:
    rig = EngineRig()
    rig.player("alice", "common_room")
    listed = "\n".join(rig.seen("alice", rig.run("alice", "help")))
    assert "Socials: blush, bow, cheer, chuckle, clap, comfort, cough, cry, dance" in listed
    assert "stretch, thank, toast, wave, whistle, wink, yawn" in listed.replace("\n", " ")
    # And "!", which is no command of the list.
    assert "'!' runs the line you typed before again" in listed.replace("\n", " ")


def test_the_common_socials_of_muds_are_there_and_words_after_one_can_be_a_deed() -> None:
    # Played: "dance", "hug bob", "thank bob" and "yawn" were deeds ("You try to
    # dance."), narrated by the DM as attempts.
    rig = _alice_and_bob("crossroads")
    _read_by_both(
        rig,
        ("dance", "You dance a few steps of a reel.", "Alice dances a few steps of a reel."),
        ("hug bob", "You hug Bob.", "Alice hugs you."),
        ("thank bob", "You thank Bob.", "Alice thanks you."),
        ("yawn", "You yawn.", "Alice yawns."),
        ("pat bob", "You pat Bob on the shoulder.", "Alice pats you on the shoulder."),
        # Played: "kiss bessa" was a deed, narrated "You do what needs doing".
        ("kiss bob", "You kiss Bob on the cheek.", "Alice kisses you on the cheek."),
        ("glare at bob", "You glare at Bob.", "Alice glares at you."),
        ("sneeze", "You sneeze.", "Alice sneezes."),
    )
    # Words after a social that name no one here are something done, for the DM.
    for line in ("dance on the gibbet", "smile at the paper lantern"):
        assert narration_asks(rig.run("alice", line)), line


def test_words_after_a_socials_target_go_into_its_lines() -> None:
    # Played: "thank bessa for the stew" was a deed, "You try to thank Bessa for the stew."
    rig = _alice_and_bob()
    thanked = rig.run("alice", "thank bessa for the stew")
    assert rig.seen("alice", thanked) == ["You thank Bessa Thorn for the stew."]
    assert rig.seen("bob", thanked) == ["Alice thanks Bessa Thorn for the stew."]
    assert not narration_asks(thanked)
    nodded = rig.run("alice", "nod to bob in agreement")
    assert rig.seen("bob", nodded) == ["Alice nods to you in agreement."]
    assert rig.seen("alice", rig.run("alice", "smile at bob warmly")) == [
        "You smile at Bob warmly."
    ]
    # Words that are not a manner or such a phrase leave it a deed for the DM.
    assert narration_asks(rig.run("alice", "wave bob toward the door"))


def test_a_social_typed_as_a_phrase_of_several_words() -> None:
    # Played: "shake hands with tamsin" and "high five tamsin" were deeds ("You try to
    # shake hands with Tamsin."); "give bram a high five" was "You are not carrying
    # 'high five'."
    rig = _alice_and_bob("crossroads")
    _read_by_both(
        rig,
        ("shake hands with bob", "You shake hands with Bob.", "Alice shakes your hand."),
        ("Shake Bob's hand.", "You shake hands with Bob.", "Alice shakes your hand."),
        ("high five bob", "You high-five Bob.", "Alice high-fives you."),
        ("give bob a high five!", "You high-five Bob.", "Alice high-fives you."),
        ("pat bob on the back", "You pat Bob on the shoulder.", "Alice pats you on the shoulder."),
        ("shake hands", "You hold out a hand to shake.", "Alice holds out a hand to shake."),
        ("handshake bob", "You shake hands with Bob.", "Alice shakes your hand."),
    )
    # One not here is said so; a line the phrase does not fit whole is what it was.
    assert rig.seen("alice", rig.run("alice", "shake hands with the ghost")) == [
        "You see no 'ghost' here."
    ]
    assert narration_asks(rig.run("alice", "shake the paper lantern"))
    assert rig.seen("alice", rig.run("alice", "give bob a potion")) == [
        "You are not carrying 'potion'."
    ]


def test_a_phrase_is_checked(tmp_path: Path) -> None:
    folder = write_pack(tmp_path)
    shrug = (
        'shrug:\n  you: You shrug.\n  room: "{actor} shrugs."\n'
        '  phrases: ["shrug at {target}", "lift {who}", "meh"]\n'
    )
    (folder / "socials.yaml").write_text(HUG + shrug, encoding="utf-8")
    assert issues_of(folder) == [
        "tavern/socials.yaml:10: social 'shrug': '{target}' in a phrase needs the social's"
        " target lines",
        "tavern/socials.yaml:10: social 'shrug': a phrase may hold '{target}' once, and no"
        " other '{...}'",
        "tavern/socials.yaml:10: social 'shrug': a phrase of one word is a word: make it the key",
    ]


def test_a_social_aimed_at_someone_described_in_words() -> None:
    # Played: "*nods at the newcomer*" read "You act: *nods at the newcomer*" and a
    # narration of nothing; tried, "nod at the stranger" was "You try to nod at the stranger."
    rig = _alice_and_bob("crossroads")
    _read_by_both(
        rig,
        ("nod at the stranger", "You nod at the stranger.", "Alice nods at the stranger."),
        ("wave to the crowd", "You wave to the crowd.", "Alice waves to the crowd."),
        ("smiles at the newcomer", "You smile at the newcomer.", "Alice smiles at the newcomer."),
        ("pray for the lost!", "You pray for the lost.", "Alice prays for the lost."),
        # Played: "pray to saint ysolde" read "You pray for saint ysolde.": the aim
        # keeps the player's word for it.
        ("pray to saint ysolde", "You pray to saint ysolde.", "Alice prays to saint ysolde."),
        # Someone of the world or a player elsewhere, as the world names them.
        ("pray for edda", "You pray for Edda Venn.", "Alice prays for Edda Venn."),
    )
    # A thing here is for the DM; a social not aimed "at" or "to" takes no words.
    for line in ("smile at the paper lantern", "poke at the old fire"):
        assert narration_asks(rig.run("alice", line)), line
    # A second clause is no part of the target: the nod, then the sitting.
    both = rig.run("alice", "nod at the stranger and sit down")
    assert rig.seen("bob", both) == ["Alice nods at the stranger."]
    assert [e for e in both if isinstance(e, Then)] == [Then("alice", "sit down")]


def test_the_chat_ways_of_posing() -> None:
    # Played: "*nods at the newcomer*" was "You act: *nods at the newcomer*", a deed.
    rig = _alice_and_bob()
    _read_by_both(
        rig,
        ("*nods at the newcomer*", "You nod at the newcomer.", "Alice nods at the newcomer."),
        ("*sigh*", "You sigh.", "Alice sighs."),
        ("*shakes out her cloak*", "Alice shakes out her cloak.", "Alice shakes out her cloak."),
        ("/me waves", "Alice waves.", "Alice waves."),
        ("*facepalm*", "Alice facepalms.", "Alice facepalms."),
        ("*sits by the fire*", "You sit down by the fire.", "Alice sits down by the fire."),
        (":grins, showing teeth", "Alice grins, showing teeth.", "Alice grins, showing teeth."),
    )
    # A pose before words: the pose, then the words as a line of their own.
    posed = rig.run("alice", "*grins* hello there")
    assert rig.seen("bob", posed) == ["Alice grins."]
    assert [e for e in posed if isinstance(e, Then)] == [Then("alice", "hello there")]
    # Words before a pose: the words, then the pose.
    said = rig.run("alice", "hello *waves*")
    assert rig.seen("bob", said) == ["Alice says, 'hello'"]
    assert [e for e in said if isinstance(e, Then)] == [Then("alice", "emote *waves*")]
    assert rig.seen("bob", rig.run("alice", "emote *waves*")) == ["Alice waves."]
    # A deed at a thing here, or one the room's words speak of, is done (played in
    # Edda's room: "*rifles through the papers on the table*" was a pose, the clue
    # unfound).
    rig = _alice_and_bob("guest_room")
    rifled = rig.run("alice", "*rifles through the papers on the table*")
    # Rifling through them is searching them (round 60): their check is rolled.
    assert rig.seen("bob", rifled)[0] == "Alice rifles through the papers on the table."
    assert any(seen.startswith("Alice: INT check") for seen in rig.seen("bob", rifled))
    assert narration_asks(rifled)
    # A thing here named inside the words, and "her" of one's own hand (played at the
    # shrine: "*runs her fingers over the worn altar, feeling for a catch*" was a pose).
    rig = _alice_and_bob("sunken_shrine")
    felt = rig.run("alice", "*runs her fingers over the worn altar, feeling for a catch*")
    assert rig.seen("alice", felt)[0] == (
        "You try to run your fingers over the worn altar, feeling for a catch."
    )
    assert narration_asks(felt)
    rig = _alice_and_bob("lamp_shop")
    counted = rig.run("alice", "*counts out her coins on the counter* two potions, please")
    assert rig.seen("alice", counted)[0] == "You try to count out your coins on the counter."
    assert [e for e in counted if isinstance(e, Then)] == [Then("alice", "two potions, please")]
    # A command in the third person, of one's own thing (tried: "*sips her ale*" was "You
    # are not carrying 'her ale'.").
    rig = _alice_and_bob()
    rig.apply(rig.run("alice", "buy an ale"))
    sipped = rig.run("alice", "*sips her ale*")
    assert rig.seen("bob", sipped)[0] == "Alice drinks the mug of marsh ale."
    # Played (round 49): "*munches the pie*" was "You try to munch the pie.".
    rig.apply(rig.run("alice", "buy a pie"))
    rig.world.chars["alice"].hp = 1
    munched = rig.run("alice", "*munches the pie*")
    assert rig.seen("bob", munched)[0].startswith("Alice eats an eel pie, and heals 4")
    rig.apply(munched)
    rig.apply(rig.run("alice", "buy a pie"))
    rig.world.chars["alice"].hp = rig.world.chars["alice"].max_hp  # a pie eaten full, too
    assert rig.seen("bob", rig.run("alice", "*nibbles at the pie*")) == ["Alice eats the eel pie."]
    # A posture, then an order (tried: one deed, and no stew).
    leaned = rig.run("alice", "*leans on the bar and orders a stew*")
    assert rig.seen("bob", leaned) == ["Alice leans on the bar."]
    assert [e for e in leaned if isinstance(e, Then)] == [Then("alice", "order a stew")]
    # A manner before the deed is no part of it (played in the mill loft: "*quietly
    # pockets the rusty key*" was a pose, and the key left lying); a pose keeps it.
    rig = _alice_and_bob("mill_loft")
    pocketed = rig.run("alice", "*quietly pockets the rusty key*")
    assert rig.seen("alice", pocketed)[0] == "You pick up a rusty key."
    shook = rig.run("bob", "*slowly shakes his head*")
    assert rig.seen("alice", shook) == ["Bob slowly shakes his head."]
    assert rig.seen("bob", rig.run("bob", "quietly pockets the key"))[0] != (
        "You try to quietly pockets the key."
    )
    # A star inside a line is emphasis.
    assert rig.seen("bob", rig.run("alice", "I *told* you")) == ["Alice says, 'I *told* you'"]
    assert rig.seen("bob", rig.run("alice", "I *told* you. it's *fine*")) == [
        "Alice says, 'I *told* you. it's *fine*'"
    ]
    # A pose opening a sentence after the first is a pose (played, round 49: "ow!! ok um.
    # *raises her lantern high* saint ysolde, light the way!" was all of it said).
    line = "ow!! ok um. *raises her lantern high* saint ysolde, light the way!"
    out = call(rig.world, "alice", line)
    assert out.lines("bob") == [
        "Alice says, 'ow!! ok um.'",
        "Alice raises her lantern high.",
        "Alice says, 'saint ysolde, light the way!'",
    ], out.lines("bob")


def test_a_deed_tried_is_the_deed_and_it_is_the_thing_cried_out_before_it() -> None:
    # Played at the shrine: "the carved lantern! *tries turning it*" was "You act: the
    # carved lantern!" (a search of it) and "Dunn tries turning it.", a pose.
    rig = _alice_and_bob("sunken_shrine")
    seen = call(rig.world, "alice", "the carved lantern! *tries turning it*").lines("bob")
    assert seen[:2] == ["Alice says, 'the carved lantern!'", "Alice turns the carved lantern."], (
        seen
    )
    # The name may be one sentence of the words (played on the stair: "a locket! that
    # must be edda's. *picks it up*" was "You do not know how to pick locks.").
    rig.world.spawn_item("hollowmere:venn_locket", "room:hollowmere:sunken_shrine")
    seen = call(rig.world, "alice", "a locket! that must be edda's. *picks it up*").lines("alice")
    assert seen == ["You say, 'a locket! that must be edda's.'", "You pick up a tarnished locket."]
    for line, done in (
        ("*tries turning the lantern*", "You turn the lantern."),
        ("*tries to turn the lantern*", "You turn the lantern."),
        ("tries moving the altar", "You try to move the altar."),
        ("*tries prying at the altar*", "You try to pry at the altar."),
    ):
        assert call(rig.world, "alice", line).lines("alice")[0] == done, line


def test_a_social_typed_as_a_sentence_is_the_social() -> None:
    # Played: "smile." and "Bob smiles." read "Bob tries to smile.", a deed narrated.
    rig = EngineRig()
    rig.player("bob", "common_room")
    rig.player("alice", "common_room")
    for typed, read in (
        ("smile.", "Bob smiles."),
        ("laugh!", "Bob laughs."),
        ("Bob smiles.", "Bob smiles."),
        ("Bob sighs!", "Bob sighs."),
    ):
        assert call(rig.world, "bob", typed).lines("alice") == [read], typed
    # A command's word with a full stop is still asked after, not a social.
    assert "Did you mean 'look'" in call(rig.world, "bob", "look.").text("bob")


def test_a_social_that_a_thing_here_answers_is_the_builders_action() -> None:
    # Played: a Lamp-Keeper's "I kneel at the altar and pray to Saint Ysolde" at the
    # Sunken Shrine read back two poses, and nothing answered her.
    rig = EngineRig()
    rig.player("lysa", "sunken_shrine", "hollowmere:cleric")
    rig.player("corin", "sunken_shrine")
    answered = (
        "You bow your head to the saint. Under the water the bell answers, once, and your"
        " eyes go to the carved lantern: the stone around it is worn smooth, as if hands"
        " had turned it, again and again."
    )
    for line in ("pray", "pray to the saint", "I pray to Saint Ysolde for guidance"):
        out = call(rig.world, "lysa", line)
        assert out.lines("lysa") == [answered], line
        assert out.lines("corin") == [
            "Lysa prays at the altar. Under the water the bell tolls, once."
        ]
    both = call(rig.world, "lysa", "I kneel at the altar and pray to Saint Ysolde")
    assert both.lines("lysa") == ["You kneel at the altar.", answered]
    # Where nothing answers it, the social is the social.
    rig.player("ann", "common_room")
    assert call(rig.world, "ann", "pray").lines("ann") == ["You bow your head and pray."]


def test_the_carved_lantern_the_prayer_points_to_is_the_altars() -> None:
    # Played: after the prayer, "let me try. I push the carved lantern" rolled a plain
    # STR check (the hooded lantern he carried answered to "lantern"), a success, and
    # no way opened.
    rig = EngineRig()
    rig.player("lysa", "sunken_shrine", "hollowmere:cleric", kit=True)
    rig.player("corin", "sunken_shrine", kit=True)
    out = call(rig.world, "corin", "let me try. I push the carved lantern", dice=[15])
    assert "Behind the altar the duckweed parts" in out.text("corin")
    assert "A way down is revealed!" in out.text("corin")


def test_thanks_alone_thanks_the_one_who_just_handed_something_over() -> None:
    # Played: Dov handed Mira a potion ("here mira, drink this"), and her "thanks!
    # *drinks it*" read "You give thanks.".
    rig = EngineRig()
    rig.player("dov", "common_room", kit=True)
    rig.player("mira", "common_room", "hollowmere:cleric", kit=True)
    assert call(rig.world, "mira", "thanks!").lines("mira") == ["You give thanks."]
    rig.world.spawn_item("hollowmere:healing_potion", "char:dov")
    call(rig.world, "dov", "give potion to mira")
    out = call(rig.world, "mira", "thanks!")
    assert out.lines("mira") == ["You thank Dov."]
    assert out.lines("dov") == ["Mira thanks you."]


def test_words_then_a_door_opened_and_gone_through_in_a_pose() -> None:
    # Played on the drowned stair: "whatever's down there, stay close. *opens the door
    # and goes through*" read "You act: whatever's down there, stay close." and
    # "'through' is not a direction.".
    rig = _alice_and_bob("drowned_stair")
    rig.world.set_door("hollowmere:drowned_stair:down", closed=True, locked=False)
    line = "whatever's down there, stay close. *opens the door and goes through*"
    seen = call(rig.world, "alice", line).lines("alice")
    assert seen[:2] == ["You say, 'whatever's down there, stay close.'", "You open the iron door."]
    assert rig.world.chars["alice"].room == "hollowmere:lantern_hall", seen
    # With no door, "go through" asks which.
    rig.world.move("alice", "hollowmere:crossroads")
    seen = call(rig.world, "alice", "go through").lines("alice")
    assert seen == ["Go through what? Name the door or the way."]


def test_a_player_a_pose_names_reads_it_as_done_to_them() -> None:
    # Played by a griefer (round 53): "emote kicks Juno in the shins ..." read "Dax
    # kicks Juno in the shins ..." on Juno's own screen.
    rig = _alice_and_bob()
    rig.player("cal", "common_room")
    effects = rig.run("alice", "emote kicks Bob in the shins and takes Bob's hat")
    assert rig.seen("alice", effects) == ["Alice kicks Bob in the shins and takes Bob's hat."]
    assert rig.seen("bob", effects) == ["Alice kicks you in the shins and takes your hat."]
    assert rig.seen("cal", effects) == ["Alice kicks Bob in the shins and takes Bob's hat."]
    # A verb after the name agrees with "you" (played by a griefer: "emote Tova has left
    # the game." read "Dax You has left the game.").
    effects = rig.run("alice", "emote watches as Bob tries the door, and Bob's hat falls")
    assert rig.seen("bob", effects) == ["Alice watches as you try the door, and your hat falls."]
    # A pose naming no one here is the same for all.
    effects = rig.run("alice", "emote grins at the fire")
    assert rig.seen("bob", effects) == rig.seen("cal", effects) == ["Alice grins at the fire."]
