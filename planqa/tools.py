"""planqa as tools for the assistants officials already use: an MCP server over stdio.

Five tools, each a thin call into the one ``Assistant`` or ``Library`` (nothing here decides an
answer): ``ask``, ``search_clauses``, ``get_clause``, ``targets``, ``list_notices``. Every result
carries its citations whole (notice, 文号, section path, clause number, page, the quoted sentence),
since an answer is only as useful as the clause it stands on. A bad argument or an unknown notice
comes back as an MCP tool error of one line, never a traceback.
"""

from __future__ import annotations

from typing import Any

from planqa.assistant import Assistant
from planqa.errors import PlanqaError

INSTRUCTIONS = (
    "planqa 回答关于政府规划、行动计划、实施方案的问题，并逐条引用原文（文件、文号、章节、条款、页码）。"
    "Answers questions about Chinese government plan notices with clause-level citations; "
    "when the plans do not cover a question it says so (abstained: true)."
)
MAX_K = 50  # search_clauses: more than a page of clauses is a dump, not a search


def build_server(assistant: Assistant) -> Any:
    """The MCP server over this Assistant's library (``planqa mcp`` runs it over stdio)."""
    from mcp.server.mcpserver import MCPServer
    from mcp.server.mcpserver.exceptions import ToolError

    library = assistant.library
    server = MCPServer("planqa", instructions=INSTRUCTIONS)

    def scope(notice: str) -> list[str]:
        if not notice.strip():
            return []
        try:
            return [library.resolve(notice.strip()).id]
        except PlanqaError as err:
            raise ToolError(str(err)) from err

    def guarded(call: Any) -> Any:
        try:
            return call()
        except ToolError:
            raise
        except PlanqaError as err:
            raise ToolError(str(err)) from err

    @server.tool(
        description="回答关于已索引通知的问题，附引用条款 / Answer a question about the indexed notices, with "
        "the clauses it stands on. history: the earlier questions of the conversation (那2025年底呢？ keeps "
        "the subject); notice: an id, 文号 or title to answer from that notice only."
    )
    def ask(question: str, history: list[str] | None = None, notice: str = "") -> dict[str, Any]:
        answer = guarded(lambda: assistant.ask(question, history or [], scope(notice)))
        data = answer.to_dict()
        return {k: data[k] for k in ("first_line", "answer", "abstained", "kind", "index_version", "citations")}

    @server.tool(
        description="按问题或关键词检索条款 / Search the clauses for a question or keywords; k results "
        f"(1–{MAX_K}), optionally within one notice."
    )
    def search_clauses(query: str, k: int = 5, notice: str = "") -> list[dict[str, Any]]:
        if not 1 <= k <= MAX_K:
            raise ToolError(f"k must be between 1 and {MAX_K}, not {k}")
        hits = guarded(lambda: library.search(query, k, scope(notice) or None))
        return [{**h.clause.to_row(), "score": round(h.score, 4)} for h in hits]

    @server.tool(
        description="按 id 取一条条款及其上级条款 / One clause by its id (from search_clauses or ask), with "
        "its address and, for a district clause, the higher-level clause it localises."
    )
    def get_clause(id: str) -> dict[str, Any]:
        catalog = library.catalog()
        clause = catalog.clauses.get(id.strip())
        if clause is None:
            raise ToolError(f"no clause {id!r}; ids come from search_clauses or ask")
        parent = catalog.parent_of(clause)
        return {**clause.to_row(), "parent": parent.to_row() if parent else None}

    @server.tool(
        description="量化目标表 / The quantified targets: indicator words (all must occur, e.g. 托位数), a "
        "notice, a year; each row with its clause."
    )
    def targets(indicator: str = "", notice: str = "", year: int | None = None) -> list[dict[str, Any]]:
        rows = library.catalog().select(scope(notice) or None, indicator, year)
        return [t.to_dict() for t in rows]

    @server.tool(description="列出已索引的通知 / The indexed notices: id, title, 文号, issuer, date, pages.")
    def list_notices() -> list[dict[str, Any]]:
        keys = ("id", "title", "number", "issuer", "date", "jurisdiction", "source", "pages")
        return [{k: getattr(d, k) for k in keys} for d in library.documents()]

    return server
