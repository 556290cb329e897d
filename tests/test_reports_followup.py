"""Working-day deadlines on China's working days (holidays and 调休 workdays), ledger import, the overdue list."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from supervision.ledger import import_ledger_rows, parse_outcome
from supervision.workdays import CalendarError, WorkCalendar

D = dt.date


def test_due_dates_skip_the_national_day_holiday_and_count_the_adjusted_sunday() -> None:
    """GIVEN papers received Friday 2024-09-27 WHEN 3 working days are added THEN Sunday 09-29 (调休 workday)
    and Monday 09-30 count, 10-01..10-07 do not: due Tuesday 10-08."""
    cal = WorkCalendar.load()
    assert cal.add_workdays(D(2024, 9, 27), 3) == D(2024, 10, 8)
    assert cal.add_workdays(D(2024, 9, 30), 5) == D(2024, 10, 12)  # Saturday 10-12 is an adjusted workday
    assert cal.workdays_between(D(2024, 10, 12), D(2024, 10, 14)) == 1


def test_operator_file_for_a_later_year(tmp_path: Path) -> None:
    bare = WorkCalendar.load()
    assert bare.add_workdays(D(2026, 12, 31), 3) == D(2027, 1, 5)
    assert 2027 in bare.unknown_years
    f = tmp_path / "holidays.csv"
    f.write_text("date,kind,name\n2027-01-01,休,元旦\n", encoding="utf-8")
    cal = WorkCalendar.load([f])
    assert cal.add_workdays(D(2026, 12, 31), 3) == D(2027, 1, 6)
    bad = tmp_path / "bad.csv"
    bad.write_text("2027-01-01,maybe\n", encoding="utf-8")
    with pytest.raises(CalendarError):
        WorkCalendar.load([bad])


def test_ledger_rows_match_judgments_by_normalised_case_number(db) -> None:
    from core.models import Judgment
    from reports.cases import load_cases

    with db.session() as s:
        s.add(
            Judgment(
                case_no="（2024）甲0101行初1号",
                doc_kind="judgment",
                procedure="first",
                outcome="agency_won",
                judgment_date=D(2024, 5, 1),
                loss_causes=[],
                defendants=["甲县人民政府"],
                plaintiffs=[],
                record={"text": ""},
            )
        )
        s.flush()
        r = import_ledger_rows(
            s,
            [
                {
                    "案号": "(2024)甲0101行初1号",
                    "单位": "甲县人民政府",
                    "收案日期": "2024/1/5",
                    "结果": "胜诉",
                },
                {
                    "案号": "（2024）甲0101行初2号",
                    "单位": "甲县人民政府",
                    "收案日期": "2024年2月6日",
                    "结果": "",
                },
            ],
        )
        cases = load_cases(s)
    assert r == {"read": 2, "matched_judgments": 1, "matched_agencies": 0}
    assert len(cases) == 2  # the judgment, and the ledger case still waiting for its judgment
    pending = next(c for c in cases if not c.judgment_ids)
    # 发案 by the ledger's 收案日期; a pending suit has no decision date (issue 16)
    assert pending.outcome is None and pending.filed == D(2024, 2, 6) and pending.date is None


@pytest.mark.parametrize(
    ("text", "code"),
    [
        ("败诉", "agency_lost"),
        ("驳回起诉", "dismissed"),
        ("驳回诉讼请求", "agency_won"),
        ("原告撤诉", "withdrawn"),
        ("", None),
    ],
)
def test_ledger_outcome_words(text: str, code: str | None) -> None:
    assert parse_outcome(text) == code
