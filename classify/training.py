"""Labelled judgments → training examples (and reviewer corrections → better labels)."""

from __future__ import annotations

from classify.features import meta_text, reasoning_text
from classify.model import TrainingExample
from classify.outcome import decide_outcome
from ingest.record import JudgmentRecord

LABEL_FIELDS = ("outcome", "loss_causes", "action_type", "field", "ruling_forms")


def example_from_record(id: str, record: JudgmentRecord, label: dict) -> TrainingExample:
    decision = decide_outcome(record)
    return TrainingExample(
        id=id,
        reasoning=reasoning_text(record, decision),
        meta=meta_text(record),
        outcome=str(label.get("outcome") or decision.outcome.value),
        loss_causes=tuple(sorted(label.get("loss_causes") or ())),
        action_type=label.get("action_type"),
        field=label.get("field"),
    )


def corrected_label(label: dict, corrections: list[dict]) -> dict:
    """The label with reviewers' corrections applied in order (the latest wins)."""
    out = dict(label)
    for corr in corrections:
        field, value = corr.get("field"), corr.get("value")
        if field not in LABEL_FIELDS:
            continue
        if field == "loss_causes":
            value = [v.get("cause") if isinstance(v, dict) else v for v in (value or [])]
        out[field] = value
    if out.get("outcome") != "agency_lost":
        out["loss_causes"] = []
    return out
