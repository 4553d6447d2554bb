"""Experiment: the disrespect word model as built against variants of what it learns from.

    python training/experiments/disrespect_variants.py [VARIANT ...]   # under a minute a variant

For each variant, the model's average precision on the develop people's labelled posts out of
fold (three person folds, as the build chooses thresholds; all labelled posts, since the random
ones hold too few disrespectful posts), with and without the gate (an insult word, or a swear
word aimed at someone), and the best F0.5 the gated scores reach. Test posts are not read.

Variants: ``shipped`` (with the lexicon features: a party, a politician ... was named),
``words`` (without them), ``no-hate`` (without the identity-hate corpora: HatEval, Stormfront,
MLMA, Gab Hate Corpus, Latent Hatred), ``no-hate-games`` (also without the game chats, CONDA and
GameTox), ``hand-30`` (a hand label weighs 30 corpus rows, not 10).
"""
import sys
import time

import char_ngrams as X  # noqa: E402  (this folder: the shared fitting and measuring helpers)
import numpy as np
from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.linear_model import LogisticRegression
from sklearn.metrics import average_precision_score

B = X.B
spec = next(s for s in B.MODELS if s.name == "disrespect_en")
HATE = frozenset({"O4-hateval", "O5-stormfront", "O7--mlma-en", "gab-hate-corpus", "latent-hatred"})
GAMES = frozenset({"conda-dota2", "gametox"})
VARIANTS = {
    "shipped": dict(),
    "words": dict(analyzer=lambda text: [f for f in X.feat(text) if not f.startswith("@")]),
    "no-hate": dict(exclude=HATE),
    "no-hate-games": dict(exclude=HATE | GAMES),
    "hand-30": dict(hand_weight=30.0),
}


def fit(rows, analyzer):
    vec = TfidfVectorizer(analyzer=analyzer, binary=True, min_df=2, max_features=B.MAX_FEATURES, norm="l2",
                          dtype=np.float64)
    X_ = vec.fit_transform([r.text for r in rows])
    clf = LogisticRegression(C=spec.C, class_weight="balanced", solver="liblinear", max_iter=2000,
                             random_state=B.SEED)
    clf.fit(X_, np.array([r.label for r in rows]), sample_weight=B.sample_weights(rows))
    return vec, clf


def best_f05(y, p):
    """(threshold, found, false alarms) of the best F0.5 over thresholds 0.20, 0.25 ... 0.95."""
    def f05(t):
        tp, fp = int(((p >= t) & (y == 1)).sum()), int(((p >= t) & (y == 0)).sum())
        prec, rec = tp / max(1, tp + fp), tp / max(1, y.sum())
        return 1.25 * prec * rec / (0.25 * prec + rec) if tp else 0.0, t, tp, fp
    return max(f05(t) for t in np.arange(0.2, 0.96, 0.05))[1:]


def main(argv: list[str]) -> int:
    names = argv or list(VARIANTS)
    if any(n not in VARIANTS for n in names):
        print(__doc__)
        return 2
    data = B.prepare(spec, X.ROOT.parent / "shared" / "data", X.ROOT.parent / "data-cache")
    for name in names:
        v = VARIANTS[name]
        B.HAND_WEIGHT = v.get("hand_weight", 10.0)
        t0 = time.time()
        ys, ps, ts = [], [], []
        for k in range(B.FOLDS):
            people = frozenset(r.source for r in data.pdev if B.fold_of(r.source) == k)
            rows = [r for r in data.pdev if r.source in people]
            vec, clf = fit(data.training_set(exclude_people=people, exclude_sources=v.get("exclude", frozenset())),
                           v.get("analyzer", X.feat))
            ys += [r.label for r in rows]
            ts += [r.text for r in rows]
            ps += list(clf.predict_proba(vec.transform([r.text for r in rows]))[:, 1])
        y, p = np.array(ys), np.array(ps)
        gated = p * np.array([B.gated(spec, X.feat, t) for t in ts])
        t, tp, fp = best_f05(y, gated)
        print(f"{name}: develop AP {average_precision_score(y, p):.3f}, gated {average_precision_score(y, gated):.3f}; "
              f"best F0.5 gated at {t:.2f}: {tp} of {int(y.sum())} found, {fp} false alarms ({time.time() - t0:.0f} s)",
              flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
