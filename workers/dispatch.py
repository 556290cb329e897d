"""Send work to whoever does it — only after the database commit the work depends on.

With a broker (``ANJIAN_BROKER_URL``) a message per job goes to its Celery queue; without one the
in-process runner is woken. If the broker is down the upload still succeeds: the jobs stay ``queued``
with no ``enqueued_at`` and the sweeper sends them later.
"""

from __future__ import annotations

import logging
from functools import lru_cache
from typing import Any

from core.db import Database
from core.settings import Settings
from workers import jobs

log = logging.getLogger(__name__)

INGEST_TASK = "anjian.ingest_job"


@lru_cache(maxsize=4)
def _producer(broker_url: str, result_backend: str | None) -> Any:
    from workers.celery_app import make_celery

    return make_celery(broker_url, result_backend)


def producer(settings: Settings) -> Any:
    assert settings.broker_url
    return _producer(settings.broker_url, settings.result_backend)


def send_ingest(app: Any, job_id: int, queue: str) -> None:
    """One message per job, on the job's queue. Time limits are the worker's (``anjian worker`` sets
    them from ANJIAN_INGEST_TIME_LIMIT_S / ANJIAN_OCR_TIME_LIMIT_S by the queues it serves)."""
    app.send_task(INGEST_TASK, args=[job_id], queue=queue)


def declare_queues(app: Any) -> None:
    """(Re)declare the queues and their bindings. With the Redis transport a message published to an
    exchange that has lost its bindings (Redis restarted without its data) is silently dropped, and a
    long-lived producer believes it declared them already; declaring is one cheap SADD per queue."""
    with app.connection_for_write() as conn:
        conn.ensure_connection(max_retries=1, interval_start=0.2, interval_step=0.5, interval_max=1.0)
        channel = conn.default_channel
        for queue in app.conf.task_queues or ():
            queue.bind(channel).declare()


def enqueue_jobs(db: Database, settings: Settings, job_ids: list[int]) -> int:
    """Queue the ingest jobs (already committed). Returns how many messages were sent."""
    if not job_ids:
        return 0
    if not settings.broker_url:
        from workers.embedded import wake

        wake()
        return 0
    with db.session() as s:
        queues = jobs.queues_of(s, job_ids)
    app = producer(settings)
    sent: list[int] = []
    try:
        declare_queues(app)
        for job_id in job_ids:
            send_ingest(app, job_id, queues.get(job_id, "default"))
            sent.append(job_id)
    except Exception:  # noqa: BLE001 - the sweeper re-sends what did not go out
        log.warning("broker unreachable: %d jobs stay queued for the sweeper", len(job_ids) - len(sent),
                    exc_info=True)
    jobs.mark_enqueued(db, sent)
    return len(sent)


def send_task(settings: Settings, name: str, args: list[Any] | None = None, queue: str = "default") -> bool:
    """Queue one of the other tasks (classify, index, report) by name; False without a broker."""
    if not settings.broker_url:
        return False
    producer(settings).send_task(name, args=args or [], queue=queue)
    return True
