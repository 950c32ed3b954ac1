"""The chat tab: questions and answers on the left, the cited clauses in full on the right."""

from __future__ import annotations

import logging
from collections.abc import Callable
from html import escape
from typing import Any

import gradio as gr

from planqa.assistant import SOURCE_LABELS
from planqa.errors import PlanqaError
from planqa.feedback import open_feedback
from planqa.types import Answer
from planqa.ui.feedback import build_feedback_panel, clause_choices, record
from planqa.ui.page import Page, Tab, Updates, guarded
from planqa.ui.render import citations_html
from planqa.ui.source import build_source_panel, show
from planqa.ui.strings import EXAMPLES, text

log = logging.getLogger("planqa.ui")
CHAT_HEIGHT = 460  # px: room for a question, an answer's first lines and the next question on a laptop
# When a reply arrives, scroll its first line (the answer itself) to the top of the chat box: the
# box would otherwise show a long reply's end, which is quoted text the citations panel shows anyway.
# 44 px: the chat box's own label floats over its top edge; the reply starts below it.
SHOW_REPLY_JS = """
() => { setTimeout(() => {
  const LABEL_PX = 44;
  const bots = document.querySelectorAll('#chatbot [data-testid="bot"]');
  const last = bots[bots.length - 1];
  if (!last) return;
  let box = last.parentElement;
  while (box && !(box.scrollHeight > box.clientHeight + 1 && /(auto|scroll)/.test(getComputedStyle(box).overflowY))) {
    box = box.parentElement;
  }
  if (box) box.scrollTop += last.getBoundingClientRect().top - box.getBoundingClientRect().top - LABEL_PX;
}, 80); }
"""


def chat_markdown(answer: Answer, lang: str) -> str:
    """An answer as a chat message: the first line in bold, list lines as they are, and the source
    and quote lines folded (the citations panel shows them in full)."""
    first, _, rest = answer.text.partition("\n")
    body, sources = [], []
    for line in rest.splitlines():
        (sources if line.startswith(("> ", *SOURCE_LABELS)) else body).append(line)
    parts = [f"**{_md_escape(first)}**", *(_md_escape(line) for line in body)]
    if sources:
        inner = "".join(
            f"<blockquote>{escape(line[2:])}</blockquote>" if line.startswith("> ") else f"<p>{escape(line)}</p>"
            for line in sources
        )
        summary = text("sources_fold", lang).format(n=sum(not s.startswith("> ") for s in sources))
        parts.append(f"<details><summary>{summary}</summary>{inner}</details>")
    return "\n\n".join(parts)


def _md_escape(line: str) -> str:
    return line.replace("*", "\\*").replace("_", "\\_").replace("<", "&lt;")


def _plain(content: Any) -> str:
    """A chat message's text: Gradio sends it back as a string or as a list of typed parts."""
    if isinstance(content, str):
        return content
    if isinstance(content, dict):
        return str(content.get("text") or "")
    if isinstance(content, list):
        return "".join(_plain(part) for part in content)
    return ""


def build_chat_tab(page: Page) -> Tab:
    assistant, library = page.assistant, page.library
    with gr.Tab(text("tab_chat"), id="chat") as tab, gr.Row(equal_height=False):
        answers = gr.State([])  # inside the tab: a bare child of gr.Tabs shifts the tab labels
        with gr.Column(scale=3, min_width=320):
            scope = gr.Dropdown(page.scope_choices("zh"), value="", label=text("scope"), elem_id="scope")
            chatbot = gr.Chatbot(label=text("chat"), elem_id="chatbot", height=CHAT_HEIGHT, autoscroll=False)
            with gr.Row():
                box = gr.Textbox(label=text("question"), placeholder=text("placeholder"), elem_id="question", scale=5)
                send = gr.Button(text("send"), variant="primary", scale=1, min_width=80, elem_id="send")
            fb = build_feedback_panel()
            clear = gr.Button(text("new"), size="sm", elem_id="new-chat")
            examples = gr.Examples([[q] for q in EXAMPLES["zh"]], inputs=[box], label=text("examples"))
        with gr.Column(scale=2, min_width=300):
            heading = gr.Markdown(f"### {text('citations')}")
            panel = gr.HTML(citations_html(None, None), label=text("citations"), elem_id="citations")
            source = build_source_panel()

    def add_question(message: str, history: list[dict[str, Any]], lang: str) -> tuple[Any, ...]:
        if not (message or "").strip():
            return gr.update(), history
        thinking = {"role": "assistant", "content": text("thinking", lang)}
        return "", [*history, {"role": "user", "content": message}, thinking]

    def answer_last(history: list[dict[str, Any]], done: list[Answer], scope_id: str, lang: str) -> tuple[Any, ...]:
        if not history or history[-1]["role"] != "assistant" or len(done) * 2 >= len(history):
            return history, done, gr.update()
        question = _plain(history[-2]["content"])
        earlier = [_plain(m["content"]) for m in history[:-2] if m["role"] == "user"]
        try:
            answer = assistant.ask(question, earlier, [scope_id] if scope_id else ())
            shown = citations_html(answer, library.catalog(), lang)
        except Exception as err:  # a page must never show a traceback; the log keeps it
            if isinstance(err, PlanqaError):
                log.warning("ask failed: %s", err)
            else:
                log.exception("ask failed")
            reason = str(err) if isinstance(err, PlanqaError) else type(err).__name__
            answer = Answer(question, text("error", lang).format(error=reason), True, kind="error")
            shown = citations_html(answer, None, lang)
        history = [*history[:-1], {"role": "assistant", "content": chat_markdown(answer, lang)}]
        return history, [*done, answer], shown

    @guarded
    def show_selected(done: list[Answer], lang: str, evt: gr.SelectData) -> str:
        index = evt.index if isinstance(evt.index, int) else evt.index[0]
        chosen = done[index // 2] if 0 <= index // 2 < len(done) else None
        return citations_html(chosen, library.catalog(), lang)

    def new_conversation(lang: str) -> tuple[Any, ...]:
        return [], [], citations_html(None, None, lang)

    store = open_feedback(library.data_dir, library.store.url) if library.data_dir or library.store.url else None
    after = [*source.outputs, fb.useful, fb.wrong, fb.form, fb.clause, fb.status]

    @guarded
    def after_answer(done: list[Answer], lang: str) -> list[Any]:
        """The new answer's original page, and the feedback buttons armed for it."""
        last = done[-1] if done else None
        armed = gr.update(interactive=last is not None and store is not None and last.kind != "error")
        choices = gr.update(choices=clause_choices(last), value="")
        return [*show(library, done, len(done) - 1, 0, 0, lang), armed, armed, gr.update(visible=False), choices, ""]

    @guarded
    def source_of_selected(done: list[Answer], lang: str, evt: gr.SelectData) -> list[Any]:
        index = evt.index if isinstance(evt.index, int) else evt.index[0]
        return show(library, done, index // 2, 0, 0, lang)

    def turner(step: int) -> Any:
        @guarded
        def turn(done: list[Answer], state: tuple[int, int, int], lang: str) -> list[Any]:
            index, cite, at = state
            return show(library, done, index, cite, max(1, at + step), lang)

        return turn

    @guarded
    def choose(done: list[Answer], state: tuple[int, int, int], cite: int | None, lang: str) -> list[Any]:
        return show(library, done, state[0], int(cite or 0), 0, lang)

    def questions(history: list[dict[str, Any]]) -> list[str]:
        return [_plain(m["content"]) for m in history if m["role"] == "user"]

    def shown(done: list[Answer], state: tuple[int, int, int]) -> int:
        """The answer feedback is about: the one whose sources are shown (the last, or one clicked)."""
        return state[0] if 0 <= state[0] < len(done) else len(done) - 1

    @guarded
    def useful(done: list[Answer], state: Any, history: list[dict[str, Any]], lang: str) -> tuple[Any, ...]:
        if not done or store is None:
            return gr.update(), ""
        at = shown(done, state)
        record(store, "useful", done[at], questions(history)[: at + 1])
        return gr.update(visible=False), text("fb_thanks", lang)

    @guarded
    def submit(
        done: list[Answer], state: Any, history: list[dict[str, Any]], what: str, correct: str, clause: str, lang: str
    ) -> tuple[Any, ...]:
        if not done or store is None:
            return gr.update(), gr.update(), gr.update(), ""
        if not (what or "").strip() and not (correct or "").strip():
            return gr.update(), gr.update(), gr.update(), text("fb_empty", lang)
        at = shown(done, state)
        number = record(store, "wrong", done[at], questions(history)[: at + 1], what or "", correct or "", clause or "")
        return gr.update(visible=False), "", "", text("fb_saved", lang).format(id=number)

    private: dict[str, Any] = {"api_visibility": "private"}
    for trigger in (box.submit, send.click):
        answered = trigger(add_question, [box, chatbot, page.lang], [box, chatbot], queue=False, **private).then(
            answer_last, [chatbot, answers, scope, page.lang], [chatbot, answers, panel], **private
        )
        answered.then(None, js=SHOW_REPLY_JS, **private)  # at once: the page image must not delay it
        answered.then(after_answer, [answers, page.lang], after, **private)
    chatbot.select(show_selected, [answers, page.lang], [panel], **private)
    chatbot.select(source_of_selected, [answers, page.lang], source.outputs, **private)
    for reset in (clear.click, scope.change):
        reset(new_conversation, [page.lang], [chatbot, answers, panel], **private).then(
            after_answer, [answers, page.lang], after, **private
        )
    source.prev.click(turner(-1), [answers, source.state, page.lang], source.outputs, **private)
    source.next.click(turner(+1), [answers, source.state, page.lang], source.outputs, **private)
    source.which.input(choose, [answers, source.state, source.which, page.lang], source.outputs, **private)
    fb.useful.click(useful, [answers, source.state, chatbot, page.lang], [fb.form, fb.status], **private)
    fb.wrong.click(lambda: (gr.update(visible=True), ""), None, [fb.form, fb.status], **private)
    fb.submit.click(
        submit,
        [answers, source.state, chatbot, fb.what, fb.correct, fb.clause, page.lang],
        [fb.form, fb.what, fb.correct, fb.status],
        **private,
    )

    def words(lang: str) -> Updates:
        return {
            chatbot: gr.update(label=text("chat", lang)),
            box: gr.update(label=text("question", lang), placeholder=text("placeholder", lang)),
            send: gr.update(value=text("send", lang)),
            clear: gr.update(value=text("new", lang)),
            scope: gr.update(label=text("scope", lang), choices=page.scope_choices(lang)),
            examples.dataset: gr.update(samples=[[q] for q in EXAMPLES[lang]], label=text("examples", lang)),
            heading: f"### {text('citations', lang)}",
            fb.useful: gr.update(value=text("fb_useful", lang)),
            fb.wrong: gr.update(value=text("fb_wrong", lang)),
            fb.what: gr.update(label=text("fb_what", lang)),
            fb.correct: gr.update(label=text("fb_correct", lang)),
            fb.clause: gr.update(label=text("fb_clause", lang)),
            fb.submit: gr.update(value=text("fb_submit", lang)),
            source.which: gr.update(label=text("source_which", lang)),
            source.download: gr.update(label=text("source_download", lang)),
        }

    def documents(lang: str) -> Updates:
        return {scope: gr.update(choices=page.scope_choices(lang), value="")}

    return Tab(tab, "tab_chat", words, documents)


def ask_api(page: Page) -> Callable[[str, str], dict[str, Any]]:
    """The named ``/ask`` endpoint: ``Client(url).predict("…", api_name="/ask")``."""

    def ask(question: str, scope: str = "") -> dict[str, Any]:
        """Ask planqa one question; JSON with the answer, whether it abstained, and its citations.

        ``scope`` is a notice id from the documents tab, or "" for all notices.
        """
        if not isinstance(question, str) or not isinstance(scope, str):
            raise gr.Error(text("api_types", "en"), print_exception=False)
        return page.assistant.ask(question, (), [scope] if scope else ()).to_dict()

    return ask
