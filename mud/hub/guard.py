"""Keeping a player's password out of what they type in play.

Played by a griefer: a sock-puppet called Wrong emoted "Wrong password. Please enter your
password again...", the player typed her password as a line, and the whole room read
"Mara acts: maraspass1"; the line was kept in the replay log, the DM's history and the
narration log, and would have gone to a hosted model. So the hub withholds a line that
carries the password its player logged in with (``PasswordEcho``) or that looks like a
password (``looks_like_password``): it is not said, narrated, logged or sent anywhere,
and the player is told why.

``PasswordEcho`` keeps no password: only a keyed BLAKE2 digest of it, under a key the
hub draws at start and never writes anywhere, for as long as the connection lasts;
nothing survives a restart. (A memory dump of the running server holds the key too, and
a fast digest is quicker to guess against than the scrypt hash in the database: the
digests live only in memory, and only while their players are connected.) It is
made from the secret typed at the game's own password prompt (telnet, the browser, and
``ssh play@host``, which logs in at that prompt); a player who logged in by SSH password
or key authentication gave the game no password to watch for, and has only
``looks_like_password``. Pure: no I/O, no clock.
"""

from __future__ import annotations

import hashlib
import re

from mud.engine.accounts import password_key

#: Characters a typed password may be wrapped in ("say 'maraspass1'.") that are not
#: part of it; a span is tried as typed and with these stripped from its ends.
_WRAPPING = "\"'`.,;:!?()[]{}<>"
#: The most words a watched password may have (a passphrase); longer ones are watched
#: as a whole line only.
_MOST_WORDS = 8
#: What a password is squashed to for ``PasswordEcho``'s second look: its letters and
#: digits only, case folded.
_NOT_ALNUM = re.compile(r"[\W_]+")
#: The fewest letters and digits a squashed password must keep to be looked for inside
#: squashed lines (fewer would match ordinary words).
_SQUASHED_AT_LEAST = 6


def _squashed(text: str) -> str:
    return _NOT_ALNUM.sub("", text).casefold()


def _words(text: str) -> list[str]:
    return text.split()


class PasswordEcho:
    """Recognises, in a line typed in play, the password its player logged in with.

    Made by the hub when a password is typed at its prompt (dropped again if it was
    wrong), or set (a new character, a changed password); ``said_in`` is asked of every
    line that player types in play afterwards on that connection."""

    __slots__ = ("_digest", "_key", "_squashed", "_width", "_words")

    def __init__(self, secret: str, key: bytes) -> None:
        """``secret`` as typed at the prompt; ``key``: the hub's random key (16 to 64
        bytes). Raises ValueError for a key BLAKE2 cannot take."""
        self._key = key
        words = _words(password_key(secret))
        self._words = min(len(words), _MOST_WORDS + 1)
        self._digest = self._of(" ".join(words))
        # Spelt around the first look: "grievepass 1", "g.r.i.e.v.e.p.a.s.s.1", or
        # backwards (played by a griefer, each said to the room).
        squashed = _squashed(password_key(secret))
        self._width = len(squashed) if len(squashed) >= _SQUASHED_AT_LEAST else 0
        self._squashed = frozenset({self._of(squashed), self._of(squashed[::-1])})

    def _of(self, text: str) -> bytes:
        return hashlib.blake2b(text.encode("utf-8"), key=self._key, digest_size=16).digest()

    def said_in(self, line: str) -> bool:
        """Whether ``line`` holds the password: the whole line, or any run of as many
        words as the password has, as typed or with quotes and punctuation stripped from
        its ends; or, for a password of six letters and digits or more, those letters and
        digits in a run of the line's own, whatever stands between them and in either
        direction ("grievepass 1", "g.r.i.e.v.e.p.a.s.s.1", in any case). Only that
        second look ignores case; text is compared as passwords are hashed
        (``accounts.password_key``)."""
        words = _words(password_key(line))
        if not words or not self._words:
            return False
        if self._of(" ".join(words)) == self._digest:
            return True
        if self._width and self._spelt_in(_squashed(password_key(line))):
            return True
        size = self._words
        if size > _MOST_WORDS or size > len(words):
            return False
        for start in range(len(words) - size + 1):
            span = " ".join(words[start : start + size])
            if self._of(span) == self._digest:
                return True
            bare = span.strip(_WRAPPING)
            if bare != span and bare and self._of(bare) == self._digest:
                return True
        return False

    def _spelt_in(self, squashed: str) -> bool:
        """Whether the password's letters and digits, forwards or backwards, stand in a
        run of ``squashed`` (a line's letters and digits, case folded)."""
        width = self._width
        return any(
            self._of(squashed[i : i + width]) in self._squashed
            for i in range(len(squashed) - width + 1)
        )


_LETTER = re.compile(r"[^\W\d_]")
_DIGIT = re.compile(r"\d")
#: Symbols passwords are made with and words are not (a word may end in . ! ?).
_SYMBOL = re.compile(r"[!@#$%^&*_+=~|\\/<>{}\[\]]")


def looks_like_password(line: str) -> bool:
    """Whether ``line``, a line the game could not read as a command (it would be a deed
    in the player's own words), is one word that looks like a password rather than
    anything said or done: six to 64 characters mixing letters with digits or symbols
    ("maraspass1", "hunter2!x"), or six or more digits ("123456"). A word as players
    write one ("hello!", "what?", "north") is not."""
    words = line.split()
    if len(words) != 1:
        return False
    word = words[0].rstrip(".!?")
    if not 6 <= len(word) <= 64:
        return False
    if word.isdigit():
        return True
    if not _LETTER.search(word):
        return False
    return bool(_DIGIT.search(word) or _SYMBOL.search(word))
