"""Excel output that a spreadsheet reads as written: every text cell is text, never a formula.

A clause or a 责任单位 line can start with ``=``, ``+``, ``-`` or ``@`` (a pasted list, a dash
bullet); openpyxl writes such a string as a formula, and Excel would compute it (a formula
injection when the text came from an uploaded file). Each text cell is stored as a string, and
the risky ones get Excel's quote prefix, so editing the cell keeps it text as well.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Any

FORMULA_STARTS = ("=", "+", "-", "@")


def append_rows(sheet: Any, rows: Iterable[Sequence[Any]]) -> None:
    """Append rows to an openpyxl worksheet, with every string cell kept as text."""
    for row in rows:
        sheet.append(list(row))
        for cell in sheet[sheet.max_row]:
            if isinstance(cell.value, str):
                cell.data_type = "s"
                if cell.value.startswith(FORMULA_STARTS):
                    cell.quotePrefix = True
