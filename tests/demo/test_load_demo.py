"""`load_demo`: run twice, it duplicates nothing; the schools come through the same importer as production."""

import io

import pytest
from django.apps import apps
from django.core import mail
from django.core.management import call_command

from pilotis.core.enums import AuditAction
from pilotis.core.models import AuditEvent
from pilotis.demo.management.commands.load_demo import PEOPLE
from pilotis.steering import plan_tallies

# Transactional: the demo sends its e-mails on commit, as production does.
pytestmark = [pytest.mark.slow, pytest.mark.django_db(transaction=True)]


def row_counts() -> dict[str, int]:
    return {model._meta.label: model._default_manager.count() for model in apps.get_models()}


def load_demo() -> list[str]:
    out = io.StringIO()
    call_command("load_demo", verbosity=0, stdout=out)
    return out.getvalue().splitlines()


def test_load_demo_twice_duplicates_nothing(settings, capsys):
    # As in development (`make demo`): e-mails would be printed on the console.
    settings.MAILERS = {"default": {"BACKEND": "django.core.mail.backends.console.EmailBackend"}}

    output = load_demo()
    before = row_counts()
    assert before["territories.School"] == 589
    # The seeded plans are bulk-written: the territory's plan counters were rebuilt after them.
    assert plan_tallies.stored().plans
    assert plan_tallies.stored() == plan_tallies.compute()

    # The demo's own e-mails (its lettre de mission proposed, then answered) stayed in memory…
    assert mail.outbox
    assert capsys.readouterr().out == ""
    # … and the accounts are the last thing shown.
    assert output[-len(PEOPLE) - 1] == "Comptes de démonstration (mot de passe : demo)"
    assert [line.split()[0] for line in output[-len(PEOPLE) :]] == [username for username, *_ in PEOPLE]

    output = load_demo()
    after = row_counts()

    # The second import is journaled, as every import is; nothing else gains a row.
    new_events = AuditEvent.objects.order_by("-pk")[: after["core.AuditEvent"] - before["core.AuditEvent"]]
    assert [(e.action, e.after["created"], e.after["updated"]) for e in new_events] == [(AuditAction.IMPORT, 0, 0)]
    assert after == before | {"core.AuditEvent": before["core.AuditEvent"] + 1}
    assert "Inchangés : 589" in output
    assert output[-len(PEOPLE) - 1] == "Comptes de démonstration (mot de passe : demo)"
