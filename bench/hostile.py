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


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--real", type=int, default=5, help="real corpus text PDFs mixed in")
    ap.add_argument("--corpus", type=Path, default=REPO.parent / "shared" / "corpus")
    args = ap.parse_args()

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
