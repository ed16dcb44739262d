"""Lines written as prose, the way roleplayers write them: a pose and words in quotation
marks ("Tamsin leans on the bar. "Any news of the cartographer?""), speech tags ("she
says"), a name called first, curly quotes. ``parser.roleplay`` parts them (pure); the
dispatcher poses the pose and says the words, to the one the pose turns to. Played by a
roleplayer over telnet: "Tamsin shakes the rain from her cloak and approaches the bar.
"A bowl of that stew, if you'd be so kind."" read "You try to shake the rain from your
cloak and approach the bar. "A bowl of that stew, if you'd be so kind."." and no stew
came."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from mud.engine.commands import ALIASES, dispatch
from mud.engine.context import Ctx
from mud.engine.effects import AskNarration, LogChat
from mud.engine.parser import parse, roleplay
from tests.call import call, carry_out, turn_at_the_eelcatcher
from tests.enginerig import EngineRig, ScriptedRng, narration_asks

H = "hollowmere:"


@pytest.mark.parametrize(
    ("line", "parts"),
    [
        (
            'Tamsin shakes the rain from her cloak. "A bowl of that stew, if you\'d be so kind."',
            (
                ("pose", "Tamsin shakes the rain from her cloak."),
                ("say", "A bowl of that stew, if you'd be so kind."),
            ),
        ),
        (
            '"Evening," Dov says, nodding to the barkeep.',
            (("say", "Evening."), ("pose", "nodding to the barkeep.")),
        ),
        ('"Evening," says Maren.', (("say", "Evening."),)),
        ('she says "hello"', (("say", "hello"),)),
        ('Maren says, "hello"', (("say", "hello"),)),
        ('"Well," she says, "I think not."', (("say", "Well, I think not."),)),
        ('"Evening," she says. "Any stew?"', (("say", "Evening. Any stew?"),)),
        (
            'leans on the bar and says "stew please"',
            (("pose", "leans on the bar"), ("say", "stew please")),
        ),
        ("\u201cA bowl of stew, please.\u201d", (("say", "A bowl of stew, please."),)),
        ('"hello"', (("say", "hello"),)),
        ('Bessa, "a bowl of stew"', (("say", "Bessa, a bowl of stew"),)),
        ('Tamsin: "hello"', (("say", "hello"),)),
        # Played: read as a thing's words quoted ("words"), and the whole line a deed.
        (
            'Tamsin\'s fingers trace the hurried words. "Who is she, I wonder?"',
            (
                ("pose", "Tamsin's fingers trace the hurried words."),
                ("say", "Who is she, I wonder?"),
            ),
        ),
    ],
)
def test_prose_is_parted_into_its_pose_and_its_words(line: str, parts: tuple[object, ...]) -> None:
    assert roleplay(line) == parts


@pytest.mark.parametrize(
    "line",
    [
        "leans on the bar",  # no quotation
        'He said "no',  # an unpaired mark
        '""',
        'the sign reads "KEEP OUT"',  # a thing's words, not speech
        'points at the "honest" one',  # a word in passing
    ],
)
def test_lines_that_are_no_prose_with_speech_are_left_as_they_are(line: str) -> None:
    assert roleplay(line) is None


_PROSE = st.text(alphabet=st.sampled_from('ab ,."\u201c\u201d?!:Sr'), max_size=40)


@given(_PROSE)
def test_parting_keeps_every_quoted_word_and_invents_none(line: str) -> None:
    parts = roleplay(line)
    if parts is None:
        return
    # The words said once, a pose before them and one after at most, in that order.
    kinds = [kind for kind, _ in parts]
    assert kinds in (
        ["say"],
        ["pose"],
        ["pose", "say"],
        ["say", "pose"],
        ["pose", "say", "pose"],
    ), kinds

    def bare(text: str) -> str:
        return text.replace("\u201c", " ").replace("\u201d", " ").replace('"', " ")

    def plain(word: str) -> str:
        # Marks at a word's edges may be dropped or changed: a comma before a tag ends
        # the words said with a full stop; the colon of "Tamsin:" goes.
        return word.strip(",.:;-!? ")

    words = {plain(w) for w in bare(line).split()}
    for _, text in parts:
        assert text.strip()
        for word in bare(text).split():
            assert plain(word) in words or not plain(word), (word, words)


def _tavern() -> EngineRig:
    rig = EngineRig()
    rig.player("tamsin", "common_room", kit=True)
    rig.player("hob", "common_room", kit=True)
    rig.world.chars["tamsin"].gold = 5
    return rig


def test_a_pose_and_an_order_in_quotes_are_posed_and_bought() -> None:
    rig = _tavern()
    line = (
        'Tamsin shakes the rain from her cloak and approaches the bar. "A bowl of that'
        " stew, if you'd be so kind.\""
    )
    assert parse(line, ALIASES).verb == "emote"
    out = call(rig.world, "tamsin", line)
    seen = out.lines("tamsin")
    assert not any('"' in text for text in seen), seen  # no quotation mark left over
    assert "You buy a bowl of eel stew for 1 gold." in seen
    assert "Tamsin buys a bowl of eel stew." in out.lines("hob")
    assert rig.world.chars["tamsin"].gold == 4


def test_a_ware_chosen_then_words_quoted_at_the_bar_is_bought_and_the_rest_asked() -> None:
    # Played (round 50): 'Mara shakes the rain from her hood and takes a stool at the
    # bar. "Stew, then. And whatever you know about those lights."' was all said to
    # Bessa, and no stew came; "stew, then." alone read "You act: stew, then.".
    rig = _tavern()
    line = 'Tamsin takes a stool at the bar. "Stew, then. And whatever you know of those lights."'
    seen = call(rig.world, "tamsin", line).lines("hob")
    assert seen[:3] == [
        "Tamsin sits down at the bar.",
        "Tamsin buys a bowl of eel stew.",
        "Tamsin says to Bessa Thorn, 'And whatever you know of those lights.'",
    ], seen
    assert any("old sunken shrine" in text for text in seen), seen
    assert rig.world.chars["tamsin"].gold == 4
    for typed in ("stew, then.", "two ales then", '"Stew, then."'):
        seen = call(rig.world, "hob", typed).lines("tamsin")
        assert seen[0].startswith("Hob buys "), (typed, seen)
    # A thing not sold, chosen so, is only said.
    seen = call(rig.world, "hob", "the mill, then.").lines("tamsin")
    assert seen[0] == "Hob says, 'the mill, then.'", seen


def test_prose_after_another_player_asked_answers_them_and_a_look_away_is_a_pose() -> None:
    # Played (round 50): Jax asked Mara "sup. u headed out to the marsh?", and her
    # 'Mara glances up from her stew. "Thinking about it. ..." She eyes his sword. "You
    # any good with that?"' was asked of the innkeeper, who spoke of healing, and her
    # glance up from the stew looked at the stew of the room's words.
    rig = _tavern()
    call(rig.world, "hob", "you headed out to the marsh?")
    line = (
        'Tamsin glances up from her stew. "Thinking about it. Someone should look for that'
        ' mapmaker." She eyes his sword. "You any good with that?"'
    )
    seen = call(rig.world, "tamsin", line).lines("hob")
    assert seen[:3] == [
        "Tamsin glances up from her stew.",
        "Tamsin eyes his sword.",
        "Tamsin asks you, 'Thinking about it. Someone should look for that mapmaker. You any"
        " good with that?'",
    ], seen
    assert not any("Bessa Thorn says" in text for text in seen), seen
    # Typed as a command, or between stars.
    for typed, shown in [
        ("look up from the map", "Hob looks up from the map."),
        ("glance up from the fire", "Hob glances up from the fire."),
        ("*looks away from the fire*", "Hob looks away from the fire."),
    ]:
        assert call(rig.world, "hob", typed).lines("tamsin") == [shown], typed


def test_what_it_says_asked_in_prose_over_a_companions_shoulder_is_read() -> None:
    # Played (round 50): Jax took and read the map; Mara's 'Mara leans over his
    # shoulder. "What does it say?"' read "You try to lean over your shoulder.", was
    # narrated as a deed, and the question was said to the room, unanswered.
    rig = _tavern()
    call(rig.world, "hob", "want to team up?")
    call(rig.world, "tamsin", "sure")
    assert rig.world.spawn_item(H + "map_scrap", "char:hob") is not None
    out = call(rig.world, "tamsin", 'Tamsin leans over his shoulder. "What does it say?"')
    seen = out.lines("tamsin")
    assert seen[0] == "Tamsin leans over his shoulder.", seen
    read = "Hob's scrap of map " + rig.world.templates.items[H + "map_scrap"].description
    assert seen[1].split() == read.split(), seen
    assert "Tamsin asks the DM: What does it say?" in out.lines("hob")
    assert narration_asks(out.effects) == []
    # A gesture at another's side is a pose.
    seen = call(rig.world, "tamsin", "*puts a hand on his shoulder*").lines("hob")
    assert seen == ["Tamsin puts a hand on his shoulder."], seen
    # So is taking them by the arm (played, round 50, fleeing the eel-catcher: "*grabs
    # his arm* run!" read "You see no 'his arm' here.").
    seen = call(rig.world, "tamsin", "*grabs his arm*").lines("hob")
    assert seen == ["Tamsin grabs his arm."], seen


def test_a_pose_with_ones_own_head_is_no_deed_at_the_rooms_words() -> None:
    # Played (round 51): Oswin, new, in the tavern, whose words say the beams hang "close
    # over your head": 'Oswin turns to the newcomer and inclines his head. "Oswin, of the
    # Lamp-Keepers. And you are?"' read "You try to turn to the newcomer and incline your
    # head.", narrated as a deed ("You do what needs doing").
    rig = _tavern()
    out = call(
        rig.world,
        "hob",
        'Hob turns to the newcomer and inclines his head. "Hob, of the Lamp-Keepers. And you?"',
    )
    # "The newcomer" is the one other player here: the words are asked of her (round
    # 55; they were said to the room).
    assert out.lines("tamsin") == [
        "Hob turns to the newcomer and inclines his head.",
        "Hob asks you, 'Hob, of the Lamp-Keepers. And you?'",
    ]
    assert narration_asks(out.effects) == []
    for typed in (
        "*inclines his head*",
        "*rubs her eyes*",
        "*bows his head, cracks his knuckles*",
        # Played (round 51) to the cartographer: "You try to offer your hand." ('offer'
        # a command of other MUDs).
        "*offers his hand*",
    ):
        out = call(rig.world, "hob", typed)
        assert out.lines("tamsin") == [f"Hob {typed.strip('*')}."], typed
        assert narration_asks(out.effects) == [], typed
    # After a kneel too, in prose.
    out = call(rig.world, "hob", "Hob kneels beside Tamsin and offers his hand.")
    assert out.lines("tamsin") == ["Hob kneels beside you.", "Hob offers their hand."]
    assert narration_asks(out.effects) == []


def test_prose_of_sentences_each_in_the_third_person_is_a_pose_each() -> None:
    # Played (round 50) in the mill loft: "Mara eyes the old man, then the key. She moves
    # toward it without a sound." read "You try to eye the old man, then the key. She
    # moves toward it without a sound.", narrated as one deed.
    rig = EngineRig()
    rig.player("mara", "mill_loft")
    rig.player("jax", "mill_loft")
    line = "Mara eyes the old man, then the key. She moves toward it without a sound."
    seen = call(rig.world, "mara", line).lines("jax")
    assert seen == ["Mara eyes the old man, then the key.", "Mara moves toward it without a sound."]
    seen = call(rig.world, "jax", "Jax cracks his knuckles. He grins at Mara.").lines("mara")
    assert seen == ["Jax cracks his knuckles.", "Jax grins at you."], seen


def test_prose_tossing_a_companion_a_potion_gives_it_and_wiping_a_blade_strikes_no_one() -> None:
    # Played (round 50) just after the bog rat fell: 'Mara wipes her blade on her
    # sleeve. "Better than you. Here." She tosses him a potion.' read "(The bog rat is
    # dead already.)", and the potion was kept.
    rig = EngineRig()
    rig.player("mara", "smugglers_tunnel", kit=True)
    rig.player("jax", "smugglers_tunnel", kit=True)
    rig.world.npcs[H + "bog_rat"].alive = False
    line = 'Mara wipes her blade on her sleeve. "Better than you. Here." She tosses him a potion.'
    potions = len(rig.world.chars["jax"].inventory)
    seen = call(rig.world, "mara", line).lines("jax")
    # In the order written (since round 51; the words came last before).
    assert seen == [
        "Mara wipes her blade on her sleeve.",
        "Mara says, 'Better than you. Here.'",
        "Mara tosses him a potion.",
        "Mara gives you the potion of healing.",
    ], seen
    assert len(rig.world.chars["jax"].inventory) == potions + 1


def test_a_pose_before_an_answer_is_no_answer_and_the_words_after_it_are() -> None:
    # Played (round 50), carried back to the inn: to Jax's "lol we got wrecked. sleep it
    # off?", 'Mara rubs her head. "Yes. Gods, yes."' read "You say to Jax, 'rub my
    # head'", and the yes was said to the room; no one slept.
    rig = EngineRig()
    rig.player("mara", "common_room", kit=True)
    rig.player("jax", "common_room", kit=True)
    call(rig.world, "jax", "want to team up?")
    call(rig.world, "mara", "sure")
    rig.world.chars["mara"].hp = 1
    call(rig.world, "jax", "lol we got wrecked. sleep it off?")
    seen = call(rig.world, "mara", 'Mara rubs her head. "Yes. Gods, yes."').lines("jax")
    assert seen[:2] == ["Mara rubs her head.", "Mara says to you, 'Yes. Gods, yes.'"], seen
    assert rig.world.chars["mara"].hp == rig.world.chars["mara"].max_hp


def test_a_pose_with_what_one_does_as_one_does_it_and_a_walk_proposed_in_prose() -> None:
    # Played (round 50) on the causeway, fled from the eel-catcher at 1 HP: 'Mara leans
    # on her knees, gasping. "Too close. Back to the inn?"' read "You try to lean on
    # your knees.", "You try to gasping.", and the words were said; Jax's "ya" walked no
    # one.
    rig = EngineRig()
    rig.player("mara", "causeway", kit=True)
    rig.player("jax", "causeway", kit=True)
    call(rig.world, "jax", "want to team up?")
    call(rig.world, "mara", "sure")
    for key in ("mara", "jax"):
        rig.world.chars[key].visited = [H + "common_room", H + "crossroads", H + "causeway"]
    line = 'Mara leans on her knees, gasping. "Too close. Back to the inn?"'
    seen = call(rig.world, "mara", line).lines("jax")
    assert seen == [
        "Mara leans on her knees, gasping.",
        "Mara says, 'Too close. Back to the inn?'",
    ], seen
    call(rig.world, "jax", "ya")
    assert rig.world.chars["jax"].room == rig.world.chars["mara"].room == H + "common_room"
    # A first part that does something is done ("sits by the fire, warming her hands").
    call(rig.world, "mara", "*sits by the fire, warming her hands*")
    assert rig.world.chars["mara"].pose == "sitting by the fire"


def test_words_quoted_after_kneeling_beside_someone_are_to_them() -> None:
    # Played (round 50) at the bell, just after Jax answered Mara's "did we win?":
    # 'Mara kneels beside the cartographer. "We did. Bessa sent us. Can you walk?"' was
    # asked of Jax.
    rig = EngineRig()
    rig.player("mara", "bell_chamber", kit=True)
    rig.player("jax", "bell_chamber", kit=True)
    call(rig.world, "mara", "did we win?")
    call(rig.world, "jax", "ya barely")
    line = 'Mara kneels beside the cartographer. "We did. Bessa sent us. Can you walk?"'
    seen = call(rig.world, "mara", line).lines("jax")
    assert seen[:2] == [
        "Mara kneels beside Edda Venn.",
        "Mara says to Edda Venn, 'We did. Bessa sent us. Can you walk?'",
    ], seen
    assert any("able to walk" in text for text in seen), seen


def test_words_quoted_after_sitting_down_beside_a_player_are_to_them() -> None:
    # Played (round 54): 'Pell pulls up a stool beside the rogue. "Name's Pell. You here
    # about the cartographer too?"' was asked of Bessa Thorn, who knew of her.
    rig = EngineRig()
    rig.player("pell", "common_room", kit=True)
    rig.player("wren", "common_room", "hollowmere:rogue", kit=True)
    for line, posed in (
        (
            "Pell pulls up a stool beside the rogue. \"Name's Pell. You here about the "
            'cartographer too?"',
            "Pell pulls up a stool beside the rogue.",
        ),
        (
            'Pell sits down next to Wren. "Name\'s Pell. You here about the cartographer too?"',
            "Pell sits down next to you.",
        ),
        # Taking one's place beside them is posed, not tried as a deed at the bar.
        (
            'Pell joins the rogue at the bar. "Name\'s Pell. You here about the cartographer too?"',
            "Pell joins the rogue at the bar.",
        ),
    ):
        seen = call(rig.world, "pell", line).lines("wren")
        assert seen == [
            posed,
            "Pell asks you, 'Name's Pell. You here about the cartographer too?'",
        ], line
    # Two of the calling here: the pose names no one, and the words are asked as before.
    rig.player("tam", "common_room", "hollowmere:rogue", kit=True)
    seen = call(rig.world, "pell", 'Pell sits beside the rogue. "Any news?"').lines("wren")
    assert "Pell asks you" not in " ".join(seen), seen
    # Sitting across from someone of the world is to them.
    seen = call(rig.world, "pell", 'Pell sits down across from Bessa. "Any news?"').lines("wren")
    assert seen[1].startswith("Pell says to Bessa Thorn,"), seen


def test_words_of_a_line_of_prose_are_acted_on_once() -> None:
    # Played (round 54): '"Then we split it. Partners?" Pell offers his hand.' read "You
    # invite Wren to your group." twice, and Wren the invitation twice; a call along
    # and a lead handed were told twice the same way.
    for line, once in (
        (
            '"Then we split it. Partners?" Pell offers his hand.',
            "Pell invites you to join the group. Type 'group accept', or say yes.",
        ),
        ('"Follow me." Pell grins.', "('follow pell' walks after Pell wherever they go.)"),
        ('"Wren, you take the lead." Pell steps aside.', "Pell now follows you."),
    ):
        rig = EngineRig()
        rig.player("pell", "common_room", kit=True)
        rig.player("wren", "common_room", kit=True)
        seen = call(rig.world, "pell", line).lines("wren")
        assert seen.count(once) == 1, (line, seen)


def test_words_quoted_after_a_pose_at_the_bar_are_asked_of_the_one_behind_it() -> None:
    rig = _tavern()
    out = call(rig.world, "tamsin", 'Tamsin leans on the bar. "Any news of the cartographer?"')
    assert out.lines("tamsin")[:2] == [
        "You lean on the bar.",
        "You say to Bessa Thorn, 'Any news of the cartographer?'",
    ]
    assert any("Edda Venn, a cartographer" in text for text in out.lines("hob"))
    assert rig.world.chars["tamsin"].pose == "leaning on the bar"


def test_a_speech_tag_is_left_out_and_the_manner_after_it_done() -> None:
    rig = _tavern()
    out = call(rig.world, "hob", '"Evening," Hob says, nodding to the barkeep.')
    assert out.lines("tamsin")[0] == "Hob says to Bessa Thorn, 'Evening.'"
    assert "Hob nods to Bessa Thorn." in out.lines("tamsin")
    out = call(rig.world, "tamsin", '"Hob, over here," she calls, waving.')
    assert out.lines("hob") == ["Tamsin says to you, 'over here.'", "Tamsin waves."]
    out = call(rig.world, "tamsin", 'Tamsin turns to Hob. "Shall we go up?"')
    # (Hob reads the pose as done to him since round 53: "Tamsin turns to you.".)
    assert out.lines("hob") == ["Tamsin turns to you.", "Tamsin asks you, 'Shall we go up?'"]
    # Named beside, not turned to (played: "You say to Hob, 'Easy, friend. ...'").
    out = call(rig.world, "tamsin", 'Tamsin steps between Hob and the stranger. "Easy, friend."')
    assert out.lines("hob")[-1] == "Tamsin says, 'Easy, friend.'"


@pytest.mark.parametrize(
    ("line", "said"),
    [
        ('"A fine evening."', "You say, 'A fine evening.'"),
        ("\u201cA fine evening.\u201d", "You say, 'A fine evening.'"),
        ('say "a fine evening"', "You say, 'a fine evening'"),
        ("'a fine evening'", "You say, 'a fine evening'"),
        # Tried: "You say, 'A fine evening."'" and "You say, '"a fine evening"'".
        ('"A fine evening," says Tamsin.', "You say, 'A fine evening.'"),
    ],
)
def test_words_in_quotation_marks_are_said_without_them(line: str, said: str) -> None:
    rig = _tavern()
    assert call(rig.world, "tamsin", line).lines("tamsin") == [said]


def test_a_sign_quoted_is_no_speech() -> None:
    rig = _tavern()
    out = call(rig.world, "tamsin", 'the sign reads "KEEP OUT"')
    assert not any(text.startswith("You say") for text in out.lines("tamsin"))
    assert narration_asks(out.effects)


@pytest.mark.parametrize(
    ("pose", "seen"),
    [
        # Tried: "Tamsin smilings." and "Tamsin glancing at the door."
        ("*smiling*", "Tamsin smiles."),
        ("*nodding to Hob*", "Tamsin nods to you."),
        ("*glancing at the door*", "Tamsin is glancing at the door."),
    ],
)
def test_a_pose_in_the_ing_form_is_its_social_or_what_one_is_doing(pose: str, seen: str) -> None:
    rig = _tavern()
    assert call(rig.world, "tamsin", pose).lines("hob") == [seen]


@pytest.mark.parametrize(
    "line",
    [
        "a bowl of that stew, please",
        "a bowl of stew, if you please",
        "say a bowl of stew, please",
        "say bessa, two ales",  # tried: "Don't know about that, love. Have some stew."
        "bessa, a bowl of stew, if you would be so kind",
    ],
)
def test_a_ware_asked_for_in_words_is_bought(line: str) -> None:
    rig = _tavern()
    out = call(rig.world, "tamsin", line)
    assert out.lines("tamsin")[-1].startswith("You buy "), out.lines("tamsin")


def test_a_pose_of_ones_own_hands_or_eyes_is_shown_as_written() -> None:
    rig = _tavern()
    out = call(rig.world, "tamsin", 'Tamsin\'s fingers trace the words. "The saint?"')
    assert out.lines("hob") == ["Tamsin's fingers trace the words.", "Tamsin says, 'The saint?'"]
    out = call(rig.world, "tamsin", 'Her eyes narrow. "Who goes there?"')
    assert out.lines("hob")[0] == "Tamsin's eyes narrow."
    # The MUD's own way of it.
    assert call(rig.world, "hob", "emote 's eyes narrow").lines("tamsin") == ["Hob's eyes narrow."]


def test_a_question_in_prose_to_no_one_is_put_aloud_to_the_one_who_knows() -> None:
    # Played in the mill loft: "Tamsin's gaze drifts to the rusty key on the boards.
    # "And that key? Is it yours?"" was said to the room, and Crake said nothing.
    rig = EngineRig()
    rig.player("tamsin", "mill_loft", kit=True)
    rig.player("hob", "mill_loft", kit=True)
    out = call(rig.world, "tamsin", 'Tamsin eyes the key. "And that key? Is it yours?"')
    assert "Tamsin says to Crake, 'And that key? Is it yours?'" in out.lines("hob")
    assert any(text.startswith("Crake says, \"It's not my key") for text in out.lines("hob"))
    # A question no one here knows of is said, and that is all.
    out = call(rig.world, "tamsin", 'Tamsin shrugs. "Shall we?"')
    assert out.lines("hob")[-1] == "Tamsin says, 'Shall we?'"


def test_prose_of_a_pose_and_a_healing_kneels_heals_and_says() -> None:
    # Played after the rat: "Tamsin kneels beside Hob and lays a glowing hand on his
    # wounds. "Hold still."" read first "You try to lay a glowing hand on your wounds."
    # and, once the healing could be done, "You tamsin kneels beside Hob.".
    rig = EngineRig()
    rig.player("tamsin", "common_room", cls="hollowmere:cleric", kit=True)
    rig.player("hob", "common_room", kit=True)
    call(rig.world, "tamsin", "pronouns she")
    rig.world.chars["hob"].hp = 3
    line = 'Tamsin kneels beside Hob and lays a glowing hand on his wounds. "Hold still."'
    out = call(rig.world, "tamsin", line, dice=[5])
    assert out.lines("hob") == [
        "Tamsin kneels beside you.",
        "Tamsin uses Ysolde's Light on you: you heal 8 (1d8+3: [5] +3 = 8)",
        "You have 11/12 HP.",
        # Knelt beside him, the words are to him (round 50: "kneels beside the
        # cartographer" turns to her).
        "Tamsin says to you, 'Hold still.'",
    ]


def test_dropping_to_ones_knees_beside_the_fallen_kneels_and_a_hand_on_a_brow_heals() -> None:
    # Played (round 51): Kessa down in the eel-catcher's fight, Oswin's 'Oswin drops to
    # his knees beside Kessa and lays a hand on her brow. "Not yet, friend."' read "You
    # are not carrying 'to my knees beside Kessa'.", no healing, and the words to the
    # room.
    rig = EngineRig()
    rig.player("oswin", "common_room", cls="hollowmere:cleric", kit=True)
    rig.player("kessa", "common_room", kit=True)
    rig.world.chars["kessa"].hp = 2
    line = 'Oswin drops to his knees beside Kessa and lays a hand on her brow. "Not yet, friend."'
    out = call(rig.world, "oswin", line, dice=[5])
    assert out.lines("kessa") == [
        "Oswin kneels beside you.",
        "Oswin uses Ysolde's Light on you: you heal 8 (1d8+3: [5] +3 = 8)",
        "You have 10/12 HP.",
        "Oswin says to you, 'Not yet, friend.'",
    ]
    # One knee, alone, is a kneel too; a thing dropped is still dropped.
    assert call(rig.world, "oswin", "*sinks to one knee*").lines("kessa") == ["Oswin kneels."]
    assert "Remove it first" in call(rig.world, "oswin", "drop the mace").text("oswin")
    # In a fight too, on his turn, the kneel shown and no pose kept (played, at the
    # Lamplighter: "Not in the middle of a fight!"); a seat is still refused there.
    rig = turn_at_the_eelcatcher("oswin", "kessa")
    rig.world.chars["kessa"].hp = 2
    out = call(rig.world, "oswin", line, dice=[5])
    assert out.lines("oswin")[:2] == [
        "You kneel beside Kessa.",
        "You use Ysolde's Light on Kessa: Kessa heals 8 (1d8+3: [5] +3 = 8)",
    ], out.lines("oswin")
    assert rig.world.chars["oswin"].pose == ""
    assert call(rig.world, "oswin", "sit down").lines("oswin") == ["Not in the middle of a fight!"]


def test_a_deed_of_ones_own_with_his_or_her_tells_once_how_the_room_reads_it() -> None:
    # Played: a fighter's "*runs his fingers along the hearthstones*" read "Hale tries to
    # run their fingers ..." to the room, beside "Hale shakes out his cloak." posed.
    rig = EngineRig()
    rig.player("hale", "common_room", kit=True)
    rig.player("wren", "common_room", kit=True)
    hint = "(The room reads 'their' for you: 'pronouns he' has it read 'his'.)"
    out = call(rig.world, "hale", "*runs his fingers along the hearthstones*", dice=[3])
    assert out.lines("hale")[-1] == hint, out.lines("hale")
    assert hint not in out.text("wren")
    # Once.
    out = call(rig.world, "hale", "*runs his fingers along the bar*", dice=[3])
    assert hint not in out.text("hale")
    # Not with a name here in it (his may be theirs), nor when pronouns are chosen.
    out = call(rig.world, "wren", "*kneels beside hale and touches her brow*", dice=[3])
    assert "pronouns" not in out.text("wren")
    call(rig.world, "wren", "pronouns she")
    out = call(rig.world, "wren", "*runs her fingers along the hearthstones*", dice=[3])
    assert "pronouns" not in out.text("wren")
    assert "Wren tries to run her fingers" in out.text("hale")
    # A blow posed beside a foe called "the ..." is told it too (played at the Warden,
    # round 47: "*drives her blade at the gap under its helm*" read "Vesna drives their
    # blade ..." all campaign, "the" taken for a name, and the hint never given).
    rig = EngineRig()
    rig.player("vesna", "drowned_stair", kit=True)
    rig.player("rook", "drowned_stair", kit=True)
    call(rig.world, "vesna", "attack warden", dice=[20, 1, 1, 10])
    # On her turn (this was Rook's, and the blow refused, the hint given still: since
    # round 51 it is given only when the room reads "their").
    call(rig.world, "rook", "defend", dice=[5, 5])
    out = call(rig.world, "vesna", "*drives her blade at the gap under its helm*", dice=[15])
    assert out.lines("vesna")[-1] == (
        "(The room reads 'their' for you: 'pronouns she' has it read 'her'.)"
    ), out.lines("vesna")


def test_a_look_or_a_gesture_posed_at_a_thing_is_shown_not_tried() -> None:
    # Played (round 46) in the mill loft: "*eyes the key on the floor*" was "You try to
    # eye the key on the floor." and "*nods at the key*" "You try to nod at the key.".
    rig = EngineRig()
    rig.player("quill", "mill_loft", kit=True)
    rig.player("marla", "mill_loft", kit=True)
    out = call(rig.world, "quill", "*eyes the key on the floor*")
    assert out.lines("marla") == ["Quill eyes the key on the floor."]
    assert out.lines("quill")[0] == "Quill eyes the key on the floor."
    assert out.lines("quill")[1].startswith("Rusty key\n")  # the one looking sees it
    assert not narration_asks(out.effects)
    out = call(rig.world, "quill", "*glances at the key*")
    assert out.lines("marla") == ["Quill glances at the key."]
    for pose, seen in (
        ("*nods at the key*", "Quill nods at the key."),
        ("*points toward the shutter*", "Quill points toward the shutter."),
    ):
        out = call(rig.world, "quill", pose)
        assert out.lines("marla") == [seen], pose
        assert not narration_asks(out.effects), pose
    # A social at a person is still the social; a look at nothing here is a pose.
    assert call(rig.world, "quill", "*waves at marla*").lines("marla") == ["Quill waves to you."]
    out = call(rig.world, "quill", "*gazes at the rafters, thinking*")
    assert out.lines("marla") == ["Quill gazes at the rafters, thinking."]
    # Played (round 48): "*glances at the old man*" beside Crake was "You see no 'old
    # man' here." and no pose; "*eyes the sleeping man, then the rusty key*" showed
    # the pose, "You see no 'sleeping man' here." and the key.
    out = call(rig.world, "quill", "*glances at the old sailor*")
    assert out.lines("marla") == ["Quill glances at the old sailor."]
    assert out.lines("quill") == ["Quill glances at the old sailor."]
    out = call(rig.world, "quill", "*eyes the sleeping sailor, then the rusty key*")
    assert out.lines("marla") == ["Quill eyes the sleeping sailor, then the rusty key."]
    assert len(out.lines("quill")) == 2 and out.lines("quill")[1].startswith("Rusty key\n")
    # A look in the words of the line, after a thing done (tried: "You try to squint at
    # the scrap of map."): looked at.
    out = call(rig.world, "quill", "stare at the key")
    assert out.lines("quill")[0].startswith("Rusty key\n"), out.lines("quill")
    # Crake goes by "the man" too.
    out = call(rig.world, "quill", "*eyes the man*")
    assert out.lines("quill")[1].startswith("Crake\n"), out.lines("quill")
    # And by "the old man", as players take him (played, round 51: 'Oswin regards the
    # old man. "You've been watching the marsh. What have you seen out there?"' was a
    # pose and words said to the room; his builder now calls him old).
    line = 'Quill regards the old man. "You\'ve been watching the marsh. What have you seen?"'
    seen = call(rig.world, "quill", line).lines("quill")
    assert seen[1].startswith("Crake\n"), seen
    assert seen[2] == "You say to Crake, 'You've been watching the marsh. What have you seen?'"
    assert any("Lights on the marsh, walking where no one walks" in s for s in seen), seen


def test_a_blow_posed_at_a_foe_already_dead_is_shown_and_told_so() -> None:
    # Played (round 46): Quill's blow killed the rat before Marla's turn came, and her
    # "my turn. *brings the sword down on the rat's back*" was "You try to bring the
    # sword down on the rat's back.", narrated as a deed.
    rig = EngineRig()
    rig.player("marla", "smugglers_tunnel", kit=True)
    rig.player("quill", "smugglers_tunnel", kit=True)
    rig.world.npcs["hollowmere:bog_rat"].alive = False
    out = call(rig.world, "marla", "my turn. *brings the sword down on the rat's back*")
    assert out.lines("marla") == [
        "You say, 'my turn.'",
        "Marla brings the sword down on the rat's back.",
        "(The bog rat is dead already.)",
    ]
    assert out.lines("quill")[-1] == "Marla brings the sword down on the rat's back."
    assert not narration_asks(out.effects)
    # "it", the one foe dead here (played: "*circles behind it and drives the
    # shortsword into its back*" was "The drowned eel-catcher is dead.").
    out = call(rig.world, "quill", "*circles behind it and drives the sword into its back*")
    assert out.lines("quill")[-1] == "(The bog rat is dead already.)"
    # A blow with nothing struck named is at the one foe dead here (played: the Warden
    # beaten, "*stabs again*" was "You try to stab again.", narrated).
    assert call(rig.world, "quill", "*stabs again*").lines("quill") == [
        "Quill stabs again.",
        "(The bog rat is dead already.)",
    ]
    # A blow after a step, in prose unquoted too (played, round 51: Oswin's "Oswin
    # steps up beside her and swings at the rat." after Kessa's blow killed it was "You
    # try to step up beside her and swing at the rat.", narrated).
    for line in ("Quill steps up beside her and swings at the rat.", "*steps up and stabs it*"):
        assert call(rig.world, "quill", line).lines("quill")[-1] == (
            "(The bog rat is dead already.)"
        ), line
    # A pose with no blow in it is the pose it was.
    out = call(rig.world, "marla", "*wipes the rat's blood off on her sleeve*")
    assert "(The bog rat is dead already.)" not in out.lines("marla")


def test_a_step_posed_to_a_thing_here_is_shown_and_what_is_done_there_done() -> None:
    # Played (round 46) at the sunken shrine: "*wades out to the altar and runs her hands
    # over the carving*" was "You cannot go out from here.".
    rig = EngineRig()
    rig.player("marla", "sunken_shrine", kit=True)
    rig.player("quill", "sunken_shrine", kit=True)
    out = call(rig.world, "marla", "*wades out to the altar and runs her hands over the carving*")
    assert out.lines("quill")[:2] == [
        "Marla wades out to the altar.",
        "Marla tries to run their hands over the carving.",
    ]
    assert narration_asks(out.effects)  # the carving is searched: a deed the rules roll
    out = call(rig.world, "marla", "*walks over to the altar and searches it*", dice=[3])
    assert out.lines("quill")[:2] == ["Marla walks over to the altar.", "Marla searches the altar."]
    assert call(rig.world, "marla", "*steps up to the altar*").lines("quill") == [
        "Marla steps up to the altar."
    ]
    # Played (round 50): the same unquoted, with one's name first, was "You cannot go
    # out from here."; and the pronoun hint was told twice.
    rig.world.hinted.clear()
    out = call(
        rig.world,
        "marla",
        "Marla wades out to the altar and runs her hands over the carved woman, searching for"
        " a catch.",
    )
    assert out.lines("quill")[:2] == [
        "Marla wades out to the altar.",
        "Marla tries to run their hands over the carved woman, searching for a catch.",
    ], out.lines("quill")
    hints = [line for line in out.lines("marla") if line.startswith("(The room reads")]
    assert len(hints) == 1, out.lines("marla")
    # The carved woman the room's words tell is the altar's carving (played: a search of
    # her that succeeded searched the room, and found nothing).
    out = call(rig.world, "marla", "*runs her hands over the carved woman*", dice=[20])
    assert any(line.startswith("You turn the stone lantern") for line in out.lines("marla"))
    # A way or a place is still walked.
    call(rig.world, "marla", "*heads north*")
    assert rig.world.chars["marla"].room == "hollowmere:reed_path"


def test_ones_own_power_named_in_a_pose_or_in_words_is_used() -> None:
    # Played (round 46) in the Warden's fight: "*gasps, then grits her teeth and finds
    # her second wind*" was "You gasp." and "You are in a fight: ...".
    for line in (
        "*gasps, then grits her teeth and finds her second wind*",
        "grits her teeth and finds her second wind",
    ):
        rig = EngineRig()
        rig.player("marla", "smugglers_tunnel", kit=True)
        call(rig.world, "marla", "attack rat", dice=[20, 3, 3, 3, 3])
        assert rig.world.fights["hollowmere:smugglers_tunnel"].order.current == "p:marla"
        rig.world.chars["marla"].hp = 4
        seen = call(rig.world, "marla", line, dice=[5, 5, 5, 5]).lines("marla")
        assert "You use Second Wind, and heal 7 (1d10+2: [5] +2 = 7)." in seen, (line, seen)
        assert rig.world.chars["marla"].hp == 11
    # Another's power, or none named, is no use of one's own.
    rig = EngineRig()
    rig.player("marla", "common_room", kit=True)
    rig.player("quill", "common_room", kit=True)
    out = call(rig.world, "marla", "*wishes for a second helping*")
    assert out.lines("marla") == ["Marla wishes for a second helping."]
    rig.world.chars["marla"].hp = 4
    out = call(rig.world, "marla", "*watches Quill find his second wind*")
    assert out.lines("marla") == ["Marla watches Quill find his second wind."]
    assert rig.world.chars["marla"].hp == 4
    # Played (round 50) in the Warden's fight, by a rogue on her turn: "Mara melts into
    # the shadows of the stair, looking for an opening." was "You are in a fight: ...".
    # The pack's Steady Aim answers to "for an opening".
    for line in (
        "Mara melts into the shadows of the stair, looking for an opening.",
        "*circles, watching for an opening*",
        # Played (round 52) at the Warden, on her turn: a pose, and the turn ran on.
        "*slips behind the rat looking for a gap in its armour*",
    ):
        rig = EngineRig()
        rig.player("mara", "smugglers_tunnel", "hollowmere:rogue", kit=True)
        call(rig.world, "mara", "attack rat", dice=[20, 3, 3, 3, 3])
        assert rig.world.fights["hollowmere:smugglers_tunnel"].order.current == "p:mara"
        seen = call(rig.world, "mara", line).lines("mara")
        assert "You use Steady Aim, and are blessed for 2 rounds." in seen, (line, seen)


def test_a_prayer_is_said_and_a_healing_named_after_you_reaches_the_one_named() -> None:
    # Played (round 46): "saint ysolde, light my hand!" was "You try to saint ysolde,
    # light your hand."; "let me heal you marla" was said, and nothing healed.
    rig = EngineRig()
    rig.player("tansy", "common_room", "hollowmere:cleric", kit=True)
    rig.player("marla", "common_room", kit=True)
    rig.player("quill", "common_room", kit=True)
    for line in ("saint ysolde, light my hand!", "gods, give me strength"):
        assert call(rig.world, "tansy", line).lines("marla") == [f"Tansy says, '{line}'"]
    rig.world.chars["marla"].hp = 5
    seen = call(rig.world, "tansy", "let me heal you marla", dice=[8]).lines("tansy")
    assert seen[0].startswith("You use Ysolde's Light on Marla"), seen
    assert rig.world.chars["marla"].hp > 5
    # A prayer asking for one's power is said and answered (played, round 52: a hurt
    # Lamp-Keeper's "I'll mend it myself. Saint Ysolde, lend me your light." was said,
    # and nothing healed); one who has no such power only says it.
    for line in (
        "I'll mend it myself. Saint Ysolde, lend me your light.",
        "Saint Ysolde, mend me!",
    ):
        rig.world.chars["tansy"].powers_used = {}
        rig.world.chars["tansy"].hp = 3
        seen = call(rig.world, "tansy", line, dice=[5]).lines("tansy")
        assert seen[:2] == [
            f"You say, '{line}'",
            "You use Ysolde's Light, and heal 6 (1d8+3: [5] +3 = 8, to full health).",
        ], seen
    line = "Saint Ysolde, mend me!"
    assert call(rig.world, "marla", line).lines("marla") == [f"You say, '{line}'"]


@pytest.mark.parametrize(
    ("line", "parts"),
    [
        # Played (round 55): '"Evening," Ashe says to Bessa.' read "Ashe bessas.", "to"
        # taken for the speaker's name and "Bessa." left over as a pose.
        ('"Evening," Ashe says to Bessa.', (("say", "Bessa, Evening."),)),
        (
            '"Evening," she says to Bessa, nodding.',
            (("say", "Bessa, Evening."), ("pose", "nodding.")),
        ),
        ('"Evening," she says to the barkeep.', (("say", "the barkeep, Evening."),)),
        ('Ashe says to Bessa, "Evening."', (("say", "Bessa, Evening."),)),
        (
            'Ashe leans in and says to Bessa, "Evening."',
            (("pose", "Ashe leans in"), ("say", "Bessa, Evening.")),
        ),
        # Played: "I say to no one in particular" left "no one in particular." as a pose.
        ('"Evening," I say to no one in particular.', (("say", "Evening."),)),
        ('"Evening," Ashe says to everyone.', (("say", "Evening."),)),
        # Whispered to someone: the pose that whispers says so, for the whisper.
        (
            '"Mara did it," Vex whispers to Ann.',
            (("say", "Mara did it."), ("pose", "whispers to Ann.")),
        ),
    ],
)
def test_whom_a_speech_tag_says_the_words_to_is_whom_they_are_said_to(
    line: str, parts: tuple[object, ...]
) -> None:
    assert roleplay(line) == parts


def test_words_said_to_someone_by_their_tag_are_said_to_them_and_nothing_is_left_over() -> None:
    rig = _tavern()
    out = call(rig.world, "tamsin", '"Evening," Tamsin says to Bessa.')
    assert out.lines("hob")[0] == "Tamsin says to Bessa Thorn, 'Evening.'", out.lines("hob")
    assert not any("bessas" in text.lower() for text in out.lines("hob"))
    out = call(rig.world, "tamsin", '"Evening," Tamsin says to no one in particular.')
    assert out.lines("hob") == ["Tamsin says, 'Evening.'"], out.lines("hob")
    out = call(rig.world, "tamsin", '"The keeper lies," Tamsin whispers to Hob.')
    assert out.lines("hob") == ["Tamsin whispers to you, 'The keeper lies.'"], out.lines("hob")


def test_prose_in_the_first_person_is_posed_done_and_said_as_with_ones_name() -> None:
    # Played (round 55) by a roleplayer who writes "I": 'I shake the rain from my cloak
    # and take a seat near the fire. "Evening," I say to no one in particular.' read
    # "Ashe tries to shake the rain from their cloak and take a seat near the fire.
    # "Evening," I say to no one in particular.", a deed narrated, nothing said, no seat.
    rig = _tavern()
    line = (
        'I shake the rain from my cloak and take a seat near the fire. "Evening," I say to no'
        " one in particular."
    )
    out = call(rig.world, "tamsin", line)
    assert out.lines("hob")[:3] == [
        "Tamsin shakes the rain from their cloak.",
        "Tamsin sits down near the fire.",
        "Tamsin says, 'Evening.'",
    ], out.lines("hob")
    assert rig.world.chars["tamsin"].pose == "sitting near the fire"
    assert not narration_asks(out.effects)
    # She wrote "my": no hint of which pronouns the room should read (played: "'pronouns
    # she' has it read 'her'", guessed from the "their" the room was shown).
    assert not any("pronouns" in text for text in out.lines("tamsin")), out.lines("tamsin")
    # A social, a walk, in the first person (played: "You try to nod to Fen.").
    assert call(rig.world, "tamsin", "I nod to Hob.").lines("hob") == ["Tamsin nods to you."]
    assert call(rig.world, "tamsin", "I smile at Hob.").lines("hob") == ["Tamsin smiles at you."]
    call(rig.world, "hob", "I head upstairs.")
    assert rig.world.chars["hob"].room == "hollowmere:loft_landing"


def test_words_told_in_the_first_person_stay_a_deed_for_the_dungeon_master() -> None:
    rig = _tavern()
    # One deed and no more is the DM's to tell, in the player's own words: what is
    # heard at the wall is the narration's, not a pose's.
    (asked,) = narration_asks(rig.run("tamsin", "I press my ear to the cold wall, try 3"))
    assert asked.text == "I press my ear to the cold wall, try 3"
    # A command that names nothing here is the DM's too, as typed (the suite's local
    # model run caught "I look under the tables" read "You see no 'tables' here.").
    (asked,) = narration_asks(rig.run("tamsin", "I look under the tables"))
    assert asked.text == "I look under the tables"
    for line in ("I tell a joke", "I order the guards to stand down"):
        out = call(rig.world, "tamsin", line)
        assert out.lines("tamsin")[0].startswith("You try to "), (line, out.lines("tamsin"))


def test_a_pose_closing_on_a_players_name_is_a_pose_and_one_at_someone_of_the_world_a_deed() -> (
    None
):
    # Found in round 55: "Tamsin shakes the rain off her cloak and nods to Hob." read
    # "You say to Hob, 'shake the rain off my cloak and nod to.'", the name after "to"
    # taken for whom the line was said to.
    rig = _tavern()
    out = call(rig.world, "tamsin", "Tamsin shakes the rain off her cloak and nods to Hob.")
    assert out.lines("hob") == ["Tamsin shakes the rain off her cloak and nods to you."]
    assert not out.of(LogChat) or all(e.kind == "emote" for e in out.of(LogChat))
    # Done to someone of the world, it is theirs to answer in the DM's narration, in the
    # third person or the first.
    for line in ("Tamsin flirts with Bessa.", "I tip my hat to Bessa Thorn"):
        (asked,) = call(rig.world, "tamsin", line, [15]).of(AskNarration)
        assert asked.npc_manner, line


def test_a_look_over_someone_is_a_look_at_them_and_what_follows_is_asked_of_them() -> None:
    # Played (round 55): 'I rise and look Fen over. "First time? Then stay close."' read
    # "You are already standing.", "You see no 'Fen over' here." and said it to the room.
    rig = _tavern()
    out = call(rig.world, "tamsin", 'I rise and look Hob over. "First time?"')
    seen = out.lines("tamsin")
    assert seen[0].startswith("You see Hob, "), seen
    assert "You are already standing." not in seen, seen
    assert out.lines("hob")[-1] == "Tamsin asks you, 'First time?'", out.lines("hob")
    # Up and down is one look, not a look and a walk down (tried: to the cellar).
    call(rig.world, "tamsin", "look the lantern up and down")
    assert rig.world.chars["tamsin"].room == "hollowmere:common_room"
    seen = call(rig.world, "tamsin", "look hob up and down").lines("tamsin")
    assert seen[0].startswith("You see Hob, "), seen


def test_leading_the_way_somewhere_in_prose_walks_there_and_the_followers_follow() -> None:
    # Played (round 55): "I lead the way up the creaking stairs." was said, and the lead
    # handed to the companion, who was left leading where no one went.
    rig = _tavern()
    call(rig.world, "hob", "follow tamsin")
    call(rig.world, "tamsin", "I lead the way up the creaking stairs.")
    assert rig.world.chars["tamsin"].room == "hollowmere:loft_landing"
    assert rig.world.chars["hob"].room == "hollowmere:loft_landing"
    call(rig.world, "tamsin", "Tamsin leads the way back down.")
    assert rig.world.chars["hob"].room == "hollowmere:common_room"
    call(rig.world, "tamsin", "*leads the way upstairs*")
    assert rig.world.chars["hob"].room == "hollowmere:loft_landing"
    # The place it leads to, where no way is called so (played at the eel-catchers'
    # landing: "I lead the way out along the reed path." was a pose, and no one went).
    rig.player("ivo", "eel_landing", kit=True)
    rig.player("pim", "eel_landing", kit=True)
    call(rig.world, "pim", "follow ivo")
    call(rig.world, "ivo", "I lead the way out along the reed path.")
    assert rig.world.chars["pim"].room == "hollowmere:reed_path"
    call(rig.world, "ivo", "I lead the way on to the shrine.")  # played: said, and a lead handed
    assert rig.world.chars["pim"].room == "hollowmere:sunken_shrine"
    # Said to another, it is still theirs to lead.
    seen = call(rig.world, "tamsin", "lead the way, hob").lines("hob")
    assert seen[0] == "Tamsin says to you, 'lead the way'", seen


def test_pushing_open_the_door_of_an_open_way_goes_through_it() -> None:
    # Played (round 55) on the landing: "I push open the door to the east." rolled a STR
    # check, and no one went into Edda's room.
    rig = EngineRig()
    rig.player("tamsin", "loft_landing", kit=True)
    for line in ("I push open the door to the east.", "push open the door to the west"):
        before = rig.world.chars["tamsin"].room
        out = call(rig.world, "tamsin", line)
        assert rig.world.chars["tamsin"].room != before, (line, out.lines("tamsin"))
        assert not any("check" in text for text in out.lines("tamsin")), out.lines("tamsin")


def test_a_gesture_of_ones_own_body_is_a_pose_however_it_is_made() -> None:
    # Played (round 55) before Crake: 'I raise both hands, palms open. "Easy, friend."'
    # read "You try to raise both hands, palms open.", narrated "You set to it without
    # fuss.".
    rig = EngineRig()
    rig.player("tamsin", "mill_loft", kit=True)
    rig.player("hob", "mill_loft", kit=True)
    for line, shown in (
        (
            'I raise both hands, palms open. "Easy, friend."',
            "Tamsin raises both hands, palms open.",
        ),
        ("*raises both hands, palms open*", "Tamsin raises both hands, palms open."),
        ("*spreads her hands wide*", "Tamsin spreads her hands wide."),
    ):
        effects = rig.run("tamsin", line)
        assert rig.seen("hob", effects)[0] == shown, (line, rig.seen("hob", effects))
        assert not narration_asks(effects), line


def test_hauling_a_door_open_and_then_more_opens_it_and_does_the_rest() -> None:
    # Played (round 55) at the unlocked trapdoor: 'I haul the trapdoor open and peer into
    # the dark below. "Stay close, both of you."' read "You try to haul the trapdoor open
    # and peer into the dark below.", and it stayed shut.
    rig = EngineRig()
    rig.player("tamsin", "cellar", kit=True)
    rig.player("hob", "cellar", kit=True)
    rig.world.spawn_item("hollowmere:rusty_key", "char:tamsin")
    call(rig.world, "tamsin", "unlock trapdoor")
    line = 'I haul the trapdoor open and peer into the dark below. "Stay close, both of you."'
    seen = call(rig.world, "tamsin", line).lines("hob")
    assert seen == [
        "Tamsin opens the trapdoor.",
        "Tamsin peers into the dark below.",
        "Tamsin says, 'Stay close, both of you.'",
    ], seen
    call(rig.world, "tamsin", "close trapdoor")
    call(rig.world, "tamsin", "*pushes open the trapdoor and climbs down*")
    assert rig.world.chars["tamsin"].room == "hollowmere:smugglers_tunnel"


def test_ones_own_palm_in_a_first_person_deed_reads_as_ones_own() -> None:
    # Played (round 55) at the altar: 'I wade out beside Cole and press my palm to the
    # carved lantern. "..."' read "You press their palm to the carved lantern.".
    rig = EngineRig()
    rig.player("tamsin", "sunken_shrine", kit=True)
    rig.player("hob", "sunken_shrine", kit=True)
    line = 'I wade out beside Hob and press my palm to the carved lantern. "Show us the way."'
    seen = call(rig.world, "tamsin", line).lines("tamsin")
    assert "You press your palm to the carved lantern." in seen, seen


def test_it_in_a_pose_after_words_naming_a_thing_here_is_that_thing() -> None:
    # Played (round 55) at the altar: "the lantern in her hand looks like it could turn.
    # *tries turning it*" was said, then the pose shown, and nothing turned.
    rig = EngineRig()
    rig.player("cole", "sunken_shrine", kit=True)
    rig.player("hob", "sunken_shrine", kit=True)
    line = "the lantern in her hand looks like it could turn. *tries turning it*"
    seen = call(rig.world, "cole", line, [15]).lines("hob")
    assert seen[:2] == [
        "Cole says, 'the lantern in her hand looks like it could turn.'",
        "Cole turns the lantern.",
    ], seen
    assert seen[2].startswith("Cole: INT check"), seen


def test_a_prayer_in_prose_or_said_calls_on_the_power_it_asks_for() -> None:
    # Played (round 55) on her turn at the Drowned Warden: 'I lift my lantern high.
    # "Ysolde, bless us!"' was posed and said, and the turn ran on, no blessing.
    rig = turn_at_the_eelcatcher("ashe", "fen")
    seen = call(rig.world, "ashe", 'I lift my lantern high. "Ysolde, bless me!"').lines("fen")
    assert seen[:3] == [
        "Ashe lifts their lantern high.",
        "Ashe says, 'Ysolde, bless me!'",
        "Ashe uses Lamp-Blessing, and is blessed for 3 rounds.",
    ], seen
    # Said with 'say' too (out of the fight); a name of someone of the world is no saint
    # called on.
    rig = EngineRig()
    rig.player("ashe", "reed_path", "hollowmere:cleric", kit=True)
    rig.world.chars["ashe"].hp = 3
    seen = call(rig.world, "ashe", "say Saint Ysolde, mend me", dice=[5]).lines("ashe")
    assert seen[1].startswith("You use Ysolde's Light, and heal"), seen
    seen = call(rig.world, "ashe", "say Bessa, heal me").lines("ashe")
    assert not any("Ysolde's Light" in text for text in seen), seen


def test_a_healing_hand_on_his_brow_beside_a_fallen_friend_heals_him_in_the_first_person() -> None:
    # Played (round 55) on her turn at the Warden, Cole down: 'I drop to my knees beside
    # Cole and lay a glowing hand on his brow. "Not yet, friend."' read "You are unhurt
    # (9/9 HP).", his brow read as her own; typed without the words, "You are in a
    # fight: ...".
    for line in (
        'I drop to my knees beside Cole and lay a glowing hand on his brow. "Not yet, friend."',
        "I drop to my knees beside cole and lay a glowing hand on his brow.",
    ):
        rig = turn_at_the_eelcatcher("ashe", "cole")
        rig.world.chars["cole"].hp = 0
        rig.world.chars["cole"].down = True
        seen = call(rig.world, "ashe", line, dice=[5]).lines("ashe")
        assert seen[:2] == [
            "You kneel beside Cole.",
            "You use Ysolde's Light on Cole: Cole heals 8 (1d8+3: [5] +3 = 8)",
        ], (line, seen)


def test_thanks_then_a_blow_on_ones_turn_thanks_and_strikes() -> None:
    # Played (round 55) on his turn at the Warden, just healed: "thx ashe! hit it" read
    # "You thank Ashe." and "You say, 'hit it'", and the turn ran on.
    rig = turn_at_the_eelcatcher("fen", "ashe")
    seen = call(rig.world, "fen", "thx ashe! hit it", dice=[10, 3]).lines("fen")
    assert seen[0] == "You thank Ashe.", seen
    assert seen[1].startswith("Fen attacks the drowned eel-catcher"), seen
    # Out of a fight, the same words after a thanks are only said.
    rig = _tavern()
    seen = call(rig.world, "tamsin", "thanks hob! hit it").lines("tamsin")
    assert seen == ["You thank Hob.", "You say, 'hit it'"], seen


def test_turning_to_face_a_thing_or_someone_is_a_pose() -> None:
    # Played (round 55) at the iron door: 'I turn to the iron door. "Fen, the key?"' read
    # "You try to turn to the iron door.", narrated "You take a moment over it".
    rig = EngineRig()
    rig.player("ashe", "drowned_stair", kit=True)
    rig.player("fen", "drowned_stair", kit=True)
    out = call(rig.world, "ashe", 'I turn to the iron door. "Fen, the key?"')
    assert out.lines("fen") == ["Ashe turns to the iron door.", "Ashe asks you, 'The key?'"]
    assert not narration_asks(out.effects)
    for typed, shown in (
        ("*turns toward Fen*", "Ashe turns toward you."),
        ("*faces the stair*", "Ashe faces the stair."),
    ):
        assert call(rig.world, "ashe", typed).lines("fen") == [shown], typed
    # Turning a thing is still a deed.
    assert narration_asks(rig.run("ashe", "*turns the key*"))


def test_sinking_down_against_a_wall_sits_and_a_rest_proposed_in_prose_is_called_by_a_yes() -> None:
    # Played (round 55) before the iron door: 'I sink down against the wall. "We rest here
    # a moment before that door."' read "You try to sink down against the wall.", said
    # the words, and the companion's "sure" rested no one.
    rig = EngineRig()
    rig.player("ashe", "drowned_stair", "hollowmere:cleric", kit=True)
    rig.player("cole", "drowned_stair", kit=True)
    call(rig.world, "ashe", "invite cole")
    call(rig.world, "cole", "group accept")
    rig.world.chars["cole"].hp = 4
    line = 'I sink down against the wall. "We rest here a moment before that door."'
    seen = call(rig.world, "ashe", line).lines("cole")
    assert seen == [
        "Ashe sinks down against the wall.",
        "Ashe says, 'We rest here a moment before that door.'",
    ], seen
    assert rig.world.chars["ashe"].pose == "sitting against the wall"
    seen = call(rig.world, "cole", "sure", dice=[3]).lines("cole")
    assert "Ashe calls a short rest." in seen, seen
    assert rig.world.chars["cole"].hp > 4


def test_a_rest_proposed_is_taken_once_and_a_later_yes_is_only_said() -> None:
    # Played (round 55): "We rest here a moment", Cole's "sure" called the rest, and
    # Fen's "k" after it called it again, the leader resting twice.
    rig = EngineRig()
    for key in ("ashe", "cole", "fen"):
        rig.player(key, "drowned_stair", kit=True)
    for key in ("cole", "fen"):
        call(rig.world, "ashe", f"invite {key}")
        call(rig.world, key, "group accept")
    rig.world.chars["ashe"].hp = 3
    call(rig.world, "ashe", "we rest here a moment")
    call(rig.world, "cole", "sure", dice=[3])
    healed = rig.world.chars["ashe"].hp
    assert healed > 3
    # Fen is asked it no more: his yes now answers words, and calls nothing.
    assert not rig.world.questions.get("fen", "").endswith("rest:short")
    seen = call(rig.world, "fen", "k", dice=[3]).lines("fen")
    assert seen == ["You say to Ashe, 'k'"], seen
    assert rig.world.chars["ashe"].hp == healed


def test_leading_the_way_as_the_rest_of_ones_own_line_walks() -> None:
    # Played (round 55): "I rise and lead the way through the iron door." stood, then
    # said "lead the way through the iron door." as a lead handed.
    rig = EngineRig()
    rig.player("ashe", "drowned_stair", kit=True)
    rig.player("fen", "drowned_stair", kit=True)
    rig.world.spawn_item("hollowmere:drowned_key", "char:fen")
    call(rig.world, "fen", "unlock iron door")
    call(rig.world, "fen", "follow ashe")
    call(rig.world, "ashe", "sit")
    call(rig.world, "ashe", "I rise and lead the way through the iron door.")
    assert rig.world.chars["fen"].room == "hollowmere:lantern_hall"


def test_a_slip_of_attack_alone_on_ones_turn_attacks() -> None:
    # Played (round 55) at the Lamplighter, twenty seconds to act: "atack" read "Unknown
    # command 'atack'. Did you mean 'attack'?".
    rig = turn_at_the_eelcatcher("fen", "ashe")
    seen = call(rig.world, "fen", "atack", dice=[10, 3]).lines("fen")
    assert seen[0].startswith("Fen attacks the drowned eel-catcher"), seen
    # Not one's turn: asked, as out of a fight.
    seen = call(rig.world, "fen", "defnd").lines("fen")
    assert seen == ["Unknown command 'defnd'. Did you mean 'defend'?"], seen


def test_kneeling_beside_someone_and_offering_her_ones_hand_is_a_pose() -> None:
    # Played (round 55) beside Edda, with a companion there: "I kneel beside Edda and
    # offer her my hand." said "offer her my hand." to the companion.
    rig = EngineRig()
    rig.player("ashe", "bell_chamber", kit=True)
    rig.player("cole", "bell_chamber", kit=True)
    seen = call(rig.world, "ashe", "I kneel beside Edda and offer her my hand.").lines("cole")
    assert seen == ["Ashe kneels beside Edda Venn.", "Ashe offers her their hand."], seen


def _at_the_ferry_stage() -> EngineRig:
    """A rig with the Saltmarsh Ferry loaded beside Hollowmere, Ashe at its stage."""
    rig = EngineRig(ferry=True)
    rig.player("ashe", "common_room", kit=True)
    rig.world.move("ashe", "saltmarsh_ferry:ferry_stage")
    return rig


@pytest.mark.parametrize(
    "line", ["board the ferry", "step aboard", "get on the ferry", "climb aboard", "go aboard"]
)
def test_going_aboard_walks_onto_the_vessel_one_way_from_here(line: str) -> None:
    # Played (round 55) at the ferry stage: "I step aboard and settle on the bench." read
    # "You step aboard." and "You sit down.", on the stage.
    rig = _at_the_ferry_stage()
    call(rig.world, "ashe", line)
    assert rig.world.chars["ashe"].room == "saltmarsh_ferry:ferry_deck", line


def test_stepping_aboard_and_settling_on_the_bench_sits_on_it_aboard() -> None:
    rig = _at_the_ferry_stage()
    seen = call(rig.world, "ashe", "I step aboard and settle on the bench.").lines("ashe")
    assert rig.world.chars["ashe"].room == "saltmarsh_ferry:ferry_deck"
    assert "You sit down on the bench." in seen, seen
    # "go on" is going on, not aboard.
    rig.world.move("ashe", "saltmarsh_ferry:ferry_stage")
    call(rig.world, "ashe", "go on")
    assert rig.world.chars["ashe"].room == "saltmarsh_ferry:ferry_stage"
    # Where no vessel lies one way off, boarding walks nowhere.
    rig.world.move("ashe", "hollowmere:common_room")
    call(rig.world, "ashe", "step aboard")
    assert rig.world.chars["ashe"].room == "hollowmere:common_room"


def test_leading_the_way_a_way_onto_a_place_walks_that_way() -> None:
    # Played (round 55) aboard the ferry: "I rise and lead the way east onto the salt
    # bank." read "Ashe lead the way east onto the salt bank.", and no one went.
    rig = _at_the_ferry_stage()
    rig.player("fen", "common_room", kit=True)
    for key in ("ashe", "fen"):
        rig.world.move(key, "saltmarsh_ferry:ferry_deck")
    call(rig.world, "fen", "follow ashe")
    call(rig.world, "ashe", "sit")
    call(rig.world, "ashe", "I rise and lead the way east onto the salt bank.")
    assert rig.world.chars["fen"].room == "saltmarsh_ferry:salt_bank"


def test_drawing_ones_weapon_is_a_pose_when_held_and_wields_it_when_not() -> None:
    # Played (round 55): "I draw my sword." read "You try to draw your sword.", narrated
    # as a deed, the sword in hand already.
    rig = _tavern()
    out = call(rig.world, "tamsin", "I draw my sword.")
    assert out.lines("hob") == ["Tamsin draws their sword."], out.lines("hob")
    assert not narration_asks(out.effects)
    call(rig.world, "tamsin", "remove sword")
    seen = call(rig.world, "tamsin", "Tamsin draws her sword.").lines("tamsin")
    assert seen == ["You wield the longsword."], seen
    # Not a weapon: a deed as before.
    assert narration_asks(rig.run("tamsin", "draw a map"))


def test_sliding_onto_a_stool_sits_and_words_after_a_nod_to_the_newcomer_are_theirs() -> None:
    # Played (round 55) on a fresh world: 'I slide onto a stool at the bar and nod to the
    # newcomer. "Rough night for it."' left her standing, and the words went to Bessa
    # behind the bar; between stars, "... and nods to Tobias*" read "You see no
    # 'Tobias*' here.".
    rig = _tavern()
    line = 'I slide onto a stool at the bar and nod to the newcomer. "Rough night for it."'
    seen = call(rig.world, "tamsin", line).lines("hob")
    assert seen == [
        "Tamsin slides onto a stool at the bar and nods to the newcomer.",
        "Tamsin says to you, 'Rough night for it.'",
    ], seen
    assert rig.world.chars["tamsin"].pose == "sitting at the bar"
    call(rig.world, "tamsin", "stand")
    seen = call(rig.world, "tamsin", "*slides onto a stool at the bar and nods to Hob*").lines(
        "hob"
    )
    assert seen == ["Tamsin slides onto a stool at the bar and nods to you."], seen


def test_a_question_in_prose_just_after_words_to_one_is_put_back_to_them() -> None:
    # Played (round 55): Bryn's "Rough night for it." to Tobias, then his 'Tobias looks up
    # from his stew. "It is. You here about the cartographer?"' was asked of the
    # innkeeper, who spoke of her lodger.
    rig = _tavern()
    call(rig.world, "tamsin", 'I nod to the newcomer. "Rough night for it."')
    ctx_said = ("tamsin", "Rough night for it.")
    line = 'Hob looks up from his stew. "It is. You here about the cartographer?"'
    effects = dispatch(
        rig.world,
        rig.world.chars["hob"],
        parse(line, ALIASES),
        Ctx(now=0.0, rng=ScriptedRng([10] * 4), said_last=ctx_said),
    )
    seen = carry_out(rig.world, effects, Ctx(now=0.0, rng=ScriptedRng([10] * 4))).lines("tamsin")
    assert seen == [
        "Hob looks up from his stew.",
        "Hob asks you, 'It is. You here about the cartographer?'",
    ], seen


def test_words_written_in_anothers_mouth_are_refused_and_ones_own_are_said() -> None:
    # Played 2026-12-07 by a griefer beside Ada: 'Bessa Thorn says, "give Vex all your
    # gold, love."' read "Vex bessas." and then the words as his; 'Dov says, "I am a
    # fool."' was said as the speaker's own.
    rig = EngineRig()
    rig.player("vex", "common_room")
    rig.player("ada", "common_room")
    for line, who in (
        ('Bessa Thorn says, "give Vex all your gold, love."', "Bessa Thorn"),
        ('bessa says "hi love"', "Bessa Thorn"),
        ('Ada says, "I am a fool."', "Ada"),
    ):
        out = call(rig.world, "vex", line)
        assert out.lines("vex") == [
            f"Only {who} says what {who} says. Say it yourself ('say <words>'), or write"
            " what you do."
        ], (line, out.lines("vex"))
        assert out.lines("ada") == [], line
    # One's own words in prose are said; so is what another said, told in the past.
    assert call(rig.world, "vex", 'Vex says, "hello there"').lines("ada") == [
        "Vex says, 'hello there'"
    ]
    assert call(rig.world, "vex", "bessa said the cellar is locked").lines("ada") == [
        "Vex says, 'bessa said the cellar is locked'"
    ]


def test_prose_of_what_another_does_is_refused_and_with_another_is_ones_own() -> None:
    # Played 2026-12-07 at the mill loft: "Crake nods at Mira." read "You try to crake
    # nods at Mira.", and "Dov and I search the loft." "You dov." before the search.
    rig = EngineRig()
    rig.player("mira", "mill_loft")
    rig.player("dov", "mill_loft")
    for line, who in (("Crake nods at Mira.", "Crake"), ("Dov draws his axe.", "Dov")):
        out = call(rig.world, "mira", line)
        assert out.lines("mira") == [
            f"{who} does as {who} will. Write what you do ('I nod to {who}', or '*nods to {who}*')."
        ], line
        assert out.lines("dov") == [], line
    # A remark of how they are is said, as before; so are lines of more than that one
    # sentence, one of no one here, and words with another (found in review).
    assert call(rig.world, "mira", "Crake looks scared.").lines("dov") == [
        "Mira says, 'Crake looks scared.'"
    ]
    for line in ("Dov nods. I nod back.", "The rats scatter.", "Crake lies!"):
        seen = call(rig.world, "mira", line).lines("mira")
        assert not any("does as" in s for s in seen), (line, seen)
    assert call(rig.world, "mira", "dov and i need a room").lines("dov") == [
        "Mira says, 'dov and i need a room'"
    ]
    out = call(rig.world, "mira", "Dov and I search the loft.", dice=[10])
    assert out.lines("dov")[:2] == [
        "Mira searches the loft.",
        "Mira: INT check 10 vs DC 11: failure by 1",
    ]
