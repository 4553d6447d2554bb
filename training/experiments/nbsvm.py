"""Experiment (not shipped yet): the political word model as NBSVM (Wang & Manning, 2012):
binary word and bigram features scaled by their log-count ratio between the classes, L2
normalised, then logistic regression. The shipped inference reads it as it is (the ratio in
place of the IDF), so explanations would stay exact.

    python training/experiments/nbsvm.py [C ...]   # about a minute a value

Prints, for each C, average precision on the develop people's random posts out of fold (three
person folds, as the build chooses thresholds) and recall at precision 0.7. Test posts are not
read: the develop figures decide whether to build it.
"""
import sys
import time

import char_ngrams as X  # noqa: E402  (this folder: the shared fitting and measuring helpers)
import numpy as np
from sklearn.feature_extraction.text import CountVectorizer
from sklearn.linear_model import LogisticRegression
from sklearn.metrics import average_precision_score
from sklearn.preprocessing import normalize

B = X.B


def fit_nb(rows, C: float, alpha: float = 1.0):
    """Binary features, their log-count ratio (with the build's sample weights), the model."""
    cv = CountVectorizer(analyzer=X.feat, binary=True, min_df=2, max_features=B.MAX_FEATURES, dtype=np.float64)
    xb = cv.fit_transform([r.text for r in rows])
    y = np.array([r.label for r in rows])
    w = np.array([B.HAND_WEIGHT if r.source.startswith("personal:") and r.kind != "pool" else 1.0 for r in rows])
    p = alpha + np.asarray(xb[y == 1].multiply(w[y == 1][:, None]).sum(0)).ravel()
    q = alpha + np.asarray(xb[y == 0].multiply(w[y == 0][:, None]).sum(0)).ravel()
    ratio = np.log((p / p.sum()) / (q / q.sum()))
    clf = LogisticRegression(C=C, class_weight="balanced", solver="liblinear", max_iter=2000, random_state=B.SEED)
    clf.fit(normalize(xb.multiply(ratio).tocsr()), y, sample_weight=w)
    return cv, ratio, clf


def pred_nb(model, texts):
    cv, ratio, clf = model
    return clf.predict_proba(normalize(cv.transform(texts).multiply(ratio).tocsr()))[:, 1]


def main(cs: list[float]) -> None:
    data = B.prepare(X.spec, X.ROOT.parent / "shared" / "data", X.ROOT.parent / "data-cache")
    for C in cs:
        t0 = time.time()
        oy, op = X.develop_oof(data, lambda rows: fit_nb(rows, C), pred_nb)
        print(f"NBSVM C {C:g}: develop AP {average_precision_score(oy, op):.3f}, R@P0.7 {X.rat(oy, op)} "
              f"({time.time() - t0:.0f} s)", flush=True)


if __name__ == "__main__":
    main([float(c) for c in sys.argv[1:]] or [0.3, 1.0, 3.0])
