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

from langchain_core.documents import Document
from langchain_core.embeddings import Embeddings

from planqa.eval.gold import GoldItem
from planqa.ingest.loaders import load
from planqa.ingest.normalize import normalize_text
from planqa.library import Library, bundled_corpus, expand
from planqa.retrieval.embedders import Embedder

CHUNK, OVERLAP, K = 500, 50, 5


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


def run_baseline(items: Sequence[GoldItem], library: Library) -> BaselineScore:
    from langchain_chroma import Chroma
    from langchain_text_splitters import RecursiveCharacterTextSplitter

    splitter = RecursiveCharacterTextSplitter(chunk_size=CHUNK, chunk_overlap=OVERLAP)
    sources = {d.source for d in library.documents()}
    files, _ = expand([bundled_corpus()])
    docs = [
        Document(page_content=chunk, metadata={"source": f.name})
        for f in files
        if not sources or f.name in sources
        for chunk in splitter.split_text(load(f).text)
    ]
    store = Chroma(
        collection_name=f"baseline-{uuid.uuid4().hex[:8]}",
        embedding_function=_LangChainEmbeddings(library.embedder),
        collection_metadata={"hnsw:space": "cosine"},
    )
    store.add_documents(docs)
    answerable = [i for i in items if i.answerable]
    hit1 = hit5 = rr = correct = 0.0
    latencies: list[float] = []
    for item in answerable:
        started = time.perf_counter()
        found = store.similarity_search(item.standalone, k=K)
        latencies.append((time.perf_counter() - started) * 1000)
        texts = [normalize_text(d.page_content) for d in found]
        rank = next((r for r, t in enumerate(texts, 1) if any(span in t for span in item.evidence)), None)
        hit1 += rank == 1
        hit5 += rank is not None
        rr += 1 / rank if rank else 0.0
        top = texts[0] if texts else ""
        correct += all(m in top for m in item.must) and not any(m in top for m in item.must_not)
    store.delete_collection()
    n = len(answerable) or 1
    latencies.sort()
    return BaselineScore(
        chunks=len(docs),
        items=len(answerable),
        hit1=hit1 / n,
        hit5=hit5 / n,
        mrr=rr / n,
        answer_accuracy=correct / n,
        citation_accuracy=hit1 / n,
        p50_ms=latencies[len(latencies) // 2] if latencies else 0.0,
    )
