"""The agency registry on the web: add (never twice), edit, import a table, and a review list of unmatched
defendant names that counts judgments and empties itself as names start to match."""

from __future__ import annotations

import io
from collections.abc import Iterator
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from test_web_support import WebStore, add_user, build_store, login

from api.app import create_app


@pytest.fixture(scope="module")
def store(tmp_path_factory: pytest.TempPathFactory, corpus_dir: Path) -> Iterator[WebStore]:
    st = build_store(tmp_path_factory.mktemp("web-registry"), corpus_dir)
    add_user(st, "registrar", "analyst")
    add_user(st, "viewer1", "viewer")
    yield st
    st.db.dispose()


@pytest.fixture(scope="module")
def client(store: WebStore) -> TestClient:
    c = TestClient(create_app(store.settings, db=store.db))
    c.headers["X-CSRF-Token"] = login(c, "registrar")
    return c


def _agency(client: TestClient, name: str) -> dict:
    return next(a for a in client.get("/api/agencies").json()["agencies"] if a["name"] == name)


def test_adding_a_name_already_in_the_registry_says_whose_it_is(client: TestClient) -> None:
    created = client.post("/api/agencies", json={"name": "临海市综合行政执法局", "aliases": ["临海执法局"]})
    assert created.status_code == 201, created.text
    again = client.post("/api/agencies", json={"name": "临海市综合行政执法局"})
    assert again.status_code == 409
    assert "已有" in again.json()["error"]["message"] and "编号" in again.json()["error"]["message"]
    by_alias = client.post("/api/agencies", json={"name": "临海执法局"})
    assert by_alias.status_code == 409 and "临海市综合行政执法局" in by_alias.json()["error"]["message"]


def test_kind_level_parent_field_and_county_mark_are_edited_on_the_web(client: TestClient) -> None:
    client.post("/api/agencies", json={"name": "临海市古城街道办事处"})
    aid = _agency(client, "临海市古城街道办事处")["id"]
    r = client.patch(
        f"/api/agencies/{aid}",
        json={
            "kind": "乡镇（街道）",
            "level": "township",
            "parent": "临海市人民政府",
            "field": "urban_management",
            "ours": False,
        },
    )
    assert r.status_code == 200, r.text
    a = _agency(client, "临海市古城街道办事处")
    assert (a["kind"], a["level"], a["parent"], a["field"], a["ours"]) == (
        "township",
        "township",
        "临海市人民政府",
        "urban_management",
        False,
    )
    bad = client.patch(f"/api/agencies/{aid}", json={"level": "村级"})
    assert bad.status_code == 400 and "层级" in bad.json()["error"]["message"]
    assert client.patch("/api/agencies/999999", json={"ours": True}).status_code == 404


def test_a_registry_table_is_imported_on_the_web(client: TestClient) -> None:
    table = "单位全称,类型,层级,所属政府,执法领域,本县单位,简称,曾用名\n临海市水利局,政府部门,县级,临海市人民政府,,是,临海水利局,\n"
    r = client.post(
        "/api/agencies/import", files={"file": ("名录.csv", io.BytesIO(table.encode()), "text/csv")}
    )
    assert r.status_code == 200, r.text
    assert r.json()["imported"] == 1
    assert _agency(client, "临海市水利局")["level"] == "county"
    wrong = client.post("/api/agencies/import", files={"file": ("名录.txt", io.BytesIO(b"x"), "text/plain")})
    assert wrong.status_code == 400 and ".xlsx" in wrong.json()["error"]["message"]
    broken = client.post(
        "/api/agencies/import",
        files={"file": ("名录.xlsx", io.BytesIO(b"PK\x03\x04 not really"), "application/zip")},
    )
    assert broken.status_code == 400 and "无法读取" in broken.json()["error"]["message"]


def test_the_review_list_counts_judgments_and_empties_as_names_match(client: TestClient) -> None:
    client.post("/api/agencies/scan")
    client.post("/api/agencies/scan")  # scanning twice does not double the counts
    unmatched = client.get("/api/agencies").json()["unmatched"]
    assert unmatched, "the sample store names defendants outside the registry"
    assert all(u["seen"] >= 1 for u in unmatched)
    assert not any(u["name"].endswith("法院") for u in unmatched)  # a court is never a defendant
    first = unmatched[0]
    counts = {u["name"]: u["seen"] for u in unmatched}
    client.post("/api/agencies/scan")
    assert {u["name"]: u["seen"] for u in client.get("/api/agencies").json()["unmatched"]} == counts
    # 新增为单位: the name becomes an agency and leaves the list
    r = client.post("/api/agencies/unmatched/add", json={"name": first["name"]})
    assert r.status_code == 201, r.text
    names = [u["name"] for u in client.get("/api/agencies").json()["unmatched"]]
    assert first["name"] not in names
    page = client.get("/agencies").text
    assert "新增为单位" in page and "导入名录表格" in page


def test_a_viewer_cannot_change_the_registry(store: WebStore) -> None:
    c = TestClient(create_app(store.settings, db=store.db))
    c.headers["X-CSRF-Token"] = login(c, "viewer1")
    assert c.post("/api/agencies", json={"name": "临海市教育局"}).status_code == 403
    assert c.patch("/api/agencies/1", json={"ours": True}).status_code == 403
