"""The demo's equipment needs: at the Landes collège, a need in every state, linked to
Infrastructure indicators, recorded by the RUPN, ranked and sent by the direction; two needs of
the Pyrénées-Atlantiques lycée, identified by its RUPN; a few needs in other schools of the
académie, recorded by their RUPN, so that Pilotage's « Besoins d'équipement » has figures. The
collectivités: the Landes' and the Pyrénées-Atlantiques' Départements with an address, the Région
without one (the case where a school downloads its request). Everything goes through the services,
as people would; the request e-mails are recorded, not sent, until the worker runs."""

from decimal import Decimal

from django.db import transaction
from django.utils.translation import gettext as _

from pilotis.accounts.enums import SchoolRole
from pilotis.accounts.models import SchoolMembership
from pilotis.equipment import services
from pilotis.equipment.enums import CollectivityKind, NeedState
from pilotis.equipment.models import Need, default_funder

# (category, object, quantity, place, why, indicators, cost, the states it goes through)
COLLEGE = [
    ("network", "Bornes wifi pour le bâtiment B", 6, "Bâtiment B, étages 1 et 2",
     "Le bâtiment B n'a pas de wifi : les classes mobiles ne peuvent pas s'y connecter.",
     ["INF.1.02"], "4800", [NeedState.PRIORITISED, NeedState.TRANSMITTED, NeedState.GRANTED, NeedState.DELIVERED]),
    ("display", "Vidéoprojecteurs interactifs", 4, "Salles 12, 14, 21 et 23",
     "Quatre salles n'ont aucun affichage collectif ; les enseignants y déplacent un chariot.",
     ["INF.1.03"], "6400", [NeedState.PRIORITISED, NeedState.TRANSMITTED, NeedState.GRANTED]),
    ("tablets", "Classe mobile de 15 tablettes", 1, "CDI",
     "Pour les travaux de groupe en sciences et au CDI.",
     ["INF.2.02"], "7500", [NeedState.PRIORITISED, NeedState.TRANSMITTED, NeedState.REFUSED]),
    ("computers", "Renouvellement des postes de la salle informatique", 16, "Salle informatique",
     "Les postes ont huit ans et ne font plus tourner les logiciels de technologie.",
     ["INF.1.01"], "12800", [NeedState.PRIORITISED, NeedState.TRANSMITTED]),
    ("network", "Commutateur réseau du bâtiment A", 1, "Local technique du bâtiment A",
     "Les coupures réseau du bâtiment A interrompent les cours plusieurs fois par semaine.",
     ["INF.1.02", "INF.1.04"], "1900", [NeedState.PRIORITISED]),
    ("display", "Écran numérique interactif pour la salle de réunion", 1, "Salle de réunion",
     "Pour les conseils de classe et les réunions avec les parents.",
     ["INF.2.01"], "", [NeedState.PRIORITISED]),
    ("software", "Licences de logiciel de géométrie dynamique", 30, "",
     "", [], "", []),
]  # fmt: skip
NOTES = {
    NeedState.TRANSMITTED: "Envoyé avec la demande d'équipement de l'année.",
    NeedState.GRANTED: "Accordé par le Département en commission permanente.",
    NeedState.REFUSED: "Refusé cette année : budget épuisé, à redemander l'an prochain.",
    NeedState.DELIVERED: "Installé par le service informatique du Département.",
}
LYCEE = [
    ("computers", "Postes pour la salle de CAO", 12, "Atelier B", ["INF.1.01"], "18000"),
    ("network", "Extension du wifi à l'internat", 8, "Internat", ["INF.1.02"], ""),
]
ELSEWHERE = [
    ("display", "Vidéoprojecteurs", 3, ["INF.1.03"], "2700"),
    ("computers", "Postes pour la salle de technologie", 12, ["INF.1.01"], "9600"),
    ("network", "Bornes wifi", 4, ["INF.1.02"], "3200"),
    ("tablets", "Tablettes pour l'ULIS", 8, ["INF.2.02"], "3200"),
]


def _input(school, category, obj, quantity, codes, cost, place="", why=""):
    return services.NeedInput(
        category=category, object=obj, quantity=quantity, funder=default_funder(school), place=place, why=why,
        indicator_codes=codes, estimated_cost=Decimal(cost) if cost else None,
    )  # fmt: skip


@transaction.atomic
def load_equipment(users, college, lycee, others, stdout) -> None:
    if Need.objects.filter(school=college).exists():
        return
    academy = college.department.academy
    for department, email in [(college.department, "equipement-colleges@landes.example.fr"),
                              (lycee.department, "colleges-numerique@le64.example.fr")]:  # fmt: skip
        services.set_collectivity(
            academy, kind=CollectivityKind.DEPARTMENT, department=department,
            name=_("Département : %(name)s") % {"name": department.name}, email=email, by=users["dane"],
        )  # fmt: skip
    services.set_collectivity(academy, kind=CollectivityKind.REGION, name="Région Nouvelle-Aquitaine", by=users["dane"])

    rupn, direction = users["rupn"], users["direction"]
    for category, obj, quantity, place, why, codes, cost, steps in COLLEGE:
        need = services.record_need(college, _input(college, category, obj, quantity, codes, cost, place, why), by=rupn)
        for state in steps:
            author = direction if state in (NeedState.PRIORITISED, NeedState.TRANSMITTED) else rupn
            need = services.change_state(need, state, by=author, note=NOTES.get(state, ""))
    for category, obj, quantity, place, codes, cost in LYCEE:
        services.record_need(lycee, _input(lycee, category, obj, quantity, codes, cost, place), by=users["rupn64"])

    rupns = {
        m.school_id: m.user
        for m in SchoolMembership.objects.filter(school__in=others, role=SchoolRole.RUPN).select_related("user")
    }
    count = 0
    for index, school in enumerate(s for s in others if s.pk in rupns):
        if index >= 40:
            break
        category, obj, quantity, codes, cost = ELSEWHERE[index % len(ELSEWHERE)]
        services.record_need(school, _input(school, category, obj, quantity, codes, cost), by=rupns[school.pk])
        count += 1
    stdout.write(
        _(
            "  Besoins d'équipement : %(n)d au collège des Landes, %(l)d au lycée, %(o)d ailleurs ; collectivités : %(c)d"
        )
        % {"n": len(COLLEGE), "l": len(LYCEE), "o": count, "c": 3}
    )
