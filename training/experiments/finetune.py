"""Experiment: fine-tune the semantic mode's encoder (LoRA adapters) instead of reading frozen
sentence embeddings with a linear head.

    python training/experiments/finetune.py [--rows N] [--epochs E] [--rank R]   # ~9 min a fold

Result (2026-11-26, defaults: rank 8, one epoch, 29,744 rows of which 9,744 hand-labelled; the
folds' average precision of the sentence score alone, frozen / tuned): 0.813 / 0.826, 0.539 / 0.623,
0.639 / 0.641; all develop posts 0.693 / 0.743. Blended with the word model, average precision
0.758 / 0.776 at the best blend, but at the threshold the build's rule picks the tuned mode finds
no more: P 0.912 R 0.547 (frozen, a = 0.5) against P 0.907 R 0.516 (tuned, a = 0.5); best F0.5
0.805 / 0.800. Not shipped; ``build_semantic.py --tune`` builds it. (That run cut posts at 128 word
pieces and seeded every adapter alike; ``tune_encoder.py`` now reads 256, as the audit's encoder
does, and seeds each adapter apart. A full ``build_semantic.py --tune`` with it chose P 0.960,
R 0.505 on the develop people, F0.5 0.813 against the frozen head's 0.805: the sign flips between
runs by about one post. Test people's random posts P 0.70, R 0.37 against 0.71, 0.34; SIB-200 F1
0.73 against 0.73. See the README.)

The semantic mode reads all-MiniLM-L6-v2's embedding as it comes and fits a logistic regression
on it (``build_semantic.py``). Here the encoder itself learns: low-rank adapters (LoRA, rank
``--rank``) beside every linear layer of its six transformer blocks, and the head, are trained
with the encoder's weights frozen, on the same rows the head learns from (every develop
person's hand-labelled post, plus a fixed random sample of the other training rows). The
adapters are small (about 1 MB at rank 8) and fold into the encoder's weights when it loads, so
the audit would run exactly as fast as it does with the frozen encoder.

Measured as build_semantic.py chooses: the develop people's random posts, out of fold (three
person folds, each fold's posts scored by an encoder, head and word model that never saw those
people). Printed for each fold and overall: average precision of the sentence score alone, of
the frozen head's sentence score, and of each blend with the word model; and precision and recall
at the threshold the build's rule would choose. Test people's posts are not read.
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "training"))

import build_models as B  # noqa: E402
import build_semantic as S  # noqa: E402
import numpy as np  # noqa: E402
import tune_encoder as T  # noqa: E402


def main(argv=None) -> int:
    from sklearn.metrics import average_precision_score

    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--rows", type=int, default=S.SAMPLE, help="rows sampled besides the hand-labelled posts")
    ap.add_argument("--epochs", type=int, default=1)
    ap.add_argument("--rank", type=int, default=8)
    ap.add_argument("--lr", type=float, default=5e-4)
    ap.add_argument("--batch", type=int, default=32)
    ap.add_argument("--folds", type=int, nargs="*", default=list(range(B.FOLDS)))
    ap.add_argument("--limit", type=int, help="train on this many rows only (a quick check that it runs)")
    args = ap.parse_args(argv)

    def log(m):
        print(m, flush=True)

    spec = next(s for s in B.MODELS if s.name == "political_en")
    data = B.prepare(spec, ROOT.parent / "shared" / "data", ROOT.parent / "data-cache")
    feat = B.Featurizer()
    emb = S.Embedder(ROOT.parent / "data-cache")
    train = data.training_set()
    subset, n_hand = S.training_subset(train, args.rows)
    texts = [r.text for r in subset]
    X = S.with_lexicon(emb(texts, log), texts, feat)
    log(f"{len(subset)} rows ({n_hand} hand-labelled), rank {args.rank}, lr {args.lr}, {args.epochs} epoch(s)")
    ys, ws, frozen, tuned = [], [], [], []
    for k in args.folds:
        people = {r.source for r in data.pdev if B.fold_of(r.source) == k}
        rows = [r for r in data.pdev if r.source in people and r.kind == "random"]
        keep = np.array([r.source not in people for r in subset])
        if args.limit:
            keep &= np.arange(len(subset)) % max(1, len(subset) // args.limit) == 0
        fold_rows = [r for r, k_ in zip(subset, keep, strict=True) if k_]
        t0 = time.time()
        head0 = S.fit_head(X[keep], fold_rows)
        wm = B.fit(data.training_set(exclude_people=frozenset(people)), feat, spec.C, spec.nb)
        vt = [r.text for r in rows]
        Xv = S.with_lexicon(emb(vt, log), vt, feat)
        model = T.finetune(fold_rows, X[keep][:, -len(S.LEXICON):], B.sample_weights(fold_rows), head0,
                           T.Settings(rank=args.rank, alpha=2.0 * args.rank, lr=args.lr, epochs=args.epochs,
                                      batch=args.batch, seed=B.SEED), log)
        y = np.array([r.label for r in rows])
        s_frozen = S.head_logit(head0, Xv)
        s_tuned = model.logits(vt, Xv[:, -len(S.LEXICON):])
        del model
        ys.append(y)
        ws.append(B.predict(*wm, vt))
        frozen.append(s_frozen)
        tuned.append(s_tuned)
        log(f"  fold {k} ({len(rows)} posts, {int(y.sum())} political, {time.time() - t0:.0f} s): AP sentence "
            f"frozen {average_precision_score(y, s_frozen):.3f}, tuned {average_precision_score(y, s_tuned):.3f}")
    y, w = np.concatenate(ys), np.concatenate(ws)
    for name, s in (("frozen", np.concatenate(frozen)), ("tuned", np.concatenate(tuned))):
        log(f"{name}: sentence alone AP {average_precision_score(y, s):.3f}")
        for a in (0.0,) + S.BLENDS:
            p = S._expit(a * S._logit(w) + (1 - a) * s)
            thr, _ = B.choose_threshold(y, p, None, spec.target_precision)
            sc = B.scores(y, p, thr)
            log(f"  blend a={a}: AP {average_precision_score(y, p):.3f}; threshold {thr}: "
                f"P {sc['precision']} R {sc['recall']} F0.5 {S.f05(sc):.3f}")
    log(f"words alone: AP {average_precision_score(y, w):.3f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
