"""A follow-up that swaps the subject: ``那专利代理机构呢？`` after ``专利代理师违反规定最多可以罚款多少？``
asks the same of another subject, so it stands alone as ``专利代理机构违反规定最多可以罚款多少？``.

The new subject replaces the words of the earlier question that it lines up with: a shared head
(专利代理师 / 专利代理机构), a shared tail (春节 / 端午节, 二级 / 三级) or both (需要办理移交手续的 /
需要回收、置换、购置的), of a similar length. Nothing here knows any notice's words; a follow-up that
lines up with nothing keeps the earlier question whole beside it, as before.
"""

from __future__ import annotations

import logging
import re

_RE_SUBJECT = re.compile(r"^(?:那么?|还有|另外)?(.{2,24}?)(的)?(?:呢|怎么样|怎样|如何)[？?]?$")
_RE_NOT_SUBJECT = re.compile(r"[\d年月日多少几什么怎么如何哪谁吗呢，。？?]")  # question words, dates
LENGTH_COST = 0.3  # per character of length the replaced words differ from the new subject
TOKEN_COST = 0.1  # per extra word replaced: of equal spans, the one of fewer words
MIN_HEAD = 2  # characters a shared head needs (专利); a shared tail of one character will do (节, 级)


def _edges(a: str, b: str) -> tuple[int, int]:
    head = 0
    while head < min(len(a), len(b)) and a[head] == b[head]:
        head += 1
    tail = 0
    while tail < min(len(a), len(b)) - head and a[-1 - tail] == b[-1 - tail]:
        tail += 1
    return head, tail


def swap_subject(previous: str, follow_up: str) -> str | None:
    """``previous`` with the new subject of ``follow_up`` in place of the words it lines up with, or
    None when the follow-up names no subject or it lines up with nothing."""
    m = _RE_SUBJECT.match(follow_up.strip())
    if not m or _RE_NOT_SUBJECT.search(m.group(1)):
        return None
    import jieba

    jieba.setLogLevel(logging.WARNING)
    words = jieba.lcut(previous)
    # 那三级的呢 lines up as 三级 (with 二级), 那需要回收…的呢 as 需要回收…的 (with 需要办理…的).
    subjects = [m.group(1), m.group(1) + m.group(2)] if m.group(2) else [m.group(1)]
    best: tuple[float, int, int, str] | None = None  # (score, start word, end word, subject)
    for subject in subjects:
        for i in range(len(words)):
            for j in range(i + 1, min(len(words), i + 8) + 1):
                span = "".join(words[i:j])
                if span == subject or _RE_NOT_SUBJECT.search(span) or "、" in span:
                    continue
                head, tail = _edges(span, subject)
                if head < MIN_HEAD and tail < 1:
                    continue
                score = head + tail - LENGTH_COST * abs(len(span) - len(subject)) - TOKEN_COST * (j - i - 1)
                if score > 0 and (best is None or score > best[0]):
                    best = (score, i, j, subject)
    if best is None:
        return None
    _, i, j, subject = best
    return "".join([*words[:i], subject, *words[j:]])
