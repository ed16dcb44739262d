"""Would a writer thread take a broadcast's socket writes off the event loop? (issue 16)

The look's p99 at 2,000 players is the look that lands while a say is written to 999
sockets: each ``send`` on loopback costs the loop about 12 us, most of it in the
kernel, where CPython releases the GIL. The idea left open in round 20 was to hand a
broadcast's ``(socket, bytes)`` list to a thread, so the kernel's share could run on the
other core while the loop answers the look. This measures that idea before any of it
is built into the doors.

One process holds ``--connections`` loopback TCP sockets whose far ends a forked child
reads as fast as it can (the load client's part). Its event loop runs three tasks: one
that does ``--work-us`` of Python work every millisecond (the commands' share), a probe
that sleeps 2 ms over and over and notes how late it wakes, and every ``--every``
seconds a broadcast of one line to every socket, either

- ``loop``: written by the loop itself, back to back (what the server does today), or
- ``thread``: put on a queue to one writer thread that sends to each socket in turn.

It prints, for each mode, how late the probe woke (the wait a look would see) and how
long a broadcast took from start to its last ``send`` (the say to the last listener).
Modes alternate, ``--pairs`` times. The thread's sends run with the loop's
sockets non-blocking and nothing else writing to them, which is kinder than the doors
would be (no ordering with the transports' buffers), so this is the idea's best case.

What it showed, and what the server showed (bench/README.md, "Round 21"): here the
thread cuts the probe's p99 from about 10-11 ms to 2.5-3 ms at the same broadcast time,
but a throwaway prototype in the server (the flush handing fan-outs of more than 32
sockets to such a thread) made the look's p99 at 2,000 players worse, not better, and
the say to the last listener twice as slow: the server's loop holds the GIL half the
time, and the thread waits for it between sends. Kept to show why there is no writer
thread.

Usage: ``python bench/writer_thread.py [--connections 1000] [--seconds 10] [--pairs 2]``
"""

from __future__ import annotations

import argparse
import asyncio
import os
import queue
import selectors
import signal
import socket
import statistics
import threading
import time

LINE = b"Someone says, 'hello there, friends of the tavern'\r\n> \xff\xf9"


def _drain(port: int, connections: int) -> None:
    """The forked reader: connect every socket, then read until the server closes."""
    sel = selectors.DefaultSelector()
    for _ in range(connections):
        sock = socket.create_connection(("127.0.0.1", port))
        sock.setblocking(False)
        sel.register(sock, selectors.EVENT_READ)
    open_ = connections
    while open_:
        for key, _ in sel.select():
            sock = key.fileobj
            assert isinstance(sock, socket.socket)
            try:
                data = sock.recv(65536)
            except BlockingIOError:
                continue
            if not data:
                sel.unregister(sock)
                open_ -= 1


def _busy(us: float) -> None:
    end = time.perf_counter() + us / 1e6
    while time.perf_counter() < end:
        pass


def _pct(values: list[float], p: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(len(ordered) * p))]


async def _run(mode: str, socks: list[socket.socket], args: argparse.Namespace) -> str:
    done: list[float] = []
    jobs: queue.SimpleQueue[tuple[float, list[socket.socket]] | None] = queue.SimpleQueue()

    def writer() -> None:
        while (job := jobs.get()) is not None:
            start, batch = job
            for sock in batch:
                sock.send(LINE)
            done.append(time.perf_counter() - start)

    async def work() -> None:
        while True:
            await asyncio.sleep(0.001)
            _busy(args.work_us)

    async def broadcast() -> None:
        while True:
            await asyncio.sleep(args.every)
            start = time.perf_counter()
            if mode == "loop":
                for sock in socks:
                    sock.send(LINE)
                done.append(time.perf_counter() - start)
            else:
                jobs.put((start, socks))

    thread = threading.Thread(target=writer, daemon=True)
    thread.start()
    late: list[float] = []
    tasks = [asyncio.create_task(work()), asyncio.create_task(broadcast())]
    end = time.perf_counter() + args.seconds
    # The probe: a timer due every 2 ms, as a look's line is "due" when it arrives; how
    # late it runs is what the loop's other work made it wait.
    while time.perf_counter() < end:
        asleep = time.perf_counter()
        await asyncio.sleep(0.002)
        late.append(time.perf_counter() - asleep - 0.002)
    for task in tasks:
        task.cancel()
    await asyncio.gather(*tasks, return_exceptions=True)
    jobs.put(None)
    thread.join()
    ms = 1e3
    return (
        f"{mode:6}  probe late p50 {_pct(late, 0.5) * ms:5.2f}  p99 {_pct(late, 0.99) * ms:5.2f}"
        f"  max {max(late) * ms:6.2f} ms   broadcast to the last p50"
        f" {statistics.median(done) * ms:6.2f}  max {max(done) * ms:6.2f} ms"
        f"  ({len(done)} broadcasts)"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--connections", type=int, default=1000)
    parser.add_argument("--seconds", type=float, default=10.0)
    parser.add_argument("--every", type=float, default=0.1, help="seconds between broadcasts")
    parser.add_argument("--work-us", type=float, default=100.0)
    parser.add_argument("--pairs", type=int, default=2)
    args = parser.parse_args()
    listener = socket.socket()
    listener.bind(("127.0.0.1", 0))
    listener.listen(args.connections)
    port = listener.getsockname()[1]
    pid = os.fork()
    if pid == 0:
        listener.close()
        _drain(port, args.connections)
        os._exit(0)
    socks = []
    for _ in range(args.connections):
        sock, _ = listener.accept()
        sock.setblocking(False)
        socks.append(sock)
    try:
        for _ in range(args.pairs):
            for mode in ("loop", "thread"):
                print(asyncio.run(_run(mode, socks, args)), flush=True)
    finally:
        for sock in socks:
            sock.close()
        try:
            os.waitpid(pid, 0)
        except KeyboardInterrupt:
            os.kill(pid, signal.SIGKILL)


if __name__ == "__main__":
    main()
