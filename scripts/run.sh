#!/usr/bin/env bash
# Set up and run planqa on the bundled corpus.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh app
export PLANQA_DATA_DIR=${PLANQA_DATA_DIR:-$PWD/.planqa}
.venv/bin/planqa ingest corpus/
.venv/bin/planqa docs
.venv/bin/planqa search "${1:-省级临床重点专科2024年底的目标是多少？}" -k 3
