import datetime
from pathlib import Path
from unittest import mock

import factory
from django.contrib.auth import get_user_model

from pilotis.accounts.enums import SchoolRole, TerritoryRoleKind
from pilotis.accounts.models import SchoolMembership, TerritoryRole
from pilotis.referential import loader
from pilotis.referential.models import ReferentialVersion
from pilotis.territories.enums import SchoolKind, Sector
from pilotis.territories.models import Academy, Department, School, uai_check_letter

PASSWORD = "correct horse battery staple"


class AcademyFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Academy
        django_get_or_create = ("code",)

    code = "04"
    name = "Bordeaux"


class DepartmentFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Department
        django_get_or_create = ("code",)

    code = "040"
    name = "Landes"
    academy = factory.SubFactory(AcademyFactory)


def _uai(n):
    digits = f"{9900000 + n:07d}"
    return digits + uai_check_letter(digits)


class SchoolFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = School

    uai = factory.Sequence(_uai)
    name = factory.Sequence(lambda n: f"Collège Test {n}")
    kind = SchoolKind.COLLEGE
    sector = Sector.PUBLIC
    department = factory.SubFactory(DepartmentFactory)
    commune = "Mont-de-Marsan"


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = get_user_model()
        django_get_or_create = ("username",)
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"user{n}")
    email = factory.LazyAttribute(lambda u: f"{u.username}@example.org")
    first_name = "Camille"
    last_name = factory.Sequence(lambda n: f"Martin{n}")
    password = factory.django.Password(PASSWORD)


class MembershipFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = SchoolMembership

    user = factory.SubFactory(UserFactory)
    school = factory.SubFactory(SchoolFactory)
    role = SchoolRole.MEMBRE


class TerritoryRoleFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = TerritoryRole

    user = factory.SubFactory(UserFactory)
    kind = TerritoryRoleKind.CORRESPONDANT
    department = factory.SubFactory(DepartmentFactory)
    academy = None


# The bundled SCHÉMATIC 2021 referential, and the tests' two-domain one (version « test-1 »).
BUNDLED = loader.DATA_DIR / "schematic-2021.yaml"
MINI = Path(__file__).parent / "referential" / "data" / "mini.yaml"
_VALIDATED: dict[tuple[Path, bytes], tuple] = {}


def load_referential(path=BUNDLED):
    """The version of the referential file `path`, written in the test's database.

    A file's validated content depends on its bytes alone: it is parsed once per test session and
    kept, and each test writes it through the loader (its rows go with the test's transaction).
    """
    path = Path(path)
    key = (path, path.read_bytes())
    if key not in _VALIDATED:
        _VALIDATED[key] = loader._validate(path)
    with mock.patch.object(loader, "_validate", return_value=_VALIDATED[key]):
        result = loader.load_referential(path)
    return ReferentialVersion.objects.get(version=result.version)


def open_campaign(world, referential, year):
    """The académie de Bordeaux's campaign of `year` (« 2026-2027 »), opened by the DANE."""
    from pilotis.assessments import services

    return services.open_campaign(
        academy=world.bordeaux,
        school_year=year,
        referential=referential,
        opens_on=datetime.date(int(year[:4]), 9, 1),
        closes_on=datetime.date(int(year[:4]) + 1, 6, 30),
        by=world.dane,
    )
