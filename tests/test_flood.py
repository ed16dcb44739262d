"""A connection closed for flooding costs the hub one decision, not one per line.

Played by a griefer (raw sockets, no account): 60 KB of ``a\\r\\n`` a burst put 8,000
lines in the hub's inbox before the door learned the connection was closed; each logged
"flooding; dropping" and closed it again (22 MB of log in 20 s from one address), and
the players' ``look`` took half a second while it lasted.
"""

from __future__ import annotations

import logging

import pytest
from hubrig import Rig

from mud.core.events import LineIn


async def test_the_lines_a_flooder_sent_after_its_cut_off_are_dropped_unread(
    rig: Rig, caplog: pytest.LogCaptureFixture
) -> None:
    ann = await rig.create("Ann")
    flooder = await rig.connect(peer="10.9.9.9")
    closes: list[object] = []
    close = flooder.close

    def counted(farewell: object = None) -> None:
        closes.append(farewell)
        close(farewell)  # type: ignore[arg-type]

    flooder.close = counted  # type: ignore[method-assign]
    with caplog.at_level(logging.INFO, logger="mud.hub"):
        for _ in range(2000):
            await rig.hub.post(LineIn(conn=flooder.conn, text="a"))
        await flooder.wait_closed()
        await rig.line(ann, "look")
        await ann.expect("Exits:")
    flooding = [r for r in caplog.records if "flooding" in r.getMessage()]
    assert len(flooding) == 1
    assert len(closes) == 1
    assert "You are sending too fast. Goodbye." in flooder.text
    assert flooder.text.count("You are sending too fast") == 1


async def test_a_character_cut_off_for_flooding_is_kept_out_a_while(rig: Rig) -> None:
    # Played by a griefer: log in, 60 ooc lines in one write, cut off, log in again at
    # once: seven times in 20 s, 280 lines on every screen.
    await rig.create("Ann")
    altff = await rig.create("Altff", peer="10.9.9.9")
    for n in range(200):
        await rig.hub.post(LineIn(conn=altff.conn, text=f"ooc spam {n}"))
    await altff.wait_closed()
    assert "This character may come back in 60 seconds." in altff.text
    again = await rig.connect(peer="10.9.9.9")
    await rig.line(again, "Altff")
    await again.expect(
        r"Altff was disconnected for sending too fast, and may come back in 60\s+seconds\."
    )
    await again.expect("What is your name")
    # The wait is longer than the rig's login deadline: come back on a new connection.
    rig.clock.advance(61.0)
    await again.wait_closed()
    again = await rig.connect(peer="10.9.9.9")
    await rig.line(again, "Altff")
    await again.expect("Password:")
    await rig.line(again, "secret-pass")
    await again.expect("Exits:")
    # Cut off again within the hour: twice as long.
    for n in range(200):
        await rig.hub.post(LineIn(conn=again.conn, text=f"ooc spam {n}"))
    await again.wait_closed()
    assert "This character may come back in 120 seconds." in again.text


async def test_a_flood_after_typing_anothers_name_keeps_no_one_out(rig: Rig) -> None:
    # A griefer who types his victim's name at the prompt and then floods must not
    # lock her out: only a character logged in on the flooding connection is benched.
    await rig.create("Ann")
    flooder = await rig.connect(peer="10.9.9.9")
    await rig.line(flooder, "Ann")
    await flooder.expect("Password:")
    for n in range(200):
        await rig.hub.post(LineIn(conn=flooder.conn, text=f"guess {n}"))
    await flooder.wait_closed()
    assert "may come back" not in flooder.text
    ann = await rig.login("Ann", peer="10.0.0.1")
    await ann.expect("Exits:|Reconnected", timeout=5)
