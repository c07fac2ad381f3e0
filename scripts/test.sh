#!/usr/bin/env bash
# One command: set up from nothing (incl. chromium and poppler-utils) and run every test:
# ruff, the import contracts, the migrations check, pytest (incl. browser tests).
# DATABASE_URL selects the database (SQLite by default; postgres://... for PostgreSQL).
# Extra arguments go to pytest.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh --test
.venv/bin/ruff check .
.venv/bin/ruff format --check .
.venv/bin/lint-imports --no-cache  # the one direction of imports (pyproject.toml)
export DJANGO_ALLOW_ASYNC_UNSAFE=true
.venv/bin/python manage.py makemigrations --check --dry-run --settings=dashboard.settings.test >/dev/null \
  || { echo "Model changes without a migration: run manage.py makemigrations" >&2; exit 1; }
exec .venv/bin/python -m pytest "$@"
