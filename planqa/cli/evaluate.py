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
@click.option(
    "--notices",
    type=click.Path(exists=True, file_okay=False, path_type=Path),
    help="在临时索引中导入该目录的通知并评测 / index this folder in a scratch index and score GOLD on it",
)
@click.option(
    "--pattern",
    default="*",
    show_default=True,
    help="--notices 中要导入的文件 / which files of --notices to ingest, e.g. 'gov-cn-*.txt'",
)
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
    notices: Path | None,
    pattern: str,
) -> None:
    """用标准问答集评测 / score answers and retrieval on the gold Q&A set.

    \b
    Every item goes through Assistant.ask, as in the chat. Prints answer accuracy, hit@1/hit@5/MRR
    of the evidence clause, citation accuracy, abstention precision/recall, per-type accuracy,
    p50/p95 latency and the failures. Without GOLD, the bundled set over the bundled notices.

    \b
    With --notices DIR, the notices of DIR are ingested into a scratch index (never yours) and
    GOLD is scored on them alone: how planqa does on notices you bring.

    \b
    Examples:
      planqa eval --baseline --report eval-report.md
      planqa eval --min-accuracy 0.9          (exit 1 below the floor, for CI)
      planqa eval eval/real_gold.jsonl --notices ../shared/real-notices --pattern 'gov-cn-*.txt' --baseline
    """
    from planqa.assistant import Assistant
    from planqa.eval.answers import score_answers
    from planqa.eval.gold import eval_notices, load_gold
    from planqa.eval.report import markdown_report, summary_table

    items = load_gold(gold)
    library = _library(ctx)
    if use_llm and not ctx.obj.llm:
        raise click.ClickException("--llm 需要先设置 PLANQA_LLM 等 / set PLANQA_LLM (see README: configuration)")
    with tempfile.TemporaryDirectory(prefix="planqa-eval-") as scratch:
        if notices:  # the folder's notices alone, in a scratch index
            library = Library.embedded(library.embedder, Path(scratch) / "notices", library.retriever.weights)
            files = sorted(p for p in notices.rglob(pattern) if p.is_file())
            if not files:
                raise click.ClickException(f"{notices} 中没有匹配 {pattern} 的文件 / no file matches {pattern}")
            report_ = library.ingest(files, _Bar(sys.stderr.isatty()))
            click.echo(f"{notices}: {len(report_.added)} notices indexed, {len(report_.failed)} failed", err=True)
        else:
            library.ensure_corpus(_Bar(sys.stderr.isatty()))
        assistant = Assistant.from_config(ctx.obj, library, llm=use_llm)
        assistant.warm()  # model and indexes load once, outside the timings
        writer = assistant.writer
        elsewhere = {}
        if not notices and any(item.corpus == "unseen" for item in items):
            unseen = Library.embedded(library.embedder, Path(scratch) / "unseen", library.retriever.weights)
            unseen.ingest([eval_notices()])
            elsewhere["unseen"] = Assistant(unseen, writer, ctx.obj.top_k).ask  # one writer: its events count both
        score = score_answers(items, assistant.ask, elsewhere)
        base = None
        if baseline:
            from planqa.eval.baseline import run_baseline

            base = run_baseline([item for item in items if not item.corpus], library, notices)
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


@cli.command("calibrate")
@click.option(
    "--notices",
    type=click.Path(exists=True, file_okay=False, path_type=Path),
    help="真实通知目录，与其问答集一起参与拟合 / a folder of real notices, scored with --gold",
)
@click.option("--pattern", default="*", show_default=True, help="--notices 中要导入的文件 / which files to ingest")
@click.option(
    "--gold",
    "real",
    type=click.Path(exists=True, dir_okay=False, path_type=Path),
    help="--notices 的问答集（默认 eval/real_gold.jsonl）/ the gold set of --notices",
)
@click.pass_context
@_friendly
def calibrate_(ctx: click.Context, notices: Path | None, pattern: str, real: Path | None) -> None:
    """拟合拒答阈值并做留一通知交叉验证 / fit the abstention thresholds, report them leave-one-notice-out.

    \b
    Each gold item is asked once with abstention by coverage off; every threshold set of a grid is
    then scored on the answers. Prints the defaults' accuracy, the thresholds that fit both gold sets
    best, and the accuracy leave-one-notice-out: each notice scored with thresholds fitted without it.

    \b
    Example:
      planqa calibrate --notices ../shared/real-notices --pattern 'gov-cn-*.txt'
    """
    from planqa.answering.abstention import DEFAULT_ABSTENTION as DEFAULT
    from planqa.answering.abstention import NEVER
    from planqa.assistant import Assistant
    from planqa.eval.calibrate import signals
    from planqa.eval.gold import eval_notices, load_gold, real_gold

    library = _library(ctx)
    sets: dict[str, list] = {}
    with tempfile.TemporaryDirectory(prefix="planqa-calibrate-") as scratch:
        library.ensure_corpus(_Bar(sys.stderr.isatty()))
        unseen = Library.embedded(library.embedder, Path(scratch) / "unseen")
        unseen.ingest([eval_notices()])
        public = Assistant.from_config(ctx.obj, library, llm=False, abstention=NEVER)
        others = {"unseen": Assistant.from_config(ctx.obj, unseen, llm=False, abstention=NEVER).ask}
        sets["public"] = signals(load_gold(), public.ask, others)
        if notices:
            folder = Library.embedded(library.embedder, Path(scratch) / "notices")
            folder.ingest(sorted(p for p in notices.rglob(pattern) if p.is_file()), _Bar(sys.stderr.isatty()))
            answers = Assistant.from_config(ctx.obj, folder, llm=False, abstention=NEVER)
            sets["real"] = signals(load_gold(real or real_gold()), answers.ask)
    for line in _calibration_table(sets, DEFAULT):
        click.echo(line)


def _calibration_table(sets: dict[str, list], default: Any) -> list[str]:
    """Accuracy of the defaults, of the thresholds fitted on every item, and leave-one-notice-out."""
    from planqa.eval.calibrate import accuracy, calibrate

    both = [s for items in sets.values() for s in items]
    result = calibrate(both)
    columns = [*sets.values(), both]
    f = result.fitted
    fitted = f"fitted {f.min_coverage:.2f} / {f.low_coverage:.2f} / {f.min_matched:g}"
    d = f"defaults {default.min_coverage:.2f} / {default.low_coverage:.2f} / {default.min_matched:g}"
    loo = [_loo(result, items) for items in sets.values()] + [result.loo]
    return [
        f"{'':34}" + "".join(f"{name:>10}" for name in [*sets, "all"]),
        f"{d:34}" + "".join(f"{accuracy(v, default):>10.3f}" for v in columns),
        f"{fitted:34}" + "".join(f"{accuracy(v, f):>10.3f}" for v in columns),
        f"{'leave-one-notice-out':34}" + "".join(f"{v:>10.3f}" for v in loo),
        "(min_coverage / low_coverage / min_matched; leave-one-notice-out scores each notice with the "
        "thresholds fitted on all the others)",
    ]


def _loo(result: Any, items: list) -> float:
    groups = {s.group for s in items}
    right = sum(result.loo_by_group[g][0] * result.loo_by_group[g][1] for g in groups)
    return right / sum(result.loo_by_group[g][1] for g in groups) if groups else 0.0
