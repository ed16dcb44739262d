"""What the builders wrote, shown first: pure helpers that turn content text into lines.

Called by ``mud.engine.game`` (searches and talk) and ``mud.engine.commands`` (ask). The
rule they serve: whatever a builder wrote for a moment (a feature's ``success`` or
``failure``, an NPC's ``greeting``, ``knows`` and ``unknown``, a quest's step text) is
shown by the engine, verbatim and sanitised, as a line of its own before the Dungeon
Master adds colour. The narrator is told which texts were shown (``AskNarration.shown``)
so it can build around them instead of replacing them.

Nothing here raises; every function is deterministic.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Callable, Collection, Iterable, Mapping, Sequence
from functools import lru_cache

from mud.core.markup import esc, tag
from mud.core.outputs import Doc
from mud.engine import party, resets, search, stealth
from mud.engine.effects import Effect, Tell, ToRoom
from mud.engine.parser import opens_question, sentences
from mud.engine.state import Character, World
from mud.render.grammar import (
    capitalise,
    definite,
    in_place,
    indefinite,
    place,
    plural,
    singular,
    strip_article,
)
from mud.render.sanitize import clean
from mud.world.model import NpcTemplate, PackInfo, QuestStep, QuestTemplate, gates_open

#: Said by an NPC with no ``unknown`` line of its own, when asked what it does not know.
DEFAULT_UNKNOWN = "I don't know about that."

_WORD = re.compile(r"[a-z][a-z'\-]*")
# Words that say nothing about the topic of a question. Not "below" or "beneath": "who is
# below?" beside Crake asks of "the one below" (played: the DM's "Nothing you have seen
# or heard yet answers that.").
_STOP = frozenset(
    """
    a an the and or but if of to in on at by for from with about into onto over under up
    down out off than then so as is are was were be been being am do does did done have has
    had having can could will would shall should may might must i me my mine you your yours
    we us our he him his she her it its they them their this that these those there here
    what where when who whom whose why how which any some all not no yes please tell know
    knows say said ask asked talk hear heard think thought go goes went gone going come came
    get got let like just really very much many more most anything something nothing
    everything anyone someone hello hi hey greetings well oh ok okay thanks thank love
    sir madam again still also else above behind beside inside near around
    mean means meant time always never ever perhaps maybe everyone everybody anybody
    somebody nobody ready one ones friend mate lad lass easy only
    since after before while until because though yet ago lately recently asking telling
    saying asks tells says
    """.split()  # noqa: SIM905 (a word list reads better as text)
)
_WHAT_NEXT = re.compile(
    r"\b(next|first|now|start|begin|quest|quests|stuck|hint|goal|task|tasks)\b"
    r"|\b(what|where|how)\b.*\b(do|go|try|look)\b"
    # Back after a while: "where was i? what was i doing" (played, round 57: "That is
    # not known to you yet"), "remind me what we're doing".
    # The question whole, not words to a companion after it ("what are we doing
    # tonight bob", found in review).
    r"|\bwhere\s+(?:was|were)\s+(?:i|we)(?:\s+again)?\W*$"
    r"|\bremind\s+(?:me|us)\s+(?:what|where|how|who|which|why)\b"
    r"|\bwhat\s+(?:was|were|am|are)\s+(?:i|we)\s+(?:doing|up\s+to)(?:\s+(?:again|now|here))?\W*$"
    r"|\bwhat\s+(?:we're|i'm)\s+(?:doing|up\s+to)(?:\s+(?:again|now|here))?\W*$",
    re.IGNORECASE,
)


def plain(text: str) -> str:
    """Builder text made safe for a terminal (no control bytes) on one line."""
    return clean(" ".join(text.split()))


def _stem(word: str) -> str:
    word = word.strip("'-")
    if word.endswith("'s"):
        word = word[:-2]
    if len(word) > 4 and word.endswith("ies"):
        return word[:-3] + "y"
    if len(word) > 3 and word.endswith("s") and not word.endswith("ss"):
        return word[:-1]
    return word


#: A contraction ("didn't", "I'm", "we'll", "you've"): a function word, never a topic.
_CONTRACTION = re.compile(r"(?:n't|'m|'re|'ve|'ll|'d)$")


#: A price asked: "how much?", "what's the fare?", "what does it cost".
_PRICE_ASKED = re.compile(r"\bhow\s+much\b|\b(?:price|fare|fee|charge)s?\b", re.I)
#: A reward asked in other words: "what's the pay like?", "what does it pay?", "who's
#: paying us?", "is there a bounty?", "what's in it for me?" (not "I'll pay for the stew").
_REWARD_ASKED = re.compile(
    # Not any "paying": "who's paying for the drinks?" (found in review) asks no reward.
    r"\b(?:bounty|payment)\b|\b(?:the|it|job)\s+pay\b|\bpays?\s+well\b"
    r"|\bwho'?s\s+paying\s+(?:us|me)\b|\bin\s+it\s+for\s+(?:me|us)\b",
    re.I,
)


def keywords(text: str) -> frozenset[str]:
    """The topic words of ``text``: lower-cased, stemmed, without function words (nor
    contractions: "don't you know?" is not about a fact that says "don't")."""
    # A function word is known before its stem: "this" is not "thi", "does" not "doe"
    # (played: "this place" shared "thi" with every fact that says "this").
    words = (_stem(w) for w in _WORD.findall(text.lower()) if w not in _STOP)
    found = {w for w in words if len(w) >= 3 and w not in _STOP and not _CONTRACTION.search(w)}
    if _PRICE_ASKED.search(text):
        # "how much?" of a crossing is its cost (played: Gannet's "costs nothing" was
        # never said to "crossing. how much?", whose words were all function words).
        found.add("cost")
    if _REWARD_ASKED.search(text):
        # Played: "whats the pay like for finding her?" was the DM's "You do not know
        # that yet", beside the innkeeper whose fact tells of her reward.
        found.add("reward")
    return frozenset(found)


def match_knows(knows: Sequence[str], question: str) -> str | None:
    """The ``knows`` fact that best answers ``question`` (most shared topic words; the
    first written wins a tie), or None when no fact shares a topic word with it."""
    best = _best_facts(knows, keywords(question), question)
    return knows[best[0]] if best else None


_SUBJECT = re.compile(
    r"^(He|She|It)\s+((?:always|never|often|sometimes|still|only|also|rarely|seldom|usually"
    r"|just|once)\s+)?(\w+)"
)
_POSSESSIVE = re.compile(r"^(His|Her|Its)\s+")
_AGREE = {"is": "am", "has": "have", "does": "do", "was": "was", "goes": "go"}
#: What the speaker owns or does to themselves, said of them in the third person.
_OWN = re.compile(r"\b(?:hers|himself|herself|itself)\b", re.IGNORECASE)
_MINE = {"hers": "mine", "himself": "myself", "herself": "myself", "itself": "myself"}


def _first_person_verb(verb: str) -> str:
    """``verb`` as said after "I", when it is said after "he/she/it" in the present
    ("walks" -> "walk", "carries" -> "carry", "watches" -> "watch", "is" -> "am");
    anything else (a past, "will", "never") unchanged."""
    word = verb.lower()
    if word in _AGREE:
        return _AGREE[word]
    if word.endswith("ies") and len(word) > 4:
        return verb[:-3] + "y"
    if word.endswith(("sses", "shes", "ches", "xes", "zes")):
        return verb[:-2]
    if word.endswith("s") and not word.endswith(("ss", "us", "is")) and len(word) > 3:
        return verb[:-1]
    return verb


#: "..., did Harl." at a fact's end: the fact's "He" is Harl, whoever says it.
_TAG = re.compile(
    r",\s*(?:did|does|do|is|was|has|had|will|would|could|can)\s+"
    r"((?:[A-Z][\w'’-]*\s*)+)[.!]?\s*$"
)
#: The possessive of each subject pronoun, said of the speaker as "my".
_THEIR = {"he": "his", "she": "her", "it": "its"}
#: Words after which "her" is the object ("told her to wait"), not the possessive.
_NOT_OWNED = frozenset(
    """to and or but that when if as at in on by for with from again back a an the out up
    down off away so then too once now here there""".split()  # noqa: SIM905
)


def pronoun_of(npc: NpcTemplate) -> str | None:
    """ "he" or "she": how the builder's own words about ``npc`` (its description,
    persona and intro) speak of it, by the pronouns they use more; None when neither
    (a creature, or words that say neither). Pure."""
    words = _WORD.findall(" ".join((npc.description, npc.persona, npc.intro)).lower())
    he = sum(w in ("he", "him", "his", "himself") for w in words)
    she = sum(w in ("she", "her", "hers", "herself") for w in words)
    if he == she:
        return None
    return "he" if he > she else "she"


def in_voice(fact: str, npc: NpcTemplate | None = None) -> str:
    """A ``knows`` fact as the NPC would say it of themselves: a fact that starts with
    "He/She/It" about the NPC becomes "I" ("It will not give the lantern back." -> "I will
    not give the lantern back."), "His/Her/Its" becomes "My", and the same pronoun's
    possessive later in it "my" ("her husband dug the adit" -> "my husband"). A fact
    whose pronoun is not ``npc``'s (``pronoun_of``: a woman's "He carved his name") or
    that names its subject in a closing tag ("..., did Harl.") is about someone else,
    and unchanged; so is anything else."""
    fact = plain(fact)
    m = _SUBJECT.match(fact)
    pronoun = m.group(1).lower() if m is not None else ""
    tag = _TAG.search(fact)
    if npc is not None and tag is not None and tag.group(1).split()[0] not in npc.name.split():
        return fact  # "He carved his name into every bench, did Harl."
    own = pronoun_of(npc) if npc is not None else None
    if own is not None and pronoun in ("he", "she") and pronoun != own:
        return fact  # Wenna's "He always said the hill was hollow" is Harl's
    if m is not None:
        verb = (m.group(2) or "") + _first_person_verb(m.group(3))
        rest = fact[m.end() :]
        # "..., and it took the lantern" keeps the same speaker: "..., and I took".
        rest = re.sub(
            rf"\band {pronoun} (\w+)", lambda v: f"and I {_first_person_verb(v.group(1))}", rest
        )
        # "...; past it the marsh is not hers." (tried: "I walks ... not hers").
        rest = _OWN.sub(lambda o: _MINE[o.group(0).lower()], rest)
        # "and her husband dug the adit" (played: "I have kept the gate ..., and her
        # husband dug the adit", of Old Wenna's own husband).
        rest = re.sub(
            rf"\b{_THEIR[pronoun]}\b(?=\s+([a-z]+))",
            lambda o: o.group(0) if o.group(1) in _NOT_OWNED else "my",
            rest,
        )
        return f"I {verb}{rest}"
    p = _POSSESSIVE.match(fact)
    if p is not None:
        return "My " + fact[p.end() :]
    return fact


def says(room: str, speaker: str, words: str) -> Effect:
    """An NPC's line, shown to everyone in ``room`` (the speaker's name as written)."""
    return ToRoom(room, _npc_line(speaker, "says", words))


def _npc_line(speaker: str, verb: str, words: str) -> Doc:
    """An NPC's line as text: ``Bessa Thorn says, "..."`` (``verb`` "says")."""
    # Builder text quoting someone ("notes 'somewhere warm'") keeps its own marks.
    mark = "'" if '"' in words else '"'
    said = tag("say", esc(words))
    return Doc.text(f"{tag('npc', esc(speaker))} {verb}, {mark}{said}{mark}")


#: "what else?", "anything more?", "tell me more", "tell us more", "go on": the next
#: thing an NPC knows that the asker has not heard from them.
_MORE = re.compile(
    r"^\W*(?:and\s+|so\s+)?(?:what\s+else|anything\s+(?:else|more)|what\s+more|what\s+then"
    r"|(?:do\s+you\s+know|is\s+there)\s+(?:anything\s+)?(?:else|more)|and\s+then"
    r"|(?:tell\s+(?:me|us)\s+|say\s+)?more(?=\s*(?:about\b|[.!?]*$))|go\s+on(?=[\s.!?]*$))\b",
    re.IGNORECASE,
)
#: A greeting that opens a line said to someone: "hello", "good evening", "well met".
GREETING = re.compile(
    r"^\W*(?:hello|hallo|hullo|hi|hiya|hey|heya|greetings|hail|howdy|ho|oi|well met"
    r"|(?:good\s+)?(?:morning|afternoon|evening|day|night|morrow))\b[\s,!.]*(?:there\b[\s,]*)?",
    re.IGNORECASE,
)
#: A farewell that opens a line said to someone: "goodbye, Bessa", "farewell".
FAREWELL = re.compile(
    r"^\W*(?:good\s*bye|bye|farewell|cheerio|so\s+long|see\s+you)\b[\s,!.]*", re.IGNORECASE
)
#: A line that tells rather than asks: "we found her notes", "Bessa, I saw the lights".
_TELLING = re.compile(
    r"^(?:[^,]{0,40},\s*)?(?:i|we|she|he|they|it|i'm|we're|we've|i've|we'll|i'll|there's"
    r"|that's|she's|he's|they're)\b",
    re.IGNORECASE,
)
#: A line that asks the one spoken to to do something with the speaker, not to tell
#: anything: "let's get you home", "come with us", "follow me".
_PROPOSING = re.compile(
    r"^(?:[^,]{0,40},\s*)?(?:let'?s|let\s+us|come\s+(?:with|along)|follow\s+(?:me|us)|come\s+on)\b",
    re.IGNORECASE,
)
#: Words that point back at what was last talked of ("where did she go?", "why?").
_BACK = re.compile(
    r"\b(?:she|he|they|it|her|him|them|that|there|then|why|where|how)\b", re.IGNORECASE
)


#: A line that is only a reaction to what was said: "why?", "how so?", "really?".
_REACTION = re.compile(
    r"^\W*(?:but\s+|and\s+)?(?:why(?:\s+not)?|how\s+so|how|really|truly|is\s+that\s+so"
    r"|you\s+think\s+so)\W*$",
    re.IGNORECASE,
)


#: Asking where a place is, or the way there ("where did she go?" asks of a person).
_WHERE_IS = re.compile(
    r"\bwhere(?:\s+is|\s+are|'s|\s+lies)\b|\bwhich\s+way\b|\bway\s+to\b"
    r"|\bhow\b.*\b(?:get|go|reach)\s+to\b",
    re.I,
)


def _asks_where(text: str) -> bool:
    """Whether ``text`` asks where a place is or the way to it ("where is the mill?",
    "which way to the chapel?"), not where someone went."""
    return _WHERE_IS.search(text) is not None


def asks_more(text: str) -> bool:
    """True for "what else?", "tell me more", "go on": the next thing an NPC knows."""
    return _MORE.search(text) is not None


#: Asking for the news: "what's going on?", "any news?", "what's happening here?",
#: "what's wrong?", "heard any rumours?".
_NEWS = re.compile(
    r"\bwhat(?:'s|\s+is|\s+has\s+been)\s+(?:going\s+on|happening|been\s+happening|new|wrong"
    r"|the\s+matter|the\s+news|the\s+trouble)"
    r"(?=\s*(?:[?.!,;]|$|(?:here|in\s+town|around\s+here|lately|these\s+days|tonight)\b))"
    r"|\bany\s+(?:news|gossip|rumou?rs?)\b|\bwhat\s+happened\s+(?:here|in\s+town)\b"
    # "what's the deal with this place?", "what's the story here?", "what's up with this
    # town?" (played by a new player in the tavern: said, and no one answered).
    r"|\bwhat(?:'s|\s+is)\s+(?:(?:the\s+(?:deal|story|situation))(?=\s*(?:[?.!,;]|$))|"
    r"(?:the\s+(?:deal|story|situation)|up|going\s+on)\s+(?:(?:with|in|around)\s+)?"
    r"(?:this\s+(?:place|town|village)|the\s+(?:town|village)|(?:around\s+)?here"
    r"|these\s+parts|hollowmere)\b)"
    r"|\b(?:heard|hear)\s+any\s+(?:news|rumou?rs?|gossip)\b"
    # Asking for work is asking what is wrong here: "is there any work?", "ask bessa for
    # a job", "do you need help with anything?" (played: "Don't know about that, love.").
    r"|\b(?:any|some|got|have|looking\s+for|need)\s+(?:\w+\s+)?(?:work|jobs?|tasks?|errands?|quests?)\b"
    r"|\bfor\s+(?:a\s+|some\s+|any\s+)?(?:job|work|task|quest|errand)\b"
    r"|\bneed\s+(?:any\s+|some\s+)?help\b|\b(?:can|could|may)\s+(?:i|we)\s+help\b",
    re.I,
)
#: Asking for a fight: "where are the monsters?", "anything to kill around here?",
#: "where can I find a fight?" (played by one come to fight, of the DM: "You do not know
#: that yet", beside the innkeeper who keeps the town's news). The news too (``asks_news``).
_FIGHT_ASKED = re.compile(
    r"(?:\bwhere\s+are|\bare\s+there\s+any|(?:^|[.!?,]\s*)any)\s+(?:the\s+)?"
    r"(?:monsters|beasts|creatures|enemies|baddies)"
    # Not "any enemies here?", "... nearby?": of this room, the DM's (found in review:
    # answered with the next quest step, the way to another place, beside Crake).
    r"(?:\s+in\s+town)?(?=\s*(?:[?.!,;]|$))"
    r"|\b(?:any|some)thing\s+(?:to|i\s+can|we\s+can)\s+(?:kill|fight|slay|hunt)\b"
    r"|\bwhere\s+(?:can|do|should)\s+(?:i|we)\s+(?:go\s+to\s+)?(?:fight|kill|hunt|slay"
    r"|find\s+(?:a\s+|some\s+)?(?:fight|action|monsters|trouble))\b",
    re.I,
)


#: A question of what one went through: "what was it like down there?", "how was it?",
#: "what happened to you?".
_ORDEAL = re.compile(
    r"\bwhat\s+was\s+it\s+like\b|\bhow\s+was\s+it\b"
    r"|\bwhat\s+happened\s+(?:to\s+you|down\s+there|out\s+there|there|below)\b"
    r"|\btell\s+(?:me|us)\s+(?:about\s+it|what\s+happened)\b"
    # "edda what did u find down there?" (played, Edda home: "No bearing on that").
    r"|\bwhat\s+did\s+you\s+(?:find|see)\s+(?:down\s+there|out\s+there|there|below)\b",
    re.I,
)
_ORDEAL_WORDS = keywords("like happened down there out below under tell find see")


#: What to do, asked of one of the people of the world: "what should I do?", "where do
#: I start?", "anything I can do?" (of the DM, ``asks_what_next``'s).
_TO_DO_ASKED = re.compile(
    r"\bwhat\s+(?:should|do|can|could|shall|must)\s+(?:i|we)\s+do\b(?!\s+(?:with|about|to|for)\b)"
    r"|\bwhere\s+(?:do|should|can)\s+(?:i|we)\s+(?:start|begin)\b"
    r"|\banything\s+(?:i|we)\s+(?:can|could)\s+do\b",
    re.I,
)


#: The news put as a topic alone: "ask bessa about rumours", "ask the innkeeper about
#: work", "bessa, any quests?" (played by one who came to fight: "Don't know about that,
#: love.", from the innkeeper who keeps the town's news).
_NEWS_TOPIC = re.compile(
    r"^\W*(?:(?:the|any|some|local|latest|recent|your)\s+)*(?:news|rumou?rs?|gossip|work"
    r"|jobs?|quests?|tasks?|errands?|troubles?|happenings|adventures?|latest|goings[\s-]+on)"
    r"(?:\s+(?:here|around\s+here|in\s+town|lately|hereabouts))?\W*$",
    re.I,
)

#: The words a threat put as a topic asks of ("danger"), as keywords.
_THREAT_WORDS = keywords("danger dangerous")


def threat_asked(said: str) -> bool:
    """True for a threat put as a topic alone ("monsters", "the dangers here"). Pure."""
    return _THREAT_TOPIC.match(said) is not None


def with_threat_words(said: str) -> str:
    """``said``, with the words of danger after it when it puts a threat as a topic:
    what another is asked of, to send the asker on (``who_knows``). Pure."""
    return f"{said} danger dangerous" if threat_asked(said) else said


#: Work asked for, as a topic or a question ("ask bessa about work", "any jobs?").
_WORK_ASKED = re.compile(r"\b(?:work|jobs?|quests?|tasks?|errands?)\b", re.I)

#: A threat put as a topic alone ("ask bessa about monsters"): asked of the facts that
#: say "danger"; with none, of another who has one; with no one, the news, as an
#: innkeeper would tell a sellsword of the trouble in town (``npc_reply``).
_THREAT_TOPIC = re.compile(
    r"^\W*(?:(?:the|any|some|local)\s+)*(?:monsters?|beasts?|creatures?|dangers?|threats?"
    r"|evil|enemies|foes?|fights?|fighting|killing|bounty|bounties)"
    r"(?:\s+(?:here|around\s+here|in\s+town|hereabouts))?\W*$",
    re.I,
)


def asks_news(text: str) -> bool:
    """True for a question after the news ("what's going on?", "any news?") or for work
    ("any work?", "do you need help?"): of one of the people of the world, what they
    know; of the DM, what to do next."""
    return _NEWS.search(text) is not None or _FIGHT_ASKED.search(text) is not None


def asks_fight(text: str) -> bool:
    """True for a question after a fight ("where are the monsters?", "anything to kill
    around here?"). Pure."""
    return _FIGHT_ASKED.search(text) is not None


def foes_about(world: World, char: Character, limit: int = 3) -> str:
    """The foes ``char`` could fight now in rooms they have stood in (alive, attacking on
    sight, with stats), nearest first, at most ``limit``, as a sentence: " Foes about: the bog
    rat, in the Smugglers' Tunnel (down from here, then down)."; "" when there are
    none. Said to one asking for a fight once the story has nothing left for them
    (played by one come to fight, after Homecoming: "go where you like", and no word of
    the rat back in the tunnel). Pure."""
    seen = set(char.visited) | {char.room}
    found: list[tuple[int, str, str]] = []
    for npc in world.npcs.values():
        tmpl = world.templates.npcs[npc.id]
        if not npc.alive or not tmpl.aggressive or tmpl.stats is None or npc.room not in seen:
            continue  # the beasts that attack on sight, not Crake with his cudgel
        where = in_place(world.templates.rooms[npc.room].name)
        if npc.room == char.room:
            found.append((0, definite(tmpl.name), f"{where} (here)"))
            continue
        route = route_to(world, char, npc.room)
        if route and not _guarded_way(world, char.room, route[:-1]):
            found.append((len(route), definite(tmpl.name), f"{where} ({said_route(route)})"))
    found.sort()
    if not found:
        return ""
    return (
        " Foes about: " + "; ".join(f"{name}, {where}" for _n, name, where in found[:limit]) + "."
    )


@lru_cache(maxsize=4096)
def told_mark(npc_id: str, fact: str) -> str:
    """The ``Character.revealed`` entry saying its holder heard ``fact``, one of
    ``npc_id``'s ``knows``, from them, so the NPC tells them something else next time.
    It names the fact by its words (a digest), not its place in the list: played, a
    fact written into the middle of Bessa's made a player's journal show, as heard, the
    news she gives only once Edda is home. A fact whose words change is not heard yet."""
    digest = hashlib.blake2b(" ".join(fact.lower().split()).encode(), digest_size=6)
    return f"fact:{npc_id}:{digest.hexdigest()}"


def _old_told_mark(npc_id: str, index: int) -> str:
    """A mark written before ``told_mark`` named facts by their words: by place."""
    return f"told:{npc_id}:{index}"


def heard_facts(npc: NpcTemplate, char: Character) -> set[int]:
    """The indices of ``npc``'s ``knows`` facts that ``char`` heard from them."""
    revealed = set(char.revealed)
    return {
        i
        for i, fact in enumerate(npc.knows)
        if told_mark(npc.id, fact) in revealed or _old_told_mark(npc.id, i) in revealed
    }


#: Asking for a bed for the night: "a room for the night", "any beds free?", "somewhere
#: to sleep", "how much for a room?", "two beds for the night?", "beds, please".
_ROOM_WANTED = re.compile(
    r"\b(?:a|any|one|two|three|spare|free|some)\s+(?:rooms?|beds?)\b"
    r"|\b(?:rooms?|beds?)\s+for\s+(?:the\s+night|tonight|us|two)\b"
    # "beds, if you'd be so kind", "beds please" (played, carried in hurt: "Again?
    # Bessa, beds, if you'd be so kind." was said, and no bed given).
    r"|^\W*(?:rooms?|beds?)\b(?!\s+(?:is|are|was|were)\b)"
    r"|\bhave\s+(?:any\s+)?(?:rooms|beds)\b"
    r"|\b(?:somewhere|anywhere|place)\s+to\s+(?:sleep|stay|rest|lie\s+down)\b"
    r"|\bstay\s+the\s+night\b"
    # "can i rest here?", "could we sleep here tonight?" (played beside the Hospice's
    # host: asked of the other player, and alone of the DM, who said nothing).
    r"|\b(?:can|may|could)\s+(?:i|we)\s+(?:sleep|rest|stay|bed\s+down)\s+(?:here|tonight)\b"
    r"|\bfor\s+a\s+room\b",
    re.I,
)


def asks_for_lodging(npc: NpcTemplate, said: str) -> bool:
    """Whether ``said`` to ``npc`` asks it for a room for the night and it has one to
    give (``lodging``). Pure."""
    return bool(npc.lodging) and _ROOM_WANTED.search(said) is not None


def replied_mark(npc_id: str) -> str:
    """The ``Character.revealed`` entry saying its holder heard ``npc_id`` answer the
    reply to its greeting's question (``reply_key``): it is not answered twice."""
    return f"replied:{npc_id}"


#: How a yes and a no open as players say them ("aye, we did", "of course", "nope").
_YES = re.compile(
    r"^\W*(?:yes|yeah|yea|yep|yup|aye|sure|indeed|certainly|absolutely|definitely|of\s+course"
    # "we sure did!", "we certainly have" (played: Edda's "I don't know." to it).
    r"|(?:we|i)\s+(?:(?:sure|certainly|surely|really|definitely|absolutely)\s+)?"
    r"(?:did|have|are|am)(?!\s+not\b|n't))\b",
    re.I,
)
_NO = re.compile(r"^\W*(?:no|nope|nah|never|not\s+(?:really|yet|exactly|quite))\b", re.I)


def reply_key(npc: NpcTemplate, actor: Character, said: str) -> str:
    """Which of ``npc``'s ``replies`` answers ``said``, when ``actor`` has heard its
    greeting (met it) and not yet its reply (``replied_mark``): "yes" or "no" for a line
    that opens as one does ("aye, we did", "no, we came for the bell"), else the first
    other key that is a word of the line, the first said ("light" of "I came to light
    a lamp"); "" when none. Pure."""
    # The replies first: most of the people of the world have none, and a say beside
    # them asks this of each (``commands._answered``).
    if not npc.replies or f"met:{npc.id}" not in actor.revealed:
        return ""
    return "" if replied_mark(npc.id) in actor.revealed else answers(npc, said)


def answers(npc: NpcTemplate, said: str) -> str:
    """Which of ``npc``'s ``replies`` ``said`` is the answer of, by its words alone
    (see ``reply_key``), or "". Pure."""
    if not npc.replies:
        return ""
    for key, opens in (("yes", _YES), ("no", _NO)):
        if key in npc.replies and opens.match(said):
            return key
    if opens_question(said):
        # A question of its own is not the answer: "what do you know about the lights?"
        # after "...to light a lamp, or to ask about one?" (tried: the taper's reply).
        return ""
    # The first said of its words: "to ask about the lights" is "ask", not "light".
    keys = {_stem(k): k for k in npc.replies if k not in ("yes", "no")}
    return next((keys[w] for w in (_stem(w) for w in _WORD.findall(said.lower())) if w in keys), "")


def heard(world: World, char: Character) -> list[tuple[str, str]]:
    """(who said it, what they said, in their voice) for each ``knows`` fact ``char``
    has heard from the people of the world (``told_mark``), in the order heard; facts of
    NPCs or lines no longer in the content are left out. For the journal and recall."""
    return [(name, fact) for name, fact, _past in heard_when(world, char)]


def heard_when(world: World, char: Character) -> list[tuple[str, str, str]]:
    """``heard``, each with the name of the quest ``char`` has finished since that ended
    the fact (its ``knows_when`` until), "" while it still holds: the journal marks what
    was so only before ("(told before you finished Homecoming)"; played: a fighter's
    journal, after Edda was home, said she "has been gone three nights"). Pure."""
    out: list[tuple[str, str, str]] = []
    for mark in char.revealed:
        kind, _, rest = mark.partition(":")
        if kind not in ("fact", "told"):
            continue
        npc_id, _, which = rest.rpartition(":")
        npc = world.templates.npcs.get(npc_id)
        if npc is None:
            continue
        if kind == "fact":
            index = next((i for i, f in enumerate(npc.knows) if told_mark(npc_id, f) == mark), -1)
        else:
            index = int(which) if which.isdigit() and int(which) < len(npc.knows) else -1
        if index < 0:
            continue
        until = npc.knows_when[index][1] if index < len(npc.knows_when) else ""
        ended = world.templates.quests.get(until) if until else None
        past = ended.name if ended is not None and char.quests.get(until) == -1 else ""
        out.append((npc.name, in_voice(npc.knows[index], npc), past))
    return out


#: "what did anselm say?", "what did bessa tell us?", "what has crake told me?"
_SAID_BY = re.compile(
    r"^\W*what\s+(?:did|has|had)\s+(?P<who>[a-z][a-z' -]{1,40}?)\s+"
    r"(?:say|said|tell(?:\s+(?:me|us|you))?|told(?:\s+(?:me|us|you))?)\s*(?:again\s*)?[?.!]*$",
    re.IGNORECASE,
)


def said_by(world: World, char: Character, question: str) -> str | None:
    """The answer to "what did <someone of the world> say?": the last two things they
    told ``char`` (``heard``), or that they have told them nothing yet; None for another
    question, or a name of no one of the world. Played: "what did anselm say?" was
    answered with how Anselm looks. Pure."""
    asked = _SAID_BY.match(question.strip())
    if asked is None:
        return None
    who = asked.group("who").lower().removeprefix("the ").strip()
    npc = next(
        (n for n in world.templates.npcs.values() if who == n.name.lower() or who in n.aliases),
        None,
    )
    if npc is None:
        return None
    facts = [fact for name, fact in heard(world, char) if name == npc.name][-2:]
    if not facts:
        return f"{npc.name} has told you nothing yet. ('talk to {who}' asks.)"
    told = " and ".join(f"'{f}'" if '"' in f else f'"{f}"' for f in facts)
    return f"{npc.name} told you: {told}. ('journal' keeps all you have heard.)"


def recall(world: World, char: Character, question: str) -> str | None:
    """What ``char`` heard that best answers ``question`` ("who is Crake?" after Tobin
    spoke of him), as "Tobin Wick told you: '...'"; None when nothing heard shares a
    topic word with it. Called by ``ask`` for a question the DM has no other answer to."""
    facts = heard(world, char)
    best = _best_facts([fact for _, fact in facts], keywords(question))
    if not best:
        return None
    name, fact = facts[best[-1]]  # the latest heard of the best: the freshest word
    mark = "'" if '"' in fact else '"'
    return f"{name} told you: {mark}{fact}{mark}"


def _name_words(npc: NpcTemplate) -> frozenset[str]:
    """The topic words of ``npc``'s own name and aliases: "hello, Bessa" asks her nothing."""
    return keywords(" ".join((npc.name, *npc.aliases)))


def guarded(
    world: World, actor: Character, templates: Iterable[str], *, seen: bool = False
) -> list[Effect]:
    """What the NPCs in ``actor``'s room say as ``actor`` picks up things of the item
    ``templates`` there: each NPC whose ``guards`` names one says its line, once, when
    it sees ``actor`` (not hidden from it, or ``seen``: brought out of hiding by the
    taking) and is not in a fight. Called by ``get``. Played: the rusty key left
    Crake's loft and Crake, watching, said nothing."""
    taken = set(templates)
    fighting = actor.room in world.fights
    said: list[Effect] = []
    for npc in world.npcs_in(actor.room):
        tmpl = world.templates.npcs[npc.id]
        sees = seen or stealth.seen_by_npc(world, npc.id, actor)
        line = next((tmpl.guards[t] for t in tmpl.guards if t in taken), "")
        if line and sees and not fighting:
            said.append(says(actor.room, tmpl.name, plain(line)))
    return said


def says_to(who: str, speaker: str, words: str) -> Effect:
    """An NPC's line to the character ``who`` alone ("Bessa Thorn says to you, ...")."""
    return Tell(who, _npc_line(speaker, "says to you", words))


#: A question of what a thing is for: "what's this key for?", "what does it open?".
_PURPOSE = re.compile(
    r"\bwhat(?:'s|\s+is|\s+are|\s+was|\s+does|\s+do|\s+did)\b[^?.!]*?"
    r"\b(?:for|open|opens|unlock|unlocks|fit|fits)\s*[?.!]*\s*$",
    re.I,
)
#: What a fact telling what a thing is for says: it opens, unlocks or fits something.
_PURPOSE_WORDS = frozenset({"open", "unlock", "fit"})


#: What opens a fact told again to one who heard it.
AGAIN = "As I said: "


#: What a question pointing back asks of its one ("what happened to her?", "why did she
#: leave?"): words that name no topic of their own.
_BACK_VERBS = frozenset(
    "happened happen happening doing done leave left went gone going come came"  # noqa: SIM905
    " say said want wanted mean meant".split()
)


def _last_heard(npc: NpcTemplate, actor: Character, knows: Sequence[str]) -> int | None:
    """The index in ``knows`` (``facts``) of the fact ``actor`` heard from ``npc`` last
    (the newest of its ``told_mark`` in ``actor.revealed``), or None."""
    marks = {told_mark(npc.id, fact): i for i, fact in enumerate(knows) if fact}
    for mark in reversed(actor.revealed):
        if mark in marks:
            return marks[mark]
    return None


#: The last world's ``alias_words``, by its templates (one entry, as ``_PEOPLE``).
_ALIASES: list[tuple[object, Mapping[str, frozenset[str]]]] = []


def alias_words(world: World) -> Mapping[str, frozenset[str]]:
    """For ``npc_reply``'s ``people``: each topic word of the ``aliases`` of a person of
    the world one talks with (not a foe) that is not of their name ("lodger",
    "cartographer"), mapped to the topic words of their name ({"edda", "venn"}); a word
    more than one of them goes by names no one. Computed once for each set of
    templates; the mapping is shared, not to be changed."""
    templates = world.templates
    if _ALIASES and _ALIASES[0][0] is templates:
        return _ALIASES[0][1]
    found: dict[str, frozenset[str]] = {}
    shared: set[str] = set()
    for npc in templates.npcs.values():
        if npc.hostile:
            continue
        name = keywords(npc.name)
        for word in keywords(" ".join(npc.aliases)) - name:
            if word in found and found[word] != name:
                shared.add(word)
            found[word] = name
    words = {w: name for w, name in found.items() if w not in shared}
    _ALIASES[:] = [(templates, words)]
    return words


def npc_reply(
    npc: NpcTemplate,
    actor: Character,
    said: str,
    topic: str = "",
    place: str = "",
    *,
    present: Collection[str],
    people: Mapping[str, frozenset[str]] | None = None,
    asked: bool = False,
    threat_elsewhere: bool = False,
) -> tuple[list[Effect], list[str], list[int]]:
    """What ``npc`` says, in the builder's words, when ``actor`` talks to it saying ``said``.

    The first time (``met:<npc id>`` not in ``actor.revealed``) it greets with its
    ``greeting``. A question that shares topic words with a ``knows`` fact is answered
    with that fact, in the NPC's voice: of the facts that share the most, the first the
    asker has not heard from it (``told_mark``), so asking again tells more; when every
    one was heard, the best is said again, opened by ``AGAIN`` ("As I said: ..."). "What
    else?" gets the next fact not heard yet (on its topic, if it names one). A question
    with no topic of its own that points back ("where did she go?", "why?") is about
    ``topic``, the words of the questions just asked, and what the asker heard of it:
    it gets the fact not heard yet that shares most with those (a bare "why?" or
    "really?" whose fact was heard gets no line: it is not said again). One that shares
    nothing gets its ``unknown`` line (or ``DEFAULT_UNKNOWN``) when it asks (``asked``:
    a topic or question put with 'ask', not a request to do, ``game.talk_to``; else by
    its words, ``_asks_something``), as does "what else?" when everything has been
    told; but a question that names a place (``place``, from
    ``place_line``: "The Old Mill? South from here.") more than any fact gets the way
    there instead. A greeting after the first meeting gets the greeting again; other
    small talk gets no line (the narrator tells their manner). "Who are you?"
    (``asks_who``, nothing else asked) gets its ``intro`` (or "I'm <name>."); "are you
    hurt?" and "how are you?" get no line of theirs (the narrator tells their manner);
    either after the greeting, the first time. "What will you do now?" (nothing else
    asked) gets the fact that says where their story stands (``plans_told``), when the
    story has opened one. An NPC with no greeting, intro, knows or unknown line (a bog
    rat) says nothing.
    A threat put as a topic ("ask bessa about monsters") asks of the facts that say
    "danger"; none saying it, it is the news, unless another could be named as knowing
    (``threat_elsewhere``, ``with_threat_words``: then the ``unknown`` line, and the
    caller sends the asker on).
    Asked for a room for the night (``asks_for_lodging``), it says its ``lodging``
    line and nothing else. An answer to the question its greeting asked (``reply_key``:
    "yes", "aye, we did") gets its reply, once, then, when the line is a question, the
    fact the rest of it asks of, if one shares a word with it. Words of the NPC's own
    name are not topics; one naming another person of the world by a word of their
    ``aliases`` ("your lodger"; ``people``, ``alias_words``) asks of them by name
    too; a question of what a thing is for ("what's this key for?")
    also asks of the facts that say what opens, unlocks or fits what. Returns (effects
    for the room, the lines said, for the narrator; the indices of the ``knows`` facts
    told).
    """
    if not talks(npc):
        return [], [], []
    lines: list[str] = []
    knows = facts(npc, actor, present)
    heard = heard_facts(npc, actor)
    if asks_for_lodging(npc, said):
        # "Bessa, can we get a room for the night?": played, her lodger's fact ("night").
        lines.append(plain(npc.lodging))
        return [says(actor.room, npc.name, lines[0])], lines, []
    answer = reply_key(npc, actor, said)
    if answer:
        # "Yes, Bessa sent us. Are you hurt?" to the cartographer who asked "You came
        # for me?": played, "No bearing on that, I'm afraid. I don't know.". Her reply,
        # then, when the rest asks something, what she knows of it; nothing when she
        # knows nothing.
        lines.append(plain(npc.replies[answer]))
        rest = keywords(said) - _name_words(npc) - {_stem(answer)}
        asked = said.rstrip().endswith("?")
        told = next((i for i in _best_facts(knows, rest) if i not in heard), None)
        told = told if asked else None  # "to light one, for my brother" asks nothing
        if asked and told is None and any(_HOW_ARE_YOU.search(p) for p in sentences(said)):
            # "yes!! bessa sent us. are you ok??" (played: her reply, and not a word of
            # how she was, which no fact shares "ok" with).
            told = _how_they_are(knows, ())
        if told is not None:
            lines.append(f"{AGAIN if told in heard else ''}{in_voice(knows[told], npc)}")
        told_now = [told] if told is not None else []
        return [says(actor.room, npc.name, line) for line in lines], lines, told_now
    first = f"met:{npc.id}" not in actor.revealed
    farewell = FAREWELL.match(said)
    if farewell is not None and not said.rstrip().endswith("?"):
        # "Goodbye, Bessa": played, a deed ("You try to goodbye Bessa."); no words of
        # theirs answer it, the narrator tells how they see the asker off.
        return [], [], []
    more = asks_more(said)
    own = _name_words(npc)
    threat = threat_asked(said)
    # "Good evening, Bessa" asks her nothing: played, she answered "Don't know about that".
    wanted = keywords(GREETING.sub("", said, count=1)) - own
    if threat:
        # "ask aldith about monsters": her fact of the dangers (found in review: the
        # saint's legend, the first of her news).
        wanted |= _THREAT_WORDS
    if people:
        # "bessa, tell us about your lodger": played, the one fact that said "my lodger"
        # (her locket), never the one that says who Edda is.
        wanted = wanted.union(*(people[w] for w in wanted if w in people)) - own
    if _PURPOSE.search(said):
        # "what's this key for?": played, Crake said whose it is not, not what it opens.
        wanted |= _PURPOSE_WORDS
    # "what was it like down there?" of Edda, home (played: "No bearing on that, I'm
    # afraid.", and the way to Sister Aldith): what they know, as the news is.
    ordeal = [part for part in sentences(said) if _ORDEAL.search(part)]
    news = (
        asks_news(said)
        # "hi brother. im new here, what should i do?" (played in Lanternfall: "That I
        # don't know, pilgrim."): asked of one of them, what to do is what they know.
        or _TO_DO_ASKED.search(said) is not None
        or bool(ordeal and not keywords(" ".join(ordeal)) - own - _ORDEAL_WORDS)
        or _NEWS_TOPIC.match(said) is not None
        # A threat none of their facts names, and none of anyone's they could send the
        # asker to (found in review: "ask bessa about danger" lost its way to Sister
        # Aldith, who knows of the dangers): the news.
        or (threat and not threat_elsewhere and not _best_facts(knows, wanted))
    )
    if news:
        # "I'm new here. What's going on?": played, "Don't know about that, love.". The
        # news is what they know, the next of it not heard, in the order written, but
        # what the story has opened to the asker first (played: Edda, home, asked "any
        # news?", told of following a light onto the marsh).
        more, wanted = True, frozenset()
    plans = plans_told(npc, actor, said, present)
    if plans is not None:
        # "Edda, what will you do now?", the Lamplighter beaten: played, "No bearing on
        # that, I'm afraid. I don't know.", from one who means to walk home. Said again
        # when heard: it is asked of them.
        if npc.greeting and first:
            lines.append(plain(npc.greeting))
        lines.append(in_voice(knows[plans], npc))
        return [says(actor.room, npc.name, line) for line in lines], lines, [plans]
    # Of the sentences that ask it: "yes!! bessa sent us. are you ok??" (played: the
    # answer's own words made it no question of how she was, and she said nothing).
    asking_how = [part for part in sentences(said) if _HOW_ARE_YOU.search(part)]
    how_are_you = bool(asking_how) and not (
        keywords(GREETING.sub("", " ".join(asking_how), count=1)) - own - _STATE_WORDS
    )
    who = (asks_who(said) and not wanted - _SELF_WORDS) or _identified(npc, said)
    if not more and (how_are_you or who):
        if npc.greeting and first:
            lines.append(plain(npc.greeting))
        if who:
            # "Who are you?": played, Bessa said her greeting again, stew and all.
            lines.append(plain(npc.intro) if npc.intro else f"I'm {definite(npc.name)}.")
        # "Are you hurt?" to the cartographer just found: played, "No bearing on that,
        # I'm afraid. I don't know." No words of theirs answer it unless the builder
        # wrote how they are ("She is alright now, not hurt, ..."; played by Edda's fire:
        # "edda, how are you feeling?" got only her manner); the narrator tells how they
        # are, and a model answers in their voice.
        how = _how_they_are(knows, heard) if how_are_you and not who else None
        if how is not None:
            lines.append(
                f"{AGAIN}{in_voice(knows[how], npc)}" if how in heard else in_voice(knows[how], npc)
            )
        told_how = [how] if how is not None else []
        return [says(actor.room, npc.name, line) for line in lines], lines, told_how
    ranked = _ranked(knows, wanted)
    # Whom the NPC last told of: looked up only for a question that points back.
    pointing = not more and not ranked and _BACK.search(said) is not None
    last_heard = _last_heard(npc, actor, knows) if pointing and not keywords(topic) - own else None
    if more:
        # "What else do you know about Edda?": of what is not heard yet, the best on Edda.
        pool = ranked if wanted else [i for i, fact in enumerate(knows) if fact]
        if news and npc.knows_when:
            pool.sort(key=lambda i: not npc.knows_when[i][0])  # opened by a quest: newest
        if news and heard and _WORK_ASKED.search(said):
            # "ask bessa about work" again, the trouble told: what it pays next, as one
            # looking for work asks (her reward is the last fact written, five asks on).
            pool.sort(key=lambda i: "reward" not in keywords(knows[i]))
        ranked = [i for i in pool if i not in heard]
    elif (
        pointing
        and (topic or last_heard is not None)
        and not wanted & keywords(place)
        and not wanted - _BACK_VERBS - keywords(topic)
    ):
        # "Where did she go?" after asking of the cartographer: "she" is the one the
        # answers spoke of, so what was heard of the topic widens it. A place named
        # ("where is the watchtower?" after the shrine) is asked of itself.
        back = keywords(topic) - own
        if not back and last_heard is not None:
            # A topic of no words of its own ("talk to bessa", or none): "her" is whom
            # the NPC last told of (played: a bystander's "what happened to her?" just
            # after Bessa spoke of Edda was "Don't know about that, love.").
            back = keywords(knows[last_heard]) - own
        for i in sorted(heard):
            if back & keywords(knows[i]):
                back |= keywords(knows[i]) - own
        ranked = _ranked(knows, wanted | back)
    else:
        ranked = _best_facts(knows, wanted, said)
        by_place = len(wanted & keywords(place))
        by_fact = len(wanted & keywords(knows[ranked[0]])) if ranked else 0
        # "where is the tollhouse?" asks the way, whatever fact names the place too.
        if ranked and place and (by_place > by_fact or (by_place and _asks_where(said))):
            ranked = []  # "the old mill" is the mill, not the "old sunken shrine"
    topical = bool(wanted) or more or bool(ranked)
    # Greeted again, they greet again; other small talk after meeting ("really?", "ok?")
    # gets no line of theirs (played: the stew greeting, every time), and the narrator
    # tells their manner.
    again = GREETING.match(said) is not None
    if npc.greeting and (first or (not topical and again)):
        lines.append(plain(npc.greeting))
    told = next((i for i in ranked if i not in heard), ranked[0] if ranked else None)
    if told in heard and _REACTION.match(said):
        # "Why?" after the answer: played, she said the same fact again.
        told = None
        topical = False
    if told in heard and _TELLING.match(said) and not said.rstrip().endswith("?"):
        # Told news ("Bessa, we found Edda's notes"), the NPC does not say back what the
        # teller already heard (played: she recited where Edda kept them); the narrator
        # tells how they take it.
        told = None
        topical = False
    if _PROPOSING.match(said) and not said.rstrip().endswith("?"):
        # "Edda, let's get you home": played, her fact of the Lamplighter, who "will not
        # let anyone go home", said over his body. The narrator tells how they take it.
        told = None
        topical = False
    if told is not None and told in heard:
        # Every fact the question asks of was heard: said again as such (played: the
        # innkeeper told two players the same line three times running, word for word).
        lines.append(f"{AGAIN}{in_voice(knows[told], npc)}")
    elif told is not None:
        lines.append(in_voice(knows[told], npc))
    elif topical and place and not more:
        # "Do you know anything about the mill?": played, "Don't know about that, love."
        # from the innkeeper of the town it stands in.
        lines.append(place)
    elif topical and (more or asked or _asks_something(said)):
        # "ask tobin about boots" (played: a polish of a lamp, and no word) asks, though
        # "boots" alone would not.
        lines.append(plain(npc.unknown or DEFAULT_UNKNOWN))
    # Words that ask nothing and that nothing known answers ("don't worry, I'm not here
    # to make trouble") get no "don't know" (played: Crake's "Don't know nothing about
    # that."): the narrator tells how they take them.
    told_facts = [told] if told is not None else []
    return [says(actor.room, npc.name, line) for line in lines], lines, told_facts


#: Words that ask for what one knows without a question mark: "tell me about the mill",
#: or a thing named to them alone, a topic put ("crake, the lights on the marsh").
_ASKS_TO_TELL = re.compile(
    r"\b(?:tell|show)\s+(?:me|us)\b|\bknow\s+(?:of|about)\b|^\W*(?:the|about|and)\s", re.I
)


def _asks_something(said: str) -> bool:
    """Whether ``said`` asks anything: a question mark, a sentence that opens as a
    question does ("is the path safe", "where's the mill"), or "tell me about ...". Pure."""
    return (
        "?" in said
        or _ASKS_TO_TELL.search(said) is not None
        or any(opens_question(part) for part in sentences(said))
    )


def facts(npc: NpcTemplate, char: Character, present: Collection[str]) -> tuple[str, ...]:
    """``npc``'s ``knows`` as they would tell ``char`` now: each fact, or "" for one
    its ``knows_when`` closes to them (its ``after`` quest not finished by ``char``, or
    its ``until`` quest finished) or its ``knows_where`` closes where ``npc`` stands
    (``present``: the ids of the NPCs there, ``present_with``), so a fact's index is the
    same for everyone. Played: the Lamplighter beaten, Edda still said he "will not let
    anyone go home"; and Bessa, Edda by her fire, that her lodger was three nights
    gone. Pure."""
    if not npc.knows_when and not npc.knows_where:
        return npc.knows
    done = {quest for quest, step in char.quests.items() if step == -1}
    when = npc.knows_when or (("", ""),) * len(npc.knows)
    where = npc.knows_where or (("", ""),) * len(npc.knows)
    return tuple(
        fact if gates_open(gate, place, done, present) else ""
        for fact, gate, place in zip(npc.knows, when, where, strict=True)
    )


def in_company(gate: tuple[str, str], present: Collection[str]) -> bool:
    """Whether a fact or emote gated by (``while_here``, ``unless_here``) NPC ids ("" for
    none) may be told or done where the NPCs ``present`` are. Pure."""
    return gates_open(("", ""), gate, (), present)


def opening(pack: PackInfo, present: Collection[str]) -> str:
    """The text of ``pack``'s opening a new character reads where the NPCs ``present``
    are (their ids): the first whose (``while_here``, ``unless_here``) gate holds
    (``in_company``), "" for none. Pure."""
    where = pack.opening_where or (("", ""),) * len(pack.opening)
    return next(
        (text for text, gate in zip(pack.opening, where, strict=True) if in_company(gate, present)),
        "",
    )


def present_with(world: World, npc_id: str) -> frozenset[str]:
    """The ids of the living NPCs in the room where NPC ``npc_id`` stands (itself among
    them), for what it tells or does there (``facts``, ``escort.manner``). Pure."""
    npc = world.npcs.get(npc_id)
    if npc is None:
        return frozenset()
    return frozenset(n.id for n in world.npcs_in(npc.room))


def talks(npc: NpcTemplate) -> bool:
    """Whether ``npc`` has words of its own (a greeting, intro, knows or unknown line):
    a bog rat has none. Pure."""
    return bool(npc.greeting or npc.knows or npc.unknown or npc.intro)


#: A question about the one asked ("who are you?", "what's your name?", "tell me about
#: yourself"); ``npc_reply`` answers it with the NPC's ``intro`` when nothing else is
#: asked with it ("who are you afraid of?" is about something else).
_WHO_YOU = re.compile(
    r"\bwho\s+(?:are|were|might\s+be)\s+you\b|\bwho\s+you\s+are\b|\byour\s+name\b"
    r"|\byourself\b|\bwhat\s+are\s+you\b|\bwhat\s+do\s+you\s+do\b"
    r"|\bwhy\s+are\s+you\s+(?:here|there)\b|\bwhat\s+brings\s+you\b"
    # Where they are from, how long they have been at it: played, "bessa, how long have
    # you run this place?" was "Don't know about that, love.", from one whose intro says.
    r"|\bwhere\s+(?:are|do)\s+you\s+(?:from|come\s+from|hail\s+from)\b|\bare\s+you\s+from\b"
    r"|\bhow\s+long\s+have\s+you\s+(?:been|run|lived|kept|worked|had|owned)\b",
    re.IGNORECASE,
)
#: Words of a "who are you?" that ask nothing else: "what are you doing up here?" (played:
#: Crake's "Don't know nothing about that", and Tobin sent for, who talks of Crake).
_SELF_WORDS = keywords(
    "name yourself introduce here really exactly doing brings long run running lived live"
    " kept worked owned place come from around originally"
)


#: A question about how the one asked is ("how are you?", "are you hurt?").
_HOW_ARE_YOU = re.compile(
    r"\bhow\s+(?:are|do)\s+you\b|\bare\s+you\s+(?:all\s*right|alright|ok|okay|hurt|injured"
    r"|wounded|well|safe|cold|hungry|afraid|scared|frightened|fine|unharmed)\b"
    # "you ok?", "everyone alright?" (played: "everyone ok? edda?" got only her manner).
    r"|\b(?:you|everyone|everybody)\s+(?:all\s*right|alright|ok|okay|hurt|injured|wounded"
    r"|unharmed)\b"
    r"|\bcan\s+you\s+(?:walk|stand|move|get\s+up|make\s+it)\b",
    re.IGNORECASE,
)
_STATE_WORDS = keywords(
    "alright okay hurt injured wounded well safe cold hungry afraid scared frightened fine"
    " unharmed feel feeling doing today walk stand move get make"
)

#: Words a fact says how one is with: "She is alright, not hurt or wounded, ...".
_HOW_ONE_IS = keywords("alright hurt wounded unharmed injured")


def _how_they_are(knows: Sequence[str], heard: Collection[int]) -> int | None:
    """The index of the fact in ``knows`` that says how its teller is (``_HOW_ONE_IS``),
    the first not heard, else the first; None when none does. Pure."""
    saying = [i for i, fact in enumerate(knows) if fact and keywords(fact) & _HOW_ONE_IS]
    return next((i for i in saying if i not in heard), saying[0] if saying else None)


#: A question about what the one asked means to do ("what will you do now?", "what are
#: your plans?", "what's next for you?").
_PLANS = re.compile(
    r"\bwhat\s+(?:will|are|would|do|shall)\s+you\s+(?:do|be\s+doing|going\s+to\s+do"
    r"|gonna\s+do|plan|planning)\b|\bwhat(?:'s|\s+is)\s+next\s+for\s+you\b"
    r"|\byour\s+plans?\b|\bwhere\s+(?:will|are)\s+you\s+(?:go|going|be)\b",
    re.IGNORECASE,
)
_PLAN_WORDS = keywords("now next plan plans planning after then today tonight gonna doing")


def plans_told(
    npc: NpcTemplate, char: Character, said: str, present: Collection[str]
) -> int | None:
    """The ``knows`` fact that answers ``said``, when it asks ``npc`` what they mean to do
    ("what will you do now?", "what are your plans?") and nothing else: the last written
    of the facts the story has opened to ``char`` (an ``after`` quest finished) or that
    company opens (a ``while_here`` NPC there), which say where their story stands (Edda,
    the Lamplighter beaten: "I mean to walk up those stairs on my own two feet"; by
    Bessa's fire, the map she is drawing). None when it asks more, or no such fact is
    open. Pure."""
    if _PLANS.search(said) is None or keywords(said) - _PLAN_WORDS - _name_words(npc):
        return None
    knows = facts(npc, char, present)
    afters = [after for after, _until in npc.knows_when] or [""] * len(knows)
    heres = [here for here, _away in npc.knows_where] or [""] * len(knows)
    opened = [i for i, fact in enumerate(knows) if fact and (afters[i] or heres[i])]
    return opened[-1] if opened else None


def asks_how(text: str) -> bool:
    """Whether ``text`` asks the one it is said to how they are ("how are you?", "are
    you hurt?"). Pure."""
    return _HOW_ARE_YOU.search(text) is not None


#: One said to be someone, or asked whether they are: "you must be Crake", "are you the
#: smuggler?", "you're Tobin, right?" (``address`` finds whom; ``npc_reply`` answers
#: with who they are when the name is theirs).
IDENTIFIED = re.compile(
    r"(?:(?:so|and|ah|oh|then)[,!]?\s+)?"
    r"(?:you\s+must\s+be|you'?re|you\s+are|are\s+you|aren't\s+you|would\s+you\s+be)\s+"
    r"(?P<name>[a-z][\w'-]*(?:\s+[a-z][\w'-]*)?)"
    r"(?:,?\s+(?:right|then|yes|yeah|eh|i\s+presume|i\s+take\s+it|aren't\s+you"
    r"|by\s+any\s+chance))?\s*[.!?]*",
    re.IGNORECASE,
)


def _identified(npc: NpcTemplate, said: str) -> bool:
    """Whether ``said`` is only ``npc`` named as who they are ("you must be Crake")."""
    told = IDENTIFIED.fullmatch(said.strip())
    if told is None:
        return False
    named = keywords(told.group("name"))
    return bool(named) and named <= _name_words(npc)


def asks_who(text: str) -> bool:
    """Whether ``text`` asks the one it is said to who they are ("who are you?", "and
    what's your name?"). Pure."""
    return _WHO_YOU.search(text) is not None


def _ranked(knows: Sequence[str], wanted: frozenset[str], said: str = "") -> list[int]:
    """The indices of the ``knows`` facts that share any of ``wanted``, most shared
    first; among as many, those that share more of the words of ``said`` as written
    ("the lights" is the fact of "the lights on the marsh" before "to light the drowned
    home": tried, the saint's story was told of the lights), then those that name the
    thing ``said`` asks of (``_head_word``), then the order written."""
    scores = [len(wanted & keywords(fact)) for fact in knows]
    written = _written(said)
    same = [len(written & _written(fact)) if written else 0 for fact in knows]
    # Then the fact of the thing asked of: "is there a reward for finding the
    # cartographer?" asks of the reward (played: Bessa told of her lodger instead).
    head = _head_word(said)
    return sorted(
        (i for i, n in enumerate(scores) if n),
        key=lambda i: (-scores[i], -same[i], head not in keywords(knows[i])),
    )


#: Words that open a phrase that only qualifies the thing asked of ("a reward *for*
#: finding her", "what's this *about* a missing cartographer").
_QUALIFIER = re.compile(r"\b(?:for|of|about|to|in|on|with|from|at|by|after|behind|since)\b")


def _head_word(text: str) -> str:
    """The topic word (``keywords``) of the thing ``text`` asks of: the last of the
    first phrase that has one, phrases cut at prepositions ("a missing cartographer" is
    the cartographer, "a reward for finding her" the reward); "" when none."""
    for phrase in _QUALIFIER.split(text.lower()):
        words = [_stem(w) for w in _WORD.findall(phrase)]
        found = keywords(phrase)
        heads = [w for w in words if w in found]
        if heads:
            return heads[-1]
    return ""


#: A line that spoke to someone ("talk to bessa", "ask bessa about edda", "'hello").
_CONVERSING = re.compile(r"^\s*(?:talk|ask|say|tell|')", re.IGNORECASE)


def conversation_topic(
    recent: Sequence[str], spoken: Callable[[str], bool] = lambda _line: False
) -> str:
    """The words of the conversation that ``recent`` (a player's last lines, oldest
    first) ends with: its last run of lines that spoke to someone or asked something,
    for ``npc_reply``'s ``topic`` ("ask bessa about the cartographer", then "where did
    she go?"); "" when the last line did something else. ``spoken``: what else is a
    line said to someone (an answer to an NPC's question: "to ask about the lights")."""
    run: list[str] = []
    for line in reversed(recent):
        if not (_CONVERSING.match(line) or line.rstrip().endswith("?") or spoken(line)):
            break
        run.append(line)
    return " ".join(reversed(run))


def knower(
    npcs: Sequence[NpcTemplate], question: str, char: Character, present: Collection[str]
) -> int | None:
    """The index in ``npcs`` of the one who knows most about ``question`` (a ``knows``
    fact they would tell ``char``, ``facts``, sharing the most topic words with it, not
    counting words of their own names; the first listed wins a tie), or None when none
    knows anything of it. For a question asked aloud, not to anyone: the innkeeper who
    knows answers it."""
    best: tuple[int, int] | None = None
    for i, npc in enumerate(npcs):
        wanted = keywords(question) - _name_words(npc)
        top = max((len(wanted & keywords(fact)) for fact in facts(npc, char, present)), default=0)
        if top and (best is None or top > best[0]):
            best = (top, i)
    return best[1] if best else None


def _written(text: str) -> set[str]:
    """The words of ``text`` as written, lower case, without function words or an
    owner's "'s" ("Edda's" is "edda"), for ``_ranked``'s tie-break."""
    return {w.removesuffix("'s") for w in _WORD.findall(text.lower()) if w not in _STOP}


def _best_facts(knows: Sequence[str], wanted: frozenset[str], said: str = "") -> list[int]:
    """The indices of the ``knows`` facts sharing the most of ``wanted``, those sharing
    more of ``said``'s words as written first, then in the order written (``_ranked``);
    empty when none shares any."""
    ranked = _ranked(knows, wanted, said)
    top = len(wanted & keywords(knows[ranked[0]])) if ranked else 0
    return [i for i in ranked if len(wanted & keywords(knows[i])) == top]


def feature_line(who: str, text: str) -> Effect:
    """A feature's ``success``/``failure`` text, verbatim, for the one who tried: builders
    write it to "you" ("your fingers close on a stoppered bottle"), so the others in the
    room read the roll, what it uncovered and the narration instead."""
    return Tell(who, Doc.text(esc(plain(text))))


def seen_text(actor: Character, text: str) -> str:
    """A feature's ``seen`` text as the others in ``actor``'s room read it, ``{actor}``
    filled in with the finder's name: "Ione lifts the stone: an oilcloth packet, tucked
    in the warm hollow"."""
    return plain(text).replace("{actor}", actor.name)


def asks_what_next(question: str) -> bool:
    """True for a question about what to do ("what should I do first?", "where now?"),
    not one about what someone else did ("where did she go?", "what is he doing now?")."""
    if _OF_A_THING.search(question) is not None:
        return False  # "what does it do?" asks of a thing, not of what to do
    if asks_news(question):
        return True  # "what's going on?" of the DM: the story so far, what to do next
    return _WHAT_NEXT.search(question) is not None and not asks_of_someone(question)


#: "does it", "is this", "can that", "does the hatch": a question about a thing ("what
#: does it do?", "where does the hatch go?").
_OF_A_THING = re.compile(
    r"\b(?:does|do|did|is|can|will|would)\s+(?:it|this|that|these|those)\b"
    r"|\bwhere\s+(?:does|do)\s+(?:the|this|that|these|those)\s+\w",
    re.IGNORECASE,
)


def asks_of_someone(question: str) -> bool:
    """True for a question about what someone else did or where they are ("where did
    she go?", "what is he doing now?")."""
    return _OF_SOMEONE.search(question) is not None


#: "did she", "is he", "have they": a question about someone else's doings.
_OF_SOMEONE = re.compile(
    r"\b(?:did|does|do|is|was|were|has|have|had|will|would|could|can|should|might|must)"
    r"\s+(?:she|he|they)\b|\b(?:she|he|they)(?:'s|'d|'ve)\b|\bwhere'd\s+(?:she|he|they)\b",
    re.IGNORECASE,
)


def next_steps(
    world: World, char: Character, wall: float, asked: str | None = None
) -> list[tuple[str, str]]:
    """(quest name, next step text) for each quest ``char`` can work on now: quests
    begun or open (all they require done), not finished. In the order the packs list
    them; with ``asked`` (the question, "what do I do about the lost foreman?"), the
    quests it names first, then those ``char`` has begun, then the ones only open (played
    in an added pack: "what now?" at the Cutting Face, its quest begun, told the way to
    Hollowmere's first quest, never begun, seven rooms off). A step asking to defeat a
    foe that is dead says when it comes back (at wall time ``wall``; see
    ``resets.gone_for_now``), a step in another room which way it lies (``way_to``), and
    a step naming a locked door whose key was taken from where it lay when another lies
    there (``_key_gone``)."""
    found: list[tuple[QuestTemplate, str]] = []
    for quest in world.templates.quests.values():
        step = char.quests.get(quest.id, 0)
        if step < 0 or step >= len(quest.steps):
            continue
        if any(char.quests.get(r, 0) != -1 for r in quest.requires):
            continue
        found.append((quest, step_text(world, quest.steps[step], wall, char)))
    if asked is not None:
        wanted = keywords(asked)
        # Stable: within each kind the packs' order stands.
        found.sort(key=lambda q: (not wanted & keywords(q[0].name), q[0].id not in char.quests))
    return [(quest.name, text) for quest, text in found]


def step_text(world: World, step: QuestStep, wall: float, char: Character | None = None) -> str:
    """What a quest step asks (plain text), and, for a foe to defeat that is dead, when
    it comes back (at wall time ``wall``; ``resets.gone_for_now``). With ``char``, a step
    to reach a room or search something in one says which way it lies from where they
    stand ("The way lies west from here."): played, "Follow the reed path south" was
    asked at the eel-catchers' landing, whose way to the reed path is west; and a step to
    bring someone home whom ``char`` left behind says where they are (``_escort_where``)."""
    text = plain(world.step_text(step, char.key) if char is not None else step.text)
    if step.trigger.kind == "defeat":
        note = resets.gone_for_now(world, step.trigger.target, wall)
        text = f"{text} ({note})" if note else text
    if char is not None and step.trigger.kind in ("enter", "check"):
        room = step.trigger.target
        if step.trigger.kind == "check":
            room = room.rsplit(":", 1)[0]
        way = way_said(world, char, room)
        if way:
            text = f"{text} (The way lies {way}.)"
    if char is not None and step.trigger.kind == "escort":
        text = f"{text}{_escort_where(world, char, step.trigger.target)}"
    if char is not None:
        gone = _key_gone(world, char, step.text)
        text = f"{text} ({gone})" if gone else text
    return text


def _escort_where(world: World, char: Character, npc_id: str) -> str:
    """For a step to bring ``npc_id`` home, where they are when not beside ``char``, and
    the way there (" (Edda Venn is on the Reed-Marsh Path: the way lies south three times
    from here.)"); "" otherwise. Played: Marigold fell on the reed path bringing Edda
    home, woke in the tavern, and "where is edda?" was answered with her being three
    nights gone."""
    npc = world.npcs.get(npc_id)
    tmpl = world.templates.npcs.get(npc_id)
    if npc is None or tmpl is None or not npc.alive or npc.room == char.room:
        return ""
    where = in_place(world.room(npc.room).name)
    way = way_said(world, char, npc.room)
    return f" ({tmpl.name} is {where}{f': the way lies {way}' if way else ''}.)"


def carried_templates(world: World, char: Character) -> set[str]:
    """The item template ids of what ``char`` carries. Pure."""
    return {world.items[i].template for i in char.inventory if i in world.items}


def _key_gone(world: World, char: Character, text: str) -> str:
    """For a step whose words name a locked door ("Unlock the trapdoor in the tavern
    cellar"), when ``char`` does not carry its key: who of their group has it, or, the
    key gone from the room the builder put it in, that it is, and when another lies
    there (``resets.taken_from``); else "". Played: the next party's "what now?" said
    to unlock the trapdoor, its rusty key carried off by a player gone home, and nothing
    of where another would come."""
    wanted = keywords(text)
    held = carried_templates(world, char)
    for room in world.templates.rooms.values():
        for ex in room.exits:
            door = ex.door
            if door is None or not door.key or door.key in held or not world.door(door).locked:
                continue
            if not wanted & keywords(" ".join((door.name, *door.aliases))):
                continue
            for mate in party.members(world, char.key):
                other = world.chars.get(mate)
                if (
                    mate != char.key
                    and other is not None
                    and door.key in carried_templates(world, other)
                ):
                    # Played: "someone has it" to a member of the group whose leader
                    # carried it.
                    key_name = world.templates.items[door.key].name
                    return f"{other.name} has {definite(key_name)}."
            for home in world.templates.rooms.values():
                gone = resets.taken_from(world, door.key, home.id)
                if gone:
                    return gone
    return ""


#: How many rooms away a quest's place may be and still be pointed to.
WAY_DEPTH = 30


def way_to(world: World, char: Character, room: str) -> str:
    """The direction of the first step on the shortest way from ``char``'s room to
    ``room``, through exits ``char`` can see (a hidden one only once found; a door counts,
    since it can be opened or unlocked); "" when they stand there, when ``room`` is not
    in the world or when no way of at most ``WAY_DEPTH`` steps is known. Pure."""
    route = route_to(world, char, room)
    return route[0] if route else ""


def way_said(world: World, char: Character, room: str) -> str:
    """The whole way from ``char``'s room to ``room`` as the people of the world tell it
    ("north from here, then east twice": ``said_route`` of ``route_to``), "" when
    ``way_to`` is "". Played: "where can I buy potions?" at the Sunken Shrine was "Tobin
    Wick, in Wick's Lamps and Sundries (north from here)", five rooms away. Pure."""
    return said_route(route_to(world, char, room))


def route_to(world: World, char: Character, room: str) -> list[str]:
    """The directions of the whole shortest way from ``char``'s room to ``room``, by
    the rule of ``way_to`` ([] when ``way_to`` is ""): the shortest that passes no door
    locked against them (locked, and its key not carried), when there is one. Played:
    "how do I get to the ferry?" in the tavern was "down", to the cellar's locked
    trapdoor, for a new player with no key and the way round by the causeway open. Pure."""
    rooms = world.templates.rooms
    if room not in rooms or char.room == room or char.room not in rooms:
        return []
    held = carried_templates(world, char)
    return _route(world, char, room, held) or _route(world, char, room, None)


def _route(world: World, char: Character, room: str, held: set[str] | None) -> list[str]:
    """``route_to``'s search; ``held``: the key templates ``char`` carries, to pass no
    door locked against them (None: every door counts as a way)."""
    rooms = world.templates.rooms
    came: dict[str, tuple[str, str]] = {char.room: ("", "")}  # room -> (from, direction)
    frontier = [char.room]
    for _ in range(WAY_DEPTH):
        following: list[str] = []
        for here in frontier:
            for ex in rooms[here].exits:
                if ex.to in came or ex.to not in rooms:
                    continue
                if ex.hidden and f"{here}:{ex.direction}" not in char.revealed:
                    continue
                if (
                    held is not None
                    and ex.door is not None
                    and world.door(ex.door).locked
                    and ex.door.key not in held
                ):
                    continue
                came[ex.to] = (here, ex.direction)
                if ex.to == room:
                    route: list[str] = []
                    at = room
                    while at != char.room:
                        at, direction = came[at]
                        route.append(direction)
                    return route[::-1]
                following.append(ex.to)
        if not following:
            break
        frontier = following
    return []


def said_route(route: Sequence[str]) -> str:
    """A way as the people of the world tell it: "south from here", "south from here,
    then east twice", "down from here, then north, then east three times". Each run of
    one direction is told once; past ``TOLD_LEGS`` runs the rest is "and on from there".
    "" for no route. Pure."""
    legs: list[tuple[str, int]] = []
    for direction in route:
        if legs and legs[-1][0] == direction:
            legs[-1] = (direction, legs[-1][1] + 1)
        else:
            legs.append((direction, 1))
    if not legs:
        return ""
    said = [f"{d}{_TIMES.get(n, f' {n} times')}" for d, n in legs[:TOLD_LEGS]]
    text = f"{said[0]} from here" + "".join(f", then {leg}" for leg in said[1:])
    return text + (", and on from there" if len(legs) > TOLD_LEGS else "")


#: How many runs of one direction a told way names before "and on from there".
TOLD_LEGS = 4
_NUMBERS = ("three", "four", "five", "six", "seven", "eight", "nine", "ten")
_TIMES = {1: "", 2: " twice"} | {n: f" {w} times" for n, w in enumerate(_NUMBERS, start=3)}


#: The most others beside one whose packs ``what_is`` looks in.
_COMPANY = 8


def what_is(
    world: World, char: Character, question: str, *, carried: bool = True, wares: bool = False
) -> tuple[str, str] | None:
    """(name, builder description) of the thing ``question`` asks about, or None.

    Looks at what ``char`` carries (unless not ``carried``), the items and features of
    their room, the people in it and what up to eight others beside them carry; a thing
    qualifies when the question names it (a topic word of its name or an alias), and
    the one sharing the most topic words wins (carried things first on a tie); with
    ``wares``, what a shopkeeper here sells too. "what does the map show?" -> the scrap
    of map's description.
    """
    wanted = keywords(question)
    if not wanted:
        return None
    room = world.room(char.room)
    things: list[tuple[str, tuple[str, ...], str]] = []
    # What the others beside one carry too, in a small company ("what is the bead?" of
    # the one a friend has just picked up: played, the DM's "You weigh what is known so
    # far."); not a crowd's every pack.
    # Counted first: a crowd's members are not listed for each question.
    few = len(world.occupants.get(char.room, ())) <= _COMPANY + 1
    others = [c for c in world.people_in(char.room) if c.key != char.key] if few else []
    held = [i for c in others for i in c.inventory]
    for item in [*(char.inventory if carried else ()), *world.items_in_room(char.room), *held]:
        if item in world.items:
            it = world.item_template(item)
            things.append((it.name, it.aliases, it.description))
    things += [(f.name, f.aliases, world.feature_text(f, char.key)) for f in room.features.values()]
    for npc in world.npcs_in(char.room):
        tmpl = world.templates.npcs[npc.id]
        things.append((tmpl.name, tmpl.aliases, looks(world, npc.id)))
        # With ``wares``, what a shopkeeper here sells, asked of before it is bought
        # ("what's the juniper tonic do?" at the chandlery: played, answered with the
        # next quest step); not for where a thing is, nor who does it ("bessa, where is
        # the eel pie?" is no "Right here").
        for ware in tmpl.shop.sells if tmpl.shop is not None and wares else ():
            sold = world.templates.items.get(ware)
            if sold is not None:
                things.append((sold.name, sold.aliases, sold.description))
    best: tuple[int, str, str] | None = None
    for name, aliases, description in things:
        named = keywords(" ".join((name, *aliases)))
        if not description or not wanted & named:
            continue
        score = len(wanted & named) * 2 + len(wanted & keywords(description))
        if best is None or score > best[0]:
            best = (score, name, description)
    return (best[1], plain(best[2])) if best else None


#: A question about the way somewhere: "where is the mill?", "how do I get to the
#: chapel?", "which way to the tavern?".
#: Not "why go all the way to the mill?" (played: told the way to the mill). Nor one
#: of a way guessed: "the shrine's out on the marsh, west?" (played: "Bessa Thorn might
#: know more of that").
_WAY_QUESTION = re.compile(
    r"^(?!\W*why\b).*?(?:\bwhere\b|\bwhich (?:way|room|door|one)\b|(?<!all the )\bway to\b"
    r"|\bhow\b.*\b(?:get|go|reach|find|back)\b"
    r"|\b(?:north|south|east|west|up|down|upstairs|downstairs|this\s+way|that\s+way)"
    r"(?:\s+(?:from\s+here|of\s+here|then|right|yes|yeah))?\s*\?+\s*$)",
    re.I,
)
#: Where someone went ("where did the cartographer go?", "where has she gone?", "where
#: did Edda run off to?"): a question of a person, never the way to a place, whatever
#: room shares a word with them (played: Crake told the way to the Cartographer's Room).
_WHERE_WENT = re.compile(
    r"\bwhere\s+(?:did|has|have)\b"
    r"|\bwhere\b.*\b(?:went|gone|ran|run\s+off|vanish(?:ed)?|disappear(?:ed)?)\b",
    re.I,
)


def _asks_where_went(question: str) -> bool:
    """Whether ``question`` asks where someone went (``_WHERE_WENT``): "where did ...",
    "where has ... gone", not "where do I go to reach the mill?"."""
    return _WHERE_WENT.search(question) is not None


#: Words of room names too common to name one room by themselves.
_COMMON_PLACE_WORDS = frozenset({"room", "the", "old", "lane", "path", "hall", "stair", "landing"})


def way_answer(world: World, char: Character, question: str) -> str | None:
    """The answer to a question about the way to a room the question names ("where is
    the mill?" -> "The Old Mill lies south from here, then east twice. ('go to the Old
    Mill' walks there.)"): the whole way, as the people of the world tell it
    (``route_to``, through exits ``char`` can see; ``said_route``), and the command
    that walks it. None when the question asks no way, names no room, or no way is
    known. The rooms ``char`` has stood in win a tie. Played: "how do I get to the
    mill?" was answered with the next quest step, and then with its first step only,
    "south", where Bessa told the whole of it."""
    if not _WAY_QUESTION.search(question) or _asks_where_went(question):
        return None
    best = room_named(world, char, question)
    if best is None:
        return None
    name = world.templates.rooms[best].name
    if best == char.room:
        return f"You are {in_place(name)}."
    way = said_route(route_to(world, char, best))
    # The walk is named by the name before its comma ("the Drowned Lantern", not "...,
    # Common Room", which 'go to' would read as two things), when that names it still.
    short = the_place(name.split(",")[0].strip())
    walk = f" ('go to {short}' walks there.)" if room_named(world, char, short) == best else ""
    return f"{capitalise(the_place(name))} lies {way}.{walk}"


def feature_whereabouts(world: World, char: Character, question: str) -> str | None:
    """The answer to "where is <a thing of a room>?" ("where is the hearth?", and guessed,
    "the hearth downstairs?"), of the rooms ``char`` has stood in, the nearest first:
    "The loose hearthstone is in the Drowned Lantern, Common Room, west from here, then
    down."; None when the question asks no way or names no such thing by a whole word of
    its name. Played: "where is the hearth?", the quest saying to search it, was "That is
    not known to you yet", and "the hearth downstairs?" told what Edda's notes, found by
    another, said. Asked what the thing is (``_WHAT_THING``), the same, of a room other
    than ``char``'s."""
    what = _WHAT_THING.search(question) is not None
    if not what and not _WAY_QUESTION.search(question):
        return None
    found = feature_room(world, char, question)
    if found is None:
        return None
    room, name, route = found
    one = singular(strip_article(name))
    be = "are" if one != strip_article(name) and plural(one) == strip_article(name) else "is"
    if room == char.room:
        # What a thing here is, its description tells (``what_is``).
        return None if what else f"{capitalise(definite(name))} {be} here."
    where = in_place(world.templates.rooms[room].name)
    return f"{capitalise(definite(name))} {be} {where}, {said_route(route)}."


#: What a thing is, asked: "what is the warm stone?", "warm stone? what's that" (played
#: in Edda's room, of her note's words: "Bessa Thorn might know more of that"); the thing
#: of a room one has stood in is told where it is.
_WHAT_THING = re.compile(r"\bwhat(?:'s|\s+is|\s+are)\b", re.I)


def feature_room(world: World, char: Character, words: str) -> tuple[str, str, list[str]] | None:
    """(the room, the name, the way there: ``route_to``) of the thing of a room (a
    feature) that ``words`` name by a whole name or alias, of the rooms ``char`` has
    stood in, the nearest first; None for none. Pure."""
    wanted = keywords(words)
    if not wanted:
        return None
    found: list[tuple[int, str, str, list[str]]] = []
    for room in dict.fromkeys((char.room, *reversed(char.visited))):
        if room not in world.templates.rooms:
            continue
        for thing in search.features(world, room):
            names = (thing.name, *thing.aliases)
            if any(keywords(name) and keywords(name) <= wanted for name in names):
                route = route_to(world, char, room)
                if route or room == char.room:  # no way there known: not told
                    found.append((len(route), room, thing.name, route))
    if not found:
        return None
    _steps, room, name, route = min(found, key=lambda f: f[:3])
    return room, name, route


def whereabouts(world: World, char: Character, question: str) -> str | None:
    """The answer to "where is <someone>?" when ``char`` may know it: a companion of
    their group is wherever they are; someone of the world is here, or in a room
    ``char`` has stood in (which way from here), or finding them is ``char``'s next
    quest step, which then says the way ("Find Edda Venn, and bring the light home. (The
    way lies north from here.)"). None when the question asks no way, names no one, or
    it is not ``char``'s to know (where Edda went is the campaign's mystery until its
    quest leads to her). Another player not of the group is here, or somewhere the
    asker is told how to reach (a tell, a group). Played: "where is edda?" in the Hall
    of Lanterns, her room one step north, was "You consider the road ahead.", and
    "where is pike?" of a companion the same."""
    if not _WAY_QUESTION.search(question):
        return None
    wanted = keywords(question)
    # A companion of the asker's group ("where is Pike?"): the group shares its way.
    for key in party.members(world, char.key):
        mate = world.chars.get(key)
        if mate is None or key == char.key or not wanted & keywords(mate.name):
            continue
        if mate.room == char.room:
            return f"{mate.name} is here."
        where = in_place(world.templates.rooms[mate.room].name)
        way = way_said(world, char, mate.room)
        return f"{mate.name} is {where}" + (f", {way}." if way else ".")
    # Another player, not of the group: here, or somewhere the asker is not told.
    # Played: "where is tansy?" was "You weigh what is known so far.".
    for other in world.chars.values():
        if other.key == char.key or not wanted & keywords(other.name):
            continue
        if other.room == char.room:
            return f"{other.name} is here."
        return (
            f"{other.name} is somewhere out in the world. Send word ('tell"
            f" {other.name.lower()} <message>'), or travel together as a group, whose"
            " members always know each other's way ('group invite"
            f" {other.name.lower()}')."
        )
    for npc_id, tmpl in world.templates.npcs.items():
        npc = world.npcs.get(npc_id)
        if npc is None or not npc.alive or npc.room not in world.templates.rooms:
            continue
        if not wanted & keywords(" ".join((tmpl.name, *tmpl.aliases))):
            continue
        name = capitalise(definite(tmpl.name))
        if npc.room == char.room:
            return f"{name} is here."
        way = way_said(world, char, npc.room)
        if not way:
            continue
        if npc.room in char.visited:
            where = in_place(world.templates.rooms[npc.room].name)
            return f"{name} is {where}, {way}."
        for quest in world.templates.quests.values():
            if any(char.quests.get(r, 0) != -1 for r in quest.requires):
                continue  # not open to them yet, as in ``next_steps``
            at = char.quests.get(quest.id, 0)
            step = quest.steps[at] if 0 <= at < len(quest.steps) else None
            if (
                step is not None
                and step.trigger.kind == "enter"
                and step.trigger.target == npc.room
            ):
                return f"{plain(world.step_text(step, char.key))} (The way lies {way}.)"
        route = route_to(world, char, npc.room)
        if not tmpl.hostile and tmpl.knows and not _guarded_way(world, char.room, route):
            # Where they are, as who might know tells it (played: "where's sister
            # aldith?", the saint's lantern in hand for her, got no answer): someone of
            # the world who talks, past no foe that attacks on sight.
            return f"{name} is {in_place(world.templates.rooms[npc.room].name)}, {way}."
    return None


#: A question after what lies here to take: "what did the warden drop?", "what did it
#: leave?", "what's on the floor?", "any loot?" ("what did you leave?" asks the one
#: spoken to).
_LYING_HERE = re.compile(
    r"\bwhat\s+(?:did|does|has)\s+(?!you\b)(?:\S+\s+){1,3}(?:drop|dropped|leave|left)\b"
    r"|\bwhat(?:'s|\s+is)\s+(?:(?:lying\s+)?here|on\s+the\s+(?:floor|ground))\b"
    r"|\bany\s+(?:loot|treasure|spoils)\b|\bwhat\s+(?:loot|spoils)\b"
    r"|\bwhat\s+(?:is|'s)\s+there\s+to\s+(?:take|loot)\b",
    re.I,
)


def lying_here(world: World, char: Character, question: str) -> str | None:
    """The answer to "what did the warden drop?" (``_LYING_HERE``): the items lying in
    ``char``'s room, or that nothing does; None for another question. Played: after the
    Drowned Warden fell, "what did the warden drop?" was "You weigh what is known so
    far." with the key and the locket at the asker's feet."""
    if _LYING_HERE.search(question) is None:
        return None
    names = [indefinite(world.item_template(i).name) for i in world.items_in_room(char.room)]
    if not names:
        return "Nothing lies here to take."
    return f"Lying here: {and_list(names)}. ('get all' takes it all.)"


def item_whereabouts(world: World, char: Character, question: str) -> str | None:
    """The answer to "where is the key?" when ``char`` may know it: that they carry it,
    that it is here, that it lies in a room they have stood in (which way from here), or
    that it is gone from the room they found it in and when another lies there
    (``resets.taken_from``). Of the items the question names (by a word of a name or
    alias, the most shared first), the first of those answers, in that order. None when
    the question asks no way or names no item, or nothing is theirs to know. Played: in
    the mill loft, the key taken by a player gone home, "where is the key?" was "Bessa
    Thorn might know more of that". A question of buying ("where can I buy a
    longsword?") is none of this."""
    if not _WAY_QUESTION.search(question) or _BUYING.search(question):
        return None
    wanted = keywords(question)
    shared = {
        t.id: len(wanted & keywords(" ".join((t.name, *t.aliases))))
        for t in world.templates.items.values()
    }
    named = sorted((t for t in shared if shared[t]), key=lambda t: -shared[t])
    if not named:
        return None
    items = world.templates.items
    held = carried_templates(world, char)
    for template in named:
        if template in held:
            return f"You carry {definite(items[template].name)}."
    for template in named:
        if any(world.items[i].template == template for i in world.items_in_room(char.room)):
            return f"{capitalise(definite(items[template].name))} is here."
    for template in named:
        for room in char.visited:
            if room == char.room or room not in world.templates.rooms:
                continue
            if any(world.items[i].template == template for i in world.items_in_room(room)):
                where = in_place(world.templates.rooms[room].name)
                way = way_said(world, char, room)
                name = capitalise(definite(items[template].name))
                return f"{name} lies {where}" + (f", {way}." if way else ".")
    for template in named:
        for room in [char.room, *char.visited]:
            gone = resets.taken_from(world, template, room)
            if gone:
                return gone
    return None


_BUYING = re.compile(r"\b(?:buy|purchase|sell|sold|afford|get\s+(?:a|an|some)\s+new)\b", re.I)


def asked_about(said: str, topic: str) -> str:
    """What ``said`` asks about, for sending the asker on: with the conversation's
    ``topic`` when it points back ("is he dangerous?" after asking of Crake), else
    itself ("what of the weather?" is not about Crake). Pure."""
    return f"{topic} {said}" if topic and _BACK.search(said) else said


def who_knows(world: World, char: Character, question: str, *, besides: str = "") -> str | None:
    """Who might answer ``question``, when nothing ``char`` heard does: the NPC of the
    world (alive, not a foe, reachable through the exits ``char`` can see, past no foe
    that attacks on sight: ``_guarded_way``) with a ``knows`` fact sharing the most
    topic words with it, not counting their own names ("who is Crake?": Tobin Wick, who
    talks of him, not Crake), one here before others and the first written of equals:
    "Tobin Wick might know more of that, in Wick's Lamps and Sundries, south from here,
    then east, then south." None when no one knows anything of it. Called
    by ``ask``: a good DM sends the players to the one who knows instead of answering
    "You weigh what is known". ``besides``: an NPC not to name, whose own names are no
    topic either (the one who was asked and did not know: ``game.talk_to`` has them send
    the asker on). The way there is told whole (``said_route``)."""
    wanted = keywords(question)
    if besides:
        # Asked of Crake, "crake" is no topic: played, "what are you doing up here,
        # crake?" sent the asker to Tobin, who talks of him.
        wanted -= _name_words(world.templates.npcs[besides])
    best: tuple[int, int, str, str] | None = None  # (-shared, 0 here / 1 away, name, line)
    for npc_id, tmpl in world.templates.npcs.items():
        npc = world.npcs.get(npc_id)
        if npc is None or not npc.alive or tmpl.hostile or not tmpl.knows or npc_id == besides:
            continue
        about = wanted - _name_words(tmpl)
        told = facts(tmpl, char, present_with(world, npc_id))
        shared = max(len(about & keywords(fact)) for fact in told)
        if not shared:
            continue
        name = capitalise(definite(tmpl.name))
        if npc.room == char.room:
            candidate = (-shared, 0, name, f"{name}, here, might know more of that.")
        else:
            # The whole way, as a place is told (played: "down from here" from the mill
            # loft, for a shop four rooms off).
            route = route_to(world, char, npc.room)
            way = said_route(route)
            if not way or _guarded_way(world, char.room, route):
                continue
            place_name = in_place(world.templates.rooms[npc.room].name)
            where = f"{name} might know more of that, {place_name}, {way}."
            candidate = (-shared, 1, name, where)
        if best is None or candidate[:2] < best[:2]:
            best = candidate
    return best[3] if best else None


#: What to do with a thing, asked: "what should we do with the saint's lantern?".
_DO_WITH = re.compile(
    r"^\W*(?:so\s+|ok\s+|and\s+)?what\s+(?:should|do|can|shall|could|would)\s+(?:we|i|you)"
    r"\s+do\s+with\s+(?P<thing>.+?)\s*[?.!]*$",
    re.I,
)


def wanted_by(world: World, char: Character, question: str) -> str | None:
    """The answer to what to do with a thing ``char`` or their group here carries
    (``_DO_WITH``: "what should we do with the saint's lantern?") when someone of the
    world takes it (``NpcTemplate.accepts``): "Sister Aldith would take Ysolde's lantern,
    in the Chapel of Saint Ysolde, south from here, then west. ('give ysolde's lantern
    to aldith')". None otherwise. Played: the Lamplighter's lantern, carried home, was
    answered with its description. Pure."""
    asked = _DO_WITH.match(question)
    if asked is None:
        return None
    leader = world.groups.get(char.key)
    keys = [char.key, *(k for k, lead in world.groups.items() if leader and lead == leader)]
    carried = [
        (item, world.item_template(item))
        for key in dict.fromkeys(keys)
        if key in world.chars and world.chars[key].room == char.room
        for item in world.chars[key].inventory
        if item in world.items
    ]
    wanted = asked.group("thing").lower().removeprefix("the ").strip()
    for _item, held in carried:
        names = {held.name.lower(), *(a.lower() for a in held.aliases)}
        if not any(wanted == n or wanted.endswith(n) or n.endswith(wanted) for n in names):
            continue
        for npc_id, tmpl in world.templates.npcs.items():
            npc = world.npcs.get(npc_id)
            if npc is None or not npc.alive or not any(a.item == held.id for a in tmpl.accepts):
                continue
            name = capitalise(definite(tmpl.name))
            thing = held.name.lower()  # not an alias another thing carried shares
            whom = tmpl.aliases[0] if tmpl.aliases else tmpl.name.lower()
            give = f"('give {thing} to {whom}')"
            if npc.room == char.room:
                return f"{name}, here, would take {held.name}. {give}"
            way = said_route(route_to(world, char, npc.room))
            place_name = in_place(world.templates.rooms[npc.room].name)
            there = f", {place_name}, {way}" if way else f", {place_name}"
            return f"{name} would take {held.name}{there}. {give}"
    return None


def _guarded_way(world: World, start: str, route: Sequence[str]) -> bool:
    """Whether the way ``route`` from room ``start`` passes a living foe that attacks on
    sight (``aggressive``). Played: beaten by the Lamplighter, "any advice?" to Bessa
    sent the players to Edda Venn, his captive, in the Bell Chamber beyond him."""
    at = start
    for direction in route:
        ex = world.room(at).exit(direction)
        if ex is None:
            return False
        at = ex.to
        if any(world.templates.npcs[n.id].aggressive for n in world.npcs_in(at)):
            return True
    return False


def _place_words(text: str) -> frozenset[str]:
    """The topic words of ``text`` (``keywords``), a hyphenated word also by its parts:
    "the eel landing" names the Eel-Catchers' Landing (tried: "You do not know the way
    to 'eel landing'.")."""
    return keywords(text) | keywords(text.replace("-", " "))


def _qualified_apart(question: str, name: str, hit: str) -> bool:
    """Whether the one topic word ``hit`` a question and a room's ``name`` share is
    qualified by another in each, neither found in the other: "notes under the warm
    stone... the hearth downstairs?" does not name the Heron Stones (played: the way
    there was the answer). "the old mill", "the stones" and "the heron stones" do."""

    def before(text: str) -> frozenset[str]:
        tokens = _WORD.findall(text.lower())
        for i, token in enumerate(tokens[1:], 1):
            if hit in _place_words(token):
                return _place_words(tokens[i - 1])
        return frozenset()

    asked, called = before(question), before(name)
    return (
        bool(asked and called)
        and not asked & _place_words(name)
        and not called & _place_words(question)
    )


#: The last world's ``_people_words``, by its templates (one entry: a reload makes new
#: templates, and the next call computes them again).
_PEOPLE: list[tuple[object, frozenset[str]]] = []


def names_someone(world: World, text: str) -> bool:
    """Whether ``text`` names one of the people of the world one talks with, by a word
    of their name or an alias ("Edda lodged upstairs, didn't she?", "the innkeeper").
    Pure."""
    return bool(_place_words(text) & _people_words(world))


def _people_words(world: World) -> frozenset[str]:
    """The place-words of the names and aliases of the people of the world one talks
    with (not foes: a foe's kind names a place of theirs, "the eel-catchers" the
    Eel-Catchers' Landing), for ``room_named``; computed once for each set of
    templates (a question in a crowd asked for them six times a line)."""
    templates = world.templates
    if _PEOPLE and _PEOPLE[0][0] is templates:
        return _PEOPLE[0][1]
    words = frozenset(
        w
        for tmpl in templates.npcs.values()
        if not tmpl.hostile
        for w in _place_words(" ".join((tmpl.name, *tmpl.aliases)))
    )
    _PEOPLE[:] = [(templates, words)]
    return words


def room_named(world: World, char: Character, question: str) -> str | None:
    """The room whose name or alias ``question`` names best (the most of its words, then
    the fewest left over, then ``char``'s own room, then one they have stood in), when
    it is theirs or a way to it is known. None when none is named (words such as "room"
    or "lane" alone name none) or the way to the one named is not known."""
    wanted = _place_words(question)
    visited = set(char.visited)
    # Words that name someone of the world name them, not a room called after them:
    # "where's the cartographer?" is Edda, not the Cartographer's Room (played: "The
    # Cartographer's Room? Up from here, then east."); "the cartographer's room" is it.
    people = _people_words(world)
    owned = {w.lower() for w in re.findall(r"([A-Za-z-]+)'s\b", question)}
    best: tuple[tuple[int, int, bool, bool], str] | None = None
    for room_id, room in world.templates.rooms.items():
        for name in (room.name, *room.aliases):
            named = _place_words(name)
            hits = wanted & named
            if not hits or hits <= _COMMON_PLACE_WORDS:
                continue
            if hits <= people and not hits & owned:
                continue
            if name != room.name and hits != named:
                continue  # an alias is named whole: "where is Edda?" is not "Edda's room"
            if len(hits) == 1 and _qualified_apart(question, name, next(iter(hits))):
                continue  # "the warm stone" is not the Heron Stones
            here = room_id == char.room
            # Words such as "old" left over count for nothing: "where is the mill?" in
            # the Mill Loft is the Old Mill below (played: "You are in the Mill Loft.").
            left = named - hits - _COMMON_PLACE_WORDS
            rank = (len(hits), -len(left), here, room_id in visited)
            if best is None or rank > best[0]:
                best = (rank, room_id)
    # The room named best or none: not a lesser one ("the hall of lanterns" is not the
    # Lantern Cellar because the hall's way is not known yet). The room one stands in
    # is named too: "go to the mill" in the mill is not the way to the Mill Loft.
    if best is None or (best[1] != char.room and not way_to(world, char, best[1])):
        return None
    return best[1]


#: A question about buying something: "where can I buy a sword?", "who sells potions?".
_SHOP_QUESTION = re.compile(
    r"\b(?:buy|sells?|sold|shop|purchase|trade|get|wares|sale|costs?|price[sd]?)\b"
    r"|\bhow\s+much\b",
    re.I,
)
#: A ware asked after by kind: "what potions do you have?", "got any potions?" (played
#: in the lamp shop: Tobin's fact of his potions, and no price). Only with a ware named.
_HAVE_ANY = re.compile(
    r"\bwhat\s+\w+(?:\s+\w+)?\s+(?:do\s+you\s+have|have\s+you\s+got|you\s+got)\b"
    r"|\b(?:do\s+you\s+have|have\s+you\s+got|got)\s+any\b",
    re.I,
)
#: A ware asked after of the one who sells it: "do you have pies?", "got any stew?".
_HAVE_A = re.compile(r"\b(?:do\s+you\s+have|have\s+you\s+got|got)\b", re.I)
#: What a customer asks for the whole bill of fare: "what's good here?", "anything to
#: eat?", "what do you have?", "what's on the menu?".
_MENU = re.compile(
    r"\bwhat'?s\s+good\b|\bwhat\s+is\s+good\b|\b(?:anything|something)\s+(?:good\s+)?to\s+"
    r"(?:eat|drink)\b|\bwhat(?:\s+is\s+there|\s+do\s+you\s+have|(?:\s+have|'ve)\s+you\s+got"
    r"|\s+you\s+got|cha\s+got|\s+are\s+you\s+selling|\s+do\s+you\s+sell|\s+d'?you\s+sell"
    r"|'?s\s+for\s+sale|\s+is\s+for\s+sale)"
    r"(?:\s+to\s+(?:eat|drink))?\s*\??$|\bmenu\b"
    # "im hungry, what can i eat here?" (played, round 57: said, and no one answered).
    r"|\bwhat\s+(?:can|could)\s+(?:i|we)\s+(?:eat|drink|order|get\s+to\s+(?:eat|drink))"
    r"(?:\s+(?:here|around\s+here))?\s*\??$",
    re.I,
)


def asks_menu(question: str) -> bool:
    """Whether ``question`` asks a shopkeeper's whole bill of fare (``_MENU``): "what's
    good here?", "is there anything to eat?". Called by ``shop_answer`` and by
    ``commands`` for such a question put to a shopkeeper by name."""
    return _MENU.search(question) is not None


#: Topic words of a shop question that name no ware.
_SHOP_WORDS = keywords("buy sell shop purchase trade better good cheap cost price much")
#: Words that ask for a kind of thing rather than one by name.
_KIND_WORDS = {
    "weapon": "weapon",
    "weapons": "weapon",
    "armour": "armour",
    "armor": "armour",
    "shield": "shield",
    "shields": "shield",
}


def shop_answer(world: World, char: Character, question: str) -> str | None:
    """Who sells what ``question`` asks to buy, and which way they are ("where can I
    buy a better weapon?" -> "Tobin Wick, in Wick's Lamps and Sundries (south from
    here), sells a dagger (2 gold) and a shortsword (10 gold)."), from the shops of the
    world; None when it asks to buy nothing any shop sells."""
    menu = asks_menu(question)
    having = not menu and not _SHOP_QUESTION.search(question)
    if having and not _HAVE_ANY.search(question):
        return None
    words = set(_WORD.findall(question.lower()))
    kinds = {_KIND_WORDS[w] for w in words if w in _KIND_WORDS}
    wanted = keywords(question) - _SHOP_WORDS
    if having and not kinds and not _names_a_ware(world, wanted):
        return None  # "do you have any news?"
    # Asked so, only of a shop here: "got any potions?" elsewhere is for the companion
    # beside one (``commands._to_companions``).
    here = {n.id for n in world.npcs_in(char.room)} if having else None
    # "what does Bessa sell?", "what can I buy here?": a shopkeeper named (or the one
    # here) and no ware: all they sell. Played: Bessa's description answered it.
    keepers = {
        npc_id
        for npc_id, tmpl in world.templates.npcs.items()
        if tmpl.shop is not None and wanted & keywords(" ".join((tmpl.name, *tmpl.aliases)))
    }
    if not keepers and (words & {"here", "sale", "you"} or menu):
        # "what do you sell?" asked in a shop is for its keeper (played: "Next: ...").
        keepers = {n.id for n in world.npcs_in(char.room) if world.templates.npcs[n.id].shop}
    if not menu and (
        kinds
        or any(
            wanted & keywords(" ".join((item.name, *item.aliases)))
            for item in world.templates.items.values()
        )
    ):
        keepers = set()  # "does Bessa sell ale?": the ale, not all she sells
    told: list[str] = []
    for npc_id, tmpl in world.templates.npcs.items():
        home = world.npcs[npc_id].room if npc_id in world.npcs else tmpl.room
        if tmpl.shop is None or home not in world.templates.rooms:
            continue
        if here is not None and npc_id not in here:
            continue
        sold = []
        for item_id in tmpl.shop.sells:
            item = world.templates.items.get(item_id)
            if item is None:
                continue
            named = keywords(" ".join((item.name, *item.aliases)))
            if item.kind in kinds or wanted & named or npc_id in keepers:
                sold.append(f"{indefinite(item.name)} ({item.value} gold)")
        if sold:
            where = in_place(world.room(home).name)
            way = way_said(world, char, home)
            where += f" ({way})" if way else " (here)" if home == char.room else ""
            told.append(f"{tmpl.name}, {where}, sells {and_list(sold)}.")
    return " ".join(told[:2]) or None


def wares_asked(world: World, npc_id: str, question: str) -> list[str]:
    """What shopkeeper ``npc_id`` sells of the wares ``question`` asks after ("do you
    sell ale?", "got any pies?"), each with its price ("a mug of marsh ale (1 gold)");
    [] when it names none of them, or asks no such thing."""
    tmpl = world.templates.npcs.get(npc_id)
    if tmpl is None or tmpl.shop is None:
        return []
    if not _SHOP_QUESTION.search(question) and not _HAVE_A.search(question):
        return []
    wanted = keywords(question) - _SHOP_WORDS
    sold = []
    for item_id in tmpl.shop.sells:
        item = world.templates.items.get(item_id)
        if item is not None and wanted & keywords(" ".join((item.name, *item.aliases))):
            sold.append(f"{indefinite(item.name)} ({item.value} gold)")
    return sold


def _names_a_ware(world: World, wanted: frozenset[str]) -> bool:
    """Whether ``wanted`` (topic words) names something a shop of the world sells."""
    return any(
        wanted & keywords(" ".join((item.name, *item.aliases)))
        for tmpl in world.templates.npcs.values()
        if tmpl.shop is not None
        for item in (world.templates.items.get(i) for i in tmpl.shop.sells)
        if item is not None
    )


def place_line(world: World, char: Character, said: str, npc: NpcTemplate | None = None) -> str:
    """What one of the people of the world says of the place ``said`` names, when they
    know nothing else of it: the way there, for ``npc_reply``'s ``place`` ("The Old
    Mill? South from here, then east twice."); "" when it names no room, the room
    ``char`` is in, or one whose way is not known (``room_named``, ``way_to``). A
    question naming no room but a thing in ``char``'s room gets ``_thing_here``. The
    words of ``npc``'s own name (the one asked) name no room: played, "hello gannet. can
    you take us across?" to Gannet was "Gannet's Ferry? East from here.". Pure."""
    room = None if _asks_where_went(said) else room_named(world, char, said)
    # Only asked of: "I found your notes in the hearth", the packet in hand, was "The
    # oilcloth packet? Right here; have a look at it." (played, round 48).
    # Not asked why a thing is so: that is a story, not where it is ("why is every
    # lantern hook empty?": the host's fact of the lanterns going dark).
    thing = (
        _thing_here(world, char, said) if _asks_something(said) and not WHY_IS.match(said) else None
    )
    room_words = (
        keywords(" ".join((world.templates.rooms[room].name, *world.room(room).aliases)))
        if room is not None
        else frozenset()
    )
    if npc is not None and not (keywords(said) - _name_words(npc)) & room_words:
        room = None
    if room is None or room == char.room:
        return thing[1] if thing else ""
    if thing and len(keywords(said) & keywords(thing[0])) >= len(keywords(said) & room_words):
        return thing[1]  # "the hooded lantern" here, not the Lantern Cellar
    way = said_route(route_to(world, char, room))
    if not way:
        return ""
    name = capitalise(the_place(world.templates.rooms[room].name))
    return f"{name}? {capitalise(way)}."


#: A question of why a thing is as it is: "why is every lantern hook empty?", "so why
#: are the lights out?".
WHY_IS = re.compile(
    r"^\W*(?:so\W+|but\W+|and\W+|then\W+)?why\s+(?:is|are|was|were|do|does|did|has|have)\b",
    re.I,
)


def _thing_here(world: World, char: Character, said: str) -> tuple[str, str] | None:
    """The thing in the room ``said`` asks about (``what_is``: an item or a feature,
    not a person) and what one of the people of the world says of it when they know
    nothing else of it, that it is here: ("drowned lantern", "The drowned lantern? Right
    here; have a look at it."); None when it names none. Played: Bessa, asked about the
    lantern over her own bar, did not know of it and sent the asker to the chapel."""
    # Not what the asker carries: "how long have you run this place?" was "The
    # longsword? Right here; have a look at it." of the asker's own sword.
    thing = what_is(world, char, said, carried=False)
    people = {world.templates.npcs[n.id].name for n in world.npcs_in(char.room)}
    if thing is None or thing[0] in people:
        return None
    return thing[0], f"{capitalise(definite(thing[0]))}? Right here; have a look at it."


def the_place(name: str) -> str:
    """A room's name as said in a sentence: "The Old Mill" -> "the Old Mill",
    "Smugglers' Tunnel" -> "the Smugglers' Tunnel" (``grammar.place``)."""
    return place(name)


def and_list(parts: Sequence[str]) -> str:
    """ "a, b and c"."""
    return parts[0] if len(parts) == 1 else ", ".join(parts[:-1]) + " and " + parts[-1]


def rest_first(world: World, char: Character) -> str:
    """What to do first when ``char`` is badly hurt (under half their hit points): rest,
    and where the long rest may be had ("You have 1 of 11 HP: 'sleep' here (the long
    rest) before you go on."; away from a safe room, 'rest' now and the nearest safe
    room by its way); "" otherwise. Played: beaten by the Lamplighter and carried to
    the tavern with 1 hit point, "what now?" was "Defeat the Lamplighter."."""
    if not char.cls or char.hp * 2 >= char.max_hp:
        return ""
    hurt = f"You have {char.hp} of {char.max_hp} HP:"
    if world.room(char.room).safe:
        return f"{hurt} 'sleep' here (the long rest) before you go on."
    ways = [
        (len(route), room)
        for room, tmpl in world.templates.rooms.items()
        if tmpl.safe and (route := route_to(world, char, room))
    ]
    if not ways:
        return f"{hurt} 'rest' (a short rest) before you go on."
    room = min(ways)[1]
    name = the_place(world.templates.rooms[room].name)
    way = said_route(route_to(world, char, room))
    return f"{hurt} 'rest' (a short rest), or 'sleep' in {name} ({way}), before you go on."


def looks(world: World, npc_id: str) -> str:
    """What one reads looking at NPC ``npc_id``: its builder's ``description``, or, where
    a player brought it (its ``escort``'s ``to``), the escort's ``description`` when the
    builder wrote one (Edda by the tavern fire, not "sitting with her back against the
    great bell"). Pure."""
    tmpl = world.templates.npcs[npc_id]
    npc = world.npcs.get(npc_id)
    trip = tmpl.escort
    if npc is not None and trip is not None and trip.description and npc.room == trip.to:
        return trip.description
    return tmpl.description


def unseen_places(world: World, char: Character, limit: int = 2) -> str:
    """The nearest rooms of the world ``char`` has never stood in that they know a way
    to (``route_to``), at most ``limit``, as a sentence: " You have not yet been to the
    Chapel of Saint Ysolde (south from here, then west) or the Foot of the Watchtower
    (...)."; "" when there are none. Said after "nothing left that you must do", so a
    player who finished the story knows where else to go (played: "what now?" after
    Homecoming was "go where you like", and nothing more). Pure."""
    seen = set(char.visited) | {char.room}
    found = []
    for room, tmpl in world.templates.rooms.items():
        if room in seen:
            continue
        route = route_to(world, char, room)
        if route:
            found.append((len(route), tmpl.name, route))
    found.sort(key=lambda f: (f[0], f[1]))
    places = [f"{the_place(name)} ({said_route(route)})" for _n, name, route in found[:limit]]
    if not places:
        return ""
    return f" You have not yet been to {' or '.join(places)}."


def quest_answer(steps: Iterable[tuple[str, str]]) -> str:
    """The answer to "what should I do?" from ``next_steps`` (plain text)."""
    steps = list(steps)
    if not steps:
        return "There is nothing left that you must do; go where you like."
    name, text = steps[0]
    return f"{name}: {text}"
