"""What a question asks for, read off its wording: the kind of answer, the words that must be covered.

Officials ask a few kinds of questions of a plan: how much (多少/几/比例), by when (什么时候), who is
responsible (哪些单位负责) or the inverse (省财政厅负责哪些任务), what a list contains (哪些), facts
about the document (文号, 印发日期), and comparisons between documents. The kind decides what the
extractive answerer looks for in the retrieved clauses; the *focus* (the question minus its question
words) is what a clause must cover for planqa to answer rather than abstain.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass

from planqa.answering.measures import RE_ASKED, RE_DURATION_ASKED
from planqa.retrieval.crosslingual import choose
from planqa.retrieval.query import Query

QUANTITY, DATE, UNITS, TASKS_OF_UNIT, LIST, DOCUMENT, COMPARE, TEXT = (
    "quantity",
    "date",
    "units",
    "tasks_of_unit",
    "list",
    "document",
    "compare",
    "text",
)

_RE_DATE = re.compile(
    r"什么时候|什么时间|啥时候?|几时|何时|哪一年|哪年|几月|哪天|哪一天|哪几天|几号|多久|期限|截止|"
    r"\bwhen\b|by when|what year|deadline",
    re.I,
)
_RE_UNITS = re.compile(
    # 由谁担任 asks who holds a post (组长由…副秘书长担任), which a sentence answers, not a 责任单位.
    r"(?:哪些|哪个|什么|哪几个|哪家)(?:单位|部门|机构)?(?:负责|牵头|参与|配合)|由谁(?!担任|兼任|出任|主持|召集)|"
    r"谁负责|谁牵头|责任单位|牵头单位|责任部门|"
    r"\bresponsible\b|\bin charge\b|which department|\bwho leads\b|\btakes? the lead\b",
    re.I,
)
_RE_TASKS = re.compile(
    r"(?:负责|牵头|参与|承担)[^，。？]{0,6}(?:哪些|哪项|哪几项|什么)(?:任务|工作|事|措施|事项)|哪些任务|哪项任务|"
    r"\b(?:which|what) (?:tasks|actions|work)\b",
    re.I,
)
_RE_QUANTITY = re.compile(
    r"多少|多大|几个|几项|几家|几所|几名|几级|几成|几张|几辆|几|比例|占比|覆盖率|要求|目标|标准|"
    r"how many|how much|what share|what percentage|what rate|what .*target|what is the .*(?:rate|number)|"
    r"\bmaximum\b|\bminimum\b|\bat most\b|\bat least\b",
    re.I,
)
_RE_LIST = re.compile(r"哪些|哪几|包括|包含|是什么|有什么|是啥|有啥|怎么|咋|如何|which|what are|list", re.I)
_RE_DOCUMENT = re.compile(
    r"文号|发文字号|印发|发布|哪天|签发|会议|根据哪|依据哪|抄送|document number|issued|adopted", re.I
)
_RE_ACTUALS = re.compile(r"实际|已经|目前|现在|进展|完成情况|完成了|执行情况|so far|actually|currently", re.I)
# Words that make a question a question, not a topic; blanked out before checking what a clause
# covers. Single characters only where they rarely sit inside a content word (能 would break 能力,
# 会 would break 会议), and no word segmentation: jieba cuts 定制药园到 into 定/制药/园到.
_QUESTION_PHRASES = (  # noqa: SIM905
    "什么时候 多少 几个 几项 几家 几所 几名 几级 几成 几张 几辆 什么 哪些 哪个 哪项 哪几 哪家 哪天 哪一天 哪次 哪年 "
    "哪一年 要求 目标 标准 规定 数量 比例 达到 怎么样 怎么 如何 请问 这份 这项 计划 行动计划 规划 方案 负责 牵头 参与 "
    "承担 单位 部门 任务 工作 一共 总共 分别 各是 不同 区别 差异 相比 比较 对比 可以 需要 应该 至少 最少 具体 什么样 "
    "多大 多久 多长时间 一下 何时 有没有 是否 年底 年末 月底 底前 啥时候 啥时 什么时间 几时 能不能 能否 咋样 咋 啥"
).split()
_RE_QUESTION = re.compile(
    "|".join(sorted(_QUESTION_PHRASES, key=len, reverse=True))
    + r"|[的了吗呢么是要到底个和与由谁哪几各都得有啊呀吧嘛哦]"
)
_RE_PUNCT = re.compile(r"[？?，。、！!：:；;“”\"'（）()\s]+")
_RE_YEARISH = re.compile(r"\d{4}年?|\d+月")


@dataclass(frozen=True)
class Reading:
    """How planqa reads one question."""

    kind: str
    text: str  # the question as normalised (with the English original, for English questions)
    focus: str  # the topic words: question words, places and years removed
    years: tuple[int, ...]
    actuals: bool  # asks what has happened, which a plan does not say
    english: bool


def read(query: Query, places: tuple[str, ...] = (), named: int = 0) -> Reading:
    """The kind of answer a question wants, and its focus; ``named`` counts the documents it names."""
    text = " ".join((query.text, query.original)) if query.language == "en" else query.text
    if named >= 2:
        kind = COMPARE
    elif _RE_TASKS.search(text):
        kind = TASKS_OF_UNIT
    elif _RE_UNITS.search(text):
        kind = UNITS
    elif RE_DURATION_ASKED.search(text):
        kind = QUANTITY  # 多久 asks a length of time in a figure (五年), not a deadline
    elif _RE_DATE.search(text) and not re.search("印发|发布|签发|发文", text):
        kind = DATE  # 什么时候印发 asks about the document, not about a task's deadline
    elif _RE_DOCUMENT.search(text) and (not re.search("多少|几", text) or re.search("文号|发文字号", text)):
        # 文号是多少 asks for the document's number, not a quantity; 印发了多少份 would ask a quantity
        kind = DOCUMENT
    elif _RE_QUANTITY.search(text) and not re.search("哪些|哪几|是哪|包括|包含", text):
        kind = QUANTITY
    elif _RE_LIST.search(text):
        kind = LIST
    else:
        kind = TEXT
    return Reading(
        kind, text, focus_of(query, places), query.years, bool(_RE_ACTUALS.search(text)), query.language == "en"
    )


def english_focus(query: Query, texts: Sequence[str], known: Callable[[str], bool]) -> str:
    """An English question's focus once its clauses are retrieved: for each of its topic words the
    Chinese word the notices use (``crosslingual.choose``), with the glossary's terms."""
    glossary = [e for e in query.expansions if e not in _ASKED_TERMS]
    return " ".join(dict.fromkeys([*choose(query.terms, texts, known), *glossary]))


# Glossary terms that name the kind of answer asked for (responsible → 责任单位), not its topic; the
# Chinese question's 负责 and 单位 are blanked out the same way (_QUESTION_PHRASES).
_ASKED_TERMS = frozenset(("责任单位",))


def focus_of(query: Query, places: tuple[str, ...] = ()) -> str:
    """The question's topic words (Chinese): for English, the glossary terms it matched."""
    if query.language == "en":
        return " ".join(query.expansions)
    text = query.text
    for place in sorted(places, key=len, reverse=True):
        text = text.replace(place, " ")
    text = RE_ASKED.sub("", text)  # 放几天假 → 放假: the asked measure is the answer's, not the topic's
    text = _RE_QUESTION.sub(" ", _RE_PUNCT.sub(" ", _RE_YEARISH.sub(" ", text)))
    words = [w for w in text.split() if len(w) >= 2]
    synonyms = [e for e in query.expansions if not re.fullmatch(r"[\d.]+", e)]
    return " ".join(words + synonyms)
