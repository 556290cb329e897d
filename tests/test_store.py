"""Reviewer corrections, look-ups and the denormalised tags, on SQLite and PostgreSQL."""

from __future__ import annotations

import pytest

from core.db import Database
from core.models import Judgment
from core.store import (
    InvalidCorrection,
    JudgmentNotFound,
    add_correction,
    effective_classification,
    find_judgment,
    refresh_judgment,
)

MACHINE = {
    "outcome": "agency_lost",
    "ruling_forms": ["撤销"],
    "loss_causes": [
        {
            "cause": "procedure",
            "evidence": [
                {
                    "text": "被告在作出处罚决定前未告知原告陈述、申辩的权利，违反法定程序。",
                    "start": 10,
                    "end": 40,
                }
            ],
            "strength": 0.9,
            "probability": None,
            "source": "rule",
            "rules": ["no_notice_of_defence"],
        }
    ],
    "action_type": "penalty",
    "field": "public_security",
}


def _judgment(s) -> Judgment:  # type: ignore[no-untyped-def]
    j = Judgment(
        case_no="（2019）豫0721行初15号",
        doc_kind="judgment",
        record={
            "text": "…",
            "defendants": ["某县公安局"],
            "plaintiffs": ["张某"],
            "agency_head_appeared": None,
        },
        classification=MACHINE,
        loss_causes=[],
        defendants=[],
        plaintiffs=[],
    )
    s.add(j)
    s.flush()
    refresh_judgment(j)
    return j


def test_machine_tags_are_denormalised(any_db: Database) -> None:
    with any_db.session() as s:
        j = _judgment(s)
        assert (j.outcome, j.loss_causes, j.action_type, j.field) == (
            "agency_lost",
            ["procedure"],
            "penalty",
            "public_security",
        )
        assert j.defendants == ["某县公安局"]


def test_reviewer_correction_wins_and_keeps_who_and_why(any_db: Database) -> None:
    """GIVEN a machine-tagged loss WHEN a reviewer adds a cause in Chinese and changes the field
    THEN the effective tags are the reviewer's, the kept cause keeps its evidence, and who/why are stored."""
    with any_db.session() as s:
        j = _judgment(s)
        add_correction(
            s,
            j.id,
            "loss_causes",
            ["procedure", "适用法律错误"],
            user="李科长",
            reason="判决第三段亦认定适用法律错误",
        )
        add_correction(s, j.id, "field", "市场监管", user="李科长")
        jid = j.id
    with any_db.session() as s:
        j = s.get(Judgment, jid)
        assert j is not None
        assert j.loss_causes == ["procedure", "law_application"]
        assert j.field == "market_regulation"
        tags = effective_classification(j)
        kept = next(t for t in tags["loss_causes"] if t["cause"] == "procedure")
        assert kept["evidence"][0]["text"].startswith("被告在作出处罚决定前")
        assert tags["corrected"]["loss_causes"]["user"] == "李科长"
        assert j.corrections[0].previous == ["procedure"]


def test_outcome_corrected_to_win_clears_causes(any_db: Database) -> None:
    with any_db.session() as s:
        j = _judgment(s)
        add_correction(s, j.id, "outcome", "胜诉", user="王某", reason="二审已改判")
        assert j.outcome == "agency_won"
        assert j.loss_causes == []


@pytest.mark.parametrize(
    ("field", "value"),
    [("outcome", "大获全胜"), ("loss_causes", ["不知道"]), ("loss_causes", "procedure"), ("secret", 1)],
)
def test_invalid_corrections_are_refused_with_a_message(db: Database, field: str, value: object) -> None:
    with db.session() as s:
        j = _judgment(s)
        with pytest.raises(InvalidCorrection) as exc:
            add_correction(s, j.id, field, value, user="x")
        assert exc.value.args[0]


def test_find_by_case_number_in_any_bracket_style_or_id(db: Database) -> None:
    with db.session() as s:
        j = _judgment(s)
        assert find_judgment(s, "(2019)豫 0721 行初 15 号").id == j.id
        assert find_judgment(s, str(j.id)).id == j.id
        with pytest.raises(JudgmentNotFound):
            find_judgment(s, "（2020）京01行终1号")


def test_reviewer_names_the_sentence_that_proves_a_cause(any_db: Database) -> None:
    """GIVEN a loss WHEN a reviewer names a verbatim sentence for a cause THEN it is that cause's first
    evidence (with its offsets), and a sentence not in the judgment is refused in Chinese."""
    with any_db.session() as s:
        j = _judgment(s)
        j.record = {**j.record, "text": "本院认为，被告未告知原告听证权利。判决如下："}
        add_correction(
            s,
            j.id,
            "cause_evidence",
            {"cause": "违反法定程序", "text": "被告未告知原告听证权利。"},
            user="李科长",
        )
        tag = effective_classification(j)["loss_causes"][0]
        assert tag["evidence"][0] == {"text": "被告未告知原告听证权利。", "start": 5, "end": 17}
        assert MACHINE["loss_causes"][0]["evidence"][0]["start"] == 10  # the machine's tags are untouched
        with pytest.raises(InvalidCorrection) as exc:
            add_correction(
                s, j.id, "cause_evidence", {"cause": "procedure", "text": "判决书里没有这句"}, user="x"
            )
        assert "找不到" in exc.value.args[0]
