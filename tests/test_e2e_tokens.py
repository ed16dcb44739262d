"""The ``tokens`` command through the real server agrees with the budget's behaviour
and with the README: a daily allowance (not "this session"), the player's own daily
share and the server's daily budget, each with its documented default (issue 8)."""

from __future__ import annotations

import re
from pathlib import Path

from fake_openai import FakeOpenAI, Fault
from mudclient import TelnetPlayer, login_new, make_config, running_server

from mud.dm.settings import DmSettings

README = Path(__file__).resolve().parent.parent / "README.md"
WORDS = ("Ember ", "light ", "spills ", "across ", "the ", "flagstones.")


async def test_tokens_reports_today_with_the_documented_caps(tmp_path: Path) -> None:
    defaults = DmSettings()
    async with FakeOpenAI(model="gpt-4o-mini", default=Fault("text", tokens=WORDS)) as fake:
        config = make_config(tmp_path, llm=fake)
        async with running_server(config) as srv:
            alice = await TelnetPlayer.connect(srv.telnet_port)
            await login_new(alice, "Alice")
            alice.send("I search the shelves")
            await alice.expect(r"Ember\s+light\s+spills")
            alice.send("tokens")
            used = await alice.expect(r"tokens used today: [\d,]+ of your daily [\d,]+")
            numbers = re.findall(r"[\d,]+", used.rsplit("today:", 1)[1])
            assert int(numbers[0].replace(",", "")) > 0
            assert int(numbers[1].replace(",", "")) == defaults.actor_token_limit
            share = await alice.expect(r"Your narration spend today: \$[\d.]+ of your \$\d+\.\d\d")
            assert share.endswith(f"${defaults.actor_daily_usd:.2f}")
            server = await alice.expect(r"server's narration spend today: \$[\d.]+ of \$\d+\.\d\d")
            assert server.endswith(f"${defaults.daily_budget_usd:.2f}")
            await alice.expect("midnight UTC")
            assert "this session" not in alice.seen
            await alice.close()


def test_readme_states_the_same_caps_and_period() -> None:
    defaults = DmSettings()
    text = " ".join(README.read_text(encoding="utf-8").split())
    assert (
        "token allowance per day (`MUD_PLAYER_TOKEN_LIMIT`, "
        f"default {defaults.actor_token_limit:,})" in text
    )
    assert (
        f"default {defaults.daily_budget_usd:.2f}; per player {defaults.actor_daily_usd:.2f}"
        in text
    )
