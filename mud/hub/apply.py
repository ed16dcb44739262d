"""The world side of effects: carry out one effect's state change on the ``World``.

One job: ``apply_to_world(world, effect)`` makes the change an effect asks for through
the ``World``'s typed mutation methods (no attribute names as strings) and returns an
``Applied`` saying what changed, which the hub turns into saves and GMCP updates. It
sends nothing, writes nothing and asks no game rule: the hub shows and saves, and the
engine's ``mud.engine.reactions.follow_ups`` says what happens next. Effects that change
no world state (output, narration, admin, logs) return None: they are the hub's own.

Called only by the hub (the one mutator of the world), one effect at a time, in order.
Never raises for a missing character, NPC or item: the change is then skipped
(``Applied.done`` false), as a player may have left since the effect was made.
"""

from __future__ import annotations

from attrs import frozen

from mud.engine.effects import (
    CharUpdate,
    DestroyItem,
    Effect,
    ForgetFeatures,
    LogChat,
    Move,
    NoticeStrays,
    NpcUpdate,
    PartyUpdate,
    SetAway,
    SetDescription,
    SetDoor,
    SetFight,
    SetHidden,
    SetIgnoring,
    SetMissed,
    SetMuted,
    SetPose,
    SetPrefs,
    SetPronouns,
    SetQuiet,
    SpawnItem,
    Transfer,
    UseFeature,
)
from mud.engine.state import World

#: Sheet fields shown in GMCP ``Char.Vitals`` and ``Char.Status``.
VITALS_FIELDS = frozenset({"hp", "max_hp", "down"})
STATUS_FIELDS = frozenset({"level", "xp", "cls", "gold"})


@frozen
class Applied:
    """What applying one effect changed.

    ``chars``: characters whose saved state changed (the hub saves them); ``packs``:
    characters whose pack changed (their item list is shown again), in order;
    ``vitals``/``status``: characters whose GMCP vitals or status changed;
    ``features``: the set of used-up features changed (the hub saves it); ``done``:
    false when nothing could be done (the character, NPC or item is not there);
    ``ways``: characters who found a hidden way (their room's exits are sent again).
    """

    chars: tuple[str, ...] = ()
    packs: tuple[str, ...] = ()
    vitals: tuple[str, ...] = ()
    status: tuple[str, ...] = ()
    features: bool = False
    done: bool = True
    ways: tuple[str, ...] = ()  # characters who found a hidden way: their Room.Info again


NOTHING = Applied(done=False)
DONE = Applied()


def apply_to_world(world: World, effect: Effect) -> Applied | None:
    """Carry out ``effect``'s change to ``world`` and say what changed (see ``Applied``);
    None for an effect that changes no world state (the hub's own to carry out).

    A ``Move`` here only moves the character: what the rooms see is the hub's."""
    match effect:
        case Move(who, to):
            if who not in world.chars:
                return NOTHING
            world.move(who, to)
            return Applied(chars=(who,))
        case Transfer(item, src, dst):
            if not world.transfer(item, src, dst):
                return NOTHING
            owners = tuple(loc[5:] for loc in (src, dst) if loc.startswith("char:"))
            return Applied(chars=owners, packs=owners)
        case SetPrefs(who, colour, screenreader, width, prompt, wimpy, brief):
            if who not in world.chars:
                return NOTHING
            world.update_prefs(
                who,
                colour=colour,
                screenreader=screenreader,
                width=width,
                prompt=prompt,
                wimpy=wimpy,
                brief=brief,
            )
            return Applied(chars=(who,))
        case LogChat(kind="tell", speaker=speaker, target=target) if target:
            # Who told whom last, for the one told to ``reply`` (played by a browser
            # player: "reply healed up, thanks!" was a deed the whole room read).
            told = world.chars.get(target.casefold())
            if told is not None:
                told.told_by = speaker
                # With two since they last told anyone, a reply might go to the later
                # while it answers the other.
                since = tuple(name for name in told.told_since if name != speaker)
                told.told_since = (*since[-1:], speaker)
                told.told_fresh = True
            teller = world.chars.get(speaker.casefold())
            if teller is not None:
                teller.told_since = ()  # they have answered, or chosen whom to tell
                teller.told_fresh = False
            return None
        case LogChat(speaker=speaker) if speaker.casefold() in world.chars:
            # Words of their own since a tell came: "r ..." is chat's "are" again, not a
            # reply (found in review: "r u ready, ann?", long after Dov's tell was
            # answered aloud, went to Dov).
            world.chars[speaker.casefold()].told_fresh = False
            return None
        case CharUpdate(who):
            if who not in world.chars:
                return NOTHING
            names = world.update_char(effect)
            return Applied(
                chars=(who,),
                vitals=(who,) if names & VITALS_FIELDS else (),
                status=(who,) if names & STATUS_FIELDS else (),
                ways=(who,) if "revealed" in names else (),
            )
        case NpcUpdate():
            return DONE if world.update_npc(effect) else NOTHING
        case SpawnItem(template, dst, equip, claim, claim_until):
            made = world.spawn_item(template, dst, equip)
            if made is None:
                return NOTHING
            if claim:
                world.claims[made] = (claim, claim_until)
            kind, _, ident = dst.partition(":")
            owner = (ident,) if kind == "char" else ()
            return Applied(chars=owner, packs=owner)
        case DestroyItem(item):
            owners = tuple(world.destroy_item(item))
            return Applied(chars=owners, packs=owners)
        case SetFight(room, current):
            world.set_fight(room, current)
            return DONE
        case UseFeature(key):
            world.use_feature(key)
            return Applied(features=True)
        case ForgetFeatures(keys):
            world.forget_features(keys)
            return Applied(features=True)
        case NoticeStrays(items, npcs):
            world.notice_strays(items, npcs)
            return DONE
        case PartyUpdate(table, key, value):
            world.set_party(table, key, value)
            return DONE
        case SetDoor(door, closed, locked):
            world.set_door(door, closed, locked)
            return DONE
        case SetPose(who, pose, beside):
            return DONE if world.set_pose(who, pose, beside) else NOTHING
        case SetHidden(who, score):
            return DONE if world.set_hidden(who, score) else NOTHING
        case SetAway(who, message):
            return DONE if world.set_away(who, message) else NOTHING
        case SetMissed(who, lines):
            return DONE if world.set_missed(who, lines) else NOTHING
        case SetDescription(who, text):
            return Applied(chars=(who,)) if world.set_description(who, text) else NOTHING
        case SetPronouns(who, pronouns):
            return Applied(chars=(who,)) if world.set_pronouns(who, pronouns) else NOTHING
        case SetQuiet(who, channels):
            return Applied(chars=(who,)) if world.set_quiet(who, channels) else NOTHING
        case SetIgnoring(who, keys):
            return Applied(chars=(who,)) if world.set_ignoring(who, keys) else NOTHING
        case SetMuted(who, until, by, reason, lift):
            mute: dict[str, object] | None = (
                None if lift else {"by": by, "until": until, "why": reason}
            )
            return Applied(chars=(who,)) if world.set_muted(who, mute) else NOTHING
    return None


__all__ = ["DONE", "NOTHING", "STATUS_FIELDS", "VITALS_FIELDS", "Applied", "apply_to_world"]
