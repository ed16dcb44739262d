"""A crowded room's view names the first few people and counts every other one."""

from __future__ import annotations

import re

import pytest
from enginerig import EngineRig

from mud.engine.views import CROWD_NAMES


def people_line(rig: EngineRig, viewer: str) -> str:
    lines = rig.seen(viewer, rig.run(viewer, "look"))[0].split("\n")
    return next(line for line in lines if line.endswith(" here.") and "You see" not in line)


@pytest.mark.parametrize("crowd", [1, 5, CROWD_NAMES, CROWD_NAMES + 1, 40, 300])
def test_every_other_occupant_is_named_or_counted_once(crowd: int) -> None:
    rig = EngineRig()
    room = "square"
    keys = [f"pl{chr(97 + i // 26)}{chr(97 + i % 26)}" for i in range(crowd + 1)]
    for key in keys:
        rig.player(key, room)
    viewer = keys[len(keys) // 2]  # not first: the viewer is skipped mid-walk
    line = people_line(rig, viewer)
    named = [k for k in keys if k.title() in line]
    assert viewer.title() not in line
    counted = re.search(r"(\d+) others? (?:is|are) here\.$", line)
    others = int(counted.group(1)) if counted else 0
    assert len(named) + others == crowd, line
    assert len(named) <= CROWD_NAMES
    if crowd > CROWD_NAMES:
        assert others > 0
