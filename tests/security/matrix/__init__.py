"""The permission matrix's rows of the apps of the top layer, one module per app or part (see
`tests/security/test_permission_matrix.py`)."""

from tests.security.matrix import (
    accompaniment,
    commission,
    digital_services,
    equipment,
    evidence,
    exports,
    fiche_catalogue,
    fiches,
    news,
    newsletters,
    plans,
    plans_documents,
    plans_loop,
    steering_plans,
    steering_workshops,
    support,
    workshops,
)

MATRIX_EXTENSIONS = [
    plans,
    plans_documents,
    plans_loop,
    commission,
    accompaniment,
    steering_plans,
    steering_workshops,
    fiches,
    fiche_catalogue,
    workshops,
    evidence,
    digital_services,
    support,
    equipment,
    newsletters,
    news,
    exports,
]
