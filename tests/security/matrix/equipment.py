"""The permission matrix's rows of `equipment`: whoever reads school A reads its needs and downloads
its « Demande d'équipement »; its direction and RUPN record, edit, change the state of and delete a
need (403 for its other readers); its direction alone ranks and transmits (403 for the RUPN and the
members). The territory's figures and the collectivités' page are the territorial roles'; a
collectivité's address is set by the DANE of its académie (and the administrator); everyone else: 404."""

from pilotis.equipment import services
from pilotis.equipment.enums import Funder, NeedState
from pilotis.equipment.models import Collectivity, Need, NeedEvent


def _need(w, state=NeedState.IDENTIFIED):
    need = services.record_need(
        w.school_a,
        services.NeedInput(category="network", object="Bornes wifi", quantity=4, funder=Funder.DEPARTMENT),
        by=w.rupn_a,
    )
    if state == NeedState.PRIORITISED:
        need = services.change_state(need, NeedState.PRIORITISED, by=w.chef_a)
    return need


def need(w):
    return [w.school_a.uai, _need(w).pk]


def prioritised_need(w):
    return [w.school_a.uai, _need(w, NeedState.PRIORITISED).pk]


def request_of_a(w):
    _need(w, NeedState.PRIORITISED)
    return [w.school_a.uai, "departement"]


def need_data(w):
    return {"category": "display", "object": "Vidéoprojecteur", "quantity": "2", "funder": "department"}


def edit_data(w):
    latest = Need.objects.filter(school=w.school_a).latest("pk")
    return {**need_data(w), "seen_revision": latest.revision}


def state_data(w):
    latest = Need.objects.filter(school=w.school_a).latest("pk")
    return {"target": "identified", "note": "Pas cette année", "seen_revision": latest.revision}


def rank_data(w):
    needs = list(services.rankable(w.school_a))
    return {"seen": services.stamp(needs), **{f"rank_{n.pk}": "1" for n in needs}}


def transmit_data(w):
    return {"seen": services.stamp(list(services.request_needs(w.school_a, Funder.DEPARTMENT)))}


def landes(w):
    return [w.landes.code]


def bordeaux(w):
    return [w.bordeaux.code]


def collectivity_data(w):
    return {"name": "Département des Landes", "email": "equipement@landes.example.org"}


def snapshot():
    return (
        sorted(Need.objects.values_list("pk", "object", "state", "rank", "revision")),
        sorted(NeedEvent.objects.values_list("pk", "to_state")),
        sorted(Collectivity.objects.values_list("pk", "name", "email")),
    )


def extend(matrix):
    statuses, readers, writers, direction = (
        matrix.statuses,
        matrix.SCHOOL_A_READERS,
        matrix.FILLERS_A,
        matrix.DIRECTION_A,
    )
    read = statuses(404, s200=readers)
    write = statuses(404, s302=writers, s403=readers - writers)
    rank = statuses(404, s302=direction, s403=readers - direction)
    territorial = statuses(404, s200=matrix.TERRITORIAL)
    manage = statuses(404, s302=matrix.DANE_BORDEAUX)
    matrix.MATRIX.update(
        {
            "equipment:home": ("get", matrix.school_a, None, read),
            "equipment:create": ("post", matrix.school_a, need_data, write),
            "equipment:detail": ("get", need, None, read),
            "equipment:edit": ("post", need, edit_data, write),
            "equipment:change_state": ("post", prioritised_need, state_data, write),
            "equipment:delete": ("post", need, None, write),
            "equipment:rank": ("post", matrix.school_a, rank_data, rank),
            "equipment:request_pdf": ("get", request_of_a, None, read),
            "equipment:request_ods": ("get", request_of_a, None, read),
            "equipment:transmit": ("post", request_of_a, transmit_data, rank),
            "territory_needs:overview": ("get", None, None, territorial),
            "territory_needs:export": ("get", lambda w: ["csv"], None, territorial),
            "territory_needs:collectivities": ("get", None, None, territorial),
            "territory_needs:collectivity_department": ("post", landes, collectivity_data, manage),
            "territory_needs:collectivity_region": ("post", bordeaux, collectivity_data, manage),
        }
    )
    matrix.GUARDS.update(
        {
            **dict.fromkeys(
                ["equipment:home", "equipment:detail", "equipment:request_pdf", "equipment:request_ods"],
                ("school:read",),
            ),
            **dict.fromkeys(
                ["equipment:create", "equipment:edit", "equipment:change_state", "equipment:delete"], ("need:write",)
            ),
            **dict.fromkeys(["equipment:rank", "equipment:transmit"], ("need:rank",)),
            **dict.fromkeys(["territory_needs:overview", "territory_needs:export"], ("needs:browse",)),
            "territory_needs:collectivities": ("collectivity:read",),
            **dict.fromkeys(
                ["territory_needs:collectivity_department", "territory_needs:collectivity_region"],
                ("collectivity:manage",),
            ),
        }
    )
    matrix.SNAPSHOTS.append(snapshot)
