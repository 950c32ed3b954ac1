"""Sentences of a clause, and the one that best covers a question (by ``retrieval.coverage``).

A list is kept whole with the sentence that introduces it, since it answers "哪些" only whole.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from planqa.retrieval.coverage import Coverage
from planqa.types import Clause

_RE_SENTENCE_END = re.compile(r"[。；！？\n]")


def sentences(text: str) -> Iterator[tuple[int, int]]:
    """Sentence spans of a clause's text (。；！？ and line breaks end a sentence).

    A list is one sentence with its lead-in: ``应当具备下列条件：（一）…；（二）…；（三）…。`` answers
    "哪些条件" only whole, so the items after a colon stay with the sentence that introduced them.
    """
    opened: tuple[int, int] | None = None
    unmarked = False  # the open list's items carry no marker: 严格审核以下内容：A；B；C。 runs to its 。
    for start, end in _plain_sentences(text):
        piece = text[start:end]
        if opened is not None and (_RE_ITEM_START.match(piece.lstrip()) or unmarked):
            opened = (opened[0], end)
            unmarked = unmarked and end < len(text) and text[end] == "；"
            continue
        if opened is not None:
            yield opened
            opened = None
        if _RE_LIST_OPENS.search(piece):
            opened = (start, end)
            unmarked = bool(_RE_UNMARKED_LIST.search(piece)) and end < len(text) and text[end] == "；"
        else:
            yield start, end
    if opened is not None:
        yield opened


# A list's items open with （一）, （1）, 1. or 一是; a sentence whose colon is followed by one opens a list.
_ITEM = r"(?:（[一二三四五六七八九十\d]{1,3}）|\d{1,2}[.、](?!\d)|[一二三四五六七八九十]是)"
_RE_ITEM_START = re.compile(_ITEM)
# …如下：（一）, and a sentence that announces one (对有下列表现的…给予奖励。（1）…), whose items follow it.
_RE_LIST_OPENS = re.compile(rf"[：:]\s*{_ITEM}|下列|如下|(?:以下|下述)[\u4e00-\u9fff]{{0,4}}[：:]")
_RE_UNMARKED_LIST = re.compile(rf"(?:下列|以下|下述|如下)[\u4e00-\u9fff]{{0,4}}[：:](?!\s*{_ITEM})")


def _plain_sentences(text: str) -> Iterator[tuple[int, int]]:
    start = 0
    for m in _RE_SENTENCE_END.finditer(text):
        if text[start : m.start()].strip():
            yield start, m.start()
        start = m.end()
    if text[start:].strip():
        yield start, len(text)


def best_sentence(
    clause: Clause, focus: str, coverage: Coverage, must: re.Pattern[str] | None = None
) -> tuple[float, str]:
    """The sentence of a clause that best covers the focus (optionally one matching ``must``)."""
    best, best_score = "", -1.0
    for start, end in sentences(clause.text):
        sentence = clause.text[start:end].strip()
        if must is not None and not must.search(sentence):
            continue
        score = coverage(focus, headed(clause, sentence))
        if score > best_score:
            best, best_score = sentence, score
    return best_score, best


def headed(clause: Clause, sentence: str) -> str:
    """A sentence as it is read for scoring: under its clause's heading (its title, else the heading it
    stands under), which applies to every sentence of the clause: in ``七、国庆节：10月1日至7日放假。
    9月29日、10月12日上班。`` the second sentence is about 国庆节 too."""
    heading = clause.title or (clause.section[-1] if clause.section else "")
    return sentence if not heading or heading in sentence else f"{heading}：{sentence}"
