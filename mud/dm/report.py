"""Token usage reports for the admin ``usage`` command and the ``mud usage`` CLI (pure).

``usage_report`` groups usage rows (``mud.core.records.UsageRow`` or anything with the
same attributes) by the requested columns and sums tokens, cost and calls. Output is a
fixed-width table for terminals or JSON for scripts; both end with an overall total.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from typing import Any, Literal, Protocol

GROUP_COLUMNS = ("day", "hour", "actor", "room", "provider", "model", "kind")
DEFAULT_BY = ("day", "hour", "model", "provider", "kind")


class UsageRowLike(Protocol):
    """The attributes of ``mud.core.records.UsageRow`` that reports read."""

    @property
    def day(self) -> str: ...
    @property
    def hour(self) -> int: ...
    @property
    def actor(self) -> str | None: ...
    @property
    def room(self) -> str: ...
    @property
    def provider(self) -> str: ...
    @property
    def model(self) -> str: ...
    @property
    def kind(self) -> str: ...
    @property
    def prompt_tokens(self) -> int: ...
    @property
    def completion_tokens(self) -> int: ...
    @property
    def estimated(self) -> bool: ...
    @property
    def cost_usd(self) -> float: ...


def _key_of(row: UsageRowLike, col: str) -> str | int:
    match col:
        case "day":
            return row.day
        case "hour":
            return row.hour
        case "actor":
            return row.actor or "-"
        case "room":
            return row.room
        case "provider":
            return row.provider
        case "model":
            return row.model
        case "kind":
            return row.kind
    raise ValueError(col)


def _sums() -> dict[str, Any]:
    return {
        "prompt_tokens": 0,
        "prompt_read": 0,
        "completion_tokens": 0,
        "cost_usd": 0.0,
        "calls": 0,
        "estimated": 0,
    }


def _add(acc: dict[str, Any], row: UsageRowLike) -> None:
    acc["prompt_tokens"] += row.prompt_tokens
    # Read anew by the model server; a row that cannot say counts as read whole.
    read = getattr(row, "prompt_read", None)
    acc["prompt_read"] += row.prompt_tokens if read is None else int(read)
    acc["completion_tokens"] += row.completion_tokens
    acc["cost_usd"] += row.cost_usd
    # A retention rollup row stands for many calls (``UsageRow.calls``).
    calls = int(getattr(row, "calls", 1))
    acc["calls"] += calls
    acc["estimated"] += calls if row.estimated else 0


def usage_report(
    rows: Sequence[UsageRowLike],
    *,
    by: Sequence[str] = DEFAULT_BY,
    fmt: Literal["table", "json"] = "table",
) -> str:
    """Group ``rows`` by the columns ``by`` (any of ``GROUP_COLUMNS``, in that order of
    nesting; empty means one overall total) and render them.

    Each group sums prompt and completion tokens, cost in dollars, calls, and how many of
    those calls had estimated (not provider-reported) token counts. Groups are sorted by
    their key. Raises ValueError for an unknown column or format.
    """
    by = tuple(by)
    bad = [c for c in by if c not in GROUP_COLUMNS]
    if bad:
        raise ValueError(
            f"unknown column(s) {', '.join(bad)}; choose from {', '.join(GROUP_COLUMNS)}"
        )
    if fmt not in ("table", "json"):
        raise ValueError(f"unknown format {fmt!r}; use 'table' or 'json'")
    groups: dict[tuple[str | int, ...], dict[str, Any]] = {}
    total = _sums()
    for row in rows:
        key = tuple(_key_of(row, c) for c in by)
        _add(groups.setdefault(key, _sums()), row)
        _add(total, row)
    # Each column holds one type (hour is int, the rest str), so keys compare directly.
    ordered = sorted(groups.items(), key=lambda kv: kv[0])
    if fmt == "json":
        out = {
            "by": list(by),
            "groups": [dict(zip(by, key, strict=True)) | _rounded(s) for key, s in ordered],
            "total": _rounded(total),
        }
        return json.dumps(out, indent=2, sort_keys=False)
    return _table(by, ordered, total)


def _rounded(s: dict[str, Any]) -> dict[str, Any]:
    return s | {"cost_usd": round(float(s["cost_usd"]), 6)}


def _table(
    by: tuple[str, ...],
    ordered: list[tuple[tuple[str | int, ...], dict[str, Any]]],
    total: dict[str, Any],
) -> str:
    header = [*by, "prompt", "read", "completion", "total", "cost_usd", "calls", "estimated"]
    body: list[list[str]] = []

    def numbers(s: dict[str, Any]) -> list[str]:
        return [
            str(s["prompt_tokens"]),
            str(s["prompt_read"]),
            str(s["completion_tokens"]),
            str(s["prompt_tokens"] + s["completion_tokens"]),
            f"{s['cost_usd']:.4f}",
            str(s["calls"]),
            str(s["estimated"]),
        ]

    for key, s in ordered:
        body.append([str(k) for k in key] + numbers(s))
    total_row = (["TOTAL"] + [""] * (len(by) - 1) if by else []) + numbers(total)
    widths = [max(len(r[i]) for r in [header, *body, total_row]) for i in range(len(header))]
    n_keys = len(by)

    def fmt_row(cells: list[str]) -> str:
        out = [
            c.ljust(w) if i < n_keys else c.rjust(w)
            for i, (c, w) in enumerate(zip(cells, widths, strict=True))
        ]
        return "  ".join(out).rstrip()

    rule = "  ".join("-" * w for w in widths)
    lines = [fmt_row(header), rule, *(fmt_row(r) for r in body)]
    if body:
        lines.append(rule)
    lines.append(fmt_row(total_row))
    return "\n".join(lines)
