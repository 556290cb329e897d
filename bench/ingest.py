"""Reading benchmark: speed against the pdfplumber floor, and text fidelity against the corpus.

    .venv/bin/python bench/ingest.py speed   [CORPUS_DIR] [--limit N] [--scans N]
    .venv/bin/python bench/ingest.py quality [CORPUS_DIR] [--limit N] [--scans N]
    .venv/bin/python bench/ingest.py parse   [CORPUS_DIR] [--against REV] [--rounds N]
    .venv/bin/python bench/ingest.py end2end [CORPUS_DIR] [--limit N] [--against REV] [--runs N]

``speed``: pages/s and peak RSS of ``read_document`` on the corpus text PDFs (and on N scans),
beside raw pdfplumber ``page.extract_text()`` of the same files in the same run — the cost floor of
the parser — interleaved file by file so both see the same load on a shared machine.
``quality``: character error rate (edit distance / length of ``document_text``) and paragraph-break
precision/recall (texts aligned, a break matches within one character) per template, and the same
for OCR of the scans (also CER with all whitespace removed).
``parse``: records per second of ``parse_text`` from stored text (the corpus's document_text, one core),
so a slower extraction rule shows as a number; ``--against REV`` measures that commit's parser in the
same run, rounds interleaved, for a side-by-side figure.
``end2end``: wall time and pages/s of the real ``anjian ingest`` (read, parse, classify, store, index) of the
corpus text PDFs with one job and with one per core, each into a fresh store, beside raw pdfplumber and raw
pypdfium2 on the same files; peak memory of each run (the largest process); and CLI start-up: ``anjian
--help`` and ``anjian search`` from process start to answer (best of 5). ``--against REV`` runs that
commit's ``anjian`` in the same invocation, interleaved run by run (a paired before/after on a shared
machine); ``--runs N`` repeats. Each tree runs as ``python -m cli.main`` from its own folder.
"""

from __future__ import annotations

import argparse
import json
import multiprocessing
import resource
import sys
import time
from collections import defaultdict
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
if str(REPO) not in sys.path:
    sys.path.insert(0, str(REPO))


def _records(corpus: Path) -> list[dict]:
    return [json.loads(line) for line in (corpus / "judgments.jsonl").read_text("utf-8").splitlines()]


def _peak_rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def _run_text(paths: list[str], q: multiprocessing.Queue) -> None:
    """Floor and pipeline interleaved file by file, so both see the same machine load."""
    from ingest.pdf_text import raw_extract_text
    from ingest.read import ReadLimits, read_document
    from ingest.sandbox import peak_child_rss_mb

    limits = ReadLimits(ocr=False)
    read_document(Path(paths[0]), limits)  # start the parsing server outside the clock
    floor_s = pipe_s = 0.0
    floor_pages = pipe_pages = 0
    for p in paths:
        t = time.perf_counter()
        floor_pages += len(raw_extract_text(Path(p).read_bytes()))
        floor_s += time.perf_counter() - t
        t = time.perf_counter()
        pipe_pages += len(read_document(Path(p), limits).pages)
        pipe_s += time.perf_counter() - t
    # the floor runs in this process; the pipeline parses in forked children and reports their peak
    q.put((floor_pages, floor_s, _peak_rss_mb(), pipe_pages, pipe_s, peak_child_rss_mb()))


def _run_scans(paths: list[str], q: multiprocessing.Queue) -> None:
    from ingest.read import ReadLimits, read_document
    from ingest.sandbox import peak_child_rss_mb

    limits = ReadLimits()
    t = time.perf_counter()
    pages = sum(len(read_document(Path(p), limits).pages) for p in paths)
    q.put((pages, time.perf_counter() - t, max(_peak_rss_mb(), peak_child_rss_mb())))


def _measure(target, *args) -> tuple:  # noqa: ANN001
    ctx = multiprocessing.get_context("spawn")
    q = ctx.Queue()
    proc = ctx.Process(target=target, args=(*args, q))
    proc.start()
    result = q.get()
    proc.join()
    return result


def speed(corpus: Path, limit: int | None, scans: int) -> dict:
    recs = _records(corpus)[:limit] if limit else _records(corpus)
    text_paths = [str(corpus / r["files"]["text_pdf"]) for r in recs]
    out: dict = {"files": len(text_paths)}
    fp, ft, fm, pp, pt, pm = _measure(_run_text, text_paths)
    out["text_pdf"] = {
        "pages": pp,
        "floor_pages_per_s": round(fp / ft, 2),
        "pipeline_pages_per_s": round(pp / pt, 2),
        "overhead_pct": round(100 * (pt - ft) / ft, 1),
        "floor_peak_rss_mb": round(fm),
        "pipeline_peak_rss_mb": round(pm),
    }
    if scans:
        scan_paths = [
            str(corpus / r["files"]["scan_pdf"]) for r in _records(corpus) if r["files"].get("scan_pdf")
        ][:scans]
        sp, st, sm = _measure(_run_scans, scan_paths)
        out["scan_pdf"] = {
            "files": len(scan_paths),
            "pages": sp,
            "pages_per_s": round(sp / st, 3),
            "s_per_page": round(st / sp, 2),
            "peak_rss_mb": round(sm),
        }
    return out


def _breaks(text: str) -> tuple[str, list[int]]:
    """The text without whitespace, and where (in it) each paragraph break falls."""
    chars: list[str] = []
    breaks: list[int] = []
    for ch in text:
        if ch == "\n":
            breaks.append(len(chars))
        elif not ch.isspace():
            chars.append(ch)
    return "".join(chars), breaks


def _paragraph_pr(text: str, target: str) -> tuple[float, float]:
    """Precision/recall of paragraph breaks: the two texts are aligned character by character
    (edit-distance alignment, whitespace ignored) and a break counts when the other text has one
    within one character of the same place. OCR errors inside a paragraph do not count against it."""
    from rapidfuzz.distance import Levenshtein

    a, ab = _breaks(text)
    b, bb = _breaks(target)
    to_b = [0] * (len(a) + 1)
    for op in Levenshtein.opcodes(a, b):
        for k in range(op.src_start, op.src_end + 1):
            if op.tag in ("equal", "replace"):
                to_b[k] = min(op.dest_start + (k - op.src_start), op.dest_end)
            else:
                to_b[k] = op.dest_start
    mapped = [to_b[x] for x in ab]
    bset = set(bb)
    hit_p = sum(1 for m in mapped if any(m + d in bset for d in (-1, 0, 1)))
    mset = set(mapped)
    hit_r = sum(1 for x in bb if any(x + d in mset for d in (-1, 0, 1)))
    return hit_p / max(1, len(ab)), hit_r / max(1, len(bb))


def quality(corpus: Path, limit: int | None, scans: int) -> dict:
    from rapidfuzz.distance import Levenshtein

    from ingest.read import ReadLimits, read_document

    recs = _records(corpus)[:limit] if limit else _records(corpus)
    groups: dict[str, list[tuple[float, float, float]]] = defaultdict(list)
    for r in recs:
        doc = read_document(corpus / r["files"]["text_pdf"], ReadLimits(ocr=False))
        target = r["document_text"]
        cer = Levenshtein.distance(doc.text, target) / len(target)
        p, rc = _paragraph_pr(doc.text, target)
        groups[r["render"]["template"]].append((cer, p, rc))
    scan_recs = [r for r in _records(corpus) if r["files"].get("scan_pdf")][:scans]
    for r in scan_recs:
        doc = read_document(corpus / r["files"]["scan_pdf"])
        target = r["document_text"]
        cer = Levenshtein.distance(doc.text, target) / len(target)
        # OCR text compared without any whitespace too: spacing is not what fields depend on
        squeeze = "".join(doc.text.split()), "".join(target.split())
        cer_ns = Levenshtein.distance(*squeeze) / len(squeeze[1])
        p, rc = _paragraph_pr(doc.text, target)
        groups["scan"].append((cer, p, rc))
        groups["scan_no_space"].append((cer_ns, p, rc))
    result = {}
    for name, vals in groups.items():
        n = len(vals)
        result[name] = {
            "files": n,
            "cer_mean": round(sum(v[0] for v in vals) / n, 4),
            "cer_max": round(max(v[0] for v in vals), 4),
            "paragraph_precision": round(sum(v[1] for v in vals) / n, 3),
            "paragraph_recall": round(sum(v[2] for v in vals) / n, 3),
        }
    return result


_PARSE_RATE = """
import json, sys, time
sys.path.insert(0, ".")
from ingest.parse import parse_text
texts = [json.loads(l)["document_text"] for l in open(sys.argv[1], encoding="utf-8") if l.strip()]
for t in texts[:5]:
    parse_text(t)  # warm the caches (division lists, compiled patterns)
best = 0.0
for _ in range(int(sys.argv[2])):
    start = time.perf_counter()
    for t in texts:
        parse_text(t)
    best = max(best, len(texts) / (time.perf_counter() - start))
print(best)
"""


def parse_speed(corpus: Path, against: str | None, rounds: int) -> dict:
    """Records/s of parse_text on the corpus texts, best of ``rounds`` passes, for this tree and REV."""
    import subprocess
    import tempfile

    trees = {"this tree": REPO}
    tmp = tempfile.TemporaryDirectory(prefix="anjian-bench-")
    if against:
        archive = subprocess.run(
            ["git", "-C", str(REPO), "archive", against], check=True, capture_output=True
        )
        subprocess.run(["tar", "-x", "-C", tmp.name], input=archive.stdout, check=True)
        trees[against] = Path(tmp.name)
    rates: dict[str, list[float]] = {name: [] for name in trees}
    for _ in range(3):  # interleaved, so both see the same machine load
        for name, tree in trees.items():
            out = subprocess.run(
                [sys.executable, "-c", _PARSE_RATE, str(corpus / "judgments.jsonl"), str(rounds)],
                cwd=tree,
                check=True,
                capture_output=True,
                text=True,
            )
            rates[name].append(float(out.stdout.strip()))
    tmp.cleanup()
    result = {name: {"records_per_s": round(max(r), 1)} for name, r in rates.items()}
    if against:
        result["ratio"] = round(max(rates["this tree"]) / max(rates[against]), 3)
    return result


def _loadavg() -> float:
    return float(Path("/proc/loadavg").read_text().split()[0])


def _cli(tree: Path) -> list[str]:
    """The ``anjian`` command of ``tree`` (``python -m cli.main`` run from it, so a worktree or an
    extracted revision is measured, not the editable install's copy)."""
    return [sys.executable, "-m", "cli.main"]


def _ingest_once(tree: Path, folder: Path, data: Path, jobs: int, pages: int) -> dict:
    import os
    import subprocess

    env = {**os.environ, "ANJIAN_DATA_DIR": str(data)}
    subprocess.run([*_cli(tree), "migrate"], env=env, cwd=tree, check=True, capture_output=True)
    load = _loadavg()
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    start = time.perf_counter()
    subprocess.run(
        [*_cli(tree), "ingest", str(folder), "--json", "--jobs", str(jobs)],
        env=env,
        cwd=tree,
        check=True,
        capture_output=True,
    )
    wall = time.perf_counter() - start
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    return {
        "seconds": round(wall, 2),
        "pages_per_s": round(pages / wall, 1),
        # the command's own CPU (the sandbox children are not waited for by it and not counted)
        "parent_cpu_s": round(after.ru_utime + after.ru_stime - before.ru_utime - before.ru_stime, 2),
        "peak_rss_mb_so_far": round(after.ru_maxrss / 1024),
        "load_before": load,
    }


def _startup(tree: Path, data: Path) -> dict:
    import os
    import subprocess

    env = {**os.environ, "ANJIAN_DATA_DIR": str(data)}
    out = {}
    for name, args in (("help", ["--help"]), ("search", ["search", "拆除", "--json"])):
        best = float("inf")
        for _ in range(5):
            start = time.perf_counter()
            subprocess.run([*_cli(tree), *args], env=env, cwd=tree, check=True, capture_output=True)
            best = min(best, time.perf_counter() - start)
        out[f"startup_{name}_s"] = round(best, 3)
    return out


def end_to_end(corpus: Path, limit: int | None, against: str | None = None, runs: int = 1) -> dict:
    """``--against REV``: that commit too, extracted to a temporary folder; every run ingests with each
    tree in turn (1 job, then all cores), so both see the same machine load."""
    import shutil
    import subprocess
    import tempfile

    from pipeline.batch import default_jobs

    records = [r for r in _records(corpus) if (r.get("files") or {}).get("text_pdf")][:limit]
    pages = sum(int((r.get("render") or {}).get("pages") or 0) for r in records)
    result: dict = {"files": len(records), "pages": pages}
    with tempfile.TemporaryDirectory(prefix="anjian-e2e-") as tmp:
        folder = Path(tmp) / "in"
        folder.mkdir()
        for r in records:
            shutil.copy(corpus / r["files"]["text_pdf"], folder / Path(r["files"]["text_pdf"]).name)
        trees = {"this tree": REPO}
        if against:
            archive = subprocess.run(
                ["git", "-C", str(REPO), "archive", against], check=True, capture_output=True
            )
            (Path(tmp) / "rev").mkdir()
            subprocess.run(["tar", "-x", "-C", str(Path(tmp) / "rev")], input=archive.stdout, check=True)
            trees[against] = Path(tmp) / "rev"
        per_tree: dict[str, dict] = {name: {} for name in trees}
        for run in range(runs):
            for jobs in sorted({1, default_jobs()}):
                for n, (name, tree) in enumerate(trees.items()):
                    data = Path(tmp) / f"data-{n}-{jobs}-{run}"
                    per_tree[name].setdefault(f"ingest_jobs_{jobs}", []).append(
                        _ingest_once(tree, folder, data, jobs, pages)
                    )
        for n, (name, tree) in enumerate(trees.items()):
            per_tree[name].update(_startup(tree, Path(tmp) / f"data-{n}-1-0"))
            per_tree[name]["startup_load"] = _loadavg()
        result.update(per_tree if against else per_tree["this tree"])
    paths = [str(corpus / r["files"]["text_pdf"]) for r in records]
    from ingest.pdf_text import raw_extract_text

    start = time.perf_counter()
    for p in paths:
        raw_extract_text(Path(p).read_bytes())
    result["raw_pdfplumber_pages_per_s"] = round(pages / (time.perf_counter() - start), 1)
    import pypdfium2 as pdfium

    start = time.perf_counter()
    for p in paths:
        doc = pdfium.PdfDocument(p)
        for page in doc:
            page.get_textpage().get_text_range()
        doc.close()
    result["raw_pypdfium2_pages_per_s"] = round(pages / (time.perf_counter() - start), 1)
    result["load_at_end"] = _loadavg()
    return result


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("mode", choices=["speed", "quality", "parse", "end2end"])
    ap.add_argument("corpus", nargs="?", default=str(REPO.parent / "shared" / "corpus"))
    ap.add_argument("--limit", type=int, default=None, help="first N text PDFs only")
    ap.add_argument("--scans", type=int, default=0, help="also N scanned PDFs (OCR, slow: ~4 s/page)")
    ap.add_argument("--against", default=None, help="parse, end2end: also this git revision, side by side")
    ap.add_argument("--runs", type=int, default=1, help="end2end: ingest runs per tree (interleaved)")
    ap.add_argument("--rounds", type=int, default=3, help="parse: passes over the corpus per run")
    args = ap.parse_args()
    corpus = Path(args.corpus)
    if args.mode == "end2end":
        print(
            json.dumps(end_to_end(corpus, args.limit, args.against, args.runs), ensure_ascii=False, indent=1)
        )
        return
    if args.mode == "parse":
        print(json.dumps(parse_speed(corpus, args.against, args.rounds), ensure_ascii=False, indent=1))
        return
    fn = speed if args.mode == "speed" else quality
    print(json.dumps(fn(corpus, args.limit, args.scans), ensure_ascii=False, indent=1))


if __name__ == "__main__":
    main()
