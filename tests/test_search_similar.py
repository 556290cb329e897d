"""类案 as staff use them: a size, a "not similar" mark that is recorded and never offered again (both ways
round, for everyone), on the case page and through the API; the feedback table on SQLite and PostgreSQL."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import select
from test_web_support import WebStore, add_user, build_store, login

from api.app import create_app
from core.db import Database
from core.models import AuditEntry, Judgment, SimilarFeedback
from pipeline.feedback import FeedbackError, mark_not_similar, not_similar_ids


@pytest.fixture(scope="module")
def store(tmp_path_factory: pytest.TempPathFactory, corpus_dir: Path) -> Iterator[WebStore]:
    st = build_store(tmp_path_factory.mktemp("web-similar"), corpus_dir)
    add_user(st, "analyst_sim", "analyst")
    yield st
    st.db.dispose()


@pytest.fixture(scope="module")
def client(store: WebStore) -> TestClient:
    c = TestClient(create_app(store.settings, db=store.db))
    c.headers["X-CSRF-Token"] = login(c, "analyst_sim")
    return c


def test_feedback_is_recorded_once_and_read_both_ways(any_db: Database) -> None:
    """GIVEN two judgments WHEN one is marked not similar to the other THEN each is excluded for the other."""
    with any_db.session() as s:
        a, b = Judgment(record={}), Judgment(record={})
        s.add_all([a, b])
        s.flush()
        assert mark_not_similar(s, a.id, b.id, "u1") is True
        assert mark_not_similar(s, a.id, b.id, "u1") is False  # once per user
        assert mark_not_similar(s, a.id, b.id, "u2") is True
        assert not_similar_ids(s, a.id) == {b.id} and not_similar_ids(s, b.id) == {a.id}
        with pytest.raises(FeedbackError):
            mark_not_similar(s, a.id, a.id)
        with pytest.raises(FeedbackError, match="找不到"):
            mark_not_similar(s, a.id, 987654)
        assert len(s.scalars(select(SimilarFeedback)).all()) == 2


def test_similar_takes_a_size_and_a_not_similar_mark_removes_the_pair(
    client: TestClient, store: WebStore
) -> None:
    jid = store.ids["sea-004"]
    first = client.get(f"/api/cases/{jid}/similar", params={"size": 3}).json()
    assert 0 < len(first) <= 3 and jid not in {c["id"] for c in first}
    assert client.get(f"/api/cases/{jid}/similar", params={"size": 0}).status_code == 422
    other = first[0]["id"]
    r = client.post(f"/api/cases/{jid}/similar/{other}/not-similar")
    assert r.status_code == 200 and r.json() == {"judgment_id": jid, "other_id": other, "recorded": True}
    assert other not in {c["id"] for c in client.get(f"/api/cases/{jid}/similar", params={"size": 6}).json()}
    assert jid not in {c["id"] for c in client.get(f"/api/cases/{other}/similar", params={"size": 6}).json()}
    with store.db.session() as s:
        audit = s.scalars(select(AuditEntry).where(AuditEntry.action == "not_similar")).all()
        assert any(e.username == "analyst_sim" for e in audit)
    bad = client.post(f"/api/cases/{jid}/similar/{jid}/not-similar")
    assert bad.status_code == 422 and "自己" in bad.json()["error"]["message"]
    assert client.post(f"/api/cases/{jid}/similar/999999/not-similar").status_code == 404


def test_case_page_has_a_not_similar_button_that_posts_back_to_the_case(
    client: TestClient, store: WebStore
) -> None:
    jid = store.ids["sea-050"]
    page = client.get(f"/cases/{jid}").text
    assert f'action="/api/cases/{jid}/similar/' in page and "不相似" in page
    shown = client.get(f"/api/cases/{jid}/similar").json()
    csrf = client.headers["X-CSRF-Token"]
    form = TestClient(client.app, cookies=client.cookies)
    r = form.post(
        f"/api/cases/{jid}/similar/{shown[0]['id']}/not-similar",
        data={"csrf_token": csrf},
        follow_redirects=False,
    )
    assert r.status_code == 303 and r.headers["location"].startswith(f"/cases/{jid}")
    assert shown[0]["id"] not in {c["id"] for c in client.get(f"/api/cases/{jid}/similar").json()}
    forged = form.post(f"/api/cases/{jid}/similar/{shown[-1]['id']}/not-similar", data={"csrf_token": "x"})
    assert forged.status_code == 403


def test_search_page_offers_did_you_mean_on_zero_results(client: TestClient) -> None:
    api = client.get("/api/search", params={"q": "行政处伐"}).json()
    assert api["total"] == 0 and api["suggestions"] == ["行政处罚"]
    page = client.get("/search", params={"q": "行政处伐"}).text
    assert "您是不是要找" in page and "行政处罚" in page
