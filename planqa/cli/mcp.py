"""``planqa mcp``: planqa as an MCP server over stdio, for assistants that call tools."""

from __future__ import annotations

import click

from planqa.cli.base import _friendly, _library, cli


@cli.command()
@click.pass_context
@_friendly
def mcp(ctx: click.Context) -> None:
    """作为 MCP 工具服务（stdio）/ serve planqa's tools to an MCP client over stdio.

    \b
    Tools: ask (question, history, notice → the answer with its citations), search_clauses,
    get_clause (with the higher-level clause it localises), targets, list_notices. Register it in
    a client (Claude Desktop, an IDE, an office platform) as a command:

    \b
      {"mcpServers": {"planqa": {"command": "planqa", "args": ["--data-dir", "/srv/planqa", "mcp"]}}}

    --data-dir, --chroma-url and PLANQA_* settings apply as for every command. Needs the mcp
    extra: pip install -e '.[mcp]'.
    """
    try:
        from planqa.tools import build_server
    except ImportError as err:  # the SDK is an extra
        raise click.ClickException(f"planqa mcp needs the MCP SDK: pip install -e '.[mcp]' ({err.name})") from err
    from planqa.assistant import Assistant

    library = _library(ctx)
    library.ensure_corpus()
    assistant = Assistant.from_config(ctx.obj, library)
    assistant.warm()  # the model loads before the client's first call, not during it
    build_server(assistant).run("stdio")
