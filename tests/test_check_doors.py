"""``mud check`` on doors, resets and quests that could soft-lock: temporary packs, the
real command line. Errors fail the check with ``file:line`` messages; soft-lock risks are
warnings that say how to fix them and do not stop the pack from loading."""

from __future__ import annotations

from pathlib import Path

from test_cli import mud
from test_doors_resets import write_keep

DOOR_ROOMS = """\
hall:
  name: Hall
  description: The middle of it all.
  exits:
    down: {to: vault, door: {name: trapdoor, locked: true, key: skeleton_key}}
    east: {to: yard, door: {name: gate}}
    north: {to: tower, door: {name: door, pick_dc: 12, force_dc: 14}}
    west: {to: shed, door: {name: shed door}}
  items: [key, map]
vault:
  name: Vault
  description: Dark.
  exits: {up: hall}
  items: [gem]
yard:
  name: Yard
  description: A dead end.
tower:
  name: Tower
  description: Tall.
  exits: {south: hall}
shed:
  name: Shed
  description: Small.
  exits:
    east: {to: hall, door: {name: shed door, closed: false}}
"""


def unsafe_start(pack: Path) -> str:
    """The warning every keep here gets: its start, the hall, is not safe and it has no
    rules: safe_room, so the fallen are carried to a room where a fight may start."""
    return (
        f"{pack}/pack.yaml:5: warning: pack 'keep': start 'keep:hall' is not marked safe:"
        " true, and the rules name no safe_room: the fallen are carried there to wake with 1"
        " hit point, where a fight may start again (mark it safe: true, or name a safe room"
        " in rules: safe_room)"
    )


def test_check_reports_every_door_problem_with_file_and_line(tmp_path: Path) -> None:
    pack_yaml = "id: keep\nname: The Keep\nversion: '1'\ndescription: x\nstart: hall\n"
    pack = write_keep(tmp_path, pack=pack_yaml, rooms=DOOR_ROOMS, quests="{}\n", npcs="{}\n")
    result = mud("check", str(pack))
    assert result.returncode == 1, result.stdout + result.stderr
    rooms = f"{pack}/rooms.yaml"
    lines = result.stdout.splitlines()
    assert lines == [
        f"{rooms}:5: room 'hall': exit 'down': door: key -> 'keep:skeleton_key': no such item",
        f"{rooms}:6: room 'hall': exit 'east': a door on a one-way exit: 'keep:yard' has no"
        " exit back to 'keep:hall' (add one, so both sides share the door)",
        f"{rooms}:7: room 'hall': exit 'north': door: 'pick_dc' needs a lock: give the door a"
        " 'key' or 'locked: true'",
        f"{rooms}:7: room 'hall': exit 'north': door: 'force_dc' needs a lock: give the door a"
        " 'key' or 'locked: true'",
        f"{rooms}:26: room 'shed': exit 'east': the door does not match the other side"
        " (room 'hall': exit 'west', line 8): write it the same way on both, or only on one",
        unsafe_start(pack),
    ]
    assert "5 problems found." in result.stderr


KEEP_HEAD = "id: keep\nname: The Keep\nversion: '1'\ndescription: x\nstart: hall\n"


def _check_refused(tmp_path: Path, pack_yaml: str) -> tuple[Path, list[str]]:
    """``mud check`` of the test pack with ``pack_yaml``: it must fail; the pack's
    folder and the lines it printed."""
    pack = write_keep(tmp_path, pack=KEEP_HEAD + pack_yaml)
    result = mud("check", str(pack))
    assert result.returncode == 1
    return pack, result.stdout.splitlines()


def test_check_reports_a_reset_for_an_area_no_room_has(tmp_path: Path) -> None:
    pack, lines = _check_refused(
        tmp_path, "reset:\n  every: 60\n  areas:\n    Vaults: {every: 5}\n"
    )
    assert lines == [
        unsafe_start(pack),
        f"{pack}/pack.yaml:9: pack 'keep': reset: no room has area 'Vaults'"
        " (did you mean 'Vault'?)",
    ]


def test_check_reports_area_colour_for_an_area_no_room_has_and_a_bad_list(
    tmp_path: Path,
) -> None:
    pack, lines = _check_refused(
        tmp_path,
        "narration:\n  sounds: [the wind]\n  areas:\n    Vaults: {sounds: [a drip]}\n"
        "    Vault: {smells: [mould], tastes: [salt]}\n",
    )
    assert lines == [
        unsafe_start(pack),
        f"{pack}/pack.yaml:9: pack 'keep': narration: no room has area 'Vaults'"
        " (did you mean 'Vault'?)",
        f"{pack}/pack.yaml:10: pack 'keep': narration: area 'Vault': unknown key 'tastes'",
        # Warnings are listed beside the errors (this pack has no reset for the ghoul).
        f"{pack}/quests.yaml:11: warning: quest 'ghoul_quest': step 'ghoul' needs 'keep:ghoul'"
        " defeated, but it has no respawn time and its area never resets: a player who comes"
        " after its defeat can never finish the quest (give it a 'respawn' time, or a"
        " 'reset' to its pack or area)",
    ]


def test_check_warns_about_quests_that_could_soft_lock_and_says_how_to_fix(
    tmp_path: Path,
) -> None:
    # No resets, a map that is not per player, and a ghoul that never comes back.
    pack_yaml = "id: keep\nname: The Keep\nversion: '1'\ndescription: x\nstart: hall\n"
    items = (
        "key: {kind: key, name: iron key, description: Heavy.}\n"
        "map: {name: old map, description: Of the vault.}\n"
        "gem: {kind: treasure, name: red gem, description: Bright.}\n"
    )
    npcs = (
        "ghoul:\n  name: ghoul\n  description: Hungry.\n  room: vault\n  hostile: true\n"
        "  respawn: never\n  stats: {hp: 9, ac: 10, attack_bonus: 2, damage: 1d4}\n"
    )
    pack = write_keep(tmp_path, pack=pack_yaml, items=items, npcs=npcs)
    result = mud("check", str(pack))
    assert result.returncode == 0, result.stdout + result.stderr
    quests = f"{pack}/quests.yaml"
    assert result.stdout.splitlines() == [
        unsafe_start(pack),
        f"{quests}:5: warning: quest 'map_quest': step 'map' needs 'keep:map' in hand, but"
        " only one exists and nothing brings it back: a player who comes after it was taken"
        " can never finish the quest (mark it 'unique: per_player', or give its area a"
        " 'reset')",
        f"{quests}:11: warning: quest 'ghoul_quest': step 'ghoul' needs 'keep:ghoul'"
        " defeated, but it is marked respawn: never: a player who comes after its defeat"
        " can never finish the quest (give it a 'respawn' time in place of never, or remove"
        " never and give its pack or area a 'reset')",
        f"OK: {pack}",
    ]
    # With resets, only 'never' keeps the ghoul away: the fix is to remove it (played,
    # Lanternfall: "or a 'reset' to its pack" to a builder whose pack had one).
    reset = write_keep(tmp_path / "reset", npcs=npcs)
    assert mud("check", str(reset)).stdout.splitlines() == [
        unsafe_start(reset),
        f"{reset}/quests.yaml:11: warning: quest 'ghoul_quest': step 'ghoul' needs"
        " 'keep:ghoul' defeated, but it is marked respawn: never: a player who comes after"
        " its defeat can never finish the quest (remove 'respawn: never': its area resets,"
        " which brings it back)",
        f"OK: {reset}",
    ]
    # The same pack with resets and a per-player map: nothing to warn about but the
    # ghoul that is gone for good; with a respawn time, nothing of quests at all.
    fixed = write_keep(tmp_path / "fixed", npcs=npcs.replace("never", "300"))
    clean = mud("check", str(fixed))
    assert clean.returncode == 0
    assert clean.stdout.splitlines() == [unsafe_start(fixed), f"OK: {fixed}"]


def test_the_bundled_campaign_checks_without_warnings() -> None:
    result = mud("check", "content/hollowmere", "content/saltmarsh_ferry")
    assert result.returncode == 0
    assert "warning" not in result.stdout
