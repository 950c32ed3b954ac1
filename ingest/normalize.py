"""Repair what PDF extraction does to Chinese text, keeping track of where each character came from.

Every rewrite keeps an ``origin`` offset per output character, so a clause found in the normalised
text can be traced back to its raw span and so to its PDF page. The same ``normalize_text`` serves
questions, so a question and a clause meet in one canonical form:

- half-width digits and Latin letters, full-width CJK punctuation (，；：（）？！) except between digits;
- no spaces between CJK and anything (``50 个以上`` → ``50个以上``);
- 〔2023〕 for bracketed years in 发文字号, ``—`` between the two ends of a numeric range;
- running headers, footers and page numbers dropped; markdown/HTML debris dropped.
"""

from __future__ import annotations

import itertools
import re
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass

CJK = r"\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff"
# CJK punctuation and symbols that never take a space beside them.
CJK_PUNCT = r"\u3000-\u303f\uff01-\uff0f\uff1a-\uff20\uff3b-\uff40\uff5b-\uff65“”‘’—…·%"
_NARROW_PUNCT = str.maketrans({"(": "（", ")": "）", ";": "；", "?": "？", "!": "！"})
TERMINAL = "。；！？"


@dataclass(frozen=True)
class MappedText:
    """Text plus, for each character, its offset in the raw source."""

    text: str
    origin: tuple[int, ...]

    @classmethod
    def of(cls, raw: str) -> MappedText:
        return cls(raw, tuple(range(len(raw))))

    def sub(self, pattern: re.Pattern[str], repl: str | Callable[[re.Match[str]], str]) -> MappedText:
        """``re.sub`` that carries origins: replacement characters inherit the matched characters' origins."""
        out: list[str] = []
        org: list[int] = []
        pos = 0
        for m in pattern.finditer(self.text):
            out.append(self.text[pos : m.start()])
            org.extend(self.origin[pos : m.start()])
            new = repl(m) if callable(repl) else m.expand(repl)
            width = m.end() - m.start()
            anchor = m.start() if m.start() < len(self.origin) else len(self.origin) - 1
            for i in range(len(new)):
                org.append(self.origin[anchor + min(i, max(width - 1, 0))] if anchor >= 0 else 0)
            out.append(new)
            pos = m.end()
        out.append(self.text[pos:])
        org.extend(self.origin[pos:])
        return MappedText("".join(out), tuple(org))

    def translate(self, table: dict[int, str | int | None]) -> MappedText:
        """One-to-one character mapping (width conversion) keeps origins as they are."""
        text = self.text.translate(table)
        if len(text) != len(self.text):  # pragma: no cover - tables here are 1:1 by construction
            raise ValueError("translate table must map characters one to one")
        return MappedText(text, self.origin)


def _full_to_half() -> dict[int, str]:
    table = {0xFF10 + i: str(i) for i in range(10)}
    table.update({0xFF21 + i: chr(0x41 + i) for i in range(26)})
    table.update({0xFF41 + i: chr(0x61 + i) for i in range(26)})
    table.update({0xFF05: "%", 0xFF0E: ".", 0x3000: " ", 0x00A0: " ", 0x2002: " ", 0x2003: " ", 0x2009: " "})
    table.update({0xFF3B: "[", 0xFF3D: "]", 0xFF0D: "-", 0xFF5E: "~", 0xFE58: "-", 0x2013: "-", 0xFF0F: "/"})
    return table


_HALF = _full_to_half()
_RE_CRLF = re.compile(r"\r\n?")
# A tag left in a notice's text (<p>, </p>); a PDF's line wrap can cut one (</ then p> on the next line).
_RE_HTML = re.compile(r"<\n?/?\n?[a-zA-Z][a-zA-Z0-9]{0,8}(?:\s[^<>]{0,60})?/?>")
_RE_MD_HEADING = re.compile(r"(?m)^[ \t]*#{1,6}[ \t]+")
_RE_RULE = re.compile(r"(?m)^[ \t]*(?:-{3,}|\*{3,}|_{3,})[ \t]*$")
_RE_MD_BREAK = re.compile(r"(?m)[ ]{2,}$")
_RE_PAGE_NO = re.compile(
    r"(?m)^[ \t]*(?:[-—–][ \t]*\d{1,4}[ \t]*[-—–]"  # - 3 -
    r"|第[ \t]*\d{1,4}[ \t]*页(?:[ \t]*[，,/]?[ \t]*共[ \t]*\d{1,4}[ \t]*页)?"  # 第3页 共10页
    r"|\d{1,4}[ \t]*/[ \t]*\d{1,4})[ \t]*$\n?"  # 3/10
)
_RE_YEAR_BRACKET = re.compile(r"[\[【〔][ \t]*(\d{4})[ \t]*[\]】〕]")
# A numeric range (2-3个, 2023-2025年); ISO dates (2023-01-19) are left alone.
_RE_RANGE = re.compile(r"(?<![\d.\-])(\d+(?:\.\d+)?)[ \t]*[-—–~～][ \t]*(?=\d)(?!\d{1,2}[-/]\d)")
_RE_COMMA = re.compile(r"(?<!\d),|,(?!\d{3}(?!\d))")
_RE_COLON = re.compile(r"(?<!\d):|:(?!\d)")
_RE_SPACE_CJK = re.compile(rf"(?<=[{CJK}{CJK_PUNCT}]) +(?=\S)|(?<=\S) +(?=[{CJK}{CJK_PUNCT}])|(?<=\d) +(?=%)")
_RE_MULTI_SPACE = re.compile(r" {2,}")
_RE_SPACE_TAB = re.compile(r" +(?=\t)|(?<=\t) +")  # a tab already separates table cells
_RE_LINE_EDGE_SPACE = re.compile(r"(?m)^ +| +$")


def drop_running_lines(mt: MappedText) -> MappedText:
    """Remove headers, footers and page numbers that repeat at the top or bottom of form-feed pages.

    A line counts as running when, with digits masked, it sits among the first or last two lines
    of at least half the pages (and of two pages at least). Bare numbers must also climb page by
    page, so a table's serial column at a page edge is not mistaken for a page number.
    """
    pages = mt.text.split("\f")
    if len(pages) < 2:
        return mt
    edge_keys: list[set[str]] = []
    for page in pages:
        lines = [ln.strip() for ln in page.split("\n") if ln.strip()]
        edges = lines[:2] + lines[-2:]
        edge_keys.append({re.sub(r"\d+", "#", ln) for ln in edges})
    counts = Counter(key for keys in edge_keys for key in keys)
    need = max(2, (len(pages) + 1) // 2)
    running = {key for key, n in counts.items() if n >= need}
    if not running:
        return mt

    def is_running(line: str, page_index: int, numbers: dict[int, int]) -> bool:
        key = re.sub(r"\d+", "#", line.strip())
        if key not in running:
            return False
        if key == "#":
            numbers[page_index] = int(line.strip())
        return True

    # Bare page numbers must increase with the page; otherwise they are content.
    numbers: dict[int, int] = {}
    drop: list[tuple[int, int]] = []
    offset = 0
    for index, page in enumerate(pages):
        lines = page.split("\n")
        nonblank = [i for i, ln in enumerate(lines) if ln.strip()]
        edge = set(nonblank[:2] + nonblank[-2:])
        pos = offset
        for i, line in enumerate(lines):
            if i in edge and is_running(line, index, numbers):
                drop.append((pos, pos + len(line) + (1 if i < len(lines) - 1 else 0)))
            pos += len(line) + 1
        offset += len(page) + 1
    bare = sorted(numbers.items())
    climbing = all(b[1] > a[1] for a, b in itertools.pairwise(bare))
    if not climbing:
        drop = [(s, e) for s, e in drop if re.sub(r"\d+", "#", mt.text[s:e].strip()) != "#"]
    keep_text: list[str] = []
    keep_org: list[int] = []
    pos = 0
    for start, end in sorted(drop):
        keep_text.append(mt.text[pos:start])
        keep_org.extend(mt.origin[pos:start])
        pos = end
    keep_text.append(mt.text[pos:])
    keep_org.extend(mt.origin[pos:])
    return MappedText("".join(keep_text), tuple(keep_org))


def normalize(raw: str) -> MappedText:
    """Canonical form of a whole document; ``\\f`` separates PDF pages on input and is gone on output."""
    mt = MappedText.of(raw).sub(_RE_CRLF, "\n")
    mt = drop_running_lines(mt).sub(re.compile("\f"), "\n")
    return _normalize_inline(mt)


def _normalize_inline(mt: MappedText) -> MappedText:
    mt = mt.sub(_RE_HTML, "").sub(_RE_MD_HEADING, "").sub(_RE_RULE, "").sub(_RE_MD_BREAK, "")
    mt = mt.sub(_RE_PAGE_NO, "")
    mt = mt.translate(_HALF)  # type: ignore[arg-type]
    mt = mt.sub(_RE_YEAR_BRACKET, "〔\\1〕")
    mt = mt.sub(_RE_RANGE, "\\1—")
    mt = mt.translate(_NARROW_PUNCT)  # type: ignore[arg-type]
    mt = mt.sub(_RE_COMMA, "，").sub(_RE_COLON, "：")
    mt = mt.sub(_RE_SPACE_TAB, "").sub(_RE_SPACE_CJK, "").sub(_RE_MULTI_SPACE, " ").sub(_RE_LINE_EDGE_SPACE, "")
    return mt


def normalize_text(text: str) -> str:
    """The canonical form of a short text (a question, a title, a quoted span)."""
    return _normalize_inline(MappedText.of(_RE_CRLF.sub("\n", text))).text.strip()


def join_lines(lines: list[str]) -> str:
    """Join lines broken by page or column wrapping: nothing between CJK, a space between words."""
    out = ""
    for line in lines:
        line = line.strip()
        if not line:
            continue
        if out and re.match(r"[A-Za-z0-9]", line[0]) and re.search(r"[A-Za-z]$", out):
            out += " "
        out += line
    return out


def display_width(text: str) -> float:
    """Width in CJK cells: ideographs and Chinese punctuation (also “” …) take one, Latin and digits half."""
    return sum(1.0 if ord(ch) > 0x2E80 or ch in "“”‘’…—·" else 0.5 for ch in text)


def ends_sentence(line: str) -> bool:
    """True when a line ends a sentence: 。；！？ possibly followed by a closing bracket or quote."""
    return bool(re.search(rf"[{TERMINAL}][）”’」』]*$", line.strip()))
