"""The browse tab: a notice as a tree, a search box over it, its deadline table and a briefing export."""

from __future__ import annotations

from typing import Any

import gradio as gr

from planqa.ui.browse import deadline_rows, tree_html
from planqa.ui.page import Page, Tab, Updates, guarded
from planqa.ui.strings import text

DEADLINE_WIDTHS = ["22%", "28%", "50%"]
YEARS = range(2020, 2036)  # the year filter: plans of this decade and their 2035 visions


def build_browse_tab(page: Page) -> Tab:
    library, settings = page.library, page.settings
    docs = page.scope_choices("zh")[1:]
    with gr.Tab(text("tab_browse"), id="browse") as tab:
        with gr.Row():
            doc = gr.Dropdown(
                docs, value=docs[0][1] if docs else None, label=text("browse_doc"), elem_id="browse-doc", scale=3
            )
            search = gr.Textbox(label=text("search"), placeholder=text("search_ph"), elem_id="browse-search", scale=2)
        with gr.Row(equal_height=False):
            with gr.Column(scale=3, min_width=320):
                tree_heading = gr.Markdown(f"### {text('tree')}")
                tree = gr.HTML(elem_id="tree")
            with gr.Column(scale=2, min_width=300):
                due_heading = gr.Markdown(f"### {text('deadlines')}")
                year = gr.Dropdown(
                    [(text("all_years"), ""), *[(str(y), str(y)) for y in YEARS]],
                    value="",
                    label=text("year"),
                    elem_id="browse-year",
                )
                due = gr.Dataframe(
                    headers=text("deadline_headers").split("|"),
                    wrap=True,
                    column_widths=DEADLINE_WIDTHS,
                    elem_id="deadlines",
                )
                export_button = gr.Button(text("export"), elem_id="export")
                export_file = gr.File(label="xlsx", elem_id="export-file", height=80)

    @guarded
    def browse(doc_id: str | None, query: str, year_text: str, lang: str) -> tuple[Any, ...]:
        catalog = library.catalog()
        if not doc_id or doc_id not in catalog.docs:
            return "", gr.update(value=[])
        chosen = int(year_text) if year_text and year_text.isdigit() else None
        rows = deadline_rows(catalog, doc_id, chosen, query or "")
        table = gr.Dataframe(
            value=rows, headers=text("deadline_headers", lang).split("|"), column_widths=DEADLINE_WIDTHS
        )
        return tree_html(catalog, doc_id, query or "", text("ask_clause", lang)), table

    @guarded
    def export(doc_id: str | None) -> Any:
        from planqa.outline import briefing_xlsx

        catalog = library.catalog()
        if not doc_id or doc_id not in catalog.docs:
            return None
        folder = settings.export_dir or settings.upload_dir.parent / "exports"
        folder.mkdir(parents=True, exist_ok=True)
        return str(briefing_xlsx(catalog, doc_id, folder / f"{doc_id}-briefing.xlsx"))

    private: dict[str, Any] = {"api_visibility": "private"}
    inputs = [doc, search, year, page.lang]
    for trigger in (doc.change, search.submit, year.change):
        trigger(browse, inputs, [tree, due], **private)
    search.change(browse, inputs, [tree, due], trigger_mode="always_last", **private)
    export_button.click(export, [doc], [export_file], **private)
    tab.select(browse, inputs, [tree, due], **private)

    def words(lang: str) -> Updates:
        return {
            doc: gr.update(label=text("browse_doc", lang)),
            search: gr.update(label=text("search", lang), placeholder=text("search_ph", lang)),
            tree_heading: f"### {text('tree', lang)}",
            due_heading: f"### {text('deadlines', lang)}",
            year: gr.update(label=text("year", lang)),
            export_button: gr.update(value=text("export", lang)),
        }

    def documents(lang: str) -> Updates:
        choices = page.scope_choices(lang)[1:]
        return {doc: gr.update(choices=choices, value=choices[0][1] if choices else None)}

    return Tab(tab, "tab_browse", words, documents)
