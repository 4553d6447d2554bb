"""Windows and macOS, simulated on this machine (issue 15): no ``os.fchmod`` (Windows before
Python 3.13), Windows' owner-only access lists, the settings folder, the ``spawn`` start method
(Windows, macOS), a console in a legacy code page, and Windows-style paths in reports."""

import concurrent.futures
import json
import os
import stat
import subprocess
import sys

import pytest
from conftest import LINKEDIN, MASTODON, ROOT, SHARES_HEADER, TWITTER, copy_tree

import auditor._private as private
import auditor.audit as audit_mod
import auditor.consent as consent
from auditor.cli import _fold, safe_console
from auditor.textutil import file_name

PY = sys.executable
OUTPUTS = ("report.html", "report.md", "findings.json", "actions.csv")


# --- private files ---------------------------------------------------------------------------

def test_report_is_written_and_private_without_os_fchmod(run, tmp_path, monkeypatch):
    monkeypatch.delattr(os, "fchmod")
    r = run("audit", LINKEDIN, "--out", tmp_path / "r", "-q")
    assert r.exit_code == 0, r.output
    for name in OUTPUTS:
        assert stat.S_IMODE(os.stat(tmp_path / "r" / name).st_mode) == 0o600
    assert stat.S_IMODE(os.stat(tmp_path / "r").st_mode) == 0o700


WHOAMI = '"desktop-7q\\ana","S-1-5-21-1004336348-1177238915-682003330-1001"\r\n'
SID = "S-1-5-21-1004336348-1177238915-682003330-1001"


@pytest.fixture
def windows(monkeypatch):
    """Simulate Windows: files are protected with icacls (recorded, not run)."""
    calls = []

    def fake(cmd):
        calls.append((list(cmd), os.path.getsize(cmd[1]) if cmd[0] == "icacls" and os.path.isfile(cmd[1]) else None))
        return WHOAMI if cmd[0] == "whoami" else "processed file: " + cmd[1]

    monkeypatch.setattr(private, "WINDOWS", True)
    monkeypatch.setattr(private, "runner", fake)
    private._user_sid.cache_clear()
    yield calls
    private._user_sid.cache_clear()


def test_on_windows_every_file_and_new_folder_gets_an_owner_only_acl(run, tmp_path, windows):
    out = tmp_path / "r"
    assert run("audit", LINKEDIN, "--out", out, "-q").exit_code == 0
    cmds = [c for c, _ in windows]
    assert cmds[0] == ["whoami", "/user", "/fo", "csv", "/nh"]
    assert cmds[1] == ["icacls", str(out), "/inheritance:r", "/grant:r", f"*{SID}:(OI)(CI)F"]
    files = windows[2:]
    assert len(files) == len(OUTPUTS) and sum(c[0] == ["whoami", "/user", "/fo", "csv", "/nh"] for c in windows) == 1
    for (cmd, size), name in zip(files, OUTPUTS, strict=True):
        # the temporary file, protected while still empty, before it is renamed into place
        assert cmd[0] == "icacls" and cmd[2:] == ["/inheritance:r", "/grant:r", f"*{SID}:F"]
        assert os.path.dirname(cmd[1]) == str(out) and os.path.basename(cmd[1]).startswith(f".{name}.")
        assert size == 0
    # an existing folder is the user's own: its files are protected, the folder left alone
    windows.clear()
    assert run("audit", LINKEDIN, "--out", out, "-q").exit_code == 0
    icacls = [c[1] for c, _ in windows if c[0] == "icacls"]
    assert len(icacls) == len(OUTPUTS) and str(out) not in icacls


def test_on_windows_a_file_that_cannot_be_made_private_is_not_written(run, tmp_path, windows, monkeypatch):
    def refuse(cmd):
        if cmd[0] == "whoami":
            return WHOAMI
        if os.path.isfile(cmd[1]):
            raise private.PrivacyError(f"icacls could not make {cmd[1]} private to you (Access is denied.); "
                                       "nothing was written.")
        return ""

    monkeypatch.setattr(private, "runner", refuse)
    r = run("audit", LINKEDIN, "--out", tmp_path / "r", "-q")
    assert r.exit_code == 2 and "Access is denied" in r.stderr and "Traceback" not in r.output
    assert list((tmp_path / "r").iterdir()) == []  # no report, not even a temporary file


@pytest.mark.parametrize("returncode, out, err, expected", [
    (0, WHOAMI, "", None),
    (5, "", "C:\\r\\report.html: Access is denied.\r\nSuccessfully processed 0 files", "Successfully processed 0 files"),
    (1332, "", "", "exit code 1332"),
])
def test_windows_commands_are_checked(monkeypatch, returncode, out, err, expected):
    seen = []

    def fake_run(argv, **kw):
        seen.append((argv, kw))
        return subprocess.CompletedProcess(argv, returncode, out, err)

    monkeypatch.setattr(private.subprocess, "run", fake_run)
    if expected is None:
        assert private._run(["whoami", "/user"]) == WHOAMI
    else:
        with pytest.raises(private.PrivacyError, match=expected):
            private._run(private.icacls_command(ROOT / "r", SID))
    argv, kw = seen[0]
    assert argv[0].endswith(("whoami", "whoami.exe", "icacls", "icacls.exe")) and not kw.get("shell")
    assert kw["capture_output"] and kw["timeout"]


def test_a_missing_windows_program_is_one_clear_error(monkeypatch):
    def missing(argv, **kw):
        raise FileNotFoundError(2, "No such file or directory")

    monkeypatch.setattr(private.subprocess, "run", missing)
    with pytest.raises(private.PrivacyError, match="cannot run icacls"):
        private._run(["icacls", "x"])


def test_whoami_without_a_sid_is_refused(monkeypatch):
    monkeypatch.setattr(private, "runner", lambda cmd: "INFO: nothing\r\n")
    private._user_sid.cache_clear()
    try:
        with pytest.raises(private.PrivacyError, match="which account"):
            private._user_sid()
    finally:
        private._user_sid.cache_clear()


# --- settings folder ---------------------------------------------------------------------------

def test_consent_is_kept_where_the_os_keeps_settings(run, tmp_path, monkeypatch):
    place = tmp_path / "Library" / "Application Support" / "separation-auditor"
    monkeypatch.setattr(consent.platformdirs, "user_config_dir",
                        lambda app, appauthor=None, roaming=False: str(place) if app == "separation-auditor" else "")
    monkeypatch.delenv("AUDITOR_YES")
    monkeypatch.setattr(consent, "stdin_is_terminal", lambda: True)
    r = CliRunnerInput().invoke("audit", LINKEDIN, "--out", tmp_path / "r", "-q", input="y\n")
    assert r.exit_code == 0, r.output
    record = json.loads((place / "consent.json").read_text())
    assert record["statement"] == consent.STATEMENT
    assert stat.S_IMODE(os.stat(place / "consent.json").st_mode) == 0o600


def test_an_old_consent_record_in_dot_config_is_still_read_and_copied(run, tmp_path, monkeypatch):
    home = tmp_path / "home"
    old = home / ".config" / "separation-auditor" / "consent.json"
    old.parent.mkdir(parents=True)
    old.write_text(json.dumps({"statement": consent.STATEMENT, "tool_version": "0.0.9",
                               "confirmed_at": "2026-01-02T03:04:05Z"}))
    new = home / "AppData" / "Roaming" / "separation-auditor"
    monkeypatch.setenv("HOME", str(home))
    monkeypatch.delenv("XDG_CONFIG_HOME")
    monkeypatch.delenv("AUDITOR_YES")
    monkeypatch.setattr(consent, "settings_dir", lambda: new)
    assert consent.legacy_consent_files()[0] == old
    r = run("audit", LINKEDIN, "--out", tmp_path / "r", "-q", "--format", "json")
    assert r.exit_code == 0, r.output
    given = json.loads((tmp_path / "r/findings.json").read_text())["consent"]
    assert given["how"] == "remembered" and given["confirmed_at"] == "2026-01-02T03:04:05Z"
    assert json.loads((new / "consent.json").read_text())["confirmed_at"] == "2026-01-02T03:04:05Z"
    assert old.exists()  # left where it was


class CliRunnerInput:
    """CliRunner with input (the shared ``run`` fixture has none)."""

    def invoke(self, *args, input=""):
        from click.testing import CliRunner

        from auditor.cli import cli
        return CliRunner().invoke(cli, [str(a) for a in args], input=input, catch_exceptions=False)


# --- the second detection process --------------------------------------------------------------

@pytest.fixture
def spy_pool(monkeypatch):
    """Record every detection pool and the futures of the batches sent to it."""
    pools = []
    real = concurrent.futures.ProcessPoolExecutor

    class Spy(real):
        def __init__(self, *a, **k):
            super().__init__(*a, **k)
            self.method = k["mp_context"].get_start_method()
            self.batches = []
            pools.append(self)

        def submit(self, fn, *args, **kwargs):
            f = super().submit(fn, *args, **kwargs)
            if fn is audit_mod._worker_scan:
                self.batches.append(f)
            return f

    monkeypatch.setattr(audit_mod.concurrent.futures, "ProcessPoolExecutor", Spy)
    monkeypatch.setattr(audit_mod, "PARALLEL_AFTER", 30)
    monkeypatch.setattr(audit_mod, "BATCH", 9)
    return pools


def _audit(run, out, *exports):
    r = run("audit", *exports, "--out", out, "-q", "--format", "json,md")
    assert r.exit_code == 0, r.output
    return {n: (out / n).read_bytes() for n in ("findings.json", "report.md")}


def test_detection_under_spawn_gives_the_same_report(run, tmp_path, monkeypatch, spy_pool):
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1764028800")
    monkeypatch.setenv("AUDITOR_WORKERS", "1")
    one = _audit(run, tmp_path / "one", TWITTER)
    assert not spy_pool
    monkeypatch.setenv("AUDITOR_WORKERS", "2")
    monkeypatch.setattr(audit_mod, "_start_method", lambda: "spawn")
    assert _audit(run, tmp_path / "two", TWITTER) == one
    assert [p.method for p in spy_pool] == ["spawn"]
    # the spawned process really scanned batches (a fallback would leave them failed)
    done = [f for f in spy_pool[0].batches if f.exception() is None]
    assert done and all(f.result().posts_scanned for f in done)


def _die(state, gc_threshold):
    os._exit(3)


def test_a_second_process_that_dies_falls_back_to_this_one(run, tmp_path, monkeypatch, spy_pool):
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1764028800")
    monkeypatch.setenv("AUDITOR_WORKERS", "1")
    one = _audit(run, tmp_path / "one", TWITTER)
    monkeypatch.setenv("AUDITOR_WORKERS", "2")
    monkeypatch.setattr(audit_mod, "_init_worker", _die)  # the process exits as it starts
    assert _audit(run, tmp_path / "two", TWITTER) == one
    assert spy_pool and all(isinstance(f.exception(), concurrent.futures.BrokenExecutor)
                            for f in spy_pool[0].batches)


@pytest.mark.parametrize("platform, methods, expected", [
    ("linux", ["fork", "spawn", "forkserver"], "fork"),
    ("darwin", ["spawn", "fork", "forkserver"], "spawn"),
    ("win32", ["spawn"], "spawn"),
])
def test_start_method_per_platform(monkeypatch, platform, methods, expected):
    monkeypatch.delenv("AUDITOR_WORKERS", raising=False)
    monkeypatch.setattr(audit_mod.sys, "platform", platform)
    monkeypatch.setattr(audit_mod.multiprocessing, "get_all_start_methods", lambda: methods)
    monkeypatch.setattr(audit_mod.os, "cpu_count", lambda: 4)
    assert audit_mod._start_method() == expected
    monkeypatch.setattr(audit_mod.os, "cpu_count", lambda: 1)
    assert audit_mod._start_method() is None


def test_an_audit_on_a_thread_never_forks(monkeypatch):
    # the local app audits on a worker thread: forking from there could copy a held lock
    import threading

    monkeypatch.delenv("AUDITOR_WORKERS", raising=False)
    monkeypatch.setattr(audit_mod.sys, "platform", "linux")
    monkeypatch.setattr(audit_mod.multiprocessing, "get_all_start_methods", lambda: ["fork", "spawn"])
    monkeypatch.setattr(audit_mod.os, "cpu_count", lambda: 4)
    seen = []
    t = threading.Thread(target=lambda: seen.append(audit_mod._start_method()))
    t.start()
    t.join()
    assert seen == ["spawn"] and audit_mod._start_method() == "fork"


# --- console encoding --------------------------------------------------------------------------

@pytest.mark.parametrize("text, encoding, expected", [
    ("Te P\u0101ti M\u0101ori", "cp1252", "Te Pati Maori"),
    ("caf\u00e9 \u2014 \u201cquoted\u201d \u2026", "cp1252", "caf\u00e9 \u2014 \u201cquoted\u201d \u2026"),
    ("caf\u00e9 \u2014 \u201cquoted\u201d \u2026", "ascii", 'cafe - "quoted" ...'),
    ("Mereana \U0001f30a", "cp850", "Mereana ?"),
    ("T\u016bhoe \u2192 Ng\u0101ti", "cp437", "Tuhoe -> Ngati"),
])
def test_unprintable_characters_are_folded(text, encoding, expected):
    assert text.encode(encoding, errors="auditor-fold").decode(encoding) == expected
    with pytest.raises(UnicodeDecodeError):  # only for writing: reading keeps its own errors
        _fold(UnicodeDecodeError("cp1252", b"\x81", 0, 1, "undefined"))


def test_a_utf8_stream_is_left_alone(tmp_path):
    import io

    utf8 = io.TextIOWrapper(io.BytesIO(), encoding="utf-8")
    cp = io.TextIOWrapper(io.BytesIO(), encoding="cp1252")
    safe_console(utf8, cp)
    assert utf8.errors == "strict" and cp.errors == "auditor-fold"


@pytest.fixture
def maori_linkedin(tmp_path):
    folder = copy_tree(LINKEDIN, tmp_path / "linkedin")
    profile = folder / "Profile.csv"
    profile.write_text(profile.read_text(encoding="utf-8").replace("Mereana,Clarke,", "Mereana,K\u014dkiri,", 1),
                       encoding="utf-8")
    return folder


@pytest.mark.parametrize("encoding", ["cp1252", "cp850"])
def test_a_legacy_code_page_console_prints_the_summary(tmp_path, maori_linkedin, encoding):
    env = {**os.environ, "PYTHONIOENCODING": encoding, "PYTHONPATH": str(ROOT)}
    p = subprocess.run([PY, "-m", "auditor", "audit", maori_linkedin, MASTODON, "--out", tmp_path / "r"],
                       capture_output=True, env=env, timeout=120)
    out, err = p.stdout.decode(encoding), p.stderr.decode(encoding)
    assert p.returncode == 0, err
    assert "LinkedIn (Mereana Kokiri)" in out and "Audited " in out and "Findings: " in out
    assert "internal error" not in err and "Traceback" not in err


def test_redirected_output_in_cp1252_survives_an_emoji(tmp_path):
    env = {**os.environ, "PYTHONIOENCODING": "cp1252", "PYTHONPATH": str(ROOT)}
    with open(tmp_path / "out.txt", "wb") as fh:  # redirected to a file, as `auditor inspect ... > out.txt`
        p = subprocess.run([PY, "-m", "auditor", "inspect", MASTODON], stdout=fh, stderr=subprocess.PIPE,
                           env=env, timeout=120)
    assert p.returncode == 0, p.stderr
    assert "account:  Mereana ?" in (tmp_path / "out.txt").read_text(encoding="cp1252")


# --- paths in reports --------------------------------------------------------------------------

@pytest.mark.parametrize("path, name", [
    ("C:\\Users\\ana\\Downloads\\linkedin\\Shares.csv", "Shares.csv"),
    ("\\\\fileserver\\home$\\ana\\twitter-2026.zip", "twitter-2026.zip"),
    ("D:\\exports\\linkedin\\", "linkedin"),
    ("/home/ana/Downloads/twitter-2026.zip", "twitter-2026.zip"),
    ("C:/Users/ana/mixed\\style.xml", "style.xml"),
    ("Shares.csv", "Shares.csv"),
])
def test_file_name_of_any_path(path, name):
    assert file_name(path) == name


def _strings(value):
    if isinstance(value, dict):
        for v in value.values():
            yield from _strings(v)
    elif isinstance(value, list):
        for v in value:
            yield from _strings(v)
    elif isinstance(value, str):
        yield value


def test_windows_style_paths_never_reach_a_report(run, tmp_path, make_zip):
    # Backslashes are ordinary characters in a Linux file name, so these files carry a whole
    # Windows path in their names, as a path does on Windows.
    shares = tmp_path / "C:\\Users\\ana\\Downloads\\linkedin\\Shares.csv"
    shares.write_text(SHARES_HEADER + '2026-03-01 09:00:00,https://www.linkedin.com/feed/update/urn:li:activity:1,'
                      '"The Government\'s freshwater reforms are a disgrace. Vote them out at the election.",,,'
                      'PUBLIC\n', encoding="utf-8")
    archive = make_zip(LINKEDIN, name="C:\\Users\\ana\\Downloads\\Complete_LinkedInDataExport_11-02-2026.zip")
    out = tmp_path / "r"
    r = run("audit", shares, archive, "--out", out, "-q")
    assert r.exit_code == 0, r.output
    data = json.loads((out / "findings.json").read_text())
    assert data["inputs"] == ["Shares.csv", "Complete_LinkedInDataExport_11-02-2026.zip"]
    assert any(f["source"].startswith("Shares.csv, row ") for f in data["findings"])
    assert {s["input"] for s in data["skipped"]} == {"Complete_LinkedInDataExport_11-02-2026.zip"}
    assert not [s for s in _strings(data) if "\\" in s or "Users" in s]
    for name in OUTPUTS:
        text = (out / name).read_text(encoding="utf-8")
        assert "Users" not in text and "Downloads" not in text and "C:" not in text, name


def test_a_temporary_folder_is_made_private_on_each_system(tmp_path, monkeypatch):
    import tempfile
    from pathlib import Path

    from auditor import _private

    d = Path(tempfile.mkdtemp(dir=tmp_path))
    os.chmod(d, 0o755)
    _private.restrict_dir(d)
    assert oct(os.stat(d).st_mode)[-3:] == "700"
    calls = []
    monkeypatch.setattr(_private, "WINDOWS", True)
    monkeypatch.setattr(_private, "_user_sid", lambda: "S-1-5-21-1")
    monkeypatch.setattr(_private, "runner", calls.append)
    _private.restrict_dir(d)
    assert calls == [["icacls", str(d), "/inheritance:r", "/grant:r", "*S-1-5-21-1:(OI)(CI)F"]]


def test_a_post_travels_to_the_second_process_whole():
    """Posts are pickled as their constructor's arguments (see Post.__reduce__): every field,
    so a field added to Post but not to __reduce__ fails here."""
    import dataclasses
    import datetime as dt
    import pickle

    from auditor.models import Post, PostKind

    values = {f.name: f"value of {f.name}" for f in dataclasses.fields(Post)}
    values.update(kind=PostKind.COMMENT, created_at=dt.datetime(2026, 1, 2, 3, 4, tzinfo=dt.UTC))
    post = Post(**values)
    back = pickle.loads(pickle.dumps(post, protocol=pickle.HIGHEST_PROTOCOL))
    assert back == post and dataclasses.asdict(back) == values
