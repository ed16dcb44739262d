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

from attrs import frozen

from mud.core.events import (
    AdapterEvent,
    Connected,
    Disconnected,
    Door,
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

VERSION = 1


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
    docs: list[list[Any]] = []
    index: dict[Doc, int] = {}

    def ref(doc: Doc) -> int:
        at = index.get(doc)
        if at is None:
            at = index[doc] = len(docs)
            docs.append(doc_to_wire(doc))
        return at

    items: list[list[Any]] = []
    for out in batch.outputs:
        match out:
            case Send(conn, doc):
                items.append(["s", conn, ref(doc)])
            case Prompt(conn, markup):
                items.append(["p", conn, markup])
            case StreamText(conn, stream_id, text):
                items.append(["t", conn, stream_id, text])
            case EndStream(conn, stream_id):
                items.append(["e", conn, stream_id])
            case Data(conn, package, payload):
                items.append(["d", conn, package, payload])
            case Echo(conn, on):
                items.append(["o", conn, on])
            case Prefs(conn, colour, screenreader, width):
                items.append(["f", conn, colour, screenreader, width])
            case Close(conn, farewell):
                items.append(["c", conn, None if farewell is None else ref(farewell)])
            case Bound(conn, account):
                items.append(["b", conn, account])
            case Ack(conn, seq):
                items.append(["a", conn, seq])
    return _dump({"v": VERSION, "ep": batch.epoch, "docs": docs, "o": items})


def encode_outputs_within(batch: OutputBatch, limit: int) -> list[bytes]:
    """``batch`` as one or more messages of at most ``limit`` bytes each (the bus's
    largest message), in order: halved until each part fits. A single output too large
    to fit alone raises WireError."""
    data = encode_outputs(batch)
    if len(data) <= limit:
        return [data]
    if len(batch.outputs) < 2:
        raise WireError(f"one output of {len(data)} bytes exceeds the bus limit of {limit}")
    half = len(batch.outputs) // 2
    return encode_outputs_within(
        OutputBatch(batch.epoch, batch.outputs[:half]), limit
    ) + encode_outputs_within(OutputBatch(batch.epoch, batch.outputs[half:]), limit)


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


def decode_outputs(data: bytes) -> OutputBatch:
    body = _load(data)
    try:
        docs = [doc_from_wire(d) for d in body["docs"]]
        outs: list[Output] = [_output(raw, docs) for raw in body["o"]]
        return OutputBatch(str(body["ep"]), tuple(outs))
    except (KeyError, IndexError, TypeError, ValueError) as exc:
        raise WireError(f"bad output batch: {exc}") from exc


def _opt_bool(value: Any) -> bool | None:
    return None if value is None else bool(value)


def _output(raw: Sequence[Any], docs: Sequence[Doc]) -> Output:
    tag, conn = raw[0], int(raw[1])
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
