"""Workplace grievance (own employer) vs the rest: ``work/grievance.jsonl`` and ``work/g6_labelled.jsonl``.

``grievance.jsonl`` mixes review fields (HRdatasets dislikes/likes, Indeed star ratings), posts
that are 0 by rule (LinkedIn, r/TalesFromTheCustomer, hiring posts) and Reddit posts labelled by
hand. The hand labels are kept without text in ``training/labels/grievance.jsonl``
(``file`` = fc, tfys, teach or g6; ``i`` = the sample index; ``id`` = the post's id in its
source), and this step fetches each post's text again by its id.

``g6_labelled.jsonl`` is the 428 r/antiwork top posts of 2021 that have a body, hand-labelled; it
is read from the shared copy of G6 (``<shared>/G6-antiwork-top-posts/antiwork_sample.csv``) and
is only ever a test set.

Row fields: ``text, label, source, repo, commit, path, kind, label_method[, note]``. Rows under 15
characters are dropped, text is cut to 1,500 characters, and texts equal after lower-casing and
removing punctuation keep their first row (all rows of a text seen with both labels are dropped).
The hand labellers' short notes are not kept (they may quote the post), so hand-labelled rows
have no ``note``.
"""

from __future__ import annotations

import csv
import hashlib
import io
import json
import re
import sqlite3
import tempfile
import xml.etree.ElementTree as ET
import zipfile
from collections import defaultdict
from pathlib import Path

from .mirror import AbsentBlob, Mirror, Source, write_jsonl

csv.field_size_limit(10**9)

HR = Source("vicencfernandez/HRdatasets", "9536a7b65331c99ae07d01560d7c5ae7cf6afe27")
INDEED_GT = Source("chris10davies/MSDS692-Data-Science-Practicum", "9eaa3c6355d6dfdb9c2ca6ac16d48460f4f5cece")
INDEED_BANK = Source("Yichen-Z/CIS568_textProject", "05959690aacff5743426873661e2b7383237a949")
LI_COMPANIES = Source("bythyag/sentiment-analysis", "928b2f2c6c3a3504b0618932f045d8615584573b")
LI_INFLUENCERS = Source("B1raj/capstone_trend_pilot", "b600579983d9e83f2d1ff9e141a7276f46bb6c3a")
LI_CREATORS = Source("dhayanesh/nlp-linkedIn", "12a5f96526b364b549eec1423c42a446be99287c")
LI_LUNATICS = Source("Neel-Dandiwala/LinkedIn_Cringe_Server", "e48f01f7a25312d6d3da9b9b71fec805b0a57924")
AMAZON_FC = Source("lunchwolfjoe/amazon-fc-intelligence", "7d4c61748ace36ab2c31cc5b3491a68d7a7248cf")
KRISTI = Source("KristiGourlay/Subreddit_classification", "d7d1518209c8a3001bed92fd5ee9fce8883fd81f")
TEACHING = Source("kier-johns/project-3", "db4dca9920ded2aea8eca6d63ca85b92e47503a0")
HIRING = "diaghilev/under-the-radar"
HIRING_HEAD = Source(HIRING, "8626d065dd85ebfeffa284a0a93cc3cfa184c07a")
#: Every commit that touched ``tweets.jsonl``, in the order ``git log --all`` gave them when the
#: file was built (newest first); each tweet text is kept once, from the first commit that has it.
HIRING_TWEET_COMMITS = """
eda9ee9b50692fde120ce62b9de472c66c9fe421 f1e90385eff32d6e81005661fdc62b218f225116
74b6b436bd88d16c3472186bceb1c229116b40a5 f0454fbbc5bb98d65b1008b19ace7e10deb528fc
4a48d7ffd9b255be09fff74adacd763c6c391aca cd51a57fbbe904568bde3a7218af41a22b57100f
f3265f632e3ae4367e2027e2d5a6c9336da83bca ad30d66b3054b4e57d7b5fc3505e4f98ea6bc58a
dd09bc5fc3d4093509319e0a06c086b45db24c09 f29119fc15cd0dbc2e10d345a95be96024ac1d89
f1ca8927a1401e21974804af1a1e5115ebc41d48 f0d36841d552ad6b1a9fb94435845a89a4155947
2fa5b9a2d9a5d8298412510325952db9a92bc4f8 0d2359a2693453f4000df7fabfc34925ecd485a2
007a61ef4e65762264c849f912d473bbc7b5a990 3047f2b3af289a0bfc228b67efc34dd251dabf0f
84f820100702ed91459cf39a312659e3354cd31f 05d1b0df5042284f297ef8187ea8b29999284f6a
d6cfcb8ba833422d6c6661a3a6a06d8fe900e8e5 9871bb61b1d1bee1dd785fb47945768d5e86a617
2dc8e1b040200dee131aabaa0f0938db8397f2f5 1ceae42489742a80d27a04e58d43a12f34e5a2d2
46dec45910c0dbebcd969562ff5b9345cf8fa02a 70c068c15ebb61c8964aead21a316d181f2c60f7
b721c736d9cb71bdc0c3d311dc40e9517621832e
""".split()

SOURCES = [HR, INDEED_GT, INDEED_BANK, LI_COMPANIES, LI_INFLUENCERS, LI_CREATORS, LI_LUNATICS, AMAZON_FC, KRISTI,
           TEACHING, HIRING_HEAD] + [Source(HIRING, c) for c in HIRING_TWEET_COMMITS]
#: G6 (BrockDSL/antiwork_reddit_data_set @ fc9a7eb9…) is read from the shared data folder.
G6_FILE = Path("G6-antiwork-top-posts") / "antiwork_sample.csv"
G6_SOURCE = "reddit:antiwork-top-2021"

LABELS = Path(__file__).resolve().parent.parent / "labels" / "grievance.jsonl"

NEG_CUE = re.compile(r"\b(but|however|although|though|not|no|never|poor|bad|worst|terrible|horrible|awful|toxic|"
                     r"micromanag\w*|underpaid|low pay|stress\w*|politics|unfair|lack|overwork\w*|hate|sucks?)\b", re.I)
NO_COMPLAINT = re.compile(
    r"^\W*(nothing|none|nil|no|na|n/?a|ok|okay|yes|good|fine|all good|no comments?|no dislikes?|nothing to "
    r"(say|dislike|complain)|nothing as such|nothing much|nothing as of now|everything is (good|fine)|not applicable|"
    r"nothing specific|nothing in particular|no such thing|no cons?|can't say|cannot say)\W*$", re.I)
NOTHING_IN = re.compile(r"\b(nothing (to|as|much|bad|i dislike)|no dislike|not applicable|nothing\.?$|"
                        r"everything is (good|fine|great)|fine with everything)\b", re.I)


def _words(s: str) -> int:
    return len(re.findall(r"\w+", s))


def read_labels(path: Path = LABELS) -> dict[str, list[dict]]:
    """The hand labels by sample file (``fc``, ``tfys``, ``teach``, ``g6``), in sample order."""
    out = defaultdict(list)
    with open(path, encoding="utf-8") as fh:
        for line in fh:
            if line.strip():
                o = json.loads(line)
                out[o["file"]].append(o)
    for rows in out.values():
        rows.sort(key=lambda o: o["i"])
    return out


def _xlsx_rows(data: bytes) -> list[dict]:
    """The first sheet of an .xlsx file as dicts keyed by its header row (stdlib only)."""
    z = zipfile.ZipFile(io.BytesIO(data))
    ns = "{http://schemas.openxmlformats.org/spreadsheetml/2006/main}"
    shared = [''.join(t.text or '' for t in si.iter(ns + "t"))
              for si in ET.fromstring(z.read("xl/sharedStrings.xml")).findall(ns + "si")]
    rows = []
    for r in ET.fromstring(z.read("xl/worksheets/sheet1.xml")).iter(ns + "row"):
        row = {}
        for c in r.findall(ns + "c"):
            col = re.match(r"[A-Z]+", c.get("r")).group()
            v = c.find(ns + "v")
            row[col] = shared[int(v.text)] if c.get("t") == "s" else (v.text if v is not None else "")
        rows.append(row)
    header = rows[0]
    return [{header[k]: v for k, v in r.items() if k in header} for r in rows[1:]]


class _Builder:
    def __init__(self, mirror: Mirror):
        self.m = mirror
        self.rows: list[dict] = []

    def csv(self, src: Source, path: str, delimiter: str = ",") -> list[dict]:
        return list(csv.DictReader(io.StringIO(self.m.text(src.repo, src.commit, path)), delimiter=delimiter))

    def emit(self, text, label, source, src: Source, path, kind, method, note=None, commit=None):
        text = (text or "").replace("\r", "").strip()
        if len(text) < 15:
            return
        r = {"text": text[:1500], "label": int(label), "source": source, "repo": src.repo,
             "commit": commit or src.commit, "path": path, "kind": kind, "label_method": method}
        if note:
            r["note"] = note
        self.rows.append(r)

    def hrdatasets(self):
        p = "raw-data/employees_opinion_ext.csv"
        for x in self.csv(HR, p, ";"):
            d, lk = (x.get("dislike") or "").strip(), (x.get("like") or "").strip()
            try:
                score = float(x.get("score") or 0)
            except ValueError:
                score = 0
            if d and _words(d) >= 4 and not NO_COMPLAINT.match(d) and not NOTHING_IN.search(d):
                self.emit(d, 1, "hrdatasets:opinion-ext-dislike", HR, p, "review-cons", "source-field",
                          note=f"dislikes field; company={x.get('company')}; score={x.get('score')}")
            if lk and score >= 4 and _words(lk) >= 4 and not NEG_CUE.search(lk):
                self.emit(lk, 0, "hrdatasets:opinion-ext-like", HR, p, "review-pros", "source-field+rule",
                          note=f"likes field, score>=4, no negative cue; company={x.get('company')}")
        p = "raw-data/employees_opinion.csv"
        raw = self.m.show(HR.repo, HR.commit, p)
        try:
            txt = raw.decode("utf-8-sig")
        except UnicodeDecodeError:
            txt = raw.decode("cp1252")
        for x in csv.DictReader(io.StringIO(txt), delimiter=";"):
            a = (x.get("assessment") or "").strip().lower()
            if a in ("positive", "negative"):
                self.emit(x["comment"], int(a == "negative"), "hrdatasets:opinion", HR, p, "employee-comment",
                          "source-label", note=f"source assessment={a}")

    def _indeed(self, title, body, rating, source, src, path, company):
        try:
            rt = float(rating)
        except (TypeError, ValueError):
            return
        t = (title.strip() + ". " if title and title.strip() else "") + (body or "").strip()
        if rt <= 2:
            self.emit(t, 1, source, src, path, "review-full", "rating<=2",
                      note=f"{company} Indeed review, rating {rt:g}")
        elif rt >= 5 and not NEG_CUE.search(t):
            self.emit(t, 0, source, src, path, "review-full", "rating=5+no-negative-cue",
                      note=f"{company} Indeed review, rating {rt:g}")

    def indeed(self):
        for p, company in (("data (or run web_scrape.ipynb)/google_reviews.xlsx", "Google"),
                           ("data (or run web_scrape.ipynb)/tesla_reviews.xlsx", "Tesla")):
            for x in _xlsx_rows(self.m.show(INDEED_GT.repo, INDEED_GT.commit, p)):
                self._indeed(x.get("title"), x.get("reviews"), x.get("rating"), "indeed:" + company.lower(),
                             INDEED_GT, p, company)
        p = "archive/indeed_reviews.csv"
        for x in self.csv(INDEED_BANK, p):
            body = (x.get("review_verbatim") or "").replace("  this bank", " this bank")
            self._indeed(x.get("review_title"), body, x.get("rating"), "indeed:us-bank", INDEED_BANK, p,
                         "US bank (Chase per repo)")

    def linkedin(self):
        p = "dataset/final/final_dataset.csv"
        for x in self.csv(LI_COMPANIES, p):
            self.emit(x["text"], 0, "linkedin:company-pages", LI_COMPANIES, p, "linkedin-post", "source-rule",
                      note=f"company page post: {x['company']}")
        for p in ("data/linkedin_posts-pld2.csv", "data/linkedin_posts-old1.csv", "data/linkedin_posts-old.csv"):
            for x in self.csv(LI_INFLUENCERS, p):
                self.emit(x.get("content"), 0, "linkedin:influencers", LI_INFLUENCERS, p, "linkedin-post",
                          "source-rule", note=f"author slug={x.get('name')}")
        p = "linkedin_posts.csv"
        for x in self.csv(LI_CREATORS, p):
            t = re.sub(r"^\s*Content\s*:\s*", "", re.sub(r"</?p>", " ", x["content"]).strip())
            self.emit(t, 0, "linkedin:creator-posts", LI_CREATORS, p, "linkedin-post", "source-rule")
        p = "data/linkedin_posts.csv"
        for x in self.csv(LI_LUNATICS, p):
            t = x.get("text") or ""
            toks = t.split()
            if len(toks) < 25:
                continue
            good = sum(1 for w in toks if re.fullmatch(r"[A-Za-z][a-z'’]+[.,!?:;]?", w))
            if good / len(toks) < 0.75:
                continue  # OCR noise
            self.emit(x["title"].strip() + "\n" + t, 0, "reddit:linkedinlunatics-ocr", LI_LUNATICS, p,
                      "linkedin-screenshot-ocr", "source-rule",
                      note="r/LinkedInLunatics title + OCR of LinkedIn screenshot; commentary on other people")

    def reddit_hand(self, labels: dict[str, list[dict]]):
        """Hand-labelled Reddit samples, each post fetched again by its id."""
        p = "sample_reddit_data.db"
        with tempfile.NamedTemporaryFile(suffix=".db") as tf:
            tf.write(self.m.show(AMAZON_FC.repo, AMAZON_FC.commit, p))
            tf.flush()
            db = sqlite3.connect(tf.name)
            posts = {i: (t, c) for i, t, c in db.execute("select id, title, content from posts")}
            db.close()
        for o in labels["fc"]:
            title, content = posts[o["id"]]
            self.emit(title + "\n" + (content or ""), o["label"], o["source"], AMAZON_FC, p, "reddit", "hand")

        p = "data/reddit_scraping.csv"
        kristi = self.csv(KRISTI, p)
        by_name = {}
        for x in kristi:
            by_name.setdefault(x["name"], x)
        for o in labels["tfys"]:
            x = by_name[o["id"]]
            self.emit(x["title"] + "\n" + x["selftext"], o["label"], o["source"], KRISTI, p, "reddit", "hand")
        for x in kristi:
            if x["subreddit"] == "1" and len(x["selftext"].strip()) > 50:
                self.emit(x["title"] + "\n" + x["selftext"], 0, "reddit:talesfromthecustomer", KRISTI, p, "reddit",
                          "source-rule", note="customer complaint story (subreddit-level label; 40 spot-checked)")

        p = "data/teaching_posts.csv"
        by_time = {}
        for x in self.csv(TEACHING, p):
            by_time.setdefault(x["created_utc"], x)  # repeated rows of one post are identical
        for o in labels["teach"]:
            x = by_time[o["id"]]
            self.emit(x["title"] + "\n" + x["self_text"], o["label"], o["source"], TEACHING, p, "reddit", "hand")

    def hiring(self):
        for line in self.m.text(HIRING, HIRING_HEAD.commit, "mastodon.jsonl", errors="strict").splitlines():
            if line.strip():
                d = json.loads(line)
                self.emit(re.sub("<[^>]+>", " ", d.get("content", "")), 0, "mastodon:hiring", HIRING_HEAD,
                          "mastodon.jsonl", "mastodon-post", "source-rule", note="hiring post")
        seen = set()
        for c in HIRING_TWEET_COMMITS:
            try:
                lines = self.m.text(HIRING, c, "tweets.jsonl").splitlines()
            except AbsentBlob:
                continue  # a commit that deleted the file
            for line in lines:
                try:
                    d = json.loads(line)
                except ValueError:
                    continue
                t = d.get("text") or d.get("full_text") or ""
                if t and t not in seen:
                    seen.add(t)
                    self.emit(t, 0, "twitter:job-tweets", HIRING_HEAD, "tweets.jsonl", "tweet", "source-rule",
                              note="job-related tweet (hiring)", commit=c)


def _dedupe(rows: list[dict]) -> list[dict]:
    def key(t):
        return hashlib.md5(re.sub(r"\W+", " ", t.lower()).strip().encode()).hexdigest()

    first, keep, conflict = {}, [], set()
    for r in rows:
        k = key(r["text"])
        if k in first:
            if first[k]["label"] != r["label"]:
                conflict.add(k)
            continue
        first[k] = r
        keep.append(r)
    return [r for r in keep if key(r["text"]) not in conflict]


def build_grievance(mirror: Mirror, out: Path, labels: dict[str, list[dict]]) -> dict:
    b = _Builder(mirror)
    b.hrdatasets()
    b.indeed()
    b.linkedin()
    b.reddit_hand(labels)
    b.hiring()
    rows = _dedupe(b.rows)
    write_jsonl(out / "work" / "grievance.jsonl", rows)
    counts = defaultdict(lambda: [0, 0])
    for r in rows:
        counts[r["source"]][r["label"]] += 1
    return {"work/grievance.jsonl": {s: {"0": v[0], "1": v[1]} for s, v in counts.items()}}


def build_g6(shared: Path, out: Path, labels: dict[str, list[dict]]) -> dict:
    path = shared / G6_FILE
    if not path.exists():
        raise FileNotFoundError(f"{path} is missing: G6 comes from the shared data folder (--shared)")
    with open(path, encoding="utf-8", newline="") as fh:
        posts = {r["id"]: r for r in csv.DictReader(fh)}
    rows = []
    for o in labels["g6"]:
        p = posts[o["id"]]
        rows.append({"text": (p["title"] + "\n" + p["selftext"])[:1500], "label": o["label"], "source": G6_SOURCE,
                     "id": o["id"]})
    write_jsonl(out / "work" / "g6_labelled.jsonl", rows)
    return {"work/g6_labelled.jsonl": {"0": sum(r["label"] == 0 for r in rows), "1": sum(r["label"] for r in rows)}}


def build(mirror: Mirror, out: Path, shared: Path) -> dict:
    labels = read_labels()
    return build_grievance(mirror, out, labels) | build_g6(shared, out, labels)
