"""Run a parsing function in a child process that can really be stopped.

A malicious or broken PDF can make a pure-Python parser loop for minutes or allocate gigabytes. The
function runs in a worker process forked from a *forkserver* (a clean, single-threaded process that
has already imported the heavy parsing modules). The worker caps its own address space
(``RLIMIT_AS``) and stays warm between files (one per calling thread, replaced every 100 files);
the parent waits on a pipe with a wall-clock timeout and kills the worker when it expires, when it
runs out of memory or when it dies — the next call gets a fresh one.
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
from concurrent.futures import Future
from contextlib import contextmanager
from typing import Any

_PRELOAD = [
    "pdfplumber",
    "ingest.pdf_text",
    "ingest.ocr",
    "docx",
    "lxml.html",
    "ingest.docx_text",
    "ingest.html_text",
]
_ctx_lock = threading.Lock()
_ctx: Any = None
_peak_child_kb = 0


def preload(*modules: str) -> None:
    """Also import ``modules`` in the forkserver, so every sandbox child starts with them imported
    (a later stage — parsing, classifying — run in the sandbox too). Only effective before the first
    child starts: a forkserver already running keeps its imports (children then import on first use)."""
    with _ctx_lock:
        for name in modules:
            if name not in _PRELOAD:
                _PRELOAD.append(name)


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
            ctx.set_forkserver_preload(list(_PRELOAD))
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


# a worker is replaced after this many calls, about 100 files (a PDF is three: check, text layer, parse),
# which bounds slow memory creep
_MAX_TASKS = 300
_local = threading.local()


def _serve(conn: Any, memory_mb: int) -> None:
    """The worker loop: run each (fn, args) received and send back the outcome."""
    if memory_mb > 0:
        limit = memory_mb * 1024 * 1024
        try:
            resource.setrlimit(resource.RLIMIT_AS, (limit, limit))
        except (ValueError, OSError):
            pass
    while True:
        try:
            task = conn.recv()
        except (EOFError, OSError):
            return  # the parent went away
        if task is None:
            return
        fn, args = task
        try:
            result = fn(*args)
        except MemoryError:
            conn.send(("memory", None))
            return  # the heap may be in a bad state: let the parent start a fresh worker
        except BaseException as exc:  # noqa: BLE001 - everything is reported to the parent
            try:
                conn.send(("error", (exc, traceback.format_exc())))
            except Exception:  # an exception that cannot be pickled
                conn.send(("error", (RuntimeError(repr(exc)), traceback.format_exc())))
        else:
            conn.send(("ok", (result, resource.getrusage(resource.RUSAGE_SELF).ru_maxrss)))


# starting a child hides and restores ``__main__``'s attributes: one thread at a time
_start_lock = threading.Lock()


class _Worker:
    """One warm child (per calling thread): forked from the forkserver, reused across files. ``warm``:
    a first call (fn, args) sent at once, whose answer is awaited (and dropped) by :meth:`ready`."""

    def __init__(self, memory_mb: int, warm: tuple[Callable[..., Any], tuple] | None = None) -> None:
        ctx = _context()
        self.conn, child_end = ctx.Pipe(duplex=True)
        self.proc = ctx.Process(target=_serve, args=(child_end, memory_mb), daemon=True)
        with _start_lock, _main_hidden():
            self.proc.start()
        child_end.close()
        self.memory_mb = memory_mb
        self.tasks = 0
        self.warming = False
        if warm is not None:
            try:
                self.conn.send(warm)
            except BaseException:
                self.close(kill=True)
                raise
            self.warming = True

    def ready(self, timeout_s: float) -> bool:
        """The warm-up call answered (whatever it answered) and the child still alive."""
        if self.warming:
            try:
                if not self.conn.poll(timeout_s):
                    return False
                status, _ = self.conn.recv()
            except (EOFError, OSError):
                return False
            self.warming = False
            if status == "memory":  # the child exits after a MemoryError
                return False
        return self.proc.is_alive()

    def usable(self, memory_mb: int) -> bool:
        return self.proc.is_alive() and self.memory_mb == memory_mb and self.tasks < _MAX_TASKS

    def close(self, kill: bool = False) -> None:
        try:
            if not kill:
                self.conn.send(None)
        except (OSError, ValueError):
            pass
        self.conn.close()
        if kill or self.proc.is_alive():
            self.proc.join(0 if kill else 0.5)
        if self.proc.is_alive():
            self.proc.kill()
            self.proc.join(5)


def _worker(memory_mb: int) -> _Worker:
    w: _Worker | None = getattr(_local, "worker", None)
    if w is None or not w.usable(memory_mb):
        if w is not None:
            w.close()
        w = _local.worker = _spare(memory_mb) or _Worker(memory_mb)
    return w


# --- spare children, started ahead -------------------------------------------------------------------
# A fresh child costs its start and its first call's caches (a tokenizer, a model: ~0.5 s). A caller that
# knows it will read (``anjian ingest``) asks for one ahead with :func:`prestart`: it starts and warms
# up in the background, while the caller starts up; from then on, a worker near its replacement has its
# successor started and warmed ahead too, so neither start is waited for.
# calls before a worker is replaced, its successor is started: ~20 files, time enough to warm up
_SPARE_AHEAD = 60
_SPARE_WAIT_S = 60.0  # a spare still warming is waited for at most this long, then a fresh child is used
_spare_lock = threading.Lock()
_spares: list[tuple[int, Future[_Worker]]] = []
_warm: tuple[Callable[..., Any], tuple] | None = None
_ahead = False  # successors are started ahead (set by the first prestart)


def prestart(memory_mb: int, warm: tuple[Callable[..., Any], tuple] | None = None) -> None:
    """Start one spare child in the background (and, once called, a successor ahead of every worker's
    replacement). ``warm``: a call (fn, args) each spare runs first, to fill its caches; its answer is
    ignored (an error there leaves the child usable), a spare that dies in it is not used."""
    global _warm, _ahead
    _ahead = True
    if warm is not None:
        _warm = warm
    future: Future[_Worker] = Future()
    with _spare_lock:
        _spares.append((memory_mb, future))
    threading.Thread(target=_start_spare, args=(memory_mb, _warm, future), daemon=True).start()


def _start_spare(
    memory_mb: int, warm: tuple[Callable[..., Any], tuple] | None, future: Future[_Worker]
) -> None:
    try:
        future.set_result(_Worker(memory_mb, warm))
    except BaseException as exc:  # noqa: BLE001 - the taker starts a fresh child instead
        future.set_exception(exc)


def _spare(memory_mb: int) -> _Worker | None:
    """A spare child for ``memory_mb``, warmed up, or None."""
    with _spare_lock:
        found = next((f for m, f in _spares if m == memory_mb), None)
        if found is None:
            return None
        _spares[:] = [(m, f) for m, f in _spares if f is not found]
    try:
        w = found.result(_SPARE_WAIT_S)
    except Exception:  # noqa: BLE001 - it could not start: a fresh one
        return None
    if w.ready(_SPARE_WAIT_S):
        return w
    w.close(kill=True)
    return None


def _retiring(w: _Worker) -> None:
    """Called after each call: a worker ``_SPARE_AHEAD`` calls from its replacement has its successor
    started now, when spares were asked for (:func:`prestart`)."""
    if _ahead and w.tasks == _MAX_TASKS - _SPARE_AHEAD:
        prestart(w.memory_mb)


def _discard(w: _Worker) -> None:
    w.close(kill=True)
    if getattr(_local, "worker", None) is w:
        _local.worker = None


def run_limited(fn: Callable[..., Any], args: tuple, *, timeout_s: float, memory_mb: int) -> Any:
    """``fn(*args)`` in a killable child; raises SandboxTimeout / SandboxMemoryError / SandboxCrash.

    The child is a warm worker reused for the next call (imports done, caches filled); it is killed
    and replaced when a call times out, runs out of memory or crashes. Exceptions the function raises
    on purpose (from ``ingest`` modules, e.g. ``OcrError``) are re-raised here.
    """
    w = _worker(memory_mb)
    w.tasks += 1
    _retiring(w)
    try:
        w.conn.send((fn, args))
    except (OSError, ValueError):  # the worker died between calls: one fresh start
        _discard(w)
        w = _worker(memory_mb)
        w.tasks += 1
        w.conn.send((fn, args))
    deadline = time.monotonic() + timeout_s
    if not w.conn.poll(max(0.0, deadline - time.monotonic())):
        _discard(w)
        raise SandboxTimeout(f"no result after {timeout_s:.0f} s")
    try:
        status, payload = w.conn.recv()
    except (EOFError, OSError) as exc:
        code = w.proc.exitcode
        _discard(w)
        raise SandboxCrash(f"child exited with code {code}") from exc
    if status == "ok":
        result, peak_kb = payload
        global _peak_child_kb
        _peak_child_kb = max(_peak_child_kb, peak_kb)
        return result
    if status == "memory":
        _discard(w)
        raise SandboxMemoryError("memory limit reached")
    error, tb = payload
    if isinstance(error, Exception) and getattr(error, "__module__", "").startswith("ingest."):
        raise error
    raise SandboxCrash(f"{type(error).__name__}: {error}\n{tb}")


def peak_child_rss_mb() -> float:
    """The largest peak resident memory any sandboxed child of this process has reported (MiB)."""
    return _peak_child_kb / 1024


_pool_lock = threading.Lock()
_pools: dict[str, Any] = {}


def run_pooled(
    pool: str, fn: Callable[..., Any], args: tuple, *, timeout_s: float, memory_mb: int, threads: int = 2
) -> Any:
    """:func:`run_limited` through a named pool of ``threads`` threads: however many callers (a web
    server's request threads), at most ``threads`` sandboxes of that pool exist and they stay warm."""
    from concurrent.futures import ThreadPoolExecutor

    with _pool_lock:
        executor = _pools.get(pool)
        if executor is None:
            executor = _pools[pool] = ThreadPoolExecutor(
                max_workers=threads, thread_name_prefix=f"sandbox-{pool}"
            )
    return executor.submit(run_limited, fn, args, timeout_s=timeout_s, memory_mb=memory_mb).result()


def near_memory_limit() -> bool:
    """In a sandbox child: did this process come close (90 %) to its address-space cap? C libraries
    (libxml2) report a failed allocation as a parse error; this tells the two apart."""
    soft, _ = resource.getrlimit(resource.RLIMIT_AS)
    if soft == resource.RLIM_INFINITY:
        return False
    try:
        with open("/proc/self/status") as fh:
            peak = next(int(ln.split()[1]) * 1024 for ln in fh if ln.startswith("VmPeak:"))
    except (OSError, StopIteration, ValueError):
        return False
    return peak >= 0.9 * soft
