import http.server
import json
import os
import socket
import stat
import threading

import pytest

from auditor.ingest import load_export

PAGES = {
    "/": '<html><head><title>Me</title></head><body><a href="/about/">About</a> <a href="/post-1/">Post</a>'
         ' <a href="/private/x/">Hidden</a> <a href="https://elsewhere.example/">Other site</a>'
         ' <a href="/photo.jpg">Photo</a></body></html>',
    "/about/": '<html><body><article><p>I work at the Ministry for the Environment.</p>'
               '<a href="https://www.linkedin.com/in/me">LinkedIn</a></article></body></html>',
    "/post-1/": '<html><head><link rel="canonical" href="/post-1/"></head><body><article><p>Rivers.</p></article>'
                '<ol><li class="comment" id="comment-2"><div class="comment-content"><p>Vote National, idiots</p>'
                '</div></li></ol><a href="/post-2/">next</a></body></html>',
    "/post-2/": "<html><body><p>Second post</p></body></html>",
    "/private/x/": "<html><body>secret</body></html>",
    "/robots.txt": "User-agent: *\nDisallow: /private/\n",
}


class Handler(http.server.BaseHTTPRequestHandler):
    hits: list[str] = []

    def do_GET(self):
        Handler.hits.append(self.path)
        body = PAGES.get(self.path)
        if body is None:
            self.send_response(404)
            self.end_headers()
            return
        self.send_response(200)
        self.send_header("Content-Type", "text/plain" if self.path.endswith(".txt") else "text/html; charset=utf-8")
        self.end_headers()
        self.wfile.write(body.encode())

    def log_message(self, *args):
        pass


@pytest.fixture
def server():
    Handler.hits = []
    httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    t = threading.Thread(target=httpd.serve_forever, daemon=True)
    t.start()
    yield f"http://127.0.0.1:{httpd.server_address[1]}/"
    httpd.shutdown()


def test_site_fetches_same_origin_honours_robots_and_audits(run, server, tmp_path):
    out = tmp_path / "site"
    r = run("site", server, "--out", out, "--delay", "0", "-q")
    assert r.exit_code == 0, r.output
    manifest = json.loads((out / "site.json").read_text())
    urls = [p["url"] for p in manifest["pages"]]
    assert len(urls) == 4 and not any("private" in u or "elsewhere" in u for u in urls)
    assert "/private/x/" not in Handler.hits and "/photo.jpg" not in Handler.hits
    assert any(s["reason"] == "disallowed by robots.txt" for s in manifest["skipped"])
    assert stat.S_IMODE(os.stat(out / "site.json").st_mode) == 0o600
    e = load_export(out)
    assert e.platform == "website" and any(lk.kind == "linkedin" for lk in e.account.links)
    posts = list(e.posts())
    assert any(p.kind == "visitor-comment" and "idiots" in p.text for p in posts)
    rep = run("audit", out, "--out", tmp_path / "rep", "-q", "--format", "json")
    data = json.loads((tmp_path / "rep/findings.json").read_text())
    assert rep.exit_code == 0 and any(f["rule"] == "NZ-MODERATE" for f in data["findings"])


def test_page_cap(run, server, tmp_path):
    r = run("site", server, "--out", tmp_path / "s", "--delay", "0", "--max-pages", "2", "-q")
    manifest = json.loads((tmp_path / "s/site.json").read_text())
    assert r.exit_code == 0 and len(manifest["pages"]) == 2
    assert any("page cap" in s["reason"] for s in manifest["skipped"])


def test_unreachable_site_is_one_clear_line(run, tmp_path):
    s = socket.socket()
    s.bind(("127.0.0.1", 0))
    port = s.getsockname()[1]
    s.close()
    r = run("site", f"http://127.0.0.1:{port}/", "--out", tmp_path / "s", "--timeout", "1", "--delay", "0")
    assert r.exit_code == 2 and "could not fetch any page" in r.stderr and "Traceback" not in r.output
    assert not (tmp_path / "s").exists()


@pytest.mark.parametrize("url", ["ftp://example.nz/", "example", "file:///etc/passwd"])
def test_bad_address(run, tmp_path, url):
    r = run("site", url, "--out", tmp_path / "s")
    assert r.exit_code == 2 and "not a web address" in r.stderr


def test_start_address_that_moves_is_followed_but_other_sites_are_not(run, server, tmp_path):
    """http://site redirecting to the same host on another scheme or port (here: another port)."""
    target = server

    class Redirect(http.server.BaseHTTPRequestHandler):
        def do_GET(self):  # noqa: N802
            self.send_response(301)
            self.send_header("Location", target.rstrip("/") + self.path)
            self.end_headers()

        def log_message(self, *args):
            pass

    httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Redirect)
    t = threading.Thread(target=httpd.serve_forever, daemon=True)
    t.start()
    try:
        r = run("site", f"http://127.0.0.1:{httpd.server_address[1]}/", "--out", tmp_path / "s", "--delay", "0", "-q")
    finally:
        httpd.shutdown()
    manifest = json.loads((tmp_path / "s/site.json").read_text())
    assert r.exit_code == 0 and len(manifest["pages"]) == 4
    assert all(p["url"].startswith(target) for p in manifest["pages"])
