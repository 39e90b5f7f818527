"""Loads the demo académie (Bordeaux, from the real annuaire file) and the demo accounts.

Demo accounts exist only through this command, never through a migration. Running it again
duplicates nothing: schools are upserted by UAI, accounts and roles by their natural keys.
"""

import datetime
from contextlib import contextmanager
from pathlib import Path

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from pilotis.accounts.enums import SchoolRole, TerritoryRoleKind
from pilotis.accounts.models import SchoolMembership, TerritoryRole, User
from pilotis.assessments import campaigns, services
from pilotis.assessments.enums import AnswerStatus
from pilotis.assessments.models import Answer, AnswerChange, Assessment, Campaign
from pilotis.core.school_years import current_school_year
from pilotis.demo.accompaniment import load_accompaniment
from pilotis.demo.commission import load_commission
from pilotis.demo.digital_services import load_digital_services
from pilotis.demo.equipment import load_equipment
from pilotis.demo.evidence import load_evidence
from pilotis.demo.fiches import load_fiches
from pilotis.demo.fiches_catalogue import load_fiches_catalogue
from pilotis.demo.missions import load_missions, spread_network
from pilotis.demo.news import load_news
from pilotis.demo.newsletters import load_newsletters
from pilotis.demo.plans import load_plans
from pilotis.demo.spread import fill_campaign
from pilotis.demo.support import load_support
from pilotis.demo.workshops import load_workshops
from pilotis.missions.models import Designation
from pilotis.referential.models import ReferentialVersion
from pilotis.territories.enums import SchoolKind
from pilotis.territories.importers import AnnuaireImportError, import_annuaire
from pilotis.territories.models import Academy, Department, School

DEMO_PASSWORD = "demo"  # noqa: S105 — demo accounts only, printed on purpose
DEFAULT_FILE = Path(settings.BASE_DIR) / "data" / "etablissements-second-degre-france.csv"
DEMO_DOMAIN = "demo.pilotis.example.org"
DONE, IN_PROGRESS, NOT_DONE = AnswerStatus.DONE, AnswerStatus.IN_PROGRESS, AnswerStatus.NOT_DONE
# Where the demo's own e-mails go while it loads (see `_demo_mail_in_memory`).
MEMORY_EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"

# username, first name, last name, what
PEOPLE = [
    ("direction", "Claire", "Dubosc", gettext_lazy("Cheffe d'établissement du collège des Landes")),
    ("rupn", "Julien", "Larrieu", gettext_lazy("RUPN du collège des Landes")),
    ("enseignant", "Sophie", "Lafitte", gettext_lazy("Enseignante, membre de l'équipe du collège des Landes")),
    ("rupn64", "Mikel", "Etcheverry", gettext_lazy("RUPN d'un lycée des Pyrénées-Atlantiques")),
    ("correspondant40", "Sébastien", "Lochet", gettext_lazy("Correspondant DANE des Landes (40)")),
    ("correspondant64", "Michel", "Dezest", gettext_lazy("Correspondant DANE des Pyrénées-Atlantiques (64)")),
    ("dane", "Nathalie", "Garros", gettext_lazy("DANE de l'académie de Bordeaux")),
    ("admin", "Admin", "Pilotis", gettext_lazy("Administrateur (superutilisateur)")),
]


@contextmanager
def _demo_mail_in_memory():
    """The demo's story sends e-mails (a lettre de mission proposed, accepted, signed) to made-up
    people: kept in memory rather than sent, so that the console backend of development does not
    print them over the demo accounts."""
    previous = settings.MAILERS
    settings.MAILERS = {**previous, "default": {"BACKEND": MEMORY_EMAIL_BACKEND}}
    try:
        yield
    finally:
        settings.MAILERS = previous


class Command(BaseCommand):
    help = gettext_lazy(
        "Charge l'académie de Bordeaux (annuaire réel) et les comptes de démonstration (mot de passe « demo »)."
    )

    def add_arguments(self, parser):
        parser.add_argument("--file", default=str(DEFAULT_FILE), help=_("Fichier de l'annuaire (CSV national)."))

    def handle(self, *args, **options):
        path = Path(options["file"])
        if not path.exists():
            raise CommandError(_("Fichier de l'annuaire introuvable : %(path)s") % {"path": path})
        with _demo_mail_in_memory():
            call_command("load_referential", stdout=self.stdout)
            call_command("load_suggestions", stdout=self.stdout)
            try:
                report = import_annuaire(path, academies=["04"], progress=options["verbosity"] > 0)
            except AnnuaireImportError as exc:
                raise CommandError(str(exc)) from exc
            for line in report.summary():
                self.stdout.write(line)
            if report.rejected:
                raise CommandError(_("Le fichier de l'annuaire contient des lignes rejetées : rien n'a été importé."))
            users = self._load_people()
        # Last, so that the accounts are what the console shows when the server starts.
        self.stdout.write("")
        self.stdout.write(self.style.SUCCESS(_("Comptes de démonstration (mot de passe : demo)")))
        for username, _first, _last, what in PEOPLE:
            self.stdout.write(f"  {username:<16} {users[username].email:<44} {what}")

    def _load_campaigns(self, users, college, lycee):
        """Last year's campaign, closed, with the collège's validated answers; this year's, open and empty."""
        referential = ReferentialVersion.objects.get(version="2021")
        bordeaux = Academy.objects.get(code="04")
        this_year = current_school_year()
        start = int(this_year[:4])
        last_year = f"{start - 1}-{start}"
        previous = Campaign.objects.filter(academy=bordeaux, school_year=last_year).first()
        if previous is None:
            previous = campaigns.open_campaign(
                academy=bordeaux,
                school_year=last_year,
                referential=referential,
                opens_on=datetime.date(start - 1, 9, 15),
                closes_on=datetime.date(start, 6, 30),
                by=users["dane"],
            )
            # A plausible school: levels reached per domain, then work under way just above.
            targets = {"PIL": 2, "PED": 1, "FOR": 1, "RES": 0, "INF": 2}
            for indicator in referential.indicators.select_related("domain").order_by(
                "domain__position", "level", "position"
            ):
                target = targets.get(indicator.domain.code, 1)
                if indicator.level <= target:
                    chosen = DONE
                elif indicator.level == target + 1:
                    chosen = [DONE, IN_PROGRESS, NOT_DONE][indicator.position % 3]
                else:
                    chosen = [IN_PROGRESS, NOT_DONE, ""][indicator.position % 3]
                if chosen:
                    services.save_answer(previous, college, indicator, status=chosen, comment="", by=users["rupn"])
            assessment = Assessment.objects.get(campaign=previous, school=college)
            services.validate_assessment(assessment, by=users["direction"])
            campaigns.close_campaign(previous, by=users["dane"])
            # Last year's answers were given last year: their history (and the RUPN's review) says so.
            moment = timezone.make_aware(datetime.datetime(start, 5, 15, 10))
            AnswerChange.objects.filter(answer__assessment=assessment).update(changed_at=moment)
            Answer.objects.filter(assessment=assessment).update(updated_at=moment)
            Assessment.objects.filter(pk=assessment.pk).update(validated_at=moment, last_activity_at=moment)
        current = Campaign.objects.filter(academy=bordeaux, school_year=this_year).first()
        if current is None:
            current = campaigns.open_campaign(
                academy=bordeaux,
                school_year=this_year,
                referential=referential,
                opens_on=datetime.date(start, 9, 15),
                closes_on=datetime.date(start + 1, 6, 30),
                by=users["dane"],
            )
        two_years_ago = f"{start - 2}-{start - 1}"
        older = Campaign.objects.filter(academy=bordeaux, school_year=two_years_ago).first()
        if older is None:
            older = campaigns.open_campaign(
                academy=bordeaux,
                school_year=two_years_ago,
                referential=referential,
                opens_on=datetime.date(start - 2, 9, 15),
                closes_on=datetime.date(start - 1, 6, 30),
                by=users["dane"],
            )
            campaigns.close_campaign(older, by=users["dane"])
        # The other schools of the académie, so that the dashboards have figures; the demo
        # collège and lycée keep the story told above (and an empty current year).
        others = list(
            School.objects.filter(department__academy=bordeaux, is_open=True)
            .exclude(pk__in=[college.pk, lycee.pk])
            .order_by("uai")
        )
        plan = [
            (older, {"seed": 1, "maturity": 1.4, "started": 0.85, "validated": 0.9, "progress": 0.9}),
            (previous, {"seed": 2, "maturity": 1.7, "started": 0.9, "validated": 0.9, "progress": 0.9}),
            (current, {"seed": 3, "maturity": 1.9, "started": 0.45, "validated": 0.3, "progress": 0.5}),
        ]
        for campaign, spread in plan:
            if not Assessment.objects.filter(campaign=campaign).exclude(school__in=[college, lycee]).exists():
                count = fill_campaign(campaign, others, by=users["dane"], **spread)
                self.stdout.write(
                    _("  Campagne %(year)s : réponses de %(count)d autres établissements")
                    % {"year": campaign.school_year, "count": count}
                )
        self.stdout.write(
            _("  Campagnes SCHÉMATIC : %(older)s et %(last)s (closes), %(this)s (ouverte)")
            % {"older": two_years_ago, "last": last_year, "this": this_year}
        )

    @transaction.atomic
    def _load_people(self):
        bordeaux = Academy.objects.get(code="04")
        landes = Department.objects.get(code="040")
        pyrenees = Department.objects.get(code="064")
        college = (
            School.objects.filter(department=landes, kind=SchoolKind.COLLEGE, sector="public").order_by("uai").first()
        )
        lycee = (
            School.objects.filter(department=pyrenees, kind__startswith="lycee", sector="public")
            .order_by("uai")
            .first()
        )
        if college is None or lycee is None:
            raise CommandError(
                _("Le fichier ne contient pas les établissements attendus des Landes et des Pyrénées-Atlantiques.")
            )
        users = {}
        for username, first, last, _what in PEOPLE:
            user, _created = User.objects.get_or_create(
                username=username,
                defaults={"first_name": first, "last_name": last, "email": f"{username}@{DEMO_DOMAIN}"},
            )
            user.set_password(DEMO_PASSWORD)
            user.is_active = True
            if username == "admin":
                user.is_staff = user.is_superuser = True
            user.save()
            users[username] = user

        for username, school, role in [
            ("direction", college, SchoolRole.CHEF),
            ("rupn", college, SchoolRole.RUPN),
            ("enseignant", college, SchoolRole.MEMBRE),
            ("rupn64", lycee, SchoolRole.RUPN),
        ]:
            SchoolMembership.objects.update_or_create(user=users[username], school=school, defaults={"role": role})
        for username, department in [("correspondant40", landes), ("correspondant64", pyrenees)]:
            TerritoryRole.objects.get_or_create(
                user=users[username], department=department, defaults={"kind": TerritoryRoleKind.CORRESPONDANT}
            )
        TerritoryRole.objects.get_or_create(
            user=users["dane"], academy=bordeaux, defaults={"kind": TerritoryRoleKind.DANE}
        )

        self._load_campaigns(users, college, lycee)
        load_missions(users, college, lycee, self.stdout)
        # The plan first: the commission's decisions and the accompaniment's entries point to its actions.
        load_plans(users, college, self.stdout)
        load_commission(users, college, self.stdout)
        load_accompaniment(users, college, lycee, self.stdout)
        load_evidence(users, college, current_school_year(), self.stdout)
        others = School.objects.filter(department__academy=bordeaux, is_open=True).exclude(
            pk__in=[college.pk, lycee.pk]
        )
        if not Designation.objects.filter(school__in=others).exists():
            count = spread_network(others.order_by("uai"), year=current_school_year())
            self.stdout.write(
                _("  Réseau des RUPN : %(count)d autres établissements ont un RUPN désigné") % {"count": count}
            )
        load_fiches(users, college, lycee, self.stdout)
        load_fiches_catalogue(self.stdout)  # after every part that writes fiches
        load_workshops(users, college, list(others.order_by("uai")), self.stdout)
        load_digital_services(users, college, lycee, self.stdout)
        load_support(users, college, self.stdout)
        load_equipment(users, college, lycee, list(others.order_by("uai")), self.stdout)
        load_newsletters(users, college, self.stdout)
        load_news(users, college, lycee, self.stdout)  # after the network: its RUPN receive the letters
        self.stdout.write(_("  Collège des Landes : %(name)s (%(uai)s)") % {"name": college.name, "uai": college.uai})
        self.stdout.write(
            _("  Lycée des Pyrénées-Atlantiques : %(name)s (%(uai)s)") % {"name": lycee.name, "uai": lycee.uai}
        )
        return users
