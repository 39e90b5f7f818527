#!/usr/bin/env bash
# Pilotis as an académie runs it, on loopback, for a smoke test: a throwaway PostgreSQL database,
# production settings (DEBUG off, a generated SECRET_KEY, manifest static files collected, SMTP),
# gunicorn with 4 workers, the background worker; then scripts/prod_smoke.py drives it over HTTP
# as a browser behind the TLS proxy would. Everything it started stops, and the database is
# dropped, whatever happens.
#
#   scripts/prod_stack.sh [--with-exports] [--with-api]   (the switches go to prod_smoke.py)
#
# Needs PostgreSQL on 127.0.0.1:5432 (user postgres, trust) and ports PORT (8151) and PORT+1.
set -euo pipefail
cd "$(dirname "$0")/.."
PY=${PY:-.venv/bin/python}
PORT=${PORT:-8151}
SMTP_PORT=$((PORT + 1))
started=$(date +%s)

db="pilotis_deploy_smoke_$$"
folder=$(mktemp -d -t pilotis-prod-XXXXXX)
pids=()
collect=""

say() { printf '== %s (%s s)\n' "$*" "$(($(date +%s) - started))"; }

cleanup() {
  status=$?
  # Only the processes this script started, newest first; then the database and the folder.
  for ((i = ${#pids[@]} - 1; i >= 0; i--)); do kill -TERM "${pids[i]}" 2>/dev/null || true; done
  for pid in "${pids[@]}"; do wait "$pid" 2>/dev/null || true; done
  [[ -n "$collect" ]] && { kill -TERM "$collect" 2>/dev/null || true; wait "$collect" 2>/dev/null || true; }
  if ((status != 0)); then
    for log in gunicorn worker smtp load_demo; do
      [[ -s "$folder/$log.log" ]] && { echo "--- $log.log (end)"; tail -n 40 "$folder/$log.log"; }
    done
  fi
  psql -q -h 127.0.0.1 -U postgres -c "DROP DATABASE IF EXISTS \"$db\" WITH (FORCE)" postgres >/dev/null 2>&1 || true
  rm -rf "$folder"
  exit "$status"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

# The environment an académie writes in its unit files (.env.example), loopback values.
env_vars=(
  DJANGO_SETTINGS_MODULE=config.settings
  DEBUG=0
  DEMO=0
  SECRET_KEY="$($PY -c 'import secrets; print(secrets.token_urlsafe(64))')"
  ALLOWED_HOSTS=127.0.0.1
  SITE_URL="https://127.0.0.1:$PORT"
  DATABASE_URL="postgres://postgres@127.0.0.1:5432/$db"
  # The proxy in front terminates TLS and says so with X-Forwarded-Proto (the smoke client sends
  # it as nginx would): the cookies stay Secure and __Host-, the redirection to https stays on.
  BEHIND_TLS_PROXY=1
  PROXY_COUNT=1
  STATIC_ROOT="$folder/static"
  # Hashed names as in production, without the gzip/brotli copies (a minute of CPU for bytes the
  # smoke test does not look at).
  COMPRESS_STATIC=0
  EVIDENCE_ROOT="$folder/pieces"
  EXPORTS_ROOT="$folder/exports"
  # Every steering export goes to the worker, so that the smoke test sees the background path.
  EXPORT_BACKGROUND_ROWS=0
  EMAIL_BACKEND=django.core.mail.backends.smtp.EmailBackend
  EMAIL_HOST=127.0.0.1
  EMAIL_PORT="$SMTP_PORT"
  LOG_LEVEL=WARNING
)
export "${env_vars[@]}"
unset DJANGO_CONFIGURATION PYTEST_ADDOPTS SQLITE_TEST_NAME

if ! pg_isready -q -h 127.0.0.1 -p 5432; then
  echo "PostgreSQL does not answer on 127.0.0.1:5432" >&2
  exit 1
fi
say "database $db"
psql -q -h 127.0.0.1 -U postgres -c "CREATE DATABASE \"$db\"" postgres

say "collectstatic, migrate"
# collectstatic needs no database: it runs beside the migration.
$PY manage.py collectstatic --noinput -v0 >"$folder/collectstatic.log" 2>&1 &
collect=$!
$PY manage.py migrate --noinput -v0
wait "$collect" || { cat "$folder/collectstatic.log"; exit 1; }
collect=""
$PY manage.py check --deploy --fail-level WARNING

say "SMTP sink, gunicorn (4 workers) on 127.0.0.1:$PORT, the worker; the demo's data meanwhile"
# Whatever the worker sends goes to a local SMTP server that keeps nothing (aiosmtpd's Sink).
$PY -m aiosmtpd -n -l "127.0.0.1:$SMTP_PORT" -c aiosmtpd.handlers.Sink >"$folder/smtp.log" 2>&1 &
pids+=($!)
$PY -m gunicorn config.wsgi --bind "127.0.0.1:$PORT" --workers 4 --timeout 60 --graceful-timeout 5 \
  >"$folder/gunicorn.log" 2>&1 &
pids+=($!)
$PY manage.py requeue_mailings -v0 >/dev/null
$PY manage.py db_worker --no-startup-delay >"$folder/worker.log" 2>&1 &
pids+=($!)
# The demo académie loads while the processes start, as data entered in a running Pilotis.
$PY manage.py load_demo -v0 >"$folder/load_demo.log" 2>&1 || { cat "$folder/load_demo.log"; exit 1; }

for _ in $(seq 1 60); do
  curl -fsS "http://127.0.0.1:$PORT/sante/" >/dev/null 2>&1 && break
  for pid in "${pids[@]}"; do kill -0 "$pid" 2>/dev/null || { echo "a process of the stack stopped" >&2; exit 1; }; done
  sleep 0.5
done
curl -fsS "http://127.0.0.1:$PORT/sante/" >/dev/null

say "smoke test"
$PY scripts/prod_smoke.py --base "http://127.0.0.1:$PORT" "$@"
for pid in "${pids[@]}"; do kill -0 "$pid" 2>/dev/null || { echo "a process of the stack died during the test" >&2; exit 1; }; done
say "production stack: smoke test passed"
