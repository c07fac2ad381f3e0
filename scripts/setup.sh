#!/usr/bin/env bash
# Builds everything the project needs from nothing; idempotent and quick when nothing changed.
#   scripts/setup.sh          Python 3.13 virtual environment + requirements
#   scripts/setup.sh --test   also the system packages the tests need (chromium, poppler-utils)
set -euo pipefail
cd "$(dirname "$0")/.."

PYTHON_VERSION="${PYTHON_VERSION:-3.13.0}"

need_apt=()
if [[ "${1:-}" == "--test" ]]; then
  command -v chromium >/dev/null 2>&1 || need_apt+=(chromium)
  command -v pdftoppm >/dev/null 2>&1 || need_apt+=(poppler-utils)
  command -v wrk >/dev/null 2>&1 || need_apt+=(wrk)  # the load generator of benchmarks/bench_cache.py
fi
# WeasyPrint needs Pango and a font.
dpkg -s libpango-1.0-0 >/dev/null 2>&1 || need_apt+=(libpango-1.0-0 libpangoft2-1.0-0)
dpkg -s fonts-dejavu-core >/dev/null 2>&1 || need_apt+=(fonts-dejavu-core)
if ((${#need_apt[@]})); then
  echo "Installing system packages: ${need_apt[*]}"
  SUDO=""; [[ $(id -u) -ne 0 ]] && SUDO="sudo"
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq "${need_apt[@]}" >/dev/null
fi

if [[ ! -x .venv/bin/python ]] || ! .venv/bin/python -c 'import sys; sys.exit(sys.version_info[:2] != (3, 13))'; then
  rm -rf .venv
  if command -v pyenv >/dev/null 2>&1; then
    PYENV_VERSION="$PYTHON_VERSION" python3 -m venv .venv
  elif command -v python3.13 >/dev/null 2>&1; then
    python3.13 -m venv .venv
  else
    echo "Python 3.13 is needed (Django 6.1). Install it with pyenv: pyenv install $PYTHON_VERSION" >&2
    exit 1
  fi
fi

stamp=".venv/.requirements-$(sha256sum requirements.txt | cut -c1-16)"
if [[ ! -f "$stamp" ]]; then
  .venv/bin/python -m pip install -q --upgrade pip 2>/dev/null
  .venv/bin/python -m pip install -q -r requirements.txt 2>&1 | grep -v "is ignored: it is neither" || true
  .venv/bin/python -c "import django, weasyprint, playwright" 
  rm -f .venv/.requirements-*
  touch "$stamp"
fi
