"""The fiche's formatted text: Markdown rendered, then sanitised. Hostile inputs come out harmless."""

from html.parser import HTMLParser

import pytest

from pilotis.core.markdown import TAGS, render


def _elements(html):
    found = []

    class Collect(HTMLParser):
        def handle_starttag(self, tag, attrs):
            found.append((tag, dict(attrs)))

    Collect().feed(html)
    return found


def test_markdown_is_rendered_with_headings_under_the_page():
    html = render("# Séance 1\n\n- **gras** et *italique*\n- [Éduscol](https://eduscol.education.fr)")
    assert "<h3>Séance 1</h3>" in html
    assert "<strong>gras</strong>" in html and "<em>italique</em>" in html
    assert '<a href="https://eduscol.education.fr" rel="noopener noreferrer">Éduscol</a>' in html


def test_empty_text_renders_nothing():
    assert render("") == "" and render("   \n") == ""


@pytest.mark.parametrize(
    "hostile",
    [
        "<script>alert(1)</script>",
        "<img src=x onerror=alert(1)>",
        '<a href="javascript:alert(1)">clic</a>',
        "[clic](javascript:alert(1))",
        "[clic](JaVaScRiPt:alert(1))",
        "[clic](  javascript:alert(1))",
        "[clic](data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==)",
        "![x](data:image/svg+xml;base64,PHN2Zy8+)",
        "![x](https://example.org/x.png)",
        "[clic](vbscript:msgbox(1))",
        '<iframe src="https://example.org"></iframe>',
        '<div style="background:url(javascript:alert(1))">x</div>',
        "<svg onload=alert(1)>",
        '[clic](https://example.org "titre" onclick=alert(1))',
    ],
)
def test_hostile_input_is_neutralised(hostile):
    """What comes out is markup of the allow-list only: no script, image or frame, no event
    attribute, no link but http, https or mailto. What was typed may remain, as text."""
    html = str(render(f"Avant {hostile} après"))
    elements = _elements(html)
    assert {tag for tag, _attrs in elements} <= TAGS
    for tag, attrs in elements:
        assert not [name for name in attrs if name.startswith("on") or name == "style"], (tag, attrs)
        href = attrs.get("href")
        if href is not None:
            assert href.split(":", 1)[0].lower() in {"http", "https", "mailto"}, href
    assert "Avant" in html and "après" in html


def test_raw_html_is_shown_as_text_not_markup():
    html = str(render('<b onmouseover="x()">gras</b>'))
    assert "&lt;b onmouseover" in html
    assert "<b" not in html


def test_links_keep_only_allowed_schemes():
    html = str(render("[a](https://a.fr) [b](http://b.fr) [c](mailto:c@d.fr) [d](ftp://e.fr) [e](/relatif)"))
    assert 'href="https://a.fr"' in html and 'href="http://b.fr"' in html and 'href="mailto:c@d.fr"' in html
    assert 'href="ftp' not in html
