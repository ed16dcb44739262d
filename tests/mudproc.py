"""Run ``mud serve`` as a real process (the way an operator or systemd runs it).

``ServerProcess.start`` launches the command, waits (with a deadline) for the
``<door>: listening on HOST:PORT`` lines and the ``state:`` line after them, and keeps
reading stdout and stderr in the background so the pipes never fill;
``stop``/``send_signal``/``wait`` end it.
"""

from __future__ import annotations

import asyncio
import contextlib
import fcntl
import os
import re
import signal
import sys
import termios
from collections.abc import Mapping, Sequence
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
LISTEN = re.compile(r"^(telnet|ssh|web): listening on [^ ]+:(\d+)")


def mud_env(extra: Mapping[str, str] | None = None, *, home: Path | None = None) -> dict[str, str]:
    """A minimal environment: PATH, HOME (a temporary one if given), cheap password
    hashing for tests, and ``extra``; nothing from the developer's MUD_* settings."""
    env = {
        "PATH": os.environ.get("PATH", "/usr/bin:/bin"),
        "HOME": str(home) if home else os.environ.get("HOME", "/tmp"),
        "MUD_LIMITS__HASH_N": "16",
        "MUD_LIMITS__NEW_PER_IP": "10000",
        "MUD_PROVIDERS": "offline",
        "MUD_WEB_PORT": "off",  # tests that want the browser door pass --web-port 0
        "PYTHONUNBUFFERED": "1",
    }
    env.update(extra or {})
    return env


class ServerProcess:
    def __init__(self, argv: Sequence[str], *, env: Mapping[str, str], cwd: Path) -> None:
        self.argv = list(argv)
        self.env = dict(env)
        self.cwd = cwd
        self.proc: asyncio.subprocess.Process | None = None
        self.stdout: list[str] = []
        self.stderr: list[str] = []
        self.ports: dict[str, int] = {}
        self._readers: list[asyncio.Task[None]] = []
        self._listening = asyncio.Event()
        self._master: int | None = None  # the pseudo-terminal's master, with terminal=True

    @classmethod
    def module(cls, *args: str, env: Mapping[str, str], cwd: Path) -> ServerProcess:
        """``python -m mud serve ...`` from this checkout's source."""
        full_env = {"PYTHONPATH": str(ROOT), **env}
        return cls([sys.executable, "-m", "mud", "serve", *args], env=full_env, cwd=cwd)

    async def start(self, deadline: float = 60.0, *, terminal: bool = False) -> ServerProcess:
        """Start and wait until every door listens. Raises AssertionError with the output
        if the process exits or the deadline passes first. With ``terminal`` the server
        runs in a session of its own whose controlling terminal is a pseudo-terminal
        this object holds (``hang_up`` closes it, as closing a terminal window does)."""
        stdin: int = asyncio.subprocess.DEVNULL
        preexec = None
        if terminal:
            self._master, slave = os.openpty()
            stdin = slave

            def preexec() -> None:  # in the child, after setsid: take the terminal
                fcntl.ioctl(0, termios.TIOCSCTTY, 0)

        self.proc = await asyncio.create_subprocess_exec(
            *self.argv,
            stdin=stdin,
            stdout=asyncio.subprocess.PIPE,
            stderr=asyncio.subprocess.PIPE,
            env=self.env,
            cwd=self.cwd,
            start_new_session=terminal,
            preexec_fn=preexec,
        )
        if terminal:
            os.close(slave)
        assert self.proc.stdout is not None and self.proc.stderr is not None
        self._readers = [
            asyncio.create_task(self._pump(self.proc.stdout, self.stdout, parse=True)),
            asyncio.create_task(self._pump(self.proc.stderr, self.stderr)),
        ]
        exited = asyncio.create_task(self.proc.wait())
        listening = asyncio.create_task(self._listening.wait())
        done, _ = await asyncio.wait(
            {exited, listening}, timeout=deadline, return_when=asyncio.FIRST_COMPLETED
        )
        listening.cancel()
        if listening not in done:
            if exited not in done:
                exited.cancel()
                await self.kill()
            await asyncio.gather(*self._readers, return_exceptions=True)
            raise AssertionError(f"server did not start:\n{self.output()}")
        exited.cancel()
        return self

    async def _pump(
        self, stream: asyncio.StreamReader, into: list[str], parse: bool = False
    ) -> None:
        while line := await stream.readline():
            text = line.decode("utf-8", "replace").rstrip("\n")
            into.append(text)
            if parse and (match := LISTEN.match(text)):
                self.ports[match.group(1)] = int(match.group(2))
            if parse and text.startswith("state: "):  # printed after every listener
                self._listening.set()

    @property
    def telnet_port(self) -> int:
        return self.ports["telnet"]

    def output(self) -> str:
        return "stdout:\n" + "\n".join(self.stdout) + "\nstderr:\n" + "\n".join(self.stderr)

    def close_stdout(self) -> None:
        """Stop reading the server's standard output and close the pipe, as ``| tee``
        stopped by Ctrl-C does: the server's next print fails with EPIPE."""
        assert self.proc is not None
        self._readers[0].cancel()
        transport = getattr(self.proc, "_transport", None)  # asyncio's subprocess transport
        pipe = transport.get_pipe_transport(1) if transport is not None else None
        assert pipe is not None, "no stdout pipe to close"
        pipe.close()

    def hang_up(self) -> None:
        """Close the server's terminal (``start(terminal=True)``): the kernel hangs it up."""
        assert self._master is not None
        os.close(self._master)
        self._master = None

    def send_signal(self, sig: signal.Signals) -> None:
        assert self.proc is not None
        self.proc.send_signal(sig)

    async def wait(self, deadline: float = 30.0) -> int:
        """Wait for the exit (bounded); returns the exit status. Output is complete."""
        assert self.proc is not None
        try:
            async with asyncio.timeout(deadline):
                code = await self.proc.wait()
        except TimeoutError:
            await self.kill()
            raise AssertionError(
                f"server did not exit within {deadline} s:\n{self.output()}"
            ) from None
        await asyncio.gather(*self._readers, return_exceptions=True)
        return code

    async def kill(self) -> None:
        if self.proc is not None and self.proc.returncode is None:
            with contextlib.suppress(ProcessLookupError):
                self.proc.kill()
            await self.proc.wait()
        for reader in self._readers:
            reader.cancel()
        await asyncio.gather(*self._readers, return_exceptions=True)

    async def stop(self) -> int:
        """SIGTERM and wait; returns the exit status."""
        if self.proc is None or self.proc.returncode is not None:
            return self.proc.returncode if self.proc and self.proc.returncode is not None else 0
        self.send_signal(signal.SIGTERM)
        return await self.wait()
