"""The hub's side of narration: what a request tells the DM, and which streams are live.

One job: the bookkeeping between the hub and the DM actor. ``snapshot`` and
``request`` build what the DM is sent (a frozen ``RoomSnapshot`` of the room as it is
now, inside a ``NarrationRequest``). ``Narrations`` keeps request ids, the streams in
progress and their text, and the rule that keeps narration in step with the dice: a
narration asked for in a room is *late* once a later fight event begins there, and a
late narration is never shown (not started, or cut off where it is).

Who calls it: only ``mud.hub.actor.Hub``, inside its handlers. Pure: no I/O, no clock
(the caller passes the monotonic time a request is made), no randomness. Fan-out to
sessions stays with the hub: ``Narrations`` says which streams and rooms, the hub turns
that into ``StreamText``/``EndStream`` outputs for whoever is in the room at that moment,
and, when a narration ends, sends it whole to the readers it follows elsewhere
(``Narrations.follow``: the fallen of a lost fight).
"""

from __future__ import annotations

from collections.abc import Collection, Mapping, Sequence

from attrs import frozen

from mud.core.narration import NarrationRequest, Outcome, Priority, RoomSnapshot
from mud.core.outputs import Doc
from mud.engine import presence
from mud.engine.state import World


def snapshot(
    world: World, room_id: str, heard: Collection[str] = (), *, viewer: str = ""
) -> RoomSnapshot:
    """The room as the narrator should see it now: its text, exits (visible ones),
    who and what is there (players, not the hidden, but for ``viewer``, the key of the
    one it is told for; the world's people, by name), and its pack's persona, tone and
    vocabulary, the colour true in its area (``PackInfo.colour``) and its lines of
    ambience but those in ``heard`` (shown there lately)."""
    room = world.room(room_id)
    pack = world.templates.packs.get(room.pack)
    sounds, smells, sights = pack.colour(room.area) if pack else ((), (), ())
    people = [c for c in world.people_in(room_id) if not c.hidden or c.key == viewer]
    return RoomSnapshot(
        room_id=room.id,
        name=room.name,
        description=world.room_text(room_id, viewer),
        exits=tuple(e.direction for e in room.exits if not e.hidden),
        occupants=tuple(c.name for c in people),
        items=tuple(world.item_template(i).name for i in world.items_in_room(room_id)),
        pack_name=pack.name if pack else "",
        persona=pack.persona if pack else "",
        tone=pack.tone if pack else "",
        vocabulary=tuple(room.vocabulary) + (tuple(pack.vocabulary) if pack else ()),
        features=tuple(f.name for f in room.features.values()),
        sounds=sounds,
        smells=smells,
        sights=sights,
        ambience=tuple(line for line in room.ambience if line not in heard),
        pronouns=tuple(
            f"{c.name} {presence.pronoun_label(chosen)}"
            for c in people
            if (chosen := presence.pronouns(c))
        ),
        npcs=tuple(world.templates.npcs[n.id].name for n in world.npcs_in(room_id)),
    )


def request(
    world: World,
    request_id: int,
    who: str | None,
    room: str,
    kind: str,
    text: str,
    outcome: Outcome,
    priority: Priority,
    *,
    created: float,
    cacheable: bool = False,
    npc_persona: str = "",
    shown: tuple[str, ...] = (),
    party: tuple[str, ...] = (),
    npc_manner: tuple[str, ...] = (),
    heard: Collection[str] = (),
) -> NarrationRequest:
    """The request for a narration in ``room`` by character ``who`` (None: the world's
    own) and ``party`` (keys of those acting with it), heard by everyone there now, or
    by ``who`` alone while they are hidden (a question to the DM, the scene they sneak
    into: the room must not hear of them) and for a question to the DM (``kind``
    "ask"), which only the asker saw asked (played: the room read "Sorrel thinks it
    through, one step at a time." of a question it never heard); words to someone of
    the world are not narrated to those who ignore the speaker. A cacheable request
    carries a state key (room, items, head count, the world's people) so the DM's cache
    never serves a scene that has changed."""
    char = world.chars.get(who) if who is not None else None
    actor = char.name if char is not None else None
    with_ = tuple(world.chars[k].name for k in party if k in world.chars and k != who)
    snap = snapshot(world, room, heard, viewer=who or "")
    return NarrationRequest(
        request_id=request_id,
        kind=kind,
        room=snap,
        actor=actor,
        text=text,
        outcome=outcome,
        priority=priority,
        created=created,
        audience=(char.name,)
        if char is not None and (char.hidden or kind == "ask")
        else _hearing(world, who, kind, snap.occupants),
        cacheable=cacheable,
        state_key=(
            f"{room}|{'/'.join(snap.items)}|{len(snap.occupants)}|{'/'.join(snap.npcs)}"
            if cacheable
            else ""
        ),
        npc_persona=npc_persona,
        seed=request_id,
        shown=shown,
        party=with_,
        npc_manner=npc_manner,
    )


def _hearing(world: World, who: str | None, kind: str, names: tuple[str, ...]) -> tuple[str, ...]:
    """Who of ``names`` (the room's) hears a narration of ``kind`` by ``who``: all of
    them, but of words said to someone of the world ("talk"), of a deed in the
    player's own words ("action") or of their coming in ("enter") not those who ignore
    ``who`` (``mud.engine.presence``; played by a griefer: "do spit on vicky and call
    her ..." reached the one ignoring him, word for word, and a login loop of his put
    "Altaa pauses a moment, coming into the Common Room" on her screen over and
    over)."""
    heard = who is not None and kind in ("talk", "action", "enter")
    ignorers = world.ignored_by.get(who) if heard and who is not None else None
    if not ignorers:
        return names
    return tuple(name for name in names if name.lower() not in ignorers)


class Narrations:
    """Request ids, live streams and lateness (see the module docstring). Never raises."""

    def __init__(self) -> None:
        self.reset()

    def reset(self) -> None:
        """Forget every request and stream; ids start again at 1 (a replayed start)."""
        self.next_id = 1
        self.streams: dict[int, str] = {}  # request id -> room, while streaming
        # Request id -> the character key a second-person narration is written to.
        self._to: dict[int, str] = {}
        self._text: dict[int, list[str]] = {}
        # Request id -> for the players who read it in their own words
        # (``NarrationChunk.views``), by character key, what they were told.
        self._own: dict[int, dict[str, list[str]]] = {}
        # Each room's fight-event counter, the counter each narration was asked at
        # (until it ends), and the ids dropped as late.
        self._fight_events: dict[str, int] = {}
        self._asked_at: dict[int, tuple[str, int]] = {}
        self._late: set[int] = set()
        # Request id -> the keys of those who read it wherever they are (``follow``),
        # and of those of them who have read every piece of it streamed (``watched``).
        self._follow: dict[int, tuple[str, ...]] = {}
        self._watched: dict[int, set[str]] = {}

    def ask(self, room: str) -> int:
        """A new request id for a narration asked for in ``room`` now. Any narration for
        the room counts, not just a round's: a scene asked for as a party walks in is
        late too once the fight it walked into has begun."""
        rid = self.next_id
        self.next_id += 1
        self._asked_at[rid] = (room, self._fight_events.get(room, 0))
        return rid

    def fight_event(self, room: str) -> list[int]:
        """A new fight event begins in ``room``. Returns the streams it cuts off (now
        late and forgotten: the hub ends them on every screen in the room); what has
        not started yet is dropped when it starts (``is_late``)."""
        self._fight_events[room] = self._fight_events.get(room, 0) + 1
        cut = []
        for rid, (asked_room, _mark) in list(self._asked_at.items()):
            if asked_room != room or rid not in self.streams:
                continue
            self.streams.pop(rid, None)
            self._forget(rid)
            self._late.add(rid)
            cut.append(rid)
        return cut

    def is_late(self, rid: int) -> bool:
        """True for a narration overtaken by a later fight event in its room."""
        if rid in self._late:
            return True
        asked = self._asked_at.get(rid)
        if asked is None:
            return False
        room, mark = asked
        if self._fight_events.get(room, 0) != mark:
            self._late.add(rid)
            return True
        return False

    def settle_late(self, rid: int) -> bool:
        """A narration ended or was rejected: if it was late, forget it and say True."""
        if rid not in self._late:
            return False
        self._late.discard(rid)
        self._asked_at.pop(rid, None)
        self._follow.pop(rid, None)
        self._watched.pop(rid, None)
        return True

    def start(self, rid: int, room: str, to: str | None = None) -> None:
        """Narration ``rid`` begins streaming in ``room``; ``to``: the key of the one
        character it is written to ("You ..."), None when it is for everyone there."""
        self.streams[rid] = room
        self._text[rid] = []
        if to is not None:
            self._to[rid] = to

    def written_to(self, rid: int) -> str | None:
        """The key of the one character live narration ``rid`` is written to, or None."""
        return self._to.get(rid)

    def chunk(self, rid: int, text: str, views: Mapping[str, str] | None = None) -> bool:
        """Text for stream ``rid``, and ``views``: by character key, what those who read
        it in their own words read instead; False (drop it) if that stream is not live."""
        if rid not in self.streams:
            return False
        self._text[rid].append(text)
        for key, own in (views or {}).items():
            self._own.setdefault(rid, {}).setdefault(key, []).append(own)
        return True

    def own_of(self, rid: int) -> dict[str, str]:
        """By character key, what live narration ``rid`` told those who read it in their
        own words so far (empty: everyone reads what the room reads)."""
        return {key: "".join(told) for key, told in self._own.get(rid, {}).items()}

    def end(self, rid: int) -> str:
        """Narration ``rid`` is over: forget it and return everything it said."""
        self._asked_at.pop(rid, None)
        self.streams.pop(rid, None)
        told = "".join(self._text.get(rid, []))
        self._forget(rid)
        return told

    def _forget(self, rid: int) -> None:
        for table in (self._text, self._to, self._own, self._follow, self._watched):
            table.pop(rid, None)

    def watched(self, rid: int, keys: Collection[str]) -> None:
        """A piece of narration ``rid`` streamed to the characters ``keys``: of its
        followers, those who read every piece so far are those who read this one too
        (the first piece sets them)."""
        if rid not in self._follow:
            return
        seen = set(keys) & set(self._follow[rid])
        self._watched[rid] = self._watched[rid] & seen if rid in self._watched else seen

    def unwatched(self, rid: int) -> tuple[str, ...]:
        """The followers of narration ``rid`` who did not read every piece of it
        streamed (all of them when none was streamed): they read it whole at its end."""
        whole = self._watched.get(rid, set())
        return tuple(key for key in self._follow.get(rid, ()) if key not in whole)

    def follow(self, rid: int, keys: Sequence[str]) -> None:
        """Narration ``rid`` is read by the characters ``keys``, whole when it ends,
        wherever they are then (the hub sends it to those not in its room), as well as
        streamed to those in its room: the fallen of a lost fight, carried out of the room
        before it is told (played, round 59: Gil, beaten by the eel-catcher, woke in the
        tavern and never read how the fight was lost)."""
        if keys:
            self._follow[rid] = tuple(keys)

    def followers(self, rid: int) -> tuple[str, ...]:
        """The keys of those who read narration ``rid`` where they are when it ends
        (``follow``)."""
        return self._follow.get(rid, ())

    def followed_from(self, room: str) -> set[str]:
        """The keys of those who read, wherever they are, a narration asked for in
        ``room`` that has not ended."""
        return {
            key
            for rid, keys in self._follow.items()
            if self._asked_at.get(rid, ("", 0))[0] == room
            for key in keys
        }

    def asked_in(self, room: str, since: int) -> int | None:
        """The newest narration asked for in ``room`` with an id of ``since`` or more
        that has not ended, been refused or been dropped as late; None if there is none."""
        rids = [
            rid
            for rid, (asked, _mark) in self._asked_at.items()
            if asked == room and rid >= since and rid not in self._late
        ]
        return max(rids) if rids else None

    def rejected(self, rid: int) -> None:
        """The DM refused narration ``rid``: forget it."""
        self._asked_at.pop(rid, None)
        self._follow.pop(rid, None)
        self._watched.pop(rid, None)

    def streams_in(self, room: str) -> list[int]:
        """The live streams in ``room``, oldest first."""
        return [rid for rid, where in self.streams.items() if where == room]


@frozen
class HeldPrompt:
    """A fighter's "Your turn!" (``doc`` for character ``who``) held since monotonic
    time ``since`` for the round's narration in ``room``; ``deadline`` names the turn."""

    who: str
    doc: Doc
    room: str
    since: float
    deadline: float


class HeldPrompts:
    """Turn prompts waiting for a narration, by its request id. Never raises."""

    def __init__(self) -> None:
        self._by_rid: dict[int, list[HeldPrompt]] = {}

    def hold(self, rid: int, prompt: HeldPrompt) -> None:
        """Keep ``prompt`` until narration ``rid`` ends (``take``) or it is overdue."""
        self._by_rid.setdefault(rid, []).append(prompt)

    def take(self, rid: int) -> list[HeldPrompt]:
        """The prompts waiting for narration ``rid``, forgotten here."""
        return self._by_rid.pop(rid, [])

    def in_room(self, room: str) -> list[int]:
        """The narrations that prompts in ``room`` wait for."""
        return [rid for rid, held in self._by_rid.items() if any(h.room == room for h in held)]

    def overdue(self, now: float, hold: float) -> list[int]:
        """The narrations whose prompts have waited ``hold`` seconds or more by ``now``."""
        return [rid for rid, held in self._by_rid.items() if now - held[0].since >= hold]

    def holds(self, who: str) -> bool:
        """Whether a prompt for character ``who`` is waiting."""
        return any(h.who == who for held in self._by_rid.values() for h in held)

    def clear(self) -> None:
        self._by_rid.clear()


__all__ = ["HeldPrompt", "HeldPrompts", "Narrations", "request", "snapshot"]
