"""The dashboard the plan asks for (issue 20): 重点监督对象 proposed by a written rule and confirmed by bureau staff
per period, township and county-department rankings with the 本县单位 filter and the minimum-case rule, every
drill-down into 检索 keeping period and agency (the search it opens counts the dashboard's judgments), a data
table under every chart and empty states that point to 上传.

The store holds seven real corpus judgments (tests/test_web_support.py). Their registry entries are set here as a
bureau would: 永兴县公安消防大队 and 隆化县财政局 county departments of the county, 辽阳市文圣区人民政府 entered as a
乡镇（街道） of the county, 承德市人力资源和社会保障局 a city body outside the county (本县 unchecked).
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from fractions import Fraction
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import select
from test_web_support import (
    AGENCY_A,
    AGENCY_B,
    AGENCY_THIRD_PARTY,
    WebStore,
    add_user,
    build_store,
    signed_in,
)

from api.app import create_app
from core.models import AuditEntry, KeyTargetChoice
from registry.agencies import AgencyKind
from reports.stats import Figures, GroupRow, RankingRules, _top

TOWNSHIP = "辽阳市文圣区人民政府"  # lost on appeal, 2020-06-23 (sea-022)
ALIAS_B = "永兴县消防大队"


@pytest.fixture(scope="module")
def store(tmp_path_factory: pytest.TempPathFactory, corpus_dir: Path) -> Iterator[WebStore]:
    st = build_store(tmp_path_factory.mktemp("web-dashboard"), corpus_dir)
    from registry import agencies

    with st.db.session() as s:
        agencies.update_agency(
            s, st.agency_ids[AGENCY_B], {"kind": "政府部门", "level": "县级", "ours": True}
        )
        agencies.update_agency(s, st.agency_ids[AGENCY_THIRD_PARTY], {"kind": "政府部门", "level": "县级"})
        agencies.update_agency(
            s, st.agency_ids[AGENCY_A], {"kind": "政府部门", "level": "市级", "ours": False}
        )
        st.agency_ids[TOWNSHIP] = agencies.add_agency(s, TOWNSHIP, kind=AgencyKind.township).id
        agencies.add_alias(s, st.agency_ids[AGENCY_B], ALIAS_B)  # a short name: searched as well
    add_user(st, "analyst1", "analyst")
    add_user(st, "viewer1", "viewer")
    add_user(st, "agency_b", "agency", AGENCY_B)
    yield st
    st.db.dispose()


@pytest.fixture(scope="module")
def app(store: WebStore):  # type: ignore[no-untyped-def]
    return create_app(store.settings, db=store.db)


@pytest.fixture(scope="module")
def analyst(app) -> TestClient:  # type: ignore[no-untyped-def]
    return signed_in(app, "analyst1")


def dash(c: TestClient, **params: str) -> dict:
    r = c.get("/api/stats/dashboard", params=params)
    assert r.status_code == 200, r.text
    return r.json()


def item(data: dict, kind: str) -> dict:
    return next(i for i in data["key_targets"]["items"] if i["kind"] == kind)


def total(c: TestClient, q: str) -> int:
    r = c.get("/api/search", params={"q": q, "size": 50})
    assert r.status_code == 200, (q, r.text)
    return r.json()["total"]


# ---------------------------------------------------------------- 重点监督对象


def _row(label: str, lost: int, concluded: int) -> GroupRow:
    return GroupRow(f"a:{label}", label, Figures(concluded=concluded, lost=lost, base=concluded))


def test_key_target_rule_most_losses_then_minimum_case_rule_then_rate() -> None:
    """GIVEN townships with their losses and concluded suits WHEN the proposal is made THEN the most losses win;
    on a tie, a rate on enough concluded suits beats a higher rate on too few; then the higher rate; a tie
    that remains names every one; no loss, no proposal."""
    rules = RankingRules(min_concluded=3)
    rows = {
        r.key: r for r in (_row("甲镇", 2, 2), _row("乙镇", 2, 5), _row("丙镇", 1, 1), _row("丁镇", 0, 9))
    }
    top = _top(AgencyKind.township, rows, rules)
    assert top is not None and (top.names, top.losses, top.ranked) == (["乙镇"], 2, True)
    rows["戊镇"] = _row("戊镇", 2, 4)  # 2/4 beats 2/5
    top = _top(AgencyKind.township, rows, rules)
    assert top is not None and top.names == ["戊镇"] and top.loss_rate == float(Fraction(2, 4))
    rows["己镇"] = _row("己镇", 2, 4)
    top = _top(AgencyKind.township, rows, rules)
    assert top is not None and sorted(top.names) == sorted(["戊镇", "己镇"])
    # the minimum-case rule at 1: every rate counts, so 甲镇's 2/2 now leads
    top = _top(AgencyKind.township, rows, RankingRules(min_concluded=1))
    assert top is not None and top.names == ["甲镇"]
    assert _top(AgencyKind.township, {"x": _row("丁镇", 0, 9)}, rules) is None


def test_key_targets_are_proposed_from_in_county_bodies_with_the_rule_on_the_page(
    analyst: TestClient,
) -> None:
    d2018 = dash(analyst, period="2018")
    kt = d2018["key_targets"]
    assert kt["period"] == "2018" and "败诉案件最多" in kt["rule_zh"] and "审结满3件" in kt["rule_zh"]
    dep = item(d2018, "department")
    assert dep["state"] == "proposed" and dep["confirmed"] is None
    assert dep["proposed"]["names"] == [AGENCY_B] and dep["proposed"]["losses"] == 1
    assert dep["proposed"]["ranked"] is False  # one concluded suit: fewer than the minimum-case rule asks
    assert item(d2018, "township")["state"] == "none"
    # 2016: only the city body outside the county lost — it is never proposed
    assert item(dash(analyst, period="2016"), "department")["proposed"] is None
    assert item(dash(analyst, period="2020"), "township")["proposed"]["names"] == [TOWNSHIP]
    page = analyst.get("/dashboard", params={"period": "2018"}).text
    assert "重点监督对象（2018年）" in page and "建议，待确认" in page and "败诉案件最多" in page
    assert 'action="/dashboard/key-targets"' in page


def test_confirmation_is_stored_per_period_with_who_and_when_and_can_be_changed(
    analyst: TestClient, store: WebStore
) -> None:
    b, third = store.agency_ids[AGENCY_B], store.agency_ids[AGENCY_THIRD_PARTY]
    r = analyst.post("/api/stats/key-targets", json={"period": "2018", "kind": "department", "agency_id": b})
    assert r.status_code == 200, r.text
    dep = item({"key_targets": r.json()}, "department")
    assert dep["state"] == "confirmed" and dep["confirmed"]["name"] == AGENCY_B
    assert dep["confirmed"]["confirmed_by"] == "analyst1" and dep["confirmed"]["confirmed_at"]
    # kept per period: 2018 confirmed, 2019 not
    assert item(dash(analyst, period="2018"), "department")["confirmed"]["name"] == AGENCY_B
    assert item(dash(analyst, period="2019"), "department")["confirmed"] is None
    # staff change it to another county department: the proposal at that time is kept with the choice
    r = analyst.post(
        "/api/stats/key-targets", json={"period": "2018", "kind": "department", "agency_id": third}
    )
    dep = item({"key_targets": r.json()}, "department")
    assert dep["confirmed"]["name"] == AGENCY_THIRD_PARTY and dep["confirmed"]["proposed"] == [AGENCY_B]
    page = analyst.get("/dashboard", params={"period": "2018"}).text
    assert "已确认" in page and "已改选" in page and "analyst1" in page
    with store.db.session() as s:
        rows = s.scalars(select(KeyTargetChoice).where(KeyTargetChoice.period == "2018")).all()
        assert [(x.kind, x.agency_name, x.confirmed_by) for x in rows] == [
            ("department", AGENCY_THIRD_PARTY, "analyst1")
        ]
        actions = [e.action for e in s.scalars(select(AuditEntry).where(AuditEntry.username == "analyst1"))]
        assert actions.count("key_target_confirm") == 2
    # a body outside the county, a department as a township, all time: refused in words
    for body in (
        {"period": "2018", "kind": "department", "agency_id": store.agency_ids[AGENCY_A]},
        {"period": "2018", "kind": "township", "agency_id": b},
        {"period": "", "kind": "department", "agency_id": b},
    ):
        r = analyst.post("/api/stats/key-targets", json=body)
        assert r.status_code == 400 and re.search(r"[\u4e00-\u9fff]", r.json()["error"]["message"]), body
    # the page form: withdraw, back to the dashboard with its filters
    csrf = analyst.headers["X-CSRF-Token"]
    r = analyst.post(
        "/dashboard/key-targets",
        data={
            "csrf_token": csrf,
            "period": "2018",
            "kind": "department",
            "action": "withdraw",
            "back": "?period=2018&trend=quarter",
        },
        follow_redirects=False,
    )
    assert r.status_code == 303 and r.headers["location"].startswith("/dashboard?period=2018&trend=quarter")
    assert item(dash(analyst, period="2018"), "department")["state"] == "proposed"


def test_agency_users_do_not_see_key_targets_and_no_one_but_bureau_staff_confirms(
    app, store: WebStore
) -> None:  # type: ignore[no-untyped-def]
    body = {"period": "2018", "kind": "department", "agency_id": store.agency_ids[AGENCY_B]}
    agency = signed_in(app, "agency_b")
    assert dash(agency, period="2018")["key_targets"] is None
    assert "重点监督对象" not in agency.get("/dashboard", params={"period": "2018"}).text
    r = agency.post("/api/stats/key-targets", json=body)
    assert r.status_code == 403 and r.json()["error"]["code"] == "forbidden"
    viewer = signed_in(app, "viewer1")
    assert item(dash(viewer, period="2018"), "department")["proposed"]["names"] == [AGENCY_B]
    assert 'action="/dashboard/key-targets"' not in viewer.get("/dashboard", params={"period": "2018"}).text
    assert viewer.post("/api/stats/key-targets", json=body).status_code == 403
    with store.db.session() as s:
        assert not s.scalars(
            select(KeyTargetChoice).where(KeyTargetChoice.confirmed_by.in_(["agency_b", "viewer1"]))
        ).all()


# ---------------------------------------------------------------- rankings


def test_rankings_keep_bodies_outside_the_county_out_of_the_in_county_view(analyst: TestClient) -> None:
    ours = dash(analyst)
    assert ours["filters"]["unit_scope"] == "ours"
    labels = {r["label"] for r in ours["rankings"]["agency"]["rows"]}
    assert AGENCY_B in labels and TOWNSHIP in labels
    assert AGENCY_A not in labels and "上海市公安局浦东分局" not in labels  # outside, and not in the registry
    assert [r["label"] for r in ours["rankings"]["department"]["rows"]] == [AGENCY_B]
    assert [r["label"] for r in ours["rankings"]["township"]["rows"]] == [TOWNSHIP]
    every = dash(analyst, unit_scope="all")
    assert {AGENCY_A, "上海市公安局浦东分局"} <= {r["label"] for r in every["rankings"]["agency"]["rows"]}
    page = analyst.get("/dashboard").text
    assert "乡镇（街道）败诉排名" in page and "县级部门败诉排名" in page and "（本县单位）" in page
    assert AGENCY_A not in re.search(r'id="ranking-agency".*?</section>', page, re.S)[0]  # type: ignore[index]


def test_minimum_case_rule_hides_rates_on_too_few_suits_until_show_all(analyst: TestClient) -> None:
    data = dash(analyst, unit_scope="all")
    rk = data["rankings"]["agency"]
    assert data["min_concluded"] == 3 and rk["ranked_count"] == 0 and rk["unranked_count"] == len(rk["rows"])
    assert all(r["rank"] is None and r["ranked"] is False for r in rk["rows"])
    page = analyst.get("/dashboard", params={"unit_scope": "all"}).text
    section = re.search(r'id="ranking-agency".*?</section>', page, re.S)[0]  # type: ignore[index]
    assert "本期没有审结满 3 件的单位" in section and "显示全部" in section and AGENCY_A not in section
    shown = analyst.get("/dashboard", params={"unit_scope": "all", "show": "all"}).text
    section = re.search(r'id="ranking-agency".*?</section>', shown, re.S)[0]  # type: ignore[index]
    assert AGENCY_A in section and "不足 3 件" in section and "不排名" in section
    assert f"共 {len(rk['rows'])} 个单位" in section


def test_with_the_rule_at_one_suit_rates_are_ranked(store: WebStore, tmp_path: Path) -> None:
    settings = store.settings.model_copy(update={"ranking_min_concluded": 1})
    c = signed_in(create_app(settings, db=store.db), "analyst1")
    rk = dash(c, unit_scope="all")["rankings"]["agency"]
    assert rk["unranked_count"] == 0 and rk["rows"][0]["rank"] == 1
    assert rk["rows"][-1]["label"] == "河北省国土资源厅"  # won its only suit: ranked last


# ---------------------------------------------------------------- drill-down


@pytest.mark.parametrize(
    ("period", "expected"),
    [
        ("", ""),
        ("2018", "年份:2018"),
        ("2016..2018", "年份:2016..2018"),
        ("2018..", "年份:2018.."),
        ("2018Q2", "日期:2018-04-01..2018-06-30"),
        ("2018-05", "日期:2018-05-01..2018-05-31"),
        ("2018Q2..2019Q1", "日期:2018-04-01..2019-03-31"),
    ],
)
def test_a_period_becomes_the_search_filter(period: str, expected: str) -> None:
    from api.services.drill import period_query
    from reports.stats import Period

    assert period_query(Period.parse(period)) == expected


@pytest.mark.parametrize("params", [{}, {"period": "2018"}, {"period": "2018Q2"}, {"period": "2016..2020"}])
def test_every_drill_down_opens_a_search_with_the_same_count(analyst: TestClient, params: dict) -> None:
    """GIVEN the dashboard of a period WHEN a figure is clicked THEN the search it opens holds as many judgments
    as the figure says (each suit has one document here): KPIs, every ranking row, every trend row, every bar."""
    data = dash(analyst, unit_scope="all", **params)
    assert total(analyst, data["queries"]["lost"]) == data["totals"]["lost"]
    assert total(analyst, data["queries"]["concluded"]) == data["totals"]["concluded"]
    period_q = data["queries"]["documents"]
    for key in ("agency", "department", "township"):
        for r in data["rankings"][key]["rows"]:
            assert period_q in r["query"] and "被告:" in r["query"]
            assert total(analyst, r["lost_query"]) == r["lost"], r
            assert total(analyst, r["concluded_query"]) == r["concluded"], r
    for r in data["by_period"]:
        if r["key"] != "undated":
            assert (
                total(analyst, r["lost_query"]) == r["lost"]
                and total(analyst, r["concluded_query"]) == r["concluded"]
            )
    for key in ("lost_by_cause", "lost_by_field", "lost_by_action_type"):
        for bar in data[key]:
            if bar["query"]:
                assert total(analyst, bar["query"]) == bar["count"], bar


def test_the_agency_filter_is_kept_in_the_drill_down(analyst: TestClient, store: WebStore) -> None:
    data = dash(analyst, period="2018", agency_id=str(store.agency_ids[AGENCY_B]))
    by_b = f'(被告:"{AGENCY_B}" OR 被告:"{ALIAS_B}")'
    assert data["queries"]["lost"] == f"年份:2018 {by_b} 结果:败诉"
    assert total(analyst, data["queries"]["lost"]) == data["totals"]["lost"] == 1
    assert all("被告:" in b["query"] for b in data["lost_by_cause"])
    # the page's links carry the same query (a ranking row and the KPI)
    page = analyst.get("/dashboard", params={"period": "2018", "unit_scope": "all", "show": "all"}).text
    from urllib.parse import quote_plus

    assert quote_plus(f"年份:2018 {by_b} 结果:败诉") in page
    assert "计数口径" in page and "检索按文书计" in page


# ---------------------------------------------------------------- tables and empty states


def test_every_chart_has_a_data_table_with_a_caption(analyst: TestClient) -> None:
    page = analyst.get("/dashboard", params={"period": "2016..2020"}).text
    for chart in ("chart-trend", "chart-cause", "chart-field", "chart-action"):
        assert f'id="{chart}"' in page
    for caption in ("案件量与败诉率趋势", "败诉原因分布", "败诉案件的执法领域", "败诉案件的行为类型"):
        assert f"<caption>{caption}（2016年至2020年）</caption>" in page


def test_empty_period_and_empty_store_point_to_upload(analyst: TestClient, tmp_path: Path) -> None:
    page = analyst.get("/dashboard", params={"period": "2031"}).text
    assert 'id="empty-state"' in page and "2031年没有案件" in page and 'href="/upload"' in page
    assert 'id="chart-trend"' not in page
    # losses only in other periods: the cause chart is not drawn on bare axes
    page = analyst.get("/dashboard", params={"period": "2015"}).text
    assert 'id="chart-cause"' not in page and "本期没有败诉案件" in page
    from core.db import Database
    from core.settings import load_settings

    settings = load_settings(data_dir=tmp_path / "empty", database_url=None, es_url=None, broker_url=None)
    db = Database(settings)
    try:
        from api.services.accounts import create_user

        with db.session() as s:
            create_user(s, "analyst1", "correct horse battery", "analyst", None)
        c = signed_in(create_app(settings, db=db), "analyst1")
        page = c.get("/dashboard").text
        assert "还没有裁判文书" in page and 'href="/upload"' in page and 'id="chart-trend"' not in page
    finally:
        db.dispose()


@pytest.mark.parametrize("ours_only", [False, True])
def test_the_three_rankings_of_one_pass_equal_their_own_tables(store: WebStore, ours_only: bool) -> None:
    from reports.caseindex import agency_reports, stats_report
    from reports.stats import GroupBy

    with store.db.session() as s:
        for period in ("2018", "2016..2020", ""):
            reports = agency_reports(s, period=period, ours_only=ours_only)
            for by in (GroupBy.agency, GroupBy.township, GroupBy.department):
                alone = stats_report(s, by=by, period=period, ours_only=ours_only)
                assert reports[by].to_json() == alone.to_json(), (period, by)


def test_the_in_county_tables_filtered_from_the_same_pass_equal_their_own_tables(store: WebStore) -> None:
    from reports.caseindex import agency_reports, agency_reports_both
    from reports.stats import GroupBy

    with store.db.session() as s:
        for period in ("2018", "2016..2020", "2020Q2", ""):
            every, ours = agency_reports_both(s, period=period)
            for by in (GroupBy.agency, GroupBy.township, GroupBy.department):
                assert every[by].to_json() == agency_reports(s, period=period)[by].to_json()
                assert ours[by].to_json() == agency_reports(s, period=period, ours_only=True)[by].to_json()


def test_the_bulletin_names_the_key_target_bureau_staff_confirmed(
    analyst: TestClient, store: WebStore
) -> None:
    import io

    from docx import Document

    def bulletin_text() -> str:
        r = analyst.post(
            "/bulletin/document",
            data={
                "csrf_token": analyst.headers["X-CSRF-Token"],
                "period": "2020",
                "issuing_body": "甲县司法局",
            },
        )
        assert r.status_code == 200, r.text[:300]
        return "\n".join(p.text for p in Document(io.BytesIO(r.content)).paragraphs)

    assert "经甲县司法局确认" not in bulletin_text()  # nothing confirmed: the proposal, said as one
    body = {"period": "2020", "kind": "township", "agency_id": store.agency_ids[TOWNSHIP]}
    assert analyst.post("/api/stats/key-targets", json=body).status_code == 200
    try:
        text = bulletin_text()
        assert f"经甲县司法局确认，{TOWNSHIP}" in text and "列为本期乡镇（街道）重点监督对象" in text
    finally:
        analyst.post("/api/stats/key-targets", json={**body, "agency_id": None})
