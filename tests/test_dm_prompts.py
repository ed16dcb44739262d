"""Prompt building: structure, rules, outcome, quoting and escaping of player text, history."""

from __future__ import annotations

import re

from attrs import evolve
from hypothesis import given, settings
from hypothesis import strategies as st

from mud.core.narration import NarrationRequest, Outcome, Priority, RoomSnapshot
from mud.core.records import HistoryEntry
from mud.dm.prompts import (
    PROMPT_VERSION,
    QUOTE_CLOSE,
    QUOTE_OPEN,
    RULES,
    build_prompt,
    clean_inline,
    deeds_of,
    extractive_summary,
    fit_prompt,
    prefix_prompt,
    quote_player,
    request_summary,
    turn_message,
)

ROOM = RoomSnapshot(
    "crypt:nave",
    "The Drowned Nave",
    "Water laps at broken pews.",
    exits=("north", "down"),
    occupants=("Alice", "Brakka", "the Verger"),
    items=("a tarnished bell",),
    pack_name="Crypt of Tides",
    persona="A wry, salt-stained chronicler.",
    tone="Grim, with flashes of gallows humour.",
)
REQ = NarrationRequest(
    request_id=1,
    kind="action",
    room=ROOM,
    actor="Alice",
    text="ring the bell",
    outcome=Outcome("success", 2, ("STR check 15 vs DC 10: success by 5",)),
    priority=Priority.MEDIUM,
    created=0.0,
    audience=("Alice", "Brakka"),
)


def build(req: NarrationRequest = REQ, **kw: object) -> str:
    p = build_prompt(
        req,
        history=kw.pop("history", ()),
        summary=kw.pop("summary", None),  # type: ignore[arg-type]
        max_tokens=200,
        **kw,
    )  # type: ignore[arg-type]
    return p.messages[-1].content


def test_structure_and_params() -> None:
    hist = [HistoryEntry(1.0, "user", "Alice looked."), HistoryEntry(2.0, "assistant", "Gloom.")]
    p = build_prompt(
        REQ, history=hist, summary="The party arrived.", max_tokens=150, temperature=0.5
    )
    assert (p.max_tokens, p.temperature, p.prompt_version) == (150, 0.5, PROMPT_VERSION)
    roles = [m.role for m in p.messages]
    # system, room, summary, one earlier turn (the model's own prose is left out), turn
    assert roles == ["system", "user", "user", "user", "user"]
    system = p.messages[0].content
    assert "Crypt of Tides" in system and "salt-stained chronicler" in system
    assert "Grim" in system
    for rule in RULES:
        assert rule in system
    assert "Drowned Nave" not in system and "arrived" not in system
    room = p.messages[1].content
    assert (
        room
        == "Room: The Drowned Nave\nDescription: Water laps at broken pews.\nExits: north, down"
    )
    assert p.messages[2].content == "Story so far: The party arrived."
    assert p.messages[3].content == "Alice looked."
    assert "Gloom" not in "".join(m.content for m in p.messages)
    final = p.messages[-1].content
    assert "Drowned Nave" not in final and "Water laps" not in final  # read once per room
    assert final == (
        "Present: Alice, Brakka, the Verger\n"
        "Things here: a tarnished bell\n"
        "Alice (action, success, severity 2 of 3): «ring the bell» "
        "[STR check 15 vs DC 10: success by 5]"
    )
    # What to narrate is said once, in the system message, not in every turn.
    assert "2-4 short sentences" in system and "Narrate the last turn" in system


def test_system_message_is_byte_identical_across_turns_and_rooms() -> None:
    other_room = evolve(
        ROOM, room_id="crypt:apse", name="The Apse", description="Dry bones.", items=()
    )
    turns = [
        REQ,
        evolve(REQ, request_id=2, actor="Brakka", text="kick it", outcome=Outcome("failure")),
        evolve(REQ, request_id=3, kind="talk", room=other_room, npc_persona="The Verger"),
    ]
    hist: list[HistoryEntry] = []
    prompts = []
    for i, req in enumerate(turns):
        prompts.append(
            build_prompt(req, history=list(hist), summary="The party arrived.", max_tokens=100)
        )
        # The DM actor keeps the turn message itself as the room's history entry.
        turn = turn_message(req, history=[h for h in hist if h.role == "user"])
        hist += [
            HistoryEntry(float(i), "user", turn),
            HistoryEntry(float(i), "assistant", f"prose {i}"),
        ]
    systems = {p.messages[0].content for p in prompts}
    assert len(systems) == 1
    # In one room, each prompt's history is the previous prompt's history plus one
    # outcome: the prefix before the turn grows append-only, so a prefix cache keeps all
    # of it. In another room, the room message (and what follows) is new.
    before, after, elsewhere = prompts
    assert after.messages[: len(before.messages)] == before.messages
    assert len(after.messages) == len(before.messages) + 1
    assert elsewhere.messages[1] != after.messages[1]
    assert "The Apse" in elsewhere.messages[1].content


def test_only_the_turn_is_new_in_a_room() -> None:
    # What a prefix cache must read anew for a second turn in the same room: the new
    # history line and the turn, not the room's description again.
    long_room = evolve(ROOM, description="Water laps at broken pews. " * 20)
    first = build_prompt(evolve(REQ, room=long_room), history=[], summary=None, max_tokens=100)
    hist = [HistoryEntry(1.0, "user", first.messages[-1].content)]
    second_req = evolve(REQ, room=long_room, request_id=2, text="kick the pew")
    second = build_prompt(second_req, history=hist, summary=None, max_tokens=100)
    a = "".join(m.content for m in first.messages)
    b = "".join(m.content for m in second.messages)
    shared = next((i for i, (x, y) in enumerate(zip(a, b, strict=False)) if x != y), len(a))
    new_chars = len(b) - shared
    assert long_room.description.strip()[:500] in a[:shared]
    assert a == b[: len(a)]  # the first prompt, whole, is the second one's prefix
    # Only the deed line is new (the scene did not change): about 25 tokens.
    assert b[shared:] == (
        "Alice (action, success, severity 2 of 3): «kick the pew» "
        "[STR check 15 vs DC 10: success by 5]"
    )
    assert new_chars < 120, new_chars


def test_fit_prompt_respects_the_budget_and_keeps_the_turn() -> None:
    hist = [HistoryEntry(float(i), "user", f"outcome {i} " + "x" * 300) for i in range(30)]
    p = build_prompt(REQ, history=hist, summary="The party arrived.", max_tokens=100)
    assert p.approx_tokens() > 1000
    for budget in (2000, 900, 400):
        fitted = fit_prompt(p, budget)
        assert fitted.approx_tokens() <= budget or len(fitted.messages) == 4
        assert fitted.messages[0] == p.messages[0]  # the system message
        assert fitted.messages[1] == p.messages[1]  # the room
        assert fitted.messages[2] == p.messages[2]  # the summary
        assert fitted.messages[-1] == p.messages[-1]  # the turn
        kept = [m.content for m in fitted.messages[3:-1]]
        assert (
            kept == [m.content for m in p.messages[3:-1]][len(p.messages) - len(fitted.messages) :]
        )
    assert fit_prompt(p, 10**6) is p


def test_talk_and_ask_kinds() -> None:
    talk_req = evolve(REQ, kind="talk", npc_persona="The Verger: gaunt, knows the bell's curse.")
    talk = build(talk_req)
    assert "Speak as this character: The Verger: gaunt, knows the bell's curse." in talk
    ask_req = evolve(REQ, kind="ask", text="is the bell cursed?")
    p = build_prompt(ask_req, history=(), summary=None, max_tokens=100)
    assert "out of character" in p.messages[-1].content
    assert "«is the bell cursed?»" in p.messages[-2].content
    # The instruction is a message of its own: the turn before it is what the actor
    # keeps as history, so the next prompt does not carry the instruction.
    assert p.messages[-2].content == turn_message(ask_req)
    assert turn_message(talk_req).count("\n") == 2 and "Speak as" not in turn_message(talk_req)


def test_repeats_and_merged_members() -> None:
    assert "repeated this 2 more time(s)" in build(repeats=2)
    b = evolve(
        REQ,
        request_id=2,
        actor="Brakka",
        text="kick the door",
        outcome=Outcome("failure", 1, ("STR check 4 vs DC 12",)),
    )
    merged = build(REQ, members=(REQ, b))
    assert "Several characters act" in merged
    assert "«ring the bell»" in merged and "«kick the door»" in merged
    # A severity below 2 is not said (fewer tokens to read each turn).
    assert "Brakka (action, failure): «kick the door» [STR check 4 vs DC 12]" in merged.split("\n")


def test_history_limited_to_last_exchanges() -> None:
    hist = [
        HistoryEntry(float(i), "user" if i % 2 == 0 else "assistant", f"turn {i}")
        for i in range(60)
    ]
    p = build_prompt(REQ, history=hist, summary=None, max_tokens=100, exchanges=20)
    middle = p.messages[2:-1]
    assert len(middle) == 20
    assert middle[0].content == "turn 20" and middle[-1].content == "turn 58"
    assert {m.role for m in middle} == {"user"}


def test_player_text_is_capped_and_cleaned() -> None:
    out = quote_player("x" * 500 + "\x1b[2J\n", cap=300)
    assert len(out) == 302 and out.endswith("…" + QUOTE_CLOSE)
    assert clean_inline("a\u200b\u202eb\r\nc\x00d\u2028e", 50) == "ab cd e"


def test_request_summary_and_extractive_summary() -> None:
    s = request_summary(REQ)
    assert s.startswith("Alice (action, success, severity 2 of 3): «ring the bell»")
    assert deeds_of(turn_message(REQ)) == s  # the summary keeps the deed, not the scene
    hist = [
        HistoryEntry(0, "user", "x"),
        HistoryEntry(0, "assistant", "A bell rings. Loud."),
        HistoryEntry(0, "assistant", "Water rises! Fast."),
    ]
    assert extractive_summary("Earlier. Things.", hist, 100) == (
        "Earlier. Things. A bell rings. Water rises!"
    )
    assert extractive_summary("Earlier. Things.", hist, 30) == "A bell rings. Water rises!"


DEED = re.compile(r"^(.*) \(action, success, severity 2 of 3\): «([^«»]*)»(?: \[(.*)\])?$")

nasty = st.lists(
    st.one_of(
        st.characters(),
        st.sampled_from(
            [
                "«",
                "»",
                "\n",
                "\r",
                "\u2028",
                "\u2029",
                "\x1b[31m",
                "\x85",
                "SYSTEM:",
                "Rules",
                "1. ",
                "ENGINE OUTCOME",
                "\u202e",
                "\u200b",
                "\x1b]0;title\x07",
                "\n- ",
                "\nRequest: ",
            ]
        ),
    ),
    max_size=120,
).map("".join)


@settings(max_examples=300, deadline=None)
@given(text=nasty, name=nasty)
def test_player_text_cannot_escape_quotes(text: str, name: str) -> None:
    req = evolve(REQ, text=text or "x", actor=name or "Alice")
    p = build_prompt(req, history=(), summary=None, max_tokens=100)
    benign = build_prompt(evolve(REQ, actor="Alice"), history=(), summary=None, max_tokens=100)
    final = p.messages[-1].content.split("\n")
    # The same lines as with harmless text: nothing was injected as a line of its own.
    assert len(final) == len(benign.messages[-1].content.split("\n"))
    assert p.messages[0].content.count("\n") == benign.messages[0].content.count("\n")
    deeds = [ln for ln in final if QUOTE_OPEN in ln or QUOTE_CLOSE in ln]
    assert len(deeds) == 1 and deeds[0] == final[-1]
    m = DEED.match(deeds[0])
    assert m is not None
    inner = m.group(2)
    assert QUOTE_OPEN not in m.group(1) and QUOTE_CLOSE not in m.group(1)
    assert len(inner) <= 300
    assert not any(ord(ch) < 32 or 0x7F <= ord(ch) < 0xA0 for ch in deeds[0])
    # Every other line is one this module wrote (starts with a known label).
    labels = ("Present:", "Things here:")
    assert all(ln.startswith(labels) for ln in final[:-1])
    # Kept as the room's history entry, the turn comes back in the next prompt
    # unchanged (so a prefix cache keeps it) and still as the same lines.
    again = build_prompt(
        req,
        history=[HistoryEntry(1.0, "user", p.messages[-1].content)],
        summary=None,
        max_tokens=100,
    )
    assert again.messages[-2] == p.messages[-1]


def _chat(prompt_messages: object) -> str:
    """The prompt as a chat template lays it out (ChatML, as SmolLM2's)."""
    return "".join(
        f"<|im_start|>{m.role}\n{m.content}<|im_end|>\n"
        for m in prompt_messages  # type: ignore[attr-defined]
    )


def test_a_room_of_five_reads_only_each_new_turn() -> None:
    # Five players take turns in one room, as the DM actor runs it: each turn message is
    # kept as the room's history entry. Every prompt's rendered text starts with the
    # whole previous prompt (a prefix cache keeps it all), so what a server reads anew
    # is the new turn alone: one deed line, plus the scene lines when someone came or
    # went. After a summary refresh the prefix is the summary, whose warm-up prompt
    # (``prefix_prompt``) is exactly what the next turn shares.
    names = ("Ann", "Bea", "Cid", "Dov", "Eli")
    room = evolve(ROOM, occupants=names)
    hist: list[HistoryEntry] = []
    previous: str | None = None
    scene_turns = []
    for i in range(12):
        actor = names[i % 5]
        r = room if i != 7 else evolve(room, occupants=names[:4])  # Eli stepped out
        req = evolve(REQ, request_id=i, room=r, actor=actor, text=f"try the lever {i}")
        p = build_prompt(req, history=hist, summary="Ann came in.", max_tokens=100)
        text = _chat(p.messages)
        turn = p.messages[-1].content
        if previous is not None:
            assert text.startswith(previous), i
            assert text[len(previous) :] == f"<|im_start|>user\n{turn}<|im_end|>\n"
        if "Present:" in turn:
            scene_turns.append(i)
        assert turn.split("\n")[-1].startswith(f"{actor} (action, success, severity 2 of 3)")
        previous = text
        hist += [HistoryEntry(float(i), "user", turn), HistoryEntry(float(i), "assistant", "x")]
    # The scene is said on the first turn, when Eli left and when Eli was back.
    assert scene_turns == [0, 7, 8]
    # A summary refresh: the next prompt has no history but the new summary. The
    # warm-up prompt is that prompt without its turn.
    req = evolve(REQ, request_id=99, room=room, actor="Ann")
    after = build_prompt(req, history=hist, summary="A new summary.", max_tokens=100, exchanges=0)
    warm = prefix_prompt(after)
    assert warm is not None and warm.max_tokens == 1
    assert [m.content for m in warm.messages] == [m.content for m in after.messages[:-1]]
    assert warm.messages[-1].content == "Story so far: A new summary."
    assert _chat(after.messages).startswith(_chat(warm.messages))
    # A talk's instruction is not part of the prefix to warm either.
    talk = build_prompt(evolve(req, kind="talk"), history=[], summary="S.", max_tokens=100)
    warm_talk = prefix_prompt(talk)
    assert warm_talk is not None and len(warm_talk.messages) == len(talk.messages) - 2
    assert prefix_prompt(build_prompt(req, history=[], summary=None, max_tokens=9)) is not None


@settings(max_examples=200, deadline=None)
@given(text=nasty, name=nasty, fact=nasty)
def test_a_turn_kept_as_history_comes_back_unchanged(text: str, name: str, fact: str) -> None:
    # Whatever the player typed, the turn message survives the history's cleaning
    # byte for byte (or a prefix cache would re-read every turn).
    req = evolve(
        REQ, text=text or "x", actor=name or "Alice", outcome=Outcome("failure", 1, (fact,))
    )
    turn = build_prompt(req, history=(), summary=None, max_tokens=100).messages[-1].content
    p = build_prompt(req, history=[HistoryEntry(0.0, "user", turn)], summary=None, max_tokens=9)
    assert p.messages[-2].content == turn


def test_the_pronouns_players_chose_are_part_of_the_scene() -> None:
    chosen = evolve(REQ, room=evolve(ROOM, pronouns=("Alice she/her",)))
    final = build(chosen)
    assert final.splitlines()[:3] == [
        "Present: Alice, Brakka, the Verger",
        "Things here: a tarnished bell",
        "Pronouns: Alice she/her",
    ]
    # None chosen: no line, and the turn is as it always was.
    assert "Pronouns" not in build(REQ)
    # A scene that differs only by them is told again.
    told = HistoryEntry(0.0, "user", turn_message(REQ))
    assert turn_message(chosen, history=[told]).startswith("Present: ")
    assert not turn_message(REQ, history=[told]).startswith("Present: ")


def test_the_worlds_people_here_are_part_of_the_scene() -> None:
    # Played 2026-12-07: told "Present: Yuki" alone in the Common Room, SmolLM2 wrote "you
    # can't see the other person there", Bessa Thorn behind the bar unknown to it.
    kept = evolve(REQ, room=evolve(ROOM, occupants=("Alice",), npcs=("Bessa Thorn", "Crake")))
    final = build(kept)
    assert final.splitlines()[:3] == [
        "Present: Alice",
        "Things here: a tarnished bell",
        "Also here: Bessa Thorn, Crake",
    ]
    assert "Also here" not in build(REQ)
    # One of them walking off is a new scene, told again.
    told = HistoryEntry(0.0, "user", turn_message(kept))
    gone = evolve(kept, room=evolve(kept.room, npcs=("Crake",)))
    assert turn_message(gone, history=[told]).startswith("Present: ")
    assert not turn_message(kept, history=[told]).startswith("Present: ")
