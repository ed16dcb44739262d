"""What the gateways and the game say to each other over the bus: subjects and encodings.

Pure: values in, bytes out and back; no I/O, no clock. Called by ``mud.split.gateway``
and ``mud.split.game`` only.

Encoding. Every message is one JSON object (UTF-8). Events and outputs are the frozen
values the one-process server already passes around (``mud.core.events``,
``mud.hub.outputs``), written as short tagged arrays, so the hub and the sessions never
know whether a bus is between them. An output batch carries each distinct ``Doc`` once
(``docs``) and refers to it by index: a ``say`` to a room of 1,000 is one document and
1,000 short references, and the gateway decodes it into one object whose rendering its
sessions share.

Subjects (``world`` is the deployment's name, ``mud`` by default):

- ``<world>.game.in``: event batches, gateways -> game (one publisher connection per
  gateway, so NATS keeps each gateway's order, and so each connection's);
- ``<world>.gw.<gid>.out``: output batches, game -> gateway ``gid`` (one per hub turn);
- ``<world>.game.beat`` and ``<world>.gw.beat``: heartbeats, once a second each way;
- ``<world>.game.attach`` (request/reply): a gateway hands its connections to a game;
- ``<world>.game.auth`` (request/reply): an SSH login check;
- ``<world>.game.resend`` (request/reply): a gateway that missed output messages asks
  for them again (see *Framing*);
- ``<world>.game.who`` (request/reply): who is in the world, for a gateway's public
  who-list.

Framing. Each output message is prefixed with ``<epoch>|<stream>|<number>|``
(``frame``/``unframe``): the game numbers its messages to a gateway from 1 in a
*stream* that begins each time that gateway run attaches anew, so a gateway sees a
message lost on the way (NATS drops what its server held when it died) as a gap and
asks for it again, and applies every message once and in order.

Sharding by zone later adds a zone token after ``game`` (``<world>.game.<zone>.in``); a
gateway then routes by the zone the game told it a connection is in.

Raises ``WireError`` for a message it cannot read (a bug or a foreign publisher): the
caller logs and drops it.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from typing import Any, cast

from attrs import evolve, frozen

from mud.core.events import (
    AdapterEvent,
    Connected,
    Disconnected,
    Door,
    GmcpChanged,
    LineIn,
    Resized,
    TermInfo,
)
from mud.core.outputs import Art, Block, Doc, Para, Table, Title
from mud.hub.outputs import (
    Ack,
    Bound,
    Close,
    Data,
    Echo,
    EndStream,
    Output,
    Prefs,
    Prompt,
    Send,
    StreamText,
)

# 2: an output item may name a list of connections (``Fanout``); 3: ``GmcpChanged``
# events, and an attach lists each connection's GMCP state.
VERSION = 3


class WireError(ValueError):
    """A bus message that does not decode."""


# -- subjects ------------------------------------------------------------------------


def events_subject(world: str) -> str:
    return f"{world}.game.in"


def outputs_subject(world: str, gid: int) -> str:
    return f"{world}.gw.{gid}.out"


def game_beat_subject(world: str) -> str:
    return f"{world}.game.beat"


def gateway_beat_subject(world: str) -> str:
    return f"{world}.gw.beat"


def attach_subject(world: str) -> str:
    return f"{world}.game.attach"


def auth_subject(world: str) -> str:
    return f"{world}.game.auth"


def resend_subject(world: str) -> str:
    return f"{world}.game.resend"


def who_subject(world: str) -> str:
    return f"{world}.game.who"


def frame(epoch: str, stream: int, number: int, data: bytes) -> bytes:
    """An output message as sent: ``data`` behind its game run, stream and number."""
    return f"{epoch}|{stream}|{number}|".encode() + data


def unframe(data: bytes) -> tuple[str, int, int, bytes]:
    """(epoch, stream, number, message) of a framed output message. Raises WireError."""
    try:
        epoch, stream, number, body = data.split(b"|", 3)
        return epoch.decode(), int(stream), int(number), body
    except ValueError as exc:
        raise WireError(f"not a framed output message: {data[:40]!r}") from exc


# -- connection numbers ----------------------------------------------------------------

GID_BITS = 9  # up to 511 gateways
INCARNATION_BITS = 20
SERIAL_BITS = 24  # 16 M connections per gateway run; 9 + 20 + 24 = 53 bits, a JSON-safe int


def conn_base(gid: int, incarnation: int) -> int:
    """The first connection number of gateway ``gid`` in its run ``incarnation`` (a
    random number it draws at start): numbers never collide between gateways, nor
    between two runs of one gateway that a game may still remember."""
    if not 0 < gid < (1 << GID_BITS):
        raise ValueError(f"gateway id must be 1..{(1 << GID_BITS) - 1}, not {gid}")
    return (gid << (INCARNATION_BITS + SERIAL_BITS)) | (
        (incarnation % (1 << INCARNATION_BITS)) << SERIAL_BITS
    )


def gateway_of(conn: int) -> int:
    """The gateway id a connection number belongs to."""
    return conn >> (INCARNATION_BITS + SERIAL_BITS)


# -- documents ----------------------------------------------------------------------


def _block(block: Block) -> list[Any]:
    match block:
        case Para(markup):
            return ["p", markup]
        case Title(markup):
            return ["t", markup]
        case Art(lines, alt):
            return ["a", list(lines), alt]
        case Table(rows, header):
            return ["b", [list(r) for r in rows], list(header)]


def _unblock(raw: Any) -> Block:
    tag = raw[0]
    if tag == "p":
        return Para(str(raw[1]))
    if tag == "t":
        return Title(str(raw[1]))
    if tag == "a":
        return Art(tuple(str(x) for x in raw[1]), str(raw[2]))
    if tag == "b":
        return Table(tuple(tuple(str(c) for c in r) for r in raw[1]), tuple(str(h) for h in raw[2]))
    raise WireError(f"unknown block {tag!r}")


def doc_to_wire(doc: Doc) -> list[Any]:
    return [_block(b) for b in doc.blocks]


def doc_from_wire(raw: Any) -> Doc:
    return Doc(tuple(_unblock(b) for b in raw))


def term_to_wire(term: TermInfo) -> list[Any]:
    return [
        term.term,
        term.width,
        term.height,
        term.colours,
        term.screenreader,
        term.charset,
        term.width_known,
    ]


def term_from_wire(raw: Any) -> TermInfo:
    return TermInfo(
        term=str(raw[0]),
        width=int(raw[1]),
        height=int(raw[2]),
        colours=int(raw[3]),
        screenreader=bool(raw[4]),
        charset=str(raw[5]),
        width_known=bool(raw[6]),
    )


# -- events (gateway -> game) --------------------------------------------------------


def event_to_wire(event: AdapterEvent) -> list[Any]:
    match event:
        case LineIn(conn, text, seq):
            return ["L", conn, text, seq]
        case Connected(conn, door, peer, term, preauth, restored):
            return ["C", conn, door, peer, term_to_wire(term), preauth, restored]
        case Resized(conn, term):
            return ["R", conn, term_to_wire(term)]
        case GmcpChanged(conn, on):
            return ["G", conn, on]
        case Disconnected(conn, reason):
            return ["D", conn, reason]


_DOORS: frozenset[str] = frozenset({"telnet", "ssh", "web"})


def event_from_wire(raw: Any) -> AdapterEvent:
    try:
        tag = raw[0]
        if tag == "L":
            return LineIn(int(raw[1]), str(raw[2]), int(raw[3]))
        if tag == "C":
            door = str(raw[2])
            if door not in _DOORS:
                raise WireError(f"unknown door {door!r}")
            return Connected(
                int(raw[1]),
                cast(Door, door),
                str(raw[3]),
                term_from_wire(raw[4]),
                None if raw[5] is None else str(raw[5]),
                bool(raw[6]),
            )
        if tag == "R":
            return Resized(int(raw[1]), term_from_wire(raw[2]))
        if tag == "G":
            on = raw[2]
            if not isinstance(on, bool):
                raise WireError(f"GMCP state {on!r:.20}")
            return GmcpChanged(int(raw[1]), on)
        if tag == "D":
            return Disconnected(int(raw[1]), str(raw[2]))
    except (IndexError, TypeError, ValueError) as exc:
        raise WireError(f"bad event {raw!r:.80}: {exc}") from exc
    raise WireError(f"unknown event {raw!r:.80}")


@frozen
class EventBatch:
    """Events from one gateway, in the order its doors posted them."""

    gid: int
    incarnation: int
    events: tuple[AdapterEvent, ...]


def encode_events(batch: EventBatch) -> bytes:
    return _dump(
        {
            "v": VERSION,
            "g": batch.gid,
            "i": batch.incarnation,
            "e": [event_to_wire(e) for e in batch.events],
        }
    )


def decode_events(data: bytes) -> EventBatch:
    body = _load(data)
    try:
        return EventBatch(
            int(body["g"]), int(body["i"]), tuple(event_from_wire(e) for e in body["e"])
        )
    except (KeyError, TypeError, ValueError) as exc:
        raise WireError(f"bad event batch: {exc}") from exc


# -- outputs (game -> gateway) -------------------------------------------------------


@frozen
class OutputBatch:
    """What one hub turn (or several, when the game is busy) says to one gateway."""

    epoch: str
    outputs: tuple[Output, ...]


def encode_outputs(batch: OutputBatch) -> bytes:
    """``batch`` as one message. Outputs that carry the same value to several
    connections (a ``say`` to a room: the same ``Send``, the same ``Prompt``, the same
    GMCP ``Data`` object) become one item naming all of them, when that keeps every
    connection's outputs in the order the batch has them (see ``Outbound``)."""
    out = Outbound()
    for value in batch.outputs:
        out.add(value)
    return out.encode(batch.epoch)


class Outbound:
    """One gateway's next output message, built as the outputs come (the game's
    ``RemotePort`` calls the method for each kind of output; ``add`` takes a value):
    no output value is made per receiver, and a value to many connections is grouped
    as it arrives. ``encode`` / ``encode_within`` write it.

    Grouping: an output joins an earlier item with the same value (one item, a list of
    connections) when its connection has nothing in between. Why that keeps order:
    ``_last[conn]`` is the index of the item holding ``conn``'s latest output; an output
    joins the open item at index ``g`` with its value only if ``_last[conn] < g``, and
    otherwise starts a new item at the end. Either way each connection's outputs sit at
    strictly increasing indexes, in the order they came.

    Connection numbers are kept as offsets from the first connection's gateway run
    (``cb`` on the wire): a few digits each instead of sixteen (any other number is
    still exact, only longer). Documents are kept as objects until ``encode`` (each
    distinct one travels once)."""

    __slots__ = ("_base", "_last", "_open", "count", "items")

    def __init__(self) -> None:
        self._base = -1
        self.items: list[list[Any]] = []
        self._last: dict[int, int] = {}
        self._open: dict[object, int] = {}
        self.count = 0  # outputs added

    def _join(self, conn: int, key: object, tag: str, *args: Any) -> None:
        if self._base < 0:
            self._base = (conn >> SERIAL_BITS) << SERIAL_BITS
        self.count += 1
        items = self.items
        at = self._open.get(key)
        if at is not None and self._last.get(conn, -1) < at:
            item = items[at]
            held = item[1]
            if type(held) is int:
                item[1] = [held, conn - self._base]
            else:
                held.append(conn - self._base)
        else:
            at = self._open[key] = len(items)
            items.append([tag, conn - self._base, *args])
        self._last[conn] = at

    def _one(self, conn: int, tag: str, *args: Any) -> None:
        """An output that joins no other (its value is its connection's own)."""
        if self._base < 0:
            self._base = (conn >> SERIAL_BITS) << SERIAL_BITS
        self.count += 1
        self._last[conn] = len(self.items)
        self.items.append([tag, conn - self._base, *args])

    # One method per kind of output (``RemotePort`` calls them; ``add`` for values).
    # The grouping keys are the shared objects themselves: the hub hands one document,
    # prompt text or payload object to every receiver of a broadcast.

    def send(self, conn: int, doc: Doc) -> None:
        self._join(conn, doc, "s", doc)

    def prompt(self, conn: int, markup: str) -> None:
        self._join(conn, markup, "p", markup)  # the only kind keyed by a str

    def stream(self, conn: int, stream_id: int, text: str) -> None:
        self._join(conn, ("t", stream_id, text), "t", stream_id, text)

    def end_stream(self, conn: int, stream_id: int) -> None:
        self._join(conn, ("e", stream_id), "e", stream_id)

    def data(self, conn: int, package: str, payload: object) -> None:
        # One payload object, built once for a room, is one value to all. The item
        # keeps the object, so its id is not reused while this message is built.
        self._join(conn, ("d", package, id(payload)), "d", package, payload)

    def echo(self, conn: int, on: bool) -> None:
        self._one(conn, "o", on)

    def prefs(
        self, conn: int, colour: bool | None, screenreader: bool | None, width: int | None
    ) -> None:
        self._one(conn, "f", colour, screenreader, width)

    def close(self, conn: int, farewell: Doc | None) -> None:
        self._one(conn, "c", farewell)

    def bound(self, conn: int, account: str) -> None:
        self._one(conn, "b", account)

    def ack(self, conn: int, seq: int) -> None:
        self._one(conn, "a", seq)

    def add(self, out: Output) -> None:
        """Any output value (the same as the matching method)."""
        match out:
            case Send(conn, doc):
                self.send(conn, doc)
            case Prompt(conn, markup):
                self.prompt(conn, markup)
            case StreamText(conn, stream_id, text):
                self.stream(conn, stream_id, text)
            case EndStream(conn, stream_id):
                self.end_stream(conn, stream_id)
            case Data(conn, package, payload):
                self.data(conn, package, payload)
            case Echo(conn, on):
                self.echo(conn, on)
            case Prefs(conn, colour, screenreader, width):
                self.prefs(conn, colour, screenreader, width)
            case Close(conn, farewell):
                self.close(conn, farewell)
            case Bound(conn, account):
                self.bound(conn, account)
            case Ack(conn, seq):
                self.ack(conn, seq)

    def encode(self, epoch: str) -> bytes:
        """The message (``decode_outputs`` reads it)."""
        return _encode_items(epoch, max(self._base, 0), self.items)

    def encode_within(self, epoch: str, limit: int) -> list[bytes]:
        """The message as one or more of at most ``limit`` bytes each (the bus's largest
        message), in order: halved until each part fits (an item for many connections
        is split into two for halves of them, which keeps every connection's order).
        A single output too large to fit alone raises WireError."""
        return _items_within(epoch, max(self._base, 0), self.items, limit)


def _encode_items(epoch: str, base: int, items: Sequence[list[Any]]) -> bytes:
    docs: list[list[Any]] = []
    index: dict[Doc, int] = {}

    def ref(doc: Doc) -> int:
        at = index.get(doc)
        if at is None:
            at = index[doc] = len(docs)
            docs.append(doc_to_wire(doc))
        return at

    wired: list[list[Any]] = []
    for item in items:
        tag = item[0]
        if tag == "s":
            wired.append(["s", item[1], ref(item[2])])
        elif tag == "c" and item[2] is not None:
            wired.append(["c", item[1], ref(item[2])])
        else:
            wired.append(item)
    return _dump({"v": VERSION, "ep": epoch, "cb": base, "docs": docs, "o": wired})


def _items_within(epoch: str, base: int, items: Sequence[list[Any]], limit: int) -> list[bytes]:
    data = _encode_items(epoch, base, items)
    if len(data) <= limit:
        return [data]
    if len(items) >= 2:
        half = len(items) // 2
        return _items_within(epoch, base, items[:half], limit) + _items_within(
            epoch, base, items[half:], limit
        )
    (item,) = items
    held = item[1]
    if type(held) is list and len(held) >= 2:
        half = len(held) // 2
        first, rest = held[:half], held[half:]
        return _items_within(
            epoch,
            base,
            [[item[0], first if len(first) > 1 else first[0], *item[2:]]],
            limit,
        ) + _items_within(
            epoch, base, [[item[0], rest if len(rest) > 1 else rest[0], *item[2:]]], limit
        )
    raise WireError(f"one output of {len(data)} bytes exceeds the bus limit of {limit}")


def encode_outputs_within(batch: OutputBatch, limit: int) -> list[bytes]:
    """``batch`` as one or more messages of at most ``limit`` bytes each, in order (see
    ``Outbound.encode_within``)."""
    out = Outbound()
    for value in batch.outputs:
        out.add(value)
    return out.encode_within(batch.epoch, limit)


def encode_events_within(batch: EventBatch, limit: int) -> list[bytes]:
    """``batch`` as messages of at most ``limit`` bytes each, in order (see
    ``encode_outputs_within``)."""
    data = encode_events(batch)
    if len(data) <= limit:
        return [data]
    if len(batch.events) < 2:
        raise WireError(f"one event of {len(data)} bytes exceeds the bus limit of {limit}")
    half = len(batch.events) // 2
    first = EventBatch(batch.gid, batch.incarnation, batch.events[:half])
    rest = EventBatch(batch.gid, batch.incarnation, batch.events[half:])
    return encode_events_within(first, limit) + encode_events_within(rest, limit)


@frozen
class Fanout:
    """One output value for several connections, as a batch carries it: ``out`` (whose
    own ``conn`` is the first of ``conns``) goes to each of ``conns``, in that place of
    each one's sequence."""

    conns: tuple[int, ...]
    out: Output


@frozen
class Received:
    """An output batch as a gateway reads it: each item is one output for its own
    connection or a ``Fanout``; every connection's outputs are in the game's order
    (across connections, the order is not kept and does not matter)."""

    epoch: str
    items: tuple[Output | Fanout, ...]

    def per_connection(self) -> dict[int, list[Output]]:
        """Every output each connection gets, in order, as single values (tests and
        tools; the gateway walks ``items`` without building them)."""
        out: dict[int, list[Output]] = {}
        for item in self.items:
            if type(item) is Fanout:
                for conn in item.conns:
                    out.setdefault(conn, []).append(evolve(item.out, conn=conn))
            else:
                value = cast(Output, item)
                out.setdefault(value.conn, []).append(value)
        return out


def per_connection(outputs: Sequence[Output]) -> dict[int, list[Output]]:
    """``outputs`` split by connection, each connection's in order (what a batch must
    deliver; compare with ``Received.per_connection``)."""
    out: dict[int, list[Output]] = {}
    for value in outputs:
        out.setdefault(value.conn, []).append(value)
    return out


def decode_outputs(data: bytes) -> Received:
    body = _load(data)
    try:
        docs = [doc_from_wire(d) for d in body["docs"]]
        base = int(body["cb"])
        items: list[Output | Fanout] = []
        for raw in body["o"]:
            held = raw[1]
            if type(held) is list:
                conns = tuple(base + int(c) for c in held)
                if not conns:
                    raise WireError("an output for no connection")
                items.append(Fanout(conns, _output(raw, conns[0], docs)))
            else:
                items.append(_output(raw, base + int(held), docs))
        return Received(str(body["ep"]), tuple(items))
    except (KeyError, IndexError, TypeError, ValueError) as exc:
        raise WireError(f"bad output batch: {exc}") from exc


def _opt_bool(value: Any) -> bool | None:
    return None if value is None else bool(value)


def _output(raw: Sequence[Any], conn: int, docs: Sequence[Doc]) -> Output:
    tag = raw[0]
    match tag:
        case "s":
            return Send(conn, docs[int(raw[2])])
        case "p":
            return Prompt(conn, str(raw[2]))
        case "t":
            return StreamText(conn, int(raw[2]), str(raw[3]))
        case "e":
            return EndStream(conn, int(raw[2]))
        case "d":
            return Data(conn, str(raw[2]), raw[3])
        case "o":
            return Echo(conn, bool(raw[2]))
        case "f":
            width = raw[4]
            return Prefs(
                conn, _opt_bool(raw[2]), _opt_bool(raw[3]), None if width is None else int(width)
            )
        case "c":
            return Close(conn, None if raw[2] is None else docs[int(raw[2])])
        case "b":
            return Bound(conn, str(raw[2]))
        case "a":
            return Ack(conn, int(raw[2]))
    raise WireError(f"unknown output {tag!r}")


# -- small messages ------------------------------------------------------------------


def encode(body: dict[str, Any]) -> bytes:
    """A heartbeat, attach or auth message (a JSON object with a version)."""
    return _dump({"v": VERSION, **body})


def decode(data: bytes) -> dict[str, Any]:
    return _load(data)


def _dump(body: dict[str, Any]) -> bytes:
    return json.dumps(body, separators=(",", ":"), ensure_ascii=False).encode()


def _load(data: bytes) -> dict[str, Any]:
    try:
        body = json.loads(data)
    except (UnicodeDecodeError, ValueError) as exc:
        raise WireError(f"not JSON: {exc}") from exc
    if not isinstance(body, dict):
        raise WireError("not a JSON object")
    if body.get("v") != VERSION:
        raise WireError(f"wire version {body.get('v')!r}, expected {VERSION}")
    return body
