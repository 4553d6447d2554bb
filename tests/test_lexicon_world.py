"""The world politicians gazetteer (lexicons/world.toml): loaded by every pack, names hit,
everyday words do not, and its build script gives the same TOML every run."""

import sys
import tomllib
from pathlib import Path

import pytest

from auditor.detect.lexicon import Lexicon
from auditor.policy.pack import available_policies, load_lexicon, load_policy

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "training"))

from collect import politicians  # noqa: E402


@pytest.fixture(scope="module")
def lexicon():
    return Lexicon(load_policy("nz").terms)


def _politicians(lex, text):
    return [h.text for h in lex.find(text) if h.group == "political.politician"]


@pytest.mark.parametrize("pack", available_policies())
def test_every_pack_loads_the_world_list(pack):
    groups = {t.group for t in load_policy(pack).terms if t.phrase == "Netanyahu"}
    assert groups == {"political.politician"}


def test_world_list_is_title_case_weight_3_and_adds_no_country_term():
    terms, _ = load_lexicon("world")
    names = [t for t in terms if t.group == "political.politician"]
    assert len(names) > 3000 and all(t.case == "title" and t.weight == 3 for t in names)
    country = {politicians.fold(t.phrase) for lex in ("common", "nz", "au", "uk", "us", "ca")
               for t in load_lexicon(lex)[0] if t.group == "political.politician"}
    assert not country & {politicians.fold(t.phrase) for t in names}


# fmt: off
@pytest.mark.parametrize("text, hit", [
    ("Pedro Sánchez announced it today", "Pedro Sánchez"),
    ("Pedro Sanchez announced it today", "Pedro Sanchez"),      # accents folded
    ("Netanyahu live press conference", "Netanyahu"),
    ("$1 Trillion Payment To Xi Jinping", "Xi Jinping"),
    ("the Rajoy movie", "Rajoy"),
    ("Yolanda Díaz vibes", "Yolanda Díaz"),
    ("Milei again", "Milei"),
    ("Macron said", "Macron"),
    ("Putin's war", "Putin"),
])
# fmt: on
def test_world_politicians_hit(lexicon, text, hit):
    assert _politicians(lexicon, text) == [hit]


# fmt: off
@pytest.mark.parametrize("text", [
    "Sanchez scored twice",          # a common family name alone
    "I may go", "a key point", "Little did I know", "the amount",
    "the macron over the vowel",     # a name must be capitalised (case = "title")
    "Ravi Shankar played sitar", "Salinas, California", "Ramadan Mubarak",
    "the Mandela effect is wild", "Hashimoto's thyroiditis",
    "Juan Luis came round",          # two given names are no politician's name
])
# fmt: on
def test_everyday_text_does_not_hit(lexicon, text):
    assert _politicians(lexicon, text) == []


SAMPLE = [
    politicians.Person("Pedro Sánchez Pérez-Castejón", "Spain", True, "", "t", "Q1"),
    politicians.Person("Mariano Rajoy", "SPN", True, "Rajoy", "t"),
    politicians.Person("Marta Sánchez Gómez", "spain-ministers", False, "", "t", "Q2"),
    politicians.Person("Juan Luis Cebrián", "Spain", True, "", "t", "Q3"),
    politicians.Person("Boris Johnson", "United Kingdom", True, "", "t", "Q4"),
    politicians.Person("Theresa May", "United Kingdom", True, "", "t", "Q5"),
    politicians.Person("Xi Jinping", "People's Republic of China", True, "", "t", "Q6"),
]
INPUTS = dict(dictionary={"may", "key"}, everyday={}, everyday_lower={},
              surname_owners={"sanchez": 2}, existing={"boris johnson"}, given_names={"luis", "juan", "pedro"})


def test_build_is_deterministic_and_follows_the_rules():
    first = politicians.build_toml(SAMPLE, **INPUTS)
    assert first == politicians.build_toml(list(reversed(SAMPLE)), **INPUTS)
    terms = tomllib.loads(first)["political"]["politician"]["terms"]
    assert {"Pedro Sánchez", "Sánchez Pérez-Castejón", "Mariano Rajoy", "Rajoy", "Xi Jinping",
            "Marta Sánchez", "Theresa May"} <= set(terms)
    # a common or dictionary family name alone, a country lexicon's term, a given name pair,
    # a family-first name's last word: all left out
    assert not {"Sánchez", "May", "Johnson", "Boris Johnson", "Juan Luis", "Jinping", "Xi"} & set(terms)
