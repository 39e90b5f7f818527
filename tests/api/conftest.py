"""The API's tests: a persona's token, a client that sends it, and the world's rows the API shows
(school A's self-assessments, its plan and action, fiches published and drafted in three schools)."""

import datetime

import pytest
from django.core.cache import cache
from django.test import Client
from django.utils import timezone

from pilotis.api import services
from pilotis.fiches.enums import FicheState, Visibility
from tests.fiches.test_catalogue_support import make_fiche
from tests.security import test_permission_matrix as matrix
from tests.security.matrix.plans import plan_of_a


@pytest.fixture(autouse=True)
def _fresh_cache():
    """Throttle budgets and the refusals' audit window live in the cache: each test starts afresh."""
    cache.clear()
    yield
    cache.clear()


def token_for(user, *, days=30, name="Équipe données"):
    return services.create_token(user, name=name, expires_on=timezone.localdate() + datetime.timedelta(days=days))


class TokenClient(Client):
    """Django's test client, sending `Authorization: Bearer <secret>` on every request."""

    def __init__(self, secret, **kwargs):
        super().__init__(headers={"Authorization": f"Bearer {secret}"}, **kwargs)


@pytest.fixture
def api_for(world):
    """A client holding a fresh token of the named persona."""

    def _client(name):
        _token, secret = token_for(world.persona(name))
        return TokenClient(secret)

    return _client


@pytest.fixture
def rows(world):
    """School A's validated self-assessment and plan; fiches: A's shared with the académie, A's
    draft, A's published for the school alone, C's (Rennes) shared with its académie."""
    plan = plan_of_a(matrix, world)
    shared_a = make_fiche(world.school_a, "Tablettes en SVT", disciplines=["svt"])
    draft_a = make_fiche(world.school_a, "Brouillon", state=FicheState.DRAFT)
    school_only_a = make_fiche(world.school_a, "Pour l’établissement", visibility=Visibility.SCHOOL)
    shared_c = make_fiche(world.school_c, "Podcasts à Rennes")
    return {"plan": plan, "fiches": (shared_a, draft_a, school_only_a, shared_c)}
