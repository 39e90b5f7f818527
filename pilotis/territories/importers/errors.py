"""What stops the whole import, as one French sentence for the user."""


class AnnuaireImportError(Exception):
    """Something that stops the whole import; the message is one French sentence for the user."""

    def __init__(self, message):
        super().__init__(message)
        self.message = message

    def __str__(self):
        return str(self.message)


class AnnuaireFormatError(AnnuaireImportError):
    """The file is not a readable export of the annuaire (missing, not UTF-8, wrong columns…)."""


class AnnuaireOptionError(AnnuaireImportError):
    """An academy or department code given to restrict the import is not a valid code."""


class LineRejected(Exception):
    """One line cannot be trusted; the message is the reason, in French. The import goes on."""
