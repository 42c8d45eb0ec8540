"""The text the model reads (the system prompt), installed as `coach.prompts`."""
