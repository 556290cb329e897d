"""Training the classifier from a labelled corpus plus the reviewers' corrections in the store.

One use case for `anjian train` and for the scheduled retraining: a model is never trained on the
corrections alone, because that would overwrite a better model with one that saw a handful of cases.
"""

from __future__ import annotations

import time
from pathlib import Path
from typing import Any

from sqlalchemy import select

from classify import SHIPPED_MODEL, TrainingExample, model_file_for, save_model, train_model
from classify.corpus import labelled_items
from classify.training import corrected_label, example_from_record
from core.db import Database
from core.models import Correction, Judgment
from core.normalize import normalize_case_no
from core.settings import Settings
from ingest.record import JudgmentRecord


class TrainingUnavailable(Exception):
    """Nothing sound to train on; the message says what is missing (Chinese)."""


def corrected_examples(db: Database) -> dict[str, TrainingExample]:
    """Judgments a reviewer corrected: the machine's tags with the corrections applied, keyed by
    normalised case number (``store-<id>`` when there is none)."""
    examples: dict[str, TrainingExample] = {}
    with db.session() as s:
        rows = s.scalars(select(Judgment).where(Judgment.id.in_(select(Correction.judgment_id)))).all()
        for j in rows:
            record = JudgmentRecord.model_validate(j.record)
            machine = j.classification or {}
            label = {
                "outcome": machine.get("outcome"),
                "loss_causes": [t.get("cause") for t in machine.get("loss_causes", [])],
                "action_type": machine.get("action_type"),
                "field": machine.get("field"),
            }
            label = corrected_label(label, [{"field": c.field, "value": c.value} for c in j.corrections])
            key = normalize_case_no(j.case_no) if j.case_no else f"store-{j.id}"
            examples[key] = example_from_record(f"store-{j.id}", record, label)
    return examples


def corpus_examples(corpus_dir: Path, *, from_pdf: bool = True) -> dict[str, TrainingExample]:
    if not (corpus_dir / "labels.jsonl").exists():
        raise TrainingUnavailable(f"{corpus_dir} 中没有 labels.jsonl，不是带标注的语料目录")
    examples: dict[str, TrainingExample] = {}
    for item, record in labelled_items(corpus_dir, from_pdf=from_pdf):
        case_no = item.label.get("case_no") or record.case_no
        key = normalize_case_no(case_no) if case_no else item.id
        examples[key] = example_from_record(item.id, record, item.label)
    return examples


def train_from_store(
    db: Database | None,
    settings: Settings,
    corpus_dir: Path | None,
    *,
    from_pdf: bool = True,
    target: Path | None = None,
    shipped: bool = False,
) -> dict[str, Any]:
    """Train on the corpus with every reviewed judgment replacing the corpus label of the same case,
    write the artefact atomically into the models folder (or the package with ``shipped``), and say what
    was done. ``db`` None: the corpus alone."""
    if corpus_dir is None:
        raise TrainingUnavailable(
            "没有配置基础训练语料（ANJIAN_TRAINING_CORPUS 或 --corpus）：只用人工更正训练会覆盖更好的模型，已跳过"
        )
    if shipped:
        path = SHIPPED_MODEL
    else:
        path = target or model_file_for(settings)
        allowed = [settings.models_dir.resolve()] + (
            [settings.model_path.parent.resolve()] if settings.model_path else []
        )
        if not any(path.resolve().is_relative_to(d) for d in allowed):
            raise TrainingUnavailable(f"模型只能写入模型目录 {settings.models_dir}")
    by_case = corpus_examples(corpus_dir, from_pdf=from_pdf)
    n_corrected = 0
    if db is not None:
        corrected = corrected_examples(db)
        by_case.update(corrected)
        n_corrected = len(corrected)
    started = time.perf_counter()
    model = train_model(list(by_case.values()))
    save_model(model, path)
    return {
        "examples": model.n_examples,
        "corrected": n_corrected,
        "cause_heads": len(model.cause_heads),
        "version": model.version,
        "path": str(path),
        "seconds": round(time.perf_counter() - started, 1),
    }
