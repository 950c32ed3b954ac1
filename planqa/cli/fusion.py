"""``planqa eval-legal`` and ``planqa train-fusion``: retrieval measured, and its fusion fitted, on
documents it was not written for (``../shared/pools/legaldc-dev``, the real notices, the gold sets)."""

from __future__ import annotations

import json
import pickle
import sys
from pathlib import Path

import click

from planqa.cli.base import _Bar, _friendly, _library, cli
from planqa.library import Library

POOLS = Path("../shared/pools/legaldc-dev")
REAL = Path("../shared/real-notices")
FUSION_FILE = Path(__file__).resolve().parents[2] / "retrieval" / "fusion.json"


def _index(library: Library, name: str, files: list[Path], cache: Path) -> Library:
    """A scratch library of ``files`` kept under ``cache/name``: a second run re-embeds nothing."""
    scratch = Library.embedded(library.embedder, cache / name, library.retriever.weights)
    report = scratch.ingest(files, _Bar(sys.stderr.isatty()))
    click.echo(f"{name}: {len(scratch.documents())} documents indexed, {len(report.failed)} failed", err=True)
    return scratch


def _cache_option(func):  # type: ignore[no-untyped-def]
    return click.option(
        "--cache",
        type=click.Path(file_okay=False, path_type=Path),
        default=Path.home() / ".cache" / "planqa-pools",
        show_default=True,
        help="这些评测索引的存放目录 / where the pools' scratch indexes are kept between runs",
    )(func)


@cli.command("eval-legal")
@click.option("--pool", type=click.Path(exists=True, file_okay=False, path_type=Path), default=POOLS, show_default=True)
@click.option("--every", type=int, default=4, show_default=True, help="每 N 部法规取一部 / every N-th law (1 = all)")
@click.option("--baseline/--no-baseline", default=True, help="同时评测 LangChain 基线 / also score LangChain 500/50")
@_cache_option
@click.pass_context
@_friendly
def eval_legal(ctx: click.Context, pool: Path, every: int, baseline: bool, cache: Path) -> None:
    """在 Legal-DC 法规上评测检索 / retrieval on the Legal-DC laws, beside the LangChain pipeline.

    \b
    One index of the chosen laws; each question searched in all of them. Prints Legal-DC's recall@k
    (every reference line inside the top k passages), hit@1/5 and MRR for both systems.

    \b
    Example:  planqa eval-legal --every 4      (123 laws, 552 questions; ~15 min to embed the first time)
    """
    from planqa.eval.baseline import BaselineIndex
    from planqa.eval.legal import HEADER, CachedEmbedder, choose_docs, load_items, score

    files = choose_docs(pool, every)
    names = {f.stem for f in files}
    items = [i for i in load_items(pool) if i.doc in names]
    scratch = _index(_library(ctx), f"legal-every{every}", files, cache)

    def planqa_search(question: str) -> list[str]:
        return ["".join(c.text for c in hit.clauses) for hit in scratch.search(question, 10)]

    rows = [score("planqa", items, planqa_search)]
    if baseline:
        embedder = CachedEmbedder(scratch.embedder, cache / "peer-vectors.sqlite")
        peer = BaselineIndex.build(files, embedder)  # type: ignore[arg-type]
        rows.append(score(f"LangChain 500/50 ({peer.chunks} chunks)", items, lambda q: peer.search(q, 10)))
        peer.close()
    click.echo(f"{len(files)} laws, {len(items)} questions\n{HEADER}")
    for row in rows:
        click.echo(row.row())


@cli.command("train-fusion")
@click.option("--pool", type=click.Path(exists=True, file_okay=False, path_type=Path), default=POOLS, show_default=True)
@click.option("--every", type=int, default=4, show_default=True, help="每 N 部法规取一部 / every N-th law (1 = all)")
@click.option("--real", type=click.Path(exists=True, file_okay=False, path_type=Path), default=REAL, show_default=True)
@click.option("--out", type=click.Path(dir_okay=False, path_type=Path), default=FUSION_FILE, show_default=True)
@click.option("--reuse", is_flag=True, help="沿用上次保存的候选 / reuse the candidates the last run saved")
@_cache_option
@click.pass_context
@_friendly
def train_fusion(ctx: click.Context, pool: Path, every: int, real: Path, out: Path, cache: Path, reuse: bool) -> None:
    """拟合检索融合权重 / fit the retrieval fusion weights, k-fold by document.

    \b
    Candidates of every question of the Legal-DC laws chosen (--every), the real-notice gold and the
    public gold; a logistic regression of "holds the evidence" on Weights.FEATURES. Prints, per pool,
    the hand-set weights and the fitted ones scored k-fold by document (5 folds), then writes the
    weights fitted on all of them, with those figures, to --out.
    """
    saved = cache / f"candidates-every{every}.pickle"
    if reuse and saved.exists():
        questions = pickle.loads(saved.read_bytes())
    else:
        questions = _collect(_library(ctx), pool, every, real, cache)
        saved.write_bytes(pickle.dumps(questions))
    _fit_and_report(questions, out)


def _collect(library: Library, pool: Path, every: int, real: Path, cache: Path) -> list:  # type: ignore[type-arg]
    from planqa.eval import fusion
    from planqa.eval.gold import load_gold, real_gold
    from planqa.eval.legal import choose_docs, load_items, squeeze
    from planqa.library import bundled_corpus

    files = choose_docs(pool, every)
    names = {f.stem for f in files}
    legal = _index(library, f"legal-every{every}", files, cache)
    items = [(i.question, i.doc, i.evidence) for i in load_items(pool) if i.doc in names]
    questions = fusion.collect(legal, "legal", items, whole=True)
    notices = _index(library, "real-notices", sorted(real.glob("gov-cn-*.txt")), cache)
    gold = [
        (g.standalone, g.notice, tuple(squeeze(e) for e in g.evidence)) for g in load_gold(real_gold()) if g.answerable
    ]
    questions += fusion.collect(notices, "real", gold, whole=False)
    public = _index(library, "public", sorted(bundled_corpus().glob("*.txt")), cache)
    own = [g for g in load_gold() if g.answerable and not g.corpus]
    # The bundled plans are one group: the county plan restates the province's, so neither is unseen
    # while the other is fitted on.
    own_items = [(g.standalone, "public", tuple(squeeze(e) for e in g.evidence)) for g in own]
    questions += fusion.collect(public, "public", own_items, whole=False)
    return questions


def _fit_and_report(questions: list, out: Path) -> None:  # type: ignore[type-arg]
    from planqa.eval import fusion

    report = {"hand-set": fusion.metrics(questions, fusion.hand(questions))}
    report["fitted, 5-fold by document"] = fusion.metrics(questions, fusion.kfold(questions))
    weights = fusion.fit(questions)
    everyone = {q.group: weights for q in questions}
    report["fitted on all (in-sample)"] = fusion.metrics(questions, everyone)
    for name, pools in report.items():
        click.echo(f"\n{name}")
        for pool_name, figures in pools.items():
            click.echo(f"  {pool_name:7} " + "  ".join(f"{k} {v}" for k, v in figures.items()))
    fusion.save(out, weights, report)
    fitted = dict(zip(fusion.Weights.FEATURES, weights.round(3).tolist(), strict=True))
    click.echo(f"\nweights → {out}: " + json.dumps(fitted))
