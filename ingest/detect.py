"""What a file is, by its content (magic bytes), never by its name."""

from __future__ import annotations

import io
import re
import zipfile
from enum import StrEnum


class Format(StrEnum):
    empty = "empty"
    pdf = "pdf"
    docx = "docx"
    html = "html"
    text = "text"
    unknown = "unknown"


_HTML = re.compile(rb"^\s*(?:<!doctype\s+html|<html|<head|<body|<meta|<div|<p[\s>]|<title)", re.IGNORECASE)
_BOMS = (b"\xef\xbb\xbf",)


def detect_format(data: bytes) -> Format:
    """Sniff the format: PDF (``%PDF-`` in the first KiB), DOCX (a zip holding word/document.xml),
    HTML (a tag at the start), UTF-8 text; anything else is unknown."""
    if not data or not data.strip(b" \t\r\n\x00"):
        return Format.empty
    if b"%PDF-" in data[:1024]:
        return Format.pdf
    if data[:4] == b"PK\x03\x04":
        try:
            with zipfile.ZipFile(io.BytesIO(data)) as z:
                if "word/document.xml" in z.namelist():
                    return Format.docx
        except zipfile.BadZipFile:
            return Format.unknown
        return Format.unknown
    head = data[:4096]
    for bom in _BOMS:
        if head.startswith(bom):
            head = head[len(bom) :]
    if _HTML.match(head):
        return Format.html
    if _is_text(data):
        return Format.text
    return Format.unknown


def _is_text(data: bytes) -> bool:
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        return False
    if not text.strip():
        return False
    bad = sum(1 for c in text[:20000] if ord(c) < 32 and c not in "\r\n\t\f")
    return bad <= 0.001 * min(len(text), 20000)
