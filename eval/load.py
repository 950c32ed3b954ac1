"""Many officials at once: concurrent sessions against ``planqa serve`` through its ``ask`` API.

Each session is its own gradio_client connection, as a browser tab is its own Gradio session. The
single-user answer of every question is taken first; under load each answer must equal it exactly
(answer text, citations, abstention), so concurrency can cost time but never change what is said.
"""

from __future__ import annotations

import os
import subprocess
import sys
import threading
import time
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

from planqa.eval.bench import free_port, pct
from planqa.eval.gold import GoldItem

VOLATILE = ("timings_ms",)  # how long it took: the only part of an answer that may differ between runs


@dataclass(frozen=True)
class LoadReport:
    sessions: int
    questions_per_session: int
    answered: int
    seconds: float
    throughput_qps: float
    p50_ms: float
    p95_ms: float
    single_p50_ms: float
    mismatches: list[str] = field(default_factory=list)  # questions whose answer changed under load
    errors: list[str] = field(default_factory=list)

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)

    def summary(self) -> str:
        return (
            f"{self.sessions} sessions × {self.questions_per_session} questions: {self.answered} answered in "
            f"{self.seconds:.1f} s ({self.throughput_qps:.1f} questions/s), p50/p95 {self.p50_ms:.0f}/"
            f"{self.p95_ms:.0f} ms (one user alone: p50 {self.single_p50_ms:.0f} ms); "
            f"{len(self.mismatches)} answers differ from the single-user answer, {len(self.errors)} errors"
        )


def load_questions(items: Sequence[GoldItem], count: int) -> list[str]:
    """``count`` stand-alone gold questions spread over the set (follow-ups need their history)."""
    alone = [i.question for i in items if len(i.turns) == 1 and i.corpus != "unseen"]
    step = max(1, len(alone) // count)
    return alone[::step][:count]


@contextmanager
def serving(
    data_dir: Path, env: dict[str, str] | None = None, seconds: float = 240, log: Path | None = None
) -> Iterator[tuple[str, int]]:
    """``planqa serve`` on a free loopback port over ``data_dir``; yields its URL and process id.
    Its output goes to ``log`` when given, else nowhere."""
    port = free_port()
    with open(log, "wb") if log else open(os.devnull, "wb") as out:
        proc = subprocess.Popen(
            [sys.executable, "-m", "planqa.cli", "serve", "--port", str(port)],
            env={**os.environ, "PLANQA_DATA_DIR": str(data_dir), "PLANQA_AUTH": "", **(env or {})},
            stdout=out,
            stderr=out,
        )
    url = f"http://127.0.0.1:{port}/"
    try:
        wait_until_up(url, proc, seconds)
        yield url, proc.pid
    finally:
        proc.terminate()
        proc.wait(timeout=30)


def wait_until_up(url: str, proc: subprocess.Popen[bytes], seconds: float) -> None:
    """Return once ``url`` answers; RuntimeError if the process exits first or time runs out."""
    import urllib.request

    name = Path(str(proc.args[0])).name  # type: ignore[index]
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise RuntimeError(f"{name} exited with status {proc.returncode}")
        try:
            with urllib.request.urlopen(url, timeout=2):
                return
        except OSError:
            time.sleep(0.5)
    proc.kill()
    raise RuntimeError(f"{url} did not answer within {seconds:.0f} s")


def _stable(answer: dict[str, Any]) -> dict[str, Any]:
    return {k: v for k, v in answer.items() if k not in VOLATILE}


def run_load(url: str, questions: Sequence[str], sessions: int = 20, per_session: int = 10) -> LoadReport:
    """Ask each question once alone, then ``sessions`` × ``per_session`` at once; compare and time."""
    from gradio_client import Client

    alone = Client(url, verbose=False)
    single: dict[str, dict[str, Any]] = {}
    single_ms: list[float] = []
    for question in questions:
        started = time.perf_counter()
        single[question] = _stable(alone.predict(question, "", api_name="/ask"))
        single_ms.append((time.perf_counter() - started) * 1000)

    clients = [Client(url, verbose=False) for _ in range(sessions)]  # connected before the clock starts
    latencies: list[float] = []
    mismatches: list[str] = []
    errors: list[str] = []
    lock = threading.Lock()
    go = threading.Barrier(sessions + 1)

    def session(index: int) -> None:
        go.wait()
        for turn in range(per_session):
            question = questions[(index + turn) % len(questions)]  # sessions ask in different orders
            started = time.perf_counter()
            try:
                got = _stable(clients[index].predict(question, "", api_name="/ask"))
            except Exception as err:  # counted and reported, never hidden
                with lock:
                    errors.append(f"{question}: {type(err).__name__}: {err}")
                continue
            elapsed = (time.perf_counter() - started) * 1000
            with lock:
                latencies.append(elapsed)
                if got != single[question]:
                    mismatches.append(question)

    threads = [threading.Thread(target=session, args=(i,)) for i in range(sessions)]
    for thread in threads:
        thread.start()
    go.wait()
    started = time.perf_counter()
    for thread in threads:
        thread.join()
    seconds = time.perf_counter() - started
    return LoadReport(
        sessions=sessions,
        questions_per_session=per_session,
        answered=len(latencies),
        seconds=round(seconds, 2),
        throughput_qps=round(len(latencies) / seconds, 2) if seconds else 0.0,
        p50_ms=round(pct(latencies, 0.5), 1) if latencies else 0.0,
        p95_ms=round(pct(latencies, 0.95), 1) if latencies else 0.0,
        single_p50_ms=round(pct(single_ms, 0.5), 1),
        mismatches=sorted(set(mismatches)),
        errors=errors[:20],
    )
