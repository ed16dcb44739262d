"""The world's random number generator. Only this module imports ``random``.

Every draw the engine makes goes through an ``Rng`` that is passed in, so a seed
reproduces a session exactly and the state can be saved and restored.
"""

from __future__ import annotations

import random
from typing import Protocol


class Rng(Protocol):
    """What pure code may ask of a random source."""

    def randint(self, a: int, b: int) -> int: ...

    def random(self) -> float: ...

    def choice_index(self, n: int) -> int: ...

    def fork(self) -> Rng:
        """An independent generator in this one's state: the engine tries a line on it
        (is "let me search the hearth" a thing done?) and drops what it drew, so the
        trial moves nothing and sees the dice the deed itself will roll."""
        ...


class SeededRng:
    """A deterministic RNG whose state can be exported as JSON-friendly data.

    ``draws`` counts every draw since it was made: the hub saves the state when the count
    has moved, whoever drew (a roll, an NPC's stroll, the ambience)."""

    def __init__(self, seed: int | str | None = None) -> None:
        self._r = random.Random(seed)
        self.draws = 0

    def randint(self, a: int, b: int) -> int:
        self.draws += 1
        return self._r.randint(a, b)

    def random(self) -> float:
        self.draws += 1
        return self._r.random()

    def choice_index(self, n: int) -> int:
        """A uniform index in ``range(n)``; ``n`` must be positive."""
        self.draws += 1
        return self._r.randrange(n)

    def fork(self) -> SeededRng:
        """See ``Rng.fork``."""
        twin = SeededRng()
        twin._r.setstate(self._r.getstate())
        return twin

    def get_state(self) -> list[object]:
        """The generator state as nested lists (JSON-serialisable)."""
        version, internal, gauss = self._r.getstate()
        return [version, list(internal), gauss]

    def set_state(self, state: list[object]) -> None:
        """Restore a state produced by ``get_state``. Raises ValueError if malformed."""
        try:
            version, internal, gauss = state
            self._r.setstate((version, tuple(internal), gauss))  # type: ignore[arg-type]
        except (TypeError, ValueError) as exc:
            raise ValueError(f"bad RNG state: {exc}") from exc
