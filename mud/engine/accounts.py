"""Account rules: name validation, password hashing, login throttling. Pure.

Password hashing is deliberately slow CPU work: callers run ``hash_password`` and
``verify_password`` in a worker thread (the hub does) so the game never stalls. The
hash string carries its own parameters (``scrypt$n$r$p$salt$hash``), so the cost can be
raised later without invalidating old hashes. Salts come from ``os.urandom`` via
``secrets`` - a security primitive, not game randomness, so it is not the world RNG.
"""

from __future__ import annotations

import difflib
import hashlib
import hmac
import itertools
import json
import re
import secrets
import unicodedata
from collections import deque
from collections.abc import Iterable, Mapping, Sequence
from typing import Protocol

from attrs import frozen

from mud.render.sanitize import unmarked

RESERVED = frozenset(
    {
        "admin", "administrator", "narrator", "dm", "dungeonmaster", "system", "root",
        "sysop", "god", "wizard", "server", "guest", "play", "new", "everyone", "all",
        "someone", "nobody", "you", "self", "ooc", "mud", "staff", "moderator", "help",
        "quit",
    }
)  # fmt: skip

NOT_NEW = frozenset(
    {
        "yes", "yeah", "yep", "nope", "okay", "sure", "hello", "login", "logon",
        "connect", "create", "register", "look", "who",
    }
)  # fmt: skip
"""Words no new character may be called: what a player types when they think another
question was asked ("yes" to a "Create ...?" they expected) or a command ("look",
"who"). Unlike ``RESERVED`` they are refused only when creating, so an older account
that has such a name can still log in (``new_name_problem``)."""

MIN_NAME, MAX_NAME = 3, 16
MIN_PASSWORD, MAX_PASSWORD = 6, 128


@frozen
class HashCost:
    """scrypt parameters. The defaults protect a public server; tests and load runs lower n."""

    n: int = 2**14
    r: int = 8
    p: int = 1


def validate_name(raw: str) -> tuple[str | None, str]:
    """``(name, "")`` for a valid name (capitalised), or ``(None, reason)``.

    Names are ASCII letters only: this rules out confusables, invisible characters and
    mixed scripts in one rule, and keeps names typeable on every client.
    """
    name = unicodedata.normalize("NFKC", raw.strip())
    if not name:
        return None, "Please type a name."
    if not (name.isascii() and name.isalpha()):
        # Said first: "雪" was told "Names are 3 to 16 letters long." (played), and
        # "Zoë" is offered the name without its marks.
        bare = unmarked(name)
        fits = bare.isascii() and bare.isalpha() and MIN_NAME <= len(bare) <= MAX_NAME
        hint = f" (try '{bare[0].upper() + bare[1:].lower()}')" if fits else ""
        return None, f"Names may contain only the letters A to Z{hint}."
    if not MIN_NAME <= len(name) <= MAX_NAME:
        return None, f"Names are {MIN_NAME} to {MAX_NAME} letters long."
    if name.lower() in RESERVED:
        return None, f"'{name}' is reserved. Please choose another name."
    return name[0].upper() + name[1:].lower(), ""


COMMON_WORDS = frozenset(
    {
        "the", "and", "but", "nor", "yet", "for", "your", "yours", "you're", "youre", "his",
        "her", "hers", "its", "our", "ours", "their", "theirs", "they", "them", "she",
        "him", "one", "ones", "this", "that", "these", "those", "there", "here", "then",
        "than", "what", "when", "where", "which", "while", "whom", "whose", "why", "how",
        "with", "without", "from", "into", "onto", "over", "under", "about", "above",
        "after", "before", "behind", "below", "beside", "between", "through", "toward",
        "towards", "upon", "some", "any", "each", "every", "none", "not", "also", "very",
        "just", "only", "both", "either", "neither", "such", "are", "was", "were", "has",
        "had", "have", "does", "did", "can", "could", "will", "would", "shall", "should",
        "may", "might", "must", "north", "south", "east", "west", "northeast", "northwest",
        "southeast", "southwest", "down", "inside", "outside", "somewhere", "something",
        "nothing", "anything", "everything", "anyone", "anybody", "everybody", "somebody",
        "nowhere", "everywhere", "welcome", "warning", "notice", "error", "info", "note",
        "announcement", "official", "dungeon", "master", "gamemaster", "game", "mod",
        "mods", "operator", "owner", "support", "sysadmin", "world", "victory", "fight",
        "turn", "exits", "recently", "quest", "quests", "wrong", "too", "round", "stealth",
        "initiative", "resuming", "reconnected", "answer", "next", "screen", "password",
        "passwords", "whatever", "usage", "please", "type", "wait", "unknown", "hidden",
        "kicked", "banned", "goodbye", "farewell", "thank", "thanks", "level", "experience",
        "gold", "defeated", "death", "dead", "critical", "miss", "hit", "roll", "rolled",
        "total", "tokens", "time", "login", "logged", "account", "character", "class",
        "player", "players", "room", "door", "narration", "story", "rain", "mist", "wind",
        "dust", "water", "now", "again", "already", "still", "back", "away", "idle",
        "attention", "important", "urgent", "reminder", "update", "news", "rules", "report",
        "reports", "bug", "typo", "idea", "announce", "shutdown", "restart", "restarting",
        "saving", "connection", "connected", "disconnected", "timeout", "escape",
        "escapes", "flees", "fled", "say", "says",
        "tell", "tells", "whisper", "whispers", "shout", "shouts", "emote", "acts", "mute",
        "muted", "ignore", "ignored",
    }
)  # fmt: skip
"""Words no new character may be called, for their lines would read as the game's own:
a player called "Your" made "emote turn! Type flee to escape." read "Your turn! Type
flee to escape.", one called "The" made "The Dungeon Master says: ..." and, while they
played, everyone's narration "You try to polish The bar with The rag." (a name is
capitalised wherever the text names it). Played by a griefer; refused when creating,
as ``NOT_NEW`` is. Later griefers took the first words of the game's other lines:
"Quest complete: ...", "Wrong password.", "Too many failed logins.", "Round 2.",
"Stealth: ...", and the weather's "Rain ..." (played: each was forged with an emote)."""

OFFENSIVE = (
    "fuck", "fcuk", "shit", "shyt", "cunt", "kunt", "nigg", "niga", "fagg", "faggot",
    "bitch", "biatch", "whore", "slut", "rapist",
    "nazi", "hitler", "asshole", "twat", "wank", "penis", "vagina", "retard", "kike",
    "tranny", "dildo", "cock", "dick", "piss", "bastard",
)  # fmt: skip
"""Slurs and obscenities no new name may contain (played: "Shithead", "Cunt" and worse
were all taken, and listed by everyone's ``who``), looked for in the name as typed and
as it sounds (``_as_heard``: "Fuuuck", "Phuck", "Fvck"; played by a griefer). A name
that merely contains one by chance ("Dickens", "Hancock") is refused too: it is easy to
choose another, where a slur on every ``who`` is not easy to bear."""

OFFENSIVE_WHOLE = frozenset({"fag", "ass", "rape", "spic", "chink", "homo", "coon", "jap"})
"""Words refused only as the whole name: inside a name they are innocent ("Cassius",
"Drapery" is no name, but "Spicer" and "Japhet" are)."""


#: Spellings that sound as another: a slur spelt around the list ("Phuck", "Fvck").
_SOUNDS_AS = (("ph", "f"), ("vv", "w"), ("v", "u"), ("kk", "k"), ("ck", "k"), ("q", "k"))


def _as_heard(low: str) -> str:
    """A lower-case name as it sounds, for the slur check: a letter run read once
    ("Fuuuck", "Shiiit"), then ``_SOUNDS_AS`` ("Phuck", "Fvck")."""
    once = "".join(ch for i, ch in enumerate(low) if i == 0 or ch != low[i - 1])
    for spelt, heard in _SOUNDS_AS:
        once = once.replace(spelt, heard)
    return once


def _has_double(word: str) -> bool:
    return any(a == b for a, b in itertools.pairwise(word))


# A word spelt with a double letter is looked for as spelt only: "nigg" read once is
# in "Nigel".
_OFFENSIVE_HEARD = frozenset(_as_heard(w) for w in OFFENSIVE if not _has_double(w))
_OFFENSIVE_WHOLE_HEARD = frozenset(_as_heard(w) for w in OFFENSIVE_WHOLE if not _has_double(w))


def new_name_problem(name: str) -> str:
    """Why ``name`` (valid by ``validate_name``, no account has it) may not be taken by a
    new character, or "" when it may: an answer or a command (``NOT_NEW``), a common
    English word the game's own lines begin with (``COMMON_WORDS``), or an offensive
    word (``OFFENSIVE``, ``OFFENSIVE_WHOLE``). Called by the login flow before it offers
    to create the character."""
    low = name.lower()
    if low in NOT_NEW:
        return f"'{name}' reads as an answer or a command, not a name. Please choose another."
    if low in COMMON_WORDS:
        return f"'{name}' is a word of the game's own lines, not a name. Please choose another."
    heard = _as_heard(low)
    if (
        low in OFFENSIVE_WHOLE
        or heard in _OFFENSIVE_WHOLE_HEARD
        or any(word in low for word in OFFENSIVE)
        or any(word in heard for word in _OFFENSIVE_HEARD)
    ):
        return "That name is not allowed here. Please choose another."
    return ""


#: Letters that read as other letters in many fonts (a confusable pair is one letter
#: to the eye: "rn" and "m"), for ``imitates``.
_LOOKS_ALIKE = (("rn", "m"), ("vv", "w"), ("cl", "d"), ("i", "l"))


def _skeleton(name: str) -> str:
    """``name`` as the eye takes it in: lower case, confusable letters made one, and a
    run of one letter read once ("Oberonn" and "Oberon" are one; "Ilse" and "Lise")."""
    low = name.lower()
    for seen, read in _LOOKS_ALIKE:
        low = low.replace(seen, read)
    return "".join(ch for i, ch in enumerate(low) if i == 0 or ch != low[i - 1])


def _one_edit(a: str, b: str) -> bool:
    """Whether ``a`` becomes ``b`` by one letter changed, added, dropped, or two
    neighbours swapped."""
    if a == b or abs(len(a) - len(b)) > 1:
        return False
    if len(a) == len(b):
        diff = [i for i in range(len(a)) if a[i] != b[i]]
        if len(diff) == 1:
            return True
        return (
            len(diff) == 2
            and diff[1] == diff[0] + 1
            and a[diff[0]] == b[diff[1]]
            and a[diff[1]] == b[diff[0]]
        )
    short, long = (a, b) if len(a) < len(b) else (b, a)
    return any(long[:i] + long[i + 1 :] == short for i in range(len(long)))


def imitates(name: str, keepers: Sequence[str]) -> str:
    """The keeper (an admin's name, as stored) that new name ``name`` would pass for, or
    "" when none: one that reads the same to the eye (``_skeleton``) or is one letter
    from it ("Oberonn", "Oberom", "Obreon" for Oberon; names are letters only). Played by a
    griefer: "Oberonn" told a new player he kept the world and wanted her password. Names
    of three letters are compared by the eye only (one letter from "Ann" is half the
    names there are). Nor may a new name be the start of an admin's ("War" for Warden:
    a tell shortened to it would go to them). Pure; called by the hub before a new name
    is offered."""
    low = name.lower()
    for keeper in keepers:
        key = keeper.lower()
        if key == low:
            continue
        if _skeleton(key) == _skeleton(low):
            return keeper[:1].upper() + keeper[1:].lower()
        if min(len(key), len(low)) > 3 and _one_edit(key, low):
            return keeper[:1].upper() + keeper[1:].lower()
        if len(key) > 3 and (low.startswith(key) or low.endswith(key)):
            # "Oberonsson" reads as Oberon in every line that begins with it (played).
            return keeper[:1].upper() + keeper[1:].lower()
        if key.startswith(low):
            # "War" for Warden: 'tell war ...', typed for the admin out of habit, went
            # to the griefer's character of that name (played).
            return keeper[:1].upper() + keeper[1:].lower()
    return ""


def password_key(password: str) -> str:
    """``password`` as it is hashed: NFKC, so an "ü" typed as one character or as "u"
    and a mark, and a password typed with an input method left in full-width mode
    ("ｐａｓｓｗｏｒｄ", nothing echoed), are the password their owner meant (played: both
    were "Wrong password." from another client). Pure."""
    return unicodedata.normalize("NFKC", password)


def password_problem(password: str, name: str) -> str:
    """Why a new password is unacceptable, or "" when it is fine."""
    if "\ufffd" in password:
        # Played from a client that sends Latin-1 with no character set agreed: every
        # accented letter arrived as U+FFFD, so "motdepösse" opened "motdepässe".
        return (
            "Your client sent characters that are not UTF-8 text. Set it to UTF-8, or"
            " choose a password without them."
        )
    password = password_key(password)
    if len(password) < MIN_PASSWORD:
        return f"Passwords need at least {MIN_PASSWORD} characters."
    if len(password) > MAX_PASSWORD:
        return f"Passwords may have at most {MAX_PASSWORD} characters."
    if password.lower() == name.lower():
        return "Your password must not be your name."
    return ""


def hash_password(password: str, cost: HashCost) -> str:
    """A self-describing scrypt hash of ``password``. CPU-heavy: call from a worker thread."""
    salt = secrets.token_bytes(16)
    digest = hashlib.scrypt(
        password_key(password).encode("utf-8"),
        salt=salt,
        n=cost.n,
        r=cost.r,
        p=cost.p,
        maxmem=256 * 1024 * 1024,
        dklen=32,
    )
    return f"scrypt${cost.n}${cost.r}${cost.p}${salt.hex()}${digest.hex()}"


def verify_password(password: str, stored: str) -> bool:
    """True when ``password`` (by ``password_key``, or as typed: a hash made before
    passwords were normalised) matches ``stored``. Constant-time compare; False on bad
    hashes."""
    key = password_key(password)
    if _verify(key, stored):
        return True
    return key != password and _verify(password, stored)


def _verify(password: str, stored: str) -> bool:
    try:
        scheme, n, r, p, salt, digest = stored.split("$")
        if scheme != "scrypt":
            return False
        computed = hashlib.scrypt(
            password.encode("utf-8"),
            salt=bytes.fromhex(salt),
            n=int(n),
            r=int(r),
            p=int(p),
            maxmem=256 * 1024 * 1024,
            dklen=len(bytes.fromhex(digest)),
        )
    except (ValueError, TypeError):
        return False
    return hmac.compare_digest(computed, bytes.fromhex(digest))


class LoginGate:
    """Password attempts, counted *before* they are hashed, per address and per account.

    One gate is shared by both doors (the hub's login prompt and SSH password auth), so
    an address and an account each have one budget, whichever door is used. An attempt
    is let through by ``begin`` only while, in the last ``window`` seconds, the address
    has fewer than ``limit`` failures plus attempts in flight and the account fewer than
    ``account_limit``; every ``begin`` that returned True must be closed by exactly one
    ``end``. A burst of simultaneous attempts is thus judged before any of them is
    hashed, and an address never has more than ``limit`` hashes in flight. The account
    budget is larger than the address one, so that strangers cannot lock an owner out
    with a few wrong guesses, and an address that has logged into the account since the
    server started is not held to it at all (only to its own budget): played by a
    griefer guessing from eight addresses, the owner was refused six times in seven
    for a minute. A success clears the address's and the account's failures.

    ``hash_time`` is a running estimate of one verification (``note_hash_time``): a
    refused attempt is answered after that long, so its timing does not tell it from a
    wrong password, without spending the CPU a real hash would. Memory is bounded:
    at most ``max_keys`` addresses and accounts are tracked (oldest dropped). Pure: the
    callers pass the time in; they own the waiting.
    """

    def __init__(
        self,
        limit: int = 5,
        window: float = 60.0,
        *,
        account_limit: int = 20,
        max_keys: int = 10_000,
        hash_time: float = 0.1,
    ) -> None:
        self.limit = limit
        self.window = window
        self.account_limit = account_limit
        self._max = max_keys
        self._fails: dict[str, deque[float]] = {}
        self._flying: dict[str, int] = {}
        self._known: dict[str, set[str]] = {}  # account -> addresses that logged into it
        self.hash_time = hash_time

    def _recent(self, key: str, now: float) -> int:
        fails = self._fails.get(key)
        if fails is None:
            return 0
        while fails and now - fails[0] > self.window:
            fails.popleft()
        if not fails:
            del self._fails[key]
            return 0
        return len(fails)

    def begin(self, peer: str, account: str, now: float) -> bool:
        """Count an attempt on ``account`` from ``peer``; False when it must be refused
        unhashed (then no ``end`` follows)."""
        by_peer, by_account = "ip:" + peer, "acct:" + account.lower()
        flying_peer = self._flying.get(by_peer, 0)
        if self._recent(by_peer, now) + flying_peer >= self.limit:
            return False
        known = peer in self._known.get(account.lower(), ())
        busy = self._recent(by_account, now) + self._flying.get(by_account, 0)
        if busy >= self.account_limit and not known:
            return False
        self._flying[by_peer] = flying_peer + 1
        self._flying[by_account] = self._flying.get(by_account, 0) + 1
        return True

    def remember(self, account: str, peers: Iterable[str]) -> None:
        """``peers`` have logged into ``account``: attempts from them are held to their
        own budget only. Called by ``end`` on a success, and by the hub and the SSH check
        with the addresses the store kept from earlier runs (``known_addresses``)."""
        peers = list(peers)
        if not peers:
            return
        known = self._known.setdefault(account.lower(), set())
        for peer in peers:
            if len(known) >= 64:  # bounded: an account's owner uses a few addresses
                break
            known.add(peer)
        if len(self._known) > self._max:
            self._known.pop(next(iter(self._known)))

    def end(self, peer: str, account: str, ok: bool, now: float) -> None:
        """The attempt ``begin`` let through was decided: ``ok`` is its result."""
        if ok:
            self.remember(account, (peer,))
        for key in ("ip:" + peer, "acct:" + account.lower()):
            left = self._flying.get(key, 0) - 1
            if left > 0:
                self._flying[key] = left
            else:
                self._flying.pop(key, None)
            if ok:
                self._fails.pop(key, None)
                continue
            if key not in self._fails and len(self._fails) >= self._max:
                self._fails.pop(next(iter(self._fails)))
            self._fails.setdefault(key, deque()).append(now)

    def known(self, peer: str, account: str) -> bool:
        """Whether ``peer`` has logged into ``account`` since the server started, or is
        one of the addresses kept for it (``remember``)."""
        return peer in self._known.get(account.lower(), ())

    def allowed(self, peer: str, now: float) -> bool:
        """Whether the address could start an attempt now (for messages, not a check)."""
        key = "ip:" + peer
        return self._recent(key, now) + self._flying.get(key, 0) < self.limit

    def retry_after(self, peer: str, now: float, account: str = "") -> float:
        """Seconds until an attempt from ``peer`` (on ``account``, when given) could be
        let through again: until the oldest counted failure of the budget that is
        spent, the address's or the account's, leaves the window."""
        wait = 0.0
        keys = [("ip:" + peer, self.limit)]
        if account:
            keys.append(("acct:" + account.lower(), self.account_limit))
        for key, limit in keys:
            if self._recent(key, now) < limit:
                continue
            fails = self._fails.get(key)
            if fails:
                wait = max(wait, self.window - (now - fails[0]))
        return max(0.0, wait)

    def note_hash_time(self, seconds: float) -> None:
        """A real verification took ``seconds``: update the running estimate."""
        if seconds >= 0:
            self.hash_time = 0.8 * self.hash_time + 0.2 * seconds


KNOWN_KEEP = 16
"""How many addresses an account's owner is known by (the most recently used)."""

KNOWN_DAYS = 90.0
"""How long an address an account was last logged into from stays known, in days."""

_KNOWN_REFRESH = 86_400.0  # a known address's time is written again at most once a day


def known_addresses(saved: str | None, wall: float) -> dict[str, float]:
    """The addresses kept for an account (the world-state entry ``seen:<account>``, JSON
    ``{address: wall time last logged in}``), without those older than ``KNOWN_DAYS``;
    {} for none or for an entry that does not read (it is written again whole at the next
    login). Pure; called by the hub and the SSH check when an account is looked up.

    Why they are kept (played by a griefer): four addresses, five wrong passwords each,
    spent an account's budget, and its owner was refused for a minute from any address
    that had not logged into it since the server started: after each restart, every
    owner could be locked out."""
    if not saved:
        return {}
    try:
        raw = json.loads(saved)
    except ValueError:
        return {}
    if not isinstance(raw, dict):
        return {}
    oldest = wall - KNOWN_DAYS * 86_400.0
    return {
        str(peer): float(when)
        for peer, when in raw.items()
        if isinstance(when, int | float) and not isinstance(when, bool) and when >= oldest
    }


def note_address(known: Mapping[str, float], peer: str, wall: float) -> str | None:
    """The ``seen:<account>`` entry to write now that ``peer`` has logged in (JSON, the
    ``KNOWN_KEEP`` most recent addresses), or None when ``known`` (from
    ``known_addresses``) already has it from the last day. Pure; called by the hub when a
    connection takes up its character."""
    last = known.get(peer)
    if last is not None and wall - last < _KNOWN_REFRESH:
        return None
    fresh = dict(known)
    fresh[peer] = wall
    kept = sorted(fresh.items(), key=lambda item: (-item[1], item[0]))[:KNOWN_KEEP]
    return json.dumps(dict(kept), sort_keys=True)


def match_class(choices: Sequence[tuple[str, str]], text: str) -> tuple[str | None, str]:
    """The class a player picked at the class prompt: ``(class id, "")`` or ``(None, why)``.

    ``choices`` are ``(id, display name)`` pairs in the order the list shows them (ids
    may carry a ``pack:`` prefix, which the player never types). ``text`` may be the
    number shown in the list (from 1), a short id or name (any case), a prefix of one
    that fits exactly one class, or a sentence naming exactly one ("I'd like to be a
    lamp-keeper"). Called by the hub; pure.
    """
    low = " ".join(text.split()).lower()
    if not low:
        return None, "Please type the number or the name of a class."
    if low.isdigit():
        index = int(low)
        if 1 <= index <= len(choices):
            return choices[index - 1][0], ""
        return None, f"Please type a number from 1 to {len(choices)}."
    words = [(cid, (cid.split(":", 1)[-1].lower(), name.lower())) for cid, name in choices]
    exact = [cid for cid, names in words if low in names]
    if len(exact) == 1:
        return exact[0], ""
    found = [cid for cid, names in words if any(n.startswith(low) for n in names)]
    if len(found) == 1:
        return found[0], ""
    if found:
        shown = ", ".join(cid.split(":", 1)[-1] for cid in found)
        return None, f"'{text.strip()}' could be any of: {shown}. Type more of the name."
    # A later word of the name, or the start of one: "monk" of "Lantern Monk", "climb" of
    # "Ice-Climber" (played: "monk" was "There is no such class.").
    inner = [
        cid
        for cid, names in words
        if len(low) >= 3 and any(w.startswith(low) for n in names for w in re.split(r"[\s_-]+", n))
    ]
    if len(inner) == 1:
        return inner[0], ""
    # Said in a sentence ("I'd like to be a lamp-keeper please", "a rogue!"): the one
    # class whose id or name stands in it as whole words.
    said = [cid for cid, names in words if any(_says(low, n) for n in names)]
    if len(said) == 1:
        return said[0], ""
    if said:
        shown = ", ".join(cid.split(":", 1)[-1] for cid in said)
        return None, f"You named more than one: {shown}. Type just the one you want."
    number = re.fullmatch(r"\W*(\d+)\W*", low)
    if number:  # "3." or "#3"
        return match_class(choices, number.group(1))
    near = _near_class(words, low)
    if near:  # a slip of the keys ("figter"): a class is for good, so asked, not taken
        return None, f"There is no class '{text.strip()}'. Did you mean {near}?"
    return None, "There is no such class. Type its number or its name from the list."


#: Advice asked at the class prompt: "idk which one is easiest?", "what do you
#: recommend", "im new, which is best for beginners?".
_ADVICE_ASKED = re.compile(
    r"\b(?:easiest|simplest|easy|simple|beginners?|newbies?|new|recommend\w*|suggest\w*"
    r"|best|which|idk|dunno|help|advice|don'?t\s+know|not\s+sure|no\s+idea)\b",
    re.I,
)


class Calling(Protocol):
    """A class as the class prompt knows it (``mud.hub.login.ClassChoice``): its id,
    name, hit die and description, and what it can do: ``gifts`` are its powers as
    (name, description, the verbs that use it), ``proficient`` its abilities and skills,
    ``abilities`` its starting scores as (ability, score) pairs."""

    @property
    def id(self) -> str: ...
    @property
    def name(self) -> str: ...
    @property
    def hit_die(self) -> int: ...
    @property
    def description(self) -> str: ...
    @property
    def gifts(self) -> tuple[tuple[str, str, tuple[str, ...]], ...]: ...
    @property
    def proficient(self) -> tuple[str, ...]: ...
    @property
    def abilities(self) -> tuple[tuple[str, int], ...]: ...


#: Words a question at the class prompt has that ask nothing of a class's gifts
#: ("which one can heal people?" asks of "heal" alone).
_ASKS_NOTHING = frozenset(
    # A list of 90 words reads better as words than as a column of string literals.
    """a about all am an and any are as at be best better beginner beginners calling
    can choose class classes could do does dunno easiest easy for get go good great has have
    help helps i idk if im i'm in is it its it's like lot lots me more most my new newbie
    of on one ones or others pick people play please really should so someone something
    suggest that the them thing things this to u very want wanna well what which who whom
    will with would you your""".split()  # noqa: SIM905
)


def _by_word(pairs: Iterable[tuple[str, str]]) -> tuple[tuple[re.Pattern[str], str], ...]:
    """(a pattern a whole word must match, what it stands for) for each pair."""
    return tuple((re.compile(rf"^(?:{pattern})$"), meant) for pattern, meant in pairs)


#: What players call a gift by another word than a class's own ("sneaky" for stealth).
_GIFT_WORDS = _by_word(
    (
        (r"sneak\w*|stealth\w*|hid(?:e|ing)|quiet\w*|shadows?", "stealth"),
        (r"heal\w*|healer|cure\w*|medic\w*|support", "heal"),
        (r"magic\w*|spells?|caster|cast\w*|pray\w*|priest\w*|holy|divine", "saint"),
        (r"locks?|lockpick\w*|picklock\w*|steal\w*|thie[fv]\w*|pickpocket\w*|traps?", "sleight"),
        (r"find\w*|search\w*|secrets?|spot\w*|notic\w*", "noticing"),
        (r"damage|hard(?:est|er)?|strongest|hits?|hitting|fight\w*|melee|sword\w*", "hard"),
    )
)

#: Words asking for the best score of an ability (or the hit die, for "tough").
_ABILITY_WORDS = _by_word(
    (
        (r"strong\w*|strength|muscle\w*", "str"),
        (r"quick\w*|fast\w*|agil\w*|nimble\w*|dex\w*", "dex"),
        (r"tough\w*|sturd\w*|tank\w*|tanky|hardy|surviv\w*|durable|die|dies|dying", "hp"),
        (r"wise\w*|wisdom", "wis"),
        (r"smart\w*|clever\w*|intelligen\w*|brain\w*", "int"),
        (r"charm\w*|persua\w*|talk\w*|charisma\w*|social\w*", "cha"),
    )
)

_ABILITY_NAMES = {
    "str": "Strength",
    "dex": "Dexterity",
    "wis": "Wisdom",
    "int": "Intelligence",
    "cha": "Charisma",
}


def _stem(word: str) -> str:
    """``word`` without an ending that tells no gift apart ("heals", "healing": heal)."""
    for ending in ("ing", "est", "ers", "er", "es", "s", "y"):
        if word.endswith(ending) and len(word) - len(ending) >= 3:
            return word[: -len(ending)]
    return word


def class_advice(choices: Sequence[Calling], text: str) -> tuple[str, str]:
    """(the advice, the class id it offers) for ``text`` typed at the class prompt when
    it asks which to choose; ("", "") when it asks nothing of the kind. A question of
    what a class can do ("which one can heal people?": played, and the Fighter offered
    for it) is answered with the one class whose gifts say it (a power's verbs count
    most, then its words, its description and its skills) or whose score is the best
    ("which is strongest?"); a question of none ("idk which one is easiest?": played,
    "There is no such class.") with the sturdiest (the biggest hit die, the first on a
    tie), the forgiving start for one new to it. ``choices`` are in the list's order.
    Pure."""
    if not choices or _ADVICE_ASKED.search(text) is None:
        return "", ""
    asked = [
        w for w in re.findall(r"[a-z']+", text.lower()) if w not in _ASKS_NOTHING and len(w) > 2
    ]
    gifted = _gifted(choices, asked) if asked else None
    if gifted is not None:
        index, why = gifted
        cid, name = choices[index].id, choices[index].name
        return (
            f"The {name} ({index + 1}): {why} Type its number or its name, or 'yes' for it.",
            cid,
        )
    index, sturdiest = max(enumerate(choices), key=lambda c: (c[1].hit_die, -c[0]))
    opening = "I can't tell that from the list." if asked else "Any of them will do."
    return (
        f"{opening} New to it? The {sturdiest.name} ({index + 1}) is the most forgiving"
        " start: it has the most hit points. Type its number or its name, or 'yes' for it.",
        sturdiest.id,
    )


def _gifted(choices: Sequence[Calling], asked: Sequence[str]) -> tuple[int, str] | None:
    """(the index of the one class the words ``asked`` point to, why), or None when they
    point to none or to more than one alike."""
    scores = [0] * len(choices)
    whys = [""] * len(choices)
    for word in asked:
        ability = next((a for p, a in _ABILITY_WORDS if p.match(word)), "")
        if ability:
            values = [
                c.hit_die if ability == "hp" else dict(c.abilities).get(ability, 0) for c in choices
            ]
            best = max(values)
            if values.count(best) == 1 and best > 0:
                at = values.index(best)
                scores[at] += 2
                whys[at] = whys[at] or (
                    "the most hit points of them."
                    if ability == "hp"
                    else f"the best {_ABILITY_NAMES[ability]} of them ({best})."
                )
            continue
        stem = _stem(next((w for p, w in _GIFT_WORDS if p.match(word)), word))
        for at, calling in enumerate(choices):
            for name, about, verbs in calling.gifts:
                if any(_stem(w).startswith(stem) for v in verbs for w in v.lower().split()):
                    scores[at] += 3
                elif _has_stem(f"{name} {about}", stem):
                    scores[at] += 1
                else:
                    continue
                whys[at] = whys[at] or f"{name}. {about}"
            skills = " ".join(calling.proficient).replace("_", " ")
            if _has_stem(calling.description, stem) or _has_stem(skills, stem):
                scores[at] += 1
                whys[at] = whys[at] or calling.description
    best = max(scores)
    if best == 0 or scores.count(best) > 1:
        return None
    at = scores.index(best)
    return at, whys[at]


def _has_stem(words: str, stem: str) -> bool:
    """True when a word of ``words`` begins with ``stem``."""
    return any(_stem(w).startswith(stem) for w in re.findall(r"[a-z']+", words.lower()))


def class_asked_about(choices: Sequence[tuple[str, str]], text: str) -> str:
    """The class name ``match_class`` asks about for ``text`` ("Did you mean rogue?"),
    "" when it asks about none: a yes to the question takes it. Pure."""
    choice, problem = match_class(choices, text)
    if choice is not None:
        return ""
    low = " ".join(text.split()).lower()
    words = [(cid, (cid.split(":", 1)[-1].lower(), name.lower())) for cid, name in choices]
    near = _near_class(words, low)
    return near if near and problem.endswith(f"Did you mean {near}?") else ""


def _near_class(words: Sequence[tuple[str, tuple[str, str]]], low: str) -> str:
    """The class name (id or display name) ``low`` is a slip of the keys for, or ""."""
    near = difflib.get_close_matches(low, [n for _cid, names in words for n in names], 1, 0.75)
    return near[0] if near else ""


def _says(text: str, name: str) -> bool:
    """True when ``name`` stands in ``text`` as whole words (hyphen and space alike)."""
    flat = re.sub(r"[\s-]+", " ", text)
    term = re.sub(r"[\s-]+", " ", name).strip()
    return bool(term) and re.search(rf"(?<![\w']){re.escape(term)}(?![\w'])", flat) is not None
