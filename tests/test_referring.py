"""A pronoun on a line of its own is what the player's line before named (``Ctx.previous``,
``commands._referring``): the engine over the bundled Hollowmere world (``EngineRig``).
Played: Bram's "eat it" after "order stew" read "You are not carrying 'it'."."""

from __future__ import annotations

from enginerig import EngineRig, narration_asks


def _two() -> EngineRig:
    rig = EngineRig()
    rig.player("maren", "common_room", kit=True)
    rig.player("tamsin", "common_room", kit=True)
    return rig


def _after(rig: EngineRig, before: str, line: str) -> list[str]:
    """What Maren reads for ``line``, typed after ``before`` (carried out first)."""
    rig.apply(rig.run("maren", before))
    return rig.seen("maren", rig.run("maren", line, previous=before))


def test_it_and_one_are_the_thing_the_line_before_bought_or_took() -> None:
    rig = _two()
    assert _after(rig, "order stew", "eat it") == ["You eat the bowl of eel stew."]
    assert _after(rig, "buy 2 stews", "eat one") == ["You eat the bowl of eel stew."]
    assert _after(rig, "get the lantern", "drop it") == ["You drop a hooded lantern."]
    # The last clause of the line before that names something: the ale, not "it".
    rig.apply(rig.run("maren", "order an ale"))
    assert rig.seen("maren", rig.run("maren", "drop it", previous="order an ale and drink it")) == [
        "You drop a mug of marsh ale."
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
    assert seen[0].startswith("oilcloth packet\nEdda Venn's notes"), seen
    effects = rig.run("maren", "read it", previous="look")
    assert [a.kind for a in narration_asks(effects)] == ["action"]


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
