"""How far two careful readers agree: the human ceiling for the detectors' targets.

    python bench/agreement.py

The test people's randomly drawn English posts (the posts the headline figures are measured on)
were labelled twice, by two readers following the same guide (``../data-cache/personal/
LABEL_GUIDE.md``), the second without seeing the first's labels. Both readings are committed as
ids and labels, without text: ``training/labels/personal.jsonl`` (the first, which the figures
use) and ``training/labels/second_reading.jsonl``. This prints, per task, how many posts each
reader marked, and the second reader's precision and recall against the first, with Cohen's
kappa: a detector measured against the first reader cannot be expected to do much better than
another reader does.
"""

from __future__ import annotations

import json
import sys
import tomllib
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
LABELS = ROOT / "training" / "labels"
TASKS = ("political", "disrespect", "grievance")


def _person(source: str) -> str:
    return "personal:" + source.split(":", 1)[-1]


def readings(labels: Path = LABELS) -> tuple[dict, dict]:
    """(first, second): (source, id) → labels, for the test people's random English posts."""
    with open(ROOT / "training" / "people.toml", "rb") as fh:
        testers = set(tomllib.load(fh)["people"]["test"])
    first: dict = {}
    with open(labels / "personal.jsonl", encoding="utf-8") as fh:
        for line in fh:
            o = json.loads(line)
            if (_person(o["source"]) in testers and o.get("lang") == "en"
                    and o.get("selection", "random") in ("random", "stratum:random")):
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


def main(argv: list[str] | None = None) -> int:
    first, second = readings()
    missing = len(set(first) - set(second))
    print(f"test people's random English posts: {len(first)} (second reading of {len(first) - missing})")
    print(f"{'task':<11} {'first':>6} {'second':>7} {'both':>5} {'P':>6} {'R':>6} {'kappa':>6}")
    for task in TASKS:
        a = agreement(first, second, task)
        print(f"{task:<11} {a['first']:>6} {a['second']:>7} {a['both']:>5} {_f(a['precision'])} {_f(a['recall'])} "
              f"{_f(a['kappa'])}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
