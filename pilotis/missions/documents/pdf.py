"""The lettre de mission as PDF (WeasyPrint, like the self-assessment report): an HTML template over
the letter's content."""

from pilotis.core import pdf
from pilotis.core.panels import review_panels_for
from pilotis.missions.documents.content import letter_context


def render_letter_pdf(letter, *, show_imp: bool, request=None) -> bytes:
    """The letter on A4 as the councils receive it, the review as its annex, with what the apps
    above add to the review (`core.panels.review_panels_for`, asked for the reader)."""
    context = letter_context(letter, show_imp=show_imp)
    review = context["review"]
    context["review_panels"] = review_panels_for(request, letter, review["start"], review["end"])
    return pdf.render_pdf("missions/pdf/letter.html", context)
