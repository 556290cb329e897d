"""Uploads: hand the files to the background workers (workers.submit_files) and follow the batch."""

from __future__ import annotations

from typing import Any

from api.access import Scope
from api.errors import ApiError, Forbidden, NotFound
from api.services.accounts import audit
from core.db import Database
from core.settings import Settings
from workers.dispatch import submit_files
from workers.jobs import batch_status

MAX_FILES = 200


def submit(
    db: Database, settings: Settings, scope: Scope, files: list[tuple[str, bytes]], ip: str | None = None
) -> str:
    if not scope.can_write:
        raise Forbidden("您的账号不能上传文书")
    if not files:
        raise ApiError("请至少选择一个文件", code="no_files")
    if len(files) > MAX_FILES:
        raise ApiError(f"一次最多上传 {MAX_FILES} 个文件", code="too_many_files")
    batch_id = submit_files(db, settings, files, scope.username)
    with db.session() as s:
        audit(
            s,
            "upload",
            user=scope.username,
            target=str(batch_id),
            ip=ip,
            detail={"files": [name for name, _ in files][:MAX_FILES], "bytes": sum(len(b) for _, b in files)},
        )
    return str(batch_id)


def status(db: Database, scope: Scope, batch_id: str) -> dict[str, Any]:
    try:
        data = batch_status(db, int(batch_id))
    except (KeyError, ValueError) as exc:
        raise NotFound(f"没有编号为 {batch_id} 的上传批次") from exc
    if not scope.can_write and data.get("user") != scope.username:
        raise NotFound(f"没有编号为 {batch_id} 的上传批次")
    return data
