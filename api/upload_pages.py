"""Pages of uploads (Chinese): 上传 (drop files, follow this batch, earlier batches with their summaries)
and one batch (each file's current state in words; reloading shows the same). Read through
api.services.uploads, like the JSON API."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query, Request
from fastapi.responses import HTMLResponse

from api.deps import DbDep, ScopeDep, SettingsDep
from api.errors import ApiError
from api.pages import page
from api.services import uploads

router = APIRouter(include_in_schema=False)


@router.get("/upload")
def upload_page(
    request: Request,
    scope: ScopeDep,
    db: DbDep,
    settings: SettingsDep,
    page_no: Annotated[int, Query(alias="page", ge=1)] = 1,
) -> HTMLResponse:
    if not scope.can_write:
        raise ApiError("您的账号不能上传文件：上传需要管理员或分析员账号", code="forbidden", status=403)
    return page(
        request,
        "upload.html",
        scope,
        available=True,
        max_mb=settings.max_file_mb,
        earlier=uploads.batches(db, scope, page_no),
        linked_help=uploads.LINKED_HELP,
    )


@router.get("/upload/{batch_id}")
def batch_page(batch_id: str, request: Request, scope: ScopeDep, db: DbDep) -> HTMLResponse:
    """One batch as it stands now; while files are still being read the page's script keeps it current."""
    return page(
        request,
        "upload_batch.html",
        scope,
        batch=uploads.status(db, scope, batch_id),
        linked_help=uploads.LINKED_HELP,
    )
