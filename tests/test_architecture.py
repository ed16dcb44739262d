"""The architecture's import rules, checked on the source (ARCHITECTURE.md, "Layers").

- Each third-party library is imported by exactly one module.
- Sibling layers (net, dm, store, hub) do not import each other; the lower layers
  (engine, world, render, core) import none of them, nor the composition root.
- The pure layers do no I/O of their own and take the clock and RNG as arguments.
"""

from __future__ import annotations

import ast
import re
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent / "mud"

OWNERS = {
    "telnetlib3": {"mud/net/telnet.py"},
    "asyncssh": {"mud/net/ssh.py"},
    "websockets": {"mud/net/web.py"},
    "aiosqlite": {"mud/store/db.py"},
    "asyncpg": {"mud/store/pg.py"},
    "openai": {"mud/dm/providers/openai.py"},
    "yaml": {"mud/world/loader.py"},
    "cattrs": {"mud/config.py"},
    "prometheus_client": {"mud/metrics.py"},
    "nats": {"mud/split/bus.py"},
}
SIBLINGS = {"mud.net", "mud.dm", "mud.store", "mud.hub"}
LOWER = ("mud/engine/", "mud/world/", "mud/render/", "mud/core/")
PURE = ("mud/engine/", "mud/world/", "mud/render/", "mud/dm/prompts.py")
# The hub's pure collaborators for login, connection hygiene and admin state (issue 9).
PURE += ("mud/hub/login.py", "mud/hub/connections.py", "mud/hub/admin.py", "mud/hub/guard.py")
# ... and for carrying out effects on the world (the rules side).
PURE += ("mud/hub/apply.py",)
IMPURE_MODULES = {"asyncio", "socket", "random", "time", "threading", "subprocess"}


def _imports(path: Path) -> set[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"), str(path))
    found: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            found.add(node.module)
    return found


def _modules() -> list[tuple[str, set[str]]]:
    out = []
    for path in sorted(ROOT.rglob("*.py")):
        rel = path.relative_to(ROOT.parent).as_posix()
        out.append((rel, _imports(path)))
    return out


MODULES = _modules()


def _layer(module: str) -> str | None:
    for sibling in SIBLINGS:
        if module == sibling or module.startswith(sibling + "."):
            return sibling
    return None


def test_the_source_tree_was_found() -> None:
    names = {rel for rel, _ in MODULES}
    assert "mud/hub/actor.py" in names and "mud/net/telnet.py" in names and len(names) > 30


@pytest.mark.parametrize(("library", "owners"), sorted(OWNERS.items()))
def test_each_library_has_exactly_one_importer(library: str, owners: set[str]) -> None:
    importers = {
        rel
        for rel, found in MODULES
        if any(m == library or m.startswith(library + ".") for m in found)
    }
    assert importers == owners


def test_sibling_layers_do_not_import_each_other() -> None:
    offenders = []
    for rel, found in MODULES:
        own = _layer(rel.removesuffix(".py").replace("/", "."))
        for module in found:
            other = _layer(module)
            if other is not None and own is not None and other != own:
                offenders.append(f"{rel} imports {module}")
    assert offenders == []


def test_split_mode_knows_the_hub_only_by_its_output_values() -> None:
    """Gateways and the game meet on plain values: mud.split reads mud.hub.outputs (the
    contract), never the hub itself, the doors, the Dungeon Master or the store."""
    offenders = []
    for rel, found in MODULES:
        if not rel.startswith("mud/split/"):
            continue
        for module in found:
            if _layer(module) is not None and module != "mud.hub.outputs":
                offenders.append(f"{rel} imports {module}")
    assert offenders == []


def test_lower_layers_import_nothing_above_them() -> None:
    offenders = []
    for rel, found in MODULES:
        if not rel.startswith(LOWER):
            continue
        for module in found:
            if _layer(module) is not None or module in (
                "mud.app",
                "mud.cli",
                "mud.replay",
                "mud.config",
            ):
                offenders.append(f"{rel} imports {module}")
    assert offenders == []


def test_pure_layers_do_no_io_and_draw_no_randomness_of_their_own() -> None:
    offenders = []
    for rel, found in MODULES:
        if not rel.startswith(PURE):
            continue
        for module in found:
            if module.split(".")[0] in IMPURE_MODULES:
                offenders.append(f"{rel} imports {module}")
    assert offenders == []


def test_the_architecture_notes_name_each_library_and_its_one_importer() -> None:
    notes = (ROOT.parent / "docs" / "architecture.md").read_text(encoding="utf-8")
    rows = dict(re.findall(r"^\| (\S+)(?: \([^)]*\))? \| `(mud/[^`]+)` \|$", notes, re.M))
    assert rows == {lib: next(iter(owners)) for lib, owners in OWNERS.items()}


def test_no_text_is_escaped_twice_for_the_screen() -> None:
    # ``styled`` escapes its text; ``styled(s, esc(t))`` shows a player's "{" as "{{"
    # (found in this round: a description with a brace, a reset message, a kick reason).
    twice = re.compile(r"\bstyled\(\s*\"[a-z]+\",\s*(?:f?\"[^\"]*\{esc\(|esc\()")
    found = [
        f"{path.relative_to(ROOT)}:{n}"
        for path in sorted(ROOT.rglob("*.py"))
        for n, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1)
        if twice.search(line)
    ]
    assert found == []


def _bound_at_top(tree: ast.Module) -> list[str]:
    """The names a module's top level binds: functions, classes and assignments."""
    names: list[str] = []
    for node in tree.body:
        if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef | ast.ClassDef):
            names.append(node.name)
        elif isinstance(node, ast.Assign):
            names += [t.id for t in node.targets if isinstance(t, ast.Name)]
        elif isinstance(node, ast.AnnAssign) and isinstance(node.target, ast.Name):
            names.append(node.target.id)
    return names


def test_no_module_binds_a_name_twice_at_its_top() -> None:
    # Found in round 62: commands.py gained a second `_LITTLE_WORDS` thousands of lines
    # below the first, and the later one, read by every use, broke "*pushes open the
    # trapdoor and climbs down*" (the climb read as a deed). Neither ruff nor mypy says.
    twice = {}
    for path in sorted(ROOT.rglob("*.py")):
        names = _bound_at_top(ast.parse(path.read_text(encoding="utf-8")))
        seen = {n for n in names if names.count(n) > 1 and n != "__all__"}
        if seen:
            twice[str(path.relative_to(ROOT))] = sorted(seen)
    assert twice == {}, twice
