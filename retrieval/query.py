"""Questions into the canonical form that clauses are indexed in.

Officials write ``24年底``, ``二〇二五年``, ``规培``, half-width brackets and English; the notices say
``2024年底``, ``住院医师规范化培训``. Normalising the question (not the index) keeps one canonical text
per clause, so a quote always matches the source. Synonyms come from a small thesaurus shipped as
data (``thesaurus.json``), never from the questions of an evaluation set.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources

from planqa.ingest.normalize import CJK, normalize_text
from planqa.ingest.numbers import CN_NUMERALS, chinese_number
from planqa.ingest.places import RE_PLACE_WORD
from planqa.retrieval.crosslingual import Term, english_terms
from planqa.retrieval.followup import swap_subject

_CN = CN_NUMERALS
# Spoken Chinese puts 里 after a village or township (村里卫生室, 镇里的学校); a notice writes 村卫生室.
_RE_COLLOQUIAL_IN = re.compile(rf"(村|乡|镇)里(?=[{CJK}])")
# 24年底 / 24年9月 / 24年: a two-digit year is this century's; a bare number of years (``3年``) is not.
_RE_SHORT_YEAR = re.compile(r"(?<![\d.])([1-4]\d)年(?=底|末|初|中|前|内|\d{1,2}月|[，。？的里要还呢]|$)")
_RE_CN_YEAR = re.compile(r"([〇零一二三四五六七八九]{2,4})年")
_RE_CN_COUNT = re.compile(rf"([{_CN}]+)(?=[个家所名张辆级项批人万%])")
_RE_YEAR = re.compile(r"(20\d{2})年")
_RE_LATIN = re.compile(r"[A-Za-z]")
# When a document was signed, issued, published or took effect, or its 文号: facts its header, its
# signature and its closing article (本办法自…起施行) state, not its tasks. Each facet, its words.
_RE_WHEN = r"哪天|哪一天|什么时候|什么时间|何时|啥时候|日期|\bwhen\b|\bdate\b"
_FACETS = {
    "effect": r"施行|生效|起实施|(?:takes?|took|come|came) (?:into )?effect",
    "published": r"发布|公布|published|posted",
    "signed": r"印发|签发|成文|批复|issued|signed|approved|adopted",
}
_RE_NUMBER_ASKED = re.compile(r"文号|发文字号|document number", re.IGNORECASE)
_RE_INTERPRETER_ASKED = re.compile(r"负责解释|解释权|由谁解释|who interprets", re.IGNORECASE)
_RE_PURPOSE_ASKED = re.compile(r"(?:立法|制定|编制|印发)[^，。？]{0,8}?目的|为什么制定|为何制定|\bpurpose\b", re.I)


_NUMERAL = rf"([{_CN}]+|\d{{1,3}})"
_RE_ASKED_ARTICLE = re.compile(rf"第{_NUMERAL}条")
_RE_ASKED_ITEM = re.compile(rf"第[（(]{_NUMERAL}[）)]项?|第{_NUMERAL}项")


# The nouns a law or notice introduces a list with (应当具备下列条件：, 严格审核以下内容：).
LIST_NOUNS = "内容|条件|事项|情形|材料|资料|行为|方面|要求|信息|职责|权利|义务"
_RE_ASKED_LIST = re.compile(rf"(?:哪些|哪几[项类种个]?|什么|何种)(?:样的)?({LIST_NOUNS})")


def asked_list(text: str) -> str:
    """What a question asks a list of: ``需要满足哪些条件`` → ``条件``; "" when it asks no list."""
    m = _RE_ASKED_LIST.search(text)
    return m.group(1) if m else ""


def asked_addresses(text: str) -> tuple[tuple[str, int], ...]:
    """The clause numbers a question names, as (style, value): ``第二十三条`` → ("article", 23);
    ``第（二十三）项`` → ("item", 23); a bare ``第23项`` may be either numbering of items."""
    found: list[tuple[str, int]] = []
    for m in _RE_ASKED_ARTICLE.finditer(text):
        if (n := _value(m.group(1))) is not None:
            found.append(("article", n))
    for m in _RE_ASKED_ITEM.finditer(text):
        if (n := _value(m.group(1) or m.group(2))) is not None:
            found += [("item", n)] if m.group(1) else [("item", n), ("digit", n)]
    return tuple(dict.fromkeys(found))


def clause_address(number: str) -> tuple[str, int] | None:
    """A clause's own number in the same terms: ``第二十三条``, ``（二十三）``, ``23``."""
    if m := re.fullmatch(rf"第{_NUMERAL}条", number):
        style, raw = "article", m.group(1)
    elif m := re.fullmatch(rf"[（(]{_NUMERAL}[）)]", number):
        style, raw = "item", m.group(1)
    elif re.fullmatch(r"\d{1,3}", number):
        style, raw = "digit", number
    else:
        return None
    value = _value(raw)
    return (style, value) if value is not None else None


def _value(numeral: str) -> int | None:
    return int(numeral) if numeral.isdigit() else chinese_number(numeral)


def document_facet(text: str) -> str:
    """Which fact about the document itself a question asks for: "effect", "published", "signed",
    "number", "purpose" (why it was made), "interpreter" (who interprets it), or "" for a question
    about its content."""
    if _RE_NUMBER_ASKED.search(text):
        return "number"
    if _RE_PURPOSE_ASKED.search(text):
        return "purpose"
    if _RE_INTERPRETER_ASKED.search(text):
        return "interpreter"
    gap = 60 if language_of(text) == "en" else 12  # When does the … regulation take effect
    for facet, act in _FACETS.items():
        if re.search(rf"(?:{_RE_WHEN}).{{0,{gap}}}(?:{act})|(?:{act}).{{0,6}}(?:{_RE_WHEN})", text, re.IGNORECASE):
            return facet
    return ""


@dataclass(frozen=True)
class Query:
    """A normalised question and what retrieval can read off it."""

    original: str
    text: str  # canonical Chinese form, for the dense side and for display
    expansions: tuple[str, ...]  # extra terms for the lexical side: synonyms and glossary terms
    language: str  # "zh" or "en"
    years: tuple[int, ...]  # years the question names, e.g. (2024,)
    about_document: str = ""  # the document fact asked for (document_facet), which its header holds
    addresses: tuple[tuple[str, int], ...] = ()  # clause numbers it names (clause_addresses): 第（二十三）项
    listing: str = ""  # what it asks a list of (哪些条件 → 条件), which a clause introduces as 下列条件：
    terms: tuple[Term, ...] = ()  # an English question's topic words with their Chinese candidates

    @property
    def named_text(self) -> str:
        """Where a question may name a notice (``places.named_documents``): its text and its glossary terms."""
        return " ".join((self.text, *self.expansions))


def language_of(text: str) -> str:
    """ "en" when Latin letters outnumber CJK characters: such questions lean on the multilingual model."""
    cjk = len(re.findall(f"[{CJK}]", text))
    return "en" if len(_RE_LATIN.findall(text)) > 2 * cjk else "zh"


@lru_cache(maxsize=1)
def thesaurus() -> dict[str, list[list[str]]]:
    """Synonym groups (first term canonical) and an English→Chinese glossary, from package data."""
    data = json.loads(resources.files("planqa.retrieval").joinpath("thesaurus.json").read_text("utf-8"))
    return {"synonyms": data["synonyms"], "equivalents": data["equivalents"], "glossary": data["glossary"]}


def normalize_question(question: str) -> Query:
    """The question in canonical form, with the synonyms and years retrieval should use."""
    text = normalize_text(question.strip())
    text = _RE_CN_YEAR.sub(lambda m: _year(m.group(1)), text)
    text = _RE_SHORT_YEAR.sub(lambda m: f"20{m.group(1)}年", text)
    text = _RE_COLLOQUIAL_IN.sub(r"\1", text)  # 村里卫生室 is the 村卫生室 a notice names
    # ``七项`` stays as written (the notices use both forms); its digits join the lexical terms.
    expansions: list[str] = [f"{n}" for m in _RE_CN_COUNT.finditer(text) if (n := chinese_number(m.group(1))) and n > 1]
    for canonical, *variants in thesaurus()["synonyms"]:
        present = next((v for v in variants if v in text), None)
        if present and canonical not in text:  # both sides read the notices' own wording
            text = text.replace(present, canonical)
            expansions.append(canonical)
    for group in thesaurus()["equivalents"]:
        if any(term in text for term in group):
            expansions += [term for term in group if term not in text]
    language = language_of(text)
    if language == "en":
        lowered = text.lower()
        for english, chinese in thesaurus()["glossary"]:
            stem = re.escape(english.lower().rstrip("*"))
            if re.search(rf"\b{stem}\w*" if english.endswith("*") else rf"\b{stem}(?:e?s)?\b", lowered):
                expansions.append(chinese)
    years = tuple(dict.fromkeys(int(y) for y in _RE_YEAR.findall(text)))
    if language == "en":
        years += tuple(int(y) for y in re.findall(r"\b(20\d{2})\b", text) if int(y) not in years)
    return Query(
        question,
        text,
        tuple(dict.fromkeys(expansions)),
        language,
        years,
        document_facet(text),
        asked_addresses(text),
        asked_list(text),
        english_terms(text, [tuple(pair) for pair in thesaurus()["glossary"]]) if language == "en" else (),
    )


def _year(numeral: str) -> str:
    value = chinese_number(numeral)
    if value is None:
        return numeral + "年"
    if len(numeral) == 2:
        value += 2000
    return f"{value}年" if 1900 <= value <= 2100 else numeral + "年"


_RE_ELLIPTICAL = re.compile(r"^(?:那|那么|这|该|它|其|还有|另外|and\b|what about|how about)|[呢]？?$", re.IGNORECASE)


def with_context(turns: list[str]) -> str:
    """The last question of a conversation, made to stand alone.

    ``那2025年底呢？`` after ``省级临床重点专科2024年底的目标是多少？`` keeps the subject and takes the new
    year; ``珠山区呢？`` keeps the subject and takes the new place. A question that already stands alone
    is returned as it is.
    """
    turns = [t.strip() for t in turns if t and t.strip()]
    if not turns:
        return ""
    last = turns[-1]
    if len(turns) == 1 or not (_RE_ELLIPTICAL.search(last) or len(last.rstrip("？?。！!")) <= 8):
        return last
    previous = with_context(turns[:-1])  # a follow-up of a follow-up keeps the first subject
    if not re.search(r"\d{2,4}年|年底", last) and not RE_PLACE_WORD.search(last):
        swapped = swap_subject(previous, last)  # 那专利代理机构呢？ asks the same of another subject
        if swapped:
            return swapped
    if re.search(r"\d{2,4}年|年底", last):
        previous = re.sub(r"(?:到)?(?:\d{2,4}|[〇零一二三四五六七八九]{2,4})年(?:底|末)?(?:前)?", "", previous)
    if RE_PLACE_WORD.search(last):
        previous = RE_PLACE_WORD.sub("", previous)
    return f"{previous.rstrip('？?。')}，{last}"
