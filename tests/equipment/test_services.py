from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from pilotis.core.models import AuditEvent
from pilotis.equipment import services
from pilotis.equipment.enums import Funder, NeedState
from pilotis.equipment.models import Need, NeedEvent, default_funder
from tests.equipment.conftest import need_input, prioritised, record


def test_recording_a_need_starts_it_identified_with_its_event_and_audit(world):
    need = record(world)
    assert need.state == NeedState.IDENTIFIED and need.rank is None
    assert list(need.events.values_list("to_state", flat=True)) == ["identified"]
    assert AuditEvent.objects.filter(action="need_recorded", object_id=str(need.pk)).exists()


@pytest.mark.parametrize(
    ("overrides", "message"),
    [
        ({"quantity": 0}, "La quantité doit être un nombre entier d'au moins 1."),
        ({"quantity": -3}, "La quantité doit être un nombre entier d'au moins 1."),
        ({"estimated_cost": Decimal("-1")}, "Le coût estimé ne peut pas être négatif."),
        ({"object": "  "}, "Indiquez l'objet."),
        ({"category": "cars"}, "Choisissez une catégorie de la liste."),
        ({"funder": "city"}, "Choisissez le financeur : Département, Région, établissement ou État."),
        ({"object": "Écran\u202e"}, "L'objet contient un caractère interdit."),
    ],
)
def test_bad_input_is_refused_in_french_and_nothing_is_written(world, overrides, message):
    with pytest.raises(ValidationError) as error:
        record(world, **overrides)
    assert error.value.messages == [message]
    assert not Need.objects.exists()


def test_indicator_codes_are_checked_against_the_referential(world, referential):
    need = record(world, indicator_codes=["INF.1.02", "PED.1.01", "INF.1.02"])
    assert need.indicator_codes == ["INF.1.02", "PED.1.01"]
    with pytest.raises(ValidationError) as error:
        record(world, indicator_codes=["INF.9.99"])
    assert "« INF.9.99 » n'est pas dans le référentiel" in error.value.messages[0]


def test_infrastructure_indicators_are_offered_first(world, referential):
    codes = [i.code for i in services.indicators_for(world.school_a)]
    assert codes[0].startswith("INF.") and not codes[-1].startswith("INF.")
    assert "PIL.1.01" in codes


def test_default_funder_is_the_departement_for_a_college_and_the_region_for_a_lycee(world):
    assert default_funder(world.school_a) == Funder.DEPARTMENT
    assert default_funder(world.school_b) == Funder.REGION


def test_only_the_school_writers_record(world):
    with pytest.raises(PermissionDenied):
        record(world, by=world.member_a)
    with pytest.raises(PermissionDenied):
        record(world, by=world.correspondant_40)


def test_forbidden_jumps_are_refused_with_a_sentence(world):
    need = record(world)
    with pytest.raises(ValidationError) as error:
        services.change_state(need, NeedState.DELIVERED, by=world.rupn_a)
    assert error.value.messages == ["Un besoin ne peut être livré qu'une fois accordé."]
    with pytest.raises(ValidationError) as error:
        services.change_state(need, NeedState.GRANTED, by=world.rupn_a)
    assert error.value.messages == ["Un besoin ne peut être accordé qu'une fois transmis à la collectivité."]
    need.refresh_from_db()
    assert need.state == NeedState.IDENTIFIED and need.events.count() == 1


def test_the_rupn_does_not_prioritise_the_direction_does(world):
    need = record(world)
    with pytest.raises(ValidationError, match="Seule la direction"):
        services.change_state(need, NeedState.PRIORITISED, by=world.rupn_a)
    need = services.change_state(need, NeedState.PRIORITISED, by=world.chef_a, note="Urgent")
    assert need.state == NeedState.PRIORITISED and need.rank == 1
    event = need.events.latest("pk")
    assert (event.from_state, event.to_state, event.note, event.by) == (
        "identified",
        "prioritised",
        "Urgent",
        world.chef_a,
    )


def test_a_whole_life_of_a_need_is_dated_event_by_event(world):
    need = prioritised(world)
    for target in (NeedState.TRANSMITTED, NeedState.GRANTED, NeedState.DELIVERED):
        need = services.change_state(need, target, by=world.rupn_a, note=f"note {target}")
    assert list(need.events.values_list("to_state", flat=True)) == [
        "identified", "prioritised", "transmitted", "granted", "delivered",
    ]  # fmt: skip
    assert AuditEvent.objects.filter(action="need_state_changed").count() == 4


def test_a_refused_need_goes_back_to_identified_and_loses_its_rank(world):
    need = prioritised(world)
    need = services.change_state(need, NeedState.TRANSMITTED, by=world.chef_a)
    need = services.change_state(need, NeedState.REFUSED, by=world.chef_a, note="Budget épuisé")
    need = services.change_state(need, NeedState.IDENTIFIED, by=world.chef_a)
    assert need.state == NeedState.IDENTIFIED and need.rank is None


def test_a_stale_edit_writes_nothing(world):
    need = record(world)
    services.record_need(world.school_a, need_input(quantity=3), by=world.chef_a, need=need, seen_revision=0)
    with pytest.raises(services.StaleNeed):
        services.record_need(world.school_a, need_input(quantity=9), by=world.rupn_a, need=need, seen_revision=0)
    need.refresh_from_db()
    assert need.quantity == 3 and need.revision == 1


def test_a_transmitted_need_is_not_edited(world):
    need = services.change_state(prioritised(world), NeedState.TRANSMITTED, by=world.chef_a)
    with pytest.raises(ValidationError, match="ne se modifie plus"):
        services.record_need(world.school_a, need_input(quantity=9), by=world.rupn_a, need=need)


def test_ranking_orders_the_numbered_needs_and_returns_the_blank_ones_to_identified(world):
    a, b, c = record(world, object="A"), record(world, object="B"), record(world, object="C")
    needs = list(services.rankable(world.school_a))
    chosen = services.rank_needs(
        world.school_a, {a.pk: 5, b.pk: 2, c.pk: None}, by=world.chef_a, seen=services.stamp(needs)
    )
    assert [n.object for n in chosen] == ["B", "A"]
    assert dict(Need.objects.values_list("object", "rank")) == {"A": 2, "B": 1, "C": None}
    assert set(Need.objects.filter(state="prioritised").values_list("object", flat=True)) == {"A", "B"}
    # Then B leaves the priorities: it goes back to identified, A is first.
    needs = list(services.rankable(world.school_a))
    services.rank_needs(world.school_a, {a.pk: 1, b.pk: None, c.pk: None}, by=world.chef_a, seen=services.stamp(needs))
    assert dict(Need.objects.values_list("object", "state")) == {
        "A": "prioritised",
        "B": "identified",
        "C": "identified",
    }
    assert AuditEvent.objects.filter(action="needs_ranked").count() == 2


def test_ranking_refuses_a_stale_list_and_the_rupn(world):
    a = record(world)
    seen = services.stamp(list(services.rankable(world.school_a)))
    record(world, object="Nouveau")
    with pytest.raises(services.StaleNeed):
        services.rank_needs(world.school_a, {a.pk: 1}, by=world.chef_a, seen=seen)
    with pytest.raises(PermissionDenied):
        services.rank_needs(world.school_a, {a.pk: 1}, by=world.rupn_a, seen=seen)
    assert not Need.objects.filter(state="prioritised").exists()


def test_deleting_keeps_a_trace_in_the_journal(world):
    need = record(world)
    services.delete_need(need, by=world.rupn_a)
    assert not Need.objects.exists() and not NeedEvent.objects.exists()
    assert AuditEvent.objects.get(action="need_deleted").before["object"] == "Vidéoprojecteur interactif"


def test_the_collectivity_is_set_by_the_dane_of_its_academie_only(world):
    from pilotis.equipment.enums import CollectivityKind

    with pytest.raises(PermissionDenied):
        services.set_collectivity(
            world.bordeaux, kind=CollectivityKind.REGION, name="Région", by=world.correspondant_40
        )
    with pytest.raises(PermissionDenied):
        services.set_collectivity(world.bordeaux, kind=CollectivityKind.REGION, name="Région", by=world.dane_rennes)
    with pytest.raises(ValidationError, match="département de l'académie"):
        services.set_collectivity(
            world.bordeaux, kind=CollectivityKind.DEPARTMENT, department=world.ille, name="X", by=world.dane
        )
    region = services.set_collectivity(
        world.bordeaux, kind=CollectivityKind.REGION, name="Région Nouvelle-Aquitaine", email="", by=world.dane
    )
    again = services.set_collectivity(
        world.bordeaux, kind=CollectivityKind.REGION, name="Région Nouvelle-Aquitaine", email="LYCEES@NA.example.org",
        by=world.dane,
    )  # fmt: skip
    assert again.pk == region.pk and again.email == "lycees@na.example.org"
    assert services.collectivity_of(world.school_b, Funder.REGION) == again
    assert AuditEvent.objects.filter(action="collectivity_changed").count() == 2
