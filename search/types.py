"""What a search returns, the same from both engines."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import asdict, dataclass, field
from typing import Any, Protocol, runtime_checkable

from search.query import SearchQuery


class SortOrder:
    relevance = "relevance"
    date = "date"  # newest first
    date_asc = "date_asc"
    all = ("relevance", "date", "date_asc")


MAX_WINDOW = 10_000  # results reachable by paging (Elasticsearch's max_result_window; the same for both)


def check_window(page: int, size: int) -> None:
    from search.errors import QuerySyntaxError

    if (page - 1) * size + size > MAX_WINDOW:
        raise QuerySyntaxError(
            f"只能翻看前 {MAX_WINDOW} 条结果（第 {MAX_WINDOW // size} 页以内），请增加检索条件缩小范围。"
        )


def search_request(
    query: SearchQuery | str, page: int, size: int, sort: str
) -> tuple[SearchQuery, int, int, str]:
    """What both engines do before searching: parse, bound the page, and pick the order (relevance
    needs words to rank by; without them the newest come first)."""
    from search.query import as_query

    parsed = as_query(query)
    page, size = max(1, int(page)), max(1, min(int(size), 200))
    check_window(page, size)
    if sort not in SortOrder.all:
        sort = SortOrder.relevance
    if sort == SortOrder.relevance and not parsed.highlight_terms():
        sort = SortOrder.date
    return parsed, page, size, sort


@dataclass
class Hit:
    id: int
    case_no: str | None
    title: str | None
    court: str | None
    judgment_date: str | None
    outcome: str | None
    score: float
    snippet: str  # original text, HTML-escaped, hits wrapped in <mark>…</mark>


@dataclass
class FacetValue:
    value: str
    count: int
    label: str | None = None  # the Chinese name of a coded value


@dataclass
class SearchResult:
    total: int
    hits: list[Hit] = field(default_factory=list)
    facets: dict[str, list[FacetValue]] = field(default_factory=dict)
    page: int = 1
    size: int = 20
    took_ms: float = 0.0
    suggestions: list[str] = field(default_factory=list)  # 您是不是要找: corrected queries, on zero results

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


@runtime_checkable
class SearchBackend(Protocol):
    """One interface, two engines (embedded tantivy, Elasticsearch). Documents come from
    :func:`search.to_index_doc`; ids are judgment ids."""

    def index(self, docs: list[dict]) -> None: ...  # upsert by judgment id

    def delete(self, judgment_ids: list[int]) -> None: ...

    def search(
        self,
        query: SearchQuery | str,
        page: int = 1,
        size: int = 20,
        sort: str = "relevance",
        restrict_parties: list[str] | None = None,
    ) -> SearchResult: ...

    def similar(
        self, judgment_id: int, size: int = 10, exclude: Iterable[int] | None = None
    ) -> SearchResult: ...  # 类案; ``exclude``: ids marked "not similar" (pipeline.feedback)

    def rebuild(self, docs: Iterable[dict]) -> int: ...

    def count(self) -> int: ...

    def ids(self) -> set[int]: ...

    def matching_ids(
        self, query: SearchQuery | str, restrict_parties: list[str] | None = None
    ) -> set[int]: ...  # every id the query matches (statistics over a search result)
