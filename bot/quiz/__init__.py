"""Quiz rounds: the question bank, the game state machine, scoring and packs (no platform imports)."""
