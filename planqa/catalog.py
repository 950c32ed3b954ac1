"""The targets table and the derived-from links of one snapshot of the library.

Both are pure functions of the stored clauses, like the keyword index: they are rebuilt when the
registry's document versions change, so two processes over one Chroma server see the same rows.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass

from planqa.ingest.grams import dice
from planqa.ingest.links import diff_targets
from planqa.ingest.parents import Parents
from planqa.ingest.places import jurisdiction_level
from planqa.ingest.targets import extract_targets
from planqa.types import Clause, DocumentInfo, Target


@dataclass(frozen=True)
class ComparisonRow:
    """One indicator across two documents: each side's target (None: 未规定) and what changed."""

    indicator: str
    condition: str
    left: Target | None
    right: Target | None
    changes: tuple[str, ...]


class Catalog:
    """What answering reads besides the hits, derived from one snapshot of the index: documents by id,
    clauses by key, the targets parsed from each clause, and the provincial clause a district clause
    localises. Built once per index version and shared by every answer of that version.
    """

    def __init__(self, docs: Sequence[DocumentInfo], clauses: Sequence[Clause], previous: Catalog | None = None):
        """``previous``: the catalog of an earlier version, whose targets of unchanged documents are kept."""
        self.docs = {d.id: d for d in docs}
        self.clauses = {c.id: c for c in clauses}
        self.by_key: dict[str, Clause] = {}
        for c in clauses:
            if c.part == 0 or c.key not in self.by_key:
                self.by_key[c.key] = c
        # A document's clauses and the clauses each responsible unit is named in, so that a notice's
        # outline or a unit's tasks are a lookup, not a walk over every clause (153,000 at 1,000×;
        # 1.8 s for 省财政厅's tasks in session 14's profile).
        self._of_doc: dict[str, list[Clause]] = {}
        self.by_unit: dict[str, list[Clause]] = {}
        for c in self.by_key.values():
            self._of_doc.setdefault(c.doc_id, []).append(c)
            for unit in c.units:
                self.by_unit.setdefault(unit, []).append(c)
        held = {d.id for d in docs if previous and d.id in previous.docs and previous.docs[d.id].version == d.version}
        scope = {d.id: d.jurisdiction for d in docs}
        self._by_doc: dict[str, list[Target]] = {d: previous.targets_of_doc(d) for d in held} if previous else {}
        for c in clauses:
            if c.doc_id not in held:
                self._by_doc.setdefault(c.doc_id, []).extend(extract_targets(c, scope.get(c.doc_id, "")))
        self.targets: list[Target] = [t for d in docs for t in self._by_doc.get(d.id, ())]
        self.by_clause: dict[str, list[Target]] = {}
        for t in self.targets:
            self.by_clause.setdefault(t.clause_key, []).append(t)
        self._matcher = previous._matcher if previous else Parents()  # keeps what the next version reuses
        self.parents: dict[str, str] = {link.child: link.parent for link in self._matcher.links(docs, clauses)}
        self._doc_links: dict[str, Counter[str]] = {}
        for child, parent in self.parents.items():
            a, b = self.by_key[child].doc_id, self.by_key[parent].doc_id
            if a != b:
                self._doc_links.setdefault(a, Counter())[b] += 1
                self._doc_links.setdefault(b, Counter())[a] += 1

    def linked_docs(self, doc_id: str) -> list[str]:
        """The documents one localises or is localised by, most clause links first."""
        return [d for d, _ in self._doc_links.get(doc_id, Counter()).most_common()]

    def of_doc(self, doc_id: str) -> list[Clause]:
        """The document's clauses, each once (its first chunk), in the order the index holds them."""
        return self._of_doc.get(doc_id, [])

    def targets_of_doc(self, doc_id: str) -> list[Target]:
        return self._by_doc.get(doc_id, [])

    def targets_of(self, clause: Clause | str) -> list[Target]:
        key = clause if isinstance(clause, str) else clause.key
        return self.by_clause.get(key, [])

    def parent_of(self, clause: Clause) -> Clause | None:
        """The higher-level clause this one localises, if any."""
        key = self.parents.get(clause.key)
        return self.by_key.get(key) if key else None

    def select(
        self, doc_ids: Sequence[str] | None = None, indicator: str = "", year: int | None = None
    ) -> list[Target]:
        """Targets filtered by document, indicator words (all must occur) and year."""
        words = indicator.split()
        return [
            t
            for t in self.targets
            if (not doc_ids or t.doc_id in doc_ids)
            and all(w in t.indicator or w in t.source_text for w in words)
            and (year is None or t.year == year)
        ]

    def compare(self, left: str, right: str) -> list[ComparisonRow]:
        """Indicator rows across two documents, paired through the derived-from links."""
        upper, lower = left, right
        if jurisdiction_level(self.docs[left].jurisdiction) < jurisdiction_level(self.docs[right].jurisdiction):
            upper, lower = right, left
        rows: list[ComparisonRow] = []
        covered: set[str] = set()
        for child_key, parent_key in self.parents.items():
            child, parent = self.by_key.get(child_key), self.by_key.get(parent_key)
            if child is None or parent is None or child.doc_id != lower or parent.doc_id != upper:
                continue
            covered |= {child_key, parent_key}
            for d in diff_targets(self.targets_of(child_key), self.targets_of(parent_key)):
                if d.parent is None and d.child is None:
                    continue
                rows.append(_row(d.parent, d.child, d.changes, upper == left))
        for t in self.targets:
            if t.clause_key in covered or t.doc_id not in (upper, lower):
                continue
            if t.doc_id == upper:
                rows.append(_row(t, None, ("未纳入",), upper == left))
            else:
                rows.append(_row(None, t, ("新增",), upper == left))
        return _dedupe(rows)


def _row(upper: Target | None, lower: Target | None, changes: tuple[str, ...], upper_left: bool) -> ComparisonRow:
    ref = upper or lower
    assert ref is not None
    left, right = (upper, lower) if upper_left else (lower, upper)
    return ComparisonRow(ref.indicator, ref.condition, left, right, changes)


def _dedupe(rows: list[ComparisonRow]) -> list[ComparisonRow]:
    """An annex row restating a task yields its targets again (``力争建成50个以上省级临床重点专科``);
    a row whose targets all restate a kept row's is dropped."""
    out: list[ComparisonRow] = []
    for row in rows:
        if not any(_same(row.left, k.left) and _same(row.right, k.right) for k in out):
            out.append(row)
    return out


def _same(a: Target | None, b: Target | None) -> bool:
    if a is None or b is None:
        return a is b
    fact = (a.doc_id, a.value, a.value_max, a.unit, a.year, a.condition)
    return fact == (b.doc_id, b.value, b.value_max, b.unit, b.year, b.condition) and (
        dice(a.indicator, b.indicator) >= 0.5 or a.indicator in b.indicator or b.indicator in a.indicator
    )
