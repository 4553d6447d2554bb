import json
import os
import shutil
import socket
import stat
import zipfile

import pytest
from conftest import LINKEDIN, LINKEDIN_BASIC, tree_hash


def test_audit_writes_private_report_and_json(run, tmp_path):
    out = tmp_path / "report"
    before = tree_hash(LINKEDIN)
    r = run("audit", LINKEDIN, "--out", out)
    assert r.exit_code == 0, r.output
    assert "offline" in r.stdout and "identifies you with Ministry for the Environment" in r.stdout
    for name in ("report.md", "findings.json"):
        mode = stat.S_IMODE(os.stat(out / name).st_mode)
        assert mode == 0o600, oct(mode)
    assert stat.S_IMODE(os.stat(out).st_mode) == 0o700
    data = json.loads((out / "findings.json").read_text())
    assert data["summary"]["work_identity_tied_to_political_content"] is True
    assert not list(out.glob(".*.tmp"))
    assert tree_hash(LINKEDIN) == before


def test_audit_zip_equals_folder(run, tmp_path, make_zip):
    run("audit", LINKEDIN, "--out", tmp_path / "a")
    run("audit", make_zip(LINKEDIN), "--out", tmp_path / "b")
    a = json.loads((tmp_path / "a/findings.json").read_text())
    b = json.loads((tmp_path / "b/findings.json").read_text())
    strip = lambda d: [(f["rule"], f["post_id"], f["severity"]) for f in d["findings"]]
    assert strip(a) == strip(b) and a["posts_scanned"] == b["posts_scanned"] == 157


def test_format_selects_outputs(run, tmp_path):
    r = run("audit", LINKEDIN, "--out", tmp_path, "--format", "json", "-q")
    assert r.exit_code == 0 and r.stdout == ""
    assert sorted(p.name for p in tmp_path.iterdir()) == ["findings.json"]


@pytest.mark.parametrize("export", [LINKEDIN, LINKEDIN_BASIC], ids=["complete", "basic"])
@pytest.mark.parametrize("threshold", ["critical", "high", "medium", "low"])
def test_fail_on(run, tmp_path, export, threshold):
    # exit 1 exactly when some finding is at least that severe (counted from findings.json)
    ranks = ["info", "low", "medium", "high", "critical"]
    r = run("audit", export, "--out", tmp_path, "--fail-on", threshold, "-q", "--format", "json")
    findings = json.loads((tmp_path / "findings.json").read_text())["findings"]
    expected = int(any(ranks.index(f["severity"]) >= ranks.index(threshold) for f in findings))
    assert r.exit_code == expected


def test_fail_on_passes_when_nothing_that_severe(run, tmp_path):
    # the basic archive has only low-severity link findings
    assert run("audit", LINKEDIN_BASIC, "--out", tmp_path, "--fail-on", "medium", "-q").exit_code == 0


def test_two_instalments_of_one_linkedin_account_are_merged(run, tmp_path):
    r = run("audit", LINKEDIN_BASIC, LINKEDIN, "--out", tmp_path, "-q")
    data = json.loads((tmp_path / "findings.json").read_text())
    assert r.exit_code == 0 and len(data["accounts"]) == 1 and data["posts_scanned"] == 157


def test_role_raises_political_severity(run, tmp_path):
    run("audit", LINKEDIN, "--out", tmp_path / "a", "-q")
    run("audit", LINKEDIN, "--out", tmp_path / "b", "-q", "--role", "senior")
    a = json.loads((tmp_path / "a/findings.json").read_text())["summary"]["by_severity"]
    b = json.loads((tmp_path / "b/findings.json").read_text())["summary"]["by_severity"]
    assert b["critical"] > a["critical"]


def test_audit_makes_no_network_connection(run, tmp_path, monkeypatch):
    def refuse(*a, **k):
        raise AssertionError("network access during an audit")

    monkeypatch.setattr(socket.socket, "connect", refuse)
    monkeypatch.setattr(socket, "create_connection", refuse)
    monkeypatch.setattr(socket, "getaddrinfo", refuse)
    assert run("audit", LINKEDIN, "--out", tmp_path, "-q").exit_code == 0


def test_inspect(run):
    r = run("inspect", LINKEDIN)
    assert r.exit_code == 0
    assert "platform: LinkedIn (complete archive)" in r.stdout
    assert "items:    157 (2 articles, 31 comments, 37 posts, 81 reactions, 4 reposts, 2 shares)" in r.stdout
    assert "ignored:  messages.csv (private messages: not read)" in r.stdout


def test_rules_list_and_show(run):
    r = run("rules", "list")
    assert r.exit_code == 0 and "NZ-NEUTRAL-LINK" in r.stdout and "role senior" in r.stdout
    r = run("rules", "show", "nz-neutral-link")
    assert r.exit_code == 0 and "publicservice.govt.nz" in r.stdout and "critical" in r.stdout
    r = run("rules", "show", "NZ-NOPE")
    assert r.exit_code == 2 and "no rule" in r.stderr


# --- bad input: one line, exit 2, input untouched, no report --------------------------------

def _zip_with(tmp_path, members: dict[str, bytes], name="export.zip"):
    z = tmp_path / name
    with zipfile.ZipFile(z, "w") as zf:
        for n, data in members.items():
            zf.writestr(n, data)
    return z


def _bad_inputs(tmp_path):
    good_profile = (LINKEDIN / "Profile.csv").read_bytes()
    cases = {}
    f = tmp_path / "holiday.jpg"
    f.write_bytes(b"\xff\xd8\xff\xe0" + b"\x00" * 100)
    cases["not an export"] = (f, "not an export this tool recognises")
    z = tmp_path / "corrupt.zip"
    z.write_bytes(_zip_with(tmp_path, {"Profile.csv": good_profile}, "tmp.zip").read_bytes()[:60])
    cases["corrupt zip"] = (z, "not a readable ZIP file")
    cases["path traversal"] = (_zip_with(tmp_path, {"Profile.csv": good_profile, "../../evil.csv": b"x"}, "trav.zip"),
                               "points outside the archive")
    cases["absolute member"] = (_zip_with(tmp_path, {"/etc/passwd": b"x"}, "abs.zip"), "absolute path")
    d = tmp_path / "wrong_headers"
    d.mkdir()
    (d / "Shares.csv").write_text("id,permalink,date,ip,subreddit,body\n1,/r/x,2024,1.2.3.4,nz,hi\n")
    cases["foreign headers"] = (d, "does not have LinkedIn's columns")
    e = tmp_path / "empty"
    e.mkdir()
    cases["empty folder"] = (e, "is an empty folder")
    cases["missing path"] = (tmp_path / "nope.zip", "does not exist")
    empty_file = tmp_path / "empty.zip"
    empty_file.write_bytes(b"")
    cases["empty file"] = (empty_file, "is empty")
    return cases


@pytest.mark.parametrize("case", ["not an export", "corrupt zip", "path traversal", "absolute member",
                                  "foreign headers", "empty folder", "missing path", "empty file"])
def test_bad_input(run, tmp_path, case):
    path, message = _bad_inputs(tmp_path)[case]
    before = tree_hash(path) if path.exists() else None
    out = tmp_path / "out"
    r = run("audit", path, "--out", out)
    assert r.exit_code == 2, r.output
    assert message in r.stderr
    lines = [ln for ln in r.stderr.splitlines() if ln.strip()]
    assert len(lines) == 1 and lines[0].startswith("Error: ")
    assert "Traceback" not in r.output
    assert not out.exists() or not any(out.iterdir())
    if before:
        assert tree_hash(path) == before


def test_output_inside_the_export_is_refused(run, tmp_path):
    export = tmp_path / "export"
    shutil.copytree(LINKEDIN, export)
    before = tree_hash(export)
    r = run("audit", export, "--out", export / "report")
    assert r.exit_code == 2 and "inside the export" in r.stderr
    assert tree_hash(export) == before


def test_existing_report_is_replaced_whole(run, tmp_path):
    out = tmp_path / "out"
    out.mkdir()
    (out / "report.md").write_text("old")
    assert run("audit", LINKEDIN, "--out", out, "-q").exit_code == 0
    assert (out / "report.md").read_text().startswith("# Separation report")


def test_failed_audit_keeps_the_previous_report(run, tmp_path):
    out = tmp_path / "out"
    out.mkdir()
    (out / "report.md").write_text("previous")
    bad = tmp_path / "x.txt"
    bad.write_text("hello")
    assert run("audit", bad, "--out", out).exit_code == 2
    assert (out / "report.md").read_text() == "previous"


def test_unknown_format_and_policy_and_role(run, tmp_path):
    r = run("audit", LINKEDIN, "--out", tmp_path, "--format", "pdf")
    assert r.exit_code == 2 and "unknown --format" in r.stderr
    r = run("audit", LINKEDIN, "--out", tmp_path, "--policy", "atlantis")
    assert r.exit_code == 2 and "no policy pack named" in r.stderr
    r = run("audit", LINKEDIN, "--out", tmp_path, "--role", "astronaut")
    assert r.exit_code == 2 and "no role 'astronaut'" in r.stderr


def test_usage_errors_exit_2(run):
    assert run("audit").exit_code == 2
    assert run("audit", LINKEDIN).exit_code == 2  # --out missing


def test_truncated_csv_audits_what_it_can_and_says_so(run, tmp_path):
    d = tmp_path / "cut"
    d.mkdir()
    shutil.copy(LINKEDIN / "Profile.csv", d)
    (d / "Shares.csv").write_bytes(b'Date,ShareLink,ShareCommentary,SharedUrl,MediaUrl,Visibility\n'
                                   b'2024-01-01 00:00:00,,"Vote them out! #nzpol",,,\n'
                                   b'2024-01-02 00:00:00,,"cut off in the mid')
    r = run("audit", d, "--out", tmp_path / "out")
    assert r.exit_code == 0
    assert "Shares.csv is damaged after row 1" in r.stderr
    report = (tmp_path / "out/report.md").read_text()
    assert "This audit is incomplete" in report and "Shares.csv is damaged" in report
    data = json.loads((tmp_path / "out/findings.json").read_text())
    assert data["posts_scanned"] == 1 and data["warnings"]


def test_zip_bomb_is_stopped_while_reading(run, tmp_path):
    z = tmp_path / "bomb.zip"
    with zipfile.ZipFile(z, "w", zipfile.ZIP_DEFLATED) as zf:
        zf.writestr("Profile.csv", (LINKEDIN / "Profile.csv").read_bytes())
        zf.writestr("Shares.csv", b'Date,ShareLink,ShareCommentary,SharedUrl,MediaUrl,Visibility\n'
                                  b'2024-01-01 00:00:00,,"' + b"a" * (40 * 1024 * 1024) + b'",,,\n')
    assert z.stat().st_size < 200_000
    r = run("audit", z, "--out", tmp_path / "out")
    assert r.exit_code == 2 and "ZIP bomb" in r.stderr
    assert not (tmp_path / "out").exists()


def test_member_damaged_mid_stream_is_one_clear_error(run, tmp_path):
    z = tmp_path / "damaged.zip"
    body = b"Date,ShareLink,ShareCommentary,SharedUrl,MediaUrl,Visibility\n" + b"".join(
        b"2024-01-01 00:00:00,,post number %d with some words,,,\n" % i for i in range(20000))
    with zipfile.ZipFile(z, "w", zipfile.ZIP_DEFLATED) as zf:
        zf.writestr("Profile.csv", (LINKEDIN / "Profile.csv").read_bytes())
        zf.writestr("Shares.csv", body)
    data = bytearray(z.read_bytes())
    info = zipfile.ZipFile(z).getinfo("Shares.csv")
    middle = info.header_offset + 30 + len("Shares.csv") + info.compress_size // 2
    data[middle:middle + 64] = b"\xff" * 64
    z.write_bytes(bytes(data))
    r = run("audit", z, "--out", tmp_path / "out")
    assert r.exit_code == 2 and "is damaged" in r.stderr and "Traceback" not in r.output
    assert not (tmp_path / "out").exists()


def test_a_folder_holding_several_exports_is_opened_up(run, tmp_path, make_zip):
    from conftest import BLUESKY, FACEBOOK, MASTODON, TWITTER
    d = tmp_path / "Downloads"
    d.mkdir()
    shutil.copytree(TWITTER, d / TWITTER.name)
    shutil.copytree(MASTODON, d / MASTODON.name)
    shutil.copy(BLUESKY, d / "repo.car")
    (d / "holiday photos").mkdir()
    (d / "holiday photos" / "notes.txt").write_text("not an export")
    r = run("audit", d, "--out", tmp_path / "r", "-q", "--format", "json")
    data = json.loads((tmp_path / "r/findings.json").read_text())
    assert r.exit_code == 0
    assert {a["platform"] for a in data["accounts"]} == {"twitter", "mastodon", "bluesky"}
    assert any("holiday photos" in w and "not audited" in w for w in data["warnings"])
    # Two LinkedIn instalments as ZIPs in one folder are opened up too, and merged as one account.
    z = tmp_path / "linkedin"
    z.mkdir()
    shutil.move(str(make_zip(LINKEDIN)), z / "complete.zip")
    shutil.move(str(make_zip(LINKEDIN_BASIC)), z / "basic.zip")
    r = run("audit", z, "--out", tmp_path / "r2", "-q", "--format", "json")
    data = json.loads((tmp_path / "r2/findings.json").read_text())
    assert r.exit_code == 0 and len(data["accounts"]) == 1 and data["posts_scanned"] == 157
    # An unpacked Facebook download (sub-folders, all Facebook) stays one export.
    r = run("inspect", FACEBOOK)
    assert r.exit_code == 0 and r.stdout.count("platform:") == 1


def test_second_process_gives_the_same_report(run, tmp_path, monkeypatch):
    """Long streams are scanned by a forked second process; the report must not change."""
    from conftest import ALL

    import auditor.audit as audit_mod
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1764028800")
    monkeypatch.setenv("AUDITOR_WORKERS", "1")
    assert run("audit", *ALL, "--out", tmp_path / "one", "-q", "--format", "json,md").exit_code == 0
    monkeypatch.setenv("AUDITOR_WORKERS", "2")
    monkeypatch.setattr(audit_mod, "PARALLEL_AFTER", 30)
    monkeypatch.setattr(audit_mod, "BATCH", 7)
    forks = []
    real = audit_mod.concurrent.futures.ProcessPoolExecutor
    monkeypatch.setattr(audit_mod.concurrent.futures, "ProcessPoolExecutor",
                        lambda *a, **k: forks.append(1) or real(*a, **k))
    assert run("audit", *ALL, "--out", tmp_path / "two", "-q", "--format", "json,md").exit_code == 0
    assert forks  # the second process really ran
    for name in ("findings.json", "report.md"):
        assert (tmp_path / "one" / name).read_bytes() == (tmp_path / "two" / name).read_bytes()


def test_a_missing_export_is_named_before_consent_is_asked(run, tmp_path, monkeypatch):
    # issue 14, defect 5: no consent prompt for a path that is not there
    monkeypatch.delenv("AUDITOR_YES", raising=False)
    r = run("audit", tmp_path / "nope.zip", "--out", tmp_path / "out")
    assert r.exit_code == 2 and "nope.zip does not exist" in r.stderr
    assert "consent" not in r.output.lower() and "[y/N]" not in r.output


def test_a_missing_policy_file_is_reported_as_a_missing_file(run, tmp_path):
    # issue 14, defect 6
    r = run("rules", "list", "--policy", str(tmp_path / "missing.toml"))
    assert r.exit_code == 2 and "policy file not found" in r.stderr and "no policy pack named" not in r.stderr


def test_the_summary_counts_exports_not_arguments(run, tmp_path):
    # issue 14, defect 2: one export named twice is one export, read once
    from conftest import LINKEDIN

    r = run("audit", LINKEDIN, LINKEDIN, "--out", tmp_path / "o", "--format", "json")
    assert r.exit_code == 0 and "in 1 export, offline" in r.stdout
    import json
    data = json.loads((tmp_path / "o/findings.json").read_text())
    assert len(data["inputs"]) == 1
    assert len(data["skipped"]) == len({(s["input"], s["file"]) for s in data["skipped"]})
    all_fixtures = run("audit", LINKEDIN.parent.parent.parent, "--out", tmp_path / "p", "--format", "json")
    assert all_fixtures.exit_code == 0 and " export, " not in all_fixtures.stdout.splitlines()[0]


def test_inspect_and_audit_account_for_every_item_alike(run, tmp_path):
    # issue 14, defect 3: an item that appears twice (same id) is read once by the audit, and
    # inspect counts it the same way and says so
    import json

    from conftest import linkedin_export

    row = '2024-01-01 10:00:00,https://www.linkedin.com/feed/update/urn:li:activity:1,"Lovely walk on the beach.",,,PUBLIC\n'
    d = linkedin_export(tmp_path / "export", row + row + row.replace("activity:1", "activity:2"))
    i = run("inspect", d)
    assert "items:    2 (2 posts)" in i.stdout and "1 more appear twice" in i.stdout
    a = run("audit", d, "--out", tmp_path / "o", "--format", "json")
    assert "Audited 2 items (and 1 repeated item read once)" in a.stdout
    assert json.loads((tmp_path / "o/findings.json").read_text())["repeated_items"] == 1
