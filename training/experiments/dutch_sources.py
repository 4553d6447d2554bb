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

import char_ngrams as X  # noqa: E402  (this folder: the shared fitting and measuring helpers)
from sklearn.metrics import average_precision_score

B = X.B
PARTY = "nl:party-account-tweets"


def _without(*sources):
    return lambda base, pools, calm: ([r for r in base if r.source not in sources], pools)


#: variant → (training rows, develop people's unlabelled posts) from the full ones and the develop
#: people under 10% political
VARIANTS = {
    "all sources (as first built)": lambda base, pools, calm: (base, pools),
    "without the party accounts' tweets": _without(PARTY),
    "party accounts' tweets capped at 1,000": lambda base, pools, calm: (
        [r for r in base if r.source != PARTY] + [r for r in base if r.source == PARTY][:1000], pools),
    "without NU.nl": _without("nl:nunl-headlines"),
    "without the labelled Reddit posts": _without("nl:reddit-netherlands-labelled", "nl:reddit-belgium-labelled"),
    "no party tweets, no weak negatives from the develop people's pools": lambda base, pools, calm: (
        [r for r in base if r.source != PARTY], []),
    "no party tweets, weak negatives only from develop people under 10% political": lambda base, pools, calm: (
        [r for r in base if r.source != PARTY], [r for r in pools if r.source in calm]),
}


def main() -> int:
    import dataclasses

    # every row of the collected file, the party accounts' tweets too (the shipped spec leaves them out)
    spec = dataclasses.replace(next(s for s in B.MODELS if s.name == "political_nl"),
                               train=[B._cache("lang/nl_political.jsonl", lang="nl")])
    feat = B.Featurizer(spec.lang)
    data = B.prepare(spec, X.ROOT.parent / "shared" / "data", X.ROOT.parent / "data-cache")
    base, pools = list(data.base), list(data.pools)
    rate: dict[str, list[int]] = {}
    for r in data.pdev:
        if r.kind == "random":
            rate.setdefault(r.source, []).append(r.label)
    calm = {s for s, v in rate.items() if sum(v) / len(v) < 0.10}
    for name, variant in VARIANTS.items():
        data.base, data.pools = variant(base, pools, calm)
        y, p = X.develop_oof(data, lambda rows: B.fit(rows, feat, spec.C, spec.nb), lambda m, t: B.predict(*m, t))
        thr, _ = B.choose_by_false_alarms(y, p, None, spec.max_false_alarms)
        hit = p >= thr
        print(f"{name} ({len(data.pools)} pool posts): develop AP {average_precision_score(y, p):.3f}; at {thr:.2f}: "
              f"found {int((hit & (y == 1)).sum())} of {int(y.sum())}, false alarms {int((hit & (y == 0)).sum())} "
              f"of {int((y == 0).sum())}", flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
