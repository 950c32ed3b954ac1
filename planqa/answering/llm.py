"""The optional LLM writer: a fluent answer from the retrieved clauses, kept only if the guard passes it.

It runs after the extractive answerer has decided that the plans cover the question (a model never
decides that the plans are silent: the small ones invent figures when they are), gets the clauses
numbered, and must cite them by number. Numbers, years and institutions it writes are checked
against the clauses it cites (``guard.py``); a citation of a clause it was not given is dropped; an
answer that fails, a model that times out or cannot be reached, all give the extractive answer back,
marked as such, and the event is logged. After a failure to reach the model, planqa does not try
again for ``COOLDOWN`` seconds, so one outage does not cost every question a time-out.
"""

from __future__ import annotations

import logging
import re
import threading
import time
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from importlib import resources
from typing import Any

from planqa.answering.evidence import best_sentence
from planqa.answering.guard import Verdict, check
from planqa.config import Config
from planqa.errors import PlanqaError
from planqa.retrieval.coverage import Coverage
from planqa.types import Clause

log = logging.getLogger("planqa.llm")
MAX_CLAUSES = 5  # clauses numbered in the prompt: the extractive answer's own first, then the best retrieved
COOLDOWN = 30.0  # seconds without calls after the model could not be reached
_RE_CITE = re.compile(r"\[(\d+)\]|【(\d+)】")
_RE_DECLINE = re.compile(r"条款未涉及|未涉及|do not cover|does not cover|not covered", re.I)


class LLMUnavailable(PlanqaError):
    """The configured LLM could not be set up (missing package, bad configuration)."""


@dataclass(frozen=True)
class Written:
    """What the model wrote, after the guard: ``text`` is empty when it was rejected."""

    text: str
    cites: tuple[tuple[Clause, str], ...]  # (clause, quoted sentence), in the model's citation order
    verdict: Verdict
    dropped: tuple[int, ...] = ()  # citation numbers the model made up
    error: str = ""  # why the model gave nothing: time-out, unreachable…
    reason: str = ""  # when ``text`` is empty: a key of FALLBACK_NOTES ("rejected", "unreachable", "declined")


# What the reader is told when the extractive answer stands in for the model's, in words: the
# guard's findings (the rejected figure itself) go to the log only, never in front of the reader.
FALLBACK_NOTES = {
    "rejected": (
        "未采用模型改写的答案：其中有数字、日期或机构在所引条款中找不到，以下直接摘自条款。",
        "The model's wording was not used: it stated a figure, date or institution the cited clauses do not "
        "contain, so this answer quotes the clauses instead.",
    ),
    "unreachable": (
        "模型暂时无法连接，以下答案直接摘自条款。",
        "The model could not be reached; this answer quotes the clauses directly.",
    ),
    "declined": (
        "模型未作答，以下答案直接摘自条款。",
        "The model gave no answer; this answer quotes the clauses directly.",
    ),
}


def load_prompt(english: bool):  # -> ChatPromptTemplate
    """The packaged prompt (``prompts/answer_zh.txt`` or ``answer_en.txt``) as a LangChain template."""
    from langchain_core.prompts import ChatPromptTemplate

    name = "answer_en.txt" if english else "answer_zh.txt"
    raw = resources.files("planqa.prompts").joinpath(name).read_text("utf-8")
    parts = dict(re.findall(r"^### (system|human)\n(.*?)(?=^### |\Z)", raw, flags=re.S | re.M))
    return ChatPromptTemplate.from_messages([("system", parts["system"].strip()), ("human", parts["human"].strip())])


def chat_model(config: Config) -> Any:
    """The LangChain chat model named by the configuration; retries with exponential backoff."""
    try:
        if config.llm in ("openai", "openai-compatible", "vllm"):
            from langchain_openai import ChatOpenAI

            model: Any = ChatOpenAI(
                base_url=config.llm_base_url or None,
                model=config.llm_model or "default",
                api_key=config.llm_api_key or "not-needed",
                timeout=config.llm_timeout,
                max_retries=0,  # retried below, the same way for every backend
                temperature=0,
            )
        elif config.llm == "ollama":
            from langchain_ollama import ChatOllama

            model = ChatOllama(
                base_url=config.llm_base_url or "http://127.0.0.1:11434",
                model=config.llm_model or "qwen2.5",
                temperature=0,
                client_kwargs={"timeout": config.llm_timeout},
            )
        else:
            raise LLMUnavailable(f"未知的 PLANQA_LLM：{config.llm!r}（可选 openai-compatible、ollama）")
    except ImportError as err:
        raise LLMUnavailable(f"LLM 组件未安装：pip install 'planqa[llm]'（{err.name}）") from None
    return model.with_retry(stop_after_attempt=2, wait_exponential_jitter=True)


class LLMWriter:
    """Writes answers with a chat model; the guard decides whether they are shown."""

    def __init__(self, model: Any):
        self.model = model
        self.events: Counter[str] = Counter()  # accepted, rejected, unreachable, declined
        self._down_until = 0.0
        self._lock = threading.Lock()

    @classmethod
    def from_config(cls, config: Config) -> LLMWriter | None:
        return cls(chat_model(config)) if config.llm else None

    def write(
        self,
        question: str,
        english: bool,
        years: Sequence[int],
        clauses: Sequence[Clause],
        coverage: Coverage | None = None,
    ) -> Written:
        """The model's answer over ``clauses`` (numbered in that order), or why there is none."""
        offered = list(clauses)[:MAX_CLAUSES]
        if time.monotonic() < self._down_until:
            return self._failed("unreachable", "LLM 暂不可用（稍后自动重试）/ the LLM is unavailable for now")
        numbered = "\n\n".join(f"[{i}] {c.where}\n{c.text}" for i, c in enumerate(offered, 1))
        try:
            messages = load_prompt(english).format_messages(clauses=numbered, question=question)
            reply = self.model.invoke(messages)
        except Exception as err:  # time-out, connection refused, HTTP 5xx: the extractive answer stands
            with self._lock:
                self._down_until = time.monotonic() + COOLDOWN
            log.warning("LLM unreachable, extractive answer used: %s", err)
            return self._failed("unreachable", f"LLM 无法连接（{type(err).__name__}）/ the LLM could not be reached")
        text = _content(reply).strip()
        if not text or _RE_DECLINE.search(text.split("\n", 1)[0]):
            return self._failed("declined", "LLM 未作答 / the LLM gave no answer")
        numbers = [int(a or b) for a, b in _RE_CITE.findall(text)]
        kept = list(dict.fromkeys(n for n in numbers if 1 <= n <= len(offered)))
        dropped = tuple(sorted({n for n in numbers if not 1 <= n <= len(offered)}))
        if dropped:
            log.warning("LLM cited clauses it was not given, dropped: %s", dropped)
            text = _RE_CITE.sub(lambda m: "" if int(m.group(1) or m.group(2)) in dropped else m.group(0), text)
        # Renumber in citation order, so [1] is the first source listed under the answer.
        text = _RE_CITE.sub(lambda m: f"[{kept.index(int(m.group(1) or m.group(2))) + 1}]", text)
        cited = [offered[n - 1] for n in kept]
        verdict = check(text, [c.text for c in cited], years)
        if not verdict.ok:
            self.events["rejected"] += 1
            log.warning("LLM answer rejected by the guard: %s | %s", "; ".join(verdict.problems), text[:200])
            return Written("", (), verdict, dropped, "", reason="rejected")
        self.events["accepted"] += 1
        return Written(text, tuple((c, _quote(c, text, coverage)) for c in cited), verdict, dropped)

    def _failed(self, event: str, why: str) -> Written:
        self.events[event] += 1
        return Written("", (), Verdict((why,)), (), why, reason=event)


def _quote(clause: Clause, text: str, coverage: Coverage | None) -> str:
    """The clause's sentence that the answer draws on most."""
    if coverage is not None:
        _, sentence = best_sentence(clause, text, coverage, None)
        if sentence:
            return sentence
    return clause.text.split("。", 1)[0]


def _content(reply: Any) -> str:
    content = getattr(reply, "content", reply)
    if isinstance(content, list):
        return "".join(p.get("text", "") if isinstance(p, dict) else str(p) for p in content)
    return str(content)
