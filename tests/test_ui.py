"""The web app as a person uses it: ``planqa serve`` on a loopback port, driven by Debian's Chromium
through Playwright, and its ``ask`` API called with gradio_client.

Screenshots go to ``$PLANQA_SCREENSHOTS`` when set (the README's pictures come from here), else to
the test's temporary folder.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING

import pytest

if TYPE_CHECKING:
    from playwright.sync_api import Browser

from planqa.eval.gold import eval_notices
from planqa.eval.pdfmaker import notice_pdf
from tests.servers import chroma_server, planqa_serve

CHROMIUM = Path("/usr/bin/chromium")
UNSEEN = eval_notices() / "nanchuan-elderly-care-plan-2024.txt"
pytestmark = pytest.mark.browser


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    with planqa_serve(tmp_path_factory.mktemp("serve") / "data") as url:
        yield url


@pytest.fixture(scope="module")
def shots(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = Path(os.environ.get("PLANQA_SCREENSHOTS") or tmp_path_factory.mktemp("shots"))
    folder.mkdir(parents=True, exist_ok=True)
    return folder


def test_ask_endpoint_with_gradio_client(server: str) -> None:
    from gradio_client import Client

    client = Client(server, verbose=False)
    result = client.predict("省级临床重点专科2024年底的目标是多少？", "", api_name="/ask")
    assert result["abstained"] is False and "100个以上" in result["first_line"]
    assert result["citations"][0]["clause"] == "5. 遴选培育临床重点专科"
    scoped = client.predict("每千人口托位数的目标是多少？", "zhushan-health-capacity-plan-2023", api_name="/ask")
    assert "3.8" in scoped["first_line"] and "4.5" not in scoped["first_line"]
    assert client.predict("", "", api_name="/ask")["abstained"] is True  # blank: a clear reply, no error


@contextmanager
def chromium() -> Iterator[Browser]:
    if not CHROMIUM.exists():
        if os.environ.get("CI"):
            pytest.fail("CI must run the browser test: /usr/bin/chromium is missing (scripts/setup.sh test)")
        pytest.skip("Debian's chromium is not installed here (scripts/setup.sh test installs it)")
    from playwright.sync_api import sync_playwright

    args = ["--no-sandbox", "--disable-background-networking", "--disable-component-update"]
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=str(CHROMIUM), headless=True, args=args)
        yield browser
        browser.close()


def test_chat_citations_upload_in_a_real_browser(server: str, shots: Path, tmp_path: Path) -> None:
    from playwright.sync_api import expect

    pdf = notice_pdf(UNSEEN.read_text("utf-8"), tmp_path / "南川省养老服务能力提升三年行动计划.pdf")
    with chromium() as browser:
        page = browser.new_page(viewport={"width": 1400, "height": 1000})
        page.goto(server)
        question = page.locator("#question textarea")

        replies = page.locator('#chatbot [data-testid="bot"]')

        def ask(text: str) -> None:
            count = replies.count()
            question.fill(text)
            question.press("Enter")
            expect(replies).to_have_count(count + 1, timeout=30_000)
            expect(replies.last).not_to_contain_text("正在检索", timeout=30_000)

        ask("省级临床重点专科2024年底的目标是多少？")
        expect(replies.last).to_contain_text("100个以上")
        panel = page.locator("#citations")
        expect(panel).to_contain_text("5. 遴选培育临床重点专科")
        expect(panel.locator("mark").first).to_contain_text("100个以上")
        page.screenshot(path=str(shots / "chat.png"), full_page=True)

        ask("那2025年底呢？")
        expect(replies.last).to_contain_text("150个以上")

        ask("珠山区每千人口托位数的目标是多少？")
        expect(panel).to_contain_text("对应上级条款")  # the provincial clause the district one localises
        expect(panel).to_contain_text("16. 提升托育服务能力")

        page.get_by_text("English", exact=True).click()
        expect(page.locator("#send")).to_have_text("Send")
        ask("What is the 2024 target for provincial key clinical specialties?")
        expect(replies.last).to_contain_text("100个以上")
        page.get_by_text("中文", exact=True).click()
        expect(page.locator("#send")).to_have_text("发送")

        page.get_by_role("tab", name="浏览计划").click()
        tree = page.locator("#tree")
        expect(tree).to_contain_text("二、重点任务", timeout=15_000)
        page.locator("#browse-search textarea").fill("托育")
        page.locator("#browse-search textarea").press("Enter")
        expect(tree).to_contain_text("16. 提升托育服务能力")
        expect(tree).not_to_contain_text("5. 遴选培育临床重点专科")  # filtered out
        expect(tree.locator("mark").first).to_have_text("托育")
        expect(page.locator("#deadlines")).to_contain_text("2024年底")
        page.screenshot(path=str(shots / "browse.png"), full_page=True)
        tree.locator('.pq-clause[data-clause="16. 提升托育服务能力"] .pq-ask').click()  # ask about it in the chat
        expect(replies.last).to_contain_text("每千人口托位数", timeout=30_000)
        expect(page.locator("#citations")).to_contain_text("16. 提升托育服务能力")

        page.get_by_role("tab", name="文件管理").click()
        page.locator("#upload input[type=file]").set_input_files(str(pdf))
        page.locator("#ingest").click()
        expect(page.locator("#ingest-status")).to_contain_text("已导入", timeout=120_000)
        expect(page.locator("#ingest-status")).to_contain_text("南政发〔2024〕7号")
        page.screenshot(path=str(shots / "documents.png"), full_page=True)

        page.get_by_role("tab", name="问答").click()
        ask("街道综合养老服务中心2025年底覆盖率要达到多少？")
        expect(replies.last).to_contain_text("80%")
        expect(panel).to_contain_text("南川省养老服务能力提升三年行动计划")
        expect(panel).to_contain_text("第1页")  # a PDF's clauses carry their page

        page.get_by_role("tab", name="文件管理").click()
        broken = tmp_path / "broken.pdf"
        broken.write_bytes(b"%PDF-1.7\n" + os.urandom(2048))
        page.locator("#upload input[type=file]").set_input_files(str(broken))
        page.locator("#ingest").click()
        expect(page.locator("#ingest-status")).to_contain_text("broken.pdf", timeout=60_000)
        expect(page.locator("#ingest-status")).to_contain_text("失败")
        page.get_by_role("tab", name="问答").click()
        ask("那2026年底呢？")  # the index is as it was: the uploaded notice still answers
        expect(replies.last).to_contain_text("100%")

        page.set_viewport_size({"width": 390, "height": 844})  # a phone
        page.screenshot(path=str(shots / "phone.png"), full_page=True)


def test_a_banner_while_the_chroma_server_is_away_and_recovery(tmp_path: Path, shots: Path) -> None:
    from playwright.sync_api import expect

    with (
        chroma_server(tmp_path) as chroma,
        planqa_serve(tmp_path / "data", PLANQA_CHROMA_URL=chroma.url) as url,
        chromium() as browser,
    ):
        page = browser.new_page(viewport={"width": 1400, "height": 900})
        page.goto(url)
        banner = page.locator("#index-down")
        replies = page.locator('#chatbot [data-testid="bot"]')
        question = page.locator("#question textarea")
        question.fill("省级临床重点专科2024年底的目标是多少？")
        question.press("Enter")
        expect(replies.last).to_contain_text("100个以上", timeout=30_000)
        expect(banner).to_be_hidden()

        chroma.kill()
        expect(banner).to_be_visible(timeout=15_000)
        expect(banner).to_contain_text("索引暂时无法访问")
        question.fill("那2025年底呢？")
        question.press("Enter")
        expect(replies).to_have_count(2, timeout=30_000)
        expect(replies.last).to_contain_text("出错了", timeout=30_000)  # one line, the index untouched
        expect(page.locator("body")).not_to_contain_text("Traceback")
        page.screenshot(path=str(shots / "index-down.png"), full_page=True)

        chroma.start()
        expect(banner).to_be_hidden(timeout=15_000)  # no reload: the page notices by itself
        question.fill("那2025年底呢？")
        question.press("Enter")
        expect(replies).to_have_count(3, timeout=30_000)
        expect(replies.last).to_contain_text("150个以上", timeout=30_000)
