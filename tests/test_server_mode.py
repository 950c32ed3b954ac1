"""Server mode: a real ``chroma run`` on loopback, and two planqa processes that share it.

One process ingests and removes, the other asks and lists: both must see the same documents, the
lexical side included (rebuilt from the clauses stored in Chroma, never from a local file alone)."""

from __future__ import annotations

import json
import subprocess
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from planqa.eval.bench import free_port
from planqa.library import bundled_corpus
from tests.servers import chroma_server, planqa

pytestmark = pytest.mark.slow  # answers and searches that need the real model's meaning


@pytest.fixture(scope="module")
def chroma_url(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    with chroma_server(tmp_path_factory.mktemp("chroma-server")) as server:
        yield server.url


def _planqa(tmp_path: Path, name: str, url: str, *args: str) -> subprocess.CompletedProcess[str]:
    """A separate planqa process with its own data dir (its own caches) and the shared server."""
    return planqa(tmp_path / name, *args, PLANQA_CHROMA_URL=url)


def test_two_processes_share_one_chroma_server(chroma_url: str, tmp_path: Path) -> None:
    ingest = _planqa(tmp_path, "a", chroma_url, "ingest", "-q", str(bundled_corpus()))
    assert ingest.returncode == 0, ingest.stderr
    asked = _planqa(tmp_path, "b", chroma_url, "ask", "省级临床重点专科2024年底的目标是多少？")
    assert asked.returncode == 0, asked.stderr
    assert "100个以上" in asked.stdout.splitlines()[0] and "5. 遴选培育临床重点专科" in asked.stdout
    lexical = _planqa(tmp_path, "b", chroma_url, "search", "托位数", "-k", "1")  # BM25 from the server's clauses
    assert "托育" in lexical.stdout
    removed = _planqa(tmp_path, "a", chroma_url, "remove", "珠山")
    assert removed.returncode == 0, removed.stderr
    listed = _planqa(tmp_path, "b", chroma_url, "docs")
    assert "jiangxi-health-capacity-plan-2023" in listed.stdout and "zhushan" not in listed.stdout
    district = _planqa(tmp_path, "b", chroma_url, "ask", "珠山区每千人口托位数的目标是多少？")
    assert "3.8" not in district.stdout  # the removed plan is gone for the other process too


def test_doctor_reports_the_server_and_a_dead_one_plainly(chroma_url: str, tmp_path: Path) -> None:
    healthy = _planqa(tmp_path, "c", chroma_url, "doctor")
    assert healthy.returncode == 0 and f"Chroma server {chroma_url}" in healthy.stdout
    dead = _planqa(tmp_path, "c", f"http://127.0.0.1:{free_port()}", "doctor")
    assert dead.returncode == 1 and "!!  index" in dead.stdout and "Traceback" not in dead.stdout + dead.stderr


def test_the_eval_table_is_the_same_in_server_mode(tmp_path: Path) -> None:
    """The whole gold set through a Chroma server and through the embedded index, each from a fresh
    index: every item must get the same answer, citations and retrieval, so the same table."""
    rows = {}
    (tmp_path / "chroma").mkdir()
    with chroma_server(tmp_path / "chroma") as server:  # its own: the module's server has had notices removed
        for mode, env in (("embedded", {}), ("server", {"PLANQA_CHROMA_URL": server.url})):
            out = tmp_path / f"{mode}.json"
            result = planqa(tmp_path / f"eval-{mode}", "eval", "--json", str(out), timeout=900, **env)
            assert result.returncode == 0, result.stderr[-2000:]
            table = [ln for ln in result.stdout.splitlines() if not ln.startswith("p50 / p95")]  # timings differ
            items = json.loads(out.read_text("utf-8"))["items"]
            rows[mode] = (table, [_comparable(row) if mode == "embedded" else row for row in items])
    assert rows["server"][0] == rows["embedded"][0]
    server_rows = [{k: v for k, v in row.items() if k != "latency_ms"} for row in rows["server"][1]]
    assert rows["embedded"][1] == server_rows


def _comparable(row: dict[str, Any]) -> dict[str, Any]:
    """An eval row without its timing, with retrieval scores as ``approx``: Chroma's server and its
    embedded engine return float32 distances that can differ in the 4th place for the same vectors."""
    row = {k: v for k, v in row.items() if k != "latency_ms"}
    row["retrieved"] = [{**r, "score": pytest.approx(r["score"], abs=1e-3)} for r in row["retrieved"]]
    return row
