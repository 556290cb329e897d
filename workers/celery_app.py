"""The Celery application (production: Redis broker). Thin tasks: ids in, the bodies live in workers.tasks.

Start a worker with ``anjian worker`` (or ``celery -A workers.celery_app worker -Q default``), the
scheduler with ``anjian beat``. JSON only — never pickle. Late acknowledgement: a task whose worker dies
is not lost; and because Redis redelivers only after its visibility timeout, every worker also runs a
sweeper that re-queues jobs whose lease expired (the jobs table is the truth).
"""

from __future__ import annotations

import logging
import os
import threading
from typing import Any

from celery import Celery, signals
from celery.schedules import crontab
from kombu import Exchange, Queue

from core.db import Database
from core.settings import Settings, load_settings
from workers import tasks
from workers.messages import INGEST_TASK, declare_queues, send_ingest
from workers.ocr_ranges import OCR_RANGE_TASK

log = logging.getLogger(__name__)

QUEUES = ("default", "ocr")


def time_limit_for(w: Settings, queues: list[str]) -> float:
    """Hard time limit of one task on a worker serving ``queues``: scans may take much longer."""
    return w.ocr_time_limit_s if "ocr" in queues else w.ingest_time_limit_s


def make_celery(
    broker_url: str | None,
    result_backend: str | None = None,
    queues: list[str] | None = None,
    *,
    settings: Settings | None = None,
) -> Celery:
    """The app; ``queues``: those this worker serves (their time limit applies), default all.
    Time limits and retry knobs come from ``settings`` (default: read from the environment)."""
    w = settings or load_settings()
    limit = time_limit_for(w, list(queues or QUEUES))
    app = Celery(
        "anjian",
        broker=broker_url or "redis://127.0.0.1:6379/0",
        backend=result_backend or broker_url,
        set_as_current=False,
    )
    app.conf.update(
        task_serializer="json",
        result_serializer="json",
        accept_content=["json"],
        result_accept_content=["json"],
        task_default_queue="default",
        task_default_exchange="default",
        task_default_routing_key="default",
        # one direct exchange per queue, so a message for ``ocr`` lands in ``ocr`` only
        task_queues=[Queue(q, Exchange(q, type="direct"), routing_key=q) for q in QUEUES],
        task_acks_late=True,
        task_reject_on_worker_lost=True,
        task_acks_on_failure_or_timeout=True,
        worker_prefetch_multiplier=1,
        task_ignore_result=True,
        # the configured limit is the soft one: the task records "timeout" on its job and stops; the
        # hard limit (which kills the process) is the safety net for a task that cannot be interrupted
        task_soft_time_limit=limit,
        task_time_limit=limit + max(10.0, limit * 0.1),
        task_track_started=False,
        broker_connection_retry_on_startup=True,
        # an upload must not hang when Redis is down: fail fast, the jobs stay queued for the sweeper
        task_publish_retry_policy={
            "max_retries": 1,
            "interval_start": 0.2,
            "interval_step": 0.5,
            "interval_max": 1.0,
        },
        broker_transport_options={"visibility_timeout": 3600},
        worker_max_tasks_per_child=200,  # bounds memory growth of long OCR runs
        timezone="Asia/Shanghai",
        enable_utc=True,
        beat_schedule={
            "sweep-dead-workers": {"task": "anjian.sweep", "schedule": max(10.0, w.sweep_interval_s)},
            "drain-index-outbox": {"task": "anjian.drain_outbox", "schedule": 10.0},
            "nightly-index-check": {"task": "anjian.check_index", "schedule": crontab(hour=2, minute=30)},
            "nightly-retrain": {"task": "anjian.retrain", "schedule": crontab(hour=3, minute=30)},
            "daily-reminders": {"task": "anjian.send_reminders", "schedule": crontab(hour=8, minute=0)},
        },
    )
    _register_tasks(app)
    return app


# -- per-process runtime -----------------------------------------------------------------------------
_ctx: tasks.WorkerContext | None = None
_ctx_pid = 0
_ctx_lock = threading.Lock()


def context() -> tasks.WorkerContext:
    """The worker process's settings, store and pipeline, built once per process (after the fork)."""
    global _ctx, _ctx_pid
    with _ctx_lock:
        if _ctx is None or _ctx_pid != os.getpid():
            settings = load_settings()
            _ctx = tasks.WorkerContext(settings, Database(settings))
            _ctx_pid = os.getpid()
        return _ctx


def _range_sender(app: Celery) -> Any:
    """Send page ranges of a long scan to the ``ocr`` queue, one task per range (ids in, JSON)."""

    def send(job_id: int, ranges: list[tuple[int, int]]) -> None:
        for first, last in ranges:
            app.send_task(OCR_RANGE_TASK, args=[job_id, first, last], queue="ocr")

    return send


def _register_tasks(app: Celery) -> None:
    @app.task(name=INGEST_TASK, bind=True, max_retries=None, shared=False)
    def ingest_job(self: Any, job_id: int) -> dict[str, Any] | None:
        try:
            return tasks.run_ingest_job(context(), int(job_id), send_ranges=_range_sender(self.app))
        except tasks.TransientJobError as exc:
            raise self.retry(countdown=exc.delay_s, exc=exc) from exc

    @app.task(name=OCR_RANGE_TASK, bind=True, max_retries=5, shared=False)
    def ocr_page_range(self: Any, job_id: int, first: int, last: int) -> dict[str, Any]:
        try:
            return tasks.ocr_page_range(context(), int(job_id), int(first), int(last))
        except tasks.transient_errors() as exc:
            raise self.retry(countdown=context().backoff(self.request.retries + 1), exc=exc) from exc

    @app.task(name="anjian.classify_judgment", bind=True, max_retries=5, shared=False)
    def classify_judgment(self: Any, judgment_id: int) -> bool:
        try:
            return tasks.classify_judgment(context(), int(judgment_id))
        except tasks.TransientJobError as exc:
            raise self.retry(countdown=exc.delay_s, exc=exc) from exc

    @app.task(name="anjian.index_judgments", bind=True, max_retries=5, shared=False)
    def index_judgments(self: Any, judgment_ids: list[int]) -> bool:
        try:
            return tasks.index_judgments(context(), [int(i) for i in judgment_ids])
        except tasks.TransientJobError as exc:
            raise self.retry(countdown=exc.delay_s, exc=exc) from exc

    @app.task(name="anjian.build_report", shared=False)
    def build_report(params: dict[str, Any]) -> dict[str, Any]:
        return tasks.build_report(context(), dict(params))

    @app.task(name="anjian.drain_outbox", time_limit=600, shared=False)
    def drain_outbox() -> int:
        return tasks.drain_outbox(context())

    @app.task(name="anjian.check_index", time_limit=3 * 3600, shared=False)
    def check_index() -> dict[str, Any]:
        return tasks.check_index(context())

    @app.task(name="anjian.send_reminders", time_limit=1800, shared=False)
    def send_reminders() -> dict[str, int]:
        return tasks.send_reminders(context())

    @app.task(name="anjian.retrain", time_limit=3 * 3600, shared=False)
    def retrain() -> dict[str, Any]:
        return tasks.retrain(context())

    @app.task(name="anjian.sweep", shared=False)
    def sweep() -> int:
        return sweep_and_resend(context(), app)


def sweep_and_resend(ctx: tasks.WorkerContext, app: Celery) -> int:
    """Re-queue jobs of dead workers and send them again; re-send queued jobs whose message is lost
    (queued in the database for a while, but their broker queue is empty)."""
    from workers import jobs

    ids = jobs.sweep(ctx.db)
    stale = jobs.stale_queued(ctx.db, ctx.settings.requeue_after_s)
    if stale:
        empty = _empty_queues(app, {q for _, q in stale})
        ids += [job_id for job_id, q in stale if q in empty and job_id not in ids]
    if not ids:
        return 0
    with ctx.db.session() as s:
        queues = jobs.queues_of(s, ids)
    declare_queues(app)
    for job_id in ids:
        send_ingest(app, job_id, queues.get(job_id, "default"))
    jobs.mark_enqueued(ctx.db, ids)
    log.info("sweeper re-sent %d jobs", len(ids))
    return len(ids)


def _empty_queues(app: Celery, names: set[str]) -> set[str]:
    empty = set()
    with app.connection_for_write() as conn:
        channel = conn.default_channel
        for name in names:
            try:
                if channel.queue_declare(queue=name, passive=True).message_count == 0:
                    empty.add(name)
            except Exception:  # noqa: BLE001 - a queue that does not exist yet holds no message
                empty.add(name)
    return empty


@signals.worker_process_init.connect
def _allow_sandbox_children(**_: Any) -> None:
    """Pool processes are marked daemonic, and daemonic processes may not start children — but the
    reader runs each parse in a killable child process (ingest.sandbox). The pool child stays the
    children's parent and the sandbox kills them on its own time limit, so lift the flag. (billiard
    also installs its own authkey type, which the standard library refuses to send to a forkserver.)"""
    import multiprocessing
    import multiprocessing.process

    config = multiprocessing.current_process()._config  # type: ignore[attr-defined]
    config["daemon"] = False
    config["authkey"] = multiprocessing.process.AuthenticationString(  # type: ignore[attr-defined]
        bytes(config["authkey"])
    )


# -- the sweeper thread of a worker's main process ----------------------------------------------------
_sweeper_stop = threading.Event()


@signals.worker_ready.connect
def _start_sweeper(sender: Any = None, **_: Any) -> None:
    interval = _settings.sweep_interval_s
    consumer_app = getattr(sender, "app", None) or app

    def loop() -> None:
        while not _sweeper_stop.wait(interval):
            try:
                sweep_and_resend(context(), consumer_app)
            except Exception:  # noqa: BLE001 - next round
                log.warning("sweeper round failed", exc_info=True)

    threading.Thread(target=loop, name="anjian-sweeper", daemon=True).start()


@signals.worker_shutdown.connect
def _stop_sweeper(**_: Any) -> None:
    _sweeper_stop.set()


_settings = load_settings()
app = make_celery(_settings.broker_url, _settings.result_backend, settings=_settings)
