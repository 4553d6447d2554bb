"""Policy packs: one TOML file per jurisdiction holding rules, citations and role variants, plus
lexicon files (parties, politicians, hashtags, agencies, cue words) that the detectors use.

Packs are validated on load; every problem is reported as a :class:`PolicyError` that names the
file and the key, e.g. ``nz.toml: rules[3].when[0].severity: 'severe' is not one of ...``.
"""

from auditor.policy.pack import (
    ACTIONS,
    CATEGORIES,
    DEFAULT_POLICY,
    LEXICONS_DIR,
    PACKS_DIR,
    PLACEHOLDERS,
    Clause,
    MatchContext,
    Policy,
    Role,
    Rule,
    available_policies,
    load_lexicon,
    load_policy,
)
from auditor.policy.platforms import ReactionVisibility, edit_places, reaction_visibility

__all__ = [
    "ACTIONS", "CATEGORIES", "DEFAULT_POLICY", "LEXICONS_DIR", "PACKS_DIR", "PLACEHOLDERS", "Clause", "MatchContext",
    "Policy", "ReactionVisibility", "Role", "Rule", "available_policies", "edit_places", "load_lexicon", "load_policy",
    "reaction_visibility",
]
