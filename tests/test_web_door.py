"""The browser door: framing, subprotocols and protections, over real sockets.

The server runs in-process on loopback; clients are the ``websockets`` library's own
client (as a third-party web client would be), raw sockets for broken handshakes, and
telnetlib3's client for the player on the other door.
"""

from __future__ import annotations

import asyncio
import base64
import json
from pathlib import Path

import pytest
import websockets
from hypothesis import given
from hypothesis import strategies as st
from mudclient import (
    TelnetPlayer,
    WebPlayer,
    http_get,
    login_new,
    make_config,
    running_server,
    without_prompts,
)
from websockets.datastructures import Headers

from mud.net.web import client_address, envelope, naws_size, page_bytes, who_json

# -- pure pieces ----------------------------------------------------------------------


@given(st.integers(0, 65535), st.integers(0, 65535))
def test_naws_payload_round_trips(width: int, height: int) -> None:
    raw = width.to_bytes(2, "big") + height.to_bytes(2, "big")
    assert naws_size(base64.b64encode(raw).decode()) == (width, height)


@pytest.mark.parametrize("bad", ["", "!!!", base64.b64encode(b"abc").decode(), "AAAAAAAA"])
def test_naws_rejects_what_is_not_four_bytes(bad: str) -> None:
    assert naws_size(bad) is None


def test_envelope_is_the_mudstandards_json_shape() -> None:
    assert json.loads(envelope("gmcp", "Char.Vitals", '{"hp":3}')) == {
        "proto": "gmcp",
        "id": "Char.Vitals",
        "data": '{"hp":3}',
    }


def test_forwarded_for_is_believed_only_from_trusted_proxies() -> None:
    headers = Headers([("X-Forwarded-For", "203.0.113.9, 10.0.0.2")])
    assert client_address("198.51.100.1", headers, ()) == "198.51.100.1"
    assert client_address("198.51.100.1", headers, ("127.0.0.1",)) == "198.51.100.1"
    # A trusted proxy's header is walked back past the proxies we trust.
    assert client_address("127.0.0.1", headers, ("127.0.0.1", "10.0.0.2")) == "203.0.113.9"
    assert client_address("127.0.0.1", headers, ("127.0.0.1",)) == "10.0.0.2"
    assert client_address("127.0.0.1", Headers(), ("127.0.0.1",)) == "127.0.0.1"


def test_the_page_ships_with_the_package() -> None:
    page = page_bytes().decode()
    assert "json.mudstandards.org" in page
    assert "<script" in page and "http://" not in page.replace("http://www.w3.org", "")


@given(st.lists(st.tuples(st.text(max_size=20), st.floats(0, 1e6), st.booleans()), max_size=5))
def test_the_who_document_is_ascii_json_whatever_the_names(
    rows: list[tuple[str, float, bool]],
) -> None:
    body = who_json(rows)
    body.decode("ascii")  # a name cannot smuggle raw bytes into a page
    doc = json.loads(body)
    assert doc["count"] == len(rows)
    assert [(p["name"], p["idle"], p["linkdead"]) for p in doc["players"]] == [
        (name, int(idle), dead) for name, idle, dead in rows
    ]


# -- the door over real sockets -------------------------------------------------------


async def test_who_lists_the_players_in_the_world_as_json(tmp_path: Path) -> None:
    async with running_server(make_config(tmp_path)) as srv:
        head, body = await http_get(srv.web_port, "/who")
        assert head.startswith(b"HTTP/1.1 200") and b"application/json" in head
        assert json.loads(body) == {"count": 0, "players": []}
        telnet = await TelnetPlayer.connect(srv.telnet_port)
        await login_new(telnet, "Tella")
        await asyncio.sleep(1.1)  # one answer is served for a second
        head, body = await http_get(srv.web_port, "/who")
        doc = json.loads(body)
        assert doc["count"] == 1
        assert doc["players"][0]["name"] == "Tella" and not doc["players"][0]["linkdead"]
        await telnet.close()


async def test_who_can_be_turned_off(tmp_path: Path) -> None:
    async with running_server(make_config(tmp_path, web={"who": False})) as srv:
        head, _body = await http_get(srv.web_port, "/who")
        assert head.startswith(b"HTTP/1.1 404")


async def test_http_serves_the_page_and_refuses_other_paths(tmp_path: Path) -> None:
    async with running_server(make_config(tmp_path)) as srv:
        reader, writer = await asyncio.open_connection("127.0.0.1", srv.web_port)
        writer.write(b"GET / HTTP/1.1\r\nHost: localhost\r\n\r\n")
        answer = await asyncio.wait_for(reader.read(), 10)
        writer.close()
        head, _, body = answer.partition(b"\r\n\r\n")
        assert head.startswith(b"HTTP/1.1 200")
        assert b"text/html" in head
        assert body == page_bytes()
        reader, writer = await asyncio.open_connection("127.0.0.1", srv.web_port)
        writer.write(b"GET /secret HTTP/1.1\r\nHost: localhost\r\n\r\n")
        answer = await asyncio.wait_for(reader.read(), 10)
        writer.close()
        assert answer.startswith(b"HTTP/1.1 404")


async def test_a_web_player_and_a_telnet_player_share_a_room(tmp_path: Path) -> None:
    async with running_server(make_config(tmp_path)) as srv:
        web = await WebPlayer.connect(srv.web_port)
        await login_new(web, "Webster")
        telnet = await TelnetPlayer.connect(srv.telnet_port)
        await login_new(telnet, "Tella")
        await web.expect("Tella arrives|Tella")
        telnet.send("say hello, browser")
        await web.expect("Tella says.*hello, browser")
        web.send("say hello, terminal")
        await telnet.expect("Webster says.*hello, terminal")
        # GMCP reaches the page as JSON envelopes: room, vitals, channels.
        assert web.gmcp("Room.Info")[-1]["name"]
        talk = [m for m in web.gmcp("Comm.Channel.Text") if m["talker"] == "Tella"]
        assert talk and talk[-1]["text"] == "hello, browser"
        web.send("south")
        await telnet.expect("Webster leaves south|Webster goes south|Webster.*south")
        await web.close()
        await telnet.close()


async def test_echo_is_turned_off_for_the_password(tmp_path: Path) -> None:
    async with running_server(make_config(tmp_path)) as srv:
        web = await WebPlayer.connect(srv.web_port)
        await web.expect("What is your name")
        web.send("Masked")
        await web.expect("yes/no")
        web.send("yes")
        await web.expect("Password:")
        echoes = [e["data"] for e in web.envelopes if e.get("id") == "echo"]
        assert echoes[-1] == "off"
        web.send("hidden-pass")
        await web.expect("Repeat")
        web.send("hidden-pass")
        await web.expect("Exits:|Your class:")
        echoes = [e["data"] for e in web.envelopes if e.get("id") == "echo"]
        assert echoes[-1] == "on"
        await web.close()


async def test_naws_sets_the_wrap_width(tmp_path: Path) -> None:
    async with running_server(make_config(tmp_path)) as srv:
        web = await WebPlayer.connect(srv.web_port)
        size = base64.b64encode((40).to_bytes(2, "big") + (20).to_bytes(2, "big")).decode()
        await web.envelope("telnet_31", "NAWS", size)
        await login_new(web, "Narrow")
        web.send("look")
        text = await web.expect("Exits:")
        widest = max(len(line) for line in without_prompts(text).splitlines())
        assert widest <= 40, text


async def test_telnet_stream_subprotocol_carries_the_telnet_protocol(tmp_path: Path) -> None:
    async with running_server(make_config(tmp_path)) as srv:
        async with websockets.connect(
            f"ws://127.0.0.1:{srv.web_port}/ws",
            subprotocols=[websockets.Subprotocol("telnet.mudstandards.org")],
        ) as ws:
            assert ws.subprotocol == "telnet.mudstandards.org"
            stream = b""
            async with asyncio.timeout(10):
                while b"What is your name" not in stream:
                    frame = await ws.recv()
                    assert isinstance(frame, bytes)  # the telnet stream is binary
                    stream += frame
            # The server negotiated like a telnet server: IAC WILL/DO sequences came first.
            assert b"\xff\xfb" in stream or b"\xff\xfd" in stream
            await ws.send(b"Streamer\r\n")
            async with asyncio.timeout(10):
                while b"Create Streamer" not in stream:
                    stream += await ws.recv()  # type: ignore[operator]


async def test_no_known_subprotocol_is_refused(tmp_path: Path) -> None:
    async with running_server(make_config(tmp_path)) as srv:
        with pytest.raises(websockets.InvalidStatus) as caught:
            await WebPlayer.connect(srv.web_port, subprotocols=("chat.example.com",))
        assert caught.value.response.status_code == 400
        with pytest.raises(websockets.InvalidStatus):
            await WebPlayer.connect(srv.web_port, subprotocols=())


async def test_a_foreign_origin_is_refused_and_the_page_origin_allowed(tmp_path: Path) -> None:
    config = make_config(tmp_path, web={"origins": ["https://play.example.org"]})
    async with running_server(config) as srv:
        with pytest.raises(websockets.InvalidStatus) as caught:
            await WebPlayer.connect(srv.web_port, origin="https://evil.example.com")
        assert caught.value.response.status_code == 403
        same = await WebPlayer.connect(srv.web_port, origin=f"http://127.0.0.1:{srv.web_port}")
        await same.expect("What is your name")
        listed = await WebPlayer.connect(srv.web_port, origin="https://play.example.org")
        await listed.expect("What is your name")
        await same.close()
        await listed.close()


async def _closed_with(player: WebPlayer) -> int | None:
    async with asyncio.timeout(10):
        while True:
            try:
                await player.ws.recv()
            except websockets.ConnectionClosed as exc:
                return exc.rcvd.code if exc.rcvd else None


async def test_bad_frames_get_a_clear_close_and_nobody_else_notices(tmp_path: Path) -> None:
    config = make_config(tmp_path, web={"max_frame": 4096})
    async with running_server(config) as srv:
        bystander = await TelnetPlayer.connect(srv.telnet_port)
        await login_new(bystander, "Calm")

        big = await WebPlayer.connect(srv.web_port)
        await big.ws.send(b"x" * 10_000)
        assert await _closed_with(big) == 1009  # message too big

        bad_text = await WebPlayer.connect(srv.web_port)
        await bad_text.ws.send(b"say \xff\xfe broken\r\n")
        assert await _closed_with(bad_text) == 1007  # invalid data

        junk = await WebPlayer.connect(srv.web_port)
        await junk.ws.send("not json at all")  # ignored, not fatal
        await junk.expect("What is your name")
        junk.send("Junky")
        await junk.expect("Create Junky")

        bystander.send("say still here")
        await bystander.expect("You say.*still here")
        await junk.close()
        await bystander.close()


async def test_a_flood_of_frames_is_the_hub_flood_rule(tmp_path: Path) -> None:
    config = make_config(tmp_path, limits={"flood_burst": 20, "flood_rate": 5})
    async with running_server(config) as srv:
        bystander = await TelnetPlayer.connect(srv.telnet_port)
        await login_new(bystander, "Steady")
        flooder = await WebPlayer.connect(srv.web_port)
        await login_new(flooder, "Floody")
        for _ in range(400):
            try:
                await flooder.ws.send(b"look\r\n")
            except websockets.ConnectionClosed:
                break
        text = await flooder.closed(timeout=15)
        assert "flood" in text.lower() or "too fast" in text.lower()
        bystander.send("say unbothered")
        await bystander.expect("You say.*unbothered")
        await bystander.close()


async def test_a_handshake_that_never_completes_is_cut_off(tmp_path: Path) -> None:
    config = make_config(tmp_path, web={"handshake_timeout": 0.5})
    async with running_server(config) as srv:
        reader, writer = await asyncio.open_connection("127.0.0.1", srv.web_port)
        writer.write(b"GET /ws HTTP/1.1\r\nHost: x\r\n")  # and nothing more
        async with asyncio.timeout(10):
            assert await reader.read() == b""  # the server hung up
        writer.close()
        # An oversized request head is refused too.
        reader, writer = await asyncio.open_connection("127.0.0.1", srv.web_port)
        writer.write(b"GET / HTTP/1.1\r\nX-Pad: " + b"a" * 20_000 + b"\r\n\r\n")
        async with asyncio.timeout(10):
            answer = await reader.read()
        assert answer.startswith(b"HTTP/1.1 431")
        writer.close()


async def test_web_door_can_be_turned_off(tmp_path: Path) -> None:
    async with running_server(make_config(tmp_path, web_port=None)) as srv:
        assert srv.web_port == 0


async def test_a_stream_of_junk_frames_is_cut_off_by_the_byte_budget(tmp_path: Path) -> None:
    config = make_config(tmp_path, web={"input_rate": 2048.0, "input_burst": 8192})
    async with running_server(config) as srv:
        bystander = await TelnetPlayer.connect(srv.telnet_port)
        await login_new(bystander, "Patient")
        junk = await WebPlayer.connect(srv.web_port)
        # Ignored envelopes never reach the hub's flood rule; the budget still holds.
        with pytest.raises(websockets.ConnectionClosed):
            async with asyncio.timeout(10):
                while True:
                    await junk.ws.send("x" * 1000)
                    await asyncio.sleep(0)
        bystander.send("say unmoved")
        await bystander.expect("You say.*unmoved")
        await bystander.close()
