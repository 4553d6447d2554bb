"""Command-line interface: ``auditor audit``, ``auditor review``, ``auditor app``, ``auditor inspect``, ``auditor rules``.

Exit codes: 0 success; 1 when ``--fail-on`` finds findings at or above the given severity;
2 bad usage or bad input (one line on stderr, never a traceback).
"""

from __future__ import annotations

import codecs
import datetime as dt
import functools
import os
import sys
import unicodedata
from collections import Counter
from pathlib import Path

import click

from auditor import __version__
from auditor.errors import AuditorError
from auditor.models import PLATFORM_NAMES, Severity, TieLevel
from auditor.textutil import plural

SEVERITIES = [s.value for s in Severity]


def policy_option(default: str | None = "nz", extra: str = ""):
    """The --policy option, the same in every command that takes one."""
    return click.option("--policy", default=default, show_default=default is not None,
                        help="Policy pack: a shipped jurisdiction (see `auditor rules list`) or the path of a "
                             f".toml pack{extra}.")


def out_option(help_text: str, dest: str = "out_dir", file: bool = False):
    """The output option, named --out in every command, with --output and -o as aliases."""
    return click.option("--out", "--output", "-o", dest, required=True, help=help_text,
                        type=click.Path(file_okay=file, dir_okay=not file, path_type=Path))


class UserError(click.ClickException):
    """A problem with the input or options: exit code 2, one line."""

    exit_code = 2


def friendly_errors(fn):
    """Turn the tool's own errors into one-line messages with exit code 2."""

    @functools.wraps(fn)
    def wrapper(*args, **kwargs):
        try:
            return fn(*args, **kwargs)
        except AuditorError as e:
            raise UserError(str(e)) from None
        except KeyboardInterrupt:
            click.echo("Interrupted; no report was written.", err=True)
            sys.exit(130)
        except BrokenPipeError:  # output piped into `head` and closed: nothing more to say
            os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
            sys.exit(0)
        except (click.ClickException, click.exceptions.Exit, SystemExit):
            raise
        except MemoryError:
            raise UserError("ran out of memory reading the input; is it really an export?") from None
        except Exception as e:  # a bug: say so in one line; AUDITOR_DEBUG=1 shows the traceback
            if os.environ.get("AUDITOR_DEBUG"):
                raise
            raise UserError(f"internal error ({type(e).__name__}: {e}); rerun with AUDITOR_DEBUG=1 "
                            "and report it. Your input was not changed.") from None

    return wrapper


class Progress:
    """A live count of items read, on stderr, only when stderr is a terminal (never in pipes,
    logs or CI) and not with --quiet. Redrawn at most ten times a second."""

    def __init__(self, enabled: bool = True, stream=None):
        self.stream = stream or sys.stderr
        self.enabled = enabled and self.stream.isatty()
        self.count = 0
        self._last = 0.0
        self._start = 0.0

    def __enter__(self) -> Progress:
        import time

        self._start = self._last = time.monotonic()
        return self

    def add(self, n: int = 1) -> None:
        """Count ``n`` more items."""
        self.count += n
        if not self.enabled or self.count % 256:
            return
        import time

        now = time.monotonic()
        if now - self._last >= 0.1:
            self._last = now
            rate = self.count / max(now - self._start, 1e-9)
            self.stream.write(f"\rAuditing: {self.count:,} items read ({rate:,.0f}/s)")
            self.stream.flush()

    def __exit__(self, *exc: object) -> None:
        if self.enabled and self.count >= 256:
            self.stream.write("\r\033[K")
            self.stream.flush()


def _now() -> dt.datetime:
    """The report time; SOURCE_DATE_EPOCH makes example reports reproducible."""
    epoch = os.environ.get("SOURCE_DATE_EPOCH")
    if epoch and epoch.isdigit():
        return dt.datetime.fromtimestamp(int(epoch), dt.UTC)
    return dt.datetime.now(dt.UTC)


_PUNCTUATION = str.maketrans({"\u2018": "'", "\u2019": "'", "\u201c": '"', "\u201d": '"', "\u2013": "-",
                              "\u2014": "-", "\u2192": "->", "\u00a0": " "})


def _fold(err: UnicodeError) -> tuple[str, int]:
    """Encoding error handler: a character the console's code page lacks is written as its
    plain letter ("M\u0101ori" becomes "Maori"), or as "?" when it has none (an emoji)."""
    if not isinstance(err, UnicodeEncodeError):
        raise err
    bad = unicodedata.normalize("NFKD", err.object[err.start:err.end].translate(_PUNCTUATION))
    return "".join("?" if ord(c) > 127 else c for c in bad if not unicodedata.combining(c)), err.end


codecs.register_error("auditor-fold", _fold)


def safe_console(*streams) -> None:
    """Let stdout and stderr print any text in any code page.

    Redirected output on Windows is written in the locale's code page (cp1252, cp850...), and
    so is anything under ``PYTHONIOENCODING``; printing "Te P\u0101ti M\u0101ori" or an emoji
    would then stop the command with an error. A stream whose encoding is not UTF keeps its
    encoding but writes what it cannot encode as the nearest plain letters.
    """
    for stream in streams or (sys.stdout, sys.stderr):
        try:
            if not codecs.lookup(stream.encoding).name.startswith("utf"):
                stream.reconfigure(errors="auditor-fold")
        except (AttributeError, LookupError, TypeError, ValueError):
            pass  # not a text file we can reconfigure (a test runner's buffer): leave it


class AuditorGroup(click.Group):
    """The command group; makes the console safe before any command prints."""

    def main(self, *args, **kwargs):
        """Run the command line (as click does), after :func:`safe_console`."""
        safe_console()
        return super().main(*args, **kwargs)


@click.group(cls=AuditorGroup, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="auditor")
def cli() -> None:
    """Separation Auditor: find where political commentary sits next to your work identity.

    Runs offline on exports of your own social-media data and writes a private report.
    """


@cli.command()
@click.argument("exports", nargs=-1, required=True, type=click.Path(path_type=str))
@out_option("Folder to write the report into (created if missing, private to you).")
@policy_option()
@click.option("--role", default=None, help="Role variant of the policy pack, e.g. 'senior'.")
@click.option("--employer", default=None, metavar="NAME",
              help="Your employer as you would write it in a post, e.g. 'Ministry for the Environment' (the pack's "
                   "short names, such as MfE, are added): for when no profile in the audit names it. Remembered in "
                   "the report folder for the next audit into it; --employer \"\" leaves it out.")
@click.option("--format", "formats", default="html,md,json,csv", show_default=True,
              help="Comma-separated outputs: html (report.html), md (report.md), json (findings.json), csv (actions.csv).")
@click.option("--fail-on", type=click.Choice(SEVERITIES), default=None,
              help="Exit with code 1 when a finding at or above this severity exists.")
@click.option("--semantic", is_flag=True,
              help="Also read the meaning of each English post with a sentence model: finds more political "
                   "posts, much slower (needs the [semantic] extra).")
@click.option("--since", type=click.Path(exists=True, path_type=Path), default=None,
              help="An earlier findings.json (or its folder) to show progress against (default: the "
                   "findings.json already in --out, if any).")
@click.option("--decisions", "decisions_file", type=click.Path(dir_okay=False, path_type=Path), default=None,
              help="Your decisions file, written by auditor review (default: decisions.toml in --out).")
@click.option("--yes", "-y", is_flag=True,
              help="Confirm without asking that the exports are yours or that you have permission (for scripts).")
@click.option("--quiet", "-q", is_flag=True, help="Print nothing but errors.")
@friendly_errors
def audit(exports: tuple[str, ...], out_dir: Path, policy: str, role: str | None, employer: str | None,
          formats: str, fail_on: str | None, semantic: bool, since: Path | None, decisions_file: Path | None,
          yes: bool, quiet: bool) -> None:
    """Audit one person's exports together and write the separation report."""
    from auditor.output import check_not_inside
    from auditor.policy import load_policy
    from auditor.report import FORMATS
    from auditor.runner import audit_into, employer_name, prepare

    wanted = tuple(f.strip().lower() for f in formats.split(",") if f.strip())
    bad = [f for f in wanted if f not in FORMATS]
    if bad or not wanted:
        raise UserError(f"unknown --format {','.join(bad) or formats!r}; choose from {', '.join(FORMATS)}")
    for e in exports:
        if not Path(e).exists():  # before asking for consent: nothing to consent to yet
            raise UserError(f"{e} does not exist. Pass the export ZIP or its unpacked folder.")
    check_not_inside(out_dir, exports)
    employer = employer_name(employer) if employer is not None else None  # None: the earlier audit's, if any
    pack = load_policy(policy)
    # Read before the audit: a malformed decisions file stops here, before any work is done, and
    # the earlier report is read before the new one replaces it.
    prepared = prepare(out_dir, since, decisions_file)
    unusable = prepared.unusable
    from auditor.consent import obtain

    consent = obtain(yes, _now())
    with Progress(enabled=not quiet) as progress:
        context, written = audit_into(prepared, exports, pack, consent, role=role, now=_now(), formats=wanted,
                                      progress=progress.add, semantic=semantic, employer=employer)
    if not quiet:
        s = context["summary"]
        n = len(context["inputs"])
        rep = context["repeated_items"]
        again = f" (and {rep} repeated item{'s' if rep != 1 else ''} read once)" if rep else ""
        click.echo(f"Audited {context['posts_scanned']} items{again} in {n} export{'s' if n != 1 else ''}, offline; "
                   "nothing left this machine.")
        for a in context["accounts"]:
            tie = (f"identifies you with {a['work_identity']['employer']}" if a["work_identified"]
                   else {TieLevel.LINKED: "linked to your work identity", TieLevel.SAME_NAME: "same name as your "
                         "work profile", TieLevel.MENTIONS: "posts name your employer"}.get(a["tie"],
                                                                                   "no tie to your work found"))
            click.echo(f"  {a['label']}: {tie}; {plural(a['findings'], 'finding')}; exposure {a['exposure']}")
        sev = ", ".join(f"{k} {v}" for k, v in s["by_severity"].items() if v) or "none"
        click.echo(f"Findings: {s['findings']} ({sev}).")
        _echo_decisions_and_progress(context)
        if context["to_skim"]["posts"]:
            click.echo(f"Posts to skim: {plural(context['to_skim']['posts'], 'post')} the political model was not sure "
                       "about; the report lists them, most likely first (not findings).")
        nc = context["not_checked"]
        if nc["posts"]:
            langs = ", ".join(f"{lg['posts']} in {lg['name']}"
                              + (f" (not checked for {' or '.join(lg['not_checked_for'])})" if lg["checked_for"] else "")
                              for lg in nc["languages"][:5])
            click.echo(f"Not checked (no model for the language or the task): {plural(nc['posts'], 'post')}: {langs}. "
                       "See 'What this audit could not check' in the report.")
        for w in context["warnings"] + ([unusable] if unusable else []):
            click.echo(f"Warning: {w}", err=True)
        for p in written:
            click.echo(f"Wrote {p}")
    if fail_on:
        threshold = Severity(fail_on).rank
        if any(Severity(f["severity"]).rank >= threshold for f in context["findings"]):
            sys.exit(1)


def _echo_decisions_and_progress(context: dict) -> None:
    """The terminal lines for what the decisions file hid and what changed since the last audit."""
    h, p = context["hidden"], context["progress"]
    if h and h["total"]:
        why = "; ".join(f"{r['count']}: {r['reason'] or 'no reason given'}" for r in h["reasons"])
        click.echo(f"Hidden: {plural(h['total'], 'finding')} you dismissed in {h['file']} ({why}).")
    if h and h["done_still_there"]:
        click.echo(f"Marked done but still there: {plural(len(h['done_still_there']), 'finding')}; the report says which.")
    if p:
        when = f" ({p['previous_generated_at'][:10]})" if p["previous_generated_at"] else ""
        extra = f", {p['dismissed']} dismissed" if p["dismissed"] else ""
        extra += f"; {p['not_compared']} on accounts not audited this time" if p["not_compared"] else ""
        click.echo(f"Since the last audit{when}: {p['fixed']} fixed, {p['new']} new, {p['open']} still open{extra}.")
        if p["note"]:
            click.echo(f"  {p['note']}")


REVIEW_KEYS = {"k": "keep", "d": "dismiss", "x": "done"}
REVIEW_PROMPT = ("  [k] keep: still to do   [d] dismiss: it is fine   [x] done: I fixed it   "
                 "[s] skip for now   [q] quit (saved)")
SKIM_PROMPT = ("  [k] keep: it is political, I will deal with it   [d] dismiss: not political, stop listing it   "
               "[x] done: I changed it   [s] skip   [q] quit (saved)")


@cli.command()
@click.argument("report_dir", type=click.Path(file_okay=False, path_type=Path))
@click.option("--decisions", "decisions_file", type=click.Path(dir_okay=False, path_type=Path), default=None,
              help="Where to keep your decisions (default: decisions.toml in REPORT_DIR).")
@click.option("--all", "review_all", is_flag=True, help="Also go through the findings you already decided about.")
@friendly_errors
def review(report_dir: Path, decisions_file: Path | None, review_all: bool) -> None:
    """Go through the findings one at a time: keep, dismiss (it is fine) or done (fixed).

    Your answers are saved in a decisions file as you go (so you can stop and come back), and the
    next audit uses them: dismissed findings stay hidden, and fixed ones show as progress.
    """
    import json

    from auditor.consent import stdin_is_terminal
    from auditor.decisions import FILE_NAME, decide, load_decisions, save_decisions
    from auditor.progress import key_of

    src = report_dir / "findings.json"
    try:
        report = json.loads(src.read_text(encoding="utf-8"))
        findings = report["findings"]
        for f in findings:
            f["key"] = key_of(f)
        # then the posts to skim (schema 1.4): decided about the same way, under their own keys
        listed = [{**e, "skim": True, "account_label": g["label"]}
                  for g in (report.get("to_skim") or {}).get("accounts", []) for e in g["entries"]]
    except FileNotFoundError:
        raise UserError(f"{src} does not exist; run auditor audit EXPORT... --out {report_dir} first "
                        "(with json in --format)") from None
    except (OSError, ValueError, KeyError, TypeError) as e:
        raise UserError(f"{src} cannot be read as a report ({type(e).__name__}); run auditor audit again") from None
    path = decisions_file or report_dir / FILE_NAME
    decisions = load_decisions(path)  # a malformed file stops here, untouched
    made = (report.get("generated_at") or "")[:10]
    back = set((report.get("hidden") or {}).get("done_still_there", []))

    def asked_again(f) -> bool:  # marked done, but the audit still found it
        d = decisions.get(f["key"])
        return (f["key"] in back and d is not None and d.decision == "done"
                and (d.date is None or d.date.isoformat() <= made))

    todo = [f for f in findings if review_all or f["key"] not in decisions or asked_again(f)]
    todo_listed = [e for e in listed if review_all or e["key"] not in decisions]
    decided = len(findings) + len(listed) - len(todo) - len(todo_listed)
    already = f" ({decided} already decided; --all shows them too)" if decided else ""
    also = f" and {plural(len(listed), 'post')} to skim" if listed else ""
    click.echo(f"{plural(len(findings), 'finding')}{also} in {src}; {len(todo) + len(todo_listed)} to go through"
               f"{already}.")
    todo += todo_listed
    if not todo:
        click.echo(f"Nothing left to review. Your decisions are in {path}.")
        return
    click.echo("For each finding, press one key:\n" + REVIEW_PROMPT)
    interactive = stdin_is_terminal()
    counts: Counter[str] = Counter()
    today = _now().date()
    done_all = True
    try:
        for i, f in enumerate(todo, start=1):
            if f.get("skim") and (i == 1 or not todo[i - 2].get("skim")):
                click.echo("\nNow the posts to skim: the political model was not sure about them. For each:\n"
                           + SKIM_PROMPT)
            _show_finding(f, i, len(todo), decisions.get(f["key"]), f["key"] in back)
            choice = _ask_choice(interactive)
            if choice == "q":
                done_all = False
                break
            if choice == "s":
                counts["skipped"] += 1
                continue
            reason = ""
            if choice == "d":
                reason = _ask_line("  Why is it fine? (optional; press Enter to leave blank)", interactive)
            decisions = decide(decisions, f, REVIEW_KEYS[choice], reason, today)
            save_decisions(path, decisions)  # after every answer: stopping never loses one
            counts[REVIEW_KEYS[choice]] += 1
    except (KeyboardInterrupt, click.exceptions.Abort):
        done_all = False
        click.echo("")
    left = len(todo) - sum(counts.values()) + counts["skipped"]
    skipped = f", {counts['skipped']} skipped" if counts["skipped"] else ""
    click.echo(f"\nSaved in {path}: {counts['dismiss']} dismissed, {counts['done']} done, {counts['keep']} kept"
               f"{skipped}.")
    if not done_all or counts["skipped"]:
        click.echo(f"{left} still to review: run auditor review {report_dir} again to go on where you stopped.")
    click.echo(f"Next: fix what you kept, download fresh exports, and audit again with --out {report_dir}: "
               "dismissed findings stay hidden and the report shows what you fixed.")


def _show_finding(f: dict, i: int, n: int, earlier, came_back: bool) -> None:
    import textwrap

    click.echo(f"\n--- {i} of {n} " + "-" * 50)
    when = f" · {f['created_at'][:10]}" if f.get("created_at") else ""
    if f.get("skim"):
        click.echo(f"TO SKIM · {f['account_label']} · {f.get('post_kind') or 'post'}{when} · political model "
                   f"{f['score']:.2f} (findings from {f['threshold']:.2f})")
        if f.get("names_employer"):
            click.echo("It names your employer or role: if it is political, it is the most exposing kind.")
        words = " ".join((f.get("excerpt") or "").split())
        if words:
            click.echo(textwrap.fill(f"\u201c{words}\u201d", width=88, initial_indent="  ", subsequent_indent="  "))
        if f.get("words"):
            click.echo("Words that raised it: " + ", ".join(f"\u201c{w}\u201d" for w in f["words"]))
        if f.get("url"):
            click.echo(f"Where: {f['url']}")
        if earlier is not None:
            click.echo(f"Your earlier decision: {earlier.decision}.")
        return
    click.echo(f"{f['severity'].upper()} · {f.get('account_label') or f['platform']} · {f.get('post_kind') or 'profile'}"
               f"{when} · rule {f['rule']}")
    click.echo(click.style(f["title"], bold=True))
    words = " ".join((f.get("excerpt") or "").split())
    if words:
        click.echo(textwrap.fill(f"\u201c{words}\u201d", width=88, initial_indent="  ", subsequent_indent="  "))
    click.echo(textwrap.fill(f"Why: {f['explanation']}", width=88, subsequent_indent="  "))
    click.echo(textwrap.fill(f"What to do: {f['action'].capitalize()}: {f['recommendation']}",
                             width=88, subsequent_indent="  "))
    if f.get("url"):
        click.echo(f"Where: {f['url']}")
    if earlier is not None:
        when = f" on {earlier.date.isoformat()}" if earlier.date else ""
        if came_back and earlier.decision == "done":
            click.echo(f"You marked this done{when}, but the last audit still found it.")
        else:
            click.echo(f"Your earlier decision{when}: {earlier.decision}"
                       f"{f' ({earlier.reason})' if earlier.reason else ''}.")


def _ask_line(prompt: str, interactive: bool) -> str:
    """A line of text (empty allowed); without a terminal, the next line of the input."""
    if interactive:
        return click.prompt(prompt, default="", show_default=False)
    click.echo(prompt + ": ", nl=False)
    line = sys.stdin.readline()
    click.echo(line.strip())
    return line.strip()


def _ask_choice(interactive: bool) -> str:
    """One of k, d, x, s, q: a single key press on a terminal, else the first letter of a line."""
    while True:
        click.echo("Your choice (k/d/x/s/q): ", nl=False)
        if interactive:
            ch = click.getchar()
            click.echo(ch if ch.isprintable() else "")
        else:
            line = sys.stdin.readline()
            click.echo(line.strip())
            ch = line.strip()[:1] if line else "q"
        ch = "q" if ch in ("", "\x04") else ch.lower()
        if ch in REVIEW_KEYS or ch in ("s", "q"):
            return ch
        click.echo("Press k (keep), d (dismiss), x (done), s (skip) or q (quit).")


@cli.command()
@click.argument("exports", nargs=-1, required=True, type=click.Path(path_type=str))
@friendly_errors
def inspect(exports: tuple[str, ...]) -> None:
    """Show what each export holds: platform, account, counts by kind, dates, ignored files."""
    from auditor.ingest import read_exports
    from auditor.models import iter_unique

    loaded, notes = read_exports(list(exports))
    for note in notes:
        click.echo(f"note: {note}", err=True)
    for e in loaded:
        path = e.path
        kinds: Counter[str] = Counter()
        first = last = None
        repeats = [0]
        for p in iter_unique(e.posts(), repeats):  # counted as the audit counts them
            kinds[str(p.kind)] += 1
            if p.created_at:
                first = min(first or p.created_at, p.created_at)
                last = max(last or p.created_at, p.created_at)
        acc = e.account
        click.echo(f"{path}")
        click.echo(f"  platform: {PLATFORM_NAMES.get(e.platform, e.platform)}"
                   f"{f' ({e.variant} archive)' if e.variant else ''}")
        click.echo(f"  account:  {acc.display_name or acc.handle or 'unknown'}"
                   f"{f' - {acc.headline}' if acc.headline else ''}")
        if acc.positions:
            cur = [p for p in acc.positions if p.current]
            click.echo(f"  positions: {len(acc.positions)}"
                       f"{f' (current: {cur[0].title} at {cur[0].employer})' if cur else ''}")
        if acc.links:
            click.echo("  links:    " + ", ".join(lk.label or lk.url for lk in acc.links))
        total = sum(kinds.values())
        click.echo(f"  items:    {total}" + (f" ({', '.join(plural(n, k) for k, n in sorted(kinds.items()))})"
                                               if total else "")
                   + (f"; {repeats[0]} more appear twice (same id) and are read once" if repeats[0] else ""))
        if first:
            click.echo(f"  dates:    {first.date()} to {last.date()}")
        for s in e.skipped:
            click.echo(f"  ignored:  {s.name} ({s.reason})")
        for w in e.warnings:
            click.echo(f"  warning:  {w}")


@cli.command()
@click.argument("url")
@out_option("Folder to save the pages in; then run: auditor audit DIR ...")
@click.option("--max-pages", default=200, show_default=True, type=click.IntRange(1, 5000),
              help="Stop after this many pages.")
@click.option("--delay", default=1.0, show_default=True, type=click.FloatRange(0, 60),
              help="Seconds to wait between requests (be kind to your host).")
@click.option("--timeout", default=10.0, show_default=True, type=click.FloatRange(0.5, 120),
              help="Seconds before a request is given up.")
@click.option("--quiet", "-q", is_flag=True, help="Print nothing but errors.")
@friendly_errors
def site(url: str, out_dir: Path, max_pages: int, delay: float, timeout: float, quiet: bool) -> None:
    """Fetch your own website's pages (same site only, robots.txt honoured) for an audit.

    The only command that uses the network. It saves HTML pages and a site.json manifest; audit
    the folder with the rest of your exports to check your posts and visitors' comments.
    """
    from auditor.site import fetch_site, save_site

    show = None if quiet else (lambda u: click.echo(f"  fetched {u}", err=True))
    result, files = fetch_site(url, max_pages=max_pages, delay=delay, timeout=timeout, progress=show)
    save_site(result, files, out_dir, _now())
    if not quiet:
        click.echo(f"Saved {plural(len(result.pages), 'page')} to {out_dir}; skipped {len(result.skipped)}. "
                   f"Next: auditor audit {out_dir} ... --out REPORT_DIR")


@cli.command()
@click.option("--port", default=0, type=click.IntRange(0, 65535),
              help="Port on 127.0.0.1 to listen on (default: any free port).")
@click.option("--no-browser", is_flag=True, help="Print the address to open, but do not open a browser.")
@click.option("--idle-minutes", default=30.0, show_default=True, type=click.FloatRange(min=0.01),
              help="Stop after this many minutes without a request.")
@click.option("--out", "--output", "-o", "out_dir", default=None, type=click.Path(file_okay=False, path_type=Path),
              help="Folder for the report and your decisions (default: a private folder in your user data folder).")
@friendly_errors
def app(port: int, no_browser: bool, idle_minutes: float, out_dir: Path | None) -> None:
    """Run the audit as a local web page: choose your exports, read the worklist, decide, audit again.

    The page is served on 127.0.0.1 only and needs the secret address printed on the first line;
    it stops on Ctrl-C or when unused.
    """
    from auditor.app.launch import serve

    serve(port=port, open_browser=not no_browser, idle_minutes=idle_minutes, out_dir=out_dir)


@cli.group()
def workshop() -> None:
    """HR self-audit workshops: anonymous summaries and a k-anonymous facilitator dashboard."""


@workshop.command("summary")
@click.argument("report_dir", type=click.Path(file_okay=False, path_type=Path))
@out_option("The summary file to write (for example summary.json).", dest="output", file=True)
@click.option("--yes", "-y", is_flag=True, help="Write it without showing it and asking first.")
@friendly_errors
def workshop_summary(report_dir: Path, output: Path, yes: bool) -> None:
    """Make the anonymous summary of your audit that you may choose to hand in: counts only."""
    import json

    from auditor.output import write_files
    from auditor.workshop import make_summary

    src = report_dir / "findings.json"
    try:
        findings = json.loads(src.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise UserError(f"{src} does not exist; pass the folder you gave auditor audit --out") from None
    except (OSError, ValueError) as e:
        raise UserError(f"{src} cannot be read as a report ({e}); run auditor audit again") from None
    summary = make_summary(findings, _now())
    text = json.dumps(summary, indent=2) + "\n"
    if not yes:
        click.echo("This is everything the summary will contain: counts, months and a random id; no text, "
                   "names, handles or addresses.\n", err=True)
        click.echo(text, err=True)
        from auditor.consent import stdin_is_terminal

        if not stdin_is_terminal():
            raise UserError("not written: review it in a terminal, or add --yes to write it without asking")
        if not click.confirm(f"Write it to {output}?", default=False, err=True):
            raise UserError("not written.")
    write_files(output.parent, {output.name: text})
    click.echo(f"Wrote {output}. Hand it in only if you want to; it cannot be traced back to your posts.")


@workshop.command("aggregate")
@click.argument("summaries", nargs=-1, required=True, type=click.Path(dir_okay=False, path_type=Path))
@out_option("Folder for dashboard.html, aggregate.json and aggregate.csv.")
@click.option("--min-group", default=5, show_default=True, type=click.IntRange(2, 1000),
              help="Hide any count of fewer than this many participants (k-anonymity).")
@click.option("--label", default="", help="A name for the session, e.g. 'Policy team, March'.")
@click.option("--db", type=click.Path(dir_okay=False, path_type=Path), default=None,
              help="SQLite file that accumulates sessions, for auditor workshop history.")
@friendly_errors
def workshop_aggregate(summaries: tuple[Path, ...], out_dir: Path, min_group: int, label: str, db: Path | None) -> None:
    """Combine participants' summaries into a dashboard where no cell has fewer than k people."""
    import json

    from auditor.output import write_files
    from auditor.report import render_dashboard
    from auditor.workshop import aggregate, aggregate_csv, load_summaries, talking_points

    con = None
    seen: set[str] = set()
    if db:
        from auditor.workshop_db import connect, counted_ids

        con = connect(db)
        seen = counted_ids(con)
    loaded = load_summaries(list(summaries), seen)
    for name, why in loaded.rejected:
        click.echo(f"rejected {name}: {why}", err=True)
    if not loaded.summaries:
        raise UserError("no summary could be used; nothing was written")
    agg = aggregate(loaded.summaries, min_group)
    held_on = _now().date().isoformat()
    label = label or f"Workshop {held_on}"
    sections = [("Exposure", "exposure", "Participants by the highest exposure level among their accounts."),
                ("Most common issues", "category", "Participants with at least one finding of each kind."),
                ("Rules met most often", "rule", "Participants with at least one finding under each rule."),
                ("How accounts were tied to work", "tie", "Participants with at least one account at each linkage level."),
                ("Platforms", "platform", "Participants who audited each platform."),
                ("Political content on a work-tied account", "tied", "Participants for whom it was so.")]
    html = render_dashboard(agg, label, held_on, sections, talking_points(agg), loaded.rejected)
    data = {**agg, "label": label, "held_on": held_on, "rejected": len(loaded.rejected),
            "talking_points": talking_points(agg)}
    write_files(out_dir, {"dashboard.html": html, "aggregate.json": json.dumps(data, indent=2) + "\n",
                          "aggregate.csv": aggregate_csv(agg)})
    if con is not None:
        from auditor.workshop_db import add_session

        add_session(con, label, held_on, agg, [s["summary_id"] for s in loaded.summaries])
        con.close()
    hidden = sum(c["suppressed"] for c in agg["cells"])
    click.echo(f"{plural(agg['participants'], 'participant')} aggregated, {len(loaded.rejected)} rejected; {plural(hidden, 'cell')} "
               f"hidden (fewer than {min_group}). Wrote {out_dir}/dashboard.html"
               + (f"; session saved in {db}" if db else "") + ".")


@workshop.command("history")
@click.option("--db", required=True, type=click.Path(dir_okay=False, exists=True, path_type=Path),
              help="The SQLite file given to auditor workshop aggregate --db.")
@friendly_errors
def workshop_history(db: Path) -> None:
    """Print how sessions compare over time (participants, exposure, most common rule)."""
    from auditor.workshop_db import connect, history

    con = connect(db, readonly=True)  # a read command never writes (not even a migration)
    rows = history(con)
    con.close()
    if not rows:
        click.echo("No sessions yet.")
        return
    click.echo(f"{'date':<11} {'session':<28} {'people':>6} {'high/critical':>14} {'political on work':>18}  most common rule")
    for r in rows:
        def pct(v, n=r["participants"]):
            return f"hidden (<{r['min_group']})" if v is None else f"{v} ({100 * v / n:.0f}%)"
        click.echo(f"{r['held_on']:<11} {r['label'][:28]:<28} {r['participants']:>6} {pct(r['high_or_critical']):>14} "
                   f"{pct(r['political_on_work_tied']):>18}  {r['top_rule'] or '-'}")


@cli.command("eval")
@click.option("--task", type=click.Choice(["political", "grievance", "disrespect"]), required=True,
              help="Which detector to measure.")
@click.argument("file", type=click.Path(dir_okay=False, path_type=Path))
@policy_option(extra=", whose lexicons and thresholds to use")
@click.option("--json", "as_json", is_flag=True, help="Print one JSON object instead of a table.")
@click.option("--errors", is_flag=True, help="Also list the misclassified items (FN and FP) with the label given.")
@click.option("--semantic", is_flag=True, help="Score with the semantic mode, as audit --semantic does (needs the [semantic] extra).")
@friendly_errors
def eval_(task: str, file: Path, policy: str, as_json: bool, errors: bool, semantic: bool) -> None:
    """Measure a detector on labelled JSONL: precision, recall, F1 and confusion counts."""
    import json

    from auditor.evaluate import Scores, evaluate, read_labelled
    from auditor.policy import load_policy

    items = read_labelled(file, task)
    wrong: list[tuple[str, str, str]] = []
    per_source: dict = {}
    per_skim: dict = {}
    s = evaluate(items, task, load_policy(policy), wrong, semantic=semantic, by_source=per_source, with_skim=per_skim)
    skim = Scores.total(per_skim.values())
    listed = skim.tp + skim.fp > s.tp + s.fp
    if errors:
        for kind, text, label in wrong:
            click.echo(f"{kind}\t{label or '-'}\t{text}", err=as_json)
    if as_json:
        out = s.as_dict()
        if len(per_source) > 1:
            out["by_source"] = {k: v.as_dict() for k, v in sorted(per_source.items())}
        if listed:
            out["with_posts_to_skim"] = skim.as_dict()
        click.echo(json.dumps(out))
        return
    click.echo(f"{task} on {file.name}: {len(items)} items ({s.tp + s.fn} positive)")
    click.echo(f"  precision {s.precision:.3f}  recall {s.recall:.3f}  F1 {s.f1:.3f}")
    click.echo(f"  tp {s.tp}  fp {s.fp}  fn {s.fn}  tn {s.tn}")
    if listed:
        click.echo(f"  with the posts to skim: recall {skim.recall:.3f}; the list holds {skim.tp + skim.fp - s.tp - s.fp} "
                   f"items, {skim.tp - s.tp} of them positive")
    if len(per_source) > 1:
        click.echo(f"  {'source':<44} {'items':>6} {'pos':>5} {'P':>6} {'R':>6} {'F1':>6}")
        for name, v in sorted(per_source.items()):
            click.echo(f"  {name[:44]:<44} {v.tp + v.fp + v.fn + v.tn:>6} {v.tp + v.fn:>5} {v.precision:>6.3f} "
                       f"{v.recall:>6.3f} {v.f1:>6.3f}")


@cli.group()
def rules() -> None:
    """List and explain the rules of a policy pack."""


@rules.command("list")
@policy_option()
@friendly_errors
def rules_list(policy: str) -> None:
    """List the rules of a policy pack."""
    from auditor.policy import load_policy

    pack = load_policy(policy)
    click.echo(f"{pack.name} ({pack.id}, version {pack.version})")
    for r in pack.rules:
        sevs = "/".join(dict.fromkeys(c.severity.value for c in r.clauses))
        click.echo(f"  {r.id:<22} {r.category:<11} {sevs:<16} {r.title}")
    for name, role in pack.roles.items():
        click.echo(f"  role {name}: {role.description} (+{role.raise_by} level for {', '.join(role.categories)})")


@rules.command("show")
@click.argument("rule_id")
@policy_option(None, " (default: the pack the rule id names)")
@friendly_errors
def rules_show(rule_id: str, policy: str | None) -> None:
    """Explain one rule: what it says, when it fires, what to do, and where it comes from."""
    from auditor.policy import available_policies, load_policy
    from auditor.textutil import fill_template

    prefix = rule_id.split("-", 1)[0].lower()
    r = load_policy(policy or (prefix if prefix in available_policies() else "nz")).rule(rule_id)

    fill = {"what": "this post", "employer": "your employer", "platform": "the platform"}
    click.echo(f"{r.id}: {r.title}  [{r.category}]")
    click.echo(f"\nWhy it matters:\n  {fill_template(r.why, fill, '{{{key}}}')}")
    click.echo(f"\nWhat to do ({r.action}):\n  {fill_template(r.recommendation, fill, '{{{key}}}')}")
    click.echo("\nFires when:")
    for c in r.clauses:
        cond = [f"detector={c.detector}", f"subject={c.subject}"]
        cond += [f"label in {list(c.labels)}"] if c.labels else []
        cond += [f"platform in {list(c.platforms)}"] if c.platforms else []
        cond += [f"kind in {list(c.kinds)}"] if c.kinds else []
        cond += [f"signal in {list(c.signals)}"] if c.signals else []
        cond += [f"--role in {list(c.roles)}"] if c.roles else []
        cond += [f"tied to work={str(c.work_identified).lower()}"] if c.work_identified is not None else []
        cond += [f"post names your employer={str(c.names_employer).lower()}"] if c.names_employer is not None else []
        click.echo(f"  - {', '.join(cond)} -> {c.severity.value}")
    cit = r.citation
    click.echo(f"\nGuidance: {cit.title}{f', {cit.section}' if cit.section else ''} ({cit.publisher})\n  {cit.url}")


if __name__ == "__main__":  # pragma: no cover
    cli()
