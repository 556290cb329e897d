"""Every page at a desktop (1366 px) and a phone (390 px) width in a real browser: nothing scrolls sideways
(document.documentElement.scrollWidth <= innerWidth); on a phone the search results come before the facets
(which fold away) and the case's tags and review panel come before the judgment's text. Screenshots of
both widths go to test-artifacts/screenshots/ (layout-*.png)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from pathlib import Path

import pytest
from test_web_support import (
    AGENCY_A,
    PASSWORD,
    SCREENSHOTS,
    LiveServer,
    WebStore,
    add_user,
    build_store,
    launch_chromium,
)

pytestmark = pytest.mark.browser
WIDTHS = {"desktop": 1366, "phone": 390}


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory, corpus_dir: Path) -> Iterator[LiveServer]:
    store: WebStore = build_store(tmp_path_factory.mktemp("web-layout"), corpus_dir)
    add_user(store, "admin1", "admin")
    add_user(store, "agency_a", "agency", AGENCY_A)
    with LiveServer(store, background_worker=False) as live:
        live.store = store  # type: ignore[attr-defined]
        yield live
    store.db.dispose()


@pytest.fixture(scope="module")
def browser() -> Iterator:  # type: ignore[type-arg]
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        b = launch_chromium(p)
        yield b
        b.close()


def signed_in(browser, server: LiveServer, username: str, width: int):  # type: ignore[no-untyped-def]
    context = browser.new_context(
        viewport={"width": width, "height": 844 if width < 500 else 768}, locale="zh-CN"
    )
    pg = context.new_page()
    pg.set_default_timeout(20_000)
    pg.goto(server.url + "/login")
    pg.fill("#username", username)
    pg.fill("#password", PASSWORD)
    pg.click("button[type=submit]")
    pg.wait_for_url("**/search")
    return pg


def a_suit(pg, server: LiveServer) -> int:  # type: ignore[no-untyped-def]
    """One registered suit (the 应诉 pages need one), through the API with the page's CSRF token."""
    existing = pg.request.get(server.url + "/api/suits").json()
    if existing:
        return int(existing[0]["id"])
    store: WebStore = server.store  # type: ignore[attr-defined]
    token = pg.locator('meta[name="csrf-token"]').get_attribute("content")
    r = pg.request.post(
        server.url + "/api/suits",
        headers={"X-CSRF-Token": token},
        data={
            "papers_received": (dt.date.today() - dt.timedelta(days=2)).isoformat(),
            "plaintiffs": ["黄某某"],
            "court": "河北省承德市双桥区人民法院",
            "sued_action": "工伤认定决定",
            "agency_id": store.agency_ids[AGENCY_A],
        },
    )
    assert r.ok, r.text()
    return int(r.json()["id"])


def overflow(pg) -> dict:  # type: ignore[no-untyped-def, type-arg]
    return pg.evaluate(
        "() => ({scroll: document.documentElement.scrollWidth, inner: window.innerWidth,"
        " wide: [...document.querySelectorAll('body *')].filter(e => e.getBoundingClientRect().right >"
        " window.innerWidth + 1 && !e.closest('.table-wrap')).slice(0, 5).map(e => e.tagName + '.' + e.className)})"
    )


def raw_codes() -> set[str]:
    """The taxonomy's codes that no reader should meet (those with an underscore cannot be a Chinese word)."""
    import core.taxonomy as tx

    codes: set[str] = set()
    for name in dir(tx):
        enum = getattr(tx, name)
        if isinstance(enum, type) and issubclass(enum, tx.ZhEnum) and enum is not tx.ZhEnum:
            codes |= {m.value for m in enum if "_" in m.value}
    from core.store import CORRECTABLE_FIELDS

    return codes | {f for f in CORRECTABLE_FIELDS if "_" in f}  # loss_causes, action_type …


def codes_shown(pg, codes: set[str]) -> list[str]:  # type: ignore[no-untyped-def]
    import re

    text = pg.evaluate("document.body.innerText")
    return sorted(c for c in codes if re.search(rf"(?<![A-Za-z_]){c}(?![A-Za-z_])", text))


def a_batch(server: LiveServer, corpus_dir: Path) -> int:
    """One upload batch with a long file name next to a rejected one (the batch page and the 以往批次 list
    need one); left queued: no worker runs in this module."""
    from workers.jobs import create_batch

    store: WebStore = server.store  # type: ignore[attr-defined]
    files = [
        (
            "一审行政判决书（扫描件，二〇二四年五月收到）" * 3 + ".pdf",
            (corpus_dir / "pdf/text/sea-006.pdf").read_bytes(),
        ),
        ("encrypted.pdf", (corpus_dir / "bad/encrypted.pdf").read_bytes()),
    ]
    batch_id, _ = create_batch(store.db, store.settings, files, user="admin1")
    return batch_id


def admin_pages(server: LiveServer, suit_id: int, batch_id: int = 0) -> list[str]:
    store: WebStore = server.store  # type: ignore[attr-defined]
    return [
        "/search",
        "/search?q=本院",
        f"/cases/{store.ids['sea-004']}",
        "/dashboard",
        "/collections",
        "/bulletin",
        "/upload",
        f"/upload/{batch_id}",
        "/agencies",
        "/admin/users",
        "/admin/audit",
        "/suits",
        f"/suits/{suit_id}",
        "/suits/review",
        "/reminders",
        "/benchmarks",
        "/stats/query?q=本院&by=agency&then=cause",
        "/cases/999999",
    ]


@pytest.mark.parametrize("width", WIDTHS.values(), ids=WIDTHS.keys())
def test_no_page_scrolls_sideways(browser, server: LiveServer, width: int, corpus_dir: Path) -> None:  # type: ignore[no-untyped-def]
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    store: WebStore = server.store  # type: ignore[attr-defined]
    pg = signed_in(browser, server, "admin1", width)
    suit_id = a_suit(pg, server)
    batch_id = a_batch(server, corpus_dir)
    wide, coded = {}, {}
    codes = raw_codes()
    for path in admin_pages(server, suit_id, batch_id):
        pg.goto(server.url + path)
        pg.wait_for_load_state("networkidle")
        o = overflow(pg)
        if o["scroll"] > o["inner"]:
            wide[path] = o
        if shown := codes_shown(pg, codes):
            coded[path] = shown
        if width < 500:
            slug = path.strip("/").split("?")[0].replace("/", "-") or "home"
            pg.screenshot(path=str(SCREENSHOTS / f"layout-phone-all-{slug}.png"))
    agency = signed_in(browser, server, "agency_a", width)
    for path in (
        "/search?q=本院",
        f"/cases/{store.ids['sea-004']}",
        "/dashboard",
        "/collections",
        "/bulletin",
        "/suits",
        "/reminders",
    ):
        agency.goto(server.url + path)
        agency.wait_for_load_state("networkidle")
        o = overflow(agency)
        if o["scroll"] > o["inner"]:
            wide["agency " + path] = o
    login = browser.new_page(viewport={"width": width, "height": 800})
    login.goto(server.url + "/login")
    o = overflow(login)
    if o["scroll"] > o["inner"]:
        wide["/login"] = o
    login.close()
    agency.context.close()
    pg.context.close()
    assert not wide, wide
    assert not coded, coded  # a name, never a code


def test_phone_shows_results_before_facets_and_the_case_review_before_its_text(
    browser, server: LiveServer
) -> None:  # type: ignore[no-untyped-def]
    store: WebStore = server.store  # type: ignore[attr-defined]
    pg = signed_in(browser, server, "admin1", WIDTHS["phone"])
    pg.goto(server.url + "/search?q=本院")
    first_hit = pg.locator(".hit").first.bounding_box()
    facets = pg.locator(".facets-box").bounding_box()
    assert first_hit and facets and first_hit["y"] < facets["y"]
    assert first_hit["y"] < 844, first_hit  # the first result within the first screen
    assert pg.locator(".facets-box").get_attribute("open") is None  # folded on a phone
    pg.screenshot(path=str(SCREENSHOTS / "layout-phone-search.png"))
    pg.goto(server.url + f"/cases/{store.ids['sea-004']}")
    tags = pg.locator("#tags-title").bounding_box()
    text = pg.locator("#text-title").bounding_box()
    assert tags and text and tags["y"] < text["y"]
    assert tags["y"] < 844, tags
    pg.screenshot(path=str(SCREENSHOTS / "layout-phone-case.png"))
    pg.goto(server.url + "/admin/users")
    pg.screenshot(path=str(SCREENSHOTS / "layout-phone-users.png"), full_page=True)
    pg.goto(server.url + "/admin/audit")
    pg.screenshot(path=str(SCREENSHOTS / "layout-phone-audit.png"))
    pg.context.close()
    desk = signed_in(browser, server, "admin1", WIDTHS["desktop"])
    desk.goto(server.url + "/search?q=本院")
    assert desk.locator(".facets-box").get_attribute("open") is not None  # open beside the results
    desk.goto(server.url + "/admin/users")
    desk.screenshot(path=str(SCREENSHOTS / "11-users.png"), full_page=True)
    desk.goto(server.url + "/admin/audit")
    desk.screenshot(path=str(SCREENSHOTS / "12-audit.png"))
    desk.context.close()


def test_a_save_redraws_the_review_in_place_without_moving_the_reader(browser, server: LiveServer) -> None:  # type: ignore[no-untyped-def]
    """GIVEN the case page scrolled down to the review panel WHEN the reviewer accepts the tags THEN the panel
    says 已确认 with their name, the page did not reload and the scroll position is kept."""
    store: WebStore = server.store  # type: ignore[attr-defined]
    pg = signed_in(browser, server, "admin1", WIDTHS["desktop"])
    pg.goto(server.url + f"/cases/{store.ids['sea-050']}")
    pg.evaluate("window.__marker = 'same page'")
    pg.locator(".js-accept").scroll_into_view_if_needed()
    pg.evaluate("window.scrollBy(0, 200)")
    y = pg.evaluate("window.scrollY")
    pg.click(".js-accept")
    pg.locator(".review-state", has_text="admin1 已确认").first.wait_for()
    assert pg.evaluate("window.__marker") == "same page"
    assert abs(pg.evaluate("window.scrollY") - y) < 5
    assert "确认裁判结果" in pg.locator("#hist-title + ul").inner_text()
    pg.context.close()


def test_a_removed_cause_no_longer_highlights_its_evidence(browser, server: LiveServer) -> None:  # type: ignore[no-untyped-def]
    store: WebStore = server.store  # type: ignore[attr-defined]
    pg = signed_in(browser, server, "admin1", WIDTHS["desktop"])
    pg.goto(server.url + f"/cases/{store.ids['sea-022']}")
    assert pg.locator("mark.evidence").count() > 0
    before = {m for m in pg.locator("mark.evidence").evaluate_all("ms => ms.map(m => m.dataset.cause)")}
    pg.click("summary:has-text('更正标注')")
    for cause in before:
        pg.uncheck(f"input[name=cause][value={cause}]")
    pg.check("input[name=cause][value=law_application]")
    pg.fill("#c-reason", "本院认为部分指出适用法律错误")
    pg.click("form.js-correct button[type=submit]")
    pg.locator(".review-state", has_text="admin1 已更正").first.wait_for()
    assert pg.locator("mark.evidence").count() == 0
    assert "败诉原因改为：适用法律错误" in pg.locator("#hist-title + ul").inner_text()
    pg.context.close()


@pytest.mark.parametrize("width", WIDTHS.values(), ids=WIDTHS.keys())
def test_dashboard_charts_tables_targets_and_a_click_that_keeps_the_period(
    browser, server: LiveServer, width: int
) -> None:  # type: ignore[no-untyped-def]
    """GIVEN the dashboard of 2016..2020 WHEN it is drawn at this width THEN nothing scrolls sideways, every chart
    is drawn inside its panel with its data table beside it, the key targets and the three rankings are shown;
    WHEN a ranking row's 败诉 figure is clicked THEN 检索 opens with the period and the agency and finds as many
    judgments as the figure said."""
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    pg = signed_in(browser, server, "admin1", width)
    pg.goto(server.url + "/dashboard?period=2016..2020&show=all")
    pg.locator("#chart-trend canvas").wait_for()
    o = overflow(pg)
    assert o["scroll"] <= o["inner"], o
    for chart in ("trend", "cause", "field", "action"):
        box, panel = pg.locator(f"#chart-{chart}").bounding_box(), pg.locator(f"#chart-{chart}").locator("..")
        outer = panel.bounding_box()
        assert (
            box
            and outer
            and box["x"] >= outer["x"]
            and box["x"] + box["width"] <= outer["x"] + outer["width"] + 1
        )
        assert panel.locator("details.chart-table table caption").count() == 1
    assert pg.locator("#key-targets .kt-card").count() == 2
    assert pg.locator("section.ranking").count() == 3
    name = "07-dashboard" if width > 500 else "layout-phone-dashboard"
    pg.screenshot(path=str(SCREENSHOTS / f"{name}.png"), full_page=width < 500)
    link = pg.locator("#ranking-agency tbody tr td:nth-child(5) a").first
    figure = int(link.inner_text())
    link.click()
    pg.wait_for_url("**/search?**")
    from urllib.parse import unquote_plus

    assert "年份:2016..2020" in unquote_plus(pg.url) and "被告:" in unquote_plus(pg.url)
    assert int(pg.locator("#results-title strong").inner_text()) == figure
    pg.context.close()
