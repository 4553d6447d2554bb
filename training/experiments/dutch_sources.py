"""Experiment: which of the Dutch political model's sources help, on the develop people only.

    python training/experiments/dutch_sources.py        # about a minute

For each variant of political_nl's training sources, the develop people's random Dutch posts are
scored out of fold (three person folds, as the build chooses thresholds) and the script prints the
average precision, and recall and false alarms at the threshold the build's rule would choose
there (at most 2% false alarms). Test posts are not read. Written in the Dutch round of issue 12,
after the first build failed the bar set for it: its strongest features were the party accounts'
style ("we", "onze", "jij", "kijk") against the first person of the everyday side ("ik", "mijn").
"""
import sys
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "training"))

import build_models as B  # noqa: E402
from sklearn.metrics import average_precision_score  # noqa: E402

PARTY = "nl:party-account-tweets"
VARIANTS = {
    "all sources (as first built)": lambda r: True,
    "without the party accounts' tweets": lambda r: r.source != PARTY,
    "party accounts' tweets capped at 1,000": None,  # handled below
    "without NU.nl": lambda r: r.source != "nl:nunl-headlines",
    "without the labelled Reddit posts": lambda r: not r.source.startswith("nl:reddit-"),
}
#: variants of the develop people's unlabelled posts (weak negatives), with the party accounts' tweets left out
POOLS = {
    "no party tweets, no weak negatives from the develop people's pools": lambda r: False,
    "no party tweets, weak negatives only from develop people under 10% political": None,
}


def main() -> int:
    spec = next(s for s in B.MODELS if s.name == "political_nl")
    feat = B.Featurizer(spec.lang)
    data = B.prepare(spec, ROOT.parent / "shared" / "data", ROOT.parent / "data-cache")
    base = list(data.base)
    party = [r for r in base if r.source == PARTY]
    pools = list(data.pools)
    rate = {}
    for r in data.pdev:
        if r.kind == "random":
            rate.setdefault(r.source, []).append(r.label)
    calm = {s for s, v in rate.items() if sum(v) / len(v) < 0.10}
    for name, keep in list(VARIANTS.items()) + list(POOLS.items()):
        data.pools = pools
        if name in POOLS:
            data.base = [r for r in base if r.source != PARTY]
            data.pools = [r for r in pools if (keep(r) if keep else r.source in calm)]
        elif keep is None:
            data.base = [r for r in base if r.source != PARTY] + party[:1000]
        else:
            data.base = [r for r in base if keep(r)]
        oy, op = [], []
        for k in range(B.FOLDS):
            people = {r.source for r in data.pdev if B.fold_of(r.source) == k}
            rows = [r for r in data.pdev if r.source in people and r.kind == "random"]
            if not rows:
                continue
            model = B.fit(data.training_set(exclude_people=frozenset(people)), feat, spec.C, spec.nb)
            oy += [r.label for r in rows]
            op += list(B.predict(*model, [r.text for r in rows]))
        y, p = np.array(oy), np.array(op)
        thr, _ = B.choose_by_false_alarms(y, p, None, spec.max_false_alarms)
        hit = p >= thr
        print(f"{name} ({len(data.pools)} pool posts): develop AP {average_precision_score(y, p):.3f}; at {thr:.2f}: "
              f"found {int((hit & (y == 1)).sum())} of {int(y.sum())}, false alarms {int((hit & (y == 0)).sum())} "
              f"of {int((y == 0).sum())}", flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
