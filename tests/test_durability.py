"""Durability of what players are told: output waits for the commits it depends on, and
only for those; a write that cannot be committed is never acknowledged."""

from __future__ import annotations

import asyncio
import errno
import subprocess
import typing
from collections.abc import Iterator
from pathlib import Path

import pytest
from hubrig import FakeSession, GatedStore, Rig, make_rig
from mudclient import (
    TelnetPlayer,
    login_existing,
    login_new,
    make_config,
    running_server,
    server_process,
)
from test_admin import amud

from mud.core import ops
from mud.engine.state import World
from mud.replay import load_events, replay
from mud.store.db import Store


def test_every_op_type_declares_whether_it_gates_output() -> None:
    members = typing.get_args(ops.WriteOp)
    assert len(members) >= 18
    for cls in members:
        assert "gates_output" in vars(cls), f"{cls.__name__} must declare gates_output"
    gating = {cls.__name__ for cls in members if cls.gates_output}
    # State a player must see committed gates; chat, narration and logs do not.
    assert {"PutCharacter", "PutWorld", "CreateAccount", "SetPassword"} <= gating
    assert not gating & {"LogChat", "LogEvent", "LogRoll", "LogNarration", "RecordUsage"}


async def _until(condition: typing.Callable[[], bool], timeout: float = 5.0) -> None:
    async with asyncio.timeout(timeout):
        while not condition():
            await asyncio.sleep(0.01)


async def test_with_a_stalled_store_say_reaches_the_room_while_get_waits(
    tmp_path: Path,
) -> None:
    wrapped: list[GatedStore] = []

    def wrap(store: Store) -> GatedStore:
        wrapped.append(GatedStore(store))
        return wrapped[0]

    async with make_rig(tmp_path, wrap_store=wrap) as rig:
        alice = await rig.create("Alice")
        bob = await rig.create("Bob", peer="10.0.0.2")
        carol = await rig.create("Carol", peer="10.0.0.3")
        await alice.expect("Carol steps into view")
        # Bob and Carol talk in the next room; Alice stays with the lantern.
        for who in (bob, carol):
            await rig.line(who, "south")
            await who.expect("Exits:")
        await bob.expect("Carol arrives")
        store = wrapped[0]
        store.close_gate()  # from now on no write reaches the database until it opens
        await rig.line(alice, "get lantern")
        await _until(lambda: store.waiting > 0)  # the pickup's commit is at the store
        await rig.line(bob, "say the marsh is quiet")
        await bob.expect("You say, 'the marsh is quiet'")
        await carol.expect("Bob says, 'the marsh is quiet'")
        # Meanwhile nobody has been told of the pickup: its commit has not returned.
        assert "You pick up" not in alice.text
        store.open_gate()
        await alice.expect("You pick up")


async def _fill_up(store: Store, *, accounts: bool = False) -> None:
    """Make the real database file full, so SQLite itself answers SQLITE_FULL ("database
    or disk is full"): it may not grow by a page, and the room left in its last pages is
    used up by replay-log rows of halving size (every hub commit writes such a row) and,
    with ``accounts``, by account rows too."""
    # Fault injection at the store boundary: the writer connection's page limit.
    conn = store._writer_conn
    pages = (await conn.execute_fetchall("PRAGMA page_count"))[0][0]
    await conn.execute(f"PRAGMA max_page_count = {pages}")

    def replay_row(n: int, size: int) -> ops.WriteOp:
        return ops.LogEvent(0.0, -n, "filler", "x" * size)

    def account_row(n: int, size: int) -> ops.WriteOp:
        return ops.CreateAccount(f"f{n}", f"f{n}", "x" * size, False, 0.0)

    for make in (replay_row, account_row) if accounts else (replay_row,):
        size, n = 2048, 0
        while size >= 1:
            n += 1
            try:
                await store.apply([make(n, size)])
            except ops.StoreError as exc:
                assert "full" in str(exc)
                size //= 2


async def _make_room(store: Store) -> None:
    await store._writer_conn.execute("PRAGMA max_page_count = 1073741823")


def _saved_inventory(db: Path, who: str) -> list[str]:
    """What a restart would load for ``who``: item templates in the committed state."""
    import json
    import sqlite3

    with sqlite3.connect(db) as conn:
        row = conn.execute("SELECT state FROM characters WHERE name_key = ?", (who,)).fetchone()
    return [entry["t"].split(":")[-1] for entry in json.loads(row[0])["inventory"]]


def _templates(world: World, items: list[str]) -> list[str]:
    return [world.items[i].template.split(":")[-1] for i in items]


async def test_on_a_full_database_actions_are_refused_undone_and_resume_after(
    tmp_path: Path,
) -> None:
    stores: list[Store] = []

    def keep(store: Store) -> Store:
        stores.append(store)
        return store

    async with make_rig(tmp_path, wrap_store=keep) as rig:
        world = rig.hub.world
        alice = await rig.create_admin("Alice")
        bob = await rig.create("Bob", peer="10.0.0.2")
        await alice.expect("Bob steps into view")
        store = stores[0]
        db = tmp_path / "hub.db"
        assert _saved_inventory(db, "bob").count("healing_potion") == 1  # his own
        await _fill_up(store)

        await rig.line(alice, "get lantern")
        await alice.expect("That did not happen")
        await alice.expect(r"\[admin\] Saving failed \(.*full")
        await rig.line(alice, "give potion to bob")
        await alice.expect("That did not happen")
        # Chat does not wait for the disk: it still reaches the room.
        await rig.line(bob, "say is anyone there")
        await alice.expect("Bob says, 'is anyone there'")
        # Nobody was told of the pickup or the gift, and the world is as it was.
        assert "You pick up" not in alice.text and "Alice picks up" not in bob.text
        assert "gives you" not in bob.text
        carried = _templates(world, world.chars["alice"].inventory)
        assert "hooded_lantern" not in carried and "healing_potion" in carried
        assert _templates(world, world.chars["bob"].inventory).count("healing_potion") == 1
        start = world.chars["alice"].room
        assert "hooded_lantern" in _templates(world, world.floor[start])
        # What a restart would load matches what the players were told.
        assert "hooded_lantern" not in _saved_inventory(db, "alice")
        assert "healing_potion" in _saved_inventory(db, "alice")
        assert _saved_inventory(db, "bob").count("healing_potion") == 1
        await rig.line(alice, "inventory")
        await alice.expect("potion of healing")

        await _make_room(store)  # space returns; nobody restarts anything
        await rig.line(alice, "get lantern")
        await alice.expect("You pick up")
        await alice.expect(r"\[admin\] Saving works again")
        await bob.expect("Alice picks up")
        await rig.line(alice, "give potion to bob")
        await bob.expect("Alice gives you")
        assert "hooded_lantern" in _saved_inventory(db, "alice")
        assert _saved_inventory(db, "bob").count("healing_potion") == 2
        assert "healing_potion" not in _saved_inventory(db, "alice")


@pytest.fixture
def tiny_fs(tmp_path: Path) -> Iterator[Path]:
    """A real 8 MB filesystem (tmpfs) to fill up; skipped where mounting is not allowed."""
    mnt = tmp_path / "fs"
    mnt.mkdir()
    try:
        done = subprocess.run(
            ["mount", "-t", "tmpfs", "-o", "size=8m", "tmpfs", str(mnt)],
            capture_output=True,
            timeout=10,
        )
    except (OSError, subprocess.SubprocessError) as exc:
        pytest.skip(f"cannot mount a small filesystem: {exc}")
    if done.returncode != 0:
        pytest.skip(f"cannot mount a small filesystem: {done.stderr.decode().strip()}")
    try:
        yield mnt
    finally:
        subprocess.run(["umount", "-l", str(mnt)], capture_output=True, timeout=10)


def _fill_disk(mnt: Path) -> Path:
    """Write a file until the filesystem refuses (ENOSPC); returns it (delete to free)."""
    filler = mnt / "filler"
    chunk = b"\0" * 65536
    with filler.open("wb", buffering=0) as out:
        while True:
            try:
                out.write(chunk)
            except OSError as exc:
                assert exc.errno == errno.ENOSPC
                break
    with filler.open("ab", buffering=0) as out:  # the last partial block too
        for _ in range(64):
            try:
                out.write(b"\0" * 512)
            except OSError:
                break
    return filler


async def test_full_filesystem_refuses_undoes_resumes_and_survives_kill_9(
    tmp_path: Path, tiny_fs: Path
) -> None:
    db, keys = tiny_fs / "mud.db", tmp_path / "keys"
    async with server_process(db, keys) as port:
        alice = await TelnetPlayer.connect(port)
        await login_new(alice, "Alice")
        code, _, err = await amud("admin", "grant", "alice", "--db", str(db))
        assert code == 0, err
        await alice.expect("You are now an admin")
        bob = await TelnetPlayer.connect(port)
        await login_new(bob, "Bob")
        await alice.expect("Bob steps into view")
        filler = _fill_disk(tiny_fs)
        alice.send("get lantern")
        await alice.expect("That did not happen")
        await alice.expect(r"\[admin\] Saving failed")
        alice.send("give potion to bob")
        await alice.expect("That did not happen")
        filler.unlink()  # space returns: play goes on without a restart
        alice.send("inventory")
        carried = await alice.expect(r"You are carrying:[\s\S]*?>")
        assert "potion of healing" in carried and "hooded lantern" not in carried
        alice.send("get lantern")
        await alice.expect("You pick up a hooded lantern")
        await bob.expect("Alice picks up")
        filler = _fill_disk(tiny_fs)
        bob.send("give potion to alice")
        await bob.expect("That did not happen")
        assert "gives you" not in alice.buffer
    # The server was killed (SIGKILL) with the disk still full.
    filler.unlink()
    async with running_server(make_config(tmp_path, db=str(db), host_keys=str(keys))) as srv:
        again = await TelnetPlayer.connect(srv.telnet_port)
        await login_existing(again, "Alice")
        again.send("inventory")
        carried = await again.expect(r"You are carrying:[\s\S]*?>")
        assert "hooded lantern" in carried
        await again.close()
    # What every player was told is what the world holds: Alice took the lantern and
    # kept her potion; Bob's refused gift never left him.
    assert _saved_inventory(db, "alice").count("healing_potion") == 1
    assert "hooded_lantern" in _saved_inventory(db, "alice")
    assert _saved_inventory(db, "bob").count("healing_potion") == 1
    # The replay log holds only what happened: it replays identically, undos and all.
    result = await replay(await load_events(str(db)))
    assert result.ok, result.first


async def test_on_a_full_database_new_players_are_refused_and_welcome_later(
    tmp_path: Path,
) -> None:
    wrapped: list[GatedStore] = []

    def wrap(store: Store) -> GatedStore:
        wrapped.append(GatedStore(store))
        return wrapped[0]

    async def try_create(rig: Rig, name: str) -> FakeSession:
        s = await rig.connect()
        for line, answer in ((name, r"\(yes/no\)"), ("yes", "Password:"), ("pw-12345", "Repeat")):
            await rig.line(s, line)
            await s.expect(answer)
        await rig.line(s, "pw-12345")
        return s

    async with make_rig(tmp_path, wrap_store=wrap) as rig:
        store = wrapped[0].inner
        await rig.create("Alice")
        erin = await rig.create("Erin", peer="10.0.0.5")
        await rig.line(erin, "quit")
        await erin.wait_closed()
        await _fill_up(store, accounts=True)
        # A returning player whose state needs no write comes in and can talk.
        erin = await rig.login("Erin", peer="10.0.0.5")
        await erin.expect("Exits:")
        await rig.line(erin, "say the disk is full, they say")
        await erin.expect("You say, 'the disk is full, they say'")
        # A new account cannot be written: back to the name prompt, nothing stored.
        dave = await try_create(rig, "Dave")
        await dave.expect("could not be created")
        await dave.expect("What is your name")
        assert await store.get_account("dave") is None
        await _make_room(store)
        dave = await rig.create("Dave", peer="10.0.0.4")
        assert "admin" not in dave.text
        assert await store.get_account("dave") is not None

        # The account is written but the new character's entry is refused (injected at
        # the store boundary): the player is told and hung up, and may come back later.
        wrapped[0].fail_when = lambda batch: any(
            isinstance(op, ops.PutCharacter) and op.name_key == "carol" for op in batch
        )
        carol = await try_create(rig, "Carol")
        await carol.expect("Entering the world could not be saved")
        await carol.wait_closed()
        assert "Exits:" not in carol.text and "Your class:" not in carol.text
        wrapped[0].fail_when = None
        back = await rig.login("Carol", "pw-12345")
        seen = await back.expect("Exits:|Your class:")
        if seen.endswith("Your class:"):
            await rig.line(back, "fighter")
            await back.expect("Exits:")


def test_world_revert_puts_moved_items_people_and_npcs_back() -> None:
    from hubrig import CONTENT

    from mud.world.loader import load_packs

    world = World(load_packs([CONTENT]))
    world.seed_rooms()
    world.seed_npcs()
    start = world.templates.start
    alice = world.restore_character("alice", None, name="Alice", is_admin=False)
    world.place(alice)
    saved_alice = world.character_json(alice)
    saved_floor = world.room_items_json(start)
    npc_id = next(iter(world.npcs))
    saved_npc = world.npc_json(npc_id)
    lantern = next(i for i in world.floor[start] if "lantern" in world.items[i].template)
    other = next(r for r in world.templates.rooms if r != start)
    # Uncommitted changes: she picks the lantern up, a new item appears in her pack,
    # she walks away, gets hurt, and the NPC dies.
    assert world.transfer(lantern, f"room:{start}", "char:alice")
    made = world.new_item(world.items[lantern].template)
    alice.inventory.append(made)
    world.move("alice", other)
    alice.hp, alice.gold = 0, 99
    world.npcs[npc_id].alive, world.npcs[npc_id].hp = False, 0
    world.set_party("escorts", npc_id, "alice")  # and she asked it along

    world.revert({"alice": saved_alice}, {start: saved_floor}, {npc_id: saved_npc})

    assert lantern in world.floor[start] and lantern not in alice.inventory
    assert made not in world.items and made not in alice.inventory
    assert alice.room == start and "alice" in world.occupants[start]
    assert "alice" not in world.occupants.get(other, [])
    assert alice.gold == 0
    assert world.character_json(alice) == saved_alice
    assert world.room_items_json(start) == saved_floor
    assert world.npc_json(npc_id) == saved_npc
    assert world.escorts == {}  # who brings it along is kept in its row
    # Every item instance is in exactly one place.
    placed = [i for f in world.floor.values() for i in f] + alice.inventory
    assert sorted(placed) == sorted(world.items)


async def test_a_group_whose_write_fails_is_undone(tmp_path: Path) -> None:
    wrapped: list[GatedStore] = []

    def wrap(store: Store) -> GatedStore:
        wrapped.append(GatedStore(store))
        return wrapped[0]

    async with make_rig(tmp_path, wrap_store=wrap) as rig:
        alice = await rig.create("Alice")
        bob = await rig.create("Bob", peer="10.0.0.2")
        await rig.line(alice, "group invite bob")
        await bob.expect("invites you to join the group")
        wrapped[0].fail_when = lambda batch: any(isinstance(op, ops.PutParty) for op in batch)
        await rig.line(bob, "group accept")
        await bob.expect("That did not happen")
        world = rig.hub.world
        assert world.groups == {} and world.following == {}
        assert world.invites == {"bob": "alice"}
        assert await wrapped[0].inner.load_party() == [("invite", "bob", '"alice"')]
        wrapped[0].fail_when = None
        # The invitation is back as well: accepting again works, and is kept.
        await rig.line(bob, "group accept")
        await bob.expect("You join Alice's group")
        assert world.groups == {"alice": "alice", "bob": "alice"}
        assert sorted(await wrapped[0].inner.load_party()) == [
            ("following", "bob", '"alice"'),
            ("group", "alice", '"alice"'),
            ("group", "bob", '"alice"'),
        ]
