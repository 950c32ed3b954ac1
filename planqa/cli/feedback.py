"""``planqa feedback``: what users said about answers, exported, or turned into gold items."""

from __future__ import annotations

import json
from pathlib import Path

import click

from planqa.cli.base import _friendly, cli
from planqa.feedback import open_feedback, write_jsonl
from planqa.workbook import append_rows

COLUMNS = ("id", "time", "verdict", "question", "history", "answer", "wrong", "correct", "clause", "index_version")


@cli.command()
@click.option("--wrong", "only_wrong", is_flag=True, help="只列出有误 / only answers marked wrong")
@click.option(
    "--export",
    "export_to",
    type=click.Path(dir_okay=False, path_type=Path),
    help="导出到 .xlsx 或 .jsonl / export every record",
)
@click.option(
    "--to-gold",
    "gold_to",
    type=click.Path(dir_okay=False, path_type=Path),
    help="把更正写成金标准题 / write each correction as a gold item (JSONL) for `planqa eval`",
)
@click.pass_context
@_friendly
def feedback(ctx: click.Context, only_wrong: bool, export_to: Path | None, gold_to: Path | None) -> None:
    """用户反馈：列出、导出、转为回归测试 / feedback on answers: list, export, make tests.

    \b
    Every 有用 / 有误 from the web chat is kept in <data-dir>/feedback.sqlite3 (all planqa processes
    on one data dir write to that one file), or with --chroma-url in the Chroma server's
    planqa-feedback collection, which every process of a server-mode deployment shares; each with
    the question, its history, the answer, its citations and the index version it came from.

    \b
    Examples:
      planqa feedback                      # the records, newest last
      planqa feedback --export fb.xlsx     # or fb.jsonl
      planqa feedback --to-gold fixes.jsonl && planqa eval fixes.jsonl
    """
    store = open_feedback(ctx.obj.data_dir, ctx.obj.chroma_url)
    records = store.all("wrong" if only_wrong or gold_to else None)
    if gold_to is not None:
        items = [g for r in records if (g := r.gold())]
        write_jsonl(items, gold_to)
        click.echo(f"{len(items)} 条更正写成金标准题 / gold items written to {gold_to} ({len(records)} marked wrong)")
        return
    if export_to is not None:
        _export([r.to_dict() for r in records], export_to)
        click.echo(f"{len(records)} 条反馈导出到 / records exported to {export_to}")
        return
    if not records:
        click.echo(f"还没有反馈 / no feedback yet ({store.where})")
        return
    for r in records:
        mark = "有用 useful" if r.verdict == "useful" else "有误 wrong "
        line = f"#{r.id}  {r.to_dict()['time']}  {mark}  {r.question}"
        if r.correct:
            line += f"  → {r.correct}"
        click.echo(line)


def _cell(value: object) -> object:
    return json.dumps(value, ensure_ascii=False) if isinstance(value, list) else value


def _export(rows: list[dict], path: Path) -> None:  # type: ignore[type-arg]
    if path.suffix.lower() == ".jsonl":
        write_jsonl(rows, path)
        return
    if path.suffix.lower() != ".xlsx":
        raise click.BadParameter("导出为 .xlsx 或 .jsonl / export to .xlsx or .jsonl", param_hint="--export")
    from openpyxl import Workbook

    book = Workbook()
    sheet = book.active
    sheet.title = "feedback"
    cells = [[_cell(r[c]) for c in COLUMNS] for r in rows]
    append_rows(sheet, [COLUMNS, *cells])
    book.save(path)
