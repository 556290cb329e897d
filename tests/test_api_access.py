"""Roles and agency isolation: an agency user reaches only cases in which their own agency is a party —
not another agency's case by search, facets, id, document, export, statistics, collection or API token."""

from __future__ import annotations

import csv
import io
from collections.abc import Iterator
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from test_web_support import (
    AGENCY_A,
    AGENCY_APPLICANT,
    AGENCY_B,
    AGENCY_THIRD_PARTY,
    WebStore,
    add_user,
    build_store,
    login,
)

from api.app import create_app


@pytest.fixture(scope="module")
def store(tmp_path_factory: pytest.TempPathFactory, corpus_dir: Path) -> Iterator[WebStore]:
    st = build_store(tmp_path_factory.mktemp("web-access"), corpus_dir)
    add_user(st, "analyst1", "analyst")
    add_user(st, "viewer1", "viewer")
    add_user(st, "agency_a", "agency", AGENCY_A)
    add_user(st, "agency_b", "agency", AGENCY_B)
    add_user(st, "agency_applicant", "agency", AGENCY_APPLICANT)
    add_user(st, "agency_third", "agency", AGENCY_THIRD_PARTY)
    yield st
    st.db.dispose()


@pytest.fixture(scope="module")
def app(store: WebStore):  # type: ignore[no-untyped-def]
    return create_app(store.settings, db=store.db)


def client_for(app, username: str) -> tuple[TestClient, str]:  # type: ignore[no-untyped-def]
    c = TestClient(app)
    return c, login(c, username)


def a_cases(store: WebStore) -> set[int]:
    return {store.ids["sea-004"], store.ids["sea-050"]}


def test_agency_search_sees_only_own_cases_and_facets(app, store: WebStore) -> None:
    c, _ = client_for(app, "agency_a")
    everything = c.get("/api/search", params={"q": "本院", "size": 50}).json()
    assert {h["id"] for h in everything["hits"]} == a_cases(store)
    defendants = {v["value"] for v in everything["facets"]["defendant"]["values"]}
    assert defendants == {AGENCY_A}
    # B's case number, asked for directly, finds nothing
    b_case_no = store.labels["sea-013"]["case_no"]
    assert c.get("/api/search", params={"q": f'案号:"{b_case_no}"'}).json()["total"] == 0
    # …while the analyst finds it
    analyst, _ = client_for(app, "analyst1")
    assert analyst.get("/api/search", params={"q": f'案号:"{b_case_no}"'}).json()["total"] == 1


def test_an_applicant_or_third_party_agency_sees_its_case_everywhere_and_nobody_elses(
    app, store: WebStore
) -> None:
    """GIVEN an enforcement review in which an agency is only the applicant, and a case in which another agency is
    only a third party WHEN those agencies and others look THEN one rule holds everywhere: search results,
    facets, export, case, document, page image and collection show the case to its parties only."""
    review, withdrawal = store.ids["seafs-023"], store.ids["sea-050"]
    analyst, _ = client_for(app, "analyst1")
    doc_id = analyst.get(f"/api/cases/{review}").json()["documents"][0]["id"]
    for username, own in (("agency_applicant", {review}), ("agency_third", {withdrawal})):
        c, csrf = client_for(app, username)
        result = c.get("/api/search", params={"q": "", "size": 50}).json()
        assert {h["id"] for h in result["hits"]} == own and result["total"] == 1, username
        assert sum(v["count"] for v in result["facets"]["outcome"]["values"]) == 1
        rows = list(
            csv.reader(
                io.StringIO(
                    c.get("/api/search/export", params={"q": "", "format": "csv"}).content.decode("utf-8-sig")
                )
            )
        )
        assert [int(r[-1]) for r in rows[1:]] == sorted(own)
        for jid in own:
            assert c.get(f"/api/cases/{jid}").status_code == 200
            basket = c.post(
                "/api/collections/basket", json={"add": [jid]}, headers={"X-CSRF-Token": csrf}
            ).json()
            assert [b["id"] for b in basket] == [jid]
        other = ({review, withdrawal} - own).pop()
        assert c.get(f"/api/cases/{other}").status_code == 404
    applicant, _ = client_for(app, "agency_applicant")
    assert applicant.get(f"/api/documents/{doc_id}/original").status_code == 200
    # statistics count the agency's own lawsuits (as defendant): never anyone else's
    dash = applicant.get("/api/stats/dashboard").json()
    assert dash["totals"]["cases"] <= 1 and {r["label"] for r in dash["ranking"]} <= {AGENCY_APPLICANT}
    # …and the review is invisible to every other agency, by search, id, document, page image and export
    for username in ("agency_a", "agency_b", "agency_third"):
        c, _ = client_for(app, username)
        assert review not in {
            h["id"] for h in c.get("/api/search", params={"q": "", "size": 50}).json()["hits"]
        }
        assert c.get(f"/api/cases/{review}").status_code == 404
        assert c.get(f"/api/documents/{doc_id}/original").status_code == 404
        assert c.get(f"/api/documents/{doc_id}/pages/1.png").status_code == 404
        assert c.get(f"/api/cases/{review}/similar").status_code == 404
        export = c.get("/api/search/export", params={"q": "", "format": "csv"}).content.decode("utf-8-sig")
        assert store.labels["seafs-023"]["case_no"] not in export


def test_agency_cannot_open_another_agencys_case_or_document(app, store: WebStore) -> None:
    c, _ = client_for(app, "agency_a")
    own, other = store.ids["sea-004"], store.ids["sea-013"]
    assert c.get(f"/api/cases/{own}").status_code == 200
    r = c.get(f"/api/cases/{other}")
    assert r.status_code == 404 and r.json()["error"]["code"] == "not_found"
    assert c.get(f"/cases/{other}", headers={"accept": "text/html"}).status_code == 404
    analyst, _ = client_for(app, "analyst1")
    doc_id = analyst.get(f"/api/cases/{other}").json()["documents"][0]["id"]
    assert c.get(f"/api/documents/{doc_id}/original").status_code == 404
    assert c.get(f"/api/documents/{doc_id}/pages/1.png").status_code == 404
    assert all(s["id"] in a_cases(store) for s in c.get(f"/api/cases/{own}/similar").json())


def test_agency_exports_statistics_and_collections_hold_only_own_cases(app, store: WebStore) -> None:
    c, csrf = client_for(app, "agency_a")
    rows = list(
        csv.reader(
            io.StringIO(
                c.get("/api/search/export", params={"q": "本院", "format": "csv"}).content.decode("utf-8-sig")
            )
        )
    )
    assert {r[0] for r in rows[1:]} == {store.labels[k]["case_no"] for k in ("sea-004", "sea-050")}
    dash = c.get("/api/stats/dashboard").json()
    assert dash["totals"]["cases"] == 2
    assert {r["label"] for r in dash["ranking"]} == {AGENCY_A}
    # the other agency's case cannot be put in a collection nor exported through one
    basket = c.post(
        "/api/collections/basket", json={"add": [store.ids["sea-013"]]}, headers={"X-CSRF-Token": csrf}
    )
    assert basket.status_code == 200 and basket.json() == []
    r = c.post(
        "/api/collections/export",
        json={"ids": [store.ids["sea-013"]], "kind": "collection"},
        headers={"X-CSRF-Token": csrf},
    )
    assert r.status_code == 400 and r.json()["error"]["code"] == "empty_collection"


def test_agency_api_token_is_restricted_too(app, store: WebStore) -> None:
    from api.services.accounts import create_token

    with store.db.session() as s:
        token = create_token(s, "agency_b")
    c = TestClient(app)
    auth = {"Authorization": f"Bearer {token}"}
    assert c.get(f"/api/cases/{store.ids['sea-013']}", headers=auth).status_code == 200
    assert c.get(f"/api/cases/{store.ids['sea-004']}", headers=auth).status_code == 404
    hits = c.get("/api/search", params={"q": "本院", "size": 50}, headers=auth).json()["hits"]
    assert {h["id"] for h in hits} == {store.ids["sea-013"]}


def test_roles_limit_writing(app, store: WebStore) -> None:
    """GIVEN a viewer and an agency user WHEN they try to correct a tag or upload THEN 403; reading works."""
    jid = store.ids["sea-004"]
    for username in ("viewer1", "agency_a"):
        c, csrf = client_for(app, username)
        assert c.get(f"/api/cases/{jid}").status_code == 200
        r = c.patch(
            f"/api/cases/{jid}",
            json={"field": "outcome", "value": "agency_won", "reason": "x"},
            headers={"X-CSRF-Token": csrf},
        )
        assert r.status_code == 403 and r.json()["error"]["code"] == "forbidden"
        r = c.post(
            "/api/uploads",
            files=[("files", ("a.pdf", b"%PDF-1.4", "application/pdf"))],
            headers={"X-CSRF-Token": csrf},
        )
        assert r.status_code == 403
    viewer, _ = client_for(app, "viewer1")
    assert viewer.get("/api/users").status_code == 403


def test_unauthenticated_requests_are_refused(app, store: WebStore) -> None:
    c = TestClient(app)
    r = c.get(f"/api/cases/{store.ids['sea-004']}")
    assert r.status_code == 401 and r.json() == {"error": {"code": "unauthorized", "message": "请先登录"}}
    page = c.get("/search", headers={"accept": "text/html"}, follow_redirects=False)
    assert page.status_code == 303 and page.headers["location"].startswith("/login")
    assert c.get("/api/search", headers={"Authorization": "Bearer aj_nonsense"}).status_code == 401


def test_agency_bulletin_covers_only_own_agency(app, store: WebStore) -> None:
    from docx import Document

    c, csrf = client_for(app, "agency_b")
    r = c.post(
        "/api/collections/export", json={"kind": "bulletin", "period": "2018"}, headers={"X-CSRF-Token": csrf}
    )
    assert r.status_code == 200, r.text
    doc = Document(io.BytesIO(r.content))
    text = "\n".join(
        [p.text for p in doc.paragraphs] + [c.text for t in doc.tables for row in t.rows for c in row.cells]
    )
    assert AGENCY_A not in text and store.labels["sea-004"]["case_no"] not in text
