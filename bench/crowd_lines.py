"""What the engine spends deciding one player's line in a crowded room, no sockets.

The bundled world with ``--players`` players (fighters, fresh sheets) in the tavern,
and for each line players type (a say with a comma, a question aloud, a reply, a
greeting to the innkeeper, a walk said), the best of three rounds of ``--repeat``
calls of ``commands.dispatch`` for one of them: the hub's own time on that line before
anything is carried out or written. The effects are not applied, so every call decides
the same line in the same world (a first greeting stays a first greeting, which marks
everyone who hears it). A line whose cost grows with the crowd shows here as
milliseconds: the hub's event loop does nothing else meanwhile.

Usage: ``python bench/crowd_lines.py [--players 1000] [--repeat 200]``; with
``PYTHONPATH`` set to another checkout and run from outside this one, it measures that
checkout's code.
"""

from __future__ import annotations

import argparse
import time
from pathlib import Path

from mud.core.rng import SeededRng
from mud.engine.commands import ALIASES, dispatch
from mud.engine.context import Ctx
from mud.engine.effects import CharUpdate
from mud.engine.parser import parse
from mud.engine.sheet import new_sheet
from mud.engine.state import Character, World
from mud.hub.apply import apply_to_world
from mud.world.loader import load_packs

CONTENT = Path(__file__).resolve().parent.parent / "content" / "hollowmere"

LINES = (
    "say hello everyone",
    "sure",
    "ok, let's go",
    "thanks, bessa",
    "hello bessa",
    "say the mill then, with me",
    "where is the mill?",
    "what now?",
    "you ready?",
    "is anyone here?",
    "anyone want a potion?",
    "the lights. and the coin, if there is any. you?",
    "I'll check the hearth",
    "nice work. on to the shrine",
    "look",
    # Round 34: prose, chat's slips, a name before a question with no comma.
    'P00000 leans on the bar. "Any news of the cartographer?"',
    'P00000 turns to P00500. "Ready?"',
    "wat is thsi place",
    "bessa what's good here",
)


def crowd(players: int) -> tuple[World, Character]:
    """The world with ``players`` fighters in the tavern; the first of them."""
    world = World(load_packs([CONTENT]))
    world.seed_rooms()
    world.seed_npcs()
    for i in range(players):
        char = Character(key=f"p{i:05d}", name=f"P{i:05d}", room="hollowmere:common_room")
        world.place(char)
        for effect in new_sheet(world, char, "hollowmere:fighter"):
            if isinstance(effect, CharUpdate):
                apply_to_world(world, effect)
    return world, world.chars["p00000"]


def cost(world: World, actor: Character, line: str, repeat: int) -> float:
    """Microseconds per ``dispatch`` of ``line``, the best of three rounds."""
    best = float("inf")
    for _ in range(3):
        start = time.perf_counter()
        for _ in range(repeat):
            dispatch(world, actor, parse(line, ALIASES), Ctx(now=0.0, rng=SeededRng(1)))
        best = min(best, (time.perf_counter() - start) / repeat * 1e6)
    return best


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--players", type=int, default=1000)
    parser.add_argument("--repeat", type=int, default=200)
    args = parser.parse_args()
    world, actor = crowd(args.players)
    print(f"{args.players} players in the tavern; microseconds per line decided")
    for line in LINES:
        print(f"{cost(world, actor, line, args.repeat):10.1f} us  {line!r}")


if __name__ == "__main__":
    main()
