"""The register of suits: registration with its 3-working-day due date, co-defendants, judgments attaching to
their suit (an appeal to its first instance), the 5-day loss report, go-live, proposals, the late list."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest

from core.models import Judgment
from supervision.obligations import list_suits, obligations, overdue
from supervision.suits import (
    GoLive,
    SuitError,
    confirm_proposal,
    file_loss_report,
    judgment_suit_key,
    judgments_of,
    on_judgment_stored,
    proposals,
    register_suit,
    suit_key,
)
from supervision.workdays import WorkCalendar

D = dt.date
COURT = "甲县人民法院"
TOWN = "甲县城关镇人民政府"
BUREAU = "甲县自然资源局"


def _judgment(s: Any, **kw: Any) -> Judgment:
    values: dict[str, Any] = {
        "doc_kind": "judgment",
        "procedure": "first",
        "court": COURT,
        "outcome": "agency_lost",
        "judgment_date": D(2024, 11, 1),
        "loss_causes": ["procedure"],
        "defendants": [TOWN],
        "plaintiffs": ["王某"],
        "record": {"text": ""},
        "classification": {
            "outcome": "agency_lost",
            "loss_causes": [
                {"cause": "procedure", "evidence": [{"text": "未告知陈述申辩权利", "start": 0, "end": 8}]}
            ],
        },
    }
    values.update(kw)
    j = Judgment(**values)
    s.add(j)
    s.flush()
    return j


def _agencies(s: Any) -> tuple[int, int]:
    from registry.agencies import add_agency

    return add_agency(s, TOWN).id, add_agency(s, BUREAU).id


def test_keys_of_a_first_instance_and_its_appeal_are_the_same(db) -> None:
    with db.session() as s:
        first = _judgment(s, case_no="（2024）甲0101行初5号")
        appeal = _judgment(
            s,
            case_no="（2024）乙01行终9号",
            procedure="appeal",
            court="乙市中级人民法院",
            record={
                "text": "",
                "first_instance": {"court": "甲县人民法院", "case_no": "(2024)甲0101行初5号"},
            },
        )
        assert (
            judgment_suit_key(first)
            == judgment_suit_key(appeal)
            == suit_key(" 甲县人民法院", "(2024)甲0101行初5号")
        )
    assert suit_key(COURT, None) is None


def test_register_shows_the_due_date_and_whether_the_report_was_on_time(db) -> None:
    """GIVEN papers received Friday 2024-09-27 WHEN reported on 10-09 THEN due 10-08 (National Day skipped,
    Sunday 09-29 an adjusted workday) and the report is one working day late."""
    cal = WorkCalendar.load()
    with db.session() as s:
        town, _ = _agencies(s)
        r = register_suit(
            s,
            papers_received="2024-09-27",
            plaintiffs=["王某"],
            court=COURT,
            sued_action="限期拆除决定",
            agency_id=town,
            case_no="(2024)甲0101行初5号",
            reported_on="2024-10-09",
            today=D(2024, 10, 20),
        )
        [row] = list_suits(s, cal, D(2024, 10, 20), GoLive())
    assert not r.joined
    assert row["agencies"][0]["report_due"] == "2024-10-08"
    assert row["agencies"][0]["report_on_time"] is False
    assert [(o["what"], o["state"], o["late_by"]) for o in row["obligations"]] == [
        ("register", "done_late", 1)
    ]


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"papers_received": "2030-01-01"}, "晚于今天"),
        ({"papers_received": "1/2/2024"}, "应写成"),
        ({"reported_on": "2024-09-01"}, "不能早于"),
        ({"plaintiffs": []}, "原告"),
        ({"court": ""}, "法院"),
        ({"agency_id": 999}, "没有编号为 999"),
        ({"action_type": "拆迁"}, "不在分类表中"),
    ],
)
def test_bad_registrations_get_a_chinese_message(db, change: dict[str, Any], message: str) -> None:
    with db.session() as s:
        town, _ = _agencies(s)
        values: dict[str, Any] = {
            "papers_received": "2024-09-27",
            "plaintiffs": ["王某"],
            "court": COURT,
            "sued_action": "限期拆除决定",
            "agency_id": town,
            "today": D(2024, 10, 20),
            **change,
        }
        with pytest.raises(SuitError, match=message):
            register_suit(s, **values)


def test_second_agency_joins_as_co_defendant_and_another_court_is_refused(db) -> None:
    with db.session() as s:
        town, bureau = _agencies(s)
        base: dict[str, Any] = {
            "plaintiffs": ["王某"],
            "sued_action": "强制拆除",
            "case_no": "（2024）甲0101行初5号",
        }
        first = register_suit(s, papers_received="2024-10-09", court=COURT, agency_id=town, **base)
        second = register_suit(
            s, papers_received="2024-10-10", court=" 甲县人民法院", agency_id=bureau, **base
        )
        assert second.joined and second.suit.id == first.suit.id
        assert "共同被告" in second.message
        with pytest.raises(SuitError, match="已登记过此案"):
            register_suit(s, papers_received="2024-10-10", court=COURT, agency_id=bureau, **base)
        with pytest.raises(SuitError, match="法院.*不一致"):
            register_suit(s, papers_received="2024-10-10", court="乙县人民法院", agency_id=bureau, **base)
        obs = obligations(s, WorkCalendar.load(), D(2024, 10, 11), GoLive())
    # each defendant has its own 3-day obligation, from its own receipt date
    assert sorted((o.agency, o.due.isoformat()) for o in obs) == [
        (TOWN, "2024-10-12"),
        (BUREAU, "2024-10-14"),
    ]


def test_a_losing_appeal_attaches_to_its_suit_and_opens_the_5_day_report_for_every_defendant(db) -> None:
    cal = WorkCalendar.load()
    with db.session() as s:
        town, bureau = _agencies(s)
        base: dict[str, Any] = {
            "plaintiffs": ["王某"],
            "sued_action": "强制拆除",
            "case_no": "（2024）甲0101行初5号",
            "court": COURT,
        }
        suit = register_suit(s, papers_received="2024-06-03", agency_id=town, **base).suit
        register_suit(s, papers_received="2024-06-04", agency_id=bureau, **base)
        first = _judgment(
            s, case_no="（2024）甲0101行初5号", outcome="agency_won", judgment_date=D(2024, 9, 2)
        )
        assert on_judgment_stored(s, first.id, go_live=GoLive(), today=D(2024, 9, 10)) is suit
        assert suit.status == "decided" and suit.outcome == "agency_won"
        appeal = _judgment(
            s,
            case_no="（2024）乙01行终9号",
            procedure="appeal",
            court="乙市中级人民法院",
            judgment_date=D(2024, 11, 1),
            record={"text": "", "first_instance": {"court": COURT, "case_no": "(2024)甲0101行初5号"}},
        )
        on_judgment_stored(s, appeal.id, go_live=GoLive(), today=D(2024, 11, 5))
        assert (suit.outcome, suit.judgment_received, suit.judgment_received_estimated) == (
            "agency_lost",
            D(2024, 11, 5),
            True,
        )
        loss = [o for o in obligations(s, cal, D(2024, 11, 6), GoLive()) if o.what == "loss_report"]
        assert sorted((o.agency, o.due.isoformat(), o.days_left) for o in loss) == [
            (TOWN, "2024-11-12", 4),
            (BUREAU, "2024-11-12", 4),
        ]
        with pytest.raises(SuitError, match="整改措施"):
            file_loss_report(s, suit.id, agency_id=town, causes=["procedure"], analysis="", measures=[])
        with pytest.raises(SuitError, match="不在分类表"):
            file_loss_report(
                s, suit.id, agency_id=town, causes=["运气"], analysis="x", measures=[{"text": "a"}]
            )
        file_loss_report(
            s,
            suit.id,
            agency_id=town,
            causes=["违反法定程序"],
            analysis="拆除前未履行催告程序",
            measures=[{"text": "修订强制拆除工作流程", "owner": "法制办", "due": "2024-12-31"}],
            reported_on="2024-11-11",
            today=D(2024, 11, 20),
        )
        late, due_in = overdue(s, cal, D(2024, 11, 20), GoLive(), since=D(2024, 10, 1), until=D(2025, 1, 1))
    assert due_in == 2
    assert [(r["agency"], r["what"], r["reported"], r["late_by"]) for r in late] == [
        (BUREAU, "败诉原因分析及整改报告", None, 6)
    ]


def test_judgments_before_go_live_open_no_obligation(db) -> None:
    with db.session() as s:
        town, _ = _agencies(s)
        suit = register_suit(
            s,
            papers_received="2024-06-03",
            agency_id=town,
            plaintiffs=["王某"],
            court=COURT,
            sued_action="处罚",
            case_no="（2024）甲0101行初5号",
        ).suit
        j = _judgment(s, case_no="（2024）甲0101行初5号", judgment_date=D(2024, 9, 2))
        go_live = GoLive(D(2025, 1, 1))
        on_judgment_stored(s, j.id, go_live=go_live, today=D(2025, 3, 1))
        obs = obligations(s, WorkCalendar.load(), D(2025, 3, 1), go_live)
    assert suit.outcome == "agency_lost"  # shown as history
    assert obs == []


def test_a_suit_without_case_number_is_only_proposed_then_confirmed(db) -> None:
    with db.session() as s:
        town, _ = _agencies(s)
        suit = register_suit(
            s,
            papers_received="2024-06-03",
            agency_id=town,
            plaintiffs=["王某"],
            court=COURT,
            sued_action="处罚",
        ).suit
        j = _judgment(s, case_no="（2024）甲0101行初7号")
        assert on_judgment_stored(s, j.id, go_live=GoLive(), today=D(2024, 11, 5)) is None
        [p] = proposals(s)
        assert (p["suit_id"], p["judgment_id"]) == (suit.id, j.id)
        confirm_proposal(s, suit.id, j.id, go_live=GoLive(), by="admin", today=D(2024, 11, 5))
        assert suit.case_no == "（2024）甲0101行初7号" and suit.status == "decided"
        assert proposals(s) == []


def test_migration_moves_the_old_followups_into_the_register(any_settings) -> None:
    """GIVEN a store at the revision before the register with two follow-ups of one case (two agencies)
    WHEN migrated THEN one suit with two defendants keeps their dates, analysis and rectification."""
    from alembic import command
    from sqlalchemy import text

    from core.db import alembic_config, make_engine

    any_settings.data_dir.mkdir(parents=True, exist_ok=True)
    engine = make_engine(any_settings.resolved_database_url)
    cfg = alembic_config(engine.url.render_as_string(hide_password=False))
    with engine.begin() as conn:
        cfg.attributes["connection"] = conn
        command.upgrade(cfg, "0003b")
        command.upgrade(cfg, "0004")
        conn.execute(text("INSERT INTO agencies (id, name, kind, ours) VALUES (1, '甲', 'government', true)"))
        conn.execute(text("INSERT INTO agencies (id, name, kind, ours) VALUES (2, '乙', 'government', true)"))
        for aid, rect in ((1, "整改甲"), (2, None)):
            conn.execute(
                text(
                    "INSERT INTO followups (case_no, case_no_norm, agency_id, papers_received, papers_reported, "
                    "judgment_received, analysis, rectification, status) VALUES ('(2024)甲0101行初5号', "
                    "'（2024）甲0101行初5号', :a, '2024-09-27', '2024-10-08', '2024-11-01', '分析', :r, 'open')"
                ),
                {"a": aid, "r": rect},
            )
        command.upgrade(cfg, "heads")
        suits = conn.execute(text("SELECT id, case_no_norm, status, judgment_received FROM suits")).all()
        rows = conn.execute(
            text("SELECT agency_id, papers_received, reported_on, analysis FROM suit_agencies ORDER BY id")
        ).all()
        measures = conn.execute(text("SELECT text FROM suit_measures")).scalars().all()
        from sqlalchemy import inspect

        tables = inspect(conn).get_table_names()
    engine.dispose()
    assert [(n, st, str(jr)) for _, n, st, jr in suits] == [
        ("（2024）甲0101行初5号", "pending", "2024-11-01")
    ]
    assert [(a, str(p), str(r), an) for a, p, r, an in rows] == [
        (1, "2024-09-27", "2024-10-08", "分析"),
        (2, "2024-09-27", "2024-10-08", "分析"),
    ]
    assert measures == ["整改甲"]
    assert "followups" not in tables


def test_bulletin_late_section_says_when_there_are_no_records_and_names_late_agencies(
    db, settings, tmp_path
) -> None:
    from docx import Document

    from reports.bulletin import make_bulletin

    def text(path: Any) -> str:
        return "\n".join(p.text for p in Document(str(path)).paragraphs) + "\n".join(
            c.text for t in Document(str(path)).tables for row in t.rows for c in row.cells
        )

    with db.session() as s:
        make_bulletin(s, settings, "2024Q4", tmp_path / "empty.docx", today=D(2025, 1, 10))
        town, _ = _agencies(s)
        register_suit(
            s,
            papers_received="2024-10-09",
            plaintiffs=["王某"],
            court=COURT,
            sued_action="拆除",
            agency_id=town,
            case_no="（2024）甲0101行初5号",
            reported_on="2024-10-16",
            today=D(2024, 10, 16),
        )
        make_bulletin(s, settings, "2024Q4", tmp_path / "late.docx", today=D(2025, 1, 10))
    assert "暂无报备记录" in text(tmp_path / "empty.docx") and "均按期报备" not in text(
        tmp_path / "empty.docx"
    )
    late = text(tmp_path / "late.docx")
    assert TOWN in late and "应诉报备" in late and "2024-10-12" in late


def test_a_judgment_ingested_by_a_worker_attaches_to_its_suit(db, settings) -> None:
    """GIVEN a registered suit WHEN its losing judgment is uploaded by anyone through the ordinary upload
    (a background job) THEN the suit is decided, lost, and the 5-day report is open."""
    from pathlib import Path

    from workers.dispatch import submit_files
    from workers.jobs import batch_status
    from workers.tasks import WorkerContext, run_ingest_job

    pdf = Path(__file__).resolve().parent.parent / "samples" / "text" / "sea-013.pdf"
    with db.session() as s:
        from registry.agencies import add_agency

        aid = add_agency(s, "永兴县公安消防大队").id
        suit_id = register_suit(
            s,
            papers_received="2018-03-01",
            plaintiffs=["黄涓"],
            court="湖南省资兴市人民法院",
            sued_action="消防",
            agency_id=aid,
            case_no="（2018）湘1081行初99号",
            today=D(2018, 3, 2),
        ).suit.id
    batch = submit_files(db, settings, [(pdf.name, pdf.read_bytes())], user="分析员")
    job_id = batch_status(db, batch)["files"][0]["job_id"]
    result = run_ingest_job(WorkerContext(settings, db), job_id)
    assert result is not None and result["status"] == "stored"
    with db.session() as s:
        [row] = list_suits(s, WorkCalendar.load(), D(2018, 6, 1), GoLive())
    assert row["id"] == suit_id and row["outcome"] == "agency_lost" and len(row["judgments"]) == 1
    assert "loss_report" in [o["what"] for o in row["obligations"]]


def test_an_appeal_stored_before_the_suit_was_registered_attaches_on_registration(any_db) -> None:
    """GIVEN an appeal already stored whose record names its first instance WHEN the first instance's suit is
    registered THEN the appeal attaches at once (a JSON path query on SQLite and PostgreSQL)."""
    with any_db.session() as s:
        town, _ = _agencies(s)
        appeal = _judgment(
            s,
            case_no="（2024）乙01行终9号",
            procedure="appeal",
            court="乙市中级人民法院",
            record={"text": "", "first_instance": {"court": COURT, "case_no": "（2024）甲0101行初5号"}},
        )
        _judgment(s, case_no="（2024）甲0101行初6号")  # another suit's
        suit = register_suit(
            s,
            papers_received="2024-06-03",
            agency_id=town,
            plaintiffs=["王某"],
            court=COURT,
            sued_action="处罚",
            case_no="(2024)甲0101行初5号",
            today=D(2024, 11, 5),
        ).suit
        linked = [j.id for j in judgments_of(s, suit)]
    assert linked == [appeal.id] and suit.outcome == "agency_lost"
