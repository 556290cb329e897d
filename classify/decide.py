"""The one place where rules and the model meet and a decision is made.

- outcome and ruling forms: from the operative orders (``classify.outcome``), never the model;
- loss causes, only for a loss: a rule with strength ≥ ``rule_min_strength`` stands with its
  sentence; a model tag needs probability ≥ ``cause_threshold`` AND a supporting sentence of the
  reasoning (a weaker rule's sentence, else the sentence richest in the cause's heaviest words);
  a cause without evidence is never returned;
- action type and field: the agency's name (field table), else the model.
Reviewer corrections are applied afterwards (``classify.corrections``) and always win.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from classify.action_table import ACTION_BY_CASE_CAUSE
from classify.causes import rule_hits, rule_scope
from classify.features import agencies, case_cause, meta_text, reasoning_text
from classify.field_table import FIELD_BY_AGENCY, GENERAL_GOVERNMENT, GENERAL_GOVERNMENT_ACTIONS
from classify.model import CauseModel
from classify.outcome import OutcomeDecision, decide_outcome
from classify.rules import RuleHit
from classify.text import Span, reasoning_spans, section_at, sentences
from classify.types import CauseTag, Classification, Evidence, TagSource
from core.segment import words as tokens
from core.taxonomy import ActionType, DocKind, Field, LossCause, Outcome, SectionName
from ingest.record import JudgmentRecord

MAX_EVIDENCE = 2
_FIELD_RULES = [(re.compile(p), Field[f]) for p, f in FIELD_BY_AGENCY]
_GENERAL_GOVERNMENT = re.compile(GENERAL_GOVERNMENT)
_ACTION_RULES = [(re.compile(p), ActionType[a]) for p, a in ACTION_BY_CASE_CAUSE]


@dataclass(frozen=True)
class Thresholds:
    cause_threshold: float = 0.5  # model probability needed for a cause no strong rule gives
    rule_min_strength: float = 0.5  # rule strength at which a rule tag stands on its own


def classify_record(
    record: JudgmentRecord, model: CauseModel | None, thresholds: Thresholds = Thresholds()
) -> Classification:
    if record.doc_kind == DocKind.reconsideration_decision:
        from classify.reconsideration import classify_reconsideration

        return classify_reconsideration(record, model, _action_and_field)
    decision = decide_outcome(record)
    result = Classification(
        outcome=decision.outcome,
        outcome_evidence=_evidence(record, decision.evidence) if decision.evidence else None,
        ruling_forms=decision.ruling_forms,
        withdrawn_after_correction=decision.withdrawn_after_correction,
        model_version=model.version if model else None,
    )
    if decision.outcome == Outcome.agency_lost:
        result.loss_causes = _causes(record, decision, model, thresholds)
    _action_and_field(record, model, result)
    return result


def _causes(
    record: JudgmentRecord, decision: OutcomeDecision, model: CauseModel | None, th: Thresholds
) -> list[CauseTag]:
    hits = rule_hits(record, decision)
    probs: dict[str, float] = {}
    if model is not None:
        probs = model.cause_probabilities(tokens(reasoning_text(record, decision)))
    tags: list[CauseTag] = []
    for cause in LossCause:
        c_hits = hits.get(cause.value, [])
        strong = [h for h in c_hits if h.strength >= th.rule_min_strength]
        prob = probs.get(cause.value)
        model_says = prob is not None and prob >= th.cause_threshold
        if strong:
            source = TagSource.rule_and_model if model_says else TagSource.rule
            evidence = _hit_evidence(record, strong)
        elif model_says and model is not None:
            source = TagSource.model
            evidence = _hit_evidence(record, c_hits) or _best_sentence(record, decision, model, cause.value)
            # The quoted sentence must itself speak for the cause, not only the document as a whole.
            evidence = [
                e
                for e in evidence
                if model.cause_probabilities(tokens(e.text)).get(cause.value, 0.0) >= th.cause_threshold
            ]
        else:
            continue
        if not evidence:
            continue  # every cause carries its sentence, or it is not given
        tags.append(
            CauseTag(
                cause=cause,
                evidence=evidence,
                strength=max((h.strength for h in c_hits), default=0.0),
                probability=prob,
                source=source,
                rules=sorted({h.rule_id for h in c_hits}),
            )
        )
    return tags


def _evidence(record: JudgmentRecord, span: Span) -> Evidence:
    return Evidence(
        text=record.text[span.start : span.end],
        start=span.start,
        end=span.end,
        section=_section(record, span),
    )


def _section(record: JudgmentRecord, span: Span) -> str | None:
    for r in reasoning_spans(record):
        if r.start <= span.start < r.end:
            return SectionName.reasoning.value
    return section_at(record, span.start)


def _hit_evidence(record: JudgmentRecord, hits: list[RuleHit]) -> list[Evidence]:
    """The sentences of the strongest hits: the court's own reasoning first, then a phrase before a
    bare citation of the article, then by strength."""
    ordered = sorted(
        hits,
        key=lambda h: (
            h.sentence.section != SectionName.reasoning.value,
            h.rule_id.startswith("cite."),
            -h.strength,
            h.sentence.start,
        ),
    )
    out: list[Evidence] = []
    seen: set[int] = set()
    for h in ordered:
        if h.sentence.start in seen:
            continue
        seen.add(h.sentence.start)
        out.append(_evidence(record, h.sentence))
        if len(out) >= MAX_EVIDENCE:
            break
    return out


def _best_sentence(
    record: JudgmentRecord, decision: OutcomeDecision, model: CauseModel, cause: str
) -> list[Evidence]:
    """The reasoning sentence whose words weigh most for ``cause`` in the model."""
    weights = model.cause_term_weights(cause)
    if not weights:
        return []
    own, lower = rule_scope(record, decision)
    best: tuple[float, Span | None] = (0.0, None)
    for span in own + lower:
        for sent in sentences(record.text, span.start, span.end):
            words = set(tokens(record.text[sent.start : sent.end]))
            score = sum(weights.get(w, 0.0) for w in words)
            if score > best[0]:
                best = (score, sent)
    return [_evidence(record, best[1])] if best[1] is not None else []


def _action_and_field(record: JudgmentRecord, model: CauseModel | None, result: Classification) -> None:
    """The 案由 names the action type and the agency's name the field; the model fills the gaps."""
    cause = case_cause(record)
    found = []
    for rank, (pattern, action) in enumerate(_ACTION_RULES):
        m = pattern.search(cause)
        if m:
            found.append((m.start(), rank, action))
    if found:
        result.action_type, result.action_type_probability = min(found)[2], None
    for name in agencies(record):
        for pattern, f in _FIELD_RULES:
            if pattern.search(name):
                result.field, result.field_probability = f, None
                break
        if result.field is not None:
            break
    if model is not None:
        words = tokens(meta_text(record))
        top = model.action_type(words) if result.action_type is None else None
        if top:
            result.action_type, result.action_type_probability = ActionType[top[0]], top[1]
    if (
        result.field is None
        and result.action_type is not None
        and result.action_type.value in GENERAL_GOVERNMENT_ACTIONS
        and any(_GENERAL_GOVERNMENT.search(a) for a in agencies(record))
    ):
        result.field, result.field_probability = Field.local_government, None
    if result.field is None and model is not None:
        top = model.field(words)
        if top:
            result.field, result.field_probability = Field[top[0]], top[1]
