"""行政复议决定书: the second source of lessons beside court judgments.

A reconsideration decision is laid out as 行政复议法 (2023) §75 prescribes: the reconsideration body and the
title, its number (温政复决〔2024〕12号), 申请人 / 被申请人 / 第三人, the request and its reasons, the
respondent's reply, the facts found, the body's reasoning (本机关认为), the decision (决定如下), the notice of
the right to sue, the body's name and the date. It is parsed into the same :class:`JudgmentRecord` as a
judgment: ``court`` holds the reconsideration body, ``plaintiffs`` the applicants, ``defendants`` the
respondents, ``doc_kind`` is ``reconsideration_decision`` and ``procedure`` stays None (it is not a suit).
"""

from __future__ import annotations

import re

import ingest.citations as citations
import ingest.fields as fields
import ingest.fields_action as fields_action
from core.taxonomy import DocKind, SectionName
from ingest.openings import _section_norm
from ingest.parties import PARTY_LINE_RE, _clean_name, _split_names, find_aliases, operative_orders
from ingest.record import JudgmentRecord
from ingest.sections import find_sections

TITLE_RE = re.compile(r"^(?P<body>[^\n，。]{0,30}?)行政复议(?:决定书|终止决定书|调解书)$", re.M)
# 温政复决〔2024〕12号 · 临政复〔2023〕第5号 · 浙政复字（2022）8号: an agency's document number.
NUMBER_RE = re.compile(
    r"^[^\n\d〔（(\[［【]{1,16}?[〔（(\[［【]\s*((?:19|20)\d{2})\s*[〕）)\]］】]\s*(?:第)?\s*\d{1,6}\s*号(?:之[一二三四五六七八九十\d]+)?$",
    re.M,
)
_BODY_RE = re.compile(r"(人民政府|政府|局|委员会|办公室|厅|部|署|总局)$")
_ROLES = {"申请人": "plaintiffs", "被申请人": "defendants", "第三人": "third_parties"}


def is_reconsideration_decision(norm: str) -> bool:
    """A 行政复议决定书: its title in the header and both 申请人 and 被申请人 named."""
    head = "\n".join(norm.split("\n")[:12])
    return (
        bool(TITLE_RE.search(head)) and "被申请人" in norm and re.search(r"(?<!被)申请人", norm) is not None
    )


def find_number(norm: str) -> str | None:
    """The decision's own number on a line of the header, spaces removed, brackets as written."""
    head = "\n".join(norm.split("\n")[:12])
    m = NUMBER_RE.search(head)
    return re.sub(r"\s+", "", m.group(0)) if m else None


def find_body(norm: str, title_line: str | None) -> str | None:
    """The reconsideration body: the header line above the title, the title's own prefix, or the name
    above the date at the end."""
    lines = [ln.strip() for ln in norm.split("\n")[:12]]
    for i, line in enumerate(lines):
        m = TITLE_RE.match(line)
        if not m:
            continue
        if m.group("body") and _BODY_RE.search(m.group("body")):
            return m.group("body")
        if i > 0 and _BODY_RE.search(lines[i - 1]) and len(lines[i - 1]) <= 30:
            return lines[i - 1]
        break
    tail = [ln.strip() for ln in norm[-400:].split("\n") if ln.strip()]
    for line in reversed(tail):
        if _BODY_RE.search(line) and len(line) <= 30 and "，" not in line:
            return line
    return None


def parse_reconsideration(text: str, norm: str, offsets: list[int]) -> JudgmentRecord:
    """The record of one 行政复议决定书 (``norm``/``offsets``: the normalised text, as ``parse_text`` makes)."""
    record = JudgmentRecord(text=text, sections=find_sections(text, norm, offsets))
    record.doc_kind = DocKind.reconsideration_decision
    record.title = fields.find_title(norm)
    record.case_no = find_number(norm)
    record.court = find_body(norm, record.title)
    record.judgment_date = fields.find_date(norm)
    record.judgment_date_source = "signature" if record.judgment_date else None
    record.aliases = find_aliases(norm)
    parties_text = _section_norm(record, norm, offsets, SectionName.parties)
    found: dict[str, list[str]] = {"plaintiffs": [], "defendants": [], "third_parties": []}
    for m in PARTY_LINE_RE.finditer(parties_text or norm[:1500]):
        bucket = _ROLES.get(m.group("role"))
        if bucket is None:
            continue
        for name in _split_names(_clean_name(m.group("rest"))):
            if name and name not in found[bucket]:
                found[bucket].append(name)
    record.plaintiffs = found["plaintiffs"]
    record.defendants = found["defendants"]
    record.third_parties = found["third_parties"]
    record.citations = citations.find_citations(text, norm, offsets)
    record.cause_of_action = fields_action.find_cause_of_action(norm)
    record.sued_action = fields_action.find_sued_action(norm)
    record.operative_orders = operative_orders(record.section(SectionName.operative))
    return record
