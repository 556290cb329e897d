"""Sentences and the court's reasoning, located in ``JudgmentRecord.text`` by offsets.

The parser's sections are used when they are there; when a record lacks a reasoning or operative
section (OCR'd text split badly, an unusual layout) a small fallback finds 本院认为 … up to the
operative phrase. Everything here is pure: text in, spans out.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from core.taxonomy import SectionName
from ingest.record import JudgmentRecord

# A sentence ends at 。！？ or at a line break; ；also closes a clause the courts use like a sentence.
_SENTENCE_END = re.compile(r"[。！？!?]+[”’」』）)]*|\n+")
_OPERATIVE_PHRASE = re.compile(r"(判决|裁定|决定)如下[：:]?")
_OPERATIVE_END = re.compile(
    r"(如不服本(判决|裁定)|本(判决|裁定)为终审|案件受理费|二审案件受理费|一审案件受理费|诉讼费|"
    r"审\s*判\s*长|审\s*判\s*员|人民陪审员)"
)
# Where the court's own reasoning starts (本院认为) and where a lower court's reasoning, quoted
# by an appeal or retrial, starts (endorsed when the appeal upholds it).
_OWN_REASONING = re.compile(r"(本院(经审理|经审查)?认为|本院再审认为|本院二审认为|本院审查认为)")
_LOWER_REASONING = re.compile(
    r"(一审|原审|原一审|二审|原二审)(法院|判决|裁定|人民法院)?(经审理|经审查)?认为|"
    r"[^\n。]{0,30}法院(一审|经审理|审理)?认为|"
    r"(一审|原审|原一审)(法院|判决)?[^\n。，]{0,6}(依照|依据|根据)|[^\n。，]{0,30}法院(依照|依据|根据)"
)


@dataclass(frozen=True)
class Span:
    start: int
    end: int
    section: str | None = None

    def text(self, full: str) -> str:
        return full[self.start : self.end]


def sentences(text: str, start: int = 0, end: int | None = None) -> list[Span]:
    """Sentences of ``text[start:end]`` as spans (leading blanks skipped, end punctuation kept)."""
    end = len(text) if end is None else end
    out: list[Span] = []
    pos = start
    for m in _SENTENCE_END.finditer(text, start, end):
        s, e = pos, m.end() if not m.group().startswith("\n") else m.start()
        while s < e and text[s] in " \t\u3000\n":
            s += 1
        if e > s:
            out.append(Span(s, e))
        pos = m.end()
    s = pos
    while s < end and text[s] in " \t\u3000\n":
        s += 1
    if end > s:
        out.append(Span(s, end))
    return out


def _paragraph_end(text: str, pos: int) -> int:
    nl = text.find("\n", pos)
    return len(text) if nl < 0 else nl


def operative_span(record: JudgmentRecord) -> Span | None:
    """The operative orders: the parser's section, else from 判决/裁定如下 to the fee/appeal lines."""
    spans = record.section_spans(SectionName.operative)
    if spans:
        return Span(spans[0].start, spans[-1].end, SectionName.operative.value)
    text = record.text
    last = None
    for m in _OPERATIVE_PHRASE.finditer(text):
        last = m
    if last is None:
        return None
    start = last.end()
    m_end = _OPERATIVE_END.search(text, start)
    end = m_end.start() if m_end else len(text)
    return Span(start, end, SectionName.operative.value)


def reasoning_spans(record: JudgmentRecord) -> list[Span]:
    """The court's own reasoning (本院认为 …): the parser's section, else found in the text."""
    spans = record.section_spans(SectionName.reasoning)
    if spans:
        # One block from the first 本院认为 to the operative orders: a paragraph inside it that the
        # parser named otherwise (被告辩称其…，但未举证) is still the court speaking.
        start, end = spans[0].start, spans[-1].end
        op = operative_span(record)
        if op and op.start > end:
            end = op.start
        return [Span(start, end, SectionName.reasoning.value)]
    text = record.text
    m = None
    for m_i in _OWN_REASONING.finditer(text):
        m = m_i
        break
    if m is None:
        return []
    op = operative_span(record)
    end = op.start if op and op.start > m.start() else len(text)
    phrase = None
    for p in _OPERATIVE_PHRASE.finditer(text, m.start(), end if end > m.start() else len(text)):
        phrase = p
    if phrase is not None:
        end = phrase.end()
    return [Span(m.start(), end, SectionName.reasoning.value)]


def lower_court_reasoning_spans(record: JudgmentRecord) -> list[Span]:
    """Where an appeal or retrial quotes the lower court's reasoning (一审法院认为 … 一审法院依照 … 判决).

    A quote runs from its opening paragraph until a paragraph where a party or this court speaks.
    """
    text = record.text
    own = reasoning_spans(record)
    limit = own[0].start if own else len(text)
    out: list[Span] = []
    for m in _LOWER_REASONING.finditer(text, 0, limit):
        para_start = text.rfind("\n", 0, m.start()) + 1
        if m.start() - para_start > 40:  # the phrase must open its paragraph (or nearly)
            continue
        if out and para_start < out[-1].end:
            continue
        end = min(_paragraph_end(text, m.end()), limit)
        while end < limit:
            nxt = end + 1
            if _QUOTE_STOP.match(text, nxt):
                break
            end = min(_paragraph_end(text, nxt), limit)
        out.append(Span(para_start, end, section_at(record, para_start)))
    # A lower court's decision sentence inside a paragraph that opens otherwise (texts run together).
    for m in _LOWER_DECISION_SENTENCE.finditer(text, 0, limit):
        if not any(s.start <= m.start() < s.end for s in out):
            out.append(Span(m.start(), m.end(), section_at(record, m.start())))
    return sorted(out, key=lambda s: s.start)


_LOWER_DECISION_SENTENCE = re.compile(
    r"(?<=[。\n])[^。\n]{0,30}法院[^。\n]{0,10}(依照|依据|根据)[^。\n]{0,80}行政诉讼法[^。\n]{0,200}?(判决|裁定)[^。\n]*。?"
)


_QUOTE_STOP = re.compile(
    r"\s*(上诉人|被上诉人|一审第三人|原审第三人|原审原告|原审被告|再审申请人|被申请人|二审|本院|申请人|原告|被告|"
    r"第三人|经审理|经审查|当事人)(?!法院)|[^\n]{0,30}(不服|上诉称|上诉请求|辩称|答辩称|述称)"
)


def section_at(record: JudgmentRecord, pos: int) -> str | None:
    """The code of the parser's section containing ``pos`` (or of the fallback reasoning)."""
    for s in record.sections:
        if s.start <= pos < s.end:
            return s.name.value
    for span in reasoning_spans(record):
        if span.start <= pos < span.end:
            return SectionName.reasoning.value
    op = operative_span(record)
    if op and op.start <= pos < op.end:
        return SectionName.operative.value
    return None
