"""Experiment (not shipped): the political word model as shipped against the same model with
character n-grams beside its features.

    python training/experiments/char_ngrams.py [MAX_CHAR_FEATURES]   # about 6 minutes

Prints, for each: average precision on the develop people's random posts out of fold (three
person folds, as the build chooses thresholds: this is the figure that decides), and, measured
only, on the test people's two random draws and on SIB-200 English news, plus recall at
precision 0.7. Reads the data folders training/SOURCES.md names (../shared/data, ../data-cache).
"""
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "training"))
import build_models as B  # noqa: E402
import numpy as np  # noqa: E402
import scipy.sparse as sp  # noqa: E402
from sklearn.feature_extraction.text import TfidfVectorizer  # noqa: E402
from sklearn.linear_model import LogisticRegression  # noqa: E402
from sklearn.metrics import average_precision_score  # noqa: E402

spec = next(s for s in B.MODELS if s.name == "political_en")
feat = B.Featurizer()
CHAR = dict(analyzer="char_wb", ngram_range=(3, 5), min_df=3, max_features=100_000,
            binary=True, sublinear_tf=False, lowercase=True, dtype=np.float64)



def fitboth(rows, char):
    """The shipped word features (and, with ``char``, character n-grams), fitted as the build fits."""
    wv = TfidfVectorizer(analyzer=feat, binary=True, min_df=2, max_features=B.MAX_FEATURES, norm="l2", dtype=np.float64)
    Xw = wv.fit_transform([r.text for r in rows])
    mats, cv = [Xw], None
    if char:
        cv = TfidfVectorizer(**CHAR)
        mats.append(cv.fit_transform([r.text for r in rows]))
    X = sp.hstack(mats).tocsr()
    y = np.array([r.label for r in rows])
    w = B.sample_weights(rows)
    clf = LogisticRegression(C=spec.C, class_weight="balanced", solver="liblinear", max_iter=2000, random_state=B.SEED)
    clf.fit(X, y, sample_weight=w)
    return wv, cv, clf


def pred(m, texts):
    wv, cv, clf = m
    mats = [wv.transform(texts)] + ([cv.transform(texts)] if cv else [])
    return clf.predict_proba(sp.hstack(mats).tocsr())[:, 1]


def rat(y, p, q=0.7):
    """Recall at precision ``q`` or more."""
    tp = np.cumsum(y[np.argsort(-p)])
    prec, rec = tp / np.arange(1, len(p) + 1), tp / max(1, y.sum())
    return round(float(rec[prec >= q].max()) if (prec >= q).any() else 0.0, 3)


def develop_oof(data, fit, predict, everything: bool = False):
    """Labels and scores of the develop people's random posts (``everything``: all their labelled
    posts, those drawn by score too), each person's scored by a model ``fit`` without them (the
    build's three person folds, as it chooses thresholds)."""
    oy, op = [], []
    for k in range(B.FOLDS):
        people = {r.source for r in data.pdev if B.fold_of(r.source) == k}
        rows = [r for r in data.pdev if r.source in people and (everything or r.kind == "random")]
        model = fit(data.training_set(exclude_people=frozenset(people)))
        oy += [r.label for r in rows]
        op += list(predict(model, [r.text for r in rows]))
    return np.array(oy), np.array(op)


def main():
    if len(sys.argv) > 1:
        CHAR["max_features"] = int(sys.argv[1])
    data = B.prepare(spec, ROOT.parent / "shared" / "data", ROOT.parent / "data-cache")
    for char in (False, True):
        t0 = time.time()
        oy, op = develop_oof(data, lambda rows, char=char: fitboth(rows, char), pred)
        m = fitboth(data.training_set(), char)
        out = {"dev OOF AP": round(average_precision_score(oy, op), 3), "dev R@P.7": rat(oy, op)}
        for kind in ("random", "random-2"):
            rows = [r for r in data.ptest if r.kind == kind]
            y, p = np.array([r.label for r in rows]), pred(m, [r.text for r in rows])
            out[f"test {kind} AP"] = round(average_precision_score(y, p), 3)
            out[f"test {kind} R@P.7"] = rat(y, p)
        for src in ("P5-sib200-en",):
            rows = [r for r in data.test_rows if r.source == src]
            y, p = np.array([r.label for r in rows]), pred(m, [r.text for r in rows])
            out[src + " AP"] = round(average_precision_score(y, p), 3)
        print("char" if char else "word", out, f"{time.time()-t0:.0f}s", flush=True)


if __name__ == "__main__":
    main()
