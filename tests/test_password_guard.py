"""A password typed in play goes nowhere (mud.hub.guard, the hub's ``_withhold``).

Played by a griefer: a sock-puppet called Wrong emoted "Wrong password. Please enter your
password again...", and Mara typed hers as a line; the room read "Mara acts:
maraspass1", and it was kept in the replay log and the DM's history. Unit and property
tests of the recogniser, the hub with two players on a real database file (every table
read back), and the real server over telnet and SSH with the offline narrator.
"""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest
from hubrig import make_rig, record_asks
from hypothesis import given
from hypothesis import strategies as st
from mudclient import SshPlayer, TelnetPlayer, login_new, make_config, running_server

from mud.hub.guard import PasswordEcho, looks_like_password
from mud.replay import load_events, replay

KEY = b"k" * 32
WITHHELD = "so it went nowhere: nobody saw it"


def _everything_kept(db: Path) -> str:
    """Every row of every table of the database file, as text."""
    with sqlite3.connect(db) as con:
        return "\n".join(con.iterdump())


def test_the_password_is_found_alone_inside_a_line_and_in_quotes() -> None:
    echo = PasswordEcho("maraspass1", KEY)
    assert echo.said_in("maraspass1")
    assert echo.said_in("  maraspass1  ")
    assert echo.said_in("say my password is maraspass1")
    assert echo.said_in("tell vex 'maraspass1'.")
    assert echo.said_in('say "maraspass1"')
    assert not echo.said_in("say maraspass")
    assert not echo.said_in("say mara's pass is 2")
    assert not echo.said_in("")


def test_the_password_spelt_around_the_filter_is_found_too() -> None:
    # Played by a griefer: "say grievepass 1", "say g.r.i.e.v.e.p.a.s.s.1" and the
    # password backwards all reached the room.
    echo = PasswordEcho("grievepass1", KEY)
    for line in (
        "say grievepass 1",
        "say g.r.i.e.v.e.p.a.s.s.1",
        "say 1ssapeveirg",
        "say GRIEVEPASS1",
        "tell mara it's grieve-pass-1, ok?",
        "grievepass12",
    ):
        assert echo.said_in(line), line
    for line in ("say grieve pass", "say the pass is 1", "look", "say hello there"):
        assert not echo.said_in(line), line
    # A password of fewer than six letters and digits is looked for as typed only.
    short = PasswordEcho("a-b-c-1", KEY)
    assert short.said_in("say a-b-c-1") and not short.said_in("say abc 1")


def test_a_passphrase_is_found_as_a_run_of_its_words() -> None:
    echo = PasswordEcho("correct horse  battery staple", KEY)
    assert echo.said_in("correct horse battery staple")
    assert echo.said_in("say it is correct horse battery staple ok")
    assert not echo.said_in("correct horse battery")
    assert not echo.said_in("say correct horse")


def test_the_password_is_compared_as_it_is_hashed() -> None:
    # A full-width password is the password its owner meant (accounts.password_key).
    assert PasswordEcho("ｐａｓｓｗｏｒｄ９", KEY).said_in("password9")


def test_the_echo_keeps_no_password() -> None:
    echo = PasswordEcho("maraspass1", KEY)
    kept = [getattr(echo, slot) for slot in PasswordEcho.__slots__]
    assert not any(isinstance(v, str | bytes) and b"maraspass1" in _b(v) for v in kept)
    # Under another key the same password is another digest.
    assert PasswordEcho("maraspass1", b"j" * 32)._digest != echo._digest


def _b(value: str | bytes) -> bytes:
    return value.encode() if isinstance(value, str) else value


@given(
    st.text(st.characters(categories=["L", "N", "P", "S"]), min_size=1, max_size=20),
    st.lists(st.sampled_from(["say", "my", "is", "tell", "vex", "here"]), max_size=6),
    st.integers(0, 6),
)
def test_a_one_word_password_is_found_wherever_it_stands(
    secret: str, words: list[str], at: int
) -> None:
    echo = PasswordEcho(secret, KEY)
    line = [*words[:at], secret, *words[at:]]
    assert echo.said_in(" ".join(line))


@pytest.mark.parametrize(
    "line", ["maraspass1", "hunter2!x", "123456", "Tr0ub4dor&3", "p@ssw*rd", "s3cret."]
)
def test_these_look_like_passwords(line: str) -> None:
    assert looks_like_password(line)


@pytest.mark.parametrize(
    "line",
    ["hello!", "what?", "north", "dance", "2h", "r2d2", "xyzzy", "look around", "12345", "...."],
)
def test_these_do_not(line: str) -> None:
    assert not looks_like_password(line)


async def test_the_password_typed_in_play_reaches_no_one_and_is_kept_nowhere(
    tmp_path: Path,
) -> None:
    async with make_rig(tmp_path, narration=True) as rig:
        asked = record_asks(rig)
        mara = await rig.create("Mara", "maraspass1")
        vex = await rig.create("Vex")
        for line in ("maraspass1", "say my password is maraspass1", "emote maraspass1"):
            await rig.line(mara, line)
            await mara.expect(f"That was your password, {WITHHELD}[^']*'report <name>")
        # Not hers, but a password all the same; and words go on as before.
        await rig.line(mara, "zq7x9k2p")
        await mara.expect(f"That looks like a password, {WITHHELD}")
        await rig.line(mara, "I polish the bar with my sleeve")
        await rig.line(mara, "say the stew is good")
        await vex.expect("Mara says, 'the stew is good'")
        assert "maraspass1" not in vex.text and "zq7x9k2p" not in vex.text
        assert "maraspass1" not in mara.text and "zq7x9k2p" not in mara.text
        await rig.logged()
    # The Dungeon Master was asked about the polishing and about nothing withheld.
    assert "polish the bar" in repr(asked)
    assert "maraspass1" not in repr(asked) and "zq7x9k2p" not in repr(asked)
    kept = _everything_kept(tmp_path / "hub.db")
    assert "stew is good" in kept  # the talk is kept; the secrets are not
    assert "maraspass1" not in kept and "zq7x9k2p" not in kept
    assert kept.count("'withheld'") == 4
    result = await replay(await load_events(str(tmp_path / "hub.db")))
    assert result.ok, result.first


async def test_a_changed_password_is_the_one_watched(tmp_path: Path) -> None:
    async with make_rig(tmp_path) as rig:
        mara = await rig.create("Mara", "maraspass1")
        await rig.line(mara, "password")
        await mara.expect("Current password")
        await rig.line(mara, "maraspass1")
        await mara.expect("New password")
        await rig.line(mara, "newsecret word")
        await mara.expect("Repeat")
        await rig.line(mara, "newsecret word")
        await mara.expect("Your password has been changed")
        await rig.line(mara, "say it is newsecret word")
        await mara.expect(WITHHELD)
        await rig.line(mara, "say was it maraspass1?")
        # Her old password is no longer hers: looked at as words, it is said.
        await mara.expect("You say, 'was it maraspass1")


async def test_over_telnet_and_ssh_the_room_never_reads_it(tmp_path: Path) -> None:
    async with running_server(make_config(tmp_path)) as srv:
        mara = await TelnetPlayer.connect(srv.telnet_port)
        await login_new(mara, "Mara", "maraspass1")
        vex = await SshPlayer.connect(srv.ssh_port)
        await login_new(vex, "Vex")
        mara.send("maraspass1")
        await mara.expect(WITHHELD)
        vex.send("say type it again")
        await mara.expect("Vex says, 'type it again'")
        mara.send("maraspass1")
        await mara.expect(WITHHELD)
        mara.send("say no")
        await vex.expect("Mara says, 'no'")
        assert "maraspass1" not in vex.seen and "acts" not in vex.seen
        for player in (mara, vex):
            await player.close()
    assert "maraspass1" not in _everything_kept(tmp_path / "mud.db")
