"""Concurrent saves keep every answer and its history, and a validation is never followed by a
write, with real concurrent requests: a gunicorn server (4 processes × 4 threads) on its own
database — a SQLite file in WAL mode, or a throwaway PostgreSQL database when the suite runs on
PostgreSQL — and 20 clients hitting the autosave at the same moment, or a validation racing a
batch of autosaves (on a school of its own, so that the tests do not depend on their order).
"""

import datetime
import json
import os
import re
import socket
import subprocess
import sys
import threading
import time
import uuid
from pathlib import Path

import psycopg
import pytest
import requests
from django.conf import settings

pytestmark = pytest.mark.slow  # a server in its own process

BASE_DIR = Path(settings.BASE_DIR)
YEAR = "2026-2027"
UAI, RACE_UAI = "0400003L", "0400004M"
PASSWORD = "une phrase de passe assez longue"

SETUP = f"""
import datetime
from django.core.management import call_command
from pilotis.accounts.models import SchoolMembership, User
from pilotis.assessments import services
from pilotis.referential.models import ReferentialVersion
from pilotis.territories.models import Academy, Department, School
call_command("load_referential", verbosity=0)
academy = Academy.objects.create(code="04", name="Bordeaux")
department = Department.objects.create(code="040", name="Landes", academy=academy)
school = School.objects.create(uai="0400003L", name="Collège du Pays des Luys", kind="college", sector="public", department=department)
race = School.objects.create(uai={RACE_UAI!r}, name="Collège de la course", kind="college", sector="public", department=department)
for username, role in [("rupn", "rupn"), ("chef", "chef")]:
    user = User.objects.create_user(username, f"{{username}}@example.org", {PASSWORD!r})
    SchoolMembership.objects.create(user=user, school=school, role=role)
    SchoolMembership.objects.create(user=user, school=race, role=role)
services.open_campaign(academy=academy, school_year={YEAR!r}, referential=ReferentialVersion.objects.get(version="2021"),
    opens_on=datetime.date(2026, 9, 1), closes_on=datetime.date(2027, 6, 30), by=None)
"""

REPORT = """
import json
from pilotis.assessments.models import Answer, AnswerChange, Assessment
school = "SCHOOL_UAI"
print(json.dumps({
    "answers": {a.indicator.code: [a.status, a.revision]
                for a in Answer.objects.filter(assessment__school__uai=school).select_related("indicator")},
    "changes": {c: AnswerChange.objects.filter(answer__assessment__school__uai=school, answer__indicator__code=c).count()
                for c in Answer.objects.filter(assessment__school__uai=school).values_list("indicator__code", flat=True)},
    # Each indicator's history in the order it was written: status after, revision seen, when.
    "history": {c: list(AnswerChange.objects.filter(answer__assessment__school__uai=school, answer__indicator__code=c)
                        .order_by("id").values_list("status_after", "based_on_revision", "changed_at"))
                for c in Answer.objects.filter(assessment__school__uai=school).values_list("indicator__code", flat=True)},
    "assessment": list(Assessment.objects.filter(school__uai=school).values_list("state", "validated_at")),
}, default=str))
"""


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    tmp = tmp_path_factory.mktemp("concurrency")
    suite_url = os.environ.get("DATABASE_URL", "")
    drop = None
    if suite_url.startswith("postgres"):
        name = f"pilotis_conc_{uuid.uuid4().hex[:8]}"
        admin_url = suite_url.rsplit("/", 1)[0] + "/postgres"
        with psycopg.connect(admin_url, autocommit=True) as conn:
            conn.execute(f'CREATE DATABASE "{name}"')
        database_url = suite_url.rsplit("/", 1)[0] + "/" + name

        def drop():
            with psycopg.connect(admin_url, autocommit=True) as conn:
                conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
    else:
        database_url = f"sqlite:///{tmp / 'concurrency.sqlite3'}"
    env = {**os.environ, "DATABASE_URL": database_url, "SECURE_COOKIES": "0", "AXES_FAILURE_LIMIT": "100"}
    manage = [sys.executable, "manage.py"]
    subprocess.run([*manage, "migrate", "-v0"], cwd=BASE_DIR, env=env, check=True)
    subprocess.run([*manage, "shell", "-c", SETUP], cwd=BASE_DIR, env=env, check=True, capture_output=True)
    port = free_port()
    log = (tmp / "server.log").open("w")
    process = subprocess.Popen(
        [sys.executable, "-m", "gunicorn", "config.wsgi", "-b", f"127.0.0.1:{port}", "-w", "4", "--threads", "4"],
        cwd=BASE_DIR,
        env=env,
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    base = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 60
    while True:
        try:
            if requests.get(base + "/sante/", timeout=5).status_code == 200:
                break
        except requests.RequestException:
            pass
        if time.monotonic() > deadline:
            process.kill()
            log.close()
            pytest.fail("the server did not start: " + (tmp / "server.log").read_text())
        time.sleep(0.2)

    def report(uai=UAI):
        out = subprocess.run(
            [*manage, "shell", "-c", REPORT.replace("SCHOOL_UAI", uai)],
            cwd=BASE_DIR,
            env=env,
            check=True,
            capture_output=True,
            text=True,
        )
        return json.loads(out.stdout.strip().splitlines()[-1])

    try:
        yield {"url": base, "report": report, "log": tmp / "server.log"}
    finally:
        process.terminate()
        process.wait(timeout=20)
        log.close()
        if drop:
            drop()


def signed_in(base, username):
    session = requests.Session()
    page = session.get(base + "/compte/connexion/", timeout=10)
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page.text).group(1)
    response = session.post(
        base + "/compte/connexion/",
        data={"username": username, "password": PASSWORD, "csrfmiddlewaretoken": token},
        headers={"Referer": base + "/compte/connexion/"},
        timeout=10,
    )
    assert response.status_code == 200 and "Se déconnecter" in response.text, response.text[:500]
    # Signing in rotates the CSRF token: take the new one from a page of the school.
    page = session.get(f"{base}/etablissements/0400003L/schematic/{YEAR}/domaines/PIL/", timeout=10)
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page.text).group(1)
    return session, token


def clone(session, token):
    copy = requests.Session()
    copy.cookies.update(session.cookies)
    return copy, token


def save(base, session, token, code, status, seen, uai=UAI):
    return session.post(
        f"{base}/etablissements/{uai}/schematic/{YEAR}/indicateurs/{code}/reponse/",
        data={"status": status, "comment": "", "seen_revision": seen, "csrfmiddlewaretoken": token},
        headers={"HX-Request": "true", "Referer": base + "/"},
        timeout=60,
    )


def run_together(calls):
    barrier = threading.Barrier(len(calls))
    results = [None] * len(calls)

    def worker(i, call):
        barrier.wait()
        results[i] = call()

    threads = [threading.Thread(target=worker, args=(i, call)) for i, call in enumerate(calls)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    return results


CODES = [f"PED.{level}.{rank:02d}" for level in (1, 2, 3) for rank in range(1, 7)] + ["PIL.1.01", "PIL.1.02"]


def test_twenty_writers_on_different_indicators_all_keep_their_answer(server):
    base = server["url"]
    # Two sign-ins (hashing is slow on purpose), shared by 20 independent HTTP sessions.
    rupn, chef = signed_in(base, "rupn"), signed_in(base, "chef")
    clients = [clone(*(rupn if i % 2 else chef)) for i in range(20)]
    results = run_together(
        [lambda s=s, t=t, c=c: save(base, s, t, c, "realise", "0") for (s, t), c in zip(clients, CODES, strict=True)]
    )
    assert [r.status_code for r in results] == [200] * 20, [r.text[:300] for r in results if r.status_code != 200]
    state = server["report"]()
    assert {code: state["answers"][code] for code in CODES} == dict.fromkeys(CODES, ["realise", 1])
    assert "database is locked" not in server["log"].read_text()


def test_two_stale_saves_of_one_indicator_keep_the_later_and_both_histories(server):
    base = server["url"]
    (s1, t1), (s2, t2) = signed_in(base, "rupn"), signed_in(base, "chef")
    first, second = run_together(
        [
            lambda: save(base, s1, t1, "FOR.1.01", "en_cours", "0"),
            lambda: save(base, s2, t2, "FOR.1.01", "non_realise", "0"),
        ]
    )
    assert (first.status_code, second.status_code) == (200, 200)
    # The one saved second was told that someone else had changed the indicator meanwhile…
    told = [("entre-temps" in r.text) for r in (first, second)]
    assert sorted(told) == [False, True], [r.text for r in (first, second)]
    earlier, later = ("non_realise", "en_cours") if told[0] else ("en_cours", "non_realise")
    state = server["report"]()
    # … and that later save is the one stored, over the earlier one.
    assert state["answers"]["FOR.1.01"] == [later, 2]
    # Both are in the history, in the order written: the earlier saved on the revision it saw
    # (none yet), the later marked as based on that same revision, which was no longer current.
    assert [(status, seen) for status, seen, _at in state["history"]["FOR.1.01"]] == [(earlier, 0), (later, 0)]
    assert state["changes"]["FOR.1.01"] == 2


def seen_revision(base, session, uai):
    """The revision the validation's confirmation page carries."""
    page = session.get(f"{base}/etablissements/{uai}/schematic/{YEAR}/valider/", timeout=10)
    return re.search(r'name="seen_revision" value="(\d+)"', page.text).group(1)


def validate(base, session, token, uai, revision):
    return session.post(
        f"{base}/etablissements/{uai}/schematic/{YEAR}/valider/",
        data={"csrfmiddlewaretoken": token, "seen_revision": revision},
        headers={"Referer": base + "/"},
        allow_redirects=False,
        timeout=60,
    )


RACE_CODES = [f"INF.{level}.{rank:02d}" for level in (1, 2, 3) for rank in range(1, 7)]


def test_a_validation_racing_autosaves_leaves_nothing_written_after_it(server):
    """The validation confirms the state its page showed: it either lands before every autosave
    (each later one refused with 409, none written into the validated assessment), or comes after
    one of them and is refused as stale, validating nothing; confirmed again, it lands."""
    base = server["url"]
    rupn, chef = signed_in(base, "rupn"), signed_in(base, "chef")
    # Something to validate.
    assert save(base, *clone(*rupn), "PIL.1.01", "realise", "0", uai=RACE_UAI).status_code == 200
    revision = seen_revision(base, clone(*chef)[0], RACE_UAI)
    savers = [clone(*(rupn if i % 2 else chef)) for i in range(len(RACE_CODES))]
    calls = [lambda: validate(base, *clone(*chef), RACE_UAI, revision)] + [
        lambda s=s, t=t, c=c: save(base, s, t, c, "en_cours", "0", uai=RACE_UAI)
        for (s, t), c in zip(savers, RACE_CODES, strict=True)
    ]
    validation, *saves = run_together(calls)
    assert validation.status_code in (302, 409), validation.text[:300]
    assert {r.status_code for r in saves} <= {200, 409}, [r.text[:300] for r in saves if r.status_code >= 400]
    if validation.status_code == 409:
        # Stale: nothing validated, so every autosave landed; the page shown again says why.
        assert "ont changé" in validation.text
        assert {r.status_code for r in saves} == {200}
        assert server["report"](RACE_UAI)["assessment"][0][0] == "draft"
        validation = validate(base, *clone(*chef), RACE_UAI, seen_revision(base, clone(*chef)[0], RACE_UAI))
        assert validation.status_code == 302, validation.text[:300]

    # One more, after the race: refused, whatever the race gave.
    late = save(base, *clone(*rupn), "INF.1.01", "realise", "1", uai=RACE_UAI)
    assert late.status_code == 409 and "validé entre-temps" in late.text

    state = server["report"](RACE_UAI)
    [(assessment_state, validated_at)] = state["assessment"]
    assert assessment_state == "validated"
    validated_at = datetime.datetime.fromisoformat(validated_at)
    for code, response in zip(RACE_CODES, saves, strict=True):
        history = state["history"].get(code, [])
        if response.status_code == 200:
            # Recorded, and before the validation.
            assert [status for status, _seen, _at in history] == ["en_cours"], (code, history)
            assert datetime.datetime.fromisoformat(history[0][2]) < validated_at, (code, history, validated_at)
        else:
            assert "validé entre-temps" in response.text, (code, response.text[:300])
            assert history == [], (code, history)
    # Nothing at all was written after the validation, on any indicator.
    written = [
        (code, datetime.datetime.fromisoformat(at)) for code, rows in state["history"].items() for *_, at in rows
    ]
    assert len(written) == 1 + sum(r.status_code == 200 for r in saves)
    assert [(code, at) for code, at in written if at >= validated_at] == []
