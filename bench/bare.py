"""A bare asyncio echo server: the floor for bench/load.py's ``--baseline``.

Run by the benchmark as a separate process (``python bench/bare.py``); prints
``telnet: listening on 127.0.0.1:PORT`` and serves until SIGTERM. One
``asyncio.Protocol`` per socket: it greets with the login prompt, and answers every
line with the line echoed back, a fixed room-sized text and a prompt ending in
``IAC GA``. The answer contains every pattern the load client's login steps and ``look``
wait for, so the same load generator drives it unchanged.

Rooms and says, so the baseline carries the game's load (since 2026-11-30; before, the
bare server broadcast nothing while the game carried a say to 1,000 every half second,
and the look ratio compared unlike loads): a connection starts in the start room, and
a line that is a direction (``north``, ``up``, ...) moves it along that path, so the
load client's walks put the same players in the same rooms as in the game. ``say X``
is answered to the speaker as any line is, and written to every other connection in
the speaker's room as ``<name> says, 'X'`` and a prompt: one ``transport.write`` per
listener, the way a minimal asyncio server broadcasts. A connection's name is its first
line (the load client's login sends its name first).

No game, no telnet negotiation, no per-viewer rendering: what is left is the event loop,
the sockets and the client, on the same machine at the same moment.
"""

from __future__ import annotations

import asyncio
import signal
import sys

GA = b"\xff\xf9"
ROOM = (
    b"The Hollow Square\r\n"
    + b"A cobbled square under old elms; lanterns hang from iron hooks and the smell of "
    b"bread drifts from the bakery. " * 4 + b"\r\nPaaaab and 11 others are here.\r\n"
)
ANSWER_TAIL = ROOM + b"(yes/no) Password: Repeat the password: Your class: Exits: north.\r\n> "
GREETING = b"Welcome.\r\nWhat is your name? " + GA
DIRECTIONS = frozenset(
    b"north south east west up down northeast northwest southeast southwest in out".split()
)

rooms: dict[bytes, set[Echo]] = {}


class Echo(asyncio.Protocol):
    def __init__(self) -> None:
        self.transport: asyncio.Transport | None = None
        self.buf = b""
        self.name = b""
        self.room = b""

    def connection_made(self, transport: asyncio.BaseTransport) -> None:
        assert isinstance(transport, asyncio.Transport)
        self.transport = transport
        rooms.setdefault(self.room, set()).add(self)
        transport.write(GREETING)

    def connection_lost(self, exc: Exception | None) -> None:
        rooms.get(self.room, set()).discard(self)

    def data_received(self, data: bytes) -> None:
        assert self.transport is not None
        self.buf += data
        while (i := self.buf.find(b"\n")) >= 0:
            line, self.buf = self.buf[:i].rstrip(b"\r"), self.buf[i + 1 :]
            if not self.name:
                self.name = line
            elif line in DIRECTIONS:
                rooms[self.room].discard(self)
                self.room += b"/" + line
                rooms.setdefault(self.room, set()).add(self)
            elif line.startswith(b"say "):
                heard = self.name + b" says, '" + line[4:] + b"'\r\n> " + GA
                for other in rooms[self.room]:
                    if other is not self and other.transport is not None:
                        other.transport.write(heard)
            self.transport.write(line + b"\r\n" + ANSWER_TAIL + GA)


async def main() -> None:
    loop = asyncio.get_running_loop()
    server = await loop.create_server(Echo, "127.0.0.1", 0, backlog=4096)
    port = server.sockets[0].getsockname()[1]
    print(f"telnet: listening on 127.0.0.1:{port}", flush=True)
    print("world: bare echo server", flush=True)
    stop = loop.create_future()
    loop.add_signal_handler(signal.SIGTERM, stop.set_result, None)
    await stop
    server.close()


if __name__ == "__main__":
    asyncio.run(main())
    sys.exit(0)
