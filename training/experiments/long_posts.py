"""Experiment: does a political sentence diluted in a long post get found if each paragraph
(or sentence) of a long post is also scored on its own?

    python training/experiments/long_posts.py     # about 5 minutes

The political word model is fitted as the build fits it, three times, each time without one
fold of the develop people, and scores those people's posts (out of fold). A post is scored
whole (as shipped), and then as the highest of its whole score and the score of each of its
pieces of eight words or more: its paragraphs (split at line breaks), or its sentences. Printed
for the develop people's random posts (the posts thresholds are chosen on) and for all their
labelled posts of 400 characters or more or of three lines or more: average precision, and at
the shipped threshold how many political posts are found and how many others are flagged.
Test posts are not read.
"""
import json
import re
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT / "training" / "experiments"))
import char_ngrams as X  # noqa: E402  (the shared fitting helpers)
import numpy as np  # noqa: E402
from sklearn.metrics import average_precision_score  # noqa: E402

B = X.B
_SENT = re.compile(r"(?<=[.!?])\s+(?=[A-Z\"'(])")
MIN_WORDS = 8


def pieces(text: str, how: str) -> list[str]:
    paras = [p.strip() for p in re.split(r"\n\s*", text) if p.strip()]
    if how == "sentences":
        paras = [s for p in paras for s in _SENT.split(p)]
    out = [p for p in paras if len(p.split()) >= MIN_WORDS]
    return out if len(out) > 1 else []


def is_long(text: str) -> bool:
    return len(text) >= 400 or text.count("\n") >= 2


def main() -> int:
    data = B.prepare(X.spec, ROOT.parent / "shared" / "data", ROOT.parent / "data-cache")
    manifest = json.loads((ROOT / "auditor/detect/models/manifest.json").read_text(encoding="utf-8"))
    threshold = float(manifest["models"]["political_en"]["threshold"])
    t0 = time.time()
    rows_all, scores = [], {"whole": [], "paragraphs": [], "sentences": []}
    for k in range(B.FOLDS):
        people = {r.source for r in data.pdev if B.fold_of(r.source) == k}
        rows = [r for r in data.pdev if r.source in people]
        model = X.fitboth(data.training_set(exclude_people=frozenset(people)), False)
        whole = X.pred(model, [r.text for r in rows])
        rows_all += rows
        scores["whole"] += list(whole)
        for how in ("paragraphs", "sentences"):
            parts = [pieces(r.text, how) for r in rows]
            flat = [p for ps in parts for p in ps]
            ps = iter(X.pred(model, flat)) if flat else iter(())
            scores[how] += [max([w] + [next(ps) for _ in range(len(pp))]) for w, pp in zip(whole, parts, strict=True)]
        print(f"fold {k}: {len(rows)} posts ({time.time() - t0:.0f} s)", flush=True)
    y = np.array([r.label for r in rows_all])
    subsets = {"random posts": np.array([r.kind == "random" for r in rows_all]),
               "long posts (all labelled)": np.array([is_long(r.text) for r in rows_all])}
    print(f"\nshipped threshold {threshold}")
    for name, mask in subsets.items():
        print(f"\n{name}: {int(mask.sum())} posts, {int(y[mask].sum())} political")
        for how, s in scores.items():
            p = np.array(s)[mask]
            yy = y[mask]
            tp, fp = int(((p >= threshold) & (yy == 1)).sum()), int(((p >= threshold) & (yy == 0)).sum())
            print(f"  {how:<11} AP {average_precision_score(yy, p):.3f}  at the threshold: {tp} found, "
                  f"{fp} false alarms; R@P.7 {X.rat(yy, p)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
