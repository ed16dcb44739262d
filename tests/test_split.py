"""Split mode (``mud gateway`` + ``mud game`` over NATS).

The wire format is tested as pure code; the hub's side of numbered lines with a real
SQLite file; everything else end to end: the real NATS server, the game and gateways
as child processes, telnetlib3's and asyncssh's clients, and ``kill -9``.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import re
import signal
from collections.abc import AsyncIterator, Callable
from pathlib import Path

import asyncssh
import pytest
from hubrig import FakeSession, Rig
from hypothesis import given
from hypothesis import strategies as st
from mudclient import (
    SshPlayer,
    TelnetPlayer,
    http_get,
    login_existing,
    login_new,
    plain,
    sentences_read,
)
from splitrig import Nats, game, needs_nats, split_world

from mud.core.events import Connected, Disconnected, GmcpChanged, LineIn, Resized, TermInfo
from mud.core.outputs import Art, Doc, Para, Table, Title
from mud.hub import Hub
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
from mud.net.session import Session
from mud.split import wire
from mud.split.bus import Bus
from mud.split.game import GameLink, RemotePort
from mud.split.gateway import GatewayLink

# -- the wire format ------------------------------------------------------------------

texts = st.text(max_size=40)
conns = st.integers(min_value=1, max_value=(1 << 53) - 1)
terms = st.builds(
    TermInfo,
    term=texts,
    width=st.integers(1, 500),
    height=st.integers(1, 200),
    colours=st.sampled_from([0, 16, 256, 16_777_216]),
    screenreader=st.booleans(),
    charset=st.sampled_from(["utf-8", "latin-1", "ascii"]),
    width_known=st.booleans(),
)
blocks = st.one_of(
    st.builds(Para, texts),
    st.builds(Title, texts),
    st.builds(Art, st.lists(texts, max_size=3).map(tuple), texts),
    st.builds(
        Table,
        st.lists(st.lists(texts, max_size=3).map(tuple), max_size=3).map(tuple),
        st.lists(texts, max_size=3).map(tuple),
    ),
)
docs = st.builds(Doc, st.lists(blocks, max_size=4).map(tuple))
events = st.one_of(
    st.builds(LineIn, conns, texts, st.integers(0, 1 << 40)),
    st.builds(
        Connected,
        conns,
        st.sampled_from(["telnet", "ssh", "web"]),
        texts,
        terms,
        st.none() | texts,
        st.booleans(),
    ),
    st.builds(Resized, conns, terms),
    st.builds(GmcpChanged, conns, st.booleans()),
    st.builds(Disconnected, conns, texts),
)
json_values = st.recursive(
    st.none() | st.booleans() | st.integers(-1000, 1000) | texts,
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(texts, inner, max_size=3),
    max_leaves=8,
)
outputs: st.SearchStrategy[Output] = st.one_of(
    st.builds(Send, conns, docs),
    st.builds(Prompt, conns, texts),
    st.builds(StreamText, conns, st.integers(0, 1 << 30), texts),
    st.builds(EndStream, conns, st.integers(0, 1 << 30)),
    st.builds(Data, conns, texts, json_values),
    st.builds(Echo, conns, st.booleans()),
    st.builds(
        Prefs, conns, st.none() | st.booleans(), st.none() | st.booleans(), st.none() | conns
    ),
    st.builds(Close, conns, st.none() | docs),
    st.builds(Bound, conns, texts),
    st.builds(Ack, conns, st.integers(1, 1 << 40)),
)


@given(st.lists(events, max_size=6), conns, st.integers(0, 1 << 20))
def test_event_batches_round_trip(batch: list[object], gid: int, incarnation: int) -> None:
    sent = wire.EventBatch(gid, incarnation, tuple(batch))  # type: ignore[arg-type]
    assert wire.decode_events(wire.encode_events(sent)) == sent


@given(st.lists(outputs, max_size=8), texts)
def test_output_batches_round_trip(batch: list[Output], epoch: str) -> None:
    sent = wire.OutputBatch(epoch, tuple(batch))
    got = wire.decode_outputs(wire.encode_outputs(sent))
    assert got.epoch == epoch
    assert got.per_connection() == wire.per_connection(sent.outputs)


# A few connections and a few shared values, so that fan-outs form and interleave.
few_conns = st.integers(1, 4)
shared_docs = st.sampled_from([Doc.text("Mira says, 'hi'"), Doc.text("Rook arrives.")])
shared_payload = {"channel": "say", "text": "hi"}
crowded: st.SearchStrategy[Output] = st.one_of(
    st.builds(Send, few_conns, shared_docs),
    st.builds(Prompt, few_conns, st.sampled_from(["> ", "[10hp] > "])),
    st.builds(StreamText, few_conns, st.just(7), st.sampled_from(["The ", "lantern"])),
    st.builds(EndStream, few_conns, st.just(7)),
    st.builds(Data, few_conns, st.just("Comm.Channel.Text"), st.just(shared_payload)),
    st.builds(Ack, few_conns, st.integers(1, 5)),
    st.builds(Echo, few_conns, st.booleans()),
    st.builds(Close, few_conns, st.none() | shared_docs),
)


@given(st.lists(crowded, max_size=40))
def test_a_fan_out_keeps_every_connections_order(batch: list[Output]) -> None:
    got = wire.decode_outputs(wire.encode_outputs(wire.OutputBatch("e", tuple(batch))))
    assert got.per_connection() == wire.per_connection(batch)


def test_a_say_to_a_room_is_one_item_per_kind_of_output() -> None:
    doc = Doc.text("Mira says, 'hello everyone, and welcome to the Drowned Lantern'")
    payload = {"channel": "say", "talker": "Mira", "text": "hello"}
    base = wire.conn_base(3, 777)
    room = range(base + 1, base + 1001)
    outs: list[Output] = []
    for conn in room:
        outs.append(Send(conn, doc))
        outs.append(Data(conn, "Comm.Channel.Text", payload))
    outs.extend(Prompt(conn, "> ") for conn in room)
    outs.append(Send(base + 5, Doc.text("Your lantern gutters.")))  # after its prompt
    outs.append(Ack(base + 1, 9))
    data = wire.encode_outputs(wire.OutputBatch("e", tuple(outs)))
    got = wire.decode_outputs(data)
    fan = [item for item in got.items if isinstance(item, wire.Fanout)]
    assert [type(f.out) for f in fan] == [Send, Data, Prompt]
    assert all(f.conns == tuple(room) for f in fan)
    assert [type(i) for i in got.items[3:]] == [Send, Ack]
    assert got.per_connection() == wire.per_connection(outs)
    assert data.count(b"welcome to the Drowned Lantern") == 1
    assert data.count(b"Comm.Channel.Text") == 1
    # Connection numbers travel as short offsets from the batch's gateway run.
    assert str(base + 500).encode() not in data
    assert len(data) < 12_000


def test_a_document_sent_to_many_travels_once() -> None:
    doc = Doc.text("Mira says, 'hello everyone, and welcome to the Drowned Lantern'")
    batch = wire.OutputBatch("e", tuple(Send(conn, doc) for conn in range(1, 1001)))
    data = wire.encode_outputs(batch)
    assert data.count(b"welcome to the Drowned Lantern") == 1
    decoded = wire.decode_outputs(data)
    # One object for all thousand: the gateway renders it once per terminal profile.
    sends = [o for outs in decoded.per_connection().values() for o in outs]
    assert len(sends) == 1000
    assert len({id(o.doc) for o in sends if isinstance(o, Send)}) == 1


@given(st.lists(outputs, min_size=1, max_size=30), st.integers(3000, 20000))
def test_a_batch_too_large_for_the_bus_is_cut_in_order(batch: list[Output], limit: int) -> None:
    big = Doc.text("x" * 900)  # every output fits alone, but not all together
    sent = wire.OutputBatch("e", tuple(batch) + tuple(Send(n, big) for n in range(1, 40)))
    parts = wire.encode_outputs_within(sent, limit)
    assert all(len(p) <= limit for p in parts)
    got: dict[int, list[Output]] = {}
    for part in parts:
        for conn, outs in wire.decode_outputs(part).per_connection().items():
            got.setdefault(conn, []).extend(outs)
    assert got == wire.per_connection(sent.outputs)


def test_an_output_to_a_crowd_too_large_for_one_message_is_cut_between_them() -> None:
    """A value to so many connections that its one item exceeds the bus limit travels
    as several items, each for part of the crowd, every connection's order kept; one
    output too large for any message is refused."""
    base = wire.conn_base(2, 9)
    crowd = range(base + 1, base + 2001)
    outs: list[Output] = [Send(base + 7, Doc.text("You light the lantern."))]
    outs += [Prompt(conn, "[" + "x" * 200 + "] > ") for conn in crowd]
    outs.append(Ack(base + 7, 3))
    parts = wire.encode_outputs_within(wire.OutputBatch("e", tuple(outs)), 3000)
    assert len(parts) > 3
    assert all(len(p) <= 3000 for p in parts)
    got: dict[int, list[Output]] = {}
    for part in parts:
        for conn, values in wire.decode_outputs(part).per_connection().items():
            got.setdefault(conn, []).extend(values)
    assert got == wire.per_connection(outs)
    with pytest.raises(wire.WireError):
        wire.encode_outputs_within(wire.OutputBatch("e", (Prompt(base, "x" * 4000),)), 3000)


def test_a_foreign_message_is_refused_with_a_reason() -> None:
    for bad in (b"not json", b"[1,2]", b'{"v": 99}', b'{"v": 1, "g": 1, "i": 0, "e": [["X"]]}'):
        with pytest.raises(wire.WireError):
            wire.decode_events(bad)


def test_a_gmcp_change_round_trips_and_a_malformed_one_is_refused() -> None:
    for on in (True, False):
        batch = wire.EventBatch(1, 2, (GmcpChanged(5, on),))
        assert wire.decode_events(wire.encode_events(batch)) == batch
    for bad in (["G", 5, 1], ["G", 5, "yes"], ["G", 5], ["G", "x", True]):
        with pytest.raises(wire.WireError):
            wire.event_from_wire(bad)


def test_connection_numbers_name_their_gateway_and_never_collide() -> None:
    a1 = wire.conn_base(1, 5)
    a2 = wire.conn_base(1, 6)
    b1 = wire.conn_base(2, 5)
    assert len({a1, a2, b1}) == 3
    assert wire.gateway_of(a1 + 12345) == 1
    assert wire.gateway_of(b1 + 1) == 2
    assert wire.conn_base(511, (1 << 20) - 1) + (1 << 24) - 1 < 1 << 53
    with pytest.raises(ValueError, match=r"1\.\.511"):
        wire.conn_base(0, 1)


# -- the hub's side: numbered lines -----------------------------------------------------


async def test_a_numbered_line_is_acknowledged_and_marked_in_the_same_commit(
    rig: Rig,
) -> None:
    session = await rig.create("Mira")
    await rig.hub.post(LineIn(session.conn, "get lantern", seq=7))
    await session.expect("You pick up")
    for _ in range(100):
        if 7 in session.acks:
            break
        await asyncio.sleep(0.02)
    assert session.acks == [7]
    assert session.account == "mira"
    assert rig.store is not None
    for _ in range(100):
        saved = await rig.store.load_world()
        if "line:mira" in saved:
            break
        await asyncio.sleep(0.02)
    assert json.loads(saved["line:mira"]) == [session.conn, 7]
    # A line that changes nothing is acknowledged but costs no write.
    await rig.hub.post(LineIn(session.conn, "look", seq=8))
    await session.expect("Exits:")
    await rig.hub.post(LineIn(session.conn, "drop lantern", seq=9))
    await session.expect("You drop")
    for _ in range(100):
        saved = await rig.store.load_world()
        if json.loads(saved["line:mira"]) == [session.conn, 9]:
            break
        await asyncio.sleep(0.02)
    assert session.acks == [7, 8, 9]
    assert json.loads(saved["line:mira"]) == [session.conn, 9]
    # One process never numbers lines: nothing is acknowledged or marked.
    await rig.line(session, "look")
    await session.expect("Exits:")
    assert session.acks == [7, 8, 9]
    # The mark goes with the character: it only matters while a gateway holds the line.
    await rig.line(session, "quit")
    for _ in range(100):
        saved = await rig.store.load_world()
        if "line:mira" not in saved:
            break
        await asyncio.sleep(0.02)
    assert "line:mira" not in saved


# -- end to end -------------------------------------------------------------------------


async def _quiet(player: TelnetPlayer | SshPlayer, seconds: float) -> str:
    """Read what arrives for ``seconds`` (a pattern that never matches)."""
    with pytest.raises(AssertionError):
        await player.expect("\x00never\x00", seconds)
    text = player.buffer
    player.buffer = ""
    return text


@needs_nats
async def test_players_on_two_gateways_share_one_world(tmp_path: Path) -> None:
    async with split_world(tmp_path) as (_nats, _game, (gw_a, gw_b)):
        mira = await TelnetPlayer.connect(gw_a.telnet_port)
        await login_new(mira, "Mira")
        corin = await SshPlayer.connect(gw_b.ssh_port)
        await login_new(corin, "Corin")
        await mira.expect("Corin steps into view")
        # Either gateway's browser door lists everyone in the world, asked of the game.
        head, body = await http_get(gw_b.web_port, "/who")
        assert head.startswith(b"HTTP/1.1 200")
        assert sorted(p["name"] for p in json.loads(body)["players"]) == ["Corin", "Mira"]
        mira.send("say well met, Corin")
        await corin.expect("Mira says, 'well met, Corin'")
        corin.send("south")
        await mira.expect("Corin leaves south")
        corin.send("north")
        await mira.expect("Corin (arrives|steps|comes)")
        # The Dungeon Master's narration of Corin's search reaches both: Mira reads the
        # room's telling, Corin the same sentences with his own deed as "you".
        corin.send("search hearthstone")
        await corin.expect("oilcloth packet is uncovered")
        await mira.expect("oilcloth packet is uncovered")
        told_mira = await mira.expect(r"\bCorin\b[^.!?…]*[.!?…]")
        told_corin = await corin.expect(r"\b(?:You|Your|you|your)\b[^.!?…]*[.!?…]")
        mira.send("say synced")
        told_mira += await mira.expect("You say, 'synced'")
        told_corin += await corin.expect("Mira says, 'synced'")
        closing = r"(?:You say|Mira says), 'synced'"
        theirs = sentences_read(told_mira, closing)
        yours = sentences_read(told_corin, closing)
        assert len(theirs) >= 2 and len(yours) >= 2
        for room, own in zip(theirs, yours, strict=False):
            if "Corin" in room:
                assert "Corin" not in own and re.search(r"\b(?:[Yy]ou|[Yy]our)\b", own)
            else:
                assert own == room
        await mira.close()
        await corin.close()


@needs_nats
async def test_an_ssh_password_is_checked_by_the_game_through_the_bus(tmp_path: Path) -> None:
    async with split_world(tmp_path) as (_nats, _game, (gw_a, gw_b)):
        telnet = await TelnetPlayer.connect(gw_a.telnet_port)
        await login_new(telnet, "Bob", "hunter-two")
        telnet.send("quit")
        await telnet.closed()
        with pytest.raises(asyncssh.PermissionDenied):
            await SshPlayer.connect(gw_b.ssh_port, "bob", password="not-it")
        player = await SshPlayer.connect(gw_b.ssh_port, "bob", password="hunter-two")
        await player.expect("Exits:")
        assert "What is your name" not in player.seen
        await player.close()


@needs_nats
async def test_kill_9_of_the_game_costs_a_pause_not_a_connection(tmp_path: Path) -> None:
    async with split_world(tmp_path, gateways=1) as (nats, the_game, (gw,)):
        # Corin first: restored in that order, he is back when Mira comes back.
        corin = await SshPlayer.connect(gw.ssh_port)
        await login_new(corin, "Corin")
        mira = await TelnetPlayer.connect(gw.telnet_port)
        await login_new(mira, "Mira")
        mira.send("get lantern")
        await mira.expect("You pick up a hooded lantern")
        await mira.expect("HP >")  # its output came, so it was committed
        await corin.expect("Mira picks up a hooded lantern")
        # The gateway's own metrics: what it holds, and that it has a game.
        head, body = await http_get(gw.metrics_port, "/metrics")
        assert 'mud_gateway_connections{door="telnet"} 1.0' in body.decode()
        assert 'mud_gateway_connections{door="ssh"} 1.0' in body.decode()
        assert "mud_gateway_game_attached 1.0" in body.decode()
        head, _body = await http_get(gw.metrics_port, "/healthz")
        assert head.startswith(b"HTTP/1.0 200")
        mark = len(corin.seen)
        await the_game.kill(signal.SIGKILL)
        await mira.expect("The world is being restored", 10)
        head, _body = await http_get(gw.web_port, "/who")
        assert head.startswith(b"HTTP/1.1 503")  # no game to ask: said so, at once
        head, body = await http_get(gw.metrics_port, "/healthz")
        assert head.startswith(b"HTTP/1.0 503") and b"no game attached" in body
        mira.send("south")  # typed while the game is away: answered, never applied
        await mira.expect('"south" was not done', 5)
        again = game(tmp_path, nats)
        await again.start()
        try:
            await mira.expect("The world is back", 15)
            await mira.expect("Resuming")
            mira.send("inventory")
            await mira.expect("hooded lantern")
            mira.send("look")
            room = await mira.expect("Exits:")
            assert "Common Room" in room  # "south" was not applied, late or twice
            await corin.expect("The world is back", 15)
            mira.send("say still with you")
            await corin.expect("Mira says, 'still with you'")
            _head, body = await http_get(gw.metrics_port, "/metrics")
            assert "mud_gateway_game_away_total 1.0" in body.decode()
            assert "mud_gateway_lines_not_done_total 1.0" in body.decode()  # "south"
            seen = plain(corin.seen[mark:])
            # Nobody left, as the room saw it: no "steps into view", no arrival story.
            assert "Mira steps into view" not in seen
            assert "Mira comes into" not in seen and "Mira steps into the" not in seen
        finally:
            await again.kill()
        await mira.close()
        await corin.close()


@needs_nats
async def test_a_gmcp_client_keeps_its_gmcp_across_a_game_restart(tmp_path: Path) -> None:
    """The game learns who wants GMCP from the doors; a restarted game learns it from
    the gateway's attach, so a GMCP client's room and chat keep flowing."""
    async with split_world(tmp_path, gateways=1) as (nats, the_game, (gw,)):
        mira = await TelnetPlayer.connect(gw.telnet_port)
        await login_new(mira, "Mira")
        gmcp = mira.writer.ctx.gmcp_data
        for _ in range(250):
            if "Room.Info" in gmcp:
                break
            await asyncio.sleep(0.02)
        first = dict(gmcp["Room.Info"])
        await the_game.kill(signal.SIGKILL)
        await mira.expect("The world is being restored", 10)
        gmcp.clear()
        again = game(tmp_path, nats)
        await again.start()
        try:
            await mira.expect("The world is back", 15)
            await mira.expect("Resuming")
            for _ in range(250):
                if "Room.Info" in gmcp:
                    break
                await asyncio.sleep(0.02)
            assert gmcp["Room.Info"] == first  # sent again at the new game's login
            mira.send("say still mapped")
            await mira.expect("still mapped")
            for _ in range(250):
                if "Comm.Channel.Text" in gmcp:
                    break
                await asyncio.sleep(0.02)
            assert gmcp["Comm.Channel.Text"] == {
                "channel": "say",
                "talker": "Mira",
                "text": "still mapped",
            }
            direction = next(iter(first["exits"]))
            mira.send(direction)
            await mira.expect("Exits:")
            for _ in range(250):
                if gmcp["Room.Info"] != first:
                    break
                await asyncio.sleep(0.02)
            assert gmcp["Room.Info"]["num"] == first["exits"][direction]
        finally:
            await again.kill()
        await mira.close()


@needs_nats
async def test_a_stopping_game_tells_players_to_wait_and_keeps_them(tmp_path: Path) -> None:
    async with split_world(tmp_path, gateways=1) as (nats, the_game, (gw,)):
        corin = await SshPlayer.connect(gw.ssh_port)
        await login_new(corin, "Corin")
        await the_game.kill(signal.SIGTERM)
        await corin.expect("The world is restarting")
        # A stop on purpose is no fault (the operator's finding: a deploy read "The world
        # is restarting", then "The world is being restored after a fault"). One who
        # connects meanwhile is told it is restarting.
        for _ in range(100):
            _head, body = await http_get(gw.metrics_port, "/metrics")
            if "mud_gateway_game_attached 0.0" in body.decode():
                break
            await asyncio.sleep(0.05)
        newcomer = await TelnetPlayer.connect(gw.telnet_port)
        await newcomer.expect("The world is restarting. Stay connected", 10)
        again = game(tmp_path, nats)
        await again.start()
        try:
            await corin.expect("The world is back", 15)
            corin.send("say still here")
            await corin.expect("You say, 'still here'")
            await newcomer.expect("What is your name", 15)
        finally:
            await again.kill()
        assert "after a fault" not in corin.seen + newcomer.seen
        assert corin.seen.count("The world is restarting") == 1  # the game said it; once
        await corin.close()
        await newcomer.close()


@needs_nats
async def test_a_lost_gateway_leaves_its_players_link_dead_to_return_elsewhere(
    tmp_path: Path,
) -> None:
    async with split_world(tmp_path) as (_nats, _game, (gw_a, gw_b)):
        mira = await TelnetPlayer.connect(gw_a.telnet_port)
        await login_new(mira, "Mira")
        corin = await TelnetPlayer.connect(gw_b.telnet_port)
        await login_new(corin, "Corin")
        await gw_a.kill(signal.SIGKILL)
        # As after a dropped connection: the others see Mira's link go.
        await corin.expect(r"Mira goes still, lost in thought \(link-dead\)", 15)
        back = await TelnetPlayer.connect(gw_b.telnet_port)
        await login_existing(back, "Mira")
        back.send("say back through the other door")
        await corin.expect("Mira says, 'back through the other door'")
        await back.close()
        await corin.close()


@needs_nats
async def test_a_restarted_nats_server_is_rejoined_by_everyone(tmp_path: Path) -> None:
    async with split_world(tmp_path) as (nats, _game, (gw_a, gw_b)):
        mira = await TelnetPlayer.connect(gw_a.telnet_port)
        await login_new(mira, "Mira")
        corin = await SshPlayer.connect(gw_b.ssh_port)
        await login_new(corin, "Corin")
        await nats.kill()
        await asyncio.sleep(1.0)
        await nats.start()
        # Whatever was said during the gap was answered; after it, the world carries on.
        for _ in range(40):
            mira.send("say are you there?")
            try:
                await corin.expect("Mira says, 'are you there\\?'", 1.0)
                break
            except AssertionError:
                continue
        else:
            raise AssertionError("the world never came back after NATS restarted")
        # Mira's question of "you", with only Corin beside her, is his to answer.
        corin.send("say yes")
        await mira.expect("Corin says to you, 'yes'", 10)
        await mira.close()
        await corin.close()


@needs_nats
async def test_a_nats_server_killed_under_play_loses_no_line_and_repeats_none(
    tmp_path: Path,
) -> None:
    """Eight players on two gateways, each saying something every 0.2 s, and the NATS
    server killed (SIGKILL) and started again in the middle: every line is either said
    (its speaker sees it) or answered "not done"; none is heard twice, and none told
    "not done" is heard at all."""
    async with split_world(tmp_path) as (nats, _game, (gw_a, gw_b)):
        names = [f"Talker{c}" for c in "abcdefgh"]
        players = [
            await TelnetPlayer.connect((gw_a if i % 2 else gw_b).telnet_port)
            for i in range(len(names))
        ]
        await asyncio.gather(*(login_new(p, n) for p, n in zip(players, names, strict=True)))
        said: dict[str, list[str]] = {n: [] for n in names}
        stop = asyncio.Event()

        async def pump(player: TelnetPlayer) -> None:
            while chunk := await player._read():
                player.seen += chunk

        async def talk(player: TelnetPlayer, name: str) -> None:
            while not stop.is_set():
                token = f"tok{name.lower()}x{len(said[name]) + 1}"
                said[name].append(token)
                player.send(f"say {token}")
                with contextlib.suppress(TimeoutError):
                    await asyncio.wait_for(stop.wait(), 0.2)

        pumps = [asyncio.create_task(pump(p)) for p in players]
        talkers = [asyncio.create_task(talk(p, n)) for p, n in zip(players, names, strict=True)]
        await asyncio.sleep(1.5)
        await nats.kill()
        await asyncio.sleep(0.3)
        await nats.start()
        await asyncio.sleep(3.0)  # play on once it is back
        stop.set()
        await asyncio.gather(*talkers)
        await asyncio.sleep(3.0)  # the last answers
        for task in pumps:
            task.cancel()
        await asyncio.gather(*pumps, return_exceptions=True)
        texts = {n: plain(p.seen) for p, n in zip(players, names, strict=True)}
        for name, tokens in said.items():
            for token in tokens:
                mine = texts[name]
                echoed = mine.count(f"You say, '{token}'")
                not_done = f'"say {token}" was not done' in mine
                heard = [texts[o].count(f"{name} says, '{token}'") for o in names if o != name]
                assert echoed + not_done == 1, (token, echoed, not_done)
                assert all(n <= 1 for n in heard), (token, heard)
                assert not (not_done and any(heard)), token
        assert sum(len(t) for t in said.values()) > 8 * 20
        for p in players:
            await p.close()


@contextlib.asynccontextmanager
async def _two_buses(game: str, gateway: str) -> AsyncIterator[tuple[Bus, Bus]]:
    """A real NATS server and two connections to it, named as a scripted game and a
    scripted gateway would be; all closed (and the server killed) at the end."""
    nats = Nats()
    await nats.start()
    try:
        game_bus = await Bus.connect(nats.url, game)
        gw_bus = await Bus.connect(nats.url, gateway)
        try:
            yield game_bus, gw_bus
        finally:
            await gw_bus.close()
            await game_bus.close()
    finally:
        await nats.kill()


async def _held_connection(gw_bus: Bus, incarnation: int) -> tuple[GatewayLink, FakeSession]:
    """A gateway (gid 1, world "t") attached to a scripted game's epoch "g1", holding
    one telnet connection whose screen is the returned session."""
    link = GatewayLink(gw_bus, world="t", gid=1, incarnation=incarnation, now=lambda: 0.0)
    await link.start()
    await link._attach("g1")
    session = FakeSession(wire.conn_base(1, incarnation) + 1)
    link.attach(session)
    await link.post(Connected(session.conn, "telnet", "127.0.0.1", TermInfo()))
    return link, session


@needs_nats
async def test_lines_not_acknowledged_are_settled_from_the_games_marks(
    tmp_path: Path,
) -> None:
    """A gateway whose game vanished with lines in flight: when a new game attaches,
    lines the store marks applied are reported done, the rest 'not done', none resent."""
    seen_events: list[LineIn] = []
    async with _two_buses("scripted-game", "gateway") as (game_bus, gw_bus):
        link = GatewayLink(gw_bus, world="t", gid=1, incarnation=3, now=lambda: 0.0)

        async def take(data: bytes) -> None:
            seen_events.extend(e for e in wire.decode_events(data).events if type(e) is LineIn)

        async def attach(data: bytes) -> bytes:
            held = [c["c"] for c in wire.decode(data)["conns"]]
            marks = {str(c): 2 for c in held}
            return wire.encode({"ep": "second", "marks": marks, "fresh": held})

        await game_bus.subscribe(wire.events_subject("t"), take)
        await game_bus.serve(wire.attach_subject("t"), attach)
        await game_bus.flush()
        await link.start()
        await link._attach("first")
        conn = wire.conn_base(1, 3) + 1

        session = FakeSession(conn)
        link.attach(session)
        await link.post(Connected(conn, "telnet", "127.0.0.1", TermInfo()))
        for text in ("get lantern", "north", "say hi"):
            await link.post(LineIn(conn, text))
        for _ in range(100):
            if len(seen_events) == 3:
                break
            await asyncio.sleep(0.02)
        assert [(e.text, e.seq) for e in seen_events] == [
            ("get lantern", 1),
            ("north", 2),
            ("say hi", 3),
        ]
        await link._attach("second")
        assert '"get lantern" was done before the world paused' in session.text
        assert '"north" was done before the world paused' in session.text
        assert '"say hi" was not done' in session.text
        assert len(seen_events) == 3  # nothing sent twice
        await link.close()


@needs_nats
async def test_lines_in_flight_are_capped_and_a_waiting_line_is_answered_when_the_game_goes(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A game that takes lines and acknowledges none: past the cap, a door's post waits
    (back-pressure on that client); when the game is given up, the waiting line is
    answered 'not done' at once instead of being sent to nobody."""

    from mud.split import gateway as gateway_module

    monkeypatch.setattr(gateway_module, "MAX_UNACKED", 2)
    async with _two_buses("silent-game", "gateway") as (game_bus, gw_bus):
        taken: list[str] = []

        async def take(data: bytes) -> None:
            taken.extend(e.text for e in wire.decode_events(data).events if type(e) is LineIn)

        async def attach(data: bytes) -> bytes:
            return wire.encode({"ep": "g1", "marks": {}, "fresh": []})

        await game_bus.subscribe(wire.events_subject("t"), take)
        await game_bus.serve(wire.attach_subject("t"), attach)
        await game_bus.flush()
        link, session = await _held_connection(gw_bus, 4)
        conn = session.conn
        await link.post(LineIn(conn, "north"))
        await link.post(LineIn(conn, "south"))
        third = asyncio.create_task(link.post(LineIn(conn, "east")))
        await asyncio.sleep(0.3)
        assert not third.done()  # held back: two lines are in flight
        link._away("test: the game went silent")
        await asyncio.wait_for(third, 5)
        assert '"east" was not done' in session.text
        assert "The world is being restored" in session.text
        for _ in range(50):
            if len(taken) == 2:
                break
            await asyncio.sleep(0.02)
        assert taken == ["north", "south"]  # "east" was never sent
        await link.close()


@needs_nats
async def test_a_connection_that_ended_while_the_game_was_thought_away_is_dropped(
    tmp_path: Path,
) -> None:
    """A gateway that gave the game up (a NATS blip) sends no Disconnected for the
    connections that end meanwhile; its next attach lists what it still holds, and the
    game drops the rest, instead of keeping a ghost in the world."""
    from hubrig import make_rig

    async with (
        _two_buses("game", "scripted-gateway") as (game_bus, gw_bus),
        make_rig(tmp_path) as rig,
    ):
        link = await _game_link(game_bus, rig.hub)
        conn = wire.conn_base(3, 9) + 1
        held = {
            "c": conn,
            "d": "telnet",
            "p": "10.0.0.7",
            "t": wire.term_to_wire(TermInfo()),
            "a": "",
        }
        for conns in ([held], []):
            body = {"g": 3, "i": 9, "conns": conns}
            answer = await gw_bus.request(wire.attach_subject("t"), wire.encode(body), deadline=5)
            assert wire.decode(answer)["ep"] == "e1"
            for _ in range(100):
                if rig.hub.connection_count == len(conns):
                    break
                await asyncio.sleep(0.02)
            assert rig.hub.connection_count == len(conns)
        await link.close(going=False)


@needs_nats
async def test_a_gateway_carries_each_connections_gmcp_state_to_the_game() -> None:
    """A client's GMCP change goes to the game as it happens; while the game is away
    the gateway keeps it, and its attach lists every connection whose client wants
    GMCP (``m``), so a new game learns what the old one knew."""
    seen: list[GmcpChanged] = []
    requests: list[dict[str, object]] = []
    async with _two_buses("scripted-game", "gateway") as (game_bus, gw_bus):

        async def take(data: bytes) -> None:
            seen.extend(e for e in wire.decode_events(data).events if type(e) is GmcpChanged)

        async def attach(data: bytes) -> bytes:
            body = wire.decode(data)
            requests.append(body)
            fresh = [c["c"] for c in body["conns"]]
            return wire.encode({"ep": "g2", "marks": {}, "fresh": fresh})

        await game_bus.subscribe(wire.events_subject("t"), take)
        await game_bus.serve(wire.attach_subject("t"), attach)
        await game_bus.flush()
        link, first = await _held_connection(gw_bus, 4)
        second = FakeSession(first.conn + 1)
        link.attach(second)
        await link.post(Connected(second.conn, "web", "127.0.0.2", TermInfo()))
        await link.post(GmcpChanged(first.conn, True))
        for _ in range(100):
            if seen:
                break
            await asyncio.sleep(0.02)
        assert seen == [GmcpChanged(first.conn, True)]
        link._away("test: the game is gone")
        await link.post(GmcpChanged(second.conn, True))  # kept, not sent
        await link.post(GmcpChanged(first.conn, False))
        await link.post(GmcpChanged(first.conn, True))
        await link.post(GmcpChanged(first.conn, False))
        await link._attach("g2")
        listed = {c["c"]: c.get("m", False) for c in requests[-1]["conns"]}  # type: ignore[attr-defined]
        assert listed == {first.conn: False, second.conn: True}
        await asyncio.sleep(0.1)
        assert seen == [GmcpChanged(first.conn, True)]  # nothing sent while away
        await link.close()


@needs_nats
async def test_a_game_learns_gmcp_again_from_an_attach(tmp_path: Path) -> None:
    """A gateway hands its connections to a fresh game (after a restart): the one whose
    client wants GMCP gets its packages again from the first moment (the room, vitals,
    status, inventory at login), the other none. A second attach of the same gateway
    run that lists a change the game missed (a message lost on the way) is applied:
    the connection that now wants GMCP is sent its current room."""
    from hubrig import make_rig

    from mud.core.ops import CreateAccount
    from mud.engine.accounts import hash_password

    async with (
        _two_buses("game", "scripted-gateway") as (game_bus, gw_bus),
        make_rig(tmp_path) as rig,
    ):
        assert rig.store is not None
        pw = hash_password("secret-pass", rig.hub.settings.hash_cost)
        await rig.store.apply(
            [
                CreateAccount("Alice", "alice", pw, False, 0.0),
                CreateAccount("Bob", "bob", pw, False, 0.0),
            ]
        )
        link = await _game_link(game_bus, rig.hub)
        got: dict[int, list[Output]] = {}

        async def take(data: bytes) -> None:
            received = wire.decode_outputs(wire.unframe(data)[3])
            for conn, values in received.per_connection().items():
                got.setdefault(conn, []).extend(values)

        await gw_bus.subscribe(wire.outputs_subject("t", 3), take)
        await gw_bus.flush()
        alice, bob = wire.conn_base(3, 9) + 1, wire.conn_base(3, 9) + 2
        term = wire.term_to_wire(TermInfo())

        def held(conn: int, account: str, **more: object) -> dict[str, object]:
            return {"c": conn, "d": "telnet", "p": "10.0.0.7", "t": term, "a": account, **more}

        def packages(conn: int) -> list[str]:
            return [o.package for o in got.get(conn, []) if isinstance(o, Data)]

        def shown(conn: int) -> str:
            return repr([o for o in got.get(conn, []) if isinstance(o, Send)])

        async def until(check: Callable[[], bool]) -> None:
            for _ in range(250):
                if check():
                    return
                await asyncio.sleep(0.02)
            raise AssertionError(f"alice {got.get(alice)!r:.1500}\nbob {got.get(bob)!r:.1500}")

        body = {"g": 3, "i": 9, "conns": [held(alice, "alice", m=True), held(bob, "bob")]}
        await gw_bus.request(wire.attach_subject("t"), wire.encode(body), deadline=5)
        await until(lambda: "Room.Info" in packages(alice) and "calling" in shown(bob))

        async def lines(*events: LineIn) -> None:
            batch = wire.EventBatch(3, 9, events)
            await game_bus.publish(wire.events_subject("t"), wire.encode_events(batch))

        await lines(LineIn(alice, "fighter", 1), LineIn(bob, "fighter", 1))
        await until(lambda: "Exits" in shown(alice) and "Exits" in shown(bob))
        assert {"Char.Status", "Room.Info", "Char.Items.List", "Char.Vitals"} <= set(
            packages(alice)
        )
        assert packages(bob) == []

        got.clear()
        body = {"g": 3, "i": 9, "conns": [held(alice, "alice"), held(bob, "bob", m=True)]}
        await gw_bus.request(wire.attach_subject("t"), wire.encode(body), deadline=5)
        await until(lambda: "Room.Info" in packages(bob))
        assert {"Char.Status", "Room.Info", "Char.Items.List", "Char.Vitals"} <= set(packages(bob))
        # Alice's client no longer wants GMCP: a say to the room reaches her as text only.
        await lines(LineIn(bob, "say hello alice", 2))
        await until(lambda: "hello alice" in shown(alice) and "Comm.Channel.Text" in packages(bob))
        assert packages(alice) == []
        await link.close(going=False)


@needs_nats
async def test_the_games_ports_write_the_hubs_calls_into_one_grouped_message(
    tmp_path: Path,
) -> None:
    """What the hub says through the ports of a gateway's connections in one turn goes
    out as one message to that gateway, a broadcast as one item per kind for the whole
    room, and decodes, per connection, into exactly the calls made, in order."""
    from hubrig import make_rig

    async with (
        _two_buses("game", "scripted-gateway") as (game_bus, gw_bus),
        make_rig(tmp_path) as rig,
    ):
        link = await _game_link(game_bus, rig.hub)
        got: list[wire.Received] = []

        async def take(data: bytes) -> None:
            got.append(wire.decode_outputs(wire.unframe(data)[3]))

        await gw_bus.subscribe(wire.outputs_subject("t", 3), take)
        await gw_bus.flush()
        body = {"g": 3, "i": 9, "conns": []}
        await gw_bus.request(wire.attach_subject("t"), wire.encode(body), deadline=5)
        room = [wire.conn_base(3, 9) + n for n in range(1, 301)]
        ports = [RemotePort(conn, TermInfo(), link) for conn in room]
        say = Doc.text("Mira says, 'the tide is turning'")
        payload = {"channel": "say", "talker": "Mira", "text": "the tide is turning"}
        expected: list[Output] = [Ack(room[0], 4)]
        ports[0].ack(4)
        for port in ports:
            port.send(say)
            port.data("Comm.Channel.Text", payload)
            expected += [Send(port.conn, say), Data(port.conn, "Comm.Channel.Text", payload)]
        for port in ports:
            port.prompt("> ")
            expected.append(Prompt(port.conn, "> "))
        ports[1].set_echo(False)
        ports[1].close(Doc.text("Goodbye."))
        expected += [Echo(room[1], False), Close(room[1], Doc.text("Goodbye."))]
        for _ in range(100):
            if got:
                break
            await asyncio.sleep(0.02)
        assert len(got) == 1
        fan = [item for item in got[0].items if isinstance(item, wire.Fanout)]
        assert [type(f.out) for f in fan] == [Send, Data, Prompt]
        assert all(f.conns == tuple(room) for f in fan)
        assert got[0].per_connection() == wire.per_connection(expected)
        await link.close(going=False)


async def _attached_gateway(game_bus: Bus, gw_bus: Bus) -> GatewayLink:
    """Gateway 1 (incarnation 5) of world "t", started and attached to a scripted game
    (epoch "g1", nothing to settle) that answers on ``game_bus``."""

    async def attach(data: bytes) -> bytes:
        return wire.encode({"ep": "g1", "marks": {}, "fresh": [], "took": {}})

    await game_bus.serve(wire.attach_subject("t"), attach)
    await game_bus.flush()
    link = GatewayLink(gw_bus, world="t", gid=1, incarnation=5, now=lambda: 0.0)
    await link.start()
    await link._attach("g1")
    return link


@needs_nats
async def test_a_say_to_a_crowd_reaches_each_receiver_of_a_gateway_in_one_write() -> None:
    """A say to a room of 600 arrives at a gateway as three items for 600 connections
    each (its text, its GMCP, its prompt): every session has all three before its
    flush, so each receiver costs one socket write, as in one process. (Applied in
    slices of 512, the gateway let the flush run between the text and the prompt: two
    writes for most receivers.)"""
    from test_session import StuckLink

    async with _two_buses("scripted-game", "gateway") as (game_bus, gw_bus):
        link = await _attached_gateway(game_bus, gw_bus)
        links: dict[int, StuckLink] = {}
        for n in range(1, 601):
            conn = wire.conn_base(1, 5) + n
            links[conn] = StuckLink(stuck_after=1 << 30)  # never stuck: a counted link
            session = Session(conn, links[conn], TermInfo())
            session.start()
            link.attach(session)
        say = Doc.text("Mira says, 'the tide is turning'")
        payload = {"channel": "say", "talker": "Mira", "text": "the tide is turning"}
        outs: list[Output] = []
        for conn in links:
            outs += [Send(conn, say), Data(conn, "Comm.Channel.Text", payload)]
        outs += [Prompt(conn, "> ") for conn in links]
        data = wire.encode_outputs(wire.OutputBatch("g1", tuple(outs)))
        await game_bus.publish(wire.outputs_subject("t", 1), wire.frame("g1", 1, 1, data))
        for _ in range(200):
            if all(b"> " in counted.written for counted in links.values()):
                break
            await asyncio.sleep(0.01)
        for _ in range(5):  # any later flush would have happened by now
            await asyncio.sleep(0)
        assert all(b"the tide is turning" in counted.written for counted in links.values())
        assert all(counted.written.endswith(b"> \xff\xf9") for counted in links.values())
        assert [counted.writes for counted in links.values()] == [1] * 600
        await link.close()


@needs_nats
async def test_each_output_message_is_written_before_the_next_is_applied() -> None:
    """Two output messages that reach a gateway together (a look's answer, then a
    say's slice behind it) are written to the socket one after the other: the first
    does not wait for the second to be applied, as in one process a turn's output is
    flushed before the next turn. (nats-py hands queued messages over without
    yielding: before, both went out in one write after both were applied.)"""
    from test_session import StuckLink

    async with _two_buses("scripted-game", "gateway") as (game_bus, gw_bus):
        link = await _attached_gateway(game_bus, gw_bus)
        conn = wire.conn_base(1, 5) + 1
        counted = StuckLink(stuck_after=1 << 30)
        session = Session(conn, counted, TermInfo())
        session.start()
        link.attach(session)
        for number, text in enumerate(("the answer to a look", "a say behind it"), 1):
            batch = wire.OutputBatch("g1", (Send(conn, Doc.text(text)), Prompt(conn, "> ")))
            data = wire.encode_outputs(batch)
            await game_bus.publish(wire.outputs_subject("t", 1), wire.frame("g1", 1, number, data))
        await game_bus.flush()  # both in one write to NATS, so in one read at the gateway
        for _ in range(200):
            if b"a say behind it" in counted.written:
                break
            await asyncio.sleep(0.01)
        for _ in range(5):
            await asyncio.sleep(0)
        assert counted.writes == 2
        first = bytes(counted.written).split(b"\xff\xf9")[0]
        assert b"the answer to a look" in first and b"a say behind it" not in first
        await link.close()


async def _game_link(game_bus: Bus, hub: Hub) -> GameLink:
    """The game's end of the bus (world "t", epoch "e1") over a real hub, started, its
    subscriptions known to the server (a gateway's request on another connection right
    after could otherwise find no responder: seen once in a full run)."""
    link = GameLink(
        game_bus, hub, world="t", epoch="e1", marks=_no_marks, auth=_refuse, now=lambda: 0.0
    )
    await link.start()
    await game_bus.flush()
    return link


async def _no_marks() -> dict[str, tuple[int, int]]:
    return {}


async def _refuse(body: dict[str, object]) -> bool:
    return False


@needs_nats
async def test_a_broken_link_settles_the_lines_the_game_never_took(tmp_path: Path) -> None:
    """The link to NATS broke while the game stayed up, and two lines of three were
    lost on the way (the game took only the first): once the bus is back the gateway
    attaches again, the game says it took line 1, and lines 2 and 3 are answered 'not
    done' while line 1 is settled without a word (its output is on its way); nothing
    stays in flight."""

    async with _two_buses("scripted-game", "gateway") as (game_bus, gw_bus):
        taken: list[int] = []
        requests: list[dict[str, object]] = []

        async def take(data: bytes) -> None:
            for e in wire.decode_events(data).events:
                if type(e) is LineIn and e.seq == 1:
                    taken.append(e.seq)  # 2 and 3 are "lost"

        async def attach(data: bytes) -> bytes:
            body = wire.decode(data)
            requests.append(body)
            took = {str(c["c"]): max(taken, default=0) for c in body["conns"]}
            return wire.encode({"ep": "g1", "marks": {}, "fresh": [], "took": took})

        await game_bus.subscribe(wire.events_subject("t"), take)
        await game_bus.serve(wire.attach_subject("t"), attach)
        await game_bus.flush()
        link, session = await _held_connection(gw_bus, 5)
        conn = session.conn
        for text in ("get lantern", "north", "say hi"):
            await link.post(LineIn(conn, text))
        for _ in range(100):
            if taken:
                break
            await asyncio.sleep(0.02)
        assert taken == [1]
        assert link._unacked == 3
        link._link_broke()  # what Bus.on_reconnect calls
        assert link._attaching is not None
        await asyncio.wait_for(link._attaching, 5)
        assert requests[-1]["conns"] == [
            {
                "c": conn,
                "d": "telnet",
                "p": "127.0.0.1",
                "t": wire.term_to_wire(TermInfo()),
                "a": "",
                "s": 3,
            }
        ]
        assert '"get lantern"' not in session.text  # it reached the game
        assert '"north" was not done: the link to the world broke' in session.text
        assert '"say hi" was not done' in session.text
        # Line 1 stays in flight: its Ack is on its way.
        assert list(link._held[conn].unacked) == [(1, "get lantern")]
        assert link._unacked == 1
        # Lines after the resync are numbered on and sent as before.
        await link.post(LineIn(conn, "look"))
        assert link._held[conn].unacked[-1] == (4, "look")
        # The game took line 1 and then line 4: their Acks settle both without a word.
        acks = wire.OutputBatch("g1", (Ack(conn, 1), Ack(conn, 4)))
        await game_bus.publish(
            wire.outputs_subject("t", 1), wire.frame("g1", 1, 1, wire.encode_outputs(acks))
        )
        for _ in range(100):
            if link._unacked == 0:
                break
            await asyncio.sleep(0.02)
        assert link._unacked == 0
        assert '"get lantern"' not in session.text and '"look"' not in session.text
        await link.close()


@needs_nats
async def test_a_line_acknowledged_after_lines_that_never_came_settles_them_not_done(
    tmp_path: Path,
) -> None:
    """The hub acknowledges every line it takes, in order: an Ack for line 3 while
    lines 1 and 2 wait means those two were lost on the way (a NATS server that died
    holding them). The player is told they were not done; nothing stays in flight."""

    async with _two_buses("scripted-game", "gateway") as (game_bus, gw_bus):

        async def attach(data: bytes) -> bytes:
            return wire.encode({"ep": "g1", "marks": {}, "fresh": [], "took": {}})

        await game_bus.serve(wire.attach_subject("t"), attach)
        await game_bus.flush()
        link, session = await _held_connection(gw_bus, 7)
        conn = session.conn
        for text in ("get lantern", "north", "say hi"):
            await link.post(LineIn(conn, text))
        batch = wire.OutputBatch("g1", (Ack(conn, 3), Send(conn, Doc.text("You say, 'hi'"))))
        await game_bus.publish(
            wire.outputs_subject("t", 1), wire.frame("g1", 1, 1, wire.encode_outputs(batch))
        )
        await session.expect("You say, 'hi'")
        assert '"get lantern" was not done' in session.text
        assert '"north" was not done' in session.text
        assert '"say hi"' not in session.text
        assert link._unacked == 0
        await link.close()


@needs_nats
async def test_a_line_arriving_after_the_resync_that_settled_it_is_dropped(
    tmp_path: Path,
) -> None:
    """The game's half of the resync, with the real hub: a second attach from the same
    gateway run reports the last line the game took for each connection it has, and a
    line at or below what the gateway says it sent that arrives afterwards is dropped
    (the gateway has answered it) instead of being applied late."""
    from hubrig import make_rig

    async with (
        _two_buses("game", "scripted-gateway") as (game_bus, gw_bus),
        make_rig(tmp_path) as rig,
    ):
        acks: list[int] = []
        changed = asyncio.Event()

        streams: set[int] = set()

        async def outputs(data: bytes) -> None:
            _epoch, stream, _number, body = wire.unframe(data)
            streams.add(stream)
            for out in wire.decode_outputs(body).items:
                if type(out) is Ack:
                    acks.append(out.seq)
                    changed.set()

        await gw_bus.subscribe(wire.outputs_subject("t", 3), outputs)
        await gw_bus.flush()
        link = await _game_link(game_bus, rig.hub)
        conn = wire.conn_base(3, 9) + 1

        def held(sent: int) -> dict[str, object]:
            return {
                "c": conn,
                "d": "telnet",
                "p": "10.0.0.7",
                "t": wire.term_to_wire(TermInfo()),
                "a": "",
                "s": sent,
            }

        async def attach(sent: int) -> dict[str, object]:
            body = {"g": 3, "i": 9, "conns": [held(sent)]}
            raw = await gw_bus.request(wire.attach_subject("t"), wire.encode(body), deadline=5)
            return wire.decode(raw)

        async def line(text: str, seq: int) -> None:
            batch = wire.EventBatch(3, 9, (LineIn(conn, text, seq),))
            await gw_bus.publish(wire.events_subject("t"), wire.encode_events(batch))

        async def acked(seq: int) -> None:
            async with asyncio.timeout(5):
                while seq not in acks:
                    changed.clear()
                    await changed.wait()

        first = await attach(0)
        assert first["fresh"] == [conn]
        await line("Mira", 1)
        await acked(1)
        second = await attach(3)  # the gateway sent 2 and 3; the game never saw them
        assert second["fresh"] == []
        assert second["took"] == {str(conn): 1}
        await line("yes", 2)  # late: answered "not done" by the gateway already
        await line("yes", 4)
        await acked(4)
        assert acks == [1, 4]
        # The game keeps what it sent: asked again from the first message on, it
        # sends them all again (the gateway applies each once, by number).
        (stream,) = streams
        ask = {"g": 3, "i": 9, "s": stream, "from": 1}
        raw = await gw_bus.request(wire.resend_subject("t"), wire.encode(ask), deadline=5)
        assert wire.decode(raw)["first"] == 1
        async with asyncio.timeout(5):
            while acks != [1, 4, 1, 4]:
                changed.clear()
                await changed.wait()
        await link.close(going=False)


@needs_nats
async def test_output_lost_on_the_way_is_sent_again_and_applied_once_in_order(
    tmp_path: Path,
) -> None:
    """Output messages are numbered: message 2 lost on the way (a NATS server that
    died holding it) is asked for again when 3 arrives, and the player sees one, two,
    three in order, each once; a gap the game no longer has is given up and the player
    told, and the output after it still shown."""

    async with _two_buses("scripted-game", "gateway") as (game_bus, gw_bus):
        conn = wire.conn_base(1, 6) + 1
        subject = wire.outputs_subject("t", 1)
        asked: list[int] = []

        def message(number: int, text: str) -> bytes:
            batch = wire.OutputBatch("g1", (Send(conn, Doc.text(text)),))
            return wire.frame("g1", 1, number, wire.encode_outputs(batch))

        async def attach(data: bytes) -> bytes:
            return wire.encode({"ep": "g1", "marks": {}, "fresh": [], "took": {}})

        async def resend(data: bytes) -> bytes:
            start = int(wire.decode(data)["from"])
            asked.append(start)
            if start == 2:  # still kept: sent again (twice, to show it is applied once)
                await game_bus.publish(subject, message(2, "two"))
                await game_bus.publish(subject, message(2, "two"))
                return wire.encode({"first": 2, "last": 3, "attached": True})
            return wire.encode({"first": 5, "last": 5, "attached": True})  # 4 is gone

        await game_bus.serve(wire.attach_subject("t"), attach)
        await game_bus.serve(wire.resend_subject("t"), resend)
        await game_bus.flush()
        link, session = await _held_connection(gw_bus, 6)
        await game_bus.publish(subject, message(1, "one"))
        await game_bus.publish(subject, message(3, "three"))
        await session.expect("three")
        await game_bus.publish(subject, message(5, "five"))
        await session.expect("five")
        assert asked == [2, 4]
        shown = session.text
        assert shown.count("two") == 1 and shown.count("three") == 1
        assert shown.index("one") < shown.index("two") < shown.index("three")
        assert shown.index("three") < shown.index("was not shown to you") < shown.index("five")
        await link.close()
