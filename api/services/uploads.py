"""Uploads: hand the files to the background workers (workers.submit_files) and follow the batch."""

from __future__ import annotations

from typing import Any, BinaryIO

from starlette.datastructures import UploadFile
from starlette.formparsers import MultiPartException
from starlette.requests import Request
from starlette.types import Message

from api.access import Scope
from api.errors import ApiError, Forbidden, NotFound
from api.services.accounts import audit
from core.db import Database
from core.settings import Settings
from workers.dispatch import submit_files
from workers.jobs import batch_status

MAX_FILES = 200


class _TooLarge(Exception):
    pass


async def receive_files(request: Request, settings: Settings) -> list[tuple[str, UploadFile]]:
    """The request's files, streamed to temporary files on disk (1 MB each in memory at most), under two
    limits checked while the body arrives: ``ANJIAN_MAX_UPLOAD_MB`` for the whole request (a declared
    Content-Length above it is refused before anything is read) and ``MAX_FILES`` files."""
    cap = settings.max_upload_mb * 1024 * 1024
    too_big = ApiError(
        f"一次上传的文件总大小超过 {settings.max_upload_mb} MB 的上限，请分批上传。",
        code="upload_too_large",
        status=413,
    )
    declared = request.headers.get("content-length", "")
    if declared.isdigit() and int(declared) > cap:
        raise too_big
    received = 0

    async def counted() -> Message:
        nonlocal received
        message = await request.receive()
        received += len(message.get("body", b""))
        if received > cap:
            raise _TooLarge
        return message

    # without "app" in its scope, Starlette raises the parser's own error (not an English HTTP 400)
    capped = Request({k: v for k, v in request.scope.items() if k != "app"}, counted)
    try:
        form = await capped.form(max_files=MAX_FILES, max_fields=20)
    except _TooLarge as exc:
        raise too_big from exc
    except MultiPartException as exc:
        if "Too many files" in str(exc):
            raise ApiError(f"一次最多上传 {MAX_FILES} 个文件", code="too_many_files") from exc
        raise ApiError("上传的数据格式不正确，请重新选择文件上传。", code="bad_upload") from exc
    return [(f.filename or "unnamed", f) for f in form.getlist("files") if isinstance(f, UploadFile)]


def submit(
    db: Database,
    settings: Settings,
    scope: Scope,
    files: list[tuple[str, bytes | BinaryIO]],
    ip: str | None = None,
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
            detail={"files": [name for name, _ in files][:MAX_FILES], "bytes": sum(map(_size, files))},
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


def _size(item: tuple[str, bytes | BinaryIO]) -> int:
    content = item[1]
    if isinstance(content, bytes):
        return len(content)
    content.seek(0, 2)
    size = content.tell()
    content.seek(0)
    return size
