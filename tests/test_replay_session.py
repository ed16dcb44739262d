"""A long, ordinary two-player session over the real server, then ``mud replay`` of it.

Everything a player or an admin can type is used (every command in the README's table
and in ``mud.engine.commands.COMMANDS``), with a fight against an NPC that respawns, an
admin reload, a kick, bans, an admin granted while she plays (``mud admin grant``), a
shutdown countdown cancelled, an admin shutdown and a restart on the same database. The replay
must reproduce every recorded event. A second test edits a pack after recording and
checks that the replay refuses up front, naming the pack and both digests.
"""

from __future__ import annotations

import asyncio
import re
import shutil
from pathlib import Path

import asyncssh
from hubrig import make_rig
from mudclient import (
    TelnetPlayer,
    first_to_see,
    login_existing,
    login_new,
    make_config,
    running_server,
)
from test_admin import amud
from test_cli import ROOT, mud

from mud.config import Config
from mud.core.events import Disconnected
from mud.engine.commands import COMMANDS
from mud.replay import load_events, replay

SPARRING = ROOT / "tests" / "packs" / "sparring"
HOLLOWMERE = ROOT / "content" / "hollowmere"


class Script:
    """Sends lines and waits for their answers, remembering which commands were used."""

    def __init__(self) -> None:
        self.used: set[str] = set()

    async def do(self, player: TelnetPlayer, line: str, answer: str) -> str:
        self.used.add(line.split()[0].lower())
        player.send(line)
        return await player.expect(answer, timeout=15)


async def _whose_turn(players: dict[str, TelnetPlayer], until: str) -> str:
    """The name of the player told "Your turn!" first, or "" when ``until`` shows first."""
    waits = {
        asyncio.create_task(p.expect(f"Your turn!|{until}", timeout=30)): name
        for name, p in players.items()
    }
    done, pending = await asyncio.wait(waits, return_when=asyncio.FIRST_COMPLETED)
    for task in pending:
        task.cancel()
    await asyncio.gather(*pending, return_exceptions=True)
    task = done.pop()
    return waits[task] if task.result().endswith("Your turn!") else ""


async def _fight(s: Script, players: dict[str, TelnetPlayer], first: str, opener: str) -> None:
    """``first`` attacks the dummy; each turn after that, the player whose turn it is
    acts (``opener`` for their first action, then attack) until the dummy falls or every
    player has fled."""
    # Either way it ends: the dummy falls, or everyone got away ("flee" as the opener;
    # the last one out hears no end of the fight, so escapes are counted).
    done = "straw dummy is defeated"
    escape = r"(\w+) flees \w+: [^\n]* ESCAPES"
    await s.do(players[first], "attack dummy", "FIGHT! Initiative")
    opened: set[str] = set()
    escaped: set[str] = set()
    for _ in range(40):
        name, seen = await first_to_see(list(players.values()), f"Your turn!|{done}|{escape}")
        # What was read ends with what matched.
        if seen.endswith(done):
            return
        fled = re.search(escape + r"\Z", seen)
        if fled is not None:
            escaped.add(fled.group(1))
            if escaped == set(players):
                return
            continue
        who = next(n for n, p in players.items() if p is name)
        action = opener if who not in opened else "attack dummy"
        opened.add(who)
        s.used.add(action.split()[0])
        players[who].send(action)
    raise AssertionError("the dummy never fell")


async def _session_one(s: Script, config: Config, pubkey: str) -> None:
    async with running_server(config) as srv:
        alice = await TelnetPlayer.connect(srv.telnet_port)
        await login_new(alice, "Alice")
        bob = await TelnetPlayer.connect(srv.telnet_port)
        await login_new(bob, "Bob", cls="rogue")
        await alice.expect("Bob steps into view")
        # Alice is made an admin on the server's machine while she plays.
        code, _, err = await amud("admin", "grant", "alice", "--db", config.db)
        assert code == 0, err
        await alice.expect("You are now an admin")

        await s.do(alice, "look", "Exits:")
        await s.do(alice, "examine bessa", "Bessa")
        await s.do(alice, "exits", "south")
        await s.do(alice, "say the lights are out again", "You say")
        await bob.expect("the lights are out again")
        await s.do(bob, "shout is anyone down in the cellar?", "You shout")
        await alice.expect("is anyone down in the cellar?")
        await s.do(bob, "emote shivers", "Bob shivers")
        await s.do(alice, "tell bob meet me by the fire", "You tell Bob")
        await bob.expect("meet me by the fire")
        await s.do(bob, "whisper alice the fire is out", "You whisper")
        await alice.expect("the fire is out")
        await s.do(alice, "reply then we light it", "You tell Bob")
        await bob.expect("then we light it")
        await s.do(alice, "who", "2 players in the world")
        await s.do(alice, "ooc is anyone else here?", "is anyone else here")
        await bob.expect("is anyone else here")
        await s.do(alice, "help", "Commands")
        await s.do(alice, "help roll", "roll <dice>")
        await s.do(alice, "colour off", "Colour")
        await s.do(alice, "colour on", "Colour")
        await s.do(alice, "screenreader on", "[Ss]creen")
        await s.do(alice, "screenreader off", "[Ss]creen")
        await s.do(alice, "width 100", "100")
        await s.do(alice, "width auto", "[Ww]idth")
        await s.do(alice, "do I warm my hands at the hearth", ">")
        await s.do(alice, "ask where did the cartographer go?", ">")
        await s.do(alice, "tokens", "(?i)tokens")
        await s.do(alice, "dm status", "DM queue")
        await s.do(alice, "usage", "TOTAL")
        await s.do(alice, "announce the tavern closes at midnight", "the tavern closes")
        await bob.expect("the tavern closes")
        await s.do(bob, "roll 2d6+3 for luck", r"You roll for luck: 2d6\+3")
        await alice.expect("Bob rolls for luck")
        await s.do(bob, "score", "XP")
        await s.do(bob, "equipment", "[Ww]eapon|[Aa]rmou?r")
        await s.do(bob, "quests", "(?i)quest")
        await s.do(bob, "talk bessa have you seen the cartographer?", "You say to Bessa")
        await s.do(bob, "inventory", "You are carrying")
        await s.do(bob, "drop dagger", "You drop")
        await s.do(alice, "get dagger", "You pick up")
        await s.do(alice, "give dagger to bob", "You give")
        await bob.expect("gives you")
        await s.do(bob, "tip bessa", "You give Bessa Thorn 1 gold")
        await alice.expect("Bob gives Bessa Thorn 1 gold")
        await s.do(bob, "show the dagger to bessa", "You show Bessa Thorn the dagger")
        await s.do(bob, "remove jerkin", "You remove")
        await s.do(bob, "wear jerkin", "You wear")
        await s.do(bob, "wield dagger", "You wield")
        await s.do(bob, "equip shortsword", "You wield")
        await s.do(bob, "wield shortsword", "already wielding")
        await s.do(bob, "save", "saved as you play")
        await s.do(bob, "drink potion", "heal|HP")
        await s.do(bob, "rest", "breath|full strength|hit dice")
        await s.do(bob, "rest long", "sleep|full strength|restored")

        # The cellar trapdoor: locked for everyone; Bob the rogue tries its lock, Alice her
        # shoulder, and an admin's reset puts it back as built, whatever the dice said.
        # (A pause first: Alice has typed a lot, and the flood control allows 40 lines at
        # once.)
        await asyncio.sleep(2)
        await s.do(bob, "sit by the fire", "You sit down by the fire")
        await alice.expect("Bob sits down by the fire")
        await s.do(alice, "kneel by the hearth", "You kneel")
        await s.do(bob, "lie down", "You lie down")
        await s.do(bob, "wake", "You get to your feet")
        await s.do(alice, "stand", "You get to your feet")
        await s.do(alice, "lean on the bar", "You lean on the bar")
        await s.do(alice, "stand", "You get to your feet")
        await s.do(alice, "powers", "Second Wind")
        await s.do(alice, "down", "Exits:")
        await s.do(bob, "down", "Exits:")
        await s.do(alice, "open trapdoor", "The trapdoor is locked")
        await s.do(bob, "pick trapdoor", "gives with a click|holds")
        await s.do(alice, "force trapdoor", "STR check|is not locked")
        await s.do(alice, "reset", "Reset: The Drowned Lantern")
        await s.do(alice, "unlock down", "You need the rusty key")
        await s.do(alice, "lock trapdoor", "already locked")
        await s.do(bob, "close trapdoor", "already closed")
        await s.do(bob, "hide", "You slip out of sight|You look for somewhere out of sight")
        await s.do(bob, "visible", "You step out of the shadows|You are not hidden")
        await s.do(alice, "up", "Exits:")
        await s.do(bob, "up", "Exits:")
        await s.do(bob, "steal from bessa", "Sleight of hand")

        # A group of two, then plain following; both end before anyone walks.
        await s.do(alice, "group invite bob", "You invite Bob")
        await bob.expect("invites you")
        await s.do(bob, "group accept", "You join Alice's group")
        await s.do(bob, "group", r"Alice's group[\s\S]*?Bob")
        await s.do(bob, "gt ready when you are", "You tell the group")
        await alice.expect("Bob tells the group")
        await s.do(bob, "catchup", r"story")
        await s.do(alice, "split 2", "You split 2 gold")
        await bob.expect("your share is 1")
        await s.do(alice, "group leader bob", "You hand the lead to Bob")
        await bob.expect("hands you the lead")
        await s.do(bob, "group leave", "You leave the group")
        await s.do(bob, "follow alice", "You now follow Alice")
        await s.do(bob, "follow", "You stop following Alice")
        await asyncio.sleep(2)  # the flood control again
        await s.do(bob, "report", "You report")
        await s.do(alice, "where", "Players near you")
        await s.do(bob, "describe A slight figure in a hood.", "Others now read")
        await s.do(bob, "pronouns she", "Your pronouns: she/her")
        await s.do(bob, "wimpy 3", "Wimpy is 3")
        await s.do(bob, "brief", "Brief mode is on")
        await s.do(bob, "brief off", "Brief mode is off")
        await s.do(bob, "settings", "Change it with")
        await s.do(bob, "socials", "Socials:")
        await s.do(bob, "channels", "Who hears it")
        await s.do(bob, "map", r"\[@\]")
        await s.do(bob, "scan", r"(?:North|South|East|West|Up|Down|Out|In)\b[^\n]*: ")
        await s.do(bob, "afk tea", "You are away")
        await s.do(alice, "tell bob back soon?", "is away from the keyboard")
        await s.do(bob, "afk", "You are back")
        await s.do(bob, "assist alice", "not in a fight here")
        await s.do(alice, "escort bessa", "not going anywhere")
        await s.do(alice, "ignore bob", "You ignore Bob")
        await s.do(alice, "unignore bob", "You hear Bob again")
        await s.do(alice, "report bob flooding the square", "your report about Bob is kept")
        await s.do(alice, "reports", "about Bob: flooding the square")
        await s.do(alice, "mute bob 5m cool off", "Muted Bob for 5 minutes")
        await s.do(bob, "say can anyone hear me", "You are muted for")
        await s.do(alice, "unmute bob", "Bob may speak again")
        await s.do(bob, "bug the stew is cold", "your bug report is kept")
        await alice.expect(r"\[bug\] Bob")  # an admin sees it at once
        await s.do(bob, "typo 'Hollowmeer' on the sign", "your typo report is kept")
        await s.do(bob, "idea a map of the marsh", "your idea report is kept")
        await s.do(bob, "prompt %h/%H HP %g gold >", "Prompt set")

        # SSH keys and a password change (secrets are never recorded).
        await s.do(bob, "keys", "no SSH keys")
        added = await s.do(bob, f"keys add {pubkey}", r"Key (SHA256:\S+) added")
        fingerprint = added.rsplit("Key ", 1)[1].split(" added")[0]
        await s.do(bob, "keys list", "Your SSH keys")
        await s.do(bob, f"keys remove {fingerprint}", "Removed key")
        await s.do(bob, "password", "Current password:")
        bob.send("secret-pass")
        await bob.expect("New password:")
        bob.send("new-secret-9")
        await bob.expect("Repeat the new password:")
        bob.send("new-secret-9")
        await bob.expect("Your password has been changed")

        # Shopping at Tobin's.
        for way in ("south", "east", "south"):
            await s.do(alice, way, "Exits:")
        await s.do(alice, "list", "has for sale")
        await s.do(alice, "haggle", "gives way|will not come down")
        await s.do(alice, "buy dagger", "You buy")
        await s.do(alice, "value dagger", "would give you")
        await s.do(alice, "sell dagger", "You sell")
        for way in ("north", "west", "go north"):
            await s.do(alice, way, "Exits:")
        await bob.expect("Alice")

        # A fight with the straw dummy, which springs back up a second after it falls.
        await s.do(alice, "west", "straw dummy")
        await s.do(bob, "w", "straw dummy")
        await s.do(bob, "consider dummy", r"rounds? to win")
        # Grouped: a fight one starts with a foe that attacks no one by itself is one's
        # own and one's group's.
        await s.do(alice, "group invite bob", "You invite Bob")
        await bob.expect("invites you")
        await s.do(bob, "group accept", "You join Alice's group")
        players = {"Alice": alice, "Bob": bob}
        await _fight(s, players, "Alice", "defend")
        for player in (alice, bob):
            await player.expect("straw dummy is here again", timeout=20)
        # Bob tries to run from the second fight; whatever the dice say, the fight ends.
        await _fight(s, players, "Bob", "flee east")
        await s.do(alice, "flee", "not in a fight")
        for name, player in players.items():
            if srv.hub.world.chars[name.lower()].room == "sparring:yard":
                await s.do(player, "east", "Exits:")

        # Bob's link drops; he comes back, then takes himself over from a second client.
        await bob.close()
        await alice.expect("link-dead")
        bob = await TelnetPlayer.connect(srv.telnet_port)
        await login_existing(bob, "Bob", "new-secret-9")
        await alice.expect("Bob stirs")
        second = await TelnetPlayer.connect(srv.telnet_port)
        await login_existing(second, "Bob", "new-secret-9")
        await bob.closed()
        bob = second

        # Admin: reload the packs, kick Bob, who comes back with his new password.
        await s.do(alice, "reload", "Reloaded:")
        await s.do(alice, "kick bob", "Kicked bob")
        await bob.closed()
        # Bans: Bob's name for an hour (refused at login), a network (listed, lifted).
        await s.do(alice, "ban bob 1h cooling off", "Banned Bob for 1 hour: cooling off")
        refused = await TelnetPlayer.connect(srv.telnet_port)
        await refused.expect("What is your name")
        refused.send("Bob")
        assert "Bob is banned until" in await refused.closed()
        await s.do(alice, "ban 10.9.9.0/24 perm probing", r"Banned 10\.9\.9\.0/24 until lifted")
        await s.do(alice, "ban", r"addr 10\.9\.9\.0/24  until lifted")
        await s.do(alice, "unban 10.9.9.0/24", "Lifted the ban")
        await s.do(alice, "unban bob", "Lifted the ban on Bob")
        bob = await TelnetPlayer.connect(srv.telnet_port)
        await login_existing(bob, "Bob", "new-secret-9")
        await s.do(bob, "quit", "Farewell")
        await bob.closed()
        await s.do(alice, "shutdown 5", "goes down in 5 minutes")
        await s.do(alice, "shutdown cancel", "shutdown is cancelled")
        await s.do(alice, "shutdown", "going down")
        await alice.closed()
        await asyncio.wait_for(srv.hub.shutdown_requested.wait(), 10)


async def _session_two(s: Script, config: Config) -> None:
    # A restart on the same database: the recording spans both runs.
    async with running_server(config) as srv:
        alice = await TelnetPlayer.connect(srv.telnet_port)
        await login_existing(alice, "Alice")
        await s.do(alice, "look", "Exits:")
        await s.do(alice, "roll 2d20kh1 again", "You roll for again")
        await s.do(alice, "quit", "Farewell")
        await alice.closed()


async def test_a_long_ordinary_session_replays_identically(tmp_path: Path) -> None:
    config = make_config(
        tmp_path, content=(str(HOLLOWMERE), str(SPARRING)), limits={"admin_refresh": 0.2}
    )
    s = Script()
    pubkey = asyncssh.generate_private_key("ssh-ed25519").export_public_key().decode().strip()
    await _session_one(s, config, pubkey)
    await _session_two(s, config)

    # Every command was typed (by its name or an alias).
    aliases = {a: c.name for c in COMMANDS for a in (c.name, *c.aliases)}
    typed = {aliases.get(word, word) for word in s.used}
    directions = {"south", "east", "north", "west", "w"}
    missing = {c.name for c in COMMANDS} - typed - {"go"}
    assert not missing, f"commands not used: {sorted(missing)}"
    assert "go" in s.used and directions & s.used

    events = await load_events(config.db)
    kinds = [e.kind for e in events]
    for kind in (
        "start",
        "enter",
        "line",
        "dm",
        "respawn",
        "reload",
        "choose",
        "linkdead",
        "admins",
    ):
        assert kind in kinds, kind
    assert kinds.count("start") == 2
    assert kinds.count("resume") == 2  # the reconnection and the take-over
    result = await replay(events)
    assert result.ok, result.first
    assert result.events == len(events)

    # The same through the command line, as a user would run it.
    cli = await asyncio.to_thread(mud, "replay", config.db, cwd=tmp_path)
    assert cli.returncode == 0, cli.stdout + cli.stderr
    assert f"replay OK: {len(events)} events" in cli.stdout


async def test_a_pack_edited_after_recording_is_named_before_replay_starts(
    tmp_path: Path,
) -> None:
    pack = tmp_path / "packs" / "hollowmere"
    shutil.copytree(HOLLOWMERE, pack)
    config = make_config(tmp_path, content=(str(pack),))
    async with running_server(config) as srv:
        alice = await TelnetPlayer.connect(srv.telnet_port)
        await login_new(alice, "Alice")
        alice.send("look")
        await alice.expect("Exits:")
        await alice.close()
    events = await load_events(config.db)
    recorded = events[0].data["packs"]["hollowmere"]
    # A builder fixes a typo in a room description after the session.
    rooms = pack / "rooms.yaml"
    text = rooms.read_text()
    assert "peat smoke" in text
    rooms.write_text(text.replace("peat smoke", "turf smoke", 1))

    cli = await asyncio.to_thread(mud, "replay", config.db, cwd=tmp_path)
    assert cli.returncode == 1
    out = cli.stdout + cli.stderr
    assert "differs" not in out  # refused before any event was replayed
    assert f"recorded with pack hollowmere at digest {recorded}" in out, out
    assert "loaded digest" in out
    loaded = out.split("loaded digest ", 1)[1].split()[0].strip(";.,)")
    assert loaded != recorded and len(loaded) == len(recorded)


async def test_an_idle_warning_in_the_tick_of_an_expiry_is_not_recorded_as_part_of_it(
    tmp_path: Path,
) -> None:
    # One tick: Carol's link-dead grace runs out (an event) and Bob has idled long enough
    # to be warned (not an event). The warning must not be counted into Carol's expiry.
    async with make_rig(tmp_path, idle_warn=100.0, idle_close=1000.0) as rig:
        await rig.create_admin("Alice")  # the admin: never warned
        bob = await rig.create("Bob")
        carol = await rig.create("Carol")
        await rig.hub.post(Disconnected(conn=carol.conn))
        await bob.expect("link-dead")
        rig.clock.advance(100.0)
        await bob.expect("Carol fades from the world")
        await bob.expect("You have been idle a while")
    events = await load_events(str(tmp_path / "hub.db"))
    assert [e.kind for e in events].count("expire") == 1
    result = await replay(events, content=[str(HOLLOWMERE)])
    assert result.ok, result.first


async def test_a_restart_with_another_pack_added_replays_with_each_runs_packs(
    tmp_path: Path,
) -> None:
    # The first run has Hollowmere alone; the operator adds the sparring yard and restarts.
    first = make_config(tmp_path, content=(str(HOLLOWMERE),))
    async with running_server(first) as srv:
        alice = await TelnetPlayer.connect(srv.telnet_port)
        await login_new(alice, "Alice")
        alice.send("exits")
        await alice.expect("south")
        alice.send("quit")
        await alice.closed()
    second = make_config(tmp_path, content=(str(HOLLOWMERE), str(SPARRING)))
    async with running_server(second) as srv:
        alice = await TelnetPlayer.connect(srv.telnet_port)
        await login_existing(alice, "Alice")
        alice.send("west")
        await alice.expect("Sparring Yard")
        alice.send("attack dummy")
        await alice.expect("FIGHT!")
        await alice.close()
    events = await load_events(first.db)
    starts = [e for e in events if e.kind == "start"]
    assert [sorted(e.data["packs"]) for e in starts] == [
        ["hollowmere"],
        ["hollowmere", "sparring"],
    ]
    result = await replay(events)
    assert result.ok, result.first
