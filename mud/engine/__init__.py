"""The pure game engine: dice, ability checks, combat math (and, later, parser and commands).

Nothing in this package awaits, touches files or sockets, or reads the system clock or
``random``: an ``Rng`` (``mud.core.rng``) and a ``Clock`` (``mud.core.clock``) are passed
in, and every roll is returned as a ``mud.engine.dice.RollResult`` so the caller can log
it for replay.
"""
