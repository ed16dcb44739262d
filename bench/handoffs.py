"""Count the hand-offs from a socket read to a socket write for one command.

Runs the real server in this process (telnet door on 127.0.0.1, a fresh database in a
temporary directory, the offline narrator), logs one player in over a raw socket, and
for each command (``say``, ``look``) records, from the moment the server's telnet
protocol receives the bytes of the line until the session's bytes are handed to the
transport, every crossing of these points:

- ``read``: the door's protocol gets the bytes (``data_received``: the loop's callback);
- ``post``: the door hands the line to the hub (``Hub.post``);
- ``put``: any ``asyncio.Queue`` put (the hub's inbox and any other queue);
- ``handle``: the hub starts handling the message (``Hub._handle``);
- ``port``: the hub calls a ``SessionPort`` method of the typing player (send, prompt, ...);
- ``write``: that session's bytes go to the transport (``TelnetLink.write``).

At each point it notes the execution context (the asyncio task, or "callback" for a
plain loop callback) and the chain of frames of ``mud``/``telnetlib3`` code from that
context's entry to the point. Reported per command:

- queue puts: how many ``asyncio.Queue`` puts happened between read and write;
- task switches: how many times the context changed along the recorded points;
- hub layers: the frames of ``mud.hub`` between ``Hub.run`` and the ``SessionPort`` call
  (function layers the output goes through inside the hub);
- the chains themselves, so the count can be checked by eye.

Usage: ``python bench/handoffs.py [--port 41150]`` (run it with ``PYTHONPATH`` set to
another checkout to measure that one). Prints a JSON summary and the chains.
"""

from __future__ import annotations

import argparse
import asyncio
import functools
import io
import itertools
import json
import sys
import tempfile
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "bench"))

from common import telnet_refusals  # noqa: E402

PASSWORD = "handoff-pass-1"


class Probe:
    """Records the points (see the module docstring) while armed."""

    def __init__(self) -> None:
        self.armed = False
        self.conn: int | None = None
        self.points: list[tuple[str, str, list[str]]] = []
        self.done: asyncio.Event | None = None

    @staticmethod
    def _context() -> str:
        try:
            task = asyncio.current_task()
        except RuntimeError:
            task = None
        if task is None:
            return "callback"
        coro = task.get_coro()
        return f"task {getattr(coro, '__qualname__', task.get_name())}"

    @staticmethod
    def _chain() -> list[str]:
        frames: list[str] = []
        frame = sys._getframe(2)
        while frame is not None:
            name = frame.f_code.co_filename
            if "/mud/" in name or "telnetlib3" in name:
                module = name.rsplit("/", 2)
                frames.append(f"{module[-2]}/{module[-1]}:{frame.f_code.co_qualname}")
            frame = frame.f_back
        return list(reversed(frames))

    def mark(self, point: str) -> None:
        if self.armed:
            self.points.append((point, self._context(), self._chain()))


PROBE = Probe()


def install() -> None:
    """Wrap the points of interest (module docstring) to report to ``PROBE``."""
    from mud.hub.actor import Hub
    from mud.net import telnet
    from mud.net.session import Session

    def wrap(cls: Any, name: str, point: str, *, only_conn: bool = False) -> None:
        original = getattr(cls, name)

        @functools.wraps(original)
        def wrapper(self: Any, *args: Any, **kw: Any) -> Any:
            if not only_conn or getattr(self, "conn", None) == PROBE.conn:
                PROBE.mark(point)
            return original(self, *args, **kw)

        setattr(cls, name, wrapper)

    wrap(telnet._Protocol, "data_received", "read")
    wrap(Hub, "post", "post")
    wrap(Hub, "_handle", "handle")
    for method in ("send", "prompt", "stream", "end_stream", "data", "set_echo", "close"):
        wrap(Session, method, f"port {method}", only_conn=True)
    wrap(asyncio.Queue, "put_nowait", "put")

    original_write = telnet.TelnetLink.write

    def write(self: Any, data: bytes) -> None:
        PROBE.mark("write")
        original_write(self, data)
        if PROBE.armed and PROBE.done is not None:
            PROBE.done.set()

    telnet.TelnetLink.write = write  # type: ignore[method-assign]


async def _read_until(
    reader: asyncio.StreamReader, writer: asyncio.StreamWriter, want: bytes
) -> bytes:
    data = b""
    async with asyncio.timeout(20):
        while want not in data:
            chunk = await reader.read(4096)
            if not chunk:
                raise ConnectionError(f"closed while waiting for {want!r}")
            refusals = telnet_refusals(chunk)
            if refusals:
                writer.write(refusals)
            data += chunk
    return data


async def measure(port: int) -> dict[str, Any]:
    from mud.app import run_server
    from mud.config import Config

    with tempfile.TemporaryDirectory() as tmp:
        config = Config(
            host="127.0.0.1",
            telnet_port=port,
            ssh_port=0,
            web_port=0,
            db=str(Path(tmp) / "mud.db"),
            host_keys=str(Path(tmp) / "host_keys"),
            providers=("offline",),
            seed=7,
            limits={"hash_n": 16},
            telnet={"connect_maxwait": 0.2},
        )
        ready: asyncio.Future[Any] = asyncio.get_running_loop().create_future()
        task = asyncio.create_task(run_server(config, out=io.StringIO(), ready=ready.set_result))
        handle = await asyncio.wait_for(ready, 30)
        reader, writer = await asyncio.open_connection("127.0.0.1", handle.telnet_port)
        try:
            await _read_until(reader, writer, b"What is your name?")
            for line, want in (
                ("Handoff", b"(yes/no)"),
                ("yes", b"Password:"),
                (PASSWORD, b"Repeat the password:"),
                (PASSWORD, b"Your class:"),
                ("fighter", b"Exits:"),
            ):
                writer.write(line.encode() + b"\r\n")
                await _read_until(reader, writer, want)
            await asyncio.sleep(0.5)  # let the login's commits and prompts settle
            hub = handle.hub
            PROBE.conn = next(iter(hub._conn_of.values()))
            results: dict[str, Any] = {}
            for command, want in (("say hello there", b"You say"), ("look", b"Exits:")):
                await asyncio.sleep(0.3)
                PROBE.points, PROBE.done = [], asyncio.Event()
                PROBE.armed = True
                writer.write(command.encode() + b"\r\n")
                await PROBE.done.wait()
                PROBE.armed = False
                await _read_until(reader, writer, want)
                results[command.split()[0]] = summarise(PROBE.points)
        finally:
            writer.close()
            handle.stop("measured")
            await asyncio.wait_for(task, 20)
    return results


def summarise(points: list[tuple[str, str, list[str]]]) -> dict[str, Any]:
    # From the first read to the first write of the typing player's bytes.
    start = next(i for i, p in enumerate(points) if p[0] == "read")
    end = next(i for i, p in enumerate(points) if p[0] == "write")
    path = points[start : end + 1]
    switches = sum(1 for a, b in itertools.pairwise(path) if a[1] != b[1])
    port = next(p for p in path if p[0].startswith("port"))
    chain = port[2]
    run = next((i for i, f in enumerate(chain) if f.endswith("Hub.run")), 0)
    hub_layers = [f for f in chain[run + 1 :] if f.startswith("hub/")]
    return {
        "queue_puts": sum(1 for p in path if p[0] == "put"),
        "task_switches": switches,
        "contexts": [ctx for i, (_, ctx, _) in enumerate(path) if i == 0 or path[i - 1][1] != ctx],
        "hub_layers_to_session": len(hub_layers),
        "hub_chain": hub_layers,
        "points": [f"{point} [{ctx}] " + " > ".join(chain) for point, ctx, chain in path],
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--port", type=int, default=41150)
    args = parser.parse_args()
    install()
    results = asyncio.run(measure(args.port))
    for command, summary in results.items():
        print(f"== {command}")
        for line in summary.pop("points"):
            print("  " + line)
        print(json.dumps(summary, indent=2))


if __name__ == "__main__":
    main()
