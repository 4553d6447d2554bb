"""How far two careful readers agree: the human ceiling for the detectors' targets.

    python bench/agreement.py
    python bench/agreement.py --models            # also the detectors against each reading
    python bench/agreement.py --models --semantic # with the optional semantic mode
    python bench/agreement.py --lang fr --models  # the test people's French posts
    python bench/agreement.py --lang es --models  # and their Spanish posts
    python bench/agreement.py --lang de --models  # and their German posts
    python bench/agreement.py --lang nl --models  # and their Dutch posts

The test people's randomly drawn English posts (the posts the headline figures are measured on)
were labelled twice, by two readers following the same guide (``training/labels/
LABEL_GUIDE.md``), the second without seeing the first's labels. Both readings are committed as
ids and labels, without text: ``training/labels/personal.jsonl`` (the first, which the figures
use) and ``training/labels/second_reading.jsonl`` (which also holds a second reading of their
708 random French posts, for ``--lang fr``, of their 268 random Spanish posts, for ``--lang es``,
of their 898 random German posts, for ``--lang de``, and of their 1,643 random Dutch posts, for
``--lang nl``). This prints, per task, how many posts each
reader marked, and the second reader's precision and recall against the first, with Cohen's
kappa: a detector measured against the first reader cannot be expected to do much better than
another reader does.

With ``--models`` it also runs each detector, as an audit does (``auditor.evaluate``), on those
posts (their text is read from ``../data-cache/personal/labels_*.jsonl``, see training/SOURCES.md)
and scores it against each reading in turn: a figure that holds against both readers does not
hang on one reader's calls.
"""

from __future__ import annotations

import argparse
import json
import sys
import tomllib
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
LABELS = ROOT / "training" / "labels"
sys.path.insert(0, str(ROOT / "training"))
from corpora import drawn_elsewhere  # noqa: E402

from auditor.detect.language import name_of  # noqa: E402

TASKS = ("political", "disrespect", "grievance")


def _person(source: str) -> str:
    return "personal:" + source.split(":", 1)[-1]


def readings(labels: Path = LABELS, lang: str = "en") -> tuple[dict, dict]:
    """(first, second): (source, id) → labels, for the test people's random posts in ``lang``."""
    with open(ROOT / "training" / "people.toml", "rb") as fh:
        testers = set(tomllib.load(fh)["people"]["test"])
    first: dict = {}
    with open(labels / "personal.jsonl", encoding="utf-8") as fh:
        for line in fh:
            o = json.loads(line)
            if (_person(o["source"]) in testers and o.get("lang") == lang
                    and o.get("selection", "random") in ("random", "stratum:random")
                    and not drawn_elsewhere(o["file"], o.get("lang"))):
                first.setdefault((o["source"], o["id"]), o)
    second: dict = {}
    with open(labels / "second_reading.jsonl", encoding="utf-8") as fh:
        for line in fh:
            o = json.loads(line)
            second[(o["source"], o["id"])] = o
    return first, second


def agreement(first: dict, second: dict, task: str) -> dict:
    """Counts, the second reader's precision and recall against the first, and Cohen's kappa."""
    tp = fp = fn = tn = 0
    for key, a in first.items():
        if key not in second:
            continue
        x, y = int(a[task]), int(second[key][task])
        tp += x and y
        fp += (not x) and y
        fn += x and not y
        tn += (not x) and (not y)
    n = tp + fp + fn + tn
    po = (tp + tn) / n if n else 0.0
    pe = ((tp + fp) * (tp + fn) + (fn + tn) * (fp + tn)) / n ** 2 if n else 0.0
    return {"n": n, "first": tp + fn, "second": tp + fp, "both": tp,
            "precision": tp / (tp + fp) if tp + fp else None, "recall": tp / (tp + fn) if tp + fn else None,
            "kappa": (po - pe) / (1 - pe) if pe < 1 else None}


def _f(v) -> str:
    return "  -  " if v is None else f"{v:5.2f}"


def texts(cache: Path, keys) -> dict:
    """(source, id) → text of the labelled posts in ``cache``."""
    out = {}
    for path in sorted((cache / "personal").glob("labels_*.jsonl")):
        with open(path, encoding="utf-8") as fh:
            for line in fh:
                o = json.loads(line)
                key = (o.get("source"), o.get("id"))
                if key in keys and isinstance(o.get("text"), str):
                    out.setdefault(key, o["text"])
    return out


def models(first: dict, second: dict, cache: Path, semantic: bool) -> None:
    """Each detector against each reading, on the posts both readers labelled."""
    sys.path.insert(0, str(ROOT))
    from auditor.evaluate import evaluate
    from auditor.policy import load_policy

    keys = sorted(set(first) & set(second))
    found = texts(cache, set(keys))
    keys = [k for k in keys if k in found]
    if not keys:
        print(f"no labelled posts with their text under {cache / 'personal'}: rebuild it (training/collect/rebuild.py)")
        return
    policy = load_policy("nz")
    print(f"\ndetectors ({'with' if semantic else 'without'} --semantic) on {len(keys)} posts, against each reading:")
    print(f"{'task':<11} {'reading':<7} {'pos':>4} {'P':>6} {'R':>6}")
    for task in TASKS:
        if not any(int(first[k][task]) or int(second[k][task]) for k in keys):
            continue  # no positive in either reading: nothing to score
        for name, reading in (("first", first), ("second", second)):
            items = [(found[k], int(reading[k][task]), name) for k in keys]
            s = evaluate(items, task, policy, semantic=semantic and task == "political")
            p = s.precision if s.tp + s.fp else None
            r = s.recall if s.tp + s.fn else None
            print(f"{task:<11} {name:<7} {s.tp + s.fn:>4} {_f(p)} {_f(r)}")


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--models", action="store_true", help="also score the detectors against each reading")
    ap.add_argument("--semantic", action="store_true", help="with --models: the optional semantic mode")
    ap.add_argument("--cache", type=Path, default=ROOT.parent / "data-cache")
    ap.add_argument("--lang", default="en", choices=["en", "fr", "es", "de", "nl"],
                    help="the test people's posts in this language (French, Spanish, German: read twice)")
    args = ap.parse_args(argv)
    first, second = readings(lang=args.lang)
    missing = len(set(first) - set(second))
    name = name_of(args.lang)
    print(f"test people's random {name} posts: {len(first)} (second reading of {len(first) - missing})")
    print(f"{'task':<11} {'first':>6} {'second':>7} {'both':>5} {'P':>6} {'R':>6} {'kappa':>6}")
    for task in TASKS:
        a = agreement(first, second, task)
        print(f"{task:<11} {a['first']:>6} {a['second']:>7} {a['both']:>5} {_f(a['precision'])} {_f(a['recall'])} "
              f"{_f(a['kappa'])}")
    if args.models:
        models(first, second, args.cache, args.semantic)
    return 0


if __name__ == "__main__":
    sys.exit(main())
