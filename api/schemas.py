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
    corrections: list[dict[str, Any]] = Field(
        [],
        description="review history: kind confirmed|corrected, text in words; no user/reason for agency users",
    )
    review: dict[str, dict[str, Any]] = Field(
        {}, description="per field the last review: verb 已确认|已更正, user (none for agency users), at"
    )
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
    period: str | None = Field(
        None, description="the bulletin's period (2024Q2, 2024, 2024-05, 2022..2024); the collection's filter"
    )
    issuing_body: str = Field("", max_length=60, description="发文机关 (empty: the settings' issuing body)")
    number: str = Field("", max_length=60, description="文号, e.g. 垫司通〔2024〕3号 (empty: none)")
    causes: list[str] = Field(default_factory=list, description="collection by filter: loss-cause codes")
    fields: list[str] = Field(default_factory=list, description="collection by filter: field codes")
    agency_ids: list[int] = Field(default_factory=list, description="collection by filter: registry ids")
    allow_empty: bool = Field(False, description="bulletin: write it even when the period has no case")


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
    kind: str | None = None  # AgencyKind code or Chinese label; default: guessed from the name
    level: str | None = None
    parent: str | None = None
    field: str | None = None
    ours: bool = True


class AgencyUpdate(BaseModel):
    """Only the fields given change: kind, level, parent (所属政府), field, ours (本县单位)."""

    kind: str | None = None
    level: str | None = None
    parent: str | None = None
    field: str | None = None
    ours: bool | None = None


class UnmatchedResolve(BaseModel):
    name: str
    agency_id: int | None = None


# -- suits (issue 15) ----------------------------------------------------------------------------
class SuitCreate(BaseModel):
    """Dates as ISO text (2024-05-20); a wrong date gets a Chinese message from the register."""

    papers_received: str = Field(description="收到应诉材料的日期（3 个工作日报备期限从次日起算）")
    plaintiffs: list[str] = Field(description="原告")
    court: str = Field(description="受理法院（一审）")
    sued_action: str = Field(description="被诉行政行为")
    case_no: str | None = Field(None, description="案号（可暂缺，之后由裁判文书补上）")
    agency_id: int | None = Field(None, description="被诉单位编号；单位账号缺省为本单位")
    reported_on: str | None = Field(None, description="报备日期，缺省为今天")
    action_type: str | None = Field(None, description="行为类型（分类表代码或中文名）")
    field: str | None = Field(None, description="管理领域（分类表代码或中文名）")


class MeasureIn(BaseModel):
    text: str
    owner: str | None = None
    due: str | None = None
    status: str | None = Field(None, description="planned 未开始 / doing 整改中 / done 已完成")


class LossReport(BaseModel):
    causes: list[str] = Field([], description="败诉原因（分类表代码或中文名）")
    analysis: str = Field("", description="败诉原因分析")
    measures: list[MeasureIn] = Field([], description="整改措施（至少一项）")
    agency_id: int | None = None
    reported_on: str | None = None


class DiscussionIn(BaseModel):
    held_on: str
    participants: str = ""
    decision: str = Field(description="correct 纠正 / maintain 坚持 / mediate 协调化解")
    note: str = ""
    agency_id: int | None = None


class Withdrawal(BaseModel):
    after_correction: bool = Field(False, description="行政机关纠正后原告撤诉（实质性化解）")


class ReminderSettings(BaseModel):
    email: str | None = None
    email_on: bool = False
    webhook_url: str | None = None
    webhook_on: bool = False
