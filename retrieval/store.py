"""The clause index in Chroma, with a document registry that makes each document's update atomic.

Chroma has no transactions, so consistency comes from versions: a document's clauses are staged
under its new version first (``stage``), then one registry record flips the document to that
version and the old version's clauses are deleted (``commit``). Readers only see clauses whose version the registry
names, so a crash at any point leaves either the old document or the new one, never a mix; the
orphans it may leave are removed by the next write. The registry lives in Chroma too, so a Chroma
server shares it between processes.
"""

from __future__ import annotations

import errno
import hashlib
import json
import logging
import shutil
import uuid
from collections.abc import Iterator, Sequence
from contextlib import AbstractContextManager, contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from planqa.errors import IndexUnavailable
from planqa.retrieval.embedders import slug
from planqa.types import Clause, DocumentInfo

log = logging.getLogger(__name__)
BATCH = 256  # Chroma caps batch size; a notice has a few hundred clauses at most
# Reads go a page at a time, well under SQLite's 32,766 variables (one per version in the filter,
# one per row returned): 500 notices' versions, 2,000 rows a page. Chroma keeps the memory of its
# largest page: reading 15,300 clauses grew a process by 269 MB with pages of 10,000 rows, by 97 MB
# with pages of 2,000 (and took 1.3 s instead of 2.1 s).
READ_DOCS, READ_ROWS = 500, 2_000
# The dense side's pool (40 candidates) must be the true nearest 40: at Chroma's default ef_search
# (100) HNSW missed 13 of them over the gold questions, and which it missed differed between two
# builds of the same index, so one question ranked differently on a fresh and a reused index, or
# embedded and through a server. At 150 and above it missed none; 200 leaves a margin.
SEARCH_EF = 200
# A dense search asks Chroma, unfiltered, for this many times the neighbours it needs per share of the
# index its documents hold, and keeps theirs; up to UNFILTERED_MAX neighbours, then it filters. On a
# 15,300-row index an unfiltered query took 1.8 ms for 80 neighbours and 6.2 ms for 1,280; a query
# filtered to every version 74 ms, to one notice 15 ms.
UNFILTERED_SLACK = 2
UNFILTERED_MAX = 1280
LOW_DISK = 8 * 1024 * 1024  # below this much free space, a failed write is blamed on the disk


CANONICAL = "canonical"  # the metadata flag of the one row per text that known_vectors reads
# The registry record every commit and removal rewrites: a reader compares it to the one it last saw
# instead of reading the whole registry. Through a Chroma server, reading 2,000 notices' records took
# about 250 ms of each answer at 1,000x; with one record, the whole reading of a question took 35 ms.
STAMP = "~registry-stamp"


@dataclass(frozen=True)
class StoredVectors:
    """What ``known_vectors`` found: vectors by text key, and the keys whose marked row belongs to
    another notice (rows written for those are not marked: one marked row per text)."""

    vectors: dict[str, list[float]]
    held: frozenset[str]


def text_key(text: str) -> str:
    """What a stored vector is keyed by: a hash of the text embedded (one model per collection)."""
    return hashlib.sha256(text.encode("utf-8")).hexdigest()[:20]


@contextmanager
def _chroma_errors(action: str, data_dir: Path | None = None) -> Iterator[None]:
    """Translate Chroma and OS failures at the edge into one user-facing error that says what to do."""
    try:
        yield
    except IndexUnavailable:
        raise
    except Exception as err:  # chromadb raises many internal types, and OSError from its own writes
        if isinstance(err, OSError):
            text = err.strerror or str(err)
        else:
            text = str(err).splitlines()[0][:200] if str(err) else type(err).__name__
        raise IndexUnavailable(f"could not {action}: {text}{_hint(text, err, data_dir)}") from err


def _hint(text: str, err: Exception, data_dir: Path | None) -> str:
    """What the user can do, when the cause can be told: a read-only or full data dir, a server gone."""
    lowered = text.lower()
    if "readonly" in lowered or "read-only" in lowered or getattr(err, "errno", None) == errno.EROFS:
        return (
            " (the data directory is read-only: Chroma writes to its index even to answer, so point "
            "PLANQA_DATA_DIR at a writable copy, or use a Chroma server with PLANQA_CHROMA_URL)"
        )
    if data_dir is not None:
        free = _free_bytes(data_dir)
        if getattr(err, "errno", None) == errno.ENOSPC or (free is not None and free < LOW_DISK):
            return (
                f" (the disk holding {data_dir} is full: {free // 1024 if free is not None else 0} KB free; "
                "free some space and run the command again: the index keeps its last complete state)"
            )
    if "connect" in lowered or "connection" in lowered:
        return " (is the Chroma server running? `planqa doctor` checks it)"
    return ""


def _free_bytes(folder: Path) -> int | None:
    try:
        return shutil.disk_usage(folder).free
    except OSError:
        return None


class ChromaStore:
    """Clauses and their vectors for one embedding model, plus the registry of indexed documents."""

    def __init__(self, client: Any, model_id: str, dim: int, data_dir: Path | None = None):
        self.model_id, self.dim, self.data_dir = model_id, dim, data_dir
        self.url = ""  # the Chroma server's, in server mode
        name = slug(model_id)
        with _chroma_errors("open the index", data_dir):
            self._clauses = client.get_or_create_collection(
                f"planqa-clauses-{name}",
                embedding_function=None,
                metadata={"hnsw:space": "cosine", "model": model_id, "dim": dim},
            )
            self._docs = client.get_or_create_collection(
                f"planqa-docs-{name}", embedding_function=None, metadata={"model": model_id}
            )
            hnsw = (self._clauses.configuration or {}).get("hnsw") or {}
            if int(hnsw.get("ef_search") or SEARCH_EF) < SEARCH_EF:  # also raises it in an older index
                self._clauses.modify(configuration={"hnsw": {"ef_search": SEARCH_EF}})
        stored = (self._clauses.metadata or {}).get("dim")
        if stored and int(stored) != dim:
            raise IndexUnavailable(
                f"the index for {model_id} holds {stored}-d vectors, the model gives {dim}-d; "
                "remove the data directory and ingest again"
            )

    @classmethod
    def open(cls, model_id: str, dim: int, data_dir: Path | None = None, url: str | None = None) -> ChromaStore:
        """Embedded Chroma under ``data_dir``, or a Chroma server at ``url`` (http://host:port)."""
        import chromadb
        from chromadb.config import Settings

        settings = Settings(anonymized_telemetry=False)
        with _chroma_errors(f"open the index at {url or data_dir}", None if url else data_dir):
            if url:
                from urllib.parse import urlparse

                parsed = urlparse(url)
                client = chromadb.HttpClient(
                    host=parsed.hostname or "localhost",
                    port=parsed.port or 8000,
                    ssl=parsed.scheme == "https",
                    settings=settings,
                )
            else:
                assert data_dir is not None
                (data_dir / "chroma").mkdir(parents=True, exist_ok=True)
                client = chromadb.PersistentClient(path=str(data_dir / "chroma"), settings=settings)
        store = cls(client, model_id, dim, None if url else data_dir)
        store.url = url or ""
        return store

    def _errors(self, action: str) -> AbstractContextManager[None]:
        return _chroma_errors(action, self.data_dir)

    # -- registry -------------------------------------------------------------------------------
    def documents(self) -> list[DocumentInfo]:
        with self._errors("read the document registry"):
            got = self._docs.get(include=["metadatas"])
        rows = zip(got["ids"], got["metadatas"] or [], strict=True)
        infos = [DocumentInfo.from_json(str(m["info"])) for i, m in rows if i != STAMP]
        return sorted(infos, key=lambda d: d.id)

    def stamp(self) -> str:
        """What the last commit or removal wrote (``STAMP``): unchanged, so is the registry. An index
        written before stamps is stamped here, before its registry is read (a stamp that changes only
        makes readers read the registry again); "" where it cannot be written: read it all."""
        with self._errors("read the document registry"):
            got = self._docs.get(ids=[STAMP], include=["metadatas"])
        if got["metadatas"]:
            return str(got["metadatas"][0].get("stamp", ""))
        try:
            with self._errors("stamp the document registry"):
                return self._touch()
        except IndexUnavailable:
            return ""

    def _touch(self) -> str:
        """A new stamp, written after the registry record and before the old clauses are deleted, so
        a reader that finds them gone finds the new stamp too."""
        stamp = uuid.uuid4().hex
        self._docs.upsert(ids=[STAMP], embeddings=[[1.0]], documents=[""], metadatas=[{"stamp": stamp}])
        return stamp

    def _active_versions(self) -> dict[str, str]:
        return {d.id: d.version for d in self.documents()}

    # -- writes ---------------------------------------------------------------------------------
    def known_vectors(self, texts: Sequence[str], doc_id: str = "") -> StoredVectors:
        """Stored vectors of these embedded texts (``Clause.index_text``), by ``text_key``: a clause
        whose text an earlier version (or another notice) already had is not embedded again.

        One row per text is marked as the one to read (``canonical``): a heading that a thousand
        notices share returned a thousand vectors, and at 300 notices that read was a quarter of each
        ingest. Texts with no marked row (rows written before the mark, or whose marked row left with
        its notice) are looked up unmarked, and the row written for them becomes the marked one."""
        keys = list(dict.fromkeys(text_key(t) for t in texts))
        if not keys:
            return StoredVectors({}, frozenset())
        marked = self._vector_rows({"$and": [{"text_key": {"$in": keys}}, {CANONICAL: True}]})
        held = frozenset(k for k, (owner, _) in marked.items() if owner != doc_id)
        missing = [k for k in keys if k not in marked]
        found = {**self._vector_rows({"text_key": {"$in": missing}}), **marked} if missing else marked
        return StoredVectors({k: v for k, (_, v) in found.items()}, held)

    def _vector_rows(self, where: dict[str, Any]) -> dict[str, tuple[str, list[float]]]:
        """text_key → (the row's document, its vector), for the rows this filter selects."""
        with self._errors("read vectors"):
            got = self._clauses.get(where=where, include=["embeddings", "metadatas"])
        embeddings = got["embeddings"] if got["embeddings"] is not None else []
        return {
            str(m["text_key"]): (str(m["doc_id"]), list(map(float, v)))
            for m, v in zip(got["metadatas"] or [], embeddings, strict=True)
        }

    def stage(
        self,
        info: DocumentInfo,
        clauses: Sequence[Clause],
        vectors: Sequence[Sequence[float]],
        held: frozenset[str] = frozenset(),
    ) -> None:
        """Write clauses under ``info.version``; readers do not see them until ``commit(info)``.
        A row is marked as its text's vector to read unless another notice's row is (``held``)."""
        with self._errors(f"write {info.source or info.id} to the index"):
            for start in range(0, len(clauses), BATCH):
                batch = clauses[start : start + BATCH]
                self._clauses.upsert(
                    ids=[f"{info.version}:{c.id}" for c in batch],
                    embeddings=[list(v) for v in vectors[start : start + BATCH]],
                    documents=[c.text for c in batch],
                    metadatas=[self._meta(info, c, held) for c in batch],
                )

    def commit(self, info: DocumentInfo) -> None:
        """The commit point: one registry record names the version readers see from now on; the
        clauses of any other version of the document are then deleted."""
        with self._errors(f"write {info.source or info.id} to the index"):
            self._docs.upsert(
                ids=[info.id],
                embeddings=[[1.0]],
                documents=[info.title],
                metadatas=[{"info": info.to_json(), "version": info.version}],
            )
            self._touch()
            self._clauses.delete(where={"$and": [{"doc_id": info.id}, {"version": {"$ne": info.version}}]})

    def remove(self, doc_id: str) -> None:
        with self._errors(f"remove {doc_id} from the index"):
            self._docs.delete(ids=[doc_id])  # invisible from here on
            self._touch()
            self._clauses.delete(where={"doc_id": doc_id})

    def collect_garbage(self) -> int:
        """Delete clauses that no registry record names (left by an interrupted write)."""
        active = self._active_versions()
        with self._errors("clean the index"):
            # Chroma filters, and returns ids only: reading every row's metadata took 1 s at 15,300 rows.
            where = {"version": {"$nin": sorted(set(active.values()))}} if active else None
            stale = list(self._clauses.get(where=where, include=[])["ids"])
            for start in range(0, len(stale), BATCH):
                self._clauses.delete(ids=stale[start : start + BATCH])
        if stale:
            log.info("removed %d clauses left by an interrupted ingest", len(stale))
        return len(stale)

    @staticmethod
    def _meta(info: DocumentInfo, clause: Clause, held: frozenset[str]) -> dict[str, str | int | bool]:
        key = text_key(clause.index_text)
        return {
            "doc_id": info.id,
            "version": info.version,
            "kind": clause.kind,
            "number": clause.number,
            "clause": json.dumps(clause.to_dict(), ensure_ascii=False),
            "text_key": key,
            CANONICAL: key not in held,
        }

    # -- reads ----------------------------------------------------------------------------------
    def clauses(self, doc_ids: Sequence[str] | None = None, versions: dict[str, str] | None = None) -> list[Clause]:
        """Every visible clause (of these documents), in document order.

        ``versions`` (document id → version) reads those versions, so that a caller that has just read
        the registry gets the clauses of exactly the documents it read, even if an ingest commits meanwhile.
        """
        active = versions if versions is not None else self._active_versions()
        wanted = [d for d in (doc_ids or active) if d in active]
        if not wanted:
            return []
        out = [Clause.from_dict(json.loads(str(m["clause"]))) for m in self._read_metadatas(active, wanted)]
        order = {d: i for i, d in enumerate(wanted)}
        return sorted(out, key=lambda c: (order[c.doc_id], c.span[0], c.part))

    def _read_metadatas(self, active: dict[str, str], wanted: Sequence[str]) -> Iterator[dict[str, Any]]:
        """The rows' metadata of these documents, read a page at a time: Chroma binds one SQL variable
        per row it returns, and SQLite allows 32,766, so one read of a 1,000× library (152,000 rows)
        failed with "too many SQL variables"."""
        for start in range(0, len(wanted), READ_DOCS):
            where = self._where(active, wanted[start : start + READ_DOCS])
            offset = 0
            while True:
                with self._errors("read clauses"):
                    got = self._clauses.get(where=where, include=["metadatas"], limit=READ_ROWS, offset=offset)
                rows = got["metadatas"] or []
                yield from rows
                if len(rows) < READ_ROWS:
                    break
                offset += READ_ROWS

    def nearest(
        self,
        vector: Sequence[float],
        k: int,
        doc_ids: Sequence[str] | None = None,
        versions: dict[str, str] | None = None,
    ) -> dict[str, float]:
        """The ``k`` clauses of these documents nearest a vector, as clause id → cosine similarity.

        Ids only: the caller holds the clauses (the snapshot), so no clause JSON is read back. Chroma's
        filter is the cost that grows with the index, and its filtered index search returns fewer
        than ``k`` when the filter is selective (33 of 40 for half of a 15,300-row index); so unless
        the documents are a small share of the index, the search asks for more neighbours, unfiltered,
        and keeps those of the documents' versions (``UNFILTERED_MAX``). ``versions`` (document id →
        active version) spares a registry read.
        """
        active = versions if versions is not None else self._active_versions()
        wanted = [d for d in (doc_ids or active) if d in active]
        if not wanted:
            return {}
        live = {active[d] for d in wanted}
        n = k * UNFILTERED_SLACK * -(-len(active) // len(wanted))
        while n <= UNFILTERED_MAX:
            found = self._query(vector, n, None)
            kept = [(i.split(":", 1)[1], s) for i, s in found.items() if i.split(":", 1)[0] in live]
            if len(kept) >= k or len(found) < n:  # enough, or the whole index was read
                return dict(kept[:k])
            n *= 2
        return {i.split(":", 1)[1]: s for i, s in self._query(vector, k, self._where(active, wanted)).items()}

    def _query(self, vector: Sequence[float], k: int, where: dict[str, Any] | None) -> dict[str, float]:
        """Row id → similarity of the ``k`` nearest rows (matching ``where``), nearest first."""
        with self._errors("search the index"):
            got = self._clauses.query(query_embeddings=[list(vector)], n_results=k, where=where, include=["distances"])
        ids = got["ids"][0] if got["ids"] else []
        dists = (got["distances"] or [[]])[0]
        return {i: 1.0 - float(d) for i, d in zip(ids, dists, strict=True)}

    def vectors(self, clauses: Sequence[Clause], versions: dict[str, str]) -> dict[str, list[float]]:
        """Stored vectors of these clauses (by clause id), to score candidates that dense search missed."""
        if not clauses:
            return {}
        ids = [f"{versions[c.doc_id]}:{c.id}" for c in clauses if c.doc_id in versions]
        with self._errors("read vectors"):
            got = self._clauses.get(ids=ids, include=["embeddings"])
        embeddings = got["embeddings"] if got["embeddings"] is not None else []
        return {i.split(":", 1)[1]: list(map(float, v)) for i, v in zip(got["ids"], embeddings, strict=True)}

    def ping(self) -> None:
        """Raise ``IndexUnavailable`` unless the index answers now (a server that went away, a deleted collection)."""
        with self._errors("reach the index"):
            self._docs.count()

    def count(self) -> int:
        with self._errors("count clauses"):
            return int(self._clauses.count())

    @staticmethod
    def _where(active: dict[str, str], wanted: Sequence[str]) -> dict[str, Any]:
        versions = [active[d] for d in wanted]
        if len(versions) == 1:
            return {"version": versions[0]}
        return {"version": {"$in": versions}}
