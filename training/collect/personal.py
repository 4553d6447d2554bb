"""Other people's personal exports: ``personal/pool_<owner>__<repo>.jsonl`` and ``personal/labels_*.jsonl``.

Each pool is everything one person posted in the export they published on GitHub (X/Twitter,
Facebook, Mastodon, LinkedIn, a micro-blog), one post a line, with the person's own posts only:
retweets/boosts, posts by other accounts, direct messages where they can be told apart, empty
texts and repeated texts are dropped. Three helpers collected them (A: X and Facebook; B: Mastodon
and LinkedIn; E: more X archives and one blog) with slightly different row fields, which are kept;
later rounds added French (F) and Spanish (G) writers in helper E's fields:

* A: ``source, repo, commit, path, id, created_at, platform_lang, text, text_norm``
  (``text_norm``: @handles → ``@user``, URLs → ``http``; X ``created_at`` as in the archive);
* B, E, F and G: ``source, repo, commit, path, id, created_at, platform_lang, text`` (E, F, G: ISO
  UTC dates).

The hand labels are kept without text in ``training/labels/personal.jsonl``: one row per labelled
post (``source``, ``id``, ``lang``, ``selection``, the three labels and ``file``, the letter of the
``labels_<file>.jsonl`` it came from). :func:`join_labels` looks each post up in the rebuilt pools
by ``source`` + ``id`` and writes ``labels_<file>.jsonl`` again, with the text (the labellers'
notes are not kept: they quote the posts).
"""

from __future__ import annotations

import csv
import datetime as dt
import html
import io
import json
import re
import sqlite3
import tempfile
from collections import Counter, defaultdict
from pathlib import Path

from .mirror import AbsentBlob, Mirror, Source, write_jsonl

csv.field_size_limit(10**9)

LABELS = Path(__file__).resolve().parent.parent / "labels" / "personal.jsonl"
#: Field order of the rebuilt labels files (corpora.personal reads them by name).
LABEL_FIELDS = ("source", "id", "text", "lang", "selection", "political", "political_kind", "disrespect", "grievance")

# --- the exports ------------------------------------------------------------------------------
#: Helper A, X/Twitter: (repo, commit, kind, path); kind "js" = new-style data/tweets.js,
#: "grailbird" = the old archive with one data/js/tweets/YYYY_MM.js a month.
A_X = [
    ("andreruffert/twitter", "83dc6c3e8c466488d3cc0d77605bf97fd811b7df", "js", "data/tweets.js"),
    ("alrocar/tw", "f5a15016ab83dee3f09b22e0747f06785f085bcb", "js", "data/tweets.js"),
    ("vovavasylyna/mytwitterarchive", "fac4d229c8ea10a676450258ffc41580ff02d9d6", "js", "data/tweets.js"),
    ("mkommar/twitter", "dc564ec146e245a58e5a4cebaf223d013040425b", "js", "data/tweets.js"),
    ("AlliePinnell/FinalTwitterBackup", "b0be2142e1aa81422043f2bc0b231c1c57caea9d", "js", "data/tweets.js"),
    ("anildash/tweets", "76663853878deac7fb13da560560005ca691f46c", "grailbird", None),
    ("0xabad1dea/tweets", "0dd5d01b80058104752cd7758866ab8e79c25abe", "grailbird", None),
    ("IaninSheffield/MyTweets", "03fe50ee288d56cf8e11a28f0aa4203fbb4c62b5", "grailbird", None),
]
#: Helper A, Facebook ``your_posts*.json``.
A_FACEBOOK = [
    ("Lucasfdz/Destripado-Facebook", "9d4c3da7b4b43e4413c38e3f3acaf3bd388cf737", "your_posts_1.json"),
    ("Rishika-Drona/Fb-post-Analysis", "db851b19c6f5f27fd4c713e7f7b576044f7257a6", "your_posts_1.json"),
    ("kis81/dataday3", "35c0c89f747e53545aaa9796c9eb615bc347b315", "your_posts_1.json"),
    ("martinsantos/postsraylan", "ef19f74073d638cb7788336621047e6453bfe01d", "your_posts_2.json"),
    ("uliuphoff/fbpostview", "bb1a7b8fa6b00511691eb22859339f8ceccf0d30", "your_posts.json"),
    ("piter-a/FacebookDataAnalysis", "607561bcf0c4f98805fbd5a6abb0a35ef2fb3127", "your_posts_1.json"),
]
#: Helper B, Mastodon.
B_QUICOTO = Source("quicoto/mastodon-archive", "6b238262cd6d967b98284436307139b2519df1f2")  # removed before HEAD
B_HAWKSWORTH = Source("philhawksworth/hawksworx.com", "acc6f5d5b37de2366759bb9f9778abbe10f6e7b8")
B_TANGLAO = Source("rtanglao/devdilettante-backups", "483e1caf6405ed97f1d7ac77b63501de4eb76f65")
B_TANGLAO_PATH = ("2024-05-04-devdilettante-com-archive-20240505032936-7d3110aafe1a03f80e3db147600edd38/"
                  "array_filtered_id_content.json")
B_BELDERBOS = Source("bbelderbos/mastodon-backup", "d523e9ee640bcc606199969adf8c94f7a633e862")
B_STROEM = Source("frederikstroem/toots", "26593badb9cccac1d9c55d80ce5e82b7a67e6ed1")
#: Helper B, LinkedIn: (repo, commit, [(csv path, text column, id column)]).
_SHARES = ("Shares.csv", "ShareCommentary", "ShareLink")
_COMMENTS = ("Comments.csv", "Message", "Link")
B_LINKEDIN = [
    ("Femi10/Linkedin-Data-Visualization", "fec71eee77b64330737bc33a29b06318b4360293", [_SHARES, _COMMENTS]),
    ("SStellaMary/LinkedIn-Analysis", "f4147dbd1c89ced21a0570a824e4b8c93f575131", [_SHARES]),
    ("apk0703/linkdin_profile_analysis", "40aeb9aab9b3f6893b44fcc12951967bcc94c5d5", [_SHARES, _COMMENTS]),
    ("boriskehr76/ask-boris", "77c46b5c6602d9cb24a385c0cca9c30235bb71c3", [_SHARES]),
    ("GEJ1/buscador-linkedin", "22f64f52ed4380592c0cece052e7cad40be95fc7",
     [("data/Shares.csv", "ShareCommentary", "ShareLink")]),
    ("ankitdhal/LinkedinProfileAnalysis", "2cef49db9103326b23d003a558c920cbb106c7dd", [_COMMENTS]),
]
#: Helper E, X/Twitter Grailbird archives.
E_X = [
    ("phocks/tweets", "37259bbdc2773c89d57a72961169d90e39db2995"),
    ("keisisqrl/twitter-archive", "813c6a94b8198d3824a96baf34e45b31b375d106"),
    ("lisaphillips/tweets", "719a046233be1a70c177908a3160990191c4930e"),
    ("LeeFallin/twitter", "6ba33287d9c39da4dd44dc06945e6bdbbe899933"),
    ("saltcod/tweets", "a380ed25db92a1054ccff7f89964bf6f4071a3b1"),
    ("rinneh/twitter-archive", "75beea26992daa06f478bf2d9201f875601cf983"),
    ("ellenforsyth/ellenforsyth-tweets", "66966571881d3f6e30552f5dafe3567ce47f3489"),
    ("troutcolor/tweetarchive", "c4271f8260e7f7657c5fc0a58a4307ffc82d44ba"),
    ("dgageot/tweets", "a55f09db3cc1dc4d7646916c4b85b153a4942dee"),
]
#: Helper E, a Hugo micro-blog (notes only).
E_BLOG = Source("rmdes/rmdes-static-hugo", "7717d43582358142536547935a5e734eeab53ee7")
#: Helper F (French, issue 12), X/Twitter Grailbird archives: (repo, commit, folder of the archive).
F_X = [
    ("sametmax/miroir-du-blog", "cc6176fb4a8add924c504472ee96ed31b1cba82b", "tweets/"),
    ("benjam1nm/twitter", "4c8c92a1923cc9a484c95f8d106326e35c539969", ""),
]
#: Helper F, a Jekyll blog in French (issue 12, second French round): Boris Schapira's site, in
#: David Larlet's fork (the original repository is too large to fetch); content CC BY.
F_BLOG = Source("davidbgk/boris.schapira.dev", "76fa2f8df0aa8735c8b3acf9a8698d47c7c1f9c1")
F_BLOG_FOLDER = "_posts/fr/"
#: Helper G (Spanish, issue 12), X/Twitter Grailbird archives: (repo, commit, folder of the
#: archive). @el3ctron, a Colombian systems engineer (2007-2014).
G_X = [
    ("el3ctron/el3ctron.github.io", "1959e0d466c3600dc44bc893ccda1fa7999b74d7", "serve/tweets/"),
]

#: Helper H (German, issue 12): X/Twitter Grailbird archives (repo, commit, folder), all three
#: test people, and two blogs, the develop people: Thomas Marquart's (Pelican: "Key: value"
#: headers) and Marius Timmer's (Hugo; the German ``*.de.md`` posts).
H_X = [
    ("NiciDieNase/twitterarchiv", "75b30866941423972a64482e3a17d95851a95cdd", ""),
    ("drikkes/drikkes.github.io", "f943c1092efdeb9de9c00fa532b8c8a557b52bee", ""),
    ("pintman/twitter", "e4d2c740d6fa39de455fca2bfd59499c8eabde4e", ""),
]
H_PELICAN = Source("ivh/tmy.se", "2f8cc6b2a0fe5f779753620b5123e0e1237932be")
H_HUGO = Source("MariusTimmer/Blog", "b576b8b84cf4753a4bb958fdb537d17b01c1d07f")
#: Helper I (Dutch, issue 12): one X/Twitter Grailbird archive (Frank Meeuwsen) and six personal
#: blogs, found by a helper search; (source, folder, file-name suffix). Hugo page bundles
#: (``<slug>/index.md``) take the bundle's folder as their id.
I_X = [("frankmeeuwsen/TwitterArchive", "1f7769136157e16358a359798f3bfef9a07e460b", "")]
I_BLOGS = [
    (Source("alper/alpernl", "f1746b100ea46e594b9d2dc1e24c85b116418cb3"), "content/posts/", ".md"),
    (Source("vicmortelmans/gelovenleren", "7587d414ca79d10eacf5a45274fe6860839bb033"), "content/post/", ".md"),
    (Source("Pandaqi/Tiamo-Pastoor", "4dc5cda2508ae8f03f896c4bc34eebb0fe2cb74c"), "tiamopastoor/content/blog/", ".md"),
    (Source("dotkarl/my-software-development-blog", "43ffb7ae458b628304adc552ef4d85c7ccb8425c"), "content/blog/", ".md"),
    (Source("reinier/fyi", "593715609816f7a04c8c70fa63cc6a82b6ce5cbf"), ("src/blog/", "src/nieuwsbrief/"), ".md"),
    (Source("Roald87/roaldin.ch", "a09f9b53b037a31424e0added1c1b619eaf3c03d"), "_posts/", ".md"),
]

SOURCES = ([Source(r, c) for r, c, _, _ in A_X] + [Source(r, c) for r, c, _ in A_FACEBOOK]
           + [B_QUICOTO, B_HAWKSWORTH, B_TANGLAO, B_BELDERBOS, B_STROEM]
           + [Source(r, c) for r, c, _ in B_LINKEDIN] + [Source(r, c) for r, c in E_X] + [E_BLOG] + [Source(r, c) for r, c, _ in F_X] + [F_BLOG]
           + [Source(r, c) for r, c, _ in G_X] + [Source(r, c) for r, c, _ in H_X] + [H_PELICAN, H_HUGO]
           + [Source(r, c) for r, c, _ in I_X] + [src for src, _, _ in I_BLOGS])


def pool_name(repo: str) -> str:
    return f"pool_{repo.replace('/', '__')}.jsonl"


def _js_payload(txt: str):
    """The JSON after ``window.YTD.tweets.part0 =`` / ``Grailbird.data.tweets_2010_03 =``."""
    return json.loads(txt[txt.index("=") + 1:].strip().rstrip(";"))


def _dedupe_texts(rows):
    seen = set()
    for r in rows:
        if r["text"].strip() and r["text"] not in seen:
            seen.add(r["text"])
            yield r


# --- helper A ---------------------------------------------------------------------------------

def _text_norm(text: str) -> str:
    return re.sub(r"@\w+", "@user", re.sub(r"https?://\S+", "http", text))


def _mojibake(s: str) -> str:
    """Facebook exports write UTF-8 bytes as Latin-1 code points."""
    try:
        return s.encode("latin-1").decode("utf-8")
    except UnicodeError:
        return s


def _a_grailbird(m: Mirror, repo: str, commit: str):
    """(tweet, path) of the owner's tweets in a Grailbird archive (other accounts' tweets dropped)."""
    owner = re.search(r'"id" : "(\d+)"', m.text(repo, commit, "data/js/user_details.js")).group(1)
    files = [f for f in m.ls(repo, commit) if re.search(r"data/js/tweets/\d{4}_\d{2}\.js$", f)]
    for f in files:
        try:
            txt = m.text(repo, commit, f)
        except AbsentBlob:
            continue  # month files of 4 MiB or more are absent from the snapshot
        if not txt.strip():
            continue
        try:
            tweets = _js_payload(txt)
        except ValueError:
            continue
        for t in tweets:
            if str(t.get("user", {}).get("id_str", owner)) == owner:
                yield t, f


def pools_a(m: Mirror):
    for repo, commit, kind, path in A_X:
        if kind == "js":
            items = [(it.get("tweet", it), path) for it in _js_payload(m.text(repo, commit, path))]
        else:
            items = list(_a_grailbird(m, repo, commit))
        rows = []
        for t, p in items:
            text = (t.get("full_text") or t.get("text") or "") if kind == "js" else t.get("text", "")
            if text.startswith("RT @") or "retweeted_status" in t:
                continue
            text = html.unescape(text or "")
            tid = (t.get("id_str") or str(t.get("id"))) if kind == "js" else t.get("id_str")
            rows.append({"source": "x:" + repo, "repo": repo, "commit": commit, "path": p, "id": tid,
                         "created_at": t.get("created_at"), "platform_lang": t.get("lang"), "text": text,
                         "text_norm": _text_norm(text)})
        yield repo, list(_dedupe_texts(rows))
    for repo, commit, path in A_FACEBOOK:
        rows = []
        for i, item in enumerate(json.loads(m.text(repo, commit, path))):
            for k, d in enumerate(item.get("data", [])):
                if "post" not in d:
                    continue
                text = _mojibake(d["post"])
                if re.match(r"^Retweeted [^\n]*\(@\w+\):", text):
                    continue  # someone else's tweet cross-posted to Facebook
                ts = item.get("timestamp")
                rows.append({"source": "facebook:" + repo, "repo": repo, "commit": commit, "path": path,
                             "id": f"{ts}-{i}-{k}",
                             "created_at": dt.datetime.fromtimestamp(ts, dt.timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")
                             if ts else None,
                             "platform_lang": None, "text": text, "text_norm": _text_norm(text)})
        yield repo, list(_dedupe_texts(rows))


# --- helper B ---------------------------------------------------------------------------------
PUBLIC = "https://www.w3.org/ns/activitystreams#Public"


def _html_to_text(s: str | None) -> str:
    if not s:
        return ""
    s = re.sub(r"(?i)<br\s*/?>", "\n", s)
    s = re.sub(r"(?i)</p>\s*<p[^>]*>", "\n\n", s)
    s = re.sub(r"(?i)</?p[^>]*>", "", s)
    s = html.unescape(re.sub(r"<[^>]+>", "", s)).replace("\r\n", "\n")
    s = re.sub(r"[ \t]+\n", "\n", s)
    return re.sub(r"\n{3,}", "\n\n", s).strip()


def _linkedin_text(t: str | None) -> str:
    """Undo the export's wrapping of each line of a multi-line commentary in doubled quotes."""
    if t is None:
        return ""
    t = t.replace("\r\n", "\n")
    if '"\n"' in t:
        lines = t.split("\n")
        out = []
        for i, ln in enumerate(lines):
            if i > 0 and ln.startswith('"'):
                ln = ln[1:]
            if i < len(lines) - 1 and ln.endswith('"'):
                ln = ln[:-1]
            out.append(ln)
        t = "\n".join(out)
    return t.strip()


def _snowflake_time(i: str) -> str | None:
    try:
        ms = int(i) >> 16
    except ValueError:
        return None
    return dt.datetime.fromtimestamp(ms / 1000, dt.timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")


def _b_row(src: Source, platform: str, path, oid, created, lang, text):
    return {"source": f"{platform}:{src.repo}", "repo": src.repo, "commit": src.commit, "path": path, "id": oid,
            "created_at": created, "platform_lang": lang, "text": text}


def _outbox(m: Mirror, src: Source, path: str):
    """Public and followers-only posts (Create activities) of a Mastodon ``outbox.json``."""
    for it in json.loads(m.text(src.repo, src.commit, path, errors="strict"))["orderedItems"]:
        if it.get("type") != "Create" or not isinstance(it.get("object"), dict):
            continue
        o = it["object"]
        audience = (o.get("to") or []) + (o.get("cc") or [])
        if PUBLIC not in audience and not any(a.endswith("/followers") for a in audience):
            continue  # direct message
        cm = o.get("contentMap") or {}
        yield _b_row(src, "mastodon", path, o.get("id"), o.get("published"), list(cm)[0] if cm else None,
                     _html_to_text(o.get("content", "")))


def pools_b(m: Mirror):
    yield B_QUICOTO.repo, list(_dedupe_texts(_outbox(m, B_QUICOTO, "archive/outbox.json")))
    yield B_HAWKSWORTH.repo, list(_dedupe_texts(_outbox(m, B_HAWKSWORTH, "outbox.json")))

    src = B_TANGLAO  # the owner's own jq extract (id, content); the outbox files are >= 4 MiB
    rows = [_b_row(src, "mastodon", B_TANGLAO_PATH, it["id"], _snowflake_time(it["id"].rstrip("/").split("/")[-1]),
                   None, _html_to_text(it["content"]))
            for it in json.loads(m.text(src.repo, src.commit, B_TANGLAO_PATH, errors="strict"))]
    yield src.repo, list(_dedupe_texts(rows))

    src = B_BELDERBOS  # RSS-derived SQLite backup; the brand table (pybites) is skipped
    with tempfile.NamedTemporaryFile(suffix=".db") as tf:
        tf.write(m.show(src.repo, src.commit, "toots.db"))
        tf.flush()
        db = sqlite3.connect(tf.name)
        rows = [_b_row(src, "mastodon", "toots.db#table=bbelderbos", str(i), pub, None, _html_to_text(s))
                for i, s, pub in db.execute("select id, summary, published from bbelderbos order by published")]
        db.close()
    yield src.repo, list(_dedupe_texts(rows))

    src = B_STROEM  # one JSON file per toot at the repository root
    rows = []
    for fn in m.ls(src.repo, src.commit, recursive=False):
        if fn.endswith(".json"):
            j = json.loads(m.text(src.repo, src.commit, fn, errors="strict"))
            rows.append(_b_row(src, "mastodon", fn, j.get("url"), j.get("created_at"), None,
                               _html_to_text(j.get("content"))))
    yield src.repo, list(_dedupe_texts(rows))

    for repo, commit, files in B_LINKEDIN:
        src, rows = Source(repo, commit), []
        for path, col, idcol in files:
            for k, r in enumerate(csv.DictReader(io.StringIO(m.text(repo, commit, path, errors="strict")))):
                rid = r.get(idcol) or ""
                rows.append(_b_row(src, "linkedin", path, f"{path}#{k}" + (f"|{rid}" if rid else ""), r.get("Date"),
                                   None, _linkedin_text(r.get(col))))
        yield repo, list(_dedupe_texts(rows))


# --- helper E ---------------------------------------------------------------------------------

def _iso(s: str | None) -> str | None:
    if not s:
        return None
    for fmt in ("%Y-%m-%d %H:%M:%S %z", "%a %b %d %H:%M:%S %z %Y"):
        try:
            return dt.datetime.strptime(s, fmt).astimezone(dt.timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")
        except ValueError:
            pass
    return s


def _markdown_to_text(s: str) -> str:
    s = re.sub(r"(?i)<br\s*/?>", "\n", s)
    s = re.sub(r"(?i)</p>\s*<p[^>]*>", "\n\n", s)
    s = re.sub(r'(?is)<blockquote class="twitter-tweet".*?</blockquote>', "", s)  # embedded link to own tweet
    s = html.unescape(re.sub(r"<[^>]+>", "", s))
    s = re.sub(r"!\[[^\]]*\]\([^)]*\)", "", s)  # images
    s = re.sub(r"\[([^\]]*)\]\(([^)]*)\)", r"\1 (\2)", s)  # links → text (url)
    s = re.sub(r"(?m)^#{1,6}\s*", "", s)  # headings
    s = re.sub(r"(?m)^\s*\{\{<.*?>\}\}\s*$", "", s)  # Hugo shortcodes
    s = re.sub(r"[ \t]+\n", "\n", s)
    return re.sub(r"\n{3,}", "\n\n", s).strip()


def _grailbird(m: Mirror, repo: str, commit: str, folder: str = "") -> list[dict]:
    """The owner's own tweets (no retweets, no other accounts) of a Grailbird archive
    (``data/js/tweets/YYYY_MM.js``), possibly in a sub-folder of the repository."""
    owner = re.search(r'"id" : "(\d+)"', m.text(repo, commit, folder + "data/js/user_details.js")).group(1)
    files = sorted(f for f in m.ls(repo, commit)
                   if f.startswith(folder) and re.search(r"data/js/tweets/\d{4}_\d{2}\.js$", f))
    rows = []
    for f in files:
        try:
            txt = m.text(repo, commit, f)
        except AbsentBlob:
            continue
        if not txt.strip():
            continue
        for t in _js_payload(txt):
            if str(t.get("user", {}).get("id_str", owner)) != owner:
                continue
            text = t.get("text", "") or ""
            if text.startswith("RT @") or "retweeted_status" in t:
                continue
            rows.append({"source": f"x:{repo}", "repo": repo, "commit": commit, "path": f, "id": t.get("id_str"),
                         "created_at": _iso(t.get("created_at")), "platform_lang": t.get("lang"),
                         "text": html.unescape(text)})
    return rows


def pools_e(m: Mirror):
    for repo, commit in E_X:
        yield repo, list(_dedupe_texts(_grailbird(m, repo, commit)))

    src = E_BLOG
    files = sorted(f for f in m.ls(src.repo, src.commit)
                   if f.startswith("content/notes/") and f.endswith(".md") and not f.endswith("_index.md"))
    rows = []
    for f in files:
        raw = m.text(src.repo, src.commit, f)
        fm = re.match(r"(?s)^---\n(.*?)\n---\n?(.*)$", raw)
        front, body = (fm.group(1), fm.group(2)) if fm else ("", raw)
        date = re.search(r'(?m)^date:\s*"?([^"\n]+)"?', front)
        text = _markdown_to_text(body)
        if text:
            rows.append({"source": f"blog:{src.repo}", "repo": src.repo, "commit": src.commit, "path": f,
                         "id": f.split("/")[-2] if f.endswith("/index.md") else f,
                         "created_at": date.group(1).strip() if date else None, "platform_lang": None, "text": text})
    yield src.repo, list(_dedupe_texts(rows))


# --- helper F (French) ------------------------------------------------------------------------

def pools_f(m: Mirror):
    """Grailbird archives whose owners write in French (rows as helper E's; the archive may sit in
    a sub-folder of the repository)."""
    for repo, commit, folder in F_X:
        yield repo, list(_dedupe_texts(_grailbird(m, repo, commit, folder)))
    yield F_BLOG.repo, list(_dedupe_texts(_jekyll(m, F_BLOG, F_BLOG_FOLDER)))


def pools_g(m: Mirror):
    """Grailbird archives whose owners write in Spanish (rows as helper E's)."""
    for repo, commit, folder in G_X:
        yield repo, list(_dedupe_texts(_grailbird(m, repo, commit, folder)))


def pools_h(m: Mirror):
    """German writers: Grailbird archives, a Pelican blog and the German posts of a Hugo blog."""
    for repo, commit, folder in H_X:
        yield repo, list(_dedupe_texts(_grailbird(m, repo, commit, folder)))
    yield H_PELICAN.repo, list(_dedupe_texts(_pelican(m, H_PELICAN, "content/")))
    yield H_HUGO.repo, list(_dedupe_texts(_jekyll(m, H_HUGO, "content/post/", suffix=".de.md")))


def pools_i(m: Mirror):
    """Dutch writers: a Grailbird archive and six Markdown blogs (Hugo, Eleventy, Jekyll)."""
    for repo, commit, folder in I_X:
        yield repo, list(_dedupe_texts(_grailbird(m, repo, commit, folder)))
    for src, folder, suffix in I_BLOGS:
        yield src.repo, list(_dedupe_texts(_jekyll(m, src, folder, suffix=suffix)))


def _pelican(m: Mirror, src: Source, folder: str) -> list[dict]:
    """The published posts of a Pelican blog directly under ``folder``: "Title: ..." and the
    other "Key: value" lines up to the first blank line, then Markdown. The id is the slug (the
    file name without ``.md``); drafts are left out."""
    files = sorted(f for f in m.ls(src.repo, src.commit) if f.startswith(folder) and f.endswith(".md")
                   and "/" not in f[len(folder):])
    rows = []
    for f in files:
        head, _, body = m.text(src.repo, src.commit, f).partition("\n\n")
        meta = dict(re.findall(r"(?m)^(\w+):[ \t]*(.*?)\s*$", head))
        if meta.get("Status", "published").lower() != "published":
            continue
        text = _markdown_to_text(body)
        title = html.unescape(meta.get("Title", ""))
        text = (title + "\n\n" + text).strip() if title else text
        if text:
            rows.append({"source": f"blog:{src.repo}", "repo": src.repo, "commit": src.commit, "path": f,
                         "id": f.rsplit("/", 1)[-1][:-3], "created_at": _iso(meta["Date"]) if meta.get("Date") else None,
                         "platform_lang": None, "text": text})
    return rows


def _jekyll(m: Mirror, src: Source, folder: str | tuple[str, ...], suffix: tuple[str, ...] | str = (".md", ".markdown")) -> list[dict]:
    """The posts of a Jekyll (or Hugo) blog under ``folder`` whose names end with ``suffix``:
    the title, a blank line, then the body as plain text (front matter, Liquid tags, images and
    the "more" marker left out; a draft left out). The id is the file name without its extension
    (the date and the slug); the date comes from the name, else from the front matter."""
    files = sorted(f for f in m.ls(src.repo, src.commit) if f.startswith(folder) and f.endswith(suffix))
    rows = []
    for f in files:
        raw = m.text(src.repo, src.commit, f)
        fm = re.match(r"(?s)^---\n(.*?)\n---\n?(.*)$", raw)
        front, body = (fm.group(1), fm.group(2)) if fm else ("", raw)
        if re.search(r"(?m)^draft:\s*true\s*$", front) or f.rsplit("/", 1)[-1] == "_index.md":
            continue
        title = re.search(r"""(?m)^title:\s*['"]?(.*?)['"]?\s*$""", front)
        date = re.match(r"(\d{4}-\d{2}-\d{2})-", f.rsplit("/", 1)[-1]) or re.search(
            r"""(?m)^date:\s*['"]?(\d{4}-\d{2}-\d{2})""", front)
        body = re.sub(r"(?s)\{%.*?%\}|\{\{.*?\}\}|<!--.*?-->", "", body)
        text = _markdown_to_text(body)
        title = html.unescape(title.group(1).replace("''", "'")) if title else ""
        text = (title + "\n\n" + text).strip() if title else text
        if text:
            rows.append({"source": f"blog:{src.repo}", "repo": src.repo, "commit": src.commit, "path": f,
                         "id": (f.rsplit("/", 2)[-2] if f.endswith("/index.md") else f.rsplit("/", 1)[-1].rsplit(".", 1)[0]),
                         "created_at": date.group(1) if date else None,
                         "platform_lang": None, "text": text})
    return rows


#: The language recorded for each pool post, in the repository: the pools live outside it (in the
#: data cache), and a cache written again on a fresh machine must give the models the same rows.
#: Gzipped text: a line "=<pool file name>" opens each pool, then "<id>\t<language>" for each of
#: its posts that is not English (a post of a listed pool that is not there is English).
POOL_LANGS = Path(__file__).resolve().parent.parent / "labels" / "pool_langs.tsv.gz"


def build_pools(mirror: Mirror, out: Path) -> dict:
    """Write every pool. A post keeps the language recorded for it, in the pool file being
    replaced or else in :data:`POOL_LANGS`, so writing the pools again (to add a person, or on a
    fresh machine) does not move posts between the models' languages when the identifier has
    changed since they were recorded. :data:`POOL_LANGS` is then written again from the pools."""
    stats = {}
    committed = read_pool_langs()
    for gen in (pools_a, pools_b, pools_e, pools_f, pools_g, pools_h, pools_i):
        for repo, rows in gen(mirror):
            path = out / "personal" / pool_name(repo)
            write_jsonl(path, with_lang(rows, _recorded_langs(path), committed.get(path.name)))
            stats[repo] = len(rows)
    write_pool_langs(out)
    return {"personal/pool_*.jsonl": stats}


def read_pool_langs(path: Path = POOL_LANGS) -> dict[str, dict[str, str]]:
    """Pool file name → {post id → its recorded language, English for an id not listed}."""
    import gzip

    if not path.exists():
        return {}
    out: dict[str, dict[str, str]] = {}
    pool: dict[str, str] = {}
    with gzip.open(path, "rt", encoding="utf-8") as fh:
        for line in fh:
            line = line.rstrip("\n")
            if line.startswith("="):
                pool = out.setdefault(line[1:], {})
            elif line and not line.startswith("#"):
                post_id, lang = line.split("\t")
                pool[post_id] = lang
    return out


def write_pool_langs(folder: Path, path: Path = POOL_LANGS) -> int:
    """Write :data:`POOL_LANGS` from the pools in ``folder``; the number of pools recorded.
    Byte for byte the same for the same pools (no time stamp in the gzip header)."""
    import gzip

    lines = ["# The language recorded for each post of the everyday pools (training/collect/personal.py, "
             "POOL_LANGS): '=<pool>' then '<id>\\t<language>' for each post that is not English."]
    pools = sorted((folder / "personal").glob("pool_*.jsonl"))
    for p in pools:
        lines.append("=" + p.name)
        with open(p, encoding="utf-8") as fh:
            for line in fh:
                if line.strip():
                    o = json.loads(line)
                    if o.get("lang") != "en":
                        lines.append(f"{o.get('id')}\t{o.get('lang')}")
    data = ("\n".join(lines) + "\n").encode("utf-8")
    path.write_bytes(gzip.compress(data, compresslevel=9, mtime=0))
    return len(pools)


def _recorded_langs(path: Path) -> dict[tuple[str, str], str]:
    """(id, text) → the language recorded for it in an existing pool file (empty without one)."""
    if not path.exists():
        return {}
    out = {}
    with open(path, encoding="utf-8") as fh:
        for line in fh:
            if line.strip():
                o = json.loads(line)
                if o.get("lang"):
                    out[(o.get("id"), o.get("text"))] = o["lang"]
    return out


def with_lang(rows: list[dict], recorded: dict[tuple[str, str], str] | None = None,
              committed: dict[str, str] | None = None) -> list[dict]:
    """Each row with ``lang``, the auditor's language for its text as the build reads it
    (training/corpora.py), recorded once here: the pools are inputs, so a later change to the
    identifier leaves the models' training rows as they were. ``recorded``: languages already
    recorded, by (id, text), which are kept; ``committed``: the pool's record in
    :data:`POOL_LANGS` (post id → language; a post not listed is English), read next."""
    from corpora import _clean

    from auditor.detect.language import identify

    recorded = recorded or {}

    def lang(r: dict) -> str:
        got = recorded.get((r.get("id"), r.get("text")))
        if got:
            return got
        if committed is not None:
            return committed.get(str(r.get("id")), "en")
        return identify(_clean(r.get("text") or "")).code

    return [{**r, "lang": lang(r)} for r in rows]


def add_lang(folder: Path) -> int:
    """Record ``lang`` in pools collected before it was (rows that have it are left as they are);
    the number of rows given one."""
    added = 0
    for path in sorted((folder / "personal").glob("pool_*.jsonl")):
        lines = path.read_text(encoding="utf-8").splitlines()
        rows = [json.loads(line) for line in lines if line.strip()]
        todo = [i for i, r in enumerate(rows) if "lang" not in r]
        if not todo:
            continue
        for i, r in zip(todo, with_lang([rows[i] for i in todo]), strict=True):
            rows[i] = r
        added += len(todo)
        write_jsonl(path, rows)
    return added


# --- hand labels ------------------------------------------------------------------------------

def read_labels(path: Path = LABELS) -> list[dict]:
    with open(path, encoding="utf-8") as fh:
        return [json.loads(line) for line in fh if line.strip()]


def join_labels(out: Path, labels: list[dict] | None = None) -> dict:
    """Write ``labels_<file>.jsonl`` from the text-free labels and the pools in ``out/personal``.

    Returns counts, and every labelled post that could not be joined with the reason: no pool for
    its source, its id not in the pool, or its id in the pool more than once.
    """
    labels = read_labels() if labels is None else labels
    folder = out / "personal"
    index: dict[str, dict[str, list[str]]] = {}
    problems: list[dict] = []
    written: dict[str, list[dict]] = defaultdict(list)
    for o in labels:
        repo = o["source"].split(":", 1)[1]
        if repo not in index:
            path = folder / pool_name(repo)
            index[repo] = defaultdict(list) if path.exists() else None
            if path.exists():
                with open(path, encoding="utf-8") as fh:
                    for line in fh:
                        r = json.loads(line)
                        index[repo][r["id"]].append(r["text"])
        pool = index[repo]
        hits = None if pool is None else pool.get(o["id"], [])
        if pool is None:
            problems.append({"file": o["file"], "source": o["source"], "id": o["id"], "why": "no pool file"})
        elif not hits:
            problems.append({"file": o["file"], "source": o["source"], "id": o["id"], "why": "id not in pool"})
        elif len(hits) > 1:
            problems.append({"file": o["file"], "source": o["source"], "id": o["id"], "why": "id not unique in pool"})
        else:
            row = {k: o.get(k) for k in LABEL_FIELDS}
            row["text"] = hits[0]
            written[o["file"]].append(row)
    for f, rows in sorted(written.items()):
        write_jsonl(folder / f"labels_{f}.jsonl", rows)
    return {"personal/labels_*.jsonl": {"joined": {f: len(r) for f, r in sorted(written.items())},
                                        "not_joined": len(problems),
                                        "why": dict(Counter(p["why"] for p in problems))},
            "_problems": problems}


def build(mirror: Mirror, out: Path, shared: Path | None = None) -> dict:
    return build_pools(mirror, out) | join_labels(out)
