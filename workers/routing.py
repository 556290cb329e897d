"""Which queue a file goes to: scans (PDFs without a text layer) to ``ocr``, everything else to ``default``.

The check is cheap — the first page's text layer only — so that an upload returns at once.
"""

from __future__ import annotations

import logging
from pathlib import Path

log = logging.getLogger(__name__)

MIN_TEXT_CHARS = 20


def needs_ocr(path: Path) -> bool:
    """True for a PDF whose first page has (almost) no extractable text. Unreadable files: False
    (the reader will reject them quickly on the default queue)."""
    try:
        with open(path, "rb") as fh:
            if b"%PDF" not in fh.read(1024):
                return False
        import pypdfium2 as pdfium

        pdf = pdfium.PdfDocument(str(path))
        try:
            if len(pdf) == 0:
                return False
            page = pdf[0]
            textpage = page.get_textpage()
            text = textpage.get_text_range()
            textpage.close()
            page.close()
        finally:
            pdf.close()
        return len("".join(text.split())) < MIN_TEXT_CHARS
    except Exception as exc:  # noqa: BLE001 - routing must never fail an upload
        log.debug("routing check failed for %s: %s", path, exc)
        return False
