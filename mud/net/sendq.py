"""What the kernel holds of one TCP connection's output, for the session's stall rule.

A client that stops reading is first absorbed by the kernel: our send buffer and the
client's receive buffer hold a hundred KiB or more before the transport's own buffer, and
then the session's outbox, see any pressure. ``SendQueue`` lets the session see into the
kernel: how many bytes are written but not yet acknowledged by the client's TCP stack, and
how many it has acknowledged so far (a counter that moves only when the client takes
bytes, whatever the rate: a 56k modem or a long link moves it, a client that reads
nothing does not). Linux only (``SIOCOUTQ`` and ``TCP_INFO``'s ``tcpi_bytes_acked``,
since Linux 4.1); elsewhere ``SendQueue.of`` returns None and the session falls back to
what its transport reports.
"""

from __future__ import annotations

import contextlib
import socket
import struct
import sys
from typing import Any

if sys.platform == "linux":  # pragma: no branch - the project runs on Linux
    import fcntl
    import termios

    _OUTQ: int | None = termios.TIOCOUTQ  # == SIOCOUTQ on Linux
else:  # pragma: no cover
    _OUTQ = None

_TCP_INFO = getattr(socket, "TCP_INFO", None)
# struct tcp_info (linux/tcp.h): 8 bytes of u8 fields, 24 u32 (rto .. total_retrans),
# then u64 pacing_rate, max_pacing_rate, bytes_acked.
_BYTES_ACKED = 120
_INFO_SIZE = _BYTES_ACKED + 8
_INT = struct.Struct("i")
_U64 = struct.Struct("Q")


class SendQueue:
    """The kernel's view of one connected TCP socket's output. Created by a door with
    ``SendQueue.of(sock)``; read by ``Session`` at most about once a second while a
    client has a backlog, and once per few KiB written otherwise (two system calls).
    Never raises: a socket that is gone reads as empty."""

    __slots__ = ("_sock",)

    def __init__(self, sock: Any) -> None:
        self._sock = sock

    @classmethod
    def of(cls, sock: Any) -> SendQueue | None:
        """A ``SendQueue`` for ``sock`` (a socket or asyncio's ``TransportSocket``), or
        None when it is not a TCP socket whose queue this platform can read."""
        if sock is None or _OUTQ is None or _TCP_INFO is None:
            return None
        try:
            if sock.type != socket.SOCK_STREAM or sock.family not in (
                socket.AF_INET,
                socket.AF_INET6,
            ):
                return None
            queue = cls(sock)
        except (AttributeError, OSError, ValueError):
            return None
        if queue.unacked() is None or queue.acked() is None:
            return None
        return queue

    def unacked(self) -> int | None:
        """Bytes written to the socket and not yet acknowledged by the peer (sent or
        not), or None when the socket cannot be read."""
        if _OUTQ is None:  # pragma: no cover
            return None
        try:
            raw = fcntl.ioctl(self._sock.fileno(), _OUTQ, b"\0\0\0\0")
        except (OSError, ValueError):
            return None
        return int(_INT.unpack(raw)[0])

    def acked(self) -> int | None:
        """Bytes the peer's TCP stack has acknowledged since the connection opened (it
        only grows), or None when the socket cannot be read."""
        if _TCP_INFO is None:  # pragma: no cover
            return None
        with contextlib.suppress(OSError, ValueError):
            raw = self._sock.getsockopt(socket.IPPROTO_TCP, _TCP_INFO, _INFO_SIZE)
            if len(raw) >= _INFO_SIZE:
                return int(_U64.unpack_from(raw, _BYTES_ACKED)[0])
        return None
