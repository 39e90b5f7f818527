"""Arbitrary input on the register's form — Unicode, NUL, 10,000 characters, ids no column holds —
is never a 5xx and never stores a NUL or a control character."""

from django.urls import reverse
from hypothesis import given

from pilotis.digital_services.models import DigitalService
from tests.digital_services.conftest import record
from tests.security.fuzz import NASTY, SETTINGS, post_ok, rolled_back

FIELDS = ["kind", "name", "address", "outside_administrator", "support_channel", "note"]


def nothing_bad_stored():
    for row in DigitalService.objects.values_list(*FIELDS):
        assert not any("\x00" in value or "\u202e" in value for value in row), row


@SETTINGS
@given(kind=NASTY, name=NASTY, address=NASTY, since=NASTY, admin=NASTY, note=NASTY, revision=NASTY)
def test_the_form_takes_anything_without_a_server_error(
    world, client_for, kind, name, address, since, admin, note, revision
):
    client = client_for("rupn_a")
    service = DigitalService.objects.first() or record(world)
    with rolled_back():
        for url in (
            reverse("digital_services:create", args=[world.school_a.uai]),
            reverse("digital_services:edit", args=[world.school_a.uai, service.pk]),
        ):
            post_ok(
                client,
                url,
                {
                    "kind": kind,
                    "name": name,
                    "address": address,
                    "administrators": [admin],
                    "outside_administrator": name,
                    "since": since,
                    "support_channel": note,
                    "note": note,
                    "seen_revision": revision,
                },
            )
            post_ok(client, url, {"kind": "ent", "name": name, "note": note, "since": since})
        nothing_bad_stored()
    post_ok(client, reverse("digital_services:home", args=[world.school_a.uai]) + "?nature=x", {})
