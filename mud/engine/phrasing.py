"""One sentence about an action, phrased for each viewer. Pure.

A command writes what happened once, as a template, and ``act`` makes the line each
viewer reads: the actor reads "You pick up a lantern.", the room "Alice picks up a
lantern.", and the one acted on (``target``) "Alice gives the map to you.". This
replaces hand-writing the actor's and the room's line separately.

Templates are ``str.format`` strings with these fields:

- ``{actor}``: "You" for the actor, the actor's name for everyone else (it starts the
  sentence);
- ``{target}``: "you" for the target, the target's name for everyone else;
- ``{v:verb}``: the verb as the subject takes it: "pick" after "You", "picks" after a
  name (``third_person`` conjugates: carries, reaches, has, is);
- any other field: a word given by keyword, already markup (``item_a``/``item_the``
  make an item's name with its article, as ``mud.render.grammar`` puts it).

Values are substituted, never parsed: a name with braces stays literal.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping, Sequence

from mud.core.markup import esc, styled, tag
from mud.core.outputs import Doc, Para
from mud.engine.effects import Effect, LogChat, Tell, ToRoom
from mud.engine.parser import as_typed
from mud.engine.state import Character
from mud.render.grammar import definite, indefinite

_IRREGULAR = {"be": "is", "have": "has", "do": "does", "go": "goes"}


def third_person(verb: str) -> str:
    """The verb after "he" or a name: "picks", "carries", "reaches", "has", "is".
    Only the first word changes ("picks up")."""
    word, space, rest = verb.partition(" ")
    if word in _IRREGULAR:
        said = _IRREGULAR[word]
    elif word.endswith(("s", "sh", "ch", "x", "z")):
        said = word + "es"
    elif len(word) > 1 and word.endswith("y") and word[-2] not in "aeiou":
        said = word[:-1] + "ies"
    else:
        said = word + "s"
    return said + space + rest


class _Verb:
    """Formats ``{v:verb}`` for one viewer: as written after "You", else conjugated."""

    def __init__(self, second_person: bool) -> None:
        self.second_person = second_person

    def __format__(self, spec: str) -> str:
        return spec if self.second_person else third_person(spec)


def item_a(name: str) -> str:
    """An item's name as markup, with "a"/"an" where it needs one: "a potion of healing"."""
    return tag("item", esc(indefinite(name)))


def item_the(name: str) -> str:
    """An item's name as markup, with "the": "the scrap of map"."""
    return tag("item", esc(definite(name)))


def phrase(
    template: str,
    actor: Character,
    viewer: str | None,
    *,
    target: Character | None = None,
    **words: str,
) -> str:
    """The markup ``viewer`` (a character key; None: a bystander) reads for ``template``
    (see the module docstring). Raises KeyError for a field the template names but the
    call does not give."""
    is_actor = viewer == actor.key
    is_target = target is not None and viewer == target.key
    return template.format(
        actor="You" if is_actor else styled("person", actor.name),
        target=(
            "you" if is_target else styled("person", target.name) if target is not None else ""
        ),
        v=_Verb(is_actor),
        **words,
    )


def refuse(who: str, text: str) -> list[Effect]:
    """The line telling ``who`` why what they typed was not done: ``text`` (plain, not
    markup) in the error style."""
    return [Tell(who, Doc.text(tag("error", esc(text))))]


def told(effects: Sequence[Effect], who: str | None = None) -> str:
    """The markup of the paragraphs ``effects`` tell (to ``who``, or to anyone), joined
    by spaces: what a trial of a command said. Pure."""
    return " ".join(
        b.markup
        for e in effects
        if isinstance(e, Tell) and (who is None or e.who == who)
        for b in e.doc.blocks
        if isinstance(b, Para)
    )


def refused(effects: Sequence[Effect], who: str) -> bool:
    """Whether ``effects`` are only the line telling ``who`` why nothing was done (an
    error-styled line, as ``refuse`` and the commands' own refusals make)."""
    if len(effects) != 1:
        return False
    (effect,) = effects
    if not isinstance(effect, Tell) or effect.who != who or len(effect.doc.blocks) != 1:
        return False
    (block,) = effect.doc.blocks
    if not isinstance(block, Para):
        return False
    return block.markup.startswith("{error}") and block.markup.endswith("{/}")


def act(
    actor: Character,
    template: str,
    *,
    target: Character | None = None,
    for_actor: str = "",
    for_target: str = "",
    private: Mapping[str, str] | None = None,
    room: bool = True,
    style: str = "",
    **words: str,
) -> list[Effect]:
    """The lines of one action: a ``Tell`` to the actor, one to ``target`` (if any), then
    (unless ``room`` is false) a ``ToRoom`` for everyone else in the actor's room.

    Everyone reads ``template``, except where English wants another sentence: the actor
    reads ``for_actor`` and the target ``for_target`` when given ("Alice gives you the
    map." rather than "Alice gives the map to you."). ``private`` words are the actor's
    alone (a price, the key used): others read "" in their place. With ``style``, each
    line is wrapped in that markup style."""
    hidden = dict.fromkeys(private or {}, "")

    def doc(viewer: str | None, text: str, extra: Mapping[str, str]) -> Doc:
        said = phrase(text, actor, viewer, target=target, **words, **extra)
        return Doc.text(tag(style, said) if style else said)

    effects: list[Effect] = [Tell(actor.key, doc(actor.key, for_actor or template, private or {}))]
    exclude: Sequence[str] = (actor.key,)
    if target is not None:
        effects.append(Tell(target.key, doc(target.key, for_target or template, hidden)))
        exclude = (actor.key, target.key)
    if room:
        effects.append(ToRoom(actor.room, doc(None, template, hidden), exclude=tuple(exclude)))
    return effects


#: Words said aloud, in markup (``styled("say", ...)``): what ``in_their_keys`` restores.
_SAID = re.compile(r"\{say\}((?:[^{]|\{\{)*?)\{/\}")


def in_their_keys(effect: Effect, typed: str) -> Effect:
    """``effect`` with the words said aloud in it (a ``Tell`` or ``ToRoom`` line's
    say-styled words, a ``LogChat``'s text) shown as the player typed them in
    ``typed``, their line read through its slips (``parser.as_typed``); any other
    effect, or one saying nothing of that line, as it is. Called by the hub for each
    effect of a line whose words it read as other words ("wanna" as "want to"). Pure."""
    return _said_again(effect, lambda words: as_typed(words, typed))


def opening_as_typed(effect: Effect, meant: str, typed: str) -> Effect:
    """``effect`` with words said aloud in it that open with the word ``meant`` (any
    case) opening with ``typed`` instead, as ``in_their_keys`` puts slips back: chat's
    "k" read as "ok" ("k got key. back to the cellar") is shown "k". Pure."""
    opening = re.compile(rf"^{re.escape(meant)}\b", re.I)
    return _said_again(effect, lambda words: opening.sub(typed, words, count=1))


def _said_again(effect: Effect, again: Callable[[str], str]) -> Effect:
    """``effect`` with the words said aloud in it (a ``Tell`` or ``ToRoom`` line's
    say-styled words, a ``LogChat``'s text) put through ``again``; any other effect,
    or one whose words ``again`` leaves as they are, as it is."""
    if isinstance(effect, LogChat):
        shown = again(effect.text)
        if shown == effect.text:
            return effect
        return LogChat(effect.kind, effect.room, effect.speaker, effect.target, shown)
    if type(effect) is not Tell and type(effect) is not ToRoom:
        return effect

    def restored(match: re.Match[str]) -> str:
        words = match.group(1).replace("{{", "{")
        return tag("say", esc(again(words)))

    blocks = tuple(
        Para(_SAID.sub(restored, block.markup)) if isinstance(block, Para) else block
        for block in effect.doc.blocks
    )
    if blocks == effect.doc.blocks:
        return effect
    if isinstance(effect, Tell):
        return Tell(effect.who, Doc(blocks))
    return ToRoom(effect.room, Doc(blocks), effect.exclude)


#: Words after "I" that make a line no deed told in the first person: "I am", "I can",
#: "I don't" (a state, a wish or words, never a pose of "Ashe ams").
_NOT_A_DEED_AFTER_I = frozenset(
    """am was were will would can could shall should must might may do did does don't
    didn't can't cannot won't wouldn't couldn't shouldn't mustn't dont didnt cant wont""".split()  # noqa: SIM905
)
#: "I" run into a word: "I'm", "I'll", "I'd", "I've".
_I_RUN_IN = re.compile(r"^i['\u2019](?:m|ll|d|ve)$", re.I)
#: Words a verb's object or place opens with: "and take a seat", "and nod to Fen".
_AFTER_A_VERB = frozenset(
    """a an the my his her their its your our this that these those some to at on onto in
    into up down out back over off away toward towards through across around along with
    from for by it him them me myself himself herself themself themselves one two
    another each every both all""".split()  # noqa: SIM905
)
#: Verbs that end a sentence with nothing after them, as a pose does: "and wait".
_ALONE_VERBS = frozenset(
    """wait listen watch nod smile grin sigh shrug laugh chuckle frown wince stare pause
    rest sit stand kneel pray hum whistle wave bow yawn blink shiver shudder leave stay
    relax follow cough sneeze grimace scowl glare smirk blush gasp groan agree breathe
    swallow think look turn go rise settle lean""".split()  # noqa: SIM905
)
_TOKEN = re.compile(r"\w[\w'\u2019-]*|\s+|[^\w\s]")
_QUOTED = re.compile(r'"[^"]*"|\u201c[^\u201d]*\u201d')


def told_by_name(
    text: str, name: str, forms: Sequence[str], verbs: frozenset[str] = frozenset()
) -> str | None:
    """``text``, a deed written in the first person ("I shake the rain from my cloak and
    take a seat near the fire."), as the room reads it, with ``name`` for "I" and each
    of its verbs after it conjugated ("Ashe shakes the rain from her cloak and takes a
    seat near the fire."); ``forms`` are the subject's pronouns ("she", "her", "her",
    "hers", "herself": ``presence.PRONOUN_FORMS``) for "me", "my", "mine" and "myself".
    A verb joined by "and" or "then" is told too when it is one of ``verbs`` (the
    commands' and socials' words) or an object or a place follows it ("and take a
    seat"; not "my sword and shield"). Words in quotation marks are left as they are.
    None for a line with no "I" before a verb, or one of a state, a wish or words ("I
    am", "I'll", "I can't"). Called by the dispatcher for a line of prose in the first
    person (played: "I shake the rain from my cloak ..." read "Ashe tries to shake the
    rain from their cloak ..."). Pure."""
    own = {"me": forms[1], "my": forms[2], "mine": forms[3], "myself": forms[4]}
    told: list[str] = []
    at = 0
    did = False
    for quote in [*_QUOTED.finditer(text), None]:
        end = quote.start() if quote is not None else len(text)
        words = _told_part(text[at:end], name, own, verbs)
        if words is None:
            return None
        part, saw = words
        did = did or saw
        told.append(part)
        if quote is not None:
            told.append(quote.group(0))
            at = quote.end()
    return "".join(told) if did else None


def _told_part(
    text: str, name: str, own: Mapping[str, str], verbs: frozenset[str]
) -> tuple[str, bool] | None:
    """``told_by_name`` of a stretch of ``text`` outside quotation marks: it told, and
    whether it held an "I" before a verb; None for a line that is no deed."""
    tokens = _TOKEN.findall(text)
    words = [i for i, t in enumerate(tokens) if t[0].isalpha()]
    told = False
    acting = False  # within a sentence whose subject is "I"
    for n, i in enumerate(words):
        low = tokens[i].lower()
        after = tokens[words[n + 1]] if n + 1 < len(words) else ""
        beyond = tokens[words[n + 2]].lower() if n + 2 < len(words) else ""
        if _I_RUN_IN.match(low):
            return None
        if low == "i" and after:
            if after.lower() in _NOT_A_DEED_AFTER_I:
                return None
            tokens[i] = name
            tokens[words[n + 1]] = third_person(after.lower())
            told = acting = True
        elif low in own:
            word = own[low]
            tokens[i] = word[0].upper() + word[1:] if tokens[i][0].isupper() else word
        elif acting and low in ("and", "then") and after and after.lower() != "then":
            verb = after.lower()
            if verb.endswith("ly") and n + 2 < len(words):
                verb, at = beyond, words[n + 2]  # "and slowly rise"
                beyond = tokens[words[n + 3]].lower() if n + 3 < len(words) else ""
            else:
                at = words[n + 1]
            if verb not in _AFTER_A_VERB and (
                verb in verbs or verb in _ALONE_VERBS or beyond in _AFTER_A_VERB
            ):
                tokens[at] = third_person(verb)
        # A sentence's end ends the deed told: "The fire crackles and pops." is not hers.
        rest = "".join(tokens[i + 1 : words[n + 1]]) if n + 1 < len(words) else ""
        if any(mark in rest for mark in ".!?;"):
            acting = False
    return "".join(tokens), told


__all__ = [
    "act",
    "in_their_keys",
    "item_a",
    "item_the",
    "opening_as_typed",
    "phrase",
    "third_person",
    "told_by_name",
]
