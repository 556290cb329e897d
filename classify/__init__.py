"""Why the agency lost: outcome, ruling forms, loss causes with evidence, action type and field.

    from classify import classify_record, load_model
    c = classify_record(record, load_model())

Pure functions over plain data (no database, no web): the CLI, the pipeline and the API call them.
"""

from __future__ import annotations

from pathlib import Path

from classify.corrections import apply_corrections
from classify.decide import Thresholds, classify_record
from classify.errors import ClassifyError, ModelFormatError, NoModel, UntrustedModelPath
from classify.model import SHIPPED_MODEL, CauseModel, TrainingExample
from classify.model import load as _load
from classify.model import save as _save
from classify.model import train as _train
from core.segment import words as tokens

__all__ = [
    "CauseModel",
    "ClassifyError",
    "ModelFormatError",
    "NoModel",
    "SHIPPED_MODEL",
    "Thresholds",
    "TrainingExample",
    "UntrustedModelPath",
    "apply_corrections",
    "classify_record",
    "load_model",
    "load_model_for",
    "model_file_for",
    "save_model",
    "thresholds_for",
    "train_model",
]


def load_model(path: Path | None = None, trusted_dirs: tuple[Path, ...] | None = None) -> CauseModel:
    """The shipped artefact (``path`` None), or ``path`` if trusted: inside ``trusted_dirs`` when
    given (pass ``(settings.models_dir,)``), else owned by us and writable by no one else."""
    return _load(path, trusted_dirs)


def train_model(examples: list[TrainingExample]) -> CauseModel:
    return _train(examples, tokens)


def save_model(model: CauseModel, path: Path) -> None:
    """Atomic write (temp file + os.replace)."""
    _save(model, path)


def model_file_for(settings) -> Path:  # type: ignore[no-untyped-def]
    """Where ``anjian train`` writes: settings.model_path, else data_dir/models/anjian-model.json."""
    return settings.model_path or settings.models_dir / SHIPPED_MODEL.name


def load_model_for(settings) -> CauseModel:  # type: ignore[no-untyped-def]
    """The trained model of this installation if there is one, else the shipped one."""
    path = model_file_for(settings)
    trusted = (settings.models_dir,) + ((settings.model_path.parent,) if settings.model_path else ())
    if path.exists():
        return _load(path, trusted)
    return _load(None)


def thresholds_for(settings) -> Thresholds:  # type: ignore[no-untyped-def]
    return Thresholds(cause_threshold=settings.cause_threshold, rule_min_strength=settings.rule_min_strength)
