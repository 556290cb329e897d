"""The decision of a 行政复议决定书 (行政复议法 2023 §63–§74) and, for a correction, why.

The outcome is read from the decision's orders (决定如下 …), never from a model: 确认…无效, 确认…违法, 部分撤销,
撤销, 变更, 责令…履行/作出, 维持, 驳回…复议请求/申请, 终止, 调解/和解 — checked in that order, so "撤销…并责令
重新作出" is a revocation. A correction against the agency (``RECONSIDERATION_CORRECTIONS``) gets loss causes
with the sentence that proves them, exactly as a court loss does.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

from classify.types import CauseTag, Classification, Evidence, TagSource
from core.taxonomy import RECONSIDERATION_CORRECTIONS, LossCause, Outcome, ReconsiderationOutcome, SectionName
from ingest.record import JudgmentRecord

R = ReconsiderationOutcome
_ORDER_RULES: list[tuple[re.Pattern[str], ReconsiderationOutcome]] = [
    (re.compile(r"确认[^。；\n]{0,60}?无效"), R.declared_void),
    (re.compile(r"确认[^。；\n]{0,60}?违法"), R.declared_unlawful),
    (
        re.compile(
            r"部分撤销|撤销[^。；\n]{0,60}?第[一二三四五六七八九十\d]+[项条款]|撤销[^。；\n]{0,60}?中[^。；\n]{0,30}?的(?:部分|内容)"
        ),
        R.partly_revoked,
    ),
    (re.compile(r"(?<!维持)撤销"), R.revoked),
    (re.compile(r"变更"), R.varied),
    (re.compile(r"责令[^。；\n]{0,60}?(?:履行|作出|答复|处理|办理|公开)"), R.ordered_to_act),
    (re.compile(r"维持"), R.upheld),
    (re.compile(r"驳回[^。；\n]{0,30}?(?:复议请求|复议申请|行政复议)"), R.request_rejected),
    (re.compile(r"终止"), R.terminated),
    (re.compile(r"调解|和解"), R.settled),
]


def decide_reconsideration(record: JudgmentRecord) -> tuple[ReconsiderationOutcome | None, str | None]:
    """The decision and the order line it was read from (None when the orders say nothing known)."""
    orders = record.operative_orders or [
        ln for ln in record.section(SectionName.operative).split("\n") if ln.strip()
    ]
    for pattern, outcome in _ORDER_RULES:
        for line in orders:
            if pattern.search(line):
                return outcome, line
    return None, None


C = LossCause
# 行政复议法 (2023) §64① 撤销 / §63 变更 / §65 确认违法 / §66 责令履行, and the 1999/2017 law's §28①(二)(三):
# (article, item) → cause; an item naming two causes (超越职权或者滥用职权) is decided by the body's words.
_STATUTE_2023: dict[tuple[int, int | None], tuple[LossCause, ...]] = {
    (64, 1): (C.insufficient_evidence,),
    (64, 2): (C.procedure,),
    (64, 3): (C.law_application,),
    (64, 4): (C.ultra_vires, C.abuse_of_power),
    (63, 1): (C.manifestly_improper,),
    (63, 2): (C.law_application,),
    (63, 3): (C.insufficient_evidence,),
    (65, 1): (C.procedure,),
    (66, None): (C.inaction,),
}
_STATUTE_OLD: dict[tuple[int, int | None], tuple[LossCause, ...]] = {
    (28, 1): (C.insufficient_evidence,),
    (28, 2): (C.law_application,),
    (28, 3): (C.procedure,),
    (28, 4): (C.ultra_vires, C.abuse_of_power),
    (28, 5): (C.manifestly_improper,),
}
_CAUSE_WORDS: dict[LossCause, re.Pattern[str]] = {
    C.insufficient_evidence: re.compile(r"证据不足|事实不清|未提供[^。]{0,20}证据|没有[^。]{0,10}证据"),
    C.procedure: re.compile(r"违反法定程序|程序违法|未告知|未听取|未送达|未依法[^。]{0,10}(告知|送达|听证)"),
    C.law_application: re.compile(r"适用[^。]{0,10}(错误|不当|不合法)|依据不合法|未正确适用"),
    C.ultra_vires: re.compile(r"超越[^。]{0,6}职权|无权|不具有[^。]{0,10}职权"),
    C.abuse_of_power: re.compile(r"滥用职权"),
    C.manifestly_improper: re.compile(r"明显不当|不适当|畸重|过罚不当"),
    C.inaction: re.compile(r"不履行|未履行|未依法履行|拖延履行|不予答复|未予答复"),
}


def _statute_causes(record: JudgmentRecord) -> list[LossCause]:
    table = _STATUTE_2023 if (record.judgment_date or "9999") >= "2024-01-01" else _STATUTE_OLD
    out: list[LossCause] = []
    for c in record.citations:
        if "行政复议法" not in c.law or "实施条例" in c.law or c.article is None:
            continue
        causes = table.get((c.article, c.item)) or table.get((c.article, None)) or ()
        for cause in causes:
            if cause not in out:
                out.append(cause)
    return out


def _reasons(record: JudgmentRecord) -> list[tuple[str, int]]:
    """The body's own reasoning, sentence by sentence, with offsets; citation sentences left out."""
    out = []
    for span in record.section_spans(SectionName.reasoning):
        text = record.text[span.start : span.end]
        for m in re.finditer(r"[^。；\n]+[。；]?", text):
            sentence = m.group(0).strip()
            if sentence and not re.match(r"^(根据|依照|依据)[^。]{0,200}(决定如下|规定)", sentence):
                out.append((sentence, span.start + m.start() + m.group(0).find(sentence)))
    return out


def _reconsideration_causes(record: JudgmentRecord) -> list[CauseTag]:
    """Causes from the cited decision article and the body's words; each with the sentence that says it."""
    reasons = _reasons(record)
    cited = _statute_causes(record)
    worded = [c for c, p in _CAUSE_WORDS.items() if any(p.search(s) for s, _ in reasons)]
    causes = [c for c in cited if len(_pair(c, cited)) == 1 or c in worded] or worded
    tags = []
    for cause in causes:
        found = [(s, at) for s, at in reasons if _CAUSE_WORDS[cause].search(s)]
        if not found:
            continue  # every cause carries its sentence, or it is not given
        s, at = found[0]
        tags.append(
            CauseTag(
                cause=cause,
                evidence=[Evidence(text=s, start=at, end=at + len(s), section=SectionName.reasoning)],
                strength=1.0 if cause in cited else 0.6,
                probability=None,
                source=TagSource.rule,
                rules=["reconsideration.statute" if cause in cited else "reconsideration.words"],
            )
        )
    return tags


def _pair(cause: LossCause, cited: list[LossCause]) -> list[LossCause]:
    pairs = [(C.ultra_vires, C.abuse_of_power)]
    for pair in pairs:
        if cause in pair:
            return [c for c in pair if c in cited]
    return [cause]


def classify_reconsideration(
    record: JudgmentRecord,
    model: Any,
    action_and_field: Callable[[JudgmentRecord, Any, Classification], None],
) -> Classification:
    """The classification of a 行政复议决定书; ``action_and_field`` fills action type and field as for a
    judgment (``classify.decide`` passes its own, so this module needs nothing from it)."""
    outcome, line = decide_reconsideration(record)
    evidence = None
    if line:
        start = record.text.find(line)
        if start >= 0:
            evidence = Evidence(text=line, start=start, end=start + len(line), section=SectionName.operative)
    result = Classification(
        outcome=outcome or Outcome.not_applicable,
        outcome_evidence=evidence,
        model_version=getattr(model, "version", None),
    )
    if outcome in RECONSIDERATION_CORRECTIONS:
        result.loss_causes = _reconsideration_causes(record)
    action_and_field(record, model, result)
    return result
