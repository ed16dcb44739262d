"""The SSH door carries bytes: output is written as the session encoded it (once) and
input is decoded once, edited by the door's own line editor with a PTY. Real asyncssh
clients over loopback, reading the channel's raw bytes."""

from __future__ import annotations

import asyncio
from pathlib import Path
from typing import Any

import asyncssh
from mudclient import SshPlayer, login_new, make_config, running_server


class RawSshPlayer(SshPlayer):
    """An SSH player that reads the channel's bytes as they come (``raw``)."""

    raw: bytes

    @classmethod
    async def open(cls, port: int, *, term: str | None = "xterm-256color") -> RawSshPlayer:
        conn = await asyncssh.connect(
            "127.0.0.1", port, username="play", known_hosts=None, agent_path=None
        )
        process: Any = await conn.create_process(
            term_type=term, term_size=(80, 24) if term else None, encoding=None
        )
        player = cls(conn, process, term is not None)
        player.raw = b""
        return player

    async def _read(self) -> str:
        data: bytes = await self.process.stdout.read(65536)
        self.raw += data
        return data.decode("utf-8", "replace")

    def send(self, line: str) -> None:
        self.type(line + ("\r" if self.pty else "\n"))

    def type(self, text: str | bytes) -> None:
        self.process.stdin.write(text.encode() if isinstance(text, str) else text)


async def test_output_lines_end_in_one_crlf_and_the_password_is_not_echoed(
    tmp_path: Path,
) -> None:
    async with running_server(make_config(tmp_path)) as srv:
        player = await RawSshPlayer.open(srv.ssh_port)
        await login_new(player, "Byte", "very-secret-words")
        player.send("look")
        await player.expect("Exits:")
        # asyncssh's line editor turned every "\n" into "\r\n", so the session's CR LF
        # reached the terminal as CR CR LF.
        assert b"\r\n" in player.raw
        assert b"\r\r\n" not in player.raw
        # The name typed is echoed by the server (the client's terminal is raw), the
        # password is not.
        assert b"Byte" in player.raw
        assert b"very-secret-words" not in player.raw
        await player.close()


async def test_the_line_editor_erases_recalls_and_redraws_after_output(
    tmp_path: Path,
) -> None:
    async with running_server(make_config(tmp_path)) as srv:
        player = await RawSshPlayer.open(srv.ssh_port)
        await login_new(player, "Edit")
        other = await RawSshPlayer.open(srv.ssh_port)
        await login_new(other, "Other")
        # Backspace, an arrow key (ESC [ D) and Ctrl-U are edits, never text.
        player.type("sax\x7fy he\x1b[Dllo\r")
        await player.expect("You say, 'hello'")
        player.type("say junk\x15say clean\r")
        await player.expect("You say, 'clean'")
        # Up recalls the last line typed, as a shell does.
        player.type("\x1b[A\r")
        await player.expect("You say, 'clean'")
        # Someone speaks while Edit is halfway through a line: what Edit typed so far is
        # drawn again after the other's words, and the line still goes out whole.
        player.type("say half")
        await asyncio.sleep(0.2)
        other.send("say interruption")
        await player.expect("interruption'")
        await player.expect("say half")
        player.type(" done\r")
        await player.expect("You say, 'half done'")
        await player.close()
        await other.close()


async def test_utf8_split_across_writes_is_decoded_once(tmp_path: Path) -> None:
    async with running_server(make_config(tmp_path)) as srv:
        for term in ("xterm-256color", None):
            player = await RawSshPlayer.open(srv.ssh_port, term=term)
            await login_new(player, "Cafe" if term else "Tea")
            cafe = "say café 本".encode()
            player.type(cafe[:8])  # ends inside the two bytes of "é"
            await asyncio.sleep(0.1)
            player.type(cafe[8:] + (b"\r" if term else b"\n"))
            await player.expect("You say, 'café 本'")
            player.type(b"say bad \xff byte" + (b"\r" if term else b"\n"))
            await player.expect("You say, 'bad \ufffd byte'")
            await player.close()
