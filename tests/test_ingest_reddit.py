import pytest
from conftest import REDDIT, copy_tree

from auditor.ingest import load_export, sniff
from auditor.ingest.reddit import parse_date


def test_fixture_account_posts_comments():
    e = load_export(REDDIT)
    posts = list(e.posts())
    assert sniff(REDDIT).name == "reddit"
    assert e.account.handle == "tuiwatcher"
    assert {"post", "comment"} <= {p.kind for p in posts}
    assert all(p.url.startswith("https://www.reddit.com/r/") for p in posts)
    assert not any(p.text == "[deleted]" for p in posts)
    assert not any("203.0.113" in (p.text + p.url + p.source) for p in posts)
    assert {s.reason for s in e.skipped} >= {"private messages: not read"}


def test_extra_gildings_columns_and_bom(tmp_path):
    d = copy_tree(REDDIT, tmp_path / "r")
    (d / "comments.csv").write_bytes(
        "\ufeffid,permalink,date,ip,subreddit,gildings,gildings_silver,gildings_supergold,link,parent,body,media\r\n"
        'c1,/r/nz/comments/a/b/c1/,2024-05-01 10:00:00 UTC,1.2.3.4,nz,{},0,0,https://x,t3_a,"Vote them out,\r\nall of them",\r\n'
        .encode("utf-8"))
    posts = [p for p in load_export(d).posts() if p.kind == "comment"]
    assert posts[0].text == "Vote them out,\r\nall of them" or posts[0].text == "Vote them out,\nall of them"
    assert posts[0].created_at.year == 2024


def test_other_headers_are_explained(tmp_path):
    d = tmp_path / "r"
    d.mkdir()
    (d / "comments.csv").write_text("when,what\n1,2\n")
    from auditor.errors import ExportFormatError
    with pytest.raises(ExportFormatError, match="found: when, what"):
        load_export(d)


@pytest.mark.parametrize("v,ok", [("2023-01-15 12:34:56 UTC", True), ("2023-01-15T12:34:56Z", True), ("soon", False)])
def test_parse_date(v, ok):
    assert (parse_date(v) is not None) == ok
