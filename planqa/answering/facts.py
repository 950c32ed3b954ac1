"""Facts about a document itself, answered from its header, signature and closing article: its 文号,
when it was signed, published and when it takes effect. Each cites the clause that states the fact."""

from __future__ import annotations

import re
from collections.abc import Sequence

from planqa.answering import english as english_words
from planqa.answering.draft import COVERED, NOT_FOUND, Draft
from planqa.answering.evidence import sentences
from planqa.answering.question import DATE, DOCUMENT, Reading
from planqa.catalog import Catalog
from planqa.ingest.infobox import written_date
from planqa.retrieval.signals import RE_IN_FORCE
from planqa.types import Clause, DocumentInfo, Hit

_RE_PUBLISHED = re.compile(r"发布|公布|published|posted", re.I)


def in_force(reading: Reading, hits: Sequence[Hit]) -> Draft | None:
    """When the document takes effect: the sentence that says so (本办法自2019年1月1日起施行,
    自印发之日起实施), which retrieval ranks first for such a question; None if the top sources
    have none (a notice may not say)."""
    for hit in hits:
        for clause in hit.clauses:
            for start, end in sentences(clause.text):
                sentence = clause.text[start:end].strip()
                m = RE_IN_FORCE.search(sentence)
                if m is None:
                    continue
                dated = bool(re.search(r"\d{4}年", m.group(1)))
                if reading.english:
                    first = f"Takes effect {english_words.date(m.group(1)) if dated else 'as stated'}: {m.group(0)}"
                else:
                    first = f"施行日期：{m.group(1)}" if dated else m.group(0)
                return Draft(DATE, first, [(clause, sentence)], score=COVERED)
    return None


def document_fact(
    catalog: Catalog, reading: Reading, hits: Sequence[Hit], docs: Sequence[DocumentInfo]
) -> Draft | None:
    """The 文号, 发布日期 or 印发日期 of the top source's document, citing the clause that states it;
    None when the question asks none of them (then the best sentence answers)."""
    doc_id = hits[0].clause.doc_id if hits else (docs[0].id if docs else "")
    doc = next((d for d in docs if d.id == doc_id), None)
    if doc is None:
        return None
    if re.search("文号|发文字号|document number", reading.text, re.I):
        if not doc.number:
            return Draft(DOCUMENT, "", [], score=NOT_FOUND)  # the notice carries none: say so, do not guess
        # The covering notice states it; a 批复 or 条例 without one, its info box or its first lines.
        mine = [c for c in catalog.of_doc(doc_id) if doc.number in c.text]
        notice = next((c for c in mine if c.kind == "notice"), None)
        holder = notice or min(mine, key=lambda c: c.span[0], default=None)
        first = f"文号：{doc.number}" if not reading.english else f"Document number: {doc.number}"
        return Draft(DOCUMENT, first, [(holder, _sentence_with(holder, doc.number))] if holder else [], score=COVERED)
    published = _published(catalog, reading, doc)
    if published is not None:
        return published
    if doc.date and re.search("哪天|日期|哪一天|何时印发|什么时候印发|when .*issued|date", reading.text, re.I):
        written = written_date(doc.date)
        where = [c for c in catalog.of_doc(doc.id) if written in c.text]
        if where:
            first = f"印发日期：{written}" if not reading.english else f"Issued on {english_words.date(written)}"
            return Draft(DOCUMENT, first, [(where[0], _sentence_with(where[0], written))], score=COVERED)
    return None


def _published(catalog: Catalog, reading: Reading, doc: DocumentInfo) -> Draft | None:
    """发布日期 when the question asks when a notice was published (not signed): the page's
    info box says so, and its clause is cited."""
    if not doc.published or not _RE_PUBLISHED.search(reading.text):
        return None
    box = next((c for c in catalog.of_doc(doc.id) if c.kind == "docinfo"), None)
    written = written_date(doc.published)
    first = f"Published on {english_words.date(written)}" if reading.english else f"发布日期：{written}"
    quote = next((p for p in (box.text.split("；") if box else ()) if p.startswith("发布日期")), "")
    return Draft(DOCUMENT, first, [(box, quote)] if box else [], score=COVERED)


def _sentence_with(clause: Clause, needle: str) -> str:
    for start, end in sentences(clause.text):
        if needle in clause.text[start:end]:
            return clause.text[start:end].strip()
    return needle
