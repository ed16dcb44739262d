"""Players whose first language is not English, and their input methods.

Played on 2026-12-04: Zoe over inetutils telnet typing French and German, and Xue over
OpenSSH with a Japanese/Chinese input method, in one room with each other.
"""

from __future__ import annotations

from pathlib import Path

from call import call
from enginerig import EngineRig
from hubrig import make_rig
from hypothesis import given
from hypothesis import strategies as st

from mud.engine.accounts import (
    HashCost,
    hash_password,
    password_problem,
    validate_name,
    verify_password,
)
from mud.render.sanitize import fold_width

COST = HashCost(n=16)


def _two() -> EngineRig:
    """Bob and Alice in the Drowned Lantern's common room."""
    rig = EngineRig()
    rig.player("bob", "common_room")
    rig.player("alice", "common_room")
    return rig


def test_full_width_letters_digits_punctuation_and_space_are_read_as_ascii() -> None:
    assert fold_width("ｌｏｏｋ") == "look"
    assert fold_width("ｇｅｔ　ｍａｐ") == "get map"  # an ideographic space between
    assert fold_width("say　こんにちは、ゾーイさん！") == "say こんにちは、ゾーイさん!"
    assert fold_width("zoe, what do you think？") == "zoe, what do you think?"
    assert fold_width("ＺＯＥ，１２３") == "ZOE,123"
    # CJK letters and their own marks are theirs.
    assert fold_width("「こんばんは」。") == "「こんばんは」。"


@given(st.text())
def test_folding_is_idempotent_and_leaves_ascii_alone(text: str) -> None:
    once = fold_width(text)
    assert fold_width(once) == once
    if text.isascii():
        assert once == text


async def test_an_input_method_left_in_full_width_mode_types_commands(tmp_path: Path) -> None:
    # Played over SSH: "ｌｏｏｋ" was "You try to ｌｏｏｋ." and the room read "Xue tries to
    # ｌｏｏｋ."; "say　こんにちは" (an ideographic space) another deed.
    async with make_rig(tmp_path) as rigged:
        xue = await rigged.create("Xue")
        zoe = await rigged.create("Zoe", peer="10.0.0.2")
        await rigged.line(xue, "ｌｏｏｋ")
        await xue.expect("Exits:")
        await rigged.line(xue, "say　こんにちは、ゾーイさん")
        await zoe.expect("Xue says, 'こんにちは、ゾーイさん'")
        await rigged.line(xue, "ｔｅｌｌ ＺＯＥ ｈｉ")
        await zoe.expect("Xue tells you, 'hi'")
        assert "tries to" not in zoe.text


async def test_yes_and_no_in_the_players_own_language(tmp_path: Path) -> None:
    # Played: "ja", "oui", "nein" and "いいえ" were "Please answer yes or no:".
    async with make_rig(tmp_path) as rigged:
        for answer, then in (("ja", "Password:"), ("oui", "Password:"), ("はい", "Password:")):
            s = await rigged.connect()
            await rigged.line(s, "Newcomer")
            await s.expect(r"\(yes/no\)")
            await rigged.line(s, answer)
            await s.expect(then)
        for answer in ("nein", "いいえ", "non"):
            s = await rigged.connect()
            await rigged.line(s, "Newcomer")
            await s.expect(r"\(yes/no\)")
            await rigged.line(s, answer)
            await s.expect("What is your name")
            assert "Please answer" not in s.text


def test_a_name_of_other_letters_is_told_the_rule_and_offered_its_plain_form() -> None:
    # Played: "雪" was told "Names are 3 to 16 letters long.", "Zoë" given no hint.
    assert validate_name("雪") == (None, "Names may contain only the letters A to Z.")
    assert validate_name("Zoë") == (None, "Names may contain only the letters A to Z (try 'Zoe').")
    assert validate_name("Zoe\u0308")[1].endswith("(try 'Zoe').")
    assert validate_name("ÉLODIE")[1].endswith("(try 'Elodie').")
    assert validate_name("ＹＵＫＩ") == ("Yuki", "")


def test_a_password_is_the_one_meant_however_its_letters_were_typed() -> None:
    # Played: "Schlüssel1" set with one "ü" was "Wrong password." typed as "u" and a
    # mark; "ｐａｓｓｗｏｒｄ" typed in full-width mode (nothing echoed) was not "password".
    stored = hash_password("Schlu\u0308ssel1", COST)
    assert verify_password("Schl\u00fcssel1", stored)
    assert verify_password("ｐａｓｓｗｏｒｄ", hash_password("password", COST))
    assert not verify_password("Schlussel1", stored)
    # A hash made before passwords were normalised still opens with what was typed.
    old = hash_password("x", COST).rsplit("$", 2)[0]  # the scheme and cost, to reuse
    import hashlib

    salt = bytes(16)
    raw = hashlib.scrypt("ｐａｓｓ１２３".encode(), salt=salt, n=16, r=8, p=1, dklen=32)
    legacy = f"{old}${salt.hex()}${raw.hex()}"
    assert verify_password("ｐａｓｓ１２３", legacy)


def test_a_password_the_client_could_not_send_as_text_is_refused() -> None:
    # Played from a Latin-1 client with no character set agreed: "motdepässe" arrived as
    # "motdep\ufffdsse", and "motdepösse" then opened the account.
    assert "not UTF-8" in password_problem("motdep\ufffdsse", "Anais")
    assert password_problem("motdepässe", "Anais") == ""


def test_one_walking_in_ahead_stands_in_the_view_of_those_who_follow() -> None:
    # Played: Xue, following Zoe, read "Zoe is leaning on the signpost." in the Sunken
    # Causeway, and "Zoe is sitting on the grain sacks." in the Old Mill below the loft.
    rig = _two()
    call(rig.world, "bob", "group invite alice")
    call(rig.world, "alice", "yes")
    call(rig.world, "bob", "lean on the bar")
    walked = "\n".join(call(rig.world, "bob", "out").lines("alice"))
    assert "The Crossroads" in walked and "\nBob is here." in walked, walked
    assert "Bob is leaning" not in walked


def test_a_pose_in_another_language_is_shown_as_typed() -> None:
    # Played: "*お辞儀をする*" was "Xue お辞儀をするs.", "*lächelt*" "Zoe lächelts.", and a
    # full stop went after an ellipsis, an emoji and Japanese.
    rig = _two()
    for typed, read in (
        ("*お辞儀をする*", "Bob お辞儀をする"),
        ("*lächelt*", "Bob lächelt."),
        ("*facepalm*", "Bob facepalms."),
        ("emote s'assoit près du feu, très fatiguée…", "Bob s'assoit près du feu, très fatiguée…"),
        ("emote 微笑んで手を振る 👋", "Bob 微笑んで手を振る 👋"),
        ("emote waves", "Bob waves."),
    ):
        assert call(rig.world, "bob", typed).lines("alice") == [read], typed


async def test_a_client_whose_text_is_not_utf8_is_told_once(tmp_path: Path) -> None:
    # Played from a raw socket sending Latin-1: "caf\xe9" reached the room as "caf�", and
    # the sender was never told why.
    async with make_rig(tmp_path) as rigged:
        anais = await rigged.create("Anais")
        zoe = await rigged.create("Zoe", peer="10.0.0.2")
        await rigged.line(anais, "say caf\ufffd cr\ufffdme")
        await anais.expect("not UTF-8")
        await zoe.expect("Anais says")
        await rigged.line(anais, "say tr\ufffds bien")
        await zoe.expect("bien")
        assert anais.text.count("not UTF-8") == 1
        assert "not UTF-8" not in zoe.text


def test_a_name_before_a_chinese_or_japanese_comma_is_who_the_words_are_for() -> None:
    # Played: "zoe、こっちに来て！" was "Xue acts: zoe、こっちに来て！" on both screens.
    rig = _two()
    assert call(rig.world, "bob", "alice、こっちに来て!").lines("alice") == [
        "Bob says to you, 'こっちに来て!'"
    ]
    asked = call(rig.world, "bob", "bessa、do you have stew?").lines("bob")
    assert asked[0] == "You ask Bessa Thorn, 'Do you have stew?'"


def test_other_languages_quotation_marks_are_speech_in_a_pose() -> None:
    # Played: each was a deed ("You try to lehnt sich an die Theke. „Hat jemand die
    # Kartografin gesehen?“.", "Zoe acts: « Bonsoir, madame Bessa! »").
    rig = _two()
    for typed, read in (
        (
            "Bob lehnt sich an die Theke. „Hat jemand die Kartografin gesehen?“",
            ["Bob lehnt sich an die Theke.", "Bob says, 'Hat jemand die Kartografin gesehen?'"],
        ),
        ("« Bonsoir, madame Bessa! »", ["Bob says, 'Bonsoir, madame Bessa!'"]),
        ("「こんばんは、ベッサさん」", ["Bob says, 'こんばんは、ベッサさん'"]),
        ("『またね』", ["Bob says, 'またね'"]),
    ):
        assert call(rig.world, "bob", typed).lines("alice") == read, typed


def test_a_player_named_as_their_name_is_said_is_found() -> None:
    # Played: "tell Zoë hi" was "No one called 'Zoë' is playing." to Zoe, and "smile at
    # zoë" "You see no 'zoë' here."
    rig = EngineRig()
    rig.player("bob", "common_room")
    rig.player("zoe", "common_room")
    assert call(rig.world, "bob", "tell Zoë hi").lines("zoe") == ["Bob tells you, 'hi'"]
    assert call(rig.world, "bob", "smile at zoë").lines("zoe") == ["Bob smiles at you."]


async def test_joined_emoji_and_a_persian_non_joiner_reach_the_room_whole(
    tmp_path: Path,
) -> None:
    # Round 36's players of other languages: a family of faces arrived as three faces
    # (the joiners were removed with every other format character), and Persian's
    # non-joiner too, which joins letters the word keeps apart. Over telnet and SSH.
    from mudclient import make_config, running_server, telnet_and_ssh

    family = "\U0001f468\u200d\U0001f469\u200d\U0001f467"
    persian = "\u0645\u06cc\u200c\u062e\u0648\u0627\u0647\u0645"
    async with running_server(make_config(tmp_path)) as srv:
        ann, bob = await telnet_and_ssh(srv.telnet_port, srv.ssh_port)
        bob.send(f"say {family} {persian}")
        await ann.expect(f"{family} {persian}")
        ann.send(f"say {persian}?")
        await bob.expect(f"{persian}?")
        await ann.close()
        await bob.close()


def test_one_word_after_ones_own_name_in_another_language_is_a_pose() -> None:
    # Played by a French player: "Bob sourit." read "Bob tries to sourit." (a deed for
    # the narrator); German and Spanish the same.
    rig = _two()
    for typed in ("Bob sourit.", "Bob lächelt.", "Bob sonríe.", "Bob rit!", "bob: nickt"):
        read = typed.replace("bob: nickt", "Bob nickt.")
        assert call(rig.world, "bob", typed).lines("alice") == [read], typed
    # English stays as it was: a social, words said, a way asked after, a deed.
    assert call(rig.world, "bob", "Bob smiles.").lines("bob") == ["You smile."]
    assert call(rig.world, "bob", "Bob hi.").lines("alice") == ["Bob says, 'hi.'"]
    assert call(rig.world, "bob", "bob, hello").lines("alice") == ["Bob says, 'hello'"]
    assert "Did you mean 'north'" in call(rig.world, "bob", "Bob north.").text("bob")
    # A deed that would only be tried is a pose as typed (it read "Bob tries to wait."
    # until round 54: the name-first pose of a gesture shown as an attempt).
    assert call(rig.world, "bob", "Bob waits.").lines("alice") == ["Bob waits."]
