import pytest
from conftest import WEBSITE

from auditor.errors import ExportFormatError
from auditor.ingest import load_export, sniff
from auditor.ingest.website import parse_page


def test_wxr_posts_comments_and_links():
    e = load_export(WEBSITE)
    posts = list(e.posts())
    assert sniff(WEBSITE).name == "website"
    assert e.account.handle == "mereanaclarke.nz"
    assert {lk.kind for lk in e.account.links} == {"linkedin", "twitter", "mastodon"}
    kinds = {p.kind for p in posts}
    assert {"article", "comment", "visitor-comment"} <= kinds
    visitors = [p for p in posts if p.kind == "visitor-comment"]
    assert {p.audience for p in visitors} == {"approved", "pending"}
    assert all(p.text == "Thanks for reading! The data is linked at the bottom of the post."
               for p in posts if p.kind == "comment")
    assert not any("wp:paragraph" in p.text for p in posts)
    assert any("draft" in w for w in e.warnings)


def test_hostile_xml_is_refused(tmp_path):
    p = tmp_path / "export.xml"
    p.write_text('<?xml version="1.0"?><!DOCTYPE r [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;">]>'
                 '<rss xmlns:wp="http://wordpress.org/export/1.2/"><channel><title>&b;</title></channel></rss>')
    with pytest.raises(ExportFormatError, match="never has"):
        load_export(p)


def test_broken_xml(tmp_path):
    p = tmp_path / "export.xml"
    p.write_text('<rss xmlns:wp="http://wordpress.org/export/1.2/"><channel><item><title>x</ti')
    with pytest.raises(ExportFormatError, match="not well-formed"):
        load_export(p)


def test_rss_and_atom_feeds(tmp_path):
    rss = tmp_path / "feed.xml"
    rss.write_text('<?xml version="1.0"?><rss version="2.0"><channel><title>Blog</title><link>https://b.nz</link>'
                   '<item><title>Vote Green</title><link>https://b.nz/1</link><pubDate>Mon, 02 Nov 2026 08:00:00 +0000</pubDate>'
                   '<description>&lt;p&gt;Party vote Green on Saturday.&lt;/p&gt;</description></item></channel></rss>')
    e = load_export(rss)
    posts = list(e.posts())
    assert e.account.handle == "b.nz" and posts[0].text.endswith("Party vote Green on Saturday.")
    atom = tmp_path / "atom.xml"
    atom.write_text('<?xml version="1.0"?><feed xmlns="http://www.w3.org/2005/Atom"><title>A</title>'
                    '<link href="https://a.nz/"/><entry><title>T</title><link href="https://a.nz/t"/>'
                    '<published>2026-01-01T00:00:00Z</published><content type="html">&lt;p&gt;hi&lt;/p&gt;</content></entry></feed>')
    posts = list(load_export(atom).posts())
    assert posts[0].url == "https://a.nz/t" and posts[0].created_at.year == 2026


def test_page_with_wordpress_comment_list():
    html = """<html><head><title>Post</title><link rel="canonical" href="https://me.nz/p/"></head><body>
    <nav><a href="/">Home</a></nav><article><h1>Rivers</h1><p>Our rivers need care.</p></article>
    <ol class="comment-list"><li id="comment-4" class="comment"><div class="comment-author"><b class="fn">Bob</b></div>
    <div class="comment-content"><p>Luxon is a liar</p></div></li>
    <li id="comment-5" class="comment bypostauthor"><div class="comment-content"><p>Thanks Bob</p></div></li></ol>
    <footer><a rel="me" href="https://mastodon.nz/@me">Mastodon</a> <a href="https://www.linkedin.com/in/me">in</a></footer>
    </body></html>"""
    posts, links, _ = parse_page(html, "pages/0001.html")
    assert [p.kind for p in posts] == ["article", "visitor-comment", "comment"]
    assert posts[0].url == "https://me.nz/p/" and "Luxon" not in posts[0].text
    assert {lk.kind for lk in links} == {"mastodon", "linkedin"}
