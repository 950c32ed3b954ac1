"""What every tab of the page shares: the Assistant, the server's settings, and a small interface.

Each tab is built by its own function and returns a ``Tab``: the words it shows (``relabel``) and what
it shows of the indexed notices (``refresh``), each as a mapping from component to update. Handlers
return such mappings too, so an event's outputs are derived from the keys instead of being kept in
step with a positional tuple by hand (a tuple one value short once broke the 删除 button).
"""

from __future__ import annotations

import functools
import logging
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import gradio as gr

from planqa.assistant import Assistant
from planqa.errors import PlanqaError
from planqa.library import Library
from planqa.ui.strings import text

log = logging.getLogger("planqa.ui")
MAX_UPLOAD_MB = 20  # a plan notice is a few MB at most; larger is a scan or a mistake
Updates = dict[Any, Any]  # component → gr.update(...) or a value


@dataclass(frozen=True)
class Settings:
    """What ``planqa serve`` decides about the page."""

    upload_dir: Path  # uploads are kept here (inside the data dir), one folder per file content
    max_upload_mb: int = MAX_UPLOAD_MB
    export_dir: Path | None = None  # briefing workbooks are written here (inside the data dir)
    temp_dir: Path | None = None  # the web server's upload cache: a file is deleted there once kept


@dataclass(frozen=True)
class Page:
    """The shared parts every tab builder gets."""

    assistant: Assistant
    settings: Settings
    lang: gr.State  # "zh" or "en"

    @property
    def library(self) -> Library:
        return self.assistant.library

    def scope_choices(self, lang: str) -> list[tuple[str, str]]:
        """ "All notices" then each indexed notice, as (label, id) pairs for a dropdown."""
        return [(text("all_docs", lang), ""), *[(d.title, d.id) for d in self.library.documents()]]


@dataclass(frozen=True)
class Tab:
    """One built tab: how its words change with the language and its lists with the library."""

    tab: gr.Tab
    title_key: str  # its name in ui/strings
    words: Callable[[str], Updates]  # lang → updates of its labels
    documents: Callable[[str], Updates] = field(default=lambda lang: {})  # lang → updates of notice lists

    def relabel(self, lang: str) -> Updates:
        return {self.tab: gr.update(label=text(self.title_key, lang)), **self.words(lang)}


def guarded(handler: Callable[..., Any]) -> Callable[..., Any]:
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
