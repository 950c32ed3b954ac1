"""One registry version of the index as retrieval reads it: a frozen value, built once per version.

``Corpus.read`` takes the documents of one registry read and loads exactly their clause versions,
the keyword index for them (from its cache when it was saved for these versions) and the signals
derived from the clauses. Every search of an answer is given the same ``Corpus``, so the hits, the
targets table and the coverage an answer is built from come from one version (``planqa.library``).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from types import MappingProxyType

import numpy as np

from planqa.ingest.grams import bigram_set
from planqa.retrieval.lexical import LexicalIndex
from planqa.retrieval.query import clause_address
from planqa.retrieval.signals import document_fact_clauses, heading_bigrams
from planqa.retrieval.store import ChromaStore
from planqa.retrieval.tokens import TokenStore
from planqa.types import Clause, DocumentInfo

# Paragraphs under one heading that rank as one source. Real-notice gold hit@1 0.733 -> 0.753 with
# grouping; 4, 8 and 16 scored alike (hit@5 0.938 at 4, 0.945 at 8 and 16), the public set unchanged;
# 16 keeps a long list of principles or duties whole.
MAX_PARAGRAPHS = 16
# An annex row joins the task it restates when at least this share of its bigrams are the task's.
ROW_MATCH = 0.5


class StaleCorpus(Exception):
    """The index moved on during a search: an ingest committed and deleted clauses this corpus names.

    Raised by a search, caught by whoever holds the corpus, who reads the registry again and retries.
    """


def signature(docs: Sequence[DocumentInfo]) -> str:
    """The registry version: which documents, at which versions."""
    return "|".join(f"{d.id}:{d.version}" for d in docs)


@dataclass(frozen=True)
class Corpus:
    """Everything retrieval needs about one set of indexed document versions."""

    version: str  # ``signature(docs)``
    docs: tuple[DocumentInfo, ...]
    clauses: tuple[Clause, ...]  # every stored row (a long clause's parts too), in document order
    lexical: LexicalIndex
    group: Mapping[str, str]  # clause id → source id (``link_sources``)
    by_id: Mapping[str, Clause]
    facts: Mapping[str, frozenset[str]]  # document facet → clause ids (``document_fact_clauses``)
    headings: Mapping[str, tuple[frozenset[str], ...]]  # clause id → ``heading_bigrams``
    addresses: Mapping[str, tuple[str, int]]  # clause id → ``clause_address``
    row_docs: np.ndarray  # per row of ``clauses``, the position of its document in ``docs``
    rows: Mapping[str, int]  # clause id → its row in ``clauses`` (its neighbours are the rows beside it)

    def mask(self, doc_ids: Sequence[str]) -> np.ndarray:
        """Which rows of ``clauses`` belong to these documents (a vectorised filter for each search)."""
        position = {d.id: i for i, d in enumerate(self.docs)}
        return np.isin(self.row_docs, [position[d] for d in doc_ids if d in position])

    @property
    def versions(self) -> dict[str, str]:
        """Document id → the version this corpus searches (spares the store a registry read)."""
        return {d.id: d.version for d in self.docs}

    @classmethod
    def read(
        cls, store: ChromaStore, docs: Sequence[DocumentInfo], folder: Path | None, previous: Corpus | None = None
    ) -> Corpus:
        """The corpus of exactly these document versions. Documents at a version ``previous`` holds are
        taken from it; only the others are read from the store and tokenised (or their saved token
        counts loaded from ``folder``), so a new version of a large library costs what changed."""
        held = {d.id: d.version for d in previous.docs} if previous else {}
        kept = {d.id for d in docs if held.get(d.id) == d.version}
        fresh = store.clauses(versions={d.id: d.version for d in docs if d.id not in kept})
        old = [c for c in previous.clauses if c.doc_id in kept] if previous else []
        by_doc: dict[str, list[Clause]] = {d.id: [] for d in docs}
        for c in (*old, *fresh):
            by_doc[c.doc_id].append(c)
        clauses = [c for d in docs for c in by_doc[d.id]]
        tokens = TokenStore(folder) if folder else None
        lexical = LexicalIndex.update(previous.lexical if previous else None, docs, by_doc, tokens)
        group, headings, addresses = link_sources(fresh), {c.id: heading_bigrams(c) for c in fresh}, {}
        facts = {k: set(v) for k, v in document_fact_clauses([d for d in docs if d.id not in kept], fresh).items()}
        if previous:
            group.update((c.id, previous.group[c.id]) for c in old)
            headings.update((c.id, previous.headings[c.id]) for c in old)
            addresses.update((c.id, previous.addresses[c.id]) for c in old if c.id in previous.addresses)
            for facet, ids in previous.facts.items():
                facts.setdefault(facet, set()).update(i for i in ids if previous.by_id[i].doc_id in kept)
        addresses.update((c.id, a) for c in fresh if (a := clause_address(c.number)))
        frozen = MappingProxyType
        position = {d.id: i for i, d in enumerate(docs)}
        return cls(
            signature(docs),
            tuple(docs),
            tuple(clauses),
            lexical,
            frozen(group),
            frozen({c.id: c for c in clauses}),
            frozen({facet: frozenset(ids) for facet, ids in facts.items()}),
            frozen(headings),
            frozen(addresses),
            np.array([position[c.doc_id] for c in clauses], dtype=np.int32),
            frozen({c.id: i for i, c in enumerate(clauses)}),
        )


def link_sources(clauses: Sequence[Clause]) -> dict[str, str]:
    """Clause id → source id: parts of one clause share a source; an annex row joins the task it restates.

    An annex row restates a task in other words (``力争建成50个以上省级临床重点专科`` for ``省级临床
    重点专科建成数量分别达到50个以上``), so it is matched by the share of its character bigrams found in
    the task, and only to the best task of its own document above ``ROW_MATCH``.
    """
    group = {c.id: c.key for c in clauses}
    tasks: dict[str, list[tuple[Clause, frozenset[str]]]] = {}
    for c in clauses:
        if c.kind in ("task", "measure"):
            tasks.setdefault(c.doc_id, []).append((c, bigram_set(c.text)))
    for row in (c for c in clauses if c.kind == "annex_row"):
        body = bigram_set(row.text.split("：", 1)[-1])
        if not body:
            continue
        best, share = None, 0.0
        for task, grams in tasks.get(row.doc_id, ()):
            s = len(body & grams) / len(body)
            if s > share:
                best, share = task, s
        if best is not None and share >= ROW_MATCH:
            group[row.id] = best.key
    # Un-numbered paragraphs under one heading (（二）基本原则: one principle a paragraph) answer a
    # question about that heading together, so they rank as one source, up to MAX_PARAGRAPHS.
    under: dict[tuple[str, tuple[str, ...]], list[Clause]] = {}
    for c in clauses:
        if c.kind == "paragraph" and c.section:
            under.setdefault((c.doc_id, c.section), []).append(c)
    for members in under.values():
        if 1 < len({c.key for c in members}) <= MAX_PARAGRAPHS:
            for c in members:
                group[c.id] = members[0].key
    return group
