"""Errors of the search package. Each carries a message for the user, in Chinese."""

from __future__ import annotations


class SearchError(Exception):
    """Base class: ``message_zh`` is what the user sees."""

    def __init__(self, message_zh: str):
        super().__init__(message_zh)
        self.message_zh = message_zh


class QuerySyntaxError(SearchError):
    """The query text cannot be understood (unbalanced quotes or brackets, unknown field, bad range)."""

    def __init__(self, message_zh: str, position: int | None = None):
        super().__init__(message_zh)
        self.position = position


class IndexOutdated(SearchError):
    """The index on disk was built with another schema or segmenter: run ``anjian reindex``."""


class BackendUnavailable(SearchError):
    """The search engine cannot be reached (Elasticsearch down, index locked for too long)."""
