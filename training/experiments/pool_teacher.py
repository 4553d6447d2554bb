"""Experiment: the develop people's unlabelled posts (the pools, weak negatives) read by the
semantic mode as a teacher, for the political word model.

    python training/experiments/pool_teacher.py   # about 5 minutes (embeddings cached); needs [semantic]
    python training/experiments/pool_teacher.py --per-person 20000   # more of each archive: about 10 minutes

pool_cleaning.py left out the pool posts that the word model itself scores high, and nothing
moved: those are posts it already reads as political. Here the teacher is the semantic mode
(all-MiniLM-L6-v2 sentence embeddings read by a linear head, blended with the word model as
training/build_semantic.py blends them, a = 0.6), which finds more of the develop people's
political posts than the word model alone. Each pool post is scored by a teacher that never saw
that person (the build's three person folds; inside each evaluation fold, teachers that did not
see the held-out fold either). Then either

* ``drop``: a pool post the teacher scores at 0.5 or more leaves training, or
* ``relabel``: one it scores at 0.82 (the semantic mode's threshold) or more becomes a political
  row (weight 1, like any corpus row), and those between 0.5 and 0.82 leave training.

Prints the same figures as pool_cleaning.py for the word model without a teacher (as shipped
before training/build_teacher.py, which came of this) and each variant.
With ``--per-person N``, each develop person's first N posts (not 5,000) are the pool, so the
teacher labels more of the people's own writing; the variant ``weak`` then reads them all as 0,
as the build reads its pools, to tell the gain of more everyday posts from the teacher's.
Embeddings are cached under ../data-cache/semantic/ (the pools take about 3 minutes).
"""
import dataclasses
import sys
import time

import char_ngrams as X  # noqa: E402  (this folder: the shared fitting and measuring helpers)
import numpy as np
import pool_cleaning as PC
from sklearn.metrics import average_precision_score

B = X.B
sys.path.insert(0, str(X.ROOT / "training"))
import build_semantic as S  # noqa: E402
import build_teacher as T  # noqa: E402
import corpora as C  # noqa: E402


def variant(readings: dict, how: str | None) -> dict:
    """The teacher's readings (build_teacher.read_pools) as a variant takes them: ``relabel`` as
    they are; ``drop`` with every post read as political left out too; otherwise none."""
    if how == "relabel":
        return readings
    if how == "drop":
        return {k: {c: B.TEACHER_UNSURE if v else "" for c, v in by.items()} for k, by in readings.items()}
    return {}


def main(argv: list[str]) -> int:
    spec = X.spec
    cache = X.ROOT.parent / "data-cache"
    data = B.prepare(dataclasses.replace(spec, pool_size=5_000, teacher=""), X.ROOT.parent / "shared" / "data", cache)
    variants = [None, "drop", "relabel"]
    if argv[:1] == ["--per-person"]:
        # Less than the per-source cap (25,000), so that no hand label is sampled away.
        per = min(int(argv[1]), B.CAP - 5_000)
        only = B.person_languages()
        developers = {p for p in B._people(cache) if p not in B.test_people()}
        pools = [r for r in C.personal_pool(cache, developers, per_person=per)
                 if r.lang == spec.lang and B.serves(r.source, spec.lang, only)]
        data = dataclasses.replace(data, pools=pools)
        variants = ["weak", "relabel"]
    print(f"{len(data.pools)} pool posts", flush=True)
    readings = T.read_pools(spec, data, S.Embedder(cache), B.Featurizer(), print)
    t0 = time.time()
    for v in variants:
        taught = dataclasses.replace(data, teacher=variant(readings, v))
        oy, op = [], []
        for k in range(B.FOLDS):
            # each fold's people scored by a model whose pools a teacher read without them
            held = frozenset(p for p in data.people if B.fold_of(p) == k)
            rows = [r for r in data.pdev if r.source in held and r.kind == "random"]
            model = PC.fit(taught.training_set(exclude_people=held))
            oy.extend(r.label for r in rows)
            op.extend(X.pred(model, [r.text for r in rows]))
        oy, op = np.array(oy), np.array(op)
        thr, _ = B.choose_threshold(oy, op, None, spec.target_precision)
        full, train = data.training_set(), taught.training_set()
        model = PC.fit(train)
        out = {"pool rows 1": sum(r.kind == "pool" and r.label == 1 for r in train),
               "pool rows left out": len(full) - len(train), "dev AP": round(average_precision_score(oy, op), 3),
               "dev R@P.85": X.rat(oy, op, 0.85), "dev R@P.7": X.rat(oy, op), "thr": thr,
               "dev P,R@thr": PC.at_threshold(oy, op, thr)}
        for kind in ("random", "random-2"):
            rs = [r for r in data.ptest if r.kind == kind]
            y, p = np.array([r.label for r in rs]), X.pred(model, [r.text for r in rs])
            out[f"test {kind} AP"] = round(average_precision_score(y, p), 3)
            out[f"test {kind} P,R@thr"] = PC.at_threshold(y, p, thr)
        rs = [r for r in data.test_rows if r.source == "P5-sib200-en"]
        out["SIB-200 AP"] = round(average_precision_score([r.label for r in rs], X.pred(model, [r.text for r in rs])), 3)
        print(v or "no teacher", out, f"({time.time() - t0:.0f} s)", flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
