"""Statistics on a fixture set counted by hand (see the table in FIXTURE below).

Q2 2024, counted by hand (cases, not documents; the enforcement review never counts):
  (2024)甲01行终5号 (appeal of 行初2号, first instance won) → ONE case, lost, 人社局, 2024-05-20
  行初3号 dismissed 城关镇 · 行初4号 withdrawn after correction 城关镇 · 行初5号 lost 河口乡
  行初6号 won 自然资源局 · 行初7号+行终8号 remanded (pending) 自然资源局 · 行初8号 won 城关镇 + 县政府
  → decided in Q2: 6 concluded, 2 won, 2 lost, 1 dismissed, 1 withdrawn; heads known 4, appeared 3.
发案 by filing date (FILED below): filed in Q2 only 行初4号 and 行初6号 (2 cases); 行初5号 was filed in Q1 and
decided in Q2; 行初8号 has no filing date (推定 2024 from its case number: counted in 2024, 日期不详 in a quarter).
"""

from __future__ import annotations

import datetime as dt

import pytest

from core.models import Judgment
from registry import agencies as ag
from reports.caseindex import stats_report
from reports.cases import JudgmentRow, build_cases, load_cases
from reports.stats import (
    GroupBy,
    LossRateDefinition,
    Period,
    RankingRules,
    StatsError,
    competition_ranks,
    compute,
)

D = dt.date
ZRZY, RS, CG, HK, GOV = (
    "甲县自然资源局",
    "甲县人力资源和社会保障局",
    "甲县城关镇人民政府",
    "甲县河口乡人民政府",
    "甲县人民政府",
)

# id, case_no, procedure, date, outcome, defendants, causes, head, cited, withdrawn_after_correction
FIXTURE = [
    (
        1,
        "（2024）甲0101行初1号",
        "first",
        D(2024, 2, 10),
        "agency_lost",
        ["甲县国土资源局"],
        ["procedure"],
        True,
        [],
        None,
    ),
    (2, "（2024）甲0101行初2号", "first", D(2024, 1, 15), "agency_won", ["甲县人社局"], [], False, [], None),
    (
        3,
        "(2024)甲01行终5号",
        "appeal",
        D(2024, 5, 20),
        "agency_lost",
        [RS],
        ["insufficient_evidence"],
        None,
        ["（2024）甲0101行初2号"],
        None,
    ),
    (4, "（2024）甲0101行初3号", "first", D(2024, 4, 3), "dismissed", [CG], [], None, [], None),
    (5, "（2024）甲0101行初4号", "first", D(2024, 4, 10), "withdrawn", [CG], [], None, [], True),
    (
        6,
        "（2024）甲0101行初5号",
        "first",
        D(2024, 6, 30),
        "agency_lost",
        [HK],
        ["inaction", "procedure"],
        True,
        [],
        None,
    ),
    (
        7,
        "（2024）甲0101行审9号",
        "enforcement_review",
        D(2024, 5, 1),
        "not_applicable",
        [ZRZY],
        [],
        None,
        [],
        None,
    ),
    (8, "（2024）甲0101行初6号", "first", D(2024, 5, 5), "agency_won", [ZRZY], [], True, [], None),
    (
        9,
        "（2024）甲0101行初7号",
        "first",
        D(2024, 3, 1),
        "agency_lost",
        [ZRZY],
        ["law_application"],
        None,
        [],
        None,
    ),
    (
        10,
        "（2024）甲01行终8号",
        "appeal",
        D(2024, 6, 10),
        "remanded",
        [ZRZY],
        [],
        None,
        ["（2024）甲0101行初7号"],
        None,
    ),
    (
        11,
        "（2023）甲0101行初9号",
        "first",
        D(2023, 11, 11),
        "agency_lost",
        [CG],
        ["procedure"],
        None,
        [],
        None,
    ),
    (12, "（2024）甲0101行初8号", "first", D(2024, 5, 15), "agency_won", [CG, GOV], [], True, [], None),
]


# filing dates (record.filing_date); 行初8号 (id 12) has none
FILED = {
    1: D(2024, 1, 5),
    2: D(2023, 12, 20),
    3: D(2023, 12, 20),  # the appeal gives the first instance's filing date
    4: D(2024, 1, 20),
    5: D(2024, 4, 1),
    6: D(2024, 3, 20),
    7: D(2024, 4, 1),
    8: D(2024, 4, 2),
    9: D(2024, 1, 10),
    10: D(2024, 1, 10),
    11: D(2023, 8, 1),
}
ONE = RankingRules(min_concluded=1)


def rows() -> list[JudgmentRow]:
    return [
        JudgmentRow(
            i,
            cn,
            proc,
            "甲县人民法院",
            d,
            out,
            "penalty",
            "natural_resources",
            causes,
            defs,
            head,
            cited,
            wac,
            "judgment",
            FILED.get(i),
        )
        for i, cn, proc, d, out, defs, causes, head, cited, wac in FIXTURE
    ]


def registry(session) -> dict[str, int]:
    ids = {}
    for name, kind, aliases in (
        (ZRZY, ag.AgencyKind.department, [("甲县国土资源局", ag.AliasKind.former_name)]),
        (RS, ag.AgencyKind.department, [("甲县人社局", ag.AliasKind.abbreviation)]),
        (CG, ag.AgencyKind.township, []),
        (HK, ag.AgencyKind.township, []),
        (GOV, ag.AgencyKind.government, []),
    ):
        ids[name] = ag.add_agency(
            session, name, kind=kind, level=ag.AgencyLevel.county, parent=GOV, aliases=aliases
        ).id
    return ids


def store(session) -> None:
    for i, cn, proc, d, out, defs, causes, head, cited, wac in FIXTURE:
        session.add(
            Judgment(
                id=i,
                case_no=cn,
                doc_kind="judgment",
                procedure=proc,
                court="甲县人民法院",
                judgment_date=d,
                outcome=out,
                action_type="penalty",
                field="natural_resources",
                loss_causes=causes,
                defendants=defs,
                plaintiffs=["张三"],
                agency_head_appeared=head,
                record={
                    "text": "",
                    "original_case_nos": cited,
                    "filing_date": FILED[i].isoformat() if i in FILED else None,
                },
                classification={"outcome": out, "withdrawn_after_correction": wac},
            )
        )
    session.flush()


def test_appeal_and_first_instance_are_one_case_with_the_outcome_in_effect() -> None:
    cases = build_cases(rows())
    assert len(cases) == 9  # 12 documents − 1 enforcement review − 2 appeals joined to their first instance
    appealed = next(c for c in cases if 3 in c.judgment_ids)
    assert sorted(appealed.judgment_ids) == [2, 3]
    assert appealed.outcome == "agency_lost" and appealed.date == D(2024, 5, 20)
    assert appealed.loss_causes == ["insufficient_evidence"]
    remanded = next(c for c in cases if 10 in c.judgment_ids)
    assert remanded.outcome == "remanded" and not remanded.concluded
    assert all(7 not in c.judgment_ids for c in cases)


def test_q2_totals_under_each_loss_rate_definition() -> None:
    cases = build_cases(rows())
    q2 = Period.parse("2024Q2")
    expected = {
        "concluded": (2, 6, 0.3333),
        "merits": (2, 4, 0.5),
        "merits+corrected": (3, 5, 0.6),
        "concluded+corrected": (3, 6, 0.5),
    }
    for code, (lost, base, rate) in expected.items():
        r = compute(cases, GroupBy.field, q2, LossRateDefinition.parse(code))
        t = r.totals
        assert (t.cases, t.concluded, t.won, t.dismissed, t.withdrawn) == (2, 6, 2, 1, 1)
        assert r.undated.cases == 1  # 行初8号: no filing date, 2024 only by its case number
        assert (t.lost, t.base, t.loss_rate) == (lost, base, rate), code
        assert code in r.to_json()["definition"] and "败诉率＝" in r.to_table().note
    assert (t.head_known, t.head_appeared, t.head_rate) == (4, 3, 0.75)


def test_trend_against_the_previous_quarter() -> None:
    r = compute(build_cases(rows()), GroupBy.field, Period.parse("2024Q2"), LossRateDefinition())
    assert r.previous_period == Period.parse("2024Q1")
    # filed in Q1: 行初1号, 3号, 5号, 7号; decided in Q1: only 行初1号
    assert r.previous_totals is not None
    assert (r.previous_totals.cases, r.previous_totals.lost) == (4, 1)
    assert r.rows[0].rate_change == pytest.approx(0.3333 - 1.0)


def test_rankings_with_ties_top3_and_key_targets(db) -> None:
    with db.session() as s:
        registry(s)
        store(s)
        r = stats_report(s, by="agency", period="2024", rules=ONE)
    ranked = [
        (row.label, row.rank, row.figures.lost, row.figures.concluded, row.flags["市前3名"]) for row in r.rows
    ]
    assert ranked == [
        (HK, 1, 1, 1, True),
        (RS, 1, 1, 1, True),  # 人社局 matched through its abbreviation 甲县人社局 (filed in 2023: 0 cases)
        (ZRZY, 3, 1, 2, True),  # 国土资源局 (former name) counts for 自然资源局
        (CG, 4, 0, 3, False),
        (GOV, 4, 0, 1, False),
    ]
    assert [row.flags["县前2名"] for row in r.rows] == [True, True, False, False, False]
    targets = {k.kind: (k.names, k.losses) for k in r.key_targets}
    # 人社局 and 自然资源局 both lost 1 case: the tie is broken by the loss rate (1/1 against 1/2)
    assert targets == {"township": ([HK], 1), "department": ([RS], 1)}


def test_competition_ranking() -> None:
    assert competition_ranks([5, 5, 3, None, 1]) == [1, 1, 3, None, 4]


def test_restriction_to_one_agency_and_the_cause_breakdown(db) -> None:
    with db.session() as s:
        ids = registry(s)
        store(s)
        mine = stats_report(s, by="agency", period="2024", agency_ids=[ids[CG]])
        causes = stats_report(s, by="cause", period="2024Q2")
    assert [row.label for row in mine.rows] == [CG]
    assert (mine.totals.cases, mine.totals.lost) == (3, 0)  # 行初3号, 4号 filed 2024; 行初8号 推定 2024
    assert {row.label: (row.figures.lost, row.share_of_losses) for row in causes.rows} == {
        "主要证据不足": (1, 0.5),
        "执法不作为": (1, 0.5),
        "违反法定程序": (1, 0.5),
    }


def test_stats_on_the_store_match_the_pure_count(any_db) -> None:
    """GIVEN the fixture stored on SQLite and on PostgreSQL WHEN the cases are loaded THEN the same count."""
    with any_db.session() as s:
        registry(s)
        store(s)
        cases = load_cases(s)
        r = stats_report(s, by="township", period="2024Q2", definition="merits+corrected")
    assert len(cases) == 9
    assert (r.totals.lost, r.totals.base) == (3, 5)
    assert {row.label: row.figures.lost for row in r.rows} == {CG: 1, HK: 1}


def test_periods_parse_and_refuse_nonsense() -> None:
    assert Period.parse("2024年第二季度") == Period("quarter", 2024, 2)
    assert Period.parse("2024-05").previous() == Period("month", 2024, 4)
    assert Period.parse("2024Q1").previous() == Period("quarter", 2023, 4)
    with pytest.raises(StatsError):
        Period.parse("去年")
    with pytest.raises(StatsError):
        LossRateDefinition.parse("everything")


def test_sql_aggregates_equal_the_pure_count_for_every_grouping(any_db) -> None:
    """GIVEN the fixture in the store WHEN each grouping is computed in SQL and in Python THEN same numbers."""
    from reports.caseindex import ensure_fresh, sql_report

    with any_db.session() as s:
        ids = registry(s)
        store(s)
        assert ensure_fresh(s) and not ensure_fresh(s)  # built once, then fresh
        cases = load_cases(s)
        for by in GroupBy:
            for code in ("concluded", "merits+corrected"):
                for period in ("2024Q2", "2024", None):
                    for scope in ({}, {"agency_ids": [ids[CG], ids[HK]]}, {"ours_only": True}):
                        d, p = LossRateDefinition.parse(code), Period.parse(period)
                        a = compute(cases, by, p, d, **scope).to_json()
                        b = sql_report(s, by, p, d, **scope).to_json()
                        assert a == b, (by, code, period, scope)


def test_the_case_table_follows_a_reviewer_correction(db) -> None:
    from core.store import add_correction

    with db.session() as s:
        registry(s)
        store(s)
        before = stats_report(s, by="field", period="2024Q2").totals.lost
        add_correction(s, 8, "outcome", "agency_lost", user="审核员", reason="二审改判")
        after = stats_report(s, by="field", period="2024Q2").totals.lost
    assert (before, after) == (2, 3)
