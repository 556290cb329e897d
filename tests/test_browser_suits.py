"""The register's whole loop in a real browser (Debian's chromium via Playwright), with screenshots in
test-artifacts/screenshots/: an agency user registers a suit and sees its due date (reported late); the
bureau sees it in the pending list; the losing judgment is uploaded; the agency is reminded, files the
analysis and rectification with an attachment; the bureau's late list and the quarterly bulletin name the
agency that reported late."""

from __future__ import annotations

import datetime as dt
import io
import zipfile
from collections.abc import Iterator
from pathlib import Path

import pytest
from test_web_support import PASSWORD, SCREENSHOTS, LiveServer, WebStore, launch_chromium

from api.services.accounts import create_user
from core.db import Database
from core.settings import load_settings
from registry.agencies import add_agency

pytestmark = pytest.mark.browser
REPO = Path(__file__).resolve().parent.parent
LOSS_PDF = REPO / "samples" / "text" / "sea-013.pdf"  # （2018）湘1081行初99号, 永兴县公安消防大队 lost
AGENCY = "永兴县公安消防大队"


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[LiveServer]:
    data = tmp_path_factory.mktemp("web-suits") / "data"
    settings = load_settings(data_dir=data, database_url=None, es_url=None, broker_url=None)
    db = Database(settings)
    with db.session() as s:
        agency_id = add_agency(s, AGENCY).id
        create_user(s, "xf", PASSWORD, "agency", str(agency_id))
        create_user(s, "admin", PASSWORD, "admin")
    store = WebStore(settings, db, agency_ids={AGENCY: agency_id})
    with LiveServer(store, background_worker=False) as live:
        yield live
    db.dispose()


@pytest.fixture(scope="module")
def browser() -> Iterator:  # type: ignore[type-arg]
    from playwright.sync_api import sync_playwright

    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    with sync_playwright() as p:
        b = launch_chromium(p)
        yield b
        b.close()


def _page(browser, server: LiveServer, username: str):  # type: ignore[no-untyped-def]
    context = browser.new_context(
        viewport={"width": 1366, "height": 900}, locale="zh-CN", accept_downloads=True
    )
    page = context.new_page()
    page.set_default_timeout(20_000)
    page.goto(server.url + "/login")
    page.fill("input[name=username]", username)
    page.fill("input[name=password]", PASSWORD)
    page.click("button[type=submit]")
    page.wait_for_load_state()
    assert "/login" not in page.url, page.content()
    return page


def shot(page, name: str) -> None:  # type: ignore[no-untyped-def]
    page.screenshot(path=str(SCREENSHOTS / f"{name}.png"), full_page=True)


def _docx(path: Path) -> Path:
    with zipfile.ZipFile(path, "w") as z:
        z.writestr("[Content_Types].xml", "<Types/>")
        z.writestr("word/document.xml", "<w:document/>")
    return path


def test_the_register_loop(browser, server: LiveServer, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    agency = _page(browser, server, "xf")
    agency.goto(server.url + "/suits")
    shot(agency, "suits-01-desk")
    received = dt.date.today() - dt.timedelta(days=14)  # reported today: late
    agency.fill("#s-papers", received.isoformat())
    agency.fill("#s-court", "湖南省资兴市人民法院")
    agency.fill("#s-case", "（2018）湘1081行初99号")
    agency.fill("#s-plaintiffs", "黄涓")
    agency.fill("#s-action", "消防行政处罚")
    agency.click("text=登记并报备")
    agency.wait_for_url("**/suits/*")
    notice = agency.locator(".alert").inner_text()
    assert "应于" in notice and "已超过报备期限" in notice
    shot(agency, "suits-02-registered")

    bureau = _page(browser, server, "admin")
    bureau.goto(server.url + "/suits?status=pending")
    assert "（2018）湘1081行初99号" in bureau.locator("table").first.inner_text()
    shot(bureau, "suits-03-bureau-pending")

    agency.set_input_files("#j-file", str(LOSS_PDF))
    agency.click("form[action$='/judgment'] button")
    agency.wait_for_load_state()
    assert "本案败诉，请于" in agency.locator(".alert").inner_text()
    shot(agency, "suits-04-judgment")
    agency.goto(server.url + "/reminders")
    assert "败诉原因分析及整改报告" in agency.locator("table").first.inner_text()
    shot(agency, "suits-05-reminded")

    agency.go_back()
    agency.set_input_files("#a-file", str(_docx(tmp_path / "败诉原因分析报告.docx")))
    agency.click("form[action$='/attachments'] button")
    agency.wait_for_load_state()
    agency.fill("#r-analysis", "处罚前未充分听取当事人陈述申辩")
    agency.fill("#m-text-0", "修订消防行政处罚办案流程")
    agency.fill("#m-owner-0", "法制员")
    agency.fill("#m-due-0", "2027-03-31")
    agency.click("form[action$='/report'] button[type=submit]")
    agency.wait_for_load_state()
    assert "已报送败诉原因分析和整改措施" in agency.locator(".alert").inner_text()
    assert "败诉原因分析报告.docx" in agency.content()
    shot(agency, "suits-06-reported")

    bureau.goto(server.url + "/suits?overdue=1")
    late = bureau.locator("table").first.inner_text()
    assert AGENCY in late and "逾期报送" in late
    shot(bureau, "suits-07-bureau-late")
    [suit] = bureau.request.get(server.url + "/api/suits").json()
    due = dt.date.fromisoformat(next(o["due"] for o in suit["obligations"] if o["what"] == "register"))
    quarter = f"{due.year}Q{(due.month - 1) // 3 + 1}"
    csrf = bureau.locator("meta[name=csrf-token]").get_attribute("content")
    r = bureau.request.post(
        server.url + "/api/collections/export",
        data={"kind": "bulletin", "period": quarter, "format": "docx"},
        headers={"X-CSRF-Token": csrf},
    )
    assert r.status == 200, r.text()
    from docx import Document

    doc = Document(io.BytesIO(r.body()))
    cells = " ".join(c.text for t in doc.tables for row in t.rows for c in row.cells)
    assert AGENCY in cells and "应诉报备" in cells


def test_register_pages_have_no_serious_axe_violations(browser, server: LiveServer) -> None:  # type: ignore[no-untyped-def]
    from test_a11y import axe_violations

    context = browser.new_context(viewport={"width": 1366, "height": 768}, bypass_csp=True, locale="zh-CN")
    page = context.new_page()
    page.goto(server.url + "/login")
    page.fill("#username", "admin")
    page.fill("#password", PASSWORD)
    page.click("button[type=submit]")
    page.wait_for_load_state()
    problems = {}
    for path in ("/suits", "/suits/1", "/suits/review", "/reminders"):
        page.goto(server.url + path)
        page.wait_for_load_state("networkidle")
        bad = axe_violations(page)
        if bad:
            problems[path] = [(v["id"], v["help"], [n["target"] for n in v["nodes"][:3]]) for v in bad]
    context.close()
    assert not problems, problems
