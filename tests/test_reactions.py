"""Likes and reactions: other people's words, summed up in one line per account (issue 13, part 6)."""

import json
import re

import pytest
from conftest import LINKEDIN, TWITTER, copy_tree

from auditor.detect.textmodel import manifest
from auditor.policy import reaction_visibility
from auditor.textutil import plural

POLITICAL = ["Vote Labour out in 2026, this government is gutting the public service #nzpol",
             "Shame on National and ACT for the tax cuts. Protest at Parliament on Saturday!",
             "The Greens' climate bill passed its first reading; write to your MP today."]
ABUSE = ["You are a pathetic idiot and a disgrace, shut up", "What a moron, these clowns are stupid"]
GRIPE = ["My manager at work cancelled my leave again, underpaid and overworked at this place"]
PLAIN = ["Swimming at Oriental Bay before work. Cold. Worth it.", "Friday night tacos are a family institution now."]


def _likes(n: int) -> str:
    texts = POLITICAL + ABUSE + GRIPE + PLAIN * 3
    items = [{"like": {"tweetId": str(9_000_000 + i), "fullText": f"{texts[i % len(texts)]} ({i})",
                       "expandedUrl": f"https://twitter.com/i/web/status/{9_000_000 + i}"}} for i in range(n)]
    return "window.YTD.like.part0 = " + json.dumps(items, indent=1)


@pytest.fixture(scope="module")
def x_with_likes(tmp_path_factory):
    from click.testing import CliRunner

    from auditor.cli import cli

    tmp = tmp_path_factory.mktemp("likes")
    archive = copy_tree(TWITTER, tmp / "x")
    (archive / "data/like.js").write_text(_likes(3000), encoding="utf-8")
    r = CliRunner().invoke(cli, ["audit", str(archive), "--out", str(tmp / "out"), "--format", "json,md", "-q",
                                 "--yes"])
    assert r.exit_code == 0, r.output
    return json.loads((tmp / "out/findings.json").read_text()), (tmp / "out/report.md").read_text()


def test_thousands_of_likes_make_no_finding_each(x_with_likes):
    data, _ = x_with_likes
    acc = next(a for a in data["accounts"] if a["platform"] == "twitter")
    assert acc["counts_by_kind"]["reaction"] == 3000
    assert not [f for f in data["findings"] if f["post_kind"] == "reaction"]
    # grievance and disrespect come only from the person's own words
    own = {"post", "reply", "repost", "share", "comment", "article"}
    assert all(f["post_kind"] in own for f in data["findings"] if f["category"] in ("grievance", "disrespect"))


def test_likes_on_x_are_one_line_saying_nobody_sees_them(x_with_likes):
    data, md = x_with_likes
    acc = next(a for a in data["accounts"] if a["platform"] == "twitter")
    assert 500 <= acc["reactions_political"] <= 1000  # three political texts in every twelve likes
    assert acc["reactions_note"].startswith(f"You liked {acc['reactions_political']:,} posts that read as political")
    assert "12 June 2024" in acc["reactions_note"] and "nothing to change" in acc["reactions_note"]
    assert md.count("posts that read as political") == 1


def test_visible_reactions_are_one_weak_finding_per_account(run, tmp_path):
    r = run("audit", LINKEDIN, "--out", tmp_path, "--format", "json", "-q")
    assert r.exit_code == 0
    data = json.loads((tmp_path / "findings.json").read_text())
    summary = [f for f in data["findings"] if f["post_kind"] == "reaction"]
    assert len(summary) == 1
    f = summary[0]
    acc = next(a for a in data["accounts"] if a["platform"] == "linkedin")
    assert f["subject"] == "account" and f["post_id"] == "reactions" and f["action"] == "review"
    assert f["title"].startswith(f"You reacted to {acc['reactions_political']} post")
    # a weak signal: one level under the same words in a post (partisan on LinkedIn is critical
    # under NZ-NEUTRAL-LINK), not two (found reading the example reports)
    assert f["rule"] == "NZ-NEUTRAL-LINK" and f["label"] == "partisan" and f["severity"] == "high"
    assert any("linkedin" in n.lower() and "checked 2026" in n for n in f["notes"])


def test_reactions_the_model_is_unsure_of_are_counted_in_the_same_line(run, tmp_path):
    """Reactions under the threshold are not listed to skim, and they used to be in no count at
    all. (The example used to be a like of "greenpartynz party vote green for clean rivers" at
    0.74; since the NZ calls to vote name their party for the model, it reads as political.)"""
    r = run("audit", LINKEDIN, "--out", tmp_path, "--format", "json", "-q")
    assert r.exit_code == 0
    data = json.loads((tmp_path / "findings.json").read_text())
    acc = next(a for a in data["accounts"] if a["platform"] == "linkedin")
    f = next(f for f in data["findings"] if f["post_kind"] == "reaction")
    n, unsure = acc["reactions_political"], acc["reactions_unsure"]
    assert n and unsure
    assert f["title"] == f"You reacted to {plural(n, 'post')} that read as political on LinkedIn"
    # counted and named, highest score first, in the finding's explanation
    said = re.search(f"The political model was not sure of {unsure} more reactions, such as \u201ctama rewiti example we "
                     "are hiring policy advisor\u201d \\((0\\.\\d\\d)\\)", f["explanation"])
    # its score, between where the list to skim starts and the threshold
    model = manifest()["models"]["political_en"]
    assert said and model["review_threshold"] <= float(said.group(1)) < model["threshold"]
    assert "greenpartynz party vote green for clean rivers" in f["excerpt"]
    assert "reactions are not listed among the posts to skim" in f["explanation"]
    # none over the threshold, some unsure: a note, no finding
    from auditor.report.wording import reaction_summary

    note, finding = reaction_summary("linkedin", 0, 81, [], reaction_visibility()["linkedin"], 3,
                                     [(0.7, "greenpartynz party vote green", None)])
    assert finding is None and note.startswith("You reacted to no post that reads as political (of 81 in the export). "
                                               "The political model was not sure of 3 reactions, such as")


def test_every_platform_with_reactions_states_its_visibility_with_a_source():
    vis = reaction_visibility()
    assert {"twitter", "linkedin", "facebook", "mastodon", "bluesky", "instagram", "reddit"} <= set(vis)
    assert vis["twitter"].visible is False and vis["twitter"].since == "2024-06-12"
    assert vis["linkedin"].visible and vis["facebook"].visible
    for v in vis.values():
        assert v.source.startswith("https://") and v.checked and v.fact.endswith(".")


@pytest.mark.parametrize("n,word,text", [
    (1780, "reply", "1,780 replies"), (1, "reply", "1 reply"), (2, "post", "2 posts"),
    (3, "visitor-comment", "3 visitors' comments"), (1, "visitor-comment", "1 visitor's comment"),
    (5, "reaction", "5 reactions"), (2, "story", "2 stories"), (2, "day", "2 days"),
])
def test_counts_in_plain_words(n, word, text):
    assert plural(n, word) == text
