"""One error shape for the whole API: {"error": {"code", "message"}}, from one exception handler.

Store, search and ingest errors are translated here; routes and services raise, never format.
"""

from __future__ import annotations

import logging
from collections.abc import Callable

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse, Response
from sqlalchemy.exc import DataError
from starlette.exceptions import HTTPException as StarletteHTTPException

from core.store import InvalidCorrection, JudgmentNotFound, StoreError
from ingest.errors import Rejected
from registry.agencies import RegistryError
from reports.bulletin import EmptyPeriod
from reports.collection import NothingSelected
from reports.drafts import DraftBlocked, DraftError, DraftNotFound
from reports.officialdoc import RenderError
from reports.stats import StatsError
from search.errors import SearchError
from supervision.key_targets import KeyTargetError
from supervision.meetings import MeetingError
from supervision.suits import SuitError, SuitNotFound
from supervision.workdays import CalendarError

log = logging.getLogger(__name__)


class ApiError(Exception):
    """An error for the user, with an HTTP status and a stable code; the message is Chinese."""

    status = 400
    code = "bad_request"

    def __init__(self, message: str, *, code: str | None = None, status: int | None = None):
        super().__init__(message)
        self.message = message
        if code:
            self.code = code
        if status:
            self.status = status


class NotFound(ApiError):
    status, code = 404, "not_found"


class Unauthorized(ApiError):
    status, code = 401, "unauthorized"


class Forbidden(ApiError):
    status, code = 403, "forbidden"


class CsrfError(ApiError):
    status, code = 403, "csrf"


class Conflict(ApiError):
    status, code = 409, "conflict"


def _domain_errors() -> dict[type[Exception], str]:
    """The user-facing errors (Chinese messages) of the areas below the API, with their codes."""
    return {
        NothingSelected: "empty_collection",
        EmptyPeriod: "empty_period",
        RenderError: "render",
        StatsError: "stats",
        RegistryError: "registry",
        CalendarError: "calendar",
        SuitError: "suit",
        DraftError: "draft",
        MeetingError: "lessons",
        KeyTargetError: "key_targets",
    }


def to_api_error(exc: Exception) -> ApiError:
    if isinstance(exc, ApiError):
        return exc
    if isinstance(exc, SuitNotFound):
        return NotFound(str(exc), code="suit_not_found")
    if isinstance(exc, DraftNotFound):
        return NotFound(str(exc), code="draft_not_found")
    if isinstance(exc, DraftBlocked):
        return ApiError(str(exc), code="names_pending", status=409)
    for exc_type, code in _domain_errors().items():
        if isinstance(exc, exc_type):
            return ApiError(str(exc), code=code)
    if isinstance(exc, JudgmentNotFound):
        return NotFound(str(exc))
    if _disk_full(exc):
        return ApiError(
            "服务器磁盘空间已满，文件未保存；请联系管理员清理磁盘后重新上传。", code="disk_full", status=507
        )
    if isinstance(exc, OverflowError) or isinstance(getattr(exc, "orig", None), OverflowError):
        return NotFound("找不到该编号的记录（编号超出范围）")  # an id above 2**63 in a path
    if isinstance(exc, DataError):  # PostgreSQL: a value out of the column's range
        return ApiError("请求参数超出范围或格式不正确", code="out_of_range", status=400)
    if isinstance(exc, InvalidCorrection):
        return ApiError(str(exc), code="invalid_correction", status=422)
    if isinstance(exc, StoreError):
        return ApiError(str(exc), code="store_error")
    if isinstance(exc, Rejected):
        return ApiError(
            getattr(exc, "message", str(exc)),
            code=f"rejected_{getattr(exc, 'reason', 'unknown')}",
            status=422,
        )
    if isinstance(exc, SearchError):
        message = getattr(exc, "message_zh", str(exc))
        if type(exc).__name__ == "QuerySyntaxError":
            return ApiError(message, code="query_syntax", status=400)
        return ApiError(message, code="search_unavailable", status=503)
    log.exception("unexpected error", exc_info=exc)
    return ApiError("服务器内部错误，请联系管理员（详情见服务日志）", code="internal", status=500)


def _disk_full(exc: Exception) -> bool:
    from pipeline.process import is_disk_full

    return is_disk_full(exc)


def error_body(err: ApiError) -> dict[str, dict[str, str]]:
    return {"error": {"code": err.code, "message": err.message}}


def wants_html(request: Request) -> bool:
    return not request.url.path.startswith("/api") and "text/html" in request.headers.get("accept", "")


def install_error_handlers(app: FastAPI, render_error: Callable[[Request, ApiError], Response]) -> None:
    """One handler for every error; ``render_error`` draws the HTML error page for browsers."""

    async def handle(request: Request, exc: Exception) -> Response:
        err = to_api_error(exc)
        if err.status == 401 and wants_html(request):
            from fastapi.responses import RedirectResponse

            return RedirectResponse(f"/login?next={request.url.path}", status_code=303)
        if wants_html(request):
            return render_error(request, err)
        return JSONResponse(error_body(err), status_code=err.status)

    async def handle_http(request: Request, exc: StarletteHTTPException) -> Response:
        messages = {404: "页面或资源不存在", 405: "不支持该请求方法"}
        err = ApiError(
            messages.get(exc.status_code, str(exc.detail)),
            code=f"http_{exc.status_code}",
            status=exc.status_code,
        )
        if exc.status_code == 404:
            err.code = "not_found"
        if wants_html(request):
            return render_error(request, err)
        return JSONResponse(error_body(err), status_code=exc.status_code)

    async def handle_validation(request: Request, exc: RequestValidationError) -> Response:
        first = exc.errors()[0] if exc.errors() else {}
        where = ".".join(str(p) for p in first.get("loc", []))
        err = ApiError(f"请求参数有误：{where} {first.get('msg', '')}".strip(), code="validation", status=422)
        return JSONResponse(error_body(err), status_code=422)

    app.add_exception_handler(Exception, handle)
    for exc_type in (
        ApiError,
        StoreError,
        Rejected,
        SearchError,
        OverflowError,
        DataError,
        *_domain_errors(),
    ):
        app.add_exception_handler(exc_type, handle)
    app.add_exception_handler(StarletteHTTPException, handle_http)  # type: ignore[arg-type]
    app.add_exception_handler(RequestValidationError, handle_validation)  # type: ignore[arg-type]
