"""A line read with the player's lines before it (``Ctx.recent``): a pronoun is what the
line before named (``commands._referring``), and a question goes on a conversation with
an NPC (``commands._partner``). The engine over the bundled Hollowmere world
(``EngineRig``). Played: Bram's "eat it" after "order stew" read "You are not carrying
'it'.", and Ilse's "who are you?" after "talk to crake" was asked of the DM."""

from __future__ import annotations

from call import call, carry_out
from enginerig import EngineRig, ScriptedRng, narration_asks

from mud.engine.commands import ALIASES, Ctx, dispatch
from mud.engine.effects import CharUpdate, Effect, SpawnItem
from mud.engine.parser import parse


def _two() -> EngineRig:
    rig = EngineRig()
    rig.player("maren", "common_room", kit=True)
    rig.player("tamsin", "common_room", kit=True)
    return rig


#: What Bessa's stew tastes of (items.yaml 'taste'), told after it is eaten.
STEW = (
    "The stew is scalding and thick with pepper. Somewhere in the second spoonful the"
    " chill of the marsh goes out of your bones."
)


def _after(rig: EngineRig, before: str, line: str, who: str = "maren") -> list[str]:
    """What ``who`` reads for ``line``, typed after ``before`` (carried out first)."""
    rig.apply(rig.run(who, before))
    return rig.seen(who, rig.run(who, line, previous=before))


def test_it_and_one_are_the_thing_the_line_before_bought_or_took() -> None:
    rig = _two()
    assert _after(rig, "order stew", "eat it") == ["You eat the bowl of eel stew.", STEW]
    assert _after(rig, "buy 2 stews", "eat one") == ["You eat the bowl of eel stew.", STEW]
    assert _after(rig, "get the lantern", "drop it") == ["You drop a hooded lantern."]
    # The last clause of the line before that names something: the ale, not "it".
    rig.apply(rig.run("maren", "order an ale"))
    assert rig.seen("maren", rig.run("maren", "drop it", previous="order an ale and drink it")) == [
        "You drop a mug of marsh ale."
    ]


def test_how_a_thing_is_drunk_names_no_other_thing() -> None:
    # Played: handed a potion, "cheers. *drinks it down in one*" read "You are not
    # carrying 'potion of healing down in potion of healing'.".
    for line in ("drink it down in one", "*drinks it down in one*", "gulp it down", "swig it"):
        rig = _two()
        rig.apply(rig.run("tamsin", "order an ale"))
        rig.apply(rig.run("tamsin", "give maren the ale"))
        seen = rig.seen("maren", rig.run("maren", line, previous="yes please"))
        assert seen[0] == "You drink the mug of marsh ale.", (line, seen)


def test_it_is_what_another_player_handed_you_when_your_lines_named_nothing() -> None:
    rig = _two()
    rig.apply(rig.run("tamsin", "order an ale"))
    rig.apply(rig.run("tamsin", "give maren the ale"))
    # Played: "drink it" just after Fenwick gave Juniper the potion, her line before
    # "yes please", was "You are not carrying 'it'."
    effects = rig.run("maren", "drink it", previous="yes please")
    assert rig.seen("maren", effects)[0] == "You drink the mug of marsh ale."
    # A player named before is no "it": played, "thanks quill! toast quill", then "drink
    # it" was "You are not carrying 'quill'.".
    seen = rig.seen("maren", rig.run("maren", "drink it", previous="thanks tamsin! toast tamsin"))
    assert seen[0] == "You drink the mug of marsh ale.", seen
    # With no line before at all, too; and a line that named a thing still wins.
    assert rig.seen("maren", rig.run("maren", "drink it"))[0] == "You drink the mug of marsh ale."
    seen = rig.seen("maren", rig.run("maren", "drop it", previous="get the lantern"))
    assert seen == ["You are not carrying 'lantern'."], seen
    # Gone from the pack (drunk), "it" is nothing again.
    rig.apply(effects)
    assert rig.seen("maren", rig.run("maren", "drink it")) == ["You are not carrying 'it'."]
    # A restart forgets it, as it forgets the second-hand shelves.
    rig.apply(rig.run("tamsin", "order an ale"))
    rig.apply(rig.run("tamsin", "give maren the ale"))
    rig.world.forget_unkept()
    assert rig.seen("maren", rig.run("maren", "drink it")) == ["You are not carrying 'it'."]


def test_it_goes_back_past_lines_that_said_it_too() -> None:
    rig = _two()
    rig.player("bob", "guest_room", kit=True)
    # Played: "take the map", "look at it", then "give it to wynn": "You are not
    # carrying 'it'.".
    seen = _after(rig, "take the map", "look at it", who="bob")
    assert seen[0].startswith("Scrap of map\nA torn corner of a careful survey"), seen
    effects = _after_lines(rig, ("take the map", "look at it"), "drop it", who="bob")
    assert rig.seen("bob", effects) == [
        "The scrap of map is yours alone to keep: everyone takes their own."
    ]


def test_her_is_the_one_the_line_before_was_aimed_at() -> None:
    rig = _two()
    assert _after(rig, "look at tamsin", "bow to her") == ["You bow to Tamsin."]
    assert _after(rig, "smile at bessa", "thank her") == ["You thank Bessa Thorn."]
    # "ask her about Edda" was a question for the DM about "her about edda".
    seen = _after(rig, "look at bessa", "ask her about edda")
    assert seen[0] == "You ask Bessa Thorn about edda."
    assert any("Edda Venn, a cartographer" in line for line in seen), seen


def test_read_it_reads_what_the_line_before_took() -> None:
    rig = _two()
    rig.apply(rig.run("maren", "search the hearth", dice=[20]))
    # Played: "read it" after "get the packet" was narrated as "You try to read it.".
    seen = _after(rig, "get the packet", "read it")
    assert seen[0].startswith("Oilcloth packet\nEdda Venn's notes"), seen
    effects = rig.run("maren", "read it", previous="look")
    assert [a.kind for a in narration_asks(effects)] == ["action"]
    # Played (round 47): "nice. I'll grab the map scrap", then "read it" read the papers
    # on the table (searched already: "You read it.", and nothing read).
    upstairs = EngineRig()
    upstairs.player("maren", "guest_room")
    call(upstairs.world, "maren", "nice. I'll grab the map scrap")
    seen = call(
        upstairs.world, "maren", "read it", recent=("nice. I'll grab the map scrap",)
    ).lines("maren")
    assert seen[0].startswith("Scrap of map\nA torn corner"), seen


def test_it_unwrapped_after_a_find_is_the_find_and_the_others_see_it_read() -> None:
    # Played (round 46): "search the hearth", then "nice, a packet! *unwraps it*" posed
    # "Marla unwraps it." and opened nothing; "unwrap it" was "You try to unwrap it.".
    rig = _two()
    rig.apply(rig.run("maren", "search the hearth", dice=[20]))
    # Lying where it was found, it is picked up to be unwrapped (round 57: Pell's letter
    # read off the floor left the quest to take it standing).
    out = call(rig.world, "maren", "unwrap it", recent=("search the hearth",))
    assert out.lines("maren")[0] == "You pick up an oilcloth packet."
    assert out.lines("maren")[1].startswith("Oilcloth packet\nEdda Venn's notes")
    assert out.lines("tamsin") == [
        "Maren picks up an oilcloth packet.",
        "Maren unwraps the oilcloth packet.",
    ]
    out = call(rig.world, "maren", "nice, a packet! *unwraps it*")
    assert out.lines("tamsin") == [
        "Maren says, 'nice, a packet!'",
        "Maren unwraps the oilcloth packet.",
    ]
    assert out.lines("maren")[1].startswith("Oilcloth packet\n")
    # Looked at, or asked what it says, it is the reader's alone.
    assert call(rig.world, "maren", "examine the packet").lines("tamsin") == []


def test_a_thing_read_aloud_is_heard_by_the_others_here() -> None:
    # Played (round 52): asked "what does it say?", Wren's "Wren unwraps the packet and
    # reads it aloud." was said back to the asker ("You say to Brannoc, 'unwrap the
    # packet and read it aloud.'"), and no one heard the notes.
    rig = _two()
    rig.world.chars["tamsin"].inventory.append(rig.world.new_item("hollowmere:oilcloth_packet"))
    call(rig.world, "maren", "nice one tamsin! what does it say?")
    notes = rig.world.templates.items["hollowmere:oilcloth_packet"].description
    for line in (
        "Tamsin unwraps the packet and reads it aloud.",
        "read the packet aloud",
        "read it out to them",
    ):
        out = call(rig.world, "tamsin", line)
        heard = [" ".join(seen.split()) for seen in out.lines("maren")]
        assert heard == [f"Tamsin reads the oilcloth packet aloud: {notes}"], line
        assert " ".join(out.lines("tamsin")[0].split()) == f"Oilcloth packet {notes}", line
    # Read twice over in one line, it is read once, to oneself.
    out = call(rig.world, "tamsin", "unwrap the packet and read it")
    assert out.lines("maren") == ["Tamsin unwraps the oilcloth packet."]
    # Lying here, it is read out too (played: "Wren reads the notes aloud for the
    # others." beside the packet on the floor showed her the hearthstone).
    packet = rig.world.chars["tamsin"].inventory.pop()
    rig.world.floor.setdefault("hollowmere:common_room", []).append(packet)
    # (Picked up first since round 57, as writing read where it lies is.)
    out = call(rig.world, "tamsin", "Tamsin reads the notes aloud for the others.")
    assert [" ".join(seen.split()) for seen in out.lines("maren")] == [
        "Tamsin picks up an oilcloth packet.",
        f"Tamsin reads the oilcloth packet aloud: {notes}",
    ]


def test_open_it_opens_or_reads_what_the_line_before_named() -> None:
    rig = EngineRig()
    rig.player("maren", "drowned_stair", kit=True)
    # Played: "open it" after "get the locket" was "You try to open it.".
    # The locket's own "open" (items.yaml actions) opens it; a thing with none is read.
    seen = _after(rig, "get the locket", "open it")
    assert seen[0].startswith("The catch gives under your thumb."), seen
    rig.apply([SpawnItem("hollowmere:oilcloth_packet", "char:maren")])
    seen = _after(rig, "look at the packet", "open it")
    assert seen[0].startswith("Oilcloth packet\n"), seen
    seen = rig.seen("maren", rig.run("maren", "open it", previous="look at the door"))
    assert seen == ["The iron door is locked."]


def test_a_thing_that_is_here_but_refused_says_why() -> None:
    rig = _two()
    # Was "You are not carrying 'it'.": the lantern is carried, and cannot be wielded.
    assert _after(rig, "get lantern", "wield it") == ["You cannot wield the hooded lantern."]


def test_nothing_to_refer_to_leaves_the_refusal_and_words_are_never_rewritten() -> None:
    rig = _two()
    assert rig.seen("maren", rig.run("maren", "eat it")) == ["You are not carrying 'it'."]
    assert _after(rig, "look", "eat it") == ["You are not carrying 'it'."]
    # The line before named only a pronoun itself.
    assert _after(rig, "eat it", "eat it") == ["You are not carrying 'it'."]
    # Speech names nothing to refer to, and is never rewritten.
    assert _after(rig, "say I like the stew", "eat it") == ["You are not carrying 'it'."]
    rig.apply(rig.run("maren", "order stew"))
    effects = rig.run("maren", "say I love it", previous="order stew")
    assert rig.seen("maren", effects) == ["You say, 'I love it'"]
    # A deed for the DM keeps its words: the narrator reads them as typed.
    effects = rig.run("maren", "I sniff it suspiciously", previous="order stew")
    assert [a.kind for a in narration_asks(effects)] == ["action"]


def _after_lines(
    rig: EngineRig, recent: tuple[str, ...], line: str, who: str = "maren"
) -> list[Effect]:
    """``who``'s ``line`` after they typed ``recent`` (the last last; not carried out)."""
    ctx = Ctx(now=0.0, rng=ScriptedRng([10] * 8), recent=recent)
    return dispatch(rig.world, rig.world.chars[who], parse(line, ALIASES), ctx)


def test_a_question_after_talking_to_someone_is_asked_of_them() -> None:
    rig = EngineRig()
    rig.player("maren", "mill_loft", kit=True)
    seen = rig.seen("maren", _after_lines(rig, ("talk to crake",), "who are you?"))
    assert seen[0] == "You ask Crake, 'Who are you?'"
    assert seen[1].startswith("Crake says,"), seen
    # The conversation goes on past the questions asked since ("who" with words is one).
    recent = ("ask crake about smugglers", "who are you?", "why the mill")
    seen = rig.seen("maren", _after_lines(rig, recent, "what do you know about the key?"))
    assert seen[0] == "You ask Crake, 'What do you know about the key?'"
    assert any("It's not my key" in line for line in seen), seen


def test_the_dm_still_answers_what_it_knows_and_anything_else_ends_the_talk() -> None:
    rig = EngineRig()
    rig.player("maren", "mill_loft", kit=True)
    # The way, and what to do next, are the DM's to answer, whoever was spoken to.
    for question, answer in (
        ("where is the tavern?", "Answer: The Drowned Lantern, Common Room lies down"),
        ("what should we do now?", "Next: "),
    ):
        seen = rig.seen("maren", _after_lines(rig, ("talk to crake",), question))
        assert seen[0] == f"You ask the DM: {question}" and seen[1].startswith(answer), seen
    # A line that did something else since ends the conversation.
    seen = rig.seen("maren", _after_lines(rig, ("talk to crake", "look"), "where did he go?"))
    assert seen[0] == "You ask the DM: where did he go?"
    seen = rig.seen("maren", _after_lines(rig, ("talk to crake",), "where did he go?"))
    assert seen[0] == "You ask Crake, 'Where did he go?'"
    # So does an NPC who is not here: "who are you?" is for the one who is.
    rig.player("tamsin", "common_room", kit=True)
    effects = dispatch(
        rig.world,
        rig.world.chars["tamsin"],
        parse("who are you?", ALIASES),
        Ctx(now=0.0, recent=("talk to crake",)),
    )
    assert rig.seen("tamsin", effects)[0] == "You ask Bessa Thorn, 'Who are you?'"


def test_what_it_does_is_what_the_line_before_named() -> None:
    # Played in Tobin's shop: "I'd like the blessed water, please" was said, not bought
    # (its name is "flask of lamp-blessed water"), and "what does it do?" after buying it
    # was answered with the next quest step.
    rig = EngineRig()
    rig.player("tansy", "lamp_shop", kit=True)
    rig.world.chars["tansy"].gold = 20
    bought = rig.seen("tansy", rig.run("tansy", "I'd like the blessed water, please"))
    assert bought == ["You buy a flask of lamp-blessed water for 8 gold."]
    for before in ("buy blessed water", "I'd like the blessed water, please"):
        for line in ("what does it do?", "what is it?", "how does this work?"):
            seen = _after(rig, before, line, who="tansy")
            assert seen[1].startswith("The flask of lamp-blessed water: Water that"), seen
    # What to do next is still that.
    seen = rig.seen("tansy", rig.run("tansy", "what do I do now?", previous="buy blessed water"))
    assert seen[1].startswith("Next: "), seen


def test_what_it_is_of_a_thing_a_friend_beside_just_took() -> None:
    # Played at the Heron Stones: Talis's "thanks! take the bead" (Wren had taken it),
    # then "what is it?" and "what is the bead?" were the DM's "You weigh what is known
    # so far."
    rig = EngineRig()
    rig.player("wren", "heron_stones")
    rig.player("talis", "heron_stones")
    rig.world.spawn_item("hollowmere:wisp_glass", "char:wren")
    bead = "The bead of wisp-glass: What is left of a corpse-light"
    for line in ("what is the bead?", "what is it?"):
        seen = rig.seen("talis", rig.run("talis", line, recent=["thanks! take the bead"]))
        assert seen[1].startswith(bead), (line, seen)


def test_words_that_hand_a_thing_over_give_it() -> None:
    # Played: "juniper, you're hurt. want the potion?" and the potion stayed in the pack
    # until Fenwick typed 'give juniper the potion'.
    rig = _two()
    for line, given in (
        ("here, take my potion", "the potion of healing"),
        ("tamsin, have this potion", "the potion of healing"),
        # Played: "here's the key. want to do the honours?" kept the key in the pack.
        ("here's the potion. want to drink it?", "the potion of healing"),
        ("here is my potion", "the potion of healing"),
    ):
        rig.player("maren", "common_room", kit=True)  # a fresh pack with a potion
        effects = rig.run("maren", line)
        seen = rig.seen("maren", effects)
        assert seen[0].startswith("You say"), (line, seen)
        assert seen[-1] == f"You give {given} to Tamsin.", (line, seen)
        assert rig.seen("tamsin", effects)[-1] == f"Maren gives you {given}.", line
    # What is not carried, or a way, is only said (or done); so is a line to the room
    # when two others are there to hand it to.
    for line in (
        "take the left path, tamsin",
        "tamsin, have a look at this",
        "here's the thing, we need a plan",
    ):
        effects = rig.run("maren", line)
        assert not any("You give" in s for s in rig.seen("maren", effects)), line
    rig.player("wren", "common_room", kit=True)
    effects = rig.run("maren", "here, take my potion")
    assert not any("You give" in s for s in rig.seen("maren", effects))
    effects = rig.run("maren", "here, take my potion, wren")
    assert rig.seen("maren", effects)[-1] == "You give the potion of healing to Wren."


def test_the_thing_lying_here_told_to_be_taken_is_not_the_one_carried() -> None:
    # Played at the Warden's stair (round 47): "I'll grab the locket, you take the key
    # rook", the Warden's key on the floor, handed over the cellar key Vesna carried.
    rig = EngineRig()
    rig.player("rook", "drowned_stair")
    rig.player("vesna", "drowned_stair")
    rig.world.spawn_item("hollowmere:rusty_key", "char:vesna")
    rig.world.spawn_item("hollowmere:drowned_key", "room:hollowmere:drowned_stair")
    out = call(rig.world, "vesna", "I'll grab the locket, you take the key rook")
    assert out.lines("rook") == [
        "Vesna picks up a tarnished locket.",
        "Vesna says to you, 'you take the key'",
    ], out.lines("rook")
    assert not rig.world.chars["rook"].inventory
    # "my key" is the one carried.
    out = call(rig.world, "vesna", "rook, take my key")
    assert out.lines("rook")[-1] == "Vesna gives you the rusty key.", out.lines("rook")


def test_a_potion_handed_over_by_a_name_called_out_is_drunk_with_thanks() -> None:
    # Played at the shrine: Pell's "gods, oren, you're a mess. here, take one of my
    # potions" was a deed ("You act: ..."), and Oren's "thanks. drink it" was said.
    rig = _two()
    rig.apply([CharUpdate("tamsin", hp=1)])
    effects = rig.run("maren", "gods, tamsin, you're a mess. here, take one of my potions")
    assert rig.seen("maren", effects) == [
        "You say to Tamsin, 'gods, you're a mess. here, take one of my potions'",
        "You give the potion of healing to Tamsin.",
    ]
    rig.apply(effects)
    seen = call(rig.world, "tamsin", "thanks. drink it").lines("tamsin")
    assert seen[0] == "You say, 'thanks.'", seen
    assert seen[1].startswith("You drink a potion of healing, and heal"), seen
    # "here, take it" after the other asked for a thing hands it over (played: "got any
    # potions?", then "one. here, take it" was a deed, "You act: ...").
    rig.player("maren", "common_room", kit=True)  # a fresh pack with a potion
    asked = call(rig.world, "tamsin", "ugh. barely alive. got any potions?")
    assert asked.lines("maren") == ["Tamsin says, 'ugh. barely alive. got any potions?'"]
    ctx = Ctx(now=0.0, overheard=("ugh. barely alive. got any potions?",))
    effects = dispatch(
        rig.world, rig.world.chars["maren"], parse("one. here, take it", ALIASES), ctx
    )
    assert rig.seen("maren", effects) == [
        "You say to Tamsin, 'one. here, take it'",  # her question's answer
        "You give the potion of healing to Tamsin.",
    ]
    # With nothing asked for, "take it" hands nothing over.
    effects = dispatch(
        rig.world, rig.world.chars["maren"], parse("here, take it", ALIASES), Ctx(0.0)
    )
    assert not any("You give" in line for line in rig.seen("maren", effects))
    # "it" is what one's own line just before named, and "you take it" hands it too
    # (played: "I'll grab that potion", then "here, you take it. you're the one
    # bleeding" was a deed).
    ctx = Ctx(now=0.0, recent=("I'll grab that potion",))
    line = "here, you take it. you're the one bleeding"
    effects = dispatch(rig.world, rig.world.chars["maren"], parse(line, ALIASES), ctx)
    assert "You give the potion of healing to Tamsin." in rig.seen("maren", effects)
    # "drink this" hands over the one kind of healing draught carried (played over the
    # fallen: "maren! wake up. here, drink this" was said, and the potion kept).
    fresh = EngineRig()
    fresh.player("maren", "common_room", kit=True)
    fresh.player("dov", "common_room", kit=True)
    line = "maren! wake up. here, drink this"
    effects = dispatch(fresh.world, fresh.world.chars["dov"], parse(line, ALIASES), Ctx(0.0))
    assert not any("You give" in seen for seen in fresh.seen("dov", effects))  # unhurt
    fresh.world.chars["maren"].hp = 1
    effects = dispatch(fresh.world, fresh.world.chars["dov"], parse(line, ALIASES), Ctx(0.0))
    assert "You give the potion of healing to Maren." in fresh.seen("dov", effects)
    # The name after "here" (played: "here mira, drink this" was "You try to here Mira,
    # drink this.").
    # And with no comma (played, round 51: "here oswin drink this" over the fallen was
    # "You try to here Oswin drink this.").
    for named in ("here maren, drink this", "here maren drink this"):
        effects = dispatch(fresh.world, fresh.world.chars["dov"], parse(named, ALIASES), Ctx(0.0))
        assert fresh.seen("dov", effects) == [
            "You say to Maren, 'here, drink this'",
            "You give the potion of healing to Maren.",
        ], named
    # With no line before (a restart forgets them), the words are said, not a deed.
    fresh = EngineRig()
    fresh.player("maren", "eel_landing", kit=True)
    fresh.player("dov", "eel_landing", kit=True)
    effects = dispatch(fresh.world, fresh.world.chars["maren"], parse(line, ALIASES), Ctx(0.0))
    assert fresh.seen("maren", effects) == [f"You say, '{line}'"]
    # A name between commas after any one word called out is who it is to.
    seen = rig.seen("maren", rig.run("maren", "well, tamsin, what now?"))
    assert seen == ["You ask Tamsin, 'Well, what now?'"]


def test_and_the_locket_after_take_the_key_takes_it_too() -> None:
    # Played on the drowned stair: "take the key", then "and the locket" was a deed ("You
    # act: and the locket").
    rig = EngineRig()
    rig.player("ivo", "drowned_stair", kit=True)
    rig.apply([SpawnItem("hollowmere:drowned_key", "room:hollowmere:drowned_stair")])

    def after(line: str, before: str) -> list[str]:
        ctx = Ctx(now=0.0, recent=(before,))
        effects = dispatch(rig.world, rig.world.chars["ivo"], parse(line, ALIASES), ctx)
        return carry_out(rig.world, effects, ctx).lines("ivo")

    assert after("and the locket", "take the key") == ["You pick up a tarnished locket."]
    assert after("the potion too", "drop the locket") == ["You drop a potion of healing."]
    assert after("and the dragon", "take the key") == ["You see no 'dragon' here."]
    # Not after a command of anything else, nor words that add no thing.
    assert after("and the locket", "look") != ["You pick up a tarnished locket."]
    # After words of one's own, or none, a thing lying here is taken (played: Dov's "and
    # the key from its chain" just after Maren took the locket was a deed).
    rig.apply([SpawnItem("hollowmere:drowned_key", "room:hollowmere:drowned_stair")])
    assert after("and the key from its chain", "maren! wake up") == [
        "You pick up a drowned iron key."
    ]
    assert after("and the moon", "maren! wake up") != ["You see no 'moon' here."]
    for line in ("me too", "and I'm done", "I'm hungry too"):
        assert not any(s.startswith("You pick up") for s in after(line, "take the key")), line


def test_words_said_before_a_question_do_not_push_it_out_of_reach() -> None:
    # Found in review: the reply before a question counted as a line typed, and "it"
    # four lines back was out of reach of "thanks. what is it for?".
    rig = EngineRig()
    rig.player("bob", "common_room")
    rig.player("alice", "common_room")
    recent = ("examine lantern", "say hi", "smile", "nod")
    seen = rig.seen("bob", rig.run("bob", "thanks. what is it for?", recent=recent))
    assert seen[2].startswith("The hooded lantern: A tin lantern"), seen
