"""Is each sentence of a model's answer fit to show? A gate on a narration, sentence by sentence.

The grounding gate (``mud.dm.grounding``) lets a model's answer through at its first
word about the scene. A small local model (SmolLM2-135M, played with two players on
2026-12-04) passes it and then writes what no player should read: it echoes the
prompt's shape ("[WIS check 22 vs DC 12: success by 10]", "Oriel Ironbark (exit:
1-2-3): «I have a new piece of work»"), invents rolls that contradict the engine's,
invents people and places ("The island was called Lirien"), puts words in mouths ("“Oriel
arrives,” he said"), talks about itself or the story ("What an amazing story."), and says
one sentence twice over. None of that is a label the text filter can strip: it is the
sentence itself that is wrong.

So the chain holds each sentence of a model's fresh answer until it ends and asks
``Vetting`` whether it is fit. A fit sentence is shown whole; the first unfit one ends
the answer there, and the rest is never shown (the provider's stream is closed). An
answer whose first sentence is unfit shows nothing and the next tier answers (the
offline narrator at the end of the chain), as for an answer about something else.

A sentence is unfit (``Vetting.reason`` says which rule, for the log) when, outside the
player's own words:
- ``format``: it carries the prompt's marks (« » [ ] { } < > ( ) | * # _ or a URL), its
  capitalised abbreviations ("WIS", "DC", "HP"), a colon spaced off the word before it
  ("The world : the Drowned Warden walks in", round 57) or a label, a name and a colon
  ("Pell and Wren The Marsh: The Marsh will return.", played 2026-12-07);
- ``number``: it has a number neither the player typed nor the engine's facts state
  (the engine owns every number; prose spells its few numbers out);
- ``self``: the narrator speaks as itself ("I", "my", "we") where it narrates (a talk
  speaks as the NPC and an ask answers out of character: both may say "I");
- ``meta``: it speaks of the telling (story, narrator, prompt, player, game, AI,
  sentence, Dungeon Master), except in an ask, which is out of character, and a
  milestone's, which may say the story has turned a page;
- ``speech``: it quotes words nobody here said (a narration quotes the player's words,
  or a builder's text already shown, never new ones; a talk is the NPC's speech);
- ``stranger``: a capitalised word inside it (not its first) names no one and nothing
  of the scene ("Lirien", "O'Reilly's", "Mine Lady"), or it brings in a creature,
  person or place of another story that the scene does not have (``_ELSEWHERE``: the
  dragons, knights and kingdoms a small model drifts to; played 2026-12-07, a bog rat's
  fight told as "a big black dragon of great power" to both players): the model is
  inventing;
- ``thing``: it furnishes the place with what the scene does not have (``_FURNISHINGS``:
  the tables, candles, carpets and windows a small model puts in every room; played
  2026-12-07 in the old mill, "They are sitting by a table with candles on it."); not
  as a figure ("a carpet of moss", "still as a table"), and not the words that are
  more often figures or verbs than furniture (a blanket of fog, a bed of reeds, the
  path shelves down: left off the list, found in review);
- ``runon``: a second sentence runs on inside it, its opening word capitalised after a
  word and before a small one ("Bram and Nell enter The Sunken Shrine The two have just
  entered the shrine of a powerful woman", played in round 57);
- ``tense``: it is told in the past, as a story is, two past forms in it (``_PAST``):
  "In front of it stood a large, ancient stone door that creaked ominously and sagged
  ..." (played in round 57); a narration tells what happens now (an NPC's answer, an
  ask's and a milestone's may tell the past);
- ``fragment``: it ends at a line break with no mark of a sentence's end ("The world:
  the world of", played 2026-12-07 in the eel-catcher's fight, read by both players
  as a line of its own);
- ``speech`` counts a quote of a turn the engine worded (an arrival, a fight's round, a
  milestone: ``_ENGINE_WORDED``) as nobody's but the builder's shown text: SmolLM2
  wrote 'Yuki says "Yuki is here."' of one walking in (played 2026-12-07);
- ``crowd``: with one player there and no one of the world, it tells of others with
  them ("you're both", "each other", "the other person": SmolLM2 on Yuki coming into
  the Common Room alone, played 2026-12-07);
- ``persona``: a talk's answer reads out the builder's description of the one it speaks
  as (played in round 57: Crake, asked of the key on the floor, "adds" "Shifty, fearful
  and sly; swears he is just a fisherman.", his persona's first words): most of its
  words are that description's; or it tells of them by their name, as of another
  ("Bessa Thorn is the one who did the digging ...", in Bessa's own mouth);
- ``repeat``: it says again what a sentence before it in the same answer said (most
  of its words the same, of the same people);
- ``echo``: it is only names of the scene, the room's, its people's and things', with
  nothing done or seen (SmolLM2 echoing the prompt's turn line, played 2026-12-07:
  "The Old Mill Pell and Wren (scene, enter) The old mill…", its label stripped by
  the text filter before the gate reads it; or a heading, "The Drowned Lantern."). Such
  a sentence says nothing wrong: it is left out and the answer goes on, and an answer
  of nothing else is unfit;
- ``person``: written for two or more players there (``addressee`` None), it says
  "you" or "your" where nobody here said it: the model wrote to one reader, and the
  others read another's "you" as their own (played 2026-12-07: SmolLM2's "Shaking the
  rain off your cloak and nodding to the other stranger.", read by both). A talk
  speaks as the NPC to its listener and an ask answers its asker: both may.

These are the rules a narration worth reading keeps anyway (``tests/test_dm_vetting.py``
runs the offline narrator's own output and hand-written good narrations through them),
so the gate costs a good model only the wait for each sentence's end. It is applied to
the providers ``DmSettings.vet`` names: ``local`` (the default: the chain's ``local``
tier, where the small models that need it are served), ``all`` or ``off``.

Pure: no I/O, clock or randomness; one ``Vetting`` per provider attempt.
"""

from __future__ import annotations

import itertools
import re

from mud.core.narration import NarrationRequest, addressee, npc_character, npc_name
from mud.dm.grounding import COMMON_WORDS, scene_keys, word_keys
from mud.dm.textfilter import ends_a_sentence

#: Marks of the prompt's shape (and of markdown) that prose never needs; a bracket too,
#: the shape of a turn's "Rook (scene, enter)" (played 2026-12-07: "Rook and Yuki (the
#: Rook's name is) are going to the market.", read by both).
_FORMAT = re.compile(r"[«»\[\]{}<>|*#_()]|://")
_DIGITS = re.compile(r"\d+")
#: A label opening a sentence: names alone, then a colon ("Bessa Thorn:", "Pell and Wren
#: The Marsh:", and with a space before it, "Bram and Nell : The room is filled ..."
#: at the mill loft, played in round 57); not a colon after words of a sentence
#: ("below the Common Room: go down").
_LABEL = re.compile(r"\W*(?:[A-Z][\w'’-]*(?:,?\s+and\s+|,?\s+))*[A-Z][\w'’-]*\s*:")
_ABBREVIATION = re.compile(r"\b[A-Z]{2,}\b")
#: A colon with a space before it, which no sentence of prose has: a label's ("The world :
#: the Drowned Warden walks in ...", played in round 57 in the Warden's fight).
_SPACED_COLON = re.compile(r"\w\s+:")
_SELF = frozenset(
    [
        "i",
        "i'm",
        "i've",
        "i'll",
        "i'd",
        "me",
        "my",
        "mine",
        "myself",
        "we",
        "we're",
        "we've",
        "we'll",
        "us",
        "our",
        "ours",
        "ourselves",
    ]
)
_META = frozenset(
    [
        "story",
        "stories",
        "storyteller",
        "narrator",
        "narrators",
        "narration",
        "narrate",
        "narrates",
        "narrating",
        "prompt",
        "prompts",
        "player",
        "players",
        "game",
        "games",
        "gameplay",
        "ai",
        "chatbot",
        "assistant",
        "sentence",
        "sentences",
        "severity",
    ]
)
_META_PAIRS = (("dungeon", "master"), ("game", "master"), ("language", "model"))
#: What another story has, that a narration of this one names only when its scene does:
#: where a small model drifts (SmolLM2: dragons, knights, the meaning of life).
_ELSEWHERE = frozenset(
    """dragon dragons knight knights kingdom kingdoms castle castles wizard wizards witch
    sorcerer sorceress magician princess prince king queen emperor empire battlefield army
    armies elf elves dwarf dwarves orc orcs goblin goblins unicorn unicorns fairy fairies
    monster monsters giant giants troll trolls spaceship galaxy planet universe robot robots
    computer internet""".split()  # noqa: SIM905
) | frozenset(
    # And people no one here is: "The old man looked at the ledger." in the tollhouse,
    # "sees a small child" on the salt bank (played 2026-12-07). Not "guard" ("sets a
    # guard") nor "figure" ("figures it out"): words of deeds too.
    """man men woman women child children boy boys girl girls stranger strangers servant
    servants soldier soldiers villager villagers sailor sailors crowd lady ladies gentleman
    gentlemen""".split()  # noqa: SIM905
)
#: The furniture of a room a small model fills any place with, that a narration names
#: only where the scene has it (played 2026-12-07 in the old mill, a room of millstones,
#: dust and a ladder: "They are sitting by a table with candles on it. ... The floor is
#: covered in paper, so there's no carpet left.", read by both players). Not what anyone
#: wears or carries (a cloak, a fiddle): those come in with people.
_FURNISHINGS = frozenset(
    """table tables chair chairs candle candles candlestick carpet carpets rug rugs
    bookshelf bookshelves bookcase bookcases painting paintings portrait portraits
    fireplace fireplaces sofa sofas couch couches desk desks vase vases clock clocks piano
    throne thrones chandelier chandeliers tapestry tapestries wardrobe wardrobes cabinet
    cabinets paper papers window windows television corridor corridors hallway
    hallways""".split()  # noqa: SIM905
)
#: A furnishing word as a figure, not a thing: "a carpet of moss", "still as a table".
_FIGURE = re.compile(r"^(?:\s+of\b)")
#: The words that join names without saying anything of them ("The Old Mill, Pell and Wren").
_LINKS = frozenset(["the", "a", "an", "and", "of", "in", "at", "on", "to", "with"])
_SECOND = frozenset(
    ["you", "your", "yours", "yourself", "yourselves", "you're", "you've", "you'll", "you'd"]
)
_WORDS = re.compile(r"[A-Za-z][A-Za-z'’-]*")
# A sentence ends at . ! ? or … (maybe then closing quotes) and whitespace, or a line break.
_END = re.compile(r"[.!?…]+[\"'”’»)]*(?=\s)|\n")
_OPEN_QUOTES = "“„"
_CLOSE_QUOTES = "”"
#: Words that open a clause, after which a capital is no name ("He said: The ...").
_CLAUSE_MARKS = ":;—–"
#: A sentence with at least ``_REPEAT_MIN`` words of note repeats one before it when
#: ``_REPEAT_SHARE`` of them are the same (a fight's parallel blows share only a few).
_REPEAT_MIN = 4
_REPEAT_SHARE = 0.75
#: The verbs after one's own name that tell of oneself as of another: "Bessa Thorn is the
#: one who did the digging" in Bessa's own mouth (played in round 57).
_OF_ONESELF = r"(?:is|was|has|had|does|did|says|said|will|would|can|could|knows|thinks)\b"
#: A sentence with at least ``_PERSONA_MIN`` words of the builder's description of the
#: NPC a talk speaks as, ``_PERSONA_SHARE`` of its words, reads that description out.
_PERSONA_MIN = 3
_PERSONA_SHARE = 0.6


#: Words that open a sentence, and inside one are written small: capitalised inside a
#: sentence before a small word, a sentence ran on without its end ("Bram and Nell enter
#: The Sunken Shrine The two have just entered ...", played in round 57).
_OPENERS = frozenset(
    "The A An He She They It We His Her Their Its There This That These Those Then But".split()  # noqa: SIM905
)
_RUN_ON = re.compile(r"(?<=[\w,])\s+(?P<opener>[A-Z][a-z]*)\s+(?P<next>[a-z][\w'-]*)")


#: The kinds of request whose ``text`` the engine worded ("Yuki arrives", "combat round
#: 2", "Pell completes The Map"), not the player: a quote in their narration is of the
#: builder's shown text or of no one (played 2026-12-07, SmolLM2 on Yuki's arrival:
#: 'Yuki says "Yuki is here."', passed because her name was in the engine's line).
_ENGINE_WORDED = frozenset({"enter", "scene", "combat", "milestone", "ambient"})
#: Others with the one here, where there is no one else (played 2026-12-07, SmolLM2 on
#: one player coming in: "you're both in the same room. You look at each other").
#: Of people only: not "stalls lean against each other" nor "the roads cross each other"
#: (the builder's own words; found in review).
_CROWD = re.compile(
    r"\b(?:(?:you|they|we)(?:'re|’re|\s+are)?\s+both|both\s+of\s+(?:you|them|us)"
    r"|(?:you|they|we)(?:\s+[\w'’]+){1,3}\s+(?:each\s+other|one\s+another)"
    r"|the\s+two\s+of\s+(?:you|them|us)"
    r"|the\s+other\s+(?:person|people|man|woman))\b",
    re.I,
)


#: The past tense of a told story, which a narration of what happens now is not in
#: (SmolLM2, played in round 57: "In front of it stood a large, ancient stone door that
#: creaked ominously and sagged beneath a heavy wooden floor."; "The room was an old,
#: darkened space that had been transformed ... as you walked through the corridors.").
_PAST = frozenset(
    """was were stood lay sat went came saw seemed looked walked turned stretched creaked
    sagged began stepped entered watched waited""".split()  # noqa: SIM905
)
#: How many past forms make a sentence one told in the past (one may be backstory:
#: "where Edda once sat"; "others walked past").
_PAST_MOST = 2
#: What makes the word after it a participle, not the past: "has stood", "had been".
_PERFECT = frozenset({"has", "have", "had", "having", "'ve", "'d"})


def _told_past(words: list[str]) -> bool:
    """Whether ``words`` (a sentence's, normalised) tell it in the past: ``_PAST_MOST``
    past forms, not after "has", "have" or "had". A talk, an ask and a milestone may
    tell the past ("Edda went up those stairs and never came down.")."""
    past = sum(
        1 for i, w in enumerate(words) if w in _PAST and (i == 0 or words[i - 1] not in _PERFECT)
    )
    return past >= _PAST_MOST


def _runs_on(narration: str) -> bool:
    """Whether ``narration`` (a sentence's words outside quotes) runs a second sentence
    on inside it: one of ``_OPENERS`` capitalised after a word, not a clause's mark, and
    then a small word ("... The Sunken Shrine The two have ..."; "The Sunken Shrine"
    itself, a name, goes on with a capital)."""
    return any(m.group("opener") in _OPENERS for m in _RUN_ON.finditer(narration))


def _norm(word: str) -> str:
    return word.lower().replace("’", "'").strip("'-")


class Vetting:
    """The sentence gate for one model answer to ``request``.

    ``feed`` takes the answer's text as it streams and returns the sentences fit to show
    now (whole, in order); ``finish`` returns the last one if it is fit and whole. The
    first unfit sentence sets ``stopped``, ``reason`` (the rule) and ``rejected`` (the
    sentence); nothing after it is returned. A sentence of names alone is left out and
    counted in ``skipped``; an answer of nothing else is stopped at ``finish``.
    ``sentences`` counts those let through. Never raises.
    """

    def __init__(self, request: NarrationRequest) -> None:
        self._kind = request.kind
        self._scene = scene_keys(request)
        # The words that may be quoted: the player's and the builder's; of a turn the
        # engine worded ("Yuki arrives", "combat round 2"), the builder's alone.
        # (And the room's own words: "a painted board reads "Wick's Lamps and Sundries."",
        # found in review.)
        own = " ".join(
            (request.room.name, request.room.description, *request.shown)
            if request.kind in _ENGINE_WORDED
            else (request.text, *request.shown)
        )
        room = request.room
        people = (
            request.actor or "",
            *request.party,
            *request.audience,
            *room.occupants,
            *room.npcs,
        )
        self._people = frozenset(word_keys(" ".join(people)))
        self._names = self._people | word_keys(" ".join((room.name, *room.items)))
        self._said = word_keys(own)  # words that may be quoted: the player's, the builder's
        self._numbers = frozenset(_DIGITS.findall(" ".join((request.text, *request.outcome.facts))))
        self._abbreviations = frozenset(_ABBREVIATION.findall(request.text))
        # One player alone, with no one of the world: there is no "each other" here.
        self._alone = (
            len({*room.occupants, *request.audience, *request.party}) <= 1 and not room.npcs
        )
        # Who reads it: several, in the third person, unless a talk or an ask answers.
        self._many = (
            request.kind not in ("talk", "ask")
            and len(request.audience) > 1
            and addressee(request.actor, request.audience) is None
        )
        self._said_you = frozenset(_norm(w) for w in _WORDS.findall(own)) & _SECOND
        # A talk's NPC described by the builder: words for the narrator, not for them.
        self._character = frozenset(word_keys(npc_character(request)))
        # And the NPC's own name, which they do not say of themself as of another.
        speaker = npc_name(request)
        names = sorted({speaker, speaker.split(" ")[0]} - {""}, key=len, reverse=True)
        self._self_named = (
            re.compile(r"^\W*(?:" + "|".join(map(re.escape, names)) + r")\s+" + _OF_ONESELF, re.I)
            if names
            else None
        )
        self._buf = ""
        self._in_quote = False
        self._seen: list[frozenset[str]] = []
        self.sentences = 0
        self.skipped = 0  # sentences of names alone, left out (``echo``)
        self.stopped = False
        self.reason: str | None = None
        self.rejected = ""  # the unfit sentence, for the log

    def feed(self, text: str) -> str:
        """Add the next piece of the answer; the whole fit sentences it completes."""
        if self.stopped or not text:
            return ""
        self._buf += text
        out: list[str] = []
        while not self.stopped:
            end = _END.search(self._buf)
            if end is None:
                break
            cut = end.end()
            sentence, self._buf = self._buf[:cut], self._buf[cut:]
            if sentence.strip():
                out.append(self._take(sentence))
            else:
                out.append(sentence)
        return "".join(out)

    def finish(self) -> str:
        """The answer is over: its last sentence, if it is fit and whole, else "". An
        unfinished one is never shown, whether the model ran out of tokens or stopped
        (played: "... that lead to different areas within the", "A man stands before a
        villa with the shape of the"); an answer with no whole sentence is stopped
        (``reason`` "cut")."""
        if self.stopped:
            return ""
        rest, self._buf = self._buf, ""
        if rest.strip() and not ends_a_sentence(rest):
            if not self.sentences:
                self.stopped = True
                self.reason = "cut"
                self.rejected = rest.strip()
            return ""
        last = self._take(rest) if rest.strip() else rest
        if not self.sentences and self.skipped and not self.stopped:
            self.stopped = True  # names alone, and nothing else
            self.reason = "echo"
        return last

    def _take(self, sentence: str) -> str:
        reason = self._unfit(sentence)
        if reason == "echo":
            self.skipped += 1
            self.rejected = sentence.strip()
            return ""
        if reason is not None:
            self.stopped = True
            self.reason = reason
            self.rejected = sentence.strip()
            self._buf = ""
            return ""
        self.sentences += 1
        return sentence

    # -- the rules ---------------------------------------------------------------------

    def _split(self, sentence: str) -> tuple[str, list[str]]:
        """The sentence's narration (its words outside quotes) and its quoted spans. A
        quote may run on from the sentence before (``_in_quote`` carries it)."""
        outside: list[str] = []
        quoted: list[str] = []
        span: list[str] = []
        for ch in sentence:
            opening = ch in _OPEN_QUOTES or (ch == '"' and not self._in_quote)
            closing = ch in _CLOSE_QUOTES or (ch == '"' and self._in_quote)
            if not self._in_quote and opening:
                self._in_quote = True
                outside.append(" ")
            elif self._in_quote and closing:
                self._in_quote = False
                quoted.append("".join(span))
                span = []
                outside.append(" ")
            elif self._in_quote:
                span.append(ch)
            else:
                outside.append(ch)
        if span:
            quoted.append("".join(span))
        return "".join(outside), quoted

    def _unfit(self, sentence: str) -> str | None:
        if sentence.endswith("\n") and sentence.strip() and not ends_a_sentence(sentence):
            return "fragment"
        narration, quoted = self._split(sentence)
        if (
            _FORMAT.search(sentence)
            or _LABEL.match(narration)
            or _SPACED_COLON.search(sentence)
            or any(a not in self._abbreviations for a in _ABBREVIATION.findall(narration))
        ):
            return "format"
        if any(n not in self._numbers for n in _DIGITS.findall(sentence)):
            return "number"
        words = [_norm(w) for w in _WORDS.findall(narration)]
        if self._kind not in ("talk", "ask") and any(w in _SELF for w in words):
            return "self"
        if self._kind not in ("ask", "milestone") and (
            any(w in _META for w in words)
            or any(pair in _META_PAIRS for pair in itertools.pairwise(words))
        ):
            return "meta"
        if self._kind != "talk":
            for span in quoted:
                spoken = word_keys(span)
                if spoken and len(spoken & self._said) * 2 < len(spoken):
                    return "speech"
        if not quoted and len(word_keys(narration)) >= 2 and all(map(self._joins_names, words)):
            return "echo"
        if self._many:
            # Outside quotes any "you"; inside them one nobody here said (the player's
            # line echoed back to them in the second person).
            quoted_words = [_norm(w) for span in quoted for w in _WORDS.findall(span)]
            if any(w in _SECOND for w in words) or any(
                w in _SECOND and w not in self._said_you for w in quoted_words
            ):
                return "person"
        if self._alone and _CROWD.search(narration):
            return "crowd"
        if self._stranger(sentence) or any(
            w in _ELSEWHERE and not word_keys(w) & self._scene for w in words
        ):
            return "stranger"
        if self._furnishes(narration):
            return "thing"
        if _runs_on(narration):
            return "runon"
        if self._kind not in ("ask", "talk", "milestone") and _told_past(words):
            return "tense"
        if self._self_named is not None and self._self_named.match(narration):
            return "persona"
        keys = frozenset(word_keys(sentence))
        if (
            self._character
            and len(keys & self._character) >= _PERSONA_MIN
            and len(keys & self._character) >= _PERSONA_SHARE * len(keys)
        ):
            return "persona"
        if len(keys) >= _REPEAT_MIN:
            for earlier in self._seen:
                if keys & self._people != earlier & self._people:
                    continue  # the same deed of another ("Dov sets a guard. Maren sets a guard.")
                shared = len(keys & earlier)
                most = max(len(keys), len(earlier))
                if len(earlier) >= _REPEAT_MIN and shared >= _REPEAT_SHARE * most:
                    return "repeat"
        self._seen.append(keys)
        return None

    def _furnishes(self, narration: str) -> bool:
        """Whether ``narration`` names a piece of furniture (``_FURNISHINGS``) the scene
        has not, as a thing there: not as a figure ("a carpet of moss", "as still as a
        table"), nor where the player's words or the scene name it."""
        for m in _WORDS.finditer(narration):
            word = _norm(m.group())
            if word not in _FURNISHINGS or word_keys(word) & self._scene:
                continue
            before = narration[: m.start()].lower().split()[-2:]
            if _FIGURE.match(narration[m.end() :]) or "as" in before or "like" in before:
                continue
            return True
        return False

    def _joins_names(self, word: str) -> bool:
        """Is ``word`` (normalised) a name of the scene, or a word joining names?"""
        keys = word_keys(word)
        return word in _LINKS or (bool(keys) and keys <= self._names)

    def _stranger(self, sentence: str) -> bool:
        """Does a capitalised word past the sentence's first (and past a quote's or a
        clause's opening) name nothing of the scene?"""
        first = True
        for m in _WORDS.finditer(sentence):
            word = m.group()
            before = sentence[: m.start()].rstrip()
            opens = not before or before[-1] in _OPEN_QUOTES + '"' + _CLAUSE_MARKS
            if first or opens:
                first = False
                continue
            if not word[0].isupper() or word == "I":
                continue
            low = _norm(word)
            if low.endswith("'s"):
                low = low[:-2]
            if low in COMMON_WORDS or len(low) < 3:
                continue
            if not (word_keys(low) & self._scene):
                return True
        return False


__all__ = ["Vetting"]
