"""The ingest message and the queue declarations, shared by the producer (dispatch) and the Celery app."""

from __future__ import annotations

from typing import Any

INGEST_TASK = "anjian.ingest_job"


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
