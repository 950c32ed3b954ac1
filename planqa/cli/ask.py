"""``planqa ask`` and ``planqa chat``: questions from a terminal, through the same Assistant as the web UI."""

from __future__ import annotations

import json
import sys

import click

from planqa.cli.base import _Bar, _friendly, _library, cli
from planqa.types import Answer

_DOC_HELP = "只在这些文件中回答（可多次）/ answer from these notices only (id, 文号 or title; repeatable)"


def _assistant(ctx: click.Context, docs: tuple[str, ...]):  # -> tuple[Assistant, list[str]]
    from planqa.assistant import Assistant

    library = _library(ctx)
    library.ensure_corpus(_Bar(sys.stderr.isatty()))
    scope = [library.resolve(name).id for name in docs]
    return Assistant.from_config(ctx.obj, library), scope


def _show(answer: Answer, details: bool) -> None:
    first, _, rest = answer.text.partition("\n")
    click.secho(first, bold=True, fg="yellow" if answer.abstained else None)
    if rest:
        click.echo(rest)
    if details and answer.resolved and answer.resolved != answer.question:
        click.secho(f"（理解为 / read as: {answer.resolved}）", dim=True)


@cli.command()
@click.argument("question", nargs=-1, required=True)
@click.option("--doc", "docs", multiple=True, help=_DOC_HELP)
@click.option("--json", "as_json", is_flag=True, help="输出 JSON（答案、引用、检索到的条款、耗时）/ machine-readable")
@click.pass_context
@_friendly
def ask(ctx: click.Context, question: tuple[str, ...], docs: tuple[str, ...], as_json: bool) -> None:
    """提一个问题，得到带条款引用的答案 / ask one question, get a cited answer.

    \b
    The first line is the answer itself (a number, a date, units, a list) or a plain
    "计划未规定/计划未涉及" when the indexed notices do not cover the question; the lines after it
    say where it stands (《文件》（文号）〔章节 > 条款〕，第N页) and quote the sentence.
    Exit status: 0 answered, 2 the plans do not cover it (also for an unusable question).

    \b
    Examples:
      planqa ask 省级临床重点专科2024年底的目标是多少？
      planqa ask "What is the 2024 target for provincial key clinical specialties?"
      planqa ask --doc 珠山 每千人口托位数的目标是多少？
      planqa ask --json 哪些任务由省财政厅负责？ | jq .citations
    """
    assistant, scope = _assistant(ctx, docs)
    answer = assistant.ask(" ".join(question), (), scope)
    if as_json:
        click.echo(json.dumps(answer.to_dict(), ensure_ascii=False, indent=2))
    else:
        _show(answer, details=False)
    if answer.abstained:
        ctx.exit(2)


@cli.command()
@click.option("--doc", "docs", multiple=True, help=_DOC_HELP)
@click.pass_context
@_friendly
def chat(ctx: click.Context, docs: tuple[str, ...]) -> None:
    """在终端里连续对话，追问会沿用上文 / a conversation in the terminal; follow-ups keep the subject.

    \b
    Type a question and press Enter. A follow-up such as "那2025年底呢？" or "全省的目标呢？"
    is read against your earlier questions.
    Commands: /new (start a new conversation), /quit or Ctrl-D (leave).
    """
    assistant, scope = _assistant(ctx, docs)
    click.secho("planqa 已就绪。请输入问题（/new 新对话，/quit 退出）。", bold=True)
    history: list[str] = []
    while True:
        try:
            question = input("\n问 > ").strip()
        except (EOFError, KeyboardInterrupt):
            click.echo()
            return
        if question in ("/quit", "/exit", "/q"):
            return
        if question in ("/new", "/clear"):
            history.clear()
            click.echo("已开始新对话。/ New conversation.")
            continue
        if not question:
            continue
        answer = assistant.ask(question, history, scope)
        _show(answer, details=True)
        if answer.kind != "refusal":
            history.append(question)
