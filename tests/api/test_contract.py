"""The contract, fuzzed: schemathesis generates requests from the committed schema (bounded, so
that the whole run fits the suite) and sends them with a token of the DANE of Bordeaux, through
Django's WSGI application. Every response: no 5xx, a status the schema declares, a body that
conforms to it. Query parameters are generated valid and invalid (the invalid ones must be a
declared 4xx); path parameters both generated and pointing at the world's real rows, so that the
200 bodies are checked too. Nothing the requests carried (NUL characters…) may be stored."""

import re
from pathlib import Path

import pytest
import schemathesis
from django.core.signals import request_finished, request_started
from django.core.wsgi import get_wsgi_application
from django.db import close_old_connections
from hypothesis import HealthCheck, Phase, given
from hypothesis import settings as hypothesis_settings
from schemathesis import GenerationMode
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import response_schema_conformance, status_code_conformance

import pilotis.api
from pilotis.api.models import AccessToken
from pilotis.assessments.models import Campaign
from pilotis.core.models import AuditEvent
from tests.api.conftest import token_for

SCHEMA = schemathesis.openapi.from_path(Path(pilotis.api.__file__).parent / "openapi.yaml")
CHECKS = [not_a_server_error, status_code_conformance, response_schema_conformance]
EXAMPLES = 12

pytestmark = pytest.mark.django_db


def fuzz(strategy, run):
    @given(case=strategy)
    @hypothesis_settings(
        max_examples=EXAMPLES,
        deadline=None,
        database=None,
        derandomize=True,
        phases=[Phase.explicit, Phase.generate],
        suppress_health_check=list(HealthCheck),
    )
    def each(case):
        run(case)

    each()


@pytest.fixture
def wsgi_app():
    """Django's WSGI application within the test's transaction: as Django's test client does, the
    connection is not closed at the end of each request (PostgreSQL would lose the test's rows)."""
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    yield get_wsgi_application()
    request_started.connect(close_old_connections)
    request_finished.connect(close_old_connections)


def test_the_whole_schema_holds_under_fuzzing(world, rows, settings, wsgi_app):
    settings.API_THROTTLE_RATE = "100000/min"  # the fuzzer is one caller with many requests
    _token, secret = token_for(world.dane)
    headers = {"Authorization": f"Bearer {secret}"}
    app = wsgi_app
    real = {
        "uai": world.school_a.uai,
        "campaign": str(Campaign.objects.get(academy=world.bordeaux).pk),
        "plan": str(rows["plan"].pk),
    }

    seen = {}

    def run(case):
        response = case.call_and_validate(app=app, headers=headers, checks=CHECKS)
        seen.setdefault(operation.label, set()).add(response.status_code)

    operations = [result.ok() for result in SCHEMA.get_all_operations()]
    assert len(operations) == 10
    for operation in operations:
        names = re.findall(r"{(\w+)}", operation.path)
        fuzz(operation.as_strategy(GenerationMode.POSITIVE), run)
        fuzz(operation.as_strategy(GenerationMode.NEGATIVE), run)
        if names:
            fixed = {name: real[name] for name in names}
            fuzz(operation.as_strategy(GenerationMode.POSITIVE, path_parameters=fixed), run)
            fuzz(operation.as_strategy(GenerationMode.NEGATIVE, path_parameters=fixed), run)

    # The run reached every operation, its real rows (200) and its refusals (400, 404).
    assert set(seen) == {operation.label for operation in operations}
    assert all(200 in codes for codes in seen.values()), seen
    assert {400, 404} <= set().union(*seen.values()), seen

    stored = [
        *AuditEvent.objects.values_list("actor_label", "object_label", "before", "after"),
        *AccessToken.objects.values_list("name", "prefix"),
    ]
    assert "\x00" not in repr(stored) and "\\x00" not in repr(stored) and "\\u0000" not in repr(stored)
