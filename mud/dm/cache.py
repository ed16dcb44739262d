"""A TTL + LRU cache of finished narrations for cacheable requests.

Pure bookkeeping with an injected Clock (monotonic seconds). ``DmActor`` looks a request
up before calling the provider chain and stores a narration after a clean finish (one
provider, not degraded, not cut).

Invariants: at most ``size`` entries; an entry older than ``ttl`` is never returned (it
is dropped when seen); when full, the least recently used entry is evicted. The key
captures everything the text depends on (provider label, prompt version, the request's
``state_key``, kind and normalised text), so a hit is as good as a fresh call.
"""

from __future__ import annotations

from collections import OrderedDict
from collections.abc import Callable
from typing import Generic, TypeVar

from attrs import frozen

from mud.core.clock import Clock
from mud.core.narration import NarrationRequest
from mud.dm.queue import normalise

V = TypeVar("V")

CacheKey = tuple[str, str, str, str, str]


def cache_key(provider: str, prompt_version: str, request: NarrationRequest) -> CacheKey:
    """The key for ``request`` answered by ``provider`` with prompts of ``prompt_version``.

    The room id is part of it too: two rooms may share a state_key by accident.
    """
    return (
        provider,
        prompt_version,
        f"{request.room.room_id}|{request.state_key}",
        request.kind,
        normalise(request.text),
    )


@frozen
class CacheStats:
    """Counters since start; ``size`` is the current entry count."""

    size: int
    hits: int
    misses: int
    evictions: int
    expired: int


@frozen
class CachedNarration:
    """What a hit replays: the narration text and who wrote it, and the names (case
    folded) of those who have heard it: it is not replayed to them (``DmActor``)."""

    text: str
    provider: str
    heard: frozenset[str] = frozenset()


class TtlCache(Generic[V]):
    """Bounded LRU cache whose entries expire ``ttl`` seconds after being stored."""

    def __init__(self, clock: Clock, *, ttl: float = 300.0, size: int = 256) -> None:
        if ttl <= 0 or size <= 0:
            raise ValueError("ttl and size must be positive")
        self._clock = clock
        self._ttl = ttl
        self._size = size
        self._data: OrderedDict[CacheKey, tuple[float, V]] = OrderedDict()
        self._hits = 0
        self._misses = 0
        self._evictions = 0
        self._expired = 0

    def __len__(self) -> int:
        return len(self._data)

    def get(self, key: CacheKey, usable: Callable[[V], bool] | None = None) -> V | None:
        """The live value for ``key`` (and mark it recently used), or None; a value
        ``usable`` refuses is not returned (counted as a miss, and kept)."""
        item = self._data.get(key)
        if item is None:
            self._misses += 1
            return None
        stored, value = item
        if self._clock.monotonic() - stored >= self._ttl:
            del self._data[key]
            self._expired += 1
            self._misses += 1
            return None
        if usable is not None and not usable(value):
            self._misses += 1
            return None
        self._data.move_to_end(key)
        self._hits += 1
        return value

    def update(self, key: CacheKey, value: V) -> None:
        """Replace the value of a live ``key``, keeping the time it was stored (so an
        entry's life is not stretched by using it); nothing when ``key`` is absent."""
        item = self._data.get(key)
        if item is not None:
            self._data[key] = (item[0], value)

    def put(self, key: CacheKey, value: V) -> None:
        """Store ``value``; evict the least recently used entry when over ``size``."""
        self._data[key] = (self._clock.monotonic(), value)
        self._data.move_to_end(key)
        while len(self._data) > self._size:
            self._data.popitem(last=False)
            self._evictions += 1

    def stats(self) -> CacheStats:
        """A snapshot of the counters."""
        return CacheStats(len(self._data), self._hits, self._misses, self._evictions, self._expired)
