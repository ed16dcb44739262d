"""A room with players in it shows, now and then, a line of its own ``ambience`` or an
``emotes`` line of an NPC there, in the builder's words (``reactions.ambience``, the
hub's ambience tick); after an NPC answers, the offline narrator tells one of its
emotes rather than "You listen, and take it in." Pure rules first, then the loader's
checks, the hub (fake clock) and the narrator."""

from __future__ import annotations

import asyncio
import itertools
import re
from collections.abc import Callable
from pathlib import Path

import pytest
from attrs import evolve
from call import call
from enginerig import EngineRig
from hubrig import make_rig, record_asks
from hypothesis import given, settings
from hypothesis import strategies as st
from mudclient import SshPlayer, TelnetPlayer, login_new, make_config, running_server

from mud.core.narration import (
    NarrationChunk,
    NarrationEnd,
    NarrationRequest,
    NarrationStart,
    Outcome,
    Priority,
    RoomSnapshot,
)
from mud.core.rng import SeededRng
from mud.dm.prompts import instruction_message
from mud.dm.providers.offline import OfflineNarrator
from mud.engine import escort, lore, reactions
from mud.engine.effects import AskNarration, ToRoom
from mud.hub import narration
from mud.hub.actor import AMBIENT_MEMORY, AMBIENT_QUIET
from mud.render.doc import render
from mud.render.profile import RenderProfile
from mud.replay import load_events, replay
from mud.world.loader import PackError, load_packs

PLAIN = RenderProfile(colours=0, width=200, screenreader=False, charset="utf-8")
H = "hollowmere:"
TAVERN = H + "common_room"


class Always:
    """An Rng whose every chance succeeds and every choice is the ``pick``-th."""

    def __init__(self, pick: int = 0) -> None:
        self.pick = pick
        self.chances = 0  # how many chances were drawn

    def randint(self, a: int, b: int) -> int:
        return a

    def random(self) -> float:
        self.chances += 1
        return 0.0

    def choice_index(self, n: int) -> int:
        return min(self.pick, n - 1)


class Never(Always):
    def random(self) -> float:
        self.chances += 1
        return 0.99


def _lines(effects: list[object]) -> dict[str, str]:
    out: dict[str, str] = {}
    for effect in effects:
        assert isinstance(effect, ToRoom)
        out[effect.room] = render(effect.doc, PLAIN).strip()
    return out


def _pool(rig: EngineRig, room: str) -> set[str]:
    world = rig.world
    lines = set(world.templates.rooms[room].ambience)
    for npc in world.npcs_in(room):
        lines |= set(world.templates.npcs[npc.id].emotes)
    return lines


def test_hollowmere_gives_every_room_and_its_friendly_folk_something_to_show() -> None:
    rig = EngineRig()
    templates = rig.world.templates
    assert templates.rules.ambience_chance == 20
    assert all(len(room.ambience) >= 2 for room in templates.rooms.values())
    for npc in ("bessa", "tobin", "aldith", "edda_venn", "crake"):
        emotes = templates.npcs[H + npc].emotes
        assert len(emotes) >= 3
        name = templates.npcs[H + npc].name
        assert all(line.startswith(name) for line in emotes), npc


def test_a_room_with_a_player_shows_a_line_of_its_own_or_of_someone_there() -> None:
    rig = EngineRig()
    rig.player("maren", "common_room")
    effects, shown = reactions.ambience(rig.world, always := Always(), {})
    assert always.chances == 1  # one room where someone is playing
    assert set(shown) == {TAVERN}  # only where someone is
    assert _lines(list(effects)) == shown
    assert shown[TAVERN] in _pool(rig, TAVERN)
    # Bessa's emotes are among what the tavern may show.
    assert any(line.startswith("Bessa Thorn") for line in _pool(rig, TAVERN))


def test_no_line_where_no_one_is_playing_a_fight_is_on_or_a_narration_streams() -> None:
    rig = EngineRig()
    rig.player("maren", "common_room")
    rig.player("pell", "crossroads")
    rig.player("ivo", "chapel")
    rig.world.linkdead = frozenset({"ivo"})  # only link-dead in the chapel
    rig.player("nell", "old_mill")
    rig.world.waiting.add("nell")  # still logging in
    rig.world.fights[H + "crossroads"] = object()
    effects, shown = reactions.ambience(rig.world, always := Always(), {}, busy={TAVERN})
    assert effects == [] and shown == {} and always.chances == 0


def test_the_chance_is_the_packs_and_a_miss_still_draws() -> None:
    rig = EngineRig()
    rig.player("maren", "common_room")
    effects, shown = reactions.ambience(rig.world, never := Never(), {})
    assert effects == [] and shown == {} and never.chances == 1
    rig.world.templates = evolve(
        rig.world.templates, rules=evolve(rig.world.templates.rules, ambience_chance=0)
    )
    assert reactions.ambience(rig.world, Always(), {})[0] == []


def test_a_dead_npc_shows_nothing_and_a_room_with_nothing_to_show_draws_nothing() -> None:
    rig = EngineRig()
    rig.player("maren", "common_room")
    bessa = rig.world.npcs[H + "bessa"]
    bessa.alive = False
    assert not any(line.startswith("Bessa") for line in _pool(rig, TAVERN))
    for _ in range(20):
        _, shown = reactions.ambience(rig.world, SeededRng(_), {})
        assert not shown.get(TAVERN, "").startswith("Bessa")
    bare = evolve(rig.world.templates.rooms[TAVERN], ambience=())
    rooms = dict(rig.world.templates.rooms) | {TAVERN: bare}
    rig.world.templates = evolve(rig.world.templates, rooms=rooms)
    assert reactions.ambience(rig.world, always := Always(), {}) == ([], {})
    assert always.chances == 0


@settings(max_examples=60, deadline=None)
@given(seed=st.integers(0, 2**32), rounds=st.integers(2, 12))
def test_a_room_shows_none_of_its_recent_lines_while_it_has_others(seed: int, rounds: int) -> None:
    rig = EngineRig()
    rig.player("maren", "common_room")
    rng = SeededRng(seed)
    recent: list[str] = []
    pool = _pool(rig, TAVERN)
    assert len(pool) > AMBIENT_MEMORY
    for _ in range(rounds):
        lately = {TAVERN: tuple(recent[-AMBIENT_MEMORY:])}
        _, shown = reactions.ambience(rig.world, Always(rng.choice_index(9)), lately)
        line = shown[TAVERN]
        assert line in pool
        assert line not in lately[TAVERN]
        recent.append(line)


def test_a_room_whose_lines_were_all_heard_lately_is_quiet() -> None:
    # Played (round 57): the Cartographer's Room, two lines, showed "A draught from the
    # window ..." just after the narration had told it, the third time in two minutes.
    rig = EngineRig()
    rig.player("maren", "mill_loft")  # two lines of its own, and Crake's three
    crake = rig.world.npcs[H + "crake"]
    crake.alive = False
    room = H + "mill_loft"
    first, second = rig.world.templates.rooms[room].ambience
    for pick in (0, 1):
        always = Always(pick)
        assert reactions.ambience(rig.world, always, {room: (first, second)}) == ([], {})
        assert always.chances == 1  # it drew, and had nothing fresh to show
        _, shown = reactions.ambience(rig.world, Always(pick), {room: (first,)})
        assert shown[room] == second


def _bessas(rig: EngineRig) -> set[str]:
    """The emotes of Bessa's the tavern may show now."""
    pool = reactions.ambient_pool(rig.world, TAVERN)
    return {line for line in pool if line.startswith("Bessa Thorn")}


def test_emotes_the_story_changes_suit_everyone_in_the_room_and_who_is_there() -> None:
    rig = EngineRig()
    maren = rig.player("maren", "common_room")
    door = "Bessa Thorn's eyes go to the door, and stay there a breath too long."
    window = "Bessa Thorn wipes her floury hands on her apron and glances at the window"
    propped = "Bessa Thorn props the door open a crack to let the fire's smoke out"
    hums = "Bessa Thorn hums as she works, which the regulars say she has not done in weeks."
    ladles = "Bessa Thorn ladles stew into a chipped bowl and slides it down the bar."

    def shown(start: str) -> bool:
        return any(line.startswith(start) for line in _bessas(rig))

    assert shown(door) and shown(window) and shown(ladles)
    assert not shown(hums) and not shown(propped)
    # Edda brought home by Maren (``after``/``until`` a quest): she hums, and her eyes
    # leave the window; Edda not by the fire (reset home), the door still draws them.
    maren.quests[H + "homecoming"] = -1
    assert shown(hums) and shown(door) and not shown(window) and not shown(propped)
    # With one who has not brought her home, no humming (all in the room see it), and
    # still no glance at the window (one there brought Edda home).
    pell = rig.player("pell", "common_room")
    assert not shown(hums) and shown(door) and not shown(window)
    # One away (link-dead) does not count.
    rig.world.linkdead = frozenset({"pell"})
    assert shown(hums)
    rig.world.linkdead = frozenset()
    # Edda by the fire (``while_here``/``unless_here``), whoever brought her: the door
    # no longer draws her eyes, nor the window; she props it open.
    rig.world.npcs[H + "edda_venn"].room = TAVERN
    assert shown(propped) and not shown(door) and not shown(window) and shown(ladles)
    # And the narrator speaking as her is given the same.
    pell.quests[H + "homecoming"] = -1
    asks = [e for e in rig.run("maren", "talk to bessa") if isinstance(e, AskNarration)]
    manner = " ".join(asks[0].npc_manner)
    assert hums in manner and propped in manner and door not in manner


def test_what_an_npc_tells_is_what_is_true_with_whom_is_there() -> None:
    # Played: a newcomer asked Bessa of the cartographer and was told she "has been gone
    # three nights", with Edda by the fire.
    rig = EngineRig()
    rig.player("tansy", "common_room", kit=True)
    asked = "bessa, what happened to the cartographer?"
    said = " ".join(call(rig.world, "tansy", asked).lines("tansy"))
    assert "gone three nights" in said, said
    rig.world.npcs[H + "edda_venn"].room = TAVERN
    said = " ".join(call(rig.world, "tansy", asked).lines("tansy"))
    assert "That's her by my fire" in said and "three nights under the mere" in said.lower()
    assert "gone three nights" not in said, said
    # To one who brought her home: by the fire, or off again once she is not.
    rig.world.chars["tansy"].quests[H + "homecoming"] = -1
    said = " ".join(call(rig.world, "tansy", "bessa, how is edda?").lines("tansy"))
    assert "Edda's home, by my fire" in said, said
    rig.world.npcs[H + "edda_venn"].room = H + "bell_chamber"
    said = " ".join(call(rig.world, "tansy", "bessa, how is edda?").lines("tansy"))
    assert "Off again, love" in said, said


# -- the loader -------------------------------------------------------------------------


def _pack(tmp_path: Path, room_extra: str = "", npc_extra: str = "") -> Path:
    folder = tmp_path / "tiny"
    folder.mkdir(parents=True)
    (folder / "pack.yaml").write_text(
        "id: tiny\nname: Tiny\nversion: '1'\ndescription: A tiny pack.\nstart: hall\n"
    )
    (folder / "rooms.yaml").write_text("hall:\n  name: Hall\n  description: A hall.\n" + room_extra)
    (folder / "npcs.yaml").write_text(
        "cat:\n  name: the cat\n  description: A cat.\n  room: hall\n" + npc_extra
    )
    return folder


def test_the_loader_keeps_whole_sentences_and_names_file_and_line_of_the_rest(
    tmp_path: Path,
) -> None:
    good = _pack(
        tmp_path,
        "  ambience:\n    - Dust   drifts.\n    - 'Someone sings, \"hey!\"'\n",
        "  emotes: [The cat washes a paw.]\n",
    )
    templates = load_packs([good])
    assert templates.rooms["tiny:hall"].ambience == ("Dust drifts.", 'Someone sings, "hey!"')
    assert templates.npcs["tiny:cat"].emotes == ("The cat washes a paw.",)
    bad = _pack(
        tmp_path / "bad",
        "  ambience:\n    - Dust drifts\n    - 7\n",
        "  emotes:\n    - " + "x" * 241 + ".\n",
    )
    with pytest.raises(PackError) as caught:
        load_packs([bad])
    text = str(caught.value)
    assert "rooms.yaml:5: room 'hall': 'ambience' entries are whole sentences" in text
    assert "rooms.yaml:6: room 'hall': 'ambience' entries must be text, not a number" in text
    assert "npcs.yaml:6: npc 'cat': 'emotes' entries are at most 240 characters long" in text


def test_an_emote_the_story_changes_is_read_and_its_mistakes_named(tmp_path: Path) -> None:
    quest = (
        "q:\n  name: Q\n  description: A quest.\n"
        "  steps:\n    - id: s\n      text: Find it.\n      trigger: {enter: hall}\n"
    )
    good = _pack(
        tmp_path,
        npc_extra="  emotes:\n    - The cat washes a paw.\n"
        "    - does: The cat purrs.\n      after: q\n"
        "    - does: The cat hides.\n      while_here: cat\n      unless_here: tiny:cat\n"
        "  knows:\n    - says: Mice.\n      unless_here: cat\n",
    )
    (good / "quests.yaml").write_text(quest)
    cat = load_packs([good]).npcs["tiny:cat"]
    assert cat.emotes == ("The cat washes a paw.", "The cat purrs.", "The cat hides.")
    assert cat.emotes_when == (("", ""), ("tiny:q", ""), ("", ""))
    assert cat.emotes_where == (("", ""), ("", ""), ("tiny:cat", "tiny:cat"))
    assert cat.knows_when == () and cat.knows_where == (("", "tiny:cat"),)
    bad = _pack(
        tmp_path / "bad",
        npc_extra="  emotes:\n    - does: The cat purrs.\n    - does: The cat hisses\n"
        "      until: nope\n    - ''\n    - does: The cat sulks.\n      while_here: dog\n",
    )
    (bad / "quests.yaml").write_text(quest)
    with pytest.raises(PackError) as caught:
        load_packs([bad])
    text = str(caught.value)
    assert "npcs.yaml:6: npc 'cat': emotes: an emote written as a mapping needs 'after' or" in text
    assert "npcs.yaml:7: npc 'cat': emotes: 'emotes' entries are whole sentences" in text
    assert "npc 'cat': emotes: until" in text and "nope" in text
    assert "npcs.yaml:9: npc 'cat': 'emotes' entries must not be empty" in text
    assert "npcs.yaml:11:" in text and "while_here" in text and "dog" in text


def test_an_opening_the_story_changes_is_read_and_its_mistakes_named(tmp_path: Path) -> None:
    # Played: "the cartographer never came back" was read by a newcomer with Edda home by
    # the fire. The first opening whose company gate holds is read.
    good = _pack(tmp_path)
    pack_yaml = good / "pack.yaml"
    pack_yaml.write_text(
        pack_yaml.read_text()
        + "opening:\n  - text: The cat is out.\n    unless_here: cat\n  - The cat  is in.\n"
    )
    pack = load_packs([good]).packs["tiny"]
    assert pack.opening == ("The cat is out.", "The cat  is in.")
    assert pack.opening_where == (("", "tiny:cat"), ("", ""))
    assert lore.opening(pack, set()) == "The cat is out."
    assert lore.opening(pack, {"tiny:cat"}) == "The cat  is in."
    assert lore.opening(evolve(pack, opening=pack.opening[:1], opening_where=()), {"x"}) == (
        "The cat is out."
    )
    plain = _pack(tmp_path / "plain")
    (plain / "pack.yaml").write_text((plain / "pack.yaml").read_text() + "opening: Rain.\n")
    assert load_packs([plain]).packs["tiny"].opening == ("Rain.",)
    bad = _pack(tmp_path / "bad")
    (bad / "pack.yaml").write_text(
        (bad / "pack.yaml").read_text()
        + "opening:\n  - text: Hi.\n    after: q\n  - text: Ho.\n    while_here: dog\n  - 7\n"
    )
    (bad / "quests.yaml").write_text(
        "q:\n  name: Q\n  description: A quest.\n"
        "  steps:\n    - id: s\n      text: Find it.\n      trigger: {enter: hall}\n"
    )
    with pytest.raises(PackError) as caught:
        load_packs([bad])
    text = str(caught.value)
    assert "pack.yaml:8: pack 'tiny': opening: an opening is read by a new character" in text
    assert "not 'after'" in text
    assert "pack.yaml:10:" in text and "while_here" in text and "dog" in text
    assert "pack.yaml:11: pack 'tiny': 'opening' entries must be text or a mapping" in text


# -- the hub ------------------------------------------------------------------------------


async def _until(check: Callable[[], bool]) -> None:
    for _ in range(500):
        if check():
            return
        await asyncio.sleep(0.01)
    raise AssertionError("condition never held")


async def test_both_players_in_the_tavern_see_the_same_line_on_the_ambience_tick(
    tmp_path: Path,
) -> None:
    async with make_rig(tmp_path) as rig:
        maren = await rig.create("Maren", cls="fighter")
        pell = await rig.create("Pell", cls="rogue")
        pool = _pool_of(rig.hub.world, TAVERN)
        await _until(lambda: rig.hub._ambience_at is not None)
        seen: list[str] = []
        for _ in range(40):  # 20 % a tick: a line comes within a few ticks
            rig.clock.advance(rig.hub.settings.ambience_every + 1)
            await asyncio.sleep(0.05)
            seen = [line for line in pool if line in maren.text]
            if seen:
                break
        assert len(seen) == 1, seen
        await pell.expect(re.escape(seen[0]))


def _pool_of(world: object, room: str) -> list[str]:
    from mud.engine.state import World

    assert isinstance(world, World)
    lines = list(world.templates.rooms[room].ambience)
    for npc in world.npcs_in(room):
        lines += world.templates.npcs[npc.id].emotes
    return lines


# -- the narrator -----------------------------------------------------------------------


def _talk(
    rid: int, manner: tuple[str, ...], shown: tuple[str, ...] = ("Sit down, love.",)
) -> NarrationRequest:
    return NarrationRequest(
        request_id=rid,
        kind="talk",
        room=RoomSnapshot(
            room_id=TAVERN,
            name="the Common Room",
            description="Low beams hang over a hearth where the fire is good.",
            exits=("south",),
            occupants=("Maren", "Bessa Thorn"),
        ),
        actor="Maren",
        text="Hello.",
        outcome=Outcome("dialogue", 1, ("Bessa Thorn answers Maren: Sit down, love.",)),
        priority=Priority.MEDIUM,
        created=0.0,
        audience=("Maren",),
        npc_persona="Bessa Thorn: warm and blunt.",
        seed=rid,
        shown=shown,
        npc_manner=manner,
    )


MANNER = (
    "Bessa Thorn ladles stew into a chipped bowl and slides it down the bar.",
    "Bessa Thorn's eyes go to the door, and stay there a breath too long.",
    "Bessa Thorn wipes her floury hands on her apron.",
)


def test_after_an_npc_answers_the_offline_narrator_tells_how_they_carry_themselves() -> None:
    narrator = OfflineNarrator(seed=5)
    told = [narrator.compose(_talk(rid, MANNER)) for rid in range(1, 4)]
    firsts = []
    for text in told:
        assert text in MANNER  # the answerer's manner, and nothing after it
        firsts.append(text)
    assert len(set(firsts)) == 3  # none told twice while it is remembered
    # All told lately: the listener's line again, never a repeat of the builder's.
    fourth = narrator.compose(_talk(4, MANNER))
    assert not any(fourth.startswith(line) for line in MANNER)
    # Without emotes, as before: the listener, then the place.
    plain = OfflineNarrator(seed=5).compose(_talk(1, ()))
    assert not any(line in plain for line in MANNER)


def test_the_model_is_told_the_npcs_ways_when_it_speaks_as_them() -> None:
    message = instruction_message(_talk(1, MANNER[:2]))
    assert message is not None
    assert "Their ways, as others see them: Bessa Thorn ladles stew" in message
    assert "Their ways" not in (instruction_message(_talk(1, ())) or "")


def test_an_npc_told_news_they_say_nothing_to_is_told_by_their_manner() -> None:
    # Played: "Bessa, we found the notes" (she answered nothing) was narrated "You
    # listen, and take it in.", as if the teller had been told something.
    narrator = OfflineNarrator(seed=5)
    assert narrator.compose(_talk(1, MANNER, shown=())) in MANNER
    assert "listen" not in OfflineNarrator(seed=5).compose(_talk(1, MANNER, shown=()))


def test_talking_to_an_npc_carries_its_emotes_to_the_narrator() -> None:
    rig = EngineRig()
    rig.player("maren", "common_room")
    asks = [e for e in rig.run("maren", "talk to bessa") if isinstance(e, AskNarration)]
    assert len(asks) == 1
    bessa = rig.world.templates.npcs[H + "bessa"]
    # Her emotes as they are now (``escort.manner``): of before Edda is home.
    assert asks[0].npc_manner == escort.manner(rig.world, bessa.id)
    assert any("door" in e for e in asks[0].npc_manner)
    assert 0 < len(asks[0].npc_manner) < len(bessa.emotes)


async def test_an_emote_the_narrator_told_is_not_the_rooms_next_ambience(
    tmp_path: Path,
) -> None:
    async with make_rig(tmp_path) as rig:
        hub = rig.hub
        maren = await rig.create("Maren", cls="fighter")
        world = hub.world
        world.templates = evolve(
            world.templates, rules=evolve(world.templates.rules, ambience_chance=100)
        )
        told = world.templates.npcs[H + "bessa"].emotes[0]
        rid = 50_000
        await hub.post_dm(NarrationStart(rid, TAVERN, None, "talk"))
        await hub.post_dm(NarrationChunk(rid, TAVERN, told))
        await hub.post_dm(NarrationEnd(rid, TAVERN, "offline"))
        await maren.expect(re.escape(told))
        assert list(hub._ambience_recent[TAVERN]) == [told]
        await _until(lambda: hub._ambience_at is not None)
        pool = _pool_of(world, TAVERN)
        shown: list[str] = []
        for _ in range(AMBIENT_MEMORY - 1):
            rig.clock.advance(hub.settings.ambience_every + 1)
            await _until(lambda: len(hub._ambience_recent[TAVERN]) > len(shown) + 1)
            shown.append(hub._ambience_recent[TAVERN][-1])
        assert told not in shown
        for line in shown:
            assert line in pool
            await maren.expect(re.escape(line))


async def test_a_room_falls_quiet_before_it_shows_a_line_again(tmp_path: Path) -> None:
    # Played (round 57): the Cartographer's Room, two lines, showed one of them three
    # times in two minutes (twice told by the narrator, then on the ambience tick).
    async with make_rig(tmp_path) as rig:
        hub = rig.hub
        maren = await rig.create("Maren", cls="fighter")
        world = hub.world
        world.templates = evolve(
            world.templates, rules=evolve(world.templates.rules, ambience_chance=100)
        )
        room = H + "guest_room"
        await rig.line(maren, "up")
        await maren.expect("Upstairs Landing")
        await rig.line(maren, "east")
        await maren.expect("Cartographer's Room")
        assert len(_pool_of(world, room)) == 2
        await _until(lambda: hub._ambience_at is not None)

        async def tick() -> dict[str, float]:
            at = hub._ambience_at
            rig.clock.advance(hub.settings.ambience_every + 1)
            await _until(lambda: hub._ambience_at != at and not hub._narr.streams)
            return dict(hub._ambience_when.get(room, {}))

        first: dict[str, float] = {}
        for _ in range(6):  # three minutes: each line shown or told once, then quiet
            heard = await tick()
            for line, when in heard.items():
                assert first.setdefault(line, when) == when, f"{line!r} again"
        assert len(first) == 2
        rig.clock.advance(AMBIENT_QUIET)
        again = await tick()
        assert any(again[line] > first[line] for line in first), "never shown again"


# -- the room's own lines as the offline narrator's colour --------------------------------

NOUN_SENTENCES = ("The light shifts on", "Nothing moves near", "Shadows lie close", "hangs about")


def test_the_offline_narrator_colours_a_room_with_its_builders_lines() -> None:
    rig = EngineRig()
    rig.player("maren", "common_room")
    rig.player("pell", "common_room")
    lines = rig.world.templates.rooms[TAVERN].ambience
    narrator = OfflineNarrator(seed=2)
    told = []
    for rid in range(1, 13):
        request = narration.request(
            rig.world,
            rid,
            "maren",
            TAVERN,
            "action",
            "kick the wall",
            Outcome("none", 1),
            Priority.MEDIUM,
            created=0.0,
        )
        assert request.room.ambience == lines
        told.append(narrator.compose(request))
    text = " ".join(told)
    # Each of the first narrations tells one of the room's lines, the next a fresh one;
    # then, all of them told lately, the rest of the stock.
    for i, narrated in enumerate(told[: len(lines)]):
        assert sum(line in narrated for line in lines) == 1, narrated
        assert not any(line in narrated for line in lines if any(line in t for t in told[:i]))
    assert not any(s in text for s in NOUN_SENTENCES), text
    # A room its builder gave no lines keeps the narrator's own sentences about it.
    bare = evolve(request, room=evolve(request.room, ambience=()))
    again = OfflineNarrator(seed=2)
    plain = " ".join(again.compose(evolve(bare, request_id=r, seed=r)) for r in range(40))
    assert any(s in plain for s in NOUN_SENTENCES)


def test_a_line_the_room_showed_lately_is_not_the_next_narrations_colour() -> None:
    rig = EngineRig()
    lines = rig.world.templates.rooms[TAVERN].ambience
    snap = narration.snapshot(rig.world, TAVERN, heard=lines[:2])
    assert snap.ambience == lines[2:]


async def test_the_hub_asks_with_the_rooms_lines_but_those_it_showed_lately(
    tmp_path: Path,
) -> None:
    async with make_rig(tmp_path, narration=True) as rig:
        hub = rig.hub
        submitted = record_asks(rig)
        maren = await rig.create("Maren", cls="fighter")
        world = hub.world
        world.templates = evolve(
            world.templates, rules=evolve(world.templates.rules, ambience_chance=100)
        )
        await _until(lambda: hub._ambience_at is not None)
        rig.clock.advance(hub.settings.ambience_every + 1)
        await _until(lambda: TAVERN in hub._ambience_recent)
        shown = hub._ambience_recent[TAVERN][-1]
        await maren.expect(re.escape(shown))
        submitted.clear()
        await rig.line(maren, "kick the wall")
        await _until(lambda: bool(submitted))
        request = submitted[-1]
        assert isinstance(request, NarrationRequest)
        own = world.templates.rooms[TAVERN].ambience
        assert request.room.ambience == tuple(line for line in own if line != shown)


# -- over the doors, and in the recording ------------------------------------------------


async def test_a_telnet_and_an_ssh_player_read_the_same_ambience_and_it_replays(
    tmp_path: Path,
) -> None:
    config = make_config(tmp_path, limits={"ambience_every": 0.2})
    async with running_server(config) as srv:
        maren = await TelnetPlayer.connect(srv.telnet_port)
        await login_new(maren, "Maren")
        pell = await SshPlayer.connect(srv.ssh_port)
        await login_new(pell, "Pell", cls="rogue")
        await maren.expect("Pell steps into view")
        # Bessa's emotes: only the room's ambience shows them unasked (the narrators'
        # colour in the tavern is its own lines, and her emotes follow only her answers).
        pool = list(srv.hub.world.templates.npcs[H + "bessa"].emotes)
        # As wrapped to each screen's width: any run of spaces and line breaks.
        either = "|".join(r"\s+".join(map(re.escape, line.split())) for line in pool)
        read = []
        for player in (maren, pell):
            got = await player.expect(either, timeout=30)
            found = re.search(either, got)
            assert found is not None
            read.append(" ".join(found.group(0).split()))
        assert read[0] == read[1] and read[0] in pool
        for player in (maren, pell):
            player.send("quit")
            await player.closed()
    events = await load_events(config.db)
    assert "ambience" in {e.kind for e in events}
    result = await replay(events)
    assert result.ok, result.first


async def test_a_world_with_no_one_in_it_records_no_ambience(tmp_path: Path) -> None:
    async with make_rig(tmp_path, wander_every=1e9) as rig:
        hub = rig.hub
        await _until(lambda: hub._ambience_at is not None)
        seq = hub._rec.seq
        for _ in range(3):
            rig.clock.advance(hub.settings.ambience_every + 1)
            await asyncio.sleep(0.1)
        assert hub._rec.seq == seq  # ticks, but nothing recorded
        await rig.create("Maren", cls="fighter")
        seq = hub._rec.seq
        rig.clock.advance(hub.settings.ambience_every + 1)
        await _until(lambda: hub._rec.seq > seq)


def test_only_a_thing_lying_there_is_called_easy_to_overlook() -> None:
    # Played at the crossroads: "Close at hand, it would be easy to overlook the
    # gibbet.", of the gibbet its description is built round.
    rig = EngineRig()
    rig.player("maren", "common_room")
    rig.player("pell", "common_room")
    overlooked: set[str] = set()
    rid = 0
    # Several seeds: whether the line is drawn at all is chance, and any change to a
    # room's features moves the draws.
    for seed, room in itertools.product(
        range(4), ("crossroads", "market_lane", "chapel", "common_room", "drowned_stair")
    ):
        narrator = OfflineNarrator(seed=seed)
        rig.world.move("maren", H + room)
        rig.world.move("pell", H + room)
        lying = {rig.world.item_template(i).name.lower() for i in rig.world.items_in_room(H + room)}
        for deed in ("kick the wall", "wait a while", "hum", "stretch", "look about", "rest"):
            rid += 1
            request = narration.request(
                rig.world,
                rid,
                "maren",
                H + room,
                "action",
                deed,
                Outcome("none", 1),
                Priority.MEDIUM,
                created=0.0,
            )
            for seen in re.findall(
                r"easy to overlook (?:the |a |an )?([^.]+)\.", narrator.compose(request)
            ):
                overlooked.add(seen)
                assert seen.lower() in lying, (room, seen)
    assert overlooked  # it is still said of what lies about
