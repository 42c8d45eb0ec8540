"""Exceptions whose message is a sentence the athlete can act on."""


class CoachError(Exception):
    """Base class: str(error) is shown to the user as is, so it must say what to do next."""


class SettingsError(CoachError):
    """A configuration value is invalid or refused."""


class ModelHostRefused(SettingsError):
    """The model server is not on this machine and remote models were not allowed."""


class ProposalError(CoachError):
    """A proposal cannot be confirmed, rejected or published in its current state."""
