"""Parsing and wording for the admin verbs (ban, unban, shutdown). Pure.

Called by the command handlers in ``mud.engine.commands`` and by the hub when it
enforces bans; nothing here touches the world, the clock or the network.
"""

from __future__ import annotations

import ipaddress
import re

_DURATION = re.compile(r"^(\d+(?:\.\d+)?)([smhdw])$")
_UNIT = {"s": 1.0, "m": 60.0, "h": 3600.0, "d": 86400.0, "w": 604800.0}
_UNIT_NAME = {"w": "week", "d": "day", "h": "hour", "m": "minute", "s": "second"}
PERMANENT = ("perm", "permanent", "forever")


def parse_duration(token: str) -> float | None:
    """Seconds for '30m', '2h', '7d', '1w', '45s' (None when ``token`` is not one).

    Raises ValueError for a zero or absurd (over ten years) duration.
    """
    match = _DURATION.match(token.strip().lower())
    if match is None:
        return None
    seconds = float(match.group(1)) * _UNIT[match.group(2)]
    if not 0 < seconds <= 10 * 365 * 86400:
        raise ValueError("A ban lasts from one second to ten years.")
    return seconds


def describe_duration(seconds: float) -> str:
    """'2 hours', '1 day', '90 seconds': the largest whole unit that fits."""
    for unit in ("w", "d", "h", "m", "s"):
        size = _UNIT[unit]
        if (seconds >= size and seconds % size == 0) or unit == "s":
            count = int(seconds // size) if unit != "s" else round(seconds)
            return f"{count} {_UNIT_NAME[unit]}{'s' if count != 1 else ''}"
    raise AssertionError("unreachable")


def describe_remaining(seconds: float) -> str:
    """'59 minutes', '2 days': whole units of the largest unit that fits (rounded down)."""
    for unit in ("w", "d", "h", "m"):
        count = int(seconds // _UNIT[unit])
        if count >= 1:
            return f"{count} {_UNIT_NAME[unit]}{'s' if count != 1 else ''}"
    count = max(1, int(seconds))
    return f"{count} second{'s' if count != 1 else ''}"


def ban_target(token: str) -> tuple[str, str]:
    """``('addr', network)`` for an IP address or CIDR network, ``('name', name_key)``
    for a player name. Raises ValueError for anything else."""
    text = token.strip()
    try:
        return "addr", str(ipaddress.ip_network(text, strict=False))
    except ValueError:
        pass
    if text.isascii() and text.isalpha() and 3 <= len(text) <= 16:
        return "name", text.lower()
    raise ValueError(f"'{text}' is neither a player name nor an IP address or network.")


def parse_ban(args: str) -> tuple[str, str, float | None, str]:
    """Parse ``<name or address> [duration | perm] [reason...]``.

    Returns (kind, value, seconds or None for until lifted, reason). Raises ValueError
    with a message for the admin.
    """
    parts = args.split(maxsplit=2)
    if not parts:
        raise ValueError("Usage: ban <name or address> [30m|2h|7d|perm] [reason]")
    kind, value = ban_target(parts[0])
    rest = parts[1:]
    seconds: float | None = None
    if rest and rest[0].lower() in PERMANENT:
        rest = rest[1:]
    elif rest:
        duration = parse_duration(rest[0])
        if duration is not None:
            seconds = duration
            rest = rest[1:]
    reason = " ".join(rest).strip()[:200] or "no reason given"
    return kind, value, seconds, reason


def address_matches(peer: str, network: str) -> bool:
    """Whether the connection address ``peer`` falls in the banned ``network``.

    A peer that is not an IP address (a test double, a Unix socket) matches only the
    exact same text.
    """
    try:
        return ipaddress.ip_address(peer) in ipaddress.ip_network(network, strict=False)
    except ValueError:
        return peer == network


def parse_minutes(args: str) -> float:
    """Minutes for ``shutdown [minutes]`` (0 when empty). Raises ValueError."""
    text = args.strip()
    if not text:
        return 0.0
    try:
        minutes = float(text)
    except ValueError:
        raise ValueError("Usage: shutdown [minutes] | shutdown cancel") from None
    if not 0 <= minutes <= 24 * 60:
        raise ValueError("A shutdown countdown is 0 to 1440 minutes.")
    return minutes


SHUTDOWN_WARNINGS = (1800.0, 900.0, 600.0, 300.0, 120.0, 60.0, 30.0, 10.0)
"""Seconds before a scheduled shutdown at which everyone is warned."""
