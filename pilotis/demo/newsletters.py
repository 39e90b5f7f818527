"""The demo's flash'infos at the Landes collège: two issues published earlier this school year
(n° 1 and n° 2, with their text), the next one drafted by Pilotis from what happened since, the
rhythm of one a term and two addresses on the school's list.

The past issues are written through the services, then dated back as they would have been
published: they carry no mailing (the demo sends nothing to its made-up people)."""

import datetime

from django.utils import timezone
from django.utils.translation import gettext as _

from pilotis.newsletters import services
from pilotis.newsletters.enums import NewsletterState, Rhythm
from pilotis.newsletters.models import Newsletter
from pilotis.newsletters.rhythm import school_year_start

PAST = [
    (
        _("Flash'infos de rentrée"),
        "## Le mot du RUPN\n\nBonne rentrée à toutes et à tous ! Ce premier flash'infos vous dira, "
        "chaque trimestre, ce qui change au collège côté numérique.\n\n"
        "## Ce qui change à la rentrée\n\n- Les nouveaux identifiants de l’ENT sont distribués en classe.\n"
        "- La salle informatique est ouverte aux élèves le mardi midi.\n\n"
        "## Ateliers et formations à venir\n\n- Prise en main du tableau numérique interactif (atelier)\n",
    ),
    (
        _("Flash'infos d’automne"),
        "## Le mot du RUPN\n\nMerci aux vingt collègues venus aux ateliers de septembre.\n\n"
        "## Le plan d’actions numérique avance\n\n- Former l’équipe à l’ENT : commencée\n\n"
        "## Les actualités de l’académie\n\n### Semaine du numérique éducatif\n\n"
        "Les inscriptions sont ouvertes jusqu’à la fin du mois.\n",
    ),
]
LIST = [("ape.college@example.org", _("Association des parents d’élèves")), ("cdi.college@example.org", _("CDI"))]


def load_newsletters(users, college, stdout) -> None:
    if Newsletter.objects.filter(school=college).exists():
        return
    rupn = users["rupn"]
    now = timezone.now()
    start = timezone.make_aware(datetime.datetime.combine(school_year_start(timezone.localdate()), datetime.time(9)))
    # Two past days of this school year, before today whatever day the demo is loaded.
    span = max((now - start).total_seconds(), 3 * 86400)
    days = [start + datetime.timedelta(seconds=span * share) for share in (0.3, 0.6)]
    previous = start
    for (title, body), published_at in zip(PAST, days, strict=True):
        issue = services.prepare_draft(college, by=rupn)
        issue = services.save_draft(issue, by=rupn, title=title, body=body, seen_revision=issue.revision)
        Newsletter.objects.filter(pk=issue.pk).update(
            state=NewsletterState.PUBLISHED,
            number=services.next_number(college),
            period_start=previous,
            period_end=published_at,
            created_at=published_at - datetime.timedelta(days=2),
            updated_at=published_at,
            published_at=published_at,
            published_by=rupn,
            published_by_label=str(rupn),
        )
        previous = published_at
    services.set_rhythm(college, Rhythm.TERM, by=rupn)
    for email, label in LIST:
        services.add_list_address(college, email=email, label=label, by=rupn)
    services.prepare_draft(college, by=rupn)
    stdout.write(_("  Flash'infos : 2 numéros publiés et un brouillon au collège"))
