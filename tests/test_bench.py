"""The benchmark's generator writes archives in the real formats (checked small and fast here);
bench/run.py itself is run by hand, never as a timed unit test."""

import io
import json
import re
import subprocess
import sys

from conftest import ROOT

from auditor.cli import Progress
from auditor.ingest import load_export, sniff


def test_generated_archives_are_real_exports(tmp_path):
    subprocess.run([sys.executable, str(ROOT / "bench/generate.py"), "--out", str(tmp_path), "--tweets", "300",
                    "--linkedin", "120", "--zip"], check=True, capture_output=True)
    for name, platform, n in (("twitter", "twitter", 337), ("linkedin", "linkedin", 120)):
        for path in (tmp_path / name, tmp_path / f"{name}.zip"):
            assert sniff(path).name == platform
            assert sum(1 for _ in load_export(path).posts()) == n


def test_same_seed_same_bytes(tmp_path):
    for d in ("a", "b"):
        subprocess.run([sys.executable, str(ROOT / "bench/generate.py"), "--out", str(tmp_path / d), "--tweets",
                        "50", "--linkedin", "0"], check=True, capture_output=True)
    assert (tmp_path / "a/twitter/data/tweets.js").read_bytes() == (tmp_path / "b/twitter/data/tweets.js").read_bytes()


class _Tty(io.StringIO):
    def isatty(self):
        return True


def test_progress_only_on_a_terminal_and_not_when_quiet():
    quiet, pipe, tty = io.StringIO(), io.StringIO(), _Tty()
    for stream, enabled in ((pipe, True), (quiet, False), (tty, True)):
        with Progress(enabled=enabled, stream=stream) as p:
            p._last = -1.0  # draw on the first eligible update
            for _ in range(1024):
                p.add()
    assert pipe.getvalue() == "" and quiet.getvalue() == ""
    assert "items read" in tty.getvalue()


def test_agreement_counts_and_kappa_from_the_committed_readings():
    sys.path.insert(0, str(ROOT / "bench"))
    import agreement as A

    first = {("x", str(i)): {"political": int(i < 10)} for i in range(100)}
    second = {("x", str(i)): {"political": int(5 <= i < 15)} for i in range(100)}
    a = A.agreement(first, second, "political")
    assert (a["first"], a["second"], a["both"]) == (10, 10, 5)
    assert a["precision"] == a["recall"] == 0.5
    # po = 0.9, pe = 0.1*0.1 + 0.9*0.9 = 0.82: kappa = 0.08 / 0.18
    assert abs(a["kappa"] - 0.08 / 0.18) < 1e-9
    # the committed second reading covers every random English post of the test people
    f, s = A.readings()
    assert len(f) > 2000 and set(f) <= set(s)
    # and every random French one (read twice for the French political model)
    f, s = A.readings(lang="fr")
    assert len(f) == 708 and set(f) <= set(s)
    assert A.agreement(f, s, "political")["kappa"] > 0.8
    # and every random Spanish, German and Dutch one
    for lang, n in (("es", 268), ("de", 898), ("nl", 1643)):
        f, s = A.readings(lang=lang)
        assert len(f) == n and set(f) <= set(s)
        assert A.agreement(f, s, "political")["kappa"] > 0.8


def test_a_one_language_draw_measures_that_language_only():
    """The German test people's posts were drawn among those read as German: the two that a
    reader found to be English are not random English posts of theirs, so they join no English
    figure (and the English random set stays the 2,367 posts read twice)."""
    sys.path.insert(0, str(ROOT / "training"))
    import corpora as C

    assert C.drawn_elsewhere("DT2", "en") and not C.drawn_elsewhere("DT2", "de")
    assert C.drawn_elsewhere("NT1", "en") and not C.drawn_elsewhere("NT1", "nl") and not C.drawn_elsewhere("N", "en")
    assert C.drawn_elsewhere("T2g", "en") and not C.drawn_elsewhere("T2a", "en") and not C.drawn_elsewhere("A", "en")


def test_agreement_scores_the_detectors_against_each_reading(tmp_path, capsys):
    sys.path.insert(0, str(ROOT / "bench"))
    import agreement as A

    (tmp_path / "personal").mkdir()
    posts = [("a", "Vote them out: this government has failed on housing and the minister must resign.", 1),
             ("b", "Made pancakes with the kids this morning.", 0)]
    (tmp_path / "personal" / "labels_T.jsonl").write_text(
        "".join(json.dumps({"source": "x:p/t", "id": i, "text": t}) + "\n" for i, t, _ in posts), encoding="utf-8")
    first = {("x:p/t", i): {"political": y, "disrespect": 0, "grievance": 0} for i, _, y in posts}
    second = {("x:p/t", i): {"political": 1, "disrespect": 0, "grievance": 0} for i, _, _ in posts}
    assert A.texts(tmp_path, set(first)) == {("x:p/t", i): t for i, t, _ in posts}
    A.models(first, second, tmp_path, semantic=False)
    out = capsys.readouterr().out
    assert "on 2 posts" in out
    # the political post is found: precision 1 against the first reading, recall 0.5 against the second
    assert re.search(r"political\s+first\s+1\s+1\.00\s+1\.00", out)
    assert re.search(r"political\s+second\s+2\s+1\.00\s+0\.50", out)


def test_quality_reports_the_test_peoples_draws_apart(tmp_path):
    """bench/quality.py: the first random draw, the second one (T2*, ``random-2``) and the posts
    picked by score are separate rows; a develop person's posts are never measured on."""
    sys.path.insert(0, str(ROOT / "bench"))
    import quality

    folder = tmp_path / "personal"
    folder.mkdir()
    base = {"source": "x:lisaphillips/tweets", "lang": "en", "political": 1, "political_kind": "policy",
            "disrespect": 0, "grievance": 0}
    rows = [{**base, "id": "1", "text": "Vote them out", "selection": "random"},
            {**base, "id": "2", "text": "Tax the rich", "selection": "random-2"},
            {**base, "id": "3", "text": "The budget is a disgrace", "selection": "stratum:pol"},
            {**base, "source": "x:phocks/tweets", "id": "4", "text": "A develop person", "selection": "random-2"}]
    (folder / "labels_T2a.jsonl").write_text("".join(json.dumps(r) + "\n" for r in rows), encoding="utf-8")
    items = quality.held_out("political", tmp_path, tmp_path)
    assert [(t, src.removeprefix("personal exports, test people, ")) for t, _, src in items] == [
        ("Vote them out", "random, English"), ("Tax the rich", "second random draw, English"),
        ("The budget is a disgrace", "selected by score, English")]
    assert ("political", quality._RANDOM2_EN) in quality.TARGETS


def test_bench_measures_the_checkout_it_is_pointed_at(tmp_path):
    """bench/run.py --against DIR runs the other checkout's code: DIR comes first on the path
    (and is the working folder, which ``python -c`` puts before everything)."""
    import os

    sys.path.insert(0, str(ROOT / "bench"))
    import run as bench_run

    env = bench_run._env(tmp_path)
    assert env["PYTHONPATH"].split(os.pathsep)[0] == str(tmp_path)
    out = subprocess.run([sys.executable, "-c", "import auditor; print(auditor.__file__)"], env=bench_run._env(ROOT),
                         cwd=ROOT, capture_output=True, text=True, check=True).stdout
    assert out.startswith(str(ROOT))


def test_by_kind_counts_each_draw_and_kind_of_the_test_people_only(tmp_path, capsys):
    """bench/by_kind.py: the test people's random English posts by draw and labelled kind; a
    develop person's posts, another language and posts picked by score are left out."""
    sys.path.insert(0, str(ROOT / "bench"))
    import by_kind

    folder = tmp_path / "personal"
    folder.mkdir()
    base = {"source": "x:lisaphillips/tweets", "lang": "en", "political": 1, "disrespect": 0, "grievance": 0}
    vote = "Vote them out: this government has failed on housing and the minister must resign. #nzpol"
    rows = [{**base, "id": "1", "text": vote, "selection": "random", "political_kind": "partisan"},
            {**base, "id": "2", "text": "Made pancakes with the kids.", "selection": "random", "political": 0,
             "political_kind": "none"},
            {**base, "id": "3", "text": vote, "selection": "random-2", "political_kind": "policy"},
            {**base, "id": "4", "text": vote, "selection": "stratum:pol", "political_kind": "partisan"},
            {**base, "id": "5", "text": vote, "selection": "random", "political_kind": "policy", "lang": "fr"},
            {**base, "source": "x:phocks/tweets", "id": "6", "text": vote, "selection": "random",
             "political_kind": "civic"}]
    (folder / "labels_T.jsonl").write_text("".join(json.dumps(r) + "\n" for r in rows), encoding="utf-8")
    assert by_kind.main(["--cache", str(tmp_path)]) == 0
    out = capsys.readouterr().out
    assert re.search(r"first draw\s+partisan\s+1\s+1\s+1", out)
    assert re.search(r"first draw\s+everyday\s+1\s+0 FA\s+0 FA", out)
    assert re.search(r"second draw\s+policy\s+1\s+1\s+1", out)
    assert "civic" not in out and len(out.strip().splitlines()) == 4


def test_kind_reads_the_test_peoples_political_posts_with_and_without_the_partisan_model(tmp_path, capsys):
    """bench/kind.py: every labelled political English post of the test people, once each, its
    labelled kind against the kind reported; everyday posts, develop people and other languages
    left out."""
    sys.path.insert(0, str(ROOT / "bench"))
    import kind

    folder = tmp_path / "personal"
    folder.mkdir()
    base = {"source": "x:lisaphillips/tweets", "lang": "en", "political": 1, "disrespect": 0, "grievance": 0,
            "selection": "random"}
    dems = "Dems and their big government spending again. Typical."
    rows = [{**base, "id": "1", "text": dems, "political_kind": "partisan"},
            {**base, "id": "2", "text": dems, "political_kind": "partisan", "selection": "random-2"},  # the same post
            {**base, "id": "3", "text": "Made pancakes with the kids.", "political": 0, "political_kind": "none"},
            {**base, "id": "4", "text": "Tax cuts for landlords paid for by cutting hospitals. This government "
             "has no shame.", "political_kind": "policy"},
            {**base, "id": "5", "text": dems, "political_kind": "policy", "lang": "fr"},
            {**base, "source": "x:phocks/tweets", "id": "6", "text": dems + " Again.", "political_kind": "civic"}]
    (folder / "labels_T.jsonl").write_text("".join(json.dumps(r) + "\n" for r in rows), encoding="utf-8")
    assert kind.main(["--cache", str(tmp_path)]) == 0
    out = capsys.readouterr().out
    assert out.startswith("2 political posts of the test people: 1 partisan, 1 policy, 0 civic")
    alone, model = out.split("\nwith the partisan model")
    assert re.search(r"\npartisan\s+0\s+1\s+0\s+0\n", alone) and "recall 0.00 (0 of 1)" in alone
    assert re.search(r"\npartisan\s+1\s+0\s+0\s+0\n", model) and "precision 1.00 (1 of 1), recall 1.00" in model
    assert re.search(r"\npolicy\s+0\s+1\s+0\s+0\n", model)
