"""The web info box that a notice downloaded from a government policy library opens with.

Pages of the State Council policy library (and the provincial ones built like it) put the notice's
facts before its text, one label or value a line::

    索 引 号：   000014349/2018-00219
    主题分类：   财政、金融、审计\\税务
    发文机关：   国务院
    成文日期：   2018年12月13日
    标　　题：   国务院关于印发个人所得税专项附加扣除暂行办法的通知
    发文字号：   国发〔2018〕41号
    发布日期：   2018年12月22日
    主 题 词：   (often empty)

These are document facts, not the notice's words: ``read_infobox`` takes them off the top so the
clause grammar starts at the notice itself. 成文日期 (signed) and 发布日期 (published) are kept apart.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from planqa.ingest.numbers import number

# Label → field name. The labels are the library's own; spaces inside them vary (标　　题).
LABELS = {
    "索引号": "index",
    "主题分类": "subject",
    "发文机关": "issuer",
    "成文日期": "signed",
    "标题": "title",
    "发文字号": "number",
    "发布日期": "published",
    "主题词": "keywords",
}
MIN_LABELS = 3  # fewer labelled lines at the top are a notice's own text, not a box
_RE_LABEL = re.compile(r"^([\u4e00-\u9fff\s]{2,8}?)\s*[：:]\s*(.*)$")
# 2018年12月13日, and 二〇〇四年十一月四日 as older notices sign: the year digit by digit, month and
# day as numerals (十二, 二十七).
YEAR = r"\d{4}|[〇零一二三四五六七八九]{4}"
MONTH_DAY = r"\d{1,2}|[一二三四五六七八九十]{1,3}"
DATE = rf"({YEAR})\s*年\s*({MONTH_DAY})\s*月\s*({MONTH_DAY})\s*日"
_RE_DATE = re.compile(DATE)


def _label(line: str) -> tuple[str, str] | None:
    m = _RE_LABEL.match(line.strip())
    if not m:
        return None
    name = LABELS.get(re.sub(r"\s", "", m.group(1)))
    return (name, m.group(2).strip()) if name else None


def _keywords(line: str) -> bool:
    """A 主题词 value is a row of short words (农业　粮食　应急预案△　函), never a title or a sentence."""
    return bool(re.search(r"\s|△", line.strip())) and "关于" not in line and len(line.strip()) <= 40


def read_infobox(lines: Sequence[str]) -> tuple[dict[str, str], int]:
    """The box's fields and the index of the first line after it; ({}, 0) when there is none."""
    fields: dict[str, str] = {}
    i, end, n = 0, 0, len(lines)
    while i < n and not lines[i].strip():
        i += 1
    while i < n:
        found = _label(lines[i])
        if found is None:
            break
        name, value = found
        i += 1
        if not value:  # the value stands on the next line that has text, unless that is a label
            j = i
            while j < n and not lines[j].strip():
                j += 1
            if j < n and _label(lines[j]) is None and (name != "keywords" or _keywords(lines[j])):
                value, i = lines[j].strip(), j + 1
        fields[name] = value
        end = i
        while i < n and not lines[i].strip():
            i += 1
    if len(fields) < MIN_LABELS:
        return {}, 0
    return {k: v for k, v in fields.items() if v}, end


def iso_date(text: str) -> str:
    """``2018年12月13日`` (or ``二〇一八年十二月十三日``) → ``2018-12-13``; "" when the text holds no date."""
    m = _RE_DATE.search(text)
    if not m:
        return ""
    year, month, day = (int(number(g) or 0) for g in m.groups())
    return f"{year:04d}-{month:02d}-{day:02d}"


def written_date(iso: str) -> str:
    """An ISO date as notices write it: ``2019-01-09`` → ``2019年1月9日``; "" for ""."""
    if not iso:
        return ""
    y, m, d = (int(x) for x in iso.split("-"))
    return f"{y}年{m}月{d}日"
