#!/usr/bin/env bash
# The production set-up on this machine, for trying it and for the load test (docs/deployment.md):
# gunicorn (WORKERS sync workers) on each of PORTS, all on one PostgreSQL database and one Redis,
# generated files in one shared folder, and the background worker (db_worker), restarted when it
# stops. Production settings, plain HTTP on 127.0.0.1 (no TLS proxy in front here).
#
#   bash scripts/production.sh          start, wait; Ctrl+C stops everything
#   bash scripts/production.sh start    start in the background (STATE/pids)
#   bash scripts/production.sh stop     stop what `start` started
#   bash scripts/production.sh status   /gezond/ of every port
#
# Settings (environment): PORTS="8001" (space-separated: one gunicorn per port), WORKERS=2,
# PROD_DB=samenwerking_prod (created when missing; PostgreSQL at 127.0.0.1:5432, user postgres),
# CACHE_URL=redis://127.0.0.1:6379/0, STATE=/tmp/samenwerking-production (logs, pids, media/),
# DEMO=1 (load the demo data and its logins: never on a real installation), SKIP_PREPARE=1 (no
# migrate/collectstatic/demo: the database is ready).
set -euo pipefail
cd "$(dirname "$0")/.."

PORTS="${PORTS:-8001}"
WORKERS="${WORKERS:-2}"
PROD_DB="${PROD_DB:-samenwerking_prod}"
PG="${PG:-postgres://postgres@127.0.0.1:5432}"
STATE="${STATE:-${TMPDIR:-/tmp}/samenwerking-production}"
mkdir -p "$STATE/media" "$STATE/pids"

export DJANGO_SETTINGS_MODULE=dashboard.settings.production
export DATABASE_URL="$PG/$PROD_DB"
export CACHE_URL="${CACHE_URL:-redis://127.0.0.1:6379/0}"
export CACHE_KEY_PREFIX="${CACHE_KEY_PREFIX:-$PROD_DB}"
export MEDIA_ROOT="${MEDIA_ROOT:-$STATE/media}"
export TASKS_BACKEND=db
export LOG_FORMAT="${LOG_FORMAT:-json}" LOG_LEVEL="${LOG_LEVEL:-INFO}"
export ALLOWED_HOSTS="${ALLOWED_HOSTS:-127.0.0.1,localhost}"
# Plain HTTP on this machine: in production a TLS proxy is in front and these stay at their
# defaults (docs/deployment.md).
export SECURE_SSL_REDIRECT=false SECURE_COOKIES=false SECURE_HSTS_SECONDS=0
if [[ ! -s "$STATE/secret_key" ]]; then
  python3 -c 'import secrets; print(secrets.token_urlsafe(50))' >"$STATE/secret_key"
fi
SECRET_KEY="$(cat "$STATE/secret_key")"
export SECRET_KEY

pids_of() { cat "$STATE"/pids/*.pid 2>/dev/null || true; }

stop() {
  local pid
  for pid in $(pids_of); do
    # each was started in its own process group (setsid): end the group, by its id
    kill -TERM -- "-$pid" 2>/dev/null || true
  done
  for _ in $(seq 50); do
    local alive=0
    for pid in $(pids_of); do kill -0 "$pid" 2>/dev/null && alive=1; done
    ((alive)) || break
    sleep 0.2
  done
  for pid in $(pids_of); do kill -KILL -- "-$pid" 2>/dev/null || true; done
  rm -f "$STATE"/pids/*.pid
}

status() {
  local port ok=0
  for port in $PORTS; do
    if curl -fsS "http://127.0.0.1:$port/gezond/"; then echo "  ← :$port"; else echo ":$port niet gezond"; ok=1; fi
  done
  return $ok
}

start() {
  if [[ -n "$(pids_of)" ]]; then echo "Al gestart ($STATE/pids); eerst: $0 stop" >&2; exit 1; fi
  [[ -n "${SKIP_SETUP:-}" ]] || bash scripts/setup.sh >/dev/null
  # Redis: the machine's, or one started here (keeps nothing on disk)
  if ! .venv/bin/python -c "import redis, sys; redis.Redis.from_url(sys.argv[1]).ping()" "$CACHE_URL" 2>/dev/null; then
    command -v redis-server >/dev/null || { echo "Redis is nodig: apt-get install redis-server" >&2; exit 1; }
    redis-server --port 6379 --bind 127.0.0.1 --save '' --daemonize yes --pidfile "$STATE/redis.pid" >/dev/null
    sleep 0.5
  fi
  pg_isready -q -h 127.0.0.1 -p 5432 || { echo "PostgreSQL op 127.0.0.1:5432 draait niet" >&2; exit 1; }
  psql "$PG/postgres" -tAc "SELECT 1 FROM pg_database WHERE datname='$PROD_DB'" | grep -q 1 \
    || createdb -h 127.0.0.1 -U postgres "$PROD_DB"
  if [[ -z "${SKIP_PREPARE:-}" ]]; then
    .venv/bin/python manage.py migrate --noinput -v0
    .venv/bin/python manage.py load_vocabularies >/dev/null
    [[ "${DEMO:-1}" == 1 ]] && .venv/bin/python manage.py load_demo >"$STATE/demo-logins.txt"
  fi
  .venv/bin/python manage.py collectstatic --noinput -v0  # incremental: only what changed
  local port
  for port in $PORTS; do
    if curl -s -o /dev/null "http://127.0.0.1:$port/"; then echo "Poort $port is bezet" >&2; stop; exit 1; fi
    setsid .venv/bin/gunicorn dashboard.wsgi --bind "127.0.0.1:$port" --workers "$WORKERS" \
      --timeout 30 --graceful-timeout 10 --access-logfile "$STATE/access-$port.log" \
      >>"$STATE/app-$port.log" 2>&1 &
    echo $! >"$STATE/pids/gunicorn-$port.pid"
  done
  # The worker, watched: started again whenever it stops (crash, out of memory, a deploy).
  setsid bash -c 'while true; do
      .venv/bin/python manage.py db_worker --no-reload
      echo "{\"level\": \"ERROR\", \"logger\": \"production.sh\", \"message\": \"db_worker stopped (exit $?), restarting in 2 s\"}"
      sleep 2
    done' >>"$STATE/worker.log" 2>&1 &
  echo $! >"$STATE/pids/worker.pid"
  for port in $PORTS; do
    for _ in $(seq 150); do
      curl -fs -o /dev/null "http://127.0.0.1:$port/gezond/" && break
      sleep 0.2
    done
    curl -fs -o /dev/null "http://127.0.0.1:$port/gezond/" \
      || { echo "gunicorn op :$port start niet (zie $STATE/app-$port.log)" >&2; stop; exit 1; }
  done
  echo "Productie-opstelling: $(for p in $PORTS; do printf 'http://127.0.0.1:%s/ ' "$p"; done)"
  echo "  database $DATABASE_URL, cache $CACHE_URL, bestanden $MEDIA_ROOT, worker: db_worker"
  echo "  logs en pids: $STATE/   stoppen: bash scripts/production.sh stop"
  [[ -s "$STATE/demo-logins.txt" && "${DEMO:-1}" == 1 && -z "${SKIP_PREPARE:-}" ]] && grep gebruiker: "$STATE/demo-logins.txt" | head -3 || true
}

case "${1:-run}" in
  start) start ;;
  stop) stop ;;
  status) status ;;
  run)
    start
    trap 'echo; echo Stoppen…; stop; exit 0' INT TERM
    while true; do sleep 3600 & wait $!; done  # `wait` lets the trap run at once
    ;;
  *) echo "gebruik: $0 [start|stop|status]" >&2; exit 2 ;;
esac
