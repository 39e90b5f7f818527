"""The permission matrix's rows of the API (`api`, /api/v1/, read with the session here; tokens
have their own tests in tests/api/) and of the tokens' pages (`api_tokens`, /compte/jetons/).

Lists answer everyone signed in, each their own rows (an empty list for an account without a
role); what hangs under school A is school A's readers' (404 for anyone else); the territory's
figures are the Bordeaux steering roles'. Tokens are their holder's own: anyone else gets a 404,
and an account without any role has no token pages."""

import datetime

from django.utils import timezone

from pilotis.api import services
from pilotis.api.models import AccessToken
from tests.security.matrix.plans import plan_of_a

WITH_A_ROLE = {
    "chef_a",
    "adjoint_a",
    "rupn_a",
    "member_a",
    "rupn_b",
    "chef_c",
    "correspondant_40",
    "correspondant_64",
    "dane",
    "dane_rennes",
    "admin",
}


def token_of_rupn_a(w):
    token = AccessToken.objects.filter(user=w.rupn_a).first()
    if token is None:
        token, _secret = services.create_token(
            w.rupn_a, name="Script", expires_on=timezone.localdate() + datetime.timedelta(days=10)
        )
    return [token.pk]


def token_data(w):
    return {"name": "Tableau de bord", "expires_on": (timezone.localdate() + datetime.timedelta(days=30)).isoformat()}


def snapshot():
    return sorted(AccessToken.objects.values_list("pk", "user_id", "revoked_at", "expires_at"))


def extend(matrix):
    statuses = matrix.statuses
    readers = matrix.SCHOOL_A_READERS
    school_a = statuses(404, s200=readers)

    def plan_args(w):
        return [w.school_a.uai, plan_of_a(matrix, w).pk]

    def assessment_args(w):
        return [w.school_a.uai, matrix.assessment_of_a(w).pk]

    matrix.MATRIX.update(
        {
            "api:schools": ("get", None, None, statuses(200)),
            "api:school": ("get", matrix.school_a, None, school_a),
            "api:assessments": ("get", matrix.school_a, None, school_a),
            "api:assessment": ("get", assessment_args, None, school_a),
            "api:plans": ("get", matrix.school_a, None, school_a),
            "api:actions": ("get", plan_args, None, school_a),
            "api:campaigns": ("get", None, None, statuses(200)),
            "api:figures": ("get", matrix.bordeaux_campaign, None, statuses(404, s200=matrix.BORDEAUX_STEERING)),
            "api:trends": ("get", matrix.bordeaux_campaign, None, statuses(404, s200=matrix.BORDEAUX_STEERING)),
            "api:fiches": ("get", None, None, statuses(200)),
            "api:schema": ("get", None, None, statuses(200)),
            "api:docs": ("get", None, None, statuses(200)),
            "api_tokens:list": ("get", None, None, statuses(404, s200=WITH_A_ROLE)),
            "api_tokens:create": ("post", None, token_data, statuses(404, s200=WITH_A_ROLE)),
            "api_tokens:revoke": ("post", token_of_rupn_a, None, statuses(404, s302={"rupn_a"})),
        }
    )
    matrix.GUARDS.update(
        {
            **dict.fromkeys(
                ["api:schools", "api:campaigns", "api:fiches", "api:schema", "api:docs"],
                ("api:read",),
            ),
            **dict.fromkeys(
                ["api:school", "api:assessments", "api:assessment", "api:plans", "api:actions"],
                ("school:read",),
            ),
            "api:figures": ("steering:read",),
            "api:trends": ("steering:read",),
            "api_tokens:list": ("api_token:manage",),
            "api_tokens:create": ("api_token:manage",),
            "api_tokens:revoke": ("api_token:manage",),
        }
    )
    matrix.SNAPSHOTS.append(snapshot)
