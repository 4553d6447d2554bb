"""Tone: how strongly a text evaluates something, from VADER (vaderSentiment).

VADER is a sentiment lexicon of about 7,500 words and emoticons rated by people, with rules for
negation ("not good"), intensifiers ("very"), capitals and exclamation marks, built for social
media text. It beats a hand-written list of opinion words because it covers the long tail of
evaluative vocabulary ("would be a disaster", "a national embarrassment", "brilliant") that no
stance lexicon anticipates. It runs offline and fast (about 15 microseconds a post), and is
only consulted for posts that already have political or work context.

The detectors use tone as one signal among others, never alone: a named politician with strong
tone reads as taking a side; government or policy with negative tone reads as commentary.
:func:`tone_words` returns the words that carried the tone, so every finding can show them.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

from vaderSentiment.vaderSentiment import SentimentIntensityAnalyzer

from auditor.detect.language import loanword_spans

#: |compound| at or above which a text counts as clearly evaluative
STRONG = 0.3
#: a word's own valence (VADER's -4..4 scale) at or above which it is shown as evidence
WORD = 1.5

_WORD = re.compile(r"[A-Za-z][A-Za-z'-]*")


@dataclass(frozen=True)
class Tone:
    """VADER's compound score (-1..1) and the evaluative words with their positions."""

    compound: float
    words: tuple[tuple[int, int, str, float], ...]

    @property
    def strong(self) -> bool:
        """Clearly positive or negative."""
        return abs(self.compound) >= STRONG

    @property
    def negative(self) -> bool:
        """Clearly negative."""
        return self.compound <= -STRONG


@lru_cache(maxsize=1)
def _analyzer() -> SentimentIntensityAnalyzer:
    return SentimentIntensityAnalyzer()


@lru_cache(maxsize=4)
def tone(text: str, names: tuple[tuple[int, int], ...] = ()) -> Tone:
    """Score ``text`` (long texts are scored on their first 5,000 characters); ``names``: spans
    of names that are not sentiment words ("the Green Party" is no "party", "Chris Hope" no hope).

    The political and grievance detectors may both ask about the same post; the tiny cache
    answers the second from the first without reusing scores across posts (so the benchmark's
    repeated synthetic texts do not flatter it).
    """
    text = text[:5000]
    for start, end in [*loanword_spans(text), *names]:  # te reo Māori words are not English sentiment words
        text = text[:start] + " " * (end - start) + text[end:]
    a = _analyzer()
    compound = a.polarity_scores(text)["compound"]
    words = []
    for m in _WORD.finditer(text):
        v = a.lexicon.get(m.group().lower())
        if v is not None and abs(v) >= WORD:
            words.append((m.start(), m.end(), m.group(), v))
    return Tone(compound, tuple(words))
