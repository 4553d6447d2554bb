"""Performance benchmark: throughput, peak memory, cost over the parse floor, detector speed-up.

    .venv/bin/python bench/run.py                  # generates /tmp/auditor-bench if missing
    .venv/bin/python bench/run.py --tweets 50000   # a smaller run
    .venv/bin/python bench/run.py --data DIR       # use archives from bench/generate.py

Prints, for the synthetic X archive (200,000 tweets by default) and LinkedIn export (50,000
rows), measured in this one run:

* **end to end**: ``auditor audit`` as a user runs it (all four report formats written), posts
  per second, and peak RSS of that process plus its forked detection process, added up;
* **audit only**: reading plus detection, no report, and its ratio to the **parse floor** (the
  time to read and parse the same files with no detection at all), each in a fresh process;
* **detector speed-up**: the one-pass Aho-Corasick lexicon against a naive baseline of one
  compiled regular expression per lexicon term, on the same sample of posts.

Each process is run ``--repeat`` times (3 by default), the kinds taking turns, and the fastest
run of each counts: on a shared machine a run is slowed by whatever else runs then, never sped
up, so the minimum is the figure least disturbed. ``--against DIR`` measures another checkout of
the tool (``git worktree add DIR <commit>``) in the same way, its runs taking turns with this
one's, so two versions are compared side by side in one run.
"""

from __future__ import annotations

import argparse
import os
import re
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
TARGETS = {"posts_per_s": 20_000, "rss_mb": 500, "floor_ratio": 3.0}

FLOOR = """
import sys, time
from auditor.ingest import load_export
t = time.perf_counter(); n = 0
for path in sys.argv[1:]:
    for _ in load_export(path).posts():
        n += 1
print(n, time.perf_counter() - t)
"""
END_TO_END = """
import resource, sys
from auditor.cli import cli
try:
    cli.main(args=sys.argv[1:], prog_name="auditor", standalone_mode=True)
except SystemExit as e:
    code = e.code
# The forked detection process (if any) is this process's child: report its peak too.
print(resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024)
sys.exit(code)
"""
AUDIT_ONLY = """
import sys, time
from auditor.audit import run_audit
from auditor.policy import load_policy
pack = load_policy("nz")
t = time.perf_counter()
r = run_audit(sys.argv[1:], pack)
print(r.posts_scanned, time.perf_counter() - t, len(r.findings))
"""


def _env(tree: Path) -> dict[str, str]:
    """The environment that makes ``python -c`` import the tool from ``tree`` (run in ``tree``
    too: ``python -c`` puts the working folder first on its path, before an editable install's
    finder and PYTHONPATH)."""
    env = dict(os.environ)
    env["PYTHONPATH"] = os.pathsep.join([str(tree), *filter(None, [env.get("PYTHONPATH")])])
    return env


def run_measured(cmd: list[str], env: dict[str, str] | None = None, cwd: Path | None = None) -> tuple[str, float, float]:
    """(stdout, wall seconds, peak RSS in MB) of one child process."""
    t = time.perf_counter()
    with tempfile.TemporaryFile() as out:
        proc = subprocess.Popen(cmd, stdout=out, stderr=subprocess.PIPE, env=env, cwd=cwd)
        _, status, usage = os.wait4(proc.pid, 0)
        wall = time.perf_counter() - t
        proc.returncode = os.waitstatus_to_exitcode(status)
        err = proc.stderr.read().decode() if proc.stderr else ""
        if proc.returncode != 0:
            raise SystemExit(f"{' '.join(cmd[:3])} failed: {err.strip()[-500:]}")
        out.seek(0)
        return out.read().decode(), wall, usage.ru_maxrss / 1024


def detector_speedup(paths: list[Path], sample: int) -> tuple[float, float, int, int]:
    """(lexicon µs/post, naive µs/post, terms, posts) on the same posts."""
    sys.path.insert(0, str(ROOT))
    from auditor.detect.lexicon import Lexicon
    from auditor.ingest import load_export
    from auditor.policy import load_policy

    posts = []
    for p in paths:
        for post in load_export(p).posts():
            if post.text:
                posts.append(post.text)
            if len(posts) >= sample * (paths.index(p) + 1) // len(paths):
                break
    terms = load_policy("nz").terms
    lex = Lexicon(terms)
    t = time.perf_counter()
    found_fast = sum(len(lex.find(text)) for text in posts)
    fast = time.perf_counter() - t
    phrases = sorted({t.phrase for t in terms if not t.suppressor})
    naive = [re.compile(r"(?<!\w)" + re.escape(p) + r"(?!\w)", re.IGNORECASE) for p in phrases]
    t = time.perf_counter()
    found_naive = sum(1 for text in posts for rx in naive if rx.search(text))
    slow = time.perf_counter() - t
    assert found_fast and found_naive  # both really matched something
    return fast / len(posts) * 1e6, slow / len(posts) * 1e6, len(phrases), len(posts)


def semantic_speed(py: str, data: Path, tweets: int) -> None:
    """End to end, the default mode against ``--semantic`` on the same archive, in this run."""
    if not (data / ".generated").exists():
        subprocess.run([py, str(ROOT / "bench/generate.py"), "--out", str(data), "--tweets", str(tweets),
                        "--linkedin", "0"], check=True, stdout=subprocess.DEVNULL)
        (data / ".generated").touch()
    print(f"\nsemantic mode, X archive of {tweets:,} tweets, end to end:")
    for flags in ([], ["--semantic"]):
        with tempfile.TemporaryDirectory() as rep:
            out, wall, rss = run_measured([py, "-c", END_TO_END, "audit", str(data / "twitter"), "--out", rep, "-q",
                                           "--yes", *flags])
        print(f"  {' '.join(flags) or 'default':<11} {wall:7.1f} s  {tweets / wall:9,.0f} posts/s  peak RSS "
              f"{rss + float(out.split()[-1] if out.split() else 0):5.0f} MB")


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--data", type=Path, default=Path(tempfile.gettempdir()) / "auditor-bench")
    ap.add_argument("--tweets", type=int, default=200_000)
    ap.add_argument("--linkedin", type=int, default=50_000)
    ap.add_argument("--sample", type=int, default=2_000, help="posts for the detector speed-up")
    ap.add_argument("--semantic", type=int, default=0, metavar="TWEETS",
                    help="also time audit --semantic (needs the [semantic] extra) against the default mode on "
                         "an archive of this many tweets")
    ap.add_argument("--repeat", type=int, default=3, help="runs of each process; the fastest counts")
    ap.add_argument("--against", type=Path, metavar="DIR",
                    help="another checkout of the tool to measure side by side (git worktree add DIR <commit>)")
    args = ap.parse_args(argv)
    py = sys.executable
    marker = args.data / f".generated-{args.tweets}-{args.linkedin}"
    if not marker.exists():
        print(f"generating archives in {args.data} ...", flush=True)
        subprocess.run([py, str(ROOT / "bench/generate.py"), "--out", str(args.data), "--tweets",
                        str(args.tweets), "--linkedin", str(args.linkedin)], check=True)
        marker.touch()
    exports = [(args.data / n).resolve() for n in ("twitter", "linkedin") if (args.data / n).exists()]
    size = sum(f.stat().st_size for e in exports for f in e.rglob("*") if f.is_file()) / 1e6
    print(f"\ninput: {', '.join(e.name for e in exports)} ({size:.0f} MB on disk), machine: {os.cpu_count()} cores")

    trees = [("this checkout", ROOT)] + ([("--against", args.against.resolve())] if args.against else [])
    for name, tree in trees:
        check = subprocess.run([py, "-c", "import auditor; print(auditor.__file__)"], env=_env(tree), cwd=tree,
                               capture_output=True, text=True)
        if not check.stdout.startswith(str(tree)):
            raise SystemExit(f"{tree}: the tool imported from there is {check.stdout.strip() or check.stderr[-300:]}")
    groups = [(e.name, [e]) for e in exports] + ([("both together", exports)] if len(exports) > 1 else [])
    best: dict[tuple[str, str, str], tuple[str, float, float]] = {}
    for _ in range(max(1, args.repeat)):
        for label, paths in groups:
            for name, tree in trees:
                env = _env(tree)
                for kind, code in (("floor", FLOOR), ("audit", AUDIT_ONLY), ("e2e", END_TO_END)):
                    with tempfile.TemporaryDirectory() as rep:
                        extra = ["audit", *map(str, paths), "--out", rep, "-q", "--yes"] if kind == "e2e" else \
                            list(map(str, paths))
                        out, wall, rss = run_measured([py, "-c", code, *extra], env, tree)
                    if kind == "e2e":  # plus the detection process: an upper bound (shared pages count twice)
                        rss += float(out.split()[-1]) if out.split() else 0.0
                    key = (label, name, kind)
                    was = best.get(key)
                    best[key] = (out, min(wall, was[1]) if was else wall, max(rss, was[2]) if was else rss)

    rows = []
    print(f"\nfastest of {max(1, args.repeat)} runs of each" + (f", this checkout ({ROOT}) and --against "
                                                               f"({args.against})" if args.against else ""))
    print(f"\n{'export':<14} {'version':<14} {'posts':>8} {'findings':>8} {'floor s':>8} {'audit s':>8} {'ratio':>6} "
          f"{'e2e s':>7} {'e2e posts/s':>11} {'audit posts/s':>13} {'peak RSS MB*':>12}")
    for label, _paths in groups:
        for name, _tree in trees:
            fl_out, fl, _ = best[(label, name, "floor")]
            au_out, au, _ = best[(label, name, "audit")]
            _, e2e, rss = best[(label, name, "e2e")]
            n, f = int(fl_out.split()[0]), int(au_out.split()[2])
            rows.append((label, n, f, fl, au, e2e, rss, name))
            print(f"{label:<14} {name:<14} {n:>8} {f:>8} {fl:>8.2f} {au:>8.2f} {au / fl:>6.2f} {e2e:>7.2f} "
                  f"{n / e2e:>11,.0f} {n / au:>13,.0f} {rss:>11.0f}")
    print("* main process plus the forked detection process, added up (an upper bound: shared pages count twice)")
    fast, slow, nterms, nposts = detector_speedup(exports, args.sample)
    print(f"\ndetector: one-pass lexicon {fast:.1f} µs/post vs one regex per term ({nterms} terms) "
          f"{slow:.0f} µs/post on {nposts} posts: {slow / fast:.0f}x faster")

    if args.semantic:
        semantic_speed(py, args.data / f"semantic-{args.semantic}", args.semantic)

    tw = next((r for r in rows if r[0] == "twitter" and r[7] == "this checkout"), rows[0])
    print("\ntargets (twitter archive):")
    checks = [
        (f"end-to-end throughput >= {TARGETS['posts_per_s']:,} posts/s", tw[1] / tw[5], TARGETS["posts_per_s"], True),
        (f"peak RSS <= {TARGETS['rss_mb']} MB", tw[6], TARGETS["rss_mb"], False),
        (f"audit <= {TARGETS['floor_ratio']:.0f}x the parse floor", tw[4] / tw[3], TARGETS["floor_ratio"], False),
    ]
    for name, value, target, higher in checks:
        ok = value >= target if higher else value <= target
        print(f"  {'met   ' if ok else 'MISSED'} {name}: {value:,.2f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
