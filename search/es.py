"""The Elasticsearch engine (``settings.es_url``), with the official client, on a stock 8.x server.

The live index sits behind the alias ``settings.es_index``. Production matters, each built by a pure function
below (tested without a server in tests/test_search_es_requests.py, and against a live one when
``ANJIAN_ES_URL`` is set):

- **connection** (:func:`client_options`): HTTPS with the cluster's CA file, an API key or basic credentials,
  the client's own retries on 429/502/503/504 and timeouts;
- **bulk** (:func:`bulk_chunks`, :func:`bulk_body`, :func:`bulk_outcome`, :func:`backoff_delays`): NDJSON
  chunks sized by bytes (and a document cap), items the server refused with 429 retried with exponential
  back-off, other item errors reported; one 429 never aborts a rebuild;
- **mapping** (:func:`search.schema.es_index_body`): ``_source`` keeps only ``id`` and ``stored`` (what a hit
  displays); 类案 term statistics come from an artificial document (:func:`termvectors_request`);
- **refresh**: single-document upserts never wait for a refresh (the index refreshes every second, in
  batches); a rebuild loads with refreshes off and refreshes once;
- **the first index** (:func:`first_index_request`): a deterministic name ``<alias>-v<schema>-initial`` created
  with the alias as its write index in the same request, so two processes racing to create it end with one
  index and the alias on it (the loser gets "already exists", which is success);
- **rebuild** (:func:`swap_actions`): a new ``<alias>-v<schema>-<timestamp>``, then one atomic ``_aliases`` call
  moves the alias (as write index) and the old indices are deleted;
- **versions**: ``_meta.schema_version`` and ``_meta.segmenter`` compared on first use (:func:`outdated_reason`);
- **errors** (:func:`error_for`): every 4xx and 5xx becomes the one error shape, a ``SearchError`` with a
  Chinese message (the API turns it into its JSON error), never a raw ``ApiError``.
"""

from __future__ import annotations

import datetime as dt
import json
import logging
import time
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from typing import Any

from core.segment import segmenter_id
from search.analysis import analyse
from search.compile_es import compile_query, facet_aggs, verbatim
from search.embedded import FACET_SIZE, facet_values
from search.errors import BackendUnavailable, IndexOutdated, QuerySyntaxError, SearchError, segmenter_changed
from search.query import SearchQuery
from search.schema import ACT_FIELD, GIST_FIELD, SCHEMA_VERSION, STATUTE_FIELD, es_index_body
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
from search.types import Hit, SearchResult, SortOrder, search_request

log = logging.getLogger(__name__)

SOURCE = ["id", "stored"]
CHUNK_BYTES = 8 * 1024 * 1024  # a bulk request's body; ES's http.max_content_length is 100 MB
CHUNK_DOCS = 500
BULK_RETRIES = 6
BACKOFF_INITIAL_S = 1.0
BACKOFF_MAX_S = 30.0
REFRESH_INTERVAL = "1s"
RETRY_STATUSES = (429, 502, 503, 504)


# --- pure request builders ---------------------------------------------------------------------------


def client_options(
    url: str,
    api_key: str | None = None,
    username: str | None = None,
    password: str | None = None,
    ca_file: str | None = None,
    request_timeout: float = 30.0,
) -> dict[str, Any]:
    """Keyword arguments for ``elasticsearch.Elasticsearch``: TLS with the cluster's CA, one kind of
    credentials (an API key wins over basic), the client's retries with its back-off on busy/unavailable."""
    opts: dict[str, Any] = {
        "hosts": [url],
        "request_timeout": request_timeout,
        "retry_on_status": RETRY_STATUSES,
        "retry_on_timeout": True,
        "max_retries": 3,
    }
    if api_key:
        opts["api_key"] = api_key
    elif username:
        opts["basic_auth"] = (username, password or "")
    if ca_file:
        opts["ca_certs"] = ca_file
        opts["verify_certs"] = True
    return opts


def first_index_name(alias: str) -> str:
    return f"{alias}-v{SCHEMA_VERSION}-initial"


def new_index_name(alias: str, now: dt.datetime | None = None) -> str:
    return f"{alias}-v{SCHEMA_VERSION}-{(now or dt.datetime.now(dt.UTC)):%Y%m%d%H%M%S%f}"


def index_request(segmenter: str, alias: str | None = None, loading: bool = False) -> dict[str, Any]:
    """The body of ``PUT /<index>``: settings, mapping, and (first index) the alias as its write index.
    ``loading``: refreshes off while a rebuild bulk-loads."""
    body = es_index_body(segmenter)
    settings = {**body["settings"], "refresh_interval": "-1" if loading else REFRESH_INTERVAL}
    out: dict[str, Any] = {"settings": settings, "mappings": body["mappings"]}
    if alias:
        out["aliases"] = {alias: {"is_write_index": True}}
    return out


def first_index_request(alias: str, segmenter: str) -> tuple[str, dict[str, Any]]:
    """(name, body) of the first index: deterministic, created with its alias in one request."""
    return first_index_name(alias), index_request(segmenter, alias=alias)


def swap_actions(alias: str, old: Iterable[str], new: str) -> list[dict[str, Any]]:
    """One atomic ``_aliases`` call: the alias leaves every old index and lands on the new one as write index."""
    actions: list[dict[str, Any]] = [
        {"remove": {"index": o, "alias": alias}} for o in sorted(old) if o != new
    ]
    actions.append({"add": {"index": new, "alias": alias, "is_write_index": True}})
    return actions


def outdated_reason(meta: dict[str, Any], segmenter: str) -> str | None:
    """Why an index cannot serve this process (another schema version or segmenter), or None."""
    version = meta.get("schema_version")
    if version != SCHEMA_VERSION:
        return f"Elasticsearch 索引是旧版本（{version}，当前 {SCHEMA_VERSION}），请运行 anjian reindex 重建索引。"
    if meta.get("segmenter") != segmenter:
        return segmenter_changed(meta.get("segmenter"))
    return None


def bulk_action(index: str, fields: dict[str, Any]) -> tuple[str, bytes]:
    """(id, NDJSON lines) of one upsert."""
    doc_id = str(fields["id"])
    head = json.dumps({"index": {"_index": index, "_id": doc_id}}, ensure_ascii=False)
    body = json.dumps({k: v for k, v in fields.items() if v is not None}, ensure_ascii=False)
    return doc_id, (head + "\n" + body + "\n").encode("utf-8")


def delete_action(index: str, doc_id: int | str) -> tuple[str, bytes]:
    return str(doc_id), (json.dumps({"delete": {"_index": index, "_id": str(doc_id)}}) + "\n").encode()


def bulk_chunks(
    actions: Iterable[tuple[str, bytes]], max_bytes: int = CHUNK_BYTES, max_docs: int = CHUNK_DOCS
) -> Iterator[list[tuple[str, bytes]]]:
    """Consecutive chunks of at most ``max_bytes`` (a single larger action travels alone) and ``max_docs``."""
    chunk: list[tuple[str, bytes]] = []
    size = 0
    for action in actions:
        n = len(action[1])
        if chunk and (size + n > max_bytes or len(chunk) >= max_docs):
            yield chunk
            chunk, size = [], 0
        chunk.append(action)
        size += n
    if chunk:
        yield chunk


def bulk_body(chunk: list[tuple[str, bytes]]) -> bytes:
    return b"".join(lines for _, lines in chunk)


def bulk_outcome(
    chunk: list[tuple[str, bytes]], response: dict[str, Any]
) -> tuple[int, list[tuple[str, bytes]], list[str]]:
    """(done, to retry, errors) of one bulk response: items refused with 429 (or 502–504) are retried,
    a delete of a missing document is done, any other item error is reported."""
    done = 0
    retry: list[tuple[str, bytes]] = []
    errors: list[str] = []
    for action, item in zip(chunk, response.get("items") or [], strict=False):
        op, result = next(iter(item.items()))
        status = int(result.get("status") or 0)
        if status < 300 or (op == "delete" and status == 404):
            done += 1
        elif status in RETRY_STATUSES:
            retry.append(action)
        else:
            reason = (result.get("error") or {}).get("reason") or status
            errors.append(f"{action[0]}: {reason}")
    return done, retry, errors


def backoff_delays(
    retries: int = BULK_RETRIES, initial: float = BACKOFF_INITIAL_S, cap: float = BACKOFF_MAX_S
) -> list[float]:
    """Seconds to wait before each retry: 1, 2, 4, … capped."""
    return [min(cap, initial * 2**i) for i in range(retries)]


class Busy(Exception):
    """``send`` of :func:`bulk_send` raises it when the server refused the whole request as busy."""


def bulk_send(
    send: Callable[[bytes], dict[str, Any]],
    actions: Iterable[tuple[str, bytes]],
    sleep: Callable[[float], None] = time.sleep,
    delays: list[float] | None = None,
    max_bytes: int = CHUNK_BYTES,
    max_docs: int = CHUNK_DOCS,
) -> tuple[int, list[str]]:
    """The bulk loop: chunks by bytes, each sent with ``send(body) → response``; items refused as busy are
    sent again after each delay of :func:`backoff_delays`. Returns (done, errors)."""
    done = 0
    errors: list[str] = []
    for chunk in bulk_chunks(actions, max_bytes, max_docs):
        pending = chunk
        for delay in [0.0, *(backoff_delays() if delays is None else delays)]:
            if delay:
                sleep(delay)
            try:
                response = send(bulk_body(pending))
            except Busy:  # the whole request refused (429/503 after the client's own retries): all again
                response = {"items": [{"index": {"status": 429}} for _ in pending]}
            ok, pending, failed = bulk_outcome(pending, response)
            done += ok
            errors += failed
            if not pending:
                break
        errors += [f"{doc_id}: 多次重试后检索服务仍然繁忙" for doc_id, _ in pending]
    return done, errors


def termvectors_request(stored: dict[str, Any]) -> dict[str, Any]:
    """The ``_termvectors`` body that gives document frequencies of the words a judgment is compared by: an
    artificial document (``_source`` holds no analysed fields), analysed like the indexed ones."""
    gist = " ".join(basis_words(stored).elements())
    act = " ".join(act_words(stored).elements())
    return {
        "doc": {GIST_FIELD: gist, ACT_FIELD: act},
        "fields": [GIST_FIELD, ACT_FIELD],
        "term_statistics": True,
        "field_statistics": True,
        "positions": False,
        "offsets": False,
        "payloads": False,
    }


def similar_query(
    judgment_id: int,
    gist_terms: list[tuple[str, float]],
    act_terms: list[tuple[str, float]],
    statutes: list[str],
    exclude: Iterable[int] = (),
) -> dict[str, Any]:
    """The 类案 candidate query (the same clauses as the embedded engine's)."""
    should: list[dict[str, Any]] = [{"term": {GIST_FIELD: {"value": t, "boost": w}}} for t, w in gist_terms]
    should += [{"term": {ACT_FIELD: {"value": t, "boost": w * ACT_WEIGHT}}} for t, w in act_terms]
    should += [{"term": {STATUTE_FIELD: {"value": k, "boost": STATUTE_WEIGHT}}} for k in statutes]
    return {
        "bool": {
            "should": should,
            "minimum_should_match": 1,
            "must_not": [{"terms": {"id": sorted({int(judgment_id), *(int(i) for i in exclude)})}}],
        }
    }


def error_for(status: int, error_type: str = "", reason: str = "") -> SearchError:
    """Every error status of the server as the one error shape (a SearchError with a Chinese message)."""
    detail = f"（{error_type}: {reason}）" if error_type or reason else ""
    if status in (401, 403):
        return BackendUnavailable(
            "检索服务（Elasticsearch）拒绝了访问：请检查 ANJIAN_ES_API_KEY 或 ANJIAN_ES_USERNAME/ANJIAN_ES_PASSWORD"
            f"，以及该账号对索引的权限{detail}。"
        )
    if status == 404 or error_type == "index_not_found_exception":
        return IndexOutdated(f"检索索引不存在，请运行 anjian reindex 建立索引{detail}。")
    if (
        status == 400
        and error_type in ("too_many_clauses", "too_many_nested_clauses")
        or "too_many" in reason
    ):
        return QuerySyntaxError("检索式太复杂（检索词或同义词太多），请减少检索词后再试。")
    if status == 400:
        return QuerySyntaxError(f"检索服务无法执行这个检索式，请简化后再试{detail}。")
    if status == 409:
        return BackendUnavailable(f"检索索引正被其他进程更新，请稍后再试{detail}。")
    if status == 413:
        return BackendUnavailable(f"发送给检索服务的请求太大{detail}。")
    if status == 429:
        return BackendUnavailable(f"检索服务（Elasticsearch）正忙，请稍后再试{detail}。")
    if status >= 500:
        return BackendUnavailable(f"检索服务（Elasticsearch）暂时不可用{detail}。")
    return BackendUnavailable(f"检索服务（Elasticsearch）拒绝了请求（HTTP {status}）{detail}。")


def _api_error_parts(exc: Any) -> tuple[int, str, str]:
    status = int(getattr(exc, "status_code", 0) or getattr(getattr(exc, "meta", None), "status", 0) or 0)
    body = getattr(exc, "body", None)
    error = body.get("error") if isinstance(body, dict) else None
    if isinstance(error, dict):
        return status, str(error.get("type") or ""), str(error.get("reason") or "")
    return status, "", str(getattr(exc, "message", "") or "")


@contextmanager
def _as_search_error() -> Iterator[None]:
    """Unreachable server → BackendUnavailable; any error status → :func:`error_for`."""
    from elasticsearch import ApiError, ConnectionError, ConnectionTimeout, TransportError

    try:
        yield
    except (ConnectionError, ConnectionTimeout) as exc:
        raise BackendUnavailable(f"无法连接检索服务（Elasticsearch）：{exc}") from exc
    except ApiError as exc:
        raise error_for(*_api_error_parts(exc)) from exc
    except TransportError as exc:
        raise BackendUnavailable(f"检索服务（Elasticsearch）暂时不可用：{exc}") from exc


class ElasticsearchBackend:
    def __init__(
        self,
        url: str,
        alias: str,
        api_key: str | None = None,
        request_timeout: float = 30.0,
        username: str | None = None,
        password: str | None = None,
        ca_file: str | None = None,
        sleep: Callable[[float], None] = time.sleep,
    ):
        from elasticsearch import Elasticsearch

        self.alias = alias
        self.client = Elasticsearch(
            **client_options(url, api_key, username, password, ca_file, request_timeout)
        )
        self._checked = False
        self._sleep = sleep

    # --- index management ------------------------------------------------------------------------

    def drop_all(self) -> None:
        """Delete every index of this alias (tests, evaluation). Names are listed first: ES 8 refuses
        wildcard deletes by default (action.destructive_requires_name)."""
        with _as_search_error():
            names = list(self.client.indices.get(index=f"{self.alias}-v*", ignore_unavailable=True).keys())
            if names:
                self.client.indices.delete(index=",".join(names), ignore_unavailable=True)
        self._checked = False

    def refresh(self) -> None:
        """Make every write so far searchable now (tests; production relies on the 1 s refresh)."""
        with _as_search_error():
            self._ensure()
            self.client.indices.refresh(index=self.alias)

    # --- the interface -----------------------------------------------------------------------------

    def index(self, docs: list[dict]) -> None:
        with _as_search_error():
            if docs:
                self._ensure()
                self._bulk(bulk_action(self.alias, analyse(d)) for d in docs)

    def delete(self, judgment_ids: list[int]) -> None:
        with _as_search_error():
            if judgment_ids:
                self._ensure()
                self._bulk(delete_action(self.alias, i) for i in judgment_ids)

    def rebuild(self, docs: Iterable[dict]) -> int:
        with _as_search_error():
            return self._rebuild_impl(docs)

    def count(self) -> int:
        with _as_search_error():
            self._ensure()
            return int(self.client.count(index=self.alias)["count"])

    def ids(self) -> set[int]:
        from elasticsearch import helpers

        with _as_search_error():
            self._ensure()
            return {
                int(h["_id"])
                for h in helpers.scan(
                    self.client,
                    index=self.alias,
                    query={"query": {"match_all": {}}},
                    _source=False,
                    size=1000,
                )
            }

    def matching_ids(self, query: SearchQuery | str, restrict_parties: list[str] | None = None) -> set[int]:
        """Every judgment id the query matches (scrolled, no paging window)."""
        from elasticsearch import helpers

        from search.query import as_query

        with _as_search_error():
            self._ensure()
            body = compile_query(as_query(query), restrict_parties)
            return {
                int(h["_id"])
                for h in helpers.scan(
                    self.client, index=self.alias, query={"query": body}, _source=False, size=1000
                )
            }

    def search(
        self,
        query: SearchQuery | str,
        page: int = 1,
        size: int = 20,
        sort: str = "relevance",
        restrict_parties: list[str] | None = None,
        facets: bool = True,
    ) -> SearchResult:
        with _as_search_error():
            return self._search_impl(query, page, size, sort, restrict_parties, facets)

    def similar(self, judgment_id: int, size: int = 10, exclude: Iterable[int] | None = None) -> SearchResult:
        with _as_search_error():
            return self._similar_impl(judgment_id, size, exclude)

    # --- implementation ------------------------------------------------------------------------------

    def _ensure(self) -> None:
        """Create the first index (with its alias) when there is none; refuse an index built with another
        schema version or segmenter."""
        if self._checked:
            return
        from elasticsearch import BadRequestError

        if not self.client.indices.exists_alias(name=self.alias):
            name, body = first_index_request(self.alias, segmenter_id())
            try:
                self.client.indices.create(index=name, **body)
            except BadRequestError as exc:
                if _api_error_parts(exc)[1] != "resource_already_exists_exception":
                    raise
                # Another process created it a moment ago, alias included.
        mapping = self.client.indices.get_mapping(index=self.alias)
        for body in mapping.values():
            reason = outdated_reason(body.get("mappings", {}).get("_meta") or {}, segmenter_id())
            if reason:
                raise IndexOutdated(reason)
        self._checked = True

    def _bulk(self, actions: Iterable[tuple[str, bytes]]) -> int:
        """Send ``actions`` (see :func:`bulk_send`); raises BackendUnavailable when items still fail."""

        from elasticsearch import ApiError

        def send(body: bytes) -> dict[str, Any]:
            try:
                return dict(self.client.bulk(operations=body).body)  # type: ignore[arg-type]
            except ApiError as exc:
                if _api_error_parts(exc)[0] in RETRY_STATUSES:
                    raise Busy from exc
                raise

        done, errors = bulk_send(send, actions, self._sleep)
        if errors:
            log.error("bulk: %d items failed: %s", len(errors), errors[:5])
            raise BackendUnavailable(
                f"有 {len(errors)} 份裁判文书未能写入检索索引（例如 {errors[0]}）；稍后运行 anjian reindex 修复。"
            )
        return done

    def _rebuild_impl(self, docs: Iterable[dict]) -> int:
        name = new_index_name(self.alias)
        self.client.indices.create(index=name, **index_request(segmenter_id(), loading=True))
        try:
            n = self._bulk(bulk_action(name, analyse(d)) for d in docs)
            self.client.indices.put_settings(
                index=name, settings={"index": {"refresh_interval": REFRESH_INTERVAL}}
            )
            self.client.indices.refresh(index=name)
        except BaseException:
            self.client.indices.delete(index=name, ignore_unavailable=True)
            raise
        old: list[str] = []
        if self.client.indices.exists_alias(name=self.alias):
            old = list(self.client.indices.get_alias(name=self.alias).keys())
        self.client.indices.update_aliases(actions=swap_actions(self.alias, old, name))  # atomic
        for o in old:
            if o != name:
                self.client.indices.delete(index=o, ignore_unavailable=True)
        self._checked = False
        return n

    def _search_impl(
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
        self._ensure()
        order: list[Any] = ["_score", {"id": "asc"}]
        if sort != SortOrder.relevance:
            direction = "desc" if sort == SortOrder.date else "asc"
            order = [{"judgment_date_sort": {"order": direction, "missing": "_last"}}, {"id": "asc"}]
        kwargs: dict[str, Any] = {}
        if facets:
            kwargs["aggs"] = facet_aggs(FACET_SIZE)
        res = self.client.search(
            index=self.alias,
            query=compile_query(parsed, restrict_parties),
            sort=order,
            from_=(page - 1) * size,
            size=size,
            track_total_hits=True,
            source_includes=SOURCE,
            **kwargs,
        )
        terms = parsed.mark_terms()
        causes = [] if parsed.highlight_terms() else parsed.filtered_causes()
        hits = [self._hit(h, terms, sort == SortOrder.relevance, causes) for h in res["hits"]["hits"]]
        result = SearchResult(total=int(res["hits"]["total"]["value"]), hits=hits, page=page, size=size)
        if result.total == 0 and parsed.highlight_terms():
            result.suggestions = suggest(
                parsed,
                lambda w: int(self.client.count(index=self.alias, query=verbatim("body_chars", w))["count"]),
            )
        if facets:
            aggs = res.get("aggregations", {})
            result.facets = {name: facet_values(name, body.get("buckets", [])) for name, body in aggs.items()}
        result.took_ms = (time.perf_counter() - started) * 1000
        return result

    @staticmethod
    def _hit(h: dict[str, Any], terms: list[str], scored: bool, causes: list[str] | None = None) -> Hit:
        src = h["_source"]
        return hit_from_stored(
            src["id"],
            src.get("stored") or {},
            float(h.get("_score") or 0.0) if scored else 0.0,
            terms,
            causes,
        )

    def _similar_impl(
        self, judgment_id: int, size: int = 10, exclude: Iterable[int] | None = None
    ) -> SearchResult:
        started = time.perf_counter()
        size = max(1, min(int(size), 100))
        self._ensure()
        found = self.client.search(
            index=self.alias, query={"term": {"id": int(judgment_id)}}, size=1, source_includes=SOURCE
        )
        if not found["hits"]["hits"]:
            return SearchResult(total=0, size=size)
        d = found["hits"]["hits"][0]["_source"].get("stored") or {}
        tv = self.client.termvectors(index=self.alias, **termvectors_request(d))
        vectors = tv.get("term_vectors") or {}

        def stats(field: str) -> tuple[dict[str, int], int]:
            body = vectors.get(field) or {}
            n = int((body.get("field_statistics") or {}).get("doc_count") or 1)
            return {t: int(v.get("doc_freq") or 0) for t, v in (body.get("terms") or {}).items()}, n

        gist_df, n_docs = stats(GIST_FIELD)
        act_df, _ = stats(ACT_FIELD)
        gist = key_terms(basis_words(d), lambda t: gist_df.get(t, 0), n_docs, limit=KEY_TERMS)
        act = key_terms(act_words(d), lambda t: act_df.get(t, 0), n_docs, limit=ACT_TERMS)
        skip = {int(judgment_id), *(int(i) for i in exclude or [])}
        res = self.client.search(
            index=self.alias,
            query=similar_query(judgment_id, gist, act, statute_articles(d), skip),
            size=CANDIDATES,
            source_includes=SOURCE,
        )
        candidates = [
            (int(h["_source"]["id"]), float(h.get("_score") or 0.0), h["_source"].get("stored") or {})
            for h in res["hits"]["hits"]
        ]
        ranked = rerank(d, candidates, size, skip)
        shown = [t for t, _ in gist[:8]]
        hits = [hit_from_stored(jid, stored, score, shown) for jid, score, stored in ranked]
        return SearchResult(
            total=len(hits), hits=hits, size=size, took_ms=(time.perf_counter() - started) * 1000
        )
