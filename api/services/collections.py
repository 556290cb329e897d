"""汇编 and 通报: the cases a user has chosen (kept in their session), a preview, and the two documents —
the typical-case collection (reports.collection) and the quarterly bulletin (reports.bulletin) — each
from its own options (``CollectionOptions``, ``BulletinOptions``): title, period, filters, 发文机关 and 文号.

An agency user's documents hold only their own agency's cases: filters cannot reach beyond it, and their
bulletin is titled with the agency's name, never 全县.
"""

from __future__ import annotations

import datetime as dt
import tempfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from sqlalchemy.orm import Session

from api.access import Scope
from api.errors import ApiError, Forbidden
from api.services.accounts import audit
from api.services.cases import get_visible, summary
from core.settings import Settings

MAX_CASES = 100
MEDIA = {
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "pdf": "application/pdf",
}
DEFAULT_COLLECTION_TITLE = "行政机关败诉典型案例汇编"
PLACEHOLDER_BODY = "××"  # the default issuing body of an unconfigured install: "××县司法局"


@dataclass
class CollectionOptions:
    title: str = DEFAULT_COLLECTION_TITLE
    fmt: str = "docx"
    ids: list[int] = field(default_factory=list)  # chosen cases; empty: by the filters below
    period: str = ""
    causes: list[str] = field(default_factory=list)
    fields: list[str] = field(default_factory=list)
    agency_ids: list[int] = field(default_factory=list)
    issuing_body: str = ""
    number: str = ""


@dataclass
class BulletinOptions:
    period: str = ""
    title: str = ""  # empty: 关于{期间}{全县行政机关 | 单位名称}行政诉讼案件情况的通报
    fmt: str = "docx"
    issuing_body: str = ""
    number: str = ""
    ours_only: bool = False
    allow_empty: bool = False  # write the bulletin of a period without any case all the same


def clean_ids(ids: list[int]) -> list[int]:
    return list(dict.fromkeys(int(i) for i in ids))[:MAX_CASES]


def preview(s: Session, scope: Scope, ids: list[int]) -> list[dict[str, Any]]:
    out = []
    for jid in clean_ids(ids):
        try:
            out.append(summary(get_visible(s, scope, jid)))
        except ApiError:
            continue  # deleted or not visible: silently dropped from the basket
    return out


def own_agency(s: Session, scope: Scope) -> tuple[list[int] | None, str | None]:
    """(registry ids, name) of an agency user's agency; (None, None) for bureau staff. An agency account
    without a registry agency can make no document."""
    if not scope.restricted:
        return None, None
    own = scope.agency_id or ""
    if not own.isdigit():
        raise Forbidden("您的账号没有关联单位名录中的单位，无法生成文档")
    from core.models import Agency

    agency = s.get(Agency, int(own))
    if agency is None:
        raise Forbidden("您的账号没有关联单位名录中的单位，无法生成文档")
    return [agency.id], agency.name


def default_issuing_body(s: Session, settings: Settings, scope: Scope) -> str:
    """The 发文机关 a form starts with: an agency user's own agency, otherwise the bureau's (settings)."""
    _, name = own_agency(s, scope) if scope.restricted and (scope.agency_id or "").isdigit() else (None, None)
    return name or settings.issuing_body


def issuing_body_unset(settings: Settings) -> bool:
    return PLACEHOLDER_BODY in settings.issuing_body


def _checked_format(fmt: str) -> str:
    if fmt not in MEDIA:
        raise ApiError("导出格式只能是 docx 或 pdf", code="invalid_format")
    return fmt


def _issuing(s: Session, settings: Settings, scope: Scope, given: str) -> str:
    return given.strip()[:60] or default_issuing_body(s, settings, scope)


def export_collection(
    s: Session, settings: Settings, scope: Scope, o: CollectionOptions, ip: str | None = None
) -> tuple[str, str, bytes]:
    """(filename, media type, bytes) of the typical-case collection: the chosen cases, or the lost cases
    matching period, causes, fields and agencies. Nothing matching: NothingSelected (a warning, no file)."""
    from core.taxonomy import Field, LossCause
    from reports.collection import CollectionFilter, make_collection
    from reports.stats import Period

    fmt = _checked_format(o.fmt)
    own_ids, _ = own_agency(s, scope)
    issuing = _issuing(s, settings, scope, o.issuing_body)
    title = o.title.strip()[:200] or DEFAULT_COLLECTION_TITLE
    if o.ids:
        chosen = [c["id"] for c in preview(s, scope, o.ids)]
        if not chosen:
            raise ApiError("汇编中还没有案件：请先从检索结果或案件页加入案件", code="empty_collection")
        flt = CollectionFilter(judgment_ids=chosen)
    else:
        for values, enum, what in ((o.causes, LossCause, "败诉原因"), (o.fields, Field, "执法领域")):
            if unknown := [v for v in values if not enum.parse(v)]:
                raise ApiError(f"不认识的{what}“{unknown[0][:20]}”", code="invalid_filter")
        causes = [c for c in o.causes if LossCause.parse(c)]
        fields = [f for f in o.fields if Field.parse(f)]
        agency_ids = own_ids if own_ids is not None else (o.agency_ids or None)
        flt = CollectionFilter(
            causes=causes, fields=fields, period=Period.parse(o.period), agency_ids=agency_ids
        )
    with tempfile.TemporaryDirectory(prefix="anjian-export-") as tmp:
        out = Path(tmp) / f"export.{fmt}"
        result = make_collection(
            s, settings, flt, out, title=title, issuing_body=issuing, number=o.number.strip()[:60] or None
        )
        data = out.read_bytes()
    detail = {"ids": flt.judgment_ids, "filter": flt.describe(), "cases": result.cases}
    audit(
        s,
        "export",
        user=scope.username,
        target="collection",
        ip=ip,
        detail={**detail, "format": fmt, "title": title, "issuing_body": issuing, "number": o.number},
    )
    return f"{title}-{dt.date.today():%Y%m%d}.{fmt}", MEDIA[fmt], data


def export_bulletin(
    s: Session, settings: Settings, scope: Scope, o: BulletinOptions, ip: str | None = None
) -> tuple[str, str, bytes]:
    """(filename, media type, bytes) of the bulletin of a period (a quarter, a year, a month or a range).
    A period without any case: EmptyPeriod (a warning, no file) unless ``allow_empty``."""
    from reports.bulletin import make_bulletin

    fmt = _checked_format(o.fmt)
    period = o.period.strip()
    if not period:
        raise ApiError("请填写通报期间，例如 2024Q2", code="period_required")
    agency_ids, agency_name = own_agency(s, scope)
    issuing = _issuing(s, settings, scope, o.issuing_body)
    with tempfile.TemporaryDirectory(prefix="anjian-export-") as tmp:
        out = Path(tmp) / f"export.{fmt}"
        result = make_bulletin(
            s,
            settings,
            None,
            out,
            period=period,
            agency_ids=agency_ids,
            ours_only=o.ours_only and agency_ids is None,
            number=o.number.strip()[:60],
            title=o.title.strip()[:200] or None,
            issuing_body=issuing,
            scope_name=agency_name,
            refuse_empty=not o.allow_empty,
        )
        data = out.read_bytes()
    audit(
        s,
        "export",
        user=scope.username,
        target="bulletin",
        ip=ip,
        detail={
            "period": period,
            "agency_ids": agency_ids,
            "format": fmt,
            "title": o.title,
            "issuing_body": issuing,
            "number": o.number,
            "cases": result.cases,
        },
    )
    return f"{o.title.strip() or period + '通报'}.{fmt}", MEDIA[fmt], data


def export(
    s: Session,
    settings: Settings,
    scope: Scope,
    ids: list[int],
    kind: str,
    title: str,
    fmt: str = "docx",
    period: str | None = None,
    ip: str | None = None,
    **options: Any,
) -> tuple[str, str, bytes]:
    """The JSON API's one call for both documents (kind 'collection' or 'bulletin'). A collection takes the
    chosen ``ids``, or a filter (period, causes, fields, agencies); with neither it is refused (never every
    lost case of all time by accident)."""
    if kind == "collection":
        if not ids and not (period or any(options.get(k) for k in ("causes", "fields", "agency_ids"))):
            raise ApiError(
                "汇编中还没有案件：请先从检索结果或案件页加入案件，或给出筛选条件", code="empty_collection"
            )
        return export_collection(
            s,
            settings,
            scope,
            CollectionOptions(title=title, fmt=fmt, ids=ids, period=period or "", **options),
            ip,
        )
    if kind == "bulletin":
        bulletin_title = "" if title == DEFAULT_COLLECTION_TITLE else title
        return export_bulletin(
            s,
            settings,
            scope,
            BulletinOptions(period=period or "", title=bulletin_title, fmt=fmt, **options),
            ip,
        )
    raise ApiError(f"未知的导出类型“{kind}”", code="invalid_kind")
