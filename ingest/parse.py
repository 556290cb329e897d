"""Text → :class:`JudgmentRecord`: recognise a court document, split it, extract its fields.

``parse_text`` is pure: it takes the text as read and returns a record whose offsets point into it.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

import ingest.citations as citations
import ingest.fields as fields
import ingest.fields_action as fields_action
import ingest.fields_places as fields_places
import ingest.parties as parties
import ingest.party_names as party_names
import ingest.reconsideration as reconsideration
from core.taxonomy import RejectReason, SectionName
from ingest.errors import Rejected
from ingest.normalize import normalize, reflow
from ingest.record import JudgmentRecord
from ingest.sections import find_sections

_COURT_WORD_RE = re.compile(r"(人民法院|法院|法庭)")
_DOC_WORD_RE = re.compile(
    r"(判决书|裁定书|调解书|决定书|判决如下|裁定如下|调解协议|准予强制执行|驳回[^\n]{0,10}(请求|起诉|上诉|申请))"
)
_ROLE_WORD_RE = re.compile(
    r"(原告|被告|上诉人|申请执行人|被执行人|再审申请人|申请人|第三人|审判长|审判员|书记员)"
)


def is_judgment(text: str, norm: str | None = None) -> bool:
    """A court document: parties in court roles and at least two of a court in the header, a case
    number, a judgment's title and a judgment's wording (one of them may be lost to OCR); or a
    行政复议决定书. ``norm``: the text already normalised, when the caller has it."""
    if norm is None:
        norm, _ = normalize(text[:200_000])
    case_no, _ = fields.find_case_no(norm)
    signals = [
        bool(_COURT_WORD_RE.search(norm[:800])),
        case_no is not None,
        fields.find_title(norm) is not None,
        bool(_DOC_WORD_RE.search(norm)),
    ]
    has_roles = len(set(_ROLE_WORD_RE.findall(norm))) >= 2
    return has_roles and sum(signals) >= 2 or reconsideration.is_reconsideration_decision(norm)


def parse_text(text: str, furniture: Sequence[str] = ()) -> JudgmentRecord:
    """Parse one document's text; raises ``Rejected(not_judgment)`` when it is not a court document.

    ``furniture``: the page-furniture lines the reader removed (ReadDocument.furniture); a web print-out's
    裁判日期/发布日期 there dates a judgment whose printed date is masked."""
    if not text or not text.strip():
        raise Rejected(RejectReason.blank, "文件没有可读的文字内容。")
    normalised = normalize(text)
    if not is_judgment(text, normalised[0][:200_000]):
        raise Rejected(
            RejectReason.not_judgment, "未识别到法院名称、案号或裁判用语，不是裁判文书或行政复议决定书。"
        )
    norm, offsets = reflow(*normalised)
    norm = repair_ocr(norm)
    if reconsideration.is_reconsideration_decision(norm):
        return reconsideration.parse_reconsideration(text, norm, offsets)
    sections = find_sections(text, norm, offsets)
    record = JudgmentRecord(text=text, sections=sections)
    record.title = fields.find_title(norm)
    record.case_no, _ = fields.find_case_no(norm)
    record.court = fields_places.repair_court(fields.find_court(norm), norm)
    record.case_no = fields.repair_case_no_province(record.case_no, record.court)
    record.court = fields.repair_court_by_code(record.court, record.case_no)
    record.case_no = fields.repair_old_style_place(record.case_no, record.court)
    record.doc_kind = fields.find_doc_kind(record.title, norm)
    record.procedure = fields.find_procedure(record.case_no, record.title, norm)
    _fill_dates(record, norm, furniture)
    record.judges, record.clerk = fields.find_signatures(norm)
    parties.fill_parties(record, norm, offsets)
    _repair_agency_places(record, norm)
    record.citations = citations.find_citations(text, norm, offsets)
    record.cause_of_action = fields_action.find_cause_of_action(norm)
    record.sued_action = fields_action.find_sued_action(norm)
    _fill_history(record, norm)
    return record


def _fill_dates(record: JudgmentRecord, norm: str, furniture: Sequence[str]) -> None:
    """The signature date; a web copy's 裁判日期 only when the document prints no date at all (a masked
    ××××年××月××日 stays null); its 发布日期 is a publication date and only ever ``published_date``;
    the filing date from the trial history."""
    year = re.match(r"（(\d{4})）", record.case_no or "")
    signed = fields.find_date(norm, int(year.group(1)) if year else None)
    record.judgment_date = _plausible_date(signed, record.case_no)
    record.judgment_date_source = "signature" if record.judgment_date else None
    meta = "\n".join(furniture) + "\n" + norm[:800]
    if record.judgment_date is None and not signed and not fields.signature_date_masked(norm):
        record.judgment_date = _plausible_date(fields.find_web_date(meta, "裁判日期"), record.case_no)
        record.judgment_date_source = "web_metadata" if record.judgment_date else None
    record.published_date = fields.find_web_date(meta, "发布日期")
    record.published_date_source = "web_metadata" if record.published_date else None
    record.filing_date, record.filing_date_source = fields.find_filing_date(norm, record.procedure)


def norm_section(record: JudgmentRecord, norm: str, name: SectionName) -> str:
    """A section's text in the normalised form (normalising is local: a section normalises alone)."""
    return reflow(*normalize(record.section(name)))[0]


def _repair_agency_places(record: JudgmentRecord, norm: str) -> None:
    """OCR misreads of the place at the start of an agency's name (淑浦县… → 溆浦县…)."""
    reg = fields_places.regions()
    province = reg.province_of(record.court.removeprefix("中华人民共和国")) if reg and record.court else None
    for attr in ("defendants", "applicants", "plaintiffs", "third_parties"):
        names = getattr(record, attr)
        fixed = [
            fields_places.repair_department(fields_places.repair_agency(n, province, norm))
            if party_names.looks_like_agency(n)
            else n
            for n in names
        ]
        setattr(record, attr, list(dict.fromkeys(fixed)))


def _plausible_date(iso: str | None, case_no: str | None) -> str | None:
    """A signature date before the case was filed, or years after it, is a misread: better none."""
    if not iso or not case_no:
        return iso
    m = re.match(r"（(\d{4})）", case_no)
    if m and not int(m.group(1)) - 1 <= int(iso[:4]) <= int(m.group(1)) + 5:
        return None
    return iso


def repair_ocr(norm: str) -> str:
    """Same-length fixes of OCR confusions that matter to matching: 〈/《 read for （ before 以下简称 or a year."""
    norm = re.sub(r"[〈<](?=(以下|下)?简称)", "（", norm)
    norm = re.sub(
        r"[〈《<](?=[^）)》〉>（(\n]{1,20}[）)](?![^《\n]{0,30}》))", "（", norm
    )  # 〈原审被告） → （原审被告）
    norm = re.sub(r"[〈<《](?=\s?(19|20)\d{2}\s?[)）〉>》])", "（", norm)
    norm = re.sub(r"(?<=\d)[\]|lI!](?=\d*号)", "1", norm)  # 12]号 → 121号
    return re.sub(r"(?<=[（(](?:19|20)\d{2})[〉>]", "）", norm)


def _fill_history(record: JudgmentRecord, norm: str) -> None:
    """Other case numbers cited (原审案号) and the operative orders."""
    own = record.case_no
    history = "\n".join(
        norm_section(record, norm, name)
        for name in (SectionName.header, SectionName.history, SectionName.claims)
    )
    record.original_case_nos = [cn for cn in fields.all_case_nos(history) if cn != own]
    if own:  # 补正 rulings and the like cite their own number with a suffix (…号之一)
        record.original_case_nos = [cn for cn in record.original_case_nos if not own.startswith(cn[:-1])]
    operative = record.section(SectionName.operative)
    record.operative_orders = parties.operative_orders(operative)
    record.first_instance = parties.first_instance(record, norm)
