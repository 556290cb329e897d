"""Real Celery workers on the real Redis and PostgreSQL: a batch of 50 judgments survives a SIGKILLed worker.

Each test uses Redis database 7 (flushed) and its own PostgreSQL schema. Workers are real ``anjian worker``
processes; leases are short here so recovery happens within seconds, not minutes.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import func, select

from core.db import Database
from core.models import Document, Job, Judgment
from core.settings import Settings
from workers.dispatch import submit_files
from workers.jobs import batch_status

pytestmark = pytest.mark.redis

REPO = Path(__file__).resolve().parent.parent
REDIS_URL = os.environ.get("ANJIAN_TEST_REDIS_URL", "redis://127.0.0.1:6379/7")


@pytest.fixture
def broker() -> Iterator[str]:
    import redis

    client = redis.Redis.from_url(REDIS_URL)
    try:
        client.ping()
    except redis.exceptions.ConnectionError:
        pytest.fail(f"Redis is not reachable at {REDIS_URL}: start it (see README)")
    client.flushdb()
    yield REDIS_URL
    client.flushdb()
    client.close()


@pytest.fixture
def stack(pg_settings: Settings, broker: str) -> Iterator[tuple[Settings, Database, dict[str, str]]]:
    settings = pg_settings.model_copy(update={"broker_url": broker})
    db = Database(settings)
    env = {
        **os.environ,
        "ANJIAN_DATA_DIR": str(settings.data_dir),
        "ANJIAN_DATABASE_URL": str(settings.database_url),
        "ANJIAN_BROKER_URL": broker,
        "ANJIAN_JOB_LEASE_S": "6",
        "ANJIAN_SWEEP_INTERVAL_S": "2",
        "ANJIAN_REQUEUE_AFTER_S": "5",
        "OMP_THREAD_LIMIT": "1",
    }
    env.pop("ANJIAN_ES_URL", None)
    yield settings, db, env
    db.dispose()


class Worker:
    """One ``anjian worker`` process group (the Celery parent and its pool children)."""

    def __init__(self, env: dict[str, str], name: str, log: Path, queues: str = "default,ocr"):
        self.log = log.open("wb")
        self.proc = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "cli.main",
                "worker",
                "-Q",
                queues,
                "-c",
                "2",
                "-n",
                f"{name}@%h",
                "-l",
                "WARNING",
            ],
            env=env,
            cwd=REPO,
            stdout=self.log,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )

    def kill(self, sig: int = signal.SIGKILL) -> None:
        try:
            os.killpg(self.proc.pid, sig)
        except ProcessLookupError:
            pass
        try:
            self.proc.wait(timeout=30)
        except subprocess.TimeoutExpired:
            os.killpg(self.proc.pid, signal.SIGKILL)
            self.proc.wait()
        self.log.close()


def _wait(db: Database, batch_id: int, pred, timeout: float) -> dict:  # type: ignore[no-untyped-def]
    deadline = time.monotonic() + timeout
    while True:
        status = batch_status(db, batch_id)
        if pred(status) or time.monotonic() > deadline:
            return status
        time.sleep(0.25)


def test_batch_survives_a_killed_worker_and_a_poison_file(stack, corpus_dir: Path, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    """GIVEN 50 real text PDFs, a truncated PDF and an upload whose original vanished, queued on Redis,
    and 3 of the messages lost by the broker WHEN a worker is SIGKILLed mid-batch and a new one started
    THEN every judgment is stored exactly once, no job is stuck, the truncated file is rejected and the
    vanished one fails alone with its reason."""
    import redis

    settings, db, env = stack
    texts = sorted((corpus_dir / "pdf" / "text").glob("*.pdf"))[:50]
    files = [(p.name, p.read_bytes()) for p in texts]
    files.append(("truncated.pdf", (corpus_dir / "bad" / "truncated.pdf").read_bytes()))
    files.append(("vanished.pdf", b"%PDF-1.4 an upload whose stored original was lost\n"))
    batch_id = submit_files(db, settings, files)
    with db.session() as s:
        vanished = s.scalars(select(Job).where(Job.filename == "vanished.pdf")).one()
        (settings.originals_dir / vanished.stored_path).unlink()
        assert s.scalar(select(func.count()).select_from(Job).where(Job.enqueued_at.is_(None))) == 0
    client = redis.Redis.from_url(settings.broker_url)
    assert (client.llen("default"), client.llen("ocr")) == (52, 0)  # one message per file, text → default
    for _ in range(3):
        client.rpop("default")  # lost by the broker: the sweeper must notice and send them again
    client.close()

    first = Worker(env, "first", tmp_path / "first.log")
    try:
        mid = _wait(db, batch_id, lambda st: st["counts"]["done"] >= 8 and st["counts"]["running"] >= 1, 240)
        assert mid["counts"]["done"] >= 8, (mid["counts"], (tmp_path / "first.log").read_text()[-3000:])
    finally:
        first.kill()
    killed = batch_status(db, batch_id)["counts"]
    assert killed["running"] >= 1 and killed["done"] + killed["failed"] < len(files)

    second = Worker(env, "second", tmp_path / "second.log")
    try:
        final = _wait(db, batch_id, lambda st: st["finished"], 420)
    finally:
        second.kill(signal.SIGTERM)
    assert final["finished"], (final["counts"], (tmp_path / "second.log").read_text()[-3000:])

    by_name = {f["filename"]: f for f in final["files"]}
    for name, _ in files[:50]:
        f = by_name[name]
        assert f["state"] == "done" and f["status"] in ("stored", "linked"), f
    assert (by_name["truncated.pdf"]["status"], by_name["truncated.pdf"]["reason"]) == ("rejected", "corrupt")
    v = by_name["vanished.pdf"]
    assert (v["state"], v["reason"]) == ("failed", "original_missing")
    assert final["counts"] == {"queued": 0, "running": 0, "done": 51, "failed": 1}
    with db.session() as s:
        # exactly once: one document per uploaded file, one judgment per distinct judgment
        per_sha = dict(s.execute(select(Document.sha256, func.count()).group_by(Document.sha256)).all())
        assert len(per_sha) == 51 and set(per_sha.values()) == {1}
        judgments = {by_name[name]["judgment_id"] for name, _ in files[:50]}
        assert s.scalar(select(func.count()).select_from(Judgment)) == len(judgments)
        assert s.scalar(select(func.count()).select_from(Job).where(Job.attempts > 1)) >= 1  # someone resumed


def test_a_file_that_runs_too_long_fails_alone_with_its_reason(
    stack, corpus_dir: Path, tmp_path: Path
) -> None:  # type: ignore[no-untyped-def]
    """GIVEN an OCR worker whose time limit is shorter than one scan takes, and a default worker WHEN a scan
    and 3 text PDFs are submitted THEN the scan fails with reason timeout, and the text PDFs are stored."""
    settings, db, env = stack
    scan = sorted((corpus_dir / "pdf" / "scan").glob("*.pdf"))[0]
    texts = sorted((corpus_dir / "pdf" / "text").glob("*.pdf"))[:3]
    batch_id = submit_files(db, settings, [(p.name, p.read_bytes()) for p in [scan, *texts]])
    ocr = Worker({**env, "ANJIAN_OCR_TIME_LIMIT_S": "3"}, "ocr", tmp_path / "ocr.log", queues="ocr")
    default = Worker(env, "default", tmp_path / "default.log", queues="default")
    try:
        final = _wait(db, batch_id, lambda st: st["finished"], 180)
    finally:
        ocr.kill(signal.SIGTERM)
        default.kill(signal.SIGTERM)
    assert final["finished"], (final["counts"], (tmp_path / "ocr.log").read_text()[-3000:])
    by_name = {f["filename"]: f for f in final["files"]}
    assert (by_name[scan.name]["state"], by_name[scan.name]["reason"]) == ("failed", "timeout"), by_name[
        scan.name
    ]
    assert "超时" in by_name[scan.name]["message"]
    assert all(by_name[p.name]["status"] == "stored" for p in texts)


def test_upload_while_the_broker_is_down_is_sent_later(stack) -> None:  # type: ignore[no-untyped-def]
    """GIVEN Redis unreachable WHEN files are uploaded THEN the upload still returns at once with the jobs
    queued in the database; once the broker is back the sweeper sends their messages."""
    import redis

    from workers import dispatch
    from workers.celery_app import make_celery, sweep_and_resend
    from workers.tasks import WorkerContext

    settings, db, _env = stack
    down = settings.model_copy(update={"broker_url": "redis://127.0.0.1:1/0"})
    t0 = time.monotonic()
    batch_id = submit_files(db, down, [("a.txt", "行政判决书".encode()), ("b.txt", "行政裁定书".encode())])
    assert time.monotonic() - t0 < 5
    assert batch_status(db, batch_id)["counts"]["queued"] == 2
    with db.session() as s:
        assert s.scalar(select(func.count()).select_from(Job).where(Job.enqueued_at.is_(None))) == 2
    dispatch._producer.cache_clear()

    ctx = WorkerContext(settings.model_copy(update={"requeue_after_s": 0}), db)
    assert sweep_and_resend(ctx, make_celery(settings.broker_url)) == 2
    client = redis.Redis.from_url(settings.broker_url)
    assert client.llen("default") == 2
    client.close()
    assert sweep_and_resend(ctx, make_celery(settings.broker_url)) == 0  # queue not empty: nothing lost
