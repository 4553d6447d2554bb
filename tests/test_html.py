"""The HTML report and actions.csv: the worklist, escaping, self-containment, and a real browser."""

import base64
import csv
import hashlib
import io
import json
import os
import re
import shutil

import pytest
from browser import Browser, chromium
from bs4 import BeautifulSoup
from conftest import LINKEDIN, ROOT

from auditor.report import SCRIPT_PATH
from auditor.report.actions import cell

PAYLOAD_TEXT = ("<script>document.title='PWNED'</script> <img src=x onerror=\"document.body.setAttribute('data-pwned','1')\">"
                " Vote them out! Shame on Luxon. #nzpol")
SECTIONS = ["summary", "todo", "worklist", "skim", "accounts", "charts", "fine", "unchecked"]
SAMPLE = ROOT / "reports/all-accounts"


def hostile_export(tmp_path):
    d = tmp_path / "export"
    d.mkdir()
    shutil.copy(LINKEDIN / "Positions.csv", d)
    (d / "Profile.csv").write_text(
        "First Name,Last Name,Maiden Name,Address,Birth Date,Headline,Summary,Industry,Zip Code,Geo Location,Twitter Handles,Websites,Instant Messengers\n"
        '"<b onmouseover=alert(1)>Eve","</title><script>document.title=\'PWNED\'</script>",,,,Policy Advisor at Ministry for the Environment,,,,,'
        '[x"><script>document.title=\'PWNED\'</script>],"[javascript:alert(1)]",\n')
    (d / "Shares.csv").write_text(
        "Date,ShareLink,ShareCommentary,SharedUrl,MediaUrl,Visibility\n"
        f'2024-01-01 00:00:00,javascript:document.title=1,"{PAYLOAD_TEXT.replace(chr(34), chr(34) * 2)}",,,PUBLIC\n'
        '2024-02-01 00:00:00,,"=HYPERLINK(""https://evil.example"") Vote National out, shame on Luxon #nzpol",,,PUBLIC\n')
    return d


@pytest.fixture(scope="module")
def hostile_report(tmp_path_factory):
    from click.testing import CliRunner

    from auditor.cli import cli

    tmp = tmp_path_factory.mktemp("h")
    d = hostile_export(tmp)
    r = CliRunner().invoke(cli, ["audit", str(d), "--out", str(tmp / "out"), "-q", "--yes"])
    assert r.exit_code == 0, r.output
    return tmp / "out"


def test_all_four_outputs_by_default(all_report):
    tmp_path = all_report
    assert sorted(p.name for p in tmp_path.iterdir()) == ["actions.csv", "findings.json", "report.html", "report.md"]
    assert all(oct(os.stat(p).st_mode)[-3:] == "600" for p in tmp_path.iterdir())
    assert not any(str(ROOT) in p.read_text() for p in tmp_path.iterdir())  # names only, never full paths
    soup = BeautifulSoup((tmp_path / "report.html").read_text(), "html.parser")
    assert [s["id"] for s in soup.find_all("section")] == SECTIONS
    assert len(soup.select("#charts svg")) == 2
    findings = json.loads((tmp_path / "findings.json").read_text())["findings"]
    rows = soup.select("#worklist ol.rows > li")
    assert sorted(li["id"] for li in rows) == sorted(f["id"] for f in findings)  # every finding, once
    csv_rows = list(csv.DictReader(io.StringIO((tmp_path / "actions.csv").read_text())))
    assert len(csv_rows) == len(findings)
    assert {r["action"] for r in csv_rows} <= {"delete", "edit", "hide", "move", "unlink", "moderate", "review"}
    # the CSV follows the worklist: same rows, same order, same steps
    assert [r["id"] for r in csv_rows] == [li["id"] for li in rows]
    steps = {li["id"]: li.find_parent("article")["id"] for li in rows}
    assert all(steps[r["id"]] == f"step-{r['step']}" for r in csv_rows) and csv_rows[0]["done"] == ""
    titles = {a["id"]: re.sub(r"^\d+\. ", "", a.h3.get_text()) for a in soup.select("article.step")}
    assert all(titles[f"step-{r['step']}"] == r["task"] for r in csv_rows)


def _sample():
    html = (SAMPLE / "report.html").read_text()
    return html, BeautifulSoup(html, "html.parser"), json.loads((SAMPLE / "findings.json").read_text())


def test_the_sample_report_averages_at_most_1_kb_per_finding():
    # issue 13: 629 KB for 204 findings before the worklist (about 3 KB each)
    html, _, data = _sample()
    assert len(data["findings"]) > 100
    # each row counts: a finding in the worklist, or a post in the list to skim
    rows = len(data["findings"]) + sum(g["shown"] for g in data["to_skim"]["accounts"])
    assert len(html.encode()) / rows <= 1024


def test_the_report_opens_with_the_accounts_the_counts_and_the_top_actions():
    _, soup, data = _sample()
    summary, todo = soup.find_all("section")[:2]
    assert [s["id"] for s in (summary, todo)] == ["summary", "todo"]
    assert len(summary.select("table.accounts tbody tr")) == len(data["accounts"])
    counts = summary.select_one("p.counts").get_text()
    assert f"{data['summary']['findings']} findings" in counts and f"critical {data['summary']['by_severity']['critical']}" in counts
    top = todo.select("ol.top > li")
    assert 1 < len(top) <= 8
    assert top[0].a.get_text().startswith("Change the profiles and links of")  # profile and link changes first
    steps = soup.select("article.step")
    assert [li.a["href"] for li in top] == ["#" + a["id"] for a in steps[:len(top)]]
    # after the profile step, the post steps come most severe first
    worst = [max(int(li["data-s"]) for li in a.select("ol.rows > li")) for a in steps[1:]]
    assert worst == sorted(worst, reverse=True) and worst[0] == 4


def test_each_rule_explains_itself_once_per_group():
    _, soup, data = _sample()
    by_id = {f["id"]: f for f in data["findings"]}
    repeated = 0
    for step in soup.select("article.step"):
        for rule in step.select("div.rule"):
            text = rule.get_text()
            rows = [by_id[li["id"]] for li in rule.select("ol.rows > li")]
            for f in rows:
                # the rule's why and what to do are given once for its group, whatever the number of rows
                for key in ("why", "recommendation"):
                    general = re.sub(r"this (post|comment|reply|repost|reaction|article)", "this item", f[key])
                    assert max(text.count(f[key]), text.count(general)) == 1
            repeated += len(rows) - 1
        guidance = [p.get_text() for p in step.select("p.guide")]
        assert 1 <= len(guidance) <= len(step.select("div.rule"))
        assert len(set(guidance)) == len(guidance)  # each piece of guidance once per step
    assert repeated > 100  # most rows share their rule's text with others
    assert soup.get_text().count("Keep your work role and your personal media clearly separate") <= len(data["accounts"])


def test_each_finding_is_one_compact_row():
    _, soup, data = _sample()
    by_id = {f["id"]: f for f in data["findings"]}
    li = soup.find("li", id="F001")
    f = by_id["F001"]
    assert li.time.get_text() == f["created_at"][:10] and li.a["href"] == f["url"]
    assert li.b.get_text() == "Delete" and li["data-s"] == "4" and li["data-k"] == "political"
    # every piece of evidence is highlighted, and nothing else: the marks are the spans, merged
    marks = [m.get_text() for m in li.find_all("mark")]
    assert marks and all(m in f["excerpt"] for m in marks)
    for sp in f["spans"]:
        assert any(sp["text"] in m for m in marks), sp
    assert sum(map(len, marks)) <= sum(len(sp["text"]) for sp in f["spans"]) + 2 * len(marks)
    threshold = re.search(r"threshold of (0\.\d+)", f["explanation"]).group(1)
    assert li.small.get_text().startswith(f"political (partisan), model {f['score']:.2f} \u2265 {threshold}: ")
    assert "David Seymour" in li.small.get_text()
    assert f["why"] not in li.get_text() and f["citation"]["url"] not in str(li)


def test_without_javascript_the_worklist_is_a_plain_list():
    _, soup, data = _sample()
    bar = soup.find(id="filters")
    assert bar.has_attr("hidden")  # the filters appear only when the script runs
    assert not soup.select("[hidden]:not(#filters)")
    for label in bar.find_all("label"):  # every control has a label
        assert label.find(["select", "input"])


def test_the_only_script_is_allowed_by_its_hash(hostile_report):
    html = (hostile_report / "report.html").read_text()
    soup = BeautifulSoup(html, "html.parser")
    (script,) = soup.find_all("script")
    assert script.string == SCRIPT_PATH.read_text()
    digest = base64.b64encode(hashlib.sha256(script.string.encode()).digest()).decode()
    csp = soup.find("meta", attrs={"http-equiv": "Content-Security-Policy"})["content"]
    assert f"script-src 'sha256-{digest}'" in csp and "unsafe-inline'; img" in csp  # styles only
    assert "unsafe-eval" not in csp and "frame-ancestors" not in csp  # ignored in <meta>, and logged as an error


def test_templates_leave_a_place_for_progress_and_hidden_findings(tmp_path, monkeypatch):
    import auditor.report.render as report

    tpl = tmp_path / "templates"
    shutil.copytree(report.TEMPLATES, tpl)
    (tpl / "_progress.html").write_text('<section id="progress">PROGRESS</section>\n')
    (tpl / "_hidden.html").write_text('<p id="hidden-findings">HIDDEN</p>\n')
    monkeypatch.setattr(report, "TEMPLATES", tpl)
    html = "".join(report.render_html(json.loads((SAMPLE / "findings.json").read_text())))
    soup = BeautifulSoup(html, "html.parser")
    assert [s["id"] for s in soup.find_all("section")][:3] == ["summary", "progress", "todo"]
    assert soup.find(id="hidden-findings").find_parent("section")["id"] == "worklist"
    assert not soup.select("#worklist article.step")[-1].find(id="hidden-findings")


def test_html_is_self_contained_with_a_strict_csp(hostile_report):
    html = (hostile_report / "report.html").read_text()
    soup = BeautifulSoup(html, "html.parser")
    csp = soup.find("meta", attrs={"http-equiv": "Content-Security-Policy"})["content"]
    assert "default-src 'none'" in csp and re.search(r"script-src 'sha256-[A-Za-z0-9+/=]+';", csp)
    assert len(soup.find_all("script")) == 1 and not soup.find_all("link", rel="stylesheet")
    assert not soup.find_all(["iframe", "object", "embed", "img", "base", "form"])
    assert not soup.find("script").get("src")
    for tag in soup.find_all(True):
        for attr, value in tag.attrs.items():
            assert not attr.startswith("on"), (tag.name, attr)
            if attr in ("src", "href", "xlink:href"):
                assert value.startswith(("#", "https://")) or tag.name == "a" and value.startswith("http"), value


def test_every_piece_of_user_text_is_escaped(hostile_report):
    html = (hostile_report / "report.html").read_text()
    assert html.count("<script>") == 1 and html.index("<script>") > html.index("</footer>")  # ours only
    assert "onerror=" not in html.replace("onerror=&#34;", "")
    assert "&lt;script&gt;document.title=&#39;PWNED&#39;&lt;/script&gt;" in html
    assert 'href="javascript' not in html
    soup = BeautifulSoup(html, "html.parser")
    marks = [m.get_text() for m in soup.find_all("mark")]
    assert "shame on Luxon #nzpol" in marks  # evidence only spaces apart is one highlight


@pytest.mark.parametrize("value,expected", [("=1+1", "'=1+1"), ("+SUM(A1)", "'+SUM(A1)"), ("-2", "'-2"),
                                            ("@cmd", "'@cmd"), ("plain", "plain"), ("", ""), (None, "")])
def test_csv_cells_cannot_become_formulas(value, expected):
    assert cell(value) == expected


def test_actions_csv_neutralises_formulas_from_the_export(hostile_report):
    rows = list(csv.DictReader(io.StringIO((hostile_report / "actions.csv").read_text())))
    assert any(r["excerpt"].startswith("'=HYPERLINK") for r in rows)
    assert not any(v.startswith(("=", "+", "@")) for r in rows for v in r.values())


BROWSER = pytest.mark.skipif(chromium() is None, reason="no Chromium on this machine: .ci/run installs Debian's "
                                                          "chromium package; install it to run the browser tests")


@pytest.fixture(scope="module")
def browser(tmp_path_factory):
    b = Browser(tmp_path_factory.mktemp("chromium") / "profile", width=1280, height=800)
    yield b
    b.close()


@BROWSER
def test_the_browser_checks_would_catch_a_blocked_script_and_a_request(browser, tmp_path):
    # the control: a page whose script the CSP blocks and which asks for an image from the network
    page = tmp_path / "bad.html"
    page.write_text("<!DOCTYPE html><meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; "
                    "script-src 'sha256-AAAA'\"><title>t</title><script>document.title='ran'</script>"
                    "<img src=\"http://example.com/x.png\" alt=\"\">")
    browser.load(page.as_uri())
    assert browser.evaluate("document.title") == "t"
    assert any("Content Security Policy" in p for p in browser.problems())
    assert "http://example.com/x.png" in browser.requests()


@BROWSER
def test_the_worklist_filters_work_in_a_real_browser_with_no_errors_and_no_requests(browser):
    _, soup, data = _sample()
    page = SAMPLE / "report.html"
    browser.load(page.as_uri())
    assert browser.requests() == [page.as_uri()]  # the page itself, nothing else
    assert browser.problems() == []  # no console error, no CSP violation, no exception
    total = len(data["findings"])
    js_visible = "document.querySelectorAll('#worklist ol.rows > li:not([hidden])').length"
    count = "document.getElementById('f-count').textContent"
    assert browser.evaluate("!document.getElementById('filters').hidden")  # the script ran
    assert browser.evaluate(js_visible) == total and browser.evaluate(count) == f"All {total} items shown"

    # the first screen (1280 x 800) shows the accounts, the counts and the top actions
    bottom = "(s => document.querySelector(s).getBoundingClientRect().bottom + window.scrollY)"
    for sel in ("table.accounts", "p.counts", "#todo ol.top"):
        assert browser.evaluate(f"{bottom}('{sel}')") <= 800, sel

    # "/" focuses the search box; typing filters the rows to those containing every word
    browser.key("/", "Slash", 191, "/")
    assert browser.evaluate("document.activeElement.id") == "f-search"
    browser.type("seymour")
    expected = [li["id"] for li in soup.select("#worklist ol.rows > li") if "seymour" in li.get_text().lower()]
    assert 0 < len(expected) < total
    assert browser.evaluate(js_visible) == len(expected)
    assert browser.evaluate(f"{count}") == f"{len(expected)} of {total} items shown"
    assert browser.evaluate("[...document.querySelectorAll('#worklist ol.rows > li:not([hidden])')].map(li => li.id)") == expected
    # a step with no matching row is hidden, with its rules
    assert browser.evaluate("[...document.querySelectorAll('article.step:not([hidden])')]"
                            ".every(a => a.querySelector('ol.rows > li:not([hidden])'))")
    browser.key("Escape", "Escape", 27)
    assert browser.evaluate(js_visible) == total

    # account, severity and kind together
    second = data["accounts"][1]
    browser.evaluate("(() => { for (const [id, v] of [['f-account', '2'], ['f-severity', '3'], ['f-kind', 'political']]) {"
                     " const el = document.getElementById(id); el.value = v; el.dispatchEvent(new Event('change')); } })()")
    expected = [f for f in data["findings"] if f["account"] == second["key"] and f["severity"] in ("critical", "high")
                and f["category"] == "political"]
    assert 0 < len(expected) < total
    assert browser.evaluate(js_visible) == len(expected)
    browser.evaluate("document.getElementById('f-reset').click()")
    assert browser.evaluate(js_visible) == total
    assert browser.problems() == [] and browser.requests() == [page.as_uri()]


@BROWSER
def test_hostile_report_renders_in_chromium_and_executes_nothing_of_the_export(browser, hostile_report):
    page = hostile_report / "report.html"
    browser.load(page.as_uri())
    assert browser.evaluate("document.title").startswith("Separation report")  # no script rewrote it
    assert browser.evaluate("document.body.getAttribute('data-pwned')") is None
    assert browser.problems() == [] and browser.requests() == [page.as_uri()]
    assert browser.evaluate("document.querySelectorAll('script').length") == 1
    text = browser.evaluate("document.body.innerText")
    assert "document.title='PWNED'" in text  # shown as text, not run
    shown = browser.evaluate("[...document.querySelectorAll('section')].map(s => s.id)")
    assert [x for x in shown if x != "skim"] == [x for x in SECTIONS if x != "skim"]  # a list only when there are posts to skim
    assert browser.evaluate("[...document.querySelectorAll('section')].every(s => s.innerText.trim())")
