"""Experiment (not shipped): does how political a person's whole archive reads help judge one post?

    python training/experiments/person_prior.py     # about 2 minutes

Some people post about politics far more than others, so a post the political word model is
unsure of might be read in the light of the rest of the archive: an empirical prior. For each of
the build's three person folds, the political word model is fitted as the build fits it without
that fold's develop people, and scores their random labelled posts and every post of their pools
(their unlabelled everyday posts). Each person's archive gets a density: the share of pool posts
at or over the shipped threshold, or at or over 0.5, or the mean score. A two-feature logistic
regression (the post's log-odds and the archive's) is then fitted on two folds and applied to the
third. Prints average precision and recall at precision 0.85 and 0.7, with and without the prior.
Test posts are not read.
"""
import json
import sys
from collections import defaultdict
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT / "training" / "experiments"))
import char_ngrams as X  # noqa: E402  (the shared fitting helpers)
import numpy as np  # noqa: E402
from sklearn.linear_model import LogisticRegression  # noqa: E402
from sklearn.metrics import average_precision_score  # noqa: E402

B = X.B


def logit(x):
    x = np.clip(x, 1e-4, 1 - 1e-4)
    return np.log(x / (1 - x))


def main() -> int:
    data = B.prepare(X.spec, ROOT.parent / "shared" / "data", ROOT.parent / "data-cache")
    threshold = float(json.loads((ROOT / "auditor/detect/models/manifest.json").read_text(encoding="utf-8"))
                      ["models"]["political_en"]["threshold"])
    fold, person, y, p = [], [], [], []
    density: dict[str, tuple[float, float, float]] = {}
    for k in range(B.FOLDS):
        people = {r.source for r in data.pdev if B.fold_of(r.source) == k}
        model = X.fitboth(data.training_set(exclude_people=frozenset(people)), False)
        rows = [r for r in data.pdev if r.source in people and r.kind == "random"]
        fold += [k] * len(rows)
        person += [r.source for r in rows]
        y += [r.label for r in rows]
        p += list(X.pred(model, [r.text for r in rows]))
        pool = defaultdict(list)
        for r in data.pools:
            if r.source in people:
                pool[r.source].append(r.text)
        for who, texts in pool.items():
            s = X.pred(model, texts)
            density[who] = (float((s >= threshold).mean()), float((s >= 0.5).mean()), float(s.mean()))
    keep = [i for i, who in enumerate(person) if who in density]
    fold, y, p = np.array(fold)[keep], np.array(y)[keep], np.array(p)[keep]
    person = [person[i] for i in keep]
    print(f"develop people's random posts: {len(y)}, {int(y.sum())} political, {len(set(person))} people")
    print(f"  the word model alone: AP {average_precision_score(y, p):.3f}, "
          f"R@P0.85 {X.rat(y, p, 0.85)}, R@P0.7 {X.rat(y, p, 0.7)}")
    for j, name in enumerate((f"share at or over {threshold}", "share at or over 0.5", "mean score")):
        feats = np.c_[logit(p), logit(np.array([density[w][j] for w in person]))]
        q = np.zeros(len(y))
        for k in range(B.FOLDS):
            m = LogisticRegression().fit(feats[fold != k], y[fold != k])
            q[fold == k] = m.predict_proba(feats[fold == k])[:, 1]
        print(f"  with the archive's {name}: AP {average_precision_score(y, q):.3f}, "
              f"R@P0.85 {X.rat(y, q, 0.85)}, R@P0.7 {X.rat(y, q, 0.7)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
