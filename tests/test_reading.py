"""Issue 14, reading: each file is looked at once to recognise it and read once for its
content, and a folder (or ZIP) holding several exports is split by content, file by file."""

import json
import os
import re
import shutil
import subprocess
import sys
import zipfile
from collections import Counter

from conftest import ALL, LINKEDIN, REDDIT, ROOT

from auditor.ingest import _archive, bluesky, load_export, read_exports, website
from auditor.models import iter_unique

#: Opens every file under fixtures/ during an audit of all of them, counted by the "open" audit
#: event (which every open raises, whatever the API), in a process of its own so the hook does
#: not outlive the test.
COUNT_OPENS = r"""
import collections, json, os, sys
fixtures, paths = sys.argv[1], sys.argv[2:]
opens = collections.Counter()
def hook(event, args):
    if event == "open" and isinstance(args[0], str) and args[0].startswith(fixtures):
        opens[os.path.relpath(args[0], fixtures)] += 1
from auditor.audit import run_audit
from auditor.policy import load_policy
policy = load_policy("nz")
sys.addaudithook(hook)
result = run_audit(paths, policy)
print(json.dumps({"opens": opens, "accounts": len(result.accounts)}))
"""


def test_an_audit_of_every_fixture_opens_each_file_at_most_twice():
    # Before: 54 files opened 267 times, one of them 13 times (every importer sniffed every file,
    # in expand_exports and again in load_export, load classified again, iter_posts reopened).
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    out = subprocess.run([sys.executable, "-c", COUNT_OPENS, str(ROOT / "fixtures"), *map(str, ALL)],
                         capture_output=True, text=True, env=env, check=True, cwd=ROOT)
    data = json.loads(out.stdout)
    opens = Counter(data["opens"])
    assert data["accounts"] >= 8
    assert len(opens) >= 45, opens  # the files really were read
    assert max(opens.values()) <= 2, {f: n for f, n in opens.items() if n > 2}
    assert sum(opens.values()) <= 85
    # private messages are recognised by name and never opened at all
    assert not [f for f in opens if f.endswith("messages.csv")]


def test_members_of_a_zip_are_opened_at_most_twice_and_the_zip_twice(make_zip, monkeypatch):
    opened: Counter[str] = Counter()
    real_open = _archive.ZipSource.open

    def counting(self, member):
        opened[f"{self.path.name}:{member.name}"] += 1
        return real_open(self, member)

    monkeypatch.setattr(_archive.ZipSource, "open", counting)
    zips = [make_zip(p) for p in ALL if p.is_dir()]
    disk: Counter[str] = Counter()
    real_zipfile = zipfile.ZipFile

    def counting_zipfile(file, *a, **k):
        disk[getattr(file, "name", file) if not isinstance(file, (str, os.PathLike)) else str(file)] += 1
        return real_zipfile(file, *a, **k)

    monkeypatch.setattr(_archive.zipfile, "ZipFile", counting_zipfile)
    exports, _ = read_exports([str(z) for z in zips])
    assert sum(1 for e in exports for _ in e.posts()) > 300
    assert opened and max(opened.values()) <= 2, {m: n for m, n in opened.items() if n > 2}
    assert len(disk) == len(zips) and max(disk.values()) <= 2


def test_bluesky_decodes_its_repository_once_and_the_website_reads_its_export_once(monkeypatch):
    from conftest import BLUESKY, WEBSITE

    calls: Counter[str] = Counter()
    real_repo, real_events = bluesky.read_repo, website._wxr_events
    monkeypatch.setattr(bluesky, "read_repo", lambda *a: calls.update(["car"]) or real_repo(*a))
    monkeypatch.setattr(website, "_wxr_events", lambda *a: calls.update(["wxr"]) or real_events(*a))
    for path in (BLUESKY, WEBSITE):
        export = load_export(path)
        assert list(export.posts()) and list(export.posts())  # read twice: parsed once all the same
    assert calls == {"car": 1, "wxr": 1}


def _reddit_and_linkedin(folder):
    """Defect 7: a Reddit export and LinkedIn CSVs in one folder (both have a comments file)."""
    shutil.copytree(REDDIT, folder)
    for f in LINKEDIN.glob("*.csv"):
        shutil.copy(f, folder / f.name)
    return folder


def test_a_folder_mixing_reddit_and_linkedin_is_split_by_content(run, tmp_path, make_zip):
    d = _reddit_and_linkedin(tmp_path / "mixed")
    counts = {p.name: sum(1 for _ in iter_unique(load_export(p).posts(), [0])) for p in (REDDIT, LINKEDIN)}
    for target in (d, make_zip(d)):
        r = run("audit", target, "--out", tmp_path / f"out-{target.name}", "-q", "--format", "json")
        assert r.exit_code == 0, r.output
        data = json.loads((tmp_path / f"out-{target.name}" / "findings.json").read_text())
        by_platform = {a["platform"]: a["posts_scanned"] for a in data["accounts"]}
        # both exports read in full, each file by the platform it belongs to
        assert by_platform == {"reddit": counts[REDDIT.name], "linkedin": counts[LINKEDIN.name] - 2}
        skipped = {s["file"].rsplit("/", 1)[-1]: s["reason"] for s in data["skipped"]}
        assert skipped["post_votes.csv"] == "not needed for this audit"  # Reddit's reason
        assert skipped["Connections.csv"] == "other people's details: not needed for this audit"  # LinkedIn's
        assert skipped["Skills.csv"] == "not used by this audit"
        assert not {"comments.csv", "Comments.csv", "posts.csv", "Shares.csv"} & set(skipped)
    i = run("inspect", d)
    assert i.exit_code == 0 and i.stdout.count("platform:") == 2
    items = [int(n) for n in re.findall(r"items:\s+(\d+)", i.stdout)]
    assert sorted(items) == sorted(by_platform.values())


def test_a_file_no_platform_recognises_goes_with_the_nearest_export(tmp_path):
    d = _reddit_and_linkedin(tmp_path / "mixed")
    (d / "notes.csv").write_text("just,some,columns\n1,2,3\n")
    exports, notes = read_exports([str(d)])
    assert sorted(e.platform for e in exports) == ["linkedin", "reddit"] and not notes
    owners = [e.platform for e in exports for s in e.skipped if s.name == "notes.csv"]
    assert len(owners) == 1  # listed once, by one of them, with a reason
    assert all(e.path == str(d) for e in exports)
