"""Peak memory over a hostile set: the ingesting process and its parsing sandboxes.

    .venv/bin/python bench/hostile.py [--real N]

Builds the hostile files of ``tests/hostile_files.py`` (DOCX bombs, a PDF content-stream bomb, huge
pages, deep HTML, password and old Word files …) plus N real corpus text PDFs, ingests them all through
``pipeline.Pipeline`` in a fresh store (one process, as ``anjian ingest`` does) and prints each file's
status and, at the end, the peak resident memory of this process and of the largest sandbox.
Targets (issue 14): parent ≤ 600 MB, each sandbox ≤ ANJIAN_MAX_MEMORY_MB.
"""

from __future__ import annotations

import argparse
import json
import resource
import sys
import tempfile
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
for p in (REPO, REPO / "tests"):
    if str(p) not in sys.path:
        sys.path.insert(0, str(p))


def hostile_set() -> dict[str, bytes]:
    import hostile_files as hf

    return {
        "docx_bomb_150mb.docx": hf.docx_bomb(150),
        "docx_lying_sizes.docx": hf.docx_lying_sizes(100),
        "docx_many_parts.docx": hf.docx_many_members(6000),
        "docx_60mb_under_cap.docx": hf.docx_bomb(60),
        "encrypted.docx": hf.encrypted_docx(),
        "old.doc": hf.old_doc(),
        "deep.html": hf.html_deep(100_000),
        "big.html": hf.html_bytes(hf.JUDGMENT * 40_000),
        "stream_bomb.pdf": hf.pdf_stream_bomb(1024),
        "huge_page.pdf": hf.pdf_bytes(14400, 14400),
        "gbk.txt": hf.JUDGMENT.encode("gbk"),
        "utf16.txt": hf.JUDGMENT.encode("utf-16"),
        "judgment.docx": hf.docx_bytes(),
    }


def serve_during_uploads(uploads: int) -> None:
    """``anjian serve`` (uvicorn, embedded worker) while ``uploads`` requests each send a 1 MB PDF that
    inflates to 1 GB and a DOCX bomb: /healthz is asked every 0.1 s meanwhile; prints its slowest answer."""
    import threading
    import time

    import hostile_files as hf
    import httpx
    import uvicorn

    from api.app import create_app
    from api.services.accounts import create_token, create_user
    from core.db import Database
    from core.settings import load_settings

    with tempfile.TemporaryDirectory() as tmp:
        settings = load_settings(data_dir=Path(tmp) / "data", database_url=None, es_url=None, broker_url=None)
        db = Database(settings)
        with db.session() as s:
            create_user(s, "bench", "bench-password-1", "analyst")
            token = create_token(s, "bench", "bench")
        app = create_app(settings, db=db, background_worker=True)
        server = uvicorn.Server(uvicorn.Config(app, host="127.0.0.1", port=8765, log_level="warning"))
        threading.Thread(target=server.run, daemon=True).start()
        url = "http://127.0.0.1:8765"
        while True:
            try:
                httpx.get(url + "/healthz", timeout=2)
                break
            except httpx.HTTPError:
                time.sleep(0.2)
        bomb, docx = hf.pdf_stream_bomb(1024), hf.docx_bomb(150)
        done = threading.Event()

        def upload() -> None:
            for i in range(uploads):
                files = [("files", (f"bomb{i}.pdf", bomb)), ("files", (f"bomb{i}.docx", docx))]
                r = httpx.post(
                    url + "/api/uploads",
                    files=files,
                    timeout=120,
                    headers={"Authorization": f"Bearer {token}"},
                )
                print("upload", i, r.status_code, round(r.elapsed.total_seconds(), 2), "s")
            done.set()

        threading.Thread(target=upload, daemon=True).start()
        worst, n = 0.0, 0
        while not done.is_set():
            t = time.perf_counter()
            httpx.get(url + "/healthz", timeout=30)
            worst, n = max(worst, time.perf_counter() - t), n + 1
            time.sleep(0.1)
        print(f"/healthz during {uploads} uploads: {n} answers, slowest {worst * 1000:.0f} ms")
        server.should_exit = True
        time.sleep(1)
        db.dispose()


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--real", type=int, default=5, help="real corpus text PDFs mixed in")
    ap.add_argument("--corpus", type=Path, default=REPO.parent / "shared" / "corpus")
    ap.add_argument("--serve", type=int, default=0, help="instead: /healthz latency during N bomb uploads")
    args = ap.parse_args()
    if args.serve:
        serve_during_uploads(args.serve)
        return

    from core.db import Database
    from core.settings import load_settings
    from ingest.sandbox import peak_child_rss_mb
    from pipeline.process import Pipeline

    with tempfile.TemporaryDirectory() as tmp:
        settings = load_settings(data_dir=Path(tmp) / "data", database_url=None, es_url=None, broker_url=None)
        db = Database(settings)
        pipeline = Pipeline(db, settings, classify=False)
        files = hostile_set()
        for path in sorted((args.corpus / "pdf" / "text").glob("*.pdf"))[: args.real]:
            files[path.name] = path.read_bytes()
        for name, data in files.items():
            r = pipeline.ingest_bytes(data, name)
            print(
                json.dumps(
                    {
                        "file": name,
                        "status": r.status,
                        "reason": r.reason,
                        "peak_mb": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024),
                        "message": (r.message or "")[:40],
                    },
                    ensure_ascii=False,
                )
            )
        db.dispose()
    parent = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(
        f"peak RSS: parent {parent:.0f} MB, largest sandbox {peak_child_rss_mb():.0f} MB "
        f"(cap {settings.max_memory_mb} MB address space)"
    )


if __name__ == "__main__":
    main()
