"""汇编: the cases a user has chosen (kept in their session), a preview, and the exported documents
(the typical-case collection and the quarterly bulletin, built by reports.collection / reports.bulletin)."""

from __future__ import annotations

import datetime as dt
import tempfile
from pathlib import Path
from typing import Any

from sqlalchemy.orm import Session

from api.access import Scope
from api.errors import ApiError
from api.services.accounts import audit
from api.services.cases import get_visible, summary
from core.settings import Settings

MAX_CASES = 100
MEDIA = {
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "pdf": "application/pdf",
}


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
) -> tuple[str, str, bytes]:
    """(filename, media type, bytes) of the collection of the chosen cases (kind 'collection') or the bulletin
    of a period (kind 'bulletin'), built by the reports package; an agency user's bulletin covers their agency."""
    if fmt not in MEDIA:
        raise ApiError("导出格式只能是 docx 或 pdf", code="invalid_format")
    with tempfile.TemporaryDirectory(prefix="anjian-export-") as tmp:
        out = Path(tmp) / f"export.{fmt}"
        if kind == "collection":
            chosen = [c["id"] for c in preview(s, scope, ids)]
            if not chosen:
                raise ApiError("汇编中还没有案件：请先从检索结果或案件页加入案件", code="empty_collection")
            from reports.collection import CollectionFilter, make_collection

            result = make_collection(
                s, settings, CollectionFilter(judgment_ids=chosen), out, title=title or None
            )
            name, detail = (
                f"{title or '典型案例汇编'}-{dt.date.today():%Y%m%d}.{fmt}",
                {"ids": chosen, "cases": result.cases},
            )
        elif kind == "bulletin":
            if not period:
                raise ApiError("请填写通报期间，例如 2024Q2", code="period_required")
            from reports.bulletin import make_bulletin

            own = scope.agency_id or ""
            agency_ids = [int(own)] if scope.restricted and own.isdigit() else None
            if scope.restricted and agency_ids is None:
                raise ApiError("您的账号没有关联单位名录中的单位，无法生成通报", code="forbidden", status=403)
            make_bulletin(s, settings, period.strip(), out, agency_ids=agency_ids)
            name, detail = f"{period.strip()}通报.{fmt}", {"period": period, "agency_ids": agency_ids}
        else:
            raise ApiError(f"未知的导出类型“{kind}”", code="invalid_kind")
        data = out.read_bytes()
    audit(
        s, "export", user=scope.username, target=kind, ip=ip, detail={**detail, "format": fmt, "title": title}
    )
    return name, MEDIA[fmt], data
