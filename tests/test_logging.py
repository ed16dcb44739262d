"""What the server writes to its log at DEBUG: never a password or a password hash, and
chat only when asked for. Runs the real ``mud serve`` in a subprocess and reads its log."""

from __future__ import annotations

import asyncio
import os
import re
import signal
import sys
from pathlib import Path

from mudclient import TelnetPlayer, login_existing, login_new

ROOT = Path(__file__).resolve().parent.parent
PASSWORD = "Plover-Xyzzy-42"
CHAT = "the heron nests under the bridge"


async def _serve_and_play(tmp_path: Path, env: dict[str, str]) -> str:
    """Run the server with ``env``, create Alice, say something, leave, log in again,
    say something else; return everything the server logged."""
    full_env = {k: v for k, v in os.environ.items() if not k.startswith(("MUD_", "OPENAI_"))}
    full_env.update(MUD_LOG_LEVEL="DEBUG", MUD_PROVIDERS="offline", **env)
    log_path = tmp_path / "server.log"
    with log_path.open("wb") as log_file:
        proc = await asyncio.create_subprocess_exec(
            sys.executable,
            "-m",
            "mud",
            "serve",
            "--host",
            "127.0.0.1",
            "--telnet-port",
            "0",
            "--ssh-port",
            "0",
            "--no-web",
            "--db",
            str(tmp_path / "log.db"),
            "--host-keys",
            str(tmp_path / "keys"),
            "--content",
            str(ROOT / "content" / "hollowmere"),
            cwd=tmp_path,
            env=full_env,
            stdout=asyncio.subprocess.PIPE,
            stderr=log_file,
        )
        assert proc.stdout is not None
        try:
            async with asyncio.timeout(30):
                while True:
                    line = (await proc.stdout.readline()).decode()
                    assert line, "the server exited before listening"
                    found = re.search(r"telnet: listening on [\d.]+:(\d+)", line)
                    if found:
                        port = int(found.group(1))
                        break
            alice = await TelnetPlayer.connect(port)
            await login_new(alice, "Alice", PASSWORD)
            alice.send(f"say {CHAT}")
            await alice.expect("You say")
            alice.send("quit")
            await alice.closed()
            again = await TelnetPlayer.connect(port)
            await login_existing(again, "Alice", PASSWORD)
            again.send(f"say {CHAT} again")
            await again.expect("You say")
            again.send("quit")
            await again.closed()
        finally:
            proc.send_signal(signal.SIGTERM)
            async with asyncio.timeout(20):
                await proc.wait()
    return log_path.read_text(errors="replace")


async def test_debug_log_holds_no_secret_and_no_chat(tmp_path: Path) -> None:
    text = await _serve_and_play(tmp_path, {})
    assert "level=debug logger=mud." in text  # DEBUG is really on for the server's loggers
    assert "scrypt$" not in text
    assert PASSWORD not in text
    assert CHAT not in text
    assert "logger=aiosqlite" not in text  # quiet unless asked for


async def test_chat_and_library_logs_only_when_asked_and_hashes_never(tmp_path: Path) -> None:
    text = await _serve_and_play(tmp_path, {"MUD_LOG_CHAT": "1", "MUD_LOG_LIBRARIES": "DEBUG"})
    assert re.search(f"level=debug logger=mud\\.chat msg=.*say .*{CHAT}", text)  # asked for
    assert "level=debug logger=aiosqlite" in text  # asked for: the driver's own log
    assert "scrypt$<redacted>" in text  # the driver logged a hash parameter: redacted
    assert not re.search(r"scrypt\$(?!<redacted>)", text)
    assert PASSWORD not in text
