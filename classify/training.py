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
        evidence=label_evidence(label),
    )


def label_evidence(label: dict) -> tuple[tuple[str, str], ...]:
    """(cause, sentence) pairs: the corpus's ``cause_evidence`` and the sentences a reviewer named
    for the causes it kept or added (``loss_causes`` as {"cause", "evidence"} items)."""
    if label.get("outcome") != "agency_lost":
        return ()
    causes = set(label.get("loss_causes") or [])
    out: set[tuple[str, str]] = set()
    for cause, quote in (label.get("cause_evidence") or {}).items():
        for q in quote if isinstance(quote, list) else [quote]:
            if cause in causes and isinstance(q, str) and q.strip():
                out.add((cause, q.strip()))
    for item in label.get("_reviewed_evidence") or []:
        cause, text = item
        if cause in causes and text.strip():
            out.add((cause, text.strip()))
    return tuple(sorted(out))


def corrected_label(label: dict, corrections: list[dict]) -> dict:
    """The label with reviewers' corrections applied in order (the latest wins)."""
    out = dict(label)
    for corr in corrections:
        field, value = corr.get("field"), corr.get("value")
        if field == "cause_evidence" and isinstance(value, dict):
            out.setdefault("_reviewed_evidence", [])
            out["_reviewed_evidence"] = [
                *out["_reviewed_evidence"],
                (value.get("cause"), value.get("text", "")),
            ]
            continue
        if field not in LABEL_FIELDS:
            continue
        if field == "loss_causes":
            # a cause the reviewer names with its sentence teaches the sentence classifier
            out["_reviewed_evidence"] = [*out.get("_reviewed_evidence", [])] + [
                (v.get("cause"), e.get("text", "") if isinstance(e, dict) else str(e))
                for v in (value or [])
                if isinstance(v, dict)
                for e in v.get("evidence") or []
            ]
            value = [v.get("cause") if isinstance(v, dict) else v for v in (value or [])]
        out[field] = value
    if out.get("outcome") != "agency_lost":
        out["loss_causes"] = []
    return out
