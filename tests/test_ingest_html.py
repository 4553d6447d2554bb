"""The one HTML-to-text helper every importer uses (issue 14, habits), in its two layouts."""

import pytest

from auditor.ingest._html import html_to_text

# fmt: off
CASES = [
    # Mastodon statuses: text as written, links split over spans joined, <br> a line break
    ('<p>Vote <a href="x" class="mention hashtag">#<span>nzpol</span></a></p>'
     '<p>see <a><span class="invisible">https://</span><span class="ellipsis">rnz.co.nz/a</span></a><br>ok &amp; done</p>',
     "paragraphs", "Vote #nzpol\n\nsee https://rnz.co.nz/a\nok & done"),
    ("1 < 2 &amp; 3 > 2", "paragraphs", "1 < 2 & 3 > 2"),
    ("no markup at all", "paragraphs", "no markup at all"),
    ('<span class="h-card"><a href="u">@<span>aroha</span></a></span> yes', "paragraphs", "@aroha yes"),
    ("<p>  </p><p>x<script>alert(1)</script>y</p>", "paragraphs", "xy"),
    ("<p>a<p>b</p>", "paragraphs", "a\n\nb"),  # unclosed <p>: read as a browser would, no text twice
    # articles and pages: a line per block, words joined by single spaces
    ("<h2>Rivers</h2><p>Fund <b>them</b>.</p><ul><li>one</li><li>two</li></ul><blockquote>q</blockquote>",
     "blocks", "Rivers\nFund them .\none\ntwo\nq"),
    ("<div>no <i>blocks</i> here</div>", "blocks", "no blocks here"),
    ("<p>  </p>text", "blocks", "text"),
    ("<p>kept</p><noscript><p>enable JS</p></noscript><style>p{}</style><template><p>t</p></template>", "blocks", "kept"),
    ("<!-- wp:paragraph --><p>Gutenberg&nbsp;post</p><!-- /wp:paragraph -->", "blocks", "Gutenberg\xa0post"),
    ("", "blocks", ""),
    ("<", "blocks", "<"),
]
# fmt: on


@pytest.mark.parametrize(("html", "layout", "text"), CASES)
def test_html_to_text(html, layout, text):
    assert html_to_text(html, layout) == text
