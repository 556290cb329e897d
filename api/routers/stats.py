"""/api/stats: dashboard figures for the caller's scope."""

from __future__ import annotations

from typing import Any
from urllib.parse import quote

from fastapi import APIRouter
from fastapi.responses import Response
from pydantic import BaseModel, Field

from api.deps import CsrfDep, ScopeDep, SessionDep, SettingsDep
from api.services import stats

router = APIRouter(prefix="/api", tags=["stats"])


@router.get("/stats/dashboard")
def dashboard(
    scope: ScopeDep,
    s: SessionDep,
    settings: SettingsDep,
    period: str = "",
    since: str = "",
    trend: str = "year",
    agency_id: int | None = None,
    definition: str | None = None,
    unit_scope: str = "ours",
) -> dict[str, Any]:
    """Totals, trend, township / department / agency rankings (``unit_scope`` ours: registry bodies marked
    本县 only; all: every defendant), key_targets (重点监督对象, proposed and confirmed, with the rule) and breakdowns
    of losses; every row carries ``query``, the search that opens its documents. ``period``: 2024, 2024Q2, 2024-05, a range
    2022..2024 / 2022Q1..2023Q4 / 2022.. or empty (all); ``since``: 2022 = 2022..; ``trend``: year/quarter/month;
    ``definition``: the loss-rate base (concluded or merits)."""
    return stats.dashboard(
        s,
        scope,
        period=period,
        since=since,
        trend=trend,
        agency_id=agency_id,
        definition=definition,
        settings=settings,
        unit_scope=unit_scope,
    )


class KeyTargetIn(BaseModel):
    period: str = Field(description="the period, 2024 / 2024Q2 / 2022..2024 (not all time)")
    kind: str = Field(description="township or department")
    agency_id: int | None = Field(None, description="the registry body; null withdraws the confirmation")
    note: str = ""


@router.post("/stats/key-targets", dependencies=[CsrfDep])
def confirm_key_target(
    body: KeyTargetIn, scope: ScopeDep, s: SessionDep, settings: SettingsDep
) -> dict[str, Any]:
    """(administrators, analysts) Confirm or change the period's 重点监督对象 of one kind; stored with who and
    when. Returns the period's key_targets."""
    return stats.confirm_key_target(
        s,
        scope,
        period=body.period,
        kind=body.kind,
        agency_id=body.agency_id,
        note=body.note,
        settings=settings,
    )


@router.get("/stats/table", response_model=None)
def table(
    scope: ScopeDep,
    s: SessionDep,
    settings: SettingsDep,
    by: str = "agency",
    then: str = "",
    period: str = "",
    since: str = "",
    agency_id: int | None = None,
    definition: str | None = None,
    format: str = "json",
    q: str = "",
) -> dict[str, Any] | Response:
    """One table, one or two groupings (``by`` then ``then``: agency, township, department, field, action_type,
    cause, court, month, quarter, year), with the 日期不详 row and every rule; ``format`` json, xlsx or csv;
    ``q``: a search query (as in /api/search): the table over the suits of the judgments it matches."""
    report = stats.table(
        s,
        scope,
        by=by,
        then=then,
        period=period,
        since=since,
        agency_id=agency_id,
        definition=definition,
        settings=settings,
        q=q,
    )
    if format not in ("xlsx", "csv"):
        return report.to_json()
    import tempfile
    from pathlib import Path

    from core.spreadsheet import write_table

    with tempfile.TemporaryDirectory(prefix="anjian-table-") as tmp:
        path = Path(tmp) / f"stats.{format}"
        write_table(report.to_table(), path)
        data = path.read_bytes()
    media = (
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
        if format == "xlsx"
        else "text/csv"
    )
    name = f"统计_{report.period.code}_{by}{'_' + then if then else ''}.{format}"
    return Response(
        data, media_type=media, headers={"Content-Disposition": f"attachment; filename*=UTF-8''{quote(name)}"}
    )
