"""The documents tab: the indexed notices, uploads with progress, and removal."""

from __future__ import annotations

import logging
from collections.abc import Callable
from pathlib import Path
from typing import Any

import gradio as gr

from planqa.errors import PlanqaError
from planqa.library import IngestReport
from planqa.ui import uploads
from planqa.ui.page import Page, Tab, Updates, guarded
from planqa.ui.render import documents_rows
from planqa.ui.strings import text

log = logging.getLogger(__name__)

SUFFIXES = (".pdf", ".txt", ".md", ".docx")


def report_lines(report: IngestReport, lang: str) -> list[str]:
    """What an ingest did, one line a notice; a replacement names the version it replaced."""
    lines = [f"**{text('ingested', lang)}**：{d.title}（{d.number or '—'}）" for d in report.added]
    for doc in report.replaced:
        old = report.superseded.get(doc.id)
        was = f"{old.title}（{old.number or '—'}，{old.source}）" if old else doc.title
        lines.append(f"**{text('replaced', lang)}**：{was} → {doc.title}（{doc.number or '—'}，{doc.source}）")
    lines += [f"**{text('unchanged', lang)}**：{d.title}" for d in report.unchanged]
    lines += [f"**{text('failed', lang)}**：{name}：{reason}" for name, reason in report.failed]
    lines += [f"**{text('note', lang)}**：{name}：{note}" for name, note in report.warnings]
    return lines


def build_docs_tab(page: Page, others: Callable[[str], Updates]) -> Tab:
    """``others`` gives the other tabs' updates after the library changed (their notice lists)."""
    library, settings = page.library, page.settings

    def table_value(lang: str) -> Any:
        headers = text("docs_headers", lang).split("|")
        return gr.update(value=documents_rows(library.documents(), library.catalog()), headers=headers)

    with gr.Tab(text("tab_docs"), id="docs") as tab:
        headers = text("docs_headers").split("|")
        table = gr.Dataframe(
            value=documents_rows(library.documents(), library.catalog()), headers=headers, elem_id="documents"
        )
        upload = gr.File(label=text("upload"), file_count="multiple", file_types=list(SUFFIXES), elem_id="upload")
        ingest_button = gr.Button(text("ingest"), variant="primary", elem_id="ingest")
        status = gr.Markdown(elem_id="ingest-status")
        with gr.Row():
            pick = gr.Dropdown(page.scope_choices("zh")[1:], label=text("remove_pick"), elem_id="remove-pick")
            remove_button = gr.Button(text("remove"), variant="stop", elem_id="remove")

    def documents(lang: str) -> Updates:
        return {table: table_value(lang), pick: gr.update(choices=page.scope_choices(lang)[1:], value=None)}

    def changed(message: str, lang: str) -> Updates:
        """The status line, and every list of notices on the page brought up to date."""
        uploads.prune(settings.upload_dir, library.documents())
        return {status: message, **documents(lang), **others(lang)}

    @guarded
    def ingest(
        files: list[str] | None,
        lang: str,
        progress: gr.Progress = gr.Progress(),  # noqa: B008  (Gradio injects the tracker through this default)
    ) -> Updates:
        if not files:
            return {status: text("no_files", lang)}
        problems, paths = [], []
        for name in files:
            source = Path(name)
            if source.suffix.lower() not in SUFFIXES:
                problems.append(text("bad_type", lang).format(name=source.name))
            elif source.stat().st_size > settings.max_upload_mb * 1024 * 1024:
                problems.append(text("too_big", lang).format(name=source.name, mb=settings.max_upload_mb))
            else:
                paths.append(uploads.stage(source, settings.upload_dir, settings.temp_dir))
        # Words, not emoji: an intranet PC's fonts often have no emoji glyphs.
        lines = [f"**{text('failed', lang)}**：{p}" for p in problems]
        if paths:
            try:
                report = library.ingest(paths, lambda stage, done, total: progress((done, max(total, 1)), desc=stage))
            except Exception as err:  # whatever went wrong is a status line: the tables and lists stay usable
                if isinstance(err, PlanqaError):
                    reason = str(err)
                else:
                    log.exception("ingest of %s failed", ", ".join(p.name for p in paths))
                    reason = text("error", lang).format(error=type(err).__name__)
                lines.append(f"**{text('failed', lang)}**：{reason}")
            else:
                lines += report_lines(report, lang)
        return {**changed("\n\n".join(lines), lang), upload: None}  # the box empties: 导入 again adds nothing

    @guarded
    def remove(doc_id: str | None, lang: str) -> Updates:
        if not doc_id:
            return {status: text("pick_first", lang)}
        try:
            message = text("removed", lang).format(title=library.remove(doc_id).title)
        except PlanqaError as err:
            message = f"**{text('failed', lang)}**：{err}"
        return changed(message, lang)

    outputs = [status, *documents("zh"), *others("zh"), upload]
    private: dict[str, Any] = {"api_visibility": "private"}
    ingest_button.click(ingest, [upload, page.lang], outputs, **private)
    remove_button.click(remove, [pick, page.lang], outputs, **private)

    def words(lang: str) -> Updates:
        return {
            table: table_value(lang),
            upload: gr.update(label=text("upload", lang)),
            ingest_button: gr.update(value=text("ingest", lang)),
            pick: gr.update(label=text("remove_pick", lang)),
            remove_button: gr.update(value=text("remove", lang)),
        }

    return Tab(tab, "tab_docs", words, documents)
