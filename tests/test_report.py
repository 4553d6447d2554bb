import json

import jsonschema
import pytest
from conftest import LINKEDIN

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
    order = ["## Summary", "## What to do first", "## LinkedIn (Mereana Clarke)", "## What is fine",
             "## What this audit could not check", "## About this report"]
    positions = [md.index(h) for h in order]
    assert positions == sorted(positions)
    assert "Yes: your work identity is tied to political content" in md
    assert "that **ACT** **wants to** **scrap** the freshwater" in md  # the excerpt, its evidence in bold
    assert "NZ-NEUTRAL-LINK" in md and "publicservice.govt.nz" in md


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
