"""Experiment: hashtags split into words for the word models' features (auditor/detect/segment.py),
against hashtags kept whole.

    python training/experiments/segment_tags.py   # about 4 minutes

For each variant, the political word model's average precision on the develop people's random
posts out of fold (three person folds, as the build chooses thresholds: the figure that
decides), and, measured only, on the test people's two random draws and on SIB-200 English news.
"""
import time

import char_ngrams as X  # noqa: E402  (this folder: the shared fitting and measuring helpers)
import numpy as np
from sklearn.metrics import average_precision_score

from auditor.detect import textmodel

B = X.B
VARIANTS = {"hashtags whole (as before)": False, "hashtags split into words": True}


def main() -> None:
    data = B.prepare(X.spec, X.ROOT.parent / "shared" / "data", X.ROOT.parent / "data-cache")
    for name, split in VARIANTS.items():
        textmodel.SPLIT_HASHTAGS = split
        textmodel._hashtag.cache_clear()
        X.feat = B.Featurizer()
        t0 = time.time()
        oy, op = X.develop_oof(data, lambda rows: X.fitboth(rows, False), X.pred)
        out = {"dev AP": round(average_precision_score(oy, op), 3), "dev R@P.7": X.rat(oy, op)}
        m = X.fitboth(data.training_set(), False)
        for kind in ("random", "random-2"):
            rows = [r for r in data.ptest if r.kind == kind]
            y, p = np.array([r.label for r in rows]), X.pred(m, [r.text for r in rows])
            out[f"test {kind} AP"] = round(average_precision_score(y, p), 3)
        rows = [r for r in data.test_rows if r.source == "P5-sib200-en"]
        y, p = np.array([r.label for r in rows]), X.pred(m, [r.text for r in rows])
        out["SIB-200 AP"] = round(average_precision_score(y, p), 3)
        print(name, out, f"{time.time() - t0:.0f} s", flush=True)


if __name__ == "__main__":
    main()
