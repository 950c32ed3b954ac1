"""``planqa bench``: speed, memory and scale, measured on this machine beside the LangChain baseline."""

from __future__ import annotations

import json
import tempfile
from pathlib import Path

import click

from planqa.cli.base import _friendly, cli


def _scales(value: str) -> list[int]:
    try:
        scales = sorted({int(v) for v in value.split(",") if v.strip()})
    except ValueError:
        raise click.BadParameter("例如 1,10,100 / e.g. 1,10,100") from None
    if not scales or scales[0] < 1:
        raise click.BadParameter("倍数须为正整数 / scales are positive integers")
    return scales


@cli.command()
@click.option("--json", "json_out", type=click.Path(dir_okay=False, path_type=Path), help="结果写入 JSON / figures")
@click.option("--plot", "plot_out", type=click.Path(dir_okay=False, path_type=Path), help="延迟随规模变化图 PNG")
@click.option("--scale", "scale_spec", default="1,10", show_default=True, help="语料倍数 / corpus sizes, e.g. 1,10,100")
@click.option("--work-dir", type=click.Path(file_okay=False, path_type=Path), help="临时索引目录 / scratch folder")
@click.pass_context
@_friendly
def bench(
    ctx: click.Context, json_out: Path | None, plot_out: Path | None, scale_spec: str, work_dir: Path | None
) -> None:
    """性能基准：导入、问答速度、内存和规模 / benchmark ingest, answers, memory and scale.

    \b
    In one run on this machine: ingest of the bundled notices (text and PDF) with the embedding
    share; cold start and warm ask p50/p95 over the gold questions, split into embed / retrieve /
    answer; peak RSS of `planqa serve` idle and under the gold set; then synthetic corpora of
    1×, 10×, 100× the bundled size (each copy re-issued under a new place and 文号, figures
    perturbed): ingest time, ask p50/p95 and hit@5 of the original questions at each size; and the
    LangChain baseline's figures beside planqa's. Indexes go to a scratch folder, never yours.
    100× takes several minutes on 2 cores.

    \b
    Example:  planqa bench --scale 1,10,100 --json bench.json --plot docs/images/latency.png
    """
    from planqa.eval.bench import plot, run_bench, table
    from planqa.eval.gold import load_gold

    scales = _scales(scale_spec)
    with tempfile.TemporaryDirectory(prefix="planqa-bench-", dir=work_dir) as work:
        result = run_bench(
            load_gold(), Path(work), scales, ctx.obj.embed_model, lambda s: click.echo(f"… {s}", err=True)
        )
    click.echo(table(result))
    if json_out:
        json_out.write_text(json.dumps(result.to_dict(), ensure_ascii=False, indent=2), "utf-8")
    if plot_out:
        plot(result, plot_out)
        click.echo(f"plot: {plot_out}", err=True)
