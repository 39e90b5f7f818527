"""The action plan as documents: a PDF a principal puts before the conseil d'administration as the
volet numérique du projet d'établissement, an ODT the direction may rework in LibreOffice, and the
actions as ODS and CSV. `content` says what the plan says, once (from the live plan or an adopted
version's snapshot); `pdf` and `odt` only lay it out, so both documents say the same thing."""
