#!/usr/bin/env bash
# One command for a fresh machine: install everything (system packages, chromium for the browser test,
# the project with its test tools) and run the whole test suite.
# Real services: PostgreSQL on 127.0.0.1:5432 (database test) and Redis on 127.0.0.1:6379 are started
# here if they are installed but stopped. Elasticsearch tests run only when ANJIAN_ES_URL is set.
set -euo pipefail
cd "$(dirname "$0")/.."
ANJIAN_SETUP_DEV=1 bash scripts/setup.sh --browser

if ! pg_isready -h 127.0.0.1 -p 5432 -q 2>/dev/null; then
  if command -v pg_ctlcluster >/dev/null; then
    pg_ctlcluster --skip-systemctl-redirect "$(ls /etc/postgresql | head -1)" main start || true
  fi
fi
if ! (command -v redis-cli >/dev/null && redis-cli -h 127.0.0.1 -p 6379 ping >/dev/null 2>&1); then
  if command -v redis-server >/dev/null; then
    redis-server --daemonize yes --bind 127.0.0.1 --port 6379 --save "" --appendonly no || true
  fi
fi

# The house rules before the tests: formatting, lint, types (mypy with check_untyped_defs, see
# docs/architecture.md), then the whole suite (the import-graph test is part of it).
.venv/bin/ruff format --check --quiet .
.venv/bin/ruff check --quiet .
.venv/bin/mypy core ingest classify search pipeline registry supervision reports workers api cli

export OMP_THREAD_LIMIT=1
# -m: slow benchmarks-size tests are left to `anjian eval` / bench/; everything else runs.
.venv/bin/python -m pytest -m "not slow" -p no:cacheprovider "$@"
