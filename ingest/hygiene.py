"""Limits and cleaning every reader applies to the text it returns (shared by ingest.read and ingest.pdf_read)."""

from __future__ import annotations

import re

from core.taxonomy import RejectReason
from ingest.errors import Rejected
from ingest.record import ReadLimits

_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")


def strip_controls(text: str) -> str:
    """Control characters (C0 but tab and newline, DEL) out: no judgment prints them, and stored in a party
    name they break XLSX export and DOCX reports."""
    return _CONTROL.sub("", text)


def too_many_chars(n: int, limits: ReadLimits) -> Rejected:
    return Rejected(
        RejectReason.too_long,
        f"文件的文字有 {n / 10000:.0f} 万字，超过单个文件 {limits.max_chars / 10000:.0f} 万字的上限，"
        "不像一份裁判文书；请确认文件内容，必要时拆分后上传。",
    )
