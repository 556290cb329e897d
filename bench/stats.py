"""Benchmark: statistics and rankings over 100,000 synthetic cases on the embedded SQLite store, and a
30-case typical-case collection rendered to PDF.

    .venv/bin/python bench/stats.py [--cases 100000] [--collection 30] [--corpus /work/shared/corpus]

Targets (issue 6): stats + rankings < 500 ms; 30-case collection < 20 s. Issue 16: every table, two-way
tables included, < 200 ms (median of repeated runs on an otherwise idle machine); the same tables over a search
result (``stats --query``) are timed for results of 1,000, 10,000 and 50,000 judgments. The synthetic judgments
carry filing dates (10 % without: 推定 by case-number year), a reconsideration co-defendant on 5 % and 2,000
行政复议决定 (half of them 复议纠错).
"""

from __future__ import annotations

import argparse
import datetime as dt
import random
import statistics
import sys
import tempfile
import time
from pathlib import Path

# bench/ holds scripts named like packages (bench/ingest.py …): import the project, not them.
sys.path[:] = [p for p in sys.path if Path(p or ".").resolve() != Path(__file__).resolve().parent]

from sqlalchemy import func, insert, select  # noqa: E402

from core.db import Database  # noqa: E402
from core.models import Judgment  # noqa: E402
from core.settings import load_settings  # noqa: E402
from registry.agencies import AgencyKind, AgencyLevel, add_agency  # noqa: E402
from reports.caseindex import stats_report  # noqa: E402

OUTCOMES = ["agency_lost"] * 3 + ["agency_won"] * 6 + ["dismissed", "withdrawn", "remanded"]
CAUSES = ["procedure", "insufficient_evidence", "law_application", "inaction", "passive_defence"]
FIELDS = [
    "natural_resources",
    "housing_construction",
    "public_security",
    "human_resources",
    "urban_management",
]


def synthesise(db: Database, n: int, seed: int = 6) -> None:
    rnd = random.Random(seed)
    with db.session() as s:
        names = [f"甲县第{i}镇人民政府" for i in range(20)] + [f"甲县第{i}局" for i in range(40)]
        for i, name in enumerate(names):
            add_agency(
                s,
                name,
                kind=AgencyKind.township if i < 20 else AgencyKind.department,
                level=AgencyLevel.township if i < 20 else AgencyLevel.county,
            )
    rows = []
    start = dt.date(2019, 1, 1)
    first_no = ""
    for i in range(n):
        appeal = i % 5 == 4  # every fifth document is the appeal of the one before
        date = start + dt.timedelta(days=rnd.randrange(6 * 365))
        filed = date - dt.timedelta(days=rnd.randrange(30, 240)) if rnd.random() < 0.9 else None
        outcome = rnd.choice(OUTCOMES)
        defendants = [rnd.choice(names)]
        roles = {}
        if rnd.random() < 0.05:  # upheld on reconsideration: the county government is co-defendant
            defendants.append(names[0])
            roles = {names[0]: "reconsideration_body"}
        if not appeal:
            first_no = f"（{date.year}）甲0101行初{i}号"
        rows.append(
            {
                "case_no": f"（{date.year}）甲01行终{i}号" if appeal else first_no,
                "doc_kind": "judgment",
                "procedure": "appeal" if appeal else "first",
                "court": "甲县人民法院",
                "judgment_date": date,
                "outcome": outcome,
                "action_type": "penalty",
                "field": rnd.choice(FIELDS),
                "loss_causes": rnd.sample(CAUSES, rnd.randint(1, 2)) if outcome == "agency_lost" else [],
                "defendants": defendants,
                "plaintiffs": ["张三"],
                "agency_head_appeared": rnd.choice([True, False, None]),
                "record": {
                    "text": "",
                    "original_case_nos": [first_no] if appeal else [],
                    "filing_date": filed.isoformat() if filed else None,
                    "defendant_roles": roles,
                },
                "classification": {
                    "outcome": outcome,
                    "withdrawn_after_correction": outcome == "withdrawn" and rnd.random() < 0.5,
                },
            }
        )
    for i in range(2000):  # 行政复议决定: not suits, 复议纠错 when corrected
        date = start + dt.timedelta(days=rnd.randrange(6 * 365))
        outcome = rnd.choice(["revoked", "upheld", "varied", "request_rejected"])
        rows.append(
            {
                "case_no": f"甲政复决〔{date.year}〕{i}号",
                "doc_kind": "decision",
                "procedure": "other",
                "court": None,
                "judgment_date": date,
                "outcome": outcome,
                "action_type": None,
                "field": None,
                "loss_causes": [],
                "defendants": [rnd.choice(names)],
                "plaintiffs": ["李四"],
                "agency_head_appeared": None,
                "record": {"text": "", "doc_kind": "reconsideration_decision"},
                "classification": {"outcome": outcome},
            }
        )
    with db.engine.begin() as conn:
        for k in range(0, len(rows), 5000):
            conn.execute(insert(Judgment), rows[k : k + 5000])


def time_stats(db: Database, repeat: int = 5) -> dict[str, tuple[float, float]]:
    """Build the case table once (what happens after new judgments arrive), then time the reports."""
    from api.access import Scope
    from api.services.stats import dashboard
    from core.models import Role
    from reports.caseindex import rebuild
    from reports.sample import sample_report

    with db.session() as s:
        total = int(s.scalar(select(func.count(Judgment.id))) or 0)
        t = time.perf_counter()
        n = rebuild(s)
        build = time.perf_counter() - t
    print(f"case table: {n} cases from the judgments in {build:.1f} s (once after changes)")
    out: dict[str, list[tuple[float, float]]] = {}
    for _ in range(repeat):
        with db.session() as s:
            for by, then, period in (
                ("agency", None, "2023Q2"),
                ("agency", None, "2023"),
                ("township", None, "2023"),
                ("department", None, "2023"),
                ("field", None, "2023"),
                ("cause", None, "2023"),
                ("quarter", None, None),
                ("quarter", None, "2022.."),
                ("year", None, "2020..2023"),
                ("agency", "cause", "2023"),
                ("department", "action_type", "2022Q1..2023Q4"),
                ("field", "quarter", "2022.."),
            ):
                t, c = time.perf_counter(), time.process_time()
                report = stats_report(s, by=by, period=period, then=then)
                label = f"stats --by {by}" + (f" --then {then}" if then else "") + f" --period {period}"
                out.setdefault(label, []).append((time.perf_counter() - t, time.process_time() - c))
                assert report.rows
            for size in (1_000, 10_000, 50_000):
                # a search result's statistics (按统计查看): the engine's ids → the same tables over their suits
                ids = random.Random(size).sample(range(1, total + 1), min(size, total))
                for then in (None, "cause"):
                    t, c = time.perf_counter(), time.process_time()
                    report = sample_report(s, ids, "bench", by="agency", period="2023", then=then)
                    label = f"stats --query (a result of {size:,} judgments) --by agency" + (
                        f" --then {then}" if then else ""
                    )
                    out.setdefault(label, []).append((time.perf_counter() - t, time.process_time() - c))
                    assert report.sample
            for period in ("2023", "2023Q2"):
                t, c = time.perf_counter(), time.process_time()
                board = dashboard(s, Scope("bench", Role.admin), period=period)
                label = f"GET /api/stats/dashboard?period={period} (the whole dashboard)"
                out.setdefault(label, []).append((time.perf_counter() - t, time.process_time() - c))
                assert board["ranking"]
    return {
        k: (statistics.median(w for w, _ in v) * 1000, statistics.median(c for _, c in v) * 1000)
        for k, v in out.items()
    }


def time_collection(corpus: Path, n: int, tmp: Path) -> tuple[float, int, int]:
    from reports.collection import CollectionFilter, make_collection
    from reports.demo import load_corpus

    settings = load_settings(data_dir=tmp / "coll")
    db = Database(settings)
    with db.session() as s:
        load_corpus(s, corpus)
    from reports.cases import load_cases

    with db.session() as s:
        lost = [c for c in load_cases(s) if c.outcome == "agency_lost"][:n]
        ids = [c.judgment_ids[0] for c in lost]
        t = time.perf_counter()
        r = make_collection(s, settings, CollectionFilter(judgment_ids=ids), tmp / "c.pdf")
        elapsed = time.perf_counter() - t
    import subprocess

    pages = subprocess.run(["pdfinfo", str(tmp / "c.pdf")], capture_output=True, text=True).stdout
    npages = int(next(line.split()[-1] for line in pages.splitlines() if line.startswith("Pages")))
    db.dispose()
    return elapsed, r.cases, npages


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--cases", type=int, default=100_000)
    ap.add_argument("--collection", type=int, default=30)
    ap.add_argument("--corpus", type=Path, default=Path(__file__).resolve().parents[2] / "shared" / "corpus")
    args = ap.parse_args()
    with tempfile.TemporaryDirectory(prefix="anjian-bench-") as tmp:
        db = Database(load_settings(data_dir=Path(tmp) / "stats"))
        t = time.perf_counter()
        synthesise(db, args.cases)
        print(f"synthesised {args.cases} judgments in {time.perf_counter() - t:.1f} s")
        import os

        print(f"load average before: {os.getloadavg()[0]:.1f} on {os.cpu_count()} cores")
        for k, (wall, cpu) in time_stats(db).items():
            print(f"{k:>62}: wall {wall:7.1f} ms, cpu {cpu:7.1f} ms (median of 5, incl. freshness check)")
        db.dispose()
        if args.collection and (args.corpus / "judgments.jsonl").exists():
            elapsed, cases, pages = time_collection(args.corpus, args.collection, Path(tmp))
            print(f"collection of {cases} cases ({pages} pages PDF): {elapsed:.1f} s")


if __name__ == "__main__":
    main()
