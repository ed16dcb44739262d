"""The ``map`` command: an ASCII map of the rooms around a character. Pure.

``area_map`` lays the rooms out on a grid, breadth first from the character's room over
the exits that lead a compass way (north .. southwest); ``cmd_map`` sends it to the
player as art, or as sentences for a screen reader.

Invariants of ``area_map``'s output (the tests check them on random worlds):

- every line is at most ``MAX_COLUMNS`` terminal columns wide;
- the grid holds exactly one ``OWN_MARK``: the character's own room;
- a grid cell holds at most one room: where two rooms would take the same cell (a
  twisting, non-Euclidean layout), the first placed keeps it and the other is left out;
- only rooms the character has stood in (``Character.visited``), and its own, are drawn;
  a way from a drawn room to a room it has not stood in ends in ``UNKNOWN_MARK``;
- a hidden exit shows only once the character has found it (``views.exit_visible``);
- nothing in the world changes: the map only reads.

The grid is plain text (no markup): ``cmd_map`` escapes it, so a ``[`` or a ``\\``
reaches the player as drawn and a ``{`` in a room's name opens no style.
"""

from __future__ import annotations

from collections import deque
from collections.abc import Mapping
from types import MappingProxyType

from attrs import frozen

from mud.core.markup import esc, styled
from mud.core.outputs import Art, Block, Doc, Para
from mud.engine.context import Ctx
from mud.engine.effects import Effect, Tell
from mud.engine.parser import Intent
from mud.engine.state import Character, World
from mud.engine.views import exit_visible
from mud.render.ansi import Run
from mud.render.grammar import in_place
from mud.render.wrap import wrap_runs
from mud.world.model import Exit, Room

MAX_COLUMNS = 78
"""No line of a map is wider than this: it fits an 80-column terminal with room to spare."""

MAX_RADIUS = 9
"""The most steps ``map <radius>`` draws: nine each way and the walker's own are 19
cells, 75 columns, so a straight east-west road that long fits a line whole."""

COMPASS: Mapping[str, tuple[int, int]] = MappingProxyType(
    {
        "north": (0, -1),
        "south": (0, 1),
        "east": (1, 0),
        "west": (-1, 0),
        "northeast": (1, -1),
        "northwest": (-1, -1),
        "southeast": (1, 1),
        "southwest": (-1, 1),
    }
)
"""The directions laid out on the grid -> the (column, row) step they take; rows grow
southward. Up, down, in and out are not on it: up and down show as a mark on the room's
cell, in and out not at all (they lead somewhere with no place on a compass)."""

OWN_MARK = "[@]"
UNKNOWN_MARK = " ? "
UP_MARK, DOWN_MARK, BOTH_MARK, ROOM_MARK = "[^]", "[v]", "[%]", "[ ]"
LEGEND = (
    "Key: [@] you  [^] way up  [v] way down",
    "     [%] up and down  ? not yet visited",
)
"""The lines under the grid that say what its marks mean: none wider than 40, so a
phone's terminal held upright reads them whole (played, round 59: one line of 76 was cut
at 42 columns after "[%", and what "%" marks was never told)."""

UNSEEN = "somewhere you have not been"
"""What plain mode calls a room the character has not stood in."""

# A cell is three columns ("[ ]") and a connector one, so a grid column is four wide;
# a grid row is two lines: the cells, then the connectors to the row below.
_CELL = 3
_PITCH = 4
_FIT = (MAX_COLUMNS + 1) // _PITCH  # whole cells that fit a line: 19, 75 columns


@frozen
class _Layout:
    """Where the rooms of a map go: ``rooms`` maps a grid cell to the room drawn there,
    ``unknown`` a cell to the unvisited room its ``?`` stands for, ``links`` the pairs
    of cells joined by a connector (``_ordered``). ``own`` is the character's cell."""

    own: tuple[int, int]
    rooms: Mapping[tuple[int, int], str]
    unknown: Mapping[tuple[int, int], str]
    links: frozenset[tuple[tuple[int, int], tuple[int, int]]]


def _ways(world: World, char: Character, room: Room) -> list[Exit]:
    """The exits of ``room`` that ``char`` can see, in ``DIRECTIONS`` order."""
    return [e for e in room.exits if exit_visible(world, room.id, e.direction, e.hidden, char.key)]


def _known(char: Character, own: str) -> set[str]:
    """The rooms drawn as rooms: those stood in, and the one stood in now (a character
    just placed, or carried somewhere, may not have it among ``visited`` yet)."""
    return {*char.visited, own}


def _layout(world: World, char: Character, radius: int) -> _Layout:
    """Place the rooms: breadth first from the character's, up to ``radius`` steps.

    Rooms are placed first and marks after, so a ``?`` never takes a cell a room the
    character knows could have had. Only known rooms are walked through: what lies
    beyond a room never stood in is not the character's to know.
    """
    own_room = world.room(char.room)
    known = _known(char, own_room.id)
    at: dict[tuple[int, int], str] = {(0, 0): own_room.id}
    where: dict[str, tuple[int, int]] = {own_room.id: (0, 0)}
    queue: deque[tuple[str, int]] = deque([(own_room.id, 0)])
    while queue:
        room_id, depth = queue.popleft()
        if depth >= radius:
            continue
        x, y = where[room_id]
        for ex in _ways(world, char, world.room(room_id)):
            step = COMPASS.get(ex.direction)
            if step is None or ex.to not in known or ex.to in where:
                continue
            cell = (x + step[0], y + step[1])
            if cell in at:
                continue  # taken: the first placed keeps it (see the module invariants)
            at[cell] = ex.to
            where[ex.to] = cell
            queue.append((ex.to, depth + 1))
    unknown: dict[tuple[int, int], str] = {}
    links: set[tuple[tuple[int, int], tuple[int, int]]] = set()
    # Connectors that lead to no mark, kept apart: a "?" placed later in that cell
    # (another room's way to an unvisited room) must not look like where they go.
    beyond: set[tuple[tuple[int, int], tuple[int, int]]] = set()
    for cell, room_id in at.items():
        for ex in _ways(world, char, world.room(room_id)):
            step = COMPASS.get(ex.direction)
            if step is None:
                continue
            near = (cell[0] + step[0], cell[1] + step[1])
            if near in at:
                if at[near] != ex.to:
                    continue  # another room sits where this way points: no false link
            elif ex.to not in known:
                if unknown.setdefault(near, ex.to) != ex.to:
                    continue  # that "?" stands for another room already
            elif ex.to in where:
                continue  # drawn elsewhere (the way bends): a link here would mislead
            else:
                # A known room past the radius (or crowded out): the connector alone
                # shows that the way goes on.
                beyond.add(_ordered(cell, near))
                continue
            links.add(_ordered(cell, near))
    links.update(pair for pair in beyond if pair[0] not in unknown and pair[1] not in unknown)
    return _Layout((0, 0), MappingProxyType(at), MappingProxyType(unknown), frozenset(links))


def _ordered(a: tuple[int, int], b: tuple[int, int]) -> tuple[tuple[int, int], tuple[int, int]]:
    """A link's two cells, the northern first (the western, in one row): one way and the
    way back are one connector."""
    return (a, b) if (a[1], a[0]) < (b[1], b[0]) else (b, a)


def _cell_mark(world: World, char: Character, room_id: str, own: bool) -> str:
    """What a known room's cell shows: the character, a way up or down, or nothing."""
    if own:
        return OWN_MARK
    up, down = _up_down(world, char, world.room(room_id))
    if up and down:
        return BOTH_MARK
    return UP_MARK if up else DOWN_MARK if down else ROOM_MARK


def _up_down(world: World, char: Character, room: Room) -> tuple[bool, bool]:
    """Whether ``char`` sees a way up, and a way down, out of ``room``."""
    ways = {e.direction for e in _ways(world, char, room)}
    return "up" in ways, "down" in ways


def _grid(world: World, char: Character, layout: _Layout) -> list[str]:
    """The grid's lines, cropped around the character to ``MAX_COLUMNS``."""
    cells = [*layout.rooms, *layout.unknown]
    for a, b in layout.links:
        cells.extend((a, b))  # a link past the radius reaches a cell with nothing in it
    left = min(x for x, _ in cells)
    top = min(y for _, y in cells)
    width = (max(x for x, _ in cells) - left + 1) * _PITCH - 1
    height = (max(y for _, y in cells) - top) * 2 + 1
    canvas = [[" "] * width for _ in range(height)]

    def put(col: int, row: int, text: str) -> None:
        canvas[row][col : col + len(text)] = list(text)

    for (x, y), room_id in layout.rooms.items():
        mark = _cell_mark(world, char, room_id, (x, y) == layout.own)
        put((x - left) * _PITCH, (y - top) * 2, mark)
    for x, y in layout.unknown:
        put((x - left) * _PITCH, (y - top) * 2, UNKNOWN_MARK)
    for (ax, ay), (bx, by) in layout.links:
        col, row = (ax - left) * _PITCH, (ay - top) * 2
        if ay == by:  # east-west: between the two cells
            put(col + _CELL, row, "-")
        elif ax == bx:  # north-south: under the middle of the northern cell
            put(col + 1, row + 1, "|")
        else:
            # The northern cell comes first: "\" runs down to the east, "/" to the west.
            line = "\\" if bx > ax else "/"
            col = col + _CELL if bx > ax else col - 1
            # Both diagonals of one square cross at the same spot.
            here = canvas[row + 1][col]
            put(col, row + 1, "X" if here in "\\/" and here != line else line)
    lines = ["".join(row).rstrip() for row in canvas]
    # A connector leading past the radius reaches an empty cell: its row, when nothing
    # else is on it, is blank, and a blank line at the map's edge says nothing.
    while not lines[-1]:
        lines.pop()
    while not lines[0]:
        lines.pop(0)
    if width > MAX_COLUMNS:
        # Crop on whole cells, keeping the character's as near the middle as the map's
        # edges allow: a half-drawn "@]" at an edge would read as a different mark.
        columns = width // _PITCH + 1
        first = min(max(layout.own[0] - left - _FIT // 2, 0), columns - _FIT)
        start = first * _PITCH
        lines = [line[start : start + _FIT * _PITCH - 1].rstrip() for line in lines]
    return lines


def _where(world: World, char: Character) -> str:
    """The sentence under the map naming the character's room, and its ways up and down
    (the own cell shows the character, not those)."""
    room = world.room(char.room)
    up, down = _up_down(world, char, room)
    text = f"You are {in_place(room.name)}."
    if up and down:
        text += " Ways lead up and down from here."
    elif up or down:
        text += f" A way leads {'up' if up else 'down'} from here."
    return text


def _wrapped(text: str) -> list[str]:
    """``text`` word-wrapped to ``MAX_COLUMNS`` terminal columns (wide letters count two)."""
    lines = wrap_runs([Run((), text)], MAX_COLUMNS)
    return ["".join(run.text for run in line) for line in lines] or [""]


def _name(world: World, room_id: str, known: set[str]) -> str:
    """A room's name if the character has stood in it: an unknown room keeps its name."""
    return world.room(room_id).name if room_id in known else UNSEEN


def _sentences(world: World, char: Character, radius: int) -> list[str]:
    """The map in words: where the character is, what lies each way, then what lies two
    steps on (rooms known, then the ways not yet walked). One sentence a line, no art:
    for screen readers."""
    room = world.room(char.room)
    known = _known(char, room.id)
    out = [_where(world, char)]
    if radius < 1:
        return out
    named = {room.id}
    for ex in _ways(world, char, room):
        out.append(f"{ex.direction.capitalize()}: {_name(world, ex.to, known)}.")
        named.add(ex.to)
    if radius < 2:
        return out
    further: list[str] = []
    unexplored: list[str] = []
    for first in _ways(world, char, room):
        if first.to not in known:
            continue  # what lies past a room never stood in is not known
        for second in _ways(world, char, world.room(first.to)):
            if second.to in named:
                continue  # the way back, or a room already said: said once is enough
            named.add(second.to)
            path = f"{first.direction} then {second.direction}"
            if second.to in known:
                further.append(f"{path}: {world.room(second.to).name}")
            else:
                unexplored.append(path)
    if further:
        out.append("Further: " + "; ".join(further) + ".")
    if unexplored:
        out.append("Not yet explored further: " + ", ".join(unexplored) + ".")
    return out


def area_map(world: World, key: str, *, radius: int = 3, plain: bool = False) -> list[str]:
    """The lines of a map of the rooms around character ``key`` (``world.chars[key]``).

    The grid: a cell per room within ``radius`` steps (0 or less: the own room and its
    ways alone)
    over compass exits, ``OWN_MARK`` for the character's room, ``UP_MARK``,
    ``DOWN_MARK`` or ``BOTH_MARK`` for a room with a way up or down, and ``-``, ``|``,
    ``/`` and ``\\`` (``X`` where two diagonals cross) joining rooms; a way to a room
    not yet visited ends in ``UNKNOWN_MARK``. Then the lines of ``LEGEND``, then the
    sentence naming the room. With ``plain`` (screen readers): sentences instead, one a
    line (long ones wrapped): where the character is, what lies each way it can see, and
    two steps on.

    Lines are plain text, not markup, none wider than ``MAX_COLUMNS`` columns; see the
    module invariants. Pure: reads the world, changes nothing. Raises KeyError when
    ``key`` is not a character in ``world``.
    """
    char = world.chars[key]
    radius = max(radius, 0)
    if plain:
        return [line for text in _sentences(world, char, radius) for line in _wrapped(text)]
    grid = _grid(world, char, _layout(world, char, radius))
    return [*grid, *LEGEND, *_wrapped(_where(world, char))]


def cmd_map(world: World, actor: Character, intent: Intent, ctx: Ctx) -> list[Effect]:
    """map [radius]

    Draw a map of the rooms around you that you have been in, joined by the ways
    between them: @ is you, ^ and v mark ways up and down, ? a room you have not been
    in yet. Up and down lead off the map: it shows the level you stand on. 'map 5'
    draws five steps each way (1 to 9; three unless you say). In screen reader mode
    the map is told in words: what lies each way, and two steps on.
    """
    arg = intent.args.strip()
    if arg and not (arg.isdigit() and 1 <= int(arg) <= MAX_RADIUS):
        return [Tell(actor.key, Doc.text(styled("error", f"Usage: map [1-{MAX_RADIUS}]")))]
    radius = int(arg) if arg else 3
    words = _sentences(world, actor, radius)
    if actor.screenreader:
        return [Tell(actor.key, Doc(tuple(Para(esc(text)) for text in words)))]
    grid = _grid(world, actor, _layout(world, actor, radius))
    # A terminal that announced a screen reader (the player never said) gets the same
    # words in place of the art; the sentence naming the room follows as for everyone.
    blocks: list[Block] = [
        Art(tuple(esc(line) for line in (*grid, *LEGEND)), alt=esc("\n".join(words[1:]))),
        Para(esc(words[0])),
    ]
    return [Tell(actor.key, Doc(tuple(blocks)))]
