"""``planqa targets``: the quantified targets of the indexed notices, and district ↔ province comparison."""

from __future__ import annotations

import csv
import json
from pathlib import Path
from typing import Any

import click

from planqa.catalog import ComparisonRow
from planqa.cli.base import _friendly, _library, cli
from planqa.types import Target
from planqa.workbook import append_rows

GAP = "未规定"


@cli.command()
@click.option(
    "--doc", "docs_", multiple=True, help="只看这些文件 / only these documents (id, 文号 or title; repeatable)"
)
@click.option("--indicator", default="", help="指标关键词（空格分隔，需全部出现）/ indicator words, all must occur")
@click.option("--year", type=int, help="只看该年的期限 / only targets due in this year")
@click.option("--compare", nargs=2, metavar="DOC_A DOC_B", help="对比两个文件的目标 / compare two documents")
@click.option("--json", "json_out", type=click.Path(dir_okay=False, path_type=Path), help="写入 JSON（每个目标一行）")
@click.option("--csv", "csv_out", type=click.Path(dir_okay=False, path_type=Path), help="写入 CSV")
@click.option("--xlsx", "xlsx_out", type=click.Path(dir_okay=False, path_type=Path), help="写入 Excel 工作簿")
@click.pass_context
@_friendly
def targets(
    ctx: click.Context,
    docs_: tuple[str, ...],
    indicator: str,
    year: int | None,
    compare: tuple[str, str] | None,
    json_out: Path | None,
    csv_out: Path | None,
    xlsx_out: Path | None,
) -> None:
    """量化目标表 / the targets table: every quantified target, parsed at ingest, with its source.

    \b
    Each row: indicator, value, unit, comparator (以上/不低于/左右…), deadline, condition,
    责任单位, and the clause address it was read from.
    With --compare, one row per indicator across two documents, paired through the
    district → province links; a gap is shown as 未规定.

    \b
    Examples:
      planqa targets --doc 江西 --year 2024
      planqa targets --indicator 托位数
      planqa targets --compare 江西 珠山 --xlsx 对比.xlsx
    """
    library = _library(ctx)
    library.ensure_corpus()
    catalog = library.catalog()
    if compare:
        left, right = (library.resolve(name) for name in compare)
        rows = [r for r in catalog.compare(left.id, right.id) if _wanted(r, indicator, year)]
        names = (left.jurisdiction or left.id, right.jurisdiction or right.id)
        _print_comparison(rows, names)
        table = _comparison_table(rows, names)
        records = [_comparison_json(r) for r in rows]
    else:
        doc_ids = [library.resolve(d).id for d in docs_] or None
        found = catalog.select(doc_ids, indicator, year)
        _print_targets(found)
        table = [_TARGET_HEADER, *(_target_cells(t) for t in found)]
        records = [t.to_dict() for t in found]
    if json_out:
        json_out.write_text(json.dumps(records, ensure_ascii=False, indent=2), "utf-8")
    if csv_out:
        with csv_out.open("w", newline="", encoding="utf-8-sig") as fh:  # BOM: Excel opens it as UTF-8
            csv.writer(fh).writerows(table)
    if xlsx_out:
        _write_xlsx(xlsx_out, table)


def _wanted(row: ComparisonRow, indicator: str, year: int | None) -> bool:
    sides = [t for t in (row.left, row.right) if t is not None]
    words = indicator.split()
    return all(any(w in t.indicator or w in t.source_text for t in sides) for w in words) and (
        year is None or any(t.year == year for t in sides)
    )


def _cell(t: Target | None) -> str:
    if t is None:
        return GAP
    when = f"{t.deadline} " if t.deadline else ""
    return f"{when}{t.amount}  〔{t.clause}〕"


def _print_targets(found: list[Target]) -> None:
    if not found:
        click.echo("没有符合条件的目标 / no targets match")
        return
    current = ""
    for t in found:
        if t.doc_id != current:
            current = t.doc_id
            click.echo(f"\n{t.scope or t.doc_id}  [{t.doc_id}]")
        cond = f"（{t.condition}）" if t.condition else ""
        when = t.deadline or "—"
        click.echo(f"  {when:<9} {t.indicator}{cond}：{t.amount}   〔{t.clause}〕")
    click.echo(f"\n{len(found)} targets")


def _print_comparison(rows: list[ComparisonRow], names: tuple[str, str]) -> None:
    if not rows:
        click.echo("没有可对比的目标 / nothing to compare")
        return
    for row in sorted(rows, key=lambda r: (r.left is None or r.right is None, r.changes == ())):
        cond = f"（{row.condition}）" if row.condition else ""
        click.echo(f"\n{row.indicator}{cond}")
        click.echo(f"  {names[0]}：{_cell(row.left)}")
        click.echo(f"  {names[1]}：{_cell(row.right)}")
        if row.changes:
            click.echo(f"  差异：{'；'.join(row.changes)}")
    both = sum(1 for r in rows if r.left and r.right)
    click.echo(f"\n{len(rows)} rows: {both} in both, {len(rows) - both} in one only")


_TARGET_HEADER = [
    "文件",
    "条款",
    "指标",
    "条件",
    "期限",
    "数值",
    "上限",
    "单位",
    "比较",
    "标记",
    "责任单位",
    "原文",
    "页码",
]


def _target_cells(t: Target) -> list[Any]:
    return [
        t.doc_id,
        t.address,
        t.indicator,
        t.condition,
        t.deadline,
        t.value,
        t.value_max if t.value_max is not None else "",
        t.unit,
        t.comparator,
        ",".join(t.flags),
        "、".join(t.units),
        t.source_text,
        ",".join(map(str, t.pages)),
    ]


def _comparison_table(rows: list[ComparisonRow], names: tuple[str, str]) -> list[list[Any]]:
    """Indicator rows, document × deadline columns: the layout a briefing table uses."""
    deadlines: list[list[str]] = [[], []]
    for row in rows:
        for side, t in enumerate((row.left, row.right)):
            if t is not None and (t.deadline or "—") not in deadlines[side]:
                deadlines[side].append(t.deadline or "—")
    for side in deadlines:
        side.sort()
    header = ["指标", "条件", *(f"{names[s]} {d}" for s in (0, 1) for d in deadlines[s]), "差异"]
    table: list[list[Any]] = [header]
    for row in rows:
        cells: list[Any] = [row.indicator, row.condition]
        for side, t in enumerate((row.left, row.right)):
            for d in deadlines[side]:
                hit = t is not None and (t.deadline or "—") == d
                cells.append(f"{t.amount} 〔{t.clause}〕" if hit and t else "")
            if t is None and deadlines[side]:  # a side with no columns has no cell to mark
                cells[-len(deadlines[side])] = GAP
        cells.append("；".join(row.changes))
        table.append(cells)
    return table


def _comparison_json(row: ComparisonRow) -> dict[str, Any]:
    return {
        "indicator": row.indicator,
        "condition": row.condition,
        "left": row.left.to_dict() if row.left else None,
        "right": row.right.to_dict() if row.right else None,
        "changes": list(row.changes),
        "values": [t.figure if t else GAP for t in (row.left, row.right)],
    }


def _write_xlsx(path: Path, table: list[list[Any]]) -> None:
    from openpyxl import Workbook

    book = Workbook()
    sheet = book.active
    sheet.title = "targets"
    append_rows(sheet, table)
    sheet.freeze_panes = "A2"
    book.save(path)
