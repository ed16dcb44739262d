"""Shared fixtures. Helper modules (mudclient, hubrig, fake_openai) live beside the tests."""

from __future__ import annotations

from collections.abc import AsyncIterator
from pathlib import Path

import pytest
from hubrig import Rig, make_rig


@pytest.fixture
async def rig(tmp_path: Path) -> AsyncIterator[Rig]:
    """A running hub with the bundled campaign, fake sessions and a fake clock."""
    async with make_rig(tmp_path) as made:
        yield made
