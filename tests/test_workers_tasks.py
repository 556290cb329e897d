"""The scheduled and on-demand task bodies: index/DB consistency check, retraining trigger, reports."""

from __future__ import annotations

from pathlib import Path

from sqlalchemy import delete, select

from core.db import Database
from core.models import Document, Judgment, MaintenanceRun
from core.settings import Settings
from pipeline.process import Pipeline
from workers.tasks import WorkerContext, build_report, check_index, retrain


def test_nightly_check_repairs_the_index(db: Database, settings: Settings, corpus_dir: Path) -> None:
    """GIVEN judgments stored while the index was down (not indexed) and one judgment deleted from the store
    but still in the index WHEN the nightly check runs THEN the index holds exactly the stored judgments."""
    texts = sorted((corpus_dir / "pdf" / "text").glob("*.pdf"))[:3]
    indexed = Pipeline(db, settings)
    first = indexed.ingest_path(texts[0])
    assert first.judgment_id and "not_indexed" not in first.warnings
    offline = Pipeline(db, settings, index=False)  # as if Elasticsearch were down
    for p in texts[1:]:
        offline.ingest_path(p)
    with db.session() as s:
        s.execute(delete(Document).where(Document.judgment_id == first.judgment_id))
        s.execute(delete(Judgment).where(Judgment.id == first.judgment_id))
        stored = set(s.scalars(select(Judgment.id)).all())
    ctx = WorkerContext(settings, db)
    backend = ctx.pipeline.search_backend()
    assert backend.ids() == {first.judgment_id}

    details = check_index(ctx)
    assert (details["missing"], details["extra"], details["failed"]) == (2, 1, 0)
    assert backend.ids() == stored
    assert check_index(ctx)["missing"] == 0  # idempotent
    with db.session() as s:
        assert s.scalars(select(MaintenanceRun.task)).all() == ["check_index", "check_index"]


def test_retraining_waits_for_new_corrections(db: Database, settings: Settings) -> None:
    result = retrain(WorkerContext(settings, db))
    assert result["retrained"] is False and "更正" in result["message"]


def test_report_is_written_inside_the_reports_folder(db: Database, settings: Settings) -> None:
    out = build_report(
        WorkerContext(settings, db),
        {"kind": "bulletin", "quarter": "2024Q2", "filename": "../../etc/2024Q2通报.docx"},
    )
    path = Path(out["path"])
    assert out["ok"] and path.parent == settings.data_dir / "reports" and path.name == "2024Q2通报.docx"
    assert path.stat().st_size > 0
