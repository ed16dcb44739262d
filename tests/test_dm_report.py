"""usage_report: grouping, sums, table and JSON output."""

from __future__ import annotations

import json

import pytest
from attrs import evolve

from mud.core.records import UsageRow
from mud.dm.report import usage_report


def row(
    day: str,
    hour: int,
    model: str,
    kind: str,
    p: int,
    c: int,
    cost: float,
    est: bool = False,
    provider: str = "openai",
    actor: str | None = "Alice",
) -> UsageRow:
    return UsageRow(0.0, day, hour, actor, "r1", provider, model, kind, p, c, est, cost)


ROWS = [
    row("2024-05-01", 9, "gpt-4o-mini", "action", 100, 50, 0.001),
    row("2024-05-01", 9, "gpt-4o-mini", "action", 200, 60, 0.002, est=True),
    row("2024-05-01", 10, "templates", "action", 0, 40, 0.0, est=True, provider="offline"),
    row("2024-05-02", 9, "gpt-4o-mini", "ask", 10, 5, 0.0001, actor=None),
]


def test_json_groups_and_totals() -> None:
    data = json.loads(usage_report(ROWS, by=("day", "model"), fmt="json"))
    assert data["by"] == ["day", "model"]
    groups = {(g["day"], g["model"]): g for g in data["groups"]}
    assert list(groups) == [
        ("2024-05-01", "gpt-4o-mini"),
        ("2024-05-01", "templates"),
        ("2024-05-02", "gpt-4o-mini"),
    ]
    g = groups[("2024-05-01", "gpt-4o-mini")]
    assert (g["prompt_tokens"], g["completion_tokens"], g["calls"], g["estimated"]) == (
        300,
        110,
        2,
        1,
    )
    assert g["cost_usd"] == pytest.approx(0.003)
    t = data["total"]
    assert (t["prompt_tokens"], t["completion_tokens"], t["calls"], t["estimated"]) == (
        310,
        155,
        4,
        2,
    )


def test_default_grouping_and_actor_column() -> None:
    data = json.loads(usage_report(ROWS, fmt="json"))
    assert data["by"] == ["day", "hour", "model", "provider", "kind"]
    assert len(data["groups"]) == 3  # the two 09:00 mini actions share a group
    by_actor = json.loads(usage_report(ROWS, by=("actor",), fmt="json"))
    assert [g["actor"] for g in by_actor["groups"]] == ["-", "Alice"]


def test_table_is_aligned_with_total() -> None:
    out = usage_report(ROWS, by=("day", "kind"))
    lines = out.splitlines()
    assert lines[0].split() == [
        "day",
        "kind",
        "prompt",
        "read",
        "completion",
        "total",
        "cost_usd",
        "calls",
        "estimated",
    ]
    assert set(lines[1]) <= {"-", " "}
    body = lines[2:-2]
    assert [ln.split()[:2] for ln in body] == [["2024-05-01", "action"], ["2024-05-02", "ask"]]
    assert body[0].split()[2:] == ["300", "300", "150", "450", "0.0030", "3", "2"]
    assert lines[-1].split() == ["TOTAL", "310", "310", "155", "465", "0.0031", "4", "2"]
    # Fixed width: numeric columns end at the same place on every row.
    ends = {len(ln) for ln in [lines[0], *body, lines[-1]]}
    assert len(ends) == 1


def test_empty_and_no_grouping() -> None:
    out = usage_report([], by=())
    assert out.splitlines()[-1].split() == ["0", "0", "0", "0", "0.0000", "0", "0"]
    assert json.loads(usage_report([], by=(), fmt="json"))["groups"] == []


def test_bad_column_or_format() -> None:
    with pytest.raises(ValueError, match="unknown column"):
        usage_report(ROWS, by=("colour",))
    with pytest.raises(ValueError, match="unknown format"):
        usage_report(ROWS, fmt="xml")  # type: ignore[arg-type]


def test_prompt_tokens_read_anew_are_summed_beside_the_prompt() -> None:
    # A local model with a warm prefix cache reads a fraction of each prompt anew; rows
    # that cannot say (estimated, older) count as read whole.
    cached = evolve(row("2024-05-03", 9, "smollm2", "action", 900, 40, 0.0), prompt_read=120)
    data = json.loads(usage_report([cached, ROWS[0]], by=("model",), fmt="json"))
    reads = {g["model"]: (g["prompt_tokens"], g["prompt_read"]) for g in data["groups"]}
    assert reads == {"gpt-4o-mini": (100, 100), "smollm2": (900, 120)}
    assert (data["total"]["prompt_tokens"], data["total"]["prompt_read"]) == (1000, 220)
