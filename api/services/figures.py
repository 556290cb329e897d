"""对标数据 on the web (bureau staff only) and statistics over a search result, for the pages and the API."""

from __future__ import annotations

import tempfile
from pathlib import Path
from typing import Any

from sqlalchemy.orm import Session

from api.access import Scope
from api.errors import ApiError

MAX_BENCHMARK_BYTES = 5 * 1024 * 1024


def require_bureau(scope: Scope) -> None:
    """对标数据 are the bureau's: administrators and analysts; agency users and read-only accounts never."""
    if scope.restricted or not scope.can_write:
        raise ApiError(
            "对标数据仅司法局工作人员（管理员、分析员）可以查看和上传", code="forbidden", status=403
        )


def list_benchmarks(
    s: Session, scope: Scope, *, level: str = "", region: str = "", year: int | None = None
) -> list[dict[str, Any]]:
    from reports import benchmarks

    require_bureau(scope)
    return benchmarks.list_benchmarks(s, level=level or None, region=region or None, year=year)


def upload_benchmarks(
    s: Session,
    scope: Scope,
    data: bytes,
    filename: str,
    *,
    replace_years: bool = False,
    ip: str | None = None,
) -> dict[str, Any]:
    """An operator file (CSV/XLSX) uploaded on the web: every row checked first; any bad row refuses the whole
    file (nothing stored) with one Chinese line per bad row; else stored, audited."""
    from api.services.accounts import audit
    from reports import benchmarks

    require_bureau(scope)
    suffix = Path(filename or "").suffix.lower()
    if suffix not in (".csv", ".xlsx", ".xlsm"):
        raise ApiError(
            "只支持 .csv 和 .xlsx 文件（列：层级、地区、年度、案件数、败诉数、败诉率）", code="benchmarks"
        )
    if len(data) > MAX_BENCHMARK_BYTES:
        raise ApiError("对标数据文件超过 5 MB", code="benchmarks", status=413)
    with tempfile.TemporaryDirectory(prefix="anjian-benchmarks-") as tmp:
        path = Path(tmp) / f"benchmarks{suffix}"
        path.write_bytes(data)
        try:
            rows = benchmarks.read_benchmark_file(path)
        except benchmarks.BenchmarkError as exc:
            raise BenchmarkRefused(filename, exc.errors) from exc
    done = benchmarks.store_rows(s, rows, replace_years=replace_years)
    years = sorted({r["year"] for r in rows})
    audit(
        s,
        "benchmarks_upload",
        user=scope.username,
        target=filename,
        detail={**done, "years": years, "replace_years": replace_years},
        ip=ip,
    )
    return {**done, "years": years}


class BenchmarkRefused(ApiError):
    """A file with bad rows: refused whole; ``errors`` one line per bad row."""

    def __init__(self, filename: str, errors: list[str]) -> None:
        super().__init__(
            f"{filename or '文件'}有 {len(errors)} 处错误，整个文件未导入（已有数据不变）："
            + "；".join(errors),
            code="benchmarks",
            status=422,
        )
        self.errors = errors
