"""Reading content packs (folders of YAML) into ``Templates``. The only module that imports yaml.

A pack folder holds ``pack.yaml`` and one file per kind of template (``rooms.yaml``,
``items.yaml``, ``classes.yaml``, ``npcs.yaml``, ``quests.yaml``; see ``KINDS``). Other
files are not read: a YAML file named like one of those (``room.yaml``, ``npcs.yml``) is
an error, any other YAML file a warning, so packs can still carry files for kinds added
later and a builder learns that a file is not read.

How errors are found and reported:

1. Each file is *composed* (not loaded) so every value keeps the line it was written on;
   ``_Converter`` turns the nodes into plain Python values plus a table of
   key path -> line. Mapping keys are always text (as written), duplicate keys are
   reported rather than silently overwritten.
2. The named constructors in ``mud.world.model`` build templates from the plain values
   and report problems and references by key path (never raising).
3. Once every pack is read, every reference (exit targets, items, keys, start rooms,
   NPCs, quests, features) is checked against what was actually defined, across all
   packs (a reference to something of another kind says what it is); then the checks
   that need the whole world: quest ``check`` steps at features with a check, dice
   notation (through the caller's ``dice_check``), links between packs, quest
   requirement cycles, safe rooms, ``hold`` steps for items that nothing brings into
   the world, and the warnings: quests that could soft-lock, hidden exits nothing
   reveals, rooms no way leads to from the start, locked doors whose key cannot be had
   without them, an escort to its NPC's own room, an add-on's unused opening and rules;
   for a world players enter (``for_play``), a class to choose and a safe start.

Every problem becomes a ``PackIssue`` naming file, 1-based line and key; nothing stops at
the first error. A problem with no line of its own (a missing file) is reported at line 1.
A check that needs what a file would have defined is not made while that file cannot be
read (``_Loading.unknown``, ``rooms_unknown``, ``exits_in_doubt``): one slip, one error.
"""

from __future__ import annotations

import difflib
import hashlib
import re
from collections.abc import Callable, Iterable, Mapping, Sequence
from pathlib import Path
from types import MappingProxyType
from typing import Protocol, TypeVar

import yaml
from attrs import evolve, frozen

from mud.world.model import (
    DIRECTIONS,
    ID_RE,
    OPPOSITE,
    RESPAWN_NEVER,
    TRIGGER_KINDS,
    ClassTemplate,
    DiceUse,
    Door,
    Exit,
    Feature,
    ItemSource,
    ItemTemplate,
    KeyPath,
    Later,
    Link,
    NpcTemplate,
    PackInfo,
    PackRules,
    QuestStep,
    QuestTemplate,
    Reference,
    Report,
    Room,
    Social,
    Templates,
    canonical_direction,
    item_sources,
    npc_returns,
    renewable_items,
    room_resets,
    suggestion,
)

DiceCheck = Callable[[str], "str | None"]
"""Checks dice notation: returns None when ``text`` is valid, else why not (one line).
The app passes one built on ``mud.engine.dice.parse`` (world cannot import engine)."""

# Used when no dice check is given: the shape of the engine's grammar without its limits,
# so it accepts everything the engine's parser accepts (a test keeps that true).
_DICE_TERM = r"(?:[0-9]*[dD](?:[0-9]+|%)(?:[kK][hHlL][0-9]+)?|[0-9]+)"
_DICE_SHAPE = re.compile(rf"[ \t]*[+-]?[ \t]*{_DICE_TERM}(?:[ \t]*[+-][ \t]*{_DICE_TERM})*[ \t]*")


def dice_shape_check(text: str) -> str | None:
    """The fallback dice check: None when ``text`` looks like dice notation (``2d4+2``),
    else a message. Looser than the engine's parser (no limits on counts or sides)."""
    if _DICE_SHAPE.fullmatch(text):
        return None
    return "not dice notation (write it like 1d6+1)"


# Aliases may expand a small document into a huge one; content never needs this many values.
_MAX_VALUES = 200_000

_MAP_TAG = "tag:yaml.org,2002:map"
_SEQ_TAG = "tag:yaml.org,2002:seq"
_MERGE_TAG = "tag:yaml.org,2002:merge"


# --------------------------------------------------------------------------- issues


@frozen
class PackIssue:
    """One thing wrong with a pack: ``str()`` is ``file:line: message`` (line is 1-based).

    A ``warning`` (``file:line: warning: message``) does not stop a pack from loading:
    it points at something that may go wrong in play (a quest that could soft-lock)."""

    file: str
    line: int
    message: str
    warning: bool = False

    def __str__(self) -> str:
        if self.warning:
            return f"{self.file}:{self.line}: warning: {self.message}"
        return f"{self.file}:{self.line}: {self.message}"


class PackError(Exception):
    """Raised by ``load_packs`` when packs are not valid; ``issues`` lists every problem
    (errors only); ``listing`` every error and warning in file order, as ``mud check``
    prints them (a warning may explain the errors: a misnamed file's "no such room")."""

    def __init__(
        self, issues: Sequence[PackIssue], *, listing: Sequence[PackIssue] | None = None
    ) -> None:
        self.issues: list[PackIssue] = list(issues)
        self.listing: list[PackIssue] = list(listing if listing is not None else issues)
        count = len(self.issues)
        lines = "\n".join(str(issue) for issue in self.issues)
        super().__init__(f"{count} problem{'s' if count != 1 else ''} in content packs:\n{lines}")


# --------------------------------------------------------------------------- YAML


class _SyntaxProblem(Exception):
    """The text is not a YAML document we can read. Internal to this module."""

    def __init__(self, line: int, message: str) -> None:
        super().__init__(message)
        self.line = line
        self.message = message


@frozen
class _Duplicate:
    """A mapping key written twice: ``path`` and ``line`` locate the second occurrence."""

    path: KeyPath
    key: str
    line: int
    first_line: int


@frozen
class _Parsed:
    """A parsed document: plain values, and where each key or list entry was written."""

    value: object
    lines: Mapping[KeyPath, int]
    duplicates: tuple[_Duplicate, ...]

    def line(self, path: KeyPath) -> int:
        """The line of ``path``, or of its nearest enclosing entry that has one."""
        for end in range(len(path), -1, -1):
            found = self.lines.get(path[:end])
            if found is not None:
                return found
        return 1


def _line_of(node: yaml.Node) -> int:
    return int(node.start_mark.line) + 1


class _Converter:
    """Turns a composed node tree into plain values, remembering lines. One per document."""

    def __init__(self, loader: yaml.SafeLoader) -> None:
        self._loader = loader
        self._budget = _MAX_VALUES
        self._open: set[int] = set()  # nodes being converted: an alias back to one is a cycle
        self.lines: dict[KeyPath, int] = {}
        self.duplicates: list[_Duplicate] = []
        self._written: dict[int, set[int]] = {}  # mapping node -> its own (unmerged) keys

    def convert(self, node: yaml.Node, path: KeyPath) -> object:
        self._budget -= 1
        if self._budget < 0:
            raise _SyntaxProblem(_line_of(node), "too many values (do aliases expand in a loop?)")
        if id(node) in self._open:
            raise _SyntaxProblem(_line_of(node), "an alias refers to the value that contains it")
        if isinstance(node, yaml.ScalarNode):
            return self._scalar(node)
        self._open.add(id(node))
        try:
            if isinstance(node, yaml.MappingNode):
                return self._mapping(node, path)
            if isinstance(node, yaml.SequenceNode):
                return self._sequence(node, path)
        finally:
            self._open.discard(id(node))
        raise _SyntaxProblem(_line_of(node), "unsupported YAML node")

    def _scalar(self, node: yaml.ScalarNode) -> object:
        try:
            return self._loader.construct_object(node, deep=True)
        except Exception as exc:
            # A scalar with an explicit tag (!!int zz, !!bool maybe, !!timestamp 2001-02-30,
            # !custom) makes PyYAML's constructors raise whatever their parsing raises:
            # YAMLError, ValueError, KeyError... Every one of them means "bad value here".
            if isinstance(exc, yaml.MarkedYAMLError):
                reason = str(exc.problem)
            else:
                reason = f"not a valid {node.tag.rpartition(':')[2]}"
                if isinstance(exc, ValueError):
                    reason += f" ({exc})"
            shown = node.value if len(node.value) <= 40 else node.value[:37] + "..."
            raise _SyntaxProblem(_line_of(node), f"bad value {shown!r}: {reason}") from exc

    def _mapping(self, node: yaml.MappingNode, path: KeyPath) -> dict[str, object]:
        if node.tag != _MAP_TAG:
            raise _SyntaxProblem(_line_of(node), f"unsupported tag {node.tag} on a mapping")
        # The keys written in this mapping itself, as opposed to those a "<<" merge key
        # brings in: only a key written twice here is a duplicate. A merged key is a
        # default that a later one overrides, as YAML defines merging.
        # Kept per node: flattening changes the node, and an alias converts it again.
        written = self._written.setdefault(
            id(node), {id(key) for key, _ in node.value if key.tag != _MERGE_TAG}
        )
        self._loader.flatten_mapping(node)  # resolves "<<" merge keys in place
        out: dict[str, object] = {}
        merged: set[str] = set()  # keys whose value so far came from a merge
        for key_node, value_node in node.value:
            if not isinstance(key_node, yaml.ScalarNode):
                raise _SyntaxProblem(_line_of(key_node), "a mapping key must be plain text")
            key = str(key_node.value)
            where = (*path, key)
            if id(key_node) not in written:
                merged.add(key)
            elif key in merged:
                merged.discard(key)
                out.pop(key)
            if key in out:
                if key not in merged:
                    self.duplicates.append(
                        _Duplicate(where, key, _line_of(key_node), self.lines[where])
                    )
                    continue
                # flatten_mapping puts the merge that must win last: a later one overrides.
                out.pop(key)
            self.lines[where] = _line_of(key_node)
            out[key] = self.convert(value_node, where)
        return out

    def _sequence(self, node: yaml.SequenceNode, path: KeyPath) -> list[object]:
        if node.tag != _SEQ_TAG:
            raise _SyntaxProblem(_line_of(node), f"unsupported tag {node.tag} on a list")
        out: list[object] = []
        for index, item in enumerate(node.value):
            self.lines[(*path, index)] = _line_of(item)
            out.append(self.convert(item, (*path, index)))
        return out


# A value that opens a quote: "key: 'text", "- 'text" or "- key: 'text".
_QUOTED_VALUE = re.compile(
    r"""^[ \t]*(?:(?:-[ \t]+)+|(?:-[ \t]+)*[^'"#\s-][^#]*?:[ \t]+)(['"])(.*)$"""
)
# A value that starts a block scalar ("key: >-", "- |"): its lines are not YAML syntax.
_BLOCK_VALUE = re.compile(r"^[ \t]*(?:-[ \t]+|.*?:[ \t]+)[>|][-+0-9]*[ \t]*(?:#.*)?$")


def _close_at(quote: str, rest: str) -> int:
    """Where in ``rest`` the ``quote`` opened before it closes, or -1: ``\\"`` does not
    close a double quote, ``''`` does not close a single one."""
    i = 0
    while i < len(rest):
        char = rest[i]
        if quote == '"' and char == "\\":
            i += 2
            continue
        if char == quote:
            if quote == "'" and rest[i + 1 : i + 2] == "'":
                i += 2
                continue
            return i
        i += 1
    return -1


def _unclosed_quote(text: str, error_line: int) -> int | None:
    """The line (1-based) of a value that opens a quote it does not close on its own line,
    when that quote is what makes ``error_line`` unreadable; else None.

    PyYAML reads an unclosed quote on through the following lines until some later quote
    (another value's, an apostrophe) closes it, then trips on what follows that, often
    many lines below, or reaches the end of the file. So: the quote is still open at
    ``error_line``, or closes on it. Block scalars (``>-``, ``|``) are skipped."""
    opened: tuple[str, int] | None = None  # (quote, line) of a quote not yet closed
    block: int | None = None  # the indentation of a block scalar's key, while inside it
    for number, line in enumerate(text.splitlines()[:error_line], start=1):
        if opened is not None:
            quote, start = opened
            if _close_at(quote, line) >= 0:
                if number == error_line:
                    return start
                opened = None
            continue
        indent = len(line) - len(line.lstrip(" "))
        if block is not None:
            if not line.strip() or indent > block:
                continue
            block = None
        match = _QUOTED_VALUE.match(line)
        if match is not None:
            if _close_at(match.group(1), match.group(2)) < 0:
                opened = (match.group(1), number)
        elif _BLOCK_VALUE.match(line):
            block = indent
    return opened[1] if opened is not None else None


# A key line: "name: x", "name:", "- name: x" (the key plain text, not a comment).
_KEY_LINE = re.compile(r"""^[ ]*(?:-[ ]+)*[^\s#'"-][^#]*?:(?:[ \t]|$)""")
# A list entry: "- x", "-".
_ITEM_LINE = re.compile(r"^[ ]*-(?:[ \t]|$)")


def _layout(lines: Sequence[str], number: int) -> tuple[list[int], int | None]:
    """How the lines before line ``number`` (1-based) are indented, read as a builder
    writes them: the indentations still open there (each key's and list entry's, from
    the outermost; a "- key:" entry opens both), and the number of the last line before
    it if that line holds text alone where a key was due (a key missing its ':'), else
    None. Blank lines, comments, block scalars (``>-``) and the lines of a text that
    goes on under its key are passed over."""
    open_: list[int] = []
    opens = True  # the line before opens a block: a deeper line is a new key, not text
    block: int | None = None  # the indentation of a block scalar's key, while inside it
    lone: int | None = None
    for at, line in enumerate(lines[: max(0, number - 1)], start=1):
        body = line.strip()
        if not body or body.startswith("#"):
            continue
        indent = len(line) - len(line.lstrip(" "))
        if block is not None:
            if indent > block:
                continue
            block = None
        keyed, item = bool(_KEY_LINE.match(line)), bool(_ITEM_LINE.match(line))
        if not keyed and not item and not opens and open_ and indent > open_[-1]:
            continue  # more of the text above: "description: A long" / "  text"
        lone = None if keyed or item else at
        while open_ and open_[-1] > indent:
            open_.pop()
        if not open_ or open_[-1] != indent:
            open_.append(indent)
        dashes = re.match(r"[ ]*((?:-[ ]+)+)", line) if item else None
        if dashes is not None and keyed:
            open_.append(indent + len(dashes.group(1)))
        value = line.split(" #", 1)[0].rstrip()
        opens = (keyed and value.endswith(":")) or (item and value.endswith("-"))
        if _BLOCK_VALUE.match(line):
            block = indent
    return open_, lone


def _either(numbers: Sequence[int]) -> str:
    """``0, 2 or 4``."""
    shown = [str(n) for n in numbers]
    return shown[0] if len(shown) == 1 else f"{', '.join(shown[:-1])} or {shown[-1]}"


def _indent_hint(lines: Sequence[str], number: int, problem: str) -> str:
    """A plain hint for a YAML error that bad indentation makes at line ``number``
    (PyYAML's "expected <block end>, but found ..." and "mapping values are not allowed
    here"): the line above with no ':' (a key missing its colon), this line's
    indentation beside those still open above it, or a list entry among keys (or a key
    among entries); "" for any other error."""
    if not problem.startswith(("expected <block end>", "mapping values are not allowed")):
        return ""
    here = lines[number - 1] if 0 < number <= len(lines) else ""
    indent = len(here) - len(here.lstrip(" "))
    levels, lone = _layout(lines, number)
    if lone is not None and problem.startswith("mapping values"):
        return (
            f" (line {lone} has no ':': YAML reads it and this line as one text; write the"
            " ':' after its key)"
        )
    if levels and indent not in levels:
        spaces = "space" if indent == 1 else "spaces"
        return (
            f" (this line is indented {indent} {spaces}, and no line above it is: they are"
            f" at {_either(levels)}; indent it as far as the keys, or the '- ' entries, it"
            " belongs with)"
        )
    if problem.endswith(("'-'", "'<block sequence start>'")):
        return (
            " (a list entry ('- ') here, among the keys of a mapping: a list goes under a key"
            " of its own, each entry indented as far as the others)"
        )
    if problem.startswith("expected <block end>"):
        return (
            " (a key here, among the entries of a list: put it inside an entry, indented"
            " past its '- ', or start a new entry with '- ')"
        )
    return " (is this line indented like the keys beside it?)"


def _syntax_problem(exc: yaml.YAMLError, text: str) -> _SyntaxProblem:
    """A YAML error as a ``_SyntaxProblem`` a builder can act on: the line of the likely
    cause first (a quote opened and never closed), then PyYAML's own words, with a hint
    for the common slips (``: `` in plain text, a tab in the indentation)."""
    if isinstance(exc, yaml.reader.ReaderError):
        line = text.count("\n", 0, max(0, exc.position)) + 1
        return _SyntaxProblem(line, f"YAML error: {exc.reason} (character {exc.character!r})")
    if not isinstance(exc, yaml.MarkedYAMLError):
        return _SyntaxProblem(1, f"YAML error: {exc}")
    mark = exc.problem_mark or exc.context_mark
    line = int(mark.line) + 1 if mark is not None else 1
    problem = str(exc.problem or "unreadable YAML")
    context = ""
    if exc.context and exc.context_mark is not None and exc.context_mark is not mark:
        context = f" ({exc.context} at line {int(exc.context_mark.line) + 1})"
    lines = text.splitlines()
    here = lines[line - 1] if 0 < line <= len(lines) else ""
    column = int(mark.column) if mark is not None else 0
    hint = ""
    if "\t" in problem or "\t" in here[: len(here) - len(here.lstrip())]:
        hint = " (indent with spaces, not tabs)"
    elif problem.startswith("mapping values are not allowed") and ": " in here[:column]:
        hint = (
            " (text holding ': ' must be in quotes: description: \"...: ...\", or folded with >-)"
        )
    culprit = _unclosed_quote(text, line)
    if culprit is not None and culprit != line:
        return _SyntaxProblem(
            culprit,
            "YAML error: a quote is opened and not closed on this line (close it at the"
            f" end of the text); the YAML reader stopped at line {line}:"
            f" {problem}{context}{hint}",
        )
    if culprit == line and exc.problem_mark is not None:
        hint += " (a quote is opened and not closed on this line)"
    elif culprit is None and not hint:
        key = exc.context_mark
        if problem == "could not find expected ':'" and key is not None:
            # A line of text where a key was due, read as a key: a key missing its ':',
            # or more of the text above not indented under its key.
            return _SyntaxProblem(
                int(key.line) + 1,
                "YAML error: this line is read as a key, but has no ':' (write the ':' after"
                " the key; or, if it is more of the text above, indent it further than that"
                f" text's key, or fold the text with >-); the YAML reader stopped at line"
                f" {line}: {problem}",
            )
        hint = _indent_hint(lines, line, problem)
    return _SyntaxProblem(line, f"YAML error: {problem}{context}{hint}")


def _parse(text: str) -> _Parsed:
    """Parse one YAML document. Raises ``_SyntaxProblem`` (with a line) if it cannot."""
    try:
        loader = yaml.SafeLoader(text)
    except yaml.YAMLError as exc:
        raise _syntax_problem(exc, text) from exc
    try:
        node = loader.get_single_node()
        if node is None:
            return _Parsed(None, {(): 1}, ())
        converter = _Converter(loader)
        value = converter.convert(node, ())
        converter.lines[()] = _line_of(node)
        return _Parsed(value, converter.lines, tuple(converter.duplicates))
    except yaml.YAMLError as exc:
        raise _syntax_problem(exc, text) from exc
    except RecursionError as exc:
        raise _SyntaxProblem(1, "YAML error: nested too deeply") from exc
    finally:
        loader.dispose()


def parse_yaml_mapping(text: str, source: str) -> dict[str, object]:
    """Parse a YAML config file whose top level is a mapping (an empty file is ``{}``).

    Called by the config loader. Keys are always text; nested values are plain dicts,
    lists and scalars. Raises ValueError ``"<source>:<line>: <problem>"`` for bad YAML,
    a duplicate key, or a top level that is not a mapping; never anything else.
    """
    try:
        parsed = _parse(text)
    except _SyntaxProblem as exc:
        raise ValueError(f"{source}:{exc.line}: {exc.message}") from None
    if parsed.duplicates:
        dup = parsed.duplicates[0]
        raise ValueError(
            f"{source}:{dup.line}: duplicate key '{_dotted(dup.path)}'"
            f" (first at line {dup.first_line})"
        )
    if parsed.value is None:
        return {}
    if not isinstance(parsed.value, dict):
        raise ValueError(f"{source}:{parsed.line(())}: expected a mapping of keys at top level")
    return parsed.value


def _dotted(path: KeyPath) -> str:
    return ".".join(str(part) for part in path)


# --------------------------------------------------------------------------- kinds


class Builder(Protocol):
    """A named constructor for one kind: reports problems, returns None if unusable."""

    def __call__(
        self, pack: str, local_id: str, data: object, *, path: KeyPath, report: Report
    ) -> object | None: ...


@frozen
class Kind:
    """A kind of template defined in its own pack file as ``local_id: {...}`` entries.

    ``noun`` names the kind in messages and in ``Reference.kind``. To add a kind: write
    its frozen class with a ``from_mapping`` builder in ``mud.world.model``, add a row to
    ``KINDS``, a field to ``Templates`` and a line in ``_assemble``.
    """

    noun: str
    filename: str
    build: Builder


KINDS: tuple[Kind, ...] = (
    Kind("room", "rooms.yaml", Room.from_mapping),
    Kind("item", "items.yaml", ItemTemplate.from_mapping),
    Kind("class", "classes.yaml", ClassTemplate.from_mapping),
    Kind("npc", "npcs.yaml", NpcTemplate.from_mapping),
    Kind("quest", "quests.yaml", QuestTemplate.from_mapping),
    Kind("social", "socials.yaml", Social.from_mapping),
)

_T = TypeVar("_T")

# Features are defined inside rooms, not in a file of their own, but are referenced (by
# quest triggers) like any kind.
_FEATURE = "feature"


@frozen
class _Source:
    """Where a template was written: its file, the parsed file and its key path."""

    file: str
    parsed: _Parsed
    path: KeyPath

    def line(self, *sub: str | int) -> int:
        return self.parsed.line((*self.path, *sub))


# --------------------------------------------------------------------------- loading


class _Loading:
    """The state of one ``check_packs``/``load_packs`` call: what was defined, what was
    referenced, what went wrong."""

    def __init__(self) -> None:
        self.issues: list[PackIssue] = []
        self.packs: dict[str, PackInfo] = {}
        self.pack_files: dict[str, str] = {}  # pack id -> its pack.yaml
        self.defined: dict[str, dict[str, object]] = {kind.noun: {} for kind in KINDS}
        self.defined[_FEATURE] = {}
        self.references: list[tuple[Reference, str, int]] = []  # with file and line
        self.dice: list[tuple[DiceUse, str, int]] = []  # with file and line
        self.links: list[tuple[str, Link, str, int]] = []  # (linking pack, link, file, line)
        self.sources: dict[tuple[str, str], _Source] = {}  # (noun, id) -> where written
        # What could not be read at all: references into it are not reported again, since
        # "no such room" would only repeat the error that made the file unreadable.
        self.unreadable: set[tuple[str, str]] = set()  # (pack, noun); noun "*" = whole pack
        self.broken: set[tuple[str, str]] = set()  # (noun, id) of entries that were unusable
        self.faulty: set[tuple[str, str]] = set()  # (noun, id) of entries with a problem
        # An exit or a link with an error (left out, or its target missing): which rooms
        # can be walked to is not judged then, as the error may be the missing way.
        self.exits_in_doubt = False

    def issue(self, file: str, line: int, message: str, *, warning: bool = False) -> None:
        self.issues.append(PackIssue(file, line, message, warning))

    def read(self, path: Path, digest: hashlib._Hash | None = None) -> _Parsed | None:
        """Parse ``path``, reporting (and returning None) when it cannot be read. The bytes
        read are added to ``digest`` (with the file's name), so a pack's digest covers
        exactly what was loaded."""
        file = str(path)
        try:
            data = path.read_bytes()
        except OSError as exc:
            self.issue(file, 1, f"cannot read file: {exc.strerror or exc}")
            return None
        if digest is not None:
            digest.update(f"{path.name}\0{len(data)}\0".encode())
            digest.update(data)
        try:
            text = data.decode("utf-8")
        except UnicodeDecodeError as exc:
            line = data.count(b"\n", 0, exc.start) + 1
            self.issue(file, line, "the file is not UTF-8 text")
            return None
        try:
            parsed = _parse(text)
        except _SyntaxProblem as exc:
            self.issue(file, exc.line, exc.message)
            return None
        return parsed

    def absorb(self, report: Report, parsed: _Parsed, file: str) -> None:
        """Turn a constructor's report into issues and pending references for ``file``."""
        for problem in report.problems:
            self.issue(file, parsed.line(problem.path), problem.message)
        for ref in report.references:
            self.references.append((ref, file, parsed.line(ref.path)))
        for use in report.dice_uses:
            self.dice.append((use, file, parsed.line(use.path)))

    def duplicates(self, parsed: _Parsed, file: str, noun: str) -> None:
        """Report keys written twice in ``file`` (the second one is ignored)."""
        for dup in parsed.duplicates:
            if len(dup.path) == 1 and noun != "pack":
                what = f"duplicate {noun} id '{dup.key}'"
            else:
                what = f"duplicate key '{_dotted(dup.path)}'"
            self.issue(file, dup.line, f"{what} (first at line {dup.first_line})")

    def pack(self, folder: Path) -> None:
        """Read one pack folder: pack.yaml, then each kind's file if present."""
        if not folder.is_dir():
            self.issue(str(folder), 1, "no such pack folder")
            return
        pack_file = folder / "pack.yaml"
        if not pack_file.is_file():
            named = " (pack.yml is not read: rename it pack.yaml)"
            hint = named if (folder / "pack.yml").is_file() else ""
            self.issue(str(pack_file), 1, f"missing pack.yaml (every pack needs one){hint}")
            return
        fallback = re.sub(r"[^a-z0-9_]", "_", folder.resolve().name.lower()) or "pack"
        digest = hashlib.sha256()
        parsed = self.read(pack_file, digest)
        if parsed is None:
            self.unreadable.add((fallback, "*"))
            return
        self.duplicates(parsed, str(pack_file), "pack")
        report = Report()
        info = PackInfo.from_mapping(
            parsed.value, fallback_id=fallback, path=str(folder), report=report
        )
        self.absorb(report, parsed, str(pack_file))
        if any(problem.path[:1] == ("links",) for problem in report.problems):
            self.exits_in_doubt = True
        if info.id in self.pack_files:
            self.issue(
                str(pack_file),
                parsed.line(("id",)),
                f"pack '{info.id}': id already used by {self.pack_files[info.id]}",
            )
            return
        self.packs[info.id] = info
        self.pack_files[info.id] = str(pack_file)
        self.sources[("pack", info.id)] = _Source(str(pack_file), parsed, ())
        for where, link in report.links:
            self.links.append((info.id, link, str(pack_file), parsed.line(where)))
        for kind in KINDS:
            path = folder / kind.filename
            if path.is_file():
                self.kind_file(kind, info.id, path, digest)
        self.unread_files(folder)
        self.packs[info.id] = evolve(info, digest=digest.hexdigest()[:16])

    def unread_files(self, folder: Path) -> None:
        """Report each YAML file in ``folder`` that no kind reads.

        Played: ``room.yaml`` for ``rooms.yaml`` gave only "no such room" errors, and
        ``npcs.yml`` loaded a world with no NPCs and no word why. A near miss of a file
        the loader reads (``.yml`` for ``.yaml``, a letter off) is an error when the
        right name is not there too; any other YAML file is a warning, so a pack may
        still carry files for later (notes, kinds a newer mud reads)."""
        known = ("pack.yaml", *(kind.filename for kind in KINDS))
        try:
            names = sorted(p.name for p in folder.iterdir() if p.is_file())
        except OSError:
            return
        for name in names:
            stem, dot, ext = name.rpartition(".")
            if not dot or ext.lower() not in ("yaml", "yml") or name in known:
                continue
            if ext.lower() == "yml" and f"{stem}.yaml" in known:
                meant = f"{stem}.yaml"
                why = f"{name} is not read: only .yaml files are; rename it {meant}"
            else:
                # Judged on the names without ".yaml", which would make any two look alike.
                stems = {k.removesuffix(".yaml"): k for k in known}
                close = difflib.get_close_matches(stem.lower(), stems, n=1, cutoff=0.75)
                meant = stems[close[0]] if close else ""
                why = f"{name} is not read (did you mean {meant}?)"
            if meant and not (folder / meant).exists():
                self.issue(str(folder / name), 1, why)
            else:
                also = f"; {meant} is read" if meant else ""
                self.issue(
                    str(folder / name),
                    1,
                    f"{name} is not read: a pack's files are {', '.join(known)}{also}",
                    warning=True,
                )

    def kind_file(
        self, kind: Kind, pack: str, path: Path, digest: hashlib._Hash | None = None
    ) -> None:
        """Read one kind's file of ``pack``, building each entry."""
        file = str(path)
        parsed = self.read(path, digest)
        if parsed is None:
            self.unreadable.add((pack, kind.noun))
            return
        self.duplicates(parsed, file, kind.noun)
        if parsed.value is None:
            return
        if not isinstance(parsed.value, dict):
            self.unreadable.add((pack, kind.noun))
            self.issue(
                file, parsed.line(()), f"expected a mapping of {kind.noun} ids to {kind.noun}s"
            )
            return
        report = Report()
        for local_id, data in parsed.value.items():
            if not ID_RE.fullmatch(local_id):
                report.problem(
                    (local_id,), f"{kind.noun} id '{local_id}' must be lowercase a-z, 0-9 and _"
                )
                continue
            built = kind.build(pack, local_id, data, path=(local_id,), report=report)
            full_id = f"{pack}:{local_id}"
            if built is None:
                self.broken.add((kind.noun, full_id))
                continue
            self.defined[kind.noun][full_id] = built
            self.sources[(kind.noun, full_id)] = _Source(file, parsed, (local_id,))
            if isinstance(built, Room):
                for feature in built.features.values():
                    self.defined[_FEATURE][feature.id] = feature
        self.faulty.update((kind.noun, f"{pack}:{p.path[0]}") for p in report.problems if p.path)
        if kind.noun == "room" and any(p.path[1:2] == ("exits",) for p in report.problems):
            self.exits_in_doubt = True
        self.absorb(report, parsed, file)

    def check_references(self) -> None:
        """Report every reference to something that was not defined in any pack."""
        for ref, file, line in self.references:
            known = self.defined.get(ref.kind, {})
            target_pack = ref.target.partition(":")[0]
            if ref.kind == _FEATURE:
                # A feature lives in a room: when the room is unusable, say nothing more.
                owner, owner_kind = ref.target.rpartition(":")[0], "room"
            else:
                owner, owner_kind = ref.target, ref.kind
            if (
                ref.target in known
                or (owner_kind, owner) in self.broken
                or (target_pack, owner_kind) in self.unreadable
                or (target_pack, "*") in self.unreadable
            ):
                continue
            if ref.kind == "room":
                self.exits_in_doubt = True
            if target_pack in self.packs:
                hint = self.kind_hint(ref, file) or _id_hint(ref.target, ref.kind, known)
            else:
                hint = f" (pack '{target_pack}' is not loaded)"
            self.issue(file, line, f"{ref.what} -> '{ref.target}': no such {ref.kind}{hint}")

    def kind_hint(self, ref: Reference, file: str) -> str:
        """The hint after "no such <kind>" when ``ref`` names something of another kind
        (a room's id where a quest step's ``enter`` wants one, but an NPC's): what it
        is, and for a quest trigger the triggers that fit it ("{defeat: pell}", "{enter:
        lamp_room}, the room it starts in"); "" when no other kind has the id.

        Played: ``trigger: {enter: pell}`` was "no such room", not that Pell is an NPC."""
        other = next(
            (k for k in ("room", "item", "npc", "quest", "class") if ref.target in self.defined[k]),
            None,
        )
        if other is None or other == ref.kind:
            return ""
        local = ref.target.partition(":")[2]
        mine = self.file_packs().get(file)
        shown = local if ref.target.partition(":")[0] == mine else ref.target
        told = f" ('{shown}' is {_a(other)}, not {_a(ref.kind)}"
        if ref.path[-2:-1] != ("trigger",) or ref.path[-1] not in TRIGGER_KINDS:
            return told + ")"
        ways = [f"{{{key}: {shown}}}" for key, kind in TRIGGER_KINDS.items() if kind == other]
        npc = self.defined["npc"].get(ref.target)
        if isinstance(npc, NpcTemplate):
            ways = [
                way
                for way in ways
                if not (way.startswith("{defeat") and npc.stats is None)
                and not (way.startswith("{escort") and npc.escort is None)
            ]
            room = npc.room.partition(":")[2] if npc.room.partition(":")[0] == mine else npc.room
            ways.append(f"{{enter: {room}}}, the room it starts in")
        if not ways:
            return told + ")"
        return f"{told}: write {' or '.join(ways)})"

    def file_packs(self) -> dict[str, str]:
        """Each file read -> the id of the pack it belongs to."""
        return {
            source.file: ref if noun == "pack" else ref.partition(":")[0]
            for (noun, ref), source in self.sources.items()
        }

    def check_step_features(self) -> None:
        """Report a quest step ``{check: room:feature}`` whose feature has no ``check``:
        a check step is met only by succeeding at the feature's check, so it could never
        be done. Not reported when the feature's room has problems of its own (its check
        may be among them).

        Played: a step asked for a check at a straw pallet, scenery with no roll, and
        ``mud check`` said OK."""
        features = _only(self.defined[_FEATURE], Feature)
        for quest_id, quest in _only(self.defined["quest"], QuestTemplate).items():
            source = self.sources[("quest", quest_id)]
            for i, step in enumerate(quest.steps):
                feature = features.get(step.trigger.target)
                if (
                    step.trigger.kind != "check"
                    or feature is None
                    or feature.check is not None
                    or ("room", feature.room) in self.faulty
                ):
                    continue
                room = feature.room
                shown = room.partition(":")[2] if room.partition(":")[0] == quest.pack else room
                self.issue(
                    source.file,
                    source.line("steps", i, "trigger"),
                    f"quest '{quest_id.partition(':')[2]}': step '{step.id}' needs a check at"
                    f" '{feature.id}', but that feature has no 'check': no one can ever do"
                    " the step (give the feature a check, such as check: {skill: perception,"
                    f" dc: 12}}, or give the step another trigger, such as {{enter: {shown}}})",
                )

    def check_later_gates(self) -> None:
        """Report a ``later`` text (a room's, a feature's, a quest's or a step's) that
        could never be read: gated ``while_done`` by a feature with no action that lasts
        (``lasts: true``), or ``while_brought`` by an NPC no one can bring anywhere (no
        ``escort``). Whether they exist at all is ``check_references``'s."""
        features = _only(self.defined[_FEATURE], Feature)
        npcs = _only(self.defined["npc"], NpcTemplate)
        gated: list[tuple[str, str, KeyPath, Later]] = []  # (noun, id, path, text)
        for room_id, room in _only(self.defined["room"], Room).items():
            gated += [("room", room_id, ("later", i), e) for i, e in enumerate(room.later)]
            for key, feature in room.features.items():
                gated += [
                    ("room", room_id, ("features", key, "later", i), e)
                    for i, e in enumerate(feature.later)
                ]
        for quest_id, quest in _only(self.defined["quest"], QuestTemplate).items():
            # An entry may hold a description and an ending, each kept in its own list:
            # each gate once, at the line of the list (an index of one list is not the
            # entry's place in the file).
            gates = {
                (e.while_done, e.while_brought): e for e in (*quest.later, *quest.later_ending)
            }
            gated += [("quest", quest_id, ("later",), e) for e in gates.values()]
            for n, step in enumerate(quest.steps):
                gated += [
                    ("quest", quest_id, ("steps", n, "later", i), e)
                    for i, e in enumerate(step.later)
                ]
        for noun, owner, at, entry in gated:
            source = self.sources[(noun, owner)]
            where = f"{noun} '{owner.partition(':')[2]}'"
            lasting = features.get(entry.while_done)
            if lasting is not None and not any(a.lasts for a in lasting.actions):
                self.issue(
                    source.file,
                    source.line(*at, "while_done") if at[-1] != "later" else source.line(*at),
                    f"{where}: a later text's 'while_done: {entry.while_done}' names a"
                    " feature with no action that lasts ('lasts: true'): the text could"
                    " never be read",
                )
            npc = npcs.get(entry.while_brought)
            if npc is not None and npc.escort is None:
                self.issue(
                    source.file,
                    source.line(*at, "while_brought") if at[-1] != "later" else source.line(*at),
                    f"{where}: a later text's 'while_brought: {entry.while_brought}' names"
                    " an NPC with no 'escort': no one can bring them anywhere, so the text"
                    " could never be read",
                )

    def check_dice(self, dice_check: DiceCheck | None) -> None:
        """Report every dice string that ``dice_check`` (or the fallback) refuses."""
        checker = dice_check if dice_check is not None else dice_shape_check
        for use, file, line in self.dice:
            why = checker(use.text)
            if why is not None:
                self.issue(file, line, f"{use.what}: bad dice '{use.text}': {why}")

    def apply_links(self) -> dict[str, tuple[Exit, ...]]:
        """Check every pack's links and return the exits they add, by room id.

        A link into a pack that is not loaded is skipped (that is what makes a pack
        optional); into a loaded pack, the room must exist and the direction be free.
        """
        rooms = self.defined["room"]
        added: dict[str, dict[str, Exit]] = {}
        for _pack, link, file, line in self.links:
            source_pack = link.from_room.partition(":")[0]
            if source_pack not in self.packs:
                continue
            room = rooms.get(link.from_room)
            what = f"pack '{_pack}': link from '{link.from_room}'"
            if not isinstance(room, Room):
                self.exits_in_doubt = True
                if ("room", link.from_room) not in self.broken and (
                    source_pack,
                    "room",
                ) not in self.unreadable:
                    hint = suggestion(link.from_room, rooms, cutoff=0.8)
                    self.issue(file, line, f"{what}: no such room{hint}")
                continue
            extra = added.setdefault(room.id, {})
            if room.exit(link.direction) is not None or link.direction in extra:
                self.exits_in_doubt = True
                self.issue(file, line, f"{what}: the room already has an exit {link.direction}")
                continue
            extra[link.direction] = link.exit()
        return {room_id: tuple(exits.values()) for room_id, exits in added.items()}

    def check_quest_chains(self) -> None:
        """Report each quest whose ``requires`` leads back to itself (once per cycle)."""
        quests = {k: v for k, v in self.defined["quest"].items() if isinstance(v, QuestTemplate)}
        done: set[str] = set()
        for start in quests:
            if start in done:
                continue
            # Depth-first walk with an explicit stack: (quest, index of next requirement).
            path: list[str] = [start]
            on_path = {start}
            stack: list[tuple[str, int]] = [(start, 0)]
            while stack:
                quest_id, index = stack[-1]
                needs = quests[quest_id].requires
                if index == len(needs):
                    stack.pop()
                    path.pop()
                    on_path.discard(quest_id)
                    done.add(quest_id)
                    continue
                stack[-1] = (quest_id, index + 1)
                need = needs[index]
                if need == quest_id:
                    continue  # the model reports a quest requiring itself
                if need in on_path:
                    cycle = [*path[path.index(need) :], need]
                    source = self.sources[("quest", quest_id)]
                    self.issue(
                        source.file,
                        source.line("requires", index),
                        f"quest '{quest_id.partition(':')[2]}': requires form a loop: "
                        + " -> ".join(cycle),
                    )
                elif need in quests and need not in done:
                    path.append(need)
                    on_path.add(need)
                    stack.append((need, 0))

    def check_safety(self) -> None:
        """Safe rooms must be safe: ``rules.safe_room`` is marked ``safe``, and no
        aggressive NPC starts or wanders in a safe room."""
        rooms = self.defined["room"]
        for pack_id, info in self.packs.items():
            target = info.rules.safe_room
            room = rooms.get(target) if target else None
            if isinstance(room, Room) and not room.safe:
                source = self.sources[("pack", pack_id)]
                self.issue(
                    source.file,
                    source.line("rules", "safe_room"),
                    f"pack '{pack_id}': rules: safe_room '{target}' is not marked safe: true",
                )
        for npc_id, npc in self.defined["npc"].items():
            if not isinstance(npc, NpcTemplate) or not npc.aggressive:
                continue
            source = self.sources[("npc", npc_id)]
            for key, place in (("room", npc.room), *(("wander", w) for w in npc.wander)):
                room = rooms.get(place)
                if isinstance(room, Room) and room.safe:
                    self.issue(
                        source.file,
                        source.line(key),
                        f"npc '{npc_id.partition(':')[2]}': an aggressive NPC cannot be in"
                        f" safe room '{place}'",
                    )

    def _exit_line(self, room: Room, direction: str) -> tuple[str, int]:
        """Where the exit ``direction`` of ``room`` was written (the room, for a link)."""
        source = self.sources.get(("room", room.id))
        if source is None:
            return ("(links)", 1)
        exits = source.parsed.value
        for part in (*source.path, "exits"):
            exits = exits.get(part) if isinstance(exits, dict) else None
        if isinstance(exits, dict):
            for key in exits:
                if canonical_direction(str(key)) == direction:
                    return (source.file, source.line("exits", key))
        return (source.file, source.line())

    def link_doors(self, rooms: dict[str, Room]) -> None:
        """Give each door to the exit leading back (both sides then carry one ``Door``
        with one id), reporting a door on a one-way exit and two sides written
        differently. ``rooms`` (links applied) is updated in place."""
        doors: dict[tuple[str, str], Door] = {}  # (room, direction) -> linked door
        for room in list(rooms.values()):
            for ex in room.exits:
                door = ex.the_door()
                if door is None or (room.id, ex.direction) in doors:
                    continue
                file, line = self._exit_line(room, ex.direction)
                what = f"room '{room.id.partition(':')[2]}': exit '{ex.direction}'"
                other = rooms.get(ex.to)
                if other is None:
                    continue  # no such room: reported as a reference
                back = other.exit(OPPOSITE[ex.direction])
                if back is None or back.to != room.id:
                    back = next((e for e in other.exits if e.to == room.id), None)
                if back is None:
                    self.issue(
                        file,
                        line,
                        f"{what}: a door on a one-way exit: '{other.id}' has no exit back"
                        f" to '{room.id}' (add one, so both sides share the door)",
                    )
                    continue
                back_door = back.the_door()
                if back_door is not None and not back_door.same_as(door):
                    doors[(other.id, back.direction)] = door  # reported once, here
                    doors[(room.id, ex.direction)] = door
                    back_file, back_line = self._exit_line(other, back.direction)
                    self.issue(
                        back_file,
                        back_line,
                        f"room '{other.id.partition(':')[2]}': exit '{back.direction}': the door"
                        f" does not match the other side ({what}, line {line}):"
                        " write it the same way on both, or only on one",
                    )
                    continue
                first = min(f"{room.id}:{ex.direction}", f"{other.id}:{back.direction}")
                shared = evolve(door, id=first)
                doors[(room.id, ex.direction)] = shared
                doors[(other.id, back.direction)] = shared
        for room_id, room in list(rooms.items()):
            if any((room_id, e.direction) in doors for e in room.exits):
                exits = tuple(_with_door(e, doors.get((room_id, e.direction))) for e in room.exits)
                rooms[room_id] = evolve(room, exits=exits)

    def rooms_unknown(self, pack: str) -> bool:
        """Whether some rooms of ``pack`` may be missing: its rooms.yaml could not be
        read, or a room of it was unusable."""
        return bool({(pack, "room"), (pack, "*")} & self.unreadable) or any(
            noun == "room" and ref.partition(":")[0] == pack for noun, ref in self.broken
        )

    def check_reset_areas(self) -> None:
        """A pack's ``reset.areas`` and ``narration.areas`` name areas that its rooms
        have. Not judged for a pack some of whose rooms could not be read: played, one
        tab in rooms.yaml also gave "reset: no room has area ..." for every area."""
        rooms = self.defined["room"]
        for pack_id, info in self.packs.items():
            if self.rooms_unknown(pack_id):
                continue  # the areas are in what could not be read
            names = {r.area for r in rooms.values() if isinstance(r, Room) and r.pack == pack_id}
            source = self.sources[("pack", pack_id)]
            for block, areas in (("reset", info.reset.areas), ("narration", info.area_colour)):
                for area in areas:
                    if area not in names:
                        hint = suggestion(area, names)
                        self.issue(
                            source.file,
                            source.line(block, "areas", area),
                            f"pack '{pack_id}': {block}: no room has area '{area}'{hint}",
                        )

    def unknown(self, *nouns: str) -> bool:
        """Whether some of the world's ``nouns`` (kinds: "room", "npc", ...) may be
        missing: a file of them could not be read, or an entry was unusable. A check
        that something is nowhere in the world is not made then: it may be in what was
        lost, and the error that lost it is the one to fix."""
        return any(noun in nouns or noun == "*" for _, noun in self.unreadable) or any(
            noun in nouns for noun, _ in self.broken
        )

    def check_quest_locks(self, rooms: Mapping[str, Room]) -> None:
        """Report quest steps that a player could be unable to do: an item to hold that
        nothing brings into the world (an error); warn where what a step needs is gone
        for good: an NPC that never returns, a unique item that never does."""
        npcs = _only(self.defined["npc"], NpcTemplate)
        items = _only(self.defined["item"], ItemTemplate)
        quests = _only(self.defined["quest"], QuestTemplate)

        classes = _only(self.defined["class"], ClassTemplate)
        renewable = renewable_items(self.packs, rooms, items, npcs, quests, classes)
        sources = item_sources(rooms, npcs, quests, classes)
        for quest_id, quest in quests.items():
            source = self.sources[("quest", quest_id)]
            name = quest_id.partition(":")[2]
            for i, step in enumerate(quest.steps):
                where = source.line("steps", i, "trigger")
                what = f"quest '{name}': step '{step.id}'"
                target = step.trigger.target
                if (
                    step.trigger.kind == "defeat"
                    and target in npcs
                    and npcs[target].room in rooms  # else unread (or no room: reported)
                    and not npc_returns(self.packs, rooms, npcs[target])
                ):
                    # The fix offered fits the case (played: "or a 'reset' to its pack"
                    # to a builder whose pack had one: only 'never' kept the boss away).
                    if npcs[target].respawn != RESPAWN_NEVER:
                        how = "it has no respawn time and its area never resets"
                        fix = "give it a 'respawn' time, or a 'reset' to its pack or area"
                    elif room_resets(self.packs, rooms, npcs[target].room):
                        how = "it is marked respawn: never"
                        fix = "remove 'respawn: never': its area resets, which brings it back"
                    else:
                        how = "it is marked respawn: never"
                        fix = (
                            "give it a 'respawn' time in place of never, or remove never and"
                            " give its pack or area a 'reset'"
                        )
                    self.issue(
                        source.file,
                        where,
                        f"{what} needs '{target}' defeated, but {how}: a player who comes"
                        f" after its defeat can never finish the quest ({fix})",
                        warning=True,
                    )
                elif (
                    step.trigger.kind == "escort" and target in npcs and npcs[target].escort is None
                ):
                    self.issue(
                        source.file,
                        where,
                        f"{what} needs '{target}' brought home, but it has no 'escort' (where"
                        " it goes with a player who asks it along)",
                    )
                elif step.trigger.kind == "hold" and target in items and target not in sources:
                    if self.unknown("room", "npc", "class", "quest"):
                        continue  # what brings it may be in what could not be read
                    self.issue(
                        source.file,
                        where,
                        f"{what} needs '{target}' in hand, but it has no way into the world:"
                        " no room's items, feature's reveals, NPC's carries, drops or shop,"
                        " class's start_items or quest's reward names it, so no player can"
                        f" ever hold it{_unfought(npcs, target)} (put it in the items of a"
                        " room, or give it to one of those)",
                    )
                elif (
                    step.trigger.kind == "hold"
                    and target in items
                    and target not in renewable
                    and not self.unknown("room", "npc", "class", "quest")
                ):
                    self.issue(
                        source.file,
                        where,
                        f"{what} needs '{target}' in hand, but only one exists and nothing"
                        " brings it back: a player who comes after it was taken can never"
                        " finish the quest (mark it 'unique: per_player', or give its area a"
                        " 'reset')",
                        warning=True,
                    )

    def check_hidden_exits(self, rooms: Mapping[str, Room], start: str) -> None:
        """Warn about a hidden exit that no feature reveals (nobody can ever find it), and
        about a quest step whose room can be reached from ``start`` only through one.

        Played: a builder changed a crack's ``reveals: {exit: in}`` to an item; the way
        in was gone and so was the quest step beyond it, and ``mud check`` said OK."""
        lost = _unrevealed(rooms)
        for room in rooms.values():
            for ex in room.exits:
                if (room.id, ex.direction) in lost:
                    if ("room", room.id) in self.faulty:
                        continue  # its features have errors: the revealing one may be among them
                    file, line = self._exit_line(room, ex.direction)
                    self.issue(
                        file,
                        line,
                        f"room '{room.id.partition(':')[2]}': exit '{ex.direction}' is hidden"
                        " and no feature reveals it: nobody can ever find it (give a feature"
                        f" of this room a check with reveals: {{exit: {ex.direction}}})",
                        warning=True,
                    )
        if not lost or start not in rooms:
            return
        everywhere = _reachable(rooms, self.arrivals(start), frozenset())
        findable = _reachable(rooms, self.arrivals(start), frozenset(lost))
        npcs = _only(self.defined["npc"], NpcTemplate)
        for quest_id, quest in _only(self.defined["quest"], QuestTemplate).items():
            source = self.sources[("quest", quest_id)]
            for i, step in enumerate(quest.steps):
                kind, target = step.trigger.kind, step.trigger.target
                if kind == "enter":
                    place = target
                elif kind == "check":
                    place = target.rpartition(":")[0]
                elif kind == "defeat" and target in npcs:
                    place = npcs[target].room
                else:
                    continue  # an item may be carried anywhere: no room to judge
                if place in everywhere and place not in findable:
                    self.issue(
                        source.file,
                        source.line("steps", i, "trigger"),
                        f"quest '{quest_id.partition(':')[2]}': step '{step.id}' needs"
                        f" '{place}', which can be reached only through a hidden exit that"
                        " nothing reveals: no player can finish the quest",
                        warning=True,
                    )

    def arrivals(self, start: str) -> tuple[str, ...]:
        """The rooms players come to other than by an exit: the world's ``start``, and
        the first pack's ``rules.safe_room``, where the fallen are carried (``mud.engine.
        fight``). There is no recall or teleport: every other room is walked to."""
        first = next(iter(self.packs.values()), None)
        safe = first.rules.safe_room if first is not None else None
        return tuple(dict.fromkeys(r for r in (start, safe) if r))

    def check_reachable(self, rooms: Mapping[str, Room], start: str) -> None:
        """Warn about rooms no way leads to from the world's ``start`` (nor from the
        safe room the fallen are carried to), by any exit of any pack, links, doors
        (a key may be found) and hidden exits a feature reveals, naming a quest step that
        needs one; a pack none of whose rooms can be reached is one warning. A room
        beyond a hidden exit that nothing reveals is that exit's warning
        (``check_hidden_exits``); a room with errors is not warned about. Not judged at
        all while exits are in doubt (a file of rooms unread, an exit or a link with an
        error): the error is the one to fix.

        Played: a loft no stair reached, and the quest step that sent players there,
        passed ``mud check``."""
        if start not in rooms or self.exits_in_doubt or self.unknown("room"):
            return
        reached = _reachable(rooms, self.arrivals(start), frozenset())
        away = [room for room in rooms.values() if room.id not in reached]
        if not away:
            return
        npcs = _only(self.defined["npc"], NpcTemplate)
        needed: dict[str, str] = {}  # room -> the first quest step that needs it
        for quest_id, quest in _only(self.defined["quest"], QuestTemplate).items():
            for step in quest.steps:
                for group in _step_places(step, npcs):
                    if any(place in reached for place in group):
                        continue
                    for place in group:
                        needed.setdefault(
                            place,
                            f", nor finish quest '{quest_id.partition(':')[2]}', whose step"
                            f" '{step.id}' needs it",
                        )
        whole = {
            pack
            for pack in {room.pack for room in away}
            if pack != rooms[start].pack
            and not any(r.pack == pack and r.id in reached for r in rooms.values())
        }
        for pack in sorted(whole, key=list(self.packs).index):
            source = self.sources[("pack", pack)]
            self.issue(
                source.file,
                source.line("start"),
                f"pack '{pack}': no way leads to any of its rooms from the world's start"
                f" '{start}', where new players appear: nobody can ever come here (link one"
                " of its rooms from a room of the world: see links in content/README.md)",
                warning=True,
            )
        for room in away:
            if room.pack in whole or ("room", room.id) in self.faulty:
                continue  # a room with errors: its own come first
            source = self.sources[("room", room.id)]
            self.issue(
                source.file,
                source.line(),
                f"room '{room.id.partition(':')[2]}': no way leads here from the world's"
                f" start '{start}': nobody can ever come here{needed.get(room.id, '')}"
                " (give a room players can reach an exit to it)",
                warning=True,
            )

    def check_locked_doors(self, rooms: Mapping[str, Room], start: str) -> None:
        """Warn about a locked door that cannot be picked or forced (no ``pick_dc``, no
        ``force_dc``) whose key cannot be had without going through it: it lies, or is
        carried, sold or given, only beyond the door; or nothing brings it into the
        world; or the door has no key at all. Judged from the side of the door players
        reach from the world's start without it (other doors count as open: their keys
        may be found), and not while exits are in doubt or a kind of template could not
        be read (the key may be in what was lost).

        Played: Lanternfall's guide asks for "a locked door whose key lies somewhere
        reachable without it"; a key put beyond its own gate passed ``mud check``."""
        if (
            start not in rooms
            or self.exits_in_doubt
            or self.unknown("room", "npc", "class", "quest", "item")
        ):
            return
        sides: dict[str, list[tuple[Room, Exit]]] = {}  # door id -> the exits it closes
        for room in rooms.values():
            for ex in room.exits:
                if ex.door is not None and ex.door.id and ex.door.locked:
                    sides.setdefault(ex.door.id, []).append((room, ex))
        if not sides:
            return
        npcs = _only(self.defined["npc"], NpcTemplate)
        quests = _only(self.defined["quest"], QuestTemplate)
        sources = item_sources(rooms, npcs, quests, _only(self.defined["class"], ClassTemplate))
        lost = _unrevealed(rooms)
        for ways in sides.values():
            door = ways[0][1].door
            assert door is not None
            if door.pick_dc is not None or door.force_dc is not None:
                continue
            if door.key is not None and door.key not in self.defined["item"]:
                continue  # no such item: reported
            closed = lost | {(room.id, ex.direction) for room, ex in ways}
            here = _reachable(rooms, self.arrivals(start), frozenset(closed))
            near = [(room, ex) for room, ex in ways if room.id in here]
            if not near or all(ex.to in here for _, ex in near):
                continue  # not reached at all (warned), or not in the way of anything
            room, ex = near[0]
            if door.key is None:
                why = ", has no key and cannot be picked or forced"
                fix = "give it a key (key: ...), a pick_dc or a force_dc"
            else:
                found = sources.get(door.key, ())
                if any(_source_reached(source, here, quests, npcs) for source in found):
                    continue
                if found:
                    why = f" and its key '{door.key}' {_source_told(found[0])}, beyond it"
                    fix = "put the key on this side, or give the door a pick_dc or force_dc"
                else:
                    why = f" and nothing brings its key '{door.key}' into the world"
                    fix = "put the key in the items of a room on this side, or give the door"
                    fix += " a pick_dc or force_dc"
            file, line = self._exit_line(room, ex.direction)
            self.issue(
                file,
                line,
                f"room '{room.id.partition(':')[2]}': exit '{ex.direction}': the {door.name} is"
                f" locked{why}: nobody can ever open it from this side ({fix})",
                warning=True,
            )

    def check_start_pack(self, start: str) -> None:
        """Warn about an ``opening`` or ``rules`` a pack writes that the world does not
        use: new players read the opening of the pack whose room is the world's start,
        and the world plays by the first pack's rules.

        Played: an add-on's ``opening`` and ``start`` were silently unused beside
        Hollowmere (a pack that requires another is never first)."""
        if not self.packs:
            return
        first = next(iter(self.packs.values()))
        room = self.defined["room"].get(start)
        start_pack = room.pack if isinstance(room, Room) else first.id
        for pack_id, info in self.packs.items():
            source = self.sources[("pack", pack_id)]
            why = " (a pack that requires another is never first)" if info.requires else ""
            if info.opening and pack_id != start_pack:
                self.issue(
                    source.file,
                    source.line("opening"),
                    f"pack '{pack_id}': its start '{info.start}' and opening are not used:"
                    f" new players start in '{start}' and read the opening of pack"
                    f" '{start_pack}', the pack of the world's start{why}",
                    warning=True,
                )
            written = source.parsed.value
            if pack_id != first.id and isinstance(written, dict) and "rules" in written:
                self.issue(
                    source.file,
                    source.line("rules"),
                    f"pack '{pack_id}': rules are not used: the world plays by the rules of"
                    f" pack '{first.id}', the first pack loaded{why}",
                    warning=True,
                )

    def check_start_safe(self, start: str) -> None:
        """Warn when the world's ``start`` is not marked ``safe`` and its rules name no
        ``safe_room``: the fallen are then carried to the start (``mud.engine.fight``), to
        wake with 1 hit point where a fight may start again. Reported at the ``start`` of
        the pack it comes from (else at the room, for a start the config names).

        Played: the guide's checklist asks for "a start room marked safe: true", and
        ``mud check`` said nothing of one that was not. Judged for a world players enter
        (``for_play``), as a class to choose is: a fragment loaded by a test or a tool is
        not a world anyone falls in."""
        room = self.defined["room"].get(start)
        first = next(iter(self.packs.values()), None)
        if not isinstance(room, Room) or room.safe or first is None or first.rules.safe_room:
            return
        why = (
            f"'{start}' is not marked safe: true, and the rules name no safe_room: the fallen"
            " are carried there to wake with 1 hit point, where a fight may start again"
            " (mark it safe: true, or name a safe room in rules: safe_room)"
        )
        owner = next((p for p in self.packs.values() if p.start == start), None)
        if owner is not None:
            source = self.sources[("pack", owner.id)]
            self.issue(
                source.file, source.line("start"), f"pack '{owner.id}': start {why}", warning=True
            )
            return
        source = self.sources[("room", room.id)]
        self.issue(
            source.file,
            source.line(),
            f"room '{room.id.partition(':')[2]}': the world's start {why}",
            warning=True,
        )

    def check_escorts(self) -> None:
        """Warn about an NPC whose ``escort`` leads to the room it starts in: asked along
        there, it stays (``mud.engine.escort.asked``: it stands at its end already), so
        it is brought there only when met away from it on its ``wander`` route, and with
        no route never; a quest step ``{escort: npc}`` waits on that."""
        for npc_id, npc in _only(self.defined["npc"], NpcTemplate).items():
            if npc.escort is None or npc.escort.to != npc.room:
                continue
            source = self.sources[("npc", npc_id)]
            away = [w for w in npc.wander if w != npc.room]
            when = (
                "can be brought there only when met away from it, on its wander route"
                if away
                else "can never be brought there: asked along there, it stays where it is"
            )
            self.issue(
                source.file,
                source.line("escort", "to"),
                f"npc '{npc_id.partition(':')[2]}': escort: 'to' is '{npc.room}', the room it"
                f" starts in, so it {when} (give 'to' the room it is to be brought to)",
                warning=True,
            )

    def check_classes(self, start: str) -> None:
        """A world players enter has at least one class (a calling to choose): without
        one, new players get a bare prompt and cannot fight. Not reported again when a
        class file could not be read or a class was unusable (that is reported)."""
        if (
            not self.packs
            or self.defined["class"]
            or any(noun == "class" for noun, _ in self.broken)
            or any(noun in ("class", "*") for _, noun in self.unreadable)
        ):
            return
        room = self.defined["room"].get(start)
        pack = room.pack if isinstance(room, Room) else next(iter(self.packs))
        self.issue(
            self.pack_files[pack],
            1,
            "no classes: players could not choose a calling; add classes.yaml to a pack"
            " (content/README.md, classes.yaml)",
        )

    def world_start(self, start: str | None) -> str:
        rooms = self.defined["room"]
        if start is not None:
            if start not in rooms and not self.rooms_unknown(start.partition(":")[0]):
                hint = suggestion(start, rooms, cutoff=0.8)
                self.issue("(config)", 1, f"start room '{start}': no such room{hint}")
            return start
        if not self.packs:
            return ""
        return next(iter(self.packs.values())).start

    def sorted_issues(self) -> list[PackIssue]:
        """Issues grouped by file (in the order files were read), then by line."""
        order: dict[str, int] = {}
        for issue in self.issues:
            order.setdefault(issue.file, len(order))
        return sorted(self.issues, key=lambda issue: (order[issue.file], issue.line))


def _reachable(
    rooms: Mapping[str, Room], starts: Iterable[str], closed: frozenset[tuple[str, str]]
) -> set[str]:
    """The rooms a player can walk to from ``starts`` by any exit but the ``closed`` ones
    (room id, direction). Doors and locks are not judged: a key may be found."""
    seen = set(starts)
    todo = list(seen)
    while todo:
        room = rooms.get(todo.pop())
        if room is None:
            continue
        for ex in room.exits:
            if (room.id, ex.direction) not in closed and ex.to not in seen:
                seen.add(ex.to)
                todo.append(ex.to)
    return seen


def _unrevealed(rooms: Mapping[str, Room]) -> frozenset[tuple[str, str]]:
    """The hidden exits (room id, direction) that no feature reveals: nobody can ever
    find them."""
    revealed = {
        (room.id, feature.reveals.exit)
        for room in rooms.values()
        for feature in room.features.values()
        if feature.reveals is not None and feature.reveals.exit is not None
    }
    return frozenset(
        (room.id, ex.direction)
        for room in rooms.values()
        for ex in room.exits
        if ex.hidden and (room.id, ex.direction) not in revealed
    )


def _step_places(step: QuestStep, npcs: Mapping[str, NpcTemplate]) -> tuple[tuple[str, ...], ...]:
    """Where quest ``step`` can be done, as groups of rooms: each group must hold a room
    a player can come to (entering a room, a feature's room, an NPC's room or wander
    route, an escort's end). Empty for a step done anywhere (holding an item)."""
    kind, target = step.trigger.kind, step.trigger.target
    if kind == "enter":
        return ((target,),)
    if kind == "check":
        return ((target.rpartition(":")[0],),)
    npc = npcs.get(target)
    if npc is None or kind not in ("defeat", "escort"):
        return ()
    home = tuple(dict.fromkeys((npc.room, *npc.wander)))
    if kind == "escort" and npc.escort is not None:
        return (home, (npc.escort.to,))
    return (home,)


def _source_reached(
    source: ItemSource,
    reached: set[str],
    quests: Mapping[str, QuestTemplate],
    npcs: Mapping[str, NpcTemplate],
) -> bool:
    """Whether a player who can walk to the ``reached`` rooms can get the item
    ``source`` brings: a kit always; a reward when every step of the quest can be done
    there (``_step_places``); else when it appears in one of them."""
    if source.how == "kit":
        return True
    if source.how == "reward":
        quest = quests.get(source.by)
        return quest is not None and all(
            any(place in reached for place in group)
            for step in quest.steps
            for group in _step_places(step, npcs)
        )
    return any(place in reached for place in source.rooms)


def _source_told(source: ItemSource) -> str:
    """Where ``source`` brings its item, told: "lies in 'pack:room'"."""
    told = {
        "room": "lies in",
        "feature": "is found at",
        "carries": "is carried by",
        "drops": "is dropped by",
        "shop": "is sold by",
        "reward": "is a reward of quest",
    }
    return f"{told.get(source.how, 'comes from')} '{source.by}'"


def _unfought(npcs: Mapping[str, NpcTemplate], item: str) -> str:
    """`` ('pack:npc' carries it, but has no stats: ...)`` for an NPC that carries or
    drops ``item`` but cannot be fought, so never leaves it; "" when none does."""
    holder = next(
        (n for n in npcs.values() if n.stats is None and item in (*n.carries, *n.drops)), None
    )
    if holder is None:
        return ""
    return (
        f" ('{holder.id}' carries it, but has no stats: it cannot be fought, so it never leaves it)"
    )


def _a(noun: str) -> str:
    """A kind with its article, as a builder reads it: "an NPC", "a room", "an item"."""
    if noun == "npc":
        return "an NPC"
    return f"{'an' if noun[:1] in 'aeiou' else 'a'} {noun}"


def _id_hint(target: str, kind: str, known: Iterable[str]) -> str:
    """The hint after "no such <kind>" for the qualified ``target``: the same id in
    another loaded pack (written there as ``pack:id``), else a close id of the same pack.

    Closeness is judged on the id without its pack, so a shared ``pack:`` prefix does not
    make unlike ids look alike (played: 'gorse_solo:mace' suggested 'gorse_solo:oatcake')."""
    pack, _, local = target.partition(":")
    elsewhere = sorted(k for k in known if k.partition(":")[2] == local and k != target)
    if elsewhere:
        article = "an" if kind[0] in "aeiou" else "a"
        return f" ({article} {kind} of another pack is written with its pack id: '{elsewhere[0]}')"
    mine = [k.partition(":")[2] for k in known if k.partition(":")[0] == pack]
    close = difflib.get_close_matches(local, mine, n=1, cutoff=0.75)
    return f" (did you mean '{pack}:{close[0]}'?)" if close else ""


def _with_door(exit_: Exit, door: Door | None) -> Exit:
    if door is None:
        return exit_
    return evolve(exit_, door=door, locked_by=door.key if door.locked else None)


def _only(values: Mapping[str, object], cls: type[_T]) -> Mapping[str, _T]:
    return MappingProxyType({k: v for k, v in values.items() if isinstance(v, cls)})


def _assemble(loading: _Loading, start: str, links: Mapping[str, tuple[Exit, ...]]) -> Templates:
    rooms: dict[str, Room] = {}
    for room_id, room in _only(loading.defined["room"], Room).items():
        extra = links.get(room_id, ())
        if extra:
            merged = {e.direction: e for e in (*room.exits, *extra)}
            room = evolve(room, exits=tuple(merged[d] for d in DIRECTIONS if d in merged))
        rooms[room_id] = room
    loading.link_doors(rooms)
    loading.check_quest_locks(rooms)
    loading.check_hidden_exits(rooms, start)
    loading.check_reachable(rooms, start)
    loading.check_locked_doors(rooms, start)
    first = next(iter(loading.packs.values()), None)
    return Templates(
        packs=MappingProxyType(dict(loading.packs)),
        rooms=MappingProxyType(rooms),
        items=_only(loading.defined["item"], ItemTemplate),
        start=start,
        classes=_only(loading.defined["class"], ClassTemplate),
        npcs=_only(loading.defined["npc"], NpcTemplate),
        quests=_only(loading.defined["quest"], QuestTemplate),
        socials=_only(loading.defined["social"], Social),
        rules=first.rules if first is not None else PackRules(),
    )


@frozen
class _Needs:
    """What ``pack.yaml`` says a pack needs, read before the packs are loaded."""

    id: str
    file: str
    requires: tuple[tuple[str, int], ...]  # (pack id, line)


def _peek(folder: Path) -> _Needs | None:
    """The id and ``requires`` of the pack in ``folder``, or None when its pack.yaml is
    missing or unreadable (loading it reports that properly)."""
    pack_file = folder / "pack.yaml"
    try:
        parsed = _parse(pack_file.read_bytes().decode("utf-8"))
    except (OSError, UnicodeDecodeError, _SyntaxProblem):
        return None
    data = parsed.value
    if not isinstance(data, dict) or not isinstance(data.get("id"), str):
        return None
    raw = data.get("requires")
    listed = [raw] if isinstance(raw, str) else raw if isinstance(raw, list) else []
    needs = tuple(
        (need.strip(), parsed.line(("requires", i)))
        for i, need in enumerate(listed)
        if isinstance(need, str) and ID_RE.fullmatch(need.strip())
    )
    return _Needs(str(data["id"]), str(pack_file), needs)


def _find_pack(pack_id: str, places: Sequence[Path]) -> Path | None:
    """The folder in one of ``places`` holding pack ``pack_id``: a folder named like the
    pack first, then any folder whose pack.yaml has that id."""
    for place in places:
        named = place / pack_id
        found = _peek(named) if named.is_dir() else None
        if found is not None and found.id == pack_id:
            return named
        try:
            folders = sorted(p for p in place.iterdir() if p.is_dir() and p != named)
        except OSError:
            continue
        for folder in folders:
            found = _peek(folder)
            if found is not None and found.id == pack_id:
                return folder
    return None


def _with_requirements(
    loading: _Loading, dirs: Sequence[Path], search: Sequence[Path]
) -> list[Path]:
    """The pack folders to read: ``dirs`` with the packs they require (found beside the
    pack that needs them, then on ``search``), each after the packs it requires. Reports
    a required pack that cannot be found, and packs that require each other in a loop."""
    peeks = {folder: _peek(folder) for folder in dirs}
    by_id: dict[str, Path] = {}
    for folder, peek in peeks.items():
        if peek is not None:
            by_id.setdefault(peek.id, folder)
    order: list[Path] = []
    placed: set[Path] = set()
    path: list[str] = []  # the ids being visited, for loop reports

    def visit(folder: Path, peek: _Needs | None) -> None:
        where = folder.resolve()
        if where in placed:
            return
        if peek is not None:
            path.append(peek.id)
            for need, line in peek.requires:
                if need in path:
                    loop = " -> ".join([*path[path.index(need) :], need])
                    loading.issue(
                        peek.file, line, f"pack '{peek.id}': requires form a loop: {loop}"
                    )
                    continue
                found = by_id.get(need)
                if found is None:
                    places = [folder.parent, *search]
                    found = _find_pack(need, places)
                    if found is None:
                        looked = ", ".join(dict.fromkeys(str(p) for p in places))
                        loading.issue(
                            peek.file,
                            line,
                            f"pack '{peek.id}' requires pack '{need}', which was not found "
                            f"(looked in {looked})",
                        )
                        continue
                    by_id[need] = found
                visit(found, _peek(found))
            path.pop()
        if where not in placed:
            placed.add(where)
            order.append(folder)

    for folder in dirs:
        visit(folder, peeks[folder])
    return order


def _load(
    dirs: Sequence[Path],
    start: str | None,
    dice_check: DiceCheck | None,
    search: Sequence[Path] = (),
    for_play: bool = False,
) -> tuple[Templates, list[PackIssue]]:
    loading = _Loading()
    if not dirs:
        loading.issue("(config)", 1, "no content packs given")
    for folder in _with_requirements(loading, [Path(d) for d in dirs], search):
        loading.pack(folder)
    loading.check_references()
    loading.check_step_features()
    loading.check_later_gates()
    loading.check_dice(dice_check)
    links = loading.apply_links()
    loading.check_quest_chains()
    loading.check_safety()
    loading.check_reset_areas()
    world_start = loading.world_start(start)
    loading.check_start_pack(world_start)
    loading.check_escorts()
    if for_play:
        loading.check_classes(world_start)
        loading.check_start_safe(world_start)
    templates = _assemble(loading, world_start, links)
    issues = loading.sorted_issues()
    warnings = tuple(str(issue) for issue in issues if issue.warning)
    return evolve(templates, warnings=warnings), issues


def check_packs(
    dirs: Sequence[Path],
    start: str | None = None,
    *,
    dice_check: DiceCheck | None = None,
    search: Sequence[Path] = (),
    for_play: bool = False,
) -> list[PackIssue]:
    """Every problem in the packs in ``dirs`` (read together, in order, with the packs
    they require); empty when valid.

    ``dice_check`` validates dice notation (None: a shape-only fallback,
    ``dice_shape_check``); ``search`` and ``for_play`` as for ``load_packs``. Never raises
    for bad content.
    """
    return _load(dirs, start, dice_check, search, for_play)[1]


def load_packs(
    dirs: Sequence[Path],
    start: str | None = None,
    *,
    dice_check: DiceCheck | None = None,
    search: Sequence[Path] = (),
    for_play: bool = False,
) -> Templates:
    """Load the packs in ``dirs`` (in order; references resolve across them).

    A pack's ``requires`` are loaded too, before it: a required pack not among ``dirs``
    is looked for beside the pack that requires it (a sibling folder), then in each
    folder of ``search`` (the content path). A missing one or a loop is a ``PackIssue``
    at the ``requires`` line.

    The world's start room is ``start`` (a qualified room id) when given, else the first
    pack's start. ``dice_check`` validates dice notation (None: a shape-only fallback).
    Links between packs are applied to ``Templates.rooms``. ``for_play``: the world is
    the one players enter (``mud serve``, ``mud check``), so it must also be playable as
    a whole: at least one class to choose (tests may load a fragment without one).
    Raises ``PackError`` listing every problem when any pack is invalid; warnings
    (``PackIssue.warning``) do not stop the load and are kept, as text, in
    ``Templates.warnings``.
    """
    templates, issues = _load(dirs, start, dice_check, search, for_play)
    errors = [issue for issue in issues if not issue.warning]
    if errors:
        raise PackError(errors, listing=issues)
    return templates
