"""Is a model's answer about this scene at all? A gate on a narration's first words.

A small local model (SmolLM2-135M, played with on 2026-12-01) sometimes answers a turn in
the tunnel with a paragraph about dragons and the meaning of life: well-formed text, no
label to strip, nothing the engine contradicts, and nothing to do with the game. The
text filter cannot catch it (it removes what a narration must not contain, not what it
fails to be about), so the chain asks this gate before a model's first word is shown.

The rule: a narration is *grounded* once one of its words names something of the
turn: the acting character, anyone or anything in the room, the room's name,
description, exits and sights, the player's own words, the engine's facts, the builder
texts already shown, an NPC's persona. A plural "s" is dropped ("bells" is "bell"),
then words are compared by their first five letters ("lanterns" and "lantern",
"watery" and "water" match; "wading" and "wade" do not), and short words (three or four
letters: "eel", "rat", "key") only whole. Common words
("the", "there", "would", "something") never count. Answers open with the actor or what
they did almost always, so the gate usually opens on the first or second word and costs
no waiting; it decides *off topic* only after ``window`` words without one grounded
word. An answer that ends before that is let through: a short line of atmosphere
("Sparks drift up the flue.") need not name anything, and the answers to stop ramble on
(the ones seen: "To create a story, you need to take a few steps. You ..."). Not on a
tier whose answers are vetted (``short_passes=False``, where the small models are
served): SmolLM2, asked to set the scene of the Cartographer's Room on 2026-12-07,
answered "A moment of silence is a public rebuke to all that would kill an hour.", and
it reached the player; there an answer that ends naming nothing of the scene is off
topic, and the offline narrator, which always names it, tells the turn.

Pure: no I/O, clock or randomness; one ``Grounding`` per provider attempt. The chain
(``mud.dm.chain``) holds the attempt's text until ``feed`` says ``GROUNDED`` and fails
over to the next tier on ``OFF_TOPIC``, as it does on a provider error; nothing of an
off-topic answer reaches a player.
"""

from __future__ import annotations

import re
from enum import Enum

from mud.core.narration import NarrationRequest

#: Words a narration about anything at all uses; they ground nothing.
_COMMON_TEXT = """a an the and or but if then than so as at by for from in into of off on onto
out over to up down with without within about above after again against all also am any are around
away back be been before being below between both can could did do does doing done each
even ever every few get gets got had has have having he her here hers him his how i is
it its itself just know knew like made make many may me might more most much must my
near never no nor not now once one only other our ours own perhaps quite rather really
same see seem seems shall she should some something somehow someone still such take
taken tell that their theirs them there these they thing things this those though
through thus till time too under until upon us very was way we well were what when where
whether which while who whom whose why will would yet you your yours yourself yourselves
moment moments little long world life else feel feels felt look looks looked seemed
makes want wants need needs ways kind sort maybe almost enough another others everyone
everything nothing anything anyone nobody somebody"""
COMMON_WORDS = frozenset(_COMMON_TEXT.split())

_WORD = re.compile(r"[A-Za-z][A-Za-z'-]*")


class Verdict(Enum):
    """What ``Grounding.feed`` says so far."""

    UNDECIDED = "undecided"
    GROUNDED = "grounded"
    OFF_TOPIC = "off_topic"


def word_keys(text: str) -> set[str]:
    """The comparison keys of ``text``'s words: a long word's first five letters, a
    short word whole; common words and one- or two-letter words left out."""
    out: set[str] = set()
    for raw in _WORD.findall(text):
        word = raw.lower().strip("'-")
        if word.endswith("'s"):
            word = word[:-2]
        if len(word) >= 4 and word.endswith("s") and not word.endswith("ss"):
            word = word[:-1]  # "eels", "bells", "lanterns": as one
        if len(word) < 3 or word in COMMON_WORDS:
            continue
        out.add(word[:5] if len(word) >= 5 else word)
    return out


def scene_keys(request: NarrationRequest) -> frozenset[str]:
    """Every key (``word_keys``) of what ``request`` is about: its actor and party, the
    audience, the room (name, description, exits, occupants, the world's people there,
    items, features, sights, sounds, smells, vocabulary, the pack's name and tone), the
    player's words, the facts and a fight's deeds, the builder texts shown and the NPC
    persona."""
    room = request.room
    parts: list[str] = [
        *(f"{b.actor} {b.action} {b.target}" for b in request.outcome.beats),
        room.pack_name,
        room.tone,
        request.actor or "",
        *request.party,
        *request.audience,
        request.text,
        *request.outcome.facts,
        *request.shown,
        request.npc_persona,
        *request.npc_manner,
        room.name,
        room.description,
        *room.exits,
        *room.occupants,
        *room.npcs,
        *room.items,
        *room.features,
        *room.sights,
        *room.sounds,
        *room.smells,
        *room.vocabulary,
        *room.ambience,
    ]
    return frozenset(word_keys(" ".join(parts)))


class Grounding:
    """The gate for one answer to ``request``: ``feed`` it the answer's text as it
    streams; it says ``GROUNDED`` at the first word that names something of the scene,
    ``OFF_TOPIC`` once ``window`` words have none, ``UNDECIDED`` before either (then
    ``finish`` decides at the end of the answer: a shorter one passes, when
    ``short_passes``). Once decided, the verdict stays."""

    def __init__(
        self, request: NarrationRequest, *, window: int = 24, short_passes: bool = True
    ) -> None:
        self._scene = scene_keys(request)
        self._window = window
        self._short_passes = short_passes
        self._tail = ""  # an unfinished last word, kept until the next piece
        self._words = 0
        self.verdict = Verdict.UNDECIDED

    def feed(self, text: str) -> Verdict:
        """Take the next piece of the answer; the verdict so far."""
        if self.verdict is not Verdict.UNDECIDED:
            return self.verdict
        text = self._tail + text
        # The last word may go on in the next piece: judge only whole words.
        cut = len(text)
        while cut > 0 and (text[cut - 1].isalpha() or text[cut - 1] in "'-"):
            cut -= 1
        self._tail = text[cut:]
        return self._judge(text[:cut])

    def finish(self) -> Verdict:
        """The answer is over: one still undecided (shorter than the window) is let
        through when ``short_passes``, else off topic; an answer of no words at all is
        off topic."""
        if self.verdict is Verdict.UNDECIDED:
            self._judge(self._tail)
            self._tail = ""
            if self.verdict is Verdict.UNDECIDED:
                passes = self._words and self._short_passes
                self.verdict = Verdict.GROUNDED if passes else Verdict.OFF_TOPIC
        return self.verdict

    def _judge(self, text: str) -> Verdict:
        for raw in _WORD.findall(text):
            self._words += 1
            if word_keys(raw) & self._scene:
                self.verdict = Verdict.GROUNDED
                return self.verdict
            if self._words >= self._window:
                self.verdict = Verdict.OFF_TOPIC
                return self.verdict
        return self.verdict


__all__ = ["COMMON_WORDS", "Grounding", "Verdict", "scene_keys", "word_keys"]
