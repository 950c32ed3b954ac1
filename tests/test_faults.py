"""Faults, as they happen to a real installation: an ingest killed mid-document, a Chroma server that
goes away during questions and comes back, a disk that fills up during ingest, a read-only data dir.

Each must end in a one-line error (no traceback) and an index that holds whole documents: the old
version or the new one, never a mix, and nothing already indexed lost.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import signal
import subprocess
import sys
import threading
from pathlib import Path

import pytest

from planqa.assistant import Assistant
from planqa.config import Config
from planqa.errors import IndexUnavailable
from planqa.ingest.grammar import parse
from planqa.ingest.loaders import load
from planqa.library import Library, doc_id_for
from tests.conftest import DISTRICT, PROVINCE
from tests.servers import chroma_server, planqa

pytestmark = pytest.mark.slow  # answers and searches that need the real model's meaning


def _expected(path: Path) -> list[str]:
    """The clause texts a complete ingest of this file gives."""
    return sorted(c.text for c in parse(load(path), doc_id_for(path)).clauses)


def _clause_count(path: Path) -> int:
    """What ``planqa docs`` counts for this file: clauses, not the parts a long clause is split into."""
    return sum(c.part == 0 for c in parse(load(path), doc_id_for(path)).clauses)


def _indexed(data: Path) -> dict[str, list[str]]:
    """What a fresh process reading the data dir sees: document id → its clause texts."""
    library = Library.from_config(Config(data_dir=data))
    out: dict[str, list[str]] = {d.id: [] for d in library.documents()}
    for clause in library.clauses():
        out[clause.doc_id].append(clause.text)
    return {doc: sorted(texts) for doc, texts in out.items()}


def _one_line_error(result: subprocess.CompletedProcess[str]) -> str:
    errors = [line for line in result.stderr.splitlines() if line.startswith("Error:")]
    assert "Traceback" not in result.stdout + result.stderr, result.stderr
    assert len(errors) <= 1, result.stderr
    return errors[0] if errors else ""


@pytest.mark.parametrize("kill_after", ["first batch", "last batch"])
def test_a_killed_ingest_leaves_the_old_version_or_the_new_one_whole(tmp_path: Path, kill_after: str) -> None:
    data, plan = tmp_path / "data", tmp_path / "plan.txt"
    shutil.copy(PROVINCE, plan)
    assert planqa(data, "ingest", "-q", str(plan)).returncode == 0
    old = _expected(plan)
    # The new version differs in most tasks, so a mix of the two could not pass for either.
    plan.write_text(PROVINCE.read_text("utf-8").replace("2025年底", "2026年底"), "utf-8")
    new = _expected(plan)
    assert old != new

    proc = subprocess.Popen(
        [sys.executable, "-m", "planqa.cli", "ingest", str(plan)],
        env={**os.environ, "PLANQA_DATA_DIR": str(data)},
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        text=True,
    )
    assert proc.stderr is not None
    for line in proc.stderr:  # "… 向量化 plan.txt 32/100": that many clauses are written, uncommitted
        progress = re.search(r"向量化 \S+ (\d+)/(\d+)", line)
        if progress and (kill_after == "first batch" or progress[1] == progress[2]):
            proc.send_signal(signal.SIGKILL)
            break
    proc.wait(timeout=60)
    assert proc.returncode == -signal.SIGKILL, "the ingest finished before it could be killed"

    seen = _indexed(data)["plan"]
    if kill_after == "first batch":
        assert seen == old  # the staged batches are invisible
    else:
        assert seen in (old, new)  # killed around the commit: either version, whole
    again = planqa(data, "ingest", "-q", str(plan))
    assert again.returncode == 0, again.stderr
    assert _indexed(data)["plan"] == new
    library = Library.from_config(Config(data_dir=data))
    assert library.store.count() == len(new)  # the killed run's staged clauses were collected


# One scenario in a private mount namespace: a 40 MB tmpfs as the data dir's disk, filled up while
# the second notice is ingested, then freed, then remounted read-only. Each step prints a marker and
# its exit status; the test reads them.
DISK_SCRIPT = r"""
set -u
mount -t tmpfs -o size=40m tmpfs "$DISK" || exit 97
export PLANQA_DATA_DIR="$DISK/data"
step() { name=$1; shift; echo "=== $name"; "$@" 2>&1; echo "=== $name rc=$?"; }
step first "$PLANQA" ingest -q "$DISTRICT"
dd if=/dev/zero of="$DISK/filler" bs=1M status=none 2>/dev/null
truncate -s -300K "$DISK/filler"  # room for a little of the next notice, not for all of it
step full "$PLANQA" ingest -q "$PROVINCE"
step full_docs "$PLANQA" docs --json
rm "$DISK/filler"
step freed_docs "$PLANQA" docs --json
step again "$PLANQA" ingest -q "$PROVINCE"
mount -o remount,ro "$DISK"
step ro_ask "$PLANQA" ask "珠山区每千人口托位数的目标是多少？"
step ro_ingest "$PLANQA" ingest -q "$PROVINCE"
mount -o remount,rw "$DISK"
step rw_docs "$PLANQA" docs --json
"""


def _steps(out: str) -> dict[str, tuple[int, str]]:
    steps = {}
    for match in re.finditer(r"=== (\w+)\n(.*?)=== \1 rc=(\d+)", out, re.S):
        steps[match[1]] = (int(match[3]), match[2])
    return steps


def _mount_namespace() -> list[str]:
    """unshare's command line for a private mount namespace: as root, or as a user via a user namespace."""
    unshare = shutil.which("unshare")
    if unshare is None:
        pytest.fail("util-linux's unshare is needed for the disk tests")
    return [unshare, "--mount", "--propagation", "private"] + ([] if os.geteuid() == 0 else ["--map-root-user"])


def test_a_full_disk_during_ingest_and_a_read_only_data_dir(tmp_path: Path) -> None:
    disk = tmp_path / "disk"
    disk.mkdir()
    shim = tmp_path / "planqa"
    shim.write_text(f'#!/bin/sh\nexec "{sys.executable}" -m planqa.cli "$@"\n')
    shim.chmod(0o755)
    env = {**os.environ, "DISK": str(disk), "PLANQA": str(shim), "DISTRICT": str(DISTRICT), "PROVINCE": str(PROVINCE)}
    result = subprocess.run(
        [*_mount_namespace(), "bash", "-c", DISK_SCRIPT], env=env, capture_output=True, text=True, timeout=600
    )
    if result.returncode == 97:
        pytest.fail("could not mount a tmpfs in a private namespace: " + result.stdout + result.stderr)
    steps = _steps(result.stdout)
    assert "Traceback" not in result.stdout, result.stdout
    district = _clause_count(DISTRICT)

    assert steps["first"][0] == 0
    code, out = steps["full"]
    assert code == 1 and "full" in out and "KB free" in out, out  # one line that names the cause
    # While the disk is full Chroma cannot even read (it applies its log first): a clear error, no guess.
    assert steps["full_docs"][0] == 0 or "full" in steps["full_docs"][1]
    code, out = steps["freed_docs"]
    assert code == 0, out
    docs = {d["id"]: d for d in json.loads(out)}
    assert list(docs) == ["zhushan-health-capacity-plan-2023"]  # the failed notice left nothing
    assert docs["zhushan-health-capacity-plan-2023"]["clauses"] == district
    assert steps["again"][0] == 0

    for name in ("ro_ask", "ro_ingest"):
        code, out = steps[name]
        assert code == 1 and "read-only" in out and out.count("\n") <= 2, out
    docs = {d["id"]: d for d in json.loads(steps["rw_docs"][1])}
    assert set(docs) == {"zhushan-health-capacity-plan-2023", "jiangxi-health-capacity-plan-2023"}
    assert docs["zhushan-health-capacity-plan-2023"]["clauses"] == district


def test_the_chroma_server_stopping_during_questions_and_coming_back(tmp_path: Path) -> None:
    with chroma_server(tmp_path) as server:
        library = Library.from_config(Config(data_dir=tmp_path / "data", chroma_url=server.url))
        library.ingest([DISTRICT])
        assistant = Assistant(library)
        question = "珠山区每千人口托位数的目标是多少？"
        expected = assistant.ask(question).first_line

        outcomes: list[str] = []
        stop = threading.Event()

        def keep_asking() -> None:
            while not stop.is_set() or len(outcomes) < 5:
                try:
                    outcomes.append("answer" if assistant.ask(question).first_line == expected else "WRONG")
                except IndexUnavailable as err:
                    outcomes.append("error" if "\n" not in str(err) else "MULTILINE")
                except Exception as err:  # anything else would reach a user as a traceback
                    outcomes.append(f"UNEXPECTED {type(err).__name__}: {err}")

        asker = threading.Thread(target=keep_asking)
        asker.start()
        while len(outcomes) < 5:
            threading.Event().wait(0.05)
        server.kill()  # mid-stream: the question in flight, and those after it, meet a dead server
        stop.set()
        asker.join(timeout=120)
        assert not asker.is_alive()
        assert set(outcomes) <= {"answer", "error"}, outcomes
        assert outcomes[0] == "answer" and outcomes[-1] == "error"
        assert library.health() is not None

        cli = planqa(tmp_path / "cli", "ask", question, PLANQA_CHROMA_URL=server.url)
        assert cli.returncode == 1 and _one_line_error(cli), cli.stderr

        server.start()  # the same folder and port: the same index comes back
        assert library.health() is None
        assert assistant.ask(question).first_line == expected  # the same objects recover, no restart
        assert _indexed_via(server.url, tmp_path) == {"zhushan-health-capacity-plan-2023": _clause_count(DISTRICT)}


def _indexed_via(url: str, tmp_path: Path) -> dict[str, int]:
    result = planqa(tmp_path / "cli", "docs", "--json", PLANQA_CHROMA_URL=url)
    assert result.returncode == 0, result.stderr
    return {d["id"]: d["clauses"] for d in json.loads(result.stdout)}


def test_questions_during_ingests_see_one_version_whole(tmp_path: Path) -> None:
    """An ingest replaces a notice while questions keep coming: each answer and its citations come from
    one version (the target figure, the task and its annex row agree), and no question goes unanswered."""
    old, new = tmp_path / "v1" / "zhushan.txt", tmp_path / "v2" / "zhushan.txt"  # one document id, two versions
    for path, figure in ((old, "3.8"), (new, "4.6")):
        path.parent.mkdir()
        path.write_text(DISTRICT.read_text("utf-8").replace("每千人口托位数达到 3.8", f"每千人口托位数达到 {figure}"))
    library = Library.from_config(Config(data_dir=tmp_path / "data"))
    library.ingest([old])
    assistant = Assistant(library)
    done = threading.Event()
    failures: list[BaseException] = []

    def ingest_back_and_forth() -> None:
        try:
            for round_ in range(4):
                library.ingest([new if round_ % 2 == 0 else old])
        except BaseException as err:  # reported by the main thread
            failures.append(err)
        finally:
            done.set()

    writer = threading.Thread(target=ingest_back_and_forth)
    writer.start()
    seen: list[str] = []
    while not done.is_set():
        answer = assistant.ask("珠山区每千人口托位数的目标是多少？")
        cited = " ".join(c.text for c in answer.citations)
        assert not answer.abstained, answer.text
        assert ("3.8" in answer.first_line) != ("4.6" in answer.first_line), answer.first_line
        assert not ("每千人口托位数达到 3.8" in cited and "每千人口托位数达到 4.6" in cited), cited
        seen.append("3.8" if "3.8" in answer.first_line else "4.6")
    writer.join()
    assert not failures, failures
    assert {"3.8", "4.6"} <= set(seen), seen  # the questions really overlapped the ingests
