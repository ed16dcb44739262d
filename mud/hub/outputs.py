"""What the hub tells one connection: output as plain, frozen values.

One job: name every kind of output the hub produces, each a frozen value that names
its connection (``conn``, the door's connection number). The hub builds these, its
``Outbox`` orders and gates them, and exactly one method of the actor
(``Hub._deliver``) turns each into the matching ``SessionPort`` call. They are plain
data (no sessions, no callables), so a gateway in another process can later receive
them as they are.

A broadcast (a say to a room, a narration chunk to its viewers, a chat line to the GMCP
clients hearing it) is one value naming all its connections (``SendAll``,
``StreamAll``, ``DataAll``: the ``Broadcast`` kinds), not one value per receiver: a say
to a room of 1,000 made 1,000 ``Send`` values, held them in the outbox and walked them
one by one (issue 16). ``Outgoing`` is either kind.

Contract: every field is a ``Doc``, a ``str``, an ``int``, a ``bool``, ``None``, a tuple
of connection numbers or (for ``Data.payload``) a JSON value. Pure: no I/O, no clock,
no randomness.
"""

from __future__ import annotations

from attrs import evolve, frozen

from mud.core.outputs import Doc
from mud.core.ports import SessionPort


@frozen
class Send:
    """Render ``doc`` for the connection's terminal and queue it (``SessionPort.send``)."""

    conn: int
    doc: Doc


@frozen
class Prompt:
    """Show a prompt, not newline-terminated (``SessionPort.prompt``)."""

    conn: int
    markup: str


@frozen
class StreamText:
    """Append narration text to stream ``stream_id`` (``SessionPort.stream``)."""

    conn: int
    stream_id: int
    text: str


@frozen
class EndStream:
    """Flush and forget stream ``stream_id`` (``SessionPort.end_stream``)."""

    conn: int
    stream_id: int


@frozen
class Data:
    """Out-of-band data, a GMCP package and its JSON payload (``SessionPort.data``)."""

    conn: int
    package: str
    payload: object


@frozen
class Echo:
    """Turn the client's local echo on or off (``SessionPort.set_echo``)."""

    conn: int
    on: bool


@frozen
class Prefs:
    """Player display overrides; None leaves one as it is (``SessionPort.set_prefs``)."""

    conn: int
    colour: bool | None
    screenreader: bool | None
    width: int | None


@frozen
class Close:
    """Write ``farewell`` (if any) and close the connection (``SessionPort.close``)."""

    conn: int
    farewell: Doc | None = None


@frozen
class Bound:
    """The connection now plays account ``account`` (``SessionPort.bound``): a gateway
    remembers it, to attach the connection again to a restarted game."""

    conn: int
    account: str


@frozen
class Ack:
    """The hub has taken line ``seq`` of the connection (``SessionPort.ack``; split mode).
    It is released with that line's output, so after the line's writes are committed."""

    conn: int
    seq: int


@frozen
class SendAll:
    """``Send`` of one ``doc`` to each of ``conns``, in that order (a broadcast)."""

    conns: tuple[int, ...]
    doc: Doc


@frozen
class StreamAll:
    """``StreamText`` of one ``text`` to each of ``conns`` (a narration chunk to a room)."""

    conns: tuple[int, ...]
    stream_id: int
    text: str


@frozen
class DataAll:
    """``Data`` of one package and payload to each of ``conns`` (a say's chat line to
    every GMCP client that hears it)."""

    conns: tuple[int, ...]
    package: str
    payload: object


Output = Send | Prompt | StreamText | EndStream | Data | Echo | Prefs | Close | Bound | Ack
"""The closed union of the output values for one connection (each names its ``conn``)."""

Broadcast = SendAll | StreamAll | DataAll
"""The output values for many connections (each names its ``conns``)."""

Outgoing = Output | Broadcast
"""Every output value the hub produces, for one connection or many."""


def conns_of(out: Outgoing) -> tuple[int, ...]:
    """The connections ``out`` goes to (one, or a broadcast's)."""
    if isinstance(out, Broadcast):
        return out.conns
    return (out.conn,)


def narrowed(out: Outgoing, conns: tuple[int, ...]) -> Outgoing:
    """``out`` for ``conns`` only: a broadcast with those connections (itself if they
    are all of its own), a single output as it is. Called by the outbox and the spread
    when part of a broadcast must wait."""
    if isinstance(out, Broadcast):
        return out if conns == out.conns else evolve(out, conns=conns)
    return out


def deliver(port: SessionPort, out: Output) -> None:
    """Turn one output value into the matching ``SessionPort`` call. Called by the hub's
    ``_deliver`` (one process) and by a gateway for the batches a game sends it."""
    if type(out) is Send:  # most output by far: skip the match
        port.send(out.doc)
        return
    match out:
        case Send(_, doc):
            port.send(doc)
        case Prompt(_, markup):
            port.prompt(markup)
        case StreamText(_, stream_id, text):
            port.stream(stream_id, text)
        case EndStream(_, stream_id):
            port.end_stream(stream_id)
        case Data(_, package, payload):
            port.data(package, payload)
        case Echo(_, on):
            port.set_echo(on)
        case Prefs(_, colour, screenreader, width):
            port.set_prefs(colour=colour, screenreader=screenreader, width=width)
        case Bound(_, account):
            port.bound(account)
        case Ack(_, seq):
            port.ack(seq)
        case Close(_, farewell):
            port.close(farewell)


__all__ = [
    "Ack",
    "Bound",
    "Broadcast",
    "Close",
    "Data",
    "DataAll",
    "Echo",
    "EndStream",
    "Outgoing",
    "Output",
    "Prefs",
    "Prompt",
    "Send",
    "SendAll",
    "StreamAll",
    "StreamText",
    "conns_of",
    "deliver",
    "narrowed",
]
