"""Accessibility of the main pages in a real browser: axe-core (vendored from npm) finds no serious or
critical WCAG 2 A/AA violation (labels, contrast, names, landmarks); lang is zh-CN; the first Tab reaches
a visible skip link; keyboard focus is visible."""

from __future__ import annotations

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
AXE = Path(__file__).resolve().parent.parent / "api" / "static" / "vendor" / "axe-core" / "axe.min.js"


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory, corpus_dir: Path) -> Iterator[LiveServer]:
    store: WebStore = build_store(tmp_path_factory.mktemp("web-a11y"), corpus_dir)
    add_user(store, "admin1", "admin")  # an administrator sees every page, the 用户 page too
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


@pytest.fixture(scope="module")
def page(browser, server: LiveServer) -> Iterator:  # type: ignore[no-untyped-def, type-arg]
    # bypass_csp: the test injects axe-core as an inline script, which the app's CSP (rightly) forbids
    context = browser.new_context(viewport={"width": 1366, "height": 768}, bypass_csp=True, locale="zh-CN")
    pg = context.new_page()
    pg.set_default_timeout(20_000)
    pg.goto(server.url + "/login")
    pg.fill("#username", "admin1")
    pg.fill("#password", PASSWORD)
    pg.click("button[type=submit]")
    pg.wait_for_url("**/search")
    yield pg
    context.close()


def pages(server: LiveServer) -> list[str]:
    store: WebStore = server.store  # type: ignore[attr-defined]
    return [
        "/search?q=本院",
        f"/cases/{store.ids['sea-004']}",
        "/dashboard",
        "/dashboard?period=2016..2020&show=all&unit_scope=all",  # key targets, rankings, chart tables
        "/collections",
        "/bulletin",
        "/upload",
        "/agencies",
        "/admin/users",
        "/admin/audit",
        "/admin/audit?action=login",
        "/cases/999999",  # the error page, with its menu
        "/collections/drafts",
        "/lessons",
    ]


def axe_violations(page) -> list[dict]:  # type: ignore[no-untyped-def]
    page.add_script_tag(path=str(AXE))
    result = page.evaluate(
        "async () => await axe.run(document, {runOnly: {type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21aa']}})"
    )
    assert len(result["passes"]) > 10, "axe-core did not run its checks"
    return [v for v in result["violations"] if v["impact"] in ("serious", "critical")]


def test_main_pages_have_no_serious_axe_violations(page, server: LiveServer) -> None:  # type: ignore[no-untyped-def]
    problems = {}
    for path in pages(server):
        page.goto(server.url + path)
        page.wait_for_load_state("networkidle")
        assert page.evaluate("document.documentElement.lang") == "zh-CN"
        bad = axe_violations(page)
        if path == "/admin/users":
            SCREENSHOTS.mkdir(parents=True, exist_ok=True)
            page.screenshot(path=str(SCREENSHOTS / "11-users.png"), full_page=True)
        if bad:
            problems[path] = [(v["id"], v["help"], [n["target"] for n in v["nodes"][:3]]) for v in bad]
    assert not problems, problems


def test_login_page_is_accessible_too(browser, server: LiveServer) -> None:  # type: ignore[no-untyped-def]
    pg = browser.new_page(bypass_csp=True)
    pg.goto(server.url + "/login")
    assert axe_violations(pg) == []
    pg.close()


def test_first_tab_reaches_a_visible_skip_link_and_focus_is_visible(page, server: LiveServer) -> None:  # type: ignore[no-untyped-def]
    page.goto(server.url + "/search")
    page.keyboard.press("Tab")
    focused = page.evaluate(
        "() => ({cls: document.activeElement.className, text: document.activeElement.textContent,"
        " top: document.activeElement.getBoundingClientRect().top,"
        " outline: getComputedStyle(document.activeElement).outlineStyle})"
    )
    assert focused["cls"] == "skip-link" and focused["text"] == "跳到主要内容"
    assert focused["top"] >= 0 and focused["outline"] != "none"
    page.keyboard.press("Enter")
    assert page.evaluate("document.activeElement.id") == "main" or page.url.endswith("#main")
    # every further stop of the keyboard shows a focus ring
    for _ in range(8):
        page.keyboard.press("Tab")
        style = page.evaluate(
            "() => { const s = getComputedStyle(document.activeElement);"
            " return [document.activeElement.tagName, s.outlineStyle, s.outlineWidth]; }"
        )
        assert style[1] != "none" and style[2] != "0px", style
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SCREENSHOTS / "10-keyboard-focus.png"))
