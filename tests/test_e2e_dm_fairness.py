"""One player's spam must not cost another player a narration (issue 15 item 7), through
the real server: real telnet clients, a slow OpenAI-compatible provider on 127.0.0.1.

The audit's scenario, scaled down in time: the provider takes a while to its first
token, one player acts every 0.6 s while another player, in another room, acts every
few seconds. Every action of the second player that the game accepted must end in a
narration on their screen or a notice saying why not."""

from __future__ import annotations

import asyncio
import contextlib
import re
from pathlib import Path

from fake_openai import FakeOpenAI, Fault
from mudclient import TelnetPlayer, login_new, make_config, plain, running_server

TOKENS = ("Dust ", "sifts ", "down ", "from ", "the ", "old ", "beams.")
NARRATED = r"Dust\s+sifts\s+down\s+from\s+the\s+old\s+beams\."
# A notice the hub shows instead of a narration: a rejection (warn style, from the DM's
# queue) or a [DM] notice (budget, provider trouble).
NOTICE = r"\[DM\]|Dungeon Master (is|cannot|has)|too (busy|many)|try again"
FIRST_TOKEN_DELAY = 1.5  # the audit's provider took 3 s
SPAM_EVERY = 0.6
QUIET_EVERY = 3.0  # the audit's second player acted every 15 s
QUIET_ACTIONS = 6


async def test_a_spammer_does_not_cost_another_player_a_narration(tmp_path: Path) -> None:
    slow = Fault("slow_first", delay=FIRST_TOKEN_DELAY, tokens=TOKENS)
    async with FakeOpenAI(default=slow) as fake:
        config = make_config(
            tmp_path,
            llm=fake,
            timeouts={"first_token": 5.0, "chunk_gap": 3.0, "total": 15.0},
            limits={"flood_burst": 500, "flood_rate": 50.0},
        )
        async with running_server(config) as srv:
            spammer = await TelnetPlayer.connect(srv.telnet_port)
            await login_new(spammer, "Spammy")
            quiet = await TelnetPlayer.connect(srv.telnet_port)
            await login_new(quiet, "Quiet")
            quiet.send("south")
            await quiet.expect("Exits:")
            # Let whatever the arrival asked of the DM finish before counting.
            with contextlib.suppress(AssertionError):
                await quiet.expect(NARRATED, timeout=FIRST_TOKEN_DELAY + 3)

            stop = asyncio.Event()

            async def spam() -> int:
                sent = 0
                while not stop.is_set():
                    spammer.send(f"I rummage through the crates, attempt {sent}")
                    sent += 1
                    await asyncio.sleep(SPAM_EVERY)
                return sent

            async def drain_spammer() -> None:
                with contextlib.suppress(AssertionError, EOFError):
                    while True:
                        await spammer.expect(r"\S+", timeout=60)

            spamming = asyncio.create_task(spam())
            reading = asyncio.create_task(drain_spammer())
            answered: list[str] = []
            try:
                for i in range(QUIET_ACTIONS):
                    started = asyncio.get_running_loop().time()
                    quiet.send(f"I press my ear to the cold wall, try {i}")
                    seen = await quiet.expect(f"{NARRATED}|{NOTICE}", timeout=30)
                    answered.append("narration" if re.search(NARRATED, seen) else plain(seen))
                    left = QUIET_EVERY - (asyncio.get_running_loop().time() - started)
                    await asyncio.sleep(max(0.0, left))
            finally:
                stop.set()
                sent = await spamming
                reading.cancel()
                with contextlib.suppress(asyncio.CancelledError):
                    await reading
            assert len(answered) == QUIET_ACTIONS
            assert sent >= QUIET_ACTIONS * QUIET_EVERY / SPAM_EVERY - 2
            # Every one of the quiet player's actions reached the provider.
            prompts = ["\n".join(m["content"] for m in r["messages"]) for r in fake.requests]
            for i in range(QUIET_ACTIONS):
                words = f"I press my ear to the cold wall, try {i}"
                if answered[i] == "narration":
                    assert any(words in p for p in prompts), f"action {i} was never asked"
            await spammer.close()
            await quiet.close()
