"""Publication check over the whole corpus (issue 17): for every loss cause, build the typical-case
collection from every judgment of the corpus and look for (a) natural-person names from the labels and from
the texts' party and agent lines, (b) paragraphs of 30+ characters printed for two cases.

    .venv/bin/python bench/collection_check.py [--corpus /work/shared/corpus]

Exit status 1 when a name survives or a paragraph repeats. Rendering the corpus to PDF is left out (the
printed paragraphs are exactly ``Entry.paragraphs()``, which the renderer writes).
"""

from __future__ import annotations

import argparse
import sys
import tempfile
from pathlib import Path

sys.path[:] = [p for p in sys.path if Path(p or ".").resolve() != Path(__file__).resolve().parent]

from core.db import Database  # noqa: E402
from core.models import Judgment  # noqa: E402
from core.settings import load_settings  # noqa: E402
from core.taxonomy import LossCause  # noqa: E402
from reports.collection import CollectionFilter, NothingSelected, collection_entries  # noqa: E402
from reports.collection_check import check_entries, label_names, line_names  # noqa: E402
from reports.demo import load_corpus  # noqa: E402
from reports.lessons import only_refers  # noqa: E402


def reclassify(s) -> None:  # type: ignore[no-untyped-def]
    """Replace the labelled tags by the classifier's (evidence and causes as production would store them)."""
    from classify import classify_record, load_model
    from core.store import refresh_judgment
    from ingest.record import JudgmentRecord

    model = load_model()
    for j in s.query(Judgment):
        try:
            rec = JudgmentRecord.model_validate(j.record)
        except Exception:  # noqa: BLE001 - a record the parser could not fill stays labelled
            continue
        j.classification = classify_record(rec, model).model_dump(mode="json")
        refresh_judgment(j)
    s.flush()


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--corpus", type=Path, default=Path("/work/shared/corpus"))
    ap.add_argument(
        "--classified",
        action="store_true",
        help="classify every judgment with the shipped model (the production path) instead of using the labels",
    )
    args = ap.parse_args()
    bad = 0
    with tempfile.TemporaryDirectory() as tmp:
        db = Database(load_settings(data_dir=Path(tmp), database_url=None, es_url=None, broker_url=None))
        with db.session() as s:
            load_corpus(s, args.corpus)
            if args.classified:
                reclassify(s)
        with db.session() as s:
            names_of = {}
            for j in s.query(Judgment):  # the record carries the labelled plaintiffs and third parties
                rec = j.record or {}
                names_of[j.id] = line_names(rec.get("text") or "") | label_names(rec)
            for cause in [c.value for c in LossCause]:
                try:
                    entries = collection_entries(s, CollectionFilter(causes=[cause]))
                except NothingSelected:
                    continue
                r = check_entries(entries, names_of)
                lessons = sum(bool(e.lesson) for e in entries)
                appeals = [e for e in entries if any("行终" in c for c in e.case_nos)]
                facts = sum(bool(e.summary) and not only_refers(e.summary) for e in appeals)
                print(
                    f"{cause:22s} cases {r.cases:3d}  names checked {r.names_checked:4d}  "
                    f"survivors {len(r.survivors)}  repeated paragraphs {len(r.repeated)}  "
                    f"with lesson {lessons}/{r.cases}  appeals with facts {facts}/{len(appeals)}"
                )
                for title, n in r.survivors:
                    print(f"    name survives: {n} in {title}")
                for p in r.repeated:
                    print(f"    repeated: {p[:60]}…")
                bad += len(r.survivors) + len(r.repeated)
        db.dispose()
    return 1 if bad else 0


if __name__ == "__main__":
    raise SystemExit(main())
