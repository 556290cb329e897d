"""Background work: uploads become jobs in the database, and workers (Celery, or threads inside the
application on the embedded default) ingest them. The jobs table is the truth.

The upload flow used by the web app and ``anjian submit``::

    batch_id = submit_files(db, settings, [(filename, data), ...], user="张三")
    batch_status(db, batch_id)  # {id, created_at, counts, files: [{job_id, filename, state, ...}]}
"""

from __future__ import annotations

from core.db import Database
from core.settings import Settings
from workers.jobs import batch_status, recent_batches

__all__ = ["batch_status", "recent_batches", "submit_files"]


def submit_files(db: Database, settings: Settings, files: list[tuple[str, bytes]], user: str | None = None) -> int:
    """Keep every original, create a batch with one job per file in one transaction, then — after the
    commit — queue the jobs. Returns at once with the batch id."""
    from workers.dispatch import enqueue_jobs
    from workers.jobs import create_batch

    batch_id, job_ids = create_batch(db, settings, files, user=user)
    enqueue_jobs(db, settings, job_ids)
    return batch_id
