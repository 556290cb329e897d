"""Throughput of the background workers on this machine, and time from upload to searchable.

    .venv/bin/python bench/workers.py                 # 20 text PDFs, 4 scans, 1 and 2 worker processes
    .venv/bin/python bench/workers.py --text 40 --scans 8 --concurrency 1,2

Real ``anjian worker`` processes (Celery, prefork) against the local Redis (a database of its own, flushed)
and a fresh PostgreSQL schema (or an SQLite file with --sqlite). Each run starts the worker, waits for a
warm-up file (model loading, imports), then submits the batch and measures until every job is finished.
The last measurement uses the embedded default (no broker): one upload until its judgment is in the
embedded search index. Prints one JSON object; numbers go to docs/operations.md.
"""

from __future__ import annotations

import argparse
import json
import os
import signal
import subprocess
import sys
import tempfile
import time
import uuid
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

from core.db import Database  # noqa: E402
from core.settings import Settings, load_settings  # noqa: E402
from workers.dispatch import submit_files  # noqa: E402
from workers.jobs import batch_status  # noqa: E402

CORPUS = Path(os.environ.get("ANJIAN_CORPUS_DIR", REPO.parent / "shared" / "corpus"))
PG_URL = os.environ.get("ANJIAN_TEST_PG_URL", "postgresql+psycopg://postgres@127.0.0.1:5432/test")


def _store(tmp: Path, sqlite: bool) -> tuple[Settings, object]:
    if sqlite:
        return load_settings(data_dir=tmp / "data", database_url=None, es_url=None), None
    from sqlalchemy import create_engine, text

    schema = f"bench_{uuid.uuid4().hex[:10]}"
    admin = create_engine(PG_URL, isolation_level="AUTOCOMMIT")
    with admin.connect() as c:
        c.execute(text(f'CREATE SCHEMA "{schema}"'))
    url = f"{PG_URL}?options=-csearch_path%3D{schema}"
    return load_settings(data_dir=tmp / "data", database_url=url, es_url=None), (admin, schema)


def _drop(handle: object) -> None:
    if handle is None:
        return
    from sqlalchemy import text

    admin, schema = handle  # type: ignore[misc]
    with admin.connect() as c:
        c.execute(text(f'DROP SCHEMA "{schema}" CASCADE'))
    admin.dispose()


def _wait(db: Database, batch_id: int, timeout: float) -> dict:
    deadline = time.monotonic() + timeout
    while True:
        st = batch_status(db, batch_id)
        if st["finished"] or time.monotonic() > deadline:
            return st
        time.sleep(0.2)


def run_celery(files: list[Path], concurrency: int, broker: str, sqlite: bool, timeout: float) -> dict:
    import redis

    redis.Redis.from_url(broker).flushdb()
    with tempfile.TemporaryDirectory(prefix="anjian-bench-") as tmp:
        settings, handle = _store(Path(tmp), sqlite)
        settings = settings.model_copy(update={"broker_url": broker})
        db = Database(settings)
        env = {
            **os.environ,
            "ANJIAN_DATA_DIR": str(settings.data_dir),
            "ANJIAN_BROKER_URL": broker,
            "OMP_THREAD_LIMIT": "1",
        }
        if settings.database_url:
            env["ANJIAN_DATABASE_URL"] = settings.database_url
        env.pop("ANJIAN_ES_URL", None)
        proc = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "cli.main",
                "worker",
                "-Q",
                "default,ocr",
                "-c",
                str(concurrency),
                "-n",
                f"bench{concurrency}@%h",
                "-l",
                "WARNING",
            ],
            env=env,
            cwd=REPO,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
            start_new_session=True,
        )
        try:
            warm = sorted((CORPUS / "pdf" / "text").glob("*.pdf"))[-concurrency:]
            _wait(db, submit_files(db, settings, [(p.name, p.read_bytes()) for p in warm]), 300)
            t0 = time.monotonic()
            batch = submit_files(db, settings, [(p.name, p.read_bytes()) for p in files])
            st = _wait(db, batch, timeout)
            elapsed = time.monotonic() - t0
        finally:
            os.killpg(proc.pid, signal.SIGTERM)
            try:
                proc.wait(60)
            except subprocess.TimeoutExpired:
                os.killpg(proc.pid, signal.SIGKILL)
                proc.wait()
            db.dispose()
            _drop(handle)
        pages = sum(_pages(p) for p in files)
        return {
            "files": len(files),
            "pages": pages,
            "concurrency": concurrency,
            "seconds": round(elapsed, 1),
            "files_per_minute": round(len(files) / elapsed * 60, 1),
            "pages_per_minute": round(pages / elapsed * 60, 1),
            "counts": st["counts"],
            "statuses": sorted({f["status"] or "" for f in st["files"]}),
        }


def upload_to_searchable(path: Path) -> dict:
    """Embedded default: the in-process worker, the embedded index; submit → judgment id in the index."""
    from workers.embedded import start_embedded

    with tempfile.TemporaryDirectory(prefix="anjian-bench-") as tmp:
        settings = load_settings(data_dir=Path(tmp) / "data", database_url=None, es_url=None, broker_url=None)
        db = Database(settings)
        runner = start_embedded(db, settings, maintenance=False)
        try:
            warm = sorted((CORPUS / "pdf" / "text").glob("*.pdf"))[-1]  # imports, model, index opened
            _wait(db, submit_files(db, settings, [(warm.name, warm.read_bytes())]), 300)
            backend = runner.ctx.pipeline.search_backend()
            t0 = time.monotonic()
            batch = submit_files(db, settings, [(path.name, path.read_bytes())])
            submitted = time.monotonic() - t0
            st = _wait(db, batch, 300)
            jid = st["files"][0]["judgment_id"]
            while jid not in backend.ids() and time.monotonic() - t0 < 300:
                time.sleep(0.05)
            searchable = time.monotonic() - t0
        finally:
            runner.stop()
            db.dispose()
    return {
        "file": path.name,
        "upload_returns_s": round(submitted, 3),
        "searchable_s": round(searchable, 2),
        "status": st["files"][0]["status"],
    }


def _pages(path: Path) -> int:
    import pypdfium2 as pdfium

    doc = pdfium.PdfDocument(str(path))
    try:
        return len(doc)
    finally:
        doc.close()


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--text", type=int, default=20, help="text PDFs per run")
    ap.add_argument("--scans", type=int, default=4, help="scanned PDFs per run (0: skip)")
    ap.add_argument("--concurrency", default="1,2", help="worker processes to compare")
    ap.add_argument("--broker", default="redis://127.0.0.1:6379/8")
    ap.add_argument("--sqlite", action="store_true", help="SQLite file instead of a PostgreSQL schema")
    ap.add_argument("--timeout", type=float, default=3600)
    ap.add_argument("--scan-max-pages", type=int, default=0, help="only scans with at most this many pages")
    args = ap.parse_args()
    texts = sorted((CORPUS / "pdf" / "text").glob("*.pdf"))[: args.text]
    scans = [
        p
        for p in sorted((CORPUS / "pdf" / "scan").glob("*.pdf"))
        if not args.scan_max_pages or _pages(p) <= args.scan_max_pages
    ][: args.scans]
    out: dict = {"machine": {"cpus": os.cpu_count(), "load_before": os.getloadavg()[0]}, "runs": []}
    for n in (int(c) for c in args.concurrency.split(",")):
        if texts:
            out["runs"].append(
                {"kind": "text_pdf", **run_celery(texts, n, args.broker, args.sqlite, args.timeout)}
            )
            print(json.dumps(out["runs"][-1], ensure_ascii=False), file=sys.stderr)
        if scans:
            out["runs"].append(
                {"kind": "scan_pdf", **run_celery(scans, n, args.broker, args.sqlite, args.timeout)}
            )
            print(json.dumps(out["runs"][-1], ensure_ascii=False), file=sys.stderr)
    out["upload_to_searchable"] = upload_to_searchable(sorted((CORPUS / "pdf" / "text").glob("*.pdf"))[0])
    out["machine"]["load_after"] = os.getloadavg()[0]
    print(json.dumps(out, ensure_ascii=False, indent=1))


if __name__ == "__main__":
    main()
