"""Which queue a file goes to: scans (PDFs without a text layer) to ``ocr``, everything else to ``default``.

The check is cheap — the first page's text layer only — and runs in the parsing sandbox (memory- and
time-capped, at most two at a time), never in the calling process: a PDF built to explode when opened
costs the caller nothing and is routed to ``default``, where the reader refuses it.
"""

from __future__ import annotations

import logging
from pathlib import Path

log = logging.getLogger(__name__)

MIN_TEXT_CHARS = 20
ROUTING_TIMEOUT_S = 10.0


def needs_ocr(path: Path, memory_mb: int = 1024) -> bool:
    """True for a PDF whose first page has (almost) no extractable text. Unreadable files, and files the
    check cannot finish within its limits: False (the reader rejects them on the default queue)."""
    from ingest.sandbox import run_pooled

    try:
        with open(path, "rb") as fh:
            if b"%PDF" not in fh.read(1024):
                return False
        chars = run_pooled(
            "routing", first_page_chars, (str(path),), timeout_s=ROUTING_TIMEOUT_S, memory_mb=memory_mb
        )
        return bool(chars < MIN_TEXT_CHARS)
    except Exception as exc:  # noqa: BLE001 - routing must never fail an upload
        log.info("routing check gave up on %s: %s", path, exc)
        return False


def first_page_chars(path: str) -> int:
    """Non-blank characters of the first page's text layer (runs in the sandbox); 10**6 when there is no page."""
    import pypdfium2 as pdfium

    pdf = pdfium.PdfDocument(path)
    try:
        if len(pdf) == 0:
            return 10**6
        page = pdf[0]
        textpage = page.get_textpage()
        text = textpage.get_text_range()
        textpage.close()
        page.close()
    finally:
        pdf.close()
    return len("".join(text.split()))
