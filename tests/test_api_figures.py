"""Issue 16 on the web and the command line, on the real corpus: any search result opened as statistics
(`anjian stats --query`, `/api/stats/table?q=`, the search page's 按统计查看) equals a recount of the suits of
the matching judgments; 对标数据 uploaded by bureau staff (per-row Chinese errors, nothing lost on a bad file, a
year's rows replaced), never seen by agency users."""

from __future__ import annotations

import io
import json
from collections.abc import Iterator
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from test_web_support import AGENCY_A, WebStore, add_user, build_store, signed_in
from typer.testing import CliRunner

from api.app import create_app
from reports.benchmarks import list_benchmarks
from reports.caseindex import indexed_cases, indexed_reconsiderations
from reports.sample import matching_judgment_ids
from reports.stats import GroupBy, LossRateDefinition, Period, RankingRules, compute

QUERY = "原因:违反法定程序"


@pytest.fixture(scope="module")
def store(tmp_path_factory: pytest.TempPathFactory, corpus_dir: Path) -> Iterator[WebStore]:
    st = build_store(tmp_path_factory.mktemp("web-figures"), corpus_dir)
    add_user(st, "analyst1", "analyst")
    add_user(st, "viewer1", "viewer")
    add_user(st, "agency_a", "agency", AGENCY_A)
    yield st
    st.db.dispose()


def _client(store: WebStore, user: str) -> TestClient:
    return signed_in(create_app(store.settings, db=store.db), user)


@pytest.fixture(scope="module")
def client(store: WebStore) -> TestClient:
    return _client(store, "analyst1")


def _recount(store: WebStore, query: str, by: GroupBy, then: GroupBy | None = None) -> tuple[int, dict]:
    """The suits with any document matching the query, counted by the pure path from the whole case list."""
    ids = matching_judgment_ids(store.settings, query)
    assert ids, "the query matches judgments of the corpus"
    with store.db.session() as s:
        every = indexed_cases(s)
        recs = [r for r in indexed_reconsiderations(s) if r.judgment_id in ids]
    sample = [c for c in every if set(c.judgment_ids) & ids]
    report = compute(
        sample,
        by,
        Period("all"),
        LossRateDefinition(),
        then=then,
        rules=RankingRules.from_settings(store.settings),
        reconsiderations=recs,
    )
    return len(sample), report.to_json()


def test_api_table_over_a_search_result_equals_a_recount_of_its_suits(
    client: TestClient, store: WebStore
) -> None:
    """GIVEN the corpus WHEN /api/stats/table?q=原因:违反法定程序 by agency (and agency × cause) THEN the table is
    over the suits of the matching judgments only (a suit counted once however many of its documents match),
    equal to a recount, and says which query it is over."""
    data = client.get("/api/stats/table", params={"q": QUERY, "by": "agency"}).json()
    n, expected = _recount(store, QUERY, GroupBy.agency)
    everything = client.get("/api/stats/table", params={"by": "agency"}).json()
    assert data["query"] == QUERY and data["sample"] == n and expected["sample"] is None
    assert {**data, "query": None, "sample": None} == expected
    assert data["totals"]["cases"] == n < everything["totals"]["cases"]
    assert data["totals"]["lost"] == n  # every suit lost for procedure is a loss
    two = client.get("/api/stats/table", params={"q": QUERY, "by": "agency", "then": "cause"}).json()
    assert {**two, "query": None, "sample": None} == _recount(store, QUERY, GroupBy.agency, GroupBy.cause)[1]
    xlsx = client.get("/api/stats/table", params={"q": QUERY, "by": "field", "format": "xlsx"})
    assert xlsx.status_code == 200 and xlsx.content[:2] == b"PK"
    bad = client.get("/api/stats/table", params={"q": '"未闭合', "by": "agency"})
    assert bad.status_code == 400 and bad.json()["error"]["code"] == "query_syntax"


def test_search_page_links_to_its_statistics_page(client: TestClient) -> None:
    page = client.get("/search", params={"q": QUERY}).text
    assert "按统计查看" in page and "/stats/query?q=" in page
    stats = client.get("/stats/query", params={"q": QUERY, "by": "cause"})
    assert stats.status_code == 200
    assert (
        f"检索“{QUERY}”的结果" in stats.text and "违反法定程序" in stats.text and "导出 Excel" in stats.text
    )
    bad = client.get("/stats/query", params={"q": QUERY, "by": "nonsense"})
    assert bad.status_code == 200 and "不能按" in bad.text


def test_agency_users_see_statistics_of_their_own_search_results_only(store: WebStore) -> None:
    agency = _client(store, "agency_a")
    data = agency.get("/api/stats/table", params={"q": "本院", "by": "agency"}).json()
    assert data["query"] == "本院" and data["rows"]
    assert {r["label"] for r in data["rows"] if r["key"] != "undated"} == {AGENCY_A}


def test_cli_stats_query_equals_a_recount(store: WebStore, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    from cli import context
    from cli.main import app

    monkeypatch.setenv("ANJIAN_DATA_DIR", str(store.settings.data_dir))
    monkeypatch.delenv("ANJIAN_DATABASE_URL", raising=False)
    context.settings.cache_clear()
    context.database.cache_clear()
    try:
        runner = CliRunner()
        res = runner.invoke(app, ["stats", "--query", QUERY, "--by", "agency", "--json"])
        assert res.exit_code == 0, res.output
        data = json.loads(res.stdout)
        n, expected = _recount(store, QUERY, GroupBy.agency)
        assert data["sample"] == n and {**data, "query": None, "sample": None} == expected
        res = runner.invoke(app, ["stats", "--query", QUERY, "--by", "agency"])
        assert res.exit_code == 0 and f"检索“{QUERY}”" in res.output
        res = runner.invoke(app, ["stats", "--query", "年份:abc"])
        assert res.exit_code == 1 and "检索式有误" in res.output
    finally:
        context.database().dispose()
        context.settings.cache_clear()
        context.database.cache_clear()


# ---------------------------------------------------------------- 对标数据


def _upload(c: TestClient, name: str, text: str, replace: bool = False):  # type: ignore[no-untyped-def]
    data = {"replace_years": "1"} if replace else {}
    return c.post(
        "/benchmarks", files={"file": (name, io.BytesIO(text.encode("utf-8")), "text/csv")}, data=data
    )


def test_bureau_staff_upload_list_and_replace_benchmarks(client: TestClient, store: WebStore) -> None:
    """GIVEN an analyst WHEN a good file is uploaded THEN its rows are listed by level/region/year; WHEN a file
    with two bad rows comes THEN each bad row is named in Chinese and nothing is stored; WHEN a year is
    replaced THEN that year's old rows are gone and other years stay."""
    page = client.get("/benchmarks")
    assert page.status_code == 200 and "尚未导入对标数据" in page.text and 'href="/benchmarks"' in page.text
    good = "层级,地区,年度,案件数,败诉数,败诉率\n省,甲省,2023,900,90,\n省,甲省,2024,1000,120,12%\n市,甲市,2024,200,30,\n"
    r = _upload(client, "对标.csv", good)
    assert r.status_code == 200 and "已导入 3 行" in r.text
    assert "甲市" in r.text and "15.0%" in r.text and "12.0%" in r.text
    only = client.get("/benchmarks", params={"level": "city"}).text
    assert "甲市" in only and "甲省" not in only
    assert "10.0%" in client.get("/benchmarks", params={"year": "2023"}).text
    bad = (
        "层级,地区,年度,案件数,败诉数,败诉率\n乡,甲乡,2024,9,1,\n市,乙市,2024,10,2,5%\n省,甲省,2024,10,20,\n"
    )
    with store.db.session() as s:
        before = list_benchmarks(s)
    r = _upload(client, "坏.csv", bad)
    assert "整个文件未导入" in r.text and "第 2 行的层级「乡」看不懂" in r.text
    assert "第 4 行的败诉数 20 大于案件数 10" in r.text and "乙市" not in r.text.split("已导入的对标数据")[1]
    with store.db.session() as s:
        assert list_benchmarks(s) == before
    r = client.post(
        "/benchmarks", files={"file": ("x.xlsx", io.BytesIO(b"PK\x03\x04broken"), "application/zip")}
    )
    assert "文件已损坏" in r.text
    r = client.post("/benchmarks", files={"file": ("x.pdf", io.BytesIO(b"%PDF"), "application/pdf")})
    assert "只支持 .csv 和 .xlsx" in r.text
    r = _upload(client, "2024.csv", "level,region,year,rate\nprovince,甲省,2024,11%\n", replace=True)
    assert "先删除了这些年度原有的 2 行" in r.text
    with store.db.session() as s:
        rows = {(b["level"], b["region"], b["year"]): b["rate"] for b in list_benchmarks(s)}
    assert rows == {("province", "甲省", 2023): 0.1, ("province", "甲省", 2024): 0.11}


def test_agency_and_read_only_users_never_see_benchmarks(store: WebStore) -> None:
    with store.db.session() as s:
        before = list_benchmarks(s)
    for user in ("agency_a", "viewer1"):
        c = _client(store, user)
        assert 'href="/benchmarks"' not in c.get("/search").text
        assert c.get("/benchmarks").status_code == 403
        r = _upload(c, "对标.csv", "level,region,year,rate\nprovince,丙省,2020,11%\n")
        assert r.status_code == 403
    with store.db.session() as s:
        assert list_benchmarks(s) == before
