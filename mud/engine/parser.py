"""Turn a line of player input into an ``Intent``. Pure.

Shortcuts: ``'text`` is ``say text``, ``:text`` is ``emote text``, a bare direction
(``n``, ``north``, ``up``, ``upstairs``) is ``go <direction>``, and a line that opens
with a greeting ("hi", "hello everyone") is said aloud, and so is "me too". ``is_reply``
and ``is_spoken`` tell words said to others ("sure", "let's rest") from things done, for
the dispatch to use once commands and socials have had their turn. The verb is matched against the
command table (names and aliases, case-insensitively). An unknown verb gets either a
suggestion (when it looks like a typo of a command or a direction) or becomes an action for the
Dungeon Master (``Intent.verb == ""``).
"""

from __future__ import annotations

import difflib
import itertools
import re
from collections.abc import Mapping
from types import MappingProxyType

from attrs import evolve, frozen

from mud.world.model import DIRECTION_ALIASES, DIRECTIONS


@frozen
class Intent:
    """``verb`` is a canonical command name, or "" for free text meant for the DM.

    ``suggestion`` is set when the verb is unknown but close to a command.
    """

    verb: str
    args: str
    raw: str
    suggestion: str = ""


#: Words players walk by that are not a direction's name ("go upstairs").
WALK_WORDS: Mapping[str, str] = MappingProxyType(
    {"upstairs": "up", "downstairs": "down", "inside": "in", "outside": "out"}
)

#: Greetings: a line that starts with one is said aloud ("hi", "hello everyone"), not
#: taken for a typo ("hi" was "Did you mean 'attack'?", by way of "hit").
GREETINGS = frozenset(
    # Farewells are said too ("goodbye, Bessa": played, "You try to goodbye Bessa.").
    "hi hello hey hiya howdy greetings yo evening morning afternoon hullo hallo goodbye bye farewell cheerio".split()  # noqa: E501, SIM905
)


#: Replies: a line of nothing else that is not a social is said aloud ("sure", "ok,
#: thanks!", "no way"; ``commands._dispatch``). Played: Bram's "sure", to Ilse's "want
#: to team up?", read "You try to sure." and was narrated as a deed.
_REPLIES = (
    "yes yeah yea yep yup ya yah aye no nah nope sure ok okay k alright fine agreed deal maybe"
    " perhaps thanks thx ty cheers sorry please lol haha ha heh hmm hm ah oh uh um great"
    " cool nice good right indeed of course way why not definitely absolutely certainly"
    # Chat's own short words, said as typed (tried: "brb" and "wb" read "You try to brb.").
    " brb wb gtg g2g ttyl bbl np omg gg lmao rofl hehe xd nvm idk btw kk yay woo wow oops"
    " ugh welcome back later cya"
    # After a fight won: "gg wp oswin. ty for the heals" (played: a deed, "You go about
    # it carefully.").
    " wp ggwp gj tyvm thanx"
    # A yes of its own: "Gladly." to "k wanna team up?" (played: "You try to gladly.",
    # the invitation made by a line that opened with "k" waiting on no question).
    " gladly"
    # How one is, said back: "barely. thanks for the heal" (played: "You try to barely.").
    " barely somehow mostly almost nearly kinda sorta"
    # Exclaimed: "whoa. someone left in a hurry" (played: a deed, "You go about it").
    " whoa woah huh eh aha ahh ooh yikes eek gosh blimey damn dang hah phew shh"
    # Hurt: "ow. that rat bit deep" (played: "Ilse acts: ow. ...").
    " ow owww ouch oof argh"
    # Touched, or pleased: "aww thanks!", "yum" (played: "You try to aww thanks.").
    " aw aww awww yum yummy mmm hooray huzzah"
    # Asked and answered between companions: "ready? the landing is through the tunnel",
    # "ready. lead the way" (played: both deeds).
    " ready"
    # How a thing strikes one, said alone: "creepy" at the shrine's bell (played:
    # "Unknown command 'creepy'. Did you mean 'hide'?").
    " creepy spooky eerie weird strange odd gross nasty ew eww scary neat awesome lovely"
    " perfect amazing brilliant grim"
)
REPLY_WORDS = frozenset(_REPLIES.split())
#: Exclamations: a line they open is said, whatever follows ("ooh a mace", "wow look at
#: that"), where a yes or an ok before a deed is still the deed ("ok open the door").
_EXCLAIMED = frozenset(
    "oh ooh wow whoa woah huh aha ahh yikes eek gosh blimey damn dang phew omg ugh oops"  # noqa: SIM905
    " yay woo lol haha hehe heh ow owww ouch oof argh aw aww awww yum yummy mmm hooray"
    " huzzah".split()
)
#: Words a line of what a thing is or does opens with: "it looks odd", "it's locked".
_OF_A_THING = frozenset(
    {"it", "it's", "its", "itll", "it'll", "that's", "thats", "there's", "theres"}
)
#: Words a line about things opens with: "some of these stones ...", "the door is ...".
_DETERMINERS = frozenset(
    {"the", "some", "these", "those", "this", "all", "most", "none", "both", "each", "every"}
)
#: Verbs that say how a thing is or should be, in such a line: "have names on them",
#: "is locked", "all of us should rest".
_STATED = frozenset(
    {"is", "are", "was", "were", "has", "have", "had", "looks", "look", "seems", "seem", "isn't"}
    | {"aren't", "wasn't", "weren't", "hasn't", "haven't"}
    | {"should", "must", "could", "can", "will", "would", "need", "needs"}
)
#: Words that open the naming of a thing: "the saint...", "a key...", "her locket...".
_NAMING_THINGS = _DETERMINERS | {"a", "an", "my", "your", "her", "his", "our", "their"}
#: A thing and how it is, "is" clipped, as a short sentence of its own: "the fire's
#: good", "this stew's really good", "your door's stuck." ("the warden's key" alone is
#: a thing named aloud, said as well.)
_IS_CONTRACTED = re.compile(
    r"^\W*(?:the|this|that|your|my|our|his|her|their)\s+[a-z-]+'s(?:\s+[a-z'-]+){1,5}\s*"
    r"(?:[.!]+(?:\s|$)|$)",
    re.I,
)
#: Things, plural or someone's, and how they are: "notes are somewhere warm", "news
#: from the marsh is bad", "edda's notes are ...": the word of ``_STATED`` just after
#: them, or after a phrase of where or whose they are.
_THINGS_ARE = re.compile(
    r"(?:[a-z-]+'s|[a-z'-]*[^su\W]s)(?:\s+[a-z'-]+s)?"
    r"(?:\s+(?:from|of|in|on|at|by|with|about|near|under|over|behind)(?:\s+[a-z'-]+){1,3}?)?"
    rf"\s+(?:{'|'.join(sorted(_STATED))})\b"
)
#: First words that are no subject of a statement, before a word of ``_STATED``:
#: questions ("where is she", "what is it"), and "I" ("I look around" is done).
_NOT_SUBJECTS = frozenset(
    "who whom whose what which when where why how is are was were can could will would"  # noqa: SIM905
    " should has have had do does did may might must shall i".split()
)
#: Words a reply may go on with after a reply word: "sure thing", "okay then", "yes
#: indeed", "no problem". Played: Pim's "sure thing", to Odile's "want to team up?",
#: read "You set to it without fuss." and no group came of it.
_REPLY_TAILS = frozenset(["thing", "then", "too", "problem", "worries"])
#: Words that open a question asked straight out ("have you seen her", "is it far"):
#: ``commands`` quotes such a question, ``lore`` does not take it for the answer to an
#: NPC's own question.
QUESTION_WORDS = frozenset(
    "have has had do does did is are was were can could will would shall should may might"  # noqa: SIM905
    " must who whom whose what which when where why how".split()
)


def opens_question(text: str) -> bool:
    """Whether ``text`` opens with one of ``QUESTION_WORDS`` ("what's" is "what"):
    "what do you know about the lights?", "is the path safe?". Pure."""
    first = text.strip().split(maxsplit=1)[0] if text.strip() else ""
    return first.strip(",.!?;:\"'").lower().split("'")[0] in QUESTION_WORDS


#: Not knowing, said back to a question: "no idea. maybe the saint?" (played: "You try
#: to no idea. maybe the saint? ...", to a friend's question).
NOT_KNOWING = (
    "no idea",
    "no clue",
    "not a clue",
    "not sure",
    "i'm not sure",
    "im not sure",
    "dunno",
    "i dunno",
    "beats me",
    "who knows",
    "good question",
    "don't know",
    "dont know",
    "i don't know",
    "i dont know",
)
_NOT_KNOWING = re.compile(
    r"^\W*(?:" + "|".join(re.escape(p) for p in NOT_KNOWING) + r")\b", re.IGNORECASE
)


def opens_not_knowing(text: str) -> bool:
    """Whether ``text`` opens with words of not knowing (``NOT_KNOWING``): "no idea how
    long that takes", "not sure where she went". Called by ``commands`` to tell a
    line that only names a question ("how long") from one that asks it."""
    return _NOT_KNOWING.match(text) is not None


#: Whole replies of other words: "count me in", "sounds good" (of reply words only, "no
#: thanks", they are replies already; "me too" is said by ``parse``).
REPLY_PHRASES = frozenset(
    {
        "count me in",
        # "sure, why not. what's a group do?" (played: "why not." asked of the DM).
        "why not",
        # "ready when you are. bless you first" (played: a deed, "You try to ready ...").
        "ready when you are",
        "whenever you're ready",
        "when you're ready",
        "sounds good",
        "sounds great",
        "sounds fine",
        "i'm in",
        "im in",
        "you bet",
        "will do",
        "got it",
        "on it",
        "not really",
        "not yet",
        "all right",
        "thank you",
        "let's do it",
        "lets do it",
        "let's go",
        "lets go",
        *NOT_KNOWING,
        "same here",
        # Praise of a thought said: "good thinking. let's go down" (played: a deed).
        "good thinking",
        "good idea",
        "good call",
        "nice one",
        "well spotted",
        "well done",
        # "nicely done. open it up and let's see" (played: a deed, "You try to ...").
        "nicely done",
        "well fought",
        "good fight",
        "neatly done",
        "nice going",
        "good going",
        "nice",
        # Praise of a find: "nice find. what does it say?" (played: asked of the DM whole).
        "nice find",
        "good find",
        "great find",
        "good eye",
        # "sharp eyes. aye, I keep the saint's lamps" (played: a deed, "You try to ...").
        "good eyes",
        "sharp eye",
        "sharp eyes",
        "keen eye",
        "keen eyes",
        "nice work",
        "good work",
        "good job",
        "nice job",
        "makes sense",
        "fair enough",
        # Agreement in the third person, its "it" left out: "works for me" (tried:
        # "You try to works for you.").
        "works for me",
        "suits me",
        "fine by me",
    }
)


#: Words of praise before what is praised, two words in all: "nice swing", "good shot".
_PRAISING = frozenset({"nice", "good", "great", "lovely", "neat", "solid", "sweet", "brilliant"})


def is_praise(text: str) -> bool:
    """Whether ``text`` is two words of praise, what is praised after a word of
    ``_PRAISING`` ("nice swing", "good shot!"; played: "You try to nice swing."). Not a
    reply (``is_reply``: a reply word and then another word is not one): said. Pure."""
    words = [w for w in (w.strip(",.!?;:'\"") for w in text.lower().split()) if w]
    return len(words) == 2 and words[0] in _PRAISING and words[1].isalpha()


def is_reply(text: str) -> bool:
    """Whether ``text`` is only reply words ("sure", "ok, thanks!"), reply words going on
    with a word of ``_REPLY_TAILS`` ("sure thing", "okay then"), or one of
    ``REPLY_PHRASES`` ("count me in"), whatever their case and punctuation."""
    words = [w for w in (w.strip(",.!?;:'\"") for w in text.lower().split()) if w]
    if not words:
        return False
    if " ".join(words) in REPLY_PHRASES:
        return True
    return words[0] in REPLY_WORDS and all(w in REPLY_WORDS or w in _REPLY_TAILS for w in words)


#: First words of a line said to the others, not a thing done ("that warden is too
#: strong", "let's rest", "we should go back"). Played: both were "You act: ..." and a
#: narration of nothing happening.
_SPOKEN_OPENERS = (
    "that this these those that's thats it's there there's theres here's let's lets we"
    " we're we'll we've we'd you you're youre you'll you've your he he's she she's they they're"
    " maybe probably perhaps well so but also actually anyway honestly i'm im i'll i've"
    " ive i'd too not as"
    # Of what is or is not here: "nothing more here. let's go back" (played: a deed).
    " nothing everything something someone somebody nobody everyone everybody"
    # A welcome or good wishes: "welcome aboard! i'm talis" (played: a deed).
    " welcome congrats congratulations glad pleased"
)
SPOKEN_OPENERS = frozenset(_SPOKEN_OPENERS.split())
#: What follows "I" when a line says what the player thinks, not what they do ("I think
#: we should rest"; "I pry at the stone" stays a deed).
_THINKING = (
    "think guess believe feel reckon wonder hope agree disagree know mean suppose bet doubt"
    " like love hate want need"
    # Not doing, or saying what one can or would: "I don't think so", "I can't swim".
    " don't dont can't cant cannot won't wont am was would could should will might must can"
    " have had"
    # What one owes or vows: "thanks. I owe you one" (played: "You try to owe you one.").
    " owe promise swear appreciate wish"
)
THINKING = frozenset(_THINKING.split())
#: Words of ``THINKING`` that open a line with its "I" left out: "need a drink", "guess
#: so", "hope she's alright".
_ELIDED_I = frozenset(
    {"think", "guess", "reckon", "hope", "wonder", "suppose", "need", "bet", "doubt", "wish"}
)


#: Calls to the others of a party: a line that opens with one is said aloud. Played:
#: "keep up with me" read back "You try to keep up with you.", "wait for me" "You try to
#: wait for you.", "over here" "You try to over here.", "look out!" "You see no 'out!'
#: here." and "follow me" "You are not following anyone."
_CALLS = (
    "hurry up",
    "keep up",
    "come on",
    "come here",
    "come with me",
    "stay close",
    "stay together",
    "stay back",
    "wait for me",
    "wait for us",
    "wait up",
    # "wait here. I'll sneak ahead and take a look" (played: a deed, a DEX check made).
    "wait here",
    "stay here",
    "stay put",
    "cover me",
    "watch out",
    "look out",
    "be careful",
    "careful",
    "over here",
    "follow me",
    "follow us",
    "get back",
    # To one being tended: "hold still. let me heal you" (played: "You hold still. let
    # you heal you.").
    "hold still",
    "keep still",
    "stay still",
    "don't move",
    # A cry in a fight: "get it off me! hit the rat" (played: "You see no 'it off me'
    # here.").
    "get it off me",
    "get off me",
    "get them off me",
    "get away from me",
    # To a foe on another: "get away from her! attack" (played: "You cannot take the
    # away.").
    "get away from her",
    "get away from him",
    "get away from them",
    "get away",
    "back off",
    "hold on",
    "hang on",
    "after you",
    "behind you",
    # To someone wary: "easy there. we're not here for trouble" (played: "You try to
    # easy there. we're not here for trouble.").
    # ("relax by the fire" and "steady the ladder" are still deeds.)
    "easy",
    "steady now",
    "steady on",
    "calm down",
    "whoa",
    # Asked of whoever holds the way: "let me in!" at a door (played: "You try to let
    # you in.").
    "let me in",
    "let me out",
    "let me through",
    "let me pass",
    "let me by",
    "let us in",
    "let us out",
    "let us through",
    "let us pass",
    # A cry, not the help command: "help! help!" (tried: "You act: help! help!").
    "help",
    # Said to show the others something ("look at this!" just after taking the map:
    # tried, "You see no 'this!' here.").
    "look at this",
    "look at that",
    "check this out",
    "check that out",
    "see this",
    "see that",
    # A farewell, not the taking of a thing called "care".
    "take care",
    # Chat in a command's words (played on the salt bank: "show off" read "You see no
    # 'off' here."; tried: "get lost", "give up", "look alive").
    "show off",
    "get lost",
    "get real",
    "get a grip",
    "get over here",
    "give up",
    "give it a rest",
    "look alive",
    "knock it off",
    "cut it out",
    "lead the way",
    "lead on",
    "you lead",
    "you first",
)
CALLS: tuple[tuple[str, ...], ...] = tuple(tuple(call.split()) for call in _CALLS)
#: ``CALLS`` by their first word: a line is held against the few that open as it does
#: (every look and get reads it).
_CALLS_BY_FIRST: dict[str, tuple[tuple[str, ...], ...]] = {
    first: tuple(call for call in CALLS if call[0] == first) for first in {c[0] for c in CALLS}
}


def call_words(text: str) -> int:
    """How many words of ``CALLS`` ``text`` opens with (0: none): "keep up with me" 2,
    "careful!" 1. Case and punctuation do not count."""
    words = tuple(w for w in (w.strip(",.!?;:'\"").lower() for w in text.split()) if w)
    calls = _CALLS_BY_FIRST.get(words[0]) if words else None
    if not calls:
        return 0
    return max((len(call) for call in calls if words[: len(call)] == call), default=0)


#: A dare, a sentence of its own: "beat that!", "your turn", "bet you can't" ("beat that
#: rat" is a blow, and no sentence of this).
_CHALLENGE = re.compile(
    r"(?:(?:beat|top|match)\s+that|your\s+(?:turn|go)|bet\s+you\s+can'?t(?:\s+[^.!?]*)?)"
    r"[\s.!?]*",
    re.I,
)


#: Words after "wait" that make it surprise, not a wait: "wait what", "wait, really?".
_WAIT_WHAT = frozenset(
    "what huh why who how really seriously hold no wut wat whaat whut".split()  # noqa: SIM905
)


def is_spoken(text: str) -> bool:
    """Whether ``text`` (free text, not a command) is said to the others rather than
    done: it opens with ``SPOKEN_OPENERS``, with a call (``CALLS``), with "I" and a word
    of ``THINKING``, or with a sentence of reply words before more ("agreed. let's
    rest")."""
    words = [w.strip(",.!?;:'\"*").lower() for w in text.split()]
    if not words or not words[0]:
        return False
    if words[0] in _ELIDED_I and len(words) > 1:
        return True  # "need a drink", "hope she's alright" (tried: "You try to need a drink.")
    if words[0] in SPOKEN_OPENERS or call_words(text) or opens_not_knowing(text):
        return True  # "no idea how long that takes": played, "You try to no idea..."
    if _FAREWELL_SAID.match(text):
        return True  # "ok see you soon": tried, "You try to ok see you soon."
    opening = _FIRST_SENTENCE.match(text)
    if (
        words[0] in _EXCLAIMED
        and len(words) > 1
        and (opening is None or not is_reply(opening.group(1)))
    ):
        # "ooh a mace. mind if i take it?" (played: "You try to ooh a mace. ..."); "oh
        # no. search the hearth" is still a reply, then the search.
        return True
    if words[0] in _OF_A_THING and len(words) > 1:
        return True  # "it looks odd", "it's locked": of a thing, said (tried: "You act: ...")
    if len(words) > 2 and words[1] in _STATED and words[0] not in _NOT_SUBJECTS:
        # "edda will want it back", "crake was lying": someone or something, then how
        # they are or will be (played: "You try to edda will want the locket back.").
        return True
    if _THINGS_ARE.match(" ".join(words)) and words[0] not in _NOT_SUBJECTS:
        # "news from the marsh is bad", "edda's notes are somewhere warm": things (a
        # plural, or someone's) and how they are (tried: "You try to new from the marsh
        # is bad."); not a deed in the third person, "opens the door, which is stuck".
        return True
    if words[0] in _DETERMINERS and _STATED & set(words[1:8]):
        # "some of these stones have names on them" (played at the Heron Stones: a deed
        # that searched the cairn and found its potion): how things are, said.
        return True
    if is_praise(next(iter(sentences(text)), "")):
        return True  # "nice swing", "nice swing. onward"
    if words[0] in _NAMING_THINGS and text.rstrip().endswith(("...", "\u2026")):
        # "the saint..." before a pose (played: "You act: the saint...", a search of
        # the altar rolled): a thing named, trailing off, is said.
        return True
    if _IS_CONTRACTED.match(text):
        # "the fire's good", "this stew's cold": a thing and how it is, its "is" clipped
        # (played: "You act: the fire's good" and a narration of nothing done).
        return True
    leads = words[0] in REPLY_WORDS or words[0] in _LEADS
    if len(words) > 1 and (
        (leads and words[1] in SPOKEN_OPENERS)
        # "first lets grab supplies" (played, round 63: "You try to first lets grab
        # supplies."); not "first I'll check the hearth", the deed.
        or (words[0] in _WHEN_LEADS and words[1] in _WE_OPENERS)
    ):
        # "ok I'll wait": tried, "You try to ok I'll wait."; "then let's have a look
        # before anyone else does": played, "You act: ...".
        return True
    if _LETS_LATER.search(text):
        return True  # "the mill then. let's go to the old mill": played, "You act: ..."
    if _REPORTED.match(text):
        return True  # "bessa said edda lodged up here": tried, "You try to bessa said ..."
    if _SAME_FOR_ME.match(text):
        return True  # "one for me too": tried, "You try to one for you too."
    if words[0] == "wait" and len(words) > 1 and words[1] in _WAIT_WHAT:
        return True  # "wait what", "wait, really?": tried, "You try to wait what."
    if _WE_GO.match(text):
        return True  # "off we go", "in we go, then": tried, "You try to off we go."
    if any(_I_CAN_LATER.match(part) for part in sentences(text)[1:]):
        # "forget the key. I can pick that gate lock" (played in Lanternfall: a deed, a
        # DEX check rolled in the Hospice hall for a gate two rooms away): what one can
        # do, said after words to the others, is a boast, as "I can ..." alone is.
        return True
    if _LEAD_BACK_TO.match(text):
        # "then back to the hospice", "now back to the tavern" (played in a new pack:
        # "You act: then back to the hospice", and no one went).
        return True
    if PLACE_THEN.match(text):
        return True  # "the mill, then. east along the market lane": played, "You act: ..."
    if _SEEMING.match(text):
        return True  # "looks like rain": tried, "You see no 'like rain' here."
    if _WOULD_BE.search(text):
        return True  # "a short rest would be nice": tried, "You act: ..."
    if told_past(words[0]):
        # "came down the causeway. you with the chapel?": of what one did, the "I" left
        # out (played: "You try to came down the causeway. ...").
        return True
    later = sentences(text)[1:]
    if words[0] in _NAMING_FIRST and later and any(_opens_spoken(part) for part in later):
        # A thing named, then words of it: "the warm stone. this hearthstone's loose"
        # (played: "You act: the warm stone. this hearthstone's loose").
        return True
    if (
        words[0] in ("a", "an")
        and later
        and len(sentences(text)[0].split()) <= 4
        # Words of it, not a deed after it ("an old key. take it"): a word alone, or
        # words with a pause ("handy, in the dark"), or words that open as talk does.
        and all(
            (len(part.split()) == 1 and not _COMMAND_WORD.fullmatch(part.strip(" .!?")))
            or ("," in part and "please" not in part.lower())
            or _opens_spoken(part)
            for part in later
        )
        and not any(part.split()[0].lower() in ("i", "i'll", "i'm") for part in later)
    ):
        # "A lamp-keeper. Handy, in the dark." after a look at her (played: "You act: A
        # lamp-keeper. ..."): a thing named, then words of it, none of them a deed.
        return True
    if any(call_words(later) for later in sentences(text)[1:]):
        return True  # "all clear. come on": played, "You try to all clear. come on."
    if any(_CHALLENGE.fullmatch(part.strip()) for part in sentences(text)):
        return True  # "4 skips! beat that": played on the salt bank, "You act: ..."
    if words[0] == "i" and len(words) > 1 and (words[1] in THINKING or told_past(words[1])):
        return True  # "I told you", "I came in from the south road": what one did
    if words[0] == "i" and _OF_ONESELF.search(text):
        return True  # "I keep the lamps at the chapel, or I did": played, "You try to ..."
    if _I_THINK.search(text):
        return True  # "under the water, I think. ...": played, "You try to under the water"
    # "agreed. let's rest" is said; "sure, I pry at the stone" is done, as "I pry" is.
    if opening is not None and is_reply(opening.group(1)):
        rest = opening.group(2)
    else:
        bare = bare_reply(text)
        if bare is None:
            return False
        rest = bare[1]  # "no I don't think so", "yeah the mill" (tried: "You try to ...")
    return is_spoken(rest) or rest.split()[0].lower() != "i"


#: Reply words typed before more with no stop or comma after them, as chat does: "ok
#: open the door", "no I don't think so", "yeah the mill".
_BARE_REPLIES = frozenset(
    ["yes", "yeah", "yep", "yup", "aye", "no", "nah", "nope", "sure", "ok", "okay", "alright"]
)


def bare_reply(text: str) -> tuple[str, str] | None:
    """(the reply word, the rest) when ``text`` opens with one of ``_BARE_REPLIES`` and
    goes on, after a space and no stop or comma, with words that are not themselves
    reply words ("ok open the door": ("ok", "open the door")); None otherwise ("ok,
    open the door" is parted at its comma; "ok thanks" is all a reply). Pure."""
    first, _, rest = text.strip().partition(" ")
    rest = rest.strip()
    if first.lower() not in _BARE_REPLIES or not rest or is_reply(text):
        return None
    return first, rest


#: A farewell, after a reply word or not: "see you soon", "ok, see ya", "take care".
_FAREWELL_SAID = re.compile(
    r"^\W*(?:(?:ok|okay|alright|right|well|thanks|cheers|yeah|sure)[\s,!.]+)?"
    r"(?:see\s+(?:you|ya)|take\s+care|good\s+night|goodnight|night\s+all)\b",
    re.I,
)
#: What tells a sentence of "I" is of one's life, not a thing done now: "I keep the lamps
#: at the chapel, or I did", "I used to fish here", "I sell eels for a living".
_OF_ONESELF = re.compile(
    r"\bi\s+used\s+to\b|,?\s+or\s+(?:i\s+)?(?:did|used\s+to)\b"
    r"|\bfor\s+(?:a\s+living|years|a\s+while\s+now)\b|\bthese\s+days\b|\bback\s+home\b",
    re.I,
)
#: Another's words reported: "bessa said edda lodged up here", "the sister told us".
_REPORTED = re.compile(
    r"^\W*(?:[\w']+\s+){1,2}(?:said|says|told|mentioned|reckons|reckoned|swears|swore|claims"
    r"|claimed)\b",
    re.I,
)
#: Asking for what another had: "one for me too", "same for me", "make that two".
_SAME_FOR_ME = re.compile(
    r"^\W*(?:and\s+)?(?:one\s+for\s+me|(?:the\s+)?same\s+for\s+me|make\s+(?:that|it)\s+two)\b",
    re.I,
)
#: A word tagged on after words, asking the others to agree: "that was close. right?",
#: "we did it! eh?" (no name called, no question for the DM).
TAG_QUESTIONS = frozenset("right eh no yeah huh innit yes ok okay agreed".split())  # noqa: SIM905
#: A remark, then a question tagged on after a comma: "..., isn't it?", "..., eh?".
_TAGGED = re.compile(
    r"\w[^?]*,\s*(?:(?:is|are|was|were|do|does|did|has|have|had|wo|would|ca|could|should"
    r"|must|might)n't\s+(?:it|they|he|she|you|we|i|there|that|this|ye)"
    r"|don't\s+you\s+think|wouldn't\s+you\s+say|ain't\s+it|"
    + "|".join(TAG_QUESTIONS)
    + r")\s*\?+\W*",
    re.I,
)


def tagged(text: str) -> bool:
    """Whether ``text`` ends in a remark with a question tagged on, asking the hearer to
    agree ("Dreadful night to be on the causeway, isn't it?", "cold in here, eh?"): a
    remark, asking nothing anyone must know. Pure."""
    # A phone's apostrophe is the same mark: "isn\u2019t it?" (found in review).
    last = text.strip().replace("\u2019", "'").rsplit(". ", 1)[-1]
    return _TAGGED.fullmatch(last) is not None


#: When, after a way alone: "upstairs then", "south first", "down now, quick".
_WAY_WHEN = re.compile(
    r",?\s*(?:(?:then|first|now|again|quick|quickly|fast)\b[\s,]*){1,2}[.!]*", re.I
)
#: A place decided on, a sentence of its own: "the mill, then.", "ok, the chapel then"
#: (not a question: "the shrine then?").
PLACE_THEN = re.compile(
    r"(?:^|[.!?]\s+)(?:(?:right|ok|okay|now|alright|so)[,.]?\s+)?(the\s+[^.!?,;]+?),?\s+then"
    r"\s*(?=[.!]|$)",
    re.I,
)
#: How a thing seems, its "it" left out: "looks like rain", "sounds like trouble",
#: "seems quiet", "depends who's asking".
_SEEMING = re.compile(
    r"^\W*(?:(?:looks|sounds|seems|feels|smells|tastes)\s+(?:like|as\s+if|as\s+though)\b"
    r"|(?:seems|depends|happens|matters|figures)\b)",
    re.I,
)
#: A wish or a judgement of a thing, said: "a short rest would be nice", "that'd be
#: wise", "a drink wouldn't hurt".
_WOULD_BE = re.compile(
    r"\b(?:would|'d|might|could)\s+be\s+(?:nice|good|great|lovely|wise|smart|best|welcome"
    r"|a\s+good\s+idea|a\s+bad\s+idea)\b|\bwould(?:n't|\s+not)\s+hurt\b",
    re.I,
)
#: Past forms that open a line of what one did ("came down the causeway", "got here at
#: dusk", "left through the window"); forms that are also a plain verb ("read", "put",
#: "set"), or open a question ("was", "did"), are not here.
_PAST_TEXT = (
    "came went got saw heard found lost left took ran fought said told thought knew met made"
    " slept kept brought bought caught felt stood fell rode swam grew spent sent paid sold"
    " won broke spoke woke drank ate wrote"
)
_PAST = frozenset(_PAST_TEXT.split())
#: Words ending "ed" that are plain verbs: "shed the cloak", "proceed north".
_NOT_PAST = frozenset({"shed", "shred", "embed", "wed", "bed", "sled", "heed"})


def told_past(word: str) -> bool:
    """Whether ``word`` (a line's first, lower case, no marks) is a verb's past form
    ("came", "walked"): a line opening with one tells what one did, and is said. Words
    of "-eed" ("proceed", "need") and ``_NOT_PAST`` are plain verbs. Pure."""
    if word in _PAST:
        return True
    return (
        len(word) >= 4
        and word.endswith("ed")
        and not word.endswith("eed")
        and word not in _NOT_PAST
    )


#: What one thinks, put after it: "under the water, I think", "south, I reckon", "the key
#: opens it, probably".
_I_THINK = re.compile(
    r",\s*i\s+(?:think|guess|reckon|suppose|believe|bet)\b"
    # Or a hedge closing it: "key unlocks door prob" (played: "You act: ...").
    r"|[,\s]+(?:probably|maybe|perhaps)\W*$",
    re.I,
)
#: Words that lead into what is said: "then let's ...", "now we wait", "and you?".
_LEADS = frozenset({"then", "now", "and"})
#: Words of when before what "we" do: "first lets grab supplies", "next we rest".
_WHEN_LEADS = frozenset({"first", "firstly", "next", "afterwards", "meanwhile"})
_WE_OPENERS = frozenset({"let's", "lets", "we", "we're", "we'll", "we've", "we'd"})
#: Words a line naming a thing opens with, before any deed: "the warm stone. ...".
_NAMING_FIRST = frozenset(
    {"the", "a", "an", "some", "her", "his", "their", "our"}
    # A time or a count said back: "three nights. we should take a look at her room"
    # (played: "You try to three nights. ...").
    | {"two", "three", "four", "five", "six", "seven", "ten", "twenty", "few", "many"}
)


def _opens_spoken(sentence: str) -> bool:
    """Whether ``sentence`` opens with one of ``SPOKEN_OPENERS`` ("this hearthstone's
    loose", "it's locked")."""
    first = sentence.split(maxsplit=1)[0].strip(",.!?;:'\"").lower() if sentence.split() else ""
    return first in SPOKEN_OPENERS or first.removesuffix("'s") in SPOKEN_OPENERS


#: A word alone that is a command: a way ("A ladder. Up."), a blow or a guard ("A rat!
#: Defend!"): found in review, said.
_COMMAND_WORD = re.compile(
    r"(?:north|south|east|west|up|down|in|out|n|s|e|w|u|d|ne|nw|se|sw|upstairs|downstairs"
    r"|attack|defend|flee|hide|rest|look|search|run)",
    re.I,
)
#: "off we go", "down we go", "here we go again", "down it is": said, whoever leads.
_WE_GO = re.compile(r"^\W*\w+\s+(?:we\s+go|i\s+go|it\s+is)\b", re.I)
#: A lead, then a way back or on to a place: "then back to the hospice", "now on to the
#: shrine".
#: Words that set a walk off, before the way ("then back to ...", "ok. back to ..."):
#: the parser's and ``commands._LETS_WALK``'s one list.
WALK_LEADS = "then|now|right|ok|okay|so|alright|and"
_LEAD_BACK_TO = re.compile(
    rf"^\W*(?:{WALK_LEADS})[,.]?\s+(?:back|on|onwards?)\s+"
    r"(?:(?:up|down|upstairs|downstairs|out|over)\s+)?to\s+\w",
    re.I,
)
#: A later sentence of what one can do: "I can pick that lock", "I could climb it".
_I_CAN_LATER = re.compile(r"\W*i\s+(?:can|could|bet\s+i\s+can)\s+(?!not\b|'t\b)[a-z]", re.I)
#: A later sentence that opens with "let's": the line is a call to the others.
_LETS_LATER = re.compile(r"[.!?;]\s+let'?s\b", re.I)
#: Where a line's later sentences begin.
_LATER = re.compile(r"(?<=[.!?;])\s+")


def sentences(text: str) -> list[str]:
    """The sentences of ``text`` (parted after ".", "!", "?" or ";"), none empty."""
    return [part for part in _LATER.split(text.strip()) if part]


#: A line's first sentence (or clause before a comma), and what follows it.
_FIRST_SENTENCE = re.compile(r"^([^.!,?]*)[.!,?]\s*(\S.*)$")


#: A pose between stars that opens or ends a line, or opens a sentence after the first:
#: "*grins*", "hello *waves*", "ok. *raises her lantern high* saint ysolde, light the
#: way!" (played: all of it said); a star inside a sentence is emphasis: "I *told* you".
_STARRED = re.compile(r"^\*[^*\s][^*]*\*|\*[^*\s][^*]*\*[.!]?$|(?<=[.!?])\s+\*[^*\s][^*]*\*(?=\s)")

#: Words after "me" that make it an answer, not the emote shortcut ("me too").
_ME_TOO = frozenset(["too", "neither", "either", "also", "as", "same", "nor", "myself"])


def _first(words: str) -> str:
    """The first word of ``words``, lower case, without punctuation around it."""
    return words.split(maxsplit=1)[0].strip(",.!?;:'\"").lower() if words.strip() else ""


def direction_of(word: str) -> str | None:
    """The direction ``word`` names ("n", "north", "upstairs"), or None."""
    w = word.lower()
    if w in DIRECTIONS:
        return w
    return DIRECTION_ALIASES.get(w) or WALK_WORDS.get(w)


_WHOLE_WAYS = frozenset([*(d for d in DIRECTIONS if d != "in"), *WALK_WORDS])


#: "good <time>": a greeting or a farewell ("good evening", "good night").
_TIMES_OF_DAY = frozenset({"morning", "afternoon", "evening", "day", "night", "morrow"})


def named_way(words: str) -> str | None:
    """The one direction, by its whole name ("south", "upstairs", not "s"; "in" is too
    often a word of place), that ``words`` hold, or None when they hold none or more
    than one: "the lanterns south" -> "south". For a walk said in a player's own words.
    Pure."""
    found = {
        way
        for word in re.findall(r"[a-z]+", words.lower())
        if word in _WHOLE_WAYS and (way := direction_of(word)) is not None
    }
    return found.pop() if len(found) == 1 else None


#: Words that make the quoted words beside them speech: "she says", "asks Tamsin".
_SPEECH_VERBS = (
    "say says said ask asks asked reply replies replied answer answers answered whisper "
    "whispers whispered mutter mutters muttered murmur murmurs murmured call calls called "
    "add adds added shout shouts shouted exclaim exclaims exclaimed continue continues "
    "continued"
)
_SPEECH = "|".join(_SPEECH_VERBS.split())
#: A speech tag at the start of the words after a quotation: "says Tamsin", "she asks
#: softly", "Dov says, nodding" (the manner after it stays).
_TAG_AFTER = re.compile(
    rf"^\W*(?:(?:and\s+)?[\w']+\s+)?(?P<verb>{_SPEECH})\b(?:\s+[a-z]+ly\b)?"
    # Not "to": 'she says to Bessa' names whom (played: '"Evening," Ashe says to
    # Bessa.' read "Ashe bessas.", "to" taken for a speaker's name).
    rf"(?:\s+(?!to\b)(?:he|she|they|i|we|[A-Z][\w']*)\b)?\W*",
    re.I,
)
#: Whom words are said to, named after their speech tag: "to Bessa", "to the barkeep,
#: nodding", "to no one in particular". Up to four words, ended by a mark or the line.
_WHOM = r"(?P<who>[A-Za-z][\w'-]*(?:\s+[A-Za-z][\w'-]*){0,3}?)"
_TAG_TO = re.compile(rf"^\s*to\s+{_WHOM}\s*(?=[,.!?;:]|$)", re.I)
#: A speech tag with whom it is to, ending the words before a quotation: "Ashe says to
#: Bessa,", "leans in and says to the keeper,".
_TAG_BEFORE_TO = re.compile(
    rf"(?:(?:,|\band)\s+)?(?:\b[\w']+\s+)?\b(?P<verb>{_SPEECH})(?:\s+[a-z]+ly)?\s+to\s+"
    rf"{_WHOM}\s*[,:]?\s*$",
    re.I,
)
#: Whom words said to are to no one in the room: "no one in particular", "everyone",
#: "himself", "her" (a pronoun, whose one is not known here).
_TO_NO_ONE = re.compile(
    r"^(?:no[ -]?one|nobody|anyone|anybody|everyone|everybody|all|the\s+(?:room|table|others"
    r"|company|crowd|air)|(?:my|him|her|them|your|it)sel(?:f|ves)|themself|him|her|them|it|you"
    r"|me|us)(?:\s+(?:in\s+particular|at\s+all|present|here))?$",
    re.I,
)
#: Speech verbs that hush the words: said to whom as a whisper, the pose kept.
_HUSHED = frozenset(
    "whisper whispers whispered mutter mutters muttered murmur murmurs murmured".split()  # noqa: SIM905
)
#: A speech tag ending the words before a quotation: "leans in and says", "Tamsin says:".
_TAG_BEFORE = re.compile(
    rf"(?:(?:,|\band)\s+)?(?:\b[\w']+\s+)?\b(?:{_SPEECH})(?:\s+[a-z]+ly)?\s*[,:]?\s*$", re.I
)
#: Words before a quotation that make it a thing's words, not speech: a sign read.
_QUOTING = re.compile(
    r"\b(?:reads?|wrote|writes?|scrawls?|scrawled|carves?|carved|spells?|marked|labell?ed|"
    r"titled|named|called|word|words|sign|says\s+on\s+it)[\s:,]*$",
    re.I,
)
_QUOTATION = re.compile(r'"([^"]*)"|\u201c([^\u201d]*)\u201d')
#: Other languages' quotation marks, read as “...”: German „...“, French « ... », and
#: Japanese 「...」 and 『...』 (played: each pose with them was a deed, "You try to lehnt
#: sich an die Theke. „Hat jemand die Kartografin gesehen?“.").
_OTHER_QUOTES = re.compile(
    "\u201e([^\u201c\u201d\u201e]*)[\u201c\u201d]|\u00ab\\s*([^\u00ab\u00bb]*?)\\s*\u00bb"
    "|\u300c([^\u300c\u300d]*)\u300d|\u300e([^\u300e\u300f]*)\u300f"
)
#: The marks a quotation may open with.
QUOTE_OPENERS = '"\u201c\u201e\u00ab\u300c\u300e'


def _curly(text: str) -> str:
    """``text`` with other languages' quotations as “...”."""
    if not any(mark in text for mark in QUOTE_OPENERS[2:]):
        return text
    return _OTHER_QUOTES.sub(
        lambda m: "\u201c" + next(g for g in m.groups() if g is not None) + "\u201d", text
    )


def roleplay(text: str) -> tuple[tuple[str, str], ...] | None:
    """A line written as prose, its speech in quotation marks: ``(("pose", words),
    ("say", words), ("pose", words))`` in the order they come (the pose before the
    last quotation, all the words said, then the pose after them, each only when there
    is one; a speech tag, "she says", is left out, the manner after it kept: ``"Evening,"
    Dov says, nodding to the barkeep.`` is ``(("say", "Evening."), ("pose", "nodding to
    the barkeep."))``; a
    name called before the quotation is said with it), or None when the line has no
    quotation, an unpaired mark, or quotes a thing's words ("the sign reads "KEEP
    OUT"") or a word or two in passing ("the "honest" one"). Called by ``parse`` and
    the emote command; pure."""
    text = _curly(text)
    if '"' not in text and "\u201c" not in text:
        return None
    if text.count('"') % 2 or text.count("\u201c") != text.count("\u201d"):
        return None
    spans = list(_QUOTATION.finditer(text))
    quoted = [(m.group(1) if m.group(1) is not None else m.group(2)).strip() for m in spans]
    if not any(quoted):
        return None
    chunks = [text[: spans[0].start()]]
    chunks += [text[a.end() : b.start()] for a, b in itertools.pairwise(spans)]
    chunks.append(text[spans[-1].end() :])
    said: list[str] = []
    for i, words in enumerate(quoted):
        before, after = chunks[i], chunks[i + 1]
        if _QUOTING.search(before):
            return None
        tag = _TAG_AFTER.match(after)
        tagged = _TAG_BEFORE.search(before) or (tag and tag.group(0).strip(" ,.!?:;"))
        in_passing = before.rstrip()[-1:].isalpha() and after.strip()[:1].isalpha()
        if len(words.split()) <= 2 and in_passing and not tagged:
            return None
        if said and said[-1].endswith(",") and not before.rstrip().endswith(","):
            said[-1] = said[-1][:-1] + "."  # "Evening," she says. "Any stew?"
        if words:
            said.append(words)
    called = _CALLED.match(chunks[0])
    if called:  # "Bessa, "a bowl of stew"": said to her
        said.insert(0, called.group(1) + ",")
        chunks[0] = ""
    # The pose before the last quotation, the words, and the pose after them, in that
    # order: 'Oswin raises his mace high. "Saint Ysolde, guide my hand!" He brings it
    # down on the drowned thing.' (played: posed and struck, and then the cry said).
    before_words: list[str] = []
    after_words: list[str] = []
    whom = ""  # whom the words are to, named by a speech tag ("she says to Bessa")
    for i, chunk in enumerate(chunks):
        words = chunk
        tag = _TAG_AFTER.match(chunk) if i > 0 else None
        if tag is not None:
            words, to = _said_to(tag.group("verb"), chunk[tag.end() :])
            whom = whom or to
        if i < len(chunks) - 1:
            tag = _TAG_BEFORE_TO.search(words)
            if tag is not None:
                spoken, to = _said_to(tag.group("verb"), words[tag.start("who") - 3 :])
                words = words[: tag.start()] + (f" {spoken}" if spoken.strip(" ,") else "")
                whom = whom or to
            words = _TAG_BEFORE.sub("", words, count=1)
        words = _LABEL.sub("", words).strip(" ,;:-")
        if words.strip(" .!?"):
            # A pose between two quotations goes before the words, as they are said
            # as one ('She eyes his sword. "You any good with that?"').
            (before_words if i < len(chunks) - 1 else after_words).append(words)
    if whom and not called:
        said.insert(0, f"{whom},")  # '"Evening," she says to Bessa': to her
    speech = " ".join(said)
    if speech.endswith(","):
        speech = speech[:-1] + "."
    parts = (
        ("pose", " ".join(before_words)),
        ("say", speech if any(quoted) else ""),
        ("pose", " ".join(after_words)),
    )
    return tuple((kind, words) for kind, words in parts if words)


def _said_to(verb: str, after: str) -> tuple[str, str]:
    """``after``, the words after a speech tag's ``verb``, without whom the words are
    said to ("to Bessa, nodding": ", nodding"), and that one's name ("Bessa"; "" for no
    one in the room, "to no one in particular"). Words whispered keep it, as the pose that
    whispers to them ("whispers to Ann"). For ``roleplay``; pure."""
    to = _TAG_TO.match(after)
    if to is None:
        return after, ""
    who = to.group("who")
    if _TO_NO_ONE.fullmatch(who):
        return after[to.end() :], ""
    if verb.lower() in _HUSHED:
        return f"whispers {after.lstrip()}", ""
    return after[to.end() :], who


#: A name called before a quotation: "Bessa, "stew, please"".
_CALLED = re.compile(r"^\s*([A-Za-z][\w']*)\s*,\s*$")
#: A speaker's label, as in a script: "Tamsin: "hello"".
_LABEL = re.compile(r"^\s*[A-Za-z][\w']*\s*:\s*$")


#: Chat's shorthand and the commonest slips of the keys, as the words meant: read in a
#: line that is no command ("wat is thsi place": played, "You try to wat is thsi
#: place."). Only words that are no English word of their own ("its", "lets", "wont"
#: are, and stay).
_SLIPS = MappingProxyType(
    {
        **dict.fromkeys(("wat", "wut", "wht", "waht", "whta"), "what"),
        **dict.fromkeys(("whats", "wats", "wuts", "whta's"), "what's"),
        **dict.fromkeys(("wher", "whre", "wehre", "hwere"), "where"),
        "wheres": "where's",
        "hwo": "how",
        **dict.fromkeys(("wich", "whcih", "whihc"), "which"),
        "hows": "how's",
        "whos": "who's",
        **dict.fromkeys(("thsi", "tihs"), "this"),
        **dict.fromkeys(("teh", "hte"), "the"),
        **dict.fromkeys(("tehre", "thier"), "there"),
        **dict.fromkeys(("tehy", "thye"), "they"),
        **dict.fromkeys(("u", "yu", "yuo"), "you"),
        "r": "are",
        **dict.fromkeys(("ur", "yr"), "your"),
        "youre": "you're",
        **dict.fromkeys(("pls", "plz", "plese", "pleas"), "please"),
        **dict.fromkeys(("thx", "thnx", "thnks", "tnx"), "thanks"),
        "im": "I'm",
        "ive": "I've",
        "dont": "don't",
        "cant": "can't",
        "isnt": "isn't",
        "doesnt": "doesn't",
        "didnt": "didn't",
        "havent": "haven't",
        "wouldnt": "wouldn't",
        "shouldnt": "shouldn't",
        "gonna": "going to",
        "wanna": "want to",
        "gotta": "got to",
        "lemme": "let me",
        "gimme": "give me",
        "dunno": "don't know",
        "ppl": "people",
        "abt": "about",
        **dict.fromkeys(("smth", "sth"), "something"),
        "tho": "though",
        **dict.fromkeys(("prob", "probs", "prolly"), "probably"),
        "thru": "through",
        **dict.fromkeys(("wiht", "wtih"), "with"),
        **dict.fromkeys(("kno", "knwo"), "know"),
        "thnik": "think",
        **dict.fromkeys(("attak", "atack", "attck", "attakc", "atatck"), "attack"),
        **dict.fromkeys(("serch", "seach", "saerch", "serach"), "search"),
        **dict.fromkeys(("opne", "oepn"), "open"),
        **dict.fromkeys(("unlcok", "unlokc", "unlok"), "unlock"),
        **dict.fromkeys(("tkae", "taek"), "take"),
        **dict.fromkeys(("kil", "kll", "klil"), "kill"),
        **dict.fromkeys(("loko", "lokk"), "look"),
    }
)
#: The verbs players type most, first the likelier of two a slip may be ("lok": look,
#: not lock). A slip of one of the keys, opening a line of more words, is read as the
#: verb: a letter left out or doubled, or two swapped, past the first ("lok at bessa":
#: played by a newcomer, "You try to lok at Bessa.", narrated as a deed).
_SLIPPED_VERBS = """look take drop open close unlock lock search attack kill examine inventory
    wield wear drink quaff follow consider score equipment sneak hide steal give flee cast
    rest sleep stand remove group party help where scan tell shout whisper read climb push
    pull enter talk haggle say emote"""
#: Such slips that are words of their own (an English dictionary's, and a few of Britain
#: and Scotland's): "war" is no slip of "wear", nor "seal" of "steal".
_WORDS_NOT_SLIPS = frozenset(
    """cat cats cst dink droop fee hep hid hie hied inventor part pus red san sand seal seep
    shot shut sore stael stan tel war weld were wild wiled loo tae ope gie wer hel
    tal""".split()  # noqa: SIM905
)


def _slips_of(verb: str) -> list[str]:
    """The slips of one key ``verb`` may be typed with, its first letter right: a letter
    left out ("lok"), doubled ("lookk") or two swapped ("loko"), three letters or more.
    Pure."""
    slips = []
    for i in range(1, len(verb)):
        slips += [verb[:i] + verb[i + 1 :], verb[:i] + verb[i] + verb[i:]]
        if i < len(verb) - 1:
            slips.append(verb[:i] + verb[i + 1] + verb[i] + verb[i + 2 :])
    return [slip for slip in slips if len(slip) >= 3 and slip != verb]


#: Each slip of a verb players type most, and the verb.
VERB_SLIPS: Mapping[str, str] = MappingProxyType(
    {
        slip: verb
        for verb in reversed(_SLIPPED_VERBS.split())  # the likelier one's last, and kept
        for slip in _slips_of(verb)
        if slip not in _WORDS_NOT_SLIPS and slip not in _SLIPS
    }
)
#: Commands whose words are the player's own, said or written, never read again.
_OWN_WORDS_COMMANDS = frozenset(
    {"say", "shout", "emote", "tell", "whisper", "ooc", "gtell", "do", "ask", "talk", "afk"}
    | {"describe", "report", "bug", "typo", "idea", "announce", "password"}
)
#: Of those, the commands whose words an NPC or the DM answers, and so are read through
#: their slips like a line that is no command; the hub shows them as typed.
_READ_THROUGH = frozenset({"say", "ask"})
#: Words of how a thing is done, which change nothing it does ("carefully"); also how a
#: pose is taken (``poses``). Not "quietly", "softly" or "silently", which make a walk a
#: sneak.
HOW_DONE = (
    "carefully|slowly|quickly|gently|gingerly|cautiously|swiftly|firmly|hastily|reverently"
    "|warily|eagerly|nervously|calmly|tenderly|deliberately|wearily|shakily|stiffly"
    "|painfully|heavily|unsteadily|awkwardly|gracefully|groggily|weakly"
)
#: How a command is done, closing it: "pick it up carefully".
_HOW_AFTER = re.compile(rf"[,\s]+(?:{HOW_DONE})[.!]*$", re.I)
#: A way, gone without a sound: "down quietly", "north, on tiptoe".
_QUIETLY_AFTER = re.compile(r"(\w+)[,\s]+(?:quietly|softly|silently|on\s+tiptoe)[.!]*$", re.I)
_ARTICLE_SLIP = re.compile(r"(?<![\w'-])(?:teh|hte)\s+(?=\w)", re.I)
#: A word, its apostrophes inside it ("what's"): one after a quote mark is a word too
#: ("'wats up").
_SLIP = re.compile(r"(?<![\w-])(?<!\w')[A-Za-z]+(?:'[A-Za-z]+)*(?![\w-])(?!'\w)")
#: Chat's own short words, which may be drawn out: replies, exclamations and greetings.
_SHORT_CHAT = REPLY_WORDS | _EXCLAIMED | GREETINGS | {"so", "well", "now", "too", "all"}


#: After "lets", what is done and not proposed: "lets out a breath", "lets it fall".
_LETS_DONE = re.compile(r"\s+(?:out|slip|loose|fly|rip|fall|drop|it|him|her|them)\b", re.I)


def _meant(match: re.Match[str]) -> str:
    """The word ``match`` (of ``_SLIP``) meant: itself, or what its slip stands for."""
    word = match.group(0)
    low = word.lower()
    fixed = _SLIPS.get(low)
    before = match.string[: match.start()].rstrip()
    after = match.string[match.end() :].lstrip()
    if low == "u" and (not before or before[-1] in ".!?;") and (not after or after[0] in ".!?;"):
        # "k pell, follow me. u" (tried: the way up read as "you", and all of it said):
        # a "u" that is a sentence of its own is the way up, as typed alone.
        return word
    if low == "y" and not before.strip(" '\"") and not after.strip(" .!'\""):
        # "y" alone to "Type 'group accept', or say yes." (played: "You try to y.").
        return "yes" if word == low else "Yes"
    if (
        fixed is None
        and low == "lets"
        and not match.string[: match.start()].strip(" '\"")
        # "lets out a long breath" is done, not proposed (tried: "let's out ...").
        and _LETS_DONE.match(match.string, match.end()) is None
    ):
        fixed = "let's"
    if fixed is None and low not in _SHORT_CHAT and _DRAWN_OUT.search(low):
        # "wooo we did it!!", "yaaay", "ohhh" (played: "You try to wooo we did it."): a
        # word of chat drawn out, as it is said short.
        fixed = next((w for w in _drawn_in(low) if w in _SHORT_CHAT), None)
    if fixed is None:
        return word
    return fixed[0].upper() + fixed[1:] if word[0].isupper() else fixed


#: A letter three times or more in a row: a word drawn out ("wooo", "yaaay").
_DRAWN_OUT = re.compile(r"([a-z])\1\1")


def _drawn_in(word: str) -> list[str]:
    """``word`` with each run of a letter three times or more cut to two, then to one:
    "wooo" -> ["woo", "wo"], "yaaay" -> ["yaay", "yay"]. Pure."""
    return [re.sub(r"([a-z])\1{2,}", r"\1\1", word), re.sub(r"([a-z])\1{2,}", r"\1", word)]


def unslipped(text: str) -> str:
    """``text`` with chat's shorthand and slips of the keys (``_SLIPS``) as the words
    meant ("wat is thsi place": "what is this place"; "lets go" opening a line: "let's
    go"); a word capitalised stays so. Called by ``parse`` for a line that is no
    command. Pure."""
    return _SLIP.sub(_meant, text)


def as_typed(words: str, typed: str) -> str:
    """``words``, a stretch of ``unslipped(typed)`` as the game says it aloud, with each
    slip in it put back as it was typed: of "wanna group up?", "Want to group up?" is
    "Wanna group up?". A line is read as the words meant (``unslipped``), but what a
    player says is shown in their own keys (played: Grimbold's "wanna group up?" read
    "Want to group up?", Wren's "drink ur potion" "drink your potion"). ``words`` that
    are no stretch of that line, or hold no slip of it, come back as they are. Called
    by ``phrasing.in_their_keys``. Pure."""
    # Where each slip's meaning stands in the line meant: (start, end, as typed).
    slips: list[tuple[int, int, str]] = []
    meant: list[str] = []
    at = 0  # where the line meant has reached
    last = 0  # where the line typed has reached
    for match in _SLIP.finditer(typed):
        fixed = _meant(match)
        gap = typed[last : match.start()]
        meant.append(gap)
        at += len(gap)
        if fixed != match.group(0):
            slips.append((at, at + len(fixed), match.group(0)))
        meant.append(fixed)
        at += len(fixed)
        last = match.end()
    if not slips:
        return words
    line = "".join(meant) + typed[last:]
    # The game closes and opens what it says ("want to go," said as "Want to go.").
    core = words.rstrip(" .,!?;:")
    start = line.lower().find(core.lower()) if core else -1
    if start < 0:
        return words
    shown = words
    for begin, end, slip in reversed(slips):
        if begin < start or end > start + len(core):
            continue  # a slip outside what is said, or cut by its edge
        i, j = begin - start, end - start
        capital = shown[i].isupper() and not line[begin].isupper() and slip[0].islower()
        shown = shown[:i] + (slip[0].upper() + slip[1:] if capital else slip) + shown[j:]
    return shown


def parse(line: str, commands: dict[str, str]) -> Intent:
    """Parse ``line`` given ``commands`` (every name and alias -> canonical name)."""
    text = line.strip()
    if not text:
        return Intent("", "", line)
    head = text.split(maxsplit=1)[0].lower()
    # "I" is the inventory's word too: 'I lean in. "Stew?"' is prose (played: a deed).
    prose = (
        roleplay(text) if head not in commands or head == "i" or text[0] in QUOTE_OPENERS else None
    )
    if prose is not None:
        # Roleplay, its speech quoted: "Tamsin leans on the bar. "Stew, please.""
        # (played: "You try to lean on the bar. "Stew, please."."), "\u201cHello\u201d".
        if len(prose) == 1 and prose[0][0] == "say":
            return Intent("say", unslipped(prose[0][1]), line)
        return Intent("emote", text, line)
    if text[0] == "'" and text[-1] == "'" and text.count("'") == 2 and len(text) > 2:
        return Intent("say", unslipped(text[1:-1].strip()), line)  # 'hello'
    if text[0] == "'" or text[0] == '"':
        return Intent("say", unslipped(text[1:].strip()), line)
    if text[0] == ":":
        return Intent("emote", text[1:].strip(), line)
    if text[:4].lower() == "/me " or (
        _STARRED.search(text) and text.split(maxsplit=1)[0].lower() not in commands
    ):
        # The chat ways of posing: "/me waves", "*nods at the newcomer*", "*grins*
        # hello" (played: "You act: *nods at the newcomer*"). ``commands`` parts the
        # pose from the words around it.
        return Intent("emote", text[4:].strip() if text[0] == "/" else text, line)
    head, _, rest = text.partition(" ")
    verb = head.lower()
    rest = rest.strip()
    if verb.rstrip(",.!") in GREETINGS:
        # "hey bessa, wats good here?" (tried: answered as if of her healing, where
        # "what's good here?" is her bill of fare).
        return Intent("say", unslipped(text), line)
    if verb == "good" and _first(rest) in _TIMES_OF_DAY:
        # "good evening, all", "good morning" (tried: "You try to good evening, all.").
        return Intent("say", unslipped(text), line)
    seated = _SINKS_INTO_A_SEAT.match(text)
    if seated is not None:
        # "sinks into a chair by the fire" (played: a pose, and she stood as before): a
        # seat is sat in, where the rest of the line says, or on it ("settle on the
        # bench" on the ferry: played, "You sit down.").
        where = seated.group(2).strip(" .!") or f"on the {seated.group(1).lower()}"
        return Intent("sit", where, line)
    seated = _SINKS_DOWN_BY.match(text)
    if seated is not None:
        return Intent("sit", seated.group(1).strip(" .!"), line)
    if CATCHES_BREATH.fullmatch(text):
        # "catch my breath" (played, round 59, on the eel landing: said aloud, then the
        # rest taken; "I catch my breath" said "catch my breath"; "catch our breath" a
        # deed): the short rest, the group's.
        return Intent("rest", "", line)
    if _TO_FEET.match(text):
        # "pushes herself up from the floor" after a fall (played: a STR check to push,
        # failed: "You strain at it, and it does not move."), "gets to her feet".
        return Intent("stand", "", line)
    if _ROLES.match(text):
        # "i tank, u stab" (played: "You act: i tank, you stab" and a narration of a
        # deed), "me tank, you stab" (tried: the emote "Jax tank, you stab.").
        return Intent("say", unslipped(text), line)
    if verb == "i" and rest:
        # "I pry at the stone" is a player's action, not the inventory shortcut.
        return _free(text, line, commands)
    if verb.rstrip(",.!?") == "me" and (not rest or _first(rest) in _ME_TOO):
        # "me neither" is said, not the emote "Pike neither." (played).
        return Intent("say", text, line)
    if verb in commands:
        # "grab teh map" (played: "You see no 'teh map' here."): only the article's
        # slips in a command's words, which may be anyone's name, and none in words
        # said or written, which are the player's own.
        canonical = commands[verb]
        if canonical in _READ_THROUGH:
            return Intent(canonical, unslipped(rest), line)  # shown as typed: ``as_typed``
        if canonical in _OWN_WORDS_COMMANDS:
            return Intent(canonical, rest, line)
        # "pick it up carefully" (played as a pose: a deed narrated, the lantern left
        # lying; "*picks up the key carefully*": "You see no 'key carefully' here.").
        rest = _HOW_AFTER.sub("", rest) if " " in rest else rest
        quiet = _QUIETLY_AFTER.match(rest) if canonical == "go" else None
        if quiet is not None and direction_of(quiet.group(1)) and "sneak" in commands:
            return Intent(commands["sneak"], quiet.group(1), line)  # "go down quietly"
        return Intent(canonical, _ARTICLE_SLIP.sub("the ", rest), line)
    if verb == "help!" and not rest:
        return Intent("say", text, line)  # a cry, as "help! help!" and "help me!" are
    if not rest and commands.get(verb.rstrip("!.")) in CRIED_COMMANDS:
        # "attack!", "flee!" alone (played in a fight: "Unknown command 'attack!'. Did
        # you mean 'attack'?", and the turn ran out).
        return Intent(commands[verb.rstrip("!.")], "", line)
    direction = direction_of(verb)
    if direction is not None and not rest:
        return Intent("go", direction, line)
    way = direction_of(verb.rstrip(",.!"))
    if way is not None and rest and _WAY_WHEN.fullmatch(rest):
        # "upstairs then", "down, quick" (played: "You try to upstair then.").
        return Intent("go", way, line)
    if not rest:
        # Directions are suggested the same way as commands ("nroth" -> north).
        known = {**commands, **{d: d for d in DIRECTIONS}}
        close = difflib.get_close_matches(verb, list(known), n=1, cutoff=0.75)
        if close:
            # A lone word that slipped is asked about, not run ("lokk": "Did you mean
            # 'look'?"), as it always was.
            return Intent("", text, line, suggestion=known[close[0]])
    meant = VERB_SLIPS.get(verb)
    if (
        meant is not None
        and verb not in commands
        and verb not in GREETINGS
        and verb not in REPLY_WORDS
        and direction_of(verb) is None
    ):
        # "lok at bessa", "exmaine the map", "attcak the rat": the verb meant, the line
        # as typed (played: "You try to lok at Bessa."); a slip alone is asked about
        # above.
        return evolve(parse(f"{meant} {rest}".strip(), commands), raw=line)
    return _free(text, line, commands)


#: Sitting, in other words: "sinks into a chair by the fire", "drops onto a stool at the
#: bar" (the place after the seat).
_SINKS_INTO_A_SEAT = re.compile(
    r"^\W*(?:i\s+)?(?:sinks?|drops?|flops?|collapses?|slumps?|settles?|slides?|slips?|hops?"
    r"|perch(?:es)?|climbs?"
    r"|lowers?\s+(?:my|him|her|them)sel(?:f|ves))"
    r"\s+(?:down\s+)?(?:into|onto|on|in)\s+(?:a|an|the)\s+(chair|stool|bench|seat|armchair)\b"
    r"([^.!?]*)[.!]*$",
    re.I,
)
#: Sitting down by something, in other words: "sink down against the wall", "slumps down
#: beside Hob" (played: "You try to sink down against the wall.").
_SINKS_DOWN_BY = re.compile(
    r"^\W*(?:i\s+)?(?:sinks?|slumps?|slides?|settles?|collapses?|sags?|drops?)\s+down\s+"
    r"((?:against|beside|by|next\s+to|at|on|onto)\s+[^.!?;]+?)[.!]*$",
    re.I,
)
#: One's breath caught, and when: "catch my breath", "catch our breath here", "catch a
#: breath first" (also within words said: ``commands._REST_SAID``).
BREATH = (
    r"catch(?:es)?\s+(?:my|our|a|his|her|their)\s+breath"
    r"(?:\s+(?:back|first|here|now|a\s+moment|for\s+a\s+(?:moment|bit|minute)))?"
)
#: One's breath caught, alone on its line: "catch my breath", "I catch my breath".
#: Words of it to the others ("let me catch my breath") are said, and rest too
#: (``commands._rest_said``).
CATCHES_BREATH = re.compile(rf"(?:(?:i|we)\s+)?{BREATH}\s*[.!]*", re.I)
#: Getting up, in words: "push myself up off the floor", "hauls himself up", "gets to her
#: feet", "staggers to his feet".
_TO_FEET = re.compile(
    r"^\W*(?:i\s+)?(?:(?:push|pull|haul|heave|drag|pick|lever|hoist)(?:s|es|ed)?\s+"
    r"(?:my|him|her|them)sel(?:f|ves)\s+(?:back\s+)?up\b"
    r"|(?:get|gets|got|climb|climbs|stagger|staggers|scramble|scrambles|clamber|clambers"
    r"|struggle|struggles|rise|rises|stumble|stumbles|lurch|lurches)\s+"
    r"(?:back\s+)?(?:up\s+)?to\s+(?:my|his|her|their)\s+feet\b)[^.!?]*[.!]*$",
    re.I,
)
#: Who does what, shared out in a word each: "i tank, you stab", "me tank and u heal".
_ROLES = re.compile(r"^\W*(?:i|me)\s+[\w'-]+(?:\s*,\s*|\s+and\s+)(?:you|u)\s+[\w'-]+\b", re.I)
#: Commands cried out alone with a mark after them, as a fight is played: "attack!".
CRIED_COMMANDS = frozenset({"attack", "flee", "defend"})


def _free(text: str, line: str, commands: dict[str, str]) -> Intent:
    """A line that is no command: as typed, or, with slips of the keys in it, the line
    meant, parsed again ("atack the rat" attacks); a question opened with chat's little
    words has its mark ("ok so what now": played, said to the room, where "what now"
    alone is asked)."""
    meant = unslipped(text)
    if meant != text and text.split()[0].lower() == "r":
        # "r on my way": other MUDs' reply to a tell, or chat's "are"; the line as typed
        # kept for the dispatcher to tell which (``commands._dispatch``).
        return evolve(parse(meant, commands), raw=line)
    if meant != text:
        return parse(meant, commands)
    if _FILLED_QUESTION.match(text) or (
        (last := _QUESTION_LAST.search(text)) is not None
        and not _DOING_THAT.search(text)
        and not _OF_YOU.search(last.group())
    ):
        return Intent("", text.rstrip(" .!") + "?", line)
    return Intent("", text, line)


#: A question with no mark, closing a line after a sentence of its own: "cool!! where
#: do we start" (played in Lanternfall: all said, where "where do we start" alone is
#: asked). Its word after "where", "what" and the like asks ("where she went ..." does
#: not).
_QUESTION_LAST = re.compile(
    r"[.!]\s+(?:what|where|how|who|which|why|when)\s+(?:do|does|did|should|shall|can|could"
    r"|would|will|is|are|was|were|now|next|then)\b[^?.!;]*$",
    re.I,
)
#: A question of "you": "welcome! when did you get here" is for the one spoken to, as
#: typed (found in review: asked of the DM, and the other player heard only "welcome!").
_OF_YOU = re.compile(r"\b(?:you|your|u|ya|yours)\b", re.I)
#: How to do what was just spoken of, put to the one who spoke of it: "sure! how do we
#: do that" (to "want to team up?": said to them, as typed).
_DOING_THAT = re.compile(r"\bdo\s+(?:that|this|it)\W*$", re.I)
#: A question of one sentence, with no mark, after little words: "ok so what now".
_FILLED_QUESTION = re.compile(
    r"^(?:(?:ok(?:ay)?|so|alright|right|well|and|um+|hm+|then)[,]?\s+)+"
    r"(?:what|where|how|who|which|why|when)\b[^?.!;]*[.!]?\s*$",
    re.I,
)
