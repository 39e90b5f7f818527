"""The flash'infos as a PDF: WeasyPrint over an HTML template, like every document (`core.pdf`)."""

from pilotis.core import pdf
from pilotis.core.markdown import render


def render_issue_pdf(newsletter) -> bytes:
    return pdf.render_pdf(
        "newsletters/pdf/issue.html",
        {"newsletter": newsletter, "school": newsletter.school, "html": render(newsletter.body)},
    )
