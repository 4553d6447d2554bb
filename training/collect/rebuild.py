"""Rebuild the data-cache folder (the labelled text the models learn from) from its recorded sources.

    python training/collect/rebuild.py                        # everything, into ../data-cache
    python training/collect/rebuild.py --out /tmp/cache       # somewhere else
    python training/collect/rebuild.py --only pools --only labels
    python training/collect/rebuild.py --check                # only say which sources are missing

Every row is read from a local snapshot of a public GitHub repository (``--mirror``, one bare git
directory per repository, as the search tool's ``fetch`` step leaves them), at the commit recorded
in training/SOURCES.md, with ``git show COMMIT:PATH``. Hand labels come from training/labels/
(no text: the text is fetched again by post id). The G6 r/antiwork posts come from the shared data
folder (``--shared``). Nothing here goes online, and no text is ever written inside the repository.

Steps (``--only``):

============  ======================================================================
en            en/political.jsonl
lang          lang/fr_political.jsonl (with the hand-labelled French Reddit posts), lang/de_political.jsonl
grievance     work/grievance.jsonl, work/g6_labelled.jsonl
disrespect    offensive/disrespect.jsonl (needs the auditor's language identifier)
pools         personal/pool_<owner>__<repo>.jsonl, each post's language as recorded in
              training/labels/pool_langs.tsv.gz (written again from the pools)
labels        personal/labels_<file>.jsonl: the hand labels joined with the pools in --out
============  ======================================================================
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "training"))

from collect import disrespect, en_political, grievance, lang_political, personal  # noqa: E402
from collect.mirror import DEFAULT_MIRROR, AbsentBlob, Mirror, MissingSources  # noqa: E402

#: name → (sources it reads, build function(mirror, out, shared) → stats)
STEPS = {
    "en": (en_political.SOURCES, en_political.build),
    "lang": (lang_political.SOURCES, lang_political.build),
    "grievance": (grievance.SOURCES, grievance.build),
    "disrespect": (disrespect.SOURCES, disrespect.build),
    "pools": (personal.SOURCES, lambda m, out, shared: personal.build_pools(m, out)),
    "labels": ([], lambda m, out, shared: personal.join_labels(out)),
}


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--mirror", type=Path, default=DEFAULT_MIRROR,
                    help=f"folder of fetched repositories, <owner>+<name>/repo (default {DEFAULT_MIRROR})")
    ap.add_argument("--out", type=Path, default=ROOT.parent / "data-cache",
                    help="data-cache folder to write (default ../data-cache)")
    ap.add_argument("--shared", type=Path, default=ROOT.parent / "shared" / "data",
                    help="shared data folder, for G6 (default ../shared/data)")
    ap.add_argument("--only", action="append", choices=sorted(STEPS), help="run only this step (repeatable)")
    ap.add_argument("--check", action="store_true", help="only list the sources missing from the mirror")
    ap.add_argument("--add-lang", action="store_true",
                    help="only record each row's language in pools collected before rows carried it")
    ap.add_argument("--record-langs", action="store_true",
                    help="only write training/labels/pool_langs.tsv.gz from the pools in --out")
    args = ap.parse_args(argv)
    if args.record_langs:
        print(f"{personal.write_pool_langs(args.out)} pools' languages recorded in {personal.POOL_LANGS}")
        return 0
    if args.add_lang:
        print(f"{personal.add_lang(args.out)} pool rows given their language")
        return 0

    names = args.only or list(STEPS)
    if "pools" in names and "labels" not in names and not args.only:
        names.append("labels")
    if args.out.resolve() == ROOT or ROOT in args.out.resolve().parents:
        print("--out must be outside the repository: training text is never committed", file=sys.stderr)
        return 2

    mirror = Mirror(args.mirror)
    needed = [s for n in names for s in STEPS[n][0]]
    missing = mirror.check(needed)
    if missing:
        print(MissingSources(args.mirror, missing).explain(), file=sys.stderr)
        runnable = [n for n in names if not {s for s, _ in missing} & set(STEPS[n][0])]
        print("Steps that can still run: " + (", ".join(runnable) or "none"), file=sys.stderr)
        if args.check:
            return 1
        names = runnable
        if not names:
            return 1
    elif args.check:
        print(f"all {len(set(needed))} sources are in {args.mirror}")
        return 0
    if "labels" in names and "pools" not in names and not list((args.out / "personal").glob("pool_*.jsonl")):
        print(f"labels: no pools in {args.out / 'personal'}; run --only pools first", file=sys.stderr)
        names.remove("labels")

    status = 1 if missing else 0
    with mirror:
        for name in names:
            t0 = time.time()
            try:
                stats = STEPS[name][1](mirror, args.out, args.shared)
            except (FileNotFoundError, AbsentBlob) as e:
                print(f"{name}: not rebuilt: {e}", file=sys.stderr)
                status = 1
                continue
            problems = stats.pop("_problems", [])
            print(f"{name}: done in {time.time() - t0:.0f}s")
            print(json.dumps(stats, indent=1, ensure_ascii=False))
            for p in problems:
                print(f"  not joined: labels_{p['file']} {p['source']} {p['id']}: {p['why']}", file=sys.stderr)
            if problems:
                status = 1
    return status


if __name__ == "__main__":
    sys.exit(main())
