"""Model providers for the Dungeon Master.

``base`` defines the Provider protocol and its value types; ``openai`` talks to any
OpenAI-compatible server through the official SDK; ``offline`` is the template narrator
that needs no network and always answers.
"""
