"""Shared fixtures. Helper modules (mudclient, hubrig, fake_openai, pgcluster,
storetarget) live beside the tests."""

from __future__ import annotations

from collections.abc import AsyncIterator, Iterator
from pathlib import Path

import pytest
from hubrig import Rig, make_rig
from pgcluster import PgCluster, find_bindir
from storetarget import PgTarget, SqliteTarget, StoreTarget


@pytest.fixture(params=[256, 1], ids=["slices-256", "slices-1"])
async def rig(tmp_path: Path, request: pytest.FixtureRequest) -> AsyncIterator[Rig]:
    """A running hub with the bundled campaign, fake sessions and a fake clock; each
    test runs twice, the second time with every broadcast to two or more handed over
    one receiver per turn of the event loop (``broadcast_slice=1``, mud.hub.spread),
    so order per connection is checked with slices everywhere."""
    async with make_rig(tmp_path, broadcast_slice=request.param) as made:
        yield made


@pytest.fixture(scope="session")
def pg_cluster() -> Iterator[PgCluster]:
    """One throwaway PostgreSQL cluster for the whole session (tests/pgcluster.py);
    the tests that use it skip when PostgreSQL is not installed."""
    bindir = find_bindir()
    if bindir is None:
        pytest.skip("PostgreSQL is not installed (Debian: apt-get install postgresql)")
    cluster = PgCluster.start(bindir)
    try:
        yield cluster
    finally:
        cluster.stop()


@pytest.fixture(params=["sqlite", "postgresql"])
async def target(request: pytest.FixtureRequest, tmp_path: Path) -> StoreTarget:
    """Where a store test keeps its database: a new SQLite file, or a new schema in the
    session's PostgreSQL cluster. Store tests take this to run against both backends."""
    if request.param == "sqlite":
        return SqliteTarget(tmp_path / "mud.db")
    cluster: PgCluster = request.getfixturevalue("pg_cluster")
    return PgTarget(cluster, await cluster.new_url())
