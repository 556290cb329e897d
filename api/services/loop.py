"""以案促改 for the API and pages: an agency account records and sees its own department's meetings,
re-checks and recurrences; bureau staff see every department, the list of those without a meeting, and
produce the 工作提醒函, the annual disclosure and the quarterly accountability circular."""

from __future__ import annotations

import datetime as dt
import tempfile
from pathlib import Path
from typing import Any

from sqlalchemy.orm import Session

from api.access import Scope
from api.errors import ApiError, Forbidden
from api.services.suits import own_agency
from core.settings import Settings
from supervision import meetings

MEDIA = {
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "pdf": "application/pdf",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}


def mine(scope: Scope) -> list[int] | None:
    own = own_agency(scope)
    return None if own is None else [own]


def can_act(scope: Scope) -> None:
    if scope.role.value == "viewer":
        raise Forbidden("只读账号不能登记")


def bureau_only(scope: Scope) -> None:
    if scope.restricted:
        raise Forbidden("仅司法局工作人员可以进行此操作")


def acting_agency(scope: Scope, agency_id: int | None) -> int:
    own = own_agency(scope)
    if own is not None:
        if agency_id not in (None, own):
            raise Forbidden("单位账号只能为本单位登记")
        return own
    if agency_id is None:
        raise ApiError("请选择单位", code="agency_required")
    return agency_id


def overview(s: Session, settings: Settings, scope: Scope, year: int, today: dt.date) -> dict[str, Any]:
    ids = mine(scope)
    due = meetings.due_date(year, settings.lesson_meeting_due)
    return {
        "year": year,
        "due": due.isoformat(),
        "meetings": meetings.meetings(s, year, ids),
        "missing": [
            m for m in meetings.missing(s, year, min(today, due)) if ids is None or m["agency_id"] in ids
        ],
        "recurrences": meetings.recurrences(s, ids),
        "rechecks_due": meetings.rechecks_due(s, today, ids),
        "accountability": meetings.accountability(s, dt.date(year, 1, 1), dt.date(year + 1, 1, 1), ids),
    }


def document(
    s: Session,
    settings: Settings,
    scope: Scope,
    kind: str,
    fmt: str,
    *,
    agency_id: int | None = None,
    year: int | None = None,
    quarter: str | None = None,
    today: dt.date | None = None,
) -> tuple[str, str, bytes]:
    """(filename, media type, bytes) of a 工作提醒函 (kind 'letter'), the annual disclosure ('disclosure') or
    the quarterly accountability circular ('circular')."""
    from reports.loop_docs import make_accountability_circular, make_disclosure, make_letter
    from supervision.workdays import WorkCalendar

    bureau_only(scope)
    allowed = {"letter": ("docx", "pdf"), "disclosure": ("docx", "pdf", "xlsx"), "circular": ("docx", "pdf")}
    if kind not in allowed:
        raise ApiError(f"未知的文书类型“{kind}”", code="invalid_kind")
    if fmt not in allowed[kind]:
        raise ApiError(f"该文书只能导出为 {'、'.join(allowed[kind])}", code="invalid_format")
    with tempfile.TemporaryDirectory(prefix="anjian-loop-") as tmp:
        out = Path(tmp) / f"doc.{fmt}"
        if kind == "letter":
            if agency_id is None:
                raise ApiError("请选择单位", code="agency_required")
            cal = WorkCalendar.load([settings.holidays_file, Path(settings.data_dir) / "holidays.csv"])
            r = make_letter(s, settings, agency_id, out, cal=cal, today=today)
            name = f"工作提醒函-{r.agency}.{fmt}"
        elif kind == "disclosure":
            y = year or (today or dt.date.today()).year - 1
            make_disclosure(s, settings, y, out)
            name = f"{y}年度行政应诉情况公开.{fmt}"
        else:
            if not quarter:
                raise ApiError("请填写季度，例如 2024Q2", code="quarter_required")
            make_accountability_circular(s, settings, quarter, out)
            name = f"{quarter.upper()}执法过错责任追究通报.{fmt}"
        return name, MEDIA[fmt], out.read_bytes()
