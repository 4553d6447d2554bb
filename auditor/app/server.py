"""The app's web server: one page, a few form endpoints, and the report, for one person on one computer.

Security follows Jupyter's model (see :class:`Guard`): the server listens on 127.0.0.1 only; every
request must carry the random token (``?token=`` once, then an HttpOnly, SameSite=Strict cookie);
requests whose ``Host`` or ``Origin`` is not this loopback address are refused, so a web page
that rebinds its own name to 127.0.0.1 cannot reach it; every state-changing request carries a
per-session CSRF token that must match its cookie (double submit), and cross-site requests are
refused by ``Sec-Fetch-Site`` too. Refusals are a bare 403 that says nothing about which check
failed. Every page is sent under a strict Content-Security-Policy: the app page runs only its own
script, allowed by its hash, and loads nothing; the report keeps its own policy.
"""

from __future__ import annotations

import datetime as dt
import hmac
import html
import json
import os
import re
import secrets
import shutil
import tempfile
import threading
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import urlencode

from starlette.applications import Starlette
from starlette.datastructures import Headers
from starlette.requests import Request
from starlette.responses import (
    FileResponse,
    HTMLResponse,
    JSONResponse,
    PlainTextResponse,
    RedirectResponse,
    Response,
)
from starlette.routing import Route

from auditor._private import restrict_dir
from auditor.app.uploads import (
    MAX_UPLOAD_BYTES,
    Export,
    UploadParser,
    UploadRefused,
    check_export,
    remove,
    too_large,
    tree_size,
)
from auditor.errors import AuditorError

TEMPLATES = Path(__file__).parent / "templates"
SUMMARY_NAME = "workshop-summary.json"
#: the report files the app serves from the report folder (and how)
SERVED = {"report.html": "text/html; charset=utf-8", "report.md": "text/markdown; charset=utf-8",
          "findings.json": "application/json", "actions.csv": "text/csv; charset=utf-8",
          "decisions.toml": "text/plain; charset=utf-8", SUMMARY_NAME: "application/json"}
FORBIDDEN = "Forbidden. Open the address that auditor app printed when it started.\n"
SAFE_METHODS = ("GET", "HEAD")
SECURITY_HEADERS = [
    (b"x-content-type-options", b"nosniff"),
    # not no-referrer: under it a browser sends "Origin: null" with the page's own form posts, which
    # could then not be told from a sandboxed or foreign page's; other sites still get no referrer
    (b"referrer-policy", b"same-origin"),
    (b"cache-control", b"no-store"),
    (b"x-frame-options", b"DENY"),
    (b"cross-origin-opener-policy", b"same-origin"),
    (b"cross-origin-resource-policy", b"same-origin"),
]
DEFAULT_CSP = b"default-src 'none'; frame-ancestors 'none'; base-uri 'none'; form-action 'none'"


def _now() -> dt.datetime:
    from auditor.cli import _now as now

    return now()


def _same(a: str | None, b: str) -> bool:
    return bool(a) and hmac.compare_digest(a.encode("utf-8", "replace"), b.encode())


@dataclass
class Job:
    """The audit running in the background (one at a time), as the page polls it."""

    state: str = "idle"  # idle, running, done, error
    items: int = 0
    phase: str = ""
    error: str = ""
    started: float = 0.0
    finished: float = 0.0

    def as_dict(self) -> dict[str, Any]:
        """What ``/api/status`` answers."""
        end = self.finished or time.monotonic()
        return {"state": self.state, "items": self.items, "phase": self.phase, "error": self.error,
                "seconds": round(end - self.started, 1) if self.started else 0}


def _remembered_employer(out_dir: Path) -> str:
    """The employer named for the earlier audit in ``out_dir`` (its ``findings.json``), or ""."""
    from auditor.progress import load_previous
    from auditor.runner import remembered_employer

    return remembered_employer(load_previous(out_dir / "findings.json")[0])[0]


class AuditApp:
    """The state of one app session and the ASGI application serving it."""

    def __init__(self, out_dir: Path, port: int, *, token: str | None = None,
                 max_upload_bytes: int = MAX_UPLOAD_BYTES, temp_parent: Path | None = None):
        self.out_dir = out_dir
        self.port = port
        self.token = token or secrets.token_urlsafe(32)
        self.max_upload_bytes = max_upload_bytes
        self.cookie = f"auditor-token-{port}"
        self.csrf_cookie = f"auditor-csrf-{port}"
        self.hosts = {f"127.0.0.1:{port}", f"localhost:{port}"}
        self.origins = {f"http://{h}" for h in self.hosts}
        self._csrf: set[str] = set()
        # private to the user (0700; on Windows an owner-only access list that the uploads
        # inherit); uploads never go anywhere else
        self.temp = Path(tempfile.mkdtemp(prefix="auditor-app-", dir=temp_parent))
        restrict_dir(self.temp)
        self.uploads = self.temp / "exports"
        self.uploads.mkdir(mode=0o700)
        self.exports: dict[str, Export] = {}
        self.job = Job()
        self.policy = "nz"
        self.role = ""
        # the employer named for the earlier audit in the report folder, shown in the form again
        self.employer = _remembered_employer(out_dir)
        self.lock = threading.Lock()
        self.last_request = time.monotonic()
        self._batches = 0
        self._thread: threading.Thread | None = None
        self._page = _Page()
        routes = [
            Route("/", self.page, methods=["GET", "HEAD"]),
            Route("/upload", self.upload, methods=["POST"]),
            Route("/clear", self.clear, methods=["POST"]),
            Route("/audit", self.audit, methods=["POST"]),
            Route("/api/status", self.status, methods=["GET"]),
            Route("/decide", self.decide, methods=["POST"]),
            Route("/summary", self.summary, methods=["POST"]),
            Route("/report/{name}", self.report, methods=["GET", "HEAD"]),
            Route("/favicon.ico", lambda r: Response(status_code=204), methods=["GET"]),
        ]
        self.asgi = Guard(self, Starlette(routes=routes))

    # --- sessions and CSRF ------------------------------------------------------------------

    def new_csrf(self) -> str:
        """A fresh CSRF token for a session (kept until the server stops)."""
        value = secrets.token_urlsafe(32)
        with self.lock:
            if len(self._csrf) > 1000:  # a reloading page must not grow this without end
                self._csrf.clear()
            self._csrf.add(value)
        return value

    def csrf_valid(self, request: Request, value: str | None) -> bool:
        """Double submit: the token sent with the request equals its cookie and was issued here."""
        cookie = request.cookies.get(self.csrf_cookie)
        return bool(value) and _same(value, cookie or "") and value in self._csrf

    async def _form(self, request: Request) -> dict[str, str] | None:
        """The fields of a small urlencoded form, or None when its CSRF token is not valid."""
        if int(request.headers.get("content-length") or 0) > 64 * 1024:
            return None
        try:
            form = await request.form(max_files=0, max_fields=20)
        except Exception:  # not a form at all: refused like a form without its token
            return None
        fields = {k: v for k, v in form.items() if isinstance(v, str)}
        token = request.headers.get("x-csrf-token") or fields.get("csrf")
        return fields if self.csrf_valid(request, token) else None

    # --- the page ---------------------------------------------------------------------------

    async def page(self, request: Request) -> Response:
        """The one page: exports, consent, jurisdiction, progress, the worklist, the summary."""
        return self._render(request)

    def _render(self, request: Request, error: str = "", status: int = 200) -> Response:
        csrf = request.cookies.get(self.csrf_cookie)
        fresh = not (csrf and csrf in self._csrf)
        if fresh:
            csrf = self.new_csrf()
        html = self._page.render(self, csrf, error)
        resp = HTMLResponse(html, status_code=status, headers={"content-security-policy": self._page.csp})
        if fresh:
            self._set_csrf(resp, csrf)
        return resp

    def _set_csrf(self, resp: Response, value: str) -> None:
        resp.set_cookie(self.csrf_cookie, value, httponly=True, samesite="strict", path="/")

    @staticmethod
    def _wants_json(request: Request) -> bool:
        return "application/json" in request.headers.get("accept", "")

    def _answer(self, request: Request, error: str, status: int) -> Response:
        """An error as JSON for the page's script, or the page with the error for a plain form."""
        if self._wants_json(request):
            return JSONResponse({"ok": False, "error": error}, status_code=status)
        return self._render(request, error, status)

    def _done(self, request: Request, anchor: str, **data: Any) -> Response:
        if self._wants_json(request):
            return JSONResponse({"ok": True, **data})
        return RedirectResponse("/" + anchor, status_code=303)

    # --- uploads ----------------------------------------------------------------------------

    def shown(self, text: str) -> str:
        """A message with the private upload folder left out of every path."""
        return text.replace(str(self.uploads) + os.sep, "").replace(str(self.uploads), "")

    async def upload(self, request: Request) -> Response:
        """Stream the chosen export files into the private folder, then check each new export."""
        from python_multipart.multipart import parse_options_header

        ctype, params = parse_options_header(request.headers.get("content-type", ""))
        if ctype != b"multipart/form-data" or not params.get(b"boundary"):
            return self._answer(request, "send the files as a form upload (multipart/form-data).", 400)
        header_token = request.headers.get("x-csrf-token")
        if header_token is not None and not self.csrf_valid(request, header_token):
            return PlainTextResponse(FORBIDDEN, status_code=403)
        if self.job.state == "running":
            return self._answer(request, "an audit is running; add files when it has finished.", 409)
        used = sum(e.size for e in self.exports.values())
        limit = self.max_upload_bytes - used
        length = request.headers.get("content-length")
        if length and length.isdigit() and int(length) > limit:
            return self._answer(request, too_large(self.max_upload_bytes).message, 413)
        with self.lock:
            self._batches += 1
            loose = f"files-{self._batches}"
        parser = UploadParser(self.uploads, params[b"boundary"], loose, header_token is not None,
                              lambda v: self.csrf_valid(request, v), limit)
        try:
            await parser.feed(request.stream())
            added = self._accept(parser)
        except UploadRefused as e:
            parser.discard()
            if e.status == 403:
                return PlainTextResponse(FORBIDDEN, status_code=403)
            return self._answer(request, e.message, e.status)
        except AuditorError as e:
            parser.discard()
            return self._answer(request, f"{self.shown(str(e))} Nothing from this upload was kept.", 400)
        except Exception as e:  # a damaged body, a full disk: nothing half-kept
            parser.discard()
            return self._answer(request, f"the upload could not be stored ({type(e).__name__}); nothing from it "
                                         "was kept. Try again.", 400)
        if not added:
            return self._answer(request, "no file was chosen.", 400)
        return self._done(request, "#files", exports=[e.name for e in added])

    def _accept(self, parser: UploadParser) -> list[Export]:
        """Check every export the request brought, as the command line checks its input."""
        added = []
        for top in parser.batch.tops:
            path = self.uploads / top
            size, files = tree_size(path)
            shown_as = ", ".join(p.name for p in sorted(path.iterdir())[:3]) if top.startswith("files-") else top
            platform = check_export(path, shown_as)
            added.append(Export(shown_as if top.startswith("files-") else top, path, size, files, platform))
        with self.lock:
            for top, e in zip(parser.batch.tops, added):
                self.exports[top] = e
        return added

    async def clear(self, request: Request) -> Response:
        """Delete every uploaded export."""
        if await self._form(request) is None:
            return PlainTextResponse(FORBIDDEN, status_code=403)
        if self.job.state == "running":
            return self._answer(request, "an audit is running; wait for it to finish.", 409)
        self._drop_uploads()
        return self._done(request, "#files")

    def _drop_uploads(self) -> None:
        with self.lock:
            self.exports.clear()
            for child in list(self.uploads.iterdir()):
                remove(child)

    # --- the audit --------------------------------------------------------------------------

    async def audit(self, request: Request) -> Response:
        """Start the audit of the uploaded exports in the background."""
        from auditor.consent import confirm
        from auditor.policy import available_policies, load_policy
        from auditor.runner import employer_name, prepare

        fields = await self._form(request)
        if fields is None:
            return PlainTextResponse(FORBIDDEN, status_code=403)
        policy, role = fields.get("policy", "nz"), fields.get("role", "")
        if policy not in available_policies():
            return self._answer(request, "choose a jurisdiction from the list.", 400)
        self.policy, self.role, self.employer = policy, role, " ".join(fields.get("employer", "").split())
        try:
            employer = employer_name(self.employer)
        except AuditorError as e:
            return self._answer(request, str(e), 400)
        if fields.get("consent") != "yes":
            return self._answer(request, "tick the box to confirm that the exports are yours (or that you "
                                         "have permission); nothing was read.", 400)
        if not self.exports:
            return self._answer(request, "choose your export files first.", 400)
        from auditor.detect import semantic as semantic_mode

        semantic = fields.get("semantic") == "yes"
        if semantic and not semantic_mode.available():
            return self._answer(request, "the semantic mode is not installed here; install it with pip install "
                                         "'separation-auditor[semantic]', or audit without it.", 400)
        try:
            pack = load_policy(policy)
            if role and role not in pack.roles:
                return self._answer(request, f"the {pack.name} policy has no role {role!r}.", 400)
            prepared = prepare(self.out_dir)  # a malformed decisions file stops here, uploads kept
        except AuditorError as e:
            return self._answer(request, str(e), 400)
        with self.lock:
            if self.job.state == "running":
                return self._answer(request, "an audit is already running.", 409)
            self.job = Job("running", phase="Reading your exports", started=time.monotonic())
            exports = [str(e.path) for e in self.exports.values()]
        consent = confirm("app", _now())
        self._thread = threading.Thread(target=self._run,
                                        args=(prepared, exports, pack, role or None, consent, semantic, employer),
                                        name="auditor-app-audit", daemon=True)
        self._thread.start()
        return self._done(request, "#progress", state="running")

    def _count(self, n: int = 1) -> None:
        self.job.items += n

    def _run(self, prepared, exports: list[str], pack, role: str | None, consent: dict, semantic: bool = False,
             employer: str = "") -> None:
        from auditor.runner import audit_into

        state, error = "error", ""
        try:
            audit_into(prepared, exports, pack, consent, role=role, now=_now(), progress=self._count, semantic=semantic,
                       employer=employer)
            (self.out_dir / SUMMARY_NAME).unlink(missing_ok=True)  # it described the earlier audit
            state = "done"
        except AuditorError as e:
            error = self.shown(str(e))
        except MemoryError:
            error = "ran out of memory reading the input; is it really an export?"
        except Exception as e:  # a bug: one line, as on the command line
            error = (f"internal error ({type(e).__name__}: {self.shown(str(e))}); report it. Your exports "
                     "were not changed.")
        finally:
            try:
                self._drop_uploads()  # the audit has read them: the copies go, before the page is told
            except OSError as e:
                error = error or f"the uploaded copies could not all be deleted ({e.strerror}); they go when the app stops."
            job = self.job
            job.finished = time.monotonic()
            job.error, job.phase = error, ("Finished" if state == "done" else "Stopped")
            job.state = state

    async def status(self, request: Request) -> Response:
        """The running audit's progress, for the page to poll."""
        return JSONResponse(self.job.as_dict())

    def running(self) -> bool:
        """Whether an audit is under way (the server does not stop for idleness then)."""
        return self.job.state == "running"

    # --- decisions and the summary ------------------------------------------------------------

    def load_report(self) -> dict[str, Any] | None:
        """The report folder's ``findings.json``, or None (no audit yet, or unreadable)."""
        try:
            data = json.loads((self.out_dir / "findings.json").read_text(encoding="utf-8"))
        except (OSError, ValueError):
            return None
        if not isinstance(data, dict) or not isinstance(data.get("findings"), list):
            return None
        from auditor.progress import key_of

        for f in data["findings"]:
            f["key"] = key_of(f)
        return data

    async def decide(self, request: Request) -> Response:
        """Record keep, dismiss or done for one finding in the decisions file ``auditor review`` writes."""
        from auditor.decisions import CHOICES, FILE_NAME, decide, load_decisions, save_decisions

        fields = await self._form(request)
        if fields is None:
            return PlainTextResponse(FORBIDDEN, status_code=403)
        choice, key = fields.get("decision", ""), fields.get("key", "")
        if choice not in CHOICES:
            return self._answer(request, "choose keep, dismiss or done.", 400)
        report = self.load_report()
        finding = next((f for f in (report or {}).get("findings", []) if f["key"] == key), None)
        if finding is None:  # or a post to skim, decided about the same way
            finding = next(({**e, "account_label": g["label"], "id": "skim"}
                            for g in ((report or {}).get("to_skim") or {}).get("accounts", [])
                            for e in g.get("entries", []) if e.get("key") == key), None)
        if finding is None:
            return self._answer(request, "that finding is not in the current report; reload the page.", 400)
        path = self.out_dir / FILE_NAME
        try:
            with self.lock:
                decisions = decide(load_decisions(path), finding, choice, fields.get("reason", "")[:500],
                                   _now().date())
                save_decisions(path, decisions)
        except AuditorError as e:
            return self._answer(request, str(e), 400)
        return self._done(request, f"#{finding['id']}", key=key, decision=choice)

    async def summary(self, request: Request) -> Response:
        """Write the anonymous workshop summary of the current report (counts only)."""
        from auditor.output import write_files
        from auditor.workshop import make_summary

        if await self._form(request) is None:
            return PlainTextResponse(FORBIDDEN, status_code=403)
        report = self.load_report()
        if report is None:
            return self._answer(request, "run an audit first.", 400)
        try:
            text = json.dumps(make_summary(report, _now()), indent=2) + "\n"
            write_files(self.out_dir, {SUMMARY_NAME: text})
        except AuditorError as e:
            return self._answer(request, str(e), 400)
        return self._done(request, "#workshop", summary=json.loads(text))

    # --- the report ---------------------------------------------------------------------------

    async def report(self, request: Request) -> Response:
        """A file of the report folder; report.html under its own Content-Security-Policy."""
        name = request.path_params["name"]
        path = self.out_dir / name
        if name not in SERVED or not path.is_file():
            return PlainTextResponse("Not found.\n", status_code=404)
        headers = {}
        if name == "report.html":
            head = path.read_text(encoding="utf-8", errors="replace")[:4096]
            m = re.search(r'http-equiv="Content-Security-Policy" content="([^"]+)"', head)
            policy = html.unescape(m.group(1)) if m else "default-src 'none'"
            headers["content-security-policy"] = policy + "; frame-ancestors 'none'"
        else:
            headers["content-disposition"] = f'attachment; filename="{name}"'
        return FileResponse(path, media_type=SERVED[name], headers=headers)

    def close(self) -> None:
        """Delete the private upload folder and everything in it."""
        shutil.rmtree(self.temp, ignore_errors=True)


class Guard:
    """The checks every request passes before the app sees it (ASGI middleware).

    Host and Origin must name this loopback server; a state-changing request must not come from
    another site; the token must come as the cookie, ``?token=`` or ``Authorization: token``. A
    page visit with ``?token=`` is answered with the cookies and a redirect to the same address
    without the token, so it does not stay in the address bar or the history.
    """

    def __init__(self, app: AuditApp, inner):
        self.app = app
        self.inner = inner

    async def __call__(self, scope, receive, send) -> None:
        if scope["type"] == "lifespan":
            await self.inner(scope, receive, send)
            return
        if scope["type"] != "http":  # no websockets here
            return
        a = self.app
        headers = Headers(scope=scope)
        method = scope["method"]
        origin = headers.get("origin")
        fetch_site = headers.get("sec-fetch-site")
        request = Request(scope)
        query_token = request.query_params.get("token")
        auth = headers.get("authorization", "")
        offered = [request.cookies.get(a.cookie), query_token, auth[6:] if auth.lower().startswith("token ") else None]
        ok = (headers.get("host") in a.hosts
              and (origin is None or origin in a.origins)
              and (method in SAFE_METHODS or fetch_site in (None, "same-origin", "none"))
              and any(_same(t, a.token) for t in offered))
        if not ok:
            await _secured(PlainTextResponse(FORBIDDEN, status_code=403), scope, receive, send)
            return
        a.last_request = time.monotonic()
        if query_token is not None and method in SAFE_METHODS:
            rest = urlencode([(k, v) for k, v in request.query_params.multi_items() if k != "token"])
            path = scope["path"] if not scope["path"].startswith("//") else "/"
            resp = RedirectResponse(path + (f"?{rest}" if rest else ""), status_code=303)
            resp.set_cookie(a.cookie, a.token, httponly=True, samesite="strict", path="/")
            a._set_csrf(resp, a.new_csrf())
            await _secured(resp, scope, receive, send)
            return
        await _secured(self.inner, scope, receive, send)


async def _secured(asgi, scope, receive, send) -> None:
    """Run ``asgi`` with the security headers added to its response."""

    async def wrapped(message) -> None:
        if message["type"] == "http.response.start":
            headers = list(message.get("headers", []))
            present = {k.lower() for k, _ in headers}
            headers += [(k, v) for k, v in SECURITY_HEADERS if k not in present]
            if b"content-security-policy" not in present:
                headers.append((b"content-security-policy", DEFAULT_CSP))
            message = {**message, "headers": headers}
        await send(message)

    await asgi(scope, receive, wrapped)


class _Page:
    """The page template, its script and style, and the policy that allows exactly those."""

    def __init__(self):
        from markupsafe import Markup

        from auditor.report import page_environment, script_hash

        self.script = (TEMPLATES / "app.js").read_text(encoding="utf-8")
        self.style = ((Path(__file__).parent.parent / "report/templates/_report.css").read_text(encoding="utf-8")
                      + (TEMPLATES / "app.css").read_text(encoding="utf-8"))
        self.template = page_environment(TEMPLATES).get_template("app.html")
        self.markup = Markup
        self.csp = (f"default-src 'none'; script-src {script_hash(self.script)}; style-src {script_hash(self.style)}; "
                    "img-src data:; connect-src 'self'; form-action 'self'; base-uri 'none'; frame-ancestors 'none'")
        self._packs: list[dict[str, Any]] | None = None

    def packs(self) -> list[dict[str, Any]]:
        """The shipped jurisdictions and their roles, for the page's choices."""
        if self._packs is None:
            from auditor.policy import available_policies, load_policy

            out = []
            for name in available_policies():
                p = load_policy(name)
                out.append({"id": name, "name": p.name, "roles": [(r.name, r.description) for r in p.roles.values()]})
            self._packs = out
        return self._packs

    def render(self, app: AuditApp, csrf: str, error: str) -> str:
        from auditor.consent import EXPLANATION, STATEMENT, remembered
        from auditor.decisions import CHOICES, FILE_NAME, load_decisions
        from auditor.detect.semantic import available
        from auditor.report import DETAIL_LIMIT
        from auditor.report.context import semantic_gain
        from auditor.report.worklist import build_worklist

        report = app.load_report()
        decisions, decisions_error = {}, ""
        if report is not None:
            try:
                decisions = load_decisions(app.out_dir / FILE_NAME)
            except AuditorError as e:
                decisions_error = str(e)
        summary_path = app.out_dir / SUMMARY_NAME
        return self.template.render(
            csrf=csrf, error=error, job=app.job, exports=list(app.exports.values()),
            max_upload=app.max_upload_bytes, packs=self.packs(), policy=app.policy, role=app.role, employer=app.employer,
            semantic_available=available(), semantic_gain=semantic_gain(),
            explanation=EXPLANATION.replace("\n", " "), statement=STATEMENT, earlier=remembered(),
            report=report, worklist=build_worklist(report, DETAIL_LIMIT) if report else None,
            decisions=decisions, decisions_error=decisions_error, choices=CHOICES, out_dir=str(app.out_dir),
            summary=summary_path.read_text(encoding="utf-8") if summary_path.is_file() else None,
            script=self.markup(self.script), style=self.markup(self.style))


__all__ = ["AuditApp", "Guard", "Job"]
