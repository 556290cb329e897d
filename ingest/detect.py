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
    encrypted_office = "encrypted_office"  # a password-protected .docx (an OLE container)
    doc = "doc"  # the old binary Word format
    unknown = "unknown"


_HTML = re.compile(rb"^\s*(?:<!doctype\s+html|<html|<head|<body|<meta|<div|<p[\s>]|<title)", re.IGNORECASE)
_BOMS = (b"\xef\xbb\xbf",)
_OLE = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
_OLE_ENCRYPTED = "EncryptedPackage".encode("utf-16-le")
_OLE_WORD = "WordDocument".encode("utf-16-le")


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
    if data[:8] == _OLE:
        if _OLE_ENCRYPTED in data:
            return Format.encrypted_office
        return Format.doc if _OLE_WORD in data else Format.unknown
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
    return decode_text(data) is not None


def decode_text(data: bytes) -> str | None:
    """The text of a plain-text file as clerks save them: UTF-8 (with or without BOM), UTF-16 with a BOM,
    or GB18030/GBK (Windows Notepad's 'ANSI' on a Chinese system); None when it is not text."""
    if data[:2] in (b"\xff\xfe", b"\xfe\xff"):
        candidates = ["utf-16"]
    else:
        candidates = ["utf-8-sig", "gb18030"]
    for enc in candidates:
        try:
            text = data.decode(enc)
        except UnicodeDecodeError:
            continue
        if _looks_like_text(text, legacy=enc == "gb18030"):
            return text
    return None


def _looks_like_text(text: str, legacy: bool) -> bool:
    if not text.strip():
        return False
    sample = text[:20000]
    bad = sum(1 for c in sample if ord(c) < 32 and c not in "\r\n\t\f")
    if bad > 0.001 * len(sample):
        return False
    if not legacy:
        return True
    # GB18030 decodes many binary byte runs too: demand mostly common Han, ASCII and CJK punctuation
    common = sum(
        1
        for c in sample
        if c.isascii() or "\u4e00" <= c <= "\u9fff" or "\u3000" <= c <= "\u303f" or "\uff00" <= c <= "\uffef"
    )
    return common >= 0.95 * len(sample)
