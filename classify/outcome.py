"""The outcome for the agency, judged by the ruling in effect after this document.

Order of reasoning (TAXONOMY.md): enforcement reviews and purely procedural rulings are
``not_applicable``; withdrawals, remands and dismissals by their orders; an appeal or retrial review
that upholds the decision below takes the outcome of that decision (quoted in the text), one that
reverses it is judged by its own new orders.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from classify.outcome_table import (
    APPEAL_WITHDRAWN_FORMS,
    CORRECTION_BEFORE_WITHDRAWAL,
    ENFORCEMENT_FORMS,
    LOSS_FORMS,
    OUTCOME_PRECEDENCE,
    PROCEDURE_BY_CASE_CODE,
    RULING_FORMS,
    UPHOLD_FORMS,
    WITHDRAW_FORMS,
)
from classify.text import Span, operative_span, reasoning_spans
from core.taxonomy import Outcome, Procedure
from ingest.record import JudgmentRecord

_FORMS = [(name, re.compile(pattern)) for name, pattern in RULING_FORMS]
_PROCEDURE_CODES = [(re.compile(p), Procedure[code]) for p, code in PROCEDURE_BY_CASE_CODE]
_CASE_NO = re.compile(r"[（(〔\[]\s*\d{4}\s*[）)〕\]][^\n，。；、]{0,30}?(行|执|非诉)[^\n，。；、]{0,12}?号")
_CORRECTION = re.compile(CORRECTION_BEFORE_WITHDRAWAL)
# A lower court's decision quoted by an appeal: "…之规定，判决：一、撤销…" / "裁定驳回…起诉".
_LOWER_DECISION = re.compile(r"(规定|之规定|的规定)[，,、]?\s*(作出)?(判决|裁定)(如下)?[：:，,]?\s*")
_LOWER_DECISION_ALT = re.compile(
    r"(行初|行终|行再)[^。\n]{0,30}(行政)?(判决|裁定)书?[，,]\s*(判决|裁定|判令)[：:，,]?\s*"
)
_AGENCY_NAME = re.compile(r"(局|政府|委员会|办公室|办事处|中心|大队|支队|派出所|分局|管委会|所|厅|部|署|院)$")
_APPELLANT = re.compile(r"(?<!被)上诉人[（(]?(?:一审|原审)?(原告|被告|第三人)?[）)]?([^\n。，,（(]{2,40})")


@dataclass(frozen=True)
class OutcomeDecision:
    outcome: Outcome
    ruling_forms: list[str]
    evidence: Span | None
    withdrawn_after_correction: bool | None


def ruling_forms(text: str) -> list[str]:
    """The operative orders named in ``text``, in order of appearance, item by item."""
    found: dict[str, int] = {}
    pos = 0
    for item in _ITEM_SPLIT.split(text):
        offset = text.find(item, pos)
        pos = max(pos, offset)
        body = _ITEM_NUMBER.sub("", item.strip(), count=1)
        if not body:
            continue
        rejects = body.startswith("驳回")
        hits: list[tuple[int, str]] = []
        for name, pattern in _FORMS:
            if rejects and not name.startswith(("驳回", "维持")):
                continue
            m = pattern.search(body)
            if m:
                hits.append((m.start(), name))
        item_names = [n for _, n in sorted(hits)]
        # Within an item, a broader pattern is shadowed by the more specific one.
        for specific, broad in _SHADOWS:
            if specific in item_names and broad in item_names:
                item_names.remove(broad)
        for rank, name in enumerate(item_names):
            found.setdefault(name, offset * 100 + rank)
    names = sorted(found, key=lambda n: found[n])
    if "撤销一审判决" in names and "撤销" in names and not _revokes_action_too(text):
        names.remove("撤销")
    return names


_ITEM_SPLIT = re.compile(r"[\n；;]+")
_ITEM_NUMBER = re.compile(
    r"^([一二三四五六七八九十]+|\d+|[（(][一二三四五六七八九十\d]+[）)])\s*[、.．，,]?\s*"
)
_SHADOWS = [
    ("准许撤回上诉", "准许撤诉"),
    ("按撤回上诉处理", "按撤诉处理"),
    ("部分撤销", "撤销"),
    ("驳回其他诉讼请求", "驳回诉讼请求"),
    ("驳回赔偿请求", "驳回诉讼请求"),
    ("不准予强制执行", "准予强制执行"),
    ("不准予强制执行", "准予执行"),
    ("准予强制执行", "准予执行"),
    ("责令重作", "责令履行"),
    ("确认违法", "责令履行"),
    ("撤销一审判决", "撤销"),
    ("维持原裁定", "维持原判"),
]


def _revokes_action_too(text: str) -> bool:
    """After 撤销一审判决, does another item revoke the agency's action itself?"""
    hits = re.findall(r"撤销[^。；\n]{0,160}", text)
    return any(not re.search(r"(行初|行终|行再|原审|一审|二审|原判)", h[:80]) for h in hits)


def procedure_of(record: JudgmentRecord) -> Procedure | None:
    if record.procedure is not None:
        return record.procedure
    case_no = record.case_no
    if not case_no:
        m = _CASE_NO.search(record.text[:600])
        case_no = m.group() if m else None
    if case_no:
        for pattern, procedure in _PROCEDURE_CODES:
            if pattern.search(case_no):
                return procedure
    return None


def _lower_decision_forms(record: JudgmentRecord, limit: int) -> list[str]:
    """Forms of the lower court's decision as the appeal quotes it (first quote wins)."""
    if record.first_instance and record.first_instance.result:
        forms = ruling_forms(record.first_instance.result)
        if forms:
            return forms
    text = record.text[:limit]
    matches = list(_LOWER_DECISION.finditer(text))[::-1] + list(_LOWER_DECISION_ALT.finditer(text))[::-1]
    for m in matches:
        end = text.find("\n", m.end())
        end = len(text) if end < 0 else end
        # The quote may run over several numbered lines: take up to the next paragraph that is not an item.
        while end < len(text):
            nxt = text[end + 1 : end + 6]
            if re.match(r"\s*([一二三四五六七八九十]+|\d+)[、.．]", nxt):
                e2 = text.find("\n", end + 1)
                end = len(text) if e2 < 0 else e2
            else:
                break
        segment = text[m.end() : end]
        forms = [f for f in ruling_forms(segment) if f not in UPHOLD_FORMS]
        if forms:
            return forms
    return []


def _appellant_is_agency(record: JudgmentRecord) -> bool | None:
    m = _APPELLANT.search(record.text[:1500])
    if not m:
        return None
    if m.group(1) == "被告":
        return True
    if m.group(1) == "原告":
        return False
    name = m.group(2).strip()
    if record.defendants:
        return any(d and (d in name or name in d) for d in record.defendants)
    return bool(_AGENCY_NAME.search(name))


def _outcome_of_forms(forms: list[str]) -> Outcome | None:
    fs = set(forms)
    return next((Outcome[outcome] for group, outcome in OUTCOME_PRECEDENCE if fs & group), None)


def decide_outcome(record: JudgmentRecord) -> OutcomeDecision:
    procedure = procedure_of(record)
    op = operative_span(record)
    op_text = op.text(record.text) if op else "\n".join(record.operative_orders)
    forms = ruling_forms(op_text)
    if not forms and record.operative_orders:
        forms = ruling_forms("\n".join(record.operative_orders))
    evidence = _first_line(record.text, op) if op else None

    if procedure == Procedure.enforcement_review or set(forms) & ENFORCEMENT_FORMS:
        return OutcomeDecision(Outcome.not_applicable, forms, evidence, None)
    if set(forms) & APPEAL_WITHDRAWN_FORMS:
        # the first-instance decision takes effect: its outcome when the text states it (TAXONOMY)
        own = reasoning_spans(record)
        lower = _outcome_of_forms(
            _lower_decision_forms(record, own[0].start if own else op.start if op else 0)
        )
        return OutcomeDecision(lower or Outcome.withdrawn, forms, evidence, None)
    if set(forms) & WITHDRAW_FORMS:
        corrected = bool(_CORRECTION.search(record.text[: op.start] if op else record.text))
        return OutcomeDecision(Outcome.withdrawn, forms, evidence, corrected)

    own_forms = [f for f in forms if f not in UPHOLD_FORMS]
    upholds = bool(set(forms) & UPHOLD_FORMS) and not (set(own_forms) & (LOSS_FORMS | {"撤销一审判决"}))
    if upholds:
        outcome = _outcome_upheld(record, forms)
        return OutcomeDecision(outcome, forms, evidence, None)
    by_forms = _outcome_of_forms(own_forms)
    if by_forms is None:
        by_forms = Outcome.not_applicable if forms else _outcome_without_forms(record)
    return OutcomeDecision(by_forms, forms, evidence, None)


_REVIEWED = re.compile(r"不服[^。\n]{0,100}?号(行政)?(判决|裁定)")


def _outcome_upheld(record: JudgmentRecord, forms: list[str]) -> Outcome:
    """An appeal or retrial review left the decision below standing: that decision is the outcome."""
    if "维持原裁定" in forms:
        return Outcome.dismissed  # an upheld ruling (not a judgment) below: 驳回起诉 / 不予立案
    own = reasoning_spans(record)
    limit = own[0].start if own else len(record.text)
    lower = _outcome_of_forms(_lower_decision_forms(record, limit))
    if lower is not None:
        return lower
    head = record.text[:limit]
    reviewed = _REVIEWED.search(head)  # the document appealed or reviewed: 不服…号行政裁定 / 行政判决
    if reviewed is not None:
        if reviewed.group(2) == "裁定":
            return Outcome.dismissed  # an upheld ruling below ends the case without a merits decision
    elif re.search(r"驳回[^。；\n]{0,30}起诉|不予立案", head) and not re.search(r"(行政)?判决", head[:600]):
        return Outcome.dismissed
    agency_appealed = _appellant_is_agency(record)
    if agency_appealed is True:
        return Outcome.agency_lost
    return Outcome.agency_won


def _outcome_without_forms(record: JudgmentRecord) -> Outcome:
    tail = record.text[-1500:]
    return _outcome_of_forms(ruling_forms(tail)) or Outcome.not_applicable


def _first_line(text: str, span: Span) -> Span | None:
    s = span.start
    while s < span.end and text[s] in " \t\u3000\n":
        s += 1
    e = text.find("\n", s, span.end)
    e = span.end if e < 0 else e
    while e > s and text[e - 1] in " \t\u3000\n":
        e -= 1
    return Span(s, e, span.section) if e > s else None
