"""The lettre de mission as PDF (WeasyPrint, like the self-assessment report): an HTML template over
the letter's content."""

from pilotis.core import pdf
from pilotis.missions.documents.content import letter_context


def render_letter_pdf(letter, *, show_imp: bool) -> bytes:
    """The letter on A4 as the councils receive it, the review as its annex."""
    return pdf.render_pdf("missions/pdf/letter.html", letter_context(letter, show_imp=show_imp))
