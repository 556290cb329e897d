"""Request and response shapes, one family per resource."""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel, Field


class ErrorBody(BaseModel):
    code: str
    message: str


# -- cases ---------------------------------------------------------------------------------------
class CaseSummary(BaseModel):
    id: int
    case_no: str | None = None
    title: str | None = None
    display_title: str | None = None
    court: str | None = None
    judgment_date: str | None = None
    procedure: str | None = None
    procedure_zh: str | None = None
    outcome: str | None = None
    outcome_zh: str | None = None
    action_type: str | None = None
    action_type_zh: str | None = None
    field: str | None = None
    field_zh: str | None = None
    loss_causes: list[str] = []
    loss_causes_zh: list[str | None] = []
    defendants: list[str] = []
    plaintiffs: list[str] = []


class Evidence(BaseModel):
    text: str | None = None
    start: int | None = None
    end: int | None = None


class CauseOut(BaseModel):
    cause: str
    zh: str | None = None
    source: str | None = None
    probability: float | None = None
    evidence: list[Evidence] = []


class Section(BaseModel):
    name: str
    zh: str
    html: str = Field(
        description="the section's text, HTML-escaped, evidence wrapped in <mark class=evidence>"
    )


class CaseDetail(CaseSummary):
    doc_kind: str | None = None
    fields: list[tuple[str, str]] = Field([], description="the extracted fields as (Chinese label, value)")
    sections: list[Section] = []
    agency_head_appeared: bool | None = None
    tags: dict[str, Any] = {}
    causes: list[CauseOut] = []
    record: dict[str, Any] = {}
    corrections: list[dict[str, Any]] = []
    documents: list[dict[str, Any]] = []


class CaseUpdate(BaseModel):
    """A reviewer's correction of one tag or field: stored with who and why."""

    field: str = Field(
        description="outcome, loss_causes, cause_evidence ({cause, text}: the verbatim sentence proving a cause), "
        "action_type, field, ruling_forms, defendants, plaintiffs, agency_head_appeared"
    )
    value: Any
    reason: str | None = Field(None, max_length=2000)


# -- search --------------------------------------------------------------------------------------
class SearchHit(CaseSummary):
    score: float = 0.0
    snippet: str = ""


class FacetValue(BaseModel):
    value: Any
    count: int
    label: str
    filter: str


class Facet(BaseModel):
    title: str
    values: list[FacetValue]


class SearchResponse(BaseModel):
    query: str
    total: int
    page: int
    size: int
    sort: str
    hits: list[SearchHit]
    facets: dict[str, Facet]
    suggestions: list[str] = []  # 您是不是要找: corrected queries when nothing was found


# -- uploads -------------------------------------------------------------------------------------
class UploadResponse(BaseModel):
    batch_id: str
    files: int


# -- collections ---------------------------------------------------------------------------------
class CollectionRequest(BaseModel):
    ids: list[int] = Field(default_factory=list, max_length=100)
    kind: str = Field("collection", description="collection (典型案例汇编) or bulletin (季度通报)")
    title: str = Field("行政机关败诉典型案例汇编", max_length=200)
    format: str = Field("docx", description="docx or pdf (pdf needs LibreOffice on the server)")
    period: str | None = Field(None, description="the bulletin's period, e.g. 2024Q2, 2024, 2024-05")


class BasketUpdate(BaseModel):
    add: list[int] = []
    remove: list[int] = []
    clear: bool = False


# -- users and auth ------------------------------------------------------------------------------
class LoginRequest(BaseModel):
    username: str
    password: str


class UserOut(BaseModel):
    username: str
    role: str
    role_zh: str | None = None
    agency_id: str | None = None
    active: bool = True


class UserCreate(BaseModel):
    username: str
    password: str
    role: str
    agency_id: str | None = None


class UserUpdate(BaseModel):
    """An administrator's change to an account: a new password and/or enabling/disabling it."""

    password: str | None = None
    active: bool | None = None


class TokenOut(BaseModel):
    token: str
    note: str = "令牌只显示这一次，请妥善保存；使用方式：Authorization: Bearer <令牌>"


# -- agencies ------------------------------------------------------------------------------------
class AgencyCreate(BaseModel):
    name: str
    aliases: list[str] = []


class UnmatchedResolve(BaseModel):
    name: str
    agency_id: int | None = None
