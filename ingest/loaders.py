"""Read a notice from disk into raw text, keeping page boundaries where the format has them.

Each loader turns its library's failures into a ``CorpusError`` whose message says what is wrong
with the file and what to do, so a bad file in a batch is reported and skipped, never half-indexed.
"""

from __future__ import annotations

import functools
import hashlib
import itertools
import logging
import re
import zipfile
from bisect import bisect_right
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from planqa.errors import CorpusError

log = logging.getLogger(__name__)

TEXT_SUFFIXES = (".txt", ".md")
DOCUMENT_SUFFIXES = (*TEXT_SUFFIXES, ".pdf", ".docx")
MAX_FILE_BYTES = 50 * 1024 * 1024  # a plan notice is kilobytes; 50 MB is already suspicious
MAX_DOCX_UNZIPPED = 200 * 1024 * 1024  # zip-bomb guard for .docx
MIN_TEXT_CHARS = 20


@dataclass(frozen=True)
class RawDocument:
    """A file's text as extracted, before normalisation."""

    source: Path
    text: str  # pages separated by "\f" when the format has pages
    page_starts: tuple[int, ...] = ()  # raw offset where each page begins; () without pages
    wrapped: bool = False  # lines are visual lines (PDF), not paragraphs
    digest: str = ""  # sha256 of the file's bytes

    @property
    def version(self) -> str:
        """The version its clauses are indexed under: the file's bytes *and* the ingest code that parsed
        them, so that after an upgrade re-ingesting an unchanged file re-parses it instead of keeping
        clauses that an older grammar split differently."""
        return hashlib.sha256(f"{self.digest}:{ingest_fingerprint()}".encode()).hexdigest()[:16]

    def page_of(self, offset: int) -> int | None:
        """1-based page holding raw ``offset``, or None for formats without pages."""
        if not self.page_starts:
            return None
        return bisect_right(self.page_starts, offset)


# Modules of this package whose output is derived when a snapshot is read (targets, links between
# notices, the bigrams they compare in), never stored: tuning them must not re-ingest every file.
DERIVED = ("targets.py", "quantities.py", "links.py", "parents.py", "grams.py")


@functools.cache
def ingest_fingerprint() -> str:
    """A hash of the source that turns a file into stored clauses: loaders, normalisation, grammar,
    front matter, tables, units, places (``DERIVED`` modules excepted)."""
    digest = hashlib.sha256()
    for module in sorted(Path(__file__).parent.glob("*.py")):
        if module.name not in DERIVED:
            digest.update(module.read_bytes())
    return digest.hexdigest()[:12]


def is_document(path: Path) -> bool:
    return path.suffix.lower() in DOCUMENT_SUFFIXES and not path.name.startswith((".", "~$"))


def load(path: Path) -> RawDocument:
    """Read one file. Raises CorpusError with a one-line reason for anything unusable."""
    path = Path(path)
    if not path.is_file():
        raise CorpusError(f"{path.name}: no such file")
    suffix = path.suffix.lower()
    if suffix not in DOCUMENT_SUFFIXES:
        raise CorpusError(f"{path.name}: unsupported file type {suffix or '(none)'}; use .pdf, .txt, .md or .docx")
    size = path.stat().st_size
    if size == 0:
        raise CorpusError(f"{path.name}: the file is empty")
    if size > MAX_FILE_BYTES:
        raise CorpusError(
            f"{path.name}: {size // 1_048_576} MB is larger than the {MAX_FILE_BYTES // 1_048_576} MB limit"
        )
    data = path.read_bytes()
    digest = hashlib.sha256(data).hexdigest()
    if suffix == ".pdf":
        doc = _load_pdf(path, data, digest)
    elif suffix == ".docx":
        doc = _load_docx(path, data, digest)
    else:
        doc = RawDocument(path, decode_text(data, path.name), digest=digest)
    if len(re.sub(r"\s", "", doc.text)) < MIN_TEXT_CHARS:
        raise CorpusError(f"{path.name}: no text to index (only {len(doc.text.strip())} characters)")
    return doc


def decode_text(data: bytes, name: str) -> str:
    """Decode UTF-8 (with or without BOM), UTF-16 with BOM, or GB18030/GBK, which covers Chinese files."""
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        return data.decode("utf-16")
    if b"\x00" in data[:4096]:
        raise CorpusError(f"{name}: looks like a binary file, not text")
    for encoding in ("utf-8-sig", "gb18030"):
        try:
            text = data.decode(encoding)
        except UnicodeDecodeError:
            continue
        if encoding != "utf-8-sig":
            log.info("%s: decoded as %s", name, encoding)
        return text
    raise CorpusError(f"{name}: not UTF-8 or GB18030/GBK text; save it as UTF-8 and try again")


def _load_pdf(path: Path, data: bytes, digest: str) -> RawDocument:
    import io

    from pypdf import PdfReader
    from pypdf.errors import PyPdfError

    if not data.lstrip()[:5].startswith(b"%PDF"):
        raise CorpusError(f"{path.name}: not a PDF file (no %PDF header)")
    if b"%%EOF" not in data[-2048:]:
        # pypdf would read what is there and index half a notice without a word; a cut-off download
        # or copy is the usual cause, and the user can fix it.
        raise CorpusError(f"{path.name}: the PDF is incomplete (no end-of-file marker); copy or download it again")
    try:
        reader = PdfReader(io.BytesIO(data))
        if reader.is_encrypted and not reader.decrypt(""):
            raise CorpusError(f"{path.name}: the PDF is password-protected; remove the password and try again")
        pages = [_page_text(page) for page in reader.pages]
    except CorpusError:
        raise
    except (PyPdfError, ValueError, KeyError, TypeError, AttributeError, OSError, RecursionError) as err:
        raise CorpusError(f"{path.name}: the PDF is damaged and cannot be read ({type(err).__name__})") from err
    except Exception as err:  # pypdf raises many internal types on damaged input
        raise CorpusError(f"{path.name}: the PDF is damaged and cannot be read ({type(err).__name__})") from err
    if not pages:
        raise CorpusError(f"{path.name}: the PDF has no pages")
    if not any(re.search(r"\S", p) for p in pages):
        raise CorpusError(
            f"{path.name}: the PDF has no text layer (a scanned image?); run OCR on it first, then ingest the result"
        )
    pages = [_column_gaps(page) for page in pages]
    starts, offset = [], 0
    for page in pages:
        starts.append(offset)
        offset += len(page) + 1
    return RawDocument(path, "\f".join(pages), tuple(starts), wrapped=True, digest=digest)


# A paragraph's first line stands this many line gaps below the line above it, or more: a printed
# notice that does not indent its paragraphs separates them by space (1.5 lines and up); wrapped lines
# of one paragraph sit one line gap apart (measured on ../shared/repro/jiangxi-plan-printed.pdf: 17.6
# pt between lines, 35.2 pt between paragraphs).
PARAGRAPH_GAP = 1.4


def _page_text(page: Any) -> str:
    """A page's text as pypdf extracts it, with a paragraph that opens after a blank space marked as
    indented (two spaces), as a text file marks it: the grammar starts a paragraph there, not only
    where a line falls short of the full width."""
    chunks: list[tuple[str, float]] = []

    def visit(text: str, cm: list[float], tm: list[float], _font: Any, _size: Any) -> None:
        chunks.append((text, tm[4] * cm[1] + tm[5] * cm[3] + cm[5]))

    text = page.extract_text(visitor_text=visit) or ""
    if "".join(c for c, _ in chunks) != text:  # pragma: no cover - pypdf builds its text from these calls
        return text
    starts: list[tuple[int, float]] = []  # (chunk index, y) of each chunk that opens a line
    line_open = False  # the text so far stops mid-line (pypdf also calls with empty chunks)
    for i, (chunk, y) in enumerate(chunks):
        if chunk.strip() and not line_open:
            starts.append((i, y))
        if chunk:
            line_open = not chunk.endswith("\n")
    gaps = sorted(a[1] - b[1] for a, b in itertools.pairwise(starts) if a[1] - b[1] > 0)
    if len(gaps) < 4:
        return text
    line_gap = gaps[len(gaps) // 4]  # the lower quartile: wrapped lines, not the breaks between them
    indent = {b[0] for a, b in itertools.pairwise(starts) if a[1] - b[1] >= PARAGRAPH_GAP * line_gap}
    return "".join("  " + c if i in indent else c for i, (c, _) in enumerate(chunks))


# A table row as text extraction lays it out: cells separated by runs of spaces (``1  推进…建设  到2025年底…``).
_RE_GAP = re.compile(r"(?<=\S) {2,}(?=\S)")
_RE_ROW_START = re.compile(r"^[ \t]*(?:\d{1,3}|序号) {2,}\S")


def _column_gaps(page: str) -> str:
    """Mark a table's column gaps as tabs, as a text or .docx table has them, so the annex reader sees
    cells. A line counts as a row when it opens with a serial number (or 序号) and a gap, or holds two
    gaps; a gap inside running prose is rare in a PDF's text layer and stays a space."""
    lines = page.split("\n")
    for i, line in enumerate(lines):
        if _RE_ROW_START.match(line) or len(_RE_GAP.findall(line)) >= 2:
            lines[i] = _RE_GAP.sub("\t", line)
    return "\n".join(lines)


def _load_docx(path: Path, data: bytes, digest: str) -> RawDocument:
    import io

    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            if sum(info.file_size for info in archive.infolist()) > MAX_DOCX_UNZIPPED:
                raise CorpusError(f"{path.name}: the .docx unpacks to more than 200 MB; refusing to open it")
        import docx  # python-docx

        document = docx.Document(io.BytesIO(data))
    except CorpusError:
        raise
    except Exception as err:  # python-docx and zipfile raise assorted types on bad input
        raise CorpusError(f"{path.name}: not a readable .docx file ({type(err).__name__})") from err
    lines = [p.text for p in document.paragraphs]
    for table in document.tables:
        for row in table.rows:
            cells: list[str] = []
            for cell in row.cells:  # merged cells repeat; keep each once
                if not cells or cells[-1] != cell.text:
                    cells.append(cell.text.replace("\n", ""))
            lines.append("\t".join(cells))
    return RawDocument(path, "\n".join(lines), digest=digest)
