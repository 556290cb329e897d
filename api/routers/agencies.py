"""/api/agencies: the agency registry and the unmatched defendant names."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, UploadFile

from api.deps import CsrfDep, ScopeDep, SessionDep
from api.errors import ApiError
from api.schemas import AgencyCreate, AgencyUpdate, UnmatchedResolve
from api.services import agencies

router = APIRouter(prefix="/api", tags=["agencies"], dependencies=[CsrfDep])


@router.get("/agencies")
def overview(scope: ScopeDep, s: SessionDep) -> dict[str, Any]:
    return agencies.overview(s, scope)


@router.post("/agencies", status_code=201)
def add(body: AgencyCreate, scope: ScopeDep, s: SessionDep) -> dict[str, Any]:
    """A new agency; 409 with the existing agency named when the name is already in the registry."""
    fields = body.model_dump(include={"kind", "level", "parent", "field", "ours"})
    return agencies.add_agency(s, scope, body.name, body.aliases, fields)


@router.patch("/agencies/{agency_id}")
def update(agency_id: int, body: AgencyUpdate, scope: ScopeDep, s: SessionDep) -> dict[str, Any]:
    return agencies.update_agency(s, scope, agency_id, body.model_dump(exclude_unset=True))


MAX_REGISTRY_BYTES = 5 * 1024 * 1024


@router.post("/agencies/import")
async def import_table(file: UploadFile, scope: ScopeDep, s: SessionDep) -> dict[str, Any]:
    """A registry table (CSV/XLSX, columns as in ``anjian agencies import``)."""
    data = await file.read(MAX_REGISTRY_BYTES + 1)
    if len(data) > MAX_REGISTRY_BYTES:
        raise ApiError("名录文件超过 5 MB", code="registry", status=413)
    return agencies.import_table(s, scope, data, file.filename or "")


@router.post("/agencies/unmatched/add", status_code=201)
def add_unmatched(body: UnmatchedResolve, scope: ScopeDep, s: SessionDep) -> dict[str, Any]:
    """新增为单位: the reviewed name becomes an agency of its own."""
    return agencies.add_from_unmatched(s, scope, body.name)


@router.post("/agencies/unmatched/resolve")
def resolve(body: UnmatchedResolve, scope: ScopeDep, s: SessionDep) -> dict[str, bool]:
    agencies.resolve(s, scope, body.name, body.agency_id)
    return {"ok": True}


@router.post("/agencies/scan")
def scan(scope: ScopeDep, s: SessionDep) -> dict[str, int]:
    """Match the defendants of all stored judgments; unmatched names wait for review."""
    return {"unmatched": agencies.scan(s, scope)}
