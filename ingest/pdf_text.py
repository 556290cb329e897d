"""PDF structure checks (pikepdf/qpdf) and text-layer extraction (pdfplumber).

``inspect_pdf`` runs in the sandbox too (``inspect_pdf_in_child``): it is qpdf (C++), fast, and only reads the object
structure: encryption, truncation, a broken cross-reference table (rebuilt, then the repaired bytes are
used), and the page count, so a 600-page file is refused before any text is extracted.
``extract_lines`` is what runs in the sandboxed child: pdfplumber page by page, glyphs → lines.
"""

from __future__ import annotations

import io
import re
from dataclasses import dataclass

from core.taxonomy import RejectReason
from ingest.errors import Rejected
from ingest.layout import Glyph, Page, build_lines


@dataclass
class PdfInfo:
    data: bytes  # the bytes to parse: the original, or the repaired copy
    pages: int
    repaired: bool


def inspect_pdf(data: bytes, max_pages: int) -> PdfInfo:
    import pikepdf

    tail = data[-2048:]
    truncated = b"%%EOF" not in tail and b"startxref" not in tail
    if truncated:
        raise Rejected(
            RejectReason.corrupt,
            "PDF 文件不完整（文件在中途被截断，缺少结尾的交叉引用表），请重新下载或扫描后再上传。",
        )
    try:
        pdf = pikepdf.open(io.BytesIO(data))
    except pikepdf.PasswordError as exc:
        raise Rejected(
            RejectReason.encrypted,
            "PDF 文件已加密，需要打开密码。请提供密码，或用原软件去除密码后重新上传；系统不会尝试破解密码。",
        ) from exc
    except pikepdf.PdfError as exc:
        raise Rejected(RejectReason.corrupt, f"PDF 文件已损坏，无法打开：{_short(exc)}") from exc
    with pdf:
        # opened without a password: at most an owner password (printing/copying limits), readable
        try:
            n = len(pdf.pages)
        except pikepdf.PdfError as exc:
            raise Rejected(RejectReason.corrupt, f"PDF 文件的页面结构已损坏：{_short(exc)}") from exc
        if n == 0:
            raise Rejected(RejectReason.blank, "PDF 文件没有任何页面。")
        if n > max_pages:
            raise Rejected(
                RejectReason.too_long,
                f"PDF 共 {n} 页，超过单个文件 {max_pages} 页的上限；请确认是否为一份裁判文书，必要时拆分后上传。",
            )
        warnings = pdf.get_warnings()
        repaired = bool(warnings)
        if pdf.is_encrypted or repaired:
            out = io.BytesIO()
            try:
                pdf.save(out)
            except pikepdf.PdfError as exc:
                raise Rejected(RejectReason.corrupt, f"PDF 文件已损坏，无法修复：{_short(exc)}") from exc
            data = out.getvalue()
    return PdfInfo(data=data, pages=n, repaired=repaired)


MAX_STREAM_BYTES = 256 * 1024 * 1024  # one stream, inflated: a 200-page scan's largest image is < 100 MB


def check_streams(data: bytes, max_stream: int = MAX_STREAM_BYTES) -> None:
    """Refuse a PDF with a Flate stream that inflates past ``max_stream`` bytes (a decompression bomb),
    inflating each chunk by chunk with the cap (so the check itself stays small). Runs in the sandbox."""
    import zlib

    import pikepdf

    try:
        pdf = pikepdf.open(io.BytesIO(data))
    except pikepdf.PdfError:
        return  # inspect_pdf says why
    with pdf:
        for obj in pdf.objects:
            if not isinstance(obj, pikepdf.Stream):
                continue
            filters = obj.get("/Filter")
            names = [str(f) for f in filters] if isinstance(filters, pikepdf.Array) else [str(filters)]
            if names[:1] != ["/FlateDecode"]:
                continue
            try:
                raw = obj.read_raw_bytes()
            except pikepdf.PdfError:
                continue
            inflater, total, pos = zlib.decompressobj(), 0, 0
            while pos < len(raw) and not inflater.eof:
                chunk = inflater.decompress(raw[pos : pos + (1 << 16)], 1 << 20)
                pos += 1 << 16
                total += len(chunk)
                while inflater.unconsumed_tail and total <= max_stream:
                    chunk = inflater.decompress(inflater.unconsumed_tail, 1 << 20)
                    total += len(chunk)
                if total > max_stream:
                    raise Rejected(
                        RejectReason.bomb,
                        f"该 PDF 是“解压炸弹”：其中一段 {len(raw) / 1024 / 1024:.1f} MB 的压缩数据解压后超过 "
                        f"{max_stream / 1024 / 1024:.0f} MB，已拒绝读取。",
                    )


def inspect_pdf_in_child(data: bytes, max_pages: int) -> PdfInfo:
    """:func:`inspect_pdf` and :func:`check_streams` as the sandbox runs them: the bytes come back only
    when they were repaired."""
    info = inspect_pdf(data, max_pages)
    check_streams(info.data)
    return PdfInfo(data=info.data if info.data is not data else b"", pages=info.pages, repaired=info.repaired)


def _short(exc: Exception) -> str:
    return re.sub(r"\s+", " ", str(exc))[:160]


# ------------------------------------------------------------------------------ runs in the child


@dataclass
class RawPage:
    page: Page
    n_glyphs: int
    n_cid: int  # glyphs pdfminer could not map to Unicode, "(cid:123)"
    has_image: bool
    hidden: bool = False  # text the page does not show: invisible, white, or under an image (ingest.visible)


def extract_lines(data: bytes, reader: str = "pdfium") -> list[RawPage]:
    """Every page's text lines from the text layer. Runs inside the sandbox.

    ``reader`` "pdfium" (the default, :mod:`ingest.pdfium_text`) hands the file to pdfplumber, the reference
    reader, when pdfium sees something only pdfplumber reads faithfully; "pdfplumber" always uses it."""
    pages: list[RawPage] | None = None
    if reader == "pdfium":
        from ingest.pdfium_text import NeedsReferenceReader, read_pages

        try:
            return [
                RawPage(page, n_glyphs, 0, has_image, hidden)
                for page, n_glyphs, has_image, hidden in read_pages(data)
            ]
        except NeedsReferenceReader:
            pass
    pages = extract_lines_pdfplumber(data)
    _mark_hidden(data, pages)
    return pages


def _mark_hidden(data: bytes, pages: list[RawPage]) -> None:
    from ingest.visible import hidden_text_pages

    try:
        hidden = set(hidden_text_pages(data))
    except Exception:  # noqa: BLE001 - pdfium cannot walk the objects: nothing to say about visibility
        return
    for rp in pages:
        rp.hidden = rp.page.number in hidden


def extract_lines_pdfplumber(data: bytes) -> list[RawPage]:
    """Every page's text lines from the text layer, read by pdfplumber (the reference reader)."""
    import pdfplumber

    out: list[RawPage] = []
    with pdfplumber.open(io.BytesIO(data)) as pdf:
        for i, page in enumerate(pdf.pages, start=1):
            glyphs = []
            n_cid = 0
            for c in page.chars:
                text = c["text"]
                if text.startswith("(cid:"):
                    n_cid += 1
                glyphs.append(Glyph(text, c["x0"], c["x1"], c["top"], c["bottom"], c["size"]))
            has_image = bool(page.images)
            lines = build_lines(glyphs)
            out.append(
                RawPage(Page(i, float(page.width), float(page.height), lines), len(glyphs), n_cid, has_image)
            )
            page.close()
    return out


def raw_extract_text(data: bytes) -> list[str]:
    """The cost floor used by the benchmark: plain ``page.extract_text()`` of every page."""
    import pdfplumber

    texts: list[str] = []
    with pdfplumber.open(io.BytesIO(data)) as pdf:
        for page in pdf.pages:
            texts.append(page.extract_text() or "")
            page.close()
    return texts
