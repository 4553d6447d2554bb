"""Experiment: the develop people's unlabelled posts (the pools, weak negatives) without the ones
that read as political.

    python training/experiments/pool_cleaning.py [TAU ...]   # about 10 minutes

Each develop person's first 5,000 posts are training rows labelled 0 for every model of their
language. About one in thirty of them is political, so the word model learns a few hundred
political personal posts as everyday, against the hand labels. Here a pool post is left out of
training when a word model that never saw that person (cross-fitted over the build's three
person folds) scores it at ``TAU`` or more.

Prints, for the model without cleaning (as shipped before training/build_teacher.py) and for each ``TAU``: average precision on the develop people's
random posts out of fold (three person folds; inside each, the pools are cleaned by models that
did not see the held-out fold either, so nothing of its labels leaks in), recall at precision
0.85 and 0.7, and the precision and recall at the threshold the build's rule would choose there;
then, measured only, the same on the test people's two random draws and average precision on
SIB-200 English news.
"""
import dataclasses
import sys
import time

import char_ngrams as X  # noqa: E402  (this folder: the shared fitting and measuring helpers)
import numpy as np
from sklearn.metrics import average_precision_score

B = X.B


def fit(rows):
    return X.fitboth(rows, False)


def pool_scores(data, exclude: frozenset[str]) -> dict[int, float]:
    """Each pool post of the people not in ``exclude``, scored by a word model that was fitted
    without that post's fold and without ``exclude``."""
    out: dict[int, float] = {}
    for j in range(B.FOLDS):
        fold = {p for p in data.people if B.fold_of(p) == j} - exclude
        rows = [r for r in data.pools if r.source in fold]
        if not rows:
            continue
        model = fit(data.training_set(exclude_people=frozenset(exclude | fold)))
        out.update(zip(map(id, rows), X.pred(model, [r.text for r in rows]), strict=True))
    return out


def cleaned(rows, scores: dict[int, float], tau: float | None):
    if tau is None:
        return rows
    return [r for r in rows if not (r.kind == "pool" and scores.get(id(r), 0.0) >= tau)]


def at_threshold(y, p, thr):
    pred = p >= thr
    tp = int((pred & (y == 1)).sum())
    return round(float(tp / max(1, pred.sum())), 2), round(float(tp / max(1, y.sum())), 2)


def main(argv):
    taus = [None] + ([float(a) for a in argv] or [0.3, 0.5, 0.7])
    spec = X.spec
    # the pools as they were before the teacher (build_teacher.py): 5,000 weak negatives a person
    data = B.prepare(dataclasses.replace(spec, pool_size=5_000, teacher=""), X.ROOT.parent / "shared" / "data",
                     X.ROOT.parent / "data-cache")
    t0 = time.time()
    oof = {tau: ([], []) for tau in taus}
    dropped = {tau: 0 for tau in taus}
    for k in range(B.FOLDS):
        held = frozenset(p for p in data.people if B.fold_of(p) == k)
        scores = pool_scores(data, held)
        rows = [r for r in data.pdev if r.source in held and r.kind == "random"]
        base = data.training_set(exclude_people=held)
        for tau in taus:
            train = cleaned(base, scores, tau)
            dropped[tau] += len(base) - len(train)
            model = fit(train)
            oof[tau][0].extend(r.label for r in rows)
            oof[tau][1].extend(X.pred(model, [r.text for r in rows]))
        print(f"fold {k} done ({time.time() - t0:.0f} s)", flush=True)
    final_scores = pool_scores(data, frozenset())
    full = data.training_set()
    for tau in taus:
        oy, op = np.array(oof[tau][0]), np.array(oof[tau][1])
        thr, _ = B.choose_threshold(oy, op, None, spec.target_precision)
        train = cleaned(full, final_scores, tau)
        model = fit(train)
        out = {"pool dropped (final)": len(full) - len(train), "dev AP": round(average_precision_score(oy, op), 3),
               "dev R@P.85": X.rat(oy, op, 0.85), "dev R@P.7": X.rat(oy, op), "thr": thr,
               "dev P,R@thr": at_threshold(oy, op, thr)}
        for kind in ("random", "random-2"):
            rs = [r for r in data.ptest if r.kind == kind]
            y, p = np.array([r.label for r in rs]), X.pred(model, [r.text for r in rs])
            out[f"test {kind} AP"] = round(average_precision_score(y, p), 3)
            out[f"test {kind} P,R@thr"] = at_threshold(y, p, thr)
        rs = [r for r in data.test_rows if r.source == "P5-sib200-en"]
        out["SIB-200 AP"] = round(average_precision_score([r.label for r in rs], X.pred(model, [r.text for r in rs])), 3)
        print("no cleaning" if tau is None else f"tau {tau:g}", out, flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
