"""The product in a real browser (Debian's chromium via Playwright): log in, upload two PDFs (and a locked
one, rejected with its reason) and watch them finish, search with a filter, open a case, correct a tag, build a collection and download it.
Screenshots of every page go to test-artifacts/screenshots/."""

from __future__ import annotations

import io
from collections.abc import Iterator
from pathlib import Path

import pytest
from test_web_support import (
    PASSWORD,
    SCREENSHOTS,
    LiveServer,
    WebStore,
    add_user,
    build_store,
    launch_chromium,
)

pytestmark = pytest.mark.browser
UPLOADS = ["sea-002", "simu-072"]


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory, corpus_dir: Path) -> Iterator[LiveServer]:
    store: WebStore = build_store(tmp_path_factory.mktemp("web-browser"), corpus_dir)
    add_user(store, "analyst1", "analyst")
    with LiveServer(store) as live:
        live.store = store  # type: ignore[attr-defined]
        yield live
    store.db.dispose()


@pytest.fixture(scope="module")
def page(server: LiveServer) -> Iterator:  # type: ignore[type-arg]
    from playwright.sync_api import sync_playwright

    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    with sync_playwright() as p:
        browser = launch_chromium(p)
        context = browser.new_context(
            viewport={"width": 1366, "height": 768}, accept_downloads=True, locale="zh-CN"
        )
        pg = context.new_page()
        pg.set_default_timeout(20_000)
        yield pg
        context.close()
        browser.close()


def shot(page, name: str) -> None:  # type: ignore[no-untyped-def]
    page.screenshot(path=str(SCREENSHOTS / f"{name}.png"), full_page=False)


def test_1_login(page, server: LiveServer) -> None:  # type: ignore[no-untyped-def]
    page.goto(server.url + "/cases/1")
    assert "/login" in page.url
    shot(page, "01-login")
    page.fill("#password", "wrong password")
    page.fill("#username", "analyst1")
    page.click("button[type=submit]")
    assert page.locator(".alert-error").inner_text() == "用户名或密码不正确"
    page.fill("#password", PASSWORD)
    page.click("button[type=submit]")
    page.wait_for_url("**/cases/1")
    assert page.locator("nav[aria-label=主导航]").is_visible()


def test_2_upload_two_pdfs_and_watch_them_finish(page, server: LiveServer, corpus_dir: Path) -> None:  # type: ignore[no-untyped-def]
    page.goto(server.url + "/upload")
    files = [str(corpus_dir / "pdf" / "text" / f"{cid}.pdf") for cid in UPLOADS] + [
        str(corpus_dir / "bad" / "encrypted.pdf")
    ]
    page.set_input_files("#file-input", files)
    rows = page.locator("#upload-table tbody tr[data-job]")
    rows.first.wait_for()
    page.wait_for_function(
        "() => { const c = [...document.querySelectorAll('#upload-table tbody tr[data-job] td:nth-child(2)')];"
        " return c.length === 3 && c.every(td => td.classList.contains('state-done') || td.classList.contains('state-failed')); }",
        timeout=180_000,
    )
    shot(page, "02-upload")
    texts = rows.all_inner_texts()
    bad = [t for t in texts if "encrypted.pdf" in t]
    assert len(bad) == 1 and "未通过" in bad[0] and "加密" in bad[0], bad  # with the reason
    assert "已完成" not in bad[0]  # a rejected file is never shown as done
    texts = [t for t in texts if "encrypted.pdf" not in t]
    assert all("已入库" in t or ("未通过" in t and "处理" in t) for t in texts), texts
    assert "1 个未通过" in page.locator(".js-summary").inner_text()
    from classify import SHIPPED_MODEL

    if SHIPPED_MODEL.exists():  # with the classifier artefact in place both files must be stored
        assert all("已入库" in t for t in texts), texts
        assert page.locator("#upload-table a", has_text="查看案件").count() == 2


def test_2b_drop_files_on_the_drop_zone(page, server: LiveServer) -> None:  # type: ignore[no-untyped-def]
    """GIVEN the upload page WHEN a file is dropped on the zone (a real drop event) THEN it is uploaded and
    its outcome shown: a note that is not a judgment is rejected with a reason."""
    page.goto(server.url + "/upload")
    page.evaluate("""() => {
        const dt = new DataTransfer();
        dt.items.add(new File(["会议通知：周五下午开会。"], "会议通知.txt", {type: "text/plain"}));
        const zone = document.getElementById("dropzone");
        zone.dispatchEvent(new DragEvent("dragover", {dataTransfer: dt, bubbles: true, cancelable: true}));
        zone.dispatchEvent(new DragEvent("drop", {dataTransfer: dt, bubbles: true, cancelable: true}));
    }""")
    row = page.locator("#upload-table tbody tr[data-job]", has_text="会议通知.txt")
    row.wait_for()
    page.wait_for_function(
        "() => [...document.querySelectorAll('#upload-table tbody tr[data-job] td:nth-child(2)')]"
        ".every(td => td.classList.contains('state-done') || td.classList.contains('state-failed'))",
        timeout=120_000,
    )
    assert "未通过" in row.inner_text() and "已完成" not in row.inner_text()
    page.reload()  # the batch survives a reload: listed under 以往批次 with its summary
    assert "1 未通过" in page.locator("#batches-table tbody tr").first.inner_text()


def test_3_search_with_a_filter(page, server: LiveServer) -> None:  # type: ignore[no-untyped-def]
    page.goto(server.url + "/search?q=本院")
    total_all = int(page.locator("#results-title strong").inner_text())
    with page.expect_navigation():
        page.locator(".facet", has=page.locator("h3", has_text="裁判结果")).get_by_role(
            "link", name="败诉"
        ).click()
    assert page.input_value("#q").endswith("结果:败诉")
    total_lost = int(page.locator("#results-title strong").inner_text())
    assert 0 < total_lost < total_all
    assert page.locator(".hit").count() == total_lost
    assert all("败诉" in t for t in page.locator(".hit .meta").all_inner_texts())
    assert page.locator(".hit .snippet mark").count() > 0
    shot(page, "03-search")


def test_4_open_a_case_and_correct_a_tag(page, server: LiveServer) -> None:  # type: ignore[no-untyped-def]
    store: WebStore = server.store  # type: ignore[attr-defined]
    jid = store.ids["sea-004"]
    page.goto(server.url + "/search?q=" + store.labels["sea-004"]["case_no"])
    page.locator(".hit h3 a").first.click()
    page.wait_for_url(f"**/cases/{jid}")
    evidence = page.locator("mark.evidence").first
    evidence.scroll_into_view_if_needed()
    assert "主要证据不足" in evidence.inner_text()
    page.evaluate("window.scrollTo(0, 0)")
    shot(page, "04-case")
    page.click("summary:has-text('更正标注')")
    page.check("input[name=cause][value=procedure]")
    page.fill("#c-reason", "本院认为部分还指出未告知陈述申辩权利")
    page.click("form.js-correct button[type=submit]")
    page.wait_for_load_state("load")
    page.locator(".causes .tag-cause", has_text="违反法定程序").wait_for()
    assert "analyst1" in page.locator("#hist-title + ul").inner_text()
    page.locator("#tags-title").scroll_into_view_if_needed()
    shot(page, "05-case-corrected")
    page.click(".js-open-original")
    page.select_option(".js-page-select", "2")
    page.wait_for_function(
        "() => { const i = document.querySelector('.page-image img');"
        " return i.src.endsWith('/pages/2.png') && i.complete && i.naturalWidth > 500; }"
    )
    page.locator(".page-image img").first.scroll_into_view_if_needed()
    shot(page, "05b-case-original-page")


def test_5_build_a_collection_and_download_it(page, server: LiveServer, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    from docx import Document

    store: WebStore = server.store  # type: ignore[attr-defined]
    for key in ("sea-004", "sea-022"):
        page.goto(server.url + f"/cases/{store.ids[key]}")
        page.click(".case-head .js-basket")
        page.locator(".case-head .js-basket[aria-pressed=true]").wait_for()
    page.goto(server.url + "/collections")
    assert page.locator("#chosen-count").inner_text() == "2"
    page.fill("#c-title", "强制拆除与工伤认定败诉案例")
    assert page.input_value("#c-body") == ""  # the placeholder ××县司法局 is never offered as a value
    page.fill("#c-body", "甲县司法局")
    page.fill("#c-number", "甲司汇〔2024〕1号")
    page.evaluate("window.scrollTo(0, 0)")
    shot(page, "06-collections")
    with page.expect_download() as info:
        page.click("form[action='/collections/document'] button[type=submit]")
    target = tmp_path / "collection.docx"
    info.value.save_as(target)
    text = "\n".join(p.text for p in Document(io.BytesIO(target.read_bytes())).paragraphs)
    assert "强制拆除与工伤认定败诉案例" in text and "甲县司法局" in text and "甲司汇〔2024〕1号" in text
    assert store.labels["sea-022"]["case_no"] in text


def test_6_dashboard_and_agencies(page, server: LiveServer) -> None:  # type: ignore[no-untyped-def]
    page.goto(server.url + "/dashboard")
    page.locator("#chart-trend canvas").wait_for()
    assert int(page.locator(".kpi-value").first.inner_text()) >= 6  # six stored + two uploaded judgments
    shot(page, "07-dashboard")
    page.goto(server.url + "/agencies")
    assert page.locator("table").first.locator("tbody tr").count() >= 2
    shot(page, "08-agencies")
    page.goto(server.url + "/docs")
    page.locator(".swagger-ui .info").wait_for()
    shot(page, "09-api-docs")
