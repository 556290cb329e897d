"""What the model reads from a record: the reasoning text and the "meta" text.

Both the trainer and the classifier build them here, the same way.
"""

from __future__ import annotations

import re

from classify.causes import rule_scope
from classify.outcome import OutcomeDecision
from classify.text import operative_span
from ingest.record import JudgmentRecord

_CASE_PHRASE = re.compile(r"([^，。；：\n]{2,60}?)一案")


def reasoning_text(record: JudgmentRecord, decision: OutcomeDecision) -> str:
    own, lower = rule_scope(record, decision)
    return "\n".join(record.text[s.start : s.end] for s in own + lower)


def meta_text(record: JudgmentRecord) -> str:
    """Title, cause of action, sued action, agencies, the 一案 phrase, and the openings that name the dispute."""
    parts: list[str] = []
    if record.title:
        parts.append(record.title)
    if record.cause_of_action:
        parts.append(record.cause_of_action)
    if record.sued_action:
        parts.extend(p for p in (record.sued_action.name, record.sued_action.text) if p)
    parts.extend(record.defendants + record.applicants)
    head = record.text[:2500]
    m = _CASE_PHRASE.search(head)
    if m:
        parts.append(m.group(1))
    # the opening of the text (court, parties, history) and of the orders
    parts.append(head[:1200])
    op = operative_span(record)
    if op:
        parts.append(record.text[op.start : min(op.end, op.start + 400)])
    return "\n".join(parts)


def case_cause(record: JudgmentRecord) -> str:
    """The cause of action as the judgment names it: the parser's 案由 and the "…一案" phrase."""
    m = _CASE_PHRASE.search(record.text[:2500])
    return "|".join(p for p in (record.cause_of_action, m.group(1) if m else None) if p)


def agencies(record: JudgmentRecord) -> list[str]:
    return [a for a in record.defendants + record.applicants if a]
