import json
import os
import shutil
import stat

from click.testing import CliRunner
from conftest import LINKEDIN, TWITTER

from auditor.cli import cli
from auditor.progress import compare, load_previous
from auditor.report import SCHEMA_VERSION


def audit(*args):
    return CliRunner().invoke(cli, ["audit", *map(str, args)])


def findings(folder):
    return json.loads((folder / "findings.json").read_text())


def rewrite(js, change):
    """Edit an X archive file (``window.YTD.x.part0 = [...]``) the way the person's account changed."""
    prefix, _, body = js.read_text(encoding="utf-8").partition("= ")
    js.write_text(prefix + "= " + json.dumps(change(json.loads(body)), indent=1), encoding="utf-8")


NEW_TWEET = "Vote them out: this government is gutting freshwater protections and ignoring the science. #nzpol"


def test_since_counts_fixed_new_and_open_after_deleting_posts_and_editing_the_bio(tmp_path):
    export = shutil.copytree(TWITTER, tmp_path / "x")
    assert audit(export, "--out", tmp_path / "first", "-q").exit_code == 0
    old = findings(tmp_path / "first")["findings"]
    tweets = list(dict.fromkeys(f["post_id"] for f in old if f["post_kind"] == "post"))
    gone = set(tweets[:3])
    on_gone = [f["key"] for f in old if f["post_id"] in gone]
    # the profile findings: the employer in the bio, the bio's link, and the tweet that says where
    # she works; all three rest on the employer the bio names (audited alone, nothing else names it)
    profile = [f["key"] for f in old if f["subject"] == "account"]
    # What the person did: deleted three posts, took the employer out of the bio (so the profile
    # findings that rest on it go away), and posted one new political tweet.
    assert len(on_gone) >= 3 and len(profile) == 3
    rewrite(export / "data/profile.js", lambda d: [{"profile": {**d[0]["profile"], "description": {
        **d[0]["profile"]["description"], "bio": "Freshwater nerd: maps, rivers, tramping. Views my own."}}}])

    def tweets_now(items):
        kept = [t for t in items if t["tweet"]["id_str"] not in gone]
        new = json.loads(json.dumps(kept[0]))
        new["tweet"].update(id_str="2199999999999999999", id="2199999999999999999", full_text=NEW_TWEET)
        return [new, *kept]

    rewrite(export / "data/tweets.js", tweets_now)
    res = audit(export, "--out", tmp_path / "second", "--since", tmp_path / "first/findings.json")
    assert res.exit_code == 0, res.output
    fixed, new, still = len(on_gone) + len(profile), 1, len(old) - len(on_gone) - len(profile)
    assert f": {fixed} fixed, {new} new, {still} still open." in res.output
    data = findings(tmp_path / "second")
    p = data["progress"]
    assert (p["fixed"], p["new"], p["open"], p["dismissed"], p["not_compared"]) == (fixed, new, still, 0, 0)
    assert {f["key"] for f in p["fixed_items"]} == set(on_gone) | set(profile)
    assert {f["how"] for f in p["fixed_items"] if f["key"] in profile} == {"the profile was changed"}
    assert {f["how"] for f in p["fixed_items"] if f["key"] in on_gone} == {"the post is gone"}
    newest = [f for f in data["findings"] if f["id"] in p["new_ids"]]
    assert [f["post_id"] for f in newest] == ["2199999999999999999"]
    # Cutting the employer from the bio moved many posts to a milder rule: they are still open,
    # not fixed and new again.
    assert len({f["key"] for f in data["findings"]} - {f["key"] for f in old}) > new
    assert p["previous_generated_at"] == findings(tmp_path / "first")["generated_at"]
    html = (tmp_path / "second/report.html").read_text()
    assert f"<strong>{fixed} fixed</strong>, <strong>1 new</strong>, <strong>{still} still open</strong>" in html
    assert "What you fixed" in html and "employed: " not in html  # the bio no longer names a job
    assert "fixed since last audit" in html  # the chart's grey series
    assert f"**{fixed} fixed**, **1 new**, **{still} still open**" in (tmp_path / "second/report.md").read_text()


def test_the_earlier_report_in_the_folder_is_the_default_and_the_chart_shades_employment(tmp_path):
    out = tmp_path / "r"
    assert audit(LINKEDIN, "--out", out, "-q").exit_code == 0
    assert findings(out)["progress"] is None and 'id="progress"' not in (out / "report.html").read_text()
    n = len(findings(out)["findings"])
    res = audit(LINKEDIN, "--out", out)
    assert f": 0 fixed, 0 new, {n} still open." in res.output
    html = (out / "report.html").read_text()
    assert 'id="progress"' in html and "employed: Senior Policy Advisor at Ministry for the Environment" in html


def test_an_unreadable_earlier_report_is_a_warning_and_is_replaced(tmp_path):
    out = tmp_path / "r"
    out.mkdir()
    for text in ("{broken", json.dumps({"schema_version": "2.0", "findings": []}), json.dumps({"findings": [1]})):
        (out / "findings.json").write_text(text)
        res = audit(LINKEDIN, "--out", out)
        assert res.exit_code == 0
        warn = [ln for ln in res.stderr.splitlines() if "progress since it is not shown" in ln]
        assert len(warn) == 1 and "Traceback" not in res.output
        assert "Since the last audit" not in res.output
        assert findings(out)["schema_version"] == SCHEMA_VERSION and findings(out)["progress"] is None


def test_since_must_hold_a_report(tmp_path):
    res = audit(LINKEDIN, "--out", tmp_path / "r", "--since", tmp_path)
    assert res.exit_code == 2 and "holds no findings.json" in res.stderr
    assert not (tmp_path / "r").exists()


def test_a_report_from_before_keys_is_still_compared(tmp_path):
    out = tmp_path / "r"
    assert audit(LINKEDIN, "--out", out, "-q").exit_code == 0
    data = findings(out)
    for f in data["findings"]:
        del f["key"]
    data["schema_version"] = "1.1"
    (tmp_path / "old.json").write_text(json.dumps(data))
    res = audit(LINKEDIN, "--out", out, "--since", tmp_path / "old.json")
    assert f": 0 fixed, 0 new, {len(data['findings'])} still open." in res.output


def _ctx(*findings, accounts=("twitter:me",)):
    return {"accounts": [{"key": a} for a in accounts], "policy": {"id": "nz"},
            "findings": [{"id": f"F{i:03d}", "key": k, "category": c, "account": a}
                         for i, (k, c, a) in enumerate(findings, start=1)]}


def test_compare_rule_changes_dismissals_and_accounts_left_out():
    previous = {"generated_at": "2026-01-01T00:00:00Z", "policy": {"id": "nz"}, "findings": [
        {"key": "twitter:1:NZ-SEP-WORKROLE", "category": "political", "account": "twitter:me", "subject": "post"},
        {"key": "twitter:2:NZ-RESPECT", "category": "disrespect", "account": "twitter:me", "subject": "post"},
        {"key": "twitter:3:NZ-RESPECT", "category": "disrespect", "account": "twitter:me", "subject": "post"},
        {"key": "twitter:4:NZ-RESPECT", "category": "disrespect", "account": "twitter:me", "subject": "post"},
        {"key": "reddit:9:NZ-RESPECT", "category": "disrespect", "account": "reddit:me", "subject": "post"},
    ]}
    now = _ctx(("twitter:1:NZ-NEUTRAL-CARE", "political", "twitter:me"),  # rule changed: open
               ("twitter:2:NZ-RESPECT", "disrespect", "twitter:me"),  # open
               ("twitter:4:NZ-NEUTRAL-CARE", "political", "twitter:me"),  # another kind: new
               ("twitter:5:NZ-RESPECT", "disrespect", "twitter:me"))  # new
    found = {f["key"] for f in now["findings"]} | {"twitter:3:NZ-RESPECT"}  # 3 was dismissed since
    p = compare(previous, found, now)
    assert (p["fixed"], p["new"], p["open"], p["dismissed"], p["not_compared"]) == (1, 2, 2, 1, 1)
    assert [f["key"] for f in p["fixed_items"]] == ["twitter:4:NZ-RESPECT"] and p["new_ids"] == ["F003", "F004"]
    assert p["note"] == ""
    assert "policy pack" in compare({**previous, "policy": {"id": "us"}}, found, now)["note"]


def test_load_previous_missing_is_silent(tmp_path):
    assert load_previous(tmp_path / "findings.json") == (None, "")


def test_one_audit_per_folder(tmp_path):
    out = tmp_path / "r"
    assert audit(LINKEDIN, "--out", out, "-q").exit_code == 0
    assert sorted(p.name for p in out.iterdir()) == ["actions.csv", "findings.json", "report.html", "report.md"]
    (out / "decisions.toml").write_text("")
    (out / "my notes.txt").write_text("mine")
    (out / "report.md").unlink()
    (out / "report.md").mkdir()  # not a file the tool wrote: left alone
    assert audit(LINKEDIN, "--out", out, "-q", "--format", "json").exit_code == 0
    assert sorted(p.name for p in out.iterdir()) == ["decisions.toml", "findings.json", "my notes.txt", "report.md"]
    (out / "report.md").rmdir()
    assert audit(LINKEDIN, "--out", out, "-q", "--format", "html,md").exit_code == 0
    assert sorted(p.name for p in out.iterdir()) == ["decisions.toml", "my notes.txt", "report.html", "report.md"]
    assert all(stat.S_IMODE(os.stat(out / n).st_mode) == 0o600 for n in ("report.html", "report.md"))


def test_by_month_chart_escapes_text_and_needs_dates():
    from auditor.report.charts import by_month_svg

    ctx = {"findings": [{"category": "political", "created_at": "2025-03-02T00:00:00Z"}],
           "accounts": [{"work_identified": True, "positions": [
               {"employer": "<script>alert(1)</script> & Co", "title": "", "started": "2024-01-01", "finished": None}]}],
           "progress": {"fixed_items": [{"created_at": "2024-11-05T00:00:00Z"}]}}
    svg = by_month_svg(ctx)
    assert "<script" not in svg and "&lt;script&gt;alert(1)&lt;/script&gt; &amp; Co" in svg
    assert "fixed since last audit" in svg and "political" in svg
    assert by_month_svg({**ctx, "findings": [], "progress": None}) is None


def test_an_employer_taken_off_the_bio_is_remembered_so_saying_it_in_a_post_is_not_fixed(tmp_path):
    """With the employer taken out of the X bio and every tweet kept, "Working at MfE ... Vote
    them out" still says where she works: the earlier report's employer is carried over (the
    report says so), so that cut stays open and the post stays at the rule for a tied account,
    instead of reading as fixed because nothing names the employer any more."""
    export = shutil.copytree(TWITTER, tmp_path / "x")
    assert audit(export, "--out", tmp_path / "r", "-q").exit_code == 0
    old = findings(tmp_path / "r")
    says = {f["key"] for f in old["findings"] if f["rule"] == "NZ-CUT-SAYS"}
    identify = {f["key"] for f in old["findings"] if f["rule"] == "NZ-NEUTRAL-IDENTIFY"}
    assert says and identify and old["employer_named"] is None
    rewrite(export / "data/profile.js", lambda d: [{"profile": {**d[0]["profile"], "description": {
        **d[0]["profile"]["description"], "bio": "Freshwater nerd: maps, rivers, tramping. Views my own."}}}])
    assert audit(export, "--out", tmp_path / "r", "-q").exit_code == 0
    data = findings(tmp_path / "r")
    assert data["warnings"][0].startswith("Your employer was taken to be \u201cMfE\u201d, which the earlier audit")
    assert data["employer_named"] == "MfE" and data["accounts"][0]["tie"] == "linked"
    keys = {f["key"] for f in data["findings"]}
    assert says <= keys and identify <= keys
    fixed = {f["key"] for f in data["progress"]["fixed_items"]}
    assert not (says & fixed) and any(f["rule"] == "NZ-CUT-EMPLOYER" for f in data["progress"]["fixed_items"])
    # told to forget it, the tool has no employer to recognise, and says so
    assert audit(export, "--out", tmp_path / "r", "--employer", "", "-q").exit_code == 0
    data = findings(tmp_path / "r")
    assert data["accounts"][0]["tie"] == "none" and data["employer_named"] is None
