"""How many bytes MCCP2 saves on a long telnet session.

Starts the real server on loopback (offline narrator, temporary database), then plays
the same scripted session twice with a raw-socket telnet client: once refusing MCCP2,
once accepting it. The client creates a character, then walks, looks, talks and checks
its inventory for ``--rounds`` rounds, waiting for each prompt (IAC GA) before the next
command. It prints the bytes received on the wire and the decompressed size for both.

    python bench/mccp.py [--rounds 200]
"""

from __future__ import annotations

import argparse
import asyncio
import io
import re
import sys
import tempfile
import zlib
from pathlib import Path

# Runnable from a checkout without installing the package.
sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from mud.app import ServerHandle, run_server
from mud.config import Config

IAC, DONT, DO, WONT, WILL, SB, GA, SE = 255, 254, 253, 252, 251, 250, 249, 240
MCCP2, TTYPE, NAWS = 86, 24, 31
ANSI = re.compile(r"\x1b\[[0-9;?]*[A-Za-z]")
EXITS = re.compile(r"Exits?:\s*([^\r\n]*)")


class Client:
    """A minimal telnet client: sends its terminal type and size, accepts MCCP2 when
    ``compress``, refuses everything else (so prompts end with IAC GA)."""

    def __init__(self, compress: bool) -> None:
        self.compress = compress
        self.wire = 0
        self.plain = 0
        self.text = ""
        self.prompts = 0
        self._inflate: zlib._Decompress | None = None
        self._pending = b""
        self._data = asyncio.Event()
        self._reader: asyncio.StreamReader
        self._writer: asyncio.StreamWriter
        self.compressed = False

    async def run(self, port: int, script: list[str]) -> None:
        self._reader, self._writer = await asyncio.open_connection("127.0.0.1", port)
        reader_task = asyncio.create_task(self._read_all())
        try:
            await self._expect("What is your name")
            await self._command(script[0], wait="Create")
            await self._command("yes", wait="Password")
            await self._command("bench-password", wait="Repeat")
            await self._command("bench-password", wait="Exits:|Your class:")
            if self.text.rstrip().endswith("Your class: >"):
                await self._command("fighter", wait="Exits:")
            for line in script[1:]:
                if line == "<walk>":
                    line = self._next_exit()
                await self._command(line)
            self._writer.write(b"quit\r\n")
            await asyncio.wait_for(reader_task, 30)
        finally:
            reader_task.cancel()
            self._writer.close()

    def _next_exit(self) -> str:
        found = EXITS.findall(self.text)
        words = re.findall(r"[a-z]+", found[-1].lower()) if found else []
        return words[self.prompts % len(words)] if words else "look"

    async def _command(self, line: str, wait: str | None = None) -> None:
        before = self.prompts
        self._writer.write(line.encode() + b"\r\n")
        if wait is not None:
            await self._expect(wait)
        else:
            async with asyncio.timeout(30):
                while self.prompts <= before:
                    await self._wait_data()

    async def _expect(self, pattern: str) -> None:
        regex = re.compile(pattern)
        start = len(self.text)
        try:
            async with asyncio.timeout(30):
                while not regex.search(self.text, max(0, start - 40)):
                    await self._wait_data()
        except TimeoutError:
            raise TimeoutError(f"no {pattern!r} in {self.text[-300:]!r}") from None

    async def _wait_data(self) -> None:
        self._data.clear()
        await self._data.wait()

    async def _read_all(self) -> None:
        while chunk := await self._reader.read(65536):
            self.wire += len(chunk)
            self._feed(chunk)
            self._data.set()

    def _feed(self, chunk: bytes) -> None:
        if self._inflate is not None:
            chunk = self._inflate.decompress(chunk)
        self.plain += len(chunk)
        data = self._pending + chunk
        self._pending = b""
        out = bytearray()
        i = 0
        while i < len(data):
            byte = data[i]
            if byte != IAC:
                out.append(byte)
                i += 1
                continue
            if i + 2 >= len(data):
                self._pending = data[i:]
                break
            verb, opt = data[i + 1], data[i + 2]
            if verb == IAC:
                out.append(IAC)
                i += 2
            elif verb == WILL:
                yes = opt == MCCP2 and self.compress
                self._writer.write(bytes((IAC, DO if yes else DONT, opt)))
                i += 3
            elif verb == DO:
                self._writer.write(bytes((IAC, WILL if opt in (TTYPE, NAWS) else WONT, opt)))
                if opt == NAWS:
                    self._writer.write(bytes((IAC, SB, NAWS, 0, 80, 0, 24, IAC, SE)))
                i += 3
            elif verb in (WONT, DONT):
                i += 3
            elif verb == SB:
                end = data.find(bytes((IAC, SE)), i)
                if end < 0:
                    self._pending = data[i:]
                    break
                i = end + 2
                if opt == TTYPE:
                    self._writer.write(bytes((IAC, SB, TTYPE, 0)) + b"XTERM-256COLOR")
                    self._writer.write(bytes((IAC, SE)))
                if opt == MCCP2 and self.compress:
                    self.compressed = True
                    self._inflate = zlib.decompressobj()
                    self.text += ANSI.sub("", out.decode("utf-8", "replace"))
                    rest = data[i:]
                    self.plain -= len(rest)
                    self._feed(rest)
                    return
            else:
                if verb == GA:
                    self.prompts += 1
                i += 2
        self.text += ANSI.sub("", out.decode("utf-8", "replace"))
        if len(self.text) > 20_000:
            self.text = self.text[-10_000:]


def make_script(rounds: int) -> list[str]:
    script = ["Benchy"]
    chat = ["say the reeds are whispering again", "emote wrings out a sodden cloak"]
    for i in range(rounds):
        script += ["look", "<walk>", "exits", chat[i % 2], "inventory"]
        if i % 10 == 0:
            script.append("help")
    return script


def make_config(folder: Path) -> Config:
    return Config(
        host="127.0.0.1",
        telnet_port=0,
        ssh_port=0,
        web_port=None,
        db=str(folder / "bench.db"),
        host_keys=str(folder / "host_keys"),
        providers=("offline",),
        seed=7,
        limits={
            "hash_n": 16,
            "max_per_ip": 50,
            "new_per_ip": 100_000,
            "connect_burst": 1000,
            "flood_rate": 1000.0,
            "flood_burst": 1000.0,
        },
        telnet={"connect_maxwait": 0.5},
    )


async def main(rounds: int) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        ready: asyncio.Future[ServerHandle] = asyncio.get_running_loop().create_future()
        server = asyncio.create_task(
            run_server(make_config(Path(tmp)), out=io.StringIO(), ready=ready.set_result)
        )
        handle = await asyncio.wait_for(ready, 30)
        try:
            script = make_script(rounds)
            results = []
            for compress in (False, True):
                client = Client(compress)
                script[0] = "Benchy" if not compress else "Zippy"
                await client.run(handle.telnet_port, script)
                results.append(client)
        finally:
            handle.stop("bench finished")
            await asyncio.wait_for(server, 30)
    plain, packed = results
    print(f"scripted session: {len(script)} commands, {plain.prompts} prompts")
    print(f"without MCCP2: {plain.wire:>10,} bytes on the wire")
    print(
        f"with MCCP2:    {packed.wire:>10,} bytes on the wire "
        f"({packed.plain:,} after inflating; compression started: {packed.compressed})"
    )
    if plain.wire:
        print(f"saved:         {1 - packed.wire / plain.wire:>10.1%}")


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=200)
    asyncio.run(main(parser.parse_args().rounds))
