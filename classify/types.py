"""Plain data of a classification: what the machine (or a reviewer) decided and why."""

from __future__ import annotations

from enum import StrEnum

from pydantic import BaseModel

from core.taxonomy import ActionType, Field, LossCause, Outcome, ReconsiderationOutcome


class TagSource(StrEnum):
    rule = "rule"
    model = "model"
    rule_and_model = "rule_and_model"
    reviewer = "reviewer"


class Evidence(BaseModel):
    """A sentence quoted verbatim from JudgmentRecord.text, with its offsets."""

    text: str
    start: int
    end: int
    section: str | None = None  # SectionName code of the section it lies in


class CauseTag(BaseModel):
    cause: LossCause
    evidence: list[Evidence] = []
    strength: float = 0.0  # the strongest rule's strength (0..1)
    probability: float | None = None  # the model's calibrated probability
    source: TagSource = TagSource.rule
    rules: list[str] = []  # ids of the rules that fired
    notes: str | None = None  # for `other`: which reason the court gave (TAXONOMY asks to say which)
    review: str | None = None  # why a reviewer should look: the court's words and its citation disagree


class Classification(BaseModel):
    outcome: Outcome | ReconsiderationOutcome  # the second for a 行政复议决定书
    outcome_evidence: Evidence | None = None
    ruling_forms: list[str] = []
    withdrawn_after_correction: bool | None = None
    loss_causes: list[CauseTag] = []
    action_type: ActionType | None = None
    action_type_probability: float | None = None
    field: Field | None = None
    field_probability: float | None = None
    model_version: str | None = None

    def cause_codes(self) -> list[str]:
        return [t.cause.value for t in self.loss_causes]
