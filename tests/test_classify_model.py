"""The model artefact: JSON only, round-trips, refuses unknown formats and untrusted paths."""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest

from classify import (
    ModelFormatError,
    UntrustedModelPath,
    load_model,
    save_model,
    train_model,
)
from classify.corpus import parse
from classify.model import FORMAT_VERSION, TrainingExample, training_hash
from classify.training import example_from_record
from core.segment import words as tokens


@pytest.fixture(scope="module")
def examples(corpus_labels: dict[str, dict], corpus_judgments: dict[str, dict]) -> list[TrainingExample]:
    ids = sorted(corpus_labels)[:60]
    return [
        example_from_record(i, parse(corpus_judgments[i]["document_text"]), corpus_labels[i]) for i in ids
    ]


@pytest.fixture(scope="module")
def model(examples: list[TrainingExample]):  # type: ignore[no-untyped-def]
    return train_model(examples)


def test_artefact_round_trips_with_versions_and_hash(model, examples, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    path = tmp_path / "models" / "anjian-model.json"
    save_model(model, path)
    data = json.loads(path.read_text("utf-8"))
    assert data["format_version"] == FORMAT_VERSION
    assert set(data["library_versions"]) == {"sklearn", "jieba", "numpy"}
    assert data["training_hash"] == training_hash(examples)
    assert not list(path.parent.glob("*.tmp"))  # the temp file was renamed, not left behind

    loaded = load_model(path, trusted_dirs=(tmp_path / "models",))
    words = tokens(examples[0].reasoning or examples[0].meta)
    before, after = model.cause_probabilities(words), loaded.cause_probabilities(words)
    assert before.keys() == after.keys()
    assert all(abs(before[c] - after[c]) < 1e-3 for c in before)
    meta = tokens(examples[0].meta)
    assert model.field(meta)[0] == loaded.field(meta)[0]
    assert model.action_type(meta)[0] == loaded.action_type(meta)[0]


def test_training_hash_ignores_order(examples) -> None:  # type: ignore[no-untyped-def]
    assert training_hash(examples) == training_hash(list(reversed(examples)))
    assert training_hash(examples) != training_hash(examples[1:])


def test_load_refuses_a_tampered_format_version(model, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    path = tmp_path / "anjian-model.json"
    save_model(model, path)
    data = json.loads(path.read_text("utf-8"))
    data["format_version"] = FORMAT_VERSION + 1
    path.write_text(json.dumps(data), "utf-8")
    with pytest.raises(ModelFormatError):
        load_model(path, trusted_dirs=(tmp_path,))


def test_load_refuses_paths_outside_the_trusted_directories(model, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    elsewhere = tmp_path / "downloads" / "anjian-model.json"
    save_model(model, elsewhere)
    with pytest.raises(UntrustedModelPath):
        load_model(elsewhere, trusted_dirs=(tmp_path / "models",))
    os.chmod(elsewhere.parent, 0o777)  # a folder anyone may write to is never trusted
    with pytest.raises(UntrustedModelPath):
        load_model(elsewhere)


def test_shipped_model_loads_offline_and_names_its_origin() -> None:
    m = load_model()
    assert m.format_version == FORMAT_VERSION
    assert len(m.training_hash) == 64
    assert m.cause_heads and m.action_head is not None and m.field_head is not None
