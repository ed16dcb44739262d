"""Coming back after a restart: the player hears that the world was restored, where
they are, and what was said in their room lately (over the real server, twice)."""

from __future__ import annotations

import sqlite3
import time
from pathlib import Path

from mudclient import (
    TelnetPlayer,
    alice_and_bob,
    login_existing,
    make_config,
    running_server,
)


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
        alice.send("tell bob the key is under the stone")  # private: never replayed
        await bob.expect("the key is under the stone")
        alice.send("quit")
        await alice.closed()
        await bob.close()
    # A line that reached the log some other way (an older version, a hand edit) is
    # shown cleaned: no terminal escape gets through.
    with sqlite3.connect(config.db) as conn:
        room = conn.execute("SELECT room FROM chat_log WHERE kind = 'say'").fetchone()[0]
        conn.execute(
            "INSERT INTO chat_log(ts, room, kind, speaker, target, text)"
            " VALUES (?, ?, 'say', 'Bob', NULL, ?)",
            (time.time(), room, "\x1b[2J\x1b[31mwatch out\x1b]0;pwned\x07"),
        )
    async with running_server(config) as srv:
        again = await TelnetPlayer.connect(srv.telnet_port)
        await again.expect("What is your name")
        again.send("Alice")
        await again.expect("Password:")
        again.send("secret-pass")
        notice = await again.expect(r"Resuming\.[\s\S]*?where you left off")
        assert "restored" in notice and "Common Room" in notice
        await again.expect("Exits:")
        talk = await again.expect(r"Recently said here:[\s\S]*?Bob says, 'watch out'")
        assert "Bob says, 'meet me by the hearth'" in talk
        assert "Alice nods slowly" in talk
        assert talk.index("meet me") < talk.index("nods slowly")
        assert "the key is under the stone" not in again.seen
        assert "\x1b[2J" not in again.seen and "pwned" not in again.seen
        # A player who logs in again without a restart is not told the world was restored.
        again.send("quit")
        await again.closed()
        back = await TelnetPlayer.connect(srv.telnet_port)
        await login_existing(back, "Alice")
        back.send("look")
        await back.expect("Exits:")
        assert "Resuming" not in back.seen
        await back.close()
