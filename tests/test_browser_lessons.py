"""Issue 17's walk in a real browser (Debian's chromium via Playwright), screenshots lessons-01..05: the
bureau makes a collection draft from chosen judgments, edits a case's lesson (a witness's full name typed in),
is stopped at export until the name is masked, exports the DOCX; records a 以案促改 meeting; sees the
同类问题反弹 flag on the suit page after a second loss of the same agency on the same cause."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from pathlib import Path

import pytest
from docx import Document
from test_a11y import axe_violations  # noqa: E402  (same axe-core run as the main pages)
from test_web_support import (
    PASSWORD,
    SCREENSHOTS,
    LiveServer,
    WebStore,
    add_user,
    build_store,
    launch_chromium,
)

from core.models import Suit, SuitAgency

pytestmark = pytest.mark.browser


@pytest.fixture(scope="module")
def store(tmp_path_factory: pytest.TempPathFactory, corpus_dir: Path) -> Iterator[WebStore]:
    st = build_store(tmp_path_factory.mktemp("web-lessons"), corpus_dir)
    add_user(st, "editor", "analyst")
    yield st
    st.db.dispose()


@pytest.fixture(scope="module")
def server(store: WebStore) -> Iterator[LiveServer]:
    with LiveServer(store, background_worker=False) as live:
        yield live


@pytest.fixture(scope="module")
def browser() -> Iterator:  # type: ignore[type-arg]
    from playwright.sync_api import sync_playwright

    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    with sync_playwright() as p:
        b = launch_chromium(p)
        yield b
        b.close()


def shot(page, name: str) -> None:  # type: ignore[no-untyped-def]
    page.screenshot(path=str(SCREENSHOTS / f"{name}.png"), full_page=True)


def _suits(store: WebStore, agency_id: int) -> int:
    with store.db.session() as s:
        last = 0
        for n, day in ((801, dt.date(2024, 2, 1)), (802, dt.date(2024, 8, 1))):
            suit = Suit(
                key=f"浏览器法院|（2024）浏0101行初{n}号",
                court="浏览器法院",
                case_no=f"（2024）浏0101行初{n}号",
                plaintiffs=["某公司"],
                sued_action="罚款",
                action_type="penalty",
                status="decided",
                outcome="agency_lost",
                decided_on=day,
                judgment_received=day,
                history=[],
            )
            s.add(suit)
            s.flush()
            s.add(SuitAgency(suit_id=suit.id, agency_id=agency_id, papers_received=day, causes=["procedure"]))
            last = suit.id
    return last


def test_edit_a_draft_export_record_a_meeting_see_a_recurrence(
    browser, server: LiveServer, store: WebStore, tmp_path: Path
) -> None:  # type: ignore[no-untyped-def]
    agency_name = sorted(store.agency_ids)[0]
    second = _suits(store, store.agency_ids[agency_name])
    lost = [store.ids[k] for k in sorted(store.ids) if store.labels[k]["outcome"] == "agency_lost"][:3]
    context = browser.new_context(
        viewport={"width": 1366, "height": 900}, locale="zh-CN", accept_downloads=True, bypass_csp=True
    )
    page = context.new_page()
    page.set_default_timeout(20_000)
    page.goto(server.url + "/login")
    page.fill("input[name=username]", "editor")
    page.fill("input[name=password]", PASSWORD)
    page.click("button[type=submit]")
    page.wait_for_load_state()
    token = page.locator("meta[name=csrf-token]").get_attribute("content")
    r = page.request.post(
        server.url + "/api/collections/basket", data={"add": lost}, headers={"X-CSRF-Token": token or ""}
    )
    assert r.ok

    page.goto(server.url + "/collections/drafts")
    page.fill("#d-title", "以案促改警示案例（浏览器）")
    with page.expect_navigation():
        page.click("text=建立草稿")
    assert "预览（隐名后，与导出一致）" in page.content()
    shot(page, "lessons-01-draft")
    first = page.locator("section[id^=case-]").first
    first.locator("summary").click()
    first.locator("textarea[name=text]").nth(4).fill("证人吕大成到庭证实，被告未送达处罚决定书即强制执行。")
    with page.expect_navigation():
        first.locator("button:has-text('保存警示')").click()
    assert "疑似未隐名的姓名需要确认" in page.content(), page.locator(".alert").all_inner_texts()
    assert "吕大成" in page.content()
    shot(page, "lessons-02-finding")
    assert axe_violations(page) == []  # the draft page with a finding open
    with page.expect_navigation():
        page.locator("button:has-text('隐名')").first.click()
    assert "证人吕某某到庭证实" in page.content()
    with page.expect_download() as dl:
        page.click("text=导出 Word（.docx）")
    out = tmp_path / "draft.docx"
    dl.value.save_as(str(out))
    text = "\n".join(p.text for p in Document(str(out)).paragraphs)
    assert "证人吕某某到庭证实" in text and "吕大成" not in text
    shot(page, "lessons-03-exported")

    page.goto(server.url + "/lessons?year=2024")
    page.select_option("#m-agency", label=agency_name)
    page.fill("#m-date", "2024-10-10")
    page.fill("#m-cases", "（2024）浏0101行初801号")
    page.fill("#m-judge", "浏览器法院 周法官")
    page.fill("#m-measures", "处罚前告知一律经法制审核")
    with page.expect_navigation():
        page.click("text=登记会议")
    assert "已登记 2024-10-10 的以案促改会议" in page.content() and "周法官" in page.content()
    shot(page, "lessons-04-meeting")
    assert axe_violations(page) == []

    page.goto(server.url + f"/suits/{second}")
    assert "同类问题反弹" in page.content() and "（2024）浏0101行初801号" in page.content()
    shot(page, "lessons-05-recurrence")
    context.close()
