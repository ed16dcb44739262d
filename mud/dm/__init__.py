"""The Dungeon Master: the actor, its queue, budget and cache, prompts and the provider chain."""
