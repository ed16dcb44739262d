"""Run one command against a real Hollowmere world with scripted dice: no hub, no sockets.

For pure engine tests (and anyone who wants one): ``EngineRig`` holds a ``World`` built
from the bundled content, ``player()`` puts a character with a class sheet into a room,
``run()`` parses and dispatches a line with a ``ScriptedRng`` and returns the effects
(they are not applied: each run sees the world as the test set it up, unless the test
passes them to ``apply()``), and ``seen()``
renders what one character would read from those effects, as plain text lines.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

from mud.core.outputs import Doc
from mud.engine.commands import ALIASES, dispatch
from mud.engine.context import Ctx
from mud.engine.effects import (
    AskNarration,
    CharUpdate,
    Effect,
    SpawnItem,
    Tell,
    ToRoom,
)
from mud.engine.parser import parse
from mud.engine.sheet import new_sheet
from mud.engine.state import Character, World
from mud.hub.apply import apply_to_world
from mud.render.doc import render
from mud.render.profile import RenderProfile
from mud.world.loader import load_packs

CONTENT = Path(__file__).resolve().parent.parent / "content" / "hollowmere"
PLAIN = RenderProfile(colours=0, width=200, screenreader=False, charset="utf-8")


class ScriptedRng:
    """An Rng whose d20s (and every other draw) come from a script, in order.

    ``randint`` clamps nothing: a scripted value outside the asked range fails the test.
    When the script runs out, it answers ``fallback`` (in range) so long fights can run.
    """

    def __init__(self, values: Sequence[int] = (), fallback: int = 10) -> None:
        self.values = list(values)
        self.fallback = fallback

    def randint(self, a: int, b: int) -> int:
        value = self.values.pop(0) if self.values else min(max(self.fallback, a), b)
        assert a <= value <= b, (value, a, b)
        return value

    def random(self) -> float:
        return 0.5

    def choice_index(self, n: int) -> int:
        return 0

    def fork(self) -> ScriptedRng:
        """The same script from here on, drawn apart (``Rng.fork``)."""
        return ScriptedRng(self.values, self.fallback)


class EngineRig:
    """A Hollowmere world for engine tests (see the module docstring)."""

    def __init__(self, *, ferry: bool = False, pack: str = "hollowmere") -> None:
        """Hollowmere; with ``ferry``, the Saltmarsh Ferry beside it (its requires); or
        another bundled ``pack`` alone ("lanternfall"), whose rooms ``player`` then
        names."""
        folder = CONTENT.parent / ("saltmarsh_ferry" if ferry else pack)
        self.pack = "hollowmere" if ferry else pack
        self.world = World(load_packs([folder]))
        self.world.seed_rooms()
        self.world.seed_npcs()

    def player(
        self, key: str, room: str, cls: str = "hollowmere:fighter", *, kit: bool = False
    ) -> Character:
        """A character ``key`` (named ``key.title()``) with a fresh ``cls`` sheet in ``room``
        (a local room id of the rig's pack, such as ``common_room``); with ``kit``, also
        the class's starting items, wielded and worn as a new character's are."""
        char = Character(key=key, name=key.title(), room=f"{self.pack}:{room}")
        self.world.place(char)
        for effect in new_sheet(self.world, char, cls):
            if isinstance(effect, CharUpdate) or (kit and isinstance(effect, SpawnItem)):
                self.apply([effect])
        return char

    def run(
        self,
        key: str,
        line: str,
        dice: Sequence[int] = (),
        *,
        previous: str = "",
        recent: Sequence[str] = (),
        overheard: Sequence[str] = (),
    ) -> list[Effect]:
        """The effects of ``key`` typing ``line``, the dice rolling ``dice`` in order;
        ``previous`` is the line they typed before it (``Ctx.previous``), ``recent`` the
        lines before it, oldest first (``Ctx.recent``; ``previous`` wins when given),
        ``overheard`` the others' lines of talk just before (``Ctx.overheard``)."""
        lines = (previous,) if previous else tuple(recent)
        ctx = Ctx(now=0.0, rng=ScriptedRng(dice), recent=lines, overheard=tuple(overheard))
        return dispatch(self.world, self.world.chars[key], parse(line, ALIASES), ctx)

    def apply(self, effects: Sequence[Effect]) -> None:
        """Carry out the world changes among ``effects`` the way the hub does
        (``mud.hub.apply.apply_to_world``), without its follow-ups (quests, aggression,
        narration: ``tests/call.py`` carries those out too)."""
        for effect in effects:
            apply_to_world(self.world, effect)

    def seen(self, key: str, effects: Sequence[Effect]) -> list[str]:
        """The lines ``key`` reads from ``effects`` (Tell to them, ToRoom to their room)."""
        room = self.world.chars[key].room
        out: list[str] = []
        for effect in effects:
            doc: Doc | None = None
            match effect:
                case Tell(who, told) if who == key:
                    doc = told
                case ToRoom(where, said, exclude) if where == room and key not in exclude:
                    doc = said
            if doc is not None:
                out.append(render(doc, PLAIN).replace("\r\n", "\n").strip())
        return out


def narration_asks(effects: Sequence[Effect]) -> list[AskNarration]:
    """The narration requests among ``effects``, in order."""
    return [e for e in effects if isinstance(e, AskNarration)]
