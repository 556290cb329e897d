"""The pages as bureau staff and agency users read them: a review says 已确认 or 已更正 as it happened, the
history in words, the tags panel redrawn in place, an error page with a way on; users and audit pages with
names and words, a filter and paging; agency users see only their own actions and nobody's reviewer."""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from test_web_support import AGENCY_A, WebStore, add_user, build_store, login

from api.app import create_app

HTML = {"accept": "text/html"}


@pytest.fixture(scope="module")
def store(tmp_path_factory: pytest.TempPathFactory, corpus_dir: Path) -> Iterator[WebStore]:
    st = build_store(tmp_path_factory.mktemp("web-pages"), corpus_dir)
    add_user(st, "admin1", "admin")
    add_user(st, "analyst1", "analyst")
    add_user(st, "agency_a", "agency", AGENCY_A)
    yield st
    st.db.dispose()


@pytest.fixture(scope="module")
def app(store: WebStore):  # type: ignore[no-untyped-def]
    return create_app(store.settings, db=store.db)


def client_for(app, username: str) -> TestClient:  # type: ignore[no-untyped-def]
    c = TestClient(app)
    c.headers["X-CSRF-Token"] = login(c, username)
    return c


def text_of(html: str) -> str:
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html))


def test_accepting_a_tag_reads_confirmed_and_a_change_reads_corrected_in_words(app, store: WebStore) -> None:
    """GIVEN a lost case WHEN the analyst accepts its tags THEN the page says 已确认 (never 更正) with the
    user; WHEN they then change the causes THEN 已更正 and the history says 败诉原因改为：违反法定程序…"""
    c = client_for(app, "analyst1")
    jid = store.ids["sea-004"]
    for field, value in (("outcome", "agency_lost"), ("loss_causes", ["insufficient_evidence"])):
        r = c.patch(
            f"/api/cases/{jid}", json={"field": field, "value": value, "reason": "人工确认：标注无误"}
        )
        assert r.status_code == 200, r.text
    page = text_of(c.get(f"/cases/{jid}").text)
    assert "analyst1 已确认" in page and "已由" not in page and "更正“" not in page
    assert "确认裁判结果：败诉" in page and "确认败诉原因：主要证据不足" in page
    r = c.patch(
        f"/api/cases/{jid}",
        json={"field": "loss_causes", "value": ["procedure"], "reason": "未告知陈述申辩权利"},
    )
    assert r.json()["review"]["loss_causes"]["verb"] == "已更正"
    fragment = c.get(f"/cases/{jid}/review")
    assert fragment.status_code == 200 and 'id="review-area"' in fragment.text
    assert "<html" not in fragment.text  # a part of the page, redrawn in place
    words = text_of(fragment.text)
    assert "败诉原因改为：违反法定程序（原为：主要证据不足）" in words
    assert "['procedure']" not in words and "loss_causes" not in words
    assert "理由：未告知陈述申辩权利" in words


def test_agency_user_sees_what_was_reviewed_but_not_by_whom_nor_why(app, store: WebStore) -> None:
    c = client_for(app, "agency_a")
    jid = store.ids["sea-004"]  # corrected by analyst1 in the test above (or now)
    client_for(app, "analyst1").patch(
        f"/api/cases/{jid}", json={"field": "action_type", "value": "other", "reason": "内部理由甲乙"}
    )
    page = c.get(f"/cases/{jid}").text
    data = c.get(f"/api/cases/{jid}").json()
    assert "analyst1" not in page and "内部理由甲乙" not in page
    assert "analyst1" not in str(data) and "内部理由甲乙" not in str(data)
    assert "行政行为类型改为" in text_of(page)
    # and no actions they cannot take on the case page
    assert "js-basket" not in page and "更正标注" not in page and "确认无误" not in page


def test_error_page_keeps_the_menu_and_offers_a_way_on(app, store: WebStore) -> None:
    c = client_for(app, "analyst1")
    r = c.get("/cases/999999", headers=HTML)
    assert r.status_code == 404
    assert 'aria-label="主导航"' in r.text and "返回上一页" in r.text and "去检索案件" in r.text
    anonymous = TestClient(app).get("/no-such-page", headers=HTML)
    assert anonymous.status_code == 404 and 'href="/login"' in anonymous.text


def test_another_agencys_document_404_names_no_case(app, store: WebStore) -> None:
    analyst = client_for(app, "analyst1")
    other = store.ids["sea-013"]
    doc_id = analyst.get(f"/api/cases/{other}").json()["documents"][0]["id"]
    r = client_for(app, "agency_a").get(f"/api/documents/{doc_id}/original")
    assert r.status_code == 404
    message = r.json()["error"]["message"]
    assert str(other) not in message.replace(str(doc_id), "") and "案件" not in message


def test_audit_page_says_objects_in_words_filters_and_pages_past_200(app, store: WebStore) -> None:
    """GIVEN 250 logins of one user and a correction WHEN the administrator filters and pages THEN every
    entry can be reached, the correction's object is the case by its number (a link), not a bare id."""
    from api.services.accounts import audit

    with store.db.session() as s:
        for _ in range(250):
            audit(s, "login", user="bulk_user", ip="10.0.0.9")
    admin = client_for(app, "admin1")
    jid = store.ids["sea-022"]
    client_for(app, "analyst1").patch(
        f"/api/cases/{jid}", json={"field": "field", "value": "public_security", "reason": "审计测试"}
    )
    page = admin.get("/admin/audit?action=correction").text
    words = text_of(page)
    assert f'href="/cases/{jid}"' in page and store.labels["sea-022"]["case_no"] in words
    assert "执法领域改为：公安" in words and "更正标注" in words
    first = admin.get("/admin/audit?user=bulk_user").text
    assert "共 250 条记录" in text_of(first) and "较早的记录" in first
    last = admin.get("/admin/audit?user=bulk_user&page=3").text
    assert len(re.findall(r"<tr>\s*<td data-label=\"时间\"", last)) == 50
    assert "较新的记录" in last and "较早的记录" not in last
    bad = admin.get("/admin/audit?since=2026-13-01").text
    assert "起始日期应为日期" in bad
    assert admin.get("/admin/audit", headers=HTML).status_code == 200
    assert client_for(app, "analyst1").get("/admin/audit", headers=HTML).status_code == 403


def test_users_page_names_units_and_no_message_names_a_command_line_flag(app, store: WebStore) -> None:
    admin = client_for(app, "admin1")
    page = admin.get("/admin/users").text
    assert AGENCY_A in page
    r = admin.post(
        "/admin/users",
        data={
            "username": "zhao",
            "role": "agency",
            "password": "zhao-password",
            "password2": "zhao-password",
        },
    )
    assert r.status_code == 200 and "单位用户必须指定所属单位" in r.text and "--agency" not in r.text


def test_api_docs_link_only_for_administrators_and_docs_lead_back(app) -> None:  # type: ignore[no-untyped-def]
    assert 'href="/docs"' in client_for(app, "admin1").get("/search").text
    assert 'href="/docs"' not in client_for(app, "analyst1").get("/search").text
    assert 'href="/docs"' not in client_for(app, "agency_a").get("/search").text
    docs = TestClient(app).get("/docs").text
    assert 'href="/search"' in docs and "返回案鉴" in docs


def nav_of(html: str) -> list[str]:
    menu = html[html.index('aria-label="主导航"') : html.index("</nav>")]
    return re.findall(r'<a href="(/[^"]*)"', menu)


def test_the_menu_holds_only_pages_whose_actions_the_user_can_take(app, store: WebStore) -> None:
    add_user(store, "viewer1", "viewer")
    analyst = nav_of(client_for(app, "analyst1").get("/search").text)
    agency = nav_of(client_for(app, "agency_a").get("/search").text)
    viewer = nav_of(client_for(app, "viewer1").get("/search").text)
    assert "/upload" in analyst and "/agencies" in analyst
    assert "/upload" not in agency and "/agencies" not in agency and "/search" in agency
    assert "/upload" not in viewer and "/admin/users" not in viewer
    r = client_for(app, "agency_a").get("/upload", headers=HTML)
    assert r.status_code == 403 and "上传需要管理员或分析员账号" in r.text


@pytest.mark.parametrize(
    ("field", "value", "previous", "words"),
    [
        (
            "loss_causes",
            ["procedure"],
            ["insufficient_evidence"],
            "败诉原因改为：违反法定程序（原为：主要证据不足）",
        ),
        ("loss_causes", ["procedure", "law_application"], ["law_application", "procedure"], "确认败诉原因："),
        ("outcome", "agency_lost", "agency_lost", "确认裁判结果：败诉"),
        ("field", "public_security", None, "执法领域改为：公安"),
        ("agency_head_appeared", True, None, "负责人出庭改为：是"),
        ("loss_causes", [], ["procedure"], "败诉原因改为：无（原为：违反法定程序）"),
    ],
)
def test_a_correction_in_words(field: str, value: object, previous: object, words: str) -> None:
    from types import SimpleNamespace

    from api.access import Scope
    from api.services.cases import correction_view
    from core.models import Role

    c = SimpleNamespace(field=field, value=value, previous=previous, user="li", reason="r", created_at=None)
    view = correction_view(c, Scope("li", Role.analyst))
    assert view["text"].startswith(words), view["text"]
    assert (view["kind"] == "confirmed") == words.startswith("确认")
    hidden = correction_view(c, Scope("a", Role.agency, "1", ("某局",)))
    assert hidden["user"] is None and hidden["reason"] is None and hidden["text"] == view["text"]


def test_agency_search_offers_no_collection_button_and_a_foreign_case_names_nothing(
    app, store: WebStore
) -> None:
    c = client_for(app, "agency_a")
    page = c.get("/search?q=本院").text
    assert 'class="hit"' in page and "js-basket" not in page
    other = store.ids["sea-013"]
    r = c.get(f"/cases/{other}", headers=HTML)
    assert r.status_code == 404 and 'aria-label="主导航"' in r.text
    assert store.labels["sea-013"]["case_no"] not in r.text
    assert c.get(f"/cases/{other}/review").status_code == 404
