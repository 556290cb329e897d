"""Benchmark: model load time and judgments classified per second (corpus document_text, no OCR).

    .venv/bin/python bench/classify.py [CORPUS_DIR] [--repeat N]

Parsing (ingest.parse.parse_text) is done once beforehand and not timed: this measures classify only.
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
# Run as a script, this file's folder comes first on sys.path and its name would shadow the package.
sys.path[:] = [p for p in sys.path if Path(p or ".").resolve() != Path(__file__).resolve().parent]


def main() -> None:
    from classify import classify_record, load_model
    from classify.corpus import load_corpus, parse
    from core.segment import words as tokens

    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("corpus", nargs="?", type=Path, default=REPO.parent / "shared" / "corpus")
    ap.add_argument("--repeat", type=int, default=1)
    args = ap.parse_args()

    t0 = time.perf_counter()
    model = load_model()
    load_s = time.perf_counter() - t0
    t0 = time.perf_counter()
    tokens("本院认为")  # the segmenter's dictionary loads on first use
    segmenter_s = time.perf_counter() - t0

    records = [parse(item.judgment["document_text"]) for item in load_corpus(args.corpus)]
    t0 = time.perf_counter()
    for _ in range(args.repeat):
        for r in records:
            classify_record(r, model)
    elapsed = time.perf_counter() - t0
    n = len(records) * args.repeat
    print(
        json.dumps(
            {
                "model_load_s": round(load_s, 3),
                "segmenter_load_s": round(segmenter_s, 3),
                "judgments": n,
                "classify_s": round(elapsed, 3),
                "judgments_per_s": round(n / elapsed, 1),
                "model_version": model.version,
            },
            ensure_ascii=False,
        )
    )


if __name__ == "__main__":
    main()
