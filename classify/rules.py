"""Run the cause rules (``classify.rules_table``) over the court's reasoning.

A hit is a cause, the verbatim sentence that proves it (with offsets) and a strength. Only the
court's own voice counts: sentences where the court restates a party's argument, or speaks about a
lower court's judgment, are skipped, as are negated phrasings (不存在程序违法).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from classify.rules_table import NEGATION, RULES, CauseRule
from classify.sentences import quoted_norm_end, recital_spans
from classify.text import Span, sentences
from ingest.dates import cn_number

__all__ = ["RuleHit", "cn_number", "run_rules"]

_COMPILED: list[tuple[CauseRule, list[re.Pattern[str]], list[re.Pattern[str]]]] = [
    (r, [re.compile(p) for p in r.patterns], [re.compile(g) for g in r.guards]) for r in RULES
]
_NEGATION = re.compile(NEGATION)
# A party speaking, by its speech verbs (not nouns: 无正当理由, 听取…意见, 陈述申辩权利 are findings).
_PARTY_VOICE = re.compile(
    r"(原告|上诉人|再审申请人|申请人|被上诉人|第三人|被告|被申请人)[^。；]{0,40}?"
    r"(认为|主张|诉称|上诉称|起诉称|声称|称[：:，,]|辩称|答辩称|质证称|述称|申请称|"
    r"提出[^。；，]{0,6}(异议|意见|理由|抗辩|主张)|请求(撤销|确认|判令|判决|法院|本院|二审|再审|改判))"
)
# Whose evidence fails: the plaintiff's (原告提供的证据不足以证明其主张) is not the agency's fault.
_PLAINTIFF_EVIDENCE = re.compile(
    r"(原告|原审原告|起诉人)(方)?[^，。；]{0,6}(提供|提交|举示|所举|出示)的?[^，。；]{0,12}$"
)
_PLAINTIFF_CLAIM = re.compile(r"(证明|证实)(其|原告)(的)?(主张|诉请|诉讼请求|请求|观点)")
# A disclaimer after the match: the court finds a flaw but says it does not make the act unlawful.
_DISCLAIMER = re.compile(
    r"^[^。；]{0,30}(但|然而)[^。；]{0,6}(并)?(不影响|不足以影响)[^。；]{0,20}(合法性|合法)|"
    r"^[^。；]{0,30}不(足以)?(导致|构成)[^。；]{0,10}(违法|撤销)"
)
_STATED_REASON_BEFORE = re.compile(r"以[^。；]{0,80}$")
_STATED_REASON_AFTER = re.compile(r"[^。；]{0,60}为由")
_EVIDENCE_CAUSES = {"insufficient_evidence", "passive_defence"}
_COURT_VOICE = re.compile(r"(但|然而|可是|却|本院认为|经查|经审查|本院经审查|法院认为|综上)")
_ACCEPTED = re.compile(
    r"(理由|主张|意见|请求)?[^。；，]{0,4}(成立|予以支持|予以采纳|予以采信|予以认可|本院予以)"
)
_REJECTED = re.compile(r"不予(支持|采纳|采信|认可|认定)|不能成立|不成立")
_ARGUMENT_BEFORE = re.compile(r"(主张|认为|称|提出|理由|请求|意见|为由)")
_ARGUMENT_AFTER = re.compile(r"[^。；，]{0,15}(为由|[的之](上诉)?(理由|主张|意见|观点))")
_LOWER_COURT_SUBJECT = re.compile(r"(一审|原审|原|二审)(法院|判决|裁定|审)[^，。；]{0,20}$")
_CLAUSE_BREAK = re.compile(r"[，,；;：:]")
# The sentence opens with the lower court as subject; its later clauses keep that subject unless the
# agency or its act is named. An upheld finding of the lower court (…证据不足，并无不当) is endorsed.
_LOWER_COURT_OPENING = re.compile(r"^[^，。；]{0,6}(一审|原审|二审)(法院|判决|裁定)")
_AGENCY_SUBJECT = re.compile(r"被告|被上诉人|被申请人|行政机关|被诉|作出的|[局委厅府]")
_ENDORSED = re.compile(r"并无不当|正确|予以维持|本院予以(确认|认可|支持)|应予维持|符合法律规定")
_QUOTE = re.compile(r"[“「\"][^”」\"]*[”」\"]?")
_NORM_INTRO = re.compile(r"(规定|条|款|项|之一)[：:，,]?\s*$")


@dataclass(frozen=True)
class RuleHit:
    cause: str
    rule_id: str
    strength: float
    sentence: Span
    match_start: int
    pattern: str = ""  # "<rule id>#<index of the pattern>" for phrase rules


def pattern_ids() -> list[tuple[str, CauseRule, str]]:
    """Every phrase pattern: (id "<rule id>#<index>", its rule, the regular expression)."""
    return [(f"{r.id}#{k}", r, p) for r in RULES for k, p in enumerate(r.patterns)]


def run_rules(
    text: str, spans: list[Span], disabled: frozenset[str] = frozenset(), every_pattern: bool = False
) -> list[RuleHit]:
    """Every phrase-rule hit in the sentences of ``spans`` (cited provisions: ``classify.anchors``).

    ``disabled``: pattern ids to ignore; ``every_pattern``: a hit per firing pattern, not per rule
    (to count each pattern's support)."""
    hits: list[RuleHit] = []
    for span in spans:
        for sent in sentences(text, span.start, span.end):
            sent = Span(sent.start, sent.end, span.section)
            s_text = text[sent.start : sent.end]
            quoted_to = quoted_norm_end(text, sent.start)  # the rest of a norm quoted over sentences
            hits.extend(
                h
                for h in _phrase_hits(s_text, sent, disabled, every_pattern)
                if quoted_to is None or h.match_start >= quoted_to
            )
    return hits


def _phrase_hits(s_text: str, sent: Span, disabled: frozenset[str], every_pattern: bool) -> list[RuleHit]:
    out: list[RuleHit] = []
    # the statute's words (quoted after 规定：, or recited) are not the court's finding
    skipped = _quoted_norms(s_text) + recital_spans(s_text)
    for rule, patterns, guards in _COMPILED:
        for k, pattern in enumerate(patterns):
            pid = f"{rule.id}#{k}"
            if pid in disabled:
                continue
            m_start = _first_match(rule, pattern, guards, s_text, skipped)
            if m_start is not None:
                out.append(RuleHit(rule.cause, rule.id, rule.strength, sent, sent.start + m_start, pid))
                if not every_pattern:
                    break
    return out


def _first_match(
    rule: CauseRule,
    pattern: re.Pattern[str],
    guards: list[re.Pattern[str]],
    s_text: str,
    skipped: list[tuple[int, int]],
) -> int | None:
    """Where ``pattern`` first fires in the court's own voice, or None."""
    for m in pattern.finditer(s_text):
        if any(a <= m.start() < b for a, b in skipped):
            continue
        if rule.cause != "passive_defence" and _rejected_argument(s_text, m.start(), m.end()):
            continue  # the court rejects an argument that used the phrase
        if _voiced_by_court(s_text, m.start(), m.end(), guards, rule.cause):
            return m.start()
    return None


def _rejected_argument(s_text: str, start: int, end: int) -> bool:
    """The phrase belongs to an argument the court then rejects (…为由…的理由，本院不予支持)."""
    if not _REJECTED.search(s_text, end):
        return False
    if _ARGUMENT_AFTER.match(s_text, end):
        return True
    argued = [m.end() for m in _ARGUMENT_BEFORE.finditer(s_text, 0, start)]
    # …认为…，但其提交的证据不能证明已送达，本院不予采信: after 但 the court speaks, rejecting the argument
    return bool(argued) and not _COURT_VOICE.search(s_text, argued[-1], start)


def _quoted_norms(s_text: str) -> list[tuple[int, int]]:
    """Spans of “…” quoting a norm (规定：“…”): the statute's words are not the court's finding."""
    out = []
    for m in _QUOTE.finditer(s_text):
        if _NORM_INTRO.search(s_text[max(0, m.start() - 8) : m.start()]):
            out.append((m.start(), m.end()))
    return out


def _voiced_by_court(
    s_text: str, start: int, end: int, guards: list[re.Pattern[str]], cause: str = ""
) -> bool:
    """False when the match is negated, restates a party, judges a lower court, is about the
    plaintiff's evidence, or is disclaimed right after (…瑕疵，但不影响其合法性)."""
    before = s_text[:start]
    clause_start = max((m.end() for m in _CLAUSE_BREAK.finditer(before)), default=0)
    clause_before = before[clause_start:]
    if any(g.search(clause_before) for g in guards):
        return False
    lower_court = _LOWER_COURT_SUBJECT.search(clause_before) or (
        _LOWER_COURT_OPENING.match(s_text) and not _AGENCY_SUBJECT.search(before)
    )
    if lower_court and not _ENDORSED.search(s_text, end):
        return False  # the lower court's error (一审判决认定事实不清，适用法律错误), not the agency's
    if cause in _EVIDENCE_CAUSES and (
        _PLAINTIFF_EVIDENCE.search(clause_before) or _PLAINTIFF_CLAIM.search(s_text, end, end + 12)
    ):
        return False
    if _DISCLAIMER.search(s_text[end:]):
        return False
    if _STATED_REASON_BEFORE.search(before) and _STATED_REASON_AFTER.match(s_text, end):
        return False  # 被诉决定以…不属于…为由: the reason the sued decision gave, restated
    party = next(iter(reversed(list(_PARTY_VOICE.finditer(before)))), None)
    if party is not None and not _COURT_VOICE.search(before, party.end()):
        after = s_text[end:]
        if _REJECTED.search(after) or not _ACCEPTED.search(after):
            return False
    return True
