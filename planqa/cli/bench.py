"""``planqa bench``: speed, memory and scale, measured on this machine beside the LangChain baseline."""

from __future__ import annotations

import importlib.util
import json
import tempfile
from pathlib import Path

import click

from planqa.cli.base import _friendly, cli


def _require(*modules: str) -> None:
    """Name the missing pieces in one line before any work starts (they are the ``bench`` extra)."""
    missing = [m for m in modules if importlib.util.find_spec(m) is None]
    if missing:
        raise click.ClickException(
            f"planqa bench 需要 / needs {', '.join(missing)}: .venv/bin/pip install -e '.[bench]' "
            "(scripts/setup.sh installs it)"
        )


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
@click.option(
    "--load",
    "load_spec",
    metavar="SESSIONSxQUESTIONS",
    help="只做并发测试 / only the load test: concurrent sessions × questions each against planqa serve, e.g. 20x10",
)
@click.pass_context
@_friendly
def bench(
    ctx: click.Context,
    json_out: Path | None,
    plot_out: Path | None,
    scale_spec: str,
    work_dir: Path | None,
    load_spec: str | None,
) -> None:
    """性能基准：导入、问答速度、内存和规模 / benchmark ingest, answers, memory and scale.

    \b
    In one run on this machine: ingest of the bundled notices (text and PDF) with the embedding
    share; cold start and warm ask p50/p95 over the gold questions, split into embed / retrieve /
    answer; peak RSS of `planqa serve` idle and under the gold set; then synthetic corpora of
    the --scale sizes (each copy re-issued under a new place and 文号, figures perturbed, its
    vectors derived from the original's with seeded noise): ingest time, ask p50/p95 and hit@5 of
    the original questions at each size, and the LangChain baseline's figures beside planqa's up
    to 10×. At the largest size also: a new process's cold start, `planqa serve` memory, ask
    through a `chroma run` server, the 20×10 load test, and the cost of adding one notice.
    Indexes go to a scratch folder, never yours. 100× takes several minutes on 2 cores;
    1,000× (150,000 clauses) about 40 minutes.

    With --load, only the load test: `planqa serve` over a scratch index (or the Chroma server of
    --chroma-url), each session its own gradio_client connection; reports throughput, p50/p95 and
    whether every answer equals the one-user answer.

    \b
    Examples:
      planqa bench --scale 1,10,100 --json bench.json --plot docs/images/latency.png
      planqa bench --scale 1,100,1000 --json docs/bench.json --plot docs/images/latency.png
      planqa bench --load 20x10
      planqa --chroma-url http://127.0.0.1:8000 bench --load 20x10
    """
    _require("psutil", "gradio_client", *(("matplotlib",) if plot_out else ()), *(() if load_spec else ("reportlab",)))
    if load_spec:
        _load(ctx, load_spec, work_dir, json_out)
        return
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


def _load(ctx: click.Context, spec: str, work_dir: Path | None, json_out: Path | None) -> None:
    from planqa.eval.gold import load_gold
    from planqa.eval.load import load_questions, run_load, serving

    try:
        sessions, per_session = (int(v) for v in spec.lower().replace("×", "x").split("x"))
    except ValueError:
        sessions = per_session = 0
    if sessions < 1 or per_session < 1:
        raise click.BadParameter("例如 20x10 / e.g. 20x10", param_hint="--load")
    env = {"PLANQA_CHROMA_URL": ctx.obj.chroma_url} if ctx.obj.chroma_url else {}
    with tempfile.TemporaryDirectory(prefix="planqa-load-", dir=work_dir) as work:
        click.echo("… starting planqa serve (its first start ingests the bundled notices)", err=True)
        with serving(Path(work) / "data", env) as (url, _):
            report = run_load(url, load_questions(load_gold(), per_session), sessions, per_session)
    click.echo(report.summary())
    if json_out:
        json_out.write_text(json.dumps(report.to_dict(), ensure_ascii=False, indent=2), "utf-8")
    if report.mismatches or report.errors:
        ctx.exit(1)
