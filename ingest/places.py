"""Places: where a notice stands, its level of government, and how a question names a notice.

A notice's jurisdiction is read from its issuer or title (``示例市人民政府`` → 示例市); its level ranks
a province above a city above a district or county, which is how planqa knows which notice localises
which. A question names a notice by its place (``珠山区``, ``珠山``, ``全区``) or by its title
(``《专利代理条例》``); it may also name a place whose plan is not indexed (``南昌市的…``), which the
Assistant says so, or a kind of place (``直辖市``) that a notice may set a rule for.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from planqa.ingest.normalize import CJK
from planqa.types import DocumentInfo

# A jurisdiction at the start of an issuer or title: 江西省, 珠山区, 广西壮族自治区, 锡林郭勒盟.
RE_JURISDICTION = re.compile(rf"^([{CJK}]{{1,8}}?(?:自治区|自治州|自治县|省|市|州|盟|区|县|旗))")
MUNICIPALITIES = ("北京市", "天津市", "上海市", "重庆市")  # cities at the level of a province

# Words that put a question at one level of government: 全省 → the provincial notice.
LEVEL_WORDS = {
    "省": ("全省", "省里", "本省", "省一级"),
    "市": ("全市", "市里", "本市"),
    "区": ("全区", "区里", "本区"),
    "县": ("全县", "县里", "本县"),
}
# Words that name a level, not a place: 省级 (a provincial unit), 全省 (the whole province).
LEVEL_TERMS = ("省级", "市级", "区级", "县级", "全省", "全市", "全区", "全县")
# Level words in a task's title, dropped when two plans' titles are compared (全省 vs 全区 is the same task).
RE_LEVEL_IN_TITLE = re.compile(r"全省|全市|全区|全县|我省|我市|我区|我县|省级|市级|区级|县级|区域|县域|省|市|区|县")
# Words that name a kind of place, not one place: a question about 直辖市 or 省会城市 is about a
# category a notice may set a rule for (住房租金标准), not about a plan that is not indexed.
GENERIC_PLACES = {
    "全省", "全市", "全区", "全县", "设区市", "本省", "本市", "本区", "本县", "各设区市", "县市区",
    "直辖市", "省会城市", "计划单列市", "副省级城市", "地级市", "县级市", "自治区", "自治州", "自治县",
}  # fmt: skip
# Any place word in a question (珠山区, 全省, 区里): a follow-up that names one asks about another place.
RE_PLACE_WORD = re.compile(
    rf"[{CJK}]{{2,6}}?(?:省|市|区|县)(?![{CJK}]{{0,1}}级)|全省|全市|全区|全县|省里|市里|区里|县里"
)
# A place named as the subject of a question (南昌市的…, 景德镇市计划…, 沛县2025年…), not a noun that ends
# in 区/县 (服务区, 病区, 县级): it opens the question, or is followed by 的/呢/a year/计划. A county's name
# may be one character (沛县, 丰县); a city's or district's of one character are rare beside the nouns
# (城市, 社区, 园区) that would match, so those need two. A county opening the question is a place
# whatever follows, unless 县 starts a word of its own (县级, 县域, 县城).
_PLACE = r"[\u4e00-\u9fff]{2,3}(?:省|市|区)|[\u4e00-\u9fff]{1,3}县"
RE_PLACE_NAMED = re.compile(
    rf"(?:^(?:那|请问|那么)?|和|与)({_PLACE})(?=的|呢|和|与|[？?，,\d])"
    rf"|({_PLACE})(?=的?(?:计划|行动计划|规划|方案))"
    r"|^(?:那|请问|那么)?([\u4e00-\u9fff]{1,3}县)(?![级域城委乡镇区市])"
    rf"|(?<![\u4e00-\u9fff])({_PLACE})(?![\u4e00-\u9fff])"  # standing alone, as in an English question
)

MIN_TITLE = 6  # characters: shorter titles (通知, 实施方案) name no one document
# The kinds of document a title ends in, longest first where one ends another (实施条例 is a 条例).
KINDS = "条例|办法|规定|细则|规则|决定|意见|通知|通报|批复|复函|答复|函|报告|请示|预案|方案|计划|规划|纲要|法"
_RE_KIND = re.compile(rf"({KINDS})$")


def jurisdiction_of(issuer: str, title: str) -> str:
    """The place a notice is issued for, from its issuer or else its title; "" for a national body."""
    m = RE_JURISDICTION.match(issuer) or RE_JURISDICTION.match(title)
    return m.group(1) if m else ""


def jurisdiction_level(place: str) -> int:
    """Rank of a jurisdiction: province (3) above city (2) above district or county (1)."""
    if place.endswith(("省", "自治区")) or place in MUNICIPALITIES:
        return 3
    if place.endswith(("市", "州", "盟")):
        return 2
    return 1 if place else 0


def place_names(doc: DocumentInfo) -> tuple[str, ...]:
    """How a question may name a document's jurisdiction: 珠山区, 珠山, 全区…"""
    place = doc.jurisdiction
    if not place:
        return ()
    short = place[:-1] if len(place) > 2 else place
    return (place, short, *LEVEL_WORDS.get(place[-1], ()))


def title_names(doc: DocumentInfo) -> tuple[str, ...]:
    """How a question may name a document by its title: in full, or without the state's name that
    laws and regulations begin with (中华人民共和国…)."""
    names = {doc.title, doc.title.removeprefix("中华人民共和国")}
    return tuple(n for n in names if len(n) >= MIN_TITLE)


def named_documents(text: str, docs: Sequence[DocumentInfo]) -> list[str]:
    """Ids of the documents a question names: by title (``《专利代理条例》``, ``个人所得税法实施条例`` for
    中华人民共和国个人所得税法实施条例), else by jurisdiction (``珠山区``, ``江西``), where a level word
    (``全省``, ``市里``) names the one jurisdiction of that level the documents have, and none when
    they have several (a library of many cities: ``全市`` does not say which)."""
    by_title = [doc.id for doc in docs if any(name in text for name in title_names(doc))]
    if by_title:
        return by_title
    own = {d.id for d in docs if d.jurisdiction and any(n in text for n in place_names(d)[:2])}
    leveled = [d for d in docs if d.jurisdiction and any(w in text for w in LEVEL_WORDS.get(d.jurisdiction[-1], ()))]
    if len({d.jurisdiction for d in leveled}) == 1:
        own |= {d.id for d in leveled}
    return [d.id for d in docs if d.id in own]


def places_of(ids: Sequence[str], docs: Sequence[DocumentInfo]) -> dict[str, list[str]]:
    """Document ids grouped by the place they are issued for (a national document is its own group),
    in order: a comparison compares places, however many plans each has."""
    place = {d.id: d.jurisdiction or d.id for d in docs}
    groups: dict[str, list[str]] = {}
    for i in ids:
        groups.setdefault(place.get(i, i), []).append(i)
    return groups


def unknown_place(text: str, docs: Sequence[DocumentInfo]) -> str:
    """A place the question names whose plan is not indexed (南昌市 when only 江西省 and 珠山区 are)."""
    places = [p for d in docs for p in place_names(d)]
    known = set(places) | {w for ws in LEVEL_WORDS.values() for w in ws} | GENERIC_PLACES
    for m in RE_PLACE_NAMED.finditer(text):
        name = next(g for g in m.groups() if g)
        if re.match("[每各个全本该这那]", name) or name in known:
            continue
        if any(name in p or p in name for p in places if len(p) >= 2):
            continue
        return name
    return ""


def document_kind(title: str) -> str:
    """The kind a title names its document (专利代理条例 → 条例, …计划（2023—2025年） → 计划); "" if none."""
    m = _RE_KIND.search(re.sub(r"[（(][^）)]*[）)]$|[》」]$", "", title))
    return m.group(1) if m else ""
