"""The hub's outbox, without an event loop: order per connection, the durability gate,
release on commit, failed commits and the shutdown flush (``mud.hub.outbox``)."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from mud.core.ops import LogChat, LogEvent, PutCharacter, PutWorld, WriteOp
from mud.core.outputs import Doc
from mud.engine.trace import Trace
from mud.hub.outbox import Commit, Outbox, Release
from mud.hub.outputs import Close, Data, Echo, Send, SendAll, StreamAll

ROOT = Path(__file__).resolve().parent.parent / "mud" / "hub"


def chat(n: int = 0) -> LogChat:
    return LogChat(0.0, "room", "say", "alice", None, f"hello {n}")


def state(key: str = "alice") -> PutCharacter:
    return PutCharacter(key, "{}", 0.0)


def send(conn: int, text: str) -> Send:
    return Send(conn, Doc.text(text))


def test_a_message_that_writes_only_logs_is_answered_at_once_in_order() -> None:
    box = Outbox(log_batch=64)
    box.write([chat(), LogEvent(0.0, 1, "line", "{}")])
    box.emit(send(1, "You say, 'hi'"))
    box.emit(send(2, "Alice says, 'hi'"))
    box.emit(Echo(1, True))
    box.prompt(1)
    box.prompt(2)
    release = box.end_message(send(1, "undone"))
    assert release.outputs == (send(1, "You say, 'hi'"), send(2, "Alice says, 'hi'"), Echo(1, True))
    assert sorted(release.prompts) == [1, 2]
    # Two log rows are no reason to start a transaction: they wait for a batch or a tick.
    assert box.due() is None
    assert box.pending == 2


def test_a_gated_message_waits_for_its_commit_and_is_released_by_it() -> None:
    box = Outbox(log_batch=64)
    box.write([chat(), state()])
    box.emit(send(1, "You pick up the lantern."))
    box.emit(send(2, "Alice picks up the lantern."))
    box.prompt(1)
    assert box.end_message(send(1, "undone")) == Release()
    assert box.held(1) and box.held(2) and not box.held(3)
    commit = box.due()
    assert commit == Commit((chat(), state()), gated=True)
    assert box.in_flight and box.due() is None and box.pending == 0
    settled = box.settle(ok=True)
    # The undo notice is not sent when the commit succeeds.
    assert settled.releases == (
        Release(
            (send(1, "You pick up the lantern."), send(2, "Alice picks up the lantern.")),
            (1,),
        ),
    )
    assert settled.committed == (chat(), state())
    assert settled.undone == () and settled.told == 0
    assert not box.in_flight and not box.held(1) and not box.held(2)


def test_order_per_connection_holds_behind_a_commit_and_others_are_not_held() -> None:
    box = Outbox(log_batch=64)
    box.write([state()])
    box.emit(send(1, "first"))
    box.prompt(1)
    box.end_message()
    assert box.due() is not None
    # A say while the pickup commits: the speaker's listener 2 hears at once; 1 waits.
    box.write([chat()])
    box.emit(send(1, "second"))
    box.emit(send(2, "to two"))
    box.prompt(1)
    box.prompt(2)
    release = box.end_message()
    assert release.outputs == (send(2, "to two"),)
    assert release.prompts == (2,)
    settled = box.settle(ok=True)
    # Each message's prompt follows its own output, as it would have without the wait.
    assert settled.releases == (
        Release((send(1, "first"),), (1,)),
        Release((send(1, "second"),), (1,)),
    )


def test_one_gated_commit_at_a_time_the_next_epoch_waits_for_the_first() -> None:
    box = Outbox(log_batch=64)
    box.write([state("alice")])
    box.emit(send(1, "one"))
    box.end_message()
    first = box.due()
    assert first is not None and first.ops == (state("alice"),)
    box.write([state("bob")])
    box.emit(send(2, "two"))
    assert box.end_message() == Release()
    assert box.due() is None  # one in flight
    settled = box.settle(ok=True)
    assert settled.releases == (Release((send(1, "one"),)),)  # two is gated: it waits
    assert box.held(2) and not box.held(1)
    second = box.due()
    assert second == Commit((state("bob"),), gated=True)
    assert box.settle(ok=True).releases == (Release((send(2, "two"),)),)


def test_a_failed_commit_undoes_it_and_what_was_built_on_it() -> None:
    box = Outbox(log_batch=64)
    box.write([state("alice")])
    box.emit(send(1, "You pick up the lantern."))
    box.emit(Close(3, None), always=True)  # a hang-up happens whatever the disk says
    box.end_message(send(1, "That did not happen."))
    assert box.due() is not None
    # Built on it while it commits: Bob drops something (gated), Carol says hi (not).
    box.write([state("bob")])
    box.emit(send(2, "You drop the rope."))
    box.end_message(send(2, "That did not happen."))
    box.write([chat()])
    box.emit(send(1, "Carol says hi"))
    box.end_message()
    settled = box.settle(ok=False)
    assert settled.undone == (state("alice"), state("bob"), chat())
    assert settled.committed == ()
    assert settled.told == 2
    (release,) = settled.releases
    assert release.outputs == (
        Close(3, None),
        send(1, "That did not happen."),
        send(2, "That did not happen."),
        send(1, "Carol says hi"),  # it only waited its turn
    )
    assert sorted(release.prompts) == [1, 2]
    # Afterwards nothing is held or pending: play resumes with the next commit.
    assert not box.in_flight and box.pending == 0 and not box.held(1) and not box.held(2)
    box.write([state("alice")])
    box.emit(send(1, "again"))
    box.end_message()
    assert box.due() == Commit((state("alice"),), gated=True)


def test_logs_alone_commit_in_batches_or_when_flushed() -> None:
    box = Outbox(log_batch=3)
    for n in range(2):
        box.write([chat(n)])
        box.end_message()
    assert box.due() is None
    assert box.due(flush_log=True) == Commit((chat(0), chat(1)), gated=False)
    assert box.pending == 0 and not box.in_flight  # nobody waits on it: no settle
    for n in range(3):
        box.write([chat(n)])
    assert box.due() == Commit((chat(0), chat(1), chat(2)), gated=False)


def test_a_broadcast_is_held_only_for_the_connections_with_output_waiting() -> None:
    box = Outbox(log_batch=64)
    box.write([state("alice")])
    box.send(send(1, "You take the lamp."))
    assert box.end_message() == Release()
    assert box.due() is not None  # connection 1's output waits for this commit
    # A say to 1, 2 and 3 while 1 waits: 2 and 3 hear it now, 1 after its own output.
    box.write([chat()])
    room = Doc.text("Alice says, 'hi'")
    box.send_all(SendAll((1, 2, 3), room))
    now = box.end_message()
    assert now == Release((SendAll((2, 3), room),), (2, 3))
    settled = box.settle(ok=True)
    assert [r.outputs for r in settled.releases] == [
        (send(1, "You take the lamp."),),
        (SendAll((1,), room),),
    ]
    assert [r.prompts for r in settled.releases] == [(1,), (1,)]
    assert not box.held(1)


def test_a_gated_broadcast_holds_every_one_of_its_connections() -> None:
    box = Outbox(log_batch=64)
    box.write([state("alice")])
    box.send_all(SendAll((4, 5), Doc.text("The door slams.")))
    assert box.end_message() == Release()
    assert box.held(4) and box.held(5) and not box.held(6)


def test_a_trace_of_a_broadcast_is_the_trace_of_its_sends_one_by_one() -> None:
    doc = Doc.text("Alice says, 'hi'")
    one_by_one, at_once = Trace(), Trace()
    for who in ("bob", "carol", "dave"):
        one_by_one.doc(who, doc)
    at_once.docs(["bob", "carol", "dave"], doc)
    assert at_once.entries == one_by_one.entries
    assert at_once.digest() == one_by_one.digest()


def test_a_trace_tells_documents_apart_though_each_is_freed_once_sent() -> None:
    # Found: 200 documents made and dropped one by one traced as 3 texts (a freed
    # document's address is given to the next, and the text was cached by address).
    trace = Trace()
    for i in range(200):
        trace.doc("bob", Doc.text(f"line {i}"))
    assert trace.entries == [f"send bob {Doc.text(f'line {i}')!r}" for i in range(200)]


def test_settling_with_nothing_in_flight_is_a_caller_error() -> None:
    with pytest.raises(ValueError, match="no gated commit"):
        Outbox(log_batch=8).settle(ok=True)


def test_shutdown_hands_over_pending_writes_and_held_output_but_no_undo_notice() -> None:
    box = Outbox(log_batch=64)
    box.write([state("alice")])
    box.emit(send(1, "in flight"))
    box.end_message(send(1, "undone 1"))
    assert box.due() is not None
    box.write([state("bob")])
    box.emit(send(2, "open"))
    box.end_message(send(2, "undone 2"))
    box.write([chat()])
    box.emit(send(3, "this message"))
    ops, outputs = box.shutdown()
    assert ops == (state("bob"), chat())
    assert outputs == (send(1, "in flight"), send(2, "open"), send(3, "this message"))
    assert box.shutdown() == ((), ())
    assert not box.in_flight and not box.held(1)


# -- a model of the actor driving the outbox ------------------------------------------

Emit = tuple[tuple[int, ...], bool]  # (connections: one, or a broadcast's; always)
Step = tuple[str, bool, tuple[Emit, ...]]  # ("msg", gated, emits) | ("settle", ok, ())

steps = st.lists(
    st.one_of(
        st.tuples(
            st.just("msg"),
            st.booleans(),
            st.lists(
                st.tuples(
                    st.lists(st.integers(1, 4), min_size=1, max_size=4, unique=True).map(tuple),
                    st.booleans(),
                ),
                max_size=4,
            ).map(tuple),
        ),
        st.tuples(st.just("settle"), st.booleans(), st.just(())),
        st.tuples(st.just("flush"), st.just(False), st.just(())),
    ),
    max_size=30,
)


@settings(max_examples=300, deadline=None)
@given(steps)
def test_model_order_per_connection_and_nothing_acknowledged_before_its_commit(
    script: list[Step],
) -> None:
    box = Outbox(log_batch=5)
    # One entry per (connection, output): a broadcast counts once for each of its own.
    delivered: list[Data] = []
    committed: set[int] = set()  # gated messages whose writes are durable
    undone: set[int] = set()
    emitted: dict[int, list[tuple[int, int, bool]]] = {}  # msg -> (conn, seq, always)
    origins: dict[int, int] = {}
    gated_msgs: set[int] = set()

    def msg_of(op: WriteOp) -> int:
        assert isinstance(op, PutWorld)
        return int(op.key)

    def deliver(release: Release) -> None:
        assert len(set(release.prompts)) == len(release.prompts), "a doubled prompt"
        for out in release.outputs:
            if isinstance(out, StreamAll):  # a broadcast: (msg, seq) in its stream id
                assert len(set(out.conns)) == len(out.conns) > 0, out.conns
                msg, seq = divmod(out.stream_id, 100)
                singles = [Data(c, "t", (msg, seq, out.text)) for c in out.conns]
            else:
                assert isinstance(out, Data)
                singles = [out]
            for one in singles:
                msg, _seq, kind = one.payload  # type: ignore[misc]
                if kind == "normal" and msg in gated_msgs:
                    assert msg in committed, "output sent before its writes were committed"
                if kind == "notice":
                    assert msg in undone, "an undo notice for writes that were not undone"
                delivered.append(one)

    def start_commit() -> None:
        commit = box.due()
        if commit is not None and not commit.gated:
            assert all(not op.gates_output for op in commit.ops)

    def settle(ok: bool) -> None:
        result = box.settle(ok=ok)
        durable = {msg_of(op) for op in result.committed if isinstance(op, PutWorld)}
        lost = {msg_of(op) for op in result.undone if isinstance(op, PutWorld)}
        committed.update(durable)
        undone.update(lost)
        for release in result.releases:
            deliver(release)
        start_commit()

    for n, (kind, flag, emits) in enumerate(script):
        if kind == "msg":
            conn0 = emits[0][0][0] if emits else 1
            origins[n] = conn0
            if flag:
                gated_msgs.add(n)
                box.write([PutWorld(str(n), "{}", 0.0)])
            box.write([chat(n)])
            emitted[n] = []
            for seq, (conns, always) in enumerate(emits):
                when = "always" if always else "normal"
                emitted[n] += [(conn, seq, always) for conn in conns]
                if len(conns) == 1:
                    box.emit(Data(conns[0], "t", (n, seq, when)), always=always)
                else:
                    box.emit(StreamAll(conns, n * 100 + seq, when), always=always)
            box.prompt(conn0)
            deliver(box.end_message(Data(conn0, "t", (n, -1, "notice"))))
            start_commit()
        elif kind == "settle" and box.in_flight:
            settle(flag)
        elif kind == "flush":
            start_commit()
    while box.in_flight:  # the store comes back: everything still held commits
        settle(True)

    # Order per connection: the (message, seq) of what each connection got only grows.
    seen: dict[int, list[tuple[int, int]]] = {}
    for out in delivered:
        msg, seq, _ = out.payload  # type: ignore[misc]
        seen.setdefault(out.conn, []).append((msg, seq if seq >= 0 else 99))
    for conn, got in seen.items():
        assert got == sorted(got), f"connection {conn} got its output out of order: {got}"
    # Nothing is lost or stuck: every output went out unless its message was undone.
    got_all = {(d.conn, d.payload[0], d.payload[1]) for d in delivered}  # type: ignore[index]
    assert len(got_all) == len(delivered), "an output reached a connection twice"
    for msg, outs in emitted.items():
        for conn, seq, always in outs:
            lost = msg in undone and not always
            assert ((conn, msg, seq) in got_all) != lost, (msg, conn, seq, always, msg in undone)
        if msg in gated_msgs:
            assert ((origins[msg], msg, -1) in got_all) == (msg in undone)


def test_the_pure_hub_modules_do_no_io_and_hold_no_callables() -> None:
    banned = {"asyncio", "socket", "random", "time", "threading", "subprocess", "functools"}
    for name in ("outbox.py", "outputs.py", "gmcp.py", "narration.py", "recorder.py"):
        tree = ast.parse((ROOT / name).read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            if isinstance(node, ast.Import):
                names = [a.name for a in node.names]
            elif isinstance(node, ast.ImportFrom):
                names = [node.module or ""]
            else:
                continue
            assert not {n.split(".")[0] for n in names} & banned, f"{name} imports {names}"


def test_only_the_actors_deliver_calls_a_session_port() -> None:
    """The one place output values become SessionPort calls is ``outputs.deliver``, and
    in the hub only ``Hub._deliver`` calls it (sending the commonest, ``Send``, itself):
    no other code of the hub calls a session directly (it emits an output value)."""
    methods = {
        "send",
        "prompt",
        "stream",
        "end_stream",
        "set_echo",
        "data",
        "set_prefs",
        "close",
        "bound",
        "ack",
    }
    offenders: list[str] = []
    callers: list[str] = []
    for path in sorted(ROOT.glob("*.py")):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for fn in ast.walk(tree):
            if not isinstance(fn, ast.FunctionDef | ast.AsyncFunctionDef):
                continue
            if (path.name, fn.name) == ("outputs.py", "deliver"):
                continue
            delivering = (path.name, fn.name) == ("actor.py", "_deliver")
            for node in ast.walk(fn):
                if not isinstance(node, ast.Call):
                    continue
                if isinstance(node.func, ast.Name) and node.func.id == "deliver":
                    callers.append(f"{path.name}:{fn.name}")
                if (
                    not delivering
                    and isinstance(node.func, ast.Attribute)
                    and node.func.attr in methods
                    and ast.unparse(node.func.value) != "self._outbox"
                ):
                    offenders.append(f"{path.name}:{node.lineno} {fn.name}: {ast.unparse(node)}")
    assert offenders == []
    assert callers == ["actor.py:_deliver"]
