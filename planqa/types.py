"""Frozen records that cross folder boundaries: a document, its clauses, a search hit."""

from __future__ import annotations

import hashlib
import json
import sys
from dataclasses import asdict, dataclass, field
from typing import Any

# Clause kinds, in document order of appearance.
KINDS = ("docinfo", "notice", "preamble", "paragraph", "task", "measure", "annex_row", "signature", "colophon")
_KIND_WORDS = {
    "docinfo": "文件信息：索引号、主题分类、发文机关、成文日期（签发日期）、标题、发文字号（文号）、发布日期",
    "notice": "印发通知：发文字号（文号）、发文机关、标题、主送单位、会议通过、印发日期",
    "signature": "落款：发文机关、签发日期（印发日期、成文日期）",
    "colophon": "版记：抄送单位、印发机关、印发日期",
}


@dataclass(frozen=True)
class DocumentInfo:
    """What the header of a notice says about itself, plus where it came from."""

    id: str  # stable slug, from the file name (with the 文号 added when two notices share a file name)
    title: str  # the plan's own title, e.g. 江西省卫生健康服务能力全面提升三年行动计划（2023—2025年）
    number: str = ""  # 发文字号, e.g. 赣府发〔2023〕1号; "" when the notice carries none
    issuer: str = ""  # e.g. 江西省人民政府
    date: str = ""  # ISO date of signing (成文日期) or printing, "" if absent
    published: str = ""  # ISO date the notice was published (发布日期), when the page says so
    jurisdiction: str = ""  # e.g. 江西省, 珠山区: the area the plan governs
    notice_title: str = ""  # 关于印发…的通知, when the plan came wrapped in a notice
    cites: tuple[str, ...] = ()  # titles of other plans it says it follows (根据《…》)
    source: str = ""  # file name as ingested
    version: str = ""  # the file's bytes and the ingest code that parsed them (RawDocument.version)
    pages: int = 0  # 0 for formats without pages
    digest: str = ""  # sha256 of the file's bytes: the notice's identity when it has no 文号 and no title

    def same_notice(self, other: DocumentInfo) -> bool:
        """Whether two files hold one notice (a new version of it, or the same file again).

        A notice is what it says it is, not what its file is called (officials' files are all called
        实施方案.pdf): the same 文号; without one on either side, the same title; with neither, the
        same bytes.
        """
        if self.number and other.number:
            return self.number == other.number
        if self.title and other.title:
            return "".join(self.title.split()) == "".join(other.title.split())
        return bool(self.digest) and self.digest == other.digest

    def to_json(self) -> str:
        return json.dumps(asdict(self), ensure_ascii=False)

    @classmethod
    def from_json(cls, text: str) -> DocumentInfo:
        data = json.loads(text)
        data["cites"] = tuple(data.get("cites", ()))
        return cls(**data)


@dataclass(frozen=True)
class Clause:
    """One addressable piece of a notice: a numbered task, an annex row, a paragraph.

    ``text`` is the normalised text (what is indexed and quoted); ``span`` and ``pages`` say where it
    stands in the document and in its source file.
    """

    doc_id: str
    kind: str  # one of KINDS
    section: tuple[str, ...]  # headings above the clause, e.g. ("二、重点任务", "（二）医疗服务能力提升行动")
    number: str  # "5", "（一）", or "" for unnumbered paragraphs
    title: str  # "遴选培育临床重点专科"; "" when the clause has none
    text: str
    units: tuple[str, ...] = ()  # 责任单位, in the order the notice lists them
    lead: tuple[str, ...] = ()  # those of ``units`` the notice names as leading (牵头), when it says
    pages: tuple[int, ...] = ()  # 1-based; () for sources without pages
    span: tuple[int, int] = (0, 0)  # [start, end) in the document's normalised text
    part: int = 0  # sub-chunk index when a long clause is split for embedding
    parts: int = 1
    doc_title: str = ""
    doc_number: str = ""

    @property
    def label(self) -> str:
        """The clause's own heading as a reader would write it: "5. 遴选培育临床重点专科"."""
        if self.number and self.title:
            sep = "" if self.number.endswith(("）", ")", "、")) else " " if self.number.endswith("条") else ". "
            return f"{self.number}{sep}{self.title}"
        return self.number or self.title

    @property
    def section_path(self) -> str:
        """The full address inside the document, clause label included."""
        return " > ".join((*self.section, self.label) if self.label else self.section)

    @property
    def where(self) -> str:
        """Where it stands, as answers cite it: 《标题》（文号） 〔二、重点任务 > … > 5. 遴选…〕，第3页."""
        return self.cite()

    def cite(self, english: bool = False) -> str:
        """``where`` in the answer's language: in English, 《标题》 (文号), 〔…〕, p. 3."""
        pages = "、".join(map(str, self.pages))
        if english:
            number = f" ({self.doc_number})" if self.doc_number else ""
            return f"《{self.doc_title}》{number}, 〔{self.section_path}〕" + (f", p. {pages}" if pages else "")
        number = f"（{self.doc_number}）" if self.doc_number else ""
        return f"《{self.doc_title}》{number} 〔{self.section_path}〕" + (f"，第{pages}页" if pages else "")

    @property
    def index_text(self) -> str:
        """What the indexes read: the heading and title words plus the text, so titles help matching.

        The covering notice and the colophon never name what they are; the words officials use for
        them (文号, 印发日期, 抄送) are added so a question about the document finds them.
        """
        heading = self.section[-1] if self.section else ""
        title = self.title if self.title not in self.text else ""  # later sub-chunks lack the title
        return "；".join(x for x in (heading, title, _KIND_WORDS.get(self.kind, ""), self.text) if x)

    def __post_init__(self) -> None:
        # Set while the instance is made, always in this order, so every clause's attribute dict
        # shares one key table: added later (``cached_property``), each clause's dict was copied out
        # of the shared table, 730 bytes a clause (112 MB of a 1,000× library's snapshot).
        key = f"{self.doc_id}|{self.kind}|{'/'.join(self.section)}|{self.number}|{self.span[0]}"
        object.__setattr__(self, "_key", key)
        object.__setattr__(self, "_id", hashlib.sha1(f"{key}|{self.part}|{self.text}".encode()).hexdigest()[:20])

    @property
    def key(self) -> str:
        """Identity of the clause, shared by all its sub-chunks. Made once: the links of a 1,000×
        library name 489,000 clause pairs by key, and each call made a new string."""
        return self._key  # type: ignore[attr-defined, no-any-return]

    @property
    def id(self) -> str:
        """Content hash: re-ingesting identical text yields identical ids (upsert, not duplicate).
        Made once: a snapshot build of a 15,300-clause library asked for ids 198,000 times (1 s)."""
        return self._id  # type: ignore[attr-defined, no-any-return]

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)

    def to_row(self) -> dict[str, Any]:
        """The clause with its address, as JSON shows it (``planqa clauses --json``, search, the MCP tools)."""
        return {
            "id": self.id,
            "doc": self.doc_id,
            "doc_title": self.doc_title,
            "doc_number": self.doc_number,
            "kind": self.kind,
            "section": self.section_path,
            "clause": self.number,
            "title": self.title,
            "units": list(self.units),
            "pages": list(self.pages),
            "part": self.part,
            "parts": self.parts,
            "text": self.text,
        }

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Clause:
        """The clause of ``to_dict``. The names every clause of a notice repeats (its id, title, 文号,
        headings, units) are interned, so a library's clauses share one copy of each. The source
        text of the span (``raw``, which nothing read) is dropped from rows stored before it went:
        every part of a long clause carried the whole of it (66 MB of a 1,000× library's snapshot)."""
        data = dict(data)
        data.pop("raw", None)
        for name in ("doc_id", "kind", "doc_title", "doc_number"):
            if isinstance(data.get(name), str):
                data[name] = sys.intern(data[name])
        for name in ("section", "units", "lead"):
            data[name] = tuple(sys.intern(x) for x in data.get(name, ()))
        for name in ("pages", "span"):
            data[name] = tuple(data.get(name, ()))
        return cls(**data)


@dataclass(frozen=True)
class ParsedDocument:
    """A document after the grammar: its header facts, its normalised text and its clauses."""

    info: DocumentInfo
    text: str
    clauses: tuple[Clause, ...]


@dataclass(frozen=True)
class Hit:
    """A retrieved source: its best-matching clause, plus clauses that state the same thing.

    A task and the annex row that restates it, or the parts of a long clause, are one source: they
    rank once, and ``related`` keeps the others so an answer can show both.
    """

    clause: Clause
    score: float  # higher is better, whatever the backend
    sources: dict[str, float] = field(default_factory=dict)  # per-retriever scores, for explanations
    related: tuple[Clause, ...] = ()

    @property
    def clauses(self) -> tuple[Clause, ...]:
        return (self.clause, *self.related)


@dataclass(frozen=True)
class Target:
    """One quantified commitment read off a clause: what, how much, by when, for whom, and where it says so.

    ``source_text`` is the sentence verbatim from the clause's normalised text (``clause_id`` names
    the stored chunk), so an answer that quotes it quotes the notice, and ``value_text`` is the value
    as written there (``100个以上``, ``2—3家``).
    """

    doc_id: str
    clause_id: str  # Clause.id of the chunk the sentence stands in
    clause_key: str  # Clause.key: the clause as a whole (all its chunks)
    address: str  # Clause.section_path
    indicator: str  # the thing measured: 省级临床重点专科建成数量
    value: float
    value_max: float | None = None  # upper end of a range (2—3个)
    unit: str = ""  # 个, %, 张, 辆/3万人口
    comparator: str = ""  # 以上, 不低于, 左右, 达到…; "" when the notice states the value bare
    deadline: str = ""  # 2024年底, 2024年9月, 2025年, 每年; "" when none is given
    year: int | None = None
    condition: str = ""  # 30—50万人口的县（市、区）, 城市地区, 二级公立医院
    base: str = ""  # what a percentage is of: 编制总额
    flags: tuple[str, ...] = ()  # "coverage": 全覆盖 read as 100%; "aspirational": 力争/争取
    scope: str = ""  # the jurisdiction of the document: 江西省, 珠山区
    units: tuple[str, ...] = ()  # 责任单位 of the clause
    pages: tuple[int, ...] = ()
    source_text: str = ""
    span: tuple[int, int] = (0, 0)  # of source_text within the clause chunk's text
    value_text: str = ""

    @property
    def label(self) -> str:
        """The value as a reader would say it: ``100个以上``, ``不低于70%``, ``全覆盖``."""
        if "coverage" in self.flags:
            return "全覆盖"
        prefix = self.comparator if self.comparator and not self.value_text.endswith(self.comparator) else ""
        if prefix in ("达到", "达"):
            prefix = ""
        return f"{prefix}{self.value_text}"

    @property
    def figure(self) -> str:
        """The number alone, as the notice would write it: ``2—3`` for a range, ``4.5``, ``150``."""
        return _number(self.value) + (f"—{_number(self.value_max)}" if self.value_max is not None else "")

    @property
    def amount(self) -> str:
        """The value with the part of its unit that ``label`` does not say: ``4.5个/千人口``."""
        return self.label + ("/" + self.unit.split("/", 1)[1] if "/" in self.unit else "")

    @property
    def clause(self) -> str:
        """The label of the clause that sets it (the last step of ``address``): ``5. 遴选培育临床重点专科``."""
        return self.address.split(" > ")[-1]

    def to_dict(self) -> dict[str, Any]:
        """The documented JSON row (``planqa targets --json``): doc, clause, indicator, value, … pages."""
        return {
            "doc": self.doc_id,
            "clause": self.address,
            "indicator": self.indicator,
            "value": self.value,
            "value_max": self.value_max,
            "value_text": self.value_text,
            "unit": self.unit,
            "comparator": self.comparator,
            "deadline": self.deadline,
            "year": self.year,
            "condition": self.condition,
            "base": self.base,
            "flags": list(self.flags),
            "scope": self.scope,
            "units": list(self.units),
            "source_text": self.source_text,
            "pages": list(self.pages),
        }

    @property
    def statement(self) -> str:
        """The target as one line: ``省级临床重点专科建成数量：2024年底达到100个以上`` (indicator,
        condition, deadline, value), as answers, the outline and the browse tab show it."""
        per = ""
        if "/" in self.unit:
            per = "" if "每" in self.indicator else f"每{self.unit.split('/', 1)[1]}"
        cond = f"（{self.condition}）" if self.condition else ""
        value = f"{per}{self.label}"
        if "aspirational" in self.flags:
            value = f"力争{value}"
        verb = "达到" if self.deadline and "coverage" not in self.flags and not value.startswith("力争") else ""
        return f"{self.indicator}{cond}：{self.deadline}{verb}{value}"


@dataclass(frozen=True)
class Citation:
    """Where an answer stands: the clause, its address, and the sentence quoted from it."""

    doc_id: str
    doc_title: str
    doc_number: str
    section: str  # section path, clause label included
    clause: str  # the clause's own label: "5. 遴选培育临床重点专科"
    pages: tuple[int, ...]
    quote: str  # the sentence relied on, verbatim from ``text``
    text: str  # the full clause text
    clause_id: str = ""
    parent: str = ""  # for a district clause: the address of the provincial clause it localises


@dataclass(frozen=True)
class Answer:
    """What planqa says to a question. The first line of ``text`` is the answer itself."""

    question: str
    text: str
    abstained: bool
    citations: tuple[Citation, ...] = ()
    retrieved: tuple[Hit, ...] = ()
    timings: dict[str, float] = field(default_factory=dict)  # milliseconds per stage
    resolved: str = ""  # the question as understood, follow-ups made to stand alone
    kind: str = ""  # what was asked: quantity, date, units, tasks_of_unit, list, document, compare, refusal…
    confidence: float = 0.0  # rarity-weighted share of the question's words the cited clause covers
    matched: float = 0.0  # the absolute weight of the question's words the cited clause holds
    forced: bool = False  # abstained whatever the coverage (a place not indexed, no draft, a refusal)
    generator: str = "extractive"  # "llm" when a guarded LLM answer was kept; "extractive-fallback" when not
    notes: tuple[str, ...] = ()  # why an LLM answer was not used: "rejected", "unreachable", "declined"
    index_version: str = ""  # the library version it was answered from (``Snapshot.short_version``)

    @property
    def first_line(self) -> str:
        return self.text.split("\n", 1)[0]

    def to_dict(self, retrieved: int = 8) -> dict[str, Any]:
        """The one JSON shape of an answer: ``planqa ask --json``, the web API and eval rows share it."""
        return {
            "question": self.question,
            "answer": self.text,
            "first_line": self.first_line,
            "abstained": self.abstained,
            "kind": self.kind,
            "resolved": self.resolved,
            "confidence": round(self.confidence, 3),
            "matched": round(self.matched, 3),
            "generator": self.generator,
            "notes": list(self.notes),
            "index_version": self.index_version,
            "citations": [
                {
                    "doc": c.doc_id,
                    "doc_title": c.doc_title,
                    "doc_number": c.doc_number,
                    "section": c.section,
                    "clause": c.clause,
                    "pages": list(c.pages),
                    "quote": c.quote,
                    "text": c.text,
                    "parent": c.parent,
                }
                for c in self.citations
            ],
            "retrieved": [
                {
                    "doc": h.clause.doc_id,
                    "clause": h.clause.section_path,
                    "pages": list(h.clause.pages),
                    "text": h.clause.text,
                    "score": round(h.score, 4),
                    # the clauses ranked with it as one source (parts, an annex row, paragraphs of one heading)
                    "related": [{"clause": c.section_path, "text": c.text} for c in h.related],
                }
                for h in self.retrieved[:retrieved]
            ],
            "timings_ms": {k: round(v, 1) for k, v in self.timings.items()},
        }


def _number(value: float) -> str:
    """``150.0`` → ``150``, ``4.5`` → ``4.5``: the way the notice would write it."""
    return str(int(value)) if float(value).is_integer() else f"{value:g}"
