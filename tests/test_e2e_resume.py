"""Coming back after a restart: the player hears that the world was restored, where
they are, and what was said in their room lately (over the real server, twice)."""

from __future__ import annotations

import contextlib
import json
import sqlite3
import time
from pathlib import Path

from enginerig import PLAIN
from mudclient import (
    TelnetPlayer,
    alice_and_bob,
    login_existing,
    login_new,
    make_config,
    running_server,
)

from mud.hub.actor import _recent_talk, _talk_line
from mud.render.doc import render


async def test_after_a_restart_a_returning_player_gets_a_resuming_notice_and_recent_talk(
    tmp_path: Path,
) -> None:
    config = make_config(tmp_path)
    async with running_server(config) as srv:
        alice, bob = await alice_and_bob(srv.telnet_port)
        bob.send("say meet me by the hearth")
        await alice.expect("Bob says, 'meet me by the hearth'")
        alice.send(":nods slowly")
        await bob.expect("Alice nods slowly")
        bob.send("Alice, hurry up")
        await alice.expect("Bob says to you, 'hurry up'")
        alice.send("say the fire is warm")
        await bob.expect("Alice says, 'the fire is warm'")
        alice.send("tell bob the key is under the stone")  # private: never replayed
        await bob.expect("the key is under the stone")
        alice.send("quit")
        await alice.closed()
        await bob.close()
    # A line that reached the log some other way (an older version, a hand edit) is
    # shown cleaned: no terminal escape gets through.
    # Closed after (sqlite3's own "with" only commits): a second server refuses a
    # database another process holds open.
    with contextlib.closing(sqlite3.connect(config.db)) as conn, conn:
        room = conn.execute("SELECT room FROM chat_log WHERE kind = 'say'").fetchone()[0]
        conn.execute(
            "INSERT INTO chat_log(ts, room, kind, speaker, target, text)"
            " VALUES (?, ?, 'say', 'Bob', NULL, ?)",
            (time.time(), room, "\x1b[2J\x1b[31mwatch out\x1b]0;pwned\x07"),
        )
        # Talk of hours ago is not "recently said here" (played: what a pair said before
        # the whole campaign, read when they came back to the tavern).
        conn.execute(
            "INSERT INTO chat_log(ts, room, kind, speaker, target, text)"
            " VALUES (?, ?, 'say', 'Bob', NULL, 'an old rumour')",
            (time.time() - 2 * 3600, room),
        )
    async with running_server(config) as srv:
        # Bob, back first, reads Alice come back, not step into view as a stranger would
        # (played: after a restart, each read the others "step into view").
        bob = await TelnetPlayer.connect(srv.telnet_port)
        await login_existing(bob, "Bob")
        again = await TelnetPlayer.connect(srv.telnet_port)
        await again.expect("What is your name")
        again.send("Alice")
        await again.expect("Password:")
        again.send("secret-pass")
        notice = await again.expect(r"Resuming\.[\s\S]*?where you left off")
        assert "restored" in notice and "in the Drowned Lantern, Common Room" in " ".join(
            notice.split()
        )
        await again.expect("Exits:")
        talk = await again.expect(r"Recently said here:[\s\S]*?Bob says, 'watch out'")
        assert "Bob says, 'meet me by the hearth'" in talk
        assert "Alice nods slowly" in talk
        assert talk.index("meet me") < talk.index("nods slowly")
        # Said to her, and said by her, as she heard and said them (played: a line said
        # to a player by name came back as if said to the room).
        assert "Bob says to you, 'hurry up'" in talk and "You say, 'the fire is warm'" in talk
        assert "the key is under the stone" not in again.seen
        assert "an old rumour" not in again.seen
        assert "\x1b[2J" not in again.seen and "pwned" not in again.seen
        await bob.expect("Alice is back.")
        assert "Alice steps into view" not in bob.seen
        # A player who logs in again without a restart is not told the world was restored,
        # and steps into view.
        again.send("quit")
        await again.closed()
        back = await TelnetPlayer.connect(srv.telnet_port)
        await login_existing(back, "Alice")
        back.send("look")
        await back.expect("Exits:")
        assert "Resuming" not in back.seen
        await bob.expect("Alice steps into view.")
        await back.close()
        await bob.close()


def test_recent_talk_from_an_older_event_log_is_read_as_said_to_no_one() -> None:
    # Event logs written before lines kept who they were said to hold three fields.
    assert _talk_line(["say", "Bob", "watch out"]) == ("say", "Bob", "", "watch out")
    assert _talk_line(["say", "Bob", "Alice", "hurry up"]) == ("say", "Bob", "Alice", "hurry up")
    lines = [
        ("say", "Bob", "Alice", "hurry up"),
        ("say", "Alice", "Bob", "coming"),
        ("say", "Bob", "", "hm"),
        # A question put to someone reads as asked (played: "Harl says to you, 'Want to
        # team up?'", asked live as "Harl asks you, ...").
        ("say", "Bob", "Alice", "Want to team up?"),
        ("say", "Alice", "Bob", "Are you hurt?"),
        ("say", "Bob", "", "anyone there?"),
    ]
    text = render(_recent_talk(lines, "alice"), PLAIN).replace("\r\n", "\n").strip()
    assert text.splitlines()[1:] == [
        "Bob says to you, 'hurry up'",
        "You say to Bob, 'coming'",
        "Bob says, 'hm'",
        "Bob asks you, 'Want to team up?'",
        "You ask Bob, 'Are you hurt?'",
        "Bob says, 'anyone there?'",
    ]


async def test_one_back_after_a_restart_is_not_set_upon_as_one_walking_in(
    tmp_path: Path,
) -> None:
    # Played (round 53): the bog rat, back by its respawn time while the server was
    # down, attacked each of the three in its tunnel as they logged in again.
    config = make_config(tmp_path)
    async with running_server(config) as srv:
        alice = await TelnetPlayer.connect(srv.telnet_port)
        await login_new(alice, "Alice")
        alice.send("quit")
        await alice.closed()
    # She logged out in the rat's tunnel (as if she had walked there and the server
    # stopped), where the rat, which attacks whoever walks in, is.
    with contextlib.closing(sqlite3.connect(config.db)) as conn, conn:
        (state,) = conn.execute("SELECT state FROM characters WHERE name_key = 'alice'").fetchone()
        saved = json.loads(state)
        saved["room"] = "hollowmere:smugglers_tunnel"
        conn.execute(
            "UPDATE characters SET state = ? WHERE name_key = 'alice'", (json.dumps(saved),)
        )
    async with running_server(config) as srv:
        alice = await TelnetPlayer.connect(srv.telnet_port)
        await login_existing(alice, "Alice")
        await alice.expect("A bog rat is here.")
        alice.send("look")
        await alice.expect("Smugglers' Tunnel")
        assert "attacks" not in alice.seen and "FIGHT" not in alice.seen, alice.seen
        # The rat is there to fight, at her word.
        alice.send("attack rat")
        await alice.expect("FIGHT! Initiative")
        await alice.close()
