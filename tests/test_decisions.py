import json
import os
import stat

import jsonschema
import pytest
from click.testing import CliRunner
from conftest import ALL, TWITTER, tree_hash

from auditor import consent
from auditor.cli import cli
from auditor.decisions import Decision, DecisionsError, dumps, load_decisions
from auditor.report import SCHEMA_PATH


def audit(*args, **kw):
    return CliRunner().invoke(cli, ["audit", *map(str, args)], catch_exceptions=False, **kw)


def review(*args, input="", terminal=True, monkeypatch=None):
    if monkeypatch is not None:
        monkeypatch.setattr(consent, "stdin_is_terminal", lambda: terminal)
    return CliRunner().invoke(cli, ["review", *map(str, args)], input=input, catch_exceptions=False)


def findings(folder):
    return json.loads((folder / "findings.json").read_text())


@pytest.fixture(scope="module")
def sample(tmp_path_factory):
    """The bundled sample (every fixture) audited once; tests copy the folder before changing it."""
    out = tmp_path_factory.mktemp("sample") / "report"
    res = CliRunner().invoke(cli, ["audit", *map(str, ALL), "--out", str(out), "-q", "--yes"])
    assert res.exit_code == 0, res.output
    return out


@pytest.fixture
def report(sample, tmp_path):
    import shutil

    return shutil.copytree(sample, tmp_path / "report")


def test_review_then_reaudit_hides_dismissed_and_says_so(report, monkeypatch):
    before = findings(report)["findings"]
    # One key per finding, as a person would press them; a reason is typed after d.
    res = review(report, input="d" + "quoting the minister, not my view\n" + "d\n" + "x" + "k" + "q",
                 monkeypatch=monkeypatch)
    assert res.exit_code == 0, res.output
    assert f"{len(before)} findings" in res.output and "1 of" in res.output
    assert before[0]["excerpt"].split()[0] in res.output and before[0]["rule"] in res.output
    assert "Saved in" in res.output and "2 dismissed, 1 done, 1 kept" in res.output
    assert stat.S_IMODE(os.stat(report / "decisions.toml").st_mode) == 0o600
    saved = load_decisions(report / "decisions.toml")
    assert [d.decision for d in saved.values()] == ["dismiss", "dismiss", "done", "keep"]
    assert [d.key for d in saved.values()] == [f["key"] for f in before[:4]]
    assert saved[before[0]["key"]].reason == "quoting the minister, not my view"

    res = audit(*ALL, "--out", report)
    assert res.exit_code == 0, res.output
    assert ("Hidden: 2 findings you dismissed in decisions.toml (1: no reason given; 1: quoting the minister, "
            "not my view).") in res.output
    assert "Marked done but still there: 1 finding;" in res.output
    assert f"Findings: {len(before) - 2} " in res.output
    after = findings(report)
    keys = [f["key"] for f in after["findings"]]
    assert before[0]["key"] not in keys and before[1]["key"] not in keys
    assert before[2]["key"] in keys and before[3]["key"] in keys
    assert after["hidden"]["total"] == 2 and set(after["hidden"]["keys"]) == {before[0]["key"], before[1]["key"]}
    assert after["hidden"]["done_still_there"] == [before[2]["key"]] and after["hidden"]["kept"] == 1
    done = next(f for f in after["findings"] if f["key"] == before[2]["key"])
    assert done["notes"][0].startswith("Marked done on ")
    assert after["summary"]["findings"] == len(before) - 2
    jsonschema.Draft202012Validator(json.loads(SCHEMA_PATH.read_text())).validate(after)
    html = (report / "report.html").read_text()
    assert "2 findings are hidden</strong>" in html and "“quoting the minister, not my view”" in html
    assert "marked done but still there" in html
    assert "2 findings are hidden** because you dismissed them" in (report / "report.md").read_text()


def listed(folder) -> list[dict]:
    """The posts to skim of a report, in the order review goes through them (after the findings)."""
    return [e for g in findings(folder)["to_skim"]["accounts"] for e in g["entries"]]


def test_review_is_resumable_and_all_revisits(report, monkeypatch):
    n = len(findings(report)["findings"]) + len(listed(report))
    assert review(report, input="k" + "s" + "q", monkeypatch=monkeypatch).exit_code == 0
    res = review(report, input="q", monkeypatch=monkeypatch)
    assert f"{n - 1} to go through (1 already decided" in res.output
    second = findings(report)["findings"][1]
    assert "--- 1 of" in res.output and second["rule"] in res.output  # starts where it stopped
    res = review(report, "--all", input="q", monkeypatch=monkeypatch)
    assert f"{n} to go through." in res.output and "Your earlier decision on " in res.output


def test_review_without_a_terminal_reads_lines(report, monkeypatch):
    res = review(report, input="dismiss\nfine\nhuh\nx\n", terminal=False, monkeypatch=monkeypatch)
    assert res.exit_code == 0, res.output
    assert "Press k (keep), d (dismiss), x (done), s (skip) or q (quit)." in res.output
    # the input ends: that is a quit, and both answers are saved
    assert [d.decision for d in load_decisions(report / "decisions.toml").values()] == ["dismiss", "done"]


def test_unknown_keys_and_hand_edits_are_kept(report, monkeypatch):
    path = report / "decisions.toml"
    path.write_text('# my notes\n[[decision]]\nkey = "twitter:999:NZ-GONE"\ndecision = "done"\n'
                    'date = "2026-01-02"\nnote = "deleted it in January"\n', encoding="utf-8")
    assert review(report, input="k" + "q", monkeypatch=monkeypatch).exit_code == 0
    saved = load_decisions(path)
    assert list(saved)[0] == "twitter:999:NZ-GONE"  # the post is gone: its decision stays
    assert saved["twitter:999:NZ-GONE"].extra == {"note": "deleted it in January"}
    assert str(saved["twitter:999:NZ-GONE"].date) == "2026-01-02" and len(saved) == 2
    assert findings(report)["findings"][0]["key"] in saved


def test_decisions_file_can_live_elsewhere(tmp_path, monkeypatch):
    out, file = tmp_path / "r", tmp_path / "keep" / "mine.toml"
    assert audit(TWITTER, "--out", out, "-q").exit_code == 0
    first = findings(out)["findings"][0]
    assert review(out, "--decisions", file, input="d\n" + "q", monkeypatch=monkeypatch).exit_code == 0
    assert file.exists() and not (out / "decisions.toml").exists()
    assert audit(TWITTER, "--out", out, "-q").exit_code == 0
    assert first["key"] in [f["key"] for f in findings(out)["findings"]]  # not found there: not applied
    assert audit(TWITTER, "--out", out, "-q", "--decisions", file).exit_code == 0
    assert first["key"] not in [f["key"] for f in findings(out)["findings"]]
    assert findings(out)["hidden"] == {**findings(out)["hidden"], "file": "mine.toml", "total": 1}
    res = CliRunner().invoke(cli, ["audit", str(TWITTER), "--out", str(out), "--decisions", str(tmp_path / "typo.toml")])
    assert res.exit_code == 2 and "typo.toml does not exist" in res.stderr


BAD = [
    ('[[decision]]\nkey = "a:1:R"\ndecision = "dismiss\n', 3, "not valid TOML"),
    ('[[decision]]\nkey = "a:1:R"\ndecision = "dismis"\n', 1, "must be one of 'keep', 'dismiss', 'done'"),
    ('# hi\n\n[[decision]]\nkey = "a:1:R"\ndecision = "keep"\n\n[[decision]]\ndecision = "keep"\n', 7, "has no key"),
    ('[[decision]]\nkey = "a:1:R"\ndecision = "keep"\n[[decision]]\nkey = "a:1:R"\ndecision = "done"\n', 4,
     "already decided on line 1"),
    ('[[decision]]\nkey = "a:1:R"\ndecision = "keep"\ndate = "last week"\n', 1, "is not a date"),
    ('[[decision]]\nkey = "a:1:R"\ndecision = "keep"\nreason = 3\n', 1, "must be text"),
    ('decision = "keep"\n', 0, "must be [[decision]] tables"),
]


@pytest.mark.parametrize("text, line, why", BAD)
def test_malformed_decisions_file_stops_with_one_line_and_is_untouched(tmp_path, monkeypatch, text, line, why):
    out = tmp_path / "r"
    out.mkdir()
    (out / "report.html").write_text("the earlier report")
    (out / "findings.json").write_text(json.dumps({"schema_version": "1.2", "findings": []}))
    path = out / "decisions.toml"
    path.write_text(text, encoding="utf-8")
    before, report_before = tree_hash(path), tree_hash(out / "report.html")
    res = CliRunner().invoke(cli, ["audit", str(TWITTER), "--out", str(out), "-q"])
    assert res.exit_code == 2
    lines = res.stderr.strip().splitlines()
    assert len(lines) == 1 and str(path) in lines[0] and why in lines[0] and "Traceback" not in res.output
    if line:
        assert f"line {line}:" in lines[0]
    res = review(out, input="k", monkeypatch=monkeypatch)
    assert res.exit_code == 2 and why in res.stderr
    assert tree_hash(path) == before and tree_hash(out / "report.html") == report_before
    assert sorted(p.name for p in out.iterdir()) == ["decisions.toml", "findings.json", "report.html"]


def test_round_trip_keeps_every_field_and_odd_text(tmp_path):
    import datetime as dt

    odd = 'quote " backslash \\ newline\n tab\t del \x7f Māori 🌊'
    ds = {"a:1:R": Decision("a:1:R", "dismiss", odd, dt.date(2026, 1, 2), odd, {"n": 3, "ok": True}),
          "b:account:x:bio:R": Decision("b:account:x:bio:R", "keep")}
    path = tmp_path / "d.toml"
    path.write_text(dumps(ds), encoding="utf-8")
    assert load_decisions(path) == {**ds, "a:1:R": Decision("a:1:R", "dismiss", odd.strip(), dt.date(2026, 1, 2),
                                                          odd, {"n": 3, "ok": True})}
    assert load_decisions(tmp_path / "missing.toml") == {}
    with pytest.raises(DecisionsError, match="is a folder"):
        load_decisions(tmp_path)


def test_keys_are_stable_unique_and_in_the_schema(sample, tmp_path):
    data = findings(sample)
    keys = [f["key"] for f in data["findings"]]
    assert len(set(keys)) == len(keys) == data["summary"]["findings"]
    assert all(k.split(":", 1)[0] == f["platform"] and k.endswith(":" + f["rule"])
               for k, f in zip(keys, data["findings"], strict=True))
    tweet = next(f for f in data["findings"] if f["platform"] == "twitter" and f["subject"] == "post"
                 and f["post_id"].isdigit())
    assert tweet["key"] == f"twitter:{tweet['post_id']}:{tweet['rule']}"
    links = [f["key"] for f in data["findings"] if f["rule"] == "NZ-LINK-PROFILE"]
    assert "twitter:account:mereana_c:links:https://t.co/mRk2LqZ9xa:NZ-LINK-PROFILE" in links, links
    # LinkedIn's link to the website is not one: the website is in the audit, and its own
    # linkage finding says how to cut that link (found reading the example reports)
    assert not any(k.startswith("linkedin:") for k in links)
    assert data["hidden"] is None and data["progress"] is None  # no decisions file, no earlier audit
    res = CliRunner().invoke(cli, ["audit", *map(str, ALL), "--out", str(tmp_path / "again"), "-q"])
    assert res.exit_code == 0 and [f["key"] for f in findings(tmp_path / "again")["findings"]] == keys
    schema = json.loads(SCHEMA_PATH.read_text())
    assert "key" in schema["properties"]["findings"]["items"]["properties"]
    assert schema["properties"]["hidden"] and schema["properties"]["progress"]


def test_review_needs_a_report(tmp_path):
    res = CliRunner().invoke(cli, ["review", str(tmp_path)])
    assert res.exit_code == 2 and "findings.json does not exist" in res.stderr
    (tmp_path / "findings.json").write_text("{not json")
    res = CliRunner().invoke(cli, ["review", str(tmp_path)])
    assert res.exit_code == 2 and "cannot be read as a report" in res.stderr


def test_review_goes_through_the_posts_to_skim_and_a_dismissed_one_is_no_longer_listed(report, monkeypatch):
    before = findings(report)
    skim = listed(report)
    assert skim
    n = len(before["findings"])
    # keep every finding, then: the first post to skim is not political, the second is
    res = review(report, input="k" * n + "d" + "\n" + "k" + "q", monkeypatch=monkeypatch)
    assert res.exit_code == 0, res.output
    assert f"and {len(skim)} posts to skim in" in res.output and "Now the posts to skim" in res.output
    assert "TO SKIM" in res.output and f"{skim[0]['score']:.2f}" in res.output
    assert ("It names your employer or role" in res.output) == any(e.get("names_employer") for e in skim[:2])
    saved = load_decisions(report / "decisions.toml")
    assert saved[skim[0]["key"]].decision == "dismiss" and saved[skim[1]["key"]].decision == "keep"
    assert saved[skim[0]["key"]].what.startswith(skim[0]["account_label"] if "account_label" in skim[0] else "")

    res = audit(*ALL, "--out", report)
    assert res.exit_code == 0, res.output
    after = findings(report)
    keys = [e["key"] for e in listed(report)]
    assert skim[0]["key"] not in keys and skim[1]["key"] in keys
    assert after["to_skim"]["hidden"] == 1 and after["to_skim"]["posts"] == before["to_skim"]["posts"] - 1
    # a dismissed post to skim is not a hidden finding, nor an unmatched decision
    assert after["hidden"]["total"] == 0 and after["hidden"]["not_in_this_audit"] == 0
    assert "1 post you marked as fine in your decisions file is no longer listed" in (report / "report.md").read_text()
    jsonschema.Draft202012Validator(json.loads(SCHEMA_PATH.read_text())).validate(after)
