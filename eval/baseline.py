"""The textbook LangChain RAG pipeline, scored on the same gold items as planqa.

Each notice's text is split with ``RecursiveCharacterTextSplitter`` (500 characters, overlap 50),
embedded with the same e5 model planqa uses, stored in a LangChain ``Chroma`` vector store (in
memory), and searched top-5 by similarity; its answer is its top chunk. Its chunks are normalised
the same way planqa's clauses are before the evidence check, so only the structure differs.
"""

from __future__ import annotations

import time
import uuid
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from langchain_core.documents import Document
from langchain_core.embeddings import Embeddings

from planqa.eval.gold import GoldItem
from planqa.ingest.loaders import load
from planqa.ingest.normalize import normalize_text
from planqa.library import Library, bundled_corpus, expand
from planqa.retrieval.embedders import Embedder

CHUNK, OVERLAP, TOP_K = 500, 50, 5


class _LangChainEmbeddings(Embeddings):
    """planqa's embedder behind LangChain's interface, so both pipelines read the same vectors."""

    def __init__(self, embedder: Embedder):
        self.embedder = embedder

    def embed_documents(self, texts: list[str]) -> list[list[float]]:
        return self.embedder.embed_documents(texts)

    def embed_query(self, text: str) -> list[float]:
        return self.embedder.embed_query(text)


@dataclass
class BaselineScore:
    chunks: int
    items: int
    hit1: float
    hit5: float
    mrr: float
    answer_accuracy: float  # the top chunk contains every must string and no must_not
    citation_accuracy: float  # the top chunk (its answer) contains the evidence
    p50_ms: float


class BaselineIndex:
    """The baseline's index: chunks of the notices' text in a LangChain ``Chroma`` store (in memory)."""

    def __init__(self, store, chunks: int):  # type: ignore[no-untyped-def]
        self.store, self.chunks = store, chunks

    @classmethod
    def build(cls, files: Sequence[Path], embedder: Embedder) -> BaselineIndex:
        from langchain_chroma import Chroma
        from langchain_text_splitters import RecursiveCharacterTextSplitter

        splitter = RecursiveCharacterTextSplitter(chunk_size=CHUNK, chunk_overlap=OVERLAP)
        docs = [
            Document(page_content=chunk, metadata={"source": f.name})
            for f in files
            for chunk in splitter.split_text(load(f).text)
        ]
        store = Chroma(
            collection_name=f"baseline-{uuid.uuid4().hex[:8]}",
            embedding_function=_LangChainEmbeddings(embedder),
            collection_metadata={"hnsw:space": "cosine"},
        )
        for start in range(0, len(docs), 2000):  # Chroma caps one write's size
            store.add_documents(docs[start : start + 2000])
        return cls(store, len(docs))

    def search(self, question: str, k: int = TOP_K) -> list[str]:
        return [normalize_text(d.page_content) for d in self.store.similarity_search(question, k=k)]

    def close(self) -> None:
        self.store.delete_collection()


def run_baseline(items: Sequence[GoldItem], library: Library, folder: Path | None = None) -> BaselineScore:
    """The textbook pipeline over the files of ``folder`` (default: the bundled corpus) that the
    library holds, scored on the same items."""
    sources = {d.source for d in library.documents()}
    files, _ = expand([folder or bundled_corpus()])
    index = BaselineIndex.build([f for f in files if not sources or f.name in sources], library.embedder)
    answerable = [i for i in items if i.answerable]
    hit1 = hit5 = rr = correct = 0.0
    latencies: list[float] = []
    for item in answerable:
        started = time.perf_counter()
        texts = index.search(item.standalone)
        latencies.append((time.perf_counter() - started) * 1000)
        rank = next((r for r, t in enumerate(texts, 1) if any(span in t for span in item.evidence)), None)
        hit1 += rank == 1
        hit5 += rank is not None
        rr += 1 / rank if rank else 0.0
        top = texts[0] if texts else ""
        correct += all(m in top for m in item.must) and not any(m in top for m in item.must_not)
    index.close()
    n = len(answerable) or 1
    latencies.sort()
    return BaselineScore(
        chunks=index.chunks,
        items=len(answerable),
        hit1=hit1 / n,
        hit5=hit5 / n,
        mrr=rr / n,
        answer_accuracy=correct / n,
        citation_accuracy=hit1 / n,
        p50_ms=latencies[len(latencies) // 2] if latencies else 0.0,
    )
