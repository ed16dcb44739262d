"""The hub's output pipeline: per-connection order and the durability gate. Pure.

One job: decide when each output value the hub produced may go out. The actor tells
the ``Outbox`` what the message it is handling writes (``write``) and says
(``emit``, ``prompt``); at the end of the message (``end_message``) it gets back what
may go out now. It asks ``due`` whether a commit should start and with which ops,
and reports each commit's outcome to ``settle``, which returns what that releases
(or, for a failed commit, the ops to undo and the "that did not happen" notices).
``shutdown`` hands over everything still pending. The Outbox never calls a session,
the store or the clock; it holds values and returns values (no asyncio).

The rule (see the actor's module docstring and docs/architecture.md):
- A message that wrote an op whose type declares ``gates_output`` is *gated*: its
  output waits for the commit that carries those writes. If that commit fails, the
  output made only for a committed outcome is dropped, hang-ups (``always``) still
  happen, and the connection whose input it was gets its undo notice.
- A message that wrote only logs is answered at once, except on connections that
  already have output waiting: there it queues behind, so order per connection holds.
- Writes accumulate into an *open* batch; at most one gated batch is *in flight*.
  A batch of logs alone is committed only when ``due`` is asked with ``flush_log`` or
  it reaches ``log_batch`` ops: nobody waits on it.
- Prompts are per connection and come after the outputs they follow; the actor
  decides at release time whether (and what) to prompt.
- A broadcast (``SendAll``, ``StreamAll``) is held as one value; where only some of
  its connections must wait, it is split in two by connection.
"""

from __future__ import annotations

from collections.abc import Iterable

from attrs import frozen

from mud.core.ops import WriteOp
from mud.hub.outputs import Broadcast, Outgoing, Output, conns_of, narrowed

# For which outcome of its message's commit a held output waits (plain ints, not an
# enum: every output of a broadcast to hundreds of players is tagged with one).
IF_COMMITTED = 0  # the message's writes are committed (ordinary output)
ALWAYS = 1  # whatever happens (a hang-up; output that only waited its turn)
IF_UNDONE = 2  # only if the writes are undone (the "that did not happen" notice)

#: One output value and the outcome it waits for (IF_COMMITTED, ALWAYS or IF_UNDONE).
Held = tuple[Outgoing, int]


@frozen
class Release:
    """What may go out now: ``outputs`` in order, then a prompt for each of ``prompts``
    (connections; the actor prompts those still playing)."""

    outputs: tuple[Outgoing, ...] = ()
    prompts: tuple[int, ...] = ()


@frozen
class Commit:
    """A batch the actor should commit now; ``gated`` batches must be settled."""

    ops: tuple[WriteOp, ...]
    gated: bool


@frozen
class Settled:
    """The outcome of a gated commit: what goes out (``releases``, delivered in order,
    each with its prompts after its outputs), what is now durable (``committed``), what
    must be put back to its last committed state (``undone``, this batch and everything
    written since) and how many players are told so."""

    releases: tuple[Release, ...]
    committed: tuple[WriteOp, ...] = ()
    undone: tuple[WriteOp, ...] = ()
    told: int = 0


def _releasable(held: Iterable[Held], *, committed: bool) -> tuple[Outgoing, ...]:
    return tuple(out for out, when in held if when == ALWAYS or (when == IF_COMMITTED) == committed)


def _conns(held: Iterable[Held]) -> set[int]:
    """Every connection the held outputs go to."""
    conns: set[int] = set()
    for out, _ in held:
        conns.update(conns_of(out))
    return conns


def _parted(out: Outgoing, held: set[int]) -> tuple[Outgoing | None, Outgoing | None]:
    """``out`` in two: the part for connections not in ``held``, the part for those in
    it (None: no such part). A broadcast is split by its connections."""
    conns = conns_of(out)
    late = tuple(c for c in conns if c in held)
    if not late:
        return out, None
    if len(late) == len(conns):
        return None, out
    return narrowed(out, tuple(c for c in conns if c not in held)), narrowed(out, late)


class Outbox:
    """Per-connection order and the durability gate (see the module docstring).

    Owned by one ``Hub``; every method is synchronous and raises nothing for any call
    order, except ``settle`` with ``gated=True`` when no gated commit is in flight
    (a ValueError: the caller lost track of its commits).
    """

    def __init__(self, *, log_batch: int) -> None:
        self.log_batch = log_batch
        self._clear()

    def _clear(self) -> None:
        # The message being handled.
        self._msg_out: list[Held] = []
        self._msg_prompt: set[int] = set()
        self._msg_gated = False
        # The open epoch: written, not yet committing; and its held output.
        self._open_ops: list[WriteOp] = []
        self._open_gated = False
        self._open_out: list[Held] = []
        self._open_prompt: set[int] = set()
        # The gated commit in flight (None: none).
        self._flight_out: list[Held] | None = None
        self._flight_prompt: set[int] = set()
        self._flight_ops: list[WriteOp] = []
        self._held: set[int] = set()  # connections with output waiting for a commit

    # -- the message being handled ---------------------------------------------------

    def write(self, ops: Iterable[WriteOp]) -> None:
        """Queue write ops for the next commit; a gating op gates this message."""
        for op in ops:
            self._open_ops.append(op)
            if op.gates_output:
                self._msg_gated = True

    def emit(self, out: Outgoing, *, always: bool = False) -> None:
        """Queue an output of this message. ``always``: it goes out even if the
        message's writes are undone (a hang-up)."""
        self._msg_out.append((out, ALWAYS if always else IF_COMMITTED))

    def send(self, out: Output) -> None:
        """``emit(out)`` and ``prompt(out.conn)``: the common case, in one call."""
        self._msg_out.append((out, IF_COMMITTED))
        self._msg_prompt.add(out.conn)

    def send_all(self, out: Broadcast) -> None:
        """``emit(out)`` and a prompt for each of its connections: a broadcast."""
        self._msg_out.append((out, IF_COMMITTED))
        self._msg_prompt.update(out.conns)

    def prompt(self, conn: int) -> None:
        """Prompt ``conn`` after this message's output to it."""
        self._msg_prompt.add(conn)

    @property
    def message_gated(self) -> bool:
        """Whether the message being handled has written state that gates its output."""
        return self._msg_gated

    @property
    def message_prompts(self) -> set[int]:
        """The live set of connections this message prompts (``prompt`` adds to it)."""
        return self._msg_prompt

    def end_message(self, notice: Output | None = None) -> Release:
        """The message is handled. Returns what goes out now. ``notice``: what the
        connection whose input the message was (``notice.conn``) is told instead of
        its output if the message's writes are undone (ignored unless it is gated)."""
        outs, self._msg_out = self._msg_out, []
        prompts, self._msg_prompt = self._msg_prompt, set()
        gated, self._msg_gated = self._msg_gated, False
        if gated:
            if notice is not None:
                outs.append((notice, IF_UNDONE))
                prompts.add(notice.conn)
            self._open_gated = True
            self._open_out += outs
            self._open_prompt |= prompts
            self._held |= _conns(outs)
            self._held |= prompts
            return Release()
        # Only logs: answer now, except where output already waits (order holds).
        held = self._held
        if not held:
            return Release(tuple(out for out, _ in outs), tuple(prompts))
        now: list[Outgoing] = []
        for out, _ in outs:
            ready, late = _parted(out, held)
            if late is not None:
                self._open_out.append((late, ALWAYS))
            if ready is not None:
                now.append(ready)
        self._open_prompt |= prompts & held
        return Release(tuple(now), tuple(prompts - held))

    # -- commits -------------------------------------------------------------------------

    @property
    def in_flight(self) -> bool:
        """True while a gated commit is out and not yet settled."""
        return self._flight_out is not None

    @property
    def pending(self) -> int:
        """Write ops not yet handed to a commit."""
        return len(self._open_ops)

    def held(self, conn: int) -> bool:
        """True if ``conn`` has output waiting for a commit."""
        return conn in self._held

    def due(self, *, flush_log: bool = False) -> Commit | None:
        """The commit to start now, if one is due (its ops leave the open batch).
        A gated commit is due whenever none is in flight; logs alone only with
        ``flush_log`` or a full ``log_batch``, and they need no ``settle``."""
        if self._flight_out is not None or not self._open_ops:
            return None
        if not self._open_gated:
            if flush_log or len(self._open_ops) >= self.log_batch:
                ops, self._open_ops = self._open_ops, []
                return Commit(tuple(ops), gated=False)
            return None
        ops, self._open_ops = self._open_ops, []
        self._open_gated = False
        self._flight_ops = ops
        self._flight_out, self._open_out = self._open_out, []
        self._flight_prompt, self._open_prompt = self._open_prompt, set()
        return Commit(tuple(ops), gated=True)

    def settle(self, *, ok: bool) -> Settled:
        """The gated commit in flight succeeded (``ok``) or failed for good.

        On success: its output goes out, and so does what queued behind it if nothing
        behind it is gated. On failure: it and everything written since is undone; the
        output made for a committed outcome is dropped, the rest (hang-ups, undo
        notices, output that only waited its turn) goes out. Raises ValueError if no
        gated commit is in flight."""
        if self._flight_out is None:
            raise ValueError("settle: no gated commit is in flight")
        outputs, prompts = self._flight_out, self._flight_prompt
        ops, self._flight_ops = self._flight_ops, []
        self._flight_out, self._flight_prompt = None, set()
        if not ok:
            undone = ops + self._open_ops
            held = outputs + self._open_out
            prompts = prompts | self._open_prompt
            self._open_ops, self._open_out, self._open_prompt = [], [], set()
            self._open_gated = False
            self._held = set()
            told = sum(1 for _, when in held if when == IF_UNDONE)
            release = Release(_releasable(held, committed=False), tuple(prompts))
            return Settled((release,), undone=tuple(undone), told=told)
        releases = [Release(_releasable(outputs, committed=True), tuple(prompts))]
        if not self._open_gated:
            # What queued behind the commit only waited for its turn: it can go now.
            behind = _releasable(self._open_out, committed=True)
            if behind or self._open_prompt:
                releases.append(Release(behind, tuple(self._open_prompt)))
            self._open_out, self._open_prompt = [], set()
        # Still waiting: whoever has output in the next epoch.
        self._held = _conns(self._open_out) | self._open_prompt
        return Settled(tuple(releases), committed=tuple(ops))

    # -- the end -------------------------------------------------------------------------

    def shutdown(self) -> tuple[tuple[WriteOp, ...], tuple[Outgoing, ...]]:
        """The server stops: every write op not yet handed to a commit, and every
        held output except undo notices (in flight, open, then this message's), as
        if their commits succeeded. The Outbox is empty afterwards."""
        held = (self._flight_out or []) + self._open_out + self._msg_out
        outputs = tuple(out for out, when in held if when != IF_UNDONE)
        ops = tuple(self._open_ops)
        self._clear()
        return ops, outputs


__all__ = ["ALWAYS", "IF_COMMITTED", "IF_UNDONE", "Commit", "Held", "Outbox", "Release", "Settled"]
