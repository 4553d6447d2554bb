"""Experiment: one setting of the political word model tried at several values.

    python training/experiments/sweep.py hand_weight [W ...]   # about a minute a value
    python training/experiments/sweep.py C [C ...]
    python training/experiments/sweep.py max_features [N ...]

``hand_weight``: how much one hand-labelled personal post weighs against one row of a
proxy-labelled corpus (``HAND_WEIGHT`` in build_models.py, 10 as shipped; 1, 3, 5, 10 and 30 by
default). ``C``: the logistic regression's inverse regularisation (``Spec.C``, 1 as shipped;
0.5, 1, 2 and 4 by default). ``max_features``: the size of the vocabulary (``MAX_FEATURES``, 60,000
as shipped; 40,000, 60,000, 100,000 and 150,000 by default). For each value, the political word model's average precision on the
develop people's random posts out of fold (three person folds, as the build chooses
thresholds), and recall at precision 0.7. Test posts are not read.
"""
import sys
import time

import char_ngrams as X  # noqa: E402  (this folder: the shared fitting and measuring helpers)
from sklearn.metrics import average_precision_score

B = X.B
SETTINGS = {
    "hand_weight": (lambda v: setattr(B, "HAND_WEIGHT", v), [1.0, 3.0, 5.0, 10.0, 30.0]),
    "C": (lambda v: setattr(X.spec, "C", v), [0.5, 1.0, 2.0, 4.0]),
    "max_features": (lambda v: setattr(B, "MAX_FEATURES", int(v)), [40_000, 60_000, 100_000, 150_000]),
}


def main(argv: list[str]) -> int:
    if not argv or argv[0] not in SETTINGS:
        print(__doc__)
        return 2
    set_value, defaults = SETTINGS[argv[0]]
    data = B.prepare(X.spec, X.ROOT.parent / "shared" / "data", X.ROOT.parent / "data-cache")
    for v in [float(a) for a in argv[1:]] or defaults:
        set_value(v)
        t0 = time.time()
        oy, op = X.develop_oof(data, lambda rows: X.fitboth(rows, False), X.pred)
        print(f"{argv[0]} {v:g}: develop AP {average_precision_score(oy, op):.3f}, R@P0.7 {X.rat(oy, op)} "
              f"({time.time() - t0:.0f} s)", flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
