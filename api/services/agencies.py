"""The agency registry (registry.agencies) for the 单位 page and the API."""

from __future__ import annotations

from typing import Any

from sqlalchemy.orm import Session

from api.access import Scope
from api.errors import ApiError, Forbidden
from registry import agencies as reg


def overview(s: Session, scope: Scope) -> dict[str, Any]:
    agencies = reg.list_agencies(s)
    if scope.restricted:
        agencies = [a for a in agencies if str(a["id"]) == (scope.agency_id or "")]
        return {"agencies": agencies, "unmatched": []}
    return {"agencies": agencies, "unmatched": reg.unmatched(s)}


def add_agency(s: Session, scope: Scope, name: str, aliases: list[str]) -> dict[str, Any]:
    if not scope.is_admin and scope.role.value != "analyst":
        raise Forbidden("仅管理员或分析员可以维护单位名录")
    name = name.strip()
    if not name:
        raise ApiError("请填写单位全称", code="agency_name_required")
    try:
        agency = reg.add_agency(s, name)
        for alias in aliases:
            if alias.strip():
                reg.add_alias(s, agency.id, alias.strip())
    except reg.RegistryError as exc:
        raise ApiError(str(exc), code="registry") from exc
    return reg.agency_as_dict(agency)


def resolve(s: Session, scope: Scope, name: str, agency_id: int | None) -> None:
    if not scope.is_admin and scope.role.value != "analyst":
        raise Forbidden("仅管理员或分析员可以维护单位名录")
    try:
        reg.resolve_unmatched(s, name, agency_id)
    except reg.RegistryError as exc:
        raise ApiError(str(exc), code="registry") from exc


def scan(s: Session, scope: Scope) -> int:
    """Match every stored defendant name against the registry; misses join the review list."""
    if not scope.is_admin and scope.role.value != "analyst":
        raise Forbidden("仅管理员或分析员可以维护单位名录")
    matches = reg.scan_judgment_defendants(s)
    return sum(1 for m in matches.values() if m.agency_id is None)
