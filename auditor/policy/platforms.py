"""What the report needs to know about each platform (``platforms.toml``): where a person edits
their bio, links and handle, and who can see the posts they liked or reacted to.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from auditor.policy.pack import read_toml

PLATFORMS_TOML = Path(__file__).parent / "platforms.toml"


def edit_places() -> dict[str, dict[str, str]]:
    """Where each platform lets you edit a bio, links and handle (``platforms.toml``)."""
    data = read_toml(PLATFORMS_TOML)
    return {k: {f: str(x) for f, x in v.items() if not isinstance(x, dict)}
            for k, v in data.items() if isinstance(v, dict)}


@dataclass(frozen=True)
class ReactionVisibility:
    """Who can see the posts a person liked or reacted to on one platform (``platforms.toml``).

    :param noun: the verb as the report uses it ("liked", "reacted to").
    :param visible: whether other people can see the person's reactions today.
    :param fact: the platform's rule in one sentence; :param source: where it is stated;
        :param checked: when it was last checked; :param since: when it took effect, if it changed.
    """

    platform: str
    noun: str
    visible: bool
    fact: str
    source: str
    checked: str
    since: str = ""


@lru_cache(maxsize=1)
def reaction_visibility() -> dict[str, ReactionVisibility]:
    """Each platform's :class:`ReactionVisibility`, for the platforms whose exports hold reactions."""
    data = read_toml(PLATFORMS_TOML)
    out = {}
    for platform, v in data.items():
        r = v.get("reactions") if isinstance(v, dict) else None
        if isinstance(r, dict):
            out[platform] = ReactionVisibility(platform, str(r["noun"]), bool(r["visible"]), str(r["fact"]),
                                               str(r["source"]), str(r["checked"]), str(r.get("since", "")))
    return out
