"""Players' reports to the operators: ``bug``, ``typo`` and ``idea`` (mud.engine.presence)
are kept in the chat log, shown at once to an admin in the game and to no one else (no
GMCP channel either), and listed by ``mud admin reports``; over real telnet and SSH
against the real server and database (tests/mudclient.py, tests/test_admin.py's amud)."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from hubrig import Rig
from mudclient import SshPlayer, TelnetPlayer, login_new, make_config, running_server
from test_admin import amud
from test_gmcp_state import channel, sync

from mud.engine.effects import LogChat, ToAll
from tests.enginerig import EngineRig


@pytest.mark.parametrize("kind", ["bug", "typo", "idea"])
def test_a_report_is_logged_by_its_kind_and_shown_to_admins_only(kind: str) -> None:
    rig = EngineRig()
    rig.player("ann", "mill_loft")
    effects = rig.run("ann", f"{kind}   the ladder   {{bad}}creaks{{/}}")
    assert LogChat(kind, "hollowmere:mill_loft", "Ann", None, "the ladder {bad}creaks{/}") in (
        effects
    )
    (shown,) = [e for e in effects if isinstance(e, ToAll)]
    assert shown.admins_only
    assert rig.seen("ann", effects) == [
        f"Thank you: your {kind} report is kept for those who run this world."
    ]


def test_suggest_is_an_idea_and_an_empty_report_is_refused() -> None:
    rig = EngineRig()
    rig.player("ann", "common_room")
    effects = rig.run("ann", "suggest a map command")
    assert [e.kind for e in effects if isinstance(e, LogChat)] == ["idea"]
    assert rig.seen("ann", rig.run("ann", "typo")) == [
        "Usage: typo <what to tell the people who run this world>"
    ]


async def test_no_channel_package_carries_a_report(rig: Rig) -> None:
    alice = await rig.create("Alice")
    bob = await rig.create("Bob")
    await sync(rig, bob)
    bob.packages.clear()
    await rig.line(alice, "bug the stew is cold")
    await alice.expect("your bug report is kept")
    await sync(rig, alice)
    await sync(rig, bob)
    assert channel(bob) == channel(alice) == []
    assert "stew is cold" not in bob.text


async def test_an_admin_sees_a_report_at_once_and_the_operator_lists_it(tmp_path: Path) -> None:
    config = make_config(tmp_path, limits={"admin_refresh": 0.2})
    async with running_server(config) as srv:
        warden = await TelnetPlayer.connect(srv.telnet_port)
        await login_new(warden, "Keeper")
        code, _, err = await amud("admin", "grant", "keeper", "--db", config.db)
        assert code == 0, err
        await warden.expect("You are now an admin")
        ann = await SshPlayer.connect(srv.ssh_port)
        await login_new(ann, "Ann")
        bob = await TelnetPlayer.connect(srv.telnet_port)
        await login_new(bob, "Bob")
        ann.send("typo the signpost says 'Hollowmeer'")
        await ann.expect("your typo report is kept")
        await warden.expect(
            r"\[typo\] Ann in The Drowned Lantern, Common Room: the signpost says 'Hollowmeer'"
        )
        bob.send("look")
        await bob.expect("Exits:")
        assert "Hollowmeer" not in bob.seen
        for player in (warden, ann, bob):
            await player.close()
    code, out, err = await amud("admin", "reports", "--db", config.db)
    assert code == 0, err
    assert re.search(r"typo +Ann ", out) and "the signpost says 'Hollowmeer'" in out
    assert "1 report(s) from players." in out
