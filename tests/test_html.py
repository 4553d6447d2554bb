"""The HTML report and actions.csv: structure, escaping, self-containment, and a real browser."""

import csv
import io
import json
import os
import shutil
import subprocess

import pytest
from bs4 import BeautifulSoup
from conftest import ALL, LINKEDIN

from auditor.report.actions import cell

PAYLOAD_TEXT = ("<script>document.title='PWNED'</script> <img src=x onerror=\"document.body.setAttribute('data-pwned','1')\">"
                " Vote them out! Shame on Luxon. #nzpol")
SECTIONS = ["summary", "ties", "profiles", "findings", "charts", "fine", "unchecked"]


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


def test_all_four_outputs_by_default(run, tmp_path):
    r = run("audit", *ALL, "--out", tmp_path, "-q")
    assert r.exit_code == 0
    assert sorted(p.name for p in tmp_path.iterdir()) == ["actions.csv", "findings.json", "report.html", "report.md"]
    assert all(oct(os.stat(p).st_mode)[-3:] == "600" for p in tmp_path.iterdir())
    from conftest import ROOT
    assert not any(str(ROOT) in p.read_text() for p in tmp_path.iterdir())  # names only, never full paths
    soup = BeautifulSoup((tmp_path / "report.html").read_text(), "html.parser")
    assert [s["id"] for s in soup.find_all("section")] == SECTIONS
    assert len(soup.select("#charts svg")) == 2
    n = len(json.loads((tmp_path / "findings.json").read_text())["findings"])
    assert len(soup.select("div.finding")) == n
    rows = list(csv.DictReader(io.StringIO((tmp_path / "actions.csv").read_text())))
    assert len(rows) == n and {r["action"] for r in rows} <= {"delete", "edit", "hide", "move", "unlink", "moderate", "review"}
    assert rows[0]["severity"] == "critical" and rows[0]["done"] == ""


def test_html_is_self_contained_with_a_strict_csp(hostile_report):
    html = (hostile_report / "report.html").read_text()
    soup = BeautifulSoup(html, "html.parser")
    csp = soup.find("meta", attrs={"http-equiv": "Content-Security-Policy"})["content"]
    assert "default-src 'none'" in csp and "script-src" not in csp
    assert not soup.find_all("script") and not soup.find_all("link", rel="stylesheet")
    assert not soup.find_all(["iframe", "object", "embed", "img", "base", "form"])
    for tag in soup.find_all(True):
        for attr, value in tag.attrs.items():
            assert not attr.startswith("on"), (tag.name, attr)
            if attr in ("src", "href", "xlink:href"):
                assert value.startswith(("#", "https://")) or tag.name == "a" and value.startswith("http"), value


def test_every_piece_of_user_text_is_escaped(hostile_report):
    html = (hostile_report / "report.html").read_text()
    assert "<script>" not in html and "onerror=" not in html.replace("onerror=&#34;", "")
    assert "&lt;script&gt;document.title=&#39;PWNED&#39;&lt;/script&gt;" in html
    assert 'href="javascript' not in html
    soup = BeautifulSoup(html, "html.parser")
    marks = [m.get_text() for m in soup.find_all("mark")]
    assert "Luxon" in marks and "#nzpol" in marks


@pytest.mark.parametrize("value,expected", [("=1+1", "'=1+1"), ("+SUM(A1)", "'+SUM(A1)"), ("-2", "'-2"),
                                            ("@cmd", "'@cmd"), ("plain", "plain"), ("", ""), (None, "")])
def test_csv_cells_cannot_become_formulas(value, expected):
    assert cell(value) == expected


def test_actions_csv_neutralises_formulas_from_the_export(hostile_report):
    rows = list(csv.DictReader(io.StringIO((hostile_report / "actions.csv").read_text())))
    assert any(r["excerpt"].startswith("'=HYPERLINK") for r in rows)
    assert not any(v.startswith(("=", "+", "@")) for r in rows for v in r.values())


def _browser():
    for name in ("chromium", "chromium-browser", "google-chrome"):
        path = shutil.which(name)
        if path:
            return path
    return None


@pytest.mark.skipif(_browser() is None, reason="no Chromium on this machine: .ci/run installs Debian's chromium "
                                               "package; install it to run the browser test")
def test_report_renders_in_headless_chromium_and_executes_nothing(hostile_report, tmp_path):
    page = hostile_report / "report.html"
    cmd = [_browser(), "--headless", "--no-sandbox", "--disable-gpu", "--no-first-run", "--disable-quic",
           "--disable-background-networking", "--disable-component-update", "--disable-sync",
           f"--user-data-dir={tmp_path / 'profile'}", "--virtual-time-budget=3000", "--dump-dom", page.as_uri()]
    out = subprocess.run(cmd, capture_output=True, text=True, timeout=120)
    assert out.returncode == 0, out.stderr[-2000:]
    dom = BeautifulSoup(out.stdout, "html.parser")
    assert dom.title.get_text().startswith("Separation report")  # no script rewrote it
    assert dom.body.get("data-pwned") is None
    assert [s["id"] for s in dom.find_all("section")] == SECTIONS
    for sid in SECTIONS:
        assert dom.find("section", id=sid).get_text(strip=True)
    assert not dom.find_all("script")
    assert "document.title='PWNED'" in dom.get_text()  # shown as text, not run
