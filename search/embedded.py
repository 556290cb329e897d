"""The embedded engine: a tantivy index in ``settings.index_dir``. No server; serves the SQLite and
the PostgreSQL store alike.

Layout: ``index_dir/CURRENT`` (JSON: which sub-directory is live, its schema version and segmenter)
and one sub-directory per build. :meth:`EmbeddedBackend.rebuild` builds a new sub-directory and swaps
``CURRENT`` atomically (write + rename); readers notice the swap on their next search.
"""

from __future__ import annotations

import datetime as dt
import itertools
import json
import logging
import multiprocessing
import os
import shutil
import threading
import time
from collections import OrderedDict
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import Any

import tantivy
from tantivy import Occur
from tantivy import Query as Q

from core.segment import segmenter_id
from core.taxonomy import ActionType, LossCause, Outcome, Procedure
from core.taxonomy import Field as EnforcementField
from search.analysis import analyse
from search.compile_tantivy import compile_query, verbatim
from search.errors import BackendUnavailable, IndexOutdated, segmenter_changed
from search.query import SearchQuery
from search.schema import ACT_FIELD, FACET_FIELDS, GIST_FIELD, SCHEMA_VERSION, STATUTE_FIELD, tantivy_schema
from search.similar import (
    ACT_TERMS,
    ACT_WEIGHT,
    CANDIDATES,
    KEY_TERMS,
    STATUTE_WEIGHT,
    act_words,
    basis_words,
    key_terms,
    rerank,
    statute_articles,
)
from search.snippet import hit_from_stored
from search.suggest import suggest
from search.types import FacetValue, Hit, SearchResult, SortOrder, search_request

log = logging.getLogger(__name__)

FACET_LABELS = {
    "procedure": Procedure,
    "outcome": Outcome,
    "cause": LossCause,
    "action_type": ActionType,
    "field": EnforcementField,
}
FACET_SIZE = {"year": 50}
WRITER_HEAP = 64_000_000
REBUILD_HEAP = 768_000_000
LOCK_WAIT_S = 30.0
FACET_CACHE = 128


def facet_values(name: str, buckets: list[dict[str, Any]]) -> list[FacetValue]:
    enum = FACET_LABELS.get(name)
    out = []
    for b in buckets:
        value = b["key"]
        value = str(int(value)) if isinstance(value, int | float) else str(value)
        member = enum.parse(value) if enum else None
        out.append(FacetValue(value=value, count=int(b["doc_count"]), label=member.zh if member else None))
    if name == "year":
        out.sort(key=lambda f: f.value, reverse=True)
    return out


def _to_tantivy_doc(fields: dict[str, Any]) -> tantivy.Document:
    doc = tantivy.Document()
    for name, value in fields.items():
        if value is None:
            continue
        if name in ("id", "year"):
            doc.add_integer(name, int(value))
        elif name == "stored":
            doc.add_bytes(name, json.dumps(value, ensure_ascii=False).encode("utf-8"))
        elif name == "judgment_date_sort":
            doc.add_date(name, dt.datetime.combine(dt.date.fromisoformat(value), dt.time()))
        elif isinstance(value, list):
            for v in value:
                doc.add_text(name, v)
        else:
            doc.add_text(name, value)
    return doc


class EmbeddedBackend:
    """tantivy behind the :class:`search.types.SearchBackend` interface."""

    def __init__(self, index_dir: Path, workers: int | None = None):
        self.root = Path(index_dir)
        # Processes that segment documents during a rebuild (tantivy indexes in its own thread).
        self.workers = workers if workers is not None else min(2, os.cpu_count() or 1)
        self.schema = tantivy_schema()
        self._lock = threading.RLock()  # opening / swapping the reader
        self._write_lock = threading.Lock()  # one writer per process; tantivy's file lock across processes
        self._index: tantivy.Index | None = None
        self._current_key: tuple[str, float] | None = None
        self._meta_mtime = 0.0
        self.meta: dict[str, Any] = {}
        self._facet_cache: OrderedDict[tuple, dict[str, list[FacetValue]]] = OrderedDict()

    # --- opening and swapping ------------------------------------------------------------------

    @property
    def _current_file(self) -> Path:
        return self.root / "CURRENT"

    def _read_current(self) -> dict[str, Any] | None:
        try:
            return json.loads(self._current_file.read_text("utf-8"))
        except FileNotFoundError:
            return None

    def _write_current(self, meta: dict[str, Any]) -> None:
        tmp = self._current_file.with_suffix(f".{os.getpid()}.{threading.get_ident()}.tmp")
        tmp.write_text(json.dumps(meta, ensure_ascii=False), "utf-8")
        os.replace(tmp, self._current_file)

    def _new_dir(self) -> tuple[Path, dict[str, Any]]:
        name = f"tantivy-v{SCHEMA_VERSION}-{dt.datetime.now(dt.UTC):%Y%m%dT%H%M%S%f}"
        path = self.root / name
        path.mkdir(parents=True)
        meta = {
            "dir": name,
            "schema_version": SCHEMA_VERSION,
            "segmenter": segmenter_id(),
            "built_at": dt.datetime.now(dt.UTC).isoformat(),
        }
        return path, meta

    def _open(self) -> tantivy.Index:
        """The live index, reopened when ``CURRENT`` changed; created empty when there is none."""
        with self._lock:
            self.root.mkdir(parents=True, exist_ok=True)
            try:
                key = (self._current_file.read_text("utf-8"), self._current_file.stat().st_mtime)
            except FileNotFoundError:
                key = None
            if key is None:
                path, meta = self._new_dir()
                tantivy.Index(self.schema, path=str(path))
                self._write_current(meta)
                return self._open()
            if key != self._current_key or self._index is None:
                meta = json.loads(key[0])
                self.meta = meta
                if meta.get("schema_version") != SCHEMA_VERSION:
                    raise IndexOutdated(
                        f"检索索引是旧版本（{meta.get('schema_version')}，当前 {SCHEMA_VERSION}），"
                        "请运行 anjian reindex 重建索引。"
                    )
                if meta.get("segmenter") != segmenter_id():
                    raise IndexOutdated(segmenter_changed(meta.get("segmenter")))
                self._index = tantivy.Index.open(str(self.root / meta["dir"]))
                self._current_key = key
                self._meta_mtime = self._meta_json_mtime()
            else:
                mtime = self._meta_json_mtime()
                if mtime != self._meta_mtime:  # another process committed
                    self._index.reload()
                    self._meta_mtime = mtime
            return self._index

    def _meta_json_mtime(self) -> float:
        try:
            return (self.root / self.meta["dir"] / "meta.json").stat().st_mtime
        except (KeyError, FileNotFoundError):
            return 0.0

    def _writer(self, index: tantivy.Index, heap: int = WRITER_HEAP) -> Any:
        """One writer per index at a time (across processes): wait for the lock a while."""
        deadline = time.monotonic() + LOCK_WAIT_S
        while True:
            try:
                return index.writer(heap_size=heap, num_threads=1)
            except ValueError as exc:
                if "Lock" not in str(exc):
                    raise
                if time.monotonic() > deadline:
                    raise BackendUnavailable(f"检索索引正被其他进程写入，请稍后再试（{exc}）。") from exc
                time.sleep(0.2)

    # --- writing -----------------------------------------------------------------------------------

    def index(self, docs: list[dict]) -> None:
        if not docs:
            return
        analysed_docs = [analyse(d) for d in docs]

        def write(writer: Any) -> None:
            for fields in analysed_docs:
                writer.delete_documents_by_term("id", fields["id"])
                writer.add_document(_to_tantivy_doc(fields))

        self._write(write)

    def delete(self, judgment_ids: list[int]) -> None:
        if not judgment_ids:
            return

        def write(writer: Any) -> None:
            for jid in judgment_ids:
                writer.delete_documents_by_term("id", int(jid))

        self._write(write)

    def _write(self, change: Any) -> None:
        """Apply ``change(writer)`` and commit. Searches in this process are not blocked meanwhile."""
        with self._write_lock:
            index = self._open()
            writer = self._writer(index)
            try:
                change(writer)
                writer.commit()
            except BaseException:
                writer.rollback()
                raise
            finally:
                writer.wait_merging_threads()
            with self._lock:
                index.reload()
                self._meta_mtime = self._meta_json_mtime()

    def rebuild(self, docs: Iterable[dict]) -> int:
        """Index ``docs`` into a new directory, then swap it in; the old one is removed."""
        self.root.mkdir(parents=True, exist_ok=True)
        path, meta = self._new_dir()
        index = tantivy.Index(self.schema, path=str(path))
        writer = index.writer(heap_size=REBUILD_HEAP, num_threads=1)
        n = 0
        try:
            for fields in analysed(docs, self.workers):
                writer.add_document(_to_tantivy_doc(fields))
                n += 1
            writer.commit()
            writer.wait_merging_threads()
        except BaseException:
            shutil.rmtree(path, ignore_errors=True)
            raise
        meta["documents"] = n
        with self._lock:
            old = self._read_current()
            self._write_current(meta)
            self._index = None
            self._current_key = None
        if old and old.get("dir") != meta["dir"]:
            shutil.rmtree(self.root / old["dir"], ignore_errors=True)  # open readers keep their files (POSIX)
        return n

    # --- reading -----------------------------------------------------------------------------------

    def count(self) -> int:
        return int(self._open().searcher().num_docs)

    def ids(self) -> set[int]:
        searcher = self._open().searcher()
        n = searcher.num_docs
        if n == 0:
            return set()
        hits = searcher.search(Q.all_query(), limit=n, count=False).hits
        return {int(v or 0) for v in searcher.fast_field_values("id", [a for _, a in hits])}

    def matching_ids(self, query: SearchQuery | str, restrict_parties: list[str] | None = None) -> set[int]:
        """Every judgment id the query matches (no paging window: statistics over a search result)."""
        from search.query import as_query

        searcher = self._open().searcher()
        n = searcher.num_docs
        if n == 0:
            return set()
        q = compile_query(self.schema, as_query(query), restrict_parties)
        hits = searcher.search(q, limit=n, count=False).hits
        return {int(v or 0) for v in searcher.fast_field_values("id", [a for _, a in hits])}

    def search(
        self,
        query: SearchQuery | str,
        page: int = 1,
        size: int = 20,
        sort: str = "relevance",
        restrict_parties: list[str] | None = None,
        facets: bool = True,
    ) -> SearchResult:
        started = time.perf_counter()
        parsed, page, size, sort = search_request(query, page, size, sort)
        index = self._open()
        searcher = index.searcher()
        q = compile_query(self.schema, parsed, restrict_parties)
        kwargs: dict[str, Any] = {}
        if sort != SortOrder.relevance:
            kwargs = {
                "order_by_field": "judgment_date_sort",
                "order": tantivy.Order.Desc if sort == SortOrder.date else tantivy.Order.Asc,
            }
        res = searcher.search(q, limit=size, count=True, offset=(page - 1) * size, **kwargs)
        terms = parsed.mark_terms()
        causes = [] if parsed.highlight_terms() else parsed.filtered_causes()
        hits = [
            self._hit(searcher, addr, score if sort == SortOrder.relevance else 0.0, terms, causes)
            for score, addr in res.hits
        ]
        result = SearchResult(total=int(getattr(res, "count", 0) or 0), hits=hits, page=page, size=size)
        if result.total == 0 and parsed.highlight_terms():
            result.suggestions = suggest(parsed, lambda w: self._verbatim_count(searcher, w))
        if facets:
            # Paging through one result counts its facets once (the key includes the index generation).
            key = (
                parsed.text,
                None if restrict_parties is None else tuple(restrict_parties),
                self._current_key,
                self._meta_mtime,
            )
            cached = self._facet_cache.get(key)
            if cached is None:
                cached = self._facets(searcher, q)
                self._facet_cache[key] = cached
                while len(self._facet_cache) > FACET_CACHE:
                    self._facet_cache.popitem(last=False)
            result.facets = {name: list(values) for name, values in cached.items()}
        result.took_ms = (time.perf_counter() - started) * 1000
        return result

    def _verbatim_count(self, searcher: Any, word: str) -> int:
        return int(searcher.search(verbatim(self.schema, "body_chars", word), limit=1, count=True).count or 0)

    def _hit(
        self, searcher: Any, addr: Any, score: float, terms: list[str], causes: list[str] | None = None
    ) -> Hit:
        doc = searcher.doc(addr)
        return hit_from_stored(doc.get_first("id"), _stored(doc), score, terms, causes)

    def _facets(self, searcher: Any, q: Any) -> dict[str, list[FacetValue]]:
        aggs = {
            name: {"terms": {"field": field, "size": FACET_SIZE.get(name, 20)}}
            for name, field in FACET_FIELDS.items()
        }
        raw = searcher.aggregate(q, aggs)
        return {name: facet_values(name, raw.get(name, {}).get("buckets", [])) for name in FACET_FIELDS}

    # --- similar cases (类案) ------------------------------------------------------------------------

    def similar(self, judgment_id: int, size: int = 10, exclude: Iterable[int] | None = None) -> SearchResult:
        """类案 of one judgment (see :mod:`search.similar`); ``exclude``: ids marked "not similar"."""
        started = time.perf_counter()
        size = max(1, min(int(size), 100))
        index = self._open()
        searcher = index.searcher()
        found = searcher.search(Q.term_query(self.schema, "id", int(judgment_id)), limit=1).hits
        if not found:
            return SearchResult(total=0, size=size)
        d = _stored(searcher.doc(found[0][1]))
        n_docs = max(1, searcher.num_docs)
        terms = key_terms(basis_words(d), lambda t: searcher.doc_freq(GIST_FIELD, t), n_docs, limit=KEY_TERMS)
        clauses: list[tuple[Any, Any]] = [
            (Occur.Should, Q.boost_query(Q.term_query(self.schema, GIST_FIELD, t, index_option="freq"), w))
            for t, w in terms
        ]
        act = key_terms(act_words(d), lambda t: searcher.doc_freq(ACT_FIELD, t), n_docs, limit=ACT_TERMS)
        for t, w in act:
            clauses.append(
                (
                    Occur.Should,
                    Q.boost_query(
                        Q.term_query(self.schema, ACT_FIELD, t, index_option="freq"), w * ACT_WEIGHT
                    ),
                )
            )
        for key in statute_articles(d):
            clauses.append(
                (
                    Occur.Should,
                    Q.boost_query(
                        Q.term_query(self.schema, STATUTE_FIELD, key, index_option="freq"), STATUTE_WEIGHT
                    ),
                )
            )
        skip = {int(judgment_id), *(int(i) for i in exclude or [])}
        for jid in skip:
            clauses.append((Occur.MustNot, Q.term_query(self.schema, "id", jid)))
        if not clauses or all(occ == Occur.MustNot for occ, _ in clauses):
            return SearchResult(total=0, size=size)
        res = searcher.search(Q.boolean_query(clauses), limit=CANDIDATES + len(skip), count=True)
        candidates = []
        for score, addr in res.hits:
            doc = searcher.doc(addr)
            candidates.append((int(doc.get_first("id") or 0), float(score), _stored(doc)))
        ranked = rerank(d, candidates, size, skip)
        shown = [t for t, _ in terms[:8]]
        hits = [hit_from_stored(jid, stored, score, shown) for jid, score, stored in ranked]
        return SearchResult(
            total=len(hits), hits=hits, size=size, took_ms=(time.perf_counter() - started) * 1000
        )


PARALLEL_FROM = 400  # documents; fewer are analysed in this process


def analysed(docs: Iterable[dict], workers: int) -> Iterator[dict[str, Any]]:
    """``analyse`` over ``docs`` in order, in ``workers`` processes when there are many documents and this
    process may have children (not inside a daemonic worker process)."""
    it = iter(docs)
    head = list(itertools.islice(it, PARALLEL_FROM))
    if workers <= 1 or len(head) < PARALLEL_FROM or multiprocessing.current_process().daemon:
        yield from map(analyse, itertools.chain(head, it))
        return
    ctx = multiprocessing.get_context("spawn")  # no fork of a process that runs tantivy threads
    with ctx.Pool(workers) as pool:
        yield from pool.imap(analyse, itertools.chain(head, it), chunksize=16)


def _stored(doc: Any) -> dict[str, Any]:
    raw = doc.get_first("stored")
    return json.loads(bytes(raw).decode("utf-8")) if raw else {}
