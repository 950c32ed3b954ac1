"""``planqa eval``: score planqa on a gold Q&A set, through the same Assistant users talk to."""

from __future__ import annotations

import json
import sys
import tempfile
from pathlib import Path
from typing import Any

import click

from planqa.cli.base import _Bar, _friendly, _library, cli
from planqa.library import Library


@cli.command("eval")
@click.argument("gold", required=False, type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option(
    "--json", "json_out", type=click.Path(dir_okay=False, path_type=Path), help="逐题结果写入 JSON / per item"
)
@click.option("--report", type=click.Path(dir_okay=False, path_type=Path), help="评测报告写入 Markdown / report")
@click.option("--baseline", is_flag=True, help="同时评测 LangChain 朴素 RAG 基线 / also score the LangChain baseline")
@click.option("--retrievers", is_flag=True, help="对比 BM25、向量与融合检索 / also score BM25 and dense alone")
@click.option("--min-accuracy", type=float, help="答案准确率低于该值时退出码为 1 / fail below this accuracy (CI)")
@click.option("--min-hit1", type=float, help="hit@1 低于该值时退出码为 1 / fail below this hit@1 (CI)")
@click.option("--llm", "use_llm", is_flag=True, help="评测 LLM 答案（需设置 PLANQA_LLM）/ score the configured LLM")
@click.pass_context
@_friendly
def eval_(
    ctx: click.Context,
    gold: Path | None,
    json_out: Path | None,
    report: Path | None,
    baseline: bool,
    retrievers: bool,
    min_accuracy: float | None,
    min_hit1: float | None,
    use_llm: bool,
) -> None:
    """用标准问答集评测 / score answers and retrieval on the gold Q&A set.

    \b
    Every item goes through Assistant.ask, as in the chat. Prints answer accuracy, hit@1/hit@5/MRR
    of the evidence clause, citation accuracy, abstention precision/recall, per-type accuracy,
    p50/p95 latency and the failures. Without GOLD, the bundled set over the bundled notices.

    \b
    Examples:
      planqa eval --baseline --report eval-report.md
      planqa eval --min-accuracy 0.9          (exit 1 below the floor, for CI)
    """
    from planqa.assistant import Assistant
    from planqa.eval.answers import score_answers
    from planqa.eval.gold import eval_notices, load_gold
    from planqa.eval.report import markdown_report, summary_table

    items = load_gold(gold)
    library = _library(ctx)
    library.ensure_corpus(_Bar(sys.stderr.isatty()))
    writer = None
    if use_llm:
        from planqa.answering.llm import LLMWriter

        writer = LLMWriter.from_config(ctx.obj)
        if writer is None:
            raise click.ClickException("--llm 需要先设置 PLANQA_LLM 等 / set PLANQA_LLM (see README: configuration)")
    assistant = Assistant(library, writer, ctx.obj.top_k)
    assistant.ask("warm-up / 预热", ())  # model and indexes load once, outside the timings
    with tempfile.TemporaryDirectory(prefix="planqa-eval-") as scratch:
        elsewhere = {}
        if any(item.corpus == "unseen" for item in items):
            unseen = Library.embedded(library.embedder, Path(scratch))
            unseen.ingest([eval_notices()])
            elsewhere["unseen"] = Assistant(unseen, writer, ctx.obj.top_k).ask
        score = score_answers(items, assistant.ask, elsewhere)
    base = None
    if baseline:
        from planqa.eval.baseline import run_baseline

        base = run_baseline([item for item in items if not item.corpus], library)
    extra = ""
    if retrievers:
        from planqa.eval.retrieval import compare_retrievers, format_table

        extra = format_table(compare_retrievers(items, library))
    click.echo(summary_table(score, base))
    if writer is not None:
        events = ", ".join(f"{k} {v}" for k, v in sorted(writer.events.items())) or "none"
        click.echo(f"LLM answers / LLM 答案: {events} (rejected = caught by the guard; the extractive answer stood)")
    if extra:
        click.echo("\n" + extra)
    failures = [r for r in score.rows if not r["ok"]]
    if failures:
        click.echo("\n失败 / failures:")
        for row in failures:
            click.echo(f"  {row['id']} [{row['why']}] {row['question']} → {row['answer'].splitlines()[0][:80]}")
    if json_out:
        data: dict[str, Any] = {"summary": score.summary(), "items": score.rows}
        if base is not None:
            data["baseline"] = base.__dict__
        json_out.write_text(json.dumps(data, ensure_ascii=False, indent=2), "utf-8")
    if report:
        report.write_text(markdown_report(score, base, extra), "utf-8")
    summary = score.summary()
    if min_accuracy is not None and summary["answer_accuracy"] < min_accuracy:
        raise click.ClickException(
            f"answer accuracy {summary['answer_accuracy']:.3f} is below the floor {min_accuracy}"
        )
    if min_hit1 is not None and summary["hit@1"] < min_hit1:
        raise click.ClickException(f"hit@1 {summary['hit@1']:.3f} is below the floor {min_hit1}")
