"""Recording hub events for replay (``mud.hub.recorder``), without a hub."""

from __future__ import annotations

import json

import pytest

from mud.core.ops import PutWorld
from mud.hub.recorder import Recorder


def test_an_event_is_recorded_with_its_data_digest_and_number() -> None:
    rec = Recorder()
    rec.seq = 41
    assert not rec.open and rec.finish() is None
    rec.begin("line", {"who": "alice", "text": "look"}, wall=1000.0)
    assert rec.open and rec.trace is not None
    rec.trace.add("send", "alice", "The Common Room")
    rec.trace.op(PutWorld("rng", "[1]", 5.0))
    assert rec.time(now=2000.0) == 1000.0  # one time for the whole event
    op = rec.finish()
    assert op is not None and not rec.open and rec.trace is None
    assert (op.ts, op.seq, op.kind) == (1000.0, 42, "line")
    record = json.loads(op.data)
    assert record["who"] == "alice" and record["text"] == "look"
    assert record["n"] == 2 and record["digest"] == rec.last_trace[0]
    assert record["sample"][0] == "send alice The Common Room"
    assert rec.last_trace[1] == 2
    assert rec.time(now=2000.0) == 2000.0  # no event open: the clock's


def test_the_same_work_has_the_same_digest_and_different_work_another() -> None:
    def digest(text: str) -> str:
        rec = Recorder()
        rec.begin("line", {}, wall=0.0)
        assert rec.trace is not None
        rec.trace.add("send", "alice", text)
        rec.finish()
        return rec.last_trace[0]

    assert digest("hello") == digest("hello") != digest("hullo")


def test_outside_values_are_recorded_live_and_answered_from_the_recording() -> None:
    live = Recorder()
    live.begin("line", {"who": "alice"}, wall=0.0)
    assert live.outside("idle", lambda: 12.5) == 12.5
    assert live.outside("who", lambda: [["Bob", 3.0, False]]) == [["Bob", 3.0, False]]
    op = live.finish()
    assert op is not None
    recorded = json.loads(op.data)["outside"]
    assert recorded == [["idle", 12.5], ["who", [["Bob", 3.0, False]]]]

    replay = Recorder()
    replay.replaying(recorded)

    def never() -> float:
        raise AssertionError("a replay must not ask the live world")

    replay.begin("line", {"who": "alice"}, wall=0.0)
    assert replay.outside("idle", never) == 12.5
    with pytest.raises(ValueError, match="no answer for 'tokens'"):
        replay.outside("tokens", never)
    assert replay.leftover() == [["who", [["Bob", 3.0, False]]]]
    assert replay.leftover() == []


def test_disabled_recording_records_nothing() -> None:
    rec = Recorder(enabled=False)
    rec.begin("line", {}, wall=0.0)
    assert not rec.open and rec.trace is None and rec.finish() is None
    assert rec.outside("idle", lambda: 1) == 1
