"""The numeric faithfulness guard: a generated answer may state only what its cited clauses state.

Every number in the answer, read with its unit (``150万元`` is not ``150个``), every percentage
(``百分之四十`` is ``40%``), every year and every named institution must occur in a cited clause,
after the same normalisation on both sides; a year the question asks about must be one a cited
clause gives. Anything else is a fact the model made up, and the answer is rejected.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from planqa.answering.english import chinese_dates
from planqa.ingest.numbers import chinese_number

_CN = "零〇一二两三四五六七八九十百千万亿"
_RE_PERCENT_CN = re.compile(rf"百分之([{_CN}点]+)")
_RE_CN_NUMBER = re.compile(rf"(?<![{_CN}])([{_CN}]{{1,6}})(?=[个项家所名张辆级批类条人次倍])")
_RE_QUANTITY = re.compile(
    r"(\d+(?:\.\d+)?)\s*((?:万|亿)?(?:人次|平方米|公里|小时|元|个|项|家|所|名|张|辆|级|批|类|条|倍|岁|床|户|人|亩|%)?)"
)
_RE_YEAR = re.compile(r"(20\d{2}|19\d{2})\s*年")
_RE_INSTITUTION = re.compile(r"医院|卫生院|中心|大学|学院|研究院|委员会|健康委|改革委|管委会|厅|局")
_RE_MARKER = re.compile(r"\[\d+\]|【\d+】")
_RE_DATE = re.compile(r"(?:19|20)\d{2}年\d{1,2}月(?:\d{1,2}日)?")
_BOUNDARY = set("由和与及、，,。；;：:在对等是为向将把从（(“")
# What tells one institution from another just before a shared ending: ``第三``附属医院 is not
# ``第一``附属医院, ``省``发展改革委 is not ``市``发展改革委. Other words there (遴选乡镇卫生院) are prose.
_DISTINGUISHING = set("0123456789第一二三四五六七八九十百甲乙丙丁东南西北中省市县区乡镇村")


@dataclass(frozen=True)
class Verdict:
    """What the guard found: ``problems`` empty means the answer may be shown."""

    problems: tuple[str, ...]

    @property
    def ok(self) -> bool:
        return not self.problems


def normalise(text: str) -> str:
    """Width, spaces, spelled-out numbers and English dates made uniform, so ``100 个`` = ``100个``,
    ``百分之四十`` = ``40%``, ``the end of 2024`` = ``2024年底``."""
    text = chinese_dates(unicodedata.normalize("NFKC", text))
    text = re.sub(r"(?<=\d)[\s,，](?=\d{3}\b)", "", text)  # 1,000 → 1000
    text = re.sub(r"(?<=\d)\s+(?=\S)|(?<=\S)\s+(?=\d)", "", text)
    text = _RE_PERCENT_CN.sub(lambda m: _spelled(m.group(1)) + "%", text)
    return _RE_CN_NUMBER.sub(lambda m: _spelled(m.group(1)), text)


def _spelled(words: str) -> str:
    if "点" in words:
        whole, _, frac = words.partition("点")
        digits = "".join(str(int(chinese_number(ch) or 0)) for ch in frac)
        return f"{_fmt(chinese_number(whole) or 0)}.{digits}"
    value = chinese_number(words)
    return _fmt(value) if value is not None else words


def _fmt(value: float) -> str:
    return str(int(value)) if float(value).is_integer() else str(value)


def quantities(text: str) -> set[tuple[str, str]]:
    """(number, unit) pairs, years excluded; a bare number has unit ""."""
    found = set()
    for m in _RE_QUANTITY.finditer(text):
        after = text[m.end() : m.end() + 1]
        if after == "年" or (m.group(2) == "" and after != "" and after in "月日"):
            continue  # a date, checked as a year
        found.add((_fmt(float(m.group(1))), m.group(2)))
    return found


def check(answer: str, cited: Sequence[str], asked_years: Iterable[int] = ()) -> Verdict:
    """Compare a generated answer with the texts of the clauses it cites."""
    if not cited:
        return Verdict(("no retrieved clause is cited",))
    said, source = normalise(_RE_MARKER.sub("", answer)), normalise("\n".join(cited))
    problems: list[str] = []
    known = quantities(source)
    for number, unit in sorted(quantities(said)):
        if (number, unit) not in known:  # a bare number must stand bare in the clause too
            problems.append(f"number not in the cited clauses: {number}{unit}")
    problems += [f"date not in the cited clauses: {d}" for d in sorted(set(_RE_DATE.findall(said))) if d not in source]
    years = set(_RE_YEAR.findall(source))
    problems += [f"year not in the cited clauses: {y}" for y in sorted(set(_RE_YEAR.findall(said)) - years)]
    problems += [f"the cited clauses give no {y} figure" for y in asked_years if str(y) not in years]
    for span in _institutions(said):
        if not _named(span, source):
            name = re.split("[" + re.escape("".join(_BOUNDARY)) + "]", span)[-1]
            problems.append(f"institution not in the cited clauses: {name}")
    return Verdict(tuple(problems))


def _institutions(text: str) -> list[str]:
    """Each institution word with up to 16 characters of Chinese before it: the name's candidates."""
    names = []
    for m in _RE_INSTITUTION.finditer(text):
        start = m.start()
        while start > 0 and m.end() - start < 18 and "\u4e00" <= text[start - 1] <= "\u9fff":
            start -= 1
        names.append(text[start : m.end()])
    return names


def _named(span: str, source: str) -> bool:
    """The cited clauses name it: the longest ending of the span found in the source is longer than a
    bare 中心/医院, and what precedes it in the answer does not make it another institution."""
    keyword = _RE_INSTITUTION.search(span)
    shortest = (len(keyword.group(0)) if keyword else 1) + 2
    for cut in range(len(span) - shortest + 1):
        if span[cut:] in source:
            return cut == 0 or span[cut - 1] not in _DISTINGUISHING
    return len(span) < shortest  # ``中心`` alone names nothing in particular
