"""Attachments of a suit's reports (the analysis report, rectification plans …): DOCX or PDF only, kept like
originals — content-addressed under ``<data_dir>/attachments`` and never changed afterwards."""

from __future__ import annotations

import hashlib
import io
import zipfile
from pathlib import Path
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from core.models import SuitAttachment
from supervision.suits import SuitError, _note, get_suit


def kind_of(data: bytes) -> str | None:
    """ "pdf" or "docx" by content (not by file name); None for anything else."""
    if data.startswith(b"%PDF-"):
        return "pdf"
    if data.startswith(b"PK"):
        try:
            with zipfile.ZipFile(io.BytesIO(data)) as z:
                if "word/document.xml" in z.namelist():
                    return "docx"
        except zipfile.BadZipFile:
            return None
    return None


def add_attachment(
    session: Session,
    root: Path,
    suit_id: int,
    filename: str,
    data: bytes,
    *,
    max_mb: int,
    agency_id: int | None,
    by: str | None,
) -> SuitAttachment:
    suit = get_suit(session, suit_id)
    if len(data) > max_mb * 1024 * 1024:
        raise SuitError(f"附件「{filename}」超过 {max_mb} MB 的大小限制，请压缩后再上传")
    if not data:
        raise SuitError(f"附件「{filename}」是空文件")
    kind = kind_of(data)
    if kind is None:
        raise SuitError(f"附件「{filename}」不是 DOCX 或 PDF 文件，只接受这两种格式")
    digest = hashlib.sha256(data).hexdigest()
    rel = f"{digest[:2]}/{digest}.{kind}"
    path = root / rel
    if not path.exists():
        path.parent.mkdir(parents=True, exist_ok=True)
        tmp = path.with_suffix(".part")
        tmp.write_bytes(data)
        tmp.replace(path)
    row = SuitAttachment(
        suit_id=suit.id,
        agency_id=agency_id,
        filename=Path(filename).name[:500] or f"附件.{kind}",
        stored_path=rel,
        sha256=digest,
        size=len(data),
        uploaded_by=by,
    )
    session.add(row)
    _note(suit, f"上传附件「{row.filename}」", by)
    session.flush()
    return row


def attachments_of(session: Session, suit_id: int) -> list[dict[str, Any]]:
    return [
        {
            "id": a.id,
            "filename": a.filename,
            "size": a.size,
            "agency_id": a.agency_id,
            "uploaded_by": a.uploaded_by,
            "uploaded_at": a.created_at.isoformat() if a.created_at else None,
        }
        for a in session.scalars(
            select(SuitAttachment).where(SuitAttachment.suit_id == suit_id).order_by(SuitAttachment.id)
        )
    ]


def attachment_file(
    session: Session, root: Path, suit_id: int, attachment_id: int
) -> tuple[SuitAttachment, Path]:
    a = session.get(SuitAttachment, attachment_id)
    if a is None or a.suit_id != suit_id:
        raise SuitError(f"没有编号为 {attachment_id} 的附件")
    return a, root / a.stored_path
