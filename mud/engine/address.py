"""Who a line said aloud is said to, by name: an NPC here ("hello bessa", "Crake, what
is below?", "have you seen Edda, Bessa?"), a player beside the speaker ("Oren, follow
me"), or someone of the world who is elsewhere ("crake, hello" in the tavern), and what
is asked of them. Called by ``commands`` for ``say``, free text and refused commands.

Pure: reads the world, changes nothing, raises nothing. Split out of ``commands`` (past
3,700 lines) as the reading of names in what is said."""

from __future__ import annotations

import re
from typing import NamedTuple

from mud.engine import game, lore, search, stealth
from mud.engine.parser import TAG_QUESTIONS
from mud.engine.state import Character, World

#: ", Bessa?" closing a line: the one it is said to.
_CLOSING_NAME = re.compile(r",\s*([^,]+?)\s*[.!?]*$")


class Named(NamedTuple):
    """Who a line said aloud is to (``ref``), what is asked of them (``asked``), and
    what the line said before the sentence that names them (``before``: "aye, soaked
    to the bone." of "aye, soaked to the bone. bessa, can we get some stew?"), which is
    said to the room; "" when the name is in its first sentence."""

    ref: str
    asked: str
    before: str = ""


def addressed(world: World, actor: Character, text: str) -> Named | None:
    """The NPC here that ``text``, said aloud, speaks to by name, and what is asked of
    them: after a greeting ("hello bessa", "good evening, Bessa Thorn": ``text`` as
    typed), before a comma ("Crake, what is below?": "what is below?"), or after one at
    the end ("have you seen Edda, Bessa?": "have you seen Edda?"); None when it names
    no one here. Only a whole name or alias counts ("I, for one, ..." is not to the
    innkeeper)."""
    npcs = search.npcs(world, actor.room)
    if not npcs:
        return None
    for words, asked, before in _places(text):
        if _OF_THE_NAMED.match(asked):
            continue  # "crake, he calls himself": of him, not to him
        for npc in npcs:
            if search.score(npc, words) == 2:
                return Named(npc.ref, asked, before)
    sentences = SENTENCE.split(text.strip())
    for i, sentence in enumerate(sentences):
        told = lore.IDENTIFIED.fullmatch(sentence.strip())
        if told is None:
            continue
        name = ARTICLE.sub("", told.group("name").lower())
        for npc in npcs:
            if search.score(npc, name) == 2:
                # "you must be crake. mind if we borrow that key?": to him (played: said
                # to the room, and he said nothing).
                return Named(npc.ref, " ".join(sentences[i:]), " ".join(sentences[:i]))
    last = sentences[-1].strip()
    head, _, name = last.rstrip(" .!?").rpartition(" ")
    closing = head.rpartition(" ")[2].lower().strip(",")
    if (
        head
        and _TO_YOU_NAMED.search(head)
        and name.isalpha()
        and (closing in _BEFORE_A_CALL or closing in _HOME_CALLS)
    ):
        # "lets get u home edda" (played: said to the room, and Edda not asked along): a
        # name closing words to "you", no comma, as chat types it.
        for npc in npcs:
            if search.score(npc, name.lower()) == 2:
                asked = head.rstrip(" ,") + last[len(last.rstrip(" .!?")) :]
                return Named(npc.ref, asked, " ".join(sentences[:-1]))
    return None


#: More words that close a clause before a name called: "get you home edda", "can you
#: help us please bessa" ("have you seen edda" names her, to no one).
_HOME_CALLS = frozenset({"home", "back", "out", "safe", "please", "inside", "upstairs"})
#: Words to the one named after them: "you", "your", "yourself".
_TO_YOU_NAMED = re.compile(r"\byou(?:r|rs|rself)?\b", re.I)


def addressed_player(world: World, actor: Character, text: str) -> Named | None:
    """The player beside ``actor`` that ``text`` speaks to by name before a comma or
    after one at its end ("Oren, follow me", "follow me, Oren"), what is said to them
    (``Named.asked``) and what the line said before the sentence naming them
    (``Named.before``: "ok." of "ok. oren, wait here", said to the room); None otherwise
    (a greeting with a name, "hi oren", is said to the room)."""
    if lore.GREETING.match(text) is not None:
        return None
    # "sorry hollis, dozed off": said to a player, the sorry is part of it.
    places = _places(text, keep_lead=True)
    if not places:
        # Most lines name no one: who is here is not listed (a crowd of 1,000); a name
        # closing a sentence is looked up by its key.
        return _named_last(world, actor, text)
    callings = _all_callings(world)
    for words, said, before in places:
        if said.strip(" ,.!?") == text.strip(" ,.!?"):
            continue
        mate = player_beside(world, actor, words)
        if mate is not None:
            return Named(mate.key, said.strip(), before)
        if words not in callings:
            continue
        # By their calling, when one here has it: "after you, lamp-keeper" (played: the
        # lamp-keeper of the world, Sister Aldith, was told "not here").
        called = _called_here(world, actor, words)
        if len(called) == 1:
            return Named(called[0], said.strip(), before)
    return _named_last(world, actor, text)


def comma_after_greeting(world: World, actor: Character, text: str) -> str:
    """``text`` with a comma put after the name it greets when chat left it out: "hi
    bessa whats going on" -> "hi bessa, whats going on", the name (one word or two) one
    of someone of the world here, and words after it. ``text`` as it is otherwise.
    Pure."""
    greeting = lore.GREETING.match(text)
    if greeting is None or NAME_ENDS.search(greeting.group(0)):
        return text
    rest = text[greeting.end() :]
    words = rest.split()
    if len(words) < 2:
        return text  # "hi bessa" alone
    for size in (2, 1):
        head = re.match(rf"\s*\S+(?:\s+\S+){{{size - 1}}}", rest)
        if len(words) <= size or head is None or NAME_ENDS.search(head.group(0)):
            continue
        if _someone_here(world, actor, " ".join(words[:size])):
            cut = greeting.end() + head.end()
            return f"{text[:cut]},{text[cut:]}"
    return text


def _someone_here(world: World, actor: Character, words: str) -> bool:
    """Whether ``words`` are the name (or first name) of someone of the world beside
    ``actor`` (a greeting with a player's name is the room's either way)."""
    return any(search.score(npc, words.lower()) == 2 for npc in search.npcs(world, actor.room))


#: Words alone after a question that call to no one: "right?", "no?", "eh?".
_NOT_A_NAME = TAG_QUESTIONS | {"what", "anyone", "everyone", "really"}
#: After a name and its comma, words of the one named, not to them: "crake, he calls
#: himself" (played: said to Crake, in answer to a friend's "who's this?").
_OF_THE_NAMED = re.compile(
    r"\W*(?:he|she|they)\s+(?:calls?\s+(?:him|her|them)sel(?:f|ves)|goes\s+by|go\s+by"
    r"|says|said|claims|reckons|told\s+(?:me|us)|answers\s+to)\b",
    re.I,
)
#: A name closing a sentence after a word of respect, as chat types it with no comma:
#: "sorry about that mister crake.", "thank you miss bessa!".
_TITLE = r"(?:mister|mr|sir|miss|missus|mrs|mistress|master|madam|goodwife|goodman)\.?"
_TITLED = re.compile(
    rf"(?:,\s*|\s+){_TITLE}\s+(?P<name>[a-z][\w'-]*(?:\s+[a-z][\w'-]*)?)\s*[.!?]+$", re.I
)
#: A word of respect before the name that opens ``words``: "mister crake! bye".
LEADING_TITLE = re.compile(rf"^\s*{_TITLE}\s+(?=\w)", re.I)
#: Words that call to someone named after them with no comma: praise, thanks, a call.
_CALLED_WITH = re.compile(
    r"^(?:(?:nice|good|great|fine|neat|lovely)\s+(?:work|job|one|shot|hit|blow|fighting|find"
    r"|thinking|catch|going)|well\s+(?:done|fought|struck|met)|nicely\s+done|thanks|thank\s+you"
    r"|cheers|hey|oi|come\s+on|careful|look\s+out|watch\s+out|hurry(?:\s+up)?|wait\s+up"
    # "nice to meet you wren. where are you from?" (played: asked of the innkeeper).
    r"|(?:(?:nice|good|great|pleased|glad|lovely)\s+to\s+(?:finally\s+)?meet|nice\s+meeting)"
    r"\s+(?:you|ya))$",
    re.I,
)


def _you_then_name(world: World, actor: Character, text: str) -> Named | None:
    """A line to "you" that ends with the name of a player beside ``actor``, no comma,
    as chat types it ("you take the locket dov", "you go first wren"): to them, without
    the name; None otherwise. Played on the drowned stair: said to the room. So is a
    last sentence whose words speak to or of the speaker and the one called ("stay
    behind me wren", "watch your step wren") or call out a warning ("careful wren"):
    played, "Pell tries to stay behind them you." and "Pell acts: rat's down there.
    stay behind me wren"; not a deed done to them ("punch wren")."""
    words = text.split()
    # Of the last sentence: "woah!! you're really strong grimbold" (played: said to the
    # room).
    opens = SENTENCE.split(text.strip())[-1].split()
    if len(words) < 2 or len(opens) < 2:
        return None
    before = [w.lower().strip(",.!?;:") for w in opens[:-1]]
    to_you = len(opens) >= 3 and before[0] in _TO_YOU
    called = (
        bool(set(before) & _SPEAKER_AND_CALLED)
        or (len(before) > 1 and before[-1] in _BEFORE_A_CALL)
        or (len(before) == 1 and before[0] in _WARNINGS)
    )
    if not (to_you or called) or before[-1] in _TAKES_A_NAME:
        # "shake the rain off my cloak and nod to Bob" is no call (played: "You say to
        # Bob, 'shake the rain off my cloak and nod to.'"): the name is what "to" takes.
        return None
    last = words[-1].rstrip(".!?")
    mate = player_beside(world, actor, last)
    if mate is None:
        return None
    return Named(mate.key, " ".join(words[:-1]) + words[-1][len(last) :])


#: Words a name after them is taken by: "nod to Bob", "sit with wren", "wave at dov".
_TAKES_A_NAME = frozenset(
    """to at with for beside toward towards from behind near past by of on over about and
    or than like into onto between among""".split()  # noqa: SIM905
)
#: Words of the one speaking and the one spoken to: "stay behind me wren".
_SPEAKER_AND_CALLED = frozenset(
    "me my you your yours yourself us our".split()  # noqa: SIM905
)
#: A warning called out to someone by name: "careful wren", "duck, dov".
_WARNINGS = frozenset(
    "careful quick hurry quiet shh duck down wait stop look run oi easy steady".split()  # noqa: SIM905
)


#: Words that close a clause, after which a name with no comma calls its bearer: "want
#: to join us tansy?", "are you ready dunn?", "coming too wren?"; how one is or goes,
#: taking no one after it: "you coming wren?", "all done wren?" (tried: asked of the
#: innkeeper, who said "Don't know about that, love").
_BEFORE_A_CALL = frozenset(
    "us me you it them then now too there here yet ready okay ok alright right".split()  # noqa: SIM905
) | frozenset(
    "coming going doing along in back fine hurt well done set sure awake alive good".split()  # noqa: SIM905
)


#: A question whose "what" is what its verb takes, a name after it calling someone:
#: "what do you see", "what did you find", "what do you reckon" (not "what do you
#: think of ilse?", whose name is what is asked about).
_WHAT_YOU_DO = re.compile(
    r"\W*what\s+(?:do|did|does|would|will|can|could|should)\s+(?:you|ya)\s+[a-z]+",
    re.I,
)


def _named_last(world: World, actor: Character, text: str) -> Named | None:
    """A player beside ``actor`` named as the last word of a sentence before the last,
    after praise, thanks or a call (``_CALLED_WITH``) and no comma, as chat types it
    ("ugh. nice work hollis. grab the key?": played, asked of the DM, who told the key's
    description), a question: that sentence without the name and the rest are asked of
    them, what comes before said to the room. A line that asks nothing is theirs only
    when it is to "you" (``_you_then_name``): "good job hollis! let's go down" walks."""
    if not text.rstrip().endswith("?"):
        return _you_then_name(world, actor, text)
    sentences = SENTENCE.split(text.strip())
    last = sentences[-1].rstrip(" ?!").split()
    if (
        len(last) > 2
        and (
            last[-2].lower().strip(",") in _BEFORE_A_CALL
            # "what do you see ilse?" (played at the watchtower: asked of the DM, who told
            # what was left to do): "what" is what the verb takes, the name a call.
            or _WHAT_YOU_DO.fullmatch(" ".join(last[:-1]))
        )
    ):
        # "want to join us tansy?" (played: asked of the NPC talked with before, who did
        # not know): a name after a clause closed by "us", "you", "now", called by it;
        # "have you met tansy?" is of her, to no one.
        mate = player_beside(world, actor, last[-1])
        if mate is not None:
            asked = " ".join(last[:-1]).rstrip(",") + "?"
            return Named(mate.key, asked, " ".join(sentences[:-1]))
    for i, sentence in enumerate(sentences[:-1]):
        # The name may close the sentence's first clause: "nice to meet you wren, I'm
        # brannoc." (played: the question after it was asked of the innkeeper).
        clause, comma, after = sentence.partition(",")
        words = clause.rstrip(" .!?").split()
        if len(words) < 2 or not _CALLED_WITH.match(" ".join(words[:-1])):
            continue  # "i saw hollis. what now?" names him, but to no one
        mate = player_beside(world, actor, words[-1].strip(",;:"))
        if mate is not None:
            ends = sentence.rstrip()[-1] if sentence.rstrip()[-1] in ".!?" else "."
            opening = " ".join(words[:-1]) + (f",{after.rstrip()}" if comma else ends)
            said = " ".join([opening, *sentences[i + 1 :]])
            return Named(mate.key, said, " ".join(sentences[:i]))
    return None


def player_beside(world: World, actor: Character, name: str) -> Character | None:
    """The player called ``name`` (their whole name, any case) in ``actor``'s room whom
    ``actor`` sees, not ``actor`` and not one still choosing a class; None otherwise. A
    player's name is one word, and their key is it in lower case: looked up, not
    searched for among everyone here (a say with a comma scored each of a crowd of
    1,000 against it, about 15 ms a line)."""
    mate = world.chars.get(name.lower())
    if (
        mate is not None
        and mate.key != actor.key
        and mate.room == actor.room
        and mate.name.lower() == name.lower()
        and mate.key not in world.waiting  # choosing a class: not in the room yet
        and stealth.sees(world, actor.key, mate)
    ):
        return mate
    return None


def player_meant(world: World, actor: Character, word: str) -> Character | None:
    """The player beside ``actor`` whom ``word`` names: their name (``player_beside``),
    or a calling only one player here has ("pulls up a stool beside the rogue"); None
    otherwise."""
    mate = player_beside(world, actor, word)
    if mate is None and word.lower() in _STRANGER_WORDS:
        # "nods to the newcomer" beside one other player (played: the words after it
        # were asked of the innkeeper behind the bar).
        others = search.people(world, actor.room, besides=actor.key, viewer=actor.key)
        return world.chars.get(others[0].ref) if len(others) == 1 else None
    if mate is not None or word.lower() not in _all_callings(world):
        return mate
    called = _called_here(world, actor, word.lower())
    return world.chars.get(called[0]) if len(called) == 1 else None


#: Words for the one other traveller here: "the newcomer", "the stranger".
_STRANGER_WORDS = frozenset({"newcomer", "stranger", "traveller", "traveler", "newcomers"})


def _all_callings(world: World) -> set[str]:
    """Every word a player may be called by their class (``_callings``), lower case."""
    return {
        word
        for cls in world.templates.classes.values()
        for word in (cls.name.lower(), cls.id.split(":")[-1].lower())
    }


def _called_here(world: World, actor: Character, calling: str) -> list[str]:
    """The keys of those beside ``actor``, whom they see, who are players of ``calling``
    (a word of ``_all_callings``)."""
    beside = search.people(world, actor.room, besides=actor.key, viewer=actor.key)
    return [mate.ref for mate in beside if calling in _callings(world, mate.ref)]


def _callings(world: World, key: str) -> set[str]:
    """The words a player may be called by their class: its name and id, lower case
    ("lamp-keeper", "cleric"); none before a class is chosen."""
    char = world.chars.get(key)
    cls = world.templates.classes.get(char.cls) if char is not None and char.cls else None
    return set() if cls is None else {cls.name.lower(), cls.id.split(":")[-1].lower()}


def addressed_away(world: World, actor: Character, text: str) -> str:
    """The name of the NPC of the world, or the player in the game, not here, that
    ``text``, said aloud, speaks to the way ``addressed`` reads it ("Crake, hello" in
    the tavern: "Crake"; "fenna? hold on, I'm coming" with Fenna gone down the
    trapdoor: "Fenna"); "" when it names none, or one here. Only proper names count
    ("innkeeper, ..." where there is none is not the one in the tavern)."""
    places = names_in(text)
    if not places:
        return ""  # most lines said name no one: the world's NPCs are not listed for them
    named = game.proper_npcs(world, besides={npc.ref for npc in search.npcs(world, actor.room)})
    callings = _all_callings(world)
    for words, _asked in places:
        if words in callings and (
            _called_here(world, actor, words) or words in _callings(world, actor.key)
        ):
            # A greeting to the Lamp-Keeper beside the speaker (played: "hey there,
            # lamp-keeper. you here about the lights too?" told him "Sister Aldith is
            # not here.", whose alias it is too), or the speaker's own calling
            # ("welcome aboard! i'm talis, the lamp-keeper": played, the same).
            continue
        for npc in named:
            if search.score(npc, words) == 2:
                return npc.name
        away = world.chars.get(words)  # keyed by the name in lower case: no crowd listed
        if away is not None and away.room != actor.room and away.name.lower() == words:
            return away.name
    return ""


def names_in(text: str) -> list[tuple[str, str]]:
    """Where a line said aloud may name the one it is said to, as (the words that would
    be the name, lower case and without an article; what is asked of them): after a
    greeting, before a comma, after a comma at the end (see ``addressed``). A place
    that holds no words is left out."""
    return [(words, asked) for words, asked, _before in _places(text)]


def _places(text: str, *, keep_lead: bool = False) -> list[tuple[str, str, str]]:
    """``names_in``'s places, each with the sentences said before the one that holds
    it (``Named.before``); ``keep_lead``: what is said after a name that opens the
    line keeps a lead-in that carries meaning ("sorry, dozed off": ``_kept_lead``), as
    it should to a player (to someone of the world, "yes bessa, two ales" is the order
    alone)."""
    greeting = lore.GREETING.match(text) or lore.FAREWELL.match(text)
    # "Crake, what is below?", and called out: "corwin! are you alright?" (played:
    # asked of the DM).
    head, comma, rest = _head(text)
    closing = _CLOSING_NAME.search(text)
    # The closing mark stays with the words: "Stay close, Tova." was said "Stay close"
    # (played).
    end = text.rstrip()
    mark = end[len(end.rstrip(".!?")) :]
    found: list[tuple[str, str, str]] = []
    sentences = SENTENCE.split(text.strip())
    # Between commas after a word called out: "gods, oren, you're a mess." (played: a
    # deed, "You act: ..."), "well, bessa, what now?"; the word is said to them.
    middle, middle_comma, middle_rest = rest.partition(",")
    called_out = comma == "," and len(head.split()) == 1 and middle_comma and middle_rest.strip()
    for named, asked, before in (
        # After a greeting, the name ends at the sentence's first mark: "hi bessa. what's
        # going on?" (played: said to the room, where "hi bessa, ..." was to her).
        (NAME_ENDS.split(text[greeting.end() :], maxsplit=1)[0] if greeting else "", text, ""),
        (
            head if comma else "",
            (kept_lead(head, rest, comma) if keep_lead else rest.strip()) or text,
            "",
        ),
        (middle if called_out else "", f"{head.strip()}, {middle_rest.strip()}", ""),
        (
            # Not one named with an article: "i'm looking for edda, the cartographer"
            # says who she is, to no one (played: "Edda Venn is not here.").
            closing.group(1)
            if closing is not None
            and closing.start() > 0
            and not ARTICLE.match(closing.group(1).lower())
            else "",
            # Only the sentence the name closes: "hello tamsin. who are you, bessa?"
            # asks Bessa "who are you?" (played: "Don't know about that, love.").
            SENTENCE.split(text[: closing.start()].rstrip())[-1] + mark
            if closing is not None
            else "",
            " ".join(SENTENCE.split(text[: closing.start()].rstrip())[:-1])
            if closing is not None
            else "",
        ),
    ):
        words = ARTICLE.sub("", LEAD_IN.sub("", named.strip(" ,!.?").lower()))
        if words:
            found.append((words, asked, before))
    # A name closing a sentence before the last: "what does the note mean, juniper? the
    # warm stone?" (played: asked of the DM, and Juniper heard nothing).
    for i, sentence in enumerate(sentences[:-1]):
        # Or after a word of respect, no comma: "um, sorry about that mister crake.
        # who's waiting down there?" (played: "um" said, the rest asked of the DM).
        inner = _TITLED.search(sentence) or _CLOSING_NAME.search(sentence)
        words = ARTICLE.sub("", inner.group(1).lower()) if inner and inner.start() else ""
        if inner is not None and words:
            ends = sentence.rstrip()[-1]
            asked = " ".join([sentence[: inner.start()].rstrip() + ends, *sentences[i + 1 :]])
            found.append((words, asked, " ".join(sentences[:i])))
    # A name called alone after what is asked of them: "everyone ok? edda?" (played:
    # said to the room, and Edda said nothing).
    last = sentences[-1].strip() if len(sentences) > 1 else ""
    if last.endswith(("?", "!")) and 0 < len(last.rstrip("?!").split()) <= 2:
        words = ARTICLE.sub("", last.rstrip("?! ").lower())
        if words and words not in _NOT_A_NAME:
            found.append((words, " ".join(sentences[:-1]), ""))
    # A name opening a sentence after the first: "yes. bessa, what happened to the
    # cartographer?" (played: an answer to a player, then a question to Bessa, asked of
    # the DM and answered with her description).
    for i, sentence in enumerate(sentences[1:], start=1):
        named, comma, rest = sentence.partition(",")
        words = ARTICLE.sub("", LEAD_IN.sub("", named.strip(" !.?").lower()))
        if comma and rest.strip() and words:
            # "got it. come on marla, to the cellar": the lead-in kept here too (played:
            # "to the cellar" was said to her, and she stayed where she had waited).
            asked = kept_lead(named, rest) if keep_lead else rest.strip()
            found.append((words, " ".join([asked, *sentences[i + 1 :]]), " ".join(sentences[:i])))
    return found


def comma_left_out(world: World, actor: Character, text: str) -> str | None:
    """``text`` with the comma chat leaves out after a name put before a question:
    "crake what are you doing here" -> "crake, what are you doing here?" (the mark
    added when the first word asks), when the name (one or two words) is of someone of
    the world or a player here; None otherwise. Played: "You try to crake what are
    you doing here."."""
    said = text.split()
    for n in (2, 1):
        opener = said[n].lower().strip(",") if len(said) > n else ""
        if opener not in _ASKING_OPENERS or said[n - 1].endswith((",", ".", "!", "?")):
            continue
        name = " ".join(said[:n]).lower()
        npc = any(search.score(t, name) == 2 for t in search.npcs(world, actor.room))
        if not (npc or player_beside(world, actor, name) is not None):
            continue
        asked = " ".join(said[n:])
        if opener not in _TO_YOU and asked[-1] not in "?!.":
            asked += "?"  # it asks, as its first word says
        return f"{' '.join(said[:n])}, {asked}"
    return None


#: Words that open a question put to someone: "crake what ...", "bessa do you ...".
_ASKING_OPENERS_TEXT = (
    "what what's where where's who who's why how how's when which whose do does did can "
    "could would will are is have has got you"
)
_ASKING_OPENERS = frozenset(_ASKING_OPENERS_TEXT.split()) | {"you're", "you've", "you'll"}
#: Openers of words to "you" that ask nothing: "grimbold you're hurt!" (played: "You try
#: to grimbold you're hurt.").
_TO_YOU = frozenset({"you", "you're", "you've", "you'll"})


def _head(text: str) -> tuple[str, str, str]:
    """``text`` parted at its first comma, or at a "!" or "?" with more said after it: (before,
    the mark, after); ("", "", text) when there is neither."""
    found = _HEAD_MARK.search(text)
    if found is None:
        return "", "", text
    return text[: found.start()], found.group(0).strip(), text[found.end() :]


#: Where a name opening a line ends: a comma (a Chinese or Japanese one too: played,
#: "zoe、こっちに来て！" was a deed the room read), or a "!" or "?" with more after it.
_HEAD_MARK = re.compile(r"[,、]|[!?]+\s+(?=\S)")
ARTICLE = re.compile(r"^(?:the|an?)\s+")
#: A word said before the name a line opens with: "alright pell, want to come up with
#: me?" (played: asked of the innkeeper, the one who talks here).
LEAD_IN = re.compile(
    r"^(?:alright|all\s+right|ok(?:ay)?|right|well|so|now|look|listen|aye|yes|yeah|no"
    r"|nah|oh|ah|come\s+on|thanks|thank\s+you|cheers|sorry|here)\s+(?=\S)"
)
#: Lead-ins that carry meaning, kept with what is said: "sorry hollis, dozed off" says
#: "sorry, dozed off" to him (played: "dozed off"); "alright" is no part of it.
_MEANT_LEAD = re.compile(
    # "here mira, drink this": "here, drink this" to her (played: "You try to here ...").
    r"^(sorry|thanks|thank\s+you|cheers|yes|yeah|aye|no|nah|here|come\s+on)\s+(?=\S)",
    re.IGNORECASE,
)


def bare_lead(text: str) -> re.Match[str] | None:
    """The lead-in ``text`` opens with (``LEAD_IN``) when it carries no meaning of its
    own ("so bessa." -> "so "; not "thanks tansy", which thanks her); None otherwise.
    Pure."""
    return None if _MEANT_LEAD.match(text) else LEAD_IN.match(text)


def kept_lead(head: str, rest: str, mark: str = ",") -> str:
    """What a line said to the one named in ``head`` says: ``rest``, after a lead-in
    of ``head`` that carries meaning ("sorry, " of "sorry hollis"), with the ``mark``
    that ended the name when it was a "!" or "?" ("thanks! you're too kind" of "thanks
    ash! you're too kind": played, "thanks, you're too kind"); "" when nothing follows
    the name. Pure; ``commands`` calls it for a name with no comma after it."""
    if not rest.strip():
        return ""
    lead = _MEANT_LEAD.match(head.strip())
    after = mark if mark[:1] in ("!", "?") else ","
    return f"{lead.group(1)}{after} {rest.strip()}" if lead is not None else rest.strip()


NAME_ENDS = re.compile(r"[,.!?;、。]")
#: Where one sentence of a line ends and the next begins.
SENTENCE = re.compile(r"(?<=[.!?])\s+")
