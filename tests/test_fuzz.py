"""Property-based fuzzing of every parser: whatever bytes arrive, an importer either reads them
or raises the tool's own error (AuditorError), which the CLI turns into one line and exit 2.
Nothing else may escape: no KeyError, no TypeError, no RecursionError, no hang."""

import json
import os
import tempfile
from pathlib import Path

from conftest import (
    BLUESKY,
    FACEBOOK,
    LINKEDIN,
    MASTODON,
    REDDIT,
    TWITTER,
    TWITTER_GRAILBIRD,
    WEBSITE,
)
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from auditor.errors import AuditorError
from auditor.ingest import PLATFORMS, load_export

FUZZ = settings(max_examples=int(os.environ.get("FUZZ_EXAMPLES", "60")), deadline=None, suppress_health_check=[HealthCheck.too_slow])

json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text(max_size=40),
    lambda children: st.lists(children, max_size=5) | st.dictionaries(st.text(max_size=12), children, max_size=5),
    max_leaves=30,
)
#: dicts that look like the platforms' items, with any values under the real keys
KEYS = ["tweet", "id_str", "full_text", "created_at", "entities", "urls", "expanded_url", "in_reply_to_status_id_str",
        "timestamp", "data", "post", "attachments", "external_context", "comment", "title", "label_values",
        "type", "object", "content", "to", "cc", "published", "inReplyTo", "summary", "orderedItems", "url"]
item_like = st.recursive(
    st.none() | st.integers() | st.text(max_size=30),
    lambda children: st.lists(children, max_size=4) | st.dictionaries(st.sampled_from(KEYS), children, max_size=6),
    max_leaves=25,
)


def must_read_or_refuse(files: dict[str, bytes], platform: str | None = None) -> None:
    with tempfile.TemporaryDirectory() as d:
        root = Path(d) / "export"
        for name, data in files.items():
            (root / name).parent.mkdir(parents=True, exist_ok=True)
            (root / name).write_bytes(data)
        try:
            export = load_export(root, platform)
            for post in export.posts():
                assert isinstance(post.text, str)
        except AuditorError:
            pass


def mutate(data: bytes, cut: int, flips: list[tuple[int, int]]) -> bytes:
    out = bytearray(data[: max(1, len(data) * cut // 100)])
    for pos, val in flips:
        if out:
            out[pos % len(out)] = val
    return bytes(out)


mutations = st.tuples(st.integers(1, 100), st.lists(st.tuples(st.integers(0, 10**7), st.integers(0, 255)), max_size=8))


@FUZZ
@given(st.binary(max_size=600))
def test_linkedin_csv_any_bytes(body):
    must_read_or_refuse({"Shares.csv": b"Date,ShareLink,ShareCommentary,SharedUrl,MediaUrl,Visibility\n" + body,
                         "Profile.csv": body}, "linkedin")


@FUZZ
@given(st.lists(st.lists(st.text(max_size=30), max_size=8), max_size=10))
def test_linkedin_csv_any_rows(rows):
    import csv
    import io
    buf = io.StringIO()
    w = csv.writer(buf)
    w.writerow(["Date", "Link", "Message"])
    w.writerows(rows)
    must_read_or_refuse({"Comments.csv": buf.getvalue().encode(), "Reactions.csv": buf.getvalue().encode()}, "linkedin")


@FUZZ
@given(st.lists(item_like, max_size=6), st.binary(max_size=40))
def test_twitter_any_items(items, tail):
    body = b"window.YTD.tweets.part0 = " + json.dumps(items).encode() + tail
    must_read_or_refuse({"data/tweets.js": body, "data/account.js": b"window.YTD.account.part0 = " + tail,
                         "data/like.js": b"window.YTD.like.part0 = " + json.dumps(items).encode()}, "twitter")


@FUZZ
@given(mutations)
def test_twitter_damaged_fixture(m):
    must_read_or_refuse({"data/tweets.js": mutate((TWITTER / "data/tweets.js").read_bytes(), *m),
                         "data/account.js": (TWITTER / "data/account.js").read_bytes()}, "twitter")


#: tweets as the archives of 2012-2018 hold them, with any values under the real keys
grailbird_like = st.recursive(
    st.none() | st.integers() | st.text(max_size=30),
    lambda children: st.lists(children, max_size=4) | st.dictionaries(st.sampled_from(
        ["id_str", "text", "created_at", "entities", "urls", "url", "expanded_url", "media", "retweeted_status",
         "user", "screen_name", "in_reply_to_status_id_str", "in_reply_to_screen_name", "full_name", "bio"]),
        children, max_size=6),
    max_leaves=25,
)
GB_CSV = (TWITTER_GRAILBIRD / "tweets.csv").read_bytes()


@FUZZ
@given(st.lists(grailbird_like, max_size=6), grailbird_like, st.binary(max_size=40))
def test_twitter_grailbird_any_items(items, details, tail):
    must_read_or_refuse({"data/js/tweets/2013_02.js": b"Grailbird.data.tweets_2013_02 = \n" + json.dumps(items).encode()
                         + tail, "data/js/user_details.js": b"var user_details =  " + json.dumps(details).encode(),
                         "data/js/tweet_index.js": b"var tweet_index =  " + json.dumps(items).encode()},
                        "twitter-grailbird")


@FUZZ
@given(mutations, st.binary(max_size=400))
def test_twitter_grailbird_damaged_fixture(m, body):
    month = TWITTER_GRAILBIRD / "data/js/tweets/2016_02.js"
    must_read_or_refuse({"data/js/tweets/2016_02.js": mutate(month.read_bytes(), *m)}, "twitter-grailbird")
    must_read_or_refuse({"tweets.csv": mutate(GB_CSV, *m)}, "twitter-grailbird")
    must_read_or_refuse({"tweets.csv": GB_CSV.split(b"\n", 1)[0] + b"\n" + body}, "twitter-grailbird")


@FUZZ
@given(json_values, st.lists(item_like, max_size=6))
def test_facebook_any_json(profile, posts):
    must_read_or_refuse({"profile_information/profile_information.json": json.dumps({"profile_v2": profile}).encode(),
                         "posts/your_posts_1.json": json.dumps(posts).encode(),
                         "comments/comments.json": json.dumps({"comments_v2": posts}).encode()}, "facebook")


@FUZZ
@given(mutations)
def test_facebook_damaged_fixture(m):
    f = "your_facebook_activity/posts/your_posts__check_ins__photos_and_videos_1.json"
    must_read_or_refuse({f: mutate((FACEBOOK / f).read_bytes(), *m),
                         "personal_information/profile_information/profile_information.json":
                         (FACEBOOK / "personal_information/profile_information/profile_information.json").read_bytes()},
                        "facebook")


@FUZZ
@given(json_values, st.lists(item_like, max_size=6))
def test_mastodon_any_json(actor, items):
    must_read_or_refuse({"actor.json": json.dumps({"type": "Person", "preferredUsername": "x", "attachment": actor,
                                                   "summary": actor}).encode(),
                         "outbox.json": json.dumps({"type": "OrderedCollection", "orderedItems": items}).encode()},
                        "mastodon")


@FUZZ
@given(mutations)
def test_mastodon_damaged_fixture(m):
    must_read_or_refuse({"actor.json": (MASTODON / "actor.json").read_bytes(),
                         "outbox.json": mutate((MASTODON / "outbox.json").read_bytes(), *m)}, "mastodon")


@FUZZ
@given(st.binary(max_size=600), mutations)
def test_reddit_any_bytes(body, m):
    must_read_or_refuse({"comments.csv": b"id,permalink,date,ip,subreddit,gildings,link,parent,body,media\n" + body,
                         "posts.csv": mutate((REDDIT / "posts.csv").read_bytes(), *m)}, "reddit")


@FUZZ
@given(st.binary(max_size=800), mutations)
def test_website_any_bytes(body, m):
    head = b'<?xml version="1.0"?><rss xmlns:wp="http://wordpress.org/export/1.2/"><channel>'
    must_read_or_refuse({"site.xml": head + body}, "website")
    must_read_or_refuse({"site.xml": mutate(WEBSITE.read_bytes(), *m)}, "website")
    must_read_or_refuse({"page.html": body}, "website")


@FUZZ
@given(st.text(max_size=400))
def test_website_any_feed(text):
    must_read_or_refuse({"feed.xml": ('<?xml version="1.0"?><rss version="2.0"><channel><item><title>'
                                      + text).encode()}, "website")


@FUZZ
@given(mutations)
def test_bluesky_damaged_repository(m):
    must_read_or_refuse({"repo.car": mutate(BLUESKY.read_bytes(), *m)}, "bluesky")


@FUZZ
@given(st.binary(max_size=300))
def test_any_bytes_any_name_any_platform(data):
    for name in ("Shares.csv", "tweets.js", "outbox.json", "repo.car", "export.xml", "posts.csv"):
        must_read_or_refuse({name: data})
    for platform in PLATFORMS:
        must_read_or_refuse({"x.json": data}, platform)


@FUZZ
@given(mutations)
def test_linkedin_damaged_fixture(m):
    must_read_or_refuse({"Shares.csv": mutate((LINKEDIN / "Shares.csv").read_bytes(), *m),
                         "Profile.csv": mutate((LINKEDIN / "Profile.csv").read_bytes(), *m)}, "linkedin")


@FUZZ
@given(json_values, st.lists(item_like, max_size=6))
def test_instagram_any_json(profile, posts):
    must_read_or_refuse({"personal_information/personal_information.json":
                         json.dumps({"profile_user": [{"string_map_data": {"Username": profile, "Bio": profile}}]}).encode(),
                         "content/posts_1.json": json.dumps([{"creation_timestamp": 1, "media": posts}] + posts).encode(),
                         "threads/threads_and_replies.json": json.dumps({"text_post_app_text_posts": posts}).encode()},
                        "instagram")
