"""Clocks. Only this module reads the system clock; everything else gets a Clock passed in.

``Clock`` is the Protocol; ``SystemClock`` is the real one (used by ``mud.app``) and
``FakeClock`` is a manually advanced one for tests.
"""

from __future__ import annotations

import time
from typing import Protocol


class Clock(Protocol):
    """Monotonic seconds for deadlines and wall-clock seconds for records."""

    def monotonic(self) -> float: ...

    def wall(self) -> float: ...


class SystemClock:
    """The real clock."""

    def monotonic(self) -> float:
        return time.monotonic()

    def wall(self) -> float:
        return time.time()


class FakeClock:
    """A clock that moves only when ``advance`` is called. For tests."""

    def __init__(self, start: float = 1_000.0, wall_start: float = 1_700_000_000.0) -> None:
        self._mono = start
        self._wall = wall_start

    def monotonic(self) -> float:
        return self._mono

    def wall(self) -> float:
        return self._wall

    def advance(self, seconds: float) -> None:
        self._mono += seconds
        self._wall += seconds

    def set_wall(self, wall: float) -> None:
        """Jump the wall clock (a replay runs each event at its recorded time)."""
        self._wall = wall
