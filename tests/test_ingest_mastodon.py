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
