"""Send work to whoever does it — only after the database commit the work depends on.

With a broker (``ANJIAN_BROKER_URL``) a message per job goes to its Celery queue; without one the
in-process runner is woken. If the broker is down the upload still succeeds: the jobs stay ``queued``
with no ``enqueued_at`` and the sweeper sends them later.
"""

from __future__ import annotations

import logging
from functools import lru_cache
from typing import Any, BinaryIO

from core.db import Database
from core.settings import Settings
from workers import jobs
from workers.messages import declare_queues, send_ingest

log = logging.getLogger(__name__)


@lru_cache(maxsize=4)
def _producer(broker_url: str, result_backend: str | None) -> Any:
    from workers.celery_app import make_celery

    return make_celery(broker_url, result_backend)


def producer(settings: Settings) -> Any:
    assert settings.broker_url
    return _producer(settings.broker_url, settings.result_backend)


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
        log.warning(
            "broker unreachable: %d jobs stay queued for the sweeper", len(job_ids) - len(sent), exc_info=True
        )
    jobs.mark_enqueued(db, sent)
    return len(sent)


def send_task(settings: Settings, name: str, args: list[Any] | None = None, queue: str = "default") -> bool:
    """Queue one of the other tasks (classify, index, report) by name; False without a broker."""
    if not settings.broker_url:
        return False
    producer(settings).send_task(name, args=args or [], queue=queue)
    return True


def submit_files(
    db: Database, settings: Settings, files: list[tuple[str, bytes | BinaryIO]], user: str | None = None
) -> int:
    """Keep every original, create a batch with one job per file in one transaction, then — after the
    commit — queue the jobs. Returns at once with the batch id."""
    batch_id, job_ids = jobs.create_batch(db, settings, files, user=user)
    enqueue_jobs(db, settings, job_ids)
    return batch_id
