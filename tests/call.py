"""``call()``: one command line, one actor, scripted dice; what each viewer sees.

In the spirit of Evennia's command tests: no hub, no sockets, no database. ``call``
parses and dispatches ``line`` for the character ``who`` with a ``ScriptedRng``, then
carries the effects out the way the hub does, with the same code: each effect's world
change through ``mud.hub.apply.apply_to_world``, then the engine's follow-up rules
(``mud.engine.reactions.follow_ups``: quests, level-ups, aggression, respawn times),
depth first. It returns a ``Called``: every effect carried out (follow-ups included, in
order) and, for each character in the world, the plain-text lines they would read.

Rules tests use it to state exactly which dice fall (``dice=[15]``: the d20 of a check
rolls 15) instead of repeating an action until a d20 happens to succeed.

    rig = EngineRig()
    rig.player("alice", "common_room")
    out = call(rig.world, "alice", "I search the hearthstone", dice=[20])
    assert "is uncovered" in out.text("alice")
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TypeVar

from attrs import frozen
from enginerig import PLAIN, EngineRig, ScriptedRng

from mud.core.outputs import Doc
from mud.engine import reactions
from mud.engine.commands import ALIASES, dispatch
from mud.engine.context import Ctx
from mud.engine.effects import Effect, Move, Tell, ToAll, ToRoom
from mud.engine.parser import parse
from mud.engine.state import World
from mud.hub.apply import apply_to_world
from mud.render.doc import render

E = TypeVar("E")


@frozen
class Called:
    """What one ``call`` did: ``effects`` carried out (follow-ups included, in order) and
    ``seen``: character key -> the lines they read, in order (plain text)."""

    effects: list[Effect]
    seen: dict[str, list[str]]

    def lines(self, who: str) -> list[str]:
        """The lines ``who`` read ([] if nothing)."""
        return self.seen.get(who, [])

    def text(self, who: str) -> str:
        """Everything ``who`` read, one line after another."""
        return "\n".join(self.lines(who))

    def of(self, kind: type[E]) -> list[E]:
        """The effects of one type, in order."""
        return [e for e in self.effects if isinstance(e, kind)]


def rules_ctx(dice: Sequence[int] = (), *, now: float = 0.0, wall: float = 0.0) -> Ctx:
    """A handler context whose dice roll ``dice`` in order (then 10)."""
    return Ctx(now=now, wall=wall, rng=ScriptedRng(dice))


def call(
    world: World,
    who: str,
    line: str,
    dice: Sequence[int] = (),
    *,
    now: float = 0.0,
    wall: float = 0.0,
    fallback: int = 10,
    recent: Sequence[str] = (),
) -> Called:
    """Run ``line`` as ``who`` against ``world`` (which it changes, as the hub would),
    the dice rolling ``dice`` in order and then ``fallback`` (see ``ScriptedRng``);
    ``recent``: the lines ``who`` typed before it, oldest first (``Ctx.recent``)."""
    ctx = Ctx(now=now, wall=wall, rng=ScriptedRng(dice, fallback), recent=tuple(recent))
    effects = dispatch(world, world.chars[who], parse(line, ALIASES), ctx)
    return carry_out(world, effects, ctx)


def carry_out(world: World, effects: Sequence[Effect], ctx: Ctx) -> Called:
    """Carry out ``effects`` on ``world`` as the hub does (world changes, then the engine's
    follow-ups, depth first) and collect what every character sees."""
    seen: dict[str, list[str]] = {}
    done: list[Effect] = []

    def show(keys: Sequence[str], doc: Doc, exclude: Sequence[str] = ()) -> None:
        text = render(doc, PLAIN).replace("\r\n", "\n").strip()
        for key in keys:
            if key not in exclude:
                seen.setdefault(key, []).append(text)

    pending = list(reversed(effects))
    while pending:
        effect = pending.pop()
        done.append(effect)
        match effect:
            case Move(mover, _to, leave, arrive, unseen_by=unseen_by):
                unseen = (mover, *unseen_by)
                show(world.occupants.get(world.chars[mover].room, []), leave, unseen)
                apply_to_world(world, effect)
                show(world.occupants.get(world.chars[mover].room, []), arrive, unseen)
            case Tell(key, doc):
                show([key], doc)
            case ToRoom(room, doc, exclude):
                show(list(world.occupants.get(room, [])), doc, exclude)
            case ToAll(doc, admins_only, exclude):
                everyone = [k for k, c in world.chars.items() if c.is_admin or not admins_only]
                show(everyone, doc, exclude)
            case _:
                apply_to_world(world, effect)
        pending.extend(reversed(reactions.follow_ups(world, effect, ctx)))
    return Called(done, seen)


def turn_at_the_eelcatcher(cleric: str, other: str, cls: str = "hollowmere:cleric") -> EngineRig:
    """A rig at the reed path where ``cleric`` (a Lamp-Keeper, or of calling ``cls``) has
    struck at the drowned eel-catcher first (and missed), ``other`` has defended, the
    eel-catcher has swung, and it is ``cleric``'s turn again: for a deed tried on one's
    turn."""
    rig = EngineRig()
    rig.player(cleric, "reed_path", cls=cls, kit=True)
    rig.player(other, "reed_path", kit=True)
    rig.world.npcs["hollowmere:drowned_eelcatcher"].room = "hollowmere:reed_path"
    call(rig.world, cleric, "attack eel-catcher", dice=[20, 1, 1, 3])
    call(rig.world, other, "defend", dice=[5, 5])
    return rig


__all__ = ["Called", "call", "carry_out", "rules_ctx", "turn_at_the_eelcatcher"]
