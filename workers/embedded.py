"""The embedded default: the same task bodies, run by threads inside the application process.

No broker needed: the runner polls the jobs table and claims jobs with the same atomic UPDATE the Celery
tasks use. On start it re-queues what a dead process held, so a restart resumes unfinished work. Once a
day, when idle, it also runs the scheduled maintenance (index consistency check, retraining).
"""

from __future__ import annotations

import datetime as dt
import logging
import threading
import time
import weakref

from sqlalchemy import select

from core.db import Database
from core.models import MaintenanceRun
from core.settings import Settings
from workers import jobs, tasks

log = logging.getLogger(__name__)

_runners: weakref.WeakSet[EmbeddedRunner] = weakref.WeakSet()
MAINTENANCE_EVERY = dt.timedelta(hours=24)
MAINTENANCE_AFTER_START_S = 300.0  # not while the application is starting up


def wake() -> None:
    """New jobs were committed: wake the in-process runners (if any; otherwise they are picked up later)."""
    for runner in list(_runners):
        runner.wake()


class EmbeddedRunner:
    """``threads`` workers in this process; ``start()`` returns at once, ``stop()`` waits for them."""

    def __init__(self, ctx: tasks.WorkerContext, threads: int = 1, *, maintenance: bool = True):
        self.ctx = ctx
        self.threads = max(1, threads)
        self.maintenance = maintenance
        self._stop = threading.Event()
        self._wake = threading.Condition()
        self._pending = 0
        self._threads: list[threading.Thread] = []
        self._last_sweep = 0.0
        self._sweep_lock = threading.Lock()
        self.processed = 0
        self._started = time.monotonic()

    # -- control --------------------------------------------------------------------------------
    def start(self) -> EmbeddedRunner:
        resumed = jobs.sweep(self.ctx.db)  # jobs of a process that died → queued again
        if resumed:
            log.info("resuming %d unfinished jobs", len(resumed))
        for i in range(self.threads):
            t = threading.Thread(target=self._loop, args=(i,), name=f"anjian-worker-{i}", daemon=True)
            t.start()
            self._threads.append(t)
        _runners.add(self)
        return self

    def stop(self, timeout: float | None = 10.0) -> None:
        """Stop taking jobs and wait a little for the current ones. A job still running after ``timeout``
        is left to the daemon thread; if the process exits meanwhile, the next start resumes it."""
        self._stop.set()
        self.wake()
        for t in self._threads:
            t.join(timeout)
        _runners.discard(self)

    def wake(self) -> None:
        with self._wake:
            self._pending += 1
            self._wake.notify_all()

    def run_until_idle(self, timeout: float = 600.0) -> bool:
        """Process in the calling thread until no job is claimable (tests, ``anjian submit --wait``)."""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if not self._work_once(jobs.worker_identity("fg")):
                if not jobs.claimable_ids(self.ctx.db, limit=1) and not self._anything_running():
                    return True
                time.sleep(0.2)
        return False

    def wait_batch(self, batch_id: int, timeout: float = 600.0) -> dict:
        deadline = time.monotonic() + timeout
        while True:
            status = jobs.batch_status(self.ctx.db, batch_id)
            if status["finished"] or time.monotonic() > deadline:
                return status
            time.sleep(0.3)

    # -- the loop -------------------------------------------------------------------------------
    def _anything_running(self) -> bool:
        return bool(jobs.sweep(self.ctx.db)) or self._running_count() > 0

    def _running_count(self) -> int:
        from sqlalchemy import func

        from core.models import Job, JobState

        with self.ctx.db.session() as s:
            return int(s.scalar(select(func.count(Job.id)).where(Job.state == JobState.running.value)) or 0)

    def _work_once(self, worker_id: str) -> bool:
        """Claim and run one job; False when none was claimable."""
        for job_id in jobs.claimable_ids(self.ctx.db, limit=self.threads + 2):
            try:
                result = tasks.run_ingest_job(self.ctx, job_id, worker_id)
            except tasks.TransientJobError:
                continue  # released with a delay; the job says why
            if result is not None:
                self.processed += 1
                return True
        return False

    def _loop(self, n: int) -> None:
        worker_id = jobs.worker_identity(f"t{n}")
        poll = self.ctx.settings.embedded_poll_s
        while not self._stop.is_set():
            try:
                self._maybe_sweep()
                if self._work_once(worker_id):
                    continue
                if n == 0 and self.maintenance:
                    self._maybe_maintain()
            except Exception:  # noqa: BLE001 - the store may be briefly unavailable; keep the thread alive
                log.warning("embedded worker round failed", exc_info=True)
                self._stop.wait(min(30.0, poll * 5))
            with self._wake:
                if self._pending == 0 and not self._stop.is_set():
                    self._wake.wait(poll)
                self._pending = 0

    def _maybe_sweep(self) -> None:
        now = time.monotonic()
        if now - self._last_sweep < self.ctx.settings.sweep_interval_s:
            return
        with self._sweep_lock:
            if now - self._last_sweep < self.ctx.settings.sweep_interval_s:
                return
            self._last_sweep = now
        jobs.sweep(self.ctx.db)

    def _maybe_maintain(self) -> None:
        if time.monotonic() - self._started < MAINTENANCE_AFTER_START_S:
            return
        with self.ctx.db.session() as s:
            last = s.scalar(
                select(MaintenanceRun.created_at)
                .where(MaintenanceRun.task == "check_index")
                .order_by(MaintenanceRun.id.desc())
                .limit(1)
            )
        if last is not None:
            if last.tzinfo is None:
                last = last.replace(tzinfo=dt.UTC)
            if jobs.utcnow() - last < MAINTENANCE_EVERY:
                return
        try:
            tasks.send_reminders(self.ctx)
        except Exception:  # noqa: BLE001 - recorded in the audit log per message; retried tomorrow
            log.warning("scheduled reminders failed", exc_info=True)
        try:
            tasks.check_index(self.ctx)
            tasks.retrain(self.ctx)
        except Exception:  # noqa: BLE001 - recorded for the operator, retried tomorrow
            log.warning("scheduled maintenance failed", exc_info=True)
            with self.ctx.db.session() as s:
                s.add(MaintenanceRun(task="check_index", ok=False, details={"error": "see log"}))


def start_embedded(
    db: Database,
    settings: Settings,
    *,
    threads: int | None = None,
    maintenance: bool = True,
) -> EmbeddedRunner:
    """Start the in-process worker (what ``anjian serve`` does when no broker is configured): one thread
    per core unless ``ANJIAN_EMBEDDED_WORKERS`` says otherwise (each thread reads its files in its own
    child process, so a batch uses every core)."""
    from pipeline.batch import default_jobs

    ctx = tasks.WorkerContext(settings, db)
    n = threads or settings.embedded_workers or default_jobs()
    return EmbeddedRunner(ctx, n, maintenance=maintenance).start()
