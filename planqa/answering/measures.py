"""The measure a quantity question asks for, and whether a figure states it.

``注册资本最低要多少万元？`` asks for money, ``每年考几次？`` for a count of times, ``要占多大比例？`` for a
share. A figure in another measure (``5%`` for 多少名, ``4个`` for 多少万吨), or a sentence with no
figure at all, does not answer it, however well its words match: the notice does not state the
number asked for, and the answer says so instead of quoting a neighbour. The measure words are
general Chinese (量词 and units), not any notice's. A question may also name the attribute it asks
(``的限额是多少``): a figure the notice calls so (``在80000元限额内``) is the likelier answer.
"""

from __future__ import annotations

import re

from planqa.types import Target

_NUM = r"(?:\d+(?:\.\d+)?|[一二三四五六七八九十百千两]+)\s*(?:万|亿|千|百)?"
# What the question names after 多少/几 → what a figure that answers it is written with.
_FAMILIES: tuple[tuple[str, str], ...] = (
    (r"元|钱", r"元"),
    (r"吨", r"吨"),
    (r"人次|人|名", r"人|名"),
    (r"位", r"(?<=\d)位|名|人"),  # 几位 counts people (委员) or places (字符共8位), never 三位一体
    (r"次", r"次"),
    (r"个?工作日|天|日", r"个?工作日|天|日"),
    (r"个月", r"个月"),
    (r"所|家|座|辆|台|套|张|支|床|户", ""),  # the same word answers
    (r"公里|平方米|米|亩|公顷", ""),
)
RE_ASKED = re.compile(r"(?:多少|几)(?:个)?(?:万|亿|千|百)?(" + "|".join(f for f, _ in _FAMILIES) + ")")
_RE_SHARE_ASKED = re.compile(
    r"多大比例|多少比例|(?:比例|占比|率)[^，。？?]{0,8}?(?:多少|几)|百分之几|占多少|几成|what share|what percentage",
    re.I,
)
_SHARE = re.compile(r"\d+(?:\.\d+)?\s*%|[一二三四五六七八九十]成|分之|全覆盖|全部|一半")
# 资金是多少 / 罚款多少 asks an amount of money (10万元), not a multiple (5倍) or a count (6级).
_RE_MONEY_ASKED = re.compile(
    r"(?:资金|经费|费用|金额|奖金|罚款|投资|预算|拨款|租金|价格|收费|工资|薪酬)(?:是|为|有|可以|要|共)?(?:多少|几)"
)
# 多大年龄 / 几岁 asks an age (16—24岁).
_RE_AGE_ASKED = re.compile(r"多大年龄|多大岁数|多少岁|几岁|年龄[^，。？?]{0,4}(?:多少|几)|how old|what age", re.I)
_AGE = re.compile(r"\d+(?:\s*[—\-－–~～至]\s*\d+)?\s*周?岁")
# 多久 / 多长时间 asks a length of time (留存五年, 30日内), which a date (2019年, 10月1日) is not.
RE_DURATION_ASKED = re.compile(r"多久|多长时间|多长的?期限|how long\b", re.I)
_DURATION = re.compile(
    r"(?<![\d.月])(?:\d{1,3}|[一二三四五六七八九十两半]+)\s*(?:个)?(?:年(?![底末度])|个月|周|星期|天|日(?!前)|工作日|小时)"
)
# An English question's measure, said in the Chinese of the families above (how many working days → 工作日).
_EN_MEASURES = (
    (r"working days?", "工作日"), (r"days?", "天"), (r"times", "次"), (r"months?", "个月"),
    (r"(?:people|persons|staff|members)", "人"), (r"(?:tons?|tonnes?)", "吨"), (r"yuan", "元"),
)  # fmt: skip
_RE_EN_ASKED = re.compile(
    r"how many (?:[a-z-]+ ){0,2}?(" + "|".join(e for e, _ in _EN_MEASURES) + r")\b|how much (money|funding|yuan)\b",
    re.I,
)


def asked_measure(question: str) -> re.Pattern[str] | None:
    """The pattern a figure answering ``question`` matches, or None when it asks no particular measure
    (多少, 几个, 是多少 ask for a number in whatever unit the notice uses)."""
    if _RE_SHARE_ASKED.search(question):
        return _SHARE
    if RE_DURATION_ASKED.search(question):
        return _DURATION
    if _RE_AGE_ASKED.search(question):
        return _AGE
    m = RE_ASKED.search(question)
    english = _RE_EN_ASKED.search(question)
    if _RE_MONEY_ASKED.search(question):
        word = "元"
    elif m or english:
        word = m.group(1) if m else _english_measure(english.group(1) or english.group(2))
    else:
        return None
    for family, answer in _FAMILIES:
        if re.fullmatch(family, word):
            # Not a date's day (12月4日 is no count of days), nor the tail of a longer number.
            return re.compile(rf"(?<![月\d.]){_NUM}(?:{answer or re.escape(word)})")
    return None


def _english_measure(word: str) -> str:
    return next((zh for en, zh in _EN_MEASURES if re.fullmatch(en, word, re.I)), "元")  # money, funding


def states(measure: re.Pattern[str], value_text: str, sentence: str) -> bool:
    """Whether a figure (``5个``, read from ``sentence``) is written in the asked measure: in its own
    words, or where the sentence writes that number (``不少于5个工作日`` parsed as ``5个``)."""
    if measure.search(value_text):
        return True
    number = re.match(r"\d+(?:\.\d+)?", value_text)
    if not number:
        return False
    exact = re.compile(rf"{re.escape(number.group())}(?![\d.])")
    return any(exact.match(m.group()) for m in measure.finditer(sentence))


def named_in(value_text: str, question: str) -> bool:
    """Whether a figure is one the question itself names (单户担保金额500万元及以下的业务占比…): the
    question's condition, not its answer."""
    core = re.match(r"\D*?(\d+(?:\.\d+)?(?:万|亿)?[^\d\s以及上下内不超过低于至—]{0,2})", value_text)
    return bool(core) and core.group(1) in question


_RE_CEILING_ASKED = re.compile(
    r"最多|最高|最长|上限|至多|不超过多少|最大|\bat most\b|\bmaximum\b|\bno more than\b|\bupper limit\b", re.I
)
_RE_FLOOR_ASKED = re.compile(
    r"最少|最低|至少|下限|不少于多少|不低于多少|\bat least\b|\bminimum\b|\bno less than\b", re.I
)
_RE_CEILING = re.compile(r"以下|不超过|不高于|以内|最高|最长|最多|至多|低于")
_RE_FLOOR = re.compile(r"以上|不少于|不低于|最低|最少|至少|超过")


def bound_asked(question: str) -> str:
    """ "ceiling" when the question asks the most allowed (最多可以罚款多少), "floor" the least
    (至少要配备多少), "" when it asks neither."""
    if _RE_CEILING_ASKED.search(question):
        return "ceiling"
    return "floor" if _RE_FLOOR_ASKED.search(question) else ""


def bound_of(figure: str) -> str:
    """Which bound a figure states (10万元以下 → "ceiling", 不少于5个 → "floor"), or ""."""
    if _RE_CEILING.search(figure):
        return "ceiling"
    return "floor" if _RE_FLOOR.search(figure) else ""


# 大病医疗专项附加扣除的限额是多少 asks the 限额 of 大病医疗: the noun after the last 的 before 多少/几.
_RE_ATTRIBUTE_ASKED = re.compile(
    r"的([\u4e00-\u9fff]{2,4}?)(?:原则上)?(?:是|为|有|要|应|可以|能|共)?(?:达到|不超过|不低于|不少于)?(?:多少|几)"
)
# Words that name no attribute of their own (的目标是多少 asks the figure, whatever it measures).
_RE_GENERIC = re.compile(r"(?:目标|要求|指标|任务|数量|情况|规定|标准|各|总|文号)+$")


def asked_attribute(question: str) -> str:
    """The attribute a quantity question names (限额, 注册资本, 土地租金), or "" when it names none or
    only a generic one (目标, 要求): a figure whose sentence says that word answers it."""
    m = _RE_ATTRIBUTE_ASKED.search(question)
    if not m:
        return ""
    word = _RE_GENERIC.sub("", m.group(1))
    return word if len(word) >= 2 else ""


# Characters either side of a figure within which its attribute stands (在80000元限额内, 2000名的招生规模):
# set by hand to hold those two, not fitted.
ATTRIBUTE_WINDOW = 8


def names_attribute(target: Target, attribute: str) -> bool:
    """Whether a target is the ``attribute`` asked: its indicator names it, or its sentence does beside
    the figure (在80000元限额内). A sentence that names it elsewhere (按购房款的10%发放…，在30000元限额内)
    says it of another figure."""
    if attribute in target.indicator:
        return True
    text, at = target.source_text, target.source_text.find(target.value_text)
    if at < 0:
        return False
    near = text[max(0, at - ATTRIBUTE_WINDOW) : at + len(target.value_text) + ATTRIBUTE_WINDOW]
    return attribute in near
