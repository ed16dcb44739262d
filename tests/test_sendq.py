"""SendQueue over a real loopback TCP connection: what the kernel holds of our output,
and the peer's acknowledgements (Linux)."""

from __future__ import annotations

import socket
import sys
import time

import pytest

from mud.net.sendq import SendQueue

pytestmark = pytest.mark.skipif(sys.platform != "linux", reason="SIOCOUTQ and TCP_INFO")


def _pair() -> tuple[socket.socket, socket.socket]:
    with socket.socket() as listener:
        listener.bind(("127.0.0.1", 0))
        listener.listen()
        client = socket.socket()
        client.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, 4096)
        client.connect(listener.getsockname())
        server, _ = listener.accept()
    server.setblocking(False)
    return server, client


def _settled(queue: SendQueue) -> None:
    time.sleep(0.05)  # the loopback acknowledgements are processed at once, or nearly


def test_a_peer_that_reads_nothing_leaves_bytes_unacknowledged() -> None:
    server, client = _pair()
    try:
        queue = SendQueue.of(server)
        assert queue is not None
        start = queue.acked()
        assert start is not None and queue.unacked() == 0
        sent = 0
        for _ in range(400):
            try:
                sent += server.send(b"x" * 1000)
            except BlockingIOError:
                break
        _settled(queue)
        unacked, acked = queue.unacked(), queue.acked()
        assert unacked is not None and acked is not None
        assert unacked > 32 * 1024  # our send buffer filled, the peer's is tiny
        assert acked - start + unacked == sent  # every byte is one or the other
        client.setblocking(False)
        taken = 0
        deadline = time.monotonic() + 5
        while taken < 16 * 1024 and time.monotonic() < deadline:
            try:
                taken += len(client.recv(65536))
            except BlockingIOError:
                time.sleep(0.01)
        _settled(queue)
        later = queue.acked()
        assert later is not None and later > acked  # reading moves the count
    finally:
        server.close()
        client.close()


def test_only_a_tcp_socket_has_a_queue_and_a_closed_one_reads_as_unknown() -> None:
    assert SendQueue.of(None) is None
    udp = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    assert SendQueue.of(udp) is None
    udp.close()
    server, client = _pair()
    queue = SendQueue.of(server)
    assert queue is not None
    server.close()
    client.close()
    assert queue.unacked() is None and queue.acked() is None
