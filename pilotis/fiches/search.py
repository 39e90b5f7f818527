"""The catalogue's search index of the fiches."""


def index_fiche(fiche):
    """Kept in step by the catalogue's search index."""
    return None
