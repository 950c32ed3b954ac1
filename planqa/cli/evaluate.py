"""``planqa eval``: score planqa on a gold Q&A set."""

from __future__ import annotations

import json
import sys
from pathlib import Path

import click

from planqa.cli.base import _Bar, _library, cli


@cli.command("eval")
@click.argument("gold", required=False, type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--retrievers", is_flag=True, help="对比 BM25、向量与融合检索 / also score BM25 alone and dense alone")
@click.option("--json", "json_out", type=click.Path(dir_okay=False, path_type=Path), help="逐题结果写入 JSON")
@click.option("--min-hit1", type=float, help="hit@1 低于该值时退出码为 1 / fail below this hit@1 (for CI)")
@click.pass_context
def eval_(
    ctx: click.Context, gold: Path | None, retrievers: bool, json_out: Path | None, min_hit1: float | None
) -> None:
    """用标准问答集评测检索 / score retrieval on the gold Q&A set.

    \b
    Without GOLD, the bundled set (eval/gold.jsonl) over the bundled notices.
    Example:  planqa eval --retrievers
    """
    from planqa.eval.gold import load_gold
    from planqa.eval.retrieval import compare_retrievers, embedding_latency, format_table, score_retrieval

    items = load_gold(gold)
    library = _library(ctx)
    library.ensure_corpus(_Bar(sys.stderr.isatty()))
    if retrievers:
        scores = compare_retrievers(items, library)
    else:
        scores = [score_retrieval("planqa fusion", items, lambda q: library.search(q, 5))]
    fused = scores[-1]
    click.echo(format_table(scores))
    embed_ms = embedding_latency(library, items)
    click.echo(f"\nwarm retrieval p50 {fused.p50_ms:.1f} ms, p95 {fused.p95_ms:.1f} ms")
    click.echo(f"of which query embedding p50 {embed_ms:.1f} ms")
    if fused.misses:
        click.echo("\nnot first / 未排第一: " + ", ".join(f"{i} ({r or '>5'})" for i, r in fused.misses))
    if json_out:
        rows = [
            {
                "name": s.name,
                "items": s.items,
                "hit1": s.hit1,
                "hit5": s.hit5,
                "mrr": s.mrr,
                "p50_ms": s.p50_ms,
                "p95_ms": s.p95_ms,
                "by_type": s.by_type,
                "misses": s.misses,
            }
            for s in scores
        ]
        json_out.write_text(json.dumps(rows, ensure_ascii=False, indent=2), "utf-8")
    if min_hit1 is not None and fused.hit1 < min_hit1:
        raise click.ClickException(f"hit@1 {fused.hit1:.3f} is below the floor {min_hit1}")
