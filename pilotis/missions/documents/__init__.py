"""The lettre de mission as documents: a PDF to hand to the school's councils and an ODT the direction
can edit in LibreOffice. `content` says what the letter says, once; `pdf` and `odt` only lay it out,
so both documents say the same thing."""

from pilotis.missions.documents.content import letter_context, letter_filename
from pilotis.missions.documents.odt import render_letter_odt
from pilotis.missions.documents.pdf import render_letter_pdf

__all__ = ["letter_context", "letter_filename", "render_letter_odt", "render_letter_pdf"]
