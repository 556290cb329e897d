"""Structural kinds of a reasoning sentence, decided before any cause is considered.

A sentence of the court's reasoning is one of: the ruling basis (依照…之规定，判决如下), a norm recital
(…第N条规定，行政行为有下列情形之一的… / 规定：“…”), a party's speech restated (原告诉称 / 上诉人认为 …),
or the court's own finding. Only findings prove a cause; the ruling basis anchors causes through its
structured citations (``classify.anchors``) but is never quoted when a finding can be.
"""

from __future__ import annotations

import re

# 依照/依据/根据 … (之|的)规定，判决如下 — the court's ruling basis, own or a lower court's.
_BASIS_OPENING = re.compile(
    r"^[\s\W]{0,3}(据此|综上所述|综上|因此|为此|故|所以)?[，,]?\s*"
    r"(本院|一审法院|原审法院|[^，。；]{0,20}法院)?(遂|即)?(依照|依据|根据|按照|参照)"
)
_DECIDES = re.compile(r"(判决|裁定|决定)(如下)?[：:]|(判决|裁定)[一二三四五六七八九十、（(]|(判决|裁定)如下")
# 第N条规定， / 规定：“ / 有下列情形之一 — the statute's words, not the court's finding.
_RECITAL = re.compile(
    r"第[^，。；：]{1,16}(条|款|项)(中)?(明确)?规定[：:，,]|[》\]](中)?(明确)?规定[：:，,]|规定[：:]\s*[“\"「]|"
    r"第[^，。；：]{1,16}(条|款|项)[：:]\s*[“\"「]|有下列情形之一|下列情形之一的"
)
# An argument the court rejects: …的上诉理由不能成立 / …的请求，本院不予支持.
_REJECTED = re.compile(r"(理由|请求|主张|意见|观点)[^。；]{0,12}(不能成立|不成立|不予支持|不予采纳|不予采信)")
# Speech verbs (not nouns like 意见/陈述申辩权利): a party talks, the court restates it.
PARTY = r"(原告|上诉人|被上诉人|再审申请人|申请人|被申请人|第三人|被告|原审原告|原审被告|原审第三人)"
_SPEECH = re.compile(
    PARTY
    + r"[^。；]{0,30}?(诉称|辩称|上诉称|述称|申请称|答辩称|认为|主张|提出|称[：:，,]|请求|坚持|表示|质证称)"
)
_ACCEPTED = re.compile(
    r"(理由|主张|意见|请求)[^。；，]{0,4}(成立|予以支持|予以采纳)[^。；]{0,2}$|本院予以支持"
)
_COURT_TURN = re.compile(r"(但|然而|可是|却|本院认为|经查|经审查|本院经审查|法院认为|综上|对此)")


def is_basis(sentence: str) -> bool:
    """The ruling basis: 依照…之规定，判决如下 (or …判决：一、撤销…)."""
    return bool(_BASIS_OPENING.match(sentence) and _DECIDES.search(sentence))


_CLAUSE_OPEN = re.compile(r"[，,；;：:。]")
# Words of the concrete case: an unquoted "第N条规定，" followed by them is the court applying the norm.
_APPLIED = re.compile(
    r"被诉|本案|涉案|案涉|该(决定|行为|处罚|通知|答复)|上述|其作出|应予撤销|依法应当撤销|应当予以撤销"
)
_LIST_OF_CASES = re.compile(r"下列情形")
_OPEN_QUOTE = re.compile(r"[“\"「]")
_CLOSE_QUOTE = re.compile(r"[”\"」]")
_AFTER_QUOTE = re.compile(r"[^，,。；]{0,4}?(之|的)?(相关)?规定[，,、]?|[，,、]")


def recital_spans(sentence: str) -> list[tuple[int, int]]:
    """Where norms are recited in ``sentence``: from the clause holding 第N条规定， / 有下列情形之一 to the
    end, or to the closing quote (and its 之规定，) when the norm is quoted. What the court says
    outside them (…主要证据不足，依据第七十条第一项规定，应予撤销 / “…”之规定，本案中被告…) is its own."""
    if is_basis(sentence):
        return []
    out: list[tuple[int, int]] = []
    pos = 0
    while pos < len(sentence):
        m = _RECITAL.search(sentence, pos)
        if m is None:
            break
        start = max((c.end() for c in _CLAUSE_OPEN.finditer(sentence, pos, m.start())), default=pos)
        q = _OPEN_QUOTE.search(sentence, m.start(), min(len(sentence), m.end() + 3))
        if q is None:
            if _APPLIED.search(sentence, m.end()) and not _LIST_OF_CASES.search(m.group()):
                pos = m.end()  # 根据…第七十条规定，被诉决定主要证据不足，应予撤销: the court applies the norm
                continue
            out.append((start, len(sentence)))
            break
        close = _CLOSE_QUOTE.search(sentence, q.end())
        if close is None:
            out.append((start, len(sentence)))
            break
        tail = _AFTER_QUOTE.match(sentence, close.end())
        end = tail.end() if tail else close.end()
        out.append((start, end))
        pos = end
    return out


def recital_start(sentence: str) -> int | None:
    """The start of the first recital (see :func:`recital_spans`), or None."""
    spans = recital_spans(sentence)
    return spans[0][0] if spans else None


def in_recital(sentence: str, pos: int) -> bool:
    return any(a <= pos < b for a, b in recital_spans(sentence))


def is_recital(sentence: str) -> bool:
    """The sentence is (nearly) all recited norm: nothing of the court's own is left outside."""
    spans = recital_spans(sentence)
    outside = len(sentence) - sum(b - a for a, b in spans)
    return bool(spans) and outside < 12


def party_speech_end(sentence: str, before: int) -> int | None:
    """Where the last party speech opening before ``before`` ends, unless the court takes the turn after it."""
    last = None
    for m in _SPEECH.finditer(sentence, 0, before):
        last = m
    if last is None:
        return None
    if _COURT_TURN.search(sentence, last.end(), before) or _ACCEPTED.search(sentence, last.end()):
        return None
    return last.end()


def is_bare_citation(sentence: str) -> bool:
    """A quote that is only the ruling basis (what ``eval classify`` counts; the target is none)."""
    return is_basis(sentence)


def is_rejected_argument(sentence: str) -> bool:
    return bool(_REJECTED.search(sentence))


def recital_share(sentence: str) -> float:
    """How much of the sentence is recited norm (0..1)."""
    if not sentence:
        return 0.0
    return sum(b - a for a, b in recital_spans(sentence)) / len(sentence)


_QUOTED_NORM = re.compile(r"(规定|条|款|项)[：:，,]?\s*[“\"「]")


def quoted_norm_end(text: str, pos: int) -> int | None:
    """When ``pos`` lies inside a norm quoted over several sentences (规定：“…。…视为没有相应证据。”), where
    the quote (and its 之规定，) ends; else None."""
    para = text.rfind("\n", 0, pos) + 1
    opened = None
    for m in _QUOTED_NORM.finditer(text, para, pos):
        opened = m.end()
    if opened is None or _CLOSE_QUOTE.search(text, opened, pos):
        return None
    nl = text.find("\n", pos)
    close = _CLOSE_QUOTE.search(text, pos, len(text) if nl < 0 else nl)
    if close is None:
        return len(text) if nl < 0 else nl
    tail = _AFTER_QUOTE.match(text, close.end())
    return tail.end() if tail else close.end()


def in_quoted_norm(text: str, pos: int) -> bool:
    """The sentence at ``pos`` is (still) inside a norm quoted from an earlier sentence."""
    return quoted_norm_end(text, pos) is not None
