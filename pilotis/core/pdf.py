"""PDF documents: an HTML template rendered by WeasyPrint, in Marianne, fetching nothing else.

Every report of Pilotis (the SCHÉMATIC report, the lettre de mission) goes through `render_pdf`;
its template receives `font_faces` for its @font-face rules.
"""

from pathlib import Path

from django.contrib.staticfiles import finders
from django.template.loader import render_to_string

FONT_FILES = {
    (400, "normal"): "Marianne-Regular.woff2",
    (400, "italic"): "Marianne-Regular_Italic.woff2",
    (500, "normal"): "Marianne-Medium.woff2",
    (700, "normal"): "Marianne-Bold.woff2",
    (700, "italic"): "Marianne-Bold_Italic.woff2",
}


def font_faces() -> list[dict]:
    """Marianne from django-dsfr's own files, as file:// URLs: nothing is fetched from the network."""
    faces = []
    for (weight, style), name in FONT_FILES.items():
        path = finders.find(f"dsfr/dist/fonts/{name}")
        if path:
            faces.append({"weight": weight, "style": style, "url": Path(path).resolve().as_uri()})
    return faces


def local_fetcher(allowed: set[str]):
    """WeasyPrint may read the listed local files and nothing else: no network, no other file."""
    from weasyprint.urls import URLFetcher

    class LocalFetcher(URLFetcher):
        def fetch(self, url, headers=None):
            if url not in allowed:
                raise ValueError(f"Pilotis' PDF may not load {url[:80]}")
            return super().fetch(url, headers)

    return LocalFetcher(allowed_protocols=("file",))


def render_pdf(template: str, context: dict) -> bytes:
    from weasyprint import HTML  # loads Pango: only when a PDF is asked for

    faces = font_faces()
    html = render_to_string(template, {**context, "font_faces": faces})
    return HTML(string=html, url_fetcher=local_fetcher({face["url"] for face in faces})).write_pdf()
