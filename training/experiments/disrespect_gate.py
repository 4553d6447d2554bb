"""Experiment: which lexicon gate the disrespect model's findings should pass.

    python training/experiments/disrespect_gate.py     # about 2 minutes

The disrespect model is fitted as the build fits it, three times, each time without one fold of
the develop people, and scores their labelled posts (out of fold; all of them, as the build
chooses this model's threshold, the random ones holding too few disrespectful posts). The gate
does not change what the model learns, only which scored posts may become findings, so each
gate below is applied to the same scores: its average precision, how many of the disrespectful
posts pass it at all, and the best F0.5 it reaches (the build's rule for the threshold). Test
posts are not read.
"""
import re
import sys

import char_ngrams as X  # noqa: E402  (this folder: the shared fitting and measuring helpers)
import numpy as np
from disrespect_variants import best_f05, fit, spec
from sklearn.metrics import average_precision_score

from auditor.detect.textmodel import gate_open

B = X.B
#: insults the lists do not hold, read in the develop people's gated-out disrespectful posts
EXTRA = re.compile(r"\b(?:jerks?|dicks?|screw (?:them|these|those|him|her|that guy)|gun nuts)\b", re.IGNORECASE)
GATES = {
    "as shipped": lambda g, t: gate_open(spec.gate, g),
    "a milder word aimed at someone too": lambda g, t: gate_open((*spec.gate, "disrespect.mild+disrespect.target"), g),
    "any milder word too": lambda g, t: gate_open((*spec.gate, "disrespect.mild"), g),
    "swearing at nobody too": lambda g, t: gate_open((*spec.gate, "disrespect.profanity"), g),
    "extra insults too": lambda g, t: gate_open(spec.gate, g) or bool(EXTRA.search(t)),
    "a milder word aimed, and extra insults": lambda g, t: gate_open(
        (*spec.gate, "disrespect.mild+disrespect.target"), g) or bool(EXTRA.search(t)),
    "no gate": lambda g, t: True,
}


def main() -> int:
    data = B.prepare(spec, X.ROOT.parent / "shared" / "data", X.ROOT.parent / "data-cache")
    ys, ps, ts = [], [], []
    for k in range(B.FOLDS):
        people = frozenset(r.source for r in data.pdev if B.fold_of(r.source) == k)
        rows = [r for r in data.pdev if r.source in people]
        vec, clf = fit(data.training_set(exclude_people=people), X.feat)
        ys += [r.label for r in rows]
        ts += [r.text for r in rows]
        ps += list(clf.predict_proba(vec.transform([r.text for r in rows]))[:, 1])
    y, p = np.array(ys), np.array(ps)
    print(f"develop people's labelled posts: {len(y)}, {int(y.sum())} disrespectful; "
          f"the model alone: AP {average_precision_score(y, p):.3f}")
    for name, gate in GATES.items():
        open_ = np.array([gate(X.feat.roles(t), t) for t in ts])
        gated = p * open_
        t, tp, fp = best_f05(y, gated)
        print(f"  {name:<40} passes {int((open_ & (y == 1)).sum()):>3} of {int(y.sum())} "
              f"(and {int((open_ & (y == 0)).sum())} others); AP {average_precision_score(y, gated):.3f}; "
              f"best F0.5 at {t:.2f}: {tp} found, {fp} false alarms")
    return 0


if __name__ == "__main__":
    sys.exit(main())
