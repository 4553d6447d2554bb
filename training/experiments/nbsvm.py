"""Experiment (not shipped yet): the political word model as NBSVM (Wang & Manning, 2012):
binary word and bigram features scaled by their log-count ratio between the classes, L2
normalised, then logistic regression: the build's own ``fit(..., nb=True)`` (``Spec.nb``). The
shipped inference reads it as it is (the ratio in place of the IDF), so explanations would stay
exact.

    python training/experiments/nbsvm.py [C ...]   # about a minute a value

Prints, for each C, average precision on the develop people's random posts out of fold (three
person folds, as the build chooses thresholds) and recall at precision 0.7. Test posts are not
read: the develop figures decide whether to build it.
"""
import sys
import time

import char_ngrams as X  # noqa: E402  (this folder: the shared fitting and measuring helpers)
from sklearn.metrics import average_precision_score

B = X.B


def main(cs: list[float]) -> None:
    data = B.prepare(X.spec, X.ROOT.parent / "shared" / "data", X.ROOT.parent / "data-cache")
    for C in cs:
        t0 = time.time()
        oy, op = X.develop_oof(data, lambda rows: B.fit(rows, X.feat, C, nb=True), lambda m, t: B.predict(*m, t))
        print(f"NBSVM C {C:g}: develop AP {average_precision_score(oy, op):.3f}, R@P0.7 {X.rat(oy, op)} "
              f"({time.time() - t0:.0f} s)", flush=True)


if __name__ == "__main__":
    main([float(c) for c in sys.argv[1:]] or [0.3, 1.0, 3.0])
