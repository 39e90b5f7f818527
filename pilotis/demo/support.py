"""The demo's demandes d'assistance: the académie de Bordeaux's four channels (AMÉRANA by e-mail,
Lycée connecté by its portal, the Landes' GLPI — credentials « landes », served by `fake_glpi` —
and the Pyrénées-Atlantiques by e-mail), its routing table, and two requests of the Landes
collège asked to be sent (one by e-mail to AMÉRANA, one to the Landes' GLPI): the worker sends
them. Everything goes through the services, as the DANE and the RUPN would."""

from django.utils.translation import gettext as _

from pilotis.support import services
from pilotis.support.enums import ChannelWay, RequestCategory
from pilotis.support.models import Channel, SupportRequest
from pilotis.territories.models import Department

FAKE_GLPI_URL = "http://127.0.0.1:8190/apirest.php"


def load_support(users, college, stdout) -> None:
    academy = college.department.academy
    dane, rupn = users["dane"], users["rupn"]
    if Channel.objects.filter(academy=academy).exists():
        return

    def channel(name, way, **kw):
        return services.save_channel(academy, services.ChannelInput(name=name, way=way, **kw), by=dane)

    amerana = channel("AMÉRANA", ChannelWay.EMAIL, email="amerana@ac-bordeaux.invalid")
    lycee = channel("Lycée connecté", ChannelWay.LINK, portal_url="https://www.lyceeconnecte.fr/")
    landes = channel(
        "Département des Landes",
        ChannelWay.GLPI,
        glpi_url=FAKE_GLPI_URL,
        glpi_credentials="landes",
        glpi_categories={RequestCategory.NETWORK: 12, RequestCategory.DEVICES: 14},
    )
    pyrenees = channel("Département des Pyrénées-Atlantiques", ChannelWay.EMAIL, email="assistance@le64.invalid")

    for category in RequestCategory.values:
        services.set_route(academy, category=category, channel=amerana, by=dane)
    for kind in ("lycee_gt", "lycee_pro", "lycee_poly", "lycee"):
        services.set_route(academy, category=RequestCategory.ENT, school_kind=kind, channel=lycee, by=dane)
    for code, target in (("040", landes), ("064", pyrenees)):
        department = Department.objects.filter(academy=academy, code=code).first()
        if department is None:
            continue
        for category in (RequestCategory.NETWORK, RequestCategory.DEVICES):
            services.set_route(
                academy, category=category, department=department, school_kind="college", channel=target, by=dane
            )

    if SupportRequest.objects.filter(school=college).exists():
        return
    by_mail = services.record_request(
        college,
        services.RequestInput(
            subject="Pronote : les bulletins ne s'éditent plus",
            description="Depuis la mise à jour de lundi, l'édition des bulletins du 1er trimestre échoue "
            "(message « erreur 500 »). Le conseil de classe a lieu jeudi.",
            category=RequestCategory.ACADEMIC_APPS,
            urgency="high",
            place="Secrétariat de direction",
        ),
        by=rupn,
    )
    by_glpi = services.record_request(
        college,
        services.RequestInput(
            subject="Le wifi du CDI coupe toutes les dix minutes",
            description="Les tablettes du CDI perdent le réseau toutes les dix minutes environ, depuis les "
            "vacances. Les autres salles ne sont pas touchées.",
            category=RequestCategory.NETWORK,
            urgency="normal",
            place="CDI, rez-de-chaussée",
            equipment="Borne wifi du CDI",
        ),
        by=rupn,
    )
    queued = 0
    for request in (by_mail, by_glpi):
        # Without SUPPORT_GLPI["landes"] (see arch-notes) the GLPI one stays a draft, saying why.
        if not services.sending_problem(request):
            services.ask_to_send(request, by=rupn)
            queued += 1
    stdout.write(
        _("  Assistance : 4 canaux, la table de routage de l'académie, 2 demandes du collège (%(n)d en cours d'envoi)")
        % {"n": queued}
    )
