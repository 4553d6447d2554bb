"""Read the political word model's everyday posts with the semantic mode as a teacher.

    pip install -e '.[train,semantic]'
    python training/build_teacher.py --shared ../shared/data --cache ../data-cache   # about 10 minutes

The English political word model learns from the first 20,000 posts of each develop person's
archive (their pool) as everyday posts, though a few percent of them are political. This script
reads those posts with a teacher, the semantic mode (all-MiniLM-L6-v2 sentence embeddings read
by a linear head, blended with a word model as training/build_semantic.py blends them), which
finds more of the develop people's political posts than the word model alone:

* a post the teacher scores at 0.82 (the semantic mode's threshold) or more trains as political;
* one it scores from 0.5 to 0.82 is left out of training;
* the rest stay everyday posts.

No post is read by a teacher that saw its person's hand labels: each person fold's posts are read
by a teacher fitted without that fold (``final``, for the shipped model). The build measures its
model on each fold of develop people by a model fitted without them, so for that model the
other folds' posts are read by a teacher fitted without both folds (``fold<k>``): no held-out
person's labels reach its training rows either. ``python training/experiments/pool_teacher.py
--per-person 20000`` measured the idea first.

Writes ``training/labels/teacher_political_en.tsv.gz``: for each pool post some teacher did not
leave an everyday post, its person, a hash of its text and the four readings (ids and labels
only, no text, like the hand labels). ``training/build_models.py`` reads it (``teacher`` in the
model's spec). Embeddings are cached under ``<cache>/semantic/``.
"""

from __future__ import annotations

import argparse
import gzip
import sys
import time
from dataclasses import replace
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "training"))

import build_models as B  # noqa: E402
import build_semantic as S  # noqa: E402

MODEL = "political_en"
#: the word model's share of the teacher's blend (as the semantic mode shipped when this was measured)
BLEND = 0.6
#: a pool post scored at this or more trains as political; from UNSURE_AT to here, left out
POSITIVE_AT, UNSURE_AT = 0.82, 0.5


class Teacher:
    """A word model and a sentence head fitted on ``rows``, blended."""

    def __init__(self, rows: list, spec: B.Spec, embed: S.Embedder, feat: B.Featurizer, log):
        self.embed, self.feat, self.log = embed, feat, log
        self.word = B.fit(rows, feat, spec.C, spec.nb)
        subset, _ = S.training_subset(rows)
        texts = [r.text for r in subset]
        self.head = S.fit_head(S.with_lexicon(embed(texts, log), texts, feat), subset)

    def __call__(self, texts: list[str]):
        sentence = S.head_logit(self.head, S.with_lexicon(self.embed(texts, self.log), texts, self.feat))
        return S._expit(BLEND * S._logit(B.predict(*self.word, texts)) + (1 - BLEND) * sentence)


def reading(score: float) -> str:
    return B.TEACHER_POSITIVE if score >= POSITIVE_AT else B.TEACHER_UNSURE if score >= UNSURE_AT else ""


def teacher_data(shared: Path, cache: Path) -> tuple[B.Spec, B.Data]:
    """The model's spec and rows with its pools as weak negatives: what the teacher learns from."""
    spec = replace(next(s for s in B.MODELS if s.name == MODEL), teacher="")
    return spec, B.prepare(spec, shared, cache)


def read_pools(spec: B.Spec, data: B.Data, embed, feat, log) -> dict[tuple[str, str], dict[str, str]]:
    """(person, key) → context → reading, for every pool post."""
    fold = {p: B.fold_of(p) for p in data.people}
    out: dict[tuple[str, str], dict[str, str]] = {}
    for a in range(B.FOLDS):
        for b in range(a, B.FOLDS):
            # a == b: the teacher without fold a reads fold a's posts (final, and fold a's own
            # context); a != b: the teacher without both reads each one's posts for the other's context
            left_out = frozenset(p for p, k in fold.items() if k in (a, b))
            t0 = time.time()
            teacher = Teacher(data.training_set(exclude_people=left_out), spec, embed, feat, log)
            for mine, context in ([(a, "final"), (a, f"fold{a}")] if a == b else [(a, f"fold{b}"), (b, f"fold{a}")]):
                rows = [r for r in data.pools if fold[r.source] == mine]
                for r, score in zip(rows, teacher([r.text for r in rows]), strict=True):
                    out.setdefault((r.source, B.teacher_key(r.text)), {})[context] = reading(float(score))
            log(f"  teacher without folds {sorted({a, b})}: {time.time() - t0:.0f} s")
    return out


def write(readings: dict, path: Path, spec: B.Spec) -> int:
    lines = [f"# {MODEL}'s pool posts as the semantic teacher reads them (training/build_teacher.py): person, "
             f"text key, then the reading for each of {', '.join(B.TEACHER_CONTEXTS)}: "
             f"'{B.TEACHER_POSITIVE}' political (>= {POSITIVE_AT}), '{B.TEACHER_UNSURE}' left out "
             f"(>= {UNSURE_AT}), '' everyday. Pools: the first {spec.pool_size} posts of each develop person.\n"]
    for (person, key), by in sorted(readings.items()):
        row = [by.get(c, "") for c in B.TEACHER_CONTEXTS]
        if any(row):
            lines.append("\t".join([person, key, *row]) + "\n")
    # mtime 0: the same readings give the same bytes
    with open(path, "wb") as raw, gzip.GzipFile(fileobj=raw, mode="wb", mtime=0, filename="") as fh:
        fh.write("".join(lines).encode("utf-8"))
    return len(lines) - 1


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--shared", type=Path, default=ROOT.parent / "shared" / "data")
    ap.add_argument("--cache", type=Path, default=ROOT.parent / "data-cache")
    args = ap.parse_args(argv)

    def log(m):
        print(m, flush=True)

    spec, data = teacher_data(args.shared, args.cache)
    target = next(s for s in B.MODELS if s.name == MODEL)
    log(f"{MODEL}: {len(data.pools)} pool posts of {len(data.people)} develop people")
    readings = read_pools(spec, data, S.Embedder(args.cache), B.Featurizer(), log)
    path = ROOT / "training" / "labels" / target.teacher
    n = write(readings, path, spec)
    final = [by.get("final", "") for by in readings.values()]
    log(f"wrote {path}: {n} posts; for the shipped model {final.count(B.TEACHER_POSITIVE)} train as political "
        f"and {final.count(B.TEACHER_UNSURE)} are left out")
    return 0


if __name__ == "__main__":
    sys.exit(main())
