import json

import pytest
from conftest import MASTODON, copy_tree

from auditor.errors import ExportFormatError
from auditor.ingest import load_export, sniff
from auditor.ingest._html import html_to_text
from auditor.ingest.mastodon import visibility

PUBLIC = "https://www.w3.org/ns/activitystreams#Public"


def test_fixture_profile_fields_and_posts():
    e = load_export(MASTODON)
    posts = list(e.posts())
    assert sniff(MASTODON).name == "mastodon"
    assert e.account.handle == "mereana@mastodon.nz"
    assert [lk.kind for lk in e.account.links] == ["website", "linkedin"]
    assert "LinkedIn: https://www.linkedin.com/in/mereana-clarke-nz" in e.account.bio
    assert {"post", "reply", "repost"} <= {p.kind for p in posts}
    assert not any("<" in p.text for p in posts)
    assert any(s.reason.startswith("direct messages") for s in e.skipped)
    assert any(p.audience == "followers" for p in posts)


def test_duplicate_ordered_items_key_reads_the_real_list():
    raw = (MASTODON / "outbox.json").read_text()
    assert raw.count('"orderedItems"') == 2
    assert len(list(load_export(MASTODON).posts())) > 100


@pytest.mark.parametrize("to,cc,expected", [
    ([PUBLIC], [], "public"), (["x/followers"], [PUBLIC], "unlisted"),
    (["https://h/users/me/followers"], [], "followers"), (["https://h/users/friend"], [], "direct"),
])
def test_visibility(to, cc, expected):
    assert visibility({}, {"to": to, "cc": cc}) == expected


def test_html_to_text_keeps_words_and_joins_links():
    html = ('<p>Vote <a href="https://m/tags/nzpol" class="mention hashtag">#<span>nzpol</span></a></p>'
            '<p>see <a href="https://rnz.co.nz/a"><span class="invisible">https://</span>'
            '<span class="ellipsis">rnz.co.nz/a</span></a><br/>ok &amp; done</p>')
    assert html_to_text(html, "paragraphs") == "Vote #nzpol\n\nsee https://rnz.co.nz/a\nok & done"


def test_content_warning_is_kept(tmp_path):
    d = copy_tree(MASTODON, tmp_path / "m")
    note = {"id": "n1", "type": "Note", "summary": "nzpol", "content": "<p>Vote them out</p>",
            "published": "2024-01-01T00:00:00Z", "to": [PUBLIC], "cc": []}
    (d / "outbox.json").write_text(json.dumps({"type": "OrderedCollection", "orderedItems": [
        {"type": "Create", "object": note}, {"type": "Create", "object": "not a dict"}, {"type": "Like"}]}))
    posts = list(load_export(d).posts())
    assert [p.text for p in posts] == ["CW: nzpol\n\nVote them out"]


def test_broken_actor(tmp_path):
    d = copy_tree(MASTODON, tmp_path / "m")
    (d / "actor.json").write_text('{"@context": "https://www.w3.org/ns/activitystreams", "preferredUsername": ')
    with pytest.raises(ExportFormatError, match="not readable JSON"):
        load_export(d)


def test_favourites_are_counted_and_the_person_told_where_to_review_them(tmp_path):
    """Mastodon's likes.json holds only the addresses of the posts, so nothing offline can read
    them; favourites are public, so the skipped line says how many and where to look."""
    d = copy_tree(MASTODON, tmp_path / "m")
    (d / "likes.json").write_text(json.dumps({"@context": "https://www.w3.org/ns/activitystreams", "id": "likes.json",
                                              "type": "OrderedCollection",
                                              "orderedItems": [f"https://x.social/users/a/statuses/{i}" for i in range(7)]}))
    (d / "bookmarks.json").write_text(json.dumps({"type": "OrderedCollection", "orderedItems": ["https://x.social/1"] * 2,
                                                  "@context": "https://www.w3.org/ns/activitystreams"}))
    reasons = {s.name.rsplit("/", 1)[-1]: s.reason for s in load_export(d).skipped}
    assert reasons["likes.json"].startswith("7 favourite(s) of other people's posts: the export keeps only their addresses")
    assert reasons["likes.json"].endswith("review them at https://mastodon.nz/favourites")
    assert reasons["bookmarks.json"] == "2 bookmark(s): only you see them, so there is nothing to change"
    (d / "likes.json").write_text('{"@context": "https://www.w3.org/ns/activitystreams", "orderedItems": ["a", ')
    assert load_export(d).skipped  # a damaged list still reads, with the plain reason
    assert any(s.reason == "likes and bookmarks of other people's posts: not audited" for s in load_export(d).skipped)
