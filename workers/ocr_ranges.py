"""OCR of a long scan spread over the ``ocr`` queue: page ranges recognised by several workers.

A scan with more pages than ``ANJIAN_OCR_RANGE_THRESHOLD`` (default 6) is cut into ranges of
``ANJIAN_OCR_RANGE_PAGES`` pages (default 3; 0 turns ranges off). With a broker the ingest job sends one
``anjian.ocr_page_range`` task per range to the ``ocr`` queue, then works through the ranges itself
from the last one backwards, skipping pages another worker already stored: whichever finishes a page
first stores it, and a lost range task only costs time, never the file. Without a broker the ingest job
simply runs the same ranges one after the other. The reader then takes every page from the table
(``ocr_cache``) instead of recognising it again, so the text is exactly what one process would read.

Pages are stored once per (original sha256, page, OCR settings): a re-delivered range task, two
workers on the same page, or a retried ingest job all leave one row per page.
"""

from __future__ import annotations

import hashlib
import logging
from collections.abc import Callable
from dataclasses import asdict
from typing import Any

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError

from core.db import Database
from core.models import Job, JobState, OcrPageRow
from ingest.layout import Line, Page
from ingest.ocr import OcrPage

log = logging.getLogger(__name__)

OCR_RANGE_TASK = "anjian.ocr_page_range"
# Bump when ingest.ocr changes what it produces for the same settings: old rows are then ignored.
OCR_CODE_VERSION = "1"


def fingerprint(limits: Any) -> str:
    """What makes a recognised page reusable: the OCR settings that change its text."""
    key = f"v{OCR_CODE_VERSION}|{limits.ocr_lang}|{limits.ocr_dpi}"
    return hashlib.sha256(key.encode()).hexdigest()[:32]


def page_to_json(ocr: OcrPage) -> dict[str, Any]:
    return {"page": asdict(ocr.page), "quality": ocr.quality, "blank": ocr.blank}


def page_from_json(data: dict[str, Any]) -> OcrPage:
    p = data["page"]
    lines = [Line(**ln) for ln in p.get("lines") or []]
    return OcrPage(
        Page(int(p["number"]), float(p["width"]), float(p["height"]), lines),
        float(data["quality"]),
        bool(data["blank"]),
    )


def plan_ranges(n_pages: int, size: int) -> list[tuple[int, int]]:
    """1-based inclusive ranges covering pages 1..n_pages."""
    if size <= 0 or n_pages <= 0:
        return []
    return [(a, min(n_pages, a + size - 1)) for a in range(1, n_pages + 1, size)]


def cached_numbers(db: Database, sha256: str, fp: str) -> set[int]:
    with db.session() as s:
        return set(
            s.scalars(
                select(OcrPageRow.page).where(OcrPageRow.sha256 == sha256, OcrPageRow.fingerprint == fp)
            ).all()
        )


def store_page(db: Database, sha256: str, fp: str, ocr: OcrPage) -> bool:
    """Insert one recognised page; False when it was already there (another worker was first)."""
    try:
        with db.session() as s:
            exists = s.scalars(
                select(OcrPageRow.id).where(
                    OcrPageRow.sha256 == sha256,
                    OcrPageRow.page == ocr.page.number,
                    OcrPageRow.fingerprint == fp,
                )
            ).first()
            if exists is not None:
                return False
            s.add(
                OcrPageRow(
                    sha256=sha256,
                    page=ocr.page.number,
                    fingerprint=fp,
                    quality=ocr.quality,
                    result=page_to_json(ocr),
                )
            )
        return True
    except IntegrityError:
        return False


def cache_for(db: Database, sha256: str, fp: str) -> Callable[[int], OcrPage | None]:
    """The reader's ``ocr_cache``: stored pages of this original, loaded once."""
    with db.session() as s:
        rows = s.execute(
            select(OcrPageRow.page, OcrPageRow.result).where(
                OcrPageRow.sha256 == sha256, OcrPageRow.fingerprint == fp
            )
        ).all()
        pages = {int(n): page_from_json(r) for n, r in rows}
    return pages.get


def pdf_page_count(data: bytes, limits: Any) -> tuple[bytes, int] | None:
    """(bytes to render, pages) of a PDF; None when it is no readable PDF (the reader will say why)."""
    from ingest.errors import Rejected
    from ingest.pdf_text import inspect_pdf_in_child
    from ingest.sandbox import SandboxCrash, SandboxMemoryError, SandboxTimeout, run_limited

    try:  # in the sandbox, like every parse of a file
        info = run_limited(
            inspect_pdf_in_child,
            (data, limits.max_pages),
            timeout_s=limits.parse_timeout_s,
            memory_mb=limits.max_memory_mb,
        )
    except (Rejected, SandboxCrash, SandboxMemoryError, SandboxTimeout):
        return None
    return info.data or data, info.pages


def ocr_range(
    db: Database,
    data: bytes,
    sha256: str,
    limits: Any,
    first: int,
    last: int,
    on_page: Callable[[], None] | None = None,
) -> int:
    """Recognise pages first..last (1-based, inclusive) not yet stored; returns how many it stored.
    A page that cannot be recognised is left out: the reader tries it again and rejects the file
    with its reason, as without ranges."""
    from ingest.errors import Rejected
    from ingest.pdf_read import ocr_pdf_page

    fp = fingerprint(limits)
    stored = 0
    for number in range(first, last + 1):
        if number in cached_numbers(db, sha256, fp):
            continue
        try:
            ocr = ocr_pdf_page(data, number, limits)
        except Rejected as exc:
            log.warning("page %d of %s: %s", number, sha256[:12], exc)
            continue
        stored += store_page(db, sha256, fp, ocr)
        if on_page is not None:
            on_page()
    return stored


def run_ocr_range(ctx: Any, job_id: int, first: int, last: int) -> dict[str, Any]:
    """The ``anjian.ocr_page_range`` task body: ids in, pages stored. Idempotent; does nothing once the
    job is finished (its file is read already)."""
    from workers import jobs

    with ctx.db.session() as s:
        job = s.get(Job, job_id)
        if job is None or job.state in (JobState.done.value, JobState.failed.value):
            return {"stored": 0, "skipped": True}
        stored_path, sha256 = job.stored_path, job.sha256
    data = jobs.original_path(ctx.settings, stored_path).read_bytes()
    limits = ctx.pipeline.read_limits()
    pdf = pdf_page_count(data, limits)
    if pdf is None:
        return {"stored": 0, "skipped": True}
    render, n = pdf
    fp = fingerprint(limits)

    def tick() -> None:  # the job's progress shows pages recognised by any worker
        try:
            jobs.set_progress(ctx.db, job_id, None, 0.1 + 0.8 * len(cached_numbers(ctx.db, sha256, fp)) / n)
        except Exception:  # noqa: BLE001 - progress is shown, not relied on
            log.debug("job %s: progress not saved", job_id, exc_info=True)

    stored = ocr_range(ctx.db, render, sha256, limits, max(1, first), min(n, last), on_page=tick)
    return {"stored": stored, "skipped": False}


def prepare_pages(
    ctx: Any,
    sha256: str,
    data: bytes,
    *,
    send_ranges: Callable[[list[tuple[int, int]]], None] | None,
    progress: Callable[[int, int], None] | None,
) -> Callable[[int], OcrPage | None] | None:
    """Before a scan is read: fill the page table range by range (sending ranges to other workers when
    ``send_ranges`` is given). Returns the reader's ``ocr_cache``, or None for a short file or when
    ranges are off (the reader then OCRs as it always did)."""
    size = ctx.settings.ocr_range_pages
    limits = ctx.pipeline.read_limits()
    if size <= 0 or not limits.ocr:
        return None
    pdf = pdf_page_count(data, limits)
    if pdf is None or pdf[1] <= ctx.settings.ocr_range_threshold:
        return None
    render, n = pdf
    fp = fingerprint(limits)
    ranges = plan_ranges(n, size)
    if send_ranges is not None:
        have = cached_numbers(ctx.db, sha256, fp)
        missing = [r for r in ranges if any(p not in have for p in range(r[0], r[1] + 1))]
        if len(missing) > 1:
            try:
                send_ranges(missing[:-1])  # the last one is this worker's first
            except Exception:  # noqa: BLE001 - this worker does every range itself then
                log.warning("could not send OCR ranges of %s", sha256[:12], exc_info=True)

    def tick() -> None:
        if progress is not None:
            progress(len(cached_numbers(ctx.db, sha256, fp)), n)

    for first, last in reversed(ranges):
        ocr_range(ctx.db, render, sha256, limits, first, last, on_page=tick)
    return cache_for(ctx.db, sha256, fp)
