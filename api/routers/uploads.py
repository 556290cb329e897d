"""/api/uploads: many files at once (multipart), then follow the batch per file."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Request
from starlette.concurrency import run_in_threadpool

from api.deps import CsrfDep, DbDep, ScopeDep, SettingsDep, client_ip
from api.errors import Forbidden
from api.schemas import UploadResponse
from api.services import uploads

router = APIRouter(prefix="/api", tags=["uploads"], dependencies=[CsrfDep])


_FORM = {
    "requestBody": {
        "required": True,
        "content": {
            "multipart/form-data": {
                "schema": {
                    "type": "object",
                    "required": ["files"],
                    "properties": {
                        "files": {"type": "array", "items": {"type": "string", "format": "binary"}}
                    },
                }
            }
        },
    }
}


@router.post("/uploads", response_model=UploadResponse, status_code=202, openapi_extra=_FORM)
async def upload(request: Request, scope: ScopeDep, db: DbDep, settings: SettingsDep) -> UploadResponse:
    """Streams the files to disk under the request's caps, then stores and queues them off the event loop
    (nothing is parsed here: the workers read the files)."""
    if not scope.can_write:
        raise Forbidden("您的账号不能上传文书")
    received = await uploads.receive_files(request, settings)
    try:
        items: list[tuple[str, Any]] = [(name, f.file) for name, f in received]
        batch_id = await run_in_threadpool(uploads.submit, db, settings, scope, items, client_ip(request))
    finally:
        for _, f in received:
            await f.close()
    return UploadResponse(batch_id=batch_id, files=len(received))


@router.get("/uploads")
def batches(scope: ScopeDep, db: DbDep, page: int = 1) -> dict[str, Any]:
    """Earlier batches, newest first, with their summaries (bureau staff: all; others: their own)."""
    return uploads.batches(db, scope, max(1, page))


@router.get("/uploads/{batch_id}")
def batch(batch_id: str, scope: ScopeDep, db: DbDep) -> dict[str, Any]:
    return uploads.status(db, scope, batch_id)
