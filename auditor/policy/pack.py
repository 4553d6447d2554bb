"""Policy packs: one TOML file per jurisdiction holding rules, citations and role variants, plus
lexicon files (parties, politicians, hashtags, agencies, cue words) that the detectors use.

Packs are validated on load; every problem is reported as a :class:`PolicyError` that names the
file and the key, e.g. ``nz.toml: rules[3].when[0].severity: 'severe' is not one of ...``.
"""

from __future__ import annotations

import string
import tomllib
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from auditor.detect.lexicon import Term
from auditor.errors import PolicyError
from auditor.models import Category, Citation, PostKind, Severity, TieLevel

PACKS_DIR = Path(__file__).parent / "packs"
LEXICONS_DIR = Path(__file__).parent / "lexicons"
DEFAULT_POLICY = "nz"

CATEGORIES = {c.value for c in Category}
ACTIONS = {"delete", "edit", "hide", "move", "unlink", "moderate", "review"}
DETECTORS = {"political", "grievance", "disrespect", "separation", "moderation", "linkage"}
CASES = {"any", "title", "exact"}
#: what a rule's why and recommendation may refer to (filled per finding)
PLACEHOLDERS = {"what", "platform", "employer", "evidence", "other", "where", "count", "fix", "evidence_sentence"}
PLACEHOLDERS |= {p.capitalize() for p in PLACEHOLDERS}  # "{What}" starts a sentence


@dataclass(frozen=True)
class Clause:
    """One way a rule can match a detection, with the severity it then has."""

    detector: str
    severity: Severity
    labels: tuple[str, ...] = ()
    platforms: tuple[str, ...] = ()
    kinds: tuple[str, ...] = ()
    work_identified: bool | None = None
    names_employer: bool | None = None
    subject: str = "post"
    signals: tuple[str, ...] = ()
    roles: tuple[str, ...] = ()
    #: the account's tie levels the clause is for ("direct": the profile itself names the
    #: employer; empty: any)
    ties: tuple[str, ...] = ()
    #: the post's audiences the clause is for, as the export states them (a website comment's
    #: ``approved`` or ``pending``; ``PUBLIC`` ...; empty: any)
    audience: tuple[str, ...] = ()

    def matches(self, detector: str, label: str, ctx: MatchContext) -> bool:
        """True when every condition the clause sets holds. A visitor's comment on the person's
        own site is someone else's words: only a clause that names its kind matches it (a
        moderation rule), never a rule about the person's own conduct, wherever the pack lists it."""
        return (
            self.detector == detector
            and (not self.labels or label in self.labels)
            and (not self.platforms or ctx.platform in self.platforms)
            and (ctx.kind in self.kinds if self.kinds else ctx.kind != PostKind.VISITOR_COMMENT)
            and (self.work_identified is None or self.work_identified == ctx.work_identified)
            and (self.names_employer is None or self.names_employer == ctx.names_employer)
            and self.subject == ctx.subject
            and (not self.signals or bool(set(self.signals) & ctx.signals))
            and (not self.roles or ctx.role in self.roles)
            and (not self.ties or ctx.tie in self.ties)
            and (not self.audience or ctx.audience in self.audience)
        )


@dataclass(frozen=True)
class MatchContext:
    """Facts about the subject of a detection that clauses can test."""

    platform: str
    kind: str = ""
    work_identified: bool = False
    names_employer: bool = False
    subject: str = "post"
    signals: frozenset[str] = frozenset()
    role: str = ""
    #: the account's tie level (``direct``, ``linked`` ...; see models.TieLevel)
    tie: str = ""
    #: the post's audience as the export states it (``pending`` for a comment awaiting approval)
    audience: str = ""


@dataclass(frozen=True)
class Rule:
    """A rule from a policy pack, in the tool's own words, with where it comes from."""

    id: str
    category: str
    title: str
    why: str
    recommendation: str
    action: str
    citation: Citation
    clauses: tuple[Clause, ...]


@dataclass(frozen=True)
class Role:
    """A role variant (``--role``) that raises the severity of some categories."""

    name: str
    description: str
    raise_by: int
    categories: tuple[str, ...]
    rule: str = ""


@dataclass
class Policy:
    """A loaded, validated policy pack."""

    id: str
    name: str
    jurisdiction: str
    version: str
    summary: str
    rules: list[Rule]
    citations: dict[str, Citation]
    terms: list[Term]
    public_sector_domains: tuple[str, ...]
    weaker_kinds: dict[str, int] = field(default_factory=dict)
    agency_aliases: dict[str, list[str]] = field(default_factory=dict)
    #: what each agency is responsible for (``[mandates]``): programmes and laws by name, so a
    #: political post about the person's own employer's area can be told apart
    agency_mandates: dict[str, list[str]] = field(default_factory=dict)
    roles: dict[str, Role] = field(default_factory=dict)
    #: per-task model thresholds that override the shipped ones (``[pack] thresholds``)
    thresholds: dict[str, float] = field(default_factory=dict)
    path: str = ""

    def rule(self, rule_id: str) -> Rule:
        """A rule by id; :class:`PolicyError` if the pack has none."""
        for r in self.rules:
            if r.id == rule_id.upper():
                return r
        raise PolicyError(f"the {self.id} policy pack has no rule {rule_id!r} (see: auditor rules list)")

    def match(self, detector: str, label: str, ctx: MatchContext) -> tuple[Rule, Clause] | None:
        """The first rule clause that matches a detection, or None."""
        for r in self.rules:
            for c in r.clauses:
                if c.matches(detector, label, ctx):
                    return r, c
        return None


def available_policies() -> list[str]:
    """Names of the packs shipped with the tool."""
    return sorted(p.stem for p in PACKS_DIR.glob("*.toml"))


def load_policy(name_or_path: str = DEFAULT_POLICY) -> Policy:
    """Load a shipped pack by name (``nz``) or a pack file by path, and validate it."""
    path = Path(name_or_path)
    if path.suffix == ".toml" or "/" in name_or_path or "\\" in name_or_path:
        if not path.is_file():
            raise PolicyError(f"policy file not found: {name_or_path} (give the path of a .toml pack, "
                              f"or a shipped pack: {', '.join(available_policies())})")
    if not (path.suffix == ".toml" and path.exists()):
        path = PACKS_DIR / f"{name_or_path.lower()}.toml"
        if not path.exists():
            raise PolicyError(
                f"no policy pack named {name_or_path!r}; available: {', '.join(available_policies())} "
                "(or give the path of a .toml pack)"
            )
    data = read_toml(path)
    v = _Validator(path.name)
    pack = v.table(data, "pack", required=True)
    v.keys(pack, "pack", {"id", "name", "jurisdiction", "version", "lexicons", "summary", "weaker_kinds",
                          "include", "thresholds"})
    citations = {}
    for cid, c in v.table(data, "citations", required=True).items():
        v.keys(c, f"citations.{cid}", {"title", "publisher", "url", "section"})
        citations[cid] = Citation(
            title=v.string(c, f"citations.{cid}", "title"),
            publisher=v.string(c, f"citations.{cid}", "publisher"),
            url=v.string(c, f"citations.{cid}", "url"),
            section=c.get("section", ""),
        )
    rules = [_rule(v, r, i, citations) for i, r in enumerate(v.list(data, "", "rules", required=True))]
    own = {r.id for r in rules}
    for inc in v.list(pack, "pack", "include"):
        # a pack's own rule with the id an included rule would get replaces it
        rules += [r for r in _included_rules(str(inc), path.parent, str(pack.get("id", "")).upper(), citations, v)
                  if r.id not in own]
    ids = [r.id for r in rules]
    dup = {i for i in ids if ids.count(i) > 1}
    if dup:
        v.fail("rules", f"duplicate rule ids: {', '.join(sorted(dup))}")
    roles = {}
    for rname, r in v.table(data, "roles").items():
        where = f"roles.{rname}"
        v.keys(r, where, {"description", "raise", "categories", "rule"})
        cats = tuple(v.list(r, where, "categories"))
        for c in cats:
            v.one_of(c, f"{where}.categories", CATEGORIES)
        raise_by = r.get("raise", 1)
        if not isinstance(raise_by, int) or isinstance(raise_by, bool) or not 0 <= raise_by <= 4:
            v.fail(f"{where}.raise", "must be a whole number from 0 to 4")
        roles[rname] = Role(rname, r.get("description", ""), raise_by, cats, r.get("rule", ""))
    for i, r in enumerate(rules):
        for j, c in enumerate(r.clauses):
            for name in c.roles:
                if name not in roles:
                    v.fail(f"rules[{i}].when[{j}].roles", f"{name!r} is not defined under [roles]")
    weaker = pack.get("weaker_kinds", {})
    if not isinstance(weaker, dict) or not all(isinstance(x, int) and x >= 0 for x in weaker.values()):
        v.fail("pack.weaker_kinds", "must map post kinds to whole numbers of levels")
    thresholds = pack.get("thresholds", {})
    if not isinstance(thresholds, dict) or not all(
            k in ("political", "grievance", "disrespect", "partisan", "political_kind", "political_review")
            and isinstance(x, (int, float))
            and not isinstance(x, bool) and 0 < x < 1 for k, x in thresholds.items()):
        v.fail("pack.thresholds", "must map political, grievance, disrespect, partisan (model thresholds), political_kind "
                                  "(the lexicon's minimum score for partisan or policy commentary) or "
                                  "political_review (where the list of posts to skim starts) to a number "
                                  "between 0 and 1")
    lexicon_names = v.list(pack, "pack", "lexicons", required=True)
    terms: list[Term] = []
    domains: list[str] = []
    aliases: dict[str, list[str]] = {}
    mandates: dict[str, list[str]] = {}
    for lex in lexicon_names:
        t, d = load_lexicon(lex, path.parent, aliases, mandates)
        terms += t
        domains += d
    return Policy(
        id=v.string(pack, "pack", "id"),
        name=v.string(pack, "pack", "name"),
        jurisdiction=v.string(pack, "pack", "jurisdiction"),
        version=str(pack.get("version", "")),
        summary=" ".join(str(pack.get("summary", "")).split()),
        rules=rules,
        citations=citations,
        terms=terms,
        public_sector_domains=tuple(dict.fromkeys(domains)),
        agency_aliases=aliases,
        agency_mandates=mandates,
        weaker_kinds=dict(weaker),
        thresholds={k: float(x) for k, x in thresholds.items()},
        roles=roles,
        path=str(path),
    )


def load_lexicon(name: str, near: Path | None = None,
                 aliases: dict[str, list[str]] | None = None,
                 mandates: dict[str, list[str]] | None = None) -> tuple[list[Term], list[str]]:
    """Terms and public-sector domains from ``lexicons/<name>.toml`` (or a file beside a pack).

    Agency aliases (``[aliases]``) and mandates (``[mandates]``: the programmes and laws each
    agency runs) are added to ``aliases`` and ``mandates`` when dicts are given.
    """
    aliases = aliases if aliases is not None else {}
    mandates = mandates if mandates is not None else {}
    candidates = [LEXICONS_DIR / f"{name}.toml"]
    if near is not None:
        candidates.insert(0, near / f"{name}.toml")
        candidates.insert(1, near / "lexicons" / f"{name}.toml")
    path = next((p for p in candidates if p.exists() and p.parent != PACKS_DIR), None)
    if path is None:
        raise PolicyError(f"lexicon {name!r} not found (looked in {LEXICONS_DIR})")
    data = read_toml(path)
    v = _Validator(path.name)
    terms: list[Term] = []
    domains: list[str] = []
    for detector, groups in data.items():
        if detector == "domains":
            domains += [str(d).lower().lstrip(".") for d in v.list(groups, "domains", "public_sector")]
            continue
        if detector in ("aliases", "mandates"):
            into = aliases if detector == "aliases" else mandates
            for agency in groups:
                into.setdefault(agency, []).extend(str(n) for n in v.list(groups, detector, agency))
            continue
        if detector not in DETECTORS | {"work"}:
            v.fail(detector, f"unknown detector; expected one of {', '.join(sorted(DETECTORS | {'work'}))}")
        if not isinstance(groups, dict):
            v.fail(detector, "must be a table of term groups")
        for gname, g in groups.items():
            where = f"{detector}.{gname}"
            v.keys(g, where, {"weight", "case", "terms", "role"})
            plays = g.get("role", "")
            if not isinstance(plays, str) or (plays and not plays.replace("_", "").isalpha()):
                v.fail(f"{where}.role", f"{plays!r} is not a role name (the detector's own group name it counts as)")
            case = g.get("case", "any")
            v.one_of(case, f"{where}.case", CASES)
            weight = g.get("weight", 1)
            if not isinstance(weight, int | float):
                v.fail(f"{where}.weight", "must be a number")
            for t in v.list(g, where, "terms", required=True):
                if not isinstance(t, str) or not t.strip():
                    v.fail(f"{where}.terms", f"{t!r} is not a non-empty string")
                terms.append(Term(t.strip(), where, float(weight), case, plays=plays))
    return terms, domains


def _included_rules(name: str, near: Path, pack_id: str, citations: dict[str, Citation],
                    parent: _Validator) -> list[Rule]:
    """Rules from ``packs/shared/<name>.toml``, their ``CC-`` ids renamed for this pack."""
    path = next((p for p in (near / "shared" / f"{name}.toml", PACKS_DIR / "shared" / f"{name}.toml")
                 if p.exists()), None)
    if path is None:
        parent.fail("pack.include", f"{name!r}: no shared rules file {name}.toml in packs/shared/")
    data = read_toml(path)
    v = _Validator(f"{path.name} (included by {parent.filename})")
    out = []
    for i, r in enumerate(v.list(data, "", "rules", required=True)):
        if isinstance(r, dict) and isinstance(r.get("id"), str) and r["id"].startswith("CC-"):
            r = {**r, "id": f"{pack_id}-{r['id'][3:]}"}
        out.append(_rule(v, r, i, citations))
    return out


def read_toml(path: Path) -> dict[str, Any]:
    """A TOML file of the policy folder; :class:`PolicyError` naming the file when it is broken."""
    try:
        with open(path, "rb") as fh:
            return tomllib.load(fh)
    except tomllib.TOMLDecodeError as e:
        raise PolicyError(f"{path.name}: not valid TOML ({e})") from None
    except OSError as e:
        raise PolicyError(f"{path}: cannot read ({e.strerror})") from None


def _rule(v: _Validator, r: Any, i: int, citations: dict[str, Citation]) -> Rule:
    where = f"rules[{i}]"
    if not isinstance(r, dict):
        v.fail(where, "must be a table")
    v.keys(r, where, {"id", "category", "title", "why", "recommendation", "action", "citation", "section", "when"})
    rid = v.string(r, where, "id")
    if rid != rid.upper() or " " in rid:
        v.fail(f"{where}.id", f"{rid!r} must be UPPER-CASE without spaces")
    category = v.one_of(v.string(r, where, "category"), f"{where}.category", CATEGORIES)
    action = v.one_of(v.string(r, where, "action"), f"{where}.action", ACTIONS)
    cid = v.string(r, where, "citation")
    if cid not in citations:
        v.fail(f"{where}.citation", f"{cid!r} is not defined under [citations]")
    base = citations[cid]
    citation = Citation(base.title, base.publisher, base.url, r.get("section", base.section))
    clauses = []
    for j, c in enumerate(v.list(r, where, "when", required=True)):
        cw = f"{where}.when[{j}]"
        v.keys(c, cw, {"detector", "labels", "platforms", "kinds", "work_identified", "names_employer",
                       "subject", "severity", "signals", "roles", "ties", "audience"})
        sev = v.one_of(v.string(c, cw, "severity"), f"{cw}.severity", {s.value for s in Severity})
        det = v.one_of(v.string(c, cw, "detector"), f"{cw}.detector", DETECTORS)
        for flag in ("work_identified", "names_employer"):
            if flag in c and not isinstance(c[flag], bool):
                v.fail(f"{cw}.{flag}", "must be true or false")
        clauses.append(Clause(
            detector=det,
            severity=Severity(sev),
            labels=tuple(v.list(c, cw, "labels")),
            platforms=tuple(v.list(c, cw, "platforms")),
            kinds=tuple(v.list(c, cw, "kinds")),
            work_identified=c.get("work_identified"),
            names_employer=c.get("names_employer"),
            subject=v.one_of(c.get("subject", "post"), f"{cw}.subject", {"post", "account"}),
            signals=tuple(v.list(c, cw, "signals")),
            roles=tuple(v.list(c, cw, "roles")),
            ties=tuple(v.one_of(t, f"{cw}.ties", {lv.value for lv in TieLevel}) for t in v.list(c, cw, "ties")),
            audience=tuple(v.list(c, cw, "audience")),
        ))
    for key in ("why", "recommendation"):
        try:
            names = {f for _, f, _, _ in string.Formatter().parse(v.string(r, where, key)) if f is not None}
        except ValueError as e:
            v.fail(f"{where}.{key}", f"has a broken {{placeholder}} ({e})")
        unknown = names - PLACEHOLDERS
        if unknown:
            v.fail(f"{where}.{key}", f"unknown placeholder {{{sorted(unknown)[0]}}}; allowed: "
                   + ", ".join("{" + p + "}" for p in sorted(PLACEHOLDERS)))
    return Rule(
        id=rid,
        category=category,
        title=v.string(r, where, "title"),
        why=" ".join(v.string(r, where, "why").split()),
        recommendation=" ".join(v.string(r, where, "recommendation").split()),
        action=action,
        citation=citation,
        clauses=tuple(clauses),
    )


class _Validator:
    """Small helpers that raise PolicyError naming the file and the key."""

    def __init__(self, filename: str):
        self.filename = filename

    def fail(self, key: str, msg: str) -> None:
        raise PolicyError(f"{self.filename}: {key}: {msg}")

    def table(self, data: dict, key: str, required: bool = False) -> dict:
        value = data.get(key)
        if value is None:
            if required:
                self.fail(key, "missing")
            return {}
        if not isinstance(value, dict):
            self.fail(key, "must be a table")
        return value

    def list(self, data: dict, where: str, key: str, required: bool = False) -> list:
        full = f"{where}.{key}" if where else key
        value = data.get(key)
        if value is None:
            if required:
                self.fail(full, "missing")
            return []
        if not isinstance(value, list):
            self.fail(full, "must be a list")
        return value

    def string(self, data: dict, where: str, key: str) -> str:
        value = data.get(key)
        if not isinstance(value, str) or not value.strip():
            self.fail(f"{where}.{key}", "missing or not a non-empty string")
        return value

    def keys(self, data: Any, where: str, allowed: set[str]) -> None:
        if not isinstance(data, dict):
            self.fail(where, "must be a table")
        unknown = set(data) - allowed
        if unknown:
            self.fail(f"{where}.{sorted(unknown)[0]}", f"unknown key; allowed: {', '.join(sorted(allowed))}")

    def one_of(self, value: Any, where: str, allowed: set[str]) -> Any:
        if value not in allowed:
            self.fail(where, f"{value!r} is not one of {', '.join(sorted(allowed))}")
        return value
