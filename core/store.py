"""Use cases on stored judgments: look up, correct, export. Reviewer corrections always win.

The effective tags of a judgment are the machine's classification with the reviewer's corrections applied
in order; they are denormalised onto the judgment row (outcome, causes, action type, field) so that
statistics, filters and the index need no JSON queries.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from enum import StrEnum
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from core.models import Correction, Judgment
from core.taxonomy import (
    RECONSIDERATION_CORRECTIONS,
    ActionType,
    Field,
    LossCause,
    Outcome,
    ReconsiderationOutcome,
)

# outcomes whose loss causes count: a court loss and a 复议纠错
LOSS_OUTCOMES = {Outcome.agency_lost.value} | {o.value for o in RECONSIDERATION_CORRECTIONS}

CORRECTABLE_FIELDS = {
    "outcome": Outcome,
    "loss_causes": LossCause,
    "action_type": ActionType,
    "field": Field,
    "ruling_forms": None,
    "defendants": None,
    "plaintiffs": None,
    "agency_head_appeared": None,
    # {"cause", "text", "start", "end"}: the sentence that proves a cause (teaches the sentence classifier)
    "cause_evidence": LossCause,
}


class StoreError(Exception):
    """A use case could not be carried out; the message is for the user (Chinese)."""


class JudgmentNotFound(StoreError):
    pass


class InvalidCorrection(StoreError):
    pass


def effective_classification(judgment: Judgment) -> dict[str, Any]:
    """The machine's classification (JSON) with every reviewer correction applied, in order.

    A corrected loss-cause list replaces the machine's; causes the reviewer kept keep their evidence.
    """
    machine: dict[str, Any] = dict(judgment.classification or {})
    machine.setdefault("loss_causes", [])
    corrected_fields: dict[str, dict[str, Any]] = {}
    for c in judgment.corrections:
        if c.field == "loss_causes":
            by_cause = {t["cause"]: t for t in machine.get("loss_causes", [])}
            machine["loss_causes"] = [
                {**by_cause[code], "source": "reviewer"}
                if code in by_cause
                else {
                    "cause": code,
                    "evidence": [],
                    "strength": 1.0,
                    "probability": None,
                    "source": "reviewer",
                    "rules": [],
                }
                for code in c.value
            ]
        elif c.field in ("outcome", "action_type", "field", "ruling_forms"):
            machine[c.field] = c.value
        elif c.field == "cause_evidence":
            named = {k: c.value[k] for k in ("text", "start", "end")}
            machine["loss_causes"] = [
                {
                    **tag,
                    "evidence": [
                        named,
                        *[e for e in tag.get("evidence", []) if e.get("start") != named["start"]],
                    ],
                    "source": "reviewer",
                }
                if tag.get("cause") == c.value["cause"]
                else tag
                for tag in machine.get("loss_causes", [])
            ]
        corrected_fields[c.field] = {
            "user": c.user,
            "reason": c.reason,
            "at": c.created_at.isoformat() if c.created_at else None,
        }
    machine["corrected"] = corrected_fields
    return machine


def refresh_judgment(judgment: Judgment) -> None:
    """Recompute the denormalised columns from the record, the classification and the corrections."""
    tags = effective_classification(judgment)
    judgment.outcome = tags.get("outcome")
    judgment.action_type = tags.get("action_type")
    judgment.field = tags.get("field")
    judgment.loss_causes = (
        [t["cause"] for t in tags.get("loss_causes", [])] if judgment.outcome in LOSS_OUTCOMES else []
    )
    record = judgment.record or {}
    judgment.defendants = list(record.get("defendants", []))
    judgment.plaintiffs = list(record.get("plaintiffs", []))
    judgment.agency_head_appeared = record.get("agency_head_appeared")
    for c in judgment.corrections:
        if c.field in ("defendants", "plaintiffs"):
            setattr(judgment, c.field, list(c.value))
        elif c.field == "agency_head_appeared":
            judgment.agency_head_appeared = c.value


def _validate_correction(field: str, value: Any, text: str = "") -> Any:
    if field not in CORRECTABLE_FIELDS:
        raise InvalidCorrection(f"不能更正字段“{field}”；可更正：{'、'.join(CORRECTABLE_FIELDS)}")
    enum = CORRECTABLE_FIELDS[field]
    if field == "cause_evidence":
        return _validate_cause_evidence(value, text)
    if field == "agency_head_appeared":
        if value is not None and not isinstance(value, bool):
            raise InvalidCorrection("负责人出庭应为 true、false 或 null")
        return value
    if field in ("loss_causes", "ruling_forms", "defendants", "plaintiffs"):
        if not isinstance(value, list) or not all(isinstance(v, str) and v.strip() for v in value):
            raise InvalidCorrection(f"“{field}”应为文字列表")
        if enum is None:
            return [v.strip() for v in value]
        parsed = [enum.parse(v) for v in value]
        bad = [v for v, p in zip(value, parsed, strict=True) if p is None]
        if bad:
            raise InvalidCorrection(f"未知的败诉原因：{'、'.join(bad)}")
        return list(dict.fromkeys(p.value for p in parsed if p is not None))
    member: StrEnum | None = enum.parse(str(value)) if enum is not None else None
    if member is None and field == "outcome":  # a 行政复议决定书's decision
        member = ReconsiderationOutcome.parse(str(value))
    if member is None:
        raise InvalidCorrection(f"“{value}”不是有效的取值")
    return member.value


def _validate_cause_evidence(value: Any, text: str) -> dict[str, Any]:
    """{"cause", "text"} (start/end optional): the sentence must be quoted verbatim from the judgment."""
    if not isinstance(value, dict) or not isinstance(value.get("text"), str) or not value["text"].strip():
        raise InvalidCorrection("败诉原因依据应写明原因和判决书中的原句")
    cause = LossCause.parse(str(value.get("cause") or ""))
    if cause is None:
        raise InvalidCorrection(f"未知的败诉原因：{value.get('cause')}")
    quote = value["text"].strip()
    start = value.get("start")
    if not (isinstance(start, int) and text[start : start + len(quote)] == quote):
        start = text.find(quote)
    if start < 0:
        raise InvalidCorrection(f"判决书中找不到这句话（须逐字引用）：{quote[:40]}")
    return {"cause": cause.value, "text": quote, "start": start, "end": start + len(quote)}


def add_correction(
    s: Session, judgment_id: int, field: str, value: Any, *, user: str, reason: str | None = None
) -> Correction:
    """Store a reviewer's correction (who, when, why) and refresh the judgment's effective tags."""
    judgment = s.get(Judgment, judgment_id)
    if judgment is None:
        raise JudgmentNotFound(f"找不到裁判文书 {judgment_id}")
    clean = _validate_correction(field, value, (judgment.record or {}).get("text", ""))
    previous = (
        effective_classification(judgment).get(field)
        if field in ("outcome", "action_type", "field", "ruling_forms")
        else None
    )
    if field == "loss_causes":
        previous = list(judgment.loss_causes or [])
    elif field in ("defendants", "plaintiffs", "agency_head_appeared"):
        previous = getattr(judgment, field)
    correction = Correction(
        judgment_id=judgment_id, field=field, value=clean, previous=previous, user=user, reason=reason
    )
    judgment.corrections.append(correction)
    s.flush()
    refresh_judgment(judgment)
    return correction


_ID_RE = re.compile(r"^\d+$")


def find_judgment(s: Session, case_no_or_id: str) -> Judgment:
    """By numeric id, or by case number in any bracket/spacing style."""
    from core.normalize import normalize_case_no

    key = case_no_or_id.strip()
    judgment = s.get(Judgment, int(key)) if _ID_RE.match(key) else None
    if judgment is None:
        judgment = s.scalars(
            select(Judgment).where(Judgment.case_no == normalize_case_no(key)).order_by(Judgment.id)
        ).first()
    if judgment is None:
        raise JudgmentNotFound(f"找不到案号或编号为“{case_no_or_id}”的裁判文书")
    return judgment


def judgment_as_json(judgment: Judgment) -> dict[str, Any]:
    """Everything a user may want of one judgment, as plain JSON."""
    return {
        "id": judgment.id,
        "case_no": judgment.case_no,
        "title": judgment.title,
        "court": judgment.court,
        "doc_kind": judgment.doc_kind,
        "procedure": judgment.procedure,
        "judgment_date": judgment.judgment_date.isoformat() if judgment.judgment_date else None,
        # 立案日期 (发案量 counts by it) and a source's publication date, never a judgment date
        **{k: (judgment.record or {}).get(k) for k in ("filing_date", "published_date", "first_instance")},
        "plaintiffs": judgment.plaintiffs,
        "defendants": judgment.defendants,
        "agency_head_appeared": judgment.agency_head_appeared,
        "outcome": judgment.outcome,
        "loss_causes": judgment.loss_causes,
        "action_type": judgment.action_type,
        "field": judgment.field,
        "tags": effective_classification(judgment),
        "record": judgment.record,
        "documents": [
            {
                "id": d.id,
                "filename": d.filename,
                "file_kind": d.file_kind,
                "status": d.status,
                "warnings": d.warnings,
                "sha256": d.sha256,
            }
            for d in judgment.documents
        ],
    }


def iter_judgments(s: Session, batch: int = 200) -> Iterator[Judgment]:
    last = 0
    while True:
        rows = s.scalars(select(Judgment).where(Judgment.id > last).order_by(Judgment.id).limit(batch)).all()
        if not rows:
            return
        yield from rows
        last = rows[-1].id
