"""The indexed library of notices: ingest files, list and remove documents, search clauses.

This is the only place where ingest (files → clauses) meets the index (clauses → Chroma), so the
CLI, the web UI and the eval runner share one ingest path with one set of guarantees.
"""

from __future__ import annotations

import hashlib
import logging
import re
import shutil
import threading
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from importlib import resources
from pathlib import Path
from typing import TypeVar

from planqa.catalog import Catalog
from planqa.config import Config
from planqa.errors import CorpusError, IndexUnavailable, PlanqaError, UnknownDocument
from planqa.ingest.grammar import parse
from planqa.ingest.loaders import RawDocument, is_document, load
from planqa.ingest.targets import extract_targets
from planqa.retrieval.corpus import Corpus, StaleCorpus, signature
from planqa.retrieval.coverage import Coverage
from planqa.retrieval.embedders import Embedder, get_embedder
from planqa.retrieval.hybrid import HybridRetriever, Weights
from planqa.retrieval.store import ChromaStore, text_key
from planqa.types import Clause, DocumentInfo, Hit, ParsedDocument

log = logging.getLogger(__name__)
EMBED_BATCH = 32
ORIGINALS = "originals"  # <data dir>/originals/<sha256[:16]>/<file>.pdf: the PDFs pages are shown from
SEARCH_ATTEMPTS = 3  # an ingest commits one document at a time; three tries outlast all but a storm
T = TypeVar("T")

Progress = Callable[[str, int, int], None]  # (stage, done, total)


@dataclass
class IngestReport:
    added: list[DocumentInfo] = field(default_factory=list)
    replaced: list[DocumentInfo] = field(default_factory=list)
    unchanged: list[DocumentInfo] = field(default_factory=list)
    failed: list[tuple[str, str]] = field(default_factory=list)  # (file name, reason): documents that did not go in
    ignored: list[tuple[str, str]] = field(default_factory=list)  # (file name, reason): not documents at all
    superseded: dict[str, DocumentInfo] = field(default_factory=dict)  # id → the version a replacement removed
    warnings: list[tuple[str, str]] = field(default_factory=list)  # (file name, note): went in, with a caveat
    clauses: int = 0
    targets: int = 0  # quantified targets the parser read off the new clauses


def doc_id_for(path: Path) -> str:
    """A stable, readable id from the file name: ``赣府发2023-1 通知.pdf`` → ``赣府发2023-1-通知``."""
    return _slug(path.stem) or "document"


def _slug(text: str) -> str:
    """Words, digits, CJK, dots and dashes only, spaces and underscores as dashes."""
    return re.sub(r"[^\w\-.\u3400-\u9fff]", "", re.sub(r"[\s_]+", "-", text.strip())).strip("-.")


def unique_id(info: DocumentInfo, known: Mapping[str, DocumentInfo]) -> str:
    """The file-name id, or, when another notice already has it, that id with this notice's 文号
    (``实施方案-辛政发-2024-3号``), or with a piece of its content hash when it has no 文号."""
    if info.id not in known:
        return info.id
    number = re.sub(r"[〔〕\[\]()（）]+", "-", info.number).strip("-")
    for suffix in (_slug(number), info.digest[:8], info.digest[:16]):
        candidate = f"{info.id}-{suffix}"
        if suffix and candidate not in known:
            return candidate
    return f"{info.id}-{len(known)}"


def with_id(parsed: ParsedDocument, doc_id: str) -> ParsedDocument:
    """The same parse under another document id (clause ids hash it, so they change with it)."""
    if parsed.info.id == doc_id:
        return parsed
    clauses = tuple(replace(c, doc_id=doc_id) for c in parsed.clauses)
    return ParsedDocument(replace(parsed.info, id=doc_id), parsed.text, clauses)


def expand(paths: Iterable[Path]) -> tuple[list[Path], list[tuple[str, str]]]:
    """Files to ingest from files and folders; folders contribute their documents only."""
    files: list[Path] = []
    ignored: list[tuple[str, str]] = []
    for path in paths:
        path = Path(path)
        if path.is_dir():
            for child in sorted(path.rglob("*")):
                if child.is_file() and is_document(child):
                    files.append(child)
                elif child.is_file() and not child.name.startswith((".", "__")) and "__pycache__" not in child.parts:
                    ignored.append((child.name, "not a document (.pdf, .txt, .md, .docx)"))
        else:
            files.append(path)  # a missing or unsupported file fails in load() with a clear reason
    return files, ignored


def bundled_corpus() -> Path:
    """The folder of notices that ship with planqa."""
    return Path(str(resources.files("planqa.corpus")))


def _parse(raw: RawDocument, path: Path) -> ParsedDocument:
    """Parse one file. Any failure of the parser is this file's failure, in words for the user; the
    traceback goes to the log, for us, and the rest of the batch goes on."""
    try:
        parsed = parse(raw, doc_id_for(path))
    except PlanqaError:
        raise
    except Exception as err:
        # INFO, not ERROR: the report already says it in one line; `planqa -v` shows the traceback.
        log.info("parsing %s failed", path.name, exc_info=True)
        raise CorpusError(
            f"{path.name}: 无法识别文件结构，已跳过（{type(err).__name__}；planqa -v 显示详情）/ "
            "its structure could not be read; skipped"
        ) from err
    if not parsed.clauses:
        raise CorpusError(f"{path.name}: 文中未找到条款 / no clauses found in the text")
    return parsed


@dataclass(frozen=True)
class Snapshot:
    """One registry version of the library: everything an answer reads besides the question.

    Built once per version (``Library.snapshot``) and shared by every answer of that version, so an
    answer's hits, its targets table and its coverage weights all come from one set of documents.
    """

    corpus: Corpus  # documents, clauses, keyword index, source groups (what retrieval searches)
    catalog: Catalog  # targets and derived-from links (what answering reads besides the hits)
    coverage: Coverage  # rarity weights of the clauses' bigrams (when a clause covers a question)

    @property
    def version(self) -> str:
        return self.corpus.version

    @property
    def docs(self) -> tuple[DocumentInfo, ...]:
        return self.corpus.docs

    @property
    def short_version(self) -> str:
        """A short name for the version (the full one lists every document): what feedback records."""
        return hashlib.sha1(self.version.encode()).hexdigest()[:12]


class Library:
    """The indexed notices: ingest files into the store (versioned, atomic per document), remove them,
    and search them through the hybrid retriever. One per data dir; safe to share between threads.
    """

    def __init__(
        self, store: ChromaStore, embedder: Embedder, folder: Path | None = None, weights: Weights | None = None
    ):
        self.store, self.embedder, self.data_dir = store, embedder, folder
        self.retriever = HybridRetriever(store, embedder, folder, weights)
        self._snapshot: Snapshot | None = None
        self._stamped: tuple[str, Snapshot] | None = None  # the registry stamp the snapshot was read under
        self._lock = threading.Lock()

    @classmethod
    def from_config(cls, config: Config) -> Library:
        embedder = get_embedder(config.embed_model, config.data_dir)
        store = ChromaStore.open(
            embedder.model_id, embedder.dim, data_dir=config.data_dir, url=config.chroma_url or None
        )
        return cls(store, embedder, config.data_dir, Weights.fitted() if config.fusion == "fitted" else None)

    @classmethod
    def embedded(cls, embedder: Embedder, data_dir: Path, weights: Weights | None = None) -> Library:
        """An embedded library in a folder of its own over a model already loaded: the eval's notices
        and the benchmark's indexes go there, never into the user's index."""
        store = ChromaStore.open(embedder.model_id, embedder.dim, data_dir=data_dir, url=None)
        return cls(store, embedder, data_dir, weights)

    # -- ingest ---------------------------------------------------------------------------------
    def ingest(self, paths: Sequence[Path], progress: Progress | None = None) -> IngestReport:
        """Ingest files and folders. A bad file is reported and skipped; the others still go in.

        A file is matched to the indexed notices by what it is (``DocumentInfo.same_notice``), not by
        its name: the same file again is unchanged, a new version of a notice replaces it (and the
        report says which), and another notice under a name already taken is added beside it.
        """
        files, ignored = expand(paths)
        report = IngestReport(ignored=ignored)
        self.store.collect_garbage()  # once per batch: orphans exist only after an interrupted ingest
        known = {d.id: d for d in self.store.documents()}
        for index, path in enumerate(files):
            if progress:
                progress(f"读取 {path.name}", index, len(files))
            try:
                raw = load(path)
                same = next((d for d in known.values() if d.version == raw.version), None)
                if same is not None:
                    report.unchanged.append(same)
                    continue
                parsed = _parse(raw, path)
                previous = next((d for d in known.values() if d.same_notice(parsed.info)), None)
                doc_id = previous.id if previous else unique_id(parsed.info, known)
                parsed = with_id(parsed, doc_id)
                self._write(parsed, progress)
                self._keep_original(path, parsed.info, report)
            except PlanqaError as err:
                reason = str(err).removeprefix(f"{path.name}: ")
                log.info("skipping %s: %s", path.name, reason)  # the report says it to the user, once
                report.failed.append((path.name, reason))
                continue
            if previous:
                report.replaced.append(parsed.info)
                report.superseded[doc_id] = previous
            else:
                report.added.append(parsed.info)
            report.clauses += len(parsed.clauses)
            report.targets += sum(len(extract_targets(c, parsed.info.jurisdiction)) for c in parsed.clauses)
            known[doc_id] = parsed.info
        if report.added or report.replaced:
            if progress:
                progress("更新关键词索引", len(files), len(files))
            self.snapshot()  # the keyword index and targets of the new version, before the first question
            self._prune_originals()
        if progress:
            progress("完成", len(files), len(files))
        return report

    def _write(self, parsed: ParsedDocument, progress: Progress | None) -> None:
        """Embed and stage the clauses batch by batch (memory stays flat, progress is real), then commit:
        until the commit, readers see the document's previous version, or none."""
        clauses = parsed.clauses
        for start in range(0, len(clauses), EMBED_BATCH):
            batch = clauses[start : start + EMBED_BATCH]
            vectors, held = self._vectors([c.index_text for c in batch], parsed.info.id)
            self.store.stage(parsed.info, batch, vectors, held)
            if progress:
                progress(f"向量化 {parsed.info.source}", start + len(batch), len(clauses))
        self.store.commit(parsed.info)

    def _vectors(self, texts: list[str], doc_id: str) -> tuple[list[list[float]], frozenset[str]]:
        """Vectors of these texts: the stored ones of texts already embedded (an unchanged clause of
        a new version, or a re-parse after an upgrade), the model's for the rest; and the texts whose
        stored vector another notice's row holds."""
        stored = self.store.known_vectors(texts, doc_id)
        known = stored.vectors
        new = list(dict.fromkeys(t for t in texts if text_key(t) not in known))
        if new:
            known.update(zip(map(text_key, new), map(list, self.embedder.embed_documents(new)), strict=True))
        return [known[text_key(t)] for t in texts], stored.held

    # -- original files -----------------------------------------------------------------------
    def original(self, doc: DocumentInfo) -> Path | None:
        """The original PDF of a notice, kept under the data dir at ingest (for its page view)."""
        if self.data_dir is None or not doc.digest or not doc.source.lower().endswith(".pdf"):
            return None
        path = self.data_dir / ORIGINALS / doc.digest[:16] / Path(doc.source).name
        return path if path.is_file() else None

    def _keep_original(self, path: Path, info: DocumentInfo, report: IngestReport) -> None:
        """Keep a PDF's bytes beside the index (officials see the signed page; the upload or the
        file ingested may be gone later), and say which of its pages have no text layer."""
        if path.suffix.lower() != ".pdf" or self.data_dir is None or not info.digest:
            return
        from planqa.ingest.pages import pages_without_text

        target = self.data_dir / ORIGINALS / info.digest[:16] / path.name
        try:
            if not target.exists():
                target.parent.mkdir(parents=True, exist_ok=True)
                shutil.copyfile(path, target)
        except OSError as err:
            log.warning("could not keep a copy of %s for its page view: %s", path.name, err.strerror or err)
        try:
            blank = pages_without_text(path)
        except Exception:  # pdfium reads what pypdf read; a page view is a bonus, never a failure
            blank = []
        if blank:
            pages = "、".join(map(str, blank[:12])) + ("…" if len(blank) > 12 else "")
            report.warnings.append(
                (path.name, f"pages {pages} have no text layer (scanned?): not indexed; OCR them to add their text")
            )

    def _prune_originals(self) -> None:
        """Delete kept originals that no indexed notice comes from (a removed or replaced version)."""
        folder = self.data_dir / ORIGINALS if self.data_dir else None
        if folder is None or not folder.is_dir():
            return
        kept = {d.digest[:16] for d in self.store.documents() if d.digest}
        for sub in folder.iterdir():
            if sub.is_dir() and sub.name not in kept:
                shutil.rmtree(sub, ignore_errors=True)

    def ensure_corpus(self, progress: Progress | None = None) -> IngestReport | None:
        """On first run (empty index), ingest the bundled notices so the first question has answers."""
        if self.store.documents():
            return None
        log.info("index is empty: ingesting the bundled corpus")
        return self.ingest([bundled_corpus()], progress)

    def health(self) -> str | None:
        """None while the index answers, else the one-line reason (for the web page's banner)."""
        try:
            self.store.ping()
        except PlanqaError as err:
            return str(err)
        return None

    # -- documents ------------------------------------------------------------------------------
    def documents(self) -> list[DocumentInfo]:
        return self.store.documents()

    def resolve(self, name: str) -> DocumentInfo:
        """A document by id, 文号, file name or (part of) its title; several matches are an error
        that lists them (two notices are often both called 实施方案.pdf)."""
        docs = self.store.documents()
        exact = [d for d in docs if name == d.id] or [d for d in docs if name in (d.number, d.source, d.title)]
        matches = exact or [d for d in docs if name and (name in d.title or name in d.id)]
        if len(matches) == 1:
            return matches[0]
        known = "、".join(d.id for d in docs) or "none yet"
        if matches:
            raise UnknownDocument(f"{name!r} matches several documents: {'、'.join(d.id for d in matches)}")
        raise UnknownDocument(f"no indexed document {name!r}; indexed: {known}")

    def remove(self, name: str) -> DocumentInfo:
        doc = self.resolve(name)
        self.store.remove(doc.id)
        self.snapshot()
        self._prune_originals()
        return doc

    def clauses(self, name: str | None = None) -> list[Clause]:
        return self.store.clauses([self.resolve(name).id] if name else None)

    # -- the snapshot -----------------------------------------------------------------------------
    def snapshot(self) -> Snapshot:
        """The library at the registry's current version: one registry read, and the rest only when
        the version changed since the last call (another process may have ingested meanwhile). The
        registry's stamp is read first: while it is the one the snapshot was read under, nothing was
        committed or removed since, and the registry is not read again."""
        stamp = self.store.stamp()  # before the registry: a commit in between only costs a re-read
        stamped = self._stamped
        if stamp and stamped is not None and stamped[0] == stamp:
            return stamped[1]
        docs = self.store.documents()
        version = signature(docs)
        snap = self._snapshot
        if snap is not None and snap.version == version:
            self._stamped = (stamp, snap)
            return snap
        with self._lock:  # one build per version, however many sessions ask at once
            snap = self._snapshot
            if snap is None or snap.version != version:
                snap = self._next(snap, docs)
                self._snapshot = snap
            self._stamped = (stamp, snap)  # one value: a reader never pairs one stamp with another's snapshot
            return snap

    def _next(self, previous: Snapshot | None, docs: Sequence[DocumentInfo]) -> Snapshot:
        """The snapshot of ``docs``, built on ``previous``: unchanged documents are not read again."""
        corpus = self.retriever.corpus(docs, previous.corpus if previous else None)
        if previous is None:
            return Snapshot(corpus, Catalog(corpus.docs, corpus.clauses), Coverage(corpus.clauses))
        ours = set(corpus.by_id)
        removed = [c for c in previous.corpus.clauses if c.id not in ours]
        added = [c for c in corpus.clauses if c.id not in previous.corpus.by_id]
        coverage = previous.coverage.updated(corpus.clauses, removed, added)
        return Snapshot(corpus, Catalog(corpus.docs, corpus.clauses, previous.catalog), coverage)

    def consistent(self, work: Callable[[Snapshot], T]) -> T:
        """``work`` on the current snapshot, again on a fresh one if an ingest deleted clauses under it."""
        for _ in range(SEARCH_ATTEMPTS):
            try:
                return work(self.snapshot())
            except StaleCorpus:
                log.info("the index changed during a search; searching the new version")
        raise IndexUnavailable("the index kept changing while answering (an ingest is running); ask again")

    def catalog(self) -> Catalog:
        """The targets table and derived-from links of the indexed notices, rebuilt when they change."""
        return self.snapshot().catalog

    def search(self, query: str, k: int = 5, doc_ids: Sequence[str] | None = None) -> list[Hit]:
        """The best ``k`` sources for a question (hybrid retrieval; see ``retrieval/hybrid.py``)."""
        return self.consistent(lambda snap: self.retriever.search(query, snap.corpus, k, doc_ids))
