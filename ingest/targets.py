"""A target parser for plan language: every quantified commitment in a clause as a `Target` row.

Plan notices state targets in a handful of constructions, and this parser knows those, not any
particular notice:

- a value with unit and comparator: ``100个以上``, ``不低于85%``, ``2000名左右``, ``2—3个``, ``至少一个``;
- a deadline that governs the rest of its sentence: ``到2025年底``, ``2024年底前``, ``到2024年9月``, ``每年``;
- ``分别`` series aligned with a list of years (``到2023年底、2024年底、2025年底…分别达到…``) or with
  categories (``二级和三级公立医院…分别达到3级和4级``), several indicators per sentence each keeping its own;
- conditional tiers (``30万人口以下的县不低于20张，30—50万人口的县不低于50张``) and per-capita ratios
  (``按城市地区每3万人口、农村地区每1万人口配置1辆``, ``每千人口托位数达到4.5个``);
- a percentage of a base (``不低于编制总额的70%``) and a share of a population (``60%以上的二级以上综合医院…``);
- ``全覆盖`` with no number, read as 100% and flagged so.

A number that is a year, a population threshold, a hotline (``120``), an ordinal or an annotation
in brackets is not a target, and a sentence with no value yields nothing.
"""

from __future__ import annotations

import re
import sys
from collections.abc import Iterator

from planqa.ingest.quantities import (
    PREFIXES,
    RE_DEADLINE,
    RE_EVERY_YEAR,
    Deadline,
    Value,
    comparator_before,
    deadlines_in,
    targets_year,
    values_in,
)
from planqa.types import Clause, Target

_RE_PER = re.compile(
    r"((?:城市|农村|城区|乡村|城镇)(?:地区)?)?每(\d+(?:\.\d+)?|[一两三四五六七八九十])?\s*([万千百])?(人口|人)"
)
_RE_NOTE = re.compile(r"（(?:指|本文|含|不含|即|包括)[^）]{0,60}）")
_RE_UNITS_TAIL = re.compile(r"（(?:责任单位|牵头单位|责任部门)[：:][^）]*）$|（[^）]*(?:委|厅|局|办|政府|管委会)）$")
_RE_COVERAGE = re.compile(r"[“\"]?全覆盖[”\"]?")
_RE_SEP = re.compile(r"^[、和及与至，\s]*$")
_RE_ENUM = re.compile(r"和|、|及|与")
_LEADING = re.compile(
    r"^(?:[，、：；]|和|及|并|且|按照|按|力争|争取|基本|逐步|全面|确保|原则上|计划|预计|累计|均|要|"
    r"全省|全区|全市|全县|我省|我区|区内|省内|实现|分别|达到|达|建成|的|" + "|".join(PREFIXES) + r")+"
)
_TRAILING = re.compile(r"(?:[，、：；的]|和|及|分别|达到|达|实现|均|" + "|".join(PREFIXES) + r")+$")
SHORT = 4  # an indicator shorter than this borrows the words before it (``县域全覆盖``)


_RE_GOALS = re.compile(r"目标|指标")


def extract_targets(clause: Clause, scope: str = "") -> list[Target]:
    """Every target stated in one clause chunk, in reading order."""
    text = _mask(clause.text)
    rows: list[Target] = []
    carried: Deadline | None = None  # ``到2025年底，培养…；培养…；…``: a deadline governs past a ``；``
    # In a 目标 / 指标 part (二、主要目标：到2027年，…。…分别达到…), the opening deadline governs every goal
    # sentence after it until the next; in a task, a full stop ends it (the bundled plan's 到2025年底，7个
    # 国家区域医疗中心…。推进…4个省级区域医疗中心 are due 2024年底, as its annex says).
    governs = ("；", "。") if _RE_GOALS.search(" ".join((*clause.section, clause.title))) else ("；",)
    for s_start, s_end in _sentences(text):
        for fields, span in _sentence_targets(text, s_start, s_end, carried):
            rows.append(
                Target(
                    doc_id=clause.doc_id,
                    clause_id=clause.id,
                    clause_key=clause.key,
                    address=sys.intern(clause.section_path),  # shared by the targets of a clause and its copies
                    scope=scope,
                    units=clause.units,
                    pages=clause.pages,
                    source_text=clause.text[span[0] : span[1]],
                    span=span,
                    **fields,
                )
            )
        own = [d for d in deadlines_in(text, s_start, s_end) if d.label != "每年"]
        if own and len(_group(own)) < 2:
            carried = own[-1]
        if not text.startswith(governs, s_end):
            carried = None
    return rows


def _mask(text: str) -> str:
    """Blank out what is never a target (annotations, the 责任单位 tail), keeping every offset."""
    for pattern in (_RE_NOTE, _RE_UNITS_TAIL):
        text = pattern.sub(lambda m: " " * len(m.group(0)), text)
    return text


def _sentences(text: str) -> Iterator[tuple[int, int]]:
    start = 0
    for m in re.finditer(r"[。；！？\n]", text):
        if text[start : m.start()].strip():
            yield start, m.start()
        start = m.end()
    if text[start:].strip():
        yield start, len(text)


def _clean(text: str) -> str:
    text = RE_DEADLINE.sub(lambda m: "" if targets_year(m) else m.group(0), text)  # as deadlines_in reads
    text = RE_EVERY_YEAR.sub("", text).strip()
    for _ in range(3):
        text = _LEADING.sub("", text).strip()
        text = _TRAILING.sub("", text).strip()
    return text


def _segments(text: str, start: int, end: int) -> Iterator[tuple[int, int]]:
    seg = start
    for m in re.finditer(r"[，：]", text[start:end]):
        yield seg, start + m.start()
        seg = start + m.end()
    yield seg, end


def _sentence_targets(
    text: str, s_start: int, s_end: int, carried: Deadline | None = None
) -> Iterator[tuple[dict, tuple[int, int]]]:
    sentence = text[s_start:s_end]
    lead = sentence.strip()
    span = (s_start + len(sentence) - len(sentence.lstrip()), s_end - (len(sentence) - len(sentence.rstrip())))
    aspirational = bool(re.search("力争|争取", lead))
    deadlines = deadlines_in(text, s_start, s_end)
    taken = [(d.start, d.end) for d in deadlines]
    current: Deadline | None = carried
    years: list[Deadline] = []  # the latest list of deadlines in the sentence (a 分别 series aligns with it)
    labels: list[str] = []  # categories of the latest series, carried to ``智慧服务…达到2级和3级``
    indicator = ""  # the latest indicator, inherited by a tier that names only its condition
    previous_text = ""
    for seg_start, seg_end in _segments(text, s_start, s_end):
        here = [d for d in deadlines if seg_start <= d.start < seg_end]
        group = _group(here)
        if len(group) >= 2:
            years = group
        elif here:
            current = here[-1]
        values = values_in(text, seg_start, seg_end, taken)
        base_flags = ("aspirational",) if aspirational else ()
        if values:
            for fields in _segment_targets(
                text, seg_start, seg_end, s_end, values, years, labels, indicator, previous_text
            ):
                deadline = fields.pop("_deadline", None) or current
                labels = fields.pop("_labels", labels)
                if not fields["indicator"] and not indicator and fields.get("condition"):
                    # A first tier that names only its condition takes the segment before it as its
                    # name (``敬老院护理型床位占比，20万人口以下的县不低于50%``); later tiers inherit it.
                    fields["indicator"] = previous_text
                indicator = fields["indicator"] or indicator
                fields["indicator"] = fields["indicator"] or indicator
                if deadline is not None and "deadline" not in fields:
                    fields.update(deadline=deadline.label, year=deadline.year)
                fields["flags"] = base_flags + fields.get("flags", ())
                yield fields, span
        for m in _RE_COVERAGE.finditer(text, seg_start, seg_end):
            yield _coverage(text, seg_start, m, previous_text, current, base_flags), span
        previous_text = _clean(text[seg_start:seg_end])


def _group(deadlines: list[Deadline]) -> list[Deadline]:
    """A run of deadlines written as a list (``2023年底、2024年底、2025年底``)."""
    return deadlines if len(deadlines) >= 2 else []


def _coverage(
    text: str, seg_start: int, m: re.Match[str], previous: str, current: Deadline | None, flags: tuple[str, ...]
) -> dict:
    pre = text[seg_start : m.start()]
    pre = pre[pre.rfind("全覆盖") + 3 :] if "全覆盖" in pre else pre
    pre = re.sub(r"^(?:巩固|维持|保持|推进|推动)", "", _clean(pre.strip("、")))
    indicator = pre if len(pre) >= SHORT else f"{previous}{pre}"
    fields = {
        "indicator": indicator + "覆盖",
        "value": 100.0,
        "unit": "%",
        "comparator": "实现",
        "value_text": m.group(0),
        "flags": (*flags, "coverage"),
    }
    if current is not None:
        fields.update(deadline=current.label, year=current.year)
    return fields


def _segment_targets(
    text: str,
    seg_start: int,
    seg_end: int,
    s_end: int,
    values: list[Value],
    years: list[Deadline],
    labels: list[str],
    indicator: str,
    previous: str,
) -> Iterator[dict]:
    series = [values[0]]
    for v in values[1:]:
        between = text[series[-1].end : v.start]
        if _RE_SEP.match(between):
            series.append(v)
        else:
            break
    if len(series) >= 2 and len(series) == len(values):
        yield from _series(text, seg_start, seg_end, series, years, labels, indicator)
        return
    left = seg_start
    for i, v in enumerate(values):
        right = values[i + 1].start if i + 1 < len(values) else seg_end
        pre, post = text[left : v.start], text[v.end : right]
        if i > 0:  # ``5个社区、3所学校``: the words before ``、`` belong to the value before
            pre = _RE_ENUM.split(pre)[-1]
        if i + 1 < len(values) and _RE_ENUM.search(post):
            post = post[: [m.start() for m in _RE_ENUM.finditer(post)][-1]]
        yield from _single(text, pre, v, post, right, seg_end, s_end, previous)
        left = v.end


def _series(
    text: str,
    seg_start: int,
    seg_end: int,
    series: list[Value],
    years: list[Deadline],
    labels: list[str],
    inherited: str,
) -> Iterator[dict]:
    pre = text[seg_start : series[0].start]
    base = _base(pre)
    comparator = comparator_before(pre)
    head = pre[: pre.rfind(base)] if base else pre
    head = re.sub("分别.*$", "", head)
    cats: list[str] = []
    indicator = _clean(head)
    if len(years) != len(series):
        parts = [p for p in _RE_ENUM.split(_clean(head)) if p]
        if len(parts) >= len(series) and len(series) >= 2:
            first = parts[-len(series) : -1]
            width = len(first[-1])
            cats = [*first, parts[-1][:width]]
            indicator = parts[-1][width:]
        elif len(labels) == len(series):
            cats = labels
    post = _clean(text[series[-1].end : seg_end])
    for i, v in enumerate(series):
        fields = _fields(v, comparator, base)
        fields["indicator"] = (indicator or inherited) + (post if post and not post.startswith("的") else "")
        if len(years) == len(series):
            fields["_deadline"] = years[i]
        elif cats:
            fields["condition"] = cats[i]
        fields["_labels"] = cats
        yield fields


_VERB = re.compile(r"设立|开设|建成|达到|提供|配备|设置|实现|覆盖|完成|建设|打造|开展")


def _single(
    text: str, pre: str, v: Value, post: str, right: int, seg_end: int, s_end: int, previous: str
) -> Iterator[dict]:
    """One value and the words around it; a list of per-capita bases gives one row per base."""
    comparator = comparator_before(pre)
    base = _base(pre)
    fields = _fields(v, comparator, base)
    conditions: list[tuple[str, str]] = []  # (condition, unit)
    pers = list(_RE_PER.finditer(pre))
    for per in pers:
        unit = f"{v.unit}/{per.group(2) or ''}{per.group(3) or ''}{per.group(4)}"
        conditions.append((per.group(1) or "", unit))
    if pers:
        rest = pre[pers[-1].end() :]
        if re.match(r"^[，、\s]*(?:配置|配备|设置|建设)", rest) or len(pers) > 1:
            pre = pre[: pers[0].start()] + rest  # ``每3万人口配置1辆``: the base is a unit, not a name
        else:
            pre = pre[: pers[-1].start()] + pre[pers[-1].start() :]  # ``每千人口托位数``: it names the indicator
    pop = re.search(r"(?:辖区人口)?\d+(?:—\d+)?万(?:及以上|以上|以下)?人口(?:及以上|以上|以下)?的[^，]*", pre)
    if pop:
        condition = pre[pop.start() :]
        if comparator and comparator in condition:
            condition = condition[: condition.rfind(comparator)]
        fields["condition"] = condition
        pre = pre[: pop.start()]
    if base:
        pre = pre[: pre.rfind(base)]
    head = _clean(re.sub(r"原则上", "", pre))
    if re.match(r"^的(?:要求|标准|目标)", post):
        post = ""
    share = post.startswith("的")
    tail = _clean(re.split(r"的?(?:要求|标准)(?!化)", post)[0])
    if share and not _VERB.search(tail):
        # The predicate may be shared (``100%的乡镇卫生院…和80%的村卫生室提供中医药服务``) or open
        # the next segment (``80%的乡镇卫生院，建成标准化公共卫生科``).
        verb = _VERB.search(text, right, seg_end) if right < seg_end else _VERB.match(text, seg_end + 1, s_end)
        if verb:
            tail += _clean(re.split(r"[，：]", text[verb.start() : s_end])[0])
    if head.count("、") >= 2 and tail:
        head = ""  # ``甲医院、乙医院、丙医院3个基地``: the count's noun names it, the list is in the quote
    indicator = head + tail
    if len(indicator) < SHORT and previous and not pop:
        indicator = previous + indicator
    fields["indicator"] = indicator
    if not conditions or any(conditions[0][0] == c for c, _ in conditions[1:]):
        if conditions:
            fields["unit"] = conditions[-1][1]
        yield fields
        return
    for condition, unit in conditions:
        yield {**fields, "condition": condition or fields.get("condition", ""), "unit": unit}


def _base(pre: str) -> str:
    """``不低于编制总额的`` → ``编制总额``: what a percentage is a share of."""
    m = re.search(r"(?:不低于|不少于|不高于|不超过|占|达到|达)([\u4e00-\u9fff（）]{2,12}?)的$", pre)
    return m.group(1) if m else ""


def _fields(v: Value, comparator: str, base: str) -> dict:
    return {
        "value": v.value,
        "value_max": v.value_max,
        "unit": v.unit,
        "comparator": v.suffix or comparator,
        "base": base,
        "value_text": v.text,
    }
