"""/api/stats: dashboard figures for the caller's scope."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter

from api.deps import ScopeDep, SessionDep
from api.services import stats

router = APIRouter(prefix="/api", tags=["stats"])


@router.get("/stats/dashboard")
def dashboard(
    scope: ScopeDep,
    s: SessionDep,
    period: str = "",
    trend: str = "year",
    agency_id: int | None = None,
    definition: str | None = None,
) -> dict[str, Any]:
    """Totals, trend, agency ranking and breakdowns of losses. ``period``: 2024, 2024Q2, 2024-05 or empty (all);
    ``trend``: year/quarter/month; ``definition``: the loss-rate base (concluded or merits)."""
    return stats.dashboard(s, scope, period=period, trend=trend, agency_id=agency_id, definition=definition)
