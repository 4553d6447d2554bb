"""Write the hostile and broken input corpus in this folder (run once; the files are committed).

    python tests/data/bad/generate.py

Each file is one case; tests/test_bad_inputs.py says what the tool must do with it.
"""

from __future__ import annotations

import io
import json
import random
import struct
import zipfile
from pathlib import Path

HERE = Path(__file__).parent
SHARES = "Date,ShareLink,ShareCommentary,SharedUrl,MediaUrl,Visibility\n"
PROFILE = ("First Name,Last Name,Maiden Name,Address,Birth Date,Headline,Summary,Industry,Zip Code,"
           "Geo Location,Twitter Handles,Websites,Instant Messengers\n"
           "Ana,Ruru,,,,Policy Advisor at Ministry for the Environment,,,,,,,\n")


def zip_of(files: dict[str, bytes], **kw) -> bytes:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED, **kw) as zf:
        for name, data in files.items():
            zf.writestr(name, data)
    return buf.getvalue()


def encrypted(data: bytes) -> bytes:
    """Set the 'encrypted' flag on every entry, as a password-protected ZIP has."""
    out = bytearray(data)
    for sig, flag_at in ((b"PK\x03\x04", 6), (b"PK\x01\x02", 8)):
        i = out.find(sig)
        while i >= 0:
            flags = struct.unpack_from("<H", out, i + flag_at)[0] | 0x1
            struct.pack_into("<H", out, i + flag_at, flags)
            i = out.find(sig, i + 4)
    return bytes(out)


def duplicate_names() -> bytes:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as zf:
        zf.writestr("export/Profile.csv", PROFILE)
        zf.writestr("export/Shares.csv", SHARES + "2024-01-01 10:00:00,,first copy,,,PUBLIC\n")
        import warnings
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            zf.writestr("export/Shares.csv", SHARES + "2024-01-01 10:00:00,,second copy,,,PUBLIC\n")
    return buf.getvalue()


CASES: dict[str, bytes] = {
    # --- archives ---
    "zip-bomb.zip": zip_of({"export/Shares.csv": SHARES.encode() + b"0" * 60_000_000}),
    "path-traversal.zip": zip_of({"../../evil/Shares.csv": SHARES.encode()}),
    "absolute-path.zip": zip_of({"/etc/cron.d/Shares.csv": SHARES.encode()}),
    "windows-drive-path.zip": zip_of({"C:/Users/x/Shares.csv": SHARES.encode()}),
    "encrypted.zip": encrypted(zip_of({"export/Profile.csv": PROFILE.encode()})),
    "nested.zip": zip_of({"outer/inner.zip": zip_of({"export/Profile.csv": PROFILE.encode()})}),
    "duplicate-names.zip": duplicate_names(),
    "truncated.zip": zip_of({"export/Profile.csv": PROFILE.encode(),
                             "export/Shares.csv": SHARES.encode() + random.Random(1).randbytes(60_000)})[:30_000],
    "not-a-zip.zip": b"This is a text file that someone renamed to .zip\n",
    "empty.zip": b"",
    "empty-archive.zip": zip_of({}),
    # --- content ---
    "Shares-cp1252.csv": (SHARES + "2024-01-01 10:00:00,,Caf\xe9 meeting with the na\xefve team,,,PUBLIC\n").encode("latin-1"),
    "Shares-utf16.csv": (SHARES + "2024-01-01 10:00:00,,Kia ora Māori,,,PUBLIC\n").encode("utf-16"),
    "Shares-bom-crlf.csv": ("\ufeff" + SHARES + "2024-01-01 10:00:00,,\"two\r\nlines\",,,PUBLIC\n").replace("\n", "\r\n").encode(),
    "Shares-truncated.csv": (SHARES + "2024-01-01 10:00:00,,fine,,,PUBLIC\n2024-01-02 10:00:00,,\"cut off mid").encode(),
    "Shares-nul-bytes.csv": (SHARES + "2024-01-01 10:00:00,,a\x00b,,,PUBLIC\n").encode(),
    "Shares-other-headers.csv": b"when,what,where\n1,2,3\n",
    "Shares-only-header.csv": SHARES.encode(),
    "Shares-wrong-column-count.csv": (SHARES + "2024-01-01,,a\n2024-01-02,,b,c,d,e,f,g,h\n").encode(),
    "Shares-formula-injection.csv": (SHARES + '2024-01-01 10:00:00,,"=HYPERLINK(""http://evil"",""x"") Vote them out #nzpol",,,PUBLIC\n').encode(),
    "Beiträge-localised.csv": (SHARES + "2024-01-01 10:00:00,,Guten Tag aus Wellington,,,PUBLIC\n").encode(),
    "empty.csv": b"",
    "whitespace-only.csv": b"   \n\n  \t\n",
    "binary-garbage.csv": bytes(range(256)) * 4,
    "tweets-truncated.js": b'window.YTD.tweets.part0 = [ {"tweet": {"id_str": "1", "full_text": "first", "created_at": "Sat Feb 18 12:33:11 +0000 2023"}}, {"tweet": {"id_str": "2", "full_te',
    "tweets-not-json.js": b"window.YTD.tweets.part0 = <html>Rate limit exceeded</html>",
    "tweets-wrong-types.js": b'window.YTD.tweets.part0 = [{"tweet": {"id_str": 5, "full_text": ["a"]}}, {"tweet": null}, 7, "x", {"tweet": {"id_str": "9", "full_text": "ok", "entities": {"urls": "nope"}, "created_at": 3}}]',
    "tweets-deeply-nested.js": b"window.YTD.tweets.part0 = " + b"[" * 100_000 + b"]" * 100_000,
    "tweets-prefix-only.js": b"window.YTD.tweets.part0 = ",
    "tweets-empty-array.js": b"window.YTD.tweets.part0 = [ ];",
    # Twitter archives of 2012-2018
    "2013_02-truncated.js": 'Grailbird.data.tweets_2013_02 = \n[ {\n  "id_str" : "1",\n  "text" : "first &amp; last",\n  "created_at" : "2013-02-25 18:04:10 +0000"\n}, {\n  "id_str" : "2",\n  "te'.encode(),
    "2013_02-not-json.js": b"Grailbird.data.tweets_2013_02 = \n<html><body>Something went wrong</body></html>",
    "tweets-other-columns.csv": b'"id","date","tweet"\n"1","2013-02-25","hello"\n',
    "tweets-cp1252.csv": ('"tweet_id","in_reply_to_status_id","in_reply_to_user_id","timestamp","source","text",'
                          '"retweeted_status_id","retweeted_status_user_id","retweeted_status_timestamp","expanded_urls"\n'
                          '"306125398000000000","","","2013-02-25 18:04:10 +0000","web","Caf\xe9 with the na\xefve team","","","",""\n'
                          ).encode("latin-1"),
    "outbox-duplicate-keys.json": json.dumps({"@context": "https://www.w3.org/ns/activitystreams", "type": "OrderedCollection"})[:-1].encode()
        + b', "orderedItems": [], "orderedItems": [{"type": "Create", "object": {"type": "Note", "content": "<p>hi</p>", "to": ["https://www.w3.org/ns/activitystreams#Public"]}}]}',
    "actor-broken.json": b'{"@context": "https://www.w3.org/ns/activitystreams", "type": "Person", "preferredUsername": "x", "summary": ',
    "profile_information-mojibake.json": json.dumps({"profile_v2": {"name": {"full_name": "Mereana Clarke".replace("e", "\u00c3\u00a9")}}}).encode(),
    "facebook-posts-wrong-shape.json": b'[{"timestamp": "yesterday", "data": "not a list", "attachments": {"a": 1}}, {"timestamp": 1700000000, "data": [{"post": 42}]}]',
    "wxr-billion-laughs.xml": b'<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol"><!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;"><!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">]><rss xmlns:wp="http://wordpress.org/export/1.2/"><channel><title>&lol3;</title></channel></rss>',
    "wxr-external-entity.xml": b'<?xml version="1.0"?><!DOCTYPE r [<!ENTITY xxe SYSTEM "file:///etc/passwd">]><rss xmlns:wp="http://wordpress.org/export/1.2/"><channel><title>&xxe;</title></channel></rss>',
    "wxr-truncated.xml": b'<?xml version="1.0"?><rss xmlns:wp="http://wordpress.org/export/1.2/"><channel><title>Site</title><item><title>Post</title><wp:status>publish</wp:status>',
    "feed-garbage.xml": b"<rss><channel><item><title>x</title>\x00\x01\x02 not xml at all",
    "repo-garbage.car": b"\x0a\xa2eroots\x80gversion\x01" + b"\xff" * 200,
    "repo-truncated.car": b"",  # filled in below from the fixture
    "page-with-scripts.html": b'<html><head><script>alert(1)</script><title>Me</title></head><body><article><p>Hello</p><script>document.title="x"</script></article></body></html>',
    "unknown.txt": b"Just some notes I wrote.\n",
}


def main() -> None:
    car = (HERE.parent.parent.parent / "fixtures/bluesky/repo.car").read_bytes()
    CASES["repo-truncated.car"] = car[: len(car) // 3]
    for name, data in CASES.items():
        (HERE / name).write_bytes(data)
    print(f"wrote {len(CASES)} cases")


if __name__ == "__main__":
    main()
