"""A long scan OCR'd in page ranges (several workers on one file) reads exactly as one process reads it,
each page is stored once whatever is delivered twice, and the job's progress rises page by page."""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlalchemy import func, select

from core.db import Database
from core.models import Document, Job, Judgment, OcrPageRow
from core.settings import Settings
from workers import jobs as jobs_mod
from workers.dispatch import submit_files
from workers.ocr_ranges import page_from_json, page_to_json, plan_ranges
from workers.tasks import WorkerContext, ocr_page_range, run_ingest_job

SCAN = "simu-030.pdf"  # a 5-page scanned judgment of the corpus


def test_ranges_cover_every_page_once() -> None:
    assert plan_ranges(5, 2) == [(1, 2), (3, 4), (5, 5)]
    assert plan_ranges(6, 3) == [(1, 3), (4, 6)]
    assert plan_ranges(5, 0) == []


@pytest.mark.ocr
def test_scan_read_in_page_ranges_matches_one_reader(
    db: Database, settings: Settings, corpus_dir: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """GIVEN a 5-page scan, ranges of 2 pages and every range task delivered twice (as by a broker after
    a lost acknowledgement) WHEN the file is ingested THEN the stored text and record are those of a
    plain read, the page table holds each page once, and the job's progress rose page by page."""
    settings = settings.model_copy(update={"ocr_range_pages": 2, "ocr_range_threshold": 4})
    path = corpus_dir / "pdf" / "scan" / SCAN
    data = path.read_bytes()
    ctx = WorkerContext(settings, db)

    batch_id = submit_files(db, settings, [(SCAN, data)])
    with db.session() as s:
        job = s.scalars(select(Job).where(Job.batch_id == batch_id)).one()
        job_id, queue = job.id, job.queue
    assert queue == "ocr"

    sent: list[tuple[int, int]] = []

    def other_workers(jid: int, ranges: list[tuple[int, int]]) -> None:
        for first, last in ranges:  # each range task runs twice
            sent.append((first, last))
            ocr_page_range(ctx, jid, first, last)
            assert ocr_page_range(ctx, jid, first, last)["stored"] == 0

    seen: list[float] = []
    real_set_progress = jobs_mod.set_progress

    def recording(db_: Database, jid: int, worker: str | None, value: float) -> bool:
        changed = real_set_progress(db_, jid, worker, value)
        if changed:
            with db_.session() as s:
                seen.append(s.get(Job, jid).progress)
        return changed

    monkeypatch.setattr(jobs_mod, "set_progress", recording)
    out = run_ingest_job(ctx, job_id, send_ranges=other_workers)
    assert out is not None and out["state"] == "done" and out["status"] == "stored"
    assert sent == [(1, 2), (3, 4)]  # the last range is the ingesting worker's own

    with db.session() as s:
        pages = s.execute(select(OcrPageRow.page, func.count()).group_by(OcrPageRow.page)).all()
        assert sorted(pages) == [(n, 1) for n in range(1, 6)]
        doc = s.get(Document, out["document_id"])
        ranged_text, ranged_pages = doc.text, doc.pages
        ranged_record = s.get(Judgment, out["judgment_id"]).record
        final = s.get(Job, job_id)
        assert final.progress == 1.0 and final.state == "done"

    # the same judgment text as one process reading the whole scan, page offsets and sources included
    plain = ctx.pipeline.read(data, SCAN)
    assert ranged_text == plain.text
    assert ranged_pages == [p.model_dump(mode="json") for p in plain.pages]
    assert ranged_record == ctx.pipeline.understand(plain).model_dump(mode="json")

    # progress rose page by page: at least one step per page, never backwards, below done until stored
    assert len(seen) >= 5 and seen == sorted(seen) and len(set(seen)) == len(seen)
    assert 0.1 < seen[0] <= 0.3 and seen[-1] <= 0.9

    # a range task delivered after the job finished does nothing
    assert ocr_page_range(ctx, job_id, 1, 2) == {"stored": 0, "skipped": True}


def test_text_pdf_progress_rises_by_page(
    db: Database, settings: Settings, corpus_dir: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """GIVEN a 15-page text PDF WHEN its job runs THEN the progress a user sees rises page by page
    (not 0 → 0.1 → 1) and the file is stored without any OCR page table rows."""
    path = corpus_dir / "pdf" / "text" / "cao-004.pdf"
    batch_id = submit_files(db, settings, [(path.name, path.read_bytes())])
    with db.session() as s:
        job_id = s.scalars(select(Job.id).where(Job.batch_id == batch_id)).one()
    seen: list[float] = []
    real_set_progress = jobs_mod.set_progress

    def recording(db_: Database, jid: int, worker: str | None, value: float) -> bool:
        changed = real_set_progress(db_, jid, worker, value)
        if changed:
            seen.append(value)
        return changed

    monkeypatch.setattr(jobs_mod, "set_progress", recording)
    out = run_ingest_job(WorkerContext(settings, db), job_id)
    assert out is not None and out["status"] == "stored"
    assert len(seen) == 15 and seen == sorted(seen) and seen[-1] == pytest.approx(0.9)
    with db.session() as s:
        assert s.scalar(select(func.count()).select_from(OcrPageRow)) == 0
        assert s.get(Job, job_id).progress == 1.0


def test_page_json_round_trip() -> None:
    from ingest.layout import Line, Page
    from ingest.ocr import OcrPage

    page = OcrPage(Page(3, 595.0, 842.0, [Line(72.0, 520.5, 100.0, 112.0, 12.0, "本院认为，")]), 0.91, False)
    assert page_from_json(page_to_json(page)) == page


@pytest.mark.redis
@pytest.mark.ocr
def test_celery_ocr_workers_share_a_long_scan(
    pg_settings: Settings, tmp_path: Path, corpus_dir: Path
) -> None:
    """GIVEN a real Celery worker with two OCR processes on Redis and PostgreSQL WHEN a 5-page scan is
    uploaded with ranges of 2 pages THEN the range tasks run on the ocr queue beside the ingest job, the
    file is stored once, and each page is recognised and stored once."""
    import os
    import signal
    import subprocess
    import sys
    import time

    import redis

    url = os.environ.get("ANJIAN_TEST_REDIS_URL", "redis://127.0.0.1:6379/7")
    client = redis.Redis.from_url(url)
    client.flushdb()
    settings = pg_settings.model_copy(update={"broker_url": url})
    db = Database(settings)
    env = {
        **os.environ,
        "ANJIAN_DATA_DIR": str(settings.data_dir),
        "ANJIAN_DATABASE_URL": str(settings.database_url),
        "ANJIAN_BROKER_URL": url,
        "ANJIAN_OCR_RANGE_PAGES": "2",
        "ANJIAN_OCR_RANGE_THRESHOLD": "4",
        "OMP_THREAD_LIMIT": "1",
    }
    env.pop("ANJIAN_ES_URL", None)
    log = (tmp_path / "worker.log").open("wb")
    proc = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "cli.main",
            "worker",
            "-Q",
            "ocr",
            "-c",
            "2",
            "-n",
            "ocr-ranges@%h",
            "-l",
            "INFO",
        ],
        env=env,
        cwd=Path(__file__).resolve().parent.parent,
        stdout=log,
        stderr=subprocess.STDOUT,
        start_new_session=True,
    )
    try:
        path = corpus_dir / "pdf" / "scan" / SCAN
        batch_id = submit_files(db, settings, [(SCAN, path.read_bytes())])
        deadline = time.monotonic() + 120
        while time.monotonic() < deadline:
            with db.session() as s:
                job = s.scalars(select(Job).where(Job.batch_id == batch_id)).one()
                if job.state in ("done", "failed"):
                    break
            time.sleep(0.5)
        assert (job.state, job.status, job.progress) == ("done", "stored", 1.0), job.message
        with db.session() as s:
            pages = s.execute(select(OcrPageRow.page, func.count()).group_by(OcrPageRow.page)).all()
            assert sorted(pages) == [(n, 1) for n in range(1, 6)]
            assert s.scalar(select(func.count()).select_from(Document)) == 1
    finally:
        os.killpg(proc.pid, signal.SIGTERM)
        try:
            proc.wait(timeout=30)
        except subprocess.TimeoutExpired:
            os.killpg(proc.pid, signal.SIGKILL)
            proc.wait()
        log.close()
        db.dispose()
        client.flushdb()
        client.close()
    assert "anjian.ocr_page_range" in (tmp_path / "worker.log").read_text("utf-8", "replace")
