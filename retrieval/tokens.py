"""Token counts per document version: what the keyword index is assembled from, kept and persisted.

Tokenising is the keyword index's cost (0.6 ms a clause with jieba: 94 s for a 150,000-clause
library), so a document's counts are cut once per version and kept: in memory by the library's
snapshot, on disk beside Chroma (``TokenStore``), where another process finds them.
"""

from __future__ import annotations

import hashlib
import logging
import os
import re
import threading
from collections import Counter
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from planqa.types import Clause, DocumentInfo

log = logging.getLogger(__name__)
EMPTY = "∅"  # the token of a clause with no other (bm25s's convention, which keeps lengths as they were)
_SEP = "\x1f"  # between tokens in a saved file: no token holds it (tokens are words and character pairs)


class Vocabulary:
    """Token → column, append-only and shared by the library's versions in one process, so the counts
    kept from one version are columns of the next."""

    def __init__(self) -> None:
        self._cols: dict[str, int] = {}
        self.tokens: list[str] = []
        self._lock = threading.Lock()

    def __len__(self) -> int:
        return len(self.tokens)

    def add(self, tokens: Iterable[str]) -> np.ndarray:
        with self._lock:
            cols = []
            for token in tokens:
                col = self._cols.get(token)
                if col is None:
                    col = self._cols[token] = len(self.tokens)
                    self.tokens.append(token)
                cols.append(col)
        return np.asarray(cols, dtype=np.int32)

    def lookup(self, tokens: Iterable[str]) -> list[int]:
        """The columns of the known tokens, repeats kept."""
        return [self._cols[t] for t in tokens if t in self._cols]


Row = tuple[np.ndarray, np.ndarray, int]  # columns, counts, length


@dataclass(frozen=True)
class DocTokens:
    """One document version's clauses as rows of token counts (CSR over a ``Vocabulary``)."""

    doc_id: str
    version: str
    ids: tuple[str, ...]
    terms: frozenset[str]  # the document's own domain terms (``lexical.domain_terms``)
    key: str  # the term set its clauses were cut with (``lexical.terms_key``)
    indptr: np.ndarray
    cols: np.ndarray
    counts: np.ndarray
    lengths: np.ndarray  # tokens per clause, repeats counted
    recut: int = 0  # clauses cut by the tokenizer when these counts were made (0: all carried over)

    def row(self, i: int) -> Row:
        start, end = self.indptr[i], self.indptr[i + 1]
        return self.cols[start:end], self.counts[start:end], int(self.lengths[i])

    @classmethod
    def from_rows(
        cls, doc: DocumentInfo, ids: Sequence[str], terms: frozenset[str], key: str, rows: list[Row], recut: int
    ) -> DocTokens:
        indptr = np.cumsum([0, *(len(r[0]) for r in rows)], dtype=np.int64)
        cols = np.concatenate([r[0] for r in rows]) if rows else np.zeros(0, dtype=np.int32)
        counts = np.concatenate([r[1] for r in rows]) if rows else np.zeros(0, dtype=np.float32)
        lengths = np.asarray([r[2] for r in rows], dtype=np.float32)
        cols = cols.astype(np.int32)
        return cls(doc.id, doc.version, tuple(ids), terms, key, indptr, cols, counts, lengths, recut)

    @classmethod
    def cut(
        cls,
        doc: DocumentInfo,
        clauses: Sequence[Clause],
        terms: frozenset[str],
        key: str,
        tokenize: Callable[[str], list[str]],
        vocab: Vocabulary,
        previous: DocTokens | None = None,
        changed: frozenset[str] | None = None,
    ) -> DocTokens:
        """The counts of a document's clauses. Given its ``previous`` counts (cut with another term set)
        and the terms that ``changed``, only the clauses that contain a changed term are cut again: a
        cut depends on the dictionary only where a dictionary word occurs (``ChineseTokenizer``)."""
        ids = [c.id for c in clauses]
        reuse = previous is not None and changed is not None and list(previous.ids) == ids
        alternatives = sorted(changed or (), key=len, reverse=True)
        pattern = re.compile("|".join(map(re.escape, alternatives))) if alternatives else None
        rows: list[Row] = []
        recut = 0
        for i, clause in enumerate(clauses):
            text = clause.index_text
            if reuse and previous and (pattern is None or not pattern.search(text.lower())):
                rows.append(previous.row(i))
                continue
            tokens = tokenize(text) or [EMPTY]
            recut += 1
            counted = Counter(tokens)
            rows.append((vocab.add(counted), np.fromiter(counted.values(), np.float32, len(counted)), len(tokens)))
        return cls.from_rows(doc, ids, terms, key, rows, recut)


def _name(doc_id: str) -> str:
    return hashlib.sha1(doc_id.encode()).hexdigest()[:16]


class TokenStore:
    """``DocTokens`` on disk, one file per document version, and the term sets they were cut with.

    Files are written to a temporary name and renamed, so a reader never sees half of one; a file
    that cannot be read is cut again (it is only a cache).
    """

    def __init__(self, folder: Path):
        self.folder = folder

    def _path(self, doc_id: str, version: str) -> Path:
        return self.folder / "docs" / f"{_name(doc_id)}-{hashlib.sha1(version.encode()).hexdigest()[:16]}.npz"

    def load(self, doc_id: str, version: str, vocab: Vocabulary) -> DocTokens | None:
        path = self._path(doc_id, version)
        try:
            with np.load(path, allow_pickle=False) as f:
                text = {name: str(f[name]) for name in ("doc_id", "version", "key", "ids", "terms", "vocab")}
                if (text["doc_id"], text["version"]) != (doc_id, version):
                    return None
                cols = f["cols"]
                if cols.size:
                    cols = vocab.add(text["vocab"].split(_SEP))[cols]
                ids, terms = (tuple(filter(None, text[name].split(_SEP))) for name in ("ids", "terms"))
                counts, lengths = f["counts"], f["lengths"]
                return DocTokens(
                    doc_id,
                    version,
                    ids,
                    frozenset(terms),
                    text["key"],
                    f["indptr"],
                    cols.astype(np.int32),
                    counts,
                    lengths,
                )
        except FileNotFoundError:
            return None
        except (OSError, ValueError, KeyError, IndexError) as err:
            log.info("token counts at %s not usable (%s): cutting again", path, err)
            return None

    def terms(self, key: str) -> frozenset[str] | None:
        try:
            return frozenset(filter(None, (self.folder / "terms" / f"{key}.txt").read_text("utf-8").split("\n")))
        except OSError:
            return None

    def save(self, parts: Sequence[DocTokens], terms: Sequence[str], vocab: Vocabulary) -> None:
        """Write these documents' counts (in their own small vocabularies) and the current term set."""
        try:
            self._write(self.folder / "terms" / f"{parts[0].key}.txt", "\n".join(terms).encode()) if parts else None
            for part in parts:
                used, local = np.unique(part.cols, return_inverse=True)
                path = self._path(part.doc_id, part.version)
                path.parent.mkdir(parents=True, exist_ok=True)
                for old in path.parent.glob(f"{_name(part.doc_id)}-*.npz"):  # earlier versions of the document
                    if old != path and ".tmp" not in old.name:
                        old.unlink(missing_ok=True)
                tmp = path.with_suffix(f".{os.getpid()}.tmp.npz")
                np.savez(
                    tmp,
                    doc_id=np.asarray(part.doc_id),
                    version=np.asarray(part.version),
                    key=np.asarray(part.key),
                    ids=np.asarray(_SEP.join(part.ids)),
                    terms=np.asarray(_SEP.join(sorted(part.terms))),
                    vocab=np.asarray(_SEP.join(vocab.tokens[c] for c in used)),
                    indptr=part.indptr,
                    cols=local.astype(np.int32),
                    counts=part.counts,
                    lengths=part.lengths,
                )
                tmp.replace(path)
        except OSError as err:  # only a cache for the next start: answer from memory
            log.warning("could not save the keyword index to %s: %s", self.folder, err.strerror or err)

    def _write(self, path: Path, data: bytes) -> None:
        if path.exists():
            return
        path.parent.mkdir(parents=True, exist_ok=True)
        tmp = path.with_name(f"{path.name}.{os.getpid()}.tmp")
        tmp.write_bytes(data)
        tmp.replace(path)
