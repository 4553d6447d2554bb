import json

import pytest
from conftest import INSTAGRAM, copy_tree

from auditor.errors import ExportFormatError
from auditor.ingest import load_export, sniff

POSTS = "your_instagram_activity/content/posts_1.json"


def test_fixture_profile_posts_and_threads():
    e = load_export(INSTAGRAM)
    posts = list(e.posts())
    assert sniff(INSTAGRAM).name == "instagram"
    assert e.account.handle == "mereana_c" and e.account.display_name == "Mereana Clarke"
    assert "Pōneke" in e.account.bio  # mojibake repaired
    assert e.account.links[0].url == "https://mereanaclarke.nz"
    assert len(posts) == 46 and sum(p.title == "Threads" for p in posts) == 6
    assert all(p.created_at and p.created_at.year >= 2023 for p in posts)
    assert any("messages" in s.name for s in e.skipped)


def test_caption_in_the_post_or_in_its_single_photo(tmp_path):
    d = copy_tree(INSTAGRAM, tmp_path / "ig")
    (d / POSTS).write_text(json.dumps([
        {"media": [{"uri": "a.jpg", "creation_timestamp": 1700000000, "title": "Vote them out"}]},
        {"media": [{"uri": "b.jpg", "creation_timestamp": 1700000001, "title": ""}], "title": "Beach day",
         "creation_timestamp": 1700000001},
        {"media": [{"uri": "c.jpg", "creation_timestamp": 1700000002, "title": ""}]},
        {"media": "not a list", "title": 5}]))
    texts = [p.text for p in load_export(d).posts() if p.title != "Threads"]
    assert texts == ["Vote them out", "Beach day"]


def test_damaged_posts_file(tmp_path):
    d = copy_tree(INSTAGRAM, tmp_path / "ig")
    raw = (d / POSTS).read_bytes()
    (d / POSTS).write_bytes(raw[: len(raw) // 2])
    e = load_export(d)
    posts = [p for p in e.posts() if p.title != "Threads"]
    assert 5 < len(posts) < 40 and any("damaged" in w for w in e.warnings)


def test_broken_profile(tmp_path):
    d = copy_tree(INSTAGRAM, tmp_path / "ig")
    (d / "personal_information/personal_information/personal_information.json").write_text('{"profile_user": [{"string_map_data": {"Username"')
    with pytest.raises(ExportFormatError):
        load_export(d)
