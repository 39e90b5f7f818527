"""The permission matrix's rows of the apps of the top layer, one module per app (see
`tests/security/test_permission_matrix.py`)."""

from tests.security.matrix import accompaniment, commission, plans

MATRIX_EXTENSIONS = [plans, commission, accompaniment]
