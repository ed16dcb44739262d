"""mud: a multi-user text world with an AI Dungeon Master, over telnet and SSH."""

__version__ = "0.1.0"
