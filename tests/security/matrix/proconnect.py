"""The permission matrix's rows of ProConnect's sign-in (/compte/proconnect/…). This suite runs
without ProConnect configured: its pages do not exist, for anyone (404, journaled). Configured,
they are public (tests/accounts/test_proconnect_pages.py)."""


def extend(matrix):
    statuses = matrix.statuses
    matrix.MATRIX.update(
        {
            "accounts:proconnect_login": ("get", None, None, statuses(404)),
            "accounts:proconnect_callback": ("get", None, None, statuses(404)),
        }
    )
    matrix.GUARDS.update(
        {
            "accounts:proconnect_login": ("proconnect:sign_in",),
            "accounts:proconnect_callback": ("proconnect:sign_in",),
        }
    )
