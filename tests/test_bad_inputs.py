"""The hostile and broken input corpus (tests/data/bad/, written by its generate.py).

Every case either fails with one clear line and exit code 2, or is audited with a warning that
says the audit is incomplete. Never a traceback, never a hang, never a changed input, and never
a report left behind by a failed run.
"""

import json
import os
import shutil

import pytest
from conftest import LINKEDIN, tree_hash

BAD = os.path.join(os.path.dirname(__file__), "data", "bad")

# fmt: off
#: file -> (exit code, text the one-line error or a warning must contain; None: audited cleanly)
CASES = {
    # archives
    "zip-bomb.zip":                ("2", "ZIP bomb"),
    "path-traversal.zip":          ("2", "points outside the archive"),
    "absolute-path.zip":           ("2", "absolute path"),
    "windows-drive-path.zip":      ("2", "absolute path"),
    "encrypted.zip":               ("2", "is encrypted"),
    "nested.zip":                  ("2", "only other ZIP archives"),
    "duplicate-names.zip":         ("0", None),
    "truncated.zip":               ("2", "not a readable ZIP file"),
    "not-a-zip.zip":               ("2", "not a readable ZIP file"),
    "empty.zip":                   ("2", "is empty"),
    "empty-archive.zip":           ("2", "not an export this tool recognises"),
    # content: encodings and damage
    "Shares-cp1252.csv":           ("0", "not valid UTF-8"),
    "Shares-utf16.csv":            ("0", None),
    "Shares-bom-crlf.csv":         ("0", None),
    "Shares-truncated.csv":        ("0", "damaged after row 1"),
    "Shares-nul-bytes.csv":        ("0", None),
    "Shares-other-headers.csv":    ("2", "does not have LinkedIn's columns"),
    "Shares-only-header.csv":      ("0", None),
    "Shares-wrong-column-count.csv": ("0", None),
    "Shares-formula-injection.csv": ("0", None),
    "Beiträge-localised.csv":      ("0", None),
    "empty.csv":                   ("2", "is empty"),
    "whitespace-only.csv":         ("2", "not an export this tool recognises"),
    "binary-garbage.csv":          ("2", "not an export this tool recognises"),
    "unknown.txt":                 ("2", "not an export this tool recognises"),
    # JSON
    "tweets-truncated.js":         ("0", "damaged or not JSON after item 1"),
    "tweets-not-json.js":          ("2", "not readable JSON"),
    "tweets-wrong-types.js":       ("0", None),
    "tweets-deeply-nested.js":     ("2", "nests more than"),
    "tweets-prefix-only.js":       ("2", "not readable JSON"),
    "tweets-empty-array.js":       ("0", None),
    "2013_02-truncated.js":        ("0", "damaged or not JSON after item 1"),
    "2013_02-not-json.js":         ("2", "not readable JSON"),
    "tweets-other-columns.csv":    ("2", "does not have the columns of a Twitter archive's tweets.csv"),
    "tweets-cp1252.csv":           ("0", "not valid UTF-8"),
    "outbox-duplicate-keys.json":  ("0", None),
    "actor-broken.json":           ("2", "not readable JSON"),
    "profile_information-mojibake.json": ("0", None),
    "facebook-posts-wrong-shape.json": ("2", "not an export this tool recognises"),
    # XML, CAR, HTML
    "wxr-billion-laughs.xml":      ("2", "never has"),
    "wxr-external-entity.xml":     ("2", "never has"),
    "wxr-truncated.xml":           ("2", "not well-formed"),
    "feed-garbage.xml":            ("0", "not well-formed"),
    "repo-garbage.car":            ("2", "not an export this tool recognises"),
    "repo-truncated.car":          ("2", "not a readable Bluesky repository"),
    "page-with-scripts.html":      ("0", None),
}
# fmt: on


def test_every_corpus_file_has_a_case():
    files = {f for f in os.listdir(BAD) if f != "generate.py"}
    assert files == set(CASES)


@pytest.mark.parametrize("name", sorted(CASES))
def test_hostile_case(run, tmp_path, name):
    code, message = CASES[name]
    src = os.path.join(BAD, name)
    path = tmp_path / name
    shutil.copy(src, path)
    before = tree_hash(path)
    out = tmp_path / "report"
    r = run("audit", path, "--out", out, "-q", "--format", "json")
    assert str(r.exit_code) == code, r.output
    assert "Traceback" not in r.output and "internal error" not in r.output
    assert tree_hash(path) == before
    if code == "2":
        lines = r.stderr.strip().splitlines()
        assert len(lines) == 1 and message in lines[0], r.stderr
        assert not out.exists() or not any(out.iterdir())
    else:
        data = json.loads((out / "findings.json").read_text())
        if message:
            assert any(message in w for w in data["warnings"]), data["warnings"]
        assert not list(out.glob(".*.tmp"))


def test_what_the_tolerated_cases_actually_read(run, tmp_path):
    def audit(name):
        shutil.copy(os.path.join(BAD, name), tmp_path / name)
        run("audit", tmp_path / name, "--out", tmp_path / (name + ".out"), "-q", "--format", "json")
        return json.loads((tmp_path / (name + ".out") / "findings.json").read_text())

    assert audit("duplicate-names.zip")["posts_scanned"] == 1  # the first of the two copies wins
    assert audit("Shares-utf16.csv")["posts_scanned"] == 1
    assert audit("tweets-wrong-types.js")["posts_scanned"] == 1
    old = audit("tweets-cp1252.csv")
    assert old["posts_scanned"] == 1 and old["accounts"][0]["platform"] == "twitter"
    assert audit("2013_02-truncated.js")["posts_scanned"] == 1
    assert audit("profile_information-mojibake.json")["accounts"][0]["display_name"] == "Méréana Clarké"
    page = audit("page-with-scripts.html")
    assert page["posts_scanned"] == 1 and "alert" not in json.dumps(page)


def test_symlink_out_of_a_folder_is_not_followed(run, tmp_path):
    d = tmp_path / "export"
    shutil.copytree(LINKEDIN, d)
    secret = tmp_path / "secret.csv"
    secret.write_text("Date,ShareLink,ShareCommentary,SharedUrl,MediaUrl,Visibility\n2024-01-01,,SECRET,,,\n")
    (d / "Shares_999.csv").symlink_to(secret)
    r = run("audit", d, "--out", tmp_path / "o", "-q", "--format", "json")
    data = json.loads((tmp_path / "o/findings.json").read_text())
    assert r.exit_code == 0 and "SECRET" not in json.dumps(data)
    assert any(s["file"] == "Shares_999.csv" and "outside" in s["reason"] for s in data["skipped"])


def test_too_many_members_is_refused(run, tmp_path, monkeypatch, make_zip):
    from auditor.ingest import _archive
    monkeypatch.setattr(_archive, "MAX_MEMBERS", 5)
    r = run("audit", make_zip(LINKEDIN), "--out", tmp_path / "o", "-q")
    assert r.exit_code == 2 and "members, more than any real export" in r.stderr


def test_enormous_single_field_is_read_not_crashed(run, tmp_path):
    p = tmp_path / "Shares.csv"
    p.write_text("Date,ShareLink,ShareCommentary,SharedUrl,MediaUrl,Visibility\n"
                 '2024-01-01 10:00:00,,"' + "word " * 2_000_000 + 'Vote them out #nzpol",,,PUBLIC\n')
    r = run("audit", p, "--out", tmp_path / "o", "-q", "--format", "json")
    data = json.loads((tmp_path / "o/findings.json").read_text())
    assert r.exit_code == 0 and data["posts_scanned"] == 1
    assert all(len(f["excerpt"]) < 2000 for f in data["findings"])


def test_wrong_platform_file_name_does_not_matter(run, tmp_path):
    # A Mastodon outbox renamed to look like an X file is still read as what it is.
    src = os.path.join(BAD, "outbox-duplicate-keys.json")
    shutil.copy(src, tmp_path / "tweets.js")
    r = run("inspect", tmp_path / "tweets.js")
    assert r.exit_code == 0 and "Mastodon" in r.stdout


def test_a_field_of_one_repeated_word_is_audited_and_cut_with_a_warning(run, tmp_path):
    # Four hundred thousand lexicon hits in one post: detection is linear in the text it reads
    # and reads at most MAX_TEXT characters of it (issue 14, defect 8).
    p = tmp_path / "Shares.csv"
    p.write_text("Date,ShareLink,ShareCommentary,SharedUrl,MediaUrl,Visibility\n"
                 '2024-01-01 10:00:00,,"' + "vote " * 400_000 + '",,,PUBLIC\n')
    r = run("audit", p, "--out", tmp_path / "o", "--format", "json")
    assert r.exit_code == 0
    assert "were read only up to that length" in r.stderr
    data = json.loads((tmp_path / "o/findings.json").read_text())
    assert data["posts_scanned"] == 1 and any("read only up to" in w for w in data["warnings"])
