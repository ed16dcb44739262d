"""A throwaway PostgreSQL cluster for the tests, from Debian's ``postgresql`` package.

``PgCluster.start()`` runs ``initdb`` and ``pg_ctl`` in a fresh temporary directory:
listening on 127.0.0.1 on a free port, with its unix socket in that directory, trust
authentication, and fsync off (the tests kill the game process, never the database
server; a test cluster need not survive a power cut). PostgreSQL refuses to run as
root, and CI runs as root: then the cluster runs as ``nobody``, and the directory (made
by ``mkdtemp`` under the system's temporary folder, which everyone may traverse) is
given to that user. ``stop()`` stops the server and deletes the directory.

``find_bindir()`` is None when PostgreSQL is not installed; the fixtures skip then.
Each test gets its own schema (``new_url``), which is much faster than a database.
"""

from __future__ import annotations

import asyncio
import itertools
import os
import shutil
import socket
import subprocess
import tempfile
from pathlib import Path

import asyncpg

_SUPERUSER = "mud"


def find_bindir() -> Path | None:
    """The folder of ``initdb``/``pg_ctl``/``postgres``, newest version first, or None."""
    candidates = sorted(Path("/usr/lib/postgresql").glob("*/bin"), reverse=True)
    found = shutil.which("pg_ctl")
    if found:
        candidates.append(Path(found).parent)
    for folder in candidates:
        if all((folder / tool).exists() for tool in ("initdb", "pg_ctl", "postgres")):
            return folder
    return None


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


class PgCluster:
    """A running throwaway cluster; ``url(schema)`` names a schema in its ``mud``
    database."""

    def __init__(self, bindir: Path, root: Path, port: int, run_as: list[str]) -> None:
        self.bindir = bindir
        self.root = root
        self.port = port
        self._run_as = run_as
        self._schemas = itertools.count(1)

    @property
    def admin_url(self) -> str:
        return f"postgresql://{_SUPERUSER}@127.0.0.1:{self.port}/mud"

    def url(self, schema: str) -> str:
        return f"{self.admin_url}?search_path={schema}"

    @classmethod
    def start(cls, bindir: Path, *, fsync: bool = False) -> PgCluster:
        """initdb, start and create the ``mud`` database. ``fsync`` on is PostgreSQL's
        default (what a deployment runs, and what bench/storecommit.py measures); the
        tests turn it off."""
        as_root = os.geteuid() == 0
        # As root the folder goes under /tmp, which nobody may traverse (a TMPDIR such as
        # /root/tmp may not be); the socket path stays short either way.
        root = Path(tempfile.mkdtemp(prefix="mud-pg-", dir="/tmp" if as_root else None))
        run_as: list[str] = []
        if as_root:
            # initdb and postgres refuse root; the data folder must belong to the user
            # that runs them (and be mode 0700, which mkdtemp gives).
            shutil.chown(root, "nobody")
            run_as = ["runuser", "-u", "nobody", "--"]
        data = root / "data"
        port = free_port()
        cluster = cls(bindir, root, port, run_as)
        try:
            cluster._run(
                str(bindir / "initdb"),
                "-D",
                str(data),
                "-U",
                _SUPERUSER,
                "--auth=trust",
                "--encoding=UTF8",
                "--locale=C",
                "--no-sync",
            )
            options = (
                f"-c listen_addresses=127.0.0.1 -c port={port}"
                f" -c unix_socket_directories={root}"
                f" -c fsync={'on' if fsync else 'off'}"
                f" -c full_page_writes={'on' if fsync else 'off'}"
                " -c shared_buffers=32MB -c max_connections=200"
            )
            cluster._run(
                str(bindir / "pg_ctl"),
                "-D",
                str(data),
                "-o",
                options,
                "-l",
                str(root / "server.log"),
                "-w",
                "-t",
                "60",
                "start",
            )
            cluster._run(
                str(bindir / "createdb"),
                "-h",
                "127.0.0.1",
                "-p",
                str(port),
                "-U",
                _SUPERUSER,
                "mud",
            )
        except BaseException:
            cluster.stop()
            raise
        return cluster

    def _run(self, *argv: str) -> None:
        done = subprocess.run(
            [*self._run_as, *argv], capture_output=True, text=True, timeout=120, cwd=self.root
        )
        if done.returncode != 0:
            log = self.root / "server.log"
            extra = log.read_text(errors="replace")[-2000:] if log.exists() else ""
            raise RuntimeError(f"{argv[0]} failed: {done.stdout}{done.stderr}{extra}")

    def stop(self) -> None:
        data = self.root / "data"
        if (data / "postmaster.pid").exists():
            subprocess.run(
                [
                    *self._run_as,
                    str(self.bindir / "pg_ctl"),
                    "-D",
                    str(data),
                    "-m",
                    "immediate",
                    "stop",
                ],
                capture_output=True,
                timeout=60,
                cwd=self.root,
            )
        shutil.rmtree(self.root, ignore_errors=True)

    def new_schema_name(self) -> str:
        return f"t{os.getpid()}_{next(self._schemas)}"

    async def new_url(self) -> str:
        """A URL whose ``search_path`` is a new, empty schema."""
        schema = self.new_schema_name()
        conn = await asyncpg.connect(self.admin_url)
        try:
            await conn.execute(f"CREATE SCHEMA {schema}")
        finally:
            await conn.close()
        return self.url(schema)

    def new_url_sync(self) -> str:
        return asyncio.run(self.new_url())
