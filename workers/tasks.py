"""The bodies of the background tasks: ids in, library calls, idempotent writes.

These functions know nothing of Celery or threads: the Celery tasks (workers/celery_app.py) and the
in-process runner (workers/embedded.py) both call them, so both paths run the same code. A transient
error (database or broker connection) raises :class:`TransientJobError` with a delay; anything else
that goes wrong is recorded on the job as a permanent failure with its reason — never swallowed.
"""

from __future__ import annotations

import datetime as dt
import logging
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from sqlalchemy import func, select

from core.db import Database
from core.models import Correction, Job, Judgment, MaintenanceRun
from core.settings import Settings
from pipeline.process import Pipeline
from workers import jobs

log = logging.getLogger(__name__)


class TransientJobError(Exception):
    """Try again later (after ``delay_s``): the job was put back to ``queued``."""

    def __init__(self, message: str, delay_s: float):
        super().__init__(message)
        self.delay_s = delay_s


def transient_errors() -> tuple[type[BaseException], ...]:
    """Errors worth a retry: the database or the broker is briefly unreachable or busy."""
    from sqlalchemy.exc import DisconnectionError, InterfaceError, OperationalError

    kinds: list[type[BaseException]] = [OperationalError, InterfaceError, DisconnectionError, ConnectionError]
    try:
        from redis.exceptions import ConnectionError as RedisConnectionError
        from redis.exceptions import TimeoutError as RedisTimeoutError

        kinds += [RedisConnectionError, RedisTimeoutError]
    except ImportError:  # pragma: no cover
        pass
    try:
        from kombu.exceptions import OperationalError as KombuOperationalError

        kinds.append(KombuOperationalError)
    except ImportError:  # pragma: no cover
        pass
    return tuple(kinds)


def _is_time_limit(exc: BaseException) -> bool:
    try:
        from billiard.exceptions import SoftTimeLimitExceeded
    except ImportError:  # pragma: no cover
        return False
    return isinstance(exc, SoftTimeLimitExceeded)


@dataclass
class WorkerContext:
    """What a worker process (or the in-process runner) needs, built once."""

    settings: Settings
    db: Database
    _pipeline: Pipeline | None = None
    _lock: threading.Lock = field(default_factory=threading.Lock)

    @property
    def pipeline(self) -> Pipeline:
        with self._lock:
            if self._pipeline is None:
                self._pipeline = Pipeline(self.db, self.settings)
            return self._pipeline

    def backoff(self, attempts: int) -> float:
        w = self.settings
        return min(w.retry_backoff_max_s, w.retry_backoff_s * 2 ** max(0, attempts - 1))


@contextmanager
def _lease(ctx: WorkerContext, job_id: int, worker_id: str) -> Iterator[None]:
    """Renew the job's lease every third of its length while the body runs."""
    stop = threading.Event()
    period = max(0.5, ctx.settings.job_lease_s / 3)

    def beat() -> None:
        while not stop.wait(period):
            try:
                if not jobs.renew_lease(ctx.db, job_id, worker_id, ctx.settings.job_lease_s):
                    log.warning("job %s: lease lost", job_id)
                    return
            except Exception:  # noqa: BLE001 - a missed heartbeat only shortens the lease
                log.warning("job %s: heartbeat failed", job_id, exc_info=True)

    t = threading.Thread(target=beat, name=f"lease-{job_id}", daemon=True)
    t.start()
    try:
        yield
    finally:
        stop.set()
        t.join(timeout=5)


def _ingest(ctx: WorkerContext, path: Path, filename: str, key: str, **read: Any) -> Any:
    """The pipeline, once more after a uniqueness conflict: a concurrent run stored the same job first
    (its result is returned by key), or another file of the same judgment was stored first (linked).
    ``read``: ``ocr_cache`` / ``progress`` for the reader."""
    from sqlalchemy.exc import IntegrityError

    try:
        return ctx.pipeline.ingest_path(path, filename=filename, ingest_key=key, **read)
    except IntegrityError:
        log.info("uniqueness conflict while storing %s; reading again", filename)
        return ctx.pipeline.ingest_path(path, filename=filename, ingest_key=key, **read)


def _page_progress(ctx: WorkerContext, job_id: int, worker_id: str) -> Any:
    """The reader's ``progress(done, total)`` → the job's progress, 0.1 (claimed) … 0.9 (all pages)."""

    def report(done: int, total: int) -> None:
        if total > 0:
            try:
                jobs.set_progress(ctx.db, job_id, worker_id, 0.1 + 0.8 * min(done, total) / total)
            except Exception:  # noqa: BLE001 - progress is shown, not relied on
                log.debug("job %s: progress not saved", job_id, exc_info=True)

    return report


def _read_options(
    ctx: WorkerContext, job_id: int, worker_id: str, claimed: Any, path: Path, send_ranges: Any
) -> dict[str, Any]:
    """Per-page progress for every file; for a long scan, its pages OCR'd in ranges first."""
    progress = _page_progress(ctx, job_id, worker_id)
    options: dict[str, Any] = {"progress": progress}
    if claimed.queue == "ocr":
        from workers.ocr_ranges import prepare_pages

        with ctx.db.session() as s:
            job = s.get(Job, job_id)
            sha256 = job.sha256 if job is not None else None
        if sha256:
            sender = (lambda ranges: send_ranges(job_id, ranges)) if send_ranges is not None else None
            cache = prepare_pages(ctx, sha256, path.read_bytes(), send_ranges=sender, progress=progress)
            if cache is not None:
                options["ocr_cache"] = cache
    return options


def run_ingest_job(
    ctx: WorkerContext, job_id: int, worker_id: str | None = None, send_ranges: Any = None
) -> dict[str, Any] | None:
    """Ingest one stored upload. None: nothing to do (finished, or held by a live worker).

    ``send_ranges(job_id, [(first, last), ...])``: hand page ranges of a long scan to other OCR workers
    (Celery); without it this worker OCRs every range itself (see ``workers.ocr_ranges``).

    Idempotent: the pipeline's ``ingest_key`` makes a second run after a crash return the earlier
    document instead of storing the file twice.
    """
    worker_id = worker_id or jobs.worker_identity()
    claimed = jobs.claim(ctx.db, job_id, worker_id, ctx.settings.job_lease_s)
    if claimed is None:
        log.info("job %s: already finished or held by a live worker", job_id)
        return None
    if claimed.attempts > ctx.settings.max_attempts:
        msg = f"处理此文件时处理进程已中断 {claimed.attempts - 1} 次（超时或崩溃），已停止重试。"
        jobs.fail(ctx.db, job_id, worker_id, "worker_lost", msg)
        return {"state": "failed", "reason": "worker_lost"}
    path = jobs.original_path(ctx.settings, claimed.stored_path)
    try:
        with _lease(ctx, job_id, worker_id):
            if not path.exists():
                raise FileNotFoundError(f"找不到上传文件的原件 {claimed.stored_path}")
            options = _read_options(ctx, job_id, worker_id, claimed, path, send_ranges)
            result = _ingest(ctx, path, claimed.filename, f"job-{job_id}", **options)
    except transient_errors() as exc:
        delay = ctx.backoff(claimed.attempts)
        msg = f"暂时性错误，{delay:.0f} 秒后重试：{exc.__class__.__name__}: {exc}"[:2000]
        log.warning("job %s: %s", job_id, msg)
        if claimed.attempts >= ctx.settings.max_attempts + 2:
            jobs.fail(ctx.db, job_id, worker_id, "transient", msg)
            return {"state": "failed", "reason": "transient"}
        try:
            jobs.release(ctx.db, job_id, worker_id, delay, msg)
        except Exception:  # noqa: BLE001 - the lease will expire and the sweeper re-queues it
            log.warning("job %s: could not release", job_id, exc_info=True)
        raise TransientJobError(msg, delay) from exc
    except FileNotFoundError as exc:
        jobs.fail(ctx.db, job_id, worker_id, "original_missing", str(exc))
        return {"state": "failed", "reason": "original_missing"}
    except Exception as exc:
        reason = "timeout" if _is_time_limit(exc) else "error"
        log.exception("job %s (%s) failed", job_id, claimed.filename)
        message = (
            "处理超时，已停止。" if reason == "timeout" else f"处理出错：{exc.__class__.__name__}: {exc}"
        )[:2000]
        jobs.fail(ctx.db, job_id, worker_id, reason, message)
        return {"state": "failed", "reason": reason}
    outcome = {
        "status": result.status.value,
        "reason": result.reason.value if result.reason else None,
        "message": result.message,
        "warnings": list(result.warnings),
        "judgment_id": result.judgment_id,
        "document_id": result.document_id,
    }
    if result.judgment_id is not None:
        _attach_to_suit(ctx, result.judgment_id, claimed.filename)
    if not jobs.finish(ctx.db, job_id, worker_id, outcome):
        log.warning("job %s: finished after its lease was taken; the other run finds this result", job_id)
    return {"state": "done", **outcome}


def _attach_to_suit(ctx: WorkerContext, judgment_id: int, filename: str) -> None:
    """A stored judgment attaches to its registered suit (issue 15); a failure here never fails the ingest."""
    from supervision.suits import GoLive, attach_stored

    try:
        attach_stored(ctx.db, [judgment_id], GoLive(ctx.settings.supervision_start))
    except Exception:  # noqa: BLE001 - the judgment is stored; the register can be matched again later
        log.warning("judgment %s (%s): could not attach to a suit", judgment_id, filename, exc_info=True)


# -- other tasks: small, ids in --------------------------------------------------------------------
def classify_judgment(ctx: WorkerContext, judgment_id: int) -> bool:
    """Re-classify a stored judgment from its record (e.g. after a new model), then re-index it."""
    from core.store import refresh_judgment
    from ingest.record import JudgmentRecord

    with ctx.db.session() as s:
        judgment = s.get(Judgment, judgment_id)
        if judgment is None:
            return False
        record = JudgmentRecord.model_validate(judgment.record)
        classification = ctx.pipeline.classify(record)
        judgment.classification = classification.model_dump(mode="json") if classification else None
        refresh_judgment(judgment)
    return index_judgments(ctx, [judgment_id])


def index_judgments(ctx: WorkerContext, judgment_ids: list[int]) -> bool:
    if not ctx.pipeline.index_judgments(list(judgment_ids)):
        raise TransientJobError(f"indexing {len(judgment_ids)} judgments failed", ctx.backoff(1))
    return True


def build_report(ctx: WorkerContext, params: dict[str, Any]) -> dict[str, Any]:
    """Build a bulletin or a typical-case collection in the background, into data_dir/reports/.

    ``params``: ``{"kind": "bulletin", "quarter": "2024Q2", "filename": "2024Q2通报.docx"}`` or
    ``{"kind": "collection", "causes": [...], "period": "2023", "judgment_ids": [...], "filename": "….pdf"}``.
    Only a file name is taken from the message: the report is always written inside the reports folder.
    """
    kind = params.get("kind")
    name = Path(str(params.get("filename") or "")).name
    if not name or Path(name).suffix.lower() not in (".docx", ".pdf"):
        raise ValueError("filename must end with .docx or .pdf")
    out = ctx.settings.data_dir / "reports" / name
    out.parent.mkdir(parents=True, exist_ok=True)
    with ctx.db.session() as s:
        if kind == "bulletin":
            from reports.bulletin import make_bulletin

            res = make_bulletin(s, ctx.settings, str(params["quarter"]), out)
            return {"ok": True, "path": str(out), "cases": res.cases, "losses": res.losses}
        if kind == "collection":
            from reports.collection import CollectionFilter, make_collection
            from reports.stats import Period

            f = CollectionFilter(
                causes=list(params.get("causes") or []),
                fields=list(params.get("fields") or []),
                period=Period.parse(str(params.get("period") or "all")),
                agency_ids=params.get("agency_ids"),
                judgment_ids=[int(i) for i in params.get("judgment_ids") or []],
            )
            cres = make_collection(s, ctx.settings, f, out)
            return {"ok": True, "path": str(out), "cases": cres.cases}
    raise ValueError(f"unknown report kind {kind!r}")


def _record_run(ctx: WorkerContext, task: str, ok: bool, details: dict[str, Any]) -> None:
    with ctx.db.session() as s:
        s.add(MaintenanceRun(task=task, ok=ok, details=details))


def drain_outbox(ctx: WorkerContext) -> int:
    """Index what the outbox holds (judgments whose indexing failed or was cut off); returns how many."""
    from pipeline.indexing import drain_outbox as drain
    from pipeline.indexing import pending_outbox

    if not pending_outbox(ctx.db):
        return 0
    return drain(ctx.db, ctx.pipeline.search_backend())


def send_reminders(ctx: WorkerContext) -> dict[str, int]:
    """Daily: the register's reminders by e-mail and webhook (once per message; see supervision.reminders)."""
    from supervision.reminders import delivery_for
    from supervision.reminders import send_reminders as send
    from supervision.suits import GoLive
    from supervision.workdays import WorkCalendar

    cal = WorkCalendar.load([ctx.settings.holidays_file, Path(ctx.settings.data_dir) / "holidays.csv"])
    with ctx.db.session() as s:
        counts = send(
            s, cal, dt.date.today(), GoLive(ctx.settings.supervision_start), delivery_for(ctx.settings)
        )
    _record_run(ctx, "send_reminders", counts["failed"] == 0, dict(counts))
    return counts


def check_index(ctx: WorkerContext, chunk: int = 200) -> dict[str, Any]:
    """Nightly: the search index holds exactly the stored judgments. Index the missing, delete the extra."""
    backend = ctx.pipeline.search_backend()
    indexed = set(backend.ids())
    with ctx.db.session() as s:
        stored = set(s.scalars(select(Judgment.id)).all())
    missing = sorted(stored - indexed)
    extra = sorted(indexed - stored)
    failed = 0
    for i in range(0, len(missing), chunk):
        part = missing[i : i + chunk]
        if not ctx.pipeline.index_judgments(part):
            failed += len(part)
    if extra:
        backend.delete(extra)
    details = {
        "stored": len(stored),
        "indexed": len(indexed),
        "missing": len(missing),
        "extra": len(extra),
        "failed": failed,
    }
    _record_run(ctx, "check_index", failed == 0, details)
    log.info("index check: %s", details)
    return details


def retrain(ctx: WorkerContext) -> dict[str, Any]:
    """Retrain the classifier when reviewers made corrections since the last retraining."""
    with ctx.db.session() as s:
        newest = s.scalar(select(func.max(Correction.id))) or 0
        last = s.scalars(
            select(MaintenanceRun)
            .where(MaintenanceRun.task == "retrain", MaintenanceRun.ok.is_(True))
            .order_by(MaintenanceRun.id.desc())
            .limit(1)
        ).first()
        seen = int((last.details or {}).get("max_correction_id", 0)) if last else 0
    if newest <= seen:
        return {"retrained": False, "message": "没有新的人工更正"}
    from pipeline.training import TrainingUnavailable, train_from_store

    try:
        out = train_from_store(ctx.db, ctx.settings, ctx.settings.training_corpus)
    except TrainingUnavailable as exc:
        _record_run(ctx, "retrain", False, {"max_correction_id": newest, "error": str(exc)})
        return {"retrained": False, "message": str(exc)}
    details = {"max_correction_id": newest, "result": out}
    _record_run(ctx, "retrain", True, details)
    ctx.pipeline.reload_model()
    return {"retrained": True, **details}


def ocr_page_range(ctx: WorkerContext, job_id: int, first: int, last: int) -> dict[str, Any]:
    """OCR pages first..last of a stored upload into the page table (idempotent)."""
    from workers.ocr_ranges import run_ocr_range

    return run_ocr_range(ctx, job_id, first, last)
