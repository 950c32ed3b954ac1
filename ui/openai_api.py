"""An OpenAI-style chat endpoint on ``planqa serve`` (same port, same login), citations intact.

``POST /v1/chat/completions``: the last user message is the question, the earlier user messages its
history. The reply's content is planqa's answer text followed by its numbered sources, so a plain
client shows them; the message also carries them as data in a documented extra field, ``planqa``:
``{"first_line", "abstained", "kind", "index_version", "citations": [...]}`` (each citation as in
``planqa ask --json``). An abstention is a normal reply that says so, with ``abstained: true``.
``stream: true`` sends the checked answer as one chunk, then ``[DONE]``: never unchecked partial
numbers. ``GET /v1/models`` lists ``planqa``. With a login, the API key is ``user:password``.
"""

from __future__ import annotations

import json
import time
import uuid
from collections.abc import Iterator
from typing import Any

from fastapi import APIRouter, Request  # Gradio's own web framework; module level so FastAPI sees the types
from fastapi.responses import JSONResponse, StreamingResponse
from starlette.concurrency import run_in_threadpool
from starlette.routing import BaseRoute

from planqa.assistant import Assistant
from planqa.errors import PlanqaError
from planqa.types import Answer
from planqa.ui.login import Login

MODEL = "planqa"


def reply_text(answer: Answer) -> str:
    """The answer text, then its sources numbered as the citations are (for clients that show text only)."""
    if not answer.citations:
        return answer.text
    lines = [answer.text, "", "来源 / Sources:"]
    for i, c in enumerate(answer.citations, 1):
        pages = f"，第{'、'.join(map(str, c.pages))}页" if c.pages else ""
        number = f"（{c.doc_number}）" if c.doc_number else ""
        lines.append(f"[{i}] 《{c.doc_title}》{number}〔{c.section}〕{pages}")
    return "\n".join(lines)


def extra(answer: Answer) -> dict[str, Any]:
    data = answer.to_dict()
    return {k: data[k] for k in ("first_line", "abstained", "kind", "index_version", "citations")}


def _error(status: int, message: str, kind: str = "invalid_request_error") -> Any:
    return JSONResponse({"error": {"message": message, "type": kind}}, status_code=status)


def _text(content: Any) -> str:
    """A message's text: a string, or a list of typed parts (only the text parts count)."""
    if isinstance(content, str):
        return content
    if isinstance(content, list):
        return "".join(str(p.get("text", "")) for p in content if isinstance(p, dict) and p.get("type") == "text")
    return ""


def _chunks(answer: Answer, rid: str, created: int) -> Iterator[str]:
    base = {"id": rid, "object": "chat.completion.chunk", "created": created, "model": MODEL}
    delta = {"role": "assistant", "content": reply_text(answer), MODEL: extra(answer)}
    first = {**base, "choices": [{"index": 0, "delta": delta, "finish_reason": None}]}
    last = {**base, "choices": [{"index": 0, "delta": {}, "finish_reason": "stop"}]}
    for event in (first, last):
        yield f"data: {json.dumps(event, ensure_ascii=False)}\n\n"
    yield "data: [DONE]\n\n"


def routes(assistant: Assistant, login: Login | None) -> list[BaseRoute]:
    """The two routes, for Gradio's FastAPI app to be created with (``launch(app_kwargs={"routes":
    ...})``): they come before its own catch-all routes and exist before the port is open (added
    after launch, a client that came in first got 404; CI saw it once)."""
    router = APIRouter()

    async def allowed(request: Request) -> bool:
        if login is None:
            return True
        key = request.headers.get("authorization", "").removeprefix("Bearer ").strip()
        user, _, password = key.partition(":")
        return bool(user) and await login.check(user, password)

    @router.get("/v1/models")
    async def models(request: Request) -> Any:
        if not await allowed(request):
            return _error(401, "login required: use user:password as the API key", "authentication_error")
        return {"object": "list", "data": [{"id": MODEL, "object": "model", "created": 0, "owned_by": "planqa"}]}

    @router.post("/v1/chat/completions")
    async def completions(request: Request) -> Any:
        if not await allowed(request):
            return _error(401, "login required: use user:password as the API key", "authentication_error")
        try:
            body = await request.json()
        except ValueError:
            return _error(400, "the body is not JSON")
        messages = body.get("messages") if isinstance(body, dict) else None
        if not isinstance(messages, list) or not all(isinstance(m, dict) for m in messages):
            return _error(400, "messages must be a list of {role, content}")
        asked = [_text(m.get("content")) for m in messages if m.get("role") == "user"]
        if not asked:
            return _error(400, "no user message to answer")
        try:
            answer = await run_in_threadpool(assistant.ask, asked[-1], asked[:-1])
        except PlanqaError as err:
            return _error(503, str(err), "server_error")
        rid, created = f"chatcmpl-{uuid.uuid4().hex[:24]}", int(time.time())
        if body.get("stream"):
            return StreamingResponse(_chunks(answer, rid, created), media_type="text/event-stream")
        message = {"role": "assistant", "content": reply_text(answer), MODEL: extra(answer)}
        return {
            "id": rid,
            "object": "chat.completion",
            "created": created,
            "model": MODEL,
            "choices": [{"index": 0, "message": message, "finish_reason": "stop"}],
            "usage": {"prompt_tokens": 0, "completion_tokens": 0, "total_tokens": 0},
        }

    return list(router.routes)
