"""The 以案促改 loop (issue 17) on constructed rows: meetings per department and year, the departments
without one, a recurrence after a second loss on the same cause, 《工作提醒函》, the annual disclosure
(DOCX/XLSX) and the quarterly accountability circular; the CLI answers `letter --help` and `disclosure --help`."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from docx import Document
from openpyxl import load_workbook
from typer.testing import CliRunner

from core.models import Judgment, Suit, SuitAgency
from registry.agencies import add_agency
from reports.loop_docs import disclosure_table, make_accountability_circular, make_disclosure, make_letter
from supervision import meetings
from supervision.workdays import WorkCalendar


def _lost_suit(s, agency_id: int, case_no: str, decided: dt.date, causes: list[str], action: str) -> Suit:  # type: ignore[no-untyped-def]
    suit = Suit(
        key=f"某县人民法院|{case_no}",
        court="某县人民法院",
        case_no=case_no,
        plaintiffs=["某公司"],
        sued_action="行政处罚",
        action_type=action,
        status="decided",
        outcome="agency_lost",
        decided_on=decided,
        judgment_received=decided,
        history=[],
    )
    s.add(suit)
    s.flush()
    s.add(
        SuitAgency(
            suit_id=suit.id,
            agency_id=agency_id,
            papers_received=decided - dt.timedelta(days=90),
            causes=causes,
        )
    )
    s.flush()
    return suit


@pytest.fixture
def county(any_db):  # type: ignore[no-untyped-def]
    with any_db.session() as s:
        a = add_agency(s, "某县市场监督管理局")
        b = add_agency(s, "某县自然资源局")
        first = _lost_suit(s, a.id, "（2024）某0101行初1号", dt.date(2024, 3, 1), ["procedure"], "penalty")
        _lost_suit(
            s, b.id, "（2024）某0101行初2号", dt.date(2024, 4, 1), ["insufficient_evidence"], "coercion"
        )
        second = _lost_suit(s, a.id, "（2024）某0101行初3号", dt.date(2024, 9, 1), ["procedure"], "licensing")
        s.add(
            Judgment(
                case_no="某复〔2024〕5号",
                doc_kind="reconsideration",
                outcome="revoked",
                judgment_date=dt.date(2024, 6, 1),
                defendants=["某县自然资源局"],
                plaintiffs=["张某"],
                record={},
            )
        )
        ids = {"a": a.id, "b": b.id, "first": first.id, "second": second.id}
    return any_db, ids


def test_meetings_missing_and_recurrence(county) -> None:  # type: ignore[no-untyped-def]
    db, ids = county
    with db.session() as s:
        with pytest.raises(meetings.MeetingError, match="使用的案例"):
            meetings.record_meeting(s, ids["a"], "2024-10-10")
        with pytest.raises(meetings.MeetingError, match="不是有效日期"):
            meetings.record_meeting(s, ids["a"], "2024/13/40", cases_used=["x"])
        meetings.record_meeting(
            s,
            ids["a"],
            "2024-10-10",
            cases_used=["（2024）某0101行初1号"],
            judge_invited="某县人民法院 周法官",
            participants="局长、各科室负责人",
            measures="处罚前告知一律经法制审核",
            user="a-staff",
        )
        assert [m["agency"] for m in meetings.meetings(s, 2024)] == ["某县市场监督管理局"]
        assert [r["agency"] for r in meetings.missing(s, 2024)] == ["某县自然资源局"]
        assert {r["agency"] for r in meetings.missing(s, 2024, dt.date(2024, 10, 1))} == {
            "某县市场监督管理局",
            "某县自然资源局",
        }
        back = meetings.recurrences(s)
    assert [(r["suit_id"], r["earlier_suit_id"]) for r in back] == [(ids["second"], ids["first"])]
    assert back[0]["same"] == ["违反法定程序"] and back[0]["agency"] == "某县市场监督管理局"


def test_letter_disclosure_and_circular(county, any_settings, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    db, ids = county
    cal = WorkCalendar.load([])
    with db.session() as s:
        meetings.record_accountability(
            s, ids["a"], "（2024）某0101行初1号", "未告知陈述申辩权利", "通报批评", "2024-05-10"
        )
        r = make_letter(
            s, any_settings, ids["a"], tmp_path / "letter.docx", cal=cal, today=dt.date(2024, 11, 1)
        )
        table = disclosure_table(s, 2024)
        make_disclosure(s, any_settings, 2024, tmp_path / "d.xlsx")
        make_disclosure(s, any_settings, 2024, tmp_path / "d.docx")
        n = make_accountability_circular(s, any_settings, "2024Q2", tmp_path / "c.docx")
        with pytest.raises(Exception, match="季度"):
            make_accountability_circular(s, any_settings, "2024Q5", tmp_path / "x.docx")
    letter = "\n".join(p.text for p in Document(str(tmp_path / "letter.docx")).paragraphs)
    assert "工作提醒函" in letter and "某县市场监督管理局：" in letter
    assert "同类问题反弹" in letter and "尚未开展以案促改" in letter and "办理要求" in letter
    rows = {row[0]: row for row in table.rows}
    assert rows["某县市场监督管理局"][1:] == [1, 2, 2, "100.0%", 0, 1]  # one suit received in 2023
    assert rows["某县自然资源局"][1:] == [1, 1, 1, "100.0%", 1, 0]
    ws = load_workbook(tmp_path / "d.xlsx").active
    assert ws.cell(row=2, column=6).value == "复议纠错数"
    assert "张某" not in "\n".join(p.text for p in Document(str(tmp_path / "d.docx")).paragraphs)
    assert n == 1 and r.agency == "某县市场监督管理局" and r.items >= 3
    circular = Document(str(tmp_path / "c.docx"))
    assert "未告知陈述申辩权利" in "".join(
        c.text for t in circular.tables for row in t.rows for c in row.cells
    )


def test_cli_help_and_errors_in_chinese(monkeypatch, tmp_path: Path) -> None:
    from cli import context
    from cli.main import app

    monkeypatch.setenv("ANJIAN_DATA_DIR", str(tmp_path / "cli"))
    monkeypatch.delenv("ANJIAN_DATABASE_URL", raising=False)
    context.settings.cache_clear()
    context.database.cache_clear()
    try:
        runner = CliRunner()
        assert "工作提醒函" in runner.invoke(app, ["letter", "--help"]).output
        assert "复议纠错数" in runner.invoke(app, ["disclosure", "--help"]).output
        r = runner.invoke(app, ["letter", "99", "-o", str(tmp_path / "l.docx")])
        assert r.exit_code == 1 and "没有编号为 99 的单位" in r.output
        r = runner.invoke(app, ["meetings", "add", "--agency", "1", "--date", "2024-01-02", "--case", "x"])
        assert r.exit_code == 1 and "单位名录中没有" in r.output
        assert "Traceback" not in r.output
    finally:
        context.database().dispose()
        context.settings.cache_clear()
        context.database.cache_clear()
