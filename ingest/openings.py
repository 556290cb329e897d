"""Parties read from the sentence that opens the history, where a judgment has no party block, and from
the places a text role-marks a party later (被告Y辩称, the attendance sentence, the orders).

Shapes: ``原告X诉被告Y（以下简称Z）…一案``, ``X因诉Y、Z…一案``, ``本院在审理原告X诉被告Y…案过程中``,
``本院收到起诉人X的行政起诉状，起诉人以Y为被告``, ``再审申请人X因诉被申请人Y…``,
``申请执行人X申请强制执行被执行人Y…`` — cut after the case: what follows is procedure, not parties.
"""

from __future__ import annotations

import re

from core.taxonomy import Procedure, SectionName
from ingest.party_names import (
    _AGENCY_END_RE,
    _COURT_NAME_RE,
    _ROLE_ALT,
    APPLICANT,
    DEFENDANT,
    PLAINTIFF,
    RESPONDENT,
    THIRD,
    _add,
    _agency_prefix,
    _name_of_piece,
    _starts_with_a_place,
    looks_like_agency,
    original_role,
)
from ingest.record import JudgmentRecord

_MARKER_RE = re.compile(
    rf"(?P<role>{_ROLE_ALT})(?P<paren>[（(][^）)]{{1,20}}[）)])?[:：]?|(?P<conn>因诉|因与|因认为|诉(?![称讼])|不服|与)"
)

_SEGMENT_END_RE = re.compile(
    r"一案|案(?:件)?过程中|因(?![诉与])|。|；|作出的|提起|向本院|于\d|等\d*[一二三四五六七八九十]*人|的(?!士)|"
    r"要求|请求|认为|主张|诉请|申请(?!人)|提交|递交|提出|不履行|未履行|对(?=被告|被上诉人|被申请人|第三人)"
)

_ALIAS_PAREN_RE = re.compile(r"^[（(](以下|下)?简称[^）)]*[）)]")


def _next_separator(seg: str) -> re.Match[str] | None:
    for m in re.finditer(r"[、，,]|和|及|以及", seg):
        if m.group(0) in "、，," or _AGENCY_END_RE.search(seg[: m.start()][-4:]):
            return m
    return None


def _names_in_segment(seg: str) -> list[str]:
    """Names in ``甲（以下简称A）、乙，丙劳动行政管理`` → [甲, 乙, 丙]."""
    names: list[str] = []
    after_case = False  # past a cause of action: only an agency with its own act follows (A征收、B复议)
    seg = re.sub(r"(?<=[\u4e00-\u9fa5]{2})(?:以及|及|与)$", "", seg)  # 牛德敏及〈next role〉
    while seg:
        seg = seg.lstrip("、，,和及")
        if not seg:
            break
        m = re.match(
            r"((?:[^、，,（(]|[（(][^）)简]{1,20}[）)]){2,60}?)[（(](?:以下|下)?简称[^）)]*[）)]", seg
        )
        nxt = _next_separator(seg)
        if m and (not nxt or m.end(1) <= nxt.start()):
            if not after_case or looks_like_agency(_agency_prefix(m.group(1))):
                names.append(_agency_prefix(m.group(1)) if after_case else m.group(1))
            seg = seg[m.end() :]
            if seg and not re.match(r"[、，,和及]", seg):
                after_case = True  # what follows the defined short name is the case, not another party
            continue
        piece = seg[: nxt.start()] if nxt else seg
        seg = seg[nxt.end() :] if nxt else ""
        if after_case:
            pass  # the rest of a cause of action (政府信息公开、…) names no one
        else:
            _name_of_piece(piece, names)
        if not nxt:
            break
    return names


_OPENING_RE = re.compile(
    r"一案|案(?:件)?过程中|提起(行政)?(赔偿)?诉讼|向本院提出|申请强制执行|申请执行|收到[^。]{0,40}起诉状|收到起诉人"
)

_CASE_END_RE = re.compile(r"一案|案(?:件)?过程中|案件?中(?=[，,])")


def _opening_sentence(record: JudgmentRecord, norm: str, offsets: list[int]) -> str:
    """The sentence that names the parties: ``原告X诉被告Y…一案``, ``本院在审理原告X诉被告Y…案过程中``,
    ``本院收到起诉人X的行政起诉状`` …, cut after the case (what follows is procedure, not parties)."""
    history = _section_norm(record, norm, offsets, SectionName.history)
    text = history or norm
    for sentence in re.split(r"[。\n]", text):
        if _OPENING_RE.search(sentence):
            end = _CASE_END_RE.search(sentence)
            if end and _MARKER_RE.search(sentence[: end.start()]):
                tail = sentence[end.end() :]
                lower = re.match(r"[，,]?(不服[^，。]*)", tail)  # the lower court's judgment under appeal
                return sentence[: end.end()] + ("，" + lower.group(1) if lower else "")
            return sentence
    return ""


_ROLE_WORD_IN_ALIAS_RE = re.compile(rf"([（(](?:以下|下)?简称[:：]?[“\"]?)((?:{_ROLE_ALT})[^）)]*)([）)])")

_NAMED_AS_RE = re.compile(r"以([^，。；以]{2,40}?)为(被告|被申请人|第三人)")


def _from_opening(sentence: str, procedure: Procedure | None) -> dict[str, list[str]]:
    """Parties named in the history's opening sentence, when there are no party lines."""
    out: dict[str, list[str]] = {PLAINTIFF: [], DEFENDANT: [], THIRD: [], APPLICANT: [], RESPONDENT: []}
    # a short name that is itself a role word (原告X（以下简称原告）) is not a new party: mask it
    sentence = _ROLE_WORD_IN_ALIAS_RE.sub(
        lambda m: m.group(1) + "＿" * len(m.group(2)) + m.group(3), sentence
    )
    for m in _NAMED_AS_RE.finditer(sentence):  # 起诉人X以Y为被告
        role = {"被告": DEFENDANT, "被申请人": DEFENDANT, "第三人": THIRD}[m.group(2)]
        for name in _names_in_segment(m.group(1)):
            if role == THIRD or looks_like_agency(name):
                _add(out[role], name)
        sentence = sentence[: m.start()] + "，" * (m.end() - m.start()) + sentence[m.end() :]
    markers = list(_MARKER_RE.finditer(sentence))
    first_start = markers[0].start() if markers else len(sentence)
    subject = re.sub(r"^(本院|经审理|经审查)[^，]*?对", "", sentence[:first_start])
    subject = re.split(r"申请|于\d|因|不服|向本院", subject)[0]
    subject = re.sub(r"[（(](?:以下|下)?简称[^）)]*[）)]$", "", subject)  # X（以下简称京桥公司）诉…
    if (
        2 <= len(subject) <= 40
        and not re.search(r"[，。]|^本院|^[\d一二三四五六七八九十]+[.．、]", subject)
        and not _COURT_NAME_RE.search(subject)
    ):
        role = (
            APPLICANT
            if procedure == Procedure.enforcement_review and looks_like_agency(subject)
            else (DEFENDANT if looks_like_agency(subject) else PLAINTIFF)
        )
        _add(out[role], subject)
    for i, mk in enumerate(markers):
        seg_end = markers[i + 1].start() if i + 1 < len(markers) else len(sentence)
        seg = sentence[mk.end() : seg_end]
        stop = _SEGMENT_END_RE.search(seg)
        seg = seg[: stop.start()] if stop else seg
        if not seg or re.match(r"^(认为|因|对)", seg):
            continue
        for name in _names_in_segment(seg):
            named_role: str | None = None
            if mk.group("role"):
                named_role = original_role(mk.group("role"), mk.group("paren") or "", name, procedure)
            elif mk.group("conn") in ("诉", "因诉", "因与", "与", "不服", "因认为") and looks_like_agency(
                name
            ):
                named_role = DEFENDANT
            if named_role:
                _add(out[named_role], name)
    return out


_MARKED_RE = re.compile(
    r"(?:^|[，。、；\n])(?:被告|原审被告|一审被告|被上诉人（原审被告）|上诉人（原审被告）|被上诉人|再审被申请人)"
    r"([^，。；：、\n（(的]{2,40}?)(?:的(?:委托|诉讼)*代理人|的法定代表人|的负责人|委托(?:诉讼)?代理人|辩称|答辩称|述称)",
    re.M,
)


def _marked_elsewhere(norm: str) -> list[str]:
    """Defendants the text role-marks outside the party block: a body sued jointly (often the
    reconsideration body) named only as 被告Y的委托代理人… in the attendance sentence or 被告Y辩称."""
    names: list[str] = []
    for m in _MARKED_RE.finditer(norm):
        for part in re.split(r"及|和|、", m.group(1)):
            name = _agency_prefix(part)
            if looks_like_agency(name) and len(name) >= 5 and _starts_with_a_place(name):
                _add(names, name)
    return names


_ORDER_PARTY_RE = {
    PLAINTIFF: re.compile(
        r"(?<![被])原告([^，。；：、\n（(的]{2,40}?)(?:的(?:全部)?(?:诉讼请求|起诉)|负担|承担)"
    ),
    DEFENDANT: re.compile(
        r"(?:撤销|责令|判令)被告([^，。；：、\n（(的]{2,40}?)(?:作出|于\d|对|在|重新|履行|的)"
    ),
}


def _marked_in_orders(operative: str, role: str) -> list[str]:
    """驳回原告X的诉讼请求 / 由原告X负担 / 撤销被告Y作出的…: parties named only in the orders."""
    names: list[str] = []
    for m in _ORDER_PARTY_RE[role].finditer(operative):
        name = m.group(1)
        if role == DEFENDANT and not looks_like_agency(name):
            continue
        _add(names, name)
    return names


_CHALLENGED_RE = re.compile(
    r"(?:撤销|确认|判令|责令|要求|请求)([\u4e00-\u9fa5]{4,40}?)(?:作出的|作出|于\d|的|不履行|未履行)"
)


def _agency_whose_act_is_challenged(sentence: str) -> list[str]:
    for m in _CHALLENGED_RE.finditer(sentence):
        name = _agency_prefix(re.sub(r"^(?:依法)?(?:撤销|确认|判令|责令)", "", m.group(1)))
        if looks_like_agency(name):
            return [name]
    return []


def _section_norm(record: JudgmentRecord, norm: str, offsets: list[int], name: SectionName) -> str:
    """The normalised text of a section (sections hold raw offsets)."""
    import bisect

    parts = []
    for s in record.section_spans(name):
        a = bisect.bisect_left(offsets, s.start)
        b = bisect.bisect_left(offsets, s.end)
        parts.append(norm[a:b])
    return "\n".join(parts)


# --- the agency's responsible person in court ---------------------------------------------------
