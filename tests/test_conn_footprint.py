"""What one connection costs the server while it is idle (issue 16: memory per player).

A telnet connection that keeps up owns one task (the door's reader), no writer task
and no terminal watcher; the session's writer task exists only while output waits in
its outbox. telnetlib3's per-connection tables are shared or bound on demand
(``_Callbacks``), and ``Flag`` replaces ``asyncio.Event`` (which allocates a deque per
instance). The memory figure itself is measured with ``bench/load.py``; the bound
below only catches a return of the old per-connection containers.
"""

from __future__ import annotations

import asyncio
import gc
import tracemalloc

from test_session import StuckLink
from test_telnet_bytes import NAWS, Raw, connected, door, sb

from mud.core.events import Resized, TermInfo
from mud.core.outputs import Doc
from mud.net.flag import Flag
from mud.net.session import Session
from mud.net.telnet import _Callbacks

_HELPER_TASKS = ("Session._write_loop", "TelnetDoor._watch_term")


def helper_tasks() -> list[asyncio.Task[object]]:
    """Running session writer and terminal watcher tasks."""
    return [
        t
        for t in asyncio.all_tasks()
        if getattr(t.get_coro(), "__qualname__", "") in _HELPER_TASKS and not t.done()
    ]


async def settle() -> None:
    for _ in range(5):
        await asyncio.sleep(0)


async def test_a_telnet_connection_that_keeps_up_owns_no_writer_or_watcher_task() -> None:
    async with door() as (the_door, sink):
        client = await Raw(ttypes=["xterm"], naws=(100, 30)).connect(the_door.port)
        _event, session = await connected(sink)
        session.send(Doc.text("hello there"))
        await client.until_text(b"hello there")
        client.send(sb(NAWS, bytes((0, 90, 0, 30))))
        resized: Resized = await sink.next(Resized)
        assert resized.term.width == 90  # a change is still reported
        await settle()
        assert helper_tasks() == []
        assert the_door.connections == 1  # its reader task, the one task it owns
        session.send(Doc.text("still written"))
        await client.until_text(b"still written")
        await client.close()


async def test_the_writer_task_runs_only_while_output_waits() -> None:
    link = StuckLink(stuck_after=0)
    session = Session(1, link, TermInfo(), high_water=5)
    session.start()
    session.send(Doc.text("first"))
    await settle()
    assert helper_tasks() == []  # went straight to the link
    session.send(Doc.text("second"))  # the link reports a full buffer: queued
    await settle()
    assert len(helper_tasks()) == 1 and b"second" not in link.written
    link.stuck_after = 10**9
    link.released.set()
    async with asyncio.timeout(2):
        while b"second" not in link.written or helper_tasks():
            await asyncio.sleep(0.01)
    link.stuck_after = len(link.written)  # stuck again: a new writer starts
    link.released.clear()
    session.send(Doc.text("third"))
    await settle()
    session.send(Doc.text("fourth"))
    await settle()
    assert len(helper_tasks()) == 1
    link.stuck_after = 10**9
    link.released.set()
    async with asyncio.timeout(2):
        while b"fourth" not in link.written:
            await asyncio.sleep(0.01)
    text = bytes(link.written)
    assert text.index(b"first") < text.index(b"second") < text.index(b"third")
    assert text.index(b"third") < text.index(b"fourth")
    session.close()
    async with asyncio.timeout(2):
        while not link.closed:
            await asyncio.sleep(0.01)
    await session.stop()
    assert session.closed.is_set()


async def test_an_idle_telnet_connection_costs_the_server_under_24_kib() -> None:
    # Python allocations only, server and raw clients in this process: about 20 KiB a
    # connection here (the server's ~14, the client's StreamReader, writer and task);
    # the old containers (four callback dicts, an SLC table, eight deques) made it ~42.
    n = 20
    async with door(connect_maxwait=0.2) as (the_door, sink):
        warm = await Raw(answer=False).connect(the_door.port)
        await connected(sink)
        gc.collect()
        tracemalloc.start()
        try:
            before = tracemalloc.get_traced_memory()[0]
            clients = [await Raw(answer=False).connect(the_door.port) for _ in range(n)]
            for _ in range(n):
                await connected(sink)
            await settle()
            gc.collect()
            per_conn = (tracemalloc.get_traced_memory()[0] - before) / n
        finally:
            tracemalloc.stop()
        assert per_conn < 24 * 1024, per_conn
        for client in [warm, *clients]:
            await client.close()


async def test_flag_wakes_every_waiter_and_forgets_a_cancelled_one() -> None:
    flag = Flag()
    assert not flag.is_set()
    woken: list[int] = []

    async def waiter(i: int) -> None:
        await flag.wait()
        woken.append(i)

    tasks = [asyncio.create_task(waiter(i)) for i in range(3)]
    cancelled = asyncio.create_task(flag.wait())
    await settle()
    cancelled.cancel()
    await settle()
    assert woken == [] and cancelled.cancelled()
    flag.set()
    flag.set()  # idempotent
    await asyncio.gather(*tasks)
    assert sorted(woken) == [0, 1, 2] and flag.is_set()
    await asyncio.wait_for(flag.wait(), 1)  # set: returns at once
    flag.clear()
    late = asyncio.create_task(flag.wait())
    await settle()
    assert not late.done()
    flag.set()
    await asyncio.wait_for(late, 1)


class _Writerish:
    def __init__(self, name: str) -> None:
        self.name = name

    def handle_a(self, arg: str) -> str:
        return f"{self.name}.a({arg})"

    def handle_b(self, arg: str) -> str:
        return f"{self.name}.b({arg})"


def test_callbacks_bind_by_name_keep_other_entries_and_share_their_names() -> None:
    def plain(arg: str) -> str:
        return f"plain({arg})"

    tables = []
    for who in ("one", "two"):
        writer, protocol = _Writerish(f"w{who}"), _Writerish(f"p{who}")
        table = {b"A": writer.handle_a, b"B": protocol.handle_b, b"P": plain}
        tables.append(_Callbacks.compact(table, (writer, protocol)))
    first, second = tables
    assert first[b"A"]("x") == "wone.a(x)" and second[b"A"]("x") == "wtwo.a(x)"
    assert first[b"B"]("y") == "pone.b(y)" and first[b"P"]("z") == "plain(z)"
    assert b"A" in first and b"P" in first and b"Q" not in first
    assert first.get(b"Q") is None and first.get(b"Q", plain) is plain
    assert first._spec is second._spec  # one name table for every connection
    first[b"A"] = plain  # set later: wins over the shared name
    assert first[b"A"]("w") == "plain(w)" and second[b"A"]("w") == "wtwo.a(w)"
    first.clear()
    assert b"A" not in first and b"B" not in first and first.get(b"B") is None
    assert second[b"B"]("v") == "ptwo.b(v)"


class _BrokenLink(StuckLink):
    def write(self, data: bytes) -> None:
        raise OSError("link broke")


async def test_a_session_whose_link_breaks_does_not_hold_back_the_others_in_its_turn() -> None:
    # The sessions written in one turn are flushed by one callback (session._TurnFlush).
    broken, fine = _BrokenLink(stuck_after=10**9), StuckLink(stuck_after=10**9)
    first = Session(1, broken, TermInfo())
    second = Session(2, fine, TermInfo())
    for session in (first, second):
        session.start()
        session.send(Doc.text("news for all"))
    await settle()
    assert b"news for all" in fine.written
    second.send(Doc.text("and more"))  # its next turn is flushed as well
    await settle()
    assert b"and more" in fine.written
    await first.stop()
    await second.stop()
