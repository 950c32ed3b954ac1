#!/usr/bin/env bash
# Set up and run planqa on the bundled corpus.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh app
export PLANQA_DATA_DIR=${PLANQA_DATA_DIR:-$PWD/.planqa}
.venv/bin/planqa ingest corpus/
.venv/bin/planqa docs
# The web chat on http://127.0.0.1:7860 (this machine only; `planqa serve --help` for options).
exec .venv/bin/planqa serve "$@"
