"""Imported by the sandbox forkserver (``ingest.sandbox.preload``): the tokenizer's dictionary and the
shipped classifier model are loaded once there, so every sandbox child — a fresh one after each hundred
files, or after one that failed — starts with them instead of loading them again (~0.2 s each)."""

from __future__ import annotations

from core.segment import segmenter_id
from pipeline.analysis import warm_shipped_model

segmenter_id()
warm_shipped_model()
