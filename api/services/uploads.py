"""Uploads: hand the files to the background workers (workers.submit_files) and follow the batch.

Every batch is kept (the ``batches`` and ``jobs`` tables: who, when, each file with its job, size, final
status and reason), so the upload page lists earlier batches and a batch page reloads with the current
states. Each file's state is one word that matches its result (``file_outcome``): a rejected file is
未通过 with its reason in Chinese, never a green 已完成. Bureau staff (who may upload) see every batch; any
other account sees only the batches it uploaded itself.
"""

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
from core.taxonomy import RejectReason
from workers.dispatch import submit_files
from workers.jobs import batch_status, list_batches

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
    """One batch with each file's current state in words and the batch's summary."""
    try:
        data = batch_status(db, int(batch_id))
    except (KeyError, ValueError, OverflowError) as exc:
        raise NotFound(f"没有编号为 {batch_id} 的上传批次") from exc
    if not _sees_every_batch(scope) and data.get("user") != scope.username:
        raise NotFound(f"没有编号为 {batch_id} 的上传批次")
    return described(data)


def batches(db: Database, scope: Scope, page_no: int = 1, per_page: int = 20) -> dict[str, Any]:
    """Earlier batches, newest first, with their summaries: bureau staff see all, others their own."""
    user = None if _sees_every_batch(scope) else scope.username
    rows, total = list_batches(db, user=user, limit=per_page, offset=(max(1, page_no) - 1) * per_page)
    return {
        "batches": [described(b) for b in rows],
        "total": total,
        "page": page_no,
        "pages": max(1, -(-total // per_page)),
    }


def _sees_every_batch(scope: Scope) -> bool:
    return scope.can_write and not scope.restricted


# -- the words of a file's state ---------------------------------------------------------------------
FAILURE_ZH = {
    "worker_lost": "处理进程多次中断",
    "transient": "多次暂时性错误后停止重试",
    "original_missing": "找不到上传文件的原件",
    "timeout": "处理超时",
    "error": "处理出错",
}
FILE_KIND_ZH = {
    "text_pdf": "文字版 PDF",
    "scan_pdf": "扫描件 PDF（已识别文字）",
    "docx": "Word 文档",
    "html": "网页",
    "text": "纯文本",
}
_EXT_ZH = {
    ".pdf": "PDF",
    ".docx": "Word 文档",
    ".doc": "Word 文档（旧格式）",
    ".html": "网页",
    ".htm": "网页",
}
SUMMARY_ZH = (("stored", "已入库"), ("duplicate", "重复"), ("rejected", "未通过"), ("pending", "处理中"))
LINKED_HELP = (
    "已关联：同一案件（案号、文书种类相同）的裁判文书已在库中，本文件作为该案件的另一份文件保存并关联到该案件，"
    "不重复计案；如本文件是文字版而库中是扫描件，以本文件的文字为准。"
)


def file_outcome(f: dict[str, Any]) -> dict[str, str]:
    """The one word for a file's state, a tone for its colour (ok, info, warn, bad, busy) and the detail:
    the reason of a rejection or failure, what 已关联 and 重复 mean."""
    state, st = f.get("state"), f.get("status")
    if state == "queued":
        return {"group": "pending", "word": "排队中", "tone": "busy", "detail": f.get("message") or ""}
    if state == "running":
        return {"group": "pending", "word": "处理中", "tone": "busy", "detail": ""}
    if state == "failed":
        why = FAILURE_ZH.get(f.get("reason") or "", "处理失败")
        return {"group": "rejected", "word": "未通过", "tone": "bad", "detail": _reason_text(why, f)}
    if st == "stored":
        return {"group": "stored", "word": "已入库", "tone": "ok", "detail": ""}
    if st == "linked":
        return {
            "group": "stored",
            "word": "已关联",
            "tone": "info",
            "detail": "同一案件已在库中，本文件已关联到该案件",
        }
    if st == "duplicate":
        return {
            "group": "duplicate",
            "word": "重复",
            "tone": "warn",
            "detail": "与已入库文件内容完全相同，未重复入库",
        }
    reason = RejectReason.parse(f.get("reason") or "")
    why = reason.zh if reason else "未能作为裁判文书读取"
    return {"group": "rejected", "word": "未通过", "tone": "bad", "detail": _reason_text(why, f)}


def _reason_text(why: str, f: dict[str, Any]) -> str:
    message = (f.get("message") or "").strip()
    return why if not message or message.startswith(why) else f"{why}：{message}"


def file_kind_zh(f: dict[str, Any]) -> str:
    """What kind of file it is (read: from the reading; before: from its name and routing), so that two
    files of one name — a scan and a text PDF — can be told apart."""
    if f.get("file_kind") in FILE_KIND_ZH:
        return FILE_KIND_ZH[f["file_kind"]]
    name = (f.get("filename") or "").lower()
    ext = name[name.rfind(".") :] if "." in name else ""
    if ext == ".pdf" and f.get("queue") == "ocr":
        return "扫描件 PDF"
    return _EXT_ZH.get(ext, ext.lstrip(".").upper() + " 文件" if ext else "文件")


def size_zh(n: int | None) -> str:
    if not n:
        return "0 字节"
    if n < 1024:
        return f"{n} 字节"
    if n < 1024 * 1024:
        return f"{n / 1024:.1f} KB"
    return f"{n / 1024 / 1024:.1f} MB"


def described(batch: dict[str, Any]) -> dict[str, Any]:
    """The batch with, for each file, its outcome, kind and size in words; and the summary counts (已入库
    counts 已关联 too), the reasons of the files that did not pass with how many, and one summary line."""
    files = []
    summary = {key: 0 for key, _ in SUMMARY_ZH}
    reasons: dict[str, int] = {}
    for f in batch.get("files", []):
        outcome = file_outcome(f)
        summary[outcome["group"]] += 1
        if outcome["group"] == "rejected":
            why = outcome["detail"].split("：", 1)[0]
            reasons[why] = reasons.get(why, 0) + 1
        files.append({**f, "outcome": outcome, "kind_zh": file_kind_zh(f), "size_zh": size_zh(f.get("size"))})
    line = "，".join(f"{summary[key]} 个{word}" for key, word in SUMMARY_ZH if summary[key])
    return {
        **batch,
        "files": files,
        "summary": summary,
        "reasons": [{"reason": r, "count": n} for r, n in reasons.items()],
        "summary_zh": f"共 {len(files)} 个文件：{line or '无文件'}",
        "linked": any(f["outcome"]["word"] == "已关联" for f in files),
    }


def _size(item: tuple[str, bytes | BinaryIO]) -> int:
    content = item[1]
    if isinstance(content, bytes):
        return len(content)
    content.seek(0, 2)
    size = content.tell()
    content.seek(0)
    return size
