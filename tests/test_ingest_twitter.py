import json

import pytest
from conftest import TWITTER, copy_tree

from auditor.errors import ExportFormatError
from auditor.ingest import load_export, sniff
from auditor.ingest._json import JsPrefixStream
from auditor.ingest.twitter import expand, parse_created


def posts_of(path):
    e = load_export(path)
    return e, list(e.posts())


def test_fixture_account_and_kinds():
    e, posts = posts_of(TWITTER)
    assert sniff(TWITTER).name == "twitter"
    assert e.account.handle == "mereana_c" and "MfE" in e.account.bio
    assert e.account.links[0].kind == "shortened"
    kinds = {p.kind for p in posts}
    assert {"post", "reply", "repost", "share", "reaction"} <= kinds
    assert all(p.url.startswith("https://x.com/mereana_c/status/") for p in posts if p.kind != "reaction")
    assert any("direct-messages.js" in s.name for s in e.skipped)


def test_retweets_by_prefix_replies_and_quotes():
    _, posts = posts_of(TWITTER)
    assert all(p.text.startswith("RT @") for p in posts if p.kind == "repost")
    assert all(p.target_url.startswith("https://x.com/") for p in posts if p.kind == "reply")
    assert all("/status/" in p.target_url for p in posts if p.kind == "share")


def test_long_posts_come_from_note_tweet():
    _, posts = posts_of(TWITTER)
    longs = [p for p in posts if len(p.text) > 300]
    assert len(longs) == 2 and any("Write to your MP" in p.text for p in longs)


def test_entities_and_links_expanded():
    text = expand("Read this &amp; weep https://t.co/abc", {"urls": [{"url": "https://t.co/abc",
                                                                   "expanded_url": "https://rnz.co.nz/x"}]})
    assert text == "Read this & weep https://rnz.co.nz/x"


@pytest.mark.parametrize("value,iso", [
    ("Sat Feb 18 12:33:11 +0000 2023", "2023-02-18T12:33:11+00:00"),
    ("2019-10-11T20:41:08.000Z", "2019-10-11T20:41:08+00:00"),
    ("yesterday", None),
])
def test_parse_created(value, iso):
    d = parse_created(value)
    assert (d.isoformat() if d else None) == iso


def _write_tweets(folder, body: str):
    (folder / "data/tweets.js").write_text(body, encoding="utf-8")


def test_old_name_split_parts_and_trailing_semicolon(tmp_path):
    d = copy_tree(TWITTER, tmp_path / "x")
    (d / "data/tweets.js").unlink()
    one = [{"tweet": {"id_str": "1", "created_at": "Sat Feb 18 12:33:11 +0000 2023", "full_text": "first"}}]
    two = [{"tweet": {"id_str": "2", "created_at": "Sat Feb 18 12:33:11 +0000 2023", "full_text": "second"}}]
    (d / "data/tweet.js").write_text("window.YTD.tweet.part0 = " + json.dumps(one) + ";\n")
    (d / "data/tweets-part1.js").write_text("window.YTD.tweets.part1 = " + json.dumps(two))
    _, posts = posts_of(d)
    assert {p.text for p in posts if p.kind == "post"} == {"first", "second"}


def test_truncated_tweets_file_keeps_what_was_read(tmp_path):
    d = copy_tree(TWITTER, tmp_path / "x")
    raw = (d / "data/tweets.js").read_text()
    _write_tweets(d, raw[: len(raw) // 2])
    e, posts = posts_of(d)
    assert 50 < len([p for p in posts if p.kind != "reaction"]) < 240
    assert any("damaged" in w for w in e.warnings)


def test_wrong_types_are_ignored_not_crashed(tmp_path):
    d = copy_tree(TWITTER, tmp_path / "x")
    _write_tweets(d, "window.YTD.tweets.part0 = " + json.dumps([
        {"tweet": {"id_str": 5, "full_text": ["not", "text"]}}, {"tweet": None}, 7,
        {"tweet": {"id_str": "9", "full_text": "ok", "entities": {"urls": "nope"}}}]))
    _, posts = posts_of(d)
    assert [p.text for p in posts if p.kind == "post"] == ["ok"]


def test_not_json_at_all(tmp_path):
    d = copy_tree(TWITTER, tmp_path / "x")
    _write_tweets(d, "window.YTD.tweets.part0 = <html>oops</html>")
    with pytest.raises(ExportFormatError, match="not readable JSON"):
        list(load_export(d).posts())


def test_js_prefix_stream_strips_prefix_and_semicolons():
    import io
    s = JsPrefixStream(io.BytesIO(b"\xef\xbb\xbfwindow.YTD.like.part0 = [1, 2] ;\n ;"), "like.js")
    assert json.loads(s.read()) == [1, 2]
