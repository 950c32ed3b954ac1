"""HTML for the web UI: an answer's citations panel and the documents table.

Kept apart from the Gradio wiring so it can be read (and tested) as plain functions of an
``Answer``: the panel shows each cited clause in full with the quoted sentence highlighted, the
provincial clause a district clause localises, and the other retrieved clauses folded below.
"""

from __future__ import annotations

from html import escape

from planqa.catalog import Catalog
from planqa.types import Answer, Citation, Clause, DocumentInfo
from planqa.ui.strings import text

PANEL_CSS = """
#citations .pq-card{border:1px solid var(--border-color-primary);border-radius:8px;padding:10px 12px;margin:0 0 10px}
#citations .pq-doc{font-weight:600}
#citations .pq-where{color:var(--body-text-color-subdued);font-size:.9em;margin:2px 0 6px}
#citations .pq-text{line-height:1.7;white-space:pre-wrap}
#citations mark{background:#ffe58f;color:inherit;padding:0 1px;border-radius:2px}
#citations .pq-parent{border-left:3px solid #91caff;padding:4px 8px;margin-top:8px;font-size:.92em}
#citations details{margin-top:6px}
#citations .pq-empty{color:var(--body-text-color-subdued)}
#citations .pq-abstain{color:#ad6800;font-weight:600;margin-bottom:8px}
"""


def highlight(text: str, quote: str) -> str:
    """The clause text, escaped, with the quoted sentence marked (every occurrence)."""
    if not quote or quote not in text:
        return escape(text)
    return f"<mark>{escape(quote)}</mark>".join(escape(part) for part in text.split(quote))


def _where(doc_title: str, number: str, section: str, pages: tuple[int, ...] | list[int], lang: str) -> str:
    page = ""
    if pages:
        page = f"，第{'、'.join(map(str, pages))}页" if lang == "zh" else f", p. {', '.join(map(str, pages))}"
    number = f"（{escape(number)}）" if number else ""
    head = f'<div class="pq-doc">《{escape(doc_title)}》{number}</div>'
    return f'{head}<div class="pq-where">〔{escape(section)}〕{page}</div>'


def _parent_html(parent: Clause, lang: str) -> str:
    head = text("localises", lang)
    where = _where(parent.doc_title, parent.doc_number, parent.section_path, parent.pages, lang)
    return f'<div class="pq-parent">{head}{where}<div class="pq-text">{escape(parent.text)}</div></div>'


def _card(c: Citation, catalog: Catalog | None, lang: str) -> str:
    where = _where(c.doc_title, c.doc_number, c.section, c.pages, lang)
    body = f'<div class="pq-text">{highlight(c.text, c.quote)}</div>'
    parent = ""
    if catalog is not None and c.clause_id in catalog.clauses:
        up = catalog.parent_of(catalog.clauses[c.clause_id])
        if up is not None:
            parent = _parent_html(up, lang)
    return f'<div class="pq-card" data-clause="{escape(c.clause)}">{where}{body}{parent}</div>'


def citations_html(answer: Answer | None, catalog: Catalog | None, lang: str = "zh") -> str:
    """The panel beside the chat for one answer."""
    if answer is None:
        return f'<div class="pq-empty">{text("panel_empty", lang)}</div>'
    parts: list[str] = []
    if answer.abstained:
        parts.append(f'<div class="pq-abstain">{escape(answer.first_line)}</div>')
    parts += [_card(c, catalog, lang) for c in answer.citations]
    cited = {c.clause_id for c in answer.citations}
    others = [h.clause for h in answer.retrieved if h.clause.id not in cited]
    if not answer.citations and others and answer.abstained:
        parts.append(f"<p>{text('nearest', lang)}</p>")
    if others:
        rows = "".join(
            f'<div class="pq-card">{_where(o.doc_title, o.doc_number, o.section_path, o.pages, lang)}'
            f'<div class="pq-text">{escape(o.text)}</div></div>'
            for o in others
        )
        parts.append(f"<details><summary>{text('others', lang).format(n=len(others))}</summary>{rows}</details>")
    if not parts:
        parts.append(f'<div class="pq-empty">{text("no_sources", lang)}</div>')
    return "".join(parts)


def documents_rows(docs: list[DocumentInfo], catalog: Catalog) -> list[list[str | int]]:
    """One row per indexed notice, for the documents table."""
    return [[d.title, d.number or "—", d.date or "—", len(catalog.of_doc(d.id)), d.pages or "—", d.id] for d in docs]
