"""/api/drafts: collection drafts kept in the database — create, preview, edit a case, order, resolve the
last pass's findings, export (issue 17)."""

from __future__ import annotations

from typing import Any, Literal
from urllib.parse import quote

from fastapi import APIRouter, Request
from fastapi.responses import Response
from pydantic import BaseModel

from api.deps import CsrfDep, ScopeDep, SessionDep, SettingsDep
from api.services import drafts as service
from reports import drafts

router = APIRouter(prefix="/api/drafts", tags=["drafts"], dependencies=[CsrfDep])


class DraftCreate(BaseModel):
    title: str = ""
    ids: list[int] = []  # judgment ids; empty: the basket of the session


class DraftRename(BaseModel):
    title: str


class CaseIds(BaseModel):
    ids: list[int]


class CaseOrder(BaseModel):
    case_ids: list[int]


class CaseEdit(BaseModel):
    field: Literal["title", "summary", "result", "excerpt", "lesson", "significance"]
    text: str


class Resolve(BaseModel):
    name: str
    action: Literal["mask", "keep"]


@router.get("")
def list_drafts(scope: ScopeDep, s: SessionDep) -> list[dict[str, Any]]:
    service.can_read(scope)
    return drafts.list_drafts(s)


@router.post("", status_code=201)
def create(body: DraftCreate, request: Request, scope: ScopeDep, s: SessionDep) -> dict[str, Any]:
    ids = body.ids or [int(i) for i in request.session.get("basket", [])]
    return service.create(s, scope, body.title, ids)


@router.get("/{draft_id}")
def show(draft_id: int, scope: ScopeDep, s: SessionDep) -> dict[str, Any]:
    service.can_read(scope)
    return drafts.preview(s, draft_id)


@router.patch("/{draft_id}")
def rename(draft_id: int, body: DraftRename, scope: ScopeDep, s: SessionDep) -> dict[str, Any]:
    service.can_edit(scope)
    drafts.rename(s, draft_id, body.title, user=scope.username)
    return drafts.preview(s, draft_id)


@router.post("/{draft_id}/cases")
def add(draft_id: int, body: CaseIds, scope: ScopeDep, s: SessionDep) -> dict[str, Any]:
    service.can_edit(scope)
    drafts.add_cases(s, draft_id, body.ids, user=scope.username)
    return drafts.preview(s, draft_id)


@router.delete("/{draft_id}/cases/{case_id}")
def remove(draft_id: int, case_id: int, scope: ScopeDep, s: SessionDep) -> dict[str, Any]:
    service.can_edit(scope)
    drafts.remove_case(s, draft_id, case_id, user=scope.username)
    return drafts.preview(s, draft_id)


@router.put("/{draft_id}/order")
def order(draft_id: int, body: CaseOrder, scope: ScopeDep, s: SessionDep) -> dict[str, Any]:
    service.can_edit(scope)
    drafts.reorder(s, draft_id, body.case_ids, user=scope.username)
    return drafts.preview(s, draft_id)


@router.put("/{draft_id}/cases/{case_id}")
def edit(draft_id: int, case_id: int, body: CaseEdit, scope: ScopeDep, s: SessionDep) -> dict[str, Any]:
    service.can_edit(scope)
    drafts.edit_case(s, draft_id, case_id, body.field, body.text, user=scope.username)
    return drafts.preview(s, draft_id)


@router.post("/{draft_id}/cases/{case_id}/resolve")
def resolve(draft_id: int, case_id: int, body: Resolve, scope: ScopeDep, s: SessionDep) -> dict[str, Any]:
    service.can_edit(scope)
    drafts.resolve(s, draft_id, case_id, body.name, body.action, user=scope.username)
    return drafts.preview(s, draft_id)


@router.get("/{draft_id}/export")
def export(
    draft_id: int, scope: ScopeDep, s: SessionDep, settings: SettingsDep, format: str = "docx"
) -> Response:
    name, media, data = service.export_bytes(s, settings, scope, draft_id, format)
    return Response(
        data, media_type=media, headers={"Content-Disposition": f"attachment; filename*=UTF-8''{quote(name)}"}
    )
