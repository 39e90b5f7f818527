"""The permission matrix's rows of `fiches` (a school's usage fiches). Every fiche is school A's,
written by its member (`member_a`, the author); a draft is read by the school's members only (and
the administrator), never by its territory."""

from pilotis.fiches.enums import Visibility
from pilotis.fiches.models import Fiche, FicheAuthor, FicheTerm
from tests.fiches.helpers import draft, form_data, published


def draft_args(w):
    return [w.school_a.uai, draft(w).pk]


def published_args(w):
    return [w.school_a.uai, published(w, Visibility.SCHOOL).pk]


def edit_data(w):
    fiche = Fiche.objects.filter(school=w.school_a).latest("pk")
    return form_data(w, title="Titre changé", seen_revision=str(fiche.revision))


def consent_data(w):
    return {"named": "1"}


def publish_data(w):
    return {
        "visibility": "academy",
        "seen_revision": str(Fiche.objects.filter(school=w.school_a).latest("pk").revision),
    }


def snapshot():
    return (
        sorted(Fiche.objects.values_list("pk", "title", "state", "visibility", "revision")),
        sorted(FicheAuthor.objects.values_list("pk", "user_id", "named")),
        sorted(FicheTerm.objects.values_list("pk", "kind", "code")),
    )


def extend(matrix):
    statuses, readers, fillers = matrix.statuses, matrix.SCHOOL_A_READERS, matrix.FILLERS_A
    members = fillers | {"member_a"}
    read = statuses(404, s200=readers)
    # A draft never leaves its school: its territory gets a 404, as if it did not exist.
    read_draft = statuses(404, s200=members | {"admin"})
    write = statuses(404, s302=members, s403=readers - members)
    publish = statuses(404, s302=fillers, s403=readers - fillers)
    consent = statuses(404, s302={"member_a"}, s403=readers - {"member_a"})
    matrix.MATRIX.update(
        {
            "fiches:home": ("get", matrix.school_a, None, read),
            "fiches:create": ("post", matrix.school_a, form_data, write),
            "fiches:detail": ("get", draft_args, None, read_draft),
            "fiches:edit": ("post", draft_args, edit_data, write),
            "fiches:consent": ("post", draft_args, consent_data, consent),
            "fiches:publish": ("post", draft_args, publish_data, publish),
            "fiches:unpublish": ("post", published_args, None, publish),
            "fiches:delete": ("post", draft_args, None, write),
        }
    )
    matrix.GUARDS.update(
        {
            **dict.fromkeys(["fiches:home", "fiches:detail"], ("school:read",)),
            **dict.fromkeys(["fiches:create", "fiches:edit", "fiches:delete"], ("fiche:write",)),
            "fiches:consent": ("fiche:consent",),
            **dict.fromkeys(["fiches:publish", "fiches:unpublish"], ("fiche:publish",)),
        }
    )
    matrix.SNAPSHOTS.extend([snapshot])
