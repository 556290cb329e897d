"""Benchmark: OCR throughput of scans on one core and on every core, and that both read the same text.

    .venv/bin/python bench/ocr.py [CORPUS_DIR] [--scans N] [--parallel N]

Takes the N longest scanned PDFs of the corpus (``files.scan_pdf`` in judgments.jsonl) and reads each with
``read_document`` twice — pages of one file OCR'd one at a time (``ReadLimits.ocr_parallel=1``) and on
``--parallel`` sandboxes at once (default: one per core, what ``anjian ingest`` does) — alternating the order
file by file so both see the same load. Reports pages/s of each, the speed-up, the load average, whether the
two texts are identical, and the character error rate of each against the corpus's ``document_text`` (edit
distance / length, whitespace removed): OCR throughput that scales with cores, at the same accuracy
(issue 19).
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
# bench/ holds scripts named like packages (bench/ingest.py …): import the project, not them.
sys.path[:] = [p for p in sys.path if Path(p or ".").resolve() != Path(__file__).resolve().parent]
if str(REPO) not in sys.path:
    sys.path.insert(0, str(REPO))


def _squeeze(text: str) -> str:
    return "".join(text.split())


def _cer(text: str, truth: str) -> float:
    from rapidfuzz.distance import Levenshtein

    a, b = _squeeze(text), _squeeze(truth)
    return Levenshtein.distance(a, b) / max(1, len(b))


def run(corpus: Path, scans: int, parallel: int) -> dict:
    from ingest.read import ReadLimits, read_document

    records = [json.loads(x) for x in (corpus / "judgments.jsonl").read_text("utf-8").splitlines()]
    found = [(corpus / r["files"]["scan_pdf"], r) for r in records if r["files"].get("scan_pdf")]
    found.sort(key=lambda pr: -pr[0].stat().st_size)
    picked = found[:scans]
    one, many = ReadLimits(ocr_parallel=1), ReadLimits(ocr_parallel=parallel)
    read_document(picked[-1][0], many)  # start the sandboxes outside the clock
    seconds = {1: 0.0, parallel: 0.0}
    cer: dict[int, list[float]] = {1: [], parallel: []}
    pages = 0
    identical = 0
    loads = [os.getloadavg()[0]]
    for i, (path, rec) in enumerate(picked):
        texts = {}
        order = [(1, one), (parallel, many)] if i % 2 == 0 else [(parallel, many), (1, one)]
        for n, limits in order:
            t = time.perf_counter()
            doc = read_document(path, limits)
            seconds[n] += time.perf_counter() - t
            texts[n] = doc.text
            cer[n].append(_cer(texts[n], rec.get("document_text") or ""))
        pages += len(doc.pages)
        identical += texts[1] == texts[parallel]
        loads.append(os.getloadavg()[0])
    return {
        "files": len(picked),
        "pages": pages,
        "cores": os.cpu_count(),
        "pages_per_s_one_at_a_time": round(pages / seconds[1], 3),
        f"pages_per_s_{parallel}_at_once": round(pages / seconds[parallel], 3),
        "speed_up": round(seconds[1] / seconds[parallel], 2),
        "identical_texts": f"{identical}/{len(picked)}",
        "cer_one_at_a_time": round(sum(cer[1]) / len(cer[1]), 4),
        f"cer_{parallel}_at_once": round(sum(cer[parallel]) / len(cer[parallel]), 4),
        "load_average": [round(x, 1) for x in loads],
    }


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("corpus", nargs="?", default=str(REPO.parent / "shared" / "corpus"))
    ap.add_argument("--scans", type=int, default=3, help="the N longest scans (OCR: ~1–4 s per page)")
    ap.add_argument("--parallel", type=int, default=os.cpu_count() or 1)
    args = ap.parse_args()
    print(json.dumps(run(Path(args.corpus), args.scans, args.parallel), ensure_ascii=False, indent=1))


if __name__ == "__main__":
    main()
