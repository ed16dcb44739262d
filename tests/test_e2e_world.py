"""End to end over loopback: real telnetlib3 clients against the real server."""

from __future__ import annotations

from pathlib import Path

from mudclient import TelnetPlayer, login_existing, login_new, make_config, running_server


async def test_two_players_see_say_emote_and_movement(tmp_path: Path) -> None:
    async with running_server(make_config(tmp_path)) as srv:
        alice = await TelnetPlayer.connect(srv.telnet_port)
        await login_new(alice, "Alice")
        bob = await TelnetPlayer.connect(srv.telnet_port)
        await login_new(bob, "Bob")
        await alice.expect("Bob steps into view")

        alice.send("say hello there")
        await alice.expect("You say, 'hello there'")
        await bob.expect("Alice says, 'hello there'")

        bob.send(":waves cheerfully")
        await bob.expect("Bob waves cheerfully")
        await alice.expect("Bob waves cheerfully")

        alice.send("exits")
        await alice.expect(r"Leads to[\s\S]*south")
        alice.send("s")
        await bob.expect("Alice leaves south")
        await alice.expect("Exits:")
        alice.send("north")
        await bob.expect("Alice arrives from the south")
        await alice.close()
        await bob.close()


async def test_state_survives_restart(tmp_path: Path) -> None:
    config = make_config(tmp_path)
    async with running_server(config) as srv:
        alice = await TelnetPlayer.connect(srv.telnet_port)
        await login_new(alice, "Alice")
        alice.send("get all")
        taken = await alice.expect(r"You pick up .*\.")
        alice.send("say remember me")
        await alice.expect("You say, 'remember me'")
        await alice.close()
    async with running_server(config) as srv:
        alice = await TelnetPlayer.connect(srv.telnet_port)
        await login_existing(alice, "Alice")
        alice.send("inventory")
        carried = await alice.expect("You are carrying:[\\s\\S]*>")
        item = taken.split("You pick up ", 1)[1].rstrip(".").removeprefix("a ").removeprefix("an ")
        assert item in carried
        await alice.close()
