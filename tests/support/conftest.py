import pytest

from pilotis.demo.glpi import FakeGlpi
from pilotis.support import services
from pilotis.support.enums import ChannelWay

APP_TOKEN = "app-0123456789abcdef-secret"
USER_TOKEN = "user-fedcba9876543210-secret"
PDF = b"%PDF-1.4\n1 0 obj<</Type/Catalog>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n"


@pytest.fixture
def glpi(settings):
    """A fake GLPI on a free loopback port, and the credentials "landes" pointing at it."""
    server = FakeGlpi(app_token=APP_TOKEN, user_token=USER_TOKEN).start()
    server.delay = 2.0
    settings.SUPPORT_GLPI = {"landes": {"URL": server.url, "APP_TOKEN": APP_TOKEN, "USER_TOKEN": USER_TOKEN}}
    settings.SUPPORT_GLPI_TIMEOUT = 1
    yield server
    server.stop()


@pytest.fixture
def channels(world):
    """Bordeaux's channels and routing table, as the demo's, and one channel of Rennes."""
    bordeaux = world.bordeaux

    def channel(name, way, **kw):
        return services.save_channel(bordeaux, services.ChannelInput(name=name, way=way, **kw), by=world.dane)

    amerana = channel("AMÉRANA", ChannelWay.EMAIL, email="assistance@ac-bordeaux.example")
    lycee = channel("Lycée connecté", ChannelWay.LINK, portal_url="https://assistance.lyceeconnecte.example/")
    landes = channel(
        "Département des Landes",
        ChannelWay.GLPI,
        glpi_url="https://glpi.landes.example/apirest.php",
        glpi_credentials="landes",
        glpi_categories={"network": 12, "devices": 14},
    )
    pyrenees = channel("Département des Pyrénées-Atlantiques", ChannelWay.EMAIL, email="support@le64.example")
    for category in ("academic_apps", "ent", "software", "other", "network", "devices"):
        services.set_route(bordeaux, category=category, channel=amerana, by=world.dane)
    services.set_route(bordeaux, category="ent", school_kind="lycee_gt", channel=lycee, by=world.dane)
    for category in ("network", "devices"):
        services.set_route(
            bordeaux, category=category, department=world.landes, school_kind="college", channel=landes, by=world.dane
        )
        services.set_route(
            bordeaux,
            category=category,
            department=world.pyrenees,
            school_kind="college",
            channel=pyrenees,
            by=world.dane,
        )
    rennes = services.save_channel(
        world.rennes,
        services.ChannelInput(name="Assistance Rennes", way=ChannelWay.EMAIL, email="aide@ac-rennes.example"),
        by=world.dane_rennes,
    )
    return {"amerana": amerana, "lycee": lycee, "landes": landes, "pyrenees": pyrenees, "rennes": rennes}


def draft(world, category="network", **kw):
    values = {
        "subject": "Le wifi de la salle B ne marche plus",
        "description": "Depuis lundi, aucun poste de la salle B ne se connecte.\nLes élèves attendent.",
        "category": category,
        "urgency": "high",
        "place": "Salle B",
        "equipment": "Borne wifi du couloir",
        **kw,
    }
    return services.record_request(world.school_a, services.RequestInput(**values), by=world.rupn_a)
