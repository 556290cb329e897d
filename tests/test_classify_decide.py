"""The decision: every cause carries verbatim evidence; reviewers' corrections win; training uses them."""

from __future__ import annotations

import pytest

from classify import Thresholds, apply_corrections, classify_record, load_model
from classify.corpus import parse
from classify.training import corrected_label
from classify.types import TagSource
from core.taxonomy import LossCause, Outcome


@pytest.fixture(scope="module")
def shipped():  # type: ignore[no-untyped-def]
    return load_model()


def lost_ids(corpus_labels: dict[str, dict]) -> list[str]:
    return sorted(i for i, lb in corpus_labels.items() if lb["outcome"] == "agency_lost")


def test_every_cause_is_quoted_verbatim_from_the_text(shipped, corpus_labels, corpus_judgments) -> None:  # type: ignore[no-untyped-def]
    for i in lost_ids(corpus_labels):
        record = parse(corpus_judgments[i]["document_text"])
        c = classify_record(record, shipped)
        for tag in c.loss_causes:
            assert tag.evidence, f"{i}: {tag.cause} without evidence"
            for e in tag.evidence:
                assert record.text[e.start : e.end] == e.text


def test_no_causes_unless_the_agency_lost(shipped, corpus_labels, corpus_judgments) -> None:  # type: ignore[no-untyped-def]
    for i, lb in corpus_labels.items():
        if lb["outcome"] == "agency_won":
            c = classify_record(parse(corpus_judgments[i]["document_text"]), shipped)
            if c.outcome != Outcome.agency_lost:
                assert c.loss_causes == []


def test_rules_alone_work_without_a_model(corpus_labels, corpus_judgments) -> None:  # type: ignore[no-untyped-def]
    i = lost_ids(corpus_labels)[0]
    c = classify_record(parse(corpus_judgments[i]["document_text"]), None)
    assert c.outcome == Outcome.agency_lost and c.loss_causes
    assert all(t.source == TagSource.rule for t in c.loss_causes)


def test_a_high_rule_threshold_leaves_only_model_tags_with_evidence(
    shipped, corpus_labels, corpus_judgments
) -> None:  # type: ignore[no-untyped-def]
    th = Thresholds(cause_threshold=0.0, rule_min_strength=1.1)  # no rule stands alone; the model tags all
    i = lost_ids(corpus_labels)[0]
    c = classify_record(parse(corpus_judgments[i]["document_text"]), shipped, th)
    assert c.loss_causes and all(t.source == TagSource.model and t.evidence for t in c.loss_causes)


def test_reviewer_corrections_win(shipped, corpus_labels, corpus_judgments) -> None:  # type: ignore[no-untyped-def]
    i = lost_ids(corpus_labels)[0]
    machine = classify_record(parse(corpus_judgments[i]["document_text"]), shipped)
    kept = machine.loss_causes[0].cause
    fixed = apply_corrections(
        machine,
        [
            {"field": "loss_causes", "value": [kept.value, "超越职权"]},
            {"field": "action_type", "value": "行政登记"},
            {"field": "field", "value": "civil_affairs"},
        ],
    )
    assert [t.cause for t in fixed.loss_causes] == [kept, LossCause.ultra_vires]
    assert all(t.source == TagSource.reviewer for t in fixed.loss_causes)
    assert fixed.loss_causes[0].evidence == machine.loss_causes[0].evidence  # a kept cause keeps its quote
    assert fixed.action_type.value == "registration" and fixed.field.value == "civil_affairs"
    assert machine.loss_causes[0].source != TagSource.reviewer  # the machine's result is not modified

    won = apply_corrections(machine, [{"field": "outcome", "value": "agency_won"}])
    assert won.outcome == Outcome.agency_won and won.loss_causes == []


def test_training_labels_take_the_latest_correction() -> None:
    label = {
        "outcome": "agency_lost",
        "loss_causes": ["procedure"],
        "action_type": "penalty",
        "field": "transport",
    }
    fixed = corrected_label(
        label,
        [
            {"field": "loss_causes", "value": ["insufficient_evidence"]},
            {"field": "field", "value": "public_security"},
            {"field": "field", "value": "urban_management"},
        ],
    )
    assert fixed["loss_causes"] == ["insufficient_evidence"] and fixed["field"] == "urban_management"
    assert corrected_label(label, [{"field": "outcome", "value": "withdrawn"}])["loss_causes"] == []
