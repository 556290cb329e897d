"""Which text the cause rules read, and the rules' verdict per cause.

The court's own reasoning first. When an appeal or retrial review leaves the lower decision
standing, the lower court's reasoning it quotes (一审法院认为 …) is endorsed and read too.
"""

from __future__ import annotations

import re

from classify.anchors import anchor_hits
from classify.outcome import OutcomeDecision
from classify.rules import RuleHit, run_rules
from classify.text import Span, lower_court_reasoning_spans, reasoning_spans, section_at
from core.taxonomy import Procedure, SectionName
from ingest.record import JudgmentRecord

_UPHOLDS = {"驳回上诉", "维持原判", "驳回再审申请"}
_PENALTY = re.compile(r"处罚|罚款")
_ENDORSED = SectionName.endorsed.value


def rule_scope(record: JudgmentRecord, decision: OutcomeDecision) -> tuple[list[Span], list[Span]]:
    """(own reasoning spans, endorsed lower-court spans)."""
    own = reasoning_spans(record)
    lower: list[Span] = []
    upheld = bool(set(decision.ruling_forms) & _UPHOLDS)
    if upheld or record.procedure in (Procedure.appeal, Procedure.retrial_review) and not own:
        lower = lower_court_reasoning_spans(record)
    return own, lower


# Only phrases that are the court's own verdict on the evidence count outside the reasoning.
ASSESSMENT_RULES = frozenset({"pd.deemed_no_evidence"})
_PARTY_OPENING = re.compile(
    r"^[^\n。]{0,40}?(诉称|辩称|上诉称|述称|称[：:，]|认为|请求|主张|答辩|意见|提交|提供了?以下证据|举证)"
)


def assessment_spans(record: JudgmentRecord, own: list[Span]) -> list[Span]:
    """Paragraphs before the reasoning that are not a party speaking (the court's view of the evidence)."""
    end = own[0].start if own else 0
    out: list[Span] = []
    pos = 0
    text = record.text
    while pos < end:
        nl = text.find("\n", pos, end)
        stop = end if nl < 0 else nl
        if stop > pos and not _PARTY_OPENING.match(text, pos, stop):
            out.append(Span(pos, stop, section_at(record, pos)))
        pos = stop + 1
    return out


def rule_hits(
    record: JudgmentRecord, decision: OutcomeDecision, disabled: frozenset[str] = frozenset()
) -> dict[str, list[RuleHit]]:
    """Hits per cause, strongest first; own-reasoning hits before endorsed lower-court ones."""
    own, lower = rule_scope(record, decision)
    by_cause: dict[str, list[RuleHit]] = {}
    sued = " ".join(p for p in (record.cause_of_action, record.sued_action and record.sued_action.name) if p)
    penalty = bool(_PENALTY.search(sued))
    for rank, spans in enumerate((own, lower)):
        for hit in run_rules(record.text, spans, disabled) + anchor_hits(record, spans, penalty):
            by_cause.setdefault(hit.cause, []).append(hit)
            if rank:
                object.__setattr__(hit, "strength", hit.strength - 0.05)  # endorsed, not the court's words
                object.__setattr__(hit, "sentence", Span(hit.sentence.start, hit.sentence.end, _ENDORSED))
    # The court's assessment of the evidence (before 本院认为) is where "视为没有相应证据" is often said.
    for hit in run_rules(record.text, assessment_spans(record, own), disabled):
        if hit.rule_id in ASSESSMENT_RULES:
            object.__setattr__(hit, "strength", hit.strength - 0.05)
            by_cause.setdefault(hit.cause, []).append(hit)
    for hits in by_cause.values():
        hits.sort(key=lambda h: -h.strength)
    return by_cause
