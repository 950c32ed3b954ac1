"""Chinese keyword search: jieba words plus character bigrams, scored by BM25.

Whitespace tokenisers see a Chinese sentence as one word, which is why keyword search breaks in
general RAG tools. jieba segments it; a user dictionary built from the indexed notices keeps their
terms whole (``临床重点专科``, ``省财政厅``); character bigrams catch what the dictionary misses (a
colloquial ``托位`` inside ``托位数``). Each document version's token counts are kept (``DocTokens``) and
persisted beside Chroma, so a new version of the library tokenises only its new documents, and the
few clauses of the others that contain a term the new documents add or take away; BM25 is then
assembled from the counts (``LexicalIndex.update``).
"""

from __future__ import annotations

import hashlib
import logging
import re
import threading
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from importlib import resources

import numpy as np
from scipy import sparse

from planqa.ingest.grams import grams
from planqa.ingest.normalize import CJK
from planqa.retrieval.tokens import DocTokens, TokenStore, Vocabulary
from planqa.types import Clause, DocumentInfo

log = logging.getLogger(__name__)


def _stopwords() -> frozenset[str]:
    text = resources.files("planqa.retrieval").joinpath("stopwords.txt").read_text("utf-8")
    return frozenset(w for line in text.splitlines() if not line.startswith("#") for w in line.split())


STOPWORDS = _stopwords()
# Leading verbs of task titles: ``遴选培育临床重点专科`` names the term ``临床重点专科``.
_TITLE_VERBS = re.compile(
    r"^(?:积极|全面|持续|加快|加大|大力|进一步|重点|深入)?"
    r"(?:遴选培育|推进|推动|加强|提升|完善|建设|实施|开展|组建|建立|健全|支持|强化|补齐|启动|落实|促进|打造|培养|引进)+"
)
_RE_QUOTED = re.compile(r"[“\"《]([^”\"》]{2,16})[”\"》]")
_RE_TOKEN_SPLIT = re.compile(rf"[^{CJK}A-Za-z0-9.%]+")


def domain_terms(clauses: Iterable[Clause]) -> list[str]:
    """Terms the notices define: task titles without their verb, responsible units, quoted names."""
    terms: set[str] = set()
    for clause in clauses:
        if clause.title and clause.kind in ("task", "measure", "annex_row"):
            core = _TITLE_VERBS.sub("", clause.title)
            core = re.sub(r"(?:建设|能力|工作|体系|项目)$", "", core)
            if 3 <= len(core) <= 12 and re.fullmatch(f"[{CJK}]+", core):
                terms.add(core)
        terms.update(u for u in clause.units if 3 <= len(u) <= 12 and "、" not in u)
        terms.update(m for m in _RE_QUOTED.findall(clause.text) if re.fullmatch(f"[{CJK}]+", m))
    return sorted(terms)


_BASE: list[tuple[dict[str, int], int]] = []  # jieba's own dictionary, loaded once per process


def _base_dictionary(tokenizer: object) -> None:
    """Give a fresh jieba tokenizer the base dictionary: loaded once, then copied (loading it took
    0.8 s, and every library version whose terms changed made a tokenizer)."""
    if not _BASE:
        tokenizer.initialize()  # type: ignore[attr-defined]
        _BASE.append((dict(tokenizer.FREQ), tokenizer.total))  # type: ignore[attr-defined]
        return
    freq, total = _BASE[0]
    tokenizer.FREQ, tokenizer.total, tokenizer.initialized = dict(freq), total, True  # type: ignore[attr-defined]


class ChineseTokenizer:
    """jieba search-mode words (with the notices' own terms) plus CJK character bigrams."""

    _lock = threading.Lock()

    def __init__(self, terms: Sequence[str] = ()):
        import jieba

        jieba.setLogLevel(logging.WARNING)
        self._jieba = jieba.Tokenizer()  # a private dictionary: user terms never leak between indexes
        self.terms = tuple(terms)
        with self._lock:
            _base_dictionary(self._jieba)
            total = self._jieba.total
            for term in self.terms:
                self._jieba.add_word(term, freq=20000)
            # jieba scores a cut against the dictionary's total frequency; kept at the base total, a
            # text's cut depends only on the terms it contains, so adding a notice re-cuts only the
            # clauses that contain one of its new terms (``LexicalIndex.update``).
            self._jieba.total = total

    def tokenize(self, text: str) -> list[str]:
        text = text.lower()
        with self._lock:  # jieba's lazy dictionary load is not thread-safe (Gradio serves from threads)
            words = [w.strip() for w in self._jieba.cut_for_search(text)]
        tokens = [w for w in words if w and w not in STOPWORDS and not _RE_TOKEN_SPLIT.fullmatch(w)]
        for run in re.findall(f"[{CJK}]{{2,}}", text):
            tokens += [g for g in grams(run) if g not in STOPWORDS]
        return tokens


# BM25 (Lucene's variant, as bm25s computes it): short clauses, little length skew.
K1, B = 1.5, 0.75


def terms_key(terms: Iterable[str]) -> str:
    """A short name for a set of domain terms: which dictionary a document's tokens were cut with."""
    return hashlib.sha1("\n".join(sorted(terms)).encode()).hexdigest()[:16]


@dataclass(frozen=True)
class Held:
    """What an index keeps of a document's counts: which rows of ``tf`` are its clauses. The counts
    themselves live only in ``tf`` (kept per document as well, they were a second copy: 16 million
    entries, 130 MB at 1,000x); ``LexicalIndex.counts`` reads them back for the next version."""

    doc_id: str
    version: str
    ids: tuple[str, ...]
    terms: frozenset[str]
    key: str
    start: int  # the row of its first clause


@dataclass(frozen=True)
class LexicalIndex:
    """BM25 over the clauses of one library version, addressed by position in ``ids``."""

    ids: tuple[str, ...]
    tokenizer: ChineseTokenizer
    parts: Mapping[str, Held]  # document id → where its clauses' token counts are
    key: str  # ``terms_key`` of the tokenizer's terms
    vocab: Vocabulary
    tf: sparse.csc_matrix  # clause × token counts
    norm: np.ndarray  # per clause: k1·(1 − b + b·length/average length)
    idf: np.ndarray  # per token column
    lengths: np.ndarray  # tokens per clause

    def counts(self, rows: sparse.csr_matrix) -> dict[str, DocTokens]:
        """Each document's counts, as views of ``rows`` (``tf`` by rows: ``tf.tocsr()``)."""
        out = {}
        for doc_id, h in self.parts.items():
            start, stop = h.start, h.start + len(h.ids)
            a, b = rows.indptr[start], rows.indptr[stop]
            indptr = (rows.indptr[start : stop + 1] - a).astype(np.int64)
            cols, counts, lengths = rows.indices[a:b], rows.data[a:b], self.lengths[start:stop]
            out[doc_id] = DocTokens(h.doc_id, h.version, h.ids, h.terms, h.key, indptr, cols, counts, lengths)
        return out

    @classmethod
    def update(
        cls,
        previous: LexicalIndex | None,
        docs: Sequence[DocumentInfo],
        clauses: Mapping[str, Sequence[Clause]],
        store: TokenStore | None,
    ) -> LexicalIndex:
        """The index of ``docs`` (``clauses``: document id → its clauses, in order). A document's counts
        come from ``previous``, else from ``store``, else from the tokenizer; counts cut with another
        term set are re-cut where a term that changed occurs, the rest kept."""
        old = previous.counts(previous.tf.tocsr()) if previous else {}
        vocab = previous.vocab if previous else Vocabulary()
        parts: dict[str, DocTokens | None] = {}
        for d in docs:
            part = old.get(d.id)
            if part is None or part.version != d.version:
                part = store.load(d.id, d.version, vocab) if store else None
            if part is not None and part.ids != tuple(c.id for c in clauses[d.id]):
                part = None  # saved for other clauses (a parser upgrade re-parsed the same file)
            parts[d.id] = part
        own = {d.id: parts[d.id].terms if parts[d.id] else frozenset(domain_terms(clauses[d.id])) for d in docs}
        terms = sorted(set().union(*own.values()))
        key = terms_key(terms)
        tokenizer = previous.tokenizer if previous and previous.key == key else ChineseTokenizer(terms)
        known = {key: frozenset(terms)}
        if previous:
            known[previous.key] = frozenset(previous.tokenizer.terms)
        fresh: list[DocTokens] = []  # to save: cut now, or read from disk under an older term set
        for d in docs:
            part = parts[d.id]
            if part is None or part.key != key:
                cut_with = (known.get(part.key) or (store.terms(part.key) if store else None)) if part else None
                changed = None if cut_with is None else cut_with.symmetric_difference(known[key])
                carried = part is not None and old.get(d.id) is part
                part = DocTokens.cut(d, clauses[d.id], own[d.id], key, tokenizer.tokenize, vocab, part, changed)
                if not carried or part.recut:
                    fresh.append(part)
            parts[d.id] = part
        if store and fresh:
            store.save(fresh, terms, vocab)
        return cls.assemble(tokenizer, {d.id: p for d, p in ((d, parts[d.id]) for d in docs) if p}, key, vocab)

    @classmethod
    def assemble(
        cls, tokenizer: ChineseTokenizer, parts: Mapping[str, DocTokens], key: str, vocab: Vocabulary
    ) -> LexicalIndex:
        """BM25 from the documents' token counts: one sparse matrix, its idf and length norms."""
        ids = tuple(i for p in parts.values() for i in p.ids)
        n, width = len(ids), len(vocab)
        lengths = np.concatenate([p.lengths for p in parts.values()]) if parts else np.zeros(0, np.float32)
        offsets = np.cumsum([0, *(p.indptr[-1] for p in parts.values())])
        indptr = np.concatenate([[0], *(p.indptr[1:] + o for p, o in zip(parts.values(), offsets, strict=False))])
        cols = np.concatenate([p.cols for p in parts.values()]) if parts else np.zeros(0, np.int32)
        counts = np.concatenate([p.counts for p in parts.values()]) if parts else np.zeros(0, np.float32)
        tf = sparse.csr_matrix((counts, cols, indptr), shape=(n, width)).tocsc()
        df = np.diff(tf.indptr).astype(np.float32)
        idf = np.log(1 + (n - df + 0.5) / (df + 0.5)).astype(np.float32)
        average = float(lengths.mean()) if n else 1.0
        norm = (K1 * ((1 - B) + B * lengths / average)).astype(np.float32)
        starts = np.cumsum([0, *(len(p.ids) for p in parts.values())])[:-1].tolist()
        held = {
            d: Held(p.doc_id, p.version, p.ids, p.terms, p.key, s)
            for (d, p), s in zip(parts.items(), starts, strict=True)
        }
        return cls(ids, tokenizer, held, key, vocab, tf, norm, idf, lengths)

    def scores(self, terms: Sequence[str]) -> np.ndarray:
        """A BM25 score per clause, in ``ids`` order; zeros when no term is known. A term given twice
        counts twice, as in bm25s."""
        out = np.zeros(len(self.ids), dtype=np.float32)
        width = self.tf.shape[1]
        for col in self.vocab.lookup(terms):
            if col >= width:  # a token only a newer version of the library has
                continue
            start, end = self.tf.indptr[col], self.tf.indptr[col + 1]
            rows, tf = self.tf.indices[start:end], self.tf.data[start:end]
            out[rows] += self.idf[col] * (tf / (self.norm[rows] + tf))
        return out
