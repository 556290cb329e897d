"""Figures by rule (issue 16): filing and decision dates, 日期不详, ranges, reconsideration bodies apart,
复议纠错, top-N flags and the minimum-case rule, two-way tables, 对标数据.

Uses the hand-counted fixture of test_reports_stats plus rows constructed here.
"""

from __future__ import annotations

import datetime as dt
import json
import sys
from pathlib import Path

import pytest
from typer.testing import CliRunner

from core.models import Judgment, LedgerEntry
from core.normalize import normalize_case_no
from reports.caseindex import ensure_fresh, sql_report, stats_report
from reports.cases import JudgmentRow, build_cases, build_reconsiderations, load_all
from reports.stats import (
    UNDATED,
    Figures,
    GroupBy,
    LossRateDefinition,
    Period,
    RankingRules,
    StatsError,
    compute,
    parse_period,
    restrict,
)

sys.path.insert(0, str(Path(__file__).parent))
import test_reports_stats as fixture  # noqa: E402

D = dt.date
CONCLUDED = LossRateDefinition()
ONE = RankingRules(min_concluded=1)


def _sum(rows: list[dict], key: str) -> int:
    return sum(r[key] for r in rows)


# ---------------------------------------------------------------- periods


def test_ranges_and_open_ends_parse_and_refuse_nonsense() -> None:
    r = Period.parse("2022..2024")
    assert (r.start, r.end, r.code, r.zh) == (D(2022, 1, 1), D(2025, 1, 1), "2022..2024", "2022年至2024年")
    q = Period.parse("2022Q1..2023Q4")
    assert (q.start, q.end) == (D(2022, 1, 1), D(2024, 1, 1)) and not q.year_aligned
    o = Period.parse("2022..")
    assert o.contains(D(2031, 5, 1)) and not o.contains(D(2021, 12, 31)) and o.zh == "2022年以来"
    assert parse_period(since="2022") == o and Period.parse("2022年至2024年") == r
    assert Period.parse("2024-03..2024-05").end == D(2024, 6, 1)
    for bad in ("2024..2022", "..2024", "2022..明年"):
        with pytest.raises(StatsError):
            Period.parse(bad)
    with pytest.raises(StatsError):
        parse_period("2024", "2022")


# ---------------------------------------------------------------- dates by rule


def test_a_suit_filed_in_one_quarter_and_decided_in_the_next_counts_as_filed_in_the_first() -> None:
    """GIVEN 行初5号 (河口乡) filed 2024-03-20 and lost 2024-06-30 WHEN counted per quarter THEN 发案 in Q1,
    败诉 in Q2."""
    cases = build_cases(fixture.rows())
    hk = next(c for c in cases if fixture.HK in c.defendants)
    assert (hk.filed, hk.filed_source, hk.date, hk.date_source) == (
        D(2024, 3, 20),
        "judgment",
        D(2024, 6, 30),
        "judgment",
    )
    q1 = compute(cases, GroupBy.township, Period.parse("2024Q1"), CONCLUDED)
    q2 = compute(cases, GroupBy.township, Period.parse("2024Q2"), CONCLUDED)
    row1 = next(r for r in q1.rows if r.label == fixture.HK)
    row2 = next(r for r in q2.rows if r.label == fixture.HK)
    assert (row1.figures.cases, row1.figures.lost) == (1, 0)
    assert (row2.figures.cases, row2.figures.lost) == (0, 1)


def test_quarter_rows_plus_undated_add_up_to_the_total_since_2022(any_db) -> None:
    """GIVEN the fixture and an undated suit (masked dates, no case-number year) WHEN --by quarter --since
    2022 THEN the quarter rows plus 日期不详 add up to the total, in SQL and in the pure count."""
    with any_db.session() as s:
        fixture.registry(s)
        fixture.store(s)
        s.add(
            Judgment(
                id=50,
                case_no=None,
                doc_kind="judgment",
                procedure="first",
                outcome="agency_lost",
                loss_causes=["procedure"],
                defendants=[fixture.CG],
                plaintiffs=["李四"],
                record={"text": ""},
                classification={"outcome": "agency_lost"},
            )
        )
        s.flush()
        report = stats_report(s, by="quarter", since="2022")
        cases, _ = load_all(s)
    data = report.to_json()
    rows = data["rows"]
    assert rows[-1]["key"] == UNDATED and rows[-1]["label"] == "日期不详"
    # the pure count agrees
    assert compute(cases, GroupBy.quarter, Period.parse("2022.."), CONCLUDED).to_json() == data
    # every suit is filed once: in a quarter row or 日期不详
    assert _sum(rows, "cases") == data["grand_totals"]["cases"] == len(cases) == 10
    assert _sum(rows[:-1], "cases") == data["totals"]["cases"]
    # 行初8号 (推定 2024 only) and the undated suit are 日期不详 for a quarter table ...
    assert rows[-1]["cases"] == 2
    # ... and every decision is counted once too (the undated suit's loss has no date)
    assert _sum(rows, "lost") == data["grand_totals"]["lost"] == 5 and rows[-1]["lost"] == 1
    assert "推定" in data["date_rule_zh"] and "日期不详" in report.to_table().note
    # in a year table the case-number year (推定) places 行初8号 in 2024
    years = {
        r["key"]: r["cases"] for r in compute(cases, GroupBy.year, Period("all"), CONCLUDED).to_json()["rows"]
    }
    assert years == {"2023": 2, "2024": 7, UNDATED: 1}


def test_the_ledger_filing_date_wins_over_the_judgment(db) -> None:
    with db.session() as s:
        fixture.registry(s)
        fixture.store(s)
        s.add(
            LedgerEntry(
                case_no="（2024）甲0101行初8号",
                case_no_norm=normalize_case_no("（2024）甲0101行初8号"),
                agency_name=fixture.CG,
                received_date=D(2024, 2, 1),
            )
        )
        s.flush()
        cases, _ = load_all(s)
    c = next(c for c in cases if 12 in c.judgment_ids)
    assert (c.filed, c.filed_source, c.filed_year) == (D(2024, 2, 1), "ledger", 2024)


def test_a_first_instance_and_its_appeal_are_one_suit_with_the_first_instance_filing_date() -> None:
    cases = build_cases(fixture.rows())
    suit = next(c for c in cases if 3 in c.judgment_ids)
    assert sorted(suit.judgment_ids) == [2, 3] and suit.filed == D(2023, 12, 20)
    q4 = compute(cases, GroupBy.field, Period.parse("2023Q4"), CONCLUDED).totals
    assert (q4.cases, q4.lost) == (1, 1)  # filed 2023Q4 (this suit) · lost 2023Q4 (行初9号)


# ---------------------------------------------------------------- reconsideration bodies and decisions


def _with_reconsideration_codefendant() -> list[JudgmentRow]:
    """行初5号 again, now with 县政府 as the 复议机关 that upheld 河口乡's act (co-defendant)."""
    rows = fixture.rows()
    for r in rows:
        if r.id == 6:
            r.defendants = [fixture.HK, fixture.GOV]
            r.defendant_roles = {fixture.GOV: "reconsideration_body"}
    return rows


def test_a_reconsideration_codefendant_does_not_raise_its_original_act_loss_rate() -> None:
    cases = build_cases(_with_reconsideration_codefendant())
    r = compute(cases, GroupBy.agency, Period.parse("2024"), CONCLUDED, rules=ONE)
    gov = next(x for x in r.rows if x.label == fixture.GOV)
    hk = next(x for x in r.rows if x.label == fixture.HK)
    # 县政府's own record: 行初8号 (won) only; the lost 行初5号 is shown apart
    assert (gov.figures.cases, gov.figures.concluded, gov.figures.lost, gov.figures.loss_rate) == (
        1,
        1,
        0,
        0.0,
    )
    assert gov.figures.lost_as_reconsideration_body == 1
    assert (hk.figures.lost, hk.figures.lost_as_reconsideration_body) == (1, 0)
    assert "复议机关" in r.rules_zh and "作为复议机关败诉" in r.to_table().columns


def _reconsideration(s, jid: int, outcome: str, respondent: str, day: dt.date) -> None:  # type: ignore[no-untyped-def]
    s.add(
        Judgment(
            id=jid,
            case_no=f"甲政复决〔{day.year}〕{jid}号",
            doc_kind="decision",  # the column is 20 characters: the record carries the kind
            procedure="other",
            judgment_date=day,
            outcome=outcome,
            defendants=[respondent],
            plaintiffs=["王五"],
            record={"text": "", "doc_kind": "reconsideration_decision", "respondents": [respondent]},
            classification={"outcome": outcome},
        )
    )
    s.flush()


def test_a_reconsideration_decision_changes_the_correction_count_and_nothing_else(any_db) -> None:
    """GIVEN the fixture WHEN a 行政复议决定 revoking 城关镇's act is stored (and one upholding it) THEN
    城关镇's 复议纠错 is 1 and every other figure of every grouping is unchanged."""
    with any_db.session() as s:
        fixture.registry(s)
        fixture.store(s)
        before = {by: stats_report(s, by=by, period="2024", rules=ONE).to_json() for by in GroupBy}
        _reconsideration(s, 60, "revoked", fixture.CG, D(2024, 5, 6))
        _reconsideration(s, 61, "upheld", fixture.CG, D(2024, 5, 7))
        after = {by: stats_report(s, by=by, period="2024", rules=ONE).to_json() for by in GroupBy}
        cases, recs = load_all(s)
        pure = compute(
            cases, GroupBy.agency, Period.parse("2024"), CONCLUDED, rules=ONE, reconsiderations=recs
        )
    assert len(cases) == 9 and len(recs) == 2 and [r.corrected for r in recs] == [True, False]
    cg = next(r for r in after[GroupBy.agency]["rows"] if r["label"] == fixture.CG)
    assert cg["reconsideration_corrections"] == 1
    assert after[GroupBy.agency]["totals"]["reconsideration_corrections"] == 1
    assert pure.to_json() == after[GroupBy.agency]
    for by in GroupBy:
        a, b = json.loads(json.dumps(after[by])), before[by]
        for row in a["rows"]:
            row["reconsideration_corrections"] = 0
        a["totals"]["reconsideration_corrections"] = a["grand_totals"]["reconsideration_corrections"] = 0
        assert a == b, by


def test_reconsiderations_are_built_apart_from_suits() -> None:
    rows = fixture.rows() + [
        JudgmentRow(
            70,
            "甲政复决〔2024〕3号",
            "other",
            None,
            None,
            "varied",
            doc_kind="reconsideration_decision",
            respondents=[fixture.RS],
        ),
    ]
    assert len(build_cases(rows)) == 9
    (rec,) = build_reconsiderations(rows)
    assert (rec.year, rec.corrected, [a.name for a in rec.agencies]) == (2024, True, [fixture.RS])


# ---------------------------------------------------------------- flags and the minimum-case rule


def test_flags_and_the_minimum_case_rule_come_from_the_settings(db, settings) -> None:
    settings.ranking_flags, settings.ranking_min_concluded = "县:1,市:3", 2
    rules = RankingRules.from_settings(settings)
    assert rules.labels == ["县前1名", "市前3名"] and "审结不足2件" in rules.zh
    with db.session() as s:
        fixture.registry(s)
        fixture.store(s)
        r = stats_report(s, by="agency", period="2024", rules=rules)
        quarter = stats_report(s, by="agency", period="2024Q2", rules=rules)
    ranked = {x.label: (x.rank, x.ranked, x.flags) for x in r.rows}
    # 自然资源局 (1 of 2 lost) and 城关镇 (0 of 3) have ≥ 2 concluded suits; the others are not ranked
    assert ranked[fixture.ZRZY] == (1, True, {"县前1名": True, "市前3名": True})
    assert ranked[fixture.CG] == (
        2,
        True,
        {"县前1名": False, "市前3名": False},
    )  # a zero rate is never flagged
    assert ranked[fixture.HK] == (None, False, {"县前1名": False, "市前3名": False})
    assert r.to_table().columns[-2:] == ["县前1名", "市前3名"]
    assert not any(f for x in quarter.rows for f in x.flags.values())  # flags only for a year
    with pytest.raises(StatsError):
        RankingRules.parse("县:两名")


# ---------------------------------------------------------------- two-way tables


def _recount(cases, by: GroupBy, then: GroupBy, key1: str, key2: str, period: Period) -> Figures:  # type: ignore[no-untyped-def]
    """A slow recount straight from the case list: suits in both groups, filed / decided in the period."""
    from reports.stats import place, static_keys

    f = Figures()
    d = CONCLUDED
    for c in cases:
        keys1 = {k for k, _ in static_keys(by, c)}
        keys2 = {k for k, _ in static_keys(then, c)} if not then.series else None
        if key1 not in keys1:
            continue
        if then.series:
            if place(c.filed, c.filed_year, period, then.value) == key2:
                f.add_filed(c)
            if c.decided and place(c.date, c.decided_year, period, then.value) == key2:
                f.add_decided(c, d)
            continue
        assert keys2 is not None
        if key2 not in keys2 or (then == GroupBy.cause and not d.is_loss(c)):
            continue
        if place(c.filed, c.filed_year, period, None) == "":
            f.add_filed(c)
        if c.decided and place(c.date, c.decided_year, period, None) == "":
            f.add_decided(c, d)
    return f


@pytest.mark.parametrize(
    ("by", "then"),
    [
        (GroupBy.agency, GroupBy.cause),
        (GroupBy.township, GroupBy.field),
        (GroupBy.agency, GroupBy.quarter),
        (GroupBy.field, GroupBy.agency),
        (GroupBy.court, GroupBy.action_type),
        (GroupBy.field, GroupBy.quarter),
        (GroupBy.cause, GroupBy.department),
    ],
)
def test_then_tables_equal_a_recount_from_the_case_list(any_db, by: GroupBy, then: GroupBy) -> None:
    with any_db.session() as s:
        fixture.registry(s)
        fixture.store(s)
        cases, _ = load_all(s)
        ensure_fresh(s)
        for period in (Period.parse("2024"), Period.parse("2023..")):
            report = sql_report(s, by, period, CONCLUDED, then=then, rules=ONE)
            assert report.to_json() == compute(cases, by, period, CONCLUDED, then=then, rules=ONE).to_json()
            assert report.rows and any(r.children for r in report.rows)
            for row in report.rows:
                for child in row.children:
                    assert child.figures == _recount(cases, by, then, row.key, child.key, period), (
                        row.label,
                        child.label,
                    )
    table = report.to_table()
    assert table.columns[1:3] == [by.zh, then.zh] and "（合计）" in [r[2] for r in table.rows]


def test_a_search_result_as_statistics_equals_the_pure_count_of_its_suits(any_db) -> None:
    """GIVEN the fixture, two 行政复议决定 and a "search result" of some judgments (an appeal without its first
    instance among them) WHEN its tables are computed in SQL (temporary tables of matched judgments and their
    suits) THEN every grouping, two-way tables, an agency user's scope and the sample size equal the pure count
    over the suits the result touches — twice on one connection (the temporary tables are left clean)."""
    from reports.sample import sample_report

    with any_db.session() as s:
        agency = fixture.registry(s)
        fixture.store(s)
        _reconsideration(s, 60, "revoked", fixture.CG, D(2024, 5, 6))
        _reconsideration(s, 61, "revoked", fixture.CG, D(2024, 5, 7))
        cases, recs = load_all(s)
        ids = sorted(j for c in cases for j in c.judgment_ids)
        hit = set(ids[1::2]) | {60}
        picked = [c for c in cases if hit & set(c.judgment_ids)]
        picked_recs = [r for r in recs if r.judgment_id in hit]
        assert 0 < len(picked) < len(cases) and len(picked_recs) == 1
        scopes: list[list[int] | None] = [None, [agency[fixture.CG]]]
        for _ in range(2):
            for agency_ids in scopes:
                for by, then in [(b, None) for b in GroupBy] + [(GroupBy.agency, GroupBy.cause)]:
                    for period in (Period.parse("2024"), Period.parse("2023..")):
                        got = sample_report(
                            s, hit, "q", by=by, then=then, period=period, agency_ids=agency_ids, rules=ONE
                        )
                        want = compute(
                            picked,
                            by,
                            period,
                            CONCLUDED,
                            then=then,
                            rules=ONE,
                            reconsiderations=picked_recs,
                            agency_ids=agency_ids,
                        )
                        assert {**got.to_json(), "query": None, "sample": None} == want.to_json(), (by, then)
                        assert got.query == "q"
                        assert got.sample == len(restrict(picked, agency_ids=agency_ids))


# ---------------------------------------------------------------- 对标数据, CLI and API


def test_benchmarks_are_loaded_and_the_bulletin_sets_the_county_rate_beside_them(
    db, settings, tmp_path
) -> None:
    from docx import Document

    from reports.benchmarks import BenchmarkError, load_benchmarks
    from reports.bulletin import make_bulletin

    f = tmp_path / "对标.csv"
    f.write_text(
        "层级,地区,年度,案件数,败诉数,败诉率\n省,甲省,2024,1000,120,12%\n市,甲市,2024,200,30,\n", "utf-8"
    )
    bad = tmp_path / "bad.csv"
    bad.write_text("层级,地区,年度,败诉率\n乡,甲乡,2024,9%\n", "utf-8")
    with db.session() as s:
        fixture.registry(s)
        fixture.store(s)
        assert load_benchmarks(s, f) == 2
        with pytest.raises(BenchmarkError, match="层级"):
            load_benchmarks(s, bad)
        make_bulletin(s, settings, None, tmp_path / "b.docx", period="2024", today=D(2025, 1, 10))
    text = "\n".join(p.text for p in Document(str(tmp_path / "b.docx")).paragraphs)
    # 2024: 3 lost of 7 concluded (42.9%) against 12.0% (province) and 15.0% (city, from 30/200)
    assert "对标：本县败诉率42.9%" in text
    assert "全省（甲省，2024年）败诉率12.0%，本县高于全省（甲省，2024年）30.9个百分点" in text
    assert "全市（甲市，2024年）败诉率15.0%" in text


@pytest.fixture
def cli_env(monkeypatch, tmp_path: Path):  # type: ignore[no-untyped-def]
    from cli import context

    monkeypatch.setenv("ANJIAN_DATA_DIR", str(tmp_path / "cli-data"))
    monkeypatch.delenv("ANJIAN_DATABASE_URL", raising=False)
    context.settings.cache_clear()
    context.database.cache_clear()
    yield context
    context.database().dispose()
    context.settings.cache_clear()
    context.database.cache_clear()


def test_cli_since_then_and_bulletin_period(cli_env, tmp_path: Path) -> None:
    from cli.main import app

    with cli_env.database().session() as s:
        fixture.registry(s)
        fixture.store(s)
    runner = CliRunner()
    res = runner.invoke(app, ["stats", "--by", "quarter", "--since", "2022", "--json"])
    assert res.exit_code == 0, res.output
    data = json.loads(res.stdout)
    assert data["period"] == "2022.." and _sum(data["rows"], "cases") == data["grand_totals"]["cases"] == 9
    res = runner.invoke(
        app,
        [
            "stats",
            "--by",
            "agency",
            "--then",
            "cause",
            "--period",
            "2022..2024",
            "-o",
            str(tmp_path / "t.xlsx"),
        ],
    )
    assert res.exit_code == 0, res.output
    from openpyxl import load_workbook

    ws = load_workbook(tmp_path / "t.xlsx").worksheets[0]
    values = [c for row in ws.iter_rows(values_only=True) for c in row if c]
    assert "败诉原因" in values and "违反法定程序" in values
    res = runner.invoke(app, ["stats", "--by", "agency", "--then", "agency"])
    assert res.exit_code != 0 and "不同" in res.output
    res = runner.invoke(app, ["stats", "--period", "2024..2022"])
    assert res.exit_code != 0 and "早于" in res.output
    res = runner.invoke(app, ["bulletin", "--period", "2023..2024", "-o", str(tmp_path / "b.docx")])
    assert res.exit_code == 0, res.output
    res = runner.invoke(app, ["bulletin", "-o", str(tmp_path / "c.docx")])
    assert res.exit_code != 0 and "--quarter" in res.output
    f = tmp_path / "b.csv"
    f.write_text("level,region,year,cases,losses,rate\nprovince,甲省,2024,100,10,0.1\n", "utf-8")
    res = runner.invoke(app, ["benchmarks", "load", str(f)])
    assert res.exit_code == 0 and "1 行" in res.output


# ---------------------------------------------------------------- statute-level table


def test_breached_norms_leave_out_the_litigation_law_and_count_per_agency(any_db) -> None:
    """GIVEN two lost suits citing 《行政处罚法》第四十四条 (and the litigation law, which only decides) WHEN
    --by agency --then norm THEN the norm is counted per agency, the litigation law never."""
    from reports.cases import breached_norms

    cites = [
        {"law": "中华人民共和国行政处罚法", "article": 44},
        {"law": "中华人民共和国行政诉讼法", "article": 70},
        {"law": "最高人民法院关于适用《中华人民共和国行政诉讼法》的解释", "article": 1},
        {"law": "中华人民共和国行政处罚法", "article": 105},
    ]
    assert breached_norms(cites) == [
        "《中华人民共和国行政处罚法》第四十四条",
        "《中华人民共和国行政处罚法》第一百零五条",
    ]
    with any_db.session() as s:
        fixture.registry(s)
        fixture.store(s)
        for jid in (1, 6, 8):  # 1 and 6 lost, 8 won (a won suit breaches nothing)
            j = s.get(Judgment, jid)
            j.record = {**j.record, "citations": cites[:2]}
        s.flush()
        ensure_fresh(s)
        report = stats_report(s, by="agency", then="norm", period="2024", rules=ONE)
        overall = stats_report(s, by="norm", period="2024")
        cases, _ = load_all(s)
    per = {r.label: {c.label: c.figures.lost for c in r.children} for r in report.rows if r.children}
    assert per == {
        fixture.ZRZY: {"《中华人民共和国行政处罚法》第四十四条": 1},
        fixture.HK: {"《中华人民共和国行政处罚法》第四十四条": 1},
    }
    assert [(r.label, r.figures.lost) for r in overall.rows] == [
        ("《中华人民共和国行政处罚法》第四十四条", 2)
    ]
    assert overall.to_json() == compute(cases, GroupBy.norm, Period.parse("2024"), CONCLUDED).to_json()


def test_the_fast_placer_puts_every_date_where_place_does() -> None:
    """reports.stats.Placer (bounds worked out once per table) = reports.stats.place for every kind of period,
    date grouping, exact date, year-only (推定) and missing date."""
    from reports.stats import Placer, place

    periods = ["", "2023", "2023Q2", "2023-05", "2022..2024", "2022Q3..2023Q1", "2022..", "2024-03..2024-05"]
    dates = [
        None,
        D(2021, 12, 31),
        D(2022, 1, 1),
        D(2022, 7, 15),
        D(2023, 4, 1),
        D(2023, 5, 31),
        D(2024, 12, 31),
    ]
    years = [None, 2021, 2022, 2023, 2024, 2025]
    for text in periods:
        p = Period.parse(text)
        for series in (None, "year", "quarter", "month"):
            at = Placer(p, series)
            for exact in dates:
                for year in years:
                    assert at(exact, year) == place(exact, year, p, series), (text, series, exact, year)
