"""Issue 11, the way it was found: two players over real telnet on the bundled campaign.

Alice unlocks the cellar trapdoor with the rusty key and Bob, who has no key, follows
her through it (before, he was told "The way down is locked."). An admin's reset puts the
world back: the trapdoor locked again, a rusty key on the mill loft floor, the bog rat
back in the tunnel. A third player, arriving after the first two took their maps, takes
the first quest's scrap of map too (before, the one scrap was gone for good).
"""

from __future__ import annotations

import asyncio
from pathlib import Path

from hubrig import path_to
from mudclient import TelnetPlayer, login_existing, login_new, make_config, running_server
from test_admin import amud
from test_doors_resets import write_keep
from test_replay_session import _whose_turn

from mud.config import Config
from mud.engine.state import DoorState
from mud.replay import load_events, replay

H = "hollowmere:"


async def _walk(player: TelnetPlayer, srv: object, who: str, goal: str) -> None:
    world = srv.hub.world  # type: ignore[attr-defined]
    for way in path_to(world, world.chars[who].room, goal):
        player.send(way)
        await player.expect("Exits:")
    assert world.chars[who].room == goal


def _floor(srv: object, room: str) -> list[str]:
    world = srv.hub.world  # type: ignore[attr-defined]
    return [world.items[i].template for i in world.items_in_room(H + room)]


async def test_a_party_shares_a_door_a_reset_restores_it_and_a_third_player_gets_a_map(
    tmp_path: Path,
) -> None:
    config = make_config(tmp_path, limits={"admin_refresh": 0.2})
    async with running_server(config) as srv:
        alice = await TelnetPlayer.connect(srv.telnet_port)
        await login_new(alice, "Alice")
        # Made an admin on the server's machine (nobody is one over the network).
        code, _, err = await amud("admin", "grant", "alice", "--db", config.db)
        assert code == 0, err
        await alice.expect("You are now an admin")
        bob = await TelnetPlayer.connect(srv.telnet_port)
        await login_new(bob, "Bob", cls="rogue")

        # Both take the first quest's map: each their own.
        for player in (alice, bob):
            for way in ("up", "east"):
                player.send(way)
                await player.expect("Exits:")
            player.send("get map")
            await player.expect("You pick up a scrap of map")
        assert _floor(srv, "guest_room") == [H + "map_scrap"]

        # Alice fetches the rusty key from the mill loft; Bob waits in the cellar.
        await _walk(alice, srv, "alice", H + "mill_loft")
        alice.send("get rusty key")
        await alice.expect("You pick up a rusty key")
        await _walk(bob, srv, "bob", H + "cellar")
        bob.send("down")
        await bob.expect("The trapdoor is closed. It is locked.")
        await _walk(alice, srv, "alice", H + "cellar")

        alice.send("unlock trapdoor")
        await alice.expect("You unlock the trapdoor with the rusty key.")
        await bob.expect("Alice unlocks the trapdoor.")
        bob.send("open trapdoor")  # unlocked is unlocked for Bob too
        await bob.expect("You open the trapdoor.")
        await alice.expect("Bob opens the trapdoor.")
        for player in (alice, bob):
            player.send("down")
            await player.expect("Smugglers' Tunnel")
        world = srv.hub.world
        assert world.chars["alice"].room == world.chars["bob"].room == H + "smugglers_tunnel"

        # The bog rat below attacks; the two of them see it off.
        players = {"Alice": alice, "Bob": bob}
        for _ in range(40):
            name = await _whose_turn(players, "bog rat is defeated")
            if not name:
                break
            players[name].send("attack rat")
        assert not world.npcs[H + "bog_rat"].alive
        for player in (alice, bob):
            player.send("up")
            await player.expect("The Lantern Cellar")

        # The admin resets everything: the rooms hear it, and the world is as built.
        alice.send("reset all")
        await alice.expect("Reset: ")
        await bob.expect("Somewhere a door swings shut")
        bob.send("down")
        # Locked again; Alice, beside him, still carries her key.
        await bob.expect("The trapdoor is locked. Alice has the rusty key.")
        assert world.npcs[H + "bog_rat"].alive
        assert _floor(srv, "mill_loft") == [H + "rusty_key"]
        assert [world.items[i].template for i in world.chars["alice"].inventory].count(
            H + "rusty_key"
        ) == 1

        # A third player, after the first two took their maps, takes one too.
        carol = await TelnetPlayer.connect(srv.telnet_port)
        await login_new(carol, "Carol")
        for way in ("up", "east"):
            carol.send(way)
            await carol.expect("Exits:")
        carol.send("get map")
        await carol.expect("You pick up a scrap of map")
        await carol.expect("Edda kept her notes")  # the quest goes on to its next step
        await asyncio.gather(*(p.close() for p in (alice, bob, carol)))


#: Alice, in the keep's hall, takes the key and goes down through the trapdoor.
_DOWN_TO_THE_VAULT = (
    ("get key", "You pick up an iron key"),
    ("unlock trapdoor", "You unlock the trapdoor"),
    ("open trapdoor", "You open the trapdoor"),
    ("down", "Vault"),
)


def _keep(tmp_path: Path, reset: str) -> Config:
    """A server's config for the keep (``test_doors_resets``) alone, with ``reset``."""
    pack_yaml = (
        f"id: keep\nname: The Keep\nversion: '1'\ndescription: x\nstart: hall\nreset: {reset}\n"
    )
    pack = write_keep(tmp_path / "packs", pack=pack_yaml)
    return make_config(tmp_path, content=(str(pack),))


async def _answered(player: TelnetPlayer, lines: tuple[tuple[str, str], ...]) -> None:
    """Send each line and wait for its answer, in order."""
    for line, answer in lines:
        player.send(line)
        await player.expect(answer)


async def test_a_scheduled_reset_is_recorded_and_replays_identically(tmp_path: Path) -> None:
    config = _keep(tmp_path, "{every: 1, message: The keep settles.}")
    async with running_server(config) as srv:
        alice = await TelnetPlayer.connect(srv.telnet_port)
        await login_new(alice, "Alice", cls="rogue")
        await _answered(alice, _DOWN_TO_THE_VAULT)
        world = srv.hub.world
        # The upper area is empty now: within a tick or two of its second, it resets.
        async with asyncio.timeout(10):
            while "keep:key" not in [world.items[i].template for i in world.floor["keep:hall"]]:
                await asyncio.sleep(0.05)
        ex = world.room("keep:vault").exit("up")
        assert ex is not None and ex.door is not None
        # Not shut on her: she stands just below it (played in Hollowmere: "The trapdoor
        # shuts and a lock clicks." met two players who had just gone down).
        assert world.door(ex.door) == DoorState(closed=False, locked=False)
        alice.send("up")
        await alice.expect("Great Hall")
        assert "shuts" not in alice.seen
        alice.send("quit")
        await alice.closed()
    events = await load_events(config.db)
    assert "reset" in {e.kind for e in events}
    result = await replay(events)
    assert result.ok, result.first


async def test_litter_is_tidied_after_a_whole_reset_and_a_restart_replays_identically(
    tmp_path: Path,
) -> None:
    # The gem Alice carries out of the vault and drops in the yard lies through one
    # reset of the keep and goes at the next. A restart between the two forgets that the
    # first saw it (as it forgets the second-hand shelves), and the replay must too.
    config = _keep(tmp_path, "{every: 3}")
    async with running_server(config) as srv:
        alice = await TelnetPlayer.connect(srv.telnet_port)
        await login_new(alice, "Alice", cls="rogue")
        await _answered(alice, _DOWN_TO_THE_VAULT)
        await _answered(
            alice,
            (
                ("get gem", "You pick up a red gem"),
                ("up", "Great Hall"),
                ("east", "Yard"),
                ("drop gem", "You drop a red gem"),
                ("west", "Great Hall"),
                ("down", "Vault"),
            ),
        )
        world = srv.hub.world
        async with asyncio.timeout(10):
            while not world.strays:  # the keep's first reset with Alice below
                await asyncio.sleep(0.05)
        assert [world.items[i].template for i in world.strays] == ["keep:gem"]
        alice.send("quit")
        await alice.closed()
    async with running_server(config) as srv:
        alice = await TelnetPlayer.connect(srv.telnet_port)
        await login_existing(alice, "Alice")
        world = srv.hub.world
        assert world.strays == {}
        async with asyncio.timeout(15):
            while "keep:gem" in [world.items[i].template for i in world.floor["keep:yard"]]:
                await asyncio.sleep(0.05)
        alice.send("quit")
        await alice.closed()
    events = await load_events(config.db)
    assert [e.kind for e in events].count("start") == 2
    result = await replay(events)
    assert result.ok, result.first
