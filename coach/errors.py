"""Exceptions whose message is a sentence the athlete can act on."""


class CoachError(Exception):
    """Base class: str(error) is shown to the user as is, so it must say what to do next."""


class SettingsError(CoachError):
    """A configuration value is invalid or refused."""


class ModelHostRefused(SettingsError):
    """The model server is not on this machine and remote models were not allowed."""


class ProposalError(CoachError):
    """A proposal cannot be confirmed, rejected or published in its current state."""


class StoreError(CoachError):
    """The local database cannot be used (locked, read-only, full disk, damaged)."""


# --- Intervals.icu (raised by the client and by the demo calendar, which behaves like it) ---

class IntervalsError(CoachError):
    """Intervals.icu could not do what was asked."""

    status: int | None = None


class IntervalsAuthError(IntervalsError):
    """The API key was refused."""


class IntervalsNotFound(IntervalsError):
    """The athlete or item does not exist."""


class IntervalsValidationError(IntervalsError):
    """Intervals.icu rejected the data we sent."""


class IntervalsUnavailable(IntervalsError):
    """Intervals.icu did not answer in time, or answered with a server error."""


class IntervalsBadResponse(IntervalsError):
    """Intervals.icu answered with something that is not the expected JSON."""


# --- the model ---

class ModelUnavailable(CoachError):
    """The model server or model cannot be used; the message says how to fix it."""


class ModelError(CoachError):
    """The model failed while answering; trying again may work."""


class ModelStopped(CoachError):
    """The athlete stopped the answer."""
