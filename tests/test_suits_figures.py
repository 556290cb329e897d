"""Register rows in the statistics (issue 16): a register row, a ledger row and the judgments of one suit are ONE
suit; a registered suit without judgment is a pending suit (发案 only, dated by 收到应诉材料); a registered suit
with no case number stands alone; the registered agency is the suit's agency; the table says how many
appeals stood as their own suit."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

from core.models import Judgment, LedgerEntry
from core.normalize import normalize_case_no
from registry.agencies import AgencyKind, add_agency
from reports.caseindex import stats_report
from reports.registered import load_suits
from reports.stats import UNDATED, GroupBy, LossRateDefinition, Period, compute
from supervision.suits import register_suit

D = dt.date
COURT = "甲县人民法院"
TOWN = "甲县城关镇人民政府"
BUREAU = "甲县自然资源局"
FIRST = "（2024）甲0101行初1号"


def _judgment(s: Any, **kw: Any) -> Judgment:
    values: dict[str, Any] = {
        "doc_kind": "judgment",
        "procedure": "first",
        "court": COURT,
        "case_no": FIRST,
        "outcome": "agency_lost",
        "judgment_date": D(2024, 6, 1),
        "loss_causes": ["procedure"],
        "defendants": [TOWN],
        "plaintiffs": ["王某"],
        "record": {"text": ""},
        "classification": {"outcome": "agency_lost"},
    }
    values.update(kw)
    j = Judgment(**values)
    s.add(j)
    s.flush()
    return j


def _appeal(s: Any, of: str = FIRST, **kw: Any) -> Judgment:
    values: dict[str, Any] = {
        "procedure": "appeal",
        "court": "甲市中级人民法院",
        "case_no": "（2024）甲01行终9号",
        "judgment_date": D(2024, 10, 8),
        "record": {"text": "", "first_instance": {"court": COURT, "case_no": of}, "original_case_nos": [of]},
    }
    values.update(kw)
    return _judgment(s, **values)


def _agencies(s: Any) -> tuple[int, int]:
    town = add_agency(s, TOWN, kind=AgencyKind.township).id
    return town, add_agency(s, BUREAU, kind=AgencyKind.department).id


PAPERS = D(2024, 2, 10)


def _register(s: Any, agency_id: int, case_no: str | None = FIRST, received: dt.date = PAPERS) -> Any:
    return register_suit(
        s,
        papers_received=received,
        plaintiffs=["王某"],
        court=COURT,
        sued_action="行政处罚",
        agency_id=agency_id,
        case_no=case_no,
        today=D(2024, 12, 1),
    ).suit


def _pure(s: Any, by: GroupBy, period: str) -> dict:
    cases, recs = load_suits(s)
    return compute(cases, by, Period.parse(period), LossRateDefinition(), reconsiderations=recs).to_json()


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


def test_a_register_row_its_first_instance_and_its_appeal_are_one_suit_in_anjian_stats(cli_env) -> None:
    """GIVEN 城关镇 registers 行初1号 (papers 2024-02-10), then the first-instance loss and the appeal upholding it
    arrive (the appeal names the town by a short name the registry does not know) WHEN `anjian stats` THEN one
    suit: 发案 in 2024Q1 by the register's date, one loss, counted for the registered agency only."""
    from cli.main import app

    with cli_env.database().session() as s:
        town, _ = _agencies(s)
        _register(s, town)
        _judgment(s)  # stored after registration, not attached: found by its case number
        _appeal(s, defendants=["城关镇政府"])
    runner = CliRunner()
    res = runner.invoke(app, ["stats", "--by", "agency", "--json"])
    assert res.exit_code == 0, res.output
    data = json.loads(res.stdout)
    assert (data["totals"]["cases"], data["totals"]["concluded"], data["totals"]["lost"]) == (1, 1, 1)
    assert [(r["label"], r["cases"], r["lost"]) for r in data["rows"]] == [(TOWN, 1, 1)]
    assert data["stood_alone"] == 0 and "应诉案件登记" in data["rules_zh"]
    res = runner.invoke(app, ["stats", "--by", "quarter", "--period", "2024", "--json"])
    rows = {r["key"]: r for r in json.loads(res.stdout)["rows"]}
    assert rows["2024Q1"]["cases"] == 1 and rows["2024Q4"]["lost"] == 1 and UNDATED not in rows
    res = runner.invoke(app, ["stats", "--by", "agency"])
    assert res.exit_code == 0 and "收到应诉材料日期" in res.output and "单独计为一件的 0 件" in res.output


def test_a_register_row_without_judgment_counts_in_filed_only(any_db) -> None:
    """GIVEN a registered suit whose judgment has not come WHEN counted THEN 发案 1 (in the quarter the papers
    came), 审结 0, 败诉 0: pending until decided; then the judgment arrives and it is one suit, lost."""
    with any_db.session() as s:
        town, _ = _agencies(s)
        _register(s, town, received=D(2024, 5, 6))
        report = stats_report(s, by="quarter", period="2024")
        data = report.to_json()
        assert data == _pure(s, GroupBy.quarter, "2024")
        assert [(r["key"], r["cases"], r["concluded"], r["lost"]) for r in data["rows"]] == [
            ("2024Q2", 1, 0, 0)
        ]
        town_row = stats_report(s, by="agency", period="2024").to_json()["rows"]
        assert [(r["label"], r["cases"], r["concluded"]) for r in town_row] == [(TOWN, 1, 0)]
        _judgment(s, judgment_date=D(2024, 9, 3))
        after = stats_report(s, by="quarter", period="2024").to_json()
        assert (after["totals"]["cases"], after["totals"]["lost"]) == (1, 1)
        assert {r["key"]: r["cases"] for r in after["rows"]} == {"2024Q2": 1, "2024Q3": 0}


def test_ledger_register_and_judgment_of_one_case_are_one_suit_and_the_ledger_date_wins(any_db) -> None:
    with any_db.session() as s:
        town, bureau = _agencies(s)
        _register(s, town, received=D(2024, 2, 10))
        _judgment(s, record={"text": "", "filing_date": "2024-02-20"})
        s.add(
            LedgerEntry(
                case_no=FIRST,
                case_no_norm=normalize_case_no(FIRST),
                agency_name=TOWN,
                agency_id=town,
                received_date=D(2024, 1, 30),
            )
        )
        # and a ledger row + register row of a second suit whose judgment has not come
        second = "（2024）甲0101行初2号"
        s.add(
            LedgerEntry(
                case_no=second, case_no_norm=normalize_case_no(second), agency_name=BUREAU, agency_id=bureau
            )
        )
        _register(s, bureau, case_no=second, received=D(2024, 4, 2))
        s.flush()
        cases, _ = load_suits(s)
        assert len(cases) == 2
        one = next(c for c in cases if c.judgment_ids)
        assert (one.filed, one.filed_source) == (D(2024, 1, 30), "ledger")
        two = next(c for c in cases if not c.judgment_ids)
        # the ledger row had no 收案日期: the register's date comes next (before the case-number year)
        assert (two.filed, two.filed_source, two.outcome) == (D(2024, 4, 2), "register", None)
        data = stats_report(s, by="agency", period="2024").to_json()
        assert data == _pure(s, GroupBy.agency, "2024")
        assert data["totals"]["cases"] == 2 and data["totals"]["lost"] == 1
        assert sorted((r["label"], r["cases"]) for r in data["rows"]) == sorted([(BUREAU, 1), (TOWN, 1)])


def test_register_rows_without_case_number_stand_alone_and_quarters_still_add_up(any_db) -> None:
    """GIVEN two registered suits without case number, a registered and decided suit, an appeal whose first
    instance is unknown and a first instance with masked dates WHEN --by quarter --since 2024 THEN 5 suits;
    the quarter rows plus 日期不详 add up to the total, and the table says 1 judgment stood alone."""
    with any_db.session() as s:
        town, bureau = _agencies(s)
        _register(s, town, case_no=None, received=D(2024, 3, 1))
        _register(s, bureau, case_no=None, received=D(2024, 7, 1))
        _register(s, town, received=D(2024, 2, 10))
        _judgment(s)  # 行初1号, lost 2024-06-01
        _appeal(s, case_no="（2024）甲01行终33号", record={"text": ""}, judgment_date=D(2024, 8, 1))
        _judgment(s, case_no=None, judgment_date=None, defendants=[BUREAU])
        report = stats_report(s, by="quarter", since="2024")
        data = report.to_json()
        assert data == _pure(s, GroupBy.quarter, "2024..")
        rows = data["rows"]
        assert sum(r["cases"] for r in rows) == data["grand_totals"]["cases"] == 5
        assert (
            rows[-1]["key"] == UNDATED and rows[-1]["cases"] == 2
        )  # the appeal (推定 2024) and the masked one
        assert sum(r["lost"] for r in rows) == data["grand_totals"]["lost"] == 3
        assert data["stood_alone"] == 1
        assert "单独计为一件的 1 件" in report.to_table().note
