"""The demo's académie news: three items published through the news' services, as their authors
would — the DANE's monthly letter to the whole académie (in the manner of LINE 40 / LINE 64), the
Landes correspondent's Tic'Edu announcement, a M@gistère course for the lycées of the demo lycée's
type — their mailings marked sent (the demo runs no worker), and the first one read by `rupn`."""

import datetime

from django.utils import timezone
from django.utils.translation import gettext as _

from pilotis.core.models import Delivery, Mailing
from pilotis.news import services
from pilotis.news.models import NewsItem, NewsReading

LETTER = """Bonjour à toutes et à tous,

Voici les nouvelles du numérique éducatif de l'académie pour ce mois-ci.

## À la une

- **Campagne SCHÉMATIC** : l'autodiagnostic de l'année est ouvert jusqu'au 30 juin. Pensez à le faire valider par votre direction.
- **Pix** : la certification des élèves de 3e et de terminale se prépare dès maintenant.

## Ressources

- Le guide « ENT et vie scolaire » est mis à jour.
- Les fiches d'usage CARTOUN de l'académie s'enrichissent chaque semaine.

Bonne lecture,

La DANE"""

TICEDU = """Les **rencontres Tic'Edu des Landes** auront lieu le mercredi après-midi au collège de Dax.

Au programme : retours d'expérience de RUPN, atelier « IA générative en classe », présentation des nouveaux équipements du Département.

Inscription en ligne avant la fin du mois."""

MAGISTERE = """Un nouveau parcours M@gistère, **« Accompagner les usages du numérique au lycée »**, est ouvert aux RUPN des lycées.

Trois heures à distance, à suivre à votre rythme ; une attestation est délivrée à la fin du parcours."""


def load_news(users, college, lycee, stdout) -> None:
    if NewsItem.objects.exists():
        return
    academy = college.department.academy
    items = [
        (users["dane"], _("LINE — la lettre du numérique éducatif"), LETTER, "https://www.ac-bordeaux.fr/", None, ""),
        (
            users["correspondant40"],
            _("Rencontres Tic'Edu des Landes"),
            TICEDU,
            "",
            college.department_id,
            "",
        ),
        (
            users["dane"],
            _("M@gistère : accompagner les usages du numérique au lycée"),
            MAGISTERE,
            "https://magistere.education.fr/",
            None,
            lycee.kind,
        ),
    ]
    now = timezone.now()
    published = []
    for days_ago, (author, title, body, link, department_id, kind) in zip((12, 5, 2), items, strict=True):
        draft = services.save_draft(
            services.NewsInput(
                title=title,
                body=body,
                link=link,
                academy_id=academy.pk,
                department_id=department_id,
                school_kind=kind,
            ),
            by=author,
        )
        item = services.publish(draft, by=author)
        when = now - datetime.timedelta(days=days_ago)
        NewsItem.objects.filter(pk=item.pk).update(published_at=when, created_at=when)
        if item.mailing_id:
            # The demo runs no worker: its mailings are shown as sent.
            Delivery.objects.filter(mailing_id=item.mailing_id).update(sent_at=when)
            Mailing.objects.filter(pk=item.mailing_id).update(created_at=when, finished_at=when)
        published.append(item)
    reading = services.mark_read(published[0], users["rupn"])
    NewsReading.objects.filter(pk=reading.pk).update(read_at=now - datetime.timedelta(days=11))
    stdout.write(
        _("  Actualités de l'académie : %(n)d publiées et envoyées, une lue par le RUPN") % {"n": len(published)}
    )
