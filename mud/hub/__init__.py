"""The game actor and its collaborators.

``Hub`` (``mud.hub.actor``) is the one task that mutates the world and sends output;
the other modules of this package are its plain helpers, each with one job. Callers
outside the package import from here.
"""

from mud.hub.actor import Hub, HubSettings, login_gate, room_number

__all__ = ["Hub", "HubSettings", "login_gate", "room_number"]
