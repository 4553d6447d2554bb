"""Workshop mode: consent, anonymous summaries, k-anonymous aggregation, the SQLite history,
and the privacy guarantees around them."""

import itertools
import json
import os
import socket
import stat
import string

import pytest
from conftest import ALL, BLUESKY, LINKEDIN, MASTODON, REDDIT, TWITTER, WEBSITE
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from auditor.workshop import checksum

VARIED = [  # twelve participants, each with a different mix of accounts
    [LINKEDIN], [LINKEDIN, TWITTER], [TWITTER], [MASTODON], [LINKEDIN, MASTODON, WEBSITE], [REDDIT],
    [BLUESKY], [LINKEDIN, REDDIT], ALL, [WEBSITE], [TWITTER, MASTODON], [LINKEDIN, BLUESKY, REDDIT],
]


@pytest.fixture(scope="module")
def summaries(tmp_path_factory):
    from click.testing import CliRunner

    from auditor.cli import cli

    tmp = tmp_path_factory.mktemp("ws")
    out = []
    for i, exports in enumerate(VARIED):
        rep = tmp / f"audit{i}"
        r = CliRunner().invoke(cli, ["audit", *map(str, exports), "--out", str(rep), "-q", "--yes", "--format", "json"])
        assert r.exit_code == 0, r.output
        s = tmp / f"summary{i}.json"
        r = CliRunner().invoke(cli, ["workshop", "summary", str(rep), "-o", str(s), "--yes"])
        assert r.exit_code == 0, r.output
        out.append(s)
    return out


def test_summary_holds_counts_only_and_is_private(summaries):
    data = json.loads(summaries[8].read_text())  # the participant with every account
    assert stat.S_IMODE(os.stat(summaries[8]).st_mode) == 0o600
    assert data["checksum"] == checksum(data) and len(data["summary_id"]) == 32
    assert data["accounts"] == 8 and data["highest_exposure"] == "critical"
    assert set(data["accounts_by_platform"]) == {"linkedin", "twitter", "facebook", "mastodon", "reddit", "bluesky",
                                                 "website", "instagram"}
    assert all(len(m) == 7 for m in data["political_by_month"])  # YYYY-MM, nothing finer
    text = json.dumps(data)
    for leak in ("Mereana", "mereana", "Clarke", "MfE", "Ministry", "http", "tuiwatcher", "Luxon", "@"):
        assert leak not in text


def test_scripted_workshop_of_twelve_aggregates_with_suppression(run, summaries, tmp_path):
    r = run("workshop", "aggregate", *summaries, "-o", tmp_path / "dash", "--label", "Policy team")
    assert r.exit_code == 0, r.output
    agg = json.loads((tmp_path / "dash/aggregate.json").read_text())
    assert agg["participants"] == 12 and agg["min_group"] == 5
    # Recount independently from the summaries and compare every cell.
    raw = [json.loads(p.read_text()) for p in summaries]
    expected = {}
    for s in raw:
        expected[("exposure", s["highest_exposure"])] = expected.get(("exposure", s["highest_exposure"]), 0) + 1
        for k, v in s["findings_by_category"].items():
            expected[("category", k)] = expected.get(("category", k), 0) + (v > 0)
        for k, v in s["accounts_by_platform"].items():
            expected[("platform", k)] = expected.get(("platform", k), 0) + (v > 0)
    cells = {(c["dimension"], c["key"]): c for c in agg["cells"]}
    for key, n in expected.items():
        if n == 0:
            continue
        c = cells[key]
        assert c["suppressed"] == (n < 5) and c["participants"] == (n if n >= 5 else None), key
    assert any(c["suppressed"] for c in agg["cells"]) and any(not c["suppressed"] for c in agg["cells"])
    html = (tmp_path / "dash/dashboard.html").read_text()
    assert "fewer than 5" in html and "Talking points" in html and "default-src 'none'" in html
    csv_text = (tmp_path / "dash/aggregate.csv").read_text()
    assert csv_text.startswith("dimension,key,participants,suppressed") and "total,participants,12" in csv_text


def test_bad_summaries_are_rejected_one_by_one(run, summaries, tmp_path):
    good = summaries[:6]
    broken = tmp_path / "broken.json"
    broken.write_text('{"kind": "separation-auditor workshop summary", ')
    edited = tmp_path / "edited.json"
    d = json.loads(summaries[0].read_text())
    d["findings"] += 100
    edited.write_text(json.dumps(d))
    old = tmp_path / "old.json"
    d = json.loads(summaries[1].read_text())
    d["schema_version"] = "0.9"
    d["checksum"] = checksum(d)
    old.write_text(json.dumps(d))
    other = tmp_path / "other.json"
    other.write_text(json.dumps({"hello": "world"}))
    duplicate = tmp_path / "again.json"
    duplicate.write_text(summaries[2].read_text())
    r = run("workshop", "aggregate", *good, broken, edited, old, other, duplicate, "-o", tmp_path / "d")
    assert r.exit_code == 0
    err = r.stderr
    assert "broken.json: is not JSON" in err
    assert "edited.json: was changed after it was written" in err
    assert "old.json: made by a different version" in err
    assert "other.json: not a workshop summary" in err
    assert "again.json: is a duplicate of" in err
    assert json.loads((tmp_path / "d/aggregate.json").read_text())["participants"] == 6


def test_fewer_than_k_hides_everything(run, summaries, tmp_path):
    r = run("workshop", "aggregate", *summaries[:3], "-o", tmp_path / "d")
    agg = json.loads((tmp_path / "d/aggregate.json").read_text())
    assert r.exit_code == 0 and agg["all_suppressed"] and all(c["suppressed"] for c in agg["cells"])
    assert "every breakdown is hidden" in (tmp_path / "d/dashboard.html").read_text()


def test_sqlite_history_over_sessions(run, summaries, tmp_path):
    db = tmp_path / "workshop.sqlite"
    assert run("workshop", "aggregate", *summaries[:7], "-o", tmp_path / "s1", "--db", db, "--label", "March").exit_code == 0
    r = run("workshop", "aggregate", *summaries[6:], "-o", tmp_path / "s2", "--db", db, "--label", "June")
    assert r.exit_code == 0 and "already counted in an earlier session" in r.stderr  # summary 6 was in March
    h = run("workshop", "history", "--db", db)
    assert h.exit_code == 0
    lines = h.stdout.strip().splitlines()
    assert len(lines) == 3 and "March" in lines[1] and "June" in lines[2]
    assert " 7 " in lines[1] and " 5 " in lines[2]
    import sqlite3
    assert sqlite3.connect(db).execute("PRAGMA user_version").fetchone()[0] == 2
    assert oct(db.stat().st_mode)[-3:] == "600"  # a new database is private to the facilitator


def test_database_from_the_future_is_refused(run, summaries, tmp_path):
    import sqlite3
    db = tmp_path / "future.sqlite"
    con = sqlite3.connect(db)
    con.execute("PRAGMA user_version = 99")
    con.close()
    r = run("workshop", "history", "--db", db)
    assert r.exit_code == 2 and "newer version of the tool" in r.stderr


def test_migration_from_version_one(tmp_path):
    import sqlite3

    from auditor.workshop_db import MIGRATIONS, connect
    db = tmp_path / "v1.sqlite"
    con = sqlite3.connect(db)
    con.executescript(MIGRATIONS[0] + "PRAGMA user_version = 1;")
    con.execute("INSERT INTO sessions VALUES (1, 'old', '2026-01-01', 'nz', 6, 5)")
    con.commit()
    con.close()
    con = connect(db)
    assert con.execute("PRAGMA user_version").fetchone()[0] == 2
    assert con.execute("SELECT label FROM sessions").fetchone()[0] == "old"
    assert con.execute("SELECT count(*) FROM counted_summaries").fetchone()[0] == 0


# --- consent ---------------------------------------------------------------------------------

def test_consent_is_asked_once_then_remembered_and_recorded(run, tmp_path, monkeypatch):
    from click.testing import CliRunner

    from auditor.cli import cli
    monkeypatch.delenv("AUDITOR_YES")
    import auditor.consent as consent
    monkeypatch.setattr(consent, "stdin_is_terminal", lambda: True)
    r = CliRunner().invoke(cli, ["audit", str(REDDIT), "--out", str(tmp_path / "a"), "-q"], input="n\n")
    assert r.exit_code == 2 and "not confirmed" in r.stderr and not (tmp_path / "a").exists()
    r = CliRunner().invoke(cli, ["audit", str(REDDIT), "--out", str(tmp_path / "b"), "-q"], input="y\n")
    assert r.exit_code == 0 and "does not send anything" in r.stderr
    assert json.loads((tmp_path / "b/findings.json").read_text())["consent"]["how"] == "prompt"
    r = CliRunner().invoke(cli, ["audit", str(REDDIT), "--out", str(tmp_path / "c"), "-q"])  # no input needed now
    c = json.loads((tmp_path / "c/findings.json").read_text())["consent"]
    assert r.exit_code == 0 and c["how"] == "remembered" and c["tool_version"]


def test_consent_without_a_terminal_needs_yes(run, tmp_path, monkeypatch):
    monkeypatch.delenv("AUDITOR_YES")
    r = run("audit", REDDIT, "--out", tmp_path / "a", "-q")
    assert r.exit_code == 2 and "--yes" in r.stderr and not (tmp_path / "a").exists()
    r = run("audit", REDDIT, "--out", tmp_path / "b", "-q", "--yes")
    assert r.exit_code == 0 and json.loads((tmp_path / "b/findings.json").read_text())["consent"]["how"] == "--yes"


def test_summary_is_shown_and_asked_before_writing(run, tmp_path):
    assert run("audit", REDDIT, "--out", tmp_path / "a", "-q").exit_code == 0
    r = run("workshop", "summary", tmp_path / "a", "-o", tmp_path / "s.json")
    assert r.exit_code == 2 and '"summary_id"' in r.stderr and not (tmp_path / "s.json").exists()


# --- privacy ---------------------------------------------------------------------------------

def test_full_audit_of_every_fixture_opens_no_socket(run, tmp_path, monkeypatch):
    def refuse(*a, **k):
        raise AssertionError("network access during an audit")
    for name in ("connect", "connect_ex", "sendto"):
        monkeypatch.setattr(socket.socket, name, refuse)
    monkeypatch.setattr(socket, "create_connection", refuse)
    monkeypatch.setattr(socket, "getaddrinfo", refuse)
    r = run("audit", *ALL, "--out", tmp_path / "r", "-q")
    assert r.exit_code == 0, r.output
    assert run("workshop", "summary", tmp_path / "r", "-o", tmp_path / "s.json", "--yes").exit_code == 0


WORD = st.text(alphabet=string.ascii_letters + string.digits + "_", min_size=8, max_size=14)


def _pipeline(tmp, handles, posts):
    """Audit an export built from ``handles`` and ``posts``, summarise, aggregate; return every output text."""
    from click.testing import CliRunner

    from auditor.cli import cli
    exp = tmp / "export"
    exp.mkdir()
    (exp / "Profile.csv").write_text(
        "First Name,Last Name,Maiden Name,Address,Birth Date,Headline,Summary,Industry,Zip Code,Geo Location,"
        "Twitter Handles,Websites,Instant Messengers\n"
        f"{handles[0]},{handles[-1]},,,,Policy Advisor at Ministry for the Environment,,,,,[{'|'.join(handles)}],"
        f"[https://{handles[0].lower()}.nz],\n")
    rows = "".join(f'2024-0{1 + i % 9}-01 10:00:00,https://www.linkedin.com/feed/update/urn:li:share:{i}{handles[0]},'
                   f'"{p} Vote them out! Shame on Luxon #nzpol {p}",,,PUBLIC\n' for i, p in enumerate(posts))
    (exp / "Shares.csv").write_text("Date,ShareLink,ShareCommentary,SharedUrl,MediaUrl,Visibility\n" + rows)
    runner = CliRunner(env={"AUDITOR_YES": "1"})
    assert runner.invoke(cli, ["audit", str(exp), "--out", str(tmp / "r"), "-q"]).exit_code == 0
    findings = (tmp / "r/findings.json").read_text()
    assert all(p in findings for p in posts)  # the report itself does hold them: the check below is not vacuous
    assert runner.invoke(cli, ["workshop", "summary", str(tmp / "r"), "-o", str(tmp / "s.json"), "--yes"]).exit_code == 0
    assert runner.invoke(cli, ["workshop", "aggregate", str(tmp / "s.json"), "-o", str(tmp / "agg"),
                               "--min-group", "2"]).exit_code == 0
    return [(tmp / "s.json").read_text()] + [p.read_text() for p in sorted((tmp / "agg").iterdir())]


@pytest.fixture(scope="module")
def vocabulary(tmp_path_factory):
    """What the outputs say whatever the input: field names, rule ids, the pack's talking points."""
    return "\n".join(_pipeline(tmp_path_factory.mktemp("vocab"), ["Qx7Qx7Qx7"], ["Zk3Zk3Zk3", "Wj5Wj5Wj5"]))


@settings(max_examples=15, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(handles=st.lists(WORD, min_size=1, max_size=3, unique=True), posts=st.lists(WORD, min_size=2, max_size=6))
def test_no_eight_character_substring_of_any_post_or_handle_reaches_a_summary_or_aggregate(tmp_path_factory, vocabulary,
                                                                                           handles, posts):
    outputs = _pipeline(tmp_path_factory.mktemp("priv"), handles, posts)
    assert _leaks(outputs, handles + posts, vocabulary) == []


def _leaks(outputs: list[str], secrets: list[str], vocabulary: str) -> list[str]:
    """Every 8-character piece of a secret that appears in an output, except the tool's own
    words ("findings", "WORKROLE"), which are in the vocabulary whatever the input."""
    found = []
    for secret in secrets:
        for i in range(len(secret) - 7):
            piece = secret[i:i + 8]
            if piece not in vocabulary and any(piece in out for out in outputs):
                found.append(piece)
    return found


def test_privacy_check_itself_would_catch_a_leak(vocabulary):
    # Guard against a privacy test that cannot fail: the same check, on an output that does
    # carry a piece of a post, reports it; on one that does not, reports nothing.
    post = "Vote them out xYz12345abc"
    assert "xYz12345" in _leaks(['{"note": "... xYz12345abc ..."}'], [post], vocabulary)
    assert _leaks(['{"findings": 3}'], [post], vocabulary) == []


def test_every_combination_is_distinct():
    assert len({tuple(map(str, v)) for v in VARIED}) == len(VARIED) == 12
    assert len(list(itertools.chain.from_iterable(VARIED))) > 12


def test_history_never_writes_to_a_database_that_is_not_the_tools(run, tmp_path):
    # issue 14, defect 4: a read command must never write
    import hashlib
    import sqlite3

    other = tmp_path / "other.sqlite"
    con = sqlite3.connect(other)
    con.execute("CREATE TABLE notes (x TEXT)")
    con.commit()
    con.close()
    before = hashlib.sha256(other.read_bytes()).hexdigest()
    r = run("workshop", "history", "--db", other)
    assert r.exit_code == 2 and "is not a workshop database" in r.stderr
    assert hashlib.sha256(other.read_bytes()).hexdigest() == before
    tables = {t for (t,) in sqlite3.connect(other).execute("SELECT name FROM sqlite_master WHERE type='table'")}
    assert tables == {"notes"}


def _summary(exposure, categories, rules, tied):
    return {"policy": "nz", "highest_exposure": exposure, "work_identity_tied_to_political_content": tied,
            "findings_by_category": categories, "findings_by_rule": rules, "accounts_by_platform": {"linkedin": 1},
            "accounts_by_tie": {"direct": 1}, "ties_by_kind": {}, "findings_by_severity": {}}


def test_aggregate_rows_do_not_reveal_what_someone_had():
    # issue 14, defect 11: with every cell hidden, the rows must be the same whether or not one
    # participant had a grievance finding and a critical exposure
    from auditor.workshop import aggregate

    quiet = [_summary("low", {}, {}, False) for _ in range(3)]
    loud = quiet[:2] + [_summary("critical", {"grievance": 2}, {"NZ-GRIEVANCE": 2}, True)]
    a, b = aggregate(quiet, min_group=5), aggregate(loud, min_group=5)
    rows = lambda agg: [(c["dimension"], c["key"], c["participants"], c["suppressed"]) for c in agg["cells"]]  # noqa: E731
    assert rows(a) == rows(b)
    keys = {(c["dimension"], c["key"]) for c in a["cells"]}
    assert ("category", "grievance") in keys and ("exposure", "critical") in keys and ("platform", "mastodon") in keys
    assert any(k[0] == "rule" and k[1].startswith("NZ-") for k in keys)
