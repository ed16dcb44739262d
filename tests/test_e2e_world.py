"""End to end over loopback: real telnetlib3 clients against the real server."""

from __future__ import annotations

from pathlib import Path

from mudclient import (
    TelnetPlayer,
    alice_and_bob,
    login_existing,
    login_new,
    make_config,
    running_server,
    without_prompts,
)


async def test_two_players_see_say_emote_and_movement(tmp_path: Path) -> None:
    async with running_server(make_config(tmp_path)) as srv:
        alice, bob = await alice_and_bob(srv.telnet_port)

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


async def test_display_preferences_change_what_the_player_sees_and_persist(tmp_path: Path) -> None:
    config = make_config(tmp_path)
    async with running_server(config) as srv:
        alice = await TelnetPlayer.connect(srv.telnet_port)
        await login_new(alice, "Alice")
        assert "\x1b[" in alice.seen and "┌" in alice.seen  # colour and boxes by default
        alice.send("colour off")
        await alice.expect("Colour is now off")
        mark = len(alice.seen)
        alice.send("look")
        await alice.expect("Exits:")
        assert "\x1b[" not in alice.seen[mark:]
        alice.send("screenreader on")
        await alice.expect("Screen reader mode is now on")
        mark = len(alice.seen)
        alice.send("look")
        await alice.expect("Exits:")
        assert "┌" not in alice.seen[mark:] and "\x1b[" not in alice.seen[mark:]
        alice.send("width 30")
        await alice.expect("Width set to 30")
        alice.send("look")
        view = await alice.expect(r"Exits:[^\r\n]*")
        lines = [ln for ln in without_prompts(view).splitlines() if ln.strip()]
        assert lines and max(len(ln) for ln in lines[1:]) <= 30
        alice.send("quit")
        await alice.closed()
    async with running_server(config) as srv:
        alice = await TelnetPlayer.connect(srv.telnet_port)
        await login_existing(alice, "Alice")
        mark = len(alice.seen)
        alice.send("look")
        await alice.expect("Exits:")
        assert "\x1b[" not in alice.seen[mark:] and "┌" not in alice.seen[mark:]
        await alice.close()


async def test_a_line_of_two_things_done_is_both_for_the_doer_and_the_room(
    tmp_path: Path,
) -> None:
    # Played in the Drowned Lantern: "order an ale and drink it" was narrated as a deed
    # and neither was done. The hub runs the second part once the first is carried out.
    async with running_server(make_config(tmp_path)) as srv:
        alice, bob = await alice_and_bob(srv.telnet_port)
        alice.send("order an ale and drink it")
        await alice.expect(r"You buy a mug of marsh ale for 1 gold\.[\s\S]*You drink the mug")
        await bob.expect(r"Alice buys a mug of marsh ale\.[\s\S]*Alice drinks the mug")
        alice.send("sit by the fire and look")
        seen = await alice.expect(r"You sit down by the fire\.[\s\S]*You are sitting by the fire\.")
        assert "Exits:" in seen
        await bob.expect("Alice sits down by the fire.")
        # "it" on the next line is what the line before named: Bram's "eat it" after
        # "order stew" read "You are not carrying 'it'.".
        alice.send("order stew")
        await alice.expect(r"You buy a bowl of eel stew for 1 gold\.")
        alice.send("eat it")
        await alice.expect(r"You eat the bowl of eel stew\.")
        await bob.expect(r"Alice eats the bowl of eel stew\.")
        await alice.close()
        await bob.close()
