"""The offline narrator: template prose that needs no network and always answers.

It stands in when every model provider has failed, when the budget is spent, or when the
server runs without a model (the default on a fresh install). It writes 2-4 sentences of
colour around what the engine already showed: the builders' own words (a feature's
``success``, an NPC's answer, a quest step: ``request.shown``) are printed by the engine
first, so this narrator never repeats, replaces or labels them.

Invariants:
- Deterministic: the prose is a function of (narrator seed, request.seed, request
  content, and the room's recent narrations); choices come from blake2b hashes of those
  inputs, never from a global RNG. ``request_id`` and ``created`` are deliberately left
  out, so the same situation reads the same way on a replay; the same request composed
  twice in a row gives the same text.
- Variety: no sentence is repeated in a room within its last ``MEMORY`` narrations, nor
  anywhere within the last ``WORLD_MEMORY`` (memories of recent sentences); within one
  narration no word but the common ones is said twice ("a moment ... a moment"); stock
  colour comes from the pack's ``narration:`` pools, the room's builder-written lines
  of ambience where it has some (``room.ambience``, those it has not shown lately; then
  no sentence is made from a noun of its description) and its own nouns (features,
  items, description). After an NPC's answer, the telling is one of that NPC's emotes
  (``npc_manner``), in the builder's words, while one is fresh.
- Truth: only the actor acts. Other people present are never named (not even as "close
  by": read on their own screen, "Brannoc is close by." told Brannoc nothing), so never
  given deeds, words or feelings. A fight narration says exactly what ``outcome.beats``
  say (who hit whom, who missed, who fell) and how it ``ended``; nothing else happens in
  it.
- The templates contain no digits: every number in the output comes from the inputs.
- Output is plain text (no markup, no control characters added), with articles and
  capitals from ``mud.render.grammar`` ("You arrive in the Upstairs Landing").
- Perspective: second person ("You step...") when the only audience is the actor, else
  third person with the actor's name ("Alice steps..."). The engine knows no pronouns,
  so a third-person sentence names the actor once and never says "their" or "them"
  for them (sentences with a second mention are for "you" only). A third-person
  narration has a twin for each player it names (``mirror``): the same sentences, theirs
  in the second person ("You file it away for later." on Maren's screen where the
  others read "Maren files it away for later."; in a fight "The eel-catcher lands a
  blow on you."; of a group, "You and Tobin ..."). Fight templates carry both verb
  forms for that ("[strikes|strike]").
"""

from __future__ import annotations

import hashlib
import re
import string
from collections import OrderedDict, deque
from collections.abc import AsyncIterator, Collection, Sequence
from functools import lru_cache

from attrs import frozen

from mud.core.narration import Beat, NarrationRequest, RoomSnapshot, actors, addressee
from mud.dm.providers.base import Prompt, Usage, estimate_tokens
from mud.render.grammar import capitalise, definite, lead_verb, place, strip_article
from mud.world.model import SENTENCE_ENDS

#: A room's narrations remembered for the no-repeat rule.
MEMORY = 20
#: The narrations remembered across all rooms, so a stock line does not follow a party
#: from room to room.
WORLD_MEMORY = 8
#: The narrations (anywhere) whose templates are tried last, so the next one is told in
#: another shape when the pool has one.
STALE = 2
#: A room's last deeds whose things no colour says lie untouched.
HANDLED = 6
# Template syntax: ``[third|second]`` picks a verb form by perspective (resolved before
# substitution, so player-chosen names can never trigger it); ``{field}`` substitutes.
# Actor fields: A (subject, sentence start), a (subject, mid-sentence), O (object),
# P (possessive, mid), Pc (possessive, sentence start), and for a second mention in the
# same sentence o (them/you) and p (their/your). Scene fields: room, Room, item, exit,
# v1, v2, adj (by the outcome's mood and severity), adv.
_ACTOR_FIELDS = frozenset({"A", "a", "O", "P", "Pc", "o", "p"})
#: The actor's fields written to the actor ("You", "your"), and the verb forms for "you".
_YOU = {
    "A": "You",
    "a": "you",
    "O": "you",
    "P": "your",
    "Pc": "Your",
    "o": "you",
    "p": "your",
    "_plural": "1",
}
_SECOND_MENTION = frozenset({"o", "p"})
_PERSON = re.compile(r"\[([^\[\]|]*)\|([^\[\]|]*)\]")
_ARTICLE = re.compile(r"^(a|an|the|some)\s+", re.I)

# Adjectives by mood (low severity, high severity), so a triumph is never "terrible".
_ADJ: dict[str, tuple[tuple[str, ...], tuple[str, ...]]] = {
    "bright": (("neat", "quiet", "modest", "patient"), ("dazzling", "remarkable", "brilliant")),
    "grim": (("clumsy", "awkward", "untidy"), ("disastrous", "dreadful", "humiliating")),
    "violent": (("brisk", "sharp", "quick"), ("fierce", "savage", "ferocious", "brutal")),
}
_MOOD = {"failure": "grim", "fumble": "grim", "miss": "grim", "hit": "violent", "round": "violent"}
_ADV_LOW = ("quietly", "carefully", "steadily", "without hurry")
_ADV_HIGH = ("suddenly", "all at once", "with a jolt", "in a rush")

# -- core sentences (the actor's own deed), by outcome kind and tier ----------------------
# (low: severity 0-1, high: 2-3). Only the actor does anything in them.

_CORE: dict[str, tuple[tuple[str, ...], tuple[str, ...]]] = {
    "nothing": (
        (
            "{A} [looks|look] it over with care, and there is nothing hidden there.",
            "{A} [goes|go] over it thoroughly: nothing is there to find.",
            "{A} [makes|make] sure of it: there is nothing more to it than it seems.",
        ),
        (
            "{A} [leaves|leave] nothing unchecked, and there is nothing there to find.",
            "No one could have looked more closely: there is nothing hidden there.",
        ),
    ),
    "success": (
        (
            "{A} [manages|manage] it cleanly, without fuss.",
            "{A} [works|work] at it with steady hands, and it gives.",
            "It goes the way {a} hoped.",
            "{A} [finds|find] the knack of it on the first honest try.",
            "With a little care, {a} [gets|get] it done.",
            "{A} [takes|take] {p} time, and it pays.",
            "{A} [does|do] it {adv}, and it works.",
            "{A} [makes|make] it look simple.",
        ),
        (
            "{A} [moves|move] with {adj} certainty, and the task yields.",
            "Everything lines up for {O}: timing, nerve and steady hands.",
            "{A} [sets|set] {p} jaw and [sees|see] it through.",
            "What was hard a breath ago, {a} [makes|make] simple.",
            "{A} [does|do] it with a {adj} sureness.",
        ),
    ),
    "failure": (
        (
            "{A} [tries|try], but it will not give.",
            "It does not come together for {O} this time.",
            "{A} [comes|come] away with nothing.",
            "{Pc} attempt falls short, and nothing comes of it.",
            "{A} [gives|give] it a fair try, and it refuses {o}.",
            "{A} [frowns|frown] at it; not this time.",
            "No luck for {O}, not yet.",
        ),
        (
            "{A} [throws|throw] everything into it, and it is not enough.",
            "{Pc} best effort comes to nothing, and the failure stings.",
            "{A} [strains|strain] at it, and still it will not yield.",
            "It goes wrong in a way that {a} will remember, though no harm is done.",
        ),
    ),
    "critical": (
        (
            "{A} [does|do] it so neatly it looks easy.",
            "For one bright moment everything answers {P} will.",
            "{A} [gets|get] it exactly right, down to the smallest detail.",
        ),
        (
            "For one {adj} moment everything answers {P} will.",
            "{A} [does|do] it so well that it will be told again later.",
            "Skill and luck meet in {P} hands.",
        ),
    ),
    "fumble": (
        (
            "{A} [slips|slip], and the attempt goes awkwardly wrong.",
            "Something gives at exactly the wrong moment, and {a} [is|are] left scrambling.",
            "{Pc} luck fails at the worst time.",
        ),
        (
            "{A} [slips|slip] {adv}, and the attempt goes badly wrong.",
            "It all comes apart in {P} hands, {adj} and loud.",
            "{A} [misjudges|misjudge] it completely.",
        ),
    ),
    "hit": (
        (
            "{A} [finds|find] an opening and [strikes|strike] home.",
            "{Pc} blow lands true.",
            "{A} [connects|connect].",
            "{A} [gets|get] a blow in.",
            "A quick feint, a quicker strike, and {a} [draws|draw] blood.",
        ),
        (
            "{Pc} blow lands with {adj} force.",
            "{A} [drives|drive] the attack home {adv}.",
            "{A} [strikes|strike] hard where the guard is weakest.",
        ),
    ),
    "miss": (
        (
            "{A} [swings|swing] wide; the blow cuts only air.",
            "{A} [lunges|lunge], too late.",
            "{Pc} strike goes astray.",
            "{Pc} attack glances off without effect.",
            "{A} [misses|miss].",
        ),
        (
            "{A} [commits|commit] everything to the strike and [finds|find] nothing there.",
            "{Pc} blow goes wide, {adv}.",
            "{A} [overreaches|overreach], and the miss leaves {o} exposed.",
        ),
    ),
    "discovery": (
        (
            "{A} [looks|look] closer than most would, and it is worth it.",
            "{Pc} patience is rewarded.",
            "{A} [has|have] found what others walked past.",
            "{A} [takes|take] a careful look at what {a} [has|have] found.",
            "{Pc} fingers are quicker than {p} doubts.",
        ),
        (
            "{A} [stops|stop] short: this changes things.",
            "Under {P} careful hands, the place gives up a {adj} secret.",
            "A {adj} find rewards {P} patience.",
        ),
    ),
    # A clue the actor found before, looked at again: nothing new is found.
    "review": (
        (
            "{A} [goes|go] over it again, to be sure.",
            "{A} [studies|study] it a moment longer, fixing it in mind.",
            "{A} [takes|take] another careful look.",
            "{A} [looks|look] it over once more, slowly.",
            "{A} [turns|turn] it over in {p} mind again.",
        ),
        (
            "{A} [goes|go] over every detail again, hunting for anything missed.",
            "{A} [studies|study] it hard, as if it might say more the second time.",
        ),
    ),
    "dialogue": (
        (
            "{A} [listens|listen], and [takes|take] it in.",
            "{A} [chooses|choose] {p} words with care.",
            "{A} [weighs|weigh] the answer.",
            "{A} [nods|nod] slowly at that.",
            "{A} [files|file] it away for later.",
        ),
        (
            "{A} [speaks|speak] with {adj} conviction.",
            "{A} [lets|let] the answer settle before saying more.",
        ),
    ),
    # The room has already seen "X steps into view." (the engine's line, sent at once):
    # these go on from there instead of saying the arrival again.
    "enter": (
        (
            # Not "on the threshold": most places have none (the Reed-Marsh Path).
            "{A} [pauses|pause] a moment, coming into {room}.",
            "{A} [stops|stop] to take in {room}.",
            "{A} [looks|look] about {room}, getting {p} bearings.",
            "{A} [finds|find] a place to stand and [takes|take] stock of {room}.",
            "{A} [takes|take] in {room} at a glance.",
            "{A} [gets|get] the feel of {room}.",
        ),
        (
            "The air of {room} seems to change around {O}.",
            "{Pc} footsteps sound loud in the hush of {room}.",
        ),
    ),
    # A class power called on (``mud.engine.powers``): the engine has said what it did
    # (healed, blessed); this only tells that it answered.
    "power": (
        (
            "{A} [calls|call], and the power answers.",
            "It comes when {a} [calls|call], warm and sure.",
            "Something answers {P} call, quiet and certain.",
            "{A} [feels|feel] it answer, steady as a heartbeat.",
        ),
        (
            "It answers {P} call at once, and strongly.",
            "{A} [calls|call], and it comes in a rush.",
        ),
    ),
    "milestone": (
        (
            "{A} [stands|stand] a little taller now.",
            "{A} [has|have] earned this, step by step.",
            "The road behind {O} looks shorter than the road ahead.",
        ),
        (
            "It is a moment of weight, and {a} [feels|feel] it settle.",
            "{A} [stands|stand] at a turning point.",
            "Whatever comes next, {a} [meets|meet] it changed by what came before.",
        ),
    ),
    "round": (
        ("{A} [keeps|keep] {p} guard up.", "{A} [holds|hold] steady.", "{A} [stays|stay] ready."),
        ("{A} [fights|fight] on in the thick of it.",),
    ),
}

# Free actions (outcome "none"), by request kind.
_NONE: dict[str, tuple[str, ...]] = {
    "action": (
        "{A} [goes|go] about it {adv}.",
        "{A} [takes|take] a moment over it, unhurried.",
        "{A} [does|do] what needs doing, and nothing more.",
        "{A} [sets|set] to it without fuss.",
        "{A} [gives|give] it {p} full attention.",
    ),
    # A question nothing the engine knows answers: said so, and where an answer may
    # be found (played: "what is it?" was "You weigh what is known so far.", which
    # read as an answer that said nothing).
    "ask": (
        "Nothing {a} [has|have] seen or heard yet answers that.",
        "{A} [does|do] not know that yet; someone here, or in town, may.",
        "That is not known to {O} yet, though a closer look or the right person may tell.",
        "No answer to that comes yet; {a} may find one further on.",
    ),
    "talk": (
        "{A} [waits|wait] for an answer.",
        "{A} [listens|listen] closely.",
        "{A} [speaks|speak] plainly.",
    ),
    "scene": (
        "{A} [takes|take] in {room}.",
        "{A} [looks|look] around {room}.",
        "{A} [pauses|pause] to get the measure of {room}.",
    ),
    "ambient": (
        "{A} [pauses|pause], and for a moment everything is very still.",
        "{A} [waits|wait], listening.",
    ),
}

# A deed done to someone of the world that nothing decided ("flirt with bessa", "bow to
# the priest"): the doer's side, before how the one it is done to carries themselves
# (``NarrationRequest.npc_manner``, the builder's words) answers it.
_TOWARD: tuple[str, ...] = (
    "{A} [makes|make] {p} meaning plain, and [waits|wait] to see how it is taken.",
    "{A} [lets|let] it land, and [watches|watch] for an answer.",
    "{A} [leaves|leave] no doubt whom it is for.",
)

# A deed done to another player here ("punch tova in the face"): the engine rolls
# nothing against a player, so only the attempt is told and the rest is theirs
# (played: "Dax sets to it without fuss.", with nothing of Tova in it). ``{T}`` is the
# one it is done to, ``{Ts}`` whose the answer is ("Tova's", read by Tova as "yours").
_AT_PLAYER: dict[bool, tuple[str, ...]] = {
    True: (
        "{A} [goes|go] for {T}, quick and sudden; whether it lands is {Ts} to say.",
        "{A} [lunges|lunge] at {T}, and how it ends is {Ts} to tell.",
        "{A} [rounds|round] on {T} without warning, and what comes of it is {Ts} to answer.",
    ),
    False: (
        "{A} [turns|turn] to {T} with it; how it is taken is {Ts} to say.",
        "{A} [makes|make] the gesture plain to {T}, and the answer is {Ts} to give.",
        "{A} [leaves|leave] {T} in no doubt whom it is for; the rest is {Ts} to tell.",
    ),
}
#: First words of a deed done to another that is an attack ("punch tova").
_VIOLENT = frozenset(
    # A word list reads better as words than as a column of string literals.
    """attack hit punch kick slap stab strike shove push trip bite choke strangle smack
    headbutt elbow knee tackle throttle cut slash smash bash whack shoot club""".split()  # noqa: SIM905
)
#: First words of a deed done to another that touches them and asks an answer ("hug
#: tova"); a glance or a nod at someone asks none, and is told as any deed (played:
#: "... and glance at Tova" was told "You turn to Tova with it; how it is taken is
#: Tova's to say.").
_CONTACT = frozenset(
    """hug kiss embrace tickle poke prod pinch grab seize hold pull tug drag shake nudge
    pat stroke caress lick spit pick lift carry tackle kick trip""".split()  # noqa: SIM905
)
_TARGET_FIELDS = frozenset({"T", "Ts"})

# A question the engine has answered already (``NarrationRequest.shown``).
_ANSWERED: tuple[str, ...] = (
    "{A} [takes|take] that in.",
    "{A} [fixes|fix] it in {p} mind.",
    "{A} [keeps|keep] it in mind.",
    "{A} [nods|nod], and [files|file] it away.",
)

# A free deed told by what it is (outcome "none", nothing rolled, the engine let it
# happen): "warm my hands at the fire" was "You take a moment over it, unhurried.",
# "pray to Saint Ysolde" "You go about it quietly.", "grab a stool" "You go about it
# without hurry.", "listen at the door" "You set to it without fuss." By the deed's first verb
# (``_DEED_WORDS``). They tell the deed itself and how it feels to the one doing it,
# nothing that anyone else does and no outcome the engine did not decide (no answer to a
# prayer, nothing found, no door opened). ``{obj}``: a thing of the room the player's
# words named ("the fire"), only when they named one.
_DEEDS: dict[str, tuple[str, ...]] = {
    "warm": (
        "Warmth creeps back into {P} fingers.",
        "{A} [lets|let] the heat soak in, and the chill loosens its grip.",
        "{A} [holds|hold] {p} hands out to the warmth.",
        "{A} [stays|stay] close to {obj} until the cold has gone out of {p} hands.",
    ),
    "pray": (
        "{Pc} prayer is quiet, and no less meant for it.",
        "{A} [murmurs|murmur] the old words, low and steady.",
        "{A} [bows|bow] {p} head, and the words come of themselves.",
        "For a while {a} [is|are] somewhere else, with the words.",
    ),
    "sing": (
        "The tune is thin but true, and it lingers a moment after it ends.",
        "{A} [finds|find] the melody on the second try, and [keeps|keep] it.",
        "A few bars of an old tune drift through {room}.",
        "{Pc} song is short, and {room} {be} the better for it.",
    ),
    "dance": (
        "{A} [turns|turn] a few light steps, and the mood lifts.",
        "{Pc} feet find a rhythm, and for a moment nothing else matters.",
        "{A} [dances|dance] a few steps, light and unhurried.",
    ),
    "wait": (
        "{A} [waits|wait], and the moments slip by.",
        "Time goes slowly while {a} [waits|wait].",
        "{A} [keeps|keep] still and [lets|let] the time pass.",
    ),
    "watch": (
        "{Pc} gaze rests on {obj} a long while.",
        "{A} [watches|watch] for a long moment, unhurried.",
        "{A} [takes|take] {p} time, looking.",
        "{A} [looks|look] on, and [lets|let] the moment stretch.",
    ),
    "look": (
        "{A} [takes|take] a long look, and [lets|let] {p} eyes get used to it.",
        "{A} [looks|look] carefully, in no hurry.",
        "{Pc} eyes move slowly, taking it all in.",
        "{A} [leans|lean] in for a better look.",
    ),
    "knock": (
        "{Pc} knock sounds loud in {room}.",
        "{A} [knocks|knock] twice, and the sound hangs in the quiet.",
        "{A} [raps|rap] on {obj} and [waits|wait].",
    ),
    "call": (
        "{Pc} voice carries through {room}.",
        "{A} [calls|call] out, loud and clear.",
        "{Pc} call rings out, and then the quiet comes back.",
    ),
    # Played (round 59): "i poke the nets with my sword" read "You do what needs doing,
    # and nothing more.", which a hand on it would not have bettered.
    "prod": (
        "{A} [prods|prod] at {obj}, and [waits|wait] to see what stirs.",
        "{A} [gives|give] it a careful poke, ready to pull back.",
        # Not "Nothing stirs under your prodding." (played: after poking the fire).
        "{A} [pokes|poke] at it, and [watches|watch] what it does.",
    ),
    # Played: "i shake the snow off my cloak" read "You give it your full attention.".
    "shake": (
        "{A} [gives|give] it a good shake.",
        "{A} [shakes|shake] it out, hard.",
        "A few sharp shakes, and {a} [is|are] done with it.",
    ),
    # Played (round 59), each read as a deed of no kind ("You go about it carefully."):
    # "dig in the mud", "scratch my name in the wall", "taste the water", "light a
    # candle", "i crawl under the table", "gather reeds".
    "dig": (
        "{A} [digs|dig] in, and the ground gives grudgingly.",
        "{A} [works|work] down into it a handful at a time.",
        "{A} [scoops|scoop] and [scrapes|scrape] until {p} fingers ache.",
    ),
    "carve": (
        "{A} [works|work] the point in, one careful line at a time.",
        "{A} [cuts|cut] slowly, and the marks take shape.",
        "{A} [bends|bend] close over the work, steady-handed.",
    ),
    "taste": (
        "{A} [tries|try] a little, warily.",
        "{A} [tastes|taste] it, and the taste lingers.",
        "{A} [takes|take] the smallest taste, and [waits|wait] to see.",
    ),
    "light": (
        "{A} [strikes|strike] a spark and [cups|cup] {p} hands around it.",
        "{A} [coaxes|coax] a small flame along, shielding it from the draught.",
        "{A} [bends|bend] close and [breathes|breathe] the spark into life.",
    ),
    "creep": (
        "{A} [goes|go] low and slow, placing every step.",
        "{A} [keeps|keep] close to the ground, and quiet.",
        "{A} [edges|edge] along, a hand out for balance.",
    ),
    "gather": (
        "{A} [gathers|gather] what {a} can, an armful at a time.",
        "{A} [picks|pick] out the best of it, and [leaves|leave] the rest.",
        "{A} [works|work] along, gathering as {a} [goes|go].",
    ),
    "touch": (
        "{A} [runs|run] a hand over {obj}, slowly.",
        "{Pc} fingers learn the feel of it.",
        "{A} [touches|touch] it lightly, {adv}.",
    ),
    "tend": (
        "{A} [works|work] at it with patient hands.",
        "{A} [takes|take] care over it, and it shows.",
        "{A} [sees|see] to it with steady hands.",
        "A little patience, and {a} [has|have] it done properly.",
    ),
    "write": (
        "{Pc} hand moves steadily, setting it down.",
        "A few careful lines, and {a} [has|have] it down.",
        "{A} [writes|write] slowly, choosing each word.",
    ),
    "search": (
        "{A} [searches|search] slowly, a hand's breadth at a time.",
        "{A} [goes|go] over it with patient hands.",
        "{A} [looks|look] in every corner of it, in no hurry.",
    ),
    "read": (
        "{A} [reads|read] slowly, taking in each word.",
        "Word by word, {a} [makes|make] it out.",
        "{A} [takes|take] {p} time over the words.",
    ),
    "think": (
        "{A} [turns|turn] it over in {p} mind.",
        "{A} [thinks|think] back, carefully.",
        "For a moment {a} [is|are] lost in thought.",
    ),
    "breathe": (
        "{A} [lets|let] out a long, slow breath.",
        "{Pc} shoulders ease a little.",
        "{A} [breathes|breathe] deep, and some of the tension goes.",
    ),
    "stretch": (
        "{A} [stretches|stretch] until stiff joints crack.",
        "{A} [works|work] the stiffness out, one limb at a time.",
    ),
    "toast": (
        "{A} [raises|raise] a toast, and [means|mean] it.",
        "{Pc} cup goes up, to absent friends and better days.",
    ),
    "comfort": (
        "{A} [holds|hold] on a moment longer than needed.",
        "It is a small kindness, and a warm one.",
        "{Pc} touch is gentle and sure.",
    ),
    "weep": (
        "{Pc} tears come quietly, and then they pass.",
        "{A} [lets|let] it out, and [feels|feel] a little lighter after.",
    ),
    "listen": (
        "{A} [holds|hold] still and [listens|listen].",
        "Every small sound of {room} seems to come to {P} ears at once.",
        "{A} [tilts|tilt] {p} head, listening hard.",
        "{A} [listens|listen] a long moment, breathing quietly.",
    ),
    "smell": (
        "{A} [breathes|breathe] in slowly, sorting one smell from the next.",
        "{A} [tests|test] the air, slow and careful.",
        "{A} [takes|take] a long breath through the nose.",
    ),
    "lean": (
        "{A} [leans|lean] on {obj} and [lets|let] it take the weight.",
        "{A} [settles|settle] back, and the ache goes out of {p} legs.",
        "{A} [leans|lean] back, easy, in no hurry to move.",
    ),
    "heave": (
        "{A} [sets|set] {p} feet and [puts|put] {p} weight into it.",
        "{A} [strains|strain] at it, jaw set.",
        "{A} [braces|brace] and [heaves|heave], hard.",
        "{A} [throws|throw] {p} whole weight into it.",
    ),
    "throw": (
        "{A} [draws|draw] back an arm and [lets|let] fly.",
        "A flick of the wrist, and {a} [lets|let] it go.",
        "{A} [weighs|weigh] the throw a moment, then [makes|make] it.",
    ),
    "grab": (
        "{A} [takes|take] a firm hold.",
        "{A} [reaches|reach] out quickly, and [closes|close] {p} grip.",
        "{A} [grips|grip] tight, knuckles pale.",
    ),
    "wade": (
        "The cold of the water takes {P} breath for a moment.",
        "{A} [goes|go] slowly, feeling for footing with every step.",
        "The water drags at {P} legs, cold as iron.",
    ),
    "pace": (
        "{A} [paces|pace] the length of {room} and back.",
        "{A} [walks|walk] a slow circle, thinking.",
        "{Pc} steps go back and forth, restless.",
    ),
    "count": (
        "{A} [counts|count] it through twice, to be sure.",
        "{A} [keeps|keep] the count under {p} breath.",
        "{A} [tallies|tally] it carefully, one by one.",
    ),
    "fish": (
        "{A} [settles|settle] in to wait for a bite.",
        "{A} [watches|watch] the line, patient as a heron.",
        "{A} [casts|cast], and the waiting begins.",
    ),
    "climb": (
        "{A} [looks|look] for the first good hold and [tries|try] {p} weight on it.",
        "{A} [finds|find] a hold, then another, and [starts|start] up.",
    ),
    # A haggle in words, with no roll (a pose of one, or one already spent): its talk.
    "haggle": (
        "{A} [weighs|weigh] up the price with a trader's eye.",
        "{A} [turns|turn] a figure over, and [names|name] it.",
    ),
    "jump": (
        "{A} [bends|bend] at the knee and [springs|spring].",
        "{A} [gathers|gather] {p} nerve and [jumps|jump].",
        "{A} [takes|take] a short run and [leaps|leap].",
    ),
}
#: A deed of the senses the rules rolled for ("listen at the door": WIS), told as what
#: the senses got, not as handiwork: played, "You work at it with steady hands, and it
#: gives. ... It is a small victory." for a listen at the door. By (pool, outcome).
_SENSED: dict[tuple[str, str], tuple[str, ...]] = {
    # A haggle is words, not handiwork (played, round 57: "You work at it with steady
    # hands, and it gives." for Mother Greeb's price coming down).
    ("haggle", "success"): (
        "{A} [names|name] a figure, and after a long look it is taken.",
        "A coin at a time, {a} [talks|talk] the price down.",
    ),
    ("haggle", "critical"): (
        "{A} [names|name] a figure so reasonable it is taken at once, with something like respect.",
    ),
    ("haggle", "failure"): (
        "{A} [tries|try] a lower figure, and it is waved away.",
        "The price stays where it was, whatever {a} [says|say].",
    ),
    ("haggle", "fumble"): ("{A} [names|name] a figure, and it is taken as an insult.",),
    ("listen", "success"): (
        "{A} [holds|hold] still, and the sounds of {room} come clear one by one.",
        "{A} [listens|listen] hard, and [catches|catch] what a quicker ear would miss.",
        "{A} [tilts|tilt] {p} head; nothing that sounds here gets past {P} ears now.",
    ),
    ("listen", "failure"): (
        "{A} [listens|listen] a long moment, and nothing comes clear.",
        "{A} [strains|strain] to hear, and [gets|get] only {p} own breathing for it.",
        "Whatever there is to hear, {a} [does|do] not hear it.",
    ),
    ("smell", "success"): (
        "{A} [sorts|sort] one smell from the next, and [finds|find] the one that matters.",
        "{A} [breathes|breathe] in slowly; {p} nose is sharper than most.",
    ),
    ("smell", "failure"): (
        "{A} [breathes|breathe] in, and [gets|get] only damp and smoke for it.",
        "Whatever there is to smell, it is lost under everything else.",
    ),
    ("watch", "success"): (
        "{A} [watches|watch] closely, and little escapes {P} eye.",
        "{A} [keeps|keep] {p} eyes on it, patient, and [sees|see] it plain.",
    ),
    ("watch", "failure"): (
        "{A} [watches|watch] a long while, and [sees|see] nothing worth the wait.",
        "{Pc} eyes tire before anything shows itself.",
    ),
    ("look", "success"): (
        "{A} [looks|look] carefully, and little escapes {P} eye.",
        "{A} [takes|take] a long look, and [sees|see] it plain.",
    ),
    ("look", "failure"): (
        "{A} [looks|look] a long while, and [sees|see] nothing to speak of.",
        "{Pc} eyes go over it, and find nothing.",
    ),
    # A find made by reading: not "Your fingers are quicker than your doubts." (played,
    # the tollhouse ledger studied).
    ("read", "discovery"): (
        "{A} [follows|follow] it line by line, and [stops|stop] at the one that matters.",
        "{A} [reads|read] it twice, and the second time it means something.",
        "Between the lines, {a} [finds|find] what was there to be found.",
    ),
    # A reading or a search that fails read "You try, but it will not give." (played:
    # Edda's papers), which is a door's or a lid's failure.
    ("read", "success"): (
        "{A} [follows|follow] it line by line, and the sense of it comes clear.",
        "{A} [reads|read] slowly, and it falls into place.",
    ),
    ("read", "failure"): (
        "{A} [follows|follow] the lines a while, and [loses|lose] the thread.",
        "{A} [reads|read] it through twice, and the sense of it will not settle.",
        "The words stay only words to {O}.",
    ),
    ("search", "success"): (
        "{A} [searches|search] with care, and {p} hands find what the eye missed.",
        "{A} [goes|go] over it inch by inch, and it pays.",
    ),
    # Played: "I climb onto the bar and sing a sea shanty", made, was "It goes the way
    # you hoped. It is a small victory.": of the body's deeds the rules rolled (STR,
    # DEX), what the body did.
    ("climb", "success"): (
        "{A} [finds|find] {p} holds and [goes|go] up without a slip.",
        "{A} [makes|make] the climb cleanly, hand over hand.",
    ),
    ("climb", "failure"): (
        "{A} [gets|get] partway before a hold gives, and [slides|slide] back down.",
        "{A} [finds|find] no hold that will take {p} weight.",
    ),
    ("climb", "critical"): ("{A} [goes|go] up as if there were a stair cut for it.",),
    # Each with one sentence that names the doer once and no more (``_usable``).
    ("climb", "fumble"): (
        "{A} [loses|lose] {p} grip and [lands|land] hard.",
        "A hold crumbles, and {a} [comes|come] down hard.",
    ),
    ("heave", "success"): (
        "{A} [puts|put] {p} back into it, and it gives.",
        "{A} [takes|take] the strain, and it moves.",
    ),
    ("heave", "failure"): (
        "{A} [strains|strain] until {p} arms shake, and it does not move.",
        "{A} [sets|set] {p} feet again and again, and it will not give.",
        "{A} [strains|strain] at it, and it does not move.",
    ),
    ("heave", "critical"): ("It gives all at once, and {a} nearly [goes|go] with it.",),
    ("heave", "fumble"): (
        "{A} [loses|lose] {p} grip and [stumbles|stumble] back.",
        "The grip slips, and {a} [stumbles|stumble] back.",
    ),
    ("search", "failure"): (
        "{A} [searches|search] with care, and [turns|turn] up nothing.",
        "{Pc} hands go over every inch of it, and come away empty.",
        "Whatever is there, it stays hidden from {O}.",
    ),
    # A fumbled search of Edda's papers read "You slip suddenly, and the attempt goes
    # badly wrong." (played): a fumble of the hands, not the feet.
    ("search", "fumble"): (
        "{A} [goes|go] at it too fast, and only [makes|make] a worse mess of it.",
        "{Pc} hands scatter more than they find.",
    ),
    ("read", "fumble"): (
        "{A} [loses|lose] the thread twice, and the lines swim.",
        "The lines swim before {O}, and make no sense at all.",
    ),
    # A search, a look or a listen that succeeded where nothing is there (kind
    # "nothing"): played, "hands find what the eye missed" over a mantel with no catch.
    ("search", "nothing"): (
        "{A} [searches|search] with care, and there is nothing hidden there.",
        "{Pc} hands go over every inch of it: whatever {a} hoped for, it is not there.",
    ),
    ("look", "nothing"): (
        "{A} [looks|look] carefully: there is nothing out of the ordinary to see.",
        "{A} [takes|take] a long look, and nothing is hidden from {O} there.",
    ),
    ("watch", "nothing"): ("{A} [watches|watch] closely, and nothing out of the ordinary stirs.",),
    ("listen", "nothing"): (
        "{A} [listens|listen] hard: nothing stirs that should not.",
        "{A} [holds|hold] still and [listens|listen], and [hears|hear] only the usual sounds.",
    ),
    ("touch", "nothing"): (
        "{Pc} fingers find only what is plain to see: nothing is hidden there.",
    ),
    ("search", "critical"): (
        "{A} [knows|know] just where to look, and there it is.",
        "{A} [goes|go] straight to the one place that matters.",
    ),
    ("read", "critical"): (
        "{A} [reads|read] it once, and every line falls into place.",
        "The lines open to {O} at once, as if written for the reader alone.",
    ),
}
_DEED_WORDS_TEXT = """
warm:warm,heat,thaw
pray:pray,bless,meditate,worship
sing:sing,hum,whistle,chant
dance:dance,twirl,jig,waltz
wait:wait,linger,loiter,idle,tarry
watch:watch,stare,gaze,observe,admire,regard
look:look,peer,peek,scan,survey
knock:knock,rap,bang
call:call,holler,hail,halloo,shout,yell,bellow,whoop
prod:poke,prod
shake:shake
touch:touch,feel,stroke,pat,trace,caress,rub,pet
dig:dig,burrow,delve,excavate
carve:carve,etch,engrave,whittle,scratch
taste:taste,lick,sip,nibble,chew,sample
light:light,kindle,ignite
creep:creep,crawl,crouch,tiptoe
gather:gather,collect,forage,harvest,pluck
tend:clean,wipe,polish,sharpen,hone,whet,strop,oil,mend,repair,fix,tie,tighten,adjust,wash,dry,wring,fold,pack,sort,brush,comb,scrub,patch,darn,bandage,bind,scrape
write:write,draw,sketch,scribble,jot,note
read:read,decipher,skim,study,peruse,pore
search:search,rummage,ransack,sift,check,inspect,probe,examine
think:think,remember,recall,ponder,reflect,wonder,muse
breathe:breathe,relax,unwind
stretch:stretch,yawn
toast:toast
comfort:hug,embrace,comfort,console,wrap,drape,tuck,cradle,soothe,reassure,steady
weep:weep,cry,sob
listen:listen,eavesdrop,overhear
smell:smell,sniff,inhale
lean:lean,slump,recline,lounge
heave:push,pull,shove,heave,tug,drag,kick,haul
climb:climb,scale,clamber,scramble,shin
throw:throw,toss,fling,hurl,lob,skip
grab:grab,grasp,seize,clutch,grip,snatch
wade:wade,swim,paddle,splash,bathe
pace:pace,wander,stroll,roam,circle
count:count,tally
fish:fish,angle
jump:jump,leap,hop,vault
haggle:haggle,bargain,barter,persuade,convince,negotiate
"""
#: The first word of a deed -> its ``_DEEDS`` pool ("hum" -> "sing").
_DEED_WORDS: dict[str, str] = {
    word: kind
    for line in _DEED_WORDS_TEXT.split()
    for kind, _, words in [line.partition(":")]
    for word in words.split(",")
}


def _named_thing(text: str, things: Sequence[str]) -> str:
    """The first of the room's ``things`` ("the fire", "the loose hearthstone") whose
    last word ``text`` (a player's deed) says, or "". Only the room's own words come
    out of it, never the player's."""
    words = set(re.findall(r"[a-z]+", text.lower()))
    for thing in things:
        last = thing.lower().split()[-1:]
        if last and last[0] in words:
            return thing
    return ""


#: The senses a deed can be of (``deed_kind``), each with the words that say it in the
#: builder's sentences, the colour field of the pack's pools that holds it, and the
#: words the deed's own telling may have used that its colour may say again ("sorting
#: one smell from the next. The air smells of peat smoke."): a deed of a sense is
#: followed by what that sense finds (played, round 59: "smell the air" in a shop that
#: "smells of paraffin and mint" read "The light goes grey and soft, as it does near the
#: water."; "i listen to the lamps" read "Shadows lie close around the counter.").
_SENSES: dict[str, tuple[re.Pattern[str], str, str]] = {
    "smell": (
        re.compile(
            r"\b(?:smell(?:s|ed|ing|y)?|scents?|scented|reek(?:s|ing)?|stinks?|stench|"
            r"odou?rs?|whiffs?|aromas?|fragran\w*|perfumes?d?)\b",
            re.I,
        ),
        "smell",
        "smell scent",
    ),
    "listen": (
        re.compile(
            r"\b(?:sounds?|sounding|hears?|heard|hearing|noises?|noisy|voices?|creak\w*|"
            r"ticks?|ticking|hiss\w*|drip(?:s|ping)?|whisper\w*|rattl\w*|clatter\w*|"
            r"murmur\w*|hum(?:s|ming)?|chant\w*|sings?|singing|sung|songs?|splash\w*|"
            r"crackl\w*|groan\w*|moan\w*|click\w*|patter\w*|howl\w*|roar\w*|cr(?:y|ies)|"
            r"croak\w*|quiet|silen\w*|echo\w*|ringing|tolling|knock\w*|"
            r"thud\w*|mutter\w*|laugh\w*|barking|buzz\w*)\b",
            re.I,
        ),
        "sound",
        "sound listen hear heard ear",
    ),
}
# A call is answered by what is heard after it: "i shout hello into the hatch", then the
# echo of dripping water from the open hatch.
_SENSES["call"] = (_SENSES["listen"][0], "sound", "sound voice call")


#: Deeds known by a phrase rather than by their first verb: an ear put to something is
#: listening, a line cast is fishing.
_DEED_PHRASES: tuple[tuple[re.Pattern[str], str], ...] = (
    # Not "cover my ears" (found in review).
    (
        re.compile(
            r"\b(?:put|puts|press|presses|lay|lays|hold|holds|set|sets)\s+(?:my|his|her|their"
            r"|your|an?)\s+ears?\s+(?:to|against)\b",
            re.I,
        ),
        "listen",
    ),
    # Not "cast a line of salt across the doorway" (found in review).
    (
        re.compile(
            r"\bcasts?\s+(?:a|my|the|his|her|their)\s+line(?:\s+(?:into|in|out|over|off)\b|\s*$)",
            re.I,
        ),
        "fish",
    ),
    # One's head put out is a look, not a prod (found in review: "i poke my head out the
    # door" read "You give it a careful poke"); a tap on a door is a knock.
    (re.compile(r"\bpokes?\s+(?:my|his|her|their|your|a)\s+(?:head|nose)\b", re.I), "look"),
    (re.compile(r"\btaps?\s+(?:on|at)\b", re.I), "knock"),
    # A head shaken, or a hand, is no thing shaken out: a kind of its own there is none.
    (re.compile(r"\bshakes?\s+(?:\w+\s+)?(?:head|hands?|fists?)\b", re.I), ""),
)


#: A sentence in "you", told to one walking in: no colour after a deed of a sense.
_SECOND_PERSON = re.compile(r"\b(?:you|your|yours|yourself)\b", re.I)


#: The pools of deeds done to a thing of the world, and the words that make one of them
#: a deed of one's own body or mind, or done to others ("scratch my head", "gather my
#: courage", "chew on my lip", "dig through my pack", "gather everyone", "shake pell
#: awake": found in review), which are of no pool.
_WORLDLY = frozenset({"dig", "carve", "taste", "gather", "shake", "prod"})
_NOT_WORLDLY = re.compile(
    r"\b(?:my|his|her|their|your|our)\s+(?:head|lips?|heels?|thoughts|courage|wits|nerve"
    r"|pack|bag|pockets?|satchel|hair|chin|nose|teeth|tongue|fingers?|hands?|brow|face"
    r"|self|strength|breath)\b|\b(?:everyone|everybody|us|the\s+others|the\s+group)\b"
    r"|\b\w+\s+(?:awake|up)\s*$",
    re.I,
)
#: One's own gear, as a deed's words name it: "my axe", "our rope" (not what is searched
#: through: "my pack").
_OWN_GEAR = re.compile(
    # Not "his", "her" or "their": "search his robes", "check her pulse" (found in review).
    r"\b(?:my|our)\s+(?!(?:pack|bag|pockets?|satchel|pouch|purse|way|path"
    r"|surroundings|memory|notes)\b)[a-z'-]+",
    re.I,
)
#: Where a deed's first part ends: "i light the candle and tap on the glass".
_FIRST_PART = re.compile(r"\s+(?:and|then)\s+|[,;.!?]", re.I)


def deed_kind(text: str, people: Collection[str] = ()) -> str:
    """The ``_DEEDS`` pool a free deed's words belong to, by a phrase of its own in its
    first part ("press my ear to the door" -> "listen", ``_DEED_PHRASES``) or else its
    first verb ("hum a tune" -> "sing", "I quietly pray" -> "pray"), or "" when it is
    none of them (or a deed of one's own body or mind in words of a worldly pool:
    ``_NOT_WORLDLY``; or a verb of ``_CARING`` done to no one: neither "her", "him" nor
    one of ``people``, the names of those present). Pure."""
    first = _FIRST_PART.split(text, maxsplit=1)[0]
    for phrase, kind in _DEED_PHRASES:
        if phrase.search(first):
            return kind
    verb = lead_verb(text)
    kind = _DEED_WORDS.get(verb, "")
    if kind in _WORLDLY and _NOT_WORLDLY.search(first):
        return ""
    if kind == "search" and _OWN_GEAR.search(first):
        # "check the edge of my axe for nicks" (played: "You search slowly, a hand's
        # breadth at a time."): one's own gear is seen to, not searched.
        return "tend"
    named = {w.lower() for w in re.findall(r"[A-Za-z'-]+", first)} & {p.lower() for p in people}
    if verb in _CARING and not (_TO_SOMEONE.search(first) or named):
        # A kindness only when done to someone: "tuck the key into my belt", "steady the
        # ladder" are handling (found in review: "It is a small kindness, and a warm one.").
        return ""
    return kind


#: Verbs of "comfort" that are also done to things: a kindness only to someone.
_CARING = frozenset({"wrap", "drape", "tuck", "cradle", "steady"})
#: Someone, in a deed's words: "around her shoulders", "steady him", "tuck Corvin in".
_TO_SOMEONE = re.compile(
    r"\b(?:her|him|them|his|their)\b(?!\s+(?:own\s+)?(?:belt|pack|hand|hands|boot|boots|sleeve))"
)


# Colour: true of the room or the pack, never an act of anyone present. By source.
_PACK_COLOUR: tuple[str, ...] = (
    "From somewhere comes {sound}.",
    "For a moment the only sound is {sound}.",
    # No verb agrees with a sound: "There is footsteps crossing the chapel overhead"
    # was read in the crypt.
    "{Sound}, and then quiet again.",
    "The air smells of {smell}.",
    "A smell of {smell} hangs about {noun}.",
    "{Sight}.",
    "Nearby, {sight}.",
)
_NOUN_COLOUR: tuple[str, ...] = (
    "The light shifts on {noun}.",
    "Nothing moves near {noun}.",
    "Shadows lie close around {noun}.",
)
_THING_COLOUR: tuple[str, ...] = (
    # A thing may be one or many ("the reed charms"): no verb agrees with it. Not
    # "moved": "No one has moved the niches." was read in the crypt, of wall niches.
    "No one has disturbed {thing}.",
    # Of a thing lying here only: "Close at hand, it would be easy to overlook the
    # gibbet." was read at the crossroads, of the gibbet its description is built round.
    "Close at hand, it would be easy to overlook {loose}.",
    "The light catches {thing} for a moment.",
    # No sentence of a way out: "Not far off, the way up waits." read after a find by the
    # hearth as if the way on were up, and "The way north leads on, for whoever wants
    # it." after a push at the Sunken Shrine's altar as if the push had opened it.
    # "The Heron Stones is still for a breath." was read: the room's own verb agrees.
    "{Room} {be} still for a breath.",
)
_ROOM_COLOUR = _NOUN_COLOUR + _THING_COLOUR
# Used only when the pack has no ``narration:`` pools: its words as a mood.
_VOCAB_COLOUR: tuple[str, ...] = (
    "The air in {room} carries a hint of {v1}.",
    "The old moods of {room} linger: {v1}, {v2}.",
    "In {room}, everything speaks of {v1}.",
    "There is {v1} in the air, and {v2} close behind it.",
)
# Prefixes a template in the set of what one narration has used: no told sentence
# starts with a control character (the output is plain text).
_TEMPLATE_MARK = "\x00"
# Prefixes a colour value (a sound, a smell, a sight, a thing, a word of the pack's
# vocabulary) in that set once a sentence has said it: "There is the creak of old
# timber settling, and then quiet again. From somewhere comes the creak of old timber
# settling." was one narration, two templates, one sound.
_VALUE_MARK = "\x01"
_SAID_ONCE = frozenset(
    {
        "sound",
        "Sound",
        "smell",
        "sight",
        "Sight",
        "noun",
        "thing",
        "Thing",
        "loose",
        "v1",
        "v2",
        "room",
        "Room",
    }
)
# Prefixes a word of a template's own text (four letters or more, not a common one) in
# that set once a sentence has used it: "You pause a moment, coming into the
# Cartographer's Room. It takes a moment to get the measure of it." was one narration.
_WORD_MARK = "\x02"
_ECHO_WORD = re.compile(r"[a-z]{4,}")
_COMMON_WORDS = frozenset(
    """about above after again along also been before being below does each every from
    have here into just like more much only other over some than that their them then
    there these they this those through under until very were what when where which
    while will with would could should your""".split()  # noqa: SIM905
)

_CLOSERS: dict[str, tuple[str, ...]] = {
    "success": (
        "It is a small victory.",
        "The way forward looks a little clearer now.",
        "Some things still go right.",
    ),
    "failure": ("There will be other chances.", "It stays stubbornly as it was."),
    "critical": ("It is the kind of moment people remember.", "Luck is listening today."),
    "fumble": ("The echo of the mistake takes a while to fade.",),
    "hit": ("The blow leaves its mark.",),
    "miss": ("The opening is gone as quickly as it came.",),
    "discovery": ("It may matter more than it seems.", "There is more here than first appeared."),
    "nothing": (
        "Whatever is to be found, it is elsewhere.",
        "At least that is one place ruled out.",
    ),
    "review": (
        "It is just as it was.",
        "Nothing about it has changed.",
        "It is worth remembering.",
    ),
    "dialogue": (
        "The words hang in the air a moment longer.",
        "It is something to think about.",
        "That is worth remembering.",
    ),
    "enter": (
        "The place waits to see what happens next.",
        "It takes a moment to get the measure of it.",
        "First impressions settle slowly.",
        "There is a lot to take in.",
    ),
    "power": ("It is enough, for now.", "Some help is always worth the calling."),
    # ("This will be remembered." read as a game's stock line, not the story's.)
    "milestone": ("The story has turned a page.", "The way on is a little clearer now."),
    "round": ("The fight goes on.", "Neither side gives ground."),
    "none": (
        "The moment passes quietly.",
        "For now, all is as it was.",
        "Nothing much changes, for now.",
    ),
}

# -- fights: one sentence per beat, exactly what the dice said -----------------------------
# Fields: A/a (actor, start/mid), T/t (target), Pa (actor's possessive), Pt (target's),
# x (an item used or a direction fled).
_BEATS: dict[str, tuple[str, ...]] = {
    # Players' misses at one foe told as one, when a round is too long to tell each
    # (``_misses_joined``): "{A}" is all of them ("Sable and Wren", "you and Wren").
    "misses": (
        "{A} {both} miss {t}.",
        "{T} slips away from {a}.",
        "{A} {both} strike at {t}, and find nothing there.",
    ),
    "hit": (
        "{A} [strikes|strike] {t}.",
        "{A} [lands|land] a blow on {t}.",
        "{Pa} strike catches {t}.",
        "{A} [gets|get] through {Pt} guard.",
        "{A} [gets|get] a blow in on {t}.",
        "{A} [finds|find] an opening, and the blow lands on {t}.",
        "{A} [connects|connect] with {t}.",
        "{A} [scores|score] a hit on {t}.",
        "{A} [wounds|wound] {t}.",
    ),
    "critical": (
        "{A} [lands|land] a terrible blow on {t}.",
        "{A} [finds|find] the perfect opening and [strikes|strike] {t} with everything.",
        "{Pa} blow takes {t} full on.",
    ),
    "miss": (
        "{A} [swings|swing] at {t} and [misses|miss].",
        "{T} [slips|slip] aside from {Pa} strike.",
        "{Pa} blow goes wide of {t}.",
        "{A} [lunges|lunge] at {t}, a heartbeat too late.",
        "{A} [strikes|strike] at {t} and [finds|find] only air.",
        # Not "{T} is not there when the blow arrives" (played: it read as if the one
        # missed had left the fight).
        "{T} [twists|twist] away, and {Pa} blow meets nothing.",
    ),
    # A blow out of hiding (``Beat.unseen``), hit or miss, in place of the plain one.
    "ambush": (
        "{A} [comes|come] out of the shadows and [strikes|strike] {t}.",
        "{A} [strikes|strike] {t} from the shadows.",
        "Out of the dark, {Pa} blow takes {t} by surprise.",
    ),
    "ambush-miss": (
        "{A} [lunges|lunge] out of the shadows at {t}, and [misses|miss].",
        "{A} [strikes|strike] at {t} from the shadows and [finds|find] only air.",
    ),
    "felled": ("{T} [goes|go] down.", "{T} [falls|fall].", "{T} [crumples|crumple] to the ground."),
    # The blow that fells a foe whose fall the builder's own words already showed.
    "final": (
        "{A} [strikes|strike] the last blow against {t}.",
        "{Pa} blow is the last {t} [takes|take].",
        # Not "puts an end to it with a blow to the eel-catcher": "it", then its name.
        # Nor "ends the fight": another foe may fight on.
        "{A} [deals|deal] the final blow to {t}.",
        "{A} [finishes|finish] {t} with one last blow.",
    ),
    # The same for a critical hit: "Your blow is the last the Drowned Warden takes." was
    # told of a natural 20.
    "final-critical": (
        "{A} [lands|land] a perfect last blow on {t}.",
        "{A} [strikes|strike] {t} with everything, and it is enough.",
        # The foe's verb is not the actor's: "[falls|fall]" read "You find the perfect
        # opening, and the Drowned Warden fall to one last blow."
        "{A} [finds|find] the perfect opening, and one last blow fells {t}.",
    ),
    "hurt": (
        "{T} [staggers|stagger], badly hurt.",
        "{T} [is|are] hurt, and it shows.",
        "{T} [reels|reel] from the blow.",
        "{T} [is|are] flagging now.",
    ),
    # One more blow fells them (played: Mira at 1 of 9 HP read "You are hurt, and it
    # shows.").
    "grave": (
        "{T} [is|are] barely standing.",
        "{T} [sways|sway], one blow from falling.",
        "{T} [hangs|hang] on by a thread.",
    ),
    "defend": (
        "{A} [sets|set] a guard and [waits|wait].",
        "{A} [falls|fall] back into a guarded stance.",
    ),
    "flee": (
        "{A} [breaks|break] away and [flees|flee] {x}.",
        "{A} [gets|get] clear and [runs|run] {x}.",
    ),
    "stuck": ("{A} [tries|try] to get away {x}, but cannot break free.",),
    "use": ("{A} [reaches|reach] for {x}.", "{A} [uses|use] {x}."),
    "drink": ("{A} [drinks|drink] {x} down.", "{A} [gulps|gulp] down {x}."),
    "eat": ("{A} [eats|eat] {x} in a few quick bites.", "{A} [wolfs|wolf] down {x}."),
    "power": ("{A} [calls|call] on {x}.", "{A} [calls|call] up {x}."),
    "save": ("On the ground, {a} [clings|cling] on.",),
    "save-fail": ("On the ground, {a} [slips|slip] further away.",),
    # The third failure: the one on the ground is out of the fight (carried off after).
    "save-dead": (
        "On the ground, {a} [goes|go] still.",
        "{A} [lies|lie] still now, beyond the fight.",
    ),
}
# A blow struck in the player's own words (``Beat.manner``, the field ``m``): those words,
# then what the dice made of them ("You swing your sword at the eel-catcher's head, and
# the blow lands."; played: "You wound the drowned eel-catcher." for that blow).
_MANNERED: dict[str, tuple[str, ...]] = {
    "hit": (
        "{A} {m}, and the blow lands.",
        # Not "it": after "stab the rat" it read as the rat ("and it goes home").
        "{A} {m}, and the blow finds its mark.",
        "{A} {m}, and the strike goes home.",
    ),
    "critical": (
        "{A} {m}, and the blow lands with everything behind it.",
        "{A} {m}, and no blow could have landed better.",
    ),
    # Tried, not done: "You kick the rat into the wall, but ..." told what did not happen.
    "miss": (
        "{A} [tries|try] to {mb}, but the blow finds only air.",
        "{A} [tries|try] to {mb}, and [misses|miss].",
        "{A} [tries|try] to {mb}, but {t} twists away in time.",
    ),
    "final": ("{A} {m}, and that blow is the last.", "{A} {m}, and that is the end of {t}."),
    "final-critical": ("{A} {m}, perfectly, and that blow is the last.",),
}
# A beat's verbs (``[third|second]``) agree with the first of these fields in its
# template: the one who does it ("You strike the eel") or undergoes it ("You go down").
_BEAT_SUBJECTS = ("A", "a", "T", "t")
_AGAIN = ("Once more, ", "Again, ", "Yet again, ", "And again, ")
_LOWERED_STARTS = (
    "The ",
    "A ",
    "An ",
    "On ",
    "You ",
    "You,",  # "You, Tobin and Wren ..."
    "Your ",
    "It ",
    "Its ",
    "There ",
    "This ",
    "Then ",
    "Nothing ",
    "Neither ",
    "Every ",
    "Some",
    "For ",
    "In ",
    "At ",
)
_ENDED: dict[str, tuple[str, ...]] = {
    "victory": (
        "The fight is over.",
        "And then it is done: nothing is left to fight.",
        "It is over.",
    ),
    "defeat": ("The fight is lost.", "It is over, and not the way anyone hoped."),
    # The last of the world's quests done (a milestone's ``ended``): the tale's end.
    "story": (
        "And that is the end of the tale, for now.",
        "The story is told, and it ends well.",
        "Whatever else happens, this part of the tale is done.",
    ),
    "": ("The fight goes on.", "Neither side gives ground.", "The next exchange is coming."),
}
#: The deed of one who finished the last of the world's quests: no road ahead of them.
_STORY_TOLD: tuple[str, ...] = (
    "{A} [has|have] seen it through, every step of it.",
    "{A} [stands|stand] at the end of a long road, and [looks|look] back down it.",
    "It is done, and {a} [knows|know] it.",
)

# A quest done, by its name (``{quest}``, from the request's "Ann completes <quest>"):
# "Whatever comes next, Oriane meets it changed by what came before." closed every
# quest alike (played), where the one just done can be named.
_QUEST_DONE: tuple[str, ...] = (
    "{A} [has|have] seen {quest} through.",
    "That is {quest} done, and {a} [knows|know] it.",
    "{Quest} is behind {O} now.",
)
_COMPLETES = re.compile(r"\scompletes?\s+(?P<quest>\S.{0,80})$")

# Used only by close_scene, to finish a narration that was cut off.
_WRAPS: tuple[str, ...] = (
    "The moment settles, and the scene goes quiet.",
    "Then the stillness returns, as it always does.",
    "And with that, the moment passes.",
    "The rest is lost in the hush that follows.",
    "The scene holds a heartbeat longer, then lets go.",
)

# Request kinds that borrow an outcome kind's sentences when nothing was rolled.
_BY_REQUEST = {"combat": "round", "enter": "enter", "milestone": "milestone"}
# Words after "the"/"a" in a description that are not things one can point at.
_NOT_NOUNS = frozenset(
    """whole other same way end last first one year place time moment rest thing things
    kind sort sense most least far back top side front air colour color bottom middle
    edge centre center shape sound smell dark darkness distance past world wind rain
    weather light mist fog sky clouds silence quiet noise smoke heat warmth gloom night
    day dawn dusk floor floors ground ceiling roof wall walls town village city country
    kingdom realm summer winter spring autumn""".split()  # noqa: SIM905
)
# (A settlement is no thing at hand: "Shadows lie close around the town." was read in the
# Smugglers' Tunnel, which "runs south under the town".)
# (Surfaces are not things to stand near: "Shadows lie close around the floor." was read
# in the Common Room.)
# "the hearth", "the bar": a definite noun in the description names a thing that is there
# ("a heartbeat", "a finger's width" are figures of speech more often than not).
# An adjective before the noun is passed over ("the great bell" is the bell).
_NEXT_WORD = re.compile(r"\s+([a-z]+)")
_ADJECTIVES = frozenset(
    "great old little small big long broken black upper lower nearest largest drowned"  # noqa: SIM905
    " iron wet cold"
    # Colours, and which hand: "Nothing moves near the grey." and "the left-hand" were
    # read in a builder's quarry ("a grey smudge", "the left-hand post").
    " grey gray white red green blue yellow brown pale rusty rusted sagging left-hand"
    " right-hand left right".split()
)
# The compass is no thing at hand ("Nothing moves near the east." in the same quarry),
# nor are people, gone or not ("Shadows lie close around the quarrymen.": those who
# "were cutting when they stopped").
_NOT_THINGS = frozenset(
    """north south east west northeast northwest southeast southwest people folk children
    villagers guests crowd""".split()  # noqa: SIM905
)
_DESC_NOUN = re.compile(
    # What lies "beyond the reeds" is not beside the player ("toward the hearth" may be),
    # nor what is over their head: "Nothing moves near the chapel." was read in the crypt
    # "cut into the old firm ground under the chapel", nor where a way leads: "Shadows
    # lie close around the mill." in Market Lane, which "runs down to the old mill" (what
    # is "next to the bar" is here).
    r"(?<!beyond )(?<!under )(?<!(?<!next )(?<![a-z])to )"
    rf"\bthe\s+(?:(?:{'|'.join(sorted(_ADJECTIVES))})\s+)?"
    # The whole word (a match cut short would read "the lamp-" in "the lamp-keepers"),
    # not a possessive ("the bell's rope").
    r"([a-z][a-z\-]*[a-z])(?![a-z\-'’])"
    # "the slope of the roof", "the tops of its walls": a part or a figure of something
    # else, not a thing to stand near ("A smell of mouse hangs about the slope."); "the
    # largest lantern of all" is still the lantern.
    r"(?!\s+of\b(?!\s+all\b))"
)
# Template fields that have alternatives to try before a sentence is repeated.
_GROUP = {
    "thing": "thing",
    "Thing": "thing",
    "loose": "loose",
    "noun": "noun",
    "sound": "sound",
    "Sound": "sound",
    "smell": "smell",
    "sight": "sight",
    "Sight": "sight",
}
_SENTENCE = re.compile(r"[^.!?…]+[.!?…]+[\"'”’]?")


#: A narration as one player reads it: (the room's sentence, theirs) pairs.
Mirror = tuple[tuple[str, str], ...]
#: The players who read a narration in their own words: (name, their ``Mirror``).
Mirrors = tuple[tuple[str, Mirror], ...]


def _own_readers(request: NarrationRequest) -> dict[str, dict[str, str]]:
    """Who reads ``request``'s narration in their own words ("You ..."), each with the
    actor fields of a sentence about the actor as they read it: in a fight, every player
    there that its beats name (their beats are worded by ``_beat_line``); else the actor
    of one player's own deed told in the third person because others hear it ("you",
    not an actor alone, who is told "you" already), and each of a group ("you and
    Tobin": no possessive, which "your and Tobin's" would need)."""
    beats = request.outcome.beats
    if beats or (request.outcome.kind == "round" and request.outcome.ended):
        named = {n.casefold() for beat in beats for n in _beat_names(beat)}
        return {n: {} for n in request.audience if n.casefold() in named}
    actor = (request.actor or "").strip()
    if not actor:
        return {}
    group = [actor, *(n for n in request.party if n != actor)]
    target = aimed_at(request)
    if target:
        # The one a deed is done to reads it as done to them ("Dax goes for you").
        return {actor: _YOU, target: {"T": "you", "Ts": "yours"}}
    if len(group) == 1:
        alone = addressee(actor, request.audience) is not None
        return {} if alone else {actor: _YOU}
    readers: dict[str, dict[str, str]] = {}
    for name in group:
        others = [n for n in group if n != name]
        you = ", ".join(["you", *others[:-1]]) + " and " + others[-1]
        readers[name] = {"A": capitalise(you), "a": you, "O": you, "_plural": "1"}
    return readers


def aimed_at(request: NarrationRequest) -> str:
    """The other player here a free deed of one player is done to, named in its words
    ("punch tova in the face", "I hug Oriane"), or "": the first of the audience, not the
    actor, whose name stands in ``request.text`` as a word, when the deed is an attack or
    a touch (``_VIOLENT``, ``_CONTACT``). Only a deed nothing was rolled for (the engine
    rolls nothing against a player) of one player alone. Pure."""
    actor = (request.actor or "").strip()
    if request.kind != "action" or request.outcome.kind != "none" or request.party:
        return ""
    if lead_verb(request.text) not in _VIOLENT | _CONTACT:
        return ""
    words = set(re.findall(r"[\w']+", request.text.casefold()))
    for name in request.audience:
        if name.casefold() != actor.casefold() and name.casefold() in words:
            return name
    return ""


def _power_for(beat: Beat) -> tuple[str, str]:
    """A power's beat's target ("Ysolde's Light for Alice") as the power and whom it was
    for (("Ysolde's Light", "Alice")); ("", "") for any other beat or one for oneself."""
    power, _, whom = beat.target.rpartition(" for ")
    return (power, whom) if beat.action == "power" and power else ("", "")


def _beat_names(beat: Beat) -> tuple[str, ...]:
    """Who ``beat`` names: its actor and target, and for a power the one it was for
    ("Ysolde's Light for Alice": Alice reads "... for you"); each of joined misses."""
    if beat.action == "misses":
        return (*_joined(beat.actor), beat.target)
    whom = _power_for(beat)[1]
    return (beat.actor, beat.target, whom) if whom else (beat.actor, beat.target)


def _beat_line(template: str, beat: Beat, you: str = "") -> str:
    """``template`` filled for ``beat`` (first letter capitalised): with its names as
    everyone reads them, or, for the player named ``you``, that player as "you"/"your"
    and the verb agreeing ("You strike the eel-catcher.", "The eel-catcher slips aside
    from your strike.")."""
    me = you.casefold()
    actor_is = bool(me) and beat.actor.casefold() == me
    target_is = bool(me) and beat.target.casefold() == me
    actor = "you" if actor_is else definite(beat.actor) or "someone"
    if beat.action == "misses":
        # Each in their place, the reader as "you": "Sable and you both miss".
        names = ["you" if n.casefold() == me else n for n in _joined(beat.actor)]
        actor = _listed(names)
        both = "both" if len(names) == 2 else "all"
        return capitalise(
            template.format(
                A=actor, a=actor, T=definite(beat.target), t=definite(beat.target), both=both
            )
        )
    target = "you" if target_is else definite(beat.target)
    values = {
        "A": actor,
        "a": actor,
        "Pa": "your" if actor_is else _possessive(actor),
        "T": target,
        "t": target,
        "Pt": "your" if target_is else _possessive(target),
        "x": definite(beat.target) if beat.action in ("use", "drink", "eat") else beat.target,
        "m": (beat.manner[0] if actor_is else beat.manner[1]) if len(beat.manner) == 3 else "",
        "mb": (beat.manner[0] if actor_is else beat.manner[2]) if len(beat.manner) == 3 else "",
    }
    power, whom = _power_for(beat)
    if me and power and whom.casefold() == me:
        values["x"] = f"{power} for you"
    subject = next((f for f in _ordered_fields(template) if f in _BEAT_SUBJECTS), "")
    second = (subject in ("A", "a") and actor_is) or (subject in ("T", "t") and target_is)
    form = 2 if second else 1
    return capitalise(_PERSON.sub(lambda m: m.group(form), template).format(**values))


def _key(seed: int, request: NarrationRequest) -> bytes:
    """The hash key for a request's content (no request_id, no timestamps)."""
    room = request.room
    parts = (
        seed,
        request.seed,
        request.kind,
        request.actor,
        request.text,
        request.outcome,
        request.audience,
        request.shown,
        room.room_id,
        room.name,
        room.exits,
        room.items,
        room.occupants,
        room.vocabulary,
        room.features,
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

    def order(self, label: str, options: Sequence[str]) -> list[str]:
        """``options`` in a deterministic shuffled order (for "first fresh one")."""
        return sorted(
            options,
            key=lambda o: hashlib.blake2b(
                o.encode("utf-8", "replace"),
                key=self.key,
                digest_size=8,
                person=label[:16].encode(),
            ).digest(),
        )

    def chance(self, label: str, percent: int) -> bool:
        return self.index(label, 100) < percent


#: The most sentences a fight's narration is given: the DM's default limit
#: (``DmSettings.max_sentences``), which would otherwise cut the kill and the end.
FIGHT_SENTENCES = 4


def _beat_weight(beat: Beat, n: int) -> int:
    """How much sentence ``n`` of ``beat`` matters when a round must be shortened: a
    blow that fells (and its "goes down") most, then hits and their wounds, then
    everything else (misses, guards; a flight, a save or a power called on above them)."""
    if beat.action == "hit" and beat.felled:
        return 3
    if beat.action == "hit":
        return 2 if n == 0 else 1
    if beat.action == "save" and beat.felled:
        return 3
    if beat.action in ("flee", "save", "power"):
        return 2
    return 0


#: Between the names of joined misses (``_misses_joined``); player names have no comma.
_JOIN = ", "


def _joined(actor: str) -> list[str]:
    """The names of joined misses' ``actor`` (``_misses_joined``). Pure."""
    return actor.split(_JOIN)


def _listed(names: Sequence[str]) -> str:
    """``names`` as a sentence lists them: "Sable and Wren", "you, Ash and Wren". Pure."""
    return names[0] if len(names) == 1 else ", ".join(names[:-1]) + " and " + names[-1]


def _misses_joined(beats: Sequence[Beat], players: Collection[str]) -> list[Beat]:
    """``beats`` with the plain misses of two or more players at one foe as one beat
    (action "misses", its actor their names joined by ``_JOIN``), in the place of the
    first. Played (Lanternfall, a party of four): a round's narration, cut to its
    sentence limit, left out Wren's miss while it told Sable's and Ash's, so Wren read
    the round as if he had done nothing. Pure."""
    plain = [
        b
        for b in beats
        if b.action == "miss" and not b.unseen and b.actor.casefold() in players and b.target
    ]
    by_target: dict[str, list[Beat]] = {}
    for beat in plain:
        group = by_target.setdefault(beat.target, [])
        if all(b.actor != beat.actor for b in group):
            group.append(beat)
    joined = {t: group for t, group in by_target.items() if len(group) > 1}
    if not joined:
        return list(beats)
    out: list[Beat] = []
    for beat in beats:
        group = joined.get(beat.target, [])
        if not any(beat is b for b in group):
            out.append(beat)
        elif beat is group[0]:
            out.append(Beat(_JOIN.join(b.actor for b in group), "misses", beat.target))
    return out


def _beat_kinds(beat: Beat, *, fall_told: bool = False) -> list[str]:
    """The ``_BEATS`` pools of a beat's sentences, in order ([] for an unknown action):
    a hit and, when it fells or badly hurts, that too; with ``fall_told`` (a felling blow
    whose fall the builder's words showed) one sentence of the last blow ("Moss gets a
    blow in on the Lamplighter." was the end of the campaign's last fight)."""
    if beat.action == "hit" and fall_told:
        return ["final-critical" if beat.critical else "final"]
    if beat.action == "miss" and beat.unseen:
        return ["ambush-miss"]
    if beat.action == "hit":
        kinds = ["critical" if beat.critical else "ambush" if beat.unseen else "hit"]
        if beat.felled:
            kinds.append("felled")
        elif beat.grave:
            kinds.append("grave")
        elif beat.hurt:
            kinds.append("hurt")
        return kinds
    if beat.action == "save":
        return ["save" if beat.ok else "save-dead" if beat.felled else "save-fail"]
    return [beat.action] if beat.action in _BEATS else []


def plural_place(name: str) -> bool:
    """Whether the place ``name`` is a plural ("The Heron Stones"), for a verb that
    agrees with it; a shop's "Lamps and Sundries", a possessive and "The Hall of
    Lanterns" (its head before "of") are one place. Pure."""
    words = name.lower().replace("’", "'").split()
    if not words or "and" in words:
        return False
    if "of" in words[1:]:
        words = words[: words.index("of", 1)]  # "The Hall of Lanterns": the hall
    last = words[-1].strip(".,!")
    return (
        last.endswith("s")
        and not last.endswith(("ss", "'s", "us", "is"))
        and not last.endswith("'")
    )


def _fields(template: str) -> set[str]:
    return {name for _, name, _, _ in string.Formatter().parse(template) if name}


@lru_cache(maxsize=256)
def _ordered_fields(template: str) -> tuple[str, ...]:
    """``template``'s fields in the order they appear."""
    return tuple(name for _, name, _, _ in string.Formatter().parse(template) if name)


@lru_cache(maxsize=1024)
def _echo_marks(template: str) -> frozenset[str]:
    """Marks for the words of ``template``'s own text (both verb forms, no field) that
    one narration says once: four letters or more, not a common word, a plural's or a
    verb's final s dropped ("takes" and "take" are one word)."""
    return _word_marks("".join(lit for lit, _, _, _ in string.Formatter().parse(template)))


def _word_marks(text: str) -> frozenset[str]:
    """The ``_echo_marks`` of plain ``text``."""
    return frozenset(
        _WORD_MARK + word.removesuffix("s")
        for word in _ECHO_WORD.findall(text.lower())
        if word not in _COMMON_WORDS
    )


def _actor_mentions(template: str) -> int:
    """How many times ``template`` names the actor (any actor field, repeats counted)."""
    return sum(1 for _, name, _, _ in string.Formatter().parse(template) if name in _ACTOR_FIELDS)


def _strip_article(text: str) -> str:
    return strip_article(text)


def _sentence(text: str) -> str:
    text = text.strip()
    if not text:
        return text
    text = capitalise(text)
    return text if text.endswith(SENTENCE_ENDS) else text + "."


def _join(sentences: Sequence[str]) -> str:
    return " ".join(s for s in sentences if s)


def _possessive(name: str) -> str:
    return name + ("'" if name.endswith("s") else "'s")


#: A room's things, each with its article: those lying there, those plus its features,
#: and what its description names (or, naming nothing, its things).
_Held = tuple[list[str], list[str], list[str]]


def _held(room: RoomSnapshot) -> _Held:
    """The things of ``room`` for colour (``_Held``), worked out once a narration."""
    lying = [definite(_strip_article(i)) for i in room.items if i.strip()]
    things = [definite(f) for f in room.features if f.strip()] + lying
    return lying, things, _room_nouns(room.description, room.name) or things


def _room_nouns(description: str, name: str = "") -> list[str]:
    """Things named in a room's description ("the hearth", "the bar"), first mention
    order; not the room itself, by the head word of its ``name`` ("Nothing moves near
    the chapel." was read in the Chapel of Saint Ysolde; "the tunnel" in the Smugglers'
    Tunnel), though the watchtower stays a thing at the Watchtower Foot."""
    seen: list[str] = []
    text = description.lower()
    head = re.findall(r"[a-z]+", name.rsplit(", ", 1)[-1].lower().split(" of ")[0])[-1:]
    own = set(head)
    for match in _DESC_NOUN.finditer(text):
        word = match.group(1)
        # "the tops of its walls" is no more a thing than "the top" ("A smell of
        # brackish water hangs about the tops." in the Sunken Shrine).
        if word in _NOT_NOUNS or word.removesuffix("s") in _NOT_NOUNS or len(word) < 3:
            continue
        if word in _NOT_THINGS or word.endswith("men"):
            continue
        if word in _ADJECTIVES:
            continue  # "the long thread of the causeway": no thing is named
        if word in own or word.removesuffix("s") in own:
            continue
        after = _NEXT_WORD.match(text, match.end())
        if after is not None and after.group(1) in _NOT_NOUNS:
            continue  # "the old firm ground": the word names a kind of surface
        if f"the {word}" not in seen:
            seen.append(f"the {word}")
    return seen


def _marked(base: str) -> set[str]:
    """``base`` as told, with each repeat mark or none (``_repeat``)."""
    return {_repeat(again, base) for again in ("", *_AGAIN)}


def _again(base: str, used: set[str]) -> str:
    """``base`` marked as a repeat ("Once more, the rat misses.") in the first form not in
    ``used`` (``base`` itself when every form is)."""
    return _repeat(_again_mark(base, used), base)


def _again_mark(base: str, used: set[str]) -> str:
    """The repeat mark ``_again`` puts before ``base`` ("Once more, "; "" for none), so
    a player's own telling of the sentence can take the same one."""
    return next((again for again in _AGAIN if _repeat(again, base) not in used), "")


def _repeat(again: str, base: str) -> str:
    """``base`` after the repeat mark ``again`` ("Once more, "; "" for none)."""
    if not again:
        return capitalise(base)
    # Lower-case the old start unless it is a name ("Once more, Alice ..."): only the
    # ordinary words a sentence here can start with are lowered.
    lead = base[0].lower() + base[1:] if base.startswith(_LOWERED_STARTS) else base
    return again + lead


def sentences_of(text: str) -> list[str]:
    """The sentences of ``text``, stripped (a tail without an ending counts as one)."""
    found = [m.group(0).strip() for m in _SENTENCE.finditer(text)]
    tail = _SENTENCE.sub("", text).strip()
    return [f for f in found if f] + ([tail] if tail else [])


class OfflineNarrator:
    """A ``Provider`` that writes template prose locally (name "offline", model "templates").

    Used by ``mud.dm.chain.ProviderChain`` as the last resort and by the DM actor when
    the budget forbids model calls. Never raises for a well-formed request. Keeps, per
    room, the sentences of its last ``MEMORY`` narrations so that none is repeated.
    """

    name = "offline"
    model = "templates"
    offline = True

    def __init__(self, seed: int = 0) -> None:
        self.seed = seed
        self._recent: dict[str, deque[tuple[str, ...]]] = {}
        self._everywhere: deque[tuple[str, ...]] = deque(maxlen=WORLD_MEMORY)
        # The templates of the last narrations anywhere: tried last, so two arrivals in
        # a row are not one shape ("Brannoc and Corvane pause a moment, coming into the
        # Upstairs Landing." then "... pause a moment, coming into the Common Room.").
        self._shapes: deque[frozenset[str]] = deque(maxlen=STALE)
        # Set by each composition: what this room's last narrations told, and what it
        # tells itself as it goes (``_told_lately``).
        self._lately: set[str] = set()
        # The last few compositions by request key: composing the same request again
        # (a retry, a replay) gives the same text rather than a "fresh" one; with it,
        # its twin for the actor (``mirror``), if it has one.
        self._composed: OrderedDict[bytes, tuple[str, Mirrors]] = OrderedDict()
        self._alts: dict[str, list[dict[str, str]]] = {}
        # While composing: the room's own lines of ambience usable as colour (``_values``).
        self._room_lines: tuple[str, ...] = ()
        # While composing a deed of a sense (``_SENSES``): the builder's sentences of the
        # room that tell of it, its lines of ambience and those of its description apart,
        # tried first for the colour after it (then the pack's templates of it).
        self._sensed_ambience: tuple[str, ...] = ()
        self._sensed_described: tuple[str, ...] = ()
        self._sense_field = ""
        self._sense_free: frozenset[str] = frozenset()
        # While composing: for each player who reads the narration in their own words,
        # each sentence that names them, as they read it, by the sentence as the room
        # reads it ("You file it away." by "Maren files it away.").
        self._own: dict[str, dict[str, str]] = {}
        self._readers: dict[str, dict[str, str]] = {}  # their actor fields (_own_readers)
        # By room, what the last deeds there were done to (their object and the
        # builder's words told of them): no colour of the room says it lies untouched
        # ("No one has disturbed the unlit lamp." just after it was lit). One bounded
        # deque for each room of the world.
        self._handled: dict[str, deque[str]] = {}

    # -- public API ------------------------------------------------------------------------

    def compose(self, request: NarrationRequest) -> str:
        """Two to four sentences narrating ``request`` (deterministic; see module docs)."""
        return self._compose(request)[0]

    def mirror(self, request: NarrationRequest) -> Mirrors:
        """The telling of ``request`` as the players it names read it, beside the
        room's: for each, one pair (the room's sentence, theirs) per sentence of
        ``compose(request)``, what they do or undergo in the second person ("Maren files
        it away for later." and "You file it away for later."; "The eel-catcher lands a
        blow on Maren." and "The eel-catcher lands a blow on you."), the rest alike.
        Who: the actor of one player's own deed heard by others, each of a group ("You
        and Tobin ..."), and in a fight every player there its beats name
        (``_own_readers``); none for an actor alone (already told "you"), the world's
        own doings, or sentences that name no one.
        Composes ``request`` if it was not composed lately (as ``compose`` would)."""
        return self._compose(request)[1]

    def _told_lately(self, base: str) -> bool:
        """Whether ``base`` (in any repeat mark) was told in this room's last narrations
        or so far in the one being composed (``_lately``)."""
        return not _marked(base).isdisjoint(self._lately)

    def _compose(self, request: NarrationRequest) -> tuple[str, Mirrors]:
        key = _key(self.seed, request)
        if key in self._composed:
            return self._composed[key]
        room_id = request.room.room_id
        memory = self._recent.setdefault(room_id, deque(maxlen=MEMORY))
        avoid = {sentence for told in (*memory, *self._everywhere) for sentence in told}
        ch = _Chooser(key)
        values = self._values(request, ch)
        outcome = request.outcome
        used = set(avoid) | _thinking_said(request)
        # What may be told as a repeat ("Once more, ..."): what this room's last
        # narrations told, and what this one tells (``_told_lately``); not what was
        # told elsewhere.
        self._lately = {sentence for told in memory for sentence in told}
        self._readers = _own_readers(request)
        self._own = {name: {} for name in self._readers}
        try:
            if outcome.beats or (outcome.kind == "round" and outcome.ended):
                chosen = self._fight(request, ch, values, used)
            else:
                chosen = self._scene(request, ch, values, used)
            own = self._own
        finally:
            self._own = {}
        text = _join(chosen)
        twin = tuple(
            (name, tuple((sentence, theirs.get(sentence, sentence)) for sentence in chosen))
            for name, theirs in own.items()
            if any(theirs.get(sentence, sentence) != sentence for sentence in chosen)
        )
        memory.append(tuple(chosen))
        self._everywhere.append(tuple(chosen))
        self._shapes.append(frozenset(m for m in used if m.startswith(_TEMPLATE_MARK)))
        self._composed[key] = (text, twin)
        while len(self._composed) > 32:
            self._composed.popitem(last=False)
        return text, twin

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
        if request.outcome.ended:
            closers = _ENDED.get(request.outcome.ended, _ENDED[""])
        else:
            closers = _CLOSERS[kind]
        pools = (_WRAPS, closers)
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
        elif tail.endswith(SENTENCE_ENDS):
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

    # -- composing -------------------------------------------------------------------------

    def _scene(
        self, request: NarrationRequest, ch: _Chooser, values: dict[str, str], used: set[str]
    ) -> list[str]:
        """The actor's deed, then colour from the pack and the room, then a closer.
        ``used``: the sentences to avoid, and gets the marks of what it says."""
        outcome = request.outcome
        severity = min(3, max(0, outcome.severity))
        kind = outcome.kind if outcome.kind in _CORE or outcome.kind == "none" else "none"
        has_actor = "A" in values
        # What the builder's words just named is not colour: "Close at hand, it would be
        # easy to overlook the great bell." came right after ringing it.
        said = " ".join(request.shown).lower()
        if "obj" in values:
            # The thing the deed named is the deed's, not colour: "Nothing moves near
            # the fire." came after warming one's hands at it.
            said += " " + values["obj"].lower()
        handled = self._handled.setdefault(request.room.room_id, deque(maxlen=HANDLED))
        if request.kind == "action" and said.strip():
            handled.append(said)
        said = " ".join((said, *handled)).strip()
        # By the thing's last word as well: the spyglass's "then the light, small and
        # steady" was followed by "No one has disturbed the marsh light.".
        said_words = set(re.findall(r"[a-z]+", said))
        for group in ("thing", "noun", "loose") if said else ():
            for option in self._alts.get(group, []):
                for value in option.values():
                    name = strip_article(value).lower()
                    head = name.split()[-1:] if name else []
                    if name in said or (head and head[0] in said_words):
                        used.add(_VALUE_MARK + value.lower())
        sentences: list[str] = []
        facts: list[str] = []
        if kind == "round" and not outcome.beats:
            # An old-style round with facts only: they are the engine's own statements.
            facts = [_sentence(f) for f in outcome.facts[:2] if 0 < len(f.strip()) <= 160]
        # A free action the builder answered in their own words ("You haul on the new
        # rope ..."): the deed is told, and "Rook takes a moment over it, unhurried"
        # after it would only blur it. Colour alone follows.
        told = kind == "none" and request.kind == "action" and bool(request.shown)
        answered = kind == "dialogue" and bool(request.shown or request.npc_manner)
        # After an NPC's answer, how they carry themselves as they give it, in the
        # builder's words ("Bessa Thorn points her ladle at the stairs."), where there
        # are some not told lately: "You listen, and take it in." after every answer said
        # nothing of the one who answered. So too when they say nothing to news they
        # are told: played, "Bessa, we found the notes" was "You listen, and take it in."
        manner = self._manner(request, ch, used) if answered else ""
        if kind == "none" and request.kind == "action" and request.npc_manner and not told:
            # Played: "I flirt with bessa" was "You do what needs doing, and nothing
            # more.", with nothing of Bessa in it.
            deed = deed_kind(request.text, request.room.occupants)
            pool = _DEEDS[deed] if deed else _TOWARD
            mine = self._fresh(ch, "core", pool, values, used, need_actor=has_actor)
            reply = self._manner(request, ch, used)
            if mine and reply:
                return [mine, reply]
        core = (
            manner
            if manner or told
            else self._fresh(
                ch,
                "core",
                self._core_pool(request, kind, severity),
                values,
                used,
                need_actor=has_actor,
            )
        )
        if not core and not facts and not told:
            # Every deed has been told here lately: the same words, marked as a repeat.
            again = self._render(
                ch, "core", self._core_pool(request, kind, severity), values, need_actor=has_actor
            )
            mark = _again_mark(again, used) if again else ""
            core = _repeat(mark, again) if again else ""
            used.update((core, *_word_marks(core)))
            for theirs in self._own.values():
                if again in theirs:
                    theirs[core] = _repeat(mark, theirs[again])
        if not core and not facts:
            core = (
                self._fresh(
                    ch, "core-colour", self._colour_pool(values), values, used, need_actor=False
                )
                or "The moment passes."
            )
        mood = _BY_REQUEST.get(request.kind, "none") if kind == "none" else kind
        # Severity sets the length: 0 -> 2 sentences, 1 -> 2 or 3, 2 -> 3, 3 -> 4. After
        # an NPC's answer in the builder's words, their manner alone ("Nothing moves near
        # the door." after it read as filler), or two (the listener, then the place):
        # "It is something to think about." after Bessa's answer only blurred it.
        if answered:
            wanted = 1 if manner else 2
        else:
            wanted = {0: 2, 1: 2 + ch.index("len", 2), 2: 3, 3: 4}[severity]
        sentences = [s for s in (core, *facts) if s][:wanted]
        colour_pool = self._colour_pool(values)
        closer_pool = _CLOSERS.get(mood, _CLOSERS["none"])
        if kind == "milestone" and outcome.ended == "story":
            closer_pool = _ENDED["story"]  # not "The way on is a little clearer now."
        # After the builder's words for a deed, after anything nothing was rolled for,
        # and on walking in, colour only: "For now, all is as it was." after the great
        # bell's one note, and "Nothing much changes, for now." after warming one's hands
        # at the fire, read as denials of what was done; "First impressions settle
        # slowly." closed nearly every step a party took, where the place's own sounds
        # and things say more.
        # So too after a rolled deed the builder's words showed the end of: "It may
        # matter more than it seems." after the altar's stair was revealed, and "It
        # stays stubbornly as it was." after the papers' failure text, said nothing.
        shown_deed = request.kind == "action" and bool(request.shown)
        colour_only = told or answered or shown_deed or mood in ("none", "enter")
        extras: list[str] = []
        for i in range(wanted - len(sentences)):
            last = i == wanted - len(sentences) - 1 and severity >= 1 and not colour_only
            pool = closer_pool if last else colour_pool
            # The first sentence of colour is one of the room's own lines while one is
            # fresh: "The Chapel of Saint Ysolde is still for a breath." and "Close at
            # hand, it would be easy to overlook the painting." were chosen over "Wax
            # drips from a candle onto the flagstones with a tiny sound."
            field = "{" + self._sense_field + "}"
            sensed = tuple(t for t in pool if self._sense_field and field in t)
            text = self._fresh(
                ch,
                f"extra{i}",
                pool,
                values,
                used,
                need_actor=False,
                prefer=self._first_colour(sensed) if i == 0 else (),
                free=self._sense_free if i == 0 else frozenset(),
            )
            if not text and not colour_only:
                other = colour_pool if last else closer_pool
                text = self._fresh(ch, f"extra{i}b", other, values, used, need_actor=False)
            if text:
                extras.append(text)
        if severity >= 3 and extras:
            # A big moment opens on the place before the deed.
            return [extras[0], *sentences, *extras[1:]]
        return sentences + extras

    def _fight(
        self, request: NarrationRequest, ch: _Chooser, values: dict[str, str], used: set[str]
    ) -> list[str]:
        """One sentence per beat (two for a blow that fells or badly hurts), then the state
        of the fight: over (won or lost) or going on. Nothing else happens in it."""
        # A fall the builder's own words already showed ("The corpse-light gutters out
        # like a pinched wick.") is not told again as "crumples to the ground".
        told = " ".join(request.shown).lower()
        players = {name.casefold() for name in request.room.occupants}
        beats = list(request.outcome.beats[:6])
        if sum(len(_beat_kinds(b)) for b in beats) + 1 > FIGHT_SENTENCES:
            beats = _misses_joined(beats, players)
        kinds = [
            _beat_kinds(
                beat,
                fall_told=bool(beat.felled and beat.target)
                and strip_article(beat.target).lower() in told,
            )
            for beat in beats
        ]
        ended = request.outcome.ended if request.outcome.ended in _ENDED else ""
        # The narration is cut at the DM's sentence limit: drop what matters least
        # (misses and guards, then wounds) rather than the kill and the end, so the last
        # word is never "the fight goes on" for a fight that was won; at equal weight a
        # player's deed before a foe's (Corvane's blow was dropped for the Warden's of
        # the round before). Chosen before any is worded, so the words of a dropped
        # sentence do not keep a kept one from them.
        slots = [
            (_beat_weight(beat, n), _joined(beat.actor)[0].casefold() in players, i, n)
            for i, beat in enumerate(beats)
            for n in range(len(kinds[i]))
        ]
        closing = (3 if ended else 0, False, len(beats), 0)
        ranked = sorted([*slots, closing], key=lambda s: (-s[0], not s[1], s[2], s[3]))
        keep = set(ranked[:FIGHT_SENTENCES]) if len(ranked) > FIGHT_SENTENCES else set(ranked)
        out: list[str] = []
        for i, beat in enumerate(beats):
            wanted = [n for (_w, _p, b, n) in keep if b == i]
            if wanted:
                out += self._beat(ch, i, beat, kinds[i], wanted, used)
        if closing in keep:
            closer = self._fresh(ch, "ended", _ENDED[ended], values, used, need_actor=False)
            if not closer and ended:
                closer = _ENDED[ended][0]  # the end of a fight is always said
            out.append(closer)
        if len(out) < 2:
            out.insert(
                0,
                self._fresh(
                    ch, "fight-colour", self._colour_pool(values), values, used, need_actor=False
                ),
            )
        return [s for s in out if s]

    def _beat(
        self,
        ch: _Chooser,
        i: int,
        beat: Beat,
        kinds: Sequence[str],
        wanted: Sequence[int],
        used: set[str],
    ) -> list[str]:
        """The sentences of beat ``i``, one for each of its ``kinds`` (``_beat_kinds``)
        whose index is in ``wanted``."""
        out: list[str] = []
        for n, kind in enumerate(kinds):
            if n not in wanted:
                continue
            pool = _MANNERED[kind] if beat.manner and kind in _MANNERED else _BEATS[kind]
            text = ""
            # A template not yet used in this round first ("X lunges at Y, a heartbeat
            # too late" three times in one round read as a stammer), and of those one
            # whose own words were not said either ("Alice gets a blow in on the eel-
            # catcher. The eel-catcher lands a blow on Alice."), then any.
            order = ch.order(f"beat{i}{kind}", pool)
            fresh = [t for t in order if _TEMPLATE_MARK + t not in used]
            unsaid = [t for t in fresh if not _echo_marks(t) & used]
            chosen, mark = "", ""
            for template in dict.fromkeys([*unsaid, *fresh, *order]):
                candidate = _beat_line(template, beat)
                if candidate not in used:
                    text, chosen = candidate, template
                    used.update((_TEMPLATE_MARK + template, *_echo_marks(template)))
                    break
            if not text:
                # The dice repeat themselves; the words may not: "Once more, ..."
                chosen = ch.pick(f"beat{i}{kind}", pool)
                base = _beat_line(chosen, beat)
                # Only a repeat of what was told here lately is marked (played: "Once
                # more, Sorrel sets a guard and waits." in a new fight in the tunnel, of
                # one she had fought out on the marsh).
                mark = _again_mark(base, used) if self._told_lately(base) else ""
                text = _repeat(mark, base)
            used.add(text)
            self._lately.add(text)
            # The players it names read it in their own words.
            for name, theirs in self._own.items():
                if name.casefold() in (n.casefold() for n in _beat_names(beat)):
                    theirs[text] = _repeat(mark, _beat_line(chosen, beat, name))
            out.append(text)
        return out

    # -- helpers ---------------------------------------------------------------------------

    def _core_pool(self, request: NarrationRequest, kind: str, severity: int) -> tuple[str, ...]:
        if kind == "milestone" and request.outcome.ended == "story":
            return _STORY_TOLD  # not "The road behind you looks shorter than the road ahead."
        if kind == "milestone" and _COMPLETES.search(request.text):
            return _QUEST_DONE
        if kind == "none" and request.kind == "action":
            if aimed_at(request):
                return _AT_PLAYER[lead_verb(request.text) in _VIOLENT]
            deed = deed_kind(request.text, request.room.occupants)
            if deed:
                return _DEEDS[deed]
        if request.kind == "action" and kind in (
            "success",
            "failure",
            "critical",
            "fumble",
            "nothing",
            "discovery",
        ):
            sensed = _SENSED.get((deed_kind(request.text, request.room.occupants), kind))
            if sensed:
                return sensed
        if kind != "none":
            low, high = _CORE[kind]
            return high + low if severity >= 2 else low
        if request.kind in _BY_REQUEST:
            low, high = _CORE[_BY_REQUEST[request.kind]]
            return high + low if severity >= 2 else low
        if request.kind == "ask" and request.shown:
            # Answered already, in the engine's words: the asker takes it in (tried:
            # "Answer: Corwin is in the Smugglers' Tunnel", then "You consider the road
            # ahead.").
            return _ANSWERED
        return _NONE.get(request.kind, _NONE["action"])

    def _colour_pool(self, values: dict[str, str]) -> tuple[str, ...]:
        pack = _PACK_COLOUR if values.get("_pack") else _VOCAB_COLOUR
        # A sentence of the description is colour only after a deed of its sense.
        pack = self._sensed_described + pack
        if self._room_lines:
            # The builder's own lines for the room in place of sentences made of a noun
            # of its description: "Shadows lie close around the stew." and "Nothing
            # moves near the mud." were read in the tavern and on Market Lane, "A smell
            # of rot-sweet mud hangs about the watchtower." on Market Lane, which only
            # sees it over the rooftops.
            unnamed = tuple(t for t in pack if "{noun}" not in t)
            return self._room_lines + unnamed + _THING_COLOUR
        return pack + _ROOM_COLOUR

    def _alternatives(
        self, values: dict[str, str], request: NarrationRequest, ch: _Chooser, held: _Held
    ) -> None:
        """Every choice for the colour fields, the one in ``values`` first (``_alts``)."""
        room = request.room
        lying, things, nouns = held
        raw: dict[str, list[dict[str, str]]] = {
            "thing": [{"thing": t, "Thing": capitalise(t)} for t in things],
            "loose": [{"loose": t} for t in lying],
            "noun": [{"noun": n} for n in nouns],
            "sound": [{"sound": x, "Sound": capitalise(x)} for x in room.sounds],
            "smell": [{"smell": x} for x in room.smells],
            "sight": [{"sight": x, "Sight": capitalise(x)} for x in room.sights],
        }
        alts: dict[str, list[dict[str, str]]] = {}
        for group, options in raw.items():
            first = [o for o in options if all(values.get(k) == v for k, v in o.items())]
            rest = [o for o in options if o not in first]
            order = {r: i for i, r in enumerate(ch.order(group, [repr(o) for o in rest]))}
            alts[group] = first + sorted(rest, key=lambda o: order[repr(o)])
        self._alts = alts

    def _values(self, request: NarrationRequest, ch: _Chooser) -> dict[str, str]:
        room = request.room
        values: dict[str, str] = {}
        name = " ".join(room.name.split())
        # "The Drowned Lantern, Common Room" is an area and a room: a sentence names the room.
        name = name.rsplit(", ", 1)[-1] if ", " in name else name
        values["room"] = place(name) if name else "this place"
        values["Room"] = capitalise(values["room"])
        values["be"] = "are" if plural_place(name) else "is"
        actor = (request.actor or "").strip()
        second = addressee(actor, request.audience) is not None
        group = (actors(request) or "").strip()
        plural = bool(actor) and group != actor
        if actor:
            if second:
                values |= {k: v for k, v in _YOU.items() if k in _ACTOR_FIELDS}
            elif plural:
                # A group walking in: "Ann and Bob pause", "Ann and Bob's footsteps".
                poss = _possessive(group)
                values |= {"A": group, "a": group, "O": group, "P": poss, "Pc": poss}
                values |= {"o": "them", "p": "their"}
            else:
                poss = _possessive(actor)
                values |= {"A": actor, "a": actor, "O": actor, "P": poss}
                values |= {"Pc": poss, "o": "them", "p": "their"}
        held = _held(request.room)
        lying, things, nouns = held
        if things:
            values["thing"] = ch.pick("thing", things)
            values["Thing"] = capitalise(values["thing"])
        if lying:
            values["loose"] = ch.pick("loose", lying)
        if nouns:
            values["noun"] = ch.pick("noun", nouns)
        if request.kind == "action":
            obj = _named_thing(request.text, [*things, *nouns])
            if obj:
                values["obj"] = obj
        # Of the outcome, not the request: a search that finished a quest is one merged
        # narration ("Juno: search the hearth; Juno: Juno completes ...": played, and no
        # quest named in it).
        done = _COMPLETES.search(request.text) if request.outcome.kind == "milestone" else None
        if done is not None:
            values["quest"] = done.group("quest").strip()
            values["Quest"] = capitalise(values["quest"])
        target = aimed_at(request)
        if target:
            values["T"], values["Ts"] = target, _possessive(target)
        if room.sounds:
            values["sound"] = ch.pick("sound", room.sounds)
            values["Sound"] = capitalise(values["sound"])
        if room.smells:
            values["smell"] = ch.pick("smell", room.smells)
        if room.sights:
            values["sight"] = ch.pick("sight", room.sights)
            values["Sight"] = capitalise(values["sight"])
        if room.sounds or room.smells or room.sights:
            values["_pack"] = "1"
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
        # The second of a template's [one|many] verb forms: for "you" and for a group.
        values["_plural"] = "1" if second or plural else ""
        # The builder's lines are said as written: none that would read as a field.
        self._room_lines = tuple(
            line for line in room.ambience if line.strip() and not set(line) & set("{}[]|")
        )
        sense = (
            _SENSES.get(deed_kind(request.text, request.room.occupants))
            if request.kind == "action"
            else None
        )
        self._sensed_ambience, self._sensed_described = (), ()
        self._sense_field, self._sense_free = "", frozenset()
        if sense is not None:
            words, self._sense_field, free = sense
            self._sense_free = _word_marks(free)
            # Not the description's first sentence, nor one in "you": those are told on
            # walking in ("Cold air and the smell of brine rise to meet you as you duck
            # beneath the joists." read to the room after a sniff: found in review).
            self._sensed_ambience = tuple(line for line in self._room_lines if words.search(line))
            self._sensed_described = tuple(
                s
                for s in dict.fromkeys(sentences_of(room.description)[1:])
                if words.search(s)
                and s not in self._room_lines
                and not set(s) & set("{}[]|")
                and not _SECOND_PERSON.search(s)
            )
        self._alternatives(values, request, ch, held)
        return values

    def _fill(self, template: str, values: dict[str, str]) -> str:
        form = 2 if values.get("_plural") else 1
        resolved = _PERSON.sub(lambda m: m.group(form), template)
        text = resolved.format(**values)
        if not resolved.startswith("{"):
            # Capitalise our own words only; a name keeps the case its owner chose.
            text = text[0].upper() + text[1:]
        return text

    def _usable(self, pool: Sequence[str], values: dict[str, str], need_actor: bool) -> list[str]:
        usable = []
        third = not values.get("_second")
        for template in pool:
            names = _fields(template)
            if not names <= values.keys():
                continue
            if third and (names & _SECOND_MENTION or _actor_mentions(template) > 1):
                # The engine knows no character's pronouns: in the third person a
                # second mention would be "their"/"them" for everyone, or the name
                # twice ("Bob looks at what Bob has found"). Such sentences are kept
                # for "you" alone.
                continue
            if need_actor and not names & _ACTOR_FIELDS:
                continue
            if not need_actor and names & _ACTOR_FIELDS:
                continue
            usable.append(template)
        return usable

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

        With ``need_actor`` only templates that mention the actor qualify; without it,
        only templates that do not.
        """
        usable = self._usable(pool, values, need_actor)
        if not usable:
            return ""
        template = ch.pick(label, usable)
        return self._told(template, values, self._fill(template, values))

    def _told(self, template: str, values: dict[str, str], text: str) -> str:
        """``text`` (``template`` filled with ``values``), chosen; while twins are being
        written, a sentence naming the actor is also written as each reader of their own
        words reads it (``_own``), if their fields can say it."""
        fields = _fields(template)
        if fields & (_ACTOR_FIELDS | _TARGET_FIELDS):
            for name, theirs in self._own.items():
                yours = self._readers[name]
                actor = fields & _ACTOR_FIELDS
                if (actor and actor <= yours.keys()) or fields & _TARGET_FIELDS & yours.keys():
                    theirs[text] = self._fill(template, values | yours)
        return text

    def _manner(self, request: NarrationRequest, ch: _Chooser, used: set[str]) -> str:
        """One of ``request.npc_manner`` (the NPC's emotes, whole sentences as the
        builder wrote them) not said in this room or anywhere lately (``used``), or ""
        when there is none; the chosen line and its word marks are added to ``used``."""
        fresh = [line for line in request.npc_manner if line not in used]
        if not fresh:
            return ""
        line = ch.pick("manner", fresh)
        used.update((line, *_word_marks(line)))
        return line

    def _first_colour(self, sensed: tuple[str, ...]) -> tuple[tuple[str, ...], ...]:
        """The tiers of colour tried first after a deed (``_fresh``'s ``prefer``): after
        one of a sense, the room's lines of ambience that tell of it, then its
        description's, then the pack's templates of it (``sensed``); otherwise the room's
        lines of ambience."""
        if not self._sense_field:
            return (self._room_lines,)
        return (self._sensed_ambience, self._sensed_described, sensed)

    def _fresh(
        self,
        ch: _Chooser,
        label: str,
        pool: Sequence[str],
        values: dict[str, str],
        used: set[str],
        *,
        need_actor: bool,
        prefer: Sequence[Sequence[str]] = (),
        free: frozenset[str] = frozenset(),
    ) -> str:
        """Like ``_render``, but only a sentence not in ``used`` ('' when all are), from
        a template not used yet in this narration (``used`` holds a mark for each: "A
        smell of tallow hangs about the mere. A smell of rot-sweet mud hangs about the
        mere." was one narration), saying no colour value another sentence of it said
        and none of its words of four letters or more but the common ones (a mark for
        each of those too: ``_word_marks``); the chosen sentence and its marks are
        added to ``used``. The templates of the pool in the tiers of ``prefer`` are tried
        first, tier by tier; the word marks in ``free`` do not count as said."""
        alts = self._alts
        order = ch.order(label, self._usable(pool, values, need_actor))
        stale = frozenset().union(*self._shapes)
        if stale:
            order = [t for t in order if _TEMPLATE_MARK + t not in stale] + [
                t for t in order if _TEMPLATE_MARK + t in stale
            ]
        for tier in reversed(prefer):
            if tier:
                first = set(tier)
                order = [t for t in order if t in first] + [t for t in order if t not in first]
        for template in order:
            mark = _TEMPLATE_MARK + template
            if mark in used:
                continue
            if (_echo_marks(template) & used) - free:
                continue  # its own words were said (whatever fills it)
            fields = _fields(template)
            once = fields & _SAID_ONCE
            groups = sorted({_GROUP[f] for f in fields if f in _GROUP})
            # The first choice of every field, then the others: the room's whole stock of
            # nouns and the pack's colour before anything is said twice.
            combos: list[dict[str, str]] = [{}]
            for group in groups:
                options = alts.get(group, [])[:6] or [{}]
                combos = [c | o for c in combos for o in options][:36]
            own = _echo_marks(template)
            for combo in combos:
                filled = values | combo
                said = {_VALUE_MARK + filled[f].lower() for f in once}
                if said & used:
                    continue
                if own & _word_marks(" ".join(filled[f] for f in once if f in filled)):
                    # Not the template's own word again in what fills it: "From somewhere
                    # comes the faint chant of monks somewhere above." (Lanternfall).
                    continue
                text = self._fill(template, filled)
                words = _word_marks(text)
                if text not in used and not (words & used) - free:
                    used.update((text, mark, *said, *words))
                    return self._told(template, filled, text)
        return ""


# The "considers" line shown when a narration's first words are slow: an in-fiction
# sign that the Dungeon Master is at work, made of the pack's own colour (its
# ``narration:`` sounds, smells and sights) or, without them, the room's own name.
_THINKING_PACK: tuple[str, ...] = (
    "For a moment the only sound is {sound}, while the Dungeon Master considers…",
    "{Sound}, and the Dungeon Master considers…",
    "A smell of {smell} lingers as the Dungeon Master considers…",
    "{Sight}, and the Dungeon Master considers…",
)
_THINKING_ROOM: tuple[str, ...] = (
    "{Room} {be} still for a moment while the Dungeon Master considers…",
    "{Room} {be} hushed as the Dungeon Master considers…",
)
THINKING_PLAIN = "The Dungeon Master considers…"


def _thinking_pack(request: NarrationRequest) -> list[tuple[str, str]]:
    """The pack's "considers" lines for ``request``, in ``thinking_line``'s order, each
    with the colour value it says ("a gull's cry")."""
    room = request.room
    ch = _Chooser(_key(0, request))
    options: list[tuple[str, str]] = []
    fills = {
        "sound": [s for s in room.sounds if s.strip()],
        "Sound": [capitalise(" ".join(s.split()).rstrip(".")) for s in room.sounds if s.strip()],
        "smell": [s for s in room.smells if s.strip()],
        "Sight": [capitalise(" ".join(s.split()).rstrip(".")) for s in room.sights if s.strip()],
    }
    for template in ch.order("thinking", _THINKING_PACK):
        field = _fields(template) & fills.keys()
        for name in field:
            for value in ch.order(f"thinking-{name}", fills[name]):
                said = " ".join(value.split())
                options.append((template.replace("{" + name + "}", said), said))
    return options


def _thinking_said(request: NarrationRequest) -> set[str]:
    """The marks (``_VALUE_MARK``) of the colour the "considers" line for ``request``
    may have said (its first two choices: the second when the first was the room's line
    before), which the narration after it does not say again (played at the ferry
    stage: "For a moment the only sound is a gull's cry, while the Dungeon Master
    considers…", then "... For a moment the only sound is a gull's cry.")."""
    return {_VALUE_MARK + said.lower() for _, said in _thinking_pack(request)[:2]}


def thinking_line(request: NarrationRequest, avoid: str = "") -> str:
    """The line that tells a room the Dungeon Master is at work on ``request`` (called by
    the DM actor once per narration whose first words are slow).

    In the pack's voice: built from the room snapshot's ``sounds``, ``smells`` and
    ``sights`` (the pack's ``narration:`` block), else from the room's name, else
    plain. Deterministic for a request's content (no request id or time); a line equal
    to ``avoid`` (the room's previous one) is passed over when another fits. Plain text,
    one sentence, ending in an ellipsis.
    """
    room = request.room
    ch = _Chooser(_key(0, request))
    options = [line for line, _ in _thinking_pack(request)]
    if not options:
        name = " ".join(room.name.split())
        name = name.rsplit(", ", 1)[-1] if ", " in name else name
        if name:
            verb = "are" if plural_place(name) else "is"
            options = [
                t.replace("{Room}", capitalise(place(name))).replace("{be}", verb)
                for t in ch.order("thinking-room", _THINKING_ROOM)
            ]
    fresh = [o for o in options if o != avoid]
    if fresh:
        return fresh[0]
    return options[0] if options else THINKING_PLAIN


def chunk_words(text: str, size: int = 4) -> list[str]:
    """Split ``text`` into groups of ``size`` words, keeping the whitespace (for streaming)."""
    words = re.findall(r"\s*\S+\s*", text)
    return ["".join(words[i : i + size]) for i in range(0, len(words), size)]
