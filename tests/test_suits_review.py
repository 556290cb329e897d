"""Pending-suit review (risk level from a rule given as a setting, with its reason in words), the court's
list reconciled with the register, and decided judgments nobody reported (未报备)."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest

from core.models import Judgment
from registry.agencies import add_agency
from supervision.reconcile import reconcile, register_missing, register_rows, unreported_judgments
from supervision.review import RiskRule, review
from supervision.suits import GoLive, SuitError, add_discussion, register_suit
from supervision.workdays import WorkCalendar

D = dt.date
COURT = "甲县人民法院"
TOWN = "甲县城关镇人民政府"
RULE = '{"high": {"agency_losses": 2, "county_loss_rate": 0.6}, "medium": {"agency_losses": 1, "county_loss_rate": 0.4}, "min_county_cases": 3}'


def _j(s: Any, n: int, outcome: str, defendant: str, **kw: Any) -> Judgment:
    j = Judgment(
        case_no=f"（2023）甲0101行初{n}号",
        doc_kind="judgment",
        procedure="first",
        court=COURT,
        outcome=outcome,
        judgment_date=D(2023, 6, n),
        action_type="coercion",
        field="urban_management",
        loss_causes=["procedure"] if outcome == "agency_lost" else [],
        defendants=[defendant],
        plaintiffs=["某"],
        record={"text": ""},
        **kw,
    )
    s.add(j)
    s.flush()
    return j


def _suit(s: Any, agency_id: int, case_no: str | None = "（2024）甲0101行初5号") -> Any:
    return register_suit(
        s,
        papers_received="2024-10-09",
        plaintiffs=["王某"],
        court=COURT,
        sued_action="强制拆除",
        agency_id=agency_id,
        case_no=case_no,
        action_type="行政强制",
        field="urban_management",
        today=D(2024, 10, 9),
    ).suit


def test_risk_level_and_reason_follow_the_rule_setting(db) -> None:
    """GIVEN the town lost 1 earlier coercion case and the county 2 of 4 WHEN reviewed with the rule above THEN
    medium (agency ≥1 loss); with a stricter rule low, with the reason in words either way."""
    cal = WorkCalendar.load()
    with db.session() as s:
        town = add_agency(s, TOWN).id
        _j(s, 1, "agency_lost", TOWN)
        _j(s, 2, "agency_lost", "甲县住房和城乡建设局")
        _j(s, 3, "agency_won", TOWN)
        _j(s, 4, "agency_won", "甲县住房和城乡建设局")
        suit = _suit(s, town)
        add_discussion(
            s, suit.id, agency_id=town, held_on="2024-10-15", participants="法制员、律师", decision="纠正"
        )
        with pytest.raises(SuitError, match="研判结论"):
            add_discussion(s, suit.id, agency_id=town, held_on="2024-10-15", participants="", decision="拖延")
        [row] = review(s, cal, D(2024, 10, 21), RiskRule.parse(RULE))
        strict = RiskRule.parse(
            RULE.replace('"agency_losses": 1', '"agency_losses": 5').replace("0.4", "0.9")
        )
        [low] = review(s, cal, D(2024, 10, 21), strict)
    assert (row["risk"], row["agency_losses"], row["county_losses"], row["county_decided"]) == (
        "medium",
        1,
        2,
        4,
    )
    assert "本单位同类案件已败诉 1 件" in row["reason"] and "50%" in row["reason"]
    assert row["workdays_since_receipt"] == 9  # 10-10 .. 10-21, with the adjusted Saturday 10-12
    assert [c["case_no"] for c in row["similar"]][:2] == ["（2023）甲0101行初2号", "（2023）甲0101行初1号"]
    assert row["similar"][1]["causes"] == ["违反法定程序"]
    assert row["discussions"][0]["decision_zh"] == "纠正"
    assert low["risk"] == "low" and "未达到中、高风险标准" in low["reason"]
    with pytest.raises(SuitError, match="ANJIAN_RISK_RULE"):
        RiskRule.parse("high=2")


def test_court_list_reconciled_and_unreported_judgments(db) -> None:
    with db.session() as s:
        town = add_agency(s, TOWN).id
        _suit(s, town)  # reported, and in the court's list, decided there, judgment not received
        _suit(s, town, "（2024）甲0101行初6号")  # reported, not in the court's list
        court_rows = [
            {
                "案号": "(2024)甲0101行初5号",
                "法院": COURT,
                "被告": TOWN,
                "结案日期": "2024-12-01",
                "结果": "败诉",
            },
            {"案号": "（2024）甲0101行初8号", "法院": COURT, "被告": TOWN, "立案日期": "2024/11/2"},
        ]
        lists = reconcile(s, court_rows)
        export = register_rows(s)
        assert register_missing(s, lists["never_reported"], by="test") == 1
        from supervision.obligations import overdue

        late_rows, _ = overdue(s, WorkCalendar.load(), D(2025, 1, 10), GoLive())
        late = _j(s, 7, "agency_lost", TOWN)
        old = _j(s, 8, "agency_won", TOWN)
        old.judgment_date = D(2020, 1, 1)
        unreported = unreported_judgments(s, GoLive(D(2023, 1, 1)))
    assert [r["case_no"] for r in lists["never_reported"]] == ["（2024）甲0101行初8号"]
    assert lists["never_reported"][0]["agency"] == TOWN
    assert [r["case_no"] for r in lists["not_in_court_list"]] == ["（2024）甲0101行初6号"]
    assert [r["case_no"] for r in lists["judgment_not_received"]] == ["(2024)甲0101行初5号"]
    assert export[0][:3] == ["（2024）甲0101行初5号", COURT, TOWN]
    assert [u["judgment_id"] for u in unreported] == [late.id]
    # the back-filled suit is late from the court's filing date (11-02 → due 11-06), never reported
    assert [(r["case_no"], r["due"], r["reported"]) for r in late_rows if r["case_no"].endswith("8号")] == [
        ("（2024）甲0101行初8号", "2024-11-06", None)
    ]
