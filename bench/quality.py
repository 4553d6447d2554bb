"""Detection quality benchmark: precision, recall and F1 of each detector on the labelled sets.

    python bench/quality.py             # default mode
    python bench/quality.py --semantic  # with the optional sentence-embedding mode

Prints one row per task and set, and whether the targets hold (political precision >= 0.90
and F1 >= 0.90; grievance and disrespect F1 >= 0.85). Exit code 1 when a target on a dev set
is missed. The *_holdout sets were written before the detectors were tuned and are never
used to tune them: they are the honest estimate of how the detectors do on text they have
not seen. This is a benchmark, not a unit test: the unit tests pin each rule's behaviour.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from auditor.evaluate import evaluate, read_labelled  # noqa: E402
from auditor.policy import load_policy  # noqa: E402

TARGETS = {"political": {"precision": 0.90, "f1": 0.90}, "grievance": {"f1": 0.85}, "disrespect": {"f1": 0.85}}


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--semantic", action="store_true", help="add the optional semantic mode")
    ap.add_argument("--policy", default="nz")
    args = ap.parse_args(argv)
    policy = load_policy(args.policy)
    data = ROOT / "tests" / "data"
    print(f"{'task':<11} {'set':<8} {'items':>5} {'P':>6} {'R':>6} {'F1':>6}   target")
    missed = 0
    for task, target in TARGETS.items():
        for which in ("dev", "holdout"):
            path = data / f"{task}_{which}.jsonl"
            items = read_labelled(path, task)
            s = evaluate(items, task, policy, semantic=args.semantic)
            ok = all(getattr(s, k) >= v for k, v in target.items())
            want = ", ".join(f"{k} >= {v:.2f}" for k, v in target.items())
            print(f"{task:<11} {which:<8} {len(items):>5} {s.precision:>6.3f} {s.recall:>6.3f} {s.f1:>6.3f}"
                  f"   {'met' if ok else 'MISSED'} ({want})")
            missed += which == "dev" and not ok
    return 1 if missed else 0


if __name__ == "__main__":
    sys.exit(main())
