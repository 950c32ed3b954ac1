"""Signals retrieval reads off a notice's own structure, computed once per snapshot where they can be.

A question about the document itself (when it takes effect, was signed or published, its 文号, why it
was made, who interprets it) is answered by the clauses that state that fact; a question that names
a heading is about the clauses under it; one that asks for a list (哪些条件) is answered by the clause
that introduces one (应当具备下列条件：). Each is a rule about how notices are written, not about any
one notice.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from functools import lru_cache

from planqa.ingest.grams import bigrams
from planqa.ingest.infobox import written_date
from planqa.types import Clause, DocumentInfo

# When a document takes effect: 本办法自2019年1月1日起施行, 自印发之日起实施 (group 1: from when).
RE_IN_FORCE = re.compile(r"自([^，。；]{2,24}?)起(?:施行|实施|生效|执行)")
_RE_INTERPRETER = re.compile(r"由[^。；]{2,40}?负责解释|解释权")
# 为了规范专利代理行为，…，制定本条例 / 1.1 编制目的: what a document says it was made for.
_RE_PURPOSE = re.compile(
    r"为了?.{2,160}?(?:制定|修订|制订|编制)本(?:条例|办法|规定|法|细则|预案|方案|计划)|^目的|编制目的"
)


def document_fact_clauses(docs: Sequence[DocumentInfo], clauses: Sequence[Clause]) -> dict[str, frozenset[str]]:
    """For each document fact (query.document_facet), the ids of the clauses that state it: why it
    was made (为了…，制定本条例), who interprets it (本办法由…负责解释), when it takes effect
    (本办法自…起施行), when it was published (the info box), when it was signed or issued (the box,
    the covering notice, the signature, any clause with the document's date, such as a 国务院令's
    总理 李克强 / 2018年11月6日), and its 文号."""
    info = {d.id: d for d in docs}
    by_id = {c.id: c.doc_id for c in clauses}
    facets = ("effect", "published", "signed", "number", "purpose", "interpreter")
    facts: dict[str, set[str]] = {facet: set() for facet in facets}
    for c in clauses:
        doc = info.get(c.doc_id)
        signed = written_date(doc.date) if doc else ""
        if RE_IN_FORCE.search(c.text):
            facts["effect"].add(c.id)
        if _RE_PURPOSE.search(c.text) or any(_RE_PURPOSE.search(h) for h in c.section[-1:]):
            facts["purpose"].add(c.id)
        if _RE_INTERPRETER.search(c.text):
            facts["interpreter"].add(c.id)
        if c.kind == "docinfo":
            facts["published"].add(c.id)
        if c.kind in ("docinfo", "notice", "signature") or (signed and signed in c.text):
            facts["signed"].add(c.id)
        if c.kind in ("docinfo", "notice") or (doc and doc.number and doc.number in c.text):
            facts["number"].add(c.id)
    boxed = {c.doc_id for c in clauses if c.kind == "docinfo"}
    facts["published"] |= {i for i in facts["signed"] if by_id[i] not in boxed}  # no box: the date it bears
    return {facet: frozenset(ids) for facet, ids in facts.items()}


_CN = "一二三四五六七八九十"
_RE_NUMBERING = re.compile(rf"^(?:第[^章节条]{{1,4}}[章节条]|[{_CN}]+、|（[{_CN}]+）|[\d.]+)\s*")


def heading_bigrams(clause: Clause) -> tuple[frozenset[str], ...]:
    """The character bigrams of the clause's own heading and title, numbering dropped."""
    heads = (clause.section[-1] if clause.section else "", clause.title)
    return tuple(b for h in heads if len(b := frozenset(bigrams(_RE_NUMBERING.sub("", h)))) >= 1)


@lru_cache(maxsize=64)
def introduces(noun: str) -> re.Pattern[str]:
    """A list's lead-in naming ``noun``: 应当具备下列条件：, 严格审核以下内容：."""
    return re.compile(rf"(?:下列|以下|如下)[^：:。；]{{0,8}}?{noun}[^：:。]{{0,4}}[：:]")


def heading_match(asked: set[str], heads: tuple[frozenset[str], ...]) -> float:
    """How much of a heading the question names: 1.0 for 基本原则 in 基本原则有哪些; below half, 0."""
    best = max((len(h & asked) / len(h) for h in heads), default=0.0)
    return best if best >= 0.5 else 0.0
