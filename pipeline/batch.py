"""A batch of files on every core: the pure stages in worker processes, storing in the parent, in order.

``ingest_batch`` keeps the promise of one file → one status. The parent receives each file (keeps the
original, looks for an earlier copy), hands the pure stages — read, understand, classify — to a pool of
worker processes, and commits the results in input order, so the store sees files in the order given and
a second copy of the same bytes in one batch is recognised as a duplicate of the first (it waits for the
first to be stored instead of being read twice). Workers start with ``forkserver`` (the parent holds
threads and database connections that must not be forked). A worker that dies takes no file with it: its
files are read again in the parent, one by one.
"""

from __future__ import annotations

import multiprocessing
import os
from collections import deque
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import Future, ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from core.settings import Settings
from core.taxonomy import DocumentStatus, RejectReason
from ingest.errors import Rejected
from pipeline.process import Analysed, IngestResult, Pipeline, Received, sha256_of


def default_jobs() -> int:
    """One worker per core this process may use."""
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except AttributeError:  # not on Linux
        return max(1, os.cpu_count() or 1)


# --- the worker side ---------------------------------------------------------------------------------

_worker: Pipeline | None = None


def _start_worker(settings: Settings, classify: bool) -> None:
    global _worker
    _worker = Pipeline(None, settings, index=False, classify=classify)  # type: ignore[arg-type]


def _analyse(path: str) -> Analysed | Rejected:
    """Read, understand, classify one file (no database): the result, or why it was rejected."""
    assert _worker is not None
    data = Path(path).read_bytes()
    try:
        return _worker.analyse(data, Path(path).name)
    except Rejected as rej:
        return rej


# --- the parent side ---------------------------------------------------------------------------------


@dataclass
class _Slot:
    path: Path
    data: bytes | None = None
    received: Received | None = None
    result: IngestResult | None = None  # final already (seen before, unreadable)
    future: Future[Analysed | Rejected] | None = None
    again: bool = False  # the same bytes as an earlier file of this batch: receive once that is stored


def ingest_batch(
    pipeline: Pipeline, files: Iterable[Path], *, jobs: int, on_result: Callable[[IngestResult], None]
) -> list[IngestResult]:
    """Ingest ``files`` with ``jobs`` worker processes; ``on_result`` is called for each file in input
    order as soon as it is stored (its judgment not yet indexed: ``index=False``)."""
    results: list[IngestResult] = []
    context = multiprocessing.get_context("forkserver")
    with ProcessPoolExecutor(
        max_workers=jobs,
        mp_context=context,
        initializer=_start_worker,
        initargs=(pipeline.settings, pipeline._classify),
    ) as pool:
        window: deque[_Slot] = deque()
        in_flight: set[str] = set()
        broken = False
        for slot in _slots(pipeline, files, in_flight):
            if slot.received is not None and not slot.again and not broken:
                try:
                    slot.future = pool.submit(_analyse, str(slot.path))
                except (BrokenProcessPool, RuntimeError):
                    broken = True
            window.append(slot)
            while len(window) > 2 * jobs:
                results.append(_finish(pipeline, window.popleft(), in_flight, on_result))
        while window:
            results.append(_finish(pipeline, window.popleft(), in_flight, on_result))
    return results


def _slots(pipeline: Pipeline, files: Iterable[Path], in_flight: set[str]) -> Iterator[_Slot]:
    for path in files:
        slot = _Slot(Path(path))
        try:
            slot.data = slot.path.read_bytes()
        except OSError as exc:
            slot.result = IngestResult(
                str(path),
                DocumentStatus.rejected,
                reason=RejectReason.corrupt,
                message=f"无法读取文件：{exc}",
            )
            yield slot
            continue
        if sha256_of(slot.data) in in_flight:
            slot.again = True
            yield slot
            continue
        received = pipeline.receive(slot.data, slot.path.name, shown_path=str(path))
        if isinstance(received, IngestResult):
            slot.result = received
        else:
            slot.received = received
            in_flight.add(received.digest)
        yield slot


def _finish(
    pipeline: Pipeline, slot: _Slot, in_flight: set[str], on_result: Callable[[IngestResult], None]
) -> IngestResult:
    result = _finish_one(pipeline, slot)
    if slot.received is not None:
        in_flight.discard(slot.received.digest)
    on_result(result)
    return result


def _finish_one(pipeline: Pipeline, slot: _Slot) -> IngestResult:
    if slot.result is not None:
        return slot.result
    assert slot.data is not None
    if slot.again or slot.received is None:  # an earlier copy is stored by now: this one is its duplicate
        return pipeline.ingest_bytes(slot.data, slot.path.name, shown_path=str(slot.path), index=False)
    outcome: Any = None
    if slot.future is not None:
        try:
            outcome = slot.future.result()
        except Exception:  # noqa: BLE001 - the worker died or failed: read it here, alone, as one job would
            outcome = None
    if outcome is None:
        try:
            outcome = pipeline.analyse(slot.data, slot.path.name)
        except Rejected as rej:
            outcome = rej
    if isinstance(outcome, Rejected):
        return pipeline.reject(slot.received, outcome)
    return pipeline.commit(slot.received, outcome, index=False)
