"""auditor app: the audit as a local web page.

Request-level tests go through Starlette's TestClient (token, Host, Origin, CSRF, uploads, hostile
archives, decisions, the workshop summary); the end-to-end test runs the real command (uvicorn on a
free port) and drives it in headless Chromium as a person would.
"""

import json
import os
import re
import signal
import subprocess
import sys
import time
import zipfile
from pathlib import Path

import pytest
from browser import Browser, chromium
from conftest import LINKEDIN, ROOT, TWITTER_GRAILBIRD

pytestmark = pytest.mark.filterwarnings("ignore:Using `httpx` with `starlette.testclient`")

PORT = 48213
BASE = f"http://127.0.0.1:{PORT}"
BAD = ROOT / "tests/data/bad"


@pytest.fixture
def app(tmp_path):
    from auditor.app.server import AuditApp

    a = AuditApp(tmp_path / "report", PORT, temp_parent=tmp_path)
    yield a
    a.close()


def client(app, **kw):
    from starlette.testclient import TestClient

    return TestClient(app.asgi, base_url=BASE, follow_redirects=False, **kw)


@pytest.fixture
def browser_like(app):
    """A client that has opened the tokened address: it holds the cookies and the page's CSRF token."""
    c = client(app)
    r = c.get(f"/?token={app.token}")
    assert r.status_code == 303
    page = c.get("/")
    c.csrf = re.search(r'name="csrf-token" content="([^"]+)"', page.text).group(1)
    return c


def uploaded(app) -> list[Path]:
    return sorted(p for p in app.uploads.rglob("*"))


def zip_of(folder: Path, out: Path) -> Path:
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as zf:
        for f in sorted(folder.rglob("*")):
            if f.is_file():
                zf.write(f, f"{folder.name}/{f.relative_to(folder).as_posix()}")
    return out


# --- the token ------------------------------------------------------------------------------------

@pytest.mark.parametrize("method, path", [("GET", "/"), ("GET", "/api/status"), ("GET", "/report/report.html"),
                                          ("POST", "/audit"), ("POST", "/decide"), ("POST", "/upload")])
def test_without_the_token_everything_is_refused(app, method, path):
    r = client(app).request(method, path)
    assert r.status_code == 403
    assert r.text.startswith("Forbidden.") and app.token not in r.text


@pytest.mark.parametrize("how", ["query", "cookie", "header"])
def test_a_wrong_token_is_refused(app, how):
    wrong = app.token[:-1] + ("A" if app.token[-1] != "A" else "B")
    c = client(app)
    if how == "query":
        r = c.get(f"/?token={wrong}")
    elif how == "cookie":
        c.cookies.set(app.cookie, wrong)
        r = c.get("/")
    else:
        r = c.get("/", headers={"Authorization": f"token {wrong}"})
    assert r.status_code == 403
    assert client(app).get("/?token=").status_code == 403
    assert client(app).get("/?token=\u00e9\u00e9").status_code == 403  # not ASCII: refused, not a crash


def test_the_token_becomes_a_strict_httponly_cookie_and_leaves_the_address(app):
    c = client(app)
    r = c.get(f"/report/report.html?token={app.token}&x=1")
    assert r.status_code == 303 and r.headers["location"] == "/report/report.html?x=1"
    cookies = r.headers.get_list("set-cookie")
    token_cookie = next(h for h in cookies if h.startswith(app.cookie + "="))
    assert "HttpOnly" in token_cookie and "samesite=strict" in token_cookie.lower()
    assert any(h.startswith(app.csrf_cookie + "=") and "HttpOnly" in h for h in cookies)
    page = c.get("/")
    assert page.status_code == 200 and "Run the audit" in page.text
    csp = page.headers["content-security-policy"]
    assert "default-src 'none'" in csp and re.search(r"script-src 'sha256-[^']+';", csp)
    assert "unsafe-inline" not in csp and "frame-ancestors 'none'" in csp
    assert page.headers["x-frame-options"] == "DENY" and page.headers["cache-control"] == "no-store"
    # the API accepts the token as a header, for scripts
    assert client(app).get("/api/status", headers={"Authorization": f"token {app.token}"}).json()["state"] == "idle"


# --- Host, Origin, CSRF -----------------------------------------------------------------------------

@pytest.mark.parametrize("host", [f"evil.example:{PORT}", "evil.example", f"127.0.0.1:{PORT + 1}", "127.0.0.1",
                                  f"[::1]:{PORT}", f"0.0.0.0:{PORT}", f"localhost.evil.example:{PORT}"])
def test_a_foreign_host_is_refused_even_with_the_token(app, host):
    r = client(app).get(f"/?token={app.token}", headers={"Host": host})
    assert r.status_code == 403 and "set-cookie" not in r.headers


def test_localhost_by_name_is_allowed(app):
    r = client(app).get(f"/?token={app.token}", headers={"Host": f"localhost:{PORT}"})
    assert r.status_code == 303


@pytest.mark.parametrize("headers", [{"Origin": "http://evil.example"}, {"Origin": f"http://127.0.0.1:{PORT + 1}"},
                                     {"Origin": "null"}, {"Sec-Fetch-Site": "cross-site"},
                                     {"Sec-Fetch-Site": "same-site"}])
def test_a_cross_site_post_is_refused_even_with_cookie_and_csrf(app, browser_like, headers):
    report = app.out_dir
    r = browser_like.post("/audit", data={"csrf": browser_like.csrf, "consent": "yes", "policy": "nz"},
                          headers=headers)
    assert r.status_code == 403
    assert app.job.state == "idle" and not report.exists()


def test_a_same_origin_post_passes_the_origin_check(app, browser_like):
    r = browser_like.post("/audit", data={"csrf": browser_like.csrf, "consent": "yes", "policy": "nz"},
                          headers={"Origin": BASE, "Sec-Fetch-Site": "same-origin"})
    assert r.status_code == 400 and "choose your export files first" in r.text  # past every check


@pytest.mark.parametrize("csrf", [None, "", "forged"])
def test_a_post_without_the_csrf_token_is_refused(app, browser_like, csrf):
    data = {"consent": "yes", "policy": "nz"} | ({"csrf": csrf} if csrf is not None else {})
    for path in ("/audit", "/clear", "/decide", "/summary"):
        assert browser_like.post(path, data=data).status_code == 403
    files = {"files": ("Shares.csv", (LINKEDIN / "Shares.csv").read_bytes())}
    assert browser_like.post("/upload", data=data, files=files).status_code == 403
    assert uploaded(app) == []


def test_the_csrf_token_must_match_its_cookie(app, browser_like):
    # a token issued to another session (its cookie differs) does not pass: double submit
    other = client(app)
    other.get(f"/?token={app.token}")
    theirs = re.search(r'name="csrf-token" content="([^"]+)"', other.get("/").text).group(1)
    assert theirs != browser_like.csrf
    r = browser_like.post("/clear", data={"csrf": theirs})
    assert r.status_code == 403
    assert browser_like.post("/clear", data={"csrf": browser_like.csrf}).status_code == 303


def test_files_before_the_csrf_field_never_reach_the_disk(app, browser_like):
    boundary = "XyZ"
    body = (f"--{boundary}\r\nContent-Disposition: form-data; name=\"files\"; filename=\"Shares.csv\"\r\n\r\n"
            f"Date,ShareLink\r\n--{boundary}\r\nContent-Disposition: form-data; name=\"csrf\"\r\n\r\n"
            f"{browser_like.csrf}\r\n--{boundary}--\r\n")
    r = browser_like.post("/upload", content=body.encode(),
                          headers={"Content-Type": f"multipart/form-data; boundary={boundary}"})
    assert r.status_code == 403 and uploaded(app) == []


# --- uploads ------------------------------------------------------------------------------------------

def test_an_upload_is_streamed_into_the_private_folder_and_recognised(app, browser_like, tmp_path):
    z = zip_of(LINKEDIN, tmp_path / "linkedin.zip")
    r = browser_like.post("/upload", data={"csrf": browser_like.csrf},
                          files={"files": ("linkedin.zip", z.read_bytes(), "application/zip")},
                          headers={"Accept": "application/json"})
    assert r.status_code == 200 and r.json() == {"ok": True, "exports": ["linkedin.zip"]}
    assert oct(app.temp.stat().st_mode)[-3:] == "700" and oct(app.uploads.stat().st_mode)[-3:] == "700"
    (stored,) = uploaded(app)
    assert stored.read_bytes() == z.read_bytes() and oct(stored.stat().st_mode)[-3:] == "600"
    assert "LinkedIn data export" in browser_like.get("/").text
    assert browser_like.post("/clear", data={"csrf": browser_like.csrf}).status_code == 303
    assert uploaded(app) == [] and app.exports == {}


def test_the_page_names_each_export_as_people_know_it(app, browser_like):
    # an archive of 2012-2018 is an X/Twitter archive to the person, not "twitter-grailbird"
    names = sorted(p.relative_to(TWITTER_GRAILBIRD).as_posix() for p in TWITTER_GRAILBIRD.rglob("*") if p.is_file())
    files = [("files", (f"{TWITTER_GRAILBIRD.name}/{n}", (TWITTER_GRAILBIRD / n).read_bytes())) for n in names]
    r = browser_like.post("/upload", files=files,
                          headers={"X-CSRF-Token": browser_like.csrf, "Accept": "application/json"})
    assert r.status_code == 200, r.text
    assert app.exports[TWITTER_GRAILBIRD.name].platform == "twitter-grailbird"
    page = browser_like.get("/").text
    assert "X/Twitter archive from 2012-2018" in page and "twitter-grailbird" not in page


def test_a_picked_folder_is_rebuilt_from_its_relative_paths(app, browser_like):
    names = sorted(p.relative_to(LINKEDIN).as_posix() for p in LINKEDIN.rglob("*") if p.is_file())
    assert any("/" in n for n in names)  # sub-folders too
    files = [("files", (f"{LINKEDIN.name}/{n}", (LINKEDIN / n).read_bytes())) for n in names]
    r = browser_like.post("/upload", files=files,
                          headers={"X-CSRF-Token": browser_like.csrf, "Accept": "application/json"})
    assert r.status_code == 200, r.text
    folder = app.uploads / LINKEDIN.name
    assert sorted(p.relative_to(folder).as_posix() for p in folder.rglob("*") if p.is_file()) == names
    assert all((folder / n).read_bytes() == (LINKEDIN / n).read_bytes() for n in names)
    assert app.exports[LINKEDIN.name].platform == "linkedin"
    assert app.exports[LINKEDIN.name].label == "LinkedIn data export"


def multipart(csrf: str, *files: tuple[bytes, bytes]) -> tuple[bytes, dict[str, str]]:
    """A form upload whose file names go out byte for byte, as a browser may send them."""
    parts = [b'--B\r\nContent-Disposition: form-data; name="csrf"\r\n\r\n' + csrf.encode() + b"\r\n"]
    for name, data in files:
        parts.append(b'--B\r\nContent-Disposition: form-data; name="files"; filename="' + name + b'"\r\n\r\n'
                     + data + b"\r\n")
    return b"".join(parts) + b"--B--\r\n", {"Content-Type": "multipart/form-data; boundary=B",
                                             "Accept": "application/json"}


@pytest.mark.parametrize("name", [b"../evil.csv", b"a/../../evil.csv", b"..\\evil.csv", b"/etc/evil.csv",
                                  b"\\evil.csv", b"D:/evil.csv", b"C:evil.csv", b"a/C:/evil.csv", b"a/./b.csv",
                                  b"a//b.csv", b"a\x00b.csv", b"a/\x07.csv", b"a/\x1b[2J.csv"])
def test_unsafe_file_names_are_refused_and_nothing_is_kept(app, browser_like, tmp_path, name):
    body, headers = multipart(browser_like.csrf, (b"ok/Profile.csv", (LINKEDIN / "Profile.csv").read_bytes()),
                              (name, b"Date,ShareLink\n"))
    r = browser_like.post("/upload", content=body, headers=headers)
    assert r.status_code == 400 and "not a plain relative path" in r.json()["error"]
    assert uploaded(app) == []
    assert not (tmp_path / "evil.csv").exists() and not (app.temp / "evil.csv").exists()


def test_a_full_windows_path_is_cut_to_its_file_name(app, browser_like):
    # old browsers sent the whole path; the parser keeps only the name, which stays in the upload folder
    body, headers = multipart(browser_like.csrf, (b"C:\\Users\\me\\Shares.csv", (LINKEDIN / "Shares.csv").read_bytes()))
    r = browser_like.post("/upload", content=body, headers=headers)
    assert r.status_code == 200
    assert [p.relative_to(app.uploads).as_posix() for p in uploaded(app)] == ["files-1", "files-1/Shares.csv"]


def test_an_oversized_upload_is_refused_with_413_and_nothing_is_left(app, browser_like):
    app.max_upload_bytes = 50_000
    big = b"x" * 60_000
    # announced by Content-Length: refused before a byte is read
    r = browser_like.post("/upload", data={"csrf": browser_like.csrf}, files={"files": ("big.zip", big)},
                          headers={"Accept": "application/json"})
    assert r.status_code == 413
    assert "larger than 48.8 KB" in r.json()["error"] and "nothing from it was kept" in r.json()["error"]
    assert uploaded(app) == []

    # sent without a length (chunked): counted while streaming, and what was written is removed
    boundary = "b0undary"
    head = (f"--{boundary}\r\nContent-Disposition: form-data; name=\"csrf\"\r\n\r\n{browser_like.csrf}\r\n"
            f"--{boundary}\r\nContent-Disposition: form-data; name=\"files\"; filename=\"big/Shares.csv\"\r\n\r\n")

    def body():
        yield head.encode()
        for _ in range(10):
            yield b"y" * 10_000
        yield f"\r\n--{boundary}--\r\n".encode()

    r = browser_like.post("/upload", content=body(), headers={
        "Content-Type": f"multipart/form-data; boundary={boundary}", "Accept": "application/json"})
    assert r.status_code == 413 and "larger than" in r.json()["error"]
    assert uploaded(app) == []
    # the page says so too, without JavaScript
    r = browser_like.post("/upload", data={"csrf": browser_like.csrf}, files={"files": ("big.zip", big)})
    assert r.status_code == 413 and "larger than 48.8 KB" in r.text


ARCHIVES = {  # the command line's corpus of hostile archives: refused on upload with the CLI's own words
    "path-traversal.zip": "points outside the archive ('..')",
    "absolute-path.zip": "has an absolute path",
    "windows-drive-path.zip": "has an absolute path",
    "encrypted.zip": "is encrypted",
    "nested.zip": "only other ZIP archives",
    "truncated.zip": "not a readable ZIP file",
    "empty-archive.zip": "not an export this tool recognises",
}


@pytest.mark.parametrize("name", sorted(ARCHIVES))
def test_a_hostile_zip_is_refused_on_upload_with_the_command_lines_reason(app, browser_like, name):
    r = browser_like.post("/upload", data={"csrf": browser_like.csrf},
                          files={"files": (name, (BAD / name).read_bytes())}, headers={"Accept": "application/json"})
    assert r.status_code == 400
    error = r.json()["error"]
    assert ARCHIVES[name] in error and error.startswith(name) and "Nothing from this upload was kept" in error
    assert str(app.temp) not in error  # the private folder is never named
    assert uploaded(app) == [] and app.exports == {}


def wait_for_audit(app, timeout=60):
    deadline = time.monotonic() + timeout
    while app.job.state == "running":
        assert time.monotonic() < deadline, "the audit did not finish"
        time.sleep(0.05)
    return app.job


def test_a_zip_bomb_is_stopped_while_the_audit_reads_it_and_the_copy_is_deleted(app, browser_like):
    r = browser_like.post("/upload", data={"csrf": browser_like.csrf},
                          files={"files": ("zip-bomb.zip", (BAD / "zip-bomb.zip").read_bytes())})
    assert r.status_code == 303
    r = browser_like.post("/audit", data={"csrf": browser_like.csrf, "consent": "yes", "policy": "nz"})
    assert r.status_code == 303 and r.headers["location"] == "/#progress"
    job = wait_for_audit(app)
    assert job.state == "error" and "ZIP bomb" in job.error and str(app.temp) not in job.error
    assert uploaded(app) == [] and not (app.out_dir / "findings.json").exists()
    page = browser_like.get("/").text
    assert "The audit stopped:" in page and "ZIP bomb" in page


def test_the_audit_needs_consent_and_exports(app, browser_like, tmp_path):
    post = browser_like.post
    r = post("/audit", data={"csrf": browser_like.csrf, "consent": "yes", "policy": "nz"})
    assert r.status_code == 400 and "choose your export files first" in r.text
    post("/upload", data={"csrf": browser_like.csrf}, files={"files": ("li.zip", zip_of(LINKEDIN, tmp_path / "li.zip").read_bytes())})
    r = post("/audit", data={"csrf": browser_like.csrf, "policy": "nz"})
    assert r.status_code == 400 and "tick the box" in r.text
    r = post("/audit", data={"csrf": browser_like.csrf, "consent": "yes", "policy": "xx"})
    assert r.status_code == 400
    r = post("/audit", data={"csrf": browser_like.csrf, "consent": "yes", "policy": "nz", "role": "king"})
    assert r.status_code == 400 and "has no role &#39;king&#39;" in r.text
    assert app.job.state == "idle" and len(uploaded(app)) == 1  # nothing read, the upload kept


# --- decisions, the report, the summary ---------------------------------------------------------------

@pytest.fixture
def audited(app, run):
    """The app's report folder holding an audit of the LinkedIn sample, made by the command line."""
    assert run("audit", LINKEDIN, "--out", app.out_dir, "-q", "--yes").exit_code == 0
    return json.loads((app.out_dir / "findings.json").read_text())


def test_decisions_go_into_the_file_auditor_review_writes(app, browser_like, audited, run):
    from auditor.decisions import load_decisions

    first, second = audited["findings"][:2]
    r = browser_like.post("/decide", data={"csrf": browser_like.csrf, "key": first["key"], "decision": "dismiss",
                                           "reason": "quoting the minister"}, headers={"Accept": "application/json"})
    assert r.json() == {"ok": True, "key": first["key"], "decision": "dismiss"}
    r = browser_like.post("/decide", data={"csrf": browser_like.csrf, "key": second["key"], "decision": "done"})
    assert r.status_code == 303 and r.headers["location"] == f"/#{second['id']}"
    decisions = load_decisions(app.out_dir / "decisions.toml")
    assert decisions[first["key"]].decision == "dismiss" and decisions[first["key"]].reason == "quoting the minister"
    assert decisions[second["key"]].decision == "done" and decisions[second["key"]].what
    assert oct((app.out_dir / "decisions.toml").stat().st_mode)[-3:] == "600"
    page = browser_like.get("/").text
    assert 'data-decision="dismiss"' in page and "Dismiss: fine as it is" in page
    # auditor review sees them as decided
    r = run("review", app.out_dir)
    listed = [e for g in audited["to_skim"]["accounts"] for e in g["entries"]]
    assert f"{len(audited['findings']) + len(listed) - 2} to go through (2 already decided" in r.output
    # the next audit hides the dismissed one
    run("audit", LINKEDIN, "--out", app.out_dir, "-q", "--yes")
    again = json.loads((app.out_dir / "findings.json").read_text())
    assert again["hidden"]["keys"] == [first["key"]]
    # a finding that is not in the report, or a choice that is not one
    bad = browser_like.post("/decide", data={"csrf": browser_like.csrf, "key": "nope", "decision": "dismiss"})
    assert bad.status_code == 400
    bad = browser_like.post("/decide", data={"csrf": browser_like.csrf, "key": first["key"], "decision": "delete"})
    assert bad.status_code == 400


def test_a_post_to_skim_is_decided_about_in_the_app_too(app, browser_like, audited, run):
    from auditor.decisions import load_decisions

    listed = [e for g in audited["to_skim"]["accounts"] for e in g["entries"]]
    assert listed
    page = browser_like.get("/").text
    assert 'id="skim"' in page and f'data-key="{listed[0]["key"]}" data-skim="1"' in page
    r = browser_like.post("/decide", data={"csrf": browser_like.csrf, "key": listed[0]["key"], "decision": "dismiss"},
                          headers={"Accept": "application/json"})
    assert r.json() == {"ok": True, "key": listed[0]["key"], "decision": "dismiss"}
    assert load_decisions(app.out_dir / "decisions.toml")[listed[0]["key"]].decision == "dismiss"
    run("audit", LINKEDIN, "--out", app.out_dir, "-q", "--yes")
    again = json.loads((app.out_dir / "findings.json").read_text())
    assert again["to_skim"]["hidden"] == 1
    assert listed[0]["key"] not in [e["key"] for g in again["to_skim"]["accounts"] for e in g["entries"]]


def test_a_malformed_decisions_file_is_reported_and_never_overwritten(app, browser_like, audited):
    path = app.out_dir / "decisions.toml"
    path.write_text("[[decision]]\nkey = 'x'\ndecision = 'maybe'\n")
    page = browser_like.get("/").text
    assert "decision is &#39;maybe&#39;" in page and 'class="decide"' not in page
    r = browser_like.post("/decide", data={"csrf": browser_like.csrf, "key": audited["findings"][0]["key"],
                                           "decision": "dismiss"})
    assert r.status_code == 400 and path.read_text() == "[[decision]]\nkey = 'x'\ndecision = 'maybe'\n"


def test_the_report_is_served_under_its_own_policy(app, browser_like, audited):
    r = browser_like.get("/report/report.html")
    assert r.status_code == 200 and r.headers["content-type"].startswith("text/html")
    meta = re.search(r'http-equiv="Content-Security-Policy" content="([^"]+)"', r.text).group(1).replace("&#39;", "'")
    assert r.headers["content-security-policy"] == meta + "; frame-ancestors 'none'"
    assert "script-src 'sha256-" in meta
    csv = browser_like.get("/report/actions.csv")
    assert csv.status_code == 200 and csv.headers["content-disposition"] == 'attachment; filename="actions.csv"'
    for name in ("../findings.json", "secret.txt", "report.css"):
        assert browser_like.get(f"/report/{name}").status_code == 404
    assert client(app).get("/report/report.html").status_code == 403


def test_the_workshop_summary_holds_counts_only(app, browser_like, audited):
    r = browser_like.post("/summary", data={"csrf": browser_like.csrf}, headers={"Accept": "application/json"})
    summary = r.json()["summary"]
    assert summary["kind"] == "separation-auditor workshop summary"
    text = json.dumps(summary)
    for a in audited["accounts"]:
        assert a["display_name"] not in text
    for f in audited["findings"][:20]:
        assert f["excerpt"][:30] not in text
    assert json.loads((app.out_dir / "workshop-summary.json").read_text()) == summary
    page = browser_like.get("/").text
    assert "Download workshop-summary.json" in page
    d = browser_like.get("/report/workshop-summary.json")
    assert d.status_code == 200 and "attachment" in d.headers["content-disposition"]


def test_the_page_escapes_the_exports_text(app, browser_like, audited, tmp_path):
    from click.testing import CliRunner
    from test_html import hostile_export

    from auditor.cli import cli

    r = CliRunner().invoke(cli, ["audit", str(hostile_export(tmp_path)), "--out", str(app.out_dir), "-q", "--yes"])
    assert r.exit_code == 0
    page = browser_like.get("/").text
    assert page.count("<script>") == 1 and "&lt;script&gt;document.title=&#39;PWNED&#39;&lt;/script&gt;" in page


# --- the command -----------------------------------------------------------------------------------

def start(tmp_path, *args):
    """Run `auditor app` as a person would; returns the process and the address it printed first."""
    env = {**os.environ, "PYTHONPATH": str(ROOT), "XDG_DATA_HOME": str(tmp_path / "data"),
           "XDG_CONFIG_HOME": str(tmp_path / "config"), "TMPDIR": str(tmp_path / "tmp")}
    env.pop("AUDITOR_YES", None)
    (tmp_path / "tmp").mkdir()
    proc = subprocess.Popen([sys.executable, "-m", "auditor", "app", "--no-browser", *args], env=env,
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    first = proc.stdout.readline()
    m = re.fullmatch(r"Open (http://127\.0\.0\.1:(\d+)/\?token=[A-Za-z0-9_-]{43})\n", first)
    assert m, first + proc.stderr.read()
    return proc, m.group(1), int(m.group(2))


def test_the_app_stops_by_itself_when_unused_and_deletes_its_uploads(tmp_path):
    proc, url, port = start(tmp_path, "--idle-minutes", "0.02")
    out, err = proc.communicate(timeout=30)
    assert proc.returncode == 0, err
    assert "Stopped: no request for 0.02 minutes. The uploaded copies were deleted;" in out
    assert list((tmp_path / "tmp").iterdir()) == []
    assert err == ""  # no access log: the token never lands in a log


def test_the_audit_command_does_not_load_the_web_stack(tmp_path):
    code = ("import sys; from auditor.cli import cli; "
            f"cli(['audit', {str(LINKEDIN)!r}, '--out', {str(tmp_path / 'o')!r}, '-q', '--yes'], standalone_mode=False); "
            "print(sorted({m.split('.')[0] for m in sys.modules} & {'starlette', 'uvicorn', 'python_multipart'}))")
    r = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, env={**os.environ, "PYTHONPATH": str(ROOT)})
    assert r.stdout.strip() == "[]", r.stderr


BROWSER = pytest.mark.skipif(chromium() is None, reason="no Chromium on this machine: .ci/run installs Debian's "
                                                          "chromium package; install it to run the browser tests")


@BROWSER
def test_a_person_audits_dismisses_and_audits_again_in_a_real_browser(tmp_path):
    proc, url, port = start(tmp_path)
    base = f"http://127.0.0.1:{port}"
    report_dir = tmp_path / "data/separation-auditor/report"
    z = zip_of(LINKEDIN, tmp_path / f"{LINKEDIN.name}.zip")
    b = Browser(tmp_path / "chromium/profile", loopback=True)
    try:
        def until(expr, timeout=60):
            deadline = time.monotonic() + timeout
            while True:
                try:
                    if b.evaluate(expr):
                        return
                except RuntimeError:  # the page is being replaced
                    pass
                assert time.monotonic() < deadline, f"timed out waiting for {expr}"
                time.sleep(0.1)

        def choose_files(path):
            node = b.send("Runtime.evaluate", expression="document.getElementById('f-files')")["result"]
            b.send("DOM.setFileInputFiles", files=[str(path)], objectId=node["objectId"])
            until("document.getElementById('exports') !== null")  # sent on choosing; the page is drawn again

        def click(selector):
            b.evaluate(f"document.querySelector({json.dumps(selector)}).click()")

        # the browser is started with a private page that forwards it, so the token is not on a command line
        from auditor.app.launch import _opener

        opener = _opener(tmp_path, url)
        assert oct((tmp_path / "open.html").stat().st_mode)[-3:] == "600"
        b.send("Page.navigate", url=opener)  # not load(): the page moves on by itself at once
        until(f"location.href === {json.dumps(base + '/')}")  # the token has left the address bar
        until("document.readyState === 'complete'")
        b.events.clear()
        b.load(base + "/")
        assert b.evaluate("document.cookie") == ""  # HttpOnly: no script can read the token
        assert b.problems() == []  # the page's script runs under its CSP, no errors
        assert all(u.startswith(base) for u in b.requests())

        choose_files(z)
        assert f"{LINKEDIN.name}.zip" in b.evaluate("document.getElementById('exports').innerText")
        assert not b.evaluate("document.getElementById('f-consent').checked")
        click("#f-consent")
        click("#audit-button")
        until("document.querySelector('#decide li[data-key]') !== null")
        findings = json.loads((report_dir / "findings.json").read_text())["findings"]
        rows = b.evaluate("[...document.querySelectorAll('#decide li[data-key]:not([data-skim])')].map(li => li.dataset.key)")
        assert sorted(rows) == sorted(f["key"] for f in findings) and len(rows) > 5
        listed = b.evaluate("[...document.querySelectorAll('#decide li[data-skim]')].map(li => li.dataset.key)")
        assert listed and all(k.endswith(":to-skim") for k in listed)  # the posts to skim, after the findings
        assert "uploaded copies were deleted" in b.evaluate("document.getElementById('job').innerText")
        assert list((tmp_path / "tmp").glob("auditor-app-*/exports/*")) == []

        # the worklist report, as the app serves it: its own script runs, nothing else is loaded
        b.load(base + "/report/report.html")
        assert b.evaluate("document.querySelectorAll('#worklist ol.rows > li').length") == len(findings)
        assert b.evaluate("!document.getElementById('filters').hidden")
        assert b.problems() == [] and b.requests() == [base + "/report/report.html"]

        # dismiss the first finding, with a reason, without leaving the page
        b.load(base + "/")
        target = rows[0]
        sel = f"li[data-key={json.dumps(target)}]"
        b.evaluate(f"document.querySelector({json.dumps(sel + ' input[name=reason]')}).focus()")
        b.type("fine as it is")
        click(sel + " button[value=dismiss]")
        until(f"document.querySelector({json.dumps(sel)}).dataset.decision === 'dismiss'")
        assert b.evaluate(f"document.querySelector({json.dumps(sel + ' output')}).textContent").startswith("Dismiss:")
        from auditor.decisions import load_decisions

        d = load_decisions(report_dir / "decisions.toml")
        assert d[target].decision == "dismiss" and d[target].reason == "fine as it is"

        # audit again: consent is remembered, the dismissed finding is hidden and the page says so
        choose_files(z)
        assert b.evaluate("document.getElementById('f-consent').checked")
        click("#audit-button")
        until("document.getElementById('since') !== null")
        keys = b.evaluate("[...document.querySelectorAll('#decide li[data-key]:not([data-skim])')].map(li => li.dataset.key)")
        assert target not in keys and len(keys) == len(rows) - 1
        assert "1 finding is hidden" in b.evaluate("document.getElementById('hidden').innerText")
        assert "fine as it is" in b.evaluate("document.getElementById('hidden').innerText")
        b.load(base + "/report/report.html")
        assert b.evaluate("document.querySelectorAll('#worklist ol.rows > li').length") == len(findings) - 1
        assert "1 finding is hidden" in b.evaluate("document.getElementById('hidden').innerText")
        assert b.problems() == []
        assert json.loads((report_dir / "findings.json").read_text())["consent"]["how"] == "app"
    finally:
        b.close()
        proc.send_signal(signal.SIGTERM)
        out, err = proc.communicate(timeout=30)
    assert "Stopped. The uploaded copies were deleted;" in out, out + err
    assert list((tmp_path / "tmp").iterdir()) == []


def test_the_double_clickable_launcher_starts_the_app_in_the_browser(monkeypatch):
    import importlib
    import inspect
    import tomllib

    import auditor.app.launch as launch

    defaults = {k: p.default for k, p in inspect.signature(launch.serve).parameters.items()}
    assert defaults["open_browser"] is True and defaults["port"] == 0 and defaults["idle_minutes"] == 30
    target = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]["gui-scripts"]["auditor-app"]
    module, func = target.split(":")
    calls = []
    monkeypatch.setattr(launch, "serve", lambda **kw: calls.append(kw))
    getattr(importlib.import_module(module), func)()
    assert calls == [{}]  # with serve()'s defaults


def test_the_semantic_mode_is_offered_only_where_it_can_run(app, browser_like, monkeypatch, tmp_path):
    from auditor.detect import semantic as S
    from auditor.report.context import semantic_gain

    gain = semantic_gain()  # from the manifest: never written here
    assert gain and gain["semantic"] > gain["words"]
    said = f"{gain['semantic']} of {gain['positives']} instead of {gain['words']}"
    monkeypatch.setattr(S, "available", lambda: False)
    page = browser_like.get("/").text
    assert 'name="semantic"' not in page
    assert "Not installed here" in page and said in page and "separation-auditor[semantic]" in page
    browser_like.post("/upload", data={"csrf": browser_like.csrf},
                      files={"files": ("li.zip", zip_of(LINKEDIN, tmp_path / "li.zip").read_bytes())})
    r = browser_like.post("/audit", data={"csrf": browser_like.csrf, "consent": "yes", "policy": "nz",
                                          "semantic": "yes"})
    assert r.status_code == 400 and "semantic mode is not installed" in r.text
    assert app.job.state == "idle" and len(uploaded(app)) == 1  # nothing read, the upload kept

    # where it can run, the box is there and the audit reads with it
    from test_semantic import fake_model

    monkeypatch.setattr(S, "available", lambda: True)
    monkeypatch.setattr(S, "load_semantic", lambda: fake_model("the"))
    page = browser_like.get("/").text
    assert 'name="semantic" value="yes"' in page and said in page and "Not installed" not in page
    r = browser_like.post("/audit", data={"csrf": browser_like.csrf, "consent": "yes", "policy": "nz",
                                          "semantic": "yes"})
    assert r.status_code == 303
    assert wait_for_audit(app).state == "done"
    findings = json.loads((app.out_dir / "findings.json").read_text())["findings"]
    assert any("semantic mode" in f["explanation"] for f in findings)


def test_the_employer_can_be_named_on_the_page(app, browser_like, tmp_path):
    """The page's "Your employer" field is --employer: the Reddit export alone names no employer,
    and with one named its comment "As a policy advisor at MfE ..." ties the account."""
    from conftest import REDDIT

    page = browser_like.get("/").text
    assert 'name="employer"' in page
    browser_like.post("/upload", data={"csrf": browser_like.csrf},
                      files={"files": ("reddit.zip", zip_of(REDDIT, tmp_path / "reddit.zip").read_bytes())})
    r = browser_like.post("/audit", data={"csrf": browser_like.csrf, "consent": "yes", "policy": "nz",
                                          "employer": "x"})
    assert r.status_code == 400 and "2 to 120 characters" in r.text and app.job.state == "idle"
    r = browser_like.post("/audit", data={"csrf": browser_like.csrf, "consent": "yes", "policy": "nz",
                                          "employer": "<b>Ministry for the Environment</b>"})
    assert r.status_code == 303 and wait_for_audit(app).state == "done"
    assert "&lt;b&gt;Ministry for the Environment&lt;/b&gt;" in browser_like.get("/").text  # kept, escaped
    browser_like.post("/upload", data={"csrf": browser_like.csrf},
                      files={"files": ("reddit.zip", zip_of(REDDIT, tmp_path / "reddit2.zip").read_bytes())})
    r = browser_like.post("/audit", data={"csrf": browser_like.csrf, "consent": "yes", "policy": "nz",
                                          "employer": "Ministry for the Environment"})
    assert r.status_code == 303 and wait_for_audit(app).state == "done"
    data = json.loads((app.out_dir / "findings.json").read_text())
    assert data["accounts"][0]["tie"] == "linked" and any(f["rule"] == "NZ-CUT-SAYS" for f in data["findings"])
    # the app opened again on the same report folder fills the field in with it
    from auditor.app.server import AuditApp

    again = AuditApp(app.out_dir, PORT + 1, temp_parent=tmp_path)
    try:
        assert again.employer == "Ministry for the Environment"
    finally:
        again.close()
