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


def _require_writer(scope: Scope) -> None:
    if not scope.is_admin and scope.role.value != "analyst":
        raise Forbidden("仅管理员或分析员可以维护单位名录")


def add_agency(
    s: Session, scope: Scope, name: str, aliases: list[str], fields: dict[str, Any] | None = None
) -> dict[str, Any]:
    """A new agency; a name already in the registry (as a name or an alias) is refused, saying whose."""
    _require_writer(scope)
    name = name.strip()
    if not name:
        raise ApiError("请填写单位全称", code="agency_name_required")
    try:
        agency = reg.create_agency(
            s, name, aliases=[(a.strip(), reg.AliasKind.abbreviation) for a in aliases if a.strip()]
        )
        changes = {k: v for k, v in (fields or {}).items() if v is not None and v != ""}
        if changes:
            reg.update_agency(s, agency.id, changes)
    except reg.RegistryError as exc:
        raise ApiError(str(exc), code="registry", status=409 if "已有" in str(exc) else 400) from exc
    return reg.agency_as_dict(agency)


def update_agency(s: Session, scope: Scope, agency_id: int, changes: dict[str, Any]) -> dict[str, Any]:
    _require_writer(scope)
    try:
        agency = reg.update_agency(s, agency_id, {k: v for k, v in changes.items() if v is not None})
    except reg.RegistryError as exc:
        raise ApiError(str(exc), code="registry", status=404 if "没有编号" in str(exc) else 400) from exc
    return reg.agency_as_dict(agency)


def import_table(s: Session, scope: Scope, data: bytes, filename: str) -> dict[str, Any]:
    """A registry CSV/XLSX uploaded on the web (the same columns as ``anjian agencies import``)."""
    import tempfile
    from pathlib import Path

    _require_writer(scope)
    suffix = Path(filename or "").suffix.lower()
    if suffix not in (".csv", ".xlsx", ".xlsm"):
        raise ApiError("只支持 .csv 和 .xlsx 文件（列：" + "、".join(reg.COLUMNS) + "）", code="registry")
    with tempfile.TemporaryDirectory(prefix="anjian-registry-") as tmp:
        path = Path(tmp) / f"registry{suffix}"
        path.write_bytes(data)
        try:
            n = reg.import_file(s, path)
        except reg.RegistryError as exc:
            raise ApiError(str(exc), code="registry") from exc
        except Exception as exc:  # noqa: BLE001 - a damaged spreadsheet is the user's file, not our error
            raise ApiError(f"无法读取 {filename}：文件已损坏或不是表格", code="registry") from exc
    return {"imported": n, "agencies": len(reg.list_agencies(s))}


def add_from_unmatched(s: Session, scope: Scope, name: str) -> dict[str, Any]:
    """新增为单位: a name on the review list becomes an agency of its own (its kind guessed from it)."""
    return add_agency(s, scope, name, [])


def resolve(s: Session, scope: Scope, name: str, agency_id: int | None) -> None:
    _require_writer(scope)
    try:
        reg.resolve_unmatched(s, name, agency_id)
    except reg.RegistryError as exc:
        raise ApiError(str(exc), code="registry") from exc


def scan(s: Session, scope: Scope) -> int:
    """Match every stored defendant name against the registry; misses join the review list."""
    _require_writer(scope)
    matches = reg.scan_judgment_defendants(s)
    return sum(1 for m in matches.values() if m.agency_id is None)
