"""The doors' input queue (mud.net.session.InputQueue): flow control marks, coalescing,
end and discard. Runs on an event loop, no sockets."""

from __future__ import annotations

import asyncio

import pytest

from mud.net.session import InputQueue


class Door:
    """Records the pause/resume calls an InputQueue makes."""

    def __init__(self) -> None:
        self.calls: list[str] = []

    def pause(self) -> None:
        self.calls.append("pause")

    def resume(self) -> None:
        self.calls.append("resume")


async def test_pauses_above_high_resumes_at_low_and_never_drops() -> None:
    door = Door()
    queue: InputQueue[int] = InputQueue(4, 1, door.pause, door.resume)
    for i in range(4):
        queue.put(i)
    assert door.calls == []
    for i in range(4, 20):  # what reads already under way deliver still fits
        queue.put(i)
    assert door.calls == ["pause"] and queue.paused and len(queue) == 20
    taken = [await queue.next() for _ in range(18)]
    assert door.calls == ["pause"]  # 2 still wait: above low
    taken.append(await queue.next())
    assert door.calls == ["pause", "resume"] and not queue.paused
    taken.append(await queue.next())
    assert taken == list(range(20))


async def test_resizes_coalesce_but_lines_do_not() -> None:
    door = Door()
    queue: InputQueue[str] = InputQueue(
        8, 2, door.pause, door.resume, coalesce=lambda old, new: old[0] == new[0] == "r"
    )
    for item in ("l1", "r1", "r2", "r3", "l2", "r4", "l3", "l4"):
        queue.put(item)
    assert [await queue.next() for _ in range(len(queue))] == ["l1", "r3", "l2", "r4", "l3", "l4"]


async def test_end_drains_what_waits_then_returns_none_and_wakes_a_waiter() -> None:
    queue: InputQueue[int] = InputQueue(4, 1, lambda: None, lambda: None)
    waiter = asyncio.create_task(queue.next())
    await asyncio.sleep(0)
    queue.put(1)
    assert await waiter == 1
    queue.put(2)
    queue.end()
    queue.put(3)  # after the end: ignored
    assert await queue.next() == 2
    assert await queue.next() is None
    waiter = asyncio.create_task(queue.next())
    assert await asyncio.wait_for(waiter, 1) is None


async def test_discard_forgets_ends_and_resumes_a_paused_door() -> None:
    door = Door()
    queue: InputQueue[int] = InputQueue(2, 0, door.pause, door.resume)
    for i in range(5):
        queue.put(i)
    queue.discard()
    assert door.calls == ["pause", "resume"]
    assert await queue.next() is None
    queue.discard()
    assert door.calls == ["pause", "resume"]


def test_marks_must_be_ordered() -> None:
    with pytest.raises(ValueError):
        InputQueue(2, 2, lambda: None, lambda: None)
