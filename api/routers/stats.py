"""/api/stats: dashboard figures for the caller's scope."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter

from api.deps import ScopeDep, SessionDep
from api.services import stats

router = APIRouter(prefix="/api", tags=["stats"])


@router.get("/stats/dashboard")
def dashboard(scope: ScopeDep, s: SessionDep, period: str = "year", year_from: int | None = None,
              year_to: int | None = None, agency: str | None = None) -> dict[str, Any]:
    return stats.dashboard(s, scope, period=period, year_from=year_from, year_to=year_to, agency=agency or None)
