"""A batch of files on every core: one sandbox per core reads, the calling thread stores, in input order.

``ingest_batch`` keeps the promise of one file → one status. The calling thread receives each file (keeps
the original, looks for an earlier copy) and hands the pure stages — read, understand, classify — to
``jobs`` threads. Each thread drives its own warm sandbox child (``ingest.sandbox``), where all three
stages run, so the threads only wait on pipes and N files are analysed at once on N cores while the
calling thread stores the results in input order. The store therefore sees files in the order given, and a
second copy of the same bytes in one batch is recognised as a duplicate of the first (it waits for the
first to be stored instead of being read twice). A sandbox child that dies takes no file with it: the
sandbox reports it (``Rejected``, as with one job) and the next file gets a fresh child.
"""

from __future__ import annotations

import os
from collections import deque
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path

from core.taxonomy import DocumentStatus, RejectReason
from ingest.errors import Rejected
from pipeline.process import Analysed, IngestResult, Pipeline, Received, is_disk_full, sha256_of


def default_jobs() -> int:
    """One worker per core this process may use."""
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except AttributeError:  # not on Linux
        return max(1, os.cpu_count() or 1)


# Files received and handed to the sandboxes ahead of the one being stored, per sandbox: enough that the
# sandboxes keep reading while the calling thread stores a run of quick files or waits for the index.
_AHEAD = 4


def _analyse(pipeline: Pipeline, data: bytes, filename: str) -> Analysed | Rejected:
    """Read, understand, classify one file in this thread's sandbox: the result, or why it was rejected."""
    try:
        return pipeline.analyse(data, filename)
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
    """Ingest ``files`` with ``jobs`` sandboxes reading at once; ``on_result`` is called for each file in
    input order as soon as it is stored (its judgment not yet indexed: ``index=False``). With ``jobs=1``
    the next file is read while this one is stored."""
    results: list[IngestResult] = []
    with ThreadPoolExecutor(max_workers=jobs, thread_name_prefix="anjian-read") as pool:
        window: deque[_Slot] = deque()
        in_flight: set[str] = set()
        try:
            try:
                for slot in _slots(pipeline, files, in_flight):
                    if slot.received is not None and not slot.again:
                        assert slot.data is not None
                        slot.future = pool.submit(_analyse, pipeline, slot.data, slot.path.name)
                    window.append(slot)
                    while len(window) > _AHEAD * jobs:
                        results.append(_finish(pipeline, window.popleft(), in_flight, on_result))
            except Exception as exc:
                # the disk filled while a later file was received: the files received before it are
                # stored first (as one job storing file by file would have), then the batch ends
                if not is_disk_full(exc):
                    raise
                while window:
                    results.append(_finish(pipeline, window.popleft(), in_flight, on_result))
                raise
            while window:
                results.append(_finish(pipeline, window.popleft(), in_flight, on_result))
        finally:
            for slot in window:  # an interruption: files not yet stored are not analysed either
                if slot.future is not None:
                    slot.future.cancel()
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
    assert slot.future is not None
    outcome = slot.future.result()  # an unexpected error is raised here, in input order, as one job would
    if isinstance(outcome, Rejected):
        return pipeline.reject(slot.received, outcome)
    return pipeline.commit(slot.received, outcome, index=False)
