import datetime as dt
import shutil
import zipfile

import pytest
from conftest import LINKEDIN, LINKEDIN_BASIC

from auditor.errors import ExportFormatError, UnknownPlatformError
from auditor.ingest import load_export, sniff
from auditor.ingest.linkedin import _bracket_list, parse_article, parse_timestamp, urn_id
from auditor.models import PostKind


def kinds(export):
    out = {}
    for p in export.posts():
        out[p.kind] = out.get(p.kind, 0) + 1
    return out


def test_folder_profile_positions_and_emails():
    e = load_export(LINKEDIN)
    acc = e.account
    assert e.platform == "linkedin" and e.variant == "complete"
    assert acc.display_name == "Mereana Clarke"
    assert acc.headline.startswith("Senior Policy Advisor at Ministry for the Environment")
    assert "\n\n" in acc.bio  # multi-line quoted Summary kept whole
    assert acc.positions[0].employer == "Ministry for the Environment" and acc.positions[0].current
    assert acc.positions[0].started == dt.date(2022, 3, 1)
    assert acc.positions[1].finished == dt.date(2022, 3, 1)
    assert "mereana.clarke@mfe.govt.nz" in acc.emails
    assert [(lk.kind, lk.label) for lk in acc.links] == [
        ("twitter", "@mereana_c"), ("website", "PERSONAL"), ("website", "BLOG")]


def test_folder_and_zip_give_the_same_posts(make_zip):
    a = sorted((p.kind, p.id, p.text) for p in load_export(LINKEDIN).posts())
    b = sorted((p.kind, p.id, p.text) for p in load_export(make_zip(LINKEDIN)).posts())
    assert a == b and len(a) == 157


def test_post_kinds_and_fields():
    e = load_export(LINKEDIN)
    k = kinds(e)
    assert k == {PostKind.POST: 37, PostKind.SHARE: 2, PostKind.REPOST: 4, PostKind.COMMENT: 31,
                 PostKind.REACTION: 81, PostKind.ARTICLE: 2}
    posts = list(e.posts())
    multi = next(p for p in posts if p.text.startswith("Long post"))
    assert '"efficiency"' in multi.text and "\n\n" in multi.text  # doubled quotes and newlines
    assert multi.created_at.tzinfo is not None and multi.id.startswith("share:")
    comment = next(p for p in posts if p.kind == "comment")
    assert comment.id.startswith("comment:") and comment.target_url.startswith("https://www.linkedin.com/")
    reaction = next(p for p in posts if p.kind == "reaction" and "chrishipkins" in p.target_url)
    assert reaction.title == "LIKE" and reaction.text == ""
    assert {p.source.split(",")[0] for p in posts} >= {"Shares.csv", "Comments.csv", "Reactions.csv"}


def test_private_and_other_peoples_files_are_not_read():
    skipped = {s.name: s.reason for s in load_export(LINKEDIN).skipped}
    assert "private messages" in skipped["messages.csv"]
    assert "other people" in skipped["Connections.csv"]


def test_basic_archive_warns_that_activity_is_missing():
    e = load_export(LINKEDIN_BASIC)
    assert e.variant == "basic" and list(e.posts()) == []
    assert any("basic archive" in w for w in e.warnings)


def test_article_html():
    html = (LINKEDIN / "Articles/Articles/why-im-worried-about-fast-track.html").read_text()
    p = parse_article(html, "Articles/Articles/why-im-worried-about-fast-track.html")
    assert p.kind == "article" and p.title == "Why I'm worried about fast-track"
    assert p.created_at == dt.datetime(2024, 5, 2, 21, 58, tzinfo=dt.UTC)  # "Published on"
    assert p.url.startswith("https://www.linkedin.com/pulse/")
    assert "Fast-track Approvals Bill" in p.text and "font-family" not in p.text


# fmt: off
@pytest.mark.parametrize("value, expected", [
    ("2024-05-31 08:12:45", dt.datetime(2024, 5, 31, 8, 12, 45, tzinfo=dt.UTC)),
    ("2024-05-31 08:12:45 UTC", dt.datetime(2024, 5, 31, 8, 12, 45, tzinfo=dt.UTC)),
    ("2024-05-31T08:12:45Z", dt.datetime(2024, 5, 31, 8, 12, 45, tzinfo=dt.UTC)),
    ("not a date", None),
    ("", None),
])
# fmt: on
def test_parse_timestamp(value, expected):
    assert parse_timestamp(value) == expected


# fmt: off
@pytest.mark.parametrize("url, expected", [
    ("https://www.linkedin.com/feed/update/urn%3Ali%3Ashare%3A7012345678901234567", "share:7012345678901234567"),
    ("https://www.linkedin.com/feed/update/urn:li:activity:7012?commentUrn=urn%3Ali%3Acomment%3A%28activity%3A7012%2C7099%29", "comment:7099"),
    ("https://www.linkedin.com/posts/jane_doe-slug-activity-7123456789012345678-AbCd", "activity:7123456789012345678"),
    ("https://example.com/x", ""),
])
# fmt: on
def test_urn_id(url, expected):
    assert urn_id(url) == expected


def test_bracket_lists():
    assert _bracket_list("[@a,b]") == ["@a", "b"]
    assert _bracket_list("[PORTFOLIO:https://x.nz,BLOG:https://y.nz/a]") == ["PORTFOLIO:https://x.nz", "BLOG:https://y.nz/a"]
    assert _bracket_list("") == []


def _minimal(tmp_path, shares_bytes: bytes, name="Shares.csv"):
    d = tmp_path / "export"
    d.mkdir()
    shutil.copy(LINKEDIN / "Profile.csv", d / "Profile.csv")
    (d / name).write_bytes(shares_bytes)
    return d


def test_cp1252_resaved_file_still_reads(tmp_path):
    data = "Date,ShareLink,ShareCommentary,SharedUrl,MediaUrl,Visibility\r\n2024-01-02 03:04:05,,Café meeting – great,,,\r\n"
    d = _minimal(tmp_path, data.encode("cp1252"))
    e = load_export(d)
    [p] = list(e.posts())
    assert p.text == "Café meeting – great"
    assert any("not valid UTF-8" in w for w in e.warnings)


def test_utf16_with_bom_reads(tmp_path):
    data = "Date,ShareLink,ShareCommentary,SharedUrl,MediaUrl,Visibility\n2024-01-02 03:04:05,,Kia ora whānau,,,\n"
    d = _minimal(tmp_path, data.encode("utf-16"))
    assert [p.text for p in load_export(d).posts()] == ["Kia ora whānau"]


def test_preamble_before_header_and_member_id_suffix(tmp_path):
    data = ('Notes:\n"Some text LinkedIn puts first."\n\n'
            "Date,ShareLink,ShareCommentary,SharedUrl,MediaUrl,Visibility\n2024-01-02 03:04:05,,Hello,,,\n")
    d = _minimal(tmp_path, data.encode(), name="Shares_123456.csv")
    assert [p.text for p in load_export(d).posts()] == ["Hello"]


def test_localised_file_name_is_recognised_by_header(tmp_path):
    data = "Date,ShareLink,ShareCommentary,SharedUrl,MediaUrl,Visibility\n2024-01-02 03:04:05,,Hallo,,,\n"
    d = _minimal(tmp_path, data.encode(), name="Beiträge.csv")
    assert [p.text for p in load_export(d).posts()] == ["Hallo"]


def test_backslash_escaped_quotes_in_comments(tmp_path):
    data = 'Date,Link,Message\n2024-01-02 03:04:05,https://x/y,"She said \\"no\\", twice"\n'
    d = _minimal(tmp_path, data.encode(), name="Comments.csv")
    assert [p.text for p in load_export(d).posts()] == ['She said "no", twice']


def test_older_shares_without_visibility_column(tmp_path):
    data = "Date,ShareLink,ShareCommentary,SharedUrl,MediaUrl\n2024-01-02 03:04:05,,Old format,,\n"
    d = _minimal(tmp_path, data.encode())
    [p] = list(load_export(d).posts())
    assert p.text == "Old format" and p.audience == ""


def test_single_shares_file_can_be_passed(tmp_path):
    f = tmp_path / "Shares.csv"
    shutil.copy(LINKEDIN / "Shares.csv", f)
    assert sniff(f).name == "linkedin"
    assert len(list(load_export(f).posts())) == 41  # 43 shares minus the 2 InstantReposts rows


def test_named_file_with_foreign_headers_is_an_error(tmp_path):
    d = _minimal(tmp_path, b"id,permalink,date,body\n1,x,y,z\n")
    with pytest.raises(ExportFormatError, match="does not have LinkedIn's columns"):
        load_export(d)


def test_unrelated_folder_is_not_recognised(tmp_path):
    (tmp_path / "notes.txt").write_text("hello")
    with pytest.raises(UnknownPlatformError, match="not an export this tool recognises"):
        load_export(tmp_path)


def test_zip_member_order_and_top_folder_do_not_matter(tmp_path):
    z = tmp_path / "flat.zip"
    with zipfile.ZipFile(z, "w") as zf:
        for f in sorted(LINKEDIN.glob("*.csv"), reverse=True):
            zf.write(f, f.name)
    assert load_export(z).account.display_name == "Mereana Clarke"


def test_links_out_of_an_unpacked_folder_are_not_followed(tmp_path):
    outside = tmp_path / "secret"
    outside.mkdir()
    (outside / "Shares.csv").write_text("Date,ShareLink,ShareCommentary,SharedUrl,MediaUrl,Visibility\n"
                                        "2024-01-01 00:00:00,,Outside the export,,,\n")
    d = tmp_path / "export"
    d.mkdir()
    shutil.copy(LINKEDIN / "Profile.csv", d)
    (d / "Shares.csv").symlink_to(outside / "Shares.csv")
    from auditor.ingest._archive import open_source
    with open_source(d) as src:
        assert [m.name for m in src.members()] == ["Profile.csv"]
        assert src.outside_links == ["Shares.csv"]
    e = load_export(d)
    assert list(e.posts()) == []
    assert [(s.name, "outside" in s.reason) for s in e.skipped] == [("Shares.csv", True)]


def test_variant_comes_from_content_not_the_first_file_names(run):
    # issue 14, defect 1: a folder whose first members say "basic" but that holds activity is
    # the complete archive, and gets no "no posts" warning
    from conftest import LINKEDIN

    r = run("inspect", LINKEDIN.parent.parent)
    assert r.exit_code == 0
    assert "LinkedIn (complete archive)" in r.stdout and "basic archive: it has your profile but no posts" not in r.stdout
    b = run("inspect", LINKEDIN.parent.parent / "basic" / "Basic_LinkedInDataExport_11-02-2026")
    assert "LinkedIn (basic archive)" in b.stdout


def test_2018_export_utf16_tabs_and_an_unreadable_file_it_does_not_need(run, tmp_path):
    # issue 14, defect 10: a real 2018 export writes UTF-16 with tab separators, and one of its
    # files (Account Status History.csv) is not valid CSV; the audit needs only the others.
    import json

    from conftest import LINKEDIN

    d = tmp_path / "Basic_LinkedInDataExport_2018"
    d.mkdir()
    for name in ("Profile.csv", "Positions.csv"):
        text = (LINKEDIN / name).read_text(encoding="utf-8")
        rows = list(__import__("csv").reader(text.splitlines()))
        (d / name).write_bytes("\n".join("\t".join(r) for r in rows).encode("utf-16"))
    shares = ("Date\tShareLink\tShareCommentary\tSharedUrl\tMediaUrl\n"
              "2018-03-01 09:00:00\t\tTax cuts for landlords while hospitals close. Vote this government out.\t\t\n"
              "2018-03-02 09:00:00\t\tLovely walk on the beach this morning.\t\t\n")
    (d / "Shares.csv").write_bytes(shares.encode("utf-16"))
    (d / "Account Status History.csv").write_text('Time,Status\n"2018-01-01"x",Open\n', encoding="utf-8")
    r = run("audit", d, "--out", tmp_path / "o", "--format", "json")
    assert r.exit_code == 0, r.stderr
    data = json.loads((tmp_path / "o/findings.json").read_text())
    assert data["posts_scanned"] == 2
    assert any(s["file"].endswith("Account Status History.csv") and "not readable" in s["reason"]
               for s in data["skipped"])
