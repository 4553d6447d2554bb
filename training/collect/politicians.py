"""World politicians gazetteer: ``auditor/policy/lexicons/world.toml``, built from recorded sources.

    python training/collect/politicians.py collect   # mirror snapshots -> ../data-cache/gazetteer
    python training/collect/politicians.py build     # ../data-cache/gazetteer -> world.toml

``collect`` copies the raw files out of the local snapshots (the search tool's ``fetch`` step, one
bare git directory per repository) at the commits recorded in :data:`HOLDERS`, :data:`ARCHIGOS` and
:data:`LEADERS`; ``build`` reads only those copies, the develop people's everyday posts and the
system word lists (Debian's wamerican, wfrench, wngerman, wspanish), and writes the lexicon. The
same inputs always give the same bytes (every list is sorted). training/SOURCES.md records each
source, its commit and licence.

What goes in (ambiguity is the enemy: a false alarm teaches people to ignore the report):

* **Full names** (unless both words are given names, "Juan Luis"; given name + family name, as Wikidata or DBpedia spell them, plus the two
  short forms of Spanish double-surname names: "Pedro Sánchez", "López Obrador") of heads of
  state and government of every country, and of cabinet ministers of the larger countries, in
  office from 1990 on. Accents need no variants: the lexicon folds them.
* **A family name alone** only for heads of state and government, and only when it is
  distinctive: four letters or more, not a word of the English, French, German or Spanish word
  lists, not the family name of two different people in the sources (Sánchez, Kim, Khan...), not
  in :data:`COMMON_SURNAMES`, not used as an ordinary word (lower case) in everyday posts, and not
  in :data:`AMBIGUOUS` (names read in the false-hit review: other people, places, brands).
* Nothing the country lexicons (common, nz, au, uk, us, ca) already hold.
"""

from __future__ import annotations

import argparse
import csv
import io
import json
import re
import sys
import tomllib
import unicodedata
from collections import Counter
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import unquote

ROOT = Path(__file__).resolve().parents[2]
CACHE = ROOT.parent / "data-cache" / "gazetteer"
OUT = ROOT / "auditor" / "policy" / "lexicons" / "world.toml"
DICTS = [Path("/usr/share/dict") / n for n in ("american-english", "french", "ngerman", "spanish")]
EXISTING = ("common", "nz", "au", "uk", "us", "ca")
MIN_YEAR = 1990

def fold(s: str) -> str:
    """Lower case without accents (the lexicon's own folding, for comparisons here)."""
    s = unicodedata.normalize("NFD", s.lower())
    return "".join(c for c in s if not unicodedata.combining(c))


#: every-politician-scrapers country repositories: html/holders21.csv (Wikidata position holders)
HOLDERS = {
    "argentina-ministers": "98105f511ea6ad6c9730e979190909cf34d9343b",
    "belarus-ministers": "3edd7c7cbcba709c6165f7df09653dcbf50c7712",
    "brazil-ministers": "de58065b42edc0c0f310185ffda9174540e9af5f",
    "chile-ministers": "412eb050c5f72daf9c0f31b6482c61180501c83a",
    "china-ministers": "300341654d57cd10776238bae41c89b6ea315276",
    "czech-ministers": "1e53f23f9405feacef64241294c342ab8eca0319",
    "france-cabinet": "7ff37baf3297a83711c90ac84b1d3b2ecb50a541",
    "greece-cabinet": "34bf1d17b4c2afa95e6063f93742e53f3d4c7454",
    "hungary-cabinet": "aee95092e592403fee7a5d87f0d6b8eeeda1e9ca",
    "india-ministers": "66f344bbf207d35eaa3225edf5584ae0bb164fe8",
    "indonesia-ministers": "66eaaf57191eff7e9d28eea926358bf83d443114",
    "iran-ministers": "a8e7c2fb16372b8b77a09303ae27d46a9ea21e67",
    "ireland-ministers": "562aee81a3802e59acc4cf21c8fce6a8ca35f76e",
    "israel-ministers": "81da8707e865df568c7ba8b0b89bf95e7ffd4ae1",
    "italy-ministers": "4f9e038f62f3c71f737fd7e30a4e35df1686f4eb",
    "japan-ministers": "8ba3cb1992bee87f5b8dc566da87db2be8550a1a",
    "kenya": "845fa144b1aa18652748624528d836b81e51b7d0",
    "mexico-ministers": "87f5ae7dc992a800173a7c9de53ccbe25661dc61",
    "netherlands-cabinet": "a542323a663b1a7232e6f8e4843eda1f019a8705",
    "nigeria": "1f5d4aad9ba42a810e353d0d7b4378fedc4429e6",
    "pakistan-ministers": "065accdb5d8d693e89c0bc559862c10f66d443d1",
    "philippines-ministers": "1f396f9a8c2e3397cfe392fca350c8943aa1d5f5",
    "poland-cabinet": "c6b228df3eed6e9ba89f02bf424f870a66ea47a6",
    "portugal-cabinet": "49dd0287a8d715a217ba067c04d574b2632864af",
    "russia-cabinet": "3871831d9846a16c5017acc229e003ab706202ab",
    "south-africa-cabinet": "0558a872c69856bba752bd3b8b3604e4e4479252",
    "south-korea-ministers": "6f17960017c672790f0997885e5b2ff5937305de",
    "spain-ministers": "1e1550ca85af4c39b71e6a462fead133849fe078",
    "sweden-cabinet": "6756a7c9de57d94b64628365d3715a344c3ad9a7",
    "turkey-ministers": "288fbd45ee3fa59f8a226437bf43d726c9845f4f",
    "ukraine-cabinet": "4fc6ab0f4d90d6170b674172a115f1bc98478e4b",
    "venezuela": "468bc47dfe82a6912833f85ccb15888baa132a6c",
}
HOLDERS_PATH = "html/holders21.csv"
#: Archigos 4.1 (leaders to 2015), as kept in globalgov/manystates
ARCHIGOS = ("globalgov/manystates", "23d119a10b997c2d5ddbd6a665dc816146c20db7",
            "data-raw/leaders/archigos/arch_annual.txt")
#: heads of state and government of every country: every version of data/wikidata.csv in the
#: history of this repository (each version lists the office holders of its year)
LEADERS = ("every-politician-scrapers/world-leaders-2021", "data/wikidata.csv")

HISPANIC = {"Spain", "Mexico", "Argentina", "Chile", "Colombia", "Peru", "Venezuela", "Ecuador", "Bolivia",
            "Paraguay", "Uruguay", "Cuba", "Dominican Republic", "Guatemala", "Honduras", "El Salvador",
            "Nicaragua", "Costa Rica", "Panama",
            # Archigos (Correlates of War) abbreviations of the same countries
            "SPN", "MEX", "ARG", "CHL", "COL", "PER", "VEN", "ECU", "BOL", "PAR", "URU", "CUB", "DOM", "GUA",
            "HON", "SAL", "NIC", "COS", "PAN",
            # and the holders files of those countries
            "spain-ministers", "mexico-ministers", "argentina-ministers", "chile-ministers", "venezuela"}
#: family name first: the last word is a given name, so no single name is taken from it
FAMILY_FIRST = {"People's Republic of China", "China", "Taiwan", "North Korea", "South Korea", "Vietnam",
                "Hong Kong", "Cambodia", "CHN", "TAW", "PRK", "ROK", "DRV", "RVN", "VTM", "CAM",
                "china-ministers", "south-korea-ministers"}

#: positions of a holders21 file that are political offices (the rest: ambassadors, judges...)
POLITICAL = re.compile(r"\b(president|prime minister|minister|chancellor|premier|taoiseach|t[aá]naiste|"
                       r"secretary of state|government spokesperson|vice[- ]president)\b", re.I)
NOT_POLITICAL = re.compile(r"ambassador|justice|judge|court|chief|bank|governor|mayor|attorney|prosecutor|"
                           r"first lady|undersecretary|under-secretary|permanent representative|police|staff|"
                           r"commission|ombudsman|auditor|university|olympic|federation|academy|red cross|"
                           r"company|corporation|board|of the senate|of the chamber|of the national assembly|"
                           r"of the house|of parliament|regional|provincial|state of|county|municipal", re.I)
#: positions whose holders are heads of state or government (a family name alone may do)
HEADS = re.compile(r"^(president|prime minister|chancellor|federal chancellor|premier|taoiseach|"
                   r"president of the government( of spain)?|president of the republic|"
                   r"president of the (russian federation|french republic|united mexican states))$", re.I)

#: common family names, whatever the sources or word lists say (the brief's examples and the most
#: frequent family names of the larger countries)
COMMON_SURNAMES = {
    "johnson", "brown", "smith", "jones", "williams", "davis", "miller", "wilson", "moore", "taylor",
    "anderson", "thomas", "jackson", "white", "harris", "martin", "thompson", "garcia", "martinez",
    "robinson", "clark", "rodriguez", "lewis", "walker", "hall", "allen", "young", "king", "wright",
    "lopez", "hill", "scott", "green", "adams", "baker", "gonzalez", "nelson", "carter", "mitchell",
    "perez", "roberts", "turner", "phillips", "campbell", "parker", "evans", "edwards", "collins",
    "stewart", "sanchez", "morris", "rogers", "reed", "cook", "morgan", "bell", "murphy", "bailey",
    "rivera", "cooper", "richardson", "howard", "ward", "torres", "peterson", "gray", "ramirez", "james",
    "watson", "brooks", "kelly", "sanders", "price", "bennett", "wood", "barnes", "ross", "henderson",
    "coleman", "jenkins", "perry", "powell", "long", "patterson", "hughes", "flores", "washington",
    "butler", "simmons", "foster", "gonzales", "bryant", "alexander", "russell", "griffin", "diaz",
    "hayes", "may", "key", "little", "lee", "kim", "park", "chen", "wang", "zhang", "khan", "singh",
    "kumar", "sharma", "ahmed", "hussain", "ali", "mohamed", "mohammed", "ibrahim", "hassan",
    "fernandez", "gomez", "hernandez", "ruiz", "alvarez", "romero", "moreno", "munoz", "jimenez",
    "castro", "ortiz", "silva", "santos", "oliveira", "souza", "pereira", "costa", "ferreira",
    "muller", "schmidt", "schneider", "fischer", "weber", "meyer", "wagner", "becker", "schulz",
    "bernard", "dubois", "thomas", "robert", "richard", "petit", "durand", "leroy", "moreau", "simon",
    "laurent", "lefebvre", "michel", "rossi", "russo", "ferrari", "esposito", "bianchi", "romano",
    "ivanov", "smirnov", "popov", "kuznetsov", "petrov", "nowak", "kowalski", "yilmaz", "kaya",
    "nguyen", "tran", "suzuki", "tanaka", "sato", "watanabe", "ito", "yamamoto", "nakamura",
    "murray", "graham", "kennedy", "wallace", "ford", "hunt", "fox", "stone", "rose", "woods",
}

#: family names that passed every rule above but were read, in the review of the kept names and of
#: their everyday uses, as something else: other people (Ethan Hawke, Ravi Shankar, Chris Christie),
#: places (Salinas, Granger, Marrero), greetings (Ramadan Mubarak), German words (Klima, Frieden,
#: Kohl, Maurer), given names, and family names common in their own country (Harutyunyan, Mejía,
#: Traore, the San Marino captains regent's Italian names)
AMBIGUOUS = {fold(w) for w in """
Morrison Christie Salinas Granger Shankar Marrero Mello Salam Karis Rowley Velasquez Esquivel Golding
Manley Bolger Hawke Rawlings Haughey Mubarak Faye Saud Sata Diab Weekes Klima Frieden Kohl Maurer Schmid
Koller Strasser Felber Matthes Fortis Vella Mancini Berti Cardelli Venturini Nicolini Dolcini Zafferani
Ciavatta Mussoni Rondelli Simoncini Bertello Vasile Sika Fahd Hafs Attas Abdo Achi Rini Roka Jans Funes
Loong Ing-wen Tseng-chang Selassie Petkov Kostov Mladenov Martynov Mamedov Aliev Harutyunyan Khachatryan
Simonyan Sarkisyan Sarkissian Mejía Arango Moscoso Noriega Briceño Alarcón Veiga Traore Cisse Fofana
Yassin Mansour Ousmane Salih Shamir Yacob Santer Ingraham Zelaya Callejas Sicília Pizano Openg Jumba
Lagos Durán Suga Abdi Alvarado Barak Browne Camaño Chávez Higgins Wong Amato Aquino Cardoso Chaves Fonseca
Schmitt Rasmussen Carlsson Kozlov Ling Dini Monti Valls Wahid Fiala Gowda Mukherjee Alvi Sandu
KyengeJean-Michel Saksgoburggotski
Modi Mulroney Sobotka Sanguinetti Kaboré Stubb Pellegrini Martinelli Leuenberger Diouf Kravchuk Solberg Cowen
Bérenger
""".split()}
#: full names read in the false-hit review as other people first (a baseball player, a sociologist)
AMBIGUOUS_FULL = {"Keith Mitchell", "Manuel Castells", "David Levy"}

#: phrases in which a kept name means something else; the lexicon drops a hit inside one
SUPPRESS = ["Mandela effect", "Mandela catalogue", "Hashimoto's", "Hashimotos"]

#: heads of state and government always kept alone, although a word list holds them or no source
#: gives them as a family name: the word is rare in everyday posts (no
#: lower-case use in the develop people's posts or the everyday tweets) and the name is what people
#: write ("Macron": the diacritic; "Lula": Portuguese for squid; "Erdoğan": also a Turkish given
#: name; "Assad": "al-Assad" in the sources; "Zelensky": the sources spell it Zelenskyy)
KEEP = {"Macron", "Lula", "Erdoğan", "Assad", "Zelensky"}
_LATIN = re.compile(r"[A-Za-zÀ-ɏḀ-ỿ'’ʻ-]+")

_WORD = re.compile(r"[^\W\d_]+(?:['\u2019-][^\W\d_]+)*")
_PARTICLES = {"de", "del", "la", "las", "los", "da", "do", "dos", "das", "van", "von", "der", "den", "bin",
              "ibn", "al", "el", "y", "e", "di", "le", "du", "ter", "ten", "zu", "and"}


@dataclass(frozen=True, order=True)
class Person:
    """One office holder as a source names them."""

    name: str
    country: str = ""
    head: bool = False          #: head of state or government
    surname: str = ""           #: the family name the source itself gives (Archigos' ``leader``)
    source: str = ""
    pid: str = ""               #: the Wikidata id, where the source gives one


# --- reading the raw files ------------------------------------------------------------------

def clean_name(raw: str) -> str:
    """The name without a disambiguation ("João Lourenço (politician)") or odd spacing; "" when it
    is no usable personal name (a Wikidata id, a title after a comma, a regnal name "X of Y")."""
    name = re.sub(r"\s*\([^)]*\)", "", raw or "").replace("_", " ")
    name = " ".join(name.replace('"', " ").split())
    if not name or re.fullmatch(r"Q\d+", name) or "," in name or " of " in name or any(ch.isdigit() for ch in name):
        return ""
    if re.search(r"\b[IVX]+\b$", name):        # Charles III, Mswati III
        return ""
    return name


def read_holders(text: str, repo: str) -> list[Person]:
    """Political office holders (start or end in or after 1990) of one holders21.csv."""
    out = []
    for r in csv.DictReader(io.StringIO(text)):
        pos = r.get("position", "")
        if not POLITICAL.search(pos) or NOT_POLITICAL.search(pos):
            continue
        end, start = (r.get("end") or "")[:4], (r.get("start") or "")[:4]
        if (end and end < str(MIN_YEAR)) or (not end and start and start < "1960"):
            continue
        name = clean_name(r.get("person", ""))
        if name:
            out.append(Person(name, repo, bool(HEADS.match(pos.strip())), "", repo, r.get("personID", "")))
    return out


def read_leaders(text: str) -> list[Person]:
    """Heads of state and government of one data/wikidata.csv version."""
    out = []
    for r in csv.DictReader(io.StringIO(text)):
        end = r.get("end_year") or ""
        if end and end < str(MIN_YEAR):
            continue
        start = r.get("start_year") or ""
        if start and start < "1950":     # a Danish king of 854 sits in one version
            continue
        name = clean_name(r.get("officeholderLabel", ""))
        if name:
            out.append(Person(name, r.get("country", ""), True, "", LEADERS[0], r.get("officeholder", "")))
    return out


def read_archigos(text: str) -> list[Person]:
    """Leaders of Archigos 4.1 in office on or after 1 January 1990: the name from the DBpedia
    address, the family name from the ``leader`` column when it is one word."""
    out = set()
    for r in csv.DictReader(io.StringIO(text), delimiter="\t"):
        if (r.get("enddate") or "") < f"{MIN_YEAR}-01-01":
            continue
        uri = r.get("dbpedia.uri") or ""
        name = clean_name(unquote(uri.rsplit("/", 1)[-1])) if uri.startswith("http") else ""
        leader = (r.get("leader") or "").strip()
        surname = leader if _WORD.fullmatch(leader) else ""
        if name or surname:
            out.add(Person(name, r.get("idacr", ""), True, surname, ARCHIGOS[0]))
    return sorted(out)


def read_cache(cache: Path = CACHE) -> list[Person]:
    """Every person in the collected raw files."""
    people: list[Person] = []
    for repo in sorted(HOLDERS):
        people += read_holders((cache / "holders" / f"{repo}.csv").read_text(encoding="utf-8"), repo)
    for f in sorted((cache / "leaders").glob("*.csv")):
        people += read_leaders(f.read_text(encoding="utf-8"))
    people += read_archigos((cache / "archigos" / "arch_annual.txt").read_text(encoding="latin-1"))
    return people


def all_surnames(cache: Path = CACHE, full: bool = False) -> list[tuple[str, str, str, bool]]:
    """(person id, last word of the name or the whole name when ``full``, repository, whether the
    position is political) of every holder of every position in the holders files, ambassadors and
    judges too: a family name that several unrelated people carry is a common one."""
    out = []
    for repo in sorted(HOLDERS):
        text = (cache / "holders" / f"{repo}.csv").read_text(encoding="utf-8")
        for r in csv.DictReader(io.StringIO(text)):
            words = _WORD.findall(clean_name(r.get("person", "")))
            pos = r.get("position", "")
            if len(words) >= 2:
                out.append((r.get("personID", ""), " ".join(words) if full else words[-1], repo,
                            bool(POLITICAL.search(pos) and not NOT_POLITICAL.search(pos))))
    return out


def common_surnames(rows: Iterable[tuple[str, str, str, bool]]) -> dict[str, int]:
    """Folded family name → people carrying it, for the names of three people or more, or of two in
    two countries (two people of one country are often one family: Bolsonaro, Kirchner, Duterte)."""
    owners: dict[str, set[tuple[str, str, bool]]] = {}
    for pid, name, where, political in rows:
        owners.setdefault(fold(name), set()).add((pid, where, political))
    out = {}
    for key, who in owners.items():
        pids = {w[0] for w in who}
        if len(pids) >= 3 or (len(pids) == 2 and len({w[1] for w in who if w[1]}) >= 2):
            out[key] = len(pids)
    return out


# --- choosing the terms ---------------------------------------------------------------------

def full_names(p: Person) -> list[str]:
    """The full-name terms of a person (empty when the name has fewer than two words)."""
    if not p.name:
        return []
    words = p.name.split()
    if len(words) < 2 or not words[0][0].isupper():
        return []
    out = [p.name]
    if p.country in HISPANIC and len(words) >= 3 and not any(w.lower() in _PARTICLES for w in words):
        out += [f"{words[0]} {words[-2]}", f"{words[-2]} {words[-1]}"]
    return out


def family_name(p: Person) -> str:
    """The family name a head of state or government is called by alone, before any filtering."""
    if p.surname:
        return p.surname
    words = p.name.split()
    if len(words) == 1:
        return words[0]
    if p.country in FAMILY_FIRST or any(w.lower() in _PARTICLES for w in words[1:]):
        return ""       # Xi Jinping, Van der Bellen, De Croo, Lula da Silva: only the full name
    if p.country in HISPANIC and len(words) >= 3 and words[-2].lower() not in _PARTICLES:
        return words[-2]
    return words[-1]


def select(people: Iterable[Person], *, dictionary: set[str], everyday: Mapping[str, int],
           everyday_lower: Mapping[str, int], surname_owners: Mapping[str, int],
           existing: set[str], given_names: set[str] = frozenset()) -> tuple[list[str], list[str], dict[str, str]]:
    """(full names, single family names, why each rejected single name was left out).

    ``dictionary``: folded lower-case words of the word lists; ``everyday`` and
    ``everyday_lower``: folded word → everyday posts it occurs in (in any case / in lower case);
    ``surname_owners``: folded family name → distinct people carrying it; ``existing``: folded
    terms of the country lexicons; ``given_names``: folded first words of every name in the sources
    (Raúl, Mustafa, Salam: a given name alone names too many people).
    """
    full: dict[str, str] = {}
    singles: dict[str, str] = {}
    for p in people:
        for n in full_names(p):
            words = n.split()
            if (len(re.sub(r"\W", "", n)) < 5 or fold(n) in existing or words[0] in ("Pope", "Saint")
                    or n in AMBIGUOUS_FULL):
                continue
            # two given names ("Juan Luis", "Peter Norman") name no one in particular
            if len(words) == 2 and fold(words[1]) in given_names:
                continue
            full.setdefault(fold(n), n)
        if p.head:
            s = family_name(p)
            if s:
                singles.setdefault(fold(s), s)
    rejected: dict[str, str] = {}
    kept: dict[str, str] = {}
    for key, s in sorted(singles.items()):
        letters = re.sub(r"[^\w]", "", key)
        why = ("shorter than 4 letters" if len(letters) < 4 else
               "not one word in Latin letters" if not _LATIN.fullmatch(s) else
               "not capitalised" if not s[0].isupper() else
               "in a country lexicon" if key in existing else
               "a dictionary word" if key in dictionary or key.replace("-", "") in dictionary else
               "a common family name" if key in COMMON_SURNAMES or surname_owners.get(key, 0) >= 2 else
               "a given name" if key in given_names else
               "an everyday word (lower case in everyday posts)" if everyday_lower.get(key, 0) >= 2 else
               "read as something else in the false-hit review" if key in AMBIGUOUS else "")
        if why:
            rejected[s] = why
        else:
            kept[key] = s
    for s in sorted(KEEP):
        if fold(s) not in existing:
            kept[fold(s)] = s
            rejected.pop(s, None)
    fulls = sorted(full.values(), key=lambda n: (fold(n), n))
    # a full name is the only way to reach a person whose family name was left out; a full name
    # that is just the kept family name is the same term
    fulls = [n for n in fulls if fold(n) not in kept]
    return fulls, sorted(kept.values(), key=lambda n: (fold(n), n)), rejected


HEADER = """\
# World politicians: heads of state and government of every country and cabinet ministers of the
# larger ones, in office from 1990 on, as the `political.politician` group (the model's @politician
# feature, beside the country lexicons' own lists). Generated; do not edit by hand. Rebuild with
#   python training/collect/politicians.py collect && python training/collect/politicians.py build
# Sources (training/SOURCES.md has commits and licences): Wikidata office holders via the
# every-politician-scrapers repositories (world-leaders-2021 and {n_countries} country cabinet
# repositories, CC0 data), and Archigos 4.1 leaders to 2015 (via globalgov/manystates).
# Full names always; a family name alone only for heads of state and government, and only when it
# is not a dictionary word, a common family name or an everyday word ({n_full} full names,
# {n_single} family names alone). Names must be capitalised in the post (case = "title").
"""


def _toml_str(s: str) -> str:
    return '"' + s.replace("\\", "\\\\").replace('"', '\\"') + '"'


def render(fulls: list[str], singles: list[str]) -> str:
    """The TOML text of world.toml (deterministic for the same lists)."""
    lines = [HEADER.format(n_countries=len(HOLDERS), n_full=len(fulls), n_single=len(singles)),
             "[political.politician]", "weight = 3", 'case = "title"', "terms = ["]
    terms = sorted(set(fulls) | set(singles), key=lambda n: (fold(n), n))
    row = "  "
    for t in terms:
        piece = _toml_str(t) + ", "
        if len(row) + len(piece) > 100 and row.strip():
            lines.append(row.rstrip())
            row = "  "
        row += piece
    if row.strip():
        lines.append(row.rstrip())
    lines += ["]", "", "[political.suppress]",
              "# where a name above means something else (the Mandela effect, Hashimoto's thyroiditis)",
              "terms = [" + ", ".join(_toml_str(t) for t in sorted(set(SUPPRESS), key=str.lower)) + "]"]
    return "\n".join(lines) + "\n"


def build_toml(people: Iterable[Person], **inputs) -> str:
    """The world.toml text for these people (the pure core of :func:`build`; see :func:`select`)."""
    fulls, singles, _ = select(people, **inputs)
    return render(fulls, singles)


# --- the inputs of the filters --------------------------------------------------------------

def dictionary_words(paths: Iterable[Path] = DICTS) -> set[str]:
    """Folded lower-case entries of the word lists (proper names, capitalised there, are skipped)."""
    words = set()
    for p in paths:
        for line in p.read_text(encoding="utf-8", errors="replace").splitlines():
            w = line.split("/")[0].strip()
            if w and w[0].islower():
                words.add(fold(w.replace("'s", "")))
    return words


def test_people() -> set[str]:
    with open(ROOT / "training" / "people.toml", "rb") as fh:
        return set(tomllib.load(fh)["people"]["test"])


def everyday_texts(data_cache: Path = ROOT.parent / "data-cache",
                   shared: Path = ROOT.parent / "shared" / "data") -> Iterable[str]:
    """The develop people's pools (test people are never opened) and the N1 everyday tweets."""
    test = {t.split(":", 1)[1].replace("/", "__") for t in test_people()}
    for f in sorted((data_cache / "personal").glob("pool_*.jsonl")):
        if f.stem[len("pool_"):] in test:
            continue
        with open(f, encoding="utf-8") as fh:
            for line in fh:
                yield json.loads(line).get("text") or ""
    for f in sorted((shared / "N1-tweeteval-everyday").glob("*/*_text.txt")):
        if f.parent.name in ("emoji", "emotion"):
            yield from f.read_text(encoding="utf-8").splitlines()


def word_counts(texts: Iterable[str]) -> tuple[Counter, Counter]:
    """(folded word → posts containing it, folded word → posts containing it in lower case)."""
    anycase, lower = Counter(), Counter()
    for t in texts:
        words = set(_WORD.findall(t))
        anycase.update({fold(w) for w in words})
        lower.update({fold(w) for w in words if w.islower()})
    return anycase, lower


def existing_terms() -> set[str]:
    sys.path.insert(0, str(ROOT))
    from auditor.policy.pack import load_lexicon
    out = set()
    for name in EXISTING:
        terms, _ = load_lexicon(name)
        out |= {fold(t.phrase) for t in terms if t.group == "political.politician"}
    return out


def build(cache: Path = CACHE, out: Path = OUT, report: Path | None = None) -> dict:
    people = read_cache(cache)
    rows = all_surnames(cache)
    rows += [(p.pid, family_name(p) or p.name.split()[-1], "", True)     # the leaders files (any country)
             for p in people if p.pid and p.source == LEADERS[0] and len(p.name.split()) >= 2]
    given = {fold(r[1].split()[0]) for r in all_surnames(cache, full=True)}
    given |= {fold(p.name.split()[0]) for p in people if len(p.name.split()) >= 2}
    anycase, lower = word_counts(everyday_texts())
    inputs = dict(dictionary=dictionary_words(), everyday=anycase, everyday_lower=lower,
                  surname_owners=common_surnames(rows), existing=existing_terms(),
                  given_names=given)
    fulls, singles, rejected = select(people, **inputs)
    out.write_text(render(fulls, singles), encoding="utf-8")
    stats = {"people": len({p.name for p in people}), "full_names": len(fulls), "single_names": len(singles),
             "single_rejected": len(rejected)}
    if report is not None:
        report.write_text(json.dumps({"stats": stats, "singles": {s: anycase.get(fold(s), 0) for s in singles},
                                      "rejected": rejected}, ensure_ascii=False, indent=1, sort_keys=True),
                          encoding="utf-8")
    return stats


# --- collecting the raw files from the snapshots ---------------------------------------------

def collect(mirror: Path, cache: Path = CACHE) -> dict:
    """Copy the raw files out of the snapshots into ``cache`` (nothing goes online)."""
    import subprocess

    def git(repo: str, *args: str) -> bytes:
        return subprocess.run(["git", "--git-dir", str(mirror / repo.replace("/", "+") / "repo"), *args],
                              capture_output=True, check=True).stdout

    for sub in ("holders", "leaders", "archigos"):
        (cache / sub).mkdir(parents=True, exist_ok=True)
    for name, commit in HOLDERS.items():
        data = git(f"every-politician-scrapers/{name}", "show", f"{commit}:{HOLDERS_PATH}")
        (cache / "holders" / f"{name}.csv").write_bytes(data)
    repo, commit, path = ARCHIGOS
    (cache / "archigos" / "arch_annual.txt").write_bytes(git(repo, "show", f"{commit}:{path}"))
    seen = set()
    commits = git(LEADERS[0], "log", "--all", "--format=%H %cs", "--", LEADERS[1]).decode().split("\n")
    for line in filter(None, commits):
        c, day = line.split()
        try:
            blob = git(LEADERS[0], "rev-parse", f"{c}:{LEADERS[1]}").strip()
        except subprocess.CalledProcessError:
            continue     # the commit that deleted the file
        if blob in seen:
            continue
        seen.add(blob)
        (cache / "leaders" / f"{day}_{c[:12]}.csv").write_bytes(git(LEADERS[0], "show", f"{c}:{LEADERS[1]}"))
    return {"holders": len(HOLDERS), "leaders_versions": len(seen)}


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("step", choices=["collect", "build"])
    ap.add_argument("--mirror", type=Path, default=Path("/work/.mirror"))
    ap.add_argument("--cache", type=Path, default=CACHE)
    ap.add_argument("--out", type=Path, default=OUT)
    ap.add_argument("--report", type=Path, help="write the kept and rejected family names here (JSON)")
    a = ap.parse_args(argv)
    stats = collect(a.mirror, a.cache) if a.step == "collect" else build(a.cache, a.out, a.report)
    print(json.dumps(stats))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
