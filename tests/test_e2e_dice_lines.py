"""The README's dice examples through the real server: the roller and the room see the
whole line, whichever die was dropped (issue 8, "Dice lines cut short")."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from mudclient import SshPlayer, TelnetPlayer, login_new, make_config, running_server

# Every die shown, dropped ones in parentheses, then the total.
_DICE = r"\[(?:\(?\d+\)?, )*\(?\d+\)?\]"


@pytest.mark.parametrize(
    ("command", "mine", "theirs"),
    [
        (
            "roll 4d6kh3",
            rf"You roll: 4d6kh3: {_DICE} = \d+",
            rf"Roller rolls: 4d6kh3: {_DICE} = \d+",
        ),
        (
            "roll 2d20kl1 sneaking",
            rf"You roll for sneaking: 2d20kl1: {_DICE} = \d+",
            rf"Roller rolls for sneaking: 2d20kl1: {_DICE} = \d+",
        ),
        (
            "roll 2d6+3",
            rf"You roll: 2d6\+3: {_DICE} \+3 = \d+",
            rf"Roller rolls: 2d6\+3: {_DICE} \+3 = \d+",
        ),
        (
            "roll 1d8+1d6+2 for the bridge",
            rf"You roll for the bridge: 1d8\+1d6\+2: {_DICE} \+ {_DICE} \+2 = \d+",
            rf"Roller rolls for the bridge: 1d8\+1d6\+2: {_DICE} \+ {_DICE} \+2 = \d+",
        ),
    ],
)
async def test_roll_lines_are_whole_for_roller_and_room(
    tmp_path: Path, command: str, mine: str, theirs: str
) -> None:
    async with running_server(make_config(tmp_path)) as server:
        roller = await TelnetPlayer.connect(server.telnet_port)
        await login_new(roller, "Roller")
        other = await SshPlayer.connect(server.ssh_port, term=None)
        await login_new(other, "Watcher")
        # Several rolls, so that dropped dice land in every position at least once.
        for _ in range(8):
            roller.send(command)
            mine_line = await roller.expect(mine + r"\r?\n")
            theirs_line = await other.expect(theirs + r"\r?\n")
            assert re.search(r"= \d+", mine_line) and re.search(r"= \d+", theirs_line)
        await roller.close()
        await other.close()
