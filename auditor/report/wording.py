"""The report's words for what the audit found: what to call an item, how a tie to work reads,
and the sentences that fill a rule's ``{placeholders}``.
"""

from __future__ import annotations

#: how a finding refers to its item, by post kind (``{what}`` in a rule's sentences)
WHAT = {
    "post": "this post", "share": "this post", "comment": "this comment", "reply": "this reply",
    "repost": "this repost", "reaction": "this reaction", "article": "this article",
    "visitor-comment": "this visitor's comment",
}
