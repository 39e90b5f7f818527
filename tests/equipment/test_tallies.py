"""The territory's counters equal a count of the needs after every write, and follow schools that
change département, close or reopen."""

from collections import Counter
from decimal import Decimal

from pilotis.equipment import services, tallies
from pilotis.equipment.enums import NeedCategory
from pilotis.equipment.models import Need, NeedTally
from pilotis.territories.models import School
from pilotis.territories.signals import schools_regrouped
from tests.equipment.conftest import record


def counted_from_the_rows():
    out = Counter()
    for need in Need.objects.filter(school__is_open=True).select_related("school"):
        k = (need.school.department_id, need.category, need.funder, need.state)
        out[k + ("needs",)] += 1
        out[k + ("quantity",)] += need.quantity
        out[k + ("cents",)] += int((need.estimated_cost or Decimal(0)) * 100)
    return +out


def counters():
    out = Counter()
    for row in NeedTally.objects.all():
        k = (row.department_id, row.category, row.funder, row.state)
        out[k + ("needs",)] += row.needs
        out[k + ("quantity",)] += row.quantity
        out[k + ("cents",)] += row.cost_cents
    return +out


def test_every_write_moves_the_counters_as_a_count_would(world):
    first = record(world, quantity=3, estimated_cost=Decimal("1234.56"))
    second = record(world, category=NeedCategory.NETWORK, estimated_cost=None)
    record(world, school=world.school_b, by=world.rupn_b, funder="region")
    assert counters() == counted_from_the_rows() != Counter()

    services.record_need(
        world.school_a,
        services.NeedInput(**{**_input_of(first), "quantity": 5, "category": NeedCategory.TABLETS}),
        by=world.rupn_a,
        need=first,
    )
    assert counters() == counted_from_the_rows()

    services.change_state(first, "prioritised", by=world.chef_a)
    assert counters() == counted_from_the_rows()

    services.delete_need(Need.objects.get(pk=second.pk), by=world.rupn_a)
    assert counters() == counted_from_the_rows()
    assert sum(row.needs for row in NeedTally.objects.all()) == 2


def test_the_ranking_and_the_request_move_them_too(world):
    needs = [record(world, object=f"Besoin {n}") for n in range(3)]
    page = services.rankable(world.school_a)
    services.rank_needs(
        world.school_a, {needs[0].pk: 1, needs[1].pk: 2, needs[2].pk: None}, by=world.chef_a, seen=services.stamp(page)
    )
    assert counters() == counted_from_the_rows()
    assert NeedTally.objects.get(state="prioritised").needs == 2


def test_a_closed_school_counts_nowhere_and_counts_again_when_it_reopens(world):
    record(world, quantity=4)
    record(world, school=world.school_b, by=world.rupn_b, funder="region")
    School.objects.filter(pk=world.school_a.pk).update(is_open=False)
    schools_regrouped.send(sender=None, school_ids=[world.school_a.pk])
    assert counters() == counted_from_the_rows()
    assert not NeedTally.objects.filter(department=world.landes, needs__gt=0).exists()

    School.objects.filter(pk=world.school_a.pk).update(is_open=True)
    schools_regrouped.send(sender=None, school_ids=[world.school_a.pk])
    assert counters() == counted_from_the_rows()
    assert NeedTally.objects.get(department=world.landes).quantity == 4


def test_a_school_that_changes_departement_takes_its_needs_along(world):
    record(world, quantity=2)
    School.objects.filter(pk=world.school_a.pk).update(department=world.gironde)
    schools_regrouped.send(sender=None, school_ids=[world.school_a.pk])
    assert counters() == counted_from_the_rows()
    assert NeedTally.objects.get(department=world.gironde, needs__gt=0).quantity == 2
    assert not NeedTally.objects.filter(department=world.landes, needs__gt=0).exists()


def test_rebuild_gives_the_same_counters(world):
    record(world, quantity=3)
    record(world, school=world.school_b, by=world.rupn_b, funder="region", estimated_cost=Decimal("0.10"))
    before = counters()
    NeedTally.objects.all().delete()
    tallies.rebuild()
    assert counters() == before == counted_from_the_rows()


def _input_of(need):
    return {
        "category": need.category,
        "object": need.object,
        "quantity": need.quantity,
        "funder": need.funder,
        "place": need.place,
        "why": need.why,
        "indicator_codes": need.indicator_codes,
        "estimated_cost": need.estimated_cost,
    }
