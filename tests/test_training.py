"""Retraining: the corpus plus reviewers' corrections, never the corrections alone."""

from __future__ import annotations

from pathlib import Path

import pytest

from classify import load_model_for
from core.db import Database
from core.settings import Settings
from core.store import add_correction
from pipeline.process import Pipeline
from pipeline.training import TrainingUnavailable, train_from_store
from workers.tasks import WorkerContext, retrain

SAMPLES = Path(__file__).resolve().parent.parent / "samples"


def _corrected_judgment(db: Database, settings: Settings) -> int:
    result = Pipeline(db, settings, index=False).ingest_path(SAMPLES / "text" / "sea-001.pdf")
    assert result.judgment_id is not None
    with db.session() as s:
        add_correction(s, result.judgment_id, "field", "自然资源", user="审核员", reason="国土资源厅")
    return result.judgment_id


def test_retraining_without_a_base_corpus_is_skipped_and_says_why(db: Database, settings: Settings) -> None:
    """GIVEN a new correction but no base corpus configured WHEN the scheduled retraining runs
    THEN no model is written and the run records the reason (a few corrections alone would overwrite
    a better model)."""
    _corrected_judgment(db, settings)
    result = retrain(WorkerContext(settings, db))
    assert result["retrained"] is False
    assert "ANJIAN_TRAINING_CORPUS" in result["message"]
    assert not (settings.models_dir / "anjian-model.json").exists()


@pytest.mark.slow
def test_training_adds_corrections_to_the_corpus(db: Database, settings: Settings, corpus_dir: Path) -> None:
    _corrected_judgment(db, settings)
    done = train_from_store(db, settings, corpus_dir, from_pdf=False)
    assert done["corrected"] == 1 and done["examples"] >= 140
    assert Path(done["path"]).is_relative_to(settings.models_dir)
    assert load_model_for(settings).version == done["version"]


def test_the_model_is_written_only_into_the_models_folder(
    settings: Settings, corpus_dir: Path, tmp_path: Path
) -> None:
    with pytest.raises(TrainingUnavailable):
        train_from_store(None, settings, corpus_dir, from_pdf=False, target=tmp_path / "elsewhere.json")
