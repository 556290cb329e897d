"""Plain data passed between the ingestion stages.

``read_document`` (bytes → :class:`ReadDocument`) and ``parse_text`` (text → :class:`JudgmentRecord`)
are the two halves of ingestion. All offsets are character offsets into ``ReadDocument.text``,
the text exactly as read (furniture removed, wrapped lines re-joined), so a quote can always be
shown verbatim and on its page.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

from pydantic import BaseModel, Field

from core.taxonomy import DocKind, Procedure, SectionName


class FileKind(StrEnum):
    text_pdf = "text_pdf"  # a PDF whose pages all had a usable text layer
    scan_pdf = "scan_pdf"  # a PDF with at least one page read by OCR
    docx = "docx"
    html = "html"
    text = "text"


class PageSource(StrEnum):
    text_layer = "text_layer"
    ocr = "ocr"
    docx = "docx"
    html = "html"
    plain = "plain"


class PageInfo(BaseModel):
    number: int  # 1-based
    source: PageSource
    quality: float = Field(ge=0.0, le=1.0)  # text-layer plausibility, or OCR mean confidence / 100
    start: int  # offset of the page's first character in ReadDocument.text
    end: int


class ReadDocument(BaseModel):
    """What a file says, before any understanding of it."""

    kind: FileKind
    text: str
    pages: list[PageInfo]
    warnings: list[str] = []  # codes: repaired, ocr_fallback, low_quality, ...
    # Lines removed as page furniture (print headers, page titles, 发布日期, URL footers), kept because a
    # web print-out's header may carry the only date of a judgment whose signature date is masked.
    furniture: list[str] = []


class Span(BaseModel):
    start: int
    end: int


class Section(BaseModel):
    name: SectionName
    start: int
    end: int


class Citation(BaseModel):
    """A cited norm: 《中华人民共和国行政诉讼法》第七十条第（三）项 → law, 70, None, 3."""

    law: str
    article: int | None = None
    paragraph: int | None = None
    item: int | None = None
    text: str  # as written in the judgment
    start: int
    end: int


class Person(BaseModel):
    role: str  # 审判长, 审判员, 人民陪审员, 书记员, 法官助理 ...
    name: str


class SuedAction(BaseModel):
    name: str | None = None  # 《认定工伤决定书》
    number: str | None = None  # 垫人社伤险认字〔2023〕71号
    text: str | None = None  # the sentence it was read from


class FirstInstance(BaseModel):
    court: str | None = None
    case_no: str | None = None
    result: str | None = None  # the first-instance operative text, when the appeal quotes it


class JudgmentRecord(BaseModel):
    """The structured record of one court document."""

    text: str
    title: str | None = None
    case_no: str | None = None  # normalised: （2019）豫0721行初15号
    court: str | None = None
    doc_kind: DocKind | None = None
    procedure: Procedure | None = None
    judgment_date: str | None = None  # ISO yyyy-mm-dd
    # "signature": the date under the signature block; "web_metadata": a web copy's 裁判日期/发布日期 line,
    # used only when the printed date is masked (××××年××月××日) or missing.
    judgment_date_source: str | None = None
    # 立案/受理: the date the court docketed the first-instance suit (an appeal gives the first instance's);
    # source: "docketed" (本院于…立案), "accepted" (…受理后), "filed" (于…向本院提起行政诉讼), "first_instance".
    filing_date: str | None = None
    filing_date_source: str | None = None
    # A publication date printed by the source (a web print-out's 发布日期): never a judgment date.
    published_date: str | None = None
    published_date_source: str | None = None
    # defendant name → role, where a defendant is not an ordinary one: "reconsideration_body" (复议机关 sued
    # because it upheld the act, 行政诉讼法第二十六条第二款).
    defendant_roles: dict[str, str] = {}
    plaintiffs: list[str] = []
    defendants: list[str] = []
    third_parties: list[str] = []
    applicants: list[str] = []  # the agency applying in an enforcement review
    respondents: list[str] = []  # 被申请人 / 被执行人 in an enforcement review
    aliases: dict[str, str] = {}  # abbreviation → full name, as the text defines them (以下简称…)
    agency_head_appeared: bool | None = None
    agency_head_evidence: Span | None = None
    cause_of_action: str | None = None  # 案由
    sued_action: SuedAction | None = None
    citations: list[Citation] = []
    judges: list[Person] = []
    clerk: str | None = None
    operative_orders: list[str] = []  # the numbered items of 判决/裁定如下
    original_case_nos: list[str] = []  # 原审案号 cited by an appeal / retrial
    first_instance: FirstInstance | None = None
    sections: list[Section] = []

    def section(self, name: SectionName) -> str:
        """The text of a section ('' when absent); several spans of one name are joined."""
        return "\n".join(self.text[s.start : s.end] for s in self.sections if s.name == name)

    def section_spans(self, name: SectionName) -> list[Section]:
        return [s for s in self.sections if s.name == name]


@dataclass(frozen=True)
class ReadLimits:
    """How much one file may cost to read (pages, bytes, time, memory) and how OCR runs."""

    max_pages: int = 200
    max_bytes: int = 100 * 1024 * 1024
    parse_timeout_s: float = 120.0  # the whole text-layer extraction of one file
    ocr_timeout_s: float = 60.0  # per page
    ocr_lang: str = "chi_sim"
    ocr_dpi: int = 300
    ocr_threads: int = 1
    ocr_parallel: int = 1  # pages of one file OCR'd at once, each in its own sandbox (a long scan on N cores)
    ocr: bool = True  # False: never OCR; pages that need it stay empty (warning ocr_skipped)
    max_memory_mb: int = 1024  # address-space cap of the parsing child process
    max_unzipped_bytes: int = 64 * 1024 * 1024  # a DOCX's members together, once inflated
    max_chars: int = 1_000_000  # characters of text one document may have (200 dense pages ≈ 400 000)
    min_text_quality: float = 0.5  # below this plausibility a text layer is treated as garbage
    pdf_reader: str = "pdfium"  # "pdfium" (fast, falls back to pdfplumber by itself) or "pdfplumber"
