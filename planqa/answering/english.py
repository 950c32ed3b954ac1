"""Answers to English questions in English word order: the comparator before or after the figure,
the deadline as English says it, and the notice's own terms (indicator, condition, place) quoted as
they stand, so that a reader can find them in the Chinese text."""

from __future__ import annotations

import re

from planqa.ingest.quantities import RE_DEADLINE
from planqa.types import Target

# Chinese comparators as an English reader says them: (before the figure, after it). General
# language of targets (达到/不低于/以上…), not any one notice's wording.
COMPARATORS = {
    "以上": ("", " or more"),
    "及以上": ("", " or more"),
    "以下": ("", " or less"),
    "以内": ("", " or less"),
    "左右": ("about ", ""),
    "不低于": ("at least ", ""),
    "不少于": ("at least ", ""),
    "至少": ("at least ", ""),
    "超过": ("more than ", ""),
    "高于": ("more than ", ""),
    "不高于": ("at most ", ""),
    "不超过": ("at most ", ""),
    "低于": ("below ", ""),
    "控制在": ("within ", ""),
    "稳定在": ("stable at ", ""),
    "降至": ("down to ", ""),
    "提高到": ("up to ", ""),
}
MONTHS = ("January", "February", "March", "April", "May", "June", "July", "August", "September", "October",
          "November", "December")  # fmt: skip


def quoted(term: str) -> str:
    return f"“{term}”" if term else ""


def date(text: str) -> str:
    """``2023年8月17日`` → ``17 August 2023``; ``2025年底`` → ``the end of 2025``; else quoted."""
    m = RE_DEADLINE.fullmatch(text.strip())
    if not m:
        return "every year" if text == "每年" else quoted(text)
    year, month, day, end = m.groups()
    if day and month:
        return f"{int(day)} {MONTHS[int(month) - 1]} {year}"
    if month:
        return f"the end of {MONTHS[int(month) - 1]} {year}" if end else f"{MONTHS[int(month) - 1]} {year}"
    return f"the end of {year}" if end else year


def value(t: Target) -> str:
    """The figure as the notice writes it (its unit too: ``100个`` is a count of things, not a bare
    100), with the comparator in English order: ``at least 40%``, ``100个 or more``."""
    if "coverage" in t.flags:
        return "full coverage (全覆盖)"
    figure = t.value_text
    before, after = COMPARATORS.get(t.comparator, ("", ""))
    if t.comparator and figure.endswith(t.comparator):
        figure = figure[: -len(t.comparator)]
    if "/" in t.unit:
        figure = f"{figure} per {t.unit.split('/', 1)[1]}"
    said = f"{before}{figure}{after}"
    return f"aiming for {said}" if "aspirational" in t.flags else said


def target(t: Target, indicator: bool = True) -> str:
    """``“省级临床重点专科建成数量”: 100 or more by the end of 2024``."""
    by = f" by {date(t.deadline)}" if t.deadline and t.deadline != "每年" else (" every year" if t.deadline else "")
    condition = f" ({quoted(t.condition)})" if t.condition else ""
    head = f"{quoted(t.indicator)}{condition}: " if indicator else (f"{quoted(t.condition)}: " if t.condition else "")
    return f"{head}{value(t)}{by}"


_MONTH = "|".join(MONTHS)
# English dates read back as the notice writes them, for the faithfulness guard (an English answer's
# "the end of 2024" is the clause's 2024年底).
_RE_EN_DATES = (
    (re.compile(rf"the end of ({_MONTH}) ((?:19|20)\d{{2}})"), lambda m: f"{m[2]}年{_month(m[1])}月底"),
    (re.compile(r"the end of ((?:19|20)\d{2})"), lambda m: f"{m[1]}年底"),
    (re.compile(rf"(\d{{1,2}}) ({_MONTH}) ((?:19|20)\d{{2}})"), lambda m: f"{m[3]}年{_month(m[2])}月{int(m[1])}日"),
    (re.compile(rf"({_MONTH}) ((?:19|20)\d{{2}})"), lambda m: f"{m[2]}年{_month(m[1])}月"),
    (re.compile(r"\b(by|in|since|until|from) ((?:19|20)\d{2})\b(?!年)"), lambda m: f"{m[1]} {m[2]}年"),
)


def _month(name: str) -> int:
    return MONTHS.index(name) + 1


def chinese_dates(text: str) -> str:
    """``by the end of 2024`` → ``by 2024年底``; ``17 August 2023`` → ``2023年8月17日``."""
    for pattern, written in _RE_EN_DATES:
        text = pattern.sub(written, text)
    return text
