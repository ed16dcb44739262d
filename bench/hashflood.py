"""Password-hash flood: how long a player's login takes while wrong passwords pour in.

Usage (from the repository root)::

    python bench/hashflood.py                    # 50 addresses x 5 connections, 3 rounds
    python bench/hashflood.py --addresses 20 --per-address 5 --rounds 5

It starts ``python -m mud serve`` as its own process on 127.0.0.1 (ephemeral ports, a
fresh database in a temporary folder, offline narrator) with the default password cost
and login throttles, makes one *owner* character and 13 others from 127.0.0.1, and
times the owner's login (connect, name, password, the room's "Exits:") alone. Then,
each round, ``--addresses`` loopback addresses (127.9.1.1, 127.9.2.1, ..., each in its
own /24, so the network cap does not stop them) open
``--per-address`` connections each at once, all typing one of the 13 names and a wrong
password (each address within its own budget of 5 a minute, the attempts spread over 13
accounts so no account's budget is reached: the griefer's attack), and half a second
later the owner logs in again from 127.0.0.1, the address it used before. Reported: the
owner's login alone and during each burst, and how long the burst's refusals took.

Invariants: only 127.0.0.0/8 is contacted; every wait has a deadline; the server is
always stopped.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import sys
import tempfile
import time
from pathlib import Path
from typing import BinaryIO

if __package__ in (None, ""):
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.common import HOST, MudProcess, clean_env, to_letters

CONFIG = (
    "# Written by bench/hashflood.py: the default password cost and throttles.\n"
    "providers: [offline]\n"
    "seed: 7\n"
    "limits:\n"
    "  new_per_ip: 1000\n"
    "  connect_burst: 1000\n"
    "telnet:\n"
    "  connect_maxwait: 0.2\n"
)
PASSWORD = b"owner-secret-42"
OWNER = "Maren"
ALTS = 13


async def _until(reader: asyncio.StreamReader, marker: bytes, seen: bytearray) -> None:
    while marker not in seen:
        chunk = await reader.read(4096)
        if not chunk:
            raise ConnectionError(f"closed before {marker!r}")
        seen += chunk


async def _create(port: int, name: str) -> None:
    reader, writer = await asyncio.open_connection(HOST, port)
    seen = bytearray()
    try:
        async with asyncio.timeout(60):
            await _until(reader, b"name?", seen)
            writer.write(name.encode() + b"\r\n")
            await _until(reader, b"(yes/no)", seen)
            writer.write(b"yes\r\n")
            await _until(reader, b"Password:", seen)
            writer.write(PASSWORD + b"\r\n")
            await _until(reader, b"Repeat", seen)
            writer.write(PASSWORD + b"\r\n")
            await _until(reader, b"class", seen)
            writer.write(b"1\r\n")
            await _until(reader, b"Exits:", seen)
            writer.write(b"quit\r\n")
            await _until(reader, b"Farewell", seen)
    finally:
        writer.close()


async def _login(port: int, name: str, password: bytes, local: str = HOST) -> float:
    """Seconds from connecting to the answer to the password; raises on a wrong one
    only when ``password`` is the owner's."""
    t0 = time.perf_counter()
    reader, writer = await asyncio.open_connection(HOST, port, local_addr=(local, 0))
    seen = bytearray()
    try:
        async with asyncio.timeout(120):
            await _until(reader, b"name?", seen)
            writer.write(name.encode() + b"\r\n")
            await _until(reader, b"Password:", seen)
            writer.write(password + b"\r\n")
            if password == PASSWORD:
                await _until(reader, b"Exits:", seen)
                writer.write(b"quit\r\n")
                with contextlib.suppress(ConnectionError):
                    await _until(reader, b"Farewell", seen)
            else:
                with contextlib.suppress(ConnectionError):
                    await _until(reader, b"Wrong password", seen)
        return time.perf_counter() - t0
    finally:
        writer.close()


async def _run(args: argparse.Namespace, tmp: Path, log: BinaryIO) -> None:
    server = MudProcess(tmp, CONFIG, clean_env({}), log)
    port = await server.start()
    try:
        await _create(port, OWNER)
        alts = [f"Alt{to_letters(i, 3)}" for i in range(ALTS)]
        for alt in alts:
            await _create(port, alt)
        alone = [await _login(port, OWNER, PASSWORD) for _ in range(3)]
        print("owner login alone: " + ", ".join(f"{s:.2f} s" for s in alone), flush=True)
        for r in range(args.rounds):
            flood = [
                _login(
                    port,
                    alts[(a * args.per_address + c) % ALTS],
                    b"wrong-guess",
                    f"127.9.{a + 1}.1",  # each in its own /24: past the network cap
                )
                for a in range(args.addresses)
                for c in range(args.per_address)
            ]
            t0 = time.perf_counter()
            burst = asyncio.gather(*flood, return_exceptions=True)
            await asyncio.sleep(0.5)
            owner = await _login(port, OWNER, PASSWORD)
            done = await burst
            took = time.perf_counter() - t0
            failed = sum(isinstance(d, BaseException) for d in done)
            print(
                f"round {r + 1}: owner login {owner:.2f} s during {len(flood)} wrong"
                f" passwords (all answered in {took:.1f} s, {failed} connections failed)",
                flush=True,
            )
            if r + 1 < args.rounds:
                await asyncio.sleep(61)  # every address's budget refills
    finally:
        await server.stop()


def main() -> None:
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("--addresses", type=int, default=50)
    p.add_argument("--per-address", type=int, default=5)
    p.add_argument("--rounds", type=int, default=3)
    args = p.parse_args()
    with (
        tempfile.TemporaryDirectory(prefix="mud-hashflood-") as tmp,
        open(Path(tmp) / "server.log", "wb") as log,
    ):
        asyncio.run(_run(args, Path(tmp), log))


if __name__ == "__main__":
    main()
