"""/api/cases and /api/documents: one judgment, corrections, originals, page images, similar cases."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Query, Request
from fastapi.responses import FileResponse, Response

from api.deps import CsrfDep, DbDep, ScopeDep, SessionDep, SettingsDep, client_ip
from api.schemas import CaseDetail, CaseSummary, CaseUpdate
from api.services import cases

router = APIRouter(prefix="/api", tags=["cases"], dependencies=[CsrfDep])


@router.get("/cases/{judgment_id}", response_model=CaseDetail)
def get_case(judgment_id: int, scope: ScopeDep, s: SessionDep) -> dict[str, Any]:
    return cases.case_detail(s, scope, judgment_id)


@router.patch("/cases/{judgment_id}", response_model=CaseDetail)
def correct_case(
    judgment_id: int, body: CaseUpdate, request: Request, scope: ScopeDep, db: DbDep, settings: SettingsDep
) -> dict[str, Any]:
    """Correct (or accept: send the current value) one tag or field; stored with who and why."""
    return cases.correct(
        db, settings, scope, judgment_id, body.field, body.value, body.reason, ip=client_ip(request)
    )


@router.get("/cases/{judgment_id}/similar", response_model=list[CaseSummary])
def similar(
    judgment_id: int,
    scope: ScopeDep,
    s: SessionDep,
    settings: SettingsDep,
    size: Annotated[int, Query(ge=1, le=50)] = 6,
) -> list[dict[str, Any]]:
    return cases.similar_cases(s, settings, scope, judgment_id, size=size)


@router.get("/documents/{document_id}/original")
def original(document_id: int, scope: ScopeDep, s: SessionDep, settings: SettingsDep) -> FileResponse:
    doc, path = cases.visible_document(s, settings, scope, document_id)
    media = "application/pdf" if path.suffix.lower() == ".pdf" else "application/octet-stream"
    return FileResponse(path, media_type=media, filename=doc.filename, content_disposition_type="inline")


@router.get("/documents/{document_id}/pages/{page}.png")
def page_image(
    document_id: int, page: int, scope: ScopeDep, s: SessionDep, settings: SettingsDep
) -> Response:
    doc, path = cases.visible_document(s, settings, scope, document_id)
    return Response(
        cases.page_png(settings, doc, path, page),
        media_type="image/png",
        headers={"Cache-Control": "private, max-age=3600"},
    )
