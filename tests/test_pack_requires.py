"""Packs that require other packs: found beside them or on the content path, loaded first,
and a missing pack or a loop reported as ``file:line``. Run through the real CLI and server."""

from __future__ import annotations

from pathlib import Path

from mudclient import TelnetPlayer, login_new, make_config, running_server
from test_cli import ROOT, mud


def _pack(folder: Path, pack_id: str, start: str, extra: str = "", rooms: str = "") -> Path:
    folder.mkdir(parents=True)
    (folder / "pack.yaml").write_text(
        f"id: {pack_id}\nname: {pack_id.title()}\nversion: '1'\ndescription: A test pack.\n"
        f"start: {start}\n{extra}"
    )
    (folder / "rooms.yaml").write_text(
        rooms or f"{start}:\n  name: {start.title()}\n  description: A room.\n"
    )
    # A world players enter needs a class to choose (mud check says so).
    (folder / "classes.yaml").write_text(
        "fighter:\n  name: Fighter\n  description: Strong.\n  hit_die: d10\n"
        "  abilities: {str: 16, dex: 10, con: 14, int: 10, wis: 10, cha: 10}\n"
        "  attack_ability: str\n"
    )
    return folder


def test_check_finds_the_pack_the_ferry_requires_beside_it() -> None:
    result = mud("check", "content/saltmarsh_ferry")
    assert result.returncode == 0, result.stdout + result.stderr
    assert result.stdout.strip() == (
        "OK: content/saltmarsh_ferry with the packs they require: hollowmere (content/hollowmere)"
    )


def test_a_required_pack_in_a_sibling_folder_is_found_by_its_id(tmp_path: Path) -> None:
    # The folder is not named like the pack: the loader finds it by the id in pack.yaml.
    _pack(tmp_path / "base-v2", "base", "hall")
    addon = _pack(
        tmp_path / "addon",
        "addon",
        "shed",
        "requires: [base]\n",
        "shed:\n  name: Shed\n  description: A shed.\n  exits:\n    west: base:hall\n",
    )
    result = mud("check", str(addon))
    assert result.returncode == 0, result.stdout + result.stderr
    # Without the requirement the same pack fails the old way.
    (addon / "pack.yaml").write_text(
        (addon / "pack.yaml").read_text().replace("requires: [base]\n", "")
    )
    result = mud("check", str(addon))
    assert result.returncode == 1
    assert "pack 'base' is not loaded" in result.stdout


def test_a_missing_required_pack_is_reported_at_its_line(tmp_path: Path) -> None:
    addon = _pack(tmp_path / "addon", "addon", "shed", "requires:\n  - nosuch\n")
    result = mud("check", str(addon))
    assert result.returncode == 1
    line = f"{addon / 'pack.yaml'}:7: pack 'addon' requires pack 'nosuch', which was not found"
    assert line in result.stdout, result.stdout
    assert str(tmp_path) in result.stdout  # where it looked


def test_packs_that_require_each_other_are_reported_as_a_loop(tmp_path: Path) -> None:
    one = _pack(tmp_path / "one", "one", "a", "requires: [two]\n")
    two = _pack(tmp_path / "two", "two", "b", "requires: [one]\n")
    result = mud("check", str(one))
    assert result.returncode == 1
    assert f"{two / 'pack.yaml'}:6: pack 'two': requires form a loop: one -> two -> one" in (
        result.stdout
    ), result.stdout


def test_a_bad_requires_entry_is_reported(tmp_path: Path) -> None:
    addon = _pack(tmp_path / "addon", "addon", "shed", "requires: [Not-An-Id, addon]\n")
    result = mud("check", str(addon))
    assert result.returncode == 1
    assert f"{addon / 'pack.yaml'}:6: pack 'addon': requires: 'Not-An-Id' is not a pack id" in (
        result.stdout
    ), result.stdout
    assert "cannot require itself" in result.stdout


async def test_serve_with_only_the_ferry_loads_hollowmere_first(tmp_path: Path) -> None:
    ferry = str(ROOT / "content" / "saltmarsh_ferry")
    config = make_config(tmp_path, content=(ferry,))
    async with running_server(config) as srv:
        assert list(srv.hub.world.templates.packs) == ["hollowmere", "saltmarsh_ferry"]
        player = await TelnetPlayer.connect(srv.telnet_port)
        await login_new(player, "Wren")
        player.send("help ferry")
        await player.expect("Gannet's ferry crosses")
        await player.close()
