"""Integrity of the store against colliding case numbers and interrupted runs (real SQLite store and the
embedded search index): court-aware linking, records that never move access silently, and an index that
never misses what the store holds.
"""

from __future__ import annotations

import json
from pathlib import Path

import hostile_files as hf
import pytest
from sqlalchemy import func, select
from typer.testing import CliRunner

from core.db import Database
from core.models import Document, IndexOutbox, Judgment
from core.settings import Settings
from core.taxonomy import DocumentStatus
from pipeline.indexing import pending_outbox
from pipeline.process import Pipeline
from search import open_backend

OTHER_COURT = hf.JUDGMENT.replace("河北省某某县人民法院", "湖南省另一县人民法院").replace("冀0101", "冀0101")
OTHER_PARTIES = (
    hf.JUDGMENT.replace("张三", "孙八").replace("李四", "周九").replace("人力资源和社会保障局", "自然资源局")
)
OTHER_AGENCY = hf.JUDGMENT.replace("人力资源和社会保障局", "自然资源局")


def _pipeline(db: Database, settings: Settings, index: bool = True) -> Pipeline:
    return Pipeline(db, settings, classify=False, index=index)


def _ingest(p: Pipeline, text: str, name: str):  # type: ignore[no-untyped-def]
    return p.ingest_bytes(text.encode("utf-8"), name)


def test_the_same_judgment_in_two_formats_is_linked(db: Database, settings: Settings) -> None:
    p = _pipeline(db, settings)
    first = _ingest(p, hf.JUDGMENT, "a.txt")
    second = p.ingest_bytes(hf.docx_bytes(), "a.docx")
    assert first.status == DocumentStatus.stored and second.status == DocumentStatus.linked
    assert second.judgment_id == first.judgment_id


def test_another_courts_judgment_with_the_same_case_number_is_its_own_judgment_flagged_for_review(
    db: Database, settings: Settings
) -> None:
    """GIVEN a stored judgment WHEN another court's judgment with the same case number arrives THEN it is
    stored as a second judgment with a review note, never linked to the first (whose agency would see it)."""
    p = _pipeline(db, settings)
    first = _ingest(p, hf.JUDGMENT, "a.txt")
    other = _ingest(p, OTHER_COURT, "b.txt")
    assert other.status == DocumentStatus.stored and other.judgment_id != first.judgment_id
    assert "待复核" in (other.message or "")
    with db.session() as s:
        j = s.get(Judgment, other.judgment_id)
        assert j is not None and j.court == "湖南省另一县人民法院"
        assert j.review_note and "法院不同" in j.review_note
        assert s.get(Judgment, first.judgment_id).review_note is None  # type: ignore[union-attr]


def test_same_court_same_number_but_other_parties_is_not_linked(db: Database, settings: Settings) -> None:
    p = _pipeline(db, settings)
    first = _ingest(p, hf.JUDGMENT, "a.txt")
    other = _ingest(p, OTHER_PARTIES, "b.txt")
    assert other.judgment_id != first.judgment_id
    with db.session() as s:
        note = s.get(Judgment, other.judgment_id).review_note  # type: ignore[union-attr]
        assert note and "当事人完全不同" in note


def test_a_better_copy_with_other_agency_parties_does_not_move_access(
    db: Database, settings: Settings
) -> None:
    """GIVEN a judgment read from a text file WHEN a Word copy (ranked higher) names another defendant agency
    THEN the document is linked but the record — and so who may see the case — is unchanged, for review."""
    p = _pipeline(db, settings)
    first = _ingest(p, hf.JUDGMENT, "a.txt")
    better = p.ingest_bytes(hf.docx_bytes(OTHER_AGENCY), "b.docx")
    assert better.status == DocumentStatus.linked and better.judgment_id == first.judgment_id
    with db.session() as s:
        j = s.get(Judgment, first.judgment_id)
        assert j is not None
        assert j.defendants == ["某某县人力资源和社会保障局"]
        assert j.review_note and "未替换" in j.review_note


def test_storing_writes_an_outbox_row_in_the_same_transaction(db: Database, settings: Settings) -> None:
    """A run killed after the commit and before indexing leaves the judgment in the outbox (not lost)."""
    stored = _ingest(_pipeline(db, settings, index=False), hf.JUDGMENT, "a.txt")
    with db.session() as s:
        assert s.scalars(select(IndexOutbox.judgment_id)).all() == [stored.judgment_id]
    assert stored.judgment_id not in open_backend(settings).ids()


def _cli(settings: Settings, monkeypatch: pytest.MonkeyPatch, args: list[str]):  # type: ignore[no-untyped-def]
    from cli import context
    from cli.main import app

    monkeypatch.setenv("ANJIAN_DATA_DIR", str(settings.data_dir))
    monkeypatch.delenv("ANJIAN_DATABASE_URL", raising=False)
    context.settings.cache_clear()
    context.database.cache_clear()
    try:
        return CliRunner().invoke(app, args)
    finally:
        context.database().dispose()
        context.settings.cache_clear()
        context.database.cache_clear()


def test_a_run_killed_before_indexing_is_repaired_by_the_next_ingest(
    settings: Settings, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """GIVEN a judgment committed by a run that died before indexing (search cannot find it) WHEN the same
    file is ingested again THEN it is reported duplicate AND the judgment is searchable; the outbox is empty."""
    db = Database(settings)
    stored = _ingest(_pipeline(db, settings, index=False), hf.JUDGMENT, "a.txt")
    db.dispose()
    show = _cli(settings, monkeypatch, ["show", str(stored.judgment_id)])
    assert "尚未写入检索索引" in show.output  # a read-only command warns in one line
    folder = tmp_path / "again"
    folder.mkdir()
    (folder / "a.txt").write_text(hf.JUDGMENT, "utf-8")
    result = _cli(settings, monkeypatch, ["ingest", str(folder), "--json"])
    assert result.exit_code == 0, result.output
    line = json.loads(next(ln for ln in result.stdout.splitlines() if ln.startswith("{")))
    assert line["status"] == "duplicate"
    found = _cli(settings, monkeypatch, ["search", "工伤认定", "--json"])
    assert stored.judgment_id in {h["id"] for h in json.loads(found.stdout)["hits"]}
    db = Database(settings)
    assert pending_outbox(db) == 0
    db.dispose()


def test_an_index_that_lost_a_judgment_is_repaired_by_the_count_check(
    db: Database, settings: Settings, monkeypatch: pytest.MonkeyPatch
) -> None:
    stored = _ingest(_pipeline(db, settings), hf.JUDGMENT, "a.txt")
    open_backend(settings).delete([stored.judgment_id])  # e.g. an index restored from an older copy
    assert stored.judgment_id not in open_backend(settings).ids()
    db.dispose()
    corrected = _cli(settings, monkeypatch, ["correct", str(stored.judgment_id), "outcome", "agency_lost"])
    assert corrected.exit_code == 0, corrected.output
    assert stored.judgment_id in open_backend(settings).ids()
    with Database(settings).session() as s:
        assert s.scalar(select(func.count()).select_from(Document)) == 1


def test_the_embedded_worker_indexes_what_the_outbox_holds(db: Database, settings: Settings) -> None:
    """GIVEN a judgment whose indexing failed (left in the outbox) WHEN `anjian serve`'s embedded worker
    runs THEN it indexes it without anyone asking, and the outbox empties."""
    import time

    from workers.embedded import start_embedded

    stored = _ingest(_pipeline(db, settings, index=False), hf.JUDGMENT, "a.txt")
    runner = start_embedded(db, settings, maintenance=False)
    try:
        deadline = time.monotonic() + 60
        while stored.judgment_id not in open_backend(settings).ids():
            assert time.monotonic() < deadline, "the embedded worker never drained the outbox"
            time.sleep(0.2)
    finally:
        runner.stop()
    assert pending_outbox(db) == 0
