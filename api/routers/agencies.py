"""/api/agencies: the agency registry and the unmatched defendant names."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter

from api.deps import CsrfDep, ScopeDep, SessionDep
from api.schemas import AgencyCreate, UnmatchedResolve
from api.services import agencies

router = APIRouter(prefix="/api", tags=["agencies"], dependencies=[CsrfDep])


@router.get("/agencies")
def overview(scope: ScopeDep, s: SessionDep) -> dict[str, Any]:
    return agencies.overview(s, scope)


@router.post("/agencies", status_code=201)
def add(body: AgencyCreate, scope: ScopeDep, s: SessionDep) -> dict[str, Any]:
    return agencies.add_agency(s, scope, body.name, body.aliases)


@router.post("/agencies/unmatched/resolve")
def resolve(body: UnmatchedResolve, scope: ScopeDep, s: SessionDep) -> dict[str, bool]:
    agencies.resolve(s, scope, body.name, body.agency_id)
    return {"ok": True}


@router.post("/agencies/scan")
def scan(scope: ScopeDep, s: SessionDep) -> dict[str, int]:
    """Match the defendants of all stored judgments; unmatched names wait for review."""
    return {"unmatched": agencies.scan(s, scope)}
