"""What a ``kill -9`` of the game, or of the NATS server, costs players in split mode.

Usage (from the repository root)::

    python bench/split_kill.py --kills 20 --players 10
    python bench/split_kill.py --target nats --kills 10 --players 100 --say-every 5

Starts NATS, ``mud game`` and one ``mud gateway`` on 127.0.0.1 (bench/common.py's
``SplitProcess``), logs ``--players`` telnet players into the start room, and has each
say a unique token every ``--say-every`` seconds throughout. ``--kills`` times, after
``--settle`` seconds of play, it kills the ``--target`` with SIGKILL and starts it again
at once (what a supervisor such as systemd's ``Restart=always`` does; ``--down`` keeps
it down that long first), and times, for every player, how long from the kill until
the world answers that player again: "The world is back" on its screen (game), or the
echo of a token it said after the kill (NATS, whose short outage players may not be
told about at all).

Then it checks every token:

- **answered**: the speaker saw it said ("You say, '<token>'") or the gateway's answer
  ("... was done before the world paused" / "... was not done");
- **lost**: none of those, and no other player heard it (must be 0);
- **unseen by the speaker**: others heard it but its echo to the speaker was lost on
  the way (output in the NATS server when it died is not sent again);
- **applied twice**: another player heard it twice (must be 0);
- **contradicted**: the speaker was told "not done" but another player heard it (must
  be 0).

Only 127.0.0.1 is contacted; every wait has a deadline; the processes are always stopped.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import json
import re
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

if __package__ in (None, ""):
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.common import (
    HOST,
    ROOT,
    BenchError,
    SplitProcess,
    clean_env,
    server_config_yaml,
    summarize_ms,
)

RESULTS = ROOT / "bench" / "results"
IAC_SEQ = re.compile(rb"\xff[\xfb-\xfe].|\xff\xfa.*?\xff\xf0|\xff[\xf0-\xff]", re.S)
ANSI = re.compile(r"\x1b\[[0-9;?]*[A-Za-z]")


class Player:
    """A raw-socket telnet player: everything it was shown, as plain text."""

    def __init__(self, name: str) -> None:
        self.name = name
        self.text = ""
        self.reader: asyncio.StreamReader | None = None
        self.writer: asyncio.StreamWriter | None = None
        self._changed = asyncio.Event()
        self._pump: asyncio.Task[None] | None = None
        self.sent: list[str] = []

    async def connect(self, port: int) -> None:
        self.reader, self.writer = await asyncio.open_connection(HOST, port)
        self._pump = asyncio.create_task(self._read())

    async def _read(self) -> None:
        assert self.reader is not None
        while data := await self.reader.read(65536):
            self.text += ANSI.sub("", IAC_SEQ.sub(b"", data).decode("utf-8", "replace"))
            self._changed.set()

    async def wait_for(self, pattern: str, after: int = 0, deadline: float = 30.0) -> int:
        """Wait until ``pattern`` appears in the text after offset ``after``; returns
        the offset after the match. Raises BenchError at the deadline."""
        regex = re.compile(pattern)
        try:
            async with asyncio.timeout(deadline):
                while True:
                    match = regex.search(self.text, after)
                    if match:
                        return match.end()
                    self._changed.clear()
                    await self._changed.wait()
        except TimeoutError as exc:
            raise BenchError(f"{self.name}: no {pattern!r} within {deadline} s") from exc

    async def wait_said_after(self, counter: int, after: int, deadline: float = 60.0) -> None:
        """Wait until the echo of one of this player's tokens numbered above
        ``counter`` appears after offset ``after``. Raises BenchError at the deadline."""
        regex = re.compile(rf"You say, 'tok{self.name.lower()}x(\d+)'")
        try:
            async with asyncio.timeout(deadline):
                while not any(int(m[1]) > counter for m in regex.finditer(self.text, after)):
                    self._changed.clear()
                    await self._changed.wait()
        except TimeoutError as exc:
            tail = self.text[max(after, len(self.text) - 400) :]
            raise BenchError(
                f"{self.name}: no echo within {deadline} s; its screen since: {tail!r}"
            ) from exc

    def send(self, line: str) -> None:
        assert self.writer is not None
        self.writer.write(line.encode() + b"\r\n")

    def close(self) -> None:
        if self.writer is not None:
            self.writer.close()
        if self._pump is not None:
            self._pump.cancel()


async def login(player: Player, port: int) -> None:
    await player.connect(port)
    at = await player.wait_for("What is your name")
    player.send(player.name)
    at = await player.wait_for(r"\(yes/no\)", at)
    player.send("yes")
    at = await player.wait_for("Password:", at)
    player.send("bench-pass-1")
    at = await player.wait_for("Repeat", at)
    player.send("bench-pass-1")
    at = await player.wait_for("Exits:|Your class:", at)
    # Which of the two matched, not what the screen ends with: more may have arrived
    # before this task ran (a look at the tail missed the class prompt under load, and
    # the player then said everything to the class prompt).
    if player.text[:at].endswith("Your class:"):
        player.send("fighter")
        await player.wait_for("Exits:", at)


async def talker(player: Player, every: float, stop: asyncio.Event, counter: list[int]) -> None:
    while not stop.is_set():
        counter[0] += 1
        token = f"tok{player.name.lower()}x{counter[0]}"
        player.sent.append(token)
        player.send(f"say {token}")
        with contextlib.suppress(TimeoutError):
            async with asyncio.timeout(every):
                await stop.wait()


# A player coming back is shown the room's last lines again ("Recently said here:"):
# a reminder, not a second saying, so it is not counted.
RECAP = re.compile(r"Recently said here:\r?\n(?:[^\n]* says, '[^\n]*'\r?\n)*")


def audit(players: list[Player]) -> dict[str, Any]:
    lost = unseen = applied_twice = contradicted = not_done = done_before = 0
    for p in players:
        p.text = RECAP.sub("", p.text)
    for speaker in players:
        for token in speaker.sent:
            said = f"You say, '{token}'" in speaker.text
            before = f'"say {token}" was done before' in speaker.text
            told_not = f'"say {token}" was not done' in speaker.text
            heard = [p.text.count(f"says, '{token}'") for p in players if p is not speaker]
            if not (said or before or told_not):
                if any(heard):
                    unseen += 1
                else:
                    lost += 1
            if any(n > 1 for n in heard) or speaker.text.count(f"You say, '{token}'") > 1:
                applied_twice += 1
            if told_not and any(heard):
                contradicted += 1
            not_done += told_not
            done_before += before
    return {
        "tokens": sum(len(p.sent) for p in players),
        "lost": lost,
        "unseen_by_speaker": unseen,
        "applied_twice": applied_twice,
        "contradicted": contradicted,
        "answered_not_done": not_done,
        "answered_done_before": done_before,
    }


async def run(args: argparse.Namespace, server: SplitProcess) -> dict[str, Any]:
    letters = "abcdefghijklmnopqrstuvwxyz"
    players = [Player(f"Kb{letters[i // 26]}{letters[i % 26]}") for i in range(args.players)]
    stop = asyncio.Event()
    counter = [0]
    back: list[float] = []
    try:
        port = await server.start()
        for group in range(0, len(players), 20):
            await asyncio.gather(*(login(p, port) for p in players[group : group + 20]))
        talkers = [asyncio.create_task(talker(p, args.say_every, stop, counter)) for p in players]
        for kill in range(args.kills):
            await asyncio.sleep(args.settle)
            marks = [len(p.text) for p in players]
            said = counter[0]
            t0 = time.perf_counter()
            if args.target == "game":
                await server.kill_game()
                await asyncio.sleep(args.down)
                await server.start_game()
            else:
                await server.kill_nats()
                await asyncio.sleep(args.down)
                await server.start_nats()
            pairs = zip(players, marks, strict=True)
            if args.target == "game":
                waits = [p.wait_for("The world is back", at, 60) for p, at in pairs]
            else:
                waits = [p.wait_said_after(said, at, 60) for p, at in pairs]
            for fut in asyncio.as_completed(waits):
                await fut
                back.append(time.perf_counter() - t0)
            print(f"kill {kill + 1}/{args.kills}: all back in {back[-1]:.2f} s", flush=True)
        await asyncio.sleep(args.settle)
        stop.set()
        await asyncio.gather(*talkers)
        await asyncio.sleep(3.0)  # the last lines' answers
        result = audit(players)
    finally:
        for p in players:
            p.close()
        await server.stop()
    result["back_ms"] = summarize_ms(back)
    return result


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="kill -9 of the game or NATS in split mode")
    parser.add_argument("--target", choices=["game", "nats"], default="game")
    parser.add_argument("--kills", type=int, default=20)
    parser.add_argument("--players", type=int, default=10)
    parser.add_argument("--settle", type=float, default=3.0, help="play between kills (s)")
    parser.add_argument("--say-every", type=float, default=0.5, help="each player's pace (s)")
    parser.add_argument("--down", type=float, default=0.0, help="time the target stays down (s)")
    args = parser.parse_args(argv)
    RESULTS.mkdir(parents=True, exist_ok=True)
    stamp = time.strftime("%Y%m%d-%H%M%S")
    log_path = RESULTS / f"split-kill-{stamp}.log"
    try:
        with tempfile.TemporaryDirectory(prefix="mud-kill-") as tmp, log_path.open("wb") as log:
            server = SplitProcess(Path(tmp), server_config_yaml(), clean_env({}), log)
            result = asyncio.run(run(args, server))
    except BenchError as exc:
        print(f"bench: {exc}", file=sys.stderr)
        return 1
    out = RESULTS / f"split-kill-{stamp}.json"
    out.write_text(json.dumps({"args": vars(args), **result}, indent=2) + "\n", encoding="utf-8")
    b = result["back_ms"]
    print(
        f"{args.kills} kills of {args.target}, {args.players} players: back on every screen "
        f"p50 {b.get('p50')} p99 {b.get('p99')} max {b.get('max')} ms; {result['tokens']} "
        f"lines: lost {result['lost']}, unseen by the speaker {result['unseen_by_speaker']}, "
        f"applied twice {result['applied_twice']}, contradicted "
        f"{result['contradicted']} (answered not done {result['answered_not_done']}, "
        f"done before the pause {result['answered_done_before']})"
    )
    print(f"json {out}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
