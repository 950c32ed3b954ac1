#!/usr/bin/env bash
# Set up and run every check: lint, then the test suite (offline, real Chroma, real model, real PDFs).
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh test
.venv/bin/ruff check .
.venv/bin/ruff format --check .
# The layers (pyproject.toml, [tool.importlinter]) checked on an installed copy: grimp reads a package
# from one folder, and the editable install maps planqa.ingest & co. from the top-level folders.
layers="$(mktemp -d)"
rm -rf build  # setuptools reuses it; a stale copy would hide a removed module
.venv/bin/python -m pip install -q --disable-pip-version-check --no-deps --target "$layers/site" . \
  >"$layers/pip.log" 2>&1 || { cat "$layers/pip.log" >&2; exit 1; }
(cd "$layers" && PYTHONPATH="$layers/site" "$OLDPWD/.venv/bin/lint-imports" --no-cache "$OLDPWD/pyproject.toml")
set +e
.venv/bin/python -m pytest "$@"
status=$?
set -e
if [ "$status" -eq 5 ]; then
  echo "test: pytest collected no tests; that is a failure, not a pass" >&2
  exit 1
fi
[ "$status" -eq 0 ] || exit "$status"
# Quality floors on the public gold set, through the Assistant (measured: answer accuracy 0.969,
# hit@1 0.968; see README). A change that drops below them fails CI.
PLANQA_DATA_DIR="$(mktemp -d)" .venv/bin/planqa eval --min-accuracy 0.95 --min-hit1 0.93
# The real-notice gold set on ../shared/real-notices (not the project's; beside the clone in CI).
# Floors sit just under the current score (accuracy 0.901, hit@1 0.878; the first score, before any
# change for these notices, was 0.509 / 0.692; see README): they catch a regression as the work goes on.
real=../shared/real-notices
if [ -d "$real" ]; then
  PLANQA_DATA_DIR="$(mktemp -d)" .venv/bin/planqa eval eval/real_gold.jsonl --notices "$real" \
    --pattern 'gov-cn-*.txt' --min-accuracy 0.88 --min-hit1 0.86
else
  echo "test: $real is not here, so the real-notice eval was skipped (it runs wherever ../shared is)" >&2
fi
