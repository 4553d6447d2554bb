"""Experiment (not shipped): how much one hand-labelled personal post should weigh against one
row of a proxy-labelled corpus (``HAND_WEIGHT`` in build_models.py, 10 as shipped).

    python training/experiments/hand_weight.py [WEIGHT ...]   # about a minute a weight

For each weight, the political word model's average precision on the develop people's random
posts out of fold (three person folds, as the build chooses thresholds), and recall at
precision 0.7. Test posts are not read.
"""
import sys
import time

import char_ngrams as X  # noqa: E402  (this folder: the shared fitting and measuring helpers)
from sklearn.metrics import average_precision_score

B = X.B


def main(weights: list[float]) -> None:
    data = B.prepare(X.spec, X.ROOT.parent / "shared" / "data", X.ROOT.parent / "data-cache")
    for hw in weights:
        B.HAND_WEIGHT = hw
        t0 = time.time()
        oy, op = X.develop_oof(data, lambda rows: X.fitboth(rows, False), X.pred)
        print(f"HAND_WEIGHT {hw:g}: develop AP {average_precision_score(oy, op):.3f}, R@P0.7 {X.rat(oy, op)} "
              f"({time.time() - t0:.0f} s)", flush=True)


if __name__ == "__main__":
    main([float(w) for w in sys.argv[1:]] or [1.0, 3.0, 5.0, 10.0, 30.0])
