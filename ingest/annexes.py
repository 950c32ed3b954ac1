"""Annexes and the colophon: what follows a notice's body.

An annex is a title (附件1：…) then a table (序号…, one row a clause) or prose numbered as the body
is; the list of annexes above the signature names them and is not a clause; the colophon (抄送,
印发) carries the printing date. ``Annexes`` is the part of the clause builder (``grammar._Builder``)
that reads them; the builder supplies ``_add``, ``_emit`` and ``_close``, and reads an annex's prose
with the body's grammar once ``_annexes`` has read its title.
"""

from __future__ import annotations

import re

from planqa.ingest.frontmatter import RE_DATE_LINE, Line
from planqa.ingest.infobox import iso_date
from planqa.ingest.loaders import RawDocument
from planqa.ingest.normalize import ends_sentence
from planqa.ingest.numbering import RE_ANNEX, RE_COLOPHON, numbered, row_start
from planqa.ingest.tables import parse_table


class Annexes:
    """Reads annexes, the list of them and the colophon into clauses."""

    raw: RawDocument
    root: tuple[str, ...]
    colophon_date: str

    def _annexes(self, lines: list[Line]) -> int:
        """An annex: its title, then a table (序号…, one row a clause) or prose with its own numbering,
        addressed under ``附件：<title>``. Returns how many lines it read: a table reads to the end;
        for prose, the title lines, after which the body's grammar reads the prose."""
        end = next((i for i, ln in enumerate(lines) if RE_COLOPHON.match(ln.bare)), len(lines))
        annex_title, at, titled = "", 0, 0
        for at, ln in enumerate(lines[:end]):  # noqa: B007 - ``at`` is where the annex's content starts
            m = RE_ANNEX.match(ln.bare)
            if m:
                annex_title = m.group(1) or annex_title
            elif ln.bare.startswith("序号") or row_start(ln):
                break
            elif ln.bare:
                # A salutation (国务院：) opens a report's content; it is not its title's last line.
                salutes = ln.bare.endswith(("：", ":"))
                if titled >= 3 or ends_sentence(ln.bare) or salutes or len(ln.bare) > 60 or numbered(ln.bare):
                    break
                annex_title = ln.bare if "《" in ln.bare or not annex_title else annex_title + ln.bare
                titled += 1
        else:
            at = end
        label = f"附件：{annex_title}" if annex_title else "附件"
        _header, rows = parse_table([(ln.text, ln.start, ln.end) for ln in lines[at:end]], self.raw.wrapped)
        if not rows:  # prose: 一、号牌编码规则 …, with the body's grammar
            self.root = (label,)
            return at
        for row in rows:
            text = f"{row.name}：{row.target}" if row.target else row.name
            if not text.strip():
                continue  # a serial number with no cell after it (序号 then 1, the table cut off): no clause
            self._add(
                "annex_row",
                (label,),
                str(row.number),
                row.name,
                text,
                row.start,
                row.end,
                list(row.line_starts),
                units=row.units,
            )
        if end < len(lines):
            self._colophon(lines[end:])
        return len(lines)

    def _annex_list(self, lines: list[Line], index: int) -> int:
        """Skip ``附件：1.… 2.…`` above the signature: it names the annexes, whose clauses carry
        those names in their address; as a clause of its own it outranked them. Returns the index
        after its last line."""
        self._close()
        end = index + 1
        while end < len(lines) and (not lines[end].bare or re.match(r"^\d{1,2}[.、．]", lines[end].bare)):
            end += 1
        return end

    def _lists_annexes(self, lines: list[Line], index: int) -> bool:
        """Whether ``附件：…`` at ``index`` lists the annexes above the signature rather than starting one."""
        if not RE_ANNEX.match(lines[index].bare).group(1):  # type: ignore[union-attr]
            return False
        following = [ln.bare for ln in lines[index + 1 :] if ln.bare][:8]
        for text in following:
            if RE_ANNEX.match(text):
                return False
            if RE_DATE_LINE.match(text):
                return True
        return False

    def _colophon(self, lines: list[Line]) -> None:
        kept = [ln for ln in lines if ln.bare]
        for ln in kept:
            if RE_DATE_LINE.match(ln.bare):
                self.colophon_date = iso_date(ln.bare)
        if kept:
            self._emit("colophon", (), "", "版记", kept)
