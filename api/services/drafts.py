"""汇编草稿 for the API and pages: who may see and change drafts (bureau staff: admin and analyst edit,
viewers read; agency accounts see the collections they are sent, not the drafts), export to bytes."""

from __future__ import annotations

import datetime as dt
import tempfile
from pathlib import Path
from typing import Any

from sqlalchemy.orm import Session

from api.access import Scope
from api.errors import ApiError, Forbidden
from api.services.collections import MEDIA, clean_ids
from core.settings import Settings
from reports import drafts


def can_read(scope: Scope) -> None:
    if scope.restricted:
        raise Forbidden("汇编草稿由司法局编辑，单位账号无法查看", code="forbidden")


def can_edit(scope: Scope) -> None:
    can_read(scope)
    if not scope.can_write:
        raise Forbidden("只读账号不能修改汇编草稿", code="forbidden")


def create(s: Session, scope: Scope, title: str, ids: list[int]) -> dict[str, Any]:
    can_edit(scope)
    d = drafts.create_draft(s, title, clean_ids(ids), user=scope.username)
    return drafts.preview(s, d.id)


def export_bytes(
    s: Session, settings: Settings, scope: Scope, draft_id: int, fmt: str
) -> tuple[str, str, bytes]:
    can_edit(scope)
    if fmt not in MEDIA:
        raise ApiError("导出格式只能是 docx 或 pdf", code="invalid_format")
    d = drafts.get_draft(s, draft_id)
    with tempfile.TemporaryDirectory(prefix="anjian-draft-") as tmp:
        out = Path(tmp) / f"draft.{fmt}"
        drafts.export(s, settings, draft_id, out, user=scope.username)
        data = out.read_bytes()
    return f"{d.title}-{dt.date.today():%Y%m%d}.{fmt}", MEDIA[fmt], data
