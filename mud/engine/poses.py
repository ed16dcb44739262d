"""How a character is placed: sitting, kneeling, lying down, or standing (the default).

Played in the Drowned Lantern: "sit by the fire" was a deed for the Dungeon Master ("You
try to sit by the fire." and then "You go about it carefully. Nothing moves near the
fire."), and the one who sat was never seen sitting. A pose is what MUDs call a
position: ``sit``, ``kneel``, ``lie down`` and ``stand`` set it, the room's view shows
it to everyone who looks ("Corvin is sitting by the fire."), and walking away, a fight
or falling ends it. It is no game number: it changes no roll and is not saved (a player
who logs back in is standing).

What a pose may say is the builder's words only: a thing, NPC, door or player here by
its name, or a word of the room's description ("the fire", "the bar"), or the floor or
the ground; the rest of what the player typed is dropped, since the pose is shown to
every player who looks. Lines that are not a pose ("sit the child down", "lie to
Bessa") are deeds: ``pose`` answers None and the caller passes them on.

A pose with a deed after it ("sit by the fire and warm my hands", "kneel and pray") is
both: ``pose_then`` takes the pose and gives back the rest, which the caller runs next
as a line of its own (``commands``' ``Then``).

Pure: ``pose(world, actor, verb, words)`` returns effects; ``SetPose`` carries the change.
"""

from __future__ import annotations

import re

from mud.core.markup import esc, styled
from mud.core.outputs import Doc
from mud.engine import search
from mud.engine.effects import Effect, SetPose, Tell, ToRoom
from mud.engine.parser import HOW_DONE
from mud.engine.phrasing import refuse
from mud.engine.state import Character, World
from mud.engine.views import to_you
from mud.render.grammar import definite, plural, singular, strip_article

#: The poses: the verb as "you" do it, as the room sees it, and as the pose is shown.
_POSES = {
    "sit": ("sit down", "sits down", "sitting"),
    "sit up": ("sit up", "sits up", "sitting"),
    "kneel": ("kneel", "kneels", "kneeling"),
    "lie": ("lie down", "lies down", "lying"),
    "stand": ("stand", "stands", "standing"),
    "lean": ("lean", "leans", "leaning"),
}
#: Words that start a pose's place, by what the pose then says ("upon" reads "on").
_PLACES = {
    "on": "on",
    "upon": "on",
    "onto": "on",
    "by": "by",
    "at": "at",
    "in": "in",
    "beside": "beside",
    "near": "near",
    "against": "against",
    "under": "under",
    "beneath": "beneath",
    "before": "before",
    "with": "with",
    "behind": "behind",
    "among": "among",
    "next to": "next to",
    "close to": "close to",
    "in front of": "in front of",
    # "sits down across from Quill" (played: "Rook tries to sit down across from you.").
    "across from": "across from",
    "opposite": "opposite",
}
#: A place word inside what a pose names: "a bench by the fire", "the rug in front of
#: the hearth".
_INNER_PLACE = re.compile(
    r"\s+(by|near|beside|at|under|beneath|before|behind|next to|close to|in front of)\s+(?=\S)"
)
#: How a pose is taken, which it does not show: "sits up slowly", "gets up, wincing".
_MANNER = re.compile(
    rf"(?:^|[\s,]+)(?:{HOW_DONE}|quietly|again|at\s+last"
    r"|with\s+a\s+(?:groan|grunt|sigh|wince)|wincing|groaning|grunting|sighing)(?=$|[\s,.!])",
    re.I,
)
#: The place words a lean may say ("on the bar", "against the door").
_LEANT_ON = frozenset({"on", "against", "by", "beside", "near", "at"})
#: The place word a pose takes before a thing named alone ("sit bench": on the bench).
_BARE_PLACE = {"sit": "on", "lie": "on", "lean": "on", "kneel": "by"}
#: Words of how one sits or leans, not of a thing sat on: "lean back, watching the door"
#: (played: "You lean on the door.", the door of the words after the comma).
_WAYS_OF_POSING = frozenset(
    {"back", "forward", "forwards", "in", "out", "over", "close", "closer", "away", "further"}
)
#: The place words, longest first ("in front of" before "in").
_LEADS = sorted(_PLACES, key=len, reverse=True)
#: What is underfoot everywhere, so it needs no word in the description.
_UNDERFOOT = frozenset({"floor", "ground"})
_LITTLE = frozenset({"the", "a", "an", "some", "this", "that"})
_WORD = re.compile(r"[a-z]+")

#: Words a player types for these poses, by the pose ("rise" stands).
POSE_WORDS = {
    "sit": "sit",
    "kneel": "kneel",
    "lie": "lie",
    "lay": "lie",
    "stand": "stand",
    "rise": "stand",
    "lean": "lean",
}


def pose(
    world: World, actor: Character, verb: str, words: str, *, posed: bool = False
) -> list[Effect] | None:
    """``actor`` takes pose ``verb`` (a key of ``POSE_WORDS``) as ``words`` say ("down
    by the fire", "up", "on the floor"). Returns what it does, an error line for a place
    not here ("You see no 'throne' here."), or None when the line is not a pose ("sit the
    child down", "lie to Bessa"): the caller treats it as a deed. ``posed``: the rest of
    a line ("Oriane drains her cup and rises."), where a pose already held is nothing to
    tell (played: "You are already standing."): no effects. Pure."""
    meant = _meant(world, actor, verb, words)
    if meant is None or isinstance(meant, list):
        return meant
    if posed and _shown(meant[0], meant[1]) == actor.pose:
        return []
    return _take(world, actor, *meant)


def pose_then(
    world: World, actor: Character, verb: str, words: str
) -> tuple[list[Effect], str] | None:
    """A pose with a deed after it: "by the fire and warm my hands" -> (the effects of
    sitting by the fire, "warm my hands"), for the caller to run next. Already
    in that pose, the effects are none and the deed stands alone ("stand up and
    stretch"); a place not here is refused with no deed ("You see no 'throne' here.").
    None when ``words`` hold no pose followed by more. Pure."""
    head, rest = clauses(world, actor, words)
    if not rest:
        return None
    meant = _meant(world, actor, verb, head)
    if meant is None:
        return None
    if isinstance(meant, list):
        return meant, ""
    kind, place, beside = meant
    if beside and beside in world.chars:
        # "kneel beside Cole and lay a glowing hand on his wounds": his are Cole's
        # (played: "Which of them? ('heal <name>')", beside two men).
        rest = theirs(rest, world.chars[beside].name)
    if _shown(kind, place) == actor.pose:
        return [], rest
    return _take(world, actor, kind, place, beside), rest


#: Another's, after a pose beside them: "his wounds", "her brow", "help him up".
_HIS_OR_HERS = re.compile(
    r"\b(?:his|their|her(?=\s+(?:wounds?|hurts?|cuts?|brow|head|shoulders?|arms?|hands?|chest"
    r"|side|face|legs?|forehead|back|neck|injur(?:y|ies)|bleeding))|(?P<him>him|them|her))\b",
    re.I,
)


def theirs(deed: str, name: str) -> str:
    """``deed``, what is done after a pose beside ``name`` or a deed at them, with
    "his", "their" and "her" before a wound or a part of them made theirs ("Cole's
    wounds"), and "him", "them" or "her" made them ("help Cole up"). Called here and by
    the dispatcher for the second of two deeds. Pure."""
    return _HIS_OR_HERS.sub(lambda m: name if m.group("him") else f"{name}'s", deed)


def _meant(
    world: World, actor: Character, verb: str, words: str
) -> tuple[str, str, str] | list[Effect] | None:
    """What ``pose`` is asked for: (the pose, the place it says, the key of the player
    it is beside), a refusal for a place not here, or None for no pose."""
    kind = POSE_WORDS.get(verb.lower())
    if kind is None:
        return None
    text = " ".join(words.lower().split()).rstrip(".!")
    if kind != "lean":
        # "sits up slowly", "gets up, wincing" (played: "You try to sit up slowly."):
        # how one does it is no place, and the room is shown the pose.
        text = " ".join(_MANNER.sub(" ", text).split())
    # "sit down", "lie down", "stand up", "get up": the little word says nothing more;
    # but one who sits up is not sitting down (played: "*sits up*" read "sits down").
    if kind == "sit" and (text == "up" or text.startswith("up ")):
        kind = "sit up"
    for lead in ("down", "up"):
        if text == lead or text.startswith(lead + " "):
            text = text[len(lead) :].strip()
            break
    if not text:
        # One leans on something; "lean back" or a bare "lean" is the DM's to tell.
        return (kind, "", "") if kind != "lean" else None
    split = _split_place(text)
    bare = "," not in text and text.split()[0] not in _WAYS_OF_POSING
    if split is None and kind in _BARE_PLACE and bare and (found := _place(world, actor, text)):
        # "sit bench", "lie floor", as other MUDs have it (played by a MUD veteran on the
        # ferry: "You try to sit bench."): a thing here named with no place word.
        lead = "beside" if found[1] else _BARE_PLACE[kind]  # "sit wren": beside her
        return kind, f"{lead} {found[0]}", found[1]
    if split is None:
        return None  # "sit the child down": not a pose
    said, what = split
    if kind == "lean" and said not in _LEANT_ON:
        return None  # "lean in close": a way of leaning, not a place
    place = _place(world, actor, what)
    if place is None and kind == "lean":
        return None  # "lean on my staff" with no staff: the DM's to tell
    if place is None:
        return refuse(actor.key, search.HERE.format(what=strip_article(what)))
    return kind, f"{said} {place[0]}", place[1]


def _shown(kind: str, place: str) -> str:
    """The pose as the room's view shows it ("sitting by the fire"; "" for standing)."""
    return f"{_POSES[kind][2]} {place}".strip() if (kind != "stand" or place) else ""


#: What ends a pose's clause and starts another deed ("sit by the fire and warm my hands").
_NEXT = re.compile(r"(?:^|\s+)(?:and then|and|then)\s+|\s*[,;]\s*(?:and\s+|then\s+)?", re.I)


def clauses(world: World, actor: Character, words: str) -> tuple[str, str]:
    """``words`` (what follows the pose's verb) as the pose's own clause and the deed
    after it: "by the fire and warm my hands" -> ("by the fire", "warm my hands"); ("",
    "pray") for "and pray"; (``words``, "") when nothing follows the pose, or when what
    follows names someone or something here ("with Bram and Tamsin"), which is still the
    pose's place. Pure."""
    match = _NEXT.search(words)
    if match is None:
        return words, ""
    head, rest = words[: match.start()].strip(), words[match.end() :].strip()
    if not rest or not _MANNER.sub("", rest).strip(" ,.!"):
        return words, ""  # "up, wincing": how, not a deed after
    if search.find([*search.floor(world, actor.room), *search.fixed(world, actor)], rest).ok:
        return words, ""
    return head, rest


def _split_place(text: str) -> tuple[str, str] | None:
    """``text`` ("by the fire") as the place word the pose says and what it names ("by",
    "the fire"); None when it does not start with a place word followed by something."""
    for lead in _LEADS:
        if text.startswith(lead + " ") and text[len(lead) :].strip():
            return _PLACES[lead], text[len(lead) :].strip()
    return None


def _place(world: World, actor: Character, what: str) -> tuple[str, str] | None:
    """What the pose names for ``what`` (typed, lower case), and the key of the player
    it names ("" for none): the room's description's own words when every word is one
    of them ("the hearth", though the hearthstone answers to "hearth" too), else a
    thing, person or door here by its own name, else the words of ``what`` that the
    description uses, the last among them ("the fire" for "the warm fire"); None when
    nothing here is named."""
    said = set(_WORD.findall(world.room_text(actor.room, actor.key).lower())) | _UNDERFOOT
    kept = [w for w in _WORD.findall(what) if w not in _LITTLE]

    def described(word: str) -> bool:
        return bool({word, singular(word), plural(word)} & said)

    if kept and all(described(w) for w in kept):
        return "the " + " ".join(kept), ""
    found = search.find([*search.floor(world, actor.room), *search.fixed(world, actor)], what)
    if found.thing is not None:
        thing = found.thing
        if thing.kind == "player":
            return world.chars[thing.ref].name, thing.ref
        return definite(thing.name), ""
    inner = _INNER_PLACE.search(what)
    if inner is not None:
        # "a bench by the fire" (played: "You lie down on the bench fire."): the thing,
        # and where it stands, each as the room names it.
        on = _place(world, actor, what[: inner.start()])
        at = _place(world, actor, what[inner.end() :])
        if on is not None and at is not None and not on[1]:
            return f"{on[0]} {_PLACES[inner.group(1)]} {at[0]}", at[1]
        if on is None and at is not None:
            return None  # "a throne by the fire", no throne: not "on the fire"
    if re.search(r"\bof\s+\S", what):
        # "the edge of the wall" is at the wall (played: "You sit down on the of wall.").
        kept = [w for w in _WORD.findall(re.split(r"\bof\b", what)[-1]) if w not in _LITTLE]
    if not kept or not described(kept[-1]):
        return None
    # Only the description's own words are shown to others ("the warm fire" is "the fire").
    return "the " + " ".join(w for w in kept if described(w)), ""


def _take(world: World, actor: Character, kind: str, place: str, beside: str = "") -> list[Effect]:
    """The effects of ``actor`` taking pose ``kind`` at ``place`` ("by the fire", "",
    "with Rowan": ``beside`` is then Rowan's key)."""
    you, they, _ = _POSES[kind]
    if actor.down:
        return refuse(actor.key, "You are down and cannot move.")
    fighting = actor.room in world.fights
    if fighting and kind not in ("stand", "kneel"):
        return refuse(actor.key, "Not in the middle of a fight!")
    target = _shown(kind, place)
    if target == actor.pose:
        now = actor.pose or "standing"
        return [Tell(actor.key, Doc.text(esc(f"You are already {now}.")))]
    if kind == "stand" and not place:
        you, they = "get to your feet", "gets up"
    tail = f" {place}" if place else ""
    name = styled("person", actor.name)
    # Down on one knee beside the fallen, in a fight (played: "drops to his knees beside
    # Kessa and lays a hand on her brow" was "Not in the middle of a fight!"): shown, and
    # no pose kept, as a fighter is on their feet.
    effects: list[Effect] = [
        *([] if fighting else [SetPose(actor.key, target, beside)]),
        Tell(actor.key, Doc.text(esc(f"You {you}{tail}."))),
    ]
    other = world.chars.get(beside)
    if other is not None:
        # The one sat beside reads it as done beside them ("Sable sits down with you.").
        yours = to_you(tail, other.name)
        effects.append(Tell(beside, Doc.text(f"{name} {esc(they + yours)}.")))
    exclude = (actor.key, beside) if other is not None else (actor.key,)
    effects.append(ToRoom(actor.room, Doc.text(f"{name} {esc(they + tail)}."), exclude=exclude))
    return effects


__all__ = ["POSE_WORDS", "clauses", "pose", "pose_then"]
