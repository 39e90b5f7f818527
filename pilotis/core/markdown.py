"""The one way a person's formatted text (a fiche's course, effects and difficulties, a flash'infos,
a news item of the académie) becomes HTML: Markdown (CommonMark, raw HTML off) rendered by
markdown-it-py, then sanitised by nh3 against an allow-list. The pages, the e-mails and every
document call `render`; nothing else turns a person's text into markup.

Raw HTML is disabled, so `<script>` is shown as text; nh3 then removes whatever the renderer could
still produce that is not allowed: a link or image whose scheme is not http, https or mailto
(`javascript:`, `data:`, `vbscript:`…) loses it, every attribute not listed goes (`onerror`,
`style`), and links get `rel="noopener noreferrer"`."""

import functools

import nh3
from django.utils.safestring import SafeString, mark_safe
from markdown_it import MarkdownIt

TAGS = {
    "p", "br", "hr", "strong", "em", "code", "pre", "blockquote",
    "ul", "ol", "li", "h3", "h4", "h5", "h6", "a",
    "table", "thead", "tbody", "tr", "th", "td",
}  # fmt: skip
ATTRIBUTES = {"a": {"href", "title"}, "ol": {"start"}}
URL_SCHEMES = {"http", "https", "mailto"}
# The text's headings sit under the page's own h2: Markdown's « # » becomes an h3.
HEADING_SHIFT = {f"h{n}": f"h{min(n + 2, 6)}" for n in range(1, 7)}


@functools.cache
def _parser() -> MarkdownIt:
    parser = MarkdownIt("commonmark", {"html": False, "linkify": False, "typographer": False})
    parser.enable("table")
    return parser


def _shift_headings(tokens) -> None:
    for token in tokens:
        if token.type in ("heading_open", "heading_close"):
            token.tag = HEADING_SHIFT[token.tag]


def render(text: str) -> SafeString:
    """The text's Markdown as safe HTML (empty for an empty text)."""
    if not text or not text.strip():
        return mark_safe("")
    parser = _parser()
    tokens = parser.parse(text)
    _shift_headings(tokens)
    html = parser.renderer.render(tokens, parser.options, {})
    clean = nh3.clean(
        html,
        tags=TAGS,
        attributes=ATTRIBUTES,
        url_schemes=URL_SCHEMES,
        link_rel="noopener noreferrer",
        strip_comments=True,
    )
    return mark_safe(clean)  # noqa: S308 — sanitised by nh3 against the allow-list above
