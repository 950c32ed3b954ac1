"""Commands over the library: ingest, list, remove, show clauses, search."""

from __future__ import annotations

import json
import sys
from pathlib import Path

import click

from planqa.cli.base import EXIT_PARTIAL, _Bar, _clause_json, _friendly, _hit_json, _library, cli
from planqa.library import IngestReport


@cli.command()
@click.argument("paths", nargs=-1, required=True, type=click.Path(path_type=Path))
@click.option("--quiet", "-q", is_flag=True, help="不显示进度条 / no progress bar")
@click.pass_context
@_friendly
def ingest(ctx: click.Context, paths: tuple[Path, ...], quiet: bool) -> None:
    """切分并索引通知文件或目录 / ingest notices (files or folders).

    \b
    Supported: .pdf (with a text layer), .txt/.md (UTF-8 or GBK), .docx.
    A notice is known by its 文号 (else its title, else its content), not its file name: the same
    file again changes nothing; a new version of an indexed notice replaces it and says which; a
    different notice under a file name already taken (实施方案.pdf) is added beside it.
    A bad file is reported and skipped; the index keeps its previous state for that document.
    Exit status: 0 all ingested, 3 some files failed, 1 nothing could be done.

    \b
    Example:  planqa ingest corpus/ ~/Downloads/某县实施方案.pdf
    """
    library = _library(ctx)
    bar = _Bar(not quiet)
    report = library.ingest(list(paths), bar)
    bar.close()
    _print_report(report)
    if report.failed:
        ctx.exit(EXIT_PARTIAL if report.added or report.replaced or report.unchanged else 1)


def _print_report(report: IngestReport) -> None:
    for doc in report.added:
        click.echo(f"新增 added     {doc.id}  {doc.title}  {doc.number}")
    for doc in report.replaced:
        old = report.superseded.get(doc.id)
        was = f"  (替换了 replaced {old.title} {old.number} [{old.source}])" if old else ""
        click.echo(f"更新 replaced  {doc.id}  {doc.title}  {doc.number}{was}")
    for doc in report.unchanged:
        click.echo(f"未变 unchanged {doc.id}")
    for name, reason in report.failed:
        click.echo(f"失败 failed    {name}: {reason}", err=True)
    for name, reason in report.ignored:
        click.echo(f"跳过 skipped   {name}: {reason}", err=True)
    for name, note in report.warnings:
        click.echo(f"注意 note      {name}: {note}", err=True)
    docs = len(report.added) + len(report.replaced)
    click.echo(
        f"{docs} documents indexed, {report.clauses} clauses, {report.targets} targets; "
        f"{len(report.unchanged)} unchanged, "
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
