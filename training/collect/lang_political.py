"""French, German and Spanish political / not-political text: ``lang/{fr,de,es}_political.jsonl``.

Labels come from a news section in the article URL, from who spoke (parliament, presidential
candidates) or from a corpus's topic; training/SOURCES.md gives the mapping. Row fields: ``text,
label, source, repo, commit, path, orig_label``. Deterministic (seed 13).

Every text is whitespace-normalised and cut to 1,000 characters. Duplicates (NFKC, lower case,
punctuation removed) keep their first occurrence, and a text found with both labels is dropped
in every copy.
"""

from __future__ import annotations

import csv
import html
import io
import random
import re
import unicodedata
from collections import Counter, defaultdict
from pathlib import Path

from .mirror import AbsentBlob, Mirror, Source, write_jsonl

csv.field_size_limit(10**9)
SEED = 13

LEMONDE = Source("MichaBiriuchinskii/PPE2", "630f0ece3483c58025d4020efefbbc1e46ec896e")
ASSEMBLEE = Source("nlegrand/mariagepourtousInXML", "de11b6b3898cfebf6e6ed0b518cef8176d509349")
CANDIDATES = Source("ValentinFrancois/Presidentielle2022Twitter", "cd6417229818e5e90cb9b333f3af177c29edbbc4")
ALLOCINE = Source("Akram-ch/TP_NLP_2023", "92b67ece2b8cc39bf2eb1c17253b53138599199e")
BUNDESTAG = Source("mathias-goebel/plenarsitzungsprotokolle", "fc6207104f5d7fe5f1e96a4d6664a5b91abc967a")
GNAD = Source("tblock/10kGNAD", "da845fe4a16f02a8de10903ffbc636d1c8d21862")
HEADLINES = Source("NadineNicoleSchmitt/Analyzing-German-News-Headlines", "bc30e437183a8635d8ba96f0d9ad5e7fe49c0212")
GERMAN_SENTIMENT = Source("oliverguhr/german-sentiment", "7057d46cc173cfd93023955306cd1bd56e60b225")
UMBRAE = Source("umbrae/reddit-top-2.5-million", "d0efcade504b8ed735a48ddc2b15552fa924c9d9")
#: Hand labels of the French top posts of r/france, r/Quebec and r/montreal (ids, no text).
FR_REDDIT_LABELS = Path(__file__).resolve().parents[1] / "labels" / "fr_reddit.jsonl"
FR_REDDIT_SUBS = ("france", "Quebec", "montreal")
#: The same for the Spanish top posts of r/argentina and r/mexico.
ES_REDDIT_LABELS = Path(__file__).resolve().parents[1] / "labels" / "es_reddit.jsonl"
ES_REDDIT_SUBS = ("argentina", "mexico")
#: The same for the German top posts of r/de.
DE_REDDIT_LABELS = Path(__file__).resolve().parents[1] / "labels" / "de_reddit.jsonl"
DE_REDDIT_SUBS = ("de",)

POLITICES = Source("r-agus/project_x", "e6ea02d4ab519adb9ec3d98104188ea701d94e78")
EMOJISPACE = Source("sadit/TextClassificationTutorial", "f7463a960fe141554f53fb7472de6d8180089116")
SIB200 = Source("dadelani/sib-200", "593cea88519930f776c1a4a1980b6a35b39dca57")
FAKEDES = Source("jpposadas/FakeNewsCorpusSpanish", "732f4870abd8d3f5ab4956fd92b040a7913614e3")

#: Dutch (issue 12): NU.nl's headlines with their section, committed every hour by a scraper (the
#: data is the file's history); Dutch party accounts' tweets (2021-23, a thesis on populism); the
#: hand-labelled top posts of r/Netherlands and r/belgium that the identifier reads as Dutch.
NUNL = Source("lassebenni/git-scraper-nu-nl", "dc24b5da14d1e132bfecc38b4fac8e0c22b314a7")
NL_PARTIES = Source("mrbrandsma/master-thesis-populism", "d6de7aa96622eb2d8e006059a4c99af536ee9f11")
NL_REDDIT_LABELS = Path(__file__).resolve().parents[1] / "labels" / "nl_reddit.jsonl"
NL_REDDIT_SUBS = ("Netherlands", "belgium")

SOURCES_FR = [LEMONDE, ASSEMBLEE, CANDIDATES, ALLOCINE, UMBRAE]
SOURCES_ES = [UMBRAE, POLITICES, EMOJISPACE, SIB200, FAKEDES]
SOURCES_DE = [BUNDESTAG, GNAD, HEADLINES, GERMAN_SENTIMENT, UMBRAE]
SOURCES_NL = [NUNL, NL_PARTIES, UMBRAE, SIB200]
SOURCES = list(dict.fromkeys(SOURCES_FR + SOURCES_DE + SOURCES_ES + SOURCES_NL))


def _clean(s: str) -> str:
    s = re.sub(r"<!\[CDATA\[(.*?)\]\]>", r"\1", s, flags=re.S)
    s = html.unescape(s)
    s = re.sub(r"<[^>]+>", " ", s).replace("\u200b", "")
    return re.sub(r"\s+", " ", s).strip()


def _rec(text, label, source, src: Source, path, orig):
    return {"text": text, "label": label, "source": source, "repo": src.repo, "commit": src.commit, "path": path,
            "orig_label": orig}


def cap_stratified(rows, n, key, seed=SEED):
    """A random sample of ``n`` rows, taken round-robin over the strata ``key(row)``."""
    rnd = random.Random(seed)
    groups = defaultdict(list)
    for r in rows:
        groups[key(r)].append(r)
    for k in groups:
        rnd.shuffle(groups[k])
    out, keys = [], sorted(groups)
    while len(out) < n and any(groups[k] for k in keys):
        for k in keys:
            if groups[k] and len(out) < n:
                out.append(groups[k].pop())
    return out


# --- French ----------------------------------------------------------------------------------

LEMONDE_FEEDS = {"0,2-3208,1-0,0", "0,2-3210,1-0,0", "0,2-3214,1-0,0", "0,2-3224,1-0,0", "0,2-3232,1-0,0",
                 "0,2-3234,1-0,0", "0,2-3236,1-0,0", "0,2-3242,1-0,0", "0,2-3244,1-0,0", "0,2-3246,1-0,0",
                 "0,2-3260,1-0,0", "0,2-3476,1-0,0", "0,2-3546,1-0,0", "0,2-651865,1-0,0", "0,57-0,64-823353,0",
                 "env_sciences"}
LEMONDE_POS = {"politique", "election-presidentielle-2022", "elections-legislatives-2022", "resultats-elections"}
LEMONDE_NEG = {"sport", "football", "tennis", "rugby", "basket", "sports-de-glisse", "culture", "livres", "cinema",
               "musiques", "series", "televisions-radio", "critique-litteraire", "festival", "le-jazz-et-la-salsa",
               "sciences", "pixels", "jeux-video", "m-styles", "m-perso", "m-gastronomie", "m-voyage",
               "m-voyage-le-lieu", "m-design-deco", "m-mode", "voyage", "vins", "le-monde-passe-a-table",
               "cotecourscotesjardins"}


def fr_lemonde(m: Mirror):
    """Le Monde RSS items of 2022, labelled by the section in the article URL (deduplicated by URL)."""
    src = LEMONDE
    files = sorted(f for f in m.ls(src.repo, src.commit, "Corpus/2022")
                   if f.endswith(".xml") and f.rsplit("/", 1)[-1][:-4] in LEMONDE_FEEDS)
    seen, out = set(), []
    for f in files:
        try:
            d = m.text(src.repo, src.commit, f)
        except AbsentBlob:
            continue
        for it in re.findall(r"<item>(.*?)</item>", d, flags=re.S):
            t = re.search(r"<title>(.*?)</title>", it, re.S)
            ds = re.search(r"<description>(.*?)</description>", it, re.S)
            lk = re.search(r"<link>(.*?)</link>", it, re.S)
            t = _clean(t.group(1)) if t else ""
            ds = _clean(ds.group(1)) if ds else ""
            lk = _clean(lk.group(1)) if lk else ""
            sec = re.match(r"https?://www\.lemonde\.fr/([^/]+)/", lk)
            if not sec or lk in seen:
                continue
            seen.add(lk)
            sec = sec.group(1)
            lab = 1 if sec in LEMONDE_POS else 0 if sec in LEMONDE_NEG else None
            if lab is None:
                continue
            text = (t + (". " if t and not t.endswith((".", "?", "!", "»")) else " ") + ds).strip()
            out.append(_rec(text, lab, "fr:lemonde-rss-2022", src, f, "url-section:" + sec))
    return out


def fr_assemblee(m: Mirror):
    """Assemblée nationale speeches (TEI ``<sp>`` turns of type intervention, >= 150 characters)."""
    src = ASSEMBLEE
    files = sorted(f for f in m.ls(src.repo, src.commit, "files/xml") if re.search(r"/\d{8}\.xml$", f))
    out = []
    for f in files:
        x = m.text(src.repo, src.commit, f)
        for sp in re.findall(r"<sp\b(.*?)</sp>", x, flags=re.S):
            kind = re.search(r'interventiontype="([^"]*)"', sp)
            if not kind or kind.group(1) != "intervention":
                continue
            body = re.sub(r"<speaker>.*?</speaker>", " ", sp, flags=re.S)
            body = re.sub(r"^[^>]*>", "", body, count=1)
            txt = re.sub(r"^[.,]\s*", "", _clean(body))
            if len(txt) < 150:
                continue
            out.append(_rec(txt, 1, "fr:assemblee-mariage-pour-tous-2013", src, f, "interventiontype=intervention"))
    return cap_stratified(out, 4000, lambda r: r["path"])


def fr_candidates(m: Mirror):
    """Tweets of the 2022 presidential candidates (weak label: the author), 4,000 round-robin."""
    src = CANDIDATES
    files = sorted(f for f in m.ls(src.repo, src.commit, "data/postprocessed_tweets") if f.endswith(".csv"))
    out = []
    for f in files:
        for r in csv.DictReader(io.StringIO(m.text(src.repo, src.commit, f))):
            if r.get("type") not in ("normal", "quoting") or (r.get("datetime") or "") < "2021-09-01":
                continue
            t = re.sub(r"\s+", " ", re.sub(r"https?://\S+", " ", r.get("own_text") or "")).strip()
            if len(t) < 60:
                continue
            out.append(_rec(t, 1, "fr:presidentielle2022-candidate-tweets", src, f,
                            "candidate:" + (r.get("username") or "")))
    return cap_stratified(out, 4000, lambda r: r["orig_label"])


def fr_allocine(m: Mirror):
    """Allociné TV-series reviews (lower-cased, tokenised), all → 0."""
    src = ALLOCINE
    out = []
    for split in ("train", "dev", "test"):
        p = f"2-python_data_analysis/fr/{split}.tsv"
        for line in m.text(src.repo, src.commit, p).splitlines():
            if "\t" not in line:
                continue
            pol, t = line.split("\t", 1)
            t = t.strip()
            if len(t) >= 20:
                out.append(_rec(t, 0, "fr:allocine-tv-series-reviews", src, p, f"tv-series-review(polarity={pol})"))
    return out


def reddit_text(row: dict) -> str:
    """A post as it was given to the labellers: title, then the body after a blank line."""
    title, body = html.unescape(row.get("title", "").strip()), html.unescape(row.get("selftext", "").strip())
    return (title + ("\n\n" + body if body else ""))[:1000]


def fr_reddit(m: Mirror, labels: Path = FR_REDDIT_LABELS):
    """The top posts of three French-speaking subreddits, read and labelled one by one (the
    labels in ``training/labels/fr_reddit.jsonl``: posts the labeller read as French only). The
    row's ``kind`` is "hand": a label given to this post by a reader, not inherited from where
    it was posted."""
    return labelled_reddit(m, labels, "fr", FR_REDDIT_SUBS)


def labelled_reddit(m: Mirror, labels: Path, lang: str, subs: tuple[str, ...]):
    """Rows of the hand labels in ``labels`` (ids and labels, no text) whose reader read the post
    as ``lang``, with the text rebuilt from the snapshot of ``subs``."""
    import json

    src = UMBRAE
    wanted = {}
    with open(labels, encoding="utf-8") as fh:
        for line in fh:
            if line.strip():
                o = json.loads(line)
                if o["lang"] == lang:
                    wanted[(o["source"], o["id"])] = o
    out = []
    for sub in subs:
        p = f"data/{sub}.csv"
        source = f"reddit:umbrae-{sub.lower()}"
        for r in csv.DictReader(io.StringIO(m.text(src.repo, src.commit, p))):
            o = wanted.get((source, r["id"]))
            if o is not None:
                rec = _rec(reddit_text(r), int(o["political"]), f"{lang}:reddit-{sub.lower()}-labelled", src, p,
                           "hand:" + o["political_kind"])
                out.append({**rec, "kind": "hand", "id": r["id"]})
    return out


# --- Spanish ---------------------------------------------------------------------------------

def es_reddit(m: Mirror, labels: Path = ES_REDDIT_LABELS):
    """The top posts of r/argentina and r/mexico that the identifier reads as Spanish, each read
    and labelled by a reader (``training/labels/es_reddit.jsonl``; the posts they read as
    Spanish)."""
    return labelled_reddit(m, labels, "es", ES_REDDIT_SUBS)


#: The anonymised PoliticES tweets' placeholders: no real post holds them, so a model would learn
#: them as the political signal; they are taken out (a handle gives no feature anyway).
POLITICES_PLACEHOLDERS = re.compile(r"\[(?:POLITICIAN|POLITICAL_PARTY|HASHTAG)\]|@user\b")
#: Everyday tweets that are plainly about politics are left out of the everyday side. ("partido",
#: "pan", "podemos" and "vox" are left out of the pattern: a match, bread, "we can", a voice.)
ES_POLITICAL = re.compile(
    r"gobiern|president|diputad|senad|congreso|elecci|polític|politic|ministr|alcald|gobernador|corrup|"
    r"dictad|reforma|impuesto|\bley\b|\bleyes\b|\bpri\b|\bprd\b|morena\b|amlo|peña nieto|\bepn\b|calder[oó]n|"
    r"kirchner|\bcfk\b|macri|rajoy|\bpsoe\b|militar|narco|marcha|protesta|\bvot", re.I)


def es_politices(m: Mirror):
    """PoliticES 2023's development tweets written by politicians (Spain, 2022) → 1, by who
    wrote them: a weak label (about half are political by post; birthday wishes and visits are
    among them), kept from 60 characters up once the placeholders are out. Journalists' and
    celebrities' tweets are not used."""
    src = POLITICES
    out = []
    for p in ("Datasets/PractiseData/development.csv", "Datasets/PractiseData/development_test.csv"):
        for r in csv.DictReader(io.StringIO(m.text(src.repo, src.commit, p))):
            if r["profession"] != "politician":
                continue
            t = re.sub(r"\s+", " ", POLITICES_PLACEHOLDERS.sub(" ", r["tweet"])).strip()
            if len(t) >= 60:
                out.append(_rec(t, 1, "es:politices-2023-politicians", src, p, "profession=politician"))
    return out


def es_emojispace(m: Mirror):
    """Everyday Spanish tweets (mostly Mexican; the emoji-prediction set of the tutorial) → 0,
    their placeholder tokens taken out, those plainly about politics (:data:`ES_POLITICAL`) left
    out, 25,000 at random."""
    import gzip
    import json

    src = EMOJISPACE
    out = []
    for p in ("data/emojispace.train.json.gz", "data/emojispace.test.json.gz"):
        for line in gzip.decompress(m.show(src.repo, src.commit, p)).decode("utf-8").splitlines():
            if not line.strip():
                continue
            o = json.loads(line)
            t = re.sub(r"\s+", " ", re.sub(r"\b_(?:usr|emo|url|num|emo_num)\b", " ", o["text"])).strip()
            if len(t) >= 20 and not ES_POLITICAL.search(t):
                out.append(_rec(t, 0, "es:emojispace-everyday-tweets", src, p, "emoji=" + o.get("klass", "")))
    random.Random(SEED).shuffle(out)
    return out[:25_000]


def xlsx_rows(data: bytes) -> list[dict[str, str]]:
    """The first sheet of an .xlsx file as rows keyed by the first row's cells (the standard
    library reads it: a workbook is a ZIP of XML parts)."""
    import zipfile

    from defusedxml import ElementTree

    ns = {"m": "http://schemas.openxmlformats.org/spreadsheetml/2006/main"}
    with zipfile.ZipFile(io.BytesIO(data)) as z:
        shared = []
        if "xl/sharedStrings.xml" in z.namelist():
            for si in ElementTree.fromstring(z.read("xl/sharedStrings.xml")).findall("m:si", ns):
                shared.append("".join(t.text or "" for t in si.iter(f"{{{ns['m']}}}t")))
        sheet = ElementTree.fromstring(z.read("xl/worksheets/sheet1.xml"))
    table = []
    for row in sheet.iter(f"{{{ns['m']}}}row"):
        cells = {}
        for c in row.findall("m:c", ns):
            col = re.match(r"[A-Z]+", c.get("r", "")).group()
            v = c.find("m:v", ns)
            if c.get("t") == "s" and v is not None:
                cells[col] = shared[int(v.text)]
            elif c.get("t") == "inlineStr":
                cells[col] = "".join(t.text or "" for t in c.iter(f"{{{ns['m']}}}t"))
            elif v is not None:
                cells[col] = v.text or ""
        table.append(cells)
    if not table:
        return []
    head = table[0]
    return [{head[k]: v for k, v in r.items() if k in head} for r in table[1:]]


#: FakeDeS topics: politics → 1; the topics that are plainly not politics → 0; the others
#: (Security, Society, COVID-19, Environment, International) mix the two and are left out.
FAKEDES_TOPICS = {"Politics": 1, "Science": 0, "Sport": 0, "Entertainment": 0, "Health": 0, "Economy": 0,
                  "Education": 0}


def es_fakedes(m: Mirror):
    """The Spanish Fake News Corpus (FakeDeS, news and fact-checked fakes, Mexico and other
    Spanish-speaking countries), by topic (:data:`FAKEDES_TOPICS`): headline and text, cut to
    1,000 characters. True or fake does not matter here: both are about their topic."""
    src = FAKEDES
    out = []
    for p in ("train.xlsx", "development.xlsx", "test.xlsx"):
        for r in xlsx_rows(m.show(src.repo, src.commit, p)):
            label = FAKEDES_TOPICS.get((r.get("Topic") or "").strip())
            if label is None:
                continue
            t = _clean(((r.get("Headline") or "").strip() + ". " + (r.get("Text") or "").strip()).strip(". "))
            if len(t) >= 30:
                out.append(_rec(t, label, "es:fakedes-news-by-topic", src, p, "topic=" + r["Topic"].strip()))
    return out


def sib200(m: Mirror, folder: str, source: str):
    """SIB-200's sentences in one language (FLORES, topic-labelled; ``folder`` as
    ``spa_Latn``): politics → 1, the other topics → 0. Only measured on, never trained on."""
    src = SIB200
    out = []
    for split in ("train", "dev", "test"):
        p = f"data/annotated/{folder}/{split}.tsv"
        for r in csv.DictReader(io.StringIO(m.text(src.repo, src.commit, p)), delimiter="\t", quoting=csv.QUOTE_NONE):
            out.append(_rec(r["text"].strip(), int(r["category"] == "politics"), source, src, p,
                            "category=" + r["category"]))
    return out


# --- German ----------------------------------------------------------------------------------

def de_reddit(m: Mirror, labels: Path = DE_REDDIT_LABELS):
    """The top posts of r/de that the identifier reads as German, each read and labelled by a
    reader (``training/labels/de_reddit.jsonl``; the posts they read as German)."""
    return labelled_reddit(m, labels, "de", DE_REDDIT_SUBS)


def de_bundestag(m: Mirror):
    """4,000 random Bundestag speeches of >= 300 characters (the chair's files left out)."""
    src = BUNDESTAG
    files = [f for f in m.ls(src.repo, src.commit, "data") if f.endswith(".txt") and not f.endswith("komplett.txt")]
    files = [f for f in files if not re.search(
        r"/(Alterspr_sident|Pr_sident|Vizepr_sident|Pr_sidentin|Vizepr_sidentin)[-_]", f)]
    random.Random(SEED).shuffle(files)
    out, seen = [], set()
    for f in files:
        if len(out) >= 4000:
            break
        try:
            d = m.text(src.repo, src.commit, f)
        except AbsentBlob:
            continue
        t = re.sub(r"\s+", " ", d).strip()
        if len(t) < 300 or t[:200] in seen:
            continue
        seen.add(t[:200])
        out.append(_rec(t, 1, "de:bundestag-speeches", src, f, "plenary-speech:" + f.split("/")[-2].split("-")[0]))
    return out


def de_10kgnad(m: Mirror):
    """10kGNAD test split: Inland → 1; Sport, Kultur, Web, Wissenschaft → 0."""
    src = GNAD
    mapping = {"Inland": 1, "Sport": 0, "Kultur": 0, "Web": 0, "Wissenschaft": 0}
    out = []
    text = m.show(src.repo, src.commit, "test.csv").decode("utf-8")
    for row in csv.reader(io.StringIO(text), delimiter=";", quotechar="'"):
        if len(row) >= 2 and row[0] in mapping:
            out.append(_rec(row[1].strip(), mapping[row[0]], "de:10kgnad-test", src, "test.csv", row[0]))
    return out


HEADLINE_NEG = {"sport", "kultur", "wissenschaft", "wissen", "digital", "netzwelt", "technik", "technologie",
                "unterhaltung", "arts_und_style", "leben", "reise", "reisen", "stil", "auto", "motor",
                "mobilitaet-auto",
                "iconist", "food", "entdecken", "feuilleton", "lifestyle"}
HEADLINE_NEG_EXCLUDED_QUERIES = {"Migration", "Rassismus", "Ukraine", "Coronavirus", "Covid", "Klimawandel"}


def de_headlines(m: Mirror):
    """News headlines by URL section: politik → 1 (4,000), entertainment/tech/sport sections → 0 (5,000)."""
    src = HEADLINES
    files = sorted(f for f in m.ls(src.repo, src.commit, "WebScraping/HeadlinesProcessed")
                   if f.lower().endswith(".csv"))
    pos, neg = defaultdict(list), []
    for f in files:
        try:
            d = m.text(src.repo, src.commit, f)
        except AbsentBlob:
            continue
        for r in csv.DictReader(io.StringIO(d)):
            u = r.get("url") or ""
            mm = re.match(r"https?://(?:www\.)?([^/]+)/(?:aktuell/)?([^/?#]+)", u)
            if not mm:
                continue
            dom, sec = mm.group(1), mm.group(2).lower()
            t = re.sub(r"\s+", " ", r.get("title") or "").strip()
            if len(t) < 25 or ("spiegel.de" in dom and "/international/" in u):
                continue
            query = r.get("category") or ""
            orig = f"{dom}/{sec}|query:{query}"
            if sec == "politik":
                pos[dom].append(_rec(t, 1, "de:news-headlines-url-section", src, f, orig))
            elif sec in HEADLINE_NEG and query not in HEADLINE_NEG_EXCLUDED_QUERIES:
                neg.append(_rec(t, 0, "de:news-headlines-url-section", src, f, orig))
    allpos = [r for dom in sorted(pos) for r in pos[dom]]
    return (cap_stratified(allpos, 4000, lambda r: r["orig_label"].split("/")[0])
            + cap_stratified(neg, 5000, lambda r: r["orig_label"].split("|")[0]))


POTTS_POS = {"politics", "politics_addition", "federal_election", "federal_election_addition"}
POTTS_NEG = {"general", "addition"}


def de_potts(m: Mirror):
    """Potsdam Twitter Sentiment Corpus, by its keyword topic: politics/election → 1, general → 0."""
    src = GERMAN_SENTIMENT
    files = sorted(f for f in m.ls(src.repo, src.commit, "source-data/PotTS/not-preprocessed")
                   if re.search(r"/(train|dev|test)/\d+\.[a-z_]+\.tsv$", f))
    out = []
    for f in files:
        topic = f.rsplit("/", 1)[-1].split(".", 1)[1][:-4]
        lab = 1 if topic in POTTS_POS else 0 if topic in POTTS_NEG else None
        if lab is None:
            continue
        for line in m.text(src.repo, src.commit, f).splitlines():
            c = line.split("\t")
            if len(c) < 3:
                continue
            t = re.sub(r"^RT @\w+ : ", "", re.sub(r"\s+", " ", c[2]).strip())
            if len(t) >= 20:
                out.append(_rec(t, lab, "de:potts-tweets", src, f, "potts-topic:" + topic))
    return out


GERMEVAL_POLITICAL = re.compile(
    r"streik|gdl|evg|politi|regierung|minister|dobrindt|bundestag|partei|cdu|spd|grüne|afd|fdp|linke|"
    r"flüchtling|asyl|wahl|gesetz|merkel|schäuble|steuer|gewerkschaft|tarif|privatisier|bundesregierung", re.I)


def de_germeval(m: Mirror):
    """GermEval 2017 posts about Deutsche Bahn → 0, less any that match a politics/strike keyword."""
    src = GERMAN_SENTIMENT
    p = "source-data/germeval2017/dev_v1.4.tsv"
    out = []
    for line in m.text(src.repo, src.commit, p).splitlines():
        c = line.split("\t")
        if len(c) < 4 or c[2] != "true":
            continue
        t = re.sub(r"\s+", " ", re.sub(r"https?://\S+", " ", c[1])).strip()
        if len(t) >= 30 and not GERMEVAL_POLITICAL.search(t):
            out.append(_rec(t, 0, "de:germeval2017-deutsche-bahn-posts", src, p, "relevance=true;sentiment=" + c[3]))
    return out


def _norm(t: str) -> str:
    return re.sub(r"\W+", " ", unicodedata.normalize("NFKC", t).lower()).strip()


# --- Dutch -----------------------------------------------------------------------------------

#: NU.nl sections whose headlines are about politics (→ 1), and sections with no politics in them
#: (→ 0). The rest (binnenland, buitenland, economie, klimaat, the wars, koningshuis, video ...)
#: mix politics with crime, weather and business, and are left out.
NUNL_POLITICAL = {"politiek", "tweede-kamerverkiezingen-2023", "formatie-2023", "provinciale-statenverkiezingen"}
NUNL_EVERYDAY = {"voetbal", "sport-overig", "sport", "wielrennen", "tennis", "formule-1", "nu-formule-1", "schaatsen",
                 "darts", "wk-voetbal", "wk-voetbal-2022", "tour-de-france", "achterklap", "entertainment", "media",
                 "muziek", "film", "cultuur-overig", "songfestival", "dieren", "weerbericht", "auto", "gezondheid",
                 "slimmer-leven", "kind-gezin", "goed-nieuws", "tech", "wetenschap"}


def nl_nunl(m: Mirror):
    """NU.nl headlines by section, read from every version of ``headlines.json`` the scraper
    committed (each article once, by id, its newest title): the political sections → 1, 4,000 of
    the sections without politics → 0 (round-robin over the sections)."""
    import json

    src = NUNL
    seen, pos, neg = set(), [], []
    for blob in m.versions(src.repo, src.commit, "headlines.json"):
        try:
            items = json.loads(blob)
        except ValueError:
            continue
        for a in items if isinstance(items, list) else []:
            aid, title = a.get("id"), _clean(a.get("title") or "")
            section = ((a.get("canonical_section") or {}).get("slug") or "")
            if aid in seen or not title:
                continue
            seen.add(aid)
            if section in NUNL_POLITICAL:
                pos.append(_rec(title, 1, "nl:nunl-headlines", src, "headlines.json", "section=" + section))
            elif section in NUNL_EVERYDAY:
                neg.append(_rec(title, 0, "nl:nunl-headlines", src, "headlines.json", "section=" + section))
    return pos + cap_stratified(neg, 4000, lambda r: r["orig_label"])


def nl_parties(m: Mirror):
    """Tweets of Dutch party accounts (weak label: the author), replies and posts of fewer than
    60 characters left out, 4,000 round-robin over the parties."""
    src, p = NL_PARTIES, "data/last_election_large.csv"
    out = []
    for r in csv.DictReader(io.StringIO(m.text(src.repo, src.commit, p))):
        t = (r.get("Tweet") or "").strip()
        if t.startswith("@"):
            continue
        t = re.sub(r"\s+", " ", re.sub(r"https?://\S+", " ", t)).strip()
        if len(t) >= 60:
            out.append(_rec(t, 1, "nl:party-account-tweets", src, p, "party:" + (r.get("Party") or "")))
    return cap_stratified(out, 4000, lambda r: r["orig_label"])


def nl_reddit(m: Mirror, labels: Path = NL_REDDIT_LABELS):
    """The top posts of r/Netherlands and r/belgium that the identifier reads as Dutch, each read
    and labelled by a reader (``training/labels/nl_reddit.jsonl``; the posts they read as Dutch)."""
    return labelled_reddit(m, labels, "nl", NL_REDDIT_SUBS)


def finalize(rows):
    for r in rows:
        r["text"] = r["text"].strip()[:1000]
    rows = [r for r in rows if r["text"]]
    labels = defaultdict(set)
    for r in rows:
        labels[_norm(r["text"])].add(r["label"])
    seen, out = set(), []
    for r in rows:
        k = _norm(r["text"])
        if not k or len(labels[k]) > 1 or k in seen:
            continue
        seen.add(k)
        out.append(r)
    return out


def build(mirror: Mirror, out: Path, shared: Path | None = None) -> dict:
    stats = {}
    for name, steps in (("fr", (fr_lemonde, fr_assemblee, fr_candidates, fr_allocine, fr_reddit)),
                        ("de", (de_bundestag, de_10kgnad, de_headlines, de_potts, de_germeval, de_reddit)),
                        ("es", (es_reddit, es_politices, es_emojispace, es_fakedes)),
                        ("nl", (nl_nunl, nl_parties, nl_reddit))):
        rows = finalize([r for step in steps for r in step(mirror)])
        write_jsonl(out / "lang" / f"{name}_political.jsonl", rows)
        c = Counter((r["source"], r["label"]) for r in rows)
        stats[f"lang/{name}_political.jsonl"] = {f"{s}|{lab}": n for (s, lab), n in sorted(c.items())}
    for name, folder, source in (("es", "spa_Latn", "ES1-sib200-es"), ("de", "deu_Latn", "DE1-sib200-de"),
                                 ("nl", "nld_Latn", "NL1-sib200-nl")):
        rows = sib200(mirror, folder, source)
        write_jsonl(out / "lang" / f"{name}_sib200.jsonl", rows)
        stats[f"lang/{name}_sib200.jsonl"] = dict(sorted(Counter(f"{r['source']}|{r['label']}" for r in rows).items()))
    return stats
