"""行政复议决定书 as a second source: read, parsed, decided and, for a correction, its cause with the body's words.

Real decisions are rarely published as files, so the two fixtures in ``tests/data/reconsideration/`` are
constructed (their names say so) after the structure 行政复议法 (2023) §75 prescribes.
"""

from __future__ import annotations

import io
from pathlib import Path

import pytest

from classify import classify_record
from classify.reconsideration import decide_reconsideration
from core.db import Database
from core.models import Judgment
from core.settings import Settings
from core.taxonomy import DocKind, ReconsiderationOutcome
from ingest.parse import parse_text
from pipeline.process import Pipeline

DATA = Path(__file__).parent / "data" / "reconsideration"


def _text(name: str) -> str:
    return (DATA / f"constructed-{name}.txt").read_text("utf-8")


def test_a_reconsideration_decision_is_parsed_with_its_body_parties_act_and_date() -> None:
    record = parse_text(_text("revoked"))
    assert record.doc_kind == DocKind.reconsideration_decision
    assert record.procedure is None  # not a suit
    assert record.case_no == "临政复决〔2024〕12号"
    assert record.court == "临海市人民政府"  # the reconsideration body
    assert record.judgment_date == "2024-03-01"
    assert (record.plaintiffs, record.defendants) == (["张建国"], ["临海市市场监督管理局"])
    assert record.sued_action is not None and record.sued_action.number == "临市监罚〔2023〕88号"


def test_the_body_named_in_the_title_line_and_a_third_party() -> None:
    record = parse_text(_text("upheld"))
    assert record.court == "三门县人民政府"
    assert record.third_parties == ["王阿三"]
    assert record.judgment_date == "2024-02-20"


@pytest.mark.parametrize(
    ("order", "expected"),
    [
        (
            "撤销被申请人作出的临市监罚〔2023〕88号《行政处罚决定书》，责令被申请人在六十日内重新作出行政行为。",
            "revoked",
        ),
        ("撤销被申请人作出的行政处罚决定书第二项。", "partly_revoked"),
        ("变更被申请人作出的行政处罚决定书中罚款五千元为罚款二千元。", "varied"),
        ("确认被申请人作出的强制拆除行为违法。", "declared_unlawful"),
        ("确认被申请人作出的收回土地决定无效。", "declared_void"),
        ("责令被申请人在三十日内对申请人的政府信息公开申请作出答复。", "ordered_to_act"),
        ("维持被申请人作出的三自然资规罚〔2023〕15号《行政处罚决定书》。", "upheld"),
        ("驳回申请人的行政复议请求。", "request_rejected"),
        ("本案行政复议终止。", "terminated"),
    ],
)
def test_the_decision_is_read_from_the_orders(order: str, expected: str) -> None:
    text = _text("revoked").replace(
        "撤销被申请人作出的临市监罚〔2023〕88号《行政处罚决定书》。\n", order + "\n"
    )
    outcome, line = decide_reconsideration(parse_text(text))
    assert outcome == ReconsiderationOutcome(expected)
    assert line == order


def test_a_correction_gets_its_cause_with_the_bodys_own_sentence() -> None:
    record = parse_text(_text("revoked"))
    result = classify_record(record, None)
    assert result.outcome == ReconsiderationOutcome.revoked
    assert [t.cause.value for t in result.loss_causes] == ["procedure"]
    quote = result.loss_causes[0].evidence[0]
    assert record.text[quote.start : quote.end] == quote.text
    assert "未告知申请人" in quote.text and not quote.text.startswith("根据")


def test_an_upheld_act_has_no_cause() -> None:
    result = classify_record(parse_text(_text("upheld")), None)
    assert result.outcome == ReconsiderationOutcome.upheld
    assert result.loss_causes == []


def test_a_docx_decision_is_stored_as_a_reconsideration_decision(db: Database, settings: Settings) -> None:
    """GIVEN a 行政复议决定书 saved from a word processor WHEN it is ingested THEN it is stored (not rejected
    as not_judgment) with its decision and cause, and it is not a court case."""
    from docx import Document as Docx

    doc = Docx()
    for line in _text("revoked").splitlines():
        doc.add_paragraph(line)
    buf = io.BytesIO()
    doc.save(buf)
    result = Pipeline(db, settings, index=False).ingest_bytes(buf.getvalue(), "临政复决〔2024〕12号.docx")
    assert result.status.value == "stored", result.reason
    with db.session() as s:
        judgment = s.get(Judgment, result.judgment_id)
        assert judgment is not None
        assert judgment.doc_kind == "reconsideration_decision"
        assert judgment.outcome == "revoked"
        assert judgment.loss_causes == ["procedure"]
        assert judgment.procedure is None


def test_reconsideration_decisions_are_found_with_the_document_kind_filter(
    db: Database, settings: Settings
) -> None:
    from search import open_backend

    pipeline = Pipeline(db, settings)
    decision = pipeline.ingest_bytes(_text("revoked").encode("utf-8"), "临政复决〔2024〕12号.txt")
    judgment = pipeline.ingest_path(Path(__file__).parent.parent / "samples" / "text" / "sea-001.pdf")
    assert decision.status.value == judgment.status.value == "stored"
    backend = open_backend(settings)
    found = {h.id for h in backend.search("文书:行政复议决定书", size=10).hits}
    assert found == {decision.judgment_id}
    assert judgment.judgment_id not in {h.id for h in backend.search("文书:复议 处罚", size=10).hits}
