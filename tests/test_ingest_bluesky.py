import pytest
from conftest import BLUESKY

from auditor.errors import ExportFormatError
from auditor.ingest import load_export, sniff
from auditor.ingest.bluesky import read_repo


def test_fixture_profile_and_posts():
    e = load_export(BLUESKY)
    posts = list(e.posts())
    assert sniff(BLUESKY).name == "bluesky"
    assert e.account.display_name == "Mereana Clarke" and e.account.handle.startswith("did:plc:")
    assert e.account.label == "Bluesky (Mereana Clarke)"
    assert {"post", "reply", "repost", "share"} <= {p.kind for p in posts}
    post = next(p for p in posts if p.kind == "post")
    assert post.url.startswith("https://bsky.app/profile/did:plc:") and "/post/" in post.url
    assert any("like record" in s.name for s in e.skipped)


def test_mst_walk_finds_every_record_in_order():
    did, records = read_repo(BLUESKY.read_bytes(), "repo.car")
    keys = [k for k, _ in records]
    assert keys == sorted(keys) and len(keys) == len(set(keys)) == 85
    assert did.startswith("did:plc:")


@pytest.mark.parametrize("data", [b"\x0a" + b"\xa2eroots\x80gversion\x01" + b"\x00" * 3, b"\x05roots", b""])
def test_damaged_car(tmp_path, data):
    p = tmp_path / "repo.car"
    p.write_bytes(BLUESKY.read_bytes()[:100] if not data else data)
    with pytest.raises(ExportFormatError):
        load_export(p, "bluesky")


def test_truncated_car(tmp_path):
    p = tmp_path / "repo.car"
    raw = BLUESKY.read_bytes()
    p.write_bytes(raw[: len(raw) // 2])
    with pytest.raises(ExportFormatError, match="not a readable Bluesky"):
        load_export(p)
