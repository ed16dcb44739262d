"""Whether a pose a player wrote speaks in a voice that is not theirs. Pure.

An emote is shown as typed after its player's name: "Vex grins." Colour sets the player's
words apart from the game's own lines, but a player reading in plain text (no colour, a
screen reader, a log) has only the words. Played by a griefer: ``emote 's lamp goes out.
Quest complete!`` read "Vex's lamp goes out. Quest complete!", and ``emote . Oberon
(admin) says, 'the ban is lifted'`` put words in an admin's mouth. So a pose may tell
what its player does in as many sentences as they like, but a sentence after the first
may not begin as the game's lines begin ("Quest complete", "Round 2.", "Your turn!",
"You feel weaker"), nor begin with another character's name (it would write what they
do or say: the rule against puppeting that role-play MUDs keep), and no pose may carry
the "(admin)" mark that ``who`` gives admins.

Called by ``commands`` before a pose is shown; nothing here reads the world.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

from mud.engine.accounts import COMMON_WORDS

#: Where one sentence of a pose ends and the next begins: after a stop, a question or an
#: exclamation mark (and any closing quote or bracket), a colon, or a dash set apart by
#: spaces.
_BREAK = re.compile(r"(?<=[.!?:;])\s+|(?<=[.!?:;][\"'”’)\]])\s+|\s+[-–—]+\s+")

#: How the game's own lines begin (lower case), for a sentence after a pose's first.
#: Ordinary prose seldom begins a sentence so ("The fire crackles." and "It has been a
#: long day." are poses, and stay allowed).
_GAME_OPENING = re.compile(
    r"""^[\W_]*(?:
        quest\b | new\s+quest\b | round\s+\d | your\s+turn\b | too\s+slow\b
      | victory\b | defeated\b | level\s+(?:up\b|\d) | you\s+(?:feel|are\s+now|have\s+been|gain
        |lose|die|receive|earn|reach|level|defend|take\s+\d|wake|hear\s+nothing)\b
      | \d+(?:\s*/\s*\d+)?\s*(?:hp|xp|gold)\b | hp\b | xp\b
      | welcome\b | warning\b | notice\b | error\b
      | announcement\b | official\b | (?:the\s+)?dungeon\s+master\b | (?:the\s+)?narrator\b
      | (?:the\s+)?game\s*master\b | system\b | admin\b | server\b | initiative\b
      | stealth\b | resuming\b | reconnected\b | kicked\b | banned\b | usage\b
      | unknown\s+command\b | tokens\b | login\b | logged\b | account\b | password\b
      | narration\b | attention\b | important\b | urgent\b | reminder\b | announce\b
      | shutdown\b | restart | saving\b | connection\b | disconnected\b | timeout\b
      | recently\s+said\b | exits\b | critical\b | it\s+is\s+\w+'s\s+turn\b
      | wait\s+for\s+your\s+turn\b | \d+\s+seconds?\s+left\b | (?:a|an)\s+admin\b
    )""",
    re.I | re.X,
)

#: The mark ``who`` and ``who is`` give an admin.
_ADMIN_MARK = re.compile(r"\(\s*admin\s*\)", re.I)


def sentences(line: str) -> list[str]:
    """``line`` cut into its sentences (``_BREAK``), blanks left out, in order."""
    return [part.strip() for part in _BREAK.split(line) if part.strip()]


def forged(shown: str, own: str, names: Iterable[str]) -> tuple[str, str]:
    """The part of the pose line ``shown`` ("Vex grins. Quest complete!", the player's
    name ``own`` first) that is not its player's to write, and whose voice it takes:
    ("(admin)", "admin"), ("Quest complete!", "game"), ("Ann waves back.", "Ann");
    ("", "") when there is none.

    ``names`` are the names of the other characters a reader might take a sentence to be
    about: the players in the game and the world's people ("Bessa Thorn"; her first name
    alone counts too, unless it is a common word: "The Lamplighter" is not "The"). A
    sentence after the first that begins as the game's lines begin, or with one of
    ``names`` (but not ``own``), is returned as it stands (a name called, with a comma
    or a mark after it, is spoken to and not written for: "Bessa, two ales!"); so is the
    "(admin)" mark anywhere in the line.
    """
    mark = _ADMIN_MARK.search(shown)
    if mark is not None:
        return mark.group(0), "admin"
    mine = own.casefold()
    others: dict[str, str] = {}
    for name in names:
        first = name.split()[0] if name.split() else ""
        for form in (name, "" if first.casefold() in COMMON_WORDS else first):
            folded = form.casefold()
            if len(folded) >= 2 and folded != mine:
                others.setdefault(folded, name)
    for sentence in sentences(shown)[1:]:
        if _GAME_OPENING.match(sentence):
            return sentence, "game"
        words = re.sub(r"^[\W_]+", "", sentence).casefold()
        for folded, name in others.items():
            after = words[len(folded) : len(folded) + 1]
            if words.startswith(folded) and not after.isalnum() and after not in _CALLED:
                return sentence, name
    return "", ""


#: What follows a name called rather than written for ("Ann, look out!", "Bessa?").
_CALLED = frozenset(",!?")


def why(own: str, part: str, voice: str) -> str:
    """What the player ``own`` reads when their pose or deed holding ``part`` in another's
    ``voice`` (as ``forged`` returns them) is not shown."""
    if voice == "admin":
        return f"'{part}' is the mark of those who keep this world, and no pose may carry it."
    if voice == "game":
        return (
            f"A pose shows what {own} does, and '{part}' would read as the game's own line."
            " Say it aloud ('say ...'), or write it as your own doing."
        )
    return (
        f"A pose shows what {own} does, and '{part}' writes what {voice} does. Leave"
        f" {voice}'s part to them, or say it aloud."
    )


__all__ = ["forged", "sentences", "why"]
