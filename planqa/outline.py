"""A plan as new staff read it: its tree of sections and clauses, what falls due when, and a
briefing workbook of both. ``planqa outline``/``deadlines`` and the UI's browse tab share these."""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from planqa.catalog import Catalog
from planqa.ingest.quantities import RE_DEADLINE
from planqa.types import Clause
from planqa.workbook import append_rows


@dataclass(frozen=True)
class Due:
    """One thing a plan says must happen by a date."""

    year: int
    deadline: str  # 2024年底, 2024年9月
    clause: Clause
    what: str  # the words the deadline governs, from the clause


def clauses_of(catalog: Catalog, doc: str) -> list[Clause]:
    """The document's clauses in reading order (each clause once, its first chunk)."""
    return sorted(catalog.of_doc(doc), key=lambda c: (c.span[0], c.id))


def timeline(catalog: Catalog, doc_ids: Sequence[str] | None = None, year: int | None = None) -> list[Due]:
    """Every dated commitment of the tasks and annex rows, by year then reading order.

    A sentence with several deadlines (``到2023年底、2024年底、2025年底，…分别…``) gives one item per
    year, each quoting the sentence: which value is whose is in the targets table."""
    items: list[Due] = []
    for doc in doc_ids or list(catalog.docs):
        for c in clauses_of(catalog, doc):
            if c.kind not in ("task", "annex_row", "measure"):
                continue
            for sentence in re.split(r"[。；]", c.text):
                seen: set[int] = set()
                for m in RE_DEADLINE.finditer(sentence):
                    y = int(m.group(1))
                    if y in seen or (year is not None and y != year):
                        continue
                    seen.add(y)
                    deadline = re.sub(r"^(?:到|至|于|在)|(?:前|以前|之前)$", "", m.group(0))
                    items.append(Due(y, deadline, c, sentence.strip()))
    return sorted(items, key=lambda d: (d.year, d.clause.doc_id, d.clause.span[0]))


# An item that opens a list (…下列条件：（一）…；（二）…), not a cross-reference (本条第（一）项).
_RE_ITEM = re.compile(r"(?:^|(?<=[：；。]))\s*((?:（[一二三四五六七八九十]{1,3}）|（\d{1,2}）)[^；。：]*)")
_SHOWN = 24  # characters of an untitled clause or an item: enough to recognise it in a tree


def _brief(text: str) -> str:
    return text[:_SHOWN] + ("…" if len(text) > _SHOWN else "")


def _head(c: Clause) -> str:
    """An article's number and its first words when it has no title of its own (第二条 本办法适用于…)."""
    if c.title or not c.number:
        return c.label or _brief(c.text)
    lead = c.text.removeprefix(c.number).lstrip(".、 ")
    first_item = _RE_ITEM.search(lead)
    return f"{c.number} {_brief(lead[: first_item.start(1)] if first_item else lead)}"


def tree_lines(catalog: Catalog, doc: str) -> list[str]:
    """The clause tree as indented text, each clause with its page, units and targets, and an
    article's items folded under it."""
    lines: list[str] = []
    shown: tuple[str, ...] = ()
    whole: dict[str, list[Clause]] = {}  # a long clause's parts, to list the items of all of them
    for part in catalog.clauses.values():
        whole.setdefault(part.key, []).append(part)
    for c in clauses_of(catalog, doc):
        common = 0
        while common < min(len(shown), len(c.section)) and shown[common] == c.section[common]:
            common += 1
        lines += ["  " * depth + c.section[depth] for depth in range(common, len(c.section))]
        shown = c.section
        indent = "  " * len(c.section)
        page = f"  〔第{'、'.join(map(str, c.pages))}页〕" if c.pages else ""
        lines.append(f"{indent}{_head(c)}{page}")
        text = "".join(p.text for p in sorted(whole.get(c.key, [c]), key=lambda p: p.part))
        lines += [f"{indent}  {_brief(m.group(1))}" for m in _RE_ITEM.finditer(text)]
        if c.units:
            lines.append(f"{indent}  责任单位：{'、'.join(c.units)}")
        lines += [f"{indent}  ◆ {t.statement}" for t in catalog.targets_of(c)]
    return lines


def _pages(c: Clause) -> str:
    return "、".join(map(str, c.pages))


def briefing_xlsx(catalog: Catalog, doc: str, path: Path) -> Path:
    """A workbook for a briefing pack: the clause tree, the targets, the timeline."""
    from openpyxl import Workbook

    info = catalog.docs[doc]
    book = Workbook()
    tree = book.active
    tree.title = "条款"
    clauses = clauses_of(catalog, doc)
    append_rows(tree, [["章节", "条款", "责任单位", "页码", "全文"]])
    append_rows(tree, ([" > ".join(c.section), c.label, "、".join(c.units), _pages(c), c.text] for c in clauses))
    targets = book.create_sheet("指标")
    append_rows(targets, [["条款", "指标", "条件", "时限", "目标值", "单位", "原文"]])
    fields = ("address", "indicator", "condition", "deadline", "label", "unit", "source_text")
    append_rows(targets, ([getattr(t, f) for f in fields] for t in catalog.targets if t.doc_id == doc))
    due = book.create_sheet("时间表")
    append_rows(due, [["年份", "时限", "条款", "内容"]])
    append_rows(due, ([d.year, d.deadline, d.clause.section_path, d.what] for d in timeline(catalog, [doc])))
    for sheet in book.worksheets:
        sheet.freeze_panes = "A2"
    book.properties.title = f"{info.title} {info.number}".strip()
    book.save(path)
    return path
