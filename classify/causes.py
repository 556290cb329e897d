"""Which text the cause rules read, and the rules' verdict per cause.

The court's own reasoning first. When an appeal or retrial review leaves the lower decision
standing, the lower court's reasoning it quotes (一审法院认为 …) is endorsed and read too.
"""

from __future__ import annotations

from classify.outcome import OutcomeDecision
from classify.rules import RuleHit, run_rules
from classify.text import Span, lower_court_reasoning_spans, reasoning_spans
from core.taxonomy import Procedure
from ingest.record import JudgmentRecord

_UPHOLDS = {"驳回上诉", "维持原判", "驳回再审申请"}


def rule_scope(record: JudgmentRecord, decision: OutcomeDecision) -> tuple[list[Span], list[Span]]:
    """(own reasoning spans, endorsed lower-court spans)."""
    own = reasoning_spans(record)
    lower: list[Span] = []
    upheld = bool(set(decision.ruling_forms) & _UPHOLDS)
    if upheld or record.procedure in (Procedure.appeal, Procedure.retrial_review) and not own:
        lower = lower_court_reasoning_spans(record)
    return own, lower


def rule_hits(record: JudgmentRecord, decision: OutcomeDecision) -> dict[str, list[RuleHit]]:
    """Hits per cause, strongest first; own-reasoning hits before endorsed lower-court ones."""
    own, lower = rule_scope(record, decision)
    by_cause: dict[str, list[RuleHit]] = {}
    for rank, spans in enumerate((own, lower)):
        for hit in run_rules(record.text, spans):
            by_cause.setdefault(hit.cause, []).append(hit)
            if rank:
                object.__setattr__(hit, "strength", hit.strength - 0.05)  # endorsed, not the court's words
    for hits in by_cause.values():
        hits.sort(key=lambda h: -h.strength)
    return by_cause
