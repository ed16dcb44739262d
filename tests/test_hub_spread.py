"""Broadcasts to a crowd in slices (``mud.hub.spread``): what goes out now, what waits,
and order per connection, without an event loop."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from mud.core.outputs import Doc
from mud.hub.outbox import Release
from mud.hub.outputs import Close, Data, Send, SendAll, StreamAll
from mud.hub.spread import Spread

SAY = Doc.text("Alice says, 'hello'")


def test_a_small_release_passes_as_it_is() -> None:
    spread = Spread(3)
    release = Release((SendAll((1, 2, 3), SAY), Send(4, SAY)), (1, 2, 3, 4))
    assert not spread.splits(release)
    assert spread.admit(release) == [release]
    assert not spread.waiting


def test_a_crowd_hears_the_first_slice_now_and_the_rest_a_slice_at_a_time() -> None:
    spread = Spread(2)
    release = Release((SendAll((1, 2, 3, 4, 5), SAY),), (1, 2, 3, 4, 5))
    assert spread.splits(release)
    assert spread.admit(release) == [Release((SendAll((1, 2), SAY),), (1, 2))]
    assert spread.waiting
    # Each slice: the say and the prompt after it, together (one socket write each).
    assert spread.next_slice() == Release((SendAll((3, 4), SAY),), (3, 4))
    assert spread.next_slice() == Release((SendAll((5,), SAY),), (5,))
    assert spread.next_slice() is None and not spread.waiting


def test_a_connection_still_waiting_catches_up_before_its_new_output() -> None:
    spread = Spread(2)
    spread.admit(Release((SendAll((1, 2, 3, 4), SAY),), (1, 2, 3, 4)))
    look = Send(4, Doc.text("The Common Room"))
    # 4's look answer: first the say and prompt it still waits for, then the look.
    assert spread.admit(Release((look,), (4,))) == [
        Release((SendAll((4,), SAY),), (4,)),
        Release((look,), (4,)),
    ]
    # 3 still waits; 4 is owed nothing more.
    assert spread.next_slice() == Release((SendAll((3,), SAY),), (3,))
    assert spread.next_slice() is None


def test_the_rest_of_a_release_for_a_put_off_receiver_waits_behind_it() -> None:
    spread = Spread(1)
    chat = Data(2, "Comm.Channel.Text", {"text": "hello"})
    parts = spread.admit(Release((SendAll((1, 2), SAY), chat, Close(3)), (1, 2)))
    assert parts == [Release((SendAll((1,), SAY), Close(3)), (1,))]
    assert spread.drain() == [Release((SendAll((2,), SAY), chat), (2,))]
    assert not spread.waiting


# -- a model: everything goes out once, in order per connection -----------------------

release_st = st.builds(
    lambda outs, prompts: (outs, prompts),
    st.lists(
        st.tuples(st.lists(st.integers(1, 6), min_size=1, max_size=6, unique=True), st.booleans()),
        max_size=4,
    ),
    st.lists(st.integers(1, 6), max_size=6, unique=True),
)


@settings(max_examples=300, deadline=None)
@given(st.integers(1, 4), st.lists(st.tuples(release_st, st.integers(0, 3)), max_size=12))
def test_model_every_output_once_and_in_order_per_connection(
    size: int, script: list[tuple[tuple[list[tuple[list[int], bool]], list[int]], int]]
) -> None:
    spread = Spread(size)
    sent: dict[int, list[tuple[int, int] | str]] = {}  # conn -> (release, output) or "P"
    got: dict[int, list[tuple[int, int] | str]] = {}

    def deliver(release: Release) -> None:
        assert len(set(release.prompts)) == len(release.prompts)
        for out in release.outputs:
            assert isinstance(out, StreamAll)
            assert len(set(out.conns)) == len(out.conns) > 0
            for conn in out.conns:
                got.setdefault(conn, []).append(divmod(out.stream_id, 100))
        for conn in release.prompts:
            got.setdefault(conn, []).append("P")

    for n, ((outs, prompts), slices) in enumerate(script):
        values = []
        for k, (conns, _) in enumerate(outs):
            values.append(StreamAll(tuple(conns), n * 100 + k, "x"))
            for conn in conns:
                sent.setdefault(conn, []).append((n, k))
        for conn in prompts:
            sent.setdefault(conn, []).append("P")
        for part in spread.admit(Release(tuple(values), tuple(prompts))):
            deliver(part)
        for _ in range(slices):  # the event loop gives the spread some turns
            part = spread.next_slice()
            if part is not None:
                deliver(part)
    for part in spread.drain():
        deliver(part)
    assert not spread.waiting
    for conn, expected in sent.items():
        received = got.get(conn, [])
        outputs = [x for x in expected if x != "P"]
        assert [x for x in received if x != "P"] == outputs, conn
        # What a connection got is what was sent to it, in order, less at most some
        # prompts (one folded into the next): never a prompt before an output it
        # followed, never one more than was sent.
        rest = iter(expected)
        assert all(any(x == y for y in rest) for x in received), (conn, expected, received)
        if expected and expected[-1] == "P":
            assert received and received[-1] == "P", (conn, expected, received)
