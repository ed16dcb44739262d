"""Parsing and wording of the admin verbs (pure)."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from mud.engine.admin import (
    address_matches,
    ban_target,
    describe_duration,
    describe_remaining,
    parse_ban,
    parse_duration,
    parse_minutes,
)


def test_ban_arguments() -> None:
    assert parse_ban("Bob") == ("name", "bob", None, "no reason given")
    assert parse_ban("bob 2h spamming the square") == ("name", "bob", 7200.0, "spamming the square")
    assert parse_ban("10.0.0.7 perm bots") == ("addr", "10.0.0.7/32", None, "bots")
    assert parse_ban("10.1.2.3/16 7d") == ("addr", "10.1.0.0/16", 604800.0, "no reason given")
    assert parse_ban("::1 30m") == ("addr", "::1/128", 1800.0, "no reason given")
    # A reason that starts like a word, not a duration, is all reason.
    assert parse_ban("bob hates everyone") == ("name", "bob", None, "hates everyone")
    with pytest.raises(ValueError, match="Usage"):
        parse_ban("   ")
    with pytest.raises(ValueError, match="neither a player name"):
        parse_ban("bob!")
    with pytest.raises(ValueError, match="one second to ten years"):
        parse_ban("bob 0m")


def test_durations_and_their_wording() -> None:
    assert parse_duration("45s") == 45.0
    assert parse_duration("1.5h") == 5400.0
    assert parse_duration("soon") is None
    assert describe_duration(7200) == "2 hours"
    assert describe_duration(5400) == "90 minutes"
    assert describe_duration(86400) == "1 day"
    assert describe_duration(61) == "61 seconds"
    assert describe_remaining(3599) == "59 minutes"
    assert describe_remaining(0.2) == "1 second"
    assert parse_minutes("") == 0.0 and parse_minutes("2.5") == 2.5
    with pytest.raises(ValueError):
        parse_minutes("later")
    with pytest.raises(ValueError):
        parse_minutes("-1")


def test_addresses_match_networks() -> None:
    assert address_matches("10.0.3.4", "10.0.0.0/16")
    assert not address_matches("10.1.3.4", "10.0.0.0/16")
    assert address_matches("127.0.0.1", ban_target("127.0.0.1")[1])
    assert not address_matches("::1", "127.0.0.1/32")
    assert address_matches("replay", "replay") and not address_matches("replay", "10.0.0.0/8")


@given(st.integers(min_value=1, max_value=10 * 365 * 86400))
def test_every_duration_reads_back_the_same(seconds: int) -> None:
    count, unit = describe_duration(seconds).split()
    scale = {"week": 604800, "day": 86400, "hour": 3600, "minute": 60, "second": 1}
    assert int(count) * scale[unit.rstrip("s")] == seconds


def test_help_admin_lists_every_admin_command_to_an_admin_alone() -> None:
    # Played (round 62): an operator's first "help admin" was "There is no help on
    # 'admin'.", the admin commands mixed among the players' in 'help'.
    from call import call
    from enginerig import EngineRig

    from mud.engine.commands import COMMANDS

    rig = EngineRig(pack="lanternfall")
    rig.player("keeper", "hostel_hall", "lanternfall:warden")
    rig.player("pip", "hostel_hall", "lanternfall:warden")
    rig.world.chars["keeper"].is_admin = True
    for line in ("help admin", "wizhelp"):
        shown = "\n".join(call(rig.world, "keeper", line).lines("keeper"))
        assert shown.startswith("Admin commands"), shown
        for command in COMMANDS:
            if command.admin:
                assert f"\n{command.name} " in shown, (command.name, shown)
        assert "(admin)" not in shown
        assert "unmute <player>" in shown and "Undoes 'mute' ('help mute')." in shown
        assert "kick <player> [reason]" in shown and "Disconnect a player" in shown
    for line in ("help admin", "wizhelp"):
        assert call(rig.world, "pip", line).lines("pip") == [
            "Admins keep this world; their commands are theirs alone."
        ]
    assert "Admin: admin" in call(rig.world, "keeper", "help").lines("keeper")[0]
    assert "Admin:" not in call(rig.world, "pip", "help").lines("pip")[0]
