"""The JSON API on real ingested judgments: case detail with evidence offsets, corrections with who and
why, CSRF protection, the one error shape, exports, tokens, page images, OpenAPI docs served offline."""

from __future__ import annotations

import io
import re
from collections.abc import Iterator
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import select
from test_web_support import WebStore, add_user, build_store, csrf_of, login

from api.app import create_app
from core.models import AuditEntry


@pytest.fixture(scope="module")
def store(tmp_path_factory: pytest.TempPathFactory, corpus_dir: Path) -> Iterator[WebStore]:
    st = build_store(tmp_path_factory.mktemp("web-cases"), corpus_dir)
    add_user(st, "analyst1", "analyst")
    yield st
    st.db.dispose()


@pytest.fixture(scope="module")
def client(store: WebStore) -> TestClient:
    c = TestClient(create_app(store.settings, db=store.db))
    c.headers["X-CSRF-Token"] = login(c, "analyst1")
    return c


def test_case_detail_has_sections_fields_and_evidence_offsets_into_the_text(
    client: TestClient, store: WebStore
) -> None:
    data = client.get(f"/api/cases/{store.ids['sea-004']}").json()
    assert data["case_no"] == store.labels["sea-004"]["case_no"]
    assert data["outcome"] == "agency_lost" and data["loss_causes"] == ["insufficient_evidence"]
    assert [s["zh"] for s in data["sections"]][-2:] == ["判决主文", "尾部"] and (
        "案号",
        data["case_no"],
    ) in map(tuple, data["fields"])
    text = data["record"]["text"]
    (cause,) = data["causes"]
    (ev,) = cause["evidence"]
    assert (
        text[ev["start"] : ev["end"]]
        == ev["text"]
        == store.labels["sea-004"]["cause_evidence"]["insufficient_evidence"]
    )
    # the case page highlights that very sentence inside the 本院认为 section
    page = client.get(f"/cases/{store.ids['sea-004']}").text
    marked = re.findall(
        r'<mark class="evidence" data-cause="insufficient_evidence"[^>]*>([^<]*)</mark>', page
    )
    assert ev["text"] in "".join(marked)
    assert "本院认为" in page and "主要证据不足" in page


def test_correction_is_stored_with_who_and_why_and_wins(client: TestClient, store: WebStore) -> None:
    jid = store.ids["sea-022"]
    r = client.patch(
        f"/api/cases/{jid}",
        json={
            "field": "loss_causes",
            "value": ["procedure", "law_application"],
            "reason": "本院认为部分亦指出适用法律错误",
        },
    )
    assert r.status_code == 200, r.text
    body = r.json()
    assert body["loss_causes"] == ["procedure", "law_application"]
    last = body["corrections"][-1]
    assert (last["user"], last["reason"], last["field"]) == (
        "analyst1",
        "本院认为部分亦指出适用法律错误",
        "loss_causes",
    )
    # the kept cause keeps its evidence; the reviewer's new one has none
    kept = {c["cause"]: c for c in body["causes"]}
    assert kept["procedure"]["evidence"] and kept["law_application"]["evidence"] == []
    with store.db.session() as s:
        entry = s.scalars(select(AuditEntry).where(AuditEntry.action == "correction")).all()[-1]
        assert entry.username == "analyst1" and entry.target == str(jid)
    # the search index follows the correction
    hits = client.get("/api/search", params={"q": "原因:适用法律错误"}).json()["hits"]
    assert jid in {h["id"] for h in hits}


def test_csrf_is_required_for_session_requests(store: WebStore) -> None:
    c = TestClient(create_app(store.settings, db=store.db))
    login(c, "analyst1")
    r = c.patch(
        f"/api/cases/{store.ids['sea-001']}", json={"field": "outcome", "value": "agency_lost", "reason": "x"}
    )
    assert r.status_code == 403 and r.json()["error"]["code"] == "csrf"
    r = c.patch(
        f"/api/cases/{store.ids['sea-001']}",
        json={"field": "outcome", "value": "agency_lost", "reason": "x"},
        headers={"X-CSRF-Token": "forged"},
    )
    assert r.status_code == 403
    # the login form itself needs the token, too
    fresh = TestClient(create_app(store.settings, db=store.db))
    fresh.get("/login")
    r = fresh.post("/login", data={"username": "analyst1", "password": "whatever1", "csrf_token": "forged"})
    assert r.status_code == 403


@pytest.mark.parametrize(
    ("method", "url", "body", "status", "code"),
    [
        ("get", "/api/cases/999999", None, 404, "not_found"),
        ("patch", "/api/cases/{id}", {"field": "outcome", "value": "大获全胜"}, 422, "invalid_correction"),
        ("patch", "/api/cases/{id}", {"field": "court", "value": "x"}, 422, "invalid_correction"),
        ("get", '/api/search?q="未闭合的引号', None, 400, "query_syntax"),
        ("get", "/api/search?q=星座:白羊", None, 400, "query_syntax"),
        ("get", "/api/search?page=0", None, 422, "validation"),
        ("get", "/api/uploads/424242", None, 404, "not_found"),
        ("get", "/api/nowhere", None, 404, "not_found"),
    ],
)
def test_one_error_shape(
    client: TestClient, store: WebStore, method: str, url: str, body: dict | None, status: int, code: str
) -> None:
    r = client.request(method.upper(), url.format(id=store.ids["sea-001"]), json=body)
    assert r.status_code == status
    err = r.json()["error"]
    assert set(err) == {"code", "message"} and err["code"] == code
    assert re.search(r"[\u4e00-\u9fff]", err["message"]), "messages are Chinese"


def test_exports_are_spreadsheets_and_are_audited(client: TestClient, store: WebStore) -> None:
    from openpyxl import load_workbook

    r = client.get("/api/search/export", params={"q": "结果:败诉", "format": "xlsx"})
    assert r.status_code == 200
    ws = load_workbook(io.BytesIO(r.content)).active
    rows = list(ws.iter_rows(values_only=True))
    assert rows[0][0] == "案号"
    lost = {
        store.labels[k]["case_no"]
        for k, v in store.labels.items()
        if k in store.ids and v["outcome"] == "agency_lost"
    }
    assert {row[0] for row in rows[1:]} == lost
    with store.db.session() as s:
        assert s.scalars(select(AuditEntry).where(AuditEntry.action == "export")).first() is not None


def test_collection_export_is_a_word_document_of_the_chosen_cases(
    client: TestClient, store: WebStore
) -> None:
    from docx import Document

    ids = [store.ids["sea-004"], store.ids["sea-013"]]
    assert len(client.post("/api/collections/basket", json={"add": ids}).json()) == 2
    r = client.post("/api/collections/export", json={"kind": "collection", "title": "行政败诉典型案例"})
    assert r.status_code == 200, r.text
    doc = Document(io.BytesIO(r.content))
    text = "\n".join(
        [p.text for p in doc.paragraphs] + [c.text for t in doc.tables for row in t.rows for c in row.cells]
    )
    assert "行政败诉典型案例" in text
    for key in ("sea-004", "sea-013"):
        assert store.labels[key]["case_no"] in text
    assert "主要证据不足" in text  # the lesson quotes the court


def test_original_pdf_and_page_image(client: TestClient, store: WebStore) -> None:
    doc = client.get(f"/api/cases/{store.ids['sea-001']}").json()["documents"][0]
    pdf = client.get(f"/api/documents/{doc['id']}/original")
    assert pdf.status_code == 200 and pdf.content.startswith(b"%PDF")
    png = client.get(f"/api/documents/{doc['id']}/pages/1.png")
    assert png.status_code == 200 and png.content.startswith(b"\x89PNG")
    assert client.get(f"/api/documents/{doc['id']}/pages/99.png").json()["error"]["code"] == "not_found"


def test_api_token_works_without_a_session_and_needs_no_csrf(store: WebStore) -> None:
    from api.services.accounts import create_token

    with store.db.session() as s:
        token = create_token(s, "analyst1", "nightly export")
    c = TestClient(create_app(store.settings, db=store.db))
    r = c.patch(
        f"/api/cases/{store.ids['sea-050']}",
        json={"field": "outcome", "value": "withdrawn", "reason": "确认"},
        headers={"Authorization": f"Bearer {token}"},
    )
    assert r.status_code == 200


def test_docs_healthz_and_static_assets_are_local(client: TestClient) -> None:
    assert client.get("/healthz").json() == {"status": "ok"}
    docs = client.get("/docs").text
    assert "cdn" not in docs.lower() and "/static/vendor/swagger-ui/swagger-ui-bundle.js" in docs
    assert client.get("/static/vendor/swagger-ui/swagger-ui-bundle.js").status_code == 200
    assert client.get("/static/vendor/echarts/echarts.min.js").status_code == 200
    paths = client.get("/openapi.json").json()["paths"]
    assert {"/api/search", "/api/cases/{judgment_id}", "/api/uploads", "/api/stats/dashboard"} <= set(paths)
    for page in ("/search", "/dashboard", "/collections", "/upload", "/agencies"):
        html = client.get(page).text
        assert '<html lang="zh-CN">' in html and "http://" not in html and "https://" not in html
        assert csrf_of(html)


def test_bulletin_export_for_a_period(client: TestClient, store: WebStore) -> None:
    from docx import Document

    r = client.post("/api/collections/export", json={"kind": "bulletin", "period": "2018"})
    assert r.status_code == 200, r.text
    doc = Document(io.BytesIO(r.content))
    text = "\n".join(
        [p.text for p in doc.paragraphs] + [c.text for t in doc.tables for row in t.rows for c in row.cells]
    )
    assert "2018" in text and store.settings.issuing_body in text
    r = client.post("/api/collections/export", json={"kind": "bulletin"})
    assert r.status_code == 400 and r.json()["error"]["code"] == "period_required"


def test_dashboard_figures_and_a_bad_period(client: TestClient, store: WebStore) -> None:
    data = client.get("/api/stats/dashboard").json()
    lost = [k for k in store.ids if store.labels[k]["outcome"] == "agency_lost"]
    assert data["totals"]["lost"] == len(lost)
    causes = {r["code"]: r["count"] for r in data["lost_by_cause"]}
    assert causes.get("procedure", 0) >= 1 and causes.get("inaction") == 1
    assert [r["key"] for r in data["by_period"]] == sorted(r["key"] for r in data["by_period"])
    r = client.get("/api/stats/dashboard", params={"period": "去年春天"})
    assert r.status_code == 400 and r.json()["error"]["code"] == "stats"
    page = client.get("/dashboard", params={"period": "去年春天"})
    assert page.status_code == 200 and "看不懂的统计期间" in page.text


@pytest.mark.parametrize(
    ("engine", "shown"),
    [
        ("被告<mark>未履行</mark>催告义务", "被告<mark>未履行</mark>催告义务"),
        (
            "&lt;script&gt;alert(1)&lt;/script&gt;<mark>拆除</mark>",
            "&lt;script&gt;alert(1)&lt;/script&gt;<mark>拆除</mark>",
        ),
        ("<script>alert(1)</script>", "&lt;script&gt;alert(1)&lt;/script&gt;"),
        ("A&amp;B <mark>公司</mark>", "A&amp;B <mark>公司</mark>"),
    ],
)
def test_snippets_keep_only_mark_as_markup(engine: str, shown: str) -> None:
    from api.services.search import safe_snippet

    assert safe_snippet(engine) == shown


def test_search_page_explains_a_malformed_query_instead_of_failing(client: TestClient) -> None:
    page = client.get("/search", params={"q": '"未闭合的引号'})
    assert page.status_code == 200
    assert re.search(r'class="alert alert-error" role="alert">[^<]*[\u4e00-\u9fff]', page.text)


def test_stats_table_two_way_ranges_and_xlsx(client: TestClient) -> None:
    """GIVEN the corpus WHEN /api/stats/table is asked for agency × cause since 2015 THEN each agency row
    carries its causes, the rules and 日期不详 add up; the same table downloads as XLSX."""
    data = client.get("/api/stats/table", params={"by": "agency", "then": "cause", "since": "2015"}).json()
    assert data["then"] == "cause" and data["period"] == "2015.." and "发案按法院立案" in data["rules_zh"]
    lost_rows = [r for r in data["rows"] if r["lost"] and r["key"] != "undated"]
    assert lost_rows and all(sum(c["lost"] for c in r.get("children", [])) >= r["lost"] for r in lost_rows)
    quarters = client.get("/api/stats/table", params={"by": "quarter", "period": "2015..2025"}).json()
    assert sum(r["cases"] for r in quarters["rows"]) == quarters["grand_totals"]["cases"]
    r = client.get("/api/stats/table", params={"by": "field", "then": "year", "format": "xlsx"})
    assert r.status_code == 200 and r.content[:2] == b"PK"
    bad = client.get("/api/stats/table", params={"by": "agency", "then": "agency"})
    assert bad.status_code == 400 and "不同" in bad.json()["error"]["message"]
    page = client.get("/dashboard", params={"period_from": "2015", "period_to": ""})
    assert page.status_code == 200 and "2015年以来" in page.text and "县前2名" in page.text
