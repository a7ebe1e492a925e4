#!/usr/bin/env bash
# Development server: migrate, load geography and demo data on an empty
# database, start the task worker, then serve on 127.0.0.1:$PORT.
set -euo pipefail
cd "$(dirname "$0")/.."
PY=.venv/bin/python
PORT=${PORT:-8000}

echo "Preparing the database (var/)…"
$PY manage.py migrate --noinput -v 0
$PY manage.py createcachetable
$PY manage.py setup_portal

$PY manage.py db_worker --interval 1 --no-reload &
WORKER=$!
trap 'kill $WORKER 2>/dev/null || true' EXIT INT TERM

echo
echo "Habitat Ensemble: http://127.0.0.1:${PORT}/"
echo "Demo admin: admin@habitat-ensemble.example / demo-habitat-2026 (see README for other logins)"
echo "E-mails are printed on this console."
echo
$PY manage.py runserver "127.0.0.1:${PORT}"
