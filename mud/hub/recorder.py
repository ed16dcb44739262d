"""Recording what the hub does, for ``mud replay``. Pure.

One job: keep the record of the event the hub is handling. An *event* is one recorded
unit of the hub's work (a command line, an arrival, a DM message, a tick's respawn):
``begin`` opens it with its kind and the data a replay needs to redo it, the hub adds
what it produced to ``trace`` (outputs, DM requests, write ops), values it took from
outside the world go through ``outside``, and ``finish`` closes it into the
``LogEvent`` write op to store: the data, the digest of the trace and a short sample.

During a replay (``replaying``) ``outside`` answers from the recording instead of
asking, so the replay needs no DM, no network and no SSH library, and gets the same
answers; ``leftover`` says whether the replay used all of them.

Who calls it: only ``mud.hub.actor.Hub``. No I/O, no clock (the caller passes the wall
time an event begins), no randomness. Raises only ValueError, from ``outside`` during
a replay that has diverged from its recording.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any

from mud.core.ops import LogEvent
from mud.engine.trace import Trace

#: (digest, number of entries, sample) of a finished event's trace.
TraceSummary = tuple[str, int, list[str]]


class Recorder:
    """The event being recorded, its trace, and the numbering of events (``seq``)."""

    def __init__(self, *, enabled: bool = True) -> None:
        self.enabled = enabled
        self.seq = 0  # the number of the last finished event (grows across runs)
        self.wall = 0.0  # the wall time the open event began
        self.trace: Trace | None = None  # the open event's trace (None: none open)
        self.last_trace: TraceSummary = ("", 0, [])
        self._event: tuple[str, dict[str, Any]] | None = None
        self._answers: list[list[Any]] | None = None

    @property
    def open(self) -> bool:
        """True while an event is being recorded."""
        return self._event is not None

    def begin(self, kind: str, data: dict[str, Any], wall: float) -> None:
        """Open an event (nothing when recording is off). The caller finishes the one
        open before, if any: what it wrote since belongs to that one."""
        if not self.enabled:
            return
        self._event = (kind, data)
        self.wall = wall
        self.trace = Trace()

    def time(self, now: float) -> float:
        """The wall time of the open event, so everything it does uses one time (and a
        replay at that recorded time computes the same numbers); ``now`` if none."""
        return self.wall if self._event is not None else now

    def outside(self, what: str, live: Callable[[], Any]) -> Any:
        """A value the open event takes from outside the world: ``live()`` (a JSON
        value) on a live server, recorded with the event; during a replay, the recorded
        value. Raises ValueError during a replay when the recording holds no such
        answer at this point (the runs diverged, or an older version recorded it)."""
        if self._answers is not None:
            if not self._answers or self._answers[0][0] != what:
                raise ValueError(
                    f"the recording holds no answer for {what!r} here (recorded by an older"
                    " version, or the replay has diverged)"
                )
            return self._answers.pop(0)[1]
        value = live()
        if self._event is not None:
            self._event[1].setdefault("outside", []).append([what, value])
        return value

    def finish(self) -> LogEvent | None:
        """Close the open event: number it, summarise its trace into ``last_trace`` and
        return the op that stores it (None if no event was open)."""
        if self._event is None or self.trace is None:
            return None
        kind, data = self._event
        trace = self.trace
        self._event, self.trace = None, None
        self.last_trace = (trace.digest(), len(trace), trace.sample())
        self.seq += 1
        # A short sample is kept with the digest so a failed replay can show what the
        # recorded run did; the full outputs would cost a kilobyte per look.
        record = {
            **data,
            "digest": self.last_trace[0],
            "n": len(trace),
            "sample": trace.sample(3, 100),
        }
        return LogEvent(self.wall, self.seq, kind, json.dumps(record, separators=(",", ":")))

    def replaying(self, answers: list[Any]) -> None:
        """A recorded event is about to be replayed: ``outside`` answers with these
        (the event's recorded ``outside`` list of [what, value] pairs), in order."""
        self.last_trace = ("", 0, [])
        self._answers = [list(a) for a in answers]

    def leftover(self) -> list[list[Any]]:
        """End the replayed event: the recorded answers it did not ask for."""
        left, self._answers = self._answers or [], None
        return left


__all__ = ["Recorder", "TraceSummary"]
