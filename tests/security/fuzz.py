"""What the fuzz tests share: arbitrary values (NASTY), ids no column holds (OUT_OF_RANGE), the
Hypothesis settings that keep them cheap, and posting without a server error."""

from contextlib import contextmanager

from django.db import transaction
from hypothesis import HealthCheck, settings
from hypothesis import strategies as st


class Long(str):
    """A 10,000-character value that prints short in Hypothesis reports."""

    def __repr__(self):
        return f"<{len(self)} characters>"


# Ids and numbers no column holds, or not numbers at all: an invalid choice or value, never a 500.
OUT_OF_RANGE_VALUES = [
    "99999999999999999999999",
    str(2**63),
    str(2**64),
    str(2**63 - 1),
    str(-(2**63) - 1),
    "-1",
    "-99999999999999999999999",
    "1.5",
    "1e309",
    "NaN",
    "abc",
    " 7 ",
]
OUT_OF_RANGE = st.one_of(
    st.sampled_from(OUT_OF_RANGE_VALUES),
    st.integers(min_value=2**31, max_value=2**80).map(str),
    st.integers(max_value=-1).map(str),
    st.floats(allow_nan=True, allow_infinity=True).map(str),
)
NASTY = st.one_of(
    OUT_OF_RANGE,
    st.text(max_size=50),
    st.text(alphabet=st.characters(codec="utf-8"), min_size=1, max_size=30).map(lambda s: s + "\x00" + s),
    st.just("x" * 10_000).map(Long),
    st.sampled_from(["=1+1", "<script>alert(1)</script>", "' OR 1=1 --", "\u202e\u0000", "é" * 300, "0400003L"]),
)
SETTINGS = settings(max_examples=15, deadline=None, suppress_health_check=list(HealthCheck))


def post_ok(client, url, data, **extra):
    response = client.post(url, data, **extra)
    assert response.status_code < 500, (url, data, response.status_code)
    return response


@contextmanager
def rolled_back():
    with transaction.atomic():
        yield
        transaction.set_rollback(True)
