"""Who gets GMCP (issue 16): the hub builds and sends GMCP packages only to connections
whose client wants them, as their door reports with ``GmcpChanged``.

The hub with fake sessions (``hubrig``: what it delivers to each port), the telnet door
with a scripted hub (what it reports for real clients over loopback), and the whole
server with telnetlib3's GMCP client beside a raw client that refuses every option.
"""

from __future__ import annotations

import asyncio
import json
from pathlib import Path

from hubrig import FakeSession, Rig
from mudclient import TelnetPlayer, WebPlayer, login_new, make_config, running_server
from test_telnet_bytes import GMCP, Raw, Sink, cmd, connected, door, gmcp

from mud.core.events import Connected, GmcpChanged, LineIn
from mud.core.narration import NarrationChunk, NarrationEnd, NarrationStart
from mud.hub import gmcp as projections

DONT = 254
DO = 253


def gmcp_reports(sink: Sink) -> list[GmcpChanged]:
    """The GMCP reports among the events the door has posted so far (taken)."""
    found = []
    while not sink.events.empty():
        event = sink.events.get_nowait()
        if isinstance(event, GmcpChanged):
            found.append(event)
    return found


def names(session: FakeSession) -> list[str]:
    return [package for package, _ in session.packages]


def channel(session: FakeSession) -> list[tuple[str, object]]:
    """The ``Comm.Channel.Text`` packages ``session`` was sent, in order."""
    return [p for p in session.packages if p[0] == "Comm.Channel.Text"]


async def sync(rig: Rig, session: FakeSession) -> None:
    """Until the hub has handled everything posted for ``session`` before this."""
    await rig.line(session, "look")
    await session.expect("Exits:")


# -- the hub --------------------------------------------------------------------------


async def test_a_client_without_gmcp_is_sent_no_package_at_all(rig: Rig) -> None:
    plain = await rig.create("Alice", gmcp=False)
    bob = await rig.create("Bob")
    await sync(rig, bob)
    # Bob, with GMCP, got his login packages; Alice none.
    assert {"Char.Status", "Room.Info", "Char.Items.List", "Char.Vitals"} <= set(names(bob))
    bob.packages.clear()
    await rig.line(bob, "say hello there")
    await plain.expect("hello there")
    await bob.expect("hello there")
    await sync(rig, plain)
    assert bob.packages == [
        ("Comm.Channel.Text", {"channel": "say", "talker": "Bob", "text": "hello there"})
    ]
    await rig.line(plain, "say and back")
    await bob.expect("and back")
    await sync(rig, bob)
    assert bob.packages[-1] == (
        "Comm.Channel.Text",
        {"channel": "say", "talker": "Alice", "text": "and back"},
    )
    # Walking, fighting gear, anything: never a package for Alice.
    room = rig.hub.world.chars["alice"].room
    exits = (projections.room_info(rig.hub.world, "alice") or ("", {}))[1]["exits"]
    await rig.line(plain, next(iter(exits)))
    await sync(rig, plain)
    assert rig.hub.world.chars["alice"].room != room
    assert plain.packages == []


async def test_a_say_heard_by_several_gmcp_clients_reaches_each_once(rig: Rig) -> None:
    """The chat line to many GMCP clients is one ``DataAll`` value (issue 16): each of
    them gets it once, after the said text, and a client without GMCP gets nothing."""
    plain = await rig.create("Alice", gmcp=False)
    bob = await rig.create("Bob")
    carol = await rig.create("Carol")
    dave = await rig.create("Dave")
    await sync(rig, dave)
    for who in (bob, carol, dave):
        who.packages.clear()
    await rig.line(plain, "say the lamps are lit")
    line = ("Comm.Channel.Text", {"channel": "say", "talker": "Alice", "text": "the lamps are lit"})
    for who in (bob, carol, dave):
        await who.expect("the lamps are lit")
        await sync(rig, who)
        assert [p for p in who.packages if p[0] == "Comm.Channel.Text"] == [line]
    assert plain.packages == []


async def test_a_narration_ends_with_its_chat_line_only_for_gmcp_clients(rig: Rig) -> None:
    plain = await rig.create("Alice", gmcp=False)
    bob = await rig.create("Bob")
    await sync(rig, plain)
    bob.packages.clear()
    room = rig.hub.world.chars["bob"].room
    await rig.hub.post_dm(NarrationStart(7, room, None, "action"))
    await rig.hub.post_dm(NarrationChunk(7, room, "The lamps gutter. "))
    await rig.hub.post_dm(NarrationEnd(7, room, "offline"))
    await plain.expect("The lamps gutter")
    await bob.expect("The lamps gutter")
    await sync(rig, bob)
    await sync(rig, plain)
    assert [p for p in bob.packages if p[0] == "Comm.Channel.Text"] == [
        (
            "Comm.Channel.Text",
            {"channel": "narration", "talker": "Dungeon Master", "text": "The lamps gutter. "},
        )
    ]
    assert plain.packages == []


async def test_gmcp_turned_on_while_playing_sends_the_current_state(rig: Rig) -> None:
    alice = await rig.create("Alice", gmcp=False)
    await sync(rig, alice)
    assert alice.packages == []
    await rig.hub.post(GmcpChanged(conn=alice.conn, on=True))
    await sync(rig, alice)
    world = rig.hub.world
    got = dict(alice.packages)
    assert sorted(got) == ["Char.Items.List", "Char.Status", "Char.Vitals", "Room.Info"]
    for project in (
        projections.room_info,
        projections.char_vitals,
        projections.char_status,
        projections.char_items,
    ):
        package, payload = project(world, "alice") or ("", {})
        assert got[package] == payload
    # From now on it follows the character, like a client that had it from the start.
    first = got["Room.Info"]
    direction = next(iter(first["exits"]))
    await rig.line(alice, direction)
    await sync(rig, alice)
    rooms = [payload for package, payload in alice.packages if package == "Room.Info"]
    assert rooms[-1]["num"] == first["exits"][direction]
    # A second "on" changes nothing; "off" stops the packages again.
    before = len(alice.packages)
    await rig.hub.post(GmcpChanged(conn=alice.conn, on=True))
    await sync(rig, alice)
    assert len(alice.packages) == before
    await rig.hub.post(GmcpChanged(conn=alice.conn, on=False))
    await rig.line(alice, "say quiet now")
    await alice.expect("quiet now")
    await rig.line(alice, direction)  # any way on: a move would send Room.Info
    await sync(rig, alice)
    assert len(alice.packages) == before


async def test_gmcp_turned_on_before_login_gets_the_login_packages(rig: Rig) -> None:
    alice = await rig.connect(gmcp=False)
    await rig.hub.post(GmcpChanged(conn=alice.conn, on=True))
    await rig.line(alice, "Alice")
    await alice.expect(r"\(yes/no\)")
    assert alice.packages == []  # nothing to say before a character is bound
    await rig.line(alice, "yes")
    await alice.expect("Password:")
    await rig.line(alice, "secret-pass")
    await alice.expect("Repeat")
    await rig.line(alice, "secret-pass")
    if (await alice.expect("Exits:|Your class:")).endswith("Your class:"):
        await rig.line(alice, "fighter")
        await alice.expect("Exits:")
    await sync(rig, alice)
    assert {"Char.Status", "Room.Info", "Char.Items.List", "Char.Vitals"} <= set(names(alice))


async def test_gmcp_from_an_unknown_or_closed_connection_is_ignored(rig: Rig) -> None:
    alice = await rig.create("Alice", gmcp=False)
    await rig.hub.post(GmcpChanged(conn=9999, on=True))
    await rig.hub.post(GmcpChanged(conn=alice.conn, on=False))
    await sync(rig, alice)
    assert alice.packages == []


# -- the telnet door -----------------------------------------------------------------


async def test_the_telnet_door_reports_gmcp_once_agreed_and_subscribed() -> None:
    async with door() as (_door, sink):
        client = await Raw(ttypes=["x"], do={GMCP}).connect(_door.port)
        event, _session = await connected(sink)
        # Agreed but subscribed to nothing: the hub is told nothing yet.
        client.send(gmcp("Core.Hello", {"client": "RawTest", "version": "1"}))
        client.send(b"one\r\n")
        assert (await sink.next(LineIn)).text == "one"
        assert gmcp_reports(sink) == []
        client.send(gmcp("Core.Supports.Set", ["Room 1"]))
        assert await sink.next(GmcpChanged) == GmcpChanged(event.conn, True)
        # More subscriptions: still on, nothing to report.
        client.send(gmcp("Core.Supports.Add", ["Comm 1"]))
        client.send(b"two\r\n")
        assert await sink.next(LineIn) == LineIn(event.conn, "two")
        assert gmcp_reports(sink) == []
        client.send(cmd(DONT, GMCP))
        assert await sink.next(GmcpChanged) == GmcpChanged(event.conn, False)
        client.send(cmd(DO, GMCP))  # back on: its subscriptions were kept
        assert await sink.next(GmcpChanged) == GmcpChanged(event.conn, True)
        client.send(gmcp("Core.Supports.Remove", ["Room", "Comm"]))
        assert await sink.next(GmcpChanged) == GmcpChanged(event.conn, False)
        await client.close()


async def test_a_telnet_client_refusing_gmcp_is_never_reported() -> None:
    async with door() as (_door, sink):
        client = await Raw(ttypes=["x"]).connect(_door.port)  # DONT GMCP
        event, _session = await connected(sink)
        client.send(gmcp("Core.Supports.Set", ["Room 1", "Char 1"]))  # ignored
        client.send(cmd(DONT, GMCP))
        client.send(b"sync\r\n")
        assert await sink.next(LineIn) == LineIn(event.conn, "sync")
        assert gmcp_reports(sink) == []
        await client.close()


async def test_a_telnet_client_subscribed_during_negotiation_is_reported_after_connected() -> None:
    async with door() as (_door, sink):
        client = Raw(ttypes=["x"], do={GMCP})
        await client.connect(_door.port)
        await client.until(lambda: client.got("WILL", GMCP))
        client.send(gmcp("Core.Supports.Set", ["Char 1"]))
        first = await sink.events.get()
        assert isinstance(first, Connected)
        assert await sink.next(GmcpChanged) == GmcpChanged(first.conn, True)
        await client.close()


# -- the whole server ----------------------------------------------------------------


async def _raw_login(port: int, name: str) -> tuple[asyncio.StreamReader, asyncio.StreamWriter]:
    """A raw socket that refuses every telnet option and creates ``name``."""
    reader, writer = await asyncio.open_connection("127.0.0.1", port)
    seen = bytearray()

    async def until(marker: bytes) -> None:
        async with asyncio.timeout(10):
            while marker not in seen:
                chunk = await reader.read(4096)
                assert chunk, f"closed before {marker!r}"
                seen.extend(_refuse(chunk, writer))

    await until(b"name")
    for line, marker in ((name, b"yes/no"), ("yes", b"assword"), ("secret-pass", b"epeat")):
        seen.clear()
        writer.write(line.encode() + b"\r\n")
        await until(marker)
    seen.clear()
    writer.write(b"secret-pass\r\n")
    async with asyncio.timeout(10):
        while b"Exits:" not in seen and b"Your class:" not in seen:
            chunk = await reader.read(4096)
            assert chunk, "closed at the class question"
            seen.extend(_refuse(chunk, writer))
    if b"Your class:" in seen:
        seen.clear()
        writer.write(b"fighter\r\n")
        await until(b"Exits:")
    return reader, writer


def _refuse(data: bytes, writer: asyncio.StreamWriter) -> bytes:
    """Answer WILL with DONT and DO with WONT; returns ``data`` as it came."""
    for i in range(len(data) - 2):
        if data[i] == 255 and data[i + 1] in (251, 253):
            answer = 254 if data[i + 1] == 251 else 252
            writer.write(bytes((255, answer, data[i + 2])))
    return data


async def test_over_the_network_only_the_gmcp_client_gets_gmcp(tmp_path: Path) -> None:
    async with running_server(make_config(tmp_path)) as srv:
        alice = await TelnetPlayer.connect(srv.telnet_port)
        await login_new(alice, "Alice")
        reader, writer = await _raw_login(srv.telnet_port, "Bob")
        received = bytearray()
        alice.send("say hello there")
        await alice.expect("hello there")
        async with asyncio.timeout(10):
            while b"hello there" not in received:
                received.extend(await reader.read(4096))
        gmcp_data = alice.writer.ctx.gmcp_data
        async with asyncio.timeout(5):
            while "Comm.Channel.Text" not in gmcp_data:
                await asyncio.sleep(0.02)
        assert gmcp_data["Comm.Channel.Text"] == {
            "channel": "say",
            "talker": "Alice",
            "text": "hello there",
        }
        assert "Room.Info" in gmcp_data
        # Bob's client refused GMCP: not one GMCP subnegotiation reached it.
        writer.write(b"say me too\r\n")
        async with asyncio.timeout(10):
            while b"me too" not in received:
                received.extend(await reader.read(4096))
        await alice.expect("me too")
        assert bytes((255, 250, 201)) not in received
        writer.close()
        await alice.close()


async def test_over_the_network_gmcp_turned_on_after_login_gets_the_room(tmp_path: Path) -> None:
    async with running_server(make_config(tmp_path)) as srv:
        reader, writer = await _raw_login(srv.telnet_port, "Carol")
        # Now the client changes its mind: DO GMCP and a subscription.
        writer.write(bytes((255, DO, 201)))
        writer.write(gmcp("Core.Supports.Set", ["Room 1", "Char 1"]))
        received = bytearray()
        got: dict[str, object] = {}
        wanted = {"Room.Info", "Char.Vitals", "Char.Status", "Char.Items.List"}
        async with asyncio.timeout(10):
            while not wanted <= got.keys():
                chunk = await reader.read(4096)
                assert chunk, "closed"
                received.extend(chunk)
                for part in received.split(b"\xff\xfa\xc9")[1:]:
                    if b"\xff\xf0" in part:
                        package, _, body = part.split(b"\xff\xf0", 1)[0].partition(b" ")
                        got[package.decode()] = json.loads(body)
        info = got["Room.Info"]
        assert isinstance(info, dict) and {"num", "name", "exits"} <= info.keys()
        vitals = got["Char.Vitals"]
        assert isinstance(vitals, dict) and vitals["hp"] == vitals["maxhp"] > 0
        writer.close()


async def test_a_browser_that_subscribes_after_login_gets_the_room(tmp_path: Path) -> None:
    async with running_server(make_config(tmp_path)) as srv:
        web = await WebPlayer.connect(srv.web_port, supports=())
        await login_new(web, "Webster")
        web.send("say nothing yet")
        await web.expect("nothing yet")
        assert [e for e in web.envelopes if e.get("proto") == "gmcp"] == []
        await web.envelope("gmcp", "Core.Supports.Set", json.dumps(["Room 1", "Char 1", "Comm 1"]))
        web.send("look")
        await web.expect("Exits:")
        async with asyncio.timeout(5):
            while not web.gmcp("Room.Info") or not web.gmcp("Char.Vitals"):
                await asyncio.sleep(0.02)  # the envelopes come before the look's text
        assert web.gmcp("Room.Info")[-1]["name"]
        web.send("say now with gmcp")
        await web.expect("now with gmcp")
        async with asyncio.timeout(5):
            while not web.gmcp("Comm.Channel.Text"):
                await asyncio.sleep(0.02)
        assert [m["text"] for m in web.gmcp("Comm.Channel.Text")] == ["now with gmcp"]
        await web.close()
