"""Output order through a real hub and store: what waited behind a commit keeps its own
prompt after its own output (``mud.hub.outbox``), no doubled prompts."""

from __future__ import annotations

import asyncio
import re
import typing
from pathlib import Path

from hubrig import GatedStore, make_rig

from mud.store.db import Store


async def _until(condition: typing.Callable[[], bool], timeout: float = 5.0) -> None:
    async with asyncio.timeout(timeout):
        while not condition():
            await asyncio.sleep(0.01)


async def test_a_tell_that_waited_behind_a_pickup_follows_its_prompt(tmp_path: Path) -> None:
    wrapped: list[GatedStore] = []

    def wrap(store: Store) -> GatedStore:
        wrapped.append(GatedStore(store))
        return wrapped[0]

    async with make_rig(tmp_path, wrap_store=wrap) as rig:
        alice = await rig.create("Alice")
        bob = await rig.create("Bob", peer="10.0.0.2")
        await alice.expect("Bob steps into view")
        await rig.line(bob, "south")  # out of the room: the pickup is no news to him
        await bob.expect("Exits:")
        await asyncio.sleep(0.1)  # every login write committed, every prompt out
        store = wrapped[0]
        store.close_gate()
        mark = len(alice.text)
        await rig.line(alice, "get lantern")
        await _until(lambda: store.waiting > 0)
        await rig.line(bob, "tell alice the lantern is yours")
        await bob.expect("You tell Alice")
        # Bob's words wait behind Alice's pickup on her screen: her order holds.
        assert "Bob tells" not in alice.text[mark:]
        store.open_gate()
        await alice.expect("Bob tells you")
        await asyncio.sleep(0.1)
        seen = alice.text[mark:]
        prompt = r"\d+/\d+ HP > "
        assert re.fullmatch(
            rf"\s*You pick up [^\n]*\n{prompt}Bob tells you, 'the lantern is yours'\n{prompt}",
            seen,
        ), seen
