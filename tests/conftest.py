import hashlib
import os
import shutil
import zipfile
from pathlib import Path

import pytest
from click.testing import CliRunner

from auditor.cli import cli

ROOT = Path(__file__).resolve().parent.parent
LINKEDIN = ROOT / "fixtures/linkedin/complete/Complete_LinkedInDataExport_11-02-2026"
LINKEDIN_BASIC = ROOT / "fixtures/linkedin/basic/Basic_LinkedInDataExport_11-02-2026"
TWITTER = ROOT / "fixtures/twitter/twitter-2026-11-02-5c1e9a"
FACEBOOK = ROOT / "fixtures/facebook/facebook-mereanaclarke-2026-11-02-Xk3p"
MASTODON = ROOT / "fixtures/mastodon/archive-20261102081455-4f1c0b"
REDDIT = ROOT / "fixtures/reddit/export_tuiwatcher_20261102"
BLUESKY = ROOT / "fixtures/bluesky/repo.car"
WEBSITE = ROOT / "fixtures/website/mereanaclarke.WordPress.2026-11-02.xml"
INSTAGRAM = ROOT / "fixtures/instagram/instagram-mereana_c-2026-11-02-AbCdEf"
#: an X/Twitter archive as downloaded in 2018 (not in ALL, which the example reports use)
TWITTER_GRAILBIRD = ROOT / "fixtures/twitter-grailbird/twitter-2018-11-20-mereana_c"
ALL = [LINKEDIN, LINKEDIN_BASIC, TWITTER, FACEBOOK, MASTODON, REDDIT, BLUESKY, WEBSITE, INSTAGRAM]


def copy_tree(src: Path, dst: Path) -> Path:
    """A writable copy of a fixture folder (to damage in a test)."""
    import shutil

    shutil.copytree(src, dst)
    return dst


@pytest.fixture(autouse=True)
def _confirmed(monkeypatch, tmp_path_factory):
    """Tests confirm consent as a script would (AUDITOR_YES=1) and never touch the real home:
    the consent tests undo this."""
    monkeypatch.setenv("AUDITOR_YES", "1")
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path_factory.mktemp("config")))


@pytest.fixture
def make_zip(tmp_path):
    """Zip a fixture folder the way LinkedIn does (one top folder inside the archive)."""

    def make(folder: Path, name: str | None = None) -> Path:
        out = tmp_path / (name or folder.name + ".zip")
        with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as zf:
            for f in sorted(folder.rglob("*")):
                if f.is_file():
                    zf.write(f, f"{folder.name}/{f.relative_to(folder).as_posix()}")
        return out

    return make


@pytest.fixture
def run():
    """Invoke the CLI; returns click's Result (stdout and stderr kept apart)."""

    def invoke(*args: str):
        return CliRunner().invoke(cli, [str(a) for a in args], catch_exceptions=False)

    return invoke


def tree_hash(path: Path) -> str:
    """A hash over every file's name, bytes and mode below ``path`` (or of one file)."""
    h = hashlib.sha256()
    files = [path] if path.is_file() else sorted(p for p in path.rglob("*") if p.is_file())
    for f in files:
        h.update(str(f.relative_to(path.parent)).encode())
        h.update(f.read_bytes())
        h.update(str(os.stat(f).st_mode).encode())
    return h.hexdigest()


SHARES_HEADER = "Date,ShareLink,ShareCommentary,SharedUrl,MediaUrl,Visibility\n"


def linkedin_export(folder: Path, shares_rows: str) -> Path:
    """A small LinkedIn export: the sample profile and positions, and Shares.csv holding
    ``shares_rows`` (CSV lines under LinkedIn's header)."""
    folder.mkdir(parents=True)
    for name in ("Profile.csv", "Positions.csv"):
        shutil.copy(LINKEDIN / name, folder)
    (folder / "Shares.csv").write_text(SHARES_HEADER + shares_rows, encoding="utf-8")
    return folder


@pytest.fixture(scope="session")
def all_report(tmp_path_factory) -> Path:
    """One audit of every fixture (NZ pack, all four outputs), shared by the tests that only read
    it: the folder must not be changed."""
    out = tmp_path_factory.mktemp("all-report") / "out"
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("AUDITOR_YES", "1")
        mp.setenv("XDG_CONFIG_HOME", str(tmp_path_factory.mktemp("config")))
        r = CliRunner().invoke(cli, ["audit", *map(str, ALL), "--out", str(out), "-q"], catch_exceptions=False)
    assert r.exit_code == 0, r.output
    return out
