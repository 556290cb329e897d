"""Spare sandbox children started ahead (``ingest.sandbox.prestart``): warmed up before their first call,
used by the next caller, and a successor ready before a worker is replaced."""

from __future__ import annotations

import os
import sys
import threading
from collections.abc import Callable
from typing import Any

import pytest

import ingest.sandbox as sandbox
from ingest.sandbox import SandboxMemoryError, prestart, run_limited


@pytest.fixture(autouse=True)
def _own_spares(monkeypatch: pytest.MonkeyPatch) -> None:
    """Each test has its own spare list and switches (the module keeps them per process)."""
    monkeypatch.setattr(sandbox, "_spares", [])
    monkeypatch.setattr(sandbox, "_warm", None)
    monkeypatch.setattr(sandbox, "_ahead", False)


def _in_thread(fn: Callable[[], Any]) -> Any:
    """Run ``fn`` in a new thread (a thread has its own worker): what it returned, or raise what it raised."""
    out: list[Any] = []
    errors: list[BaseException] = []

    def run() -> None:
        try:
            out.append(fn())
        except BaseException as exc:  # noqa: BLE001 - raised again in the test's thread
            errors.append(exc)

    t = threading.Thread(target=run)
    t.start()
    t.join(120)
    if errors:
        raise errors[0]
    return out[0]


def _call(fn: Callable[..., Any], *args: Any) -> Any:
    return run_limited(fn, args, timeout_s=60, memory_mb=512)


def test_the_next_caller_gets_the_warmed_spare() -> None:
    """GIVEN a spare asked for with a warm-up WHEN a thread makes its first call THEN it runs in that
    spare, after the warm-up (what the warm-up set is there)."""
    prestart(512, (sys.setrecursionlimit, (4321,)))
    assert _in_thread(lambda: _call(sys.getrecursionlimit)) == 4321
    assert sandbox._spares == []  # taken


def test_a_spare_that_dies_warming_up_is_not_used() -> None:
    """GIVEN a warm-up that runs out of memory (the child exits) WHEN a call comes THEN a fresh child
    answers it; a warm-up that merely raises leaves its spare usable."""
    prestart(512, (bytearray, (3 * 1024**3,)))
    assert _in_thread(lambda: _call(sys.getrecursionlimit)) != 4321
    prestart(512, (int, ("not a number",)))
    assert _in_thread(lambda: _call(str, "ok")) == "ok"


def test_a_worker_near_its_replacement_has_a_warmed_successor(monkeypatch: pytest.MonkeyPatch) -> None:
    """GIVEN spares asked for WHEN a worker reaches its last calls THEN its successor is started then and
    is the child that answers after the replacement (warmed up)."""
    monkeypatch.setattr(sandbox, "_MAX_TASKS", 5)
    monkeypatch.setattr(sandbox, "_SPARE_AHEAD", 2)
    prestart(512, (sys.setrecursionlimit, (4321,)))

    def calls() -> list[tuple[int, int]]:
        return [(_call(os.getpid), _call(sys.getrecursionlimit)) for _ in range(4)]

    seen = _in_thread(calls)  # 8 calls: a replacement after the 5th
    pids = [pid for pid, _ in seen]
    assert len(set(pids)) == 2 and all(limit == 4321 for _, limit in seen)


def test_memory_errors_are_still_reported_from_a_spare() -> None:
    prestart(512)
    with pytest.raises(SandboxMemoryError):
        _in_thread(lambda: _call(bytearray, 3 * 1024**3))
