"""The offline Dungeon Master end to end, as two players see it over real telnet.

The builders' words reach both players first (a feature's success text, an NPC's knows
fact); narration never leaks labels, never gives a bystander deeds, and in a fight it
says exactly what the dice said, in step: each narration describes the attacks just
before it, and after "== Victory!" nothing says the fight goes on.
"""

from __future__ import annotations

import re
from pathlib import Path

from mudclient import (
    SshPlayer,
    TelnetPlayer,
    alice_and_bob,
    login_new,
    make_config,
    plain,
    running_server,
    sentences_read,
)

from mud.dm.providers.offline import _AGAIN, _BEATS
from mud.world.loader import load_packs

DUEL = str(Path(__file__).resolve().parent / "packs" / "duel")
HEARTH_SUCCESS = (
    r"The stone lifts on a hidden hollow, warm from the fire, where someone has tucked\s+a "
    r"packet of oilcloth tied with cartographer's tape\."
)
HEARTH_EITHER = r"(The stone lifts on a hidden hollow|The stone rocks and settles)"
BESSA_KNOWS = (
    r'Bessa Thorn says, "Edda Venn, a cartographer from the city, lodged\s+upstairs\s+and\s+'
    r"has\s+been\s+gone\s+three\s+nights\.\s+She\s+didn't\s+leave\s+by\s+my\s+door;\s+her\s+"
    r'things\s+are\s+up\s+there\s+as\s+she\s+left\s+them\."'
)
HOLLOWMERE = Path(__file__).resolve().parent.parent / "content" / "hollowmere"
BESSA_EMOTES = load_packs([HOLLOWMERE]).npcs["hollowmere:bessa"].emotes
LABELS = re.compile(r"attempts:|completed the quest|speaks to Bessa|Actor:|Outcome:")
NAME = r"(?:Ann|Bob|[Tt]he Sparring Master)"
# What may be said of Bob once he is in and idle: that he is present.
PRESENT = r"Bob is close by\.|.*\bBob (?:is|are) here\."


def _flat(text: str) -> str:
    return re.sub(r"\s+", " ", plain(text))


async def test_builder_text_reaches_the_players_it_is_for_first(tmp_path: Path) -> None:
    async with running_server(make_config(tmp_path)) as srv:
        alice, bob = await alice_and_bob(srv.telnet_port)

        alice.send("talk bessa Where did the cartographer go?")
        for player in (alice, bob):
            await player.expect(BESSA_KNOWS)

        # The dice decide; search until the stone gives (each try shows success or failure).
        for _ in range(12):
            alice.send("search the hearthstone")
            said = await alice.expect(HEARTH_EITHER)
            if said.endswith("The stone lifts on a hidden hollow"):
                break
        else:
            raise AssertionError("the hearthstone never gave in 12 tries")
        await alice.expect("oilcloth")
        # The feature's text is written to "you": Bob reads the find, not Alice's line.
        await bob.expect("An oilcloth packet is uncovered!")
        assert not re.search(HEARTH_SUCCESS, _flat(bob.seen))

        alice.send("ask what should I do first?")
        await alice.expect(r"Next: The Missing Cartographer: ")
        for _ in range(3):
            alice.send("look")
            await alice.expect("Exits:")
        alice.send("say done")
        await bob.expect("done")
        for player in (alice, bob):
            screen = _flat(player.seen)
            assert not LABELS.search(screen), LABELS.search(screen)
            # From Alice's first word to Bessa on, Bob does nothing: no deed for him.
            since = screen[screen.index("Where did the cartographer go") :]
            for sentence in re.findall(r"[^.!?]*\bBob\b[^.!?]*[.!?]", since):
                assert re.fullmatch(PRESENT, sentence.strip(" >")), sentence
        await alice.close()
        await bob.close()


async def test_each_player_reads_a_deed_in_their_own_words(tmp_path: Path) -> None:
    """Alice (telnet) asks Bessa; Bob (SSH) is there. Both read Bessa's answer and then
    the same one of her emotes, as the narration of it. Then Alice warms her hands at the
    fire: Bob reads "Warmth creeps back into Alice's fingers." and Alice "Warmth creeps
    back into your fingers.": the same narration, her own deed in the second person, the
    rest word for word alike."""
    async with running_server(make_config(tmp_path)) as srv:
        alice = await TelnetPlayer.connect(srv.telnet_port)
        await login_new(alice, "Alice")
        bob = await SshPlayer.connect(srv.ssh_port)
        await login_new(bob, "Bob")
        await alice.expect("Bob steps into view")

        alice.send("talk bessa Where did the cartographer go?")
        for player in (alice, bob):
            await player.expect(BESSA_KNOWS)
        # As wrapped to each screen's width: any run of spaces and line breaks.
        manner = "|".join(r"\s+".join(map(re.escape, line.split())) for line in BESSA_EMOTES)
        read = [await player.expect(manner) for player in (alice, bob)]
        told = {" ".join(re.search(manner, got).group(0).split()) for got in read}  # type: ignore[union-attr]
        assert len(told) == 1 and told <= set(BESSA_EMOTES), told

        alice.send("warm my hands at the fire")
        # The deed as typed ("You try to warm ..."), then its narration.
        await alice.expect(r"You try to warm your hands")
        await bob.expect(r"Alice tries to warm")
        await bob.expect(r"at the fire\.")
        await alice.expect(r"at the fire\.")
        # Her deed, as each reads it (the narration names Alice for the others).
        theirs = await bob.expect(r"\bAlice\b[^.!?…]*[.!?…]")
        yours = await alice.expect(r"\b(?:You|Your|your)\b[^.!?…]*[.!?…]")
        alice.send("say done")
        theirs += await bob.expect(r"Alice says, 'done'")
        yours += await alice.expect(r"You say, 'done'")
        closing = r"(?:You say|Alice says), 'done'"
        bob_told = sentences_read(theirs, closing)
        alice_told = sentences_read(yours, closing)
        assert "Alice" not in " ".join(alice_told)
        assert any("Alice" in sentence for sentence in bob_told)
        assert len(alice_told) >= 2 and len(bob_told) >= 2
        for own, room in zip(alice_told, bob_told, strict=False):
            if "Alice" in room:
                assert re.search(r"\b(?:You|you|Your|your)\b", own), (own, room)
            else:
                assert own == room
        await alice.close()
        await bob.close()


def _beat_patterns() -> list[tuple[re.Pattern[str], bool]]:
    """Regexes for the offline narrator's attack sentences: (pattern, is a hit)."""
    fields = {
        "{A}": f"(?P<A>{NAME})",
        "{a}": f"(?P<A>{NAME})",
        "{Pa}": f"(?P<A>{NAME})'s",
        "{T}": f"(?P<T>{NAME})",
        "{t}": f"(?P<T>{NAME})",
        "{Pt}": f"(?P<T>{NAME})'s",
    }
    out = []
    for kind, hit in (
        ("hit", True),
        ("critical", True),
        ("ambush", True),
        ("miss", False),
        ("ambush-miss", False),
    ):
        for template in _BEATS[kind]:
            # A verb's two forms ("[strikes|strike]"): one player reads "you strike".
            parts = re.split(r"\[([^\[\]|]*)\|([^\[\]|]*)\]", template)
            rx = re.escape(parts[0])
            for k in range(1, len(parts), 3):
                rx += f"(?:{re.escape(parts[k])}|{re.escape(parts[k + 1])})"
                rx += re.escape(parts[k + 2])
            for field, group in fields.items():
                rx = rx.replace(re.escape(field), group)
            again = "|".join(re.escape(a) for a in _AGAIN)
            out.append((re.compile(rf"(?:{again})?{rx}", re.IGNORECASE), hit))
    return out


def _canon(name: str) -> str:
    return name.lower().removeprefix("the ")


async def test_fight_narration_is_in_step_with_the_dice(tmp_path: Path) -> None:
    config = make_config(tmp_path, content=(DUEL,))
    async with running_server(config) as srv:
        ann = await TelnetPlayer.connect(srv.telnet_port)
        await login_new(ann, "Ann", cls="gladiator")
        bob = await TelnetPlayer.connect(srv.telnet_port)
        await login_new(bob, "Bob", cls="gladiator")
        for player in (ann, bob):
            player.send("north")
            await player.expect("Sparring Master")
        ann.send("attack master")
        turns = 0
        while True:
            # Whoever's turn it is acts at once, so some narration is overtaken by the
            # next action: the server must then drop it rather than show it late.
            import asyncio

            waits = {
                asyncio.create_task(p.expect(r"Your turn!|Victory|fight is lost", 20)): p
                for p in (ann, bob)
            }
            done, pending = await asyncio.wait(waits, return_when=asyncio.FIRST_COMPLETED)
            for task in pending:
                task.cancel()
            await asyncio.gather(*pending, return_exceptions=True)
            task = done.pop()
            seen, player = task.result(), waits[task]
            if "Victory" in seen or "fight is lost" in seen:
                break
            turns += 1
            assert turns < 60, "the fight did not end"
            player.send("attack master")
        for player in (ann, bob):
            await player.expect(r"The fight is over|it is done|It is over")
        assert turns >= 4
        ann.send("say done")
        await bob.expect("done")
        await ann.expect("done")

        patterns = _beat_patterns()
        attack = re.compile(
            rf"(?P<A>{NAME}) attacks (?P<T>{NAME}): d20[^A-Z]*? vs AC \d+(?: \(defending\))? "
            r"(?P<v>HIT|CRIT|MISS)"
        )
        for player, name in ((ann, "Ann"), (bob, "Bob")):
            # Each reads their own deeds and wounds in their own words ("You strike the
            # Sparring Master", "The Sparring Master lands a blow on you"): read as named.
            screen = re.sub(r"\b[Yy]our\b", f"{name}'s", _flat(player.seen))
            screen = re.sub(r"\b[Yy]ou\b", name, screen)
            assert "far from settled" not in screen
            after_victory = screen[screen.index("== Victory!") :]
            assert not re.search(r"goes on|gives ground|next exchange", after_victory)
            # Every attack line and every narrated attack, in screen order.
            events: list[tuple[int, str, str, str, bool]] = []
            for m in attack.finditer(screen):
                events.append((m.start(), "roll", _canon(m["A"]), _canon(m["T"]), m["v"] != "MISS"))
            for rx, hit in patterns:
                for m in rx.finditer(screen):
                    events.append((m.start(), "told", _canon(m["A"]), _canon(m["T"]), hit))
            events.sort()
            told = [e for e in events if e[1] == "told"]
            assert len(told) >= 3, screen[-3000:]
            # A narration describes the attacks just before it, in order and truly: the
            # run of told attacks matches the same number of rolls right before the run.
            i = 0
            while i < len(events):
                if events[i][1] != "told":
                    i += 1
                    continue
                j = i
                while j < len(events) and events[j][1] == "told":
                    j += 1
                run = [e[2:] for e in events[i:j]]
                rolls = [e[2:] for e in events[:i] if e[1] == "roll"]
                assert run == rolls[len(rolls) - len(run) :], (run, rolls[-len(run) :])
                i = j
        await ann.close()
        await bob.close()
