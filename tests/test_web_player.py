"""What a browser player met, beside a friend over telnet (played 2026-12-04): the
server's side of it (the page's own is tested in test_web_browser.py)."""

from __future__ import annotations

from enginerig import EngineRig
from hubrig import Rig

from mud.engine.effects import CharUpdate
from mud.hub import gmcp as projections
from mud.hub.apply import apply_to_world


def test_a_hidden_way_found_gets_its_exit_in_room_info() -> None:
    # Played in the browser: after the altar's search revealed the stair down from the
    # Sunken Shrine (the campaign's way on), the page's exit buttons still showed only
    # "north", even after a new login.
    rig = EngineRig()
    rig.player("alice", "sunken_shrine")
    rig.player("bob", "sunken_shrine")
    before = projections.room_info(rig.world, "alice")
    assert before is not None and sorted(before[1]["exits"]) == ["north"]
    applied = apply_to_world(
        rig.world, CharUpdate("alice", revealed=["hollowmere:sunken_shrine:down"])
    )
    assert applied is not None and applied.ways == ("alice",)
    after = projections.room_info(rig.world, "alice")
    assert after is not None and sorted(after[1]["exits"]) == ["down", "north"]
    # Only the finder's: another who has not found it sees no button for it.
    other = projections.room_info(rig.world, "bob")
    assert other is not None and sorted(other[1]["exits"]) == ["north"]


async def test_a_say_cut_to_its_most_tells_the_speaker(rig: Rig) -> None:
    # Played in the browser: a pasted 663-character say reached the room cut mid-word,
    # and neither the speaker nor the listener was told.
    alice = await rig.create("Alice")
    bob = await rig.create("Bob", peer="10.0.0.2")
    words = " ".join(["the marsh lights keep moving"] * 24)  # 671 characters
    await rig.line(alice, f"say {words}")
    await alice.expect("Only the first 500 characters of that were said.")
    await bob.expect("the marsh lights keep")
    assert "Only the first" not in bob.text
    await rig.line(alice, "say a short one")
    await alice.expect("a short one")
    assert alice.text.count("Only the first") == 1


def test_reply_answers_the_last_one_who_told_you() -> None:
    # Played: Cole's tell reached Wren, and her "reply healed up, thanks!" (what chat and
    # many MUDs use) was a deed the whole room read: "Wren tries to reply healed up".
    from call import call

    rig = EngineRig()
    rig.player("cole", "common_room")
    rig.player("wren", "crossroads")
    rig.player("tam", "crossroads")
    refused = call(rig.world, "wren", "reply hi")
    assert refused.lines("wren") == [
        "No one has sent you a tell yet. Usage: tell <player> <message>"
    ]
    assert refused.lines("tam") == []
    call(rig.world, "cole", "tell wren nice hit! how's your hp?")
    out = call(rig.world, "wren", "reply healed up, thanks!")
    assert out.lines("wren") == ["You tell Cole, 'healed up, thanks!'"]
    assert out.lines("cole") == ["Wren tells you, 'healed up, thanks!'"]
    assert out.lines("tam") == []  # beside her, and told nothing
    assert call(rig.world, "wren", "reply").lines("wren") == ["Usage: reply <message> (to Cole)"]


def test_a_reply_is_not_sent_when_two_have_told_you_something_since_you_last_told() -> None:
    # Played by a griefer: Prober asked Vic a secret, his "tell vic hi" came 0.3 s
    # later, and her "reply the secret word is marshlight" went to him.
    from call import call

    rig = EngineRig()
    for key in ("prober", "vic", "mal"):
        rig.player(key, "common_room")
    call(rig.world, "prober", "tell vic what's the secret word?")
    call(rig.world, "mal", "tell vic hi")
    out = call(rig.world, "vic", "reply the secret word is marshlight")
    assert out.lines("vic") == [
        "Both Prober and Mal have told you something since you last told anyone, so your"
        " reply was not sent: 'tell prober ...' or 'tell mal ...'."
    ]
    assert out.lines("mal") == [] and out.lines("prober") == []
    told = call(rig.world, "vic", "tell prober the secret word is marshlight")
    assert told.lines("prober") == ["Vic tells you, 'the secret word is marshlight'"]
    # Having told someone, her reply goes to the last who told her again.
    assert call(rig.world, "vic", "reply hello").lines("mal") == ["Vic tells you, 'hello'"]
    # One who tells twice is still one.
    call(rig.world, "prober", "tell vic thanks")
    call(rig.world, "prober", "tell vic bye")
    assert call(rig.world, "vic", "reply bye").lines("prober") == ["Vic tells you, 'bye'"]


async def test_a_group_is_told_when_one_of_it_leaves_the_game(rig: Rig) -> None:
    # Played twice (a browser player and a blind player): the leader quit, the group
    # ended, and the member read only "Wren leaves the game."; 'group' said later
    # "You are not in a group."
    wren = await rig.create("Wren")
    cole = await rig.create("Cole", peer="10.0.0.2")
    dana = await rig.create("Dana", peer="10.0.0.3")
    await rig.line(wren, "group invite cole")
    await rig.line(cole, "group accept")
    await cole.expect("You join")
    await rig.line(wren, "group invite dana")
    await rig.line(dana, "group accept")
    await dana.expect("You join")
    # A member leaving the game: the group goes on, and the others are told.
    await rig.line(dana, "quit")
    await cole.expect(r"Dana has left the game and your group\.")
    await wren.expect(r"Dana has left the game and your group\.")
    # The leader leaving: the group is over, and the one left is told so.
    await rig.line(wren, "quit")
    await cole.expect(r"Wren has left the game and your group; the group is disbanded\.")


async def test_back_from_link_dead_one_reads_what_was_said_meanwhile(rig: Rig) -> None:
    # Played: Wren's tab closed; Cole asked "wren? you still there?", and when she was
    # back she read only "Reconnected. You are where you left off." and the room; her
    # next words were then taken for the answer to a question she never saw.
    from mud.core.events import Disconnected

    wren = await rig.create("Wren")
    cole = await rig.create("Cole", peer="10.0.0.2")
    await rig.line(cole, "say before she went")
    await wren.expect("before she went")
    rig.clock.advance(1)
    await rig.hub.post(Disconnected(conn=wren.conn))
    await cole.expect("link-dead")
    rig.clock.advance(1)
    await rig.line(cole, "say wren? you still there?")
    await cole.expect("still there")
    await rig.line(cole, ":sighs and sits on a crate")
    await cole.expect("sighs")
    await rig.line(cole, "emote 's eyes close")
    await cole.expect("eyes close")
    again = await rig.login("Wren")
    await again.expect("Reconnected. You are where you left off.")
    # An emote reads back as it was posed, with its full stop (played: "Cole sighs and
    # sits on a crate", no stop) and its "'s" joined to the name.
    said = await again.expect(
        r"Recently said here:[\s\S]*Cole sighs and sits on a crate\.\s+Cole's eyes close\."
    )
    assert "Cole asks you, 'You still there?'" in said
    assert "before she went" not in said  # she heard that herself
