"""Pages of the figures (Chinese): 检索结果的统计 (any search result opened as a statistics table) and 对标数据
(bureau staff upload the provincial / city figures, list them, replace a year's rows)."""

from __future__ import annotations

from typing import Annotated
from urllib.parse import urlencode

from fastapi import APIRouter, Form, Request, UploadFile
from fastapi.responses import HTMLResponse, RedirectResponse

from api.deps import CsrfDep, ScopeDep, SessionDep, SettingsDep, client_ip
from api.pages import form_error, page, redirect_with_flash
from api.services import figures
from api.services import stats as stats_service

router = APIRouter(include_in_schema=False)

GROUPINGS = [
    ("agency", "单位"),
    ("township", "乡镇（街道）"),
    ("department", "县级部门"),
    ("field", "执法领域"),
    ("action_type", "行为类型"),
    ("cause", "败诉原因"),
    ("norm", "违反的法律规范"),
    ("court", "审理法院"),
    ("year", "年度"),
    ("quarter", "季度"),
    ("month", "月份"),
]


@router.get("/stats/query")
def query_stats_page(
    request: Request,
    scope: ScopeDep,
    s: SessionDep,
    settings: SettingsDep,
    q: str = "",
    by: str = "agency",
    then: str = "",
    period: str = "",
) -> HTMLResponse:
    """按统计查看: the table of ``/api/stats/table?q=…`` for the current search query."""
    error, table = None, None
    try:
        report = stats_service.table(s, scope, by=by, then=then, period=period, settings=settings, q=q)
        table = report.to_table()
    except Exception as exc:  # noqa: BLE001 - a bad query or period is shown on the page
        error = form_error(exc)
    params = {"q": q, "by": by, "then": then, "period": period}
    return page(
        request,
        "stats_query.html",
        scope,
        q=q,
        by=by,
        then=then,
        period=period,
        groupings=GROUPINGS,
        table=table,
        error=error,
        xlsx="/api/stats/table?" + urlencode({**params, "format": "xlsx"}),
        back="/search?" + urlencode({"q": q}),
    )


@router.get("/benchmarks")
def benchmarks_page(
    request: Request,
    scope: ScopeDep,
    s: SessionDep,
    level: str = "",
    region: str = "",
    year: str = "",
) -> HTMLResponse:
    y = int(year) if year.strip().isdigit() else None
    rows = figures.list_benchmarks(s, scope, level=level, region=region, year=y)
    return page(
        request,
        "benchmarks.html",
        scope,
        rows=rows,
        level=level,
        region=region,
        year=year,
        flash=request.session.pop("flash", None),
        errors=request.session.pop("benchmark_errors", None),
    )


@router.post("/benchmarks", dependencies=[CsrfDep])
async def benchmarks_upload(
    request: Request,
    scope: ScopeDep,
    s: SessionDep,
    file: UploadFile,
    replace_years: Annotated[str, Form()] = "",
) -> RedirectResponse:
    figures.require_bureau(scope)
    data = await file.read(figures.MAX_BENCHMARK_BYTES + 1)
    try:
        done = figures.upload_benchmarks(
            s, scope, data, file.filename or "", replace_years=bool(replace_years), ip=client_ip(request)
        )
    except figures.BenchmarkRefused as exc:
        request.session["benchmark_errors"] = exc.errors
        return redirect_with_flash(
            request,
            "/benchmarks",
            "error",
            f"{file.filename}有 {len(exc.errors)} 处错误，整个文件未导入，已有数据不变。",
        )
    except Exception as exc:  # noqa: BLE001 - the user's error is shown on the page; 5xx raised
        return redirect_with_flash(request, "/benchmarks", "error", form_error(exc))
    years = "、".join(str(y) for y in done["years"])
    text = f"已导入 {done['loaded']} 行（{years}年）"
    if replace_years:
        text += f"，先删除了这些年度原有的 {done['removed']} 行"
    return redirect_with_flash(request, "/benchmarks", "info", text + "。")
