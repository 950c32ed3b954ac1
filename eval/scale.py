"""The scale part of ``planqa bench``: the bundled notices with 10×, 100×, 1,000× synthetic copies.

Each size is measured through the objects users run: ingest of the added copies, warm ``ask``
p50/p95 and hit@5 of the original questions. At the largest size, also what a deployment needs to
know: a new process's cold start, ``planqa serve``'s memory, ``ask`` through a ``chroma run``
server, and the load test (20 sessions × 10 questions) with its answers compared to one user's.

The copies' vectors are derived from the originals' (``synthetic.DerivedEmbedder``: the original's
vector with seeded noise), not embedded, so that 1,000× (150,000 clauses) builds in minutes; every
row says how many vectors were derived and how many embedded. Questions are embedded by the model.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from planqa.assistant import Assistant
from planqa.eval.bench import ask_all, baseline_figures, cold_start, free_port, hit5, serve_memory, timed_ingest
from planqa.eval.gold import GoldItem
from planqa.eval.load import load_questions, run_load, serving, wait_until_up
from planqa.eval.synthetic import NOISE, DerivedEmbedder, synthetic_corpus
from planqa.library import Library
from planqa.retrieval.store import ChromaStore

Say = Callable[[str], None]
# The baseline embeds its own chunks (its splitter cuts copies elsewhere than originals, so few can
# be derived): at 100× its 5,800 chunks took 14–35 min here, so it is measured up to this size.
BASELINE_MAX_SCALE = 10
LOAD_SESSIONS, LOAD_QUESTIONS = 20, 10


def scale_rows(
    sources: Sequence[Path],
    items: Sequence[GoldItem],
    originals: Sequence[str],
    timed: Any,
    work: Path,
    scales: Sequence[int],
    say: Say,
) -> list[dict[str, Any]]:
    """One row per size; the library grows from one size to the next (copies are only added)."""
    derived = DerivedEmbedder(timed, max(scales))
    scaled = Library.embedded(derived, work / "scale")  # type: ignore[arg-type]
    say("scale: the bundled notices (their vectors embedded, and remembered for the copies)")
    timed_ingest(scaled, timed, list(sources))
    derived.learning = False
    copies, rows = 0, []
    for s in sorted(scales):
        wanted = max(0, s - 1)
        say(f"scale {s}×: {wanted * len(sources)} synthetic notices beside the bundled ones")
        new = synthetic_corpus(sources, wanted - copies, work / "synthetic", start=copies) if wanted > copies else []
        copies = max(copies, wanted)
        row: dict[str, Any] = {"scale": s, "ingest_added": timed_ingest(scaled, timed, new) if new else {}}
        row.update(documents=len(scaled.documents()), clauses=len(scaled.clauses()))
        row["vectors"] = {"derived": derived.derived, "embedded": derived.embedded, "noise": NOISE}
        row.update(ask_all(Assistant(scaled), timed, items))
        row["hit5_scoped"] = hit5(scaled, items, originals)
        row["hit5_unscoped"] = hit5(scaled, items, None)
        if s <= BASELINE_MAX_SCALE:
            files = list(sources) + sorted((work / "synthetic").glob("*.txt"))[: wanted * len(sources)]
            row["baseline"] = baseline_figures(DerivedEmbedder(timed.inner, max(scales)), files, items)
        rows.append(row)
        say(
            f"scale {s}×: {row['clauses']} clauses, ask p50/p95 {row['p50_ms']}/{row['p95_ms']} ms, "
            f"hit@5 scoped {row['hit5_scoped']}, unscoped {row['hit5_unscoped']}"
        )
    return rows


def largest(work: Path, items: Sequence[GoldItem], timed: Any, sources: Sequence[Path], say: Say) -> dict[str, Any]:
    """Cold start, serve memory, ``ask`` through a Chroma server, and the load test, at the largest size."""
    out: dict[str, Any] = {}
    try:
        _deployment(work, items, timed, sources, say, out)
    except Exception as err:  # the steps measured before it stay in the report; the error says which failed
        say(f"largest size failed: {type(err).__name__}: {err}")
        out["error"] = f"{type(err).__name__}: {err}"
    return out


def _deployment(
    work: Path, items: Sequence[GoldItem], timed: Any, sources: Sequence[Path], say: Say, out: dict[str, Any]
) -> None:
    """The largest size's steps, each written into ``out`` as soon as it is measured."""
    data = work / "scale"
    say("largest size: a new process's cold start to its first answer")
    out["cold_start_s"] = cold_start(data, items[0].question)
    say("largest size: planqa serve memory")
    out["memory"] = serve_memory(data, [i.question for i in items])
    say("largest size: ask through a chroma run server on the same index")
    with _chroma_run(data / "chroma") as url:
        store = ChromaStore.open(timed.model_id, timed.dim, url=url)
        out["via_server"] = ask_all(Assistant(Library(store, timed, data)), timed, items)
    say(f"largest size: load test {LOAD_SESSIONS}×{LOAD_QUESTIONS} against planqa serve")
    with serving(data, {"GRADIO_ANALYTICS_ENABLED": "False"}, seconds=900) as (url, _):
        out["load"] = run_load(url, load_questions(items, LOAD_QUESTIONS), LOAD_SESSIONS, LOAD_QUESTIONS).to_dict()
    say("largest size: adding one notice, and the same notice into an empty library")
    out["add_one"] = add_one(work, timed, sources)


def add_one(work: Path, timed: Any, sources: Sequence[Path]) -> dict[str, Any]:
    """Ingest of one new notice (embedded by the model, as a user's upload is) into the largest
    library, against the same notice into an empty one; the process is warm in both (jieba and the
    model loaded, the large library's snapshot built, as in a running ``planqa serve``)."""
    notice = synthetic_corpus(sources[:1], 1, work / "one", start=len(list((work / "synthetic").glob("*.txt"))))
    empty = Library.embedded(timed, work / "empty")
    empty.ingest(synthetic_corpus(sources[1:], 1, work / "warm"))  # warms the process, then removed
    for doc in empty.documents():
        empty.remove(doc.id)
    into_empty = timed_ingest(empty, timed, notice)
    large = Library.embedded(timed, work / "scale")
    large.snapshot()
    into_large = timed_ingest(large, timed, notice)
    ratio = into_large["seconds"] / into_empty["seconds"] if into_empty["seconds"] else 0.0
    return {"empty": into_empty, "large": into_large, "ratio": round(ratio, 2)}


@contextmanager
def _chroma_run(folder: Path):  # type: ignore[no-untyped-def]
    """``chroma run --path folder`` on a free loopback port; yields its URL."""
    import shutil
    import subprocess
    import sys

    chroma = shutil.which("chroma") or str(Path(sys.executable).parent / "chroma")
    port = free_port()
    log = folder.parent / "chroma-server.log"
    with open(log, "wb") as sink:
        proc = subprocess.Popen(
            [chroma, "run", "--path", str(folder), "--host", "127.0.0.1", "--port", str(port)], stdout=sink, stderr=sink
        )
    url = f"http://127.0.0.1:{port}"
    try:
        wait_until_up(f"{url}/api/v2/heartbeat", proc, 300)
        time.sleep(1)
        yield url
    finally:
        proc.terminate()
        proc.wait(timeout=60)
