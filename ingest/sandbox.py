"""Run a parsing function in a child process that can really be stopped.

A malicious or broken PDF can make a pure-Python parser loop for minutes or allocate gigabytes. The
function runs in a forked child of a *forkserver* (a clean, single-threaded process that has already
imported the heavy parsing modules, so starting a child costs milliseconds, not an interpreter start).
The child caps its own address space (``RLIMIT_AS``); the parent waits on a pipe with a wall-clock
timeout and kills the child when it expires.
"""

from __future__ import annotations

import multiprocessing
import multiprocessing.connection
import resource
import sys
import threading
import time
import traceback
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any

_PRELOAD = ["pdfplumber", "ingest.pdf_text", "ingest.ocr"]
_ctx_lock = threading.Lock()
_ctx: Any = None
_peak_child_kb = 0


class SandboxTimeout(Exception):
    """The child did not finish within its time limit and was killed."""


class SandboxMemoryError(Exception):
    """The child ran out of the memory it was allowed."""


class SandboxCrash(Exception):
    """The child died (a signal, a hard crash) or raised an unexpected error."""


def _context() -> Any:
    global _ctx
    with _ctx_lock:
        if _ctx is None:
            ctx = multiprocessing.get_context("forkserver")
            ctx.set_forkserver_preload(_PRELOAD)
            _ctx = ctx
        return _ctx


@contextmanager
def _main_hidden() -> Iterator[None]:
    """Start children without re-importing the caller's ``__main__``.

    The functions we run live in importable ``ingest`` modules, so the child never needs the main
    script; without this, a script lacking an ``if __name__ == "__main__"`` guard would run again
    in every child (and fail).
    """
    main = sys.modules.get("__main__")
    if main is None:
        yield
        return
    saved: dict[str, Any] = {k: main.__dict__[k] for k in ("__file__", "__spec__") if k in main.__dict__}
    main.__dict__.pop("__file__", None)
    main.__dict__["__spec__"] = None
    try:
        yield
    finally:
        main.__dict__.pop("__spec__", None)
        main.__dict__.update(saved)


def _child(conn: Any, memory_mb: int, fn: Callable[..., Any], args: tuple) -> None:
    if memory_mb > 0:
        limit = memory_mb * 1024 * 1024
        try:
            resource.setrlimit(resource.RLIMIT_AS, (limit, limit))
        except (ValueError, OSError):
            pass
    try:
        result = fn(*args)
    except MemoryError:
        conn.send(("memory", None))
    except BaseException as exc:  # noqa: BLE001 - everything is reported to the parent
        conn.send(("error", (exc, traceback.format_exc())))
    else:
        conn.send(("ok", (result, resource.getrusage(resource.RUSAGE_SELF).ru_maxrss)))
    finally:
        conn.close()


def run_limited(fn: Callable[..., Any], args: tuple, *, timeout_s: float, memory_mb: int) -> Any:
    """``fn(*args)`` in a killable child; raises SandboxTimeout / SandboxMemoryError / SandboxCrash.

    Exceptions the function raises on purpose (picklable ones, e.g. ``Rejected``) are re-raised here.
    """
    ctx = _context()
    recv, send = ctx.Pipe(duplex=False)
    proc = ctx.Process(target=_child, args=(send, memory_mb, fn, args), daemon=True)
    with _main_hidden():
        proc.start()
    send.close()
    deadline = time.monotonic() + timeout_s
    try:
        if not recv.poll(max(0.0, deadline - time.monotonic())):
            raise SandboxTimeout(f"no result after {timeout_s:.0f} s")
        try:
            status, payload = recv.recv()
        except EOFError as exc:
            raise SandboxCrash(f"child exited with code {proc.exitcode}") from exc
    finally:
        recv.close()
        if proc.is_alive():
            proc.join(0.5)
        if proc.is_alive():
            proc.kill()
            proc.join(5)
        if proc.exitcode is not None:
            proc.close()
    if status == "ok":
        result, peak_kb = payload
        global _peak_child_kb
        _peak_child_kb = max(_peak_child_kb, peak_kb)
        return result
    if status == "memory":
        raise SandboxMemoryError("memory limit reached")
    error, tb = payload
    if isinstance(error, Exception) and getattr(error, "__module__", "").startswith("ingest."):
        raise error
    raise SandboxCrash(f"{type(error).__name__}: {error}\n{tb}")


def peak_child_rss_mb() -> float:
    """The largest peak resident memory any sandboxed child of this process has reported (MiB)."""
    return _peak_child_kb / 1024
