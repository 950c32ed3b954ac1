#!/usr/bin/env bash
# Make .venv and install planqa into it. Usage: scripts/setup.sh [app|test]
# torch==2.13.0 goes first: that version has a CPU wheel here; any other pulls gigabytes of CUDA.
set -euo pipefail
cd "$(dirname "$0")/.."
mode=${1:-app}
python=${PYTHON:-python3}
[ -x .venv/bin/python ] || "$python" -m venv .venv
pip=(.venv/bin/python -m pip -q --disable-pip-version-check)
"${pip[@]}" install --upgrade pip 2>&1 | grep -v "^WARNING: Location" || true
"${pip[@]}" install "torch==2.13.0" 2>&1 | grep -v "^WARNING: Location" || true
.venv/bin/python -c "import torch" || { echo "setup: torch==2.13.0 did not install" >&2; exit 1; }
extras="ui,bench"  # bench: `planqa bench` works on a fresh install too
[ "$mode" = "test" ] && extras="ui,llm,bench,test"  # the LLM tests talk to a stub server, so the clients are needed
# The browser test drives Debian's Chromium (never a Playwright download); CJK fonts make its
# screenshots readable. Installed only when missing, and only where apt is ours to use (root).
if [ "$mode" = "test" ] && [ ! -x /usr/bin/chromium ] && command -v apt-get >/dev/null && [ "$(id -u)" = 0 ]; then
  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium fonts-noto-cjk >/dev/null
fi
"${pip[@]}" install -e ".[$extras]" 2>&1 | grep -v "^WARNING: Location" || true
.venv/bin/planqa --version >/dev/null || { echo "setup: planqa did not install" >&2; exit 1; }
echo "setup: .venv ready ($mode)"
