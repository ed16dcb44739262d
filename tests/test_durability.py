"""Durability of what players are told: output waits for the commits it depends on, and
only for those; a write that cannot be committed is never acknowledged."""

from __future__ import annotations

import asyncio
import typing
from pathlib import Path

from hubrig import GatedStore, make_rig

from mud.core import ops
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
