"""planqa mcp driven by the MCP SDK's own client over stdio: list the tools, call each, a bad argument."""

from __future__ import annotations

import asyncio
import json
import os
import sys
from pathlib import Path
from typing import Any

import pytest

from tests.servers import planqa

pytest.importorskip("mcp")

TOOLS = {"ask", "search_clauses", "get_clause", "targets", "list_notices"}


async def _session(data: Path, calls: list[tuple[str, dict[str, Any]]], model: str) -> tuple[set[str], list[Any]]:
    from mcp import ClientSession, StdioServerParameters
    from mcp.client.stdio import stdio_client

    params = StdioServerParameters(
        command=sys.executable,
        args=["-m", "planqa.cli", "--data-dir", str(data), "--embed-model", model, "mcp"],
        env={**os.environ, "PLANQA_LLM": ""},
    )
    async with stdio_client(params) as (read, write), ClientSession(read, write) as session:
        await session.initialize()
        names = {t.name for t in (await session.list_tools()).tools}
        results = [await session.call_tool(name, arguments) for name, arguments in calls]
    return names, results


def _payload(result: Any) -> Any:
    assert not result.is_error, result.content
    if result.structured_content is not None:
        data = result.structured_content
        return data.get("result", data) if set(data) == {"result"} else data
    return json.loads(result.content[0].text)


def test_every_tool_and_a_bad_argument(tmp_path: Path) -> None:
    data = tmp_path / "data"
    calls = [
        ("list_notices", {}),
        ("ask", {"question": "省级临床重点专科2024年底的目标是多少？"}),
        ("ask", {"question": "那2025年底呢？", "history": ["省级临床重点专科2024年底的目标是多少？"]}),
        ("search_clauses", {"query": "托位数", "k": 3, "notice": "珠山"}),
        ("targets", {"indicator": "托位数", "notice": "珠山"}),
        ("ask", {"question": 123}),  # a bad argument
        ("ask", {"question": "托位数", "notice": "没有这个通知"}),
        ("search_clauses", {"query": "托位数", "k": 500}),
        ("get_clause", {"id": "no-such-clause"}),
    ]
    names, results = asyncio.run(_session(data, calls, "hashing"))
    assert names == TOOLS
    notices = _payload(results[0])
    assert {n["id"] for n in notices} == {"jiangxi-health-capacity-plan-2023", "zhushan-health-capacity-plan-2023"}
    first = _payload(results[1])
    assert set(first) >= {"first_line", "answer", "abstained", "citations"}
    if first["citations"]:  # the hashing embedder finds words, not meaning; the slow test checks answers
        assert {"doc", "doc_number", "section", "clause", "pages", "quote"} <= set(first["citations"][0])
    hits = _payload(results[3])
    assert len(hits) == 3 and all(h["doc"] == "zhushan-health-capacity-plan-2023" for h in hits)
    assert all(t["doc"] == "zhushan-health-capacity-plan-2023" for t in _payload(results[4]))
    wrong_type = results[5].content[0].text  # the SDK's schema check, before planqa runs: it names the argument
    assert results[5].is_error and "question" in wrong_type and "valid string" in wrong_type
    for bad in results[5:]:
        assert bad.is_error and "Traceback" not in bad.content[0].text
    for bad in results[6:]:  # planqa's own refusals: one line
        assert len(bad.content[0].text.splitlines()) == 1, bad.content[0].text
    assert "没有这个通知" in results[6].content[0].text and "between 1 and" in results[7].content[0].text
    clause_id = hits[0]["id"]
    _, (clause,) = asyncio.run(_session(data, [("get_clause", {"id": clause_id})], "hashing"))
    got = _payload(clause)
    assert got["id"] == clause_id and got["section"] and "parent" in got


@pytest.mark.slow
def test_answers_equal_planqa_ask_json_on_the_public_gold_set(tmp_path: Path) -> None:
    """Item for item, the MCP answer is the answer ``planqa ask --json`` gives (``Answer.to_dict``)."""
    from planqa.assistant import Assistant
    from planqa.config import DEFAULT_MODEL, Config
    from planqa.eval.gold import load_gold
    from planqa.library import Library

    data = tmp_path / "data"
    items = [i for i in load_gold() if not i.corpus]
    calls = [("ask", {"question": i.question, "history": list(i.turns[:-1])}) for i in items]
    _, results = asyncio.run(_session(data, calls, DEFAULT_MODEL))
    assistant = Assistant(Library.from_config(Config(data_dir=data, embed_model=DEFAULT_MODEL)))
    keys = ("first_line", "answer", "abstained", "citations")
    for item, result in zip(items, results, strict=True):
        want = assistant.ask(item.question, list(item.turns[:-1])).to_dict()
        assert {k: _payload(result)[k] for k in keys} == {k: want[k] for k in keys}, item.id
    cli = json.loads(planqa(data, "ask", "--json", items[0].question).stdout)  # and the command itself
    assert {k: cli[k] for k in keys} == {k: _payload(results[0])[k] for k in keys}
