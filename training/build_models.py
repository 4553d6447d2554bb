"""Build every model the auditor ships, from the recorded corpora, and measure each one.

    pip install -e '.[train]'
    python training/build_models.py --shared ../shared/data --cache ../data-cache
    python training/build_models.py --only political_en      # one model
    python training/build_models.py --check                  # verify the shipped files only

For each model, MODELS below names the sources it learns from, the sources its threshold is
chosen on, and the sources it is only ever measured on. Every figure is out of source:

* **left-out source**: for each training source, a model fitted on all the *other* sources is
  measured on it (so no figure comes from text of a source the model was fitted on);
* **held-out**: sources that no model ever trains on (hand-labelled posts from other people's
  personal exports, split by person; news sentences; functional tests).

Writes ``auditor/detect/models/<name>.npz``, ``manifest.json`` (checksums, sources, threshold,
figures) and ``training/RESULTS.md``. The seed is fixed, so the same inputs give the same files.
CI never retrains: tests/test_models.py checks the files against the manifest.
"""

from __future__ import annotations

import argparse
import hashlib
import io
import json
import platform
import random
import sys
import time
from collections import Counter, defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field, replace
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "training"))

import corpora as C  # noqa: E402
import numpy as np  # noqa: E402

from auditor.detect.language import loanword_spans  # noqa: E402
from auditor.detect.lexicon import Lexicon  # noqa: E402
from auditor.detect.segment import WORDS  # noqa: E402
from auditor.detect.textmodel import (  # noqa: E402
    FEATURE_VERSION,
    LEXICON_FEATURES,
    MODELS_DIR,
    features,
    gate_open,
)

SEED = 20261125
#: Person-level cross-validation folds for choosing thresholds.
FOLDS = 3
#: How much one hand-labelled personal post weighs against one row of a proxy-labelled corpus:
#: they are the kind of text the auditor reads, labelled for the question it asks.
HAND_WEIGHT = 10.0
#: Vocabulary of one model: the most frequent features (memory, load time and speed of the audit).
MAX_FEATURES = 60_000
#: Most rows one source may contribute, so that no single corpus sets the model's idea of a class.
CAP = 25_000


@dataclass
class Spec:
    """What one model learns from and is measured on."""

    name: str
    task: str
    lang: str
    train: list[Callable]
    test: list[Callable] = field(default_factory=list)
    #: (precision the threshold aims for on the calibration posts)
    target_precision: float = 0.85
    C: float = 1.0
    #: a lexicon group one of whose hits must be in the post for a positive (grievance: work)
    gate: tuple[str, ...] = ()
    #: the task whose hand labels on personal posts train, calibrate and test the model
    personal_task: str = ""
    #: shipped with the auditor; a model that is built and measured but not shipped leaves its
    #: language "not checked" for the task (the reason is recorded in the manifest)
    ship: bool = True
    why_not: str = ""
    #: NBSVM (Wang & Manning, 2012): binary features scaled by their log-count ratio between the
    #: classes instead of their IDF (the shipped inference reads the ratio where it reads the IDF)
    nb: bool = False
    #: also choose a lower "posts to skim" threshold (best F2 on the calibration posts): the
    #: posts between it and the threshold are listed for the person to read, not reported
    review: bool = False
    #: choose the threshold as the lowest whose false alarms on the calibration posts stay
    #: within this rate, instead of the best F0.5 (for a task whose personal posts hold too few
    #: positives for precision to be measured there, and whose target is a false-alarm budget)
    max_false_alarms: float | None = None
    #: choose the "posts to skim" threshold as the lowest that lists at most this share of the
    #: calibration posts' everyday posts, instead of the best F2 (see political_es)
    review_false_alarms: float | None = None
    #: the develop people's unlabelled posts train as weak negatives (everyday posts); off for a
    #: task asked of political posts only (partisan)
    pools: bool = True
    #: how many of each develop person's posts (their first, in file order) are pool rows
    pool_size: int = 5_000
    #: a file in training/labels of pool posts a teacher read (training/build_teacher.py): those
    #: it reads as the task's class train as positives, those it is unsure of are left out
    teacher: str = ""


def _p(reader, *args):
    def call(shared, cache):
        return reader(shared, *args) if reader.__name__ != "jsonl" else reader(*args)
    call.__name__ = reader.__name__
    return call


def _cache(rel: str, exclude=(), only=(), positives_only=(), **kw):
    def call(shared, cache):
        return (r for r in C.jsonl(cache / rel, **kw)
                if r.source not in exclude and (not only or r.source in only)
                and not (r.source in positives_only and r.label == 0))
    call.__name__ = rel + (" (" + ", ".join(sorted(only)) + ")" if only else "")
    return call


def _kinds(lang: str):
    def call(shared, cache):
        return C.hand_kinds(cache, lang)
    call.__name__ = f"lang/{lang}_political.jsonl (hand-labelled kinds)"
    return call


MODELS = [
    Spec("political_en", "political", "en",
         train=[_p(C.semeval_topics), _p(C.reddit_headlines), _p(C.stance_tweets), _p(C.everyday_tweets),
                _cache("en/political.jsonl", exclude={"tweet:congress-2020-preprocessed",
                                                      "reddit:fawazshah-political-comments"})],
         # Sources labelled by who wrote them (politicians' accounts, partisan subreddits) are
         # political by author, not by post: measured on for recall, never trained on.
         test=[_p(C.sib200, "en"), _p(C.canadian_leaders), _p(C.congress_posts),
               _cache("en/political.jsonl", only={"tweet:congress-2020-preprocessed",
                                                  "reddit:fawazshah-political-comments"})],
         personal_task="political", review=True,
         # each develop person's first 20,000 posts, read by the semantic mode as a teacher
         # (training/build_teacher.py; measured by training/experiments/pool_teacher.py)
         pool_size=20_000, teacher="teacher_political_en.tsv.gz"),
    Spec("disrespect_en", "disrespect", "en",
         train=[_p(C.hateval), _p(C.stormfront), _p(C.mlma, "en"), _p(C.everyday_tweets),
                # Hate corpora mark identity hate only: their "not hate" posts are often hostile
                # or insulting, so they are no clean negatives for disrespect.
                _cache("offensive/disrespect.jsonl", positives_only={"gab-hate-corpus", "latent-hatred"})],
         test=[_p(C.hatecheck, "en")],
         target_precision=0.80, personal_task="disrespect",
         # The milder words ("a joke", "crazy", "tool") are too often not aimed at anyone.
         # Swearing counts only when aimed at someone ("fuck you", "this guy is a ..."): "well
         # shit" or "the fucking candy" is not disrespect to anyone (the task: insults, abuse or
         # contempt aimed at people or groups).
         gate=("disrespect.insult", "disrespect.directed", "disrespect.profanity+disrespect.target")),
    Spec("grievance_en", "grievance", "en",
         train=[_p(C.glassdoor), _p(C.legalbench_employment), _p(C.customer_complaints), _p(C.everyday_tweets),
                _cache("work/grievance.jsonl")],
         test=[_cache("work/g6_labelled.jsonl", source="G6-antiwork-2021-labelled")],
         target_precision=0.80, gate=("grievance.work_ref", "grievance.work_ref_exact"),
         # The develop people's posts hold 27 grievances, and no threshold finds more than 7 of
         # them at a precision above 0.07: the best F0.5 there is a coin flip (it moved from 0.43
         # to 0.73 when hashtags were split). The task's target is a false-alarm budget on
         # everyday posts (at most 1%) and recall on real complaints, so the threshold is the
         # lowest that keeps that budget on the develop people's posts.
         personal_task="grievance", max_false_alarms=0.01),
    # partisan_en: of the posts the political model finds, which take a side for or against a
    # party or politician (the labellers' kind "partisan") rather than give an opinion on policy
    # or civic information. Learned from the develop people's labelled political posts (their
    # kinds) and the P4 stance tweets (a stance on Hillary Clinton against a stance on a policy),
    # measured on the test people's political posts. It only ever reads a post the political
    # model found, so no everyday post trains it. The lexicon's reading still names the kind when
    # it says partisan; the model adds the partisan posts that name no party or politician it
    # knows (see auditor/detect/political.py).
    Spec("partisan_en", "partisan", "en", train=[_p(C.stance_kinds)], personal_task=C.PARTISAN,
         target_precision=0.80, pools=False),
    # The same for French, Spanish and German, from the kinds readers gave the hand-labelled
    # Reddit posts and the develop people's posts of each language: built and measured, not
    # shipped (the names the lexicon reads name the kind of those posts, see bench/kind.py).
    Spec("partisan_fr", "partisan", "fr", train=[_kinds("fr")], personal_task=C.PARTISAN,
         target_precision=0.80, pools=False, ship=False,
         why_not="on the French test people's 80 political posts it finds 10 of the 40 partisan ones at precision "
                 "0.83 (its threshold, 0.47, chosen on the develop people, where its precision is 0.67), while the "
                 "names the lexicon reads find 20 at 0.95 (bench/kind.py --lang fr --pack ca)"),
    Spec("partisan_es", "partisan", "es", train=[_kinds("es")], personal_task=C.PARTISAN,
         target_precision=0.80, pools=False, ship=False,
         why_not="its threshold (0.31) is chosen on one develop person, where its precision is 0.47 and it calls 53% "
                 "of the policy posts partisan; on the test people's 636 political posts it calls 44% of the policy "
                 "posts partisan (P 0.85, R 0.60), too many for a finding that can raise a rule's severity"),
    Spec("partisan_de", "partisan", "de", train=[_kinds("de")], personal_task=C.PARTISAN,
         target_precision=0.80, pools=False, ship=False,
         why_not="precision 0.56 on the develop people and 0.45 on the test people's 60 political posts (5 of 13 "
                 "partisan ones found)"),
    # political_fr learns from, and sets its thresholds on, the French posts of the develop
    # people (people.toml) and is measured on the French posts of the test people. It was built
    # and not shipped until the second French round (issue 12): hand-labelled French Reddit posts
    # (training/labels/fr_reddit.jsonl), 1,050 more random posts of sametmax and a third French
    # develop person (a blog). Shipped because on the test people's random posts it passes the
    # bar set for it before: precision 0.6 or more, false alarms 2% or less, and (with the posts to
    # skim) a useful share of the political posts found. German and the French disrespect model
    # are built and measured, not shipped: their posts are listed as not checked for the task.
    Spec("political_fr", "political", "fr",
         train=[_cache("lang/fr_political.jsonl", lang="fr"), _p(C.french_chat_everyday)],
         test=[_p(C.sib200, "fr")], personal_task="political", review=True),
    # political_es learns from the hand-labelled Spanish Reddit posts (training/labels/es_reddit
    # .jsonl), weak corpus rows and the Spanish posts of one develop person (@el3ctron, 600 random
    # posts labelled, 43% political), and is measured on the three test people who write Spanish.
    # Its thresholds keep a false-alarm budget on the develop person's everyday posts (findings
    # 2%, the list 5%) instead of the best F0.5 / F2: with 43% of his posts political, those pick
    # thresholds for an archive far more political than most (F0.5 chose 0.70, which flagged 4.2%
    # of the test people's everyday posts; the rule was changed after seeing that, and the second
    # random draw, not read before, confirms it: see the README). Shipped: on the test people's
    # random posts it passes the bar the French model passed (precision 0.6 or more, false alarms
    # 2% or less).
    Spec("political_es", "political", "es",
         train=[_cache("lang/es_political.jsonl", lang="es")],
         test=[_cache("lang/es_sib200.jsonl", lang="es")], personal_task="political", review=True,
         max_false_alarms=0.02, review_false_alarms=0.05),
    # political_de: r/de's top posts labelled one by one (training/labels/de_reddit.jsonl), two
    # develop people (blogs) who choose the thresholds, three test people on X who measure it.
    # The thresholds keep the same false-alarm budget as Spanish (2%, the list 5%), and the bar
    # was set before any German figure was seen: ship if, on the test people's random posts,
    # precision is 0.6 or more and false alarms 2% or less. It passed (P 0.73, R 0.13, 0.4%).
    # Before this round it was built without German personal posts and not shipped (20-28% false
    # alarms on German sources left out of training).
    Spec("political_de", "political", "de",
         train=[_cache("lang/de_political.jsonl", lang="de")],
         test=[_cache("lang/de_sib200.jsonl", lang="de")], personal_task="political", review=True,
         max_false_alarms=0.02, review_false_alarms=0.05),
    # political_nl (issue 12, the Dutch round): NU.nl headlines by section, Dutch party accounts'
    # tweets (political by author), the Dutch top posts of r/Netherlands and r/belgium labelled
    # one by one (training/labels/nl_reddit.jsonl), and four develop people (blogs) whose posts
    # choose the thresholds by the Spanish and German false-alarm budget (2%, the list 5%); three
    # test people (one on X, two blogs) measure it. The bar, written here before any Dutch figure
    # was seen (the German one): ship if, on the test people's random Dutch posts, precision is
    # 0.6 or more and false alarms 2% or less.
    # The party accounts' tweets are collected but not trained on: with them, the first build's
    # strongest features were the accounts' voice ("we", "onze", "jij", "kijk") against the first
    # person of everyday posts ("ik", "mijn"), and it failed the bar; without them the develop
    # people's average precision out of fold rose from 0.33 to 0.42
    # (training/experiments/dutch_sources.py; test posts not read).
    Spec("political_nl", "political", "nl",
         train=[_cache("lang/nl_political.jsonl", lang="nl", exclude={"nl:party-account-tweets"})],
         test=[_cache("lang/nl_sib200.jsonl", lang="nl")], personal_task="political", review=True,
         max_false_alarms=0.02, review_false_alarms=0.05, ship=False,
         why_not="on the test people's random Dutch posts (1,643, 85 political) precision 0.13, recall 0.25 and 9.1% "
                 "false alarms, against the bar set before (precision 0.6 or more, false alarms 2% or less); built "
                 "first with the party accounts' tweets, precision 0.15, recall 0.08, 2.6%. The develop people write "
                 "blog posts, the test person with most posts writes tweets, and no everyday Dutch short posts were "
                 "found to learn from, so a threshold chosen on the blogs does not hold for tweets."),
    Spec("disrespect_fr", "disrespect", "fr",
         train=[_p(C.mlma, "fr"), _p(C.cyberaggression), _p(C.french_superset)],
         test=[_p(C.hatecheck, "fr")], target_precision=0.80, personal_task="disrespect", ship=False,
         why_not="on the French test people's random posts it finds none of the 9 disrespectful ones (0.3% false "
                 "alarms), and on the develop people 6 of 18 at precision 0.07; on French HateCheck precision "
                 "0.86, recall 0.16. (Before the second French round's everyday posts it flagged nearly every "
                 "post: false-alarm rate 0.99 on French sources left out of training.)"),
]


def _norm(text: str) -> str:
    return " ".join(text.lower().split())


def _all_terms():
    """Every pack's lexicon terms together: training text comes from many countries."""
    from auditor.policy import load_policy

    terms = []
    for pack in ("nz", "au", "uk", "us", "ca"):
        terms += load_policy(pack).terms
    return terms


class Featurizer:
    """features() of each text for one language's models, computed once, with the all-packs
    lexicon's roles."""

    def __init__(self, lang: str = "en"):
        self.lang = lang
        self.lex = Lexicon(_all_terms())
        self.cache: dict[str, list[str]] = {}
        self.groups: dict[str, set[str]] = {}
        self.masked: dict[str, list[tuple[int, int]]] = {}

    def roles(self, text: str) -> set[str]:
        if text not in self.groups:
            found, masked = self.lex.scan(text)
            self.groups[text] = {h.term.group for h in found} | {h.term.model_group for h in found}
            self.masked[text] = masked
        return self.groups[text]

    def __call__(self, text: str) -> list[str]:
        f = self.cache.get(text)
        if f is None:
            roles = self.roles(text)
            f = features(text, roles & LEXICON_FEATURES.keys(), [*self.masked[text], *loanword_spans(text)], self.lang)
            self.cache[text] = f
        return f


def load_rows(readers: Iterable[Callable], shared: Path, cache: Path, lang: str, missing: list[str]):
    out = []
    for reader in readers:
        rows = [r for r in reader(shared, cache) if r.text and (r.lang or lang) == lang]
        if not rows:
            missing.append(reader.__name__)
        out += rows
    return out


def cap_per_source(rows, rng):
    by = defaultdict(list)
    for r in rows:
        by[r.source].append(r)
    out = []
    for src in sorted(by):
        rs = by[src]
        if len(rs) > CAP:
            rs = rng.sample(rs, CAP)
            rs.sort(key=lambda r: r.kind == "pool")  # hand labels before weak pool labels
        out += rs
    return out


def dedupe(rows, exclude: set[str]):
    seen = set(exclude)
    out = []
    for r in rows:
        k = _norm(r.text)
        if k and k not in seen:
            seen.add(k)
            out.append(r)
    return out


def _people(cache: Path) -> set[str]:
    out = set()
    for path in (cache / "personal").glob("pool_*.jsonl"):
        with open(path, encoding="utf-8") as fh:
            first = fh.readline()
        if first.strip():
            out.add("personal:" + json.loads(first).get("source", "").split(":", 1)[-1])
    return out


class NBVectorizer:
    """Binary features scaled by their log-count ratio between the classes, L2-normalised: the
    NBSVM features (Wang & Manning, 2012). ``idf_`` holds the ratio, so :func:`export` and the
    audit's inference treat it as they treat an IDF (a post's score stays an exact sum of
    per-feature shares)."""

    def __init__(self, feat: Featurizer, alpha: float = 1.0):
        from sklearn.feature_extraction.text import CountVectorizer

        self.counts = CountVectorizer(analyzer=feat, binary=True, min_df=2, max_features=MAX_FEATURES,
                                      dtype=np.float64)
        self.alpha = alpha

    def fit_transform(self, texts, y, weight):
        xb = self.counts.fit_transform(texts)
        p = self.alpha + np.asarray(xb[y == 1].multiply(weight[y == 1][:, None]).sum(0)).ravel()
        q = self.alpha + np.asarray(xb[y == 0].multiply(weight[y == 0][:, None]).sum(0)).ravel()
        self.idf_ = np.log((p / p.sum()) / (q / q.sum()))
        self.vocabulary_ = self.counts.vocabulary_
        return self._scale(xb)

    def transform(self, texts):
        return self._scale(self.counts.transform(texts))

    def get_feature_names_out(self):
        return self.counts.get_feature_names_out()

    def _scale(self, xb):
        from sklearn.preprocessing import normalize

        return normalize(xb.multiply(self.idf_).tocsr())


def hand_labelled(r) -> bool:
    """A post that a reader labelled by itself: a develop person's labelled post (their
    unlabelled pool posts are weak negatives), or a corpus row marked ``kind`` "hand" (the French
    Reddit posts, training/labels/fr_reddit.jsonl) rather than labelled by where it was posted."""
    return (r.source.startswith("personal:") and r.kind != "pool") or r.kind == "hand"


def sample_weights(rows) -> np.ndarray:
    """:data:`HAND_WEIGHT` for a hand-labelled post, 1 for any other row (read when called, so
    the experiments can set it)."""
    return np.array([HAND_WEIGHT if hand_labelled(r) else 1.0 for r in rows])


def fit(rows, feat: Featurizer, C_: float, nb: bool = False):
    from sklearn.feature_extraction.text import TfidfVectorizer
    from sklearn.linear_model import LogisticRegression

    y = np.array([r.label for r in rows])
    weight = sample_weights(rows)
    # The vocabulary is capped here, before fitting, so the model measured is the model shipped
    # (pruning weights afterwards would shift every score).
    if nb:
        vec = NBVectorizer(feat)
        X = vec.fit_transform([r.text for r in rows], y, weight)
    else:
        vec = TfidfVectorizer(analyzer=feat, binary=True, min_df=2, max_features=MAX_FEATURES, norm="l2",
                              use_idf=True, smooth_idf=True, dtype=np.float64)
        X = vec.fit_transform([r.text for r in rows])
    clf = LogisticRegression(C=C_, class_weight="balanced", solver="liblinear", max_iter=2000,
                             random_state=SEED)
    clf.fit(X, y, sample_weight=weight)
    return vec, clf


def predict(vec, clf, texts):
    if not texts:
        return np.array([])
    return clf.predict_proba(vec.transform(texts))[:, 1]


def gated(spec: Spec, feat: Featurizer, text: str) -> bool:
    return gate_open(spec.gate, feat.roles(text))


def scores(y, p, thr, gate=None):
    pred = p >= thr
    if gate is not None:
        pred &= gate
    y = np.asarray(y).astype(bool)
    tp = int((pred & y).sum())
    fp = int((pred & ~y).sum())
    fn = int((~pred & y).sum())
    tn = int((~pred & ~y).sum())
    prec = tp / (tp + fp) if tp + fp else None
    rec = tp / (tp + fn) if tp + fn else None
    f1 = 2 * prec * rec / (prec + rec) if prec and rec else (0.0 if prec is not None and rec is not None else None)
    fpr = fp / (fp + tn) if fp + tn else None
    r3 = (lambda v: None if v is None else round(v, 3))
    return {"n": len(y), "positives": int(y.sum()), "tp": tp, "fp": fp, "fn": fn, "tn": tn,
            "precision": r3(prec), "recall": r3(rec), "f1": r3(f1), "false_alarm_rate": r3(fpr)}


def _best_threshold(y, p, gate, beta2: float, upto: float):
    """(F-beta, threshold, precision, recall, false-alarm rate) of the threshold from 0.20 up to
    ``upto`` with the best F-beta on the calibration posts (``beta2``: beta squared), or None."""
    best = None
    for thr in np.arange(0.20, upto, 0.01):
        s = scores(y, p, thr, gate)
        prec, rec = s["precision"] or 0.0, s["recall"] or 0.0
        f = (1 + beta2) * prec * rec / (beta2 * prec + rec) if prec + rec else 0.0
        if best is None or f > best[0]:
            best = (f, float(thr), prec, rec, s["false_alarm_rate"] or 0.0)
    return best


def choose_threshold(y, p, gate, target_precision: float) -> tuple[float, str]:
    """The threshold with the best F0.5 on the calibration posts: precision counts twice as much
    as recall, because a report full of false alarms teaches people to ignore it, but a
    threshold that finds almost nothing leaves them exposed. (Reaching ``target_precision`` is
    reported, not forced: on the calibration posts that would leave recall near zero.)"""
    y = np.asarray(y)
    if len(y) == 0 or y.sum() < 5:
        return 0.5, "too few labelled personal posts to calibrate on: 0.5"
    best = _best_threshold(y, p, gate, 0.25, 0.99)
    return round(best[1], 2), (f"best F0.5 on the calibration posts (there: precision {best[2]:.2f}, recall "
                               f"{best[3]:.2f}; the target precision {target_precision} "
                               f"{'is' if best[2] >= target_precision else 'is not'} reached)")


def choose_by_false_alarms(y, p, gate, budget: float, what: str = "false alarms") -> tuple[float, str]:
    """The lowest threshold (from 0.20, by 0.01) whose false-alarm rate on the calibration posts
    is at most ``budget``: as much recall as that budget allows (``what`` names the rate in the
    rule's text: for a list to skim, "everyday posts listed")."""
    y = np.asarray(y)
    for thr in np.arange(0.20, 0.99, 0.01):
        s = scores(y, p, thr, gate)
        if (s["false_alarm_rate"] or 0.0) <= budget:
            return round(float(thr), 2), (
                f"the lowest with at most {budget:.0%} {what} on the calibration posts (there: "
                f"{s['false_alarm_rate'] or 0.0:.1%} {what}, precision {s['precision'] or 0.0:.2f}, "
                f"recall {s['recall'] or 0.0:.2f})")
    return 0.99, f"no threshold keeps {what} within {budget:.0%} on the calibration posts: 0.99"


def choose_review_threshold(y, p, gate, threshold: float) -> tuple[float | None, str]:
    """The "posts to skim" threshold: the one under ``threshold`` with the best F2 on the
    calibration posts (recall counts twice as much as precision). The posts scored between it
    and ``threshold`` are listed for the person to read, apart from the findings: a list is
    cheap to skim when it is short and sorted, and it catches what the findings' threshold
    leaves out."""
    y = np.asarray(y)
    if len(y) == 0 or y.sum() < 5:
        return None, "too few labelled personal posts to calibrate on: no list"
    best = _best_threshold(y, p, gate, 4.0, threshold)
    if best is None:
        return None, "no threshold under the findings' one"
    return round(best[1], 2), (f"best F2 on the calibration posts (there, findings and list together: precision "
                               f"{best[2]:.2f}, recall {best[3]:.2f}, {best[4]:.1%} of everyday posts listed)")


def test_people() -> set[str]:
    """The people whose labelled posts are only measured on (training/people.toml)."""
    import tomllib

    with open(ROOT / "training" / "people.toml", "rb") as fh:
        return set(tomllib.load(fh)["people"]["test"])


def person_languages() -> dict[str, set[str]]:
    """People whose posts serve only some languages' models (``[languages]`` in people.toml)."""
    import tomllib

    with open(ROOT / "training" / "people.toml", "rb") as fh:
        return {p: set(langs) for p, langs in tomllib.load(fh).get("languages", {}).items()}


def serves(person: str, lang: str, only: dict[str, set[str]]) -> bool:
    """Whether ``person``'s posts may serve the models of ``lang`` (everyone's serve every language
    unless people.toml's ``[languages]`` names theirs)."""
    return lang in only.get(person, {lang})


def fold_of(person: str, k: int = FOLDS) -> int:
    """Which cross-validation fold a develop person is in (stable: from the export's name)."""
    return int(hashlib.sha1(person.encode()).hexdigest(), 16) % k


def export(spec: Spec, vec, clf, threshold: float, out_dir: Path) -> Path:
    names = vec.get_feature_names_out()
    coef = clf.coef_[0]
    idf = vec.idf_
    # Features whose weight is exactly zero change no score; every other one is kept.
    keep = np.flatnonzero(coef != 0)
    blob = "\n".join(names[i] for i in keep).encode("utf-8")
    meta = {"name": spec.name, "task": spec.task, "lang": spec.lang, "feature_version": FEATURE_VERSION}
    buf = io.BytesIO()
    np.savez_compressed(buf, features=np.frombuffer(blob, dtype=np.uint8),
                        weights=coef[keep].astype(np.float32), idf=idf[keep].astype(np.float32),
                        params=np.array([clf.intercept_[0], threshold], dtype=np.float64),
                        meta=np.frombuffer(json.dumps(meta, sort_keys=True).encode(), dtype=np.uint8))
    path = out_dir / f"{spec.name}.npz"
    path.write_bytes(buf.getvalue())
    return path


@dataclass
class Data:
    """One model's rows: the held-out test rows, the develop and test people's labelled posts,
    and what training draws from (see :meth:`training_set`)."""

    test_rows: list
    pdev: list
    ptest: list
    pools: list
    base: list
    held: set[str]
    missing: list[str]
    #: (person, :func:`teacher_key` of a pool post) → the teacher's reading of it in each
    #: context (see :func:`read_teacher`); empty without a teacher
    teacher: dict = field(default_factory=dict)

    @property
    def people(self) -> set[str]:
        """The develop people whose labelled posts or pools these rows hold."""
        return {r.source for r in self.pdev} | {r.source for r in self.pools}

    def training_set(self, exclude_people=frozenset(), exclude_sources=frozenset()) -> list:
        """The training rows, capped per source, without the held-out texts. With a teacher,
        its readings of the pool posts: those of the teacher that never saw ``exclude_people``'s
        fold (nor the post's person), so that no held-out person's labels reach the rows."""
        # Hand labels first, so that dedupe keeps them over the pool's weak 0 for the same text.
        rows = [r for r in self.pdev + self.pools + self.base
                if r.source not in exclude_people and r.source not in exclude_sources]
        if self.teacher:
            context = teacher_context(exclude_people)
            rows = [t for r in rows if (t := self._taught(r, context)) is not None]
        return dedupe(cap_per_source(rows, random.Random(SEED)), self.held)

    def _taught(self, r, context: str):
        if r.kind != "pool":
            return r
        reading = self.teacher.get((r.source, teacher_key(r.text)), {}).get(context, "")
        if reading == TEACHER_POSITIVE:
            return replace(r, label=1)
        return None if reading == TEACHER_UNSURE else r


#: What a teacher's file says of a pool post: read as the task's class, or unsure (left out);
#: a post it does not list stays a weak negative.
TEACHER_POSITIVE, TEACHER_UNSURE = "1", "?"
#: The contexts a teacher's file gives a reading for: ``final`` (the teacher that never saw the
#: post's person's fold: for the shipped model) and ``fold<k>`` (nor fold k: for the model that
#: is measured on fold k's people).
TEACHER_CONTEXTS = ("final", *(f"fold{k}" for k in range(FOLDS)))


def teacher_key(text: str) -> str:
    return hashlib.sha1(text.encode("utf-8")).hexdigest()[:16]


def teacher_context(exclude_people) -> str:
    """Which of the teacher's readings a training set leaving out ``exclude_people`` takes."""
    folds = {fold_of(p) for p in exclude_people}
    if len(folds) > 1:
        raise ValueError("a training set with a teacher leaves out one person fold at most")
    return f"fold{folds.pop()}" if folds else "final"


def read_teacher(path: Path) -> dict:
    """A teacher's file (training/build_teacher.py): ``person, key`` and one reading per
    :data:`TEACHER_CONTEXTS`, tab-separated, gzipped; lines starting with "#" are comments."""
    import gzip

    out = {}
    with gzip.open(path, "rt", encoding="utf-8") as fh:
        for line in fh:
            if line.startswith("#") or not line.strip():
                continue
            person, key, *readings = line.rstrip("\n").split("\t")
            out[(person, key)] = dict(zip(TEACHER_CONTEXTS, readings, strict=True))
    return out


def prepare(spec: Spec, shared: Path, cache: Path) -> Data:
    """Read everything ``spec`` learns from and is measured on."""
    missing: list[str] = []
    test_rows = load_rows(spec.test, shared, cache, spec.lang, missing)
    testers = test_people()
    only = person_languages()

    def mine(r) -> bool:
        return r.lang == spec.lang and serves(r.source, spec.lang, only)

    personal = [r for r in C.personal(cache, spec.personal_task) if mine(r)] if spec.personal_task else []
    ptest = [r for r in personal if r.source in testers]
    pdev = [r for r in personal if r.source not in testers]
    held = {_norm(r.text) for r in test_rows + ptest}
    base = load_rows(spec.train, shared, cache, spec.lang, missing)
    pools: list = []
    if spec.personal_task and spec.pools:
        developers = {p for p in _people(cache) if p not in testers}
        pools = [r for r in C.personal_pool(cache, developers, spec.pool_size) if mine(r)]
    teacher = read_teacher(ROOT / "training" / "labels" / spec.teacher) if spec.teacher and pools else {}
    return Data(test_rows, pdev, ptest, pools, base, held, missing, teacher)


def build(spec: Spec, shared: Path, cache: Path, out_dir: Path, feat: Featurizer, log, quick: bool = False) -> dict:
    data = prepare(spec, shared, cache)
    test_rows, pdev, ptest, missing = data.test_rows, data.pdev, data.ptest, data.missing
    training_set = data.training_set

    train = training_set()
    sources = sorted({r.source for r in train})
    if not train or len({r.label for r in train}) < 2:
        log(f"{spec.name}: not enough training data (missing: {', '.join(missing) or 'none'}); skipped")
        return {}
    log(f"{spec.name}: {len(train)} training rows from {len(sources)} sources; {len(pdev)} develop and "
        f"{len(ptest)} test personal posts; {len(test_rows)} held-out rows")

    def gates(texts):
        return np.array([gated(spec, feat, t) for t in texts]) if spec.gate else None

    # Threshold: out-of-fold predictions on the develop people's labelled posts, each scored by
    # a model that never saw that person.
    oof_y, oof_p, oof_t = [], [], []
    # Too few positives among the random posts (disrespect and grievance are rare): all the
    # develop people's labelled posts choose the threshold, and the manifest says so.
    enough_random = sum(r.label for r in pdev if r.kind == "random") >= 15
    for k in range(FOLDS if pdev else 0):
        fold_people = {r.source for r in pdev if fold_of(r.source) == k}
        # Only the randomly drawn posts choose the threshold: the posts drawn by score are
        # richer in the rare class than an archive is, so they would flatter precision.
        rows = [r for r in pdev if r.source in fold_people and (r.kind == "random" or not enough_random)]
        if not rows:
            continue
        model = fit(training_set(exclude_people=frozenset(fold_people)), feat, spec.C, spec.nb)
        oof_y += [r.label for r in rows]
        oof_t += [r.text for r in rows]
        oof_p += list(predict(*model, [r.text for r in rows]))
    # Each training source predicted by a model fitted on the other sources: the figures below,
    # and the threshold where the language has too few labelled personal posts to choose it.
    loso: dict[str, tuple[list, np.ndarray]] = {}
    for src in [] if quick else [s for s in sources if not s.startswith("personal:")]:
        mine = [r for r in train if r.source == src]
        if len(mine) >= 100:
            model = fit(training_set(exclude_sources=frozenset({src})), feat, spec.C, spec.nb)
            loso[src] = (mine, predict(*model, [r.text for r in mine]))
    if spec.max_false_alarms is not None and oof_y:
        threshold, how = choose_by_false_alarms(np.array(oof_y), np.array(oof_p), gates(oof_t), spec.max_false_alarms)
    else:
        threshold, how = choose_threshold(np.array(oof_y), np.array(oof_p), gates(oof_t), spec.target_precision)
    if not enough_random and oof_y:
        how += "; posts selected by score included, as the random ones hold too few positives"
    cal_y, cal_p, cal_t, cal_what = oof_y, np.array(oof_p), oof_t, "calibration posts"
    if sum(oof_y) < 5 and loso:
        # too few labelled personal posts: the threshold (and the list's) from the training
        # sources, each scored by a model that did not see it
        rows = [r for mine, _ in loso.values() for r in mine]
        cal_y, cal_t = [r.label for r in rows], [r.text for r in rows]
        cal_p = np.concatenate([p for _, p in loso.values()])
        cal_what = "training sources, each scored by a model that did not see it"
        threshold, how = choose_threshold(np.array(cal_y), cal_p, gates(cal_t), spec.target_precision)
        how = how.replace("calibration posts", cal_what) + " (too few labelled personal posts in this language)"
    log(f"  threshold {threshold} ({how})")
    if spec.review and spec.review_false_alarms is not None:
        review, review_how = choose_by_false_alarms(np.array(cal_y), cal_p, gates(cal_t), spec.review_false_alarms,
                                                    "everyday posts listed")
        review = min(review, threshold)
    else:
        review, review_how = (choose_review_threshold(np.array(cal_y), cal_p, gates(cal_t), threshold)
                              if spec.review else (None, ""))
    review_how = review_how.replace("calibration posts", cal_what)
    if spec.review:
        log(f"  posts to skim from {review} ({review_how})")
    t0 = time.time()
    vec, clf = fit(train, feat, spec.C, spec.nb)
    log(f"  fitted in {time.time() - t0:.0f} s, {len(vec.vocabulary_)} features")

    def measure(model, rows, thr):
        texts = [r.text for r in rows]
        return scores([r.label for r in rows], predict(*model, texts), thr, gates(texts))

    figures: dict[str, dict] = {"held_out": {}, "left_out_source": {}, "cross_validated": {}, "tradeoff": {}}
    if review is not None:
        # findings and the list together: every post scored at or above the list's threshold
        figures["review"] = {
            "personal exports, develop people (out of fold; list threshold chosen here)": scores(
                oof_y, np.array(oof_p), review, gates(oof_t))}
    if oof_y:
        figures["cross_validated"]["personal exports, develop people (out of fold; threshold chosen here)"] = scores(
            oof_y, np.array(oof_p), threshold, gates(oof_t))
    if ptest:
        rnd = [r for r in ptest if r.kind == "random"]
        rp = predict(vec, clf, [r.text for r in rnd])
        for thr in (0.3, 0.4, 0.5, 0.6, 0.7, 0.8, 0.9):
            figures["tradeoff"][f"{thr:.1f}"] = scores([r.label for r in rnd], rp, thr, gates([r.text for r in rnd]))
        figures["held_out"]["personal exports, test people, random posts"] = measure((vec, clf), rnd, threshold)
        if review is not None:
            figures["review"]["personal exports, test people, random posts"] = measure((vec, clf), rnd, review)
        if len(rnd) != len(ptest):
            figures["held_out"]["personal exports, test people, all labelled posts"] = measure((vec, clf), ptest, threshold)
    for src in sorted({r.source for r in test_rows}):
        figures["held_out"][src] = measure((vec, clf), [r for r in test_rows if r.source == src], threshold)
    for src, (mine, p) in loso.items():
        figures["left_out_source"][src] = scores([r.label for r in mine], p, threshold, gates([r.text for r in mine]))
        s = figures["left_out_source"][src]
        log(f"  left out {src}: P {s['precision']} R {s['recall']} F1 {s['f1']} FA {s['false_alarm_rate']} (n {s['n']})")
    for kind in ("cross_validated", "held_out"):
        for name, s in figures[kind].items():
            log(f"  {name}: P {s['precision']} R {s['recall']} F1 {s['f1']} FA {s['false_alarm_rate']} "
                f"(n {s['n']}, pos {s['positives']})")
    path = export(spec, vec, clf, threshold, out_dir)
    counts = Counter((r.source if not r.source.startswith("personal:") else "personal exports (develop people)",
                      r.label) for r in train)
    trained = sorted({s for s, _ in counts})
    return {
        "file": path.name, "sha256": hashlib.sha256(path.read_bytes()).hexdigest(), "bytes": path.stat().st_size,
        "task": spec.task, "lang": spec.lang, "threshold": threshold, "threshold_rule": how,
        **({"review_threshold": review, "review_rule": review_how} if review is not None else {}),
        "C": spec.C, "gate": list(spec.gate),
        "trained_on": {s: {"rows": counts[(s, 0)] + counts[(s, 1)], "positives": counts[(s, 1)]} for s in trained},
        "test_people": sorted({r.source for r in ptest}), "missing_inputs": missing,
        "figures": figures,
    }


def write_results(man: dict, path: Path) -> None:
    lines = ["# Model figures", "",
             "Written by `python training/build_models.py`; every figure is on text the model was not fitted on.",
             "P = precision, R = recall, FA = false-alarm rate on the negatives.", ""]
    semantic = [(f"semantic_{name} (audit --semantic)", e) for name, e in man.get("semantic", {}).items()]
    for name, e in [*man["models"].items(), *man.get("not_shipped", {}).items(), *semantic]:
        shipped = f" — NOT SHIPPED: {e['why_not_shipped']}" if "why_not_shipped" in e else ""
        lines += [f"## {name}{shipped}", ""]
        if "blend" in e:
            lines += [f"Written by `python training/build_semantic.py`: all-MiniLM-L6-v2 sentence embeddings, a "
                      f"logistic-regression head, blended with {e['word_model']} on the log-odds scale (the word "
                      f"model's share {e['blend']}); posts with a word score under {e['floor']} are not embedded.", ""]
        lines += [f"Threshold {e['threshold']}: {e['threshold_rule']}.", ""]
        if e.get("review_threshold") is not None:
            lines += [f"Posts to skim: scored from {e['review_threshold']} up to the threshold, listed apart from "
                      f"the findings; {e['review_threshold']}: {e['review_rule']}. The rows marked \"findings and "
                      "list\" count every post scored from that threshold up.", ""]
        lines += ["| measured on | how | n | positives | P | R | F1 | FA |", "|---|---|---|---|---|---|---|---|"]
        for kind, label in (("held_out", "held out"), ("cross_validated", "people left out, cross-validated"),
                            ("review", "findings and posts to skim together"),
                            ("left_out_source", "source left out of training")):
            for src, s in e["figures"].get(kind, {}).items():
                lines.append(f"| {src} | {label} | {s['n']} | {s['positives']} | {s['precision']} | {s['recall']} "
                             f"| {s['f1']} | {s['false_alarm_rate']} |")
        if e["figures"].get("tradeoff"):
            lines += ["", "Other thresholds, on the test people's random posts (for a pack that wants another balance):", "",
                      "| threshold | P | R | FA |", "|---|---|---|---|"]
            for thr, s in e["figures"]["tradeoff"].items():
                lines.append(f"| {thr} | {s['precision']} | {s['recall']} | {s['false_alarm_rate']} |")
        lines += ["", "Trained on: " + ", ".join(f"{s} ({v['rows']} rows, {v['positives']} positive)"
                                                 for s, v in e["trained_on"].items()), ""]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")


def check(out_dir: Path) -> list[str]:
    """Problems with the shipped files against the manifest (empty when all is well)."""
    man = json.loads((out_dir / "manifest.json").read_text(encoding="utf-8"))
    semantic = man.get("semantic", {})
    shipped = [*man["models"].items(), *((f"semantic {name}", e) for name, e in semantic.items())]
    problems = []
    for name, e in shipped:
        p = out_dir / e["file"]
        if not p.exists():
            problems.append(f"{name}: {e['file']} is missing")
        elif hashlib.sha256(p.read_bytes()).hexdigest() != e["sha256"]:
            problems.append(f"{name}: {e['file']} does not match its checksum")
    # a semantic head blends with one word model: the one shipped beside it
    problems += [f"semantic {name}: built on another {name}; rebuild it (training/build_semantic.py)"
                 for name, e in semantic.items() if man["models"].get(name, {}).get("sha256") != e["word_model_sha256"]]
    words = man.get("words")
    if words and (not (out_dir / words["file"]).exists()
                  or hashlib.sha256((out_dir / words["file"]).read_bytes()).hexdigest() != words["sha256"]):
        problems.append(f"{words['file']} is not the word list the models were built with; "
                        "rebuild them (training/build_models.py)")
    listed = {e["file"] for _, e in shipped}
    problems += [f"{p.name} is not in the manifest" for p in out_dir.glob("*.npz") if p.name not in listed]
    return problems


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--shared", type=Path, default=ROOT.parent / "shared" / "data")
    ap.add_argument("--cache", type=Path, default=ROOT.parent / "data-cache")
    ap.add_argument("--out", type=Path, default=MODELS_DIR)
    ap.add_argument("--only", action="append", help="build only this model (repeatable)")
    ap.add_argument("--check", action="store_true", help="only verify the shipped files against the manifest")
    ap.add_argument("--quick", action="store_true", help="skip the left-out-source figures (for trying things)")
    args = ap.parse_args(argv)
    if args.check:
        problems = check(args.out)
        print("\n".join(problems) or "models match the manifest")
        return 1 if problems else 0
    import sklearn

    args.out.mkdir(parents=True, exist_ok=True)
    man_path = args.out / "manifest.json"
    man = json.loads(man_path.read_text(encoding="utf-8")) if man_path.exists() else {"models": {}}
    man.update({"feature_version": FEATURE_VERSION, "seed": SEED, "cap_per_source": CAP,
                "built_with": {"python": platform.python_version(), "numpy": np.__version__,
                               "scikit-learn": sklearn.__version__},
                "sources": "training/SOURCES.md",
                # the features split hashtags with this word list: the models go with it
                "words": {"file": WORDS.name, "sha256": hashlib.sha256(WORDS.read_bytes()).hexdigest()}})
    feats: dict[str, Featurizer] = {}
    for spec in MODELS:
        if args.only and spec.name not in args.only:
            continue
        out_dir = args.out if spec.ship else args.cache / "unshipped-models"
        out_dir.mkdir(parents=True, exist_ok=True)
        feat = feats.setdefault(spec.lang, Featurizer(spec.lang))
        entry = build(spec, args.shared, args.cache, out_dir, feat, lambda m: print(m, flush=True), args.quick)
        if entry and spec.ship:
            man["models"][spec.name] = entry
            man.setdefault("not_shipped", {}).pop(spec.name, None)
        elif entry:
            entry["why_not_shipped"] = spec.why_not
            man.setdefault("not_shipped", {})[spec.name] = entry
            man["models"].pop(spec.name, None)
    man["models"] = dict(sorted(man["models"].items()))
    text = json.dumps(man, indent=1, sort_keys=True) + "\n"
    man_path.write_text(text, encoding="utf-8")
    # from the manifest as written (its keys sorted), so that RESULTS.md lists a model's rows in
    # the same order whether the model was built in this run or read back from the manifest
    write_results(json.loads(text), ROOT / "training" / "RESULTS.md")
    print(f"wrote {man_path} and training/RESULTS.md")
    return 0


if __name__ == "__main__":
    sys.exit(main())
