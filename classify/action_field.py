"""Action type and enforcement field: tables first, the model only above a probability, else `other`.

Action type: the 案由 when it names the act (a category 案由 such as 房屋拆迁管理（拆迁） or 行政纠纷 says
nothing, and the party names inside "…诉…局…一案" are cut away first), else the claims (诉讼请求) and
the sued act's name, else the category 案由; else the 案由 rows read where the text names the act
otherwise (:func:`act_named_elsewhere`: a 行政赔偿 title, the sentence that brings the case — "不服…提起
行政诉讼" / "申请强制执行…决定" — and the first sentence of the court's reasoning; last, the claim rows
over the reasoning's opening),
else the model — which abstains (`other`) below ``action_min_probability``.

Field: the agency's name (``classify.field_table``); for a government, township, street office or
development-zone committee the subject matter of the suit (its legal basis: 城乡规划法 / 土地管理法 →
natural_resources, 房屋征收 → housing_construction …), else local_government (TAXONOMY's rule);
otherwise the model, abstaining below ``field_min_probability``.
"""

from __future__ import annotations

import re

from classify.action_table import ACTION_BY_CASE_CAUSE, ACTION_BY_CLAIM, CATEGORY_CASE_CAUSE
from classify.features import agencies, case_cause, meta_text
from classify.field_table import FIELD_BY_AGENCY, FIELD_BY_LAW, FIELD_BY_SUBJECT, GENERAL_GOVERNMENT
from classify.model import CauseModel
from classify.types import Classification
from core.segment import words as tokens
from core.taxonomy import ActionType, Field, SectionName
from ingest.record import JudgmentRecord

_CASE_CAUSE_ROWS = [(re.compile(p), ActionType[a]) for p, a in ACTION_BY_CASE_CAUSE]
_CLAIM_ROWS = [(re.compile(p), ActionType[a]) for p, a in ACTION_BY_CLAIM]
_FIELD_ROWS = [(re.compile(p), Field[f]) for p, f in FIELD_BY_AGENCY]
_LAW_ROWS = [(re.compile(p), Field[f]) for p, f in FIELD_BY_LAW]
_SUBJECT_ROWS = [(re.compile(p), Field[f]) for p, f in FIELD_BY_SUBJECT]
_GOVERNMENT = re.compile(GENERAL_GOVERNMENT)
_CATEGORY = re.compile(CATEGORY_CASE_CAUSE)
_LEAD = re.compile(r"^[\s、，,及和与诉因（(）)]*(第三人[^，。]{0,30}?(?=行政|$))?")
_ENFORCE_TAIL = re.compile(r"(申请|要求)(强制)?执行$")
_SAYS = re.compile(r"诉称|上诉称|请求|要求")
_ALIAS = re.compile(r"[（(](以下)?简称[^）)]{0,20}[）)]")
_PARTY_WORDS = re.compile(r"(原告|被告|上诉人|被上诉人|原审|第三人|再审申请人|被申请人|申请人)")
# Where the request itself starts (诉讼请求： / 请求判令… / 要求确认…), not the narrative of the facts.
_REQUEST = re.compile(
    r"诉讼请求|请求[：:]|请求(人民法院|法院|本院|依法|判令|判决|确认|撤销|责令|被告|裁定)|要求(判令|确认|撤销|责令|被告)"
)


def informative_case_cause(record: JudgmentRecord) -> str:
    """The 案由 as it names the act: party names cut away, category 案由 dropped ("" when none)."""
    names = _names(record)
    return "|".join(p for p in _case_cause_parts(record, names) if not _CATEGORY.search(p))


def category_case_cause(record: JudgmentRecord) -> str:
    """A category 案由 (房屋登记管理（房屋登记）): read only when the claims and the sued act say nothing."""
    return "|".join(p for p in _case_cause_parts(record, _names(record)) if _CATEGORY.search(p))


def _names(record: JudgmentRecord) -> list[str]:
    people = record.defendants + record.plaintiffs + record.third_parties + record.applicants
    return sorted((n for n in people if n), key=len, reverse=True)


def _case_cause_parts(record: JudgmentRecord, names: list[str]) -> list[str]:
    """The 案由 phrases with the party names and roles cut away (…诉被告某局、某政府行政征收 → 行政征收)."""
    kept = []
    for phrase in case_cause(record).split("|"):
        phrase = _ALIAS.sub("", _cut_names(phrase, names))
        carry = ""
        for part in phrase.split("|"):
            if _PARTY_WORDS.search(part):
                part = part[max(m.end() for m in _PARTY_WORDS.finditer(part)) :]
            part = carry + _LEAD.sub("", part).strip("、，, ")
            # 要求强制执行<applicant>对…非法占地: what is enforced follows the applicant's name
            carry = part if _ENFORCE_TAIL.search(part) else ""
            if part and not carry:
                kept.append(part)
        if carry:
            kept.append(carry)
    return kept


def _cut_names(phrase: str, names: list[str]) -> str:
    """The phrase with every party name (longest first) replaced by "|"."""
    for n in names:
        phrase = phrase.replace(n, "|")
    return phrase


def claims_text(record: JudgmentRecord) -> str:
    """The sued act's name and the opening of the claims (诉讼请求 …)."""
    parts = []
    if record.sued_action and record.sued_action.name:
        parts.append(record.sued_action.name)
    claims = record.section(SectionName.claims)
    m = _REQUEST.search(claims) or _SAYS.search(claims)
    if m:
        parts.append(claims[m.start() : m.start() + 200])
    return "\n".join(parts)


# The sentence of the history that brings the case: a suit against the act (不服…向本院提起行政诉讼; not the
# appeal notice 不服本判决, not an appeal 提起上诉) or an application to enforce it (申请强制执行…决定;
# 申请执行人 is a party's role, not the application).
_BRINGS_CASE = re.compile(
    r"不服(?!本)[^。；\n]{2,120}?提起[^。；\n]{0,8}诉讼|(申请|要求)(强制)?执行(?!人|条件)[^。；\n]{2,120}"
)
# The reasoning's first sentence (本院认为，被告…作出的…处罚决定…) names the act as a 案由 does.
REASONING_OPENING = 200  # at most this many characters of it, as many as of the claims


def brings_case_text(record: JudgmentRecord) -> str:
    """The history's sentences that bring the case (party names cut away), joined by "|"."""
    history = record.section(SectionName.history) or record.text[:1500]
    names = _names(record)
    return "|".join(_cut_names(m.group(), names) for m in _BRINGS_CASE.finditer(history))


def reasoning_opening(record: JudgmentRecord, first_sentence: bool = True) -> str:
    """The first sentence of the court's reasoning, or its opening (at most ``REASONING_OPENING`` characters)."""
    text = record.section(SectionName.reasoning)
    return (text.split("。")[0] if first_sentence else text)[:REASONING_OPENING]


def act_named_elsewhere(record: JudgmentRecord) -> ActionType | None:
    """When neither the 案由 nor the claims name the act: the title (行政赔偿裁定书), the sentence that brings
    the case, then the first sentence of the reasoning — each read with the 案由 rows — and last the
    opening of the reasoning read with the claim rows."""
    return (
        _earliest(_CASE_CAUSE_ROWS, record.title or "")
        or _earliest(_CASE_CAUSE_ROWS, brings_case_text(record))
        or _earliest(_CASE_CAUSE_ROWS, reasoning_opening(record))
        or _earliest(_CLAIM_ROWS, reasoning_opening(record, first_sentence=False))
    )


def _earliest(rows: list[tuple[re.Pattern[str], ActionType]], text: str) -> ActionType | None:
    found = [(m.start(), rank, a) for rank, (p, a) in enumerate(rows) if (m := p.search(text))]
    # 复议 named beside the original act (…行政征收、…行政复议): the reconsideration body is a joint
    # defendant because it upheld the act, and the suit is about the original act (TAXONOMY)
    if len({a for _, _, a in found}) > 1:
        found = [f for f in found if f[2] != ActionType.reconsideration]
    return min(found)[2] if found else None


def action_type_of(record: JudgmentRecord) -> ActionType | None:
    """The action type the tables give (None: the model decides)."""
    by_cause = _earliest(_CASE_CAUSE_ROWS, informative_case_cause(record))
    joint = "reconsideration_body" in record.defendant_roles.values() or len(record.defendants) > 1
    if by_cause == ActionType.reconsideration and joint:
        # 复议维持: the original agency and the reconsideration body sued together — the act is the
        # original one, which the claims or the sued act name; when they do not, a defendant marked as the
        # reconsideration body means the review decision is not what is sued (TAXONOMY): the model reads
        # the original act; else it stays reconsideration
        claimed = _earliest(_CLAIM_ROWS, claims_text(record))
        if claimed not in (None, ActionType.reconsideration):
            return claimed
        return None if "reconsideration_body" in record.defendant_roles.values() else by_cause
    return (
        by_cause
        or _earliest(_CLAIM_ROWS, claims_text(record))
        or _earliest(_CASE_CAUSE_ROWS, category_case_cause(record))
        or act_named_elsewhere(record)
    )


def field_of(record: JudgmentRecord) -> Field | None:
    """The field the tables give (None: the model decides)."""
    names = agencies(record)
    for name in names:
        for pattern, f in _FIELD_ROWS:
            if pattern.search(name):
                return f
    if any(_GOVERNMENT.search(n) for n in names):
        laws = " ".join(sorted({c.law for c in record.citations}))
        subject = "\n".join((informative_case_cause(record), claims_text(record)))
        for rows, text in ((_LAW_ROWS, laws), (_SUBJECT_ROWS, subject)):
            for pattern, f in rows:
                if pattern.search(text):
                    return f
        return Field.local_government
    return None


def set_action_and_field(
    record: JudgmentRecord,
    model: CauseModel | None,
    result: Classification,
    action_min_probability: float,
    field_min_probability: float,
) -> None:
    result.action_type, result.action_type_probability = action_type_of(record), None
    result.field, result.field_probability = field_of(record), None
    if model is None or (result.action_type is not None and result.field is not None):
        return
    words = tokens(meta_text(record))
    if result.action_type is None:
        top = model.action_type(words)
        if top:
            sure = top[1] >= action_min_probability
            result.action_type = ActionType[top[0]] if sure else ActionType.other
            result.action_type_probability = top[1]
    if result.field is None:
        top = model.field(words)
        if top:
            sure = top[1] >= field_min_probability
            result.field = Field[top[0]] if sure else Field.other
            result.field_probability = top[1]
