"""The people whose hand-labelled posts the models learn from and are measured on (training/)."""

import json
import sys
from collections import Counter
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "training"))

import build_models as B  # noqa: E402
import corpora as C  # noqa: E402
from collect import personal  # noqa: E402

FRENCH_ONLY = ["personal:sametmax/miroir-du-blog", "personal:benjam1nm/twitter", "personal:davidbgk/boris.schapira.dev"]


def _labels():
    with open(ROOT / "training" / "labels" / "personal.jsonl", encoding="utf-8") as fh:
        return [json.loads(line) for line in fh if line.strip()]


@pytest.mark.parametrize("person", FRENCH_ONLY)
def test_french_people_serve_french_models_only(person):
    only = B.person_languages()
    assert B.serves(person, "fr", only)
    # The English models must come out exactly as before the French people were added.
    assert not B.serves(person, "en", only)
    assert person not in B.test_people()  # develop people: they train and choose thresholds


def test_the_spanish_develop_person_serves_spanish_models_only():
    only = B.person_languages()
    person = "personal:el3ctron/el3ctron.github.io"
    assert B.serves(person, "es", only) and not B.serves(person, "en", only) and not B.serves(person, "fr", only)
    assert person not in B.test_people()
    rows = [o for o in _labels() if o["file"].startswith("ES1")]
    assert len(rows) == 600 and {o["selection"] for o in rows} == {"random"} and {o["lang"] for o in rows} == {"es"}
    assert {o["source"] for o in rows} == {"x:el3ctron/el3ctron.github.io"}
    assert len({o["id"] for o in rows}) == 600 and sum(o["political"] for o in rows) >= 100


def test_the_dutch_people_serve_the_dutch_model_only_and_were_read_at_random():
    """The Dutch round (issue 12): four develop people and three test people, split when found;
    the test people's posts drawn at random among those read as Dutch, read twice."""
    only = B.person_languages()
    dutch = [p for p, langs in only.items() if langs == {"nl"}]
    assert len(dutch) == 7
    assert all(not B.serves(p, "en", only) and B.serves(p, "nl", only) for p in dutch)
    assert {p for p in dutch if p in B.test_people()} == {
        "personal:frankmeeuwsen/TwitterArchive", "personal:Pandaqi/Tiamo-Pastoor", "personal:reinier/fyi"}
    rows = [o for o in _labels() if o["file"][:2] in ("NT", "ND")]
    assert len(rows) == 1643 + 600 and {o["selection"] for o in rows} == {"random"}
    assert all((o["political"] == 1) == (o["political_kind"] != "none") for o in rows)
    assert {o["source"].split(":", 1)[1].split("/")[0] for o in rows if o["file"].startswith("NT")} == {
        "frankmeeuwsen", "Pandaqi", "reinier"}
    with open(ROOT / "training" / "labels" / "nl_reddit.jsonl", encoding="utf-8") as fh:
        reddit = [json.loads(line) for line in fh if line.strip()]
    assert len(reddit) == 360 and {o["source"] for o in reddit} == {"reddit:umbrae-netherlands", "reddit:umbrae-belgium"}
    assert all(set(o) == {"source", "id", "lang", "political", "political_kind", "disrespect", "grievance", "file"}
               for o in reddit)


def test_everyone_else_serves_every_language():
    only = B.person_languages()
    assert B.serves("personal:dgageot/tweets", "fr", only) and B.serves("personal:dgageot/tweets", "en", only)


def test_every_person_named_has_a_recorded_source():
    repos = {s.repo for s in personal.SOURCES}
    people = set(B.test_people()) | set(B.person_languages())
    assert {p.split(":", 1)[1] for p in people} <= repos


def test_french_labels():
    rows = [o for o in _labels() if o["file"] == "FR"]
    assert len(rows) >= 1500
    assert {o["lang"] for o in rows} == {"fr"}
    sel = Counter(o["selection"] for o in rows)
    assert sel["random"] >= 1200 and set(sel) == {"random", "score:political_fr+keywords"}
    # both sides of the French split have labelled political posts
    testers = B.test_people()
    pos = Counter(("test" if "personal:" + o["source"].split(":", 1)[1] in testers else "develop")
                  for o in rows if o["political"])
    assert pos["test"] >= 30 and pos["develop"] >= 30
    assert all((o["political"] == 1) == (o["political_kind"] != "none") for o in rows)


def test_no_french_post_is_labelled_twice():
    labels = _labels()
    keys = Counter((o["source"], o["id"]) for o in labels)
    assert not [o for o in labels if o["file"] == "FR" and keys[(o["source"], o["id"])] > 1]


def test_active_learning_rounds_draw_develop_people_only():
    """Posts picked by a model's score (files AL*) come from develop people: a test person's post
    picked that way would let the models choose their own test set."""
    labels = [o for o in _labels() if o["file"].startswith("AL")]
    assert len(labels) >= 8000
    testers = B.test_people()
    assert not [o for o in labels if "personal:" + o["source"].split(":", 1)[1] in testers]
    keys = Counter((o["source"], o["id"]) for o in _labels())
    assert not [o for o in labels if keys[(o["source"], o["id"])] > 1]
    assert {o["selection"] for o in labels} >= {"random", "score:disrespect", "score:political-semantic"}


def test_label_files_not_trained_on_are_skipped(tmp_path):
    import corpora as C

    folder = tmp_path / "personal"
    folder.mkdir()
    row = {"source": "x:someone/tweets", "id": "1", "text": "Vote for the new tax plan", "lang": "en",
           "selection": "random", "political": 1, "political_kind": "policy", "disrespect": 0, "grievance": 0}
    for name in ("A", "AL4", "AL5", "AL16"):
        (folder / f"labels_{name}.jsonl").write_text(json.dumps({**row, "id": name}) + "\n", encoding="utf-8")
    assert "AL5" in C.NOT_TRAINED and "AL4" not in C.NOT_TRAINED
    rows = list(C.personal(tmp_path, "political"))
    assert len(rows) == 2 and all(r.source == "personal:someone/tweets" for r in rows)


def test_second_random_draw_is_test_people_only():
    """File T2* (selection ``random-2``) measures only: every post is a test person's, drawn at
    random, and none was labelled before."""
    labels = [o for o in _labels() if o["file"].startswith("T2")]
    assert len(labels) == 3429 and {o["selection"] for o in labels} == {"random-2"}
    testers = B.test_people()
    assert all("personal:" + o["source"].split(":", 1)[1] in testers for o in labels)
    keys = Counter((o["source"], o["id"]) for o in _labels())
    assert all(keys[(o["source"], o["id"])] == 1 for o in labels)


def test_the_second_french_round_labels_develop_people_only():
    """Files FR2* (1,050 more random posts of sametmax) and FR3* (600 random posts of a French
    blog) train political_fr and choose its threshold: never a test person's post."""
    rows = [o for o in _labels() if o["file"].startswith(("FR2", "FR3"))]
    assert len(rows) == 1650
    testers = B.test_people()
    assert not [o for o in rows if "personal:" + o["source"].split(":", 1)[1] in testers]
    assert {o["selection"] for o in rows} == {"random"} and {o["lang"] for o in rows} <= {"fr", "en", "und"}
    assert all((o["political"] == 1) == (o["political_kind"] != "none") for o in rows)
    keys = Counter((o["source"], o["id"]) for o in _labels())
    assert not [o for o in rows if keys[(o["source"], o["id"])] > 1]
    assert sum(o["political"] for o in rows if o["file"].startswith("FR3")) >= 30


def test_french_reddit_labels_are_ids_and_labels_only():
    with open(ROOT / "training" / "labels" / "fr_reddit.jsonl", encoding="utf-8") as fh:
        rows = [json.loads(line) for line in fh if line.strip()]
    assert len(rows) == 1779
    assert {o["source"] for o in rows} == {"reddit:umbrae-france", "reddit:umbrae-quebec", "reddit:umbrae-montreal"}
    assert all(set(o) == {"source", "id", "lang", "political", "political_kind", "disrespect", "grievance", "file"}
               for o in rows)
    assert len({(o["source"], o["id"]) for o in rows}) == len(rows)
    assert all((o["political"] == 1) == (o["political_kind"] != "none") for o in rows)


def test_spanish_reddit_labels_are_ids_and_labels_only():
    with open(ROOT / "training" / "labels" / "es_reddit.jsonl", encoding="utf-8") as fh:
        rows = [json.loads(line) for line in fh if line.strip()]
    assert len(rows) == 1577
    assert {o["source"] for o in rows} == {"reddit:umbrae-argentina", "reddit:umbrae-mexico"}
    assert {o["file"] for o in rows} == {"S1", "S2", "S3", "S4"}
    assert all(set(o) == {"source", "id", "lang", "political", "political_kind", "disrespect", "grievance", "file"}
               for o in rows)
    assert len({(o["source"], o["id"]) for o in rows}) == len(rows)
    assert all((o["political"] == 1) == (o["political_kind"] != "none") for o in rows)


class _Mirror:
    """A stand-in for the snapshots: files by path."""

    def __init__(self, files):
        self.files = files

    def text(self, repo, commit, path):
        return self.files[path]

    def ls(self, repo, commit, folder=""):
        return [p for p in self.files if p.startswith(folder)]


def test_french_reddit_posts_are_joined_with_their_labels_by_id(tmp_path):
    from collect import lang_political as L

    labels = tmp_path / "fr_reddit.jsonl"
    labels.write_text(
        '{"source":"reddit:umbrae-france","id":"a1","lang":"fr","political":1,"political_kind":"partisan",'
        '"disrespect":0,"grievance":0,"file":"R1"}\n'
        '{"source":"reddit:umbrae-quebec","id":"b2","lang":"fr","political":0,"political_kind":"none",'
        '"disrespect":0,"grievance":0,"file":"R1"}\n'
        '{"source":"reddit:umbrae-quebec","id":"c3","lang":"en","political":0,"political_kind":"none",'
        '"disrespect":0,"grievance":0,"file":"R2"}\n', encoding="utf-8")
    head = "id,title,selftext\n"
    m = _Mirror({"data/france.csv": head + 'a1,Sarkozy &amp; la TVA,"Encore une hausse."\nzz,Non lu,\n',
                 "data/Quebec.csv": head + "b2,Poutine du jour,\nc3,In English,\n",
                 "data/montreal.csv": head})
    rows = L.fr_reddit(m, labels)
    assert [(r["source"], r["label"], r["kind"], r["text"]) for r in rows] == [
        ("fr:reddit-france-labelled", 1, "hand", "Sarkozy & la TVA\n\nEncore une hausse."),
        ("fr:reddit-quebec-labelled", 0, "hand", "Poutine du jour")]
    assert B.hand_labelled(C.Row("x", 1, "fr:reddit-france-labelled", "hand", "fr"))


def test_spanish_reddit_posts_keep_only_what_the_reader_read_as_spanish(tmp_path):
    from collect import lang_political as L

    labels = tmp_path / "es_reddit.jsonl"
    labels.write_text(
        '{"source":"reddit:umbrae-argentina","id":"a1","lang":"es","political":1,"political_kind":"policy",'
        '"disrespect":0,"grievance":0,"file":"S1"}\n'
        '{"source":"reddit:umbrae-mexico","id":"b2","lang":"en","political":0,"political_kind":"none",'
        '"disrespect":0,"grievance":0,"file":"S2"}\n', encoding="utf-8")
    head = "id,title,selftext\n"
    m = _Mirror({"data/argentina.csv": head + "a1,El cepo cambiario,\n", "data/mexico.csv": head + "b2,In English,\n"})
    rows = L.es_reddit(m, labels)
    assert [(r["source"], r["label"], r["kind"], r["text"]) for r in rows] == [
        ("es:reddit-argentina-labelled", 1, "hand", "El cepo cambiario")]


def test_an_xlsx_sheet_is_read_without_a_spreadsheet_library():
    """FakeDeS ships .xlsx; the collector reads the first sheet with the standard library
    (shared strings, inline strings and numbers)."""
    import io
    import zipfile

    from collect import lang_political as L

    ns = 'xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"'
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as z:
        z.writestr("xl/sharedStrings.xml", f'<sst {ns}><si><t>Topic</t></si><si><t>Text</t></si>'
                                           f'<si><r><t>Poli</t></r><r><t>tics</t></r></si></sst>')
        z.writestr("xl/worksheets/sheet1.xml", f'<worksheet {ns}><sheetData>'
                   '<row r="1"><c r="A1" t="s"><v>0</v></c><c r="B1" t="s"><v>1</v></c><c r="C1"><v>7</v></c></row>'
                   '<row r="2"><c r="A2" t="s"><v>2</v></c><c r="B2" t="inlineStr"><is><t>La reforma</t></is></c>'
                   '<c r="C2"><v>3</v></c></row></sheetData></worksheet>')
    assert L.xlsx_rows(buf.getvalue()) == [{"Topic": "Politics", "Text": "La reforma", "7": "3"}]


def test_a_jekyll_blog_pool_holds_title_and_text_without_front_matter():
    m = _Mirror({"_posts/fr/citoyen/2007/2007-05-02-debat.md":
                 "---\ntitle: 'Le débat #1'\ntags:\n  - Débat\n---\n\nJe suis revenu.\n\n<!-- more -->\n\n"
                 "{% include note.html %}Un [lien](https://exemple.fr) et ![img](a.png) fin.\n",
                 "_posts/en/2008-01-01-other.md": "---\ntitle: x\n---\nEnglish"})
    rows = personal._jekyll(m, personal.F_BLOG, "_posts/fr/")
    assert len(rows) == 1
    r = rows[0]
    assert r["id"] == "2007-05-02-debat" and r["created_at"] == "2007-05-02"
    assert r["text"] == "Le débat #1\n\nJe suis revenu.\n\nUn lien (https://exemple.fr) et  fin."


def test_a_pelican_blog_pool_holds_published_posts_with_their_title():
    m = _Mirror({"content/wahl.md": "Title: Zweimal Wahlfälschung\nDate: 2010-02-17 16:07\nTags: Politik\n"
                                    "Status: published\n\nIm Herbst ist [Wahl](http://x.de) in Schweden.\n",
                 "content/entwurf.md": "Title: Entwurf\nStatus: draft\n\nNoch nicht fertig.\n",
                 "content/images/bild.md": "Title: nicht hier\n\nUnterordner.\n"})
    rows = personal._pelican(m, personal.H_PELICAN, "content/")
    assert [(r["id"], r["text"], r["created_at"]) for r in rows] == [
        ("wahl", "Zweimal Wahlfälschung\n\nIm Herbst ist Wahl (http://x.de) in Schweden.", "2010-02-17 16:07")]


def test_a_hugo_blog_pool_holds_the_german_posts_and_no_drafts():
    m = _Mirror({"content/post/hugo.de.md": '---\ntitle: "Es geht zurück zu Hugo"\ndate: "2024-05-05T18:00:00+01:00"\n'
                                            'draft: false\n---\n\nNach mehr als einem Jahr.\n',
                 "content/post/hugo.en.md": '---\ntitle: "Back to Hugo"\n---\n\nAfter a year.\n',
                 "content/post/neu.de.md": '---\ntitle: "Neu"\ndraft: true\n---\n\nEntwurf.\n'})
    rows = personal._jekyll(m, personal.H_HUGO, "content/post/", suffix=".de.md")
    assert [(r["id"], r["text"], r["created_at"]) for r in rows] == [
        ("hugo.de", "Es geht zurück zu Hugo\n\nNach mehr als einem Jahr.", "2024-05-05")]


def test_writing_the_pools_again_keeps_the_languages_recorded_in_them(tmp_path):
    """A pool written again (to add a person) keeps each post's recorded language, even where
    today's identifier reads it otherwise: the models' training rows must not move."""
    path = tmp_path / "pool.jsonl"
    rows = [{"id": "1", "text": "Le gouvernement doit agir maintenant sur le logement."},
            {"id": "2", "text": "Lovely walk on the beach with the dogs this morning."}]
    path.write_text(json.dumps({**rows[0], "lang": "xx"}) + "\n", encoding="utf-8")
    again = personal.with_lang(rows, personal._recorded_langs(path))
    assert [r["lang"] for r in again] == ["xx", "en"]
    assert [r["lang"] for r in personal.with_lang(rows)] == ["fr", "en"]
    assert personal._recorded_langs(tmp_path / "none.jsonl") == {}


def test_hugo_page_bundles_are_named_by_their_folder_and_section_pages_left_out():
    """Dutch blogs (issue 12) keep each post as ``<slug>/index.md``: the id is the slug, and a
    section's ``_index.md`` is no post. A blog may keep posts in several folders."""
    m = _Mirror({"content/posts/15284/index.md": '---\ntitle: "De formatie"\ndate: "2019-03-26T23:02:55+00:00"\n---\n\n'
                                                 "Het kabinet is gevallen.\n",
                 "content/posts/_index.md": "---\ntitle: Posts\n---\n",
                 "src/blog/2014/0418-mcdonalds.md": "---\ntitle: McDonalds\ndate: 2014-04-18T10:00\n---\n\nFrietjes.\n",
                 "src/nieuwsbrief/47-liegende.md": "---\ntitle: Nummer 47\n---\n\nHoi.\n",
                 "src/about.md": "---\ntitle: Over mij\n---\n\nIk.\n"})
    rows = personal._jekyll(m, personal.I_BLOGS[0][0], "content/posts/")
    assert [(r["id"], r["text"], r["created_at"]) for r in rows] == [
        ("15284", "De formatie\n\nHet kabinet is gevallen.", "2019-03-26")]
    rows = personal._jekyll(m, personal.I_BLOGS[4][0], ("src/blog/", "src/nieuwsbrief/"))
    assert [r["id"] for r in rows] == ["0418-mcdonalds", "47-liegende"]


def _git(cwd, *args):
    import subprocess

    subprocess.run(["git", "-c", "user.name=t", "-c", "user.email=t@t", *args], cwd=cwd, check=True,
                   capture_output=True)


def test_a_file_that_a_scraper_commits_again_and_again_is_read_from_its_history(tmp_path, monkeypatch):
    """NU.nl's headlines (issue 12, Dutch) are one file committed every hour: its data is every
    version the history holds. Each article counts once (by id, its newest title); a political
    section gives 1, a section without politics 0, a mixed section nothing."""
    from collect import lang_political as L
    from collect.mirror import Mirror

    repo = tmp_path / "lassebenni+git-scraper-nu-nl" / "repo"
    repo.mkdir(parents=True)
    _git(repo, "init", "-q")

    def art(i, title, section):
        return {"id": i, "title": title, "canonical_section": {"slug": section}}

    versions = [[art(1, "Kabinet valt over asielbeleid", "politiek"), art(2, "Ajax wint", "voetbal")],
                [art(1, "Kabinet-Rutte IV valt over asielbeleid", "politiek"), art(3, "Storm op komst", "binnenland"),
                 art(4, "Nieuwe film van Verhoeven", "film")]]
    for v in versions:
        (repo / "headlines.json").write_text(json.dumps(v), encoding="utf-8")
        (repo / "other.txt").write_text(str(len(v)), encoding="utf-8")
        _git(repo, "add", "-A")
        _git(repo, "commit", "-q", "-m", "scrape")
    (repo / "headlines.json").write_text("", encoding="utf-8")  # emptied at the last commit, as there
    _git(repo, "commit", "-q", "-am", "empty")
    import subprocess

    head = subprocess.run(["git", "rev-parse", "HEAD"], cwd=repo, capture_output=True, text=True).stdout.strip()
    with Mirror(tmp_path) as m:
        assert [b[:9] for b in m.versions("lassebenni/git-scraper-nu-nl", head, "headlines.json")] == [
            b"", b'[{"id": 1', b'[{"id": 1']
        monkeypatch.setattr(L, "NUNL", type(L.NUNL)("lassebenni/git-scraper-nu-nl", head))
        rows = L.nl_nunl(m)
    assert sorted((r["text"], r["label"], r["orig_label"]) for r in rows) == [
        ("Ajax wint", 0, "section=voetbal"), ("Kabinet-Rutte IV valt over asielbeleid", 1, "section=politiek"),
        ("Nieuwe film van Verhoeven", 0, "section=film")]


def test_dutch_party_tweets_leave_out_replies_short_posts_and_links():
    from collect import lang_political as L

    head = "Party,Year,Date,Tweet\n"
    long = "De huren moeten omlaag en de bouw van betaalbare woningen moet nu echt omhoog, stem op ons"
    m = _Mirror({"data/last_election_large.csv": head + f'SP,2021,x,"{long} https://t.co/abc"\n'
                 f'D66,2021,x,"@PietBurgering Een fijn congres gewenst, Piet! {long}"\n'
                 'VVD,2021,x,"Kort bericht."\n'})
    rows = L.nl_parties(m)
    assert [(r["text"], r["label"], r["orig_label"]) for r in rows] == [(long, 1, "party:SP")]


def test_pool_languages_are_recorded_in_the_repository(tmp_path, monkeypatch):
    """A data cache written again on a fresh machine gives each pool post the language recorded
    for it (training/labels/pool_langs.tsv.gz), not what today's identifier says: otherwise a
    change to the identifier moves posts between the models' languages and the shipped models
    cannot be rebuilt as they are."""
    import gzip

    folder = tmp_path / "cache"
    (folder / "personal").mkdir(parents=True)
    rows = [{"id": "1", "text": "Bonjour à tous", "lang": "fr"}, {"id": 2, "text": "Hello there", "lang": "en"},
            {"id": "3", "text": "Guten Morgen", "lang": "de"}]
    (folder / "personal/pool_a__b.jsonl").write_text("".join(json.dumps(r) + "\n" for r in rows), encoding="utf-8")
    record = tmp_path / "langs.tsv.gz"
    assert personal.write_pool_langs(folder, record) == 1
    first = record.read_bytes()
    assert personal.write_pool_langs(folder, record) == 1 and record.read_bytes() == first  # byte for byte
    assert "Bonjour" not in gzip.decompress(first).decode()  # ids and languages only, never text
    committed = personal.read_pool_langs(record)
    assert committed == {"pool_a__b.jsonl": {"1": "fr", "3": "de"}}

    # the identifier is not asked for a recorded pool's posts; English where none is listed
    import auditor.detect.language as language

    monkeypatch.setattr(language, "identify", lambda text: pytest.fail("identifier asked"))
    fresh = [{k: v for k, v in r.items() if k != "lang"} for r in rows]
    got = personal.with_lang(fresh, {}, committed["pool_a__b.jsonl"])
    assert [r["lang"] for r in got] == ["fr", "en", "de"]


def test_the_committed_pool_languages_cover_every_pool():
    """Every person's pool has its languages recorded (a person added to the pools without
    running the pools step would be identified afresh)."""
    recorded = personal.read_pool_langs()
    people = {personal.pool_name(src.repo) for src in personal.SOURCES}
    assert people and people <= set(recorded), sorted(people - set(recorded))[:5]


# --- the teacher's readings of political_en's pool posts (training/build_teacher.py) ----------

def _data(pools, teacher):
    return B.Data(test_rows=[], pdev=[], ptest=[], pools=pools, base=[], held=set(), missing=[], teacher=teacher)


def test_a_training_set_takes_the_teachers_reading_that_never_saw_the_people_left_out():
    """A pool post the teacher reads as political trains as political, one it is unsure of is
    left out, the rest stay everyday posts; and a training set that leaves out fold k takes the
    readings of the teacher fitted without fold k too, so no held-out person's labels reach it."""
    people = {k: next(f"personal:p{i}" for i in range(100) if B.fold_of(f"personal:p{i}") == k) for k in range(3)}
    a, b, c = (C.Row(t, 0, people[0], "pool") for t in ("vote them out", "budget day", "pancakes"))
    other = C.Row("hello", 0, people[1], "pool")
    teacher = {(people[0], B.teacher_key("vote them out")): {"final": "1", "fold0": "1", "fold1": "", "fold2": "?"},
               (people[0], B.teacher_key("budget day")): {"final": "?", "fold0": "?", "fold1": "1", "fold2": ""}}
    data = _data([a, b, c, other], teacher)
    shipped = {r.text: r.label for r in data.training_set()}
    assert shipped == {"vote them out": 1, "pancakes": 0, "hello": 0}  # "budget day" left out
    measured_on_fold1 = {r.text: r.label for r in data.training_set(exclude_people=frozenset({people[1]}))}
    assert measured_on_fold1 == {"vote them out": 0, "budget day": 1, "pancakes": 0}
    measured_on_fold2 = {r.text: r.label for r in data.training_set(exclude_people=frozenset({people[2]}))}
    assert measured_on_fold2 == {"budget day": 0, "pancakes": 0, "hello": 0}
    with pytest.raises(ValueError):
        data.training_set(exclude_people=frozenset({people[1], people[2]}))
    # a hand-labelled post is never relabelled
    hand = C.Row("vote them out", 0, people[0], "random")
    assert [r.label for r in _data([hand], teacher).training_set()] == [0]


def test_the_committed_teacher_file_reads_back_and_names_develop_people_only():
    spec = next(s for s in B.MODELS if s.name == "political_en")
    readings = B.read_teacher(ROOT / "training" / "labels" / spec.teacher)
    assert len(readings) > 1_000
    assert {person for person, _ in readings}.isdisjoint(B.test_people())
    values = {v for by in readings.values() for v in by.values()}
    assert values <= {"", B.TEACHER_POSITIVE, B.TEACHER_UNSURE}
    assert all(set(by) == set(B.TEACHER_CONTEXTS) for by in readings.values())


def test_the_link_posts_are_develop_posts_kept_out_of_training(tmp_path):
    """LK1-LK4 measure the words of a link's address (training/experiments/link_words.py): develop
    people's posts only, and never learned from unless a caller asks for them by name."""
    rows = [o for o in _labels() if o["file"].startswith("LK")]
    assert len(rows) == 800 and {o["selection"] for o in rows} == {"link"}
    assert not {"personal:" + o["source"].split(":", 1)[1] for o in rows} & set(B.test_people())
    assert {"LK1", "LK2", "LK3", "LK4"} <= C.NOT_TRAINED
    (tmp_path / "personal").mkdir()
    post = {"source": "x:someone/tweets", "id": "1", "text": "a post https://a.nz/tax-cuts", "lang": "en",
            "selection": "link", "political": 1, "political_kind": "policy", "disrespect": 0, "grievance": 0}
    (tmp_path / "personal" / "labels_LK1.jsonl").write_text(json.dumps(post) + "\n", encoding="utf-8")
    assert list(C.personal(tmp_path, "political")) == []
    got = list(C.personal(tmp_path, "political", also=frozenset({"LK1"})))
    assert [(r.label, r.kind, r.source) for r in got] == [(1, "link", "personal:someone/tweets")]
