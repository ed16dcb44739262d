"""What a command handler may know besides the world. Pure data."""

from __future__ import annotations

from collections.abc import Mapping

from attrs import field, frozen

from mud.core.rng import Rng, SeededRng


@frozen
class Ctx:
    """Built by the hub for each command.

    ``now`` is monotonic seconds (deadlines), ``wall`` wall-clock seconds (records,
    respawn times); ``rng`` is the world's random generator: every draw a handler makes
    comes from it and is returned as a ``Rolled`` effect.
    """

    now: float
    wall: float = 0.0
    rng: Rng = field(factory=lambda: SeededRng(0))
    online: tuple[tuple[str, float, bool], ...] = ()  # (name, idle seconds, link-dead)
    help_topics: Mapping[str, str] = field(factory=dict)
    # name_key -> "door address" of each connected player; filled for an admin's who.
    addresses: Mapping[str, str] = field(factory=dict)
    narration: bool = True
    # The lines the actor typed before this one, the last last (at most ``RECENT``): for
    # "it" ("order stew", then "eat it") and a conversation's next question.
    recent: tuple[str, ...] = ()
    # The lines others in the actor's room spoke to its people with lately, oldest first
    # (at most ``RECENT``): a bystander's "where did she go?" is for the one who answered.
    overheard: tuple[str, ...] = ()
    # The last words said aloud in the actor's room, when another player said them
    # lately (at most the hub's ``OVERHEARD`` seconds ago) and no one has spoken since:
    # (their key, the words); ("", "") otherwise. Words said back to them are theirs.
    said_last: tuple[str, str] = ("", "")
    # The line was a pose, written of oneself ("Wren unwraps the packet"), read as one's
    # own deed: it answers no question put to the actor (``commands._answering``).
    posed: bool = False
    # The line is the rest of one typed ("rises" in "drains her cup and rises"; a
    # ``Then``): a pose already held there is nothing to tell (``poses.pose``).
    rest_of_line: bool = False

    @property
    def previous(self) -> str:
        """The line the actor typed just before this one ("" when none)."""
        return self.recent[-1] if self.recent else ""


#: How many of a player's lines the hub keeps for the next one's ``Ctx.recent``: a
#: conversation's "what else?" five questions after "talk to bessa" is still to her.
RECENT = 8
#: How many of those a pronoun looks back through for what it means ("it", "her").
REFERRING = 4
