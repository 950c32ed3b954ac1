"""planqa's error hierarchy. ``str(err)`` is shown to users as-is, so every message says what
went wrong and what to do about it.

PlanqaError            base; the CLI and UI show it without a traceback
 ├─ CorpusError        a file that cannot become clauses: corrupt, encrypted, scanned, empty, binary
 ├─ IndexUnavailable        the clause index cannot be read or written (Chroma down, disk full, read-only)
 ├─ ModelError         the embedding model is missing or does not load
 ├─ UnknownDocument    a document id or title that is not indexed
 ├─ BadQuestion        blank, too long, or not text
 └─ BadConfig          a PLANQA_* setting that cannot be read (PLANQA_TOP_K=abc)
"""

from __future__ import annotations


class PlanqaError(Exception):
    """Base class: its message is meant for users."""


class CorpusError(PlanqaError):
    """A file could not be turned into clauses."""


class IndexUnavailable(PlanqaError):
    """The clause index could not be read or written."""


class ModelError(PlanqaError):
    """The embedding model could not be loaded."""


class UnknownDocument(PlanqaError):
    """No indexed document matches what the user named."""


class BadQuestion(PlanqaError):
    """A question that cannot be answered as given."""


class BadConfig(PlanqaError):
    """A setting from the environment or a flag that cannot be used as given."""
