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


__all__ = [
    "act",
    "in_their_keys",
    "item_a",
    "item_the",
    "opening_as_typed",
    "phrase",
    "third_person",
]
