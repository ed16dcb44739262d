"""The offline narrator: template prose that needs no network and always answers.

It stands in when every model provider has failed, when the budget is spent, or when the
server runs without a model. It writes 2-4 sentences chosen by the request's kind and the
engine's outcome (scaled by severity), woven from the room's own name, items, exits,
occupants and vocabulary.

Invariants:
- Deterministic: the prose is a function of (narrator seed, request.seed, request
  content); choices come from blake2b hashes of those inputs, never from a global RNG.
  ``request_id`` and ``created`` are deliberately left out, so the same situation reads
  the same way on a replay.
- The templates contain no digits: every number in the output comes from the inputs
  (the engine's facts or names), so the narrator cannot invent numbers.
- Output is plain text (no markup, no control characters added).
- Perspective: second person ("You step...") when the only audience is the actor, else
  third person with the actor's name ("Alice steps...").
"""

from __future__ import annotations

import hashlib
import re
import string
from collections.abc import AsyncIterator, Sequence

from attrs import frozen

from mud.core.narration import NarrationRequest
from mud.dm.providers.base import Prompt, Usage, estimate_tokens

# Template syntax: ``[third|second]`` picks a verb form by perspective (resolved before
# substitution, so player-chosen names can never trigger it); ``{field}`` substitutes.
# Actor fields: A (subject, sentence start), a (subject, mid-sentence), O (object),
# P (possessive, mid), Pc (possessive, sentence start), and for a second mention in the
# same sentence o (them/you) and p (their/your). Scene fields: room, Room, item, exit,
# other, Other (sentence start), v1, v2, adj (by the outcome's mood and severity), adv.
_ACTOR_FIELDS = frozenset({"A", "a", "O", "P", "Pc", "o", "p"})
_PERSON = re.compile(r"\[([^\[\]|]*)\|([^\[\]|]*)\]")
_COMPASS = frozenset(
    {
        "north",
        "south",
        "east",
        "west",
        "northeast",
        "northwest",
        "southeast",
        "southwest",
        "up",
        "down",
        "in",
        "out",
    }
)
_ARTICLE = re.compile(r"^(a|an|the|some)\s+", re.I)

# Adjectives by mood (low severity, high severity), so a triumph is never "terrible".
_ADJ: dict[str, tuple[tuple[str, ...], tuple[str, ...]]] = {
    "bright": (("neat", "quiet", "modest", "patient"), ("dazzling", "remarkable", "brilliant")),
    "grim": (("clumsy", "awkward", "untidy"), ("disastrous", "dreadful", "humiliating")),
    "violent": (("brisk", "sharp", "quick"), ("fierce", "savage", "ferocious", "brutal")),
}
_MOOD = {"failure": "grim", "fumble": "grim", "miss": "grim", "hit": "violent", "round": "violent"}
_ADV_LOW = ("quietly", "carefully", "steadily", "without hurry")
_ADV_HIGH = ("suddenly", "violently", "all at once", "with a jolt")

# -- core sentences, by outcome kind and tier (low: severity 0-1, high: 2-3) -------------

_CORE: dict[str, tuple[tuple[str, ...], tuple[str, ...]]] = {
    "success": (
        (
            "{A} [manages|manage] it cleanly, without fuss.",
            "{A} [works|work] at it with steady hands, and it gives.",
            "It goes the way {a} hoped: patient effort, fairly rewarded.",
            "{A} [finds|find] the knack of it on the first honest try.",
            "With a little care, {a} [gets|get] it done.",
            "{Pc} {adj} effort pays off, and the thing is done.",
        ),
        (
            "{A} [moves|move] with {adj} certainty, and the task yields as if it waited for {o}.",
            "Everything lines up at once for {O}: timing, nerve and steady hands.",
            "{A} [sets|set] {p} jaw and [drives|drive] it through, and the effort holds.",
            "{Pc} resolve carries the moment; what was hard a breath ago is simply done.",
        ),
    ),
    "failure": (
        (
            "{A} [tries|try], but it will not give.",
            "It does not come together for {O} this time.",
            "{A} [fumbles|fumble] at it for a moment and [comes|come] away with nothing.",
            "{Pc} attempt falls just short, {adv} and without drama.",
            "{A} [gives|give] it a fair try, and it refuses {o}.",
        ),
        (
            "{A} [throws|throw] everything into it, and it is not enough; it leaves {o} winded.",
            "{Pc} best effort comes to nothing, and the failure stings.",
            "{A} [strains|strain] until {p} arms shake, and still it will not yield.",
            "It goes wrong in a way that {a} will remember, though no lasting harm is done.",
        ),
    ),
    "critical": (
        (
            "{A} [does|do] it so neatly it looks easy.",
            "For one bright moment everything answers {P} will.",
            "{A} [gets|get] it exactly right, down to the smallest detail.",
        ),
        (
            "For one {adj} moment everything answers {P} will, better than anyone hoped.",
            "{A} [does|do] it so well that anyone watching will tell the story later.",
            "Skill and luck meet in {P} hands, and the outcome is nothing short of {adj}.",
        ),
    ),
    "fumble": (
        (
            "{A} [slips|slip], and the attempt goes awkwardly wrong.",
            "Something gives at exactly the wrong moment, and {a} [is|are] left scrambling.",
            "{Pc} grip fails at the worst time.",
        ),
        (
            "{A} [slips|slip] {adv}, and the attempt goes badly, memorably wrong.",
            "It all comes apart in {P} hands, {adj} and loud.",
            "{A} [misjudges|misjudge] it completely, and the world is quick to punish the mistake.",
        ),
    ),
    "hit": (
        (
            "{A} [finds|find] an opening and [strikes|strike] home.",
            "{Pc} blow lands true.",
            "{A} [connects|connect], and the foe gives ground.",
            "A quick feint, a quicker strike: {a} [draws|draw] blood.",
        ),
        (
            "{Pc} blow lands with {adj} force, and the foe reels.",
            "{A} [drives|drive] the attack home {adv}, and the strike tells.",
            "{A} [reads|read] the moment and [strikes|strike] hard where the guard is weakest.",
        ),
    ),
    "miss": (
        (
            "{A} [swings|swing] wide; the blow cuts only air.",
            "The strike goes astray, and {P} opponent slips aside.",
            "{A} [lunges|lunge], a heartbeat too late.",
            "{Pc} attack glances off without effect.",
        ),
        (
            "{A} [commits|commit] everything to the strike and [finds|find] nothing there.",
            "{Pc} blow goes wide, {adv}, and the foe is already elsewhere.",
            "{A} [overreaches|overreach], and the miss leaves {o} badly exposed.",
        ),
    ),
    "discovery": (
        (
            "{A} [notices|notice] something that others have walked past.",
            "A detail catches {P} eye, small and telling.",
            "{A} [looks|look] again, more closely, and something is there after all.",
        ),
        (
            "{A} [stops|stop] short: there is something here, and it changes things.",
            "Under {P} careful attention, the place gives up a {adj} secret.",
            "A {adj} find rewards {P} patience.",
        ),
    ),
    "dialogue": (
        (
            "{A} [speaks|speak], and the words find a listener.",
            "{A} [speaks|speak] at last, and the tone of the talk shifts a little.",
            "{A} [chooses|choose] {p} words with care.",
        ),
        (
            "{A} [speaks|speak] with {adj} conviction, and the room goes quiet to hear it.",
            "What {a} [says|say] lands harder than expected; nobody answers at once.",
            "{Pc} words hang in the air, and something between the speakers changes.",
        ),
    ),
    "enter": (
        (
            "{A} [steps|step] into {room}.",
            "{A} [arrives|arrive] in {room}, and the place takes {p} measure.",
            "{A} [comes|come] into {room}, eyes adjusting.",
        ),
        (
            "{A} [enters|enter] {room}, and the air changes at once.",
            "{A} [crosses|cross] into {room}, and it feels like a threshold in more ways than one.",
            "{Pc} first steps into {room} ring out {adv} in the hush.",
        ),
    ),
    "milestone": (
        (
            "Something has changed for {O}; the road behind looks shorter than the road ahead.",
            "{A} [stands|stand] a little taller now.",
            "{A} [has|have] earned this, step by step.",
        ),
        (
            "It is a moment of weight, and {a} [feels|feel] it settle.",
            "{A} [stands|stand] at a turning point, and nothing will look quite the same again.",
            "Whatever comes next, {a} [meets|meet] it changed by what came before.",
        ),
    ),
    "round": (
        (
            "The fight churns on: footwork, breath and the scrape of steel.",
            "{A} [keeps|keep] {p} guard up as the exchange continues.",
            "Blows are traded and ground is given and taken.",
        ),
        (
            "The fighting grows {adj}; every breath costs something now.",
            "{A} [fights|fight] on in the thick of it, and the room shakes with the struggle.",
            "Steel rings {adv}, and the battle turns on a knife's edge.",
        ),
    ),
}

# Free actions (outcome "none"), by request kind.
_NONE: dict[str, tuple[str, ...]] = {
    "action": (
        "{A} [goes|go] about it {adv}.",
        "{A} [takes|take] a moment over it, unhurried.",
        "{A} [sets|set] to it, and {room} seems to watch.",
        "{A} [does|do] what needs doing, and nothing more.",
    ),
    "ask": (
        "{A} [wonders|wonder] aloud, and {room} keeps its own counsel for now.",
        "The question hangs in the air; the answer, if there is one, lies somewhere in {room}.",
        "{A} [turns|turn] the question over; the signs around {o} are there to be read.",
    ),
    "talk": (
        "{A} [speaks|speak], and the words find a listener.",
        "A conversation unfolds in low voices, and {a} [listens|listen] closely.",
        "{A} [waits|wait] for an answer, and one comes, after a while.",
    ),
    "scene": (
        "{Room} holds its breath.",
        "Light and shadow shift across {room}.",
        "{Room} waits, the way old places do.",
        "{A} [takes|take] in {room}, and {room} seems to take in {o} too.",
        "Around {O}, {room} unfolds slowly, detail by detail.",
    ),
    "ambient": (
        "Somewhere in {room}, something small settles.",
        "A draught moves through {room} and is gone.",
        "{Room} creaks softly, as if remembering.",
        "For a while nothing stirs in {room}.",
        "{A} [pauses|pause], and for a moment {room} is very still.",
        "Something shifts at the edge of {P} vision, and is gone.",
    ),
}

_OPENERS: tuple[str, ...] = (
    "{Room} is still for a breath.",
    "The air in {room} carries a hint of {v1}.",
    "{Room} keeps its old moods: {v1}, {v2}.",
    "Around them, {room} seems to lean in.",
    "There is {v1} in the air, and {v2} close behind it.",
    "In {room}, everything speaks of {v1}.",
    "Shadows gather in the corners of {room}.",
    "For a moment the only sound in {room} is breathing.",
)

_DETAILS: tuple[str, ...] = (
    "Nearby, {item} catches the light.",
    "{Other} watches, saying nothing.",
    "{Other} shifts, plainly paying attention.",
    "Not far off, {exit} waits in the gloom.",
    "A draught from {exit} stirs the dust.",
    "Close at hand lies {item}, easy to overlook.",
    "The sense of {v2} lingers.",
    "Somewhere beyond {exit}, something answers with a faint echo.",
    "{Other} lets out a breath that might be a laugh.",
)

_CLOSERS: dict[str, tuple[str, ...]] = {
    "success": (
        "It is a small victory, and it feels good.",
        "The way forward looks a little clearer now.",
        "Some things still go right.",
    ),
    "failure": (
        "There will be other chances.",
        "The moment passes, and the world moves on.",
        "It stays stubbornly as it was.",
    ),
    "critical": (
        "It is the kind of moment people remember.",
        "Even the shadows seem impressed.",
        "Luck, it seems, is listening today.",
    ),
    "fumble": (
        "The echo of the mistake takes a while to fade.",
        "It will take a moment to recover from that.",
        "Somewhere, something laughs.",
    ),
    "hit": (
        "The fight is not over yet.",
        "The foe will not forget that one.",
        "The blow leaves its mark.",
    ),
    "miss": (
        "The fight goes on.",
        "There is no time to dwell on it.",
        "The opening is gone as quickly as it came.",
    ),
    "discovery": (
        "It may matter more than it seems.",
        "Some secrets only wait for the right eyes.",
        "There is more here than first appeared.",
    ),
    "dialogue": (
        "The words hang in the air a moment longer.",
        "Something unspoken passes underneath.",
        "The silence afterwards says just as much.",
    ),
    "enter": (
        "The place waits to see what happens next.",
        "Whatever happened here before, it has left its mark.",
        "Every corner seems to hold its breath.",
    ),
    "milestone": (
        "The story has turned a page.",
        "This will be remembered.",
        "The road ahead opens a little wider.",
    ),
    "round": (
        "Neither side yields.",
        "The next exchange is already coming.",
        "Breath comes hard, and the fight is far from settled.",
    ),
    "none": (
        "The moment passes quietly.",
        "For now, all is as it was.",
        "Time moves on, unhurried.",
    ),
}

# Used only by close_scene, to finish a narration that was cut off.
_WRAPS: tuple[str, ...] = (
    "The moment settles, and the scene goes quiet.",
    "Then the stillness returns, as it always does.",
    "And with that, the moment passes.",
    "The rest is lost in the hush that follows.",
    "Whatever else there was to see, it fades from view.",
    "The scene holds a heartbeat longer, then lets go.",
)

_FACT_KINDS = frozenset({"round", "discovery", "milestone"})
# Request kinds that borrow an outcome kind's sentences when nothing was rolled.
_BY_REQUEST = {"combat": "round", "enter": "enter", "milestone": "milestone"}
_ENDS = (".", "!", "?", "…", '"', "'", "”", "’")


def _key(seed: int, request: NarrationRequest) -> bytes:
    """The hash key for a request's content (no request_id, no timestamps)."""
    room = request.room
    parts = (
        seed,
        request.seed,
        request.kind,
        request.actor,
        request.text,
        request.outcome.kind,
        request.outcome.severity,
        request.outcome.facts,
        request.audience,
        room.room_id,
        room.name,
        room.exits,
        room.items,
        room.occupants,
        room.vocabulary,
    )
    return hashlib.blake2b(repr(parts).encode("utf-8", "replace"), digest_size=16).digest()


@frozen
class _Chooser:
    """Deterministic choices keyed by a request hash and a label."""

    key: bytes

    def index(self, label: str, n: int) -> int:
        digest = hashlib.blake2b(label.encode(), key=self.key, digest_size=8).digest()
        return int.from_bytes(digest, "big") % n

    def pick(self, label: str, options: Sequence[str]) -> str:
        return options[self.index(label, len(options))]

    def chance(self, label: str, percent: int) -> bool:
        return self.index(label, 100) < percent


def _fields(template: str) -> set[str]:
    return {name for _, name, _, _ in string.Formatter().parse(template) if name}


def _strip_article(text: str) -> str:
    return _ARTICLE.sub("", text.strip())


def _mid_name(name: str) -> str:
    """A room name for the middle of a sentence ("The Crypt" -> "the Crypt")."""
    name = name.strip()
    return "the" + name[3:] if name.startswith("The ") else name


def _sentence(text: str) -> str:
    text = text.strip()
    if not text:
        return text
    text = text[0].upper() + text[1:]
    return text if text.endswith(_ENDS) else text + "."


def _join(sentences: Sequence[str]) -> str:
    return " ".join(s for s in sentences if s)


class OfflineNarrator:
    """A ``Provider`` that writes template prose locally (name "offline", model "templates").

    Used by ``mud.dm.chain.ProviderChain`` as the last resort and by the DM actor when
    the budget forbids model calls. Never raises for a well-formed request.
    """

    name = "offline"
    model = "templates"
    offline = True

    def __init__(self, seed: int = 0) -> None:
        self.seed = seed

    # -- public API ------------------------------------------------------------------------

    def compose(self, request: NarrationRequest) -> str:
        """Two to four sentences narrating ``request`` (deterministic; see module docs)."""
        ch = _Chooser(_key(self.seed, request))
        values = self._values(request, ch)
        outcome = request.outcome
        severity = min(3, max(0, outcome.severity))
        kind = outcome.kind if outcome.kind in _CORE or outcome.kind == "none" else "none"
        has_actor = "A" in values

        core_pool = self._core_pool(request, kind, severity)
        core = self._render(ch, "core", core_pool, values, need_actor=has_actor)
        if not core:
            core = self._render(ch, "core-ambient", _NONE["ambient"], values, need_actor=False)

        mood = _BY_REQUEST.get(request.kind, "none") if kind == "none" else kind
        closers = _CLOSERS.get(mood, _CLOSERS["none"])
        # Severity sets the length: 0 -> 2 sentences, 1 -> 2 or 3, 2 -> 3, 3 -> 4.
        wanted = {0: 2, 1: 2 + ch.index("len", 2), 2: 3, 3: 4}[severity]
        slots = wanted - 2  # besides the core and the closer
        facts: list[str] = []
        if mood in _FACT_KINDS:
            # The engine's own statements come first: they are what happened.
            facts = [_sentence(f) for f in outcome.facts[:2] if 0 < len(f.strip()) <= 160]
            facts = facts[:slots]
        slots -= len(facts)
        opener = self._render(ch, "opener", _OPENERS, values, need_actor=False)
        detail = self._render(ch, "detail", _DETAILS, values, need_actor=False)
        closer = self._render(ch, "closer", closers, values, need_actor=False)
        use_opener = bool(opener) and slots > 0 and (slots == 2 or ch.chance("opener?", 50))
        slots -= use_opener
        use_detail = bool(detail) and slots > 0
        slots -= use_detail
        sentences = [opener] if use_opener else []
        sentences += [core, *facts]
        if use_detail:
            sentences.append(detail)
        if slots > 0 and opener and not use_opener:
            sentences.insert(0, opener)
        sentences.append(closer)
        while len(sentences) < 2:
            sentences.append(self._render(ch, "pad", _WRAPS, values, need_actor=False))
        return _join(sentences[:4])

    def close_scene(self, request: NarrationRequest, already_sent: str) -> str:
        """One or two sentences finishing a narration cut off mid-stream.

        The result is meant to be appended directly to ``already_sent``: it starts with a
        space (or an ellipsis when the text stopped mid-sentence) and repeats no sentence
        that was already sent.
        """
        tail_key = _key(self.seed, request) + already_sent.encode("utf-8", "replace")[-64:]
        ch = _Chooser(hashlib.blake2b(tail_key, digest_size=16).digest())
        values = self._values(request, ch)
        kind = request.outcome.kind if request.outcome.kind in _CLOSERS else "none"
        pools = (_WRAPS, _CLOSERS[kind])
        chosen: list[str] = []
        for i, pool in enumerate(pools):
            fresh = [t for t in pool if self._fill(t, values) not in already_sent]
            if not fresh:
                continue
            text = self._render(ch, f"close{i}", fresh, values, need_actor=False)
            if text and text not in already_sent:
                chosen.append(text)
            if i == 0 and ch.chance("close-two", 40):
                break
        if not chosen:
            chosen.append("The moment passes.")
        tail = already_sent.rstrip()
        if not tail:
            sep = ""
        elif tail.endswith(_ENDS):
            sep = "" if already_sent[-1:].isspace() else " "
        else:
            sep = "… "
        return sep + _join(chosen)

    async def stream(self, prompt: Prompt, request: NarrationRequest) -> AsyncIterator[str | Usage]:
        """Yield ``compose(request)`` in groups of a few words, then an estimated Usage.

        ``prompt`` is ignored (templates need none); prompt tokens are reported as 0
        because nothing was sent anywhere.
        """
        del prompt
        text = self.compose(request)
        for chunk in chunk_words(text):
            yield chunk
        yield Usage(prompt_tokens=0, completion_tokens=estimate_tokens(text), estimated=True)

    async def aclose(self) -> None:
        """Nothing to release."""

    # -- helpers ---------------------------------------------------------------------------

    def _core_pool(self, request: NarrationRequest, kind: str, severity: int) -> tuple[str, ...]:
        if kind != "none":
            low, high = _CORE[kind]
            return high if severity >= 2 else low
        if request.kind in _BY_REQUEST:
            low, high = _CORE[_BY_REQUEST[request.kind]]
            return high if severity >= 2 else low
        return _NONE.get(request.kind, _NONE["action"])

    def _values(self, request: NarrationRequest, ch: _Chooser) -> dict[str, str]:
        room = request.room
        values: dict[str, str] = {}
        name = room.name.strip() or "this place"
        values["room"] = _mid_name(name)
        values["Room"] = name if name != "this place" else "This place"
        actor = (request.actor or "").strip()
        second = bool(actor) and tuple(a.casefold() for a in request.audience) == (
            actor.casefold(),
        )
        if actor:
            if second:
                values |= {"A": "You", "a": "you", "O": "you", "P": "your", "Pc": "Your"}
                values |= {"o": "you", "p": "your"}
            else:
                poss = actor + ("'" if actor.endswith("s") else "'s")
                values |= {"A": actor, "a": actor, "O": actor, "P": poss, "Pc": poss}
                values |= {"o": "them", "p": "their"}
        items = [_strip_article(i) for i in room.items if i.strip()]
        if items:
            values["item"] = "the " + ch.pick("item", items)
        exits = [e.strip() for e in room.exits if e.strip()]
        if exits:
            ex = ch.pick("exit", exits)
            values["exit"] = (
                f"the way {ex.lower()}" if ex.lower() in _COMPASS else "the " + _strip_article(ex)
            )
        others = [
            o.strip()
            for o in room.occupants
            if o.strip() and o.strip().casefold() != actor.casefold()
        ]
        if others:
            other = ch.pick("other", others)
            values["other"] = other
            # At a sentence start, "a heron" becomes "A heron"; names stay as written.
            values["Other"] = other[0].upper() + other[1:] if _ARTICLE.match(other) else other
        vocab = [v.strip() for v in room.vocabulary if v.strip()]
        if vocab:
            first = ch.index("v1", len(vocab))
            values["v1"] = vocab[first]
            rest = vocab[:first] + vocab[first + 1 :]
            values["v2"] = ch.pick("v2", rest) if rest else vocab[first]
        high = request.outcome.severity >= 2
        low_adj, high_adj = _ADJ[_MOOD.get(request.outcome.kind, "bright")]
        values["adj"] = ch.pick("adj", high_adj if high else low_adj)
        values["adv"] = ch.pick("adv", _ADV_HIGH if high else _ADV_LOW)
        values["_second"] = "1" if second else ""
        return values

    def _fill(self, template: str, values: dict[str, str]) -> str:
        form = 2 if values.get("_second") else 1
        resolved = _PERSON.sub(lambda m: m.group(form), template)
        text = resolved.format(**values)
        if not resolved.startswith("{"):
            # Capitalise our own words only; a name keeps the case its owner chose.
            text = text[0].upper() + text[1:]
        return text

    def _render(
        self,
        ch: _Chooser,
        label: str,
        pool: Sequence[str],
        values: dict[str, str],
        *,
        need_actor: bool,
    ) -> str:
        """One sentence from ``pool`` whose fields are all available ('' when none fits).

        With ``need_actor`` only templates that mention the actor qualify; without an
        actor, templates that mention one are excluded.
        """
        usable = []
        for template in pool:
            names = _fields(template)
            if not names <= values.keys():
                continue
            if need_actor and not names & _ACTOR_FIELDS:
                continue
            usable.append(template)
        if not usable:
            return ""
        return self._fill(ch.pick(label, usable), values)


def chunk_words(text: str, size: int = 4) -> list[str]:
    """Split ``text`` into groups of ``size`` words, keeping the whitespace (for streaming)."""
    words = re.findall(r"\s*\S+\s*", text)
    return ["".join(words[i : i + size]) for i in range(0, len(words), size)]
