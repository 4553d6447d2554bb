import json

import pytest
from conftest import FACEBOOK, copy_tree

from auditor.errors import ExportFormatError
from auditor.ingest import load_export, sniff
from auditor.ingest.facebook import fix_all, fix_mojibake, parse_ts

POSTS = "your_facebook_activity/posts/your_posts__check_ins__photos_and_videos_1.json"


def test_fixture_profile_positions_and_kinds():
    e = load_export(FACEBOOK)
    posts = list(e.posts())
    assert sniff(FACEBOOK).name == "facebook"
    assert e.account.display_name == "Mereana Clarke"
    assert e.account.positions[0].employer == "Ministry for the Environment" and e.account.positions[0].current
    assert {"post", "share", "comment", "reaction"} <= {p.kind for p in posts}
    assert any("posted in" in p.title for p in posts)
    assert {s.reason for s in e.skipped} >= {"private messages: not read"}


def test_mojibake_repaired_in_fixture():
    posts = list(load_export(FACEBOOK).posts())
    text = " ".join(p.text for p in posts)
    assert "kōwhai" in text or "Māori" in text or "whānau" in text
    assert "Ã" not in text and "Å" not in text


@pytest.mark.parametrize("raw,fixed", [
    ("Rados\u00c5\u0082aw", "Radosław"),
    ("\u00f0\u009f\u0098\u0081", "😁"),
    ("plain", "plain"),
    ("Māori already right", "Māori already right"),
    ("café in Latin-1 but not UTF-8 bytes: \u00e9t\u00e9", "café in Latin-1 but not UTF-8 bytes: été"),
])
def test_fix_mojibake(raw, fixed):
    assert fix_mojibake(raw) == fixed


def test_fix_all_deep_structures_without_recursion():
    deep = cur = {}
    for _ in range(5000):
        cur["x"] = {}
        cur = cur["x"]
    cur["s"] = "\u00c4\u0081"
    out = fix_all(deep)
    for _ in range(5000):
        out = out["x"]
    assert out["s"] == "ā"


@pytest.mark.parametrize("value,year", [(1700000000, 2023), (1700000000123, 2023), (1700000000123456, 2023),
                                        ("1700000000", None), (-5, None), (True, None)])
def test_timestamps(value, year):
    d = parse_ts(value)
    assert (d.year if d else None) == year


def test_new_label_values_schema(tmp_path):
    d = copy_tree(FACEBOOK, tmp_path / "fb")
    (d / POSTS).write_text(json.dumps([{"timestamp": 1700000000, "label_values": [
        {"label": "Post", "value": "Party vote Green!"}, {"label": "URL", "value": "https://example.nz"}]}]))
    posts = [p for p in load_export(d).posts() if p.source.startswith(POSTS)]
    assert posts[0].text == "Party vote Green!" and posts[0].kind == "share"


def test_broken_posts_file(tmp_path):
    d = copy_tree(FACEBOOK, tmp_path / "fb")
    (d / POSTS).write_text('[{"timestamp": 1700000000, "data": [{"post": "a"}]}, {"timest')
    e = load_export(d)
    posts = [p for p in e.posts() if p.source.startswith(POSTS)]
    assert [p.text for p in posts] == ["a"] and any("damaged" in w for w in e.warnings)


def test_html_download_is_explained(tmp_path):
    d = tmp_path / "facebook-html"
    (d / "your_facebook_activity/posts").mkdir(parents=True)
    (d / "your_facebook_activity/posts/your_posts_1.html").write_text("<html></html>")
    (d / "personal_information/profile_information").mkdir(parents=True)
    (d / "personal_information/profile_information/profile_information.json").write_text(
        json.dumps({"profile_v2": {"name": {"full_name": "A B"}}}))
    e = load_export(d)
    assert any("JSON format" in w for w in e.warnings)


def test_profile_that_is_not_json(tmp_path):
    d = copy_tree(FACEBOOK, tmp_path / "fb")
    p = d / "personal_information/profile_information/profile_information.json"
    p.write_text('{"profile_v2": {"name": ')
    with pytest.raises(ExportFormatError, match="not readable JSON"):
        load_export(d)
