"""The Gradio app: a chat with a citations panel, and a documents tab, over the one ``Assistant``.

Everything the page does goes through ``Assistant.ask`` and the ``Library``, as the CLI and the eval
runner do, so what the eval measures is what officials see. The page holds no state of its own
beyond the conversation: the index is the data dir's, shared with the CLI.
"""

from __future__ import annotations

import functools
import logging
import shutil
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import gradio as gr

from planqa.assistant import Assistant
from planqa.errors import PlanqaError
from planqa.types import Answer
from planqa.ui.browse import ASK_JS, BROWSE_CSS, deadline_rows, tree_html
from planqa.ui.render import PANEL_CSS, citations_html, documents_rows
from planqa.ui.strings import EXAMPLES, text

log = logging.getLogger("planqa.ui")
SUFFIXES = (".pdf", ".txt", ".md", ".docx")
MAX_UPLOAD_MB = 20  # a plan notice is a few MB at most; larger is a scan or a mistake
HEAD = ASK_JS
DEADLINE_WIDTHS = ["22%", "28%", "50%"]
HEALTH_SECONDS = 3  # how soon the page notices the index server going away, and coming back
CSS = (
    PANEL_CSS
    + BROWSE_CSS
    + """
#citations{max-height:78vh;overflow-y:auto}
#index-down{border:1px solid #c2410c;background:#fff7ed;color:#7c2d12;border-radius:8px;padding:10px 14px}
@media (max-width: 720px){#citations{max-height:none}}
"""
)


@dataclass(frozen=True)
class Settings:
    """What ``planqa serve`` decides about the page."""

    upload_dir: Path  # uploads are copied here (inside the data dir) before ingest
    max_upload_mb: int = MAX_UPLOAD_MB
    export_dir: Path | None = None  # briefing workbooks are written here (inside the data dir)


def _markdown(answer: Answer) -> str:
    """An answer as chat Markdown: the first line in bold, quotes as block quotes."""
    first, _, rest = answer.text.partition("\n")
    lines = [f"**{_md_escape(first)}**"]
    for line in rest.splitlines():
        lines.append(f"> {_md_escape(line[2:])}" if line.startswith("> ") else _md_escape(line))
    return "\n\n".join(lines)


def _plain(content: Any) -> str:
    """A chat message's text: Gradio sends it back as a string or as a list of typed parts."""
    if isinstance(content, str):
        return content
    if isinstance(content, dict):
        return str(content.get("text") or "")
    if isinstance(content, list):
        return "".join(_plain(part) for part in content)
    return ""


def _md_escape(line: str) -> str:
    return line.replace("*", "\\*").replace("_", "\\_").replace("<", "&lt;")


def _guarded(handler: Callable[..., Any]) -> Callable[..., Any]:
    """A handler whose failure shows as one line in Gradio's notice, never a traceback on the page."""

    @functools.wraps(handler)  # Gradio reads the signature (gr.Progress) through __wrapped__
    def run(*args: Any, **kwargs: Any) -> Any:
        try:
            return handler(*args, **kwargs)
        except PlanqaError as err:
            raise gr.Error(str(err), print_exception=False) from err
        except gr.Error:
            raise
        except Exception as err:
            log.exception("%s failed", handler.__name__)
            raise gr.Error(text("error").format(error=type(err).__name__), print_exception=False) from err

    return run


def build_app(assistant: Assistant, settings: Settings) -> gr.Blocks:
    library = assistant.library

    def scope_choices(lang: str) -> list[tuple[str, str]]:
        return [(text("all_docs", lang), ""), *[(d.title, d.id) for d in library.documents()]]

    def doc_table(lang: str) -> Any:
        headers = text("docs_headers", lang).split("|")
        return gr.Dataframe(value=documents_rows(library.documents(), library.catalog()), headers=headers)

    def ask(question: str, scope: str) -> dict[str, Any]:
        """Ask planqa one question; JSON with the answer, whether it abstained, and its citations."""
        answer = assistant.ask(question or "", (), [scope] if scope else ())
        return answer.to_dict()

    def add_question(message: str, history: list[dict[str, Any]], lang: str) -> tuple[Any, ...]:
        if not (message or "").strip():
            return gr.update(), history
        history = [
            *history,
            {"role": "user", "content": message},
            {"role": "assistant", "content": text("thinking", lang)},
        ]
        return "", history

    def answer_last(history: list[dict[str, Any]], answers: list[Answer], scope: str, lang: str) -> tuple[Any, ...]:
        if not history or history[-1]["role"] != "assistant" or len(answers) * 2 >= len(history):
            return history, answers, gr.update()
        question = _plain(history[-2]["content"])
        earlier = [_plain(m["content"]) for m in history[:-2] if m["role"] == "user"]
        try:
            answer = assistant.ask(question, earlier, [scope] if scope else ())
            panel = citations_html(answer, library.catalog(), lang)
        except Exception as err:  # a page must never show a traceback; the log keeps it
            if isinstance(err, PlanqaError):
                log.warning("ask failed: %s", err)
            else:
                log.exception("ask failed")
            reason = str(err) if isinstance(err, PlanqaError) else type(err).__name__
            answer = Answer(question, text("error", lang).format(error=reason), True, kind="error")
            panel = citations_html(answer, None, lang)
        history = [*history[:-1], {"role": "assistant", "content": _markdown(answer)}]
        return history, [*answers, answer], panel

    @_guarded
    def show_selected(answers: list[Answer], lang: str, evt: gr.SelectData) -> str:
        index = evt.index if isinstance(evt.index, int) else evt.index[0]
        chosen = answers[index // 2] if 0 <= index // 2 < len(answers) else None
        return citations_html(chosen, library.catalog(), lang)

    def health(lang: str) -> Any:
        problem = library.health()
        if problem is None:
            return gr.update(visible=False)
        return gr.update(value=text("index_down", lang).format(error=problem), visible=True)

    def new_conversation(lang: str) -> tuple[Any, ...]:
        return [], [], citations_html(None, None, lang)

    @_guarded
    def ingest(
        files: list[str] | None,
        lang: str,
        progress: gr.Progress = gr.Progress(),  # noqa: B008  (Gradio injects the tracker through this default)
    ) -> tuple[Any, ...]:
        if not files:
            return text("no_files", lang), gr.update(), gr.update(), gr.update(), gr.update()
        problems, paths = [], []
        settings.upload_dir.mkdir(parents=True, exist_ok=True)
        for name in files:
            source = Path(name)
            if source.suffix.lower() not in SUFFIXES:
                problems.append(text("bad_type", lang).format(name=source.name))
            elif source.stat().st_size > settings.max_upload_mb * 1024 * 1024:
                problems.append(text("too_big", lang).format(name=source.name, mb=settings.max_upload_mb))
            else:
                # Only the base name, inside the data dir: an upload cannot choose where it lands.
                target = settings.upload_dir / Path(source.name).name
                shutil.copyfile(source, target)
                paths.append(target)
        # Words, not emoji: an intranet PC's fonts often have no emoji glyphs.
        lines = [f"**{text('failed', lang)}**：{p}" for p in problems]
        if paths:
            report = library.ingest(paths, lambda stage, done, total: progress((done, max(total, 1)), desc=stage))
            done = report.added + report.replaced
            lines += [f"**{text('ingested', lang)}**：{d.title}（{d.number or '—'}）" for d in done]
            lines += [f"**{text('unchanged', lang)}**：{d.title}" for d in report.unchanged]
            lines += [f"**{text('failed', lang)}**：{name}：{reason}" for name, reason in report.failed]
            for name, _ in report.failed:  # keep no copy of a file that did not go in
                (settings.upload_dir / name).unlink(missing_ok=True)
        choices = scope_choices(lang)
        docs = choices[1:]
        picked = gr.update(choices=docs, value=None)
        return "\n\n".join(lines), doc_table(lang), gr.update(choices=choices), picked, gr.update(choices=docs)

    @_guarded
    def remove(doc_id: str | None, lang: str) -> tuple[Any, ...]:
        if not doc_id:
            return text("pick_first", lang), gr.update(), gr.update(), gr.update(), gr.update()
        try:
            doc = library.remove(doc_id)
            message = text("removed", lang).format(title=doc.title)
        except PlanqaError as err:
            message = f"**{text('failed', lang)}**：{err}"
        choices = scope_choices(lang)
        return (
            message,
            doc_table(lang),
            gr.update(choices=choices, value=""),
            gr.update(choices=choices[1:], value=None),
        )

    @_guarded
    def browse(doc: str | None, query: str, year: str, lang: str) -> tuple[Any, ...]:
        catalog = library.catalog()
        if not doc or doc not in catalog.docs:
            return "", gr.update(value=[])
        rows = deadline_rows(catalog, doc, int(year) if year and year.isdigit() else None, query or "")
        headers = text("deadline_headers", lang).split("|")
        table = gr.Dataframe(value=rows, headers=headers, column_widths=DEADLINE_WIDTHS)
        return tree_html(catalog, doc, query or "", text("ask_clause", lang)), table

    @_guarded
    def export(doc: str | None) -> Any:
        from planqa.outline import briefing_xlsx

        catalog = library.catalog()
        if not doc or doc not in catalog.docs:
            return None
        folder = settings.export_dir or settings.upload_dir.parent / "exports"
        folder.mkdir(parents=True, exist_ok=True)
        return str(briefing_xlsx(catalog, doc, folder / f"{doc}-briefing.xlsx"))

    @_guarded
    def switch(choice: str) -> tuple[Any, ...]:
        lang = "en" if choice == "English" else "zh"
        return (
            lang,
            text("title", lang),
            gr.update(label=text("chat", lang)),
            gr.update(label=text("question", lang), placeholder=text("placeholder", lang)),
            gr.update(value=text("send", lang)),
            gr.update(value=text("new", lang)),
            gr.update(label=text("scope", lang), choices=scope_choices(lang)),
            gr.update(samples=[[q] for q in EXAMPLES[lang]], label=text("examples", lang)),
            f"### {text('citations', lang)}",
            doc_table(lang),
            gr.update(label=text("upload", lang)),
            gr.update(value=text("ingest", lang)),
            gr.update(label=text("remove_pick", lang)),
            gr.update(value=text("remove", lang)),
            gr.update(label=text("browse_doc", lang)),
            gr.update(label=text("search", lang), placeholder=text("search_ph", lang)),
            f"### {text('tree', lang)}",
            f"### {text('deadlines', lang)}",
            gr.update(value=text("export", lang)),
        )

    with gr.Blocks(title="planqa · 规划问答", analytics_enabled=False) as app:
        lang = gr.State("zh")
        answers = gr.State([])
        with gr.Row():
            title = gr.Markdown(text("title"))
            language = gr.Radio(
                ["中文", "English"], value="中文", show_label=False, scale=0, min_width=180, elem_id="language"
            )
        banner = gr.Markdown(visible=False, elem_id="index-down")
        with gr.Tabs():
            with gr.Tab(text("tab_chat"), id="chat"), gr.Row(equal_height=False):
                with gr.Column(scale=3, min_width=320):
                    scope = gr.Dropdown(scope_choices("zh"), value="", label=text("scope"), elem_id="scope")
                    chatbot = gr.Chatbot(label=text("chat"), elem_id="chatbot", height=460)
                    with gr.Row():
                        box = gr.Textbox(
                            label=text("question"), placeholder=text("placeholder"), elem_id="question", scale=5
                        )
                        send = gr.Button(text("send"), variant="primary", scale=1, min_width=80, elem_id="send")
                    clear = gr.Button(text("new"), size="sm", elem_id="new-chat")
                    examples = gr.Examples([[q] for q in EXAMPLES["zh"]], inputs=[box], label=text("examples"))
                with gr.Column(scale=2, min_width=300):
                    heading = gr.Markdown(f"### {text('citations')}")
                    panel = gr.HTML(citations_html(None, None), label=text("citations"), elem_id="citations")
            with gr.Tab(text("tab_browse"), id="browse"):
                first_doc = next(iter(scope_choices("zh")[1:]), ("", ""))[1] or None
                with gr.Row():
                    browse_doc = gr.Dropdown(
                        scope_choices("zh")[1:],
                        value=first_doc,
                        label=text("browse_doc"),
                        elem_id="browse-doc",
                        scale=3,
                    )
                    search = gr.Textbox(
                        label=text("search"), placeholder=text("search_ph"), elem_id="browse-search", scale=2
                    )
                with gr.Row(equal_height=False):
                    with gr.Column(scale=3, min_width=320):
                        tree_heading = gr.Markdown(f"### {text('tree')}")
                        tree = gr.HTML(elem_id="tree")
                    with gr.Column(scale=2, min_width=300):
                        due_heading = gr.Markdown(f"### {text('deadlines')}")
                        year = gr.Dropdown(
                            [(text("all_years"), "")] + [(str(y), str(y)) for y in range(2020, 2036)],
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
            with gr.Tab(text("tab_docs"), id="docs"):
                table = doc_table("zh")
                upload = gr.File(
                    label=text("upload"), file_count="multiple", file_types=list(SUFFIXES), elem_id="upload"
                )
                ingest_button = gr.Button(text("ingest"), variant="primary", elem_id="ingest")
                status = gr.Markdown(elem_id="ingest-status")
                with gr.Row():
                    pick = gr.Dropdown(scope_choices("zh")[1:], label=text("remove_pick"), elem_id="remove-pick")
                    remove_button = gr.Button(text("remove"), variant="stop", elem_id="remove")

        for trigger in (box.submit, send.click):
            trigger(add_question, [box, chatbot, lang], [box, chatbot], queue=False, api_visibility="private").then(
                answer_last, [chatbot, answers, scope, lang], [chatbot, answers, panel], api_visibility="private"
            )
        chatbot.select(show_selected, [answers, lang], [panel], api_visibility="private")
        clear.click(new_conversation, [lang], [chatbot, answers, panel], api_visibility="private")
        scope.change(new_conversation, [lang], [chatbot, answers, panel], api_visibility="private")
        ingest_button.click(ingest, [upload, lang], [status, table, scope, pick, browse_doc], api_visibility="private")
        remove_button.click(remove, [pick, lang], [status, table, scope, pick, browse_doc], api_visibility="private")
        browsed = [browse_doc, search, year, lang]
        for trigger in (browse_doc.change, search.submit, year.change, app.load):
            trigger(browse, browsed, [tree, due], api_visibility="private")
        search.change(browse, browsed, [tree, due], api_visibility="private", trigger_mode="always_last")
        export_button.click(export, [browse_doc], [export_file], api_visibility="private")
        worded = [lang, title, chatbot, box, send, clear, scope, examples.dataset, heading, table, upload]
        worded += [ingest_button, pick, remove_button, browse_doc, search, tree_heading, due_heading, export_button]
        language.change(switch, [language], worded, api_visibility="private")
        for trigger in (gr.Timer(HEALTH_SECONDS).tick, app.load):
            trigger(health, [lang], [banner], queue=False, show_progress="hidden", api_visibility="private")
        gr.api(ask, api_name="ask")
    return app
