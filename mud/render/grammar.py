"""Articles and capitals for the names builders and players write. Pure.

Used by the engine when it prints a name inside a sentence ("You give the scrap of map
to Bob") and by the offline narrator ("You arrive in the Upstairs Landing"). Every
function takes plain text and returns plain text; none of them raises.

The rules, in order:
- A name that already starts with an article ("the Lamplighter", "a heron", "The
  Crossroads") keeps it; only its case is fixed for the position in the sentence.
- A proper name (a capitalised word that is not a place, e.g. "Bessa Thorn", "Crake")
  takes no article.
- A common noun ("rusty key", "bog rat") takes "a"/"an" (by its first sound) or "the".
- A place ("Upstairs Landing", "Smugglers' Tunnel") takes "the", unless it is a single
  proper word ("Hollowmere") or a possessive of a proper name ("Edda's Room").
"""

from __future__ import annotations

import re

_ARTICLE = re.compile(r"^(a|an|the|some)\s+", re.IGNORECASE)
# Words spelled with a vowel but said with a consonant sound, and the reverse.
_CONSONANT_SOUND = ("uni", "use", "usu", "uti", "eu", "ewe", "one", "once", "ure", "uro", "ubi")
_VOWEL_SOUND = ("hour", "honest", "honou", "honor", "heir")


def strip_article(name: str) -> str:
    """``name`` without a leading a/an/the/some (and without surrounding spaces)."""
    return _ARTICLE.sub("", name.strip(), count=1)


def has_article(name: str) -> bool:
    """True when ``name`` starts with a/an/the/some followed by a word."""
    return _ARTICLE.match(name.strip()) is not None


def capitalise(text: str) -> str:
    """``text`` with its first letter upper-cased and the rest untouched ("the Crypt" ->
    "The Crypt"; "eel-slick" -> "Eel-slick"). Leading punctuation is skipped."""
    for i, ch in enumerate(text):
        if ch.isalpha():
            return text[:i] + ch.upper() + text[i + 1 :]
        if not ch.isspace() and ch not in "\"'“‘(":
            return text
    return text


def _lower_article(name: str) -> str:
    m = _ARTICLE.match(name)
    if m is None:
        return name
    return m.group(1).lower() + name[m.end(1) :]


def a_or_an(word: str) -> str:
    """ "an" when ``word`` starts with a vowel sound, else "a" ("an eel", "a unicorn",
    "an hour", "a one-eyed cat")."""
    low = word.strip().lower()
    if not low:
        return "a"
    if low.startswith(_VOWEL_SOUND):
        return "an"
    if low.startswith(_CONSONANT_SOUND):
        return "a"
    return "an" if low[0] in "aeiou" else "a"


def is_proper(name: str) -> bool:
    """True for a name written capitalised without an article ("Bessa Thorn", "Crake")."""
    name = name.strip()
    return bool(name) and name[0].isupper() and not has_article(name)


def indefinite(name: str) -> str:
    """A first mention: "a rusty key", "an eel-catcher", "Bessa Thorn", "the Lamplighter"."""
    name = " ".join(name.split())
    if not name:
        return ""
    if has_article(name):
        return _lower_article(name)
    if is_proper(name):
        return name
    return f"{a_or_an(name)} {name}"


def definite(name: str) -> str:
    """A known thing: "the rusty key" (also from "a rusty key"), "Bessa Thorn"."""
    name = " ".join(name.split())
    if not name:
        return ""
    if has_article(name):
        low = _lower_article(name)
        return low if low.startswith("the ") else "the " + strip_article(low)
    if is_proper(name):
        return name
    return "the " + name


def place(name: str) -> str:
    """A room name in the middle of a sentence: "the Upstairs Landing", "the Crossroads"
    (from "The Crossroads"), "the Smugglers' Tunnel", but "Hollowmere", "Edda's Room",
    a street's or a square's name ("Market Lane", "Lanternfall Square") and a name that
    opens with where it is ("Beneath the Mere", "Aboard the Heron":
    played, "take stock of the Aboard Gannet's Ferry")."""
    name = " ".join(name.split())
    if not name:
        return ""
    if has_article(name):
        return _lower_article(name)
    words = name.split(" ")
    first = words[0]
    if first[0].isupper() and (len(words) == 1 or first.endswith(("'s", "’s"))):
        return name
    if len(words) > 1 and first.lower() in _WHERE_WORDS:
        return name
    if (
        len(words) > 1
        and words[-1].lower() in _STREET_NAMES
        and all(w[:1].isupper() for w in words)
    ):
        # A street's or a square's own name goes without "the", as a town's does:
        # "Lanternfall Square", "Market Lane" (noticed by Lanternfall's builder: "the
        # Lanternfall Square"). Written with "The", it keeps it ("The Cairn Road").
        return name
    return "the " + name


#: The last words of a street's or a square's name, which English says without "the"
#: ("Lanternfall Square", "Market Lane", "Tanners' Row"): not a road or a path, whose
#: names take it ("the Reed-Marsh Path"), nor the words more often of a place told than
#: named ("the Dark Alley", "the Upper Terrace": found in review). A builder writes "The"
#: for a lane told, not named ("The Dark Lane").
_STREET_NAMES = frozenset(["square", "lane", "street", "row"])


def in_place(name: str) -> str:
    """Where one is, said of a room by its name: "in the Smugglers' Tunnel", but "on the
    Drowned Stair", "on the Sunken Causeway", "on the Eel-Catchers' Landing" (a way or a
    stretch of one is stood on: played, "You fell fighting ... in the Drowned Stair"),
    "at the Crossroads", "at the Foot of the Watchtower", and a name that opens with
    where it is as it stands ("Aboard the Heron")."""
    said = place(name)
    words = said.split()
    if not words or words[0].lower() in _WHERE_WORDS:
        return said
    last = words[-1].lower().strip("'’")
    first = words[1].lower() if words[0] == "the" and len(words) > 1 else words[0].lower()
    if first in _AT_NAMES or last in _AT_NAMES:
        return f"at {said}"
    if last in _ON_NAMES:
        return f"on {said}"
    return f"in {said}"


#: The last word of a place one is on: a way, or a stretch of one.
_ON_TEXT = """stair stairs steps causeway path road lane street landing bridge quay jetty pier
wharf walk roof deck"""
_ON_NAMES = frozenset(_ON_TEXT.split())
#: A word of a place one is at: a meeting of ways, the foot of a thing.
_AT_NAMES = frozenset("crossroads foot gate gates well".split())  # noqa: SIM905


#: Words a place's name may open with that say where it is: no article goes before them.
_WHERE_WORDS = frozenset(
    [
        "aboard",
        "above",
        "across",
        "along",
        "among",
        "atop",
        "behind",
        "below",
        "beneath",
        "beside",
        "beyond",
        "by",
        "down",
        "inside",
        "outside",
        "over",
        "under",
        "underneath",
        "up",
        "upon",
        "within",
    ]
)


def plural(name: str) -> str:
    """Many of a thing: the head word of ``name`` made plural ("potion of healing" ->
    "potions of healing", "eel pie" -> "eel pies", "box" -> "boxes", "berry" ->
    "berries"); an article is dropped. Regular English only."""
    name = strip_article(" ".join(name.split()))
    head, of, rest = name.partition(" of ")
    words = head.split(" ")
    last = words[-1]
    low = last.lower()
    if low.endswith(("s", "x", "z", "ch", "sh")):
        last += "es"
    elif low.endswith("y") and len(low) > 1 and low[-2] not in "aeiou":
        last = last[:-1] + "ies"
    elif last:
        last += "s"
    return " ".join([*words[:-1], last]) + (of + rest if of else "")


def singular(words: str) -> str:
    """``words`` with a plain plural on the head word taken off ("potions of healing" ->
    "potion of healing", "pies" -> "pie", "berries" -> "berry", "boxes" -> "box"), the
    other way from ``plural``. Regular English only."""
    head, of, rest = words.partition(" of ")
    parts = head.split()
    if parts:
        last = parts[-1]
        if last.endswith("ies") and len(last) > 4:  # "berries"; "pies" is a pie
            last = last[:-3] + "y"
        elif last.endswith(("ches", "shes", "xes", "sses")):
            last = last[:-2]
        elif last.endswith("s") and not last.endswith("ss"):
            last = last[:-1]
        parts[-1] = last
    return " ".join(parts) + (of + rest if of else "")


#: Words before a deed's verb that are not it ("I try to quietly hum", "and then pray").
_BEFORE_VERB = frozenset({"i", "try", "to", "just", "then", "and"})


def lead_verb(text: str) -> str:
    """The verb a deed opens with, lower case ("I try to hum a tune" -> "hum"):
    the first of its first four words that is neither a lead-in word nor an adverb in
    -ly; "" when there is none. The engine (which deeds try a feature's check) and the
    offline narrator (which sentences tell a deed) read a deed by it. Pure."""
    for word in re.findall(r"[a-z]+", text.lower())[:4]:
        if word not in _BEFORE_VERB and not word.endswith("ly"):
            return str(word)
    return ""


def start(phrase: str) -> str:
    """``phrase`` made fit to begin a sentence ("the Upstairs Landing" -> "The Upstairs
    Landing"); a name keeps the case of every later letter."""
    return capitalise(phrase)
