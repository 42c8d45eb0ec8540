"""Which language a text is written in, from its most common words (pure): the language the
coach answers in when it writes the request itself, and the one the eval checks answers in."""

from __future__ import annotations

import re

_COMMON = {
    "en": "the and you your is are to of in for it this that with was were have what how week",
    "es": "el la los las que y en tu tus es una para con por semana fue muy más pero tienes",
    "de": "der die das und du dein deine ist nicht mit für eine ein ich auf zu morgen woche",
    "fr": "le les et ton ta est une pour avec semaine vous des du pas tu",
    "it": "il gli che di per con una settimana sono non hai",
    "pt": "o os as que em para com uma semana você foi não",
}
COMMON_WORDS = {lang: frozenset(words.split()) for lang, words in _COMMON.items()}
NAMES = {"en": "English", "es": "Spanish", "de": "German", "fr": "French", "it": "Italian",
         "pt": "Portuguese"}


def word_counts(text: str) -> dict[str, int]:
    """How many of each language's common words the text holds."""
    words = re.findall(r"[^\W\d_]+", text.lower())
    return {lang: sum(w in common for w in words) for lang, common in COMMON_WORDS.items()}


def guess(text: str, default: str = "en") -> str:
    """The language whose common words the text holds most; `default` on a tie or none."""
    counts = word_counts(text)
    best = max(counts.values())
    leaders = [lang for lang, n in counts.items() if n == best]
    return leaders[0] if best and len(leaders) == 1 else default
