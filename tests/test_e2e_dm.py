"""The Dungeon Master end to end: real telnet clients, the real server, and a real
OpenAI-compatible HTTP server on 127.0.0.1 driven through the official ``openai`` SDK."""

from __future__ import annotations

from pathlib import Path

from fake_openai import FakeOpenAI, Fault
from mudclient import TelnetPlayer, alice_and_bob, login_new, make_config, running_server

from mud.config import Config

SENTENCE = (
    "Ember ",
    "light ",
    "spills ",
    "across ",
    "the ",
    "flagstones ",
    "as ",
    "the ",
    "stone ",
    "gives ",
    "way.",
)
UNIQUE = ("A ", "moth ", "of ", "ash ", "rises ", "from ", "the ", "cracked ", "hearthstone.")
UNIQUE_SEEN = r"A\s+moth\s+of\s+ash\s+rises\s+from\s+the\s+cracked\s+hearthstone\."
SEEN = r"Ember\s+light\s+spills\s+across\s+the\s+flagstones\s+as\s+the\s+stone\s+gives\s+way\."


def _config(tmp_path: Path, srv: FakeOpenAI, **dm: object) -> Config:
    return make_config(
        tmp_path, llm=srv, dm=dm, timeouts={"first_token": 3.0, "chunk_gap": 2.0, "total": 10.0}
    )


async def test_two_players_receive_the_same_streamed_narration(tmp_path: Path) -> None:
    async with FakeOpenAI(default=Fault("text", tokens=SENTENCE)) as fake:
        async with running_server(_config(tmp_path, fake)) as srv:
            alice, bob = await alice_and_bob(srv.telnet_port)
            # Both opening narrations have been asked for; script the next answer.
            await fake.wait_requests(2)
            before = len(fake.requests)
            fake.script(Fault("text", tokens=UNIQUE))
            alice.send("I pry the loose stone from the hearth")
            await alice.expect(UNIQUE_SEEN)
            await bob.expect(UNIQUE_SEEN)
            await fake.wait_requests(before + 1)
            body = fake.requests[-1]
            prompt = "\n".join(m["content"] for m in body["messages"])
            # The player's words reach the model quoted as untrusted speech.
            assert "I pry the loose stone from the hearth" in prompt
            assert body["stream"] is True
            for player in (alice, bob):
                assert "\x1b]" not in player.seen
            await alice.close()
            await bob.close()


async def test_provider_dies_mid_stream_and_the_narration_still_completes(tmp_path: Path) -> None:
    # Words of the tavern's own (its fire): since round 51 its colour is an inn's, and
    # "The reeds part" there named nothing of the room, and was held back unshown.
    cut = Fault(
        "cut", tokens=("The ", "fire ", "gutters ", "and ", "a ", "cold ", "wind "), after=3
    )
    async with FakeOpenAI(default=cut) as fake:
        async with running_server(_config(tmp_path, fake)) as srv:
            alice = await TelnetPlayer.connect(srv.telnet_port)
            await login_new(alice, "Alice")
            alice.send("I listen at the door")
            # The first words came from the provider before it died; the offline
            # narrator then closes the scene and the prompt returns.
            text = await alice.expect(r"The\s+fire\s+gutters[\s\S]*?>", timeout=15)
            assert len(text.split("The fire gutters", 1)[1].strip(" >\r\n")) > 10
            await alice.close()


async def test_player_over_budget_gets_offline_narration_and_a_notice(tmp_path: Path) -> None:
    async with FakeOpenAI(default=Fault("text", tokens=SENTENCE)) as fake:
        config = _config(tmp_path, fake, actor_token_limit=5)
        async with running_server(config) as srv:
            alice = await TelnetPlayer.connect(srv.telnet_port)
            await login_new(alice, "Alice")
            alice.send("I search the shelves")
            await alice.expect("reached your narration allowance", timeout=10)
            alice.send("tokens")
            await alice.expect(r"tokens used")
            assert not fake.requests, "a player over budget must not cost a model call"
            await alice.close()
