"""Values and deadlines as plan language writes them, found by offset in a sentence.

``values_in`` reads the quantities of a stretch of text (``100个以上``, ``2—3家``, ``至少一所``, a bare
``达到3.8``) and skips years, population thresholds and per-capita bases; ``deadlines_in`` reads the
dates by which they are due (``到2025年底``, ``2024年9月``, ``每年``); ``comparator_before`` the bound
word before a value (``不低于``). ``targets`` assembles them into ``Target`` rows.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from planqa.ingest.numbers import number

UNITS = (
    "个百分点|个月|%|‰|万亩|亩|万人次|人次|万人|万元|亿元|元|个|家|所|名|张|辆|项|批次|级|支|台|套|条|座|处|"
    "种|户|间|床|倍|次|人|天|小时|周岁|岁"
)
_NUM = r"\d+(?:\.\d+)?"
# A magnitude may stand before any unit: 5万个, 1.2亿人次 (the value stays as written, the unit keeps 万).
RE_ARABIC = re.compile(rf"(?<![\d.])({_NUM})(?:\s*[—\-－–~～至]\s*({_NUM}))?((?:万|亿)?(?:{UNITS}))?")
# A Chinese numeral is a value only right after a word that introduces one (至少一个, 建立一所):
# elsewhere 二级, 三级, 一批 and 一体化 are names, not quantities.
CN_LEAD = "至少|不少于|不低于|达到|建立|建成|建设|设立|设置|配备|完成|新建|培养|招聘|遴选"
RE_CHINESE = re.compile(rf"(?:{CN_LEAD})([一二两三四五六七八九十百千]+)(个|所|家|名|张|辆|项|批次|座|处)")
RE_SUFFIX = re.compile(r"^(?:及以上|及以下|以上|以下|左右|以内)")
# Words that state a plain value (达到85%, 稳定在4.5个, 降至3‰, 提高到80岁); the rest state a bound.
PLAIN = (
    *("达到", "达", "为", "占"),
    *("稳定在", "控制在", "降至", "降到", "降低到", "提高到", "提升到", "增加到", "减少到"),
)
PREFIXES = ("不低于", "不少于", "不高于", "不超过", "不到", "至少", "超过", "高于", "低于", *PLAIN)
RE_BARE_LEAD = re.compile(r"(?:达到|达|为|不低于|不少于|提高到|提升到)$")  # ``达到3.8``: a value may lack a unit
# A deadline as notices write it (到2025年底前, 2019年4月, 2047年6月30日): groups year, month, day, end.
# The one pattern of dates by which something is due; outline, answers and English wording read it too.
RE_DEADLINE = re.compile(r"(?:到|至|于|在)?((?:19|20)\d{2})年(?:(\d{1,2})月)?(?:(\d{1,2})日)?(底|末)?(?:前|以前|之前)?")
RE_EVERY_YEAR = re.compile(r"每年")
RE_POPULATION = re.compile(r"^万?(?:及以上|以上|以下)?人口|^万(?:以上|以下)?的")


@dataclass
class Value:
    """A quantity as written: its offsets, value (and a range's upper end), unit and suffix bound."""

    start: int
    end: int  # after unit and suffix comparator
    value: float
    value_max: float | None
    unit: str
    suffix: str
    text: str


@dataclass
class Deadline:
    """A date by which something is due (``label``: 2025年底, 每年) and its year (None for 每年)."""

    start: int
    end: int
    label: str
    year: int | None


def targets_year(m: re.Match[str]) -> bool:
    """Whether a date read by RE_DEADLINE can be a target's: 1995年…48次 in an old report is a past
    fact it states, not a year a plan aims at (reading years before 2000 cost a real answer)."""
    return int(m.group(1)) >= 2000


def deadlines_in(text: str, start: int, end: int) -> list[Deadline]:
    found = [
        Deadline(
            m.start(),
            m.end(),
            f"{m.group(1)}年"
            + (f"{m.group(2)}月" if m.group(2) else "")
            + (f"{m.group(3)}日" if m.group(3) else "")
            + (m.group(4) or ""),
            int(m.group(1)),
        )
        for m in RE_DEADLINE.finditer(text, start, end)
        if targets_year(m)
    ]
    found += [Deadline(m.start(), m.end(), "每年", None) for m in RE_EVERY_YEAR.finditer(text, start, end)]
    return sorted(found, key=lambda d: d.start)


def values_in(text: str, start: int, end: int, taken: list[tuple[int, int]]) -> list[Value]:
    """The quantities in a segment, skipping years, population thresholds and per-capita bases."""
    found: list[Value] = []
    for m in RE_ARABIC.finditer(text, start, end):
        if any(a <= m.start() < b for a, b in taken):
            continue
        before, after = text[max(start, m.start() - 4) : m.start()], text[m.end() : end]
        if before.endswith(("每", "人口", "第")) or RE_POPULATION.match(text[m.end(2) if m.group(2) else m.end(1) :]):
            continue
        unit = m.group(3) or ""
        if not unit and not (RE_BARE_LEAD.search(before) and re.match(r"^\s*(?:[，。；、]|$)", after)):
            continue
        suffix = RE_SUFFIX.match(after)
        stop = m.end() + (suffix.end() if suffix else 0)
        high = float(m.group(2)) if m.group(2) else None
        found.append(
            Value(
                m.start(),
                stop,
                float(m.group(1)),
                high,
                unit,
                suffix.group(0) if suffix else "",
                text[m.start() : stop],
            )
        )
    for m in RE_CHINESE.finditer(text, start, end):
        if not m.group(1) or any(v.start <= m.start(1) < v.end for v in found):
            continue
        value = number(m.group(1))
        if value is None:
            continue
        after = text[m.end() : end]
        suffix = RE_SUFFIX.match(after)
        stop = m.end() + (suffix.end() if suffix else 0)
        found.append(
            Value(m.start(1), stop, value, None, m.group(2), suffix.group(0) if suffix else "", text[m.start(1) : stop])
        )
    return sorted(found, key=lambda v: v.start)


def comparator_before(pre: str) -> str:
    """The comparator word closest before a value (``不低于``), if the words between are few.

    A bound (``至少``, ``不低于``) outranks a plain ``达到`` in the same reach: ``至少达到50个`` is a floor.
    """
    found: list[tuple[int, int, str]] = []
    for word in PREFIXES:
        i = pre.rfind(word)
        if i >= 0 and len(pre[i + len(word) :].replace(" ", "")) <= 12:
            found.append((word not in PLAIN, i + len(word), word))
    if not found:
        return ""
    _, end, word = max(found, key=lambda f: (f[0], f[1], len(f[2])))
    if word in ("为", "占") and end != len(pre):
        return ""
    return word
