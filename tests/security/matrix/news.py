"""The permission matrix's rows of `news` (/actualites/). The item of the table is a Landes item:
its authors are the Landes' correspondent, the DANE of Bordeaux and the administrator (they edit,
publish, follow the sending, withdraw); its readers, once published, are the RUPN and the direction
of school A (a collège of the Landes): 403 on the authors' actions. Everyone else: 404. The
readers' list is for whoever is RUPN or direction somewhere, the authors' for the territory's roles."""

from pilotis.core.models import Mailing
from pilotis.news import services
from pilotis.news.models import NewsItem

READERS_A = {"chef_a", "adjoint_a", "rupn_a"}
AUTHORS_40 = {"correspondant_40", "dane", "admin"}
SCHOOL_READERS = {"chef_a", "adjoint_a", "rupn_a", "rupn_b", "chef_c"}
TERRITORIAL = {"correspondant_40", "correspondant_64", "dane", "dane_rennes", "admin"}


def _draft(w):
    return services.save_draft(
        services.NewsInput(
            title="Tic'Edu des Landes",
            body="Les **rencontres** du numérique.",
            link="https://example.org/ticedu",
            academy_id=w.bordeaux.pk,
            department_id=w.landes.pk,
            school_kind="",
        ),
        by=w.correspondant_40,
    )


def draft(w):
    return [_draft(w).pk]


def published(w):
    return [services.publish(_draft(w), by=w.correspondant_40).pk]


def item_data(w):
    return {"title": "LINE 40", "body": "Texte", "link": "", "territory": f"d{w.landes.pk}", "school_kind": ""}


def snapshot():
    return (
        sorted(NewsItem.objects.values_list("pk", "title", "body", "published_at", "withdrawn_at", "mailing_id")),
        sorted(Mailing.objects.values_list("pk", "attempts", "retry_at")),
    )


def extend(matrix):
    statuses = matrix.statuses
    manage = statuses(404, s302=AUTHORS_40)
    act = statuses(404, s302=AUTHORS_40, s403=READERS_A)
    matrix.MATRIX.update(
        {
            "news:index": ("get", None, None, statuses(404, s200=SCHOOL_READERS)),
            "news:manage": ("get", None, None, statuses(404, s200=TERRITORIAL)),
            "news:create": (
                "post",
                None,
                item_data,
                statuses(404, s302=AUTHORS_40, s400={"correspondant_64", "dane_rennes"}),
            ),
            "news:item": ("get", published, None, statuses(404, s200=AUTHORS_40 | READERS_A)),
            "news:edit": ("post", draft, item_data, manage),
            "news:publish": ("post", draft, None, manage),
            "news:sending": ("get", published, None, statuses(404, s200=AUTHORS_40, s403=READERS_A)),
            "news:resume": ("post", published, None, act),
            "news:withdraw": ("post", published, None, act),
        }
    )
    matrix.GUARDS.update(
        {
            "news:index": ("news:read",),
            "news:manage": ("news:write",),
            "news:create": ("news:write",),
            "news:item": ("news:read",),
            "news:edit": ("news:write",),
            "news:publish": ("news:publish",),
            "news:sending": ("news:sending",),
            "news:resume": ("news:sending",),
            "news:withdraw": ("news:withdraw",),
        }
    )
    matrix.SNAPSHOTS.append(snapshot)
