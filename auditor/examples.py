"""Regenerate (or check) the example reports in ``reports/`` from the fixtures.

    python -m auditor.examples                   # rewrite reports/ and reports/screenshot.png
    python -m auditor.examples --no-screenshot   # rewrite reports/, leave the screenshot
    python -m auditor.examples --check           # exit 1 if reports/ is out of date

Reports are generated with a fixed clock (SOURCE_DATE_EPOCH) so they only change when the
tool's output changes. The screenshot (the first screen of ``all-accounts/report.html``, as a
1280 x 800 browser window shows it) is drawn by headless Chromium when it is installed; it is
not part of ``--check``, since the same page can rasterise to different bytes.
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
from pathlib import Path

from click.testing import CliRunner

ROOT = Path(__file__).resolve().parent.parent
FIXED_EPOCH = "1793664000"  # 2026-11-03T00:00:00Z: the day after the sample exports were "downloaded" (2026-11-02), so no post is dated after its report

#: example name -> (exports relative to the repository, extra audit options)
ALL_FIXTURES = [
    "fixtures/linkedin/complete/Complete_LinkedInDataExport_11-02-2026",
    "fixtures/linkedin/basic/Basic_LinkedInDataExport_11-02-2026",
    "fixtures/twitter/twitter-2026-11-02-5c1e9a",
    "fixtures/facebook/facebook-mereanaclarke-2026-11-02-Xk3p",
    "fixtures/mastodon/archive-20261102081455-4f1c0b",
    "fixtures/reddit/export_tuiwatcher_20261102",
    "fixtures/bluesky/repo.car",
    "fixtures/website/mereanaclarke.WordPress.2026-11-02.xml",
    "fixtures/instagram/instagram-mereana_c-2026-11-02-AbCdEf",
]

EXAMPLES: dict[str, tuple[list[str], list[str]]] = {
    "linkedin": (["fixtures/linkedin/complete/Complete_LinkedInDataExport_11-02-2026"], []),
    "linkedin-basic": (["fixtures/linkedin/basic/Basic_LinkedInDataExport_11-02-2026"], []),
    # Every export of the same person together: the linkage story.
    "all-accounts": (ALL_FIXTURES, []),
    # The same person judged as a US federal employee: the Hatch Act rules fire instead.
    "all-accounts-us": (ALL_FIXTURES, ["--policy", "us", "--format", "html,csv"]),
    # Another person: a bilingual Canadian federal public servant, posting in French and English.
    "bilingual-ca": (["fixtures/mastodon-ca/archive-20261102093012-8e2d1a"], ["--policy", "ca"]),
}


def generate(out_root: Path) -> list[Path]:
    """Write every example into ``out_root/<name>/``; return the files written."""
    from auditor.cli import cli

    written = []
    env = {"SOURCE_DATE_EPOCH": FIXED_EPOCH, "AUDITOR_YES": "1"}
    for name, (exports, extra) in EXAMPLES.items():
        out = out_root / name
        (out / "findings.json").unlink(missing_ok=True)  # each example is a first audit, with no progress
        args = ["audit", *[str(ROOT / e) for e in exports], "--out", str(out), "--quiet", *extra]
        old = Path.cwd()
        os.chdir(ROOT)
        try:
            res = CliRunner().invoke(cli, args, env=env, catch_exceptions=False)
        finally:
            os.chdir(old)
        if res.exit_code != 0:
            raise SystemExit(f"example {name} failed: {res.output}")
        written += sorted(out.iterdir())
    return written


def check(reports: Path) -> list[str]:
    """Names of example files that differ from a fresh generation (empty when up to date)."""
    with tempfile.TemporaryDirectory() as tmp:
        fresh = generate(Path(tmp))
        stale = []
        for f in fresh:
            rel = f.relative_to(tmp)
            old = reports / rel
            if not old.exists() or old.read_bytes() != f.read_bytes():
                stale.append(str(rel))
        return stale


def main(argv: list[str] | None = None) -> int:
    """Command-line entry point."""
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--check", action="store_true", help="only check that reports/ is up to date")
    ap.add_argument("--no-screenshot", action="store_true", help="do not redraw reports/screenshot.png")
    args = ap.parse_args(argv)
    reports = ROOT / "reports"
    if args.check:
        stale = check(reports)
        if stale:
            print("reports/ is out of date: " + ", ".join(stale) + ". Run: python -m auditor.examples")
            return 1
        print("reports/ is up to date")
        return 0
    for f in generate(reports):
        print(f"wrote {f.relative_to(ROOT)}")
    if not args.no_screenshot:
        if browser():
            print(f"wrote {screenshot(reports / 'all-accounts/report.html', reports / 'screenshot.png').relative_to(ROOT)}")
        else:
            print("reports/screenshot.png left as it was: Chromium is not installed (apt-get install chromium)")
    return 0


def browser() -> str | None:
    """The Chromium binary, if one is installed."""
    import shutil

    return shutil.which("chromium") or shutil.which("chromium-browser")


def screenshot(page: Path, out: Path, size: tuple[int, int] = (1280, 800)) -> Path:
    """The first screen of an HTML report as a PNG, drawn by headless Chromium (offline: every
    host name resolves to nothing)."""
    import subprocess

    binary = browser()
    if not binary:
        raise SystemExit("Chromium is not installed (apt-get install chromium)")
    with tempfile.TemporaryDirectory() as profile:
        subprocess.run([binary, "--headless", "--no-sandbox", "--disable-gpu", "--no-first-run", "--disable-quic",
                        "--disable-background-networking", "--disable-component-update", "--disable-sync",
                        "--host-resolver-rules=MAP * ~NOTFOUND", f"--user-data-dir={profile}", "--hide-scrollbars",
                        f"--window-size={size[0]},{size[1]}", f"--screenshot={out}", page.as_uri()],
                       check=True, capture_output=True, timeout=120)
    return out


if __name__ == "__main__":
    sys.exit(main())
