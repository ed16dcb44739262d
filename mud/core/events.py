"""Events that the protocol adapters hand to the hub.

Adapters (``mud.net.telnet``, ``mud.net.ssh``) turn bytes into these frozen values and
nothing else. Every event names the connection it came from by ``conn``, a small
integer allocated by ``mud.net.session`` and never reused within one server run.
"""

from __future__ import annotations

from typing import Literal

from attrs import field, frozen

Door = Literal["telnet", "ssh", "web"]


@frozen
class TermInfo:
    """What the client told us about its terminal.

    ``colours`` is 0 (none), 16, 256 or 16_777_216 (truecolor). ``screenreader`` is a
    client-announced preference (MTTS bit); players can override it in game.
    ``charset`` is the negotiated output encoding (``utf-8``, ``latin-1`` or ``ascii``).
    """

    term: str = "unknown"
    width: int = 80
    height: int = 24
    colours: int = 16
    screenreader: bool = False
    charset: str = "utf-8"
    width_known: bool = False


@frozen
class Connected:
    """A client finished the transport handshake and can receive output.

    ``preauth`` is the account name when the door already authenticated the player
    (SSH public key or password), else None and the hub runs the in-game login.
    ``restored``: a connection a gateway held while the game process was away, attached
    again to a fresh game (split mode, ``mud.split``): no banner, and ``preauth`` is the
    account it was playing, if any.
    """

    conn: int
    door: Door
    peer: str
    term: TermInfo
    preauth: str | None = None
    restored: bool = False


@frozen
class LineIn:
    """One complete line of player input, already decoded and stripped of CR/LF.

    ``seq``: 0 in one process; in split mode the gateway numbers each connection's lines
    (1, 2, ...) so that the game can acknowledge them (``Ack``) and a restarted game can
    say which were applied (``mud.split``)."""

    conn: int
    text: str
    seq: int = 0


@frozen
class Resized:
    """The client's terminal changed (NAWS, PTY window change, renegotiated TTYPE)."""

    conn: int
    term: TermInfo


@frozen
class GmcpChanged:
    """Whether the client wants GMCP packages now (issue 16).

    ``on``: the client agreed to GMCP (telnet: it answered our WILL GMCP with DO GMCP;
    the browser's JSON protocol speaks GMCP envelopes always) and subscribed to at least
    one package (``Core.Supports.Set``/``Add``); off again when it refuses GMCP or
    drops its last subscription. The telnet and web doors post it after ``Connected``
    whenever the answer changes (never for a client that never turns it on); SSH never
    does. The hub builds and sends GMCP ``Data`` only to connections whose last
    ``GmcpChanged`` said on, and sends a playing connection that turns it on the
    character's current ``Room.Info``, ``Char.Vitals``, ``Char.Status`` and
    ``Char.Items.List``."""

    conn: int
    on: bool


@frozen
class Disconnected:
    """The connection is gone (EOF, error, or dropped by us). Sent exactly once per conn."""

    conn: int
    reason: str = field(default="closed")


AdapterEvent = Connected | LineIn | Resized | GmcpChanged | Disconnected
