"""Carbohydrate per hour for a session and for race day, pure, from the sports-nutrition
consensus ranges by duration:

- Thomas DT, Erdman KA, Burke LM. Nutrition and Athletic Performance. Joint position statement
  of the American College of Sports Medicine, the Academy of Nutrition and Dietetics and
  Dietitians of Canada. Med Sci Sports Exerc 2016;48(3):543-568,
  doi:10.1249/MSS.0000000000000852. During exercise: under 45 min not needed; 45-75 min of
  sustained hard work, small amounts or a mouth rinse; 1-2.5 h, 30-60 g/h; over 2.5-3 h, up
  to 90 g/h.
- Jeukendrup A. A step towards personalized sports nutrition: carbohydrate intake during
  exercise. Sports Med 2014;44(Suppl 1):S25-S33, doi:10.1007/s40279-014-0148-z. Intakes above
  about 60 g/h need multiple transportable carbohydrates (glucose with fructose); the advice
  may be adjusted downward when the intensity is low, so an easy session takes the low end of
  its range and one with a long time at or above threshold the high end.

The target is a whole number of grams an hour, the type of the event's `carbs_per_hour`
(`EventEx.carbs_per_hour`, integer int32, in Intervals.icu's OpenAPI document)."""

from __future__ import annotations

from dataclasses import dataclass

FUEL_SOURCE = "Thomas, Erdman & Burke 2016, ACSM/AND/DC joint position statement; Jeukendrup 2014"
# (shortest minutes, longest minutes, low g/h, high g/h, the consensus in words)
BANDS = (
    (0, 45, 0, 0, "under 45 min carbohydrate is not needed"),
    (45, 60, 0, 0, "for 45-75 min of hard work a mouth rinse or small amounts are enough"),
    (60, 150, 30, 60, "1-2.5 h: 30-60 g/h"),
    (150, 24 * 60, 60, 90, "over 2.5 h: up to 90 g/h"),
)
TARGET_AFTER = 90          # minutes: longer sessions always get a target
LONG_AT_THRESHOLD = 20     # minutes at or above threshold that make an hour's session hard
HARD_AT_THRESHOLD = 40     # minutes at or above threshold that take the top of the range
STEP = 5                   # targets in whole 5 g
MULTIPLE_SOURCES_ABOVE = 60  # g/h: more needs glucose with fructose (Jeukendrup 2014)
MOST_CARBS = 150        # g/h an athlete may set: above what any gut is trained to take


@dataclass(frozen=True)
class Fuelling:
    """A session's carbohydrate target in g/h (None: no target) with its range and source."""

    carbs_per_hour: int | None
    low: int
    high: int
    text: str


def carb_band(minutes: float) -> tuple[int, int, str]:
    """The consensus range (low g/h, high g/h, its words) for a session of `minutes`."""
    for shortest, longest, low, high, words in BANDS:
        if shortest <= minutes < longest:
            return low, high, words
    return BANDS[-1][2], BANDS[-1][3], BANDS[-1][4]


def session_fuel(minutes: float, at_threshold: float = 0.0) -> Fuelling:
    """The g/h target for `minutes` with `at_threshold` minutes at or above threshold, if any."""
    # Sessions over 90 min get one, and those of an hour or more with 20 min at threshold.
    low, high, words = carb_band(minutes)
    if not high:
        return Fuelling(None, low, high, f"No carbohydrate target: {words} ({FUEL_SOURCE}).")
    if minutes <= TARGET_AFTER and at_threshold < LONG_AT_THRESHOLD:
        return Fuelling(None, low, high, f"No carbohydrate target for an easy session of "
                                         f"{_length(minutes)} ({FUEL_SOURCE}).")
    share = min(at_threshold / HARD_AT_THRESHOLD, 1.0)
    grams = int(STEP * round((low + share * (high - low)) / STEP))
    return Fuelling(grams, low, high, f"{grams} g carbohydrate per hour ({words}, "
                                      f"{_why(share)}{_sources(grams)}; {FUEL_SOURCE}).")


def race_fuel(minutes: float, name: str = "the race") -> str:
    """The race-day fuelling line: the top of the range for the race's duration."""
    low, high, words = carb_band(minutes)
    if not high:
        return (f"Race day, {name} ({_length(minutes)}): {words}; have a carbohydrate meal "
                f"beforehand ({FUEL_SOURCE}).")
    return (f"Race day, {name} ({_length(minutes)}): {high} g carbohydrate per hour from the "
            f"start ({words}{_sources(high)}), only as practised in training ({FUEL_SOURCE}).")


def _why(share: float) -> str:
    if share >= 1:
        return "the top of the range for a long time at threshold"
    return "the low end for an easy session" if share == 0 else "higher for the time at threshold"


def _sources(grams: int) -> str:
    return "; mix glucose and fructose" if grams > MULTIPLE_SOURCES_ABOVE else ""


def _length(minutes: float) -> str:
    hours, rest = divmod(round(minutes), 60)
    return f"{hours}h{rest:02d}" if hours else f"{rest} min"
