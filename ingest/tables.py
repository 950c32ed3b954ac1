"""Annex tables (附件 重点项目清单): rows of 序号 / 重点项目 / 建设目标, however extraction laid them out.

Three layouts occur and all reduce to a stream of cells: a row per line with tab-separated cells;
a cell per line with a leading tab (a line without one continues the cell above); and, from PDFs,
a cell per visual line with no tabs at all, where cells wrap onto further lines. Header rows that
repeat after a page break are skipped; a row is started only by the next serial number, so a
number inside a cell or a stray page number does not split a row.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from planqa.ingest.normalize import display_width, join_lines
from planqa.ingest.units import split_units

_SERIAL = re.compile(r"^\d{1,3}$")
_GROUP = re.compile(r"^[一二三四五六七八九十]{1,3}、")
UNIT_HEADERS = ("责任单位", "牵头单位", "责任部门", "牵头部门", "配合单位")


@dataclass
class Row:
    """One table row under construction; ``cells`` holds the cells after the serial number."""

    number: int
    cells: list[list[str]] = field(default_factory=list)
    starts: list[int] = field(default_factory=list)  # normalised offsets of the row's lines
    end: int = 0

    def add(self, column: int | None, text: str) -> None:
        """Append ``text`` to ``column`` (None: continue the last cell)."""
        if column is None:
            column = max(len(self.cells) - 1, 0)
        while len(self.cells) <= column:
            self.cells.append([])
        self.cells[column].append(text)

    def cell(self, i: int) -> str:
        return join_lines(self.cells[i]) if i < len(self.cells) else ""


@dataclass(frozen=True)
class TableRow:
    number: int
    name: str  # 重点项目
    target: str  # 建设目标, or the other cells labelled by their headers
    units: tuple[str, ...]
    start: int
    end: int
    line_starts: tuple[int, ...]


def parse_table(lines: list[tuple[str, int, int]], wrapped: bool = True) -> tuple[list[str], list[TableRow]]:
    """Parse ``(line, start, end)`` triples of an annex into header names and rows.

    ``wrapped`` says the lines may be visual lines of wrapped (PDF) text; a web page's text is not,
    so with no tabs each line is one cell (a table flattened to a cell per line)."""
    tabbed = any("\t" in text.strip(" ") for text, _, _ in lines)
    per_line = not tabbed and not wrapped
    header: list[str] = []
    seen_header: set[str] = set()
    rows: list[Row] = []
    expect = 1
    in_header = False
    for text, start, end in lines:
        bare = text.strip()
        if not bare:
            continue
        parts = text.split("\t") if tabbed else [text]
        first = next((p.strip() for p in parts if p.strip()), "")
        compact = bare.replace("\t", "")
        if first.startswith("序号") or compact in seen_header:
            # Header: on one line ("序号\t重点项目\t建设目标") or a cell per line; repeats are skipped.
            names = [p.strip() for p in parts if p.strip()]
            if not header:
                header = names
                in_header = len(names) == 1
            seen_header.update(names)
            seen_header.add(compact)
            continue
        complete = bool(rows) and len(header) > 1 and len(rows[-1].cells) >= len(header) - 1
        # A row starts at the next serial number; in a cell-per-line table also at a later one once
        # the row above has all its cells (a notice 有删减 skips rows: 14 is followed by 21).
        later = per_line and complete and _SERIAL.match(first) and expect < int(first) <= expect + 20
        if _SERIAL.match(first) and (int(first) == expect or later):
            in_header = False
            row = Row(int(first), starts=[start], end=end)
            rows.append(row)
            expect = int(first) + 1
            rest = parts[parts.index(next(p for p in parts if p.strip())) + 1 :] if tabbed else []
            for column, cell in enumerate(rest):
                if cell.strip():
                    row.add(column, cell.strip())
            continue
        if in_header and not rows and not _GROUP.match(bare):
            header.append(bare)
            seen_header.add(bare)
            continue
        if not rows:
            continue
        if per_line and (complete or not rows) and _GROUP.match(bare):
            continue  # 四、军民深度融合方面（共6项）: a group heading across the table, not a cell
        row = rows[-1]
        row.starts.append(start)
        row.end = end
        if tabbed:
            lead = len(text) - len(text.lstrip("\t"))
            cells = [p.strip() for p in text.split("\t")]
            if lead == 0:
                row.add(None, cells[0])  # no leading tab: the cell above continues
                cells = cells[1:]
                lead = 1 if cells else 0
            elif lead >= 2 or len([c for c in cells if c]) > 1:
                # "\t\t全面推进…": leading empty cells place the text in its column (serial is column 0)
                for offset, cell in enumerate(cells[lead:]):
                    if cell:
                        row.add(lead - 1 + offset, cell)
                continue
            for cell in cells:
                if cell:
                    row.add(len(row.cells), cell)
        elif per_line:
            row.add(len(row.cells) if len(row.cells) < max(len(header) - 1, 1) else None, bare)
        else:
            _add_untabbed(row, bare)
    if not tabbed and not per_line:
        _split_untabbed(rows)
    return header, [_finish(row, header) for row in rows]


def _add_untabbed(row: Row, line: str) -> None:
    """A cell per visual line: collect the lines; ``_split_untabbed`` decides where the name ends."""
    row.add(0, line)


def _split_untabbed(rows: list[Row]) -> None:
    """Split each row's lines into the name cell and the rest.

    A name that wraps fills its first line to the column's capacity, which is the longest first
    line in the table; it then continues on lines that fit in that column. The first line wider
    than the name column starts the next cell.
    """
    firsts = [display_width(r.cells[0][0]) for r in rows if r.cells and r.cells[0]]
    capacity = max(firsts, default=0.0)
    for row in rows:
        lines = row.cells[0] if row.cells else []
        if not lines:
            continue
        cut = 1
        while (
            cut < len(lines) - 1
            and display_width(lines[cut - 1]) >= capacity - 1
            and display_width(lines[cut]) <= capacity
            and not lines[cut - 1].endswith("。")
        ):
            cut += 1
        row.cells = [lines[:cut], lines[cut:]] if len(lines) > cut else [lines]


def _finish(row: Row, header: list[str]) -> TableRow:
    name = row.cell(0).rstrip("。")
    other = [row.cell(i) for i in range(1, len(row.cells))]
    units: tuple[str, ...] = ()
    labels = header[2:] if len(header) == len(row.cells) + 1 else []
    if labels and len(labels) == len(other):
        kept = []
        for label, value in zip(labels, other, strict=True):
            if any(label.startswith(u) for u in UNIT_HEADERS):
                units += split_units(value)
            elif value:
                kept.append(value if len(labels) == 1 else f"{label}：{value}")
        target = "；".join(kept)
    else:
        target = join_lines(other)
    return TableRow(row.number, name, target, units, row.starts[0], row.end, tuple(row.starts))
