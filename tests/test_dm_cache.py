"""TtlCache: TTL expiry, LRU eviction, stats; cache keys."""

from __future__ import annotations

import pytest
from attrs import evolve

from mud.core.clock import FakeClock
from mud.core.narration import NarrationRequest, Outcome, Priority, RoomSnapshot
from mud.dm.cache import TtlCache, cache_key

REQ = NarrationRequest(
    request_id=1,
    kind="scene",
    room=RoomSnapshot("crypt:nave", "Nave", "Dark."),
    actor="Alice",
    text="Look around!",
    outcome=Outcome(),
    priority=Priority.LOW,
    created=0.0,
    cacheable=True,
    state_key="s1",
)


def test_ttl_expiry() -> None:
    clock = FakeClock()
    c: TtlCache[str] = TtlCache(clock, ttl=300.0, size=4)
    k = cache_key("openai", "1", REQ)
    c.put(k, "text")
    clock.advance(299.9)
    assert c.get(k) == "text"
    clock.advance(0.1)
    assert c.get(k) is None
    st = c.stats()
    assert (st.hits, st.misses, st.expired, st.size) == (1, 1, 1, 0)


def test_lru_eviction_keeps_recently_used() -> None:
    clock = FakeClock()
    c: TtlCache[int] = TtlCache(clock, ttl=300.0, size=2)
    ka, kb, kc = (cache_key("p", "1", evolve(REQ, text=t)) for t in ("a", "b", "c"))
    c.put(ka, 1)
    c.put(kb, 2)
    assert c.get(ka) == 1  # a is now the most recently used
    c.put(kc, 3)
    assert c.get(kb) is None
    assert c.get(ka) == 1 and c.get(kc) == 3
    assert c.stats().evictions == 1 and len(c) == 2


def test_put_refreshes_ttl() -> None:
    clock = FakeClock()
    c: TtlCache[str] = TtlCache(clock, ttl=10.0)
    k = cache_key("p", "1", REQ)
    c.put(k, "old")
    clock.advance(8)
    c.put(k, "new")
    clock.advance(8)
    assert c.get(k) == "new"


def test_key_parts() -> None:
    base = cache_key("openai", "1", REQ)
    assert cache_key("openai", "1", evolve(REQ, text="  look AROUND ", request_id=9)) == base
    assert cache_key("openai", "1", evolve(REQ, actor="Bob")) == base  # same scene
    assert cache_key("local", "1", REQ) != base
    assert cache_key("openai", "2", REQ) != base
    assert cache_key("openai", "1", evolve(REQ, state_key="s2")) != base
    assert cache_key("openai", "1", evolve(REQ, kind="ask")) != base
    other_room = evolve(REQ, room=RoomSnapshot("crypt:apse", "Apse", "Dark."))
    assert cache_key("openai", "1", other_room) != base


def test_bad_parameters() -> None:
    with pytest.raises(ValueError):
        TtlCache(FakeClock(), ttl=0)
    with pytest.raises(ValueError):
        TtlCache(FakeClock(), size=0)


def test_a_value_the_caller_refuses_is_a_miss_and_kept_and_update_keeps_its_time() -> None:
    clock = FakeClock()
    c: TtlCache[str] = TtlCache(clock, ttl=300.0, size=4)
    k = cache_key("openai", "1", REQ)
    c.put(k, "heard by alice")
    assert c.get(k, lambda v: "alice" not in v) is None  # refused: a miss
    assert c.get(k) == "heard by alice"  # still there for someone else
    clock.advance(200.0)
    c.update(k, "heard by alice and cora")
    assert c.get(k) == "heard by alice and cora"
    clock.advance(100.0)  # 300 s after it was first stored: updating did not renew it
    assert c.get(k) is None
    c.update(k, "gone")  # nothing to update: nothing stored
    assert len(c) == 0
    st = c.stats()
    assert (st.hits, st.misses, st.expired) == (2, 2, 1)
