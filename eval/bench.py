"""``planqa bench``: ingest and answer speed, memory, and how they grow with the corpus, measured in
one run beside the LangChain baseline of ``baseline.py``.

Everything is measured through the same objects users run (``Library.ingest``, ``Assistant.ask``,
``planqa serve``); the embedder is wrapped to time its share. Speed goals live here, never in tests.
"""

from __future__ import annotations

import json
import os
import socket
import subprocess
import sys
import threading
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from planqa.assistant import Assistant
from planqa.eval.gold import GoldItem
from planqa.eval.retrieval import evidence_rank
from planqa.library import Library, bundled_corpus
from planqa.retrieval.embedders import Embedder, get_embedder

Say = Callable[[str], None]


class TimedEmbedder:
    """An embedder that adds up the seconds spent in it, so a stage can report its embedding share."""

    def __init__(self, inner: Embedder):
        self.inner, self.seconds = inner, 0.0
        self.model_id, self.dim = inner.model_id, inner.dim

    def embed_documents(self, texts: Sequence[str]) -> list[list[float]]:
        started = time.perf_counter()
        try:
            return self.inner.embed_documents(texts)
        finally:
            self.seconds += time.perf_counter() - started

    def embed_query(self, text: str) -> list[float]:
        started = time.perf_counter()
        try:
            return self.inner.embed_query(text)
        finally:
            self.seconds += time.perf_counter() - started


@dataclass
class Bench:
    """The figures of one run; ``to_dict`` is the JSON written by ``--json``."""

    machine: dict[str, Any] = field(default_factory=dict)
    ingest: dict[str, Any] = field(default_factory=dict)
    answers: dict[str, Any] = field(default_factory=dict)
    memory: dict[str, Any] = field(default_factory=dict)
    scale: list[dict[str, Any]] = field(default_factory=list)
    largest: dict[str, Any] = field(default_factory=dict)  # the largest size: cold start, serve, server, load
    baseline: dict[str, Any] = field(default_factory=dict)

    def to_dict(self) -> dict[str, Any]:
        return dict(self.__dict__)


def pct(values: Sequence[float], q: float) -> float:
    if not values:
        return 0.0
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(q * (len(ordered) - 1)))]


def timed_ingest(library: Library, timed: TimedEmbedder, paths: Sequence[Path]) -> dict[str, Any]:
    timed.seconds = 0.0
    started = time.perf_counter()
    report = library.ingest(list(paths))
    seconds = time.perf_counter() - started
    if report.failed:
        raise RuntimeError(f"bench ingest failed: {report.failed}")
    return {
        "documents": len(report.added) + len(report.replaced),
        "clauses": report.clauses,
        "seconds": round(seconds, 2),
        "clauses_per_s": round(report.clauses / seconds, 1) if seconds else 0.0,
        "embedding_share": round(timed.seconds / seconds, 3) if seconds else 0.0,
    }


def ask_all(assistant: Assistant, timed: TimedEmbedder, items: Sequence[GoldItem]) -> dict[str, Any]:
    assistant.ask("预热 / warm-up")
    totals, embeds, retrieves, answers = [], [], [], []
    for item in items:
        before = timed.seconds
        answer = assistant.ask(item.question, list(item.turns[:-1]))
        embed = (timed.seconds - before) * 1000
        t = answer.timings
        totals.append(t.get("total_ms", 0.0))
        embeds.append(embed)
        retrieves.append(max(0.0, t.get("retrieve_ms", 0.0) - embed))
        answers.append(t.get("answer_ms", 0.0) + t.get("read_ms", 0.0))
    return {
        "questions": len(items),
        "p50_ms": round(pct(totals, 0.5), 1),
        "p95_ms": round(pct(totals, 0.95), 1),
        "embed_p50_ms": round(pct(embeds, 0.5), 1),
        "retrieve_p50_ms": round(pct(retrieves, 0.5), 1),
        "answer_p50_ms": round(pct(answers, 0.5), 1),
    }


def hit5(library: Library, items: Sequence[GoldItem], doc_ids: Sequence[str] | None) -> float:
    scored = [i for i in items if i.answerable and i.type != "overview"]
    found = 0
    for item in scored:
        rank = evidence_rank(item, library.search(item.standalone, 5, doc_ids))
        found += rank is not None and rank <= 5
    return round(found / len(scored), 3) if scored else 0.0


def free_port() -> int:
    """A free loopback port (for `planqa serve` here and in the tests)."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def cold_start(data_dir: Path, question: str) -> float:
    started = time.perf_counter()
    subprocess.run(
        [sys.executable, "-m", "planqa.cli", "--data-dir", str(data_dir), "ask", question],
        capture_output=True,
        check=False,
        timeout=900,  # a 1,000× library reads 150,000 clauses first
    )
    return round(time.perf_counter() - started, 2)


def serve_memory(data_dir: Path, questions: Sequence[str]) -> dict[str, Any]:
    """Peak RSS of ``planqa serve``: idle after start, then while it answers ``questions``."""
    import psutil
    from gradio_client import Client

    from planqa.eval.load import serving

    with serving(data_dir, {"GRADIO_ANALYTICS_ENABLED": "False"}, seconds=900) as (url, pid):
        client = Client(url, verbose=False)
        process = psutil.Process(pid)
        time.sleep(2)
        idle = process.memory_info().rss
        peak = [idle]
        done = threading.Event()

        def sample() -> None:
            while not done.is_set():
                peak.append(process.memory_info().rss)
                time.sleep(0.1)

        sampler = threading.Thread(target=sample, daemon=True)
        sampler.start()
        for q in questions:
            client.predict(q, "", api_name="/ask")
        done.set()
        sampler.join()
        return {"idle_mb": round(idle / 2**20), "peak_under_gold_mb": round(max(peak) / 2**20)}


def baseline_figures(embedder: Embedder, files: Sequence[Path], items: Sequence[GoldItem]) -> dict[str, Any]:
    from planqa.eval.baseline import BaselineIndex

    started = time.perf_counter()
    index = BaselineIndex.build(files, embedder)
    build = time.perf_counter() - started
    latencies = []
    for item in items:
        t0 = time.perf_counter()
        index.search(item.standalone)
        latencies.append((time.perf_counter() - t0) * 1000)
    index.close()
    return {
        "chunks": index.chunks,
        "ingest_s": round(build, 2),
        "p50_ms": round(pct(latencies, 0.5), 1),
        "p95_ms": round(pct(latencies, 0.95), 1),
    }


def run_bench(items: Sequence[GoldItem], work: Path, scales: Sequence[int], embed_model: str, say: Say) -> Bench:
    """The whole benchmark; ``work`` is an empty folder it may fill (indexes, synthetic notices)."""
    import platform

    from planqa.eval.pdfmaker import notice_pdf

    bench = Bench(machine={"cpus": os.cpu_count(), "python": platform.python_version(), "model": embed_model})
    items = [i for i in items if not i.corpus]
    sources = sorted(p for p in bundled_corpus().glob("*.txt"))

    say("model load")
    started = time.perf_counter()
    timed = TimedEmbedder(get_embedder(embed_model, work))
    timed.inner.embed_query("预热")  # the engine loads its weights on first use
    bench.ingest["model_load_s"] = round(time.perf_counter() - started, 2)

    say("ingest: text")
    text_lib = Library.embedded(timed, work / "text")
    bench.ingest["text"] = timed_ingest(text_lib, timed, sources)
    say("ingest: PDF")
    (work / "pdf-src").mkdir()
    pdfs = [notice_pdf(p.read_text("utf-8"), work / "pdf-src" / f"{p.stem}.pdf") for p in sources]
    bench.ingest["pdf"] = timed_ingest(Library.embedded(timed, work / "pdf"), timed, pdfs)

    say("answers: warm")
    bench.answers["warm"] = ask_all(Assistant(text_lib), timed, items)
    say("answers: cold start")
    bench.answers["cold_start_s"] = cold_start(work / "text", items[0].question)
    say("memory: planqa serve")
    bench.memory = serve_memory(work / "text", [i.question for i in items])

    say("baseline")
    bench.baseline = baseline_figures(timed.inner, sources, items)

    from planqa.eval.scale import largest, scale_rows

    originals = [d.id for d in text_lib.documents()]
    bench.scale = scale_rows(sources, items, originals, timed, work, scales, say)
    if max(scales) > 1:
        bench.largest = largest(work, items, timed, sources, say)
    return bench


def ratios(bench: Bench) -> dict[str, float]:
    """planqa ÷ baseline at 1× (below 1 means planqa is faster)."""
    base, warm = bench.baseline, bench.answers.get("warm", {})
    out = {}
    if base.get("ingest_s"):
        out["ingest"] = round(bench.ingest["text"]["seconds"] / base["ingest_s"], 2)
    if base.get("p50_ms"):
        out["p50"] = round(warm["p50_ms"] / base["p50_ms"], 2)
        out["p95"] = round(warm["p95_ms"] / base["p95_ms"], 2)
    return out


def table(bench: Bench) -> str:
    """The terminal table (also the README's)."""
    t, p, w = bench.ingest["text"], bench.ingest["pdf"], bench.answers["warm"]
    r = ratios(bench)
    lines = [
        f"machine: {bench.machine['cpus']} CPUs, Python {bench.machine['python']}, model {bench.machine['model']}",
        "| measure | planqa | baseline | planqa ÷ baseline |",
        "|---|---|---|---|",
        f"| model load | {bench.ingest['model_load_s']} s | (same model) | |",
        f"| ingest bundled text ({t['clauses']} clauses) | {t['seconds']} s, {t['clauses_per_s']} clauses/s, "
        f"embedding {t['embedding_share']:.0%} | {bench.baseline.get('ingest_s')} s "
        f"({bench.baseline.get('chunks')} chunks) | {r.get('ingest', '')} |",
        f"| ingest bundled PDF ({p['clauses']} clauses) | {p['seconds']} s, {p['clauses_per_s']} clauses/s | | |",
        f"| cold start to first answer | {bench.answers['cold_start_s']} s | | |",
        f"| warm ask p50 / p95 | {w['p50_ms']} / {w['p95_ms']} ms | {bench.baseline.get('p50_ms')} / "
        f"{bench.baseline.get('p95_ms')} ms (search only) | {r.get('p50', '')} / {r.get('p95', '')} |",
        f"| p50 split: embed / retrieve / answer | {w['embed_p50_ms']} / {w['retrieve_p50_ms']} / "
        f"{w['answer_p50_ms']} ms | | |",
        f"| serve RSS idle / under the gold set | {bench.memory.get('idle_mb')} / "
        f"{bench.memory.get('peak_under_gold_mb')} MB | | |",
        "",
        "| scale | notices | clauses | ingest of the added notices | ask p50 / p95 | hit@5 scoped / unscoped "
        "| baseline ingest, p50 / p95 |",
        "|---|---|---|---|---|---|---|",
    ]
    for row in bench.scale:
        a, b = row["ingest_added"], row.get("baseline")
        ingest = f"{a.get('seconds')} s ({a.get('clauses_per_s')} clauses/s)" if a else "—"
        base = f"{b['ingest_s']} s, {b['p50_ms']} / {b['p95_ms']} ms" if b else "not run (see below)"
        lines.append(
            f"| {row['scale']}× | {row['documents']} | {row['clauses']} | {ingest} | {row['p50_ms']} / "
            f"{row['p95_ms']} ms | {row['hit5_scoped']} / {row['hit5_unscoped']} | {base} |"
        )
    if bench.scale:
        from planqa.eval.scale import BASELINE_MAX_SCALE

        v = bench.scale[-1].get("vectors", {})
        lines += [
            "",
            f"Copies' vectors derived from the originals' (noise σ = {v.get('noise')} per dimension), not embedded: "
            f"{v.get('derived')} derived, {v.get('embedded')} embedded by the model; questions embedded by the model. "
            f"The baseline runs up to {BASELINE_MAX_SCALE}× (it embeds its own chunks).",
        ]
    lines += _largest_lines(bench)
    return "\n".join(lines)


def _largest_lines(bench: Bench) -> list[str]:
    big = bench.largest
    if not big:
        return []
    if "error" in big:  # what was measured before the failed step, then the error
        done = {k: v for k, v in big.items() if k != "error"}
        measured = json.dumps(done, ensure_ascii=False)
        return ["", f"At the largest size, measured: {measured}; then failed: {big['error']}"]
    size, srv, mem, load, one = bench.scale[-1], big["via_server"], big["memory"], big["load"], big["add_one"]
    return [
        "",
        f"At {size['scale']}× ({size['documents']} notices, {size['clauses']} clauses):",
        "",
        "| measure | figure |",
        "|---|---|",
        f"| new process, cold start to first answer (`planqa ask`) | {big['cold_start_s']} s |",
        f"| warm ask p50 / p95, embedded Chroma | {size['p50_ms']} / {size['p95_ms']} ms |",
        f"| warm ask p50 / p95, through `chroma run` | {srv['p50_ms']} / {srv['p95_ms']} ms |",
        f"| serve RSS idle / under the gold set | {mem['idle_mb']} / {mem['peak_under_gold_mb']} MB |",
        f"| load test {load['sessions']}×{load['questions_per_session']}: p50 / p95, throughput | "
        f"{load['p50_ms']} / {load['p95_ms']} ms, {load['throughput_qps']} q/s |",
        f"| answers equal to one user's | {load['answered'] - len(load['mismatches'])} of {load['answered']}"
        f"{', errors: ' + str(len(load['errors'])) if load['errors'] else ''} |",
        f"| adding one notice (embedded by the model): into this library / into an empty one | "
        f"{one['large']['seconds']} / {one['empty']['seconds']} s ({one['ratio']}×) |",
    ]


def plot(bench: Bench, out: Path) -> Path:
    """Warm ask latency against corpus size, planqa and the baseline (PNG)."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    sizes = [row["clauses"] for row in bench.scale]
    fig, ax = plt.subplots(figsize=(6.4, 4))
    ax.plot(sizes, [r["p50_ms"] for r in bench.scale], "o-", label="planqa p50")
    ax.plot(sizes, [r["p95_ms"] for r in bench.scale], "o--", label="planqa p95")
    based = [r for r in bench.scale if r.get("baseline")]
    ax.plot(
        [r["clauses"] for r in based],
        [r["baseline"]["p50_ms"] for r in based],
        "s-",
        label="LangChain baseline p50 (search only)",
    )
    ax.set_xscale("log")
    ax.set_xlabel("clauses in the index (log)")
    ax.set_ylabel("warm latency per question (ms)")
    ax.set_title("planqa ask latency vs corpus size")
    ax.grid(True, alpha=0.3)
    ax.legend()
    fig.tight_layout()
    fig.savefig(out, dpi=120)
    plt.close(fig)
    return out
