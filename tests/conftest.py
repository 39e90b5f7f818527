"""Personas shared by every test (CONVENTIONS: "Charlie should have no access to Alice's stuff").

School A: a collège of the Landes (40), académie de Bordeaux — chef, adjoint, RUPN, member.
School B: a lycée of the Pyrénées-Atlantiques (64), same académie — its RUPN.
School C: a collège of Ille-et-Vilaine (035), académie de Rennes — its chef; nobody of
Bordeaux may see it.
"""

from dataclasses import dataclass

import pytest

from pilotis.accounts.enums import SchoolRole, TerritoryRoleKind
from tests.factories import (
    MINI,
    AcademyFactory,
    DepartmentFactory,
    MembershipFactory,
    SchoolFactory,
    TerritoryRoleFactory,
    UserFactory,
    load_referential,
    open_campaign,
)


def pytest_collection_modifyitems(config, items):
    """A browser test (Chromium on a live server) is a slow test: `-m "not slow"` leaves it out."""
    for item in items:
        if item.get_closest_marker("browser"):
            item.add_marker(pytest.mark.slow)


@pytest.fixture(autouse=True)
def _fast_hasher(settings):
    """Scrypt costs half a second a hash here; tests of hashing itself restore it."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture(scope="session")
def evidence_root(tmp_path_factory):
    return tmp_path_factory.mktemp("pieces")


@pytest.fixture(autouse=True)
def _evidence_storage(settings, evidence_root):
    """The evidence's files go to a folder of the test session, never to var/pieces."""
    settings.STORAGES = {
        **settings.STORAGES,
        "evidence": {
            "BACKEND": "django.core.files.storage.FileSystemStorage",
            "OPTIONS": {"location": str(evidence_root), "base_url": None},
        },
    }


@pytest.fixture(scope="session")
def exports_root(tmp_path_factory):
    return tmp_path_factory.mktemp("exports")


@pytest.fixture(autouse=True)
def _exports_storage(settings, exports_root):
    """The background exports' files go to a folder of the test, never to var/exports."""
    settings.STORAGES = {
        **settings.STORAGES,
        "exports": {
            "BACKEND": "django.core.files.storage.FileSystemStorage",
            "OPTIONS": {"location": str(exports_root), "base_url": None},
        },
    }


@pytest.fixture(autouse=True)
def _strict_templates(settings):
    """An undefined template variable is a bug: make it fail loudly in tests."""

    class Invalid(str):
        def __mod__(self, other):
            raise AssertionError(f"Undefined template variable: {other}")

        def __bool__(self):  # {% if missing %} stays legal, as in production
            return False

    settings.TEMPLATES[0]["OPTIONS"]["string_if_invalid"] = Invalid("%s")
    yield


@dataclass
class World:
    bordeaux: object
    rennes: object
    landes: object
    pyrenees: object
    gironde: object
    ille: object
    school_a: object
    school_b: object
    school_c: object
    chef_a: object
    adjoint_a: object
    rupn_a: object
    member_a: object
    rupn_b: object
    chef_c: object
    correspondant_40: object
    correspondant_64: object
    dane: object
    dane_rennes: object
    admin: object
    nobody: object

    def persona(self, name):
        return None if name == "anonymous" else getattr(self, name)


PERSONAS = [
    "chef_a",
    "adjoint_a",
    "rupn_a",
    "member_a",
    "rupn_b",
    "chef_c",
    "correspondant_40",
    "correspondant_64",
    "dane",
    "dane_rennes",
    "admin",
    "nobody",
]


@pytest.fixture
def world(db):
    bordeaux = AcademyFactory(code="04", name="Bordeaux")
    rennes = AcademyFactory(code="14", name="Rennes")
    landes = DepartmentFactory(code="040", name="Landes", academy=bordeaux)
    pyrenees = DepartmentFactory(code="064", name="Pyrénées-Atlantiques", academy=bordeaux)
    gironde = DepartmentFactory(code="033", name="Gironde", academy=bordeaux)
    ille = DepartmentFactory(code="035", name="Ille-et-Vilaine", academy=rennes)
    school_a = SchoolFactory(name="Collège Alpha des Landes", department=landes, commune="Dax")
    school_b = SchoolFactory(name="Lycée Bravo de Pau", department=pyrenees, commune="Pau", kind="lycee_gt")
    school_c = SchoolFactory(name="Collège Charlie de Rennes", department=ille, commune="Rennes")

    def member(username, school, role):
        return MembershipFactory(user=UserFactory(username=username), school=school, role=role).user

    def territorial(username, **kw):
        return TerritoryRoleFactory(user=UserFactory(username=username), **kw).user

    return World(
        bordeaux=bordeaux,
        rennes=rennes,
        landes=landes,
        pyrenees=pyrenees,
        gironde=gironde,
        ille=ille,
        school_a=school_a,
        school_b=school_b,
        school_c=school_c,
        chef_a=member("chef_a", school_a, SchoolRole.CHEF),
        adjoint_a=member("adjoint_a", school_a, SchoolRole.ADJOINT),
        rupn_a=member("rupn_a", school_a, SchoolRole.RUPN),
        member_a=member("member_a", school_a, SchoolRole.MEMBRE),
        rupn_b=member("rupn_b", school_b, SchoolRole.RUPN),
        chef_c=member("chef_c", school_c, SchoolRole.CHEF),
        correspondant_40=territorial("correspondant_40", kind=TerritoryRoleKind.CORRESPONDANT, department=landes),
        correspondant_64=territorial("correspondant_64", kind=TerritoryRoleKind.CORRESPONDANT, department=pyrenees),
        dane=territorial("dane", kind=TerritoryRoleKind.DANE, department=None, academy=bordeaux),
        dane_rennes=territorial("dane_rennes", kind=TerritoryRoleKind.DANE, department=None, academy=rennes),
        admin=UserFactory(username="admin", is_superuser=True, is_staff=True),
        nobody=UserFactory(username="nobody"),
    )


@pytest.fixture
def client_for(client, world):
    """A test client signed in as the named persona ("anonymous" stays signed out)."""

    def _client(name):
        user = world.persona(name)
        if user is not None:
            client.force_login(user, backend="pilotis.accounts.backends.UsernameOrEmailBackend")
        return client

    return _client


@pytest.fixture
def referential(db):
    """The bundled SCHÉMATIC 2021 referential. A test directory or module that works on the
    two-domain one overrides it with `mini_referential`."""
    return load_referential()


@pytest.fixture
def mini_referential(db):
    """The tests' two-domain referential (version « test-1 », tests/referential/data/mini.yaml)."""
    return load_referential(MINI)


@pytest.fixture
def campaign(world, referential):
    """The académie de Bordeaux's 2026-2027 campaign (1 September to 30 June) on `referential`,
    opened by its DANE."""
    return open_campaign(world, referential, "2026-2027")


@pytest.fixture
def smtp_server(settings):
    """A real SMTP server on loopback, and the default mailer pointed at it (tests/smtp.py)."""
    from tests.smtp import SmtpServer

    server = SmtpServer().start()
    settings.MAILERS = server.mailer_settings()
    yield server
    server.stop()
