"""/api/search: full-text search with facets (restricted to the caller's agency) and export."""

from __future__ import annotations

from typing import Annotated, Any
from urllib.parse import quote

from fastapi import APIRouter, Query, Request
from fastapi.responses import RedirectResponse, Response

from api.deps import CsrfDep, ScopeDep, SessionDep, SettingsDep, client_ip
from api.errors import ApiError
from api.schemas import SearchResponse
from api.services import search
from api.services.accounts import audit

router = APIRouter(prefix="/api", tags=["search"])


@router.get("/search", response_model=SearchResponse)
def run_search(
    scope: ScopeDep,
    s: SessionDep,
    settings: SettingsDep,
    q: str = "",
    page: Annotated[int, Query(ge=1)] = 1,
    size: Annotated[int, Query(ge=1, le=200)] = 20,
    sort: str = "relevance",
) -> dict[str, Any]:
    return search.run_search(s, settings, scope, q, page, size, sort)


@router.get("/search/export")
def export(
    request: Request, scope: ScopeDep, s: SessionDep, settings: SettingsDep, q: str = "", format: str = "xlsx"
) -> Response:
    if format not in ("csv", "xlsx"):
        raise ApiError("导出格式只能是 csv 或 xlsx", code="invalid_format")
    rows = search.export_rows(s, settings, scope, q)
    audit(
        s,
        "export",
        user=scope.username,
        target="search",
        ip=client_ip(request),
        detail={"query": q, "format": format, "rows": len(rows)},
    )
    if format == "csv":
        data, media = search.to_csv(rows), "text/csv; charset=utf-8"
    else:
        data, media = (
            search.to_xlsx(rows),
            "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        )
    name = quote(f"检索结果.{format}")
    return Response(
        data, media_type=media, headers={"Content-Disposition": f"attachment; filename*=UTF-8''{name}"}
    )


@router.post(
    "/cases/{judgment_id}/similar/{other_id}/not-similar", dependencies=[CsrfDep], response_model=None
)
def not_similar(
    judgment_id: int, other_id: int, request: Request, scope: ScopeDep, s: SessionDep
) -> dict[str, Any] | RedirectResponse:
    """Mark a suggested 类案 "not similar": recorded, and the pair is not offered again. From the case page's
    form it goes back to the case; from the API it answers JSON."""
    new = search.mark_not_similar(s, scope, judgment_id, other_id, ip=client_ip(request))
    if "form" in request.headers.get("content-type", ""):
        return RedirectResponse(f"/cases/{judgment_id}#similar-title", status_code=303)
    return {"judgment_id": judgment_id, "other_id": other_id, "recorded": new}
