"""Overview questions, answered from a plan's structure rather than from one clause.

New staff ask broad questions before they know what to ask: which actions a plan has
(``七项行动分别是什么？``), what one section contains, what is due in a year, what a district plan
left out of the provincial one. These come from the clause tree (section headings and clause
titles), the parsed targets and deadlines, and the derived-from links; the first line summarises
(``共七项行动：…``) and the lines after it list each item with its address.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from planqa.answering.draft import COVERED, Draft
from planqa.answering.evidence import sentences
from planqa.catalog import Catalog
from planqa.ingest.grams import dice
from planqa.ingest.numbering import RE_CHAPTER
from planqa.ingest.places import KINDS, jurisdiction_level, title_names
from planqa.outline import timeline
from planqa.types import Clause, DocumentInfo, Hit

OVERVIEW = "overview"
LISTED = 12  # items named on the first line; the rest are in the list below it
_RE_GAP = re.compile(r"(?:少了|缺少|缺了|没有|未列|未包括|不包括|漏了|多了|增加了|新增了)(?:哪些|什么|几项)")
_RE_DUE = re.compile(
    r"(20\d{2})年(?:\d{1,2}月)?(?:底|末)?(?:前|之前|以前)?[^？?，,]{0,8}?(?:哪些|什么)(?:事|事情|任务|工作|目标|项目)"
    r"|(?:哪些|什么)(?:事|事情|任务|工作|目标|项目)[^？?，,]{0,8}?(20\d{2})年"
)
_RE_STRUCTURE = re.compile(
    r"(?:哪些|哪几项|几项|几个|多少项|分别是)(?:重点|主要|能力提升|专项)?(?:行动|任务|部分|板块)"
    r"|(?:行动|重点任务|主要任务|部分)(?:分别)?(?:是什么|是哪些|有哪些|有几项|包括哪些)"
)
# A question about a whole document's contents (专利代理条例主要包括哪些方面的内容？, 这个办法有几章？):
# answered from its parts (第X章, or 一、…), as a 目录 would.
_RE_PARTS = re.compile(r"主要内容|哪些方面|哪几个方面|几章|哪几章|哪些章|几部分|哪几部分|哪些部分|几个部分|结构")
_RE_WHOLE = re.compile(
    r"这个|这份|该|本|文件|主要|包括|包含|分为|分成|内容|方面|几|哪|些|个|章|部分|结构|是|有|的|什么|啥"
)
# 主要目标是什么 / 总体目标有哪些 / 工作目标: the plan's 目标 part, however the notice heads it.
_RE_GOALS = re.compile(r"(?:主要|总体|工作|发展|具体|总|阶段性?)目标(?:任务)?(?:是什么|是啥|有哪些|有什么|包括|分别)")
_RE_BY_YEAR = re.compile(r"(?:到|至|于)(?:19|20)\d{2}年")
# 基本原则有哪些 / 指导思想是什么: a question that may name a part of the document by its heading.
_RE_WHAT = re.compile(r"有哪些|是什么|包括哪些|包括什么|有什么|主要有|是啥|有啥|哪几[条项个]")
GOAL_SOURCES = 3  # retrieved sources searched for a heading that names 目标
GOAL_CLAUSES = 4  # clauses of the 目标 part quoted: a part longer than that is a list of tasks
# Bigram Dice at which the question's words name a heading (first characters compared); set by hand,
# the gold sets answer alike at 0.6 and 0.9.
HEADING_MATCH = 0.75
CITED = 8  # clauses an overview cites; the list in its text names them all
TARGETS_SAID = 6  # targets a goal clause's overview states on its first line
_RE_CONTENTS = re.compile(r"(?:包括|包含|有|涉及|部署了?)(?:哪些|什么|几项)(?:内容|任务|工作|方面|措施)?")
_RE_CLAUSE = re.compile(r"“([^”]{2,40})”(?:有哪些要求|有什么要求|讲了什么|说了什么|的?主要内容|的?要求是什么)")
_RE_NUMBERING = re.compile(r"^(?:[一二三四五六七八九十]+、|（[一二三四五六七八九十]+）|\d+[.．、])\s*")
_CN = "零一二三四五六七八九十"


def bare(heading: str) -> str:
    """A heading without its numbering: ``（一）公共卫生能力提升行动`` → ``公共卫生能力提升行动``."""
    return _RE_NUMBERING.sub("", heading).strip()


def _listed(head: str, titles: Sequence[str], lines: Sequence[str], cites: Sequence[tuple[Clause, str]]) -> Draft:
    """An overview that names its items: ``head共N项：a；b；…等``, then a line per item, the first
    ``CITED`` items cited."""
    first = f"{head}{counted(len(titles))}：{'；'.join(titles[:LISTED])}" + ("等" if len(titles) > LISTED else "")
    return Draft(OVERVIEW, "\n".join([first, *lines]), cites[:CITED], score=COVERED)


def _opening(clause: Clause) -> str:
    """A clause up to its first 。, what an overview quotes of it."""
    return clause.text.split("。", 1)[0]


def counted(n: int) -> str:
    """``共七项`` for a short list, as a plan writes counts; nothing for a long one. The count is
    planqa's own (of the list it shows), so it is never written as a figure a reader could take
    for the plan's."""
    if n > 10:
        return ""
    return f"共{'两' if n == 2 else _CN[n]}项"


class Overview:
    """Answers about a plan's shape; ``None`` from ``answer`` when the question is not one."""

    def __init__(self, catalog: Catalog):
        self.catalog = catalog

    def answer(
        self,
        text: str,
        docs: Sequence[DocumentInfo],
        named: Sequence[str],
        hits: Sequence[Hit],
        sections_only: bool = False,
    ) -> Draft | None:
        """``sections_only``: the question reads as "which tasks does X have", so it is an overview
        only when X is a section (公共卫生能力提升行动) or a year, not a unit (省财政厅)."""
        if len(named) >= 2 and _RE_GAP.search(text):
            return self.gap(text, named)
        if _RE_GOALS.search(text) and (goals := self.goals(hits, named)) is not None:
            return goals
        if _RE_WHAT.search(text) and (part := self.named_part(text, hits, named)) is not None:
            return part
        doc = self._doc(docs, named, hits)
        if doc is None:
            return None
        quoted = _RE_CLAUSE.search(text)
        if quoted:
            found = self.clause(doc, quoted.group(1))
            if found is not None:
                return found
        if _RE_PARTS.search(text) and self._whole(text, doc):
            return self.structure(doc, top=True)
        due = _RE_DUE.search(text)
        if due:
            return self.due(int(due.group(1) or due.group(2)), doc)
        heading = self._heading(text, doc) if _RE_CONTENTS.search(text) or _RE_STRUCTURE.search(text) else None
        if heading is not None:
            return self.section(doc, heading)
        if _RE_STRUCTURE.search(text) and not sections_only:
            return self.structure(doc, top="部分" in text or "章节" in text)
        return None

    # -- kinds ----------------------------------------------------------------------------------
    def structure(self, doc: str, top: bool = False) -> Draft | None:
        """The headings the plan's tasks sit under, each with its clause range."""
        groups: dict[tuple[str, ...], list[Clause]] = {}
        for c in self._tasks(doc):
            key = c.section[:1] if top else c.section
            if key:  # a document without parts (articles only) has no structure to list: answer as usual
                groups.setdefault(key, []).append(c)
        if not groups:
            return None
        names = [bare(k[-1]) for k in groups]
        count = counted(len(names))
        if count and all(RE_CHAPTER.match(n) for n in names):
            count = count[:-1] + "章"
        first = f"{count or '各部分'}：{'；'.join(names)}"
        lines = [f"{k[-1]}：{_span(cs[0].number, cs[-1].number)}" if len(cs) > 1 else k[-1] for k, cs in groups.items()]
        cites = [(cs[0], _opening(cs[0])) for cs in groups.values()]
        stated = self._count_sentence(doc, len(names))
        if stated is not None:
            cites.insert(0, stated)
        return Draft(OVERVIEW, first + "\n" + "\n".join(lines), cites[:CITED], score=COVERED)

    def goals(self, hits: Sequence[Hit], named: Sequence[str]) -> Draft | None:
        """The 目标 part (主要目标 / 总体目标 / 工作目标), all its stages: the clauses under the first
        retrieved heading that names 目标, or the one clause titled so (（二）主要目标。…)."""
        for hit in hits[:GOAL_SOURCES]:
            c = hit.clause
            if named and c.doc_id not in named:
                continue
            heading = next((h for h in reversed(c.section) if "目标" in h), "")
            if heading:
                part = self._under(c.doc_id, heading)
            elif "目标" in c.title:
                part = [c]
            else:
                continue
            first = "".join(x.text for x in part[:GOAL_CLAUSES])
            return Draft(OVERVIEW, first, [(x, x.text) for x in part[:GOAL_CLAUSES]], score=COVERED)
        # No part is headed 目标: a 总体要求 paragraph states the goals as its dated sentences (到2035年，…).
        for hit in hits[:GOAL_SOURCES]:
            for c in hit.clauses:
                if (named and c.doc_id not in named) or not any("总体要求" in h for h in c.section):
                    continue
                dated = [c.text[a:b].strip() for a, b in sentences(c.text) if _RE_BY_YEAR.search(c.text[a:b])]
                if dated:
                    return Draft(OVERVIEW, "。".join(dated) + "。", [(c, dated[0])], score=COVERED)
        return None

    def named_part(self, text: str, hits: Sequence[Hit], named: Sequence[str]) -> Draft | None:
        """A part the question names by its heading (基本原则有哪些 → （二）基本原则): each of its
        paragraphs by its first sentence, as a reader lists them (坚持依法规范；坚持执法为民；…). A
        part of tasks is left to ``section``, which lists them by number."""
        for hit in hits[:GOAL_SOURCES]:
            c = hit.clause
            if named and c.doc_id not in named:
                continue
            heading = next((h for h in reversed(c.section) if len(bare(h)) >= 2 and bare(h) in text), "")
            if not heading:
                continue
            part = self._under(c.doc_id, heading)
            if any(x.kind == "task" for x in part):
                return None
            listed = [(x, _lead(x.text)) for x in part[:LISTED]]
            return Draft(OVERVIEW, "；".join(lead for _, lead in listed), listed[:CITED], score=COVERED)
        return None

    def clause(self, doc: str, title: str) -> Draft | None:
        """One clause in brief (the browse tab's "问这一条"): its targets, else its first sentence;
        its responsible units below."""
        c = next((c for c in self._tasks(doc, ("task", "measure", "annex_row")) if c.title == title), None)
        if c is None:
            return None
        targets = self.catalog.targets_of(c)
        first = "；".join(t.statement for t in targets[:TARGETS_SAID]) if targets else _opening(c)
        lines = [f"责任单位：{'、'.join(c.units)}"] if c.units else []
        quote = targets[0].source_text if targets else first
        return Draft(OVERVIEW, "\n".join([first, *lines]), [(c, quote)], list(targets), score=COVERED)

    def section(self, doc: str, heading: str) -> Draft | None:
        """The clauses under one heading, by number and title."""
        inside = [c for c in self._tasks(doc) if heading in c.section]
        if not inside:
            return None
        lines = [f"{c.label}（{'、'.join(c.units[:3])}{'等' if len(c.units) > 3 else ''}）" for c in inside]
        return _listed(bare(heading), [c.label for c in inside], lines, [(c, _opening(c)) for c in inside])

    def due(self, year: int, doc: str) -> Draft | None:
        """What falls due in a year: each task with a deadline in that year, grouped by section."""
        first: dict[str, tuple[Clause, str]] = {}  # each task once, with its first sentence due that year
        for d in timeline(self.catalog, [doc], year):
            if d.clause.kind == "task":
                first.setdefault(d.clause.key, (d.clause, d.what))
        found = list(first.values())
        if not found:
            return None
        place = self.catalog.docs[doc].jurisdiction if doc in self.catalog.docs else ""
        lines, shown = [], ""
        for c, sentence in found:
            group = c.section[-1] if c.section else ""
            if group != shown:
                lines.append(f"【{group}】")
                shown = group
            lines.append(f"{c.label}：{sentence}")
        return _listed(f"{place}{year}年到期的任务", [c.label for c, _ in found], lines, found)

    def gap(self, text: str, named: Sequence[str]) -> Draft | None:
        """Higher-level tasks the lower-level plan does not localise (or, asked 多了, the reverse)."""
        upper, lower = sorted(named[:2], key=lambda d: -jurisdiction_level(self.catalog.docs[d].jurisdiction))
        localised = {self.catalog.parents[c.key] for c in self._tasks(lower) if c.key in self.catalog.parents}
        if re.search("多了|增加了|新增了", text):
            missing = [c for c in self._tasks(lower) if c.key not in self.catalog.parents]
            source, other = lower, upper
        else:
            missing = [c for c in self._tasks(upper) if c.key not in localised]
            source, other = upper, lower
        if not missing:
            return None
        place, other_place = (self.catalog.docs[d].jurisdiction or d for d in (source, other))
        head = f"{place}计划中有、{other_place}计划未对应的任务"
        lines = [f"{c.section[-1] if c.section else ''} > {c.label}" for c in missing]
        return _listed(head, [c.label for c in missing], lines, [(c, _opening(c)) for c in missing])

    # -- helpers --------------------------------------------------------------------------------
    def _tasks(self, doc: str, kinds: tuple[str, ...] = ("task",)) -> list[Clause]:
        return sorted((c for c in self.catalog.of_doc(doc) if c.kind in kinds), key=_order)

    def _under(self, doc: str, heading: str) -> list[Clause]:
        """Every clause of ``doc`` under ``heading``, whatever its kind, in reading order."""
        return sorted((c for c in self.catalog.of_doc(doc) if heading in c.section), key=_order)

    def _doc(self, docs: Sequence[DocumentInfo], named: Sequence[str], hits: Sequence[Hit]) -> str | None:
        """The plan asked about: the one named, else the highest-level plan in scope (a question that
        names no place reads as about the plan the others localise)."""
        if named:
            return named[0]
        if not docs:
            return None
        return max(docs, key=lambda d: jurisdiction_level(d.jurisdiction)).id

    def _heading(self, text: str, doc: str) -> str | None:
        """A section heading the question names (its words, numbering aside)."""
        headings = list(dict.fromkeys(h for c in self._tasks(doc) for h in c.section))
        compact = re.sub(r"\s", "", text)
        best, best_score = None, 0.0
        for h in headings:
            name = bare(h)
            score = 1.0 if name and name in compact else dice(name, compact[: len(name) + 6])
            if score > best_score:
                best, best_score = h, score
        return best if best_score >= HEADING_MATCH and not re.fullmatch("重点任务|主要任务", bare(best or "")) else None

    def _whole(self, text: str, doc: str) -> bool:
        """Whether the question is about the document as a whole: nothing is left of it once the
        document's names and the words of a contents question are taken out."""
        info = self.catalog.docs.get(doc)
        for name in sorted(title_names(info) if info else (), key=len, reverse=True):
            text = text.replace(name, "")
        rest = _RE_WHOLE.sub("", re.sub(rf"[^\u4e00-\u9fff]|{KINDS}", "", text))
        return len(rest) <= 2

    def _count_sentence(self, doc: str, n: int) -> tuple[Clause, str] | None:
        """The plan's own sentence that states the count (``实施七项能力提升行动``), to cite first."""
        word = counted(n)[1:]
        if not word:
            return None
        for c in sorted(self.catalog.of_doc(doc), key=_order):
            for sentence in re.split(r"[。；]", c.text):
                if word in sentence:
                    return c, sentence.strip()
        return None


def _lead(text: str) -> str:
    """A paragraph's first sentence (坚持依法规范。全面履行… → 坚持依法规范)."""
    first = next(iter(sentences(text)), (0, len(text)))
    return text[first[0] : first[1]].strip()


def _span(first: str, last: str) -> str:
    """第1—7条 for tasks numbered 1…7; 第一条—第七条 for articles, which carry their 第…条."""
    return f"{first}—{last}" if first.startswith("第") else f"第{first}—{last}条"


def _order(c: Clause) -> tuple[int, str]:
    return (c.span[0], c.id)
