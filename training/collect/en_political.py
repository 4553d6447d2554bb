"""English political / not-political posts: ``en/political.jsonl``.

Eight sources, labelled by subreddit, newsgroup or account (not post by post); training/SOURCES.md
gives the mapping and licences. Row fields: ``text, label, source, kind, repo, commit, path,
orig_label``. Deterministic: one ``random.Random(20240611)`` drawn from in a fixed order.

Text is HTML-unescaped, whitespace-collapsed (newlines kept, at most one blank line) and cut to
1,000 characters. Empty, ``[deleted]``/``[removed]`` and short texts are dropped, and duplicates
across the whole file (lower-cased alphanumerics, URLs removed) keep their first occurrence.
"""

from __future__ import annotations

import ast
import csv
import html
import io
import json
import random
import re
from collections import Counter, defaultdict
from pathlib import Path

from .mirror import AbsentBlob, Mirror, Source, write_jsonl

csv.field_size_limit(10**9)

SEED = 20240611
MAXLEN = 1000

UMBRAE = Source("umbrae/reddit-top-2.5-million", "d0efcade504b8ed735a48ddc2b15552fa924c9d9")
DCHEN = Source("dchen236/toxic_comment", "0b196603b67010c104693ed03b3d6a69c667c9a6")  # data/ deleted later
FAWAZ = Source("fawazshah/Reddit-Analysis", "43dee5843c9b1d5b59726616247e6500bdfe7d6b")
ISHAN = Source("ishandandekar/Reddit-Post-Comment-Dataset", "bb1df6b521895f0decb9f069a2cedf07cbdd1456")
KRISTI = Source("KristiGourlay/Subreddit_classification", "d7d1518209c8a3001bed92fd5ee9fce8883fd81f")
NEWSGROUPS = Source("YunomiXavia/20news-bydate", "2298b3e1c9f66cc3f2d8bf6da5dd68f15b37eb88")
TWEETTOPIC = Source("anon7331/tweet_topicXL", "2b5db0d017f8084db65741b7868c327d32a6231e")
CONGRESS = Source("ascamara/congress", "49fbdf7ae2258d461fa13fdcb53d87cc5a13db5e")  # files deleted later

SOURCES = [UMBRAE, DCHEN, FAWAZ, ISHAN, KRISTI, NEWSGROUPS, TWEETTOPIC, CONGRESS]

#: umbrae subreddits → 1 (at most 700 posts each)
UMBRAE_POS = [
    "politics", "PoliticalDiscussion", "ukpolitics", "CanadaPolitics", "Conservative", "Liberal", "Libertarian",
    "Republican", "democrats", "NeutralPolitics", "Ask_Politics", "AmericanPolitics", "POLITIC", "progressive",
    "moderatepolitics", "worldpolitics", "gunpolitics", "politicalfactchecking", "obama", "ronpaul", "GaryJohnson",
    "GreenParty", "socialism", "Anarchism", "AnarchistNews", "Anarcho_Capitalism", "communism", "government",
    "watchingcongress", "occupywallstreet", "LibertarianLeft", "alltheleft", "CivPolitics", "internationalpolitics",
    "PoliticalHumor", "SOPA", "restorethefourth", "progun", "libertarianmeme", "geopolitics", "GunsAreCool"]
#: umbrae subreddits → 0 (at most 260 posts each). Order matters: it fixes the random draws.
#: (A few names repeat; the repeats are skipped.)
UMBRAE_NEG = [
    "AskReddit", "Cooking", "gaming", "running", "books", "personalfinance", "aww", "food", "Fitness", "travel",
    "photography", "movies", "Music", "television", "tifu", "relationships", "relationship_advice", "offmychest",
    "self", "confession", "DIY", "woodworking", "gardening", "cats", "dogs", "baseball", "nba", "nfl", "soccer",
    "hockey", "hiking", "camping", "bicycling", "Coffee", "beer", "Baking", "recipes", "EatCheapAndHealthy",
    "loseit", "keto", "knitting", "crafts", "boardgames", "buildapc", "techsupport", "programming",
    "learnprogramming", "Android", "apple", "harrypotter", "lotr", "StarWars", "startrek", "doctorwho",
    "gameofthrones", "Minecraft", "pokemon", "leagueoflegends", "skyrim", "Guitar", "WeAreTheMusicMakers",
    "Parenting", "Mommit", "daddit", "weddingplanning", "tattoos", "MakeupAddiction", "malefashionadvice",
    "femalefashionadvice", "Frugal", "Pets", "Aquariums", "Homebrewing", "AskCulinary", "solotravel", "backpacking",
    "space", "chess", "anime", "comics", "Art", "drawing", "EarthPorn", "teenagers", "college", "GetMotivated",
    "sewing", "Fishing", "motorcycles", "cars", "LifeProTips", "Showerthoughts", "TalesFromRetail",
    "TalesFromYourServer", "talesfromtechsupport", "pettyrevenge", "AskMen", "AskWomen", "breakingbad", "HIMYM",
    "thewalkingdead", "tea", "vegan", "yoga", "xxfitness", "gardening", "Random_Acts_Of_Amazon", "cordcutters",
    "headphones", "Watches", "scuba", "surfing", "snowboarding", "skiing", "golf", "tennis", "formula1", "MMA", "CFB",
    "bodybuilding", "Frugal", "zelda", "nintendo", "pcgaming", "Games", "truegaming", "DnD", "magicTCG",
    "photocritique", "itookapicture", "Eve", "wow", "Diablo", "Sneakers", "BabyBumps", "beyondthebump", "raisingkids",
    "weddingplanning", "InteriorDesign", "HomeImprovement", "Justrolledintotheshop", "MechanicAdvice", "Cartalk",
    "AutoDetailing", "Bonsai", "houseplants", "succulents", "birdpics", "Otters", "corgi", "pug", "rabbits"]

NEWSGROUPS_POS = {"talk.politics.guns", "talk.politics.mideast", "talk.politics.misc"}
NEWSGROUPS_NEG = {"comp.graphics", "comp.os.ms-windows.misc", "comp.sys.ibm.pc.hardware", "comp.sys.mac.hardware",
                  "comp.windows.x", "misc.forsale", "rec.autos", "rec.motorcycles", "rec.sport.baseball",
                  "rec.sport.hockey", "sci.electronics", "sci.med", "sci.space"}
TWEETTOPIC_TOPICS = [
    "arts_&_culture", "business_&_entrepreneurs", "celebrity_&_pop_culture", "diaries_&_daily_life", "family",
    "fashion_&_style", "film_tv_&_video", "fitness_&_health", "food_&_dining", "gaming", "learning_&_educational",
    "music", "news_&_social_concern", "other_hobbies", "relationships", "science_&_technology", "sports",
    "travel_&_adventure", "youth_&_student_life"]

_URL = re.compile(r"https?://\S+")
_WS = re.compile(r"[ \t\r\f\v]+")


def clean(t: str) -> str:
    t = html.unescape(t or "").replace("\u200b", " ")
    t = _WS.sub(" ", t)
    t = re.sub(r"\n{3,}", "\n\n", t)
    return t.strip()


def dedupe_key(t: str) -> str:
    return re.sub(r"[^a-z0-9]+", " ", _URL.sub("", t.lower())).strip()


class _Builder:
    def __init__(self, mirror: Mirror):
        self.m = mirror
        self.rng = random.Random(SEED)
        self.rows: list[dict] = []
        self.seen: set[str] = set()
        self.counts: dict[str, Counter] = defaultdict(Counter)
        self.dropped: Counter = Counter()

    def text(self, src: Source, path: str) -> str:
        return self.m.text(src.repo, src.commit, path)

    def add(self, text, label, source, kind, src: Source, path, orig_label, min_chars=15) -> bool:
        text = clean(text)
        if text.lower() in ("[deleted]", "[removed]", "deleted", "removed"):
            self.dropped["deleted"] += 1
            return False
        if len(text) < min_chars:
            self.dropped["short"] += 1
            return False
        text = text[:MAXLEN]
        k = dedupe_key(text)
        if not k or k in self.seen:
            self.dropped["dup"] += 1
            return False
        self.seen.add(k)
        self.rows.append({"text": text, "label": int(label), "source": source, "kind": kind, "repo": src.repo,
                          "commit": src.commit, "path": path, "orig_label": orig_label})
        self.counts[source][label] += 1
        return True

    # 1. umbrae: 2013 top posts per subreddit (title + selftext)
    def umbrae(self):
        files = {p for p in self.m.ls(UMBRAE.repo, UMBRAE.commit) if p.startswith("data/")}
        for label, subs, cap in ((1, UMBRAE_POS, 700), (0, UMBRAE_NEG, 260)):
            for s in dict.fromkeys(subs):
                p = f"data/{s}.csv"
                if p not in files:
                    self.dropped[f"umbrae_missing:{s}"] += 1
                    continue
                try:
                    t = self.text(UMBRAE, p)
                except AbsentBlob:
                    self.dropped[f"umbrae_absent:{s}"] += 1
                    continue
                recs = list(csv.DictReader(io.StringIO(t)))
                self.rng.shuffle(recs)
                n = 0
                for r in recs:
                    if n >= cap:
                        break
                    if r.get("over_18") == "True":
                        continue
                    title, body = clean(r.get("title", "")), clean(r.get("selftext", ""))
                    text = title if not body else f"{title}\n{body}"
                    if len(re.findall(r"\w+", text)) < 4:
                        self.dropped["umbrae_fewwords"] += 1
                        continue
                    if self.add(text, label, "reddit:umbrae-top-posts", "forum", UMBRAE, p, f"r/{s}"):
                        n += 1

    # 2. dchen236: 2020 comments, r/politics → 1, r/askreddit and r/wholesomememes → 0
    def dchen(self):
        for name, label in (("politics", 1), ("askreddit", 0), ("wholesomememes", 0)):
            p = f"data/{name}.csv"
            for r in csv.DictReader(io.StringIO(self.text(DCHEN, p)), delimiter="\t"):
                self.add(r.get("body", ""), label, "reddit:dchen236-comments", "forum", DCHEN, p, f"r/{name}")

    # 3. fawazshah: comments from partisan subreddits → 1 (held out of training by build_models)
    def fawaz(self):
        for p in ("data/assembled-data/comments_top300_year_republican.tsv",
                  "data/assembled-data/comments_top300_year_obama_hillaryclinton_shitliberalssay.tsv"):
            for r in csv.DictReader(io.StringIO(self.text(FAWAZ, p)), delimiter="\t"):
                sub = (r.get("subreddit") or "").strip()
                if sub not in ("republican", "obama", "hillaryclinton", "shitliberalssay"):
                    self.dropped["fawaz_badrow"] += 1
                    continue
                self.add(r.get("comment body", ""), 1, "reddit:fawazshah-political-comments", "forum", FAWAZ, p,
                         f"r/{sub}")

    # 4. ishandandekar: posts and comments of non-political subreddits → 0
    def ishan(self):
        keep = {"AskReddit", "confessions", "FanTheories", "IDontWorkHereLady", "LetsNotMeet",
                "talesfromtechsupport", "tifu", "UnethicalLifeProTips"}
        for p in self.m.ls(ISHAN.repo, ISHAN.commit):
            if not p.startswith("data/"):
                continue
            sub = p.split("/")[1]
            if sub not in keep or not p.endswith(".txt"):
                continue
            title, body, comments = _parse_ishan(self.text(ISHAN, p))
            src = "reddit:ishandandekar-posts-comments"
            self.add(_bytes_literal(title) + "\n" + _bytes_literal(body), 0, src, "forum", ISHAN, p, f"r/{sub} post")
            for cm in comments:
                self.add(_bytes_literal(cm), 0, src, "forum", ISHAN, p, f"r/{sub} comment")

    # 5. KristiGourlay: r/TalesFromYourServer and r/TalesFromTheCustomer stories → 0
    def kristi(self):
        p = "data/reddit_scraping.csv"
        for r in csv.DictReader(io.StringIO(self.text(KRISTI, p))):
            sub = {"0": "TalesFromYourServer", "1": "TalesFromTheCustomer"}.get(r.get("subreddit"), "?")
            text = clean(r.get("title", "")) + "\n" + clean(r.get("selftext", ""))
            self.add(text, 0, "reddit:kristigourlay-service-stories", "blog", KRISTI, p, f"r/{sub}")

    # 6. 20 Newsgroups: talk.politics.* → 1 (all); 13 technical/hobby groups → 0 (420 each)
    def newsgroups(self):
        paths = [p for p in self.m.ls(NEWSGROUPS.repo, NEWSGROUPS.commit)
                 if p.startswith("20news-bydate/20news-bydate-") and p.count("/") == 3]
        by_group = defaultdict(list)
        for p in paths:
            by_group[p.split("/")[2]].append(p)
        for g in sorted(by_group):
            if g in NEWSGROUPS_POS:
                label, cap = 1, None
            elif g in NEWSGROUPS_NEG:
                label, cap = 0, 420
            else:
                continue
            ps = sorted(by_group[g])
            self.rng.shuffle(ps)
            n = 0
            for p in ps:
                if cap and n >= cap:
                    break
                text = _usenet_text(self.text(NEWSGROUPS, p))
                if self.add(text, label, "usenet:20newsgroups-bydate", "forum", NEWSGROUPS, p, g, min_chars=40):
                    n += 1

    # 7. TweetTopicXL (English, 1,000 tweets): news_&_social_concern → 1, any other topic → 0
    def tweettopic(self):
        p = "data/en/en_1000.jsonl"
        for line in self.text(TWEETTOPIC, p).splitlines():
            if not line.strip():
                continue
            d = json.loads(line)
            labs = [k for k in TWEETTOPIC_TOPICS if d.get(k) == 1]
            if not labs:
                self.dropped["tt_nolabel"] += 1
                continue
            self.add(d["text"], int("news_&_social_concern" in labs), "tweet:tweettopicxl-en", "tweet", TWEETTOPIC, p,
                     "|".join(labs), min_chars=10)

    # 8. ascamara/congress: 100 tweets of 6+ words from each weekly party file → 1 (held out)
    def congress(self):
        paths = sorted(p for p in self.m.ls(CONGRESS.repo, CONGRESS.commit) if p.startswith("by week and party/"))
        for p in paths:
            lines = [ln for ln in self.text(CONGRESS, p).splitlines() if len(ln.split()) >= 6]
            self.rng.shuffle(lines)
            n = 0
            for ln in lines:
                if n >= 100:
                    break
                if self.add(ln, 1, "tweet:congress-2020-preprocessed", "tweet", CONGRESS, p,
                            "US congress member " + p.split("/")[-1].split("_")[0], min_chars=30):
                    n += 1


def _bytes_literal(s: str) -> str:
    """ishandandekar stores text as Python bytes literals (``b'...'``)."""
    s = s.strip()
    if s.startswith(("b'", 'b"')):
        try:
            return ast.literal_eval(s).decode("utf-8", errors="replace")
        except Exception:
            return s[2:-1]
    return s


def _parse_ishan(t: str):
    """A post file: ``## title``, ``### body``, ``####`` comments (continuation lines follow)."""
    title, body, comments, cur = "", "", [], None
    for line in t.split("\n"):
        m = re.match(r"^(#{1,6}) (.*)$", line)
        if m:
            level, rest = len(m.group(1)), m.group(2)
            if level == 1:
                continue
            if level == 2:
                title, cur = rest, None
            elif level == 3:
                body, cur = rest, "body"
            else:
                comments.append(rest)
                cur = "c"
        elif cur == "body":
            body += "\n" + line
        elif cur == "c" and comments:
            comments[-1] += "\n" + line
    return title, body, comments


def _usenet_text(t: str) -> str:
    """Subject + body, without headers, quoted lines, attributions and the signature."""
    hdr, _, body = t.partition("\n\n")
    subj = ""
    for hl in hdr.split("\n"):
        if hl.lower().startswith("subject:"):
            subj = re.sub(r"^(re:\s*)+", "", hl[8:].strip(), flags=re.I)
    lines = []
    for bl in body.split("\n"):
        s = bl.strip()
        if s.startswith((">", "|", ":")) or re.search(r"\b(writes|wrote|says):\s*$", s) \
                or s.lower().startswith("in article <"):
            continue
        if s == "--" or s.startswith("-- "):
            break
        lines.append(bl)
    return (subj + "\n" + "\n".join(lines)).strip()


def build(mirror: Mirror, out: Path, shared: Path | None = None) -> dict:
    b = _Builder(mirror)
    for step in (b.umbrae, b.dchen, b.fawaz, b.ishan, b.kristi, b.newsgroups, b.tweettopic, b.congress):
        step()
    b.rng.shuffle(b.rows)
    write_jsonl(out / "en" / "political.jsonl", b.rows)
    return {"en/political.jsonl": {s: dict(c) for s, c in b.counts.items()}}
