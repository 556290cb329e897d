"""Understanding and classifying a read document in the parsing sandbox, not in the calling process.

Reading already runs in a sandbox child; parsing (``ingest.parse``) and classifying (``classify``) are
pure Python too, and in the caller they held the interpreter lock: with several files in flight (``anjian
ingest --jobs N``, the embedded worker's threads) they ran one at a time beside the storing. Run in the
calling thread's warm sandbox child, N threads give N files parsed at once on N cores, and the caller
only waits on a pipe. The child loads the classifier model once (per model file and version) and keeps it
while it stays warm.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import Any

# what the forkserver imports for every sandbox child, beside the readers (``ingest.sandbox.preload``)
SANDBOX_MODULES = ("ingest.parse", "classify", "pipeline.analysis")

# (model file or None for the shipped one, trusted folders, modification time): what the child loads
ModelRef = tuple[str | None, tuple[str, ...], int]

_models: dict[ModelRef, Any] = {}


def model_ref(settings: Any) -> ModelRef:
    """Which model ``classify.load_model_for(settings)`` would load, as the child needs to know it."""
    from classify import model_file_for

    path = model_file_for(settings)
    trusted = (settings.models_dir,) + ((settings.model_path.parent,) if settings.model_path else ())
    try:
        mtime = path.stat().st_mtime_ns
    except OSError:
        return (None, (), 0)
    return (str(path), tuple(str(t) for t in trusted), mtime)


def _model(ref: ModelRef) -> Any:
    model = _models.get(ref)
    if model is None:
        from classify import load_model

        path, trusted, _ = ref
        model = load_model(Path(path), tuple(Path(t) for t in trusted)) if path else load_model(None)
        _models.clear()  # one model at a time: a retrained model replaces the old one
        _models[ref] = model
    return model


def warm_up(ref: ModelRef | None) -> None:
    """In a fresh sandbox child, before its first file: what the first PDF would build — the
    plausibility check's word pairs, the tokenizer and (``ref``) the classifier model."""
    from core.segment import segmenter_id
    from ingest.text_quality import common_bigrams

    common_bigrams()
    if ref is not None:
        segmenter_id()
        _model(ref)


def start_sandbox(settings: Any, *, classify: bool = True) -> None:
    """Start a sandbox child now, in the background, and have it build what its first file needs
    (:func:`warm_up`) while the caller goes on starting up (opening the store, catching up the index);
    from then on each child's successor is started ahead of its replacement (``ingest.sandbox.prestart``).
    For a caller about to read a batch (``anjian ingest``); returns at once."""
    import threading

    from ingest.sandbox import preload, prestart

    preload(*SANDBOX_MODULES)  # before the forkserver starts

    def start() -> None:
        prestart(settings.max_memory_mb, (warm_up, (model_ref(settings) if classify else None,)))

    threading.Thread(target=start, name="sandbox-start", daemon=True).start()


def understand_and_classify(
    text: str, furniture: Sequence[str], ref: ModelRef | None, thresholds: Any
) -> tuple[Any, Any]:
    """``parse_text`` and, when ``ref`` is given, ``classify_record``: (record, classification or None).
    What the sandbox child runs; ``Rejected`` (not a judgment) reaches the caller as it is."""
    from ingest.parse import parse_text

    record = parse_text(text, furniture)
    if ref is None:
        return record, None
    from classify import classify_record

    return record, classify_record(record, _model(ref), thresholds)
