"""Instructions per post of a one-process audit, counted by Valgrind (Linux), for comparing two
versions on a machine whose timings drift.

    .venv/bin/python bench/instructions.py                   # this checkout; about 2 minutes
    .venv/bin/python bench/instructions.py --against DIR     # and another checkout (git worktree add DIR <commit>)

Wall-clock figures on a shared machine move by 10-30% from one run to the next. The number of
instructions a process executes hardly moves, so a change of a few per cent in the work done for
each post shows here when ``bench/run.py`` cannot resolve it. The count covers everything the
audit does for a post (reading it, the lexicon, language identification, the models, the
detectors), but not how long each instruction takes (cache misses, the second process), so
``bench/run.py`` stays the measure of speed. Two archives from ``bench/generate.py`` (small,
and about 3,000 posts) are audited with ``AUDITOR_WORKERS=1``; the difference between them,
divided by the difference in posts, leaves out starting up and loading the models.
"""

from __future__ import annotations

import argparse
import os
import re
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
AUDIT = """
import sys
from auditor.audit import run_audit
from auditor.policy import load_policy
print(run_audit(sys.argv[1:], load_policy("nz")).posts_scanned)
"""


def count(tree: Path, export: Path) -> tuple[int, int]:
    """(posts scanned, instructions executed) of one audit of ``export`` with ``tree``'s code."""
    env = dict(os.environ, AUDITOR_WORKERS="1", PYTHONPATH=str(tree))
    proc = subprocess.run(["valgrind", "--tool=callgrind", "--callgrind-out-file=/dev/null", sys.executable, "-c",
                           AUDIT, str(export)], env=env, cwd=tree, capture_output=True, text=True)
    if proc.returncode != 0:
        raise SystemExit(f"the audit under valgrind failed: {proc.stderr.strip()[-500:]}")
    collected = re.search(r"Collected\s*:\s*(\d+)", proc.stderr)
    if not collected:
        raise SystemExit("valgrind printed no instruction count")
    return int(proc.stdout.split()[-1]), int(collected.group(1))


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--against", type=Path, metavar="DIR", help="another checkout of the tool")
    ap.add_argument("--tweets", type=int, default=3_000, help="tweets in the larger archive")
    args = ap.parse_args(argv)
    if not shutil.which("valgrind"):
        print("valgrind is not installed (apt-get install valgrind)")
        return 1
    trees = [("this checkout", ROOT)] + ([("--against", args.against.resolve())] if args.against else [])
    with tempfile.TemporaryDirectory() as tmp:
        archives = []
        for n in (100, args.tweets):
            out = Path(tmp) / str(n)
            subprocess.run([sys.executable, str(ROOT / "bench/generate.py"), "--out", str(out), "--tweets", str(n),
                            "--linkedin", "0"], check=True, stdout=subprocess.DEVNULL)
            archives.append(out / "twitter")
        for name, tree in trees:
            (n1, c1), (n2, c2) = (count(tree, a) for a in archives)
            print(f"{name:<14} {(c2 - c1) / (n2 - n1):>11,.0f} instructions a post ({n2 - n1:,} posts; {tree})")
    return 0


if __name__ == "__main__":
    sys.exit(main())
