"""Migration 0003 gives every existing letter a period of its own: the one it was signed with."""

import datetime
import importlib

from django.apps import apps

from pilotis.missions import services
from pilotis.missions.models import MissionLetter
from tests.missions.conftest import FIRST_DAY, LAST_DAY

backfill_periods = importlib.import_module("pilotis.missions.migrations.0003_letter_period").backfill_periods


def test_the_backfill_gives_a_signed_letter_the_period_it_was_signed_with(world, signed):
    designation = signed.designation
    later = FIRST_DAY + datetime.timedelta(days=30)
    services.change_designation(
        designation, starts_on=later, ends_on=LAST_DAY, imp_amount=designation.imp_amount, by=world.chef_a
    )
    draft = services.supersede_letter(signed, by=world.chef_a, seen_revision=signed.revision)
    services.end_designation(designation, on=datetime.date.today(), by=world.chef_a)
    MissionLetter.objects.update(starts_on=None, ends_on=None)  # as the rows were before the migration

    backfill_periods(apps, None)

    signed, draft = MissionLetter.objects.get(pk=signed.pk), MissionLetter.objects.get(pk=draft.pk)
    # The journal's first change after the signature holds the period signed, before it.
    assert (signed.starts_on, signed.ends_on) == (FIRST_DAY, LAST_DAY)
    # A letter not signed states the designation's current period.
    assert (draft.starts_on, draft.ends_on) == (later, datetime.date.today())


def test_the_backfill_without_any_change_copies_the_designation(world, draft):
    MissionLetter.objects.update(starts_on=None, ends_on=None)
    backfill_periods(apps, None)
    assert MissionLetter.objects.get(pk=draft.pk).period == (FIRST_DAY, LAST_DAY)
    assert MissionLetter.objects.filter(starts_on=FIRST_DAY, ends_on=LAST_DAY).count() == 1
