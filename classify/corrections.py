"""Reviewer corrections always win over the machine.

A correction is a plain dict as stored in the ``corrections`` table: ``{"field": …, "value": …}``
(plus user, reason, created_at, which are kept by the store). They are applied in order, so the
latest correction of a field wins.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import TypeVar, cast

from classify.types import CauseTag, Classification, Evidence, TagSource
from core.taxonomy import ActionType, Field, LossCause, Outcome

CORRECTABLE = ("outcome", "loss_causes", "cause_evidence", "action_type", "field", "ruling_forms")
E = TypeVar("E", Outcome, ActionType, Field, LossCause)


def _parse(cls: type[E], value: object) -> E | None:
    """The member named by its code or its Chinese label (None when neither)."""
    return cast("E | None", cls.parse(str(value))) if value is not None else None


def apply_corrections(c: Classification, corrections: list[dict]) -> Classification:
    """A copy of ``c`` with the reviewers' values in place of the machine's."""
    out = c.model_copy(deep=True)
    for corr in corrections:
        field, value = corr.get("field"), corr.get("value")
        if field == "outcome":
            outcome = _parse(Outcome, value)
            if outcome is not None:
                out.outcome = outcome
                if outcome != Outcome.agency_lost:
                    out.loss_causes = []
        elif field == "loss_causes":
            out.loss_causes = _cause_tags(out, value)
        elif field == "action_type":
            out.action_type = _parse(ActionType, value) if value else None
            out.action_type_probability = None
        elif field == "field":
            out.field = _parse(Field, value) if value else None
            out.field_probability = None
        elif field == "ruling_forms":
            out.ruling_forms = [str(v) for v in (value or [])]
        elif field == "cause_evidence" and isinstance(value, dict):
            _name_evidence(out, value)
    return out


def _name_evidence(out: Classification, value: dict) -> None:
    """The sentence a reviewer named for a cause comes first among its evidence."""
    cause = _parse(LossCause, value.get("cause"))
    named = Evidence(text=value["text"], start=value["start"], end=value["end"], section=value.get("section"))
    for tag in out.loss_causes:
        if tag.cause == cause:
            tag.evidence = [named, *[e for e in tag.evidence if e.start != named.start]]
            tag.source = TagSource.reviewer


def _cause_tags(current: Classification, value: object) -> list[CauseTag]:
    """``value``: a list of cause codes (or Chinese names), or of {"cause", "evidence"} dicts.

    A cause the machine had keeps its evidence sentences; the tag's source becomes ``reviewer``.
    """
    known = {t.cause: t for t in current.loss_causes}
    tags: list[CauseTag] = []
    for item in _as_list(value):
        code = item.get("cause") if isinstance(item, dict) else item
        cause = _parse(LossCause, code)
        if cause is None or any(t.cause == cause for t in tags):
            continue
        evidence = [Evidence(**e) for e in item.get("evidence", [])] if isinstance(item, dict) else []
        if not evidence and cause in known:
            evidence = known[cause].evidence
        tags.append(CauseTag(cause=cause, evidence=evidence, strength=1.0, source=TagSource.reviewer))
    return tags


def _as_list(value: object) -> Iterable:
    if value is None:
        return []
    if isinstance(value, (list, tuple)):
        return value
    return [value]
