"""planqa's retriever as a LangChain ``BaseRetriever``, so it drops into any LangChain chain.

planqa works on its own frozen types; this adapter is the one place they become ``Document``s, with
the clause address (document, section, clause number, pages) as metadata.
"""

from __future__ import annotations

from typing import Any

from langchain_core.callbacks import CallbackManagerForRetrieverRun
from langchain_core.documents import Document
from langchain_core.retrievers import BaseRetriever
from pydantic import ConfigDict

from planqa.types import Clause, Hit


def clause_metadata(clause: Clause) -> dict[str, Any]:
    """The clause's address, in types every LangChain vector store and serializer accepts."""
    return {
        "doc": clause.doc_id,
        "doc_title": clause.doc_title,
        "doc_number": clause.doc_number,
        "kind": clause.kind,
        "section": " > ".join(clause.section),
        "clause": clause.label,
        "pages": ",".join(map(str, clause.pages)),
        "units": "、".join(clause.units),
        "clause_id": clause.id,
    }


def to_document(hit: Hit) -> Document:
    meta = clause_metadata(hit.clause) | {
        "score": round(hit.score, 4),
        "related": [c.label for c in hit.related],
    }
    return Document(page_content=hit.clause.text, metadata=meta, id=hit.clause.id)


class PlanRetriever(BaseRetriever):
    """Hybrid clause retrieval over a planqa ``Library`` (anything with ``search(query, k, doc_ids)``)."""

    model_config = ConfigDict(arbitrary_types_allowed=True)

    library: Any
    k: int = 5
    doc_ids: list[str] | None = None

    def _get_relevant_documents(self, query: str, *, run_manager: CallbackManagerForRetrieverRun) -> list[Document]:
        return [to_document(hit) for hit in self.library.search(query, self.k, self.doc_ids)]
