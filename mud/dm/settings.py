"""The Dungeon Master's tunables: queue limits, budgets, prices, streaming caps.

``DmSettings`` is a frozen value built once by ``mud.app`` (from the config file through
``DmSettings.from_mapping``) and handed to ``DmActor``. Every number has a default that
matches the product's stated defaults, so ``DmSettings()`` is a working configuration.

Invariants (checked by validators, so a bad config fails at start-up, not mid-game):
sizes and limits are positive, timeouts and windows are positive, prices are
non-negative, alert thresholds lie in (0, 1] and are sorted ascending.
"""

from __future__ import annotations

from collections.abc import Mapping
from types import MappingProxyType
from typing import Any

from attrs import field, fields, frozen
from attrs.validators import ge, gt, in_

from mud.core.narration import Priority

# Example list prices in US dollars per million tokens (input, output). They change;
# the server's config should state the prices it is actually billed. Unknown models
# (including local ones) cost nothing, but their tokens are still counted.
DEFAULT_PRICING: Mapping[str, tuple[float, float]] = MappingProxyType(
    {
        "gpt-4o-mini": (0.15, 0.60),
        "gpt-4o": (2.50, 10.00),
        "gpt-4.1-mini": (0.40, 1.60),
        "gpt-4.1-nano": (0.10, 0.40),
    }
)


def _freeze_pricing(value: Mapping[str, Any]) -> Mapping[str, tuple[float, float]]:
    """Copy a pricing table into a read-only mapping of (input, output) float pairs.

    Raises ValueError for a malformed or negative price so bad config fails early.
    """
    out: dict[str, tuple[float, float]] = {}
    for model, pair in value.items():
        try:
            inp, outp = (float(x) for x in pair)
        except (TypeError, ValueError) as exc:
            raise ValueError(f"pricing for {model!r} must be [input, output] $/M tokens") from exc
        if inp < 0 or outp < 0:
            raise ValueError(f"pricing for {model!r} must not be negative")
        out[str(model)] = (inp, outp)
    return MappingProxyType(out)


def _check_thresholds(_inst: object, _attr: object, value: tuple[float, ...]) -> None:
    if not value or any(not 0 < t <= 1 for t in value) or list(value) != sorted(value):
        raise ValueError("alert_thresholds must be ascending fractions in (0, 1]")


_pos_int = gt(0)
_pos = gt(0.0)


@frozen
class DmSettings:
    """Every DM tunable. Times are seconds; money is US dollars; tokens are tokens.

    Queue: ``*_size`` is how many requests of that priority may wait, ``*_timeout`` how
    long one may wait before it is answered offline or rejected, ``total_size`` caps
    all priorities together. ``dedupe_window``: the same actor repeating the same
    (normalised) text within it is coalesced. ``merge_max``/``merge_window``: up to that
    many simultaneous ``action`` requests of one room and priority, created within the
    window of each other, become one narration.
    """

    high_size: int = field(default=5, validator=_pos_int)
    high_timeout: float = field(default=3.0, validator=_pos)
    medium_size: int = field(default=3, validator=_pos_int)
    medium_timeout: float = field(default=10.0, validator=_pos)
    low_size: int = field(default=10, validator=_pos_int)
    low_timeout: float = field(default=5.0, validator=_pos)
    total_size: int = field(default=15, validator=_pos_int)
    dedupe_window: float = field(default=5.0, validator=ge(0.0))
    merge_max: int = field(default=4, validator=_pos_int)
    merge_window: float = field(default=2.0, validator=ge(0.0))
    max_concurrent: int = field(default=4, validator=_pos_int)

    # Streaming.
    thinking_after: float = field(default=1.0, validator=_pos)
    max_chars: int = field(default=1200, validator=_pos_int)
    max_tokens: int = field(default=220, validator=_pos_int)
    max_sentences: int = field(default=4, validator=_pos_int)  # the pack's "2-4 sentences"
    # Show a model's answer only once its words are about the scene; an answer that is
    # not goes unseen and the next tier answers (mud.dm.grounding).
    grounding: bool = True
    # Whose answers are shown a fit sentence at a time, the first unfit one ending them
    # (mud.dm.vetting): the "local" tier (the default), "all" or "off".
    vet: str = field(default="local", validator=in_(("off", "local", "all")))
    # The local model's context in tokens for the prompt budget; 0 = ask llama.cpp's
    # /props, else assume llama.cpp's default of 2,048.
    local_context_tokens: int = field(default=0, validator=ge(0))
    temperature: float = field(default=0.8, validator=ge(0.0))
    turn_timeout: float = field(default=60.0, validator=_pos)  # whole narration, all tiers
    post_timeout: float = field(default=5.0, validator=_pos)  # one message into the hub
    store_timeout: float = field(default=10.0, validator=_pos)  # one store call

    # Rates.
    provider_rpm: int = field(default=60, validator=_pos_int)
    actor_per_min: int = field(default=20, validator=_pos_int)
    room_per_min: int = field(default=40, validator=_pos_int)

    # Budgets.
    actor_token_limit: int = field(default=100_000, validator=_pos_int)
    daily_budget_usd: float = field(default=1.00, validator=ge(0.0))
    actor_daily_usd: float = field(default=0.25, validator=ge(0.0))
    alert_thresholds: tuple[float, ...] = field(
        default=(0.5, 0.8, 1.0), converter=tuple, validator=_check_thresholds
    )
    pricing: Mapping[str, tuple[float, float]] = field(
        default=DEFAULT_PRICING, converter=_freeze_pricing, hash=False
    )
    offline_provider: str = "offline"  # the chain's label for the offline narrator

    # Cache.
    cache_ttl: float = field(default=300.0, validator=_pos)
    cache_size: int = field(default=256, validator=_pos_int)

    # Prompt and history.
    history_exchanges: int = field(default=20, validator=_pos_int)
    history_keep: int = field(default=40, validator=_pos_int)
    summary_every: int = field(default=10, validator=_pos_int)
    summary_chars: int = field(default=800, validator=_pos_int)
    player_text_cap: int = field(default=300, validator=_pos_int)

    def size_for(self, priority: Priority) -> int:
        """How many requests of ``priority`` may wait at once."""
        return (self.high_size, self.medium_size, self.low_size)[int(priority)]

    def timeout_for(self, priority: Priority) -> float:
        """How long a request of ``priority`` may wait in the queue."""
        return (self.high_timeout, self.medium_timeout, self.low_timeout)[int(priority)]

    @classmethod
    def from_mapping(cls, data: Mapping[str, Any]) -> DmSettings:
        """Build settings from a config mapping (for ``mud.app``).

        Unknown keys raise ValueError naming them (a typo must not silently fall back to
        a default); bad values raise ValueError or TypeError from the validators.
        """
        known = {a.name for a in fields(cls)}
        unknown = sorted(set(data) - known)
        if unknown:
            raise ValueError(f"unknown DM setting(s): {', '.join(unknown)}")
        return cls(**dict(data))
