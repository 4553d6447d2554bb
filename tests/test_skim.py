"""The list of posts to skim: posts the political model scored under its threshold but at or
above the list's threshold (chosen by the build on the develop people). They are listed for the
person to read, never made findings, and the report says how such a list did on real posts."""

import json

import pytest

import auditor.audit as audit_mod
from auditor.detect.textmodel import MANIFEST, Prediction, load_language
from auditor.models import Post, PostKind

MAN = json.loads(MANIFEST.read_text(encoding="utf-8"))
POLITICAL = MAN["models"]["political_en"]


def test_the_build_chose_a_list_threshold_under_the_findings_one_and_measured_it():
    review = POLITICAL["review_threshold"]
    assert 0 < review < POLITICAL["threshold"]
    assert "best F2" in POLITICAL["review_rule"]
    both = POLITICAL["figures"]["review"]["personal exports, test people, random posts"]
    alone = POLITICAL["figures"]["held_out"]["personal exports, test people, random posts"]
    # every post at or above the findings' threshold is also at or above the list's
    assert both["tp"] >= alone["tp"] and both["tp"] + both["fp"] >= alone["tp"] + alone["fp"]
    assert both["n"] == alone["n"] and both["positives"] == alone["positives"]
    # only political has a list
    assert all("review_threshold" not in e for n, e in MAN["models"].items() if e["task"] != "political")


def test_a_prediction_is_to_skim_between_the_two_thresholds():
    p = Prediction("political", "en", 0.6, 0.83, review=0.49)
    assert p.to_skim and not p.positive
    assert not Prediction("political", "en", 0.9, 0.83, review=0.49).to_skim
    assert not Prediction("political", "en", 0.3, 0.83, review=0.49).to_skim
    assert not Prediction("political", "en", 0.6, 0.83).to_skim  # a model without a list


def test_the_model_gives_its_list_threshold_and_a_pack_can_move_it():
    lm = load_language("en")
    text = "Interesting read on the housing debate this week"
    pred = lm.predict(text)["political"]
    assert pred.review == POLITICAL["review_threshold"]
    assert lm.predict(text)["disrespect"].review is None
    moved = lm.predict(text, thresholds={"political_review": 0.01})["political"]
    assert moved.review == 0.01 and moved.to_skim == (moved.probability < moved.threshold)
    # a post on the list says which words raised it, as a finding does
    if moved.to_skim and moved.probability > 0.02:
        assert moved.contributions


def test_the_pack_threshold_is_validated(tmp_path):
    from auditor.errors import PolicyError
    from auditor.policy import load_policy
    from auditor.policy.pack import PACKS_DIR

    text = (PACKS_DIR / "nz.toml").read_text(encoding="utf-8")
    (tmp_path / "ok.toml").write_text(text.replace("[pack]\n", "[pack]\nthresholds = { political_review = 0.6 }\n", 1))
    assert load_policy(str(tmp_path / "ok.toml")).thresholds == {"political_review": 0.6}
    (tmp_path / "bad.toml").write_text(text.replace("[pack]\n", "[pack]\nthresholds = { political_review = 1.5 }\n", 1))
    with pytest.raises(PolicyError, match="political_review"):
        load_policy(str(tmp_path / "bad.toml"))


def _post(i: int, text: str = "words", kind=PostKind.POST) -> Post:
    return Post("twitter", f"{i:04d}", kind, None, text)


def test_the_account_keeps_the_highest_scored_posts_and_counts_them_all(monkeypatch):
    from auditor.models import AccountReport

    monkeypatch.setattr(audit_mod, "MAX_SKIM", 3)
    rep = AccountReport(account=None, work_identity=None)  # type: ignore[arg-type]
    scores = [0.5, 0.7, 0.55, 0.7, 0.8, 0.6, 0.51, 0.79]
    for i, p in enumerate(scores):
        audit_mod._keep_to_skim(rep, [(_post(i), Prediction("political", "en", p, 0.83, review=0.49), False)], 1)
    audit_mod._trim_to_skim(rep)
    assert rep.to_skim_count == len(scores)
    assert [(p.id, pred.probability) for p, pred, _ in rep.to_skim] == [("0004", 0.8), ("0007", 0.79), ("0001", 0.7)]
    # merged from a batch scanned elsewhere: the same top, whatever the split
    other = AccountReport(account=None, work_identity=None)  # type: ignore[arg-type]
    audit_mod._keep_to_skim(other, [(_post(9), Prediction("political", "en", 0.75, 0.83, review=0.49), False)], 1)
    audit_mod._merge(rep, other)
    audit_mod._trim_to_skim(rep)
    assert rep.to_skim_count == len(scores) + 1
    assert [p.id for p, _, _ in rep.to_skim] == ["0004", "0007", "0009"]
    # a post that names the employer or role comes first, whatever its score
    audit_mod._keep_to_skim(rep, [(_post(10), Prediction("political", "en", 0.5, 0.83, review=0.49), True)], 1)
    audit_mod._trim_to_skim(rep)
    assert [(p.id, names) for p, _, names in rep.to_skim] == [("0010", True), ("0004", False), ("0007", False)]


def test_the_audit_lists_posts_to_skim_apart_from_the_findings(all_report):
    data = json.loads((all_report / "findings.json").read_text(encoding="utf-8"))
    skim = data["to_skim"]
    assert skim["posts"] == sum(a["to_skim"] for a in data["accounts"]) > 0
    flagged = {(f["account"], f["post_id"]) for f in data["findings"]}
    for g in skim["accounts"]:
        order = [(not it["names_employer"], -it["score"]) for it in g["entries"]]
        assert order == sorted(order) and g["shown"] == len(g["entries"]) <= g["posts"]
        for it in g["entries"]:
            assert it["review_threshold"] <= it["score"] < it["threshold"]
            assert (it["account"], it["post_id"]) not in flagged  # a finding is not listed again
            assert it["post_kind"] != "reaction"  # likes are other people's words
    m = skim["measured"]
    assert m["found_with_list"] >= m["found"] and str(m["positives"]) in m["sentence"]


def _strict_pack(tmp_path, threshold: float):
    """The NZ pack with the political findings' threshold at ``threshold`` (a pack may set it):
    the example's posts keep their scores, so a test can put one between the list's threshold
    and the findings' whatever the shipped threshold is."""
    from auditor.policy.pack import PACKS_DIR

    text = (PACKS_DIR / "nz.toml").read_text(encoding="utf-8")
    pack = tmp_path / "nz-strict.toml"
    pack.write_text(text.replace("[pack]\n", f"[pack]\nthresholds = {{ political = {threshold} }}\n", 1),
                    encoding="utf-8")
    return pack


def _mfe(data):
    return next(f for f in data["findings"] if f["excerpt"].startswith("As a policy advisor at MfE"))


def test_a_post_to_skim_that_names_the_employer_comes_first_and_says_so(run, tmp_path, monkeypatch, all_report):
    """A post to skim in which the person names their employer or role is listed first. The
    Reddit comment "As a policy advisor at MfE ..." is one, under a threshold over its score,
    when it is not read as saying where she works (then it is a finding: see the next test)."""
    from conftest import LINKEDIN, REDDIT

    import auditor.audit as audit_mod

    score = _mfe(json.loads((all_report / "findings.json").read_text(encoding="utf-8")))["score"]
    monkeypatch.setattr(audit_mod, "says_works_for", lambda text, spans: "")
    assert run("audit", REDDIT, LINKEDIN, "--out", tmp_path, "-q",
               "--policy", _strict_pack(tmp_path, round(score + 0.05, 2))).exit_code == 0
    data = json.loads((tmp_path / "findings.json").read_text(encoding="utf-8"))
    reddit = next(g for g in data["to_skim"]["accounts"] if g["account"].startswith("reddit:"))
    first = reddit["entries"][0]
    assert first["names_employer"] and first["excerpt"].startswith("As a policy advisor at MfE")
    # the others follow by score (listed first whatever its score: see the test of _trim_to_skim above)
    rest = [it["score"] for it in reddit["entries"][1:]]
    assert rest and rest == sorted(rest, reverse=True)
    assert not any(it["names_employer"] for it in reddit["entries"][1:])
    html = (tmp_path / "report.html").read_text(encoding="utf-8")
    md = (tmp_path / "report.md").read_text(encoding="utf-8")
    assert '<strong class="emp">names your employer</strong> <q>As a policy advisor at MfE' in html
    assert "**names your employer:** As a policy advisor at MfE" in md


def test_a_political_post_that_says_where_you_work_is_judged_at_the_lower_threshold(run, tmp_path, all_report):
    """The example reports' most exposing post: it says she is a policy advisor at MfE and
    criticises a minister. Because it says where she works, the threshold of the list to skim
    decides: it is a finding even under a findings' threshold over its score."""
    from conftest import LINKEDIN, REDDIT

    from auditor.detect.textmodel import manifest

    usual = _mfe(json.loads((all_report / "findings.json").read_text(encoding="utf-8")))
    strict = round(usual["score"] + 0.05, 2)
    out = tmp_path / "out"
    assert run("audit", REDDIT, LINKEDIN, "--out", out, "-q", "--policy", _strict_pack(tmp_path, strict)).exit_code == 0
    data = json.loads((out / "findings.json").read_text(encoding="utf-8"))
    f = _mfe(data)
    # critical, not high: it also uses information she has through work ("the officials' advice")
    assert f["category"] == "political" and f["rule"] == "NZ-NEUTRAL-IDENTIFY" and f["severity"] == "critical"
    assert "information you have through work (\"officials' advice\")" in f["explanation"]
    # and the report's line for it says so too
    md = (out / "report.md").read_text(encoding="utf-8")
    assert "uses what you know through work (officials' advice)" in md
    review = manifest()["models"]["political_en"]["review_threshold"]
    assert f["score"] < strict and f"against a threshold of {review:.2f}" in f["explanation"]
    assert "\u201cAs a policy advisor at MfE\u201d" in f["explanation"] and f"not the usual {strict:.2f}" in f["explanation"]
    listed = [it["excerpt"] for g in data["to_skim"]["accounts"] for it in g["entries"]]
    assert not any(x.startswith("As a policy advisor at MfE") for x in listed)


def test_a_post_to_skim_never_shows_the_findings_threshold_as_its_score(run, tmp_path, all_report):
    """0.8193 against 0.82 is shown 0.81, rounded down (a reader took "0.82" beside findings
    "≥ 0.82" for a bug). The example's posts to skim, under a threshold that one of their scores
    rounds up to."""
    from conftest import ALL

    from auditor.report.render import below

    assert below(0.8193) == "0.81" and below(0.82) == "0.82" and below(0.4999) == "0.49" and below(0.5) == "0.50"
    data = json.loads((all_report / "findings.json").read_text(encoding="utf-8"))
    scores = [it["score"] for g in data["to_skim"]["accounts"] for it in g["entries"]]
    score = max(s for s in scores if float(f"{s:.2f}") > s)
    threshold = float(f"{score:.2f}")  # rounded to two places, the score reads as the threshold
    out = tmp_path / "out"
    assert run("audit", *ALL, "--out", out, "-q", "--policy", _strict_pack(tmp_path, threshold)).exit_code == 0
    data = json.loads((out / "findings.json").read_text(encoding="utf-8"))
    md = (out / "report.md").read_text(encoding="utf-8")
    entries = [it for g in data["to_skim"]["accounts"] for it in g["entries"]]
    assert all(it["score"] < it["threshold"] for it in entries)
    top = max(entries, key=lambda it: it["score"])
    assert f"{top['score']:.2f}" == f"{top['threshold']:.2f}" == f"{threshold:.2f}"
    assert f"- {below(top['score'])} {top['created_at'][:10]} · " in md and below(top["score"]) != f"{threshold:.2f}"


def test_both_reports_show_the_list_with_the_text_escaped(all_report):
    data = json.loads((all_report / "findings.json").read_text(encoding="utf-8"))
    html = (all_report / "report.html").read_text(encoding="utf-8")
    md = (all_report / "report.md").read_text(encoding="utf-8")
    assert 'id="skim"' in html and "## Posts to skim" in md
    assert data["to_skim"]["measured"]["sentence"].split(";")[0] in md
    first = data["to_skim"]["accounts"][0]["entries"][0]
    assert f"{first['score']:.2f}" in html


def test_a_skimmed_post_with_markup_is_escaped():
    """A post on the list is user text like any other: escaped in HTML and Markdown."""
    from auditor.models import Account, AccountReport, AuditResult, WorkIdentity
    from auditor.report.context import build_context
    from auditor.report.render import render_html, render_markdown

    rep = AccountReport(account=Account("twitter", handle="me", display_name="Me"),
                        work_identity=WorkIdentity(False, "none", 0.0))
    evil = "<script>alert(1)</script> [click](javascript:alert(1)) the housing debate"
    rep.to_skim = [(_post(1, evil), Prediction("political", "en", 0.6, 0.83, review=0.49), True)]
    rep.to_skim_count = 1
    ctx = build_context(AuditResult(accounts=[rep], policy_id="nz", policy_name="NZ", inputs=["x"]))
    html = "".join(render_html(ctx))
    assert 'id="skim"' in html and "<script>alert(1)</script>" not in html and "&lt;script&gt;" in html
    assert "names your employer" in html
    md = render_markdown(ctx)
    assert "## Posts to skim" in md and "[click](javascript:" not in md and r"\[click\]" in md


def test_the_terminal_summary_says_how_many_posts_to_skim(run, tmp_path):
    from conftest import TWITTER

    r = run("audit", TWITTER, "--out", tmp_path / "out", "--format", "json")
    assert r.exit_code == 0
    data = json.loads((tmp_path / "out" / "findings.json").read_text(encoding="utf-8"))
    n = data["to_skim"]["posts"]
    assert n and f"Posts to skim: {n} posts" in r.output


def test_posts_not_to_list_are_left_out_the_same_way_when_a_second_process_scans(monkeypatch):
    from conftest import TWITTER

    from auditor.audit import run_audit
    from auditor.models import skim_key
    from auditor.policy import load_policy

    nz = load_policy("nz")
    monkeypatch.setenv("AUDITOR_WORKERS", "1")
    one = run_audit([str(TWITTER)], nz).accounts[0]
    hide = frozenset(skim_key(p) for p, _, _ in one.to_skim[::3])
    assert hide
    monkeypatch.setattr(audit_mod, "PARALLEL_AFTER", 30)
    monkeypatch.setattr(audit_mod, "BATCH", 7)
    for workers in ("1", "2"):
        monkeypatch.setenv("AUDITOR_WORKERS", workers)
        rep = run_audit([str(TWITTER)], nz, not_to_list=hide).accounts[0]
        assert rep.to_skim_hidden == len(hide) and rep.to_skim_count == one.to_skim_count - len(hide)
        assert [p.id for p, _, _ in rep.to_skim] == [p.id for p, _, _ in one.to_skim if skim_key(p) not in hide]


def test_a_list_with_french_posts_gives_each_languages_figures(run, tmp_path):
    """French posts have a list to skim of their own threshold (political_fr); a list holding
    posts in both languages quotes each language's figures, named, so the English figures are
    not read as the French list's."""
    from conftest import linkedin_export

    from auditor.detect.textmodel import manifest

    d = linkedin_export(tmp_path / "export",
                        '2024-01-01 10:00:00,,"Les élections municipales approchent, pensez à vous inscrire.",,,PUBLIC\n'
                        '2024-01-02 10:00:00,,"The council is consulting on the new housing plan, have your say.",,,PUBLIC\n')
    assert run("audit", d, "--out", tmp_path / "o", "-q").exit_code == 0
    data = json.loads((tmp_path / "o" / "findings.json").read_text(encoding="utf-8"))
    listed = [it for g in data["to_skim"]["accounts"] for it in g["entries"]]
    assert len(listed) == 2
    fr = manifest()["models"]["political_fr"]
    french = next(it for it in listed if it["excerpt"].startswith("Les élections"))
    assert (french["threshold"], french["review_threshold"]) == (fr["threshold"], fr["review_threshold"])
    sentence = data["to_skim"]["measured"]["sentence"]
    n_fr = fr["figures"]["review"]["personal exports, test people, random posts"]["n"]
    n_en = manifest()["models"]["political_en"]["figures"]["review"]["personal exports, test people, random posts"]["n"]
    assert sentence.startswith(f"In English, on {n_en:,} posts") and f"In French, on {n_fr:,} posts" in sentence
    assert sentence.count("Skimming it is the quickest way") == 1


def test_policy_comment_on_her_own_ministrys_area_is_rated_higher(all_report):
    """Mereana works at MfE: the nz lexicon's [mandates] names what MfE runs, so her comment on
    freshwater farm plans, on an account tied to her work, is NZ-SEP-WORKROLE high, not medium,
    and says why; a policy comment on another area stays medium."""
    data = json.loads((all_report / "findings.json").read_text(encoding="utf-8"))
    own = [f for f in data["findings"] if f["excerpt"].startswith("Scrapping the freshwater farm plans is reckless")
           and f["rule"] == "NZ-SEP-WORKROLE" and f["post_kind"] in ("post", "comment")]
    assert own and all(f["severity"] == "high" for f in own)
    assert all("your employer's own area of work (\"freshwater\")" in f["explanation"] for f in own)
    other = [f for f in data["findings"] if f["rule"] == "NZ-SEP-WORKROLE" and f["label"] == "policy-commentary"
             and f["post_kind"] == "post"
             and "own area of work" not in f["explanation"]]
    assert other and all(f["severity"] == "medium" for f in other)
