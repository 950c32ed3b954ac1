"""Load: 20 sessions × 10 questions at once against ``planqa serve`` (embedded Chroma, and a Chroma
server), through gradio_client. Every answer must equal the one-user answer; the figures are printed
(``pytest -s``) and written to ``$PLANQA_LOAD_REPORT`` when set. ``PLANQA_LONG_TESTS=1`` runs 50 × 20."""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest

from planqa.eval.gold import load_gold
from planqa.eval.load import load_questions, run_load
from tests.servers import chroma_server, planqa_serve

pytestmark = pytest.mark.slow  # answers and searches that need the real model's meaning

LONG = os.environ.get("PLANQA_LONG_TESTS") == "1"
SESSIONS, PER_SESSION = (50, 20) if LONG else (20, 10)


@pytest.mark.parametrize("mode", ["embedded", "server"])
def test_concurrent_sessions_get_the_single_user_answers(mode: str, tmp_path: Path) -> None:
    questions = load_questions(load_gold(), PER_SESSION)
    assert len(questions) == PER_SESSION
    if mode == "server":
        with chroma_server(tmp_path) as chroma, planqa_serve(tmp_path / "data", PLANQA_CHROMA_URL=chroma.url) as url:
            report = run_load(url, questions, SESSIONS, PER_SESSION)
    else:
        with planqa_serve(tmp_path / "data") as url:
            report = run_load(url, questions, SESSIONS, PER_SESSION)
    print(f"\n[{mode}] {report.summary()}")
    if os.environ.get("PLANQA_LOAD_REPORT"):
        out = Path(os.environ["PLANQA_LOAD_REPORT"])
        rows = json.loads(out.read_text("utf-8")) if out.exists() else {}
        out.write_text(json.dumps({**rows, mode: report.to_dict()}, ensure_ascii=False, indent=2), "utf-8")
    assert report.errors == []
    assert report.answered == SESSIONS * PER_SESSION
    assert report.mismatches == []
