"""Split mode: gateways (the doors) and the game (hub, DM, store) in separate processes,
talking over NATS. ``wire`` encodes, ``bus`` is the NATS client, ``gateway`` and ``game``
are the two ends. ``mud serve`` uses none of it."""
