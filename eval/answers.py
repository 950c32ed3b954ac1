"""Answer quality on the gold set, through the same ``Assistant.ask`` the UI and the CLI use.

An answerable item is right when the answer's first line contains every ``must`` string, none of the
``must_not`` strings, and planqa did not abstain; an unanswerable item is right when planqa abstained.
Citation accuracy asks whether a cited clause contains the item's evidence span; faithfulness asks
whether every number on the first line stands in a cited clause.
"""

from __future__ import annotations

import re
import statistics
import time
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from planqa.eval.gold import GoldItem
from planqa.eval.retrieval import evidence_rank
from planqa.types import Answer

Ask = Callable[[str, Sequence[str]], Answer]
_RE_NUMBER = re.compile(r"\d+(?:\.\d+)?")
# Addresses are not claims: 〔section paths〕 and clause labels as planqa writes them (``5. 遴选…``,
# a number, a dot and a space, which a plan's own figures never are).
_RE_ADDRESS = re.compile(r"〔[^〕]*〕|(?<![\d.])\d{1,3}\. (?=\S)")


@dataclass
class AnswerScore:
    items: int = 0
    correct: int = 0
    answerable: int = 0
    ranked: int = 0  # answerable items whose evidence retrieval is scored (overview items are not)
    hit1: int = 0
    hit5: int = 0
    rr: float = 0.0
    cited_right: int = 0  # answered answerable items whose citations contain the evidence
    answered: int = 0  # answerable items not abstained on
    abstained_right: int = 0  # abstentions on unanswerable items
    abstentions: int = 0
    unanswerable: int = 0
    unfaithful: int = 0  # answers with a number on the first line that no cited clause contains
    by_type: dict[str, list[int]] = field(default_factory=dict)  # type → [correct, items]
    by_notice: dict[str, list[int]] = field(default_factory=dict)  # notice file → [correct, items], when named
    latencies_ms: list[float] = field(default_factory=list)
    rows: list[dict[str, Any]] = field(default_factory=list)

    @property
    def accuracy(self) -> float:
        return self.correct / self.items if self.items else 0.0

    def ratio(self, part: int, whole: int) -> float:
        return part / whole if whole else 0.0

    def summary(self) -> dict[str, float]:
        lat = sorted(self.latencies_ms)
        return {
            "answer_accuracy": self.accuracy,
            "hit@1": self.ratio(self.hit1, self.ranked),
            "hit@5": self.ratio(self.hit5, self.ranked),
            "mrr": self.rr / self.ranked if self.ranked else 0.0,
            "citation_accuracy": self.ratio(self.cited_right, self.answered),
            "abstention_precision": self.ratio(self.abstained_right, self.abstentions),
            "abstention_recall": self.ratio(self.abstained_right, self.unanswerable),
            "false_abstentions": float(self.abstentions - self.abstained_right),
            "unfaithful_answers": float(self.unfaithful),
            "p50_ms": statistics.median(lat) if lat else 0.0,
            "p95_ms": statistics.quantiles(lat, n=20)[-1] if len(lat) > 1 else (lat[0] if lat else 0.0),
        }


def unsupported_numbers(answer: Answer) -> list[str]:
    """Numbers on the answer's first line that no cited clause contains."""
    first = _RE_ADDRESS.sub("", answer.first_line)
    cited = " ".join(c.text for c in answer.citations)
    have = {_value(n) for n in _RE_NUMBER.findall(cited)}
    return [n for n in _RE_NUMBER.findall(first) if _value(n) not in have]


def _value(number: str) -> str:
    """A number as its value: the info box's 2019年02月15日 holds the 2 of 2019年2月15日."""
    return number.lstrip("0") or "0" if "." not in number else number


def judge(item: GoldItem, answer: Answer) -> tuple[bool, str]:
    """Whether an answer is right for a gold item, and if not, why."""
    first = answer.first_line
    if not item.answerable:
        return (True, "") if answer.abstained else (False, "answered a question the plans do not cover")
    if answer.abstained:
        return False, "abstained"
    missing = [m for m in item.must if m not in first]
    if missing:
        return False, "first line lacks " + "、".join(missing)
    present = [m for m in item.must_not if m in first]
    if present:
        return False, "first line contains " + "、".join(present)
    return True, ""


def score_answers(items: Sequence[GoldItem], ask: Ask, elsewhere: Mapping[str, Ask] | None = None) -> AnswerScore:
    """Every item through ``ask``; items of another corpus (``item.corpus``) through ``elsewhere[corpus]``."""
    score = AnswerScore()
    for item in items:
        started = time.perf_counter()
        answer = (elsewhere or {}).get(item.corpus, ask)(item.question, list(item.turns[:-1]))
        latency = (time.perf_counter() - started) * 1000
        ok, why = judge(item, answer)
        score.items += 1
        score.correct += ok
        score.latencies_ms.append(latency)
        for tally in (score.by_type.setdefault(item.type, [0, 0]), *_notice_tally(score, item)):
            tally[0] += ok
            tally[1] += 1
        if answer.abstained:
            score.abstentions += 1
        if item.answerable:
            score.answerable += 1
            if item.type != "overview":  # answered from the clause tree, not from what was retrieved
                score.ranked += 1
                rank = evidence_rank(item, list(answer.retrieved))
                score.hit1 += rank == 1
                score.hit5 += rank is not None and rank <= 5
                score.rr += 1 / rank if rank else 0.0
            if not answer.abstained:
                score.answered += 1
                score.cited_right += any(span in c.text for c in answer.citations for span in item.evidence)
        else:
            score.unanswerable += 1
            score.abstained_right += answer.abstained
        if not answer.abstained and unsupported_numbers(answer):
            score.unfaithful += 1
        score.rows.append(_row(item, answer, latency, ok, why))
    return score


def _notice_tally(score: AnswerScore, item: GoldItem) -> list[list[int]]:
    return [score.by_notice.setdefault(item.notice, [0, 0])] if item.notice else []


def _row(item: GoldItem, answer: Answer, latency: float, ok: bool, why: str) -> dict[str, Any]:
    data = answer.to_dict()
    return {
        "id": item.id,
        "type": item.type,
        "notice": item.notice,
        "question": item.question,
        "turns": list(item.turns),
        **{k: data[k] for k in ("answer", "abstained", "citations", "retrieved", "kind", "confidence")},
        "latency_ms": round(latency, 1),
        "ok": ok,
        "why": why,
    }
