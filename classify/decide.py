"""The one place where rules and the model meet and a decision is made.

- outcome and ruling forms: from the operative orders (``classify.outcome``), never the model;
- loss causes, only for a loss: a phrase rule with strength ≥ ``rule_min_strength`` or a statute
  anchor (``classify.anchors``) stands with its sentence; the document-level model never tags on its
  own: probability ≥ ``cause_threshold`` only lifts a weaker rule's finding; a cause without evidence
  is never returned; words and citation in disagreement → the tag carries ``review``;
- action type and field: the agency's name (field table), else the model.
Reviewer corrections are applied afterwards (``classify.corrections``) and always win.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from classify.action_field import informative_case_cause, set_action_and_field
from classify.anchors import anchor_label
from classify.causes import rule_hits, rule_scope
from classify.features import reasoning_text
from classify.model import CauseModel
from classify.outcome import OutcomeDecision, decide_outcome
from classify.rules import RuleHit
from classify.sentences import (
    in_recital,
    is_bare_citation,
    is_basis,
    is_recital,
    is_rejected_argument,
    party_speech_end,
    quoted_norm_end,
    recital_share,
)
from classify.text import Span, reasoning_spans, section_at, sentences
from classify.types import CauseTag, Classification, Evidence, TagSource
from core.segment import words as tokens
from core.taxonomy import DocKind, LossCause, Outcome, SectionName
from ingest.record import JudgmentRecord

MAX_EVIDENCE = 2


@dataclass(frozen=True)
class Thresholds:
    cause_threshold: float = 0.5  # model probability needed for a cause no strong rule gives
    rule_min_strength: float = 0.5  # rule strength at which a rule tag stands on its own
    disabled_patterns: frozenset[str] = frozenset()  # phrase patterns left out (honest measurement)
    # sentence-classifier probability at which a sentence tags alone (dev CV: flat from 0.7 to 0.97)
    sentence_threshold: float = 0.8
    # below these the action-type / field model abstains (`other`); chosen on dev 5-fold CV: action
    # accuracy is flat from 0 to 0.4 (0.825) and drops at 0.5; field rises to 0.881 at 0.4–0.5
    action_min_probability: float = 0.3
    field_min_probability: float = 0.4


def classify_record(
    record: JudgmentRecord, model: CauseModel | None, thresholds: Thresholds = Thresholds()
) -> Classification:
    if record.doc_kind == DocKind.reconsideration_decision:
        from classify.reconsideration import classify_reconsideration

        return classify_reconsideration(
            record,
            model,
            lambda r, m, res: set_action_and_field(
                r, m, res, thresholds.action_min_probability, thresholds.field_min_probability
            ),
        )
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
    set_action_and_field(
        record, model, result, thresholds.action_min_probability, thresholds.field_min_probability
    )
    return result


def _causes(
    record: JudgmentRecord, decision: OutcomeDecision, model: CauseModel | None, th: Thresholds
) -> list[CauseTag]:
    hits = rule_hits(record, decision, th.disabled_patterns)
    probs: dict[str, float] = {}
    if model is not None:
        probs = model.cause_probabilities(tokens(reasoning_text(record, decision)))
    anchored = {c for c, hs in hits.items() if any(_is_anchor(h) for h in hs)}
    worded = {
        c
        for c, hs in hits.items()
        if any(not _is_anchor(h) and h.strength >= th.rule_min_strength for h in hs)
    }
    scored = _scored_sentences(record, decision, model)
    by_start = {sp.start: p for sp, p in scored}
    tags: list[CauseTag] = []
    for cause in LossCause:
        c_hits = hits.get(cause.value, [])
        best = max(
            ((p.get(cause.value, 0.0), sp) for sp, p in scored), default=(0.0, None), key=lambda t: t[0]
        )
        strong = [h for h in c_hits if h.strength >= th.rule_min_strength]
        prob = probs.get(cause.value)
        model_says = prob is not None and prob >= th.cause_threshold
        review = None
        if strong:
            source = TagSource.rule_and_model if model_says else TagSource.rule
            evidence = _hit_evidence(record, [h for h in c_hits if not _is_anchor(h)], by_start, cause.value)
            if cause.value not in worded:
                review = f"仅由裁判依据所引法条（{_clauses(c_hits)}）得出，本院认为中未见相应表述"
                endorsed = all(h.sentence.section == SectionName.endorsed.value for h in strong)
                if not evidence and best[1] is not None and best[0] >= 0.5:
                    evidence = [_evidence(record, best[1])]
                evidence = (
                    evidence or _finding_evidence(record, decision, endorsed) or _hit_evidence(record, strong)
                )
            elif anchored and cause.value not in anchored:
                review = (
                    f"本院认为的表述为{cause.zh}，但裁判依据所引法条（{_clauses(hits, anchored)}）未列此项"
                )
        elif best[1] is not None and best[0] >= th.sentence_threshold:
            # the sentence classifier: a sentence of the court's own finding that states the cause
            source = TagSource.model
            prob = best[0]
            evidence = [_evidence(record, best[1])]
            review = "仅由句子分类模型得出，请核对"
        elif model_says and model is not None and c_hits:
            # The document-level model never tags on its own: it may lift a weaker rule's finding.
            source = TagSource.model
            evidence = _hit_evidence(record, c_hits)
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
                review=review,
            )
        )
    return _agreement_performance(record, decision, _changed_circumstances(record, decision, tags))


_AGREEMENT_ORDERS = frozenset({"判决支付", "继续履行协议"})
_AGREEMENT = re.compile(r"协议|行政合同")
_PAYMENT = re.compile(r"(支付|给付|履行|兑付|补足)[^。；]{0,30}(款|金|费|利息|义务|协议|约定)|利息|违约")


def _agreement_performance(
    record: JudgmentRecord, decision: OutcomeDecision, tags: list[CauseTag]
) -> list[CauseTag]:
    """An agency ordered to pay or perform under an administrative agreement (判决给付 / 继续履行协议,
    or compensation owed under a 补偿协议) lost for `other` (TAXONOMY) when no cause is found."""
    forms = set(decision.ruling_forms)
    agreement = _AGREEMENT.search(" ".join(decision.ruling_forms) + informative_case_cause(record))
    if tags or not (forms & _AGREEMENT_ORDERS or ("判决赔偿" in forms and agreement)):
        return tags
    own, lower = rule_scope(record, decision)
    for spans in (own, lower):
        for span in spans:
            for sent in reversed(sentences(record.text, span.start, span.end)):
                s_text = record.text[sent.start : sent.end]
                if (
                    is_basis(s_text)
                    or is_recital(s_text)
                    or party_speech_end(s_text, len(s_text)) is not None
                ):
                    continue
                if _AGREEMENT.search(s_text) and _PAYMENT.search(s_text):
                    return [
                        CauseTag(
                            cause=LossCause.other,
                            evidence=[_evidence(record, Span(sent.start, sent.end, span.section))],
                            strength=0.7,
                            rules=["ot.agreement_performance"],
                            notes="行政协议履行（判决给付或继续履行）",
                        )
                    ]
    return tags


# 情势变更, or its description: what the act relied on was later voided or changed (TAXONOMY's example:
# a later civil judgment voided the contract a registration relied on)
_CHANGED = re.compile(
    r"情势变更|情事变更|(所依据|据以[^。；]{0,8}的)[^。；]{0,16}(证据|合同|协议|判决|文书)[^。；]{0,16}"
    r"(发生(了)?变化|被[^。；]{0,16}(确认无效|撤销))"
)
_NOT_CHANGED = re.compile(r"(不属于|并非|不构成|不是|不存在|并无)[^，。；]{0,6}$")


def _changed_circumstances(
    record: JudgmentRecord, decision: OutcomeDecision, tags: list[CauseTag]
) -> list[CauseTag]:
    """A revocation only because circumstances changed (情势变更) is `other` even where §70 is cited
    (TAXONOMY): causes that only the citation names give way; causes the court words stay."""
    own, _ = rule_scope(record, decision)
    for span in own:
        for sent in sentences(record.text, span.start, span.end):
            s_text = record.text[sent.start : sent.end]
            m = _CHANGED.search(s_text)
            if m is None or in_recital(s_text, m.start()) or _NOT_CHANGED.search(s_text[: m.start()]):
                continue
            kept = [
                t
                for t in tags
                if not (t.review and t.review.startswith("仅由")) and t.cause != LossCause.other
            ]
            other = CauseTag(
                cause=LossCause.other,
                evidence=[_evidence(record, Span(sent.start, sent.end))],
                strength=0.8,
                rules=["ot.changed_circumstances"],
                notes="情势变更",
            )
            return kept + [other]
    return tags


def _is_anchor(hit: RuleHit) -> bool:
    return hit.rule_id.startswith("cite.")


def _clauses(hits: list[RuleHit] | dict[str, list[RuleHit]], causes: set[str] | None = None) -> str:
    flat = [h for hs in hits.values() for h in hs] if isinstance(hits, dict) else hits
    ids = sorted({h.rule_id for h in flat if _is_anchor(h) and (causes is None or h.cause in causes)})
    return "、".join(anchor_label(i) for i in ids)


def _evidence(record: JudgmentRecord, span: Span) -> Evidence:
    return Evidence(
        text=record.text[span.start : span.end],
        start=span.start,
        end=span.end,
        section=span.section if span.section == SectionName.endorsed.value else _section(record, span),
    )


def _section(record: JudgmentRecord, span: Span) -> str | None:
    for r in reasoning_spans(record):
        if r.start <= span.start < r.end:
            return SectionName.reasoning.value
    return section_at(record, span.start)


def _hit_evidence(
    record: JudgmentRecord,
    hits: list[RuleHit],
    sentence_probs: dict[int, dict[str, float]] | None = None,
    cause: str = "",
) -> list[Evidence]:
    """The sentences of the strongest hits: the court's own reasoning first, then a finding before
    the bare ruling basis, then the sentence classifier's choice, then by strength."""
    probs = sentence_probs or {}
    ordered = sorted(
        hits,
        key=lambda h: (
            h.sentence.section != SectionName.reasoning.value,
            is_bare_citation(record.text[h.sentence.start : h.sentence.end]),
            -round(probs.get(h.sentence.start, {}).get(cause, 0.0), 1),
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


def _scored_sentences(
    record: JudgmentRecord, decision: OutcomeDecision, model: CauseModel | None
) -> list[tuple[Span, dict[str, float]]]:
    """The court's own findings in the rule scope with the sentence classifier's probabilities
    (ruling basis, recitals, a party's words, rejected arguments and the lower court's error left out)."""
    if model is None or not model.sentence_heads:
        return []
    own, lower = rule_scope(record, decision)
    out: list[tuple[Span, dict[str, float]]] = []
    for spans, section in ((own, SectionName.reasoning.value), (lower, SectionName.endorsed.value)):
        for span in spans:
            for sent in sentences(record.text, span.start, span.end):
                s_text = record.text[sent.start : sent.end]
                if (
                    len(s_text) < 8
                    or is_basis(s_text)
                    or recital_share(s_text) > 0.5
                    or _mostly_quoted(record.text, sent)
                    or is_rejected_argument(s_text)
                    or party_speech_end(s_text, len(s_text)) is not None
                    or _LOWER_COURT_OPENING.match(s_text)
                    or _NEGATED_FINDING.search(s_text)
                ):
                    continue
                out.append((Span(sent.start, sent.end, section), model.sentence_probabilities(s_text)))
    return out


def _mostly_quoted(text: str, sent: Span) -> bool:
    """The sentence is mostly the rest of a norm quoted from an earlier sentence."""
    end = quoted_norm_end(text, sent.start)
    return end is not None and end - sent.start > (sent.end - sent.start) / 2


_LOWER_COURT_OPENING = re.compile(r"^[^，。；]{0,6}(一审|原审|二审)(法院|判决|裁定)")
_NEGATED_FINDING = re.compile(
    r"(不存在|并无|并未|不属于|不构成|符合法定程序|程序合法|证据确凿|适用法律正确|事实清楚)"
)


_CONCLUSION = re.compile(
    r"(应予|应当|依法|予以|应)(撤销|确认|纠正|履行|支持)|违法|不当|错误|不足|不能成立|"
    r"(应当|应)[^。；，]{0,12}(支付|给付|履行|赔偿|补偿)"
)


def _finding_evidence(
    record: JudgmentRecord, decision: OutcomeDecision, endorsed_first: bool = False
) -> list[Evidence]:
    """For a cause only the cited statute names: the court's concluding finding before its ruling
    basis (…被诉决定…，依法应予撤销), never a recital, a party's words or the basis itself."""
    own, lower = rule_scope(record, decision)
    order = [(own, None), (lower, SectionName.endorsed.value)]
    if endorsed_first:
        order.reverse()
    for spans, section in order:
        found = last = None  # the last concluding finding / the last finding of any kind
        for span in spans:
            for sent in sentences(record.text, span.start, span.end):
                s_text = record.text[sent.start : sent.end]
                if is_basis(s_text):
                    if found is not None or last is not None:
                        break
                    continue
                if (
                    len(s_text) < 8
                    or is_rejected_argument(s_text)
                    or party_speech_end(s_text, len(s_text)) is not None
                    or recital_share(s_text) > 0.5
                    or _mostly_quoted(record.text, sent)
                ):
                    continue
                last = sent
                if any(not in_recital(s_text, m.start()) for m in _CONCLUSION.finditer(s_text)):
                    found = sent
        pick = found or last
        if pick is not None:
            return [_evidence(record, Span(pick.start, pick.end, section))]
    return []
