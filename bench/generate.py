"""Synthesize big exports in the platforms' real formats, for the performance benchmark.

    python bench/generate.py --out /tmp/bench --tweets 200000 --linkedin 50000 [--zip] [--seed 7]

Writes ``OUT/twitter`` (an X archive: ``data/tweets.js`` with the ``window.YTD`` prefix, 2-space
indented JSON as X writes it, plus account, profile, likes and notes) and ``OUT/linkedin`` (a
complete LinkedIn export: Profile, Positions, Shares, Comments and Reactions CSVs), with the same
kinds of ordinary, political, grievance and disrespectful posts as the fixtures. The mix is set
by ``--political`` (percent of posts drawn from the partisan and policy pools; 6 by default,
a heavy poster's share; the fixtures use about 20), plus 1% each of grievances and insults.
Seeded, so the same flags give the same bytes. ``--zip`` also packs each into a ZIP the way the platforms
deliver them.
"""

from __future__ import annotations

import argparse
import csv
import random
import shutil
import sys
import zipfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "fixtures"))

from generate import mix, times, write_twitter  # noqa: E402

LINKEDIN_FIXTURE = ROOT / "fixtures/linkedin/complete/Complete_LinkedInDataExport_11-02-2026"


def write_linkedin(root: Path, rng: random.Random, n: int, weights: dict[str, float]) -> int:
    """A complete LinkedIn export with ``n`` activity rows (half shares, a third comments, the rest reactions)."""
    root.mkdir(parents=True, exist_ok=True)
    for name in ("Profile.csv", "Positions.csv", "Email Addresses.csv"):
        shutil.copy(LINKEDIN_FIXTURE / name, root / name)
    n_shares, n_comments = n // 2, n // 3
    n_reactions = n - n_shares - n_comments
    with open(root / "Shares.csv", "w", newline="", encoding="utf-8") as fh:
        w = csv.writer(fh)
        w.writerow(["Date", "ShareLink", "ShareCommentary", "SharedUrl", "MediaUrl", "Visibility"])
        for i, ((_, text), when) in enumerate(zip(mix(rng, n_shares, weights), times(rng, n_shares), strict=True)):
            urn = 7000000000000000000 + i * 7919
            w.writerow([when.strftime("%Y-%m-%d %H:%M:%S"),
                        f"https://www.linkedin.com/feed/update/urn%3Ali%3Ashare%3A{urn}", text, "", "",
                        rng.choice(["PUBLIC", "CONNECTIONS", "MEMBER_NETWORK", ""])])
    with open(root / "Comments.csv", "w", newline="", encoding="utf-8") as fh:
        w = csv.writer(fh)
        w.writerow(["Date", "Link", "Message"])
        for i, ((_, text), when) in enumerate(zip(mix(rng, n_comments, weights), times(rng, n_comments), strict=True)):
            act = 7100000000000000000 + i * 104729
            w.writerow([when.strftime("%Y-%m-%d %H:%M:%S"),
                        f"https://www.linkedin.com/feed/update/urn:li:activity:{act}?commentUrn="
                        f"urn%3Ali%3Acomment%3A%28activity%3A{act}%2C{act + 1}%29", text])
    slugs = ["fast-track-bill-passes-third-reading", "new-river-flow-records", "kakapo-breeding-season",
             "labour-vows-to-reverse-cuts", "hiring-data-analysts", "regional-council-wins-award"]
    with open(root / "Reactions.csv", "w", newline="", encoding="utf-8") as fh:
        w = csv.writer(fh)
        w.writerow(["Date", "Type", "Link"])
        for i, when in enumerate(times(rng, n_reactions)):
            w.writerow([when.strftime("%Y-%m-%d %H:%M:%S"), rng.choice(["LIKE", "PRAISE", "EMPATHY", "INTEREST"]),
                        f"https://www.linkedin.com/posts/someone_{rng.choice(slugs)}-activity-{7200000000000000000 + i}-ab"])
    return n


def zip_folder(folder: Path) -> Path:
    """Pack a folder into ``folder.zip`` with one top folder inside, as the platforms do."""
    out = folder.with_suffix(".zip")
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED, compresslevel=6) as zf:
        for f in sorted(folder.rglob("*")):
            if f.is_file():
                zf.write(f, f"{folder.name}/{f.relative_to(folder).as_posix()}")
    return out


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--out", type=Path, required=True, help="folder to write into (replaced)")
    ap.add_argument("--tweets", type=int, default=200_000, help="tweets in the X archive (0: none)")
    ap.add_argument("--linkedin", type=int, default=50_000, help="activity rows in the LinkedIn export (0: none)")
    ap.add_argument("--seed", type=int, default=7)
    ap.add_argument("--political", type=float, default=6.0,
                    help="percent of posts drawn from the partisan and policy pools (default 6; the fixtures use ~20)")
    ap.add_argument("--zip", action="store_true", help="also write ZIPs")
    args = ap.parse_args(argv)
    rng = random.Random(args.seed)
    args.out.mkdir(parents=True, exist_ok=True)
    for name in ("twitter", "linkedin"):
        shutil.rmtree(args.out / name, ignore_errors=True)
    pol = args.political
    weights = {"ordinary": 100 - pol - 10, "work": 3, "civic": 1, "tricky": 4, "partisan": pol / 2,
               "policy": pol / 2, "grievance": 1, "disrespect": 1}
    if args.tweets:
        n = write_twitter(args.out / "twitter", rng, args.tweets, weights)
        print(f"twitter: {n} items, {sum(f.stat().st_size for f in (args.out / 'twitter').rglob('*')) / 1e6:.0f} MB")
    if args.linkedin:
        n = write_linkedin(args.out / "linkedin", rng, args.linkedin, weights)
        print(f"linkedin: {n} items, {sum(f.stat().st_size for f in (args.out / 'linkedin').rglob('*')) / 1e6:.0f} MB")
    if args.zip:
        for name in ("twitter", "linkedin"):
            if (args.out / name).exists():
                print(f"wrote {zip_folder(args.out / name)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
