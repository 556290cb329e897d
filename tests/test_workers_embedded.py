"""Background work without a broker: uploads become jobs, in-process threads ingest them, nothing is lost.

The same task bodies run here as in the Celery workers (tests/test_workers_celery.py).
"""

from __future__ import annotations

import datetime as dt
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from sqlalchemy import func, select, update

from core.db import Database
from core.models import Document, Job, Judgment
from core.settings import Settings
from workers import jobs as jobs_mod
from workers.dispatch import submit_files
from workers.embedded import EmbeddedRunner, start_embedded
from workers.jobs import batch_status
from workers.tasks import TransientJobError, WorkerContext, run_ingest_job

REPO = Path(__file__).resolve().parent.parent


def _text_pdfs(corpus_dir: Path, n: int) -> list[Path]:
    return sorted((corpus_dir / "pdf" / "text").glob("*.pdf"))[:n]


def _files(paths: list[Path]) -> list[tuple[str, bytes]]:
    return [(p.name, p.read_bytes()) for p in paths]


def _ctx(db: Database, settings: Settings, **w: object) -> WorkerContext:
    return WorkerContext(settings.model_copy(update=w), db)


def test_upload_returns_at_once_with_every_file_queued(
    db: Database, settings: Settings, corpus_dir: Path
) -> None:
    """GIVEN 4 text PDFs and a scan WHEN submitted THEN the call returns quickly, each original is kept,
    every file is a queued job, and only the scan is routed to the OCR queue."""
    scan = sorted((corpus_dir / "pdf" / "scan").glob("*.pdf"))[0]
    paths = [*_text_pdfs(corpus_dir, 4), scan]
    t0 = time.monotonic()
    batch_id = submit_files(db, settings, _files(paths), user="张三")
    assert time.monotonic() - t0 < 5
    status = batch_status(db, batch_id)
    assert status["user"] == "张三" and status["total"] == 5
    assert status["counts"] == {"queued": 5, "running": 0, "done": 0, "failed": 0}
    assert [f["filename"] for f in status["files"]] == [p.name for p in paths]
    with db.session() as s:
        jobs = s.scalars(select(Job).order_by(Job.id)).all()
        assert [j.queue for j in jobs] == ["default"] * 4 + ["ocr"]
        for j, p in zip(jobs, paths, strict=True):
            assert (settings.originals_dir / j.stored_path).read_bytes() == p.read_bytes()


def test_runner_ingests_a_batch_with_a_hostile_file(
    db: Database, settings: Settings, corpus_dir: Path
) -> None:
    """GIVEN 4 real judgments and a truncated PDF WHEN the in-process runner works THEN the judgments are
    stored once each, the hostile file is done-and-rejected with its reason, and nothing is left running."""
    paths = [*_text_pdfs(corpus_dir, 4), corpus_dir / "bad" / "truncated.pdf"]
    batch_id = submit_files(db, settings, _files(paths))
    runner = start_embedded(db, settings, threads=2, maintenance=False)
    try:
        status = runner.wait_batch(batch_id, timeout=240)
    finally:
        runner.stop()
    assert status["finished"], status
    by_name = {f["filename"]: f for f in status["files"]}
    for p in paths[:4]:
        f = by_name[p.name]
        assert (f["state"], f["status"]) == ("done", "stored"), f
        assert f["judgment_id"] and f["progress"] == 1.0
    bad = by_name["truncated.pdf"]
    assert (bad["state"], bad["status"], bad["reason"]) == ("done", "rejected", "corrupt")
    assert bad["message"]
    with db.session() as s:
        assert s.scalar(select(func.count()).select_from(Judgment)) == 4
        assert s.scalar(select(func.count()).select_from(Document)) == 5
    # a re-delivered message for a finished job does nothing
    assert run_ingest_job(_ctx(db, settings), status["files"][0]["job_id"]) is None


def test_restart_resumes_work_of_a_killed_process(settings: Settings, corpus_dir: Path) -> None:
    """GIVEN a worker process (``anjian worker``, no broker) killed with SIGKILL in the middle of a batch
    WHEN the application starts again THEN every file ends done, each stored exactly once."""
    db = Database(settings)
    paths = _text_pdfs(corpus_dir, 6)
    batch_id = submit_files(db, settings, _files(paths))
    env = {**os.environ, "ANJIAN_DATA_DIR": str(settings.data_dir), "OMP_THREAD_LIMIT": "1"}
    env.pop("ANJIAN_DATABASE_URL", None)
    env.pop("ANJIAN_BROKER_URL", None)
    proc = subprocess.Popen(
        [sys.executable, "-m", "cli.main", "worker"],
        env=env,
        cwd=REPO,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        start_new_session=True,
    )
    try:
        deadline = time.monotonic() + 120
        while time.monotonic() < deadline:
            counts = batch_status(db, batch_id)["counts"]
            if counts["done"] >= 1 and counts["running"] >= 1:
                break
            time.sleep(0.05)
        else:
            pytest.fail(f"worker made no progress: {counts}")
    finally:
        os.killpg(proc.pid, signal.SIGKILL)
        proc.wait()
    before = batch_status(db, batch_id)["counts"]
    assert before["running"] >= 1 and before["done"] < len(paths)
    runner = start_embedded(db, settings, maintenance=False)  # the lease has not expired: the dead pid tells
    try:
        status = runner.wait_batch(batch_id, timeout=240)
    finally:
        runner.stop()
    assert status["counts"]["done"] == len(paths), status
    with db.session() as s:
        per_sha = s.execute(select(Document.sha256, func.count()).group_by(Document.sha256)).all()
        assert len(per_sha) == len(paths) and all(n == 1 for _, n in per_sha)
        assert s.scalar(select(func.count()).select_from(Judgment)) == len(paths)
    db.dispose()


def test_a_file_that_keeps_killing_workers_fails_alone(
    db: Database, settings: Settings, corpus_dir: Path
) -> None:
    """GIVEN a job whose workers died (lease expired) max_attempts times WHEN it is claimed again THEN it is
    recorded as failed with reason worker_lost instead of being retried forever; its neighbour is ingested."""
    paths = _text_pdfs(corpus_dir, 2)
    batch_id = submit_files(db, settings, _files(paths))
    poison_id, good_id = (f["job_id"] for f in batch_status(db, batch_id)["files"])
    ctx = _ctx(db, settings, max_attempts=2)
    for n in range(2):  # two workers took it and died: their leases ran out
        assert jobs_mod.claim(db, poison_id, f"dead-{n}", lease_s=-1) is not None
    assert run_ingest_job(ctx, poison_id) == {"state": "failed", "reason": "worker_lost"}
    assert run_ingest_job(ctx, good_id)["status"] == "stored"
    files = batch_status(db, batch_id)["files"]
    assert (files[0]["state"], files[0]["reason"]) == ("failed", "worker_lost")
    assert "中断" in files[0]["message"]
    assert files[1]["state"] == "done"


def test_missing_original_is_a_recorded_failure(db: Database, settings: Settings, corpus_dir: Path) -> None:
    paths = _text_pdfs(corpus_dir, 1)
    batch_id = submit_files(db, settings, _files(paths))
    job = batch_status(db, batch_id)["files"][0]
    with db.session() as s:
        (settings.originals_dir / s.get(Job, job["job_id"]).stored_path).unlink()
    assert run_ingest_job(_ctx(db, settings), job["job_id"])["reason"] == "original_missing"
    after = batch_status(db, batch_id)["files"][0]
    assert after["state"] == "failed" and "原件" in after["message"]


def test_transient_error_puts_the_job_back_with_backoff(
    db: Database, settings: Settings, corpus_dir: Path
) -> None:
    """GIVEN the store is briefly unreachable during ingestion WHEN the task runs THEN the job is queued
    again, not before the backoff delay, and a later run stores the file once."""
    from sqlalchemy.exc import OperationalError

    batch_id = submit_files(db, settings, _files(_text_pdfs(corpus_dir, 1)))
    job_id = batch_status(db, batch_id)["files"][0]["job_id"]
    ctx = _ctx(db, settings, retry_backoff_s=30)
    real = ctx.pipeline.ingest_path

    def flaky(*a: object, **k: object) -> object:
        ctx.pipeline.ingest_path = real  # type: ignore[method-assign]
        raise OperationalError("SELECT 1", {}, Exception("server closed the connection unexpectedly"))

    ctx.pipeline.ingest_path = flaky  # type: ignore[method-assign]
    with pytest.raises(TransientJobError) as exc:
        run_ingest_job(ctx, job_id)
    assert exc.value.delay_s == 30
    f = batch_status(db, batch_id)["files"][0]
    assert f["state"] == "queued" and "重试" in f["message"]
    assert jobs_mod.claimable_ids(db) == []  # not before the delay
    with db.session() as s:
        s.execute(update(Job).values(not_before=jobs_mod.utcnow() - dt.timedelta(seconds=1)))
    assert run_ingest_job(ctx, job_id)["status"] == "stored"


def test_only_one_worker_can_claim_a_job(any_db: Database, any_settings: Settings) -> None:
    """The claim is one conditional UPDATE: the second claimant gets nothing, on SQLite and PostgreSQL;
    an expired lease can be taken over, a live one cannot."""
    batch_id = submit_files(any_db, any_settings, [("a.txt", "不是判决".encode())])
    job_id = batch_status(any_db, batch_id)["files"][0]["job_id"]
    first = jobs_mod.claim(any_db, job_id, "w1", lease_s=60)
    assert first is not None and first.attempts == 1
    assert jobs_mod.claim(any_db, job_id, "w2", lease_s=60) is None
    assert jobs_mod.sweep(any_db) == []  # live lease
    with any_db.session() as s:
        s.execute(update(Job).values(lease_expires=jobs_mod.utcnow() - dt.timedelta(seconds=1)))
    assert jobs_mod.sweep(any_db) == [job_id]
    second = jobs_mod.claim(any_db, job_id, "w2", lease_s=60)
    assert second is not None and second.attempts == 2
    assert not jobs_mod.finish(any_db, job_id, "w1", {"status": "stored"})  # w1 lost it
    assert jobs_mod.finish(any_db, job_id, "w2", {"status": "rejected", "reason": "not_judgment"})
    assert batch_status(any_db, batch_id)["counts"]["done"] == 1


def test_runner_until_idle_is_what_submit_wait_uses(
    db: Database, settings: Settings, corpus_dir: Path
) -> None:
    batch_id = submit_files(db, settings, [("empty.pdf", b""), ("blank.txt", b"   ")])
    assert EmbeddedRunner(_ctx(db, settings), maintenance=False).run_until_idle(timeout=60)
    status = batch_status(db, batch_id)
    assert status["finished"] and {f["reason"] for f in status["files"]} == {"empty"}


def test_submit_wait_jobs_and_batch_commands(
    settings: Settings, corpus_dir: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """``anjian submit --wait`` on the embedded default processes the files in-process and reports each."""
    import json

    from typer.testing import CliRunner

    from cli import context
    from cli.main import app

    monkeypatch.setenv("ANJIAN_DATA_DIR", str(settings.data_dir))
    for k in ("ANJIAN_DATABASE_URL", "ANJIAN_BROKER_URL", "ANJIAN_ES_URL"):
        monkeypatch.delenv(k, raising=False)
    context.settings.cache_clear()
    context.database.cache_clear()
    runner = CliRunner()
    files = [str(_text_pdfs(corpus_dir, 1)[0]), str(corpus_dir / "bad" / "encrypted.pdf")]
    try:
        done = runner.invoke(app, ["submit", *files, "--wait", "--json", "--user", "李四"])
        assert done.exit_code == 0, done.output
        status = json.loads(done.stdout[done.stdout.index("{") :])
        assert status["counts"]["done"] == 2 and status["user"] == "李四"
        assert [(f["status"], f["reason"]) for f in status["files"]] == [
            ("stored", None),
            ("rejected", "encrypted"),
        ]
        listed = runner.invoke(app, ["jobs", "--json"])
        assert json.loads(listed.stdout[listed.stdout.index("[") :])[0]["counts"]["done"] == 2
        shown = runner.invoke(app, ["batch", str(status["id"])], env={"COLUMNS": "200"})
        assert "已完成" in shown.stdout and "encrypted" in shown.stdout
        missing = runner.invoke(app, ["batch", "999"])
        assert missing.exit_code == 1
    finally:
        context.database().dispose()
        context.settings.cache_clear()
        context.database.cache_clear()


def test_worker_killed_after_storing_does_not_store_twice(
    db: Database, settings: Settings, corpus_dir: Path
) -> None:
    """GIVEN a worker that stored the judgment and died before marking its job done WHEN the job is swept
    and run again THEN the earlier document is the result: one document, one judgment."""
    from pipeline.process import Pipeline

    batch_id = submit_files(db, settings, _files(_text_pdfs(corpus_dir, 1)))
    job_id = batch_status(db, batch_id)["files"][0]["job_id"]
    claimed = jobs_mod.claim(db, job_id, "doomed", lease_s=-1)
    assert claimed is not None
    first = Pipeline(db, settings, index=False).ingest_path(
        settings.originals_dir / claimed.stored_path, filename=claimed.filename, ingest_key=f"job-{job_id}"
    )
    assert jobs_mod.sweep(db) == [job_id]  # lease expired
    again = run_ingest_job(_ctx(db, settings), job_id)
    assert again is not None and again["document_id"] == first.document_id
    with db.session() as s:
        assert s.scalar(select(func.count()).select_from(Document)) == 1
        assert s.scalar(select(func.count()).select_from(Judgment)) == 1
    assert batch_status(db, batch_id)["files"][0]["attempts"] == 2
