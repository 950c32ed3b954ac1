"""The original beside the answer: a cited PDF page as an image with the quote marked, or, for a
text or DOCX notice, the cited clause among its neighbours.

``build_source_panel`` adds the panel under the citations; ``show`` fills it for one answer, one of
its citations and a page (the cited page first, then previous / next). Rendering is lazy (only the
page asked for) and cached (``ingest.pages``).
"""

from __future__ import annotations

import io
from dataclasses import dataclass
from html import escape
from typing import Any

import gradio as gr

from planqa.errors import PlanqaError
from planqa.library import Library
from planqa.types import Answer, Citation
from planqa.ui.render import highlight
from planqa.ui.strings import text

CONTEXT = 2  # clauses shown before and after a cited clause of a text or DOCX notice
SOURCE_CSS = """
#source-context .pq-near{color:var(--body-text-color-subdued);margin:6px 0;line-height:1.7}
#source-context .pq-cited{border-left:3px solid #faad14;padding:4px 8px;margin:6px 0;line-height:1.7}
#source-context mark{background:#ffe58f;color:inherit}
"""


@dataclass
class SourcePanel:
    """The panel's components; ``outputs`` lists them in the order ``show`` returns updates for."""

    which: Any
    prev: Any
    where: Any
    next: Any
    image: Any
    context: Any
    download: Any
    state: Any  # (answer index, citation index, page)

    @property
    def outputs(self) -> list[Any]:
        return [self.which, self.prev, self.where, self.next, self.image, self.context, self.download, self.state]


def build_source_panel() -> SourcePanel:
    with gr.Accordion(text("source"), open=True, elem_id="source"):
        which = gr.Dropdown([], label=text("source_which"), elem_id="source-which", interactive=True)
        with gr.Row():
            prev = gr.Button("◀", size="sm", min_width=40, elem_id="source-prev", interactive=False)
            where = gr.Markdown("", elem_id="source-where")
            nxt = gr.Button("▶", size="sm", min_width=40, elem_id="source-next", interactive=False)
        image = gr.Image(
            type="pil", show_label=False, interactive=False, visible=False, elem_id="source-image", format="png"
        )
        context = gr.HTML("", elem_id="source-context")
        download = gr.DownloadButton(text("source_download"), visible=False, size="sm", elem_id="source-download")
    return SourcePanel(which, prev, where, nxt, image, context, download, gr.State((-1, 0, 0)))


def _label(i: int, c: Citation) -> str:
    page = f" · p.{c.pages[0]}" if c.pages else ""
    return f"{i + 1}. 《{c.doc_title}》{c.clause}{page}"


def show(library: Library, answers: list[Answer], index: int, cite: int, page: int, lang: str) -> list[Any]:
    """Updates for the panel: answer ``index``'s citation ``cite`` at ``page`` (0: the cited page)."""
    answer = answers[index] if 0 <= index < len(answers) else None
    if answer is None or not answer.citations:
        none = gr.update(visible=False)
        return [gr.update(choices=[], value=None), gr.update(interactive=False), "", gr.update(interactive=False),
                none, "", none, (index, 0, 0)]  # fmt: skip
    cite = min(max(cite, 0), len(answer.citations) - 1)
    c = answer.citations[cite]
    which = gr.update(choices=[(_label(i, x), i) for i, x in enumerate(answer.citations)], value=cite)
    doc = library.snapshot().catalog.docs.get(c.doc_id)
    original = library.original(doc) if doc else None
    if original is None:
        html = _context(library, c, lang)
        off = gr.update(interactive=False)
        return [which, off, text("source_text", lang), off, gr.update(visible=False), html,
                gr.update(visible=False), (index, cite, 0)]  # fmt: skip
    from PIL import Image

    from planqa.ingest.pages import render

    page = page or (c.pages[0] if c.pages else 1)
    try:
        view = render(original, page, c.quote or c.text)
    except PlanqaError as err:
        hidden = gr.update(visible=False)
        return [which, gr.update(), str(err), gr.update(), hidden, "", gr.update(), (index, cite, page)]
    where = text("source_page", lang).format(page=view.page, pages=view.pages)
    if not view.has_text:
        where += " · " + text("source_scanned", lang)
    elif page in c.pages and not view.boxes:
        where += " · " + text("source_unmarked", lang)
    return [
        which,
        gr.update(interactive=view.page > 1),
        where,
        gr.update(interactive=view.page < view.pages),
        gr.update(value=Image.open(io.BytesIO(view.png)), visible=True),
        "",
        gr.update(value=str(original), visible=True),
        (index, cite, view.page),
    ]


def _context(library: Library, c: Citation, lang: str) -> str:
    """The cited clause among the ``CONTEXT`` clauses before and after it, the quote marked."""
    catalog = library.snapshot().catalog
    clauses = catalog.of_doc(c.doc_id)
    cited = catalog.clauses.get(c.clause_id)
    key = cited.key if cited else None
    at = next((i for i, x in enumerate(clauses) if x.key == key), None)
    if at is None:
        return f'<div class="pq-cited">{highlight(c.text, c.quote)}</div>'
    parts = []
    for x in clauses[max(0, at - CONTEXT) : at + CONTEXT + 1]:
        if x is clauses[at]:
            parts.append(f'<div class="pq-cited">{highlight(c.text, c.quote)}</div>')
        else:
            parts.append(f'<div class="pq-near">{escape(x.text)}</div>')
    return f'<div class="pq-context" aria-label="{escape(text("source_text", lang))}">{"".join(parts)}</div>'
