"""The Gradio app: a chat with a citations panel, a browse tab and a documents tab, over the one
``Assistant``.

Everything the page does goes through ``Assistant.ask`` and the ``Library``, as the CLI and the eval
runner do, so what the eval measures is what officials see. The page holds no state of its own
beyond the conversation: the index is the data dir's, shared with the CLI. Each tab has its own
builder (``tab_chat``, ``tab_browse``, ``tab_docs``); this module lays them out and wires what spans
them: the language switch, the index banner and the ``/ask`` API.
"""

from __future__ import annotations

from typing import Any

import gradio as gr

from planqa.assistant import Assistant
from planqa.ui.browse import ASK_JS, BROWSE_CSS
from planqa.ui.page import MAX_UPLOAD_MB, Page, Settings, Updates, guarded
from planqa.ui.render import PANEL_CSS
from planqa.ui.source import SOURCE_CSS
from planqa.ui.strings import text
from planqa.ui.tab_browse import build_browse_tab
from planqa.ui.tab_chat import ask_api, build_chat_tab
from planqa.ui.tab_docs import build_docs_tab

__all__ = ["CSS", "HEAD", "MAX_UPLOAD_MB", "Settings", "build_app"]
HEAD = ASK_JS
HEALTH_SECONDS = 3  # how soon the page notices the index server going away, and coming back
CSS = (
    PANEL_CSS
    + BROWSE_CSS
    + SOURCE_CSS
    + """
#citations{max-height:78vh;overflow-y:auto}
#index-down{border:1px solid #c2410c;background:#fff7ed;color:#7c2d12;border-radius:8px;padding:10px 14px}
#chatbot details summary{cursor:pointer;color:var(--body-text-color-subdued)}
@media (max-width: 720px){#citations{max-height:none}}
"""
)


def build_app(assistant: Assistant, settings: Settings) -> gr.Blocks:
    library = assistant.library
    with gr.Blocks(title="planqa · 规划问答", analytics_enabled=False) as app:
        page = Page(assistant, settings, gr.State("zh"))
        with gr.Row():
            title = gr.Markdown(text("title"))
            language = gr.Radio(
                ["中文", "English"], value="中文", show_label=False, scale=0, min_width=180, elem_id="language"
            )
        banner = gr.Markdown(visible=False, elem_id="index-down")
        with gr.Tabs():
            chat = build_chat_tab(page)
            browse = build_browse_tab(page)

            def others(lang: str) -> Updates:
                return {**chat.documents(lang), **browse.documents(lang)}

            docs = build_docs_tab(page, others)
        tabs = (chat, browse, docs)

        def relabel(lang: str) -> Updates:
            updates: Updates = {page.lang: lang, title: text("title", lang)}
            for tab in tabs:
                updates.update(tab.relabel(lang))
            return updates

        @guarded
        def switch(choice: str) -> Updates:
            return relabel("en" if choice == "English" else "zh")

        def health(lang: str) -> Any:
            problem = library.health()
            if problem is None:
                return gr.update(visible=False)
            return gr.update(value=text("index_down", lang).format(error=problem), visible=True)

        language.change(switch, [language], list(relabel("zh")), api_visibility="private")
        for trigger in (gr.Timer(HEALTH_SECONDS).tick, app.load):
            trigger(health, [page.lang], [banner], queue=False, show_progress="hidden", api_visibility="private")
        gr.api(ask_api(page), api_name="ask")
    return app
