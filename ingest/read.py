"""Reading a file into text: the first stage of ingestion.

``read_document(path)`` / ``read_bytes(data, filename)`` detect the format by content, read the text
(PDF text layer with pdfplumber in a killable child process, OCR for image-only or garbled pages,
DOCX, HTML, plain text), drop page furniture, re-join wrapped lines and return a
:class:`ingest.record.ReadDocument`. Anything unreadable raises :class:`ingest.errors.Rejected` with
a reason code and a Chinese message for the user.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

from core.taxonomy import RejectReason
from ingest.detect import Format, decode_text, detect_format
from ingest.errors import Rejected
from ingest.hygiene import strip_controls, too_many_chars
from ingest.record import FileKind, PageInfo, PageSource, ReadDocument, ReadLimits
from ingest.sandbox import SandboxCrash, SandboxMemoryError, SandboxTimeout, run_limited


def read_document(path: Path, limits: ReadLimits = ReadLimits()) -> ReadDocument:  # noqa: B008
    """Read one file. Raises ``Rejected`` (reason + Chinese message) when it cannot be read."""
    path = Path(path)
    try:
        size = path.stat().st_size
        if size > limits.max_bytes:
            raise _too_big(size, limits)
        data = path.read_bytes()
    except OSError as exc:
        raise Rejected(RejectReason.corrupt, f"无法读取文件：{exc.strerror or exc}") from exc
    return read_bytes(data, path.name, limits)


def read_bytes(
    data: bytes,
    filename: str,
    limits: ReadLimits = ReadLimits(),  # noqa: B008
    *,
    ocr_cache: Any = None,
    progress: Any = None,
) -> ReadDocument:
    """``ocr_cache``/``progress``: see :func:`ingest.pdf_read.read_pdf` (PDFs only; None: read everything)."""
    if len(data) > limits.max_bytes:
        raise _too_big(len(data), limits)
    fmt = detect_format(data)
    if fmt is Format.empty:
        raise Rejected(RejectReason.empty, "文件是空的（0 字节或只有空白），请检查后重新上传。")
    if fmt is Format.pdf:
        from ingest.pdf_read import read_pdf

        return read_pdf(data, limits, ocr_cache=ocr_cache, progress=progress)
    if fmt is Format.docx:
        from ingest.docx_text import read_docx_limited

        text = _sandboxed(read_docx_limited, (data, limits.max_unzipped_bytes), limits, "Word 文件")
        return _single_page(FileKind.docx, PageSource.docx, text)
    if fmt is Format.html:
        from ingest.html_text import read_html

        return _single_page(
            FileKind.html, PageSource.html, _sandboxed(read_html, (data,), limits, "网页文件")
        )
    if fmt is Format.text:
        text = _sandboxed(plain_text, (data,), limits, "文本文件")
        return _single_page(FileKind.text, PageSource.plain, text)
    if fmt is Format.encrypted_office:
        raise Rejected(
            RejectReason.encrypted,
            "Word 文件设置了打开密码。请提供密码，或在 Word 中取消密码后重新上传；系统不会尝试破解密码。",
        )
    if fmt is Format.doc:
        raise Rejected(
            RejectReason.unsupported,
            "这是旧版 Word（.doc）文件，暂不能直接读取：请在 Word 或 WPS 中“另存为” .docx 后重新上传。",
        )
    if filename.lower().endswith(".pdf"):
        raise Rejected(RejectReason.not_pdf, "文件名是 .pdf，但内容不是 PDF 文件，请确认文件是否正确。")
    raise Rejected(
        RejectReason.unsupported,
        "不支持的文件类型：请上传 PDF（文字版或扫描件）、Word（.docx）、网页（.html）或纯文本（UTF-8）文件。",
    )


def _too_big(size: int, limits: ReadLimits) -> Rejected:
    return Rejected(
        RejectReason.too_long,
        f"文件大小 {size / 1024 / 1024:.1f} MB，超过 {limits.max_bytes / 1024 / 1024:.0f} MB 的上限。",
    )


def plain_text(data: bytes) -> str:
    """A plain-text file's lines (UTF-8, UTF-16 or GB18030), blank lines dropped."""
    text = (decode_text(data) or "").replace("\r\n", "\n").replace("\r", "\n")
    lines = [ln.strip() for ln in text.split("\n")]
    return "\n".join(ln for ln in lines if ln)


def read_capped(fn: Callable[..., str], args: tuple, limits: ReadLimits) -> str:
    """``fn(*args)``, refused when its text is longer than ``limits.max_chars`` (runs in the sandbox, so an
    oversized text never reaches the caller)."""
    text = fn(*args)
    if len(text) > limits.max_chars:
        raise too_many_chars(len(text), limits)
    return text


def _sandboxed(fn: Callable[..., str], args: tuple, limits: ReadLimits, what: str) -> str:
    """``fn(*args)`` in the parsing sandbox (memory and time capped); its failures as ``Rejected``."""
    try:
        return run_limited(
            read_capped, (fn, args, limits), timeout_s=limits.parse_timeout_s, memory_mb=limits.max_memory_mb
        )
    except SandboxTimeout as exc:
        raise Rejected(
            RejectReason.timeout,
            f"读取{what}超过 {limits.parse_timeout_s:.0f} 秒仍未完成，已中止；文件可能过于复杂或已损坏。",
        ) from exc
    except SandboxMemoryError as exc:
        raise Rejected(
            RejectReason.too_long,
            f"读取{what}所需内存超过 {limits.max_memory_mb} MB 的上限，已中止；文件内容过大或已损坏。",
        ) from exc
    except SandboxCrash as exc:
        raise Rejected(RejectReason.corrupt, f"{what}已损坏，无法读取其中的文字。") from exc


def _single_page(kind: FileKind, source: PageSource, text: str) -> ReadDocument:
    text = strip_controls(text)
    if not text.strip():
        raise Rejected(RejectReason.blank, "文件中没有可读的文字内容。")
    return ReadDocument(
        kind=kind, text=text, pages=[PageInfo(number=1, source=source, quality=1.0, start=0, end=len(text))]
    )
