"""/api/uploads: many files at once (multipart), then follow the batch per file."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Request, UploadFile

from api.deps import CsrfDep, DbDep, ScopeDep, SettingsDep, client_ip
from api.schemas import UploadResponse
from api.services import uploads

router = APIRouter(prefix="/api", tags=["uploads"], dependencies=[CsrfDep])


@router.post("/uploads", response_model=UploadResponse, status_code=202)
async def upload(
    files: list[UploadFile], request: Request, scope: ScopeDep, db: DbDep, settings: SettingsDep
) -> UploadResponse:
    limit = settings.max_file_mb * 1024 * 1024
    items = [(f.filename or "unnamed", await f.read(limit + 1)) for f in files]
    batch_id = uploads.submit(db, settings, scope, items, ip=client_ip(request))
    return UploadResponse(batch_id=batch_id, files=len(items))


@router.get("/uploads/{batch_id}")
def batch(batch_id: str, scope: ScopeDep, db: DbDep) -> dict[str, Any]:
    return uploads.status(db, scope, batch_id)
