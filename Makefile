# Pilotis — the project's vocabulary. `make demo` and `make test` are the Quick start.
SHELL := /bin/bash
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
PIP := $(VENV)/bin/pip
MANAGE := $(PY) manage.py
# The demo shows what an académie's users see (Pilotis's French error pages, DEBUG off) on a laptop's
# defaults (config/settings.py, DEMO); `make run` is a developer's server, with Django's debug pages.
DEMO_ENV := DEMO=1
DEV_ENV := DEBUG=1
# The demo's GLPI channel (« landes ») and the fake GLPI that `make demo` starts share these tokens.
DEMO_GLPI := SUPPORT_GLPI_NAMES=landes SUPPORT_GLPI_LANDES_APP_TOKEN=demo-app-token SUPPORT_GLPI_LANDES_USER_TOKEN=demo-user-token SUPPORT_FOLLOW_SECONDS=30
CHROMIUM ?= /usr/bin/chromium

.PHONY: demo test quality audit lock migrate run clean install install-dev chromium bench-data bench mutants prod-smoke

$(PY):
	@$(PYTHON) -c 'import sys; sys.exit(0 if sys.version_info >= (3, 12) else "Pilotis needs Python >= 3.12 (found " + sys.version.split()[0] + ")")'
	$(PYTHON) -m venv $(VENV)
	$(PIP) install --quiet --upgrade pip

$(VENV)/.base-installed: requirements/base.txt | $(PY)
	$(PIP) install --quiet --require-hashes -r requirements/base.txt
	@touch $@

$(VENV)/.dev-installed: requirements/base.txt requirements/dev.txt | $(PY)
	$(PIP) install --quiet --require-hashes -r requirements/base.txt -r requirements/dev.txt
	@touch $(VENV)/.base-installed $@

install: $(VENV)/.base-installed
install-dev: $(VENV)/.dev-installed

migrate: install
	$(DEMO_ENV) $(MANAGE) migrate --noinput

## Sets everything up, loads the demo académie and accounts, and serves http://127.0.0.1:8000
demo: migrate
	$(DEMO_ENV) $(DEMO_GLPI) $(MANAGE) load_demo
	@echo "Pilotis : http://127.0.0.1:8000 (Ctrl+C pour arrêter)"
	@# The background worker (e-mails, support requests) and a fake GLPI on loopback, which the
	@# demo's Landes support channel writes to, run beside the server and stop with it.
	$(DEMO_ENV) $(DEMO_GLPI) $(MANAGE) fake_glpi --port 8190 & glpi=$$!; \
	  { $(DEMO_ENV) $(MANAGE) requeue_mailings && $(DEMO_ENV) $(DEMO_GLPI) $(MANAGE) db_worker --no-startup-delay; } & worker=$$!; \
	  trap 'kill $$worker $$glpi 2>/dev/null' EXIT INT TERM; \
	  $(DEMO_ENV) $(DEMO_GLPI) $(MANAGE) runserver 127.0.0.1:8000

run: migrate
	$(DEV_ENV) $(MANAGE) runserver 127.0.0.1:8000

chromium:
	@test -x $(CHROMIUM) || { echo "Chromium is missing: installing Debian's package"; \
	  (apt-get update -qq && apt-get install -y -qq chromium) >/dev/null || \
	  { echo "Could not install chromium: run 'apt-get install chromium' as root"; exit 1; }; }

## The whole suite, browser tests included (SQLite unless DATABASE_URL says otherwise), in
## PYTEST_WORKERS processes (pytest-xdist; each has its own test database; 0 runs it in one).
## Work stealing: an idle worker takes tests from the other's queue, so that a queue of long
## browser tests at the end does not run on one core while the other waits.
PYTEST_WORKERS ?= 2
test: install-dev chromium
	$(VENV)/bin/pytest -n $(PYTEST_WORKERS) --dist worksteal $(PYTEST_ARGS)

## Pilotis as an académie runs it, on loopback (docs/deploy.md): a throwaway PostgreSQL database,
## production settings, gunicorn with 4 workers, the background worker; a smoke test signs in and
## autosaves, has an export prepared by the worker and reads the API with a token made on the
## page, then everything stops and the database is dropped. PROD_SMOKE_ARGS chooses the steps.
PROD_SMOKE_ARGS ?= --with-exports --with-api
prod-smoke: install-dev
	scripts/prod_stack.sh $(PROD_SMOKE_ARGS)

quality: install-dev
	$(VENV)/bin/ruff format --check .
	$(VENV)/bin/ruff check .
	SECRET_KEY=quality $(MANAGE) makemigrations --check --dry-run

## Known vulnerabilities in the locked dependencies; high-severity findings in our code
audit: install-dev
	$(PY) scripts/audit_dependencies.py
	$(VENV)/bin/bandit -q -c pyproject.toml -r pilotis config -lll

## Mutation testing of the rules that matter (pyproject.toml [tool.mutmut]): the mutants of the
## functions named by MUTANTS (mutmut's names, wildcards allowed), each against the tests that call it
MUTANTS ?= pilotis.assessments.levels.* pilotis.steering.figures.*share* pilotis.steering.figures.*ǁmean__* \
	pilotis.core.scope.* pilotis.*.perms.* pilotis.territories.models.xǁ*QuerySetǁfor_user* \
	pilotis.territories.models.xǁAcademyQuerySetǁled_by* pilotis.assessments.models.xǁ*QuerySetǁfor_user* \
	pilotis.assessments.models.xǁCampaignQuerySetǁmanaged_by* pilotis.core.exporters.x_neutralise* \
	pilotis.assessments.services.x__save__* pilotis.assessments.services.x_save_answer* \
	pilotis.assessments.services.x__ensure_* pilotis.assessments.services.x__check_status* \
	pilotis.territories.models.x_uai_check_letter* pilotis.territories.models.x_is_valid_uai* \
	pilotis.territories.models.x_validate_uai*
mutants: install-dev
	rm -rf mutants
	$(VENV)/bin/mutmut run $(foreach m,$(MUTANTS),"$(m)")
	$(VENV)/bin/mutmut results

## Regenerate the lock files (needs network access to the package index)
lock: $(PY)
	$(PIP) install --quiet uv
	cd requirements && ../$(VENV)/bin/uv pip compile --quiet --python-version 3.12 --generate-hashes base.in -o base.txt
	cd requirements && ../$(VENV)/bin/uv pip compile --quiet --python-version 3.12 --generate-hashes dev.in -o dev.txt

clean:
	rm -rf $(VENV) var mutants

## Bench data: one académie of SCHOOLS schools, three answered past campaigns (benchmarks/README.md); FORCE=1 regenerates
SCHOOLS ?= 1000
BENCH_SIZES ?= 1000 10000 60000
BENCH_DBS ?= sqlite postgres
bench-data: install-dev
	$(PY) -m benchmarks.generate --schools $(SCHOOLS) --db $(BENCH_DBS) $(if $(FORCE),--force)

## Dashboards against DuckDB and the autosave under load, for BENCH_SIZES on BENCH_DBS (benchmarks/README.md)
bench: install-dev
	$(PY) -m benchmarks.run --sizes $(BENCH_SIZES) --db $(BENCH_DBS) $(BENCH_ARGS)

## The API's OpenAPI schema, committed as pilotis/api/openapi.yaml: run it after changing an endpoint
## (tests/api/test_schema.py fails while the code and the committed file differ)
.PHONY: schema
schema: install
	SECRET_KEY=schema $(MANAGE) spectacular --validate --fail-on-warn --file pilotis/api/openapi.yaml
