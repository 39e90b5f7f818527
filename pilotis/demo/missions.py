"""The demo's RUPN missions: the demo accounts' designations and letters go through the services (as a
chef and a RUPN would), the other schools of the académie get a plausible network in bulk, seeded."""

import datetime
import random
from decimal import Decimal

from django.contrib.auth.hashers import make_password
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from pilotis.accounts.enums import SchoolRole
from pilotis.accounts.models import SchoolMembership, User
from pilotis.core.school_years import current_school_year
from pilotis.missions import services
from pilotis.missions.catalogue import ensure_shipped_entries
from pilotis.missions.enums import LetterState
from pilotis.missions.models import CatalogueEntry, Designation, LetterMission, MissionLetter
from pilotis.missions.services import school_year_bounds
from pilotis.referential.models import Indicator

FIRST_NAMES = [
    "Camille",
    "Léa",
    "Hugo",
    "Manon",
    "Lucas",
    "Inès",
    "Thomas",
    "Chloé",
    "Nicolas",
    "Julie",
    "Pierre",
    "Émilie",
    "Antoine",
    "Sarah",
    "Maxime",
    "Laura",
    "Xabi",
    "Maite",
    "Jérôme",
    "Sandrine",
]
LAST_NAMES = [
    "Dupuy",
    "Lacoste",
    "Etchegaray",
    "Labat",
    "Darrigrand",
    "Castaing",
    "Lafargue",
    "Bordes",
    "Dufau",
    "Barthe",
    "Lamarque",
    "Soulé",
    "Garat",
    "Larrouy",
    "Pouyanne",
    "Cazenave",
    "Mendiondo",
    "Laborde",
]


def _previous(year: str) -> str:
    start = int(year[:4])
    return f"{start - 1}-{start}"


def _content(letter, entries, indicators):
    return services.update_letter(
        letter,
        fields={
            "means_time": "Une heure hebdomadaire inscrite à l'emploi du temps",
            "means_equipment": "Un ordinateur portable et un accès administrateur à l'ENT",
            "means_room": "Le bureau du numérique, au CDI",
            "training": "Parcours M@gistère « Réseau des référents numériques » ; journée départementale des RUPN",
            "free_text": "Le RUPN présente chaque trimestre un point d'étape à l'équipe de direction.",
        },
        missions=[(entry, "principale" if n < 3 else "secondaire") for n, entry in enumerate(entries)],
        indicators=indicators,
        seen_revision=letter.revision,
        by=letter.created_by,
    )


def _signed_letter(designation, chef, rupn, entries, indicators, *, signed_on):
    letter = _content(services.start_letter(designation, by=chef), entries, indicators)
    letter = services.propose_letter(letter, by=chef, seen_revision=letter.revision)
    letter = services.accept_letter(letter, by=rupn, seen_revision=letter.revision)
    letter = services.sign_letter(letter, by=chef, seen_revision=letter.revision)
    moment = timezone.make_aware(datetime.datetime.combine(signed_on, datetime.time(17, 0)))
    MissionLetter.objects.filter(pk=letter.pk).update(
        proposed_at=moment,
        accepted_at=moment,
        signed_at=moment,
        created_at=moment,
        updated_at=moment,
        presented_pedagogical_council_on=signed_on + datetime.timedelta(days=7),
        presented_board_on=signed_on + datetime.timedelta(days=21),
    )
    return letter


@transaction.atomic
def load_missions(users, college, lycee, stdout) -> None:
    year = current_school_year()
    if Designation.objects.filter(school=college).exists():
        return
    ensure_shipped_entries(CatalogueEntry)
    entries = list(CatalogueEntry.objects.filter(academy__isnull=True).order_by("pk"))
    indicators = list(Indicator.objects.filter(code__in=["PIL.2.01", "FOR.1.01", "PED.1.02"]).order_by("-version_id"))
    indicators = list({i.code: i for i in reversed(indicators)}.values())
    chef, rupn = users["direction"], users["rupn"]
    last_year = _previous(year)
    first, last = school_year_bounds(last_year)
    past = services.designate(
        college, user=rupn, school_year=last_year, starts_on=first, ends_on=last, imp_amount=Decimal("1250.00"), by=chef
    )
    _signed_letter(past, chef, rupn, entries[:5], indicators, signed_on=first + datetime.timedelta(days=40))
    first, last = school_year_bounds(year)
    now = services.designate(
        college, user=rupn, school_year=year, starts_on=first, ends_on=last, imp_amount=Decimal("1250.00"), by=chef
    )
    # This year's letter starts from last year's and waits for the RUPN's answer.
    letter = services.start_letter(now, by=chef)
    services.propose_letter(letter, by=chef, seen_revision=letter.revision)
    # The lycée has no demo chef in Pilotis: its RUPN is designated, the letter is still to come.
    Designation.objects.create(
        school=lycee,
        user=users["rupn64"],
        user_label=str(users["rupn64"]),
        school_year=year,
        starts_on=first,
        ends_on=last,
        imp_amount=Decimal("2500.00"),
    )
    stdout.write(
        _("  Mission du RUPN : lettres %(last)s (signée) et %(this)s (proposée) au collège")
        % {"last": last_year, "this": year}
    )


def spread_network(schools, *, year, seed=4) -> int:
    """A RUPN for most other schools (three in four), a signed letter for about two thirds of them."""
    rng = random.Random(seed)
    first, last = school_year_bounds(year)
    entries = list(CatalogueEntry.objects.filter(academy__isnull=True).order_by("pk"))
    schools = [s for s in schools if rng.random() < 0.75]
    users = User.objects.bulk_create(
        User(
            username=f"rupn-{school.uai.lower()}",
            first_name=rng.choice(FIRST_NAMES),
            last_name=rng.choice(LAST_NAMES),
            email=f"rupn.{school.uai.lower()}@demo.pilotis.example.org",
            password=make_password(None),  # unusable: they exist for the figures, nobody signs in as them
        )
        for school in schools
    )
    # A bulk write sends no signal: no scope of these new people can be cached yet, so their
    # stamps need no change (accounts.models.roles_changed).
    SchoolMembership.objects.bulk_create(
        SchoolMembership(user=user, school=school, role=SchoolRole.RUPN)
        for user, school in zip(users, schools, strict=True)
    )
    designations = Designation.objects.bulk_create(
        Designation(
            school=school,
            user=user,
            user_label=str(user),
            school_year=year,
            starts_on=first,
            ends_on=last,
            imp_amount=rng.choice([Decimal("625.00"), Decimal("1250.00"), Decimal("1250.00"), Decimal("2500.00")]),
        )
        for user, school in zip(users, schools, strict=True)
    )
    signed_at = timezone.make_aware(datetime.datetime.combine(first + datetime.timedelta(days=45), datetime.time(12)))
    letters = MissionLetter.objects.bulk_create(
        MissionLetter(
            school_id=d.school_id,
            designation=d,
            imp_amount=d.imp_amount,
            starts_on=d.starts_on,
            ends_on=d.ends_on,
            state=rng.choices([LetterState.SIGNED, LetterState.PROPOSED, LetterState.DRAFT], [0.65, 0.2, 0.15])[0],
            means_time="Une heure hebdomadaire",
            accepted_by_label=d.user_label,
            signed_by_label="Direction de l'établissement",
            accepted_at=signed_at,
            signed_at=signed_at,
        )
        for d in designations
        if rng.random() < 0.85
    )
    for letter in letters:
        if letter.state != LetterState.SIGNED:
            letter.accepted_at = letter.signed_at = None
            letter.accepted_by_label = letter.signed_by_label = ""
    MissionLetter.objects.bulk_update(letters, ["accepted_at", "signed_at", "accepted_by_label", "signed_by_label"])
    LetterMission.objects.bulk_create(
        LetterMission(
            letter=letter,
            entry=entry,
            heading=entry.heading,
            function=entry.function,
            text=entry.text,
            priority="principale" if n < 2 else "secondaire",
            position=n,
        )
        for letter in letters
        for n, entry in enumerate(rng.sample(entries, 4))
    )
    return len(designations)
