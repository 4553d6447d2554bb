import json
import re

import jsonschema
import pytest
from conftest import LINKEDIN, ROOT

from auditor import examples
from auditor.report import SCHEMA_PATH, md_escape, md_highlight


@pytest.fixture(scope="module")
def audited(tmp_path_factory):
    from click.testing import CliRunner

    from auditor.cli import cli

    out = tmp_path_factory.mktemp("r")
    assert CliRunner().invoke(cli, ["audit", str(LINKEDIN), "--out", str(out), "-q", "--yes"]).exit_code == 0
    return out


def test_findings_json_matches_schema(audited):
    data = json.loads((audited / "findings.json").read_text())
    jsonschema.Draft202012Validator(json.loads(SCHEMA_PATH.read_text())).validate(data)
    assert data["schema_version"].startswith("1.")
    for f in data["findings"]:
        for s in f["spans"]:
            if s["start"] >= 0 and s["field"] == "text":
                assert f["excerpt"][s["start"]:s["end"]] == s["text"]
        assert f["recommendation"] and f["citation"]["url"].startswith("https://")
    ids = [f["id"] for f in data["findings"]]
    assert ids == sorted(ids) and len(set(ids)) == len(ids)
    assert all("/" not in i for i in data["inputs"])  # no full paths in the report


def test_markdown_report_structure(audited):
    md = (audited / "report.md").read_text()
    order = ["## Summary", "## What to do first", "## Worklist", "### 1. Change the profile and links of 1 account",
             "### 2. LinkedIn (Mereana Clarke): delete", "## Your accounts and how they are tied to your work",
             "## What is fine", "## What this audit could not check", "## About this report"]
    positions = [md.index(h) for h in order]
    assert positions == sorted(positions)
    assert "Yes: your work identity is tied to political content" in md
    assert "that **ACT wants to scrap** the **freshwater rules**" in md  # the excerpt, its evidence in bold
    assert "NZ-NEUTRAL-LINK" in md and "publicservice.govt.nz" in md


def test_markdown_follows_the_html_worklist(audited):
    from bs4 import BeautifulSoup

    md = (audited / "report.md").read_text()
    soup = BeautifulSoup((audited / "report.html").read_text(), "html.parser")
    html_steps = [a.h3.get_text() for a in soup.select("article.step")]
    worklist = md[md.index("## Worklist"):md.index("\n## ", md.index("## Worklist") + 1)]
    md_steps = [line[4:] for line in worklist.splitlines() if line.startswith("### ")]
    assert md_steps == html_steps
    html_rows = [li["id"] for li in soup.select("#worklist ol.rows > li")]
    md_rows = re.findall(r"^- \*\*\w+\*\*.*? (F\d{3})\b", md, flags=re.M)
    assert md_rows == html_rows
    # a rule's reason and guidance once per group, not once per finding
    data = json.loads((audited / "findings.json").read_text())
    whys = {f["why"] for f in data["findings"] if f["rule"] == "NZ-NEUTRAL-LINK"}
    assert sum(md.count(w) for w in whys) <= 1 < sum(f["rule"] == "NZ-NEUTRAL-LINK" for f in data["findings"])
    # each piece of guidance once per step (a step may cite several sections, each once)
    for step in worklist.split("\n### ")[1:]:
        cited = [line.split(": ", 1)[1] for line in step.splitlines() if line.startswith("Guidance")]
        assert cited and len(cited) == len(set(cited)), cited
    assert md.count("Guidance for public servants' personal use of social media,") < len(data["findings"])


# fmt: off
@pytest.mark.parametrize("spans, marked", [
    ([(0, 4), (5, 9)], "**Vote them** out now"),                # a space apart: one highlight
    ([(0, 4), (2, 9)], "**Vote them** out now"),                # overlapping: merged
    ([(0, 4), (0, 4)], "**Vote** them out now"),                # the same span twice
    ([(0, 4), (10, 13)], "**Vote** them **out** now"),          # words apart: two
    ([(5, 9), (-1, -1), (14, 99)], "Vote **them** out now"),    # off the excerpt: ignored
])
# fmt: on
def test_evidence_spans_are_merged_and_checked(spans, marked):
    from auditor.report import md_marked

    f = {"excerpt": "Vote them out now", "spans": [{"start": a, "end": b, "field": "text"} for a, b in spans]}
    assert md_marked(f) == marked


def test_the_one_line_reason_names_the_model_score_and_the_deciding_words(audited):
    from auditor.report.worklist import reason

    data = json.loads((audited / "findings.json").read_text())
    f = next(f for f in data["findings"] if f["excerpt"].startswith("Ridiculous that ACT"))
    from auditor.detect.textmodel import manifest

    shipped = manifest()["models"]["political_en"]["threshold"]  # the reason quotes the model in use
    assert f["score"] > 0.95
    assert reason(f) == (f"political (partisan), model {f['score']:.2f} \u2265 {shipped:.2f}: ACT, scrap, David Seymour, should"
                         "; about your employer's own area (freshwater)")  # MfE's (the nz lexicon's [mandates])
    profile = next(f for f in data["findings"] if f["subject"] == "account")
    assert reason(profile) == profile["explanation"].rstrip(".")


def test_worklist_steps_put_profile_changes_first_then_posts_by_severity():
    from auditor.report.worklist import build_worklist

    def f(n, account, severity, action, subject="post", kind="post"):
        return {"id": f"F{n:03d}", "account": account, "severity": severity, "action": action, "subject": subject,
                "post_kind": kind if subject == "post" else "", "rule": f"R-{action}", "title": action,
                "category": "political", "why": f"Why {action} this {kind}.", "recommendation": f"Do it to this {kind}.",
                "citation": {"title": "G", "publisher": "P", "url": "https://g.example", "section": ""}}

    accounts = [{"key": "a", "label": "A"}, {"key": "b", "label": "B"}]
    findings = [f(1, "a", "medium", "move"), f(2, "a", "low", "edit", kind="comment"),
                f(3, "b", "critical", "delete"), f(4, "b", "low", "unlink", subject="account"),
                f(5, "a", "medium", "move", kind="reaction"), f(6, "b", "high", "delete", kind="comment")]
    wl = build_worklist({"accounts": accounts, "findings": findings})
    assert [s["title"] for s in wl["steps"]] == [
        "Change the profile and links of 1 account (1 change)",
        "B: delete 2 items", "A: remove 2 items, or cut the account's ties to your work", "A: edit 1 comment"]
    move = wl["steps"][2]["rules"][0]
    assert move["why"] == "Why move this item." and move["recommendation"] == "Do it to this item."
    assert wl["steps"][2]["kinds"] == "1 post, 1 reaction" and wl["steps"][1]["by_severity"] == {"critical": 1, "high": 1}
    assert [r["id"] for r in wl["steps"][1]["rules"][0]["findings"]] == ["F003", "F006"]
    assert wl["rows"] == 6 and [a["key"] for a in wl["accounts"]] == ["a", "b"]
    assert build_worklist({"accounts": accounts, "findings": []})["steps"] == []
    # findings whose rule text differs in more than the kind of item keep their own
    findings[0]["why"], findings[4]["why"] = "Link one.", "Link two."
    assert build_worklist({"accounts": accounts, "findings": findings})["steps"][2]["rules"][0]["why"] is None


# fmt: off
@pytest.mark.parametrize("raw, escaped", [
    ("<script>alert(1)</script>", "\\<script\\>alert(1)\\</script\\>"),
    ("[click](javascript:alert(1))", "\\[click\\](javascript:alert(1))"),
    ("**bold** _it_ `code`", "\\*\\*bold\\*\\* \\_it\\_ \\`code\\`"),
    ("# not a heading\n- not a list\n1. not numbered", "\\# not a heading\n\\- not a list\n1\\. not numbered"),
    ("| a | b |", "\\| a \\| b \\|"),
    ("plain words, with commas.", "plain words, with commas."),
])
# fmt: on
def test_md_escape(raw, escaped):
    assert md_escape(raw) == escaped


def test_highlight_escapes_user_text_around_spans():
    f = {"excerpt": "<b>Vote</b> them out", "spans": [{"start": 12, "end": 20, "field": "text"}]}
    assert md_highlight(f) == "> \\<b\\>Vote\\</b\\> **them out**"
    from auditor.report import html_highlight

    f["spans"].append({"start": 3, "end": 7, "field": "text"})
    assert str(html_highlight(f)) == "&lt;b&gt;<mark>Vote</mark>&lt;/b&gt; <mark>them out</mark>"


def test_hostile_post_text_cannot_inject_markup(run, tmp_path):
    from conftest import linkedin_export

    d = linkedin_export(tmp_path / "export",
                        '2024-01-01 00:00:00,,"<img src=x onerror=alert(1)> Vote them out! This government is a disgrace, '
                        'tax cuts for landlords while hospitals close. [x](javascript:alert(1)) #nzpol",,,\n')
    assert run("audit", d, "--out", tmp_path / "out", "-q").exit_code == 0
    md = (tmp_path / "out/report.md").read_text()
    import re
    assert not re.search(r"(?<!\\)<img", md) and not re.search(r"(?<!\\)\]\(javascript", md)
    assert "\\<img src=x onerror=alert(1)\\>" in md


def test_example_reports_are_up_to_date():
    stale = examples.check(examples.ROOT / "reports")
    assert not stale, f"reports/ is out of date ({', '.join(stale)}): run python -m auditor.examples"


def test_huge_accounts_show_the_most_severe_findings_and_say_how_many_more():
    from auditor.report import shown
    fs = [{"severity": s} for s in ["critical"] * 3 + ["high"] * 400 + ["low"] * 50 + ["critical"]]
    view = shown(fs, limit=300)
    assert len(view["findings"]) == 301 and view["hidden"] == 153
    assert sum(f["severity"] == "critical" for f in view["findings"]) == 4  # critical always shown
    small = shown([{"severity": "low"}] * 5)
    assert len(small["findings"]) == 5 and small["hidden"] == 0


def test_matplotlib_is_imported_only_to_draw_a_chart(tmp_path):
    # issue 14, defect 9: about a second of a small audit went to importing matplotlib, even
    # for a report with nothing to chart
    import subprocess
    import sys

    d = tmp_path / "export"
    d.mkdir()
    (d / "Profile.csv").write_text("First Name,Last Name,Headline,Summary,Websites\nAlex,Doe,Baker,,\n")
    (d / "Shares.csv").write_text("Date,ShareLink,ShareCommentary,SharedUrl,MediaUrl,Visibility\n"
                                  '2024-01-01 10:00:00,,"Lovely walk on the beach this morning.",,,PUBLIC\n')
    code = ("import sys; from auditor.cli import cli\n"
            "try:\n"
            f"    cli(['audit', {str(d)!r}, '--out', {str(tmp_path / 'o')!r}, '-q', '--yes'])\n"
            "except SystemExit:\n    pass\n"
            "print('matplotlib' in sys.modules)")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert (tmp_path / "o" / "report.html").exists(), out.stderr
    assert out.stdout.strip().endswith("False"), out.stdout + out.stderr


def test_the_trust_lines_name_only_the_languages_judged():
    """A report quotes the figures of the models that judged its posts: an English archive gets
    no line for the French or Spanish model, a bilingual one gets both of its languages'."""
    from auditor.report.context import _measured

    assert {m["lang"] for m in _measured(False, {"en", "fr"})} == {"en", "fr"}
    assert {(m["task"], m["lang"]) for m in _measured(False, {"es"})} == {("political", "es")}
    assert _measured(False, set()) == []
    assert {m["lang"] for m in _measured(False)} >= {"en", "fr", "es"}
    bilingual = json.loads((ROOT / "reports" / "bilingual-ca" / "findings.json").read_text(encoding="utf-8"))
    assert {m["lang"] for m in bilingual["measured"]} == {"en", "fr"}


def test_report_says_how_far_to_trust_each_model(audited):
    """Each shipped model's figures on the test people's random posts, read from the manifest
    (never written here), in findings.json and in both reports."""
    from auditor.detect.textmodel import manifest
    from auditor.report.context import _measured

    data = json.loads((audited / "findings.json").read_text())
    measured = {(m["task"], m["lang"]): m for m in data["measured"]}
    for (task, lang), m in measured.items():
        entry = manifest()["models"][f"{task}_{lang}"]["figures"]["held_out"]["personal exports, test people, random posts"]
        assert (m["right"], m["flagged"], m["positives"], m["posts"]) == (
            entry["tp"], entry["tp"] + entry["fp"], entry["positives"], entry["n"])
    # only the models of the languages the audit judged posts in: this LinkedIn export is English
    assert set(measured) == {("political", "en"), ("disrespect", "en"), ("grievance", "en")}
    m = measured[("political", "en")]
    assert m["semantic"] is False
    line = (f"{m['right']} of the {m['flagged']} it flagged were right, and it found {m['right']} of the "
            f"{m['positives']} political posts")
    assert line in (audited / "report.md").read_text()
    assert line in (audited / "report.html").read_text()
    # a model that misses most says where else to look: its list of posts to skim, where it has one
    assert m["sentence"].endswith("it misses most, so read the posts to skim, and your own posts too.")
    assert measured[("disrespect", "en")]["sentence"].endswith("it misses most, so read your own posts too.")
    fr = {(m["task"], m["lang"]): m for m in _measured(False, {"fr"})}
    assert fr[("political", "fr")]["sentence"].startswith("How far to trust the political findings (French)")


def test_semantic_mode_quotes_its_own_figures():
    from auditor.detect.textmodel import manifest
    from auditor.report.context import _measured

    semantic = manifest().get("semantic", {}).get("political_en")
    assert semantic, "the manifest records the semantic head's figures"
    want = semantic["figures"]["held_out"]["personal exports, test people, random posts"]
    got = {(m["task"], m["lang"]): m for m in _measured(True)}
    assert got[("political", "en")]["semantic"] and got[("political", "en")]["right"] == want["tp"]
    assert not got[("disrespect", "en")]["semantic"]  # the semantic mode changes political posts only
    assert not got[("political", "fr")]["semantic"]  # nor French ones: the head reads English
    words = manifest()["models"]["political_en"]["figures"]["held_out"]["personal exports, test people, random posts"]
    assert {(m["task"], m["lang"]): m for m in _measured(False)}[("political", "en")]["right"] == words["tp"]


def test_an_export_without_posts_says_none_were_checked(run, tmp_path):
    """LinkedIn's basic archive holds the profile only: the report says no posts were checked
    rather than "No political content was found in 0 items checked", and lists no empty
    "Checked:" or "0 items of 0" lines (found reading the example reports)."""
    from conftest import LINKEDIN_BASIC

    assert run("audit", LINKEDIN_BASIC, "--out", tmp_path, "-q", "--format", "md,html").exit_code == 0
    for name in ("report.md", "report.html"):
        text = (tmp_path / name).read_text(encoding="utf-8")
        assert "No posts were checked:" in text and "No posts in its export." in text, name
        assert "No political content was found" not in text and "Checked: ." not in text, name
        assert "raised nothing at all" not in text, name


def test_a_note_says_whose_link_the_evidence_words_are_from():
    """A Reddit comment's link is its thread's (the permalink holds the thread's title) and a
    post's own link is no share: only a share or repost is "the link you shared" (found reading
    the example reports)."""
    from auditor.models import Detection, Post, Span
    from auditor.report.wording import post_notes

    d = Detection("political", "partisan", 0.9, (Span(0, 5, "cuts", "policy: cuts", "link"),), "")
    note = {kind: post_notes(Post("reddit", "1", kind, None, "Shame on them."), d, "government cuts")[0]
            for kind in ("comment", "post", "share")}
    assert note["comment"].startswith("The link of what you commented on reads: \u201cgovernment cuts\u201d")
    assert note["post"].startswith("The post's link reads") and note["share"].startswith("The link you shared reads")
