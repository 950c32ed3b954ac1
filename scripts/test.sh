#!/usr/bin/env bash
# Set up and run every check: lint, then the test suite (offline, real Chroma, real model, real PDFs).
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh test
.venv/bin/ruff check .
.venv/bin/ruff format --check .
set +e
.venv/bin/python -m pytest "$@"
status=$?
set -e
if [ "$status" -eq 5 ]; then
  echo "test: pytest collected no tests; that is a failure, not a pass" >&2
  exit 1
fi
[ "$status" -eq 0 ] || exit "$status"
# Retrieval quality floor on the public gold set (measured: hit@1 0.966, hit@5 1.000; see README).
PLANQA_DATA_DIR="$(mktemp -d)" .venv/bin/planqa eval --min-hit1 0.93
