"""One PDF page as a PNG for the browser, with its long side clamped (runs in the parsing sandbox).

A page may legally be 14400 × 14400 pt; rendered at screen scale that is a 23040² bitmap (2 GB). The
scale is lowered so that the long side is at most ``max_px`` pixels whatever the page size.
"""

from __future__ import annotations

import io

from ingest.errors import IngestError


class PageOutOfRange(IngestError):
    """The document has no such page; ``count`` is how many it has."""

    def __init__(self, count: int) -> None:
        super().__init__(count)
        self.count = count


def render_scale(width_pt: float, height_pt: float, scale: float, max_px: int) -> float:
    """``scale`` (pixels per point), lowered so the long side stays within ``max_px`` pixels."""
    longest = max(width_pt, height_pt, 1.0)
    return min(scale, max_px / longest)


def page_png(path: str, page: int, max_px: int, scale: float = 1.6) -> bytes:
    """Page ``page`` (1-based) of the PDF at ``path`` as PNG bytes; raises PageOutOfRange."""
    import pypdfium2 as pdfium

    pdf = pdfium.PdfDocument(path)
    try:
        if not 1 <= page <= len(pdf):
            raise PageOutOfRange(len(pdf))
        p = pdf[page - 1]
        width, height = p.get_size()
        image = p.render(scale=render_scale(width, height, scale, max_px)).to_pil()
        buf = io.BytesIO()
        image.save(buf, format="PNG", optimize=True)
        return buf.getvalue()
    finally:
        pdf.close()


def page_count(path: str) -> int:
    """How many pages the PDF at ``path`` has; 0 when it is not a readable PDF."""
    import pypdfium2 as pdfium

    with open(path, "rb") as fh:
        if b"%PDF-" not in fh.read(1024):
            return 0
    try:
        pdf = pdfium.PdfDocument(path)
    except pdfium.PdfiumError:
        return 0
    try:
        return len(pdf)
    finally:
        pdf.close()
