"""Search judgments like a lawyer: one interface, two engines.

- embedded (default): tantivy in ``settings.index_dir`` — no server, serves SQLite and PostgreSQL stores;
- Elasticsearch when ``settings.es_url`` is set (stock image, no plugins).

Chinese is segmented in Python (:func:`search.segment.segment`, jieba + a legal dictionary) the same
way for indexing and for queries; words and quoted phrases match verbatim on a character field.
"""

from __future__ import annotations

import threading
from typing import TYPE_CHECKING

from core.segment import segmenter_id
from search.analysis import to_index_doc
from search.errors import BackendUnavailable, IndexOutdated, QuerySyntaxError, SearchError
from search.query import SearchQuery, parse_query
from search.types import FacetValue, Hit, SearchBackend, SearchResult

if TYPE_CHECKING:
    from core.settings import Settings

__all__ = [
    "BackendUnavailable",
    "FacetValue",
    "Hit",
    "IndexOutdated",
    "QuerySyntaxError",
    "SearchBackend",
    "SearchError",
    "SearchQuery",
    "SearchResult",
    "open_backend",
    "parse_query",
    "to_index_doc",
]

_backends: dict[tuple[str, ...], SearchBackend] = {}
_backends_lock = threading.Lock()


def open_backend(settings: Settings) -> SearchBackend:
    """Elasticsearch when ``settings.es_url`` is set, else the embedded index in ``settings.index_dir``.

    One backend object per engine and location per process (opening an index costs a little)."""
    if settings.es_url:
        key: tuple[str, ...] = (
            "es",
            settings.es_url,
            settings.es_index,
            settings.es_api_key or "",
            settings.es_username or "",
            str(settings.es_ca_file or ""),
        )
    else:
        key = ("embedded", str(settings.index_dir.resolve()))
    with _backends_lock:
        backend = _backends.get(key)
        if backend is None:
            if settings.es_url:
                from search.es import ElasticsearchBackend

                backend = ElasticsearchBackend(
                    settings.es_url,
                    settings.es_index,
                    api_key=settings.es_api_key,
                    username=settings.es_username,
                    password=settings.es_password,
                    ca_file=str(settings.es_ca_file) if settings.es_ca_file else None,
                    request_timeout=settings.es_timeout_s,
                )
            else:
                from search.embedded import EmbeddedBackend

                backend = EmbeddedBackend(settings.index_dir)
            segmenter_id()  # load the dictionary now, not in the first user's search
            _backends[key] = backend
        return backend
