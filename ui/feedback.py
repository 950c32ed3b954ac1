"""有用 / 有误 under the chat: a verdict on the answer whose sources are shown (the last, or the one
clicked in the conversation), and for 有误 a short correction form.

A record keeps the question, the earlier questions, the answer, its citations and the index version
it came from (``planqa.feedback``); ``planqa feedback --to-gold`` turns corrections into gold items.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import gradio as gr

from planqa.feedback import ChromaFeedback, Feedback, FeedbackStore
from planqa.types import Answer
from planqa.ui.strings import text


@dataclass
class FeedbackPanel:
    useful: Any
    wrong: Any
    form: Any
    what: Any
    correct: Any
    clause: Any
    submit: Any
    status: Any


def build_feedback_panel() -> FeedbackPanel:
    with gr.Row():
        useful = gr.Button(text("fb_useful"), size="sm", elem_id="fb-useful", interactive=False)
        wrong = gr.Button(text("fb_wrong"), size="sm", elem_id="fb-wrong", interactive=False)
    with gr.Group(visible=False, elem_id="fb-form") as form:
        what = gr.Textbox(label=text("fb_what"), lines=2, max_length=2000, elem_id="fb-what")
        correct = gr.Textbox(label=text("fb_correct"), lines=2, max_length=2000, elem_id="fb-correct")
        clause = gr.Dropdown([], label=text("fb_clause"), elem_id="fb-clause", interactive=True)
        submit = gr.Button(text("fb_submit"), variant="primary", size="sm", elem_id="fb-submit")
    status = gr.Markdown("", elem_id="fb-status")
    return FeedbackPanel(useful, wrong, form, what, correct, clause, submit, status)


def clause_choices(answer: Answer | None) -> list[tuple[str, str]]:
    """The clauses a user may point at as holding the right answer: the cited, then the retrieved."""
    if answer is None:
        return []
    seen: dict[str, str] = {}
    for c in answer.citations:
        seen.setdefault(c.text, f"《{c.doc_title}》{c.clause}")
    for h in answer.retrieved:
        seen.setdefault(h.clause.text, f"《{h.clause.doc_title}》{h.clause.label}")
    return [("—", ""), *((label, body) for body, label in seen.items())]


def record(
    store: FeedbackStore | ChromaFeedback,
    verdict: str,
    answer: Answer,
    questions: list[str],
    what: str = "",
    correct: str = "",
    clause: str = "",
) -> int:
    """Store a verdict on ``answer``; ``questions`` are the conversation's questions up to and with its own."""
    item = Feedback(
        verdict,
        answer.question,
        answer.text,
        tuple(questions[:-1]),
        tuple(answer.to_dict()["citations"]),
        answer.index_version,
        what.strip(),
        correct.strip(),
        clause,
    )
    return store.add(item)
