"""``planqa serve``: the web chat, over the same Assistant and index as the other commands."""

from __future__ import annotations

import os
import sys
from pathlib import Path

import click

from planqa.cli.base import _Bar, _friendly, _library, cli
from planqa.errors import PlanqaError


class BadAuth(PlanqaError):
    """PLANQA_AUTH / --auth could not be read as user:password pairs."""


def read_auth(spec: str) -> list[tuple[str, str]]:
    """``user:pass`` or a file of ``user:pass`` lines (``#`` comments) → Gradio's auth pairs."""
    lines = Path(spec).read_text("utf-8").splitlines() if Path(spec).is_file() else [spec]
    pairs = []
    for line in lines:
        line = line.strip()
        if not line or line.startswith("#"):
            continue
        user, sep, password = line.partition(":")
        if not sep or not user or not password:
            raise BadAuth("登录设置应为 user:password 或每行一个 user:password 的文件 / auth must be user:password")
        pairs.append((user, password))
    if not pairs:
        raise BadAuth("登录设置为空 / the auth file names no user")
    return pairs


@cli.command()
@click.option(
    "--host", default="127.0.0.1", show_default=True, help="监听地址；对外开放请显式指定 0.0.0.0 / bind address"
)
@click.option("--port", default=7860, show_default=True, type=int, help="端口 / port")
@click.option(
    "--auth", envvar="PLANQA_AUTH", help="登录：user:password 或账号文件 / login pair or file [env PLANQA_AUTH]"
)
@click.option("--share", is_flag=True, help="生成公网分享链接（默认关闭）/ a public share link (off by default)")
@click.option("--max-upload-mb", default=20, show_default=True, type=int, help="上传文件大小上限 / upload size limit")
@click.pass_context
@_friendly
def serve(ctx: click.Context, host: str, port: int, auth: str | None, share: bool, max_upload_mb: int) -> None:
    """启动网页问答（Gradio）/ start the web chat.

    \b
    Opens a chat with a citations panel and a documents tab (upload, remove, scope) on the same
    index as the other commands; with an empty index the bundled notices are ingested first.
    Scripts can call the named API endpoint "ask" with gradio_client:
      Client("http://127.0.0.1:7860").predict("省级临床重点专科2024年底的目标是多少？", "", api_name="/ask")

    \b
    Examples:
      planqa serve                              http://127.0.0.1:7860, this machine only
      PLANQA_AUTH=admin:secret planqa serve --host 0.0.0.0
    """
    config = ctx.obj
    # Gradio keeps uploads in its cache before a handler sees them: keep that inside the data dir too.
    os.environ.setdefault("GRADIO_TEMP_DIR", str(config.data_dir / "gradio-tmp"))
    temp_dir = Path(os.environ["GRADIO_TEMP_DIR"])
    os.environ.setdefault("GRADIO_ANALYTICS_ENABLED", "False")
    credentials = read_auth(auth) if auth else None
    from planqa.assistant import Assistant
    from planqa.library import ORIGINALS
    from planqa.ui.app import CSS, HEAD, Settings, build_app
    from planqa.ui.login import Login
    from planqa.ui.openai_api import routes
    from planqa.ui.strings import text

    library = _library(ctx)
    library.ensure_corpus(_Bar(sys.stderr.isatty()))
    assistant = Assistant.from_config(config, library)
    assistant.warm()  # the model and the indexes load before the first visitor, not during
    settings = Settings(config.data_dir / "uploads", max_upload_mb, temp_dir=temp_dir)
    app = build_app(assistant, settings)
    click.echo(f"planqa: http://{host}:{port}  (Ctrl-C 退出 / to stop)", err=True)
    login = Login(credentials) if credentials else None
    app.queue(default_concurrency_limit=4).launch(
        app_kwargs={"routes": routes(assistant, login)},  # /v1/chat/completions, /v1/models: same port, login
        server_name=host,
        server_port=port,
        share=share,
        auth=login.check if login else None,
        auth_message=f"{text('login', 'zh')}<br>{text('login', 'en')}",
        i18n=_login_words(),
        max_file_size=f"{max_upload_mb}mb",
        allowed_paths=[str(config.data_dir / ORIGINALS)],  # the kept PDFs, for 下载原件 beside a cited page
        show_error=False,
        quiet=True,
        css=CSS,
        head=HEAD,
        theme=_theme(),
        footer_links=["api"],
    )


def _login_words():  # -> gr.I18n
    """Chinese first on the login page too, whatever the browser's language (Gradio's own words
    follow the browser: an English browser showed an English-only login to a Chinese page)."""
    import gradio as gr

    words = {
        "login.login": "登录 / Log in",
        "login.username": "用户名 / User name",
        "login.password": "密码 / Password",
    }
    return gr.I18n(en=words, **{"zh-CN": words})


def _theme():  # -> gr.Theme
    import gradio as gr

    # System fonts only: the default theme links Google Fonts, which an offline intranet cannot reach.
    fonts = ["Noto Sans CJK SC", "PingFang SC", "Microsoft YaHei", "system-ui", "sans-serif"]
    return gr.themes.Soft(font=fonts, font_mono=["ui-monospace", "monospace"])
