"""A clause grammar for Chinese plan notices (通知 / 行动计划 / 规划 / 方案).

A notice reads, top to bottom: a header (issuer, 发文字号, 关于印发《…》的通知, 主送, the notice's own
paragraphs, a date), the plan's title and preamble, headings at four levels (``一、`` ``（一）``
``1.``/``1、``/``第一条`` ``（1）``), numbered clauses closed by ``（责任单位：…）``, 保障措施
paragraphs that carry their title inline (``（一）强化组织领导。各地要…``), annex tables, and a colophon
(抄送, 印发). Nothing here knows the bundled notices: every rule is about that general shape. The
header, titles, preamble and info box are read by ``frontmatter.FrontMatter``; the body here.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field, replace

from planqa.ingest.annexes import Annexes
from planqa.ingest.chunks import positioned, split_chunks
from planqa.ingest.frontmatter import (
    RE_DATE_LINE,
    FrontMatter,
    Line,
    split_title,
    subject,
)
from planqa.ingest.infobox import iso_date, read_infobox
from planqa.ingest.loaders import RawDocument
from planqa.ingest.normalize import MappedText, display_width, ends_sentence, join_lines, normalize
from planqa.ingest.numbering import (
    MIN_DECIMAL,
    RE_ANNEX,
    RE_ARTICLE,
    RE_CHAPTER,
    RE_COLOPHON,
    RE_DECIMAL,
    RE_DECIMAL_2,
    RE_ITEM,
    RE_L1,
    RE_L2,
    RE_L3,
    RE_LIST_FIRST,
    RE_LIST_ITEM,
    RE_SECTION,
    heading_follows,
    short_heading,
    signs,
    signs_off,
    squeeze,
)
from planqa.ingest.units import notes_in, prose_units, trailing_units
from planqa.types import Clause, DocumentInfo, ParsedDocument

# How far short of the full width (in CJK cells) a wrapped line ending in 。 may stop and still be a
# mid-paragraph line rather than a paragraph's last: a line breaks before a character that does not
# fit, and a half-width digit pair or a closing mark kept on the line (禁则) moves it by up to 1.5 cells.
# 0.85 of the width (≈ 5.7 cells on a 38-cell page) merged a printed plan's 35-cell paragraph end
# with the next paragraph (../shared/repro/jiangxi-plan-printed.pdf).
FULL_LINE_SLACK = 1.5


@dataclass
class _Open:
    kind: str
    section: tuple[str, ...]
    number: str
    title: str
    lines: list[Line] = field(default_factory=list)
    holds_items: bool = False  # its （一） / 1. lines are its items, as an article's are
    listing: bool = False  # it introduced an item list with ： and its （1） lines are that list


def parse(raw: RawDocument, doc_id: str) -> ParsedDocument:
    """Split one notice into addressed clauses."""
    mt = normalize(raw.text)
    lines = _lines(mt, raw.text)
    builder = _Builder(raw, mt, doc_id, _wrap_width(lines) if raw.wrapped else 0)
    # 目录 heads the table of contents: its entries are headings the body repeats, so they set no
    # clause, and the word itself is not a clause (it ranked for 主要内容 questions with nothing in it).
    lines = [ln for ln in lines if re.sub(r"\s", "", ln.bare) != "目录"]
    box, box_end = read_infobox([ln.text for ln in lines])
    if box:
        builder.infobox(box, lines[:box_end])
        lines = lines[box_end:]
    builder.closes_tasks = any(trailing_units(ln.bare)[1] for ln in lines if ln.bare.endswith("）"))
    builder.decimal = sum(bool(RE_DECIMAL_2.match(ln.bare)) for ln in lines) >= MIN_DECIMAL
    body_at = _body_start(builder, lines)
    info = builder.front_matter(lines[:body_at])
    builder.body(lines[body_at:])
    if box:  # what the notice's own header lacks, the box gives; its title and dates are the reliable ones
        info = replace(
            info,
            # The body's lines can wrap a title mid-word or open with a masthead (中华人民共和国国务院令).
            title=subject(box["title"]) if box.get("title") else info.title,
            number=info.number or box.get("number", ""),
            issuer=info.issuer or box.get("issuer", ""),
            notice_title=info.notice_title or box.get("title", ""),
            date=iso_date(box.get("signed", "")) or info.date,
            published=iso_date(box.get("published", "")),
        )
    if not info.date and (builder.signed or builder.colophon_date):
        info = replace(info, date=builder.signed or builder.colophon_date)
    clauses = builder.finish(info)
    return ParsedDocument(info, mt.text, tuple(clauses))


def _body_start(builder: _Builder, lines: list[Line]) -> int:
    """Where the body starts: at the first heading, else the first article or numbered line. A letter
    or 批复 without headings of its own starts it at its 附件 (the annexes have their own 一、), or at
    its signature, so that the body's reading of annex lists, signatures and annexes applies."""
    body_at = next((i for i, ln in enumerate(lines) if builder.heads(ln.bare)), None)
    if body_at is None:
        body_at = next((i for i, ln in enumerate(lines) if RE_L3.match(ln.bare)), len(lines))
    body_at = next((i for i, ln in enumerate(lines[:body_at]) if RE_ANNEX.match(ln.bare)), body_at)
    if body_at == len(lines):
        body_at = next((i for i in range(len(lines)) if signs(lines, i)), body_at)
    return body_at


def _lines(mt: MappedText, raw: str) -> list[Line]:
    out, pos = [], 0
    for text in mt.text.split("\n"):
        start = pos
        pos += len(text) + 1
        if not text.strip():
            out.append(Line("", start, start, False))
            continue
        origin = mt.origin[start] if start < len(mt.origin) else 0
        line_start = raw.rfind("\n", 0, origin) + 1
        indented = raw[line_start:origin].strip("\f") != "" and raw[line_start:origin].isspace()
        out.append(Line(text.rstrip(), start, start + len(text.rstrip()), indented))
    return out


def _wrap_width(lines: list[Line]) -> float:
    """The width of a full visual line in wrapped (PDF) text: long lines cluster at it."""
    widths = sorted(display_width(ln.bare) for ln in lines if ln.bare)
    return widths[int(len(widths) * 0.8)] if widths else 0.0


class _Builder(FrontMatter, Annexes):
    def __init__(self, raw: RawDocument, mt: MappedText, doc_id: str, wrap_width: float):
        self.raw, self.mt, self.doc_id = raw, mt, doc_id
        self.wrap_width = wrap_width
        self.clauses: list[Clause] = []
        self.open: _Open | None = None
        self.colophon_date = ""
        self.signed = ""  # the date under the notice's signature, when it stands in the body
        self.first_leads = False  # a note said 列第一位者为牵头单位，下同: every later note's first unit leads
        self.closes_tasks = True  # some line ends in （责任单位：…）: a task runs on until one does
        self.decimal = False  # the document numbers its parts 1 / 1.1 / 1.1.1 (RE_DECIMAL)
        self.root: tuple[str, ...] = ()  # the annex a clause stands in, above its own headings

    # -- body -----------------------------------------------------------------------------------
    def heads(self, text: str) -> bool:
        """Whether a line opens the body: a first-level heading of any numbering the document uses."""
        return bool(RE_L1.match(text) or RE_CHAPTER.match(text) or (self.decimal and RE_DECIMAL.match(text)))

    def _decimal(self, m: re.Match[str], ln: Line, section: list[str]) -> list[str]:
        """``1.2　等级划分`` is a heading at depth 2; ``1.2.1　国家级（Ⅰ级）：…`` is a clause under it."""
        number, rest = m.group(1) or m.group(3), (m.group(2) or m.group(4)).strip()
        depth = number.count(".") + 1
        parent = section[: depth - 1]
        if ends_sentence(rest) or re.search("[，：；]", rest) or len(rest) > 30:
            title, _ = split_title(rest)
            self.open = _Open("task", tuple(parent), number, title, [ln])
            return parent
        return [*parent, f"{number} {squeeze(rest)}"]

    def body(self, lines: list[Line]) -> None:
        """Read the body, then each annex in turn. Each step consumes at least one line, so a layout
        that a step cannot read (a 序号 line with no table under it) moves on instead of looping."""
        index = 0
        while index < len(lines):
            index = self._body_part(lines, index)
            if index < len(lines):
                index += max(self._annexes(lines[index:]), 1)

    def _body_part(self, lines: list[Line], start: int) -> int:
        """Read body lines from ``start`` up to an annex (returns its index) or the end (a colophon
        ends the document: returns ``len(lines)``)."""
        chapter: list[str] = []  # 第一章 总则 (and 第一节): above the body's own numbering
        section: list[str] = []
        listed = 0  # lines of an annex list (附件：1.… 2.…) to skip, up to this index
        for index in range(start, len(lines)):
            ln = lines[index]
            text = ln.bare
            if not text or index < listed:
                continue
            if RE_ANNEX.match(text) and self._lists_annexes(lines, index):
                listed = self._annex_list(lines, index)
                continue
            annex = RE_ANNEX.match(text) or (text.startswith("序号") and index + 1 < len(lines))
            if annex:
                self._close()
                return index
            if RE_COLOPHON.match(text):
                self._close()
                self._colophon(lines[index:])
                return len(lines)
            if self.decimal and (m := RE_DECIMAL.match(text)):
                self._close()
                section = self._decimal(m, ln, section)
                continue
            if m := RE_CHAPTER.match(text):  # 第一章 总　　则 → 第一章 总则
                self._close()
                chapter, section = [f"第{m.group(1)}章 {squeeze(m.group(2))}".strip()], []
                continue
            if m := RE_SECTION.match(text):
                self._close()
                chapter, section = [*chapter[:1], f"第{m.group(1)}节 {squeeze(m.group(2))}".strip()], []
                continue
            if self._lists(text):
                # 重点做好以下工作： then （1）…（2）…: the items belong to the clause that introduced them.
                self.open.lines.append(ln)  # type: ignore[union-attr]
                continue
            if self._in_article() and (RE_L2.match(text) or RE_ITEM.match(text)):
                # Inside an article, （一） and 1. enumerate its conditions or duties: they are items
                # of the article that introduced them (…应当具备下列条件：), not headings.
                self.open.lines.append(ln)  # type: ignore[union-attr]
                continue
            if m := RE_L1.match(text):
                self._close()
                title, rest = split_title(m.group(2))
                # 三、清明节：4月5日放假，与周末连休。 is content under its number, not only a heading:
                # a heading has no sentence punctuation and no full stop.
                sentence = bool(rest) or text.endswith("。") or bool(re.search("[，：；]", title))
                section = [f"{m.group(1)}、{short_heading(title or rest) if sentence else title}"]
                if sentence:  # an article-like rule (三十六、国务院全体会议由…组成：): its （一） are items
                    self.open = _Open("paragraph", tuple(chapter + section), "", "", [ln], holds_items=True)
                continue
            if RE_DATE_LINE.match(text) and not self._mid_sentence():
                self._signature(ln)
                continue
            if re.fullmatch(r"（[^）]{2,16}）", text) and not self.open and self.clauses[-1:] and self._signed_last():
                self._emit("signature", (), "", "落款", [ln])  # （此件公开发布） under the signature
                continue
            if m := RE_L2.match(text):
                self._close()
                title, rest = split_title(m.group(2))
                if rest or (text.endswith("。") and heading_follows(lines, index)):
                    # （一）强化组织领导。各地要… is a clause with its title inline; so is
                    # （四）军民融合方面6项。 when the next line is a heading, not its body.
                    self.open = _Open("measure", tuple(chapter + section[:1]), f"（{m.group(1)}）", title, [ln])
                else:
                    section = [*section[:1], f"（{m.group(1)}）{title}"]
                continue
            if m := RE_L3.match(text):
                self._close()
                number = m.group(1) or f"第{m.group(2)}条"
                title, _ = split_title(m.group(3))
                self.open = _Open("task", tuple(chapter + section), number, title, [ln])
                continue
            if self.open and self._continues(self.open, ln) and not signs(lines, index):
                self.open.lines.append(ln)
            else:
                self._close()
                self.open = _Open("paragraph", tuple(chapter + section), "", "", [ln])
        self._close()
        return len(lines)

    def _in_article(self) -> bool:
        """Whether the open clause is an article (第X条), the unit a law is cited by."""
        if self.open is None:
            return False
        numbered = RE_ARTICLE.match(self.open.number) or re.fullmatch(r"\d+(?:\.\d+)+", self.open.number)
        return self.open.holds_items or bool(self.open.kind == "task" and numbered)

    def _lists(self, text: str) -> bool:
        """Whether ``text`` is an item of a list the open clause introduced: a line ending in ：, then
        its first item （1）, then the items after it."""
        if self.open is None or not self.open.lines or not RE_LIST_ITEM.match(text):
            return False
        if not self.open.listing and self.open.lines[-1].bare.endswith(("：", ":")) and RE_LIST_FIRST.match(text):
            self.open.listing = True
        return self.open.listing

    def _signed_last(self) -> bool:
        return self.clauses[-1].kind == "signature"

    def _mid_sentence(self) -> bool:
        """Whether the open clause stops mid-sentence (a date line then continues it), other than
        on an issuer's name (国务院), which a date line below signs."""
        if not self.open or not self.open.lines:
            return False
        last = self.open.lines[-1].bare
        return not ends_sentence(last) and not signs_off(last)

    def _signature(self, ln: Line) -> None:
        """The issuer and date that sign the notice (国务院 / 2018年11月16日): a clause of their own,
        so a question about the date has a clause to quote, and the date is the notice's date."""
        lines = [ln]
        if self.open and len(self.open.lines) == 1 and signs_off(self.open.lines[0].bare):
            lines = [self.open.lines[0], ln]
            self.open = None
        self._close()
        self.signed = iso_date(ln.bare)
        self._emit("signature", (), "", "落款", lines)

    def _continues(self, clause: _Open, ln: Line) -> bool:
        """Whether an unmarked line belongs to the open clause rather than starting a paragraph."""
        last = clause.lines[-1].bare
        if not ends_sentence(last):
            return True  # a sentence cut by a page break or a wrapped line
        if self.wrap_width:
            if ln.indented:
                return False
            if display_width(last) >= self.wrap_width - FULL_LINE_SLACK:
                return True
        if clause is self.open and self._in_article():
            return True  # an article's 款 (its later paragraphs) are the article's, up to the next article
        if clause.kind in ("task", "measure"):
            # A task runs on until its （责任单位：…） line, in a notice that closes tasks so; in one that
            # does not, the paragraph after a task is a paragraph of its own (a closing 各地区要于…
            # 报司法部备案 glued to the last measure was found by no question about it).
            return self.closes_tasks and not trailing_units(join_lines([x.bare for x in clause.lines]))[1]
        return False

    def _paragraphs(self, kind: str, section: tuple[str, ...], lines: list[Line], title: str = "") -> None:
        for ln in lines:
            signer = self.open and len(self.open.lines) == 1 and signs_off(self.open.lines[0].bare)
            if signer and RE_DATE_LINE.match(ln.bare):  # 总理 李克强 / 2018年12月18日 under an order
                self._signature(ln)
            elif self.open and self.open.kind == kind and self._continues(self.open, ln):
                self.open.lines.append(ln)
            else:
                self._close()
                self.open = _Open(kind, section, "", title, [ln])
        self._close()

    # -- clause records -------------------------------------------------------------------------
    def _close(self) -> None:
        if self.open and self.open.lines:
            o = self.open
            self._emit(o.kind, o.section, o.number, o.title, o.lines)
        self.open = None

    def _emit(self, kind: str, section: tuple[str, ...], number: str, title: str, lines: list[Line]) -> None:
        text = join_lines([ln.bare for ln in lines])
        units, lead = self._responsible(text)
        starts = [ln.start for ln in lines]
        self._add(kind, section, number, title, text, lines[0].start, lines[-1].end, starts, units=units, lead=lead)

    def _responsible(self, text: str) -> tuple[tuple[str, ...], tuple[str, ...]]:
        """The clause's units (its closing line and every note in it, else those its sentences name:
        由省民政厅负责) and its leads: those a note
        names as leading, or the first listed once a note said 列第一位者为牵头单位（下同）."""
        _, closing = trailing_units(text)
        notes = notes_in(text)
        units = tuple(dict.fromkeys([*closing, *(u for n in notes for u in n.units)]))
        units = units or prose_units(text)  # no unit line or note: what its sentences say (由…负责)
        lead = tuple(dict.fromkeys(u for n in notes for u in n.lead))
        if any(n.first_leads for n in notes):
            self.first_leads = True
        if not lead and self.first_leads and notes:
            lead = tuple(dict.fromkeys(n.units[0] for n in notes))
        return units, lead

    def _add(
        self,
        kind: str,
        section: tuple[str, ...],
        number: str,
        title: str,
        text: str,
        start: int,
        end: int,
        line_starts: list[int],
        units: tuple[str, ...] = (),
        lead: tuple[str, ...] = (),
    ) -> None:
        origin = self.mt.origin
        raw_start = origin[start] if start < len(origin) else 0
        raw_end = origin[end - 1] + 1 if 0 < end <= len(origin) else raw_start
        pages: tuple[int, ...] = ()
        if self.raw.page_starts:
            found = {self.raw.page_of(origin[s]) for s in line_starts if s < len(origin)}
            found.add(self.raw.page_of(raw_end - 1))
            pages = tuple(sorted(p for p in found if p))
        self.clauses.append(
            Clause(
                doc_id=self.doc_id,
                kind=kind,
                section=(*self.root, *section) if self.root and section[:1] != self.root else section,
                number=number,
                title=title.rstrip("。"),
                text=text,
                units=units,
                lead=lead,
                pages=pages,
                span=(start, end),
            )
        )

    def finish(self, info: DocumentInfo) -> list[Clause]:
        """Stamp document facts on each clause and split long clauses into addressed sub-chunks."""
        out: list[Clause] = []
        for clause in positioned(self.clauses):
            chunks = split_chunks(clause.text)
            out.extend(
                replace(clause, text=chunk, part=part, parts=len(chunks), doc_title=info.title, doc_number=info.number)
                for part, chunk in enumerate(chunks)
            )
        return out
