"""``planqa outline`` and ``planqa deadlines``: a plan's shape and its calendar, for new staff."""

from __future__ import annotations

import sys
from itertools import groupby
from pathlib import Path

import click

from planqa.cli.base import _Bar, _friendly, _library, cli


@cli.command()
@click.argument("doc", required=False)
@click.option("--xlsx", "xlsx_out", type=click.Path(dir_okay=False, path_type=Path), help="导出简报工作簿 / workbook")
@click.pass_context
@_friendly
def outline(ctx: click.Context, doc: str | None, xlsx_out: Path | None) -> None:
    """按章节显示计划的条款树、责任单位和指标 / a plan as a tree, with units and targets.

    \b
    Without DOC, every indexed notice. --xlsx writes a briefing workbook of one notice:
    sheets 条款 (the tree), 指标 (the targets), 时间表 (what is due when).

    \b
    Examples:
      planqa outline 江西
      planqa outline 珠山 --xlsx 珠山区计划.xlsx
    """
    from planqa.outline import briefing_xlsx, tree_lines

    library = _library(ctx)
    library.ensure_corpus(_Bar(sys.stderr.isatty()))
    catalog = library.catalog()
    docs = [library.resolve(doc)] if doc else library.documents()
    for info in docs:
        click.secho(f"{info.title}  {info.number}".strip(), bold=True)
        for line in tree_lines(catalog, info.id):
            click.echo("  " + line)
        click.echo()
    if xlsx_out:
        if len(docs) != 1:
            raise click.UsageError("--xlsx 需要指定一份通知 / name one notice for --xlsx")
        briefing_xlsx(catalog, docs[0].id, xlsx_out)
        click.echo(f"已写入 / written: {xlsx_out}", err=True)


@cli.command()
@click.option("--year", type=int, help="只看这一年 / only this year")
@click.option("--doc", "docs", multiple=True, help="只看这些通知 / only these notices (repeatable)")
@click.pass_context
@_friendly
def deadlines(ctx: click.Context, year: int | None, docs: tuple[str, ...]) -> None:
    """按年份列出各项任务的时限 / what is due, year by year.

    \b
    Every dated commitment in the tasks and annex rows (到2024年底…, 2025年6月底前…), grouped by
    year, each with its clause. The figures themselves are in `planqa targets`.

    \b
    Examples:
      planqa deadlines --year 2024
      planqa deadlines --doc 珠山
    """
    from planqa.outline import timeline

    library = _library(ctx)
    library.ensure_corpus(_Bar(sys.stderr.isatty()))
    doc_ids = [library.resolve(d).id for d in docs] or None
    catalog = library.catalog()
    items = timeline(catalog, doc_ids, year)
    if not items:
        click.echo(f"没有{year}年的时限 / nothing due then" if year else "没有时限 / no deadlines found")
        return
    for y, group in groupby(items, key=lambda d: d.year):
        click.secho(f"{y}年", bold=True)
        for d in group:
            where = d.clause.label or d.clause.section_path
            place = f"{catalog.docs[d.clause.doc_id].jurisdiction} " if len(doc_ids or catalog.docs) > 1 else ""
            click.echo(f"  {d.deadline:<10} {place}{where}：{d.what}")
