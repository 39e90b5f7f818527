"""The catalogue of usage fiches at 1,000 and 100,000 fiches, on SQLite and PostgreSQL: the time
and query count of its search and filtered pages, for a RUPN reading the whole académie's
catalogue (every generated fiche is in it: the worst case of the scope).

    python -m benchmarks.catalogue --sizes 1000 100000 --db sqlite postgres [--force]

Targets: each page's median time at the largest size at most `TARGET_SCALING` times its time at
the smallest, and the same number of queries at every size. Bench databases: `var/bench/
catalogue-<size>.sqlite3` and PostgreSQL's `pilotis_catalogue_bench_<size>`, generated once (a
stamp holds the generator's version and the migrations' fingerprint) and reused.

Each (database, size) runs in a process of its own, as `benchmarks.run` does: Django reads its
database from the environment once. The pages are requested through Django's test client in that
process (middleware, view, template, queries: everything but the socket), `RUNS` times after
`WARMUP` requests; the median is kept.
"""

import argparse
import json
import os
import random
import statistics
import subprocess  # noqa: S404 — runs this module with fixed argument lists
import sys
import time

from benchmarks import common

TARGET_SCALING = 3.0
WARMUP = 3
RUNS = 15
GENERATOR_VERSION = 2  # 2: the data file's codes
SCHOOLS = 600
# Beside the catalogue's fiches, a quarter more that are not in it (drafts, kept to the school):
# their rows and descriptors are in the tables the catalogue reads, as in real life.
OFF_CATALOGUE_SHARE = 0.25
READER = "bench-catalogue-rupn"

# (label, query string): the search page, two filtered pages, and the pages that walk the most.
PAGES = [
    ("search", "q=tablettes"),
    ("search_two_words", "q=eleves+numer"),
    ("discipline", "discipline=MATHS"),
    ("level_tool_by_title", "level=3E&tool=pix&sort=title"),
    ("rare_word", "q=astronomie"),
    ("last_page", "discipline=MATHS&page=50"),
]

# Codes of the data file (`pilotis/fiches/data/descriptors.yaml`): the filters refuse any other.
DISCIPLINES = [
    "MATHS",
    "FRA",
    "HG",
    "SVT",
    "ANG",
    "PC",
    "TECHNO",
    "EPS",
    "AP",
    "EM",
    "ESP",
    "ALL",
    "EMC",
    "DOC",
    "SNT",
    "NSI",
    "SES",
    "PHILO",
]
COLLEGE_LEVELS = ["6E", "5E", "4E", "3E"]
LYCEE_LEVELS = ["2GT", "1G", "TG", "1T", "TT", "1PRO", "TPRO", "CAP1"]
COMPETENCES = [f"{d}.{c}" for d, n in ((1, 3), (2, 4), (3, 4), (4, 3), (5, 2)) for c in range(1, n + 1)]
TOOLS = [
    "tablettes",
    "ent",
    "tni",
    "pix",
    "vpi",
    "padlet",
    "genially",
    "geogebra",
    "scratch",
    "capytale",
    "moodle",
    "lalilo",
    "audacity",
    "balado",
    "canva",
    "kahoot",
    "plickers",
    "learningapps",
    "digipad",
    "digistorm",
    "quizinière",
    "labomep",
    "mathenpoche",
    "elea",
    "pronote",
    "eduthèque",
    "lumni",
    "book creator",
    "imovie",
    "stop motion",
    *(f"outil-{n}" for n in range(30)),
]
# Real words of fiches first (the most frequent), then a long tail of rarer ones.
BASE_WORDS = [
    "eleves",
    "classe",
    "seance",
    "activite",
    "numerique",
    "travail",
    "groupe",
    "professeur",
    "outil",
    "projet",
    "competences",
    "tablettes",
    "apprentissage",
    "production",
    "ecrit",
    "oral",
    "lecture",
    "evaluation",
    "autonomie",
    "collaboration",
    "ressources",
    "documents",
    "recherche",
    "information",
    "medias",
    "publication",
    "presentation",
    "video",
    "audio",
    "podcast",
    "images",
    "photographie",
    "carte",
    "mentale",
    "quiz",
    "exercices",
    "remediation",
    "differenciation",
    "tableau",
    "interactif",
    "programmation",
    "robot",
    "algorithme",
    "donnees",
    "tableur",
    "graphique",
    "calcul",
    "geometrie",
    "figure",
    "construction",
    "experience",
    "observation",
    "microscope",
    "cellule",
    "langue",
    "vocabulaire",
    "grammaire",
    "dialogue",
    "enregistrement",
    "ecoute",
    "histoire",
    "source",
    "frise",
    "chronologie",
    "territoire",
    "paysage",
    "citoyennete",
    "debat",
    "argumentation",
    "sciences",
    "physique",
    "chimie",
    "mesure",
    "capteur",
    "energie",
    "climat",
    "sport",
    "performance",
    "analyse",
    "musique",
    "creation",
    "arts",
    "dessin",
    "theatre",
    "lettres",
    "poesie",
    "conte",
    "roman",
    "parents",
    "familles",
    "communication",
    "cahier",
    "textes",
    "messagerie",
    "espace",
    "partage",
    "cloud",
    "identite",
    "securite",
    "mots",
    "passe",
    "charte",
    "usages",
    "responsables",
    "harcelement",
    "reseaux",
    "sociaux",
    "infox",
    "verification",
    "fiabilite",
    "moteur",
    "requete",
    "mots",
    "cles",
    "citation",
    "droit",
    "auteur",
    "licence",
    "numeriques",
    "numeriser",
    "numerisation",
    "numeriquement",
    "astronomie",
]


def vocabulary(size=6000, seed=7):
    rng = random.Random(seed)
    syllables = ["ba", "ce", "di", "fo", "gu", "la", "me", "ni", "po", "ru", "sa", "te", "vi", "zo", "tr", "pl"]
    words = [w for w in BASE_WORDS if w != "astronomie"]
    seen = set(words)
    while len(words) < size:
        word = "".join(rng.choice(syllables) for _ in range(rng.randint(2, 4)))
        if word not in seen:
            seen.add(word)
            words.append(word)
    # Zipf's law: the n-th word is about 1/n as frequent as the first.
    weights = [1 / rank for rank in range(1, len(words) + 1)]
    return words, weights


# --- Databases ---------------------------------------------------------------------------------


BENCH_DATABASES = common.Family("catalogue", GENERATOR_VERSION, BENCH_FICHES="{size}")
sqlite_path = BENCH_DATABASES.sqlite_path
pg_name = BENCH_DATABASES.pg_name
database_url = BENCH_DATABASES.database_url
stamp_path = BENCH_DATABASES.stamp_path
expected_stamp = BENCH_DATABASES.expected_stamp
reset_database = BENCH_DATABASES.reset_database
env_for = BENCH_DATABASES.env_for


# --- Generation (in the child process) ---------------------------------------------------------


def _uai(n):
    from pilotis.territories.models import uai_check_letter

    digits = f"{common.SYNTHETIC_UAI_BASE + n:07d}"
    return digits + uai_check_letter(digits)


def generate(size, log):
    """The académie « Banc d'essai »: 5 départements, `SCHOOLS` schools, `size` fiches in its
    catalogue and a quarter more out of it, with descriptors drawn as real catalogues look (a few
    disciplines, tools and words much more frequent than the rest), then the search index built
    by `rebuild_index`, and the planner's statistics."""
    import datetime

    from django.core.management import call_command
    from django.db import connection
    from django.utils import timezone

    from pilotis.accounts.enums import SchoolRole, TerritoryRoleKind
    from pilotis.accounts.models import SchoolMembership, TerritoryRole, User
    from pilotis.fiches.enums import FicheState, TermKind, Visibility
    from pilotis.fiches.models import Fiche, FicheTerm
    from pilotis.fiches.search import rebuild_index
    from pilotis.territories.enums import SchoolKind, Sector
    from pilotis.territories.models import Academy, Department, School, search_key

    started = time.monotonic()
    call_command("migrate", verbosity=0)
    log(f"migrated ({time.monotonic() - started:.0f} s)")
    rng = random.Random(size)
    academy = Academy.objects.create(code=common.ACADEMY_CODE, name=common.ACADEMY_NAME)
    departments = [
        Department.objects.create(code=f"B0{n}", name=f"Département {n}", academy=academy) for n in range(1, 6)
    ]
    schools = []
    for n in range(SCHOOLS):
        kind = SchoolKind.COLLEGE if n % 5 < 3 else rng.choice([SchoolKind.LYCEE_GT, SchoolKind.LYCEE_PRO])
        name = f"{'Collège' if kind == SchoolKind.COLLEGE else 'Lycée'} du banc {n}"
        schools.append(
            School(
                uai=_uai(n),
                name=name,
                kind=kind,
                sector=Sector.PUBLIC,
                department=departments[n % 5],
                commune=f"Commune {n}",
                search_text=School.build_search_text(name, f"Commune {n}", _uai(n)),
                sort_name=search_key(name),
            )
        )
    School.objects.bulk_create(schools)
    schools = list(School.objects.order_by("pk"))
    reader = User.objects.create_user(READER, f"{READER}@example.org", "bench-password")
    SchoolMembership.objects.create(user=reader, school=schools[0], role=SchoolRole.RUPN)
    dane = User.objects.create_user("bench-catalogue-dane", "bench-catalogue-dane@example.org", "bench-password")
    TerritoryRole.objects.create(user=dane, kind=TerritoryRoleKind.DANE, academy=academy)

    words, weights = vocabulary()
    discipline_weights = [1 / r for r in range(1, len(DISCIPLINES) + 1)]
    tool_weights = [1 / r for r in range(1, len(TOOLS) + 1)]
    now = timezone.now()
    total = int(size * (1 + OFF_CATALOGUE_SHARE))
    batch = 5000
    for start in range(0, total, batch):
        fiches, descriptors = [], []
        for n in range(start, min(total, start + batch)):
            school = schools[rng.randrange(SCHOOLS)]
            in_catalogue = n < size
            text = rng.choices(words, weights, k=60)
            # One fiche in two thousand about the sky: the rare word of the bench.
            if rng.random() < 0.0005:
                text[rng.randrange(60)] = "astronomie"
            published = now - datetime.timedelta(minutes=rng.randrange(5 * 365 * 24 * 60))
            fiches.append(
                Fiche(
                    school=school,
                    academy=academy,
                    title=" ".join(text[:6]).capitalize(),
                    summary=" ".join(text[6:24]),
                    course=" ".join(text[24:]),
                    school_year="2026-2027",
                    state=FicheState.PUBLISHED if in_catalogue or n % 2 else FicheState.DRAFT,
                    visibility=Visibility.ACADEMY if in_catalogue else Visibility.SCHOOL,
                    published_at=published,
                    featured_at=published if in_catalogue and rng.random() < 0.002 else None,
                )
            )
            levels = COLLEGE_LEVELS if school.kind == SchoolKind.COLLEGE else LYCEE_LEVELS
            terms = {(TermKind.LEVEL, code) for code in rng.sample(levels, rng.choice([1, 1, 2]))}
            terms |= {
                (TermKind.DISCIPLINE, d)
                for d in rng.choices(DISCIPLINES, discipline_weights, k=rng.choice([1, 1, 1, 2]))
            }
            terms |= {(TermKind.COMPETENCE, c) for c in rng.sample(COMPETENCES, rng.randint(1, 3))}
            terms |= {(TermKind.TOOL, t) for t in rng.choices(TOOLS, tool_weights, k=rng.randint(1, 3))}
            descriptors.append(terms)
        created = Fiche.objects.bulk_create(fiches)
        FicheTerm.objects.bulk_create(
            [
                FicheTerm(fiche=f, kind=k, code=c)
                for f, terms in zip(created, descriptors, strict=True)
                for k, c in terms
            ]
        )
        log(f"{min(total, start + batch):,}/{total:,} fiches ({time.monotonic() - started:.0f} s)")
    if connection.vendor == "sqlite":
        # The words' unique index takes millions of inserts in no useful order: with SQLite's
        # default 2 MB page cache each one reads its page from the file again.
        with connection.cursor() as cursor:
            cursor.execute("PRAGMA cache_size=-524288")
    listed = rebuild_index(batch=2000)
    log(f"index built: {listed:,} fiches listed ({time.monotonic() - started:.0f} s)")
    with connection.cursor() as cursor:
        # PostgreSQL: VACUUM too, as autovacuum would have by then, so that index-only scans
        # need not visit the rows (the visibility map).
        cursor.execute("VACUUM ANALYZE" if connection.vendor == "postgresql" else "ANALYZE")
    log(f"statistics gathered ({time.monotonic() - started:.0f} s)")
    return listed


# --- Measurement (in the child process) --------------------------------------------------------


def measure(log):
    from django.contrib.auth import get_user_model
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext, setup_test_environment
    from django.urls import reverse

    # The responses' context (the page's counts) is recorded under the test environment only.
    setup_test_environment(debug=False)

    client = Client()
    client.force_login(get_user_model().objects.get(username=READER))
    base = reverse("fiche_catalogue:list")
    results = []
    for label, query in PAGES:
        url = f"{base}?{query}"
        for _ in range(WARMUP):
            response = client.get(url)
        times = []
        for _ in range(RUNS):
            begin = time.perf_counter()
            response = client.get(url)
            times.append((time.perf_counter() - begin) * 1000)
        with CaptureQueriesContext(connection) as queries:
            response = client.get(url)
        page = response.context["page_obj"] if response.status_code == 200 else None
        results.append(
            {
                "page": label,
                "query": query,
                "status": response.status_code,
                "median_ms": statistics.median(times),
                "queries": len(queries),
                "shown": len(page.fiches) if page else 0,
                "count": page.paginator.count if page else 0,
                "capped": bool(page and page.capped),
            }
        )
        log(f"{label}: {results[-1]['median_ms']:.1f} ms, {len(queries)} queries, {results[-1]['count']} found")
    return results


def child(size, db, force, out):
    def log(text):
        print(f"[{db} {size:,}] {text}", flush=True)

    import django

    django.setup()
    from pilotis.fiches.search import FicheListing

    stamp = stamp_path(size, db)
    current = json.loads(stamp.read_text()) if stamp.exists() else None
    generated = None
    if force or current != expected_stamp(size):
        begin = time.monotonic()
        generate(size, log)
        generated = time.monotonic() - begin
        stamp.write_text(json.dumps(expected_stamp(size)))
    elif FicheListing.objects.count() != size:
        raise SystemExit(f"{db} {size}: the bench database is incomplete; run again with --force")
    result = {"size": size, "db": db, "generated_s": generated, "load": os.getloadavg(), "pages": measure(log)}
    out.write_text(json.dumps(result))


# --- The parent: every size on every database, then the report --------------------------------


def run(sizes, dbs, force=False):
    common.VAR_DIR.mkdir(parents=True, exist_ok=True)
    results, failed = [], []
    for db in dbs:
        for size in sizes:
            out = common.VAR_DIR / f"catalogue-result-{size}-{db}.json"
            out.unlink(missing_ok=True)
            stamp = stamp_path(size, db)
            if force or not stamp.exists() or json.loads(stamp.read_text()) != expected_stamp(size):
                reset_database(size, db)
            command = [common.PYTHON, "-m", "benchmarks.catalogue", "--child", str(size), db, str(out)]
            if force:
                command.append("--force")
            done = subprocess.run(command, env=env_for(size, db), cwd=common.BASE_DIR)  # noqa: S603
            if done.returncode != 0 or not out.exists():
                failed.append(f"catalogue: {size:,} fiches on {db}: the measurement failed (exit {done.returncode})")
                continue
            results.append(json.loads(out.read_text()))
    return results, failed


def _ms(value):
    return f"{value:,.0f}" if value >= 100 else f"{value:.1f}"


def report(results):
    """The Markdown section and the targets missed."""
    sizes = sorted({r["size"] for r in results})
    lines = [
        "",
        "## Catalogue of usage fiches",
        "",
        f"Median time of the page ({RUNS} requests after {WARMUP}, Django's test client in process) and its "
        f"number of queries, for a RUPN reading the whole académie's catalogue; target: at most "
        f"{TARGET_SCALING:g} times the time at {sizes[0]:,} fiches, and the same number of queries."
        if sizes
        else "",
        "",
        "| database | page | "
        + " | ".join(f"{s:,} fiches: ms (queries, found)" for s in sizes)
        + " | × | same queries | met |",
        "|---|---|" + "---:|" * len(sizes) + "---:|---|---|",
    ]
    missed = []
    for db in sorted({r["db"] for r in results}):
        by_size = {r["size"]: {p["page"]: p for p in r["pages"]} for r in results if r["db"] == db}
        for label, _query in PAGES:
            cells = [by_size.get(s, {}).get(label) for s in sizes]
            shown = []
            for cell in cells:
                if cell is None:
                    shown.append("—")
                else:
                    found = f"{cell['count']:,}{'+' if cell['capped'] else ''}"
                    shown.append(f"{_ms(cell['median_ms'])} ({cell['queries']}, {found})")
            ok_cells = [c for c in cells if c is not None and c["status"] == 200]
            factor = ok_cells[-1]["median_ms"] / ok_cells[0]["median_ms"] if len(ok_cells) == len(cells) > 1 else None
            same = len({c["queries"] for c in ok_cells}) == 1 if ok_cells else False
            met = factor is not None and factor <= TARGET_SCALING and same
            lines.append(
                f"| {db} | {label} | "
                + " | ".join(shown)
                + f" | {'—' if factor is None else f'{factor:.1f}'} | {'yes' if same else '**no**'} | "
                + f"{'yes' if met else '**no**'} |"
            )
            if not met:
                missed.append(
                    f"catalogue {db} {label}: {'no figure' if factor is None else f'×{factor:.1f}'}, "
                    f"queries {[c['queries'] for c in ok_cells]}"
                )
    loads = ", ".join(f"{r['db']} {r['size']:,}: {r['load'][0]:.1f}" for r in results)
    lines += ["", f"Load average (1 min) at the end of each measurement: {loads}.", ""]
    return "\n".join(lines), missed


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", nargs="+", type=int, default=[1000, 100000])
    parser.add_argument("--db", nargs="+", choices=common.DATABASES, default=list(common.DATABASES))
    parser.add_argument("--force", action="store_true", help="regenerate the bench databases")
    parser.add_argument("--child", nargs=3, metavar=("SIZE", "DB", "OUT"), help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    os.chdir(common.BASE_DIR)
    if args.child:
        from pathlib import Path

        size, db, out = args.child
        child(int(size), db, args.force, Path(out))
        return 0
    print(f"load average before: {os.getloadavg()[0]:.2f}", flush=True)
    results, failed = run(args.sizes, args.db, args.force)
    text, missed = report(results) if results else ("", [])
    print(text)
    for line in failed + missed:
        print(line, file=sys.stderr)
    return 1 if failed or missed or not results else 0


if __name__ == "__main__":
    sys.exit(main())
