"""``/v1/chat/completions`` on planqa serve, called with the official ``openai`` client."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.servers import planqa_serve

openai = pytest.importorskip("openai")
QUESTION = "省级临床重点专科2024年底的目标是多少？"


def _client(url: str, key: str = "unused") -> object:
    return openai.OpenAI(base_url=url.rstrip("/") + "/v1", api_key=key, max_retries=0, timeout=120)


def test_plain_streamed_history_and_models(tmp_path: Path) -> None:
    with planqa_serve(tmp_path / "data", PLANQA_EMBED_MODEL="hashing") as url:
        client = _client(url)
        assert [m.id for m in client.models.list().data] == ["planqa"]
        done = client.chat.completions.create(model="planqa", messages=[{"role": "user", "content": QUESTION}])
        message = done.choices[0].message
        extra = message.model_extra["planqa"]
        assert set(extra) == {"first_line", "abstained", "kind", "index_version", "citations"}
        assert message.content.startswith(extra["first_line"]) and done.model == "planqa"
        if extra["citations"]:  # numbered sources in the text, for plain clients
            assert "[1] 《" in message.content and extra["citations"][0]["section"] in message.content

        stream = client.chat.completions.create(
            model="planqa", messages=[{"role": "user", "content": QUESTION}], stream=True
        )
        chunks = list(stream)
        texts = [c.choices[0].delta.content for c in chunks if c.choices and c.choices[0].delta.content]
        assert texts == [message.content]  # the checked answer as one chunk, then the end
        assert chunks[-1].choices[0].finish_reason == "stop"

        history = [
            {"role": "system", "content": "你是助手"},
            {"role": "user", "content": QUESTION},
            {"role": "assistant", "content": message.content},
            {"role": "user", "content": "那2025年底呢？"},
        ]
        follow = client.chat.completions.create(model="planqa", messages=history).choices[0].message
        assert follow.model_extra["planqa"]["first_line"] != extra["first_line"] or extra["abstained"]

        off = client.chat.completions.create(model="planqa", messages=[{"role": "user", "content": "火星的天气如何？"}])
        assert off.choices[0].message.model_extra["planqa"]["abstained"] is True  # a normal reply that says so

        with pytest.raises(openai.BadRequestError, match="user message"):
            client.chat.completions.create(model="planqa", messages=[{"role": "system", "content": "只有系统"}])


def test_login_on_the_endpoint_is_the_pages_login(tmp_path: Path) -> None:
    with planqa_serve(tmp_path / "data", PLANQA_EMBED_MODEL="hashing", PLANQA_AUTH="admin:secret") as url:
        with pytest.raises(openai.AuthenticationError):
            _client(url, "admin:wrong").models.list()
        with pytest.raises(openai.AuthenticationError):
            _client(url).chat.completions.create(model="planqa", messages=[{"role": "user", "content": QUESTION}])
        ok = _client(url, "admin:secret").chat.completions.create(
            model="planqa", messages=[{"role": "user", "content": QUESTION}]
        )
        assert "planqa" in ok.choices[0].message.model_extra


@pytest.mark.slow
def test_answers_equal_planqa_ask_json_on_the_public_gold_set(tmp_path: Path) -> None:
    """Item for item, what the endpoint returns is the answer ``planqa ask --json`` gives."""
    from planqa.assistant import Assistant
    from planqa.config import DEFAULT_MODEL, Config
    from planqa.eval.gold import load_gold
    from planqa.library import Library

    data = tmp_path / "data"
    items = [i for i in load_gold() if not i.corpus]
    with planqa_serve(data) as url:
        client = _client(url)
        got = []
        for item in items:
            messages = [{"role": "user", "content": turn} for turn in item.turns]
            got.append(client.chat.completions.create(model="planqa", messages=messages).choices[0].message)
    assistant = Assistant(Library.from_config(Config(data_dir=data, embed_model=DEFAULT_MODEL)))
    for item, message in zip(items, got, strict=True):
        want = assistant.ask(item.question, list(item.turns[:-1]))
        extra = message.model_extra["planqa"]
        assert message.content.startswith(want.text), item.id
        for key in ("first_line", "abstained", "citations"):
            assert extra[key] == want.to_dict()[key], (item.id, key)
