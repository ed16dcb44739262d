"""Hiding over real sockets: Odo (a rogue, telnet) hides and sneaks; Sable (a fighter,
SSH, outside his group) reads nothing of it until he speaks. The dice are the server's,
so each roll is tried again until it goes Odo's way (each try tells him which way)."""

from __future__ import annotations

import asyncio
from pathlib import Path

from mudclient import (
    SshPlayer,
    TelnetPlayer,
    login_existing,
    login_new,
    make_config,
    running_server,
)

HID = r"You slip out of sight\.|You look for somewhere out of sight"
WENT = r"You move without a sound\.|You are seen as you come in\."


async def _hide(odo: TelnetPlayer, sable: SshPlayer) -> int:
    """Odo hides (trying again until the dice allow); then Sable looks and sees no Odo.
    Returns how much Sable had read by then."""
    for _ in range(20):  # d20 + 5 against 10: three tries in four succeed
        odo.send("hide")
        if (await odo.expect(HID)).endswith("You slip out of sight."):
            break
    else:
        raise AssertionError("Odo never hid in 20 tries")
    return await _looks(sable)


async def _looks(sable: SshPlayer) -> int:
    """Sable looks and sees no Odo; returns how much Sable had read by then (the
    ``score`` after the look makes sure the whole view is read)."""
    sable.send("score")  # first, read what came before (the view she logged in to)
    await sable.expect(r"XP \d+")
    sable.send("look")
    sable.send("score")
    view = await sable.expect(r"Exits:[\s\S]*XP \d+")
    assert "Odo" not in view, view
    return len(sable.seen)


async def _odo_and_sable(telnet_port: int, ssh_port: int) -> tuple[TelnetPlayer, SshPlayer]:
    """Odo, a new rogue over telnet, and Sable, a new fighter over SSH, in the tavern."""
    odo = await TelnetPlayer.connect(telnet_port)
    await login_new(odo, "Odo", cls="rogue")
    sable = await SshPlayer.connect(ssh_port)
    await login_new(sable, "Sable", cls="fighter")
    await odo.expect("Sable steps into view")
    return odo, sable


async def test_a_hidden_rogue_is_out_of_sight_until_he_speaks(tmp_path: Path) -> None:
    async with running_server(make_config(tmp_path)) as srv:
        odo, sable = await _odo_and_sable(srv.telnet_port, srv.ssh_port)

        mark = await _hide(odo, sable)
        sable.send("look odo")
        await sable.expect(r"You see no 'odo' here\.")

        # He sneaks out to the crossroads: a new roll; Sable reads nothing of his going.
        for _ in range(20):
            odo.send("south")
            if (await odo.expect(WENT)).endswith("without a sound."):
                break
            # Seen coming in: back to the tavern, hide again, and try once more.
            odo.send("north")
            await odo.expect("Exits:")
            mark = await _hide(odo, sable)
        else:
            raise AssertionError("Odo never sneaked out in 20 tries")
        await odo.expect("Exits:")
        sable.send("south")
        await sable.expect(r"The Crossroads[\s\S]*?Exits:")
        # A question to the DM keeps him hidden, and its answer is his alone.
        told = sum(srv.hub.stats.narrations.values())
        odo.send("ask where did the cartographer go?")
        await odo.expect(r"You ask the DM")
        for _ in range(200):
            if sum(srv.hub.stats.narrations.values()) > told:
                break
            await asyncio.sleep(0.05)
        else:
            raise AssertionError("the DM never answered")
        await _looks(sable)
        since = sable.seen[mark:]
        assert "Odo" not in since, since  # not his leaving, his arriving nor his roll

        odo.send("say boo")
        await sable.expect(r"Odo steps out of the shadows\.\s+Odo says, 'boo'")
        await odo.expect(r"You step out of the shadows\.")
        await odo.close()
        await sable.close()


async def test_a_hidden_rogue_who_loses_his_link_is_not_given_away(tmp_path: Path) -> None:
    """The link-dead line ("Odo goes still, lost in thought") and the reconnection's
    ("Odo stirs and looks around") named a hidden player to the room."""
    async with running_server(make_config(tmp_path)) as srv:
        odo, sable = await _odo_and_sable(srv.telnet_port, srv.ssh_port)
        mark = await _hide(odo, sable)

        await odo.close()  # no quit: the connection drops, and Odo is link-dead
        for _ in range(100):
            if "odo" in srv.hub.world.linkdead:
                break
            await asyncio.sleep(0.05)
        else:
            raise AssertionError("Odo never went link-dead")
        odo = await TelnetPlayer.connect(srv.telnet_port)
        await login_existing(odo, "Odo")
        await odo.expect("You are hidden")  # his view says so
        await _looks(sable)
        since = sable.seen[mark:]
        assert "Odo" not in since, since
        await odo.close()
        await sable.close()
