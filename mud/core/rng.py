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


class SeededRng:
    """A deterministic RNG whose state can be exported as JSON-friendly data."""

    def __init__(self, seed: int | str | None = None) -> None:
        self._r = random.Random(seed)

    def randint(self, a: int, b: int) -> int:
        return self._r.randint(a, b)

    def random(self) -> float:
        return self._r.random()

    def choice_index(self, n: int) -> int:
        """A uniform index in ``range(n)``; ``n`` must be positive."""
        return self._r.randrange(n)

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
