"""Twitter archives of 2012-2018 ("Grailbird"): the fixture is written by fixtures/generate.py in
the format of real public archives (month files, user_details.js, tweets.csv, data/csv/)."""

import csv
import io
import json
import re
import shutil

import pytest
from conftest import TWITTER, TWITTER_GRAILBIRD, copy_tree

from auditor.errors import ExportFormatError
from auditor.ingest import _archive, load_export, read_exports, sniff
from auditor.ingest.twitter import parse_created

MONTHS = TWITTER_GRAILBIRD / "data/js/tweets"


def posts_of(path):
    e = load_export(path)
    return e, list(e.posts())


def month_items(name):
    raw = (MONTHS / name).read_text(encoding="utf-8")
    return json.loads(raw.split("=", 1)[1])


def csv_rows():
    with open(TWITTER_GRAILBIRD / "tweets.csv", newline="", encoding="utf-8") as fh:
        return list(csv.DictReader(fh))


def test_fixture_is_in_the_real_format():
    # what real archives have: the prefix on a line of its own, Jackson's layout and escapes,
    # the CSV header and quoting, the timestamp format
    first = (MONTHS / "2014_08.js").read_text(encoding="utf-8")
    assert first.startswith("Grailbird.data.tweets_2014_08 = \n[ {\n  \"source\" : \"\\u003Ca href=\\\"http:\\/\\/")
    details = (TWITTER_GRAILBIRD / "data/js/user_details.js").read_text(encoding="utf-8")
    assert details.startswith('var user_details =  {\n  "expanded_url" : "https:\\/\\/')
    header = (TWITTER_GRAILBIRD / "tweets.csv").read_text(encoding="utf-8").splitlines()[0]
    assert header == ('"tweet_id","in_reply_to_status_id","in_reply_to_user_id","timestamp","source","text",'
                      '"retweeted_status_id","retweeted_status_user_id","retweeted_status_timestamp","expanded_urls"')
    assert all(r["timestamp"].endswith(" +0000") and len(r["timestamp"]) == 25 for r in csv_rows())


def test_fixture_account_kinds_and_skipped_files():
    e, posts = posts_of(TWITTER_GRAILBIRD)
    assert sniff(TWITTER_GRAILBIRD).name == "twitter-grailbird"
    assert e.platform == "twitter" and e.variant == "2012-2018" and not e.warnings
    acc = e.account
    assert (acc.handle, acc.display_name, acc.key) == ("mereana_c", "Mereana Clarke", "twitter:mereana_c")
    assert "MfE" in acc.bio and "🌊" in acc.bio and acc.location == "Wellington, New Zealand"
    assert [(link.url, link.kind) for link in acc.links] == [("https://mereanaclarke.nz", "website")]
    assert acc.source == "data/js/user_details.js" and acc.url == "https://x.com/mereana_c"
    assert len(posts) == len(csv_rows()) == 150
    assert {p.kind for p in posts} == {"post", "reply", "repost", "share"}
    assert all(p.platform == "twitter" and p.url == f"https://x.com/mereana_c/status/{p.id}" for p in posts)
    assert all(p.created_at and 2014 <= p.created_at.year <= 2018 for p in posts)
    skipped = {s.name: s.reason for s in e.skipped}
    assert "the same tweets as data/js/tweets/" in skipped["tweets.csv"]
    assert "data/js/payload_details.js" in skipped
    assert not [s for s in skipped if "index.html" in s or s.startswith(("css/", "js/"))]


def test_retweets_carry_the_whole_retweeted_tweet_and_point_at_it():
    _, posts = posts_of(TWITTER_GRAILBIRD)
    items = {t["id_str"]: t for f in MONTHS.iterdir() for t in month_items(f.name)}
    reposts = [p for p in posts if p.kind == "repost"]
    assert reposts
    for p in reposts:
        rt = items[p.id]["retweeted_status"]
        assert p.text == f"RT @{rt['user']['screen_name']}: {rt['text']}"
        assert p.target_url == f"https://x.com/{rt['user']['screen_name']}/status/{rt['id_str']}"
    assert any(items[p.id]["text"].endswith("…") and not p.text.endswith("…") for p in reposts)


def test_replies_quotes_links_and_entities():
    _, posts = posts_of(TWITTER_GRAILBIRD)
    items = {t["id_str"]: t for f in MONTHS.iterdir() for t in month_items(f.name)}
    replies = [p for p in posts if p.kind == "reply"]
    assert replies and all(p.target_url == "https://x.com/{}/status/{}".format(
        items[p.id]["in_reply_to_screen_name"], items[p.id]["in_reply_to_status_id_str"]) for p in replies)
    shares = [p for p in posts if p.kind == "share"]
    assert shares and all(p.target_url.startswith("https://twitter.com/nzgreens/status/") for p in shares)
    assert all("t.co/" not in p.text and "&amp;" not in p.text for p in posts)
    linked = [p for p in posts if "rnz.co.nz" in p.text or "stuff.co.nz" in p.text or "niwa.co.nz" in p.text]
    assert linked and all(p.target_url and p.target_url in p.text for p in linked)
    photo = [t for t in items.values() if t["entities"]["media"]]
    assert photo and all(next(p for p in posts if p.id == t["id_str"]).text == t["text"].rsplit(" ", 1)[0]
                         for t in photo)


@pytest.mark.parametrize("value,iso", [
    ("2013-02-25 18:04:10 +0000", "2013-02-25T18:04:10+00:00"),
    ("Mon Dec 31 22:34:15 +0000 2012", "2012-12-31T22:34:15+00:00"),  # the first archives
    ("2013-02-25 20:04:10 +0200", "2013-02-25T18:04:10+00:00"),
    ("2013-02-31 18:04:10 +0000", None),
])
def test_both_date_formats(value, iso):
    d = parse_created(value)
    assert (d.isoformat() if d else None) == iso


def test_zip_reads_the_same(make_zip):
    e, posts = posts_of(make_zip(TWITTER_GRAILBIRD))
    _, from_folder = posts_of(TWITTER_GRAILBIRD)
    assert e.account.handle == "mereana_c"
    assert [(p.id, p.kind, p.text, p.target_url) for p in posts] == [
        (p.id, p.kind, p.text, p.target_url) for p in from_folder]


def test_csv_when_the_js_folder_is_missing(tmp_path):
    d = copy_tree(TWITTER_GRAILBIRD, tmp_path / "archive")
    shutil.rmtree(d / "data/js/tweets")
    e, posts = posts_of(d)
    _, js = posts_of(TWITTER_GRAILBIRD)
    assert e.account.handle == "mereana_c"  # user_details.js is still there
    assert any("read from the CSV" in w for w in e.warnings)
    assert all(p.source.startswith("tweets.csv, row ") for p in posts)
    by_id = {p.id: p for p in js}
    assert sorted(p.id for p in posts) == sorted(by_id)
    assert all(p.kind == by_id[p.id].kind and p.created_at == by_id[p.id].created_at for p in posts)
    # links are expanded from expanded_urls, the photo's link is dropped: the text is the month
    # file's, except for retweets, whose CSV text is the shortened one
    assert all(p.text == by_id[p.id].text for p in posts if p.kind != "repost")
    assert all(p.target_url == by_id[p.id].target_url for p in posts if p.kind in ("share", "post", "repost"))
    assert all(by_id[p.id].text.startswith(p.text.rstrip("…")) for p in posts if p.kind == "repost")


def test_a_lone_tweets_csv(tmp_path):
    shutil.copy(TWITTER_GRAILBIRD / "tweets.csv", tmp_path / "tweets.csv")
    e, posts = posts_of(tmp_path / "tweets.csv")
    assert e.platform == "twitter" and e.account.handle == "" and len(posts) == 150
    assert any("no data/js/user_details.js" in w for w in e.warnings)
    assert all(p.url == f"https://x.com/i/web/status/{p.id}" for p in posts)


EARLY_HEADER = ('"tweet_id","in_reply_to_status_id","in_reply_to_user_id","retweeted_status_id",'
                '"retweeted_status_user_id","timestamp","source","text","expanded_urls"\n')


def test_the_first_archives_monthly_csv_layout(tmp_path):
    # Dec 2012 - 2013: data/csv/YYYY_MM.csv, columns in another order, no
    # retweeted_status_timestamp, and the last cell left out when there is no link
    d = tmp_path / "tweets"
    (d / "data/csv").mkdir(parents=True)
    (d / "data/csv/2012_12.csv").write_text(EARLY_HEADER + (
        '"285876551290073088","","","","","2012-12-31 22:34:15 +0000","web","Rain again in Wellington."\n'
        '"283670028157595650","283588190781198338","110772462","","","2012-12-25 20:26:19 +0000","web",'
        '"@kiwi_hydro merry xmas to you too!"\n'
        '"279460755135410177","","","279451093254160385","17004618","2012-12-14 05:40:10 +0000","web",'
        '"RT @rnz_news: Rivers &amp; lakes report out http://t.co/YmyEXFUs","http://www.rnz.co.nz/rivers"\n'
    ), encoding="utf-8")
    (d / "data/csv/2013_01.csv").write_text(EARLY_HEADER + (
        '"293456789012345678","","","","","2013-01-20 09:00:00 +0000","web",'
        '"Read this http://t.co/AbCdEfGh","http://www.niwa.co.nz/news/new-river-flow-records"\n'
    ), encoding="utf-8")
    e, posts = posts_of(d)
    got = {p.id: p for p in posts}
    assert len(got) == 4 and not e.skipped
    assert got["283670028157595650"].kind == "reply"
    rt = got["279460755135410177"]
    assert rt.kind == "repost" and rt.text == "RT @rnz_news: Rivers & lakes report out http://www.rnz.co.nz/rivers"
    assert rt.target_url == "https://x.com/rnz_news/status/279451093254160385"
    link = got["293456789012345678"]
    assert link.text == "Read this http://www.niwa.co.nz/news/new-river-flow-records" and link.target_url
    assert got["285876551290073088"].created_at.isoformat() == "2012-12-31T22:34:15+00:00"


def test_csv_links_that_cannot_be_matched_are_left_as_written(tmp_path):
    header = (TWITTER_GRAILBIRD / "tweets.csv").read_text(encoding="utf-8").splitlines()[0]
    (tmp_path / "tweets.csv").write_text(header + "\n" + (
        '"1","","","2015-05-05 05:05:05 +0000","web","Two links http://t.co/aaaa and http://t.co/bbbb","","","",'
        '"http://example.org/only-one"\n'), encoding="utf-8")
    _, posts = posts_of(tmp_path / "tweets.csv")
    assert posts[0].text == "Two links http://t.co/aaaa and http://t.co/bbbb"
    assert posts[0].target_url == "http://example.org/only-one"


def test_months_are_read_one_at_a_time(monkeypatch):
    opened, closed = [], []
    real_open = _archive.DirSource.open

    def tracking(self, member):
        fh = real_open(self, member)
        opened.append(member.name)
        real_close = fh.close

        def close():
            closed.append(member.name)
            real_close()
        fh.close = close
        return fh

    monkeypatch.setattr(_archive.DirSource, "open", tracking)
    e = load_export(TWITTER_GRAILBIRD)  # recognising reads the first bytes of every file
    assert closed.count("data/js/user_details.js") == 2  # and the account was read
    opened.clear(), closed.clear()
    stream = e.posts()
    next(stream)
    assert opened == ["data/js/tweets/2014_03.js"]  # only the first month is open
    list(stream)
    assert opened == sorted(opened) and len(opened) == len(set(opened)) == len(list(MONTHS.iterdir()))
    assert sorted(closed) == opened  # every month closed
    assert "tweets.csv" not in opened


def test_a_missing_month_file_is_named(tmp_path):
    d = copy_tree(TWITTER_GRAILBIRD, tmp_path / "archive")
    (d / "data/js/tweets/2016_02.js").unlink()
    e, posts = posts_of(d)
    assert len(posts) == 150 - len(month_items("2016_02.js"))
    assert any("tweet_index.js lists 1 month file(s) that are not in the archive (2016_02.js)" in w
               for w in e.warnings)


def test_without_user_details_the_handle_comes_from_the_tweets(tmp_path):
    d = copy_tree(TWITTER_GRAILBIRD, tmp_path / "archive")
    (d / "data/js/user_details.js").unlink()
    e, posts = posts_of(d)
    assert (e.account.handle, e.account.display_name, e.account.bio) == ("mereana_c", "Mereana Clarke", "")
    assert any("taken from its tweets" in w for w in e.warnings) and len(posts) == 150


def test_a_damaged_month_keeps_what_was_read_and_goes_on(tmp_path):
    d = copy_tree(TWITTER_GRAILBIRD, tmp_path / "archive")
    f = d / "data/js/tweets/2016_02.js"
    raw = f.read_bytes()
    f.write_bytes(raw[: raw.index(b"}, {", raw.index(b"}, {") + 4) + 40])  # two tweets and a bit
    e, posts = posts_of(d)
    assert sum(p.source.startswith("data/js/tweets/2016_02.js") for p in posts) == 2
    assert any("2016_02.js is damaged or not JSON after item 2" in w for w in e.warnings)
    assert any(p.source.startswith("data/js/tweets/2018_") for p in posts)  # later months still read


@pytest.mark.parametrize("damage,message", [
    (lambda raw: b"Grailbird.data.tweets_2016_02 = \n<html>Rate limit exceeded</html>", "is not readable JSON"),
    (lambda raw: raw.replace("Wellington".encode(), "Wellington\xff".encode("latin-1"), 1) if b"Wellington" in raw
     else raw[:60] + b"\xff\xfe" + raw[60:], "is not readable JSON"),
    (lambda raw: b"Grailbird.data.tweets_2016_02 " + b"[" * 10_000, "has no '='"),
])
def test_a_broken_month_is_one_clear_line(run, tmp_path, damage, message):
    d = copy_tree(TWITTER_GRAILBIRD, tmp_path / "archive")
    f = d / "data/js/tweets/2016_02.js"
    f.write_bytes(damage(f.read_bytes()))
    r = run("audit", d, "--out", tmp_path / "out", "-q")
    assert r.exit_code == 2, r.output
    lines = r.stderr.strip().splitlines()
    assert len(lines) == 1 and "2016_02.js" in lines[0] and message in lines[0], r.stderr
    assert "Traceback" not in r.output and not (tmp_path / "out").exists()


def test_a_month_with_a_bom_and_crlf_reads(tmp_path):
    d = copy_tree(TWITTER_GRAILBIRD, tmp_path / "archive")
    f = d / "data/js/tweets/2016_02.js"
    f.write_bytes(b"\xef\xbb\xbf" + f.read_bytes().replace(b"\n", b"\r\n"))
    _, posts = posts_of(d)
    assert len(posts) == 150


def test_tweets_csv_resaved_as_utf16_or_with_other_columns(tmp_path):
    text = (TWITTER_GRAILBIRD / "tweets.csv").read_text(encoding="utf-8")
    (tmp_path / "tweets.csv").write_bytes(text.encode("utf-16"))
    _, posts = posts_of(tmp_path / "tweets.csv")
    assert len(posts) == 150 and any("kōwhai" in p.text for p in posts)
    (tmp_path / "tweets.csv").write_text('"id","date","tweet"\n"1","2013-02-25","hello"\n')
    with pytest.raises(ExportFormatError, match=r"tweets.csv does not have the columns .*found: id, date, tweet; expected: tweet_id, "):
        load_export(tmp_path / "tweets.csv")
    # in a whole archive, a tweets.csv with other columns is listed as not read
    d = copy_tree(TWITTER_GRAILBIRD, tmp_path / "archive")
    shutil.copy(tmp_path / "tweets.csv", d / "tweets.csv")
    e, posts = posts_of(d)
    assert len(posts) == 150 and any(s.name == "tweets.csv" and "other columns" in s.reason for s in e.skipped)


def _new_archive(folder, tweets):
    (folder / "data").mkdir(parents=True)
    (folder / "data/account.js").write_text("window.YTD.account.part0 = " + json.dumps(
        [{"account": {"username": "mereana_c", "accountDisplayName": "Mereana Clarke"}}]))
    (folder / "data/tweets.js").write_text("window.YTD.tweets.part0 = " + json.dumps([{"tweet": t} for t in tweets]))
    return folder


def test_an_old_and_a_new_archive_are_one_account_each_tweet_once(run, tmp_path):
    # The new archive holds the old tweets again; as the same posts (same id and kind) they are
    # audited once, under one X account.
    old = [t for f in sorted(MONTHS.iterdir())[:3] for t in month_items(f.name)]
    again = [{"id_str": t["id_str"], "full_text": t["text"], "entities": t["entities"],
              "created_at": "Sat Feb 18 12:33:11 +0000 2023",
              **({"in_reply_to_status_id_str": t["in_reply_to_status_id_str"],
                  "in_reply_to_screen_name": t["in_reply_to_screen_name"]} if "in_reply_to_status_id_str" in t else {})}
             for t in old]
    new = _new_archive(tmp_path / "twitter-2024", again + [{"id_str": "1790000000000000000", "full_text": "New tweet.",
                                                             "created_at": "Sat Feb 18 12:33:11 +0000 2024"}])
    r = run("audit", TWITTER_GRAILBIRD, new, "--out", tmp_path / "o", "--format", "json", "-q")
    assert r.exit_code == 0, r.output
    data = json.loads((tmp_path / "o/findings.json").read_text())
    assert [a["key"] for a in data["accounts"]] == ["twitter:mereana_c"]
    assert data["repeated_items"] == len(old) and data["posts_scanned"] == 151


def test_audit_end_to_end(run, tmp_path):
    out = tmp_path / "report"
    r = run("audit", TWITTER_GRAILBIRD, "--out", out, "--format", "json,html,md")
    assert r.exit_code == 0, r.output
    assert "Audited 150 items in 1 export" in r.stdout and "X/Twitter (@mereana_c): identifies you with MfE" in r.stdout
    data = json.loads((out / "findings.json").read_text())
    assert data["posts_scanned"] == 150 and not data["warnings"]
    assert data["accounts"][0]["platform"] == "twitter"
    crit = [f for f in data["findings"] if f["severity"] == "critical"]
    assert any("Six years at MfE" in f["excerpt"] and f["url"].startswith("https://x.com/mereana_c/status/")
               for f in crit)
    assert {s["file"] for s in data["skipped"]} >= {"tweets.csv", "data/js/payload_details.js"}
    page = re.sub(r"<[^>]+>", "", (out / "report.html").read_text(encoding="utf-8"))
    assert "Six years at MfE" in page and "X/Twitter (@mereana_c)" in page
    i = run("inspect", TWITTER_GRAILBIRD)
    assert "platform: X/Twitter (2012-2018 archive)" in i.stdout and "150 (133 posts" in i.stdout


def test_each_file_is_opened_at_most_twice(monkeypatch):
    from collections import Counter
    opened: Counter[str] = Counter()
    real_open = _archive.DirSource.open

    def counting(self, member):
        opened[member.name] += 1
        return real_open(self, member)

    monkeypatch.setattr(_archive.DirSource, "open", counting)
    exports, _ = read_exports([str(TWITTER_GRAILBIRD)])
    assert len(exports) == 1 and sum(1 for _ in exports[0].posts()) == 150
    assert max(opened.values()) <= 2, opened
    assert opened["tweets.csv"] == 1  # recognised, not read again: the month files were


def test_the_old_and_the_new_archive_in_one_folder_of_downloads(tmp_path):
    shutil.copytree(TWITTER, tmp_path / "downloads" / TWITTER.name)
    shutil.copytree(TWITTER_GRAILBIRD, tmp_path / "downloads" / TWITTER_GRAILBIRD.name)
    exports, _ = read_exports([str(tmp_path / "downloads")])
    assert sorted((e.variant, e.account.key) for e in exports) == [("", "twitter:mereana_c"),
                                                                  ("2012-2018", "twitter:mereana_c")]


def test_csv_quoting_round_trip_matches_twitters():
    # every cell quoted, quotes doubled, LF line ends: what Python's csv module writes with
    # QUOTE_ALL, as in real archives
    raw = (TWITTER_GRAILBIRD / "tweets.csv").read_text(encoding="utf-8")
    buf = io.StringIO()
    csv.writer(buf, quoting=csv.QUOTE_ALL, lineterminator="\n").writerows(csv.reader(io.StringIO(raw)))
    assert buf.getvalue() == raw and "\r" not in raw


def test_a_lone_tweets_csv_joins_the_only_x_account_of_the_audit(run, tmp_path):
    """An old archive's tweets.csv does not say whose it is; in an audit with one X account it
    is that account's older tweets, so both are one account (tweets in both read once)."""
    import json

    from conftest import TWITTER

    shutil.copy(TWITTER_GRAILBIRD / "tweets.csv", tmp_path / "tweets.csv")
    assert run("audit", TWITTER, tmp_path / "tweets.csv", "--out", tmp_path / "one", "-q", "--format", "json").exit_code == 0
    data = json.loads((tmp_path / "one/findings.json").read_text())
    assert [a["platform"] for a in data["accounts"]] == ["twitter"]
    assert any("tweets.csv does not say whose tweets it holds; it was audited together with X/Twitter (@mereana_c)" in w
               for w in data["warnings"])
    alone = run("audit", TWITTER, "--out", tmp_path / "x", "-q", "--format", "json")
    assert alone.exit_code == 0
    assert data["posts_scanned"] > json.loads((tmp_path / "x/findings.json").read_text())["posts_scanned"]
    # with no other X account it stays on its own
    assert run("audit", tmp_path / "tweets.csv", "--out", tmp_path / "two", "-q", "--format", "json").exit_code == 0
    data = json.loads((tmp_path / "two/findings.json").read_text())
    assert [a["platform"] for a in data["accounts"]] == ["twitter"] and not any(
        "does not say whose" in w for w in data["warnings"])
