"""Linear text classifiers learned from labelled public text written by other people.

Each shipped model (``auditor/detect/models/<task>_<lang>.npz``) is built by
``training/build_models.py`` from the sources listed in ``training/SOURCES.md``; the manifest
beside the models records each file's checksum, its training sources and its measured figures.

A model is logistic regression over TF-IDF features (binary term frequency, L2-normalised):
lower-cased word unigrams and bigrams (a hashtag counts as itself and as the words it runs
together, see :mod:`auditor.detect.segment`), plus a few lexicon-role features (a party, a
politician, a political hashtag or a call to vote from the active policy pack was named). Inference needs
numpy only, and every score decomposes exactly into per-feature contributions, so a finding can
say which words pushed it over the threshold and by how much.
"""

from __future__ import annotations

import json
import math
import re
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from functools import lru_cache, partial
from pathlib import Path

import numpy as np

from auditor.detect.language import Language, identify, loanword_spans
from auditor.detect.lexicon import fold
from auditor.detect.segment import split
from auditor.textutil import host_of, link_words

MODELS_DIR = Path(__file__).resolve().parent / "models"
MANIFEST = MODELS_DIR / "manifest.json"
#: Bumped whenever :func:`features` changes; a model built for another version is refused.
FEATURE_VERSION = 5
TASKS = ("political", "disrespect", "grievance")
#: Tasks asked only of a post another task's model found: ``partisan`` (of the political posts,
#: those that take a side for or against a party or politician). Their models are not in the
#: table every post is looked up in, so they cost nothing for the posts they are not asked of.
KIND_TASKS = {"partisan": "political"}

#: Lexicon groups whose hits become features ("@party"): names of parties and politicians are
#: specific to a jurisdiction, so the model learns what naming one means, not the names.
LEXICON_FEATURES = {
    "political.party": "@party",
    "political.party_ambiguous": "@party",
    "political.politician": "@politician",
    "political.hashtag": "@hashtag",
    "political.vote_call": "@vote_call",
    "political.party_vote": "@vote_call",
    "political.fundraising": "@fundraising",
}
_LEXICON_LABEL = {"@party": "names a party", "@politician": "names a politician",
                  "@hashtag": "political hashtag", "@vote_call": "call to vote",
                  "@fundraising": "fundraising"}

_TOKEN = re.compile(
    r"https?://\S+|www\.\S+"           # a link
    r"|rt @\w+"                         # X's retweet marker and whose post it is ("RT @nzherald:")
    r"|@\w+"                            # a handle
    r"|#\w+"                            # a hashtag: its words count
    r"|\d[\d.,:]*"                       # a number
    r"|[^\W\d_]+(?:'[^\W\d_]+)*"   # a word (letters, inner apostrophes: fold writes "’" as "'")
)
#: Links, retweet markers and handles (see :func:`_hashtag` for why they give no feature). "RT"
#: says a post is someone else's, not what it is about, and corpora of tweets hold it unevenly:
#: read as a word it made the German model call retweets political and the English disrespect
#: model lean towards calling them abuse.
_NOT_WORDS = ("http://", "https://", "www.", "rt @", "@")
_LINK_START = ("http://", "https://", "www.")
#: Longest text read: a pathological 20 MB field must not make detection slow.
MAX_CHARS = 5_000
#: Hashtags give their words as well as themselves (training/experiments/segment_tags.py sets
#: it False to measure the features without).
SPLIT_HASHTAGS = True
#: The languages whose hashtags are split into words: the word list that splits them
#: (words_en.txt) is English, and an English word list never reads another language ("#GPN12"
#: gave the German model a piece "n"). A hashtag in another language is one feature, itself.
SPLIT_LANGS = frozenset({"en"})
#: Links give the words of their path's slugs ("nytimes.com/2025/03/29/world/us-ukraine-war"
#: gives "us", "ukraine", "war" and their bigrams; see :func:`_link`) in :data:`LINK_LANGS` only:
#: measured on English posts (training/experiments/link_words.py, which sets LINK_WORDS False to
#: measure the features without); the other languages' models read links as before, as nothing.
LINK_WORDS = True
LINK_LANGS = frozenset({"en"})
_LETTERS = re.compile(r"[^\W\d_]+")


@lru_cache(maxsize=65_536)
def _hashtag(raw: str, split_words: bool = True) -> tuple[str | None, tuple[str, ...]]:
    """What a (folded) hashtag gives: itself as a feature of its own when it splits into several
    words (else None), and the words that join the chain of bigrams ("#voteremain" gives
    "voteremain", then "vote", "remain" and "vote remain"; "#nzpol" gives "nzpol", "nz", "pol";
    "#brexit" gives "brexit"; see :mod:`auditor.detect.segment`). Links, handles and numbers give
    no feature: they say more about where a corpus came from (headlines carry links, one
    corpus masks handles) than about the post, and they break the chain."""
    whole = raw[1:].replace("_", "")
    if not whole:
        return None, ()  # "#_"
    parts = split(whole) if SPLIT_HASHTAGS and split_words else ()
    if not parts or parts == (whole,):
        return None, (whole,)
    return whole, parts


def features(text: str, lexicon_roles: Iterable[str] = (), masked: Sequence[tuple[int, int]] = (),
             lang: str = "en") -> list[str]:
    """The distinct features of ``text`` for ``lang``'s models: word unigrams, bigrams and lexicon
    features, in order (hashtags are split into words in :data:`SPLIT_LANGS` only).

    Words inside a ``masked`` span (the lexicon's suppressing phrases: "liberal amount",
    "Labour Weekend") give no feature. The training script calls this same function, so
    training and inference agree exactly.
    """
    return list(_features(text, lexicon_roles, masked, None, lang))


def _features(text: str, lexicon_roles: Iterable[str], masked: Sequence[tuple[int, int]],
              table: dict[str, tuple[float, ...]] | None, lang: str = "en") -> dict:
    """Feature → None for :func:`features`; with a ``table``, feature → its row for the features
    the table holds (the others are not kept: this loop runs for every word of every post)."""
    split_words = lang in SPLIT_LANGS
    links = LINK_WORDS and lang in LINK_LANGS
    if masked:
        text = _blank(text[:MAX_CHARS], masked)
    out: dict = {}
    get = table.get if table is not None else None
    prev = None
    for raw in _TOKEN.findall(fold(text[:MAX_CHARS])):
        first = raw[0]
        if first == "#":
            whole, parts = _hashtag(raw, split_words)
            if not parts:
                prev = None
                continue
            if whole is not None:
                if get is None:
                    out[whole] = None
                elif (row := get(whole)) is not None:
                    out[whole] = row
            if len(parts) > 1:
                prev = _chain(out, get, prev, parts[:-1])
            tok = parts[-1]
        elif first.isdigit() or raw.startswith(_NOT_WORDS):
            # a link gives its slugs' words, chained among themselves only
            if links and first in "hw" and (parts := _link(raw)):
                _chain(out, get, None, parts)
            prev = None
            continue
        else:
            tok = raw
        if get is None:
            out[tok] = None
            if prev is not None:
                out[prev + " " + tok] = None
        else:
            row = get(tok)
            if row is not None:
                out[tok] = row
            if prev is not None:
                bigram = prev + " " + tok
                row = get(bigram)
                if row is not None:
                    out[bigram] = row
        prev = tok
    for role in lexicon_roles:
        name = LEXICON_FEATURES.get(role)
        if name:
            if get is None:
                out[name] = None
            elif (row := get(name)) is not None:
                out[name] = row
    return out


@lru_cache(maxsize=65_536)
def _link(raw: str) -> tuple[str, ...]:
    """The words of a (folded) link's slugs (:func:`auditor.textutil.link_words`: path segments
    joined by "-" or "_", so "t.co/rssjgwxyvi" and "/status/123" give none), letters only.
    They join the features as the post's own words do: a link to "us-ukraine-military-war" says
    what the post is about as its words would."""
    if "-" not in raw and "_" not in raw:
        return ()  # no slug: most links ("t.co/x7Yq2"), read without parsing
    return tuple(_LETTERS.findall(link_words(_with_scheme(raw))))


def _with_scheme(url: str) -> str:
    """A link as written ("www.x.nz/a-b" has none) with a scheme, so urllib reads its host."""
    return url if url[:4].lower() == "http" else "http://" + url


def _link_tag(url: str) -> str:
    """Where a link's words come from, for an explanation: "the link to nytimes.com"."""
    host = host_of(_with_scheme(url))[1].removeprefix("www.")
    return f"the link to {host}" if host else "the link"


def _chain(out: dict, get, prev: str | None, toks: Sequence[str]) -> str | None:
    """:func:`_features`' loop body for the first words of a split hashtag: each word and its
    bigram with the one before; returns the last word."""
    for tok in toks:
        if get is None:
            out[tok] = None
            if prev is not None:
                out[prev + " " + tok] = None
        else:
            if (row := get(tok)) is not None:
                out[tok] = row
            if prev is not None and (row := get(prev + " " + tok)) is not None:
                out[prev + " " + tok] = row
        prev = tok
    return prev


def _blank(text: str, spans: Sequence[tuple[int, int]]) -> str:
    """``text`` with each span replaced by " 0  ...": a masked token (no feature, and no bigram
    across it) padded to keep every position."""
    chars = list(text)
    for a, b in spans:
        b = min(b, len(chars))
        if a < b:
            chars[a:b] = (" 0" + " " * (b - a))[: b - a]
    return "".join(chars)


def feature_spans(text: str, masked: Sequence[tuple[int, int]] = (),
                  tags: dict[str, str] | None = None, lang: str = "en") -> dict[str, tuple[int, int]]:
    """Feature → (start, end) of its first occurrence in ``text``, for explanations. Lexicon
    features have no span of their own. Same tokens as :func:`features`.

    ``tags``, when given, is filled with feature → the hashtag(s) its words were split out of,
    for a feature whose first occurrence is among a split hashtag's words ("pol" → "#nzpol"),
    or the link they were read from ("ukraine" → "the link to nytimes.com"), so an explanation
    can say where the word comes from."""
    if masked:
        text = _blank(text[:MAX_CHARS], masked)
    out: dict[str, tuple[int, int]] = {}
    prev = None
    links = LINK_WORDS and lang in LINK_LANGS
    for m in _TOKEN.finditer(fold(text[:MAX_CHARS])):
        raw = m.group()
        first = raw[0]
        tag = ""
        link = first in "hw" and raw.startswith(_LINK_START)
        if first == "#":
            whole, toks = _hashtag(raw, lang in SPLIT_LANGS)
            if not toks:
                prev = None
                continue
            if whole is not None:
                out.setdefault(whole, m.span())
                tag = text[m.start():m.end()] if tags is not None else ""
        elif link:
            toks = _link(raw) if links else ()
            prev = None
            if not toks:
                continue
            tag = _link_tag(text[m.start():m.end()]) if tags is not None else ""
        elif first.isdigit() or raw.startswith(_NOT_WORDS):
            prev = None
            continue
        else:
            toks = (raw,)
        where = _in_link(raw, toks, m.start()) if link else None
        for i, tok in enumerate(toks):
            start, end = where[i] if where else m.span()
            if tok not in out:
                out[tok] = (start, end)
                if tag:
                    tags[tok] = tag
            if prev is not None:
                bigram = prev[0] + " " + tok
                if bigram not in out:
                    out[bigram] = (prev[1], end)
                    both = " ".join(dict.fromkeys(t for t in (prev[2], tag) if t))
                    if both:
                        tags[bigram] = both
            prev = (tok, start, tag)
        if link:
            prev = None  # no bigram across a link's end
    return out


def _in_link(raw: str, toks: Sequence[str], offset: int) -> list[tuple[int, int]]:
    """Where each of a link's words is written in it (``raw``, the folded link, starts at
    ``offset`` in the text), so an explanation marks "greens" in ".../greens-launch-..."; the
    whole link for a word not written as it is read (percent-encoded)."""
    out = []
    at = raw.find("/", raw.find("//") + 2 if "//" in raw else 0)
    for tok in toks:
        i = raw.find(tok, at) if at >= 0 else -1
        if i < 0:
            out.append((offset, offset + len(raw)))
        else:
            out.append((offset + i, offset + i + len(tok)))
            at = i + len(tok)
    return out


def gate_open(gate: Iterable[str], groups: Iterable[str]) -> bool:
    """Whether a post with hits of these lexicon ``groups`` passes a model's ``gate``: one of its
    entries is met, an entry being a group ("disrespect.insult") or groups joined by "+" that
    must all be there ("disrespect.profanity+disrespect.target": a swear word aimed at someone).
    An empty gate is always open."""
    gate = tuple(gate)
    if not gate:
        return True
    have = set(groups)
    return any(all(part in have for part in entry.split("+")) for entry in gate)


@dataclass(frozen=True, slots=True)
class Contribution:
    """One feature's share of a score: the words (or lexicon signal) and how much they added."""

    feature: str
    start: int
    end: int
    weight: float
    #: the hashtag or link the feature's words come from, when they are not written apart in the
    #: post ("#nzpol" for "pol", "the link to nytimes.com" for "ukraine"); empty otherwise
    tag: str = ""

    @property
    def label(self) -> str:
        """How the report names the feature: 'pol (in #nzpol)' for a word of a hashtag."""
        if self.tag:
            return f"{self.feature} (in {self.tag})"
        return _LEXICON_LABEL.get(self.feature, self.feature)


class Prediction:
    """A model's verdict on one text.

    :param gate: lexicon groups one of which must also be in the post for a finding (empty:
        none needed); the threshold was chosen with this gate applied (see the manifest)
    :param words: with the semantic mode: the word model's own probability (None without it)
    :param sentence: with the semantic mode: the sentence model's probability, which
        ``probability`` blends with ``words`` (None without it)
    :param review: the "posts to skim" threshold: a post scored from it up to ``threshold`` is
        listed for the person to read, not reported (None: the model lists none)

    :attr:`contributions` are worked out when first read, from the text the prediction keeps a
    reference to (``explain``): most posts are never explained, and working out which words
    pushed a score up takes as long again as the score. A pickled prediction carries them
    worked out. A plain class with slots: a post makes three of these, and a frozen dataclass's
    constructor costs three times as much.
    """

    __slots__ = ("task", "lang", "probability", "threshold", "_contributions", "gate", "words", "sentence", "review",
                 "_explain", "_kinds")

    def __init__(self, task: str, lang: str, probability: float, threshold: float,
                 contributions: tuple[Contribution, ...] | None = (), gate: tuple[str, ...] = (),
                 words: float | None = None, sentence: float | None = None, review: float | None = None,
                 explain: Callable[[], tuple[Contribution, ...]] | None = None,
                 kinds: dict[str, Prediction] | Callable[[], dict[str, Prediction]] | None = None):
        self.task = task
        self.lang = lang
        self.probability = probability
        self.threshold = threshold
        self._contributions = contributions if explain is None else None
        self.gate = gate
        self.words = words
        self.sentence = sentence
        self.review = review
        self._explain = explain
        self._kinds = kinds

    @property
    def kinds(self) -> dict[str, Prediction]:
        """The kind models' predictions for the same text (:data:`KIND_TASKS`: ``partisan`` for
        a political prediction), worked out when first read; empty when there is no kind model
        for the language or the prediction reached neither threshold."""
        if callable(self._kinds):
            self._kinds = self._kinds()
        return self._kinds or {}

    @property
    def contributions(self) -> tuple[Contribution, ...]:
        """The features that pushed the score up most (at most six, largest first)."""
        if self._contributions is None:
            self._contributions = self._explain() if self._explain is not None else ()
            self._explain = None
        return self._contributions

    def replace(self, **changes) -> Prediction:
        """A copy with ``changes`` (the semantic mode's blend); explained the same way."""
        fields = {k: getattr(self, k) for k in ("task", "lang", "probability", "threshold", "gate", "words",
                                                 "sentence", "review")}
        fields.update(changes)
        return Prediction(**fields, contributions=self._contributions or (), explain=self._explain,
                          kinds=self._kinds)

    def __reduce__(self):
        return (Prediction, (self.task, self.lang, self.probability, self.threshold, self.contributions, self.gate,
                             self.words, self.sentence, self.review, None,
                             # the kinds as far as they were worked out: a post's detectors read
                             # them before its predictions travel (a post to skim never needs them)
                             self._kinds if isinstance(self._kinds, dict) else None))

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, Prediction):
            return NotImplemented
        return self.__reduce__()[1][:9] == other.__reduce__()[1][:9]

    __hash__ = None  # type: ignore[assignment]

    def __repr__(self) -> str:
        return (f"Prediction(task={self.task!r}, lang={self.lang!r}, probability={self.probability!r}, "
                f"threshold={self.threshold!r}, review={self.review!r})")

    def gate_open(self, groups: Iterable[str]) -> bool:
        """True when the post holds a hit of one of :attr:`gate`'s groups (or there is no gate);
        see :func:`gate_open`."""
        return gate_open(self.gate, groups)

    @property
    def positive(self) -> bool:
        """True when the probability reaches the model's threshold."""
        return self.probability >= self.threshold

    @property
    def to_skim(self) -> bool:
        """True when the probability is under the threshold but reaches :attr:`review`."""
        return self.review is not None and self.review <= self.probability < self.threshold

    def because(self, limit: int = 4) -> str:
        """'"election" (+0.61), "tax cuts" (+0.40)': the features that pushed the score up most."""
        parts = [f'"{c.label}" (+{c.weight:.2f})' for c in self.contributions[:limit]]
        return ", ".join(parts) if parts else "the post as a whole"


@dataclass(frozen=True)
class LanguageModels:
    """Every task's model for one language, sharing one table so a post is looked up once.

    ``table[feature]`` holds, for each of the ``M`` models, the feature's weight times its IDF
    (``M`` values), then its squared IDF (``M`` values; 0 where a model does not know the
    feature). A post's L2-normalised TF-IDF score for model ``m`` is then
    ``sum(wi_m) / sqrt(sum(idf2_m)) + bias_m``. Plain tuples in a dict: for the forty-odd
    features of a post, Python arithmetic beats numpy's per-call overhead several times over.
    """

    lang: str
    tasks: tuple[str, ...]
    table: dict[str, tuple[float, ...]]
    bias: tuple[float, ...]
    thresholds: tuple[float, ...]
    gates: tuple[tuple[str, ...], ...] = ()
    #: each task's "posts to skim" threshold (None: no list)
    reviews: tuple[float | None, ...] = ()
    #: :meth:`_limits`' answers, by the thresholds they were worked out for
    _resolved: dict = field(default_factory=dict, compare=False, repr=False)
    #: the kind models of this language (:data:`KIND_TASKS`), asked of a post only when the task
    #: they qualify reaches its threshold or its list's
    kind: LanguageModels | None = None

    def predict(self, text: str, lexicon_roles: Iterable[str] = (),
                thresholds: dict[str, float] | None = None,
                masked: Sequence[tuple[int, int]] = (),
                kind_roles: Iterable[str] | None = None) -> dict[str, Prediction]:
        """Every task's prediction for ``text``. A prediction at or over its threshold, or its
        list's, explains itself (its contributions are worked out when first read).

        ``kind_roles``: the lexicon roles the kind models read, when not all of ``lexicon_roles``
        (:func:`auditor.detect.scan.judge_post` gives those of the post's own words only)."""
        roles = tuple(lexicon_roles)
        found = _features(text, roles, masked, self.table, self.lang)
        return self._predictions(found, text, roles, thresholds, masked,
                                 None if kind_roles is None else tuple(kind_roles))

    def predict_features(self, features: Sequence[str], text: str, roles: tuple[str, ...],
                         thresholds: dict[str, float] | None, masked: Sequence[tuple[int, int]]) -> dict[str, Prediction]:
        """:meth:`predict` from the ``features`` another table found in ``text`` (a kind model's,
        from the features the main table found: that table holds every feature of its kind
        models, so the text is not read again). The same predictions as :meth:`predict`'s."""
        found = {f: row for f in features if (row := self.table.get(f)) is not None}
        return self._predictions(found, text, roles, thresholds, masked)

    def _predictions(self, found: dict[str, tuple[float, ...]], text: str, roles: tuple[str, ...],
                     thresholds: dict[str, float] | None, masked: Sequence[tuple[int, int]],
                     kind_roles: tuple[str, ...] | None = None) -> dict[str, Prediction]:
        """Each task's prediction from the table rows of the features ``found`` in ``text``."""
        m_count = len(self.tasks)
        sums = list(map(sum, zip(*found.values(), strict=True))) if found else [0.0] * (2 * m_count)
        out: dict[str, Prediction] = {}
        for m, (task, bias, threshold, review, gate) in enumerate(self._limits(thresholds)):
            score = sums[m] / (math.sqrt(sums[m_count + m]) or 1.0) + bias
            p = 1.0 / (1.0 + math.exp(-score)) if score > -700 else 0.0
            explain = kinds = None
            if p >= threshold or (review is not None and p >= review):
                explain = partial(self._explain, text, roles, masked, m)
                if self.kind is not None and task in self.kind.asked_of:
                    own = roles if kind_roles is None else kind_roles
                    kinds = partial(self.kind.predict_features, _only_roles(found, roles, own), text, own,
                                    thresholds, masked)
            out[task] = Prediction(task, self.lang, round(p, 4), threshold, (), gate, None, None, review, explain, kinds)
        return out

    @property
    def asked_of(self) -> set[str]:
        """The tasks whose predictions these (kind) models qualify."""
        return {KIND_TASKS[t] for t in self.tasks if t in KIND_TASKS}

    def _limits(self, thresholds: dict[str, float] | None) -> list[tuple]:
        """(task, bias, threshold, review threshold, gate) of each model, the policy pack's
        ``thresholds`` applied: worked out once for each set of thresholds, not for each post."""
        key = tuple(thresholds.items()) if thresholds else ()
        got = self._resolved.get(key)
        if got is None:
            got = []
            for m, task in enumerate(self.tasks):
                threshold = self.thresholds[m]
                review = self.reviews[m] if self.reviews else None
                if thresholds:
                    # "political@en": a threshold for one language's model only (the semantic mode
                    # runs the English word model at its floor, and no other language's)
                    threshold = thresholds.get(f"{task}@{self.lang}", thresholds.get(task, threshold))
                    review = thresholds.get(f"{task}_review@{self.lang}", thresholds.get(task + "_review", review))
                got.append((task, self.bias[m], threshold, review, self.gates[m] if self.gates else ()))
            if len(self._resolved) > 64:  # a caller making up thresholds for each post
                self._resolved.clear()
            self._resolved[key] = got
        return got

    def _explain(self, text: str, roles: tuple[str, ...], masked: Sequence[tuple[int, int]],
                 m: int) -> tuple[Contribution, ...]:
        """The six features of ``text`` that pushed model ``m``'s score up most, with where they are."""
        found = _features(text, roles, masked, self.table, self.lang)
        m_count = len(self.tasks)
        norm = math.sqrt(sum(row[m_count + m] for row in found.values())) or 1.0
        ranked = sorted(((row[m] / norm, f) for f, row in found.items() if row[m] / norm > 0.02), reverse=True)
        if not ranked:
            return ()
        tags: dict[str, str] = {}
        spans = feature_spans(text, masked, tags, self.lang)
        return tuple(Contribution(f, *spans.get(f, (-1, -1)), round(w, 3), tags.get(f, "")) for w, f in ranked[:6])


def _only_roles(found: dict, roles: tuple[str, ...], keep: tuple[str, ...]) -> tuple[str, ...]:
    """The features ``found`` without the lexicon features that only roles outside ``keep`` gave."""
    drop = {LEXICON_FEATURES.get(r) for r in roles} - {LEXICON_FEATURES.get(r) for r in keep}
    return tuple(f for f in found if f not in drop)


def _read_model(path: Path) -> dict:
    with np.load(path, allow_pickle=False) as z:
        feats = bytes(z["features"]).decode("utf-8").split("\n")
        return {"features": feats, "weights": z["weights"].astype(np.float64),
                "idf": z["idf"].astype(np.float64), "params": z["params"].astype(np.float64),
                "meta": json.loads(bytes(z["meta"]).decode("utf-8"))}


@lru_cache(maxsize=1)
def manifest() -> dict:
    """The manifest the training script wrote (file names, checksums, sources, figures)."""
    try:
        return json.loads(MANIFEST.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {"feature_version": FEATURE_VERSION, "models": {}}


@lru_cache(maxsize=None)
def load_language(lang: str) -> LanguageModels | None:
    """The models for ``lang`` merged into one :class:`LanguageModels`; None without any."""
    entries = [(name, e) for name, e in manifest().get("models", {}).items() if e.get("lang") == lang]
    if not entries or manifest().get("feature_version") != FEATURE_VERSION:
        return None
    kinds = [(name, e) for name, e in entries if e["task"] in KIND_TASKS]
    entries = [(name, e) for name, e in entries if e["task"] not in KIND_TASKS]
    if not entries:
        return None
    entries.sort(key=lambda x: TASKS.index(x[1]["task"]) if x[1]["task"] in TASKS else 99)
    kind = _merge(lang, kinds) if kinds else None
    return _merge(lang, entries, kind)


def _merge(lang: str, entries: list[tuple[str, dict]], kind: LanguageModels | None = None) -> LanguageModels:
    """The models of ``entries`` in one table (see :class:`LanguageModels`), which also holds
    (with no weight) every feature of the ``kind`` models, so that the features it finds in a
    post are all the kind models need (:meth:`LanguageModels.predict_features`)."""
    models = [_read_model(MODELS_DIR / e["file"]) for _, e in entries]
    vocab: dict[str, int] = {}
    for m in models:
        for f in m["features"]:
            vocab.setdefault(f, len(vocab))
    for f in kind.table if kind is not None else ():
        vocab.setdefault(f, len(vocab))
    k = len(models)
    matrix = np.zeros((len(vocab), 2 * k))
    for j, m in enumerate(models):
        rows = np.fromiter((vocab[f] for f in m["features"]), dtype=np.int64, count=len(m["features"]))
        matrix[rows, j] = m["weights"] * m["idf"]
        matrix[rows, k + j] = m["idf"] ** 2
    table = dict(zip(vocab, map(tuple, matrix.tolist()), strict=True))
    return LanguageModels(
        lang=lang, tasks=tuple(e["task"] for _, e in entries), table=table,
        bias=tuple(float(m["params"][0]) for m in models),
        thresholds=tuple(float(e["threshold"]) for _, e in entries),
        gates=tuple(tuple(e.get("gate", ())) for _, e in entries),
        reviews=tuple(e.get("review_threshold") for _, e in entries),
        kind=kind,
    )


def supported(task: str) -> list[str]:
    """The languages that have a model for ``task``."""
    return sorted({e["lang"] for e in manifest().get("models", {}).values() if e.get("task") == task})


def judge(text: str, lexicon_groups: Iterable[str] = (), thresholds: dict[str, float] | None = None,
          lang: str | None = None, masked: Sequence[tuple[int, int]] = (), loanwords_masked: bool = False,
          kind_groups: Iterable[str] | None = None):
    """(language, predictions) for a text: its language is identified, and that language's
    models score it (``masked``: the lexicon's suppressed phrases, see :func:`features`, to which
    the loanwords' spans are added unless ``loanwords_masked`` says they are there already: the
    lexicon that found them held :func:`~auditor.detect.language.loanword_terms`;
    ``kind_groups``: the lexicon groups the kind models read, when not all of them, see
    :meth:`LanguageModels.predict`). ``predictions`` is empty when the language has no model."""
    language = Language(lang, 1.0) if lang else identify(text)
    models = load_language(language.code)
    if models is None:
        return language, {}
    return language, models.predict(text, lexicon_groups, thresholds,
                                    masked if loanwords_masked else [*masked, *loanword_spans(text)], kind_groups)


__all__ = ["Contribution", "LanguageModels", "Prediction", "feature_spans", "features", "gate_open", "judge",
           "load_language", "manifest", "supported"]
