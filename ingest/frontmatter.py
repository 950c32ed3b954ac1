"""A notice's front matter: the header above its body (issuer, 发文字号, the covering title
关于印发《…》的通知, the notice's own paragraphs, the date), the plan's title, the preamble, and the
library's info box, read into ``DocumentInfo`` and the clauses that quote them.

``FrontMatter`` is the part of the clause builder (``grammar._Builder``) that reads it; the patterns
here are also the body's (a signature is an issuer above a date line).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from planqa.ingest.infobox import DATE, LABELS, iso_date
from planqa.ingest.loaders import RawDocument
from planqa.ingest.normalize import CJK, MappedText, ends_sentence, join_lines
from planqa.ingest.places import jurisdiction_of
from planqa.types import DocumentInfo

RE_DATE_LINE = re.compile(rf"^{DATE}(印发)?$")
RE_DOCNO = re.compile(rf"[{CJK}]{{1,12}}〔\d{{4}}〕\d{{1,4}}号")
# An issuing body on a line of its own: 示例市人民政府, 国土资源部, 国家教委, 调查专家组, and joint
# issuers (国务院 中央军委, normalised to one run).
RE_ISSUER = re.compile(rf"^([{CJK}]{{2,30}}?(?:人民政府|委员会|办公厅|办公室|政府|局|厅|部|委|组)|国务院)(?:文件)?$")
# A signer: an order (令) is signed by its head, title then name (总理 李克强, 省长 王某某).
RE_SIGNER = re.compile(rf"^[{CJK}]{{0,12}}?(?:总理|主席|省长|市长|县长|区长|州长|部长|主任|局长|厅长)[{CJK}]{{2,4}}$")
RE_CITES = re.compile(r"(?:根据|按照|依据|贯彻)[^。]{0,120}?《([^》]{4,80})》")
# The kinds of official document a covering title ends in (党政机关公文处理工作条例's 公文种类, and
# the 复函/答复 that answer a letter): ``国务院关于…的批复`` is a title as ``…的通知`` is.
DOC_TYPES = "通知|意见|决定|批复|复函|函|通报|答复|决议|命令|公告|通告|报告|请示|纪要"
RE_WRAPS = re.compile(r"关于(?:印发|转发|发布)|^[^关]{0,30}?(?:印发|转发)[^关]{0,20}?关于")


@dataclass
class Line:
    """One line of the normalised text, with its offsets."""

    text: str  # normalised, leading tabs kept for tables
    start: int  # offsets in the normalised document text
    end: int
    indented: bool  # the raw line began with whitespace (a new paragraph in wrapped PDF text)

    @property
    def bare(self) -> str:
        return self.text.strip()


def subject(title: str) -> str:
    """What a covering title is about: the plan it issues or forwards, else the document itself.

    ``国务院关于印发《X》的通知`` and ``…转发民政部关于X的通知`` carry X; ``国务院关于X的若干意见``
    *is* the 意见, so its name keeps ``的若干意见`` (stripping the type left ``…的若干``).
    """
    if RE_WRAPS.search(title):
        m = re.search(rf"关于(?:印发|转发|发布)?(.+?)的?(?:{DOC_TYPES})$", title)
        if m:
            return re.sub(r"^《|》$", "", m.group(1))
    m = re.search(r"关于(.+)$", title)
    return m.group(1) if m else title


def split_title(rest: str, limit: int = 40) -> tuple[str, str]:
    """``遴选培育临床重点专科。加强…`` → (``遴选培育临床重点专科``, ``加强…``).

    No title when the first sentence is longer than ``limit``: then it is body text, not a heading.
    """
    m = re.match(rf"^([^。；]{{1,{limit}}}?)[。；]\s*(.*)$", rest)
    if m:
        return m.group(1).strip(), m.group(2).strip()
    if len(rest) <= limit and not re.search(r"[，：]", rest):
        return rest.strip(), ""
    return "", rest.strip()


def is_masthead(text: str) -> bool:
    """Issuer, 文号 and date lines: the header of a notice, never its title."""
    return bool(RE_DOCNO.fullmatch(text) or RE_ISSUER.match(text) or RE_DATE_LINE.match(text))


def title_key(text: str) -> str:
    """Compare titles by their CJK and digits only; brackets and dashes vary between copies."""
    return re.sub(rf"[^{CJK}0-9]", "", text)


class FrontMatter:
    """Reads the header, the titles, the preamble and the info box; the builder supplies the
    clause-adding primitives (``_add``, ``_paragraphs``) and the document being read."""

    raw: RawDocument
    mt: MappedText
    doc_id: str

    def front_matter(self, lines: list[Line]) -> DocumentInfo:
        texts = [ln for ln in lines if ln.bare]
        number = next((ln.bare for ln in texts if RE_DOCNO.fullmatch(ln.bare)), "")
        issuer, notice_title, title_start, title_end = "", "", -1, -1
        for i, ln in enumerate(texts):
            if "关于" in ln.bare and not ends_sentence(ln.bare):
                # The notice title may wrap over up to three lines; it ends in a document type (DOC_TYPES).
                for j in range(i, min(len(texts), i + 3)):
                    joined = "".join(t.bare for t in texts[i : j + 1])
                    if re.search(rf"的?(?:{DOC_TYPES})$", joined):
                        notice_title, title_start, title_end = joined, i, j
                        break
                if notice_title:
                    prefix = notice_title.split("关于")[0]
                    issuer = prefix or (texts[i - 1].bare if i and RE_ISSUER.match(texts[i - 1].bare) else "")
                    break
        if not issuer:
            issuer = next((RE_ISSUER.match(ln.bare).group(1) for ln in texts if RE_ISSUER.match(ln.bare)), "")  # type: ignore[union-attr]
        issuer = re.sub(r"文件$", "", issuer)
        plan = subject(notice_title) if notice_title else ""
        # The plan's own title: up to three short lines, not sentences, matching the notice's title.
        body_from, title_lines = title_end + 1, []
        key = title_key(plan)
        for i in range(title_end + 1, len(texts)):
            if is_masthead(texts[i].bare):
                continue
            run, j = "", i
            while j < min(len(texts), i + 3) and not ends_sentence(texts[j].bare) and len(texts[j].bare) <= 60:
                run += texts[j].bare
                j += 1
                got = title_key(run)
                if len(got) >= 6 and (not key or got == key or (got in key and j - i > 1)):
                    title_lines, body_from = texts[i:j], j
                    if got == key or not key:
                        break
            if title_lines:
                break
        if not plan and not title_lines:
            start = 1 if number or issuer else 0
            heads = [ln for ln in texts[start:] if not is_masthead(ln.bare)]
            if heads and not ends_sentence(heads[0].bare):
                title_lines = [heads[0]]
                body_from = texts.index(heads[0]) + 1
        title = join_lines([ln.bare for ln in title_lines]) or plan
        date = ""
        for ln in texts:
            m = RE_DATE_LINE.match(ln.bare)
            if m and not m.group(4):
                date = iso_date(ln.bare)
        # Notice paragraphs sit between the notice title and the plan title; the preamble follows it.
        if notice_title:
            self._notice(
                texts, number, title_start, title_end, texts.index(title_lines[0]) if title_lines else body_from
            )
        preamble = (
            texts[body_from:] if title_lines or notice_title else [ln for ln in texts if not is_masthead(ln.bare)]
        )
        self._paragraphs("preamble", (), preamble, title="引言")
        cited = tuple(dict.fromkeys(RE_CITES.findall(self.mt.text[: lines[-1].end if lines else 0])))
        return DocumentInfo(
            id=self.doc_id,
            title=title,
            number=number,
            issuer=issuer,
            date=date,
            jurisdiction=jurisdiction_of(issuer, title),
            notice_title=notice_title,
            cites=cited,
            source=self.raw.source.name,
            version=self.raw.version,
            pages=len(self.raw.page_starts),
            digest=self.raw.digest,
        )

    def infobox(self, box: dict[str, str], lines: list[Line]) -> None:
        """The library's info box as one clause of document facts, in its own order and words."""
        words = {name: label for label, name in LABELS.items()}
        text = "；".join(f"{words[name]}：{value}" for name, value in box.items())
        kept = [ln for ln in lines if ln.bare]
        self._add("docinfo", (), "", "文件信息", text, kept[0].start, kept[-1].end, [ln.start for ln in kept])

    def _notice(self, texts: list[Line], number: str, title_start: int, title_end: int, end: int) -> None:
        """The covering notice as one clause that carries its own header (文号, title, date), so a
        question about the document itself has a clause to quote."""
        body = [ln for ln in texts[title_end + 1 : end] if not RE_DATE_LINE.match(ln.bare)]
        dates = [ln for ln in texts[title_end + 1 : end] if RE_DATE_LINE.match(ln.bare)]
        head = [ln for ln in texts[:title_start] if ln.bare == number] if number else []
        lines = [*head, *texts[title_start : title_end + 1], *body, *dates]
        if not body:
            return
        parts = [number] if head else []
        parts += [
            join_lines([ln.bare for ln in texts[title_start : title_end + 1]]),
            join_lines([ln.bare for ln in body]),
        ]
        parts += [ln.bare for ln in dates]
        starts = [ln.start for ln in lines]
        self._add("notice", (), "", "印发通知", "\n".join(parts), min(starts), max(ln.end for ln in lines), starts)
