"""/api/drafts and the 汇编草稿 pages on the real ingested store: create from the basket, edit, order,
blocked export naming the finding, resolve, export DOCX; agency and viewer accounts refused in Chinese."""

from __future__ import annotations

import io
from collections.abc import Iterator
from pathlib import Path

import pytest
from docx import Document
from fastapi.testclient import TestClient
from test_web_support import WebStore, add_user, build_store, csrf_of, login

from api.app import create_app


@pytest.fixture(scope="module")
def store(tmp_path_factory: pytest.TempPathFactory, corpus_dir: Path) -> Iterator[WebStore]:
    st = build_store(tmp_path_factory.mktemp("web-drafts"), corpus_dir)
    add_user(st, "editor1", "analyst")
    add_user(st, "viewer1", "viewer")
    yield st
    st.db.dispose()


@pytest.fixture(scope="module")
def client(store: WebStore) -> TestClient:
    c = TestClient(create_app(store.settings, db=store.db))
    c.headers["X-CSRF-Token"] = login(c, "editor1")
    return c


def _lost_ids(store: WebStore, n: int) -> list[int]:
    return [store.ids[k] for k in sorted(store.ids) if store.labels[k]["outcome"] == "agency_lost"][:n]


def test_draft_through_the_api(client: TestClient, store: WebStore) -> None:
    ids = _lost_ids(store, 3)
    assert client.post("/api/collections/basket", json={"add": ids}).status_code == 200
    r = client.post("/api/drafts", json={"title": "警示案例（草稿）"})
    assert r.status_code == 201, r.text
    draft = r.json()
    did, cases = draft["id"], draft["cases"]
    assert len(cases) >= 2 and all(c["paragraphs"] for c in cases)
    cid = cases[0]["id"]
    r = client.put(
        f"/api/drafts/{did}/cases/{cid}", json={"field": "lesson", "text": "证人吕大成证实被告未送达即执行。"}
    )
    assert r.status_code == 200 and r.json()["pending"] == 1
    r = client.get(f"/api/drafts/{did}/export?format=docx")
    assert r.status_code == 409
    assert r.json()["error"]["code"] == "names_pending" and "吕大成" in r.json()["error"]["message"]
    r = client.post(f"/api/drafts/{did}/cases/{cid}/resolve", json={"name": "吕大成", "action": "mask"})
    assert r.json()["pending"] == 0
    order = [c["id"] for c in r.json()["cases"]][::-1]
    assert [
        c["id"] for c in client.put(f"/api/drafts/{did}/order", json={"case_ids": order}).json()["cases"]
    ] == order
    r = client.get(f"/api/drafts/{did}/export?format=docx")
    assert r.status_code == 200
    text = "\n".join(p.text for p in Document(io.BytesIO(r.content)).paragraphs)
    assert "证人吕某某证实被告未送达即执行" in text and "吕大成" not in text
    r = client.put(f"/api/drafts/{did}/cases/{cid}", json={"field": "court", "text": "x"})
    assert r.status_code == 422
    assert client.get("/api/drafts/9999").json()["error"]["code"] == "draft_not_found"


def test_draft_pages_in_chinese_and_read_only_accounts(client: TestClient, store: WebStore) -> None:
    ids = _lost_ids(store, 2)
    client.post("/api/collections/basket", json={"clear": True, "add": ids})
    token = client.headers["X-CSRF-Token"]
    r = client.post(
        "/collections/drafts", data={"title": "页面草稿", "csrf_token": token}, follow_redirects=True
    )
    assert r.status_code == 200 and "页面草稿" in r.text and "预览（隐名后，与导出一致）" in r.text
    did = int(str(r.url).rstrip("/").split("/")[-1].split("#")[0])
    page = client.get(f"/collections/drafts/{did}").text
    cid = int(page.split('id="case-')[1].split('"')[0])
    r = client.post(
        f"/collections/drafts/{did}/edit",
        data={
            "csrf_token": token,
            "case_id": cid,
            "field": "significance",
            "text": "本案提示各单位：先调查、后决定。",
        },
        follow_redirects=True,
    )
    assert "已保存“典型意义”" in r.text and "本案提示各单位：先调查、后决定。" in r.text
    assert "Traceback" not in client.get("/collections/drafts/424242").text
    viewer = TestClient(create_app(store.settings, db=store.db))
    viewer.headers["X-CSRF-Token"] = login(viewer, "viewer1")
    r = viewer.put(f"/api/drafts/{did}/cases/{cid}", json={"field": "lesson", "text": "x"})
    assert r.status_code == 403 and "只读" in r.json()["error"]["message"]
    assert viewer.get(f"/collections/drafts/{did}").status_code == 200
    assert csrf_of(viewer.get("/search").text)
