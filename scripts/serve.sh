#!/usr/bin/env bash
# One command: set up from nothing, migrate, load the demo data and serve http://127.0.0.1:8000
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
.venv/bin/python manage.py migrate --noinput -v0
.venv/bin/python manage.py load_demo
ADDRESS="${PORT:-127.0.0.1:8000}"
echo
echo "Het dashboard draait op http://$ADDRESS/  (Ctrl+C stopt)"
echo "Voorbeeld: http://$ADDRESS/venlo/samenwerkingen/zvh/2017/"
exec .venv/bin/python manage.py runserver "$ADDRESS"
