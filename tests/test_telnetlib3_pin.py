"""What mud/net/telnet.py reaches into inside telnetlib3, checked by name.

The telnet door subclasses telnetlib3's server protocol and writer and uses members
that are not part of its documented API (the writer's ``_transport``, whose ``write``
its MCCP2 wraps, ``_sb_buffer``, ``_advanced``, ``_waiter_connected``, ``Server._server``, ...).
pyproject.toml pins telnetlib3 to the versions the tests have run against; this test is
the alarm for an upgrade: it fails naming every member that is gone, instead of the
door failing on the first connection.
"""

from __future__ import annotations

import asyncio
import contextlib
import inspect
from collections.abc import AsyncIterator
from importlib.metadata import version
from typing import Any

import telnetlib3

_WRITER = telnetlib3.TelnetWriterUnicode

# Methods and class attributes, by class.
WRITER_METHODS = (
    "feed_byte",
    "handle_do",
    "handle_subnegotiation",
    "iac",
    "request_charset",
    "drain",
    "close",
    "is_closing",
)
SERVER_METHODS = (
    "negotiation_should_advance",
    "begin_advanced_negotiation",
    "_check_encoding",
    "encoding",
    "on_request_charset",
    "on_charset",
    "on_naws",
    "on_ttype",
    "on_environ",
    "get_extra_info",
    "_mccp2_end",
    "data_received",
    "connection_made",
    "TTYPE_LOOPMAX",
    "_closing",
)
# Instance attributes, looked for on a live connection.
WRITER_ATTRS = (
    "_transport",
    "connection_closed",
    "_sb_buffer",
    "cmd_received",
    "pending_option",
    "always_wont",
    "always_dont",
    "local_option",
    "remote_option",
    "transport",
    "protocol",
)
SERVER_ATTRS = ("_advanced", "_waiter_connected", "writer")
CREATE_SERVER_ARGS = (
    "host",
    "port",
    "protocol_factory",
    "shell",
    "encoding",
    "encoding_errors",
    "force_binary",
    "line_mode",
    "connect_maxwait",
    "compression",
    "cols",
    "rows",
    "timeout",
)


def test_the_installed_telnetlib3_is_in_the_pinned_range() -> None:
    major, minor, *_ = (int(part) for part in version("telnetlib3").split(".")[:3])
    assert (major, minor) == (5, 0), (
        f"telnetlib3 {version('telnetlib3')} is outside the range pyproject.toml pins"
    )


def test_the_classes_have_every_member_the_door_uses() -> None:
    missing = [
        f"TelnetWriterUnicode.{name}"
        for name in WRITER_METHODS
        if not hasattr(telnetlib3.TelnetWriterUnicode, name)
    ] + [
        f"TelnetServer.{name}"
        for name in SERVER_METHODS
        if not hasattr(telnetlib3.TelnetServer, name)
    ]
    assert missing == [], f"telnetlib3 {version('telnetlib3')} lacks: {', '.join(missing)}"
    init = inspect.signature(telnetlib3.TelnetServer.__init__).parameters
    assert "writer_factory_encoding" in init, "TelnetServer(writer_factory_encoding=) is gone"
    create = inspect.signature(telnetlib3.create_server).parameters
    assert [a for a in CREATE_SERVER_ARGS if a not in create] == []


@contextlib.asynccontextmanager
async def _live_connection() -> AsyncIterator[tuple[Any, Any]]:
    """A plain telnetlib3 server on 127.0.0.1 and one telnetlib3 client connected to it:
    yields (server, the server's protocol for that connection); all closed at the end."""
    seen: asyncio.Future[Any] = asyncio.get_running_loop().create_future()

    class Recording(telnetlib3.TelnetServer):  # type: ignore[misc]
        def connection_made(self, transport: Any) -> None:
            super().connection_made(transport)
            if not seen.done():
                seen.set_result(self)

    async def shell(reader: Any, writer: Any) -> None:
        writer.close()

    server = await telnetlib3.create_server(
        host="127.0.0.1", port=0, protocol_factory=Recording, shell=shell, connect_maxwait=0.2
    )
    try:
        port = server.sockets[0].getsockname()[1]
        _reader, writer = await telnetlib3.open_connection(
            "127.0.0.1", port, connect_minwait=0.05, connect_maxwait=0.5
        )
        yield server, await asyncio.wait_for(seen, 10)
        writer.close()
    finally:
        server.close()
        await asyncio.wait_for(server.wait_closed(), 10)


async def test_a_live_connection_has_every_attribute_the_door_uses() -> None:
    async with _live_connection() as (server, protocol):
        missing = [f"TelnetServer().{a}" for a in SERVER_ATTRS if not hasattr(protocol, a)]
        missing += [f"TelnetWriter().{a}" for a in WRITER_ATTRS if not hasattr(protocol.writer, a)]
        # TelnetDoor.stop_accepting closes only the listening socket through this.
        if not isinstance(getattr(server, "_server", None), asyncio.AbstractServer):
            missing.append("Server._server (the wrapped asyncio server)")
        # TelnetDoor.start shrinks the queue of negotiated clients it never reads.
        if not isinstance(getattr(server, "_new_client", None), asyncio.Queue):
            missing.append("Server._new_client (the wait_for_client queue)")
        assert missing == [], f"telnetlib3 {version('telnetlib3')} lacks: {', '.join(missing)}"


async def test_the_slotted_names_are_what_telnetlib3_sets_in_its_constructors() -> None:
    # mud/net/telnet.py keeps these telnetlib3 attributes in slots of its subclasses. A
    # slot hides a class-level default of the same name (the attribute would then be
    # missing until assigned) and is wasted on a name telnetlib3 no longer sets: both are
    # what an upgrade could bring, so both are checked against a live connection.
    from mud.net.telnet import SERVER_SLOTS, WRITER_SLOTS

    option = telnetlib3.stream_writer.Option
    shadowed = [f"Option.{n}" for n in ("name", "log", "_on_change") if hasattr(option, n)]
    shadowed += [f"TelnetWriterUnicode.{n}" for n in WRITER_SLOTS if hasattr(_WRITER, n)]
    shadowed += [f"TelnetServer.{n}" for n in SERVER_SLOTS if hasattr(telnetlib3.TelnetServer, n)]
    assert shadowed == [], f"class-level defaults a slot would hide: {', '.join(shadowed)}"
    async with _live_connection() as (_server, protocol):
        unset = [f"TelnetServer().{n}" for n in SERVER_SLOTS if n not in vars(protocol)]
        unset += [f"TelnetWriter().{n}" for n in WRITER_SLOTS if n not in vars(protocol.writer)]
        table = protocol.writer.local_option
        unset += [f"Option().{n}" for n in ("name", "log", "_on_change") if n not in vars(table)]
        assert unset == [], f"telnetlib3 {version('telnetlib3')} no longer sets: {unset}"
