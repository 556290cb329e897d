"""The Elasticsearch engine (``settings.es_url``), with the official client, on a stock 8.x server.

The live index sits behind the alias ``settings.es_index``; :meth:`ElasticsearchBackend.rebuild`
fills ``<alias>-v<SCHEMA_VERSION>-<timestamp>`` and swaps the alias in one ``_aliases`` call.
"""

from __future__ import annotations

import datetime as dt
import time
from collections import Counter
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from typing import Any

from core.segment import segment, segmenter_id
from search.analysis import analyse
from search.compile_es import compile_query, facet_aggs
from search.embedded import FACET_SIZE, facet_values
from search.errors import BackendUnavailable, IndexOutdated
from search.query import SearchQuery
from search.schema import SCHEMA_VERSION, es_index_body
from search.similar import key_terms
from search.snippet import hit_from_stored
from search.types import Hit, SearchResult, SortOrder, search_request

SOURCE = ["id", "stored"]
CHUNK = 500


@contextmanager
def _unavailable_as_search_error() -> Iterator[None]:
    """A server that cannot be reached (or answers 5xx) becomes BackendUnavailable with a Chinese message."""
    from elasticsearch import ApiError, ConnectionError, ConnectionTimeout

    try:
        yield
    except (ConnectionError, ConnectionTimeout) as exc:
        raise BackendUnavailable(f"无法连接检索服务（Elasticsearch）：{exc}") from exc
    except ApiError as exc:
        if getattr(exc, "status_code", 0) >= 500 or getattr(exc, "status_code", 0) == 429:
            raise BackendUnavailable(f"检索服务（Elasticsearch）暂时不可用：{exc}") from exc
        raise


def _es_fields(fields: dict[str, Any]) -> dict[str, Any]:
    return {k: v for k, v in fields.items() if v is not None}


class ElasticsearchBackend:
    def __init__(self, url: str, alias: str, api_key: str | None = None, request_timeout: float = 30.0):
        from elasticsearch import Elasticsearch

        self.alias = alias
        self.client = Elasticsearch(url, api_key=api_key, request_timeout=request_timeout)
        self._checked = False

    # --- index management ------------------------------------------------------------------------

    def drop_all(self) -> None:
        """Delete every index of this alias (tests, evaluation). Names are listed first: ES 8 refuses
        wildcard deletes by default (action.destructive_requires_name)."""
        with _unavailable_as_search_error():
            names = list(self.client.indices.get(index=f"{self.alias}-v*", ignore_unavailable=True).keys())
            if names:
                self.client.indices.delete(index=",".join(names), ignore_unavailable=True)

    def _new_index_name(self) -> str:
        return f"{self.alias}-v{SCHEMA_VERSION}-{dt.datetime.now(dt.UTC):%Y%m%d%H%M%S%f}"

    def _create_index(self) -> str:
        name = self._new_index_name()
        body = es_index_body(segmenter_id())
        self.client.indices.create(index=name, settings=body["settings"], mappings=body["mappings"])
        return name

    # --- the interface: every call translates an unreachable server into BackendUnavailable -------

    def index(self, docs: list[dict]) -> None:
        with _unavailable_as_search_error():
            self._index_impl(docs)

    def delete(self, judgment_ids: list[int]) -> None:
        with _unavailable_as_search_error():
            self._delete_impl(judgment_ids)

    def rebuild(self, docs: Iterable[dict]) -> int:
        with _unavailable_as_search_error():
            return self._rebuild_impl(docs)

    def count(self) -> int:
        with _unavailable_as_search_error():
            return self._count_impl()

    def ids(self) -> set[int]:
        with _unavailable_as_search_error():
            return self._ids_impl()

    def search(
        self,
        query: SearchQuery | str,
        page: int = 1,
        size: int = 20,
        sort: str = "relevance",
        restrict_parties: list[str] | None = None,
        facets: bool = True,
    ) -> SearchResult:
        with _unavailable_as_search_error():
            return self._search_impl(query, page, size, sort, restrict_parties, facets)

    def similar(self, judgment_id: int, size: int = 10) -> SearchResult:
        with _unavailable_as_search_error():
            return self._similar_impl(judgment_id, size)

    def _ensure(self) -> None:
        """Create the first index behind the alias; refuse an index of another schema version."""
        if self._checked:
            return
        if not self.client.indices.exists_alias(name=self.alias):
            name = self._create_index()
            self.client.indices.update_aliases(actions=[{"add": {"index": name, "alias": self.alias}}])
        mapping = self.client.indices.get_mapping(index=self.alias)
        for body in mapping.values():
            version = (body.get("mappings", {}).get("_meta") or {}).get("schema_version")
            if version != SCHEMA_VERSION:
                raise IndexOutdated(
                    f"Elasticsearch 索引是旧版本（{version}，当前 {SCHEMA_VERSION}），请运行 anjian reindex 重建索引。"
                )
        self._checked = True

    def _actions(self, index: str, docs: Iterable[dict]) -> Iterator[dict[str, Any]]:
        for doc in docs:
            fields = analyse(doc)
            yield {
                "_op_type": "index",
                "_index": index,
                "_id": str(fields["id"]),
                "_source": _es_fields(fields),
            }

    # --- writing -------------------------------------------------------------------------------

    def _index_impl(self, docs: list[dict]) -> None:
        if not docs:
            return
        from elasticsearch import helpers

        self._ensure()
        helpers.bulk(self.client, self._actions(self.alias, docs), chunk_size=CHUNK, refresh="wait_for")

    def _delete_impl(self, judgment_ids: list[int]) -> None:
        if not judgment_ids:
            return
        from elasticsearch import helpers

        self._ensure()
        actions = ({"_op_type": "delete", "_index": self.alias, "_id": str(i)} for i in judgment_ids)
        helpers.bulk(self.client, actions, refresh="wait_for", raise_on_error=False)

    def _rebuild_impl(self, docs: Iterable[dict]) -> int:
        from elasticsearch import helpers

        name = self._create_index()
        try:
            n = 0
            for ok, _info in helpers.streaming_bulk(self.client, self._actions(name, docs), chunk_size=CHUNK):
                n += int(ok)
            self.client.indices.refresh(index=name)
        except BaseException:
            self.client.indices.delete(index=name, ignore_unavailable=True)
            raise
        old: list[str] = []
        if self.client.indices.exists_alias(name=self.alias):
            old = list(self.client.indices.get_alias(name=self.alias).keys())
        actions: list[dict[str, Any]] = [{"remove": {"index": o, "alias": self.alias}} for o in old]
        actions.append({"add": {"index": name, "alias": self.alias}})
        self.client.indices.update_aliases(actions=actions)  # atomic
        for o in old:
            self.client.indices.delete(index=o, ignore_unavailable=True)
        self._checked = False
        return n

    # --- reading -------------------------------------------------------------------------------

    def _count_impl(self) -> int:
        self._ensure()
        return int(self.client.count(index=self.alias)["count"])

    def _ids_impl(self) -> set[int]:
        from elasticsearch import helpers

        self._ensure()
        return {
            int(h["_id"])
            for h in helpers.scan(
                self.client, index=self.alias, query={"query": {"match_all": {}}}, _source=False, size=1000
            )
        }

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

    def _similar_impl(self, judgment_id: int, size: int = 10) -> SearchResult:
        started = time.perf_counter()
        self._ensure()
        found = self.client.search(
            index=self.alias, query={"term": {"id": int(judgment_id)}}, size=1, source_includes=SOURCE
        )
        if not found["hits"]["hits"]:
            return SearchResult(total=0, size=size)
        s = found["hits"]["hits"][0]["_source"].get("stored") or {}
        text = s.get("text") or ""
        start, end = s.get("reasoning") or (-1, -1)
        basis = text[start:end] if 0 <= start < end else text
        # The same term choice as the embedded engine: tf·idf of the reasoning's words, document
        # frequencies from the index (term vectors computed from _source, with term statistics).
        tv = self.client.termvectors(
            index=self.alias,
            id=str(int(judgment_id)),
            fields=["reasoning"],
            term_statistics=True,
            field_statistics=True,
            positions=False,
            offsets=False,
            payloads=False,
        )
        stats = (tv.get("term_vectors") or {}).get("reasoning") or {}
        n_docs = int((stats.get("field_statistics") or {}).get("doc_count") or 1)
        freqs = {t: int(v.get("doc_freq") or 0) for t, v in (stats.get("terms") or {}).items()}
        tf = Counter(segment(basis))
        terms = key_terms(tf, lambda t: freqs.get(t, 0), n_docs)
        should: list[dict[str, Any]] = [{"term": {"reasoning": {"value": t, "boost": w}}} for t, w in terms]
        for name, boost in (("action_type", 3.0), ("field", 2.0), ("loss_causes", 1.5)):
            values = s.get(name) or []
            for value in values if isinstance(values, list) else [values]:
                should.append({"term": {name: {"value": value, "boost": boost}}})
        query = {
            "bool": {
                "should": should,
                "minimum_should_match": 1,
                "must_not": [{"term": {"id": int(judgment_id)}}],
            }
        }
        res = self.client.search(
            index=self.alias, query=query, size=size, track_total_hits=True, source_includes=SOURCE
        )
        shown = [t for t, _ in terms[:8]]
        hits = [self._hit(h, shown, True) for h in res["hits"]["hits"]]
        return SearchResult(
            total=int(res["hits"]["total"]["value"]),
            hits=hits,
            size=size,
            took_ms=(time.perf_counter() - started) * 1000,
        )
