"""Grounding: every figure in the coach's answer checked against the figures the turn could
see (pure: standard library only). `figures` finds the figures in a text; `check` builds the
pool of what the turn saw and checks an answer against it (its docstring has the rules)."""

from coach.grounding.check import Figure, Grounding, check_answer, mark

__all__ = ["Figure", "Grounding", "check_answer", "mark"]
