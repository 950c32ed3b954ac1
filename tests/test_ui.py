"""The web app as a person uses it: ``planqa serve`` on a loopback port, driven by Debian's Chromium
through Playwright, and its ``ask`` API called with gradio_client.

Screenshots go to ``$PLANQA_SCREENSHOTS`` when set (the README's pictures come from here), else to
the test's temporary folder.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING

import pytest

if TYPE_CHECKING:
    from playwright.sync_api import Browser, Locator, Page

from planqa.eval.gold import eval_notices
from planqa.eval.pdfmaker import printed_pdf
from tests.servers import chroma_server, planqa_serve

CHROMIUM = Path("/usr/bin/chromium")
UNSEEN = eval_notices() / "nanchuan-elderly-care-plan-2024.txt"
pytestmark = [pytest.mark.browser, pytest.mark.slow]


@pytest.fixture(scope="module")
def serve_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("serve")


@pytest.fixture(scope="module")
def server(serve_dir: Path) -> Iterator[str]:
    with planqa_serve(serve_dir / "data") as url:
        yield url


@pytest.fixture(scope="module")
def shots(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = Path(os.environ.get("PLANQA_SCREENSHOTS") or tmp_path_factory.mktemp("shots"))
    folder.mkdir(parents=True, exist_ok=True)
    return folder


def test_ask_endpoint_with_gradio_client(server: str, serve_dir: Path) -> None:
    from gradio_client import Client

    client = Client(server, verbose=False)
    result = client.predict("省级临床重点专科2024年底的目标是多少？", api_name="/ask")  # scope: all notices
    assert result["abstained"] is False and "100个以上" in result["first_line"]
    for wrong in ((123,), ("托位数", ["a", "b"])):  # arguments of the wrong type: one line back, no traceback
        with pytest.raises(Exception, match="takes text"):
            client.predict(*wrong, api_name="/ask")
    assert "Traceback" not in (serve_dir / "serve-data.log").read_text("utf-8", "replace")
    assert result["citations"][0]["clause"] == "5. 遴选培育临床重点专科"
    scoped = client.predict("每千人口托位数的目标是多少？", "zhushan-health-capacity-plan-2023", api_name="/ask")
    assert "3.8" in scoped["first_line"] and "4.5" not in scoped["first_line"]
    assert client.predict("", "", api_name="/ask")["abstained"] is True  # blank: a clear reply, no error


def asker(page: Page) -> Callable[[str], None]:
    """Ask in the chat as a person does (type, Enter) and wait until the reply is complete and shown."""
    from playwright.sync_api import expect

    question = page.locator("#question textarea")
    replies = page.locator('#chatbot [data-testid="bot"]')

    def ask(text: str) -> None:
        count = replies.count()
        question.fill(text)
        question.press("Enter")
        expect(replies).to_have_count(count + 1, timeout=30_000)
        expect(replies.last).not_to_contain_text("正在检索", timeout=30_000)
        page.wait_for_timeout(300)  # the reply is scrolled to its first line after it renders

    return ask


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

    # Laid out as an office printer does: the layout that once sent the parser into a loop.
    pdf = printed_pdf(UNSEEN.read_text("utf-8"), tmp_path / "南川省养老服务能力提升三年行动计划.pdf")
    with chromium() as browser:
        page = browser.new_page(viewport={"width": 1400, "height": 1000})
        page.goto(server)
        replies = page.locator('#chatbot [data-testid="bot"]')
        ask = asker(page)

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
        expect(replies.last).to_contain_text("100个 or more by the end of 2024")
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
        for usable in ("#documents", "#ingest-status", "#remove-pick"):  # no component turned into an Error badge
            expect(page.locator(usable)).not_to_contain_text("Error")
        expect(page.locator("#documents")).to_contain_text("南政发〔2024〕7号")
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


def _in_view(page: Page, locator: Locator) -> bool:
    """Whether the element's top stands inside the visible part of the chat box."""
    box = page.locator("#chatbot").bounding_box()
    top = locator.bounding_box()
    return bool(box and top and box["y"] <= top["y"] <= box["y"] + box["height"] - 20)


def test_same_name_uploads_removal_long_answers_and_english(tmp_path: Path, shots: Path) -> None:
    from playwright.sync_api import expect

    from tests.notices import county_plan

    geng = county_plan(tmp_path / "a", "庚县", "庚", 3, 55)
    xin = county_plan(tmp_path / "b", "辛县", "辛", 8, 60)
    data = tmp_path / "data"
    with planqa_serve(data) as url, chromium() as browser:
        page = browser.new_page(viewport={"width": 1400, "height": 900})
        page.goto(url)
        page.get_by_role("tab", name="文件管理").click()
        page.locator("#upload input[type=file]").set_input_files([str(geng), str(xin)])  # both 实施方案.txt
        page.locator("#ingest").click()
        status = page.locator("#ingest-status")
        expect(status).to_contain_text("辛政发〔2024〕8号", timeout=120_000)
        expect(status).to_contain_text("庚政发〔2024〕3号")
        table = page.locator("#documents")
        expect(page.locator("body")).to_contain_text("庚县养老服务提升实施方案")
        page.locator("#ingest").click()  # the upload box was emptied: nothing is ingested twice
        expect(status).to_contain_text("请先选择文件")

        page.locator("#remove-pick input").click()
        page.get_by_role("option", name="庚县养老服务提升实施方案").click()
        page.locator("#remove").click()
        expect(status).to_contain_text("已删除：庚县养老服务提升实施方案", timeout=60_000)
        expect(page.locator(".toast-body")).to_have_count(0)  # no error notice
        expect(page.locator("body")).not_to_contain_text("Error")
        expect(table).not_to_contain_text("庚县养老服务提升实施方案")
        expect(table).to_contain_text("辛县养老服务提升实施方案")
        for selector, tab in (("#remove-pick", "文件管理"), ("#browse-doc", "浏览计划"), ("#scope", "问答")):
            page.get_by_role("tab", name=tab).click()
            page.locator(f"{selector} input").click()
            expect(page.get_by_role("option", name="辛县养老服务提升实施方案")).to_be_visible()
            expect(page.get_by_role("option", name="庚县养老服务提升实施方案")).to_have_count(0)
            page.keyboard.press("Escape")
        folders = [p.name for p in (data / "uploads").iterdir()]
        assert len(folders) == 1  # the removed notice's upload went with it
        assert not list((data / "gradio-tmp").rglob("实施方案.txt"))  # and the web server's copies

        replies = page.locator('#chatbot [data-testid="bot"]')
        ask = asker(page)

        ask("庚县养老机构护理型床位占比到2025年底要达到多少？")
        expect(replies.last).to_contain_text("没有庚县的计划")
        ask("辛县老年助餐点到2025年底要达到多少个？")
        ask("珠山区和全省的每千人口托位数目标分别是多少？")  # a long comparison: two sources and quotes
        expect(replies.last).to_contain_text("3.8")
        assert _in_view(page, replies.last.locator("strong").first), "the answer's first line is out of view"
        expect(replies.last.locator("details")).to_contain_text("依据与原文")  # sources folded
        expect(replies.last.locator("blockquote").first).to_be_hidden()
        page.screenshot(path=str(shots / "chat-long.png"))

        page.get_by_text("English", exact=True).click()
        expect(page.get_by_role("tab", name="Documents")).to_be_visible()
        expect(page.get_by_role("tab", name="Browse")).to_be_visible()
        expect(page.get_by_role("tab", name="Chat")).to_be_visible()
        ask("Compare the childcare places per 1,000 people targets of Zhushan and Jiangxi")
        expect(replies.last).to_contain_text("江西省: aiming for 4.5个")
        expect(replies.last.locator("details")).to_contain_text("Sources and quotes")
        assert _in_view(page, replies.last.locator("strong").first)
        page.screenshot(path=str(shots / "english.png"))


def test_the_login_page_is_chinese_first_and_slows_down_guesses(tmp_path: Path) -> None:
    import time
    import urllib.error
    import urllib.parse
    import urllib.request

    from playwright.sync_api import expect

    data = tmp_path / "data"
    with planqa_serve(data, PLANQA_AUTH="admin:secret") as url, chromium() as browser:
        page = browser.new_page()  # Chromium's own locale here is English
        page.goto(url)
        expect(page.locator("body")).to_contain_text("请输入账号和密码登录", timeout=30_000)
        expect(page.locator("body")).to_contain_text("登录")

        def attempt(password: str) -> int:
            body = urllib.parse.urlencode({"username": "admin", "password": password}).encode()
            try:
                with urllib.request.urlopen(f"{url}login", body, timeout=60) as reply:
                    return reply.status
            except urllib.error.HTTPError as err:
                return err.code

        started = time.monotonic()
        assert [attempt(f"guess{i}") for i in range(6)] == [400] * 6
        assert time.monotonic() - started >= 1 + 2 + 4  # the 4th, 5th and 6th waited
        log = (tmp_path / "serve-data.log").read_text("utf-8", "replace")
        assert "login failed for 'admin'" in log
